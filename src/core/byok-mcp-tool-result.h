/* byok-mcp-tool-result.h — what a tool call gave back
 *
 * `tools/call`'s result made ready for a model and a person: @text holds
 * every content item as text (text as it is; an image or audio as a short
 * placeholder such as "[image/png image]"; a resource link as its name,
 * URI and description; an embedded text resource as its text), items
 * separated by a blank line, or the structured content as JSON when
 * there is no other. Images are kept as their bytes, for a model that
 * takes images and for the UI. @is_error is the server's `isError`: the
 * tool ran and failed, which the model is told (not a Byok error).
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct {
  char   *mime_type;
  GBytes *data;
} ByokMcpImage;

typedef struct {
  char      *text;          /* never NULL */
  GPtrArray *images;        /* ByokMcpImage, never NULL */
  GPtrArray *links;         /* URIs of resource links (char *), never NULL */
  JsonNode  *structured;    /* `structuredContent`, or NULL */
  gboolean   is_error;
} ByokMcpToolResult;

#define BYOK_TYPE_MCP_TOOL_RESULT (byok_mcp_tool_result_get_type ())

GType              byok_mcp_tool_result_get_type   (void) G_GNUC_CONST;
ByokMcpToolResult *byok_mcp_tool_result_new        (void);
ByokMcpToolResult *byok_mcp_tool_result_new_from_json (JsonObject              *result);
ByokMcpToolResult *byok_mcp_tool_result_copy       (const ByokMcpToolResult *self);
void               byok_mcp_tool_result_free       (ByokMcpToolResult       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokMcpToolResult, byok_mcp_tool_result_free)

G_END_DECLS
