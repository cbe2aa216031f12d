/* test-hostile-text.c — text from servers and from people is shown as it
 * is written, under Xvfb, in the real window with a real engine, keyring
 * and provider test server. "<b>&<a href=…>" in an error message from the
 * server, a key's name, a conversation title, a model name and a file name
 * reads back from the labels exactly as it was sent, and no label anywhere
 * holds a link: nothing of it is read as Pango markup. Every row of the
 * window has markup off.
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "byok-test-engine.h"
#include "byok-test-ui.h"
#include "byok-test-util.h"
#include "byok-chat-page.h"
#include "byok-composer.h"
#include "byok-model-picker.h"
#include "byok-preferences-window.h"
#include "byok-provider-row.h"
#include "byok-providers-page.h"
#include "byok-test-server.h"
#include "byok-window.h"
#include "byok-test-util.h"

/* What a hostile server or a careless person writes. */
#define HOSTILE      "<b>&<a href=\"file:///etc/passwd\">open me</a>"
#define HOSTILE_LINK "See <a href=\"file:///etc/passwd\">the docs</a> & retry"
/* A file's name cannot hold "/". */
#define HOSTILE_FILE "<b>&<a href=smb:x>.png"

#define KEY "sk-test-fake-hostile-0123456789abcdefghij"

typedef struct {
  char           *dir;
  ByokTestServer *server;
  ByokEngine     *engine;
  GtkWidget      *window;
} Fixture;

/* ---- main loop and widgets ----------------------------------------------- */

static void
wait_for_text (GtkWidget  *root,
               const char *text,
               gboolean    whole)
{
  byok_test_ui_wait_for_text (root, text, whole, FALSE);
}

/* No label under @widget is a link, or makes one of markup. */
static void
assert_no_link (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_label_get_use_markup (GTK_LABEL (widget)))
    {
      const char *markup = gtk_label_get_label (GTK_LABEL (widget));

      if (markup != NULL && strstr (markup, "<a ") != NULL)
        g_error ("a label makes a link of “%s”", markup);
      g_assert_null (gtk_label_get_current_uri (GTK_LABEL (widget)));
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    assert_no_link (c);
}

/* Every row under @widget shows its title and subtitle as plain text. */
static guint
assert_rows_plain (GtkWidget *widget)
{
  guint n = 0;

  if (ADW_IS_PREFERENCES_ROW (widget))
    {
      if (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (widget)))
        g_error ("the row “%s” (%s) reads markup", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)),
                 G_OBJECT_TYPE_NAME (widget));
      n++;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    n += assert_rows_plain (c);
  return n;
}

/* ---- fixture ------------------------------------------------------------- */

static void
forget_keys (ByokEngine *engine)
{
  ByokKeyStore *store = byok_engine_get_key_store (engine);
  g_autoptr(GPtrArray) keys = byok_key_store_list_wait (store, "openai", NULL, NULL);

  for (guint i = 0; keys != NULL && i < keys->len; i++)
    byok_key_store_delete_wait (store, "openai", byok_key_get_account (g_ptr_array_index (keys, i)), NULL, NULL);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char * const no_env[] = { NULL };
  g_autofree char *db_path = NULL;

  f->dir = byok_test_make_dir ("hostile-text");
  db_path = g_build_filename (f->dir, "byok.db", NULL);
  f->server = byok_test_server_new ();

  f->engine = byok_test_engine_new (db_path);
  byok_key_store_set_environment (byok_engine_get_key_store (f->engine), no_env);
  byok_client_set_max_attempts (byok_engine_get_client (f->engine), 1);
  byok_test_point_provider (byok_engine_get_catalog (f->engine), "openai", f->server, "/v1");
  forget_keys (f->engine);

  f->window = g_object_new (BYOK_TYPE_WINDOW, "engine", f->engine, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  byok_test_ui_iterate_pending ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  byok_test_ui_iterate_pending ();
  forget_keys (f->engine);
  g_clear_object (&f->engine);
  g_clear_object (&f->server);
  byok_test_remove_tree (f->dir);
  g_free (f->dir);
}

/* ---- Providers: the server's words and a key's name ---------------------- */

static gboolean
row_settled (gpointer data)
{
  ByokProviderStatus status = byok_provider_row_get_status (data);

  return status != BYOK_PROVIDER_STATUS_LOADING && status != BYOK_PROVIDER_STATUS_CHECKING;
}

static void
test_providers (Fixture       *f,
                gconstpointer  data)
{
  ByokProvidersPage *page = BYOK_PROVIDERS_PAGE (byok_window_get_page_widget (BYOK_WINDOW (f->window), "providers"));
  ByokProviderRow *row;
  GtkWidget *entry;
  g_autoptr(GError) error = NULL;
  g_autofree char *key_title = g_strdup_printf ("Key “%s” in the Keyring", HOSTILE);

  byok_window_show_page (BYOK_WINDOW (f->window), "providers");
  row = BYOK_PROVIDER_ROW (byok_providers_page_get_row (page, "openai"));
  byok_test_ui_iterate_until (row_settled, row, "the keyring listing");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);

  /* A 401 whose message is a link: the row says it, link and all, as text. */
  byok_test_server_add_reply (f->server, "/v1/models", byok_test_reply_new_json (401,
    "{\"error\":{\"message\":\"" "See <a href=\\\"file:///etc/passwd\\\">the docs</a> & retry" "\","
    "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));
  entry = byok_test_ui_find_descendant (GTK_WIDGET (row), ADW_TYPE_PASSWORD_ENTRY_ROW);
  gtk_editable_set_text (GTK_EDITABLE (entry), KEY);
  byok_test_ui_iterate_pending ();
  g_signal_emit_by_name (entry, "apply");
  byok_test_ui_wait_for_status (row, BYOK_PROVIDER_STATUS_REJECTED);
  wait_for_text (GTK_WIDGET (row), HOSTILE_LINK, FALSE);

  /* A 500 with markup: the toast says it as it came. */
  byok_test_server_add_reply (f->server, "/v1/models", byok_test_reply_new_json (500,
    "{\"error\":{\"message\":\"" "<b>&<a href=\\\"file:///etc/passwd\\\">open me</a>" "\",\"type\":\"server_error\"}}"));
  g_signal_emit_by_name (byok_test_ui_find_button (GTK_WIDGET (row), NULL, "_Check"), "clicked");
  byok_test_ui_wait_for_status (row, BYOK_PROVIDER_STATUS_CHECK_FAILED);
  wait_for_text (f->window, HOSTILE, FALSE);

  /* A key named in markup, with an "&" that used to blank the title. */
  g_assert_true (byok_key_store_store_wait (byok_engine_get_key_store (f->engine), "openai", HOSTILE,
                                            KEY, NULL, NULL, &error));
  g_assert_no_error (error);
  byok_provider_row_refresh (row);
  wait_for_text (GTK_WIDGET (row), key_title, TRUE);

  byok_test_ui_iterate_pending ();
  assert_no_link (f->window);
  g_assert_cmpuint (assert_rows_plain (f->window), >, 20);
}

/* ---- Chat: a conversation's title, a model's name, a file's name --------- */

static gboolean
picker_says (gpointer data)
{
  return byok_test_ui_find_text (data, HOSTILE, FALSE) != NULL;
}

static void
test_chat (Fixture       *f,
           gconstpointer  data)
{
  ByokChatPage *page = BYOK_CHAT_PAGE (byok_test_ui_find_descendant (f->window, BYOK_TYPE_CHAT_PAGE));
  ByokComposer *composer;
  g_autoptr(GSettings) settings = g_settings_new ("io.github.byok.Byok");
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokConversation) conversation = NULL;
  g_autofree char *deleted = g_strdup_printf ("“%s” deleted", HOSTILE);
  g_autofree char *file_path = g_build_filename (f->dir, HOSTILE_FILE, NULL);
  g_autoptr(GFile) file = NULL;
  g_autofree char *chain_entry = g_strdup_printf ("openai/%s", HOSTILE);
  const char *chain[] = { chain_entry, NULL };
  GtkWidget *preferences;

  byok_window_show_page (BYOK_WINDOW (f->window), "chat");

  /* A conversation's title: in the list, the header, and the toast of its
   * deletion. */
  conversation = byok_conversation_store_create (byok_chat_page_get_store (page), HOSTILE, "openai",
                                                 "gpt-4o-mini", &error);
  g_assert_no_error (error);
  byok_chat_page_open_conversation (page, conversation);
  wait_for_text (GTK_WIDGET (page), HOSTILE, TRUE);
  /* The conversation view is built now that there is a conversation. */
  composer = BYOK_COMPOSER (byok_test_ui_find_descendant (GTK_WIDGET (page), BYOK_TYPE_COMPOSER));
  g_assert_nonnull (composer);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "chat.delete", NULL));
  wait_for_text (f->window, deleted, TRUE);

  /* A model's name: the picker's button and a fallback row. */
  byok_model_picker_set_selection (byok_composer_get_picker (composer), "openai", HOSTILE);
  byok_test_ui_iterate_until (picker_says, byok_composer_get_picker (composer), "the model's name");
  g_settings_set_strv (settings, "fallback-chain", chain);
  g_assert_true (gtk_widget_activate_action (f->window, "win.preferences", NULL));
  byok_test_ui_iterate_pending ();
  preferences = byok_test_ui_find_open (BYOK_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  wait_for_text (preferences, HOSTILE, TRUE);
  assert_no_link (preferences);
  assert_rows_plain (preferences);
  byok_dialog_close (preferences);
  g_settings_reset (settings, "fallback-chain");

  /* A file's name, in the toast that refuses it. */
  g_assert_true (g_file_set_contents (file_path, "\x89PNG\r\n\x1a\n\0\0\0", 11, &error));
  g_assert_no_error (error);
  file = g_file_new_for_path (file_path);
  byok_composer_attach_file (composer, file);
  wait_for_text (f->window, HOSTILE_FILE, FALSE);

  byok_test_ui_iterate_pending ();
  assert_no_link (f->window);
  assert_rows_plain (f->window);
}

int
main (int    argc,
      char **argv)
{
  byok_test_ui_init (&argc, &argv, NULL);

  g_test_add ("/hostile-text/providers", Fixture, NULL, fixture_setup, test_providers, fixture_teardown);
  g_test_add ("/hostile-text/chat", Fixture, NULL, fixture_setup, test_chat, fixture_teardown);

  return g_test_run ();
}
