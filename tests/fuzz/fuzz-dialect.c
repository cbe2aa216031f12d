/* fuzz-dialect.c — libFuzzer target for one dialect's parsers
 *
 * Built once per dialect with FUZZ_DIALECT set to its name. Each input is
 * read as everything a provider can send: a whole response body, an event
 * stream (through ByokSse, as the client reads it), an error body under
 * several HTTP statuses, and the text of a Retry-After header and of a
 * model id. Nothing may crash, leak or warn; what comes out must be valid
 * UTF-8, errors in the BYOK_ERROR domain with a message.
 *
 * The OpenAI dialect reads most stream chunks with a scanner of its own:
 * every event also goes through json-glib alone (no_fast_path), and both
 * must end with the same result.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "byok-chat-result.h"
#include "byok-dialect.h"
#include "byok-dialect-private.h"
#include "byok-error.h"
#include "byok-sse.h"

#ifndef FUZZ_DIALECT
#error "FUZZ_DIALECT must name the dialect"
#endif

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char * const known_models[] = {
  "gpt-4o-mini", "claude-sonnet-4-5-20250929", "gemini-2.5-flash", "kimi-k2-0905-preview", NULL
};

static const ByokErrorContext fuzz_ctx = {
  "fuzz", "Fuzz Provider", "kimi-k2", known_models
};

typedef struct {
  ByokDialectStream *stream;
  ByokChatResult    *result;
  ByokDialectStream *slow;         /* nullable: the same events, json-glib only */
  ByokChatResult    *slow_result;
} StreamRun;

static void
check_same (ByokChatResult *a,
            ByokChatResult *b)
{
  g_assert (g_str_equal (a->text->str, b->text->str));
  g_assert (g_str_equal (a->reasoning->str, b->reasoning->str));
  g_assert (a->finish_reason == b->finish_reason);
  g_assert (byok_usage_equal (&a->usage, &b->usage));
  g_assert (g_strcmp0 (a->response_model, b->response_model) == 0);
  g_assert (g_strcmp0 (a->response_id, b->response_id) == 0);
}

static void
check_error (const GError *error)
{
  g_assert (error != NULL);
  g_assert (error->domain == BYOK_ERROR);
  g_assert (error->code >= 0 && error->code < BYOK_ERROR_N_CODES);
  g_assert (error->message != NULL && g_utf8_validate (error->message, -1, NULL));
}

static void
check_result (ByokChatResult *result)
{
  g_assert (g_utf8_validate (result->text->str, result->text->len, NULL));
  g_assert (g_utf8_validate (result->reasoning->str, result->reasoning->len, NULL));
  g_assert (result->response_model == NULL || g_utf8_validate (result->response_model, -1, NULL));
  g_assert (result->response_id == NULL || g_utf8_validate (result->response_id, -1, NULL));
}

static gboolean
on_event (const char  *event_name,
          const char  *data,
          gpointer     user_data,
          GError     **error)
{
  StreamRun *run = user_data;
  gsize old_len = run->result->text->len;
  gboolean done = FALSE;
  gboolean ok = byok_dialect_stream_parse_event (run->stream, event_name, data, run->result, &done, error);

  if (run->slow != NULL)
    {
      g_autoptr(GError) slow_error = NULL;
      gboolean slow_done = FALSE;
      gboolean slow_ok = byok_dialect_stream_parse_event (run->slow, event_name, data, run->slow_result,
                                                          &slow_done, &slow_error);

      g_assert (ok == slow_ok && done == slow_done);
      g_assert (ok || (*error)->code == slow_error->code);
      check_same (run->result, run->slow_result);
    }
  if (!ok)
    {
      check_error (*error);
      return FALSE;
    }
  /* Text only grows: what was shown stays shown. */
  g_assert (run->result->text->len >= old_len);
  return !done;
}

static void
fuzz_whole (const ByokDialect *dialect,
            const uint8_t     *data,
            size_t             size)
{
  g_autoptr(ByokChatResult) result = byok_chat_result_new ("fuzz", "kimi-k2");
  g_autoptr(GError) error = NULL;

  if (!byok_dialect_parse_response (dialect, &fuzz_ctx, (const char *) data, size, result, &error))
    check_error (error);
  else
    g_assert (error == NULL && result->finish_reason != BYOK_FINISH_NONE);
  check_result (result);
  g_clear_error (&error);
  if (!byok_dialect_check_body_is_json (&fuzz_ctx, (const char *) data, size, &error))
    check_error (error);
}

static void
fuzz_stream (const ByokDialect *dialect,
             const uint8_t     *data,
             size_t             size)
{
  g_autoptr(ByokSse) sse = byok_sse_new ();
  g_autoptr(ByokChatResult) result = byok_chat_result_new ("fuzz", "kimi-k2");
  g_autoptr(ByokDialectStream) stream = byok_dialect_stream_new (dialect, &fuzz_ctx);
  g_autoptr(ByokDialectStream) slow = NULL;
  g_autoptr(ByokChatResult) slow_result = NULL;
  g_autoptr(GError) error = NULL;
  StreamRun run = { stream, result, NULL, NULL };
  size_t at = 0;
  guint32 state = (guint32) size;

  if (g_str_equal (FUZZ_DIALECT, "openai"))
    {
      slow = byok_dialect_stream_new (dialect, &fuzz_ctx);
      slow->no_fast_path = TRUE;
      slow_result = byok_chat_result_new ("fuzz", "kimi-k2");
      run.slow = slow;
      run.slow_result = slow_result;
    }

  /* Pieces of 1 to 32 bytes, as reads from a socket would cut them. */
  while (at < size && error == NULL && !byok_sse_is_stopped (sse))
    {
      size_t n;

      state = state * 1103515245u + 12345u;
      n = MIN (1 + (state >> 16) % 32, size - at);
      byok_sse_feed (sse, (const char *) data + at, n, on_event, &run, &error);
      at += n;
    }
  byok_sse_finish (sse);
  if (error == NULL && !byok_dialect_stream_finish (stream, result, &error))
    check_error (error);
  if (error != NULL)
    check_error (error);
  check_result (result);
  (void) byok_dialect_stream_is_complete (stream);
}

static void
fuzz_error_body (const ByokDialect *dialect,
                 const uint8_t     *data,
                 size_t             size)
{
  static const guint statuses[] = { 200, 400, 401, 402, 403, 404, 408, 413, 422, 429, 500, 502, 503, 529, 302 };
  guint status = statuses[size % G_N_ELEMENTS (statuses)];
  gint64 retry_after_us = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) bare = NULL;

  error = byok_dialect_classify_error (dialect, &fuzz_ctx, status, "7", NULL,
                                       "Wed, 21 Oct 2015 07:28:00 GMT",
                                       (const char *) data, size, &retry_after_us);
  check_error (error);
  g_assert (retry_after_us >= -1);

  /* No context, no headers: messages still hold. */
  bare = byok_dialect_classify_error (dialect, NULL, 429, NULL, NULL, NULL,
                                      (const char *) data, size, NULL);
  check_error (bare);
}

static void
fuzz_strings (const uint8_t *data,
              size_t         size)
{
  g_autofree char *text = NULL;
  g_autofree char *suggestion = NULL;
  g_autofree char *scrubbed = NULL;
  gint64 us;

  if (size > 512 || memchr (data, '\0', size) != NULL || !g_utf8_validate ((const char *) data, size, NULL))
    return;
  text = g_strndup ((const char *) data, size);

  us = byok_dialect_parse_retry_after (text, NULL, NULL);
  g_assert (us >= -1);
  us = byok_dialect_parse_retry_after (NULL, text, NULL);
  g_assert (us >= -1);
  us = byok_dialect_parse_retry_after ("Wed, 21 Oct 2015 07:28:30 GMT", NULL, text);
  g_assert (us >= -1);

  suggestion = byok_dialect_suggest_model (text, known_models);
  g_assert (suggestion == NULL || g_strv_contains (known_models, suggestion));

  scrubbed = byok_dialect_scrub_secrets (text);
  g_assert (scrubbed != NULL && g_utf8_validate (scrubbed, -1, NULL));
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const ByokDialect *dialect = byok_dialect_get (FUZZ_DIALECT);

  g_assert (dialect != NULL);
  fuzz_whole (dialect, data, size);
  fuzz_stream (dialect, data, size);
  fuzz_error_body (dialect, data, size);
  fuzz_strings (data, size);
  return 0;
}
