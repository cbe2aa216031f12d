/* test-window.c — UI smoke test under Xvfb: the window opens, its three pages
 * switch from the header bar's action, Chat and Usage show their empty
 * states and Providers its groups, Providers and Usage are built when first
 * shown (or when a budget alert needs Usage), the window's size
 * persists through GSettings, its icons need no librsvg, and its
 * shortcuts window is built only when first asked for. */
#include "config.h"

#include <adwaita.h>

#include "byok-application.h"
#include "byok-chat-page.h"
#include "byok-composer.h"
#include "byok-providers-page.h"
#include "byok-test-ui.h"
#include "byok-test-util.h"
#include "byok-usage-page.h"
#include "byok-window.h"

static AdwViewStack *
window_stack (GtkWidget *window)
{
  return ADW_VIEW_STACK (byok_test_ui_find_descendant (window, ADW_TYPE_VIEW_STACK));
}

static void
test_window_pages (void)
{
  static const struct {
    const char *name;
    const char *title;   /* of the empty state; NULL: a page without one */
  } pages[] = {
    { "chat", "No Conversations Yet" },
    { "providers", NULL },
    { "usage", "No Usage Yet" },
  };
  GtkWidget *window = g_object_new (BYOK_TYPE_WINDOW, NULL);
  AdwViewStack *stack;
  GtkWidget *switcher;

  gtk_window_present (GTK_WINDOW (window));
  byok_test_ui_iterate_pending ();

  stack = window_stack (window);
  g_assert_nonnull (stack);
  switcher = byok_test_ui_find_descendant (window, ADW_TYPE_VIEW_SWITCHER_BAR);
  g_assert_nonnull (switcher);
  g_assert_true (adw_view_switcher_bar_get_stack (ADW_VIEW_SWITCHER_BAR (switcher)) == stack);

  /* The app opens on Chat. */
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "chat");

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      GtkWidget *page;
      AdwStatusPage *status;

      g_assert_true (gtk_widget_activate_action (window, "win.show-page", "s", pages[i].name));
      byok_test_ui_iterate_pending ();
      g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, pages[i].name);
      g_assert_cmpstr (byok_window_get_page (BYOK_WINDOW (window)), ==, pages[i].name);

      page = adw_view_stack_get_visible_child (stack);
      if (pages[i].title == NULL)
        {
          /* Providers: its groups of keys and custom providers, at once. */
          GtkWidget *prefs = byok_test_ui_find_descendant (page, ADW_TYPE_PREFERENCES_PAGE);
          GtkWidget *group = byok_test_ui_find_descendant (page, ADW_TYPE_PREFERENCES_GROUP);

          g_assert_nonnull (prefs);
          g_assert_true (gtk_widget_get_mapped (prefs));
          g_assert_nonnull (group);
          continue;
        }
      status = ADW_STATUS_PAGE (byok_test_ui_find_descendant (page, ADW_TYPE_STATUS_PAGE));
      g_assert_nonnull (status);
      g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (status)));
      g_assert_cmpstr (adw_status_page_get_title (status), ==, pages[i].title);
      g_assert_nonnull (adw_status_page_get_description (status));
      g_assert_nonnull (strstr (adw_status_page_get_description (status), "Add a key in Providers"));
    }

  /* The empty Chat page's button leads to Providers. */
  byok_window_show_page (BYOK_WINDOW (window), "chat");
  byok_test_ui_iterate_pending ();
  {
    GtkWidget *page = adw_view_stack_get_visible_child (stack);
    GtkWidget *button = byok_test_ui_find_descendant (page, GTK_TYPE_BUTTON);
    g_assert_nonnull (button);
    g_signal_emit_by_name (button, "clicked");
    byok_test_ui_iterate_pending ();
    g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "providers");
  }

  /* An unknown page name leaves the page alone. */
  byok_window_show_page (BYOK_WINDOW (window), "nope");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "providers");

  byok_test_ui_destroy_window (&window);
}

static void
test_window_size_persists (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *window;
  int w, h;

  window = g_object_new (BYOK_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 811, 613);
  gtk_window_present (GTK_WINDOW (window));
  byok_test_ui_iterate_pending ();
  gtk_window_close (GTK_WINDOW (window));
  byok_test_ui_iterate_pending ();

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 811);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 613);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  window = g_object_new (BYOK_TYPE_WINDOW, NULL);
  gtk_window_get_default_size (GTK_WINDOW (window), &w, &h);
  g_assert_cmpint (w, ==, 811);
  g_assert_cmpint (h, ==, 613);
  gtk_window_destroy (GTK_WINDOW (window));

  g_settings_set_boolean (settings, "window-maximized", TRUE);
  window = g_object_new (BYOK_TYPE_WINDOW, NULL);
  gtk_window_present (GTK_WINDOW (window));
  byok_test_ui_iterate_pending ();
  /* Under Xvfb there is no window manager to grant it, but the request stands. */
  g_assert_true (g_settings_get_boolean (settings, "window-maximized"));
  byok_test_ui_destroy_window (&window);
}

static gboolean
find_label_matches (GtkWidget     *widget,
                    gconstpointer  data)
{
  const char *text = data;

  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0 &&
         gtk_widget_get_mapped (widget);
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  return byok_test_ui_find_first (widget, find_label_matches, text);
}

/* An engine on a new database in @dir. */
static ByokEngine *
engine_in (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = g_build_filename (dir, "byok.db", NULL);
  ByokEngine *engine = byok_engine_new (db_path, &error);

  g_assert_no_error (error);
  return engine;
}

/* The window opens on Chat and builds Providers and Usage when they are
 * first shown, with the window's engine; a budget crossed before Usage was
 * ever shown is still told (the page that tells it is built for it). */
static void
test_window_lazy_pages (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("byok-test-window-XXXXXX", &error);
  g_autoptr(ByokEngine) engine = NULL;
  const char *alert = "80% of the monthly budget for all providers used";
  GtkWidget *window;
  GtkWidget *providers, *usage;
  gint64 end;

  g_assert_no_error (error);
  engine = engine_in (dir);

  window = g_object_new (BYOK_TYPE_WINDOW, "engine", engine, NULL);
  gtk_window_present (GTK_WINDOW (window));
  byok_test_ui_iterate_pending ();
  g_assert_true (gtk_widget_get_mapped (window));
  g_assert_nonnull (byok_test_ui_find_descendant (window, g_type_from_name ("ByokChatPage")));
  g_assert_null (byok_test_ui_find_descendant (window, BYOK_TYPE_PROVIDERS_PAGE));
  g_assert_null (byok_test_ui_find_descendant (window, BYOK_TYPE_USAGE_PAGE));

  byok_window_show_page (BYOK_WINDOW (window), "providers");
  byok_test_ui_iterate_pending ();
  providers = byok_test_ui_find_descendant (window, BYOK_TYPE_PROVIDERS_PAGE);
  g_assert_nonnull (providers);
  g_assert_true (gtk_widget_get_mapped (providers));
  g_assert_true (byok_providers_page_get_engine (BYOK_PROVIDERS_PAGE (providers)) == engine);
  g_assert_true (byok_window_get_page_widget (BYOK_WINDOW (window), "providers") == providers);
  g_assert_null (byok_test_ui_find_descendant (window, BYOK_TYPE_USAGE_PAGE));

  /* What the engine does after a call that crossed a budget. */
  byok_window_show_page (BYOK_WINDOW (window), "chat");
  g_signal_emit_by_name (engine, "budget-alert", "all", 80);
  usage = byok_test_ui_find_descendant (window, BYOK_TYPE_USAGE_PAGE);
  g_assert_nonnull (usage);
  g_assert_true (byok_usage_page_get_engine (BYOK_USAGE_PAGE (usage)) == engine);
  g_assert_cmpstr (byok_window_get_page (BYOK_WINDOW (window)), ==, "chat");
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (find_label (window, alert) == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_nonnull (find_label (window, alert));

  byok_window_show_page (BYOK_WINDOW (window), "usage");
  byok_test_ui_iterate_pending ();
  g_assert_true (byok_test_ui_find_descendant (window, BYOK_TYPE_USAGE_PAGE) == usage);
  g_assert_true (gtk_widget_get_mapped (usage));
  g_assert_null (byok_window_get_page_widget (BYOK_WINDOW (window), "nope"));

  byok_test_ui_destroy_window (&window);
  g_clear_object (&engine);
  byok_test_remove_tree (dir);
}

static gboolean
composer_mapped (gpointer page)
{
  GtkWidget *composer = byok_test_ui_find_descendant (page, g_type_from_name ("ByokComposer"));

  return composer != NULL && gtk_widget_get_mapped (composer);
}

/* A first start (no key, no conversation) builds nothing of the Chat
 * page's conversation view behind "add a key", and the shortcuts that
 * focus it do nothing there; the first key builds it, on that key's
 * provider. A conversation stored before the start is shown at once
 * (issue 13). */
static void
test_window_lazy_conversation_view (void)
{
  const char *no_env[] = { NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("byok-test-window-XXXXXX", &error);
  g_autoptr(ByokEngine) engine = NULL;
  g_autoptr(ByokConversation) earlier = NULL;
  ByokKeyStore *keys;
  GtkWidget *window;
  GtkWidget *page;
  GtkWidget *composer;
  GtkWidget *focus;
  GType split_view_type = g_type_from_name ("ByokSplitView");

  g_assert_no_error (error);
  engine = engine_in (dir);
  keys = byok_engine_get_key_store (engine);
  byok_key_store_set_environment (keys, no_env);

  window = g_object_new (BYOK_TYPE_WINDOW, "engine", engine, NULL);
  gtk_window_present (GTK_WINDOW (window));
  page = byok_test_ui_find_descendant (window, BYOK_TYPE_CHAT_PAGE);
  g_assert_nonnull (page);
  byok_test_ui_iterate_until (byok_test_ui_chat_page_keys_known, page, "the keys");
  byok_test_ui_iterate_pending ();
  g_assert_true (gtk_widget_get_mapped (page));
  g_assert_nonnull (find_label (window, "No Conversations Yet"));
  g_assert_null (byok_test_ui_find_descendant (page, split_view_type));
  g_assert_null (byok_test_ui_find_descendant (page, g_type_from_name ("ByokComposer")));

  /* Ctrl+N, Ctrl+F, Ctrl+L and going to the page: nothing to show yet. */
  g_assert_true (gtk_widget_activate_action (page, "chat.new", NULL));
  g_assert_true (gtk_widget_activate_action (page, "chat.search", NULL));
  g_assert_true (gtk_widget_activate_action (page, "chat.focus-composer", NULL));
  byok_window_show_page (BYOK_WINDOW (window), "providers");
  byok_window_show_page (BYOK_WINDOW (window), "chat");
  byok_test_ui_iterate_pending ();
  g_assert_null (byok_test_ui_find_descendant (page, split_view_type));

  /* The first key: the conversation view, on that key's provider, and
   * the message box takes the focus. */
  byok_key_store_store_wait (keys, "deepseek", NULL, "sk-test-fake-lazy-view-0001", NULL, NULL, &error);
  g_assert_no_error (error);
  byok_chat_page_reload_keys (BYOK_CHAT_PAGE (page));
  byok_test_ui_iterate_until (composer_mapped, page, "the conversation view");
  composer = byok_test_ui_find_descendant (page, g_type_from_name ("ByokComposer"));
  g_assert_cmpstr (byok_model_picker_get_provider_id (byok_composer_get_picker (BYOK_COMPOSER (composer))), ==, "deepseek");
  g_assert_true (gtk_widget_activate_action (page, "chat.focus-composer", NULL));
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, composer));

  earlier = byok_conversation_store_create (byok_chat_page_get_store (BYOK_CHAT_PAGE (page)), "An earlier one",
                                            "deepseek", "deepseek-chat", &error);
  g_assert_no_error (error);
  byok_test_ui_destroy_window (&window);
  byok_key_store_delete_wait (keys, "deepseek", NULL, NULL, &error);
  g_assert_no_error (error);

  /* A returning user: the conversations show at once, before the
   * keyring answered. */
  window = g_object_new (BYOK_TYPE_WINDOW, "engine", engine, NULL);
  page = byok_test_ui_find_descendant (window, BYOK_TYPE_CHAT_PAGE);
  g_assert_false (byok_chat_page_get_keys_known (BYOK_CHAT_PAGE (page)));
  g_assert_nonnull (byok_test_ui_find_descendant (page, split_view_type));
  g_assert_nonnull (byok_chat_page_get_conversation (BYOK_CHAT_PAGE (page)));
  g_assert_cmpint (byok_conversation_get_id (byok_chat_page_get_conversation (BYOK_CHAT_PAGE (page))), ==,
                   byok_conversation_get_id (earlier));
  gtk_window_present (GTK_WINDOW (window));
  byok_test_ui_iterate_until (composer_mapped, page, "the conversation view");
  g_assert_cmpuint (g_list_model_get_n_items (byok_chat_page_get_visible_conversations (BYOK_CHAT_PAGE (page))), ==, 1);

  byok_test_ui_destroy_window (&window);
  g_clear_object (&engine);
  byok_test_remove_tree (dir);
}

/* The keyring's searches this process sends (libsecret's connection is
 * the shared session bus, the one a filter here sees). */
static GDBusMessage *
count_searches (GDBusConnection *connection,
                GDBusMessage    *message,
                gboolean         incoming,
                gpointer         user_data)
{
  if (!incoming && g_dbus_message_get_message_type (message) == G_DBUS_MESSAGE_TYPE_METHOD_CALL &&
      g_strcmp0 (g_dbus_message_get_member (message), "SearchItems") == 0)
    g_atomic_int_inc ((int *) user_data);
  return message;
}

static gboolean
chat_page_listed (gpointer page)
{
  return byok_chat_page_get_keys_known (page) && !byok_chat_page_get_keys_listing (page);
}

/* The window lists the keys once as it first shows (its chat page's
 * engine, its map, the window's first activation: one listing), and
 * asked twice while a listing is on its way, the page lists once more
 * after it, and sees a key stored meanwhile (issue 13). */
static void
test_window_keys_listed_once (void)
{
  const char *no_env[] = { NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("byok-test-window-XXXXXX", &error);
  g_autoptr(ByokEngine) engine = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  ByokKeyStore *keys;
  GtkWidget *window;
  GtkWidget *page;
  GtkWidget *composer;
  int searches = 0;
  int at_start, per_listing;
  guint filter;

  g_assert_no_error (error);
  g_assert_nonnull (bus);
  engine = engine_in (dir);
  keys = byok_engine_get_key_store (engine);
  byok_key_store_set_environment (keys, no_env);
  filter = g_dbus_connection_add_filter (bus, count_searches, &searches, NULL);

  window = g_object_new (BYOK_TYPE_WINDOW, "engine", engine, NULL);
  gtk_window_present (GTK_WINDOW (window));
  page = byok_test_ui_find_descendant (window, BYOK_TYPE_CHAT_PAGE);
  byok_test_ui_iterate_until (chat_page_listed, page, "the keys");
  byok_test_ui_iterate_pending ();
  g_assert_true (gtk_widget_get_mapped (page));
  at_start = g_atomic_int_get (&searches);
  g_assert_cmpint (at_start, >, 0);

  /* One listing alone: what it takes. */
  byok_chat_page_reload_keys (BYOK_CHAT_PAGE (page));
  g_assert_true (byok_chat_page_get_keys_listing (BYOK_CHAT_PAGE (page)));
  byok_test_ui_iterate_until (chat_page_listed, page, "the keys again");
  per_listing = g_atomic_int_get (&searches) - at_start;
  g_assert_cmpint (per_listing, >, 0);
  g_assert_cmpint (at_start, ==, per_listing);

  /* Asked again while a listing is on its way, with a key stored in
   * between: one more listing after it, which sees the key. */
  byok_chat_page_reload_keys (BYOK_CHAT_PAGE (page));
  byok_chat_page_reload_keys (BYOK_CHAT_PAGE (page));
  byok_key_store_store_wait (keys, "deepseek", NULL, "sk-test-fake-listed-once-0001", NULL, NULL, &error);
  g_assert_no_error (error);
  byok_chat_page_reload_keys (BYOK_CHAT_PAGE (page));
  byok_test_ui_iterate_until (chat_page_listed, page, "the keys once more");
  byok_test_ui_iterate_until (composer_mapped, page, "the conversation view");
  composer = byok_test_ui_find_descendant (page, g_type_from_name ("ByokComposer"));
  g_assert_cmpstr (byok_model_picker_get_provider_id (byok_composer_get_picker (BYOK_COMPOSER (composer))), ==, "deepseek");

  g_dbus_connection_remove_filter (bus, filter);
  byok_key_store_delete_wait (keys, "deepseek", NULL, NULL, &error);
  g_assert_no_error (error);
  byok_test_ui_destroy_window (&window);
  g_clear_object (&engine);
  byok_test_remove_tree (dir);
}

/* Waits, up to ten seconds, for the window to be laid out at its size and
 * @done to hold. */
static gboolean
wait_for (GtkWidget *window,
          gboolean (*done) (GtkWidget *window))
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      if (gtk_widget_get_mapped (window) && done (window))
        return TRUE;
      g_usleep (1000);
    }
  return FALSE;
}

static gboolean
bar_revealed (GtkWidget *window)
{
  return adw_view_switcher_bar_get_reveal (ADW_VIEW_SWITCHER_BAR (byok_test_ui_find_descendant (window,
                                                                                   ADW_TYPE_VIEW_SWITCHER_BAR)));
}

static gboolean
bar_hidden (GtkWidget *window)
{
  return gtk_widget_get_width (window) >= 900 && !bar_revealed (window);
}

static gboolean
narrow (GtkWidget *window)
{
  return gtk_widget_get_width (window) <= 400 && bar_revealed (window);
}

/* Wide, the pages are switched in the header bar; at a phone's 360 pixels
 * the switcher moves to the bottom of the window. */
static void
test_window_narrow (void)
{
  GtkWidget *window;

  window = g_object_new (BYOK_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for (window, bar_hidden));
  byok_test_ui_destroy_window (&window);

  window = g_object_new (BYOK_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for (window, narrow));
  byok_test_ui_destroy_window (&window);
}

/* Whether GTK draws SVG icons itself (GtkSvg, GTK 4.23 and later) rather
 * than through librsvg. */
static gboolean
toolkit_draws_svg (void)
{
  return gtk_get_major_version () > 4 || gtk_get_minor_version () >= 23;
}

/* Whether any icon a bare header bar shows comes from an SVG file. */
static gboolean
toolkit_icons_are_svg (GtkIconTheme *theme)
{
  static const char * const names[] = {
    "window-close-symbolic", "window-maximize-symbolic", "window-minimize-symbolic", "open-menu-symbolic",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GtkIconPaintable) icon = gtk_icon_theme_lookup_icon (theme, names[i], NULL, 16, 1,
                                                                     GTK_TEXT_DIR_LTR, 0);
      g_autoptr(GFile) file = gtk_icon_paintable_get_file (icon);
      g_autofree char *uri = file != NULL ? g_file_get_uri (file) : NULL;

      if (uri != NULL && g_str_has_suffix (uri, ".svg"))
        return TRUE;
    }
  return FALSE;
}

/* Byok's own symbolic icons load without librsvg (issue 13): before GTK
 * 4.23 they are .symbolic.png files at the sizes the window shows them
 * (the header's 16 px, 32 for scale 2, the status pages' 128 from the
 * 256 px one); from 4.23 on, which draws SVG icons itself, the SVGs.
 * In a process of its own, which has drawn nothing before. */
static void
test_window_icons (void)
{
  static const char * const names[] = {
    "byok-chat-symbolic", "byok-key-symbolic", "byok-usage-symbolic", "byok-app-symbolic",
  };
  static const int sizes[] = { 16, 32, 128 };
  GtkIconTheme *theme;
  GtkWidget *window;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  /* What GtkApplication does with the app's resource base path. */
  theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  gtk_icon_theme_add_resource_path (theme, "/io/github/byok/Byok/icons");
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    for (guint j = 0; j < G_N_ELEMENTS (sizes); j++)
      {
        g_autoptr(GtkIconPaintable) icon = gtk_icon_theme_lookup_icon (theme, names[i], NULL, sizes[j], 1,
                                                                       GTK_TEXT_DIR_LTR, 0);
        g_autoptr(GFile) file = gtk_icon_paintable_get_file (icon);
        g_autofree char *uri = file != NULL ? g_file_get_uri (file) : NULL;

        g_assert_true (gtk_icon_theme_has_icon (theme, names[i]));
        g_assert_nonnull (uri);
        g_assert_true (g_str_has_prefix (uri, "resource:///io/github/byok/Byok/icons/"));
        g_assert_true (g_str_has_suffix (uri, toolkit_draws_svg () ? "-symbolic.svg" : ".symbolic.png"));
      }

  /* The first start: the empty Chat page's icon and the header's. */
  window = g_object_new (BYOK_TYPE_WINDOW, NULL);
  gtk_window_present (GTK_WINDOW (window));
  byok_test_ui_wait_for_paint (window);
  byok_test_ui_iterate_pending ();
  /* Where the toolkit's own icons of the header (the window buttons, the
   * menu) are SVG files, as the Adwaita icon theme of GTK 4.18 has them,
   * GTK 4.18 to 4.22 load librsvg for them whatever Byok does; a bare
   * window does too. Where they are not (GTK 4.8's), or GTK draws them
   * itself (4.23 on), nothing of Byok's may load it. */
  if (!toolkit_draws_svg () && toolkit_icons_are_svg (theme))
    g_test_message ("the toolkit's own header icons are SVG here: librsvg is GTK's to load");
  else
    g_assert_false (byok_test_library_loaded ("librsvg"));
  byok_test_ui_destroy_window (&window);
}

static gboolean
has_tooltip (GtkWidget     *widget,
             gconstpointer  text)
{
  return g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) == 0;
}

/* The keyboard shortcuts window is built the first time it is asked for,
 * not with the window (issue 13: GtkApplication built it from
 * gtk/help-overlay.ui for every window it was given, before the window's
 * first frame). Asked for, it shows as GtkApplication made it — modal,
 * over the window, its search button named — and Ctrl+? still asks;
 * closed, it hides, and shows again as the same window. */
static void
test_window_help_overlay (void)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_autoptr(GtkApplication) app = GTK_APPLICATION (byok_application_new ());
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) accels = NULL;
  GtkShortcutsWindow *shortcuts;
  GtkWidget *window;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  window = g_object_new (BYOK_TYPE_WINDOW, "application", app, NULL);
  gtk_window_present (GTK_WINDOW (window));
  byok_test_ui_iterate_pending ();
  g_assert_true (gtk_widget_get_mapped (window));
  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  accels = gtk_application_get_accels_for_action (app, "win.show-help-overlay");
  g_assert_cmpuint (g_strv_length (accels), ==, 1);
  g_assert_cmpstr (accels[0], ==, "<Control>question");

  g_assert_true (gtk_widget_activate_action (window, "win.show-help-overlay", NULL));
  byok_test_ui_iterate_pending ();
  shortcuts = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_nonnull (shortcuts);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (shortcuts)));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (shortcuts)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (shortcuts)) == GTK_WINDOW (window));
  g_assert_nonnull (byok_test_ui_find_first (GTK_WIDGET (shortcuts), has_tooltip, "Search Shortcuts"));

  gtk_window_close (GTK_WINDOW (shortcuts));
  byok_test_ui_iterate_pending ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (shortcuts)));
  g_assert_true (gtk_widget_activate_action (window, "win.show-help-overlay", NULL));
  byok_test_ui_iterate_pending ();
  g_assert_true (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)) == shortcuts);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (shortcuts)));

  gtk_window_destroy (GTK_WINDOW (window));
  byok_test_ui_iterate_pending ();
  G_GNUC_END_IGNORE_DEPRECATIONS
}

int
main (int argc, char **argv)
{
  byok_test_ui_init (&argc, &argv, NULL);

  g_test_add_func ("/window/pages", test_window_pages);
  g_test_add_func ("/window/lazy-pages", test_window_lazy_pages);
  g_test_add_func ("/window/lazy-conversation-view", test_window_lazy_conversation_view);
  g_test_add_func ("/window/keys-listed-once", test_window_keys_listed_once);
  g_test_add_func ("/window/size-persists", test_window_size_persists);
  g_test_add_func ("/window/narrow", test_window_narrow);
  g_test_add_func ("/window/icons", test_window_icons);
  g_test_add_func ("/window/help-overlay", test_window_help_overlay);
  return g_test_run ();
}
