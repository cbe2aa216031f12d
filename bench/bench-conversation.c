/* bench-conversation.c — the data of the long-conversation benchmarks: a
 * conversation of N questions and Markdown answers (paragraphs, lists, a
 * code block in one answer of four), always the same (a fixed seed), and a
 * long answer streamed as OpenAI chat.completion.chunk events */
#include "config.h"

#include <string.h>

#include "bench-conversation.h"
#include "byok-conversation-store.h"

#define PROVIDER          BENCH_CONVERSATION_PROVIDER
#define MODEL             BENCH_CONVERSATION_MODEL
#define CHARS_PER_TOKEN   BENCH_CONVERSATION_CHARS_PER_TOKEN
#define TOKENS_PER_EVENT  BENCH_CONVERSATION_TOKENS_PER_EVENT
#define EVENTS_PER_WRITE  BENCH_CONVERSATION_EVENTS_PER_WRITE
#define WRITE_DELAY_MS    BENCH_CONVERSATION_WRITE_DELAY_MS

static const char * const sentences[] = {
  "The short answer is that it depends on how often the data changes.",
  "A cache in front of the database takes most of the reads away.",
  "Measure first: the slow part is rarely where it seems to be.",
  "Each request carries the whole history, so long conversations cost more.",
  "The parser reads the stream incrementally and never holds a whole response.",
  "Keep the transaction short, and do the slow work before it starts.",
  "This is the same trade-off as in any queue: latency against throughput.",
  "If the file is large, map it instead of reading it into memory.",
  "An index on the foreign key turns that scan into a lookup.",
  "The error comes from the proxy, not from the provider itself.",
  "Retries need a backoff, or they make an outage worse.",
  "Tests should assert behaviour, never timings, or they will be flaky.",
  "Unicode normalisation matters when you compare user input with stored names.",
  "The frame clock paints at most once per refresh of the screen.",
  "A list view only creates widgets for the rows that are visible.",
  "Markdown is parsed again only from the start of the last block.",
};

static const char * const words[] = {
  "**latency**", "`g_main_context_iteration()`", "*throughput*", "the [docs](https://example.org/docs)",
  "`SELECT`", "**WAL mode**", "a `GtkListView`", "*backpressure*", "`fsync()`", "the `--verbose` flag",
};

static const char * const questions[] = {
  "How do I make this faster?",
  "Why does the second call take longer than the first?",
  "Can you show me an example in Python?",
  "What is the difference between these two approaches?",
  "Is there a way to do this without a lock?",
  "Could you explain that last part again, more slowly?",
  "What would you change in this function?",
  "Does this scale to a million rows?",
};

static const char * const code_blocks[] = {
  "```python\nimport sqlite3\n\ndef load(path, conversation_id):\n    db = sqlite3.connect(path)\n"
  "    rows = db.execute(\n        \"SELECT role, content FROM messages WHERE conversation_id = ? ORDER BY position\",\n"
  "        (conversation_id,),\n    )\n    return [dict(role=r, content=c) for r, c in rows]\n```\n",
  "```c\nstatic gboolean\non_tick (GtkWidget     *widget,\n         GdkFrameClock *clock,\n         gpointer       data)\n{\n"
  "  Stream *stream = data;\n\n  flush_pending (stream);\n  return G_SOURCE_CONTINUE;\n}\n```\n",
  "```sh\nmeson setup build -Dbuildtype=release\nmeson compile -C build\nmeson test -C build --print-errorlogs\n```\n",
  "```javascript\nconst response = await fetch(url, { method: \"POST\", body: JSON.stringify(request) });\n"
  "for await (const chunk of response.body) {\n  parser.feed(decoder.decode(chunk));\n}\n```\n",
  "```rust\nfn median(values: &mut [f64]) -> f64 {\n    values.sort_by(|a, b| a.partial_cmp(b).unwrap());\n"
  "    values[values.len() / 2]\n}\n```\n",
};

static void
append_paragraph (GString *out,
                  GRand   *rand)
{
  guint n = g_rand_int_range (rand, 2, 6);

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, sentences[g_rand_int_range (rand, 0, G_N_ELEMENTS (sentences))]);
      if (g_rand_int_range (rand, 0, 3) == 0)
        g_string_append_printf (out, " Look at %s here.", words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
    }
  g_string_append (out, "\n\n");
}

static void
append_list (GString *out,
             GRand   *rand)
{
  gboolean numbered = g_rand_boolean (rand);
  guint n = g_rand_int_range (rand, 3, 7);

  for (guint i = 0; i < n; i++)
    {
      if (numbered)
        g_string_append_printf (out, "%u. ", i + 1);
      else
        g_string_append (out, "- ");
      g_string_append_printf (out, "%s %s\n", words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                              sentences[g_rand_int_range (rand, 0, G_N_ELEMENTS (sentences))]);
    }
  g_string_append_c (out, '\n');
}

static void
append_code (GString *out,
             GRand   *rand)
{
  g_string_append (out, code_blocks[g_rand_int_range (rand, 0, G_N_ELEMENTS (code_blocks))]);
  g_string_append_c (out, '\n');
}

/* An answer of a conversation: two to six blocks, a code block in one of
 * four answers. */
static char *
make_answer (GRand *rand)
{
  GString *out = g_string_new (NULL);
  guint n = g_rand_int_range (rand, 2, 7);
  gboolean code = g_rand_int_range (rand, 0, 4) == 0;

  for (guint i = 0; i < n; i++)
    {
      if (code && i == n / 2)
        append_code (out, rand);
      else if (g_rand_int_range (rand, 0, 3) == 0)
        append_list (out, rand);
      else
        append_paragraph (out, rand);
    }
  g_string_truncate (out, out->len - 1);   /* one final newline */
  return g_string_free (out, FALSE);
}

static char *
make_question (GRand *rand)
{
  GString *out = g_string_new (questions[g_rand_int_range (rand, 0, G_N_ELEMENTS (questions))]);

  if (g_rand_boolean (rand))
    g_string_append_printf (out, " %s", sentences[g_rand_int_range (rand, 0, G_N_ELEMENTS (sentences))]);
  return g_string_free (out, FALSE);
}

/* The long answer: about @chars characters of sections with headings,
 * paragraphs and lists, and a code block every 60 blocks. */
static char *
make_long_answer (gsize  chars,
                  GRand *rand)
{
  GString *out = g_string_new (NULL);
  guint block = 0;

  while (out->len < chars)
    {
      if (block % 20 == 0)
        g_string_append_printf (out, "## Part %u\n\n", block / 20 + 1);
      if (block % 60 == 30)
        append_code (out, rand);
      else if (block % 4 == 3)
        append_list (out, rand);
      else
        append_paragraph (out, rand);
      block++;
    }
  g_string_truncate (out, chars);
  return g_string_free (out, FALSE);
}

/* JSON string contents for ASCII text. */
static void
append_json_escaped (GString    *out,
                     const char *text,
                     gsize       length)
{
  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default: g_string_append_c (out, c); break;
        }
    }
}

/* An OpenAI stream of @text in events of four tokens' characters, ten
 * events per write 2 ms apart, then the finish, the usage and [DONE]. */
ByokTestReply *
bench_conversation_stream_reply_of (const char *text,
                                    guint       tokens,
                                    guint      *n_events,
                                    guint      *n_writes)
{
  gsize event_chars = (gsize) TOKENS_PER_EVENT * CHARS_PER_TOKEN;
  ByokTestReply *reply = byok_test_reply_new (200);
  gsize length = strlen (text);
  GString *write = g_string_new (NULL);
  guint in_write = 0;

  *n_events = 0;
  *n_writes = 0;
  byok_test_reply_add_header (reply, "Content-Type", "text/event-stream");
  g_string_append (write,
                   "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"model\":\"" MODEL "\","
                   "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
  for (gsize at = 0; at < length; at += event_chars)
    {
      g_string_append (write,
                       "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"model\":\"" MODEL "\","
                       "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"");
      append_json_escaped (write, text + at, MIN (event_chars, length - at));
      g_string_append (write, "\"},\"finish_reason\":null}]}\n\n");
      (*n_events)++;
      if (++in_write == EVENTS_PER_WRITE)
        {
          byok_test_reply_add_chunk (reply, write->str);
          (*n_writes)++;
          g_string_truncate (write, 0);
          in_write = 0;
        }
    }
  g_string_append (write,
                   "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"model\":\"" MODEL "\","
                   "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
  g_string_append_printf (write,
                          "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
                          "\"usage\":{\"prompt_tokens\":2400000,\"completion_tokens\":%u,\"total_tokens\":%u}}\n\n"
                          "data: [DONE]\n\n",
                          tokens, 2400000 + tokens);
  byok_test_reply_add_chunk (reply, write->str);
  (*n_writes)++;
  g_string_free (write, TRUE);
  byok_test_reply_set_delay_ms (reply, 0, WRITE_DELAY_MS);
  return reply;
}

/* The long conversation first, then (@with_short) a short one: the newest,
 * which the page opens when it starts. */
gboolean
bench_conversation_fill_engine (ByokEngine            *engine,
                                guint                  n_messages,
                                gboolean               with_short,
                                BenchConversationFill *out,
                                GError               **error)
{
  g_autoptr(ByokConversationStore) store = NULL;
  g_autoptr(ByokConversation) conversation = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (1234);
  gint64 start = g_get_monotonic_time ();

  memset (out, 0, sizeof *out);
  store = byok_conversation_store_new (byok_engine_get_database (engine), error);
  if (store == NULL)
    return FALSE;
  conversation = byok_conversation_store_create (store, "A very long conversation", PROVIDER, MODEL, error);
  if (conversation == NULL)
    return FALSE;

  for (guint i = 0; i < n_messages; i++)
    {
      g_autoptr(ByokMessage) message = NULL;
      g_autofree char *text = NULL;

      if (i % 2 == 0)
        {
          text = make_question (rand);
          message = byok_message_new (BYOK_MESSAGE_ROLE_USER, text);
        }
      else
        {
          ByokUsage usage = { 0 };

          text = make_answer (rand);
          if (strstr (text, "```") != NULL)
            out->n_code++;
          message = byok_message_new (BYOK_MESSAGE_ROLE_ASSISTANT, text);
          byok_message_set_provider (message, PROVIDER);
          byok_message_set_model (message, MODEL);
          usage.input_tokens = 200 + i * 120;
          usage.output_tokens = strlen (text) / CHARS_PER_TOKEN;
          usage.reported = TRUE;
          byok_message_set_usage (message, &usage);
          byok_message_set_cost (message, TRUE, usage.input_tokens * 0.15e-6 + usage.output_tokens * 0.6e-6);
          byok_message_set_ttft_us (message, 400000 + g_rand_int_range (rand, 0, 400000));
          byok_message_set_latency_us (message, 2000000 + g_rand_int_range (rand, 0, 8000000));
        }
      out->bytes += strlen (text);
      if (!byok_conversation_store_append_message (store, conversation, message, error))
        return FALSE;
    }
  out->long_id = byok_conversation_get_id (conversation);

  if (with_short)
    {
      g_autoptr(ByokConversation) other = byok_conversation_store_create (store, "A short conversation",
                                                                          PROVIDER, MODEL, error);

      if (other == NULL)
        return FALSE;
      for (guint i = 0; i < 4; i++)
        {
          g_autofree char *text = i % 2 == 0 ? make_question (rand) : make_answer (rand);
          g_autoptr(ByokMessage) message = byok_message_new (i % 2 == 0 ? BYOK_MESSAGE_ROLE_USER
                                                                        : BYOK_MESSAGE_ROLE_ASSISTANT, text);

          if (!byok_conversation_store_append_message (store, other, message, error))
            return FALSE;
        }
      out->short_id = byok_conversation_get_id (other);
    }

  byok_database_exec (byok_engine_get_database (engine), "PRAGMA wal_checkpoint(TRUNCATE);", NULL);
  out->seconds = (g_get_monotonic_time () - start) / 1e6;
  return TRUE;
}

/* The same in the database at @db_path, through an engine of its own that
 * is gone when it returns. */
gboolean
bench_conversation_fill (const char            *db_path,
                         guint                  n_messages,
                         gboolean               with_short,
                         BenchConversationFill *out,
                         GError               **error)
{
  g_autoptr(ByokEngine) engine = byok_engine_new (db_path, error);

  if (engine == NULL)
    return FALSE;
  return bench_conversation_fill_engine (engine, n_messages, with_short, out, error);
}

/* About @tokens tokens of Markdown: sections with headings, paragraphs,
 * lists and a code block every 60 blocks. */
char *
bench_conversation_long_answer (guint tokens)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);

  return make_long_answer ((gsize) tokens * CHARS_PER_TOKEN, rand);
}

ByokTestReply *
bench_conversation_stream_reply (guint tokens)
{
  g_autofree char *text = bench_conversation_long_answer (tokens);
  guint n_events, n_writes;

  return bench_conversation_stream_reply_of (text, tokens, &n_events, &n_writes);
}
