/* byok-usage-store-key-events.c — the history of each key: added, tested, deleted */
#define G_LOG_DOMAIN "byok-usage"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byok-error.h"
#include "byok-usage-store-private.h"

/* ---------------------------------------------------------------------- */
/* Key events                                                             */

/**
 * byok_usage_store_add_key_event:
 * @provider: the provider id
 * @account: (nullable): which key of the provider, where it has several
 * @event: "added", "replaced", "tested" or "deleted"
 * @result: (nullable): e.g. "ok" or an error class for "tested"
 * @detail: (nullable): a short note for people; never the key
 *
 * Returns: the id of the event, or 0 with @error set
 */
gint64
byok_usage_store_add_key_event (ByokUsageStore  *self,
                                const char      *provider,
                                const char      *account,
                                const char      *event,
                                const char      *result,
                                const char      *detail,
                                GError         **error)
{
  static const char * const events[] = { "added", "replaced", "tested", "deleted", NULL };
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), 0);
  g_return_val_if_fail (provider != NULL, 0);

  if (event == NULL || !g_strv_contains (events, event))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("“%s” is not a key event; use added, replaced, tested or deleted."),
                   event != NULL ? event : "");
      return 0;
    }

  stmt = byok_database_prepare_cached (self->database,
                                       "INSERT INTO key_events (time, provider, account, event, "
                                       "result, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                       error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
  sqlite3_bind_text (stmt, 2, provider, -1, SQLITE_TRANSIENT);
  byok_database_bind_text_or_null (stmt, 3, account);
  sqlite3_bind_text (stmt, 4, event, -1, SQLITE_TRANSIENT);
  if (result != NULL)
    sqlite3_bind_text (stmt, 5, g_ascii_strdown (result, -1), -1, g_free);
  else
    sqlite3_bind_null (stmt, 5);
  byok_database_bind_text_or_null (stmt, 6, detail);
  if (!byok_database_step_done (stmt, byok_database_get_handle (self->database),
                                _("Could not save the key event"), error))
    return 0;
  return sqlite3_last_insert_rowid (byok_database_get_handle (self->database));
}

/**
 * byok_usage_store_list_key_events:
 * @provider: (nullable): one provider, or %NULL for all
 * @limit: at most this many; 0 for all
 *
 * Returns: (transfer container) (element-type ByokKeyEventRecord): the events,
 *   newest first; %NULL with @error set
 */
GPtrArray *
byok_usage_store_list_key_events (ByokUsageStore  *self,
                                  const char      *provider,
                                  guint            limit,
                                  GError         **error)
{
  g_autoptr(GPtrArray) events = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), NULL);

  stmt = byok_database_prepare_cached (self->database,
                                       "SELECT id, time, provider, account, event, result, detail "
                                       "FROM key_events WHERE (?1 IS NULL OR provider = ?1) "
                                       "ORDER BY time DESC, id DESC LIMIT ?2",
                                       error);
  if (stmt == NULL)
    return NULL;
  byok_database_bind_text_or_null (stmt, 1, provider);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);

  events = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_key_event_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ByokKeyEventRecord *event = g_new0 (ByokKeyEventRecord, 1);

      event->id = sqlite3_column_int64 (stmt, 0);
      event->time_us = sqlite3_column_int64 (stmt, 1);
      event->provider = byok_database_column_strdup (stmt, 2);
      event->account = byok_database_column_strdup (stmt, 3);
      event->event = byok_database_column_strdup (stmt, 4);
      event->result = byok_database_column_strdup (stmt, 5);
      event->detail = byok_database_column_strdup (stmt, 6);
      g_ptr_array_add (events, event);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      byok_database_set_error (error, byok_database_get_handle (self->database), rc,
                               _("Could not read the key history"));
      return NULL;
    }
  return g_steal_pointer (&events);
}

