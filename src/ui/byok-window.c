/* byok-window.c — the main window: a view stack of Chat, Providers, Usage
 *
 * The window opens on Chat; Providers (a row per provider) and Usage (the
 * database's sums, the price table) are built when first shown, so a
 * person who only chats never pays for them. */
#define G_LOG_DOMAIN "byok-window"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-window.h"
#include "byok-a11y.h"
#include "byok-compat.h"
#include "byok-chat-page.h"
#include "byok-preferences-window.h"
#include "byok-plain-text.h"
#include "byok-providers-page.h"
#include "byok-tools-preferences-page.h"
#include "byok-usage-page.h"
#include "byok-engine.h"
#include "byok-keyring-watch.h"

struct _ByokWindow
{
  AdwApplicationWindow parent_instance;

  GSettings           *settings;
  ByokEngine          *engine;
  ByokKeyringWatch    *keyring_watch;

  AdwViewStack        *stack;
  AdwBin              *providers_bin;
  AdwBin              *usage_bin;
  gulong               budget_alert_id;
  AdwHeaderBar        *header_bar;
  AdwViewSwitcherBar  *switcher_bar;
  AdwToastOverlay     *toast_overlay;
  gboolean             was_active;
};

G_DEFINE_FINAL_TYPE (ByokWindow, byok_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_ENGINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

ByokWindow *
byok_window_new (ByokApplication *application)
{
  ByokWindow *self = g_object_new (BYOK_TYPE_WINDOW,
                                   "application", application,
                                   "engine", byok_application_get_engine (application),
                                   NULL);
  ByokMcpToolRunner *runner = byok_application_get_tool_runner (application);

  /* The MCP servers' tools, asked about in this window. */
  if (runner != NULL)
    byok_chat_page_set_tool_runner (BYOK_CHAT_PAGE (byok_window_get_page_widget (self, "chat")), runner);
  return self;
}

ByokEngine *
byok_window_get_engine (ByokWindow *self)
{
  g_return_val_if_fail (BYOK_IS_WINDOW (self), NULL);

  return self->engine;
}

/* The bin a page built when first shown lives in, and its type; NULL for
 * a page built with the window (Chat) or no page. */
static AdwBin *
lazy_page_bin (ByokWindow *self,
               const char *name,
               GType      *type)
{
  if (g_strcmp0 (name, "providers") == 0)
    {
      *type = BYOK_TYPE_PROVIDERS_PAGE;
      return self->providers_bin;
    }
  if (g_strcmp0 (name, "usage") == 0)
    {
      *type = BYOK_TYPE_USAGE_PAGE;
      return self->usage_bin;
    }
  return NULL;
}

/* The page @name if it is built: NULL for a page not shown yet. */
static GtkWidget *
built_page (ByokWindow *self,
            const char *name)
{
  GType type;
  AdwBin *bin = lazy_page_bin (self, name, &type);

  if (bin != NULL)
    return adw_bin_get_child (bin);
  return adw_view_stack_get_child_by_name (self->stack, name);
}

/**
 * byok_window_get_page_widget:
 * @name: "chat", "providers" or "usage"
 *
 * The page @name, built now if it was not shown yet (Providers and Usage
 * are built when first shown).
 *
 * Returns: (transfer none) (nullable): the page, %NULL for an unknown name
 */
GtkWidget *
byok_window_get_page_widget (ByokWindow *self,
                             const char *name)
{
  GType type;
  AdwBin *bin;

  g_return_val_if_fail (BYOK_IS_WINDOW (self), NULL);

  bin = lazy_page_bin (self, name, &type);
  if (bin != NULL && adw_bin_get_child (bin) == NULL)
    adw_bin_set_child (bin, g_object_new (type, "engine", self->engine, NULL));
  return built_page (self, name);
}

/* Shown: built now, before its first frame. */
static void
visible_page_cb (ByokWindow *self)
{
  byok_window_get_page_widget (self, adw_view_stack_get_visible_child_name (self->stack));
}

/* A budget crossed while Usage was never shown: the page that tells of it
 * is built now (it follows the engine's alerts itself from then on; a
 * handler connected during an emission is not called by it). */
static void
budget_alert_cb (ByokEngine *engine,
                 const char *scope,
                 guint       percent,
                 ByokWindow *self)
{
  if (built_page (self, "usage") != NULL)
    return;
  byok_usage_page_alert_budget (BYOK_USAGE_PAGE (byok_window_get_page_widget (self, "usage")), scope, percent);
}

/* Hands the engine to the pages built so far. */
static void
byok_window_share_engine (ByokWindow *self)
{
  static const char * const names[] = { "chat", "providers", "usage" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GtkWidget *page = built_page (self, names[i]);

      if (page != NULL)
        g_object_set (page, "engine", self->engine, NULL);
    }
}

void
byok_window_set_engine (ByokWindow *self,
                        ByokEngine *engine)
{
  g_return_if_fail (BYOK_IS_WINDOW (self));
  g_return_if_fail (engine == NULL || BYOK_IS_ENGINE (engine));

  if (self->engine == engine)
    return;
  if (self->engine != NULL)
    g_clear_signal_handler (&self->budget_alert_id, self->engine);
  g_set_object (&self->engine, engine);
  if (engine != NULL)
    self->budget_alert_id = g_signal_connect (engine, "budget-alert", G_CALLBACK (budget_alert_cb), self);
  byok_window_share_engine (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

static void
byok_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  ByokWindow *self = BYOK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  ByokWindow *self = BYOK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      byok_window_set_engine (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

void
byok_window_show_page (ByokWindow *self,
                       const char *name)
{
  g_return_if_fail (BYOK_IS_WINDOW (self));

  if (adw_view_stack_get_child_by_name (self->stack, name) != NULL)
    adw_view_stack_set_visible_child_name (self->stack, name);
}

const char *
byok_window_get_page (ByokWindow *self)
{
  g_return_val_if_fail (BYOK_IS_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->stack);
}

/* The page a person went to takes the focus, at its first control: the
 * message box in Chat, else what Tab reaches first (the first provider,
 * the first usage card), rather than leaving it in the header. */
static void
focus_page (ByokWindow *self,
            GtkWidget  *page)
{
  GtkWidget *focus;

  if (BYOK_IS_CHAT_PAGE (page))
    {
      gtk_widget_activate_action (page, "chat.focus-composer", NULL);
      focus = gtk_root_get_focus (GTK_ROOT (self));
      if (focus != NULL && gtk_widget_is_ancestor (focus, page) && gtk_widget_get_mapped (focus))
        return;
    }
  gtk_root_set_focus (GTK_ROOT (self), NULL);
  gtk_widget_child_focus (page, GTK_DIR_TAB_FORWARD);
}

/* win.show-page("usage"): Alt+1, 2 and 3, and the buttons that lead to a
 * page ("Add a Key in Providers"). */
static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ByokWindow *self = BYOK_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  GtkWidget *page = adw_view_stack_get_child_by_name (self->stack, name);

  if (page == NULL)
    return;
  byok_window_show_page (self, name);
  focus_page (self, page);
}

/* win.show-toast("text"): a short message at the bottom of the window, or
 * of the chat's messages. */
static void
show_toast_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ByokWindow *self = BYOK_WINDOW (widget);
  AdwToast *toast = byok_toast_new_plain (g_variant_get_string (parameter, NULL));
  GtkWidget *chat = adw_view_stack_get_child_by_name (self->stack, "chat");

  /* On Chat, above the message box: the window's overlay would cover the
   * model picker and the attach button. */
  if (BYOK_IS_CHAT_PAGE (chat) && byok_chat_page_add_toast (BYOK_CHAT_PAGE (chat), toast))
    return;
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* A key stored or deleted from elsewhere (`byok-cli keys set`, Seahorse):
 * the pages that show keys list them again. */
static void
keys_may_have_changed (ByokWindow *self)
{
  GtkWidget *chat = built_page (self, "chat");
  GtkWidget *providers = built_page (self, "providers");

  if (self->engine == NULL)
    return;
  if (BYOK_IS_CHAT_PAGE (chat))
    byok_chat_page_reload_keys (BYOK_CHAT_PAGE (chat));
  if (BYOK_IS_PROVIDERS_PAGE (providers))
    byok_providers_page_reload_keys (BYOK_PROVIDERS_PAGE (providers));
}

/* Back in focus: the keyring's signals do not reach a sandboxed app (the
 * secret portal sends none), so look again. The first time the window is
 * active it has only just shown: its pages list the keys already. */
static void
is_active_cb (ByokWindow *self,
              GParamSpec *pspec,
              gpointer    user_data)
{
  if (!gtk_window_is_active (GTK_WINDOW (self)))
    return;
  if (self->was_active)
    keys_may_have_changed (self);
  self->was_active = TRUE;
}

static void
byok_window_save_state (ByokWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (self->settings);
}

static gboolean
byok_window_close_request (GtkWindow *window)
{
  byok_window_save_state (BYOK_WINDOW (window));

  return GTK_WINDOW_CLASS (byok_window_parent_class)->close_request (window);
}

static void
byok_window_dispose (GObject *object)
{
  ByokWindow *self = BYOK_WINDOW (object);

  if (self->keyring_watch != NULL)
    g_signal_handlers_disconnect_by_data (self->keyring_watch, self);
  g_clear_object (&self->keyring_watch);
  g_clear_object (&self->settings);
  if (self->engine != NULL)
    g_clear_signal_handler (&self->budget_alert_id, self->engine);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (byok_window_parent_class)->dispose (object);
}

static void
preferences_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ByokWindow *self = BYOK_WINDOW (widget);
  GtkWidget *preferences = byok_preferences_window_new (self->engine);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  /* Preferences → Tools: the app's MCP servers. */
  if (BYOK_IS_APPLICATION (app) && byok_application_get_tool_runner (BYOK_APPLICATION (app)) != NULL)
    byok_preferences_add_page (preferences, ADW_PREFERENCES_PAGE (
      byok_tools_preferences_page_new (byok_application_get_tool_runner (BYOK_APPLICATION (app)))));
  byok_preferences_window_present (preferences, GTK_WIDGET (self));
}

/* win.show-help-overlay (Ctrl+?, the menu's Keyboard Shortcuts): the
 * shortcuts window is built the first time it is asked for. GtkApplication
 * would build it for every window as the window is added (from
 * gtk/help-overlay.ui), before the window's first frame; the file is
 * byok-help-overlay.ui so that it does not. GTK 4.18 deprecates the
 * shortcuts window, for libadwaita 1.8's shortcuts dialog. */
static void
show_help_overlay_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (widget);
  GtkShortcutsWindow *shortcuts = gtk_application_window_get_help_overlay (window);

  if (shortcuts == NULL)
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/byok/Byok/byok-help-overlay.ui");

      shortcuts = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      /* Modal, over this window, hidden rather than destroyed on close,
       * as GtkApplication made it. */
      gtk_application_window_set_help_overlay (window, shortcuts);
      byok_a11y_name_shortcuts_window (GTK_WIDGET (shortcuts));
    }
  gtk_window_present (GTK_WINDOW (shortcuts));
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
byok_window_class_init (ByokWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = byok_window_dispose;
  object_class->get_property = byok_window_get_property;
  object_class->set_property = byok_window_set_property;
  window_class->close_request = byok_window_close_request;

  g_type_ensure (BYOK_TYPE_CHAT_PAGE);

  /**
   * ByokWindow:engine:
   *
   * The core the pages work with: catalog, keys, client, usage. Pages with
   * an "engine" property get it too.
   */
  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL,
                         BYOK_TYPE_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, ByokWindow, providers_bin);
  gtk_widget_class_bind_template_child (widget_class, ByokWindow, usage_bin);
  gtk_widget_class_bind_template_callback (widget_class, visible_page_cb);
  gtk_widget_class_bind_template_child (widget_class, ByokWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, ByokWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, ByokWindow, toast_overlay);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.show-toast", "s", show_toast_action);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_action);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, show_help_overlay_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK, "win.preferences", NULL);
}

static void
byok_window_init (ByokWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  byok_window_set_up_view_switcher (ADW_APPLICATION_WINDOW (self), self->header_bar, self->stack,
                                    self->switcher_bar, _("Byok"));

  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));


  self->keyring_watch = byok_keyring_watch_new ();
  g_signal_connect_swapped (self->keyring_watch, "changed", G_CALLBACK (keys_may_have_changed), self);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (is_active_cb), NULL);

#ifdef DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}
