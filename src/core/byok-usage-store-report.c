/* byok-usage-store-report.c — the reports the dashboard reads, by period and bucket */
#define G_LOG_DOMAIN "byok-usage"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "byok-error.h"
#include "byok-usage-store-private.h"
#include "byok-usage-plan.h"
#include "byok-usage-rollup.h"

/* ---------------------------------------------------------------------- */
/* Reports                                                                */

typedef struct {
  ByokUsageGroup       *group;
  GArray               *latencies;   /* gint64 of ok rows; NULL: not tracked */
  ByokLatencyHistogram *histogram;   /* of rollup cells, when any was added */
} Acc;

typedef struct {
  Acc          acc;
  GHashTable  *models;           /* model → Acc */
  Acc        **per_bucket;       /* n_buckets, created on first use */
} ProviderAcc;

typedef struct {
  guint             n_buckets;
  gint64           *starts;      /* n_buckets + 1: the last is to_us */
  Acc               totals;
  Acc              *buckets;     /* n_buckets */
  GHashTable       *providers;   /* provider → ProviderAcc */
  ByokLatencyEntry *entries;     /* room to decode a cell's histogram */
} ReportBuilder;

static ByokUsageGroup *
group_new (const char *provider,
           const char *model,
           const char *bucket,
           gint64      start_us,
           gint64      end_us)
{
  ByokUsageGroup *group = g_new0 (ByokUsageGroup, 1);

  group->provider = g_strdup (provider);
  group->model = g_strdup (model);
  group->bucket = g_strdup (bucket);
  group->start_us = start_us;
  group->end_us = end_us;
  group->totals.latency_p50_us = -1;
  group->totals.latency_p95_us = -1;
  return group;
}

static void
acc_init (Acc            *acc,
          ByokUsageGroup *group,
          gboolean        with_latencies)
{
  acc->group = group;
  acc->latencies = with_latencies ? g_array_new (FALSE, FALSE, sizeof (gint64)) : NULL;
}

static void
acc_clear (Acc *acc)
{
  g_clear_pointer (&acc->group, byok_usage_group_free);
  g_clear_pointer (&acc->latencies, g_array_unref);
  g_clear_pointer (&acc->histogram, g_free);
}

static Acc *
acc_new (ByokUsageGroup *group,
         gboolean        with_latencies)
{
  Acc *acc = g_new0 (Acc, 1);

  acc_init (acc, group, with_latencies);
  return acc;
}

static void
acc_free (Acc *acc)
{
  acc_clear (acc);
  g_free (acc);
}

/* The k-th smallest of a[0..n) (quickselect; reorders a). */
static gint64
select_nth (gint64 *a,
            gssize  n,
            gssize  k)
{
  gssize lo = 0, hi = n - 1;

  while (hi > lo)
    {
      gint64 x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi];
      gint64 pivot = MAX (MIN (x, y), MIN (MAX (x, y), z));
      gssize i = lo, j = hi;

      while (i <= j)
        {
          while (a[i] < pivot)
            i++;
          while (a[j] > pivot)
            j--;
          if (i <= j)
            {
              gint64 t = a[i];

              a[i++] = a[j];
              a[j--] = t;
            }
        }
      /* a[lo..j] ≤ pivot ≤ a[i..hi]; between them, the pivot. */
      if (k <= j)
        hi = j;
      else if (k >= i)
        lo = i;
      else
        return a[k];
    }
  return a[k];
}

/* Nearest rank: the smallest value with at least p % of values ≤ it. */
static gint64
percentile (GArray *values,
            guint   p)
{
  guint64 rank;

  if (values->len == 0)
    return -1;
  rank = ((guint64) p * values->len + 99) / 100;
  if (rank == 0)
    rank = 1;
  return select_nth ((gint64 *) (void *) values->data, values->len, rank - 1);
}

/* Derived figures; hands over the group. */
static ByokUsageGroup *
acc_finish (Acc *acc)
{
  ByokUsageTotals *t = &acc->group->totals;

  t->error_rate = t->calls > 0 ? (double) t->errors / (double) t->calls : 0.0;
  if (acc->histogram != NULL)
    {
      /* Rows and whole days together: the rows join the histogram. */
      for (guint i = 0; acc->latencies != NULL && i < acc->latencies->len; i++)
        byok_latency_histogram_add (acc->histogram, g_array_index (acc->latencies, gint64, i));
      t->latency_p50_us = byok_latency_histogram_percentile (acc->histogram, 50);
      t->latency_p95_us = byok_latency_histogram_percentile (acc->histogram, 95);
    }
  else if (acc->latencies != NULL && acc->latencies->len > 0)
    {
      t->latency_p50_us = percentile (acc->latencies, 50);
      t->latency_p95_us = percentile (acc->latencies, 95);
    }
  g_clear_pointer (&acc->latencies, g_array_unref);
  g_clear_pointer (&acc->histogram, g_free);
  return g_steal_pointer (&acc->group);
}

typedef struct {
  gboolean  ok;
  gboolean  interrupted;
  gboolean  cancelled;
  gboolean  estimated;    /* an answer whose tokens Byok estimated */
  gboolean  price_known;
  gint64    input_tokens;
  gint64    output_tokens;
  gint64    cached_input_tokens;
  gint64    cache_write_tokens;
  gint64    reasoning_tokens;
  double    cost_usd;
  double    cache_savings_usd;
  gint64    latency_us;
} Row;

static inline void
acc_add (Acc       *acc,
         const Row *row)
{
  ByokUsageTotals *t = &acc->group->totals;

  t->calls++;
  if (row->interrupted)
    t->interrupted++;
  else if (row->cancelled)
    t->cancelled++;
  else if (!row->ok)
    t->errors++;
  else if (row->estimated)
    t->estimated++;
  t->input_tokens += row->input_tokens;
  t->output_tokens += row->output_tokens;
  t->cached_input_tokens += row->cached_input_tokens;
  t->cache_write_tokens += row->cache_write_tokens;
  t->reasoning_tokens += row->reasoning_tokens;
  if (row->price_known)
    t->cost_usd += row->cost_usd;
  else
    t->unknown_price_calls++;
  t->cache_savings_usd += row->cache_savings_usd;
  if (row->ok && acc->latencies != NULL)
    g_array_append_val (acc->latencies, row->latency_us);
}

/* A whole day of one model from the rollup, with its latency histogram
 * decoded into @entries. */
static void
acc_add_cell (Acc                    *acc,
              const ByokUsageCell    *cell,
              const ByokLatencyEntry *entries,
              gsize                   n_entries)
{
  ByokUsageTotals *t = &acc->group->totals;
  const ByokUsageTotals *c = &cell->totals;

  t->calls += c->calls;
  t->errors += c->errors;
  t->interrupted += c->interrupted;
  t->cancelled += c->cancelled;
  t->estimated += c->estimated;
  t->input_tokens += c->input_tokens;
  t->output_tokens += c->output_tokens;
  t->cached_input_tokens += c->cached_input_tokens;
  t->cache_write_tokens += c->cache_write_tokens;
  t->reasoning_tokens += c->reasoning_tokens;
  t->cost_usd += c->cost_usd;
  t->unknown_price_calls += c->unknown_price_calls;
  t->cache_savings_usd += c->cache_savings_usd;
  if (n_entries > 0 && acc->latencies != NULL)
    {
      if (acc->histogram == NULL)
        acc->histogram = g_new0 (ByokLatencyHistogram, 1);
      byok_latency_histogram_add_entries (acc->histogram, entries, n_entries);
    }
}

static void
provider_acc_free (gpointer data)
{
  ProviderAcc *pacc = data;

  acc_clear (&pacc->acc);
  g_clear_pointer (&pacc->models, g_hash_table_unref);
  g_free (pacc->per_bucket);  /* the Accs are moved out or freed by the builder */
  g_free (pacc);
}

static void
builder_clear (ReportBuilder *b)
{
  if (b->providers != NULL)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, b->providers);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          ProviderAcc *pacc = value;

          for (guint i = 0; pacc->per_bucket != NULL && i < b->n_buckets; i++)
            g_clear_pointer (&pacc->per_bucket[i], acc_free);
        }
      g_clear_pointer (&b->providers, g_hash_table_unref);
    }
  for (guint i = 0; b->buckets != NULL && i < b->n_buckets; i++)
    acc_clear (&b->buckets[i]);
  g_clear_pointer (&b->buckets, g_free);
  g_clear_pointer (&b->starts, g_free);
  g_clear_pointer (&b->entries, g_free);
  acc_clear (&b->totals);
}

/* More than a century of days is not a chart. */
#define MAX_BUCKETS 40000

/* The buckets of [from_us, to_us): local days or months, clipped. */
static gboolean
builder_init (ReportBuilder    *b,
              gint64            from_us,
              gint64            to_us,
              ByokUsageBucket   bucket,
              GError          **error)
{
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) last = NULL;
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  int y, m, d;

  memset (b, 0, sizeof *b);

  first = _byok_usage_local_from_us (from_us);
  last = _byok_usage_local_from_us (to_us);
  if (first == NULL || last == NULL || from_us > to_us ||
      g_date_time_get_year (last) >= 9999)
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("The period to report on is not valid; choose a start before its end."));
      return FALSE;
    }

  g_date_time_get_ymd (first, &y, &m, &d);
  if (bucket == BYOK_USAGE_BUCKET_MONTH)
    d = 1;

  /* Bucket starts only grow: a local midnight that falls in a DST gap is
   * moved forward by GDateTime, never back. */
  while (TRUE)
    {
      gint64 start = MAX (_byok_usage_local_start_us (y, m, d), from_us);

      if (start >= to_us)
        break;
      if (starts->len >= MAX_BUCKETS)
        {
          g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                       _("The period is too long to show day by day; choose a shorter one or show it by month."));
          return FALSE;
        }
      g_array_append_val (starts, start);
      if (bucket == BYOK_USAGE_BUCKET_MONTH)
        {
          g_ptr_array_add (labels, g_strdup_printf ("%04d-%02d", y, m));
          _byok_usage_shift_month (&y, &m, 1);
        }
      else
        {
          g_ptr_array_add (labels, g_strdup_printf ("%04d-%02d-%02d", y, m, d));
          _byok_usage_shift_day (&y, &m, &d, 1);
        }
    }

  b->n_buckets = starts->len;
  g_array_append_val (starts, to_us);
  b->starts = (gint64 *) (void *) g_array_free (g_steal_pointer (&starts), FALSE);
  b->buckets = g_new0 (Acc, b->n_buckets);
  for (guint i = 0; i < b->n_buckets; i++)
    acc_init (&b->buckets[i],
              group_new (NULL, NULL, g_ptr_array_index (labels, i),
                         b->starts[i], b->starts[i + 1]),
              TRUE);
  acc_init (&b->totals, group_new (NULL, NULL, NULL, from_us, to_us), TRUE);
  b->providers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, provider_acc_free);
  return TRUE;
}

static guint
builder_find_bucket (ReportBuilder *b,
                     gint64         time_us,
                     guint          hint)
{
  guint lo = 0, hi = b->n_buckets;

  if (hint < b->n_buckets && b->starts[hint] <= time_us && time_us < b->starts[hint + 1])
    return hint;

  /* The largest i with starts[i] <= time_us. */
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (b->starts[mid] <= time_us)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

/* The accumulators a call at @time_us of (@provider, @model) adds to,
 * besides the totals: its bucket, provider, model and provider×bucket. */
static guint
builder_accs (ReportBuilder *b,
              gint64         time_us,
              const char    *provider,
              const char    *model,
              guint         *bucket_hint,
              Acc          **accs)
{
  ProviderAcc *pacc;
  Acc *macc;
  guint i;

  if (b->n_buckets == 0)
    return 0;

  i = builder_find_bucket (b, time_us, *bucket_hint);
  *bucket_hint = i;
  accs[0] = &b->buckets[i];

  pacc = g_hash_table_lookup (b->providers, provider);
  if (pacc == NULL)
    {
      pacc = g_new0 (ProviderAcc, 1);
      acc_init (&pacc->acc, group_new (provider, NULL, NULL, b->starts[0],
                                       b->starts[b->n_buckets]), TRUE);
      pacc->models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) acc_free);
      pacc->per_bucket = g_new0 (Acc *, b->n_buckets);
      g_hash_table_insert (b->providers, g_strdup (provider), pacc);
    }
  accs[1] = &pacc->acc;

  macc = g_hash_table_lookup (pacc->models, model);
  if (macc == NULL)
    {
      macc = acc_new (group_new (provider, model, NULL, b->starts[0],
                                 b->starts[b->n_buckets]), TRUE);
      g_hash_table_insert (pacc->models, g_strdup (model), macc);
    }
  accs[2] = macc;

  if (pacc->per_bucket[i] == NULL)
    pacc->per_bucket[i] = acc_new (group_new (provider, NULL, b->buckets[i].group->bucket,
                                              b->starts[i], b->starts[i + 1]), FALSE);
  accs[3] = pacc->per_bucket[i];
  return 4;
}

static void
builder_add (ReportBuilder *b,
             gint64         time_us,
             const char    *provider,
             const char    *model,
             const Row     *row,
             guint         *bucket_hint)
{
  Acc *accs[4];
  guint n;

  acc_add (&b->totals, row);
  n = builder_accs (b, time_us, provider, model, bucket_hint, accs);
  for (guint k = 0; k < n; k++)
    acc_add (accs[k], row);
}

/* A cell is a whole local day inside the period: it falls in one bucket. */
static void
builder_add_cell (ReportBuilder       *b,
                  const ByokUsageCell *cell,
                  guint               *bucket_hint)
{
  Acc *accs[4];
  gssize n_entries = 0;
  guint n;

  if (cell->latencies != NULL)
    {
      if (b->entries == NULL)
        b->entries = g_new (ByokLatencyEntry, BYOK_LATENCY_N_BINS);
      n_entries = byok_latency_decode (cell->latencies, cell->latencies_len, b->entries);
      if (n_entries < 0)
        {
          g_warning ("The latency histogram of %s/%s on a day is damaged; its percentiles are left out",
                     cell->provider, cell->model);
          n_entries = 0;
        }
    }

  acc_add_cell (&b->totals, cell, b->entries, n_entries);
  n = builder_accs (b, cell->day_start_us, cell->provider, cell->model, bucket_hint, accs);
  for (guint k = 0; k < n; k++)
    acc_add_cell (accs[k], cell, b->entries, n_entries);
}

static int
compare_by_cost (gconstpointer a,
                 gconstpointer b)
{
  const ByokUsageGroup *x = *(ByokUsageGroup * const *) a;
  const ByokUsageGroup *y = *(ByokUsageGroup * const *) b;
  int c;

  if (x->totals.cost_usd != y->totals.cost_usd)
    return x->totals.cost_usd > y->totals.cost_usd ? -1 : 1;
  if (x->totals.calls != y->totals.calls)
    return x->totals.calls > y->totals.calls ? -1 : 1;
  c = g_strcmp0 (x->provider, y->provider);
  return c != 0 ? c : g_strcmp0 (x->model, y->model);
}

static int
compare_by_bucket (gconstpointer a,
                   gconstpointer b)
{
  const ByokUsageGroup *x = *(ByokUsageGroup * const *) a;
  const ByokUsageGroup *y = *(ByokUsageGroup * const *) b;

  if (x->start_us != y->start_us)
    return x->start_us < y->start_us ? -1 : 1;
  return g_strcmp0 (x->provider, y->provider);
}

static ByokUsageReport *
builder_finish (ReportBuilder   *b,
                gint64           from_us,
                gint64           to_us,
                ByokUsageBucket  bucket)
{
  ByokUsageReport *report = g_new0 (ByokUsageReport, 1);
  GHashTableIter iter;
  gpointer value;

  report->from_us = from_us;
  report->to_us = to_us;
  report->bucket = bucket;
  report->by_bucket = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_usage_group_free);
  report->by_provider = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_usage_group_free);
  report->by_model = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_usage_group_free);
  report->by_provider_bucket = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_usage_group_free);

  {
    g_autoptr(ByokUsageGroup) totals = acc_finish (&b->totals);

    report->totals = totals->totals;
  }

  for (guint i = 0; i < b->n_buckets; i++)
    g_ptr_array_add (report->by_bucket, acc_finish (&b->buckets[i]));

  g_hash_table_iter_init (&iter, b->providers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      ProviderAcc *pacc = value;
      GHashTableIter miter;
      gpointer mvalue;

      g_ptr_array_add (report->by_provider, acc_finish (&pacc->acc));

      g_hash_table_iter_init (&miter, pacc->models);
      while (g_hash_table_iter_next (&miter, NULL, &mvalue))
        g_ptr_array_add (report->by_model, acc_finish (mvalue));

      for (guint i = 0; i < b->n_buckets; i++)
        {
          if (pacc->per_bucket[i] == NULL)
            continue;
          g_ptr_array_add (report->by_provider_bucket, acc_finish (pacc->per_bucket[i]));
          g_clear_pointer (&pacc->per_bucket[i], acc_free);
        }
    }

  g_ptr_array_sort (report->by_provider, compare_by_cost);
  g_ptr_array_sort (report->by_model, compare_by_cost);
  g_ptr_array_sort (report->by_provider_bucket, compare_by_bucket);
  return report;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ReportBuilder, builder_clear)

/* The rows of [from_us, to_us) into @builder. */
static gboolean
add_rows (sqlite3        *db,
          sqlite3_stmt   *stmt,
          ReportBuilder  *builder,
          gint64          from_us,
          gint64          to_us,
          guint          *hint,
          guint64        *n,
          GCancellable   *cancellable,
          GError        **error)
{
  int rc;

  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 1, from_us);
  sqlite3_bind_int64 (stmt, 2, to_us);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *status = (const char *) sqlite3_column_text (stmt, 3);
      Row row;

      row.ok = status != NULL && strcmp (status, BYOK_USAGE_STATUS_OK) == 0;
      row.interrupted = status != NULL && strcmp (status, BYOK_USAGE_STATUS_INTERRUPTED) == 0;
      row.cancelled = status != NULL && strcmp (status, BYOK_USAGE_STATUS_CANCELLED) == 0;
      row.input_tokens = sqlite3_column_int64 (stmt, 4);
      row.output_tokens = sqlite3_column_int64 (stmt, 5);
      row.cached_input_tokens = sqlite3_column_int64 (stmt, 6);
      row.cache_write_tokens = sqlite3_column_int64 (stmt, 7);
      row.reasoning_tokens = sqlite3_column_int64 (stmt, 8);
      row.price_known = sqlite3_column_type (stmt, 9) != SQLITE_NULL;
      row.cost_usd = sqlite3_column_double (stmt, 9);
      row.cache_savings_usd = sqlite3_column_double (stmt, 10);
      row.latency_us = sqlite3_column_int64 (stmt, 11);
      row.estimated = sqlite3_column_int (stmt, 12) != 0;

      builder_add (builder,
                   sqlite3_column_int64 (stmt, 0),
                   (const char *) sqlite3_column_text (stmt, 1),
                   (const char *) sqlite3_column_text (stmt, 2),
                   &row, hint);

      if ((++*n & 0xffff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      byok_database_set_error (error, db, rc, _("Could not read the usage history"));
      return FALSE;
    }
  return TRUE;
}

/* The period from the rollup's whole past days and the rows of the rest
 * (byok_usage_plan_init()), on any connection. */
static ByokUsageReport *
compute_report (sqlite3          *db,
                gint64            from_us,
                gint64            to_us,
                ByokUsageBucket   bucket,
                GCancellable     *cancellable,
                GError          **error)
{
  g_auto(ReportBuilder) builder = { 0, };
  g_auto(ByokUsagePlan) plan = { 0, };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint hint = 0;
  guint64 n = 0;
  int rc;

  if (!builder_init (&builder, from_us, to_us, bucket, error))
    return NULL;
  if (!byok_usage_plan_init (&plan, db, from_us, to_us, g_get_real_time (), TRUE, error))
    return NULL;

  rc = sqlite3_prepare_v2 (db,
                           "SELECT time, provider, model, status, input_tokens, "
                           "output_tokens, cached_input_tokens, cache_write_tokens, "
                           "reasoning_tokens, cost_usd, cache_savings_usd, latency_us, "
                           "estimated FROM usage WHERE time >= ?1 AND time < ?2 "
                           "AND status <> 'in_flight'",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      byok_database_set_error (error, db, rc, _("Could not read the usage history"));
      return NULL;
    }

  for (guint i = 0; i < plan.spans->len; i++)
    {
      const ByokUsageSpan *span = &g_array_index (plan.spans, ByokUsageSpan, i);

      if (!add_rows (db, stmt, &builder, span->from_us, span->to_us, &hint, &n, cancellable, error))
        return NULL;
    }

  for (guint i = 0; i < plan.cells->len; i++)
    {
      builder_add_cell (&builder, &g_array_index (plan.cells, ByokUsageCell, i), &hint);
      if ((i & 0xfff) == 0xfff && g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  return builder_finish (&builder, from_us, to_us, bucket);
}

/**
 * byok_usage_store_report:
 * @from_us: start of the period (included)
 * @to_us: end of the period (excluded)
 * @bucket: days or months for by_bucket and by_provider_bucket
 *
 * Computes everything the dashboard shows for a period, on the main
 * connection: whole past days from the rollup, the rest from the rows (see
 * byok_usage_plan_init()). A year is a few thousand rollup rows, tens of
 * milliseconds; still, in the app use byok_usage_store_report_async().
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
ByokUsageReport *
byok_usage_store_report (ByokUsageStore   *self,
                         gint64            from_us,
                         gint64            to_us,
                         ByokUsageBucket   bucket,
                         GCancellable     *cancellable,
                         GError          **error)
{
  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), NULL);

  return compute_report (byok_database_get_handle (self->database),
                         from_us, to_us, bucket, cancellable, error);
}

static void
report_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ByokUsageWorkerData *data = task_data;
  g_autoptr(sqlite3) db = NULL;
  ByokUsageReport *report;
  GError *error = NULL;

  db = byok_database_connect (data->path, TRUE, &error);
  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  report = compute_report (db, data->from_us, data->to_us, data->bucket, cancellable, &error);
  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) byok_usage_report_free);
}

/**
 * byok_usage_store_report_async:
 *
 * byok_usage_store_report() in a worker thread, on a connection of its own,
 * so the main loop never waits for it. The store must be on a database
 * file (not ":memory:").
 */
void
byok_usage_store_report_async (ByokUsageStore      *self,
                               gint64               from_us,
                               gint64               to_us,
                               ByokUsageBucket      bucket,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ByokUsageWorkerData *data;

  g_return_if_fail (BYOK_IS_USAGE_STORE (self));

  data = _byok_usage_worker_data_new (self, from_us, to_us);
  data->bucket = bucket;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byok_usage_store_report_async);
  g_task_set_task_data (task, data, (GDestroyNotify) _byok_usage_worker_data_free);
  g_task_run_in_thread (task, report_thread);
}

/**
 * byok_usage_store_report_finish:
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
ByokUsageReport *
byok_usage_store_report_finish (ByokUsageStore  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == byok_usage_store_report_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

