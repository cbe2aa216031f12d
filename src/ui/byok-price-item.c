/* byok-price-item.c — one row of the Usage page's price table: a model's
 * price in force (the catalog's or the user's) with the names people read */
#define G_LOG_DOMAIN "byok-usage-page"

#include "config.h"

#include "byok-price-item.h"

struct _ByokPriceItem
{
  GObject       parent_instance;

  ByokPriceRow *row;
  char         *provider_name;
  char         *model_name;
};

G_DEFINE_FINAL_TYPE (ByokPriceItem, byok_price_item, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
byok_price_item_finalize (GObject *object)
{
  ByokPriceItem *self = BYOK_PRICE_ITEM (object);

  g_clear_pointer (&self->row, byok_price_row_free);
  g_free (self->provider_name);
  g_free (self->model_name);

  G_OBJECT_CLASS (byok_price_item_parent_class)->finalize (object);
}

static void
byok_price_item_class_init (ByokPriceItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = byok_price_item_finalize;

  /**
   * ByokPriceItem::changed:
   *
   * The price changed (byok_price_item_set_row()): cells show it again.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
byok_price_item_init (ByokPriceItem *self)
{
}

/**
 * byok_price_item_new:
 * @row: the price (copied)
 * @provider_name: (nullable): the provider's display name; its id if %NULL
 * @model_name: (nullable): the model's display name; its id if %NULL
 */
ByokPriceItem *
byok_price_item_new (const ByokPriceRow *row,
                     const char         *provider_name,
                     const char         *model_name)
{
  ByokPriceItem *self;

  g_return_val_if_fail (row != NULL, NULL);

  self = g_object_new (BYOK_TYPE_PRICE_ITEM, NULL);
  self->row = byok_price_row_copy (row);
  self->provider_name = g_strdup (provider_name != NULL ? provider_name : row->provider_id);
  self->model_name = g_strdup (model_name != NULL ? model_name : row->model_id);
  return self;
}

const ByokPriceRow *
byok_price_item_get_row (ByokPriceItem *self)
{
  g_return_val_if_fail (BYOK_IS_PRICE_ITEM (self), NULL);
  return self->row;
}

const char *
byok_price_item_get_provider_name (ByokPriceItem *self)
{
  g_return_val_if_fail (BYOK_IS_PRICE_ITEM (self), NULL);
  return self->provider_name;
}

const char *
byok_price_item_get_model_name (ByokPriceItem *self)
{
  g_return_val_if_fail (BYOK_IS_PRICE_ITEM (self), NULL);
  return self->model_name;
}

/**
 * byok_price_item_set_row:
 * @row: the price now in force for the same model (copied)
 *
 * Updates the item in place, so that the widgets showing it stay (a
 * label being edited must not be destroyed under the user).
 */
void
byok_price_item_set_row (ByokPriceItem      *self,
                         const ByokPriceRow *row)
{
  g_return_if_fail (BYOK_IS_PRICE_ITEM (self));
  g_return_if_fail (row != NULL);

  g_clear_pointer (&self->row, byok_price_row_free);
  self->row = byok_price_row_copy (row);
  g_signal_emit (self, signals[CHANGED], 0);
}
