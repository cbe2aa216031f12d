/* byok-custom-provider-dialog.c — asks for a custom OpenAI-compatible provider */
#define G_LOG_DOMAIN "byok-providers-page"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-custom-provider-dialog.h"

#include "byok-a11y.h"
#include "byok-glib.h"
#include "byok-key-format.h"
#include "byok-provider.h"

struct _ByokCustomProviderDialog
{
  ByokAlertParent      parent_instance;

  AdwEntryRow         *name_row;
  AdwEntryRow         *url_row;
  AdwActionRow        *needs_key_row;
  GtkSwitch           *needs_key_switch;
  AdwPasswordEntryRow *key_row;
};

G_DEFINE_FINAL_TYPE (ByokCustomProviderDialog, byok_custom_provider_dialog, BYOK_TYPE_ALERT_PARENT)

/* The URL as typed, spaces around it aside */
static gboolean
url_is_http (const char *text)
{
  g_autofree char *url = g_strstrip (g_strdup (text));

  return byok_provider_url_is_http (url);
}

static gboolean
input_is_complete (ByokCustomProviderDialog *self)
{
  return !byok_str_is_blank (gtk_editable_get_text (GTK_EDITABLE (self->name_row))) &&
         url_is_http (gtk_editable_get_text (GTK_EDITABLE (self->url_row)));
}

static void
on_input_changed (ByokCustomProviderDialog *self)
{
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->url_row));
  gboolean url_ok = byok_str_is_blank (url) || url_is_http (url);

  if (url_ok)
    gtk_widget_remove_css_class (GTK_WIDGET (self->url_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->url_row), "error");

  gtk_widget_set_sensitive (GTK_WIDGET (self->key_row), gtk_switch_get_active (self->needs_key_switch));
  byok_alert_set_response_enabled (GTK_WIDGET (self), BYOK_CUSTOM_PROVIDER_DIALOG_RESPONSE_ADD,
                                   input_is_complete (self));
}

static void
on_entry_activated (ByokCustomProviderDialog *self)
{
  if (input_is_complete (self))
    byok_alert_response (GTK_WIDGET (self), BYOK_CUSTOM_PROVIDER_DIALOG_RESPONSE_ADD);
}

static void
byok_custom_provider_dialog_dispose (GObject *object)
{
  ByokCustomProviderDialog *self = BYOK_CUSTOM_PROVIDER_DIALOG (object);

  /* Do not leave a typed key in the entry's buffer longer than needed. */
  if (self->key_row != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");
      self->key_row = NULL;
    }


  G_OBJECT_CLASS (byok_custom_provider_dialog_parent_class)->dispose (object);
}

static void
byok_custom_provider_dialog_class_init (ByokCustomProviderDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byok_custom_provider_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/byok/Byok/byok-custom-provider-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokCustomProviderDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, ByokCustomProviderDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, ByokCustomProviderDialog, needs_key_row);
  gtk_widget_class_bind_template_child (widget_class, ByokCustomProviderDialog, needs_key_switch);
  gtk_widget_class_bind_template_child (widget_class, ByokCustomProviderDialog, key_row);
  gtk_widget_class_bind_template_callback (widget_class, on_input_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
}

static void
byok_custom_provider_dialog_init (ByokCustomProviderDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  byok_a11y_fix_mnemonic_buttons (GTK_WIDGET (self));
  byok_a11y_set_up_entry_row (self->name_row);
  byok_a11y_set_up_entry_row (self->url_row);
  byok_a11y_set_up_entry_row (ADW_ENTRY_ROW (self->key_row));
  /* An alert is narrow: with large text (or in German) the key row's title
   * is cut, so it shows whole in the row's tooltip. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->key_row),
                               adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->key_row)));
}

ByokCustomProviderDialog *
byok_custom_provider_dialog_new (void)
{
  return g_object_new (BYOK_TYPE_CUSTOM_PROVIDER_DIALOG, NULL);
}

const char *
byok_custom_provider_dialog_get_name (ByokCustomProviderDialog *self)
{
  g_return_val_if_fail (BYOK_IS_CUSTOM_PROVIDER_DIALOG (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->name_row));
}

const char *
byok_custom_provider_dialog_get_base_url (ByokCustomProviderDialog *self)
{
  g_return_val_if_fail (BYOK_IS_CUSTOM_PROVIDER_DIALOG (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->url_row));
}

gboolean
byok_custom_provider_dialog_get_needs_key (ByokCustomProviderDialog *self)
{
  g_return_val_if_fail (BYOK_IS_CUSTOM_PROVIDER_DIALOG (self), TRUE);

  return gtk_switch_get_active (self->needs_key_switch);
}

/**
 * byok_custom_provider_dialog_take_key:
 *
 * Takes the key typed in the dialog (and clears the entry).
 *
 * Returns: (transfer full) (nullable): the key as typed, in non-pageable
 *   memory (free it with byok_secret_free()), or %NULL when none was typed
 *   or the provider needs none
 */
char *
byok_custom_provider_dialog_take_key (ByokCustomProviderDialog *self)
{
  const char *text;
  char *key = NULL;

  g_return_val_if_fail (BYOK_IS_CUSTOM_PROVIDER_DIALOG (self), NULL);

  text = gtk_editable_get_text (GTK_EDITABLE (self->key_row));
  if (gtk_switch_get_active (self->needs_key_switch) && !byok_str_is_blank (text))
    key = byok_secret_dup (text, -1);
  gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");
  return key;
}
