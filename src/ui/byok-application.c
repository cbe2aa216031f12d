/* byok-application.c — the AdwApplication: app-wide actions and the window */
#define G_LOG_DOMAIN "byok-app"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-application.h"
#include "byok-engine.h"
#include "byok-compat.h"
#include "byok-mcp-tool-runner.h"
#include "byok-window.h"

struct _ByokApplication
{
  AdwApplication  parent_instance;

  ByokEngine        *engine;
  GError            *engine_error;
  ByokMcpToolRunner *tool_runner;   /* the MCP servers, started when first needed */
};

G_DEFINE_FINAL_TYPE (ByokApplication, byok_application, ADW_TYPE_APPLICATION)

ByokApplication *
byok_application_new (void)
{
  return g_object_new (BYOK_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}

/**
 * byok_application_get_engine:
 * Returns: (nullable) (transfer none): the core the windows work with, or
 *   %NULL when it could not be started (its error was shown).
 */
ByokEngine *
byok_application_get_engine (ByokApplication *self)
{
  g_return_val_if_fail (BYOK_IS_APPLICATION (self), NULL);

  return self->engine;
}

static void
byok_application_activate (GApplication *app)
{
  ByokApplication *self = BYOK_APPLICATION (app);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (byok_window_new (self));

  gtk_window_present (window);

  if (self->engine_error != NULL)
    {
      GtkWidget *dialog = byok_alert_new (_("Byok Could Not Open Its Data"), self->engine_error->message);

      byok_alert_add_response (dialog, "close", _("_Close"));
      byok_alert_present (dialog, GTK_WIDGET (window));
      g_clear_error (&self->engine_error);
    }
}

/**
 * byok_application_get_tool_runner:
 * Returns: (transfer none): the tools of the person's MCP servers
 *   (byok-mcp-tool-runner.h), which the windows ask about
 */
ByokMcpToolRunner *
byok_application_get_tool_runner (ByokApplication *self)
{
  g_return_val_if_fail (BYOK_IS_APPLICATION (self), NULL);

  return self->tool_runner;
}

static void
byok_application_about_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  static const char *developers[] = { "The Byok developers", NULL };
  GtkApplication *app = GTK_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (app);

  byok_show_about (window != NULL ? GTK_WIDGET (window) : NULL,
                         "application-name", _("Byok"),
                         "application-icon", APP_ID,
                         "developer-name", _("The Byok developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Chat with the LLM providers you bring your own keys for, and see what every answer costs."),
                         "website", "https://github.com/byok/byok",
                         "issue-url", "https://github.com/byok/byok/issues",
                         "developers", developers,
                         "copyright", "© 2026 The Byok developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
byok_application_quit_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "about", byok_application_about_action, NULL, NULL, NULL, { 0 } },
  { "quit", byok_application_quit_action, NULL, NULL, NULL, { 0 } },
};

static void
byok_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<primary>q", NULL };
  static const char *help_accels[] = { "<primary>question", NULL };
  static const char *chat_accels[] = { "<alt>1", NULL };
  static const char *providers_accels[] = { "<alt>2", NULL };
  static const char *usage_accels[] = { "<alt>3", NULL };

  ByokApplication *self = BYOK_APPLICATION (app);
  ByokEngineOpening *opening;

  /* The database, catalog, keyring and HTTP session every window shares.
   * The database (created on a first start), the catalog and the price
   * history, about 12 ms of CPU on a first start, are read in a thread
   * while the toolkit starts (its display, GL, theme: most of the time
   * before the window), not after it. A failure (an unreadable or newer
   * database) is shown once the window is up. */
  opening = byok_engine_open_in_thread (NULL);

  G_APPLICATION_CLASS (byok_application_parent_class)->startup (app);

  self->engine = byok_engine_open_finish (opening, &self->engine_error);
  if (self->engine == NULL)
    g_warning ("Could not start the Byok engine: %s", self->engine_error->message);

  /* The MCP servers: read now, started when an answer first needs them. */
  {
    g_autoptr(ByokMcpConfig) config = byok_mcp_config_new (NULL);
    g_autoptr(ByokMcpManager) manager = byok_mcp_manager_new (config);

    self->tool_runner = byok_mcp_tool_runner_new (manager);
  }

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay", help_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-page::chat", chat_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-page::providers", providers_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-page::usage", usage_accels);
}

/* Quitting (Ctrl+Q, the last window closed, the session ending) with an
 * answer still streaming: its call is recorded as interrupted, with
 * Byok's estimate, since the provider may bill it; then the windows go,
 * so each page saves everything it showed (a window that is not closed
 * is never disposed on its own). */
static void
byok_application_shutdown (GApplication *app)
{
  ByokApplication *self = BYOK_APPLICATION (app);
  GList *windows = g_list_copy_deep (gtk_application_get_windows (GTK_APPLICATION (app)),
                                     (GCopyFunc) (void (*) (void)) g_object_ref, NULL);

  if (self->engine != NULL)
    byok_engine_shutdown (self->engine);
  /* The MCP servers stop with the app (asked to, then made to). */
  if (self->tool_runner != NULL)
    byok_mcp_manager_shutdown_wait (byok_mcp_tool_runner_get_manager (self->tool_runner));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (GTK_WINDOW (l->data));
  g_list_free_full (windows, g_object_unref);

  G_APPLICATION_CLASS (byok_application_parent_class)->shutdown (app);
}

static void
byok_application_finalize (GObject *object)
{
  ByokApplication *self = BYOK_APPLICATION (object);

  g_clear_object (&self->engine);
  g_clear_object (&self->tool_runner);
  g_clear_error (&self->engine_error);

  G_OBJECT_CLASS (byok_application_parent_class)->finalize (object);
}

static void
byok_application_class_init (ByokApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = byok_application_finalize;

  app_class->activate = byok_application_activate;
  app_class->startup = byok_application_startup;
  app_class->shutdown = byok_application_shutdown;
}

static void
byok_application_init (ByokApplication *self)
{
}
