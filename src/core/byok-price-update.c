/* byok-price-update.c — what a price list would change, before it does */
#define G_LOG_DOMAIN "byok-price-data"

#include "config.h"

#include "byok-price-update.h"

struct _ByokPriceUpdate
{
  GObject        parent_instance;

  ByokPriceData *data;
  char          *source;
  GArray        *changes;   /* of ByokPriceChange */
};

G_DEFINE_FINAL_TYPE (ByokPriceUpdate, byok_price_update, G_TYPE_OBJECT)

static void
change_clear (gpointer data)
{
  ByokPriceChange *change = data;

  g_free (change->provider);
  g_free (change->model);
  g_free (change->name);
}

static void
byok_price_update_finalize (GObject *object)
{
  ByokPriceUpdate *self = BYOK_PRICE_UPDATE (object);

  g_clear_object (&self->data);
  g_free (self->source);
  g_array_unref (self->changes);

  G_OBJECT_CLASS (byok_price_update_parent_class)->finalize (object);
}

static void
byok_price_update_class_init (ByokPriceUpdateClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = byok_price_update_finalize;
}

static void
byok_price_update_init (ByokPriceUpdate *self)
{
  self->changes = g_array_new (FALSE, TRUE, sizeof (ByokPriceChange));
  g_array_set_clear_func (self->changes, change_clear);
}

static void
add_change (ByokPriceUpdate     *self,
            ByokPriceChangeKind  kind,
            ByokPricing         *pricing,
            const char          *provider,
            const char          *model,
            const char          *name,
            const ByokPrice     *old_price,
            const ByokPrice     *new_price,
            gint64               context_window)
{
  ByokPriceChange change = { 0, };

  change.kind = kind;
  change.provider = g_strdup (provider);
  change.model = g_strdup (model);
  change.name = g_strdup (name != NULL ? name : model);
  if (old_price != NULL)
    change.old_price = *old_price;
  else
    byok_price_init (&change.old_price);
  if (new_price != NULL)
    change.new_price = *new_price;
  else
    byok_price_init (&change.new_price);
  change.context_window = context_window;
  change.has_override = byok_pricing_has_override (pricing, provider, model);
  g_array_append_val (self->changes, change);
}

/**
 * byok_price_update_new:
 * @data: the price list
 * @source: where it comes from (an address or a file)
 *
 * Compares @data with what is in force in @catalog: the catalog's models
 * whose price it changes, models to chat with it adds, and models the last
 * list added that it no longer has.
 *
 * Returns: (transfer full): the changes @data would make
 */
ByokPriceUpdate *
byok_price_update_new (ByokCatalog   *catalog,
                       ByokPricing   *pricing,
                       ByokPriceData *data,
                       const char    *source)
{
  g_autoptr(GPtrArray) models = NULL;
  ByokPriceUpdate *self;

  g_return_val_if_fail (BYOK_IS_CATALOG (catalog), NULL);
  g_return_val_if_fail (BYOK_IS_PRICING (pricing), NULL);
  g_return_val_if_fail (BYOK_IS_PRICE_DATA (data), NULL);

  self = g_object_new (BYOK_TYPE_PRICE_UPDATE, NULL);
  self->data = g_object_ref (data);
  self->source = g_strdup (source);

  models = byok_catalog_get_all_models (catalog);
  for (guint i = 0; i < models->len; i++)
    {
      ByokModel *model = g_ptr_array_index (models, i);
      const char *provider = byok_model_get_provider_id (model);
      const ByokPriceDataModel *known;

      if (!byok_model_is_from_catalog (model) && !byok_model_is_from_price_data (model))
        continue;
      known = byok_model_is_from_price_data (model)
              ? byok_price_data_find (data, provider, byok_model_get_id (model))
              : byok_catalog_find_price_data_model (data, model);

      /* What the last list added and this one has not. */
      if (byok_model_is_from_price_data (model) &&
          (known == NULL || !known->chat || !g_str_equal (known->id, byok_model_get_id (model))))
        {
          add_change (self, BYOK_PRICE_CHANGE_REMOVED, pricing, provider, byok_model_get_id (model),
                      byok_model_get_name (model), byok_model_get_price (model), NULL, 0);
          continue;
        }
      /* A price the last list gave and this one does not: the
       * catalog's again. */
      if ((known == NULL || !byok_catalog_price_data_takes (model, known)) &&
          byok_model_has_update_price (model))
        {
          const ByokPrice *catalog_price = byok_model_get_catalog_price (model, NULL);

          if (!byok_price_equal (byok_model_get_price (model), catalog_price))
            add_change (self, BYOK_PRICE_CHANGE_CHANGED, pricing, provider, byok_model_get_id (model),
                        byok_model_get_name (model), byok_model_get_price (model), catalog_price, 0);
          continue;
        }
      if (known == NULL || !byok_catalog_price_data_takes (model, known) ||
          byok_price_equal (byok_model_get_price (model), &known->price))
        continue;
      add_change (self, BYOK_PRICE_CHANGE_CHANGED, pricing, provider, byok_model_get_id (model),
                  byok_model_get_name (model), byok_model_get_price (model), &known->price, 0);
    }

  for (guint i = 0; i < byok_price_data_get_n_models (data); i++)
    {
      const ByokPriceDataModel *known = byok_price_data_get_model (data, i);
      ByokModel *model;

      if (!byok_catalog_price_data_is_new (catalog, known))
        continue;
      model = byok_catalog_lookup_model (catalog, known->provider, known->id);
      if (model != NULL && byok_model_is_from_price_data (model))
        continue;  /* there already; its price is compared above */
      add_change (self, BYOK_PRICE_CHANGE_NEW, pricing, known->provider, known->id, known->name,
                  NULL, &known->price, known->context_window);
    }

  return self;
}

/**
 * byok_price_update_get_data:
 * Returns: (transfer none): the price list
 */
ByokPriceData *
byok_price_update_get_data (ByokPriceUpdate *self)
{
  g_return_val_if_fail (BYOK_IS_PRICE_UPDATE (self), NULL);

  return self->data;
}

/**
 * byok_price_update_get_source:
 * Returns: (nullable): where the price list comes from
 */
const char *
byok_price_update_get_source (ByokPriceUpdate *self)
{
  g_return_val_if_fail (BYOK_IS_PRICE_UPDATE (self), NULL);

  return self->source;
}

guint
byok_price_update_get_n_changes (ByokPriceUpdate *self)
{
  g_return_val_if_fail (BYOK_IS_PRICE_UPDATE (self), 0);

  return self->changes->len;
}

/**
 * byok_price_update_get_change:
 * Returns: (transfer none): the change at @index: removed and changed
 *   models in catalog order, then new ones in the list's order
 */
const ByokPriceChange *
byok_price_update_get_change (ByokPriceUpdate *self,
                              guint            index)
{
  g_return_val_if_fail (BYOK_IS_PRICE_UPDATE (self), NULL);
  g_return_val_if_fail (index < self->changes->len, NULL);

  return &g_array_index (self->changes, ByokPriceChange, index);
}

guint
byok_price_update_count (ByokPriceUpdate     *self,
                         ByokPriceChangeKind  kind)
{
  guint n = 0;

  g_return_val_if_fail (BYOK_IS_PRICE_UPDATE (self), 0);

  for (guint i = 0; i < self->changes->len; i++)
    n += g_array_index (self->changes, ByokPriceChange, i).kind == kind;
  return n;
}

/**
 * byok_price_update_is_empty:
 * Returns: whether the list changes nothing
 */
gboolean
byok_price_update_is_empty (ByokPriceUpdate *self)
{
  g_return_val_if_fail (BYOK_IS_PRICE_UPDATE (self), TRUE);

  return self->changes->len == 0;
}

static double
get_rate (const ByokPrice *price,
          ByokPriceRate    rate)
{
  switch (rate)
    {
    case BYOK_PRICE_RATE_INPUT: return price->input;
    case BYOK_PRICE_RATE_CACHED_INPUT: return price->cached_input;
    case BYOK_PRICE_RATE_CACHE_WRITE: return price->cache_write;
    case BYOK_PRICE_RATE_OUTPUT: return price->output;
    case BYOK_N_PRICE_RATES:
    default: g_return_val_if_reached (NAN);
    }
}

/**
 * byok_price_change_get_rates:
 * @old_rate: (out): the rate in force now (NAN: unknown)
 * @new_rate: (out): the list's
 *
 * Returns: whether @change changes @rate (tiers aside)
 */
gboolean
byok_price_change_get_rates (const ByokPriceChange *change,
                             ByokPriceRate          rate,
                             double                *old_rate,
                             double                *new_rate)
{
  g_return_val_if_fail (change != NULL, FALSE);

  *old_rate = get_rate (&change->old_price, rate);
  *new_rate = get_rate (&change->new_price, rate);
  return *old_rate != *new_rate && !(isnan (*old_rate) && isnan (*new_rate));
}
