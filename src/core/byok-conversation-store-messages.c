/* byok-conversation-store-messages.c — the messages of a conversation: read, append, save, delete */
#define G_LOG_DOMAIN "byok-conversation"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "byok-attachment.h"
#include "byok-conversation-private.h"
#include "byok-conversation-store-private.h"
#include "byok-message-private.h"

/* ---------------------------------------------------------------------- */
/* Messages                                                               */

/**
 * byok_conversation_store_get_messages:
 *
 * The messages of @conversation, oldest first, read in one query. While
 * someone holds the list, the store keeps it in sync and returns the same
 * list again.
 *
 * Returns: (transfer full): a GListModel of ByokMessage, or %NULL with
 *   @error set
 */
GListModel *
byok_conversation_store_get_messages (ByokConversationStore  *self,
                                      ByokConversation       *conversation,
                                      GError                **error)
{
  g_autoptr(GPtrArray) messages = NULL;
  GListStore *list;
  gint64 id;

  g_return_val_if_fail (BYOK_IS_CONVERSATION_STORE (self), NULL);
  g_return_val_if_fail (BYOK_IS_CONVERSATION (conversation), NULL);

  if (!_byok_conversation_store_check_stored (self, conversation, error))
    return NULL;

  id = byok_conversation_get_id (conversation);
  list = _byok_conversation_store_find_live (self, id);
  if (list != NULL)
    return G_LIST_MODEL (g_object_ref (list));

  messages = _byok_conversation_store_load_messages (byok_database_get_handle (self->database), id, error);
  if (messages == NULL)
    return NULL;

  list = g_list_store_new (BYOK_TYPE_MESSAGE);
  g_list_store_splice (list, 0, 0, messages->pdata, messages->len);
  _byok_conversation_store_add_live (self, id, list);
  return G_LIST_MODEL (list);
}

/**
 * byok_conversation_store_append_message:
 * @message: a message not stored yet (id 0)
 *
 * Stores @message at the end of @conversation: sets its id, conversation
 * id, position and creation time, adds it to the live message list, and
 * moves the conversation to the top of the list.
 */
gboolean
byok_conversation_store_append_message (ByokConversationStore  *self,
                                        ByokConversation       *conversation,
                                        ByokMessage            *message,
                                        GError                **error)
{
  const char *what = _("Could not save the message");
  sqlite3 *db;
  sqlite3_stmt *stmt;
  GListStore *live;
  gint64 id;
  gint64 position;
  gint64 now;

  g_return_val_if_fail (BYOK_IS_CONVERSATION_STORE (self), FALSE);
  g_return_val_if_fail (BYOK_IS_CONVERSATION (conversation), FALSE);
  g_return_val_if_fail (BYOK_IS_MESSAGE (message), FALSE);
  g_return_val_if_fail (byok_message_get_id (message) == 0, FALSE);

  if (!_byok_conversation_store_check_stored (self, conversation, error))
    return FALSE;

  db = byok_database_get_handle (self->database);
  id = byok_conversation_get_id (conversation);
  now = _byok_conversation_store_now_us (self);

  if (!byok_database_begin (self->database, error))
    return FALSE;

  stmt = byok_database_prepare_cached (self->database,
                                       "SELECT COALESCE (MAX (position) + 1, 0) FROM messages "
                                       "WHERE conversation_id = ?1",
                                       error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!byok_database_step_row (stmt, db, what, error))
    goto fail;
  position = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  /* Its images' and PDFs' bytes first, in the same transaction. */
  if (!_byok_conversation_store_save_blobs (db, message, error))
    goto fail;

  /* Insert with id NULL: _byok_conversation_store_bind_message binds the message's 0. */
  _byok_message_set_stored (message, 0, id, position,
                            byok_message_get_created (message) > 0
                            ? byok_message_get_created (message) : now);
  stmt = byok_database_prepare_cached (self->database, INSERT_MESSAGE_SQL, error);
  if (stmt == NULL)
    goto fail_unstore;
  _byok_conversation_store_bind_message (stmt, message);
  sqlite3_bind_null (stmt, 1);
  if (!byok_database_step_done (stmt, db, what, error))
    goto fail_unstore;

  stmt = byok_database_prepare_cached (self->database,
                                       "UPDATE conversations SET updated = ?2 WHERE id = ?1",
                                       error);
  if (stmt == NULL)
    goto fail_unstore;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!byok_database_step_done (stmt, db, what, error) ||
      !byok_database_commit (self->database, error))
    goto fail_unstore;

  _byok_message_set_stored (message, sqlite3_last_insert_rowid (db), id, position,
                            byok_message_get_created (message));
  _byok_conversation_set_updated (conversation, now);
  _byok_conversation_store_reposition (self, conversation);

  live = _byok_conversation_store_find_live (self, id);
  if (live != NULL)
    g_list_store_append (live, message);

  _byok_conversation_store_emit_messages_changed (self, conversation);
  return TRUE;

fail_unstore:
  _byok_message_set_stored (message, 0, 0, 0, 0);
fail:
  byok_database_rollback (self->database);
  return FALSE;
}

/* @message's id; 0 with the error that it is no longer stored. */
static gint64
check_message_stored (ByokMessage  *message,
                      GError      **error)
{
  gint64 id = byok_message_get_id (message);

  if (id == 0)
    _byok_conversation_store_set_message_gone (error);
  return id;
}

/* Tells that the messages of conversation @conversation_id changed, when
 * it is loaded. */
static void
emit_messages_changed_of (ByokConversationStore *self,
                          gint64                 conversation_id)
{
  ByokConversation *conversation = g_hash_table_lookup (self->by_id, &conversation_id);

  if (conversation != NULL)
    _byok_conversation_store_emit_messages_changed (self, conversation);
}

/**
 * byok_conversation_store_save_message:
 * @message: a stored message
 *
 * Writes every field of @message: content, reasoning, status, error,
 * usage, cost, timings, attempts. Cheap enough to call once a second
 * while an answer streams.
 */
gboolean
byok_conversation_store_save_message (ByokConversationStore  *self,
                                      ByokMessage            *message,
                                      GError                **error)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  gboolean media;

  g_return_val_if_fail (BYOK_IS_CONVERSATION_STORE (self), FALSE);
  g_return_val_if_fail (BYOK_IS_MESSAGE (message), FALSE);

  if (!check_message_stored (message, error))
    return FALSE;

  db = byok_database_get_handle (self->database);
  /* A message with images or PDFs: their bytes and it in one transaction. */
  media = _byok_conversation_store_may_have_media (message);
  if (media && !byok_database_begin (self->database, error))
    return FALSE;
  if (media && !_byok_conversation_store_save_blobs (db, message, error))
    goto fail;
  stmt = byok_database_prepare_cached (self->database, UPDATE_MESSAGE_SQL, error);
  if (stmt == NULL)
    goto fail;
  _byok_conversation_store_bind_message (stmt, message);
  if (!byok_database_step_done (stmt, db, _("Could not save the message"), error))
    goto fail;
  if (sqlite3_changes (db) == 0)
    {
      _byok_conversation_store_set_message_gone (error);
      goto fail;
    }
  if (media && !byok_database_commit (self->database, error))
    goto fail;

  emit_messages_changed_of (self, byok_message_get_conversation_id (message));
  return TRUE;

fail:
  if (media)
    byok_database_rollback (self->database);
  return FALSE;
}

static void
remove_from_live (ByokConversationStore *self,
                  gint64                 conversation_id,
                  gint64                 message_id)
{
  GListStore *live = _byok_conversation_store_find_live (self, conversation_id);
  guint n;

  if (live == NULL)
    return;
  n = g_list_model_get_n_items (G_LIST_MODEL (live));
  /* Usually one of the last. */
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(ByokMessage) item = g_list_model_get_item (G_LIST_MODEL (live), i - 1);

      if (byok_message_get_id (item) == message_id)
        {
          g_list_store_remove (live, i - 1);
          return;
        }
    }
}

/**
 * byok_conversation_store_delete_message:
 * @message: a stored message
 *
 * Deletes one message; it leaves the live message list. The positions of
 * the others do not change.
 */
gboolean
byok_conversation_store_delete_message (ByokConversationStore  *self,
                                        ByokMessage            *message,
                                        GError                **error)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  gint64 conversation_id;
  gint64 id;

  g_return_val_if_fail (BYOK_IS_CONVERSATION_STORE (self), FALSE);
  g_return_val_if_fail (BYOK_IS_MESSAGE (message), FALSE);

  id = check_message_stored (message, error);
  if (id == 0)
    return FALSE;

  db = byok_database_get_handle (self->database);
  stmt = byok_database_prepare_cached (self->database, "DELETE FROM messages WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!byok_database_step_done (stmt, db, _("Could not delete the message"), error))
    return FALSE;
  if (_byok_conversation_store_may_have_media (message))
    _byok_conversation_store_collect_blobs (db);

  conversation_id = byok_message_get_conversation_id (message);
  g_object_ref (message);
  remove_from_live (self, conversation_id, id);
  _byok_message_set_stored (message, 0, 0, 0, byok_message_get_created (message));
  emit_messages_changed_of (self, conversation_id);
  g_object_unref (message);
  return TRUE;
}

/**
 * byok_conversation_store_delete_messages_after:
 * @position: keep the messages at this position and before; -1 deletes
 *   them all
 *
 * Deletes every message of @conversation after @position, for
 * edit-and-resend: edit the message at @position, save it, delete what
 * came after, send again. The live message list loses them too.
 */
gboolean
byok_conversation_store_delete_messages_after (ByokConversationStore  *self,
                                               ByokConversation       *conversation,
                                               gint64                  position,
                                               GError                **error)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  GListStore *live;
  gint64 id;

  g_return_val_if_fail (BYOK_IS_CONVERSATION_STORE (self), FALSE);
  g_return_val_if_fail (BYOK_IS_CONVERSATION (conversation), FALSE);

  if (!_byok_conversation_store_check_stored (self, conversation, error))
    return FALSE;

  db = byok_database_get_handle (self->database);
  id = byok_conversation_get_id (conversation);
  stmt = byok_database_prepare_cached (self->database,
                                       "DELETE FROM messages WHERE conversation_id = ?1 AND position > ?2",
                                       error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, position);
  if (!byok_database_step_done (stmt, db, _("Could not delete the messages"), error))
    return FALSE;
  if (sqlite3_changes (db) > 0)
    _byok_conversation_store_collect_blobs (db);

  live = _byok_conversation_store_find_live (self, id);
  if (live != NULL)
    {
      GListModel *model = G_LIST_MODEL (live);
      guint n = g_list_model_get_n_items (model);
      guint first = n;
      g_autoptr(GPtrArray) removed = g_ptr_array_new_with_free_func (g_object_unref);

      /* Sorted by position: the doomed ones are the tail. */
      while (first > 0)
        {
          g_autoptr(ByokMessage) item = g_list_model_get_item (model, first - 1);

          if (byok_message_get_position (item) <= position)
            break;
          first--;
        }
      for (guint i = first; i < n; i++)
        g_ptr_array_add (removed, g_list_model_get_item (model, i));
      g_list_store_splice (live, first, n - first, NULL, 0);
      for (guint i = 0; i < removed->len; i++)
        {
          ByokMessage *message = g_ptr_array_index (removed, i);

          _byok_message_set_stored (message, 0, 0, 0, byok_message_get_created (message));
        }
    }

  _byok_conversation_store_emit_messages_changed (self, conversation);
  return TRUE;
}

/**
 * byok_conversation_store_build_request:
 * @up_to_position: include messages up to and including this position;
 *   -1 for all
 *
 * The request that asks @conversation's model to answer: its model,
 * system prompt, temperature and max tokens, and its stored messages in
 * order, without failed ("error") or unfinished ("streaming") answers and
 * empty messages. Partial answers are included: the user saw them. A
 * message's text files are composed into its content; its images and PDFs
 * are its ByokChatMessage.attachments, with their bytes. The request is
 * streamed; set reasoning and anything else before sending.
 *
 * Returns: (transfer full): the request, or %NULL with @error set
 */
ByokChatRequest *
byok_conversation_store_build_request (ByokConversationStore  *self,
                                       ByokConversation       *conversation,
                                       gint64                  up_to_position,
                                       GError                **error)
{
  g_autoptr(ByokChatRequest) request = NULL;
  g_autoptr(GHashTable) cache = NULL;
  sqlite3 *db;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BYOK_IS_CONVERSATION_STORE (self), NULL);
  g_return_val_if_fail (BYOK_IS_CONVERSATION (conversation), NULL);

  if (!_byok_conversation_store_check_stored (self, conversation, error))
    return NULL;

  db = byok_database_get_handle (self->database);
  stmt = byok_database_prepare_cached (self->database,
                                       "SELECT role, content, attachments FROM messages "
                                       "WHERE conversation_id = ?1 "
                                       "  AND (?2 < 0 OR position <= ?2) "
                                       "  AND status NOT IN ('error', 'streaming') "
                                       "  AND (content != '' OR attachments IS NOT NULL) "
                                       "ORDER BY position, id",
                                       error);
  if (stmt == NULL)
    return NULL;

  request = byok_chat_request_new (byok_conversation_get_model (conversation));
  byok_chat_request_set_system_prompt (request, byok_conversation_get_system_prompt (conversation));
  request->temperature = byok_conversation_get_temperature (conversation);
  request->max_output_tokens = byok_conversation_get_max_tokens (conversation);
  request->effort = byok_conversation_get_effort (conversation);
  request->stream = TRUE;

  cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  sqlite3_bind_int64 (stmt, 1, byok_conversation_get_id (conversation));
  sqlite3_bind_int64 (stmt, 2, up_to_position);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ByokChatRole role;

      const char *attachments_json = (const char *) sqlite3_column_text (stmt, 2);

      if (!byok_chat_role_from_string ((const char *) sqlite3_column_text (stmt, 0), &role))
        continue;
      if (attachments_json != NULL)
        {
          g_autoptr(GPtrArray) attachments = byok_attachments_from_json (attachments_json, NULL);
          g_autofree char *prompt = byok_attachments_compose_text_files (attachments, (const char *) sqlite3_column_text (stmt, 1));
          g_autoptr(GPtrArray) media = NULL;

          /* Text files in the text; images and PDFs beside it, with their bytes. */
          _byok_conversation_store_fill_blobs (db, attachments, cache);
          media = byok_attachments_get_media (attachments);
          byok_chat_request_add_message_with_attachments (request, role, prompt, media);
        }
      else
        byok_chat_request_add_message (request, role, (const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      byok_database_set_error (error, db, rc, _("Could not load the messages"));
      return NULL;
    }
  return g_steal_pointer (&request);
}

