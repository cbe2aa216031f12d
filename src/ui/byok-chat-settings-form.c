/* byok-chat-settings-form.c — the controls of the conversation settings */
#define G_LOG_DOMAIN "byok-chat-settings"

#include "config.h"

#include "byok-a11y.h"
#include "byok-chat-settings-form.h"

struct _ByokChatSettingsForm
{
  GtkBox parent_instance;
};

G_DEFINE_FINAL_TYPE (ByokChatSettingsForm, byok_chat_settings_form, GTK_TYPE_BOX)

/* The ids ByokChatSettings takes (see the .ui). */
static const char * const control_ids[] = {
  "system_prompt_view",
  "temperature_row",
  "temperature_spin",
  "temperature_switch",
  "effort_row",
  "params_note",
  "max_tokens_spin",
  "max_tokens_switch",
  "tools_row",
  "tools_switch",
};

GtkWidget *
byok_chat_settings_form_new (void)
{
  return g_object_new (BYOK_TYPE_CHAT_SETTINGS_FORM, NULL);
}

/**
 * byok_chat_settings_form_get_control:
 * @id: a control's id in the template ("temperature_spin")
 *
 * Returns: (transfer none): the control
 */
gpointer
byok_chat_settings_form_get_control (ByokChatSettingsForm *self,
                                     const char           *id)
{
  GObject *control;

  g_return_val_if_fail (BYOK_IS_CHAT_SETTINGS_FORM (self), NULL);

  control = gtk_widget_get_template_child (GTK_WIDGET (self), BYOK_TYPE_CHAT_SETTINGS_FORM, id);
  g_return_val_if_fail (control != NULL, NULL);
  return control;
}

static void
byok_chat_settings_form_class_init (ByokChatSettingsFormClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-chat-settings-form.ui");
  /* Bound without a field: byok_chat_settings_form_get_control() finds them. */
  for (gsize i = 0; i < G_N_ELEMENTS (control_ids); i++)
    gtk_widget_class_bind_template_child_full (widget_class, control_ids[i], FALSE, 0);
}

static void
byok_chat_settings_form_init (ByokChatSettingsForm *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  byok_a11y_set_up_combo_row (byok_chat_settings_form_get_control (self, "effort_row"));
}
