/* byok-catalog.h — the providers and models Byok knows
 *
 * The shipped catalog is data/catalog.json, compiled into the core as the
 * GResource BYOK_CATALOG_RESOURCE_PATH: read and checked at build time,
 * kept as a GVariant that is read without parsing JSON
 * (byok-catalog-private.h). At run time the catalog also holds
 * the user's custom OpenAI-compatible providers and the models providers'
 * listings returned. Price overrides are ByokPricing's.
 *
 * Every provider of the catalog is listed by byok_catalog_get_providers();
 * the "custom" template (the defaults of a custom provider) is not, but
 * byok_catalog_lookup_provider ("custom") finds it.
 */
#pragma once

#include <glib-object.h>

#include "byok-model.h"
#include "byok-price-data.h"
#include "byok-provider.h"

G_BEGIN_DECLS

#define BYOK_CATALOG_RESOURCE_PATH "/io/github/byok/Byok/core/catalog.gvariant"
#define BYOK_CATALOG_CUSTOM_TEMPLATE_ID "custom"

#define BYOK_TYPE_CATALOG (byok_catalog_get_type ())
G_DECLARE_FINAL_TYPE (ByokCatalog, byok_catalog, BYOK, CATALOG, GObject)

ByokCatalog  *byok_catalog_new_default            (void);
GThread      *byok_catalog_new_default_in_thread  (void);
ByokCatalog  *byok_catalog_new_default_providers  (void);
ByokCatalog  *byok_catalog_new_from_file          (const char         *path,
                                                   GError            **error);
ByokCatalog  *byok_catalog_new_from_data          (const char         *data,
                                                   gssize              length,
                                                   GError            **error);

GPtrArray    *byok_catalog_get_providers          (ByokCatalog        *self);
ByokProvider *byok_catalog_lookup_provider        (ByokCatalog        *self,
                                                   const char         *provider_id);
ByokProvider *byok_catalog_get_custom_template    (ByokCatalog        *self);

GPtrArray    *byok_catalog_get_models             (ByokCatalog        *self,
                                                   const char         *provider_id);
GPtrArray    *byok_catalog_get_all_models         (ByokCatalog        *self);
ByokModel    *byok_catalog_lookup_model           (ByokCatalog        *self,
                                                   const char         *provider_id,
                                                   const char         *model_id);
ByokModel    *byok_catalog_find_model             (ByokCatalog        *self,
                                                   const char         *model_id);

ByokProvider *byok_catalog_add_custom_provider    (ByokCatalog        *self,
                                                   const char         *id,
                                                   const char         *name,
                                                   const char         *base_url,
                                                   gboolean            needs_key,
                                                   GError            **error);
ByokProvider *byok_catalog_lookup_custom_provider (ByokCatalog        *self,
                                                   const char         *id,
                                                   GError            **error);
gboolean      byok_catalog_remove_custom_provider (ByokCatalog        *self,
                                                   const char         *id,
                                                   GError            **error);

guint         byok_catalog_merge_models           (ByokCatalog        *self,
                                                   const char         *provider_id,
                                                   const char * const *model_ids);

void          byok_catalog_set_price_data         (ByokCatalog        *self,
                                                   ByokPriceData      *data,
                                                   const char         *source,
                                                   const char         *date);
ByokPriceData *byok_catalog_get_price_data        (ByokCatalog        *self);
const ByokPriceDataModel *
              byok_catalog_find_price_data_model  (ByokPriceData      *data,
                                                   ByokModel          *model);
gboolean      byok_catalog_price_data_takes       (ByokModel          *model,
                                                   const ByokPriceDataModel *known);
gboolean      byok_catalog_price_data_is_new      (ByokCatalog        *self,
                                                   const ByokPriceDataModel *known);

GPtrArray    *byok_catalog_recommend              (ByokCatalog        *self,
                                                   const char         *use_case,
                                                   guint               n);
char         *byok_catalog_suggest_model          (ByokCatalog        *self,
                                                   const char         *provider_id,
                                                   const char         *bad_id);

G_END_DECLS
