/* byok-price-overrides-store.c — the user's prices as the usage store keeps them */
#define G_LOG_DOMAIN "byok-usage"

#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "byok-error.h"
#include "byok-usage-store-private.h"

/* ---------------------------------------------------------------------- */
/* Price overrides                                                        */

static gboolean
price_is_valid (double price)
{
  return isnan (price) || (isfinite (price) && price >= 0);
}

/**
 * byok_usage_store_load_price_overrides:
 *
 * Returns: (transfer container) (element-type ByokPriceOverride): every
 *   override, by provider and model; %NULL with @error set
 */
GPtrArray *
byok_usage_store_load_price_overrides (ByokUsageStore  *self,
                                       GError         **error)
{
  g_autoptr(GPtrArray) prices = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), NULL);

  stmt = byok_database_prepare_cached (self->database,
                                       "SELECT provider, model, input, cached_input, "
                                       "cache_write, output, tiers, updated FROM price_overrides "
                                       "ORDER BY provider, model",
                                       error);
  if (stmt == NULL)
    return NULL;
  prices = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_price_override_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ByokPriceOverride *price = g_new0 (ByokPriceOverride, 1);

      price->provider = byok_database_column_strdup (stmt, 0);
      price->model = byok_database_column_strdup (stmt, 1);
      price->input = byok_database_column_double_or_nan (stmt, 2);
      price->cached_input = byok_database_column_double_or_nan (stmt, 3);
      price->cache_write = byok_database_column_double_or_nan (stmt, 4);
      price->output = byok_database_column_double_or_nan (stmt, 5);
      price->tiers_json = byok_database_column_strdup (stmt, 6);
      price->updated_us = sqlite3_column_int64 (stmt, 7);
      g_ptr_array_add (prices, price);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      byok_database_set_error (error, byok_database_get_handle (self->database), rc,
                               _("Could not read your prices"));
      return NULL;
    }
  return g_steal_pointer (&prices);
}

/**
 * byok_usage_store_set_price_override:
 * @price: the prices of one model; NAN for an unknown one
 *
 * Adds or replaces the user's prices for (provider, model).
 */
gboolean
byok_usage_store_set_price_override (ByokUsageStore           *self,
                                     const ByokPriceOverride  *price,
                                     GError                  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), FALSE);
  g_return_val_if_fail (price != NULL, FALSE);

  if (price->provider == NULL || *price->provider == '\0' ||
      price->model == NULL || *price->model == '\0')
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("A price needs a provider and a model."));
      return FALSE;
    }
  if (!price_is_valid (price->input) || !price_is_valid (price->cached_input) ||
      !price_is_valid (price->cache_write) || !price_is_valid (price->output))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("A price must be a number of dollars per million tokens, $0 or more."));
      return FALSE;
    }

  stmt = byok_database_prepare_cached (self->database,
                                       "INSERT OR REPLACE INTO price_overrides (provider, model, "
                                       "input, cached_input, cache_write, output, tiers, updated) "
                                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                       error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, price->provider, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, price->model, -1, SQLITE_TRANSIENT);
  byok_database_bind_double_or_null (stmt, 3, price->input);
  byok_database_bind_double_or_null (stmt, 4, price->cached_input);
  byok_database_bind_double_or_null (stmt, 5, price->cache_write);
  byok_database_bind_double_or_null (stmt, 6, price->output);
  byok_database_bind_text_or_null (stmt, 7, price->tiers_json);
  sqlite3_bind_int64 (stmt, 8, g_get_real_time ());
  return byok_database_step_done (stmt, byok_database_get_handle (self->database),
                                  _("Could not save the price"), error);
}

gboolean
byok_usage_store_clear_price_override (ByokUsageStore  *self,
                                       const char      *provider,
                                       const char      *model,
                                       GError         **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), FALSE);
  g_return_val_if_fail (provider != NULL && model != NULL, FALSE);

  stmt = byok_database_prepare_cached (self->database,
                                       "DELETE FROM price_overrides WHERE provider = ?1 AND model = ?2",
                                       error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, provider, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, model, -1, SQLITE_TRANSIENT);
  return byok_database_step_done (stmt, byok_database_get_handle (self->database),
                                  _("Could not remove the price"), error);
}

