/* bench-usage-scale.c — the usage store with a heavy user's history
 *
 * Builds a throwaway database of 1,000,000 calls over 13 months and 12
 * providers, written as schema 3 (no rollup) and then upgraded, then
 * measures what the app does with it: the upgrade to the current schema
 * (filling the per-day rollup), recording one call (whole, and as the
 * engine writes it: in flight, then completed), the budget check before
 * each call, refreshing the whole Usage page for 30 days and for 12
 * months, single reports, and export. It prints figures; it asserts
 * nothing.
 *
 * "The whole Usage page" is what ByokUsagePage reads on a refresh: one
 * row to know whether there is any usage, then in parallel, each on a
 * connection of its own in a worker thread, the reports of today, this
 * month and the last 30 days (the cards) and of the selected period (the
 * chart, the breakdown, the what-if's usage), and once the period's report
 * is in, the period's largest prompt (the what-if's other input).
 *
 *   bench-usage-scale [ROWS]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "byok-database.h"
#include "byok-usage-store.h"
#include "byok-what-if.h"

#define DEFAULT_ROWS 1000000
#define N_PROVIDERS  12

static const struct {
  const char *id;
  const char *models[3];
} providers[N_PROVIDERS] = {
  { "openai", { "gpt-4o", "gpt-4o-mini", "o3-mini" } },
  { "anthropic", { "claude-sonnet-4", "claude-haiku-3.5", "claude-opus-4" } },
  { "gemini", { "gemini-2.5-pro", "gemini-2.5-flash", NULL } },
  { "azure", { "gpt-4o", NULL, NULL } },
  { "deepseek", { "deepseek-chat", "deepseek-reasoner", NULL } },
  { "moonshot", { "kimi-k2", "kimi-k2-thinking", NULL } },
  { "zhipu", { "glm-4.5", "glm-4.5-air", NULL } },
  { "openrouter", { "meta-llama/llama-3.3-70b", "qwen/qwen3-235b", "mistral/mixtral" } },
  { "groq", { "llama-3.3-70b-versatile", NULL, NULL } },
  { "mistral", { "mistral-large", "mistral-small", NULL } },
  { "xai", { "grok-3", "grok-3-mini", NULL } },
  { "ollama", { "llama3.2", "qwen2.5-coder", NULL } },
};

static const char * const error_classes[] = {
  "RATE_LIMIT", "SERVER", "OVERLOADED", "TIMEOUT", "NETWORK", "AUTH", "QUOTA",
};

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
fill_record (ByokUsageRecord *r,
             GRand           *rand,
             gint64           time_us)
{
  guint p = g_rand_int_range (rand, 0, N_PROVIDERS);
  guint n_models = providers[p].models[2] ? 3 : providers[p].models[1] ? 2 : 1;
  gboolean failed = g_rand_int_range (rand, 0, 100) < 3;
  double in_price = g_rand_double_range (rand, 0.1, 5.0);

  memset (r, 0, sizeof *r);
  r->time_us = time_us;
  r->provider = (char *) providers[p].id;
  r->model = (char *) providers[p].models[g_rand_int_range (rand, 0, n_models)];
  r->conversation_id = 0;
  r->attempt = 1;
  if (failed)
    {
      r->status = (char *) error_classes[g_rand_int_range (rand, 0, G_N_ELEMENTS (error_classes))];
      r->http_status = 429;
      r->latency_us = g_rand_int_range (rand, 50, 2000) * 1000;
      r->ttft_us = -1;
      r->price_known = TRUE;
      r->cost_usd = 0;
      r->is_retry = g_rand_boolean (rand);
      return;
    }
  r->status = (char *) "ok";
  r->http_status = 200;
  r->input_tokens = g_rand_int_range (rand, 50, 20000);
  r->cached_input_tokens = g_rand_int_range (rand, 0, 2) ? r->input_tokens / 2 : 0;
  r->output_tokens = g_rand_int_range (rand, 10, 4000);
  r->reasoning_tokens = g_rand_int_range (rand, 0, 4) == 0 ? r->output_tokens / 3 : 0;
  r->latency_us = g_rand_int_range (rand, 300, 30000) * 1000;
  r->ttft_us = r->latency_us / 5;
  r->price_known = g_rand_int_range (rand, 0, 100) >= 5;
  r->cost_usd = (r->input_tokens * in_price + r->output_tokens * in_price * 4) / 1e6;
  r->cache_savings_usd = r->cached_input_tokens * in_price * 0.5 / 1e6;
}

static const char bulk_sql[] =
  "INSERT INTO usage (time, provider, model, conversation_id, input_tokens, "
  "output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens, "
  "cost_usd, price_known, cache_savings_usd, latency_us, ttft_us, status, "
  "http_status, is_retry, is_fallback, attempt) "
  "VALUES (?1, ?2, ?3, NULL, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, 0, 1)";

static void
bulk_insert (ByokDatabase *database,
             guint         rows,
             gint64        from_us,
             gint64        to_us)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 start = g_get_monotonic_time ();
  double step = (double) (to_us - from_us) / rows;

  if (!byok_database_begin (database, &error))
    g_error ("%s", error->message);
  stmt = byok_database_prepare (database, bulk_sql, &error);
  if (stmt == NULL)
    g_error ("%s", error->message);

  for (guint i = 0; i < rows; i++)
    {
      ByokUsageRecord r;

      fill_record (&r, rand, from_us + (gint64) (i * step) + g_rand_int_range (rand, 0, (gint32) MAX (step, 1)));
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, r.time_us);
      sqlite3_bind_text (stmt, 2, r.provider, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, r.model, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, r.input_tokens);
      sqlite3_bind_int64 (stmt, 5, r.output_tokens);
      sqlite3_bind_int64 (stmt, 6, r.cached_input_tokens);
      sqlite3_bind_int64 (stmt, 7, r.cache_write_tokens);
      sqlite3_bind_int64 (stmt, 8, r.reasoning_tokens);
      if (r.price_known)
        sqlite3_bind_double (stmt, 9, r.cost_usd);
      else
        sqlite3_bind_null (stmt, 9);
      sqlite3_bind_int (stmt, 10, r.price_known);
      sqlite3_bind_double (stmt, 11, r.cache_savings_usd);
      sqlite3_bind_int64 (stmt, 12, r.latency_us);
      if (r.ttft_us >= 0)
        sqlite3_bind_int64 (stmt, 13, r.ttft_us);
      else
        sqlite3_bind_null (stmt, 13);
      sqlite3_bind_text (stmt, 14, r.status, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 15, r.http_status);
      sqlite3_bind_int (stmt, 16, r.is_retry);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        g_error ("insert: %s", sqlite3_errmsg (byok_database_get_handle (database)));
    }
  if (!byok_database_commit (database, &error))
    g_error ("%s", error->message);

  printf ("bulk insert of %u rows (one transaction)   %9.1f ms\n", rows, ms_since (start));
  start = g_get_monotonic_time ();
  byok_database_exec (database, "PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;", NULL);
  printf ("checkpoint + ANALYZE                          %9.1f ms\n", ms_since (start));
}

static void
bench_record (ByokUsageStore *store)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  double times[1000];

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autoptr(GError) error = NULL;
      ByokUsageRecord r;
      gint64 start;

      fill_record (&r, rand, 0);
      start = g_get_monotonic_time ();
      if (byok_usage_store_record (store, &r, &error) == 0)
        g_error ("%s", error->message);
      times[i] = (g_get_monotonic_time () - start);
    }
  qsort (times, G_N_ELEMENTS (times), sizeof times[0], compare_double);
  printf ("record one call: median %.0f µs, p95 %.0f µs, max %.0f µs (1000 calls)\n",
          times[499], times[949], times[999]);
}

/* A call as the engine writes it: its row in flight before the request
 * goes out, completed when the answer is in. */
static void
bench_call_rows (ByokUsageStore *store)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  double begin[1000], finish[1000];

  for (guint i = 0; i < G_N_ELEMENTS (begin); i++)
    {
      g_autoptr(GError) error = NULL;
      ByokUsageRecord r, sent;
      gint64 start, id;

      fill_record (&r, rand, g_get_real_time ());
      sent = r;
      sent.output_tokens = sent.cached_input_tokens = sent.reasoning_tokens = 0;
      sent.estimated = TRUE;
      start = g_get_monotonic_time ();
      id = byok_usage_store_begin_call (store, &sent, "bench-process", &error);
      if (id == 0)
        g_error ("%s", error->message);
      begin[i] = (g_get_monotonic_time () - start);
      start = g_get_monotonic_time ();
      if (!byok_usage_store_finish_call (store, id, &r, &error))
        g_error ("%s", error->message);
      finish[i] = (g_get_monotonic_time () - start);
    }
  qsort (begin, G_N_ELEMENTS (begin), sizeof begin[0], compare_double);
  qsort (finish, G_N_ELEMENTS (finish), sizeof finish[0], compare_double);
  printf ("a call's row in flight before sending: median %.0f µs, p95 %.0f µs, max %.0f µs; "
          "completed at its end: median %.0f µs, p95 %.0f µs, max %.0f µs (1000 calls)\n",
          begin[499], begin[949], begin[999], finish[499], finish[949], finish[999]);
}

static void
bench_check_budget (ByokUsageStore *store)
{
  g_autoptr(GError) error = NULL;
  double times[200];

  byok_usage_store_set_budget (store, NULL, 1e9, FALSE, &error);
  byok_usage_store_set_budget (store, "openai", 1e9, TRUE, &error);
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      gint64 start = g_get_monotonic_time ();
      guint percent;

      if (!byok_usage_store_check_budget (store, "openai", &percent, NULL, &error))
        g_error ("%s", error->message);
      times[i] = (g_get_monotonic_time () - start);
    }
  qsort (times, G_N_ELEMENTS (times), sizeof times[0], compare_double);
  printf ("check_budget (all + openai, this month): median %.0f µs, max %.0f µs\n",
          times[G_N_ELEMENTS (times) / 2], times[G_N_ELEMENTS (times) - 1]);
}

static void
bench_report (ByokUsageStore  *store,
              const char      *label,
              gint64           from,
              gint64           to,
              ByokUsageBucket  bucket)
{
  double times[3];
  guint64 calls = 0;
  guint n_providers = 0, n_models = 0, n_buckets = 0, n_stack = 0;

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ByokUsageReport) report = NULL;
      gint64 start = g_get_monotonic_time ();

      report = byok_usage_store_report (store, from, to, bucket, NULL, &error);
      if (report == NULL)
        g_error ("%s", error->message);
      times[i] = ms_since (start);
      calls = report->totals.calls;
      n_providers = report->by_provider->len;
      n_models = report->by_model->len;
      n_buckets = report->by_bucket->len;
      n_stack = report->by_provider_bucket->len;
    }
  qsort (times, G_N_ELEMENTS (times), sizeof times[0], compare_double);
  printf ("report %-22s %8" G_GUINT64_FORMAT " rows: median %7.1f ms (min %7.1f) — "
          "%u providers, %u models, %u %s, %u provider×%s\n",
          label, calls, times[1], times[0], n_providers, n_models, n_buckets,
          bucket == BYOK_USAGE_BUCKET_DAY ? "days" : "months", n_stack,
          bucket == BYOK_USAGE_BUCKET_DAY ? "day" : "month");
}

static void
on_report_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokUsageReport) report = NULL;
  gboolean *done = user_data;

  report = byok_usage_store_report_finish (BYOK_USAGE_STORE (source), result, &error);
  if (report == NULL)
    g_error ("%s", error->message);
  *done = TRUE;
}

typedef struct {
  gint64 last_tick;
  gint64 longest_gap;
} Ticks;

static gboolean
on_tick (gpointer user_data)
{
  Ticks *ticks = user_data;
  gint64 now = g_get_monotonic_time ();

  ticks->longest_gap = MAX (ticks->longest_gap, now - ticks->last_tick);
  ticks->last_tick = now;
  return G_SOURCE_CONTINUE;
}

/* The dashboard's way: the main loop keeps ticking every millisecond. */
static void
bench_report_async (ByokUsageStore *store,
                    const char     *label,
                    gint64          from,
                    gint64          to,
                    ByokUsageBucket bucket)
{
  gboolean done = FALSE;
  gint64 start = g_get_monotonic_time ();
  Ticks ticks = { start, 0 };
  guint tick_id = g_timeout_add (1, on_tick, &ticks);

  byok_usage_store_report_async (store, from, to, bucket, NULL, on_report_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick_id);
  printf ("report_async %-22s %9.1f ms until the callback; the main loop "
          "never waited more than %.1f ms\n",
          label, ms_since (start), ticks.longest_gap / 1000.0);
}

/* The Usage page's refresh, as byok-usage-page.c does it. */
typedef struct {
  ByokUsageStore *store;
  ByokDatabase   *database;
  guint           pending;
  gint64          period_from;
  gint64          period_to;
  guint64         period_calls;
} Dashboard;

static void
on_largest_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Dashboard *dash = user_data;
  g_autoptr(GError) error = NULL;

  if (byok_what_if_largest_prompt_finish (BYOK_DATABASE (source), result, &error) < 0)
    g_error ("%s", error->message);
  dash->pending--;
}

static void
on_slot_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Dashboard *dash = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokUsageReport) report = NULL;

  report = byok_usage_store_report_finish (BYOK_USAGE_STORE (source), result, &error);
  if (report == NULL)
    g_error ("%s", error->message);
  if (report->from_us == dash->period_from && report->to_us == dash->period_to && dash->period_calls == 0)
    {
      /* The period's report is in: the what-if asks for its largest prompt. */
      dash->period_calls = report->totals.calls;
      dash->pending++;
      byok_what_if_largest_prompt_async (dash->database, report->from_us, report->to_us, NULL,
                                         on_largest_done, dash);
    }
  dash->pending--;
}

static void
dashboard_refresh (Dashboard       *dash,
                   ByokUsagePeriod  period)
{
  static const ByokUsagePeriod cards[] = {
    BYOK_USAGE_PERIOD_TODAY, BYOK_USAGE_PERIOD_THIS_MONTH, BYOK_USAGE_PERIOD_LAST_30_DAYS,
  };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GPtrArray) recent = NULL;
  g_autoptr(GError) error = NULL;
  ByokUsageBucket bucket;
  gint64 from, to;

  recent = byok_usage_store_list_recent (dash->store, 1, &error);
  if (recent == NULL || recent->len == 0)
    g_error ("no usage");

  dash->period_calls = 0;
  for (guint i = 0; i < G_N_ELEMENTS (cards) + 1; i++)
    {
      bucket = byok_usage_period_get_range (i < G_N_ELEMENTS (cards) ? cards[i] : period, now, &from, &to);
      if (i == G_N_ELEMENTS (cards))
        {
          dash->period_from = from;
          dash->period_to = to;
        }
      dash->pending++;
      byok_usage_store_report_async (dash->store, from, to, bucket, NULL, on_slot_done, dash);
    }
  while (dash->pending > 0)
    g_main_context_iteration (NULL, TRUE);
}

/* The same reads one after the other on the main connection: the work. */
static void
dashboard_sequential (Dashboard       *dash,
                      ByokUsagePeriod  period)
{
  static const ByokUsagePeriod cards[] = {
    BYOK_USAGE_PERIOD_TODAY, BYOK_USAGE_PERIOD_THIS_MONTH, BYOK_USAGE_PERIOD_LAST_30_DAYS,
  };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GPtrArray) recent = NULL;
  g_autoptr(GError) error = NULL;
  ByokUsageBucket bucket;
  gint64 from, to;

  recent = byok_usage_store_list_recent (dash->store, 1, &error);
  for (guint i = 0; i < G_N_ELEMENTS (cards) + 1; i++)
    {
      g_autoptr(ByokUsageReport) report = NULL;

      bucket = byok_usage_period_get_range (i < G_N_ELEMENTS (cards) ? cards[i] : period, now, &from, &to);
      report = byok_usage_store_report (dash->store, from, to, bucket, NULL, &error);
      if (report == NULL)
        g_error ("%s", error->message);
    }
  if (byok_what_if_largest_prompt (dash->database, from, to, &error) < 0)
    g_error ("%s", error->message);
}

static void
bench_dashboard (ByokUsageStore  *store,
                 ByokDatabase    *database,
                 const char      *label,
                 ByokUsagePeriod  period)
{
  Dashboard dash = { store, database, 0, 0, 0, 0 };
  double wall[7], work[7];
  gint64 longest_gap = 0;

  for (guint i = 0; i < G_N_ELEMENTS (wall); i++)
    {
      gint64 start = g_get_monotonic_time ();
      Ticks ticks = { start, 0 };
      guint tick_id = g_timeout_add (1, on_tick, &ticks);

      dashboard_refresh (&dash, period);
      wall[i] = ms_since (start);
      g_source_remove (tick_id);
      longest_gap = MAX (longest_gap, ticks.longest_gap);

      start = g_get_monotonic_time ();
      dashboard_sequential (&dash, period);
      work[i] = ms_since (start);
    }
  qsort (wall, G_N_ELEMENTS (wall), sizeof wall[0], compare_double);
  qsort (work, G_N_ELEMENTS (work), sizeof work[0], compare_double);
  printf ("dashboard refresh, %-10s (%" G_GUINT64_FORMAT " calls in the period): "
          "median %6.1f ms, max %6.1f ms until every part is shown (async, 5 reads in parallel); "
          "%6.1f ms one after the other; the main loop never waited more than %.1f ms\n",
          label, dash.period_calls, wall[G_N_ELEMENTS (wall) / 2], wall[G_N_ELEMENTS (wall) - 1],
          work[G_N_ELEMENTS (work) / 2], longest_gap / 1000.0);
}

static void
bench_export (ByokUsageStore        *store,
              const char            *dir,
              const char            *label,
              gint64                 from,
              gint64                 to,
              ByokUsageExportFormat  format)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, format == BYOK_USAGE_EXPORT_CSV ? "export.csv" : "export.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = NULL;
  GStatBuf st;
  gint64 start = g_get_monotonic_time ();
  double ms;

  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  if (out == NULL ||
      !byok_usage_store_export (store, from, to, format, G_OUTPUT_STREAM (out), NULL, &error) ||
      !g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error))
    g_error ("%s", error->message);
  ms = ms_since (start);
  g_stat (path, &st);
  printf ("export %-4s %-21s %9.1f ms, %6.1f MB\n",
          format == BYOK_USAGE_EXPORT_CSV ? "CSV" : "JSON", label, ms, st.st_size / 1e6);
  g_remove (path);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("byok-bench-usage-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(ByokDatabase) database = NULL;
  g_autoptr(ByokUsageStore) store = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) thirteen_ago = g_date_time_add_months (now, -13);
  guint rows = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : DEFAULT_ROWS;
  gint64 from, to;
  GStatBuf st;

  if (dir == NULL)
    g_error ("%s", error->message);
  path = g_build_filename (dir, "byok.db", NULL);
  database = byok_database_open (path, &error);
  if (database == NULL)
    g_error ("%s", error->message);

  printf ("SQLite %s, database in %s\n", sqlite3_libversion (), dir);

  /* Written as schema 3 (no rollup, no triggers, no attachments, no
   * reasoning effort nor price history, no calls in flight), as a user of
   * that version has it, then upgraded the way Byok opens it: what later
   * schemas added is taken away first. */
  if (!byok_database_exec (database,
                           "DROP TRIGGER usage_daily_insert; DROP TRIGGER usage_daily_update; "
                           "DROP TRIGGER usage_daily_delete; DROP TRIGGER usage_daily_finish; "
                           "DROP TABLE usage_daily; "
                           "ALTER TABLE messages DROP COLUMN attachments; "
                           "ALTER TABLE conversations DROP COLUMN reasoning_effort; "
                           "DROP TABLE price_history; DROP TABLE price_data; DROP TABLE price_updates; "
                           "DROP INDEX usage_in_flight; "
                           "ALTER TABLE usage DROP COLUMN owner; "
                           "ALTER TABLE usage DROP COLUMN estimated; "
                           "PRAGMA user_version = 3;", &error))
    g_error ("%s", error->message);
  bulk_insert (database, rows, g_date_time_to_unix (thirteen_ago) * G_USEC_PER_SEC,
               g_date_time_to_unix (now) * G_USEC_PER_SEC);
  g_clear_object (&database);
  {
    gint64 start = g_get_monotonic_time ();

    database = byok_database_open (path, &error);
    if (database == NULL)
      g_error ("%s", error->message);
    printf ("upgrade to schema %d (rollup of %u rows)      %9.1f ms\n",
            byok_database_get_version (database), rows, ms_since (start));
    byok_database_exec (database, "PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;", NULL);
  }
  store = byok_usage_store_new (database);
  g_stat (path, &st);
  printf ("database size                                 %9.1f MB\n", st.st_size / 1e6);
  {
    g_autoptr(sqlite3_stmt) cells = byok_database_prepare (database, "SELECT count(*) FROM usage_daily", NULL);

    if (cells != NULL && sqlite3_step (cells) == SQLITE_ROW)
      printf ("rollup cells (day × provider × model)         %9d\n", sqlite3_column_int (cells, 0));
  }

  bench_record (store);
  bench_call_rows (store);
  bench_check_budget (store);

  bench_dashboard (store, database, "30 days", BYOK_USAGE_PERIOD_LAST_30_DAYS);
  bench_dashboard (store, database, "12 months", BYOK_USAGE_PERIOD_LAST_12_MONTHS);

  byok_usage_period_get_range (BYOK_USAGE_PERIOD_TODAY, now, &from, &to);
  bench_report (store, "today, by day", from, to, BYOK_USAGE_BUCKET_DAY);
  byok_usage_period_get_range (BYOK_USAGE_PERIOD_LAST_30_DAYS, now, &from, &to);
  bench_report (store, "30 days, by day", from, to, BYOK_USAGE_BUCKET_DAY);
  bench_report_async (store, "30 days, by day", from, to, BYOK_USAGE_BUCKET_DAY);
  bench_export (store, dir, "30 days", from, to, BYOK_USAGE_EXPORT_CSV);
  bench_export (store, dir, "30 days", from, to, BYOK_USAGE_EXPORT_JSON);

  byok_usage_period_get_range (BYOK_USAGE_PERIOD_LAST_12_MONTHS, now, &from, &to);
  bench_report (store, "12 months, by day", from, to, BYOK_USAGE_BUCKET_DAY);
  bench_report (store, "12 months, by month", from, to, BYOK_USAGE_BUCKET_MONTH);
  bench_report_async (store, "12 months, by month", from, to, BYOK_USAGE_BUCKET_MONTH);
  bench_export (store, dir, "12 months", from, to, BYOK_USAGE_EXPORT_CSV);
  bench_export (store, dir, "12 months", from, to, BYOK_USAGE_EXPORT_JSON);

  g_clear_object (&store);
  g_clear_object (&database);
  {
    const char *suffixes[] = { "", "-wal", "-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

        g_remove (file);
      }
    g_rmdir (dir);
  }
  return 0;
}
