/* byok-json.c — forgiving access to JSON from providers */
#define G_LOG_DOMAIN "byok-json"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "byok-error.h"
#include "byok-json.h"

/* json-glib decodes a lone surrogate escape ("\ud83d") into bytes that are
 * not UTF-8; nothing built from such a document may reach a GString or a
 * signal. Returns whether every string and member name of @node is UTF-8. */
static gboolean
node_is_utf8 (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          {
            if (!g_utf8_validate (name, -1, NULL) || !node_is_utf8 (member))
              return FALSE;
          }
        return TRUE;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (!node_is_utf8 (json_array_get_element (array, i)))
              return FALSE;
          }
        return TRUE;
      }
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return g_utf8_validate (json_node_get_string (node), -1, NULL);
      return TRUE;
    case JSON_NODE_NULL:
    default:
      return TRUE;
    }
}

/**
 * byok_json_nesting_ok:
 * @data: JSON text, not necessarily valid, nor nul-terminated
 * @len: its length, or -1 if it is nul-terminated
 *
 * json-glib reads nested arrays and objects by recursion: a document
 * nested 100,000 deep overflows the stack inside it. This scanner, which
 * knows strings and their escapes and nothing else, runs before it and
 * says whether any array or object lies deeper than %BYOK_JSON_MAX_DEPTH.
 * It does not check that @data is JSON: json-glib does that next.
 *
 * Returns: whether @data may be given to json-glib.
 */
gboolean
byok_json_nesting_ok (const char *data,
                      gssize      len)
{
  const char *p = data;
  const char *end;
  guint depth = 0;

  if (data == NULL)
    return TRUE;
  end = data + (len < 0 ? strlen (data) : (gsize) len);

  while (p < end)
    {
      switch (*p++)
        {
        case '[':
        case '{':
          if (++depth > BYOK_JSON_MAX_DEPTH)
            return FALSE;
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        case '"':
          /* To the closing quote; a backslash escapes the byte after it. */
          while (p < end && *p != '"')
            p += (*p == '\\' && end - p >= 2) ? 2 : 1;
          if (p < end)
            p++;
          break;
        default:
          break;
        }
    }
  return TRUE;
}

/**
 * byok_json_load:
 * @parser: a parser
 * @data: JSON text from outside: a provider, a file, a database column
 * @len: its length, or -1 if it is nul-terminated
 *
 * The one way Byok hands text to json-glib: json_parser_load_from_data()
 * behind byok_json_nesting_ok(). Every parse in Byok goes through here.
 *
 * Returns: FALSE with %BYOK_ERROR_MALFORMED (nested too deep) or json-glib's
 *   own error (not JSON)
 */
gboolean
byok_json_load (JsonParser  *parser,
                const char  *data,
                gssize       len,
                GError     **error)
{
  g_return_val_if_fail (JSON_IS_PARSER (parser), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  if (!byok_json_nesting_ok (data, len))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                   _("The JSON is nested more than %u levels deep; Byok does not read it."),
                   BYOK_JSON_MAX_DEPTH);
      return FALSE;
    }
  return json_parser_load_from_data (parser, data, len, error);
}

/**
 * byok_json_parse:
 * @data: the bytes of one JSON document, not necessarily nul-terminated
 * @len: their length
 *
 * Parses @data, which must be valid UTF-8 holding one JSON value; leading
 * and trailing whitespace is allowed. Every string in it must be UTF-8 once
 * its escapes are decoded: a lone surrogate ("\ud83d") is refused.
 *
 * Returns: (transfer full): the root node, or NULL with a
 *   %BYOK_ERROR_MALFORMED error (invalid UTF-8, empty, truncated, not JSON,
 *   or nested deeper than %BYOK_JSON_MAX_DEPTH).
 */
JsonNode *
byok_json_parse (const char  *data,
                 gsize        len,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (data == NULL || len == 0)
    {
      g_set_error_literal (error, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                           _("The response was empty."));
      return NULL;
    }

  if (!g_utf8_validate_len (data, len, NULL))
    {
      g_set_error_literal (error, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                           _("The response is not valid UTF-8."));
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!byok_json_load (parser, data, (gssize) len, &local_error))
    {
      if (local_error->domain == BYOK_ERROR)   /* nested too deep */
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_debug ("Invalid JSON: %s", local_error->message);
      g_set_error_literal (error, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                           _("The response is not valid JSON, or it was cut short."));
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                           _("The response was empty."));
      return NULL;
    }
  if (!node_is_utf8 (root))
    {
      g_debug ("Invalid JSON: an escape that is not a character");
      g_set_error_literal (error, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                           _("The response is not valid JSON, or it was cut short."));
      return NULL;
    }

  return json_node_ref (root);
}

static JsonNode *
get_member (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL || member == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

/**
 * byok_json_get_object:
 * Returns: (transfer none) (nullable): @member of @object if it is an object.
 *   @object may be NULL.
 */
JsonObject *
byok_json_get_object (JsonObject *object,
                      const char *member)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

/**
 * byok_json_get_array:
 * Returns: (transfer none) (nullable): @member of @object if it is an array.
 */
JsonArray *
byok_json_get_array (JsonObject *object,
                     const char *member)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

/**
 * byok_json_get_string:
 * Returns: (transfer none) (nullable): @member of @object if it is a string.
 */
const char *
byok_json_get_string (JsonObject *object,
                      const char *member)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A JSON number written as a double (1e3, 42.0): its integer part, when it
 * has one a gint64 can hold (1e300, a cast of which is undefined, has not). */
static gboolean
double_to_int64 (double  value,
                 gint64 *out)
{
  /* 2^63, exactly representable; every double below it fits. */
  const double limit = 9223372036854775808.0;

  if (!isfinite (value) || value >= limit || value < -limit)
    return FALSE;
  *out = (gint64) value;
  return TRUE;
}

/**
 * byok_json_get_number:
 * Reads @member as a finite number: a JSON number, or a decimal string
 * (DeepSeek's balances "110.00", Anthropic's cost report "12.50").
 *
 * Returns: whether @member held one; @out is untouched otherwise.
 */
gboolean
byok_json_get_number (JsonObject *object,
                      const char *member,
                      double     *out)
{
  JsonNode *node = get_member (object, member);
  double value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      value = (double) json_node_get_int (node);
      break;
    case G_TYPE_DOUBLE:
      value = json_node_get_double (node);
      break;
    case G_TYPE_STRING:
      {
        const char *text = json_node_get_string (node);
        char *end = NULL;

        if (text == NULL || *text == '\0')
          return FALSE;
        value = g_ascii_strtod (text, &end);
        if (*end != '\0')
          return FALSE;
      }
      break;
    default:
      return FALSE;
    }
  if (!isfinite (value))
    return FALSE;
  *out = value;
  return TRUE;
}

/**
 * byok_json_get_int:
 * Reads @member as an integer. Doubles are truncated (those out of a
 * gint64's range, or not finite, are not numbers here); a string of digits
 * (some providers quote numbers) is accepted too.
 *
 * Returns: whether @member held a number; @out is untouched otherwise.
 */
gboolean
byok_json_get_int (JsonObject *object,
                   const char *member,
                   gint64     *out)
{
  JsonNode *node = get_member (object, member);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *out = json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    {
      gint64 value;

      if (!double_to_int64 (json_node_get_double (node), &value))
        return FALSE;
      *out = value;
    }
  else if (type == G_TYPE_STRING)
    {
      const char *str = json_node_get_string (node);
      gint64 value;

      if (str == NULL || !g_ascii_string_to_signed (str, 10, G_MININT64, G_MAXINT64, &value, NULL))
        return FALSE;
      *out = value;
    }
  else
    return FALSE;

  return TRUE;
}

/**
 * byok_json_get_bool:
 * Returns: whether @member held a boolean; @out is untouched otherwise.
 */
gboolean
byok_json_get_bool (JsonObject *object,
                    const char *member,
                    gboolean   *out)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;
  *out = json_node_get_boolean (node);
  return TRUE;
}

/**
 * byok_json_dup_scalar:
 * Returns: (transfer full) (nullable): @member as a string if it is a string,
 *   an integer or a boolean — for error codes, which some providers send as
 *   numbers and others as strings ("1113").
 */
char *
byok_json_dup_scalar (JsonObject *object,
                      const char *member)
{
  JsonNode *node = get_member (object, member);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (type == G_TYPE_DOUBLE)
    {
      gint64 value;
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      if (double_to_int64 (json_node_get_double (node), &value))
        return g_strdup_printf ("%" G_GINT64_FORMAT, value);
      return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
    }
  if (type == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");
  return NULL;
}

/**
 * byok_json_has_value:
 * Returns: whether @member exists and is not null.
 */
gboolean
byok_json_has_value (JsonObject *object,
                     const char *member)
{
  return get_member (object, member) != NULL;
}

/**
 * byok_json_array_get_object:
 * Returns: (transfer none) (nullable): element @index of @array if it exists
 *   and is an object. @array may be NULL.
 */
JsonObject *
byok_json_array_get_object (JsonArray *array,
                            guint      index)
{
  JsonNode *node;

  if (array == NULL || index >= json_array_get_length (array))
    return NULL;
  node = json_array_get_element (array, index);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

void
byok_json_builder_add_string (JsonBuilder *builder,
                              const char  *member,
                              const char  *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

void
byok_json_builder_add_int (JsonBuilder *builder,
                           const char  *member,
                           gint64       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

void
byok_json_builder_add_double (JsonBuilder *builder,
                              const char  *member,
                              double       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_double_value (builder, value);
}

void
byok_json_builder_add_boolean (JsonBuilder *builder,
                               const char  *member,
                               gboolean     value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_boolean_value (builder, value);
}

/**
 * byok_json_builder_add_string_or_null:
 * @value: (nullable): the member's value
 *
 * Adds the member @member: @value, or null when it is %NULL.
 */
void
byok_json_builder_add_string_or_null (JsonBuilder *builder,
                                      const char  *member,
                                      const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/**
 * byok_json_builder_add_double_or_null:
 *
 * Adds the member @member: @value, or null when it is not a number (NAN,
 * which is how Byok says a rate or a cost is unknown).
 */
void
byok_json_builder_add_double_or_null (JsonBuilder *builder,
                                      const char  *member,
                                      double       value)
{
  json_builder_set_member_name (builder, member);
  if (isnan (value))
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, value);
}

/**
 * byok_json_builder_to_bytes:
 * Returns: (transfer full): the compact JSON text of @builder's root.
 */
GBytes *
byok_json_builder_to_bytes (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  gsize len = 0;
  char *text;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

/* Strict readers ----------------------------------------------------------- */

void
byok_json_set_malformed (GError     **error,
                         const char  *where,
                         const char  *format,
                         ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED, "%s: %s", where, what);
}

/* Members whose name starts with "_" are comments and always allowed. */
gboolean
byok_json_expect_members (JsonObject          *object,
                          const char * const  *allowed,
                          const char          *where,
                          GError             **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (name[0] == '_' || g_strv_contains (allowed, name))
        continue;
      byok_json_set_malformed (error, where, _("unknown member “%s”"), name);
      return FALSE;
    }
  return TRUE;
}

/* What a strict reader wants a member to be. */
typedef enum {
  EXPECT_ANY,       /* checked by the caller */
  EXPECT_STRING,
  EXPECT_BOOLEAN,
  EXPECT_STRV,      /* a list; its elements checked by the caller */
  EXPECT_OBJECT,
  EXPECT_ARRAY,
} Expect;

/* Whether @node is what @expect asks; else the error saying so. */
static gboolean
check_node (JsonNode    *node,
            Expect       expect,
            const char  *member,
            const char  *where,
            GError     **error)
{
  gboolean is_value = JSON_NODE_HOLDS_VALUE (node);

  switch (expect)
    {
    case EXPECT_ANY:
      return TRUE;
    case EXPECT_STRING:
      if (is_value && json_node_get_value_type (node) == G_TYPE_STRING)
        return TRUE;
      byok_json_set_malformed (error, where, _("“%s” must be a string"), member);
      return FALSE;
    case EXPECT_BOOLEAN:
      if (is_value && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        return TRUE;
      byok_json_set_malformed (error, where, _("“%s” must be true or false"), member);
      return FALSE;
    case EXPECT_STRV:
      if (JSON_NODE_HOLDS_ARRAY (node))
        return TRUE;
      byok_json_set_malformed (error, where, _("“%s” must be a list of strings"), member);
      return FALSE;
    case EXPECT_OBJECT:
      if (JSON_NODE_HOLDS_OBJECT (node))
        return TRUE;
      byok_json_set_malformed (error, where, _("“%s” must be an object"), member);
      return FALSE;
    case EXPECT_ARRAY:
      if (JSON_NODE_HOLDS_ARRAY (node))
        return TRUE;
      byok_json_set_malformed (error, where, _("“%s” must be a list"), member);
      return FALSE;
    default:
      g_assert_not_reached ();
    }
}

/* What every strict reader starts with: @member's node in @node, %NULL
 * when it is absent or null. Returns %FALSE with an error when it is
 * @required and absent, or present and not what @expect asks. */
static gboolean
expect_node (JsonObject   *object,
             const char   *member,
             gboolean      required,
             Expect        expect,
             const char   *where,
             JsonNode    **node,
             GError      **error)
{
  *node = json_object_get_member (object, member);
  if (*node != NULL && JSON_NODE_HOLDS_NULL (*node))
    *node = NULL;

  if (*node == NULL)
    {
      if (!required)
        return TRUE;
      byok_json_set_malformed (error, where, _("“%s” is missing"), member);
      return FALSE;
    }
  return check_node (*node, expect, member, where, error);
}

gboolean
byok_json_expect_string (JsonObject  *object,
                         const char  *member,
                         gboolean     required,
                         const char  *where,
                         char       **out,
                         GError     **error)
{
  JsonNode *node;

  g_clear_pointer (out, g_free);
  if (!expect_node (object, member, required, EXPECT_STRING, where, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (required && *json_node_get_string (node) == '\0')
    {
      byok_json_set_malformed (error, where, _("“%s” is empty"), member);
      return FALSE;
    }
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

gboolean
byok_json_expect_int (JsonObject  *object,
                      const char  *member,
                      gboolean     required,
                      gint64       min,
                      const char  *where,
                      gint64      *out,
                      GError     **error)
{
  JsonNode *node;

  if (!expect_node (object, member, required, EXPECT_ANY, where, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < min)
    {
      byok_json_set_malformed (error, where,
                               _("“%s” must be a whole number of at least %" PRId64),
                               member, min);
      return FALSE;
    }
  *out = json_node_get_int (node);
  return TRUE;
}

gboolean
byok_json_expect_bool (JsonObject  *object,
                       const char  *member,
                       const char  *where,
                       gboolean    *out,
                       GError     **error)
{
  JsonNode *node;

  *out = FALSE;
  if (!expect_node (object, member, FALSE, EXPECT_BOOLEAN, where, &node, error))
    return FALSE;
  if (node != NULL)
    *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
byok_json_expect_strv (JsonObject  *object,
                       const char  *member,
                       const char  *where,
                       GStrv       *out,
                       GError     **error)
{
  JsonNode *node;
  JsonArray *array;
  g_autoptr(GPtrArray) strv = NULL;

  g_clear_pointer (out, g_strfreev);
  if (!expect_node (object, member, FALSE, EXPECT_STRV, where, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  array = json_node_get_array (node);
  strv = g_ptr_array_new_null_terminated (json_array_get_length (array), g_free, TRUE);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) ||
          json_node_get_value_type (element) != G_TYPE_STRING ||
          *json_node_get_string (element) == '\0')
        {
          byok_json_set_malformed (error, where,
                                   _("“%s” must be a list of non-empty strings"), member);
          return FALSE;
        }
      g_ptr_array_add (strv, g_strdup (json_node_get_string (element)));
    }

  *out = (GStrv) g_ptr_array_free (g_steal_pointer (&strv), FALSE);
  return TRUE;
}

gboolean
byok_json_expect_object (JsonObject   *object,
                         const char   *member,
                         gboolean      required,
                         const char   *where,
                         JsonObject  **out,
                         GError      **error)
{
  JsonNode *node;

  *out = NULL;
  if (!expect_node (object, member, required, EXPECT_OBJECT, where, &node, error))
    return FALSE;
  if (node != NULL)
    *out = json_node_get_object (node);
  return TRUE;
}

gboolean
byok_json_expect_array (JsonObject  *object,
                        const char  *member,
                        const char  *where,
                        JsonArray  **out,
                        GError     **error)
{
  JsonNode *node;

  *out = NULL;
  if (!expect_node (object, member, FALSE, EXPECT_ARRAY, where, &node, error))
    return FALSE;
  if (node != NULL)
    *out = json_node_get_array (node);
  return TRUE;
}

