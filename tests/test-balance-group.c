/* test-balance-group.c — the Balances group of the Usage page under Xvfb,
 * against the test server playing DeepSeek and OpenRouter: opening it reads
 * the balances; a row says what is left and how long it lasts at the
 * 30-day pace of the recorded calls; a failed read says why and keeps the
 * value read before, with its time; a provider without a key has no row;
 * Refresh reads again; the threshold is kept; every control has a name. A
 * screenshot goes to BYOK_TEST_SCREENSHOT_DIR. */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "byok-balance-group.h"
#include "byok-test-engine.h"
#include "byok-test-server.h"
#include "byok-test-ui.h"
#include "byok-test-util.h"

#define DEEPSEEK_KEY   "sk-test-fake-deepseek-group-0001"
#define OPENROUTER_KEY "sk-or-v1-test-fake-group-0002"

typedef struct {
  char           *dir;
  ByokEngine     *engine;
  ByokTestServer *server;
  GtkWidget      *window;
  ByokBalanceGroup *group;
} Fixture;

static void
reply (Fixture    *f,
       const char *path,
       guint       status,
       const char *body)
{
  byok_test_server_add_reply (f->server, path, byok_test_reply_new_json (status, body));
}

static void
record_spend (Fixture *f,
              double   usd,
              int      days_ago)
{
  byok_test_record_usage (byok_engine_get_usage_store (f->engine), &(ByokUsageRecord) {
    .time_us = g_get_real_time () - (gint64) days_ago * 24 * 3600 * G_USEC_PER_SEC,
    .provider = (char *) "deepseek", .model = (char *) "deepseek-chat",
    .input_tokens = 1000, .output_tokens = 500, .price_known = TRUE, .cost_usd = usd,
    .latency_us = 1000,
  });
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char *env[] = { "DEEPSEEK_API_KEY=" DEEPSEEK_KEY, "OPENROUTER_API_KEY=" OPENROUTER_KEY, NULL };

  f->server = byok_test_server_new ();
  f->engine = byok_test_engine_new_served ("balance-group", &f->dir, env, f->server, "deepseek", "moonshot",
                                           "openrouter", NULL);
  byok_client_set_max_attempts (byok_engine_get_client (f->engine), 1);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  byok_test_ui_iterate_pending ();
  g_clear_object (&f->engine);
  g_clear_object (&f->server);
  byok_test_remove_tree (f->dir);
  g_free (f->dir);
}

static gboolean
nothing_reading (gpointer data)
{
  Fixture *f = data;
  ByokBalanceMonitor *monitor = byok_balance_monitor_get_for_engine (f->engine);

  return !byok_balance_monitor_is_refreshing (monitor, "deepseek") &&
         !byok_balance_monitor_is_refreshing (monitor, "openrouter") &&
         !byok_balance_monitor_is_refreshing (monitor, "moonshot");
}

static gboolean
pace_known (gpointer data)
{
  Fixture *f = data;

  return !isnan (byok_balance_monitor_get_pace (byok_balance_monitor_get_for_engine (f->engine), "deepseek"));
}

static void
open_group (Fixture *f)
{
  GtkWidget *page = adw_preferences_page_new ();

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 560, 520);
  f->group = g_object_new (BYOK_TYPE_BALANCE_GROUP, NULL);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (f->group));
  gtk_window_set_child (GTK_WINDOW (f->window), page);
  byok_balance_group_set_engine (f->group, f->engine);
  gtk_window_present (GTK_WINDOW (f->window));
  byok_test_ui_iterate_until (pace_known, f, "the pace");
  byok_test_ui_iterate_until (nothing_reading, f, "the balances read");
}

static const char *
subtitle_of (Fixture    *f,
             const char *provider_id)
{
  GtkWidget *row = byok_balance_group_get_row (f->group, provider_id);

  g_assert_nonnull (row);
  return adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row));
}

static void
test_rows (Fixture       *f,
           gconstpointer  data)
{
  ByokProviderSettings *settings = byok_engine_get_provider_settings (f->engine);
  g_autoptr(ByokBalance) old = byok_balance_new ("openrouter");
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  GtkSpinButton *spin;
  GtkWidget *button;
  guint before;

  /* $5.37 over the last 30 days: $0.179 a day. */
  record_spend (f, 3.00, 2);
  record_spend (f, 2.37, 20);
  /* OpenRouter was read yesterday; today it fails. */
  old->currency = g_strdup ("USD");
  /* Written as the UI writes money (byok_format_amount()): grouped. */
  old->available = 1234.5;
  old->checked_at = g_get_real_time () / G_USEC_PER_SEC - 24 * 3600;
  g_assert_true (byok_balance_save (settings, old, &error));

  reply (f, "/deepseek/user/balance", 200,
         "{\"is_available\": true, \"balance_infos\": [{\"currency\": \"USD\", \"total_balance\": \"4.12\","
         " \"granted_balance\": \"0.00\", \"topped_up_balance\": \"4.12\"}]}");
  reply (f, "/openrouter/api/v1/credits", 500, "{\"error\": {\"message\": \"Internal error\", \"code\": 500}}");

  open_group (f);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->group)));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (byok_balance_group_get_row (f->group, "deepseek"))),
                   ==, "DeepSeek");
  g_assert_true (g_str_has_prefix (subtitle_of (f, "deepseek"),
                                   "$4.12 left · at your 30-day pace, about 23 days\nRead at "));
  g_assert_true (g_str_has_prefix (subtitle_of (f, "openrouter"), "$1,234.50 left\nCould not be read at "));
  g_assert_nonnull (strstr (subtitle_of (f, "openrouter"), "The balance shown was read at "));
  /* Moonshot has no key: no row. */
  g_assert_null (byok_balance_group_get_row (f->group, "moonshot"));
  byok_test_ui_screenshot (f->window, "balance-group");

  /* The threshold is kept, and named for a screen reader. */
  spin = byok_balance_group_get_threshold_spin (f->group, "deepseek");
  gtk_spin_button_set_value (spin, 5);
  g_assert_cmpfloat_with_epsilon (byok_balance_get_threshold (settings, "deepseek"), 5, 1e-9);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Warn when the DeepSeek balance falls below, in US dollars");
  button = adw_preferences_group_get_header_suffix (ADW_PREFERENCES_GROUP (f->group));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Refresh Balances");

  /* Refresh reads again: OpenRouter works now. */
  before = byok_test_server_count_path (f->server, "/deepseek/user/balance");
  reply (f, "/deepseek/user/balance", 200,
         "{\"is_available\": true, \"balance_infos\": [{\"currency\": \"USD\", \"total_balance\": \"4.00\"}]}");
  reply (f, "/openrouter/api/v1/credits", 200, "{\"data\": {\"total_credits\": 20, \"total_usage\": 7.5}}");
  reply (f, "/openrouter/api/v1/key", 200, "{\"data\": {\"limit\": null, \"limit_remaining\": null, \"usage\": 7.5}}");
  g_signal_emit_by_name (button, "clicked");
  byok_test_ui_iterate_until (nothing_reading, f, "the balances read again");
  byok_test_ui_iterate_until (pace_known, f, "the pace");
  g_assert_cmpuint (byok_test_server_count_path (f->server, "/deepseek/user/balance"), ==, before + 1);
  g_assert_true (g_str_has_prefix (subtitle_of (f, "openrouter"), "$12.50 left · at") ||
                 g_str_has_prefix (subtitle_of (f, "openrouter"), "$12.50 left\nRead at "));
  label = g_strdup (subtitle_of (f, "deepseek"));
  g_assert_true (g_str_has_prefix (label, "$4.00 left"));
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("GTK_A11Y", "test", TRUE);
  byok_test_ui_init (&argc, &argv, NULL);

  g_test_add ("/balance-group/rows", Fixture, NULL, fixture_setup, test_rows, fixture_teardown);
  return g_test_run ();
}
