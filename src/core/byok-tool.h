/* byok-tool.h — function calling: a tool offered, a call asked for, its result
 *
 * Plain structs with public, owned fields, GLib style: each is a boxed
 * type with a copy and a free function (and g_autoptr). Whoever offers
 * tools (the MCP bridge, a test) fills ByokToolSpec; the engine reads
 * ByokToolCall from the model's answer and hands it to a ByokToolRunner
 * (byok-tool-runner.h), which answers with a ByokToolResult.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* How an id Byok made for a call starts (the provider gave none): a
 * dialect does not send such an id back where the provider takes none. */
#define BYOK_TOOL_CALL_ID_PREFIX "byok-call-"

/**
 * ByokToolSpec:
 * @name: the tool's name as the model sees it and calls it (providers
 *   take `^[a-zA-Z0-9_-]{1,64}$`; the caller makes names unique)
 * @description: (nullable): what it does, for the model
 * @parameters: (nullable): its arguments' JSON Schema, as JSON text (an
 *   object schema); %NULL for a tool without arguments
 *
 * A tool the model may call (ByokChatRequest's tools).
 */
typedef struct {
  char *name;
  char *description;
  char *parameters;
} ByokToolSpec;

/**
 * ByokToolCall:
 * @id: the call's id, the provider's (OpenAI `call_…`, Anthropic
 *   `toolu_…`, Gemini's when it sends one) or, where the provider gave
 *   none, one Byok made ("call_1") — results name it
 * @name: the tool asked for
 * @arguments: its arguments as JSON text, complete: an object, "{}" when
 *   the model gave none
 * @signature: (nullable): opaque data the provider wants back with the
 *   call (Gemini's thoughtSignature on a functionCall part)
 *
 * One call the model asked for.
 */
typedef struct {
  char *id;
  char *name;
  char *arguments;
  char *signature;
} ByokToolCall;

/**
 * ByokToolResult:
 * @call_id: the ByokToolCall's id it answers
 * @name: the tool that ran (or was refused)
 * @content: what goes back to the model: the tool's output as text, the
 *   error's message, or why it did not run; never %NULL
 * @is_error: the tool failed (or could not run); the model is told so
 * @denied: the person refused the call; @is_error is set too, and
 *   @content says it was refused
 *
 * What became of one call.
 */
typedef struct {
  char     *call_id;
  char     *name;
  char     *content;
  gboolean  is_error;
  gboolean  denied;
} ByokToolResult;

/**
 * ByokToolUse:
 * @call: the call the model asked for
 * @result: (nullable): what became of it; %NULL when it never ran (the
 *   call was stopped first)
 * @step: the model's answer that asked for it, from 1
 *
 * One call of a tool loop with its result (ByokChatResult's tool_uses).
 */
typedef struct {
  ByokToolCall   *call;
  ByokToolResult *result;
  guint           step;
} ByokToolUse;

#define BYOK_TYPE_TOOL_SPEC   (byok_tool_spec_get_type ())
#define BYOK_TYPE_TOOL_CALL   (byok_tool_call_get_type ())
#define BYOK_TYPE_TOOL_RESULT (byok_tool_result_get_type ())
#define BYOK_TYPE_TOOL_USE    (byok_tool_use_get_type ())

GType           byok_tool_spec_get_type        (void) G_GNUC_CONST;
ByokToolSpec   *byok_tool_spec_new             (const char           *name,
                                                const char           *description,
                                                const char           *parameters);
ByokToolSpec   *byok_tool_spec_copy            (const ByokToolSpec   *spec);
void            byok_tool_spec_free            (ByokToolSpec         *spec);

GType           byok_tool_call_get_type        (void) G_GNUC_CONST;
ByokToolCall   *byok_tool_call_new             (const char           *id,
                                                const char           *name,
                                                const char           *arguments);
ByokToolCall   *byok_tool_call_copy            (const ByokToolCall   *call);
void            byok_tool_call_free            (ByokToolCall         *call);

GType           byok_tool_result_get_type      (void) G_GNUC_CONST;
ByokToolResult *byok_tool_result_new           (const ByokToolCall   *call,
                                                const char           *content,
                                                gboolean              is_error);
ByokToolResult *byok_tool_result_new_denied    (const ByokToolCall   *call,
                                                const char           *reason);
ByokToolResult *byok_tool_result_new_from_error (const ByokToolCall  *call,
                                                const GError         *error);
ByokToolResult *byok_tool_result_copy          (const ByokToolResult *result);
void            byok_tool_result_free          (ByokToolResult       *result);

GType           byok_tool_use_get_type         (void) G_GNUC_CONST;
ByokToolUse    *byok_tool_use_new              (const ByokToolCall   *call,
                                                guint                 step);
ByokToolUse    *byok_tool_use_copy             (const ByokToolUse    *use);
void            byok_tool_use_free             (ByokToolUse          *use);

GPtrArray      *byok_tool_calls_copy           (GPtrArray            *calls);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokToolSpec, byok_tool_spec_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokToolCall, byok_tool_call_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokToolResult, byok_tool_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokToolUse, byok_tool_use_free)

G_END_DECLS
