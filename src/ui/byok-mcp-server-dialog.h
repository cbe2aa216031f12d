/* byok-mcp-server-dialog.h — asks for an MCP server, new or to edit: its
 * name, the command that starts it or the URL it answers at, and the
 * names of its environment variables or headers and its bearer token,
 * whose values go to the keyring and are never shown again (a stored one
 * shows masked and can be replaced or removed) */
#pragma once

#include "byok-compat.h"
#include "byok-mcp-secrets.h"
#include "byok-mcp-server-config.h"

G_BEGIN_DECLS

/* The response that adds, or saves an edited server */
#define BYOK_MCP_SERVER_DIALOG_RESPONSE_ADD "add"

#define BYOK_TYPE_MCP_SERVER_DIALOG (byok_mcp_server_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ByokMcpServerDialog, byok_mcp_server_dialog, BYOK, MCP_SERVER_DIALOG, ByokAlertParent)

ByokMcpServerDialog *byok_mcp_server_dialog_new             (void);
ByokMcpServerDialog *byok_mcp_server_dialog_new_for_server  (const ByokMcpServerConfig *server);
const char          *byok_mcp_server_dialog_get_old_name    (ByokMcpServerDialog       *self);
ByokMcpServerConfig *byok_mcp_server_dialog_dup_server      (ByokMcpServerDialog       *self);
ByokMcpSecrets      *byok_mcp_server_dialog_dup_secrets     (ByokMcpServerDialog       *self);

G_END_DECLS
