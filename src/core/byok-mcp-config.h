/* byok-mcp-config.h — the MCP servers a person configured
 *
 * Kept in `$XDG_CONFIG_HOME/byok/mcp-servers.json` (mode 0600, folder
 * 0700, replaced atomically; inside Flatpak the app's own config folder),
 * a file rather than the database because it holds settings, not
 * records, and a person may read it: {"version": 1, "servers": [ … ]},
 * each server as byok_mcp_server_config_to_json() writes it. It never
 * holds a secret: the values of environment variables and headers and the
 * bearer token are in the keyring (ByokMcpSecrets), the file keeping only
 * their names. The app and byok-cli share it: every change re-reads the
 * file first, then writes it whole.
 *
 * File work is synchronous (a small local file, like GSettings' keyfile);
 * what touches the keyring is asynchronous. Errors: %BYOK_ERROR_INVALID
 * for bad input or an unknown server, %BYOK_ERROR_STORAGE when the file
 * cannot be written, %BYOK_ERROR_MALFORMED when it cannot be read,
 * %BYOK_ERROR_KEYRING from the keyring.
 */
#pragma once

#include <gio/gio.h>

#include "byok-mcp-secrets.h"
#include "byok-mcp-server-config.h"

G_BEGIN_DECLS

#define BYOK_TYPE_MCP_CONFIG (byok_mcp_config_get_type ())
G_DECLARE_FINAL_TYPE (ByokMcpConfig, byok_mcp_config, BYOK, MCP_CONFIG, GObject)

char                *byok_mcp_config_default_path        (void);

ByokMcpConfig       *byok_mcp_config_new                 (const char           *path);
const char          *byok_mcp_config_get_path            (ByokMcpConfig        *self);
gboolean             byok_mcp_config_reload              (ByokMcpConfig        *self,
                                                          GError              **error);
GPtrArray           *byok_mcp_config_list                (ByokMcpConfig        *self);
ByokMcpServerConfig *byok_mcp_config_lookup              (ByokMcpConfig        *self,
                                                          const char           *name);

gboolean             byok_mcp_config_set_enabled         (ByokMcpConfig        *self,
                                                          const char           *name,
                                                          gboolean              enabled,
                                                          GError              **error);
gboolean             byok_mcp_config_set_tool_enabled    (ByokMcpConfig        *self,
                                                          const char           *name,
                                                          const char           *tool,
                                                          gboolean              enabled,
                                                          GError              **error);
gboolean             byok_mcp_config_set_tool_always_allow (ByokMcpConfig      *self,
                                                          const char           *name,
                                                          const char           *tool,
                                                          gboolean              always,
                                                          GError              **error);

void                 byok_mcp_config_add_async           (ByokMcpConfig        *self,
                                                          const ByokMcpServerConfig *server,
                                                          ByokMcpSecrets       *secrets,
                                                          gboolean              replace,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean             byok_mcp_config_add_finish          (ByokMcpConfig        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void                 byok_mcp_config_update_async        (ByokMcpConfig        *self,
                                                          const char           *old_name,
                                                          const ByokMcpServerConfig *server,
                                                          ByokMcpSecrets       *changes,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean             byok_mcp_config_update_finish       (ByokMcpConfig        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void                 byok_mcp_config_remove_async        (ByokMcpConfig        *self,
                                                          const char           *name,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean             byok_mcp_config_remove_finish       (ByokMcpConfig        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void                 byok_mcp_config_import_async        (ByokMcpConfig        *self,
                                                          const char           *json,
                                                          gsize                 len,
                                                          gboolean              replace,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
GStrv                byok_mcp_config_import_finish       (ByokMcpConfig        *self,
                                                          GAsyncResult         *result,
                                                          GStrv                *skipped,
                                                          GError              **error);

G_END_DECLS
