/* byok-usage-store-export.c — every call as CSV or JSON */
#define G_LOG_DOMAIN "byok-usage"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "byok-error.h"
#include "byok-format.h"
#include "byok-file.h"
#include "byok-price.h"
#include "byok-usage-store-private.h"

/* ---------------------------------------------------------------------- */
/* Export                                                                 */

#define EXPORT_FLUSH_SIZE (64 * 1024)

static const char * const column_names[N_COLS] = {
  "id", "time", "provider", "model", "conversation_id", "input_tokens",
  "output_tokens", "cached_input_tokens", "cache_write_tokens",
  "reasoning_tokens", "cost_usd", "price_known", "cache_savings_usd",
  "latency_us", "ttft_us", "status", "http_status", "is_retry",
  "is_fallback", "attempt", "estimated", "reported_cost_usd",
};

/* Beside the columns: whether the provider's reported cost and Byok's
 * price differ enough to say so (byok_price_cost_differs()). */
static gboolean
row_cost_differs (sqlite3_stmt *stmt)
{
  return sqlite3_column_type (stmt, COL_COST_USD) != SQLITE_NULL &&
         sqlite3_column_type (stmt, COL_REPORTED_COST_USD) != SQLITE_NULL &&
         byok_price_cost_differs (sqlite3_column_double (stmt, COL_COST_USD),
                                  sqlite3_column_double (stmt, COL_REPORTED_COST_USD));
}

/* The shortest text that reads back as the same double. */
static void
append_double (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buf, sizeof buf, "%.15g", value);
  if (g_ascii_strtod (buf, NULL) != value)
    g_ascii_formatd (buf, sizeof buf, "%.17g", value);
  g_string_append (out, buf);
}

static void
append_csv_field (GString    *out,
                  const char *text)
{
  if (text == NULL)
    return;
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_csv_row (GString      *out,
                sqlite3_stmt *stmt)
{
  for (int col = 0; col < N_COLS; col++)
    {
      if (col > 0)
        g_string_append_c (out, ',');

      if (col == COL_TIME)
        {
          g_autofree char *iso = byok_format_iso_utc (sqlite3_column_int64 (stmt, col) / G_USEC_PER_SEC);

          g_string_append_printf (out, "%" G_GINT64_FORMAT ",", (gint64) sqlite3_column_int64 (stmt, col));
          append_csv_field (out, iso);
          continue;
        }

      switch (sqlite3_column_type (stmt, col))
        {
        case SQLITE_NULL:
          break;
        case SQLITE_INTEGER:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, col));
          break;
        case SQLITE_FLOAT:
          append_double (out, sqlite3_column_double (stmt, col));
          break;
        default:
          append_csv_field (out, (const char *) sqlite3_column_text (stmt, col));
          break;
        }
    }
  g_string_append (out, row_cost_differs (stmt) ? ",1\r\n" : ",0\r\n");
}

static void
append_csv_header (GString *out)
{
  for (int col = 0; col < N_COLS; col++)
    {
      if (col > 0)
        g_string_append_c (out, ',');
      g_string_append (out, column_names[col]);
      if (col == COL_TIME)
        g_string_append (out, ",time_utc");
    }
  g_string_append (out, ",cost_differs\r\n");
}

static void
append_json_row (GString       *out,
                 JsonGenerator *generator,
                 sqlite3_stmt  *stmt)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  for (int col = 0; col < N_COLS; col++)
    {
      const char *name = column_names[col];

      if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
        json_object_set_null_member (object, name);
      else if (col == COL_PRICE_KNOWN || col == COL_IS_RETRY || col == COL_IS_FALLBACK ||
               col == COL_ESTIMATED)
        json_object_set_boolean_member (object, name, sqlite3_column_int (stmt, col) != 0);
      else if (col == COL_COST_USD || col == COL_CACHE_SAVINGS_USD || col == COL_REPORTED_COST_USD)
        json_object_set_double_member (object, name, sqlite3_column_double (stmt, col));
      else if (sqlite3_column_type (stmt, col) == SQLITE_INTEGER)
        json_object_set_int_member (object, name, sqlite3_column_int64 (stmt, col));
      else
        json_object_set_string_member (object, name, (const char *) sqlite3_column_text (stmt, col));

      if (col == COL_TIME)
        {
          g_autofree char *iso = byok_format_iso_utc (sqlite3_column_int64 (stmt, col) / G_USEC_PER_SEC);

          json_object_set_string_member (object, "time_utc", iso);
        }
    }
  json_object_set_boolean_member (object, "cost_differs", row_cost_differs (stmt));

  node = json_node_init_object (json_node_alloc (), object);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  g_string_append (out, text);
}

static gboolean
export_rows (sqlite3                *db,
             gint64                  from_us,
             gint64                  to_us,
             ByokUsageExportFormat   format,
             GOutputStream          *stream,
             GCancellable           *cancellable,
             GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) buffer = g_string_sized_new (EXPORT_FLUSH_SIZE + 4096);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gboolean first = TRUE;
  int rc;

  rc = sqlite3_prepare_v2 (db,
                           "SELECT " USAGE_COLUMNS " FROM usage "
                           "WHERE time >= ?1 AND time < ?2 AND status <> 'in_flight' "
                           "ORDER BY time, id",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      byok_database_set_error (error, db, rc, _("Could not export the usage history"));
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, from_us);
  sqlite3_bind_int64 (stmt, 2, to_us);

  if (format == BYOK_USAGE_EXPORT_CSV)
    append_csv_header (buffer);
  else
    g_string_append_c (buffer, '[');

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (format == BYOK_USAGE_EXPORT_CSV)
        append_csv_row (buffer, stmt);
      else
        {
          g_string_append (buffer, first ? "\n" : ",\n");
          append_json_row (buffer, generator, stmt);
        }
      first = FALSE;

      if (buffer->len >= EXPORT_FLUSH_SIZE &&
          !byok_file_write_buffer (stream, buffer, cancellable, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      byok_database_set_error (error, db, rc, _("Could not export the usage history"));
      return FALSE;
    }

  if (format == BYOK_USAGE_EXPORT_JSON)
    g_string_append (buffer, first ? "]\n" : "\n]\n");

  return byok_file_write_buffer (stream, buffer, cancellable, error) &&
         g_output_stream_flush (stream, cancellable, error);
}

/**
 * byok_usage_store_export:
 * @format: CSV (RFC 4180, CRLF line ends, a header row) or JSON (an array
 *   of objects)
 * @stream: where to write; not closed
 *
 * Writes every column of every call in [@from_us, @to_us), oldest first,
 * plus `time_utc` (ISO 8601) after `time`. An unknown price or a missing
 * value is an empty CSV field or a JSON null. Blocks: in the app use
 * byok_usage_store_export_async().
 */
gboolean
byok_usage_store_export (ByokUsageStore         *self,
                         gint64                  from_us,
                         gint64                  to_us,
                         ByokUsageExportFormat   format,
                         GOutputStream          *stream,
                         GCancellable           *cancellable,
                         GError                **error)
{
  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  return export_rows (byok_database_get_handle (self->database),
                      from_us, to_us, format, stream, cancellable, error);
}

typedef struct {
  sqlite3             *db;
  ByokUsageWorkerData *data;
} ExportJob;

static gboolean
write_rows (GOutputStream  *stream,
            gpointer        user_data,
            GCancellable   *cancellable,
            GError        **error)
{
  ExportJob *job = user_data;

  return export_rows (job->db, job->data->from_us, job->data->to_us, job->data->format,
                      stream, cancellable, error);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ByokUsageWorkerData *data = task_data;
  g_autoptr(sqlite3) db = NULL;
  GError *error = NULL;
  ExportJob job;

  db = byok_database_connect (data->path, TRUE, &error);
  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  job.db = db;
  job.data = data;
  if (!byok_file_write_private (data->file, write_rows, &job, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * byok_usage_store_export_async:
 * @file: the file to write; replaced only once the export is complete
 *
 * byok_usage_store_export() into @file, in a worker thread on a connection
 * of its own.
 */
void
byok_usage_store_export_async (ByokUsageStore         *self,
                               gint64                  from_us,
                               gint64                  to_us,
                               ByokUsageExportFormat   format,
                               GFile                  *file,
                               GCancellable           *cancellable,
                               GAsyncReadyCallback     callback,
                               gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  ByokUsageWorkerData *data;

  g_return_if_fail (BYOK_IS_USAGE_STORE (self));
  g_return_if_fail (G_IS_FILE (file));

  data = _byok_usage_worker_data_new (self, from_us, to_us);
  data->format = format;
  data->file = g_object_ref (file);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byok_usage_store_export_async);
  g_task_set_task_data (task, data, (GDestroyNotify) _byok_usage_worker_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
byok_usage_store_export_finish (ByokUsageStore  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == byok_usage_store_export_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

