/* byok-price-table.h — every model's price, editable inline */
#pragma once

#include <adwaita.h>

#include "byok-pricing.h"
#include "byok-usage-store.h"

G_BEGIN_DECLS

typedef enum {
  BYOK_PRICE_FIELD_INPUT,
  BYOK_PRICE_FIELD_CACHED_INPUT,
  BYOK_PRICE_FIELD_CACHE_WRITE,
  BYOK_PRICE_FIELD_OUTPUT,
} ByokPriceField;

#define BYOK_TYPE_PRICE_TABLE (byok_price_table_get_type ())
G_DECLARE_FINAL_TYPE (ByokPriceTable, byok_price_table, BYOK, PRICE_TABLE, AdwBin)

void        byok_price_table_set_pricing (ByokPriceTable  *self,
                                          ByokPricing     *pricing,
                                          ByokUsageStore  *store);
gboolean    byok_price_table_commit      (ByokPriceTable  *self,
                                          const char      *provider,
                                          const char      *model,
                                          ByokPriceField   field,
                                          const char      *text);
gboolean    byok_price_table_reset       (ByokPriceTable  *self,
                                          const char      *provider,
                                          const char      *model);
const char *byok_price_table_get_error   (ByokPriceTable  *self);
GListModel *byok_price_table_get_model   (ByokPriceTable  *self);
char       *byok_price_format_rate       (double           rate);

G_END_DECLS
