/* byok-cli-keys.c — `byok-cli keys`: list, set and delete API keys in the
 * desktop keyring (`keys test` lives with the client's commands)
 *
 * A key never comes from argv: command lines are visible to every user of
 * the machine and end up in shell history. `keys set` reads it from stdin,
 * or from a prompt that does not echo when stdin is a terminal.
 */
#define G_LOG_DOMAIN "byok-cli"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "byok-cli.h"
#include "byok-cli-commands.h"
#include "byok-cli-keys.h"
#include "byok-cli-util.h"
#include "byok-engine.h"
#include "byok-error.h"
#include "byok-json.h"
#include "byok-key-format.h"
#include "byok-provider-bill.h"

/* The longest input taken as a key (real keys are under 200 bytes). */
#define MAX_KEY_INPUT 8192

/* ── shared ────────────────────────────────────────────────────────────── */

static ByokProvider *
lookup_provider (ByokEngine  *engine,
                 const char  *provider_id,
                 GError     **error)
{
  ByokProvider *provider = byok_catalog_lookup_provider (byok_engine_get_catalog (engine),
                                                         provider_id);

  if (provider == NULL || g_str_equal (provider_id, BYOK_CATALOG_CUSTOM_TEMPLATE_ID))
    {
      /* A long unknown name may be a key given by mistake: not echoed. */
      if (strlen (provider_id) >= 20)
        g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                     _("There is no such provider. Run “byok-cli keys list” to see them."));
      else
        g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                     _("There is no provider “%s”. Run “byok-cli keys list” to see them."),
                     provider_id);
      return NULL;
    }
  return provider;
}

/* What looks like a key rather than a provider id or an account name: a
 * known key prefix, or a long run of letters and digits that could not be
 * a provider id (ids are lowercase). Never printed. */
static gboolean
looks_like_key (const char *arg)
{
  static const char * const prefixes[] = { "sk-", "AIza", "gsk_", "xai-", NULL };
  gsize len = strlen (arg);
  gboolean has_digit = FALSE, has_alpha = FALSE, not_an_id = FALSE;

  for (guint i = 0; prefixes[i] != NULL; i++)
    {
      if (g_str_has_prefix (arg, prefixes[i]) && len >= strlen (prefixes[i]) + 8)
        return TRUE;
    }
  if (len < 20)
    return FALSE;
  for (const char *p = arg; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        return FALSE;
      has_digit |= g_ascii_isdigit (*p);
      has_alpha |= g_ascii_isalpha (*p);
      not_an_id |= g_ascii_isupper (*p) || !(g_ascii_isalnum (*p) || strchr ("-_.", *p) != NULL);
    }
  return has_digit && has_alpha && not_an_id;
}

static int
refuse_key_argument (const char *command)
{
  g_printerr (_("byok-cli %s: a key is never taken from the command line: "
                "command lines are visible to other users and are saved in your shell history.\n"),
              command);
  g_printerr (_("Pipe the key in, e.g. “byok-cli keys set openai < key.txt”, "
                "or run the command without it and type the key at the hidden prompt.\n"));
  return BYOK_CLI_EXIT_USAGE;
}

/* Refuses argv with a key in it before anything parses (and might echo)
 * it: a key-looking positional argument, or an option such as --key.
 * @value_options: options that take a separate value, which is skipped. */
static gboolean
argv_has_key (int                 argc,
              char              **argv,
              const char * const *value_options)
{
  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];

      if (g_strv_contains (value_options, arg))
        {
          i++;
          continue;
        }
      if (g_str_has_prefix (arg, "--key") || g_str_has_prefix (arg, "--api-key") ||
          g_str_has_prefix (arg, "--secret") || g_str_has_prefix (arg, "--token"))
        return TRUE;
      if (arg[0] == '-' && strchr (arg, '=') != NULL)
        {
          if (looks_like_key (strchr (arg, '=') + 1))
            return TRUE;
          continue;
        }
      if (arg[0] != '-' && looks_like_key (arg))
        return TRUE;
    }
  return FALSE;
}

/* What a command on one provider does first: refuses a key in argv (when
 * @value_options is not NULL), parses its options, takes one provider id,
 * opens the engine and finds the provider. Returns GO_ON, or the
 * exit status to end with. @too_many: (nullable): the usage error for more
 * than one argument; @missing for both when NULL. */
#define GO_ON (-1)

static int
open_provider (int                 *argc,
               char              ***argv,
               const char          *command,
               const char * const  *value_options,
               const char          *summary,
               const GOptionEntry  *entries,
               const char          *missing,
               const char          *too_many,
               ByokEngine         **engine,
               ByokProvider       **provider)
{
  g_autoptr(GError) error = NULL;
  int status;

  if (value_options != NULL && argv_has_key (*argc, *argv, value_options))
    return refuse_key_argument (command);
  if (!byok_cli_parse_options (argc, argv, _("PROVIDER"), summary, entries, &status))
    return status;
  if (*argc < 2)
    return byok_cli_usage_error (command, "%s", missing);
  if (*argc > 2)
    return byok_cli_usage_error (command, "%s", too_many != NULL ? too_many : missing);

  *engine = byok_cli_open_engine (BYOK_CLI_KEYRING_NONE, &error);
  if (*engine == NULL)
    return byok_cli_fail (error);
  *provider = lookup_provider (*engine, (*argv)[1], &error);
  if (*provider == NULL)
    return byok_cli_fail (error);
  return GO_ON;
}

static char *
format_time (gint64 time_us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (time_us / G_USEC_PER_SEC);

  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%d %H:%M") : g_strdup ("");
}

static char *
format_iso (gint64 time_us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);

  return dt != NULL ? g_date_time_format_iso8601 (dt) : g_strdup ("");
}

/* The newest "tested" event of the provider and account, or NULL. */
static const ByokKeyEventRecord *
find_last_check (GPtrArray  *events,
                 const char *account)
{
  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      const ByokKeyEventRecord *e = g_ptr_array_index (events, i);

      if (g_strcmp0 (e->event, "tested") == 0 && g_strcmp0 (e->account, account) == 0)
        return e;
    }
  return NULL;
}

static char *
describe_check (const ByokKeyEventRecord *e)
{
  g_autofree char *when = NULL;

  if (e == NULL)
    return g_strdup (_("never checked"));
  when = format_time (e->time_us);
  if (e->result != NULL && g_ascii_strcasecmp (e->result, "ok") == 0)
    /* Translators: %s is a date and time */
    return g_strdup_printf (_("valid, %s"), when);
  /* Translators: %s is an error class (AUTH, QUOTA, …), then a date and time */
  return g_strdup_printf (_("failed (%s), %s"), e->result != NULL ? e->result : "?", when);
}

/* ── keys list ─────────────────────────────────────────────────────────── */

static void
add_key_json (JsonBuilder *builder,
              ByokKey     *key,
              GPtrArray   *events)
{
  const ByokKeyEventRecord *check = find_last_check (events, byok_key_get_account (key));

  json_builder_begin_object (builder);
  byok_json_builder_add_string (builder, "source",
                               byok_key_get_source (key) == BYOK_KEY_SOURCE_KEYRING ? "keyring" : "environment");
  byok_json_builder_add_string_or_null (builder, "account", byok_key_get_account (key));
  byok_json_builder_add_string_or_null (builder, "env_var", byok_key_get_env_var (key));
  byok_json_builder_add_string (builder, "masked", byok_key_get_masked (key));
  byok_json_builder_add_boolean (builder, "default", byok_key_get_is_default (key));
  byok_json_builder_add_boolean (builder, "active", byok_key_get_is_active (key));
  json_builder_set_member_name (builder, "last_check");
  if (check != NULL)
    {
      g_autofree char *iso = format_iso (check->time_us);

      json_builder_begin_object (builder);
      byok_json_builder_add_string (builder, "time", iso);
      byok_json_builder_add_string (builder, "result", check->result != NULL ? check->result : "");
      byok_json_builder_add_string_or_null (builder, "detail", check->detail);
      json_builder_end_object (builder);
    }
  else
    {
      json_builder_add_null_value (builder);
    }
  json_builder_end_object (builder);
}

static int
keys_list (int    argc,
           char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) keyring_error = NULL;
  g_autoptr(ByokEngine) engine = NULL;
  g_autoptr(GPtrArray) providers = NULL;
  g_autoptr(GPtrArray) usable_keys = NULL;
  g_autoptr(ByokCliTable) table = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  ByokKeyStore *store;
  const char *only = NULL;
  gboolean any_key = FALSE;
  int status;

  if (argv_has_key (argc, argv, (const char * const[]) { NULL }))
    return refuse_key_argument ("keys list");
  if (!byok_cli_parse_options (&argc, &argv, _("[PROVIDER]"),
                               _("List the API keys of every provider: where each comes from, "
                                 "masked, and when it was last checked."),
                               entries, &status))
    return status;
  if (argc > 2)
    return byok_cli_usage_error ("keys list", _("Too many arguments."));
  if (argc == 2)
    only = argv[1];

  engine = byok_cli_open_engine (BYOK_CLI_KEYRING_SECRETS, &error);
  if (engine == NULL)
    return byok_cli_fail (error);
  if (only != NULL && lookup_provider (engine, only, &error) == NULL)
    return byok_cli_fail (error);

  store = byok_engine_get_key_store (engine);
  usable_keys = byok_key_store_list_usable_wait (store, only, NULL, &keyring_error, NULL);

  providers = byok_catalog_get_providers (byok_engine_get_catalog (engine));
  if (json)
    {
      builder = json_builder_new ();
      json_builder_begin_array (builder);
    }
  else
    {
      table = byok_cli_table_new (5, _("PROVIDER"), _("ACCOUNT"), _("SOURCE"), _("KEY"),
                                  _("LAST CHECK"));
    }

  for (guint i = 0; i < providers->len; i++)
    {
      ByokProvider *provider = g_ptr_array_index (providers, i);
      const char *id = byok_provider_get_id (provider);
      g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GPtrArray) events = NULL;
      g_autoptr(GError) events_error = NULL;

      if (only != NULL && !g_str_equal (only, id))
        continue;

      /* The keyring's (when it answered), else the environment's. */
      for (guint k = 0; usable_keys != NULL && k < usable_keys->len; k++)
        {
          ByokKey *key = g_ptr_array_index (usable_keys, k);

          if (g_str_equal (byok_key_get_provider (key), id))
            g_ptr_array_add (keys, g_object_ref (key));
        }

      events = byok_usage_store_list_key_events (byok_engine_get_usage_store (engine), id, 50,
                                                 &events_error);
      if (events == NULL)
        g_debug ("no key events for %s: %s", id, events_error->message);

      if (json)
        {
          json_builder_begin_object (builder);
          byok_json_builder_add_string (builder, "provider", id);
          byok_json_builder_add_string (builder, "name", byok_provider_get_name (provider));
          byok_json_builder_add_boolean (builder, "needs_key", byok_provider_get_needs_key (provider));
          byok_json_builder_add_boolean (builder, "enabled", byok_provider_get_enabled (provider));
          json_builder_set_member_name (builder, "keys");
          json_builder_begin_array (builder);
          for (guint k = 0; k < keys->len; k++)
            add_key_json (builder, g_ptr_array_index (keys, k), events);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
          continue;
        }

      any_key |= keys->len > 0;
      if (keys->len == 0)
        {
          byok_cli_table_add_row (table, id, "", byok_provider_get_needs_key (provider)
                                                 ? _("not set") : _("no key needed"),
                                  "", "");
          continue;
        }
      for (guint k = 0; k < keys->len; k++)
        {
          ByokKey *key = g_ptr_array_index (keys, k);
          const char *account = byok_key_get_account (key);
          g_autofree char *account_cell = NULL;
          g_autofree char *source = NULL;
          g_autofree char *check = describe_check (find_last_check (events, account));

          if (byok_key_get_source (key) == BYOK_KEY_SOURCE_KEYRING)
            source = g_strdup (_("keyring"));
          else
            source = g_strdup_printf ("$%s", byok_key_get_env_var (key));
          account_cell = g_strdup_printf ("%s%s", account != NULL ? account : "",
                                          byok_key_get_is_active (key) ? " *" : "");
          byok_cli_table_add_row (table, id, account_cell, source, byok_key_get_masked (key),
                                  byok_key_get_source (key) == BYOK_KEY_SOURCE_KEYRING ? check : "");
        }
    }

  if (json)
    {
      json_builder_end_array (builder);
      byok_cli_print_builder (builder);
    }
  else
    {
      byok_cli_table_print (table, stdout);
      if (any_key)
        printf ("\n%s\n", _("* the key calls use when they name no account"));
    }

  if (keyring_error != NULL)
    {
      g_printerr (_("byok-cli: the keyring could not be read, so only keys from the environment are shown.\n"));
      return byok_cli_fail (keyring_error);
    }
  return BYOK_CLI_EXIT_OK;
}

/* ── reading a key ─────────────────────────────────────────────────────── */

static struct termios saved_termios;
static volatile sig_atomic_t termios_saved;

static void
restore_terminal (void)
{
  if (termios_saved)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
      termios_saved = 0;
    }
}

static void
restore_and_reraise (int signum)
{
  restore_terminal ();
  signal (signum, SIG_DFL);
  raise (signum);
}

static const int prompt_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP };

static void
set_prompt_signals (gboolean install,
                    struct sigaction *old)
{
  for (guint i = 0; i < G_N_ELEMENTS (prompt_signals); i++)
    {
      if (install)
        {
          struct sigaction sa;

          memset (&sa, 0, sizeof sa);
          sa.sa_handler = restore_and_reraise;
          sigemptyset (&sa.sa_mask);
          sigaction (prompt_signals[i], &sa, &old[i]);
        }
      else
        {
          sigaction (prompt_signals[i], &old[i], NULL);
        }
    }
}

/* Reads up to MAX_KEY_INPUT bytes (a line from a terminal, all of a pipe)
 * into non-pageable memory. */
static char *
read_input (int       fd,
            gboolean  one_line,
            GError  **error)
{
  char buffer[MAX_KEY_INPUT + 1];
  gsize len = 0;
  char *result;

  for (;;)
    {
      ssize_t n = read (fd, buffer + len, one_line ? 1 : MAX_KEY_INPUT + 1 - len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          explicit_bzero (buffer, sizeof buffer);
          g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                       _("Could not read the key: %s."), g_strerror (saved_errno));
          return NULL;
        }
      if (n == 0)
        break;
      len += n;
      if (one_line && buffer[len - 1] == '\n')
        break;
      if (len > MAX_KEY_INPUT)
        {
          explicit_bzero (buffer, sizeof buffer);
          g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                       _("That is far longer than any API key (more than %d bytes). "
                         "Give the key alone."), MAX_KEY_INPUT);
          return NULL;
        }
    }

  /* The line break that ends what was typed or echoed is not part of it. */
  if (len > 0 && buffer[len - 1] == '\n')
    len--;
  if (len > 0 && buffer[len - 1] == '\r')
    len--;

  result = byok_secret_dup (buffer, len);
  explicit_bzero (buffer, sizeof buffer);
  return result;
}

static char *
prompt_for_key (ByokProvider  *provider,
                GError       **error)
{
  struct sigaction old[G_N_ELEMENTS (prompt_signals)];
  struct termios noecho;
  char *input;

  g_printerr (_("Paste or type the %s key (it is not shown), then press Enter: "),
              byok_provider_get_name (provider));

  if (tcgetattr (STDIN_FILENO, &saved_termios) == 0)
    {
      set_prompt_signals (TRUE, old);
      termios_saved = 1;
      noecho = saved_termios;
      noecho.c_lflag &= ~(ECHO | ECHONL);
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &noecho);
    }

  input = read_input (STDIN_FILENO, TRUE, error);

  if (termios_saved)
    {
      restore_terminal ();
      set_prompt_signals (FALSE, old);
    }
  g_printerr ("\n");
  return input;
}

static gboolean
confirm (const char *question)
{
  char answer[16] = { 0 };

  g_printerr ("%s ", question);
  if (fgets (answer, sizeof answer, stdin) == NULL)
    return FALSE;
  /* Translators: the first letter of "yes" that the user types */
  return answer[0] == 'y' || answer[0] == 'Y' || g_str_has_prefix (answer, C_("answer", "y"));
}

/* ── keys set ──────────────────────────────────────────────────────────── */

static int
keys_set (int    argc,
          char **argv)
{
  static const char * const value_options[] = { "--account", "-a", NULL };
  g_autofree char *account = NULL;
  gboolean make_default = FALSE;
  const GOptionEntry entries[] = {
    { "account", 'a', 0, G_OPTION_ARG_STRING, &account,
      N_("The key’s name, when a provider has several (default: “default”)"), N_("NAME") },
    { "default", 0, 0, G_OPTION_ARG_NONE, &make_default,
      N_("Make this the key calls use when they name no account"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokEngine) engine = NULL;
  g_auto(GStrv) warnings = NULL;
  g_autofree char *masked = NULL;
  ByokProvider *provider;
  ByokKeyFormatFlags flags;
  gboolean interactive;
  gboolean replaced = FALSE;
  char *input = NULL;
  char *cleaned = NULL;
  gboolean ok;
  int status;

  status = open_provider (&argc, &argv, "keys set", value_options,
                          _("Store an API key in the desktop keyring. The key is read from "
                            "standard input, or asked for without echo on a terminal; "
                            "never give it as an argument."),
                          entries, _("Name the provider, e.g. “byok-cli keys set openai”."),
                          /* key-looking arguments were refused before */
                          _("Too many arguments: name one provider."), &engine, &provider);
  if (status != GO_ON)
    return status;
  if (!byok_provider_get_needs_key (provider))
    {
      g_printerr (_("byok-cli: %s needs no key.\n"), byok_provider_get_name (provider));
      return BYOK_CLI_EXIT_FAILED;
    }

  interactive = isatty (STDIN_FILENO);
  input = interactive ? prompt_for_key (provider, &error) : read_input (STDIN_FILENO, FALSE, &error);
  if (input == NULL)
    return byok_cli_fail (error);

  flags = byok_key_format_check (byok_provider_get_id (provider),
                                 byok_provider_get_key_prefix (provider),
                                 input, &cleaned, &warnings);
  byok_secret_free (input);
  for (guint i = 0; warnings[i] != NULL; i++)
    g_printerr ("%s\n", warnings[i]);

  if (flags & BYOK_KEY_FORMAT_EMPTY)
    {
      byok_secret_free (cleaned);
      g_printerr (_("byok-cli: no key was given; nothing was saved.\n"));
      return BYOK_CLI_EXIT_FAILED;
    }
  if (byok_key_format_is_suspicious (flags) && interactive &&
      !confirm (_("Save it anyway? [y/N]")))
    {
      byok_secret_free (cleaned);
      g_printerr (_("Nothing was saved.\n"));
      return BYOK_CLI_EXIT_FAILED;
    }

  masked = byok_key_format_mask (cleaned);
  ok = byok_key_store_store_wait (byok_engine_get_key_store (engine), byok_provider_get_id (provider),
                                  account, cleaned, &replaced, NULL, &error);
  byok_secret_free (cleaned);
  if (!ok)
    return byok_cli_fail (error);

  if (replaced)
    /* Translators: provider name, account name, masked key */
    printf (_("Replaced the %s key “%s” in the keyring: %s\n"), byok_provider_get_name (provider),
            account != NULL ? account : BYOK_KEY_DEFAULT_ACCOUNT, masked);
  else
    printf (_("Saved the %s key “%s” in the keyring: %s\n"), byok_provider_get_name (provider),
            account != NULL ? account : BYOK_KEY_DEFAULT_ACCOUNT, masked);

  if (make_default)
    {
      if (!byok_key_store_set_default_wait (byok_engine_get_key_store (engine),
                                            byok_provider_get_id (provider), account, NULL, &error))
        return byok_cli_fail (error);
      printf (_("It is now the key %s calls use.\n"), byok_provider_get_name (provider));
    }
  printf (_("Check that it works with “byok-cli keys test %s”.\n"), byok_provider_get_id (provider));
  return BYOK_CLI_EXIT_OK;
}

/* ── keys delete ───────────────────────────────────────────────────────── */

static int
keys_delete (int    argc,
             char **argv)
{
  static const char * const value_options[] = { "--account", "-a", NULL };
  g_autofree char *account = NULL;
  const GOptionEntry entries[] = {
    { "account", 'a', 0, G_OPTION_ARG_STRING, &account,
      N_("The key’s name (default: “default”)"), N_("NAME") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokEngine) engine = NULL;
  ByokProvider *provider;
  int status;

  status = open_provider (&argc, &argv, "keys delete", value_options,
                          _("Delete an API key from the desktop keyring."), entries,
                          _("Name one provider, e.g. “byok-cli keys delete openai”."), NULL,
                          &engine, &provider);
  if (status != GO_ON)
    return status;

  if (!byok_key_store_delete_wait (byok_engine_get_key_store (engine), byok_provider_get_id (provider),
                                   account, NULL, &error))
    {
      if (g_error_matches (error, BYOK_ERROR, BYOK_ERROR_NO_KEY))
        {
          g_autoptr(GPtrArray) env = byok_key_store_list_environment (byok_engine_get_key_store (engine),
                                                                      byok_provider_get_id (provider));

          if (env != NULL && env->len > 0)
            g_printerr (_("byok-cli: the %s key in use comes from $%s; Byok cannot delete it. "
                          "Remove the variable from your environment.\n"),
                        byok_provider_get_name (provider),
                        byok_key_get_env_var (g_ptr_array_index (env, 0)));
        }
      return byok_cli_fail (error);
    }

  printf (_("Deleted the %s key “%s” from the keyring.\n"), byok_provider_get_name (provider),
          account != NULL ? account : BYOK_KEY_DEFAULT_ACCOUNT);
  return BYOK_CLI_EXIT_OK;
}

/* ── keys set-admin, delete-admin ──────────────────────────────────────── */

/* `keys set-admin PROVIDER`: the provider's admin key, for its bill
 * (`byok-cli usage --compare-bill`), read like a key; never used for chat. */
static int
keys_set_admin (int    argc,
                char **argv)
{
  static const char * const value_options[] = { NULL };
  const GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokEngine) engine = NULL;
  g_auto(GStrv) warnings = NULL;
  g_autofree char *masked = NULL;
  ByokProvider *provider;
  char *input = NULL;
  char *cleaned = NULL;
  gboolean ok;
  int status;

  status = open_provider (&argc, &argv, "keys set-admin", value_options,
                          _("Store the admin key of OpenAI (sk-admin-…) or Anthropic (sk-ant-admin…) "
                            "in the desktop keyring, to read the organization’s bill beside Byok’s "
                            "(“byok-cli usage --compare-bill”). It is never used for chat. The key "
                            "is read from standard input, or asked for without echo on a terminal."),
                          entries, _("Name one provider, e.g. “byok-cli keys set-admin openai”."), NULL,
                          &engine, &provider);
  if (status != GO_ON)
    return status;

  input = isatty (STDIN_FILENO) ? prompt_for_key (provider, &error) : read_input (STDIN_FILENO, FALSE, &error);
  if (input == NULL)
    return byok_cli_fail (error);
  byok_key_format_check (byok_provider_get_id (provider), NULL, input, &cleaned, &warnings);
  byok_secret_free (input);
  ok = byok_provider_bill_check_admin_key (byok_engine_get_client (engine), byok_provider_get_id (provider),
                                           cleaned, &error) &&
       byok_key_store_store_admin_wait (byok_engine_get_key_store (engine), byok_provider_get_id (provider),
                                        cleaned, NULL, &error);
  masked = ok ? byok_key_format_mask (cleaned) : NULL;
  byok_secret_free (cleaned);
  if (!ok)
    return byok_cli_fail (error);

  /* Translators: a provider's name, the admin key masked */
  printf (_("Saved the %s admin key in the keyring: %s\n"), byok_provider_get_name (provider), masked);
  printf (_("Compare its bill with Byok’s with “byok-cli usage --compare-bill”.\n"));
  return BYOK_CLI_EXIT_OK;
}

static int
keys_delete_admin (int    argc,
                   char **argv)
{
  const GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokEngine) engine = NULL;
  ByokProvider *provider;
  int status;

  status = open_provider (&argc, &argv, "keys delete-admin", NULL,
                          _("Delete a provider’s admin key from the desktop keyring."), entries,
                          _("Name one provider, e.g. “byok-cli keys delete-admin openai”."), NULL,
                          &engine, &provider);
  if (status != GO_ON)
    return status;
  if (!byok_key_store_delete_admin_wait (byok_engine_get_key_store (engine), byok_provider_get_id (provider),
                                         NULL, &error))
    return byok_cli_fail (error);
  printf (_("Deleted the %s admin key from the keyring.\n"), byok_provider_get_name (provider));
  return BYOK_CLI_EXIT_OK;
}

/* ── dispatch ──────────────────────────────────────────────────────────── */

static void
print_keys_help (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: byok-cli keys COMMAND [OPTIONS…]"));
  fprintf (out, "%s\n", _("Commands:"));
  fprintf (out, "  %-8s %s\n", "list", _("List keys: provider, source, masked key, last check"));
  fprintf (out, "  %-8s %s\n", "set", _("Store a key read from stdin or a hidden prompt"));
  fprintf (out, "  %-8s %s\n", "delete", _("Delete a key from the keyring"));
  fprintf (out, "  %-8s %s\n", "test", _("Check that a key works with the cheapest call"));
  fprintf (out, "  %-8s %s\n", "set-admin", _("Store an admin key, for the provider’s bill"));
  fprintf (out, "  %-8s %s\n", "delete-admin", _("Delete an admin key"));
  fprintf (out, "\n%s\n", _("Run “byok-cli keys COMMAND --help” for the options of a command."));
}

/**
 * byok_cli_keys:
 *
 * `byok-cli keys SUBCOMMAND …`; argv[0] is "keys".
 */
int
byok_cli_keys (int    argc,
               char **argv)
{
  const char *sub;

  /* Log lines (G_MESSAGES_DEBUG) must not mix with what scripts read. */
  g_log_writer_default_set_use_stderr (TRUE);

  if (argc < 2)
    {
      print_keys_help (stderr);
      return BYOK_CLI_EXIT_USAGE;
    }

  sub = argv[1];
  if (g_str_equal (sub, "--help") || g_str_equal (sub, "-h") || g_str_equal (sub, "help"))
    {
      print_keys_help (stdout);
      return BYOK_CLI_EXIT_OK;
    }
  if (g_str_equal (sub, "list"))
    return byok_cli_run_sub (keys_list, "keys list", argc - 1, argv + 1);
  if (g_str_equal (sub, "set") || g_str_equal (sub, "add"))
    return byok_cli_run_sub (keys_set, "keys set", argc - 1, argv + 1);
  if (g_str_equal (sub, "delete") || g_str_equal (sub, "remove"))
    return byok_cli_run_sub (keys_delete, "keys delete", argc - 1, argv + 1);
  if (g_str_equal (sub, "test"))
    return byok_cli_keys_test (argc - 1, argv + 1);
  if (g_str_equal (sub, "set-admin"))
    return byok_cli_run_sub (keys_set_admin, "keys set-admin", argc - 1, argv + 1);
  if (g_str_equal (sub, "delete-admin"))
    return byok_cli_run_sub (keys_delete_admin, "keys delete-admin", argc - 1, argv + 1);

  if (looks_like_key (sub))
    return refuse_key_argument ("keys");
  return byok_cli_usage_error ("keys", _("Unknown command “%s”."), sub);
}
