/* byok-conversation-row.h — one conversation in the chat's sidebar: its
 * title (or "New Conversation") and when it was last active */
#pragma once

#include <adwaita.h>

#include "byok-conversation.h"

G_BEGIN_DECLS

#define BYOK_TYPE_CONVERSATION_ROW (byok_conversation_row_get_type ())
G_DECLARE_FINAL_TYPE (ByokConversationRow, byok_conversation_row, BYOK, CONVERSATION_ROW, AdwBin)

GtkWidget        *byok_conversation_row_new              (void);
ByokConversation *byok_conversation_row_get_conversation (ByokConversationRow *self);
void              byok_conversation_row_set_conversation (ByokConversationRow *self,
                                                          ByokConversation    *conversation);

char             *byok_conversation_dup_display_title    (ByokConversation    *conversation);
char             *byok_format_when                       (gint64               time_us);

G_END_DECLS
