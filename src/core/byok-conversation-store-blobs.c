/* byok-conversation-store-blobs.c — images and PDFs stored once, by their hash
 *
 * A message's attachments are JSON in messages.attachments; an image's or
 * a PDF's bytes are not there but in attachment_blobs, one row per
 * SHA-256, however many messages refer to it (the screenshot attached to
 * ten messages is stored once). A blob is written in the same transaction
 * as the first message that refers to it, read back when messages are
 * loaded, and deleted when the last message that refers to it is.
 */
#define G_LOG_DOMAIN "byok-conversation"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "byok-attachment.h"
#include "byok-conversation-store-private.h"
#include "byok-message-private.h"

/**
 * _byok_conversation_store_may_have_media:
 *
 * Whether @message's stored JSON can hold an image or a PDF at all:
 * messages with text files only are not parsed when loaded.
 */
gboolean
_byok_conversation_store_may_have_media (ByokMessage *message)
{
  const char *json = _byok_message_get_attachments_json (message);

  return json != NULL && strstr (json, "\"hash\"") != NULL;
}

/**
 * _byok_conversation_store_save_blobs:
 *
 * Stores the bytes of @message's images and PDFs that are not stored
 * yet. Call it in the transaction that writes @message.
 */
gboolean
_byok_conversation_store_save_blobs (sqlite3      *db,
                                     ByokMessage  *message,
                                     GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *attachments;
  int rc;

  if (!_byok_conversation_store_may_have_media (message))
    return TRUE;
  attachments = byok_message_get_attachments (message);
  for (guint i = 0; attachments != NULL && i < attachments->len; i++)
    {
      ByokAttachment *attachment = g_ptr_array_index (attachments, i);

      if (!byok_attachment_is_media (attachment) || attachment->hash == NULL || attachment->data == NULL)
        continue;
      if (stmt == NULL)
        {
          rc = sqlite3_prepare_v2 (db,
                                   "INSERT OR IGNORE INTO attachment_blobs (hash, mime_type, size, data, created) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5)",
                                   -1, &stmt, NULL);
          if (rc != SQLITE_OK)
            {
              byok_database_set_error (error, db, rc, _("Could not save the attached file"));
              return FALSE;
            }
        }
      sqlite3_bind_text (stmt, 1, attachment->hash, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, attachment->mime_type, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, g_bytes_get_size (attachment->data));
      sqlite3_bind_blob64 (stmt, 4, g_bytes_get_data (attachment->data, NULL),
                           g_bytes_get_size (attachment->data), SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 5, g_get_real_time ());
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      if (rc != SQLITE_DONE)
        {
          byok_database_set_error (error, db, rc, _("Could not save the attached file"));
          return FALSE;
        }
    }
  return TRUE;
}

static GBytes *
read_blob (sqlite3      *db,
           sqlite3_stmt *stmt,
           const char   *hash)
{
  GBytes *bytes = NULL;
  int rc;

  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    bytes = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  else if (rc != SQLITE_DONE)
    g_warning ("Could not read an attached file: %s", sqlite3_errmsg (db));
  sqlite3_reset (stmt);
  return bytes;
}

/**
 * _byok_conversation_store_fill_blobs:
 * @attachments: (nullable): freshly read from JSON, not shared yet
 * @cache: hash → GBytes (or %NULL: not stored), shared by the messages of
 *   one load, so an image on ten messages is one GBytes in memory
 *
 * Gives each image and PDF of @attachments its bytes. One whose bytes are
 * missing (a damaged database) keeps data %NULL: it is shown, and not sent.
 */
void
_byok_conversation_store_fill_blobs (sqlite3    *db,
                                     GPtrArray  *attachments,
                                     GHashTable *cache)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  for (guint i = 0; attachments != NULL && i < attachments->len; i++)
    {
      ByokAttachment *attachment = g_ptr_array_index (attachments, i);
      GBytes *bytes;

      if (!byok_attachment_is_media (attachment) || attachment->data != NULL || attachment->hash == NULL)
        continue;
      if (!g_hash_table_lookup_extended (cache, attachment->hash, NULL, (gpointer *) &bytes))
        {
          if (stmt == NULL &&
              sqlite3_prepare_v2 (db, "SELECT data FROM attachment_blobs WHERE hash = ?1",
                                  -1, &stmt, NULL) != SQLITE_OK)
            {
              g_warning ("Could not read the attached files: %s", sqlite3_errmsg (db));
              return;
            }
          bytes = read_blob (db, stmt, attachment->hash);
          if (bytes == NULL)
            g_warning ("The bytes of “%s” (%s) are missing from the database", attachment->name, attachment->hash);
          g_hash_table_insert (cache, g_strdup (attachment->hash), bytes);
        }
      attachment->data = bytes != NULL ? g_bytes_ref (bytes) : NULL;
    }
}

/**
 * _byok_conversation_store_fill_message_blobs:
 *
 * _byok_conversation_store_fill_blobs() for each of @messages.
 */
void
_byok_conversation_store_fill_message_blobs (sqlite3   *db,
                                             GPtrArray *messages)
{
  g_autoptr(GHashTable) cache = NULL;

  for (guint i = 0; i < messages->len; i++)
    {
      ByokMessage *message = g_ptr_array_index (messages, i);

      if (!_byok_conversation_store_may_have_media (message))
        continue;
      if (cache == NULL)
        cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
      _byok_conversation_store_fill_blobs (db, byok_message_get_attachments (message), cache);
    }
}

/**
 * _byok_conversation_store_collect_blobs:
 *
 * Deletes the blobs no message refers to any more. A failure leaves them
 * for the next time: the messages are gone either way.
 */
void
_byok_conversation_store_collect_blobs (sqlite3 *db)
{
  char *message = NULL;
  /* NOT IN over a list with a NULL matches nothing: text files (no hash)
   * are left out of it. Damaged JSON refers to nothing. */
  static const char sql[] =
    "DELETE FROM attachment_blobs WHERE hash NOT IN ("
    "  SELECT json_extract (a.value, '$.hash')"
    "  FROM messages, json_each (CASE WHEN json_valid (messages.attachments)"
    "                            THEN messages.attachments ELSE '[]' END) AS a"
    "  WHERE messages.attachments IS NOT NULL"
    "    AND json_extract (a.value, '$.hash') IS NOT NULL)";

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_warning ("Could not delete attached files nothing refers to: %s", message);
      sqlite3_free (message);
      return;
    }
  if (sqlite3_changes (db) > 0)
    g_debug ("Deleted %d attached files nothing refers to", sqlite3_changes (db));
}
