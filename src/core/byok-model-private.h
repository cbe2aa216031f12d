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

/* "… (local)" in the catalog, with the suffix in the person's language
 * (a provider's name too): @name is replaced. */
void          _byok_model_localize_name    (char        **name);

G_END_DECLS
