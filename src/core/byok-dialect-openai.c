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

static GBytes *
openai_build_body (const ByokChatRequest *request,
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

      add_message (builder, byok_chat_role_to_string (message->role), message->content);
    }
  json_builder_end_array (builder);

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

  if (request->temperature >= 0)
    {
      json_builder_set_member_name (builder, "temperature");
      json_builder_add_double_value (builder, request->temperature);
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
        byok_dialect_set_usage (result, &usage);
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
      g_propagate_error (error, byok_dialect_make_error (ctx, BYOK_ERROR_OVERLOADED, reason));
      return FALSE;
    }
  else if (g_str_equal (reason, "network_error") || g_str_equal (reason, "error"))
    {
      g_propagate_error (error, byok_dialect_make_error (ctx, BYOK_ERROR_SERVER, reason));
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
  if (reasoning == NULL || *reasoning == '\0')
    reasoning = byok_json_get_string (message, "reasoning");
  if (reasoning != NULL)
    g_string_append (result->reasoning, reasoning);
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

  if (is_done_marker (data))
    {
      *done = TRUE;
      return TRUE;
    }

  root = byok_dialect_parse_object (&stream->ctx, data, strlen (data), &root_node, error);
  if (root == NULL)
    return FALSE;

  /* {"error": …} after text has streamed: a failure, the text is kept. */
  envelope_error = byok_dialect_error_from_json (&stream->ctx, 0, root);
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
