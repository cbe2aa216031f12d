/* byok-conversation-private.h — what ByokConversationStore needs of ByokConversation */
#pragma once

#include "byok-conversation.h"

G_BEGIN_DECLS

void _byok_conversation_set_stored (ByokConversation *self,
                                    gint64            id,
                                    gint64            created,
                                    gint64            updated);
void _byok_conversation_set_updated (ByokConversation *self,
                                     gint64            updated);

G_END_DECLS
