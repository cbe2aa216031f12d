/* test-mcp-client.c — ByokMcpClient over both transports against
 * byok-test-mcp-server (a real child process; over HTTP, a real
 * SoupServer on 127.0.0.1 in it): the lifecycle and version negotiation,
 * tools/list over pages, tools/call with text, image, resource link and
 * isError, an unknown tool, ping both ways, list_changed, cancellation
 * (the server sees notifications/cancelled) and timeouts (the client goes
 * on), a server that never answers initialize, one that crashes mid-call,
 * clean shutdown (stdin closed, then SIGTERM, then SIGKILL; HTTP DELETE),
 * the session id, protocol header and bearer token over HTTP, redirects
 * refused, a token not sent over plain HTTP to another host, and the
 * stderr log. A server of MCP 2026-07-28 only (stateless: no initialize)
 * over both transports.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include "byok-error.h"
#include "byok-mcp-client.h"
#include "byok-mcp-http-transport.h"
#include "byok-mcp-stdio-transport.h"
#include "byok-test-util.h"

typedef enum {
  STDIO,
  HTTP,
  HTTP_SSE,
} Mode;

typedef struct {
  char *dir;
  char *record;
  char *log;
  GSubprocess *http_server;   /* HTTP: the server process */
  ByokMcpTransport *transport;
  ByokMcpClient *client;
} Fixture;

/* ---- helpers ---- */

static char *
read_record (Fixture *f)
{
  char *contents = NULL;

  if (!g_file_get_contents (f->record, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}

static gboolean
record_has (Fixture    *f,
            const char *needle)
{
  g_autofree char *contents = read_record (f);

  return strstr (contents, needle) != NULL;
}

/* How many times the record holds @needle */
static guint
record_count (Fixture    *f,
              const char *needle)
{
  g_autofree char *contents = read_record (f);
  guint n = 0;

  for (const char *p = strstr (contents, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static gboolean
quit_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Waits until the record holds @needle (at most 20 s). */
static void
wait_record (Fixture    *f,
             const char *needle)
{
  gboolean timed_out = FALSE;
  guint source = g_timeout_add_seconds (20, quit_timeout, &timed_out);

  while (!record_has (f, needle) && !timed_out)
    {
      g_usleep (10000);
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
    }
  if (!timed_out)
    g_source_remove (source);
  if (!record_has (f, needle))
    {
      g_autofree char *contents = read_record (f);

      g_error ("the server's record has no “%s”:\n%s", needle, contents);
    }
}

static ByokMcpTransport *
stdio_transport (Fixture            *f,
                 const char * const *extra,
                 GHashTable         *env)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (char *) g_getenv ("BYOK_TEST_MCP_SERVER"));
  g_ptr_array_add (argv, "--record");
  g_ptr_array_add (argv, f->record);
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) extra[i]);
  g_ptr_array_add (argv, NULL);
  return byok_mcp_stdio_transport_new ("test", (const char * const *) argv->pdata, env, f->log);
}

/* Starts the server in HTTP mode; returns its URL. */
static char *
start_http_server (Fixture            *f,
                   const char * const *extra,
                   GSubprocess       **out)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  GSubprocess *proc;
  char *url;

  g_ptr_array_add (argv, (char *) g_getenv ("BYOK_TEST_MCP_SERVER"));
  g_ptr_array_add (argv, "--http");
  g_ptr_array_add (argv, "--record");
  g_ptr_array_add (argv, f->record);
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) extra[i]);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  url = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  *out = proc;
  return url;
}

static ByokMcpTransport *
http_transport (Fixture            *f,
                const char * const *extra,
                const char         *token)
{
  g_autofree char *url = start_http_server (f, extra, &f->http_server);

  return byok_mcp_http_transport_new ("test", url, token, NULL);
}

static ByokMcpTransport *
mode_transport (Fixture            *f,
                Mode                mode,
                const char * const *extra)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (args, (char *) extra[i]);
  if (mode == HTTP_SSE)
    g_ptr_array_add (args, "--sse");
  if (mode != STDIO)
    g_ptr_array_add (args, "--session");
  g_ptr_array_add (args, NULL);
  if (mode == STDIO)
    return stdio_transport (f, (const char * const *) args->pdata, NULL);
  return http_transport (f, (const char * const *) args->pdata, NULL);
}

static gboolean
try_connect (Fixture  *f,
             GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  f->client = byok_mcp_client_new (f->transport);
  byok_mcp_client_connect_async (f->client, NULL, byok_test_store_result, &result);
  return byok_mcp_client_connect_finish (f->client, byok_test_wait_result (&result), error);
}

static void
connect_mode (Fixture            *f,
              Mode                mode,
              const char * const *extra)
{
  g_autoptr(GError) error = NULL;

  f->transport = mode_transport (f, mode, extra);
  g_assert_true (try_connect (f, &error));
  g_assert_no_error (error);
}

static GPtrArray *
list_tools (Fixture  *f,
            GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  byok_mcp_client_list_tools_async (f->client, NULL, byok_test_store_result, &result);
  return byok_mcp_client_list_tools_finish (f->client, byok_test_wait_result (&result), error);
}

static ByokMcpToolResult *
call (Fixture      *f,
      const char   *tool,
      const char   *arguments,
      guint         timeout_ms,
      GCancellable *cancellable,
      GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) node = arguments != NULL ? json_from_string (arguments, NULL) : NULL;

  byok_mcp_client_call_tool_async (f->client, tool, node != NULL ? json_node_get_object (node) : NULL,
                                   timeout_ms, cancellable, byok_test_store_result, &result);
  return byok_mcp_client_call_tool_finish (f->client, byok_test_wait_result (&result), error);
}

static void
close_client (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;

  byok_mcp_client_close_async (f->client, byok_test_store_result, &result);
  g_assert_true (byok_mcp_client_close_finish (f->client, byok_test_wait_result (&result), NULL));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = byok_test_make_dir ("mcp");
  f->record = g_build_filename (f->dir, "record.txt", NULL);
  f->log = g_build_filename (f->dir, "logs", "test.log", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->client != NULL)
    close_client (f);
  g_clear_object (&f->client);
  g_clear_object (&f->transport);
  if (f->http_server != NULL)
    {
      g_subprocess_force_exit (f->http_server);
      g_subprocess_wait (f->http_server, NULL, NULL);
      g_clear_object (&f->http_server);
    }
  byok_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->record);
  g_free (f->log);
}

/* ---- tests ---- */

static void
test_lifecycle (Fixture       *f,
                gconstpointer  data)
{
  Mode mode = GPOINTER_TO_INT (data);
  const char * const extra[] = { "--page-size", "3", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tools = NULL;
  g_autoptr(ByokMcpToolResult) echo = NULL;
  g_autoptr(ByokMcpToolResult) image = NULL;
  g_autoptr(ByokMcpToolResult) failed = NULL;
  g_autoptr(ByokMcpToolResult) link = NULL;
  g_autoptr(ByokMcpToolResult) unknown = NULL;
  g_autoptr(GAsyncResult) pinged = NULL;
  gsize png_len = 0;
  const guchar *png;

  connect_mode (f, mode, extra);
  g_assert_cmpstr (byok_mcp_client_get_protocol_version (f->client), ==, "2025-11-25");
  g_assert_cmpstr (byok_mcp_client_get_server_name (f->client), ==, "byok-test-mcp-server");
  g_assert_cmpstr (byok_mcp_client_get_instructions (f->client), ==, "Use echo to test.");
  wait_record (f, "\"method\":\"notifications/initialized\"");

  /* Ten tools over four pages, in order */
  tools = list_tools (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tools->len, ==, 10);
  g_assert_cmpstr (byok_mcp_tool_get_name (g_ptr_array_index (tools, 0)), ==, "echo");
  g_assert_cmpstr (byok_mcp_tool_get_name (g_ptr_array_index (tools, 9)), ==, "dotted.name");
  g_assert_cmpstr (byok_mcp_tool_get_model_name (g_ptr_array_index (tools, 0)), ==, "test__echo");
  g_assert_true (record_has (f, "\"cursor\":\"page-9\""));

  echo = call (f, "echo", "{\"text\": \"hello, world\"}", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (echo->text, ==, "hello, world");
  g_assert_false (echo->is_error);

  image = call (f, "image", NULL, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (image->text, ==, "a red dot\n\n[image/png image]");
  g_assert_cmpuint (image->images->len, ==, 1);
  g_assert_cmpstr (((ByokMcpImage *) g_ptr_array_index (image->images, 0))->mime_type, ==, "image/png");
  png = g_bytes_get_data (((ByokMcpImage *) g_ptr_array_index (image->images, 0))->data, &png_len);
  g_assert_cmpuint (png_len, >, 8);
  g_assert_cmpmem (png, 4, "\x89PNG", 4);

  failed = call (f, "fail", NULL, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (failed->is_error);
  g_assert_cmpstr (failed->text, ==, "the tool failed on purpose");

  link = call (f, "link", NULL, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (link->links->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (link->links, 0), ==, "file:///tmp/report.txt");
  g_assert_nonnull (strstr (link->text, "report.txt <file:///tmp/report.txt>"));

  unknown = call (f, "no-such-tool", NULL, 0, NULL, &error);
  g_assert_null (unknown);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_BAD_REQUEST);
  g_assert_nonnull (strstr (error->message, "Unknown tool"));
  g_clear_error (&error);

  byok_mcp_client_ping_async (f->client, NULL, byok_test_store_result, &pinged);
  g_assert_true (byok_mcp_client_ping_finish (f->client, byok_test_wait_result (&pinged), &error));
  g_assert_no_error (error);

  if (mode != STDIO)
    {
      /* After initialization every request says the version and the session */
      g_assert_true (record_has (f, "header MCP-Protocol-Version 2025-11-25"));
      g_assert_true (record_has (f, "header Mcp-Session-Id test-session-1234"));
      g_assert_false (record_has (f, "bad session"));
      g_assert_cmpstr (byok_mcp_http_transport_get_session_id (BYOK_MCP_HTTP_TRANSPORT (f->transport)), ==,
                       "test-session-1234");
    }

  close_client (f);
  if (mode == STDIO)
    {
      wait_record (f, "stdin closed");
      g_assert_false (record_has (f, "SIGTERM"));
    }
  else
    g_assert_true (record_has (f, "DELETE test-session-1234"));
  g_assert_true (byok_mcp_client_is_closed (f->client));
  g_clear_object (&f->client);
}

static void
test_versions (Fixture       *f,
               gconstpointer  data)
{
  const char * const older[] = { "--protocol", "2025-06-18", NULL };
  const char * const unknown[] = { "--protocol", "1999-01-01", NULL };
  g_autoptr(GError) error = NULL;

  /* An older revision Byok knows is taken */
  connect_mode (f, STDIO, older);
  g_assert_cmpstr (byok_mcp_client_get_protocol_version (f->client), ==, "2025-06-18");
  close_client (f);
  g_clear_object (&f->client);
  g_clear_object (&f->transport);

  /* One it does not know is a clear error, and the server is stopped */
  f->transport = stdio_transport (f, unknown, NULL);
  g_assert_false (try_connect (f, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_BAD_REQUEST);
  g_assert_nonnull (strstr (error->message, "1999-01-01"));
  g_assert_nonnull (strstr (error->message, "2025-11-25"));
  while (!byok_mcp_transport_is_closed (f->transport))
    g_main_context_iteration (NULL, TRUE);
}

/* A server of MCP 2026-07-28 only refuses initialize: Byok asks
 * server/discover and goes on statelessly, the revision, who it is and
 * what it can do in every request's _meta (over HTTP also the
 * MCP-Protocol-Version, Mcp-Method and Mcp-Name headers), never
 * notifications/initialized; a result that needs more input is a clear
 * error. */
static void
test_stateless (Fixture       *f,
                gconstpointer  data)
{
  Mode mode = GPOINTER_TO_INT (data);
  const char * const extra[] = { "--stateless", "--page-size", "3", NULL };
  const char * const input[] = { "--stateless", "--result-type", "input_required", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tools = NULL;
  g_autoptr(ByokMcpToolResult) echo = NULL;
  g_autoptr(ByokMcpToolResult) more = NULL;

  f->transport = mode == STDIO ? stdio_transport (f, extra, NULL) : http_transport (f, extra, NULL);
  g_assert_true (try_connect (f, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (byok_mcp_client_get_protocol_version (f->client), ==, "2026-07-28");
  g_assert_cmpstr (byok_mcp_client_get_server_name (f->client), ==, "byok-test-mcp-server");
  g_assert_cmpstr (byok_mcp_client_get_server_version (f->client), ==, "2.0");
  g_assert_cmpstr (byok_mcp_client_get_instructions (f->client), ==, "Stateless.");
  wait_record (f, "\"method\":\"server/discover\"");

  tools = list_tools (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tools->len, ==, 10);
  g_assert_true (record_has (f, "\"cursor\":\"page-9\""));
  echo = call (f, "echo", "{\"text\": \"hello\"}", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (echo->text, ==, "hello");
  g_assert_false (echo->is_error);
  g_assert_false (record_has (f, "unsupported version"));
  g_assert_false (record_has (f, "notifications/initialized"));
  g_assert_true (record_has (f, "client info"));
  if (mode != STDIO)
    {
      g_assert_true (record_has (f, "header MCP-Protocol-Version 2026-07-28"));
      g_assert_true (record_has (f, "header Mcp-Method tools/list"));
      g_assert_true (record_has (f, "header Mcp-Method tools/call"));
      g_assert_true (record_has (f, "header Mcp-Name echo"));
    }
  close_client (f);
  g_clear_object (&f->client);
  g_clear_object (&f->transport);

  /* A result that asks for more input (multi round-trip) is an error. */
  f->transport = mode == STDIO ? stdio_transport (f, input, NULL) : http_transport (f, input, NULL);
  g_assert_true (try_connect (f, &error));
  more = call (f, "echo", "{\"text\": \"hello\"}", 0, NULL, &error);
  g_assert_null (more);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_BAD_REQUEST);
  g_assert_nonnull (strstr (error->message, "more input"));
  close_client (f);
}

static void
test_init_timeout (Fixture       *f,
                   gconstpointer  data)
{
  Mode mode = GPOINTER_TO_INT (data);
  const char * const extra[] = { "--no-init", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  f->transport = mode_transport (f, mode, extra);
  f->client = byok_mcp_client_new (f->transport);
  byok_mcp_client_set_timeout (f->client, 300);
  byok_mcp_client_connect_async (f->client, NULL, byok_test_store_result, &result);
  g_assert_false (byok_mcp_client_connect_finish (f->client, byok_test_wait_result (&result), &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "initialize"));
  /* initialize is never cancelled */
  g_assert_false (record_has (f, "cancelled"));
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  Mode mode = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ByokMcpToolResult) hung = NULL;
  g_autoptr(ByokMcpToolResult) echo = NULL;

  connect_mode (f, mode, NULL);
  byok_mcp_client_call_tool_async (f->client, "hang", NULL, 0, cancellable, byok_test_store_result, &result);
  wait_record (f, "hanging");
  g_cancellable_cancel (cancellable);
  hung = byok_mcp_client_call_tool_finish (f->client, byok_test_wait_result (&result), &error);
  g_assert_null (hung);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_CANCELLED);
  g_clear_error (&error);
  /* The server is told which request: the tools/call, id 2 */
  wait_record (f, "cancelled 2");

  /* … and the conversation goes on */
  echo = call (f, "echo", "{\"text\": \"still here\"}", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (echo->text, ==, "still here");
}

static void
test_call_timeout (Fixture       *f,
                   gconstpointer  data)
{
  Mode mode = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokMcpToolResult) hung = NULL;
  g_autoptr(ByokMcpToolResult) echo = NULL;

  connect_mode (f, mode, NULL);
  hung = call (f, "hang", NULL, 300, NULL, &error);
  g_assert_null (hung);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "tools/call"));
  g_clear_error (&error);
  wait_record (f, "cancelled 2");

  echo = call (f, "echo", "{\"text\": \"after a timeout\"}", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (echo->text, ==, "after a timeout");
}

static void
on_closed (ByokMcpClient *client,
           const GError  *error,
           gpointer       user_data)
{
  if (error != NULL && *(GError **) user_data == NULL)
    *(GError **) user_data = g_error_copy (error);
}

static void
test_crash (Fixture       *f,
            gconstpointer  data)
{
  Mode mode = GPOINTER_TO_INT (data);
  const char * const extra[] = { "--stderr", "about to start", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) closed = NULL;
  g_autoptr(ByokMcpToolResult) crashed = NULL;
  g_autoptr(ByokMcpToolResult) after = NULL;

  connect_mode (f, mode, mode == STDIO ? extra : NULL);
  g_signal_connect (f->client, "closed", G_CALLBACK (on_closed), &closed);
  crashed = call (f, "crash", NULL, 0, NULL, &error);
  g_assert_null (crashed);
  if (mode == STDIO)
    {
      g_autofree char *log = NULL;

      g_assert_error (error, BYOK_ERROR, BYOK_ERROR_SERVER);
      g_assert_nonnull (strstr (error->message, "exit status 3"));
      g_assert_nonnull (strstr (error->message, f->log));
      g_assert_nonnull (closed);
      g_assert_true (byok_mcp_client_is_closed (f->client));
      /* A later call fails at once, clearly */
      g_clear_error (&error);
      after = call (f, "echo", NULL, 0, NULL, &error);
      g_assert_error (error, BYOK_ERROR, BYOK_ERROR_SERVER);
      /* What the server wrote to stderr is in its log */
      g_assert_true (g_file_get_contents (f->log, &log, NULL, NULL));
      g_assert_nonnull (strstr (log, "about to start"));
      g_assert_nonnull (strstr (log, "crashing on purpose"));
      g_assert_nonnull (strstr (log, "exit status 3"));
    }
  else
    g_assert_error (error, BYOK_ERROR, BYOK_ERROR_NETWORK);
}

static void
on_tools_changed (ByokMcpClient *client,
                  gpointer       user_data)
{
  (*(guint *) user_data)++;
}

static void
test_list_changed (Fixture       *f,
                   gconstpointer  data)
{
  Mode mode = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(ByokMcpToolResult) grown = NULL;
  guint changed = 0;

  connect_mode (f, mode, NULL);
  g_signal_connect (f->client, "tools-changed", G_CALLBACK (on_tools_changed), &changed);
  before = list_tools (f, &error);
  g_assert_cmpuint (before->len, ==, 10);
  grown = call (f, "grow", NULL, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);
  after = list_tools (f, &error);
  g_assert_cmpuint (after->len, ==, 11);
  g_assert_cmpstr (byok_mcp_tool_get_name (g_ptr_array_index (after, 10)), ==, "extra");
}

static void
test_server_ping (Fixture       *f,
                  gconstpointer  data)
{
  const char * const extra[] = { "--ping", NULL };

  connect_mode (f, STDIO, extra);
  wait_record (f, "ping-answered");
}

static void
test_shutdown_escalates (Fixture       *f,
                         gconstpointer  data)
{
  const char * const stay[] = { "--stay", NULL };
  const char * const stubborn[] = { "--stay", "--ignore-term", NULL };
  g_autofree char *log = NULL;

  /* Ignores its closed stdin: SIGTERM ends it */
  connect_mode (f, STDIO, stay);
  byok_mcp_stdio_transport_set_grace (BYOK_MCP_STDIO_TRANSPORT (f->transport), 200);
  close_client (f);
  g_assert_true (record_has (f, "SIGTERM"));
  g_clear_object (&f->client);
  g_clear_object (&f->transport);

  /* Ignores SIGTERM too: SIGKILL ends it */
  connect_mode (f, STDIO, stubborn);
  byok_mcp_stdio_transport_set_grace (BYOK_MCP_STDIO_TRANSPORT (f->transport), 200);
  close_client (f);
  g_clear_object (&f->client);
  g_assert_true (g_file_get_contents (f->log, &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "SIGKILL"));
  g_assert_nonnull (strstr (log, "signal 9"));
}

static void
test_log_private (Fixture       *f,
                  gconstpointer  data)
{
  const char * const extra[] = { "--stderr", "a line for the log", NULL };
  GStatBuf st;

  connect_mode (f, STDIO, extra);
  close_client (f);
  g_clear_object (&f->client);
  g_assert_cmpint (g_stat (f->log, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_env (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GHashTable) env = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokMcpToolResult) value = NULL;

  g_hash_table_insert (env, "BYOK_TEST_SECRET", "fake-test-secret-value");
  g_setenv ("OPENAI_API_KEY", "sk-fake-test-key-in-byoks-environment", TRUE);
  f->transport = stdio_transport (f, NULL, env);
  g_assert_true (try_connect (f, &error));
  value = call (f, "env", "{\"name\": \"BYOK_TEST_SECRET\"}", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value->text, ==, "fake-test-secret-value");

  /* Byok's own environment, where a provider's key may be, stays Byok's */
  g_clear_pointer (&value, byok_mcp_tool_result_free);
  value = call (f, "env", "{\"name\": \"OPENAI_API_KEY\"}", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value->text, ==, "(unset)");
  g_clear_pointer (&value, byok_mcp_tool_result_free);
  value = call (f, "env", "{\"name\": \"HOME\"}", 0, NULL, &error);
  g_assert_cmpstr (value->text, ==, g_get_home_dir ());
}

static void
test_http_token (Fixture       *f,
                 gconstpointer  data)
{
  const char * const extra[] = { "--token", "fake-test-token-abc", NULL };
  g_autofree char *url = start_http_server (f, extra, &f->http_server);
  g_autoptr(GError) error = NULL;

  /* Without the right token: refused, said as such */
  f->transport = byok_mcp_http_transport_new ("test", url, "fake-test-token-wrong", NULL);
  g_assert_false (try_connect (f, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_AUTH);
  g_assert_null (strstr (error->message, "fake-test-token"));
  g_clear_error (&error);
  g_clear_object (&f->client);
  g_clear_object (&f->transport);

  f->transport = byok_mcp_http_transport_new ("test", url, "fake-test-token-abc", NULL);
  g_assert_true (try_connect (f, &error));
  g_assert_no_error (error);
}

static void
test_http_redirect (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *other_record = g_build_filename (f->dir, "other.txt", NULL);
  g_autoptr(GSubprocess) other = NULL;
  g_autofree char *other_url = NULL;
  g_autoptr(GError) error = NULL;
  char *saved = f->record;

  /* The redirect's target: another server (another origin: another port) */
  f->record = other_record;
  other_url = start_http_server (f, NULL, &other);
  f->record = saved;
  {
    const char * const extra[] = { "--redirect", other_url, NULL };
    g_autofree char *url = start_http_server (f, extra, &f->http_server);

    f->transport = byok_mcp_http_transport_new ("test", url, "fake-test-token-redirect", NULL);
  }
  g_assert_false (try_connect (f, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "redirect"));
  /* The other server never saw a request, so never the token */
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (other_record, &contents, NULL, NULL));
    g_assert_null (strstr (contents, "initialize"));
  }
  g_subprocess_force_exit (other);
  g_subprocess_wait (other, NULL, NULL);
  g_remove (other_record);
}

static void
test_http_session_ended (Fixture       *f,
                         gconstpointer  data)
{
  const char * const extra[] = { "--expire", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokMcpToolResult) first = NULL;
  g_autoptr(ByokMcpToolResult) second = NULL;

  connect_mode (f, HTTP, extra);
  first = call (f, "echo", "{\"text\": \"one\"}", 0, NULL, &error);
  g_assert_no_error (error);
  /* The server ended the session: a clear error, and the client is done,
   * so that the manager starts a new session next time */
  second = call (f, "echo", "{\"text\": \"two\"}", 0, NULL, &error);
  g_assert_null (second);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "ended the session"));
  g_assert_true (byok_mcp_client_is_closed (f->client));
  g_assert_true (record_has (f, "expired session"));
}

/* The session is ready once the server accepted notifications/initialized:
 * over HTTP every POST has a connection of its own, so a request sent
 * before that answer can overtake it. This server takes its time over the
 * notification and refuses what comes before it (as MCP servers on the
 * Python SDK do); the first tool call must not be refused, and the server
 * sees it once, after the notification. (Before, the client said it was
 * ready at once, and this server refused the call every time.) */
static void
test_http_initialized_first (Fixture       *f,
                             gconstpointer  data)
{
  const char * const extra[] = { "--strict-init", "--expire", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokMcpToolResult) first = NULL;
  g_autofree char *contents = NULL;

  connect_mode (f, HTTP, extra);
  first = call (f, "echo", "{\"text\": \"one\"}", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  g_assert_false (record_has (f, "request before initialized"));
  g_assert_cmpuint (record_count (f, "\"method\":\"tools/call\""), ==, 1);
  g_assert_true (record_has (f, "\ninitialized\n"));
  contents = read_record (f);
  g_assert_true (strstr (contents, "\ninitialized\n") < strstr (contents, "\"method\":\"tools/call\""));
}

/* A connection that closes after the server read a tools/call, before a
 * byte of the answer: the tool may have run, so the call is not sent
 * again (by Byok or by libsoup, which gives every POST a connection of its
 * own and re-sends none); it fails as a network error. */
static void
test_http_call_dropped (Fixture       *f,
                        gconstpointer  data)
{
  const char * const extra[] = { "--drop-call", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokMcpToolResult) result = NULL;

  connect_mode (f, HTTP, extra);
  result = call (f, "echo", "{\"text\": \"once\"}", 0, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_NETWORK);
  g_assert_true (record_has (f, "dropped the connection"));
  g_assert_cmpuint (record_count (f, "\"method\":\"tools/call\""), ==, 1);
}

/* The server ends the session with a tool call, which it answers; a
 * request sent meanwhile is refused (404) first. The tool ran: its answer
 * is the call's result, not the other request's "ended the session" (so
 * nobody runs it again thinking it failed). */
static void
test_http_session_ended_meanwhile (Fixture       *f,
                                   gconstpointer  data)
{
  const char * const extra[] = { "--expire", "--answer-late", NULL };
  g_autoptr(GAsyncResult) first_result = NULL;
  g_autoptr(GAsyncResult) second_result = NULL;
  g_autoptr(ByokMcpToolResult) first = NULL;
  g_autoptr(ByokMcpToolResult) second = NULL;
  g_autoptr(GError) first_error = NULL;
  g_autoptr(GError) second_error = NULL;
  g_autoptr(JsonNode) one = json_from_string ("{\"text\": \"one\"}", NULL);
  g_autoptr(JsonNode) two = json_from_string ("{\"text\": \"two\"}", NULL);

  connect_mode (f, HTTP, extra);
  byok_mcp_client_call_tool_async (f->client, "echo", json_node_get_object (one), 0, NULL,
                                   byok_test_store_result, &first_result);
  wait_record (f, "answer held");
  byok_mcp_client_call_tool_async (f->client, "echo", json_node_get_object (two), 0, NULL,
                                   byok_test_store_result, &second_result);
  second = byok_mcp_client_call_tool_finish (f->client, byok_test_wait_result (&second_result), &second_error);
  g_assert_null (second);
  g_assert_error (second_error, BYOK_ERROR, BYOK_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (second_error->message, "ended the session"));
  g_assert_true (byok_mcp_client_is_closed (f->client));

  first = byok_mcp_client_call_tool_finish (f->client, byok_test_wait_result (&first_result), &first_error);
  g_assert_no_error (first_error);
  g_assert_nonnull (first);
  g_assert_cmpstr (first->text, ==, "one");
  g_assert_false (first->is_error);
}

static void
test_http_insecure (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->transport = byok_mcp_http_transport_new ("test", "http://mcp.example.invalid/mcp", "fake-test-token", NULL);
  g_assert_false (try_connect (f, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INSECURE);
  g_assert_null (strstr (error->message, "fake-test-token"));
}

static void
test_model_names (void)
{
  g_autofree char *plain = byok_mcp_tool_model_name ("files", "read_file");
  g_autofree char *dotted = byok_mcp_tool_model_name ("files", "admin.tools.list");
  g_autofree char *underscored = byok_mcp_tool_model_name ("files", "admin_tools_list");
  g_autofree char *long_name = NULL;
  g_autofree char *server = NULL;
  GString *tool = g_string_new (NULL);

  g_assert_cmpstr (plain, ==, "files__read_file");
  /* A name changed to fit is marked with its hash, so two never meet */
  g_assert_true (g_str_has_prefix (dotted, "files__admin_tools_list-"));
  g_assert_cmpstr (underscored, !=, dotted);
  for (guint i = 0; i < 100; i++)
    g_string_append_c (tool, 'x');
  long_name = byok_mcp_tool_model_name ("github", tool->str);
  g_assert_cmpuint (strlen (long_name), ==, 64);
  g_string_free (tool, TRUE);
  for (const char *p = long_name; *p != '\0'; p++)
    g_assert_true (g_ascii_isalnum (*p) || *p == '_' || *p == '-');

  server = byok_mcp_tool_model_name_server (long_name);
  g_assert_cmpstr (server, ==, "github");
  g_assert_false (byok_mcp_server_name_is_valid ("a__b"));
  g_assert_false (byok_mcp_server_name_is_valid ("a_"));
  g_assert_false (byok_mcp_server_name_is_valid ("my server"));
  g_assert_true (byok_mcp_server_name_is_valid ("my-server_2"));
}

int
main (int    argc,
      char **argv)
{
  static const struct {
    const char *name;
    Mode mode;
  } modes[] = {
    { "stdio", STDIO },
    { "http", HTTP },
    { "http-sse", HTTP_SSE },
  };

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp-client/model-names", test_model_names);
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autofree char *lifecycle = g_strdup_printf ("/mcp-client/%s/lifecycle", modes[i].name);
      g_autofree char *timeout = g_strdup_printf ("/mcp-client/%s/init-timeout", modes[i].name);
      g_autofree char *cancel = g_strdup_printf ("/mcp-client/%s/cancel", modes[i].name);
      g_autofree char *call_timeout = g_strdup_printf ("/mcp-client/%s/call-timeout", modes[i].name);
      g_autofree char *crash = g_strdup_printf ("/mcp-client/%s/crash", modes[i].name);
      gconstpointer mode = GINT_TO_POINTER (modes[i].mode);

      g_test_add (lifecycle, Fixture, mode, fixture_set_up, test_lifecycle, fixture_tear_down);
      g_test_add (timeout, Fixture, mode, fixture_set_up, test_init_timeout, fixture_tear_down);
      g_test_add (cancel, Fixture, mode, fixture_set_up, test_cancel, fixture_tear_down);
      g_test_add (call_timeout, Fixture, mode, fixture_set_up, test_call_timeout, fixture_tear_down);
      g_test_add (crash, Fixture, mode, fixture_set_up, test_crash, fixture_tear_down);
    }
  g_test_add ("/mcp-client/stdio/list-changed", Fixture, GINT_TO_POINTER (STDIO), fixture_set_up,
              test_list_changed, fixture_tear_down);
  g_test_add ("/mcp-client/http-sse/list-changed", Fixture, GINT_TO_POINTER (HTTP_SSE), fixture_set_up,
              test_list_changed, fixture_tear_down);
  g_test_add ("/mcp-client/stdio/versions", Fixture, NULL, fixture_set_up, test_versions, fixture_tear_down);
  g_test_add ("/mcp-client/stdio/stateless", Fixture, GINT_TO_POINTER (STDIO), fixture_set_up, test_stateless,
              fixture_tear_down);
  g_test_add ("/mcp-client/http/stateless", Fixture, GINT_TO_POINTER (HTTP), fixture_set_up, test_stateless,
              fixture_tear_down);
  g_test_add ("/mcp-client/stdio/server-ping", Fixture, NULL, fixture_set_up, test_server_ping, fixture_tear_down);
  g_test_add ("/mcp-client/stdio/shutdown-escalates", Fixture, NULL, fixture_set_up, test_shutdown_escalates,
              fixture_tear_down);
  g_test_add ("/mcp-client/stdio/log-private", Fixture, NULL, fixture_set_up, test_log_private, fixture_tear_down);
  g_test_add ("/mcp-client/stdio/env", Fixture, NULL, fixture_set_up, test_env, fixture_tear_down);
  g_test_add ("/mcp-client/http/token", Fixture, NULL, fixture_set_up, test_http_token, fixture_tear_down);
  g_test_add ("/mcp-client/http/redirect", Fixture, NULL, fixture_set_up, test_http_redirect, fixture_tear_down);
  g_test_add ("/mcp-client/http/session-ended", Fixture, NULL, fixture_set_up, test_http_session_ended,
              fixture_tear_down);
  g_test_add ("/mcp-client/http/initialized-first", Fixture, NULL, fixture_set_up, test_http_initialized_first,
              fixture_tear_down);
  g_test_add ("/mcp-client/http/call-dropped", Fixture, NULL, fixture_set_up, test_http_call_dropped,
              fixture_tear_down);
  g_test_add ("/mcp-client/http/session-ended-meanwhile", Fixture, NULL, fixture_set_up,
              test_http_session_ended_meanwhile, fixture_tear_down);
  g_test_add ("/mcp-client/http/insecure", Fixture, NULL, fixture_set_up, test_http_insecure, fixture_tear_down);
  return g_test_run ();
}
