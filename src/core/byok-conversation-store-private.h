/* byok-conversation-store-private.h — what the files of ByokConversationStore share
 *
 * One object split by concern: byok-conversation-store.c (the object, the
 * conversation list, create/save/delete/restore/search),
 * -messages.c (the messages of a conversation, live lists kept in sync),
 * -export.c (Markdown and JSON), -blobs.c (images' and PDFs' bytes, once
 * per hash).
 */
#pragma once

#include <sqlite3.h>

#include "byok-conversation-store.h"

G_BEGIN_DECLS

#define CONVERSATION_COLUMNS \
  "id, title, created, updated, system_prompt, model, provider, temperature, max_tokens, " \
  "reasoning_effort"

/* Bound by _byok_conversation_store_bind_message() */
#define INSERT_MESSAGE_SQL \
  "INSERT INTO messages (" BYOK_MESSAGE_COLUMNS ") VALUES (" \
  "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, " \
  "?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)"

#define UPDATE_MESSAGE_SQL \
  "UPDATE messages SET conversation_id = ?2, position = ?3, role = ?4, " \
  "content = ?5, reasoning = ?6, provider = ?7, model = ?8, status = ?9, " \
  "error_class = ?10, error_message = ?11, input_tokens = ?12, " \
  "output_tokens = ?13, cached_input_tokens = ?14, cache_write_tokens = ?15, " \
  "reasoning_tokens = ?16, cost_usd = ?17, price_known = ?18, " \
  "latency_us = ?19, ttft_us = ?20, attempts = ?21, created = ?22, " \
  "attachments = ?23, reported_cost_usd = ?24, estimated = ?25, tool_calls = ?26 " \
  "WHERE id = ?1"

struct _ByokConversationSnapshot
{
  ByokConversation *conversation;
  GPtrArray        *messages;     /* of ByokMessage, as stored */
  GArray           *usage_ids;    /* of gint64: usage rows that pointed at it */
};

/* A message list someone holds; the store keeps it in sync. */
typedef struct {
  ByokConversationStore *store;
  gint64                 conversation_id;
  GListStore            *list;    /* weak */
} LiveList;

struct _ByokConversationStore
{
  GObject       parent_instance;

  ByokDatabase *database;
  GListStore   *conversations;    /* of ByokConversation, newest first */
  GHashTable   *by_id;            /* gint64* → ByokConversation (borrowed from the list) */
  GHashTable   *live;             /* gint64* → LiveList* */
  gint64        last_now;
};

gint64            _byok_conversation_store_now_us          (ByokConversationStore  *self);
void              _byok_conversation_store_reposition      (ByokConversationStore  *self,
                                                            ByokConversation       *conversation);
gboolean          _byok_conversation_store_check_stored    (ByokConversationStore  *self,
                                                            ByokConversation       *conversation,
                                                            GError                **error);
void              _byok_conversation_store_set_message_gone (GError               **error);
ByokConversation *_byok_conversation_store_copy_conversation (ByokConversation     *conversation);
GPtrArray        *_byok_conversation_store_load_messages   (sqlite3                *db,
                                                            gint64                  conversation_id,
                                                            GError                **error);
void              _byok_conversation_store_bind_message    (sqlite3_stmt           *stmt,
                                                            ByokMessage            *message);
GListStore       *_byok_conversation_store_find_live       (ByokConversationStore  *self,
                                                            gint64                  conversation_id);
void              _byok_conversation_store_add_live        (ByokConversationStore  *self,
                                                            gint64                  conversation_id,
                                                            GListStore             *list);
void              _byok_conversation_store_emit_messages_changed (ByokConversationStore *self,
                                                                  ByokConversation      *conversation);
gboolean          _byok_conversation_store_may_have_media  (ByokMessage            *message);
gboolean          _byok_conversation_store_save_blobs      (sqlite3                *db,
                                                            ByokMessage            *message,
                                                            GError                **error);
void              _byok_conversation_store_fill_blobs      (sqlite3                *db,
                                                            GPtrArray              *attachments,
                                                            GHashTable             *cache);
void              _byok_conversation_store_fill_message_blobs (sqlite3             *db,
                                                            GPtrArray              *messages);
void              _byok_conversation_store_collect_blobs   (sqlite3                *db);

G_END_DECLS
