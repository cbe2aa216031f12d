/* byok-model-private.h — for the catalog: a model from its JSON */
#pragma once

#include <json-glib/json-glib.h>

#include "byok-model.h"

G_BEGIN_DECLS

/* Reads one entry of a provider's "models" (byok-json.h's strict readers):
 * a BYOK_ERROR_MALFORMED error names what is wrong. */
ByokModel    *_byok_model_new_from_json    (const char   *provider_id,
                                            JsonObject   *object,
                                            GError      **error);

/* The catalog's compiled form (byok-catalog-compile): a model as its JSON
 * gave it, and back. */
#define _BYOK_PRICE_VARIANT_TYPE "((dddd)a(xdddd))"
#define _BYOK_MODEL_VARIANT_TYPE \
  "(ssmasxxumasims" _BYOK_PRICE_VARIANT_TYPE "msmsma(s" _BYOK_PRICE_VARIANT_TYPE "s)b" \
  _BYOK_PRICE_VARIANT_TYPE "budduums)"

GVariant     *_byok_model_to_variant       (ByokModel    *self);
ByokModel    *_byok_model_new_from_variant (const char   *provider_id,
                                            GVariant     *variant);

/* A GStrv that may be NULL, as "mas"; and a tuple's children, read. */
GVariant     *_byok_strv_to_variant        (const char * const *strv);
char         *_byok_variant_dup_string_at  (GVariant     *tuple,
                                            gsize         i);
GStrv         _byok_variant_dup_strv_at    (GVariant     *tuple,
                                            gsize         i);
guint32       _byok_variant_get_uint32_at  (GVariant     *tuple,
                                            gsize         i);

/* "… (local)" in the catalog, with the suffix in the person's language
 * (a provider's name too): @name is replaced. */
void          _byok_model_localize_name    (char        **name);

G_END_DECLS
