/* byok-conversation-store.h — conversations and messages in the database
 *
 * The store keeps one ByokConversation per stored conversation in a
 * GListModel, newest first (by "updated", then by id), and keeps it in sync
 * with create, save, rename, delete and restore, and with messages being
 * added or removed (which move a conversation to the top).
 *
 * Messages: byok_conversation_store_get_messages() loads a conversation's
 * messages in one query into a GListModel ordered by position. The list is
 * live while someone holds it: appending, deleting and restoring messages
 * through the store change it, and asking again returns the same list.
 * Message objects are the UI's to change (append streamed text to them);
 * byok_conversation_store_save_message() writes one back. A streaming
 * answer: append it with status "streaming", append deltas to the object,
 * save it from time to time (once a second) and once more at the end with
 * its final status. A message left "streaming" by a quit becomes "partial"
 * when a store is next created on the database.
 *
 * Undo of a delete: byok_conversation_store_delete_conversation() returns
 * a snapshot of everything it removed (the conversation, its messages and
 * the links from usage records); byok_conversation_store_restore() puts it
 * all back with the same ids and the same ByokConversation instance. Keep
 * the snapshot while the undo toast shows, then free it.
 *
 * Search matches a substring of the title or of any message's content
 * (SQL LIKE: case-insensitive for ASCII letters only; % and _ match
 * themselves).
 *
 * Threads: everything runs on the thread that owns the ByokDatabase (the
 * main thread), synchronously — single statements in WAL take tens of
 * microseconds, and 10,000 messages load in tens of milliseconds. Export
 * to a file formats and writes in a worker thread.
 *
 * Errors are BYOK_ERROR_STORAGE (the database failed) or
 * BYOK_ERROR_INVALID (a conversation or message that is not, or no longer,
 * stored).
 */
#pragma once

#include <gio/gio.h>

#include "byok-chat-request.h"
#include "byok-conversation.h"
#include "byok-database.h"
#include "byok-message.h"

G_BEGIN_DECLS

typedef enum {
  BYOK_CONVERSATION_EXPORT_MARKDOWN,
  BYOK_CONVERSATION_EXPORT_JSON,
} ByokConversationExportFormat;

typedef struct _ByokConversationSnapshot ByokConversationSnapshot;

ByokConversation *byok_conversation_snapshot_get_conversation (ByokConversationSnapshot *snapshot);
guint             byok_conversation_snapshot_get_n_messages   (ByokConversationSnapshot *snapshot);
void              byok_conversation_snapshot_free             (ByokConversationSnapshot *snapshot);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokConversationSnapshot, byok_conversation_snapshot_free)

#define BYOK_TYPE_CONVERSATION_STORE (byok_conversation_store_get_type ())
G_DECLARE_FINAL_TYPE (ByokConversationStore, byok_conversation_store, BYOK, CONVERSATION_STORE, GObject)

ByokConversationStore    *byok_conversation_store_new               (ByokDatabase           *database,
                                                                     GError                **error);
ByokDatabase             *byok_conversation_store_get_database      (ByokConversationStore  *self);

/* Conversations */
GListModel               *byok_conversation_store_get_conversations (ByokConversationStore  *self);
ByokConversation         *byok_conversation_store_lookup            (ByokConversationStore  *self,
                                                                     gint64                  id);
ByokConversation         *byok_conversation_store_create            (ByokConversationStore  *self,
                                                                     const char             *title,
                                                                     const char             *provider,
                                                                     const char             *model,
                                                                     GError                **error);
gboolean                  byok_conversation_store_save_conversation (ByokConversationStore  *self,
                                                                     ByokConversation       *conversation,
                                                                     GError                **error);
gboolean                  byok_conversation_store_rename            (ByokConversationStore  *self,
                                                                     ByokConversation       *conversation,
                                                                     const char             *title,
                                                                     GError                **error);
ByokConversationSnapshot *byok_conversation_store_delete_conversation (ByokConversationStore *self,
                                                                     ByokConversation       *conversation,
                                                                     GError                **error);
ByokConversation         *byok_conversation_store_restore           (ByokConversationStore  *self,
                                                                     ByokConversationSnapshot *snapshot,
                                                                     GError                **error);
GListModel               *byok_conversation_store_search            (ByokConversationStore  *self,
                                                                     const char             *query,
                                                                     GError                **error);

/* Messages */
GListModel               *byok_conversation_store_get_messages      (ByokConversationStore  *self,
                                                                     ByokConversation       *conversation,
                                                                     GError                **error);
gboolean                  byok_conversation_store_append_message    (ByokConversationStore  *self,
                                                                     ByokConversation       *conversation,
                                                                     ByokMessage            *message,
                                                                     GError                **error);
gboolean                  byok_conversation_store_save_message      (ByokConversationStore  *self,
                                                                     ByokMessage            *message,
                                                                     GError                **error);
gboolean                  byok_conversation_store_delete_message    (ByokConversationStore  *self,
                                                                     ByokMessage            *message,
                                                                     GError                **error);
gboolean                  byok_conversation_store_delete_messages_after (ByokConversationStore *self,
                                                                     ByokConversation       *conversation,
                                                                     gint64                  position,
                                                                     GError                **error);
ByokChatRequest          *byok_conversation_store_build_request     (ByokConversationStore  *self,
                                                                     ByokConversation       *conversation,
                                                                     gint64                  up_to_position,
                                                                     GError                **error);

/* Export */
gboolean                  byok_conversation_store_export            (ByokConversationStore  *self,
                                                                     ByokConversation       *conversation,
                                                                     ByokConversationExportFormat format,
                                                                     GOutputStream          *stream,
                                                                     GCancellable           *cancellable,
                                                                     GError                **error);
void                      byok_conversation_store_export_async      (ByokConversationStore  *self,
                                                                     ByokConversation       *conversation,
                                                                     ByokConversationExportFormat format,
                                                                     GFile                  *file,
                                                                     GCancellable           *cancellable,
                                                                     GAsyncReadyCallback     callback,
                                                                     gpointer                user_data);
gboolean                  byok_conversation_store_export_finish     (ByokConversationStore  *self,
                                                                     GAsyncResult           *result,
                                                                     GError                **error);

G_END_DECLS
