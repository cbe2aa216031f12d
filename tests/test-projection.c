/* test-projection.c — where the month is heading: the pace (30 days, or 7
 * for a history younger than the window, said which), the projection to
 * the month's end, and the day a budget is reached at that pace. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "byok-projection.h"

static GDateTime *
december (int day)
{
  return g_date_time_new_local (2026, 12, day, 15, 0, 0);
}

static void
test_thirty_day_pace (void)
{
  g_autoptr(GDateTime) now = december (7);
  double daily[30];
  ByokProjection p;
  g_autofree char *text = NULL;

  /* $0.60 every day for 30 days: $0.60 a day; $4.20 spent by the 7th, 24
   * days to go: $4.20 + 24 × $0.60 = $18.60. */
  for (guint i = 0; i < 30; i++)
    daily[i] = 0.60;
  g_assert_true (byok_projection_compute (daily, 30, 4.20, now, &p));
  g_assert_cmpuint (p.pace_days, ==, 30);
  g_assert_cmpfloat_with_epsilon (p.pace_usd_per_day, 0.60, 1e-9);
  g_assert_cmpfloat_with_epsilon (p.projected_usd, 18.60, 1e-9);
  g_assert_cmpint (p.last_day, ==, 31);
  text = byok_projection_describe (&p);
  g_assert_cmpstr (text, ==, "On pace for $18.60 by 31 December (30-day pace)");
}

static void
test_seven_day_pace (void)
{
  g_autoptr(GDateTime) now = december (7);
  double daily[30] = { 0, };
  ByokProjection p;

  /* A history of 5 days: the last week's pace ($3.50 / 7 = $0.50). */
  for (guint i = 25; i < 30; i++)
    daily[i] = 0.70;
  g_assert_true (byok_projection_compute (daily, 30, 3.50, now, &p));
  g_assert_cmpuint (p.pace_days, ==, 7);
  g_assert_cmpfloat_with_epsilon (p.pace_usd_per_day, 0.50, 1e-9);
  g_assert_cmpfloat_with_epsilon (p.projected_usd, 3.50 + 24 * 0.50, 1e-9);

  /* Nothing spent: no pace. */
  memset (daily, 0, sizeof daily);
  g_assert_false (byok_projection_compute (daily, 30, 0, now, &p));
}

static void
test_budget_day (void)
{
  g_autoptr(GDateTime) now = december (7);
  double daily[30];
  ByokProjection p;
  g_autofree char *reach = NULL;
  g_autofree char *under = NULL;
  g_autofree char *over = NULL;

  /* $1 a day, $6 by the 7th: $20 is 14 days away, on the 21st. */
  for (guint i = 0; i < 30; i++)
    daily[i] = 1.0;
  g_assert_true (byok_projection_compute (daily, 30, 6.0, now, &p));
  g_assert_cmpint (byok_projection_budget_day (&p, 20), ==, 21);
  reach = byok_projection_describe_budget (&p, 20);
  g_assert_cmpstr (reach, ==, "At this pace (30-day) you reach your $20.00 budget on 21 December.");
  /* $6 + 24 days × $1 = $30 by the 31st: $50 is not reached. */
  g_assert_cmpint (byok_projection_budget_day (&p, 50), ==, -1);
  under = byok_projection_describe_budget (&p, 50);
  g_assert_cmpstr (under, ==, "At this pace (30-day) you stay under your $50.00 budget this month.");
  /* Reached already. */
  g_assert_cmpint (byok_projection_budget_day (&p, 5), ==, 0);
  over = byok_projection_describe_budget (&p, 5);
  g_assert_cmpstr (over, ==, "You reached your $5.00 budget this month.");
  /* Exactly on the last day counts. */
  g_assert_cmpint (byok_projection_budget_day (&p, 30), ==, 31);
}

static void
test_from_report (void)
{
  g_autoptr(GDateTime) now = december (7);
  ByokUsageReport report = { 0, };
  ByokProjection p;
  const char *days[] = { "2026-11-08", "2026-12-01", "2026-12-07" };

  report.by_bucket = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_usage_group_free);
  report.by_provider_bucket = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_usage_group_free);
  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    {
      ByokUsageGroup *all = g_new0 (ByokUsageGroup, 1);
      ByokUsageGroup *one = g_new0 (ByokUsageGroup, 1);

      all->bucket = g_strdup (days[i]);
      all->totals.cost_usd = 3.0;
      g_ptr_array_add (report.by_bucket, all);
      one->bucket = g_strdup (days[i]);
      one->provider = g_strdup (i == 0 ? "openai" : "deepseek");
      one->totals.cost_usd = 3.0;
      g_ptr_array_add (report.by_provider_bucket, one);
    }
  /* All: the first day is the window's first (29 days before today): the
   * 30-day pace, $9 / 30. */
  g_assert_true (byok_projection_from_report (&report, NULL, 6.0, now, &p));
  g_assert_cmpuint (p.pace_days, ==, 30);
  g_assert_cmpfloat_with_epsilon (p.pace_usd_per_day, 9.0 / 30, 1e-9);
  /* DeepSeek alone started within the window: its 7-day pace, $6 / 7. */
  g_assert_true (byok_projection_from_report (&report, "deepseek", 6.0, now, &p));
  g_assert_cmpuint (p.pace_days, ==, 7);
  g_assert_cmpfloat_with_epsilon (p.pace_usd_per_day, 6.0 / 7, 1e-9);
  g_ptr_array_unref (report.by_bucket);
  g_ptr_array_unref (report.by_provider_bucket);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "", TRUE);
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/projection/thirty-day-pace", test_thirty_day_pace);
  g_test_add_func ("/projection/seven-day-pace", test_seven_day_pace);
  g_test_add_func ("/projection/budget-day", test_budget_day);
  g_test_add_func ("/projection/from-report", test_from_report);
  return g_test_run ();
}
