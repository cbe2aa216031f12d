/* byok-mcp-tool-result.c — what a tool call gave back */
#define G_LOG_DOMAIN "byok-mcp"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "byok-json.h"
#include "byok-mcp-tool-result.h"

G_DEFINE_BOXED_TYPE (ByokMcpToolResult, byok_mcp_tool_result,
                     byok_mcp_tool_result_copy, byok_mcp_tool_result_free)

static void
image_free (gpointer data)
{
  ByokMcpImage *image = data;

  g_free (image->mime_type);
  g_bytes_unref (image->data);
  g_free (image);
}

ByokMcpToolResult *
byok_mcp_tool_result_new (void)
{
  ByokMcpToolResult *self = g_new0 (ByokMcpToolResult, 1);

  self->text = g_strdup ("");
  self->images = g_ptr_array_new_with_free_func (image_free);
  self->links = g_ptr_array_new_with_free_func (g_free);
  return self;
}

ByokMcpToolResult *
byok_mcp_tool_result_copy (const ByokMcpToolResult *self)
{
  ByokMcpToolResult *copy = byok_mcp_tool_result_new ();

  g_free (copy->text);
  copy->text = g_strdup (self->text);
  for (guint i = 0; i < self->images->len; i++)
    {
      const ByokMcpImage *image = g_ptr_array_index (self->images, i);
      ByokMcpImage *dup = g_new0 (ByokMcpImage, 1);

      dup->mime_type = g_strdup (image->mime_type);
      dup->data = g_bytes_ref (image->data);
      g_ptr_array_add (copy->images, dup);
    }
  for (guint i = 0; i < self->links->len; i++)
    g_ptr_array_add (copy->links, g_strdup (g_ptr_array_index (self->links, i)));
  copy->structured = self->structured != NULL ? json_node_copy (self->structured) : NULL;
  copy->is_error = self->is_error;
  return copy;
}

void
byok_mcp_tool_result_free (ByokMcpToolResult *self)
{
  if (self == NULL)
    return;
  g_free (self->text);
  g_ptr_array_unref (self->images);
  g_ptr_array_unref (self->links);
  g_clear_pointer (&self->structured, json_node_unref);
  g_free (self);
}

static void
append_part (GString    *text,
             const char *part)
{
  if (part == NULL || *part == '\0')
    return;
  if (text->len > 0)
    g_string_append (text, "\n\n");
  g_string_append (text, part);
}

static const char *
mime_or (JsonObject *item,
         const char *fallback)
{
  const char *mime = byok_json_get_string (item, "mimeType");

  return mime != NULL && *mime != '\0' ? mime : fallback;
}

static void
add_item (ByokMcpToolResult *self,
          GString           *text,
          JsonObject        *item)
{
  const char *type = byok_json_get_string (item, "type");

  if (g_strcmp0 (type, "text") == 0)
    append_part (text, byok_json_get_string (item, "text"));
  else if (g_strcmp0 (type, "image") == 0)
    {
      const char *data = byok_json_get_string (item, "data");
      g_autofree char *placeholder = g_strdup_printf ("[%s image]", mime_or (item, "image"));

      if (data != NULL)
        {
          ByokMcpImage *image = g_new0 (ByokMcpImage, 1);
          gsize len = 0;
          guchar *bytes = g_base64_decode (data, &len);

          image->mime_type = g_strdup (mime_or (item, "application/octet-stream"));
          image->data = g_bytes_new_take (bytes, len);
          g_ptr_array_add (self->images, image);
        }
      append_part (text, placeholder);
    }
  else if (g_strcmp0 (type, "audio") == 0)
    {
      g_autofree char *placeholder = g_strdup_printf ("[%s audio]", mime_or (item, "audio"));

      append_part (text, placeholder);
    }
  else if (g_strcmp0 (type, "resource_link") == 0)
    {
      const char *uri = byok_json_get_string (item, "uri");
      const char *name = byok_json_get_string (item, "title");
      const char *description = byok_json_get_string (item, "description");
      g_autofree char *line = NULL;

      if (name == NULL)
        name = byok_json_get_string (item, "name");
      line = g_strdup_printf ("[resource: %s <%s>]%s%s", name != NULL ? name : "", uri != NULL ? uri : "",
                              description != NULL ? "\n" : "", description != NULL ? description : "");
      if (uri != NULL)
        g_ptr_array_add (self->links, g_strdup (uri));
      append_part (text, line);
    }
  else if (g_strcmp0 (type, "resource") == 0)
    {
      JsonObject *resource = byok_json_get_object (item, "resource");
      const char *uri = resource != NULL ? byok_json_get_string (resource, "uri") : NULL;
      const char *body = resource != NULL ? byok_json_get_string (resource, "text") : NULL;
      g_autofree char *part = NULL;

      if (body != NULL)
        part = g_strdup_printf ("[resource <%s>]\n%s", uri != NULL ? uri : "", body);
      else
        part = g_strdup_printf ("[resource <%s>: %s]", uri != NULL ? uri : "",
                                resource != NULL ? mime_or (resource, "binary") : "binary");
      append_part (text, part);
    }
}

/**
 * byok_mcp_tool_result_new_from_json:
 * @result: (nullable): the `result` of a `tools/call`
 *
 * Returns: (transfer full): the result, ready for a model
 */
ByokMcpToolResult *
byok_mcp_tool_result_new_from_json (JsonObject *result)
{
  ByokMcpToolResult *self = byok_mcp_tool_result_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  JsonArray *content = result != NULL ? byok_json_get_array (result, "content") : NULL;

  if (result != NULL)
    byok_json_get_bool (result, "isError", &self->is_error);
  for (guint i = 0; content != NULL && i < json_array_get_length (content); i++)
    {
      JsonObject *item = byok_json_array_get_object (content, i);

      if (item != NULL)
        add_item (self, text, item);
    }
  if (result != NULL && json_object_has_member (result, "structuredContent"))
    {
      self->structured = json_node_copy (json_object_get_member (result, "structuredContent"));
      if (text->len == 0)
        {
          g_autofree char *json = json_to_string (self->structured, FALSE);

          g_string_append (text, json);
        }
    }
  g_free (self->text);
  self->text = g_string_free (g_steal_pointer (&text), FALSE);
  return self;
}
