/* byok-usage-plan.h — which days of a period the rollup answers, and which the rows
 *
 * A report over [from_us, to_us) reads the cells of `usage_daily`
 * (byok-usage-rollup.h) for whole local days before today that the rollup
 * provably holds exactly, and the usage rows for everything else.
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "byok-usage-store.h"

G_BEGIN_DECLS

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
