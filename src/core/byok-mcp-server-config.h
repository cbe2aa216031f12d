/* byok-mcp-server-config.h — how one MCP server is reached, as configured
 *
 * A plain struct, copied in and out of ByokMcpConfig. It holds no secret:
 * @env and @headers are the *names* of the variables and headers whose
 * values are in the keyring (ByokMcpSecrets), @has_token says whether a
 * bearer token is there.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  BYOK_MCP_TRANSPORT_STDIO,
  BYOK_MCP_TRANSPORT_HTTP,
} ByokMcpTransportKind;

typedef struct {
  char                 *name;            /* byok_mcp_server_name_is_valid() */
  ByokMcpTransportKind  transport;
  char                 *command;         /* stdio */
  GStrv                 args;            /* stdio; never NULL */
  char                 *url;             /* http */
  GStrv                 env;             /* variable names; never NULL */
  GStrv                 headers;         /* header names; never NULL */
  gboolean              has_token;
  gboolean              enabled;
  GStrv                 disabled_tools;  /* never NULL */
  GStrv                 always_allow;    /* never NULL */
} ByokMcpServerConfig;

#define BYOK_TYPE_MCP_SERVER_CONFIG (byok_mcp_server_config_get_type ())

GType                byok_mcp_server_config_get_type       (void) G_GNUC_CONST;
ByokMcpServerConfig *byok_mcp_server_config_new            (const char                *name,
                                                            ByokMcpTransportKind       transport);
ByokMcpServerConfig *byok_mcp_server_config_copy           (const ByokMcpServerConfig *self);
void                 byok_mcp_server_config_free           (ByokMcpServerConfig       *self);

gboolean             byok_mcp_server_config_validate       (const ByokMcpServerConfig *self,
                                                            GError                   **error);
gboolean             byok_mcp_server_config_secret_name_is_valid (ByokMcpTransportKind transport,
                                                            const char                *name);
JsonNode            *byok_mcp_server_config_to_json        (const ByokMcpServerConfig *self);
ByokMcpServerConfig *byok_mcp_server_config_new_from_json  (JsonObject                *object,
                                                            const char                *where,
                                                            GError                   **error);

gboolean             byok_mcp_server_config_tool_enabled   (const ByokMcpServerConfig *self,
                                                            const char                *tool);
gboolean             byok_mcp_server_config_tool_always_allowed (const ByokMcpServerConfig *self,
                                                            const char                *tool);
void                 byok_mcp_server_config_set_tool_enabled (ByokMcpServerConfig     *self,
                                                            const char                *tool,
                                                            gboolean                   enabled);
void                 byok_mcp_server_config_set_tool_always_allow (ByokMcpServerConfig *self,
                                                            const char                *tool,
                                                            gboolean                   always);

const char          *byok_mcp_transport_kind_to_string     (ByokMcpTransportKind       kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokMcpServerConfig, byok_mcp_server_config_free)

G_END_DECLS
