/* byok-conversation-store.c — conversations and messages in the database */
#define G_LOG_DOMAIN "byok-conversation"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "byok-attachment.h"
#include "byok-conversation-private.h"
#include "byok-conversation-store-private.h"
#include "byok-error.h"
#include "byok-message-private.h"

#define CONVERSATION_COLUMNS \
  "id, title, created, updated, system_prompt, model, provider, temperature, max_tokens, " \
  "reasoning_effort"

enum {
  CONVERSATION_ADDED,
  CONVERSATION_REMOVED,
  CONVERSATION_CHANGED,
  MESSAGES_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (ByokConversationStore, byok_conversation_store, G_TYPE_OBJECT)

/* ---------------------------------------------------------------------- */
/* Snapshots                                                              */

/**
 * byok_conversation_snapshot_get_conversation:
 * Returns: (transfer none): the deleted conversation (the same instance
 *   the list held)
 */
ByokConversation *
byok_conversation_snapshot_get_conversation (ByokConversationSnapshot *snapshot)
{
  g_return_val_if_fail (snapshot != NULL, NULL);
  return snapshot->conversation;
}

guint
byok_conversation_snapshot_get_n_messages (ByokConversationSnapshot *snapshot)
{
  g_return_val_if_fail (snapshot != NULL, 0);
  return snapshot->messages->len;
}

void
byok_conversation_snapshot_free (ByokConversationSnapshot *snapshot)
{
  if (snapshot == NULL)
    return;
  g_clear_object (&snapshot->conversation);
  g_clear_pointer (&snapshot->messages, g_ptr_array_unref);
  g_clear_pointer (&snapshot->usage_ids, g_array_unref);
  g_free (snapshot);
}

/* ---------------------------------------------------------------------- */
/* Helpers                                                                */

gint64
_byok_conversation_store_now_us (ByokConversationStore *self)
{
  gint64 now = g_get_real_time ();

  /* Strictly increasing, so the newest conversation is always first even
   * when two changes fall in the same microsecond. */
  if (now <= self->last_now)
    now = self->last_now + 1;
  self->last_now = now;
  return now;
}

static int
compare_conversations (gconstpointer a,
                       gconstpointer b,
                       gpointer      user_data)
{
  ByokConversation *ca = (ByokConversation *) a;
  ByokConversation *cb = (ByokConversation *) b;
  gint64 ua = byok_conversation_get_updated (ca);
  gint64 ub = byok_conversation_get_updated (cb);
  gint64 ia = byok_conversation_get_id (ca);
  gint64 ib = byok_conversation_get_id (cb);

  if (ua != ub)
    return ua > ub ? -1 : 1;
  if (ia != ib)
    return ia > ib ? -1 : 1;
  return 0;
}

/* Moves @conversation to its place after its "updated" changed; does
 * nothing when it is already there, so a selection on it survives. */
void
_byok_conversation_store_reposition (ByokConversationStore *self,
                                     ByokConversation      *conversation)
{
  GListModel *model = G_LIST_MODEL (self->conversations);
  guint n = g_list_model_get_n_items (model);
  guint index;
  gboolean in_place = TRUE;

  if (!g_list_store_find (self->conversations, conversation, &index))
    return;

  if (index > 0)
    {
      g_autoptr(ByokConversation) before = g_list_model_get_item (model, index - 1);

      in_place = compare_conversations (before, conversation, NULL) < 0;
    }
  if (in_place && index + 1 < n)
    {
      g_autoptr(ByokConversation) after = g_list_model_get_item (model, index + 1);

      in_place = compare_conversations (conversation, after, NULL) < 0;
    }
  if (in_place)
    return;

  g_object_ref (conversation);
  g_list_store_remove (self->conversations, index);
  g_list_store_insert_sorted (self->conversations, conversation, compare_conversations, NULL);
  g_object_unref (conversation);
}

static void
add_conversation (ByokConversationStore *self,
                  ByokConversation      *conversation)
{
  gint64 id = byok_conversation_get_id (conversation);

  g_list_store_insert_sorted (self->conversations, conversation, compare_conversations, NULL);
  g_hash_table_insert (self->by_id, g_memdup2 (&id, sizeof id), conversation);
}

/* The conversation must be one of ours and still stored. */
gboolean
_byok_conversation_store_check_stored (ByokConversationStore  *self,
                                       ByokConversation       *conversation,
                                       GError                **error)
{
  gint64 id = byok_conversation_get_id (conversation);

  if (id != 0 && g_hash_table_lookup (self->by_id, &id) == conversation)
    return TRUE;

  g_set_error_literal (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                       _("This conversation is no longer stored; it may have been "
                         "deleted. Choose another conversation and try again."));
  return FALSE;
}

void
_byok_conversation_store_set_message_gone (GError **error)
{
  g_set_error_literal (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                       _("This message is no longer stored; it may have been "
                         "deleted with its conversation. Reload the conversation."));
}

/* NULL for the model's default, else "low", "medium", "high". */
static void
bind_effort (sqlite3_stmt *stmt,
             int           column,
             ByokEffort    effort)
{
  if (effort == BYOK_EFFORT_DEFAULT)
    sqlite3_bind_null (stmt, column);
  else
    sqlite3_bind_text (stmt, column, byok_effort_to_string (effort), -1, SQLITE_STATIC);
}

static ByokConversation *
conversation_from_row (sqlite3_stmt *stmt)
{
  ByokConversation *conversation = byok_conversation_new ();

  byok_conversation_set_title (conversation, (const char *) sqlite3_column_text (stmt, 1));
  byok_conversation_set_system_prompt (conversation, (const char *) sqlite3_column_text (stmt, 4));
  byok_conversation_set_model (conversation, (const char *) sqlite3_column_text (stmt, 5));
  byok_conversation_set_provider (conversation, (const char *) sqlite3_column_text (stmt, 6));
  if (sqlite3_column_type (stmt, 7) != SQLITE_NULL)
    byok_conversation_set_temperature (conversation, sqlite3_column_double (stmt, 7));
  byok_conversation_set_max_tokens (conversation, sqlite3_column_int64 (stmt, 8));
  {
    ByokEffort effort;

    if (byok_effort_from_string ((const char *) sqlite3_column_text (stmt, 9), &effort))
      byok_conversation_set_effort (conversation, effort);
  }
  _byok_conversation_set_stored (conversation,
                                 sqlite3_column_int64 (stmt, 0),
                                 sqlite3_column_int64 (stmt, 2),
                                 sqlite3_column_int64 (stmt, 3));
  return conversation;
}

/* A detached copy, safe to hand to a worker thread. */
ByokConversation *
_byok_conversation_store_copy_conversation (ByokConversation *conversation)
{
  ByokConversation *copy = byok_conversation_new ();

  byok_conversation_set_title (copy, byok_conversation_get_title (conversation));
  byok_conversation_set_system_prompt (copy, byok_conversation_get_system_prompt (conversation));
  byok_conversation_set_model (copy, byok_conversation_get_model (conversation));
  byok_conversation_set_provider (copy, byok_conversation_get_provider (conversation));
  byok_conversation_set_temperature (copy, byok_conversation_get_temperature (conversation));
  byok_conversation_set_max_tokens (copy, byok_conversation_get_max_tokens (conversation));
  byok_conversation_set_effort (copy, byok_conversation_get_effort (conversation));
  _byok_conversation_set_stored (copy,
                                 byok_conversation_get_id (conversation),
                                 byok_conversation_get_created (conversation),
                                 byok_conversation_get_updated (conversation));
  return copy;
}

/* Every message of a conversation in one query, by position. */
GPtrArray *
_byok_conversation_store_load_messages (sqlite3  *db,
                                        gint64    conversation_id,
                                        GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  rc = sqlite3_prepare_v2 (db,
                           "SELECT " BYOK_MESSAGE_COLUMNS " FROM messages "
                           "WHERE conversation_id = ?1 ORDER BY position, id",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, conversation_id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (messages, _byok_message_new_from_row (stmt, 0));
    }
  if (rc != SQLITE_DONE)
    {
      byok_database_set_error (error, db, rc, _("Could not load the messages"));
      return NULL;
    }
  _byok_conversation_store_fill_message_blobs (db, messages);
  return g_steal_pointer (&messages);
}

/* Binds BYOK_MESSAGE_COLUMNS as ?1…?26 in their order. Strings are
 * borrowed: step before @message changes. */
void
_byok_conversation_store_bind_message (sqlite3_stmt *stmt,
                                       ByokMessage  *message)
{
  const char *reasoning = byok_message_get_reasoning (message);
  ByokUsage usage;

  byok_message_get_usage (message, &usage);

  sqlite3_bind_int64 (stmt, 1, byok_message_get_id (message));
  sqlite3_bind_int64 (stmt, 2, byok_message_get_conversation_id (message));
  sqlite3_bind_int64 (stmt, 3, byok_message_get_position (message));
  sqlite3_bind_text (stmt, 4, byok_message_get_role (message), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, byok_message_get_content (message), -1, SQLITE_STATIC);
  byok_database_bind_text_or_null (stmt, 6, *reasoning != '\0' ? reasoning : NULL);
  byok_database_bind_text_or_null (stmt, 7, byok_message_get_provider (message));
  byok_database_bind_text_or_null (stmt, 8, byok_message_get_model (message));
  sqlite3_bind_text (stmt, 9, byok_message_get_status (message), -1, SQLITE_STATIC);
  byok_database_bind_text_or_null (stmt, 10, byok_message_get_error_class (message));
  byok_database_bind_text_or_null (stmt, 11, byok_message_get_error_message (message));
  if (usage.reported || usage.estimated)
    {
      sqlite3_bind_int64 (stmt, 12, usage.input_tokens);
      sqlite3_bind_int64 (stmt, 13, usage.output_tokens);
      sqlite3_bind_int64 (stmt, 14, usage.cached_input_tokens);
      sqlite3_bind_int64 (stmt, 15, usage.cache_write_tokens);
      sqlite3_bind_int64 (stmt, 16, usage.reasoning_tokens);
    }
  else
    {
      for (int i = 12; i <= 16; i++)
        sqlite3_bind_null (stmt, i);
    }
  if (byok_message_get_price_known (message))
    sqlite3_bind_double (stmt, 17, byok_message_get_cost_usd (message));
  else
    sqlite3_bind_null (stmt, 17);
  sqlite3_bind_int (stmt, 18, byok_message_get_price_known (message));
  if (byok_message_get_latency_us (message) >= 0)
    sqlite3_bind_int64 (stmt, 19, byok_message_get_latency_us (message));
  else
    sqlite3_bind_null (stmt, 19);
  if (byok_message_get_ttft_us (message) >= 0)
    sqlite3_bind_int64 (stmt, 20, byok_message_get_ttft_us (message));
  else
    sqlite3_bind_null (stmt, 20);
  byok_database_bind_text_or_null (stmt, 21, byok_message_get_attempts (message));
  sqlite3_bind_int64 (stmt, 22, byok_message_get_created (message));
  byok_database_bind_text_or_null (stmt, 23, _byok_message_get_attachments_json (message));
  if (byok_message_get_cost_reported (message))
    sqlite3_bind_double (stmt, 24, byok_message_get_reported_cost_usd (message));
  else
    sqlite3_bind_null (stmt, 24);
  sqlite3_bind_int (stmt, 25, byok_message_get_estimated (message));
  byok_database_bind_text_or_null (stmt, 26, _byok_message_get_tool_blocks_json (message));
}

/* ---------------------------------------------------------------------- */
/* Live message lists                                                     */

static void
live_list_free (gpointer data)
{
  g_free (data);
}

static void
live_list_gone (gpointer  data,
                GObject  *where_the_object_was)
{
  LiveList *live = data;

  g_hash_table_remove (live->store->live, &live->conversation_id);
}

GListStore *
_byok_conversation_store_find_live (ByokConversationStore *self,
                                    gint64                 conversation_id)
{
  LiveList *live = g_hash_table_lookup (self->live, &conversation_id);

  return live != NULL ? live->list : NULL;
}

void
_byok_conversation_store_add_live (ByokConversationStore *self,
                                   gint64                 conversation_id,
                                   GListStore            *list)
{
  LiveList *live = g_new0 (LiveList, 1);

  live->store = self;
  live->conversation_id = conversation_id;
  live->list = list;
  g_object_weak_ref (G_OBJECT (list), live_list_gone, live);
  g_hash_table_insert (self->live, &live->conversation_id, live);
}

/* ---------------------------------------------------------------------- */
/* Object                                                                 */

static void
byok_conversation_store_dispose (GObject *object)
{
  ByokConversationStore *self = BYOK_CONVERSATION_STORE (object);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      LiveList *live = value;

      g_object_weak_unref (G_OBJECT (live->list), live_list_gone, live);
      g_hash_table_iter_remove (&iter);
    }

  G_OBJECT_CLASS (byok_conversation_store_parent_class)->dispose (object);
}

static void
byok_conversation_store_finalize (GObject *object)
{
  ByokConversationStore *self = BYOK_CONVERSATION_STORE (object);

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->live, g_hash_table_unref);
  g_clear_object (&self->conversations);
  g_clear_object (&self->database);

  G_OBJECT_CLASS (byok_conversation_store_parent_class)->finalize (object);
}

static void
byok_conversation_store_class_init (ByokConversationStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = byok_conversation_store_dispose;
  object_class->finalize = byok_conversation_store_finalize;

  /**
   * ByokConversationStore::conversation-added:
   * A conversation was created or restored (it is in the list already).
   */
  signals[CONVERSATION_ADDED] =
    g_signal_new ("conversation-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, BYOK_TYPE_CONVERSATION);
  /**
   * ByokConversationStore::conversation-removed:
   * A conversation was deleted (it has left the list).
   */
  signals[CONVERSATION_REMOVED] =
    g_signal_new ("conversation-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, BYOK_TYPE_CONVERSATION);
  /**
   * ByokConversationStore::conversation-changed:
   * A conversation's title or settings were saved.
   */
  signals[CONVERSATION_CHANGED] =
    g_signal_new ("conversation-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, BYOK_TYPE_CONVERSATION);
  /**
   * ByokConversationStore::messages-changed:
   * A message of the conversation was added, saved or deleted (search
   * results may have changed).
   */
  signals[MESSAGES_CHANGED] =
    g_signal_new ("messages-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, BYOK_TYPE_CONVERSATION);
}

static void
byok_conversation_store_init (ByokConversationStore *self)
{
  self->conversations = g_list_store_new (BYOK_TYPE_CONVERSATION);
  self->by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->live = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, live_list_free);
}

static gboolean
load_conversations (ByokConversationStore  *self,
                    GError                **error)
{
  sqlite3 *db = byok_database_get_handle (self->database);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  rc = sqlite3_prepare_v2 (db,
                           "SELECT " CONVERSATION_COLUMNS " FROM conversations "
                           "ORDER BY updated DESC, id DESC",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          ByokConversation *conversation = conversation_from_row (stmt);
          gint64 id = byok_conversation_get_id (conversation);

          g_ptr_array_add (items, conversation);
          g_hash_table_insert (self->by_id, g_memdup2 (&id, sizeof id), conversation);
          self->last_now = MAX (self->last_now, byok_conversation_get_updated (conversation));
        }
    }
  if (rc != SQLITE_DONE)
    {
      byok_database_set_error (error, db, rc, _("Could not load the conversations"));
      return FALSE;
    }
  g_list_store_splice (self->conversations, 0, 0, items->pdata, items->len);
  return TRUE;
}

/**
 * byok_conversation_store_new:
 * @database: an open database
 *
 * Loads the list of conversations, and turns every message left
 * "streaming" (the app quit while an answer arrived) into "partial": its
 * text is kept.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
ByokConversationStore *
byok_conversation_store_new (ByokDatabase  *database,
                             GError       **error)
{
  g_autoptr(ByokConversationStore) self = NULL;

  g_return_val_if_fail (BYOK_IS_DATABASE (database), NULL);

  self = g_object_new (BYOK_TYPE_CONVERSATION_STORE, NULL);
  self->database = g_object_ref (database);

  if (!byok_database_exec (database,
                           "UPDATE messages SET status = 'partial' WHERE status = 'streaming'",
                           error))
    return NULL;
  if (sqlite3_changes (byok_database_get_handle (database)) > 0)
    g_debug ("%d interrupted answers marked partial",
             sqlite3_changes (byok_database_get_handle (database)));

  if (!load_conversations (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * byok_conversation_store_get_database:
 * Returns: (transfer none): the database
 */
ByokDatabase *
byok_conversation_store_get_database (ByokConversationStore *self)
{
  g_return_val_if_fail (BYOK_IS_CONVERSATION_STORE (self), NULL);
  return self->database;
}

/* ---------------------------------------------------------------------- */
/* Conversations                                                          */

/**
 * byok_conversation_store_get_conversations:
 *
 * Returns: (transfer none): a GListModel of ByokConversation, newest
 *   activity first; it follows every change made through the store
 */
GListModel *
byok_conversation_store_get_conversations (ByokConversationStore *self)
{
  g_return_val_if_fail (BYOK_IS_CONVERSATION_STORE (self), NULL);
  return G_LIST_MODEL (self->conversations);
}

/**
 * byok_conversation_store_lookup:
 *
 * Returns: (transfer none) (nullable): the conversation with @id, or %NULL
 */
ByokConversation *
byok_conversation_store_lookup (ByokConversationStore *self,
                                gint64                 id)
{
  g_return_val_if_fail (BYOK_IS_CONVERSATION_STORE (self), NULL);
  return g_hash_table_lookup (self->by_id, &id);
}

/**
 * byok_conversation_store_create:
 * @title: (nullable): the title; %NULL or "" for none yet
 * @provider: (nullable): the provider id to talk to
 * @model: (nullable): the model id to talk to
 *
 * Stores a new, empty conversation; it goes first in the list.
 *
 * Returns: (transfer full): the conversation, or %NULL with @error set
 */
ByokConversation *
byok_conversation_store_create (ByokConversationStore  *self,
                                const char             *title,
                                const char             *provider,
                                const char             *model,
                                GError                **error)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  g_autoptr(ByokConversation) conversation = NULL;
  gint64 now;

  g_return_val_if_fail (BYOK_IS_CONVERSATION_STORE (self), NULL);

  db = byok_database_get_handle (self->database);
  stmt = byok_database_prepare_cached (self->database,
                                       "INSERT INTO conversations (title, created, updated, provider, model) "
                                       "VALUES (?1, ?2, ?2, ?3, ?4)",
                                       error);
  if (stmt == NULL)
    return NULL;

  now = _byok_conversation_store_now_us (self);
  sqlite3_bind_text (stmt, 1, title != NULL ? title : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now);
  byok_database_bind_text_or_null (stmt, 3, provider);
  byok_database_bind_text_or_null (stmt, 4, model);
  if (!byok_database_step_done (stmt, db, _("Could not create the conversation"), error))
    return NULL;

  conversation = byok_conversation_new ();
  byok_conversation_set_title (conversation, title);
  byok_conversation_set_provider (conversation, provider);
  byok_conversation_set_model (conversation, model);
  _byok_conversation_set_stored (conversation, sqlite3_last_insert_rowid (db), now, now);
  add_conversation (self, conversation);

  g_signal_emit (self, signals[CONVERSATION_ADDED], 0, conversation);
  return g_steal_pointer (&conversation);
}

/**
 * byok_conversation_store_save_conversation:
 *
 * Writes the title, provider, model, system prompt, temperature, max
 * tokens and reasoning effort of @conversation. Its place in the list does not change: that
 * follows the messages.
 */
gboolean
byok_conversation_store_save_conversation (ByokConversationStore  *self,
                                           ByokConversation       *conversation,
                                           GError                **error)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  double temperature;

  g_return_val_if_fail (BYOK_IS_CONVERSATION_STORE (self), FALSE);
  g_return_val_if_fail (BYOK_IS_CONVERSATION (conversation), FALSE);

  if (!_byok_conversation_store_check_stored (self, conversation, error))
    return FALSE;

  db = byok_database_get_handle (self->database);
  stmt = byok_database_prepare_cached (self->database,
                                       "UPDATE conversations SET title = ?2, system_prompt = ?3, "
                                       "model = ?4, provider = ?5, temperature = ?6, max_tokens = ?7, "
                                       "reasoning_effort = ?8 WHERE id = ?1",
                                       error);
  if (stmt == NULL)
    return FALSE;

  temperature = byok_conversation_get_temperature (conversation);
  sqlite3_bind_int64 (stmt, 1, byok_conversation_get_id (conversation));
  sqlite3_bind_text (stmt, 2, byok_conversation_get_title (conversation), -1, SQLITE_STATIC);
  byok_database_bind_text_or_null (stmt, 3, byok_conversation_get_system_prompt (conversation));
  byok_database_bind_text_or_null (stmt, 4, byok_conversation_get_model (conversation));
  byok_database_bind_text_or_null (stmt, 5, byok_conversation_get_provider (conversation));
  if (temperature >= 0)
    sqlite3_bind_double (stmt, 6, temperature);
  else
    sqlite3_bind_null (stmt, 6);
  if (byok_conversation_get_max_tokens (conversation) > 0)
    sqlite3_bind_int64 (stmt, 7, byok_conversation_get_max_tokens (conversation));
  else
    sqlite3_bind_null (stmt, 7);
  bind_effort (stmt, 8, byok_conversation_get_effort (conversation));
  if (!byok_database_step_done (stmt, db, _("Could not save the conversation"), error))
    return FALSE;

  g_signal_emit (self, signals[CONVERSATION_CHANGED], 0, conversation);
  return TRUE;
}

/**
 * byok_conversation_store_rename:
 * @title: (nullable): the new title
 *
 * Sets the title and saves the conversation.
 */
gboolean
byok_conversation_store_rename (ByokConversationStore  *self,
                                ByokConversation       *conversation,
                                const char             *title,
                                GError                **error)
{
  g_autofree char *old_title = NULL;

  g_return_val_if_fail (BYOK_IS_CONVERSATION_STORE (self), FALSE);
  g_return_val_if_fail (BYOK_IS_CONVERSATION (conversation), FALSE);

  if (!_byok_conversation_store_check_stored (self, conversation, error))
    return FALSE;

  old_title = g_strdup (byok_conversation_get_title (conversation));
  byok_conversation_set_title (conversation, title);
  if (!byok_conversation_store_save_conversation (self, conversation, error))
    {
      byok_conversation_set_title (conversation, old_title);
      return FALSE;
    }
  return TRUE;
}

static GArray *
load_usage_ids (sqlite3  *db,
                gint64    conversation_id,
                GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT id FROM usage WHERE conversation_id = ?1",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, conversation_id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);

          g_array_append_val (ids, id);
        }
    }
  if (rc != SQLITE_DONE)
    {
      byok_database_set_error (error, db, rc, _("Could not delete the conversation"));
      return NULL;
    }
  return g_steal_pointer (&ids);
}

/**
 * byok_conversation_store_delete_conversation:
 *
 * Deletes @conversation and its messages; the usage records of its calls
 * stay (their spending is history) but lose their link to it. It leaves
 * the list, and a live message list of it is emptied.
 *
 * Returns: (transfer full): a snapshot for byok_conversation_store_restore()
 *   (free it with byok_conversation_snapshot_free() when the undo is no
 *   longer offered), or %NULL with @error set
 */
ByokConversationSnapshot *
byok_conversation_store_delete_conversation (ByokConversationStore  *self,
                                             ByokConversation       *conversation,
                                             GError                **error)
{
  sqlite3 *db;
  g_autoptr(ByokConversationSnapshot) snapshot = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GListStore *live;
  gint64 id;
  guint index;

  g_return_val_if_fail (BYOK_IS_CONVERSATION_STORE (self), NULL);
  g_return_val_if_fail (BYOK_IS_CONVERSATION (conversation), NULL);

  if (!_byok_conversation_store_check_stored (self, conversation, error))
    return NULL;

  db = byok_database_get_handle (self->database);
  id = byok_conversation_get_id (conversation);

  snapshot = g_new0 (ByokConversationSnapshot, 1);
  snapshot->conversation = g_object_ref (conversation);

  if (!byok_database_begin (self->database, error))
    return NULL;
  snapshot->messages = _byok_conversation_store_load_messages (db, id, error);
  if (snapshot->messages != NULL)
    snapshot->usage_ids = load_usage_ids (db, id, error);
  if (snapshot->usage_ids == NULL)
    {
      byok_database_rollback (self->database);
      return NULL;
    }
  stmt = byok_database_prepare (self->database, "DELETE FROM conversations WHERE id = ?1", error);
  if (stmt == NULL)
    {
      byok_database_rollback (self->database);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, id);
  if (!byok_database_step_done (stmt, db, _("Could not delete the conversation"), error))
    {
      byok_database_rollback (self->database);
      return NULL;
    }
  /* The snapshot holds the bytes: an undo stores them again. */
  _byok_conversation_store_collect_blobs (db);
  if (!byok_database_commit (self->database, error))
    {
      byok_database_rollback (self->database);
      return NULL;
    }

  live = _byok_conversation_store_find_live (self, id);
  if (live != NULL)
    g_list_store_remove_all (live);
  if (g_list_store_find (self->conversations, conversation, &index))
    g_list_store_remove (self->conversations, index);
  g_hash_table_remove (self->by_id, &id);

  g_debug ("Deleted conversation %" G_GINT64_FORMAT " (%u messages)", id, snapshot->messages->len);
  g_signal_emit (self, signals[CONVERSATION_REMOVED], 0, conversation);
  return g_steal_pointer (&snapshot);
}

static gboolean
restore_rows (ByokConversationStore     *self,
              ByokConversationSnapshot  *snapshot,
              GError                   **error)
{
  const char *what = _("Could not restore the conversation");
  ByokConversation *conversation = snapshot->conversation;
  sqlite3 *db = byok_database_get_handle (self->database);
  g_autoptr(sqlite3_stmt) insert_conversation = NULL;
  g_autoptr(sqlite3_stmt) insert_message = NULL;
  g_autoptr(sqlite3_stmt) relink = NULL;
  gint64 id = byok_conversation_get_id (conversation);
  double temperature = byok_conversation_get_temperature (conversation);

  insert_conversation = byok_database_prepare (self->database,
                                               "INSERT INTO conversations (" CONVERSATION_COLUMNS ") "
                                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                                               error);
  if (insert_conversation == NULL)
    return FALSE;
  sqlite3_bind_int64 (insert_conversation, 1, id);
  sqlite3_bind_text (insert_conversation, 2, byok_conversation_get_title (conversation), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert_conversation, 3, byok_conversation_get_created (conversation));
  sqlite3_bind_int64 (insert_conversation, 4, byok_conversation_get_updated (conversation));
  byok_database_bind_text_or_null (insert_conversation, 5, byok_conversation_get_system_prompt (conversation));
  byok_database_bind_text_or_null (insert_conversation, 6, byok_conversation_get_model (conversation));
  byok_database_bind_text_or_null (insert_conversation, 7, byok_conversation_get_provider (conversation));
  if (temperature >= 0)
    sqlite3_bind_double (insert_conversation, 8, temperature);
  else
    sqlite3_bind_null (insert_conversation, 8);
  if (byok_conversation_get_max_tokens (conversation) > 0)
    sqlite3_bind_int64 (insert_conversation, 9, byok_conversation_get_max_tokens (conversation));
  else
    sqlite3_bind_null (insert_conversation, 9);
  bind_effort (insert_conversation, 10, byok_conversation_get_effort (conversation));
  if (!byok_database_step_done (insert_conversation, db, what, error))
    return FALSE;

  insert_message = byok_database_prepare (self->database, INSERT_MESSAGE_SQL, error);
  if (insert_message == NULL)
    return FALSE;
  for (guint i = 0; i < snapshot->messages->len; i++)
    {
      if (!_byok_conversation_store_save_blobs (db, g_ptr_array_index (snapshot->messages, i), error))
        return FALSE;
      _byok_conversation_store_bind_message (insert_message, g_ptr_array_index (snapshot->messages, i));
      if (!byok_database_step_done (insert_message, db, what, error))
        return FALSE;
      sqlite3_clear_bindings (insert_message);
    }

  relink = byok_database_prepare (self->database,
                                  "UPDATE usage SET conversation_id = ?1 "
                                  "WHERE id = ?2 AND conversation_id IS NULL",
                                  error);
  if (relink == NULL)
    return FALSE;
  sqlite3_bind_int64 (relink, 1, id);
  for (guint i = 0; i < snapshot->usage_ids->len; i++)
    {
      sqlite3_bind_int64 (relink, 2, g_array_index (snapshot->usage_ids, gint64, i));
      if (!byok_database_step_done (relink, db, what, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * byok_conversation_store_restore:
 * @snapshot: what byok_conversation_store_delete_conversation() returned
 *
 * Undoes the delete: the conversation, its messages and the links from
 * its usage records come back with the same ids; the same
 * ByokConversation instance returns to the list, and a live message list
 * still held for it is filled again. The snapshot can be freed after.
 *
 * Returns: (transfer none): the restored conversation, or %NULL with
 *   @error set (BYOK_ERROR_INVALID if it was restored already)
 */
ByokConversation *
byok_conversation_store_restore (ByokConversationStore     *self,
                                 ByokConversationSnapshot  *snapshot,
                                 GError                   **error)
{
  ByokConversation *conversation;
  GListStore *live;
  gint64 id;

  g_return_val_if_fail (BYOK_IS_CONVERSATION_STORE (self), NULL);
  g_return_val_if_fail (snapshot != NULL, NULL);

  conversation = snapshot->conversation;
  id = byok_conversation_get_id (conversation);
  if (g_hash_table_contains (self->by_id, &id))
    {
      g_set_error_literal (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                           _("This conversation has already been restored."));
      return NULL;
    }

  if (!byok_database_begin (self->database, error))
    return NULL;
  if (!restore_rows (self, snapshot, error) ||
      !byok_database_commit (self->database, error))
    {
      byok_database_rollback (self->database);
      return NULL;
    }

  add_conversation (self, conversation);
  live = _byok_conversation_store_find_live (self, id);
  if (live != NULL)
    g_list_store_splice (live, 0, g_list_model_get_n_items (G_LIST_MODEL (live)),
                         snapshot->messages->pdata, snapshot->messages->len);

  g_debug ("Restored conversation %" G_GINT64_FORMAT, id);
  g_signal_emit (self, signals[CONVERSATION_ADDED], 0, conversation);
  return conversation;
}

static char *
like_pattern (const char *query)
{
  GString *pattern = g_string_new ("%");

  for (const char *p = query; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (pattern, FALSE);
}

/**
 * byok_conversation_store_search:
 * @query: (nullable): text to look for; %NULL or blank for every
 *   conversation
 *
 * Finds the conversations whose title or any message's content contains
 * @query (surrounding whitespace ignored; ASCII letters match either
 * case). The result is a snapshot: run the search again after
 * ::conversation-added, ::conversation-removed, ::conversation-changed or
 * ::messages-changed.
 *
 * Returns: (transfer full): a new GListModel of the matching
 *   ByokConversation instances, newest first, or %NULL with @error set
 */
GListModel *
byok_conversation_store_search (ByokConversationStore  *self,
                                const char             *query,
                                GError                **error)
{
  g_autoptr(GListStore) results = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *trimmed = NULL;
  g_autofree char *pattern = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (BYOK_IS_CONVERSATION_STORE (self), NULL);

  results = g_list_store_new (BYOK_TYPE_CONVERSATION);
  trimmed = g_strstrip (g_strdup (query != NULL ? query : ""));
  if (*trimmed == '\0')
    {
      GListModel *all = G_LIST_MODEL (self->conversations);
      guint n = g_list_model_get_n_items (all);

      items = g_ptr_array_new_full (n, g_object_unref);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (items, g_list_model_get_item (all, i));
      g_list_store_splice (results, 0, 0, items->pdata, items->len);
      return G_LIST_MODEL (g_steal_pointer (&results));
    }

  db = byok_database_get_handle (self->database);
  stmt = byok_database_prepare (self->database,
                                "SELECT c.id FROM conversations c "
                                "WHERE c.title LIKE ?1 ESCAPE '\\' "
                                "   OR EXISTS (SELECT 1 FROM messages m "
                                "              WHERE m.conversation_id = c.id "
                                "                AND m.content LIKE ?1 ESCAPE '\\') "
                                "ORDER BY c.updated DESC, c.id DESC",
                                error);
  if (stmt == NULL)
    return NULL;
  pattern = like_pattern (trimmed);
  sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_STATIC);

  items = g_ptr_array_new ();
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      ByokConversation *conversation = g_hash_table_lookup (self->by_id, &id);

      if (conversation != NULL)
        g_ptr_array_add (items, conversation);
    }
  if (rc != SQLITE_DONE)
    {
      byok_database_set_error (error, db, rc, _("Could not search the conversations"));
      return NULL;
    }
  g_list_store_splice (results, 0, 0, items->pdata, items->len);
  return G_LIST_MODEL (g_steal_pointer (&results));
}

/**
 * _byok_conversation_store_emit_messages_changed:
 *
 * Says that the messages of @conversation changed (ByokConversationStore::messages-changed).
 */
void
_byok_conversation_store_emit_messages_changed (ByokConversationStore *self,
                                                ByokConversation      *conversation)
{
  g_signal_emit (self, signals[MESSAGES_CHANGED], 0, conversation);
}
