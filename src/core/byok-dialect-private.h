/* byok-dialect-private.h — what the dialect files share; not for callers */
#pragma once

#include <json-glib/json-glib.h>

#include "byok-attachment.h"
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
  /* nullable: the answer's tool calls are complete (the end of the
   * stream, or its finish reason): what the dialect keeps for replay */
  void      (*flush)          (ByokDialectStream       *stream,
                               ByokChatResult          *result);
  /* TRUE: EOF after a finish reason is a normal end (Gemini). */
  gboolean    ends_at_finish;
};

/* Anthropic: one content block of a streamed answer, kept in order for
 * the replay of an answer that thought and called tools. */
typedef struct {
  char    *type;       /* "thinking", "redacted_thinking", "text", "tool_use" */
  gsize    start;      /* thinking, text: where it is in the result's reasoning or text */
  gsize    end;
  GString *signature;  /* thinking */
  char    *data;       /* redacted_thinking */
  guint    tool;       /* tool_use: its place in the result's tool_calls */
  gint64   index;      /* the provider's index of the block */
} ByokDialectBlock;

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

  /* Tool calls being streamed: for each of the result's tool_calls, the
   * provider's key for it (OpenAI's index, Anthropic's block index) and
   * its arguments so far, written into the call when it is complete. */
  GArray            *tool_keys;      /* gint64 */
  GPtrArray         *tool_args;      /* GString* */
  guint              tools_complete; /* the first calls whose arguments are all in */
  gsize              tool_bytes;     /* counted against max_answer_bytes */

  /* Anthropic: the answer's blocks (ByokDialectBlock*) */
  GPtrArray         *blocks;
};

ByokToolCall *_byok_dialect_stream_tool_call  (ByokDialectStream      *stream,
                                               ByokChatResult         *result,
                                               gint64                  key,
                                               gboolean                create);
void        _byok_dialect_stream_tool_arguments (ByokDialectStream     *stream,
                                               gint64                  key,
                                               const char             *fragment);
void        _byok_dialect_flush_tools      (ByokDialectStream      *stream,
                                            ByokChatResult         *result);
void        _byok_dialect_stream_tools_complete (ByokDialectStream *stream,
                                                 ByokChatResult    *result,
                                                 guint              n);
void        _byok_dialect_add_tool_calls_finish (ByokChatResult     *result);
JsonNode   *_byok_dialect_tool_parameters  (const ByokToolSpec     *spec);
void        _byok_dialect_add_tool_declaration (JsonBuilder         *builder,
                                                const ByokToolSpec  *spec,
                                                const char          *schema_member);
JsonNode   *_byok_dialect_tool_arguments   (const ByokToolCall     *call);
char       *_byok_dialect_tool_result_as_text (const ByokChatMessage *message);
JsonObject *_byok_dialect_replay_for       (const ByokChatMessage  *message,
                                            const char             *dialect,
                                            JsonNode              **root_out);

const char *_byok_dialect_ctx_provider_name (const ByokErrorContext *ctx);

JsonNode   *_byok_dialect_parse_json       (const ByokErrorContext *ctx,
                                            const char             *data,
                                            gsize                   len,
                                            GError                **error);
JsonObject *_byok_dialect_parse_object     (const ByokErrorContext *ctx,
                                            const char             *data,
                                            gsize                   len,
                                            JsonNode              **root_out,
                                            GError                **error);
GError     *_byok_dialect_error_from_json  (const ByokErrorContext *ctx,
                                            guint                   http_status,
                                            JsonObject             *root);
GError     *_byok_dialect_make_error       (const ByokErrorContext *ctx,
                                            ByokErrorCode           code,
                                            const char             *provider_message);
void        _byok_dialect_set_usage        (ByokChatResult         *result,
                                            const ByokUsage        *usage);
gint64      _byok_dialect_add_tokens       (gint64                  a,
                                            gint64                  b);

/* What is attached to a user message (byok-dialect.c) */
gboolean    _byok_dialect_pdf_as_file      (const ByokRequestFit   *fit,
                                            const ByokAttachment   *pdf);
gboolean    _byok_dialect_message_has_media (const ByokChatMessage  *message,
                                             const ByokRequestFit   *fit);
char       *_byok_dialect_message_text     (const ByokChatMessage  *message,
                                            const ByokRequestFit   *fit);
void        _byok_dialect_add_text_part    (JsonBuilder            *builder,
                                            const char             *text);
void        _byok_dialect_add_base64       (JsonBuilder            *builder,
                                            const char             *prefix,
                                            GBytes                 *data);

G_END_DECLS
