/* byok-attachment.c — a file attached to a message: what it is, lists, JSON */
#define G_LOG_DOMAIN "byok-attachment"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <gmodule.h>
#include <json-glib/json-glib.h>

#include "byok-attachment-private.h"
#include "byok-error.h"
#include "byok-json.h"
#include "byok-tokens.h"

G_DEFINE_BOXED_TYPE (ByokAttachment, byok_attachment, byok_attachment_copy, byok_attachment_free)

/**
 * byok_attachment_new:
 * @text: valid UTF-8
 *
 * A text file's attachment.
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
  attachment->kind = BYOK_ATTACHMENT_TEXT;
  attachment->mime_type = g_strdup ("text/plain");
  return attachment;
}

/* What the bytes are, from their first bytes alone: an image's MIME
 * type, "application/pdf", or NULL (text, or nothing Byok reads). */
static const char *
sniff (const guchar *data,
       gsize         size)
{
  if (size >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "image/png";
  if (size >= 3 && memcmp (data, "\xff\xd8\xff", 3) == 0)
    return "image/jpeg";
  if (size >= 6 && (memcmp (data, "GIF87a", 6) == 0 || memcmp (data, "GIF89a", 6) == 0))
    return "image/gif";
  if (size >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return "image/webp";
  /* A PDF may have a little junk before its header; readers look 1 KiB in. */
  if (size >= 5 && g_strstr_len ((const char *) data, MIN (size, 1024), "%PDF-") != NULL)
    return "application/pdf";
  return NULL;
}

/* The message for bytes that are nothing Byok reads: what the name
 * promised, if it promised an image or a PDF. */
static void
set_not_readable (GError     **error,
                  const char  *name)
{
  g_autofree char *type = g_content_type_guess (name, NULL, 0, NULL);
  g_autofree char *mime = g_content_type_get_mime_type (type);

  if (mime != NULL && g_str_has_prefix (mime, "image/"))
    g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                 _("“%s” is not an image Byok can read: only PNG, JPEG, WebP and GIF images can be attached"),
                 name);
  else if (g_strcmp0 (mime, "application/pdf") == 0)
    g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                 _("“%s” is not a PDF Byok can read: it does not start as a PDF does"), name);
  else if (mime != NULL && g_str_has_prefix (mime, "text/"))
    g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                 _("“%s” is not a text file: only UTF-8 text can be attached"), name);
  else
    g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                 _("“%s” is not a text file, an image or a PDF: only these can be attached"), name);
}

/* ---- the decoders' module ------------------------------------------------ */

static const ByokAttachmentHost host = {
  .abi = BYOK_ATTACHMENT_DECODERS_ABI,
  .error_quark = byok_error_quark,
  .hash = _byok_attachment_hash,
  .cancelled = _byok_attachment_cancelled,
  .estimate_tokens = byok_estimate_tokens,
};

typedef struct {
  const ByokAttachmentDecoders *decoders;
  char                         *problem;  /* why there are none */
} Decoders;

/* BYOK_MODULE_DIR when set (the tests and benchmarks set the build
 * tree's), else the installed one, else — a program run from the build
 * tree that was never installed — the build tree's. The module stays
 * loaded for the life of the process. */
static gpointer
open_decoders (gpointer data)
{
  Decoders *result = g_new0 (Decoders, 1);
  const char *dir = g_getenv ("BYOK_MODULE_DIR");
  g_autofree char *path = NULL;
  GModule *module;
  gpointer init = NULL;

  if (dir == NULL || *dir == '\0')
    {
      dir = BYOK_MODULEDIR;
      path = g_module_build_path (dir, BYOK_ATTACHMENT_DECODERS_NAME);
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        dir = BYOK_BUILD_MODULEDIR;
      g_clear_pointer (&path, g_free);
    }
  path = g_module_build_path (dir, BYOK_ATTACHMENT_DECODERS_NAME);
  module = g_module_open (path, G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      result->problem = g_strdup (g_module_error ());
      return result;
    }
  if (!g_module_symbol (module, BYOK_ATTACHMENT_DECODERS_INIT, &init) || init == NULL ||
      (result->decoders = ((ByokAttachmentDecodersInit) init) (&host)) == NULL)
    {
      result->problem = g_strdup_printf ("%s: not a decoder module of this Byok", path);
      g_module_close (module);
      return result;
    }
  g_module_make_resident (module);
  return result;
}

static const ByokAttachmentDecoders *
get_decoders (const char  *name,
              GError     **error)
{
  static GOnce once = G_ONCE_INIT;
  const Decoders *decoders = g_once (&once, open_decoders, NULL);

  if (decoders->decoders == NULL)
    g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                 _("“%s” cannot be read: Byok’s reader of images and PDFs is missing (%s)"),
                 name, decoders->problem);
  return decoders->decoders;
}

static ByokAttachment *
new_from_bytes (const char    *name,
                GBytes        *bytes,
                GCancellable  *cancellable,
                GError       **error)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);
  const char *mime_type;
  g_autofree char *text = NULL;

  if (size > BYOK_ATTACHMENT_MAX_BYTES)
    {
      g_autofree char *limit = g_format_size (BYOK_ATTACHMENT_MAX_BYTES);
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("“%s” is larger than %s, more than any model can read at once"), name, limit);
      return NULL;
    }

  mime_type = sniff ((const guchar *) data, size);
  if (mime_type != NULL)
    {
      const ByokAttachmentDecoders *decoders = get_decoders (name, error);

      if (decoders == NULL)
        return NULL;
      if (g_str_equal (mime_type, "application/pdf"))
        return decoders->new_pdf (name, bytes, cancellable, error);
      return decoders->new_image (name, bytes, mime_type, cancellable, error);
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
      set_not_readable (error, name);
      return NULL;
    }

  text = g_strndup (data, size);
  return byok_attachment_new (name, text);
}

/**
 * byok_attachment_new_from_bytes:
 * @name: the file's display name, for messages; what the file is comes
 *   from @bytes alone
 *
 * Makes an attachment of @bytes: an image made fit, a PDF with its text,
 * or text. Decoding an image or reading a PDF takes time: call this in a
 * worker thread, or use byok_attachment_load_bytes_async().
 *
 * Returns: (transfer full) (nullable): the attachment, or %NULL with
 *   BYOK_ERROR_INVALID when @bytes are too large, damaged, or neither
 *   text, an image nor a PDF
 */
ByokAttachment *
byok_attachment_new_from_bytes (const char  *name,
                                GBytes      *bytes,
                                GError     **error)
{
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (bytes != NULL, NULL);

  return new_from_bytes (name, bytes, NULL, error);
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

/**
 * byok_attachment_is_media:
 *
 * Returns: whether @attachment is an image or a PDF: sent beside the
 *   message's text (ByokChatMessage.attachments), stored by its hash
 */
gboolean
byok_attachment_is_media (const ByokAttachment *attachment)
{
  g_return_val_if_fail (attachment != NULL, FALSE);

  return attachment->kind == BYOK_ATTACHMENT_IMAGE || attachment->kind == BYOK_ATTACHMENT_PDF;
}

/**
 * byok_attachment_has_text_layer:
 *
 * Returns: whether a model that cannot read the file itself still reads
 *   something of it: %TRUE for a text file and a PDF with text, %FALSE for
 *   an image and a PDF without text ("scanned PDF: only models that read
 *   PDFs natively can see it")
 */
gboolean
byok_attachment_has_text_layer (const ByokAttachment *attachment)
{
  g_return_val_if_fail (attachment != NULL, FALSE);

  return attachment->kind != BYOK_ATTACHMENT_IMAGE && attachment->text != NULL && *attachment->text != '\0';
}

/**
 * byok_attachment_is_scan:
 *
 * Returns: whether @attachment is a PDF without a text layer (a scan):
 *   only a model that reads PDFs itself can see it
 */
gboolean
byok_attachment_is_scan (const ByokAttachment *attachment)
{
  g_return_val_if_fail (attachment != NULL, FALSE);

  return attachment->kind == BYOK_ATTACHMENT_PDF && !byok_attachment_has_text_layer (attachment);
}

/**
 * byok_attachment_kind_to_string:
 *
 * Returns: "text", "image" or "pdf", as stored and exported
 */
const char *
byok_attachment_kind_to_string (ByokAttachmentKind kind)
{
  switch (kind)
    {
    case BYOK_ATTACHMENT_IMAGE:
      return "image";
    case BYOK_ATTACHMENT_PDF:
      return "pdf";
    case BYOK_ATTACHMENT_TEXT:
    default:
      return "text";
    }
}

static gboolean
kind_from_string (const char         *str,
                  ByokAttachmentKind *kind)
{
  if (str == NULL || g_str_equal (str, "text"))
    *kind = BYOK_ATTACHMENT_TEXT;
  else if (g_str_equal (str, "image"))
    *kind = BYOK_ATTACHMENT_IMAGE;
  else if (g_str_equal (str, "pdf"))
    *kind = BYOK_ATTACHMENT_PDF;
  else
    return FALSE;
  return TRUE;
}

/**
 * _byok_attachment_hash:
 *
 * Returns: (transfer full): the lowercase hex SHA-256 of @bytes
 */
char *
_byok_attachment_hash (GBytes *bytes)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

/**
 * _byok_attachment_cancelled:
 *
 * Returns: %TRUE with BYOK_ERROR_CANCELLED set if @cancellable is cancelled
 */
gboolean
_byok_attachment_cancelled (GCancellable  *cancellable,
                            GError       **error)
{
  if (!g_cancellable_is_cancelled (cancellable))
    return FALSE;
  g_set_error_literal (error, BYOK_ERROR, BYOK_ERROR_CANCELLED, _("Attaching the file was cancelled"));
  return TRUE;
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
  attachment = new_from_bytes (name, bytes, cancellable, &error);
  if (attachment == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, attachment, (GDestroyNotify) byok_attachment_free);
}

typedef struct {
  char   *name;
  GBytes *bytes;
} BytesData;

static void
bytes_data_free (BytesData *data)
{
  g_free (data->name);
  g_bytes_unref (data->bytes);
  g_free (data);
}

static void
load_bytes_thread (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  BytesData *data = task_data;
  GError *error = NULL;
  ByokAttachment *attachment;

  attachment = new_from_bytes (data->name, data->bytes, cancellable, &error);
  if (attachment == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, attachment, (GDestroyNotify) byok_attachment_free);
}

/**
 * byok_attachment_load_bytes_async:
 * @name: a name for it ("Pasted image.png"): what it is comes from @bytes
 * @bytes: what was pasted or dropped; kept until the task ends
 *
 * byok_attachment_new_from_bytes() in a worker thread. Finish with
 * byok_attachment_load_finish().
 */
void
byok_attachment_load_bytes_async (const char          *name,
                                  GBytes              *bytes,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  BytesData *data;

  g_return_if_fail (name != NULL);
  g_return_if_fail (bytes != NULL);

  data = g_new0 (BytesData, 1);
  data->name = g_strdup (name);
  data->bytes = g_bytes_ref (bytes);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, byok_attachment_load_async);
  g_task_set_task_data (task, data, (GDestroyNotify) bytes_data_free);
  g_task_run_in_thread (task, load_bytes_thread);
}

/**
 * byok_attachment_load_async:
 *
 * Reads @file in a worker thread and makes an attachment of it
 * (byok_attachment_new_from_bytes()): an image made fit, a PDF with its
 * text, or text.
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
 * Finishes byok_attachment_load_async() and
 * byok_attachment_load_bytes_async().
 *
 * Returns: (transfer full) (nullable): the attachment, or %NULL with a
 *   BYOK_ERROR (INVALID for a file Byok cannot read or use, CANCELLED)
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

/**
 * byok_attachments_get_media:
 * @attachments: (nullable) (element-type ByokAttachment)
 *
 * Returns: (transfer full) (nullable): copies of the images and PDFs of
 *   @attachments, in order (their bytes shared), for
 *   ByokChatMessage.attachments; %NULL if there are none. One whose bytes
 *   are missing (data %NULL: a damaged database) is left out.
 */
GPtrArray *
byok_attachments_get_media (GPtrArray *attachments)
{
  GPtrArray *media = NULL;

  for (guint i = 0; attachments != NULL && i < attachments->len; i++)
    {
      ByokAttachment *attachment = g_ptr_array_index (attachments, i);

      if (!byok_attachment_is_media (attachment) || attachment->data == NULL)
        continue;
      if (media == NULL)
        media = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_attachment_free);
      g_ptr_array_add (media, byok_attachment_copy (attachment));
    }
  return media;
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
 * How a message's attachments are stored (messages.attachments): a text
 * file as {"name", "text", "tokens", "mime"}; an image or a PDF as
 * {"name", "kind", "mime", "hash", "size", "tokens"} with "width" and
 * "height" (an image) or "pages" and "text" (a PDF) — its bytes are not
 * here but stored once under their hash (ByokConversationStore).
 *
 * Returns: (transfer full) (nullable): the JSON array, or %NULL if there
 *   are none
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
      if (attachment->kind != BYOK_ATTACHMENT_TEXT)
        {
          json_builder_set_member_name (builder, "kind");
          json_builder_add_string_value (builder, byok_attachment_kind_to_string (attachment->kind));
        }
      if (attachment->mime_type != NULL)
        {
          json_builder_set_member_name (builder, "mime");
          json_builder_add_string_value (builder, attachment->mime_type);
        }
      if (attachment->hash != NULL)
        {
          json_builder_set_member_name (builder, "hash");
          json_builder_add_string_value (builder, attachment->hash);
        }
      if (attachment->data != NULL)
        {
          json_builder_set_member_name (builder, "size");
          json_builder_add_int_value (builder, g_bytes_get_size (attachment->data));
        }
      if (attachment->text != NULL)
        {
          json_builder_set_member_name (builder, "text");
          json_builder_add_string_value (builder, attachment->text);
        }
      json_builder_set_member_name (builder, "tokens");
      json_builder_add_int_value (builder, attachment->tokens);
      if (attachment->kind == BYOK_ATTACHMENT_IMAGE)
        {
          json_builder_set_member_name (builder, "width");
          json_builder_add_int_value (builder, attachment->width);
          json_builder_set_member_name (builder, "height");
          json_builder_add_int_value (builder, attachment->height);
        }
      if (attachment->kind == BYOK_ATTACHMENT_PDF)
        {
          json_builder_set_member_name (builder, "pages");
          json_builder_add_int_value (builder, attachment->pages);
        }
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
 * An image's or a PDF's data is %NULL here: the conversation store fills
 * it in from the bytes stored under its hash. Entries that are not
 * attachments (no name; text without text; an image or PDF without its
 * hash) are skipped.
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
      const char *name, *text, *mime_type, *hash;
      ByokAttachmentKind kind;
      ByokAttachment *attachment;
      gint64 tokens = -1, width = 0, height = 0, pages = 0;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      name = byok_json_get_string (object, "name");
      text = byok_json_get_string (object, "text");
      mime_type = byok_json_get_string (object, "mime");
      hash = byok_json_get_string (object, "hash");
      if (name == NULL || !kind_from_string (byok_json_get_string (object, "kind"), &kind))
        continue;
      if (kind == BYOK_ATTACHMENT_TEXT ? text == NULL : (hash == NULL || mime_type == NULL))
        continue;
      attachment = g_new0 (ByokAttachment, 1);
      attachment->name = g_strdup (name);
      attachment->kind = kind;
      attachment->text = kind != BYOK_ATTACHMENT_IMAGE ? g_strdup (text != NULL ? text : "") : NULL;
      attachment->mime_type = g_strdup (mime_type);
      attachment->hash = g_strdup (hash);
      if (byok_json_get_int (object, "width", &width) && byok_json_get_int (object, "height", &height))
        {
          attachment->width = (int) CLAMP (width, 0, G_MAXINT);
          attachment->height = (int) CLAMP (height, 0, G_MAXINT);
        }
      if (byok_json_get_int (object, "pages", &pages))
        attachment->pages = (int) CLAMP (pages, 0, G_MAXINT);
      if (!byok_json_get_int (object, "tokens", &tokens) || tokens < 0)
        tokens = attachment->text != NULL ? byok_estimate_tokens (attachment->text, -1) : 0;
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

static char *
compose (GPtrArray  *attachments,
         const char *text,
         gboolean    text_files_only)
{
  GString *out;

  if (attachments == NULL || attachments->len == 0)
    return g_strdup (text != NULL ? text : "");

  out = g_string_new (NULL);
  for (guint i = 0; i < attachments->len; i++)
    {
      ByokAttachment *attachment = g_ptr_array_index (attachments, i);
      g_autofree char *name = NULL;
      gsize len;

      if (attachment->text == NULL || (text_files_only && attachment->kind != BYOK_ATTACHMENT_TEXT))
        continue;
      name = quote_name (attachment->name);
      len = strlen (attachment->text);

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

/**
 * byok_attachments_compose:
 * @attachments: (nullable) (element-type ByokAttachment)
 * @text: the message's own text
 *
 * Images have no text and are skipped; a PDF handed here goes as its
 * text layer (a dialect does that for a model that reads no PDFs).
 *
 * Returns: (transfer full): what the model reads: each attachment's text
 *   in a <file> block, then @text
 */
char *
byok_attachments_compose (GPtrArray  *attachments,
                          const char *text)
{
  return compose (attachments, text, FALSE);
}

/**
 * byok_attachments_compose_text_files:
 * @attachments: (nullable) (element-type ByokAttachment): a message's
 * @text: the message's own text
 *
 * A message's content as sent: its text files composed into it
 * (byok_attachments_compose()); its images and PDFs travel beside it
 * (byok_attachments_get_media()).
 *
 * Returns: (transfer full): each text file in a <file> block, then @text
 */
char *
byok_attachments_compose_text_files (GPtrArray  *attachments,
                                     const char *text)
{
  return compose (attachments, text, TRUE);
}
