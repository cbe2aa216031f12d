/* test-bill-group.c — the providers' bills on the Usage page under Xvfb: an
 * OpenAI admin key in the keyring, its bill read from the test server and
 * shown beside Byok's figure, the difference flagged, day by day; an
 * Anthropic admin key typed in the row, a chat key refused there, then the
 * key saved, masked, and its bill read; Delete takes the key away.
 * Then a difference explained: the organization's usage by key, Byok's key
 * told from another, the period's parts and a differing day's.
 * BYOK_TEST_SCREENSHOT_DIR keeps bill-group.png and bill-explained.png.
 *
 * Runs inside build-aux/test-session (a real gnome-keyring, Xvfb). */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "byok-bill-group.h"
#include "byok-test-engine.h"
#include "byok-test-server.h"
#include "byok-test-ui.h"
#include "byok-test-util.h"

#define OPENAI_ADMIN_KEY    "sk-admin-Mv2fakeR8tK5wQ1zJ6-0001"
#define ANTHROPIC_ADMIN_KEY "sk-ant-admin01-Ty4fakeL9pC3nX7sD2-0002"
#define ANTHROPIC_CHAT_KEY  "sk-ant-api03-Bw8fakeG5hN1kV4rE6-0003"
#define OPENAI_CHAT_KEY     "sk-Hq5fakeD2mW7yT4-0004"

#define DAY_US ((gint64) 86400 * G_USEC_PER_SEC)

typedef struct {
  char           *dir;
  ByokEngine     *engine;
  ByokTestServer *server;
  GtkWidget      *window;
  ByokBillGroup  *group;
  gint64          today;     /* the start of today's UTC day */
} Fixture;

static void
record_call (Fixture    *f,
             const char *provider,
             gint64      time_us,
             double      usd)
{
  byok_test_record_usage (byok_engine_get_usage_store (f->engine), &(ByokUsageRecord) {
    .time_us = time_us, .provider = (char *) provider, .model = (char *) "some-model",
    .price_known = TRUE, .cost_usd = usd, .latency_us = 1000,
  });
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->engine = byok_test_engine_new_in_dir ("bill-group", &f->dir);
  byok_client_set_max_attempts (byok_engine_get_client (f->engine), 1);
  f->server = byok_test_server_new ();
  byok_test_point_provider (byok_engine_get_catalog (f->engine), "openai", f->server, "/v1");
  byok_test_point_provider (byok_engine_get_catalog (f->engine), "anthropic", f->server, "/anthropic");
  f->today = g_get_real_time () / DAY_US * DAY_US;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  byok_test_ui_iterate_pending ();
  byok_key_store_delete_admin_wait (byok_engine_get_key_store (f->engine), "openai", NULL, NULL);
  byok_key_store_delete_admin_wait (byok_engine_get_key_store (f->engine), "anthropic", NULL, NULL);
  g_clear_object (&f->engine);
  g_clear_object (&f->server);
  byok_test_remove_tree (f->dir);
  g_free (f->dir);
}

typedef struct {
  Fixture    *f;
  const char *provider_id;
  const char *text;
} SubtitleWait;

static const char *
subtitle_of (Fixture    *f,
             const char *provider_id)
{
  GtkWidget *row = byok_bill_group_get_row (f->group, provider_id);

  g_assert_nonnull (row);
  return adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row));
}

static gboolean
subtitle_has (gpointer data)
{
  SubtitleWait *wait = data;
  const char *subtitle = subtitle_of (wait->f, wait->provider_id);

  return subtitle != NULL && strstr (subtitle, wait->text) != NULL &&
         !byok_bill_group_is_busy (wait->f->group);
}

static void
wait_for_subtitle (Fixture    *f,
                   const char *provider_id,
                   const char *text)
{
  SubtitleWait wait = { f, provider_id, text };

  byok_test_ui_iterate_until (subtitle_has, &wait, text);
  g_test_message ("%s: %s", provider_id, subtitle_of (f, provider_id));
}

static gboolean
find_button_labelled_matches (GtkWidget     *widget,
                              gconstpointer  data)
{
  const char *label = data;

  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), label) == 0;
}

static GtkWidget *
find_button_labelled (GtkWidget  *widget,
                      const char *label)
{
  return byok_test_ui_find_first (widget, find_button_labelled_matches, label);
}

static gboolean
is_entry_row (GtkWidget     *widget,
              gconstpointer  data)
{
  return ADW_IS_ENTRY_ROW (widget);
}

static AdwEntryRow *
find_entry_row (GtkWidget *widget)
{
  return (AdwEntryRow *) byok_test_ui_find_first (widget, is_entry_row, NULL);
}

/* The group in a window of its own, showing the last seven days. */
static void
show_group (Fixture *f,
            int      width,
            int      height)
{
  GtkWidget *page = adw_preferences_page_new ();

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), width, height);
  f->group = g_object_new (BYOK_TYPE_BILL_GROUP, NULL);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (f->group));
  gtk_window_set_child (GTK_WINDOW (f->window), page);
  byok_bill_group_set_engine (f->group, f->engine);
  byok_bill_group_set_range (f->group, f->today - 6 * DAY_US, g_get_real_time ());
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
test_bills (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *openai_page = g_strdup_printf (
    "{\"object\":\"page\",\"data\":["
    "{\"object\":\"bucket\",\"start_time\":%" G_GINT64_FORMAT ",\"end_time\":%" G_GINT64_FORMAT ",\"results\":["
    "{\"object\":\"organization.costs.result\",\"amount\":{\"value\":1.25,\"currency\":\"usd\"},\"line_item\":null,\"project_id\":null}]},"
    "{\"object\":\"bucket\",\"start_time\":%" G_GINT64_FORMAT ",\"end_time\":%" G_GINT64_FORMAT ",\"results\":["
    "{\"object\":\"organization.costs.result\",\"amount\":{\"value\":0.50,\"currency\":\"usd\"},\"line_item\":null,\"project_id\":null}]}"
    "],\"has_more\":false,\"next_page\":null}",
    (f->today - DAY_US) / G_USEC_PER_SEC, f->today / G_USEC_PER_SEC,
    f->today / G_USEC_PER_SEC, (f->today + DAY_US) / G_USEC_PER_SEC);
  g_autoptr(GDateTime) today = g_date_time_new_from_unix_utc (f->today / G_USEC_PER_SEC);
  g_autofree char *today_iso = g_date_time_format (today, "%Y-%m-%dT00:00:00Z");
  g_autofree char *anthropic_page = g_strdup_printf (
    "{\"data\":[{\"starting_at\":\"%s\",\"ending_at\":\"%s\",\"results\":["
    "{\"currency\":\"USD\",\"amount\":\"75.00\",\"workspace_id\":null,\"description\":null,\"cost_type\":\"tokens\","
    "\"context_window\":\"0-200k\",\"model\":\"claude-sonnet-5\",\"service_tier\":\"standard\",\"token_type\":\"output_tokens\"}]}],"
    "\"has_more\":false,\"next_page\":null}", today_iso, today_iso);
  ByokKeyStore *keys = byok_engine_get_key_store (f->engine);
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokKey) stored = NULL;
  GtkWidget *anthropic_row;
  AdwEntryRow *entry;
  GtkWidget *delete;
  GtkLabel *differs;
  GtkLabel *agrees;

  g_assert_true (byok_key_store_store_admin_wait (keys, "openai", OPENAI_ADMIN_KEY, NULL, &error));
  g_assert_no_error (error);
  record_call (f, "openai", f->today - DAY_US + (gint64) 60 * G_USEC_PER_SEC, 1.25);
  record_call (f, "openai", f->today + 1, 0.40);
  record_call (f, "anthropic", f->today + 1, 0.75);
  byok_test_server_add_reply (f->server, "/v1/organization/costs", byok_test_reply_new_json (200, openai_page));

  show_group (f, 640, 760);

  /* OpenAI: the week's bill beside Byok's, the 10 cents flagged. */
  wait_for_subtitle (f, "openai", "billed");
  g_assert_cmpstr (subtitle_of (f, "openai"), ==, "Byok recorded $1.65; OpenAI billed $1.75 · differs by +$0.10");
  g_assert_cmpstr (subtitle_of (f, "anthropic"), ==, "Add an admin key to read the organization’s bill");
  g_assert_cmpstr (soup_message_headers_get_one (byok_test_server_get_last_request (f->server)->headers,
                                                 "Authorization"), ==, "Bearer " OPENAI_ADMIN_KEY);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (byok_bill_group_get_row (f->group, "openai")), TRUE);
  differs = byok_test_ui_find_text (GTK_WIDGET (f->group), "+$0.10", TRUE);
  agrees = byok_test_ui_find_text (GTK_WIDGET (f->group), "+$0.00", TRUE);
  g_assert_nonnull (differs);
  g_assert_nonnull (agrees);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (differs), "warning"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (agrees), "warning"));
  /* No usage by key here (the test server has none): the keys untold and
   * said so, the whole difference unexplained. */
  g_assert_nonnull (byok_test_ui_find_text (GTK_WIDGET (f->group), "Could not tell Byok’s key from others", FALSE));
  g_assert_nonnull (byok_test_ui_find_text (GTK_WIDGET (f->group), "\n+$0.10 unexplained", FALSE));

  /* Anthropic: a chat key is refused where the admin key goes, unsaved. */
  anthropic_row = byok_bill_group_get_row (f->group, "anthropic");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (anthropic_row), TRUE);
  entry = find_entry_row (anthropic_row);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), ANTHROPIC_CHAT_KEY);
  g_signal_emit_by_name (entry, "apply");
  g_assert_nonnull (strstr (subtitle_of (f, "anthropic"), "sk-ant-admin"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));
  stored = byok_key_store_lookup_admin_wait (keys, "anthropic", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (stored);

  /* The admin key is saved, shown masked, and its bill read. */
  byok_test_server_add_reply (f->server, "/anthropic/v1/organizations/cost_report",
                              byok_test_reply_new_json (200, anthropic_page));
  gtk_editable_set_text (GTK_EDITABLE (entry), ANTHROPIC_ADMIN_KEY);
  g_signal_emit_by_name (entry, "apply");
  wait_for_subtitle (f, "anthropic", "billed");
  g_assert_cmpstr (subtitle_of (f, "anthropic"), ==, "Byok recorded $0.75; Anthropic billed $0.75");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (entry)));
  g_assert_cmpstr (soup_message_headers_get_one (byok_test_server_get_last_request (f->server)->headers,
                                                 "x-api-key"), ==, ANTHROPIC_ADMIN_KEY);
  g_assert_null (byok_test_ui_find_text (GTK_WIDGET (f->group), ANTHROPIC_ADMIN_KEY, FALSE));
  stored = byok_key_store_lookup_admin_wait (keys, "anthropic", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (byok_key_get_secret (stored), ==, ANTHROPIC_ADMIN_KEY);
  g_clear_object (&stored);

  byok_test_ui_wait_for_paint (f->window);
  byok_test_ui_screenshot (f->window, "bill-group");

  /* Delete takes the key away. */
  delete = find_button_labelled (anthropic_row, "Delete the Anthropic Admin Key");
  g_assert_nonnull (delete);
  gtk_widget_activate (delete);
  wait_for_subtitle (f, "anthropic", "Add an admin key");
  stored = byok_key_store_lookup_admin_wait (keys, "anthropic", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (stored);
}

static void
record_usage (Fixture    *f,
              gint64      time_us,
              gboolean    priced,
              double      usd,
              gint64      input_tokens,
              gboolean    estimated,
              const char *status)
{
  byok_test_record_usage (byok_engine_get_usage_store (f->engine), &(ByokUsageRecord) {
    .time_us = time_us, .provider = (char *) "openai", .model = (char *) "test-model-a",
    .price_known = priced, .cost_usd = usd, .input_tokens = input_tokens,
    .estimated = estimated, .status = (char *) status, .latency_us = 1000,
  });
}

/* The period's difference taken apart in the expander, and a day that
 * differs explains itself the same way; one that agrees does not. */
static void
test_explained (Fixture       *f,
                gconstpointer  data)
{
  const char *env[] = { "OPENAI_API_KEY=" OPENAI_CHAT_KEY, NULL };
  gint64 yesterday = f->today - DAY_US;
  g_autofree char *costs = g_strdup_printf (
    "{\"object\":\"page\",\"data\":["
    "{\"object\":\"bucket\",\"start_time\":%" G_GINT64_FORMAT ",\"end_time\":%" G_GINT64_FORMAT ",\"results\":["
    "{\"object\":\"organization.costs.result\",\"amount\":{\"value\":3.50,\"currency\":\"usd\"},\"line_item\":null,\"project_id\":null}]},"
    "{\"object\":\"bucket\",\"start_time\":%" G_GINT64_FORMAT ",\"end_time\":%" G_GINT64_FORMAT ",\"results\":["
    "{\"object\":\"organization.costs.result\",\"amount\":{\"value\":0.40,\"currency\":\"usd\"},\"line_item\":null,\"project_id\":null}]}"
    "],\"has_more\":false,\"next_page\":null}",
    yesterday / G_USEC_PER_SEC, f->today / G_USEC_PER_SEC, f->today / G_USEC_PER_SEC, (f->today + DAY_US) / G_USEC_PER_SEC);
  g_autofree char *usage = g_strdup_printf (
    "{\"object\":\"page\",\"data\":[{\"object\":\"bucket\",\"start_time\":%" G_GINT64_FORMAT ",\"end_time\":%"
    G_GINT64_FORMAT ",\"results\":["
    "{\"object\":\"organization.usage.completions.result\",\"input_tokens\":1000000,\"output_tokens\":0,"
    "\"input_cached_tokens\":0,\"num_model_requests\":4,\"project_id\":\"proj_test\",\"user_id\":null,"
    "\"api_key_id\":\"key_byok\",\"model\":\"test-model-a\",\"batch\":null},"
    "{\"object\":\"organization.usage.completions.result\",\"input_tokens\":1000000,\"output_tokens\":500000,"
    "\"input_cached_tokens\":0,\"num_model_requests\":4,\"project_id\":\"proj_test\",\"user_id\":null,"
    "\"api_key_id\":\"key_other\",\"model\":\"test-model-a\",\"batch\":null}]}],"
    "\"has_more\":false,\"next_page\":null}",
    yesterday / G_USEC_PER_SEC, f->today / G_USEC_PER_SEC);
  const char *keys =
    "{\"object\":\"list\",\"data\":["
    "{\"object\":\"organization.project.api_key\",\"redacted_value\":\"sk-Hq5...0004\",\"name\":\"Byok\","
    "\"created_at\":1790000000,\"id\":\"key_byok\"},"
    "{\"object\":\"organization.project.api_key\",\"redacted_value\":\"sk-Pp1...8888\",\"name\":\"Script\","
    "\"created_at\":1790000000,\"id\":\"key_other\"}],\"first_id\":\"key_byok\",\"last_id\":\"key_other\",\"has_more\":false}";
  ByokPrice price;
  g_autoptr(GError) error = NULL;
  GtkLabel *label;
  const char *text;
  GtkWidget *row;

  byok_key_store_set_environment (byok_engine_get_key_store (f->engine), env);
  byok_price_init_flat (&price, 1.0, BYOK_PRICE_UNKNOWN, BYOK_PRICE_UNKNOWN, 2.0);
  g_assert_true (byok_pricing_set_override (byok_engine_get_pricing (f->engine), "openai", "test-model-a", &price, &error));
  g_assert_true (byok_key_store_store_admin_wait (byok_engine_get_key_store (f->engine), "openai", OPENAI_ADMIN_KEY,
                                                  NULL, &error));
  g_assert_no_error (error);
  record_usage (f, yesterday + 60, TRUE, 1.00, 1000000, FALSE, "ok");
  record_usage (f, yesterday + 120, FALSE, 0, 250000, FALSE, "ok");
  record_usage (f, yesterday + 180, TRUE, 0.10, 100000, TRUE, "interrupted");
  record_usage (f, f->today + 1, TRUE, 0.40, 400000, FALSE, "ok");
  byok_test_server_add_reply (f->server, "/v1/organization/costs", byok_test_reply_new_json (200, costs));
  byok_test_server_add_reply (f->server, "/v1/organization/usage/completions", byok_test_reply_new_json (200, usage));
  byok_test_server_add_reply (f->server, "/v1/organization/projects/proj_test/api_keys",
                              byok_test_reply_new_json (200, keys));

  show_group (f, 720, 900);

  wait_for_subtitle (f, "openai", "billed");
  g_assert_cmpstr (subtitle_of (f, "openai"), ==, "Byok recorded $1.50; OpenAI billed $3.90 · differs by +$2.40");
  row = byok_bill_group_get_row (f->group, "openai");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);

  /* The period: each part on its line, the rest unexplained, plain text. */
  g_assert_nonnull (byok_test_ui_find_text (row, "Where the Difference Comes From", TRUE));
  label = byok_test_ui_find_text (row, "+$2.00 from 4 calls with other keys (other tools), at Byok’s prices\n", FALSE);
  g_assert_nonnull (label);
  g_assert_false (gtk_label_get_use_markup (label));
  text = gtk_label_get_text (label);
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "+$2.00 from 4 calls"));
  g_assert_nonnull (strstr (text, "\n+$0.25 estimated for 1 call Byok could not price, at today’s price\n"));
  g_assert_nonnull (strstr (text, "\n≈$0.10 of Byok’s figure is 1 call recorded with estimated tokens (1 interrupted)\n"));
  g_assert_true (g_str_has_suffix (text, "\n+$0.15 unexplained"));

  /* Yesterday differs and says why, under its figures; today agrees. */
  label = byok_test_ui_find_text (row, "Byok $1.10 · OpenAI $3.50\n", FALSE);
  g_assert_nonnull (label);
  g_assert_nonnull (strstr (gtk_label_get_text (label), "\n+$2.00 from 4 calls"));
  g_assert_true (g_str_has_suffix (gtk_label_get_text (label), "\n+$0.15 unexplained"));
  label = byok_test_ui_find_text (row, "Byok $0.40 · OpenAI $0.40", TRUE);
  g_assert_nonnull (label);

  byok_test_ui_wait_for_paint (f->window);
  byok_test_ui_screenshot (f->window, "bill-explained");
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("GTK_A11Y", "test", TRUE);
  byok_test_ui_init (&argc, &argv, NULL);

  g_test_add ("/bill-group/bills", Fixture, NULL, fixture_setup, test_bills, fixture_teardown);
  g_test_add ("/bill-group/explained", Fixture, NULL, fixture_setup, test_explained, fixture_teardown);
  return g_test_run ();
}
