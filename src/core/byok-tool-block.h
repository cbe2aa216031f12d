/* byok-tool-block.h — one tool call of an answer, as the answer keeps it
 *
 * What the person sees of a tool the model used, stored with the answer
 * (ByokMessage's tool-blocks, the column messages.tool_calls) so that it
 * comes back after a restart and goes into exports: which tool on which
 * MCP server, the arguments the model gave, what came back, whether the
 * person allowed it, and what the step that asked for it cost.
 *
 * Plain data, depending on nothing: the chat page fills it from the
 * call's tool-call and tool-result signals, byok-cli from the result.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * ByokToolBlockState:
 * @BYOK_TOOL_BLOCK_RUNNING: asked for; waiting for the person or running
 * @BYOK_TOOL_BLOCK_DONE: it ran and answered
 * @BYOK_TOOL_BLOCK_ERROR: it ran and failed, or could not be run
 * @BYOK_TOOL_BLOCK_DENIED: the person refused it; the model was told
 * @BYOK_TOOL_BLOCK_STOPPED: the answer was stopped before it came back
 */
typedef enum {
  BYOK_TOOL_BLOCK_RUNNING,
  BYOK_TOOL_BLOCK_DONE,
  BYOK_TOOL_BLOCK_ERROR,
  BYOK_TOOL_BLOCK_DENIED,
  BYOK_TOOL_BLOCK_STOPPED,
} ByokToolBlockState;

/**
 * ByokToolBlock:
 * @call_id: the model's id for the call
 * @name: the tool's name as the model called it
 * @server: (nullable): the MCP server it is on, when known
 * @tool: (nullable): the tool's own name on that server, when known
 * @arguments: the arguments as JSON text ("{}" for none)
 * @result: (nullable): what came back (or why it did not run); %NULL
 *   while it runs
 * @state: what became of it
 * @step: the model's answer that asked for it, from 1
 * @step_cost_usd: what that step cost; NAN when not known
 */
typedef struct {
  char               *call_id;
  char               *name;
  char               *server;
  char               *tool;
  char               *arguments;
  char               *result;
  ByokToolBlockState  state;
  guint               step;
  double              step_cost_usd;
} ByokToolBlock;

#define BYOK_TYPE_TOOL_BLOCK (byok_tool_block_get_type ())

GType          byok_tool_block_get_type      (void) G_GNUC_CONST;
ByokToolBlock *byok_tool_block_new           (const char          *call_id,
                                              const char          *name,
                                              const char          *arguments);
ByokToolBlock *byok_tool_block_copy          (const ByokToolBlock *block);
void           byok_tool_block_free          (ByokToolBlock       *block);
void           byok_tool_block_set_origin    (ByokToolBlock       *block,
                                              const char          *server,
                                              const char          *tool);
void           byok_tool_block_finish        (ByokToolBlock       *block,
                                              ByokToolBlockState   state,
                                              const char          *result);
const char    *byok_tool_block_get_title     (const ByokToolBlock *block);
char          *byok_tool_block_dup_pretty_arguments (const ByokToolBlock *block);

char          *byok_tool_arguments_pretty    (const char          *arguments);
char          *byok_tool_block_describe      (const ByokToolBlock *block);

const char    *byok_tool_block_state_describe    (ByokToolBlockState  state);
const char    *byok_tool_block_state_to_string   (ByokToolBlockState  state);
gboolean       byok_tool_block_state_from_string (const char         *str,
                                                  ByokToolBlockState *state);

GPtrArray     *byok_tool_blocks_copy         (GPtrArray           *blocks);
char          *byok_tool_blocks_to_json      (GPtrArray           *blocks);
GPtrArray     *byok_tool_blocks_from_json    (const char          *json,
                                              GError             **error);
JsonNode      *byok_tool_block_to_json_node  (const ByokToolBlock *block);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokToolBlock, byok_tool_block_free)

G_END_DECLS
