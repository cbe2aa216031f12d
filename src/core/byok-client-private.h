/* byok-client-private.h — what the client's files share
 * (byok-client.c, byok-client-chat.c) */
#pragma once

#include "byok-client.h"

G_BEGIN_DECLS

void _byok_client_emit_delta           (ByokClient            *self,
                                        ByokChatRequest       *request,
                                        const char            *text);
void _byok_client_emit_reasoning_delta (ByokClient            *self,
                                        ByokChatRequest       *request,
                                        const char            *text);
void _byok_client_emit_retrying        (ByokClient            *self,
                                        ByokChatRequest       *request,
                                        const ByokRetryNotice *notice);

G_END_DECLS
