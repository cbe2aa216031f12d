/* test-usage-rollup.c — the per-day rollup of usage (schema 4) gives the
 * same reports as the rows themselves: for random calls over months with
 * a DST change, after rows are changed or deleted behind the store's back,
 * after a time zone change, after the migration from a schema 3 database
 * with rows, and after a writer is killed with SIGKILL mid-write. Each
 * report is checked against sums computed here from the calls made; the
 * table itself against an aggregation of the rows in SQL. */
#include "config.h"

#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <gio/gunixinputstream.h>

#include "byok-database.h"
#include "byok-error.h"
#include "byok-usage-plan.h"
#include "byok-usage-rollup.h"
#include "byok-usage-store.h"
#include "byok-what-if.h"
#include "byok-test-engine.h"
#include "byok-test-sigkill.h"
#include "byok-test-util.h"

#define MS  1000
#define SEC G_USEC_PER_SEC
#define DAY ((gint64) 24 * 3600 * SEC)

typedef struct {
  ByokTestStore  base;
  GPtrArray     *calls;     /* ByokUsageRecord: every call made, as made */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  byok_test_store_open (&fixture->base, "rollup");
  fixture->calls = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_usage_record_free);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  byok_test_store_close (&fixture->base);
  g_ptr_array_unref (fixture->calls);
}

static void
reopen (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->base.store);
  g_clear_object (&fixture->base.database);
  fixture->base.database = byok_database_open (fixture->base.path, &error);
  g_assert_no_error (error);
  fixture->base.store = byok_usage_store_new (fixture->base.database);
}

static const char * const providers[] = { "openai", "anthropic", "deepseek", "groq" };
static const char * const models[] = { "small", "large", "reasoner" };
static const char * const errors[] = { "RATE_LIMIT", "SERVER", "TIMEOUT", "AUTH" };

/* A random call at @time_us, recorded through the store and remembered. */
static void
random_call (Fixture *fixture,
             GRand   *rand,
             gint64   time_us)
{
  g_autoptr(GError) error = NULL;
  ByokUsageRecord r = { 0, };
  gboolean ok = g_rand_int_range (rand, 0, 100) < 85;

  r.time_us = time_us;
  r.provider = (char *) providers[g_rand_int_range (rand, 0, G_N_ELEMENTS (providers))];
  r.model = (char *) models[g_rand_int_range (rand, 0, G_N_ELEMENTS (models))];
  r.status = (char *) (ok ? "ok" : errors[g_rand_int_range (rand, 0, G_N_ELEMENTS (errors))]);
  r.input_tokens = g_rand_int_range (rand, 0, 200000);
  r.cached_input_tokens = g_rand_boolean (rand) ? r.input_tokens / 3 : 0;
  r.cache_write_tokens = g_rand_int_range (rand, 0, 4) == 0 ? 1000 : 0;
  r.output_tokens = g_rand_int_range (rand, 0, 8000);
  r.reasoning_tokens = g_rand_int_range (rand, 0, 3) == 0 ? r.output_tokens / 2 : 0;
  r.price_known = g_rand_int_range (rand, 0, 10) != 0;
  r.cost_usd = r.price_known ? g_rand_double_range (rand, 0, 0.5) : 0;
  r.cache_savings_usd = r.cached_input_tokens > 0 ? g_rand_double_range (rand, 0, 0.01) : 0;
  /* Log-uniform from 1 ms to a minute, with repeats, and an odd 0. */
  r.latency_us = g_rand_int_range (rand, 0, 50) == 0
                 ? g_rand_int_range (rand, 0, 3) * 250 * MS
                 : (gint64) exp (g_rand_double_range (rand, log (1000.0), log (60e6)));
  if (g_rand_int_range (rand, 0, 200) == 0)
    r.latency_us = 0;
  r.ttft_us = -1;
  r.attempt = 1;

  /* Now and then the way the engine writes a call: in flight when it is
   * sent, then ended, interrupted (its process died), or still in flight
   * (in no sum). */
  if (g_rand_int_range (rand, 0, 12) == 0)
    {
      static guint n_owners;
      g_autofree char *owner = g_strdup_printf ("owner-%u", n_owners++);
      ByokUsageRecord sent = r;
      int fate = g_rand_int_range (rand, 0, 3);
      gint64 id;

      sent.output_tokens = 0;
      sent.cached_input_tokens = sent.cache_write_tokens = sent.reasoning_tokens = 0;
      sent.cache_savings_usd = 0;
      sent.latency_us = 0;
      sent.estimated = TRUE;
      id = byok_usage_store_begin_call (fixture->base.store, &sent, owner, &error);
      g_assert_no_error (error);
      g_assert_cmpint (id, >, 0);
      if (fate == 0)
        {
          g_assert_true (byok_usage_store_finish_call (fixture->base.store, id, &r, &error));
          g_assert_no_error (error);
          g_ptr_array_add (fixture->calls, byok_usage_record_copy (&r));
        }
      else if (fate == 1)
        {
          g_assert_cmpuint (byok_usage_store_interrupt_calls (fixture->base.store, owner, &error), ==, 1);
          g_assert_no_error (error);
          sent.status = (char *) BYOK_USAGE_STATUS_INTERRUPTED;
          g_ptr_array_add (fixture->calls, byok_usage_record_copy (&sent));
        }
      return;
    }

  byok_test_record_usage (fixture->base.store, &r);
  g_ptr_array_add (fixture->calls, byok_usage_record_copy (&r));
}

/* One successful call of 1,000 tokens for $0.25. */
static void
record_at (Fixture    *fixture,
           gint64      time_us,
           const char *provider,
           const char *model,
           gint64      latency_us)
{
  g_autoptr(GError) error = NULL;
  ByokUsageRecord r = {
    .time_us = time_us, .provider = (char *) provider, .model = (char *) model,
    .input_tokens = 1000, .output_tokens = 100, .price_known = TRUE, .cost_usd = 0.25,
    .latency_us = latency_us, .ttft_us = -1, .status = (char *) "ok", .attempt = 1,
  };

  byok_test_record_usage (fixture->base.store, &r);
  g_ptr_array_add (fixture->calls, byok_usage_record_copy (&r));
}

/* @n random calls in [from_us, to_us), with some on local midnights and
 * just before them. */
static void
random_calls (Fixture *fixture,
              GRand   *rand,
              guint    n,
              gint64   from_us,
              gint64   to_us)
{
  for (guint i = 0; i < n; i++)
    {
      gint64 t = from_us + (gint64) (g_rand_double (rand) * (double) (to_us - from_us));

      if (i % 50 == 0)
        {
          g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (t / SEC);
          gint64 midnight = byok_usage_local_midnight_us (g_date_time_get_year (local),
                                                          g_date_time_get_month (local),
                                                          g_date_time_get_day_of_month (local));

          t = i % 100 == 0 ? midnight : midnight - 1;
          if (t < from_us || t >= to_us)
            continue;
        }
      random_call (fixture, rand, t);
    }
}

/* The calls as the table has them now, those in flight left out (they
 * are in no report). */
static void
remember_rows (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = byok_usage_store_list_recent (fixture->base.store, G_MAXINT, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    {
      ByokUsageRecord *row = g_ptr_array_index (all, i);

      if (g_strcmp0 (row->status, BYOK_USAGE_STATUS_IN_FLIGHT) != 0)
        g_ptr_array_add (fixture->calls, byok_usage_record_copy (row));
    }
}

/* ---------------------------------------------------------------------- */
/* What a report must say, computed from the calls made                   */

typedef struct {
  ByokUsageTotals totals;
  GArray         *latencies;
} Expected;

static Expected *
expected_new (void)
{
  Expected *e = g_new0 (Expected, 1);

  e->latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  return e;
}

static void
expected_free (Expected *e)
{
  g_array_unref (e->latencies);
  g_free (e);
}

static void
expected_add (Expected              *e,
              const ByokUsageRecord *r)
{
  ByokUsageTotals *t = &e->totals;
  gboolean ok = g_strcmp0 (r->status, "ok") == 0;
  gboolean interrupted = g_strcmp0 (r->status, BYOK_USAGE_STATUS_INTERRUPTED) == 0;

  t->calls++;
  t->errors += ok || interrupted ? 0 : 1;
  t->interrupted += interrupted ? 1 : 0;
  t->input_tokens += r->input_tokens;
  t->output_tokens += r->output_tokens;
  t->cached_input_tokens += r->cached_input_tokens;
  t->cache_write_tokens += r->cache_write_tokens;
  t->reasoning_tokens += r->reasoning_tokens;
  if (r->price_known)
    t->cost_usd += r->cost_usd;
  else
    t->unknown_price_calls++;
  t->cache_savings_usd += r->cache_savings_usd;
  if (ok)
    g_array_append_val (e->latencies, r->latency_us);
}

static Expected *
lookup_expected (GHashTable *table,
                 const char *key)
{
  Expected *e = g_hash_table_lookup (table, key);

  if (e == NULL)
    {
      e = expected_new ();
      g_hash_table_insert (table, g_strdup (key), e);
    }
  return e;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static void
check_double (double      value,
              double      expected,
              const char *what)
{
  if (fabs (value - expected) > 1e-9 * MAX (1.0, fabs (expected)))
    g_error ("%s: %.17g, expected %.17g", what, value, expected);
}

/* Nearest rank; from whole days of the rollup the percentile is a latency
 * of the same histogram bin, from rows alone the very value. */
static void
check_percentile (gint64      value,
                  GArray     *latencies,
                  guint       percent,
                  gboolean    exact,
                  const char *what)
{
  guint64 rank;
  gint64 truth;

  if (latencies->len == 0)
    {
      g_assert_cmpint (value, ==, -1);
      return;
    }
  g_array_sort (latencies, compare_gint64);
  rank = ((guint64) percent * latencies->len + 99) / 100;
  truth = g_array_index (latencies, gint64, MAX (rank, 1) - 1);
  if (exact ? value != truth : byok_latency_bin_index (value) != byok_latency_bin_index (truth))
    g_error ("%s: p%u is %" G_GINT64_FORMAT " µs, the true one %" G_GINT64_FORMAT " µs",
             what, percent, value, truth);
}

static void
check_totals (const ByokUsageTotals *t,
              Expected              *e,
              gboolean               with_percentiles,
              gboolean               exact,
              const char            *what)
{
  g_test_message ("checking %s", what);
  g_assert_cmpuint (t->calls, ==, e->totals.calls);
  g_assert_cmpuint (t->errors, ==, e->totals.errors);
  g_assert_cmpuint (t->interrupted, ==, e->totals.interrupted);
  g_assert_cmpuint (t->input_tokens, ==, e->totals.input_tokens);
  g_assert_cmpuint (t->output_tokens, ==, e->totals.output_tokens);
  g_assert_cmpuint (t->cached_input_tokens, ==, e->totals.cached_input_tokens);
  g_assert_cmpuint (t->cache_write_tokens, ==, e->totals.cache_write_tokens);
  g_assert_cmpuint (t->reasoning_tokens, ==, e->totals.reasoning_tokens);
  g_assert_cmpuint (t->unknown_price_calls, ==, e->totals.unknown_price_calls);
  check_double (t->cost_usd, e->totals.cost_usd, what);
  check_double (t->cache_savings_usd, e->totals.cache_savings_usd, what);
  g_assert_cmpfloat (t->error_rate, ==, e->totals.calls > 0 ? (double) e->totals.errors / (double) e->totals.calls : 0);
  if (with_percentiles)
    {
      check_percentile (t->latency_p50_us, e->latencies, 50, exact, what);
      check_percentile (t->latency_p95_us, e->latencies, 95, exact, what);
    }
}

/* The groups of a report, and the key of each in the expected totals */
typedef enum {
  GROUP_BUCKET,
  GROUP_PROVIDER,
  GROUP_MODEL,
  GROUP_STACK,      /* provider and bucket */
  N_GROUP_KINDS
} GroupKind;

static char *
group_key (GroupKind   kind,
           const char *provider,
           const char *model,
           const char *bucket)
{
  switch (kind)
    {
    case GROUP_BUCKET:
      return g_strdup_printf ("bucket %s", bucket);
    case GROUP_PROVIDER:
      return g_strdup_printf ("provider %s", provider);
    case GROUP_MODEL:
      return g_strdup_printf ("model %s/%s", provider, model);
    case GROUP_STACK:
    case N_GROUP_KINDS:
    default:
      return g_strdup_printf ("stack %s %s", provider, bucket);
    }
}

/* The report of [from, to) by @bucket against the calls made; returns
 * how many cells of the rollup it could use. */
static guint
check_report (Fixture         *fixture,
              gint64           from,
              gint64           to,
              ByokUsageBucket  bucket)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokUsageReport) report = NULL;
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) expected_free);
  g_auto(ByokUsagePlan) plan = { 0, };
  Expected *total = expected_new ();
  gint64 largest = 0;
  gboolean exact;
  guint n_cells;

  g_assert_true (byok_usage_plan_init (&plan, byok_database_get_handle (fixture->base.database),
                                       from, to, g_get_real_time (), FALSE, &error));
  g_assert_no_error (error);
  n_cells = plan.cells->len;
  exact = n_cells == 0;

  report = byok_usage_store_report (fixture->base.store, from, to, bucket, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < fixture->calls->len; i++)
    {
      const ByokUsageRecord *r = g_ptr_array_index (fixture->calls, i);
      const ByokUsageGroup *b = NULL;

      if (r->time_us < from || r->time_us >= to)
        continue;
      for (guint j = 0; j < report->by_bucket->len && b == NULL; j++)
        {
          const ByokUsageGroup *g = g_ptr_array_index (report->by_bucket, j);

          if (g->start_us <= r->time_us && r->time_us < g->end_us)
            b = g;
        }
      g_assert_nonnull (b);

      expected_add (total, r);
      largest = MAX (largest, r->input_tokens);
      for (GroupKind kind = 0; kind < N_GROUP_KINDS; kind++)
        {
          g_autofree char *key = group_key (kind, r->provider, r->model, b->bucket);

          expected_add (lookup_expected (groups, key), r);
        }
    }

  check_totals (&report->totals, total, TRUE, exact, "totals");
  expected_free (total);

  for (GroupKind kind = 0; kind < N_GROUP_KINDS; kind++)
    {
      GPtrArray *list = kind == GROUP_BUCKET ? report->by_bucket :
                        kind == GROUP_PROVIDER ? report->by_provider :
                        kind == GROUP_MODEL ? report->by_model : report->by_provider_bucket;

      for (guint j = 0; j < list->len; j++)
        {
          const ByokUsageGroup *g = g_ptr_array_index (list, j);
          g_autofree char *key = group_key (kind, g->provider, g->model, g->bucket);
          /* An empty bucket is in the report with nothing expected. */
          Expected *e = kind == GROUP_BUCKET ? lookup_expected (groups, key) : g_hash_table_lookup (groups, key);

          g_assert_nonnull (e);
          /* A stack (provider and bucket) has no latency. */
          check_totals (&g->totals, e, kind != GROUP_STACK, exact, key);
          if (kind == GROUP_STACK)
            g_assert_cmpint (g->totals.latency_p50_us, ==, -1);
          g_hash_table_remove (groups, key);
        }
    }
  /* Nothing the calls say is missing from the report. */
  g_assert_cmpuint (g_hash_table_size (groups), ==, 0);

  /* The what-if's largest prompt, from the same plan. */
  g_assert_cmpint (byok_what_if_largest_prompt (fixture->base.database, from, to, &error), ==, largest);
  g_assert_no_error (error);

  return n_cells;
}

/* ---------------------------------------------------------------------- */
/* The table against the rows, aggregated in SQL                          */

static const char rollup_sql[] =
  "SELECT day, provider, model, calls, errors, input_tokens, output_tokens, "
  "cached_input_tokens, cache_write_tokens, reasoning_tokens, cost_usd, "
  "unknown_price_calls, cache_savings_usd, max_input_tokens, first_time, last_time, "
  "latencies, interrupted FROM usage_daily ORDER BY day, provider, model";

static const char rows_sql[] =
  "SELECT byok_local_day (time) AS d, provider, model, count(*), "
  "sum (status NOT IN ('ok', 'interrupted')), "
  "sum (input_tokens), sum (output_tokens), sum (cached_input_tokens), "
  "sum (cache_write_tokens), sum (reasoning_tokens), total (cost_usd), "
  "sum (cost_usd IS NULL), total (cache_savings_usd), max (input_tokens), "
  "min (time), max (time), "
  "byok_latency_histogram (CASE WHEN status = 'ok' THEN latency_us END), "
  "sum (status = 'interrupted') "
  "FROM usage WHERE status <> 'in_flight' GROUP BY d, provider, model "
  "ORDER BY d, provider, model";

/* Returns the number of cells. */
static guint
check_table (ByokDatabase *database)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) cells = byok_database_prepare (database, rollup_sql, &error);
  g_autoptr(sqlite3_stmt) rows = byok_database_prepare (database, rows_sql, &error);
  g_autoptr(sqlite3_stmt) dirty = byok_database_prepare (database,
                                                         "SELECT count(*) FROM usage_daily WHERE dirty",
                                                         &error);
  guint n = 0;
  int rc;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (dirty), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (dirty, 0), ==, 0);

  while ((rc = sqlite3_step (rows)) == SQLITE_ROW)
    {
      g_assert_cmpint (sqlite3_step (cells), ==, SQLITE_ROW);
      for (int col = 0; col < 18; col++)
        {
          if (col == 10 || col == 12)
            check_double (sqlite3_column_double (cells, col), sqlite3_column_double (rows, col),
                          "a sum of money in the rollup");
          else if (col == 16)
            {
              g_assert_cmpint (sqlite3_column_bytes (cells, col), ==, sqlite3_column_bytes (rows, col));
              g_assert_true (sqlite3_column_bytes (rows, col) == 0 ||
                             memcmp (sqlite3_column_blob (cells, col), sqlite3_column_blob (rows, col),
                                     sqlite3_column_bytes (rows, col)) == 0);
            }
          else if (col == 1 || col == 2)
            g_assert_cmpstr ((const char *) sqlite3_column_text (cells, col), ==,
                             (const char *) sqlite3_column_text (rows, col));
          else if (sqlite3_column_int64 (cells, col) != sqlite3_column_int64 (rows, col))
            g_error ("rollup cell %d %s/%s, column %d: %" G_GINT64_FORMAT " but the rows say %" G_GINT64_FORMAT,
                     sqlite3_column_int (rows, 0), sqlite3_column_text (rows, 1),
                     sqlite3_column_text (rows, 2), col,
                     (gint64) sqlite3_column_int64 (cells, col), (gint64) sqlite3_column_int64 (rows, col));
        }
      n++;
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_step (cells), ==, SQLITE_DONE);
  return n;
}

/* ---------------------------------------------------------------------- */
/* Tests                                                                  */

static void
test_rollup_bins (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);
  g_autofree ByokLatencyHistogram *h = g_new0 (ByokLatencyHistogram, 1);
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 prev_hi = 0;

  /* The bins tile 0 … G_MAXINT64, each at most 1/16 of its start wide. */
  for (guint i = 0; i < BYOK_LATENCY_N_BINS; i++)
    {
      gint64 lo, hi;

      byok_latency_bin_bounds (i, &lo, &hi);
      g_assert_cmpint (lo, ==, prev_hi);
      g_assert_cmpint (hi, >, lo);
      g_assert_cmpuint (byok_latency_bin_index (lo), ==, i);
      g_assert_cmpuint (byok_latency_bin_index (hi - 1), ==, i);
      if (lo >= 32 && i + 1 < BYOK_LATENCY_N_BINS)
        g_assert_cmpint ((hi - lo) * 16, <=, lo);
      prev_hi = hi;
    }
  g_assert_cmpint (prev_hi, ==, G_MAXINT64);
  g_assert_cmpuint (byok_latency_bin_index (-5), ==, 0);

  /* Percentiles land in the bin of the true value; exact on bin edges. */
  g_assert_cmpint (byok_latency_histogram_percentile (h, 50), ==, -1);
  for (guint i = 0; i < 5001; i++)
    {
      gint64 v = (gint64) exp (g_rand_double_range (rand, 0, log (1e8)));

      g_array_append_val (values, v);
      byok_latency_histogram_add (h, v);
    }
  g_array_sort (values, compare_gint64);
  for (guint p = 1; p <= 100; p++)
    check_percentile (byok_latency_histogram_percentile (h, p), values, p, FALSE, "histogram");
  g_assert_cmpint (byok_latency_histogram_percentile (h, 100), ==, g_array_index (values, gint64, values->len - 1));

  /* Garbage is refused. */
  g_assert_false (byok_latency_histogram_add_encoded (h, (const guint8 *) "\x02\x01", 2));
  g_assert_false (byok_latency_histogram_add_encoded (h, (const guint8 *) "\x01\x05", 2));
  g_assert_false (byok_latency_histogram_add_encoded (h, (const guint8 *) "\x01\x05\x00\x00\x00", 5));
}

/* Random calls over eight months (a DST change each way), today and
 * yesterday included. */
static void
add_random_history (Fixture *fixture,
                    guint32  seed,
                    guint    n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  gint64 now = g_get_real_time ();

  random_calls (fixture, rand, n, byok_test_local_us (2024, 2, 20, 0, 0, 0), byok_test_local_us (2024, 11, 10, 0, 0, 0));
  random_calls (fixture, rand, 200, now - 2 * DAY, now);
}

static void
test_rollup_random (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  gint64 from, to;
  ByokUsageBucket bucket;
  guint cells;

  add_random_history (fixture, 20240331, 6000);
  cells = check_table (fixture->base.database);
  g_test_message ("%u calls in %u cells", fixture->calls->len, cells);
  g_assert_cmpuint (cells, >, 500);

  /* Whole months and years: from the rollup. */
  g_assert_cmpuint (check_report (fixture, byok_test_local_us (2024, 3, 1, 0, 0, 0), byok_test_local_us (2024, 4, 1, 0, 0, 0),
                                  BYOK_USAGE_BUCKET_DAY), >, 0);
  g_assert_cmpuint (check_report (fixture, byok_test_local_us (2024, 1, 1, 0, 0, 0), byok_test_local_us (2025, 1, 1, 0, 0, 0),
                                  BYOK_USAGE_BUCKET_MONTH), >, 0);
  g_assert_cmpuint (check_report (fixture, byok_test_local_us (2024, 10, 1, 0, 0, 0), byok_test_local_us (2024, 11, 1, 0, 0, 0),
                                  BYOK_USAGE_BUCKET_DAY), >, 0);
  /* Partial days at both ends, by day and by month. */
  g_assert_cmpuint (check_report (fixture, byok_test_local_us (2024, 3, 3, 13, 30, 0), byok_test_local_us (2024, 6, 9, 7, 0, 1),
                                  BYOK_USAGE_BUCKET_DAY), >, 0);
  g_assert_cmpuint (check_report (fixture, byok_test_local_us (2024, 3, 3, 13, 30, 0), byok_test_local_us (2024, 6, 9, 7, 0, 1),
                                  BYOK_USAGE_BUCKET_MONTH), >, 0);
  /* Inside one day: the rows alone, exact percentiles. */
  g_assert_cmpuint (check_report (fixture, byok_test_local_us (2024, 3, 31, 1, 0, 0), byok_test_local_us (2024, 3, 31, 23, 0, 0),
                                  BYOK_USAGE_BUCKET_DAY), ==, 0);
  /* The short DST day and the long one, alone. */
  g_assert_cmpuint (check_report (fixture, byok_test_local_us (2024, 3, 31, 0, 0, 0), byok_test_local_us (2024, 4, 1, 0, 0, 0),
                                  BYOK_USAGE_BUCKET_DAY), >, 0);
  g_assert_cmpuint (check_report (fixture, byok_test_local_us (2024, 10, 27, 0, 0, 0), byok_test_local_us (2024, 10, 28, 0, 0, 0),
                                  BYOK_USAGE_BUCKET_DAY), >, 0);

  /* The dashboard's periods, now: today from the rows only. */
  for (ByokUsagePeriod p = BYOK_USAGE_PERIOD_TODAY; p <= BYOK_USAGE_PERIOD_LAST_12_MONTHS; p++)
    {
      guint n;

      bucket = byok_usage_period_get_range (p, now, &from, &to);
      n = check_report (fixture, from, to, bucket);
      if (p == BYOK_USAGE_PERIOD_TODAY)
        g_assert_cmpuint (n, ==, 0);
    }
}

/* Rows changed or deleted without the store: their days come from the
 * rows again, the rest still from the rollup. */
static void
test_rollup_changed_rows (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *update = NULL;
  g_autofree char *delete = NULL;
  gint64 from = byok_test_local_us (2024, 3, 1, 0, 0, 0), to = byok_test_local_us (2024, 4, 1, 0, 0, 0);
  gint64 day5 = byok_test_local_us (2024, 3, 5, 0, 0, 0), day20 = byok_test_local_us (2024, 3, 20, 0, 0, 0);
  guint all_cells, cells;

  add_random_history (fixture, 7, 3000);
  all_cells = check_report (fixture, from, to, BYOK_USAGE_BUCKET_DAY);

  /* A cost corrected on the 5th, a call of the 20th deleted. */
  update = g_strdup_printf ("UPDATE usage SET cost_usd = 1.5, price_known = 1, status = 'ok' "
                            "WHERE id = (SELECT min(id) FROM usage WHERE time >= %" G_GINT64_FORMAT
                            " AND time < %" G_GINT64_FORMAT ")", day5, day5 + DAY);
  g_assert_true (byok_database_exec (fixture->base.database, update, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_changes (byok_database_get_handle (fixture->base.database)), ==, 1);
  delete = g_strdup_printf ("DELETE FROM usage WHERE id = (SELECT max(id) FROM usage "
                            "WHERE time >= %" G_GINT64_FORMAT " AND time < %" G_GINT64_FORMAT ")",
                            day20, day20 + DAY);
  g_assert_true (byok_database_exec (fixture->base.database, delete, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_changes (byok_database_get_handle (fixture->base.database)), ==, 1);

  /* The calls as they are now. */
  g_ptr_array_set_size (fixture->calls, 0);
  remember_rows (fixture);

  cells = check_report (fixture, from, to, BYOK_USAGE_BUCKET_DAY);
  g_assert_cmpuint (cells, <, all_cells);
  g_assert_cmpuint (cells, >, 0);
  check_report (fixture, day5, day5 + DAY, BYOK_USAGE_BUCKET_DAY);
  check_report (fixture, byok_test_local_us (2024, 1, 1, 0, 0, 0), byok_test_local_us (2025, 1, 1, 0, 0, 0), BYOK_USAGE_BUCKET_MONTH);
}

/* Calls filed under Berlin days, read in New York: the cells that straddle
 * New York's days are not used, and the reports stay exact. */
static void
test_rollup_time_zone (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  guint berlin_cells, cells;

  /* In Berlin, A (03:00 on Aug 2) and B (noon on Aug 1) are filed under
   * their own days; in New York both fall on Aug 1, so A's cell says Aug 2
   * but reaches into Aug 1, where B's cell alone must not be trusted. C
   * (noon on Aug 5) is on the same day in both. */
  record_at (fixture, byok_test_local_us (2023, 8, 2, 3, 0, 0), "openai", "a", 1100 * MS);
  record_at (fixture, byok_test_local_us (2023, 8, 1, 12, 0, 0), "openai", "b", 1200 * MS);
  record_at (fixture, byok_test_local_us (2023, 8, 5, 12, 0, 0), "openai", "c", 1300 * MS);
  add_random_history (fixture, 11, 2000);
  berlin_cells = check_report (fixture, byok_test_local_us (2024, 3, 1, 0, 0, 0), byok_test_local_us (2024, 6, 1, 0, 0, 0),
                               BYOK_USAGE_BUCKET_DAY);
  g_assert_cmpuint (berlin_cells, >, 0);

  g_setenv ("TZ", "America/New_York", TRUE);
  tzset ();
  reopen (fixture);

  cells = check_report (fixture, byok_test_local_us (2024, 3, 1, 0, 0, 0), byok_test_local_us (2024, 6, 1, 0, 0, 0),
                        BYOK_USAGE_BUCKET_DAY);
  g_test_message ("Berlin: %u cells usable, New York: %u", berlin_cells, cells);
  g_assert_cmpuint (cells, <, berlin_cells);
  g_assert_cmpuint (check_report (fixture, byok_test_local_us (2023, 8, 1, 0, 0, 0), byok_test_local_us (2023, 8, 7, 0, 0, 0),
                                  BYOK_USAGE_BUCKET_DAY), ==, 1);

  /* New calls are filed under New York's days, and are usable where no
   * Berlin cell reaches. */
  random_calls (fixture, rand, 500, byok_test_local_us (2024, 12, 1, 0, 0, 0), byok_test_local_us (2024, 12, 15, 0, 0, 0));
  g_assert_cmpuint (check_report (fixture, byok_test_local_us (2024, 12, 1, 0, 0, 0), byok_test_local_us (2024, 12, 15, 0, 0, 0),
                                  BYOK_USAGE_BUCKET_DAY), >, 0);
  check_report (fixture, byok_test_local_us (2024, 1, 1, 0, 0, 0), byok_test_local_us (2025, 1, 1, 0, 0, 0), BYOK_USAGE_BUCKET_MONTH);

  g_setenv ("TZ", "Europe/Berlin", TRUE);
  tzset ();
}

/* A schema 3 database with rows: the migration fills the rollup. */
static void
test_rollup_migration (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autofree char *fresh_path = g_build_filename (fixture->base.dir, "fresh.db", NULL);
  sqlite3 *raw = NULL;
  guint cells;

  add_random_history (fixture, 3, 2000);

  /* Back to schema 3 as an older Byok left it: no rollup, no triggers,
   * no attachments column (schema 5), no tool calls (schema 13), no reasoning effort nor price
   * history (schema 7), no calls in flight (schema 8). */
  g_clear_object (&fixture->base.store);
  g_clear_object (&fixture->base.database);
  g_assert_cmpint (sqlite3_open (fixture->base.path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw,
                                 "DROP TRIGGER usage_daily_insert;"
                                 "DROP TRIGGER usage_daily_update;"
                                 "DROP TRIGGER usage_daily_delete;"
                                 "DROP TRIGGER usage_daily_finish;"
                                 "DROP TABLE usage_daily;"
                                 "ALTER TABLE messages DROP COLUMN tool_calls;"
                                 "ALTER TABLE messages DROP COLUMN reported_cost_usd;"
                                 "ALTER TABLE messages DROP COLUMN estimated;"
                                 "ALTER TABLE usage DROP COLUMN reported_cost_usd;"
                                 "ALTER TABLE messages DROP COLUMN attachments;"
                                 "ALTER TABLE conversations DROP COLUMN reasoning_effort;"
                                 "DROP TABLE price_history;"
                                 "DROP TABLE price_data;"
                                 "DROP TABLE price_updates;"
                                 "DROP INDEX usage_in_flight;"
                                 "ALTER TABLE usage DROP COLUMN owner;"
                                 "ALTER TABLE usage DROP COLUMN estimated;"
                                 "PRAGMA user_version = 3;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  /* More calls written by the older Byok. */
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *sql = NULL;
      char cost[G_ASCII_DTOSTR_BUF_SIZE] = "NULL";
      ByokUsageRecord r = { 0, };

      r.time_us = byok_test_local_us (2024, 5, 1, 0, 0, 0) + g_rand_int_range (rand, 0, 40 * 86400) * (gint64) SEC;
      r.provider = (char *) "mistral";
      r.model = (char *) (i % 2 ? "large" : "small");
      r.input_tokens = i * 10;
      r.output_tokens = i;
      r.price_known = i % 9 != 0;
      r.cost_usd = r.price_known ? i / 1024.0 : 0;
      r.latency_us = (i % 37 + 1) * 100 * MS;
      r.status = (char *) (i % 11 ? "ok" : "SERVER");
      if (r.price_known)
        g_ascii_dtostr (cost, sizeof cost, r.cost_usd);
      sql = g_strdup_printf ("INSERT INTO usage (time, provider, model, input_tokens, output_tokens, "
                             "cost_usd, price_known, latency_us, status) VALUES (%" G_GINT64_FORMAT
                             ", '%s', '%s', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %s, %d, %"
                             G_GINT64_FORMAT ", '%s')",
                             r.time_us, r.provider, r.model, r.input_tokens, r.output_tokens,
                             cost, r.price_known, r.latency_us, r.status);
      g_assert_cmpint (sqlite3_exec (raw, sql, NULL, NULL, NULL), ==, SQLITE_OK);
      g_ptr_array_add (fixture->calls, byok_usage_record_copy (&r));
    }
  sqlite3_close (raw);

  reopen (fixture);
  g_assert_cmpint (byok_database_get_version (fixture->base.database), ==, BYOK_DATABASE_SCHEMA_VERSION);
  cells = check_table (fixture->base.database);
  g_assert_cmpuint (cells, >, 100);
  g_assert_cmpuint (check_report (fixture, byok_test_local_us (2024, 1, 1, 0, 0, 0), byok_test_local_us (2025, 1, 1, 0, 0, 0),
                                  BYOK_USAGE_BUCKET_MONTH), >, 0);
  g_assert_cmpuint (check_report (fixture, byok_test_local_us (2024, 5, 1, 0, 0, 0), byok_test_local_us (2024, 6, 1, 0, 0, 0),
                                  BYOK_USAGE_BUCKET_DAY), >, 0);

  /* And it goes on from there. */
  random_calls (fixture, rand, 300, byok_test_local_us (2024, 5, 1, 0, 0, 0), byok_test_local_us (2024, 6, 1, 0, 0, 0));
  check_table (fixture->base.database);
  check_report (fixture, byok_test_local_us (2024, 5, 1, 0, 0, 0), byok_test_local_us (2024, 6, 1, 0, 0, 0), BYOK_USAGE_BUCKET_DAY);

  /* The same schema as a new database's. */
  {
    g_autoptr(ByokDatabase) fresh = byok_database_open (fresh_path, &error);
    g_autofree char *migrated_master = byok_test_describe_master (byok_database_get_handle (fixture->base.database));
    g_autofree char *fresh_master = NULL;

    g_assert_no_error (error);
    fresh_master = byok_test_describe_master (byok_database_get_handle (fresh));
    g_assert_cmpstr (migrated_master, ==, fresh_master);
  }
}

/* ---------------------------------------------------------------------- */
/* SIGKILL                                                                 */

static int
run_child (const char *path)
{
  g_autoptr(ByokUsageStore) store = byok_test_child_open_store (path);
  g_autoptr(GRand) rand = g_rand_new_with_seed (getpid ());
  gint64 start = byok_test_local_us (2024, 3, 1, 0, 0, 0);

  if (store == NULL)
    return 1;

  for (guint i = 0; ; i++)
    {
      ByokUsageRecord record = {
        /* Spread over 60 days, so many cells are written to. */
        .time_us = start + g_rand_int_range (rand, 0, 60 * 86400) * (gint64) SEC,
        .provider = (char *) providers[i % G_N_ELEMENTS (providers)],
        .model = (char *) models[i % 2],
        .input_tokens = i, .output_tokens = i % 100,
        .price_known = i % 13 != 0, .cost_usd = 0.0001 * (i % 7),
        .latency_us = 1000 + g_rand_int_range (rand, 0, 5000000), .ttft_us = -1,
        .status = (char *) (i % 5 ? "ok" : "SERVER"),
        .attempt = 1,
      };

      if (!byok_test_child_record (store, &record))
        return 1;
    }
}

static void
test_rollup_sigkill (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  guint64 reported = 0;

  g_assert_nonnull (self_exe);
  g_clear_object (&fixture->base.store);
  g_clear_object (&fixture->base.database);

  for (guint round = 0; round < 4; round++)
    {
      const char *argv[] = { self_exe, "--rollup-child", fixture->base.path, NULL };
      g_autoptr(GArray) seen = byok_test_kill_child_after (argv, 200 + round * 113);

      reported += seen->len;
    }

  reopen (fixture);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(sqlite3_stmt) check = byok_database_prepare (fixture->base.database, "PRAGMA integrity_check", &error);
    g_autoptr(sqlite3_stmt) count = byok_database_prepare (fixture->base.database, "SELECT count(*) FROM usage", &error);

    g_assert_cmpint (sqlite3_step (check), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (check, 0), ==, "ok");
    g_assert_cmpint (sqlite3_step (count), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int64 (count, 0), >=, (gint64) reported);
  }
  /* Every committed row is in the rollup, and nothing else is. */
  g_assert_cmpuint (check_table (fixture->base.database), >, 100);

  /* The reports agree with the rows. */
  remember_rows (fixture);
  g_assert_cmpuint (check_report (fixture, byok_test_local_us (2024, 3, 1, 0, 0, 0), byok_test_local_us (2024, 5, 1, 0, 0, 0),
                                  BYOK_USAGE_BUCKET_DAY), >, 0);
}

int
main (int argc, char **argv)
{
  g_setenv ("TZ", "Europe/Berlin", TRUE);
  tzset ();

  if (argc == 3 && g_str_equal (argv[1], "--rollup-child"))
    return run_child (argv[2]);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ((path), Fixture, NULL, fixture_set_up, (func), fixture_tear_down)

  g_test_add_func ("/usage-rollup/bins", test_rollup_bins);
  ADD ("/usage-rollup/random", test_rollup_random);
  ADD ("/usage-rollup/changed-rows", test_rollup_changed_rows);
  ADD ("/usage-rollup/time-zone", test_rollup_time_zone);
  ADD ("/usage-rollup/migration", test_rollup_migration);
  ADD ("/usage-rollup/sigkill", test_rollup_sigkill);

#undef ADD
  return g_test_run ();
}
