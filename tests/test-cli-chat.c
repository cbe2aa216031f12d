/* test-cli-chat.c — byok-cli's providers, models and chat, run as a
 * subprocess ($BYOK_CLI) against the provider test server in this process.
 * The subprocess gets fake keys in its environment, its own XDG folders and
 * no keyring (an unreachable D-Bus): keys come from the environment only. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "byok-catalog.h"
#include "byok-database.h"
#include "byok-test-server.h"
#include "byok-usage-store.h"

#define OPENAI_KEY   "sk-test-fake-cli-openai-0123456789"
#define MOONSHOT_KEY "sk-test-fake-cli-moonshot-0123456789"

typedef struct {
  ByokTestServer *server;
  char           *dir;
  char          **env;
} Fixture;

typedef struct {
  gboolean  done;
  char     *out;
  char     *err;
  int       status;
  GError   *error;
} Run;

static char *
read_fixture (const char *dialect,
              const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", dialect, name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static ByokTestReply *
sse_reply (const char *dialect,
           const char *name)
{
  g_autofree char *body = read_fixture (dialect, name);
  ByokTestReply *reply = byok_test_reply_new (200);

  byok_test_reply_add_header (reply, "Content-Type", "text/event-stream");
  byok_test_reply_add_chunk (reply, body);
  byok_test_reply_set_split (reply, 17);
  return reply;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  char **env = g_get_environ ();
  g_autofree char *data_home = NULL;

  f->server = byok_test_server_new ();
  f->dir = g_dir_make_tmp ("byok-test-cli-chat-XXXXXX", &error);
  g_assert_no_error (error);

  /* No key of the developer's, nor of another test, may leak in. */
  names = g_listenv ();
  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_has_suffix (names[i], "_API_KEY") || g_str_has_prefix (names[i], "BYOK_BASE_URL_"))
      env = g_environ_unsetenv (env, names[i]);

  data_home = g_build_filename (f->dir, "data", NULL);
  env = g_environ_setenv (env, "HOME", f->dir, TRUE);
  env = g_environ_setenv (env, "XDG_DATA_HOME", data_home, TRUE);
  env = g_environ_setenv (env, "XDG_CONFIG_HOME", f->dir, TRUE);
  env = g_environ_setenv (env, "XDG_CACHE_HOME", f->dir, TRUE);
  env = g_environ_setenv (env, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/byok-test-bus", TRUE);
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  env = g_environ_setenv (env, "LANGUAGE", "", TRUE);
  env = g_environ_unsetenv (env, "G_MESSAGES_DEBUG");
  env = g_environ_setenv (env, "OPENAI_API_KEY", OPENAI_KEY, TRUE);
  env = g_environ_setenv (env, "MOONSHOT_API_KEY", MOONSHOT_KEY, TRUE);
  f->env = env;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->server);
  remove_tree (f->dir);
  g_free (f->dir);
  g_strfreev (f->env);
}

static void
set_env (Fixture    *f,
         const char *name,
         const char *value)
{
  f->env = g_environ_setenv (f->env, name, value, TRUE);
}

static char *
server_url (Fixture    *f,
            const char *suffix)
{
  return g_strconcat (byok_test_server_get_url (f->server), suffix, NULL);
}

static GSubprocess *
spawn (Fixture             *f,
       GSubprocessFlags     flags,
       const char * const  *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("BYOK_CLI");
  GSubprocess *process;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_environ (launcher, f->env);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

static void
communicated (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Run *run = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &run->out, &run->err, &run->error);
  run->done = TRUE;
}

static void
assert_no_key_in (const char *text)
{
  g_assert_null (strstr (text, OPENAI_KEY));
  g_assert_null (strstr (text, MOONSHOT_KEY));
  g_assert_null (strstr (text, "0123456789abcdef"));
}

/* Runs byok-cli with @args (NULL-terminated) and @input on stdin, serving
 * the test server meanwhile. */
static Run *
run_cli (Fixture    *f,
         const char *input,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  Run *run = g_new0 (Run, 1);
  va_list ap;

  va_start (ap, input);
  for (const char *arg = va_arg (ap, const char *); arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  process = spawn (f, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                      G_SUBPROCESS_FLAGS_STDERR_PIPE,
                   (const char * const *) args->pdata);
  g_subprocess_communicate_utf8_async (process, input != NULL ? input : "", NULL, communicated, run);
  while (!run->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (run->error);
  g_subprocess_wait (process, NULL, NULL);
  run->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  if (g_test_verbose ())
    g_printerr ("--- stdout\n%s--- stderr\n%s--- exit %d\n", run->out, run->err, run->status);
  assert_no_key_in (run->out);
  assert_no_key_in (run->err);
  return run;
}

static void
run_free (Run *run)
{
  g_free (run->out);
  g_free (run->err);
  g_clear_error (&run->error);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static JsonObject *
parse_object (const char  *text,
              JsonParser **parser_out)
{
  JsonParser *parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  *parser_out = parser;
  return json_node_get_object (json_parser_get_root (parser));
}

/* ---- chat ---------------------------------------------------------------- */

static void
test_chat_streams (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *base = server_url (f, "/v1");
  g_autoptr(Run) run = NULL;
  ByokTestRequest *req;

  byok_test_server_require_key (f->server, "Authorization", "Bearer " OPENAI_KEY);
  byok_test_server_add_reply (f->server, "/v1/chat/completions", sse_reply ("openai", "openai-stream.sse"));
  run = run_cli (f, NULL, "chat", "-m", "openai/gpt-4o-mini", "--base-url", base, "What", "is", "the", "capital?", NULL);

  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->out, ==, "The capital of France is Paris — ça va.\n");
  g_assert_nonnull (strstr (run->err, "openai/gpt-4o-mini"));
  g_assert_nonnull (strstr (run->err, "1234 in (1024 cached) / 89 out"));
  g_assert_nonnull (strstr (run->err, " · $0.000"));
  req = byok_test_server_get_last_request (f->server);
  g_assert_nonnull (strstr (g_bytes_get_data (req->body, NULL), "What is the capital?"));
}

static void
test_chat_json_records_usage (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *base = server_url (f, "/v1");
  g_autoptr(Run) run = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *db_path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(ByokDatabase) db = NULL;
  g_autoptr(ByokUsageStore) store = NULL;
  JsonObject *root, *usage, *attempt;
  JsonArray *attempts;

  byok_test_server_add_reply (f->server, "/v1/chat/completions", sse_reply ("openai", "openai-stream.sse"));
  run = run_cli (f, NULL, "chat", "--json", "-m", "openai/gpt-4o-mini", "--base-url", base, "hello", NULL);
  g_assert_cmpint (run->status, ==, 0);

  root = parse_object (run->out, &parser);
  g_assert_cmpstr (json_object_get_string_member (root, "provider"), ==, "openai");
  g_assert_cmpstr (json_object_get_string_member (root, "model"), ==, "gpt-4o-mini");
  g_assert_cmpstr (json_object_get_string_member (root, "text"), ==, "The capital of France is Paris — ça va.");
  g_assert_cmpstr (json_object_get_string_member (root, "finish_reason"), ==, "stop");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (root, "error")));
  g_assert_cmpfloat (json_object_get_double_member (root, "cost_usd"), >, 0);
  g_assert_cmpint (json_object_get_int_member (root, "latency_ms"), >=, 0);
  g_assert_cmpint (json_object_get_int_member (root, "ttft_ms"), >=, 0);
  usage = json_object_get_object_member (root, "usage");
  g_assert_cmpint (json_object_get_int_member (usage, "input_tokens"), ==, 1234);
  g_assert_cmpint (json_object_get_int_member (usage, "cached_input_tokens"), ==, 1024);
  g_assert_cmpint (json_object_get_int_member (usage, "output_tokens"), ==, 89);
  attempts = json_object_get_array_member (root, "attempts");
  g_assert_cmpuint (json_array_get_length (attempts), ==, 1);
  attempt = json_array_get_object_element (attempts, 0);
  g_assert_cmpint (json_object_get_int_member (attempt, "http_status"), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (attempt, "status"), ==, "ok");

  /* The call is in the subprocess's database, with the same cost. */
  db_path = g_build_filename (f->dir, "data", "byok", "byok.db", NULL);
  db = byok_database_open (db_path, &error);
  g_assert_no_error (error);
  store = byok_usage_store_new (db);
  rows = byok_usage_store_list_recent (store, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_true (((ByokUsageRecord *) g_ptr_array_index (rows, 0))->price_known);
  g_assert_cmpfloat_with_epsilon (((ByokUsageRecord *) g_ptr_array_index (rows, 0))->cost_usd,
                                  json_object_get_double_member (root, "cost_usd"), 1e-9);
}

static void
test_chat_auth_error (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *base = server_url (f, "/v1");
  g_autofree char *body = read_fixture ("openai", "error-invalid-key.json");
  g_autoptr(Run) run = NULL;
  g_autoptr(Run) json_run = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *root;

  /* The provider echoes part of the key; byok-cli must not. */
  byok_test_server_add_reply (f->server, "/v1/chat/completions", byok_test_reply_new_json (401, body));
  run = run_cli (f, NULL, "chat", "-m", "openai/gpt-4o-mini", "--base-url", base, "hello", NULL);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_nonnull (strstr (run->err, "[AUTH]"));
  g_assert_nonnull (strstr (run->err, "OpenAI"));
  g_assert_null (strstr (run->err, "sk-test-fake-0123456789abcdefABCDEF"));

  byok_test_server_add_reply (f->server, "/v1/chat/completions", byok_test_reply_new_json (401, body));
  json_run = run_cli (f, NULL, "chat", "--json", "-m", "openai/gpt-4o-mini", "--base-url", base, "hello", NULL);
  g_assert_cmpint (json_run->status, ==, 1);
  root = parse_object (json_run->out, &parser);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "error"), "class"), ==, "AUTH");
  /* A rejected call costs nothing. */
  g_assert_cmpfloat (json_object_get_double_member (root, "cost_usd"), ==, 0);
}

static void
test_chat_env_base_url_and_stdin (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *base = server_url (f, "/v1");
  g_autoptr(Run) run = NULL;
  ByokTestRequest *req;

  set_env (f, "BYOK_BASE_URL_OPENAI", base);
  byok_test_server_add_reply (f->server, "/v1/chat/completions", sse_reply ("openai", "openai-stream.sse"));
  run = run_cli (f, "A prompt from stdin\n", "chat", "-m", "gpt-4o-mini", "--system", "Be terse.",
                 "--temperature", "0.5", "--max-tokens", "50", NULL);

  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->out, ==, "The capital of France is Paris — ça va.\n");
  req = byok_test_server_get_last_request (f->server);
  g_assert_nonnull (strstr (g_bytes_get_data (req->body, NULL), "A prompt from stdin"));
  g_assert_nonnull (strstr (g_bytes_get_data (req->body, NULL), "Be terse."));
  g_assert_cmpstr (soup_message_headers_get_one (req->headers, "Authorization"), ==, "Bearer " OPENAI_KEY);
}

static void
test_chat_fallback (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *openai = server_url (f, "/v1");
  g_autofree char *moonshot = server_url (f, "/moonshot/v1");
  g_autofree char *body = read_fixture ("openai", "error-rate-limit.json");
  ByokTestReply *limited = byok_test_reply_new_json (429, body);
  g_autoptr(Run) run = NULL;

  byok_test_reply_add_header (limited, "Retry-After", "3600");
  set_env (f, "BYOK_BASE_URL_MOONSHOT", moonshot);
  byok_test_server_add_reply (f->server, "/v1/chat/completions", limited);
  byok_test_server_add_reply (f->server, "/moonshot/v1/chat/completions", sse_reply ("openai", "moonshot-stream.sse"));
  run = run_cli (f, NULL, "chat", "-m", "openai/gpt-4o-mini", "--base-url", openai,
                 "--fallback", "moonshot/kimi-k2-0905-preview", "hello", NULL);

  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpuint (strlen (run->out), >, 0);
  g_assert_nonnull (strstr (run->err, "moonshot/kimi-k2-0905-preview"));
  g_assert_nonnull (strstr (run->err, "OpenAI 429 → answered by Moonshot"));
}

typedef struct {
  GSubprocess *process;
  GString     *out;
  gboolean     signalled;
  gboolean     eof;
} Interrupt;

static void read_some (GInputStream *in, Interrupt *it);

static void
read_some_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Interrupt *it = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      it->eof = TRUE;
      return;
    }
  g_string_append_len (it->out, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (!it->signalled)
    {
      it->signalled = TRUE;
      g_subprocess_send_signal (it->process, SIGINT);
    }
  read_some (G_INPUT_STREAM (source), it);
}

static void
read_some (GInputStream *in,
           Interrupt    *it)
{
  g_input_stream_read_bytes_async (in, 4096, G_PRIORITY_DEFAULT, NULL, read_some_done, it);
}

static void
test_chat_ctrl_c (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *base = server_url (f, "/v1");
  const char *args[] = { "chat", "-m", "openai/gpt-4o-mini", "--base-url", NULL, "tell", "a", "story", NULL };
  ByokTestReply *reply = byok_test_reply_new_sse (
    "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Once upon a time\"},\"finish_reason\":null}]}",
    "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\" there was\"},\"finish_reason\":null}]}",
    "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\" a very\"},\"finish_reason\":null}]}",
    "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\" long story.\"},\"finish_reason\":\"stop\"}]}",
    "[DONE]",
    NULL);
  Interrupt it = { 0, };

  args[4] = base;
  byok_test_reply_set_delay_ms (reply, 0, 1500);
  byok_test_server_add_reply (f->server, "/v1/chat/completions", reply);
  it.out = g_string_new (NULL);
  it.process = spawn (f, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, args);
  read_some (g_subprocess_get_stdout_pipe (it.process), &it);
  while (!it.eof)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_wait (it.process, NULL, NULL);

  g_assert_true (it.signalled);
  g_assert_true (g_subprocess_get_if_exited (it.process));
  g_assert_cmpint (g_subprocess_get_exit_status (it.process), ==, 130);
  /* What arrived before Ctrl+C is kept, and no more. */
  g_assert_true (g_str_has_prefix (it.out->str, "Once upon a time"));
  g_assert_null (strstr (it.out->str, "long story"));
  g_object_unref (it.process);
  g_string_free (it.out, TRUE);
}

static void
test_chat_usage_errors (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Run) no_model = run_cli (f, NULL, "chat", "hello", NULL);
  g_autoptr(Run) unknown = run_cli (f, NULL, "chat", "-m", "no-such-model-anywhere", "hello", NULL);
  g_autoptr(Run) no_key = NULL;

  g_assert_cmpint (no_model->status, ==, 2);
  g_assert_cmpint (unknown->status, ==, 1);
  g_assert_nonnull (strstr (unknown->err, "[INVALID]"));

  /* No environment key, and no keyring to look in (see fixture_setup). */
  no_key = run_cli (f, NULL, "chat", "-m", "xai/grok-4-0709", "hello", NULL);
  g_assert_cmpint (no_key->status, ==, 1);
  g_assert_nonnull (strstr (no_key->err, "[KEYRING]"));
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 0);
}

/* ---- providers and models ------------------------------------------------- */

static void
test_providers (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(ByokCatalog) catalog = byok_catalog_new_default ();
  GPtrArray *providers = byok_catalog_get_providers (catalog);
  g_autoptr(Run) run = run_cli (f, NULL, "providers", NULL);
  g_autoptr(Run) json = run_cli (f, NULL, "providers", "--json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  g_assert_cmpint (run->status, ==, 0);
  for (guint i = 0; i < providers->len; i++)
    {
      ByokProvider *provider = g_ptr_array_index (providers, i);
      g_autofree char *row_start = g_strdup_printf ("\n%s ", byok_provider_get_id (provider));

      g_assert_nonnull (strstr (run->out, row_start));
      g_assert_nonnull (strstr (run->out, byok_provider_get_name (provider)));
    }
  g_assert_nonnull (strstr (run->out, "environment OPENAI_API_KEY"));
  g_assert_nonnull (strstr (run->out, "environment MOONSHOT_API_KEY"));
  g_assert_nonnull (strstr (run->out, "not needed"));

  g_assert_cmpint (json->status, ==, 0);
  json_parser_load_from_data (parser, json->out, -1, &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, providers->len);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "key_source"),
                   ==, "environment");
}

static void
test_models (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(Run) moonshot = run_cli (f, NULL, "models", "moonshot", NULL);
  g_autoptr(Run) coding = run_cli (f, NULL, "models", "--for", "coding", NULL);
  g_autoptr(Run) bad = run_cli (f, NULL, "models", "--for", "juggling", NULL);
  g_autoptr(Run) unknown = run_cli (f, NULL, "models", "nosuchprovider", NULL);

  g_assert_cmpint (moonshot->status, ==, 0);
  g_assert_nonnull (strstr (moonshot->out, "kimi-k2-0905-preview"));
  g_assert_nonnull (strstr (moonshot->out, "262k"));
  g_assert_cmpint (coding->status, ==, 0);
  g_assert_nonnull (strstr (coding->out, "PROVIDER"));
  g_assert_nonnull (strstr (coding->out, "coding"));
  g_assert_cmpint (bad->status, ==, 2);
  g_assert_cmpint (unknown->status, ==, 1);
}

static void
test_models_refresh (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *base = server_url (f, "/v1");
  g_autoptr(Run) run = NULL;

  set_env (f, "BYOK_BASE_URL_OPENAI", base);
  byok_test_server_require_key (f->server, "Authorization", "Bearer " OPENAI_KEY);
  byok_test_server_add_reply (f->server, "/v1/models", byok_test_reply_new_json (200,
    "{\"object\": \"list\", \"data\": [{\"id\": \"gpt-4o-mini\"}, {\"id\": \"gpt-test-live-only\"}]}"));
  run = run_cli (f, NULL, "models", "openai", "--refresh", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "gpt-test-live-only"));
  g_assert_nonnull (strstr (run->out, "gpt-4o-mini"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/cli/chat/streams", test_chat_streams);
  ADD ("/cli/chat/json-records-usage", test_chat_json_records_usage);
  ADD ("/cli/chat/auth-error", test_chat_auth_error);
  ADD ("/cli/chat/env-base-url-and-stdin", test_chat_env_base_url_and_stdin);
  ADD ("/cli/chat/fallback", test_chat_fallback);
  ADD ("/cli/chat/ctrl-c", test_chat_ctrl_c);
  ADD ("/cli/chat/usage-errors", test_chat_usage_errors);
  ADD ("/cli/providers", test_providers);
  ADD ("/cli/models/catalog", test_models);
  ADD ("/cli/models/refresh", test_models_refresh);

  return g_test_run ();
}
