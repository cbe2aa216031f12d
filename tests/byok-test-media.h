/* byok-test-media.h — images and PDFs made at test time (issue 16)
 *
 * Real files of the kinds people attach, generated rather than checked in:
 * JPEGs with an EXIF block written byte by byte (orientation, a GPS
 * position), PNGs with and without transparency, photographs of noise,
 * PDFs drawn with cairo, with real glyphs (a text layer) or only shapes
 * (a scan). Shared by the tests and the benchmarks.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Left half red, right half blue (as stored); with @orientation > 0 an EXIF
 * block saying so and a GPS latitude. @noise: random pixels, a photograph
 * JPEG cannot make small. */
GBytes *byok_test_media_jpeg  (int          width,
                               int          height,
                               int          orientation,
                               gboolean     noise,
                               int          quality);
/* Few colours (a screenshot: stripes); @alpha: its left half transparent;
 * @noise: random opaque pixels instead (a photograph saved as PNG). */
GBytes *byok_test_media_png   (int          width,
                               int          height,
                               gboolean     alpha,
                               gboolean     noise);
/* A screenshot as PNG: a coloured title bar and lines of smoothed text
 * drawn by cairo on white. */
GBytes *byok_test_media_screenshot (int     width,
                                    int     height);
/* @n_pages A4 pages; with @text each says "Page N says hello" in real
 * glyphs, else each holds only a grey rectangle (a scan). */
GBytes *byok_test_media_pdf   (int          n_pages,
                               gboolean     text);
/* @n_pages A4 pages of @n_lines lines of text each (a long report). */
GBytes *byok_test_media_pdf_lines (int     n_pages,
                                   int     n_lines);
/* Writes @bytes to @dir/@name. Returns: (transfer full): its path */
char   *byok_test_media_write (const char  *dir,
                               const char  *name,
                               GBytes      *bytes);

G_END_DECLS
