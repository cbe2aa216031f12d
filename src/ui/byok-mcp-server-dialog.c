/* byok-mcp-server-dialog.c — asks for a new MCP server */
#define G_LOG_DOMAIN "byok-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-a11y.h"
#include "byok-mcp-server-dialog.h"
#include "byok-mcp-tool.h"

struct _ByokMcpServerDialog
{
  ByokAlertParent  parent_instance;

  AdwEntryRow     *name_row;
  AdwEntryRow     *command_row;
  AdwEntryRow     *url_row;
};

G_DEFINE_FINAL_TYPE (ByokMcpServerDialog, byok_mcp_server_dialog, BYOK_TYPE_ALERT_PARENT)

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static gboolean
blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

static void
mark (AdwEntryRow *row,
      gboolean     ok)
{
  if (ok)
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
}

/* The server as typed, or NULL while it is not one. */
ByokMcpServerConfig *
byok_mcp_server_dialog_dup_server (ByokMcpServerDialog *self)
{
  g_autofree char *name = g_strstrip (g_strdup (text_of (self->name_row)));
  g_autofree char *url = g_strstrip (g_strdup (text_of (self->url_row)));
  const char *command = text_of (self->command_row);
  g_auto(GStrv) argv = NULL;
  g_autoptr(ByokMcpServerConfig) server = NULL;

  g_return_val_if_fail (BYOK_IS_MCP_SERVER_DIALOG (self), NULL);

  if (!byok_mcp_server_name_is_valid (name) || blank (command) == blank (url))
    return NULL;
  if (!blank (url))
    {
      server = byok_mcp_server_config_new (name, BYOK_MCP_TRANSPORT_HTTP);
      server->url = g_steal_pointer (&url);
    }
  else
    {
      if (!g_shell_parse_argv (command, NULL, &argv, NULL))
        return NULL;
      server = byok_mcp_server_config_new (name, BYOK_MCP_TRANSPORT_STDIO);
      server->command = g_strdup (argv[0]);
      g_strfreev (server->args);
      server->args = g_strdupv (argv + 1);
    }
  if (!byok_mcp_server_config_validate (server, NULL))
    return NULL;
  return g_steal_pointer (&server);
}

static void
on_input_changed (ByokMcpServerDialog *self)
{
  g_autoptr(ByokMcpServerConfig) server = byok_mcp_server_dialog_dup_server (self);
  g_autofree char *name = g_strstrip (g_strdup (text_of (self->name_row)));

  mark (self->name_row, *name == '\0' || byok_mcp_server_name_is_valid (name));
  byok_alert_set_response_enabled (GTK_WIDGET (self), BYOK_MCP_SERVER_DIALOG_RESPONSE_ADD, server != NULL);
}

static void
on_entry_activated (ByokMcpServerDialog *self)
{
  g_autoptr(ByokMcpServerConfig) server = byok_mcp_server_dialog_dup_server (self);

  if (server != NULL)
    byok_alert_response (GTK_WIDGET (self), BYOK_MCP_SERVER_DIALOG_RESPONSE_ADD);
}

static void
byok_mcp_server_dialog_class_init (ByokMcpServerDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-mcp-server-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokMcpServerDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, ByokMcpServerDialog, command_row);
  gtk_widget_class_bind_template_child (widget_class, ByokMcpServerDialog, url_row);
  gtk_widget_class_bind_template_callback (widget_class, on_input_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
}

static void
byok_mcp_server_dialog_init (ByokMcpServerDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  byok_a11y_fix_mnemonic_buttons (GTK_WIDGET (self));
  byok_a11y_set_up_entry_row (self->name_row);
  byok_a11y_set_up_entry_row (self->command_row);
  byok_a11y_set_up_entry_row (self->url_row);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_row), _("Letters, digits, “-” and “_”, up to 32"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->command_row), _("For example: npx -y @modelcontextprotocol/server-filesystem ~/Documents"));
}

ByokMcpServerDialog *
byok_mcp_server_dialog_new (void)
{
  return g_object_new (BYOK_TYPE_MCP_SERVER_DIALOG, NULL);
}
