/* byok-mcp-jsonrpc.c — JSON-RPC 2.0 messages as MCP sends them */
#define G_LOG_DOMAIN "byok-mcp"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "byok-error.h"
#include "byok-json.h"
#include "byok-mcp-jsonrpc.h"

static const char * const protocol_versions[] = {
  BYOK_MCP_PROTOCOL_LATEST,
  "2025-06-18",
  "2025-03-26",
  "2024-11-05",
  NULL
};

/* Every MCP revision Byok speaks, newest first, NULL-terminated. */
const char * const *
byok_mcp_protocol_versions (void)
{
  return protocol_versions;
}

gboolean
byok_mcp_protocol_is_supported (const char *version)
{
  return version != NULL && g_strv_contains (protocol_versions, version);
}

/* An id Byok gave: an integer (some servers send it back as a float). */
static gboolean
read_id (JsonNode *node,
         gint64   *id)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *id = json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *id = (gint64) json_node_get_double (node);
  else
    *id = -1;  /* a string id: a server's request, never one of Byok's */
  return TRUE;
}

/**
 * byok_mcp_jsonrpc_classify:
 * @message: a parsed message
 * @id: (out) (optional): a request's or response's integer id; -1 for a
 *   string or null id
 *
 * Returns: what @message is
 */
ByokMcpMessageKind
byok_mcp_jsonrpc_classify (JsonNode *message,
                           gint64   *id)
{
  JsonObject *object;
  gint64 local_id = -1;
  gboolean has_id;

  if (id != NULL)
    *id = -1;
  if (message == NULL || !JSON_NODE_HOLDS_OBJECT (message))
    return BYOK_MCP_MESSAGE_INVALID;
  object = json_node_get_object (message);
  if (g_strcmp0 (byok_json_get_string (object, "jsonrpc"), "2.0") != 0)
    return BYOK_MCP_MESSAGE_INVALID;

  has_id = json_object_has_member (object, "id") &&
           read_id (json_object_get_member (object, "id"), &local_id);
  if (id != NULL)
    *id = local_id;

  if (byok_json_get_string (object, "method") != NULL)
    return has_id ? BYOK_MCP_MESSAGE_REQUEST : BYOK_MCP_MESSAGE_NOTIFICATION;
  if (json_object_has_member (object, "result") && has_id)
    return BYOK_MCP_MESSAGE_RESULT;
  if (byok_json_get_object (object, "error") != NULL)
    return BYOK_MCP_MESSAGE_ERROR;
  return BYOK_MCP_MESSAGE_INVALID;
}

/**
 * byok_mcp_jsonrpc_parse:
 *
 * Parses one message (UTF-8, nesting gated). Returns: (transfer full): the
 * message, an object; or %NULL with %BYOK_ERROR_MALFORMED.
 */
JsonNode *
byok_mcp_jsonrpc_parse (const char  *text,
                        gsize        len,
                        GError     **error)
{
  g_autoptr(JsonNode) node = byok_json_parse (text, len, error);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                           _("The MCP server sent something that is not a JSON-RPC message."));
      return NULL;
    }
  return g_steal_pointer (&node);
}

static char *
to_line (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static JsonBuilder *
begin_message (void)
{
  JsonBuilder *builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jsonrpc");
  json_builder_add_string_value (builder, "2.0");
  return builder;
}

static void
add_member_node (JsonBuilder *builder,
                 const char  *name,
                 JsonNode    *node)
{
  if (node == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_value (builder, json_node_copy (node));
}

/* A request (with @id) or a notification (without), as one line. */
static char *
call_line (gboolean    with_id,
           gint64      id,
           const char *method,
           JsonNode   *params)
{
  g_autoptr(JsonBuilder) builder = begin_message ();

  if (with_id)
    {
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, id);
    }
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, method);
  add_member_node (builder, "params", params);
  json_builder_end_object (builder);
  return to_line (builder);
}

/* Returns: (transfer full): the request as one line, without its newline */
char *
byok_mcp_jsonrpc_request (gint64      id,
                          const char *method,
                          JsonNode   *params)
{
  return call_line (TRUE, id, method, params);
}

char *
byok_mcp_jsonrpc_notification (const char *method,
                               JsonNode   *params)
{
  return call_line (FALSE, 0, method, params);
}

char *
byok_mcp_jsonrpc_result (JsonNode *id,
                         JsonNode *result)
{
  g_autoptr(JsonBuilder) builder = begin_message ();

  add_member_node (builder, "id", id);
  if (result != NULL)
    add_member_node (builder, "result", result);
  else
    {
      json_builder_set_member_name (builder, "result");
      json_builder_begin_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  return to_line (builder);
}

char *
byok_mcp_jsonrpc_error (JsonNode   *id,
                        int         code,
                        const char *message)
{
  g_autoptr(JsonBuilder) builder = begin_message ();

  if (id != NULL)
    add_member_node (builder, "id", id);
  else
    {
      json_builder_set_member_name (builder, "id");
      json_builder_add_null_value (builder);
    }
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return to_line (builder);
}

/* The server's own message, made safe to show: one line, at most 300
 * characters. */
static char *
short_message (const char *message)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (message == NULL || *message == '\0')
    return g_strdup (_("no reason given"));
  valid = g_utf8_make_valid (message, -1);
  out = g_string_new (NULL);
  for (const char *p = valid; *p != '\0' && g_utf8_strlen (out->str, -1) < 300; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
    }
  if (*valid != '\0' && g_utf8_strlen (valid, -1) > 300)
    g_string_append (out, "…");
  return g_string_free (out, FALSE);
}

/**
 * byok_mcp_jsonrpc_error_new:
 * @server: the server's name, as the person configured it
 * @method: the request that failed ("tools/call")
 * @error: the response's `error` member
 *
 * Maps a JSON-RPC error to the BYOK_ERROR domain: an unknown method is
 * %BYOK_ERROR_NOT_FOUND, invalid parameters (also an unknown tool) are
 * %BYOK_ERROR_BAD_REQUEST, anything else %BYOK_ERROR_SERVER.
 */
GError *
byok_mcp_jsonrpc_error_new (const char *server,
                            const char *method,
                            JsonObject *error)
{
  gint64 code = 0;
  g_autofree char *message = short_message (error != NULL ? byok_json_get_string (error, "message") : NULL);

  if (error != NULL)
    byok_json_get_int (error, "code", &code);

  switch (code)
    {
    case BYOK_MCP_JSONRPC_METHOD_NOT_FOUND:
      /* Translators: %1$s is an MCP server's name, %2$s a method ("tools/call"), %3$s the server's message */
      return g_error_new (BYOK_ERROR, BYOK_ERROR_NOT_FOUND,
                          _("The MCP server “%1$s” does not know “%2$s” (%3$s)."),
                          server, method, message);
    case BYOK_MCP_JSONRPC_INVALID_PARAMS:
    case BYOK_MCP_JSONRPC_INVALID_REQUEST:
      /* Translators: %1$s is an MCP server's name, %2$s a method, %3$s the server's message */
      return g_error_new (BYOK_ERROR, BYOK_ERROR_BAD_REQUEST,
                          _("The MCP server “%1$s” refused “%2$s”: %3$s"),
                          server, method, message);
    default:
      /* Translators: %1$s is an MCP server's name, %2$s a method, %3$s the
       * server's message, %4$d a JSON-RPC error code */
      return g_error_new (BYOK_ERROR, BYOK_ERROR_SERVER,
                          _("The MCP server “%1$s” failed “%2$s”: %3$s (error %4$d)."),
                          server, method, message, (int) code);
    }
}
