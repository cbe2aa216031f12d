/* byok-attachment-image.c — an image made fit to send
 *
 * Decoded with gdk-pixbuf, scaled while decoding (a JPEG is decoded at a
 * fraction of its size, so a 20 MB photo never exists whole in memory),
 * turned upright by its EXIF orientation, and encoded again: PNG when it
 * is transparent or a lossless picture of few colours (a screenshot, a
 * diagram, even scaled down), JPEG otherwise. Encoding from pixels carries nothing of the
 * original file over: no EXIF, no GPS position, no comments.
 */
#define G_LOG_DOMAIN "byok-attachment"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "byok-attachment-private.h"
#include "byok-error.h"

/* Fed to the decoder in slices, so a cancel is seen between them. */
#define DECODE_CHUNK (256 * 1024)
/* A lossless picture whose colours fall in at most this many cells of
 * 32×32×32 stays PNG: a screenshot's text, smoothed and scaled, adds
 * shades between a few colours; a photograph fills thousands of cells. */
#define FEW_COLOURS 2048
#define JPEG_QUALITY 88
/* Each step down when an image is still too large in bytes. */
#define SHRINK_STEP 0.75

/**
 * _byok_attachment_fit_size:
 *
 * The size an image of @width × @height is sent at: itself if it fits
 * BYOK_ATTACHMENT_IMAGE_MAX_EDGE and BYOK_ATTACHMENT_IMAGE_MAX_PIXELS,
 * else scaled down, its aspect kept, to the largest size that does.
 */
void
_byok_attachment_fit_size (int  width,
                           int  height,
                           int *fit_width,
                           int *fit_height)
{
  double pixels = (double) width * height;
  double scale = 1.0;
  int longest = MAX (width, height);

  if (longest > BYOK_ATTACHMENT_IMAGE_MAX_EDGE)
    scale = BYOK_ATTACHMENT_IMAGE_MAX_EDGE / (double) longest;
  if (pixels * scale * scale > BYOK_ATTACHMENT_IMAGE_MAX_PIXELS)
    scale = sqrt (BYOK_ATTACHMENT_IMAGE_MAX_PIXELS / pixels);
  if (scale >= 1.0)
    {
      *fit_width = width;
      *fit_height = height;
      return;
    }
  *fit_width = CLAMP ((int) floor (width * scale), 1, width);
  *fit_height = CLAMP ((int) floor (height * scale), 1, height);
}

typedef struct {
  int      width;
  int      height;
  gboolean too_large;
} Prepared;

static void
size_prepared (GdkPixbufLoader *loader,
               int              width,
               int              height,
               gpointer         user_data)
{
  Prepared *prepared = user_data;
  int fit_width, fit_height;

  prepared->width = width;
  prepared->height = height;
  if ((gint64) width * height > BYOK_ATTACHMENT_IMAGE_MAX_SOURCE_PIXELS)
    {
      /* Decode nothing of it: the caller stops feeding and refuses it. */
      prepared->too_large = TRUE;
      gdk_pixbuf_loader_set_size (loader, 1, 1);
      return;
    }
  _byok_attachment_fit_size (width, height, &fit_width, &fit_height);
  if (fit_width != width || fit_height != height)
    gdk_pixbuf_loader_set_size (loader, fit_width, fit_height);
}

static void
set_unreadable (GError     **error,
                const char  *name,
                const char  *detail)
{
  g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
               _("“%s” is not an image Byok can read: %s"), name, detail);
}

/* The first frame, decoded at (about) the size it is sent at. */
static GdkPixbuf *
decode (const char    *name,
        GBytes        *bytes,
        const char    *mime_type,
        GCancellable  *cancellable,
        GError       **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  Prepared prepared = { 0 };
  gsize size = 0;
  const guchar *data = g_bytes_get_data (bytes, &size);
  gboolean written = TRUE;
  GdkPixbuf *pixbuf;

  loader = gdk_pixbuf_loader_new_with_mime_type (mime_type, &local_error);
  if (loader == NULL)
    {
      /* Translators: %s is a file name; the type is WebP, PNG, … */
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("“%s” is an image of a type this system cannot read (%s)"), name, mime_type);
      return NULL;
    }
  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared), &prepared);

  for (gsize offset = 0; offset < size && written && !prepared.too_large; offset += DECODE_CHUNK)
    {
      if (g_cancellable_is_cancelled (cancellable))
        break;
      written = gdk_pixbuf_loader_write (loader, data + offset, MIN (DECODE_CHUNK, size - offset),
                                         &local_error);
    }
  /* A loader must always be closed, even one given up on. */
  if (!gdk_pixbuf_loader_close (loader, written ? &local_error : NULL))
    written = FALSE;

  if (_byok_attachment_cancelled (cancellable, error))
    return NULL;
  if (prepared.too_large)
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("“%s” is %d × %d pixels, more than Byok can make fit to send"),
                   name, prepared.width, prepared.height);
      return NULL;
    }
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (!written || pixbuf == NULL)
    {
      set_unreadable (error, name, local_error != NULL ? local_error->message : _("no picture in it"));
      return NULL;
    }
  return g_object_ref (pixbuf);
}

static gboolean
uses_alpha (GdkPixbuf *pixbuf)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  const guchar *pixels = gdk_pixbuf_read_pixels (pixbuf);

  if (!gdk_pixbuf_get_has_alpha (pixbuf))
    return FALSE;
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      if (pixels[y * stride + x * channels + 3] != 255)
        return TRUE;
  return FALSE;
}

static GdkPixbuf *
without_alpha (GdkPixbuf *pixbuf)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  const guchar *pixels = gdk_pixbuf_read_pixels (pixbuf);
  GdkPixbuf *opaque;
  guchar *out;
  int out_stride;

  if (!gdk_pixbuf_get_has_alpha (pixbuf))
    return g_object_ref (pixbuf);
  opaque = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  out = gdk_pixbuf_get_pixels (opaque);
  out_stride = gdk_pixbuf_get_rowstride (opaque);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      memcpy (out + y * out_stride + x * 3, pixels + y * stride + x * 4, 3);
  return opaque;
}

static gboolean
has_few_colours (GdkPixbuf *pixbuf)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  const guchar *pixels = gdk_pixbuf_read_pixels (pixbuf);
  g_autoptr(GHashTable) colours = g_hash_table_new (NULL, NULL);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guchar *p = pixels + y * stride + x * channels;
        /* The top bit keeps a black pixel from being the NULL key. */
        guint key = 0x10000u | (guint) (p[0] >> 3) << 10 | (guint) (p[1] >> 3) << 5 | (p[2] >> 3);

        g_hash_table_add (colours, GUINT_TO_POINTER (key));
        if (g_hash_table_size (colours) > FEW_COLOURS)
          return FALSE;
      }
  return TRUE;
}

/* Encoded without options: no EXIF, no ICC profile, no text chunks. */
static GBytes *
encode (GdkPixbuf  *pixbuf,
        gboolean    jpeg,
        int         quality,
        GError    **error)
{
  g_autofree char *quality_str = g_strdup_printf ("%d", quality);
  char *buffer = NULL;
  gsize length = 0;
  gboolean saved;

  if (jpeg)
    saved = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "jpeg", error,
                                       "quality", quality_str, NULL);
  else
    saved = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "png", error, NULL);
  if (!saved)
    return NULL;
  return g_bytes_new_take (buffer, length);
}

static gboolean
lossless_source (const char *mime_type,
                 GBytes     *bytes)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  if (g_str_equal (mime_type, "image/png") || g_str_equal (mime_type, "image/gif"))
    return TRUE;
  /* A lossless WebP's first chunk is VP8L. */
  return g_str_equal (mime_type, "image/webp") && size >= 16 && memcmp (data + 12, "VP8L", 4) == 0;
}

/**
 * _byok_attachment_new_image:
 * @mime_type: what the bytes are, from their magic number
 *
 * Returns: (transfer full) (nullable): the image made fit, or %NULL with
 *   BYOK_ERROR_INVALID (not readable, too many pixels) or
 *   BYOK_ERROR_CANCELLED
 */
ByokAttachment *
_byok_attachment_new_image (const char    *name,
                            GBytes        *bytes,
                            const char    *mime_type,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autoptr(GdkPixbuf) upright = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GBytes) encoded = NULL;
  g_autoptr(GError) encode_error = NULL;
  ByokAttachment *attachment;
  gboolean alpha, jpeg;
  int width, height, fit_width, fit_height;
  int quality = JPEG_QUALITY;

  decoded = decode (name, bytes, mime_type, cancellable, error);
  if (decoded == NULL)
    return NULL;

  upright = gdk_pixbuf_apply_embedded_orientation (decoded);
  width = gdk_pixbuf_get_width (upright);
  height = gdk_pixbuf_get_height (upright);
  /* Loaders that cannot scale while decoding (an animation) leave it to here. */
  _byok_attachment_fit_size (width, height, &fit_width, &fit_height);
  if (fit_width != width || fit_height != height)
    pixbuf = gdk_pixbuf_scale_simple (upright, fit_width, fit_height, GDK_INTERP_BILINEAR);
  else
    pixbuf = g_object_ref (upright);
  g_clear_object (&decoded);
  g_clear_object (&upright);

  alpha = uses_alpha (pixbuf);
  if (!alpha)
    {
      GdkPixbuf *opaque = without_alpha (pixbuf);

      g_object_unref (pixbuf);
      pixbuf = opaque;
    }
  jpeg = !alpha && !(lossless_source (mime_type, bytes) && has_few_colours (pixbuf));

  /* Smaller until it fits: lower JPEG quality first, then fewer pixels. */
  for (;;)
    {
      if (_byok_attachment_cancelled (cancellable, error))
        return NULL;
      g_clear_pointer (&encoded, g_bytes_unref);
      encoded = encode (pixbuf, jpeg, quality, &encode_error);
      if (encoded == NULL)
        {
          set_unreadable (error, name, encode_error->message);
          return NULL;
        }
      if (g_bytes_get_size (encoded) <= BYOK_ATTACHMENT_IMAGE_MAX_BYTES)
        break;
      if (!jpeg && !alpha)
        jpeg = TRUE;
      else if (jpeg && quality > 60)
        quality -= 14;
      else
        {
          GdkPixbuf *smaller;

          width = MAX (1, (int) (gdk_pixbuf_get_width (pixbuf) * SHRINK_STEP));
          height = MAX (1, (int) (gdk_pixbuf_get_height (pixbuf) * SHRINK_STEP));
          smaller = gdk_pixbuf_scale_simple (pixbuf, width, height, GDK_INTERP_BILINEAR);
          g_object_unref (pixbuf);
          pixbuf = smaller;
        }
    }

  attachment = g_new0 (ByokAttachment, 1);
  attachment->name = g_strdup (name);
  attachment->kind = BYOK_ATTACHMENT_IMAGE;
  attachment->mime_type = g_strdup (jpeg ? "image/jpeg" : "image/png");
  attachment->width = gdk_pixbuf_get_width (pixbuf);
  attachment->height = gdk_pixbuf_get_height (pixbuf);
  attachment->tokens = MAX (1, ((gint64) attachment->width * attachment->height + 749) / 750);
  attachment->hash = _byok_attachment_hash (encoded);
  attachment->data = g_steal_pointer (&encoded);
  return attachment;
}
