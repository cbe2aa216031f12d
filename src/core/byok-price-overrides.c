/* byok-price-overrides.c — the user's prices: persisted and in force at once */
#define G_LOG_DOMAIN "byok-pricing"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "byok-catalog.h"
#include "byok-error.h"
#include "byok-price-history.h"
#include "byok-price-overrides.h"

/**
 * byok_price_override_to_row:
 * @price: a row of the store
 *
 * Returns: (transfer full): the same price as ByokPricing takes it, or
 *   %NULL with BYOK_ERROR_INVALID when its tiers cannot be read
 */
ByokPriceRow *
byok_price_override_to_row (const ByokPriceOverride  *price,
                            GError                  **error)
{
  ByokPrice p;

  g_return_val_if_fail (price != NULL, NULL);

  byok_price_init_flat (&p, price->input, price->cached_input, price->cache_write, price->output);
  if (!byok_price_set_tiers_from_json (&p, price->tiers_json, error))
    return NULL;
  return byok_price_row_new (price->provider, price->model, &p, TRUE);
}

/**
 * byok_price_overrides_load:
 *
 * Puts the overrides the store keeps into @pricing, replacing the ones it
 * had. A stored price that is no longer valid is skipped with a warning,
 * so one bad row never hides the others.
 */
gboolean
byok_price_overrides_load (ByokUsageStore  *store,
                           ByokPricing     *pricing,
                           GError         **error)
{
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (store), FALSE);
  g_return_val_if_fail (BYOK_IS_PRICING (pricing), FALSE);

  stored = byok_usage_store_load_price_overrides (store, error);
  if (stored == NULL)
    return FALSE;

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_price_row_free);
  for (guint i = 0; i < stored->len; i++)
    {
      const ByokPriceOverride *price = g_ptr_array_index (stored, i);
      g_autoptr(GError) local_error = NULL;
      ByokPriceRow *row = byok_price_override_to_row (price, &local_error);

      if (row != NULL && (!byok_price_validate (&row->price, &local_error) ||
                          !byok_price_is_known (&row->price)))
        g_clear_pointer (&row, byok_price_row_free);
      if (row == NULL)
        {
          g_warning ("Skipping the stored price of %s/%s: %s", price->provider, price->model,
                     local_error != NULL ? local_error->message : "input or output unknown");
          continue;
        }
      g_ptr_array_add (rows, row);
    }

  return byok_pricing_load_overrides (pricing, rows, error);
}

/* The id a price is kept under: the catalog's, when @model is an alias. */
static const char *
canonical_model_id (ByokPricing *pricing,
                    const char  *provider,
                    const char  *model)
{
  ByokCatalog *catalog = byok_pricing_get_catalog (pricing);
  ByokModel *found = catalog != NULL ? byok_catalog_lookup_model (catalog, provider, model) : NULL;

  return found != NULL ? byok_model_get_id (found) : model;
}

/**
 * byok_price_overrides_set:
 * @price: the user's price for (@provider, @model)
 *
 * Validates @price (every rate unknown or ≥ 0, input and output known),
 * saves it in the store and puts it in force in @pricing.
 *
 * Returns: FALSE with BYOK_ERROR_INVALID (a bad price) or
 *   BYOK_ERROR_STORAGE; nothing changed then
 */
gboolean
byok_price_overrides_set (ByokUsageStore   *store,
                          ByokPricing      *pricing,
                          const char       *provider,
                          const char       *model,
                          const ByokPrice  *price,
                          GError          **error)
{
  g_autofree char *tiers = NULL;
  ByokPriceOverride stored = { 0, };

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (store), FALSE);
  g_return_val_if_fail (BYOK_IS_PRICING (pricing), FALSE);
  g_return_val_if_fail (price != NULL, FALSE);

  if (provider == NULL || *provider == '\0' || model == NULL || *model == '\0')
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("A price needs a provider and a model."));
      return FALSE;
    }
  if (!byok_price_validate (price, error))
    return FALSE;
  if (!byok_price_is_known (price))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("The price of “%s” needs at least an input and an output price per million tokens."),
                   model);
      return FALSE;
    }

  tiers = byok_price_tiers_to_json (price);
  stored.provider = (char *) provider;
  stored.model = (char *) canonical_model_id (pricing, provider, model);
  stored.input = price->input;
  stored.cached_input = price->cached_input;
  stored.cache_write = price->cache_write;
  stored.output = price->output;
  stored.tiers_json = tiers;
  if (!byok_usage_store_set_price_override (store, &stored, error) ||
      !byok_price_history_record_user (byok_usage_store_get_database (store), provider, stored.model,
                                       price, g_get_real_time (), error))
    return FALSE;

  return byok_pricing_set_override (pricing, provider, model, price, error);
}

/**
 * byok_price_overrides_reset:
 *
 * Removes the user's price of (@provider, @model) from the store and from
 * @pricing: the catalog's price is in force again.
 *
 * Returns: FALSE with BYOK_ERROR_STORAGE when the store failed
 */
gboolean
byok_price_overrides_reset (ByokUsageStore  *store,
                            ByokPricing     *pricing,
                            const char      *provider,
                            const char      *model,
                            GError         **error)
{
  g_return_val_if_fail (BYOK_IS_USAGE_STORE (store), FALSE);
  g_return_val_if_fail (BYOK_IS_PRICING (pricing), FALSE);
  g_return_val_if_fail (provider != NULL && model != NULL, FALSE);

  if (!byok_usage_store_clear_price_override (store, provider,
                                              canonical_model_id (pricing, provider, model),
                                              error) ||
      !byok_price_history_record_user (byok_usage_store_get_database (store), provider,
                                       canonical_model_id (pricing, provider, model), NULL,
                                       g_get_real_time (), error))
    return FALSE;
  byok_pricing_clear_override (pricing, provider, model);
  return TRUE;
}

/**
 * byok_price_overrides_reset_all:
 * @n_reset: (out) (optional): how many prices were reset
 *
 * Removes every price the user set, from the store and from @pricing.
 */
gboolean
byok_price_overrides_reset_all (ByokUsageStore  *store,
                                ByokPricing     *pricing,
                                guint           *n_reset,
                                GError         **error)
{
  g_autoptr(GPtrArray) stored = NULL;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (store), FALSE);
  g_return_val_if_fail (BYOK_IS_PRICING (pricing), FALSE);

  if (n_reset != NULL)
    *n_reset = 0;
  stored = byok_usage_store_load_price_overrides (store, error);
  if (stored == NULL)
    return FALSE;

  for (guint i = 0; i < stored->len; i++)
    {
      const ByokPriceOverride *price = g_ptr_array_index (stored, i);

      if (!byok_usage_store_clear_price_override (store, price->provider, price->model, error) ||
          !byok_price_history_record_user (byok_usage_store_get_database (store), price->provider,
                                           price->model, NULL, g_get_real_time (), error))
        return FALSE;
      byok_pricing_clear_override (pricing, price->provider, price->model);
      if (n_reset != NULL)
        (*n_reset)++;
    }

  /* Overrides set in memory only (none should be) go too. */
  {
    g_autoptr(GPtrArray) left = byok_pricing_list_overrides (pricing);

    for (guint i = 0; i < left->len; i++)
      {
        ByokPriceRow *row = g_ptr_array_index (left, i);

        byok_pricing_clear_override (pricing, row->provider_id, row->model_id);
      }
  }
  return TRUE;
}

/**
 * byok_price_rate_parse:
 * @text: what the user typed: "0.60", "$0.60", "0,60", "2"
 * @allow_empty: whether an empty @text means "unknown" (NAN)
 * @rate: (out): USD per million tokens
 *
 * Reads one price as a person writes it: an optional "$", digits with at
 * most one decimal mark ("." or ","), nothing else.
 *
 * Returns: FALSE with BYOK_ERROR_INVALID saying what is wrong
 */
gboolean
byok_price_rate_parse (const char  *text,
                       gboolean     allow_empty,
                       double      *rate,
                       GError     **error)
{
  g_autofree char *copy = NULL;
  char *p;
  char *end = NULL;
  gboolean negative = FALSE;
  guint digits = 0, marks = 0;
  double value;

  g_return_val_if_fail (rate != NULL, FALSE);

  *rate = NAN;
  copy = g_strstrip (g_strdup (text != NULL ? text : ""));
  p = copy;

  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }
  if (*p == '$')
    p++;
  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }

  if (*p == '\0' && !negative)
    {
      if (allow_empty)
        return TRUE;
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("Enter a price in dollars per million tokens, such as 0.60."));
      return FALSE;
    }

  for (char *c = p; *c; c++)
    {
      if (g_ascii_isdigit (*c))
        digits++;
      else if (*c == '.' || *c == ',')
        {
          *c = '.';
          marks++;
        }
      else
        {
          digits = 0;
          break;
        }
    }
  if (digits == 0 || marks > 1)
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("“%s” is not a price. Enter dollars per million tokens as a number, such as 0.60."),
                   text);
      return FALSE;
    }

  value = g_ascii_strtod (p, &end);
  if (end == NULL || *end != '\0' || !isfinite (value))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("“%s” is not a price. Enter dollars per million tokens as a number, such as 0.60."),
                   text);
      return FALSE;
    }
  if (negative && value != 0)
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("A price cannot be negative. Enter 0 or more dollars per million tokens."));
      return FALSE;
    }

  *rate = value;
  return TRUE;
}
