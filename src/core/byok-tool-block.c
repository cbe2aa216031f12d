/* byok-tool-block.c — one tool call of an answer, as the answer keeps it */
#define G_LOG_DOMAIN "byok-tool"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "byok-error.h"
#include "byok-format.h"
#include "byok-json.h"
#include "byok-tool-block.h"

G_DEFINE_BOXED_TYPE (ByokToolBlock, byok_tool_block, byok_tool_block_copy, byok_tool_block_free)

static const char * const state_names[] = {
  [BYOK_TOOL_BLOCK_RUNNING] = "running",
  [BYOK_TOOL_BLOCK_DONE]    = "done",
  [BYOK_TOOL_BLOCK_ERROR]   = "error",
  [BYOK_TOOL_BLOCK_DENIED]  = "denied",
  [BYOK_TOOL_BLOCK_STOPPED] = "stopped",
};

const char *
byok_tool_block_state_to_string (ByokToolBlockState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_names), "error");
  return state_names[state];
}

gboolean
byok_tool_block_state_from_string (const char         *str,
                                   ByokToolBlockState *state)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (state_names); i++)
    if (g_str_equal (str, state_names[i]))
      {
        *state = i;
        return TRUE;
      }
  return FALSE;
}

/* What became of a call, in a word a person reads. */
const char *
byok_tool_block_state_describe (ByokToolBlockState state)
{
  switch (state)
    {
    case BYOK_TOOL_BLOCK_RUNNING:
      return C_("tool call", "Running");
    case BYOK_TOOL_BLOCK_DONE:
      return C_("tool call", "Allowed");
    case BYOK_TOOL_BLOCK_ERROR:
      return C_("tool call", "Failed");
    case BYOK_TOOL_BLOCK_DENIED:
      return C_("tool call", "Denied");
    case BYOK_TOOL_BLOCK_STOPPED:
    default:
      return C_("tool call", "Stopped");
    }
}

/**
 * byok_tool_block_describe:
 *
 * Returns: (transfer full): one line for a person: the tool, its server,
 *   what became of the call and the step's cost where known
 *   ("read_file on files · Allowed · $0.0012")
 */
char *
byok_tool_block_describe (const ByokToolBlock *block)
{
  GString *line = g_string_new (NULL);

  if (block->server != NULL && *block->server != '\0')
    /* Translators: a tool call in an answer: the tool's name, then the
     * MCP server it is on */
    g_string_append_printf (line, _("%s on %s"), byok_tool_block_get_title (block), block->server);
  else
    g_string_append (line, byok_tool_block_get_title (block));
  g_string_append (line, " · ");
  g_string_append (line, byok_tool_block_state_describe (block->state));
  if (!isnan (block->step_cost_usd))
    {
      g_autofree char *cost = byok_format_usd (block->step_cost_usd);

      g_string_append (line, " · ");
      g_string_append (line, cost);
    }
  return g_string_free (line, FALSE);
}

/**
 * byok_tool_block_new:
 * @arguments: (nullable): JSON text; %NULL for "{}"
 *
 * Returns: (transfer full): a running call of step 1, cost unknown
 */
ByokToolBlock *
byok_tool_block_new (const char *call_id,
                     const char *name,
                     const char *arguments)
{
  ByokToolBlock *block = g_new0 (ByokToolBlock, 1);

  block->call_id = g_strdup (call_id != NULL ? call_id : "");
  block->name = g_strdup (name != NULL ? name : "");
  block->arguments = g_strdup (arguments != NULL && *arguments != '\0' ? arguments : "{}");
  block->state = BYOK_TOOL_BLOCK_RUNNING;
  block->step = 1;
  block->step_cost_usd = NAN;
  return block;
}

ByokToolBlock *
byok_tool_block_copy (const ByokToolBlock *block)
{
  ByokToolBlock *copy = byok_tool_block_new (block->call_id, block->name, block->arguments);

  copy->server = g_strdup (block->server);
  copy->tool = g_strdup (block->tool);
  copy->result = g_strdup (block->result);
  copy->state = block->state;
  copy->step = block->step;
  copy->step_cost_usd = block->step_cost_usd;
  return copy;
}

void
byok_tool_block_free (ByokToolBlock *block)
{
  if (block == NULL)
    return;
  g_free (block->call_id);
  g_free (block->name);
  g_free (block->server);
  g_free (block->tool);
  g_free (block->arguments);
  g_free (block->result);
  g_free (block);
}

static void
replace_str (char       **field,
             const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*field);
  *field = copy;
}

/* Which server and which of its tools the model's name stands for. */
void
byok_tool_block_set_origin (ByokToolBlock *block,
                            const char    *server,
                            const char    *tool)
{
  replace_str (&block->server, server);
  replace_str (&block->tool, tool);
}

/* What became of the call; @result: what came back or why it did not run. */
void
byok_tool_block_finish (ByokToolBlock      *block,
                        ByokToolBlockState  state,
                        const char         *result)
{
  block->state = state;
  replace_str (&block->result, result);
}

/* The tool's own name where known, else the model's. */
const char *
byok_tool_block_get_title (const ByokToolBlock *block)
{
  return block->tool != NULL && *block->tool != '\0' ? block->tool : block->name;
}

/**
 * byok_tool_arguments_pretty:
 * @arguments: (nullable): a tool call's arguments, JSON text
 *
 * Returns: (transfer full): @arguments indented two spaces a level, "{}"
 *   for none, or as they are when they are not JSON
 */
char *
byok_tool_arguments_pretty (const char *arguments)
{
  g_autoptr(JsonNode) node = NULL;

  if (arguments == NULL || *arguments == '\0')
    return g_strdup ("{}");
  node = byok_json_parse (arguments, strlen (arguments), NULL);
  if (node == NULL)
    return g_strdup (arguments);
  return json_to_string (node, TRUE);
}

char *
byok_tool_block_dup_pretty_arguments (const ByokToolBlock *block)
{
  return byok_tool_arguments_pretty (block->arguments);
}

GPtrArray *
byok_tool_blocks_copy (GPtrArray *blocks)
{
  GPtrArray *copy = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_tool_block_free);

  for (guint i = 0; blocks != NULL && i < blocks->len; i++)
    g_ptr_array_add (copy, byok_tool_block_copy (g_ptr_array_index (blocks, i)));
  return copy;
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/**
 * byok_tool_block_to_json_node:
 *
 * Returns: (transfer full): {"id", "name", "server", "tool", "arguments",
 *   "result", "state", "step", "step_cost_usd"}, members without a value
 *   left out; what messages.tool_calls and the JSON export hold
 */
JsonNode *
byok_tool_block_to_json_node (const ByokToolBlock *block)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string_member (builder, "id", block->call_id);
  add_string_member (builder, "name", block->name);
  add_string_member (builder, "server", block->server);
  add_string_member (builder, "tool", block->tool);
  add_string_member (builder, "arguments", block->arguments);
  add_string_member (builder, "result", block->result);
  add_string_member (builder, "state", byok_tool_block_state_to_string (block->state));
  json_builder_set_member_name (builder, "step");
  json_builder_add_int_value (builder, block->step);
  if (!isnan (block->step_cost_usd))
    {
      json_builder_set_member_name (builder, "step_cost_usd");
      json_builder_add_double_value (builder, block->step_cost_usd);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * byok_tool_blocks_to_json:
 *
 * Returns: (transfer full) (nullable): a JSON array of
 *   byok_tool_block_to_json_node()'s objects, %NULL when there are none
 */
char *
byok_tool_blocks_to_json (GPtrArray *blocks)
{
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;

  if (blocks == NULL || blocks->len == 0)
    return NULL;

  array = json_array_sized_new (blocks->len);
  for (guint i = 0; i < blocks->len; i++)
    json_array_add_element (array, byok_tool_block_to_json_node (g_ptr_array_index (blocks, i)));
  root = json_node_init_array (json_node_alloc (), array);
  json_array_unref (array);
  return json_to_string (root, FALSE);
}

/**
 * byok_tool_blocks_from_json:
 * @json: (nullable): what byok_tool_blocks_to_json() wrote
 *
 * Returns: (transfer full) (nullable): the blocks; %NULL for %NULL or "",
 *   and %NULL with %BYOK_ERROR_STORAGE when @json is not such a list. A
 *   block still running when it was stored (the app quit) reads as
 *   stopped.
 */
GPtrArray *
byok_tool_blocks_from_json (const char  *json,
                            GError     **error)
{
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) blocks = NULL;
  JsonArray *array;

  if (json == NULL || *json == '\0')
    return NULL;

  root = byok_json_parse (json, strlen (json), &parse_error);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE,
                   _("A message’s tool calls could not be read back: %s"),
                   parse_error != NULL ? parse_error->message : _("not a list"));
      return NULL;
    }

  array = json_node_get_array (root);
  blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_tool_block_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = byok_json_array_get_object (array, i);
      ByokToolBlock *block;
      gint64 step = 1;

      if (object == NULL)
        continue;
      block = byok_tool_block_new (byok_json_get_string (object, "id"),
                                   byok_json_get_string (object, "name"),
                                   byok_json_get_string (object, "arguments"));
      byok_tool_block_set_origin (block, byok_json_get_string (object, "server"),
                                  byok_json_get_string (object, "tool"));
      if (!byok_tool_block_state_from_string (byok_json_get_string (object, "state"), &block->state) ||
          block->state == BYOK_TOOL_BLOCK_RUNNING)
        block->state = BYOK_TOOL_BLOCK_STOPPED;
      block->result = g_strdup (byok_json_get_string (object, "result"));
      if (byok_json_get_int (object, "step", &step) && step >= 1 && step <= G_MAXUINT)
        block->step = (guint) step;
      if (json_object_has_member (object, "step_cost_usd"))
        {
          JsonNode *cost = json_object_get_member (object, "step_cost_usd");

          if (JSON_NODE_HOLDS_VALUE (cost) &&
              (json_node_get_value_type (cost) == G_TYPE_DOUBLE || json_node_get_value_type (cost) == G_TYPE_INT64))
            block->step_cost_usd = json_node_get_double (cost);
        }
      g_ptr_array_add (blocks, block);
    }
  return g_steal_pointer (&blocks);
}
