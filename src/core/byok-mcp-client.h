/* byok-mcp-client.h — one connection to one MCP server
 *
 * Speaks MCP (revisions 2024-11-05 to 2025-11-25, asking for the newest)
 * over a ByokMcpTransport: `initialize` with version negotiation, then
 * `notifications/initialized`; `tools/list` following every page's
 * cursor; `tools/call`; `ping` both ways; `notifications/cancelled` when
 * a caller's GCancellable fires or a request times out (never for
 * `initialize`, which the protocol forbids); `tools-changed` when the
 * server says `notifications/tools/list_changed`. Requests the client did
 * not announce a capability for (sampling, roots, elicitation) are
 * answered "method not found".
 *
 * Every request has a timeout (ByokMcpClient:timeout, default 30 s; a
 * tool call its own, default 2 minutes): a server that never answers gives
 * %BYOK_ERROR_TIMEOUT and the client stays usable. A server that stops
 * fails what was pending with %BYOK_ERROR_SERVER and emits `closed`;
 * the client is then done (ByokMcpManager starts a new one when needed).
 *
 * All on the main context of the thread that created it; not
 * thread-safe. Errors are in the BYOK_ERROR domain.
 */
#pragma once

#include "byok-mcp-tool.h"
#include "byok-mcp-tool-result.h"
#include "byok-mcp-transport.h"

G_BEGIN_DECLS

#define BYOK_MCP_DEFAULT_TIMEOUT_MS      30000
#define BYOK_MCP_DEFAULT_CALL_TIMEOUT_MS 120000

#define BYOK_TYPE_MCP_CLIENT (byok_mcp_client_get_type ())
G_DECLARE_FINAL_TYPE (ByokMcpClient, byok_mcp_client, BYOK, MCP_CLIENT, GObject)

ByokMcpClient     *byok_mcp_client_new                  (ByokMcpTransport     *transport);
ByokMcpTransport  *byok_mcp_client_get_transport        (ByokMcpClient        *self);
const char        *byok_mcp_client_get_name             (ByokMcpClient        *self);
void               byok_mcp_client_set_timeout          (ByokMcpClient        *self,
                                                         guint                 timeout_ms);
gboolean           byok_mcp_client_is_ready             (ByokMcpClient        *self);
gboolean           byok_mcp_client_is_closed            (ByokMcpClient        *self);
const char        *byok_mcp_client_get_protocol_version (ByokMcpClient        *self);
const char        *byok_mcp_client_get_server_name      (ByokMcpClient        *self);
const char        *byok_mcp_client_get_server_version   (ByokMcpClient        *self);
const char        *byok_mcp_client_get_instructions     (ByokMcpClient        *self);

void               byok_mcp_client_connect_async        (ByokMcpClient        *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean           byok_mcp_client_connect_finish       (ByokMcpClient        *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
void               byok_mcp_client_list_tools_async     (ByokMcpClient        *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
GPtrArray         *byok_mcp_client_list_tools_finish    (ByokMcpClient        *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
void               byok_mcp_client_call_tool_async      (ByokMcpClient        *self,
                                                         const char           *tool,
                                                         JsonObject           *arguments,
                                                         guint                 timeout_ms,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
ByokMcpToolResult *byok_mcp_client_call_tool_finish     (ByokMcpClient        *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
void               byok_mcp_client_ping_async           (ByokMcpClient        *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean           byok_mcp_client_ping_finish          (ByokMcpClient        *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
void               byok_mcp_client_close_async          (ByokMcpClient        *self,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean           byok_mcp_client_close_finish         (ByokMcpClient        *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

G_END_DECLS
