/* byok-attachment-texture.c — an attached image as a texture, decoded in a
 * worker thread */
#define G_LOG_DOMAIN "byok-attachment"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-attachment-texture.h"
#include "byok-error.h"

/* The textures made last, by the image's hash and the size asked for, so
 * that a conversation scrolled back and forth decodes each picture once.
 * Only the main thread reads and writes it. */
#define CACHE_SIZE 48

static GHashTable *cache;       /* "hash:size" → GdkTexture */
static GQueue      cache_order = G_QUEUE_INIT;  /* of keys, oldest first */

static char *
cache_key (const ByokAttachment *attachment,
           int                   size)
{
  /* Thumbnails only: a preview's picture is large, and opened seldom. */
  return attachment->hash != NULL && size > 0 ? g_strdup_printf ("%s:%d", attachment->hash, size) : NULL;
}

static void
cache_add (const char *key,
           GdkTexture *texture)
{
  if (key == NULL)
    return;
  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  if (g_hash_table_contains (cache, key))
    return;
  g_hash_table_insert (cache, g_strdup (key), g_object_ref (texture));
  g_queue_push_tail (&cache_order, g_strdup (key));
  while (g_queue_get_length (&cache_order) > CACHE_SIZE)
    {
      g_autofree char *oldest = g_queue_pop_head (&cache_order);

      g_hash_table_remove (cache, oldest);
    }
}

typedef struct {
  GBytes *bytes;
  int     size;
  char   *key;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_bytes_unref (data->bytes);
  g_free (data->key);
  g_free (data);
}

/* The shorter side brought down to the size asked for, never up. */
static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  int size = GPOINTER_TO_INT (user_data);
  int shorter = MIN (width, height);

  if (size <= 0 || shorter <= size || shorter <= 0)
    return;
  gdk_pixbuf_loader_set_size (loader,
                              MAX (1, (int) ((gint64) width * size / shorter)),
                              MAX (1, (int) ((gint64) height * size / shorter)));
}

/* @pixbuf's pixels as a texture (what gdk_texture_new_for_pixbuf() did,
 * deprecated in GTK 4.20): 8-bit RGB or RGBA, not premultiplied, as
 * gdk-pixbuf keeps them. */
static GdkTexture *
texture_for_pixbuf (GdkPixbuf *pixbuf)
{
  g_autoptr(GBytes) pixels = gdk_pixbuf_read_pixel_bytes (pixbuf);

  return gdk_memory_texture_new (gdk_pixbuf_get_width (pixbuf), gdk_pixbuf_get_height (pixbuf),
                                 gdk_pixbuf_get_has_alpha (pixbuf) ? GDK_MEMORY_R8G8B8A8 : GDK_MEMORY_R8G8B8,
                                 pixels, gdk_pixbuf_get_rowstride (pixbuf));
}

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GdkPixbuf) oriented = NULL;
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf;

  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), GINT_TO_POINTER (data->size));
  if (!gdk_pixbuf_loader_write_bytes (loader, data->bytes, &error) ||
      !gdk_pixbuf_loader_close (loader, &error) ||
      (pixbuf = gdk_pixbuf_loader_get_pixbuf (loader)) == NULL)
    {
      gdk_pixbuf_loader_close (loader, NULL);
      g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_INVALID,
                               _("The image could not be shown: %s"),
                               error != NULL ? error->message : _("not an image"));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  g_task_return_pointer (task, texture_for_pixbuf (oriented), g_object_unref);
}

/**
 * byok_attachment_texture_load_async:
 * @attachment: an image (its @data is decoded; the attachment itself is
 *   not kept)
 * @size: the shorter side of the texture at most, in pixels; 0 for the
 *   image's own size
 *
 * Decodes the image in a worker thread (or finds it among the last
 * thumbnails decoded, by its hash).
 */
void
byok_attachment_texture_load_async (const ByokAttachment *attachment,
                                    int                   size,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *key = NULL;
  GdkTexture *cached;
  LoadData *data;

  g_return_if_fail (attachment != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, byok_attachment_texture_load_async);
  key = cache_key (attachment, size);
  if (key != NULL && cache != NULL && (cached = g_hash_table_lookup (cache, key)) != NULL)
    {
      g_task_return_pointer (task, g_object_ref (cached), g_object_unref);
      return;
    }
  if (attachment->data == NULL || g_bytes_get_size (attachment->data) == 0)
    {
      g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_INVALID, _("The image could not be shown: %s"),
                               _("not an image"));
      return;
    }
  data = g_new0 (LoadData, 1);
  data->bytes = g_bytes_ref (attachment->data);
  data->size = size;
  data->key = g_steal_pointer (&key);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

/**
 * byok_attachment_texture_load_finish:
 *
 * Returns: (transfer full) (nullable): the texture, or %NULL with
 *   BYOK_ERROR_INVALID for bytes that are no image (or G_IO_ERROR_CANCELLED)
 */
GdkTexture *
byok_attachment_texture_load_finish (GAsyncResult  *result,
                                     GError       **error)
{
  LoadData *data;
  GdkTexture *texture;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  data = g_task_get_task_data (G_TASK (result));
  texture = g_task_propagate_pointer (G_TASK (result), error);
  if (texture != NULL && data != NULL)
    cache_add (data->key, texture);
  return texture;
}
