/* test-usage-store.c — usage records, reports, budgets, export, crash safety */
#include "config.h"

#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <json-glib/json-glib.h>

#include "byok-database.h"
#include "byok-error.h"
#include "byok-usage-store.h"
#include "byok-test-engine.h"
#include "byok-test-sigkill.h"
#include "byok-test-util.h"

#define MS 1000
#define SEC G_USEC_PER_SEC

typedef ByokTestStore Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  byok_test_store_open (fixture, "usage");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  byok_test_store_close (fixture);
}

/* One call; @cost < 0 means the price was unknown. */
static gint64
add_call (ByokUsageStore *store,
          gint64          time_us,
          const char     *provider,
          const char     *model,
          gint64          input,
          gint64          output,
          gint64          cached,
          gint64          cache_write,
          gint64          reasoning,
          double          cost,
          double          savings,
          gint64          latency_us,
          const char     *status)
{
  ByokUsageRecord record = {
    .time_us = time_us,
    .provider = (char *) provider,
    .model = (char *) model,
    .input_tokens = input,
    .output_tokens = output,
    .cached_input_tokens = cached,
    .cache_write_tokens = cache_write,
    .reasoning_tokens = reasoning,
    .price_known = cost >= 0,
    .cost_usd = cost,
    .cache_savings_usd = savings,
    .latency_us = latency_us,
    .ttft_us = -1,
    .status = (char *) status,
    .attempt = 1,
  };

  return byok_test_record_usage (store, &record);
}

static void
count_signal (ByokUsageStore *store,
              guint          *count)
{
  (*count)++;
}

static void
test_usage_record (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) recent = NULL;
  ByokUsageRecord *r;
  guint changed = 0;
  gint64 before = g_get_real_time ();
  gint64 ok_id, failed_id;
  ByokUsageRecord failure = {
    .provider = (char *) "anthropic",
    .model = (char *) "claude-sonnet-4",
    .conversation_id = 0,
    .price_known = FALSE,
    .latency_us = 250 * MS,
    .ttft_us = -1,
    .status = (char *) "AUTH",
    .http_status = 401,
    .is_retry = TRUE,
    .is_fallback = TRUE,
    .attempt = 2,
  };
  ByokUsageRecord bad = { .provider = (char *) "openai" };

  g_signal_connect (fixture->store, "changed", G_CALLBACK (count_signal), &changed);

  ok_id = add_call (fixture->store, 1700000000000000, "openai", "gpt-4o-mini",
                    1200, 300, 1000, 0, 64, 0.000555, 0.000075, 900 * MS, "ok");
  g_assert_cmpint (changed, ==, 1);
  failed_id = byok_usage_store_record (fixture->store, &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpint (failed_id, >, ok_id);
  g_assert_cmpint (changed, ==, 2);

  /* A record without a model is refused, and nothing is emitted. */
  g_assert_cmpint (byok_usage_store_record (fixture->store, &bad, &error), ==, 0);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (changed, ==, 2);

  recent = byok_usage_store_list_recent (fixture->store, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recent->len, ==, 2);

  /* Newest first: the failure was recorded "now". */
  r = g_ptr_array_index (recent, 0);
  g_assert_cmpint (r->id, ==, failed_id);
  g_assert_cmpint (r->time_us, >=, before);
  g_assert_cmpint (r->time_us, <=, g_get_real_time ());
  g_assert_cmpstr (r->provider, ==, "anthropic");
  g_assert_cmpstr (r->status, ==, "auth");
  g_assert_false (r->price_known);
  g_assert_cmpint (r->ttft_us, ==, -1);
  g_assert_cmpint (r->http_status, ==, 401);
  g_assert_true (r->is_retry);
  g_assert_true (r->is_fallback);
  g_assert_cmpint (r->attempt, ==, 2);
  g_assert_cmpint (r->conversation_id, ==, 0);

  r = g_ptr_array_index (recent, 1);
  g_assert_cmpint (r->id, ==, ok_id);
  g_assert_cmpint (r->time_us, ==, 1700000000000000);
  g_assert_cmpstr (r->model, ==, "gpt-4o-mini");
  g_assert_cmpint (r->input_tokens, ==, 1200);
  g_assert_cmpint (r->output_tokens, ==, 300);
  g_assert_cmpint (r->cached_input_tokens, ==, 1000);
  g_assert_cmpint (r->reasoning_tokens, ==, 64);
  g_assert_true (r->price_known);
  g_assert_cmpfloat (r->cost_usd, ==, 0.000555);
  g_assert_cmpfloat (r->cache_savings_usd, ==, 0.000075);
  g_assert_cmpint (r->latency_us, ==, 900 * MS);
  g_assert_cmpstr (r->status, ==, "ok");
  g_assert_cmpint (r->http_status, ==, 0);
  g_assert_cmpint (r->attempt, ==, 1);

  {
    g_autoptr(ByokUsageRecord) copy = byok_usage_record_copy (r);

    g_assert_cmpstr (copy->model, ==, r->model);
    g_assert_true (copy->model != r->model);
  }

  /* The unknown price is a NULL cost in the table. */
  {
    g_autoptr(sqlite3_stmt) stmt = NULL;

    stmt = byok_database_prepare (fixture->database,
                                  "SELECT count(*) FROM usage WHERE cost_usd IS NULL AND price_known = 0",
                                  &error);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  }
}

/* March 2024 in Berlin: CET until the 31st at 02:00, then CEST. */
static void
add_march_calls (ByokUsageStore *store)
{
  static const struct {
    int         local[5];     /* year, month, day, hour, minute */
    gint64      shift_us;
    const char *provider;
    const char *model;
    gint64      input, output, cached, cache_write, reasoning;
    double      cost, savings;
    gint64      latency_ms;
    const char *status;
  } calls[] = {
    /* Outside the month, on both sides. */
    { { 2024, 3, 1, 0, 0 }, -1, "openai", "gpt-4o", 1, 1, 0, 0, 0, 2.0, 0, 1, "ok" },
    { { 2024, 4, 1, 0, 0 }, 0, "openai", "gpt-4o", 1, 1, 0, 0, 0, 4.0, 0, 1, "ok" },

    { { 2024, 3, 10, 12, 0 }, 0, "openai", "gpt-4o", 1000, 200, 400, 0, 0, 0.5, 0.125, 1000, "ok" },
    /* 23:30 local is 22:30 UTC: still the 10th. */
    { { 2024, 3, 10, 23, 30 }, 0, "openai", "gpt-4o-mini", 100, 50, 0, 0, 0, 0.25, 0, 2000, "ok" },
    /* 00:30 local is 23:30 UTC of the 10th: the 11th here. */
    { { 2024, 3, 11, 0, 30 }, 0, "anthropic", "claude", 2000, 300, 1000, 500, 100, 1.0, 0.25, 3000, "ok" },
    { { 2024, 3, 11, 9, 0 }, 0, "anthropic", "claude", 0, 0, 0, 0, 0, 0.0, 0, 4000, "RATE_LIMIT" },
    { { 2024, 3, 12, 10, 0 }, 0, "deepseek", "deepseek-chat", 300, 30, 0, 0, 0, -1, 0, 5000, "ok" },
    { { 2024, 3, 31, 22, 0 }, 0, "openai", "gpt-4o", 10, 5, 0, 0, 0, 0.125, 0, 6000, "ok" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    add_call (store,
              byok_test_local_us (calls[i].local[0], calls[i].local[1], calls[i].local[2], calls[i].local[3], calls[i].local[4], 0) +
              calls[i].shift_us,
              calls[i].provider, calls[i].model, calls[i].input, calls[i].output, calls[i].cached,
              calls[i].cache_write, calls[i].reasoning, calls[i].cost, calls[i].savings,
              calls[i].latency_ms * MS, calls[i].status);
}

static ByokUsageGroup *
group_at (GPtrArray *groups,
          guint      index)
{
  g_assert_cmpuint (index, <, groups->len);
  return g_ptr_array_index (groups, index);
}

static void
check_march_report (ByokUsageReport *report)
{
  const ByokUsageTotals *t = &report->totals;
  ByokUsageGroup *g;

  g_assert_cmpint (report->from_us, ==, byok_test_local_us (2024, 3, 1, 0, 0, 0));
  g_assert_cmpint (report->to_us, ==, byok_test_local_us (2024, 4, 1, 0, 0, 0));

  g_assert_cmpuint (t->calls, ==, 6);
  g_assert_cmpuint (t->errors, ==, 1);
  g_assert_cmpuint (t->input_tokens, ==, 3410);
  g_assert_cmpuint (t->output_tokens, ==, 585);
  g_assert_cmpuint (t->cached_input_tokens, ==, 1400);
  g_assert_cmpuint (t->cache_write_tokens, ==, 500);
  g_assert_cmpuint (t->reasoning_tokens, ==, 100);
  g_assert_cmpfloat (t->cost_usd, ==, 1.875);
  g_assert_cmpuint (t->unknown_price_calls, ==, 1);
  g_assert_cmpfloat (t->cache_savings_usd, ==, 0.375);
  g_assert_cmpfloat_with_epsilon (t->error_rate, 1.0 / 6.0, 1e-12);
  /* ok latencies 1, 2, 3, 5, 6 s: nearest rank 3 and 5. */
  g_assert_cmpint (t->latency_p50_us, ==, 3000 * MS);
  g_assert_cmpint (t->latency_p95_us, ==, 6000 * MS);

  /* By local day: every day of March, the short DST day included. */
  g_assert_cmpuint (report->by_bucket->len, ==, 31);
  g = group_at (report->by_bucket, 0);
  g_assert_cmpstr (g->bucket, ==, "2024-03-01");
  g_assert_cmpuint (g->totals.calls, ==, 0);
  g_assert_cmpint (g->totals.latency_p50_us, ==, -1);
  g_assert_null (g->provider);

  g = group_at (report->by_bucket, 9);
  g_assert_cmpstr (g->bucket, ==, "2024-03-10");
  g_assert_cmpuint (g->totals.calls, ==, 2);
  g_assert_cmpfloat (g->totals.cost_usd, ==, 0.75);
  g_assert_cmpint (g->start_us, ==, byok_test_local_us (2024, 3, 10, 0, 0, 0));
  g_assert_cmpint (g->end_us - g->start_us, ==, (gint64) 24 * 3600 * SEC);

  g = group_at (report->by_bucket, 10);
  g_assert_cmpstr (g->bucket, ==, "2024-03-11");
  g_assert_cmpuint (g->totals.calls, ==, 2);
  g_assert_cmpuint (g->totals.errors, ==, 1);
  g_assert_cmpfloat (g->totals.error_rate, ==, 0.5);
  g_assert_cmpuint (g->totals.cache_write_tokens, ==, 500);
  g_assert_cmpint (g->totals.latency_p50_us, ==, 3000 * MS);
  g_assert_cmpint (g->totals.latency_p95_us, ==, 3000 * MS);

  g = group_at (report->by_bucket, 11);
  g_assert_cmpstr (g->bucket, ==, "2024-03-12");
  g_assert_cmpuint (g->totals.unknown_price_calls, ==, 1);
  g_assert_cmpfloat (g->totals.cost_usd, ==, 0);

  g = group_at (report->by_bucket, 30);
  g_assert_cmpstr (g->bucket, ==, "2024-03-31");
  g_assert_cmpuint (g->totals.calls, ==, 1);
  g_assert_cmpint (g->end_us - g->start_us, ==, (gint64) 23 * 3600 * SEC);
  g_assert_cmpint (g->end_us, ==, report->to_us);

  /* By provider, most expensive first. */
  g_assert_cmpuint (report->by_provider->len, ==, 3);
  g = group_at (report->by_provider, 0);
  g_assert_cmpstr (g->provider, ==, "anthropic");
  g_assert_null (g->model);
  g_assert_cmpuint (g->totals.calls, ==, 2);
  g_assert_cmpfloat (g->totals.cost_usd, ==, 1.0);
  g_assert_cmpfloat (g->totals.error_rate, ==, 0.5);
  g = group_at (report->by_provider, 1);
  g_assert_cmpstr (g->provider, ==, "openai");
  g_assert_cmpuint (g->totals.calls, ==, 3);
  g_assert_cmpfloat (g->totals.cost_usd, ==, 0.875);
  g_assert_cmpuint (g->totals.input_tokens, ==, 1110);
  g_assert_cmpfloat (g->totals.cache_savings_usd, ==, 0.125);
  g_assert_cmpint (g->totals.latency_p50_us, ==, 2000 * MS);
  g_assert_cmpint (g->totals.latency_p95_us, ==, 6000 * MS);
  g = group_at (report->by_provider, 2);
  g_assert_cmpstr (g->provider, ==, "deepseek");
  g_assert_cmpuint (g->totals.unknown_price_calls, ==, 1);
  g_assert_cmpfloat (g->totals.cost_usd, ==, 0);

  /* By model. */
  g_assert_cmpuint (report->by_model->len, ==, 4);
  g = group_at (report->by_model, 0);
  g_assert_cmpstr (g->provider, ==, "anthropic");
  g_assert_cmpstr (g->model, ==, "claude");
  g = group_at (report->by_model, 1);
  g_assert_cmpstr (g->provider, ==, "openai");
  g_assert_cmpstr (g->model, ==, "gpt-4o");
  g_assert_cmpuint (g->totals.calls, ==, 2);
  g_assert_cmpfloat (g->totals.cost_usd, ==, 0.625);
  g_assert_cmpuint (g->totals.output_tokens, ==, 205);
  g = group_at (report->by_model, 2);
  g_assert_cmpstr (g->model, ==, "gpt-4o-mini");
  g_assert_cmpfloat (g->totals.cost_usd, ==, 0.25);
  g = group_at (report->by_model, 3);
  g_assert_cmpstr (g->model, ==, "deepseek-chat");

  /* Provider per day, for the stacked chart: non-empty pairs only. */
  g_assert_cmpuint (report->by_provider_bucket->len, ==, 4);
  g = group_at (report->by_provider_bucket, 0);
  g_assert_cmpstr (g->bucket, ==, "2024-03-10");
  g_assert_cmpstr (g->provider, ==, "openai");
  g_assert_cmpuint (g->totals.calls, ==, 2);
  g_assert_cmpfloat (g->totals.cost_usd, ==, 0.75);
  g = group_at (report->by_provider_bucket, 1);
  g_assert_cmpstr (g->bucket, ==, "2024-03-11");
  g_assert_cmpstr (g->provider, ==, "anthropic");
  g = group_at (report->by_provider_bucket, 2);
  g_assert_cmpstr (g->bucket, ==, "2024-03-12");
  g_assert_cmpstr (g->provider, ==, "deepseek");
  g = group_at (report->by_provider_bucket, 3);
  g_assert_cmpstr (g->bucket, ==, "2024-03-31");
  g_assert_cmpstr (g->provider, ==, "openai");
  g_assert_cmpfloat (g->totals.cost_usd, ==, 0.125);
}

static void
test_usage_report (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokUsageReport) report = NULL;
  g_autoptr(ByokUsageReport) empty = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_local (2024, 3, 15, 12, 0, 0);
  gint64 from, to;
  ByokUsageBucket bucket;

  add_march_calls (fixture->store);

  bucket = byok_usage_period_get_range (BYOK_USAGE_PERIOD_THIS_MONTH, now, &from, &to);
  g_assert_cmpint (bucket, ==, BYOK_USAGE_BUCKET_DAY);
  report = byok_usage_store_report (fixture->store, from, to, bucket, NULL, &error);
  g_assert_no_error (error);
  check_march_report (report);

  /* A day with nothing: zeros, one bucket. */
  empty = byok_usage_store_report (fixture->store, byok_test_local_us (2024, 3, 20, 0, 0, 0),
                                   byok_test_local_us (2024, 3, 21, 0, 0, 0), BYOK_USAGE_BUCKET_DAY,
                                   NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->totals.calls, ==, 0);
  g_assert_cmpfloat (empty->totals.error_rate, ==, 0);
  g_assert_cmpint (empty->totals.latency_p95_us, ==, -1);
  g_assert_cmpuint (empty->by_bucket->len, ==, 1);
  g_assert_cmpuint (empty->by_provider->len, ==, 0);

  /* A backwards period is refused, and so is a millennium by day. */
  g_assert_null (byok_usage_store_report (fixture->store, to, from, bucket, NULL, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (byok_usage_store_report (fixture->store, 0, byok_test_local_us (3000, 1, 1, 0, 0, 0),
                                          BYOK_USAGE_BUCKET_DAY, NULL, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (byok_usage_store_report (fixture->store, 0, G_MAXINT64,
                                          BYOK_USAGE_BUCKET_MONTH, NULL, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);

  /* All of history by month is fine. */
  {
    g_autoptr(ByokUsageReport) all = byok_usage_store_report (fixture->store, 0, g_get_real_time (),
                                                               BYOK_USAGE_BUCKET_MONTH, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (all->totals.calls, ==, 8);
    g_assert_cmpstr (group_at (all->by_bucket, 0)->bucket, ==, "1970-01");
  }
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static void
test_usage_percentiles (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokUsageReport) report = NULL;
  gint64 t = byok_test_local_us (2024, 5, 5, 10, 0, 0);

  /* 1..20 ms ok, in shuffled order, and a slow failure that must not count. */
  for (int i = 0; i < 20; i++)
    add_call (fixture->store, t + i, "groq", "llama", 1, 1, 0, 0, 0, 0, 0,
              ((i * 7) % 20 + 1) * MS, "ok");
  add_call (fixture->store, t + 30, "groq", "llama", 0, 0, 0, 0, 0, 0, 0, 60000 * MS, "TIMEOUT");

  report = byok_usage_store_report (fixture->store, t, t + SEC, BYOK_USAGE_BUCKET_DAY, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->totals.calls, ==, 21);
  g_assert_cmpint (report->totals.latency_p50_us, ==, 10 * MS);
  g_assert_cmpint (report->totals.latency_p95_us, ==, 19 * MS);
  g_assert_cmpfloat_with_epsilon (report->totals.error_rate, 1.0 / 21.0, 1e-12);
  /* A period that starts mid-day: the one bucket is clipped to it. */
  g_assert_cmpuint (report->by_bucket->len, ==, 1);
  g_assert_cmpstr (group_at (report->by_bucket, 0)->bucket, ==, "2024-05-05");
  g_assert_cmpint (group_at (report->by_bucket, 0)->start_us, ==, t);
  g_assert_cmpint (group_at (report->by_model, 0)->totals.latency_p95_us, ==, 19 * MS);

  /* Many random latencies with repeats: same as sorting and taking the
   * nearest rank. */
  {
    g_autoptr(GRand) rand = g_rand_new_with_seed (1234);
    g_autoptr(GArray) sorted = g_array_new (FALSE, FALSE, sizeof (gint64));
    g_autoptr(ByokUsageReport) many = NULL;
    gint64 day = byok_test_local_us (2024, 6, 1, 8, 0, 0);
    guint n = 1001;

    for (guint i = 0; i < n; i++)
      {
        gint64 latency = g_rand_int_range (rand, 1, 300) * MS;

        g_array_append_val (sorted, latency);
        add_call (fixture->store, day + i, "mistral", "small", 1, 1, 0, 0, 0, 0, 0, latency, "ok");
      }
    g_array_sort (sorted, compare_gint64);

    many = byok_usage_store_report (fixture->store, day, day + SEC, BYOK_USAGE_BUCKET_DAY, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (many->totals.calls, ==, n);
    g_assert_cmpint (many->totals.latency_p50_us, ==, g_array_index (sorted, gint64, (50 * n + 99) / 100 - 1));
    g_assert_cmpint (many->totals.latency_p95_us, ==, g_array_index (sorted, gint64, (95 * n + 99) / 100 - 1));
    g_assert_cmpint (group_at (many->by_bucket, 0)->totals.latency_p95_us, ==, many->totals.latency_p95_us);
  }
}

static void
check_range (ByokUsagePeriod  period,
             GDateTime       *now,
             gint64           from,
             gint64           to,
             ByokUsageBucket  bucket)
{
  gint64 f, t;

  g_assert_cmpint (byok_usage_period_get_range (period, now, &f, &t), ==, bucket);
  g_assert_cmpint (f, ==, from);
  g_assert_cmpint (t, ==, to);
}

static void
test_usage_periods (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GDateTime) march_1 = g_date_time_new_local (2024, 3, 1, 0, 30, 0);
  g_autoptr(GDateTime) new_year_eve = g_date_time_new_local (2024, 12, 31, 23, 59, 59);
  g_autoptr(GDateTime) utc = g_date_time_new_utc (2024, 2, 29, 23, 30, 0);  /* 00:30 on Mar 1 in Berlin */
  /* Each period's local days, from and to, and its bucket, at a time */
  const struct {
    ByokUsagePeriod   period;
    GDateTime       **now;
    int               from[3];
    int               to[3];
    ByokUsageBucket   bucket;
  } ranges[] = {
    { BYOK_USAGE_PERIOD_TODAY, &march_1, { 2024, 3, 1 }, { 2024, 3, 2 }, BYOK_USAGE_BUCKET_DAY },
    { BYOK_USAGE_PERIOD_TODAY, &utc, { 2024, 3, 1 }, { 2024, 3, 2 }, BYOK_USAGE_BUCKET_DAY },
    { BYOK_USAGE_PERIOD_LAST_7_DAYS, &march_1, { 2024, 2, 24 }, { 2024, 3, 2 }, BYOK_USAGE_BUCKET_DAY },
    { BYOK_USAGE_PERIOD_LAST_30_DAYS, &march_1, { 2024, 2, 1 }, { 2024, 3, 2 }, BYOK_USAGE_BUCKET_DAY },
    { BYOK_USAGE_PERIOD_THIS_MONTH, &march_1, { 2024, 3, 1 }, { 2024, 4, 1 }, BYOK_USAGE_BUCKET_DAY },
    { BYOK_USAGE_PERIOD_LAST_12_MONTHS, &march_1, { 2023, 4, 1 }, { 2024, 4, 1 }, BYOK_USAGE_BUCKET_MONTH },
    { BYOK_USAGE_PERIOD_THIS_MONTH, &new_year_eve, { 2024, 12, 1 }, { 2025, 1, 1 }, BYOK_USAGE_BUCKET_DAY },
    { BYOK_USAGE_PERIOD_LAST_12_MONTHS, &new_year_eve, { 2024, 1, 1 }, { 2025, 1, 1 }, BYOK_USAGE_BUCKET_MONTH },
    { BYOK_USAGE_PERIOD_LAST_7_DAYS, &new_year_eve, { 2024, 12, 25 }, { 2025, 1, 1 }, BYOK_USAGE_BUCKET_DAY },
  };
  /* What a provider (NULL: all) spent in a month */
  const struct {
    const char *provider;
    int         month[2];
    double      spent;
  } spends[] = {
    /* The last microsecond of February is February's. */
    { NULL, { 2024, 2 }, 2.0 },
    { NULL, { 2024, 3 }, 1.875 },
    { NULL, { 2024, 4 }, 4.0 },
    { "openai", { 2024, 3 }, 0.875 },
    { "deepseek", { 2024, 3 }, 0 },
    { "nobody", { 2024, 3 }, 0 },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokUsageReport) year = NULL;
  gint64 from, to;
  ByokUsageBucket bucket;

  for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
    check_range (ranges[i].period, *ranges[i].now,
                 byok_test_local_us (ranges[i].from[0], ranges[i].from[1], ranges[i].from[2], 0, 0, 0),
                 byok_test_local_us (ranges[i].to[0], ranges[i].to[1], ranges[i].to[2], 0, 0, 0), ranges[i].bucket);

  /* Month spend. */
  add_march_calls (fixture->store);
  for (guint i = 0; i < G_N_ELEMENTS (spends); i++)
    g_assert_cmpfloat (byok_usage_store_month_spend (fixture->store, spends[i].provider, spends[i].month[0],
                                                     spends[i].month[1], &error), ==, spends[i].spent);
  g_assert_no_error (error);
  byok_usage_store_month_spend (fixture->store, NULL, 2024, 13, &error);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);

  /* Twelve months by month. */
  bucket = byok_usage_period_get_range (BYOK_USAGE_PERIOD_LAST_12_MONTHS, march_1, &from, &to);
  year = byok_usage_store_report (fixture->store, from, to, bucket, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (year->by_bucket->len, ==, 12);
  g_assert_cmpstr (group_at (year->by_bucket, 0)->bucket, ==, "2023-04");
  g_assert_cmpstr (group_at (year->by_bucket, 10)->bucket, ==, "2024-02");
  g_assert_cmpfloat (group_at (year->by_bucket, 10)->totals.cost_usd, ==, 2.0);
  g_assert_cmpstr (group_at (year->by_bucket, 11)->bucket, ==, "2024-03");
  g_assert_cmpuint (group_at (year->by_bucket, 11)->totals.calls, ==, 6);
  g_assert_cmpint (group_at (year->by_bucket, 11)->end_us, ==, byok_test_local_us (2024, 4, 1, 0, 0, 0));
  g_assert_cmpuint (year->totals.calls, ==, 7);
  g_assert_cmpfloat (year->totals.cost_usd, ==, 3.875);
  g_assert_cmpuint (year->by_provider_bucket->len, ==, 4);  /* Feb openai; Mar openai, anthropic, deepseek */
}

static void
check_budget (ByokUsageStore *store,
              const char     *provider,
              gboolean        allowed,
              guint           percent,
              const char     *scope)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *crossed_scope = NULL;
  guint crossed = 999;
  gboolean ok;

  ok = byok_usage_store_check_budget (store, provider, &crossed, &crossed_scope, &error);
  if (allowed)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_error (error, BYOK_ERROR, BYOK_ERROR_BUDGET);
      g_assert_false (ok);
      g_test_message ("%s", error->message);
    }
  g_assert_cmpuint (crossed, ==, percent);
  g_assert_cmpstr (crossed_scope, ==, scope);
}

static void
spend (ByokUsageStore *store,
       const char     *provider,
       double          cost)
{
  add_call (store, 0, provider, "m", 10, 10, 0, 0, 0, cost, 0, 100 * MS, "ok");
}

static void
test_usage_budget (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokBudget) budget = NULL;
  g_autoptr(GPtrArray) budgets = NULL;
  ByokUsageStore *store = fixture->store;

  /* No budget: always allowed, never an alert. */
  spend (store, "anthropic", 4.0);
  check_budget (store, "anthropic", TRUE, 0, NULL);
  g_assert_null (byok_usage_store_get_budget (store, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (byok_usage_store_set_budget (store, NULL, 10.0, FALSE, &error));
  g_assert_no_error (error);
  check_budget (store, "anthropic", TRUE, 0, NULL);          /* 40 % */
  spend (store, "anthropic", 1.0);
  check_budget (store, "anthropic", TRUE, 50, "all");        /* 50 % */
  check_budget (store, "anthropic", TRUE, 0, NULL);          /* once */
  check_budget (store, NULL, TRUE, 0, NULL);
  spend (store, "anthropic", 3.0);
  check_budget (store, "anthropic", TRUE, 80, "all");        /* 80 % */
  check_budget (store, "anthropic", TRUE, 0, NULL);
  spend (store, "anthropic", 2.0);
  check_budget (store, NULL, TRUE, 100, "all");              /* 100 %, no hard stop */
  check_budget (store, "anthropic", TRUE, 0, NULL);

  budget = byok_usage_store_get_budget (store, BYOK_BUDGET_SCOPE_ALL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (budget->scope, ==, "all");
  g_assert_cmpfloat (budget->monthly_usd, ==, 10.0);
  g_assert_false (budget->hard_stop);
  g_assert_cmpint (budget->last_alert_percent, ==, 100);
  g_assert_nonnull (budget->alert_month);
  g_clear_pointer (&budget, byok_budget_free);

  /* Hard stop on the same amount: blocked, and the alerts stay given. */
  g_assert_true (byok_usage_store_set_budget (store, NULL, 10.0, TRUE, &error));
  {
    guint crossed = 999;

    g_assert_false (byok_usage_store_check_budget (store, "anthropic", &crossed, NULL, &error));
    g_assert_error (error, BYOK_ERROR, BYOK_ERROR_BUDGET);
    g_assert_cmpuint (crossed, ==, 0);
    g_assert_nonnull (strstr (error->message, "$10.00"));
    g_assert_nonnull (strstr (error->message, "Raise the budget"));
    g_clear_error (&error);
  }

  /* Raised: allowed again; the alerts start over for the new amount. */
  g_assert_true (byok_usage_store_set_budget (store, NULL, 40.0, TRUE, &error));
  check_budget (store, "anthropic", TRUE, 0, NULL);          /* 25 % */

  /* A provider's own budget, with hard stop. */
  g_assert_true (byok_usage_store_set_budget (store, "openai", 2.0, TRUE, &error));
  spend (store, "openai", 1.5);
  check_budget (store, "openai", TRUE, 50, "openai");        /* 75 % of openai's */
  spend (store, "openai", 0.5);
  check_budget (store, "openai", FALSE, 100, "openai");
  check_budget (store, "openai", FALSE, 0, NULL);            /* still blocked, no new alert */
  check_budget (store, "anthropic", TRUE, 0, NULL);          /* all: 12 of 40 */
  check_budget (store, NULL, TRUE, 0, NULL);
  {
    guint crossed;

    byok_usage_store_check_budget (store, "openai", &crossed, NULL, &error);
    g_assert_error (error, BYOK_ERROR, BYOK_ERROR_BUDGET);
    g_assert_nonnull (strstr (error->message, "openai"));
    g_assert_nonnull (strstr (error->message, "$2.00"));
    g_clear_error (&error);
  }

  /* A jump past two thresholds gives the highest one only. */
  g_assert_true (byok_usage_store_set_budget (store, "groq", 1.0, FALSE, &error));
  spend (store, "groq", 0.875);
  check_budget (store, "groq", TRUE, 80, "groq");
  spend (store, "groq", 0.125);
  check_budget (store, "groq", TRUE, 100, "groq");
  check_budget (store, "groq", TRUE, 0, NULL);

  /* A new month fires them again. */
  g_assert_true (byok_database_exec (fixture->database,
                                     "UPDATE budgets SET alert_month = '2000-01' WHERE scope = 'groq'",
                                     &error));
  check_budget (store, "groq", TRUE, 100, "groq");

  /* Bad amounts. */
  g_assert_false (byok_usage_store_set_budget (store, "groq", 0, FALSE, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (byok_usage_store_set_budget (store, "groq", NAN, FALSE, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);

  budgets = byok_usage_store_list_budgets (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (budgets->len, ==, 3);
  g_assert_cmpstr (((ByokBudget *) budgets->pdata[0])->scope, ==, "all");
  g_assert_cmpstr (((ByokBudget *) budgets->pdata[1])->scope, ==, "groq");
  g_assert_cmpstr (((ByokBudget *) budgets->pdata[2])->scope, ==, "openai");
  g_assert_true (((ByokBudget *) budgets->pdata[2])->hard_stop);

  g_assert_true (byok_usage_store_clear_budget (store, "openai", &error));
  g_assert_null (byok_usage_store_get_budget (store, "openai", &error));
  g_assert_no_error (error);
  check_budget (store, "openai", TRUE, 0, NULL);

  /* Spending written by someone else (the CLI, another window) counts. */
  g_assert_true (byok_usage_store_set_budget (store, "xai", 1.0, TRUE, &error));
  check_budget (store, "xai", TRUE, 0, NULL);
  {
    g_autoptr(sqlite3) other = byok_database_open_connection (fixture->database, FALSE, &error);
    g_autofree char *sql = g_strdup_printf ("INSERT INTO usage (time, provider, model, cost_usd, price_known) "
                                            "VALUES (%" G_GINT64_FORMAT ", 'xai', 'grok', 1.0, 1)",
                                            g_get_real_time ());

    g_assert_no_error (error);
    g_assert_cmpint (sqlite3_exec (other, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  }
  check_budget (store, "xai", FALSE, 100, "xai");
  /* So does a change through our own connection that bypassed the store. */
  g_assert_true (byok_database_exec (fixture->database,
                                     "UPDATE usage SET cost_usd = 0.25 WHERE provider = 'xai'", &error));
  check_budget (store, "xai", TRUE, 0, NULL);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();

    g_assert_cmpfloat (byok_usage_store_month_spend (store, "xai", g_date_time_get_year (now),
                                                     g_date_time_get_month (now), &error), ==, 0.25);
    g_assert_no_error (error);
  }
}

static void
test_usage_price_overrides (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) prices = NULL;
  ByokPriceOverride price = {
    .provider = (char *) "openai", .model = (char *) "gpt-4o",
    .input = 2.5, .cached_input = 1.25, .cache_write = NAN, .output = 10,
    .tiers_json = (char *) "[{\"above_input_tokens\":200000,\"input\":5,\"output\":15}]",
  };
  ByokPriceOverride other = {
    .provider = (char *) "deepseek", .model = (char *) "deepseek-chat",
    .input = 0.27, .cached_input = 0.07, .cache_write = 0, .output = 1.1,
  };
  ByokPriceOverride bad = { .provider = (char *) "x", .model = (char *) "y", .input = INFINITY };
  ByokPriceOverride negative = { .provider = (char *) "x", .model = (char *) "y", .output = -1 };
  ByokPriceOverride *p;

  g_assert_true (byok_usage_store_set_price_override (fixture->store, &price, &error));
  g_assert_true (byok_usage_store_set_price_override (fixture->store, &other, &error));
  g_assert_no_error (error);

  prices = byok_usage_store_load_price_overrides (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prices->len, ==, 2);
  p = prices->pdata[1];
  g_assert_cmpstr (p->provider, ==, "openai");
  g_assert_cmpstr (p->model, ==, "gpt-4o");
  g_assert_cmpfloat (p->input, ==, 2.5);
  g_assert_cmpfloat (p->cached_input, ==, 1.25);
  g_assert_true (isnan (p->cache_write));  /* unknown */
  g_assert_cmpstr (p->tiers_json, ==, price.tiers_json);
  g_assert_cmpfloat (p->output, ==, 10);
  g_assert_cmpint (p->updated_us, >, 0);
  p = prices->pdata[0];
  g_assert_cmpstr (p->provider, ==, "deepseek");
  g_assert_cmpfloat (p->cache_write, ==, 0);  /* free, not unknown */
  g_assert_null (p->tiers_json);
  g_clear_pointer (&prices, g_ptr_array_unref);

  /* Replace, then clear. */
  price.output = 8;
  g_assert_true (byok_usage_store_set_price_override (fixture->store, &price, &error));
  g_assert_true (byok_usage_store_clear_price_override (fixture->store, "deepseek", "deepseek-chat", &error));
  prices = byok_usage_store_load_price_overrides (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prices->len, ==, 1);
  g_assert_cmpfloat (((ByokPriceOverride *) prices->pdata[0])->output, ==, 8);

  g_assert_false (byok_usage_store_set_price_override (fixture->store, &bad, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (byok_usage_store_set_price_override (fixture->store, &negative, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
}

static void
test_usage_key_events (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) all = NULL;
  ByokKeyEventRecord *e;

  g_assert_cmpint (byok_usage_store_add_key_event (fixture->store, "openai", NULL, "added", NULL, NULL, &error), >, 0);
  g_assert_cmpint (byok_usage_store_add_key_event (fixture->store, "openai", NULL, "tested", "AUTH",
                                                   "HTTP 401", &error), >, 0);
  g_assert_cmpint (byok_usage_store_add_key_event (fixture->store, "anthropic", "work", "added", NULL, NULL, &error), >, 0);
  g_assert_cmpint (byok_usage_store_add_key_event (fixture->store, "openai", NULL, "replaced", NULL, NULL, &error), >, 0);
  g_assert_no_error (error);

  events = byok_usage_store_list_key_events (fixture->store, "openai", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 3);
  e = events->pdata[0];
  g_assert_cmpstr (e->event, ==, "replaced");
  e = events->pdata[1];
  g_assert_cmpstr (e->event, ==, "tested");
  g_assert_cmpstr (e->result, ==, "auth");
  g_assert_cmpstr (e->detail, ==, "HTTP 401");
  g_assert_null (e->account);
  e = events->pdata[2];
  g_assert_cmpstr (e->event, ==, "added");
  g_assert_cmpint (e->time_us, >, 0);

  all = byok_usage_store_list_key_events (fixture->store, NULL, 2, &error);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpstr (((ByokKeyEventRecord *) all->pdata[1])->account, ==, "work");

  g_assert_cmpint (byok_usage_store_add_key_event (fixture->store, "openai", NULL, "leaked", NULL, NULL, &error), ==, 0);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
}

/* Two calls with every kind of field, for the export tests. */
static void
add_export_calls (ByokUsageStore *store)
{
  g_autoptr(GError) error = NULL;
  ByokUsageRecord a = {
    .time_us = 1709294400000000,  /* 2024-03-01T12:00:00Z */
    .provider = (char *) "openai",
    .model = (char *) "odd,\"model\"\nx",
    .input_tokens = 10, .output_tokens = 2,
    .price_known = TRUE, .cost_usd = 0.5,
    .latency_us = 1500, .ttft_us = 700,
    .status = (char *) "ok", .http_status = 200, .attempt = 1,
    .cost_reported = TRUE, .reported_cost_usd = 0.62,   /* the provider's bill: 24 % more */
  };
  ByokUsageRecord b = {
    .time_us = 1709294401000000,
    .provider = (char *) "anthropic",
    .model = (char *) "claude",
    .price_known = FALSE,
    .latency_us = 3000, .ttft_us = -1,
    .status = (char *) "AUTH", .http_status = 401,
    .is_retry = TRUE, .is_fallback = TRUE, .attempt = 2,
  };

  g_assert_cmpint (byok_usage_store_record (store, &a, &error), ==, 1);
  g_assert_cmpint (byok_usage_store_record (store, &b, &error), ==, 2);
  g_assert_no_error (error);
}

static char *
export_to_string (ByokUsageStore        *store,
                  gint64                 from,
                  gint64                 to,
                  ByokUsageExportFormat  format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

  g_assert_true (byok_usage_store_export (store, from, to, format, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static void
test_usage_export_csv (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autofree char *csv = NULL;
  g_autofree char *first_only = NULL;
  g_autofree char *none = NULL;
  const char *header =
    "id,time,time_utc,provider,model,conversation_id,input_tokens,output_tokens,"
    "cached_input_tokens,cache_write_tokens,reasoning_tokens,cost_usd,price_known,"
    "cache_savings_usd,latency_us,ttft_us,status,http_status,is_retry,is_fallback,attempt,"
    "estimated,reported_cost_usd,cost_differs\r\n";
  const char *row_a =
    "1,1709294400000000,2024-03-01T12:00:00Z,openai,\"odd,\"\"model\"\"\nx\",,10,2,0,0,0,"
    "0.5,1,0,1500,700,ok,200,0,0,1,0,0.62,1\r\n";
  const char *row_b =
    "2,1709294401000000,2024-03-01T12:00:01Z,anthropic,claude,,0,0,0,0,0,,0,0,3000,,auth,401,1,1,2,0,,0\r\n";
  g_autofree char *expected = g_strconcat (header, row_a, row_b, NULL);
  g_autofree char *expected_first = g_strconcat (header, row_a, NULL);

  add_export_calls (fixture->store);

  csv = export_to_string (fixture->store, 0, G_MAXINT64, BYOK_USAGE_EXPORT_CSV);
  g_assert_cmpstr (csv, ==, expected);
  first_only = export_to_string (fixture->store, 1709294400000000, 1709294401000000, BYOK_USAGE_EXPORT_CSV);
  g_assert_cmpstr (first_only, ==, expected_first);
  none = export_to_string (fixture->store, 0, 1, BYOK_USAGE_EXPORT_CSV);
  g_assert_cmpstr (none, ==, header);
}

static void
test_usage_export_json (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = NULL;
  g_autofree char *none = NULL;
  JsonArray *array;
  JsonObject *a, *b;

  add_export_calls (fixture->store);
  json = export_to_string (fixture->store, 0, G_MAXINT64, BYOK_USAGE_EXPORT_JSON);
  g_test_message ("%s", json);

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 2);

  a = json_array_get_object_element (array, 0);
  g_assert_cmpuint (json_object_get_size (a), ==, 24);
  g_assert_cmpint (json_object_get_int_member (a, "id"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (a, "time"), ==, 1709294400000000);
  g_assert_cmpstr (json_object_get_string_member (a, "time_utc"), ==, "2024-03-01T12:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (a, "provider"), ==, "openai");
  g_assert_cmpstr (json_object_get_string_member (a, "model"), ==, "odd,\"model\"\nx");
  g_assert_true (json_object_get_null_member (a, "conversation_id"));
  g_assert_cmpint (json_object_get_int_member (a, "input_tokens"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (a, "output_tokens"), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (a, "cost_usd"), ==, 0.5);
  g_assert_true (json_object_get_boolean_member (a, "price_known"));
  g_assert_cmpfloat (json_object_get_double_member (a, "cache_savings_usd"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (a, "latency_us"), ==, 1500);
  g_assert_cmpint (json_object_get_int_member (a, "ttft_us"), ==, 700);
  g_assert_cmpstr (json_object_get_string_member (a, "status"), ==, "ok");
  g_assert_cmpint (json_object_get_int_member (a, "http_status"), ==, 200);
  g_assert_false (json_object_get_boolean_member (a, "is_retry"));
  g_assert_cmpint (json_object_get_int_member (a, "attempt"), ==, 1);
  g_assert_false (json_object_get_boolean_member (a, "estimated"));
  g_assert_cmpfloat (json_object_get_double_member (a, "reported_cost_usd"), ==, 0.62);
  g_assert_true (json_object_get_boolean_member (a, "cost_differs"));

  b = json_array_get_object_element (array, 1);
  g_assert_cmpuint (json_object_get_size (b), ==, 24);
  g_assert_true (json_object_get_null_member (b, "reported_cost_usd"));
  g_assert_false (json_object_get_boolean_member (b, "cost_differs"));
  g_assert_true (json_object_get_null_member (b, "cost_usd"));
  g_assert_false (json_object_get_boolean_member (b, "price_known"));
  g_assert_true (json_object_get_null_member (b, "ttft_us"));
  g_assert_cmpstr (json_object_get_string_member (b, "status"), ==, "auth");
  g_assert_cmpint (json_object_get_int_member (b, "http_status"), ==, 401);
  g_assert_true (json_object_get_boolean_member (b, "is_retry"));
  g_assert_true (json_object_get_boolean_member (b, "is_fallback"));
  g_assert_cmpint (json_object_get_int_member (b, "attempt"), ==, 2);

  none = export_to_string (fixture->store, 0, 1, BYOK_USAGE_EXPORT_JSON);
  g_assert_cmpstr (none, ==, "[]\n");
}

static void
test_usage_async (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ByokUsageReport) report = NULL;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autofree char *export_path = g_build_filename (fixture->dir, "export.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (export_path);
  g_autofree char *written = NULL;
  g_autofree char *expected = NULL;
  gint64 from = byok_test_local_us (2024, 3, 1, 0, 0, 0);
  gint64 to = byok_test_local_us (2024, 4, 1, 0, 0, 0);

  add_march_calls (fixture->store);

  byok_usage_store_report_async (fixture->store, from, to, BYOK_USAGE_BUCKET_DAY,
                                 NULL, byok_test_store_result, &result);
  byok_test_wait_result (&result);
  report = byok_usage_store_report_finish (fixture->store, result, &error);
  g_assert_no_error (error);
  check_march_report (report);
  g_clear_object (&result);

  /* Cancelled before it starts. */
  g_cancellable_cancel (cancelled);
  byok_usage_store_report_async (fixture->store, from, to, BYOK_USAGE_BUCKET_DAY,
                                 cancelled, byok_test_store_result, &result);
  byok_test_wait_result (&result);
  g_assert_null (byok_usage_store_report_finish (fixture->store, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);

  byok_usage_store_export_async (fixture->store, 0, G_MAXINT64, BYOK_USAGE_EXPORT_CSV,
                                 file, NULL, byok_test_store_result, &result);
  byok_test_wait_result (&result);
  g_assert_true (byok_usage_store_export_finish (fixture->store, result, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (export_path, &written, NULL, NULL));
  expected = export_to_string (fixture->store, 0, G_MAXINT64, BYOK_USAGE_EXPORT_CSV);
  g_assert_cmpstr (written, ==, expected);
  g_assert_nonnull (strstr (written, "deepseek-chat"));
}

/* A call is written when it is sent, in flight: in no report, spend or
 * export until it ends; one whose process died becomes interrupted, counted
 * apart from errors, its estimate marked in the export. */
static void
test_usage_calls_in_flight (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokUsageReport) before = NULL;
  g_autoptr(ByokUsageReport) after = NULL;
  g_auto(GStrv) owners = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *json = NULL;
  gint64 now = g_get_real_time ();
  gint64 from = now - (gint64) 3600 * SEC, to = now + (gint64) 3600 * SEC;
  g_autoptr(GDateTime) local = g_date_time_new_now_local ();
  ByokUsageRecord sent = {
    .time_us = now, .provider = (char *) "openai", .model = (char *) "gpt-4o-mini",
    .input_tokens = 1500, .price_known = TRUE, .cost_usd = 0.000225, .ttft_us = -1,
    .attempt = 1, .estimated = TRUE,
  };
  ByokUsageRecord ended = {
    .time_us = now, .provider = (char *) "openai", .model = (char *) "gpt-4o-mini",
    .input_tokens = 1432, .output_tokens = 80, .price_known = TRUE, .cost_usd = 0.000263,
    .latency_us = 900 * MS, .ttft_us = 200 * MS, .status = (char *) "ok", .http_status = 200,
    .attempt = 1,
  };
  gint64 first, second;
  guint changed = 0;

  g_signal_connect (fixture->store, "changed", G_CALLBACK (count_signal), &changed);
  first = byok_usage_store_begin_call (fixture->store, &sent, "process-a", &error);
  g_assert_no_error (error);
  second = byok_usage_store_begin_call (fixture->store, &sent, "process-b", &error);
  g_assert_no_error (error);
  g_assert_cmpint (second, >, first);
  g_assert_cmpuint (changed, ==, 0);

  /* In flight: nowhere yet. */
  before = byok_usage_store_report (fixture->store, from, to, BYOK_USAGE_BUCKET_DAY, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before->totals.calls, ==, 0);
  g_assert_cmpfloat (byok_usage_store_month_spend (fixture->store, NULL, g_date_time_get_year (local),
                                                   g_date_time_get_month (local), &error), ==, 0);
  csv = export_to_string (fixture->store, from, to, BYOK_USAGE_EXPORT_CSV);
  g_assert_null (strstr (csv, "in_flight"));
  g_clear_pointer (&csv, g_free);
  owners = byok_usage_store_list_call_owners (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (owners), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) owners, "process-a"));

  /* One ends; the other's process is gone. */
  g_assert_true (byok_usage_store_finish_call (fixture->store, first, &ended, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (byok_usage_store_interrupt_calls (fixture->store, "process-b", &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpuint (byok_usage_store_interrupt_calls (fixture->store, "process-b", &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 2);

  after = byok_usage_store_report (fixture->store, from, to, BYOK_USAGE_BUCKET_DAY, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->totals.calls, ==, 2);
  g_assert_cmpuint (after->totals.errors, ==, 0);
  g_assert_cmpuint (after->totals.interrupted, ==, 1);
  g_assert_cmpuint (after->totals.input_tokens, ==, 1432 + 1500);
  g_assert_cmpfloat_with_epsilon (after->totals.cost_usd, 0.000263 + 0.000225, 1e-12);
  /* The interrupted call has no latency: percentiles are of "ok" calls. */
  g_assert_cmpint (after->totals.latency_p50_us, ==, 900 * MS);
  g_assert_cmpfloat_with_epsilon (byok_usage_store_month_spend (fixture->store, NULL,
                                                                g_date_time_get_year (local),
                                                                g_date_time_get_month (local), &error),
                                  0.000263 + 0.000225, 1e-12);

  csv = export_to_string (fixture->store, from, to, BYOK_USAGE_EXPORT_CSV);
  g_test_message ("%s", csv);
  g_assert_nonnull (strstr (csv, ",ok,200,0,0,1,0,,0\r\n"));
  g_assert_nonnull (strstr (csv, ",interrupted,,0,0,1,1,,0\r\n"));
  json = export_to_string (fixture->store, from, to, BYOK_USAGE_EXPORT_JSON);
  g_assert_nonnull (strstr (json, "\"status\":\"interrupted\""));
  g_assert_nonnull (strstr (json, "\"estimated\":true"));

  g_clear_pointer (&owners, g_strfreev);
  owners = byok_usage_store_list_call_owners (fixture->store, &error);
  g_assert_cmpuint (g_strv_length (owners), ==, 0);
}

static gboolean
export_usage (GFile     *file,
              gboolean   json,
              gpointer   data,
              GError   **error)
{
  ByokUsageStore *store = data;
  g_autoptr(GAsyncResult) result = NULL;

  byok_usage_store_export_async (store, 0, G_MAXINT64, json ? BYOK_USAGE_EXPORT_JSON : BYOK_USAGE_EXPORT_CSV,
                                 file, NULL, byok_test_store_result, &result);
  return byok_usage_store_export_finish (store, byok_test_wait_result (&result), error);
}

/* An export holds what every call cost: only its owner may read it,
 * whatever the umask, and also when it replaces a file others could read. */
static void
test_usage_export_modes (Fixture       *fixture,
                         gconstpointer  user_data)
{
  add_export_calls (fixture->store);
  byok_test_assert_export_modes (fixture->dir, ".csv", export_usage, fixture->store);
}

/* ---------------------------------------------------------------------- */
/* A reader on its own connection while the main connection writes.       */

typedef struct {
  const char *path;
  gint        writing_done;
  gint        started;
  guint       reads;
  gint64      final_count;
} ReaderData;

static gpointer
reader_thread (gpointer user_data)
{
  ReaderData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3) db = byok_database_connect (data->path, TRUE, &error);
  gint64 last = 0;
  gboolean done = FALSE;

  g_assert_no_error (error);
  while (!done)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;
      gint64 count;

      done = g_atomic_int_get (&data->writing_done);
      g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*), total (input_tokens) FROM usage",
                                           -1, &stmt, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      count = sqlite3_column_int64 (stmt, 0);
      /* Each row has 1 input token: a consistent snapshot. */
      g_assert_cmpint ((gint64) sqlite3_column_double (stmt, 1), ==, count);
      g_assert_cmpint (count, >=, last);
      last = count;
      data->reads++;
      g_atomic_int_set (&data->started, 1);
    }
  data->final_count = last;
  return NULL;
}

static void
test_usage_concurrent_reader (Fixture       *fixture,
                              gconstpointer  user_data)
{
  ReaderData data = { .path = fixture->path };
  GThread *thread;

  thread = g_thread_new ("reader", reader_thread, &data);
  while (!g_atomic_int_get (&data.started))
    g_usleep (100);

  for (int i = 0; i < 400; i++)
    add_call (fixture->store, 0, i % 2 ? "openai" : "mistral", "m", 1, 1, 0, 0, 0, 0.001, 0, MS, "ok");

  g_atomic_int_set (&data.writing_done, 1);
  g_thread_join (thread);

  g_test_message ("%u reads while 400 rows were written", data.reads);
  g_assert_cmpuint (data.reads, >=, 2);
  g_assert_cmpint (data.final_count, ==, 400);
}

/* ---------------------------------------------------------------------- */
/* SIGKILL: nothing committed is lost, the file stays sound.               */

static int
run_sigkill_child (const char *path)
{
  g_autoptr(ByokUsageStore) store = byok_test_child_open_store (path);

  if (store == NULL)
    return 1;
  for (guint i = 0; ; i++)
    {
      ByokUsageRecord record = {
        .provider = (char *) "openai",
        .model = (char *) "gpt-4o-mini",
        .input_tokens = i, .output_tokens = i % 100,
        .price_known = TRUE, .cost_usd = 0.0001 * (i % 7),
        .latency_us = 1000 + i, .ttft_us = -1,
        .status = (char *) (i % 5 ? "ok" : "SERVER"),
        .attempt = 1,
      };

      /* Reported only once committed. */
      if (!byok_test_child_record (store, &record))
        return 1;
    }
}

static void
test_usage_sigkill (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(GArray) reported = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_assert_nonnull (self_exe);
  /* The child writes to the same file: let it own the database. */
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->database);

  for (guint round = 0; round < 3; round++)
    {
      const char *argv[] = { self_exe, "--sigkill-child", fixture->path, NULL };
      g_autoptr(GArray) seen = byok_test_kill_child_after (argv, 150 + round * 97);

      g_array_append_vals (reported, seen->data, seen->len);
      g_test_message ("round %u: child reported %u rows before it died", round, seen->len);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ByokDatabase) database = byok_database_open (fixture->path, &error);
    g_autoptr(ByokUsageStore) store = NULL;
    g_autoptr(sqlite3_stmt) check = NULL;
    g_autoptr(sqlite3_stmt) find = NULL;

    g_assert_no_error (error);

    check = byok_database_prepare (database, "PRAGMA integrity_check", &error);
    g_assert_cmpint (sqlite3_step (check), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (check, 0), ==, "ok");

    find = byok_database_prepare (database, "SELECT count(*) FROM usage WHERE id = ?1", &error);
    for (guint i = 0; i < reported->len; i++)
      {
        sqlite3_reset (find);
        sqlite3_bind_int64 (find, 1, g_array_index (reported, gint64, i));
        g_assert_cmpint (sqlite3_step (find), ==, SQLITE_ROW);
        if (sqlite3_column_int (find, 0) != 1)
          g_error ("row %" G_GINT64_FORMAT " was reported committed but is missing",
                   g_array_index (reported, gint64, i));
      }

    /* And it takes new rows. */
    store = byok_usage_store_new (database);
    add_call (store, 0, "openai", "m", 1, 1, 0, 0, 0, 0, 0, MS, "ok");
  }
}

int
main (int argc, char **argv)
{
  /* Fixed local time with a DST change, so day buckets are checkable. */
  g_setenv ("TZ", "Europe/Berlin", TRUE);
  tzset ();

  if (argc == 3 && g_str_equal (argv[1], "--sigkill-child"))
    return run_sigkill_child (argv[2]);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ((path), Fixture, NULL, fixture_set_up, (func), fixture_tear_down)

  ADD ("/usage/record", test_usage_record);
  ADD ("/usage/export-modes", test_usage_export_modes);
  ADD ("/usage/calls-in-flight", test_usage_calls_in_flight);
  ADD ("/usage/report", test_usage_report);
  ADD ("/usage/percentiles", test_usage_percentiles);
  ADD ("/usage/periods", test_usage_periods);
  ADD ("/usage/budget", test_usage_budget);
  ADD ("/usage/price-overrides", test_usage_price_overrides);
  ADD ("/usage/key-events", test_usage_key_events);
  ADD ("/usage/export-csv", test_usage_export_csv);
  ADD ("/usage/export-json", test_usage_export_json);
  ADD ("/usage/async", test_usage_async);
  ADD ("/usage/concurrent-reader", test_usage_concurrent_reader);
  ADD ("/usage/sigkill", test_usage_sigkill);

#undef ADD
  return g_test_run ();
}
