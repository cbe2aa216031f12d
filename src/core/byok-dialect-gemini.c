/* byok-dialect-gemini.c — the Google Gemini generateContent API */
#define G_LOG_DOMAIN "byok-dialect"

#include "config.h"

#include <string.h>

#include "byok-dialect-gemini.h"
#include "byok-dialect-private.h"
#include "byok-json.h"

static char *
gemini_get_chat_path (const char *model,
                      gboolean    stream)
{
  g_autofree char *escaped = NULL;

  if (model == NULL)
    model = "";
  if (g_str_has_prefix (model, "models/"))
    model += strlen ("models/");
  escaped = g_uri_escape_string (model, NULL, FALSE);

  if (stream)
    return g_strdup_printf ("/models/%s:streamGenerateContent?alt=sse", escaped);
  return g_strdup_printf ("/models/%s:generateContent", escaped);
}

static void
add_text_parts (JsonBuilder *builder,
                const char  *text)
{
  json_builder_set_member_name (builder, "parts");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
}

/* An id Byok made (the model gave none) is not sent back. */
static void
add_call_id (JsonBuilder *builder,
             const char  *id)
{
  if (id == NULL || *id == '\0' || g_str_has_prefix (id, BYOK_TOOL_CALL_ID_PREFIX))
    return;
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
}

/* A model turn that called functions: its text, then a functionCall part
 * per call, each with the thoughtSignature it came with (Gemini 3 refuses
 * a function call sent back without it). */
static void
add_function_calls (JsonBuilder           *builder,
                    const ByokChatMessage *message)
{
  json_builder_set_member_name (builder, "parts");
  json_builder_begin_array (builder);
  if (*message->content != '\0')
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, message->content);
      json_builder_end_object (builder);
    }
  for (guint i = 0; i < message->tool_calls->len; i++)
    {
      const ByokToolCall *call = g_ptr_array_index (message->tool_calls, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "functionCall");
      json_builder_begin_object (builder);
      add_call_id (builder, call->id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, call->name);
      json_builder_set_member_name (builder, "args");
      json_builder_add_value (builder, _byok_dialect_tool_arguments (call));
      json_builder_end_object (builder);
      if (call->signature != NULL)
        {
          json_builder_set_member_name (builder, "thoughtSignature");
          json_builder_add_string_value (builder, call->signature);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/* The tool messages from @first on, as one user turn of functionResponse
 * parts: {"result": text}, or {"error": text} for a failed or refused
 * call. Returns the index of the first message after them. */
static guint
add_function_responses (JsonBuilder           *builder,
                        const ByokChatRequest *request,
                        guint                  first)
{
  guint i;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "user");
  json_builder_set_member_name (builder, "parts");
  json_builder_begin_array (builder);
  for (i = first; i < request->messages->len; i++)
    {
      const ByokChatMessage *message = g_ptr_array_index (request->messages, i);

      if (message->role != BYOK_CHAT_ROLE_TOOL)
        break;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "functionResponse");
      json_builder_begin_object (builder);
      add_call_id (builder, message->tool_call_id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, message->tool_name != NULL ? message->tool_name : "");
      json_builder_set_member_name (builder, "response");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, message->is_error ? "error" : "result");
      json_builder_add_string_value (builder, message->content);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return i;
}

/* "tools": [{"functionDeclarations": [{name, description,
 * parametersJsonSchema}]}]: the schema as JSON Schema (an MCP server's
 * own), not the OpenAPI subset "parameters" takes. */
static void
add_tools (JsonBuilder           *builder,
           const ByokChatRequest *request)
{
  json_builder_set_member_name (builder, "tools");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "functionDeclarations");
  json_builder_begin_array (builder);
  for (guint i = 0; i < request->tools->len; i++)
    {
      const ByokToolSpec *spec = g_ptr_array_index (request->tools, i);

      _byok_dialect_add_tool_declaration (builder, spec, "parametersJsonSchema");
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);

  if (request->tool_choice == BYOK_TOOL_CHOICE_NONE)
    {
      json_builder_set_member_name (builder, "toolConfig");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "functionCallingConfig");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "mode");
      json_builder_add_string_value (builder, "NONE");
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
}

/* A user message's parts: each image and PDF as inlineData (the field
 * casing of the rest of the body), then the text. */
static void
add_message_parts (JsonBuilder           *builder,
                   const ByokChatMessage *message,
                   const ByokRequestFit  *fit)
{
  g_autofree char *text = _byok_dialect_message_text (message, fit);

  if (!_byok_dialect_message_has_media (message, fit))
    {
      add_text_parts (builder, text);
      return;
    }
  json_builder_set_member_name (builder, "parts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < message->attachments->len; i++)
    {
      const ByokAttachment *attachment = g_ptr_array_index (message->attachments, i);
      const char *mime_type;

      if (attachment->kind == BYOK_ATTACHMENT_IMAGE)
        mime_type = attachment->mime_type;
      else if (attachment->kind == BYOK_ATTACHMENT_PDF && _byok_dialect_pdf_as_file (fit, attachment))
        mime_type = "application/pdf";
      else
        continue;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "inlineData");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "mimeType");
      json_builder_add_string_value (builder, mime_type);
      json_builder_set_member_name (builder, "data");
      _byok_dialect_add_base64 (builder, NULL, attachment->data);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  if (*text != '\0')
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, text);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static GBytes *
gemini_build_body (const ByokChatRequest *request,
                   const ByokRequestFit  *fit,
                   gboolean               stream,
                   ByokDialectFlags       flags)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GString) system = g_string_new (request->system_prompt);

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "contents");
  json_builder_begin_array (builder);
  for (guint i = 0; i < request->messages->len; i++)
    {
      const ByokChatMessage *message = g_ptr_array_index (request->messages, i);

      if (message->role == BYOK_CHAT_ROLE_SYSTEM)
        {
          if (system->len > 0)
            g_string_append (system, "\n\n");
          g_string_append (system, message->content);
          continue;
        }
      if (message->role == BYOK_CHAT_ROLE_TOOL && fit->tools)
        {
          /* One user turn answers every call of the turn before it. */
          i = add_function_responses (builder, request, i) - 1;
          continue;
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder,
                                     message->role == BYOK_CHAT_ROLE_ASSISTANT ? "model" : "user");
      if (message->tool_calls != NULL && message->tool_calls->len > 0 && fit->tools)
        add_function_calls (builder, message);
      else if (message->role == BYOK_CHAT_ROLE_TOOL || message->tool_calls != NULL)
        {
          /* A model sent no tools reads the loop as text. */
          g_autofree char *text = _byok_dialect_tool_result_as_text (message);

          add_text_parts (builder, text);
        }
      else
        add_message_parts (builder, message, fit);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (fit->tools)
    add_tools (builder, request);

  if (system->len > 0)
    {
      json_builder_set_member_name (builder, "systemInstruction");
      json_builder_begin_object (builder);
      add_text_parts (builder, system->str);
      json_builder_end_object (builder);
    }

  if (byok_request_fit_sends_temperature (fit) || request->max_output_tokens > 0 || fit->thinking)
    {
      json_builder_set_member_name (builder, "generationConfig");
      json_builder_begin_object (builder);
      if (byok_request_fit_sends_temperature (fit))
        {
          json_builder_set_member_name (builder, "temperature");
          json_builder_add_double_value (builder, fit->temperature);
        }
      if (request->max_output_tokens > 0)
        {
          json_builder_set_member_name (builder, "maxOutputTokens");
          json_builder_add_int_value (builder, request->max_output_tokens);
        }
      if (fit->thinking)
        {
          json_builder_set_member_name (builder, "thinkingConfig");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "includeThoughts");
          json_builder_add_boolean_value (builder, TRUE);
          /* Gemini 3 takes a level, 2.5 a budget: never both (400). */
          if (fit->effort_via == BYOK_EFFORT_VIA_LEVEL && fit->effort != 0)
            {
              json_builder_set_member_name (builder, "thinkingLevel");
              json_builder_add_string_value (builder, byok_effort_level_to_string (fit->effort));
            }
          else if (fit->effort_via != BYOK_EFFORT_VIA_LEVEL && fit->thinking_budget > 0)
            {
              json_builder_set_member_name (builder, "thinkingBudget");
              json_builder_add_int_value (builder, fit->thinking_budget);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }

  json_builder_end_object (builder);
  return byok_json_builder_to_bytes (builder);
}

static ByokFinishReason
map_finish_reason (const char *reason)
{
  static const char * const filtered[] = {
    "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", NULL
  };

  if (reason == NULL || g_str_equal (reason, "FINISH_REASON_UNSPECIFIED"))
    return BYOK_FINISH_NONE;
  if (g_str_equal (reason, "MAX_TOKENS"))
    return BYOK_FINISH_LENGTH;
  if (g_strv_contains (filtered, reason))
    return BYOK_FINISH_CONTENT_FILTER;
  if (g_str_equal (reason, "MALFORMED_FUNCTION_CALL"))
    return BYOK_FINISH_TOOL_CALLS;
  /* STOP, OTHER, LANGUAGE and anything new */
  return BYOK_FINISH_STOP;
}

/* usageMetadata is cumulative per chunk: each one replaces the last. */
static void
take_usage (JsonObject     *metadata,
            ByokChatResult *result)
{
  ByokUsage usage = { 0, };
  gint64 candidates = 0;
  gint64 thoughts = 0;
  gboolean any = FALSE;

  if (metadata == NULL)
    return;

  any |= byok_json_get_int (metadata, "promptTokenCount", &usage.input_tokens);
  any |= byok_json_get_int (metadata, "candidatesTokenCount", &candidates);
  any |= byok_json_get_int (metadata, "thoughtsTokenCount", &thoughts);
  byok_json_get_int (metadata, "cachedContentTokenCount", &usage.cached_input_tokens);
  if (!any)
    return;

  /* candidatesTokenCount excludes the thoughts. */
  usage.output_tokens = _byok_dialect_add_tokens (candidates, thoughts);
  usage.reasoning_tokens = thoughts;
  _byok_dialect_set_usage (result, &usage);
}

/* One GenerateContentResponse, whole or a chunk of a stream. Returns
 * FALSE with a CONTENT_FILTER error when the prompt itself was blocked. */
static gboolean
take_response (const ByokErrorContext  *ctx,
               JsonObject              *root,
               ByokChatResult          *result,
               gboolean                *finished,
               GError                 **error)
{
  JsonArray *candidates = byok_json_get_array (root, "candidates");
  JsonObject *candidate = byok_json_array_get_object (candidates, 0);
  JsonArray *parts = byok_json_get_array (byok_json_get_object (candidate, "content"), "parts");
  const char *block_reason;
  const char *model = byok_json_get_string (root, "modelVersion");
  const char *id = byok_json_get_string (root, "responseId");
  ByokFinishReason finish;

  if (model != NULL && *model != '\0' && g_strcmp0 (model, result->response_model) != 0)
    byok_chat_result_set_response_model (result, model);
  if (id != NULL && *id != '\0' && g_strcmp0 (id, result->response_id) != 0)
    byok_chat_result_set_response_id (result, id);

  take_usage (byok_json_get_object (root, "usageMetadata"), result);

  block_reason = byok_json_get_string (byok_json_get_object (root, "promptFeedback"),
                                       "blockReason");
  if (candidate == NULL && block_reason != NULL)
    {
      result->finish_reason = BYOK_FINISH_CONTENT_FILTER;
      g_propagate_error (error, _byok_dialect_make_error (ctx, BYOK_ERROR_CONTENT_FILTER,
                                                          block_reason));
      return FALSE;
    }

  for (guint i = 0; parts != NULL && i < json_array_get_length (parts); i++)
    {
      JsonObject *part = byok_json_array_get_object (parts, i);
      const char *text = byok_json_get_string (part, "text");
      JsonObject *function_call = byok_json_get_object (part, "functionCall");
      gboolean thought = FALSE;

      if (function_call != NULL)
        {
          JsonNode *args = json_object_get_member (function_call, "args");
          g_autofree char *arguments = args != NULL && JSON_NODE_HOLDS_OBJECT (args)
                                         ? json_to_string (args, FALSE) : NULL;
          ByokToolCall *call = byok_tool_call_new (byok_json_get_string (function_call, "id"),
                                                   byok_json_get_string (function_call, "name"),
                                                   arguments);

          call->signature = g_strdup (byok_json_get_string (part, "thoughtSignature"));
          g_ptr_array_add (result->tool_calls, call);
          continue;
        }
      if (text == NULL)
        continue;
      byok_json_get_bool (part, "thought", &thought);
      g_string_append (thought ? result->reasoning : result->text, text);
    }

  finish = map_finish_reason (byok_json_get_string (candidate, "finishReason"));
  if (finish != BYOK_FINISH_NONE)
    {
      result->finish_reason = finish;
      *finished = TRUE;
    }
  return TRUE;
}

static gboolean
gemini_parse_response (const ByokErrorContext  *ctx,
                       JsonObject              *root,
                       ByokChatResult          *result,
                       GError                 **error)
{
  gboolean finished = FALSE;

  return take_response (ctx, root, result, &finished, error);
}

static gboolean
gemini_parse_event (ByokDialectStream  *stream,
                    const char         *event_name,
                    const char         *data,
                    ByokChatResult     *result,
                    gboolean           *done,
                    GError            **error)
{
  g_autoptr(JsonNode) root_node = NULL;
  JsonObject *root;
  GError *envelope_error;

  root = _byok_dialect_parse_object (&stream->ctx, data, strlen (data), &root_node, error);
  if (root == NULL)
    return FALSE;

  envelope_error = _byok_dialect_error_from_json (&stream->ctx, 0, root);
  if (envelope_error != NULL)
    {
      g_propagate_error (error, envelope_error);
      return FALSE;
    }

  /* No terminator: the chunk with the finishReason is the last (the
   * candidate stopped; its usageMetadata is the whole answer's), and ends
   * the stream as `[DONE]` ends OpenAI's: the call does not wait for the
   * body's end, and a chunk after it is not read. */
  if (!take_response (&stream->ctx, root, result, &stream->finished, error))
    return FALSE;
  *done = stream->finished;
  return TRUE;
}

static const ByokDialect gemini_dialect = {
  .name = "gemini",
  .get_chat_path = gemini_get_chat_path,
  .build_body = gemini_build_body,
  .parse_response = gemini_parse_response,
  .parse_event = gemini_parse_event,
  .ends_at_finish = TRUE,
};

/**
 * byok_dialect_gemini_get:
 * Returns: (transfer none): the "gemini" dialect.
 */
const ByokDialect *
byok_dialect_gemini_get (void)
{
  return &gemini_dialect;
}
