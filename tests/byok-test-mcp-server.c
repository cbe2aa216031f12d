/* byok-test-mcp-server.c — an MCP server for Byok's tests
 *
 *   byok-test-mcp-server [OPTIONS]          stdio: one message per line
 *   byok-test-mcp-server --http [OPTIONS]   Streamable HTTP on 127.0.0.1:
 *                                           prints its URL on stdout, runs
 *                                           until stdin closes
 *
 * Tools: echo {text}, add {a, b}, image (text and a PNG), fail (isError),
 * link (a resource_link), env {name} (the value of a variable in its
 * environment), hang (never answers; a notifications/cancelled for it is
 * recorded), crash (exits with status 3 mid-call), grow (adds the tool
 * "extra" and says notifications/tools/list_changed before answering),
 * and "dotted.name".
 *
 * --record FILE appends what it received and did, one line each, for the
 * tests to read: every message as received, "cancelled ID", "DELETE
 * SESSION", "ping-answered", "header NAME VALUE" for the MCP headers, and
 * over HTTP "HTTP request N: METHOD from port P" for every request (which
 * connection it came on).
 *
 * --strict-init (HTTP) takes notifications/initialized in only after a
 * while and refuses other requests until then ("request before
 * initialized"), as servers on the MCP Python SDK do. --drop-call (HTTP)
 * reads a tools/call and closes the connection without a byte of answer.
 * --answer-late (HTTP, with --expire) holds the answer to a tools/call
 * until it has refused a later request because the session had ended.
 *
 * --stateless speaks only MCP 2026-07-28 (no initialize; server/discover;
 * the revision required in every request's _meta; "resultType" in every
 * result); --result-type T makes its tools/call answer that resultType.
 */
#include "config.h"

#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "byok-test-util.h"

/* A 1×1 PNG */
#define PNG_BASE64 "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="

static gboolean opt_http;
static char *opt_record;
static int opt_page_size;
static char *opt_protocol;
static gboolean opt_no_init;
static gboolean opt_sse;
static gboolean opt_session;
static gboolean opt_expire;
static char *opt_token;
static char *opt_redirect;
static gboolean opt_ping;
static gboolean opt_stay;
static gboolean opt_ignore_term;
static char *opt_stderr;
static gboolean opt_stateless;
static char *opt_result_type;
static gboolean opt_strict_init;
static gboolean opt_drop_call;
static gboolean opt_answer_late;

static const GOptionEntry entries[] = {
  { "http", 0, 0, G_OPTION_ARG_NONE, &opt_http, "Serve Streamable HTTP", NULL },
  { "record", 0, 0, G_OPTION_ARG_FILENAME, &opt_record, "Append what happens to FILE", "FILE" },
  { "page-size", 0, 0, G_OPTION_ARG_INT, &opt_page_size, "Tools per page of tools/list", "N" },
  { "protocol", 0, 0, G_OPTION_ARG_STRING, &opt_protocol, "Answer initialize with this version", "V" },
  { "no-init", 0, 0, G_OPTION_ARG_NONE, &opt_no_init, "Never answer initialize", NULL },
  { "sse", 0, 0, G_OPTION_ARG_NONE, &opt_sse, "Answer POSTs as event streams", NULL },
  { "session", 0, 0, G_OPTION_ARG_NONE, &opt_session, "Give and require Mcp-Session-Id", NULL },
  { "expire", 0, 0, G_OPTION_ARG_NONE, &opt_expire, "End the session after each tool call", NULL },
  { "token", 0, 0, G_OPTION_ARG_STRING, &opt_token, "Require this bearer token", "T" },
  { "redirect", 0, 0, G_OPTION_ARG_STRING, &opt_redirect, "Answer POSTs with a 307 to URL", "URL" },
  { "ping", 0, 0, G_OPTION_ARG_NONE, &opt_ping, "Ping the client after initialization", NULL },
  { "stay", 0, 0, G_OPTION_ARG_NONE, &opt_stay, "Keep running when stdin closes", NULL },
  { "ignore-term", 0, 0, G_OPTION_ARG_NONE, &opt_ignore_term, "Ignore SIGTERM", NULL },
  { "stderr", 0, 0, G_OPTION_ARG_STRING, &opt_stderr, "Write TEXT to stderr at start", "TEXT" },
  { "stateless", 0, 0, G_OPTION_ARG_NONE, &opt_stateless, "Speak only MCP 2026-07-28: no initialize, _meta required", NULL },
  { "result-type", 0, 0, G_OPTION_ARG_STRING, &opt_result_type, "With --stateless: tools/call's resultType", "T" },
  { "strict-init", 0, 0, G_OPTION_ARG_NONE, &opt_strict_init,
    "HTTP: refuse requests before notifications/initialized, which takes a while", NULL },
  { "drop-call", 0, 0, G_OPTION_ARG_NONE, &opt_drop_call,
    "HTTP: close the connection after reading a tools/call, answering nothing", NULL },
  { "answer-late", 0, 0, G_OPTION_ARG_NONE, &opt_answer_late,
    "HTTP, with --expire: answer a tools/call only after refusing the next request", NULL },
  { NULL }
};

static GMainLoop *loop;
static gboolean grown;
static char *session_id;
static guint http_requests;
static gboolean initialized;
static SoupServerMessage *late_answer;   /* --answer-late: a tools/call's answer, held */

static void
record (const char *format,
        ...) G_GNUC_PRINTF (1, 2);

static void
record (const char *format,
        ...)
{
  g_autofree char *line = NULL;
  FILE *file;
  va_list args;

  if (opt_record == NULL)
    return;
  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  file = fopen (opt_record, "a");
  if (file == NULL)
    return;
  fprintf (file, "%s\n", line);
  fclose (file);
}

/* ---- building messages ---- */

static char *
node_to_line (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

static char *
result_line (JsonNode   *id,
             JsonObject *result)
{
  g_autoptr(JsonObject) message = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (message, "jsonrpc", "2.0");
  json_object_set_member (message, "id", json_node_copy (id));
  if (opt_stateless && !json_object_has_member (result, "resultType"))
    json_object_set_string_member (result, "resultType", "complete");
  json_object_set_object_member (message, "result", result);
  json_node_set_object (node, message);
  return node_to_line (node);
}

static char *
error_line (JsonNode   *id,
            int         code,
            const char *text)
{
  g_autoptr(JsonObject) message = json_object_new ();
  JsonObject *error = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (message, "jsonrpc", "2.0");
  json_object_set_member (message, "id", json_node_copy (id));
  json_object_set_int_member (error, "code", code);
  json_object_set_string_member (error, "message", text);
  json_object_set_object_member (message, "error", error);
  json_node_set_object (node, message);
  return node_to_line (node);
}

static JsonObject *
text_result (const char *text,
             gboolean    is_error)
{
  JsonObject *result = json_object_new ();
  JsonArray *content = json_array_new ();
  JsonObject *item = json_object_new ();

  json_object_set_string_member (item, "type", "text");
  json_object_set_string_member (item, "text", text);
  json_array_add_object_element (content, item);
  json_object_set_array_member (result, "content", content);
  if (is_error)
    json_object_set_boolean_member (result, "isError", TRUE);
  return result;
}

static JsonObject *
tool_object (const char *name,
             const char *description,
             const char *property)
{
  JsonObject *tool = json_object_new ();
  JsonObject *schema = json_object_new ();
  JsonObject *properties = json_object_new ();

  json_object_set_string_member (tool, "name", name);
  json_object_set_string_member (tool, "description", description);
  json_object_set_string_member (schema, "type", "object");
  if (property != NULL)
    {
      JsonObject *prop = json_object_new ();

      json_object_set_string_member (prop, "type", "string");
      json_object_set_object_member (properties, property, prop);
    }
  json_object_set_object_member (schema, "properties", properties);
  json_object_set_object_member (tool, "inputSchema", schema);
  return tool;
}

static GPtrArray *
all_tools (void)
{
  GPtrArray *tools = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  g_ptr_array_add (tools, tool_object ("echo", "Says the text back", "text"));
  g_ptr_array_add (tools, tool_object ("add", "Adds a and b", NULL));
  g_ptr_array_add (tools, tool_object ("image", "Gives a text and an image", NULL));
  g_ptr_array_add (tools, tool_object ("fail", "Always fails", NULL));
  g_ptr_array_add (tools, tool_object ("link", "Gives a resource link", NULL));
  g_ptr_array_add (tools, tool_object ("env", "Reads a variable of its environment", "name"));
  g_ptr_array_add (tools, tool_object ("hang", "Never answers", NULL));
  g_ptr_array_add (tools, tool_object ("crash", "Exits mid-call", NULL));
  g_ptr_array_add (tools, tool_object ("grow", "Adds a tool", NULL));
  g_ptr_array_add (tools, tool_object ("dotted.name", "A name with a dot", NULL));
  if (grown)
    g_ptr_array_add (tools, tool_object ("extra", "Added by grow", NULL));
  return tools;
}

/* ---- handling ---- */

typedef struct {
  GPtrArray *out;         /* lines to send */
  gboolean answered;      /* a response is among them */
  gboolean hang;
} Outcome;

static void
list_tools (JsonNode   *id,
            JsonObject *params,
            Outcome    *outcome)
{
  g_autoptr(GPtrArray) tools = all_tools ();
  JsonObject *result = json_object_new ();
  JsonArray *array = json_array_new ();
  const char *cursor = params != NULL && json_object_has_member (params, "cursor")
                       ? json_object_get_string_member (params, "cursor") : NULL;
  guint start = cursor != NULL ? (guint) g_ascii_strtoull (cursor + strlen ("page-"), NULL, 10) : 0;
  guint end = opt_page_size > 0 ? MIN (start + (guint) opt_page_size, tools->len) : tools->len;

  for (guint i = start; i < end; i++)
    json_array_add_object_element (array, json_object_ref (g_ptr_array_index (tools, i)));
  json_object_set_array_member (result, "tools", array);
  if (end < tools->len)
    {
      g_autofree char *next = g_strdup_printf ("page-%u", end);

      json_object_set_string_member (result, "nextCursor", next);
    }
  g_ptr_array_add (outcome->out, result_line (id, result));
  outcome->answered = TRUE;
}

static void
call_tool (JsonNode   *id,
           JsonObject *params,
           Outcome    *outcome)
{
  const char *name = json_object_get_string_member_with_default (params, "name", "");
  JsonObject *arguments = json_object_has_member (params, "arguments")
                          ? json_object_get_object_member (params, "arguments") : NULL;
  JsonObject *result = NULL;

  if (g_str_equal (name, "echo"))
    result = text_result (arguments != NULL ? json_object_get_string_member_with_default (arguments, "text", "") : "",
                          FALSE);
  else if (g_str_equal (name, "add"))
    {
      g_autofree char *sum = g_strdup_printf ("%" G_GINT64_FORMAT,
                                              json_object_get_int_member_with_default (arguments, "a", 0) +
                                              json_object_get_int_member_with_default (arguments, "b", 0));

      result = text_result (sum, FALSE);
    }
  else if (g_str_equal (name, "image"))
    {
      JsonArray *content;
      JsonObject *image = json_object_new ();

      result = text_result ("a red dot", FALSE);
      content = json_object_get_array_member (result, "content");
      json_object_set_string_member (image, "type", "image");
      json_object_set_string_member (image, "data", PNG_BASE64);
      json_object_set_string_member (image, "mimeType", "image/png");
      json_array_add_object_element (content, image);
    }
  else if (g_str_equal (name, "fail"))
    result = text_result ("the tool failed on purpose", TRUE);
  else if (g_str_equal (name, "link"))
    {
      JsonArray *content = json_array_new ();
      JsonObject *link = json_object_new ();

      result = json_object_new ();
      json_object_set_string_member (link, "type", "resource_link");
      json_object_set_string_member (link, "uri", "file:///tmp/report.txt");
      json_object_set_string_member (link, "name", "report.txt");
      json_object_set_string_member (link, "description", "The report");
      json_array_add_object_element (content, link);
      json_object_set_array_member (result, "content", content);
    }
  else if (g_str_equal (name, "env"))
    {
      const char *var = arguments != NULL ? json_object_get_string_member_with_default (arguments, "name", "") : "";
      const char *value = g_getenv (var);

      result = text_result (value != NULL ? value : "(unset)", FALSE);
    }
  else if (g_str_equal (name, "hang"))
    {
      record ("hanging");
      outcome->hang = TRUE;
      return;
    }
  else if (g_str_equal (name, "crash"))
    {
      record ("crashing");
      fprintf (stderr, "test server: crashing on purpose\n");
      exit (3);
    }
  else if (g_str_equal (name, "grow"))
    {
      grown = TRUE;
      g_ptr_array_add (outcome->out,
                       g_strdup ("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}"));
      result = text_result ("grown", FALSE);
    }
  else if (g_str_equal (name, "dotted.name") || g_str_equal (name, "extra"))
    result = text_result (name, FALSE);
  else
    {
      g_ptr_array_add (outcome->out, error_line (id, -32602, "Unknown tool"));
      outcome->answered = TRUE;
      return;
    }
  g_ptr_array_add (outcome->out, result_line (id, result));
  outcome->answered = TRUE;
}

/* MCP 2026-07-28 only: initialize is an unknown method (its error names
 * the revision spoken), server/discover says what it speaks, and every
 * request must carry the revision in _meta (else UnsupportedProtocol-
 * VersionError). Whether it answered. */
static gboolean
handle_stateless (JsonNode    *id,
                  const char  *method,
                  JsonObject  *params,
                  Outcome     *outcome)
{
  JsonObject *meta = params != NULL && json_object_has_member (params, "_meta")
                     ? json_object_get_object_member (params, "_meta") : NULL;
  const char *version = meta != NULL
                        ? json_object_get_string_member_with_default (meta, "io.modelcontextprotocol/protocolVersion", NULL)
                        : NULL;

  outcome->answered = TRUE;
  if (g_str_equal (method, "initialize"))
    {
      g_ptr_array_add (outcome->out, error_line (id, -32601, "Method not found: this server speaks MCP 2026-07-28 only"));
      return TRUE;
    }
  if (g_strcmp0 (version, "2026-07-28") != 0)
    {
      g_autoptr(JsonObject) message = json_object_new ();
      JsonObject *error = json_object_new ();
      JsonObject *data = json_object_new ();
      JsonArray *supported = json_array_new ();
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_array_add_string_element (supported, "2026-07-28");
      json_object_set_array_member (data, "supported", supported);
      json_object_set_string_member (data, "requested", version != NULL ? version : "");
      json_object_set_int_member (error, "code", -32022);
      json_object_set_string_member (error, "message", "Unsupported protocol version");
      json_object_set_object_member (error, "data", data);
      json_object_set_string_member (message, "jsonrpc", "2.0");
      json_object_set_member (message, "id", json_node_copy (id));
      json_object_set_object_member (message, "error", error);
      json_node_set_object (node, message);
      g_ptr_array_add (outcome->out, node_to_line (node));
      record ("unsupported version %s", version != NULL ? version : "(none)");
      return TRUE;
    }
  if (json_object_has_member (meta, "io.modelcontextprotocol/clientInfo"))
    record ("client info");
  if (g_str_equal (method, "server/discover"))
    {
      JsonObject *result = json_object_new ();
      JsonArray *versions = json_array_new ();
      JsonObject *caps = json_object_new ();
      JsonObject *result_meta = json_object_new ();
      JsonObject *info = json_object_new ();

      json_array_add_string_element (versions, "2026-07-28");
      json_object_set_array_member (result, "supportedVersions", versions);
      json_object_set_object_member (caps, "tools", json_object_new ());
      json_object_set_object_member (result, "capabilities", caps);
      json_object_set_string_member (info, "name", "byok-test-mcp-server");
      json_object_set_string_member (info, "version", "2.0");
      json_object_set_object_member (result_meta, "io.modelcontextprotocol/serverInfo", info);
      json_object_set_object_member (result, "_meta", result_meta);
      json_object_set_string_member (result, "instructions", "Stateless.");
      g_ptr_array_add (outcome->out, result_line (id, result));
      return TRUE;
    }
  if (g_str_equal (method, "tools/call") && opt_result_type != NULL)
    {
      JsonObject *result = json_object_new ();

      json_object_set_string_member (result, "resultType", opt_result_type);
      json_object_set_object_member (result, "inputRequests", json_object_new ());
      g_ptr_array_add (outcome->out, result_line (id, result));
      return TRUE;
    }
  outcome->answered = FALSE;
  return FALSE;
}

static void
handle (const char *line,
        Outcome    *outcome)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *message, *params;
  JsonNode *id;
  const char *method;

  record ("%s", line);
  if (!json_parser_load_from_data (parser, line, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_autoptr(JsonNode) null_id = json_node_new (JSON_NODE_NULL);

      g_ptr_array_add (outcome->out, error_line (null_id, -32700, "Parse error"));
      return;
    }
  message = json_node_get_object (json_parser_get_root (parser));
  method = json_object_get_string_member_with_default (message, "method", NULL);
  id = json_object_get_member (message, "id");
  params = json_object_has_member (message, "params") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (message, "params"))
           ? json_object_get_object_member (message, "params") : NULL;

  if (method == NULL)
    {
      /* A response: the client's answer to our ping */
      if (json_object_has_member (message, "result"))
        record ("ping-answered");
      return;
    }
  if (id == NULL)
    {
      if (g_str_equal (method, "notifications/cancelled") && params != NULL)
        record ("cancelled %" G_GINT64_FORMAT, json_object_get_int_member_with_default (params, "requestId", -1));
      else if (g_str_equal (method, "notifications/initialized") && opt_ping)
        g_ptr_array_add (outcome->out, g_strdup ("{\"jsonrpc\":\"2.0\",\"id\":\"server-ping-1\",\"method\":\"ping\"}"));
      return;
    }

  if (opt_stateless && handle_stateless (id, method, params, outcome))
    return;
  if (g_str_equal (method, "initialize"))
    {
      JsonObject *result, *caps, *tools, *info;
      const char *asked;

      if (opt_no_init)
        {
          outcome->hang = TRUE;
          return;
        }
      asked = params != NULL ? json_object_get_string_member_with_default (params, "protocolVersion", "") : "";
      result = json_object_new ();
      caps = json_object_new ();
      tools = json_object_new ();
      info = json_object_new ();
      json_object_set_string_member (result, "protocolVersion", opt_protocol != NULL ? opt_protocol : asked);
      json_object_set_boolean_member (tools, "listChanged", TRUE);
      json_object_set_object_member (caps, "tools", tools);
      json_object_set_object_member (result, "capabilities", caps);
      json_object_set_string_member (info, "name", "byok-test-mcp-server");
      json_object_set_string_member (info, "version", "1.0");
      json_object_set_object_member (result, "serverInfo", info);
      json_object_set_string_member (result, "instructions", "Use echo to test.");
      g_ptr_array_add (outcome->out, result_line (id, result));
      outcome->answered = TRUE;
    }
  else if (g_str_equal (method, "ping"))
    {
      g_ptr_array_add (outcome->out, result_line (id, json_object_new ()));
      outcome->answered = TRUE;
    }
  else if (g_str_equal (method, "tools/list"))
    list_tools (id, params, outcome);
  else if (g_str_equal (method, "tools/call") && params != NULL)
    call_tool (id, params, outcome);
  else
    {
      g_ptr_array_add (outcome->out, error_line (id, -32601, "Method not found"));
      outcome->answered = TRUE;
    }
}

/* ---- stdio ---- */

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                                     NULL, NULL);
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  Outcome outcome = { out, FALSE, FALSE };

  if (line == NULL)
    {
      record ("stdin closed");
      if (!opt_stay)
        g_main_loop_quit (loop);
      return;
    }
  handle (line, &outcome);
  for (guint i = 0; i < out->len; i++)
    {
      fputs (g_ptr_array_index (out, i), stdout);
      fputc ('\n', stdout);
    }
  fflush (stdout);
  g_data_input_stream_read_line_async (G_DATA_INPUT_STREAM (source), G_PRIORITY_DEFAULT, NULL,
                                       read_line_cb, NULL);
}

/* ---- HTTP ---- */

static void
record_header (SoupServerMessage *msg,
               const char        *name)
{
  const char *value = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), name);

  if (value != NULL)
    record ("header %s %s", name, value);
}

/* --strict-init: notifications/initialized is taken in only after a
 * while (as a server that queues it behind other work), and accepted
 * (202) then. A client that sends its next request before that answer
 * has it refused, as MCP servers built on the Python SDK refuse requests
 * before initialization is complete. */
#define INITIALIZING_MS 200

static gboolean
finish_initializing (gpointer user_data)
{
  g_autoptr(SoupServerMessage) msg = user_data;

  initialized = TRUE;
  record ("initialized");
  soup_server_message_set_status (msg, 202, NULL);
  soup_server_message_unpause (msg);
  return G_SOURCE_REMOVE;
}

/* --answer-late: the tool call's answer goes out once the refusal of a
 * later request (the session had ended) is out, and a moment after, so
 * that the client has read that refusal first. */
static gboolean
send_late_answer (gpointer user_data)
{
  g_autoptr(SoupServerMessage) msg = g_steal_pointer (&late_answer);

  record ("answer sent");
  soup_server_message_unpause (msg);
  return G_SOURCE_REMOVE;
}

static void
refusal_sent (SoupServerMessage *msg,
              gpointer           user_data)
{
  if (late_answer != NULL)
    g_timeout_add (100, send_late_answer, NULL);
}

/* --drop-call: the connection closes with the request read and not a
 * byte of answer sent. */
static gboolean
drop_connection (gpointer user_data)
{
  g_autoptr(GIOStream) conn = soup_server_message_steal_connection (user_data);

  if (conn != NULL)
    g_io_stream_close (conn, NULL, NULL);
  return G_SOURCE_REMOVE;
}

static void
handle_http (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *auth = soup_message_headers_get_one (request, "Authorization");
  const char *sid = soup_message_headers_get_one (request, "Mcp-Session-Id");
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  Outcome outcome = { out, FALSE, FALSE };
  g_autoptr(GBytes) body = NULL;
  g_autofree char *text = NULL;
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  gboolean is_init;

  /* Which connection each request came on: a request seen twice, or two
   * in another order than sent, shows here */
  record ("HTTP request %u: %s from port %u", ++http_requests, method,
          G_IS_INET_SOCKET_ADDRESS (remote) ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (remote)) : 0);
  record_header (msg, "MCP-Protocol-Version");
  record_header (msg, "Mcp-Session-Id");
  record_header (msg, "Mcp-Method");
  record_header (msg, "Mcp-Name");
  if (opt_token != NULL)
    {
      g_autofree char *expected = g_strconcat ("Bearer ", opt_token, NULL);

      if (g_strcmp0 (auth, expected) != 0)
        {
          record ("unauthorized");
          soup_server_message_set_status (msg, 401, NULL);
          return;
        }
    }
  if (g_str_equal (method, "DELETE"))
    {
      record ("DELETE %s", sid != NULL ? sid : "(none)");
      soup_server_message_set_status (msg, 200, NULL);
      return;
    }
  if (!g_str_equal (method, "POST"))
    {
      soup_server_message_set_status (msg, 405, NULL);
      return;
    }
  if (opt_redirect != NULL)
    {
      soup_message_headers_replace (response, "Location", opt_redirect);
      soup_server_message_set_status (msg, 307, NULL);
      return;
    }

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  is_init = strstr (text, "\"initialize\"") != NULL;
  if (opt_session && !is_init && sid != NULL && session_id == NULL)
    {
      record ("expired session");
      soup_server_message_set_status (msg, 404, NULL);
      if (late_answer != NULL)
        g_signal_connect (msg, "finished", G_CALLBACK (refusal_sent), NULL);
      return;
    }
  if (opt_session && !is_init && g_strcmp0 (sid, session_id) != 0)
    {
      record ("bad session");
      soup_server_message_set_status (msg, 400, NULL);
      return;
    }
  if (opt_drop_call && strstr (text, "\"tools/call\"") != NULL)
    {
      record ("%s", text);
      record ("dropped the connection");
      soup_server_message_pause (msg);
      g_idle_add_full (G_PRIORITY_DEFAULT, drop_connection, g_object_ref (msg), g_object_unref);
      return;
    }
  if (opt_strict_init && strstr (text, "\"notifications/initialized\"") != NULL)
    {
      handle (text, &outcome);
      soup_server_message_pause (msg);
      g_timeout_add (INITIALIZING_MS, finish_initializing, g_object_ref (msg));
      return;
    }
  if (opt_strict_init && !is_init && !initialized && strstr (text, "\"ping\"") == NULL)
    {
      static const char refusal[] = "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,"
                                    "\"message\":\"Received request before initialization was complete\"}}";

      record ("request before initialized");
      soup_server_message_set_status (msg, 400, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, refusal, strlen (refusal));
      return;
    }
  handle (text, &outcome);
  if (opt_expire && strstr (text, "\"tools/call\"") != NULL)
    g_clear_pointer (&session_id, g_free);
  if (opt_session && is_init)
    {
      g_free (session_id);
      session_id = g_strdup ("test-session-1234");
      soup_message_headers_replace (response, "Mcp-Session-Id", session_id);
    }

  if (outcome.hang)
    {
      /* Never answered: the connection stays open until the client goes. */
      soup_server_message_pause (msg);
      return;
    }
  if (!outcome.answered && out->len == 0)
    {
      soup_server_message_set_status (msg, 202, NULL);
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  if (opt_sse)
    {
      GString *stream = g_string_new (": a comment first\n\n");

      for (guint i = 0; i < out->len; i++)
        g_string_append_printf (stream, "event: message\ndata: %s\n\n", (char *) g_ptr_array_index (out, i));
      soup_server_message_set_response (msg, "text/event-stream", SOUP_MEMORY_TAKE, stream->str, stream->len);
      g_string_free (stream, FALSE);
    }
  else
    {
      /* Only the response; notifications need an event stream. */
      const char *last = g_ptr_array_index (out, out->len - 1);

      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, last, strlen (last));
    }
  if (opt_answer_late && strstr (text, "\"tools/call\"") != NULL && late_answer == NULL)
    {
      record ("answer held");
      late_answer = g_object_ref (msg);
      soup_server_message_pause (msg);
    }
}

static void
stdin_eof_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    g_main_loop_quit (loop);
  else
    g_input_stream_read_bytes_async (G_INPUT_STREAM (source), 4096, G_PRIORITY_DEFAULT, NULL, stdin_eof_cb, NULL);
}

static gboolean
on_sigterm (gpointer user_data)
{
  record ("SIGTERM");
  if (!opt_ignore_term)
    g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) in = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_autoptr(SoupServer) server = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_sigterm, NULL);
  if (opt_stderr != NULL)
    {
      fprintf (stderr, "%s\n", opt_stderr);
      fflush (stderr);
    }
  record ("started pid %d", (int) getpid ());

  if (opt_http)
    {
      g_autofree char *base = NULL;

      server = soup_server_new (NULL, NULL);
      soup_server_add_handler (server, "/mcp", handle_http, NULL, NULL);
      base = byok_test_listen_loopback (server);
      printf ("%s/mcp\n", base);
      fflush (stdout);
      g_input_stream_read_bytes_async (in, 4096, G_PRIORITY_DEFAULT, NULL, stdin_eof_cb, NULL);
    }
  else
    {
      g_autoptr(GDataInputStream) data = g_data_input_stream_new (in);

      g_data_input_stream_read_line_async (data, G_PRIORITY_DEFAULT, NULL, read_line_cb, NULL);
    }
  g_main_loop_run (loop);
  record ("exiting");
  g_main_loop_unref (loop);
  g_free (session_id);
  return 0;
}
