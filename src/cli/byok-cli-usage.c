/* byok-cli-usage.c — `byok-cli usage`: what calls cost over a period, by
 * provider, model or day, and what they would have cost on other models */
#define G_LOG_DOMAIN "byok-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "byok-cli-usage.h"
#include "byok-cli-util.h"
#include "byok-error.h"
#include "byok-json.h"
#include "byok-what-if.h"

typedef enum {
  GROUP_PROVIDER,
  GROUP_MODEL,
  GROUP_DAY,
} GroupBy;

static const struct {
  const char      *name;
  ByokUsagePeriod  period;
} periods[] = {
  { "today", BYOK_USAGE_PERIOD_TODAY },
  { "7d", BYOK_USAGE_PERIOD_LAST_7_DAYS },
  { "30d", BYOK_USAGE_PERIOD_LAST_30_DAYS },
  { "month", BYOK_USAGE_PERIOD_THIS_MONTH },
  { "12m", BYOK_USAGE_PERIOD_LAST_12_MONTHS },
};

static char *
format_count (guint64 n)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT, n);
}

static char *
format_latency (gint64 us)
{
  if (us < 0)
    return g_strdup ("–");
  {
    g_autofree char *ms = g_strdup_printf ("%" G_GINT64_FORMAT, (us + 500) / 1000);

    /* Translators: a latency in milliseconds */
    return g_strdup_printf (_("%s ms"), ms);
  }
}

static char *
format_percent (double ratio)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buf, sizeof buf, "%.1f", ratio * 100);
  return g_strdup_printf ("%s%%", buf);
}

/* "≈1,200" when @t holds interrupted calls or answers without a usage
 * report, whose tokens and cost are Byok's estimate; takes @text. */
static char *
mark_estimate (const ByokUsageTotals *t,
               char                  *text)
{
  char *marked;

  if (t->interrupted == 0 && t->estimated == 0)
    return text;
  marked = g_strconcat ("≈", text, NULL);
  g_free (text);
  return marked;
}

/* A group's cost: "unknown" when no call of it had a price. */
static char *
format_group_cost (const ByokUsageTotals *totals)
{
  if (totals->calls > 0 && totals->unknown_price_calls == totals->calls)
    return g_strdup (C_("cost", "unknown"));
  return byok_cli_format_usd (totals->cost_usd);
}

static char *
iso_local (gint64 us)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);

  return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
}

static void
add_totals_members (JsonBuilder           *builder,
                    const ByokUsageTotals *t)
{
  byok_json_builder_add_int (builder, "calls", (gint64) t->calls);
  byok_json_builder_add_int (builder, "errors", (gint64) t->errors);
  byok_json_builder_add_int (builder, "interrupted", (gint64) t->interrupted);
  byok_json_builder_add_int (builder, "stopped", (gint64) t->cancelled);
  byok_json_builder_add_int (builder, "estimated", (gint64) t->estimated);
  byok_json_builder_add_int (builder, "input_tokens", (gint64) t->input_tokens);
  byok_json_builder_add_int (builder, "output_tokens", (gint64) t->output_tokens);
  byok_json_builder_add_int (builder, "cached_input_tokens", (gint64) t->cached_input_tokens);
  byok_json_builder_add_int (builder, "cache_write_tokens", (gint64) t->cache_write_tokens);
  byok_json_builder_add_int (builder, "reasoning_tokens", (gint64) t->reasoning_tokens);
  byok_json_builder_add_double (builder, "cost_usd", t->cost_usd);
  byok_json_builder_add_int (builder, "unknown_price_calls", (gint64) t->unknown_price_calls);
  byok_json_builder_add_double (builder, "cache_savings_usd", t->cache_savings_usd);
  byok_json_builder_add_double (builder, "error_rate", t->error_rate);
  json_builder_set_member_name (builder, "latency_p50_ms");
  if (t->latency_p50_us >= 0)
    json_builder_add_double_value (builder, t->latency_p50_us / 1000.0);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "latency_p95_ms");
  if (t->latency_p95_us >= 0)
    json_builder_add_double_value (builder, t->latency_p95_us / 1000.0);
  else
    json_builder_add_null_value (builder);
}

static GPtrArray *
groups_of (ByokUsageReport *report,
           GroupBy          by)
{
  switch (by)
    {
    case GROUP_MODEL:
      return report->by_model;
    case GROUP_DAY:
      return report->by_bucket;
    case GROUP_PROVIDER:
    default:
      return report->by_provider;
    }
}

static const char *
bucket_key (ByokUsageReport *report)
{
  return report->bucket == BYOK_USAGE_BUCKET_MONTH ? "month" : "day";
}

static void
print_json (ByokUsageReport *report,
            const char      *since,
            GroupBy          by)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *from = iso_local (report->from_us);
  g_autofree char *to = iso_local (report->to_us);
  GPtrArray *groups = groups_of (report, by);
  static const char * const by_names[] = { "provider", "model", "day" };

  json_builder_begin_object (builder);
  byok_json_builder_add_string (builder, "period", since);
  byok_json_builder_add_string (builder, "from", from);
  byok_json_builder_add_string (builder, "to", to);
  json_builder_set_member_name (builder, "totals");
  json_builder_begin_object (builder);
  add_totals_members (builder, &report->totals);
  json_builder_end_object (builder);
  byok_json_builder_add_string (builder, "by", by == GROUP_DAY ? bucket_key (report) : by_names[by]);
  json_builder_set_member_name (builder, "groups");
  json_builder_begin_array (builder);
  for (guint i = 0; i < groups->len; i++)
    {
      ByokUsageGroup *group = g_ptr_array_index (groups, i);

      json_builder_begin_object (builder);
      if (by == GROUP_DAY)
        {
          json_builder_set_member_name (builder, bucket_key (report));
          json_builder_add_string_value (builder, group->bucket);
        }
      else
        {
          byok_json_builder_add_string (builder, "provider", group->provider);
          if (by == GROUP_MODEL)
            byok_json_builder_add_string (builder, "model", group->model);
        }
      add_totals_members (builder, &group->totals);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  byok_cli_print_builder (builder);
}

static void
csv_field (GString    *out,
           const char *text)
{
  if (text != NULL && strpbrk (text, ",\"\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = text; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else if (text != NULL)
    g_string_append (out, text);
}

static void
csv_double (GString *out,
            double   value,
            const char *format)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, g_ascii_formatd (buf, sizeof buf, format, value));
}

static void
print_csv (ByokUsageReport *report,
           GroupBy          by)
{
  GString *out = g_string_new (NULL);
  GPtrArray *groups = groups_of (report, by);

  if (by == GROUP_DAY)
    g_string_append (out, bucket_key (report));
  else if (by == GROUP_MODEL)
    g_string_append (out, "provider,model");
  else
    g_string_append (out, "provider");
  g_string_append (out, ",calls,errors,input_tokens,output_tokens,cached_input_tokens,"
                        "cache_write_tokens,reasoning_tokens,cost_usd,unknown_price_calls,"
                        "cache_savings_usd,error_rate,latency_p50_ms,interrupted,stopped,estimated\r\n");

  for (guint i = 0; i < groups->len; i++)
    {
      ByokUsageGroup *group = g_ptr_array_index (groups, i);
      const ByokUsageTotals *t = &group->totals;

      if (by == GROUP_DAY)
        csv_field (out, group->bucket);
      else
        {
          csv_field (out, group->provider);
          if (by == GROUP_MODEL)
            {
              g_string_append_c (out, ',');
              csv_field (out, group->model);
            }
        }
      g_string_append_printf (out, ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT
                              ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT
                              ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT
                              ",%" G_GUINT64_FORMAT ",",
                              t->calls, t->errors, t->input_tokens, t->output_tokens,
                              t->cached_input_tokens, t->cache_write_tokens, t->reasoning_tokens);
      csv_double (out, t->cost_usd, "%.6f");
      g_string_append_printf (out, ",%" G_GUINT64_FORMAT ",", t->unknown_price_calls);
      csv_double (out, t->cache_savings_usd, "%.6f");
      g_string_append_c (out, ',');
      csv_double (out, t->error_rate, "%.4f");
      g_string_append_c (out, ',');
      if (t->latency_p50_us >= 0)
        csv_double (out, t->latency_p50_us / 1000.0, "%.1f");
      g_string_append_printf (out, ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT "\r\n",
                              t->interrupted, t->cancelled, t->estimated);
    }

  fwrite (out->str, 1, out->len, stdout);
  g_string_free (out, TRUE);
}

/* " · 2 failed": @format with @n in it, after " · ", when @n is not 0 */
static void
append_count (GString    *line,
              const char *format,
              guint64     n)
{
  g_autofree char *count = NULL;

  if (n == 0)
    return;
  count = format_count (n);
  g_string_append (line, " · ");
  /* @format is a translation of a literal with one %s: msgfmt checks it */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  g_string_append_printf (line, format, count);
#pragma GCC diagnostic pop
}

/* "Last 30 days: $12.85 · 40 calls · 2 failed · 1 stopped · 3 calls with an unknown price · cache saved $1.20" */
static void
print_totals_line (ByokUsageReport *report,
                   const char      *label)
{
  const ByokUsageTotals *t = &report->totals;
  g_autofree char *cost = byok_cli_format_usd (t->cost_usd);
  g_autofree char *calls = format_count (t->calls);
  GString *line = g_string_new (NULL);

  if (t->interrupted > 0 || t->estimated > 0)
    /* Translators: an amount that includes Byok's estimates ("≈$0.0012") */
    g_string_append_printf (line, _("%s: ≈%s"), label, cost);
  else
    g_string_append_printf (line, "%s: %s", label, cost);
  g_string_append (line, " · ");
  g_string_append_printf (line, g_dngettext (GETTEXT_PACKAGE, "%s call", "%s calls",
                                             (gulong) t->calls), calls);
  append_count (line, _("%s failed"), t->errors);
  /* Translators: calls whose process was killed or quit mid-answer
   * ("1 interrupted, estimated"): their tokens and cost are Byok's
   * estimate */
  append_count (line, _("%s interrupted, estimated"), t->interrupted);
  /* Translators: calls the person stopped (Stop, Escape, Ctrl+C): "1 stopped" */
  append_count (line, _("%s stopped"), t->cancelled);
  append_count (line, g_dngettext (GETTEXT_PACKAGE,
                                   /* Translators: answers that came without a usage
                                    * report: their tokens and cost are Byok's estimate */
                                   "%s call with estimated tokens",
                                   "%s calls with estimated tokens",
                                   (gulong) t->estimated), t->estimated);
  append_count (line, g_dngettext (GETTEXT_PACKAGE,
                                   "%s call with an unknown price",
                                   "%s calls with an unknown price",
                                   (gulong) t->unknown_price_calls), t->unknown_price_calls);
  if (t->cache_savings_usd > 0)
    {
      g_autofree char *saved = byok_cli_format_usd (t->cache_savings_usd);

      g_string_append (line, " · ");
      g_string_append_printf (line, _("cache saved %s"), saved);
    }
  printf ("%s\n", line->str);
  g_string_free (line, TRUE);
}

static void
print_table (ByokUsageReport *report,
             GroupBy          by)
{
  GPtrArray *groups = groups_of (report, by);
  g_autoptr(ByokCliTable) table = NULL;
  guint first_number = by == GROUP_MODEL ? 2 : 1;
  const char *head;

  head = by == GROUP_DAY
         ? (report->bucket == BYOK_USAGE_BUCKET_MONTH ? _("MONTH") : _("DAY"))
         : _("PROVIDER");
  if (by == GROUP_MODEL)
    table = byok_cli_table_new (10, head, _("MODEL"), _("CALLS"), _("INPUT"), _("OUTPUT"),
                                _("CACHED"), _("COST"), _("LATENCY (MEDIAN)"), _("ERRORS"), _("UNPRICED"));
  else
    table = byok_cli_table_new (9, head, _("CALLS"), _("INPUT"), _("OUTPUT"),
                                _("CACHED"), _("COST"), _("LATENCY (MEDIAN)"), _("ERRORS"), _("UNPRICED"));
  for (guint c = first_number; c < first_number + 8; c++)
    byok_cli_table_set_align_right (table, c);

  for (guint i = 0; i < groups->len; i++)
    {
      ByokUsageGroup *group = g_ptr_array_index (groups, i);
      const ByokUsageTotals *t = &group->totals;
      g_autofree char *calls = format_count (t->calls);
      g_autofree char *input = mark_estimate (t, format_count (t->input_tokens));
      g_autofree char *output = mark_estimate (t, format_count (t->output_tokens));
      g_autofree char *cached = format_count (t->cached_input_tokens);
      g_autofree char *cost = mark_estimate (t, format_group_cost (t));
      g_autofree char *latency = format_latency (t->latency_p50_us);
      g_autofree char *errors = format_percent (t->error_rate);
      g_autofree char *unpriced = format_count (t->unknown_price_calls);

      if (by == GROUP_MODEL)
        byok_cli_table_add_row (table, group->provider, group->model, calls, input, output,
                                cached, cost, latency, errors, unpriced);
      else
        byok_cli_table_add_row (table, by == GROUP_DAY ? group->bucket : group->provider,
                                calls, input, output, cached, cost, latency, errors, unpriced);
    }

  if (byok_cli_table_get_n_rows (table) > 0)
    {
      printf ("\n");
      byok_cli_table_print (table, stdout);
      if (report->totals.interrupted > 0)
        printf ("%s\n", _("≈ includes Byok's estimate of interrupted calls: their process was killed "
                          "or quit before they ended, and the provider may bill them."));
      if (report->totals.estimated > 0)
        printf ("%s\n", _("≈ includes Byok's estimate of calls whose provider reported no usage."));
    }
}

/* --what-if ------------------------------------------------------------ */

static char *
format_delta (const ByokWhatIfRow *row)
{
  g_autofree char *amount = byok_cli_format_usd (fabs (row->delta_usd));
  const char *sign = row->delta_usd < -0.005 ? "−" : row->delta_usd > 0.005 ? "+" : "±";

  if (isnan (row->delta_ratio))
    return g_strdup_printf ("%s%s", sign, amount);
  return g_strdup_printf ("%s%s (%s%.0f%%)", sign, amount, sign, fabs (row->delta_ratio) * 100);
}

static int
print_what_if (ByokCliUsageContext *context,
               ByokUsageReport     *report,
               gboolean             json,
               gboolean             csv)
{
  ByokUsageStore *store = byok_cli_usage_context_get_store (context);
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokWhatIf) what_if = NULL;
  gint64 largest;

  largest = byok_what_if_largest_prompt (byok_usage_store_get_database (store),
                                         report->from_us, report->to_us, &error);
  if (largest < 0)
    return byok_cli_fail (error);
  what_if = byok_what_if_compute (byok_cli_usage_context_get_pricing (context),
                                  report->by_model, largest);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      byok_json_builder_add_int (builder, "calls", (gint64) what_if->calls);
      byok_json_builder_add_int (builder, "unpriced_calls", (gint64) what_if->unpriced_calls);
      byok_json_builder_add_double (builder, "actual_usd", what_if->actual_usd);
      byok_json_builder_add_int (builder, "largest_prompt", what_if->largest_prompt);
      json_builder_set_member_name (builder, "models");
      json_builder_begin_array (builder);
      for (guint i = 0; i < what_if->rows->len; i++)
        {
          const ByokWhatIfRow *row = g_ptr_array_index (what_if->rows, i);

          json_builder_begin_object (builder);
          byok_json_builder_add_string (builder, "provider", row->provider);
          byok_json_builder_add_string (builder, "model", row->model);
          byok_json_builder_add_double (builder, "cost_usd", row->cost_usd);
          byok_json_builder_add_double (builder, "delta_usd", row->delta_usd);
          json_builder_set_member_name (builder, "delta_ratio");
          if (isnan (row->delta_ratio))
            json_builder_add_null_value (builder);
          else
            json_builder_add_double_value (builder, row->delta_ratio);
          byok_json_builder_add_boolean (builder, "used", row->is_used);
          byok_json_builder_add_boolean (builder, "override", row->is_override);
          byok_json_builder_add_boolean (builder, "context_too_small", row->too_small);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      byok_cli_print_builder (builder);
      return BYOK_CLI_EXIT_OK;
    }

  if (csv)
    {
      GString *out = g_string_new ("provider,model,cost_usd,delta_usd,delta_ratio,used,override,context_too_small\r\n");

      for (guint i = 0; i < what_if->rows->len; i++)
        {
          const ByokWhatIfRow *row = g_ptr_array_index (what_if->rows, i);

          csv_field (out, row->provider);
          g_string_append_c (out, ',');
          csv_field (out, row->model);
          g_string_append_c (out, ',');
          csv_double (out, row->cost_usd, "%.6f");
          g_string_append_c (out, ',');
          csv_double (out, row->delta_usd, "%.6f");
          g_string_append_c (out, ',');
          if (!isnan (row->delta_ratio))
            csv_double (out, row->delta_ratio, "%.4f");
          g_string_append_printf (out, ",%d,%d,%d\r\n", row->is_used, row->is_override, row->too_small);
        }
      fwrite (out->str, 1, out->len, stdout);
      g_string_free (out, TRUE);
      return BYOK_CLI_EXIT_OK;
    }

  {
    g_autofree char *actual = byok_cli_format_usd (what_if->actual_usd);
    g_autofree char *calls = format_count (what_if->calls);
    g_autofree char *unpriced = format_count (what_if->unpriced_calls);
    g_autoptr(ByokCliTable) table = NULL;

    if (what_if->calls == 0)
      {
        printf ("%s\n", _("No calls with a known price in this period: nothing to compare."));
        return BYOK_CLI_EXIT_OK;
      }
    printf (g_dngettext (GETTEXT_PACKAGE,
                         "What your %s call with a known price would have cost on other models (you paid %s):\n",
                         "What your %s calls with a known price would have cost on other models (you paid %s):\n",
                         (gulong) what_if->calls),
            calls, actual);
    table = byok_cli_table_new (4, _("MODEL"), _("COST"), _("DIFFERENCE"), "");
    byok_cli_table_set_align_right (table, 1);
    byok_cli_table_set_align_right (table, 2);
    for (guint i = 0; i < what_if->rows->len; i++)
      {
        const ByokWhatIfRow *row = g_ptr_array_index (what_if->rows, i);
        g_autofree char *model = g_strdup_printf ("%s/%s", row->provider, row->model);
        g_autofree char *cost = byok_cli_format_usd (row->cost_usd);
        g_autofree char *delta = format_delta (row);
        GString *note = g_string_new (NULL);

        if (row->is_used)
          g_string_append (note, _("used"));
        if (row->is_override)
          g_string_append_printf (note, "%s%s", note->len ? ", " : "", _("your price"));
        if (row->too_small)
          g_string_append_printf (note, "%s%s", note->len ? ", " : "", _("context too small"));
        byok_cli_table_add_row (table, model, cost, delta, note->str);
        g_string_free (note, TRUE);
      }
    byok_cli_table_print (table, stdout);
    if (what_if->unpriced_calls > 0)
      printf (g_dngettext (GETTEXT_PACKAGE,
                           "%s call with an unknown price is left out.\n",
                           "%s calls with an unknown price are left out.\n",
                           (gulong) what_if->unpriced_calls),
              unpriced);
  }
  return BYOK_CLI_EXIT_OK;
}

/**
 * byok_cli_usage:
 *
 * `byok-cli usage [--since 30d|7d|today|12m] [--month] [--by provider|model|day]
 *  [--json|--csv] [--what-if]`
 */
int
byok_cli_usage (int argc, char **argv)
{
  static const char * const labels[] = {
    N_("Today"), N_("Last 7 days"), N_("Last 30 days"), N_("This month"), N_("Last 12 months"),
  };
  g_autofree char *since = NULL;
  g_autofree char *by_name = NULL;
  gboolean month = FALSE, json = FALSE, csv = FALSE, what_if = FALSE, compare_bill = FALSE, allow_http = FALSE;
  const GOptionEntry entries[] = {
    { "since", 's', 0, G_OPTION_ARG_STRING, &since, N_("The period: today, 7d, 30d (the default) or 12m"), N_("PERIOD") },
    { "month", 0, 0, G_OPTION_ARG_NONE, &month, N_("This calendar month"), NULL },
    { "by", 'b', 0, G_OPTION_ARG_STRING, &by_name, N_("Group by provider (the default), model or day"), N_("GROUP") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, N_("Print CSV"), NULL },
    { "what-if", 0, 0, G_OPTION_ARG_NONE, &what_if, N_("What the period would have cost on other models"), NULL },
    { "compare-bill", 0, 0, G_OPTION_ARG_NONE, &compare_bill,
      N_("The providers’ own bills beside Byok’s (an admin key: “byok-cli keys set-admin”)"), NULL },
    BYOK_CLI_ALLOW_HTTP_ENTRY (&allow_http),
    { NULL }
  };
  g_autoptr(ByokCliUsageContext) context = NULL;
  g_autoptr(ByokUsageReport) report = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GError) error = NULL;
  ByokUsagePeriod period = BYOK_USAGE_PERIOD_LAST_30_DAYS;
  const char *period_name = "30d";
  ByokUsageBucket bucket;
  GroupBy by = GROUP_PROVIDER;
  gint64 from_us, to_us;
  int status;

  if (!byok_cli_parse_options (&argc, &argv, NULL,
                               _("Shows what your calls cost over a period: a totals line and a "
                                 "table by provider, model or day."),
                               entries, &status))
    return status;
  if (argc > 1)
    return byok_cli_usage_error ("usage", _("Unexpected argument “%s”."), argv[1]);
  if (json && csv)
    return byok_cli_usage_error ("usage", _("Choose one of --json and --csv."));
  if (month && since != NULL)
    return byok_cli_usage_error ("usage", _("Choose one of --since and --month."));

  if (month)
    {
      period = BYOK_USAGE_PERIOD_THIS_MONTH;
      period_name = "month";
    }
  else if (since != NULL)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (periods); i++)
        if (g_ascii_strcasecmp (since, periods[i].name) == 0)
          {
            period = periods[i].period;
            period_name = periods[i].name;
            found = TRUE;
          }
      if (!found)
        return byok_cli_usage_error ("usage", _("Unknown period “%s”: use today, 7d, 30d or 12m, or --month."),
                                     since);
    }

  if (by_name != NULL)
    {
      if (g_ascii_strcasecmp (by_name, "provider") == 0)
        by = GROUP_PROVIDER;
      else if (g_ascii_strcasecmp (by_name, "model") == 0)
        by = GROUP_MODEL;
      else if (g_ascii_strcasecmp (by_name, "day") == 0 || g_ascii_strcasecmp (by_name, "month") == 0)
        by = GROUP_DAY;
      else
        return byok_cli_usage_error ("usage", _("Unknown grouping “%s”: use provider, model or day."),
                                     by_name);
    }

  /* Only --what-if prices the calls again. */
  context = byok_cli_usage_context_open (what_if, &error);
  if (context == NULL)
    return byok_cli_fail (error);

  now = g_date_time_new_now_local ();
  bucket = byok_usage_period_get_range (period, now, &from_us, &to_us);
  report = byok_usage_store_report (byok_cli_usage_context_get_store (context),
                                    from_us, to_us, bucket, NULL, &error);
  if (report == NULL)
    return byok_cli_fail (error);

  if (what_if)
    return print_what_if (context, report, json, csv);
  if (compare_bill)
    {
      if (csv)
        return byok_cli_usage_error ("usage", _("--compare-bill prints a table or --json, not CSV."));
      return byok_cli_usage_compare_bill (from_us, to_us, _(labels[period]), by == GROUP_DAY, json, allow_http);
    }

  if (json)
    print_json (report, period_name, by);
  else if (csv)
    print_csv (report, by);
  else
    {
      print_totals_line (report, _(labels[period]));
      print_table (report, by);
    }
  return BYOK_CLI_EXIT_OK;
}
