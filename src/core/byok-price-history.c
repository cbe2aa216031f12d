/* byok-price-history.c — every price Byok used, with the day it took effect */
#define G_LOG_DOMAIN "byok-price-data"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "byok-error.h"
#include "byok-price-history.h"

static const char * const origin_names[] = {
  [BYOK_PRICE_ORIGIN_CATALOG] = "catalog",
  [BYOK_PRICE_ORIGIN_UPDATE] = "update",
  [BYOK_PRICE_ORIGIN_USER] = "user",
};

void
byok_price_history_row_free (ByokPriceHistoryRow *row)
{
  if (row == NULL)
    return;
  g_free (row->provider);
  g_free (row->model);
  g_free (row);
}

/* Binds @price (NULL: unknown) as columns @first … @first + 4 (tiers). */
static void
bind_price (sqlite3_stmt    *stmt,
            int              first,
            const ByokPrice *price)
{
  g_autofree char *tiers = price != NULL ? byok_price_tiers_to_json (price) : NULL;

  byok_database_bind_double_or_null (stmt, first, price != NULL ? price->input : BYOK_PRICE_UNKNOWN);
  byok_database_bind_double_or_null (stmt, first + 1, price != NULL ? price->cached_input : BYOK_PRICE_UNKNOWN);
  byok_database_bind_double_or_null (stmt, first + 2, price != NULL ? price->cache_write : BYOK_PRICE_UNKNOWN);
  byok_database_bind_double_or_null (stmt, first + 3, price != NULL ? price->output : BYOK_PRICE_UNKNOWN);
  byok_database_bind_text_or_null (stmt, first + 4, tiers);
}

static void
column_price (sqlite3_stmt *stmt,
              int           first,
              ByokPrice    *price)
{
  byok_price_init_flat (price, byok_database_column_double_or_nan (stmt, first), byok_database_column_double_or_nan (stmt, first + 1),
                        byok_database_column_double_or_nan (stmt, first + 2), byok_database_column_double_or_nan (stmt, first + 3));
  if (!byok_price_set_tiers_from_json (price, (const char *) sqlite3_column_text (stmt, first + 4), NULL))
    price->n_tiers = 0;
}

static gboolean
step_done (ByokDatabase  *database,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  gboolean done = byok_database_step_done (stmt, byok_database_get_handle (database),
                                          _("Could not keep the price history"), error);

  sqlite3_clear_bindings (stmt);
  return done;
}

static gboolean
insert_row (ByokDatabase     *database,
            const char       *provider,
            const char       *model,
            gint64            effective,
            ByokPriceOrigin   origin,
            gboolean          reset,
            const ByokPrice  *price,
            const char       *source,
            gint64            update_id,
            GError          **error)
{
  sqlite3_stmt *stmt = byok_database_prepare_cached (database,
    "INSERT INTO price_history (provider, model, effective, origin, input, cached_input,"
    "  cache_write, output, tiers, source, update_id)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, provider, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, model, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, effective);
  sqlite3_bind_text (stmt, 4, reset ? "user-reset" : origin_names[origin], -1, SQLITE_STATIC);
  bind_price (stmt, 5, price);
  if (source != NULL)
    sqlite3_bind_text (stmt, 10, source, -1, SQLITE_TRANSIENT);
  if (update_id > 0)
    sqlite3_bind_int64 (stmt, 11, update_id);
  return step_done (database, stmt, error);
}

/* The catalog's price without the changes it announces: the first entry of
 * its timeline. */
static const ByokPrice *
catalog_base_price (ByokModel *model)
{
  return byok_model_get_catalog_price (model, "0001-01-01");
}

/**
 * byok_price_history_sync_catalog:
 * @now_us: the time a catalog price that changed takes effect
 *
 * Records the shipped catalog's prices: a model's first since ever (as far
 * as Byok can know), a price a new Byok changed from @now_us on.
 */
gboolean
byok_price_history_sync_catalog (ByokDatabase  *database,
                                 ByokCatalog   *catalog,
                                 gint64         now_us,
                                 GError       **error)
{
  g_autoptr(GPtrArray) models = NULL;
  sqlite3_stmt *last;

  g_return_val_if_fail (BYOK_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (BYOK_IS_CATALOG (catalog), FALSE);

  if (!byok_database_begin (database, error))
    return FALSE;
  last = byok_database_prepare_cached (database,
    "SELECT input, cached_input, cache_write, output, tiers FROM price_history"
    " WHERE provider = ?1 AND model = ?2 AND origin = 'catalog'"
    " ORDER BY effective DESC, id DESC LIMIT 1", error);
  if (last == NULL)
    {
      byok_database_rollback (database);
      return FALSE;
    }

  models = byok_catalog_get_all_models (catalog);
  for (guint i = 0; i < models->len; i++)
    {
      ByokModel *model = g_ptr_array_index (models, i);
      const char *provider = byok_model_get_provider_id (model);
      const ByokPrice *price = catalog_base_price (model);
      ByokPrice recorded;
      gboolean seen;
      int rc;

      if (!byok_model_is_from_catalog (model) || !byok_price_is_known (price))
        continue;
      sqlite3_bind_text (last, 1, provider, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (last, 2, byok_model_get_id (model), -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (last);
      seen = rc == SQLITE_ROW;
      if (seen)
        column_price (last, 0, &recorded);
      sqlite3_reset (last);
      sqlite3_clear_bindings (last);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          byok_database_set_error (error, byok_database_get_handle (database), rc,
                                   _("Could not read the price history"));
          byok_database_rollback (database);
          return FALSE;
        }
      if (seen && byok_price_equal (&recorded, price))
        continue;
      if (!insert_row (database, provider, byok_model_get_id (model), seen ? now_us : 0,
                       BYOK_PRICE_ORIGIN_CATALOG, FALSE, price,
                       byok_model_get_price_source (model), 0, error))
        {
          byok_database_rollback (database);
          return FALSE;
        }
    }
  return byok_database_commit (database, error);
}

/**
 * byok_price_history_record_user:
 * @price: (nullable): the person's price; NULL when they removed it
 *
 * Records the person's price of a model, or its removal, from @now_us on.
 */
gboolean
byok_price_history_record_user (ByokDatabase     *database,
                                const char       *provider,
                                const char       *model,
                                const ByokPrice  *price,
                                gint64            now_us,
                                GError          **error)
{
  g_return_val_if_fail (BYOK_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (provider != NULL && model != NULL, FALSE);

  return insert_row (database, provider, model, now_us, BYOK_PRICE_ORIGIN_USER, price == NULL,
                     price, NULL, 0, error);
}

/**
 * byok_price_history_apply_update:
 * @now_us: when it takes effect
 *
 * Keeps what @update changes: the update itself, its list's models (in
 * force until the next update, and when Byok starts again), and each
 * changed, new or removed price in the history. One transaction: all of it
 * or nothing.
 */
gboolean
byok_price_history_apply_update (ByokDatabase     *database,
                                 ByokPriceUpdate  *update,
                                 gint64            now_us,
                                 GError          **error)
{
  ByokPriceData *data;
  sqlite3_stmt *stmt;
  gint64 update_id;

  g_return_val_if_fail (BYOK_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (BYOK_IS_PRICE_UPDATE (update), FALSE);

  data = byok_price_update_get_data (update);
  if (!byok_database_begin (database, error))
    return FALSE;

  stmt = byok_database_prepare_cached (database,
    "INSERT INTO price_updates (time, source, sha256, new_models, changed, removed)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, now_us);
  sqlite3_bind_text (stmt, 2, byok_price_update_get_source (update) != NULL
                              ? byok_price_update_get_source (update) : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, byok_price_data_get_sha256 (data) != NULL
                              ? byok_price_data_get_sha256 (data) : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, byok_price_update_count (update, BYOK_PRICE_CHANGE_NEW));
  sqlite3_bind_int (stmt, 5, byok_price_update_count (update, BYOK_PRICE_CHANGE_CHANGED));
  sqlite3_bind_int (stmt, 6, byok_price_update_count (update, BYOK_PRICE_CHANGE_REMOVED));
  if (!step_done (database, stmt, error))
    goto fail;
  update_id = sqlite3_last_insert_rowid (byok_database_get_handle (database));

  if (!byok_database_exec (database, "DELETE FROM price_data;", error))
    goto fail;
  stmt = byok_database_prepare_cached (database,
    "INSERT OR REPLACE INTO price_data (provider, model, name, context_window, deprecated, chat,"
    "  input, cached_input, cache_write, output, tiers, match)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)", error);
  if (stmt == NULL)
    goto fail;
  for (guint i = 0; i < byok_price_data_get_n_models (data); i++)
    {
      const ByokPriceDataModel *model = byok_price_data_get_model (data, i);
      g_autofree char *match = byok_price_data_match_to_string (model);

      sqlite3_bind_text (stmt, 1, model->provider, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, model->id, -1, SQLITE_TRANSIENT);
      if (model->name != NULL)
        sqlite3_bind_text (stmt, 3, model->name, -1, SQLITE_TRANSIENT);
      if (model->context_window > 0)
        sqlite3_bind_int64 (stmt, 4, model->context_window);
      sqlite3_bind_int (stmt, 5, model->deprecated);
      sqlite3_bind_int (stmt, 6, model->chat);
      bind_price (stmt, 7, &model->price);
      if (match != NULL)
        sqlite3_bind_text (stmt, 12, match, -1, SQLITE_TRANSIENT);
      if (!step_done (database, stmt, error))
        goto fail;
    }

  for (guint i = 0; i < byok_price_update_get_n_changes (update); i++)
    {
      const ByokPriceChange *change = byok_price_update_get_change (update, i);

      if (!insert_row (database, change->provider, change->model, now_us, BYOK_PRICE_ORIGIN_UPDATE,
                       FALSE, change->kind == BYOK_PRICE_CHANGE_REMOVED ? NULL : &change->new_price,
                       byok_price_update_get_source (update), update_id, error))
        goto fail;
    }

  return byok_database_commit (database, error);

fail:
  byok_database_rollback (database);
  return FALSE;
}

/**
 * byok_price_history_load_data:
 * @source: (out) (optional) (transfer full) (nullable): where the list came from
 * @applied_us: (out) (optional): when it was applied
 *
 * Returns: (transfer full) (nullable): the list of the last update applied,
 *   or NULL (no error) when none was
 */
ByokPriceData *
byok_price_history_load_data (ByokDatabase  *database,
                              char         **source,
                              gint64        *applied_us,
                              GError       **error)
{
  g_autoptr(ByokPriceData) data = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) last = NULL;
  int rc;

  g_return_val_if_fail (BYOK_IS_DATABASE (database), NULL);

  if (source != NULL)
    *source = NULL;
  if (applied_us != NULL)
    *applied_us = 0;

  last = byok_database_prepare (database, "SELECT source, time FROM price_updates ORDER BY id DESC LIMIT 1",
                                error);
  if (last == NULL)
    return NULL;
  rc = sqlite3_step (last);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      byok_database_set_error (error, byok_database_get_handle (database), rc,
                               _("Could not read the last price update"));
      return NULL;
    }
  if (source != NULL)
    *source = g_strdup ((const char *) sqlite3_column_text (last, 0));
  if (applied_us != NULL)
    *applied_us = sqlite3_column_int64 (last, 1);

  stmt = byok_database_prepare (database,
    "SELECT provider, model, name, context_window, deprecated, chat,"
    "  input, cached_input, cache_write, output, tiers, match FROM price_data", error);
  if (stmt == NULL)
    return NULL;
  data = byok_price_data_new ();
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ByokPriceDataModel model = { NULL, };

      model.provider = (char *) sqlite3_column_text (stmt, 0);
      model.id = (char *) sqlite3_column_text (stmt, 1);
      model.name = (char *) sqlite3_column_text (stmt, 2);
      model.context_window = sqlite3_column_int64 (stmt, 3);
      model.deprecated = sqlite3_column_int (stmt, 4) != 0;
      model.chat = sqlite3_column_int (stmt, 5) != 0;
      column_price (stmt, 6, &model.price);
      if (model.provider == NULL || model.id == NULL)
        continue;
      /* A rule that does not read is left out: the model keeps its id. */
      byok_price_data_match_from_string (&model, (const char *) sqlite3_column_text (stmt, 11));
      byok_price_data_add_model (data, &model);
      g_clear_pointer (&model.match, json_node_unref);
    }
  if (rc != SQLITE_DONE)
    {
      byok_database_set_error (error, byok_database_get_handle (database), rc,
                               _("Could not read the last price update"));
      return NULL;
    }
  return g_steal_pointer (&data);
}

typedef struct {
  ByokPrice        price;
  ByokPriceOrigin  origin;
  gint64           since;
  gboolean         reset;
} Entry;

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const ByokPriceHistoryRow *x = *(ByokPriceHistoryRow * const *) a;
  const ByokPriceHistoryRow *y = *(ByokPriceHistoryRow * const *) b;
  int by_provider = g_strcmp0 (x->provider, y->provider);

  return by_provider != 0 ? by_provider : g_strcmp0 (x->model, y->model);
}

static char *
key_of (const char *provider,
        const char *model)
{
  return g_strconcat (provider, "\n", model, NULL);
}

/**
 * byok_price_history_list_at:
 * @at_us: a time (unix µs)
 *
 * The table in force at @at_us: for each model, the person's price if
 * they had one then, else the price of the last update or catalog then
 * (with the changes the catalog announces for that day).
 *
 * Returns: (transfer full) (element-type ByokPriceHistoryRow): the rows,
 *   by provider and model, or NULL with @error set
 */
GPtrArray *
byok_price_history_list_at (ByokDatabase  *database,
                            ByokCatalog   *catalog,
                            gint64         at_us,
                            GError       **error)
{
  g_autoptr(GHashTable) bases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_price_history_row_free);
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GDateTime) at = NULL;
  g_autofree char *date = NULL;
  GHashTableIter iter;
  gpointer key, value;
  int rc;

  g_return_val_if_fail (BYOK_IS_DATABASE (database), NULL);
  g_return_val_if_fail (BYOK_IS_CATALOG (catalog), NULL);

  at = g_date_time_new_from_unix_utc (at_us / G_USEC_PER_SEC);
  date = at != NULL ? g_date_time_format (at, "%Y-%m-%d") : g_strdup ("9999-12-31");

  stmt = byok_database_prepare (database,
    "SELECT provider, model, effective, origin, input, cached_input, cache_write, output, tiers"
    " FROM price_history WHERE effective <= ?1 ORDER BY effective, id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, at_us);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *origin = (const char *) sqlite3_column_text (stmt, 3);
      Entry *entry = g_new0 (Entry, 1);

      entry->since = sqlite3_column_int64 (stmt, 2);
      column_price (stmt, 4, &entry->price);
      entry->reset = g_strcmp0 (origin, "user-reset") == 0;
      entry->origin = g_strcmp0 (origin, "catalog") == 0 ? BYOK_PRICE_ORIGIN_CATALOG
                      : g_strcmp0 (origin, "update") == 0 ? BYOK_PRICE_ORIGIN_UPDATE
                      : BYOK_PRICE_ORIGIN_USER;
      g_hash_table_replace (entry->origin == BYOK_PRICE_ORIGIN_USER ? users : bases,
                            key_of ((const char *) sqlite3_column_text (stmt, 0),
                                    (const char *) sqlite3_column_text (stmt, 1)),
                            entry);
    }
  if (rc != SQLITE_DONE)
    {
      byok_database_set_error (error, byok_database_get_handle (database), rc,
                               _("Could not read the price history"));
      return NULL;
    }

  /* The catalog's models: what it said then, and the prices it announced
   * for that day; a model with no history at all is the catalog's now. */
  models = byok_catalog_get_all_models (catalog);
  for (guint i = 0; i < models->len; i++)
    {
      ByokModel *model = g_ptr_array_index (models, i);
      g_autofree char *id = key_of (byok_model_get_provider_id (model), byok_model_get_id (model));
      Entry *entry = g_hash_table_lookup (bases, id);

      if (!byok_model_is_from_catalog (model))
        continue;
      if (entry == NULL)
        {
          entry = g_new0 (Entry, 1);
          entry->origin = BYOK_PRICE_ORIGIN_CATALOG;
          entry->price = *byok_model_get_catalog_price (model, date);
          g_hash_table_insert (bases, g_steal_pointer (&id), entry);
        }
      else if (entry->origin == BYOK_PRICE_ORIGIN_CATALOG &&
               byok_price_equal (&entry->price, catalog_base_price (model)))
        entry->price = *byok_model_get_catalog_price (model, date);
    }

  /* The person's prices over the others. */
  g_hash_table_iter_init (&iter, users);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Entry *user = value;

      if (!user->reset)
        g_hash_table_replace (bases, g_strdup (key), g_memdup2 (user, sizeof *user));
    }

  g_hash_table_iter_init (&iter, bases);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Entry *entry = value;
      const char *newline = strchr (key, '\n');
      ByokPriceHistoryRow *row = g_new0 (ByokPriceHistoryRow, 1);

      row->provider = g_strndup (key, newline - (const char *) key);
      row->model = g_strdup (newline + 1);
      row->price = entry->price;
      row->origin = entry->origin;
      row->since_us = entry->since;
      g_ptr_array_add (rows, row);
    }
  g_ptr_array_sort (rows, compare_rows);
  return g_steal_pointer (&rows);
}

/**
 * byok_price_history_format_source:
 *
 * Returns: (transfer full): how a model's price source names an update:
 *   "price list https://… of 2026-12-07"
 */
char *
byok_price_history_format_source (const char *source,
                                  gint64      applied_us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (applied_us / G_USEC_PER_SEC);
  g_autofree char *day = time != NULL ? g_date_time_format (time, "%Y-%m-%d") : g_strdup ("?");

  /* Translators: a model's price source: "price list https://…/data.json, applied 2026-12-07" */
  return g_strdup_printf (_("price list %s, applied %s"), source != NULL ? source : "", day);
}

static char *
format_day (gint64 time_us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (time_us / G_USEC_PER_SEC);

  return time != NULL ? g_date_time_format (time, "%Y-%m-%d") : NULL;
}

/**
 * byok_price_history_load:
 *
 * What Byok does with prices when it starts: the shipped catalog's prices
 * go in the history (a new Byok may change them), and the last price
 * update applied is put in force in @catalog again.
 *
 * Returns: FALSE with @error set when the database could not be read;
 *   @catalog then has the shipped prices
 */
gboolean
byok_price_history_load (ByokDatabase  *database,
                         ByokCatalog   *catalog,
                         GError       **error)
{
  g_autoptr(ByokPriceData) data = NULL;
  g_autofree char *source = NULL;
  g_autofree char *label = NULL;
  g_autofree char *day = NULL;
  gint64 applied_us = 0;
  GError *local_error = NULL;

  g_return_val_if_fail (BYOK_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (BYOK_IS_CATALOG (catalog), FALSE);

  if (!byok_price_history_sync_catalog (database, catalog, g_get_real_time (), error))
    return FALSE;
  data = byok_price_history_load_data (database, &source, &applied_us, &local_error);
  if (data == NULL)
    {
      if (local_error == NULL)
        return TRUE;
      g_propagate_error (error, local_error);
      return FALSE;
    }
  label = byok_price_history_format_source (source, applied_us);
  day = format_day (applied_us);
  byok_catalog_set_price_data (catalog, data, label, day);
  return TRUE;
}

/**
 * byok_price_history_apply:
 *
 * Puts @update in force: kept in the database (the history with it), the
 * catalog's prices and models follow it, the person's own prices stay
 * over it in @pricing. Calls already recorded keep their cost.
 *
 * Returns: FALSE with BYOK_ERROR_STORAGE when nothing was applied
 */
gboolean
byok_price_history_apply (ByokDatabase     *database,
                          ByokCatalog      *catalog,
                          ByokPricing      *pricing,
                          ByokPriceUpdate  *update,
                          GError          **error)
{
  gint64 now = g_get_real_time ();
  g_autofree char *label = NULL;
  g_autofree char *day = NULL;

  g_return_val_if_fail (BYOK_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (BYOK_IS_CATALOG (catalog), FALSE);
  g_return_val_if_fail (BYOK_IS_PRICING (pricing), FALSE);
  g_return_val_if_fail (BYOK_IS_PRICE_UPDATE (update), FALSE);

  if (!byok_price_history_apply_update (database, update, now, error))
    return FALSE;
  label = byok_price_history_format_source (byok_price_update_get_source (update), now);
  day = format_day (now);
  byok_catalog_set_price_data (catalog, byok_price_update_get_data (update), label, day);
  g_signal_emit_by_name (pricing, "changed", NULL, NULL);
  return TRUE;
}
