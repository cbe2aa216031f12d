/* byok-json.h — reading JSON, forgiving or strict
 *
 * Provider JSON is read defensively: a member may be missing, null, or of an
 * unexpected type. byok_json_get_*() return NULL / FALSE in all of those
 * cases instead of warning, so callers read what is there and ignore the
 * rest.
 *
 * Byok's own JSON (the catalog, price data) is read strictly:
 * byok_json_expect_*() fail with a BYOK_ERROR_MALFORMED error that names
 * what is wrong as "WHERE: WHAT", WHERE being e.g. `provider "openai",
 * model "gpt-4o"`. A null member counts as absent; byok_json_expect_members()
 * refuses members it was not told of (those starting with "_" are comments).
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
gboolean     byok_json_get_number         (JsonObject  *object,
                                           const char  *member,
                                           double      *out);
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
/* A member of the object @builder is in: its name and its value, in one
 * call. */
void         byok_json_builder_add_string (JsonBuilder *builder,
                                           const char  *member,
                                           const char  *value);
void         byok_json_builder_add_int    (JsonBuilder *builder,
                                           const char  *member,
                                           gint64       value);
void         byok_json_builder_add_double (JsonBuilder *builder,
                                           const char  *member,
                                           double       value);
void         byok_json_builder_add_boolean (JsonBuilder *builder,
                                            const char  *member,
                                            gboolean     value);
void         byok_json_builder_add_string_or_null (JsonBuilder *builder,
                                                   const char  *member,
                                                   const char  *value);
void         byok_json_builder_add_double_or_null (JsonBuilder *builder,
                                                   const char  *member,
                                                   double       value);

/* Strict */
void         byok_json_set_malformed      (GError            **error,
                                           const char         *where,
                                           const char         *format,
                                           ...) G_GNUC_PRINTF (3, 4);
gboolean     byok_json_expect_members     (JsonObject         *object,
                                           const char * const *allowed,
                                           const char         *where,
                                           GError            **error);
gboolean     byok_json_expect_string      (JsonObject         *object,
                                           const char         *member,
                                           gboolean            required,
                                           const char         *where,
                                           char              **out,
                                           GError            **error);
gboolean     byok_json_expect_int         (JsonObject         *object,
                                           const char         *member,
                                           gboolean            required,
                                           gint64              min,
                                           const char         *where,
                                           gint64             *out,
                                           GError            **error);
gboolean     byok_json_expect_bool        (JsonObject         *object,
                                           const char         *member,
                                           const char         *where,
                                           gboolean           *out,
                                           GError            **error);
gboolean     byok_json_expect_strv        (JsonObject         *object,
                                           const char         *member,
                                           const char         *where,
                                           GStrv              *out,
                                           GError            **error);
gboolean     byok_json_expect_object      (JsonObject         *object,
                                           const char         *member,
                                           gboolean            required,
                                           const char         *where,
                                           JsonObject        **out,
                                           GError            **error);
gboolean     byok_json_expect_array       (JsonObject         *object,
                                           const char         *member,
                                           const char         *where,
                                           JsonArray         **out,
                                           GError            **error);

G_END_DECLS
