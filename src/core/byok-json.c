/* byok-json.c — forgiving access to JSON from providers */
#define G_LOG_DOMAIN "byok-json"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "byok-error.h"
#include "byok-json.h"

/**
 * byok_json_parse:
 * @data: the bytes of one JSON document, not necessarily nul-terminated
 * @len: their length
 *
 * Parses @data, which must be valid UTF-8 holding one JSON value; leading
 * and trailing whitespace is allowed.
 *
 * Returns: (transfer full): the root node, or NULL with a
 *   %BYOK_ERROR_MALFORMED error (invalid UTF-8, empty, truncated or not JSON).
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
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local_error))
    {
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

/**
 * byok_json_get_int:
 * Reads @member as an integer. Doubles are truncated; a string of digits
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
    *out = (gint64) json_node_get_double (node);
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
    return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) json_node_get_double (node));
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
