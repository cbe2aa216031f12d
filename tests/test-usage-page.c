/* test-usage-page.c — the Usage page under Xvfb, on a real engine with a
 * throwaway database: the empty state; calls recorded through the usage
 * store (as the chat path records them) reach the cards, the breakdown
 * table (sortable) and the what-if list after the coalesced refresh; an
 * edited price is refused when it is not a price, otherwise saved, marked
 * "Edited" and used by the what-if at once, and reset; a budget set in the
 * page at 80% spend takes the alert path to a toast (and a notification);
 * the page fits a 360 px window. And end to end: real chat calls through
 * the engine against the provider test server (keys from the environment),
 * a failure among them, reach the cards and the breakdown rows exactly.
 *
 * With BYOK_USAGE_PAGE_DEMO=SECONDS it instead shows the page with a month
 * of realistic calls for that long, for screenshots. */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "byok-test-engine.h"
#include "byok-test-util.h"
#include "byok-test-ui.h"
#include "byok-engine.h"
#include "byok-error.h"

#include "byok-compat.h"
#include "byok-budget-group.h"
#include "byok-format.h"
#include "byok-price-item.h"
#include "byok-price-checker.h"
#include "byok-price-table.h"
#include "byok-summary-card.h"
#include "byok-usage-breakdown.h"
#include "byok-usage-group-item.h"
#include "byok-usage-page.h"
#include "byok-what-if-list.h"
#include "byok-test-server.h"
#include "byok-test-util.h"

#define OPENAI_KEY    "sk-test-fake-usage-page-openai-0001"
#define ANTHROPIC_KEY "sk-test-fake-usage-page-anthropic-0002"

/* A stand-in desktop notification server on the test session's bus: it
 * keeps the summary and body of the last notification. */
static char *notified_summary;
static char *notified_body;

static const char notifications_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "<arg type='u' direction='out'/></method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "<method name='GetServerInformation'><arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "<arg type='s' direction='out'/><arg type='s' direction='out'/></method>"
  "</interface></node>";

static void
notifications_method_call (GDBusConnection       *connection,
                           const char            *sender,
                           const char            *object_path,
                           const char            *interface_name,
                           const char            *method_name,
                           GVariant              *parameters,
                           GDBusMethodInvocation *invocation,
                           gpointer               user_data)
{
  if (g_str_equal (method_name, "Notify"))
    {
      const char *summary, *body;

      g_variant_get_child (parameters, 3, "&s", &summary);
      g_variant_get_child (parameters, 4, "&s", &body);
      g_free (notified_summary);
      g_free (notified_body);
      notified_summary = g_strdup (summary);
      notified_body = g_strdup (body);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", 1));
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new_parsed ("(@as ['body'],)"));
  else if (g_str_equal (method_name, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "test", "byok", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
start_notification_server (void)
{
  static const GDBusInterfaceVTable vtable = { notifications_method_call, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (bus);
  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications", info->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.Notifications", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

typedef struct {
  char          *dir;
  ByokEngine    *engine;
  GtkWidget     *window;
  ByokUsagePage *page;
} Fixture;

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until the page has read everything again. */
static void
wait_idle (ByokUsagePage *page)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (byok_test_wait_limit (20), timeout_cb, &timed_out);

  while (!timed_out && byok_usage_page_is_busy (page))
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
  byok_test_ui_iterate_pending ();
}

static gboolean
has_visible_label (GtkWidget  *widget,
                   const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  byok_test_ui_collect (widget, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), text) == 0 &&
          gtk_widget_is_visible (label))
        return TRUE;
    }
  return FALSE;
}

static ByokSummaryCard *
card (ByokUsagePage *page,
      const char    *title)
{
  g_autoptr(GPtrArray) cards = g_ptr_array_new ();

  byok_test_ui_collect (GTK_WIDGET (page), BYOK_TYPE_SUMMARY_CARD, cards);
  for (guint i = 0; i < cards->len; i++)
    if (g_str_equal (byok_summary_card_get_title (g_ptr_array_index (cards, i)), title))
      return g_ptr_array_index (cards, i);
  g_assert_not_reached ();
  return NULL;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("byok-usage-page-XXXXXX", NULL);
  path = g_build_filename (fixture->dir, "byok.db", NULL);
  fixture->engine = byok_engine_new (path, &error);
  g_assert_no_error (error);

  /* The page in a window with a toast overlay, as ByokWindow holds it. */
  fixture->window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1000, 800);
  fixture->page = g_object_new (BYOK_TYPE_USAGE_PAGE, NULL);
  {
    GtkWidget *overlay = adw_toast_overlay_new ();

    adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), GTK_WIDGET (fixture->page));
    adw_window_set_content (ADW_WINDOW (fixture->window), overlay);
  }
  gtk_window_present (GTK_WINDOW (fixture->window));
  byok_test_ui_iterate_pending ();
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  byok_test_ui_iterate_pending ();
  g_clear_object (&fixture->engine);
  byok_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* Today's calls (byok_test_record_today()), priced as the engine prices
 * them: the first gpt-4o call's 2,000 cached tokens save $0.0025. */
static void
record_today (Fixture *fixture)
{
  byok_test_record_today (byok_engine_get_usage_store (fixture->engine), byok_engine_get_pricing (fixture->engine));
}

static void
test_totals (Fixture       *fixture,
             gconstpointer  data)
{
  GtkStack *stack;
  AdwStatusPage *status;
  ByokUsageBreakdown *breakdown;
  GListModel *rows;
  GtkColumnView *view;
  g_autoptr(ByokUsageGroupItem) first = NULL;
  g_autoptr(GListModel) columns = NULL;
  g_autoptr(GtkColumnViewColumn) calls_column = NULL;

  /* A new database: the empty state. */
  byok_usage_page_set_engine (fixture->page, fixture->engine);
  wait_idle (fixture->page);
  stack = GTK_STACK (byok_test_ui_find_descendant (GTK_WIDGET (fixture->page), GTK_TYPE_STACK));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  status = ADW_STATUS_PAGE (byok_test_ui_find_descendant (GTK_WIDGET (fixture->page), ADW_TYPE_STATUS_PAGE));
  g_assert_cmpstr (adw_status_page_get_title (status), ==, "No Usage Yet");

  /* Calls recorded: the store's "changed" refreshes the page. */
  record_today (fixture);
  g_assert_true (byok_usage_page_is_busy (fixture->page));
  wait_idle (fixture->page);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "usage");

  g_assert_cmpstr (byok_summary_card_get_value (card (fixture->page, "Today")), ==, "$0.08");
  g_assert_cmpstr (byok_summary_card_get_detail (card (fixture->page, "Today")), ==,
                   "5 calls · 1 failed\n1 call with an unknown price");
  g_assert_cmpstr (byok_summary_card_get_value (card (fixture->page, "This Month")), ==, "$0.08");
  g_assert_cmpstr (byok_summary_card_get_value (card (fixture->page, "Last 30 Days")), ==, "$0.08");
  g_assert_cmpstr (byok_summary_card_get_value (card (fixture->page, "Cache Savings")), ==, "$0.0025");
  g_assert_cmpstr (byok_summary_card_get_detail (card (fixture->page, "Cache Savings")), ==,
                   "2,000 cached tokens\nin the last 30 days");

  /* The breakdown: most expensive first */
  breakdown = BYOK_USAGE_BREAKDOWN (byok_test_ui_find_descendant (GTK_WIDGET (fixture->page), BYOK_TYPE_USAGE_BREAKDOWN));
  rows = byok_usage_breakdown_get_model (breakdown);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 3);
  first = g_list_model_get_item (rows, 0);
  g_assert_cmpstr (byok_usage_group_item_get_group (first)->model, ==, "gpt-4o");
  g_assert_cmpstr (byok_usage_group_item_get_provider_name (first), ==, "OpenAI");
  g_assert_cmpuint (byok_usage_group_item_get_group (first)->totals.calls, ==, 2);
  g_assert_cmpfloat_with_epsilon (byok_usage_group_item_get_group (first)->totals.cost_usd, 0.05, 1e-9);
  g_assert_true (has_visible_label (GTK_WIDGET (breakdown), "$0.05"));
  g_assert_true (has_visible_label (GTK_WIDGET (breakdown), "GPT-4o"));
  g_assert_true (has_visible_label (GTK_WIDGET (breakdown), "50%"));     /* haiku's error rate */
  g_assert_true (has_visible_label (GTK_WIDGET (breakdown), "unknown")); /* glm-4's cost */

  /* Sorting by calls, fewest first: glm-4's one call */
  view = GTK_COLUMN_VIEW (byok_test_ui_find_descendant (GTK_WIDGET (breakdown), GTK_TYPE_COLUMN_VIEW));
  columns = g_object_ref (gtk_column_view_get_columns (view));
  calls_column = g_list_model_get_item (columns, 2);
  g_assert_cmpstr (gtk_column_view_column_get_title (calls_column), ==, "Calls");
  gtk_column_view_sort_by_column (view, calls_column, GTK_SORT_ASCENDING);
  byok_test_ui_iterate_pending ();
  {
    g_autoptr(ByokUsageGroupItem) fewest = g_list_model_get_item (rows, 0);
    g_assert_cmpstr (byok_usage_group_item_get_group (fewest)->model, ==, "glm-4");
  }

  /* The chart has the day's bars; 7 days changes the period of it all. */
  byok_usage_page_set_period (fixture->page, BYOK_USAGE_PAGE_PERIOD_7_DAYS);
  g_assert_true (byok_usage_page_is_busy (fixture->page));
  wait_idle (fixture->page);
  g_assert_cmpint (byok_usage_page_get_period (fixture->page), ==, BYOK_USAGE_PAGE_PERIOD_7_DAYS);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 3);
}

/* A call cut off when its process died (kill -9, a crash, quitting
 * mid-answer) is counted as interrupted, and the figures that hold Byok's
 * estimate of it are marked "≈". */
static void
test_interrupted (Fixture       *fixture,
                  gconstpointer  data)
{
  ByokUsageStore *store = byok_engine_get_usage_store (fixture->engine);
  g_autoptr(GError) error = NULL;
  ByokUsageRecord sent = {
    .provider = (char *) "openai", .model = (char *) "gpt-4o", .input_tokens = 4000,
    .price_known = TRUE, .cost_usd = 0.01, .ttft_us = -1, .attempt = 1, .estimated = TRUE,
  };
  ByokUsageBreakdown *breakdown;

  byok_usage_page_set_engine (fixture->page, fixture->engine);
  record_today (fixture);
  g_assert_cmpint (byok_usage_store_begin_call (store, &sent, "gone-process", &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (byok_usage_store_interrupt_calls (store, "gone-process", &error), ==, 1);
  g_assert_no_error (error);
  wait_idle (fixture->page);

  g_assert_cmpstr (byok_summary_card_get_value (card (fixture->page, "Today")), ==, "≈$0.09");
  g_assert_cmpstr (byok_summary_card_get_detail (card (fixture->page, "Today")), ==,
                   "6 calls · 1 failed · 1 interrupted\n1 call with an unknown price");

  breakdown = BYOK_USAGE_BREAKDOWN (byok_test_ui_find_descendant (GTK_WIDGET (fixture->page), BYOK_TYPE_USAGE_BREAKDOWN));
  /* gpt-4o: its two calls and the interrupted one. */
  g_assert_true (has_visible_label (GTK_WIDGET (breakdown), "≈$0.06"));
  g_assert_true (has_visible_label (GTK_WIDGET (breakdown), "≈19k"));
  /* Haiku had none: no mark. */
  g_assert_true (has_visible_label (GTK_WIDGET (breakdown), "$0.03"));
}

/* An answer whose provider reported no usage is recorded with Byok's
 * estimate (status ok, estimated): counted apart on the cards, and the
 * figures that hold it marked "≈". */
static void
test_estimated_tokens (Fixture       *fixture,
                       gconstpointer  data)
{
  ByokUsageStore *store = byok_engine_get_usage_store (fixture->engine);
  g_autoptr(GError) error = NULL;
  ByokUsageRecord answer = {
    .provider = (char *) "openai", .model = (char *) "gpt-4o", .input_tokens = 4000,
    .output_tokens = 300, .price_known = TRUE, .cost_usd = 0.01, .ttft_us = -1, .attempt = 1,
    .latency_us = 900000, .estimated = TRUE,
  };
  ByokUsageBreakdown *breakdown;

  byok_usage_page_set_engine (fixture->page, fixture->engine);
  record_today (fixture);
  g_assert_cmpint (byok_usage_store_record (store, &answer, &error), >, 0);
  g_assert_no_error (error);
  wait_idle (fixture->page);

  g_assert_cmpstr (byok_summary_card_get_value (card (fixture->page, "Today")), ==, "≈$0.09");
  g_assert_cmpstr (byok_summary_card_get_detail (card (fixture->page, "Today")), ==,
                   "6 calls · 1 failed\n1 call with estimated tokens\n1 call with an unknown price");

  breakdown = BYOK_USAGE_BREAKDOWN (byok_test_ui_find_descendant (GTK_WIDGET (fixture->page), BYOK_TYPE_USAGE_BREAKDOWN));
  g_assert_true (has_visible_label (GTK_WIDGET (breakdown), "≈$0.06"));
  /* Haiku had none: no mark. */
  g_assert_true (has_visible_label (GTK_WIDGET (breakdown), "$0.03"));
  byok_test_ui_screenshot (fixture->window, "usage-estimated-tokens");
}

/* The what-if row of @model: its cost label's text. */
static const char *
what_if_cost (ByokUsagePage *page,
              const char    *model)
{
  ByokWhatIfList *list = BYOK_WHAT_IF_LIST (byok_test_ui_find_descendant (GTK_WIDGET (page), BYOK_TYPE_WHAT_IF_LIST));
  GtkListBox *box = byok_what_if_list_get_list (list);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (box)); row; row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "byok-model"), model) == 0)
      {
        g_autoptr(GPtrArray) labels = g_ptr_array_new ();

        byok_test_ui_collect (row, GTK_TYPE_LABEL, labels);
        for (guint i = 0; i < labels->len; i++)
          if (gtk_widget_has_css_class (g_ptr_array_index (labels, i), "heading") &&
              gtk_widget_has_css_class (g_ptr_array_index (labels, i), "numeric"))
            return gtk_label_get_label (g_ptr_array_index (labels, i));
      }
  return NULL;
}

static GtkEditableLabel *
price_cell (ByokPriceTable *table,
            const char     *model,
            int             column)
{
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();

  byok_test_ui_collect (GTK_WIDGET (table), GTK_TYPE_EDITABLE_LABEL, cells);
  for (guint i = 0; i < cells->len; i++)
    {
      ByokPriceItem *item = g_object_get_data (g_ptr_array_index (cells, i), "byok-item");

      if (item != NULL && g_str_equal (byok_price_item_get_row (item)->model_id, model) &&
          GPOINTER_TO_INT (g_object_get_data (g_ptr_array_index (cells, i), "byok-column")) == column)
        return g_ptr_array_index (cells, i);
    }
  return NULL;
}

static void
edit (GtkEditableLabel *label,
      const char       *text)
{
  gtk_editable_label_start_editing (label);
  gtk_editable_set_text (GTK_EDITABLE (label), text);
  gtk_editable_label_stop_editing (label, TRUE);
  byok_test_ui_iterate_pending ();
  /* GtkEditableLabel (GTK 4.8) stops editing 100 ms after a focus-out, from
   * a timeout holding no reference to the label: move the focus away and
   * let that timeout run while the label is alive (closing the window with
   * the focus in it would leave the timeout behind). */
  gtk_window_set_focus (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (label))), NULL);
  {
    gboolean done = FALSE;

    g_timeout_add (150, timeout_cb, &done);
    while (!done)
      g_main_context_iteration (NULL, TRUE);
  }
  byok_test_ui_iterate_pending ();
}

static void
test_edit_price (Fixture       *fixture,
                 gconstpointer  data)
{
  ByokPricing *pricing = byok_engine_get_pricing (fixture->engine);
  ByokPriceTable *table;
  ByokWhatIfList *list;
  GtkEditableLabel *cell;
  GtkToggleButton *show_all;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  ByokPrice price;
  gboolean is_override;

  byok_usage_page_set_engine (fixture->page, fixture->engine);
  record_today (fixture);
  wait_idle (fixture->page);

  /* Every model, so gpt-4o is among the rows */
  list = BYOK_WHAT_IF_LIST (byok_test_ui_find_descendant (GTK_WIDGET (fixture->page), BYOK_TYPE_WHAT_IF_LIST));
  show_all = GTK_TOGGLE_BUTTON (byok_test_ui_find_descendant (GTK_WIDGET (list), GTK_TYPE_TOGGLE_BUTTON));
  gtk_toggle_button_set_active (show_all, TRUE);
  byok_test_ui_iterate_pending ();
  /* The period's priced usage (glm-4 left out): 35,000 in (2,000 cached),
   * 3,500 out. On gpt-4o: 33,000 × 2.5 + 2,000 × 1.25 + 3,500 × 10 = $0.12 */
  g_assert_cmpstr (what_if_cost (fixture->page, "openai/gpt-4o"), ==, "$0.12");

  table = BYOK_PRICE_TABLE (byok_test_ui_find_descendant (GTK_WIDGET (fixture->page), BYOK_TYPE_PRICE_TABLE));
  g_assert_cmpuint (g_list_model_get_n_items (byok_price_table_get_model (table)), >, 40);

  /* Scroll the row into view: show only gpt-4o's row */
  gtk_editable_set_text (GTK_EDITABLE (byok_test_ui_find_descendant (GTK_WIDGET (table), GTK_TYPE_SEARCH_ENTRY)), "openai/gpt-4o");
  {
    gboolean timed_out = FALSE;
    guint id = g_timeout_add_seconds (byok_test_wait_limit (10), timeout_cb, &timed_out);

    while (!timed_out && price_cell (table, "gpt-4o", 2) == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_false (timed_out);
    g_source_remove (id);
  }
  cell = price_cell (table, "gpt-4o", 2);   /* input */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cell)), ==, "$2.50");

  /* Not a price: refused with a message, nothing saved */
  edit (cell, "abc");
  g_assert_nonnull (byok_price_table_get_error (table));
  g_assert_nonnull (strstr (byok_price_table_get_error (table), "not a price"));
  g_assert_true (has_visible_label (GTK_WIDGET (table), byok_price_table_get_error (table)));
  g_assert_false (byok_pricing_has_override (pricing, "openai", "gpt-4o"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cell)), ==, "$2.50");
  edit (price_cell (table, "gpt-4o", 5), "-3");   /* output */
  g_assert_nonnull (strstr (byok_price_table_get_error (table), "negative"));
  g_assert_false (byok_pricing_has_override (pricing, "openai", "gpt-4o"));

  /* A price: saved, in force, marked, repriced */
  edit (price_cell (table, "gpt-4o", 2), "1");
  g_assert_null (byok_price_table_get_error (table));
  g_assert_true (byok_pricing_lookup (pricing, "openai", "gpt-4o", &price, &is_override));
  g_assert_true (is_override);
  g_assert_cmpfloat (price.input, ==, 1);
  g_assert_cmpfloat (price.output, ==, 10);
  {
    g_autoptr(GPtrArray) stored = byok_usage_store_load_price_overrides (byok_engine_get_usage_store (fixture->engine), NULL);
    g_assert_cmpuint (stored->len, ==, 1);
  }
  byok_test_ui_iterate_pending ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (price_cell (table, "gpt-4o", 2))), ==, "$1.00");
  g_assert_true (has_visible_label (GTK_WIDGET (table), "Edited"));
  /* 33,000 × 1 + 2,000 × 1.25 + 3,500 × 10 = $0.0705 */
  g_assert_cmpstr (what_if_cost (fixture->page, "openai/gpt-4o"), ==, "$0.07");

  /* Reset */
  g_assert_true (byok_price_table_reset (table, "openai", "gpt-4o"));
  byok_test_ui_iterate_pending ();
  g_assert_false (byok_pricing_has_override (pricing, "openai", "gpt-4o"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (price_cell (table, "gpt-4o", 2))), ==, "$2.50");
  g_assert_false (has_visible_label (GTK_WIDGET (table), "Edited"));
  g_assert_cmpstr (what_if_cost (fixture->page, "openai/gpt-4o"), ==, "$0.12");
}

static void
test_budget_alert (Fixture       *fixture,
                   gconstpointer  data)
{
  ByokUsageStore *store = byok_engine_get_usage_store (fixture->engine);
  ByokBudgetGroup *group;
  g_autoptr(ByokBudget) budget = NULL;
  g_autofree char *scope = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *overlay;
  guint percent = 0;

  byok_usage_page_set_engine (fixture->page, fixture->engine);
  record_today (fixture);
  wait_idle (fixture->page);

  /* $0.08 spent; a $0.10 budget set in the page is 80% used */
  group = BYOK_BUDGET_GROUP (byok_test_ui_find_descendant (GTK_WIDGET (fixture->page), BYOK_TYPE_BUDGET_GROUP));
  gtk_spin_button_set_value (byok_budget_group_get_spin_button (group, "all"), 0.10);
  budget = byok_usage_store_get_budget (store, "all", &error);
  g_assert_no_error (error);
  g_assert_nonnull (budget);
  g_assert_cmpfloat_with_epsilon (budget->monthly_usd, 0.10, 1e-9);
  g_assert_false (budget->hard_stop);
  g_assert_nonnull (byok_budget_group_get_spin_button (group, "openai"));
  g_assert_null (byok_budget_group_get_spin_button (group, "ollama"));

  /* What the engine does after a call: check, and alert once. */
  g_assert_true (byok_usage_store_check_budget (store, "openai", &percent, &scope, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (percent, ==, 80);
  g_assert_cmpstr (scope, ==, "all");
  g_signal_emit_by_name (fixture->engine, "budget-alert", scope, percent);
  byok_test_ui_iterate_pending ();

  overlay = byok_test_ui_find_descendant (fixture->window, ADW_TYPE_TOAST_OVERLAY);
  g_assert_true (has_visible_label (overlay, "80% of the monthly budget for all providers used"));

  /* …and a desktop notification, through the default application */
  {
    gboolean timed_out = FALSE;
    guint id = g_timeout_add_seconds (byok_test_wait_limit (10), timeout_cb, &timed_out);

    while (!timed_out && notified_summary == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_false (timed_out);
    g_source_remove (id);
  }
  g_assert_cmpstr (notified_summary, ==, "80% of the monthly budget for all providers used");
  /* …with where the month is heading (today's calls alone: the 7-day pace). */
  g_assert_true (g_str_has_prefix (notified_body, "$0.08 of $0.10 spent this month. At this pace (7-day) you "));
  g_assert_true (g_str_has_suffix (notified_body, "$0.10 budget this month.") ||
                 strstr (notified_body, "you reach your $0.10 budget on ") != NULL);
  g_clear_pointer (&notified_summary, g_free);

  /* A provider's budget, used up, with the hard stop on */
  {
    g_autoptr(GPtrArray) switches = g_ptr_array_new ();
    GtkWidget *hard_stop = NULL;

    /* The visible one: an expander row has a hidden switch of its own. */
    byok_test_ui_collect (GTK_WIDGET (group), GTK_TYPE_SWITCH, switches);
    for (guint i = 0; i < switches->len; i++)
      if (gtk_widget_is_visible (g_ptr_array_index (switches, i)))
        hard_stop = g_ptr_array_index (switches, i);
    g_assert_nonnull (hard_stop);
    gtk_switch_set_active (GTK_SWITCH (hard_stop), TRUE);
  }
  gtk_spin_button_set_value (byok_budget_group_get_spin_button (group, "openai"), 0.05);
  {
    g_autoptr(ByokBudget) all = byok_usage_store_get_budget (store, "all", NULL);
    g_autoptr(ByokBudget) openai = byok_usage_store_get_budget (store, "openai", NULL);
    g_autoptr(GError) blocked = NULL;
    g_autofree char *crossed = NULL;

    g_assert_true (all->hard_stop);
    g_assert_true (openai->hard_stop);
    g_assert_false (byok_usage_store_check_budget (store, "openai", &percent, &crossed, &blocked));
    g_assert_error (blocked, BYOK_ERROR, BYOK_ERROR_BUDGET);
    g_assert_cmpuint (percent, ==, 100);
    g_signal_emit_by_name (fixture->engine, "budget-alert", crossed, percent);
    byok_test_ui_iterate_pending ();
    g_assert_true (has_visible_label (overlay, "Monthly budget for OpenAI used up"));
    while (notified_summary == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpstr (notified_summary, ==, "Monthly budget for OpenAI used up");
    g_assert_true (g_str_has_prefix (notified_body, "$0.05 of $0.05 spent this month. New calls are stopped"));
  }

  /* 0 removes a budget */
  gtk_spin_button_set_value (byok_budget_group_get_spin_button (group, "openai"), 0);
  g_assert_null (byok_usage_store_get_budget (store, "openai", NULL));
}

static void
test_narrow (Fixture       *fixture,
             gconstpointer  data)
{
  int min_width = 0;

  byok_usage_page_set_engine (fixture->page, fixture->engine);
  record_today (fixture);
  wait_idle (fixture->page);

  gtk_widget_measure (GTK_WIDGET (fixture->page), GTK_ORIENTATION_HORIZONTAL, -1,
                      &min_width, NULL, NULL, NULL);
  g_assert_cmpint (min_width, <=, 360);
}

/* ---- real calls ---------------------------------------------------------- */

static ByokTestReply *
stream_reply (const char *dialect,
              const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", dialect, name, NULL);
  g_autofree char *body = NULL;
  ByokTestReply *reply = byok_test_reply_new (200);

  g_assert_true (g_file_get_contents (path, &body, NULL, NULL));
  byok_test_reply_add_header (reply, "Content-Type", "text/event-stream");
  byok_test_reply_add_chunk (reply, body);
  byok_test_reply_set_split (reply, 64);
  return reply;
}

/* One chat through the engine, as the Chat page sends it. */
static ByokChatResult *
chat (Fixture    *fixture,
      const char *provider,
      const char *model)
{
  g_autoptr(ByokChatRequest) request = byok_chat_request_new_simple (model, NULL, "Hello");
  g_autoptr(ByokChatCall) call = NULL;
  g_autoptr(GAsyncResult) async = NULL;

  request->stream = TRUE;
  call = byok_engine_new_chat (fixture->engine, request, provider, NULL, NULL, 0);
  byok_chat_call_run_async (call, NULL, byok_test_store_result, &async);
  byok_test_wait_result (&async);
  return byok_chat_call_run_finish (call, async);
}

/* What a breakdown row must show, from the calls' own results. */
typedef struct {
  const char *provider;
  const char *model;
  guint64     calls;
  guint64     errors;
  guint64     input;
  guint64     output;
  guint64     cached;
  double      cost;
  double      savings;
  GArray     *latencies;   /* of the successful attempts */
} Row;

static void
row_add (Fixture              *fixture,
         Row                  *row,
         const ByokChatResult *result)
{
  ByokPricing *pricing = byok_engine_get_pricing (fixture->engine);

  for (guint i = 0; i < result->attempts->len; i++)
    {
      const ByokAttempt *attempt = g_ptr_array_index (result->attempts, i);
      double cost = attempt->cost_usd;
      ByokPrice price;

      g_assert_true (attempt->cost_known);
      row->calls++;
      row->input += attempt->usage.input_tokens;
      row->output += attempt->usage.output_tokens;
      row->cached += attempt->usage.cached_input_tokens;
      row->cost += cost;
      if (attempt->error != NULL)
        row->errors++;
      else
        g_array_append_val (row->latencies, attempt->latency_us);
      if (attempt->usage.cached_input_tokens > 0 &&
          byok_pricing_lookup (pricing, row->provider, row->model, &price, NULL))
        row->savings += attempt->usage.cached_input_tokens * (price.input - price.cached_input) / 1e6;
    }
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* The row's cells as the breakdown writes them. */
static char *
row_text (Fixture   *fixture,
          const Row *row)
{
  ByokCatalog *catalog = byok_engine_get_catalog (fixture->engine);
  ByokModel *model = byok_catalog_lookup_model (catalog, row->provider, row->model);
  g_autofree char *calls = byok_format_count ((gint64) row->calls);
  g_autofree char *input = byok_format_tokens ((gint64) row->input);
  g_autofree char *output = byok_format_tokens ((gint64) row->output);
  g_autofree char *cached = byok_format_tokens ((gint64) row->cached);
  g_autofree char *cost = byok_format_usd (row->cost);
  g_autofree char *latency = NULL;
  g_autofree char *errors = NULL;

  if (row->latencies->len > 0)
    {
      /* Nearest rank: the median of two is the smaller. */
      g_array_sort (row->latencies, compare_gint64);
      latency = byok_format_duration_us (g_array_index (row->latencies, gint64, (row->latencies->len + 1) / 2 - 1));
    }
  else
    latency = g_strdup ("—");
  errors = row->errors == 0 ? g_strdup ("0%")
                            : g_strdup_printf ("%.0f%%", 100.0 * (double) row->errors / (double) row->calls);

  return g_strjoin (" | ",
                    byok_provider_get_name (byok_catalog_lookup_provider (catalog, row->provider)),
                    byok_model_get_name (model), calls, input, output, cached, cost, latency, errors, NULL);
}

/* The visible labels of each row the column view shows, joined like
 * row_text(). */
static GPtrArray *
shown_rows (ByokUsageBreakdown *breakdown)
{
  GtkWidget *list = byok_test_ui_find_descendant (GTK_WIDGET (breakdown), GTK_TYPE_LIST_VIEW);
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);

  g_assert_nonnull (list);
  for (GtkWidget *child = gtk_widget_get_first_child (list); child; child = gtk_widget_get_next_sibling (child))
    {
      g_autoptr(GPtrArray) labels = g_ptr_array_new ();
      g_autoptr(GStrvBuilder) texts = g_strv_builder_new ();
      g_auto(GStrv) strv = NULL;

      if (!gtk_widget_get_visible (child))
        continue;
      byok_test_ui_collect (child, GTK_TYPE_LABEL, labels);
      for (guint i = 0; i < labels->len; i++)
        if (gtk_widget_get_visible (g_ptr_array_index (labels, i)))
          g_strv_builder_add (texts, gtk_label_get_label (g_ptr_array_index (labels, i)));
      strv = g_strv_builder_end (texts);
      if (strv[0] != NULL)
        g_ptr_array_add (rows, g_strjoinv (" | ", strv));
    }
  return rows;
}

static void
test_real_calls (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(ByokTestServer) server = byok_test_server_new ();
  g_autofree char *openai_base = g_strconcat (byok_test_server_get_url (server), "/v1", NULL);
  ByokCatalog *catalog = byok_engine_get_catalog (fixture->engine);
  Row rows[] = {
    { .provider = "openai", .model = "gpt-4o-mini" },
    { .provider = "anthropic", .model = "claude-sonnet-4-20250514" },
    { .provider = "openai", .model = "gpt-4o" },
  };
  ByokUsageBreakdown *breakdown;
  GListModel *items;
  g_autoptr(GPtrArray) shown = NULL;
  double cost = 0, savings = 0;
  guint64 cached = 0;
  ByokChatResult *result;

  byok_provider_set_base_url (byok_catalog_lookup_provider (catalog, "openai"), openai_base);
  byok_provider_set_base_url (byok_catalog_lookup_provider (catalog, "anthropic"), byok_test_server_get_url (server));
  byok_client_set_backoff_base_ms (byok_engine_get_client (fixture->engine), 5);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    rows[i].latencies = g_array_new (FALSE, FALSE, sizeof (gint64));

  byok_usage_page_set_engine (fixture->page, fixture->engine);
  wait_idle (fixture->page);

  /* Two gpt-4o-mini answers (1,234 in, 1,024 of them cached, 89 out
   * each), a Claude answer with cache reads and writes, and a gpt-4o call
   * refused with 401. */
  byok_test_server_add_reply (server, "/v1/chat/completions", stream_reply ("openai", "openai-stream.sse"));
  byok_test_server_add_reply (server, "/v1/chat/completions", stream_reply ("openai", "openai-stream.sse"));
  byok_test_server_add_reply (server, "/v1/chat/completions",
                              byok_test_reply_new_json (401, "{\"error\": {\"message\": \"Incorrect API key provided.\", "
                                                             "\"type\": \"invalid_request_error\", \"code\": \"invalid_api_key\"}}"));
  byok_test_server_add_reply (server, "/v1/messages", stream_reply ("anthropic", "stream-thinking.sse"));

  for (guint i = 0; i < 2; i++)
    {
      result = chat (fixture, "openai", "gpt-4o-mini");
      g_assert_no_error (result->error);
      g_assert_cmpint (result->usage.input_tokens, ==, 1234);
      g_assert_cmpint (result->usage.cached_input_tokens, ==, 1024);
      g_assert_cmpint (result->usage.output_tokens, ==, 89);
      row_add (fixture, &rows[0], result);
      byok_chat_result_unref (result);
    }
  result = chat (fixture, "anthropic", "claude-sonnet-4-20250514");
  g_assert_no_error (result->error);
  g_assert_cmpint (result->usage.cached_input_tokens, ==, 3000);
  g_assert_cmpint (result->usage.output_tokens, ==, 42);
  row_add (fixture, &rows[1], result);
  byok_chat_result_unref (result);
  result = chat (fixture, "openai", "gpt-4o");
  g_assert_error (result->error, BYOK_ERROR, BYOK_ERROR_AUTH);
  g_assert_cmpuint (result->attempts->len, ==, 1);
  row_add (fixture, &rows[2], result);
  byok_chat_result_unref (result);

  /* The keys came from the environment. */
  g_assert_cmpuint (byok_test_server_get_n_requests (server), ==, 4);
  g_assert_cmpstr (soup_message_headers_get_one (byok_test_server_get_request (server, 0)->headers, "Authorization"),
                   ==, "Bearer " OPENAI_KEY);
  g_assert_cmpstr (soup_message_headers_get_one (byok_test_server_get_request (server, 2)->headers, "x-api-key"),
                   ==, ANTHROPIC_KEY);

  /* The calls refreshed the page. */
  wait_idle (fixture->page);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      cost += rows[i].cost;
      savings += rows[i].savings;
      cached += rows[i].cached;
    }
  g_assert_cmpfloat (cost, >, 0);
  g_assert_cmpfloat (savings, >, 0);
  g_assert_cmpfloat (rows[2].cost, ==, 0);
  {
    g_autofree char *value = byok_format_usd (cost);
    g_autofree char *savings_value = byok_format_usd (savings);
    g_autofree char *tokens = byok_format_tokens ((gint64) cached);
    g_autofree char *savings_detail = g_strdup_printf ("%s cached tokens\nin the last 30 days", tokens);

    g_test_message ("cost %s, savings %s", value, savings_value);
    g_assert_cmpstr (byok_summary_card_get_value (card (fixture->page, "Today")), ==, value);
    g_assert_cmpstr (byok_summary_card_get_detail (card (fixture->page, "Today")), ==, "4 calls · 1 failed");
    g_assert_cmpstr (byok_summary_card_get_value (card (fixture->page, "This Month")), ==, value);
    /* Where the month is heading: calls of today alone, the 7-day pace. */
    g_assert_true (g_str_has_prefix (byok_summary_card_get_detail (card (fixture->page, "This Month")),
                                     "4 calls · 1 failed\nOn pace for $"));
    g_assert_true (g_str_has_suffix (byok_summary_card_get_detail (card (fixture->page, "This Month")),
                                     "(7-day pace)"));
    g_assert_cmpstr (byok_summary_card_get_value (card (fixture->page, "Last 30 Days")), ==, value);
    g_assert_cmpstr (byok_summary_card_get_detail (card (fixture->page, "Last 30 Days")), ==, "4 calls · 1 failed");
    g_assert_cmpstr (byok_summary_card_get_value (card (fixture->page, "Cache Savings")), ==, savings_value);
    g_assert_cmpstr (byok_summary_card_get_detail (card (fixture->page, "Cache Savings")), ==, savings_detail);
  }

  /* The breakdown: one row per model, exactly the calls' figures. */
  breakdown = BYOK_USAGE_BREAKDOWN (byok_test_ui_find_descendant (GTK_WIDGET (fixture->page), BYOK_TYPE_USAGE_BREAKDOWN));
  items = byok_usage_breakdown_get_model (breakdown);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, G_N_ELEMENTS (rows));
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      const ByokUsageGroup *group = NULL;

      for (guint j = 0; j < g_list_model_get_n_items (items) && group == NULL; j++)
        {
          g_autoptr(ByokUsageGroupItem) item = g_list_model_get_item (items, j);
          const ByokUsageGroup *g = byok_usage_group_item_get_group (item);

          if (g_str_equal (g->provider, rows[i].provider) && g_str_equal (g->model, rows[i].model))
            group = g;
        }
      g_assert_nonnull (group);
      g_assert_cmpuint (group->totals.calls, ==, rows[i].calls);
      g_assert_cmpuint (group->totals.errors, ==, rows[i].errors);
      g_assert_cmpuint (group->totals.input_tokens, ==, rows[i].input);
      g_assert_cmpuint (group->totals.output_tokens, ==, rows[i].output);
      g_assert_cmpuint (group->totals.cached_input_tokens, ==, rows[i].cached);
      g_assert_cmpuint (group->totals.unknown_price_calls, ==, 0);
      g_assert_cmpfloat_with_epsilon (group->totals.cost_usd, rows[i].cost, 1e-12);
      g_assert_cmpfloat_with_epsilon (group->totals.cache_savings_usd, rows[i].savings, 1e-12);
      g_assert_cmpfloat (group->totals.error_rate, ==, (double) rows[i].errors / (double) rows[i].calls);
    }
  g_assert_cmpuint (rows[0].calls, ==, 2);
  g_assert_cmpuint (rows[0].input, ==, 2468);
  g_assert_cmpuint (rows[0].cached, ==, 2048);
  g_assert_cmpuint (rows[0].output, ==, 178);
  g_assert_cmpuint (rows[2].errors, ==, 1);

  /* …and on screen, cell by cell. */
  shown = shown_rows (breakdown);
  for (guint i = 0; i < shown->len; i++)
    g_test_message ("shown: %s", (const char *) g_ptr_array_index (shown, i));
  g_assert_cmpuint (shown->len, ==, G_N_ELEMENTS (rows));
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *expected = row_text (fixture, &rows[i]);
      gboolean found = FALSE;

      for (guint j = 0; j < shown->len && !found; j++)
        found = g_str_equal (g_ptr_array_index (shown, j), expected);
      if (!found)
        g_error ("no row shows “%s”", expected);
    }

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_array_unref (rows[i].latencies);
}

/* A month of realistic calls, for screenshots. */
static void
demo (void)
{
  Fixture fixture = { 0, };
  static const struct {
    const char *provider;
    const char *model;
    gint64 input;
    gint64 cached;
    gint64 output;
    int per_day;
  } mix[] = {
    { "anthropic", "claude-sonnet-4-5-20250929", 18000, 12000, 1200, 9 },
    { "openai", "gpt-5-mini", 6000, 2000, 900, 14 },
    { "openai", "gpt-4.1", 12000, 0, 700, 3 },
    { "gemini", "gemini-2.5-flash", 25000, 0, 1500, 6 },
    { "deepseek", "deepseek-chat", 9000, 6000, 1100, 8 },
    { "moonshot", "kimi-k2-0905-preview", 15000, 5000, 1800, 4 },
    { "zhipu", "glm-4", 3000, 0, 400, 1 },
  };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  gboolean done = FALSE;

  fixture_setup (&fixture, NULL);
  /* A header bar above the page, as in the app's window */
  {
    GtkWidget *overlay = byok_test_ui_find_descendant (fixture.window, ADW_TYPE_TOAST_OVERLAY);
    GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
    GtkWidget *header = adw_header_bar_new ();

    g_object_ref (overlay);
    adw_window_set_content (ADW_WINDOW (fixture.window), NULL);
    adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new ("Usage", NULL));
    gtk_widget_set_vexpand (overlay, TRUE);
    gtk_box_append (GTK_BOX (box), header);
    gtk_box_append (GTK_BOX (box), overlay);
    g_object_unref (overlay);
    adw_window_set_content (ADW_WINDOW (fixture.window), box);
  }
  gtk_window_set_default_size (GTK_WINDOW (fixture.window),
                               g_getenv ("BYOK_DEMO_WIDTH") ? atoi (g_getenv ("BYOK_DEMO_WIDTH")) : 1280,
                               g_getenv ("BYOK_DEMO_HEIGHT") ? atoi (g_getenv ("BYOK_DEMO_HEIGHT")) : 900);
  for (int day = 29; day >= 0; day--)
    {
      g_autoptr(GDateTime) when = g_date_time_add_days (now, -day);

      for (guint m = 0; m < G_N_ELEMENTS (mix); m++)
        {
          int n = g_rand_int_range (rand, 0, mix[m].per_day + 1);

          for (int i = 0; i < n; i++)
            {
              double f = g_rand_double_range (rand, 0.4, 1.8);

              gint64 time_us = g_date_time_to_unix (when) * G_USEC_PER_SEC -
                               g_rand_int_range (rand, 0, 3600) * G_USEC_PER_SEC;
              ByokTestCall call = {
                mix[m].provider, mix[m].model, (gint64) (mix[m].input * f), (gint64) (mix[m].cached * f),
                (gint64) (mix[m].output * f), 0, g_rand_int_range (rand, 600, 4000),
                g_rand_int_range (rand, 0, 40) == 0 ? "SERVER" : NULL,
              };

              byok_test_record_call (byok_engine_get_usage_store (fixture.engine),
                                     byok_engine_get_pricing (fixture.engine), time_us, &call);
            }
        }
    }
  /* And one call cut off today when byok-cli was killed mid-answer. */
  {
    ByokUsageStore *store = byok_engine_get_usage_store (fixture.engine);
    ByokUsageRecord sent = {
      .provider = (char *) "anthropic", .model = (char *) "claude-sonnet-4-5-20250929", .input_tokens = 12000,
      .price_known = TRUE, .cost_usd = 0.036, .ttft_us = -1, .attempt = 1, .estimated = TRUE,
    };

    byok_usage_store_begin_call (store, &sent, "killed-demo-process", NULL);
    byok_usage_store_interrupt_calls (store, "killed-demo-process", NULL);
  }
  byok_usage_store_set_budget (byok_engine_get_usage_store (fixture.engine), "all", 40, FALSE, NULL);
  byok_usage_page_set_engine (fixture.page, fixture.engine);
  wait_idle (fixture.page);
  if (g_getenv ("BYOK_DEMO_SCROLL") != NULL)
    {
      g_autoptr(GPtrArray) all = g_ptr_array_new ();
      GtkScrolledWindow *scrolled = NULL;
      GtkAdjustment *adjustment;
      gboolean laid_out = FALSE;

      /* The page's own: mapped, never scrolling sideways */
      byok_test_ui_collect (GTK_WIDGET (fixture.page), GTK_TYPE_SCROLLED_WINDOW, all);
      for (guint i = 0; i < all->len; i++)
        {
          GtkPolicyType h;

          gtk_scrolled_window_get_policy (g_ptr_array_index (all, i), &h, NULL);
          if (h == GTK_POLICY_NEVER && gtk_widget_get_mapped (g_ptr_array_index (all, i)))
            scrolled = g_ptr_array_index (all, i);
        }
      g_assert_nonnull (scrolled);
      adjustment = gtk_scrolled_window_get_vadjustment (scrolled);

      g_timeout_add (500, timeout_cb, &laid_out);
      while (!laid_out)
        g_main_context_iteration (NULL, TRUE);
      gtk_adjustment_set_value (adjustment, g_ascii_strtod (g_getenv ("BYOK_DEMO_SCROLL"), NULL) *
                                (gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment)));
    }
  g_timeout_add_seconds (atoi (g_getenv ("BYOK_USAGE_PAGE_DEMO")), timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  fixture_teardown (&fixture, NULL);
}

static gboolean
has_dialog (gpointer data)
{
  return byok_price_checker_get_dialog (data) != NULL;
}

static gboolean
find_button_matches (GtkWidget     *widget,
                     gconstpointer  data)
{
  const char *label = data;

  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0 &&
         gtk_widget_is_visible (widget);
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  return byok_test_ui_find_first (widget, find_button_matches, label);
}

static gboolean
toast_shown (gpointer data)
{
  return find_button (data, "_Review") != NULL;
}

static gboolean
not_busy_checker (gpointer data)
{
  return !byok_price_checker_get_busy (data);
}

static gboolean
list_has_model (GListModel *model,
                const char *provider,
                const char *id)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(ByokPriceItem) item = g_list_model_get_item (model, i);
      const ByokPriceRow *row = byok_price_item_get_row (item);

      if (g_str_equal (row->provider_id, provider) && g_str_equal (row->model_id, id))
        return TRUE;
    }
  return FALSE;
}

/* "Check for Updates" beside the price table: the changes in a dialog
 * before anything applies; applied, the table and catalog follow. With
 * "keep prices current" on, a daily check offers a review in a toast. */
static void
test_price_update (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(ByokTestServer) server = byok_test_server_new ();
  g_autoptr(GSettings) settings = g_settings_new ("io.github.byok.Byok");
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "prices", "data-new-prices.json", NULL);
  g_autofree char *next_path = g_test_build_filename (G_TEST_DIST, "fixtures", "prices", "data-next.json", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *next_contents = NULL;
  g_autofree char *url = NULL;
  ByokCatalog *catalog = byok_engine_get_catalog (fixture->engine);
  ByokPriceChecker *checker;
  GtkWidget *dialog;
  GtkWidget *button;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_file_get_contents (next_path, &next_contents, NULL, NULL));
  byok_test_server_add_reply (server, "/prices.json", byok_test_reply_new_json (200, contents));
  byok_test_server_add_reply (server, "/prices.json", byok_test_reply_new_json (200, next_contents));
  url = g_strconcat (byok_test_server_get_url (server), "/prices.json", NULL);
  g_settings_set_string (settings, "price-list-url", url);
  g_settings_set_boolean (settings, "keep-prices-current", FALSE);
  g_settings_set_int64 (settings, "prices-checked", 0);

  byok_usage_page_set_engine (fixture->page, fixture->engine);
  wait_idle (fixture->page);
  checker = BYOK_PRICE_CHECKER (byok_test_ui_find_descendant (GTK_WIDGET (fixture->page), BYOK_TYPE_PRICE_CHECKER));
  g_assert_nonnull (checker);
  /* off by default: nothing was fetched */
  g_assert_cmpuint (byok_test_server_get_n_requests (server), ==, 0);

  button = find_button (GTK_WIDGET (checker), "Check for Updates");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  byok_test_ui_iterate_until (has_dialog, checker, "the price update dialog");
  dialog = byok_price_checker_get_dialog (checker);
  g_assert_true (gtk_widget_get_visible (dialog));
  g_assert_true (has_visible_label (dialog, "2 Prices Change"));
  g_assert_true (has_visible_label (dialog, "2 New Models"));
  g_assert_true (has_visible_label (dialog, "GPT-7 Test · OpenAI"));
  g_assert_true (has_visible_label (dialog, "Input $0.22 → $0.20 · Cached $0.007 → $0.005 · Output $0.66 → $0.60"));
  g_assert_true (has_visible_label (dialog, "$3.00 in · $18.00 out · 2M tokens"));
  byok_test_ui_screenshot (dialog, "price-update-dialog");
  /* nothing applies until the person says so */
  g_assert_cmpfloat_with_epsilon (byok_model_get_price (byok_catalog_lookup_model (catalog, "deepseek", "deepseek-v4-flash"))->input,
                                  0.22, 1e-9);

  byok_test_ui_answer_alert (dialog, "apply");
  byok_test_ui_iterate_pending ();
  g_assert_cmpfloat_with_epsilon (byok_model_get_price (byok_catalog_lookup_model (catalog, "deepseek", "deepseek-v4-flash"))->input,
                                  0.2, 1e-9);
  g_assert_true (list_has_model (byok_price_table_get_model (BYOK_PRICE_TABLE (byok_test_ui_find_descendant (GTK_WIDGET (fixture->page), BYOK_TYPE_PRICE_TABLE))), "openai", "gpt-7-test"));
  byok_test_ui_iterate_pending ();
  record_today (fixture);
  wait_idle (fixture->page);
  byok_test_ui_screenshot (gtk_widget_get_ancestor (GTK_WIDGET (checker), ADW_TYPE_PREFERENCES_GROUP), "price-update-group");

  /* A check asked for counts as the day's check. */
  g_assert_cmpint (g_settings_get_int64 (settings, "prices-checked"), >, 0);
  /* The daily check: on, and due. It says what it found in a toast. */
  g_settings_set_int64 (settings, "prices-checked", 0);
  g_settings_set_boolean (settings, "keep-prices-current", TRUE);
  byok_test_ui_iterate_until (not_busy_checker, checker, "the daily price check");
  g_assert_cmpuint (byok_test_server_get_n_requests (server), ==, 2);
  g_assert_cmpint (g_settings_get_int64 (settings, "prices-checked"), >, 0);
  byok_test_ui_iterate_until (toast_shown, fixture->window, "the toast offering a review");
  byok_test_ui_screenshot (fixture->window, "price-update-toast");
  g_signal_emit_by_name (find_button (fixture->window, "_Review"), "clicked");
  byok_test_ui_iterate_until (has_dialog, checker, "the price update dialog");
  dialog = byok_price_checker_get_dialog (checker);
  g_assert_true (has_visible_label (dialog, "2 Models Go"));
  byok_test_ui_answer_alert (dialog, "cancel");
  byok_test_ui_iterate_pending ();
  /* not applied */
  g_assert_nonnull (byok_catalog_lookup_model (catalog, "openai", "gpt-7-test"));

  g_settings_reset (settings, "keep-prices-current");
  g_settings_reset (settings, "price-list-url");
  g_settings_reset (settings, "prices-checked");
}

int
main (int argc, char **argv)
{
  g_autoptr(AdwApplication) app = NULL;

  /* Keys for the real calls, from the environment as a user's would be;
   * set before any thread starts. */
  g_setenv ("OPENAI_API_KEY", OPENAI_KEY, TRUE);
  g_setenv ("ANTHROPIC_API_KEY", ANTHROPIC_KEY, TRUE);

  byok_test_ui_init (&argc, &argv, NULL);

  start_notification_server ();

  /* The page sends notifications through the default application. */
  app = adw_application_new ("io.github.byok.Byok.TestUsagePage", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  g_application_set_default (G_APPLICATION (app));

  if (g_getenv ("BYOK_USAGE_PAGE_DEMO") != NULL)
    {
      demo ();
      return 0;
    }

  g_test_add ("/usage-page/totals", Fixture, NULL, fixture_setup, test_totals, fixture_teardown);
  g_test_add ("/usage-page/interrupted", Fixture, NULL, fixture_setup, test_interrupted, fixture_teardown);
  g_test_add ("/usage-page/estimated-tokens", Fixture, NULL, fixture_setup, test_estimated_tokens, fixture_teardown);
  g_test_add ("/usage-page/edit-price", Fixture, NULL, fixture_setup, test_edit_price, fixture_teardown);
  g_test_add ("/usage-page/budget-alert", Fixture, NULL, fixture_setup, test_budget_alert, fixture_teardown);
  g_test_add ("/usage-page/narrow", Fixture, NULL, fixture_setup, test_narrow, fixture_teardown);
  g_test_add ("/usage-page/real-calls", Fixture, NULL, fixture_setup, test_real_calls, fixture_teardown);
  g_test_add ("/usage-page/price-update", Fixture, NULL, fixture_setup, test_price_update, fixture_teardown);
  return g_test_run ();
}
