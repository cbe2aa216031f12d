/* byok-dialect-openai.c — OpenAI Chat Completions and its many copies
 *
 * OpenAI, Azure, DeepSeek, Moonshot, Zhipu, OpenRouter, Groq, Mistral, xAI
 * and Ollama speak this dialect, each with its quirks (PROVIDERS.md): where
 * usage hides, how reasoning is named, what an error looks like.
 */
#define G_LOG_DOMAIN "byok-dialect"

#include "config.h"

#include <string.h>

#include "byok-dialect-openai.h"
#include "byok-dialect-openai-private.h"
#include "byok-dialect-private.h"
#include "byok-json.h"

static char *
openai_get_chat_path (const char *model,
                      gboolean    stream)
{
  return g_strdup ("/chat/completions");
}

static void
add_message (JsonBuilder *builder,
             const char  *role,
             const char  *content)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, role);
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, content);
  json_builder_end_object (builder);
}

/* An answer that asked for tools: its text (null when none), the field
 * its reasoning came in where the provider wants it back (DeepSeek's and
 * Moonshot's reasoning_content), and its calls. */
static void
add_tool_calls_message (JsonBuilder           *builder,
                        const ByokChatMessage *message)
{
  g_autoptr(JsonNode) replay_root = NULL;
  JsonObject *replay = _byok_dialect_replay_for (message, "openai", &replay_root);
  const char *reasoning_field = byok_json_get_string (replay, "reasoning_field");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "assistant");
  json_builder_set_member_name (builder, "content");
  if (*message->content != '\0')
    json_builder_add_string_value (builder, message->content);
  else
    json_builder_add_null_value (builder);
  if (reasoning_field != NULL && message->reasoning != NULL &&
      (g_str_equal (reasoning_field, "reasoning_content") || g_str_equal (reasoning_field, "reasoning")))
    {
      json_builder_set_member_name (builder, reasoning_field);
      json_builder_add_string_value (builder, message->reasoning);
    }
  json_builder_set_member_name (builder, "tool_calls");
  json_builder_begin_array (builder);
  for (guint i = 0; i < message->tool_calls->len; i++)
    {
      const ByokToolCall *call = g_ptr_array_index (message->tool_calls, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, call->id);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "function");
      json_builder_set_member_name (builder, "function");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, call->name);
      json_builder_set_member_name (builder, "arguments");
      json_builder_add_string_value (builder, call->arguments);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
add_tool_message (JsonBuilder           *builder,
                  const ByokChatMessage *message)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "tool");
  json_builder_set_member_name (builder, "tool_call_id");
  json_builder_add_string_value (builder, message->tool_call_id != NULL ? message->tool_call_id : "");
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, message->content);
  json_builder_end_object (builder);
}

/* "tools": [{"type": "function", "function": {name, description, parameters}}] */
static void
add_tools (JsonBuilder           *builder,
           const ByokChatRequest *request)
{
  json_builder_set_member_name (builder, "tools");
  json_builder_begin_array (builder);
  for (guint i = 0; i < request->tools->len; i++)
    {
      const ByokToolSpec *spec = g_ptr_array_index (request->tools, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "function");
      json_builder_set_member_name (builder, "function");
      _byok_dialect_add_tool_declaration (builder, spec, "parameters");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  if (request->tool_choice == BYOK_TOOL_CHOICE_NONE)
    {
      json_builder_set_member_name (builder, "tool_choice");
      json_builder_add_string_value (builder, "none");
    }
}

/* A user message with images or PDFs: a list of parts, the images and
 * files first, then the text. */
static void
add_message_with_media (JsonBuilder           *builder,
                        const ByokChatMessage *message,
                        const ByokRequestFit  *fit,
                        ByokDialectFlags       flags)
{
  g_autofree char *text = _byok_dialect_message_text (message, fit);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, byok_chat_role_to_string (message->role));
  json_builder_set_member_name (builder, "content");
  json_builder_begin_array (builder);
  for (guint i = 0; i < message->attachments->len; i++)
    {
      const ByokAttachment *attachment = g_ptr_array_index (message->attachments, i);
      g_autofree char *prefix = NULL;

      if (attachment->kind == BYOK_ATTACHMENT_IMAGE)
        {
          prefix = g_strdup_printf ("data:%s;base64,", attachment->mime_type);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, "image_url");
          json_builder_set_member_name (builder, "image_url");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "url");
          _byok_dialect_add_base64 (builder, prefix, attachment->data);
          if (flags & BYOK_DIALECT_FLAG_IMAGE_DETAIL)
            {
              json_builder_set_member_name (builder, "detail");
              json_builder_add_string_value (builder, "high");
            }
          json_builder_end_object (builder);
          json_builder_end_object (builder);
        }
      else if (attachment->kind == BYOK_ATTACHMENT_PDF && _byok_dialect_pdf_as_file (fit, attachment))
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, "file");
          json_builder_set_member_name (builder, "file");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "filename");
          json_builder_add_string_value (builder, attachment->name);
          json_builder_set_member_name (builder, "file_data");
          _byok_dialect_add_base64 (builder, "data:application/pdf;base64,", attachment->data);
          json_builder_end_object (builder);
          json_builder_end_object (builder);
        }
    }
  _byok_dialect_add_text_part (builder, text);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static GBytes *
openai_build_body (const ByokChatRequest *request,
                   const ByokRequestFit  *fit,
                   gboolean               stream,
                   ByokDialectFlags       flags)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, request->model);

  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  if (request->system_prompt != NULL)
    add_message (builder, "system", request->system_prompt);
  for (guint i = 0; i < request->messages->len; i++)
    {
      const ByokChatMessage *message = g_ptr_array_index (request->messages, i);
      gboolean tool_use = message->role == BYOK_CHAT_ROLE_TOOL ||
                          (message->tool_calls != NULL && message->tool_calls->len > 0);

      if (tool_use && !fit->tools)
        {
          /* A model sent no tools reads the loop as text. */
          g_autofree char *text = _byok_dialect_tool_result_as_text (message);

          add_message (builder, message->role == BYOK_CHAT_ROLE_TOOL ? "user" : "assistant", text);
        }
      else if (message->role == BYOK_CHAT_ROLE_TOOL)
        add_tool_message (builder, message);
      else if (tool_use)
        add_tool_calls_message (builder, message);
      else if (_byok_dialect_message_has_media (message, fit))
        add_message_with_media (builder, message, fit, flags);
      else
        {
          /* Text alone stays one string: several servers take no list. */
          g_autofree char *text = _byok_dialect_message_text (message, fit);

          add_message (builder, byok_chat_role_to_string (message->role), text);
        }
    }
  json_builder_end_array (builder);

  if (fit->tools)
    add_tools (builder, request);

  if (stream)
    {
      json_builder_set_member_name (builder, "stream");
      json_builder_add_boolean_value (builder, TRUE);
      if (!(flags & BYOK_DIALECT_FLAG_NO_STREAM_OPTIONS))
        {
          json_builder_set_member_name (builder, "stream_options");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "include_usage");
          json_builder_add_boolean_value (builder, TRUE);
          json_builder_end_object (builder);
        }
    }

  if (byok_request_fit_sends_temperature (fit))
    {
      json_builder_set_member_name (builder, "temperature");
      json_builder_add_double_value (builder, fit->temperature);
    }

  if (fit->effort_via == BYOK_EFFORT_VIA_REASONING_EFFORT && (fit->effort != 0 || fit->effort_none))
    {
      json_builder_set_member_name (builder, "reasoning_effort");
      json_builder_add_string_value (builder, fit->effort != 0 ? byok_effort_level_to_string (fit->effort)
                                                               : "none");
    }
  else if (fit->effort_via == BYOK_EFFORT_VIA_OPENROUTER && fit->effort != 0)
    {
      json_builder_set_member_name (builder, "reasoning");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "effort");
      json_builder_add_string_value (builder, byok_effort_level_to_string (fit->effort));
      json_builder_end_object (builder);
    }

  if (request->max_output_tokens > 0)
    {
      json_builder_set_member_name (builder,
                                    (flags & BYOK_DIALECT_FLAG_MAX_COMPLETION_TOKENS)
                                      ? "max_completion_tokens" : "max_tokens");
      json_builder_add_int_value (builder, request->max_output_tokens);
    }

  if (flags & BYOK_DIALECT_FLAG_THINKING_TYPE)
    {
      json_builder_set_member_name (builder, "thinking");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, request->reasoning ? "enabled" : "disabled");
      json_builder_end_object (builder);
    }

  json_builder_end_object (builder);
  return byok_json_builder_to_bytes (builder);
}

/* Usage, wherever it is: prompt_tokens/completion_tokens and the details
 * each provider adds. Returns FALSE if @object is not a usage report. */
static gboolean
read_usage (JsonObject *object,
            ByokUsage  *usage)
{
  JsonObject *prompt_details = byok_json_get_object (object, "prompt_tokens_details");
  JsonObject *completion_details = byok_json_get_object (object, "completion_tokens_details");
  gboolean has_input;
  gboolean has_output;
  gint64 value;

  memset (usage, 0, sizeof *usage);
  has_input = byok_json_get_int (object, "prompt_tokens", &usage->input_tokens);
  has_output = byok_json_get_int (object, "completion_tokens", &usage->output_tokens);
  if (!has_input && !has_output)
    return FALSE;

  /* OpenAI, Zhipu, OpenRouter; DeepSeek; Moonshot */
  if (byok_json_get_int (prompt_details, "cached_tokens", &value))
    usage->cached_input_tokens = MAX (usage->cached_input_tokens, value);
  if (byok_json_get_int (object, "prompt_cache_hit_tokens", &value))
    usage->cached_input_tokens = MAX (usage->cached_input_tokens, value);
  if (byok_json_get_int (object, "cached_tokens", &value))
    usage->cached_input_tokens = MAX (usage->cached_input_tokens, value);

  /* OpenRouter */
  if (byok_json_get_int (prompt_details, "cache_write_tokens", &value))
    usage->cache_write_tokens = value;

  if (byok_json_get_int (completion_details, "reasoning_tokens", &value))
    usage->reasoning_tokens = value;

  /* OpenRouter: what the call was billed, in credits (US dollars), in
   * every answer and a stream's last chunk, unasked. Read wherever usage
   * carries a number "cost" (a gateway in front of OpenRouter passes it
   * on); an object there (Perplexity's breakdown) is not one. */
  if (byok_json_get_number (object, "cost", &usage->reported_cost_usd) &&
      usage->reported_cost_usd >= 0)
    usage->cost_reported = TRUE;
  else
    usage->reported_cost_usd = 0;

  usage->reported = TRUE;
  return TRUE;
}

/* Looks for usage in every place an OpenAI-style provider puts it; the last
 * one found replaces what the result held. */
static void
take_usage (JsonObject     *root,
            JsonObject     *choice,
            ByokChatResult *result)
{
  JsonObject *places[] = {
    byok_json_get_object (choice, "usage"),                                  /* Moonshot */
    byok_json_get_object (byok_json_get_object (root, "x_groq"), "usage"),   /* Groq */
    byok_json_get_object (root, "usage"),                                    /* everyone */
  };
  ByokUsage usage;

  for (guint i = 0; i < G_N_ELEMENTS (places); i++)
    {
      if (places[i] != NULL && read_usage (places[i], &usage))
        _byok_dialect_set_usage (result, &usage);
    }
}

/* Maps a finish_reason. Returns FALSE with an error for a reason that
 * means the provider failed (Zhipu network_error, DeepSeek
 * insufficient_system_resource). */
static gboolean
take_finish_reason (const ByokErrorContext  *ctx,
                    const char              *reason,
                    ByokChatResult          *result,
                    GError                 **error)
{
  if (reason == NULL || *reason == '\0')
    return TRUE;

  if (g_str_equal (reason, "length") || g_str_equal (reason, "max_tokens"))
    result->finish_reason = BYOK_FINISH_LENGTH;
  else if (g_str_equal (reason, "content_filter") || g_str_equal (reason, "sensitive"))
    result->finish_reason = BYOK_FINISH_CONTENT_FILTER;
  else if (g_str_equal (reason, "tool_calls") || g_str_equal (reason, "function_call"))
    result->finish_reason = BYOK_FINISH_TOOL_CALLS;
  else if (g_str_equal (reason, "insufficient_system_resource"))
    {
      g_propagate_error (error, _byok_dialect_make_error (ctx, BYOK_ERROR_OVERLOADED, reason));
      return FALSE;
    }
  else if (g_str_equal (reason, "network_error") || g_str_equal (reason, "error"))
    {
      g_propagate_error (error, _byok_dialect_make_error (ctx, BYOK_ERROR_SERVER, reason));
      return FALSE;
    }
  else
    result->finish_reason = BYOK_FINISH_STOP;   /* "stop", "eos", and anything new */

  return TRUE;
}

static void
append_thinking (JsonNode *node,
                 GString  *reasoning)
{
  if (node == NULL)
    return;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    g_string_append (reasoning, json_node_get_string (node));
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *parts = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (parts); i++)
        {
          const char *text = byok_json_get_string (byok_json_array_get_object (parts, i), "text");

          if (text != NULL)
            g_string_append (reasoning, text);
        }
    }
}

/* The field the reasoning came in, for an answer that calls tools: the
 * providers that send reasoning_content want it back in a tool loop. */
static void
note_reasoning_field (ByokChatResult *result,
                      const char     *field)
{
  if (result->replay == NULL)
    result->replay = g_strdup_printf ("{\"dialect\":\"openai\",\"reasoning_field\":\"%s\"}", field);
}

/* A message or delta: content as a string, or as parts (Mistral's
 * reasoning models send [{"type": "thinking", …}, {"type": "text", …}]);
 * reasoning as reasoning_content or reasoning. */
static void
take_message (JsonObject     *message,
              ByokChatResult *result)
{
  const char *content = byok_json_get_string (message, "content");
  JsonArray *parts = byok_json_get_array (message, "content");
  const char *reasoning;

  if (content != NULL)
    g_string_append (result->text, content);

  for (guint i = 0; parts != NULL && i < json_array_get_length (parts); i++)
    {
      JsonObject *part = byok_json_array_get_object (parts, i);
      const char *type = byok_json_get_string (part, "type");

      if (g_strcmp0 (type, "text") == 0)
        {
          const char *text = byok_json_get_string (part, "text");

          if (text != NULL)
            g_string_append (result->text, text);
        }
      else if (g_strcmp0 (type, "thinking") == 0)
        append_thinking (json_object_get_member (part, "thinking"), result->reasoning);
    }

  /* DeepSeek, Moonshot, Zhipu: reasoning_content; OpenRouter, Ollama:
   * reasoning. Some gateways send both with the same text: take one. */
  reasoning = byok_json_get_string (message, "reasoning_content");
  if (reasoning != NULL && *reasoning != '\0')
    note_reasoning_field (result, "reasoning_content");
  if (reasoning == NULL || *reasoning == '\0')
    reasoning = byok_json_get_string (message, "reasoning");
  if (reasoning != NULL)
    g_string_append (result->reasoning, reasoning);
}

/* The arguments of a call: a string of JSON, or (some servers) the object. */
static void
take_arguments (JsonObject *function,
                GString    *out)
{
  JsonNode *node = json_object_get_member (function, "arguments");

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    g_string_append (out, json_node_get_string (node));
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *text = json_to_string (node, FALSE);

      g_string_append (out, text);
    }
}

/* The calls of a whole message: [{id, type, function: {name, arguments}}]. */
static void
take_tool_calls (JsonObject     *message,
                 ByokChatResult *result)
{
  JsonArray *calls = byok_json_get_array (message, "tool_calls");

  for (guint i = 0; calls != NULL && i < json_array_get_length (calls); i++)
    {
      JsonObject *item = byok_json_array_get_object (calls, i);
      JsonObject *function = byok_json_get_object (item, "function");
      g_autoptr(GString) arguments = g_string_new (NULL);

      if (function == NULL)
        continue;
      take_arguments (function, arguments);
      g_ptr_array_add (result->tool_calls,
                       byok_tool_call_new (byok_json_get_string (item, "id"),
                                           byok_json_get_string (function, "name"), arguments->str));
    }
}

/* The calls of a stream, in pieces: [{index, id, function: {name,
 * arguments}}], the arguments in fragments under the same index. */
static void
take_tool_deltas (ByokDialectStream *stream,
                  JsonObject        *delta,
                  ByokChatResult    *result)
{
  JsonArray *calls = byok_json_get_array (delta, "tool_calls");

  for (guint i = 0; calls != NULL && i < json_array_get_length (calls); i++)
    {
      JsonObject *item = byok_json_array_get_object (calls, i);
      JsonObject *function = byok_json_get_object (item, "function");
      gint64 index = i;
      const char *id, *name;
      ByokToolCall *call;
      g_autoptr(GString) arguments = g_string_new (NULL);

      if (item == NULL)
        continue;
      byok_json_get_int (item, "index", &index);
      call = _byok_dialect_stream_tool_call (stream, result, index, TRUE);
      if (call == NULL)
        continue;
      id = byok_json_get_string (item, "id");
      name = byok_json_get_string (function, "name");
      if (id != NULL && *id != '\0')
        {
          g_free (call->id);
          call->id = g_strdup (id);
        }
      if (name != NULL && *name != '\0')
        {
          g_free (call->name);
          call->name = g_strdup (name);
        }
      if (function != NULL)
        {
          take_arguments (function, arguments);
          _byok_dialect_stream_tool_arguments (stream, index, arguments->str);
        }
    }
}

static void
take_ids (JsonObject     *root,
          ByokChatResult *result)
{
  const char *id = byok_json_get_string (root, "id");
  const char *model = byok_json_get_string (root, "model");

  if (id != NULL && *id != '\0' && g_strcmp0 (id, result->response_id) != 0)
    byok_chat_result_set_response_id (result, id);
  if (model != NULL && *model != '\0' && g_strcmp0 (model, result->response_model) != 0)
    byok_chat_result_set_response_model (result, model);
}

/* The first choice (index 0); others (n > 1) are not asked for. */
static JsonObject *
first_choice (JsonObject *root)
{
  JsonArray *choices = byok_json_get_array (root, "choices");

  for (guint i = 0; choices != NULL && i < json_array_get_length (choices); i++)
    {
      JsonObject *choice = byok_json_array_get_object (choices, i);
      gint64 index = 0;

      if (choice == NULL)
        continue;
      byok_json_get_int (choice, "index", &index);
      if (index == 0)
        return choice;
    }
  return NULL;
}

static gboolean
openai_parse_response (const ByokErrorContext  *ctx,
                       JsonObject              *root,
                       ByokChatResult          *result,
                       GError                 **error)
{
  JsonObject *choice = first_choice (root);

  take_ids (root, result);
  take_message (byok_json_get_object (choice, "message"), result);
  take_tool_calls (byok_json_get_object (choice, "message"), result);
  take_usage (root, choice, result);
  return take_finish_reason (ctx, byok_json_get_string (choice, "finish_reason"), result, error);
}

static gboolean
is_done_marker (const char *data)
{
  while (g_ascii_isspace (*data))
    data++;
  if (!g_str_has_prefix (data, "[DONE]"))
    return FALSE;
  data += strlen ("[DONE]");
  while (g_ascii_isspace (*data))
    data++;
  return *data == '\0';
}

/* What openai_parse_event() does with a chunk json-glib read, with one the
 * scanner read. */
static gboolean
fast_take_chunk (ByokDialectStream  *stream,
                 const FastChunk    *chunk,
                 ByokChatResult     *result,
                 GError            **error)
{
  if (chunk->id.present && chunk->id.len > 0 && !_byok_openai_slice_equal (&chunk->id, result->response_id))
    {
      g_autofree char *id = g_strndup (chunk->id.start, chunk->id.len);

      byok_chat_result_set_response_id (result, id);
    }
  if (chunk->model.present && chunk->model.len > 0 && !_byok_openai_slice_equal (&chunk->model, result->response_model))
    {
      g_autofree char *model = g_strndup (chunk->model.start, chunk->model.len);

      byok_chat_result_set_response_model (result, model);
    }

  if (chunk->content.present)
    _byok_openai_append_slice (result->text, &chunk->content);
  if (chunk->reasoning_content.present && chunk->reasoning_content.len > 0)
    {
      _byok_openai_append_slice (result->reasoning, &chunk->reasoning_content);
      note_reasoning_field (result, "reasoning_content");
    }
  else if (chunk->reasoning.present)
    _byok_openai_append_slice (result->reasoning, &chunk->reasoning);

  if (chunk->finish_reason.present)
    {
      g_autofree char *reason = g_strndup (chunk->finish_reason.start, chunk->finish_reason.len);

      if (!take_finish_reason (&stream->ctx, reason, result, error))
        return FALSE;
      stream->finished = TRUE;
    }
  return TRUE;
}

static gboolean
openai_parse_event (ByokDialectStream  *stream,
                    const char         *event_name,
                    const char         *data,
                    ByokChatResult     *result,
                    gboolean           *done,
                    GError            **error)
{
  g_autoptr(JsonNode) root_node = NULL;
  JsonObject *root;
  JsonObject *choice;
  GError *envelope_error;
  const char *finish_reason;
  FastChunk chunk;

  if (is_done_marker (data))
    {
      *done = TRUE;
      return TRUE;
    }

  if (!stream->no_fast_path && _byok_openai_fast_scan_chunk (data, &chunk))
    return fast_take_chunk (stream, &chunk, result, error);

  root = _byok_dialect_parse_object (&stream->ctx, data, strlen (data), &root_node, error);
  if (root == NULL)
    return FALSE;

  /* {"error": …} after text has streamed: a failure, the text is kept. */
  envelope_error = _byok_dialect_error_from_json (&stream->ctx, 0, root);
  if (envelope_error != NULL)
    {
      g_propagate_error (error, envelope_error);
      return FALSE;
    }

  take_ids (root, result);

  /* Azure's first chunk has "choices": [] and prompt_filter_results; the
   * include_usage chunk has "choices": [] and usage. */
  choice = first_choice (root);
  take_message (byok_json_get_object (choice, "delta"), result);
  take_tool_deltas (stream, byok_json_get_object (choice, "delta"), result);
  take_usage (root, choice, result);

  finish_reason = byok_json_get_string (choice, "finish_reason");
  if (finish_reason != NULL)
    {
      if (!take_finish_reason (&stream->ctx, finish_reason, result, error))
        return FALSE;
      stream->finished = TRUE;
    }

  return TRUE;
}

static const ByokDialect openai_dialect = {
  .name = "openai",
  .get_chat_path = openai_get_chat_path,
  .build_body = openai_build_body,
  .parse_response = openai_parse_response,
  .parse_event = openai_parse_event,
  .ends_at_finish = FALSE,
};

/**
 * byok_dialect_openai_get:
 * Returns: (transfer none): the "openai" dialect.
 */
const ByokDialect *
byok_dialect_openai_get (void)
{
  return &openai_dialect;
}
