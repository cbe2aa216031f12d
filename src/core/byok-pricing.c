/* byok-pricing.c — the prices in force: the catalog's, under the user's overrides */
#define G_LOG_DOMAIN "byok-pricing"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byok-catalog.h"
#include "byok-error.h"
#include "byok-pricing.h"

/* ByokPricing -------------------------------------------------------------- */

struct _ByokPricing
{
  GObject      parent_instance;

  ByokCatalog *catalog;
  GHashTable  *overrides;  /* "provider\nmodel" → ByokPriceRow */
};

G_DEFINE_FINAL_TYPE (ByokPricing, byok_pricing, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
byok_pricing_dispose (GObject *object)
{
  ByokPricing *self = BYOK_PRICING (object);

  g_clear_object (&self->catalog);

  G_OBJECT_CLASS (byok_pricing_parent_class)->dispose (object);
}

static void
byok_pricing_finalize (GObject *object)
{
  ByokPricing *self = BYOK_PRICING (object);

  g_clear_pointer (&self->overrides, g_hash_table_unref);

  G_OBJECT_CLASS (byok_pricing_parent_class)->finalize (object);
}

static void
byok_pricing_class_init (ByokPricingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = byok_pricing_dispose;
  object_class->finalize = byok_pricing_finalize;

  /**
   * ByokPricing::changed:
   * @provider_id: (nullable): the provider whose override changed, or NULL
   *   when all overrides were replaced by byok_pricing_load_overrides()
   * @model_id: (nullable): the model, or NULL likewise
   *
   * Emitted when an override is set or cleared, so it can be persisted and
   * price tables refreshed.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  G_TYPE_STRING, G_TYPE_STRING);
}

static void
byok_pricing_init (ByokPricing *self)
{
  self->overrides = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) byok_price_row_free);
}

/**
 * byok_pricing_new:
 * @catalog: (nullable): the catalog whose prices the overrides sit over;
 *   NULL for overrides only
 */
ByokPricing *
byok_pricing_new (ByokCatalog *catalog)
{
  ByokPricing *self;

  g_return_val_if_fail (catalog == NULL || BYOK_IS_CATALOG (catalog), NULL);

  self = g_object_new (BYOK_TYPE_PRICING, NULL);
  if (catalog != NULL)
    self->catalog = g_object_ref (catalog);
  return self;
}

/**
 * byok_pricing_get_catalog:
 * Returns: (transfer none) (nullable): the catalog
 */
ByokCatalog *
byok_pricing_get_catalog (ByokPricing *self)
{
  g_return_val_if_fail (BYOK_IS_PRICING (self), NULL);

  return self->catalog;
}

static char *
override_key (const char *provider_id,
              const char *model_id)
{
  return g_strconcat (provider_id, "\n", model_id, NULL);
}

/* The catalog's model for (provider, model), aliases resolved. */
static ByokModel *
catalog_model (ByokPricing *self,
               const char  *provider_id,
               const char  *model_id)
{
  if (self->catalog == NULL)
    return NULL;
  return byok_catalog_lookup_model (self->catalog, provider_id, model_id);
}

static ByokPriceRow *
find_override (ByokPricing *self,
               const char  *provider_id,
               const char  *model_id,
               ByokModel   *model)
{
  g_autofree char *key = override_key (provider_id, model_id);
  ByokPriceRow *row = g_hash_table_lookup (self->overrides, key);

  if (row == NULL && model != NULL)
    {
      g_autofree char *canonical = override_key (provider_id, byok_model_get_id (model));
      row = g_hash_table_lookup (self->overrides, canonical);
    }
  return row;
}

/**
 * byok_pricing_lookup:
 * @price: (out caller-allocates): the price in force: the user's override if
 *   there is one, else the catalog's; all unknown if neither is known
 * @is_override: (out) (optional): whether @price is the user's override
 *
 * A model alias (e.g. "claude-sonnet-4-5") finds the catalog model and any
 * override set for it.
 *
 * Returns: TRUE if the price is known (input and output), so a cost can be
 *   computed
 */
gboolean
byok_pricing_lookup (ByokPricing *self,
                     const char  *provider_id,
                     const char  *model_id,
                     ByokPrice   *price,
                     gboolean    *is_override)
{
  ByokModel *model;
  ByokPriceRow *row;

  g_return_val_if_fail (price != NULL, FALSE);
  byok_price_init (price);
  if (is_override != NULL)
    *is_override = FALSE;
  g_return_val_if_fail (BYOK_IS_PRICING (self), FALSE);
  g_return_val_if_fail (provider_id != NULL && model_id != NULL, FALSE);

  model = catalog_model (self, provider_id, model_id);
  row = find_override (self, provider_id, model_id, model);
  if (row != NULL)
    {
      *price = row->price;
      if (is_override != NULL)
        *is_override = TRUE;
    }
  else if (model != NULL)
    {
      *price = *byok_model_get_price (model);
    }

  return byok_price_is_known (price);
}

/**
 * byok_pricing_cost:
 * @cost: (out) (optional): the cost in USD; NAN when unknown
 *
 * byok_pricing_lookup() followed by byok_price_cost().
 *
 * Returns: TRUE if the cost is known
 */
gboolean
byok_pricing_cost (ByokPricing *self,
                   const char  *provider_id,
                   const char  *model_id,
                   gint64       input_tokens,
                   gint64       cached_tokens,
                   gint64       cache_write_tokens,
                   gint64       output_tokens,
                   double      *cost)
{
  ByokPrice price;

  byok_pricing_lookup (self, provider_id, model_id, &price, NULL);
  return byok_price_cost (&price, input_tokens, cached_tokens,
                          cache_write_tokens, output_tokens, cost);
}

static gboolean
check_override (const char       *provider_id,
                const char       *model_id,
                const ByokPrice  *price,
                GError          **error)
{
  if (provider_id == NULL || *provider_id == '\0' ||
      model_id == NULL || *model_id == '\0')
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("A price override needs a provider and a model."));
      return FALSE;
    }
  if (price == NULL || !byok_price_validate (price, error))
    {
      if (price == NULL)
        g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                     _("A price override needs a price."));
      return FALSE;
    }
  if (!byok_price_is_known (price))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("The price of “%s” needs at least an input and an output price per million tokens."),
                   model_id);
      return FALSE;
    }
  return TRUE;
}

/**
 * byok_pricing_set_override:
 * Replaces the price of (@provider_id, @model_id) by @price, whether or not
 * the catalog knows the model (e.g. an Azure deployment). An alias is
 * stored under the catalog's model id. Input and output prices must be
 * known; a missing cached or cache-write price falls back to the input
 * price when costs are computed.
 *
 * Returns: FALSE with BYOK_ERROR_INVALID if the price is not valid
 */
gboolean
byok_pricing_set_override (ByokPricing      *self,
                           const char       *provider_id,
                           const char       *model_id,
                           const ByokPrice  *price,
                           GError          **error)
{
  ByokModel *model;
  const char *id;

  g_return_val_if_fail (BYOK_IS_PRICING (self), FALSE);

  if (!check_override (provider_id, model_id, price, error))
    return FALSE;

  model = catalog_model (self, provider_id, model_id);
  id = model != NULL ? byok_model_get_id (model) : model_id;
  g_hash_table_replace (self->overrides, override_key (provider_id, id),
                        byok_price_row_new (provider_id, id, price, TRUE));
  g_debug ("price override set for %s/%s", provider_id, id);
  g_signal_emit (self, signals[CHANGED], 0, provider_id, id);
  return TRUE;
}

/**
 * byok_pricing_clear_override:
 * Returns: TRUE if there was an override to remove; the catalog's price is
 *   in force again
 */
gboolean
byok_pricing_clear_override (ByokPricing *self,
                             const char  *provider_id,
                             const char  *model_id)
{
  ByokModel *model;
  ByokPriceRow *row;
  g_autofree char *key = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (BYOK_IS_PRICING (self), FALSE);
  g_return_val_if_fail (provider_id != NULL && model_id != NULL, FALSE);

  model = catalog_model (self, provider_id, model_id);
  row = find_override (self, provider_id, model_id, model);
  if (row == NULL)
    return FALSE;

  id = g_strdup (row->model_id);
  key = override_key (provider_id, id);
  g_hash_table_remove (self->overrides, key);
  g_debug ("price override cleared for %s/%s", provider_id, id);
  g_signal_emit (self, signals[CHANGED], 0, provider_id, id);
  return TRUE;
}

gboolean
byok_pricing_has_override (ByokPricing *self,
                           const char  *provider_id,
                           const char  *model_id)
{
  g_return_val_if_fail (BYOK_IS_PRICING (self), FALSE);
  g_return_val_if_fail (provider_id != NULL && model_id != NULL, FALSE);

  return find_override (self, provider_id, model_id,
                        catalog_model (self, provider_id, model_id)) != NULL;
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const ByokPriceRow *x = *(ByokPriceRow * const *) a;
  const ByokPriceRow *y = *(ByokPriceRow * const *) b;
  int c = g_strcmp0 (x->provider_id, y->provider_id);

  return c != 0 ? c : g_strcmp0 (x->model_id, y->model_id);
}

/**
 * byok_pricing_list_overrides:
 * Returns: (transfer full) (element-type ByokPriceRow): copies of the
 *   overrides, sorted by provider then model — what to persist
 */
GPtrArray *
byok_pricing_list_overrides (ByokPricing *self)
{
  GPtrArray *rows;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (BYOK_IS_PRICING (self), NULL);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_price_row_free);
  g_hash_table_iter_init (&iter, self->overrides);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (rows, byok_price_row_copy (value));
  g_ptr_array_sort (rows, compare_rows);
  return rows;
}

/**
 * byok_pricing_list:
 * Returns: (transfer full) (element-type ByokPriceRow): the whole price
 *   table: every catalog model in catalog order with the price in force
 *   (unknown prices included), then overrides of models the catalog does
 *   not know, sorted
 */
GPtrArray *
byok_pricing_list (ByokPricing *self)
{
  GPtrArray *rows;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GPtrArray) overrides = NULL;

  g_return_val_if_fail (BYOK_IS_PRICING (self), NULL);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_price_row_free);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (self->catalog != NULL)
    {
      g_autoptr(GPtrArray) providers = byok_catalog_get_providers (self->catalog);

      for (guint i = 0; i < providers->len; i++)
        {
          const char *provider_id = byok_provider_get_id (g_ptr_array_index (providers, i));
          g_autoptr(GPtrArray) models = byok_catalog_get_models (self->catalog, provider_id);

          for (guint j = 0; j < models->len; j++)
            {
              ByokModel *model = g_ptr_array_index (models, j);
              const char *model_id = byok_model_get_id (model);
              char *key = override_key (provider_id, model_id);
              ByokPriceRow *row = g_hash_table_lookup (self->overrides, key);

              if (row != NULL)
                g_ptr_array_add (rows, byok_price_row_copy (row));
              else
                g_ptr_array_add (rows, byok_price_row_new (provider_id, model_id,
                                                           byok_model_get_price (model),
                                                           FALSE));
              g_hash_table_add (seen, key);
            }
        }
    }

  overrides = byok_pricing_list_overrides (self);
  for (guint i = 0; i < overrides->len; i++)
    {
      ByokPriceRow *row = g_ptr_array_index (overrides, i);
      g_autofree char *key = override_key (row->provider_id, row->model_id);

      if (!g_hash_table_contains (seen, key))
        g_ptr_array_add (rows, byok_price_row_copy (row));
    }

  return rows;
}

/**
 * byok_pricing_load_overrides:
 * @rows: (element-type ByokPriceRow): the overrides, e.g. as read from the
 *   database; is_override is ignored
 *
 * Replaces every override by @rows. Nothing changes if a row is not valid.
 * Emits ::changed once, with NULL ids.
 *
 * Returns: FALSE with BYOK_ERROR_INVALID naming the first bad row
 */
gboolean
byok_pricing_load_overrides (ByokPricing  *self,
                             GPtrArray    *rows,
                             GError      **error)
{
  g_return_val_if_fail (BYOK_IS_PRICING (self), FALSE);

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      ByokPriceRow *row = g_ptr_array_index (rows, i);

      if (row == NULL ||
          !check_override (row->provider_id, row->model_id, &row->price, error))
        {
          if (row == NULL)
            g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                         _("A price override needs a provider and a model."));
          return FALSE;
        }
    }

  g_hash_table_remove_all (self->overrides);
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      ByokPriceRow *row = g_ptr_array_index (rows, i);
      ByokPriceRow *copy = byok_price_row_copy (row);

      copy->is_override = TRUE;
      g_hash_table_replace (self->overrides,
                            override_key (row->provider_id, row->model_id), copy);
    }

  g_signal_emit (self, signals[CHANGED], 0, NULL, NULL);
  return TRUE;
}
