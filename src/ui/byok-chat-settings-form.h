/* byok-chat-settings-form.h — the controls of the conversation settings
 *
 * The inside of ByokChatSettings' popover: the system prompt, temperature,
 * reasoning effort, output limit and "Use Tools" controls, as a template
 * and nothing more. ByokChatSettings builds it when the popover is first
 * opened (it is not seen before), takes its controls by their ids
 * (byok_chat_settings_form_get_control()) and drives them.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BYOK_TYPE_CHAT_SETTINGS_FORM (byok_chat_settings_form_get_type ())
G_DECLARE_FINAL_TYPE (ByokChatSettingsForm, byok_chat_settings_form, BYOK, CHAT_SETTINGS_FORM, GtkBox)

GtkWidget *byok_chat_settings_form_new         (void);
gpointer   byok_chat_settings_form_get_control (ByokChatSettingsForm *self,
                                                const char           *id);

G_END_DECLS
