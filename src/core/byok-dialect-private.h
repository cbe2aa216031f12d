/* byok-dialect-private.h — what the dialect files share; not for callers */
#pragma once

#include <json-glib/json-glib.h>

#include "byok-dialect.h"
#include "byok-error.h"

G_BEGIN_DECLS

struct _ByokDialect
{
  const char *name;

  char     *(*get_chat_path)  (const char              *model,
                               gboolean                 stream);
  GBytes   *(*build_body)     (const ByokChatRequest   *request,
                               const ByokRequestFit    *fit,
                               gboolean                 stream,
                               ByokDialectFlags         flags);
  /* nullable: a header the request needs beside the provider's */
  gboolean  (*request_header) (const ByokRequestFit    *fit,
                               const char             **name,
                               const char             **value);
  /* @root is a parsed JSON object that carries no error envelope. */
  gboolean  (*parse_response) (const ByokErrorContext  *ctx,
                               JsonObject              *root,
                               ByokChatResult          *result,
                               GError                 **error);
  gboolean  (*parse_event)    (ByokDialectStream       *stream,
                               const char              *event_name,
                               const char              *data,
                               ByokChatResult          *result,
                               gboolean                *done,
                               GError                 **error);
  /* TRUE: EOF after a finish reason is a normal end (Gemini). */
  gboolean    ends_at_finish;
};

struct _ByokDialectStream
{
  const ByokDialect *dialect;
  ByokErrorContext   ctx;            /* points at the copies below */
  char              *provider_id;
  char              *provider_name;
  char              *model;
  char             **known_models;
  char              *secret;         /* byok_secret_dup() */

  gboolean           done;           /* the terminator came */
  gboolean           finished;       /* a finish reason came */
  gboolean           failed;         /* an error came */

  /* OpenAI dialect: read every event with json-glib, never the scanner of
   * byok-dialect-openai.c (tests and fuzzing compare the two). */
  gboolean           no_fast_path;

  /* The cap on text plus reasoning: BYOK_DIALECT_MAX_ANSWER_BYTES, which
   * tests may lower. */
  gsize              max_answer_bytes;

  /* Anthropic: usage arrives in parts, in message_start and message_delta. */
  gint64             input_tokens;
  gint64             cache_read_tokens;
  gint64             cache_write_tokens;
  gint64             output_tokens;
  gint64             reasoning_tokens;
};

const char *byok_dialect_ctx_provider_name (const ByokErrorContext *ctx);

JsonNode   *byok_dialect_parse_json        (const ByokErrorContext *ctx,
                                            const char             *data,
                                            gsize                   len,
                                            GError                **error);
JsonObject *byok_dialect_parse_object      (const ByokErrorContext *ctx,
                                            const char             *data,
                                            gsize                   len,
                                            JsonNode              **root_out,
                                            GError                **error);
GError     *byok_dialect_error_from_json   (const ByokErrorContext *ctx,
                                            guint                   http_status,
                                            JsonObject             *root);
GError     *byok_dialect_make_error        (const ByokErrorContext *ctx,
                                            ByokErrorCode           code,
                                            const char             *provider_message);
void        byok_dialect_set_usage         (ByokChatResult         *result,
                                            const ByokUsage        *usage);
gint64      byok_dialect_add_tokens        (gint64                  a,
                                            gint64                  b);

G_END_DECLS
