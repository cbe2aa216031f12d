/* byok-pricing.h — the prices in force: the catalog's, under the user's overrides
 *
 * ByokPricing puts the user's overrides over the catalog's prices. It does
 * not persist them itself: byok_pricing_load_overrides() takes the rows the
 * usage store read, byok_pricing_list_overrides() gives the rows to write,
 * and the "changed" signal says when they changed.
 */
#pragma once

#include <glib-object.h>

#include "byok-catalog.h"
#include "byok-price.h"

G_BEGIN_DECLS

#define BYOK_TYPE_PRICING (byok_pricing_get_type ())
G_DECLARE_FINAL_TYPE (ByokPricing, byok_pricing, BYOK, PRICING, GObject)

ByokPricing  *byok_pricing_new              (ByokCatalog      *catalog);
ByokCatalog  *byok_pricing_get_catalog      (ByokPricing      *self);

gboolean      byok_pricing_lookup           (ByokPricing      *self,
                                             const char       *provider_id,
                                             const char       *model_id,
                                             ByokPrice        *price,
                                             gboolean         *is_override);
gboolean      byok_pricing_cost             (ByokPricing      *self,
                                             const char       *provider_id,
                                             const char       *model_id,
                                             gint64            input_tokens,
                                             gint64            cached_tokens,
                                             gint64            cache_write_tokens,
                                             gint64            output_tokens,
                                             double           *cost);

gboolean      byok_pricing_set_override     (ByokPricing      *self,
                                             const char       *provider_id,
                                             const char       *model_id,
                                             const ByokPrice  *price,
                                             GError          **error);
gboolean      byok_pricing_clear_override   (ByokPricing      *self,
                                             const char       *provider_id,
                                             const char       *model_id);
gboolean      byok_pricing_has_override     (ByokPricing      *self,
                                             const char       *provider_id,
                                             const char       *model_id);

GPtrArray    *byok_pricing_list             (ByokPricing      *self);
GPtrArray    *byok_pricing_list_overrides   (ByokPricing      *self);
gboolean      byok_pricing_load_overrides   (ByokPricing      *self,
                                             GPtrArray        *rows,
                                             GError          **error);

G_END_DECLS
