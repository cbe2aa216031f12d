/* byok-usage-plan.c — which days of a period the rollup answers, and which the rows */
#define G_LOG_DOMAIN "byok-usage"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byok-database.h"
#include "byok-usage-plan.h"
#include "byok-usage-rollup.h"

/* Up to this many days between the local day a row was filed under and
 * the local day it falls on now (time zone offsets span 26 hours). */
#define LABEL_SLACK_DAYS 3

/* ---------------------------------------------------------------------- */
/* Plans                                                                  */

typedef struct {
  int      label;
  gboolean known;       /* a real day: start and end are set */
  gint64   start;
  gint64   end;
  gboolean candidate;   /* whole, inside the period, before today */
  gboolean bad;         /* a cell that cannot be trusted reaches into it */
} Day;

typedef struct {
  ByokUsageCell cell;
  Day          *day;
  gboolean      valid;
  gint64        first_time;
  gint64        last_time;
  gssize        blob_offset;    /* in plan->blobs; -1: none */
} Candidate;

static int
compare_days (gconstpointer a,
              gconstpointer b)
{
  const Day *x = *(Day * const *) a;
  const Day *y = *(Day * const *) b;

  return (x->start > y->start) - (x->start < y->start);
}

static void
add_span (ByokUsagePlan *plan,
          gint64         from_us,
          gint64         to_us)
{
  ByokUsageSpan span = { from_us, to_us };

  if (from_us < to_us)
    g_array_append_val (plan->spans, span);
}

/* Marks the candidate days that [first, last] reaches into. */
static void
mark_bad (GPtrArray *days,
          gint64     first,
          gint64     last)
{
  guint lo = 0, hi = days->len;

  /* The first day that ends after @first. */
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      Day *day = g_ptr_array_index (days, mid);

      if (day->end <= first)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (guint i = lo; i < days->len; i++)
    {
      Day *day = g_ptr_array_index (days, i);

      if (day->start > last)
        break;
      day->bad = TRUE;
    }
}

static gint64
today_start_us (gint64 now_us)
{
  int label = byok_usage_day_label_of_time (now_us);
  gint64 start, end;

  if (label == 0 || !byok_usage_day_label_range (label, &start, &end))
    return G_MININT64;
  return start;
}

#define CELL_COLUMNS \
  "day, provider, model, calls, errors, input_tokens, output_tokens, " \
  "cached_input_tokens, cache_write_tokens, reasoning_tokens, cost_usd, " \
  "unknown_price_calls, cache_savings_usd, max_input_tokens, first_time, " \
  "last_time, dirty, interrupted, cancelled, estimated"

/**
 * byok_usage_plan_init:
 * @plan: (out caller-allocates): the plan; clear it with byok_usage_plan_clear()
 * @db: a connection to a database at schema 11 or later
 * @now_us: the current time (unix µs); today is never read from the rollup
 * @with_latencies: whether the cells need their latency histograms
 *
 * Works out how to read [@from_us, @to_us) exactly: the whole local days
 * before today whose cells can be trusted come from the rollup, every other
 * stretch of time from the rows.
 */
gboolean
byok_usage_plan_init (ByokUsagePlan  *plan,
                      sqlite3        *db,
                      gint64          from_us,
                      gint64          to_us,
                      gint64          now_us,
                      gboolean        with_latencies,
                      GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) days = NULL;
  g_autoptr(GPtrArray) candidate_days = NULL;
  g_autoptr(GArray) candidates = NULL;
  int first_label, last_label;
  gint64 limit, cursor;
  int rc;

  memset (plan, 0, sizeof *plan);
  plan->spans = g_array_new (FALSE, FALSE, sizeof (ByokUsageSpan));
  plan->cells = g_array_new (FALSE, FALSE, sizeof (ByokUsageCell));
  plan->strings = g_string_chunk_new (1024);
  plan->blobs = g_byte_array_new ();

  limit = MIN (to_us, today_start_us (now_us));
  first_label = byok_usage_day_label_of_time (from_us);
  last_label = limit > from_us ? byok_usage_day_label_of_time (limit - 1) : 0;
  if (limit <= from_us || first_label == 0 || last_label == 0)
    {
      add_span (plan, from_us, to_us);
      return TRUE;
    }

  rc = sqlite3_prepare_v2 (db,
                           with_latencies
                           ? "SELECT " CELL_COLUMNS ", latencies FROM usage_daily "
                             "WHERE day BETWEEN ?1 AND ?2 ORDER BY day"
                           : "SELECT " CELL_COLUMNS ", NULL FROM usage_daily "
                             "WHERE day BETWEEN ?1 AND ?2 ORDER BY day",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      byok_database_set_error (error, db, rc, _("Could not read the usage history"));
      byok_usage_plan_clear (plan);
      return FALSE;
    }
  sqlite3_bind_int (stmt, 1, byok_usage_day_label_shift (first_label, -LABEL_SLACK_DAYS));
  sqlite3_bind_int (stmt, 2, byok_usage_day_label_shift (last_label, LABEL_SLACK_DAYS));

  days = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  candidate_days = g_ptr_array_new ();
  candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int label = sqlite3_column_int (stmt, 0);
      const guint8 *blob = sqlite3_column_blob (stmt, 20);
      int blob_len = sqlite3_column_bytes (stmt, 20);
      ByokUsageTotals *t;
      Candidate c = { 0, };
      Day *day;

      day = g_hash_table_lookup (days, GINT_TO_POINTER (label));
      if (day == NULL)
        {
          day = g_new0 (Day, 1);
          day->label = label;
          day->known = byok_usage_day_label_range (label, &day->start, &day->end);
          day->candidate = day->known && day->start >= from_us && day->end <= limit;
          g_hash_table_insert (days, GINT_TO_POINTER (label), day);
          if (day->candidate)
            g_ptr_array_add (candidate_days, day);
        }

      c.day = day;
      c.first_time = sqlite3_column_int64 (stmt, 14);
      c.last_time = sqlite3_column_int64 (stmt, 15);
      c.valid = day->known && sqlite3_column_int (stmt, 16) == 0 &&
                c.first_time >= day->start && c.last_time < day->end &&
                (blob == NULL || (blob_len > 0 && blob[0] == BYOK_LATENCY_BLOB_VERSION));
      c.blob_offset = -1;

      if (c.valid && day->candidate)
        {
          c.cell.day_start_us = day->start;
          c.cell.day_end_us = day->end;
          c.cell.provider = g_string_chunk_insert_const (plan->strings, (const char *) sqlite3_column_text (stmt, 1));
          c.cell.model = g_string_chunk_insert_const (plan->strings, (const char *) sqlite3_column_text (stmt, 2));
          t = &c.cell.totals;
          t->calls = sqlite3_column_int64 (stmt, 3);
          t->errors = sqlite3_column_int64 (stmt, 4);
          t->interrupted = sqlite3_column_int64 (stmt, 17);
          t->cancelled = sqlite3_column_int64 (stmt, 18);
          t->estimated = sqlite3_column_int64 (stmt, 19);
          t->input_tokens = sqlite3_column_int64 (stmt, 5);
          t->output_tokens = sqlite3_column_int64 (stmt, 6);
          t->cached_input_tokens = sqlite3_column_int64 (stmt, 7);
          t->cache_write_tokens = sqlite3_column_int64 (stmt, 8);
          t->reasoning_tokens = sqlite3_column_int64 (stmt, 9);
          t->cost_usd = sqlite3_column_double (stmt, 10);
          t->unknown_price_calls = sqlite3_column_int64 (stmt, 11);
          t->cache_savings_usd = sqlite3_column_double (stmt, 12);
          t->latency_p50_us = -1;
          t->latency_p95_us = -1;
          c.cell.max_input_tokens = sqlite3_column_int64 (stmt, 13);
          if (blob != NULL)
            {
              c.blob_offset = plan->blobs->len;
              c.cell.latencies_len = blob_len;
              g_byte_array_append (plan->blobs, blob, blob_len);
            }
        }
      g_array_append_val (candidates, c);
    }
  if (rc != SQLITE_DONE)
    {
      byok_database_set_error (error, db, rc, _("Could not read the usage history"));
      byok_usage_plan_clear (plan);
      return FALSE;
    }

  /* A cell that cannot be trusted spoils its own day and every day its
   * rows reach into: those are read from the rows. */
  g_ptr_array_sort (candidate_days, compare_days);
  for (guint i = 0; i < candidates->len; i++)
    {
      Candidate *c = &g_array_index (candidates, Candidate, i);

      if (c->valid)
        continue;
      c->day->bad = TRUE;
      if (c->first_time <= c->last_time)
        mark_bad (candidate_days, c->first_time, c->last_time);
    }

  for (guint i = 0; i < candidates->len; i++)
    {
      Candidate *c = &g_array_index (candidates, Candidate, i);

      if (!c->valid || !c->day->candidate || c->day->bad)
        continue;
      if (c->blob_offset >= 0)
        c->cell.latencies = plan->blobs->data + c->blob_offset;
      g_array_append_val (plan->cells, c->cell);
    }

  cursor = from_us;
  for (guint i = 0; i < candidate_days->len; i++)
    {
      Day *day = g_ptr_array_index (candidate_days, i);

      if (day->bad)
        continue;
      add_span (plan, cursor, day->start);
      cursor = day->end;
    }
  add_span (plan, cursor, to_us);
  return TRUE;
}

void
byok_usage_plan_clear (ByokUsagePlan *plan)
{
  g_clear_pointer (&plan->spans, g_array_unref);
  g_clear_pointer (&plan->cells, g_array_unref);
  g_clear_pointer (&plan->strings, g_string_chunk_free);
  g_clear_pointer (&plan->blobs, g_byte_array_unref);
}
