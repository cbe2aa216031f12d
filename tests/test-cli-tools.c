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

#include "byok-test-cli.h"
#include "byok-test-replies.h"
#include "byok-test-server.h"
#include "byok-test-util.h"

#define OPENAI_KEY "sk-test-fake-cli-tools-0123456789"
#define CHAT_PATH  "/v1/chat/completions"

typedef ByokTestCliFixture Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *url = NULL;

  byok_test_cli_fixture_set_up (f, "cli-tools");
  url = g_strconcat (byok_test_server_get_url (f->server), "/v1", NULL);
  f->env = g_environ_setenv (f->env, "OPENAI_API_KEY", OPENAI_KEY, TRUE);
  f->env = g_environ_setenv (f->env, "BYOK_BASE_URL_OPENAI", url, TRUE);
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
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(ByokTestCliRun) run = NULL;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE;
  int master = -1;
  int slave = -1;

  if (tty_input == NULL)
    flags |= G_SUBPROCESS_FLAGS_STDIN_PIPE;
  else
    {
      master = posix_openpt (O_RDWR | O_NOCTTY);
      g_assert_cmpint (master, >=, 0);
      g_assert_cmpint (grantpt (master), ==, 0);
      g_assert_cmpint (unlockpt (master), ==, 0);
      slave = open (ptsname (master), O_RDWR | O_NOCTTY);
      g_assert_cmpint (slave, >=, 0);
      /* The answer waits in the terminal's buffer until it is read. */
      g_assert_cmpint (write (master, tty_input, strlen (tty_input)), ==, (gssize) strlen (tty_input));
    }
  process = byok_test_cli_spawn ((const char * const *) f->env, slave, flags, args);
  run = byok_test_cli_communicate (process, NULL);
  if (master >= 0)
    close (master);
  if (run->status != expected_status)
    g_error ("byok-cli exited %d, not %d:\n%s", run->status, expected_status, run->err);
  g_assert_null (strstr (run->out, OPENAI_KEY));
  g_assert_null (strstr (run->err, OPENAI_KEY));
  return g_steal_pointer (&run->out);
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
  byok_test_server_add_reply (f->server, CHAT_PATH, byok_test_reply_new_echo_step (TRUE, NULL, TRUE));
  byok_test_server_add_reply (f->server, CHAT_PATH, byok_test_reply_new_echo_step (FALSE, "The tool said hi.", TRUE));
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
  sent = byok_test_last_tool_message (f->server, "call_echo_1");
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
  sent = byok_test_last_tool_message (f->server, "call_echo_1");
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

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, byok_test_cli_fixture_tear_down)
  ADD ("/cli-tools/yes", test_yes);
  ADD ("/cli-tools/no-terminal-denies", test_no_terminal_denies);
  ADD ("/cli-tools/terminal-always", test_terminal_always);
  ADD ("/cli-tools/yes-needs-tools", test_yes_needs_tools);
#undef ADD
  return g_test_run ();
}
