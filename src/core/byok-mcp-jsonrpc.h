/* byok-mcp-jsonrpc.h — JSON-RPC 2.0 messages as MCP sends them
 *
 * One message is one JSON object written on one line (json-glib escapes
 * every newline inside strings). Byok's requests carry integer ids; a
 * response is matched to its request by that id (ByokMcpClient). No
 * batches: MCP 2025-06-18 removed them, and Byok never sends one.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The MCP revision Byok asks for, and every revision it accepts when a
 * server answers with an older one. Newest first. */
#define BYOK_MCP_PROTOCOL_LATEST "2025-11-25"

/* The stateless revision: no initialize, the version, the client's
 * identity and capabilities in every request's `_meta`, `server/discover`
 * to learn what the server speaks. Spoken with a server that refuses
 * initialize and says, through server/discover, that it speaks it. */
#define BYOK_MCP_PROTOCOL_STATELESS "2026-07-28"
#define BYOK_MCP_META_PREFIX "io.modelcontextprotocol/"

/* MCP 2026-07-28's own error code */
#define BYOK_MCP_JSONRPC_UNSUPPORTED_VERSION (-32022)

/* Standard JSON-RPC error codes */
#define BYOK_MCP_JSONRPC_PARSE_ERROR      (-32700)
#define BYOK_MCP_JSONRPC_INVALID_REQUEST  (-32600)
#define BYOK_MCP_JSONRPC_METHOD_NOT_FOUND (-32601)
#define BYOK_MCP_JSONRPC_INVALID_PARAMS   (-32602)
#define BYOK_MCP_JSONRPC_INTERNAL_ERROR   (-32603)

typedef enum {
  BYOK_MCP_MESSAGE_INVALID,
  BYOK_MCP_MESSAGE_REQUEST,       /* method and id */
  BYOK_MCP_MESSAGE_NOTIFICATION,  /* method, no id */
  BYOK_MCP_MESSAGE_RESULT,        /* id and result */
  BYOK_MCP_MESSAGE_ERROR,         /* id (perhaps null) and error */
} ByokMcpMessageKind;

const char * const *byok_mcp_protocol_versions     (void);
gboolean            byok_mcp_protocol_is_supported (const char   *version);

ByokMcpMessageKind  byok_mcp_jsonrpc_classify      (JsonNode     *message,
                                                    gint64       *id);
JsonNode           *byok_mcp_jsonrpc_parse         (const char   *text,
                                                    gsize         len,
                                                    GError      **error);

char               *byok_mcp_jsonrpc_request       (gint64        id,
                                                    const char   *method,
                                                    JsonNode     *params);
char               *byok_mcp_jsonrpc_notification  (const char   *method,
                                                    JsonNode     *params);
char               *byok_mcp_jsonrpc_result        (JsonNode     *id,
                                                    JsonNode     *result);
char               *byok_mcp_jsonrpc_error         (JsonNode     *id,
                                                    int           code,
                                                    const char   *message);

GError             *byok_mcp_jsonrpc_error_new     (const char   *server,
                                                    const char   *method,
                                                    JsonObject   *error);

G_END_DECLS
