/* byok-price-history.h — every price Byok used, with the day it took effect
 *
 * Prices change: a new Byok ships new catalog prices, a price update
 * brings a provider's new price, the person sets a price of their own or
 * removes it. Each change is kept in the database (table price_history)
 * with the time it took effect and where it came from, so the table in
 * force on any past day can be shown again (`byok-cli pricing list --at`).
 * A recorded call keeps the cost it was recorded with: nothing here
 * prices a call again.
 *
 * The last price update applied (its list's models, table price_data) is
 * kept too, and put in force again when Byok starts.
 */
#pragma once

#include "byok-catalog.h"
#include "byok-database.h"
#include "byok-price-update.h"

G_BEGIN_DECLS

typedef enum {
  BYOK_PRICE_ORIGIN_CATALOG,
  BYOK_PRICE_ORIGIN_UPDATE,
  BYOK_PRICE_ORIGIN_USER,
} ByokPriceOrigin;

/**
 * ByokPriceHistoryRow:
 * @provider: the provider id
 * @model: the model id
 * @price: the price in force then (rates may be unknown)
 * @origin: where it came from
 * @since_us: when it took effect (unix µs; 0: as far back as Byok knows)
 *
 * One row of the table in force at a time (byok_price_history_list_at()).
 */
typedef struct {
  char            *provider;
  char            *model;
  ByokPrice        price;
  ByokPriceOrigin  origin;
  gint64           since_us;
} ByokPriceHistoryRow;

void           byok_price_history_row_free    (ByokPriceHistoryRow *row);

gboolean       byok_price_history_sync_catalog (ByokDatabase     *database,
                                                ByokCatalog      *catalog,
                                                gint64            now_us,
                                                GError          **error);
gboolean       byok_price_history_record_user (ByokDatabase     *database,
                                               const char       *provider,
                                               const char       *model,
                                               const ByokPrice  *price,
                                               gint64            now_us,
                                               GError          **error);
gboolean       byok_price_history_apply_update (ByokDatabase    *database,
                                                ByokPriceUpdate *update,
                                                gint64           now_us,
                                                GError         **error);
ByokPriceData *byok_price_history_load_data   (ByokDatabase     *database,
                                               char            **source,
                                               gint64           *applied_us,
                                               GError          **error);
GPtrArray     *byok_price_history_list_at     (ByokDatabase     *database,
                                               ByokCatalog      *catalog,
                                               gint64            at_us,
                                               GError          **error);

char          *byok_price_history_format_source (const char     *source,
                                                 gint64          applied_us);

gboolean       byok_price_history_load        (ByokDatabase     *database,
                                               ByokCatalog      *catalog,
                                               GError          **error);
gboolean       byok_price_history_apply       (ByokDatabase     *database,
                                               ByokCatalog      *catalog,
                                               ByokPricing      *pricing,
                                               ByokPriceUpdate  *update,
                                               GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokPriceHistoryRow, byok_price_history_row_free)

G_END_DECLS
