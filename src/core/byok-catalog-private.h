/* byok-catalog-private.h — the catalog's compiled form: data/catalog.json
 * read at build time (byok-catalog-compile) and kept as a GVariant, which
 * byok_catalog_new_default() reads without parsing any JSON (issue 13) */
#pragma once

#include "byok-catalog.h"
#include "byok-model-private.h"
#include "byok-provider-private.h"

G_BEGIN_DECLS

/* Every provider in catalog order, the custom template last, each with its
 * models in catalog order. */
#define _BYOK_CATALOG_VARIANT_TYPE "a(" _BYOK_PROVIDER_VARIANT_TYPE "a" _BYOK_MODEL_VARIANT_TYPE ")"

GVariant    *_byok_catalog_to_variant       (ByokCatalog *self);

G_END_DECLS
