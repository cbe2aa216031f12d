/* test-cli-keys.c — `byok-cli keys` against the session's real keyring and
 * an in-process test server playing OpenAI: set (key on stdin), list
 * (masked, never whole), test (the check shows in list), delete; a key given
 * as an argument is refused; format warnings are printed masked; and the
 * key reaches no output (with G_MESSAGES_DEBUG=all) and no file under HOME
 * and the XDG dirs.
 *
 * Runs inside build-aux/test-session. Each run has its own XDG_DATA_HOME
 * (inside the session's, so the file walk covers it). */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "byok-key-format.h"
#include "byok-test-replies.h"
#include "byok-test-cli.h"
#include "byok-test-server.h"
#include "byok-test-util.h"

typedef struct {
  ByokTestServer *server;
  char           *data_home;
  char          **env;
  char           *key;      /* unique to the run */
  char           *masked;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *template = g_build_filename (g_get_user_data_dir (), "byok-cli-keys-XXXXXX", NULL);
  g_autofree char *base = NULL;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  f->data_home = g_mkdtemp (g_steal_pointer (&template));
  g_assert_nonnull (f->data_home);

  /* A fake key no earlier run can have left anywhere. */
  g_strdelimit (uuid, "-", 'x');
  f->key = g_strconcat ("sk-test-fake-cli-", uuid, NULL);
  f->masked = byok_key_format_mask (f->key);

  f->server = byok_test_server_new ();
  {
    g_autofree char *bearer = g_strconcat ("Bearer ", f->key, NULL);

    byok_test_server_require_key (f->server, "Authorization", bearer);
  }
  byok_test_server_add_reply (f->server, "/v1/models", byok_test_reply_new_openai_models ());
  base = g_strconcat (byok_test_server_get_url (f->server), "/v1", NULL);

  f->env = g_get_environ ();
  f->env = g_environ_setenv (f->env, "XDG_DATA_HOME", f->data_home, TRUE);
  f->env = g_environ_setenv (f->env, "LC_ALL", "C.UTF-8", TRUE);
  f->env = g_environ_setenv (f->env, "LANGUAGE", "", TRUE);
  f->env = g_environ_setenv (f->env, "G_MESSAGES_DEBUG", "all", TRUE);
  f->env = g_environ_setenv (f->env, "BYOK_BASE_URL_OPENAI", base, TRUE);
  f->env = g_environ_setenv (f->env, "BYOK_BASE_URL_ANTHROPIC", "http://127.0.0.1:9", TRUE);
  f->env = g_environ_unsetenv (f->env, "OPENAI_API_KEY");
  f->env = g_environ_unsetenv (f->env, "ANTHROPIC_API_KEY");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->server);
  byok_test_remove_tree (f->data_home);
  g_free (f->data_home);
  g_strfreev (f->env);
  g_free (f->key);
  g_free (f->masked);
}

/* Runs byok-cli with @input on stdin (not a terminal), serving the test
 * server meanwhile; checks that nothing it printed holds the key. */
static ByokTestCliRun *
cli (Fixture    *f,
     const char *input,
     ...)
{
  ByokTestCliRun *run;
  va_list ap;

  va_start (ap, input);
  run = byok_test_cli_run_va ((const char * const *) f->env, input, ap);
  va_end (ap);
  byok_test_assert_no_key ("stdout", run->out, -1, f->key, 4, 8);
  byok_test_assert_no_key ("stderr", run->err, -1, f->key, 4, 8);
  return run;
}

static JsonObject *
json_provider (JsonNode   *root,
               const char *id)
{
  JsonArray *array = json_node_get_array (root);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *p = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (p, "provider"), id) == 0)
        return p;
    }
  g_assert_not_reached ();
  return NULL;
}

/* set → list → test → list → delete → list, the key never printed. */
static void
test_set_list_test_delete (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *input = g_strconcat ("  ", f->key, "\n", NULL);
  g_autoptr(ByokTestCliRun) run = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *openai;
  JsonObject *key;
  JsonArray *keys;

  /* Whatever an earlier run may have left. */
  byok_test_cli_run_free (cli (f, NULL, "keys", "delete", "openai", NULL));

  run = cli (f, input, "keys", "set", "openai", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, f->masked));
  g_assert_nonnull (strstr (run->err, "Removed spaces"));   /* a notice, masked or none */
  /* The debug output (on stderr) is on: the key store said what it did, without the key. */
  g_assert_nonnull (strstr (run->err, "storing key for openai/default"));
  g_clear_pointer (&run, byok_test_cli_run_free);

  run = cli (f, NULL, "keys", "list", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, f->masked));
  g_assert_nonnull (strstr (run->out, "never checked"));
  g_assert_nonnull (strstr (run->out, "anthropic"));
  g_assert_null (strstr (run->err, "keyring could not be read"));
  g_clear_pointer (&run, byok_test_cli_run_free);

  /* `providers` (the keyring connected to while the engine's data is
   * read) finds it in the keyring, without reading it. */
  run = cli (f, NULL, "providers", "--json", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_null (strstr (run->err, "cannot be reached"));
  root = json_from_string (run->out, &error);
  g_assert_no_error (error);
  {
    JsonArray *providers = json_node_get_array (root);
    JsonObject *p = NULL;

    for (guint i = 0; i < json_array_get_length (providers) && p == NULL; i++)
      if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (providers, i), "id"),
                     "openai") == 0)
        p = json_array_get_object_element (providers, i);
    g_assert_nonnull (p);
    g_assert_cmpstr (json_object_get_string_member (p, "key_source"), ==, "keyring");
    g_assert_cmpstr (json_object_get_string_member (p, "key_account"), ==, "default");
  }
  g_clear_pointer (&root, json_node_unref);
  g_clear_pointer (&run, byok_test_cli_run_free);
  run = cli (f, NULL, "providers", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "keyring"));
  g_clear_pointer (&run, byok_test_cli_run_free);

  /* `keys test` (the client's) proves it against the test server … */
  run = cli (f, NULL, "keys", "test", "openai", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpuint (byok_test_server_count_path (f->server, "/v1/models"), >=, 1);
  g_clear_pointer (&run, byok_test_cli_run_free);

  /* … and `keys list` shows that check. */
  run = cli (f, NULL, "keys", "list", "openai", "--json", NULL);
  g_assert_cmpint (run->status, ==, 0);
  root = json_from_string (run->out, &error);
  g_assert_no_error (error);
  openai = json_provider (root, "openai");
  keys = json_object_get_array_member (openai, "keys");
  g_assert_cmpuint (json_array_get_length (keys), ==, 1);
  key = json_array_get_object_element (keys, 0);
  g_assert_cmpstr (json_object_get_string_member (key, "source"), ==, "keyring");
  g_assert_cmpstr (json_object_get_string_member (key, "account"), ==, "default");
  g_assert_cmpstr (json_object_get_string_member (key, "masked"), ==, f->masked);
  g_assert_true (json_object_get_boolean_member (key, "active"));
  g_assert_false (json_object_get_null_member (key, "last_check"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (key, "last_check"),
                                                  "result"), ==, "ok");
  g_clear_pointer (&run, byok_test_cli_run_free);

  run = cli (f, NULL, "keys", "list", NULL);
  g_assert_nonnull (strstr (run->out, "valid, "));
  g_clear_pointer (&run, byok_test_cli_run_free);

  run = cli (f, NULL, "keys", "delete", "openai", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "Deleted"));
  g_clear_pointer (&run, byok_test_cli_run_free);

  run = cli (f, NULL, "keys", "list", "openai", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_null (strstr (run->out, f->masked));
  g_assert_nonnull (strstr (run->out, "not set"));
  g_clear_pointer (&run, byok_test_cli_run_free);

  run = cli (f, NULL, "keys", "delete", "openai", NULL);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_nonnull (strstr (run->err, "NO_KEY"));
}

/* A key given on the command line is refused, before anything stores or
 * echoes it. */
static void
test_key_argument_refused (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *option = g_strconcat ("--key=", f->key, NULL);
  g_autofree char *account = g_strconcat ("--account=", f->key, NULL);
  const char * const *cases[] = {
    (const char * const[]) { "keys", "set", "anthropic", f->key, NULL },
    (const char * const[]) { "keys", "set", f->key, NULL, NULL },
    (const char * const[]) { "keys", "set", "anthropic", option, NULL },
    (const char * const[]) { "keys", "set", account, "anthropic", NULL },
    (const char * const[]) { "keys", "delete", f->key, NULL, NULL },
    (const char * const[]) { "keys", f->key, NULL, NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char * const *a = cases[i];
      g_autoptr(ByokTestCliRun) run = cli (f, NULL, a[0], a[1], a[2], a[3], a[4], NULL);

      g_assert_cmpint (run->status, ==, 2);
      g_assert_nonnull (strstr (run->err, "never taken from the command line"));
    }

  /* A key without a known prefix (Mistral's are 32 letters and digits). */
  {
    g_autoptr(ByokTestCliRun) run = cli (f, NULL, "keys", "set", "mistral", "AbCdEf0123456789GhIjKl0123456789", NULL);

    g_assert_cmpint (run->status, ==, 2);
    g_assert_nonnull (strstr (run->err, "never taken from the command line"));
    g_assert_null (strstr (run->err, "AbCdEf0123456789"));
  }
  /* A long provider id is not taken for a key. */
  {
    g_autoptr(ByokTestCliRun) run = cli (f, NULL, "keys", "delete", "my-long-gateway-2024-eu", NULL);

    g_assert_cmpint (run->status, ==, 1);
    g_assert_nonnull (strstr (run->err, "no such provider"));
  }

  /* Nothing was stored. */
  {
    g_autoptr(ByokTestCliRun) run = cli (f, NULL, "keys", "list", "anthropic", NULL);

    g_assert_null (strstr (run->out, f->masked));
  }

  /* Other bad usage is named as such. */
  {
    g_autoptr(ByokTestCliRun) run = cli (f, NULL, "keys", "set", NULL);

    g_assert_cmpint (run->status, ==, 2);
  }
  {
    g_autoptr(ByokTestCliRun) run = cli (f, NULL, "keys", "set", "nope", NULL);

    g_assert_cmpint (run->status, ==, 1);
    g_assert_nonnull (strstr (run->err, "no provider “nope”"));
  }
  {
    g_autoptr(ByokTestCliRun) run = cli (f, NULL, "keys", "frobnicate", NULL);

    g_assert_cmpint (run->status, ==, 2);
  }
}

/* An OpenAI key given to Anthropic, quoted: the quotes are removed, the
 * warning names the problem (masked), the key is saved all the same. */
static void
test_format_warnings (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *input = g_strconcat ("\"", f->key, "\"", NULL);
  g_autoptr(ByokTestCliRun) run = NULL;

  run = cli (f, input, "keys", "set", "anthropic", "--account", "work", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->err, "quotes"));
  g_assert_nonnull (strstr (run->err, "sk-ant-"));
  g_assert_nonnull (strstr (run->out, f->masked));
  g_clear_pointer (&run, byok_test_cli_run_free);

  run = cli (f, NULL, "keys", "list", "anthropic", NULL);
  g_assert_nonnull (strstr (run->out, "work"));
  g_assert_nonnull (strstr (run->out, f->masked));
  g_clear_pointer (&run, byok_test_cli_run_free);

  /* An empty input stores nothing. */
  run = cli (f, "   \n", "keys", "set", "anthropic", NULL);
  g_assert_cmpint (run->status, ==, 1);
  g_clear_pointer (&run, byok_test_cli_run_free);

  run = cli (f, NULL, "keys", "delete", "anthropic", "--account", "work", NULL);
  g_assert_cmpint (run->status, ==, 0);
}

/* With a key stored and tested through the CLI, no file under HOME and the
 * XDG dirs holds it (the database, its WAL, settings, caches). */
static void
test_key_in_no_file (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *middle = g_strndup (f->key + 8, 16);
  g_autoptr(ByokTestCliRun) run = NULL;
  guint n_files = 0;

  if (g_strcmp0 (g_getenv ("BYOK_TEST_SESSION_INNER"), "1") != 0)
    {
      g_test_skip ("walks HOME and the XDG dirs: run it inside build-aux/test-session");
      return;
    }

  run = cli (f, f->key, "keys", "set", "openai", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_clear_pointer (&run, byok_test_cli_run_free);
  run = cli (f, NULL, "keys", "test", "openai", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_clear_pointer (&run, byok_test_cli_run_free);

  n_files = byok_test_assert_in_no_file (f->key, middle);
  /* The run's database was among the files read. */
  g_assert_cmpuint (n_files, >, 0);

  run = cli (f, NULL, "keys", "delete", "openai", NULL);
  g_assert_cmpint (run->status, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cli-keys/set-list-test-delete", test_set_list_test_delete);
  ADD ("/cli-keys/key-argument-refused", test_key_argument_refused);
  ADD ("/cli-keys/format-warnings", test_format_warnings);
  ADD ("/cli-keys/key-in-no-file", test_key_in_no_file);
#undef ADD

  return g_test_run ();
}
