/* byok-window.c — the main window: a view stack of Chat, Providers, Usage */
#define G_LOG_DOMAIN "byok-window"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-window.h"
#include "byok-chat-page.h"
#include "byok-providers-page.h"
#include "byok-usage-page.h"

struct _ByokWindow
{
  AdwApplicationWindow parent_instance;

  GSettings           *settings;

  AdwViewStack        *stack;
  AdwViewSwitcherTitle *switcher_title;
  AdwToastOverlay     *toast_overlay;
};

G_DEFINE_FINAL_TYPE (ByokWindow, byok_window, ADW_TYPE_APPLICATION_WINDOW)

ByokWindow *
byok_window_new (ByokApplication *application)
{
  return g_object_new (BYOK_TYPE_WINDOW, "application", application, NULL);
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

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  byok_window_show_page (BYOK_WINDOW (widget), g_variant_get_string (parameter, NULL));
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

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (byok_window_parent_class)->dispose (object);
}

static void
byok_window_class_init (ByokWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = byok_window_dispose;
  window_class->close_request = byok_window_close_request;

  g_type_ensure (BYOK_TYPE_CHAT_PAGE);
  g_type_ensure (BYOK_TYPE_PROVIDERS_PAGE);
  g_type_ensure (BYOK_TYPE_USAGE_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, ByokWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, ByokWindow, toast_overlay);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
}

static void
byok_window_init (ByokWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

#ifdef DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}
