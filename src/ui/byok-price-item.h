/* byok-price-item.h — one row of the Usage page's price table */
#pragma once

#include <glib-object.h>

#include "byok-pricing.h"

G_BEGIN_DECLS

#define BYOK_TYPE_PRICE_ITEM (byok_price_item_get_type ())
G_DECLARE_FINAL_TYPE (ByokPriceItem, byok_price_item, BYOK, PRICE_ITEM, GObject)

ByokPriceItem      *byok_price_item_new               (const ByokPriceRow *row,
                                                       const char         *provider_name,
                                                       const char         *model_name);
const ByokPriceRow *byok_price_item_get_row           (ByokPriceItem      *self);
void                byok_price_item_set_row           (ByokPriceItem      *self,
                                                       const ByokPriceRow *row);
const char         *byok_price_item_get_provider_name (ByokPriceItem      *self);
const char         *byok_price_item_get_model_name    (ByokPriceItem      *self);

G_END_DECLS
