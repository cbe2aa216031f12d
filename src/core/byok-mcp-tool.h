/* byok-mcp-tool.h — one tool of an MCP server, as Byok offers it
 *
 * What `tools/list` said about a tool (name, title, description, input
 * schema, annotations), which server it is on, and what the person set:
 * enabled (the per-tool switch) and always-allow (approval not asked).
 *
 * The model-visible name. A model calls a tool by one name that must be
 * unique across every server and valid for every provider (OpenAI,
 * Anthropic and Gemini take ^[A-Za-z0-9_-]{1,64}$):
 *
 *     SERVER "__" TOOL
 *
 * Server names are restricted to that alphabet, without "__" and without
 * a trailing "_" (byok_mcp_server_name_is_valid()), so the first "__"
 * separates the two and the mapping is one to one. A tool name outside
 * the alphabet (MCP allows ".") or too long is shortened, its other
 * characters written "_", and ends in "-" and the first 8 hex digits of
 * the SHA-256 of "SERVER\nTOOL": still unique in practice, and stable.
 * byok_mcp_tool_model_name_server() gives back the server of a name;
 * ByokMcpManager finds the tool (byok_mcp_manager_resolve_model_name()).
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define BYOK_MCP_MODEL_NAME_MAX  64
#define BYOK_MCP_SERVER_NAME_MAX 32

#define BYOK_TYPE_MCP_TOOL (byok_mcp_tool_get_type ())
G_DECLARE_FINAL_TYPE (ByokMcpTool, byok_mcp_tool, BYOK, MCP_TOOL, GObject)

ByokMcpTool *byok_mcp_tool_new_from_json          (const char   *server,
                                                   JsonObject   *object,
                                                   GError      **error);

const char  *byok_mcp_tool_get_server             (ByokMcpTool  *self);
const char  *byok_mcp_tool_get_name               (ByokMcpTool  *self);
const char  *byok_mcp_tool_get_title              (ByokMcpTool  *self);
const char  *byok_mcp_tool_get_description        (ByokMcpTool  *self);
JsonNode    *byok_mcp_tool_get_input_schema       (ByokMcpTool  *self);
char        *byok_mcp_tool_dup_input_schema_json  (ByokMcpTool  *self);
const char  *byok_mcp_tool_get_model_name         (ByokMcpTool  *self);
gboolean     byok_mcp_tool_get_read_only_hint     (ByokMcpTool  *self);
gboolean     byok_mcp_tool_get_destructive_hint   (ByokMcpTool  *self);

gboolean     byok_mcp_tool_get_enabled            (ByokMcpTool  *self);
void         byok_mcp_tool_set_enabled            (ByokMcpTool  *self,
                                                   gboolean      enabled);
gboolean     byok_mcp_tool_get_always_allow       (ByokMcpTool  *self);
void         byok_mcp_tool_set_always_allow       (ByokMcpTool  *self,
                                                   gboolean      always_allow);

char        *byok_mcp_tool_model_name             (const char   *server,
                                                   const char   *tool);
char        *byok_mcp_tool_model_name_server      (const char   *model_name);
gboolean     byok_mcp_server_name_is_valid        (const char   *name);

G_END_DECLS
