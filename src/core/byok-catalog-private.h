/* byok-catalog-private.h — shared by the catalog, provider, model and pricing
 * files: strict readers for catalog JSON and the constructors that use them.
 * Not for use outside src/core/byok-{catalog,provider,model,pricing}.c and
 * their tests.
 *
 * Each reader names what is wrong in a BYOK_ERROR_MALFORMED error as
 * "WHERE: WHAT", WHERE being e.g. `provider "openai", model "gpt-4o"`.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "byok-model.h"
#include "byok-provider.h"

G_BEGIN_DECLS

void          byok_catalog_set_malformed   (GError          **error,
                                            const char       *where,
                                            const char       *format,
                                            ...) G_GNUC_PRINTF (3, 4);

gboolean      byok_catalog_check_members   (JsonObject       *object,
                                            const char * const *allowed,
                                            const char       *where,
                                            GError          **error);
gboolean      byok_catalog_read_string     (JsonObject       *object,
                                            const char       *member,
                                            gboolean          required,
                                            const char       *where,
                                            char            **out,
                                            GError          **error);
gboolean      byok_catalog_read_int        (JsonObject       *object,
                                            const char       *member,
                                            gboolean          required,
                                            gint64            min,
                                            const char       *where,
                                            gint64           *out,
                                            GError          **error);
gboolean      byok_catalog_read_bool       (JsonObject       *object,
                                            const char       *member,
                                            const char       *where,
                                            gboolean         *out,
                                            GError          **error);
gboolean      byok_catalog_read_rate       (JsonObject       *object,
                                            const char       *member,
                                            const char       *where,
                                            double           *out,
                                            GError          **error);
gboolean      byok_catalog_read_strv       (JsonObject       *object,
                                            const char       *member,
                                            const char       *where,
                                            GStrv            *out,
                                            GError          **error);
gboolean      byok_catalog_read_object     (JsonObject       *object,
                                            const char       *member,
                                            gboolean          required,
                                            const char       *where,
                                            JsonObject      **out,
                                            GError          **error);
gboolean      byok_catalog_read_array      (JsonObject       *object,
                                            const char       *member,
                                            const char       *where,
                                            JsonArray       **out,
                                            GError          **error);

gboolean      byok_price_read_json         (JsonNode         *node,
                                            const char       *where,
                                            ByokPrice        *price,
                                            GError          **error);

ByokProvider *byok_provider_new_from_json  (JsonObject       *object,
                                            GError          **error);
ByokModel    *byok_model_new_from_json     (const char       *provider_id,
                                            JsonObject       *object,
                                            GError          **error);

G_END_DECLS
