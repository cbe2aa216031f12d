/* byok-chat-request.c — what is asked of a model */
#define G_LOG_DOMAIN "byok-chat"

#include "config.h"

#include <string.h>

#include "byok-chat-request.h"

G_DEFINE_BOXED_TYPE (ByokChatRequest, byok_chat_request,
                     byok_chat_request_ref, byok_chat_request_unref)

static const char * const role_names[] = {
  [BYOK_CHAT_ROLE_SYSTEM] = "system",
  [BYOK_CHAT_ROLE_USER] = "user",
  [BYOK_CHAT_ROLE_ASSISTANT] = "assistant",
  [BYOK_CHAT_ROLE_TOOL] = "tool",
};

/**
 * byok_chat_role_to_string:
 * Returns: "system", "user", "assistant" or "tool"; "user" for an unknown
 *   value.
 */
const char *
byok_chat_role_to_string (ByokChatRole role)
{
  if ((guint) role >= G_N_ELEMENTS (role_names))
    return "user";
  return role_names[role];
}

gboolean
byok_chat_role_from_string (const char   *str,
                            ByokChatRole *role)
{
  g_return_val_if_fail (role != NULL, FALSE);

  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (role_names); i++)
    {
      if (g_str_equal (str, role_names[i]))
        {
          *role = (ByokChatRole) i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
chat_message_free (gpointer data)
{
  ByokChatMessage *message = data;

  g_free (message->content);
  g_clear_pointer (&message->tool_calls, g_ptr_array_unref);
  g_free (message->reasoning);
  g_free (message->replay);
  g_free (message->tool_call_id);
  g_free (message->tool_name);
  g_clear_pointer (&message->attachments, g_ptr_array_unref);
  g_free (message);
}

static ByokChatMessage *
chat_message_copy (const ByokChatMessage *message)
{
  ByokChatMessage *copy = g_new0 (ByokChatMessage, 1);

  copy->role = message->role;
  copy->content = g_strdup (message->content);
  copy->tool_calls = byok_tool_calls_copy (message->tool_calls);
  copy->reasoning = g_strdup (message->reasoning);
  copy->replay = g_strdup (message->replay);
  copy->tool_call_id = g_strdup (message->tool_call_id);
  copy->tool_name = g_strdup (message->tool_name);
  copy->is_error = message->is_error;
  copy->attachments = message->attachments != NULL ? g_ptr_array_ref (message->attachments) : NULL;
  return copy;
}

/**
 * byok_chat_request_new:
 * @model: (nullable): the model id
 *
 * Returns: (transfer full): an empty request: no messages, temperature,
 *   max tokens and effort unset, no reasoning, streamed, no tools (at
 *   most BYOK_DEFAULT_MAX_TOOL_STEPS rounds of them once some are added).
 */
ByokChatRequest *
byok_chat_request_new (const char *model)
{
  ByokChatRequest *self = g_new0 (ByokChatRequest, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->model = g_strdup (model);
  self->messages = g_ptr_array_new_with_free_func (chat_message_free);
  self->temperature = -1.0;
  self->stream = TRUE;
  self->tools = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_tool_spec_free);
  self->max_tool_steps = BYOK_DEFAULT_MAX_TOOL_STEPS;
  return self;
}

/**
 * byok_chat_request_new_simple:
 * @model: the model id
 * @system_prompt: (nullable): a system prompt
 * @user_message: (nullable): one user message
 *
 * Returns: (transfer full): a request for one question.
 */
ByokChatRequest *
byok_chat_request_new_simple (const char *model,
                              const char *system_prompt,
                              const char *user_message)
{
  ByokChatRequest *self = byok_chat_request_new (model);

  byok_chat_request_set_system_prompt (self, system_prompt);
  if (user_message != NULL)
    byok_chat_request_add_message (self, BYOK_CHAT_ROLE_USER, user_message);
  return self;
}

/**
 * byok_chat_request_copy:
 * Returns: (transfer full): a deep copy of @self, with its own refcount.
 */
ByokChatRequest *
byok_chat_request_copy (const ByokChatRequest *self)
{
  ByokChatRequest *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = byok_chat_request_new (self->model);
  copy->system_prompt = g_strdup (self->system_prompt);
  copy->temperature = self->temperature;
  copy->max_output_tokens = self->max_output_tokens;
  copy->reasoning = self->reasoning;
  copy->reasoning_budget_tokens = self->reasoning_budget_tokens;
  copy->effort = self->effort;
  copy->stream = self->stream;
  copy->max_tool_steps = self->max_tool_steps;
  copy->tool_choice = self->tool_choice;
  for (guint i = 0; i < self->messages->len; i++)
    g_ptr_array_add (copy->messages, chat_message_copy (g_ptr_array_index (self->messages, i)));
  for (guint i = 0; i < self->tools->len; i++)
    byok_chat_request_add_tool (copy, g_ptr_array_index (self->tools, i));
  return copy;
}

ByokChatRequest *
byok_chat_request_ref (ByokChatRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
byok_chat_request_unref (ByokChatRequest *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->model);
  g_free (self->system_prompt);
  g_ptr_array_unref (self->messages);
  g_ptr_array_unref (self->tools);
  g_free (self);
}

void
byok_chat_request_set_model (ByokChatRequest *self,
                             const char      *model)
{
  g_return_if_fail (self != NULL);

  if (model != self->model)
    {
      g_free (self->model);
      self->model = g_strdup (model);
    }
}

/**
 * byok_chat_request_set_system_prompt:
 * @system_prompt: (nullable): the prompt; NULL or "" for none
 */
void
byok_chat_request_set_system_prompt (ByokChatRequest *self,
                                     const char      *system_prompt)
{
  g_return_if_fail (self != NULL);

  if (system_prompt == self->system_prompt)
    return;
  g_free (self->system_prompt);
  self->system_prompt = (system_prompt != NULL && *system_prompt != '\0')
                          ? g_strdup (system_prompt) : NULL;
}

/**
 * byok_chat_request_add_message:
 * @content: (nullable): the text; NULL is stored as ""
 *
 * Appends a message to the conversation.
 */
void
byok_chat_request_add_message (ByokChatRequest *self,
                               ByokChatRole     role,
                               const char      *content)
{
  byok_chat_request_add_message_with_attachments (self, role, content, NULL);
}

/**
 * byok_chat_request_add_message_with_attachments:
 * @content: (nullable): the text; NULL is stored as ""
 * @attachments: (nullable): of ByokAttachment*, images and PDFs; the
 *   message keeps a reference and nobody changes the array afterwards.
 *   An empty array is the same as %NULL.
 *
 * Appends a message with what is attached to it.
 */
void
byok_chat_request_add_message_with_attachments (ByokChatRequest *self,
                                                ByokChatRole     role,
                                                const char      *content,
                                                GPtrArray       *attachments)
{
  ByokChatMessage *message;

  g_return_if_fail (self != NULL);

  message = g_new0 (ByokChatMessage, 1);
  message->role = role;
  message->content = g_strdup (content != NULL ? content : "");
  if (attachments != NULL && attachments->len > 0)
    message->attachments = g_ptr_array_ref (attachments);
  g_ptr_array_add (self->messages, message);
}

/**
 * byok_chat_request_add_tool:
 * @spec: a tool the model may call; copied
 */
void
byok_chat_request_add_tool (ByokChatRequest    *self,
                            const ByokToolSpec *spec)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (spec != NULL);

  g_ptr_array_add (self->tools, byok_tool_spec_copy (spec));
}

/**
 * byok_chat_request_has_tools:
 * Returns: whether the request offers the model any tool
 */
gboolean
byok_chat_request_has_tools (const ByokChatRequest *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->tools->len > 0;
}

/**
 * byok_chat_request_add_tool_calls:
 * @content: (nullable): the text the model wrote before its calls
 * @calls: (element-type ByokToolCall): the calls it asked for; copied
 * @reasoning: (nullable): its reasoning text
 * @replay: (nullable): what its dialect sends back with it (the result's
 *   replay)
 *
 * Appends the model's answer that asked for tools.
 */
void
byok_chat_request_add_tool_calls (ByokChatRequest *self,
                                  const char      *content,
                                  GPtrArray       *calls,
                                  const char      *reasoning,
                                  const char      *replay)
{
  ByokChatMessage *message;

  g_return_if_fail (self != NULL);
  g_return_if_fail (calls != NULL);

  byok_chat_request_add_message (self, BYOK_CHAT_ROLE_ASSISTANT, content);
  message = g_ptr_array_index (self->messages, self->messages->len - 1);
  message->tool_calls = byok_tool_calls_copy (calls);
  message->reasoning = reasoning != NULL && *reasoning != '\0' ? g_strdup (reasoning) : NULL;
  message->replay = g_strdup (replay);
}

/**
 * byok_chat_request_add_tool_result:
 * @result: what became of one call; copied
 *
 * Appends a %BYOK_CHAT_ROLE_TOOL message answering @result's call.
 */
void
byok_chat_request_add_tool_result (ByokChatRequest      *self,
                                   const ByokToolResult *result)
{
  ByokChatMessage *message;

  g_return_if_fail (self != NULL);
  g_return_if_fail (result != NULL);

  byok_chat_request_add_message (self, BYOK_CHAT_ROLE_TOOL, result->content);
  message = g_ptr_array_index (self->messages, self->messages->len - 1);
  message->tool_call_id = g_strdup (result->call_id);
  message->tool_name = g_strdup (result->name);
  message->is_error = result->is_error;
}

guint
byok_chat_request_get_n_messages (const ByokChatRequest *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->messages->len;
}

/**
 * byok_chat_request_get_message:
 * Returns: (transfer none) (nullable): message @index, or NULL past the end.
 */
const ByokChatMessage *
byok_chat_request_get_message (const ByokChatRequest *self,
                               guint                  index)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (index >= self->messages->len)
    return NULL;
  return g_ptr_array_index (self->messages, index);
}

/* Thinking budgets (tokens) for the efforts of a model that takes a budget:
 * Anthropic's extended thinking, Gemini 2.5. */
#define BUDGET_LOW    2048
#define BUDGET_MEDIUM 8192
#define BUDGET_HIGH   24576

/**
 * byok_request_fit:
 * @model: (nullable): the model as the catalog knows it
 * @dialect: (nullable): the provider's dialect ("openai", "anthropic",
 *   "gemini"), for its defaults
 * @fit: (out): what to send
 *
 * Decides what of @request the model takes (byok_model_get_params()):
 * its tools only where the model has the `tools` capability; a
 * temperature only where the model takes one, brought into its range
 * (Anthropic 0 to 1, OpenAI 0 to 2), never to a model that takes none
 * (OpenAI's reasoning models, Claude after Opus 4.6) nor while it reasons
 * where it cannot do both; the effort as the model takes it: OpenAI's
 * `reasoning_effort`, Anthropic's adaptive thinking and effort or a
 * thinking budget, Gemini's thinking level or budget.
 */
void
byok_request_fit (const ByokChatRequest *request,
                  ByokModel             *model,
                  const char            *dialect,
                  ByokRequestFit        *fit)
{
  ByokModelParams params;
  gboolean anthropic = g_strcmp0 (dialect, "anthropic") == 0;

  g_return_if_fail (request != NULL);
  g_return_if_fail (fit != NULL);

  memset (fit, 0, sizeof *fit);
  byok_model_get_params (model, dialect, &params);

  /* Tools only to a model that takes them; one the catalog does not know
   * (a custom provider's, a local one) is given the benefit of the doubt. */
  fit->tools = request->tools->len > 0 &&
               (model == NULL || byok_model_has_capability (model, BYOK_MODEL_CAP_TOOLS));

  fit->effort_via = params.effort_via;
  fit->effort = byok_model_params_pick_effort (&params, request->effort);
  fit->thinking = request->reasoning || fit->effort != 0;
  fit->thinking_budget = request->reasoning_budget_tokens;
  fit->model_known = model != NULL;
  fit->reads_pdf = model != NULL && byok_model_has_capability (model, BYOK_MODEL_CAP_PDF);
  if (params.effort_via == BYOK_EFFORT_VIA_BUDGET && request->effort != BYOK_EFFORT_DEFAULT)
    fit->thinking_budget = request->effort == BYOK_EFFORT_LOW ? BUDGET_LOW
                           : request->effort == BYOK_EFFORT_MEDIUM ? BUDGET_MEDIUM : BUDGET_HIGH;

  if (request->temperature < 0)
    fit->temperature_fate = BYOK_TEMPERATURE_UNSET;
  else if (params.temperature == BYOK_TEMPERATURE_FIXED)
    fit->temperature_fate = BYOK_TEMPERATURE_NOT_TAKEN;
  else if ((params.temperature == BYOK_TEMPERATURE_WITHOUT_EFFORT && fit->effort != 0) ||
           /* With thinking Anthropic refuses a temperature other than 1. */
           (anthropic && fit->thinking))
    fit->temperature_fate = BYOK_TEMPERATURE_NOT_WHILE_REASONING;
  else
    {
      fit->temperature = CLAMP (request->temperature, params.temperature_min, params.temperature_max);
      fit->temperature_fate = fit->temperature != request->temperature ? BYOK_TEMPERATURE_CLAMPED
                                                                       : BYOK_TEMPERATURE_SENT;
      /* GPT-5.1 and later take a temperature only with no reasoning. */
      fit->effort_none = params.temperature == BYOK_TEMPERATURE_WITHOUT_EFFORT &&
                         (params.effort_levels & BYOK_EFFORT_LEVEL_NONE) != 0;
    }
}

/**
 * byok_request_fit_sends_temperature:
 * Returns: whether a temperature goes out
 */
gboolean
byok_request_fit_sends_temperature (const ByokRequestFit *fit)
{
  g_return_val_if_fail (fit != NULL, FALSE);

  return fit->temperature_fate == BYOK_TEMPERATURE_SENT ||
         fit->temperature_fate == BYOK_TEMPERATURE_CLAMPED;
}
