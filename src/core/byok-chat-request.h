/* byok-chat-request.h — what is asked of a model
 *
 * A refcounted boxed struct with public fields, GLib style. The request owns
 * everything it points to; set strings with the setters (or g_free() the old
 * value yourself). A request is not changed once handed to a client.
 */
#pragma once

#include <glib-object.h>

#include "byok-model.h"
#include "byok-tool.h"

G_BEGIN_DECLS

typedef enum {
  BYOK_CHAT_ROLE_SYSTEM,
  BYOK_CHAT_ROLE_USER,
  BYOK_CHAT_ROLE_ASSISTANT,
  BYOK_CHAT_ROLE_TOOL,
} ByokChatRole;

const char *byok_chat_role_to_string   (ByokChatRole  role);
gboolean    byok_chat_role_from_string (const char   *str,
                                        ByokChatRole *role);

/**
 * ByokChatMessage:
 * @role: who speaks
 * @content: (owned): the text, UTF-8, never %NULL; an assistant message
 *   that only calls tools has ""; a %BYOK_CHAT_ROLE_TOOL message, the
 *   tool's result as the model reads it
 * @tool_calls: (owned) (nullable) (element-type ByokToolCall): an
 *   assistant message: the calls the model asked for after @content
 * @reasoning: (owned) (nullable): an assistant message with @tool_calls:
 *   its reasoning text, which some providers want back inside a tool loop
 * @replay: (owned) (nullable): an assistant message with @tool_calls:
 *   what its dialect must send back with it, as JSON only that dialect
 *   reads ({"dialect": "anthropic", …}: the thinking blocks with their
 *   signatures; {"dialect": "openai", …}: the field the reasoning came in)
 * @tool_call_id: (owned) (nullable): a tool message: the call it answers
 * @tool_name: (owned) (nullable): a tool message: the tool
 * @is_error: a tool message: the tool failed or was refused
 * @attachments: (owned) (nullable): of ByokAttachment* (byok-attachment.h),
 *   the images and PDFs sent with a user message, in order (text files
 *   attached to it are already composed into @content); an array is never
 *   changed once given, so copies of a request share it
 *
 * One message of a conversation. Add the tool-use ones with
 * byok_chat_request_add_tool_calls() and byok_chat_request_add_tool_result().
 */
typedef struct {
  ByokChatRole  role;
  char         *content;
  GPtrArray    *tool_calls;
  char         *reasoning;
  char         *replay;
  char         *tool_call_id;
  char         *tool_name;
  gboolean      is_error;
  GPtrArray    *attachments;
} ByokChatMessage;

/**
 * ByokToolChoice:
 * @BYOK_TOOL_CHOICE_AUTO: the model decides whether to call a tool
 * @BYOK_TOOL_CHOICE_NONE: the tools are described but the model must
 *   answer in text (the last step of a loop at its limit)
 *
 * Whether the model may call the request's tools.
 */
typedef enum {
  BYOK_TOOL_CHOICE_AUTO,
  BYOK_TOOL_CHOICE_NONE,
} ByokToolChoice;

/* How many rounds of tool calls a call makes at most by default. */
#define BYOK_DEFAULT_MAX_TOOL_STEPS 10

#define BYOK_TYPE_CHAT_REQUEST (byok_chat_request_get_type ())

typedef struct {
  char      *model;             /* owned; the model id as the provider knows it */
  GPtrArray *messages;          /* owned; of ByokChatMessage*, oldest first */
  char      *system_prompt;     /* owned, nullable */
  double     temperature;       /* < 0: unset (the provider's default) */
  gint64     max_output_tokens; /* 0: unset */
  gboolean   reasoning;         /* ask for thinking where the model needs a switch */
  gint64     reasoning_budget_tokens; /* 0: the dialect's default (Anthropic) */
  ByokEffort effort;            /* how much a reasoning model should think */
  gboolean   stream;            /* the caller wants the answer streamed */
  GPtrArray *tools;             /* owned; of ByokToolSpec*: the tools the model may call, empty for none */
  guint      max_tool_steps;    /* rounds of tool calls at most (BYOK_DEFAULT_MAX_TOOL_STEPS); 0: the tools are described, never called */
  ByokToolChoice tool_choice;   /* whether the model may call them */

  /*< private >*/
  gatomicrefcount ref_count;
} ByokChatRequest;

GType            byok_chat_request_get_type          (void) G_GNUC_CONST;
ByokChatRequest *byok_chat_request_new               (const char      *model);
ByokChatRequest *byok_chat_request_new_simple        (const char      *model,
                                                      const char      *system_prompt,
                                                      const char      *user_message);
ByokChatRequest *byok_chat_request_copy              (const ByokChatRequest *self);
ByokChatRequest *byok_chat_request_ref               (ByokChatRequest *self);
void             byok_chat_request_unref             (ByokChatRequest *self);

void             byok_chat_request_set_model         (ByokChatRequest *self,
                                                      const char      *model);
void             byok_chat_request_set_system_prompt (ByokChatRequest *self,
                                                      const char      *system_prompt);
void             byok_chat_request_add_message       (ByokChatRequest *self,
                                                      ByokChatRole     role,
                                                      const char      *content);
void             byok_chat_request_add_message_with_attachments
                                                     (ByokChatRequest *self,
                                                      ByokChatRole     role,
                                                      const char      *content,
                                                      GPtrArray       *attachments);
void             byok_chat_request_add_tool          (ByokChatRequest *self,
                                                      const ByokToolSpec *spec);
void             byok_chat_request_add_tool_calls    (ByokChatRequest *self,
                                                      const char      *content,
                                                      GPtrArray       *calls,
                                                      const char      *reasoning,
                                                      const char      *replay);
void             byok_chat_request_add_tool_result   (ByokChatRequest *self,
                                                      const ByokToolResult *result);
gboolean         byok_chat_request_has_tools         (const ByokChatRequest *self);
guint            byok_chat_request_get_n_messages    (const ByokChatRequest *self);
const ByokChatMessage *
                 byok_chat_request_get_message       (const ByokChatRequest *self,
                                                      guint            index);

/**
 * ByokTemperatureFate:
 * @BYOK_TEMPERATURE_UNSET: none was asked for
 * @BYOK_TEMPERATURE_SENT: sent as asked
 * @BYOK_TEMPERATURE_CLAMPED: sent, brought into the model's range
 * @BYOK_TEMPERATURE_NOT_TAKEN: left out: the model takes none
 * @BYOK_TEMPERATURE_NOT_WHILE_REASONING: left out: the model takes none
 *   while it reasons (an effort or thinking was asked for)
 *
 * What became of the temperature a request asked for.
 */
typedef enum {
  BYOK_TEMPERATURE_UNSET,
  BYOK_TEMPERATURE_SENT,
  BYOK_TEMPERATURE_CLAMPED,
  BYOK_TEMPERATURE_NOT_TAKEN,
  BYOK_TEMPERATURE_NOT_WHILE_REASONING,
} ByokTemperatureFate;

/**
 * ByokRequestFit:
 * @temperature_fate: what became of the request's temperature
 * @temperature: the temperature to send, when it is sent
 * @effort_via: how the model's effort is set
 * @effort: the effort level to send (one ByokEffortLevels bit), 0 for none
 * @effort_none: send the model's "none" effort, so it takes the
 *   temperature (OpenAI GPT-5.1 and later)
 * @thinking: ask the model to reason and show it (Anthropic thinking,
 *   Gemini thoughts)
 * @thinking_budget: the budget in tokens where the effort is one, 0 for
 *   the dialect's default
 * @tools: send the request's tools: it has some and the model takes them
 *   (the catalog's `tools` capability; a model the catalog does not know
 *   is assumed to)
 * @model_known: the catalog knows the model, so what it reads is known
 * @reads_pdf: the model reads PDF files themselves (BYOK_MODEL_CAP_PDF):
 *   a PDF goes as the provider's document part, not as its text layer
 *   (_byok_dialect_pdf_as_file())
 *
 * A request as the model takes it: only what it accepts
 * (byok_request_fit()).
 */
typedef struct {
  ByokTemperatureFate temperature_fate;
  double              temperature;
  ByokEffortVia       effort_via;
  guint               effort;
  gboolean            effort_none;
  gboolean            thinking;
  gint64              thinking_budget;
  gboolean            tools;
  gboolean            model_known;
  gboolean            reads_pdf;
} ByokRequestFit;

void             byok_request_fit                    (const ByokChatRequest *request,
                                                      ByokModel       *model,
                                                      const char      *dialect,
                                                      ByokRequestFit  *fit);
gboolean         byok_request_fit_sends_temperature  (const ByokRequestFit *fit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokChatRequest, byok_chat_request_unref)

G_END_DECLS
