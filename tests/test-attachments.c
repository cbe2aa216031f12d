/* test-attachments.c — images and PDFs attached (issue 16)
 *
 * Real files made at test time in a temporary folder: what a file is comes
 * from its bytes; a 6000×4000 photo with an EXIF orientation and a GPS
 * position comes out within the envelope, upright, re-encoded without
 * EXIF; transparency stays PNG, a screenshot stays PNG, a photograph saved
 * as PNG becomes JPEG; garbage named .png or .pdf is refused with a clear
 * message; a PDF's text comes with page markers, a scanned PDF is flagged;
 * the JSON a message stores keeps all but the bytes, which are stored once
 * by hash in the database: restored after reopening it, in the request,
 * deleted with the last message that refers to them, back with an undo,
 * and exported (Markdown with a folder beside it, JSON with base64).
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "byok-attachment.h"
#include "byok-conversation-store.h"
#include "byok-error.h"
#include "byok-test-media.h"
#include "byok-test-util.h"
#include "byok-tokens.h"
#include "byok-test-util.h"

static ByokAttachment *
load_bytes (const char  *name,
            GBytes      *bytes,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  byok_attachment_load_bytes_async (name, bytes, NULL, byok_test_store_result, &result);
  return byok_attachment_load_finish (byok_test_wait_result (&result), error);
}

static GdkPixbuf *
decode (GBytes *bytes)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf;

  g_assert_true (gdk_pixbuf_loader_write_bytes (loader, bytes, &error));
  g_assert_true (gdk_pixbuf_loader_close (loader, &error));
  g_assert_no_error (error);
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  g_assert_nonnull (pixbuf);
  return g_object_ref (pixbuf);
}

static void
pixel (GdkPixbuf *pixbuf,
       int        x,
       int        y,
       guchar     rgb[3])
{
  const guchar *p = gdk_pixbuf_read_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf) +
                    x * gdk_pixbuf_get_n_channels (pixbuf);

  memcpy (rgb, p, 3);
}

/* No APP1 segment (EXIF, XMP) anywhere among the JPEG's markers. */
static void
assert_no_metadata (GBytes *bytes)
{
  gsize size = 0;
  const guchar *data = g_bytes_get_data (bytes, &size);
  gsize i = 2;

  g_assert_null (g_strstr_len ((const char *) data, size, "Exif"));
  while (i + 4 <= size && data[i] == 0xFF && data[i + 1] != 0xDA)
    {
      g_assert_cmpint (data[i + 1], !=, 0xE1);
      i += 2 + (data[i + 2] << 8 | data[i + 3]);
    }
}

static void
assert_hash (ByokAttachment *attachment)
{
  g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, attachment->data);

  g_assert_cmpstr (attachment->hash, ==, hash);
  g_assert_cmpuint (strlen (attachment->hash), ==, 64);
}

static void
assert_fits (ByokAttachment *attachment)
{
  g_assert_cmpint (MAX (attachment->width, attachment->height), <=, BYOK_ATTACHMENT_IMAGE_MAX_EDGE);
  g_assert_cmpint ((gint64) attachment->width * attachment->height, <=, BYOK_ATTACHMENT_IMAGE_MAX_PIXELS);
  g_assert_cmpuint (g_bytes_get_size (attachment->data), <=, BYOK_ATTACHMENT_IMAGE_MAX_BYTES);
}

/* A 6000×4000 photo, stored sideways with Orientation 6 (turn 90°
 * clockwise to view) and a GPS position: it arrives portrait, within the
 * envelope, the red half (stored left) on top, without any EXIF. */
static void
test_photo_fitted (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("byok-test-attachments-XXXXXX", &error);
  g_autoptr(GBytes) jpeg = byok_test_media_jpeg (6000, 4000, 6, FALSE, 92);
  g_autofree char *path = byok_test_media_write (dir, "IMG_0001.JPG", jpeg);
  g_autoptr(ByokAttachment) attachment = NULL;
  g_autoptr(GdkPixbuf) sent = NULL;
  const char *orientation;
  guchar top[3], bottom[3];

  attachment = byok_test_load_attachment (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (attachment->kind, ==, BYOK_ATTACHMENT_IMAGE);
  g_assert_cmpstr (attachment->name, ==, "IMG_0001.JPG");
  g_assert_cmpstr (attachment->mime_type, ==, "image/jpeg");
  g_assert_null (attachment->text);
  assert_fits (attachment);
  assert_hash (attachment);
  /* Portrait now, the aspect kept to a pixel. */
  g_assert_cmpint (attachment->width, ==, 875);
  g_assert_cmpint (attachment->height, ==, 1313);
  g_assert_cmpint (attachment->tokens, ==, ((gint64) attachment->width * attachment->height + 749) / 750);
  g_assert_false (byok_attachment_has_text_layer (attachment));
  g_assert_false (byok_attachment_is_scan (attachment));
  g_assert_true (byok_attachment_is_media (attachment));

  sent = decode (attachment->data);
  g_assert_cmpint (gdk_pixbuf_get_width (sent), ==, attachment->width);
  g_assert_cmpint (gdk_pixbuf_get_height (sent), ==, attachment->height);
  /* The decoder sees no orientation left to apply: none, or (gdk-pixbuf
   * 2.44's glycin loaders, which say it of every image) "1", upright. */
  orientation = gdk_pixbuf_get_option (sent, "orientation");
  g_assert_true (orientation == NULL || g_str_equal (orientation, "1"));
  pixel (sent, attachment->width / 2, attachment->height / 4, top);
  pixel (sent, attachment->width / 2, attachment->height * 3 / 4, bottom);
  g_assert_cmpint (top[0], >, 150);
  g_assert_cmpint (top[2], <, 100);
  g_assert_cmpint (bottom[2], >, 150);
  g_assert_cmpint (bottom[0], <, 100);
  assert_no_metadata (attachment->data);

  g_unlink (path);
  g_rmdir (dir);
}

/* Transparency stays (PNG); a lossless picture of few colours stays PNG;
 * a photograph saved as PNG is sent as JPEG. */
static void
test_image_formats (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) transparent = byok_test_media_png (300, 200, TRUE, FALSE);
  g_autoptr(GBytes) screenshot = byok_test_media_png (3000, 2000, FALSE, FALSE);
  g_autoptr(GBytes) photo = byok_test_media_png (800, 600, FALSE, TRUE);
  g_autoptr(GBytes) text_shot = byok_test_media_screenshot (2560, 1600);
  /* A 1×1 GIF89a, written out by hand. */
  static const guint8 gif[] = {
    'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0x80, 0, 0, 0xff, 0xff, 0xff, 0, 0, 0,
    0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0x02, 0x02, 0x44, 0x01, 0, 0x3b,
  };
  g_autoptr(GBytes) gif_bytes = g_bytes_new_static (gif, sizeof gif);
  g_autoptr(ByokAttachment) a = NULL;
  g_autoptr(ByokAttachment) b = NULL;
  g_autoptr(ByokAttachment) c = NULL;
  g_autoptr(ByokAttachment) d = NULL;
  g_autoptr(ByokAttachment) e = NULL;
  g_autoptr(GdkPixbuf) sent = NULL;
  guchar rgb[3];

  a = load_bytes ("Pasted image.png", transparent, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a->mime_type, ==, "image/png");
  g_assert_cmpint (a->width, ==, 300);
  g_assert_cmpint (a->height, ==, 200);
  sent = decode (a->data);
  g_assert_true (gdk_pixbuf_get_has_alpha (sent));
  g_assert_cmpint (gdk_pixbuf_read_pixels (sent)[3], ==, 0);
  g_clear_object (&sent);

  b = byok_attachment_new_from_bytes ("screenshot.png", screenshot, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (b->mime_type, ==, "image/png");
  assert_fits (b);
  g_assert_cmpint (b->width, >, b->height);
  sent = decode (b->data);
  g_assert_false (gdk_pixbuf_get_has_alpha (sent));
  g_clear_object (&sent);

  /* Smoothed text, scaled down to fit: still a screenshot, still PNG. */
  e = byok_attachment_new_from_bytes ("Screenshot from 2026-12-07.png", text_shot, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (e->mime_type, ==, "image/png");
  g_assert_cmpint (e->width, ==, 1356);
  g_assert_cmpint (e->height, ==, 847);
  assert_fits (e);

  c = byok_attachment_new_from_bytes ("photo.png", photo, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (c->mime_type, ==, "image/jpeg");
  g_assert_cmpint (c->width, ==, 800);
  assert_hash (c);

  /* Named nothing like a GIF: the bytes say what it is. */
  d = byok_attachment_new_from_bytes ("clip", gif_bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpint (d->kind, ==, BYOK_ATTACHMENT_IMAGE);
  g_assert_cmpstr (d->mime_type, ==, "image/png");
  g_assert_cmpint (d->width, ==, 1);
  g_assert_cmpint (d->height, ==, 1);
  sent = decode (d->data);
  pixel (sent, 0, 0, rgb);
  g_assert_cmpint (rgb[0], ==, 255);
}

/* WebP through webp-pixbuf-loader, a dependency: made with its saver. */
static void
test_webp (void)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 2000, 1000);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) webp = NULL;
  g_autoptr(ByokAttachment) attachment = NULL;
  char *buffer = NULL;
  gsize length = 0;

  gdk_pixbuf_fill (pixbuf, 0x336699ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "webp", &error, NULL));
  g_assert_no_error (error);
  webp = g_bytes_new_take (buffer, length);
  attachment = byok_attachment_new_from_bytes ("picture.webp", webp, &error);
  g_assert_no_error (error);
  g_assert_cmpint (attachment->kind, ==, BYOK_ATTACHMENT_IMAGE);
  g_assert_cmpint (attachment->width, ==, 1516);
  g_assert_cmpint (attachment->height, ==, 758);
  assert_fits (attachment);
}

/* Garbage named .png or .pdf, and files that start as an image or a PDF
 * but are broken, are refused with a message naming the file. */
static void
test_garbage_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("byok-test-attachments-XXXXXX", &error);
  guint8 noise[4096];
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GBytes) garbage = NULL;
  g_autoptr(GBytes) broken_png = NULL;
  g_autoptr(GBytes) broken_pdf = NULL;
  g_autofree char *png_path = NULL;
  g_autofree char *pdf_path = NULL;
  ByokAttachment *none;
  GByteArray *array;

  for (guint i = 0; i < sizeof noise; i++)
    noise[i] = g_rand_int_range (rand, 128, 256);
  garbage = g_bytes_new (noise, sizeof noise);
  png_path = byok_test_media_write (dir, "holiday.png", garbage);
  pdf_path = byok_test_media_write (dir, "contract.pdf", garbage);

  none = byok_test_load_attachment (png_path, &error);
  g_assert_null (none);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“holiday.png” is not an image Byok can read"));
  g_clear_error (&error);

  none = byok_test_load_attachment (pdf_path, &error);
  g_assert_null (none);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“contract.pdf” is not a PDF Byok can read"));
  g_clear_error (&error);

  array = g_byte_array_new ();
  g_byte_array_append (array, (const guint8 *) "\x89PNG\r\n\x1a\n", 8);
  g_byte_array_append (array, noise, sizeof noise);
  broken_png = g_byte_array_free_to_bytes (array);
  none = byok_attachment_new_from_bytes ("shot.png", broken_png, &error);
  g_assert_null (none);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“shot.png” is not an image Byok can read"));
  g_clear_error (&error);

  array = g_byte_array_new ();
  g_byte_array_append (array, (const guint8 *) "%PDF-1.7\n", 9);
  g_byte_array_append (array, noise, sizeof noise);
  broken_pdf = g_byte_array_free_to_bytes (array);
  none = byok_attachment_new_from_bytes ("report.pdf", broken_pdf, &error);
  g_assert_null (none);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“report.pdf” is not a PDF Byok can read"));
  g_clear_error (&error);

  g_unlink (png_path);
  g_unlink (pdf_path);
  g_rmdir (dir);
}

/* A PDF with real glyphs: its pages and text, page by page. */
static void
test_pdf_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("byok-test-attachments-XXXXXX", &error);
  g_autoptr(GBytes) pdf = byok_test_media_pdf (3, TRUE);
  g_autofree char *path = byok_test_media_write (dir, "minutes.pdf", pdf);
  g_autoptr(ByokAttachment) attachment = NULL;
  const char *page1, *page2, *page3;

  attachment = byok_test_load_attachment (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (attachment->kind, ==, BYOK_ATTACHMENT_PDF);
  g_assert_cmpstr (attachment->mime_type, ==, "application/pdf");
  g_assert_cmpint (attachment->pages, ==, 3);
  /* The file itself, as it was. */
  g_assert_true (g_bytes_equal (attachment->data, pdf));
  assert_hash (attachment);
  g_assert_true (byok_attachment_has_text_layer (attachment));
  g_assert_false (byok_attachment_is_scan (attachment));

  page1 = strstr (attachment->text, "[Page 1]\nPage 1 says hello");
  page2 = strstr (attachment->text, "\n\n[Page 2]\nPage 2 says hello");
  page3 = strstr (attachment->text, "\n\n[Page 3]\nPage 3 says hello");
  g_assert_true (page1 == attachment->text);
  g_assert_true (page1 < page2 && page2 < page3);
  g_assert_nonnull (strstr (page3, "lazy dog."));
  g_assert_true (g_str_has_suffix (attachment->text, "lazy dog.\n"));
  g_assert_cmpint (attachment->tokens, ==, byok_estimate_tokens (attachment->text, -1));

  g_unlink (path);
  g_rmdir (dir);
}

/* A PDF locked with a password is refused, by name, and why: Byok cannot
 * read its text, and Anthropic takes no encrypted PDF.
 * tests/fixtures/media/locked.pdf is a one-page PDF with a line of text,
 * encrypted once with
 *   qpdf --encrypt fake-test-password fake-test-owner 256 -- plain.pdf locked.pdf
 * (AES-256; the test needs no qpdf). */
static void
test_pdf_locked (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "media", "locked.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *contents = NULL;
  gsize len = 0;
  ByokAttachment *none;

  /* From the file, as the paperclip and a drop read it. */
  none = byok_test_load_attachment (path, &error);
  g_assert_null (none);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "“locked.pdf” is locked with a password: Byok cannot read it");
  g_clear_error (&error);

  /* From bytes, under another name (a paste, byok-cli). */
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  bytes = g_bytes_new_take (contents, len);
  none = byok_attachment_new_from_bytes ("salaries 2026.pdf", bytes, &error);
  g_assert_null (none);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "“salaries 2026.pdf” is locked with a password"));
}

/* Poppler is not loaded until a PDF is attached: a text file needs no
 * decoder, and byok-cli and the app start without the forty libraries
 * behind it (issue 13). Run in a process of its own, which has never
 * attached anything. */
static void
test_decoders_on_demand (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokAttachment) text = NULL;
  g_autoptr(ByokAttachment) pdf = NULL;
  g_autoptr(GBytes) text_bytes = NULL;
  g_autoptr(GBytes) pdf_bytes = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  /* Found without BYOK_MODULE_DIR too: installed, or else the build
   * tree's, as when a program is run from the build tree. */
  g_unsetenv ("BYOK_MODULE_DIR");
  g_assert_false (byok_test_library_loaded ("libpoppler"));
  g_assert_false (byok_test_library_loaded ("libbyok-attachment-decoders"));
  text_bytes = g_bytes_new_static ("notes\n", 6);
  text = byok_attachment_new_from_bytes ("notes.txt", text_bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpint (text->kind, ==, BYOK_ATTACHMENT_TEXT);
  g_assert_false (byok_test_library_loaded ("libpoppler"));

  pdf_bytes = byok_test_media_pdf (2, TRUE);
  pdf = byok_attachment_new_from_bytes ("minutes.pdf", pdf_bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pdf->pages, ==, 2);
  g_assert_true (g_str_has_prefix (pdf->text, "[Page 1]\nPage 1 says hello"));
  g_assert_true (byok_test_library_loaded ("libbyok-attachment-decoders"));
  g_assert_true (byok_test_library_loaded ("libpoppler"));
}

/* Without the module, an image or a PDF is refused with a clear error
 * (and nothing crashes); text files attach as before. */
static void
test_decoders_missing (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GBytes) text_bytes = NULL;
  g_autoptr(ByokAttachment) attachment = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  dir = g_dir_make_tmp ("byok-test-no-decoders-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("BYOK_MODULE_DIR", dir, TRUE);

  png = byok_test_media_png (40, 30, TRUE, FALSE);
  attachment = byok_attachment_new_from_bytes ("chart.png", png, &error);
  g_assert_null (attachment);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“chart.png”"));
  g_assert_nonnull (strstr (error->message, "reader of images and PDFs is missing"));
  g_clear_error (&error);

  pdf = byok_test_media_pdf (1, TRUE);
  attachment = byok_attachment_new_from_bytes ("minutes.pdf", pdf, &error);
  g_assert_null (attachment);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);

  text_bytes = g_bytes_new_static ("notes\n", 6);
  attachment = byok_attachment_new_from_bytes ("notes.txt", text_bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (attachment->text, ==, "notes\n");
  g_rmdir (dir);
}

/* A PDF of shapes only (a scan): its pages, no text, flagged. */
static void
test_pdf_scanned (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = byok_test_media_pdf (2, FALSE);
  g_autoptr(ByokAttachment) attachment = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_attachment_free);
  g_autofree char *prompt = NULL;

  attachment = byok_attachment_new_from_bytes ("scan.pdf", pdf, &error);
  g_assert_no_error (error);
  g_assert_cmpint (attachment->kind, ==, BYOK_ATTACHMENT_PDF);
  g_assert_cmpint (attachment->pages, ==, 2);
  g_assert_cmpstr (attachment->text, ==, "");
  g_assert_false (byok_attachment_has_text_layer (attachment));
  g_assert_true (byok_attachment_is_scan (attachment));
  g_assert_cmpint (attachment->tokens, ==, 0);

  /* Images and PDFs go beside the text, never into it. */
  g_ptr_array_add (list, byok_attachment_new ("notes.txt", "a note"));
  g_ptr_array_add (list, byok_attachment_copy (attachment));
  prompt = byok_attachments_compose_text_files (list, "Read these.");
  g_assert_cmpstr (prompt, ==, "<file name=\"notes.txt\">\na note\n</file>\n\nRead these.");
}

/* What a message stores: everything but the bytes, which are stored by
 * hash; old rows (text only, no kind) still read. */
static void
test_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = byok_test_media_png (40, 30, TRUE, FALSE);
  g_autoptr(GBytes) pdf = byok_test_media_pdf (2, TRUE);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_attachment_free);
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GPtrArray) media = NULL;
  g_autoptr(GPtrArray) old = NULL;
  g_autofree char *json = NULL;
  ByokAttachment *image, *doc, *text;

  g_ptr_array_add (list, byok_attachment_new ("notes.txt", "a note"));
  g_ptr_array_add (list, byok_attachment_new_from_bytes ("dot.png", png, &error));
  g_assert_no_error (error);
  g_ptr_array_add (list, byok_attachment_new_from_bytes ("two.pdf", pdf, &error));
  g_assert_no_error (error);

  json = byok_attachments_to_json (list);
  g_assert_null (strstr (json, "base64"));
  back = byok_attachments_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 3);
  text = g_ptr_array_index (back, 0);
  image = g_ptr_array_index (back, 1);
  doc = g_ptr_array_index (back, 2);
  g_assert_cmpint (text->kind, ==, BYOK_ATTACHMENT_TEXT);
  g_assert_cmpstr (text->text, ==, "a note");
  g_assert_cmpint (image->kind, ==, BYOK_ATTACHMENT_IMAGE);
  g_assert_cmpstr (image->hash, ==, ((ByokAttachment *) g_ptr_array_index (list, 1))->hash);
  g_assert_cmpstr (image->mime_type, ==, "image/png");
  g_assert_cmpint (image->width, ==, 40);
  g_assert_cmpint (image->height, ==, 30);
  g_assert_null (image->data);
  g_assert_null (image->text);
  g_assert_cmpint (doc->kind, ==, BYOK_ATTACHMENT_PDF);
  g_assert_cmpint (doc->pages, ==, 2);
  g_assert_cmpstr (doc->text, ==, ((ByokAttachment *) g_ptr_array_index (list, 2))->text);
  g_assert_cmpint (doc->tokens, ==, ((ByokAttachment *) g_ptr_array_index (list, 2))->tokens);

  media = byok_attachments_get_media (list);
  g_assert_cmpuint (media->len, ==, 2);
  g_assert_cmpstr (((ByokAttachment *) g_ptr_array_index (media, 0))->name, ==, "dot.png");
  g_assert_true (((ByokAttachment *) g_ptr_array_index (media, 0))->data ==
                 ((ByokAttachment *) g_ptr_array_index (list, 1))->data);
  g_assert_null (byok_attachments_get_media (NULL));

  /* A row from before images: no kind, no MIME type. */
  old = byok_attachments_from_json ("[{\"name\":\"a.txt\",\"text\":\"hi\",\"tokens\":1},"
                                    "{\"name\":\"b.png\",\"kind\":\"image\"},"
                                    "{\"name\":\"c\",\"kind\":\"video\",\"hash\":\"x\",\"mime\":\"video/mp4\"}]",
                                    &error);
  g_assert_no_error (error);
  g_assert_cmpuint (old->len, ==, 1);
  g_assert_cmpint (((ByokAttachment *) g_ptr_array_index (old, 0))->kind, ==, BYOK_ATTACHMENT_TEXT);
}


/* ---- stored once, by hash ------------------------------------------------ */

static gint64
query_int (ByokConversationStore *store,
           const char            *sql)
{
  sqlite3 *db = byok_database_get_handle (byok_conversation_store_get_database (store));
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static gint64
count_blobs (ByokConversationStore *store)
{
  return query_int (store, "SELECT count(*) FROM attachment_blobs");
}

static ByokMessage *
user_message (const char      *text,
              ByokAttachment  *first,
              ...)
{
  ByokMessage *message = byok_message_new (BYOK_MESSAGE_ROLE_USER, text);
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  va_list args;

  va_start (args, first);
  for (ByokAttachment *a = first; a != NULL; a = va_arg (args, ByokAttachment *))
    g_ptr_array_add (list, a);
  va_end (args);
  byok_message_set_attachments (message, list);
  return message;
}

typedef struct {
  char           *dir;
  char           *path;
  ByokAttachment *image;
  ByokAttachment *pdf;
  ByokAttachment *note;
} Store;

static void
store_setup (Store         *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = byok_test_media_png (64, 48, TRUE, FALSE);
  g_autoptr(GBytes) pdf = byok_test_media_pdf (2, TRUE);

  f->dir = g_dir_make_tmp ("byok-test-attachments-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "byok.db", NULL);
  f->image = byok_attachment_new_from_bytes ("shot.png", png, &error);
  g_assert_no_error (error);
  f->pdf = byok_attachment_new_from_bytes ("minutes.pdf", pdf, &error);
  g_assert_no_error (error);
  f->note = byok_attachment_new ("notes.txt", "a note");
}

static void
store_teardown (Store         *f,
                gconstpointer  data)
{
  byok_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
  byok_attachment_free (f->image);
  byok_attachment_free (f->pdf);
  byok_attachment_free (f->note);
}

/* One row for an image on two messages; after reopening the database the
 * messages have their bytes, and the request carries them beside the
 * text (the text file composed into it, the PDF's text not). */
static void
test_stored_once (Store         *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 conversation_id;

  {
    g_autoptr(ByokDatabase) database = byok_database_open (f->path, &error);
    g_autoptr(ByokConversationStore) store = byok_conversation_store_new (database, &error);
    g_autoptr(ByokConversation) conversation = NULL;
    g_autoptr(ByokMessage) first = user_message ("What is this?", f->image, NULL);
    g_autoptr(ByokMessage) second = user_message ("And these?", f->image, f->pdf, f->note, NULL);

    g_assert_no_error (error);
    conversation = byok_conversation_store_create (store, "Pictures", "a", "small", &error);
    g_assert_no_error (error);
    g_assert_true (byok_conversation_store_append_message (store, conversation, first, &error));
    g_assert_true (byok_conversation_store_append_message (store, conversation, second, &error));
    g_assert_no_error (error);
    g_assert_cmpint (count_blobs (store), ==, 2);
    /* The row refers to the bytes; it does not hold them. */
    g_assert_cmpint (query_int (store, "SELECT max(length(attachments)) FROM messages"), <, 2000);
    conversation_id = byok_conversation_get_id (conversation);
  }

  {
    g_autoptr(ByokDatabase) database = byok_database_open (f->path, &error);
    g_autoptr(ByokConversationStore) store = byok_conversation_store_new (database, &error);
    ByokConversation *conversation = byok_conversation_store_lookup (store, conversation_id);
    g_autoptr(GListModel) messages = NULL;
    g_autoptr(ByokMessage) first = NULL;
    g_autoptr(ByokMessage) second = NULL;
    g_autoptr(ByokChatRequest) request = NULL;
    const ByokChatMessage *asked;
    ByokAttachment *image, *again, *pdf;

    g_assert_nonnull (conversation);
    messages = byok_conversation_store_get_messages (store, conversation, &error);
    g_assert_no_error (error);
    first = g_list_model_get_item (messages, 0);
    second = g_list_model_get_item (messages, 1);
    image = g_ptr_array_index (byok_message_get_attachments (first), 0);
    again = g_ptr_array_index (byok_message_get_attachments (second), 0);
    pdf = g_ptr_array_index (byok_message_get_attachments (second), 1);
    g_assert_cmpint (image->kind, ==, BYOK_ATTACHMENT_IMAGE);
    g_assert_true (g_bytes_equal (image->data, f->image->data));
    g_assert_cmpstr (image->hash, ==, f->image->hash);
    g_assert_cmpint (image->width, ==, 64);
    /* Read once for both messages. */
    g_assert_true (image->data == again->data);
    g_assert_true (g_bytes_equal (pdf->data, f->pdf->data));
    g_assert_cmpint (pdf->pages, ==, 2);
    g_assert_cmpstr (pdf->text, ==, f->pdf->text);

    request = byok_conversation_store_build_request (store, conversation, -1, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (byok_chat_request_get_n_messages (request), ==, 2);
    asked = byok_chat_request_get_message (request, 0);
    g_assert_cmpstr (asked->content, ==, "What is this?");
    g_assert_cmpuint (asked->attachments->len, ==, 1);
    g_assert_true (g_bytes_equal (((ByokAttachment *) g_ptr_array_index (asked->attachments, 0))->data,
                                  f->image->data));
    asked = byok_chat_request_get_message (request, 1);
    g_assert_cmpstr (asked->content, ==, "<file name=\"notes.txt\">\na note\n</file>\n\nAnd these?");
    g_assert_cmpuint (asked->attachments->len, ==, 2);
    g_assert_cmpint (((ByokAttachment *) g_ptr_array_index (asked->attachments, 1))->kind, ==, BYOK_ATTACHMENT_PDF);
    g_assert_true (g_bytes_equal (((ByokAttachment *) g_ptr_array_index (asked->attachments, 1))->data,
                                  f->pdf->data));
  }
}

/* Bytes go with the last message that refers to them, come back with an
 * undone delete, and go for good when nothing refers to them. */
static void
test_collected (Store         *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokDatabase) database = byok_database_open (f->path, &error);
  g_autoptr(ByokConversationStore) store = byok_conversation_store_new (database, &error);
  g_autoptr(ByokConversation) kept = NULL;
  g_autoptr(ByokConversation) doomed = NULL;
  g_autoptr(ByokMessage) first = user_message ("one", f->image, NULL);
  g_autoptr(ByokMessage) second = user_message ("two", f->image, f->pdf, NULL);
  g_autoptr(ByokMessage) other = user_message ("three", f->image, NULL);
  g_autoptr(ByokMessage) text_only = user_message ("four", f->note, NULL);
  g_autoptr(ByokConversationSnapshot) snapshot = NULL;
  g_autoptr(GListModel) messages = NULL;
  g_autoptr(ByokMessage) back = NULL;

  g_assert_no_error (error);
  kept = byok_conversation_store_create (store, "Kept", "a", "small", &error);
  doomed = byok_conversation_store_create (store, "Doomed", "a", "small", &error);
  g_assert_true (byok_conversation_store_append_message (store, kept, first, &error));
  g_assert_true (byok_conversation_store_append_message (store, kept, second, &error));
  g_assert_true (byok_conversation_store_append_message (store, kept, text_only, &error));
  g_assert_true (byok_conversation_store_append_message (store, doomed, other, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_blobs (store), ==, 2);

  /* The image is still on "two" and "three". */
  g_assert_true (byok_conversation_store_delete_message (store, first, &error));
  g_assert_cmpint (count_blobs (store), ==, 2);
  /* "two" goes: the PDF with it; the image stays for "three". */
  g_assert_true (byok_conversation_store_delete_message (store, second, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_blobs (store), ==, 1);

  /* The last message with the image goes with its conversation... */
  snapshot = byok_conversation_store_delete_conversation (store, doomed, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_blobs (store), ==, 0);
  /* ...and comes back with it. */
  g_assert_nonnull (byok_conversation_store_restore (store, snapshot, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_blobs (store), ==, 1);
  messages = byok_conversation_store_get_messages (store, doomed, &error);
  back = g_list_model_get_item (messages, 0);
  g_assert_true (g_bytes_equal (((ByokAttachment *) g_ptr_array_index (byok_message_get_attachments (back), 0))->data,
                                f->image->data));

  /* Edit and resend from the start: everything after goes. */
  g_assert_true (byok_conversation_store_delete_messages_after (store, doomed, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_blobs (store), ==, 0);
}

typedef struct {
  GError   *error;
  gboolean  done;
} ExportWait;

static void
exported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ExportWait *wait = user_data;

  byok_conversation_store_export_finish (BYOK_CONVERSATION_STORE (source), result, &wait->error);
  wait->done = TRUE;
}

static void
export_to (ByokConversationStore         *store,
           ByokConversation              *conversation,
           ByokConversationExportFormat   format,
           const char                    *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  ExportWait wait = { NULL, FALSE };

  byok_conversation_store_export_async (store, conversation, format, file, NULL, exported_cb, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (wait.error);
}

/* Markdown: the image and the PDF in a folder beside the file, linked;
 * JSON: their bytes in base64, the same bytes (the same SHA-256). */
static void
test_export (Store         *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokDatabase) database = byok_database_open (f->path, &error);
  g_autoptr(ByokConversationStore) store = byok_conversation_store_new (database, &error);
  g_autoptr(ByokConversation) conversation = NULL;
  g_autoptr(ByokMessage) message = user_message ("Look", f->image, f->pdf, NULL);
  g_autoptr(ByokMessage) again = user_message ("Again", f->image, NULL);
  g_autofree char *md_path = g_build_filename (f->dir, "chat.md", NULL);
  g_autofree char *json_path = g_build_filename (f->dir, "chat.json", NULL);
  g_autofree char *image_name = g_strdup_printf ("%.12s-shot.png", f->image->hash);
  g_autofree char *pdf_name = g_strdup_printf ("%.12s-minutes.pdf", f->pdf->hash);
  g_autofree char *image_path = g_build_filename (f->dir, "chat_files", image_name, NULL);
  g_autofree char *pdf_path = g_build_filename (f->dir, "chat_files", pdf_name, NULL);
  g_autofree char *markdown = NULL;
  g_autofree char *link = NULL;
  g_autofree char *image_bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *attachment;
  g_autofree guchar *decoded = NULL;
  gsize length = 0;
  GStatBuf st;

  g_assert_no_error (error);
  conversation = byok_conversation_store_create (store, "Export", "a", "small", &error);
  g_assert_true (byok_conversation_store_append_message (store, conversation, message, &error));
  g_assert_true (byok_conversation_store_append_message (store, conversation, again, &error));
  g_assert_no_error (error);

  export_to (store, conversation, BYOK_CONVERSATION_EXPORT_MARKDOWN, md_path);
  g_assert_true (g_file_get_contents (md_path, &markdown, NULL, &error));
  link = g_strdup_printf ("![shot.png](chat_files/%s)\n_image, 64 × 48 pixels_", image_name);
  g_assert_nonnull (strstr (markdown, link));
  g_clear_pointer (&link, g_free);
  link = g_strdup_printf ("[minutes.pdf](chat_files/%s) _(PDF, 2 pages)_", pdf_name);
  g_assert_nonnull (strstr (markdown, link));
  g_assert_true (g_file_get_contents (image_path, &image_bytes, &length, &error));
  g_assert_cmpmem (image_bytes, length, g_bytes_get_data (f->image->data, NULL), g_bytes_get_size (f->image->data));
  g_assert_true (g_file_test (pdf_path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (g_stat (image_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  export_to (store, conversation, BYOK_CONVERSATION_EXPORT_JSON, json_path);
  g_assert_true (json_parser_load_from_file (parser, json_path, &error));
  g_assert_no_error (error);
  attachment = json_array_get_object_element (
    json_object_get_array_member (
      json_array_get_object_element (
        json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "messages"), 0),
      "attachments"), 0);
  g_assert_cmpstr (json_object_get_string_member (attachment, "kind"), ==, "image");
  g_assert_cmpstr (json_object_get_string_member (attachment, "mime_type"), ==, "image/png");
  g_assert_cmpint (json_object_get_int_member (attachment, "width"), ==, 64);
  decoded = g_base64_decode (json_object_get_string_member (attachment, "data_base64"), &length);
  {
    g_autofree char *hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, decoded, length);

    g_assert_cmpstr (hash, ==, f->image->hash);
    g_assert_cmpstr (json_object_get_string_member (attachment, "sha256"), ==, hash);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attachments/photo-fitted", test_photo_fitted);
  g_test_add_func ("/attachments/image-formats", test_image_formats);
  g_test_add_func ("/attachments/webp", test_webp);
  g_test_add_func ("/attachments/garbage-refused", test_garbage_refused);
  g_test_add_func ("/attachments/pdf-text", test_pdf_text);
  g_test_add_func ("/attachments/pdf-scanned", test_pdf_scanned);
  g_test_add_func ("/attachments/pdf-locked", test_pdf_locked);
  g_test_add_func ("/attachments/json", test_json);
  g_test_add_func ("/attachments/decoders-on-demand", test_decoders_on_demand);
  g_test_add_func ("/attachments/decoders-missing", test_decoders_missing);
  g_test_add ("/attachments/stored-once", Store, NULL, store_setup, test_stored_once, store_teardown);
  g_test_add ("/attachments/collected", Store, NULL, store_setup, test_collected, store_teardown);
  g_test_add ("/attachments/export", Store, NULL, store_setup, test_export, store_teardown);
  return g_test_run ();
}
