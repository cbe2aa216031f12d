/* byok-projection.c — where the month is heading */
#define G_LOG_DOMAIN "byok-projection"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "byok-format.h"
#include "byok-projection.h"

#define LONG_PACE  30
#define SHORT_PACE 7

/**
 * byok_projection_compute:
 * @daily_usd: (array length=n_days): what each of the last @n_days local
 *   days cost, oldest first, today last
 * @month_to_date_usd: this month's spend so far
 * @now: the local time now
 *
 * The pace is that of the last 30 days; when the first day with any spend
 * is within the last 30 but not at their start (a history younger than the
 * window), that of the last 7, which says more of a new habit.
 *
 * Returns: %FALSE when there is no pace (nothing spent in the window)
 */
gboolean
byok_projection_compute (const double   *daily_usd,
                         guint           n_days,
                         double          month_to_date_usd,
                         GDateTime      *now,
                         ByokProjection *out)
{
  double total = 0, last_week = 0;
  guint first = n_days;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  memset (out, 0, sizeof *out);
  for (guint i = 0; i < n_days; i++)
    {
      double day = isfinite (daily_usd[i]) ? daily_usd[i] : 0;

      total += day;
      if (i + SHORT_PACE >= n_days)
        last_week += day;
      if (first == n_days && day > 0)
        first = i;
    }
  out->month_to_date_usd = month_to_date_usd;
  out->year = g_date_time_get_year (now);
  out->month = g_date_time_get_month (now);
  out->today = g_date_time_get_day_of_month (now);
  out->last_day = g_date_get_days_in_month ((GDateMonth) out->month, (GDateYear) out->year);
  if (first == n_days)
    return FALSE;

  if (first > 0 && last_week > 0 && n_days >= SHORT_PACE)
    {
      out->pace_days = SHORT_PACE;
      out->pace_usd_per_day = last_week / SHORT_PACE;
    }
  else
    {
      out->pace_days = MIN (n_days, LONG_PACE);
      out->pace_usd_per_day = total / out->pace_days;
    }
  out->projected_usd = month_to_date_usd + out->pace_usd_per_day * (out->last_day - out->today);
  return TRUE;
}

/**
 * byok_projection_from_report:
 * @last_30_days: a report by day of the last 30 local days, today included
 * @provider: (nullable): one provider's spend, or %NULL for all
 *
 * byok_projection_compute() on the days of @last_30_days.
 */
gboolean
byok_projection_from_report (const ByokUsageReport *last_30_days,
                             const char            *provider,
                             double                 month_to_date_usd,
                             GDateTime             *now,
                             ByokProjection        *out)
{
  double daily[LONG_PACE] = { 0, };
  GPtrArray *groups;

  g_return_val_if_fail (last_30_days != NULL, FALSE);

  groups = provider != NULL ? last_30_days->by_provider_bucket : last_30_days->by_bucket;
  for (guint i = 0; i < groups->len; i++)
    {
      const ByokUsageGroup *group = g_ptr_array_index (groups, i);
      g_autoptr(GDateTime) day = NULL;
      int y, m, d;
      gint64 days_ago;

      if ((provider != NULL && g_strcmp0 (group->provider, provider) != 0) || group->bucket == NULL ||
          sscanf (group->bucket, "%d-%d-%d", &y, &m, &d) != 3)
        continue;
      day = g_date_time_new_local (y, m, d, 0, 0, 0);
      if (day == NULL)
        continue;
      {
        g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (now),
                                                               g_date_time_get_month (now),
                                                               g_date_time_get_day_of_month (now), 0, 0, 0);

        /* Whole days; a day of 23 or 25 hours rounds right. */
        days_ago = (g_date_time_difference (midnight, day) + G_TIME_SPAN_HOUR * 12) / G_TIME_SPAN_DAY;
      }
      if (days_ago >= 0 && days_ago < LONG_PACE)
        daily[LONG_PACE - 1 - days_ago] += group->totals.cost_usd;
    }
  return byok_projection_compute (daily, LONG_PACE, month_to_date_usd, now, out);
}

/**
 * byok_projection_budget_day:
 *
 * Returns: the day of the month on which the spend reaches @budget_usd at
 *   the pace, 0 when it was reached already, -1 when not this month
 */
int
byok_projection_budget_day (const ByokProjection *projection,
                            double                budget_usd)
{
  double days;

  g_return_val_if_fail (projection != NULL, -1);

  if (projection->month_to_date_usd >= budget_usd)
    return 0;
  if (projection->pace_usd_per_day <= 0)
    return -1;
  days = ceil ((budget_usd - projection->month_to_date_usd) / projection->pace_usd_per_day);
  if (projection->today + days > projection->last_day)
    return -1;
  return projection->today + (int) days;
}

static char *
format_day (const ByokProjection *projection,
            int                   day)
{
  g_autoptr(GDateTime) date = g_date_time_new_local (projection->year, projection->month, day, 12, 0, 0);

  /* Translators: a day of this month in a sentence, "21 December"; a
   * g_date_time_format() format */
  return g_date_time_format (date, C_("projection day", "%-d %B"));
}

/**
 * byok_projection_describe:
 *
 * Returns: (transfer full): "On pace for $18.40 by 31 December (30-day
 *   pace)"
 */
char *
byok_projection_describe (const ByokProjection *projection)
{
  g_autofree char *amount = byok_format_usd (projection->projected_usd);
  g_autofree char *day = format_day (projection, projection->last_day);

  /* Translators: %1$s is an amount ("$18.40"), %2$s the last day of the
   * month ("31 December"), %3$u a number of days (7 or 30) */
  return g_strdup_printf (_("On pace for %1$s by %2$s (%3$u-day pace)"), amount, day, projection->pace_days);
}

/**
 * byok_projection_describe_budget:
 *
 * Returns: (transfer full): "At this pace you reach your $20.00 budget on
 *   21 December", "… stay under your $20.00 budget this month", or "You
 *   reached your $20.00 budget"
 */
char *
byok_projection_describe_budget (const ByokProjection *projection,
                                 double                budget_usd)
{
  g_autofree char *budget = byok_format_usd (budget_usd);
  int day = byok_projection_budget_day (projection, budget_usd);

  if (day == 0)
    /* Translators: %s is a monthly budget ("$20.00") */
    return g_strdup_printf (_("You reached your %s budget this month."), budget);
  if (day < 0)
    /* Translators: %1$s is a monthly budget ("$20.00"), %2$u a number of days (7 or 30) */
    return g_strdup_printf (_("At this pace (%2$u-day) you stay under your %1$s budget this month."),
                            budget, projection->pace_days);
  {
    g_autofree char *date = format_day (projection, day);

    /* Translators: %1$s is a monthly budget ("$20.00"), %2$s a day ("21
     * December"), %3$u a number of days (7 or 30) */
    return g_strdup_printf (_("At this pace (%3$u-day) you reach your %1$s budget on %2$s."),
                            budget, date, projection->pace_days);
  }
}
