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
 * from the rows themselves (byok_usage_plan_init(), byok-usage-plan.h).
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

G_BEGIN_DECLS

#define BYOK_LATENCY_N_BINS 960

/* The first byte of an encoded histogram. A cell whose histogram cannot
 * be read (a damaged file) gets another (0xff) and is never trusted. */
#define BYOK_LATENCY_BLOB_VERSION 0x01

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

/* Local days as YYYYMMDD labels, the days of the cells. */
int      byok_usage_day_label_of_time        (gint64                      time_us);
int      byok_usage_day_label_shift          (int                         label,
                                              int                         days);
gboolean byok_usage_day_label_range          (int                         label,
                                              gint64                     *start,
                                              gint64                     *end);

G_END_DECLS
