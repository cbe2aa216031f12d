/* byok-conversation-store.c — conversations and messages in the database */
#define G_LOG_DOMAIN "byok-conversation"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "byok-attachment.h"
#include "byok-conversation-private.h"
#include "byok-conversation-store.h"
#include "byok-error.h"
#include "byok-file.h"
#include "byok-message-private.h"

#define CONVERSATION_COLUMNS \
  "id, title, created, updated, system_prompt, model, provider, temperature, max_tokens, " \
  "reasoning_effort"

#define EXPORT_FLUSH_SIZE (64 * 1024)

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

static gint64
now_us (ByokConversationStore *self)
{
  gint64 now = g_get_real_time ();

  /* Strictly increasing, so the newest conversation is always first even
   * when two changes fall in the same microsecond. */
  if (now <= self->last_now)
    now = self->last_now + 1;
  self->last_now = now;
  return now;
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, index);
}

static gboolean
step_done (sqlite3_stmt  *stmt,
           sqlite3       *db,
           const char    *what,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      byok_database_set_error (error, db, rc, what);
      return FALSE;
    }
  return TRUE;
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
static void
reposition (ByokConversationStore *self,
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
static gboolean
check_stored (ByokConversationStore  *self,
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

static void
set_message_gone (GError **error)
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
  byok_conversation_set_stored (conversation,
                                sqlite3_column_int64 (stmt, 0),
                                sqlite3_column_int64 (stmt, 2),
                                sqlite3_column_int64 (stmt, 3));
  return conversation;
}

/* A detached copy, safe to hand to a worker thread. */
static ByokConversation *
copy_conversation (ByokConversation *conversation)
{
  ByokConversation *copy = byok_conversation_new ();

  byok_conversation_set_title (copy, byok_conversation_get_title (conversation));
  byok_conversation_set_system_prompt (copy, byok_conversation_get_system_prompt (conversation));
  byok_conversation_set_model (copy, byok_conversation_get_model (conversation));
  byok_conversation_set_provider (copy, byok_conversation_get_provider (conversation));
  byok_conversation_set_temperature (copy, byok_conversation_get_temperature (conversation));
  byok_conversation_set_max_tokens (copy, byok_conversation_get_max_tokens (conversation));
  byok_conversation_set_effort (copy, byok_conversation_get_effort (conversation));
  byok_conversation_set_stored (copy,
                                byok_conversation_get_id (conversation),
                                byok_conversation_get_created (conversation),
                                byok_conversation_get_updated (conversation));
  return copy;
}

/* Every message of a conversation in one query, by position. */
static GPtrArray *
load_messages (sqlite3  *db,
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
        g_ptr_array_add (messages, byok_message_new_from_row (stmt, 0));
    }
  if (rc != SQLITE_DONE)
    {
      byok_database_set_error (error, db, rc, _("Could not load the messages"));
      return NULL;
    }
  return g_steal_pointer (&messages);
}

/* Binds BYOK_MESSAGE_COLUMNS as ?1…?23 in their order. Strings are
 * borrowed: step before @message changes. */
static void
bind_message (sqlite3_stmt *stmt,
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
  bind_text_or_null (stmt, 6, *reasoning != '\0' ? reasoning : NULL);
  bind_text_or_null (stmt, 7, byok_message_get_provider (message));
  bind_text_or_null (stmt, 8, byok_message_get_model (message));
  sqlite3_bind_text (stmt, 9, byok_message_get_status (message), -1, SQLITE_STATIC);
  bind_text_or_null (stmt, 10, byok_message_get_error_class (message));
  bind_text_or_null (stmt, 11, byok_message_get_error_message (message));
  if (usage.reported)
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
  bind_text_or_null (stmt, 21, byok_message_get_attempts (message));
  sqlite3_bind_int64 (stmt, 22, byok_message_get_created (message));
  bind_text_or_null (stmt, 23, byok_message_get_attachments_json (message));
}

#define INSERT_MESSAGE_SQL \
  "INSERT INTO messages (" BYOK_MESSAGE_COLUMNS ") VALUES (" \
  "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, " \
  "?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)"

#define UPDATE_MESSAGE_SQL \
  "UPDATE messages SET conversation_id = ?2, position = ?3, role = ?4, " \
  "content = ?5, reasoning = ?6, provider = ?7, model = ?8, status = ?9, " \
  "error_class = ?10, error_message = ?11, input_tokens = ?12, " \
  "output_tokens = ?13, cached_input_tokens = ?14, cache_write_tokens = ?15, " \
  "reasoning_tokens = ?16, cost_usd = ?17, price_known = ?18, " \
  "latency_us = ?19, ttft_us = ?20, attempts = ?21, created = ?22, " \
  "attachments = ?23 " \
  "WHERE id = ?1"

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

static GListStore *
find_live (ByokConversationStore *self,
           gint64                 conversation_id)
{
  LiveList *live = g_hash_table_lookup (self->live, &conversation_id);

  return live != NULL ? live->list : NULL;
}

static void
add_live (ByokConversationStore *self,
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

  now = now_us (self);
  sqlite3_bind_text (stmt, 1, title != NULL ? title : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now);
  bind_text_or_null (stmt, 3, provider);
  bind_text_or_null (stmt, 4, model);
  if (!step_done (stmt, db, _("Could not create the conversation"), error))
    return NULL;

  conversation = byok_conversation_new ();
  byok_conversation_set_title (conversation, title);
  byok_conversation_set_provider (conversation, provider);
  byok_conversation_set_model (conversation, model);
  byok_conversation_set_stored (conversation, sqlite3_last_insert_rowid (db), now, now);
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

  if (!check_stored (self, conversation, error))
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
  bind_text_or_null (stmt, 3, byok_conversation_get_system_prompt (conversation));
  bind_text_or_null (stmt, 4, byok_conversation_get_model (conversation));
  bind_text_or_null (stmt, 5, byok_conversation_get_provider (conversation));
  if (temperature >= 0)
    sqlite3_bind_double (stmt, 6, temperature);
  else
    sqlite3_bind_null (stmt, 6);
  if (byok_conversation_get_max_tokens (conversation) > 0)
    sqlite3_bind_int64 (stmt, 7, byok_conversation_get_max_tokens (conversation));
  else
    sqlite3_bind_null (stmt, 7);
  bind_effort (stmt, 8, byok_conversation_get_effort (conversation));
  if (!step_done (stmt, db, _("Could not save the conversation"), error))
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

  if (!check_stored (self, conversation, error))
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

  if (!check_stored (self, conversation, error))
    return NULL;

  db = byok_database_get_handle (self->database);
  id = byok_conversation_get_id (conversation);

  snapshot = g_new0 (ByokConversationSnapshot, 1);
  snapshot->conversation = g_object_ref (conversation);

  if (!byok_database_begin (self->database, error))
    return NULL;
  snapshot->messages = load_messages (db, id, error);
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
  if (!step_done (stmt, db, _("Could not delete the conversation"), error) ||
      !byok_database_commit (self->database, error))
    {
      byok_database_rollback (self->database);
      return NULL;
    }

  live = find_live (self, id);
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
  bind_text_or_null (insert_conversation, 5, byok_conversation_get_system_prompt (conversation));
  bind_text_or_null (insert_conversation, 6, byok_conversation_get_model (conversation));
  bind_text_or_null (insert_conversation, 7, byok_conversation_get_provider (conversation));
  if (temperature >= 0)
    sqlite3_bind_double (insert_conversation, 8, temperature);
  else
    sqlite3_bind_null (insert_conversation, 8);
  if (byok_conversation_get_max_tokens (conversation) > 0)
    sqlite3_bind_int64 (insert_conversation, 9, byok_conversation_get_max_tokens (conversation));
  else
    sqlite3_bind_null (insert_conversation, 9);
  bind_effort (insert_conversation, 10, byok_conversation_get_effort (conversation));
  if (!step_done (insert_conversation, db, what, error))
    return FALSE;

  insert_message = byok_database_prepare (self->database, INSERT_MESSAGE_SQL, error);
  if (insert_message == NULL)
    return FALSE;
  for (guint i = 0; i < snapshot->messages->len; i++)
    {
      bind_message (insert_message, g_ptr_array_index (snapshot->messages, i));
      if (!step_done (insert_message, db, what, error))
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
      if (!step_done (relink, db, what, error))
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
  live = find_live (self, id);
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

  if (!check_stored (self, conversation, error))
    return NULL;

  id = byok_conversation_get_id (conversation);
  list = find_live (self, id);
  if (list != NULL)
    return G_LIST_MODEL (g_object_ref (list));

  messages = load_messages (byok_database_get_handle (self->database), id, error);
  if (messages == NULL)
    return NULL;

  list = g_list_store_new (BYOK_TYPE_MESSAGE);
  g_list_store_splice (list, 0, 0, messages->pdata, messages->len);
  add_live (self, id, list);
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
  int rc;

  g_return_val_if_fail (BYOK_IS_CONVERSATION_STORE (self), FALSE);
  g_return_val_if_fail (BYOK_IS_CONVERSATION (conversation), FALSE);
  g_return_val_if_fail (BYOK_IS_MESSAGE (message), FALSE);
  g_return_val_if_fail (byok_message_get_id (message) == 0, FALSE);

  if (!check_stored (self, conversation, error))
    return FALSE;

  db = byok_database_get_handle (self->database);
  id = byok_conversation_get_id (conversation);
  now = now_us (self);

  if (!byok_database_begin (self->database, error))
    return FALSE;

  stmt = byok_database_prepare_cached (self->database,
                                       "SELECT COALESCE (MAX (position) + 1, 0) FROM messages "
                                       "WHERE conversation_id = ?1",
                                       error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      byok_database_set_error (error, db, rc, what);
      sqlite3_reset (stmt);
      goto fail;
    }
  position = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  /* Insert with id NULL: bind_message binds the message's 0. */
  byok_message_set_stored (message, 0, id, position,
                           byok_message_get_created (message) > 0
                           ? byok_message_get_created (message) : now);
  stmt = byok_database_prepare_cached (self->database, INSERT_MESSAGE_SQL, error);
  if (stmt == NULL)
    goto fail_unstore;
  bind_message (stmt, message);
  sqlite3_bind_null (stmt, 1);
  if (!step_done (stmt, db, what, error))
    goto fail_unstore;

  stmt = byok_database_prepare_cached (self->database,
                                       "UPDATE conversations SET updated = ?2 WHERE id = ?1",
                                       error);
  if (stmt == NULL)
    goto fail_unstore;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!step_done (stmt, db, what, error) ||
      !byok_database_commit (self->database, error))
    goto fail_unstore;

  byok_message_set_stored (message, sqlite3_last_insert_rowid (db), id, position,
                           byok_message_get_created (message));
  byok_conversation_set_updated (conversation, now);
  reposition (self, conversation);

  live = find_live (self, id);
  if (live != NULL)
    g_list_store_append (live, message);

  g_signal_emit (self, signals[MESSAGES_CHANGED], 0, conversation);
  return TRUE;

fail_unstore:
  byok_message_set_stored (message, 0, 0, 0, 0);
fail:
  byok_database_rollback (self->database);
  return FALSE;
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
  ByokConversation *conversation;
  gint64 conversation_id;

  g_return_val_if_fail (BYOK_IS_CONVERSATION_STORE (self), FALSE);
  g_return_val_if_fail (BYOK_IS_MESSAGE (message), FALSE);

  if (byok_message_get_id (message) == 0)
    {
      set_message_gone (error);
      return FALSE;
    }

  db = byok_database_get_handle (self->database);
  stmt = byok_database_prepare_cached (self->database, UPDATE_MESSAGE_SQL, error);
  if (stmt == NULL)
    return FALSE;
  bind_message (stmt, message);
  if (!step_done (stmt, db, _("Could not save the message"), error))
    return FALSE;
  if (sqlite3_changes (db) == 0)
    {
      set_message_gone (error);
      return FALSE;
    }

  conversation_id = byok_message_get_conversation_id (message);
  conversation = g_hash_table_lookup (self->by_id, &conversation_id);
  if (conversation != NULL)
    g_signal_emit (self, signals[MESSAGES_CHANGED], 0, conversation);
  return TRUE;
}

static void
remove_from_live (ByokConversationStore *self,
                  gint64                 conversation_id,
                  gint64                 message_id)
{
  GListStore *live = find_live (self, conversation_id);
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
  ByokConversation *conversation;
  gint64 conversation_id;
  gint64 id;

  g_return_val_if_fail (BYOK_IS_CONVERSATION_STORE (self), FALSE);
  g_return_val_if_fail (BYOK_IS_MESSAGE (message), FALSE);

  id = byok_message_get_id (message);
  if (id == 0)
    {
      set_message_gone (error);
      return FALSE;
    }

  db = byok_database_get_handle (self->database);
  stmt = byok_database_prepare_cached (self->database, "DELETE FROM messages WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!step_done (stmt, db, _("Could not delete the message"), error))
    return FALSE;

  conversation_id = byok_message_get_conversation_id (message);
  g_object_ref (message);
  remove_from_live (self, conversation_id, id);
  byok_message_set_stored (message, 0, 0, 0, byok_message_get_created (message));

  conversation = g_hash_table_lookup (self->by_id, &conversation_id);
  if (conversation != NULL)
    g_signal_emit (self, signals[MESSAGES_CHANGED], 0, conversation);
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

  if (!check_stored (self, conversation, error))
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
  if (!step_done (stmt, db, _("Could not delete the messages"), error))
    return FALSE;

  live = find_live (self, id);
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

          byok_message_set_stored (message, 0, 0, 0, byok_message_get_created (message));
        }
    }

  g_signal_emit (self, signals[MESSAGES_CHANGED], 0, conversation);
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
 * empty messages. Partial answers are included: the user saw them. The
 * request is streamed; set reasoning and anything else before sending.
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
  sqlite3 *db;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BYOK_IS_CONVERSATION_STORE (self), NULL);
  g_return_val_if_fail (BYOK_IS_CONVERSATION (conversation), NULL);

  if (!check_stored (self, conversation, error))
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
          g_autofree char *prompt = byok_attachments_compose (attachments, (const char *) sqlite3_column_text (stmt, 1));

          byok_chat_request_add_message (request, role, prompt);
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

/* ---------------------------------------------------------------------- */
/* Export                                                                 */

static char *
iso_utc (gint64 us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);

  if (dt == NULL)
    return NULL;
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

static char *
local_date (gint64 us)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static const char *
role_heading (const char *role)
{
  if (g_strcmp0 (role, BYOK_MESSAGE_ROLE_ASSISTANT) == 0)
    return _("Assistant");
  if (g_strcmp0 (role, BYOK_MESSAGE_ROLE_SYSTEM) == 0)
    return _("System");
  return _("User");
}

/* "1200 input tokens (200 cached) · 340 output tokens · $0.0012 · 1.2 s" */
static void
append_answer_line (GString     *out,
                    ByokMessage *message)
{
  const char *provider = byok_message_get_provider (message);
  const char *model = byok_message_get_model (message);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *line = NULL;
  ByokUsage usage;

  byok_message_get_usage (message, &usage);

  if (model != NULL && provider != NULL)
    g_ptr_array_add (parts, g_strdup_printf ("%s (%s)", model, provider));
  else if (model != NULL || provider != NULL)
    g_ptr_array_add (parts, g_strdup (model != NULL ? model : provider));

  if (usage.reported)
    {
      g_autofree char *input = g_strdup_printf ("%" G_GINT64_FORMAT, usage.input_tokens);
      g_autofree char *output = g_strdup_printf ("%" G_GINT64_FORMAT, usage.output_tokens);

      if (usage.cached_input_tokens > 0)
        {
          g_autofree char *cached = g_strdup_printf ("%" G_GINT64_FORMAT, usage.cached_input_tokens);

          /* Translators: token counts of an answer in an exported conversation */
          g_ptr_array_add (parts, g_strdup_printf (_("%s input tokens (%s cached)"), input, cached));
        }
      else
        g_ptr_array_add (parts, g_strdup_printf (_("%s input tokens"), input));
      if (usage.reasoning_tokens > 0)
        {
          g_autofree char *reasoning = g_strdup_printf ("%" G_GINT64_FORMAT, usage.reasoning_tokens);

          g_ptr_array_add (parts, g_strdup_printf (_("%s output tokens (%s reasoning)"), output, reasoning));
        }
      else
        g_ptr_array_add (parts, g_strdup_printf (_("%s output tokens"), output));
    }
  else
    g_ptr_array_add (parts, g_strdup (_("tokens not reported")));

  if (byok_message_get_price_known (message))
    g_ptr_array_add (parts, g_strdup_printf ("$%.4f", byok_message_get_cost_usd (message)));
  else
    g_ptr_array_add (parts, g_strdup (_("price unknown")));

  if (byok_message_get_latency_us (message) >= 0)
    g_ptr_array_add (parts, g_strdup_printf (_("%.1f s"),
                                             byok_message_get_latency_us (message) / (double) G_USEC_PER_SEC));

  g_ptr_array_add (parts, NULL);
  line = g_strjoinv (" · ", (char **) parts->pdata);
  g_string_append_printf (out, "_%s_\n\n", line);
}

static void
append_quoted (GString    *out,
               const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i + 1] == NULL && *lines[i] == '\0')
        break;
      g_string_append (out, *lines[i] != '\0' ? "> " : ">");
      g_string_append (out, lines[i]);
      g_string_append_c (out, '\n');
    }
}


/* Each attached file under a bold name, in a fence longer than any run of
 * backticks inside it. */
static void
append_attachments (GString   *out,
                    GPtrArray *attachments)
{
  for (guint i = 0; attachments != NULL && i < attachments->len; i++)
    {
      ByokAttachment *attachment = g_ptr_array_index (attachments, i);
      guint longest = 0, run = 0;
      g_autofree char *fence = NULL;
      g_autofree char *count = NULL;

      for (const char *p = attachment->text; *p != '\0'; p++)
        {
          run = *p == '`' ? run + 1 : 0;
          longest = MAX (longest, run);
        }
      fence = g_strnfill (MAX (3, longest + 1), '`');
      count = g_strdup_printf ("%" G_GINT64_FORMAT, attachment->tokens);
      g_string_append_printf (out, "**%s** (", attachment->name);
      g_string_append_printf (out,
                              /* Translators: the estimated size of an attached file in an
                               * exported conversation; %s is a number */
                              g_dngettext (GETTEXT_PACKAGE, "about %s token", "about %s tokens",
                                           (gulong) MIN (attachment->tokens, G_MAXINT)),
                              count);
      g_string_append_printf (out, ")\n\n%s\n%s", fence, attachment->text);
      g_string_append_printf (out, "%s%s\n\n", g_str_has_suffix (attachment->text, "\n") ? "" : "\n", fence);
    }
}

static void
append_markdown_message (GString     *out,
                         ByokMessage *message)
{
  const char *role = byok_message_get_role (message);
  const char *content = byok_message_get_content (message);
  const char *reasoning = byok_message_get_reasoning (message);
  const char *status = byok_message_get_status (message);

  g_string_append_printf (out, "## %s\n\n", role_heading (role));

  if (*reasoning != '\0')
    {
      g_string_append_printf (out, "<details>\n<summary>%s</summary>\n\n", _("Reasoning"));
      append_quoted (out, reasoning);
      g_string_append (out, "\n</details>\n\n");
    }

  if (*content != '\0')
    {
      g_string_append (out, content);
      if (!g_str_has_suffix (content, "\n"))
        g_string_append_c (out, '\n');
      g_string_append_c (out, '\n');
    }

  append_attachments (out, byok_message_get_attachments (message));

  if (g_str_equal (status, BYOK_MESSAGE_STATUS_ERROR))
    g_string_append_printf (out, "_%s (%s): %s_\n\n", _("Error"),
                            byok_message_get_error_class (message) != NULL
                            ? byok_message_get_error_class (message) : "UNKNOWN",
                            byok_message_get_error_message (message) != NULL
                            ? byok_message_get_error_message (message) : "");
  else if (g_str_equal (status, BYOK_MESSAGE_STATUS_PARTIAL) ||
           g_str_equal (status, BYOK_MESSAGE_STATUS_STREAMING))
    g_string_append_printf (out, "_%s_\n\n", _("The answer stopped before the end."));

  if (byok_message_get_attempts (message) != NULL)
    g_string_append_printf (out, "_%s %s_\n\n", _("Attempts:"), byok_message_get_attempts (message));

  if (g_str_equal (role, BYOK_MESSAGE_ROLE_ASSISTANT))
    append_answer_line (out, message);
}

static gboolean
flush_buffer (GOutputStream  *stream,
              GString        *buffer,
              GCancellable   *cancellable,
              GError        **error)
{
  if (buffer->len == 0)
    return TRUE;
  if (!g_output_stream_write_all (stream, buffer->str, buffer->len, NULL, cancellable, error))
    return FALSE;
  g_string_truncate (buffer, 0);
  return TRUE;
}

static gboolean
write_markdown (ByokConversation  *conversation,
                GPtrArray         *messages,
                GOutputStream     *stream,
                GCancellable      *cancellable,
                GError           **error)
{
  g_autoptr(GString) out = g_string_sized_new (EXPORT_FLUSH_SIZE + 4096);
  const char *title = byok_conversation_get_title (conversation);
  const char *provider = byok_conversation_get_provider (conversation);
  const char *model = byok_conversation_get_model (conversation);
  const char *system_prompt = byok_conversation_get_system_prompt (conversation);
  g_autofree char *created = local_date (byok_conversation_get_created (conversation));

  g_string_append_printf (out, "# %s\n\n", *title != '\0' ? title : _("Untitled conversation"));
  g_string_append_c (out, '_');
  if (model != NULL)
    g_string_append_printf (out, "%s · ", model);
  if (provider != NULL)
    g_string_append_printf (out, "%s · ", provider);
  g_string_append_printf (out, "%s_\n\n", created);

  if (system_prompt != NULL)
    g_string_append_printf (out, "## %s\n\n%s\n\n", _("System prompt"), system_prompt);

  for (guint i = 0; i < messages->len; i++)
    {
      append_markdown_message (out, g_ptr_array_index (messages, i));
      if (out->len >= EXPORT_FLUSH_SIZE &&
          !flush_buffer (stream, out, cancellable, error))
        return FALSE;
    }

  return flush_buffer (stream, out, cancellable, error) &&
         g_output_stream_flush (stream, cancellable, error);
}

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_int_or_null (JsonBuilder *builder,
                 const char  *name,
                 gboolean     known,
                 gint64       value)
{
  json_builder_set_member_name (builder, name);
  if (known)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       us)
{
  g_autofree char *utc_name = g_strconcat (name, "_utc", NULL);
  g_autofree char *utc = iso_utc (us);

  add_int (builder, name, us);
  add_string_or_null (builder, utc_name, utc);
}

static void
add_json_message (JsonBuilder *builder,
                  ByokMessage *message)
{
  const char *reasoning = byok_message_get_reasoning (message);
  ByokUsage usage;

  byok_message_get_usage (message, &usage);

  json_builder_begin_object (builder);
  add_int (builder, "id", byok_message_get_id (message));
  add_int (builder, "conversation_id", byok_message_get_conversation_id (message));
  add_int (builder, "position", byok_message_get_position (message));
  add_time (builder, "created", byok_message_get_created (message));
  add_string_or_null (builder, "role", byok_message_get_role (message));
  add_string_or_null (builder, "content", byok_message_get_content (message));
  add_string_or_null (builder, "reasoning", *reasoning != '\0' ? reasoning : NULL);
  add_string_or_null (builder, "provider", byok_message_get_provider (message));
  add_string_or_null (builder, "model", byok_message_get_model (message));
  add_string_or_null (builder, "status", byok_message_get_status (message));
  add_string_or_null (builder, "error_class", byok_message_get_error_class (message));
  add_string_or_null (builder, "error_message", byok_message_get_error_message (message));
  add_int_or_null (builder, "input_tokens", usage.reported, usage.input_tokens);
  add_int_or_null (builder, "output_tokens", usage.reported, usage.output_tokens);
  add_int_or_null (builder, "cached_input_tokens", usage.reported, usage.cached_input_tokens);
  add_int_or_null (builder, "cache_write_tokens", usage.reported, usage.cache_write_tokens);
  add_int_or_null (builder, "reasoning_tokens", usage.reported, usage.reasoning_tokens);
  json_builder_set_member_name (builder, "price_known");
  json_builder_add_boolean_value (builder, byok_message_get_price_known (message));
  json_builder_set_member_name (builder, "cost_usd");
  if (byok_message_get_price_known (message))
    json_builder_add_double_value (builder, byok_message_get_cost_usd (message));
  else
    json_builder_add_null_value (builder);
  add_int_or_null (builder, "latency_us", byok_message_get_latency_us (message) >= 0,
                   byok_message_get_latency_us (message));
  add_int_or_null (builder, "ttft_us", byok_message_get_ttft_us (message) >= 0,
                   byok_message_get_ttft_us (message));
  add_string_or_null (builder, "attempts", byok_message_get_attempts (message));
  if (byok_message_get_attachments (message) != NULL)
    {
      GPtrArray *attachments = byok_message_get_attachments (message);

      json_builder_set_member_name (builder, "attachments");
      json_builder_begin_array (builder);
      for (guint i = 0; i < attachments->len; i++)
        {
          ByokAttachment *attachment = g_ptr_array_index (attachments, i);

          json_builder_begin_object (builder);
          add_string_or_null (builder, "name", attachment->name);
          add_string_or_null (builder, "text", attachment->text);
          add_int (builder, "tokens", attachment->tokens);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
}

static gboolean
write_json (ByokConversation  *conversation,
            GPtrArray         *messages,
            GOutputStream     *stream,
            GCancellable      *cancellable,
            GError           **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  double temperature = byok_conversation_get_temperature (conversation);

  json_builder_begin_object (builder);
  add_int (builder, "id", byok_conversation_get_id (conversation));
  add_string_or_null (builder, "title", byok_conversation_get_title (conversation));
  add_time (builder, "created", byok_conversation_get_created (conversation));
  add_time (builder, "updated", byok_conversation_get_updated (conversation));
  add_string_or_null (builder, "provider", byok_conversation_get_provider (conversation));
  add_string_or_null (builder, "model", byok_conversation_get_model (conversation));
  add_string_or_null (builder, "system_prompt", byok_conversation_get_system_prompt (conversation));
  json_builder_set_member_name (builder, "temperature");
  if (temperature >= 0)
    json_builder_add_double_value (builder, temperature);
  else
    json_builder_add_null_value (builder);
  add_int_or_null (builder, "max_tokens", byok_conversation_get_max_tokens (conversation) > 0,
                   byok_conversation_get_max_tokens (conversation));
  add_string_or_null (builder, "reasoning_effort",
                      byok_conversation_get_effort (conversation) != BYOK_EFFORT_DEFAULT
                      ? byok_effort_to_string (byok_conversation_get_effort (conversation)) : NULL);
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  for (guint i = 0; i < messages->len; i++)
    add_json_message (builder, g_ptr_array_index (messages, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_stream (generator, stream, cancellable, error) &&
         g_output_stream_write_all (stream, "\n", 1, NULL, cancellable, error) &&
         g_output_stream_flush (stream, cancellable, error);
}

static gboolean
write_export (ByokConversation              *conversation,
              GPtrArray                     *messages,
              ByokConversationExportFormat   format,
              GOutputStream                 *stream,
              GCancellable                  *cancellable,
              GError                       **error)
{
  if (format == BYOK_CONVERSATION_EXPORT_JSON)
    return write_json (conversation, messages, stream, cancellable, error);
  return write_markdown (conversation, messages, stream, cancellable, error);
}

/**
 * byok_conversation_store_export:
 * @format: Markdown (for people: title, each message under its role,
 *   reasoning in a collapsed quote, a line per answer with model, tokens
 *   and cost) or JSON (every field of the conversation and its messages;
 *   times as unix µs plus `*_utc` ISO 8601; unknown values null)
 * @stream: where to write; not closed
 *
 * Writes @conversation as stored. Blocks: in the app use
 * byok_conversation_store_export_async().
 */
gboolean
byok_conversation_store_export (ByokConversationStore         *self,
                                ByokConversation              *conversation,
                                ByokConversationExportFormat   format,
                                GOutputStream                 *stream,
                                GCancellable                  *cancellable,
                                GError                       **error)
{
  g_autoptr(GPtrArray) messages = NULL;

  g_return_val_if_fail (BYOK_IS_CONVERSATION_STORE (self), FALSE);
  g_return_val_if_fail (BYOK_IS_CONVERSATION (conversation), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  if (!check_stored (self, conversation, error))
    return FALSE;
  messages = load_messages (byok_database_get_handle (self->database),
                            byok_conversation_get_id (conversation), error);
  if (messages == NULL)
    return FALSE;
  return write_export (conversation, messages, format, stream, cancellable, error);
}

typedef struct {
  ByokConversation             *conversation;   /* a detached copy */
  GPtrArray                    *messages;       /* fresh objects, not the UI's */
  ByokConversationExportFormat  format;
  GFile                        *file;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->conversation);
  g_clear_pointer (&data->messages, g_ptr_array_unref);
  g_clear_object (&data->file);
  g_free (data);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *data = task_data;
  g_autoptr(GFileOutputStream) stream = NULL;
  GError *error = NULL;

  stream = byok_file_replace_private (data->file, cancellable, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* Closed after a cancel on failure, so a half-written export never
   * replaces the file. */
  if (!write_export (data->conversation, data->messages, data->format,
                     G_OUTPUT_STREAM (stream), cancellable, &error))
    {
      g_autoptr(GCancellable) abort = g_cancellable_new ();

      g_cancellable_cancel (abort);
      g_output_stream_close (G_OUTPUT_STREAM (stream), abort, NULL);
      g_task_return_error (task, error);
      return;
    }
  if (!g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * byok_conversation_store_export_async:
 * @file: the file to write; replaced only once the export is complete
 *
 * byok_conversation_store_export() into @file. The messages are read here
 * (one query); formatting and writing happen in a worker thread.
 */
void
byok_conversation_store_export_async (ByokConversationStore         *self,
                                      ByokConversation              *conversation,
                                      ByokConversationExportFormat   format,
                                      GFile                         *file,
                                      GCancellable                  *cancellable,
                                      GAsyncReadyCallback            callback,
                                      gpointer                       user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  GError *error = NULL;
  ExportData *data;

  g_return_if_fail (BYOK_IS_CONVERSATION_STORE (self));
  g_return_if_fail (BYOK_IS_CONVERSATION (conversation));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byok_conversation_store_export_async);

  if (!check_stored (self, conversation, &error) ||
      (messages = load_messages (byok_database_get_handle (self->database),
                                 byok_conversation_get_id (conversation), &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  data = g_new0 (ExportData, 1);
  data->conversation = copy_conversation (conversation);
  data->messages = g_steal_pointer (&messages);
  data->format = format;
  data->file = g_object_ref (file);
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
byok_conversation_store_export_finish (ByokConversationStore  *self,
                                       GAsyncResult           *result,
                                       GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == byok_conversation_store_export_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
