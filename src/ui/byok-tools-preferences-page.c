/* byok-tools-preferences-page.c — Preferences → Tools */
#define G_LOG_DOMAIN "byok-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-a11y.h"
#include "byok-compat.h"
#include "byok-mcp-server-dialog.h"
#include "byok-plain-text.h"
#include "byok-tools-preferences-page.h"

struct _ByokToolsPreferencesPage
{
  AdwPreferencesPage  parent_instance;

  ByokMcpToolRunner  *runner;
  GSettings          *settings;
  GCancellable       *cancellable;

  GtkListBox         *server_list;
  GtkLabel           *empty_label;
  GtkSpinButton      *steps_spin;
  char               *shown;   /* the servers the list shows, to rebuild only when they change */
};

G_DEFINE_FINAL_TYPE (ByokToolsPreferencesPage, byok_tools_preferences_page, ADW_TYPE_PREFERENCES_PAGE)

#define SERVER_KEY "byok-server"

static ByokMcpManager *
manager_of (ByokToolsPreferencesPage *self)
{
  return byok_mcp_tool_runner_get_manager (self->runner);
}

static ByokMcpConfig *
config_of (ByokToolsPreferencesPage *self)
{
  return byok_mcp_manager_get_config (manager_of (self));
}

static void
toast (ByokToolsPreferencesPage *self,
       const char               *text)
{
  byok_toast_show (GTK_WIDGET (self), byok_toast_new_plain (text));
}

/* "npx -y server ~/Documents", or the URL. */
static char *
describe_server (const ByokMcpServerConfig *server)
{
  g_autoptr(GString) line = NULL;

  if (server->transport == BYOK_MCP_TRANSPORT_HTTP)
    return g_strdup (server->url != NULL ? server->url : "");
  line = g_string_new (server->command);
  for (guint i = 0; server->args != NULL && server->args[i] != NULL; i++)
    {
      g_string_append_c (line, ' ');
      g_string_append (line, server->args[i]);
    }
  return g_string_free (g_steal_pointer (&line), FALSE);
}

/* The names (never the values) of what it keeps in the keyring:
 * "Environment: GITHUB_TOKEN, API_KEY", or NULL. */
static char *
describe_secrets (const ByokMcpServerConfig *server)
{
  g_autofree char *names = NULL;

  if (server->transport == BYOK_MCP_TRANSPORT_STDIO)
    {
      if (server->env[0] == NULL)
        return NULL;
      names = g_strjoinv (", ", server->env);
      /* Translators: %s is a list of environment variables' names */
      return g_strdup_printf (_("Environment: %s"), names);
    }
  if (server->headers[0] == NULL && !server->has_token)
    return NULL;
  names = g_strjoinv (", ", server->headers);
  if (server->has_token)
    /* Translators: %s is a list of HTTP headers' names, perhaps empty */
    return server->headers[0] != NULL ? g_strdup_printf (_("Headers: %s; bearer token"), names)
                                      : g_strdup (_("Bearer token"));
  /* Translators: %s is a list of HTTP headers' names */
  return g_strdup_printf (_("Headers: %s"), names);
}

/* Its command or URL, and what it keeps in the keyring. */
static char *
describe_row (const ByokMcpServerConfig *server)
{
  g_autofree char *how = describe_server (server);
  g_autofree char *secrets = describe_secrets (server);

  return secrets != NULL ? g_strdup_printf ("%s\n%s", how, secrets) : g_steal_pointer (&how);
}

/* ---- a server's tools ----------------------------------------------------- */

typedef struct {
  ByokToolsPreferencesPage *page;   /* weak */
  AdwExpanderRow           *row;    /* weak */
  GtkWidget                *placeholder;
  char                     *server;
} Listing;

static void
listing_free (Listing *listing)
{
  g_clear_weak_pointer (&listing->page);
  g_clear_weak_pointer (&listing->row);
  g_free (listing->server);
  g_free (listing);
}

static void
tool_switched_cb (GtkSwitch                *toggle,
                  GParamSpec               *pspec,
                  ByokToolsPreferencesPage *self)
{
  const char *server = g_object_get_data (G_OBJECT (toggle), SERVER_KEY);
  const char *tool = g_object_get_data (G_OBJECT (toggle), "byok-tool");
  g_autoptr(GError) error = NULL;

  if (!byok_mcp_config_set_tool_enabled (config_of (self), server, tool, gtk_switch_get_active (toggle), &error))
    toast (self, error->message);
}

/* "Always allowed" taken back: Byok asks again before it runs. */
static void
ask_again_clicked_cb (GtkButton                *button,
                      ByokToolsPreferencesPage *self)
{
  const char *server = g_object_get_data (G_OBJECT (button), SERVER_KEY);
  const char *tool = g_object_get_data (G_OBJECT (button), "byok-tool");
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!byok_mcp_config_set_tool_always_allow (config_of (self), server, tool, FALSE, &error))
    {
      toast (self, error->message);
      return;
    }
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (button)), FALSE);
  /* Translators: %s is a tool's name */
  message = g_strdup_printf (_("Byok asks again before “%s” runs"), tool);
  toast (self, message);
}

static GtkWidget *
always_box_new (ByokToolsPreferencesPage *self,
                ByokMcpTool              *tool)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (_("Always allowed"));
  GtkWidget *button = gtk_button_new_with_mnemonic (_("Ask _Again"));
  /* Translators: a screen reader's name for a button; %s is a tool's name */
  g_autofree char *accessible = g_strdup_printf (_("Ask again before %s runs"), byok_mcp_tool_get_name (tool));

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_tooltip_text (button, _("Ask before this tool runs, as for any other"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  g_object_set_data_full (G_OBJECT (button), SERVER_KEY, g_strdup (byok_mcp_tool_get_server (tool)), g_free);
  g_object_set_data_full (G_OBJECT (button), "byok-tool", g_strdup (byok_mcp_tool_get_name (tool)), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (ask_again_clicked_cb), self, 0);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), button);
  return box;
}

static GtkWidget *
tool_row_new (ByokToolsPreferencesPage *self,
              ByokMcpTool              *tool)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();
  const char *description = byok_mcp_tool_get_description (tool);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), byok_mcp_tool_get_name (tool));
  if (description != NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), description);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
      gtk_widget_set_tooltip_text (row, description);
    }
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (toggle), byok_mcp_tool_get_enabled (tool));
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  byok_mcp_tool_get_name (tool), -1);
  g_object_set_data_full (G_OBJECT (toggle), SERVER_KEY, g_strdup (byok_mcp_tool_get_server (tool)), g_free);
  g_object_set_data_full (G_OBJECT (toggle), "byok-tool", g_strdup (byok_mcp_tool_get_name (tool)), g_free);
  g_signal_connect_object (toggle, "notify::active", G_CALLBACK (tool_switched_cb), self, 0);
  if (byok_mcp_tool_get_always_allow (tool))
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), always_box_new (self, tool));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  return row;
}

static void
tools_listed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Listing *listing = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tools = byok_mcp_manager_list_tools_finish (BYOK_MCP_MANAGER (source), result, NULL, &error);
  GtkWidget *actions;

  if (listing->page == NULL || listing->row == NULL)
    {
      listing_free (listing);
      return;
    }
  if (tools == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (listing->placeholder), _("The server could not be reached"));
          adw_action_row_set_subtitle (ADW_ACTION_ROW (listing->placeholder), error->message);
        }
      listing_free (listing);
      return;
    }
  adw_expander_row_remove (listing->row, listing->placeholder);
  /* The tools first, the server's log and Remove last. */
  actions = g_object_get_data (G_OBJECT (listing->row), "byok-actions");
  g_object_ref (actions);
  adw_expander_row_remove (listing->row, actions);
  for (guint i = 0; i < tools->len; i++)
    adw_expander_row_add_row (listing->row, tool_row_new (listing->page, g_ptr_array_index (tools, i)));
  if (tools->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("This server has no tools"));
      adw_expander_row_add_row (listing->row, row);
    }
  adw_expander_row_add_row (listing->row, actions);
  g_object_unref (actions);
  listing_free (listing);
}

/* Opened the first time: the server is started and its tools listed. */
static void
server_expanded_cb (AdwExpanderRow           *row,
                    GParamSpec               *pspec,
                    ByokToolsPreferencesPage *self)
{
  Listing *listing;

  if (!adw_expander_row_get_expanded (row) || g_object_get_data (G_OBJECT (row), "byok-listed") != NULL)
    return;
  g_object_set_data (G_OBJECT (row), "byok-listed", GINT_TO_POINTER (TRUE));

  listing = g_new0 (Listing, 1);
  g_set_weak_pointer (&listing->page, self);
  g_set_weak_pointer (&listing->row, row);
  listing->server = g_strdup (g_object_get_data (G_OBJECT (row), SERVER_KEY));
  listing->placeholder = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (listing->placeholder), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (listing->placeholder), _("Starting the server…"));
  adw_expander_row_add_row (row, listing->placeholder);
  byok_mcp_manager_list_tools_async (manager_of (self), listing->server, self->cancellable, tools_listed_cb, listing);
}

/* ---- a server ------------------------------------------------------------- */

static void
server_switched_cb (GtkSwitch                *toggle,
                    GParamSpec               *pspec,
                    ByokToolsPreferencesPage *self)
{
  const char *server = g_object_get_data (G_OBJECT (toggle), SERVER_KEY);
  g_autoptr(GError) error = NULL;

  if (!byok_mcp_config_set_enabled (config_of (self), server, gtk_switch_get_active (toggle), &error))
    toast (self, error->message);
  else if (!gtk_switch_get_active (toggle))
    byok_mcp_manager_stop_server_async (manager_of (self), server, NULL, NULL);
}

static void
open_log_clicked_cb (GtkButton                *button,
                     ByokToolsPreferencesPage *self)
{
  g_autofree char *path = byok_mcp_manager_get_log_path (manager_of (self), g_object_get_data (G_OBJECT (button), SERVER_KEY));
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      toast (self, _("The server has written no log yet"));
      return;
    }
  g_app_info_launch_default_for_uri_async (uri, NULL, NULL, NULL, NULL);
}

static void
removed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(ByokToolsPreferencesPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!byok_mcp_config_remove_finish (BYOK_MCP_CONFIG (source), result, &error))
    toast (self, error->message);
}

static void
remove_response_cb (GtkWidget                *alert,
                    const char               *response,
                    ByokToolsPreferencesPage *self)
{
  const char *server = g_object_get_data (G_OBJECT (alert), SERVER_KEY);

  if (g_strcmp0 (response, "remove") != 0)
    return;
  byok_mcp_manager_stop_server_async (manager_of (self), server, NULL, NULL);
  byok_mcp_config_remove_async (config_of (self), server, NULL, removed_cb, g_object_ref (self));
}

static void
remove_clicked_cb (GtkButton                *button,
                   ByokToolsPreferencesPage *self)
{
  const char *server = g_object_get_data (G_OBJECT (button), SERVER_KEY);
  /* Translators: %s is an MCP server's name */
  g_autofree char *heading = g_strdup_printf (_("Remove “%s”?"), server);
  GtkWidget *alert = byok_alert_new_confirm (heading, _("Its settings and its secrets in the keyring are deleted."),
                                             "remove", _("_Remove"));

  g_object_set_data_full (G_OBJECT (alert), SERVER_KEY, g_strdup (server), g_free);
  g_signal_connect_object (alert, "response", G_CALLBACK (remove_response_cb), self, 0);
  byok_alert_present (alert, GTK_WIDGET (self));
}

typedef struct {
  ByokToolsPreferencesPage *page;   /* a reference */
  char                     *old_name;
  char                     *new_name;
  gboolean                  was_running;
} Edit;

static void
edit_free (Edit *edit)
{
  g_object_unref (edit->page);
  g_free (edit->old_name);
  g_free (edit->new_name);
  g_free (edit);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Edit, edit_free)

static void
restarted_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Edit) edit = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tools = byok_mcp_manager_list_tools_finish (BYOK_MCP_MANAGER (source), result, NULL, &error);

  if (tools == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast (edit->page, error->message);
}

/* The old one stopped: a server that ran runs again, as it is now. */
static void
stopped_for_edit_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Edit) edit = user_data;
  ByokMcpManager *manager = BYOK_MCP_MANAGER (source);
  Edit *taken;

  byok_mcp_manager_stop_server_finish (manager, result, NULL);
  if (!edit->was_running)
    return;
  taken = g_steal_pointer (&edit);
  byok_mcp_manager_list_tools_async (manager, taken->new_name, taken->page->cancellable, restarted_cb, taken);
}

static void
edited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Edit) edit = user_data;
  g_autoptr(GError) error = NULL;
  Edit *taken;

  if (!byok_mcp_config_update_finish (BYOK_MCP_CONFIG (source), result, &error))
    {
      toast (edit->page, error->message);
      return;
    }
  taken = g_steal_pointer (&edit);
  byok_mcp_manager_stop_server_async (manager_of (taken->page), taken->old_name, stopped_for_edit_cb, taken);
}

static void
edit_response_cb (GtkWidget                *dialog,
                  const char               *response,
                  ByokToolsPreferencesPage *self)
{
  g_autoptr(ByokMcpServerConfig) server = NULL;
  g_autoptr(ByokMcpSecrets) secrets = NULL;
  Edit *edit;

  if (g_strcmp0 (response, BYOK_MCP_SERVER_DIALOG_RESPONSE_ADD) != 0)
    return;
  server = byok_mcp_server_dialog_dup_server (BYOK_MCP_SERVER_DIALOG (dialog));
  if (server == NULL)
    return;
  secrets = byok_mcp_server_dialog_dup_secrets (BYOK_MCP_SERVER_DIALOG (dialog));
  edit = g_new0 (Edit, 1);
  edit->page = g_object_ref (self);
  edit->old_name = g_strdup (byok_mcp_server_dialog_get_old_name (BYOK_MCP_SERVER_DIALOG (dialog)));
  edit->new_name = g_strdup (server->name);
  edit->was_running = byok_mcp_manager_is_running (manager_of (self), edit->old_name);
  byok_mcp_config_update_async (config_of (self), edit->old_name, server, secrets, self->cancellable,
                                edited_cb, edit);
}

static void
edit_clicked_cb (GtkButton                *button,
                 ByokToolsPreferencesPage *self)
{
  g_autoptr(ByokMcpServerConfig) server = byok_mcp_config_lookup (config_of (self),
                                                                  g_object_get_data (G_OBJECT (button), SERVER_KEY));
  ByokMcpServerDialog *dialog;

  if (server == NULL)
    return;
  dialog = byok_mcp_server_dialog_new_for_server (server);
  g_signal_connect_object (dialog, "response", G_CALLBACK (edit_response_cb), self, 0);
  byok_alert_present (GTK_WIDGET (dialog), GTK_WIDGET (self));
}

static GtkWidget *
button_new (const char *label,
            const char *server,
            GCallback   callback,
            gpointer    self)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (button), SERVER_KEY, g_strdup (server), g_free);
  g_signal_connect_object (button, "clicked", callback, self, 0);
  return button;
}

static GtkWidget *
server_row_new (ByokToolsPreferencesPage  *self,
                const ByokMcpServerConfig *server)
{
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *toggle = gtk_switch_new ();
  GtkWidget *actions = adw_action_row_new ();
  GtkWidget *log_button = button_new (_("Open _Log"), server->name, G_CALLBACK (open_log_clicked_cb), self);
  GtkWidget *edit_button = button_new (_("_Edit…"), server->name, G_CALLBACK (edit_clicked_cb), self);
  GtkWidget *remove_button = button_new (_("_Remove"), server->name, G_CALLBACK (remove_clicked_cb), self);
  g_autofree char *subtitle = describe_row (server);
  /* Translators: the name a screen reader gives a server's switch */
  g_autofree char *switch_name = g_strdup_printf (_("Use %s"), server->name);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), server->name);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  gtk_widget_set_tooltip_text (row, subtitle);
  g_object_set_data_full (G_OBJECT (row), SERVER_KEY, g_strdup (server->name), g_free);

  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (toggle), server->enabled);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, switch_name, -1);
  g_object_set_data_full (G_OBJECT (toggle), SERVER_KEY, g_strdup (server->name), g_free);
  g_signal_connect_object (toggle, "notify::active", G_CALLBACK (server_switched_cb), self, 0);
  byok_expander_row_add_suffix (ADW_EXPANDER_ROW (row), toggle);

  /* Its log and Remove, below its tools. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (actions), _("Server"));
  g_object_set_data (G_OBJECT (row), "byok-actions", actions);
  if (server->transport == BYOK_MCP_TRANSPORT_STDIO)
    adw_action_row_add_suffix (ADW_ACTION_ROW (actions), log_button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (actions), edit_button);
  gtk_widget_add_css_class (remove_button, "destructive-action");
  adw_action_row_add_suffix (ADW_ACTION_ROW (actions), remove_button);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), actions);

  g_signal_connect_object (row, "notify::expanded", G_CALLBACK (server_expanded_cb), self, 0);
  byok_a11y_follow_expander_row (ADW_EXPANDER_ROW (row));
  return row;
}

/* The list again when servers came, went or changed how they are
 * reached; a switch turned is already shown. */
static void
rebuild (ByokToolsPreferencesPage *self)
{
  g_autoptr(GPtrArray) servers = byok_mcp_config_list (config_of (self));
  g_autoptr(GString) shown = g_string_new (NULL);
  GtkWidget *child;

  for (guint i = 0; i < servers->len; i++)
    {
      const ByokMcpServerConfig *server = g_ptr_array_index (servers, i);
      g_autofree char *line = describe_row (server);

      g_string_append_printf (shown, "%s\n%s\n", server->name, line);
    }
  if (g_strcmp0 (self->shown, shown->str) == 0)
    return;
  g_free (self->shown);
  self->shown = g_strdup (shown->str);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->server_list))) != NULL)
    gtk_list_box_remove (self->server_list, child);
  for (guint i = 0; i < servers->len; i++)
    gtk_list_box_append (self->server_list, server_row_new (self, g_ptr_array_index (servers, i)));
  gtk_widget_set_visible (GTK_WIDGET (self->server_list), servers->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), servers->len == 0);
}

/* ---- import --------------------------------------------------------------- */

static void
imported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(ByokToolsPreferencesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) skipped = NULL;
  g_auto(GStrv) added = byok_mcp_config_import_finish (BYOK_MCP_CONFIG (source), result, &skipped, &error);
  g_autofree char *message = NULL;

  if (added == NULL)
    {
      toast (self, error->message);
      return;
    }
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u server added", "%u servers added", g_strv_length (added)),
                             g_strv_length (added));
  if (skipped != NULL && skipped[0] != NULL)
    {
      g_autofree char *reasons = g_strjoinv ("; ", skipped);
      g_autofree char *both = g_strdup_printf ("%s; %s", message, reasons);

      toast (self, both);
    }
  else
    toast (self, message);
}

static void
file_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ByokToolsPreferencesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error))
    {
      toast (self, error->message);
      return;
    }
  byok_mcp_config_import_async (config_of (self), contents, length, FALSE, self->cancellable,
                                imported_cb, g_object_ref (self));
}

static void
file_chosen_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ByokToolsPreferencesPage) self = user_data;
  g_autoptr(GListModel) files = byok_file_open_finish (result, NULL);
  g_autoptr(GFile) file = NULL;

  if (files == NULL || g_list_model_get_n_items (files) == 0)
    return;
  file = g_list_model_get_item (files, 0);
  g_file_load_contents_async (file, self->cancellable, file_loaded_cb, g_object_ref (self));
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ByokToolsPreferencesPage *self = BYOK_TOOLS_PREFERENCES_PAGE (widget);
  g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("JSON files"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_pattern (filter, "*.json");
  g_list_store_append (filters, filter);
  byok_file_open_async (widget, _("Import MCP Servers"), _("_Import"), G_LIST_MODEL (filters), FALSE,
                        self->cancellable, file_chosen_cb, g_object_ref (self));
}

/* ---- add ------------------------------------------------------------------ */

static void
added_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(ByokToolsPreferencesPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!byok_mcp_config_add_finish (BYOK_MCP_CONFIG (source), result, &error))
    toast (self, error->message);
}

static void
add_response_cb (GtkWidget                *dialog,
                 const char               *response,
                 ByokToolsPreferencesPage *self)
{
  g_autoptr(ByokMcpServerConfig) server = NULL;
  g_autoptr(ByokMcpSecrets) secrets = NULL;

  if (g_strcmp0 (response, BYOK_MCP_SERVER_DIALOG_RESPONSE_ADD) != 0)
    return;
  server = byok_mcp_server_dialog_dup_server (BYOK_MCP_SERVER_DIALOG (dialog));
  secrets = byok_mcp_server_dialog_dup_secrets (BYOK_MCP_SERVER_DIALOG (dialog));
  if (server != NULL)
    byok_mcp_config_add_async (config_of (self), server, secrets, FALSE, self->cancellable, added_cb,
                               g_object_ref (self));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  ByokMcpServerDialog *dialog = byok_mcp_server_dialog_new ();

  g_signal_connect_object (dialog, "response", G_CALLBACK (add_response_cb), widget, 0);
  byok_alert_present (GTK_WIDGET (dialog), widget);
}

/* ---- the step limit ------------------------------------------------------- */

static void
steps_changed_cb (ByokToolsPreferencesPage *self)
{
  g_settings_set_uint (self->settings, "max-tool-steps", (guint) gtk_spin_button_get_value_as_int (self->steps_spin));
}

/* ---- object --------------------------------------------------------------- */

static void
byok_tools_preferences_page_dispose (GObject *object)
{
  ByokToolsPreferencesPage *self = BYOK_TOOLS_PREFERENCES_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->runner);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->shown, g_free);

  G_OBJECT_CLASS (byok_tools_preferences_page_parent_class)->dispose (object);
}

static void
byok_tools_preferences_page_class_init (ByokToolsPreferencesPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = byok_tools_preferences_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-tools-preferences-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokToolsPreferencesPage, server_list);
  gtk_widget_class_bind_template_child (widget_class, ByokToolsPreferencesPage, empty_label);
  gtk_widget_class_bind_template_child (widget_class, ByokToolsPreferencesPage, steps_spin);
  gtk_widget_class_install_action (widget_class, "tools.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "tools.add", NULL, add_action);
}

static void
byok_tools_preferences_page_init (ByokToolsPreferencesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  byok_a11y_fix_mnemonic_buttons (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APP_ID);
  gtk_spin_button_set_value (self->steps_spin, g_settings_get_uint (self->settings, "max-tool-steps"));
  g_signal_connect_swapped (self->steps_spin, "value-changed", G_CALLBACK (steps_changed_cb), self);
}

/**
 * byok_tools_preferences_page_new:
 * @runner: the app's MCP servers
 */
GtkWidget *
byok_tools_preferences_page_new (ByokMcpToolRunner *runner)
{
  ByokToolsPreferencesPage *self;

  g_return_val_if_fail (BYOK_IS_MCP_TOOL_RUNNER (runner), NULL);

  self = g_object_new (BYOK_TYPE_TOOLS_PREFERENCES_PAGE, NULL);
  self->runner = g_object_ref (runner);
  g_signal_connect_object (config_of (self), "changed", G_CALLBACK (rebuild), self, G_CONNECT_SWAPPED);
  rebuild (self);
  return GTK_WIDGET (self);
}
