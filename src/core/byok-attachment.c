/* byok-attachment.c — a text file attached to a message */
#define G_LOG_DOMAIN "byok-attachment"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "byok-attachment.h"
#include "byok-error.h"
#include "byok-json.h"
#include "byok-tokens.h"

G_DEFINE_BOXED_TYPE (ByokAttachment, byok_attachment, byok_attachment_copy, byok_attachment_free)

/**
 * byok_attachment_new:
 * @text: valid UTF-8
 *
 * Returns: (transfer full): an attachment with its token estimate
 */
ByokAttachment *
byok_attachment_new (const char *name,
                     const char *text)
{
  ByokAttachment *attachment;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  attachment = g_new0 (ByokAttachment, 1);
  attachment->name = g_strdup (name);
  attachment->text = g_strdup (text);
  attachment->tokens = byok_estimate_tokens (text, -1);
  return attachment;
}

/**
 * byok_attachment_new_from_bytes:
 *
 * Checks that @bytes are text and makes an attachment of them.
 *
 * Returns: (transfer full) (nullable): the attachment, or %NULL with
 *   BYOK_ERROR_INVALID when @bytes are not text or too large
 */
ByokAttachment *
byok_attachment_new_from_bytes (const char  *name,
                                GBytes      *bytes,
                                GError     **error)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);
  g_autofree char *text = NULL;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (bytes != NULL, NULL);

  if (size > BYOK_ATTACHMENT_MAX_BYTES)
    {
      g_autofree char *limit = g_format_size (BYOK_ATTACHMENT_MAX_BYTES);
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("“%s” is larger than %s, more than any model can read at once"), name, limit);
      return NULL;
    }
  if (size >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      size -= 3;
    }
  if (size == 0)
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID, _("“%s” is empty"), name);
      return NULL;
    }
  if (memchr (data, '\0', size) != NULL || !g_utf8_validate_len (data, size, NULL))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("“%s” is not a text file: only UTF-8 text can be attached"), name);
      return NULL;
    }

  text = g_strndup (data, size);
  return byok_attachment_new (name, text);
}

ByokAttachment *
byok_attachment_copy (const ByokAttachment *attachment)
{
  ByokAttachment *copy;

  g_return_val_if_fail (attachment != NULL, NULL);

  copy = g_new0 (ByokAttachment, 1);
  copy->name = g_strdup (attachment->name);
  copy->text = g_strdup (attachment->text);
  copy->tokens = attachment->tokens;
  copy->kind = attachment->kind;
  copy->mime_type = g_strdup (attachment->mime_type);
  copy->hash = g_strdup (attachment->hash);
  copy->data = attachment->data != NULL ? g_bytes_ref (attachment->data) : NULL;
  copy->width = attachment->width;
  copy->height = attachment->height;
  copy->pages = attachment->pages;
  return copy;
}

void
byok_attachment_free (ByokAttachment *attachment)
{
  if (attachment == NULL)
    return;
  g_free (attachment->name);
  g_free (attachment->text);
  g_free (attachment->mime_type);
  g_free (attachment->hash);
  g_clear_pointer (&attachment->data, g_bytes_unref);
  g_free (attachment);
}

/* ---- loading a file ------------------------------------------------------ */

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *basename = NULL;
  const char *name;
  gsize length = 0;
  ByokAttachment *attachment;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &error);
  basename = g_file_get_basename (file);
  name = info != NULL ? g_file_info_get_display_name (info) : basename;
  if (name == NULL)
    name = "?";

  if (info != NULL && g_file_info_get_size (info) > BYOK_ATTACHMENT_MAX_BYTES)
    {
      g_autofree char *limit = g_format_size (BYOK_ATTACHMENT_MAX_BYTES);
      g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_INVALID,
                               _("“%s” is larger than %s, more than any model can read at once"), name, limit);
      return;
    }

  g_clear_error (&error);
  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_CANCELLED, "%s", error->message);
      else
        g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_INVALID,
                                 _("Could not read “%s”: %s"), name, error->message);
      return;
    }

  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  attachment = byok_attachment_new_from_bytes (name, bytes, &error);
  if (attachment == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, attachment, (GDestroyNotify) byok_attachment_free);
}

/**
 * byok_attachment_load_async:
 *
 * Reads @file in a worker thread and checks that it is text.
 */
void
byok_attachment_load_async (GFile               *file,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, byok_attachment_load_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

/**
 * byok_attachment_load_finish:
 *
 * Returns: (transfer full) (nullable): the attachment, or %NULL with a
 *   BYOK_ERROR (INVALID for a file that is not text or cannot be read)
 */
ByokAttachment *
byok_attachment_load_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- lists --------------------------------------------------------------- */

/**
 * byok_attachments_copy:
 * @attachments: (nullable) (element-type ByokAttachment)
 *
 * Returns: (transfer full) (nullable): a deep copy, %NULL if there are none
 */
GPtrArray *
byok_attachments_copy (GPtrArray *attachments)
{
  GPtrArray *copy;

  if (attachments == NULL || attachments->len == 0)
    return NULL;
  copy = g_ptr_array_new_full (attachments->len, (GDestroyNotify) byok_attachment_free);
  for (guint i = 0; i < attachments->len; i++)
    g_ptr_array_add (copy, byok_attachment_copy (g_ptr_array_index (attachments, i)));
  return copy;
}

gint64
byok_attachments_count_tokens (GPtrArray *attachments)
{
  gint64 total = 0;

  for (guint i = 0; attachments != NULL && i < attachments->len; i++)
    total += ((ByokAttachment *) g_ptr_array_index (attachments, i))->tokens;
  return total;
}

/**
 * byok_attachments_to_json:
 *
 * Returns: (transfer full) (nullable): [{"name", "text", "tokens"}…], or
 *   %NULL if there are none
 */
char *
byok_attachments_to_json (GPtrArray *attachments)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (attachments == NULL || attachments->len == 0)
    return NULL;

  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint i = 0; i < attachments->len; i++)
    {
      ByokAttachment *attachment = g_ptr_array_index (attachments, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, attachment->name);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, attachment->text);
      json_builder_set_member_name (builder, "tokens");
      json_builder_add_int_value (builder, attachment->tokens);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/**
 * byok_attachments_from_json:
 * @json: (nullable): what byok_attachments_to_json() wrote
 *
 * Returns: (transfer full) (nullable): the attachments; %NULL for %NULL or
 *   an empty list, and %NULL with BYOK_ERROR_STORAGE if @json is not such a
 *   list
 */
GPtrArray *
byok_attachments_from_json (const char  *json,
                            GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GPtrArray) attachments = NULL;
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root;
  JsonArray *array;

  if (json == NULL || *json == '\0')
    return NULL;

  parser = json_parser_new ();
  if (!byok_json_load (parser, json, -1, &parse_error) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE,
                   _("A message’s attached files could not be read back: %s"),
                   parse_error != NULL ? parse_error->message : _("not a list"));
      return NULL;
    }

  array = json_node_get_array (root);
  attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_attachment_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      const char *name, *text;
      ByokAttachment *attachment;
      gint64 tokens = -1;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      name = byok_json_get_string (object, "name");
      text = byok_json_get_string (object, "text");
      if (name == NULL || text == NULL)
        continue;
      attachment = g_new0 (ByokAttachment, 1);
      attachment->name = g_strdup (name);
      attachment->text = g_strdup (text);
      if (!byok_json_get_int (object, "tokens", &tokens) || tokens < 0)
        tokens = byok_estimate_tokens (text, -1);
      attachment->tokens = tokens;
      g_ptr_array_add (attachments, attachment);
    }

  if (attachments->len == 0)
    return NULL;
  return g_steal_pointer (&attachments);
}

/* A name safe inside name="…": no quotes, no line breaks. */
static char *
quote_name (const char *name)
{
  GString *out = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p++)
    g_string_append_c (out, (*p == '"' || *p == '\n' || *p == '\r') ? '_' : *p);
  return g_string_free (out, FALSE);
}

/**
 * byok_attachments_compose:
 * @attachments: (nullable) (element-type ByokAttachment)
 * @text: the message's own text
 *
 * Returns: (transfer full): what the model reads: each attachment in a
 *   <file> block, then @text
 */
char *
byok_attachments_compose (GPtrArray  *attachments,
                          const char *text)
{
  GString *out;

  if (attachments == NULL || attachments->len == 0)
    return g_strdup (text != NULL ? text : "");

  out = g_string_new (NULL);
  for (guint i = 0; i < attachments->len; i++)
    {
      ByokAttachment *attachment = g_ptr_array_index (attachments, i);
      g_autofree char *name = quote_name (attachment->name);
      gsize len = strlen (attachment->text);

      g_string_append_printf (out, "<file name=\"%s\">\n", name);
      g_string_append_len (out, attachment->text, len);
      if (len > 0 && attachment->text[len - 1] != '\n')
        g_string_append_c (out, '\n');
      g_string_append (out, "</file>\n\n");
    }
  if (text != NULL)
    g_string_append (out, text);
  return g_string_free (out, FALSE);
}
