/* byok-mcp-manager.h — the configured MCP servers, running when needed
 *
 * What the app and byok-cli use. The manager reads its ByokMcpConfig,
 * starts a server the first time something needs it (its secrets read
 * from the keyring then), keeps it running, lists its tools (cached until
 * the server says they changed, when they are listed again and
 * `tools-changed` is emitted) and calls them. A server that stops is
 * started again when next needed (`server-stopped` says it stopped). The
 * app calls byok_mcp_manager_shutdown_async() (or _wait()) when it quits;
 * disposing the manager kills what still runs.
 *
 * Tools are offered to a model under their model-visible name
 * (byok-mcp-tool.h); byok_mcp_manager_lookup_tool() maps one back.
 *
 * One main context: create it, call it and get its callbacks on the
 * thread that runs that context (the GTK main thread; byok-cli's main).
 * Errors are in the BYOK_ERROR domain: %BYOK_ERROR_INVALID (no such
 * server or tool, switched off), %BYOK_ERROR_KEYRING, and the client's
 * (%BYOK_ERROR_TIMEOUT, %BYOK_ERROR_SERVER, %BYOK_ERROR_NOT_FOUND …).
 */
#pragma once

#include "byok-mcp-config.h"
#include "byok-mcp-tool.h"
#include "byok-mcp-tool-result.h"

G_BEGIN_DECLS

#define BYOK_TYPE_MCP_MANAGER (byok_mcp_manager_get_type ())
G_DECLARE_FINAL_TYPE (ByokMcpManager, byok_mcp_manager, BYOK, MCP_MANAGER, GObject)

ByokMcpManager    *byok_mcp_manager_new                (ByokMcpConfig        *config);
ByokMcpConfig     *byok_mcp_manager_get_config         (ByokMcpManager       *self);
void               byok_mcp_manager_set_timeouts       (ByokMcpManager       *self,
                                                        guint                 request_ms,
                                                        guint                 call_ms);
void               byok_mcp_manager_set_log_dir        (ByokMcpManager       *self,
                                                        const char           *dir);
char              *byok_mcp_manager_get_log_path       (ByokMcpManager       *self,
                                                        const char           *server);
gboolean           byok_mcp_manager_is_running         (ByokMcpManager       *self,
                                                        const char           *server);

void               byok_mcp_manager_list_tools_async   (ByokMcpManager       *self,
                                                        const char           *server,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
GPtrArray         *byok_mcp_manager_list_tools_finish  (ByokMcpManager       *self,
                                                        GAsyncResult         *result,
                                                        GPtrArray           **failures,
                                                        GError              **error);
ByokMcpTool       *byok_mcp_manager_lookup_tool        (ByokMcpManager       *self,
                                                        const char           *model_name);

void               byok_mcp_manager_call_tool_async    (ByokMcpManager       *self,
                                                        const char           *server,
                                                        const char           *tool,
                                                        const char           *arguments_json,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
ByokMcpToolResult *byok_mcp_manager_call_tool_finish   (ByokMcpManager       *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

void               byok_mcp_manager_stop_server_async  (ByokMcpManager       *self,
                                                        const char           *server,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean           byok_mcp_manager_stop_server_finish (ByokMcpManager       *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void               byok_mcp_manager_shutdown_async     (ByokMcpManager       *self,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean           byok_mcp_manager_shutdown_finish    (ByokMcpManager       *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void               byok_mcp_manager_shutdown_wait      (ByokMcpManager       *self);

G_END_DECLS
