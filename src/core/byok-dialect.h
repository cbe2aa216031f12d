/* byok-dialect.h — the wire formats of LLM providers
 *
 * A dialect turns a ByokChatRequest into a request body and a response —
 * whole, or one Server-Sent Event at a time — into a ByokChatResult. It also
 * turns an HTTP error into a classified GError in the BYOK_ERROR domain.
 * No I/O happens here: the HTTP client moves the bytes.
 *
 * How the client uses it, streaming:
 *
 *   dialect = byok_dialect_get (provider->dialect);
 *   path = byok_dialect_get_chat_path (dialect, request->model, TRUE);
 *   body = byok_dialect_build_body (dialect, request, model, TRUE, flags, &error);
 *   if (byok_dialect_get_request_header (dialect, request, model, &name, &value))
 *     … set it beside the provider's headers (Anthropic's API version);
 *   … send; on a non-2xx status read the whole body, then
 *   error = byok_dialect_classify_error (dialect, &ctx, status, …);
 *   … on 2xx:
 *   stream = byok_dialect_stream_new (dialect, &ctx);
 *   for each chunk: byok_sse_feed (sse, chunk, len, on_event, …), where
 *     on_event calls byok_dialect_stream_parse_event (stream, name, data,
 *     result, &done, error) and emits result->text beyond its old length;
 *   at EOF: byok_sse_finish (sse); byok_dialect_stream_finish (stream, result, &error).
 */
#pragma once

#include <glib.h>

#include "byok-chat-request.h"
#include "byok-chat-result.h"

G_BEGIN_DECLS

/* The most text plus reasoning one answer may stream: far beyond any
 * model's output, far below what would exhaust memory. */
#define BYOK_DIALECT_MAX_ANSWER_BYTES ((gsize) 64 * 1024 * 1024)

typedef struct _ByokDialect       ByokDialect;
typedef struct _ByokDialectStream ByokDialectStream;

/**
 * ByokDialectFlags:
 * @BYOK_DIALECT_FLAGS_NONE: the dialect's defaults
 * @BYOK_DIALECT_FLAG_NO_STREAM_OPTIONS: OpenAI dialect: the provider rejects
 *   `stream_options`, so usage is not asked for in streams
 * @BYOK_DIALECT_FLAG_THINKING_TYPE: OpenAI dialect: the model has a
 *   `"thinking": {"type": "enabled"|"disabled"}` switch (Zhipu GLM-4.5+),
 *   set from the request's reasoning flag
 * @BYOK_DIALECT_FLAG_MAX_COMPLETION_TOKENS: OpenAI dialect: send
 *   `max_completion_tokens` instead of `max_tokens` (OpenAI reasoning models)
 * @BYOK_DIALECT_FLAG_IMAGE_DETAIL: OpenAI dialect: images go with
 *   `"detail": "high"` (OpenAI and Azure), so what the model reads — and
 *   what it costs — is what Byok estimated; other OpenAI-compatible servers
 *   get no `detail`, which several do not know
 *
 * What the catalog knows about a provider or model that changes the body.
 */
typedef enum {
  BYOK_DIALECT_FLAGS_NONE = 0,
  BYOK_DIALECT_FLAG_NO_STREAM_OPTIONS = 1 << 0,
  BYOK_DIALECT_FLAG_THINKING_TYPE = 1 << 1,
  BYOK_DIALECT_FLAG_MAX_COMPLETION_TOKENS = 1 << 2,
  BYOK_DIALECT_FLAG_IMAGE_DETAIL = 1 << 3,
} ByokDialectFlags;

/**
 * ByokErrorContext:
 * @provider_id: (nullable): "moonshot" — for `byok-cli keys test ID`
 * @provider_name: (nullable): "Moonshot" — how messages name the provider
 * @model: (nullable): the model asked for
 * @known_models: (nullable) (array zero-terminated=1): the provider's model
 *   ids, for "did you mean …?"
 * @secret: (nullable): the key sent with the request: every copy of it in
 *   what the provider says is masked (byok_key_format_redact()) before it
 *   reaches a message
 * @checking_key: the request checks the key (the Providers page, `byok-cli
 *   keys test`): a refused key is not sent back to where it is checked
 *
 * Who was asked, so error messages can say it. Nothing here is freed.
 */
typedef struct {
  const char         *provider_id;
  const char         *provider_name;
  const char         *model;
  const char * const *known_models;
  const char         *secret;
  gboolean            checking_key;
} ByokErrorContext;

/* Looking up */
const ByokDialect *byok_dialect_get              (const char              *name);
const char        *byok_dialect_get_name         (const ByokDialect       *self);

/* Requests */
char              *byok_dialect_get_chat_path    (const ByokDialect       *self,
                                                  const char              *model,
                                                  gboolean                 stream);
GBytes            *byok_dialect_build_body       (const ByokDialect       *self,
                                                  const ByokChatRequest   *request,
                                                  ByokModel               *model,
                                                  gboolean                 stream,
                                                  ByokDialectFlags         flags,
                                                  GError                 **error);

gboolean           byok_dialect_get_request_header (const ByokDialect     *self,
                                                  const ByokChatRequest   *request,
                                                  ByokModel               *model,
                                                  const char             **name,
                                                  const char             **value);

/* Whole responses */
gboolean           byok_dialect_parse_response   (const ByokDialect       *self,
                                                  const ByokErrorContext  *ctx,
                                                  const char              *body,
                                                  gsize                    body_len,
                                                  ByokChatResult          *result,
                                                  GError                 **error);
gboolean           byok_dialect_check_body_is_json (const ByokErrorContext *ctx,
                                                  const char              *body,
                                                  gsize                    body_len,
                                                  GError                 **error);

/* Streams */
ByokDialectStream *byok_dialect_stream_new       (const ByokDialect       *self,
                                                  const ByokErrorContext  *ctx);
void               byok_dialect_stream_free      (ByokDialectStream       *stream);
gboolean           byok_dialect_stream_parse_event (ByokDialectStream     *stream,
                                                  const char              *event_name,
                                                  const char              *data,
                                                  ByokChatResult          *result,
                                                  gboolean                *done,
                                                  GError                 **error);
gboolean           byok_dialect_stream_is_complete (ByokDialectStream     *stream);
guint              byok_dialect_stream_get_tools_complete (ByokDialectStream *stream,
                                                         ByokChatResult       *result);
gboolean           byok_dialect_stream_finish    (ByokDialectStream       *stream,
                                                  ByokChatResult          *result,
                                                  GError                 **error);

/* Errors (byok-dialect-errors.c) */
GError            *byok_dialect_classify_error   (const ByokDialect       *self,
                                                  const ByokErrorContext  *ctx,
                                                  guint                    http_status,
                                                  const char              *retry_after,
                                                  const char              *retry_after_ms,
                                                  const char              *date_header,
                                                  const char              *body,
                                                  gsize                    body_len,
                                                  gint64                  *retry_after_us_out);
gint64             byok_dialect_parse_retry_after (const char             *retry_after,
                                                  const char              *retry_after_ms,
                                                  const char              *date_header);
char              *byok_dialect_scrub_secrets    (const char              *text);
char              *byok_dialect_suggest_model    (const char              *model,
                                                  const char * const      *known_models);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokDialectStream, byok_dialect_stream_free)

G_END_DECLS
