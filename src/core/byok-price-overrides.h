/* byok-price-overrides.h — the user's prices: persisted and in force at once
 *
 * ByokPricing holds the overrides in memory; ByokUsageStore keeps them in the
 * database. These helpers keep the two in step, so that a price the user
 * edits (in the price table or with `byok-cli pricing set`) is validated,
 * saved, and applied to the next cost in one call. They also read a price
 * as a person types it.
 */
#pragma once

#include "byok-pricing.h"
#include "byok-usage-store.h"

G_BEGIN_DECLS

ByokPriceRow *byok_price_override_to_row      (const ByokPriceOverride *price,
                                               GError                 **error);

gboolean      byok_price_overrides_load       (ByokUsageStore   *store,
                                               ByokPricing      *pricing,
                                               GError          **error);
gboolean      byok_price_overrides_set        (ByokUsageStore   *store,
                                               ByokPricing      *pricing,
                                               const char       *provider,
                                               const char       *model,
                                               const ByokPrice  *price,
                                               GError          **error);
gboolean      byok_price_overrides_reset      (ByokUsageStore   *store,
                                               ByokPricing      *pricing,
                                               const char       *provider,
                                               const char       *model,
                                               GError          **error);
gboolean      byok_price_overrides_reset_all  (ByokUsageStore   *store,
                                               ByokPricing      *pricing,
                                               guint            *n_reset,
                                               GError          **error);

gboolean      byok_price_rate_parse           (const char       *text,
                                               gboolean          allow_empty,
                                               double           *rate,
                                               GError          **error);

G_END_DECLS
