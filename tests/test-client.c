/* test-client.c — ByokClient against the provider test server: streaming in
 * every dialect, split byte by byte; retries, fallbacks, cancel, timeouts,
 * network failures, missing keys, bad bodies; model listings with pages;
 * key checks. No key ever shows in a message. */
#include "config.h"

#include <string.h>

#include "byok-client.h"
#include "byok-dialect.h"
#include "byok-error.h"
#include "byok-test-replies.h"
#include "byok-test-engine.h"
#include "byok-test-server.h"
#include "byok-test-util.h"

#define OPENAI_KEY    "sk-test-fake-openai-000000000001"
#define ANTHROPIC_KEY "sk-ant-test-fake-000000000002"
#define GEMINI_KEY    "AIzaTestFakeGeminiKey000000000000003"
#define MOONSHOT_KEY  "sk-test-fake-moonshot-00000000004"
#define ZHIPU_KEY     "testfakeid0005.testfakesecret0005"
#define DEEPSEEK_KEY  "sk-test-fake-deepseek-00000000006"
#define GROQ_KEY      "gsk_testfake000000000000000007"
#define OPENROUTER_KEY "sk-or-v1-test-fake-00000000008"

static const char * const all_keys[] = {
  OPENAI_KEY, ANTHROPIC_KEY, GEMINI_KEY, MOONSHOT_KEY, ZHIPU_KEY, DEEPSEEK_KEY, GROQ_KEY, OPENROUTER_KEY, NULL
};

typedef struct {
  ByokTestServer *server;
  ByokCatalog    *catalog;
  ByokKeyStore   *keys;
  ByokClient     *client;
  GString        *text;       /* every "delta" joined */
  GString        *reasoning;  /* every "reasoning-delta" joined */
  guint           n_deltas;
  guint           n_reasoning_deltas;
  gboolean        reasoning_after_text;
  GCancellable   *cancel_on_delta;
  GPtrArray      *events;     /* "provider event result" of key events */
  GPtrArray      *kept_calls; /* with keep_calls: every call run, held to the end */
  gboolean        keep_calls;
} Fixture;

/* Every log line of the run, debug ones included: no key may be in it. */
static GString *log_text;

static ByokTestReply *
json_fixture_reply (guint       status,
                    const char *dialect,
                    const char *name)
{
  g_autofree char *body = byok_test_read_fixture (dialect, name);

  return byok_test_reply_new_json (status, body);
}

static void
on_delta (ByokChatCall *call,
          const char   *text,
          Fixture      *f)
{
  g_assert_nonnull (byok_chat_call_get_request (call));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_string_append (f->text, text);
  f->n_deltas++;
  if (f->cancel_on_delta != NULL)
    g_cancellable_cancel (f->cancel_on_delta);
}

static void
on_reasoning_delta (ByokChatCall *call,
                    const char   *text,
                    Fixture      *f)
{
  g_string_append (f->reasoning, text);
  f->n_reasoning_deltas++;
  if (f->n_deltas > 0)
    f->reasoning_after_text = TRUE;
}

static void
on_key_event (const char   *provider_id,
              const char   *account,
              ByokKeyEvent  event,
              const char   *result,
              const char   *detail,
              gpointer      user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->events, g_strdup_printf ("%s %s %s", provider_id,
                                               byok_key_event_to_string (event), result));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char *env[] = {
    "OPENAI_API_KEY=" OPENAI_KEY,
    "ANTHROPIC_API_KEY=" ANTHROPIC_KEY,
    "GEMINI_API_KEY=" GEMINI_KEY,
    "MOONSHOT_API_KEY=" MOONSHOT_KEY,
    "ZHIPUAI_API_KEY=" ZHIPU_KEY,
    "DEEPSEEK_API_KEY=" DEEPSEEK_KEY,
    "GROQ_API_KEY=" GROQ_KEY,
    "OPENROUTER_API_KEY=" OPENROUTER_KEY,
    NULL
  };
  const char *providers[] = { "openai", "anthropic", "gemini", "moonshot", "zhipu", "deepseek", "xai",
                              "groq", "openrouter" };

  f->server = byok_test_server_new ();
  f->catalog = byok_catalog_new_default ();
  f->keys = byok_key_store_new ();
  byok_key_store_set_environment (f->keys, env);
  f->events = g_ptr_array_new_with_free_func (g_free);
  byok_key_store_set_event_sink (f->keys, on_key_event, f, NULL);
  f->client = byok_client_new (f->catalog, f->keys);
  /* The environment's fake keys win over anything another test left in
   * the session's keyring. */
  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    byok_key_store_set_prefer_environment (f->keys, providers[i], TRUE);

  byok_client_set_backoff_base_ms (f->client, 5);
  byok_client_set_max_retry_wait_ms (f->client, 5000);
  byok_client_set_connect_timeout_ms (f->client, byok_test_wait_limit (5000));
  byok_client_set_idle_timeout_ms (f->client, byok_test_wait_limit (5000));
  byok_client_set_response_timeout_ms (f->client, byok_test_wait_limit (5000));

  byok_test_point_providers (f->catalog, f->server, "openai", "anthropic", "gemini", "moonshot", "zhipu",
                             "deepseek", "xai", "groq", "openrouter", NULL);

  f->text = g_string_new (NULL);
  f->reasoning = g_string_new (NULL);
  f->kept_calls = g_ptr_array_new_with_free_func (g_object_unref);
}

static void assert_no_key_in (const char *message);

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  assert_no_key_in (log_text->str);
  g_string_truncate (log_text, 0);
  g_clear_pointer (&f->kept_calls, g_ptr_array_unref);
  g_clear_object (&f->client);
  g_clear_object (&f->keys);
  g_clear_object (&f->catalog);
  g_clear_object (&f->server);
  g_clear_object (&f->cancel_on_delta);
  g_string_free (f->text, TRUE);
  g_string_free (f->reasoning, TRUE);
  g_ptr_array_unref (f->events);
}

static void
assert_no_key_in (const char *message)
{
  if (message == NULL)
    return;
  for (guint i = 0; all_keys[i] != NULL; i++)
    g_assert_null (strstr (message, all_keys[i]));
  /* Nor the part of a key a provider echoes back. */
  g_assert_null (strstr (message, "0123456789abcdef"));
}

static void
assert_no_key_in_result (ByokChatResult *result)
{
  if (result->error != NULL)
    assert_no_key_in (result->error->message);
  for (guint i = 0; i < result->attempts->len; i++)
    {
      ByokAttempt *attempt = g_ptr_array_index (result->attempts, i);

      if (attempt->error != NULL)
        assert_no_key_in (attempt->error->message);
    }
}

static gboolean
keep_waking (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* byok_test_wait_result(), with a safety net: a call that never ends
 * fails the test instead of hanging it. */
static GAsyncResult *
wait_call (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + byok_test_wait_limit (30) * G_USEC_PER_SEC;
  guint wake = g_timeout_add (100, keep_waking, NULL);

  while (*slot == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  if (*slot == NULL)
    g_error ("gave up waiting for a call to end");
  return *slot;
}

static ByokChatResult *
run_chat_full (Fixture            *f,
               ByokChatRequest    *request,
               const char         *provider_id,
               const char * const *fallbacks,
               GCancellable       *cancellable)
{
  g_autoptr(ByokChatCall) call = byok_client_new_chat (f->client, request, provider_id, NULL, fallbacks);
  g_autoptr(GAsyncResult) async = NULL;
  ByokChatResult *result;

  g_signal_connect (call, "delta", G_CALLBACK (on_delta), f);
  g_signal_connect (call, "reasoning-delta", G_CALLBACK (on_reasoning_delta), f);
  byok_chat_call_run_async (call, cancellable, byok_test_store_result, &async);
  result = byok_chat_call_run_finish (call, wait_call (&async));
  g_assert_nonnull (result);
  assert_no_key_in_result (result);
  if (f->keep_calls)
    g_ptr_array_add (f->kept_calls, g_object_ref (call));
  return result;
}

static ByokChatResult *
run_chat (Fixture    *f,
          const char *provider_id,
          const char *model,
          gboolean    stream)
{
  g_autoptr(ByokChatRequest) request = byok_chat_request_new_simple (model, "Be brief.", "Hello");

  request->stream = stream;
  return run_chat_full (f, request, provider_id, NULL, NULL);
}

/* A chat with gpt-4o-mini, streamed, that OpenAI answers with @reply, and
 * a retry with @then (NULL: none) */
static ByokChatResult *
run_openai_chat (Fixture       *f,
                 ByokTestReply *reply,
                 ByokTestReply *then)
{
  byok_test_server_add_reply (f->server, "/v1/chat/completions", reply);
  if (then != NULL)
    byok_test_server_add_reply (f->server, "/v1/chat/completions", then);
  return run_chat (f, "openai", "gpt-4o-mini", TRUE);
}

/* One attempt and one request: nothing was tried again */
static void
assert_not_retried (Fixture        *f,
                    ByokChatResult *result)
{
  g_assert_cmpuint (result->attempts->len, ==, 1);
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 1);
}

static ByokAttempt *
attempt_at (ByokChatResult *result,
            guint           i)
{
  g_assert_cmpuint (i, <, result->attempts->len);
  return g_ptr_array_index (result->attempts, i);
}

/* Runs what is ready until nothing is: the server's last bytes and the
 * client's reading of them (a person's next message comes later). */
static void
settle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
spin_until_closed (ByokTestServer *server,
                   guint           n)
{
  gint64 deadline = g_get_monotonic_time () + byok_test_wait_limit (10) * G_USEC_PER_SEC;

  while (byok_test_server_get_n_closed (server) < n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (byok_test_server_get_n_closed (server), >=, n);
}

/* ---- streaming, per dialect ---------------------------------------------- */

/* One provider's answer streamed from a fixture, split every @split bytes:
 * what the call and its signals hold, then @check for what is particular to
 * it */
typedef struct _ProviderStream ProviderStream;
struct _ProviderStream {
  const char *path;
  const char *provider_id;
  const char *model;
  const char *key_header;
  const char *key;
  const char *endpoint;
  const char *dialect;
  const char *fixture;
  gsize       split;
  const char *reasoning;           /* NULL: none checked */
  const char *text;
  guint       n_deltas;            /* 0: not counted */
  guint       n_reasoning_deltas;  /* 0: not counted */
  gint64      usage[5];            /* input, cached, cache write, output, reasoning; -1: not checked */
  void      (*check) (Fixture        *f,
                      ByokChatResult *result);
};

static void
check_openai_stream (Fixture        *f,
                     ByokChatResult *result)
{
  ByokTestRequest *req;
  const char *body;

  g_assert_cmpstr (result->provider_id, ==, "openai");
  g_assert_cmpstr (result->model, ==, "o4-mini");
  g_assert_cmpint (result->ttft_us, >=, 0);
  g_assert_cmpint (result->latency_us, >=, result->ttft_us);

  g_assert_cmpuint (result->attempts->len, ==, 1);
  g_assert_cmpuint (attempt_at (result, 0)->http_status, ==, 200);
  g_assert_cmpint (attempt_at (result, 0)->ttft_us, >=, 0);
  g_assert_cmpint (attempt_at (result, 0)->latency_us, >=, attempt_at (result, 0)->ttft_us);
  g_assert_true (byok_usage_equal (&attempt_at (result, 0)->usage, &result->usage));

  /* Debug lines are captured (and checked for keys at teardown). */
  g_assert_nonnull (strstr (log_text->str, "POST http://127.0.0.1"));

  req = byok_test_server_get_last_request (f->server);
  g_assert_cmpstr (req->method, ==, "POST");
  g_assert_cmpstr (soup_message_headers_get_one (req->headers, "Accept"), ==, "text/event-stream");
  body = g_bytes_get_data (req->body, NULL);
  g_assert_nonnull (strstr (body, "\"stream\""));
  g_assert_nonnull (strstr (body, "\"o4-mini\""));
}

static void
check_anthropic_stream (Fixture        *f,
                        ByokChatResult *result)
{
  ByokTestRequest *req = byok_test_server_get_last_request (f->server);

  g_assert_cmpstr (soup_message_headers_get_one (req->headers, "anthropic-version"), ==, "2026-10-21");
  g_assert_null (soup_message_headers_get_one (req->headers, "Authorization"));
}

static void
check_gemini_stream (Fixture        *f,
                     ByokChatResult *result)
{
  ByokTestRequest *req = byok_test_server_get_last_request (f->server);

  g_assert_cmpstr (req->query, ==, "alt=sse");
}

static const ProviderStream provider_streams[] = {
  { "/client/stream/openai-bytewise", "openai", "o4-mini", "Authorization", "Bearer " OPENAI_KEY,
    "/v1/chat/completions", "openai", "openai-stream.sse", 1,
    NULL, "The capital of France is Paris — ça va.", 2, 0, { 1234, 1024, -1, 89, 64 },
    check_openai_stream },
  { "/client/stream/anthropic-thinking", "anthropic", "claude-sonnet-4-20250514", "x-api-key", ANTHROPIC_KEY,
    "/v1/messages", "anthropic", "stream-thinking.sse", 1,
    "The user asks for 2+2. That is 4.", "2 + 2 = 4 — «easy».", 2, 2, { 12 + 1500 + 3000, 3000, 1500, 42, -1 },
    check_anthropic_stream },
  { "/client/stream/gemini-thoughts", "gemini", "gemini-2.5-flash", "x-goog-api-key", GEMINI_KEY,
    "/v1beta/models/gemini-2.5-flash:streamGenerateContent", "gemini", "stream-thoughts.sse", 1,
    "**Recalling capitals**\n\nThe user wants the capital of France.", "Paris is the capital of France. 🇫🇷",
    0, 0, { 10, -1, -1, 59, 50 },
    check_gemini_stream },
  { "/client/stream/deepseek-reasoning", "deepseek", "deepseek-reasoner", "Authorization", "Bearer " DEEPSEEK_KEY,
    "/deepseek/chat/completions", "openai", "deepseek-stream.sse", 3,
    "9.11 and 9.8: compare 0.80 with 0.11.", "9.8 is larger.", 0, 0, { -1, 16, -1, -1, 95 },
    NULL },
};

static void
assert_tokens (gint64 got,
               gint64 expected)
{
  if (expected >= 0)
    g_assert_cmpint (got, ==, expected);
}

static void
test_provider_stream (Fixture       *f,
                      gconstpointer  data)
{
  const ProviderStream *s = data;
  g_autoptr(ByokChatResult) result = NULL;

  byok_test_server_require_key (f->server, s->key_header, s->key);
  byok_test_server_add_reply (f->server, s->endpoint,
                              byok_test_reply_new_sse_fixture (s->dialect, s->fixture, s->split));
  result = run_chat (f, s->provider_id, s->model, TRUE);

  g_assert_no_error (result->error);
  g_assert_cmpstr (f->text->str, ==, s->text);
  g_assert_cmpstr (result->text->str, ==, f->text->str);
  if (s->reasoning != NULL)
    {
      g_assert_cmpstr (f->reasoning->str, ==, s->reasoning);
      g_assert_cmpstr (result->reasoning->str, ==, f->reasoning->str);
      g_assert_false (f->reasoning_after_text);
    }
  if (s->n_deltas > 0)
    g_assert_cmpuint (f->n_deltas, ==, s->n_deltas);
  if (s->n_reasoning_deltas > 0)
    g_assert_cmpuint (f->n_reasoning_deltas, ==, s->n_reasoning_deltas);
  g_assert_cmpint (result->finish_reason, ==, BYOK_FINISH_STOP);
  g_assert_true (result->usage.reported);
  assert_tokens (result->usage.input_tokens, s->usage[0]);
  assert_tokens (result->usage.cached_input_tokens, s->usage[1]);
  assert_tokens (result->usage.cache_write_tokens, s->usage[2]);
  assert_tokens (result->usage.output_tokens, s->usage[3]);
  assert_tokens (result->usage.reasoning_tokens, s->usage[4]);
  if (s->check != NULL)
    s->check (f, result);
}

/* A long conversation is a large request: 8 MB of prompt goes out whole
 * and the answer streams back. */
static void
test_large_request (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(ByokChatRequest) request = byok_chat_request_new ("gpt-4o-mini");
  g_autoptr(ByokChatResult) result = NULL;
  GString *text = g_string_new (NULL);
  ByokTestRequest *req;
  gsize length = 0;

  for (guint i = 0; i < 2000; i++)
    {
      g_string_truncate (text, 0);
      for (guint j = 0; j < 100; j++)
        g_string_append (text, "lorem ipsum dolor sit amet, ");
      byok_chat_request_add_message (request, i % 2 == 0 ? BYOK_CHAT_ROLE_USER : BYOK_CHAT_ROLE_ASSISTANT, text->str);
    }
  g_string_free (text, TRUE);
  request->stream = TRUE;
  byok_test_server_add_reply (f->server, "/v1/chat/completions",
                              byok_test_reply_new_sse_fixture ("openai", "openai-stream.sse", 0));
  result = run_chat_full (f, request, "openai", NULL, NULL);

  g_assert_no_error (result->error);
  g_assert_cmpstr (result->text->str, ==, "The capital of France is Paris — ça va.");
  req = byok_test_server_get_last_request (f->server);
  g_bytes_get_data (req->body, &length);
  g_assert_cmpuint (length, >, 5 * 1000 * 1000);
}

/* The API version goes with what the request carries: 2026-10-21 (the
 * catalog's) unless a temperature goes to a model that takes one, which
 * only 2023-06-01 accepts; the body carries only what the model takes. */
static void
test_anthropic_version_per_request (Fixture       *f,
                                    gconstpointer  data)
{
  static const struct {
    const char *model;
    double      temperature;
    ByokEffort  effort;
    const char *version;
    const char *in_body;
    const char *not_in_body;
  } cases[] = {
    { "claude-haiku-4-5", -1, BYOK_EFFORT_DEFAULT, "2026-10-21", NULL, "\"temperature\"" },
    { "claude-haiku-4-5", 0.4, BYOK_EFFORT_DEFAULT, "2023-06-01", "\"temperature\":0.4", NULL },
    { "claude-haiku-4-5", 2.0, BYOK_EFFORT_DEFAULT, "2023-06-01", "\"temperature\":1", NULL },
    { "claude-opus-4-7", 0.4, BYOK_EFFORT_DEFAULT, "2026-10-21", NULL, "\"temperature\"" },
    { "claude-opus-5-5", 0.4, BYOK_EFFORT_LOW, "2026-10-21", "\"effort\":\"low\"", "\"temperature\"" },
  };

  byok_test_server_require_key (f->server, "x-api-key", ANTHROPIC_KEY);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ByokChatRequest) request = byok_chat_request_new_simple (cases[i].model, NULL, "Hello");
      g_autoptr(ByokChatResult) result = NULL;
      ByokTestRequest *req;
      const char *body;

      g_test_message ("%s, temperature %g", cases[i].model, cases[i].temperature);
      byok_test_server_add_reply (f->server, "/v1/messages",
                                  byok_test_reply_new_sse_fixture ("anthropic", "stream-adaptive.sse", 1));
      request->temperature = cases[i].temperature;
      request->effort = cases[i].effort;
      result = run_chat_full (f, request, "anthropic", NULL, NULL);
      g_assert_no_error (result->error);

      req = byok_test_server_get_last_request (f->server);
      g_assert_cmpstr (soup_message_headers_get_one (req->headers, "anthropic-version"), ==, cases[i].version);
      body = g_bytes_get_data (req->body, NULL);
      if (cases[i].in_body != NULL)
        g_assert_nonnull (strstr (body, cases[i].in_body));
      if (cases[i].not_in_body != NULL)
        g_assert_null (strstr (body, cases[i].not_in_body));
      /* the thinking part of the output counts as reasoning */
      g_assert_cmpint (result->usage.reasoning_tokens, ==, 151);
    }
}

/* Issue 12, item 10: a temperature set in the chat settings never reaches
 * OpenAI's reasoning models, which answer 400 to one; the effort does. */
static void
test_openai_reasoning_model_params (Fixture       *f,
                                    gconstpointer  data)
{
  static const char * const models[] = { "gpt-5", "gpt-5-mini", "o3", "o4-mini" };

  byok_test_server_require_key (f->server, "Authorization", "Bearer " OPENAI_KEY);
  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      g_autoptr(ByokChatRequest) request = byok_chat_request_new_simple (models[i], NULL, "Hello");
      g_autoptr(ByokChatResult) result = NULL;
      const char *body;

      byok_test_server_add_reply (f->server, "/v1/chat/completions",
                                  byok_test_reply_new_sse_fixture ("openai", "openai-stream.sse", 1));
      request->temperature = 0.7;
      request->effort = BYOK_EFFORT_LOW;
      result = run_chat_full (f, request, "openai", NULL, NULL);
      g_assert_no_error (result->error);
      body = g_bytes_get_data (byok_test_server_get_last_request (f->server)->body, NULL);
      g_assert_null (strstr (body, "\"temperature\""));
      g_assert_nonnull (strstr (body, "\"reasoning_effort\":\"low\""));
    }
}

static void
test_gemini_stream_truncated (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(ByokChatResult) result = NULL;

  /* No finishReason before EOF: cut short. */
  byok_test_server_add_reply (f->server, "/v1beta/models/gemini-2.5-flash:streamGenerateContent",
                              byok_test_reply_new_sse_fixture ("gemini", "stream-truncated.sse", 7));
  result = run_chat (f, "gemini", "gemini-2.5-flash", TRUE);

  g_assert_error (result->error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_assert_cmpuint (result->text->len, >, 0);
  g_assert_cmpstr (result->text->str, ==, f->text->str);
  g_assert_cmpuint (result->attempts->len, ==, 1);
}

/* ---- whole responses ----------------------------------------------------- */

static void
test_non_streamed (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(ByokChatResult) openai = NULL;
  g_autoptr(ByokChatResult) anthropic = NULL;
  g_autoptr(ByokChatResult) gemini = NULL;

  byok_test_server_add_reply (f->server, "/v1/chat/completions",
                              json_fixture_reply (200, "openai", "openai-response.json"));
  openai = run_chat (f, "openai", "gpt-4o-mini", FALSE);
  g_assert_no_error (openai->error);
  g_assert_cmpstr (openai->text->str, ==, "Hello! How can I help you today?");
  g_assert_cmpstr (f->text->str, ==, openai->text->str);
  g_assert_cmpint (openai->finish_reason, ==, BYOK_FINISH_LENGTH);
  g_assert_cmpint (openai->usage.input_tokens, ==, 19);
  g_assert_cmpint (openai->usage.output_tokens, ==, 10);
  g_assert_null (strstr (g_bytes_get_data (byok_test_server_get_last_request (f->server)->body, NULL),
                         "\"stream\":true"));

  byok_test_server_add_reply (f->server, "/v1/messages",
                              json_fixture_reply (200, "anthropic", "response.json"));
  anthropic = run_chat (f, "anthropic", "claude-sonnet-4-20250514", FALSE);
  g_assert_no_error (anthropic->error);
  g_assert_cmpstr (anthropic->text->str, ==, "Bonjour !");
  g_assert_cmpstr (anthropic->reasoning->str, ==, "Short question, short answer.");
  g_assert_cmpint (anthropic->usage.input_tokens, ==, 420);
  g_assert_cmpint (anthropic->finish_reason, ==, BYOK_FINISH_STOP);

  byok_test_server_add_reply (f->server, "/v1beta/models/gemini-2.5-pro:generateContent",
                              json_fixture_reply (200, "gemini", "response.json"));
  gemini = run_chat (f, "gemini", "gemini-2.5-pro", FALSE);
  g_assert_no_error (gemini->error);
  g_assert_cmpstr (gemini->text->str, ==, "Hallo Welt!");
  g_assert_cmpstr (gemini->reasoning->str, ==, "Thinking about greetings.");
  g_assert_cmpint (gemini->finish_reason, ==, BYOK_FINISH_LENGTH);
  g_assert_cmpint (gemini->usage.output_tokens, ==, 23);
}

static void
test_html_200 (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *html = byok_test_read_fixture ("openai", "captive-portal.html");
  ByokTestReply *reply = byok_test_reply_new (200);
  g_autoptr(ByokChatResult) result = NULL;

  byok_test_reply_add_header (reply, "Content-Type", "text/html; charset=utf-8");
  byok_test_reply_add_chunk (reply, html);
  result = run_openai_chat (f, reply, NULL);

  g_assert_error (result->error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_assert_cmpint (result->finish_reason, ==, BYOK_FINISH_ERROR);
  assert_not_retried (f, result);
}

/* ---- retries ------------------------------------------------------------- */

static void
test_retry_503_then_200 (Fixture       *f,
                         gconstpointer  data)
{
  ByokTestReply *overloaded = byok_test_reply_new_json (503, "{\"error\": {\"message\": \"The server is overloaded.\", \"type\": \"server_error\"}}");
  g_autoptr(ByokChatResult) result = NULL;

  result = run_openai_chat (f, overloaded, byok_test_reply_new_sse_fixture ("openai", "openai-stream.sse", 64));

  g_assert_no_error (result->error);
  g_assert_cmpstr (result->text->str, ==, "The capital of France is Paris — ça va.");
  g_assert_cmpuint (result->attempts->len, ==, 2);
  g_assert_cmpuint (attempt_at (result, 0)->http_status, ==, 503);
  g_assert_error (attempt_at (result, 0)->error, BYOK_ERROR, BYOK_ERROR_OVERLOADED);
  g_assert_false (attempt_at (result, 0)->is_retry);
  g_assert_true (attempt_at (result, 1)->is_retry);
  g_assert_false (attempt_at (result, 1)->is_fallback);
  g_assert_no_error (attempt_at (result, 1)->error);
  g_assert_cmpuint (attempt_at (result, 1)->http_status, ==, 200);
  g_assert_cmpuint (byok_test_server_count_path (f->server, "/v1/chat/completions"), ==, 2);
}

static void
test_retry_gives_up (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(ByokChatResult) result = NULL;
  ByokTestReply *reply = byok_test_reply_new_json (500, "{\"error\": {\"message\": \"Internal error\", \"type\": \"server_error\"}}");

  byok_test_reply_set_repeat (reply, TRUE);
  byok_client_set_max_attempts (f->client, 3);
  result = run_openai_chat (f, reply, NULL);

  g_assert_error (result->error, BYOK_ERROR, BYOK_ERROR_SERVER);
  g_assert_cmpuint (result->attempts->len, ==, 3);
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 3);
}

static void
test_retry_after_honoured (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *body = byok_test_read_fixture ("openai", "error-rate-limit.json");
  ByokTestReply *limited = byok_test_reply_new_json (429, body);
  g_autoptr(ByokChatResult) result = NULL;

  byok_test_reply_add_header (limited, "Retry-After", "1");
  result = run_openai_chat (f, limited, byok_test_reply_new_sse_fixture ("openai", "openai-stream.sse", 0));

  g_assert_no_error (result->error);
  g_assert_cmpuint (result->attempts->len, ==, 2);
  g_assert_error (attempt_at (result, 0)->error, BYOK_ERROR, BYOK_ERROR_RATE_LIMIT);
  g_assert_cmpuint (attempt_at (result, 0)->http_status, ==, 429);
  g_assert_true (attempt_at (result, 1)->is_retry);
}

/* OpenAI's 429 for too many requests */
#define RATE_LIMITED \
  "{\"error\": {\"message\": \"Rate limit reached\", \"type\": \"requests\", \"code\": \"rate_limit_exceeded\"}}"

static void
test_retry_after_ms (Fixture       *f,
                     gconstpointer  data)
{
  ByokTestReply *limited = byok_test_reply_new_json (429, RATE_LIMITED);
  g_autoptr(ByokChatResult) result = NULL;

  /* retry-after-ms wins over a Retry-After longer than the cap. */
  byok_test_reply_add_header (limited, "retry-after-ms", "20");
  byok_test_reply_add_header (limited, "Retry-After", "3600");
  result = run_openai_chat (f, limited, byok_test_reply_new_sse_fixture ("openai", "openai-stream.sse", 0));

  g_assert_no_error (result->error);
  g_assert_cmpuint (result->attempts->len, ==, 2);
}

static void
test_retry_after_too_long (Fixture       *f,
                           gconstpointer  data)
{
  ByokTestReply *limited = byok_test_reply_new_json (429, RATE_LIMITED);
  g_autoptr(ByokChatResult) result = NULL;

  byok_test_reply_add_header (limited, "Retry-After", "120");
  result = run_openai_chat (f, limited, NULL);

  g_assert_error (result->error, BYOK_ERROR, BYOK_ERROR_RATE_LIMIT);
  g_assert_nonnull (strstr (result->error->message, "2 min"));
  assert_not_retried (f, result);
}

/* An error the client must not retry: one attempt, one request. */
typedef struct {
  const char *path;
  const char *reply_path;
  guint       status;
  const char *folder;
  const char *fixture;
  const char *provider_id;
  const char *model;
  int         error;      /* a ByokErrorCode */
  const char *said;       /* in the message (NULL: not checked) */
  const char *not_said;   /* not in it (NULL: not checked) */
} NotRetried;

static const NotRetried not_retried[] = {
  /* Gemini's wait is only in the body: 33 s, beyond this test's 5 s cap. */
  { "/client/retry/gemini-retry-delay", "/v1beta/models/gemini-2.5-pro:streamGenerateContent", 429,
    "gemini", "error-rate-limit.json", "gemini", "gemini-2.5-pro", BYOK_ERROR_RATE_LIMIT, "33 s", NULL },
  { "/client/retry/quota", "/v1/chat/completions", 429,
    "openai", "error-insufficient-quota.json", "openai", "gpt-4o-mini", BYOK_ERROR_QUOTA, NULL, NULL },
  /* The provider echoes part of the key; the message must not. */
  { "/client/retry/auth", "/v1/chat/completions", 401,
    "openai", "error-invalid-key.json", "openai", "gpt-4o-mini", BYOK_ERROR_AUTH,
    NULL, "sk-test-fake-0123456789abcdefABCDEF" },
};

static void
test_not_retried (Fixture       *f,
                  gconstpointer  data)
{
  const NotRetried *c = data;
  g_autoptr(ByokChatResult) result = NULL;

  byok_test_server_add_reply (f->server, c->reply_path, json_fixture_reply (c->status, c->folder, c->fixture));
  result = run_chat (f, c->provider_id, c->model, TRUE);

  g_assert_error (result->error, BYOK_ERROR, c->error);
  if (c->said != NULL)
    g_assert_nonnull (strstr (result->error->message, c->said));
  if (c->not_said != NULL)
    g_assert_null (strstr (result->error->message, c->not_said));
  assert_not_retried (f, result);
}

static ByokTestReply *
partial_stream_reply (void)
{
  return byok_test_reply_new_sse (
    "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}",
    "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Once upon\"},\"finish_reason\":null}]}",
    "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\" a time\"},\"finish_reason\":null}]}",
    "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\" there was\"},\"finish_reason\":null}]}",
    "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\" a key.\"},\"finish_reason\":\"stop\"}]}",
    "[DONE]",
    NULL);
}

static void
test_no_retry_after_output (Fixture       *f,
                            gconstpointer  data)
{
  ByokTestReply *reply = partial_stream_reply ();
  g_autoptr(ByokChatResult) result = NULL;

  byok_test_reply_set_drop_after (reply, 3);
  /* The second would answer a retry: it must not be asked. */
  result = run_openai_chat (f, reply, partial_stream_reply ());

  g_assert_error (result->error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_assert_cmpstr (result->text->str, ==, "Once upon a time");
  g_assert_cmpstr (f->text->str, ==, "Once upon a time");
  g_assert_cmpint (result->finish_reason, ==, BYOK_FINISH_ERROR);
  assert_not_retried (f, result);
}

static void
test_midstream_error_keeps_text (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(ByokChatResult) result = NULL;

  byok_test_server_add_reply (f->server, "/v1/messages",
                              byok_test_reply_new_sse_fixture ("anthropic", "stream-overloaded.sse", 5));
  result = run_chat (f, "anthropic", "claude-sonnet-4-20250514", TRUE);

  g_assert_error (result->error, BYOK_ERROR, BYOK_ERROR_OVERLOADED);
  g_assert_cmpuint (result->text->len, >, 0);
  g_assert_cmpuint (result->attempts->len, ==, 1);
}

/* ---- fallback ------------------------------------------------------------ */

static void
test_fallback_chain (Fixture       *f,
                     gconstpointer  data)
{
  const char *fallbacks[] = { "moonshot/kimi-k2-0905-preview", NULL };
  g_autoptr(ByokChatRequest) request = byok_chat_request_new_simple ("gpt-4o-mini", NULL, "Hi");
  g_autoptr(ByokChatResult) result = NULL;
  ByokTestRequest *req;

  request->stream = TRUE;
  byok_test_server_add_reply (f->server, "/v1/chat/completions",
                              json_fixture_reply (401, "openai", "error-invalid-key.json"));
  byok_test_server_add_reply (f->server, "/moonshot/v1/chat/completions",
                              byok_test_reply_new_sse_fixture ("openai", "moonshot-stream.sse", 2));
  result = run_chat_full (f, request, "openai", fallbacks, NULL);

  g_assert_no_error (result->error);
  g_assert_cmpstr (result->provider_id, ==, "moonshot");
  g_assert_cmpstr (result->model, ==, "kimi-k2-0905-preview");
  g_assert_cmpuint (result->text->len, >, 0);
  g_assert_cmpuint (result->attempts->len, ==, 2);
  g_assert_cmpstr (attempt_at (result, 0)->provider_id, ==, "openai");
  g_assert_error (attempt_at (result, 0)->error, BYOK_ERROR, BYOK_ERROR_AUTH);
  g_assert_cmpuint (attempt_at (result, 0)->http_status, ==, 401);
  g_assert_false (attempt_at (result, 0)->is_fallback);
  g_assert_cmpstr (attempt_at (result, 1)->provider_id, ==, "moonshot");
  g_assert_cmpstr (attempt_at (result, 1)->model, ==, "kimi-k2-0905-preview");
  g_assert_true (attempt_at (result, 1)->is_fallback);
  g_assert_false (attempt_at (result, 1)->is_retry);

  /* Each provider got its own key, and the fallback its own model. */
  req = byok_test_server_get_last_request (f->server);
  g_assert_cmpstr (soup_message_headers_get_one (req->headers, "Authorization"), ==, "Bearer " MOONSHOT_KEY);
  g_assert_nonnull (strstr (g_bytes_get_data (req->body, NULL), "kimi-k2-0905-preview"));
  g_assert_cmpstr (soup_message_headers_get_one (byok_test_server_get_request (f->server, 0)->headers,
                                                 "Authorization"), ==, "Bearer " OPENAI_KEY);
}

static void
test_fallback_not_for_bad_request (Fixture       *f,
                                   gconstpointer  data)
{
  const char *fallbacks[] = { "moonshot/kimi-k2-0905-preview", NULL };
  g_autoptr(ByokChatRequest) request = byok_chat_request_new_simple ("gpt-4o-mini", NULL, "Hi");
  g_autoptr(ByokChatResult) result = NULL;

  byok_test_server_add_reply (f->server, "/v1/chat/completions",
                              byok_test_reply_new_json (400, "{\"error\": {\"message\": \"Invalid value for 'temperature'.\", \"type\": \"invalid_request_error\", \"param\": \"temperature\"}}"));
  result = run_chat_full (f, request, "openai", fallbacks, NULL);

  g_assert_error (result->error, BYOK_ERROR, BYOK_ERROR_BAD_REQUEST);
  g_assert_cmpstr (result->provider_id, ==, "openai");
  g_assert_cmpuint (result->attempts->len, ==, 1);
  g_assert_cmpuint (byok_test_server_count_path (f->server, "/moonshot/v1/chat/completions"), ==, 0);
}

/* ---- cancel, timeouts, network, keys ------------------------------------- */

static void
test_cancel_mid_stream (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(ByokChatRequest) request = byok_chat_request_new_simple ("gpt-4o-mini", NULL, "Tell a story");
  g_autoptr(ByokChatResult) result = NULL;
  ByokTestReply *reply = partial_stream_reply ();

  request->stream = TRUE;
  byok_test_reply_set_delay_ms (reply, 0, 100);
  byok_test_server_add_reply (f->server, "/v1/chat/completions", reply);
  f->cancel_on_delta = g_object_ref (cancellable);
  result = run_chat_full (f, request, "openai", NULL, cancellable);

  g_assert_error (result->error, BYOK_ERROR, BYOK_ERROR_CANCELLED);
  g_assert_cmpint (result->finish_reason, ==, BYOK_FINISH_CANCELLED);
  g_assert_cmpstr (result->text->str, ==, "Once upon");
  g_assert_cmpuint (result->attempts->len, ==, 1);
  g_assert_error (attempt_at (result, 0)->error, BYOK_ERROR, BYOK_ERROR_CANCELLED);
  /* The server sees the connection closed before the answer was done. */
  spin_until_closed (f->server, 1);
}

static void
test_cancel_before_start (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(ByokChatRequest) request = byok_chat_request_new_simple ("gpt-4o-mini", NULL, "Hi");
  g_autoptr(ByokChatResult) result = NULL;

  g_cancellable_cancel (cancellable);
  result = run_chat_full (f, request, "openai", NULL, cancellable);
  g_assert_error (result->error, BYOK_ERROR, BYOK_ERROR_CANCELLED);
  g_assert_cmpint (result->finish_reason, ==, BYOK_FINISH_CANCELLED);
}

static void
test_idle_timeout (Fixture       *f,
                   gconstpointer  data)
{
  ByokTestReply *reply = byok_test_reply_new_sse (
    "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Thinking hard\"},\"finish_reason\":null}]}",
    NULL);
  g_autoptr(ByokChatResult) result = NULL;

  byok_test_reply_set_hold (reply, TRUE);
  byok_client_set_idle_timeout_ms (f->client, 300);
  result = run_openai_chat (f, reply, NULL);

  g_assert_error (result->error, BYOK_ERROR, BYOK_ERROR_TIMEOUT);
  g_assert_cmpstr (result->text->str, ==, "Thinking hard");
  g_assert_cmpuint (result->attempts->len, ==, 1);
  byok_test_server_release_held (f->server);
}

static void
test_idle_timeout_retried_before_output (Fixture       *f,
                                         gconstpointer  data)
{
  ByokTestReply *held = byok_test_reply_new_sse (
    "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"},\"finish_reason\":null}]}",
    NULL);
  g_autoptr(ByokChatResult) result = NULL;

  /* A stall before any text is retried; the retry answers. */
  byok_test_reply_set_hold (held, TRUE);
  byok_client_set_idle_timeout_ms (f->client, 300);
  result = run_openai_chat (f, held, byok_test_reply_new_sse_fixture ("openai", "openai-stream.sse", 0));

  g_assert_no_error (result->error);
  g_assert_cmpuint (result->attempts->len, ==, 2);
  g_assert_error (attempt_at (result, 0)->error, BYOK_ERROR, BYOK_ERROR_TIMEOUT);
  g_assert_true (attempt_at (result, 1)->is_retry);
  byok_test_server_release_held (f->server);
}

static char *
closed_port_url (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return g_strdup_printf ("http://127.0.0.1:%u/v1", port);
}

static void
test_connection_refused (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *url = closed_port_url ();
  g_autoptr(ByokChatResult) result = NULL;

  byok_provider_set_base_url (byok_catalog_lookup_provider (f->catalog, "openai"), url);
  byok_client_set_max_attempts (f->client, 2);
  result = run_chat (f, "openai", "gpt-4o-mini", TRUE);

  g_assert_error (result->error, BYOK_ERROR, BYOK_ERROR_NETWORK);
  g_assert_nonnull (strstr (result->error->message, "127.0.0.1"));
  /* Network failures are retried. */
  g_assert_cmpuint (result->attempts->len, ==, 2);
  g_assert_cmpuint (attempt_at (result, 0)->http_status, ==, 0);
  g_assert_true (attempt_at (result, 1)->is_retry);
}

static void
test_no_key (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(ByokChatResult) result = NULL;
  ByokProvider *xai = byok_catalog_lookup_provider (f->catalog, "xai");

  result = run_chat (f, "xai", "grok-4-0709", TRUE);

  g_assert_error (result->error, BYOK_ERROR, BYOK_ERROR_NO_KEY);
  g_assert_nonnull (strstr (result->error->message, byok_provider_get_name (xai)));
  g_assert_nonnull (strstr (result->error->message, "byok-cli keys set xai"));
  g_assert_nonnull (strstr (result->error->message, "XAI_API_KEY"));
  g_assert_cmpuint (result->attempts->len, ==, 1);
  g_assert_cmpuint (attempt_at (result, 0)->http_status, ==, 0);
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 0);
}

static void
test_no_key_falls_back (Fixture       *f,
                        gconstpointer  data)
{
  const char *fallbacks[] = { "openai/gpt-4o-mini", NULL };
  g_autoptr(ByokChatRequest) request = byok_chat_request_new_simple ("grok-4-0709", NULL, "Hi");
  g_autoptr(ByokChatResult) result = NULL;

  request->stream = TRUE;
  byok_test_server_add_reply (f->server, "/v1/chat/completions",
                              byok_test_reply_new_sse_fixture ("openai", "openai-stream.sse", 0));
  result = run_chat_full (f, request, "xai", fallbacks, NULL);

  g_assert_no_error (result->error);
  g_assert_cmpstr (result->provider_id, ==, "openai");
  g_assert_cmpuint (result->attempts->len, ==, 2);
  g_assert_error (attempt_at (result, 0)->error, BYOK_ERROR, BYOK_ERROR_NO_KEY);
  g_assert_true (attempt_at (result, 1)->is_fallback);
}

static void
test_parse_target (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *provider = NULL;
  g_autofree char *model = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (byok_client_parse_target (f->client, "openrouter/openai/gpt-4o", &provider, &model, NULL));
  g_assert_cmpstr (provider, ==, "openrouter");
  g_assert_cmpstr (model, ==, "openai/gpt-4o");
  g_clear_pointer (&provider, g_free);
  g_clear_pointer (&model, g_free);

  g_assert_true (byok_client_parse_target (f->client, "kimi-k2-0905-preview", &provider, &model, NULL));
  g_assert_cmpstr (provider, ==, "moonshot");
  g_assert_cmpstr (model, ==, "kimi-k2-0905-preview");
  g_clear_pointer (&provider, g_free);
  g_clear_pointer (&model, g_free);

  g_assert_false (byok_client_parse_target (f->client, "no-such-model-anywhere", &provider, &model, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
}

/* ---- every dialect: errors, retries, fallbacks, size --------------------- */

typedef struct {
  const char *dialect;
  const char *provider_id;
  const char *model;
} DialectCase;

static const DialectCase dialect_cases[] = {
  { "openai", "openai", "gpt-4o-mini" },
  { "anthropic", "anthropic", "claude-sonnet-4-20250514" },
  { "gemini", "gemini", "gemini-2.5-flash" },
};

/* What a dialect's server sends: a stream's head and end, a text delta and
 * a whole answer, each of those two around its text (which must need no
 * JSON escape); usage 5 in, 7 out */
typedef struct {
  const char *dialect;
  const char *head;        /* before the first text delta */
  const char *delta[2];
  const char *tail;        /* the normal end of a stream */
  const char *whole[2];    /* a whole (non-streamed) answer */
} DialectWire;

static const DialectWire dialect_wires[] = {
  { "openai",
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
    "\"finish_reason\":null}]}\n\n",
    { "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"",
      "\"},\"finish_reason\":null}]}\n\n" },
    "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
    "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,\"total_tokens\":12}}\n\n"
    "data: [DONE]\n\n",
    { "{\"id\":\"chatcmpl-fake-matrix\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\","
      "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"",
      "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7}}" } },
  { "anthropic",
    "event: message_start\n"
    "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_fake_matrix\",\"type\":\"message\","
    "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-20250514\",\"content\":[],"
    "\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n"
    "event: content_block_start\n"
    "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
    { "event: content_block_delta\n"
      "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"",
      "\"}}\n\n" },
    "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
    "event: message_delta\n"
    "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":7}}\n\n"
    "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
    { "{\"id\":\"msg_fake_matrix\",\"type\":\"message\",\"role\":\"assistant\","
      "\"model\":\"claude-sonnet-4-20250514\",\"content\":[{\"type\":\"text\",\"text\":\"",
      "\"}],\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":5,\"output_tokens\":7}}" } },
  { "gemini",
    "",
    { "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"",
      "\"}],\"role\":\"model\"},\"index\":0}]}\n\n" },
    "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"\"}],\"role\":\"model\"},"
    "\"finishReason\":\"STOP\",\"index\":0}],"
    "\"usageMetadata\":{\"promptTokenCount\":5,\"candidatesTokenCount\":7,\"totalTokenCount\":12}}\n\n",
    { "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"",
      "\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
      "\"usageMetadata\":{\"promptTokenCount\":5,\"candidatesTokenCount\":7}}" } },
};

static const DialectWire *
dialect_wire (const char *dialect)
{
  for (guint i = 0; i < G_N_ELEMENTS (dialect_wires); i++)
    if (g_str_equal (dialect_wires[i].dialect, dialect))
      return &dialect_wires[i];
  g_assert_not_reached ();
}

/* One text delta as the dialect streams it */
static char *
dialect_text_event (const char *dialect,
                    const char *text)
{
  const DialectWire *wire = dialect_wire (dialect);

  return g_strconcat (wire->delta[0], text, wire->delta[1], NULL);
}

/* A whole (non-streamed) answer of @text */
static char *
dialect_whole_body (const char *dialect,
                    const char *text)
{
  const DialectWire *wire = dialect_wire (dialect);

  return g_strconcat (wire->whole[0], text, wire->whole[1], NULL);
}

/* A stream in @dialect: its head, @before (raw SSE), a delta for each of
 * @texts, @after (raw SSE), then the normal end unless @cut; @gap (raw SSE)
 * before the head, before each delta, before the end and after it; cut into
 * @split-byte pieces (0: one piece per part, sent apart). */
static ByokTestReply *
stream_reply_full (const char         *dialect,
                   const char         *gap,
                   const char         *before,
                   const char * const *texts,
                   const char         *after,
                   gboolean            cut,
                   gsize               split)
{
  ByokTestReply *reply = byok_test_reply_new (200);

  byok_test_reply_add_header (reply, "Content-Type", "text/event-stream");
  if (gap != NULL)
    byok_test_reply_add_chunk (reply, gap);
  if (*dialect_wire (dialect)->head != '\0')
    byok_test_reply_add_chunk (reply, dialect_wire (dialect)->head);
  if (before != NULL)
    byok_test_reply_add_chunk (reply, before);
  for (guint i = 0; texts[i] != NULL; i++)
    {
      g_autofree char *event = dialect_text_event (dialect, texts[i]);

      if (gap != NULL)
        byok_test_reply_add_chunk (reply, gap);
      byok_test_reply_add_chunk (reply, event);
    }
  if (after != NULL)
    byok_test_reply_add_chunk (reply, after);
  if (gap != NULL)
    byok_test_reply_add_chunk (reply, gap);
  if (!cut)
    byok_test_reply_add_chunk (reply, dialect_wire (dialect)->tail);
  if (gap != NULL)
    byok_test_reply_add_chunk (reply, gap);
  if (split > 0)
    byok_test_reply_set_split (reply, split);
  /* Streamed even with a single piece. */
  byok_test_reply_set_delay_ms (reply, 0, 0);
  return reply;
}

/* A stream of @texts, one delta each (one piece each, sent apart), then the
 * normal end unless @cut. */
static ByokTestReply *
dialect_stream_reply (const char         *dialect,
                      const char * const *texts,
                      gboolean            cut)
{
  return stream_reply_full (dialect, NULL, NULL, texts, NULL, cut, 0);
}

static ByokTestReply *
raw_reply (guint       status,
           const char *content_type,
           const char *body)
{
  ByokTestReply *reply = byok_test_reply_new (status);

  byok_test_reply_add_header (reply, "Content-Type", content_type);
  byok_test_reply_add_chunk (reply, body);
  return reply;
}

static ByokChatResult *
run_dialect_chat (Fixture           *f,
                  const DialectCase *dc,
                  const char        *model,
                  gboolean           stream,
                  GCancellable      *cancellable)
{
  g_autoptr(ByokChatRequest) request = byok_chat_request_new_simple (model != NULL ? model : dc->model,
                                                                     "Be brief.", "Hello");

  request->stream = stream;
  g_string_truncate (f->text, 0);
  g_string_truncate (f->reasoning, 0);
  f->n_deltas = 0;
  return run_chat_full (f, request, dc->provider_id, NULL, cancellable);
}

/* An HTTP failure the dialect's provider sends, and what it must become. */
typedef struct {
  const char    *dialect;
  ByokErrorCode  code;
  guint          status;
  const char    *fixture;        /* "dialect/file", or NULL for body */
  const char    *body;
  const char    *model;          /* NULL: the dialect case's */
  const char    *retry_after;    /* a Retry-After header, or NULL */
  gint64         retry_after_s;  /* what the result must say; -1: nothing */
  const char    *says;           /* in the message, or NULL */
} HttpErrorCase;

static const HttpErrorCase http_error_cases[] = {
  /* OpenAI and its copies */
  { "openai", BYOK_ERROR_AUTH, 401, "openai/error-invalid-key.json", NULL, NULL, NULL, -1, "byok-cli keys test openai" },
  { "openai", BYOK_ERROR_QUOTA, 429, "openai/error-insufficient-quota.json", NULL, NULL, NULL, -1, "credit" },
  { "openai", BYOK_ERROR_RATE_LIMIT, 429, "openai/error-rate-limit.json", NULL, NULL, "7", 7, "7 seconds" },
  { "openai", BYOK_ERROR_NOT_FOUND, 404, "openai/error-model-not-found.json", NULL, "gpt-4o-mini-typo", NULL, -1,
    "did you mean gpt-4o-mini?" },
  { "openai", BYOK_ERROR_CONTEXT_LENGTH, 400, "openai/error-context-length.json", NULL, NULL, NULL, -1, "too long" },
  { "openai", BYOK_ERROR_BAD_REQUEST, 400, NULL,
    "{\"error\":{\"message\":\"Invalid value for 'temperature'.\",\"type\":\"invalid_request_error\",\"param\":\"temperature\",\"code\":null}}",
    NULL, NULL, -1, "temperature" },
  { "openai", BYOK_ERROR_CONTENT_FILTER, 400, "openai/azure-error-content-filter.json", NULL, NULL, NULL, -1, "content filter" },
  { "openai", BYOK_ERROR_OVERLOADED, 503, NULL,
    "{\"error\":{\"message\":\"The engine is currently overloaded, please try again later\",\"type\":\"server_error\"}}",
    NULL, "3", 3, NULL },
  { "openai", BYOK_ERROR_SERVER, 500, NULL,
    "{\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\"}}",
    NULL, NULL, -1, "(500)" },
  /* Anthropic */
  { "anthropic", BYOK_ERROR_AUTH, 401, "anthropic/error-auth.json", NULL, NULL, NULL, -1, "byok-cli keys test anthropic" },
  { "anthropic", BYOK_ERROR_QUOTA, 400, "anthropic/error-credit.json", NULL, NULL, NULL, -1, "credit balance" },
  { "anthropic", BYOK_ERROR_RATE_LIMIT, 429, "anthropic/error-rate-limit.json", NULL, NULL, "12", 12, "12 seconds" },
  { "anthropic", BYOK_ERROR_NOT_FOUND, 404, "anthropic/error-not-found.json", NULL, "claude-sonnet-4-5", NULL, -1,
    "did you mean claude-sonnet-4-5-20250929?" },
  { "anthropic", BYOK_ERROR_CONTEXT_LENGTH, 400, "anthropic/error-prompt-too-long.json", NULL, NULL, NULL, -1, "prompt is too long" },
  { "anthropic", BYOK_ERROR_BAD_REQUEST, 400, NULL,
    "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"temperature: range: 0..1\"}}",
    NULL, NULL, -1, "temperature" },
  { "anthropic", BYOK_ERROR_CONTENT_FILTER, 400, NULL,
    "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Output blocked by content filtering policy\"}}",
    NULL, NULL, -1, "content filter" },
  { "anthropic", BYOK_ERROR_OVERLOADED, 529, "anthropic/error-overloaded.json", NULL, NULL, NULL, -1, "overloaded" },
  { "anthropic", BYOK_ERROR_SERVER, 500, NULL,
    "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}", NULL, NULL, -1, NULL },
  /* Gemini */
  { "gemini", BYOK_ERROR_AUTH, 400, "gemini/error-api-key-invalid.json", NULL, NULL, NULL, -1, "rejected the key (400)" },
  { "gemini", BYOK_ERROR_QUOTA, 403, NULL,
    "{\"error\":{\"code\":403,\"message\":\"This API method requires billing to be enabled.\",\"status\":\"PERMISSION_DENIED\","
    "\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"BILLING_DISABLED\","
    "\"domain\":\"googleapis.com\"}]}}", NULL, NULL, -1, "billing" },
  { "gemini", BYOK_ERROR_RATE_LIMIT, 429, "gemini/error-rate-limit.json", NULL, NULL, NULL, 33, "33 seconds" },
  { "gemini", BYOK_ERROR_NOT_FOUND, 404, "gemini/error-not-found.json", NULL, "gemini-2.5-flsh", NULL, -1,
    "did you mean gemini-2.5-flash?" },
  { "gemini", BYOK_ERROR_CONTEXT_LENGTH, 400, "gemini/error-context-length.json", NULL, NULL, NULL, -1, NULL },
  { "gemini", BYOK_ERROR_BAD_REQUEST, 400, NULL,
    "{\"error\":{\"code\":400,\"message\":\"Invalid value at 'generation_config.temperature' (TYPE_FLOAT), \\\"hot\\\"\","
    "\"status\":\"INVALID_ARGUMENT\"}}", NULL, NULL, -1, "generation_config.temperature" },
  { "gemini", BYOK_ERROR_CONTENT_FILTER, 200, "gemini/prompt-blocked.json", NULL, NULL, NULL, -1, "PROHIBITED_CONTENT" },
  { "gemini", BYOK_ERROR_OVERLOADED, 503, "gemini/error-overloaded.json", NULL, NULL, NULL, -1, "overloaded" },
  { "gemini", BYOK_ERROR_SERVER, 500, NULL,
    "{\"error\":{\"code\":500,\"message\":\"An internal error has occurred.\",\"status\":\"INTERNAL\"}}", NULL, NULL, -1, NULL },
};

/* A catalog of one keyless-in-this-test provider per dialect: no
 * environment variable is set for them and no keyring item has their id. */
static ByokCatalog *
no_key_catalog (const char *base_url)
{
  g_autoptr(GString) json = g_string_new ("{\"version\":1,\"providers\":[");
  g_autoptr(GError) error = NULL;
  ByokCatalog *catalog;

  for (guint i = 0; i < G_N_ELEMENTS (dialect_cases); i++)
    g_string_append_printf (json,
                            "%s{\"id\":\"byok-test-nokey-%s\",\"name\":\"No Key %s\",\"dialect\":\"%s\","
                            "\"base_url\":\"%s\",\"auth\":\"bearer\",\"env\":[\"BYOK_TEST_NO_SUCH_KEY_%u\"],"
                            "\"key_hint\":{\"description\":\"d\"},\"models_list\":\"openai\","
                            "\"key_check\":{\"method\":\"GET\",\"path\":\"/models\"},"
                            "\"models\":[{\"id\":\"m\",\"name\":\"M\",\"context_window\":1000,"
                            "\"capabilities\":[\"streaming\"]}]}",
                            i > 0 ? "," : "", dialect_cases[i].dialect, dialect_cases[i].dialect,
                            dialect_cases[i].dialect, base_url, i);
  g_string_append (json, "]}");
  catalog = byok_catalog_new_from_data (json->str, -1, &error);
  g_assert_no_error (error);
  return catalog;
}

static void
check_failure (ByokChatResult *result,
               ByokErrorCode   code,
               const char     *text_kept,
               guint32        *seen,
               const char     *what)
{
  if (result->error == NULL || result->error->domain != BYOK_ERROR || result->error->code != (int) code)
    g_error ("%s: %s (%s), expected %s", what,
             result->error != NULL ? byok_error_get_class (result->error) : "success",
             result->error != NULL ? result->error->message : "", byok_error_code_to_string (code));
  g_assert_cmpstr (result->text->str, ==, text_kept != NULL ? text_kept : "");
  g_assert_cmpint (result->finish_reason, ==,
                   code == BYOK_ERROR_CANCELLED ? BYOK_FINISH_CANCELLED : BYOK_FINISH_ERROR);
  g_assert_cmpuint (result->attempts->len, ==, 1);
  g_test_message ("%s → %s: %s", what, byok_error_get_class (result->error), result->error->message);
  *seen |= 1u << code;
}

/* Every error class the issue lists, through the real client, for one
 * dialect: HTTP errors as its provider sends them, HTML from a proxy,
 * invalid UTF-8 and truncated JSON, truncated streams, network failures,
 * timeouts, a cancel and a missing key. No retries: each case is one
 * attempt. */
static void
test_dialect_error_classes (Fixture       *f,
                            gconstpointer  data)
{
  const DialectCase *dc = data;
  const ByokErrorCode expected[] = {
    BYOK_ERROR_NO_KEY, BYOK_ERROR_AUTH, BYOK_ERROR_QUOTA, BYOK_ERROR_RATE_LIMIT, BYOK_ERROR_NOT_FOUND,
    BYOK_ERROR_CONTEXT_LENGTH, BYOK_ERROR_BAD_REQUEST, BYOK_ERROR_CONTENT_FILTER, BYOK_ERROR_OVERLOADED,
    BYOK_ERROR_SERVER, BYOK_ERROR_NETWORK, BYOK_ERROR_TIMEOUT, BYOK_ERROR_MALFORMED, BYOK_ERROR_CANCELLED,
  };
  ByokProvider *provider = byok_catalog_lookup_provider (f->catalog, dc->provider_id);
  g_autofree char *base = g_strdup (byok_provider_get_base_url (provider));
  guint32 seen = 0;

  byok_client_set_max_attempts (f->client, 1);

  /* HTTP errors, whole and streamed requests alike */
  for (guint i = 0; i < G_N_ELEMENTS (http_error_cases); i++)
    {
      const HttpErrorCase *c = &http_error_cases[i];
      g_autoptr(ByokChatResult) result = NULL;
      g_autofree char *what = NULL;
      g_autofree char *body = NULL;
      ByokTestReply *reply;

      if (!g_str_equal (c->dialect, dc->dialect))
        continue;
      if (c->fixture != NULL)
        {
          g_auto(GStrv) parts = g_strsplit (c->fixture, "/", 2);

          body = byok_test_read_fixture (parts[0], parts[1]);
        }
      reply = byok_test_reply_new_json (c->status, body != NULL ? body : c->body);
      if (c->retry_after != NULL)
        byok_test_reply_add_header (reply, "Retry-After", c->retry_after);
      byok_test_server_add_reply (f->server, "*", reply);
      result = run_dialect_chat (f, dc, c->model, i % 2 == 0, NULL);

      what = g_strdup_printf ("%s %u%s", dc->provider_id, c->status, c->fixture ? c->fixture : "");
      check_failure (result, c->code, NULL, &seen, what);
      g_assert_nonnull (strstr (result->error->message, byok_provider_get_name (provider)));
      if (c->says != NULL && strstr (result->error->message, c->says) == NULL)
        g_error ("%s: “%s” does not say “%s”", what, result->error->message, c->says);
      if (c->retry_after_s >= 0)
        {
          g_assert_cmpint (result->retry_after_us, ==, c->retry_after_s * G_USEC_PER_SEC);
          g_assert_cmpint (attempt_at (result, 0)->retry_after_us, ==, c->retry_after_s * G_USEC_PER_SEC);
        }
      else
        g_assert_cmpint (result->retry_after_us, ==, -1);
      g_assert_cmpuint (attempt_at (result, 0)->http_status, ==, c->status);
    }

  /* HTML from a proxy: a 200 captive portal (MALFORMED), a 502 from nginx
   * (SERVER); streamed or not. */
  for (guint stream = 0; stream < 2; stream++)
    {
      g_autofree char *portal = byok_test_read_fixture ("openai", "captive-portal.html");
      g_autofree char *nginx = byok_test_read_fixture ("openai", "nginx-502.html");
      g_autoptr(ByokChatResult) as_200 = NULL;
      g_autoptr(ByokChatResult) as_502 = NULL;

      byok_test_server_add_reply (f->server, "*", raw_reply (200, "text/html; charset=utf-8", portal));
      as_200 = run_dialect_chat (f, dc, NULL, stream, NULL);
      check_failure (as_200, BYOK_ERROR_MALFORMED, NULL, &seen, "HTML 200");
      g_assert_nonnull (strstr (as_200->error->message, "web page"));

      byok_test_server_add_reply (f->server, "*", raw_reply (502, "text/html", nginx));
      as_502 = run_dialect_chat (f, dc, NULL, stream, NULL);
      check_failure (as_502, BYOK_ERROR_SERVER, NULL, &seen, "HTML 502");
      g_assert_nonnull (strstr (as_502->error->message, "502 Bad Gateway"));
    }

  /* Whole answers: invalid UTF-8, JSON cut short */
  {
    g_autofree char *latin1 = dialect_whole_body (dc->dialect, "caf\xe9 cr\xe8me");
    g_autofree char *whole = dialect_whole_body (dc->dialect, "cut short");
    g_autoptr(ByokChatResult) bad_utf8 = NULL;
    g_autoptr(ByokChatResult) cut = NULL;

    byok_test_server_add_reply (f->server, "*", byok_test_reply_new_json (200, latin1));
    bad_utf8 = run_dialect_chat (f, dc, NULL, FALSE, NULL);
    check_failure (bad_utf8, BYOK_ERROR_MALFORMED, NULL, &seen, "whole, invalid UTF-8");
    g_assert_nonnull (strstr (bad_utf8->error->message, "UTF-8"));

    whole[strlen (whole) - 12] = '\0';
    byok_test_server_add_reply (f->server, "*", byok_test_reply_new_json (200, whole));
    cut = run_dialect_chat (f, dc, NULL, FALSE, NULL);
    check_failure (cut, BYOK_ERROR_MALFORMED, NULL, &seen, "whole, cut short");
    g_assert_nonnull (strstr (cut->error->message, "cut short"));
  }

  /* Streams: invalid UTF-8 after some text, a stream that stops early;
   * the text that arrived is kept. */
  {
    const char * const latin1[] = { "Hello", ", caf\xe9", NULL };
    const char * const half[] = { "Half an", " answer", NULL };
    g_autoptr(ByokChatResult) bad_utf8 = NULL;
    g_autoptr(ByokChatResult) truncated = NULL;

    byok_test_server_add_reply (f->server, "*", dialect_stream_reply (dc->dialect, latin1, FALSE));
    bad_utf8 = run_dialect_chat (f, dc, NULL, TRUE, NULL);
    check_failure (bad_utf8, BYOK_ERROR_MALFORMED, "Hello", &seen, "stream, invalid UTF-8");
    g_assert_cmpstr (f->text->str, ==, "Hello");

    byok_test_server_add_reply (f->server, "*", dialect_stream_reply (dc->dialect, half, TRUE));
    truncated = run_dialect_chat (f, dc, NULL, TRUE, NULL);
    check_failure (truncated, BYOK_ERROR_MALFORMED, "Half an answer", &seen, "stream, truncated");
    g_assert_nonnull (strstr (truncated->error->message, "stopped before it was complete"));
  }

  /* The network: nobody listens */
  {
    g_autofree char *url = closed_port_url ();
    g_autoptr(ByokChatResult) result = NULL;

    byok_provider_set_base_url (provider, url);
    result = run_dialect_chat (f, dc, NULL, TRUE, NULL);
    byok_provider_set_base_url (provider, base);
    check_failure (result, BYOK_ERROR_NETWORK, NULL, &seen, "refused");
    g_assert_cmpuint (attempt_at (result, 0)->http_status, ==, 0);
  }

  /* A stream that stalls after some text: TIMEOUT, text kept */
  {
    const char * const thinking[] = { "Thinking hard", NULL };
    ByokTestReply *held = dialect_stream_reply (dc->dialect, thinking, TRUE);
    g_autoptr(ByokChatResult) result = NULL;

    byok_test_reply_set_hold (held, TRUE);
    byok_test_server_add_reply (f->server, "*", held);
    byok_client_set_idle_timeout_ms (f->client, 300);
    result = run_dialect_chat (f, dc, NULL, TRUE, NULL);
    byok_client_set_idle_timeout_ms (f->client, byok_test_wait_limit (5000));
    check_failure (result, BYOK_ERROR_TIMEOUT, "Thinking hard", &seen, "stalled");
    byok_test_server_release_held (f->server);
  }

  /* Cancelled at the first text: what arrived is kept */
  {
    const char * const story[] = { "Once", " upon", " a time", NULL };
    ByokTestReply *slow = dialect_stream_reply (dc->dialect, story, FALSE);
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(ByokChatResult) result = NULL;

    byok_test_reply_set_delay_ms (slow, 0, 100);
    byok_test_server_add_reply (f->server, "*", slow);
    f->cancel_on_delta = g_object_ref (cancellable);
    result = run_dialect_chat (f, dc, NULL, TRUE, cancellable);
    g_clear_object (&f->cancel_on_delta);
    check_failure (result, BYOK_ERROR_CANCELLED, "Once", &seen, "cancelled");
    g_assert_cmpstr (f->text->str, ==, "Once");
  }

  /* No key anywhere */
  {
    g_autoptr(ByokCatalog) catalog = no_key_catalog (byok_test_server_get_url (f->server));
    g_autoptr(ByokClient) client = byok_client_new (catalog, f->keys);
    g_autoptr(ByokChatRequest) request = byok_chat_request_new_simple ("m", NULL, "Hi");
    g_autoptr(GAsyncResult) async = NULL;
    g_autoptr(ByokChatResult) result = NULL;
    g_autofree char *id = g_strdup_printf ("byok-test-nokey-%s", dc->dialect);
    guint n_requests = byok_test_server_get_n_requests (f->server);

    g_autoptr(ByokChatCall) call = byok_client_new_chat (client, request, id, NULL, NULL);

    byok_chat_call_run_async (call, NULL, byok_test_store_result, &async);
    result = byok_chat_call_run_finish (call, byok_test_wait_result (&async));
    check_failure (result, BYOK_ERROR_NO_KEY, NULL, &seen, "no key");
    g_assert_nonnull (strstr (result->error->message, "BYOK_TEST_NO_SUCH_KEY_"));
    g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, n_requests);
  }

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    if (!(seen & (1u << expected[i])))
      g_error ("%s: no case gave %s", dc->dialect, byok_error_code_to_string (expected[i]));
}

/* A 429 (or 529) that asks for a wait: the retry comes after it, and
 * answers. */
static void
test_dialect_retry_after (Fixture       *f,
                          gconstpointer  data)
{
  const DialectCase *dc = data;
  const char * const texts[] = { "Waited, ", "then answered.", NULL };
  g_autoptr(ByokChatResult) result = NULL;
  ByokTestReply *limited;
  gint64 start;

  if (g_str_equal (dc->dialect, "gemini"))
    /* Gemini puts the wait in the body only. */
    limited = byok_test_reply_new_json (429,
      "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted (e.g. check quota).\","
      "\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\","
      "\"retryDelay\":\"1s\"}]}}");
  else if (g_str_equal (dc->dialect, "anthropic"))
    {
      g_autofree char *body = byok_test_read_fixture ("anthropic", "error-overloaded.json");

      limited = byok_test_reply_new_json (529, body);
      byok_test_reply_add_header (limited, "retry-after", "1");
    }
  else
    {
      /* An HTTP date, relative to now (no Date header): 1 to 2 s away. */
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 2);
      g_autofree char *when = g_date_time_format (later, "%a, %d %b %Y %H:%M:%S GMT");
      g_autofree char *body = byok_test_read_fixture ("openai", "error-rate-limit.json");

      limited = byok_test_reply_new_json (429, body);
      byok_test_reply_add_header (limited, "Retry-After", when);
    }
  byok_test_server_add_reply (f->server, "*", limited);
  byok_test_server_add_reply (f->server, "*", dialect_stream_reply (dc->dialect, texts, FALSE));

  start = g_get_monotonic_time ();
  result = run_dialect_chat (f, dc, NULL, TRUE, NULL);

  g_assert_no_error (result->error);
  g_assert_cmpstr (result->text->str, ==, "Waited, then answered.");
  g_assert_cmpuint (result->attempts->len, ==, 2);
  g_assert_true (attempt_at (result, 1)->is_retry);
  g_assert_cmpint (attempt_at (result, 0)->retry_after_us, >, 0);
  /* The backoff of this fixture is 5 ms: only the provider's wait explains
   * a second's pause. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 900 * 1000);
  g_assert_cmpint (result->retry_after_us, ==, -1);
}

/* The chain moves on: this dialect's provider is overloaded, the next one
 * rejects its key, the third answers. */
static void
test_dialect_fallback (Fixture       *f,
                       gconstpointer  data)
{
  const DialectCase *dc = data;
  guint first = (guint) (dc - dialect_cases);
  const DialectCase *second = &dialect_cases[(first + 1) % G_N_ELEMENTS (dialect_cases)];
  const DialectCase *third = &dialect_cases[(first + 2) % G_N_ELEMENTS (dialect_cases)];
  const char * const texts[] = { "Answered ", "by the third.", NULL };
  g_autofree char *second_pair = g_strdup_printf ("%s/%s", second->provider_id, second->model);
  g_autofree char *third_slash = g_strdup_printf ("%s/%s", third->provider_id, third->model);
  const char *fallbacks[] = { second_pair, third_slash, NULL };
  g_autoptr(ByokChatRequest) request = byok_chat_request_new_simple (dc->model, NULL, "Hi");
  g_autoptr(ByokChatResult) result = NULL;

  byok_client_set_max_attempts (f->client, 1);
  byok_test_server_add_reply (f->server, "*", byok_test_reply_new_json (503,
    "{\"error\":{\"code\":503,\"message\":\"overloaded\",\"status\":\"UNAVAILABLE\",\"type\":\"overloaded_error\"}}"));
  byok_test_server_add_reply (f->server, "*", byok_test_reply_new_json (401,
    "{\"error\":{\"code\":401,\"message\":\"bad key\",\"type\":\"authentication_error\",\"status\":\"UNAUTHENTICATED\"}}"));
  byok_test_server_add_reply (f->server, "*", dialect_stream_reply (third->dialect, texts, FALSE));
  result = run_chat_full (f, request, dc->provider_id, fallbacks, NULL);

  g_assert_no_error (result->error);
  g_assert_cmpstr (result->provider_id, ==, third->provider_id);
  g_assert_cmpstr (result->model, ==, third->model);
  g_assert_cmpstr (result->text->str, ==, "Answered by the third.");
  g_assert_cmpuint (result->attempts->len, ==, 3);
  g_assert_cmpstr (attempt_at (result, 0)->provider_id, ==, dc->provider_id);
  g_assert_error (attempt_at (result, 0)->error, BYOK_ERROR, BYOK_ERROR_OVERLOADED);
  g_assert_false (attempt_at (result, 0)->is_fallback);
  g_assert_cmpstr (attempt_at (result, 1)->provider_id, ==, second->provider_id);
  g_assert_error (attempt_at (result, 1)->error, BYOK_ERROR, BYOK_ERROR_AUTH);
  g_assert_true (attempt_at (result, 1)->is_fallback);
  g_assert_cmpstr (attempt_at (result, 2)->provider_id, ==, third->provider_id);
  g_assert_true (attempt_at (result, 2)->is_fallback);
  g_assert_no_error (attempt_at (result, 2)->error);
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 3);
}

#define TEN_MB (10 * 1024 * 1024)

/* About @size bytes of text without JSON escapes, in pieces of whole
 * characters (ASCII, accents, CJK, an emoji). */
static GPtrArray *
big_text_pieces (gsize    size,
                 GString *all)
{
  static const char pattern[] = "Byok streams ça, 漢字 and 🇫🇷 — piece %06u of a very long answer. ";
  GPtrArray *pieces = g_ptr_array_new_with_free_func (g_free);
  guint n = 0;

  while (all->len < size)
    {
      GString *piece = g_string_new (NULL);

      while (piece->len < 1000)
        g_string_append_printf (piece, pattern, n++);
      g_string_append (all, piece->str);
      g_ptr_array_add (pieces, g_string_free (piece, FALSE));
    }
  return pieces;
}

/* A 10 MB answer, whole (one JSON string of 10 MB) and streamed (10,000
 * events of 1 kB): the text is exactly right. */
static void
test_dialect_ten_mb (Fixture       *f,
                     gconstpointer  data)
{
  const DialectCase *dc = data;
  g_autoptr(GString) all = g_string_new (NULL);
  g_autoptr(GPtrArray) pieces = big_text_pieces (TEN_MB, all);
  g_autofree char *whole = dialect_whole_body (dc->dialect, all->str);
  g_autoptr(ByokChatResult) result = NULL;
  g_autoptr(ByokChatResult) streamed = NULL;
  ByokTestReply *reply;

  byok_test_server_add_reply (f->server, "*", byok_test_reply_new_json (200, whole));
  result = run_dialect_chat (f, dc, NULL, FALSE, NULL);
  g_assert_no_error (result->error);
  g_assert_cmpuint (result->text->len, ==, all->len);
  g_assert_true (g_str_equal (result->text->str, all->str));
  g_assert_true (g_str_equal (f->text->str, all->str));
  g_assert_cmpint (result->usage.output_tokens, ==, 7);

  g_ptr_array_add (pieces, NULL);
  reply = dialect_stream_reply (dc->dialect, (const char * const *) pieces->pdata, FALSE);
  byok_test_server_add_reply (f->server, "*", reply);
  streamed = run_dialect_chat (f, dc, NULL, TRUE, NULL);
  g_assert_no_error (streamed->error);
  g_assert_cmpuint (streamed->text->len, ==, all->len);
  g_assert_true (g_str_equal (streamed->text->str, all->str));
  g_assert_true (g_str_equal (f->text->str, all->str));
  g_assert_cmpuint (f->n_deltas, ==, pieces->len - 1);
  g_assert_cmpint (streamed->finish_reason, ==, BYOK_FINISH_STOP);
  g_assert_cmpint (streamed->usage.input_tokens, ==, 5);
  g_assert_cmpint (streamed->usage.output_tokens, ==, 7);
}

/* ---- hostile answers, per dialect ---------------------------------------- */

static void
assert_malformed_saying (ByokChatResult *result,
                         const char     *text_kept,
                         const char     *says)
{
  g_assert_error (result->error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  if (strstr (result->error->message, says) == NULL)
    g_error ("“%s” does not say “%s”", result->error->message, says);
  g_assert_cmpstr (result->text->str, ==, text_kept);
  g_assert_cmpint (result->finish_reason, ==, BYOK_FINISH_ERROR);
}

/* JSON nested 100,000 deep — one event of a stream, a whole answer, an
 * error body — used to overflow the stack inside json-glib. Each is
 * refused before json-glib reads it: MALFORMED, the text so far kept, or
 * the HTTP status classified. */
static void
test_dialect_nesting (Fixture       *f,
                      gconstpointer  data)
{
  const DialectCase *dc = data;
  const char * const texts[] = { "Before ", "the deep event.", NULL };
  const char * const none[] = { NULL };
  g_autofree char *deep = byok_test_deep_json (100000);
  g_autofree char *deep_event = g_strdup_printf ("data: %s\n\n", deep);
  g_autofree char *deep_error = g_strdup_printf ("{\"error\":{\"message\":\"deep\",\"type\":\"server_error\","
                                                 "\"code\":500,\"status\":\"INTERNAL\",\"details\":%s}}", deep);
  g_autoptr(ByokChatResult) midway = NULL;
  g_autoptr(ByokChatResult) first = NULL;
  g_autoptr(ByokChatResult) whole = NULL;

  byok_client_set_max_attempts (f->client, 1);

  /* After text: the text is kept. */
  byok_test_server_add_reply (f->server, "*", stream_reply_full (dc->dialect, NULL, NULL, texts, deep_event, FALSE, 0));
  midway = run_dialect_chat (f, dc, NULL, TRUE, NULL);
  assert_malformed_saying (midway, "Before the deep event.", "nested more than 256 levels");
  g_assert_cmpstr (f->text->str, ==, "Before the deep event.");

  /* The first event. */
  byok_test_server_add_reply (f->server, "*", stream_reply_full (dc->dialect, NULL, deep_event, none, NULL, FALSE, 0));
  first = run_dialect_chat (f, dc, NULL, TRUE, NULL);
  assert_malformed_saying (first, "", "nested more than 256 levels");

  /* A whole answer. */
  byok_test_server_add_reply (f->server, "*", byok_test_reply_new_json (200, deep));
  whole = run_dialect_chat (f, dc, NULL, FALSE, NULL);
  assert_malformed_saying (whole, "", "nested more than 256 levels");

  /* Error bodies, whole and streamed requests: the status decides. */
  for (guint stream = 0; stream < 2; stream++)
    {
      g_autoptr(ByokChatResult) bad_request = NULL;
      g_autoptr(ByokChatResult) server = NULL;

      byok_test_server_add_reply (f->server, "*", byok_test_reply_new_json (400, deep));
      bad_request = run_dialect_chat (f, dc, NULL, stream, NULL);
      g_assert_error (bad_request->error, BYOK_ERROR, BYOK_ERROR_BAD_REQUEST);

      byok_test_server_add_reply (f->server, "*", byok_test_reply_new_json (500, deep_error));
      server = run_dialect_chat (f, dc, NULL, stream, NULL);
      g_assert_error (server->error, BYOK_ERROR, BYOK_ERROR_SERVER);
    }
}

/* Events whose data is empty — a bare "data" line, "data:", "data: " —
 * are no messages: the answer streams on around them, even cut into
 * single bytes. */
static void
test_dialect_empty_events (Fixture       *f,
                           gconstpointer  data)
{
  const DialectCase *dc = data;
  const char *empties = "data\n\ndata:\n\ndata: \n\nevent: ping\ndata:\n\ndata:\ndata:\n\n";
  const char * const texts[] = { "Keep-alives ", "are not ", "answers.", NULL };
  g_autoptr(ByokChatResult) result = NULL;

  byok_test_server_add_reply (f->server, "*", stream_reply_full (dc->dialect, empties, NULL, texts, NULL, FALSE, 1));
  byok_client_set_max_attempts (f->client, 1);
  result = run_dialect_chat (f, dc, NULL, TRUE, NULL);
  g_assert_no_error (result->error);
  g_assert_cmpstr (result->text->str, ==, "Keep-alives are not answers.");
  g_assert_cmpstr (f->text->str, ==, "Keep-alives are not answers.");
  g_assert_cmpint (result->finish_reason, ==, BYOK_FINISH_STOP);
  g_assert_cmpint (result->usage.output_tokens, ==, 7);
}

/* A server that streams without end: past BYOK_DIALECT_MAX_ANSWER_BYTES
 * (the real 64 MiB) of text the answer fails as MALFORMED, and what
 * arrived is kept. */
static void
test_dialect_answer_cap (Fixture       *f,
                         gconstpointer  data)
{
  const DialectCase *dc = data;
  const gsize piece_len = 1024 * 1024;
  const guint n_pieces = BYOK_DIALECT_MAX_ANSWER_BYTES / piece_len + 4;
  g_autofree char *piece = g_malloc (piece_len + 1);
  g_autofree const char **pieces = g_new0 (const char *, n_pieces + 1);
  g_autoptr(ByokChatResult) result = NULL;

  memset (piece, 'a', piece_len);
  piece[piece_len] = '\0';
  for (guint i = 0; i < n_pieces; i++)
    pieces[i] = piece;
  byok_test_server_add_reply (f->server, "*", stream_reply_full (dc->dialect, NULL, NULL, pieces, NULL, FALSE, 0));

  byok_client_set_max_attempts (f->client, 1);
  result = run_dialect_chat (f, dc, NULL, TRUE, NULL);
  g_assert_error (result->error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_assert_nonnull (strstr (result->error->message, "exceeded 64 MiB"));
  g_assert_nonnull (strstr (result->error->message, "What arrived is kept"));
  /* Every piece up to the one that crossed the cap, and no more. */
  g_assert_cmpuint (result->text->len, ==, (BYOK_DIALECT_MAX_ANSWER_BYTES / piece_len + 1) * piece_len);
  g_assert_cmpuint (f->text->len, ==, result->text->len);
  g_assert_cmpint (result->finish_reason, ==, BYOK_FINISH_ERROR);
}

/* ---- usage in every shape, through the client ---------------------------- */

typedef struct {
  const char *provider_id;
  const char *model;
  const char *fixture;      /* "dialect/file" */
  gboolean    stream;
  gint64      input, cached, cache_write, output, reasoning;
  const char *reasoning_text;  /* NULL: not checked */
} UsageCase;

static void
test_usage_shapes (Fixture       *f,
                   gconstpointer  data)
{
  const UsageCase cases[] = {
    /* OpenAI: the include_usage chunk after the finish chunk */
    { "openai", "o4-mini", "openai/openai-stream.sse", TRUE, 1234, 1024, 0, 89, 64, NULL },
    /* DeepSeek: on the finish chunk, cache hits as prompt_cache_hit_tokens */
    { "deepseek", "deepseek-reasoner", "openai/deepseek-stream.sse", TRUE, 20, 16, 0, 120, 95,
      "9.11 and 9.8: compare 0.80 with 0.11." },
    /* Moonshot: inside choices[0].usage */
    { "moonshot", "kimi-k2-0905-preview", "openai/moonshot-stream.sse", TRUE, 19, 10, 0, 13, 0, NULL },
    /* Groq: x_groq.usage, then the same report again: not summed */
    { "groq", "llama-3.3-70b-versatile", "openai/groq-stream.sse", TRUE, 40, 0, 0, 12, 0, NULL },
    /* Zhipu: on the finish chunk, reasoning_content */
    { "zhipu", "glm-4.5", "openai/zhipu-stream.sse", TRUE, 8, 2, 0, 30, 0, "用户在打招呼。" },
    /* OpenRouter: cache writes, reasoning */
    { "openrouter", "anthropic/claude-sonnet-4", "openai/openrouter-stream.sse", TRUE, 2100, 0, 2048, 60, 40,
      "Let me think briefly." },
    /* Whole answers */
    { "openai", "gpt-4o-mini", "openai/openai-response.json", FALSE, 19, 0, 0, 10, 0, "" },
    { "deepseek", "deepseek-reasoner", "openai/deepseek-response.json", FALSE, 64, 64, 0, 30, 20, "Six times seven." },
    /* Anthropic: message_start + cumulative message_delta; the cache
     * counts added to input */
    { "anthropic", "claude-sonnet-4-20250514", "anthropic/stream-thinking.sse", TRUE, 4512, 3000, 1500, 42, 0,
      "The user asks for 2+2. That is 4." },
    { "anthropic", "claude-sonnet-4-20250514", "anthropic/stream-max-tokens.sse", TRUE, 10, 0, 0, 5, 0, NULL },
    { "anthropic", "claude-sonnet-4-20250514", "anthropic/response.json", FALSE, 420, 300, 20, 50, 0,
      "Short question, short answer." },
    /* Gemini: cumulative usageMetadata, thoughts added to output, cached */
    { "gemini", "gemini-2.5-flash", "gemini/stream-thoughts.sse", TRUE, 10, 4, 0, 59, 50,
      "**Recalling capitals**\n\nThe user wants the capital of France." },
    { "gemini", "gemini-2.5-flash", "gemini/stream-safety.sse", TRUE, 8, 0, 0, 1, 0, NULL },
    { "gemini", "gemini-2.5-pro", "gemini/response.json", FALSE, 7, 0, 0, 23, 20, "Thinking about greetings." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const UsageCase *c = &cases[i];
      g_auto(GStrv) parts = g_strsplit (c->fixture, "/", 2);
      g_autoptr(ByokChatResult) result = NULL;

      if (c->stream)
        byok_test_server_add_reply (f->server, "*", byok_test_reply_new_sse_fixture (parts[0], parts[1], 5));
      else
        byok_test_server_add_reply (f->server, "*", json_fixture_reply (200, parts[0], parts[1]));
      g_string_truncate (f->reasoning, 0);
      result = run_chat (f, c->provider_id, c->model, c->stream);

      g_test_message ("%s %s", c->provider_id, c->fixture);
      g_assert_no_error (result->error);
      g_assert_true (result->usage.reported);
      g_assert_cmpint (result->usage.input_tokens, ==, c->input);
      g_assert_cmpint (result->usage.cached_input_tokens, ==, c->cached);
      g_assert_cmpint (result->usage.cache_write_tokens, ==, c->cache_write);
      g_assert_cmpint (result->usage.output_tokens, ==, c->output);
      g_assert_cmpint (result->usage.reasoning_tokens, ==, c->reasoning);
      g_assert_true (byok_usage_equal (&attempt_at (result, 0)->usage, &result->usage));
      if (c->reasoning_text != NULL)
        {
          g_assert_cmpstr (result->reasoning->str, ==, c->reasoning_text);
          g_assert_cmpstr (f->reasoning->str, ==, c->reasoning_text);
        }
    }
}

/* ---- models -------------------------------------------------------------- */

static GPtrArray *
run_list_models (Fixture     *f,
                 const char  *provider_id,
                 GError     **error)
{
  g_autoptr(GAsyncResult) async = NULL;

  byok_client_list_models_async (f->client, provider_id, NULL, byok_test_store_result, &async);
  return byok_client_list_models_finish (f->client, byok_test_wait_result (&async), error);
}

static gboolean
models_have (GPtrArray  *models,
             const char *id)
{
  for (guint i = 0; i < models->len; i++)
    if (g_strcmp0 (byok_model_get_id (g_ptr_array_index (models, i)), id) == 0)
      return TRUE;
  return FALSE;
}

/* A listing in two pages, @first and @second, read with @provider_id's key:
 * the models, and the request for the second page in @next */
static GPtrArray *
list_two_pages (Fixture          *f,
                const char       *provider_id,
                const char       *key_header,
                const char       *key,
                const char       *endpoint,
                const char       *first,
                const char       *second,
                ByokTestRequest **next)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *models;

  byok_test_server_require_key (f->server, key_header, key);
  byok_test_server_add_reply (f->server, endpoint, byok_test_reply_new_json (200, first));
  byok_test_server_add_reply (f->server, endpoint, byok_test_reply_new_json (200, second));
  models = run_list_models (f, provider_id, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 2);
  *next = byok_test_server_get_request (f->server, 1);
  return models;
}

static void
test_models_anthropic_pages (Fixture       *f,
                             gconstpointer  data)
{
  ByokTestRequest *second;
  g_autoptr(GPtrArray) models = list_two_pages (f, "anthropic", "x-api-key", ANTHROPIC_KEY, "/v1/models",
    "{\"data\": [{\"type\": \"model\", \"id\": \"claude-sonnet-4-5-20250929\", \"display_name\": \"Claude Sonnet 4.5\"},"
    " {\"type\": \"model\", \"id\": \"claude-test-new-1\"}], \"has_more\": true,"
    " \"first_id\": \"claude-sonnet-4-5-20250929\", \"last_id\": \"claude-test-new-1\"}",
    "{\"data\": [{\"type\": \"model\", \"id\": \"claude-test-new-2\"}], \"has_more\": false,"
    " \"first_id\": \"claude-test-new-2\", \"last_id\": \"claude-test-new-2\"}",
    &second);

  g_assert_true (models_have (models, "claude-test-new-1"));
  g_assert_true (models_have (models, "claude-test-new-2"));
  g_assert_true (models_have (models, "claude-sonnet-4-5-20250929"));
  g_assert_true (byok_model_is_listed (byok_catalog_lookup_model (f->catalog, "anthropic", "claude-test-new-2")));
  g_assert_nonnull (strstr (second->query, "after_id=claude-test-new-1"));
  g_assert_cmpstr (soup_message_headers_get_one (second->headers, "anthropic-version"), ==, "2026-10-21");
}

static void
test_models_gemini_pages (Fixture       *f,
                          gconstpointer  data)
{
  ByokTestRequest *second;
  g_autoptr(GPtrArray) models = list_two_pages (f, "gemini", "x-goog-api-key", GEMINI_KEY, "/v1beta/models",
    "{\"models\": [{\"name\": \"models/gemini-2.5-flash\", \"supportedGenerationMethods\": [\"generateContent\", \"countTokens\"]},"
    " {\"name\": \"models/text-embedding-004\", \"supportedGenerationMethods\": [\"embedContent\"]}],"
    " \"nextPageToken\": \"page+2/x\"}",
    "{\"models\": [{\"name\": \"models/gemini-test-new\", \"supportedGenerationMethods\": [\"generateContent\"]}]}",
    &second);

  g_assert_true (models_have (models, "gemini-test-new"));
  g_assert_false (models_have (models, "text-embedding-004"));
  g_assert_false (models_have (models, "models/gemini-test-new"));
  g_assert_nonnull (strstr (second->query, "pageToken=page%2B2%2Fx"));
}

static void
test_models_openai_and_catalog_only (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GPtrArray) zhipu = NULL;
  g_autoptr(GError) error = NULL;

  byok_test_server_add_reply (f->server, "/moonshot/v1/models", byok_test_reply_new_json (200,
    "{\"object\": \"list\", \"data\": [{\"id\": \"kimi-k2-0905-preview\", \"object\": \"model\"},"
    " {\"id\": \"kimi-test-new\", \"object\": \"model\"}]}"));
  models = run_list_models (f, "moonshot", &error);
  g_assert_no_error (error);
  g_assert_true (models_have (models, "kimi-test-new"));
  g_assert_true (models_have (models, "kimi-k2-0905-preview"));

  /* Zhipu has no listing: the catalog's models, and no request. */
  zhipu = run_list_models (f, "zhipu", &error);
  g_assert_no_error (error);
  g_assert_true (models_have (zhipu, "glm-4.5-air"));
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 1);
}

static void
test_models_rejected (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;

  byok_test_server_require_key (f->server, "Authorization", "Bearer sk-test-fake-another-key-000");
  models = run_list_models (f, "openai", &error);
  g_assert_null (models);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_AUTH);
  assert_no_key_in (error->message);
}

/* A listing nested 100,000 deep is refused before json-glib reads it. */
static void
test_models_nested (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *deep = byok_test_deep_json (100000);
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;

  byok_test_server_add_reply (f->server, "/moonshot/v1/models", byok_test_reply_new_json (200, deep));
  models = run_list_models (f, "moonshot", &error);
  g_assert_null (models);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "nested more than 256 levels"));
}

/* ---- key checks ---------------------------------------------------------- */

static gboolean
run_check_key (Fixture     *f,
               const char  *provider_id,
               const char  *key,
               int         *n_models,
               GError     **error)
{
  g_autoptr(GAsyncResult) async = NULL;

  byok_client_check_key_async (f->client, provider_id, NULL, key, NULL, byok_test_store_result, &async);
  return byok_client_check_key_finish (f->client, byok_test_wait_result (&async), n_models, error);
}

static void
test_check_key_ok (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GString) list = g_string_new ("{\"object\": \"list\", \"data\": [");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  int n_models = 0;

  for (int i = 0; i < 42; i++)
    g_string_append_printf (list, "%s{\"id\": \"test-model-%d\", \"object\": \"model\"}", i ? ", " : "", i);
  g_string_append (list, "]}");
  byok_test_server_require_key (f->server, "Authorization", "Bearer sk-test-fake-explicit-0007");
  byok_test_server_add_reply (f->server, "/v1/models", byok_test_reply_new_json (200, list->str));

  g_assert_true (run_check_key (f, "openai", "sk-test-fake-explicit-0007", &n_models, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_models, ==, 42);
  text = byok_client_describe_key_check (n_models);
  g_assert_cmpstr (text, ==, "Key works — 42 models");
  g_assert_cmpuint (f->events->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->events, 0), ==, "openai tested OK");
}

static void
test_check_key_rejected (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  int n_models = 0;

  byok_test_server_require_key (f->server, "Authorization", "Bearer sk-test-fake-the-right-one");
  g_assert_false (run_check_key (f, "moonshot", NULL, &n_models, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_AUTH);
  g_assert_cmpint (n_models, ==, -1);
  assert_no_key_in (error->message);
  g_assert_cmpstr (soup_message_headers_get_one (byok_test_server_get_last_request (f->server)->headers,
                                                 "Authorization"), ==, "Bearer " MOONSHOT_KEY);
  g_assert_cmpuint (f->events->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->events, 0), ==, "moonshot tested AUTH");
}

static void
test_check_key_one_token_chat (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  ByokTestRequest *req;
  int n_models = 0;

  byok_test_server_add_reply (f->server, "/zhipu/v4/chat/completions",
                              json_fixture_reply (200, "openai", "openai-response.json"));
  g_assert_true (run_check_key (f, "zhipu", NULL, &n_models, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_models, ==, -1);
  req = byok_test_server_get_last_request (f->server);
  g_assert_cmpstr (req->method, ==, "POST");
  g_assert_nonnull (strstr (g_bytes_get_data (req->body, NULL), "glm-4.5-air"));
  g_assert_cmpstr (soup_message_headers_get_one (req->headers, "Authorization"), ==, "Bearer " ZHIPU_KEY);
}

static void
test_check_key_no_key (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (run_check_key (f, "xai", NULL, NULL, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_NO_KEY);
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 0);
}

/* Opened ahead (byok_client_preconnect(), as when the person starts
 * typing), the connection is the one the call then takes: the server sees
 * it before any request, and no other. */
static void
test_preconnect_reused (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(ByokChatResult) result = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  byok_test_server_require_key (f->server, "Authorization", "Bearer " OPENAI_KEY);
  byok_test_server_add_reply (f->server, "/v1/chat/completions",
                              byok_test_reply_new_sse_fixture ("openai", "openai-stream.sse", 64));

  /* Nothing for a provider the catalog does not know. */
  byok_client_preconnect (f->client, "no-such-provider");

  byok_client_preconnect (f->client, "openai");
  while (byok_test_server_get_n_connections (f->server) == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (byok_test_server_get_n_connections (f->server), ==, 1);
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 0);

  /* Asked again while that one waits: no second. */
  byok_client_preconnect (f->client, "openai");
  settle ();

  result = run_chat (f, "openai", "o4-mini", TRUE);
  g_assert_no_error (result->error);
  g_assert_cmpstr (result->text->str, ==, "The capital of France is Paris — ça va.");
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 1);
  g_assert_cmpuint (byok_test_server_get_n_connections (f->server), ==, 1);
}

/* A connection the server closes after reading a chat request, before a
 * byte of the answer (as a server does that drops an idle kept-alive
 * connection just as a request arrives on it). The request may have been
 * acted on, so it may not go out again behind Byok's back: the server sees
 * it exactly as often as the call records attempts. libsoup re-sends a
 * request on a connection found closed only for idempotent methods; the
 * call after a preconnect flags its POST idempotent so that it may take
 * the connection opened ahead, which is the one closed here. Byok's own
 * resend on a new connection (test_preconnect_closed()) is only for a
 * request that failed before it went out whole, which this one did not. */
static void
test_unanswered_sent_once (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(ByokChatResult) result = NULL;
  ByokTestReply *unanswered = byok_test_reply_new_unanswered ();
  gint64 deadline = g_get_monotonic_time () + byok_test_wait_limit (10) * G_USEC_PER_SEC;

  byok_client_preconnect (f->client, "openai");
  while (byok_test_server_get_n_connections (f->server) == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (byok_test_server_get_n_connections (f->server), ==, 1);

  byok_test_reply_set_repeat (unanswered, TRUE);
  byok_test_server_add_reply (f->server, "/v1/chat/completions", unanswered);
  byok_client_set_max_attempts (f->client, 2);
  result = run_chat (f, "openai", "o4-mini", TRUE);
  g_assert_error (result->error, BYOK_ERROR, BYOK_ERROR_NETWORK);
  g_assert_cmpuint (result->attempts->len, ==, 2);
  /* Each attempt went out once: the first on the connection opened ahead,
   * the retry (an attempt Byok made and recorded) on a new one */
  g_assert_cmpuint (byok_test_server_count_path (f->server, "/v1/chat/completions"), ==, 2);
  g_assert_cmpuint (byok_test_server_get_n_connections (f->server), ==, 2);
}

static void
reset_on_start (SoupMessage    *msg,
                ByokTestServer *server)
{
  g_signal_handlers_disconnect_by_func (msg, reset_on_start, server);
  byok_test_server_reset_connections (server);
}

static void
reset_first_request (SoupSession    *session,
                     SoupMessage    *msg,
                     ByokTestServer *server)
{
  g_signal_handlers_disconnect_by_func (session, reset_first_request, server);
  g_signal_connect (msg, "starting", G_CALLBACK (reset_on_start), server);
}

static void
count_retry (ByokChatCall *call,
             gpointer      notice,
             guint        *n)
{
  (*n)++;
}

/* The server drops the connection opened ahead just as the call sends on
 * it (as servers drop idle connections): the request goes again at once
 * on a new connection, as the same attempt, with no wait and no retry
 * said; the provider sees it once. */
static void
test_preconnect_closed (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(ByokChatRequest) request = byok_chat_request_new_simple ("o4-mini", "Be brief.", "Hello");
  g_autoptr(ByokChatCall) call = NULL;
  g_autoptr(GAsyncResult) async = NULL;
  g_autoptr(ByokChatResult) result = NULL;
  SoupSession *session = byok_client_get_session (f->client);
  gint64 deadline = g_get_monotonic_time () + byok_test_wait_limit (10) * G_USEC_PER_SEC;
  guint n_retries = 0;

  byok_test_server_require_key (f->server, "Authorization", "Bearer " OPENAI_KEY);
  byok_test_server_add_reply (f->server, "/v1/chat/completions",
                              byok_test_reply_new_sse_fixture ("openai", "openai-stream.sse", 64));
  byok_client_preconnect (f->client, "openai");
  while (byok_test_server_get_n_connections (f->server) == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (byok_test_server_get_n_connections (f->server), ==, 1);

  g_signal_connect (session, "request-queued", G_CALLBACK (reset_first_request), f->server);
  request->stream = TRUE;
  call = byok_client_new_chat (f->client, request, "openai", NULL, NULL);
  g_signal_connect (call, "retrying", G_CALLBACK (count_retry), &n_retries);
  byok_chat_call_run_async (call, NULL, byok_test_store_result, &async);
  result = byok_chat_call_run_finish (call, byok_test_wait_result (&async));

  g_assert_no_error (result->error);
  g_assert_cmpstr (result->text->str, ==, "The capital of France is Paris — ça va.");
  g_assert_cmpuint (n_retries, ==, 0);
  g_assert_cmpuint (result->attempts->len, ==, 1);
  g_assert_no_error (attempt_at (result, 0)->error);
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 1);
  g_assert_cmpuint (byok_test_server_get_n_connections (f->server), ==, 2);
  g_assert_nonnull (strstr (log_text->str, "closed under the request"));
}

/* ---- keep-alive ------------------------------------------------------------ */

/* One connection serves call after call, however each answer ended: an
 * event stream closed by `[DONE]` (the rest drained), a whole body read to
 * its end, an event stream read to its end (Gemini's); and a connection
 * asked for ahead after them is that one. The calls are held, as the chat
 * page holds an answer's call: the connection goes back when the answer
 * ends, not when the caller lets go. */
static void
test_keepalive_chats (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(ByokChatResult) streamed = NULL;
  g_autoptr(ByokChatResult) whole = NULL;
  g_autoptr(ByokChatResult) gemini = NULL;
  g_autoptr(ByokChatResult) again = NULL;

  f->keep_calls = TRUE;
  byok_test_server_add_reply (f->server, "/v1/chat/completions",
                              byok_test_reply_new_sse_fixture ("openai", "openai-stream.sse", 64));
  byok_test_server_add_reply (f->server, "/v1/chat/completions",
                              json_fixture_reply (200, "openai", "openai-response.json"));
  byok_test_server_add_reply (f->server, "/v1beta/models/gemini-2.5-flash:streamGenerateContent",
                              byok_test_reply_new_sse_fixture ("gemini", "stream-thoughts.sse", 64));
  byok_test_server_add_reply (f->server, "/v1/chat/completions",
                              byok_test_reply_new_sse_fixture ("openai", "openai-stream.sse", 64));

  streamed = run_chat (f, "openai", "o4-mini", TRUE);
  g_assert_no_error (streamed->error);
  settle ();
  whole = run_chat (f, "openai", "gpt-4o-mini", FALSE);
  g_assert_no_error (whole->error);
  gemini = run_chat (f, "gemini", "gemini-2.5-flash", TRUE);
  g_assert_no_error (gemini->error);
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 3);
  g_assert_cmpuint (byok_test_server_get_n_connections (f->server), ==, 1);

  /* Asked for ahead (the person types the next message): the idle one. */
  byok_client_preconnect (f->client, "openai");
  settle ();
  g_assert_cmpuint (byok_test_server_get_n_connections (f->server), ==, 1);
  again = run_chat (f, "openai", "o4-mini", TRUE);
  g_assert_no_error (again->error);
  g_assert_cmpstr (again->text->str, ==, "The capital of France is Paris — ça va.");
  settle ();
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 4);
  g_assert_cmpuint (byok_test_server_get_n_connections (f->server), ==, 1);
}

/* Model listings (every page), a balance, a key check and an error's body
 * read whole leave the connection for the next request: a chat then takes
 * it. */
static void
test_keepalive_gets_then_chat (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) async = NULL;
  g_autoptr(JsonNode) balance = NULL;
  g_autoptr(ByokChatResult) rejected = NULL;
  g_autoptr(ByokChatResult) result = NULL;
  g_autofree char *balance_url = g_strconcat (byok_test_server_get_url (f->server), "/deepseek/user/balance", NULL);
  int n_models = 0;

  f->keep_calls = TRUE;
  byok_test_server_add_reply (f->server, "/v1/models", byok_test_reply_new_json (200,
    "{\"data\": [{\"type\": \"model\", \"id\": \"claude-test-new-1\"}], \"has_more\": true,"
    " \"first_id\": \"claude-test-new-1\", \"last_id\": \"claude-test-new-1\"}"));
  byok_test_server_add_reply (f->server, "/v1/models", byok_test_reply_new_json (200,
    "{\"data\": [{\"type\": \"model\", \"id\": \"claude-test-new-2\"}], \"has_more\": false,"
    " \"first_id\": \"claude-test-new-2\", \"last_id\": \"claude-test-new-2\"}"));
  models = run_list_models (f, "anthropic", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 2);
  g_assert_cmpuint (byok_test_server_get_n_connections (f->server), ==, 1);

  byok_test_server_add_reply (f->server, "/deepseek/user/balance",
                              json_fixture_reply (200, "balances", "deepseek-balance.json"));
  byok_client_get_json_async (f->client, "deepseek", balance_url, NULL, byok_test_store_result, &async);
  balance = byok_client_get_json_finish (f->client, byok_test_wait_result (&async), &error);
  g_assert_no_error (error);
  g_assert_nonnull (balance);

  byok_test_server_add_reply (f->server, "/v1/models",
                              byok_test_reply_new_json (200, "{\"object\": \"list\", \"data\": []}"));
  g_assert_true (run_check_key (f, "openai", NULL, &n_models, &error));
  g_assert_no_error (error);

  byok_test_server_add_reply (f->server, "/v1/chat/completions",
                              json_fixture_reply (400, "openai", "error-context-length.json"));
  rejected = run_chat (f, "openai", "gpt-4o-mini", FALSE);
  g_assert_error (rejected->error, BYOK_ERROR, BYOK_ERROR_CONTEXT_LENGTH);

  byok_test_server_add_reply (f->server, "/v1/chat/completions",
                              json_fixture_reply (200, "openai", "openai-response.json"));
  result = run_chat (f, "openai", "gpt-4o-mini", FALSE);
  g_assert_no_error (result->error);
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 6);
  g_assert_cmpuint (byok_test_server_get_n_connections (f->server), ==, 1);
}

/* A stopped answer's connection is closed half-read, never handed to the
 * next call: that one opens its own. */
static void
test_keepalive_not_after_stop (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(ByokChatRequest) request = byok_chat_request_new_simple ("gpt-4o-mini", NULL, "Tell a story");
  g_autoptr(ByokChatResult) stopped = NULL;
  g_autoptr(ByokChatResult) result = NULL;
  ByokTestReply *reply = partial_stream_reply ();

  f->keep_calls = TRUE;
  request->stream = TRUE;
  byok_test_reply_set_delay_ms (reply, 0, 100);
  byok_test_server_add_reply (f->server, "/v1/chat/completions", reply);
  f->cancel_on_delta = g_object_ref (cancellable);
  stopped = run_chat_full (f, request, "openai", NULL, cancellable);
  g_assert_error (stopped->error, BYOK_ERROR, BYOK_ERROR_CANCELLED);
  spin_until_closed (f->server, 1);
  g_clear_object (&f->cancel_on_delta);

  byok_test_server_add_reply (f->server, "/v1/chat/completions",
                              json_fixture_reply (200, "openai", "openai-response.json"));
  byok_client_preconnect (f->client, "openai");
  result = run_chat (f, "openai", "gpt-4o-mini", FALSE);
  g_assert_no_error (result->error);
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 2);
  g_assert_cmpuint (byok_test_server_get_n_connections (f->server), ==, 2);
}

/* A window that keeps drawing: a spinner rendered in software takes
 * longer than a frame, so GTK's redraw source is ready at every turn of
 * the main loop, and nothing below its priority ever runs. */
static gboolean
draw_frame (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static guint
start_drawing (void)
{
  return g_idle_add_full (G_PRIORITY_HIGH_IDLE + 20, draw_frame, NULL, NULL);
}

/* An answer whose body the server holds open after `[DONE]` ends at once,
 * and its connection is never handed on half-read: its rest is read for a
 * moment, then it is closed, and the next call (which waited for that)
 * opens its own. With @data, while a window keeps drawing: the next call
 * does not wait past the drain's own limit, whatever becomes of the old
 * body's read and close. */
static void
test_keepalive_not_held_open (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(ByokChatResult) held = NULL;
  g_autoptr(ByokChatResult) next = NULL;
  ByokTestReply *reply = byok_test_reply_new_sse_fixture ("openai", "openai-stream.sse", 64);
  guint drawing = data != NULL ? start_drawing () : 0;

  f->keep_calls = TRUE;
  byok_test_reply_set_hold (reply, TRUE);
  byok_test_server_add_reply (f->server, "/v1/chat/completions", reply);
  held = run_chat (f, "openai", "o4-mini", TRUE);
  g_assert_no_error (held->error);
  g_assert_cmpstr (held->text->str, ==, "The capital of France is Paris — ça va.");
  g_assert_cmpint (held->finish_reason, ==, BYOK_FINISH_STOP);
  g_assert_cmpint (held->usage.output_tokens, ==, 89);
  g_assert_cmpuint (byok_test_server_get_n_closed (f->server), ==, 0);

  byok_test_server_add_reply (f->server, "/v1/chat/completions",
                              json_fixture_reply (200, "openai", "openai-response.json"));
  next = run_chat (f, "openai", "gpt-4o-mini", FALSE);
  g_assert_no_error (next->error);
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 2);
  g_assert_cmpuint (byok_test_server_get_n_connections (f->server), ==, 2);
  if (drawing != 0)
    g_source_remove (drawing);
  byok_test_server_release_held (f->server);
}

/* What the tool loop does, with a window that keeps drawing: an answer
 * ends at `[DONE]`, the body's end comes right after it, and the next
 * request to the same host goes out at once and is answered, on the same
 * connection (the rest of the first body was read, not left behind the
 * drawing). */
static void
test_keepalive_while_drawing (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(ByokChatResult) first = NULL;
  g_autoptr(ByokChatResult) next = NULL;
  guint drawing = start_drawing ();

  f->keep_calls = TRUE;
  byok_test_server_add_reply (f->server, "/v1/chat/completions",
                              byok_test_reply_new_sse_fixture ("openai", "openai-stream.sse", 64));
  byok_test_server_add_reply (f->server, "/v1/chat/completions",
                              byok_test_reply_new_sse_fixture ("openai", "openai-stream.sse", 64));
  first = run_chat (f, "openai", "o4-mini", TRUE);
  g_assert_no_error (first->error);
  next = run_chat (f, "openai", "o4-mini", TRUE);
  g_assert_no_error (next->error);
  g_assert_cmpstr (next->text->str, ==, "The capital of France is Paris — ça va.");
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 2);
  g_assert_cmpuint (byok_test_server_get_n_connections (f->server), ==, 1);
  g_source_remove (drawing);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  log_text = byok_test_capture_log ();
  g_log_set_debug_enabled (TRUE);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  for (guint i = 0; i < G_N_ELEMENTS (provider_streams); i++)
    g_test_add (provider_streams[i].path, Fixture, &provider_streams[i], fixture_setup, test_provider_stream,
                fixture_teardown);
  ADD ("/client/preconnect/reused", test_preconnect_reused);
  ADD ("/client/preconnect/unanswered-sent-once", test_unanswered_sent_once);
  ADD ("/client/preconnect/closed", test_preconnect_closed);
  ADD ("/client/keepalive/chats", test_keepalive_chats);
  ADD ("/client/keepalive/gets-then-chat", test_keepalive_gets_then_chat);
  ADD ("/client/keepalive/not-after-stop", test_keepalive_not_after_stop);
  ADD ("/client/keepalive/not-held-open", test_keepalive_not_held_open);
  ADD ("/client/keepalive/while-drawing", test_keepalive_while_drawing);
  g_test_add ("/client/keepalive/held-open-while-drawing", Fixture, "drawing", fixture_setup,
              test_keepalive_not_held_open, fixture_teardown);
  ADD ("/client/stream/large-request", test_large_request);
  ADD ("/client/params/anthropic-version", test_anthropic_version_per_request);
  ADD ("/client/params/openai-reasoning", test_openai_reasoning_model_params);
  ADD ("/client/stream/gemini-truncated", test_gemini_stream_truncated);
  ADD ("/client/whole/per-dialect", test_non_streamed);
  ADD ("/client/whole/html-200", test_html_200);
  ADD ("/client/retry/503-then-200", test_retry_503_then_200);
  ADD ("/client/retry/gives-up", test_retry_gives_up);
  ADD ("/client/retry/retry-after", test_retry_after_honoured);
  ADD ("/client/retry/retry-after-ms", test_retry_after_ms);
  ADD ("/client/retry/retry-after-too-long", test_retry_after_too_long);
  for (guint i = 0; i < G_N_ELEMENTS (not_retried); i++)
    g_test_add (not_retried[i].path, Fixture, &not_retried[i], fixture_setup, test_not_retried, fixture_teardown);
  ADD ("/client/retry/not-after-output", test_no_retry_after_output);
  ADD ("/client/retry/midstream-error", test_midstream_error_keeps_text);
  ADD ("/client/fallback/chain", test_fallback_chain);
  ADD ("/client/fallback/not-for-bad-request", test_fallback_not_for_bad_request);
  ADD ("/client/fallback/no-key", test_no_key_falls_back);
  ADD ("/client/cancel/mid-stream", test_cancel_mid_stream);
  ADD ("/client/cancel/before-start", test_cancel_before_start);
  ADD ("/client/timeout/idle", test_idle_timeout);
  ADD ("/client/timeout/idle-before-output", test_idle_timeout_retried_before_output);
  ADD ("/client/network/refused", test_connection_refused);
  ADD ("/client/keys/none", test_no_key);
  ADD ("/client/target/parse", test_parse_target);
  ADD ("/client/models/anthropic-pages", test_models_anthropic_pages);
  ADD ("/client/models/gemini-pages", test_models_gemini_pages);
  ADD ("/client/models/openai-and-catalog", test_models_openai_and_catalog_only);
  ADD ("/client/models/rejected", test_models_rejected);
  ADD ("/client/models/nested", test_models_nested);
  ADD ("/client/check-key/ok", test_check_key_ok);
  ADD ("/client/check-key/rejected", test_check_key_rejected);
  ADD ("/client/check-key/one-token-chat", test_check_key_one_token_chat);
  ADD ("/client/check-key/no-key", test_check_key_no_key);
  ADD ("/client/usage/shapes", test_usage_shapes);

  for (guint i = 0; i < G_N_ELEMENTS (dialect_cases); i++)
    {
      static const struct {
        const char *name;
        void (*func) (Fixture *, gconstpointer);
      } per_dialect[] = {
        { "error-classes", test_dialect_error_classes },
        { "retry-after", test_dialect_retry_after },
        { "fallback", test_dialect_fallback },
        { "ten-mb", test_dialect_ten_mb },
        { "nesting", test_dialect_nesting },
        { "empty-events", test_dialect_empty_events },
        { "answer-cap", test_dialect_answer_cap },
      };

      for (guint j = 0; j < G_N_ELEMENTS (per_dialect); j++)
        {
          g_autofree char *path = g_strdup_printf ("/client/dialect/%s/%s", dialect_cases[i].dialect,
                                                   per_dialect[j].name);

          g_test_add (path, Fixture, &dialect_cases[i], fixture_setup, per_dialect[j].func, fixture_teardown);
        }
    }

  return g_test_run ();
}
