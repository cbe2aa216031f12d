/* byok-chat-settings.h — a conversation's system prompt, temperature and
 * output limit, in a popover
 *
 * The popover edits the ByokConversation it is given (its "system-prompt",
 * "temperature", "effort" and "max-tokens" properties) and emits "changed"
 * when it closes after an edit, for the caller to save the conversation.
 * Given the model chosen, it says beside each control what that model
 * takes, and turns off what it ignores.
 *
 * It keeps that state itself and builds its controls
 * (ByokChatSettingsForm) only when it is first opened: until then it is an
 * empty popover, and everything above works without them.
 */
#pragma once

#include <adwaita.h>

#include "byok-catalog.h"
#include "byok-conversation.h"

G_BEGIN_DECLS

#define BYOK_TYPE_CHAT_SETTINGS (byok_chat_settings_get_type ())
G_DECLARE_FINAL_TYPE (ByokChatSettings, byok_chat_settings, BYOK, CHAT_SETTINGS, GtkPopover)

GtkWidget        *byok_chat_settings_new              (void);
ByokConversation *byok_chat_settings_get_conversation (ByokChatSettings *self);
void              byok_chat_settings_set_conversation (ByokChatSettings *self,
                                                       ByokConversation *conversation);
void              byok_chat_settings_set_model        (ByokChatSettings *self,
                                                       ByokModel        *model,
                                                       ByokProvider     *provider);

void              byok_chat_settings_set_tools_available (ByokChatSettings *self,
                                                          gboolean          available);
gboolean          byok_chat_settings_get_use_tools    (ByokChatSettings *self);

G_END_DECLS
