/* byok-usage-page.c — the Usage page: what every call cost
 *
 * From top to bottom: four summary cards (today, this month, the last 30
 * days, cache savings), a period selector (7 days, 30 days, 12 months) for
 * what follows, the cost chart by provider, the breakdown table by model
 * (with export of the period's calls), the "what if" list, the budgets and
 * the price table. With no call recorded yet, an empty state instead.
 *
 * Everything is read from the engine's usage store with the async report
 * API, so the main loop never waits for SQLite. The store's "changed"
 * signal (a call was recorded) schedules a refresh at most every 250 ms;
 * a refresh cancels the one before it. The engine's "budget-alert" becomes
 * a desktop notification and a toast.
 */
#define G_LOG_DOMAIN "byok-usage-page"

#include "config.h"

#include <glib/gi18n.h>

/* First: byok-engine.h must come before byok-usage-store.h (see there). */
#include "byok-usage-page.h"

#include "byok-a11y.h"
#include "byok-balance-group.h"
#include "byok-bill-group.h"
#include "byok-budget-group.h"
#include "byok-projection.h"
#include "byok-compat.h"
#include "byok-cost-chart.h"
#include "byok-format.h"
#include "byok-price-checker.h"
#include "byok-price-table.h"
#include "byok-plain-text.h"
#include "byok-summary-card.h"
#include "byok-usage-breakdown.h"
#include "byok-what-if-list.h"

#define REFRESH_DELAY_MS 250

typedef enum {
  SLOT_TODAY,
  SLOT_MONTH,
  SLOT_30_DAYS,
  SLOT_PERIOD,
  N_SLOTS
} Slot;

struct _ByokUsagePage
{
  AdwBin              parent_instance;

  GtkStack           *stack;
  ByokSummaryCard    *today_card;
  ByokSummaryCard    *month_card;
  ByokSummaryCard    *days30_card;
  ByokSummaryCard    *savings_card;
  GtkToggleButton    *period_7_button;
  GtkToggleButton    *period_30_button;
  GtkToggleButton    *period_12_button;
  AdwPreferencesGroup *chart_group;
  ByokCostChart      *chart;
  ByokUsageBreakdown *breakdown;
  ByokWhatIfList     *what_if_list;
  ByokBudgetGroup    *budget_group;
  ByokBalanceGroup   *balance_group;
  ByokBillGroup      *bill_group;
  ByokPriceTable     *price_table;
  ByokPriceChecker   *price_checker;

  ByokEngine         *engine;
  gulong              store_changed_id;
  gulong              pricing_changed_id;
  gulong              budget_alert_id;

  ByokUsagePagePeriod period;
  GCancellable       *cancellable;        /* the refresh in flight */
  guint               refresh_source;
  guint               pending;            /* async steps of the refresh left */
  ByokUsageReport    *period_report;
  ByokUsageReport    *month_report;       /* for where the month is heading */
  ByokUsageReport    *days30_report;
  GHashTable         *predicted;          /* budget scope → "YYYY-MM" of its prediction */
  gint64              largest_prompt;

  GCancellable       *export_cancellable; /* the export file dialog, while open */
  ByokUsageExportFormat export_format;
};

G_DEFINE_FINAL_TYPE (ByokUsagePage, byok_usage_page, ADW_TYPE_BIN)

enum {
  REFRESHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_ENGINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static ByokUsageStore *
get_store (ByokUsagePage *self)
{
  return self->engine != NULL ? byok_engine_get_usage_store (self->engine) : NULL;
}

static void
show_toast (ByokUsagePage *self,
            AdwToast      *toast)
{
  byok_toast_show (GTK_WIDGET (self), toast);
}

static void
show_toast_text (ByokUsagePage *self,
                 const char    *text)
{
  show_toast (self, byok_toast_new_plain (text));
}

/* ---- periods ------------------------------------------------------------- */

static ByokUsagePeriod
store_period (ByokUsagePagePeriod period)
{
  switch (period)
    {
    case BYOK_USAGE_PAGE_PERIOD_7_DAYS:    return BYOK_USAGE_PERIOD_LAST_7_DAYS;
    case BYOK_USAGE_PAGE_PERIOD_12_MONTHS: return BYOK_USAGE_PERIOD_LAST_12_MONTHS;
    case BYOK_USAGE_PAGE_PERIOD_30_DAYS:
    default:                               return BYOK_USAGE_PERIOD_LAST_30_DAYS;
    }
}

/* Completes "Cost by provider over …" */
static const char *
period_phrase (ByokUsagePagePeriod period)
{
  switch (period)
    {
    case BYOK_USAGE_PAGE_PERIOD_7_DAYS:    return _("the last 7 days");
    case BYOK_USAGE_PAGE_PERIOD_12_MONTHS: return _("the last 12 months");
    case BYOK_USAGE_PAGE_PERIOD_30_DAYS:
    default:                               return _("the last 30 days");
    }
}

static ByokUsagePeriod
slot_period (ByokUsagePage *self,
             Slot           slot)
{
  switch (slot)
    {
    case SLOT_TODAY:   return BYOK_USAGE_PERIOD_TODAY;
    case SLOT_MONTH:   return BYOK_USAGE_PERIOD_THIS_MONTH;
    case SLOT_30_DAYS: return BYOK_USAGE_PERIOD_LAST_30_DAYS;
    case SLOT_PERIOD:
    case N_SLOTS:
    default:           return store_period (self->period);
    }
}

/* ---- cards --------------------------------------------------------------- */

/* @separator, then @format with @n in it, when @n is not 0 */
static void
append_count (GString    *detail,
              const char *separator,
              const char *format,
              guint64     n)
{
  g_autofree char *count = NULL;

  if (n == 0)
    return;
  count = byok_format_count ((gint64) n);
  g_string_append (detail, separator);
  /* @format is a translation of a literal with one %s: msgfmt checks it */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  g_string_append_printf (detail, format, count);
#pragma GCC diagnostic pop
}

/* "38 calls · 2 failed · 1 interrupted\n2 calls with estimated tokens\n3 calls with an unknown price" */
static char *
calls_detail (const ByokUsageTotals *t)
{
  GString *detail = g_string_new (NULL);
  g_autofree char *calls = byok_format_count ((gint64) t->calls);

  g_string_append_printf (detail, g_dngettext (GETTEXT_PACKAGE, "%s call", "%s calls", (gulong) t->calls),
                          calls);
  /* Translators: failed calls ("2 failed") */
  append_count (detail, " · ", _("%s failed"), t->errors);
  /* Translators: calls whose process was killed or quit mid-answer
   * ("1 interrupted"); their tokens and cost are estimated (≈) */
  append_count (detail, " · ", _("%s interrupted"), t->interrupted);
  /* Translators: calls the person stopped (Stop, Escape): "1 stopped" */
  append_count (detail, " · ", _("%s stopped"), t->cancelled);
  append_count (detail, "\n", g_dngettext (GETTEXT_PACKAGE,
                                           /* Translators: answers that came without a usage
                                            * report: their tokens and cost are Byok's estimate (≈) */
                                           "%s call with estimated tokens",
                                           "%s calls with estimated tokens",
                                           (gulong) t->estimated), t->estimated);
  /* On a line of its own: it keeps the cards narrow enough for four side
   * by side. */
  append_count (detail, "\n", g_dngettext (GETTEXT_PACKAGE,
                                           "%s call with an unknown price",
                                           "%s calls with an unknown price",
                                           (gulong) t->unknown_price_calls), t->unknown_price_calls);
  return g_string_free (detail, FALSE);
}

static void
set_card (ByokSummaryCard       *card,
          const ByokUsageTotals *totals)
{
  g_autofree char *value = byok_format_usd (totals->cost_usd);
  g_autofree char *detail = calls_detail (totals);

  /* Interrupted calls, and answers without a usage report, count with
   * Byok's estimate of what they cost. */
  if (totals->interrupted > 0 || totals->estimated > 0)
    value = byok_format_estimated (g_steal_pointer (&value));
  byok_summary_card_set_value (card, value);
  byok_summary_card_set_detail (card, detail);
}

static void
set_savings_card (ByokUsagePage         *self,
                  const ByokUsageTotals *totals)
{
  g_autofree char *value = byok_format_usd (totals->cache_savings_usd);
  g_autofree char *tokens = byok_format_tokens ((gint64) totals->cached_input_tokens);
  /* Translators: the detail of the cache savings card, on two lines
   * ("1.2M cached tokens\nin the last 30 days") */
  g_autofree char *detail = g_strdup_printf (_("%s cached tokens\nin the last 30 days"), tokens);

  byok_summary_card_set_value (self->savings_card, value);
  byok_summary_card_set_detail (self->savings_card, detail);
}

/* ---- chart --------------------------------------------------------------- */

static char *
bucket_label (const ByokUsageGroup *bucket,
              ByokUsageBucket       kind)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (bucket->start_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);

  if (kind == BYOK_USAGE_BUCKET_MONTH)
    /* Translators: GDateTime format of a month's bar in the chart ("Nov") */
    /* xgettext:no-c-format */
    return g_date_time_format (local, C_("chart", "%b"));
  /* Translators: GDateTime format of a day's bar in the chart ("Nov 3") */
  /* xgettext:no-c-format */
  return g_date_time_format (local, C_("chart", "%b %-d"));
}

static void
update_chart (ByokUsagePage         *self,
              const ByokUsageReport *report)
{
  ByokCatalog *catalog = byok_engine_get_catalog (self->engine);
  guint n_bars = report->by_bucket->len;
  guint n_series = report->by_provider->len;
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GHashTable) bar_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) series_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree double *values = g_new0 (double, MAX (1, n_bars * n_series));
  g_autofree char *description = NULL;
  g_autofree char *total = byok_format_usd (report->totals.cost_usd);

  for (guint i = 0; i < n_bars; i++)
    {
      ByokUsageGroup *bucket = g_ptr_array_index (report->by_bucket, i);

      g_ptr_array_add (labels, bucket_label (bucket, report->bucket));
      g_hash_table_insert (bar_of, bucket->bucket, GUINT_TO_POINTER (i + 1));
    }
  for (guint s = 0; s < n_series; s++)
    {
      ByokUsageGroup *group = g_ptr_array_index (report->by_provider, s);
      ByokProvider *provider = byok_catalog_lookup_provider (catalog, group->provider);

      g_ptr_array_add (names, (gpointer) (provider != NULL ? byok_provider_get_name (provider) : group->provider));
      g_hash_table_insert (series_of, group->provider, GUINT_TO_POINTER (s + 1));
    }
  for (guint i = 0; i < report->by_provider_bucket->len; i++)
    {
      ByokUsageGroup *group = g_ptr_array_index (report->by_provider_bucket, i);
      guint bar = GPOINTER_TO_UINT (g_hash_table_lookup (bar_of, group->bucket));
      guint s = GPOINTER_TO_UINT (g_hash_table_lookup (series_of, group->provider));

      if (bar > 0 && s > 0)
        values[(bar - 1) * n_series + (s - 1)] += group->totals.cost_usd;
    }

  byok_cost_chart_set_period (self->chart, period_phrase (self->period));
  byok_cost_chart_set_data (self->chart, n_bars, (const char * const *) labels->pdata,
                            n_series, (const char * const *) names->pdata, values);

  /* Translators: "$3.18 in the last 7 days" */
  description = g_strdup_printf (_("%s in %s"), total, period_phrase (self->period));
  adw_preferences_group_set_description (self->chart_group, description);
}

/* ---- what if ------------------------------------------------------------- */

static void
update_what_if (ByokUsagePage *self)
{
  ByokWhatIf *what_if;

  if (self->engine == NULL || self->period_report == NULL)
    return;
  what_if = byok_what_if_compute (byok_engine_get_pricing (self->engine),
                                  self->period_report->by_model, self->largest_prompt);
  byok_what_if_list_set_what_if (self->what_if_list, what_if, byok_engine_get_catalog (self->engine));
}

/* ---- where the month is heading ------------------------------------------ */

/* This month's spend of @scope (a provider, or BYOK_BUDGET_SCOPE_ALL). */
static double
month_spend_of (ByokUsagePage *self,
                const char    *scope)
{
  if (g_strcmp0 (scope, BYOK_BUDGET_SCOPE_ALL) == 0)
    return self->month_report->totals.cost_usd;
  for (guint i = 0; i < self->month_report->by_provider->len; i++)
    {
      const ByokUsageGroup *group = g_ptr_array_index (self->month_report->by_provider, i);

      if (g_strcmp0 (group->provider, scope) == 0)
        return group->totals.cost_usd;
    }
  return 0;
}

static gboolean
project (ByokUsagePage  *self,
         const char     *scope,
         ByokProjection *projection)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  gboolean all = g_strcmp0 (scope, BYOK_BUDGET_SCOPE_ALL) == 0;

  if (self->month_report == NULL || self->days30_report == NULL)
    return FALSE;
  return byok_projection_from_report (self->days30_report, all ? NULL : scope,
                                      month_spend_of (self, scope), now, projection);
}

/* A budget the month's pace reaches before the month ends is said once a
 * month, before it is reached ("At this pace (30-day) you reach your
 * $20.00 budget on 21 December."). */
static void
predict_budgets (ByokUsagePage *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *month = g_date_time_format (now, "%Y-%m");
  g_autoptr(GPtrArray) budgets = byok_usage_store_list_budgets (get_store (self), NULL);
  GApplication *app = g_application_get_default ();

  for (guint i = 0; budgets != NULL && i < budgets->len; i++)
    {
      const ByokBudget *budget = g_ptr_array_index (budgets, i);
      g_autoptr(GNotification) notification = NULL;
      g_autofree char *title = NULL;
      g_autofree char *body = NULL;
      g_autofree char *id = NULL;
      ByokProjection projection;
      const char *name = budget->scope;
      ByokProvider *provider;

      if (budget->monthly_usd <= 0 || g_strcmp0 (g_hash_table_lookup (self->predicted, budget->scope), month) == 0 ||
          !project (self, budget->scope, &projection) ||
          byok_projection_budget_day (&projection, budget->monthly_usd) <= 0)
        continue;
      g_hash_table_replace (self->predicted, g_strdup (budget->scope), g_strdup (month));
      if (g_strcmp0 (budget->scope, BYOK_BUDGET_SCOPE_ALL) == 0)
        name = _("all providers");
      else if ((provider = byok_catalog_lookup_provider (byok_engine_get_catalog (self->engine), budget->scope)) != NULL)
        name = byok_provider_get_name (provider);
      /* Translators: a notification title; %s is "all providers" or a provider's name */
      title = g_strdup_printf (_("On pace to use up the monthly budget for %s"), name);
      body = byok_projection_describe_budget (&projection, budget->monthly_usd);
      g_debug ("budget prediction for %s: %s", budget->scope, body);
      if (app == NULL)
        continue;
      notification = g_notification_new (title);
      g_notification_set_body (notification, body);
      id = g_strdup_printf ("budget-pace-%s", budget->scope);
      g_application_send_notification (app, id, notification);
    }
}

/* The This Month card: its calls, and where the month is heading. */
static void
update_projection (ByokUsagePage *self)
{
  ByokProjection projection;
  g_autofree char *calls = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *detail = NULL;

  if (!project (self, BYOK_BUDGET_SCOPE_ALL, &projection))
    return;
  calls = calls_detail (&self->month_report->totals);
  heading = byok_projection_describe (&projection);
  detail = *calls != '\0' ? g_strconcat (calls, "\n", heading, NULL) : g_strdup (heading);
  byok_summary_card_set_detail (self->month_card, detail);
  predict_budgets (self);
}

/* ---- refresh ------------------------------------------------------------- */

typedef struct {
  ByokUsagePage *self;
  Slot           slot;
} SlotData;

static void
step_done (ByokUsagePage *self)
{
  g_return_if_fail (self->pending > 0);

  if (--self->pending == 0)
    g_signal_emit (self, signals[REFRESHED], 0);
}

static void
largest_prompt_ready (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(ByokUsagePage) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 largest = byok_what_if_largest_prompt_finish (BYOK_DATABASE (source), result, &error);

  /* Gone with its engine: the database (and its folder) may be too. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->engine == NULL)
    return;
  if (error != NULL)
    g_warning ("Could not read the largest prompt: %s", error->message);
  self->largest_prompt = MAX (largest, 0);
  update_what_if (self);
  step_done (self);
}

static void
report_ready (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SlotData *data = user_data;
  g_autoptr(ByokUsagePage) self = data->self;
  Slot slot = data->slot;
  g_autoptr(ByokUsageReport) report = NULL;
  g_autoptr(GError) error = NULL;

  g_free (data);
  report = byok_usage_store_report_finish (BYOK_USAGE_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->engine == NULL)
    return;
  if (report == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not read the usage history: %s"), error->message);

      show_toast_text (self, message);
      step_done (self);
      return;
    }

  switch (slot)
    {
    case SLOT_TODAY:
      set_card (self->today_card, &report->totals);
      break;

    case SLOT_MONTH:
      set_card (self->month_card, &report->totals);
      byok_budget_group_set_month_usage (self->budget_group, report);
      g_clear_pointer (&self->month_report, byok_usage_report_free);
      self->month_report = g_steal_pointer (&report);
      update_projection (self);
      break;

    case SLOT_30_DAYS:
      set_card (self->days30_card, &report->totals);
      set_savings_card (self, &report->totals);
      g_clear_pointer (&self->days30_report, byok_usage_report_free);
      self->days30_report = g_steal_pointer (&report);
      update_projection (self);
      break;

    case SLOT_PERIOD:
    case N_SLOTS:
    default:
      update_chart (self, report);
      byok_usage_breakdown_set_groups (self->breakdown, report->by_model,
                                       byok_engine_get_catalog (self->engine));
      g_clear_pointer (&self->period_report, byok_usage_report_free);
      self->period_report = g_steal_pointer (&report);
      self->pending++;
      byok_what_if_largest_prompt_async (byok_engine_get_database (self->engine),
                                         self->period_report->from_us, self->period_report->to_us,
                                         self->cancellable, largest_prompt_ready, g_object_ref (self));
      break;
    }
  step_done (self);
}

static void
start_slot (ByokUsagePage *self,
            Slot           slot,
            GDateTime     *now)
{
  SlotData *data = g_new0 (SlotData, 1);
  ByokUsageBucket bucket;
  gint64 from_us, to_us;

  bucket = byok_usage_period_get_range (slot_period (self, slot), now, &from_us, &to_us);
  /* The providers' bills are of the period shown. */
  if (slot == SLOT_PERIOD)
    byok_bill_group_set_range (self->bill_group, from_us, to_us);
  data->self = g_object_ref (self);
  data->slot = slot;
  self->pending++;
  byok_usage_store_report_async (get_store (self), from_us, to_us, bucket,
                                 self->cancellable, report_ready, data);
}

static void
cancel_refresh (ByokUsagePage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->pending = 0;
}

/* Starts the reports of @slots (all when 0), cancelling those in flight. */
static void
refresh_slots (ByokUsagePage *self,
               guint          slots)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GPtrArray) recent = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (slots == 0 || self->cancellable == NULL)
    {
      cancel_refresh (self);
      slots = 0;
    }
  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();

  if (self->engine == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  /* One indexed row: is there any usage at all? */
  recent = byok_usage_store_list_recent (get_store (self), 1, &error);
  if (recent == NULL)
    g_warning ("Could not read the usage history: %s", error->message);
  if (recent == NULL || recent->len == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      g_signal_emit (self, signals[REFRESHED], 0);
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "usage");

  for (Slot slot = 0; slot < N_SLOTS; slot++)
    if (slots == 0 || (slots & (1u << slot)) != 0)
      start_slot (self, slot, now);
}

/**
 * byok_usage_page_refresh:
 *
 * Reads everything again now (without waiting for the coalescing delay).
 */
void
byok_usage_page_refresh (ByokUsagePage *self)
{
  g_return_if_fail (BYOK_IS_USAGE_PAGE (self));

  refresh_slots (self, 0);
}

/**
 * byok_usage_page_is_busy:
 *
 * Returns: TRUE while a refresh is scheduled or in flight
 */
gboolean
byok_usage_page_is_busy (ByokUsagePage *self)
{
  g_return_val_if_fail (BYOK_IS_USAGE_PAGE (self), FALSE);

  return self->refresh_source != 0 || self->pending > 0;
}

static gboolean
refresh_timeout_cb (gpointer user_data)
{
  ByokUsagePage *self = user_data;

  self->refresh_source = 0;
  refresh_slots (self, 0);
  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (ByokUsagePage *self)
{
  if (self->refresh_source == 0)
    self->refresh_source = g_timeout_add (REFRESH_DELAY_MS, refresh_timeout_cb, self);
}

static void
pricing_changed_cb (ByokUsagePage *self)
{
  /* History keeps the prices it was recorded with; only the what-if moves. */
  update_what_if (self);
}

/* ---- period selector ----------------------------------------------------- */

static void
period_toggled_cb (ByokUsagePage   *self,
                   GtkToggleButton *button)
{
  ByokUsagePagePeriod period;

  if (!gtk_toggle_button_get_active (button))
    return;
  if (button == self->period_7_button)
    period = BYOK_USAGE_PAGE_PERIOD_7_DAYS;
  else if (button == self->period_12_button)
    period = BYOK_USAGE_PAGE_PERIOD_12_MONTHS;
  else
    period = BYOK_USAGE_PAGE_PERIOD_30_DAYS;
  if (period == self->period)
    return;
  self->period = period;
  if (self->engine != NULL)
    refresh_slots (self, 0);
}

ByokUsagePagePeriod
byok_usage_page_get_period (ByokUsagePage *self)
{
  g_return_val_if_fail (BYOK_IS_USAGE_PAGE (self), BYOK_USAGE_PAGE_PERIOD_30_DAYS);
  return self->period;
}

void
byok_usage_page_set_period (ByokUsagePage       *self,
                            ByokUsagePagePeriod  period)
{
  g_return_if_fail (BYOK_IS_USAGE_PAGE (self));

  switch (period)
    {
    case BYOK_USAGE_PAGE_PERIOD_7_DAYS:
      gtk_toggle_button_set_active (self->period_7_button, TRUE);
      break;
    case BYOK_USAGE_PAGE_PERIOD_12_MONTHS:
      gtk_toggle_button_set_active (self->period_12_button, TRUE);
      break;
    case BYOK_USAGE_PAGE_PERIOD_30_DAYS:
    default:
      gtk_toggle_button_set_active (self->period_30_button, TRUE);
      break;
    }
}

/* ---- export -------------------------------------------------------------- */

static void
export_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(ByokUsagePage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!byok_usage_store_export_finish (BYOK_USAGE_STORE (source), result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Could not export: %s"), error->message);
      show_toast_text (self, message);
      return;
    }
  show_toast_text (self, _("Usage exported"));
}

static void
export_file_chosen_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(ByokUsagePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = byok_file_save_finish (result, &error);
  g_autoptr(GDateTime) now = NULL;
  gint64 from_us, to_us;

  g_clear_object (&self->export_cancellable);
  if (file == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast_text (self, error->message);
      return;
    }
  if (get_store (self) == NULL)
    return;
  now = g_date_time_new_now_local ();
  byok_usage_period_get_range (store_period (self->period), now, &from_us, &to_us);
  byok_usage_store_export_async (get_store (self), from_us, to_us, self->export_format, file,
                                 NULL, export_done, g_object_ref (self));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ByokUsagePage *self = BYOK_USAGE_PAGE (widget);
  const char *format = g_variant_get_string (parameter, NULL);
  gboolean json = g_str_equal (format, "json");
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  g_autofree char *name = NULL;
  static const char * const period_names[] = { "7-days", "30-days", "12-months" };

  if (self->export_cancellable != NULL)
    return;

  self->export_format = json ? BYOK_USAGE_EXPORT_JSON : BYOK_USAGE_EXPORT_CSV;
  gtk_file_filter_set_name (filter, json ? _("JSON files") : _("CSV files"));
  gtk_file_filter_add_mime_type (filter, json ? "application/json" : "text/csv");
  g_list_store_append (filters, filter);
  name = g_strdup_printf ("byok-usage-%s.%s", period_names[self->period], json ? "json" : "csv");
  self->export_cancellable = g_cancellable_new ();
  byok_file_save_async (widget, json ? _("Export Usage as JSON") : _("Export Usage as CSV"),
                        _("_Export"), name, G_LIST_MODEL (filters), self->export_cancellable,
                        export_file_chosen_cb, g_object_ref (self));
}

/* ---- budget alerts ------------------------------------------------------- */

/**
 * byok_usage_page_alert_budget:
 * @scope: the budget's scope, a provider's id or BYOK_BUDGET_SCOPE_ALL
 * @percent: the threshold it crossed
 *
 * Tells of a budget crossed: a notification, and a toast that leads to
 * Usage. The page does so for its engine's "budget-alert" itself; the
 * window calls it for an alert raised before the page was built.
 */
void
byok_usage_page_alert_budget (ByokUsagePage *self,
                              const char    *scope,
                              guint          percent)
{
  ByokEngine *engine;
  ByokUsageStore *store;
  gboolean all = g_strcmp0 (scope, BYOK_BUDGET_SCOPE_ALL) == 0;
  g_autoptr(ByokBudget) budget = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autofree char *spent = NULL;
  g_autofree char *limit = NULL;
  g_autofree char *id = g_strdup_printf ("budget-%s", scope);
  const char *name = scope;
  GApplication *app = g_application_get_default ();
  AdwToast *toast;

  g_return_if_fail (BYOK_IS_USAGE_PAGE (self));
  g_return_if_fail (self->engine != NULL);

  engine = self->engine;
  store = byok_engine_get_usage_store (engine);
  budget = byok_usage_store_get_budget (store, scope, NULL);
  if (all)
    name = _("all providers");
  else
    {
      ByokProvider *provider = byok_catalog_lookup_provider (byok_engine_get_catalog (engine), scope);

      if (provider != NULL)
        name = byok_provider_get_name (provider);
    }

  spent = byok_format_usd (byok_usage_store_month_spend (store, all ? NULL : scope,
                                                         g_date_time_get_year (now),
                                                         g_date_time_get_month (now), NULL));
  limit = byok_format_usd (budget != NULL ? budget->monthly_usd : 0);

  if (percent >= 100)
    /* Translators: a notification title; %s is "all providers" or a provider's name */
    title = g_strdup_printf (_("Monthly budget for %s used up"), name);
  else
    /* Translators: a notification title: "80% of the monthly budget for OpenAI used" */
    title = g_strdup_printf (_("%u%% of the monthly budget for %s used"), percent, name);

  if (percent >= 100 && budget != NULL && budget->hard_stop)
    /* Translators: "$50.00 of $50.00 spent this month. …" */
    body = g_strdup_printf (_("%s of %s spent this month. New calls are stopped until next month, or until you raise the budget in Usage."),
                            spent, limit);
  else
    body = g_strdup_printf (_("%s of %s spent this month."), spent, limit);
  if (percent < 100 && budget != NULL)
    {
      ByokProjection projection;

      if (project (self, scope, &projection))
        {
          g_autofree char *pace = byok_projection_describe_budget (&projection, budget->monthly_usd);
          g_autofree char *spent_only = g_steal_pointer (&body);

          body = g_strconcat (spent_only, " ", pace, NULL);
        }
    }

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, percent >= 100 ? G_NOTIFICATION_PRIORITY_HIGH
                                                             : G_NOTIFICATION_PRIORITY_NORMAL);
  if (app != NULL)
    g_application_send_notification (app, id, notification);
  g_debug ("budget alert for %s at %u%%", scope, percent);

  toast = byok_toast_new_plain (title);
  adw_toast_set_priority (toast, percent >= 100 ? ADW_TOAST_PRIORITY_HIGH : ADW_TOAST_PRIORITY_NORMAL);
  adw_toast_set_timeout (toast, percent >= 100 ? 0 : 8);
  adw_toast_set_button_label (toast, _("Show Usage"));
  adw_toast_set_action_name (toast, "win.show-page");
  adw_toast_set_action_target_value (toast, g_variant_new_string ("usage"));
  show_toast (self, toast);
}

static void
budget_alert_cb (ByokEngine    *engine,
                 const char    *scope,
                 guint          percent,
                 ByokUsagePage *self)
{
  byok_usage_page_alert_budget (self, scope, percent);
}

/* ---- engine -------------------------------------------------------------- */

static void
disconnect_engine (ByokUsagePage *self)
{
  if (self->engine == NULL)
    return;
  g_clear_signal_handler (&self->store_changed_id, byok_engine_get_usage_store (self->engine));
  g_clear_signal_handler (&self->pricing_changed_id, byok_engine_get_pricing (self->engine));
  g_clear_signal_handler (&self->budget_alert_id, self->engine);
  g_clear_object (&self->engine);
}

/**
 * byok_usage_page_set_engine:
 * @engine: (nullable): where the page reads usage, prices and budgets
 *
 * Shows @engine's usage, and follows it: a call recorded refreshes the
 * page, a budget alert becomes a notification and a toast.
 */
void
byok_usage_page_set_engine (ByokUsagePage *self,
                            ByokEngine    *engine)
{
  g_return_if_fail (BYOK_IS_USAGE_PAGE (self));
  g_return_if_fail (engine == NULL || BYOK_IS_ENGINE (engine));

  if (engine == self->engine)
    return;

  cancel_refresh (self);
  disconnect_engine (self);
  g_clear_pointer (&self->period_report, byok_usage_report_free);

  if (engine != NULL)
    {
      self->engine = g_object_ref (engine);
      self->store_changed_id = g_signal_connect_swapped (byok_engine_get_usage_store (engine), "changed",
                                                         G_CALLBACK (store_changed_cb), self);
      self->pricing_changed_id = g_signal_connect_swapped (byok_engine_get_pricing (engine), "changed",
                                                           G_CALLBACK (pricing_changed_cb), self);
      self->budget_alert_id = g_signal_connect (engine, "budget-alert", G_CALLBACK (budget_alert_cb), self);
      byok_price_table_set_pricing (self->price_table, byok_engine_get_pricing (engine),
                                    byok_engine_get_usage_store (engine));
      byok_price_checker_set_engine (self->price_checker, engine);
      byok_budget_group_set_store (self->budget_group, byok_engine_get_usage_store (engine),
                                   byok_engine_get_catalog (engine));
      byok_balance_group_set_engine (self->balance_group, engine);
      byok_bill_group_set_engine (self->bill_group, engine);
    }
  else
    {
      byok_price_table_set_pricing (self->price_table, NULL, NULL);
      byok_price_checker_set_engine (self->price_checker, NULL);
      byok_budget_group_set_store (self->budget_group, NULL, NULL);
      byok_balance_group_set_engine (self->balance_group, NULL);
      byok_bill_group_set_engine (self->bill_group, NULL);
    }

  refresh_slots (self, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

/**
 * byok_usage_page_get_engine:
 *
 * Returns: (transfer none) (nullable): the engine
 */
ByokEngine *
byok_usage_page_get_engine (ByokUsagePage *self)
{
  g_return_val_if_fail (BYOK_IS_USAGE_PAGE (self), NULL);
  return self->engine;
}

/* ---- object -------------------------------------------------------------- */

static void
byok_usage_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, BYOK_USAGE_PAGE (object)->engine);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_usage_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_ENGINE:
      byok_usage_page_set_engine (BYOK_USAGE_PAGE (object), g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_usage_page_dispose (GObject *object)
{
  ByokUsagePage *self = BYOK_USAGE_PAGE (object);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  cancel_refresh (self);
  disconnect_engine (self);
  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
  g_clear_pointer (&self->period_report, byok_usage_report_free);
  g_clear_pointer (&self->month_report, byok_usage_report_free);
  g_clear_pointer (&self->days30_report, byok_usage_report_free);
  g_clear_pointer (&self->predicted, g_hash_table_unref);
  /* The stack is the bin's child and a template child: let go of it once. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), BYOK_TYPE_USAGE_PAGE);

  G_OBJECT_CLASS (byok_usage_page_parent_class)->dispose (object);
}

static void
byok_usage_page_class_init (ByokUsagePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byok_usage_page_dispose;
  object_class->get_property = byok_usage_page_get_property;
  object_class->set_property = byok_usage_page_set_property;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, BYOK_TYPE_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ByokUsagePage::refreshed:
   *
   * Everything the page shows has been read again.
   */
  signals[REFRESHED] = g_signal_new ("refreshed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (BYOK_TYPE_SUMMARY_CARD);
  g_type_ensure (BYOK_TYPE_COST_CHART);
  g_type_ensure (BYOK_TYPE_USAGE_BREAKDOWN);
  g_type_ensure (BYOK_TYPE_WHAT_IF_LIST);
  g_type_ensure (BYOK_TYPE_BALANCE_GROUP);
  g_type_ensure (BYOK_TYPE_BILL_GROUP);
  g_type_ensure (BYOK_TYPE_BUDGET_GROUP);
  g_type_ensure (BYOK_TYPE_PRICE_CHECKER);
  g_type_ensure (BYOK_TYPE_PRICE_TABLE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-usage-page.ui");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_bind_template_child (widget_class, ByokUsagePage, stack);
  gtk_widget_class_bind_template_child (widget_class, ByokUsagePage, today_card);
  gtk_widget_class_bind_template_child (widget_class, ByokUsagePage, month_card);
  gtk_widget_class_bind_template_child (widget_class, ByokUsagePage, days30_card);
  gtk_widget_class_bind_template_child (widget_class, ByokUsagePage, savings_card);
  gtk_widget_class_bind_template_child (widget_class, ByokUsagePage, period_7_button);
  gtk_widget_class_bind_template_child (widget_class, ByokUsagePage, period_30_button);
  gtk_widget_class_bind_template_child (widget_class, ByokUsagePage, period_12_button);
  gtk_widget_class_bind_template_child (widget_class, ByokUsagePage, chart_group);
  gtk_widget_class_bind_template_child (widget_class, ByokUsagePage, chart);
  gtk_widget_class_bind_template_child (widget_class, ByokUsagePage, breakdown);
  gtk_widget_class_bind_template_child (widget_class, ByokUsagePage, what_if_list);
  gtk_widget_class_bind_template_child (widget_class, ByokUsagePage, budget_group);
  gtk_widget_class_bind_template_child (widget_class, ByokUsagePage, balance_group);
  gtk_widget_class_bind_template_child (widget_class, ByokUsagePage, bill_group);
  gtk_widget_class_bind_template_child (widget_class, ByokUsagePage, price_table);
  gtk_widget_class_bind_template_child (widget_class, ByokUsagePage, price_checker);
  gtk_widget_class_bind_template_callback (widget_class, period_toggled_cb);

  gtk_widget_class_install_action (widget_class, "usage.export", "s", export_action);
}

static void
byok_usage_page_init (ByokUsagePage *self)
{
  self->period = BYOK_USAGE_PAGE_PERIOD_30_DAYS;
  self->predicted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_stack_set_visible_child_name (self->stack, "empty");
  byok_a11y_name_status_pages (GTK_WIDGET (self));
  byok_a11y_name_groups (GTK_WIDGET (self));
  /* The flow box's children take the focus: each reads its card. */
  byok_a11y_label_parent_by_child (GTK_WIDGET (self->today_card));
  byok_a11y_label_parent_by_child (GTK_WIDGET (self->month_card));
  byok_a11y_label_parent_by_child (GTK_WIDGET (self->days30_card));
  byok_a11y_label_parent_by_child (GTK_WIDGET (self->savings_card));
}
