/* byok-tool.c — function calling: a tool offered, a call asked for, its result */
#define G_LOG_DOMAIN "byok-tool"

#include "config.h"

#include "byok-tool.h"

G_DEFINE_BOXED_TYPE (ByokToolSpec, byok_tool_spec, byok_tool_spec_copy, byok_tool_spec_free)
G_DEFINE_BOXED_TYPE (ByokToolCall, byok_tool_call, byok_tool_call_copy, byok_tool_call_free)
G_DEFINE_BOXED_TYPE (ByokToolResult, byok_tool_result, byok_tool_result_copy, byok_tool_result_free)
G_DEFINE_BOXED_TYPE (ByokToolUse, byok_tool_use, byok_tool_use_copy, byok_tool_use_free)

/* ---- specs --------------------------------------------------------------- */

/**
 * byok_tool_spec_new:
 * @name: the tool's name as the model calls it
 * @description: (nullable): what it does
 * @parameters: (nullable): its arguments' JSON Schema as JSON text
 *
 * Returns: (transfer full): the spec, with copies of the strings
 */
ByokToolSpec *
byok_tool_spec_new (const char *name,
                    const char *description,
                    const char *parameters)
{
  ByokToolSpec *spec;

  g_return_val_if_fail (name != NULL, NULL);

  spec = g_new0 (ByokToolSpec, 1);
  spec->name = g_strdup (name);
  spec->description = g_strdup (description);
  spec->parameters = g_strdup (parameters);
  return spec;
}

ByokToolSpec *
byok_tool_spec_copy (const ByokToolSpec *spec)
{
  g_return_val_if_fail (spec != NULL, NULL);
  return byok_tool_spec_new (spec->name, spec->description, spec->parameters);
}

void
byok_tool_spec_free (ByokToolSpec *spec)
{
  if (spec == NULL)
    return;
  g_free (spec->name);
  g_free (spec->description);
  g_free (spec->parameters);
  g_free (spec);
}

/* ---- calls --------------------------------------------------------------- */

/**
 * byok_tool_call_new:
 * @id: (nullable): the call's id
 * @name: (nullable): the tool
 * @arguments: (nullable): the arguments as JSON text; %NULL or "" is "{}"
 *
 * Returns: (transfer full): the call, no signature
 */
ByokToolCall *
byok_tool_call_new (const char *id,
                    const char *name,
                    const char *arguments)
{
  ByokToolCall *call = g_new0 (ByokToolCall, 1);

  call->id = g_strdup (id != NULL ? id : "");
  call->name = g_strdup (name != NULL ? name : "");
  call->arguments = g_strdup (arguments != NULL && *arguments != '\0' ? arguments : "{}");
  return call;
}

ByokToolCall *
byok_tool_call_copy (const ByokToolCall *call)
{
  ByokToolCall *copy;

  g_return_val_if_fail (call != NULL, NULL);

  copy = byok_tool_call_new (call->id, call->name, call->arguments);
  copy->signature = g_strdup (call->signature);
  return copy;
}

void
byok_tool_call_free (ByokToolCall *call)
{
  if (call == NULL)
    return;
  g_free (call->id);
  g_free (call->name);
  g_free (call->arguments);
  g_free (call->signature);
  g_free (call);
}

/**
 * byok_tool_calls_copy:
 * @calls: (nullable) (element-type ByokToolCall): calls
 *
 * Returns: (transfer full) (nullable): a deep copy that frees its calls;
 *   %NULL for %NULL
 */
GPtrArray *
byok_tool_calls_copy (GPtrArray *calls)
{
  GPtrArray *copy;

  if (calls == NULL)
    return NULL;
  copy = g_ptr_array_new_full (calls->len, (GDestroyNotify) byok_tool_call_free);
  for (guint i = 0; i < calls->len; i++)
    g_ptr_array_add (copy, byok_tool_call_copy (g_ptr_array_index (calls, i)));
  return copy;
}

/* ---- results ------------------------------------------------------------- */

/**
 * byok_tool_result_new:
 * @call: the call it answers
 * @content: (nullable): what goes back to the model; %NULL is ""
 * @is_error: the tool failed
 *
 * Returns: (transfer full): the result of @call
 */
ByokToolResult *
byok_tool_result_new (const ByokToolCall *call,
                      const char         *content,
                      gboolean            is_error)
{
  ByokToolResult *result;

  g_return_val_if_fail (call != NULL, NULL);

  result = g_new0 (ByokToolResult, 1);
  result->call_id = g_strdup (call->id);
  result->name = g_strdup (call->name);
  result->content = g_strdup (content != NULL ? content : "");
  result->is_error = is_error;
  return result;
}

/**
 * byok_tool_result_new_denied:
 * @reason: (nullable): what the model is told; %NULL for the standard
 *   sentence (English: it is read by the model, not by the person)
 *
 * Returns: (transfer full): @call refused by the person
 */
ByokToolResult *
byok_tool_result_new_denied (const ByokToolCall *call,
                             const char         *reason)
{
  ByokToolResult *result;

  g_return_val_if_fail (call != NULL, NULL);

  result = byok_tool_result_new (call, reason != NULL ? reason
                                   : "The user denied this tool call. Do not call it again "
                                     "unless the user asks; answer without it.",
                                 TRUE);
  result->denied = TRUE;
  return result;
}

/**
 * byok_tool_result_new_from_error:
 * @error: why @call could not run
 *
 * Returns: (transfer full): an error result whose content is @error's
 *   message (never a key: messages in the BYOK_ERROR domain carry none)
 */
ByokToolResult *
byok_tool_result_new_from_error (const ByokToolCall *call,
                                 const GError       *error)
{
  g_return_val_if_fail (call != NULL, NULL);
  g_return_val_if_fail (error != NULL, NULL);

  return byok_tool_result_new (call, error->message, TRUE);
}

ByokToolResult *
byok_tool_result_copy (const ByokToolResult *result)
{
  ByokToolResult *copy;

  g_return_val_if_fail (result != NULL, NULL);

  copy = g_new0 (ByokToolResult, 1);
  copy->call_id = g_strdup (result->call_id);
  copy->name = g_strdup (result->name);
  copy->content = g_strdup (result->content);
  copy->is_error = result->is_error;
  copy->denied = result->denied;
  return copy;
}

void
byok_tool_result_free (ByokToolResult *result)
{
  if (result == NULL)
    return;
  g_free (result->call_id);
  g_free (result->name);
  g_free (result->content);
  g_free (result);
}

/* ---- uses ---------------------------------------------------------------- */

/**
 * byok_tool_use_new:
 * @step: the model's answer that asked for @call, from 1
 *
 * Returns: (transfer full): a copy of @call, no result yet
 */
ByokToolUse *
byok_tool_use_new (const ByokToolCall *call,
                   guint               step)
{
  ByokToolUse *use;

  g_return_val_if_fail (call != NULL, NULL);

  use = g_new0 (ByokToolUse, 1);
  use->call = byok_tool_call_copy (call);
  use->step = step;
  return use;
}

ByokToolUse *
byok_tool_use_copy (const ByokToolUse *use)
{
  ByokToolUse *copy;

  g_return_val_if_fail (use != NULL, NULL);

  copy = byok_tool_use_new (use->call, use->step);
  copy->result = use->result != NULL ? byok_tool_result_copy (use->result) : NULL;
  return copy;
}

void
byok_tool_use_free (ByokToolUse *use)
{
  if (use == NULL)
    return;
  byok_tool_call_free (use->call);
  byok_tool_result_free (use->result);
  g_free (use);
}
