/* byok-usage-rollup.h — the per-day sums of the usage table
 *
 * Schema 4 keeps `usage_daily`: one row (a "cell") per local day, provider
 * and model with the sums of that day's calls — calls, errors, every token
 * count, cost, unknown-price calls, cache savings, the largest prompt — and
 * a histogram of the latencies of its successful calls. Triggers on `usage`
 * maintain it in the same transaction as each write, so a crash leaves
 * both or neither; the migration fills it from the rows already there.
 *
 * The triggers call SQL functions that every connection of Byok registers
 * (byok_usage_rollup_register()); a tool that opens the file without them
 * can read everything but cannot write usage rows.
 *
 * Which local day a row belongs to is decided when it is written. Reports
 * use a cell only when it provably holds exactly the rows of one local day
 * as GLib sees it now (its first and last times lie inside that day, no
 * other cell reaches into the day, nothing was updated or deleted there),
 * and only for whole days before today. Everything else — today, partial
 * days at the ends of a period, a day after a time zone change — is read
 * from the rows themselves (byok_usage_plan_init()).
 *
 * Latency histograms: log-linear bins, exact below 32 µs, then 16 bins per
 * power of two, so a bin is at most 1/16 (6.25 %) of its lower bound wide.
 * Each bin keeps its count and its smallest and largest latency. A
 * percentile taken from a histogram is a latency within the bin that holds
 * the true one: exact when that bin holds one distinct value or the rank
 * falls on the bin's first or last value, otherwise interpolated between
 * the bin's smallest and largest.
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "byok-usage-store.h"

G_BEGIN_DECLS

#define BYOK_LATENCY_N_BINS 960

typedef struct {
  guint64 count;
  gint64  min;
  gint64  max;
} ByokLatencyBin;

typedef struct {
  guint64        count;
  ByokLatencyBin bins[BYOK_LATENCY_N_BINS];
} ByokLatencyHistogram;

/* One bin of an encoded histogram. */
typedef struct {
  guint          index;
  ByokLatencyBin bin;
} ByokLatencyEntry;

guint    byok_latency_bin_index              (gint64                      latency_us);
void     byok_latency_bin_bounds             (guint                       index,
                                              gint64                     *lo,
                                              gint64                     *hi);
void     byok_latency_histogram_add          (ByokLatencyHistogram       *histogram,
                                              gint64                      latency_us);
gboolean byok_latency_histogram_add_encoded  (ByokLatencyHistogram       *histogram,
                                              const guint8               *data,
                                              gsize                       len);
gint64   byok_latency_histogram_percentile   (const ByokLatencyHistogram *histogram,
                                              guint                       percent);
gssize   byok_latency_decode                 (const guint8               *data,
                                              gsize                       len,
                                              ByokLatencyEntry           *entries);
void     byok_latency_histogram_add_entries  (ByokLatencyHistogram       *histogram,
                                              const ByokLatencyEntry     *entries,
                                              gsize                       n_entries);

int      byok_usage_rollup_register          (sqlite3                    *db);

gint64   byok_usage_local_midnight_us        (int                         year,
                                              int                         month,
                                              int                         day);

/* [from_us, to_us): a span of time to read from the usage rows. */
typedef struct {
  gint64 from_us;
  gint64 to_us;
} ByokUsageSpan;

/* One cell of a whole past day the plan vouches for. */
typedef struct {
  gint64           day_start_us;
  gint64           day_end_us;
  const char      *provider;          /* owned by the plan */
  const char      *model;
  ByokUsageTotals  totals;            /* sums only: no error rate or percentiles */
  gint64           max_input_tokens;
  const guint8    *latencies;         /* encoded histogram; NULL: no successful call */
  gsize            latencies_len;
} ByokUsageCell;

/* How to read [from_us, to_us): @spans from the rows, @cells from the
 * rollup; together they cover every row of the period exactly once. */
typedef struct {
  GArray       *spans;                /* ByokUsageSpan, oldest first */
  GArray       *cells;                /* ByokUsageCell, by day */
  GStringChunk *strings;
  GByteArray   *blobs;
} ByokUsagePlan;

gboolean byok_usage_plan_init                (ByokUsagePlan              *plan,
                                              sqlite3                    *db,
                                              gint64                      from_us,
                                              gint64                      to_us,
                                              gint64                      now_us,
                                              gboolean                    with_latencies,
                                              GError                    **error);
void     byok_usage_plan_clear               (ByokUsagePlan              *plan);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ByokUsagePlan, byok_usage_plan_clear)

G_END_DECLS
