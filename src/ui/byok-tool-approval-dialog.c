/* byok-tool-approval-dialog.c — asks the person before a tool runs */
#define G_LOG_DOMAIN "byok-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-a11y.h"
#include "byok-tool-approval-dialog.h"
#include "byok-tool-block.h"

struct _ByokToolApprovalDialog
{
  ByokAlertParent  parent_instance;

  GtkLabel        *description_label;
  GtkTextView     *arguments_view;
};

G_DEFINE_FINAL_TYPE (ByokToolApprovalDialog, byok_tool_approval_dialog, BYOK_TYPE_ALERT_PARENT)

static void
byok_tool_approval_dialog_class_init (ByokToolApprovalDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/byok/Byok/byok-tool-approval-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokToolApprovalDialog, description_label);
  gtk_widget_class_bind_template_child (widget_class, ByokToolApprovalDialog, arguments_view);
}

static void
byok_tool_approval_dialog_init (ByokToolApprovalDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  byok_a11y_fix_mnemonic_buttons (GTK_WIDGET (self));
}

/**
 * byok_tool_approval_dialog_new:
 * @server: the MCP server's name
 * @tool: the tool's name on it
 * @description: (nullable): what the server says the tool does
 * @arguments: (nullable): the model's arguments, JSON text
 *
 * Every text is shown as it is: none is read as markup.
 */
ByokToolApprovalDialog *
byok_tool_approval_dialog_new (const char *server,
                               const char *tool,
                               const char *description,
                               const char *arguments)
{
  ByokToolApprovalDialog *self = g_object_new (BYOK_TYPE_TOOL_APPROVAL_DIALOG, NULL);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *pretty = byok_tool_arguments_pretty (arguments);

  /* Translators: the question before a tool runs; %s is the tool's name */
  heading = g_strdup_printf (_("Allow “%s”?"), tool);
  /* Translators: %s is the name of an MCP server the person configured */
  body = g_strdup_printf (_("The model wants to use this tool of the server “%s”. It runs with your permissions."), server);
  g_object_set (self, "heading", heading, NULL);
  byok_alert_set_body (GTK_WIDGET (self), body);

  gtk_label_set_label (self->description_label, description != NULL ? description : "");
  gtk_widget_set_visible (GTK_WIDGET (self->description_label), description != NULL && *description != '\0');
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->description_label), description);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->arguments_view), pretty, -1);
  return self;
}

/* What the dialog shows of the arguments. */
const char *
byok_tool_approval_dialog_get_arguments (ByokToolApprovalDialog *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  char *text;

  g_return_val_if_fail (BYOK_IS_TOOL_APPROVAL_DIALOG (self), NULL);

  buffer = gtk_text_view_get_buffer (self->arguments_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_object_set_data_full (G_OBJECT (self), "byok-arguments", text, g_free);
  return text;
}
