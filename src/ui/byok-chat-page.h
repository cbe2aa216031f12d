/* byok-chat-page.h — the Chat page
 *
 * A sidebar of conversations (newest first, searchable by title and
 * content) beside the open conversation: its messages in a recycling list
 * view, answers streaming in as they arrive, and the composer. Everything
 * is kept in the ByokConversationStore on the engine's database, so a
 * restart finds it again — an answer cut off by a quit as "partial".
 *
 * The page needs an engine (byok_chat_page_set_engine(), or the "engine"
 * property the window sets); without one it shows its empty state.
 */
#pragma once

#include <adwaita.h>

#include "byok-compare-view.h"
#include "byok-conversation-store.h"
#include "byok-engine.h"
#include "byok-mcp-tool-runner.h"

G_BEGIN_DECLS

#define BYOK_TYPE_CHAT_PAGE (byok_chat_page_get_type ())
G_DECLARE_FINAL_TYPE (ByokChatPage, byok_chat_page, BYOK, CHAT_PAGE, AdwBin)

ByokEngine            *byok_chat_page_get_engine               (ByokChatPage     *self);
void                   byok_chat_page_set_engine               (ByokChatPage     *self,
                                                                ByokEngine       *engine);
ByokConversationStore *byok_chat_page_get_store                (ByokChatPage     *self);
void                   byok_chat_page_set_tool_runner          (ByokChatPage     *self,
                                                                ByokMcpToolRunner *runner);

ByokConversation      *byok_chat_page_get_conversation         (ByokChatPage     *self);
void                   byok_chat_page_open_conversation        (ByokChatPage     *self,
                                                                ByokConversation *conversation);
GListModel            *byok_chat_page_get_visible_conversations (ByokChatPage    *self);
void                   byok_chat_page_update_estimate          (ByokChatPage     *self);
gboolean               byok_chat_page_get_busy                 (ByokChatPage     *self);
gboolean               byok_chat_page_get_keys_known           (ByokChatPage     *self);
gboolean               byok_chat_page_get_keys_listing         (ByokChatPage     *self);
void                   byok_chat_page_reload_keys              (ByokChatPage     *self);
gboolean               byok_chat_page_add_toast                (ByokChatPage     *self,
                                                                AdwToast         *toast);
ByokCompareView       *byok_chat_page_get_compare_view         (ByokChatPage     *self);

G_END_DECLS
