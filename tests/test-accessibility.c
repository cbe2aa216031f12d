/* test-accessibility.c — what a screen reader reads of Byok, read through
 * the real accessibility bus (AT-SPI), page by page, with data in each:
 *
 *   chat         a conversation with an answer and a code block, and a
 *                second conversation in the list
 *   compare      Compare with two columns that answered
 *   usage        Usage with calls, some failed
 *   providers    Providers with a key, its row expanded
 *   preferences  the Preferences
 *   shortcuts    the keyboard shortcuts window
 *
 * On the way, Alt+1, 2 and 3 must leave the focus in the page they show.
 *
 * In every scene no text may be cut: a label that ellipsizes its text
 * must have the whole text in a tooltip (there was truly no room), and
 * the usage table and the model picker (its button and its list) must
 * show every provider and model name whole at the default window size.
 * BYOK_TEST_LOCALE runs it all in a person's locale (meson's
 * test-accessibility-de and -zh_CN). /accessibility/large-text-1.5 and
 * -2.0 go through the same scenes with the text scaling factor at 1.5
 * and 2.0 (GtkSettings' gtk-xft-dpi, what the XSETTINGS of GNOME's text
 * scaling sets), for the cut-text check and the screenshots
 * (BYOK_TEST_SCREENSHOT_DIR), without the slower tree walk.
 *
 * For each, the window is left to the main loop while tests/a11y-walk
 * (python3-pyatspi) reads every window of this process over the bus and
 * lists the nodes a person can reach or operate whose name is empty, a
 * class name ("GtkFlowBoxChild"), repeats itself ("_Cancel Cancel") or
 * shows a mnemonic. The test fails on any, naming each.
 *
 * Unlike the other UI tests, this one runs with GTK's AT-SPI bridge on: the
 * accessibility bus is started (by D-Bus activation, at-spi2-core) inside
 * the test's private session. */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "byok-application.h"
#include "byok-chat-page.h"
#include "byok-compare-column.h"
#include "byok-compare-view.h"
#include "byok-compat.h"
#include "byok-composer.h"
#include "byok-custom-provider-dialog.h"
#include "byok-message-row.h"
#include "byok-provider-row.h"
#include "byok-preferences-window.h"
#include "byok-providers-page.h"
#include "byok-test-engine.h"
#include "byok-test-replies.h"
#include "byok-test-server.h"
#include "byok-test-ui.h"
#include "byok-test-util.h"
#include "byok-usage-breakdown.h"
#include "byok-usage-page.h"
#include "byok-window.h"

#define OPENAI_KEY     "sk-test-fake-accessibility-0001"
#define GROQ_KEY       "gsk_test_fake_accessibility_0001"
#define OPENROUTER_KEY "sk-or-test-fake-accessibility-0001"
#define CHAT_PATH      "/v1/chat/completions"

/* One run through every scene. */
typedef struct {
  double   text_scale;  /* the text scaling factor */
  gboolean walk;        /* read the accessibility tree in each scene */
} Variant;

static const Variant every_page = { 1.0, TRUE };
static const Variant large_text_1_5 = { 1.5, FALSE };
static const Variant large_text_2_0 = { 2.0, FALSE };

typedef struct {
  const Variant   *variant;
  char            *dir;
  char            *db_path;
  ByokTestServer  *server;
  ByokEngine      *engine;
  GtkApplication  *app;
  GtkWidget       *window;
  ByokChatPage    *page;
  GString         *problems;
  int              saved_dpi;
} Fixture;

/* ---- widgets ------------------------------------------------------------- */

/* A shown toplevel holding a widget of @type, or NULL. */
static GtkWidget *
find_in_toplevels (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);
      GtkWidget *found;

      if (!gtk_widget_get_mapped (window))
        continue;
      found = byok_test_ui_find_descendant (window, type);
      if (found != NULL && gtk_widget_get_mapped (found))
        return found;
    }
  return NULL;
}

/* A shown button with this icon inside @widget. */
static gboolean
find_icon_button_matches (GtkWidget     *widget,
                          gconstpointer  data)
{
  const char *icon_name = data;

  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), icon_name) == 0 &&
         gtk_widget_get_mapped (widget);
}

static GtkWidget *
find_icon_button (GtkWidget  *widget,
                  const char *icon_name)
{
  return byok_test_ui_find_first (widget, find_icon_button_matches, icon_name);
}

static gboolean
type_shown (gpointer data)
{
  return find_in_toplevels (GPOINTER_TO_SIZE (data)) != NULL;
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* ---- the walk ------------------------------------------------------------ */

typedef struct {
  gboolean  done;
  char     *out;
  char     *err;
  GError   *error;
  gboolean  success;
  int       status;
} Walk;

static void
walked (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Walk *walk = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &walk->out, &walk->err, &walk->error);
  walk->done = TRUE;
}

static gboolean
walk_done (gpointer data)
{
  return ((Walk *) data)->done;
}

/* BYOK_A11Y_DUMP=SCENE (or "all") logs the whole tree the walker read. */
static gboolean
dump_scene (const char *scene)
{
  const char *dump = g_getenv ("BYOK_A11Y_DUMP");

  return dump != NULL && (g_str_equal (dump, "all") || g_str_equal (dump, scene));
}

/* ---- text that does not fit ---------------------------------------------- */

/* The tooltip on @widget or the nearest ancestor that has one. */
static const char *
tooltip_of (GtkWidget *widget)
{
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    {
      const char *tip = gtk_widget_get_tooltip_text (w);

      if (tip != NULL && *tip != '\0')
        return tip;
    }
  return NULL;
}

/* Inside the usage table or the model picker (its button and its list,
 * whose popover is the picker's child): names that must show whole. */
static gboolean
in_name_widget (GtkWidget *widget)
{
  return gtk_widget_get_ancestor (widget, BYOK_TYPE_USAGE_BREAKDOWN) != NULL ||
         gtk_widget_get_ancestor (widget, BYOK_TYPE_MODEL_PICKER) != NULL;
}

/* The Byok widgets @widget is in, for a problem's message. */
static char *
where_is (GtkWidget *widget)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (GtkWidget *w = gtk_widget_get_parent (widget); w != NULL && names->len < 3; w = gtk_widget_get_parent (w))
    if (g_str_has_prefix (G_OBJECT_TYPE_NAME (w), "Byok"))
      g_ptr_array_insert (names, 0, (gpointer) G_OBJECT_TYPE_NAME (w));
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" › ", (char **) names->pdata);
}

static void
check_labels (Fixture    *f,
              GtkWidget  *widget,
              const char *scene)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget) && gtk_label_get_ellipsize (GTK_LABEL (widget)) != PANGO_ELLIPSIZE_NONE &&
      pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget))))
    {
      const char *text = gtk_label_get_text (GTK_LABEL (widget));
      const char *tip = tooltip_of (widget);
      g_autofree char *where = where_is (widget);
      int natural;

      gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
      if (in_name_widget (widget) && f->variant->text_scale == 1.0)
        g_string_append_printf (f->problems, "%s: “%s” is cut to %d of its %d pixels (in %s)\n",
                                scene, text, gtk_widget_get_width (widget), natural, where);
      else if (tip == NULL || strstr (tip, text) == NULL)
        g_string_append_printf (f->problems, "%s: “%s” is cut to %d of its %d pixels, with no tooltip that shows it (in %s)\n",
                                scene, text, gtk_widget_get_width (widget), natural, where);
      else
        g_test_message ("%s: “%s” is cut to %d of its %d pixels; its tooltip shows it (in %s)",
                        scene, text, gtk_widget_get_width (widget), natural, where);
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    check_labels (f, c, scene);
}

/* Every shown window: a label cut short is a problem unless its tooltip
 * shows it whole (and, in the usage table and the model picker at the
 * normal text size, even then). */
static void
check_text_fits (Fixture    *f,
                 const char *scene)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      check_labels (f, window, scene);
    }
}

/* ---- a scene ------------------------------------------------------------- */

/* Reads this process's windows over the accessibility bus, while the main
 * loop answers the walker's questions, and adds what it found to
 * f->problems. */
static void
walk_tree (Fixture    *f,
           const char *scene)
{
  g_autofree char *walker = g_test_build_filename (G_TEST_DIST, "a11y-walk", NULL);
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Walk walk = { 0, };
  const char *argv[] = { walker, pid, scene, dump_scene (scene) ? "--dump" : NULL, NULL };

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, walked, &walk);
  byok_test_ui_iterate_until (walk_done, &walk, "the accessibility walk");
  g_assert_no_error (walk.error);
  walk.status = g_subprocess_get_exit_status (process);

  if (walk.err != NULL && *walk.err != '\0')
    g_test_message ("%s", walk.err);
  /* 2: this process was not on the bus; 3: it did not answer the walker
   * (a question unanswered is never read as an empty name); anything
   * else than 0 or 1: the walker itself failed (no python3-pyatspi?). */
  if (walk.status != 0 && walk.status != 1)
    g_error ("the accessibility walk of “%s” failed (exit %d): %s%s", scene, walk.status,
             walk.out != NULL ? walk.out : "", walk.err != NULL ? walk.err : "");
  if (walk.status == 1)
    {
      g_test_message ("%s", walk.out);
      g_string_append (f->problems, walk.out);
    }

  g_free (walk.out);
  g_free (walk.err);
}

/* What a person sees and hears of a scene: a screenshot, text cut short,
 * and (in the variants that walk) the accessibility tree. */
static char *
screenshot_name (Fixture    *f,
                 const char *scene)
{
  return f->variant->text_scale != 1.0
    ? g_strdup_printf ("%s-text-%.1f", scene, f->variant->text_scale)
    : g_strdup (scene);
}

static void
look_at (Fixture    *f,
         const char *scene)
{
  g_autofree char *name = screenshot_name (f, scene);

  GListModel *toplevels = gtk_window_get_toplevels ();

  byok_test_ui_wait_for_paint (f->window);
  byok_test_ui_screenshot (f->window, name);
  /* A dialog is a window of its own (libadwaita 1.2). */
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);
      g_autofree char *dialog_name = g_strdup_printf ("%s-%s", name, G_OBJECT_TYPE_NAME (window));

      if (window != f->window && gtk_widget_get_mapped (window))
        byok_test_ui_screenshot (window, dialog_name);
    }
  byok_test_ui_iterate_pending ();
  check_text_fits (f, scene);
  if (f->variant->walk)
    walk_tree (f, scene);
}

/* ---- fixture ------------------------------------------------------------- */

static void
store_key (Fixture    *f,
           const char *provider,
           const char *key)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (byok_key_store_store_wait (byok_engine_get_key_store (f->engine), provider, NULL, key,
                                            NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  f->variant = data;
  f->problems = g_string_new (NULL);
  g_object_get (gtk_settings_get_default (), "gtk-xft-dpi", &f->saved_dpi, NULL);
  /* What GNOME's text scaling factor does: the fonts' resolution, from
   * 96 dpi (in 1/1024ths). */
  g_object_set (gtk_settings_get_default (), "gtk-xft-dpi", (int) (96 * 1024 * f->variant->text_scale), NULL);
  f->dir = g_dir_make_tmp ("byok-test-accessibility-XXXXXX", &error);
  g_assert_no_error (error);
  f->db_path = g_build_filename (f->dir, "byok.db", NULL);
  f->server = byok_test_server_new ();
  url = g_strconcat (byok_test_server_get_url (f->server), "/v1", NULL);
  g_setenv ("BYOK_BASE_URL_OPENAI", url, TRUE);
  /* OpenRouter's key below makes the balance monitor read its credits:
   * from the test server too, never from openrouter.ai. */
  g_setenv ("BYOK_BASE_URL_OPENROUTER", url, TRUE);

  f->engine = byok_engine_new (f->db_path, &error);
  g_assert_no_error (error);
  byok_client_set_max_attempts (byok_engine_get_client (f->engine), 1);
  /* Keys in the keyring, as a person adds them: OpenAI answers; Groq and
   * OpenRouter put long model names in the picker. */
  store_key (f, "openai", OPENAI_KEY);
  store_key (f, "groq", GROQ_KEY);
  store_key (f, "openrouter", OPENROUTER_KEY);

  /* The application: its accelerators and the shortcuts window. */
  f->app = GTK_APPLICATION (byok_application_new ());
  g_application_register (G_APPLICATION (f->app), NULL, &error);
  g_assert_no_error (error);

  f->window = g_object_new (BYOK_TYPE_WINDOW, "application", f->app, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 700);
  byok_window_set_engine (BYOK_WINDOW (f->window), f->engine);
  f->page = BYOK_CHAT_PAGE (byok_test_ui_find_descendant (f->window, BYOK_TYPE_CHAT_PAGE));
  gtk_window_present (GTK_WINDOW (f->window));
  byok_test_ui_iterate_until (byok_test_ui_chat_page_keys_known, f->page, "the keys");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (window);
    }
  byok_test_ui_iterate_pending ();
  byok_test_server_release_held (f->server);
  byok_test_ui_iterate_pending ();
  g_clear_object (&f->app);
  g_clear_object (&f->engine);
  g_clear_object (&f->server);
  g_unsetenv ("BYOK_BASE_URL_OPENAI");
  g_unsetenv ("BYOK_BASE_URL_OPENROUTER");
  byok_test_remove_tree (f->dir);
  g_free (f->db_path);
  g_free (f->dir);
  g_string_free (f->problems, TRUE);
  g_object_set (gtk_settings_get_default (), "gtk-xft-dpi", f->saved_dpi, NULL);
}

/* ---- the scenes ---------------------------------------------------------- */

static ByokComposer *
composer_of (Fixture *f)
{
  return BYOK_COMPOSER (byok_test_ui_find_descendant (GTK_WIDGET (f->page), BYOK_TYPE_COMPOSER));
}

static void
send_and_wait (Fixture    *f,
               const char *text)
{
  ByokComposer *composer = composer_of (f);

  byok_composer_set_text (composer, text);
  g_assert_true (byok_composer_send (composer));
  byok_test_ui_iterate_until (byok_test_ui_chat_page_idle, f->page, "the answer");
}

/* Once a window of @type is up (@what, for a failure), what its scene
 * @scene shows is checked; the window */
static GtkWidget *
look_at_opened (Fixture    *f,
                GType       type,
                const char *what,
                const char *scene)
{
  byok_test_ui_iterate_until (type_shown, GSIZE_TO_POINTER (type), what);
  look_at (f, scene);
  return find_in_toplevels (type);
}

static void
scene_chat (Fixture *f)
{
  byok_model_picker_set_selection (byok_composer_get_picker (composer_of (f)), "openai", "gpt-4o-mini");
  byok_test_server_add_reply (f->server, CHAT_PATH, byok_test_reply_new_openai_text ("Hello there."));
  send_and_wait (f, "Say hello");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "chat.new", NULL));
  byok_test_ui_iterate_pending ();
  byok_test_server_add_reply (f->server, CHAT_PATH,
                              byok_test_reply_new_openai_text ("Here is **one** way:\n\n```python\nprint(\"hello\")\n```\n\nRun it with `python3`."));
  send_and_wait (f, "Print hello in Python");
  look_at (f, "chat");

  /* Editing the question: Cancel and Send Again. */
  {
    GtkWidget *row = byok_test_ui_find_descendant (GTK_WIDGET (f->page), BYOK_TYPE_MESSAGE_ROW);

    g_assert_true (gtk_widget_activate_action (row, "message.edit", NULL));
    byok_test_ui_iterate_pending ();
    look_at (f, "chat-edit");
    g_assert_true (gtk_widget_activate_action (row, "message.cancel-edit", NULL));
    byok_test_ui_iterate_pending ();
    /* Escape leaves the focus on Edit, where the person started. */
    g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == find_icon_button (row, "document-edit-symbolic"));
  }
}

static gboolean
popover_shown (gpointer data)
{
  GtkPopover *popover = gtk_menu_button_get_popover (data);

  return popover != NULL && gtk_widget_get_mapped (GTK_WIDGET (popover));
}

/* The model picker, on the longest model name of the catalog, open: the
 * button and the list show the names whole ("Qwen2.5 Coder…" was cut in
 * every language). */
static void
scene_picker (Fixture *f)
{
  ByokModelPicker *picker = byok_composer_get_picker (composer_of (f));
  GtkMenuButton *button = GTK_MENU_BUTTON (byok_test_ui_find_descendant (GTK_WIDGET (picker), GTK_TYPE_MENU_BUTTON));
  g_autofree char *provider = g_strdup (byok_model_picker_get_provider_id (picker));
  g_autofree char *model = g_strdup (byok_model_picker_get_model_id (picker));
  g_autofree char *name = screenshot_name (f, "picker-list");

  byok_model_picker_set_selection (picker, "openrouter", "deepseek/deepseek-v4-flash");
  look_at (f, "picker-button");
  gtk_menu_button_popup (button);
  byok_test_ui_iterate_until (popover_shown, button, "the model list");
  byok_test_ui_screenshot (GTK_WIDGET (gtk_menu_button_get_popover (button)), name);
  look_at (f, "picker");
  gtk_menu_button_popdown (button);
  byok_test_ui_iterate_pending ();
  byok_model_picker_set_selection (picker, provider, model);
}

static gboolean
compare_done (gpointer data)
{
  return !byok_compare_view_get_busy (data);
}

static void
scene_compare (Fixture *f)
{
  ByokCompareView *view = byok_chat_page_get_compare_view (f->page);

  byok_composer_set_text (composer_of (f), "Which is faster?");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "chat.compare", NULL));
  byok_test_ui_iterate_until (widget_mapped, view, "the comparison");
  byok_compare_view_set_n_columns (view, 2);
  byok_model_picker_set_selection (byok_compare_column_get_picker (byok_compare_view_get_column (view, 0)),
                                   "openai", "gpt-4o-mini");
  byok_model_picker_set_selection (byok_compare_column_get_picker (byok_compare_view_get_column (view, 1)),
                                   "openai", "gpt-4o");
  byok_test_server_add_reply_for_model (f->server, CHAT_PATH, "gpt-4o-mini", byok_test_reply_new_openai_text ("Mini is faster."));
  byok_test_server_add_reply_for_model (f->server, CHAT_PATH, "gpt-4o", byok_test_reply_new_openai_text ("It depends."));
  g_assert_true (byok_compare_view_send (view));
  byok_test_ui_iterate_until (compare_done, view, "both columns");
  look_at (f, "compare");
}

/* One call, as the engine records it: answered (@status NULL) or failed. */
static void
record_call (Fixture    *f,
             const char *provider,
             const char *model,
             const char *status)
{
  byok_test_record_usage (byok_engine_get_usage_store (f->engine), &(ByokUsageRecord) {
    .time_us = g_get_real_time (), .provider = (char *) provider, .model = (char *) model,
    .latency_us = 300000, .ttft_us = status == NULL ? 120000 : -1,
    .status = (char *) status, .http_status = status == NULL ? 200 : 429,
    .input_tokens = status == NULL ? 1200 : 0, .output_tokens = status == NULL ? 800 : 0,
    .price_known = TRUE, .cost_usd = status == NULL ? 0.0042 : 0,
  });
}

static gboolean
usage_ready (gpointer data)
{
  return !byok_usage_page_is_busy (data);
}

static void
scene_usage (Fixture *f)
{
  ByokUsagePage *usage = BYOK_USAGE_PAGE (byok_window_get_page_widget (BYOK_WINDOW (f->window), "usage"));

  record_call (f, "openai", "gpt-4o", "rate_limit");
  record_call (f, "anthropic", "claude-haiku-4-5-20251001", "rate_limit");
  /* The longest names of the catalog's providers and models: the table
   * shows them whole (German cut "Moonshot AI (K…" and "Llama 3.3 70B
   * Vers…"). */
  record_call (f, "moonshot", "kimi-k2-thinking", NULL);
  record_call (f, "groq", "llama-3.3-70b-versatile", NULL);
  record_call (f, "openrouter", "deepseek/deepseek-v4-flash", NULL);
  record_call (f, "zhipu", "glm-4-32b-0414-128k", NULL);
  byok_window_show_page (BYOK_WINDOW (f->window), "usage");
  byok_usage_page_refresh (usage);
  byok_test_ui_iterate_until (usage_ready, usage, "the usage page");
  look_at (f, "usage");
}

static gboolean
row_loaded (gpointer data)
{
  ByokProviderStatus status = byok_provider_row_get_status (data);

  return status != BYOK_PROVIDER_STATUS_LOADING;
}

static void
scene_providers (Fixture *f)
{
  ByokProvidersPage *providers = BYOK_PROVIDERS_PAGE (byok_window_get_page_widget (BYOK_WINDOW (f->window), "providers"));
  GtkWidget *row;

  byok_window_show_page (BYOK_WINDOW (f->window), "providers");
  row = byok_providers_page_get_row (providers, "openai");
  g_assert_nonnull (row);
  byok_test_ui_iterate_until (row_loaded, row, "the OpenAI row");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  byok_test_ui_iterate_pending ();
  look_at (f, "providers");

  /* Deleting the key asks first. */
  {
    GtkWidget *delete_button = find_icon_button (row, "user-trash-symbolic");
    GtkWidget *alert;

    g_assert_nonnull (delete_button);
    g_signal_emit_by_name (delete_button, "clicked");
    alert = look_at_opened (f, BYOK_TYPE_ALERT_PARENT, "the question", "delete-key");
    /* Answered, it closes (on every libadwaita). */
    byok_test_ui_answer_alert (alert, "cancel");
  }

  /* A custom provider's dialog. */
  {
    GtkWidget *dialog;

    byok_providers_page_add_custom (providers);
    dialog = look_at_opened (f, BYOK_TYPE_CUSTOM_PROVIDER_DIALOG, "the custom provider dialog", "custom-provider");
    byok_dialog_close (dialog);
    byok_test_ui_iterate_pending ();
  }
}

static void
scene_preferences (Fixture *f)
{
  GtkWidget *preferences;

  g_assert_true (gtk_widget_activate_action (f->window, "win.preferences", NULL));
  preferences = look_at_opened (f, BYOK_TYPE_PREFERENCES_WINDOW, "the preferences", "preferences");
  byok_dialog_close (preferences);
  byok_test_ui_iterate_pending ();
}

/* GTK 4.18 deprecates the shortcuts window, for libadwaita 1.8's dialog. */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
static void
scene_shortcuts (Fixture *f)
{
  GtkWidget *shortcuts;

  g_assert_true (gtk_widget_activate_action (f->window, "win.show-help-overlay", NULL));
  shortcuts = look_at_opened (f, GTK_TYPE_SHORTCUTS_WINDOW, "the shortcuts window", "shortcuts");
  gtk_window_close (GTK_WINDOW (gtk_widget_get_root (shortcuts)));
  byok_test_ui_iterate_pending ();
}
G_GNUC_END_IGNORE_DEPRECATIONS

/* Alt+1, 2 and 3 (the application's accelerators, as GTK would activate
 * them) show a page and put the focus at its first control, not in the
 * header: the message box in Chat, the first provider, the first card. */
static void
keyboard_switches_pages (Fixture *f)
{
  static const struct {
    const char *accel;
    const char *page;
  } keys[] = {
    { "<Alt>2", "providers" },
    { "<Alt>3", "usage" },
    { "<Alt>1", "chat" },
  };
  GtkWidget *header = byok_test_ui_find_descendant (f->window, ADW_TYPE_HEADER_BAR);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_auto(GStrv) actions = gtk_application_get_actions_for_accel (f->app, keys[i].accel);
      g_autofree char *name = NULL;
      g_autoptr(GVariant) target = NULL;
      g_autoptr(GError) error = NULL;
      GtkWidget *page;
      GtkWidget *focus;

      g_assert_cmpuint (g_strv_length (actions), ==, 1);
      g_assert_true (g_action_parse_detailed_name (actions[0], &name, &target, &error));
      g_assert_no_error (error);
      /* The focus starts in the header, where the page switcher is. */
      gtk_widget_grab_focus (gtk_widget_get_first_child (byok_test_ui_find_descendant (header, GTK_TYPE_MENU_BUTTON)));
      if (i == 0)
        {
          gtk_window_set_focus_visible (GTK_WINDOW (f->window), TRUE);
          byok_test_ui_screenshot (f->window, "header-focus");
        }
      g_assert_true (gtk_widget_activate_action_variant (f->window, name, target));
      byok_test_ui_wait_for_paint (f->window);

      page = adw_view_stack_get_visible_child (ADW_VIEW_STACK (byok_test_ui_find_descendant (f->window, ADW_TYPE_VIEW_STACK)));
      g_assert_cmpstr (byok_window_get_page (BYOK_WINDOW (f->window)), ==, keys[i].page);
      focus = gtk_root_get_focus (GTK_ROOT (f->window));
      g_assert_nonnull (focus);
      g_test_message ("%s: the focus is on a %s", keys[i].accel, G_OBJECT_TYPE_NAME (focus));
      g_assert_true (gtk_widget_is_ancestor (focus, page));
      g_assert_false (gtk_widget_is_ancestor (focus, header));
      if (g_str_equal (keys[i].page, "chat"))
        g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (composer_of (f))));
    }
}

static void
test_every_page (Fixture       *f,
                 gconstpointer  data)
{
  scene_chat (f);
  scene_picker (f);
  keyboard_switches_pages (f);
  scene_usage (f);
  scene_providers (f);
  scene_preferences (f);
  scene_shortcuts (f);
  /* Last: on GTK 4.24, closing Compare a while after its answers came
   * warns that a column is measured below its minimum height, whatever
   * the accessibility bus does (test-accessibility left it open). */
  byok_window_show_page (BYOK_WINDOW (f->window), "chat");
  scene_compare (f);

  if (f->problems->len > 0)
    g_error ("what a screen reader cannot read properly:\n%s", f->problems->str);
}

int
main (int    argc,
      char **argv)
{
  const char *locale = g_getenv ("BYOK_TEST_LOCALE");

  /* The other UI tests turn GTK's accessibility off; this one reads it. */
  g_unsetenv ("NO_AT_BRIDGE");
  g_unsetenv ("GTK_A11Y");
  if (locale == NULL)
    g_setenv ("LANGUAGE", "C", TRUE);

  byok_test_tolerate_toolkit_bugs (NULL);
  gtk_test_init (&argc, &argv, NULL);
  if (locale != NULL)
    {
      /* A person's locale (gtk_test_init() chose en_US), with the
       * catalogs just built. */
      g_unsetenv ("LANGUAGE");
      if (setlocale (LC_ALL, locale) == NULL)
        g_error ("The locale %s is missing: run build-aux/install-deps", locale);
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("BYOK_TEST_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
  adw_init ();

  g_test_add ("/accessibility/every-page", Fixture, &every_page, fixture_setup, test_every_page, fixture_teardown);
  g_test_add ("/accessibility/large-text-1.5", Fixture, &large_text_1_5, fixture_setup, test_every_page, fixture_teardown);
  g_test_add ("/accessibility/large-text-2.0", Fixture, &large_text_2_0, fixture_setup, test_every_page, fixture_teardown);

  return g_test_run ();
}
