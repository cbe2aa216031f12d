/* byok-projection.h — where the month is heading
 *
 * From the spend of the last 30 local days (a ByokUsageReport by day) and
 * this month's spend so far: the pace (US dollars a day over the last 30
 * days, or over the last 7 when the history is younger than 30 days; the
 * projection says which), the spend projected to the end of the month, and
 * the day a budget is reached at that pace.
 */
#pragma once

#include <glib.h>

#include "byok-usage-store.h"

G_BEGIN_DECLS

typedef struct {
  double  month_to_date_usd;
  double  pace_usd_per_day;
  guint   pace_days;             /* 7 or 30: the days the pace was taken over */
  double  projected_usd;         /* at the end of the month */
  int     year, month, last_day; /* the month projected to */
  int     today;                 /* day of the month */
} ByokProjection;

gboolean    byok_projection_compute         (const double           *daily_usd,
                                             guint                   n_days,
                                             double                  month_to_date_usd,
                                             GDateTime              *now,
                                             ByokProjection         *out);
gboolean    byok_projection_from_report     (const ByokUsageReport  *last_30_days,
                                             const char             *provider,
                                             double                  month_to_date_usd,
                                             GDateTime              *now,
                                             ByokProjection         *out);
int         byok_projection_budget_day      (const ByokProjection   *projection,
                                             double                  budget_usd);
/* Amounts are written as byok_format_usd() writes them. */
char       *byok_projection_describe        (const ByokProjection   *projection);
char       *byok_projection_describe_budget (const ByokProjection   *projection,
                                             double                  budget_usd);

G_END_DECLS
