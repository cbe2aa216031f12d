/* byok-dialect-anthropic.c — the Anthropic Messages API */
#define G_LOG_DOMAIN "byok-dialect"

#include "config.h"

#include <string.h>

#include "byok-dialect-anthropic.h"
#include "byok-dialect-private.h"
#include "byok-json.h"

/* Anthropic requires max_tokens. */
#define DEFAULT_MAX_TOKENS 4096
/* Extended thinking: budget_tokens must be at least this, and less than
 * max_tokens. */
#define MIN_THINKING_BUDGET 1024

static char *
anthropic_get_chat_path (const char *model,
                         gboolean    stream)
{
  return g_strdup ("/v1/messages");
}

/* Version 2026-10-21 takes no temperature (nor top_p, top_k): a request
 * with one, to a model that takes it, goes out as 2023-06-01. The
 * provider's header (the catalog) is the newer one. */
#define API_VERSION_WITH_TEMPERATURE "2023-06-01"

static gboolean
anthropic_request_header (const ByokRequestFit  *fit,
                          const char           **name,
                          const char           **value)
{
  if (!byok_request_fit_sends_temperature (fit))
    return FALSE;
  *name = "anthropic-version";
  *value = API_VERSION_WITH_TEMPERATURE;
  return TRUE;
}

static GBytes *
anthropic_build_body (const ByokChatRequest *request,
                      const ByokRequestFit  *fit,
                      gboolean               stream,
                      ByokDialectFlags       flags)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GString) system = g_string_new (request->system_prompt);
  gint64 max_tokens = request->max_output_tokens > 0 ? request->max_output_tokens
                                                     : DEFAULT_MAX_TOKENS;
  gboolean adaptive = fit->effort_via == BYOK_EFFORT_VIA_ADAPTIVE;
  gint64 budget = 0;

  /* Adaptive thinking (Opus 4.6 and later) decides its own budget; the
   * effort steers it. Earlier models think within a budget. */
  if (fit->thinking && !adaptive)
    {
      budget = fit->thinking_budget > 0 ? fit->thinking_budget : max_tokens / 2;
      budget = MAX (budget, MIN_THINKING_BUDGET);
      /* The budget counts against max_tokens: keep room for the answer. */
      if (budget >= max_tokens)
        max_tokens = budget + max_tokens;
    }

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, request->model);

  json_builder_set_member_name (builder, "max_tokens");
  json_builder_add_int_value (builder, max_tokens);

  /* No "system" role in messages: it is a top-level member. */
  for (guint i = 0; i < request->messages->len; i++)
    {
      const ByokChatMessage *message = g_ptr_array_index (request->messages, i);

      if (message->role != BYOK_CHAT_ROLE_SYSTEM)
        continue;
      if (system->len > 0)
        g_string_append (system, "\n\n");
      g_string_append (system, message->content);
    }
  if (system->len > 0)
    {
      json_builder_set_member_name (builder, "system");
      json_builder_add_string_value (builder, system->str);
    }

  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  for (guint i = 0; i < request->messages->len; i++)
    {
      const ByokChatMessage *message = g_ptr_array_index (request->messages, i);

      if (message->role == BYOK_CHAT_ROLE_SYSTEM)
        continue;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, byok_chat_role_to_string (message->role));
      json_builder_set_member_name (builder, "content");
      json_builder_add_string_value (builder, message->content);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (stream)
    {
      json_builder_set_member_name (builder, "stream");
      json_builder_add_boolean_value (builder, TRUE);
    }

  /* Only to a model that takes one, never with thinking, 0 to 1. */
  if (byok_request_fit_sends_temperature (fit))
    {
      json_builder_set_member_name (builder, "temperature");
      json_builder_add_double_value (builder, fit->temperature);
    }

  if (fit->thinking && adaptive)
    {
      json_builder_set_member_name (builder, "thinking");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "adaptive");
      /* Newer models omit the thinking text unless asked for it. */
      json_builder_set_member_name (builder, "display");
      json_builder_add_string_value (builder, "summarized");
      json_builder_end_object (builder);
      if (fit->effort != 0)
        {
          json_builder_set_member_name (builder, "output_config");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "effort");
          json_builder_add_string_value (builder, byok_effort_level_to_string (fit->effort));
          json_builder_end_object (builder);
        }
    }
  else if (fit->thinking)
    {
      json_builder_set_member_name (builder, "thinking");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "enabled");
      json_builder_set_member_name (builder, "budget_tokens");
      json_builder_add_int_value (builder, budget);
      json_builder_end_object (builder);
    }

  json_builder_end_object (builder);
  return byok_json_builder_to_bytes (builder);
}

static ByokFinishReason
map_stop_reason (const char *reason)
{
  if (reason == NULL)
    return BYOK_FINISH_NONE;
  if (g_str_equal (reason, "max_tokens") ||
      g_str_equal (reason, "model_context_window_exceeded"))
    return BYOK_FINISH_LENGTH;
  if (g_str_equal (reason, "tool_use"))
    return BYOK_FINISH_TOOL_CALLS;
  if (g_str_equal (reason, "refusal"))
    return BYOK_FINISH_CONTENT_FILTER;
  /* end_turn, stop_sequence, pause_turn, and anything new */
  return BYOK_FINISH_STOP;
}

/* Anthropic's input_tokens exclude the cache: Byok's include it. */
static void
report_usage (ByokDialectStream *parts,
              ByokChatResult    *result)
{
  ByokUsage usage = { 0, };

  usage.input_tokens = byok_dialect_add_tokens (byok_dialect_add_tokens (parts->input_tokens,
                                                                         parts->cache_read_tokens),
                                                parts->cache_write_tokens);
  usage.cached_input_tokens = parts->cache_read_tokens;
  usage.cache_write_tokens = parts->cache_write_tokens;
  usage.output_tokens = parts->output_tokens;
  usage.reasoning_tokens = parts->reasoning_tokens;
  byok_dialect_set_usage (result, &usage);
}

/* Reads what @usage holds into @parts; members not present keep their
 * value (message_delta usually carries output_tokens only). */
static gboolean
read_usage (JsonObject        *usage,
            ByokDialectStream *parts)
{
  gboolean any = FALSE;

  if (usage == NULL)
    return FALSE;
  any |= byok_json_get_int (usage, "input_tokens", &parts->input_tokens);
  any |= byok_json_get_int (usage, "cache_read_input_tokens", &parts->cache_read_tokens);
  any |= byok_json_get_int (usage, "cache_creation_input_tokens", &parts->cache_write_tokens);
  any |= byok_json_get_int (usage, "output_tokens", &parts->output_tokens);
  /* The thinking part of output_tokens (reasoning tokens, as Byok counts them). */
  any |= byok_json_get_int (byok_json_get_object (usage, "output_tokens_details"), "thinking_tokens",
                            &parts->reasoning_tokens);
  return any;
}

static void
take_ids (JsonObject     *message,
          ByokChatResult *result)
{
  const char *id = byok_json_get_string (message, "id");
  const char *model = byok_json_get_string (message, "model");

  if (id != NULL && *id != '\0')
    byok_chat_result_set_response_id (result, id);
  if (model != NULL && *model != '\0')
    byok_chat_result_set_response_model (result, model);
}

/* A content block, whole (a response) or as it starts (a stream). */
static void
take_block (JsonObject     *block,
            ByokChatResult *result)
{
  const char *type = byok_json_get_string (block, "type");
  const char *text;

  if (g_strcmp0 (type, "text") == 0 && (text = byok_json_get_string (block, "text")) != NULL)
    g_string_append (result->text, text);
  else if (g_strcmp0 (type, "thinking") == 0 &&
           (text = byok_json_get_string (block, "thinking")) != NULL)
    g_string_append (result->reasoning, text);
  /* redacted_thinking, tool_use, … carry nothing to show */
}

static gboolean
anthropic_parse_response (const ByokErrorContext  *ctx,
                          JsonObject              *root,
                          ByokChatResult          *result,
                          GError                 **error)
{
  JsonArray *content = byok_json_get_array (root, "content");
  ByokDialectStream parts = { 0, };

  take_ids (root, result);
  for (guint i = 0; content != NULL && i < json_array_get_length (content); i++)
    take_block (byok_json_array_get_object (content, i), result);

  result->finish_reason = map_stop_reason (byok_json_get_string (root, "stop_reason"));
  if (read_usage (byok_json_get_object (root, "usage"), &parts))
    report_usage (&parts, result);
  return TRUE;
}

static gboolean
anthropic_parse_event (ByokDialectStream  *stream,
                       const char         *event_name,
                       const char         *data,
                       ByokChatResult     *result,
                       gboolean           *done,
                       GError            **error)
{
  g_autoptr(JsonNode) root_node = NULL;
  JsonObject *root;
  const char *type;

  root = byok_dialect_parse_object (&stream->ctx, data, strlen (data), &root_node, error);
  if (root == NULL)
    return FALSE;

  /* The data's type is the truth; the SSE event name repeats it. */
  type = byok_json_get_string (root, "type");
  if (type == NULL)
    type = event_name;
  if (type == NULL)
    type = "";

  if (g_str_equal (type, "error") || byok_json_get_object (root, "error") != NULL)
    {
      GError *envelope_error = byok_dialect_error_from_json (&stream->ctx, 0, root);

      if (envelope_error == NULL)
        envelope_error = byok_dialect_make_error (&stream->ctx, BYOK_ERROR_SERVER, NULL);
      g_propagate_error (error, envelope_error);
      return FALSE;
    }

  if (g_str_equal (type, "message_start"))
    {
      JsonObject *message = byok_json_get_object (root, "message");

      take_ids (message, result);
      if (read_usage (byok_json_get_object (message, "usage"), stream))
        report_usage (stream, result);
    }
  else if (g_str_equal (type, "content_block_start"))
    {
      take_block (byok_json_get_object (root, "content_block"), result);
    }
  else if (g_str_equal (type, "content_block_delta"))
    {
      JsonObject *delta = byok_json_get_object (root, "delta");
      const char *delta_type = byok_json_get_string (delta, "type");
      const char *text;

      if (g_strcmp0 (delta_type, "text_delta") == 0 &&
          (text = byok_json_get_string (delta, "text")) != NULL)
        g_string_append (result->text, text);
      else if (g_strcmp0 (delta_type, "thinking_delta") == 0 &&
               (text = byok_json_get_string (delta, "thinking")) != NULL)
        g_string_append (result->reasoning, text);
      /* signature_delta, input_json_delta: nothing to show */
    }
  else if (g_str_equal (type, "message_delta"))
    {
      const char *stop_reason = byok_json_get_string (byok_json_get_object (root, "delta"),
                                                      "stop_reason");

      if (stop_reason != NULL)
        {
          result->finish_reason = map_stop_reason (stop_reason);
          stream->finished = TRUE;
        }
      /* Cumulative: output_tokens so far, replacing the last figure. */
      if (read_usage (byok_json_get_object (root, "usage"), stream))
        report_usage (stream, result);
    }
  else if (g_str_equal (type, "message_stop"))
    {
      *done = TRUE;
    }
  /* ping, content_block_stop, and event types added later: nothing */

  return TRUE;
}

static const ByokDialect anthropic_dialect = {
  .name = "anthropic",
  .get_chat_path = anthropic_get_chat_path,
  .build_body = anthropic_build_body,
  .request_header = anthropic_request_header,
  .parse_response = anthropic_parse_response,
  .parse_event = anthropic_parse_event,
  .ends_at_finish = FALSE,
};

/**
 * byok_dialect_anthropic_get:
 * Returns: (transfer none): the "anthropic" dialect.
 */
const ByokDialect *
byok_dialect_anthropic_get (void)
{
  return &anthropic_dialect;
}
