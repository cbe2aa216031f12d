/* byok-cli-providers.c — `byok-cli providers`: every provider, its dialect,
 * base URL and where its key comes from (never any part of the key) */
#define G_LOG_DOMAIN "byok-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "byok-cli-commands.h"
#include "byok-cli-util.h"
#include "byok-engine.h"
#include "byok-error.h"
#include "byok-json.h"

typedef enum {
  SOURCE_NONE,
  SOURCE_NOT_NEEDED,
  SOURCE_KEYRING,
  SOURCE_ENVIRONMENT,
} KeySource;

typedef struct {
  KeySource   source;
  const char *env_var;   /* borrowed from the key */
  const char *account;   /* borrowed from the key */
} KeyInfo;

/* The key a call would use: the active one. */
static void
find_key (ByokProvider *provider,
          GPtrArray    *keys,
          KeyInfo      *info)
{
  const char *id = byok_provider_get_id (provider);

  info->source = byok_provider_get_needs_key (provider) ? SOURCE_NONE : SOURCE_NOT_NEEDED;
  info->env_var = NULL;
  info->account = NULL;
  if (info->source == SOURCE_NOT_NEEDED || keys == NULL)
    return;

  for (guint i = 0; i < keys->len; i++)
    {
      ByokKey *key = g_ptr_array_index (keys, i);

      if (g_strcmp0 (byok_key_get_provider (key), id) != 0 || !byok_key_get_is_active (key))
        continue;
      if (byok_key_get_source (key) == BYOK_KEY_SOURCE_KEYRING)
        {
          info->source = SOURCE_KEYRING;
          info->account = byok_key_get_account (key);
        }
      else
        {
          info->source = SOURCE_ENVIRONMENT;
          info->env_var = byok_key_get_env_var (key);
        }
      return;
    }
}

static char *
describe_source (const KeyInfo *info)
{
  switch (info->source)
    {
    case SOURCE_KEYRING:
      if (info->account != NULL && g_strcmp0 (info->account, "default") != 0)
        /* Translators: %s is the name of a key in the keyring, e.g. "work" */
        return g_strdup_printf (_("keyring (%s)"), info->account);
      return g_strdup (_("keyring"));
    case SOURCE_ENVIRONMENT:
      /* Translators: %s is an environment variable, e.g. OPENAI_API_KEY */
      return g_strdup_printf (_("environment %s"), info->env_var);
    case SOURCE_NOT_NEEDED:
      return g_strdup (_("not needed"));
    case SOURCE_NONE:
    default:
      return g_strdup (_("none"));
    }
}

static const char *
source_id (KeySource source)
{
  switch (source)
    {
    case SOURCE_KEYRING:
      return "keyring";
    case SOURCE_ENVIRONMENT:
      return "environment";
    case SOURCE_NOT_NEEDED:
      return "not-needed";
    case SOURCE_NONE:
    default:
      return "none";
    }
}

/* Keyring and environment keys of every provider, the keyring's without
 * their secrets (none is shown); environment keys alone (with a note) when
 * the keyring cannot be reached. */
static GPtrArray *
list_keys (ByokEngine *engine)
{
  g_autoptr(GError) keyring_error = NULL;
  GPtrArray *keys = byok_key_store_list_usable_accounts_wait (byok_engine_get_key_store (engine), NULL, NULL,
                                                              &keyring_error, NULL);

  if (keyring_error != NULL)
    g_printerr (_("byok-cli: the keyring cannot be reached (%s); showing keys from the environment only.\n"),
                keyring_error->message);
  return keys;
}

int
byok_cli_providers (int    argc,
                    char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(ByokEngine) engine = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) providers = NULL;
  int status;

  if (!byok_cli_parse_options (&argc, &argv, NULL,
                               _("List the providers Byok knows: dialect, base URL and where the key comes from."),
                               entries, &status))
    return status;
  if (argc > 1)
    return byok_cli_usage_error ("providers", _("unexpected argument “%s”"), argv[1]);

  engine = byok_cli_open_engine (BYOK_CLI_KEYRING_ACCOUNTS, &error);
  if (engine == NULL)
    return byok_cli_fail (error);

  keys = list_keys (engine);
  providers = byok_catalog_get_providers (byok_engine_get_catalog (engine));

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < providers->len; i++)
        {
          ByokProvider *provider = g_ptr_array_index (providers, i);
          KeyInfo info;

          find_key (provider, keys, &info);
          json_builder_begin_object (builder);
          byok_json_builder_add_string (builder, "id", byok_provider_get_id (provider));
          byok_json_builder_add_string (builder, "name", byok_provider_get_name (provider));
          byok_json_builder_add_string (builder, "dialect", byok_provider_get_dialect_name (provider));
          byok_json_builder_add_string_or_null (builder, "base_url", byok_provider_get_base_url (provider));
          byok_json_builder_add_boolean (builder, "needs_key", byok_provider_get_needs_key (provider));
          byok_json_builder_add_string (builder, "key_source", source_id (info.source));
          byok_json_builder_add_string_or_null (builder, "key_env_var", info.env_var);
          byok_json_builder_add_string_or_null (builder, "key_account", info.account);
          json_builder_set_member_name (builder, "lists_models");
          json_builder_add_boolean_value (builder,
                                          byok_provider_get_models_list (provider) != BYOK_MODELS_LIST_NONE);
          byok_json_builder_add_boolean (builder, "custom", byok_provider_is_custom (provider));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      byok_cli_print_builder (builder);
      return BYOK_CLI_EXIT_OK;
    }
  else
    {
      g_autoptr(ByokCliTable) table = byok_cli_table_new (5, _("ID"), _("NAME"), _("DIALECT"),
                                                          _("BASE URL"), _("KEY"));

      for (guint i = 0; i < providers->len; i++)
        {
          ByokProvider *provider = g_ptr_array_index (providers, i);
          const char *base = byok_provider_get_base_url (provider);
          g_autofree char *source = NULL;
          KeyInfo info;

          find_key (provider, keys, &info);
          source = describe_source (&info);
          byok_cli_table_add_row (table, byok_provider_get_id (provider), byok_provider_get_name (provider),
                                  byok_provider_get_dialect_name (provider),
                                  base != NULL ? base : _("(not set)"), source);
        }
      byok_cli_table_print (table, stdout);
    }
  return BYOK_CLI_EXIT_OK;
}
