/* bench-conversation.h — the long conversation bench-long-conversation and
 * bench-startup open, and the long answer they stream into it */
#pragma once

#include "byok-engine.h"
#include "byok-test-server.h"

G_BEGIN_DECLS

#define BENCH_CONVERSATION_PROVIDER  "openai"
#define BENCH_CONVERSATION_MODEL     "gpt-4o-mini"
#define BENCH_CONVERSATION_CHAT_PATH "/v1/chat/completions"
#define BENCH_CONVERSATION_CHARS_PER_TOKEN  4
#define BENCH_CONVERSATION_TOKENS_PER_EVENT 4
#define BENCH_CONVERSATION_EVENTS_PER_WRITE 10
#define BENCH_CONVERSATION_WRITE_DELAY_MS   2

typedef struct {
  gint64 long_id;    /* the conversation of N messages */
  gint64 short_id;   /* a short one, 0 when none was made */
  gsize  bytes;      /* of text in the long one */
  guint  n_code;     /* answers with a code block */
  double seconds;    /* filling took */
} BenchConversationFill;

gboolean       bench_conversation_fill_engine (ByokEngine            *engine,
                                               guint                  n_messages,
                                               gboolean               with_short,
                                               BenchConversationFill *out,
                                               GError               **error);
gboolean       bench_conversation_fill        (const char            *db_path,
                                               guint                  n_messages,
                                               gboolean               with_short,
                                               BenchConversationFill *out,
                                               GError               **error);
char          *bench_conversation_long_answer (guint                  tokens);
ByokTestReply *bench_conversation_stream_reply_of (const char        *text,
                                                   guint              tokens,
                                                   guint             *n_events,
                                                   guint             *n_writes);
ByokTestReply *bench_conversation_stream_reply (guint                  tokens);

/* Milliseconds from @from to @to (monotonic microseconds). */
static inline double
bench_ms_between (gint64 from,
                  gint64 to)
{
  return (to - from) / 1000.0;
}

/* qsort()'s comparison of doubles, ascending. */
static inline int
bench_compare_double (const void *a,
                      const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

G_END_DECLS
