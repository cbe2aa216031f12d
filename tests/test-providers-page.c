/* test-providers-page.c — the Providers page under Xvfb, with the session's
 * real keyring, a real engine on a temporary database and an in-process
 * test server playing OpenAI (it accepts one key only):
 *
 * - a key typed into OpenAI's password row and saved is stored, checked at
 *   once, and the row says "valid" with the masked key; a toast says so;
 * - a key the server refuses shows as rejected;
 * - what is typed gets format warnings as it is typed, masked;
 * - the settings rows (endpoint, base URL, on/off, default model) write
 *   the provider settings;
 * - the delete button asks first; "Cancel" keeps the key, "Delete" removes it;
 * - a custom provider is added from its dialog (its key checked too) and
 *   removed with its keys; Enter in the dialog adds it once and closes it;
 * - every interactive widget of the page has an accessible name;
 * - a key saved through the page reaches no output with
 *   G_MESSAGES_DEBUG=all and no file under HOME and the XDG dirs.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "byok-test-replies.h"
#include "byok-test-util.h"
#include "byok-custom-provider-dialog.h"
#include "byok-error.h"
#include "byok-key-format.h"
#include "byok-provider-row.h"
#include "byok-providers-page.h"
#include "byok-test-server.h"
#include "byok-test-ui.h"
#include "byok-window.h"
#include "byok-test-util.h"

#define KEY_GOOD "sk-test-fake-GOOD-0123456789abcdefghijklmn"
#define KEY_BAD  "sk-test-fake-BAD0-9876543210zyxwvutsrqponm"

typedef struct {
  char              *dir;
  ByokEngine        *engine;
  ByokTestServer    *server;
  GtkWidget         *window;
  ByokProvidersPage *page;
} Fixture;

/* ---- helpers ------------------------------------------------------------- */

/* A toast with @text is on screen (or queued) in the window's overlay. */
static void
wait_for_toast (Fixture    *f,
                const char *text)
{
  byok_test_ui_wait_for_text (f->window, text, TRUE, FALSE);
}

static ByokProviderRow *
row_of (Fixture    *f,
        const char *provider_id)
{
  GtkWidget *row = byok_providers_page_get_row (f->page, provider_id);

  g_assert_nonnull (row);
  return BYOK_PROVIDER_ROW (row);
}

static gboolean
loaded (gpointer data)
{
  return byok_provider_row_get_status (data) != BYOK_PROVIDER_STATUS_LOADING;
}

static const char *
subtitle_of (ByokProviderRow *row)
{
  return adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row));
}

static void
type_key (ByokProviderRow *row,
          const char      *key)
{
  GtkWidget *entry = byok_test_ui_find_descendant (GTK_WIDGET (row), ADW_TYPE_PASSWORD_ENTRY_ROW);

  g_assert_nonnull (entry);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (entry), key);
  byok_test_ui_iterate_pending ();
  g_signal_emit_by_name (entry, "apply");
  /* The typed key does not stay in the entry. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
}

/* The dialog of @type, once it is shown: a toplevel of its own, or (an
 * AdwDialog) inside the window it was presented over. */
typedef struct {
  GType      type;
  GtkWidget *found;
} DialogWait;

static gboolean
dialog_open (gpointer data)
{
  DialogWait *w = data;
  g_autoptr(GListModel) toplevels = NULL;

  toplevels = g_object_ref (gtk_window_get_toplevels ());
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);
      g_autoptr(GPtrArray) dialogs = g_ptr_array_new ();

      if (!gtk_widget_get_visible (window))
        continue;
      byok_test_ui_collect (window, w->type, dialogs);
      for (guint j = 0; j < dialogs->len; j++)
        {
          if (gtk_widget_get_visible (g_ptr_array_index (dialogs, j)))
            {
              w->found = g_ptr_array_index (dialogs, j);
              return TRUE;
            }
        }
    }
  return FALSE;
}

static GtkWidget *
wait_for_dialog (GType type)
{
  DialogWait w = { type, NULL };

  byok_test_ui_iterate_until (dialog_open, &w, g_type_name (type));
  return w.found;
}

static gboolean
dialog_closed (gpointer data)
{
  DialogWait w = { G_TYPE_FROM_INSTANCE (data), NULL };

  return !dialog_open (&w) || w.found != data;
}

/* Clicks a dialog's button (by its label, "_Delete") as a person would, and
 * waits until the dialog is gone. */
static void
respond (GtkWidget  *dialog,
         const char *label)
{
  GtkWidget *button = byok_test_ui_find_button (dialog, NULL, label);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_object_ref (dialog);
  g_signal_emit_by_name (button, "clicked");
  byok_test_ui_iterate_until (dialog_closed, dialog, "the dialog to close");
  g_object_unref (dialog);
}

static void
forget_key (ByokEngine *engine,
            const char *provider_id)
{
  g_autoptr(GPtrArray) keys = NULL;

  keys = byok_key_store_list_wait (byok_engine_get_key_store (engine), provider_id, NULL, NULL);
  for (guint i = 0; keys != NULL && i < keys->len; i++)
    byok_key_store_delete_wait (byok_engine_get_key_store (engine), provider_id,
                                byok_key_get_account (g_ptr_array_index (keys, i)), NULL, NULL);
}

/* ---- fixture ------------------------------------------------------------- */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const char * const *key = data != NULL ? data : (const char * const[]) { KEY_GOOD };
  const char * const no_env[] = { NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *bearer = g_strconcat ("Bearer ", key[0], NULL);
  g_autofree char *base = NULL;
  g_autofree char *template = g_build_filename (g_get_user_data_dir (), "byok-ui-test-XXXXXX", NULL);

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  f->dir = g_mkdtemp (g_steal_pointer (&template));
  g_assert_nonnull (f->dir);
  path = g_build_filename (f->dir, "byok.db", NULL);
  f->engine = byok_engine_new (path, &error);
  g_assert_no_error (error);
  byok_key_store_set_environment (byok_engine_get_key_store (f->engine), no_env);

  f->server = byok_test_server_new ();
  byok_test_server_require_key (f->server, "Authorization", bearer);
  byok_test_server_add_reply (f->server, "/v1/models", byok_test_reply_new_openai_models ());
  base = g_strconcat (byok_test_server_get_url (f->server), "/v1", NULL);
  g_assert_true (byok_provider_settings_set_base_url (byok_engine_get_provider_settings (f->engine),
                                                      byok_catalog_lookup_provider (byok_engine_get_catalog (f->engine), "openai"),
                                                      base, &error));
  g_assert_no_error (error);

  /* Whatever another run left in the session's keyring. */
  forget_key (f->engine, "openai");

  f->window = g_object_new (BYOK_TYPE_WINDOW, "engine", f->engine, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 900);
  gtk_window_present (GTK_WINDOW (f->window));
  byok_window_show_page (BYOK_WINDOW (f->window), "providers");
  f->page = BYOK_PROVIDERS_PAGE (byok_test_ui_find_descendant (f->window, BYOK_TYPE_PROVIDERS_PAGE));
  g_assert_nonnull (f->page);
  g_assert_true (byok_providers_page_get_engine (f->page) == f->engine);
  byok_test_ui_iterate_until (loaded, row_of (f, "openai"), "the keyring listing");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  byok_test_ui_iterate_pending ();
  forget_key (f->engine, "openai");
  g_clear_object (&f->engine);
  g_clear_object (&f->server);
  byok_test_remove_tree (f->dir);
  g_free (f->dir);
}

/* ---- tests --------------------------------------------------------------- */

/* Save → stored in the keyring → checked at once → valid. */
static void
test_save_valid (Fixture       *f,
                 gconstpointer  data)
{
  ByokProviderRow *row = row_of (f, "openai");
  g_autofree char *masked = byok_key_format_mask (KEY_GOOD);
  g_autoptr(ByokKey) key = NULL;
  g_autoptr(GError) error = NULL;
  ByokTestRequest *request;

  g_assert_cmpint (byok_provider_row_get_status (row), ==, BYOK_PROVIDER_STATUS_NOT_SET);
  g_assert_nonnull (strstr (subtitle_of (row), "Not set"));

  type_key (row, "  " KEY_GOOD "\n");
  byok_test_ui_wait_for_status (row, BYOK_PROVIDER_STATUS_VALID);
  wait_for_toast (f, "OpenAI: Key works — 3 models");

  g_assert_nonnull (strstr (subtitle_of (row), "In keyring"));
  g_assert_nonnull (strstr (subtitle_of (row), masked));
  g_assert_nonnull (strstr (subtitle_of (row), "valid, checked just now"));
  g_assert_null (strstr (subtitle_of (row), KEY_GOOD));

  /* The check went to the test server with the key, cleaned. */
  request = byok_test_server_get_last_request (f->server);
  g_assert_cmpstr (request->path, ==, "/v1/models");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==,
                   "Bearer " KEY_GOOD);

  /* It is in the keyring, under "default". */
  key = byok_key_store_lookup_wait (byok_engine_get_key_store (f->engine), "openai", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (byok_key_get_account (key), ==, "default");
  g_assert_cmpstr (byok_key_get_secret (key), ==, KEY_GOOD);

  /* The key's history: added, then checked. */
  byok_test_ui_iterate_pending ();
  {
    g_autoptr(GPtrArray) rows = g_ptr_array_new ();
    gboolean history = FALSE;

    byok_test_ui_collect (GTK_WIDGET (row), ADW_TYPE_ACTION_ROW, rows);
    for (guint i = 0; i < rows->len; i++)
      {
        AdwActionRow *r = g_ptr_array_index (rows, i);

        if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (r)), "Key History") == 0)
          {
            const char *text = adw_action_row_get_subtitle (r);

            g_assert_true (gtk_widget_get_visible (GTK_WIDGET (r)));
            g_assert_true (g_str_has_prefix (text, "Checked: valid · just now"));
            g_assert_nonnull (strstr (text, "Added · just now"));
            history = TRUE;
          }
      }
    g_assert_true (history);
  }

  /* No label of the page shows the key. */
  g_assert_null (byok_test_ui_find_text (f->window, KEY_GOOD, TRUE));
}

/* What is typed is checked as it is typed: an Anthropic key in OpenAI's
 * row gets a warning, masked. */
static void
test_format_warning (Fixture       *f,
                     gconstpointer  data)
{
  const char *other = "sk-ant-api03-FAKEfakeFAKEfake-0123456789abcdef";
  ByokProviderRow *row = row_of (f, "openai");
  GtkWidget *entry = byok_test_ui_find_descendant (GTK_WIDGET (row), ADW_TYPE_PASSWORD_ENTRY_ROW);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  AdwActionRow *warning = NULL;
  g_autofree char *masked = byok_key_format_mask (other);

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  byok_test_ui_collect (GTK_WIDGET (row), ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      AdwActionRow *r = g_ptr_array_index (rows, i);

      if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (r)),
                     "This may not be the right key") == 0)
        warning = r;
    }
  g_assert_nonnull (warning);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (warning)));
  /* The catalog's hint of what a key looks like is on the entry. */
  g_assert_cmpstr (gtk_widget_get_tooltip_text (entry), ==, "Starts with sk- (project keys: sk-proj-)");

  gtk_editable_set_text (GTK_EDITABLE (entry), other);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (warning)));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (warning), "Anthropic"));
  g_assert_null (strstr (adw_action_row_get_subtitle (warning), other));
  g_test_message ("warning: %s (masked %s)", adw_action_row_get_subtitle (warning), masked);

  gtk_editable_set_text (GTK_EDITABLE (entry), KEY_GOOD);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (warning)));
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static GtkWidget *
row_titled (GtkWidget  *parent,
            GType       type,
            const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  byok_test_ui_collect (parent, type, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
        return g_ptr_array_index (rows, i);
    }
  g_error ("no row “%s”", title);
  return NULL;
}

/* The settings rows write the provider settings and change the provider. */
static void
test_settings (Fixture       *f,
               gconstpointer  data)
{
  ByokCatalog *catalog = byok_engine_get_catalog (f->engine);
  ByokProviderSettings *settings = byok_engine_get_provider_settings (f->engine);
  ByokProviderRow *moonshot = row_of (f, "moonshot");
  ByokProviderRow *groq = row_of (f, "groq");
  ByokProviderRow *openai = row_of (f, "openai");
  GtkWidget *endpoint = row_titled (GTK_WIDGET (moonshot), ADW_TYPE_COMBO_ROW, "Endpoint");
  GtkWidget *base_url = row_titled (GTK_WIDGET (openai), ADW_TYPE_ENTRY_ROW, "Base URL");
  GtkWidget *model = row_titled (GTK_WIDGET (openai), ADW_TYPE_COMBO_ROW, "Default Model");
  GtkWidget *enabled = byok_test_ui_find_descendant (row_titled (GTK_WIDGET (groq), ADW_TYPE_ACTION_ROW,
                                                    "Use This Provider"), GTK_TYPE_SWITCH);
  g_autofree char *old_url = g_strdup (byok_provider_get_base_url (byok_catalog_lookup_provider (catalog, "openai")));
  g_autofree char *chosen = NULL;
  GtkStringObject *item;

  /* Moonshot's China endpoint. */
  g_assert_true (gtk_widget_get_visible (endpoint));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (endpoint)), ==, 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (endpoint), 1);
  g_assert_cmpstr (byok_provider_get_base_url (byok_catalog_lookup_provider (catalog, "moonshot")), ==,
                   "https://api.moonshot.cn/v1");
  g_assert_false (gtk_widget_get_visible (row_titled (GTK_WIDGET (openai), ADW_TYPE_COMBO_ROW, "Endpoint")));

  /* A base URL that is not http is refused and changes nothing. */
  gtk_editable_set_text (GTK_EDITABLE (base_url), "ftp://example.com");
  g_signal_emit_by_name (base_url, "apply");
  g_assert_true (gtk_widget_has_css_class (base_url, "error"));
  g_assert_cmpstr (byok_provider_get_base_url (byok_catalog_lookup_provider (catalog, "openai")), ==, old_url);
  gtk_editable_set_text (GTK_EDITABLE (base_url), "http://127.0.0.1:9/v1");
  g_signal_emit_by_name (base_url, "apply");
  g_assert_false (gtk_widget_has_css_class (base_url, "error"));
  g_assert_cmpstr (byok_provider_get_base_url (byok_catalog_lookup_provider (catalog, "openai")), ==,
                   "http://127.0.0.1:9/v1");

  /* Off, and said so. */
  gtk_switch_set_active (GTK_SWITCH (enabled), FALSE);
  g_assert_false (byok_provider_get_enabled (byok_catalog_lookup_provider (catalog, "groq")));
  g_assert_true (g_str_has_prefix (subtitle_of (groq), "Off · "));
  gtk_switch_set_active (GTK_SWITCH (enabled), TRUE);
  g_assert_true (byok_provider_get_enabled (byok_catalog_lookup_provider (catalog, "groq")));

  /* A default model from the catalog's list. */
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (model))), >, 1);
  adw_combo_row_set_selected (ADW_COMBO_ROW (model), 1);
  item = adw_combo_row_get_selected_item (ADW_COMBO_ROW (model));
  chosen = byok_provider_settings_dup_default_model (settings, "openai");
  g_assert_cmpstr (chosen, ==, gtk_string_object_get_string (item));
  adw_combo_row_set_selected (ADW_COMBO_ROW (model), 0);
  g_clear_pointer (&chosen, g_free);
  g_assert_null (byok_provider_settings_dup_default_model (settings, "openai"));

  /* Azure asks for its own things, and has no model list but deployments. */
  g_assert_true (gtk_widget_get_visible (row_titled (GTK_WIDGET (row_of (f, "azure")), ADW_TYPE_ENTRY_ROW, "Deployment")));
  g_assert_false (gtk_widget_get_visible (row_titled (GTK_WIDGET (row_of (f, "azure")), ADW_TYPE_COMBO_ROW, "Default Model")));
}

/* A key is not sent over plain HTTP to another computer: the check says
 * why, and the "Allow Unencrypted Connection" switch — shown for such an
 * address, kept with the provider's settings — lets it through. Every
 * request goes to the test server as a proxy, so nothing leaves
 * 127.0.0.1 whatever the address. */
static void
test_allow_http (Fixture       *f,
                 gconstpointer  data)
{
  ByokCatalog *catalog = byok_engine_get_catalog (f->engine);
  ByokProviderSettings *settings = byok_engine_get_provider_settings (f->engine);
  ByokProvider *openai = byok_catalog_lookup_provider (catalog, "openai");
  ByokProviderRow *row = row_of (f, "openai");
  GtkWidget *base_url = row_titled (GTK_WIDGET (row), ADW_TYPE_ENTRY_ROW, "Base URL");
  GtkWidget *allow_row = row_titled (GTK_WIDGET (row), ADW_TYPE_ACTION_ROW, "Allow Unencrypted Connection");
  GtkWidget *allow = byok_test_ui_find_descendant (allow_row, GTK_TYPE_SWITCH);
  ByokProviderRow *ollama = row_of (f, "ollama");
  g_autoptr(GProxyResolver) proxy = g_simple_proxy_resolver_new (byok_test_server_get_url (f->server), NULL);
  g_autofree char *local = g_strconcat (byok_test_server_get_url (f->server), "/v1", NULL);
  g_autofree char *stored = NULL;
  guint n_requests;

  g_object_set (byok_client_get_session (byok_engine_get_client (f->engine)), "proxy-resolver", proxy, NULL);

  /* On this computer, over HTTP: nothing to allow. */
  g_assert_false (gtk_widget_get_visible (allow_row));

  /* Another computer of the network: the switch shows, off. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (base_url), "http://192.168.1.20:8080/v1");
  g_signal_emit_by_name (base_url, "apply");
  g_assert_true (gtk_widget_get_visible (allow_row));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (allow)));

  /* A key typed now is kept, and its check sends nothing, saying why. */
  n_requests = byok_test_server_get_n_requests (f->server);
  type_key (row, KEY_GOOD);
  byok_test_ui_wait_for_status (row, BYOK_PROVIDER_STATUS_CHECK_FAILED);
  wait_for_toast (f, "OpenAI: the key was not sent over an unencrypted connection");
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, n_requests);
  {
    g_autoptr(GPtrArray) rows = g_ptr_array_new ();
    gboolean reason_shown = FALSE;

    byok_test_ui_iterate_pending ();
    byok_test_ui_collect (GTK_WIDGET (row), ADW_TYPE_ACTION_ROW, rows);
    for (guint i = 0; i < rows->len; i++)
      {
        const char *subtitle = adw_action_row_get_subtitle (g_ptr_array_index (rows, i));

        reason_shown |= subtitle != NULL &&
                        strstr (subtitle, "Byok did not send your OpenAI key: 192.168.1.20:8080 is a plain "
                                          "http:// address") != NULL;
      }
    g_assert_true (reason_shown);
  }
  gtk_widget_grab_focus (allow);
  byok_test_ui_screenshot (f->window, "providers-allow-http");

  /* Turned on: kept, and the key goes. */
  gtk_switch_set_active (GTK_SWITCH (allow), TRUE);
  g_assert_true (byok_provider_get_allow_http (openai));
  stored = byok_provider_settings_dup_value (settings, "openai", BYOK_PROVIDER_SETTING_ALLOW_HTTP);
  g_assert_cmpstr (stored, ==, "1");
  type_key (row, KEY_GOOD);
  byok_test_ui_wait_for_status (row, BYOK_PROVIDER_STATUS_VALID);
  g_assert_cmpstr (soup_message_headers_get_one (byok_test_server_get_last_request (f->server)->headers, "Host"),
                   ==, "192.168.1.20:8080");
  byok_test_ui_screenshot (f->window, "providers-allow-http-on");

  /* Back on this computer, the switch stays in sight while it is on. */
  gtk_editable_set_text (GTK_EDITABLE (base_url), local);
  g_signal_emit_by_name (base_url, "apply");
  g_assert_true (gtk_widget_get_visible (allow_row));
  gtk_switch_set_active (GTK_SWITCH (allow), FALSE);
  g_assert_false (byok_provider_get_allow_http (openai));
  g_assert_false (gtk_widget_get_visible (allow_row));

  /* A provider without a key has nothing to protect: no switch. */
  byok_provider_settings_set_base_url (settings, byok_catalog_lookup_provider (catalog, "ollama"),
                                       "http://192.168.1.20:11434/v1", NULL);
  byok_provider_row_refresh (ollama);
  byok_test_ui_iterate_pending ();
  g_assert_false (gtk_widget_get_visible (row_titled (GTK_WIDGET (ollama), ADW_TYPE_ACTION_ROW,
                                                      "Allow Unencrypted Connection")));
}

/* A key the provider refuses shows as rejected, with the provider's reason
 * in the key's own row. */
static void
test_save_rejected (Fixture       *f,
                    gconstpointer  data)
{
  ByokProviderRow *row = row_of (f, "openai");
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  gboolean reason_shown = FALSE;

  type_key (row, KEY_BAD);
  byok_test_ui_wait_for_status (row, BYOK_PROVIDER_STATUS_REJECTED);
  wait_for_toast (f, "OpenAI rejected the key");
  g_assert_nonnull (strstr (subtitle_of (row), "rejected"));

  byok_test_ui_iterate_pending ();
  byok_test_ui_collect (GTK_WIDGET (row), ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      const char *subtitle = adw_action_row_get_subtitle (g_ptr_array_index (rows, i));

      if (subtitle != NULL && strstr (subtitle, "rejected the key (401)") != NULL)
        reason_shown = TRUE;
    }
  g_assert_true (reason_shown);

  /* A good key replaces it and is valid. */
  g_assert_nonnull (byok_test_ui_find_descendant (GTK_WIDGET (row), ADW_TYPE_PASSWORD_ENTRY_ROW));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (byok_test_ui_find_descendant (GTK_WIDGET (row),
                                                                                          ADW_TYPE_PASSWORD_ENTRY_ROW))),
                   ==, "Replace Key");
  type_key (row, KEY_GOOD);
  byok_test_ui_wait_for_status (row, BYOK_PROVIDER_STATUS_VALID);
}

/* Delete asks first: Cancel keeps the key, Delete removes it. */
static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  ByokProviderRow *row = row_of (f, "openai");
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokKey) key = NULL;
  GtkWidget *button;
  GtkWidget *dialog;

  type_key (row, KEY_GOOD);
  byok_test_ui_wait_for_status (row, BYOK_PROVIDER_STATUS_VALID);
  byok_test_ui_iterate_pending ();

  button = byok_test_ui_find_button (GTK_WIDGET (row), "user-trash-symbolic", NULL);
  g_assert_nonnull (button);
  gtk_widget_activate (button);
  dialog = wait_for_dialog (BYOK_TYPE_ALERT_PARENT);
  g_assert_cmpstr (byok_alert_get_heading (dialog), ==,
                   "Delete the OpenAI Key?");
  g_assert_cmpint (byok_alert_get_response_appearance (dialog, "delete"),
                   ==, ADW_RESPONSE_DESTRUCTIVE);
  g_assert_null (strstr (byok_alert_get_body (dialog), KEY_GOOD));
  respond (dialog, "_Cancel");
  key = byok_key_store_lookup_wait (byok_engine_get_key_store (f->engine), "openai", NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&key);
  g_assert_cmpint (byok_provider_row_get_status (row), ==, BYOK_PROVIDER_STATUS_VALID);

  button = byok_test_ui_find_button (GTK_WIDGET (row), "user-trash-symbolic", NULL);
  gtk_widget_activate (button);
  dialog = wait_for_dialog (BYOK_TYPE_ALERT_PARENT);
  respond (dialog, "_Delete");
  byok_test_ui_wait_for_status (row, BYOK_PROVIDER_STATUS_NOT_SET);
  wait_for_toast (f, "OpenAI key deleted");

  key = byok_key_store_lookup_wait (byok_engine_get_key_store (f->engine), "openai", NULL, NULL, &error);
  g_assert_null (key);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_NO_KEY);
  g_assert_null (byok_test_ui_find_button (GTK_WIDGET (row), "user-trash-symbolic", NULL));
}

typedef struct {
  Fixture    *f;
  const char *id;
  gboolean    present;
} RowWait;

static gboolean
row_presence (gpointer data)
{
  RowWait *w = data;

  return (byok_providers_page_get_row (w->f->page, w->id) != NULL) == w->present;
}

/* A custom provider from the dialog, with its key checked; removed with
 * its key. */
static void
test_custom_provider (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autofree char *base = g_strconcat (byok_test_server_get_url (f->server), "/v1", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokKey) key = NULL;
  ByokProviderRow *row;
  GtkWidget *dialog;
  GtkWidget *button;
  RowWait gone = { f, "test-gateway", FALSE };

  forget_key (f->engine, "test-gateway");

  byok_providers_page_add_custom (f->page);
  dialog = wait_for_dialog (BYOK_TYPE_CUSTOM_PROVIDER_DIALOG);

  byok_test_ui_collect (dialog, ADW_TYPE_ENTRY_ROW, entries);
  g_assert_cmpuint (entries->len, ==, 3);  /* name, base URL, key */
  /* Not before a name and an http(s) URL are there. */
  g_assert_false (byok_alert_get_response_enabled (dialog, "add"));
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 0)), "Test Gateway");
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 1)), "localhost:8080");
  g_assert_false (byok_alert_get_response_enabled (dialog, "add"));
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 1)), base);
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 2)), KEY_GOOD);
  g_assert_true (byok_alert_get_response_enabled (dialog, "add"));
  respond (dialog, "_Add");

  row = row_of (f, "test-gateway");
  g_assert_true (byok_provider_is_custom (byok_provider_row_get_provider (row)));
  g_assert_true (gtk_widget_get_ancestor (GTK_WIDGET (row), ADW_TYPE_PREFERENCES_GROUP) != NULL);
  byok_test_ui_wait_for_status (row, BYOK_PROVIDER_STATUS_VALID);
  g_assert_nonnull (strstr (subtitle_of (row), "valid"));

  /* Kept in the database: a new engine on it has the provider. */
  {
    g_autoptr(ByokEngine) again = byok_engine_new (byok_database_get_path (byok_engine_get_database (f->engine)),
                                                   &error);

    g_assert_no_error (error);
    g_assert_nonnull (byok_catalog_lookup_provider (byok_engine_get_catalog (again), "test-gateway"));
  }

  /* Remove asks first, then takes the provider and its key. */
  byok_test_ui_iterate_pending ();
  button = byok_test_ui_find_button (GTK_WIDGET (row), NULL, "_Remove…");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  gtk_widget_activate (button);
  dialog = wait_for_dialog (BYOK_TYPE_ALERT_PARENT);
  g_assert_cmpint (byok_alert_get_response_appearance (dialog, "remove"),
                   ==, ADW_RESPONSE_DESTRUCTIVE);
  respond (dialog, "_Remove");
  byok_test_ui_iterate_until (row_presence, &gone, "the custom provider's row to go");

  g_assert_null (byok_catalog_lookup_provider (byok_engine_get_catalog (f->engine), "test-gateway"));
  key = byok_key_store_lookup_wait (byok_engine_get_key_store (f->engine), "test-gateway", NULL, NULL, &error);
  g_assert_null (key);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_NO_KEY);
}

static guint
n_custom_providers (ByokEngine *engine)
{
  g_autoptr(GPtrArray) providers = byok_catalog_get_providers (byok_engine_get_catalog (engine));
  guint n = 0;

  for (guint i = 0; i < providers->len; i++)
    n += byok_provider_is_custom (g_ptr_array_index (providers, i));
  return n;
}

/* Enter in the dialog's last entry adds the provider, once, and closes the
 * dialog, on every libadwaita (issue 14: the 1.2 message dialog stayed up
 * after adding it). */
static void
test_custom_provider_enter (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autoptr(GPtrArray) responses = NULL;
  g_autofree char *base = g_strconcat (byok_test_server_get_url (f->server), "/v1", NULL);
  guint n_custom = n_custom_providers (f->engine);
  ByokProvider *provider;
  GtkWidget *dialog;

  forget_key (f->engine, "test-gateway");

  byok_providers_page_add_custom (f->page);
  dialog = wait_for_dialog (BYOK_TYPE_CUSTOM_PROVIDER_DIALOG);
  responses = byok_test_ui_record_responses (dialog);
  byok_test_ui_collect (dialog, ADW_TYPE_ENTRY_ROW, entries);
  g_assert_cmpuint (entries->len, ==, 3);  /* name, base URL, key */

  /* Enter before the dialog is complete does nothing. */
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 0)), "Test Gateway");
  byok_test_ui_press_enter (g_ptr_array_index (entries, 0));
  byok_test_ui_iterate_pending ();
  g_assert_cmpuint (responses->len, ==, 0);
  g_assert_true (gtk_widget_get_visible (dialog));

  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 1)), base);
  byok_test_ui_enter_answers_alert (dialog, g_ptr_array_index (entries, 1), BYOK_CUSTOM_PROVIDER_DIALOG_RESPONSE_ADD);
  g_assert_cmpuint (responses->len, ==, 1);

  /* Added once. */
  g_assert_cmpuint (n_custom_providers (f->engine), ==, n_custom + 1);
  provider = byok_catalog_lookup_provider (byok_engine_get_catalog (f->engine), "test-gateway");
  g_assert_nonnull (provider);
  g_assert_cmpstr (byok_provider_get_name (provider), ==, "Test Gateway");
  g_assert_nonnull (byok_providers_page_get_row (f->page, "test-gateway"));
  wait_for_toast (f, "Added Test Gateway");
  byok_test_ui_screenshot (f->window, "providers-custom-added-with-enter");
}

/* Every widget a person can operate has a name a screen reader reads: an
 * accessible label, a labelled-by relation, a text label (buttons), or the
 * title of the row it edits (entry rows). */
static gboolean
has_accessible_name (GtkWidget *widget)
{
  GtkWidget *row;

  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) ||
      gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return TRUE;
  if (GTK_IS_BUTTON (widget))
    {
      const char *label = gtk_button_get_label (GTK_BUTTON (widget));
      GtkWidget *child = gtk_button_get_child (GTK_BUTTON (widget));

      if ((label != NULL && *label != '\0' && gtk_button_get_icon_name (GTK_BUTTON (widget)) == NULL) ||
          (GTK_IS_LABEL (child) && *gtk_label_get_text (GTK_LABEL (child)) != '\0'))
        return TRUE;
    }
  row = gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_ROW);
  if (GTK_IS_TEXT (widget) && row != NULL)
    {
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));

      return title != NULL && *title != '\0';
    }
  return FALSE;
}

/* libadwaita's own buttons inside an entry row (apply, show/hide the text)
 * are not Byok's to name: newer versions name them by their tooltips, which
 * this walk does not read. Byok's widgets are all checked. */
static gboolean
is_libadwaita_inner_button (GtkWidget *widget)
{
  static const char * const icons[] = {
    "adw-entry-apply-symbolic", "view-reveal-symbolic", "view-conceal-symbolic", NULL
  };
  const char *icon;

  if (!GTK_IS_BUTTON (widget) || gtk_widget_get_ancestor (widget, ADW_TYPE_ENTRY_ROW) == NULL)
    return FALSE;
  icon = gtk_button_get_icon_name (GTK_BUTTON (widget));
  return icon != NULL && g_strv_contains (icons, icon);
}

static void
check_names (GtkWidget *widget,
             GString   *missing,
             guint     *n_checked)
{
  gboolean interactive = (GTK_IS_BUTTON (widget) || GTK_IS_SWITCH (widget) || GTK_IS_TEXT (widget) ||
                          GTK_IS_CHECK_BUTTON (widget) || GTK_IS_DROP_DOWN (widget) ||
                          GTK_IS_SPIN_BUTTON (widget) || GTK_IS_SCALE (widget)) &&
                         !is_libadwaita_inner_button (widget);

  if (interactive)
    {
      (*n_checked)++;
      if (!has_accessible_name (widget))
        {
          GtkWidget *row = gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_ROW);

          g_string_append_printf (missing, "  %s (%s) in “%s”\n", G_OBJECT_TYPE_NAME (widget),
                                  GTK_IS_BUTTON (widget) ? gtk_button_get_icon_name (GTK_BUTTON (widget)) : "",
                                  row != NULL ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)) : "");
        }
    }
  if (ADW_IS_PREFERENCES_ROW (widget) && !GTK_IS_LIST_BOX_ROW (gtk_widget_get_parent (widget)))
    {
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));

      (*n_checked)++;
      if (title == NULL || *title == '\0')
        g_string_append_printf (missing, "  %s without a title\n", G_OBJECT_TYPE_NAME (widget));
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      /* Hidden widgets (the expander row's unused switch) are out of reach. */
      if (gtk_widget_get_visible (c))
        check_names (c, missing, n_checked);
    }
}

static void
test_accessible_names (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  ByokProviderRow *row = row_of (f, "openai");
  GtkWidget *dialog;
  guint n_checked = 0;

  /* With a key (check and delete buttons), a custom provider (remove) and
   * every row expanded. */
  type_key (row, KEY_GOOD);
  byok_test_ui_wait_for_status (row, BYOK_PROVIDER_STATUS_VALID);
  byok_test_ui_collect (GTK_WIDGET (f->page), BYOK_TYPE_PROVIDER_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    adw_expander_row_set_expanded (g_ptr_array_index (rows, i), TRUE);
  byok_test_ui_iterate_pending ();

  check_names (GTK_WIDGET (f->page), missing, &n_checked);
  byok_providers_page_add_custom (f->page);
  dialog = wait_for_dialog (BYOK_TYPE_CUSTOM_PROVIDER_DIALOG);
  check_names (dialog, missing, &n_checked);
  respond (dialog, "_Cancel");

  g_test_message ("%u widgets checked", n_checked);
  g_assert_cmpuint (n_checked, >, 100);
  if (missing->len > 0)
    g_error ("widgets without an accessible name:\n%s", missing->str);
}

/* ---- the key in no output and no file ------------------------------------ */

static const char *
ui_key (void)
{
  const char *key = g_getenv ("BYOK_TEST_UI_KEY");

  g_assert_nonnull (key);
  return key;
}

/* The child: the save path of the page with every debug message on. */
static void
test_key_in_no_output_child (void)
{
  const char *key[] = { NULL };
  Fixture fixture = { NULL, };
  Fixture *f = &fixture;
  ByokProviderRow *row;

  if (!g_test_subprocess ())
    {
      g_test_skip ("run by /providers-page/key-in-no-output");
      return;
    }

  key[0] = ui_key ();
  fixture_set_up (f, key);
  row = row_of (f, "openai");

  type_key (row, ui_key ());
  byok_test_ui_wait_for_status (row, BYOK_PROVIDER_STATUS_VALID);
  g_print ("saved %s\n", subtitle_of (row));
  byok_provider_row_refresh (row);
  byok_test_ui_wait_for_status (row, BYOK_PROVIDER_STATUS_VALID);

  /* Keep the database for the parent to search. */
  g_free (f->dir);
  f->dir = g_strdup ("/nonexistent");
  fixture_tear_down (f, key);
}

static void
test_key_in_no_output (void)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *key = NULL;
  g_autofree char *middle = NULL;
  g_autofree char *key_pattern = NULL;
  g_autofree char *middle_pattern = NULL;
  g_autofree char *uuid_pattern = NULL;
  g_autoptr(ByokKeyStore) store = byok_key_store_new ();
  guint n_files = 0;

  if (g_strcmp0 (g_getenv ("BYOK_TEST_SESSION_INNER"), "1") != 0)
    {
      g_test_skip ("walks HOME and the XDG dirs: run it inside build-aux/test-session");
      return;
    }

  g_strdelimit (uuid, "-", 'x');
  key = g_strconcat ("sk-test-fake-ui-", uuid, NULL);
  middle = g_strndup (key + 8, 16);
  key_pattern = g_strconcat ("*", key, "*", NULL);
  middle_pattern = g_strconcat ("*", middle, "*", NULL);
  uuid_pattern = g_strconcat ("*", uuid, "*", NULL);
  g_setenv ("BYOK_TEST_UI_KEY", key, TRUE);
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);

  g_test_trap_subprocess ("/providers-page/subprocess/key-in-no-output", 0, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("G_MESSAGES_DEBUG");
  g_test_trap_assert_passed ();
  /* Debug output was there … */
  g_test_trap_assert_stdout ("*saved In keyring*valid*");
  g_test_trap_assert_stderr ("*byok-keys-DEBUG*storing key for openai/default*");
  /* … and the key was not, whole or in part. */
  g_test_trap_assert_stdout_unmatched (key_pattern);
  g_test_trap_assert_stderr_unmatched (key_pattern);
  g_test_trap_assert_stdout_unmatched (middle_pattern);
  g_test_trap_assert_stderr_unmatched (middle_pattern);
  g_test_trap_assert_stdout_unmatched (uuid_pattern);
  g_test_trap_assert_stderr_unmatched (uuid_pattern);

  n_files = byok_test_assert_in_no_file (key, middle);
  g_assert_cmpuint (n_files, >, 0);

  /* Clean up after the child: its key and its databases. */
  byok_key_store_delete_wait (store, "openai", NULL, NULL, NULL);
  {
    g_autoptr(GDir) d = g_dir_open (g_get_user_data_dir (), 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        if (g_str_has_prefix (name, "byok-ui-test-"))
          {
            g_autofree char *path = g_build_filename (g_get_user_data_dir (), name, NULL);

            byok_test_remove_tree (path);
          }
      }
  }
}

int
main (int argc, char **argv)
{
  /* Debug lines to stderr, so stdout holds what the child prints. */
  g_log_writer_default_set_use_stderr (TRUE);
  /* Accessible properties are kept (and can be read back) by the test
   * backend only. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  byok_test_ui_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/providers-page/save-valid", test_save_valid);
  ADD ("/providers-page/save-rejected", test_save_rejected);
  ADD ("/providers-page/format-warning", test_format_warning);
  ADD ("/providers-page/settings", test_settings);
  ADD ("/providers-page/allow-http", test_allow_http);
  ADD ("/providers-page/delete", test_delete);
  ADD ("/providers-page/custom-provider", test_custom_provider);
  ADD ("/providers-page/custom-provider-enter", test_custom_provider_enter);
  ADD ("/providers-page/accessible-names", test_accessible_names);
#undef ADD
  g_test_add_func ("/providers-page/key-in-no-output", test_key_in_no_output);
  g_test_add_func ("/providers-page/subprocess/key-in-no-output", test_key_in_no_output_child);

  return g_test_run ();
}
