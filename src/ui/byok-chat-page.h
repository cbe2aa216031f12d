/* byok-chat-page.h */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BYOK_TYPE_CHAT_PAGE (byok_chat_page_get_type ())
G_DECLARE_FINAL_TYPE (ByokChatPage, byok_chat_page, BYOK, CHAT_PAGE, AdwBin)

G_END_DECLS
