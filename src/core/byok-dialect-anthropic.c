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

/* "tools": [{name, description, input_schema}]; the tools stay described
 * when the model may not call them ("tool_choice": {"type": "none"}):
 * the conversation's tool_use blocks need them. */
static void
add_tools (JsonBuilder           *builder,
           const ByokChatRequest *request)
{
  json_builder_set_member_name (builder, "tools");
  json_builder_begin_array (builder);
  for (guint i = 0; i < request->tools->len; i++)
    {
      const ByokToolSpec *spec = g_ptr_array_index (request->tools, i);

      _byok_dialect_add_tool_declaration (builder, spec, "input_schema");
    }
  json_builder_end_array (builder);
  if (request->tool_choice == BYOK_TOOL_CHOICE_NONE)
    {
      json_builder_set_member_name (builder, "tool_choice");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "none");
      json_builder_end_object (builder);
    }
}

/* An answer that called tools: its blocks as they came when the answer
 * thought (the thinking blocks, signed, must go back as they were), else
 * its text and a tool_use block per call. */
static void
add_tool_use_content (JsonBuilder           *builder,
                      const ByokChatMessage *message)
{
  g_autoptr(JsonNode) replay_root = NULL;
  JsonObject *replay = _byok_dialect_replay_for (message, "anthropic", &replay_root);
  JsonNode *content = replay != NULL ? json_object_get_member (replay, "content") : NULL;

  if (content != NULL && JSON_NODE_HOLDS_ARRAY (content))
    {
      json_builder_add_value (builder, json_node_copy (content));
      return;
    }

  json_builder_begin_array (builder);
  if (*message->content != '\0')
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "text");
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, message->content);
      json_builder_end_object (builder);
    }
  for (guint i = 0; i < message->tool_calls->len; i++)
    {
      const ByokToolCall *call = g_ptr_array_index (message->tool_calls, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "tool_use");
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, call->id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, call->name);
      json_builder_set_member_name (builder, "input");
      json_builder_add_value (builder, _byok_dialect_tool_arguments (call));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/* The tool messages from @first on, as one user message of tool_result
 * blocks. Returns the index of the first message after them. */
static guint
add_tool_results (JsonBuilder           *builder,
                  const ByokChatRequest *request,
                  guint                  first)
{
  guint i;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "user");
  json_builder_set_member_name (builder, "content");
  json_builder_begin_array (builder);
  for (i = first; i < request->messages->len; i++)
    {
      const ByokChatMessage *message = g_ptr_array_index (request->messages, i);

      if (message->role != BYOK_CHAT_ROLE_TOOL)
        break;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "tool_result");
      json_builder_set_member_name (builder, "tool_use_id");
      json_builder_add_string_value (builder, message->tool_call_id != NULL ? message->tool_call_id : "");
      if (*message->content != '\0')
        {
          json_builder_set_member_name (builder, "content");
          json_builder_add_string_value (builder, message->content);
        }
      if (message->is_error)
        {
          json_builder_set_member_name (builder, "is_error");
          json_builder_add_boolean_value (builder, TRUE);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return i;
}

/* One base64 source block: "image" or "document". */
static void
add_source_block (JsonBuilder          *builder,
                  const char           *type,
                  const char           *media_type,
                  const ByokAttachment *attachment)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, "source");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "base64");
  json_builder_set_member_name (builder, "media_type");
  json_builder_add_string_value (builder, media_type);
  json_builder_set_member_name (builder, "data");
  _byok_dialect_add_base64 (builder, NULL, attachment->data);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

/* A user message's content: its images and PDFs as blocks, before the
 * text block (Anthropic's advice: images first); text alone is a string. */
static void
add_content (JsonBuilder           *builder,
             const ByokChatMessage *message,
             const ByokRequestFit  *fit)
{
  g_autofree char *text = _byok_dialect_message_text (message, fit);

  json_builder_set_member_name (builder, "content");
  if (!_byok_dialect_message_has_media (message, fit))
    {
      json_builder_add_string_value (builder, text);
      return;
    }
  json_builder_begin_array (builder);
  for (guint i = 0; i < message->attachments->len; i++)
    {
      const ByokAttachment *attachment = g_ptr_array_index (message->attachments, i);

      if (attachment->kind == BYOK_ATTACHMENT_IMAGE)
        add_source_block (builder, "image", attachment->mime_type, attachment);
      else if (attachment->kind == BYOK_ATTACHMENT_PDF && _byok_dialect_pdf_as_file (fit, attachment))
        add_source_block (builder, "document", "application/pdf", attachment);
    }
  _byok_dialect_add_text_part (builder, text);
  json_builder_end_array (builder);
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
      gboolean tool_use = message->role == BYOK_CHAT_ROLE_TOOL ||
                          (message->tool_calls != NULL && message->tool_calls->len > 0);

      if (message->role == BYOK_CHAT_ROLE_SYSTEM)
        continue;
      if (tool_use && fit->tools && message->role == BYOK_CHAT_ROLE_TOOL)
        {
          /* One user message answers every call of the answer before it. */
          i = add_tool_results (builder, request, i) - 1;
          continue;
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, message->role == BYOK_CHAT_ROLE_ASSISTANT ? "assistant" : "user");
      if (tool_use && fit->tools)
        {
          json_builder_set_member_name (builder, "content");
          add_tool_use_content (builder, message);
        }
      else if (tool_use)
        {
          /* A model sent no tools reads the loop as text. */
          g_autofree char *text = _byok_dialect_tool_result_as_text (message);

          json_builder_set_member_name (builder, "content");
          json_builder_add_string_value (builder, text);
        }
      else
        add_content (builder, message, fit);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (fit->tools)
    add_tools (builder, request);

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

  usage.input_tokens = _byok_dialect_add_tokens (_byok_dialect_add_tokens (parts->input_tokens,
                                                                         parts->cache_read_tokens),
                                                parts->cache_write_tokens);
  usage.cached_input_tokens = parts->cache_read_tokens;
  usage.cache_write_tokens = parts->cache_write_tokens;
  usage.output_tokens = parts->output_tokens;
  usage.reasoning_tokens = parts->reasoning_tokens;
  _byok_dialect_set_usage (result, &usage);
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

  gboolean thought = FALSE;

  take_ids (root, result);
  for (guint i = 0; content != NULL && i < json_array_get_length (content); i++)
    {
      JsonObject *block = byok_json_array_get_object (content, i);
      const char *type = byok_json_get_string (block, "type");

      take_block (block, result);
      if (g_strcmp0 (type, "thinking") == 0 || g_strcmp0 (type, "redacted_thinking") == 0)
        thought = TRUE;
      else if (g_strcmp0 (type, "tool_use") == 0)
        {
          JsonNode *input = json_object_get_member (block, "input");
          g_autofree char *arguments = input != NULL && JSON_NODE_HOLDS_OBJECT (input)
                                         ? json_to_string (input, FALSE) : NULL;

          g_ptr_array_add (result->tool_calls,
                           byok_tool_call_new (byok_json_get_string (block, "id"),
                                               byok_json_get_string (block, "name"), arguments));
        }
    }
  /* Thinking goes back, signed, with the tool calls it led to. */
  if (thought && result->tool_calls->len > 0)
    {
      g_autoptr(JsonObject) replay = json_object_new ();
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_object_set_string_member (replay, "dialect", "anthropic");
      json_object_set_array_member (replay, "content", json_array_ref (content));
      json_node_set_object (node, replay);
      g_free (result->replay);
      result->replay = json_to_string (node, FALSE);
    }

  result->finish_reason = map_stop_reason (byok_json_get_string (root, "stop_reason"));
  if (read_usage (byok_json_get_object (root, "usage"), &parts))
    report_usage (&parts, result);
  return TRUE;
}

static ByokDialectBlock *
find_block (ByokDialectStream *stream,
            gint64             index)
{
  for (guint i = stream->blocks->len; i > 0; i--)
    {
      ByokDialectBlock *block = g_ptr_array_index (stream->blocks, i - 1);

      if (block->index == index)
        return block;
    }
  return NULL;
}

/* content_block_start: the block's first text, and a note of where it is
 * (for the replay); a tool_use block starts a tool call. */
static void
start_block (ByokDialectStream *stream,
             gint64             index,
             JsonObject        *content_block,
             ByokChatResult    *result)
{
  const char *type = byok_json_get_string (content_block, "type");
  ByokDialectBlock *block;

  if (type == NULL)
    return;
  block = g_new0 (ByokDialectBlock, 1);
  block->type = g_strdup (type);
  block->index = index;
  block->start = g_str_equal (type, "thinking") ? result->reasoning->len : result->text->len;
  take_block (content_block, result);
  block->end = g_str_equal (type, "thinking") ? result->reasoning->len : result->text->len;
  if (g_str_equal (type, "thinking"))
    block->signature = g_string_new (byok_json_get_string (content_block, "signature"));
  else if (g_str_equal (type, "redacted_thinking"))
    block->data = g_strdup (byok_json_get_string (content_block, "data"));
  else if (g_str_equal (type, "tool_use"))
    {
      ByokToolCall *call = _byok_dialect_stream_tool_call (stream, result, index, TRUE);

      if (call != NULL)
        {
          g_free (call->id);
          call->id = g_strdup (byok_json_get_string (content_block, "id"));
          g_free (call->name);
          call->name = g_strdup (byok_json_get_string (content_block, "name"));
        }
      block->tool = result->tool_calls->len - 1;
    }
  g_ptr_array_add (stream->blocks, block);
}

static void
add_string_member (JsonObject *object,
                   const char *name,
                   const char *str,
                   gsize       len)
{
  g_autofree char *value = g_strndup (str, len);

  json_object_set_string_member (object, name, value);
}

/* The answer thought and called tools: its blocks, in order and signed,
 * are what goes back with it. */
static void
anthropic_flush (ByokDialectStream *stream,
                 ByokChatResult    *result)
{
  g_autoptr(JsonObject) replay = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *content;
  gboolean thought = FALSE;

  for (guint i = 0; i < stream->blocks->len; i++)
    {
      ByokDialectBlock *block = g_ptr_array_index (stream->blocks, i);

      thought |= g_str_equal (block->type, "thinking") || g_str_equal (block->type, "redacted_thinking");
    }
  if (!thought || result->tool_calls->len == 0)
    return;

  content = json_array_new ();
  for (guint i = 0; i < stream->blocks->len; i++)
    {
      ByokDialectBlock *block = g_ptr_array_index (stream->blocks, i);
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "type", block->type);
      if (g_str_equal (block->type, "thinking"))
        {
          add_string_member (object, "thinking", result->reasoning->str + MIN (block->start, result->reasoning->len),
                             MIN (block->end, result->reasoning->len) - MIN (block->start, result->reasoning->len));
          json_object_set_string_member (object, "signature", block->signature->str);
        }
      else if (g_str_equal (block->type, "redacted_thinking"))
        json_object_set_string_member (object, "data", block->data != NULL ? block->data : "");
      else if (g_str_equal (block->type, "text"))
        add_string_member (object, "text", result->text->str + MIN (block->start, result->text->len),
                           MIN (block->end, result->text->len) - MIN (block->start, result->text->len));
      else if (g_str_equal (block->type, "tool_use") && block->tool < result->tool_calls->len)
        {
          const ByokToolCall *call = g_ptr_array_index (result->tool_calls, block->tool);

          json_object_set_string_member (object, "id", call->id);
          json_object_set_string_member (object, "name", call->name);
          json_object_set_member (object, "input", _byok_dialect_tool_arguments (call));
        }
      else
        {
          json_object_unref (object);
          continue;
        }
      json_array_add_object_element (content, object);
    }

  replay = json_object_new ();
  json_object_set_string_member (replay, "dialect", "anthropic");
  json_object_set_array_member (replay, "content", content);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, replay);
  g_free (result->replay);
  result->replay = json_to_string (node, FALSE);
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

  root = _byok_dialect_parse_object (&stream->ctx, data, strlen (data), &root_node, error);
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
      GError *envelope_error = _byok_dialect_error_from_json (&stream->ctx, 0, root);

      if (envelope_error == NULL)
        envelope_error = _byok_dialect_make_error (&stream->ctx, BYOK_ERROR_SERVER, NULL);
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
      gint64 index = -1;

      byok_json_get_int (root, "index", &index);
      start_block (stream, index, byok_json_get_object (root, "content_block"), result);
    }
  else if (g_str_equal (type, "content_block_delta"))
    {
      JsonObject *delta = byok_json_get_object (root, "delta");
      const char *delta_type = byok_json_get_string (delta, "type");
      ByokDialectBlock *block;
      gint64 index = -1;
      const char *text;

      byok_json_get_int (root, "index", &index);
      block = find_block (stream, index);
      if (g_strcmp0 (delta_type, "text_delta") == 0 &&
          (text = byok_json_get_string (delta, "text")) != NULL)
        {
          g_string_append (result->text, text);
          if (block != NULL)
            block->end = result->text->len;
        }
      else if (g_strcmp0 (delta_type, "thinking_delta") == 0 &&
               (text = byok_json_get_string (delta, "thinking")) != NULL)
        {
          g_string_append (result->reasoning, text);
          if (block != NULL)
            block->end = result->reasoning->len;
        }
      else if (g_strcmp0 (delta_type, "signature_delta") == 0 && block != NULL &&
               (text = byok_json_get_string (delta, "signature")) != NULL)
        g_string_append (block->signature, text);
      else if (g_strcmp0 (delta_type, "input_json_delta") == 0)
        _byok_dialect_stream_tool_arguments (stream, index, byok_json_get_string (delta, "partial_json"));
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
  else if (g_str_equal (type, "content_block_stop"))
    {
      gint64 index = -1;
      ByokDialectBlock *block;

      byok_json_get_int (root, "index", &index);
      block = find_block (stream, index);
      /* A tool_use block ended: its call is complete. */
      if (block != NULL && g_str_equal (block->type, "tool_use"))
        _byok_dialect_stream_tools_complete (stream, result, block->tool + 1);
    }
  /* ping and event types added later: nothing */

  return TRUE;
}

static const ByokDialect anthropic_dialect = {
  .name = "anthropic",
  .get_chat_path = anthropic_get_chat_path,
  .build_body = anthropic_build_body,
  .request_header = anthropic_request_header,
  .parse_response = anthropic_parse_response,
  .parse_event = anthropic_parse_event,
  .flush = anthropic_flush,
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
