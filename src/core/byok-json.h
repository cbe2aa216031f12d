/* byok-json.h — forgiving access to JSON from providers
 *
 * Provider JSON is read defensively: a member may be missing, null, or of an
 * unexpected type. These helpers return NULL / FALSE in all of those cases
 * instead of warning, so callers read what is there and ignore the rest.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* How deep arrays and objects may nest in JSON Byok reads: far more than
 * any API sends, far less than what overflows json-glib's recursion. */
#define BYOK_JSON_MAX_DEPTH 256

gboolean     byok_json_nesting_ok         (const char  *data,
                                           gssize       len);
gboolean     byok_json_load               (JsonParser  *parser,
                                           const char  *data,
                                           gssize       len,
                                           GError     **error);
JsonNode    *byok_json_parse              (const char  *data,
                                           gsize        len,
                                           GError     **error);

JsonObject  *byok_json_get_object         (JsonObject  *object,
                                           const char  *member);
JsonArray   *byok_json_get_array          (JsonObject  *object,
                                           const char  *member);
const char  *byok_json_get_string         (JsonObject  *object,
                                           const char  *member);
gboolean     byok_json_get_int            (JsonObject  *object,
                                           const char  *member,
                                           gint64      *out);
gboolean     byok_json_get_bool           (JsonObject  *object,
                                           const char  *member,
                                           gboolean    *out);
char        *byok_json_dup_scalar         (JsonObject  *object,
                                           const char  *member);
gboolean     byok_json_has_value          (JsonObject  *object,
                                           const char  *member);
JsonObject  *byok_json_array_get_object   (JsonArray   *array,
                                           guint        index);

GBytes      *byok_json_builder_to_bytes   (JsonBuilder *builder);

G_END_DECLS
