/* byok-mcp-server-dialog.h — asks for a new MCP server: its name, and the
 * command that starts it or the URL it answers at */
#pragma once

#include "byok-compat.h"
#include "byok-mcp-server-config.h"

G_BEGIN_DECLS

#define BYOK_MCP_SERVER_DIALOG_RESPONSE_ADD "add"

#define BYOK_TYPE_MCP_SERVER_DIALOG (byok_mcp_server_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ByokMcpServerDialog, byok_mcp_server_dialog, BYOK, MCP_SERVER_DIALOG, ByokAlertParent)

ByokMcpServerDialog *byok_mcp_server_dialog_new        (void);
ByokMcpServerConfig *byok_mcp_server_dialog_dup_server (ByokMcpServerDialog *self);

G_END_DECLS
