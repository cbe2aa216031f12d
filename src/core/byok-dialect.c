/* byok-dialect.c — looking up a dialect, and what every dialect shares */
#define G_LOG_DOMAIN "byok-dialect"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "byok-dialect-anthropic.h"
#include "byok-dialect-gemini.h"
#include "byok-dialect-openai.h"
#include "byok-dialect-private.h"
#include "byok-error.h"
#include "byok-glib.h"
#include "byok-json.h"
#include "byok-key-format.h"
#include "byok-media.h"

/**
 * byok_dialect_get:
 * @name: "openai", "anthropic" or "gemini" (a provider's `dialect`)
 *
 * Returns: (transfer none) (nullable): the dialect, static, or NULL for an
 *   unknown name.
 */
const ByokDialect *
byok_dialect_get (const char *name)
{
  const ByokDialect *dialects[] = {
    byok_dialect_openai_get (),
    byok_dialect_anthropic_get (),
    byok_dialect_gemini_get (),
  };

  if (name == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (dialects); i++)
    {
      if (g_str_equal (dialects[i]->name, name))
        return dialects[i];
    }
  return NULL;
}

/**
 * byok_dialect_get_name:
 * Returns: "openai", "anthropic" or "gemini".
 */
const char *
byok_dialect_get_name (const ByokDialect *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->name;
}

/**
 * byok_dialect_get_chat_path:
 * @model: the model id (Gemini puts it in the path; "models/" is stripped)
 * @stream: whether the answer is streamed (Gemini: another method)
 *
 * Returns: (transfer full): the chat endpoint path, starting with "/", to
 *   append to the provider's base URL (with one trailing "/" stripped):
 *   "/chat/completions", "/v1/messages",
 *   "/models/MODEL:streamGenerateContent?alt=sse" or
 *   "/models/MODEL:generateContent". Azure's deployment path is the
 *   caller's business.
 */
char *
byok_dialect_get_chat_path (const ByokDialect *self,
                            const char        *model,
                            gboolean           stream)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->get_chat_path (model, stream);
}

/**
 * byok_dialect_build_body:
 * @request: what to ask
 * @model: (nullable): the model as the catalog knows it: only what it
 *   takes is sent (byok_request_fit())
 * @stream: whether to ask for a stream (normally @request->stream)
 * @flags: what the catalog knows about the provider and model
 * @error: %BYOK_ERROR_INVALID when @request has no model or no message
 *
 * Returns: (transfer full): the JSON request body, UTF-8, or NULL.
 */
GBytes *
byok_dialect_build_body (const ByokDialect      *self,
                         const ByokChatRequest  *request,
                         ByokModel              *model,
                         gboolean                stream,
                         ByokDialectFlags        flags,
                         GError                **error)
{
  ByokRequestFit fit;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_return_val_if_fail (model == NULL || BYOK_IS_MODEL (model), NULL);

  if (request->model == NULL || *request->model == '\0')
    {
      g_set_error_literal (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                           _("No model was chosen. Pick a model and send again."));
      return NULL;
    }
  if (request->messages->len == 0)
    {
      g_set_error_literal (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                           _("There is no message to send. Write one and send again."));
      return NULL;
    }

  /* An image to a model that cannot see, a scanned PDF to one that
   * cannot read PDFs: refused here, before anything is sent. */
  if (!byok_media_check_request (request, model, error))
    return NULL;

  byok_request_fit (request, model, self->name, &fit);
  return self->build_body (request, &fit, stream, flags);
}

/**
 * byok_dialect_get_request_header:
 * @model: (nullable): the model as the catalog knows it
 * @name: (out): the header's name
 * @value: (out): its value
 *
 * A header the request needs beside the provider's, which replaces the
 * provider's of that name: Anthropic's API version 2023-06-01 for a
 * request with a temperature, which 2026-10-21 no longer takes.
 *
 * Returns: FALSE when the provider's headers are all it needs
 */
gboolean
byok_dialect_get_request_header (const ByokDialect      *self,
                                 const ByokChatRequest  *request,
                                 ByokModel              *model,
                                 const char            **name,
                                 const char            **value)
{
  ByokRequestFit fit;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (request != NULL, FALSE);
  g_return_val_if_fail (name != NULL && value != NULL, FALSE);

  if (self->request_header == NULL)
    return FALSE;
  byok_request_fit (request, model, self->name, &fit);
  return self->request_header (&fit, name, value);
}

/* ---- what is attached to a user message ------------------------------- */

/**
 * _byok_dialect_pdf_as_file:
 *
 * Returns: whether @pdf goes as the provider's document part: to a model
 *   that reads PDFs, or to a model the catalog does not know when the PDF
 *   has no text layer (the provider says whether it can read it). Any
 *   other model gets the text layer, composed like a text file.
 */
gboolean
_byok_dialect_pdf_as_file (const ByokRequestFit *fit,
                           const ByokAttachment *pdf)
{
  if (fit->reads_pdf)
    return TRUE;
  return !fit->model_known && (pdf->text == NULL || *pdf->text == '\0');
}

static gboolean
goes_as_part (const ByokRequestFit *fit,
              const ByokAttachment *attachment)
{
  switch (attachment->kind)
    {
    case BYOK_ATTACHMENT_IMAGE:
      return TRUE;
    case BYOK_ATTACHMENT_PDF:
      return _byok_dialect_pdf_as_file (fit, attachment);
    case BYOK_ATTACHMENT_TEXT:
    default:
      return FALSE;
    }
}

/**
 * _byok_dialect_message_has_media:
 *
 * Returns: whether @message is a user message with an image or a PDF that
 *   goes as a part of its own, so its content must be a list of parts;
 *   otherwise it stays one string (several OpenAI-compatible servers
 *   reject a list)
 */
gboolean
_byok_dialect_message_has_media (const ByokChatMessage *message,
                                 const ByokRequestFit  *fit)
{
  if (message->role != BYOK_CHAT_ROLE_USER || message->attachments == NULL)
    return FALSE;
  for (guint i = 0; i < message->attachments->len; i++)
    if (goes_as_part (fit, g_ptr_array_index (message->attachments, i)))
      return TRUE;
  return FALSE;
}

/**
 * _byok_dialect_message_text:
 *
 * Returns: (transfer full): @message's text as sent: its content, after
 *   the text layer of each PDF the model does not read as a file, in a
 *   <file name="…"> block like a text file's
 */
char *
_byok_dialect_message_text (const ByokChatMessage *message,
                            const ByokRequestFit  *fit)
{
  g_autoptr(GPtrArray) as_text = NULL;

  if (message->role != BYOK_CHAT_ROLE_USER || message->attachments == NULL)
    return g_strdup (message->content);
  as_text = g_ptr_array_new ();
  for (guint i = 0; i < message->attachments->len; i++)
    {
      ByokAttachment *attachment = g_ptr_array_index (message->attachments, i);

      /* Text files are in the content already. */
      if (attachment->kind == BYOK_ATTACHMENT_PDF && !goes_as_part (fit, attachment) &&
          attachment->text != NULL)
        g_ptr_array_add (as_text, attachment);
    }
  return byok_attachments_compose (as_text, message->content);
}

/**
 * _byok_dialect_add_text_part:
 *
 * Adds `{"type": "text", "text": @text}`, the text part of OpenAI's and
 * Anthropic's lists, unless @text is empty (Anthropic refuses an empty
 * text block).
 */
void
_byok_dialect_add_text_part (JsonBuilder *builder,
                             const char  *text)
{
  if (*text == '\0')
    return;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "text");
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
}

/**
 * _byok_dialect_add_base64:
 * @prefix: (nullable): what comes before the base64 ("data:image/png;base64,")
 *
 * Adds @prefix and @data in base64 as one string value, encoded straight
 * into its buffer (a photo is megabytes).
 */
void
_byok_dialect_add_base64 (JsonBuilder *builder,
                          const char  *prefix,
                          GBytes      *data)
{
  gsize len = 0;
  const guchar *bytes = data != NULL ? g_bytes_get_data (data, &len) : NULL;
  gsize prefix_len = prefix != NULL ? strlen (prefix) : 0;
  g_autofree char *out = g_malloc (prefix_len + (len / 3 + 1) * 4 + 4 + 1);
  gsize n = prefix_len;
  int state = 0;
  int save = 0;

  if (prefix_len > 0)
    memcpy (out, prefix, prefix_len);
  if (len > 0)
    n += g_base64_encode_step (bytes, len, FALSE, out + n, &state, &save);
  n += g_base64_encode_close (FALSE, out + n, &state, &save);
  out[n] = '\0';
  json_builder_add_string_value (builder, out);
}

const char *
_byok_dialect_ctx_provider_name (const ByokErrorContext *ctx)
{
  if (ctx != NULL && ctx->provider_name != NULL && *ctx->provider_name != '\0')
    return ctx->provider_name;
  if (ctx != NULL && ctx->provider_id != NULL && *ctx->provider_id != '\0')
    return ctx->provider_id;
  return _("The provider");
}

static gboolean
looks_like_html (const char *data,
                 gsize       len)
{
  gsize i = 0;

  while (i < len && g_ascii_isspace (data[i]))
    i++;
  return i < len && data[i] == '<';
}

/**
 * _byok_dialect_parse_json:
 * Parses a response body or event, with MALFORMED errors that name the
 * provider and say what was wrong: empty, not UTF-8, a web page, or JSON
 * that is invalid, cut short or nested too deep.
 */
JsonNode *
_byok_dialect_parse_json (const ByokErrorContext  *ctx,
                          const char              *data,
                          gsize                    len,
                          GError                 **error)
{
  const char *name = _byok_dialect_ctx_provider_name (ctx);
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (data == NULL || len == 0)
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                   _("%s sent an empty response. Try again."), name);
      return NULL;
    }
  if (!g_utf8_validate_len (data, len, NULL))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                   _("%s sent a response that is not valid UTF-8. Try again; if it "
                     "keeps happening, check the provider’s base URL and your proxy."),
                   name);
      return NULL;
    }
  if (looks_like_html (data, len))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                   _("%s answered with a web page instead of JSON. A proxy or a "
                     "captive portal (a hotel or airport login page) may be in the "
                     "way: check your network and the provider’s base URL."),
                   name);
      return NULL;
    }

  root = byok_json_parse (data, len, &local_error);
  if (root == NULL && !byok_json_nesting_ok (data, (gssize) len))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                   _("%s sent JSON nested more than %u levels deep, which is no "
                     "answer: Byok stopped reading it. What arrived before it is kept."),
                   name, BYOK_JSON_MAX_DEPTH);
      return NULL;
    }
  if (root == NULL)
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                   _("%s sent JSON that is invalid or cut short. Try again; if it "
                     "keeps happening, check your network and proxy."),
                   name);
      return NULL;
    }
  return root;
}

/**
 * _byok_dialect_parse_object:
 * Like _byok_dialect_parse_json(), and the root must be an object (Gemini's
 * array form is unwrapped to its first element).
 *
 * Returns: (transfer none): the root object, owned by *@root_out.
 */
JsonObject *
_byok_dialect_parse_object (const ByokErrorContext  *ctx,
                            const char              *data,
                            gsize                    len,
                            JsonNode               **root_out,
                            GError                 **error)
{
  g_autoptr(JsonNode) root = _byok_dialect_parse_json (ctx, data, len, error);
  JsonObject *object = NULL;

  if (root == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_OBJECT (root))
    object = json_node_get_object (root);
  else if (JSON_NODE_HOLDS_ARRAY (root))
    object = byok_json_array_get_object (json_node_get_array (root), 0);

  if (object == NULL)
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                   _("%s sent JSON of an unexpected shape. Check the provider’s "
                     "base URL."),
                   _byok_dialect_ctx_provider_name (ctx));
      return NULL;
    }

  *root_out = g_steal_pointer (&root);
  return object;
}

/**
 * _byok_dialect_set_usage:
 * Replaces the result's usage with a new report: the last report wins,
 * reports are never summed.
 */
void
_byok_dialect_set_usage (ByokChatResult  *result,
                         const ByokUsage *usage)
{
  result->usage = *usage;
  result->usage.reported = TRUE;
}

/**
 * _byok_dialect_add_tokens:
 * Adds two token counts from a provider: a negative count is none, and the
 * sum stops at G_MAXINT64 rather than overflow, whatever the provider sent.
 */
gint64
_byok_dialect_add_tokens (gint64 a,
                          gint64 b)
{
  a = MAX (a, 0);
  b = MAX (b, 0);
  if (a > G_MAXINT64 - b)
    return G_MAXINT64;
  return a + b;
}

/**
 * byok_dialect_parse_response:
 * @ctx: (nullable): who was asked, for messages
 * @body: (array length=body_len): a whole, non-streamed 2xx response body
 * @result: where the text, reasoning, finish reason, usage and response
 *   model go
 *
 * Returns: FALSE with %BYOK_ERROR_MALFORMED if the body is not JSON (HTML,
 *   invalid UTF-8, cut short), or with the classified error if the body is
 *   an error envelope sent with a 2xx status.
 */
gboolean
byok_dialect_parse_response (const ByokDialect       *self,
                             const ByokErrorContext  *ctx,
                             const char              *body,
                             gsize                    body_len,
                             ByokChatResult          *result,
                             GError                 **error)
{
  g_autoptr(JsonNode) root_node = NULL;
  JsonObject *root;
  GError *envelope_error;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  root = _byok_dialect_parse_object (ctx, body, body_len, &root_node, error);
  if (root == NULL)
    return FALSE;

  envelope_error = _byok_dialect_error_from_json (ctx, 0, root);
  if (envelope_error != NULL)
    {
      g_propagate_error (error, envelope_error);
      return FALSE;
    }

  if (!self->parse_response (ctx, root, result, error))
    return FALSE;

  if (result->finish_reason == BYOK_FINISH_NONE)
    result->finish_reason = BYOK_FINISH_STOP;
  _byok_dialect_add_tool_calls_finish (result);
  return TRUE;
}

static void
string_free (gpointer data)
{
  g_string_free (data, TRUE);
}

static void
dialect_block_free (ByokDialectBlock *block)
{
  g_free (block->type);
  if (block->signature != NULL)
    g_string_free (block->signature, TRUE);
  g_free (block->data);
  g_free (block);
}

/**
 * byok_dialect_stream_new:
 * @ctx: (nullable): who was asked, for messages; copied
 *
 * Returns: (transfer full): the state of one streamed response. Use a new
 *   one for each attempt.
 */
ByokDialectStream *
byok_dialect_stream_new (const ByokDialect      *self,
                         const ByokErrorContext *ctx)
{
  ByokDialectStream *stream;

  g_return_val_if_fail (self != NULL, NULL);

  stream = g_new0 (ByokDialectStream, 1);
  stream->dialect = self;
  if (ctx != NULL)
    {
      stream->provider_id = g_strdup (ctx->provider_id);
      stream->provider_name = g_strdup (ctx->provider_name);
      stream->model = g_strdup (ctx->model);
      stream->known_models = g_strdupv ((char **) ctx->known_models);
      stream->secret = byok_secret_dup (ctx->secret, -1);
    }
  stream->ctx.provider_id = stream->provider_id;
  stream->ctx.provider_name = stream->provider_name;
  stream->ctx.model = stream->model;
  stream->ctx.known_models = (const char * const *) stream->known_models;
  stream->ctx.secret = stream->secret;
  stream->max_answer_bytes = BYOK_DIALECT_MAX_ANSWER_BYTES;
  stream->tool_keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  stream->tool_args = g_ptr_array_new_with_free_func (string_free);
  stream->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) dialect_block_free);
  return stream;
}

void
byok_dialect_stream_free (ByokDialectStream *stream)
{
  if (stream == NULL)
    return;
  g_clear_pointer (&stream->tool_keys, g_array_unref);
  g_clear_pointer (&stream->tool_args, g_ptr_array_unref);
  g_clear_pointer (&stream->blocks, g_ptr_array_unref);
  g_free (stream->provider_id);
  g_free (stream->provider_name);
  g_free (stream->model);
  g_strfreev (stream->known_models);
  byok_secret_free (stream->secret);
  g_free (stream);
}

/**
 * byok_dialect_stream_parse_event:
 * @stream: the stream's state
 * @event_name: (nullable): the SSE event name (NULL for "message")
 * @data: the event's data
 * @result: where deltas go: text is appended to @result->text, reasoning to
 *   @result->reasoning (compare their lengths before and after to get the
 *   delta); the finish reason, usage (last report wins), response model
 *   and id are set as they arrive
 * @done: (out): set to TRUE when this event ends the stream (`[DONE]`,
 *   `message_stop`, Gemini's chunk with a finishReason); the caller stops
 *   reading, and ends the call at once, whether or not the server ends the
 *   body then
 * @error: a failure reported inside the stream (an `{"error": …}` event,
 *   Anthropic's `error` event), classified; or MALFORMED data
 *
 * Events after the end or after a failure are ignored, and so are events
 * whose data is empty or only white space. An answer whose text and
 * reasoning grow past %BYOK_DIALECT_MAX_ANSWER_BYTES fails as
 * %BYOK_ERROR_MALFORMED.
 *
 * Returns: FALSE with @error on a failure; text that arrived is kept.
 */
gboolean
byok_dialect_stream_parse_event (ByokDialectStream  *stream,
                                 const char         *event_name,
                                 const char         *data,
                                 ByokChatResult     *result,
                                 gboolean           *done,
                                 GError            **error)
{
  gboolean local_done = FALSE;

  g_return_val_if_fail (stream != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (stream->done || stream->failed)
    {
      if (done != NULL)
        *done = stream->done;
      return TRUE;
    }

  /* An event with empty data (a bare "data" line, or "data:") is no
   * message of the provider's: a keep-alive at most. The event-stream
   * rules dispatch it; every API's stream is JSON events, so it is
   * skipped here, where "no JSON" would otherwise end the answer. */
  if (byok_str_is_blank (data))
    {
      if (done != NULL)
        *done = FALSE;
      return TRUE;
    }

  if (!stream->dialect->parse_event (stream, event_name, data, result, &local_done, error))
    {
      stream->failed = TRUE;
      if (done != NULL)
        *done = FALSE;
      return FALSE;
    }

  /* One event is at most 16 MiB (byok-sse.c); the answer as a whole is
   * capped here, so that a server cannot stream without end into memory. */
  if (result->text->len + result->reasoning->len + stream->tool_bytes > stream->max_answer_bytes)
    {
      stream->failed = TRUE;
      if (done != NULL)
        *done = FALSE;
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                   _("The answer from %s exceeded %u MiB of text, far more than any "
                     "answer: Byok stopped reading it. What arrived is kept."),
                   _byok_dialect_ctx_provider_name (&stream->ctx),
                   (guint) (stream->max_answer_bytes / (1024 * 1024)));
      return FALSE;
    }

  if (local_done)
    {
      stream->done = TRUE;
      if (result->finish_reason == BYOK_FINISH_NONE)
        result->finish_reason = BYOK_FINISH_STOP;
    }
  /* Tool calls are complete at the finish reason (or the end). */
  if (local_done || stream->finished)
    _byok_dialect_flush_tools (stream, result);
  if (done != NULL)
    *done = local_done;
  return TRUE;
}

/**
 * byok_dialect_stream_is_complete:
 * Returns: whether the answer is whole, and the end of the stream, now,
 *   would be a normal end: the terminator came (`[DONE]`, `message_stop`),
 *   or — Gemini, which has no terminator — a chunk with a finish reason
 *   came. The chat call stops reading then (byok-chat-call.c).
 */
gboolean
byok_dialect_stream_is_complete (ByokDialectStream *stream)
{
  g_return_val_if_fail (stream != NULL, FALSE);

  if (stream->failed)
    return FALSE;
  return stream->done || (stream->dialect->ends_at_finish && stream->finished);
}

/**
 * byok_dialect_stream_finish:
 * @result: the result, whose finish reason becomes "stop" if the provider
 *   gave none on a normal end
 *
 * Call at the end of the stream (EOF).
 *
 * Returns: TRUE if the stream ended normally, or had already failed (that
 *   error was reported by byok_dialect_stream_parse_event()); FALSE with
 *   %BYOK_ERROR_MALFORMED if it was cut short. Text that arrived is kept.
 */
gboolean
byok_dialect_stream_finish (ByokDialectStream  *stream,
                            ByokChatResult     *result,
                            GError            **error)
{
  g_return_val_if_fail (stream != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (stream->failed)
    return TRUE;

  if (!byok_dialect_stream_is_complete (stream))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                   _("The answer from %s stopped before it was complete: the "
                     "connection ended early. What arrived is kept; try again."),
                   _byok_dialect_ctx_provider_name (&stream->ctx));
      return FALSE;
    }

  if (result->finish_reason == BYOK_FINISH_NONE)
    result->finish_reason = BYOK_FINISH_STOP;
  _byok_dialect_flush_tools (stream, result);
  return TRUE;
}

/**
 * byok_dialect_check_body_is_json:
 * @ctx: (nullable): who answered, for the message
 *
 * Checks that a 2xx body is what an API sends: valid UTF-8 holding valid,
 * complete JSON. A captive portal's HTML, a body cut short before its
 * Content-Length, or invalid UTF-8 is %BYOK_ERROR_MALFORMED.
 */
gboolean
byok_dialect_check_body_is_json (const ByokErrorContext  *ctx,
                                 const char              *body,
                                 gsize                    body_len,
                                 GError                 **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  root = _byok_dialect_parse_json (ctx, body, body_len, error);
  return root != NULL;
}

/* ---- tools --------------------------------------------------------------- */

/**
 * _byok_dialect_stream_tool_call:
 * @key: the provider's key for the call (OpenAI's index, Anthropic's block
 *   index)
 * @create: make it (appended to @result's tool_calls) when it is new
 *
 * Returns: (transfer none) (nullable): the call being streamed under @key
 */
ByokToolCall *
_byok_dialect_stream_tool_call (ByokDialectStream *stream,
                                ByokChatResult    *result,
                                gint64             key,
                                gboolean           create)
{
  ByokToolCall *call;

  for (guint i = 0; i < stream->tool_keys->len; i++)
    if (g_array_index (stream->tool_keys, gint64, i) == key && i < result->tool_calls->len)
      return g_ptr_array_index (result->tool_calls, i);
  if (!create || stream->tool_keys->len != result->tool_calls->len)
    return NULL;

  /* A new call: the ones before it are complete (OpenAI streams the calls
   * of an answer one after another, Anthropic one block at a time). */
  _byok_dialect_stream_tools_complete (stream, result, result->tool_calls->len);
  call = byok_tool_call_new (NULL, NULL, NULL);
  g_ptr_array_add (result->tool_calls, call);
  g_array_append_val (stream->tool_keys, key);
  g_ptr_array_add (stream->tool_args, g_string_new (NULL));
  return call;
}

/**
 * _byok_dialect_stream_tool_arguments:
 * Appends a fragment of the arguments of the call streamed under @key.
 */
void
_byok_dialect_stream_tool_arguments (ByokDialectStream *stream,
                                     gint64             key,
                                     const char        *fragment)
{
  if (fragment == NULL)
    return;
  for (guint i = 0; i < stream->tool_keys->len; i++)
    if (g_array_index (stream->tool_keys, gint64, i) == key)
      {
        g_string_append (g_ptr_array_index (stream->tool_args, i), fragment);
        stream->tool_bytes += strlen (fragment);
        return;
      }
}

/**
 * _byok_dialect_add_tool_calls_finish:
 * An answer that asks for tools finished for them, whatever the provider
 * said ("stop" from some OpenAI-compatible servers, Gemini's STOP).
 */
void
_byok_dialect_add_tool_calls_finish (ByokChatResult *result)
{
  if (result->tool_calls->len > 0 && result->finish_reason == BYOK_FINISH_STOP)
    result->finish_reason = BYOK_FINISH_TOOL_CALLS;
}

/**
 * _byok_dialect_stream_tools_complete:
 * @n: how many of the result's first calls have all their arguments
 *
 * Writes the streamed arguments into those calls ("{}" for none), so a
 * caller may announce them before the answer ends.
 */
void
_byok_dialect_stream_tools_complete (ByokDialectStream *stream,
                                     ByokChatResult    *result,
                                     guint              n)
{
  n = MIN (n, result->tool_calls->len);
  for (guint i = stream->tools_complete; i < n; i++)
    {
      ByokToolCall *call = g_ptr_array_index (result->tool_calls, i);
      GString *args = i < stream->tool_args->len ? g_ptr_array_index (stream->tool_args, i) : NULL;

      /* A call not streamed in pieces (Gemini) came whole. */
      if (args == NULL)
        continue;
      g_free (call->arguments);
      call->arguments = g_strdup (args->len > 0 ? args->str : "{}");
    }
  stream->tools_complete = MAX (stream->tools_complete, n);
}

/**
 * byok_dialect_stream_get_tools_complete:
 *
 * Returns: how many of @result's first tool calls are complete, their
 *   arguments all in: every call once the answer finished; before, those
 *   a later call or the end of their block closed (OpenAI, Anthropic) or
 *   that came whole (Gemini)
 */
guint
byok_dialect_stream_get_tools_complete (ByokDialectStream *stream,
                                        ByokChatResult    *result)
{
  g_return_val_if_fail (stream != NULL, 0);

  /* Calls that came whole are never keyed. */
  if (stream->tool_keys->len == 0)
    return result->tool_calls->len;
  return MIN (stream->tools_complete, result->tool_calls->len);
}

/**
 * _byok_dialect_flush_tools:
 * Writes the streamed arguments into the result's calls ("{}" for none)
 * and lets the dialect keep what it sends back; may run more than once.
 */
void
_byok_dialect_flush_tools (ByokDialectStream *stream,
                           ByokChatResult    *result)
{
  stream->tools_complete = 0;
  _byok_dialect_stream_tools_complete (stream, result, result->tool_calls->len);
  if (stream->dialect->flush != NULL)
    stream->dialect->flush (stream, result);
  _byok_dialect_add_tool_calls_finish (result);
}

/**
 * _byok_dialect_tool_parameters:
 * Returns: (transfer full): the tool's parameters schema as a JSON object;
 *   an object schema without properties when it has none or they are not
 *   a JSON object
 */
JsonNode *
_byok_dialect_tool_parameters (const ByokToolSpec *spec)
{
  JsonNode *node = spec->parameters != NULL ? byok_json_parse (spec->parameters, strlen (spec->parameters), NULL) : NULL;
  JsonObject *empty;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return node;
  g_clear_pointer (&node, json_node_unref);
  empty = json_object_new ();
  json_object_set_string_member (empty, "type", "object");
  json_object_set_object_member (empty, "properties", json_object_new ());
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, empty);
  return node;
}

/**
 * _byok_dialect_add_tool_declaration:
 * @schema_member: what the dialect calls the parameters' schema
 *   ("parameters", "input_schema", "parametersJsonSchema")
 *
 * Adds one tool as every dialect declares it: an object with its name,
 * its description when it has one, and its parameters' schema.
 */
void
_byok_dialect_add_tool_declaration (JsonBuilder        *builder,
                                    const ByokToolSpec *spec,
                                    const char         *schema_member)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, spec->name);
  if (spec->description != NULL)
    {
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, spec->description);
    }
  json_builder_set_member_name (builder, schema_member);
  json_builder_add_value (builder, _byok_dialect_tool_parameters (spec));
  json_builder_end_object (builder);
}

/**
 * _byok_dialect_tool_arguments:
 * Returns: (transfer full): the call's arguments as a JSON object; an
 *   empty one when the model's were not a JSON object
 */
JsonNode *
_byok_dialect_tool_arguments (const ByokToolCall *call)
{
  JsonNode *node = call->arguments != NULL ? byok_json_parse (call->arguments, strlen (call->arguments), NULL) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return node;
  g_clear_pointer (&node, json_node_unref);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, json_object_new ());
  return node;
}

/**
 * _byok_dialect_tool_result_as_text:
 * @message: a tool message, or an assistant message with tool calls
 *
 * What a model that is sent no tools (a fallback without the capability)
 * reads of a tool loop: the calls and results as plain text, in English
 * (the model reads it, not the person).
 *
 * Returns: (transfer full): the text
 */
char *
_byok_dialect_tool_result_as_text (const ByokChatMessage *message)
{
  GString *text = g_string_new (message->content);

  if (message->role == BYOK_CHAT_ROLE_TOOL)
    {
      g_string_prepend (text, message->is_error ? "”: error: " : "”: ");
      g_string_prepend (text, message->tool_name != NULL ? message->tool_name : "");
      g_string_prepend (text, "Result of the tool “");
      return g_string_free (text, FALSE);
    }
  for (guint i = 0; message->tool_calls != NULL && i < message->tool_calls->len; i++)
    {
      const ByokToolCall *call = g_ptr_array_index (message->tool_calls, i);

      if (text->len > 0)
        g_string_append (text, "\n\n");
      g_string_append_printf (text, "(Called the tool “%s” with %s)", call->name, call->arguments);
    }
  return g_string_free (text, FALSE);
}

/**
 * _byok_dialect_replay_for:
 * @dialect: the dialect reading it
 * @root_out: (out): holds the returned object
 *
 * Returns: (transfer none) (nullable): @message's replay when @dialect
 *   wrote it
 */
JsonObject *
_byok_dialect_replay_for (const ByokChatMessage  *message,
                          const char             *dialect,
                          JsonNode              **root_out)
{
  g_autoptr(JsonNode) root = NULL;

  if (message->replay == NULL)
    return NULL;
  root = byok_json_parse (message->replay, strlen (message->replay), NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      g_strcmp0 (byok_json_get_string (json_node_get_object (root), "dialect"), dialect) != 0)
    return NULL;
  *root_out = g_steal_pointer (&root);
  return json_node_get_object (*root_out);
}
