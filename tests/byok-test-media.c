/* byok-test-media.c — images and PDFs made at test time */
#include "config.h"

#include <string.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "byok-test-media.h"

/* An APP1 "Exif" segment, big-endian TIFF: IFD0 with Orientation and a
 * pointer to a GPS IFD holding GPSLatitudeRef "N". */
static GBytes *
exif_segment (int orientation)
{
  static const guint8 template[] = {
    0xFF, 0xE1, 0x00, 0x40,                     /* APP1, length 64 */
    'E', 'x', 'i', 'f', 0, 0,
    'M', 'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, /* TIFF header, IFD0 at 8 */
    0x00, 0x02,                                  /* two entries */
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, /* Orientation */
    0x88, 0x25, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x26, /* GPS IFD at 38 */
    0x00, 0x00, 0x00, 0x00,                      /* no IFD1 */
    0x00, 0x01,                                  /* GPS IFD: one entry */
    0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 'N', 0x00, 0x00, 0x00, /* GPSLatitudeRef */
    0x00, 0x00, 0x00, 0x00,
  };
  guint8 *segment = g_memdup2 (template, sizeof template);

  G_STATIC_ASSERT (sizeof template == 2 + 64);
  segment[29] = (guint8) orientation;   /* the SHORT's low byte, big-endian */
  return g_bytes_new_take (segment, sizeof template);
}

static void
fill (GdkPixbuf *pixbuf,
      gboolean   noise)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  g_autoptr(GRand) rand = g_rand_new_with_seed (16);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guchar *p = pixels + (gsize) y * stride + (gsize) x * channels;

        if (noise)
          {
            guint32 r = g_rand_int (rand);

            p[0] = r & 0xff;
            p[1] = (r >> 8) & 0xff;
            p[2] = (r >> 16) & 0xff;
          }
        else
          {
            gboolean left = x < width / 2;

            p[0] = left ? 220 : 20;
            p[1] = 30;
            p[2] = left ? 20 : 220;
          }
      }
}

GBytes *
byok_test_media_jpeg (int      width,
                      int      height,
                      int      orientation,
                      gboolean noise,
                      int      quality)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autofree char *quality_str = g_strdup_printf ("%d", quality);
  g_autofree char *buffer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) exif = NULL;
  GByteArray *out;
  gsize length = 0;

  g_assert_nonnull (pixbuf);
  fill (pixbuf, noise);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "jpeg", &error,
                                            "quality", quality_str, NULL));
  g_assert_no_error (error);
  if (orientation <= 0)
    return g_bytes_new_take (g_steal_pointer (&buffer), length);

  /* SOI, then the EXIF segment, then the rest as saved. */
  exif = exif_segment (orientation);
  out = g_byte_array_sized_new (length + g_bytes_get_size (exif));
  g_byte_array_append (out, (const guint8 *) buffer, 2);
  g_byte_array_append (out, g_bytes_get_data (exif, NULL), g_bytes_get_size (exif));
  g_byte_array_append (out, (const guint8 *) buffer + 2, length - 2);
  return g_byte_array_free_to_bytes (out);
}

GBytes *
byok_test_media_png (int      width,
                     int      height,
                     gboolean alpha,
                     gboolean noise)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, alpha, 8, width, height);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize length = 0;

  g_assert_nonnull (pixbuf);
  if (noise)
    fill (pixbuf, TRUE);
  else
    {
      int stride = gdk_pixbuf_get_rowstride (pixbuf);
      int channels = gdk_pixbuf_get_n_channels (pixbuf);
      guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);

      for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
          {
            guchar *p = pixels + (gsize) y * stride + (gsize) x * channels;
            guchar shade = (y / 20) % 2 ? 250 : 40;

            p[0] = shade;
            p[1] = shade;
            p[2] = (x / 50) % 2 ? 200 : shade;
            if (alpha)
              p[3] = x < width / 2 ? 0 : 255;
          }
    }
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "png", &error, NULL));
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, length);
}

static cairo_status_t
write_bytes (void                *closure,
             const unsigned char *data,
             unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
byok_test_media_screenshot (int width,
                            int height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);
  GByteArray *out = g_byte_array_new ();

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
  cairo_rectangle (cr, 0, 0, width, 60);
  cairo_fill (cr);
  cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 22);
  for (int y = 110, i = 0; y < height; y += 34, i++)
    {
      if (i % 5 == 0)
        cairo_set_source_rgb (cr, 0.1, 0.3, 0.7);
      else
        cairo_set_source_rgb (cr, 0.13, 0.13, 0.13);
      cairo_move_to (cr, 40, y);
      cairo_show_text (cr, "The quick brown fox jumps over the lazy dog; 0123456789 {}[]() <> != ==");
    }
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, write_bytes, out), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (out);
}

GBytes *
byok_test_media_pdf (int      n_pages,
                     gboolean text)
{
  return byok_test_media_pdf_lines (n_pages, text ? 3 : 0);
}

GBytes *
byok_test_media_pdf_lines (int n_pages,
                           int n_lines)
{
  GByteArray *out = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (write_bytes, out, 595, 842);
  cairo_t *cr = cairo_create (surface);

  for (int i = 1; i <= n_pages; i++)
    {
      if (n_lines > 0)
        {
          g_autofree char *line = g_strdup_printf ("Page %d says hello", i);

          cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
          cairo_set_font_size (cr, n_lines > 3 ? 10 : 14);
          for (int l = 0; l < n_lines; l++)
            {
              cairo_move_to (cr, 72, 100 + (n_lines > 3 ? 14 : 24) * l);
              cairo_show_text (cr, l == 0 ? line : "The quick brown fox jumps over the lazy dog.");
            }
        }
      else
        {
          cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
          cairo_rectangle (cr, 72, 72, 400, 600);
          cairo_fill (cr);
          cairo_set_source_rgb (cr, 0, 0, 0);
        }
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (out);
}

char *
byok_test_media_write (const char *dir,
                       const char *name,
                       GBytes     *bytes)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error));
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}
