/* test-engine.c — ByokEngine: every attempt of a chat is a usage row with
 * its cost at the price in force; unknown prices stay unknown; budgets stop
 * calls before anything is sent and alert at 50/80/100 %. Real SQLite in a
 * temporary folder, the provider test server on 127.0.0.1. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "byok-engine.h"
#include "byok-error.h"
#include "byok-price.h"
#include "byok-process-lock.h"
#include "byok-router.h"
#include "byok-test-replies.h"
#include "byok-test-engine.h"
#include "byok-test-server.h"
#include "byok-test-util.h"

#define OPENAI_KEY   "sk-test-fake-engine-openai-0001"
#define MOONSHOT_KEY "sk-test-fake-engine-moonshot-0002"
#define OPENROUTER_KEY "sk-or-test-fake-engine-openrouter-0003"
#define ANTHROPIC_KEY "sk-ant-test-fake-engine-anthropic-0004"
#define GEMINI_KEY "AIzaTestFakeEngineGeminiKey0000000005"

typedef struct {
  char           *dir;
  ByokTestServer *server;
  ByokEngine     *engine;
  GString        *text;
  GPtrArray      *alerts;   /* "scope percent" */
  guint           n_recorded;
} Fixture;

static ByokTestReply *
openai_stream_reply (void)
{
  return byok_test_reply_new_sse_fixture ("openai", "openai-stream.sse", 50);
}

static void
on_delta (ByokChatCall *call,
          const char   *text,
          Fixture      *f)
{
  g_string_append (f->text, text);
}

static void
on_budget_alert (ByokEngine *engine,
                 const char *scope,
                 guint       percent,
                 Fixture    *f)
{
  g_ptr_array_add (f->alerts, g_strdup_printf ("%s %u", scope, percent));
}

static void
on_usage_recorded (ByokEngine      *engine,
                   ByokUsageRecord *record,
                   Fixture         *f)
{
  g_assert_cmpint (record->id, >, 0);
  f->n_recorded++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char *env[] = { "OPENAI_API_KEY=" OPENAI_KEY, "MOONSHOT_API_KEY=" MOONSHOT_KEY,
                        "OPENROUTER_API_KEY=" OPENROUTER_KEY, "ANTHROPIC_API_KEY=" ANTHROPIC_KEY,
                        "GEMINI_API_KEY=" GEMINI_KEY, NULL };

  f->server = byok_test_server_new ();
  f->engine = byok_test_engine_new_served ("engine", &f->dir, env, f->server, "openai", "moonshot", "openrouter",
                                          "anthropic", "gemini", NULL);
  byok_client_set_backoff_base_ms (byok_engine_get_client (f->engine), 5);

  f->text = g_string_new (NULL);
  f->alerts = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->engine, "budget-alert", G_CALLBACK (on_budget_alert), f);
  g_signal_connect (f->engine, "usage-recorded", G_CALLBACK (on_usage_recorded), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->engine);
  g_clear_object (&f->server);
  byok_test_remove_tree (f->dir);
  g_free (f->dir);
  g_string_free (f->text, TRUE);
  g_ptr_array_unref (f->alerts);
}

static ByokChatResult *
run_chat (Fixture            *f,
          const char         *provider_id,
          const char         *model,
          const char * const *fallbacks)
{
  g_autoptr(ByokChatRequest) request = byok_chat_request_new_simple (model, NULL, "Hello");
  g_autoptr(ByokChatCall) call = NULL;
  g_autoptr(GAsyncResult) async = NULL;

  request->stream = TRUE;
  call = byok_engine_new_chat (f->engine, request, provider_id, NULL, fallbacks, 0);
  g_signal_connect (call, "delta", G_CALLBACK (on_delta), f);
  byok_chat_call_run_async (call, NULL, byok_test_store_result, &async);
  byok_test_wait_result (&async);
  return byok_chat_call_run_finish (call, async);
}

static ByokUsageRecord *
row_at (GPtrArray *rows,
        guint      i)
{
  g_assert_cmpuint (i, <, rows->len);
  return g_ptr_array_index (rows, i);
}

static void
test_records_priced_call (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(ByokChatResult) result = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  ByokUsageRecord *row;
  ByokPrice price;
  double expected, cost;
  gboolean known = FALSE;

  byok_test_server_add_reply (f->server, "/v1/chat/completions", openai_stream_reply ());
  result = run_chat (f, "openai", "gpt-4o-mini", NULL);
  g_assert_no_error (result->error);
  g_assert_cmpstr (f->text->str, ==, result->text->str);

  g_assert_true (byok_pricing_lookup (byok_engine_get_pricing (f->engine), "openai", "gpt-4o-mini", &price, NULL));
  /* 1234 prompt tokens, 1024 of them cached, 89 out (openai-stream.sse). */
  expected = (1234 - 1024) * price.input / 1e6 + 1024 * price.cached_input / 1e6 + 89 * price.output / 1e6;
  g_assert_cmpfloat (expected, >, 0);

  rows = byok_test_engine_list_rows (f->engine);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpuint (f->n_recorded, ==, 1);
  row = row_at (rows, 0);
  g_assert_cmpstr (row->provider, ==, "openai");
  g_assert_cmpstr (row->model, ==, "gpt-4o-mini");
  g_assert_cmpstr (row->status, ==, "ok");
  g_assert_cmpint (row->http_status, ==, 200);
  g_assert_cmpint (row->input_tokens, ==, 1234);
  g_assert_cmpint (row->cached_input_tokens, ==, 1024);
  g_assert_cmpint (row->output_tokens, ==, 89);
  g_assert_cmpint (row->reasoning_tokens, ==, 64);
  g_assert_true (row->price_known);
  g_assert_cmpfloat_with_epsilon (row->cost_usd, expected, 1e-12);
  g_assert_cmpfloat_with_epsilon (row->cache_savings_usd, 1024 * (price.input - price.cached_input) / 1e6, 1e-12);
  g_assert_cmpint (row->ttft_us, >=, 0);
  g_assert_false (row->is_retry);
  g_assert_false (row->is_fallback);
  g_assert_cmpint (row->attempt, ==, 1);

  /* The result carries the cost the row was recorded with. */
  g_assert_true (result->cost_known);
  g_assert_cmpfloat_with_epsilon (result->cost_usd, expected, 1e-12);
  g_assert_true (((ByokAttempt *) g_ptr_array_index (result->attempts, 0))->cost_known);
  g_assert_cmpfloat (((ByokAttempt *) g_ptr_array_index (result->attempts, 0))->cost_usd, ==, row->cost_usd);
  cost = byok_engine_cost_of (f->engine, "openai", "gpt-4o-mini", &result->usage, &known);
  g_assert_true (known);
  g_assert_cmpfloat_with_epsilon (cost, expected, 1e-12);
}

static void
test_records_every_attempt (Fixture       *f,
                            gconstpointer  data)
{
  const char *fallbacks[] = { "moonshot/kimi-k2-0905-preview", NULL };
  g_autoptr(ByokChatResult) result = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *moonshot = byok_test_read_fixture ("openai", "moonshot-stream.sse");
  ByokTestReply *reply;

  /* 503, a retry that gets 401, then the fallback answers. */
  byok_test_server_add_reply (f->server, "/v1/chat/completions",
                              byok_test_reply_new_json (503, "{\"error\": {\"message\": \"Overloaded\", \"type\": \"server_error\"}}"));
  byok_test_server_add_reply (f->server, "/v1/chat/completions",
                              byok_test_reply_new_json (401, "{\"error\": {\"message\": \"Incorrect API key provided.\", \"type\": \"invalid_request_error\", \"code\": \"invalid_api_key\"}}"));
  reply = byok_test_reply_new (200);
  byok_test_reply_add_header (reply, "Content-Type", "text/event-stream");
  byok_test_reply_add_chunk (reply, moonshot);
  byok_test_server_add_reply (f->server, "/moonshot/v1/chat/completions", reply);
  result = run_chat (f, "openai", "gpt-4o-mini", fallbacks);

  g_assert_no_error (result->error);
  g_assert_cmpstr (result->provider_id, ==, "moonshot");
  g_assert_cmpuint (result->attempts->len, ==, 3);

  rows = byok_test_engine_list_rows (f->engine);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpuint (f->n_recorded, ==, 3);

  g_assert_cmpstr (row_at (rows, 0)->status, ==, "overloaded");
  g_assert_cmpint (row_at (rows, 0)->http_status, ==, 503);
  g_assert_true (row_at (rows, 0)->price_known);
  g_assert_cmpfloat (row_at (rows, 0)->cost_usd, ==, 0);
  g_assert_cmpint (row_at (rows, 0)->attempt, ==, 1);

  g_assert_cmpstr (row_at (rows, 1)->status, ==, "auth");
  g_assert_true (row_at (rows, 1)->is_retry);
  g_assert_cmpint (row_at (rows, 1)->attempt, ==, 2);

  g_assert_cmpstr (row_at (rows, 2)->status, ==, "ok");
  g_assert_cmpstr (row_at (rows, 2)->provider, ==, "moonshot");
  g_assert_cmpstr (row_at (rows, 2)->model, ==, "kimi-k2-0905-preview");
  g_assert_true (row_at (rows, 2)->is_fallback);
  g_assert_cmpint (row_at (rows, 2)->attempt, ==, 3);
}

static void
test_unknown_price (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(ByokChatResult) result = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  byok_test_server_add_reply (f->server, "/v1/chat/completions", openai_stream_reply ());
  result = run_chat (f, "openai", "gpt-test-not-in-catalog", NULL);
  g_assert_no_error (result->error);

  rows = byok_test_engine_list_rows (f->engine);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_false (row_at (rows, 0)->price_known);
  g_assert_cmpint (row_at (rows, 0)->input_tokens, ==, 1234);

  g_assert_false (result->cost_known);
  g_assert_true (isnan (result->cost_usd));
}

/* An answer that came without a usage report is recorded with Byok's
 * estimate of its tokens, priced, and marked estimated — not as 0 tokens
 * at an unknown cost. */
static void
test_estimates_unreported_usage (Fixture       *f,
                                 gconstpointer  data)
{
  const char *body =
    "data: {\"id\":\"chatcmpl-test\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\","
    "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"An answer of some length, "
    "without a usage block.\"},\"finish_reason\":null}]}\n\n"
    "data: {\"id\":\"chatcmpl-test\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\","
    "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
    "data: [DONE]\n\n";
  g_autoptr(ByokChatRequest) request = byok_chat_request_new_simple ("gpt-4o-mini", NULL, "Hello");
  g_autoptr(ByokChatResult) result = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  ByokTestReply *reply = byok_test_reply_new (200);
  ByokUsageRecord *row;
  ByokAttempt *attempt;
  gint64 in, out;
  double expected = 0;

  byok_test_reply_add_header (reply, "Content-Type", "text/event-stream");
  byok_test_reply_add_chunk (reply, body);
  byok_test_server_add_reply (f->server, "/v1/chat/completions", reply);
  result = run_chat (f, "openai", "gpt-4o-mini", NULL);
  g_assert_no_error (result->error);
  g_assert_cmpstr (result->text->str, ==, "An answer of some length, without a usage block.");

  in = byok_estimate_request_tokens (request);
  out = byok_estimate_tokens (result->text->str, -1);
  g_assert_cmpint (in, >, 0);
  g_assert_cmpint (out, >, 0);
  g_assert_true (byok_pricing_cost (byok_engine_get_pricing (f->engine), "openai", "gpt-4o-mini",
                                    in, 0, 0, out, &expected));
  g_assert_cmpfloat (expected, >, 0);

  rows = byok_test_engine_list_rows (f->engine);
  g_assert_cmpuint (rows->len, ==, 1);
  row = row_at (rows, 0);
  g_assert_cmpstr (row->status, ==, "ok");
  g_assert_true (row->estimated);
  g_assert_cmpint (row->input_tokens, ==, in);
  g_assert_cmpint (row->output_tokens, ==, out);
  g_assert_true (row->price_known);
  g_assert_cmpfloat_with_epsilon (row->cost_usd, expected, 1e-12);

  /* The call says so too: estimated, not reported. */
  g_assert_false (result->usage.reported);
  g_assert_true (result->usage.estimated);
  g_assert_cmpint (result->usage.input_tokens, ==, in);
  g_assert_cmpint (result->usage.output_tokens, ==, out);
  attempt = g_ptr_array_index (result->attempts, 0);
  g_assert_true (attempt->usage.estimated);
  g_assert_true (attempt->cost_known);
  g_assert_true (result->cost_known);
  g_assert_cmpfloat_with_epsilon (result->cost_usd, expected, 1e-12);
}

/* OpenRouter playing itself: 1000 prompt tokens and 200 out of
 * anthropic/claude-sonnet-5 ($2 and $10 per million: $0.004 at Byok's
 * price), and what OpenRouter says it billed in usage.cost. */
static ByokTestReply *
openrouter_reply (gboolean    stream,
                  const char *cost)
{
  ByokTestReply *reply = byok_test_reply_new (200);
  g_autofree char *usage = g_strdup_printf ("{\"prompt_tokens\":1000,\"completion_tokens\":200,"
                                            "\"total_tokens\":1200,\"cost\":%s,\"is_byok\":false,"
                                            "\"prompt_tokens_details\":{\"cached_tokens\":0},"
                                            "\"cost_details\":{\"upstream_inference_cost\":null},"
                                            "\"completion_tokens_details\":{\"reasoning_tokens\":0}}", cost);
  g_autofree char *body = NULL;

  if (stream)
    {
      body = g_strdup_printf ("data: {\"id\":\"gen-test-1\",\"provider\":\"Anthropic\","
                              "\"model\":\"anthropic/claude-sonnet-5\",\"object\":\"chat.completion.chunk\","
                              "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                              "\"content\":\"Paris.\"},\"finish_reason\":null}]}\n\n"
                              ": OPENROUTER PROCESSING\n\n"
                              "data: {\"id\":\"gen-test-1\",\"provider\":\"Anthropic\","
                              "\"model\":\"anthropic/claude-sonnet-5\",\"object\":\"chat.completion.chunk\","
                              "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                              "\"usage\":%s}\n\n"
                              "data: [DONE]\n\n", usage);
      byok_test_reply_add_header (reply, "Content-Type", "text/event-stream");
      byok_test_reply_set_split (reply, 37);
    }
  else
    {
      body = g_strdup_printf ("{\"id\":\"gen-test-2\",\"provider\":\"Anthropic\","
                              "\"model\":\"anthropic/claude-sonnet-5\",\"object\":\"chat.completion\","
                              "\"choices\":[{\"index\":0,\"finish_reason\":\"stop\","
                              "\"message\":{\"role\":\"assistant\",\"content\":\"Paris.\"}}],"
                              "\"usage\":%s}", usage);
      byok_test_reply_add_header (reply, "Content-Type", "application/json");
    }
  byok_test_reply_add_chunk (reply, body);
  return reply;
}

static ByokChatResult *
run_openrouter (Fixture  *f,
                gboolean  stream)
{
  g_autoptr(ByokChatRequest) request = byok_chat_request_new_simple ("anthropic/claude-sonnet-5", NULL, "Capital of France?");
  g_autoptr(ByokChatCall) call = NULL;
  g_autoptr(GAsyncResult) async = NULL;

  request->stream = stream;
  call = byok_engine_new_chat (f->engine, request, "openrouter", NULL, NULL, 0);
  byok_chat_call_run_async (call, NULL, byok_test_store_result, &async);
  byok_test_wait_result (&async);
  return byok_chat_call_run_finish (call, async);
}

/* What OpenRouter reports it billed is kept beside Byok's price, on the
 * call, its attempt and its usage row: streamed, where it agrees, and
 * whole, where it is 30 % more (the price Byok has is out of date) and
 * the difference is flagged. */
static void
test_records_reported_cost (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(ByokChatResult) streamed = NULL;
  g_autoptr(ByokChatResult) whole = NULL;
  g_autoptr(ByokChatResult) plain = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  ByokUsageRecord *row;

  byok_test_server_add_reply (f->server, "/openrouter/api/v1/chat/completions", openrouter_reply (TRUE, "0.004"));
  streamed = run_openrouter (f, TRUE);
  g_assert_no_error (streamed->error);
  g_assert_cmpstr (streamed->text->str, ==, "Paris.");
  g_assert_true (streamed->cost_known);
  g_assert_cmpfloat_with_epsilon (streamed->cost_usd, 0.004, 1e-12);
  g_assert_cmpfloat (streamed->reported_cost_usd, ==, 0.004);
  g_assert_false (byok_price_cost_differs (streamed->cost_usd, streamed->reported_cost_usd));

  byok_test_server_add_reply (f->server, "/openrouter/api/v1/chat/completions", openrouter_reply (FALSE, "0.0052"));
  whole = run_openrouter (f, FALSE);
  g_assert_no_error (whole->error);
  g_assert_cmpfloat_with_epsilon (whole->cost_usd, 0.004, 1e-12);
  g_assert_cmpfloat (whole->reported_cost_usd, ==, 0.0052);
  g_assert_true (((ByokAttempt *) g_ptr_array_index (whole->attempts, 0))->usage.cost_reported);
  g_assert_true (byok_price_cost_differs (whole->cost_usd, whole->reported_cost_usd));

  /* OpenAI reports no bill: none recorded, not $0. */
  byok_test_server_add_reply (f->server, "/v1/chat/completions", openai_stream_reply ());
  plain = run_chat (f, "openai", "gpt-4o-mini", NULL);
  g_assert_no_error (plain->error);
  g_assert_true (isnan (plain->reported_cost_usd));

  rows = byok_test_engine_list_rows (f->engine);
  g_assert_cmpuint (rows->len, ==, 3);
  row = row_at (rows, 0);
  g_assert_cmpstr (row->provider, ==, "openrouter");
  g_assert_true (row->price_known);
  g_assert_true (row->cost_reported);
  g_assert_cmpfloat (row->reported_cost_usd, ==, 0.004);
  row = row_at (rows, 1);
  g_assert_true (row->cost_reported);
  g_assert_cmpfloat (row->reported_cost_usd, ==, 0.0052);
  g_assert_cmpfloat_with_epsilon (row->cost_usd, 0.004, 1e-12);
  row = row_at (rows, 2);
  g_assert_cmpstr (row->provider, ==, "openai");
  g_assert_false (row->cost_reported);
}

static void
record_spend (Fixture    *f,
              const char *provider,
              double      cost)
{
  byok_test_record_usage (byok_engine_get_usage_store (f->engine), &(ByokUsageRecord) {
    .provider = (char *) provider, .model = (char *) "gpt-4o-mini",
    .price_known = TRUE, .cost_usd = cost, .status = (char *) "ok",
  });
}

static void
test_budget_hard_stop (Fixture       *f,
                       gconstpointer  data)
{
  ByokUsageStore *store = byok_engine_get_usage_store (f->engine);
  g_autoptr(ByokChatResult) result = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (byok_usage_store_set_budget (store, BYOK_BUDGET_SCOPE_ALL, 1.0, TRUE, &error));
  g_assert_no_error (error);
  record_spend (f, "openai", 1.25);
  byok_test_server_add_reply (f->server, "/v1/chat/completions", openai_stream_reply ());

  result = run_chat (f, "openai", "gpt-4o-mini", NULL);
  g_assert_error (result->error, BYOK_ERROR, BYOK_ERROR_BUDGET);
  g_assert_cmpuint (result->attempts->len, ==, 0);
  /* Nothing was sent: nothing was spent. */
  g_assert_true (result->cost_known);
  g_assert_cmpfloat (result->cost_usd, ==, 0);
  g_assert_cmpuint (result->text->len, ==, 0);
  /* Nothing reached the server, nothing more was recorded. */
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 0);
  rows = byok_test_engine_list_rows (f->engine);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpuint (f->n_recorded, ==, 0);
  /* The stop is also the 100 % alert. */
  g_assert_cmpuint (f->alerts->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->alerts, 0), ==, "all 100");
}

static ByokTestReply *
moonshot_stream_reply (void)
{
  g_autofree char *body = byok_test_read_fixture ("openai", "moonshot-stream.sse");
  ByokTestReply *reply = byok_test_reply_new (200);

  byok_test_reply_add_header (reply, "Content-Type", "text/event-stream");
  byok_test_reply_add_chunk (reply, body);
  return reply;
}

/* A hard stop confirmed once: that one call goes through, the next is
 * stopped again. */
static void
test_budget_over_once (Fixture       *f,
                       gconstpointer  data)
{
  const char *fallbacks[] = { "moonshot/kimi-k2-0905-preview", NULL };
  ByokUsageStore *store = byok_engine_get_usage_store (f->engine);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  ByokChatResult *result;

  g_assert_true (byok_usage_store_set_budget (store, BYOK_BUDGET_SCOPE_ALL, 1.0, TRUE, &error));
  g_assert_no_error (error);
  record_spend (f, "openai", 1.25);

  /* Stopped. */
  result = run_chat (f, "openai", "gpt-4o-mini", NULL);
  g_assert_error (result->error, BYOK_ERROR, BYOK_ERROR_BUDGET);
  byok_chat_result_unref (result);
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 0);

  /* Confirmed for OpenAI: sent, recorded. */
  byok_engine_allow_over_budget_once (f->engine, "openai");
  byok_test_server_add_reply (f->server, "/v1/chat/completions", openai_stream_reply ());
  result = run_chat (f, "openai", "gpt-4o-mini", NULL);
  g_assert_no_error (result->error);
  g_assert_cmpuint (result->attempts->len, ==, 1);
  byok_chat_result_unref (result);
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 1);
  g_assert_cmpuint (f->n_recorded, ==, 1);

  /* Once only: the next call is stopped again. */
  result = run_chat (f, "openai", "gpt-4o-mini", NULL);
  g_assert_error (result->error, BYOK_ERROR, BYOK_ERROR_BUDGET);
  byok_chat_result_unref (result);
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 1);

  /* A confirmation for Moonshot does not let an OpenAI call through, and
   * waits for the Moonshot call. */
  byok_engine_allow_over_budget_once (f->engine, "moonshot");
  result = run_chat (f, "openai", "gpt-4o-mini", NULL);
  g_assert_error (result->error, BYOK_ERROR, BYOK_ERROR_BUDGET);
  byok_chat_result_unref (result);
  byok_test_server_add_reply (f->server, "/moonshot/v1/chat/completions", moonshot_stream_reply ());
  result = run_chat (f, "moonshot", "kimi-k2-0905-preview", NULL);
  g_assert_no_error (result->error);
  byok_chat_result_unref (result);
  g_assert_cmpuint (byok_test_server_count_path (f->server, "/moonshot/v1/chat/completions"), ==, 1);

  /* For all providers (NULL): the call and its fallbacks go through. */
  byok_engine_allow_over_budget_once (f->engine, NULL);
  byok_test_server_add_reply (f->server, "/v1/chat/completions",
                              byok_test_reply_new_json (401, "{\"error\": {\"message\": \"Incorrect API key provided.\", \"type\": \"invalid_request_error\", \"code\": \"invalid_api_key\"}}"));
  byok_test_server_add_reply (f->server, "/moonshot/v1/chat/completions", moonshot_stream_reply ());
  result = run_chat (f, "openai", "gpt-4o-mini", fallbacks);
  g_assert_no_error (result->error);
  g_assert_cmpstr (result->provider_id, ==, "moonshot");
  g_assert_cmpuint (result->attempts->len, ==, 2);
  byok_chat_result_unref (result);
  result = run_chat (f, "moonshot", "kimi-k2-0905-preview", NULL);
  g_assert_error (result->error, BYOK_ERROR, BYOK_ERROR_BUDGET);
  byok_chat_result_unref (result);

  /* A confirmation is used up by the next call even when no budget
   * stopped it. */
  g_assert_true (byok_usage_store_set_budget (store, BYOK_BUDGET_SCOPE_ALL, 100.0, TRUE, &error));
  byok_engine_allow_over_budget_once (f->engine, "openai");
  byok_test_server_add_reply (f->server, "/v1/chat/completions", openai_stream_reply ());
  result = run_chat (f, "openai", "gpt-4o-mini", NULL);
  g_assert_no_error (result->error);
  byok_chat_result_unref (result);
  g_assert_true (byok_usage_store_set_budget (store, BYOK_BUDGET_SCOPE_ALL, 1.0, TRUE, &error));
  result = run_chat (f, "openai", "gpt-4o-mini", NULL);
  g_assert_error (result->error, BYOK_ERROR, BYOK_ERROR_BUDGET);
  byok_chat_result_unref (result);

  /* Every call that went out is a row: 1 spend + 1 + 1 + 2 + 1. */
  rows = byok_test_engine_list_rows (f->engine);
  g_assert_cmpuint (rows->len, ==, 6);
}

static void
test_budget_stops_fallback_only (Fixture       *f,
                                 gconstpointer  data)
{
  const char *fallbacks[] = { "moonshot/kimi-k2-0905-preview", NULL };
  ByokUsageStore *store = byok_engine_get_usage_store (f->engine);
  g_autoptr(ByokChatResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* Moonshot's budget is used up: the fallback is left out. */
  g_assert_true (byok_usage_store_set_budget (store, "moonshot", 1.0, TRUE, &error));
  record_spend (f, "moonshot", 2.0);
  byok_test_server_add_reply (f->server, "/v1/chat/completions",
                              byok_test_reply_new_json (401, "{\"error\": {\"message\": \"Incorrect API key provided.\", \"type\": \"invalid_request_error\", \"code\": \"invalid_api_key\"}}"));
  result = run_chat (f, "openai", "gpt-4o-mini", fallbacks);

  g_assert_error (result->error, BYOK_ERROR, BYOK_ERROR_AUTH);
  g_assert_cmpuint (result->attempts->len, ==, 1);
  g_assert_cmpuint (byok_test_server_count_path (f->server, "/moonshot/v1/chat/completions"), ==, 0);
}

static void
test_budget_alerts (Fixture       *f,
                    gconstpointer  data)
{
  ByokUsageStore *store = byok_engine_get_usage_store (f->engine);
  g_autoptr(GError) error = NULL;
  const double spends[] = { 0.55, 0.30, 0.20 };
  const char *expected[] = { "openai 50", "openai 80", "openai 100" };

  /* No hard stop: calls go on, the alerts come once each. */
  g_assert_true (byok_usage_store_set_budget (store, "openai", 1.0, FALSE, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (spends); i++)
    {
      g_autoptr(ByokChatResult) result = NULL;

      record_spend (f, "openai", spends[i]);
      byok_test_server_add_reply (f->server, "/v1/chat/completions", openai_stream_reply ());
      result = run_chat (f, "openai", "gpt-4o-mini", NULL);
      g_assert_no_error (result->error);
      g_assert_cmpuint (f->alerts->len, ==, i + 1);
      g_assert_cmpstr (g_ptr_array_index (f->alerts, i), ==, expected[i]);
    }
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 3);
}

static void
test_key_events_recorded (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  ByokKeyEventRecord *event;

  byok_key_store_record_event (byok_engine_get_key_store (f->engine), "openai", NULL,
                               BYOK_KEY_EVENT_TESTED, "AUTH", "OpenAI rejected the key (401).");
  events = byok_usage_store_list_key_events (byok_engine_get_usage_store (f->engine), "openai", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  event = g_ptr_array_index (events, 0);
  g_assert_cmpstr (event->event, ==, "tested");
  g_assert_cmpstr (event->result, ==, "auth");
  g_assert_cmpstr (event->detail, ==, "OpenAI rejected the key (401).");
}

/* ---- an answer whose body stays open ------------------------------------ */

/* One dialect's answer, ended as the dialect ends it, then an event more
 * and a body the server keeps open. */
typedef struct {
  const char *provider_id;
  const char *model;
  const char *path;
  const char *dialect;
  const char *fixture;
  const char *after_end;     /* an event after the end: never appended */
  const char *text;
  gint64      input_tokens;
  gint64      output_tokens;
} HeldOpen;

static const HeldOpen held_open[] = {
  { "openai", "gpt-4o-mini", "/v1/chat/completions", "openai", "openai-stream.sse",
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" LATE\"},\"finish_reason\":null}]}\n\n",
    "The capital of France is Paris — ça va.", 1234, 89 },
  { "anthropic", "claude-sonnet-4-20250514", "/v1/messages", "anthropic", "stream-thinking.sse",
    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,"
    "\"delta\":{\"type\":\"text_delta\",\"text\":\" LATE\"}}\n\n",
    "2 + 2 = 4 — «easy».", 12 + 1500 + 3000, 42 },
  { "gemini", "gemini-2.5-flash", "/v1beta/models/gemini-2.5-flash:streamGenerateContent", "gemini",
    "stream-thoughts.sse",
    "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \" LATE\"}],\"role\": \"model\"},"
    "\"index\": 0}]}\n\n",
    "Paris is the capital of France. 🇫🇷", 10, 59 },
};

/* The provider ends the answer (`[DONE]`, `message_stop`, Gemini's
 * finishReason) and then holds the body open, as a keep-alive proxy or a
 * gateway may: the call ends at the answer's end — its text, "stop",
 * usage and cost, the usage row complete, not in flight — without waiting
 * for the body to end. An event after the end is not appended. Once the
 * server ends the body, the connection serves the next call. */
static void
test_ends_at_answer_end (Fixture       *f,
                         gconstpointer  data)
{
  const HeldOpen *h = data;
  ByokClient *client = byok_engine_get_client (f->engine);
  g_autoptr(ByokChatResult) result = NULL;
  g_autoptr(ByokChatResult) next = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  ByokTestReply *reply = byok_test_reply_new_sse_fixture (h->dialect, h->fixture, 0);
  ByokUsageRecord *row;
  ByokPrice price;

  /* Only for today's code, which waited for the body's end: fail within
   * the test's time rather than hang. The answer needs no wait. */
  byok_client_set_idle_timeout_ms (client, byok_test_wait_limit (10) * 1000);
  byok_test_reply_add_chunk (reply, h->after_end);
  byok_test_reply_set_hold (reply, TRUE);
  byok_test_server_add_reply (f->server, h->path, reply);
  result = run_chat (f, h->provider_id, h->model, NULL);

  g_assert_no_error (result->error);
  g_assert_cmpstr (result->text->str, ==, h->text);
  g_assert_cmpstr (f->text->str, ==, h->text);
  g_assert_cmpint (result->finish_reason, ==, BYOK_FINISH_STOP);
  g_assert_cmpint (result->usage.input_tokens, ==, h->input_tokens);
  g_assert_cmpint (result->usage.output_tokens, ==, h->output_tokens);
  g_assert_true (byok_pricing_lookup (byok_engine_get_pricing (f->engine), h->provider_id, h->model,
                                      &price, NULL));
  g_assert_true (result->cost_known);
  g_assert_cmpfloat (result->cost_usd, >, 0);

  rows = byok_test_engine_list_rows (f->engine);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpuint (f->n_recorded, ==, 1);
  row = row_at (rows, 0);
  g_assert_cmpstr (row->status, ==, "ok");
  g_assert_false (row->estimated);
  g_assert_cmpint (row->input_tokens, ==, h->input_tokens);
  g_assert_cmpint (row->output_tokens, ==, h->output_tokens);
  g_assert_true (row->price_known);
  g_assert_cmpfloat (row->cost_usd, ==, result->cost_usd);
  /* The body is still open: nothing of the server's has ended it. */
  g_assert_cmpuint (byok_test_server_get_n_closed (f->server), ==, 0);

  /* The server ends the body: what came after the answer is read, and the
   * connection serves the next call. */
  byok_test_server_release_held (f->server);
  g_string_truncate (f->text, 0);
  byok_test_server_add_reply (f->server, h->path, byok_test_reply_new_sse_fixture (h->dialect, h->fixture, 0));
  next = run_chat (f, h->provider_id, h->model, NULL);
  g_assert_no_error (next->error);
  g_assert_cmpstr (next->text->str, ==, h->text);
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 2);
  g_assert_cmpuint (byok_test_server_get_n_closed (f->server), ==, 0);
  g_assert_cmpuint (byok_test_server_get_n_connections (f->server), ==, 1);
}

/* ---- calls in flight ----------------------------------------------------- */

/* A stream that sends @n_words words, then holds the connection open
 * until byok_test_server_release_held(). */
static ByokTestReply *
held_reply (void)
{
  ByokTestReply *reply = byok_test_reply_new_sse (
    "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Once upon a time\"},\"finish_reason\":null}]}",
    "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\" there was a very long story\"},\"finish_reason\":null}]}",
    NULL);

  byok_test_reply_set_hold (reply, TRUE);
  return reply;
}

typedef struct {
  Fixture         *f;
  ByokChatRequest *request;
  ByokChatCall    *call;
  GAsyncResult    *async;
} Held;

static void
start_held (Fixture *f,
            Held    *held)
{
  byok_test_server_add_reply (f->server, "/v1/chat/completions", held_reply ());
  held->f = f;
  held->request = byok_chat_request_new_simple ("gpt-4o-mini", "Be brief.", "Tell me a long story about a lighthouse");
  held->request->stream = TRUE;
  held->async = NULL;
  held->call = byok_engine_new_chat (f->engine, held->request, "openai", NULL, NULL, 0);
  g_signal_connect (held->call, "delta", G_CALLBACK (on_delta), f);
  byok_chat_call_run_async (held->call, NULL, byok_test_store_result, &held->async);
  while (strstr (f->text->str, "long story") == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static ByokChatResult *
finish_held (Held *held)
{
  g_autoptr(ByokChatCall) call = g_steal_pointer (&held->call);
  g_autoptr(GAsyncResult) async = NULL;

  byok_test_server_release_held (held->f->server);
  byok_test_wait_result (&held->async);
  async = g_steal_pointer (&held->async);
  g_clear_pointer (&held->request, byok_chat_request_unref);
  return byok_chat_call_run_finish (call, async);
}

static ByokUsageTotals
today_totals (ByokEngine *engine)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokUsageReport) report = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  gint64 from, to;

  byok_usage_period_get_range (BYOK_USAGE_PERIOD_TODAY, now, &from, &to);
  report = byok_usage_store_report (byok_engine_get_usage_store (engine), from, to,
                                    BYOK_USAGE_BUCKET_DAY, NULL, &error);
  g_assert_no_error (error);
  return report->totals;
}

/* The row of a call is written when the request goes out, in flight, with
 * Byok's estimate of the prompt; another Byok starting meanwhile (another
 * engine on the database) leaves a live call alone; at its end the row
 * says how it ended. */
static void
test_in_flight_row (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(ByokChatResult) result = NULL;
  g_autoptr(ByokEngine) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "byok.db", NULL);
  ByokUsageRecord *row;
  ByokUsageTotals totals;
  Held held;
  gint64 estimate;

  start_held (f, &held);
  estimate = byok_estimate_request_tokens (held.request);
  g_assert_cmpint (estimate, >, 0);

  rows = byok_test_engine_list_rows (f->engine);
  g_assert_cmpuint (rows->len, ==, 1);
  row = row_at (rows, 0);
  g_assert_cmpstr (row->status, ==, BYOK_USAGE_STATUS_IN_FLIGHT);
  g_assert_true (row->estimated);
  g_assert_cmpint (row->input_tokens, ==, estimate);
  g_assert_cmpstr (row->provider, ==, "openai");
  g_assert_cmpint (row->attempt, ==, 1);
  /* In flight: in no report yet. */
  totals = today_totals (f->engine);
  g_assert_cmpuint (totals.calls, ==, 0);

  /* Another Byok starts: this process is alive, its call stays in flight. */
  other = byok_engine_new (path, &error);
  g_assert_no_error (error);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = byok_test_engine_list_rows (f->engine);
  g_assert_cmpstr (row_at (rows, 0)->status, ==, BYOK_USAGE_STATUS_IN_FLIGHT);
  g_clear_object (&other);

  /* The server ends the stream without its last event: the call ends
   * (as a broken answer), and its row says so. */
  result = finish_held (&held);
  g_assert_error (result->error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = byok_test_engine_list_rows (f->engine);
  g_assert_cmpuint (rows->len, ==, 1);
  row = row_at (rows, 0);
  g_assert_cmpstr (row->status, ==, "malformed");
  g_assert_false (row->estimated);
  g_assert_cmpint (row->http_status, ==, 200);
  totals = today_totals (f->engine);
  g_assert_cmpuint (totals.calls, ==, 1);
  g_assert_cmpuint (totals.errors, ==, 1);
  g_assert_cmpuint (totals.interrupted, ==, 0);
  g_assert_cmpuint (f->n_recorded, ==, 1);
}

/* The app quits mid-answer: the call is recorded at once as interrupted,
 * with Byok's estimate of the prompt and of the text that arrived; the
 * rest of the stream changes nothing. */
static void
test_shutdown_interrupts (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(ByokChatResult) result = NULL;
  ByokUsageRecord *row;
  ByokUsageTotals totals;
  Held held;
  gint64 estimate;

  start_held (f, &held);
  estimate = byok_estimate_request_tokens (held.request);
  byok_engine_shutdown (f->engine);

  rows = byok_test_engine_list_rows (f->engine);
  g_assert_cmpuint (rows->len, ==, 1);
  row = row_at (rows, 0);
  g_assert_cmpstr (row->status, ==, BYOK_USAGE_STATUS_INTERRUPTED);
  g_assert_true (row->estimated);
  g_assert_cmpint (row->input_tokens, ==, estimate);
  g_assert_cmpint (row->output_tokens, >=, byok_estimate_tokens ("Once upon a time there was a very long story", -1));
  g_assert_true (row->price_known);
  g_assert_cmpfloat (row->cost_usd, >, 0);
  totals = today_totals (f->engine);
  g_assert_cmpuint (totals.calls, ==, 1);
  g_assert_cmpuint (totals.interrupted, ==, 1);
  g_assert_cmpuint (totals.errors, ==, 0);
  g_assert_cmpint (totals.input_tokens, ==, estimate);

  result = finish_held (&held);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = byok_test_engine_list_rows (f->engine);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (row_at (rows, 0)->status, ==, BYOK_USAGE_STATUS_INTERRUPTED);
}

/* Rows left in flight by a process that is gone become interrupted when
 * an engine starts; those of a live process (its lock held) stay. */
static void
test_dead_calls_interrupted (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "byok.db", NULL);
  g_autofree char *locks = g_build_filename (f->dir, "running", NULL);
  g_autoptr(ByokProcessLock) live = byok_process_lock_acquire (locks, &error);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(ByokEngine) engine = NULL;
  ByokUsageStore *store = byok_engine_get_usage_store (f->engine);
  ByokUsageRecord record = { 0, };
  gint64 dead_id, live_id;

  g_assert_no_error (error);
  record.provider = (char *) "openai";
  record.model = (char *) "gpt-4o-mini";
  record.input_tokens = 1500;
  record.estimated = TRUE;
  record.price_known = TRUE;
  record.cost_usd = 0.000225;
  dead_id = byok_usage_store_begin_call (store, &record, "0a6c7b7e-1111-4222-8333-444455556666", &error);
  g_assert_no_error (error);
  live_id = byok_usage_store_begin_call (store, &record, byok_process_lock_get_id (live), &error);
  g_assert_no_error (error);

  /* data: opened in two halves, as the app opens it. */
  if (data != NULL)
    engine = byok_engine_open_finish (byok_engine_open_in_thread (path), &error);
  else
    engine = byok_engine_new (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (engine);
  rows = byok_test_engine_list_rows (f->engine);
  g_assert_cmpuint (rows->len, ==, 2);
  for (guint i = 0; i < rows->len; i++)
    {
      ByokUsageRecord *row = row_at (rows, i);

      if (row->id == dead_id)
        g_assert_cmpstr (row->status, ==, BYOK_USAGE_STATUS_INTERRUPTED);
      else
        {
          g_assert_cmpint (row->id, ==, live_id);
          g_assert_cmpstr (row->status, ==, BYOK_USAGE_STATUS_IN_FLIGHT);
        }
      g_assert_true (row->estimated);
      g_assert_cmpint (row->input_tokens, ==, 1500);
    }
}

/* The engine opened in two halves, as the app opens it (its database,
 * catalog and price history in a thread while the toolkit starts, the rest
 * in the thread that uses it), is the engine byok_engine_new() opens: the
 * same catalog and prices, on the same database, and what it records the
 * other sees; a database that cannot be opened fails it as it fails
 * byok_engine_new(). */
static void
test_open_in_thread (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) direct_error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "byok.db", NULL);
  g_autoptr(ByokEngine) engine = NULL;
  g_autoptr(ByokEngine) failed = NULL;
  g_autoptr(GPtrArray) ours = NULL;
  g_autoptr(GPtrArray) theirs = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  ByokUsageRecord record = { 0, };
  double ours_cost = 0, theirs_cost = 0;

  engine = byok_engine_open_finish (byok_engine_open_in_thread (path), &error);
  g_assert_no_error (error);
  g_assert_nonnull (engine);

  ours = byok_catalog_get_all_models (byok_engine_get_catalog (engine));
  theirs = byok_catalog_get_all_models (byok_engine_get_catalog (f->engine));
  g_assert_cmpuint (ours->len, >, 0);
  g_assert_cmpuint (ours->len, ==, theirs->len);
  for (guint i = 0; i < ours->len; i++)
    {
      g_assert_cmpstr (byok_model_get_provider_id (g_ptr_array_index (ours, i)), ==,
                       byok_model_get_provider_id (g_ptr_array_index (theirs, i)));
      g_assert_cmpstr (byok_model_get_id (g_ptr_array_index (ours, i)), ==,
                       byok_model_get_id (g_ptr_array_index (theirs, i)));
    }
  g_assert_true (byok_pricing_cost (byok_engine_get_pricing (engine), "openai", "gpt-4o-mini",
                                    1000000, 0, 0, 1000000, &ours_cost));
  g_assert_true (byok_pricing_cost (byok_engine_get_pricing (f->engine), "openai", "gpt-4o-mini",
                                    1000000, 0, 0, 1000000, &theirs_cost));
  g_assert_cmpfloat (ours_cost, >, 0);
  g_assert_cmpfloat (ours_cost, ==, theirs_cost);
  g_assert_nonnull (byok_engine_get_key_store (engine));
  g_assert_nonnull (byok_engine_get_client (engine));
  g_assert_nonnull (byok_engine_get_provider_settings (engine));

  /* One database: a call it records, the other engine lists. */
  record.provider = (char *) "openai";
  record.model = (char *) "gpt-4o-mini";
  record.input_tokens = 42;
  record.price_known = TRUE;
  record.cost_usd = 0.00001;
  byok_usage_store_begin_call (byok_engine_get_usage_store (engine), &record,
                               "0a6c7b7e-1111-4222-8333-444455556666", &error);
  g_assert_no_error (error);
  rows = byok_test_engine_list_rows (f->engine);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpint (row_at (rows, 0)->input_tokens, ==, 42);

  /* A directory is no database, for either way of opening. */
  failed = byok_engine_open_finish (byok_engine_open_in_thread (f->dir), &error);
  g_assert_null (failed);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE);
  failed = byok_engine_new (f->dir, &direct_error);
  g_assert_null (failed);
  g_assert_error (direct_error, BYOK_ERROR, BYOK_ERROR_STORAGE);
  g_assert_cmpstr (error->message, ==, direct_error->message);
}

/* Opened as byok-cli opens it for a listing of providers or keys
 * (BYOK_ENGINE_OPEN_PROVIDERS_ONLY): the same providers, in the same
 * order, the person's custom one too, and no model; a database that
 * cannot be opened fails it as it fails the others. */
static void
test_open_providers_only (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "byok.db", NULL);
  g_autoptr(ByokEngine) engine = NULL;
  g_autoptr(ByokEngine) failed = NULL;
  g_autoptr(GPtrArray) ours = NULL;
  g_autoptr(GPtrArray) theirs = NULL;
  g_autoptr(GPtrArray) all_models = NULL;
  ByokProvider *custom;

  custom = byok_provider_settings_add_custom (byok_engine_get_provider_settings (f->engine),
                                              byok_engine_get_catalog (f->engine),
                                              byok_engine_get_key_store (f->engine), "my-test-llm",
                                              "My Test LLM", "http://127.0.0.1:9/v1", FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (custom);

  engine = byok_engine_open_finish (byok_engine_open_in_thread_full (path, BYOK_ENGINE_OPEN_PROVIDERS_ONLY), &error);
  g_assert_no_error (error);
  ours = byok_catalog_get_providers (byok_engine_get_catalog (engine));
  theirs = byok_catalog_get_providers (byok_engine_get_catalog (f->engine));
  g_assert_cmpuint (ours->len, ==, theirs->len);
  for (guint i = 0; i < ours->len; i++)
    {
      ByokProvider *a = g_ptr_array_index (ours, i);
      ByokProvider *b = g_ptr_array_index (theirs, i);

      g_assert_cmpstr (byok_provider_get_id (a), ==, byok_provider_get_id (b));
      g_assert_cmpstr (byok_provider_get_name (a), ==, byok_provider_get_name (b));
      g_assert_cmpstr (byok_provider_get_default_base_url (a), ==, byok_provider_get_default_base_url (b));
    }
  g_assert_cmpstr (byok_provider_get_id (g_ptr_array_index (ours, ours->len - 1)), ==, "my-test-llm");
  all_models = byok_catalog_get_all_models (byok_engine_get_catalog (engine));
  g_assert_cmpuint (all_models->len, ==, 0);
  g_clear_pointer (&all_models, g_ptr_array_unref);
  all_models = byok_catalog_get_all_models (byok_engine_get_catalog (f->engine));
  g_assert_cmpuint (all_models->len, >, 0);

  failed = byok_engine_open_finish (byok_engine_open_in_thread_full (f->dir, BYOK_ENGINE_OPEN_PROVIDERS_ONLY),
                                    &error);
  g_assert_null (failed);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE);
}

/* A call that cannot be recorded is not sent: STORAGE, nothing reaches
 * the provider. With recording off it is sent, and nothing is written. */
static void
test_unrecorded_not_sent (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokChatResult) refused = NULL;
  g_autoptr(ByokChatResult) sent = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  /* Writes to usage fail as on a full disk. */
  g_assert_true (byok_database_exec (byok_engine_get_database (f->engine),
                                     "CREATE TRIGGER full BEFORE INSERT ON usage BEGIN"
                                     "  SELECT RAISE (ABORT, 'database or disk is full');"
                                     "END;", &error));
  g_assert_no_error (error);
  byok_test_server_add_reply (f->server, "/v1/chat/completions", openai_stream_reply ());

  refused = run_chat (f, "openai", "gpt-4o-mini", NULL);
  g_assert_error (refused->error, BYOK_ERROR, BYOK_ERROR_STORAGE);
  g_test_message ("%s", refused->error->message);
  g_assert_nonnull (strstr (refused->error->message, "Not sent"));
  g_assert_nonnull (strstr (refused->error->message, "disk is full"));
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 0);
  g_assert_cmpuint (refused->attempts->len, ==, 1);
  g_assert_cmpstr (f->text->str, ==, "");

  byok_engine_set_record_calls (f->engine, FALSE);
  sent = run_chat (f, "openai", "gpt-4o-mini", NULL);
  g_assert_no_error (sent->error);
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 1);
  rows = byok_test_engine_list_rows (f->engine);
  g_assert_cmpuint (rows->len, ==, 0);
}

/* What a call says is its own: two calls at once, each one's "delta"
 * carries its answer and nothing of the other's, and its "attempt"
 * carries each attempt as the engine recorded and priced it — the cost
 * in the result is the one in the usage rows. */
typedef struct {
  GString      *text;
  GPtrArray    *attempts;   /* ByokAttempt, copies */
  GAsyncResult *async;
} CallSeen;

static void
seen_delta (ByokChatCall *call,
            const char   *text,
            CallSeen     *seen)
{
  g_string_append (seen->text, text);
}

static void
seen_attempt (ByokChatCall      *call,
              const ByokAttempt *attempt,
              CallSeen          *seen)
{
  g_ptr_array_add (seen->attempts, byok_attempt_copy (attempt));
}

static ByokChatCall *
start_seen (Fixture    *f,
            const char *provider_id,
            const char *model,
            CallSeen   *seen)
{
  g_autoptr(ByokChatRequest) request = byok_chat_request_new_simple (model, NULL, "Hello");
  ByokChatCall *call;

  request->stream = TRUE;
  seen->text = g_string_new (NULL);
  seen->attempts = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_attempt_free);
  seen->async = NULL;
  call = byok_engine_new_chat (f->engine, request, provider_id, NULL, NULL, 0);
  g_assert_true (byok_chat_call_get_request (call) == request);
  g_assert_cmpstr (byok_chat_call_get_provider_id (call), ==, provider_id);
  g_assert_cmpstr (byok_chat_call_get_model (call), ==, model);
  g_signal_connect (call, "delta", G_CALLBACK (seen_delta), seen);
  g_signal_connect (call, "attempt", G_CALLBACK (seen_attempt), seen);
  byok_chat_call_run_async (call, NULL, byok_test_store_result, &seen->async);
  return call;
}

static void
test_call_signals_its_own (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *moonshot = byok_test_read_fixture ("openai", "moonshot-stream.sse");
  g_autoptr(ByokChatCall) a = NULL;
  g_autoptr(ByokChatCall) b = NULL;
  g_autoptr(ByokChatResult) result_a = NULL;
  g_autoptr(ByokChatResult) result_b = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  CallSeen seen_a, seen_b;
  ByokTestReply *reply;

  byok_test_server_add_reply (f->server, "/v1/chat/completions", openai_stream_reply ());
  reply = byok_test_reply_new (200);
  byok_test_reply_add_header (reply, "Content-Type", "text/event-stream");
  byok_test_reply_add_chunk (reply, moonshot);
  byok_test_server_add_reply (f->server, "/moonshot/v1/chat/completions", reply);

  a = start_seen (f, "openai", "gpt-4o-mini", &seen_a);
  b = start_seen (f, "moonshot", "kimi-k2-0905-preview", &seen_b);
  while (seen_a.async == NULL || seen_b.async == NULL)
    g_main_context_iteration (NULL, TRUE);
  result_a = byok_chat_call_run_finish (a, seen_a.async);
  result_b = byok_chat_call_run_finish (b, seen_b.async);
  g_assert_no_error (result_a->error);
  g_assert_no_error (result_b->error);
  g_assert_true (byok_chat_call_get_result (a) == result_a);

  g_assert_cmpstr (result_a->text->str, !=, result_b->text->str);
  g_assert_cmpstr (seen_a.text->str, ==, result_a->text->str);
  g_assert_cmpstr (seen_b.text->str, ==, result_b->text->str);

  rows = byok_test_engine_list_rows (f->engine);
  g_assert_cmpuint (rows->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      CallSeen *seen = i == 0 ? &seen_a : &seen_b;
      ByokChatResult *result = i == 0 ? result_a : result_b;
      const ByokAttempt *attempt;
      const ByokUsageRecord *row = NULL;

      g_assert_cmpuint (seen->attempts->len, ==, 1);
      attempt = g_ptr_array_index (seen->attempts, 0);
      g_assert_cmpint (attempt->usage_id, >, 0);
      for (guint j = 0; j < rows->len; j++)
        if (row_at (rows, j)->id == attempt->usage_id)
          row = row_at (rows, j);
      g_assert_nonnull (row);
      g_assert_cmpstr (row->provider, ==, attempt->provider_id);
      g_assert_true (attempt->cost_known);
      g_assert_true (row->price_known);
      g_assert_cmpfloat (attempt->cost_usd, ==, row->cost_usd);
      g_assert_true (result->cost_known);
      g_assert_cmpfloat (result->cost_usd, ==, row->cost_usd);
      g_assert_cmpfloat (result->cost_usd, >, 0);
      g_string_free (seen->text, TRUE);
      g_ptr_array_unref (seen->attempts);
      g_object_unref (seen->async);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/engine/records/priced", test_records_priced_call);
  ADD ("/engine/records/every-attempt", test_records_every_attempt);
  ADD ("/engine/records/unknown-price", test_unknown_price);
  ADD ("/engine/records/estimated-usage", test_estimates_unreported_usage);
  ADD ("/engine/records/reported-cost", test_records_reported_cost);
  ADD ("/engine/calls/signals-its-own", test_call_signals_its_own);
  ADD ("/engine/budget/hard-stop", test_budget_hard_stop);
  ADD ("/engine/budget/stopped-fallback", test_budget_stops_fallback_only);
  ADD ("/engine/budget/over-once", test_budget_over_once);
  ADD ("/engine/budget/alerts", test_budget_alerts);
  ADD ("/engine/key-events", test_key_events_recorded);
  ADD ("/engine/calls/in-flight", test_in_flight_row);
  g_test_add ("/engine/calls/ends-at-answer-end/openai", Fixture, &held_open[0], fixture_setup,
              test_ends_at_answer_end, fixture_teardown);
  g_test_add ("/engine/calls/ends-at-answer-end/anthropic", Fixture, &held_open[1], fixture_setup,
              test_ends_at_answer_end, fixture_teardown);
  g_test_add ("/engine/calls/ends-at-answer-end/gemini", Fixture, &held_open[2], fixture_setup,
              test_ends_at_answer_end, fixture_teardown);
  ADD ("/engine/calls/shutdown", test_shutdown_interrupts);
  ADD ("/engine/calls/dead-process", test_dead_calls_interrupted);
  g_test_add ("/engine/calls/dead-process/opened-in-thread", Fixture, "thread", fixture_setup,
              test_dead_calls_interrupted, fixture_teardown);
  ADD ("/engine/open-in-thread", test_open_in_thread);
  ADD ("/engine/open-providers-only", test_open_providers_only);
  ADD ("/engine/calls/unrecorded-not-sent", test_unrecorded_not_sent);

  return g_test_run ();
}
