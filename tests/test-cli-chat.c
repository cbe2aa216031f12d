/* test-cli-chat.c — byok-cli's providers, models and chat, run as a
 * subprocess ($BYOK_CLI) against the provider test server in this process.
 * The subprocess gets fake keys in its environment, its own XDG folders and
 * no keyring (an unreachable D-Bus): keys come from the environment only. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "byok-catalog.h"
#include "byok-database.h"
#include "byok-test-replies.h"
#include "byok-test-cli.h"
#include "byok-test-media.h"
#include "byok-test-server.h"
#include "byok-test-util.h"
#include "byok-usage-store.h"

#define OPENAI_KEY   "sk-test-fake-cli-openai-0123456789"
#define MOONSHOT_KEY "sk-test-fake-cli-moonshot-0123456789"

typedef ByokTestCliFixture Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  byok_test_cli_fixture_set_up (f, "cli-chat");
  /* No keyring to look in, and the environment's keys. */
  f->env = g_environ_setenv (f->env, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/byok-test-bus", TRUE);
  f->env = g_environ_setenv (f->env, "OPENAI_API_KEY", OPENAI_KEY, TRUE);
  f->env = g_environ_setenv (f->env, "MOONSHOT_API_KEY", MOONSHOT_KEY, TRUE);
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

static void
assert_no_key_in (const char *text)
{
  g_assert_null (strstr (text, OPENAI_KEY));
  g_assert_null (strstr (text, MOONSHOT_KEY));
  g_assert_null (strstr (text, "0123456789abcdef"));
}

/* Runs byok-cli with @args and @input on stdin, serving the test server
 * meanwhile. */
static ByokTestCliRun *
run_cli_argv (Fixture            *f,
              const char         *input,
              const char * const *args)
{
  ByokTestCliRun *run = byok_test_cli_run ((const char * const *) f->env, input, args);

  assert_no_key_in (run->out);
  assert_no_key_in (run->err);
  return run;
}

/* run_cli_argv() with the arguments after @input, up to NULL. */
static ByokTestCliRun *
run_cli (Fixture    *f,
         const char *input,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, input);
  for (const char *arg = va_arg (ap, const char *); arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return run_cli_argv (f, input, (const char * const *) args->pdata);
}

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

/* OpenAI answers the next chat with its recorded stream */
static void
add_openai_answer (Fixture *f)
{
  byok_test_server_add_reply (f->server, "/v1/chat/completions",
                              byok_test_reply_new_sse_fixture ("openai", "openai-stream.sse", 17));
}

/* The database at @path, which must open */
static ByokDatabase *
open_database (const char *path)
{
  g_autoptr(GError) error = NULL;
  ByokDatabase *db = byok_database_open (path, &error);

  g_assert_no_error (error);
  return db;
}

/* The calls in the subprocess's database, the latest first */
static GPtrArray *
cli_rows (Fixture *f)
{
  g_autofree char *db_path = g_build_filename (f->dir, "data", "byok", "byok.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokDatabase) db = open_database (db_path);
  g_autoptr(ByokUsageStore) store = byok_usage_store_new (db);
  GPtrArray *rows = byok_usage_store_list_recent (store, 10, &error);

  g_assert_no_error (error);
  return rows;
}

/* ---- chat ---------------------------------------------------------------- */

static void
test_chat_streams (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *base = server_url (f, "/v1");
  g_autoptr(ByokTestCliRun) run = NULL;
  ByokTestRequest *req;

  byok_test_server_require_key (f->server, "Authorization", "Bearer " OPENAI_KEY);
  add_openai_answer (f);
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
  g_autoptr(ByokTestCliRun) run = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  JsonObject *root, *usage, *attempt;
  JsonArray *attempts;

  add_openai_answer (f);
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
  rows = cli_rows (f);
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
  g_autofree char *body = byok_test_read_fixture ("openai", "error-invalid-key.json");
  g_autoptr(ByokTestCliRun) run = NULL;
  g_autoptr(ByokTestCliRun) json_run = NULL;
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
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "error"), "class"), ==, "auth");
  /* A rejected call costs nothing. */
  g_assert_cmpfloat (json_object_get_double_member (root, "cost_usd"), ==, 0);
}

/* A key of no known shape, repeated whole by the server in every answer:
 * neither stdout nor stderr — debug lines included — holds any of it, for
 * a chat (plain and --json), a model listing and a key check. */
#define ECHOED_KEY "k5Tr2qTestFake-Hy6u-c9Nw1"

static void
assert_no_echoed_key (const ByokTestCliRun *run)
{
  for (gsize i = 0; i + 6 <= strlen (ECHOED_KEY); i++)
    {
      g_autofree char *part = g_strndup (ECHOED_KEY + i, 6);

      if (strstr (run->out, part) != NULL || strstr (run->err, part) != NULL)
        g_error ("byok-cli printed “%s” of the key:\n%s\n%s", part, run->out, run->err);
    }
}

static void
test_echoed_key (Fixture       *f,
                 gconstpointer  data)
{
  const char *commands[][8] = {
    { "chat", "-m", "openai/gpt-4o-mini", "--retries", "0", "hello", NULL },
    { "chat", "--json", "-m", "openai/gpt-4o-mini", "--retries", "0", "hello", NULL },
    { "models", "openai", "--remote", NULL },
    { "keys", "test", "openai", NULL },
  };
  g_autofree char *base = server_url (f, "/v1");
  ByokTestReply *reply;

  set_env (f, "OPENAI_API_KEY", ECHOED_KEY);
  set_env (f, "BYOK_BASE_URL_OPENAI", base);
  set_env (f, "G_MESSAGES_DEBUG", "all");
  reply = byok_test_reply_new_json (401,
    "{\"error\": {\"message\": \"Incorrect API key provided: " ECHOED_KEY " (Bearer " ECHOED_KEY ")\", "
    "\"type\": \"" ECHOED_KEY "\", \"code\": \"invalid_api_key\"}}");
  byok_test_reply_set_repeat (reply, TRUE);
  byok_test_server_add_reply (f->server, "*", reply);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      g_autoptr(ByokTestCliRun) run = NULL;

      for (guint j = 0; commands[i][j] != NULL; j++)
        g_ptr_array_add (args, (char *) commands[i][j]);
      g_ptr_array_add (args, NULL);
      run = run_cli_argv (f, NULL, (const char * const *) args->pdata);
      g_assert_cmpint (run->status, ==, 1);
      g_assert_nonnull (strstr (run->out[0] != '\0' ? run->out : run->err, "Incorrect API key provided"));
      assert_no_echoed_key (run);
    }
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, G_N_ELEMENTS (commands));
}

/* JSON nested 100,000 deep used to kill byok-cli with SIGSEGV inside
 * json-glib: in a streamed event, a whole answer, an error body, a model
 * list. Each is now a classified error (exit 1), the text so far kept. */
static void
test_chat_hostile_nesting (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *base = server_url (f, "/v1");
  g_autofree char *deep = byok_test_deep_json (100000);
  g_autofree char *deep_event = g_strdup_printf ("data: %s\n\n", deep);
  g_autoptr(ByokTestCliRun) streamed = NULL;
  g_autoptr(ByokTestCliRun) whole = NULL;
  g_autoptr(ByokTestCliRun) error_body = NULL;
  g_autoptr(ByokTestCliRun) models = NULL;
  ByokTestReply *reply = byok_test_reply_new (200);

  byok_test_reply_add_header (reply, "Content-Type", "text/event-stream");
  byok_test_reply_add_chunk (reply, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Kept so far.\"}}]}\n\n");
  byok_test_reply_add_chunk (reply, deep_event);
  byok_test_reply_add_chunk (reply, "data: [DONE]\n\n");
  byok_test_server_add_reply (f->server, "/v1/chat/completions", reply);
  streamed = run_cli (f, NULL, "chat", "--retries", "0", "-m", "openai/gpt-4o-mini", "--base-url", base, "hi", NULL);
  g_assert_cmpint (streamed->status, ==, 1);
  g_assert_true (g_str_has_prefix (streamed->out, "Kept so far."));
  g_assert_nonnull (strstr (streamed->err, "nested more than 256 levels"));
  g_assert_nonnull (strstr (streamed->err, "[MALFORMED]"));

  byok_test_server_add_reply (f->server, "/v1/chat/completions", byok_test_reply_new_json (200, deep));
  whole = run_cli (f, NULL, "chat", "--retries", "0", "--no-stream", "-m", "openai/gpt-4o-mini", "--base-url", base,
                   "hi", NULL);
  g_assert_cmpint (whole->status, ==, 1);
  g_assert_nonnull (strstr (whole->err, "[MALFORMED]"));

  byok_test_server_add_reply (f->server, "/v1/chat/completions", byok_test_reply_new_json (500, deep));
  error_body = run_cli (f, NULL, "chat", "--retries", "0", "-m", "openai/gpt-4o-mini", "--base-url", base, "hi", NULL);
  g_assert_cmpint (error_body->status, ==, 1);
  g_assert_nonnull (strstr (error_body->err, "[SERVER]"));

  byok_test_server_add_reply (f->server, "/v1/models", byok_test_reply_new_json (200, deep));
  models = run_cli (f, NULL, "models", "openai", "--remote", "--base-url", base, NULL);
  g_assert_cmpint (models->status, ==, 1);
  g_assert_nonnull (strstr (models->err, "nested more than 256 levels"));
}

/* A key is not sent over plain HTTP to another computer unless
 * --allow-http says so. The other computer here is 0.0.0.0: not a
 * loopback address as written, so Byok refuses it; once allowed, Linux
 * connects to it on this computer, where the test server listens. */
static void
test_allow_http (Fixture       *f,
                 gconstpointer  data)
{
  const char *commands[][8] = {
    { "chat", "-m", "openai/gpt-4o-mini", "--retries", "0", "hello", NULL },
    { "models", "openai", "--remote", NULL },
    { "keys", "test", "openai", NULL },
  };
  g_autofree char *base = g_strdup_printf ("http://0.0.0.0:%s/v1",
                                           strrchr (byok_test_server_get_url (f->server), ':') + 1);
  ByokTestReply *models = byok_test_reply_new_json (200, "{\"object\": \"list\", \"data\": [{\"id\": \"gpt-4o-mini\"}]}");

  set_env (f, "BYOK_BASE_URL_OPENAI", base);
  byok_test_server_require_key (f->server, "Authorization", "Bearer " OPENAI_KEY);
  byok_test_reply_set_repeat (models, TRUE);
  byok_test_server_add_reply (f->server, "/v1/models", models);
  add_openai_answer (f);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      g_autoptr(ByokTestCliRun) refused = NULL;
      g_autoptr(ByokTestCliRun) allowed = NULL;

      for (guint j = 0; commands[i][j] != NULL; j++)
        g_ptr_array_add (args, (char *) commands[i][j]);
      g_ptr_array_add (args, NULL);
      refused = run_cli_argv (f, NULL, (const char * const *) args->pdata);
      g_assert_cmpint (refused->status, ==, 1);
      g_assert_nonnull (strstr (refused->err, "[INSECURE]"));
      g_assert_nonnull (strstr (refused->err, "0.0.0.0"));
      g_assert_nonnull (strstr (refused->err, "--allow-http"));
      g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, i);

      g_ptr_array_insert (args, args->len - 1, (char *) "--allow-http");
      allowed = run_cli_argv (f, NULL, (const char * const *) args->pdata);
      g_assert_cmpint (allowed->status, ==, 0);
      g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, i + 1);
    }
}

static void
test_chat_env_base_url_and_stdin (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *base = server_url (f, "/v1");
  g_autoptr(ByokTestCliRun) run = NULL;
  ByokTestRequest *req;

  set_env (f, "BYOK_BASE_URL_OPENAI", base);
  add_openai_answer (f);
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
  g_autofree char *body = byok_test_read_fixture ("openai", "error-rate-limit.json");
  ByokTestReply *limited = byok_test_reply_new_json (429, body);
  g_autoptr(ByokTestCliRun) run = NULL;

  byok_test_reply_add_header (limited, "Retry-After", "3600");
  set_env (f, "BYOK_BASE_URL_MOONSHOT", moonshot);
  byok_test_server_add_reply (f->server, "/v1/chat/completions", limited);
  byok_test_server_add_reply (f->server, "/moonshot/v1/chat/completions", byok_test_reply_new_sse_fixture ("openai", "moonshot-stream.sse", 17));
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
  int          signal;       /* sent once text arrives; 0: none */
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
  if (!it->signalled && it->signal != 0)
    {
      it->signalled = TRUE;
      g_subprocess_send_signal (it->process, it->signal);
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
  it.signal = SIGINT;
  it.out = g_string_new (NULL);
  it.process = byok_test_cli_spawn ((const char * const *) f->env, -1,
                                    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, args);
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
  g_autoptr(ByokTestCliRun) no_model = run_cli (f, NULL, "chat", "hello", NULL);
  g_autoptr(ByokTestCliRun) unknown = run_cli (f, NULL, "chat", "-m", "no-such-model-anywhere", "hello", NULL);
  g_autoptr(ByokTestCliRun) no_key = NULL;
  /* Each is bad usage (2), and nothing reaches a provider. */
  const char * const bad[][8] = {
    { "chat", "-p", "openai", "hello", NULL },                              /* no -m */
    { "chat", "-p", "nosuchprovider", "-m", "gpt-4o", "hello", NULL },     /* unknown provider */
    { "chat", "-m", "nosuchprovider:some-model", "hello", NULL },          /* unknown provider */
    { "chat", "-m", "openai/gpt-4o-mini", "--temperature", "abc", "hello", NULL },
    { "chat", "-m", "openai/gpt-4o-mini", "--temperature", "2.5", "hello", NULL },
    { "chat", "-m", "openai/gpt-4o-mini", "--temperature", "nan", "hello", NULL },
    { "chat", "-m", "openai/gpt-4o-mini", "--temperature", "-1", "hello", NULL },
    { "chat", "-m", "openai/gpt-4o-mini", "--max-tokens", "0", "hello", NULL },
    { "chat", "-m", "openai/gpt-4o-mini", "--max-tokens", "many", "hello", NULL },
    { "chat", "-m", "openai/gpt-4o-mini", "--retries", "-1", "hello", NULL },
    { "chat", "-m", "openai/gpt-5", "--effort", "extreme", "hello", NULL },
    { "chat", "-m", "openai/gpt-5", "--effort", "", "hello", NULL },
    { "chat", "-m", "openai/gpt-4o-mini", "--base-url", "ftp://example.com", "hello", NULL },
    { "chat", "-m", "openai/gpt-4o-mini", "--fallback", "nosuch:model,also-unknown", "hello", NULL },
    { "chat", "-m", "openai/gpt-4o-mini", "--no-such-option", "hello", NULL },
    { "chat", "-m", "openai/gpt-4o-mini", "-", "hello", NULL },            /* "-" not alone */
    { "chat", "-m", "openai/gpt-4o-mini", NULL },                           /* empty stdin */
  };

  g_assert_cmpint (no_model->status, ==, 2);
  g_assert_cmpint (unknown->status, ==, 2);
  g_assert_nonnull (strstr (unknown->err, "no-such-model-anywhere"));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GSubprocess) process = byok_test_cli_spawn ((const char * const *) f->env, -1,
                                                            G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                            G_SUBPROCESS_FLAGS_STDERR_PIPE, bad[i]);
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autoptr(GError) error = NULL;

      g_subprocess_communicate_utf8 (process, "", NULL, &out, &err, &error);
      g_assert_no_error (error);
      if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 2)
        g_error ("case %u: exit %d, expected 2; stderr: %s", i, g_subprocess_get_exit_status (process), err);
      g_assert_cmpstr (out, ==, "");
      g_assert_cmpuint (strlen (err), >, 0);
    }

  /* No environment key, and no keyring to look in (see fixture_setup). */
  no_key = run_cli (f, NULL, "chat", "-m", "xai/grok-4-0709", "hello", NULL);
  g_assert_cmpint (no_key->status, ==, 1);
  g_assert_nonnull (strstr (no_key->err, "[KEYRING]"));
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 0);
}

/* --effort and --temperature go out as the model takes them, and stderr
 * says what was left out (issue 12, item 10). */
static void
test_chat_effort (Fixture       *f,
                  gconstpointer  data)
{
  static const struct {
    const char *model;
    const char *temperature;
    const char *effort;
    const char *in_body;
    const char *not_in_body;
    const char *said;          /* on stderr */
  } cases[] = {
    /* a reasoning model: the effort, no temperature */
    { "openai/gpt-5", "0.7", "high", "\"reasoning_effort\":\"high\"", "\"temperature\"", "gpt-5 takes no temperature" },
    /* a chat model: its temperature, and the effort is said to be left out */
    { "openai/gpt-4o-mini", "0.5", "low", "\"temperature\":0.5", "reasoning_effort", "--effort is left out" },
  };
  g_autofree char *base = server_url (f, "/v1");

  byok_test_server_require_key (f->server, "Authorization", "Bearer " OPENAI_KEY);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ByokTestCliRun) run = NULL;
      const char *body;

      add_openai_answer (f);
      run = run_cli (f, NULL, "chat", "-m", cases[i].model, "--base-url", base,
                     "--temperature", cases[i].temperature, "--effort", cases[i].effort, "hello", NULL);
      g_assert_cmpint (run->status, ==, 0);
      body = g_bytes_get_data (byok_test_server_get_last_request (f->server)->body, NULL);
      g_assert_nonnull (strstr (body, cases[i].in_body));
      g_assert_null (strstr (body, cases[i].not_in_body));
      g_assert_nonnull (strstr (run->err, cases[i].said));
    }
}

static void
test_chat_provider_flag (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *base = server_url (f, "/v1");
  g_autofree char *whole = byok_test_read_fixture ("openai", "openai-response.json");
  g_autoptr(ByokTestCliRun) run = NULL;
  ByokTestRequest *req;

  byok_test_server_require_key (f->server, "Authorization", "Bearer " OPENAI_KEY);
  byok_test_server_add_reply (f->server, "/v1/chat/completions",
                              byok_test_reply_new_json (200, whole));
  run = run_cli (f, NULL, "chat", "-p", "openai", "-m", "gpt-4o-mini", "--base-url", base,
                 "--no-stream", "--system", "Be terse.", "--max-tokens", "64", "--temperature", "0.25",
                 "hello", NULL);

  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->out, ==, "Hello! How can I help you today?\n");
  req = byok_test_server_get_last_request (f->server);
  g_assert_nonnull (strstr (g_bytes_get_data (req->body, NULL), "\"model\":\"gpt-4o-mini\""));
  g_assert_nonnull (strstr (g_bytes_get_data (req->body, NULL), "Be terse."));
  g_assert_nonnull (strstr (g_bytes_get_data (req->body, NULL), "\"max_completion_tokens\":64"));
  g_assert_nonnull (strstr (g_bytes_get_data (req->body, NULL), "\"temperature\":0.25"));
  g_assert_null (strstr (g_bytes_get_data (req->body, NULL), "\"stream\":true"));
}

static void
test_chat_fallback_colon (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *openai = server_url (f, "/v1");
  g_autofree char *moonshot = server_url (f, "/moonshot/v1");
  g_autofree char *body = byok_test_read_fixture ("openai", "error-invalid-key.json");
  g_autoptr(ByokTestCliRun) run = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *root;
  JsonArray *attempts;

  set_env (f, "BYOK_BASE_URL_MOONSHOT", moonshot);
  byok_test_server_add_reply (f->server, "/v1/chat/completions", byok_test_reply_new_json (401, body));
  byok_test_server_add_reply (f->server, "/moonshot/v1/chat/completions", byok_test_reply_new_sse_fixture ("openai", "moonshot-stream.sse", 17));
  run = run_cli (f, NULL, "chat", "--json", "-p", "openai", "-m", "gpt-4o-mini", "--base-url", openai,
                 "--fallback", "nosuch-but-unused:x", "hello", NULL);
  /* A fallback naming no provider is bad usage, found before anything is sent. */
  g_assert_cmpint (run->status, ==, 2);
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 0);
  g_clear_pointer (&run, byok_test_cli_run_free);

  run = run_cli (f, NULL, "chat", "--json", "-p", "openai", "-m", "gpt-4o-mini", "--base-url", openai,
                 "--fallback", "moonshot:kimi-k2-0905-preview,openai/gpt-4o", "hello", NULL);
  g_assert_cmpint (run->status, ==, 0);
  root = parse_object (run->out, &parser);
  g_assert_cmpstr (json_object_get_string_member (root, "provider"), ==, "moonshot");
  g_assert_cmpstr (json_object_get_string_member (root, "model"), ==, "kimi-k2-0905-preview");
  attempts = json_object_get_array_member (root, "attempts");
  g_assert_cmpuint (json_array_get_length (attempts), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (attempts, 0), "provider"), ==, "openai");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (attempts, 0), "http_status"), ==, 401);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (attempts, 1), "provider"), ==, "moonshot");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (json_array_get_object_element (attempts, 1), "error")));
}

/* byok-cli chat --json with --retries @retries (NULL: the default),
 * against a new server that is always overloaded */
static ByokTestCliRun *
run_503 (Fixture    *f,
         const char *retries)
{
  g_autofree char *base = NULL;
  ByokTestReply *reply = byok_test_reply_new_json (503, "{\"error\": {\"message\": \"The engine is currently overloaded\", \"type\": \"server_error\"}}");

  g_clear_object (&f->server);
  f->server = byok_test_server_new ();
  base = server_url (f, "/v1");
  /* No wait between tries: Retry-After: 0. */
  byok_test_reply_add_header (reply, "Retry-After", "0");
  byok_test_reply_set_repeat (reply, TRUE);
  byok_test_server_add_reply (f->server, "/v1/chat/completions", reply);
  if (retries == NULL)
    return run_cli (f, NULL, "chat", "--json", "-m", "openai/gpt-4o-mini", "--base-url", base, "hello", NULL);
  return run_cli (f, NULL, "chat", "--json", "-m", "openai/gpt-4o-mini", "--base-url", base,
                  "--retries", retries, "hello", NULL);
}

static void
test_chat_retries (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(ByokTestCliRun) none = run_503 (f, "0");
  g_autoptr(ByokTestCliRun) one = NULL;
  g_autoptr(ByokTestCliRun) deflt = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *root;
  JsonObject *error;

  /* --retries 0: the 503 is not retried; one request reaches the server. */
  g_assert_cmpint (none->status, ==, 1);
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 1);
  root = parse_object (none->out, &parser);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "attempts")), ==, 1);
  error = json_object_get_object_member (root, "error");
  g_assert_cmpstr (json_object_get_string_member (error, "class"), ==, "overloaded");
  g_assert_cmpint (json_object_get_int_member (error, "http_status"), ==, 503);
  g_assert_cmpint (json_object_get_int_member (error, "retry_after_s"), ==, 0);

  one = run_503 (f, "1");
  g_assert_cmpint (one->status, ==, 1);
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 2);

  /* The default is 2 retries: 3 requests. */
  deflt = run_503 (f, NULL);
  g_assert_cmpint (deflt->status, ==, 1);
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 3);
}

/* While it waits to try again, byok-cli says so on stderr: what failed,
 * in how long, and which attempt of how many. */
static void
test_chat_retry_said (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *base = server_url (f, "/v1");
  ByokTestReply *limited = byok_test_reply_new_json (429, "{\"error\": {\"message\": \"Rate limit reached\", "
                                                          "\"type\": \"requests\", \"code\": \"rate_limit_exceeded\"}}");
  g_autoptr(ByokTestCliRun) run = NULL;
  g_autoptr(ByokTestCliRun) overloaded = NULL;

  byok_test_reply_add_header (limited, "Retry-After", "1");
  byok_test_server_add_reply (f->server, "/v1/chat/completions", limited);
  add_openai_answer (f);
  run = run_cli (f, NULL, "chat", "-m", "openai/gpt-4o-mini", "--base-url", base, "hello", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->out, ==, "The capital of France is Paris — ça va.\n");
  g_assert_nonnull (strstr (run->err, "byok-cli: Rate limited by OpenAI — trying again in 1 s, attempt 2 of 3\n"));

  /* With --json too (messages go to stderr), and for a wait of nothing. */
  overloaded = run_503 (f, "1");
  g_assert_cmpint (overloaded->status, ==, 1);
  g_assert_nonnull (strstr (overloaded->err, "byok-cli: OpenAI is overloaded — trying again now, attempt 2 of 2\n"));
}

static void
test_chat_stdin_dash (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *base = server_url (f, "/v1");
  g_autoptr(ByokTestCliRun) run = NULL;
  ByokTestRequest *req;

  add_openai_answer (f);
  run = run_cli (f, "Der Prompt aus stdin, “zitiert”\n", "chat", "-p", "openai", "-m", "gpt-4o-mini",
                 "--base-url", base, "-", NULL);

  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->out, ==, "The capital of France is Paris — ça va.\n");
  req = byok_test_server_get_last_request (f->server);
  g_assert_nonnull (strstr (g_bytes_get_data (req->body, NULL), "Der Prompt aus stdin, “zitiert”"));
  /* "-" itself is not the prompt. */
  g_assert_null (strstr (g_bytes_get_data (req->body, NULL), "\"content\":\"-\""));
}

static void
assert_members (JsonObject         *object,
                const char * const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (!json_object_has_member (object, names[i]))
      g_error ("the JSON object has no member “%s”", names[i]);
}

static void
test_chat_json_members (Fixture       *f,
                        gconstpointer  data)
{
  static const char * const top[] = {
    "provider", "model", "text", "reasoning", "finish_reason", "usage", "cost_usd", "latency_ms",
    "ttft_ms", "attempts", "error", NULL
  };
  static const char * const usage_members[] = {
    "input_tokens", "output_tokens", "cached_input_tokens", "cache_write_tokens", "reasoning_tokens", NULL
  };
  static const char * const attempt_members[] = { "provider", "model", "http_status", "error", NULL };
  static const char * const error_members[] = { "class", "message", "http_status", "retry_after_s", NULL };
  g_autofree char *base = server_url (f, "/deepseek");
  g_autofree char *openai = server_url (f, "/v1");
  g_autofree char *limit = byok_test_read_fixture ("openai", "error-rate-limit.json");
  ByokTestReply *limited = byok_test_reply_new_json (429, limit);
  g_autoptr(ByokTestCliRun) ok = NULL;
  g_autoptr(ByokTestCliRun) failed = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonParser) failed_parser = NULL;
  JsonObject *root, *usage, *attempt, *error;

  /* Success, with reasoning: everything is in the one object on stdout. */
  set_env (f, "DEEPSEEK_API_KEY", "sk-test-fake-cli-deepseek-0123456789");
  byok_test_server_add_reply (f->server, "/deepseek/chat/completions", byok_test_reply_new_sse_fixture ("openai", "deepseek-stream.sse", 17));
  ok = run_cli (f, NULL, "chat", "--json", "-p", "deepseek", "-m", "deepseek-reasoner", "--base-url", base,
                "Which is larger, 9.11 or 9.8?", NULL);
  g_assert_cmpint (ok->status, ==, 0);
  g_assert_null (strstr (ok->out, "sk-test-fake-cli-deepseek"));
  root = parse_object (ok->out, &parser);
  assert_members (root, top);
  g_assert_cmpstr (json_object_get_string_member (root, "provider"), ==, "deepseek");
  g_assert_cmpstr (json_object_get_string_member (root, "model"), ==, "deepseek-reasoner");
  g_assert_cmpstr (json_object_get_string_member (root, "text"), ==, "9.8 is larger.");
  g_assert_cmpstr (json_object_get_string_member (root, "reasoning"), ==, "9.11 and 9.8: compare 0.80 with 0.11.");
  g_assert_cmpstr (json_object_get_string_member (root, "finish_reason"), ==, "stop");
  usage = json_object_get_object_member (root, "usage");
  assert_members (usage, usage_members);
  g_assert_cmpint (json_object_get_int_member (usage, "input_tokens"), ==, 20);
  g_assert_cmpint (json_object_get_int_member (usage, "cached_input_tokens"), ==, 16);
  g_assert_cmpint (json_object_get_int_member (usage, "cache_write_tokens"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (usage, "output_tokens"), ==, 120);
  g_assert_cmpint (json_object_get_int_member (usage, "reasoning_tokens"), ==, 95);
  g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (root, "cost_usd")) ||
                 JSON_NODE_HOLDS_NULL (json_object_get_member (root, "cost_usd")));
  g_assert_cmpint (json_object_get_int_member (root, "latency_ms"), >=, json_object_get_int_member (root, "ttft_ms"));
  attempt = json_array_get_object_element (json_object_get_array_member (root, "attempts"), 0);
  assert_members (attempt, attempt_members);
  g_assert_cmpstr (json_object_get_string_member (attempt, "provider"), ==, "deepseek");
  g_assert_cmpstr (json_object_get_string_member (attempt, "model"), ==, "deepseek-reasoner");
  g_assert_cmpint (json_object_get_int_member (attempt, "http_status"), ==, 200);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (attempt, "error")));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (root, "error")));

  /* A rate limit whose wait is longer than Byok waits: not retried; the
   * error object has the lower-case class, the status and the wait. */
  byok_test_reply_add_header (limited, "Retry-After", "3600");
  byok_test_server_add_reply (f->server, "/v1/chat/completions", limited);
  failed = run_cli (f, NULL, "chat", "--json", "-m", "openai:gpt-4o-mini", "--base-url", openai, "hello", NULL);
  g_assert_cmpint (failed->status, ==, 1);
  root = parse_object (failed->out, &failed_parser);
  assert_members (root, top);
  g_assert_cmpstr (json_object_get_string_member (root, "text"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (root, "finish_reason"), ==, "error");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (root, "ttft_ms")));
  error = json_object_get_object_member (root, "error");
  assert_members (error, error_members);
  g_assert_cmpstr (json_object_get_string_member (error, "class"), ==, "rate_limit");
  g_assert_nonnull (strstr (json_object_get_string_member (error, "message"), "OpenAI"));
  g_assert_cmpint (json_object_get_int_member (error, "http_status"), ==, 429);
  g_assert_cmpint (json_object_get_int_member (error, "retry_after_s"), ==, 3600);
  attempt = json_array_get_object_element (json_object_get_array_member (root, "attempts"), 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "attempts")), ==, 1);
  g_assert_cmpint (json_object_get_int_member (attempt, "http_status"), ==, 429);
  error = json_object_get_object_member (attempt, "error");
  assert_members (error, error_members);
  g_assert_cmpstr (json_object_get_string_member (error, "class"), ==, "rate_limit");
  g_assert_cmpint (json_object_get_int_member (error, "retry_after_s"), ==, 3600);
  g_assert_cmpuint (byok_test_server_count_path (f->server, "/v1/chat/completions"), ==, 1);
}

/* OpenRouter says what it billed (usage.cost): byok-cli prints it beside
 * Byok's price, warns when the two differ by more than a cent or 1 %, and
 * --json has it for the call and its attempt. */
static void
test_chat_reported_cost (Fixture       *f,
                         gconstpointer  data)
{
  /* 1000 in, 200 out of claude-sonnet-5 at $2/$10 per million: $0.004. */
#define WHOLE(cost) \
    "{\"id\":\"gen-test-3\",\"model\":\"anthropic/claude-sonnet-5\",\"object\":\"chat.completion\"," \
    "\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\"," \
    "\"content\":\"Paris.\"}}],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":200," \
    "\"cost\":" cost "}}"
  g_autofree char *base = server_url (f, "/openrouter/api/v1");
  const char *agrees = WHOLE ("0.004");
  const char *differs = WHOLE ("0.0052");
  g_autoptr(ByokTestCliRun) same = NULL;
  g_autoptr(ByokTestCliRun) warned = NULL;
  g_autoptr(ByokTestCliRun) json = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *root, *attempt;

  set_env (f, "OPENROUTER_API_KEY", "sk-or-test-fake-cli-openrouter-0123456789");
  byok_test_server_add_reply (f->server, "/openrouter/api/v1/chat/completions",
                              byok_test_reply_new_json (200, agrees));
  same = run_cli (f, NULL, "chat", "--no-stream", "-m", "openrouter/anthropic/claude-sonnet-5",
                  "--base-url", base, "Capital of France?", NULL);
  g_assert_cmpint (same->status, ==, 0);
  g_assert_nonnull (strstr (same->err, " · $0.004000 · billed $0.004000"));
  g_assert_null (strstr (same->err, "warning"));

  byok_test_server_add_reply (f->server, "/openrouter/api/v1/chat/completions",
                              byok_test_reply_new_json (200, differs));
  warned = run_cli (f, NULL, "chat", "--no-stream", "-m", "openrouter/anthropic/claude-sonnet-5",
                    "--base-url", base, "Capital of France?", NULL);
  g_assert_cmpint (warned->status, ==, 0);
  g_assert_nonnull (strstr (warned->err, "warning: OpenRouter billed $0.005200; Byok’s price gives $0.004000"));

  byok_test_server_add_reply (f->server, "/openrouter/api/v1/chat/completions",
                              byok_test_reply_new_json (200, differs));
  json = run_cli (f, NULL, "chat", "--json", "--no-stream", "-m", "openrouter/anthropic/claude-sonnet-5",
                  "--base-url", base, "Capital of France?", NULL);
  g_assert_cmpint (json->status, ==, 0);
  root = parse_object (json->out, &parser);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (root, "cost_usd"), 0.004, 1e-12);
  g_assert_cmpfloat (json_object_get_double_member (root, "reported_cost_usd"), ==, 0.0052);
  g_assert_true (json_object_get_boolean_member (root, "cost_differs"));
  attempt = json_array_get_object_element (json_object_get_array_member (root, "attempts"), 0);
  g_assert_cmpfloat (json_object_get_double_member (attempt, "reported_cost_usd"), ==, 0.0052);
  g_assert_true (json_object_get_boolean_member (attempt, "cost_differs"));
#undef WHOLE
}

static void
test_chat_json_not_found (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *base = server_url (f, "/moonshot/v1");
  g_autofree char *body = byok_test_read_fixture ("openai", "moonshot-error-not-found.json");
  g_autoptr(ByokTestCliRun) run = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *error;

  /* A model only the provider could know: sent, and its 404 classified
   * with a suggestion from the catalog. */
  byok_test_server_add_reply (f->server, "/moonshot/v1/chat/completions", byok_test_reply_new_json (404, body));
  run = run_cli (f, NULL, "chat", "--json", "-p", "moonshot", "-m", "kimi-k2", "--base-url", base, "hello", NULL);
  g_assert_cmpint (run->status, ==, 1);
  error = json_object_get_object_member (parse_object (run->out, &parser), "error");
  g_assert_cmpstr (json_object_get_string_member (error, "class"), ==, "not_found");
  g_assert_nonnull (strstr (json_object_get_string_member (error, "message"), "did you mean kimi-k2"));
  g_assert_cmpint (json_object_get_int_member (error, "http_status"), ==, 404);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (error, "retry_after_s")));
  g_assert_nonnull (strstr (run->err, "[NOT_FOUND]"));
}

/* ---- providers and models ------------------------------------------------ */

/* --attach: each file made ready as the app does, listed in --json; a
 * text file in the prompt; a file Byok cannot read stops everything
 * before anything is sent (exit 2). */
static void
test_chat_attach (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *base = server_url (f, "/v1");
  g_autoptr(GBytes) note = g_bytes_new_static ("Meeting at noon.\n", 17);
  g_autoptr(GBytes) photo = byok_test_media_jpeg (3000, 2000, 6, FALSE, 90);
  g_autoptr(GBytes) pdf = byok_test_media_pdf (2, TRUE);
  static const char garbage_bytes[] = "\x01\x02\x03\xff\xfe not a picture";
  g_autoptr(GBytes) garbage = g_bytes_new_static (garbage_bytes, sizeof garbage_bytes - 1);
  g_autofree char *note_path = byok_test_media_write (f->dir, "notes.txt", note);
  g_autofree char *photo_path = byok_test_media_write (f->dir, "photo.jpg", photo);
  g_autofree char *pdf_path = byok_test_media_write (f->dir, "minutes.pdf", pdf);
  g_autofree char *garbage_path = byok_test_media_write (f->dir, "holiday.png", garbage);
  g_autoptr(ByokTestCliRun) run = NULL;
  g_autoptr(ByokTestCliRun) refused = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *root, *text, *image, *doc;
  JsonArray *attachments;
  ByokTestRequest *req;

  add_openai_answer (f);
  run = run_cli (f, NULL, "chat", "--json", "-m", "openai/gpt-4o-mini", "--base-url", base,
                 "--attach", note_path, "-a", photo_path, "--attach", pdf_path, "Summarise", NULL);
  g_assert_cmpint (run->status, ==, 0);
  root = parse_object (run->out, &parser);
  attachments = json_object_get_array_member (root, "attachments");
  g_assert_cmpuint (json_array_get_length (attachments), ==, 3);
  text = json_array_get_object_element (attachments, 0);
  image = json_array_get_object_element (attachments, 1);
  doc = json_array_get_object_element (attachments, 2);
  g_assert_cmpstr (json_object_get_string_member (text, "name"), ==, "notes.txt");
  g_assert_cmpstr (json_object_get_string_member (text, "kind"), ==, "text");
  g_assert_cmpint (json_object_get_int_member (text, "bytes"), ==, 17);
  g_assert_cmpint (json_object_get_int_member (text, "tokens"), >, 0);
  g_assert_cmpstr (json_object_get_string_member (image, "kind"), ==, "image");
  g_assert_cmpstr (json_object_get_string_member (image, "mime_type"), ==, "image/jpeg");
  /* Upright (EXIF orientation 6) and fitted. */
  g_assert_cmpint (json_object_get_int_member (image, "width"), <, json_object_get_int_member (image, "height"));
  g_assert_cmpint (json_object_get_int_member (image, "height"), <=, 1568);
  g_assert_cmpint (json_object_get_int_member (image, "tokens"), ==,
                   (json_object_get_int_member (image, "width") * json_object_get_int_member (image, "height") + 749) / 750);
  g_assert_false (json_object_get_boolean_member (image, "text_layer"));
  g_assert_cmpstr (json_object_get_string_member (doc, "kind"), ==, "pdf");
  g_assert_cmpint (json_object_get_int_member (doc, "pages"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (doc, "bytes"), ==, g_bytes_get_size (pdf));
  g_assert_true (json_object_get_boolean_member (doc, "text_layer"));
  req = byok_test_server_get_last_request (f->server);
  g_assert_nonnull (strstr (g_bytes_get_data (req->body, NULL), "notes.txt"));
  g_assert_nonnull (strstr (g_bytes_get_data (req->body, NULL), "Meeting at noon."));
  g_assert_nonnull (strstr (g_bytes_get_data (req->body, NULL), "Summarise"));

  refused = run_cli (f, NULL, "chat", "-m", "openai/gpt-4o-mini", "--base-url", base,
                     "--attach", note_path, "--attach", garbage_path, "Look", NULL);
  g_assert_cmpint (refused->status, ==, 2);
  g_assert_nonnull (strstr (refused->err, "“holiday.png” is not an image Byok can read"));
  g_assert_cmpuint (byok_test_server_count_path (f->server, "/v1/chat/completions"), ==, 1);

  /* A PDF locked with a password (tests/fixtures/media/locked.pdf, see
   * test-attachments): refused by name, nothing sent, in --json too. */
  {
    g_autofree char *locked_path = g_test_build_filename (G_TEST_DIST, "fixtures", "media", "locked.pdf", NULL);
    g_autoptr(ByokTestCliRun) locked = run_cli (f, NULL, "chat", "-m", "openai/gpt-4o-mini", "--base-url", base,
                                     "--attach", note_path, "--attach", locked_path, "Summarise", NULL);
    g_autoptr(ByokTestCliRun) locked_json = run_cli (f, NULL, "chat", "--json", "-m", "openai/gpt-4o-mini", "--base-url", base,
                                          "--attach", locked_path, "Summarise", NULL);

    g_assert_cmpint (locked->status, ==, 2);
    g_assert_nonnull (strstr (locked->err, "byok-cli: “locked.pdf” is locked with a password: "
                                           "Byok cannot read it [INVALID]\n"));
    g_assert_cmpstr (locked->out, ==, "");
    g_assert_cmpint (locked_json->status, ==, 2);
    g_assert_nonnull (strstr (locked_json->err, "“locked.pdf” is locked with a password"));
    g_assert_cmpuint (byok_test_server_count_path (f->server, "/v1/chat/completions"), ==, 1);
  }
}

static void
test_providers (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(ByokCatalog) catalog = byok_catalog_new_default ();
  g_autoptr(GPtrArray) providers = byok_catalog_get_providers (catalog);
  g_autoptr(ByokTestCliRun) run = run_cli (f, NULL, "providers", NULL);
  g_autoptr(ByokTestCliRun) json = run_cli (f, NULL, "providers", "--json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  g_assert_cmpint (run->status, ==, 0);
  /* No keyring (the keyring is connected to while the engine's data is
   * read): said once, the environment's keys listed all the same. */
  g_assert_nonnull (strstr (run->err, "the keyring cannot be reached (No keyring is running"));
  g_assert_null (strstr (strstr (run->err, "cannot be reached") + 1, "cannot be reached"));
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

/* `keys list` without a keyring: the environment's keys (masked), then
 * the keyring's error, and a failure status; unchanged by connecting to
 * the keyring while the engine's data is read. */
static void
test_keys_list_no_keyring (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(ByokTestCliRun) run = run_cli (f, NULL, "keys", "list", NULL);
  g_autoptr(ByokTestCliRun) one = run_cli (f, NULL, "keys", "list", "openai", NULL);

  for (guint i = 0; i < 2; i++)
    {
      ByokTestCliRun *r = i == 0 ? run : one;

      g_assert_cmpint (r->status, ==, 1);
      g_assert_nonnull (strstr (r->out, "$OPENAI_API_KEY"));
      g_assert_nonnull (strstr (r->err, "the keyring could not be read, so only keys from the environment are shown"));
      g_assert_nonnull (strstr (r->err, "No keyring is running"));
      assert_no_key_in (r->out);
      assert_no_key_in (r->err);
    }
  g_assert_nonnull (strstr (run->out, "$MOONSHOT_API_KEY"));
  g_assert_null (strstr (one->out, "MOONSHOT"));
}

static void
test_models (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(ByokTestCliRun) moonshot = run_cli (f, NULL, "models", "moonshot", NULL);
  g_autoptr(ByokTestCliRun) coding = run_cli (f, NULL, "models", "--for", "coding", NULL);
  g_autoptr(ByokTestCliRun) bad = run_cli (f, NULL, "models", "--for", "juggling", NULL);
  g_autoptr(ByokTestCliRun) unknown = run_cli (f, NULL, "models", "nosuchprovider", NULL);

  g_assert_cmpint (moonshot->status, ==, 0);
  g_assert_nonnull (strstr (moonshot->out, "kimi-k2-0905-preview"));
  g_assert_nonnull (strstr (moonshot->out, "262k"));
  g_assert_cmpint (coding->status, ==, 0);
  g_assert_nonnull (strstr (coding->out, "PROVIDER"));
  g_assert_nonnull (strstr (coding->out, "coding"));
  g_assert_cmpint (bad->status, ==, 2);
  g_assert_cmpint (unknown->status, ==, 2);
}

static void
test_models_refresh (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *base = server_url (f, "/v1");
  g_autoptr(ByokTestCliRun) run = NULL;

  set_env (f, "BYOK_BASE_URL_OPENAI", base);
  byok_test_server_require_key (f->server, "Authorization", "Bearer " OPENAI_KEY);
  byok_test_server_add_reply (f->server, "/v1/models", byok_test_reply_new_json (200,
    "{\"object\": \"list\", \"data\": [{\"id\": \"gpt-4o-mini\"}, {\"id\": \"gpt-test-live-only\"}]}"));
  run = run_cli (f, NULL, "models", "openai", "--refresh", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "gpt-test-live-only"));
  g_assert_nonnull (strstr (run->out, "gpt-4o-mini"));
}

static void
test_models_remote (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *base = server_url (f, "/v1");
  g_autofree char *anthropic = server_url (f, "/anthropic");
  g_autoptr(ByokTestCliRun) run = NULL;
  g_autoptr(ByokTestCliRun) json = NULL;
  g_autoptr(ByokTestCliRun) none = NULL;
  g_autoptr(ByokTestCliRun) bad = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  byok_test_server_require_key (f->server, "Authorization", "Bearer " OPENAI_KEY);
  byok_test_server_add_reply (f->server, "/v1/models", byok_test_reply_new_json (200,
    "{\"object\": \"list\", \"data\": [{\"id\": \"gpt-4o-mini\"}, {\"id\": \"gpt-test-live-only\"}]}"));
  run = run_cli (f, NULL, "models", "openai", "--remote", "--base-url", base, NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "gpt-test-live-only"));
  g_assert_nonnull (strstr (run->out, "gpt-4o-mini"));
  /* Only what the provider listed: not a catalog model it left out. */
  g_assert_null (strstr (run->out, "o4-mini"));

  byok_test_server_add_reply (f->server, "/v1/models", byok_test_reply_new_json (200,
    "{\"object\": \"list\", \"data\": [{\"id\": \"gpt-test-live-only\"}]}"));
  json = run_cli (f, NULL, "models", "openai", "--remote", "--json", "--base-url", base, NULL);
  g_assert_cmpint (json->status, ==, 0);
  json_parser_load_from_data (parser, json->out, -1, &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "id"), ==,
                   "gpt-test-live-only");
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (array, 0), "listed"));

  /* No key: a provider error (1); a bad URL: bad usage (2). */
  none = run_cli (f, NULL, "models", "anthropic", "--remote", "--base-url", anthropic, NULL);
  g_assert_cmpint (none->status, ==, 1);
  bad = run_cli (f, NULL, "models", "openai", "--remote", "--base-url", "not a url", NULL);
  g_assert_cmpint (bad->status, ==, 2);
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 2);
}

static void
test_models_remote_pages (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *base = server_url (f, "/v1beta");
  g_autoptr(ByokTestCliRun) run = NULL;

  /* Every page of Gemini's list. */
  set_env (f, "GEMINI_API_KEY", "AIzaTestFakeCliGeminiKey0000000000");
  byok_test_server_add_reply (f->server, "/v1beta/models", byok_test_reply_new_json (200,
    "{\"models\": [{\"name\": \"models/gemini-test-page-1\", \"supportedGenerationMethods\": [\"generateContent\"]}],"
    " \"nextPageToken\": \"p2\"}"));
  byok_test_server_add_reply (f->server, "/v1beta/models", byok_test_reply_new_json (200,
    "{\"models\": [{\"name\": \"models/gemini-test-page-2\", \"supportedGenerationMethods\": [\"generateContent\"]}]}"));
  run = run_cli (f, NULL, "models", "gemini", "--remote", "--base-url", base, NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "gemini-test-page-1"));
  g_assert_nonnull (strstr (run->out, "gemini-test-page-2"));
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 2);
  g_assert_nonnull (strstr (byok_test_server_get_request (f->server, 1)->query, "pageToken=p2"));
}

/* ---- calls that never end, calls that cannot be recorded ----------------- */

/* byok-cli chat streaming a story the server holds open: returns once the
 * text has arrived. */
static GSubprocess *
start_story (Fixture   *f,
             Interrupt *reader)
{
  g_autofree char *base = server_url (f, "/v1");
  const char *args[] = { "chat", "-m", "openai/gpt-4o-mini", "--base-url", base,
                         "Tell me a long story about a lighthouse", NULL };
  ByokTestReply *reply = byok_test_reply_new_sse (
    "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Once upon a time\"},\"finish_reason\":null}]}",
    "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\" there was a very long story\"},\"finish_reason\":null}]}",
    NULL);

  byok_test_reply_set_hold (reply, TRUE);
  byok_test_server_add_reply (f->server, "/v1/chat/completions", reply);
  reader->out = g_string_new (NULL);
  reader->process = byok_test_cli_spawn ((const char * const *) f->env, -1,
                                    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, args);
  read_some (g_subprocess_get_stdout_pipe (reader->process), reader);
  while (strstr (reader->out->str, "long story") == NULL)
    g_main_context_iteration (NULL, TRUE);
  return reader->process;
}

/* byok-cli killed mid-answer (kill -9): the provider bills the call, so
 * its row is there; the next byok-cli marks it interrupted, with the
 * estimate of the prompt, and Usage shows and counts it so. A byok-cli
 * that starts while another streams leaves that one's call alone. */
static void
test_chat_killed (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(ByokTestCliRun) during = NULL;
  g_autoptr(ByokTestCliRun) after = NULL;
  g_autoptr(ByokTestCliRun) json = NULL;
  g_autoptr(ByokTestCliRun) csv = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonParser) parser = NULL;
  ByokUsageRecord *row;
  JsonObject *totals;
  Interrupt reader = { 0, };

  start_story (f, &reader);

  /* Another byok-cli meanwhile: the call is alive, in flight, in no report. */
  during = run_cli (f, NULL, "usage", "--since", "today", NULL);
  g_assert_cmpint (during->status, ==, 0);
  g_assert_null (strstr (during->out, "interrupted"));
  rows = cli_rows (f);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (((ByokUsageRecord *) g_ptr_array_index (rows, 0))->status, ==, "in_flight");
  g_clear_pointer (&rows, g_ptr_array_unref);

  g_subprocess_force_exit (reader.process);   /* SIGKILL */
  g_subprocess_wait (reader.process, NULL, NULL);
  g_assert_false (g_subprocess_get_if_exited (reader.process));
  while (!reader.eof)
    g_main_context_iteration (NULL, TRUE);

  /* The next start finds it. */
  after = run_cli (f, NULL, "usage", "--since", "today", NULL);
  g_assert_cmpint (after->status, ==, 0);
  g_test_message ("%s", after->out);
  g_assert_nonnull (strstr (after->out, "1 call"));
  g_assert_nonnull (strstr (after->out, "1 interrupted"));
  g_assert_nonnull (strstr (after->out, "≈"));

  rows = cli_rows (f);
  g_assert_cmpuint (rows->len, ==, 1);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (row->status, ==, "interrupted");
  g_assert_true (row->estimated);
  g_assert_cmpint (row->input_tokens, >, 5);
  g_assert_cmpstr (row->provider, ==, "openai");
  g_assert_true (row->price_known);

  json = run_cli (f, NULL, "usage", "--since", "today", "--json", NULL);
  g_assert_cmpint (json->status, ==, 0);
  totals = json_object_get_object_member (parse_object (json->out, &parser), "totals");
  g_assert_cmpint (json_object_get_int_member (totals, "calls"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (totals, "interrupted"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (totals, "errors"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (totals, "input_tokens"), ==, row->input_tokens);

  csv = run_cli (f, NULL, "usage", "--since", "today", "--csv", NULL);
  g_assert_cmpint (csv->status, ==, 0);
  g_assert_nonnull (strstr (csv->out, ",interrupted,stopped,estimated\r\n"));
  g_assert_nonnull (strstr (csv->out, ",1,0,0\r\n"));

  byok_test_server_release_held (f->server);
  g_object_unref (reader.process);
  g_string_free (reader.out, TRUE);
}

/* For a database that cannot take the call's row: byok-cli sends nothing
 * and says why ([STORAGE], exit 1); with --no-record it sends. */
typedef enum {
  BROKEN_FOLDER,      /* a folder where the database should be */
  BROKEN_GARBAGE,     /* not a database */
  BROKEN_FULL,        /* the disk is full (a file size limit of 0) */
  BROKEN_READ_ONLY,   /* chmod 0400 (not as root) */
  BROKEN_REFUSES,     /* writes to usage fail (a trigger) */
} Broken;

static void
limit_file_size (gpointer data)
{
  struct rlimit limit = { 0, 0 };

  signal (SIGXFSZ, SIG_IGN);
  setrlimit (RLIMIT_FSIZE, &limit);
}

static ByokTestCliRun *
run_cli_broken (Fixture    *f,
                Broken      broken,
                gboolean    no_record)
{
  g_autofree char *base = server_url (f, "/v1");
  const char *args[] = { "chat", "-m", "openai/gpt-4o-mini", "--base-url", base, "hello",
                         no_record ? "--no-record" : NULL, NULL };
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;

  g_subprocess_launcher_set_environ (launcher, f->env);
  if (broken == BROKEN_FULL)
    g_subprocess_launcher_set_child_setup (launcher, limit_file_size, NULL, NULL);
  process = byok_test_cli_launch (launcher, args);
  return byok_test_cli_communicate (process, "");
}

static void
test_chat_unrecorded (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (f->dir, "data", "byok", NULL);
  g_autofree char *db_path = g_build_filename (folder, "byok.db", NULL);
  const Broken cases[] = { BROKEN_FOLDER, BROKEN_GARBAGE, BROKEN_FULL, BROKEN_READ_ONLY, BROKEN_REFUSES };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ByokTestCliRun) refused = NULL;
      g_autoptr(ByokTestCliRun) sent = NULL;
      guint before;

      byok_test_remove_tree (folder);
      g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
      switch (cases[i])
        {
        case BROKEN_FOLDER:
          g_assert_cmpint (g_mkdir (db_path, 0700), ==, 0);
          break;
        case BROKEN_GARBAGE:
          g_assert_true (g_file_set_contents (db_path, "not a database, not even close, a plain text file\n", -1, NULL));
          break;
        case BROKEN_FULL:
          g_object_unref (open_database (db_path));
          break;
        case BROKEN_READ_ONLY:
          if (geteuid () == 0)
            {
              g_test_message ("root writes to read-only files: case skipped");
              continue;
            }
          g_object_unref (open_database (db_path));
          g_assert_cmpint (g_chmod (db_path, 0400), ==, 0);
          break;
        case BROKEN_REFUSES:
          {
            g_autoptr(GError) error = NULL;
            g_autoptr(ByokDatabase) db = open_database (db_path);

            g_assert_true (byok_database_exec (db, "CREATE TRIGGER full BEFORE INSERT ON usage BEGIN"
                                                   "  SELECT RAISE (ABORT, 'database or disk is full');"
                                                   "END;", &error));
          }
          break;
        default:
          g_assert_not_reached ();
        }

      before = byok_test_server_get_n_requests (f->server);
      add_openai_answer (f);
      refused = run_cli_broken (f, cases[i], FALSE);
      g_assert_cmpint (refused->status, ==, 1);
      g_assert_nonnull (strstr (refused->err, "[STORAGE]"));
      g_assert_nonnull (strstr (refused->err, "--no-record"));
      g_assert_cmpstr (refused->out, ==, "");
      g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, before);

      sent = run_cli_broken (f, cases[i], TRUE);
      g_assert_cmpint (sent->status, ==, 0);
      g_assert_cmpstr (sent->out, ==, "The capital of France is Paris — ça va.\n");
      g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, before + 1);
      g_chmod (db_path, 0600);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, byok_test_cli_fixture_tear_down)

  ADD ("/cli/chat/streams", test_chat_streams);
  ADD ("/cli/chat/json-records-usage", test_chat_json_records_usage);
  ADD ("/cli/chat/auth-error", test_chat_auth_error);
  ADD ("/cli/echoed-key", test_echoed_key);
  ADD ("/cli/allow-http", test_allow_http);
  ADD ("/cli/chat/env-base-url-and-stdin", test_chat_env_base_url_and_stdin);
  ADD ("/cli/chat/fallback", test_chat_fallback);
  ADD ("/cli/chat/ctrl-c", test_chat_ctrl_c);
  ADD ("/cli/chat/usage-errors", test_chat_usage_errors);
  ADD ("/cli/chat/effort", test_chat_effort);
  ADD ("/cli/chat/provider-flag", test_chat_provider_flag);
  ADD ("/cli/chat/fallback-colon", test_chat_fallback_colon);
  ADD ("/cli/chat/retries", test_chat_retries);
  ADD ("/cli/chat/retry-said", test_chat_retry_said);
  ADD ("/cli/chat/stdin-dash", test_chat_stdin_dash);
  ADD ("/cli/chat/json-members", test_chat_json_members);
  ADD ("/cli/chat/reported-cost", test_chat_reported_cost);
  ADD ("/cli/chat/json-not-found", test_chat_json_not_found);
  ADD ("/cli/chat/hostile-nesting", test_chat_hostile_nesting);
  ADD ("/cli/chat/attach", test_chat_attach);
  ADD ("/cli/providers", test_providers);
  ADD ("/cli/keys-list-no-keyring", test_keys_list_no_keyring);
  ADD ("/cli/models/catalog", test_models);
  ADD ("/cli/models/refresh", test_models_refresh);
  ADD ("/cli/models/remote", test_models_remote);
  ADD ("/cli/models/remote-pages", test_models_remote_pages);
  ADD ("/cli/chat/killed", test_chat_killed);
  ADD ("/cli/chat/unrecorded", test_chat_unrecorded);

  return g_test_run ();
}
