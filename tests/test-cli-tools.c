/* test-cli-tools.c — `byok-cli chat --tools` (issue 17), run as a
 * subprocess against the provider test server in this process playing a
 * model that asks for a tool, and the test MCP server as the tool's
 * server (configured with `byok-cli mcp add`): --yes runs it and the
 * model gets its result; without --yes and with no terminal the call is
 * denied and the model is told so; on a terminal (a pseudo-terminal here)
 * "a" runs it and keeps "always allow" for that tool, so the next run
 * does not ask; --json's tool_calls, usage and cost cover every step. */
#define _XOPEN_SOURCE 600
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "byok-test-server.h"
#include "byok-test-util.h"

#define OPENAI_KEY "sk-test-fake-cli-tools-0123456789"
#define CHAT_PATH  "/v1/chat/completions"

typedef struct {
  ByokTestServer *server;
  char           *dir;
  char          **env;
} Fixture;

typedef struct {
  gboolean  done;
  char     *out;
  char     *err;
  GError   *error;
} Run;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = g_listenv ();
  g_autofree char *data_home = NULL;
  g_autofree char *url = NULL;
  char **env = g_get_environ ();

  f->server = byok_test_server_new ();
  f->dir = g_dir_make_tmp ("byok-test-cli-tools-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_has_suffix (names[i], "_API_KEY") || g_str_has_prefix (names[i], "BYOK_BASE_URL_"))
      env = g_environ_unsetenv (env, names[i]);
  data_home = g_build_filename (f->dir, "data", NULL);
  url = g_strconcat (byok_test_server_get_url (f->server), "/v1", NULL);
  env = g_environ_setenv (env, "HOME", f->dir, TRUE);
  env = g_environ_setenv (env, "XDG_DATA_HOME", data_home, TRUE);
  env = g_environ_setenv (env, "XDG_CONFIG_HOME", f->dir, TRUE);
  env = g_environ_setenv (env, "XDG_CACHE_HOME", f->dir, TRUE);
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  env = g_environ_setenv (env, "LANGUAGE", "", TRUE);
  env = g_environ_unsetenv (env, "G_MESSAGES_DEBUG");
  env = g_environ_setenv (env, "OPENAI_API_KEY", OPENAI_KEY, TRUE);
  env = g_environ_setenv (env, "BYOK_BASE_URL_OPENAI", url, TRUE);
  f->env = env;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->server);
  byok_test_remove_tree (f->dir);
  g_free (f->dir);
  g_strfreev (f->env);
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

/* byok-cli with @args; stdin a pipe (closed at once) or, with @tty_input,
 * a pseudo-terminal that gets @tty_input. Returns its stdout; the test
 * server is served meanwhile. */
static char *
run_cli (Fixture            *f,
         const char         *tty_input,
         int                 expected_status,
         const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE;
  Run run = { 0, };
  int master = -1;

  g_ptr_array_add (argv, (char *) g_getenv ("BYOK_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  if (tty_input == NULL)
    flags |= G_SUBPROCESS_FLAGS_STDIN_PIPE;
  launcher = g_subprocess_launcher_new (flags);
  g_subprocess_launcher_set_environ (launcher, f->env);
  if (tty_input != NULL)
    {
      int slave;

      master = posix_openpt (O_RDWR | O_NOCTTY);
      g_assert_cmpint (master, >=, 0);
      g_assert_cmpint (grantpt (master), ==, 0);
      g_assert_cmpint (unlockpt (master), ==, 0);
      slave = open (ptsname (master), O_RDWR | O_NOCTTY);
      g_assert_cmpint (slave, >=, 0);
      g_subprocess_launcher_take_stdin_fd (launcher, slave);
      /* The answer waits in the terminal's buffer until it is read. */
      g_assert_cmpint (write (master, tty_input, strlen (tty_input)), ==, (gssize) strlen (tty_input));
    }
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicated, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (run.error);
  g_subprocess_wait (process, NULL, NULL);
  if (master >= 0)
    close (master);
  if (g_test_verbose ())
    g_printerr ("--- stdout\n%s--- stderr\n%s", run.out, run.err);
  g_assert_true (g_subprocess_get_if_exited (process));
  if (g_subprocess_get_exit_status (process) != expected_status)
    g_error ("byok-cli exited %d, not %d:\n%s", g_subprocess_get_exit_status (process), expected_status, run.err);
  g_assert_null (strstr (run.out, OPENAI_KEY));
  g_assert_null (strstr (run.err, OPENAI_KEY));
  g_free (run.err);
  return run.out;
}

static void
add_mcp_server (Fixture *f)
{
  const char *server = g_getenv ("BYOK_TEST_MCP_SERVER");
  const char *args[] = { "mcp", "add", "test", "--", server, NULL };
  g_autofree char *out = NULL;

  g_assert_nonnull (server);
  out = run_cli (f, NULL, 0, args);
}

/* An OpenAI stream that asks for test__echo {"text": "hi"}, or answers. */
static ByokTestReply *
model_reply (gboolean    call_tool,
             const char *text)
{
  ByokTestReply *reply = byok_test_reply_new_sse (
    "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}",
    NULL);

  if (call_tool)
    {
      byok_test_reply_add_sse_event (reply, NULL,
        "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_echo_1\","
        "\"type\":\"function\",\"function\":{\"name\":\"test__echo\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}");
      byok_test_reply_add_sse_event (reply, NULL,
        "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
        "\"function\":{\"arguments\":\"{\\\"text\\\": \\\"hi\\\"}\"}}]},\"finish_reason\":null}]}");
      byok_test_reply_add_sse_event (reply, NULL,
        "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}");
    }
  else
    {
      g_autofree char *event = g_strdup_printf ("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},"
                                                "\"finish_reason\":\"stop\"}]}", text);
      byok_test_reply_add_sse_event (reply, NULL, event);
    }
  byok_test_reply_add_sse_event (reply, NULL,
    "{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":100}}");
  byok_test_reply_add_sse_event (reply, NULL, "[DONE]");
  return reply;
}

/* The tool message the second request sent the model. */
static char *
tool_message_sent (Fixture *f)
{
  ByokTestRequest *request = byok_test_server_get_last_request (f->server);
  g_autoptr(JsonNode) root = json_from_string (g_bytes_get_data (request->body, NULL), NULL);
  JsonArray *messages = json_object_get_array_member (json_node_get_object (root), "messages");
  JsonObject *last = json_array_get_object_element (messages, json_array_get_length (messages) - 1);

  g_assert_cmpstr (json_object_get_string_member (last, "role"), ==, "tool");
  g_assert_cmpstr (json_object_get_string_member (last, "tool_call_id"), ==, "call_echo_1");
  return g_strdup (json_object_get_string_member (last, "content"));
}

static JsonObject *
parse_object (const char *json,
              JsonNode  **root)
{
  g_autoptr(GError) error = NULL;

  *root = json_from_string (json, &error);
  g_assert_no_error (error);
  return json_node_get_object (*root);
}

static void
queue_tool_then_answer (Fixture *f)
{
  byok_test_server_add_reply (f->server, CHAT_PATH, model_reply (TRUE, NULL));
  byok_test_server_add_reply (f->server, CHAT_PATH, model_reply (FALSE, "The tool said hi."));
}

static void
test_yes (Fixture       *f,
          gconstpointer  data)
{
  const char *args[] = { "chat", "--tools", "--yes", "--json", "-m", "openai/gpt-4o-mini", "Say hi with the tool", NULL };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *out = NULL;
  g_autofree char *sent = NULL;
  g_autoptr(JsonNode) offered = NULL;
  JsonObject *object, *call, *usage, *first;
  JsonArray *calls;

  add_mcp_server (f);
  queue_tool_then_answer (f);
  out = run_cli (f, NULL, 0, args);
  object = parse_object (out, &root);

  /* The first request offered the server's tools under their model names. */
  {
    ByokTestRequest *request = byok_test_server_get_request (f->server, 0);
    g_autofree char *body = g_strndup (g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body));

    g_assert_nonnull (strstr (body, "\"test__echo\""));
    g_assert_nonnull (strstr (body, "\"test__add\""));
  }
  sent = tool_message_sent (f);
  g_assert_nonnull (strstr (sent, "hi"));

  g_assert_cmpstr (json_object_get_string_member (object, "text"), ==, "The tool said hi.");
  g_assert_cmpint (json_object_get_int_member (object, "steps"), ==, 2);
  calls = json_object_get_array_member (object, "tool_calls");
  g_assert_cmpuint (json_array_get_length (calls), ==, 1);
  call = json_array_get_object_element (calls, 0);
  g_assert_cmpstr (json_object_get_string_member (call, "server"), ==, "test");
  g_assert_cmpstr (json_object_get_string_member (call, "tool"), ==, "echo");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (call, "arguments"), "text"), ==, "hi");
  g_assert_cmpstr (json_object_get_string_member (call, "result"), ==, sent);
  g_assert_false (json_object_get_boolean_member (call, "is_error"));
  g_assert_true (json_object_get_boolean_member (call, "approved"));

  /* Usage and cost cover both steps: two attempts, each its own. */
  usage = json_object_get_object_member (object, "usage");
  g_assert_cmpint (json_object_get_int_member (usage, "input_tokens"), ==, 2000);
  g_assert_cmpint (json_object_get_int_member (usage, "output_tokens"), ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "attempts")), ==, 2);
  first = json_array_get_object_element (json_object_get_array_member (object, "attempts"), 0);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "cost_usd"),
                                  2 * json_object_get_double_member (first, "cost_usd"), 1e-12);
  g_assert_cmpfloat (json_object_get_double_member (object, "cost_usd"), >, 0);
}

/* No terminal to ask on and no --yes: denied, and the model is told. */
static void
test_no_terminal_denies (Fixture       *f,
                         gconstpointer  data)
{
  const char *args[] = { "chat", "--tools", "--json", "-m", "openai/gpt-4o-mini", "Say hi with the tool", NULL };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *out = NULL;
  g_autofree char *sent = NULL;
  JsonObject *call;

  add_mcp_server (f);
  queue_tool_then_answer (f);
  out = run_cli (f, NULL, 0, args);
  call = json_array_get_object_element (json_object_get_array_member (parse_object (out, &root), "tool_calls"), 0);
  g_assert_false (json_object_get_boolean_member (call, "approved"));
  g_assert_true (json_object_get_boolean_member (call, "is_error"));
  sent = tool_message_sent (f);
  g_assert_nonnull (strstr (sent, "denied"));
}

/* On a terminal: "n" denies; "a" runs it and keeps "always" for echo, so
 * a run without a terminal then runs it without asking. */
static void
test_terminal_always (Fixture       *f,
                      gconstpointer  data)
{
  const char *args[] = { "chat", "--tools", "--json", "-m", "openai/gpt-4o-mini", "Say hi with the tool", NULL };
  g_autoptr(JsonNode) root1 = NULL;
  g_autoptr(JsonNode) root2 = NULL;
  g_autoptr(JsonNode) root3 = NULL;
  g_autofree char *out = NULL;
  g_autofree char *config = NULL;
  g_autofree char *config_path = g_build_filename (f->dir, "byok", "mcp-servers.json", NULL);
  JsonObject *call;

  add_mcp_server (f);

  queue_tool_then_answer (f);
  out = run_cli (f, "n\n", 0, args);
  call = json_array_get_object_element (json_object_get_array_member (parse_object (out, &root1), "tool_calls"), 0);
  g_assert_false (json_object_get_boolean_member (call, "approved"));
  g_clear_pointer (&out, g_free);

  queue_tool_then_answer (f);
  out = run_cli (f, "a\n", 0, args);
  call = json_array_get_object_element (json_object_get_array_member (parse_object (out, &root2), "tool_calls"), 0);
  g_assert_true (json_object_get_boolean_member (call, "approved"));
  g_assert_false (json_object_get_boolean_member (call, "is_error"));
  g_clear_pointer (&out, g_free);
  g_assert_true (g_file_get_contents (config_path, &config, NULL, NULL));
  g_assert_nonnull (strstr (config, "echo"));

  /* Always allowed: no terminal needed any more. */
  queue_tool_then_answer (f);
  out = run_cli (f, NULL, 0, args);
  call = json_array_get_object_element (json_object_get_array_member (parse_object (out, &root3), "tool_calls"), 0);
  g_assert_true (json_object_get_boolean_member (call, "approved"));
}

static void
test_yes_needs_tools (Fixture       *f,
                      gconstpointer  data)
{
  const char *args[] = { "chat", "--yes", "-m", "openai/gpt-4o-mini", "hi", NULL };
  g_autofree char *out = run_cli (f, NULL, 2, args);

  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli-tools/yes", Fixture, NULL, fixture_setup, test_yes, fixture_teardown);
  g_test_add ("/cli-tools/no-terminal-denies", Fixture, NULL, fixture_setup, test_no_terminal_denies, fixture_teardown);
  g_test_add ("/cli-tools/terminal-always", Fixture, NULL, fixture_setup, test_terminal_always, fixture_teardown);
  g_test_add ("/cli-tools/yes-needs-tools", Fixture, NULL, fixture_setup, test_yes_needs_tools, fixture_teardown);
  return g_test_run ();
}
