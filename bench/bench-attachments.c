/* bench-attachments.c — attaching a 20 MB photo and a 300-page PDF (issue 16)
 *
 * Both are made here, at bench time (tests/byok-test-media.c): a photo of
 * noise (which JPEG cannot make small) about 20 MB large, with an EXIF
 * orientation, and a PDF of 300 pages of 50 lines of text drawn by cairo. Each is attached in a process of its
 * own, so its peak memory (getrusage's maxrss) is its own, as the app does
 * it: byok_attachment_load_async() on the main loop, the work in a worker
 * thread. Measured: the time until the attachment is ready (its callback
 * runs), the longest the main loop went without running meanwhile (a 4 ms
 * timer's longest gap: what a window would feel), and the process's peak
 * resident memory above what it held before. Medians of 5 runs.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <glib/gstdio.h>

#include "byok-attachment.h"
#include "byok-test-media.h"

#define RUNS 5

typedef struct {
  gint64          last_tick;
  gint64          longest_gap;
  ByokAttachment *attachment;
  GError         *error;
  gboolean        done;
} Child;

static gboolean
tick (gpointer data)
{
  Child *child = data;
  gint64 now = g_get_monotonic_time ();

  child->longest_gap = MAX (child->longest_gap, now - child->last_tick);
  child->last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
loaded (GObject      *source,
        GAsyncResult *result,
        gpointer      data)
{
  Child *child = data;

  child->attachment = byok_attachment_load_finish (result, &child->error);
  child->done = TRUE;
}

static long
max_rss_kb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

/* In the child: attach @path, print "ready_us stall_us base_kb peak_kb what". */
static int
attach_one (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  Child child = { 0 };
  long base_kb = max_rss_kb ();
  gint64 start;
  guint id;
  ByokAttachment *a;

  child.last_tick = g_get_monotonic_time ();
  id = g_timeout_add (4, tick, &child);
  start = g_get_monotonic_time ();
  byok_attachment_load_async (file, NULL, loaded, &child);
  while (!child.done)
    g_main_context_iteration (NULL, TRUE);
  printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %ld %ld ",
          g_get_monotonic_time () - start, child.longest_gap, base_kb, max_rss_kb ());
  g_source_remove (id);
  if (child.attachment == NULL)
    {
      printf ("error: %s\n", child.error->message);
      return 1;
    }
  a = child.attachment;
  printf ("%s %s %d×%d, %d pages, %" G_GSIZE_FORMAT " bytes, %" G_GINT64_FORMAT " tokens\n",
          byok_attachment_kind_to_string (a->kind), a->mime_type, a->width, a->height, a->pages,
          g_bytes_get_size (a->data), a->tokens);
  byok_attachment_free (a);
  return 0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len / 2);
}

static void
bench (const char *self,
       const char *what,
       const char *path)
{
  g_autoptr(GArray) ready = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) stall = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) peak = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *description = NULL;
  GStatBuf st;

  g_stat (path, &st);
  for (int i = 0; i < RUNS; i++)
    {
      const char *argv[] = { self, "--attach", path, NULL };
      g_autofree char *out = NULL;
      g_autoptr(GError) error = NULL;
      gint64 ready_us, stall_us;
      long base_kb, peak_kb;
      double value;
      int consumed = 0;
      int status = 0;

      if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error) ||
          sscanf (out, "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %ld %ld %n",
                  &ready_us, &stall_us, &base_kb, &peak_kb, &consumed) != 4)
        {
          g_printerr ("bench-attachments: %s: %s\n", what, error != NULL ? error->message : out);
          return;
        }
      value = ready_us / 1000.0;
      g_array_append_val (ready, value);
      value = stall_us / 1000.0;
      g_array_append_val (stall, value);
      value = (peak_kb - base_kb) / 1024.0;
      g_array_append_val (peak, value);
      if (description == NULL)
        description = g_strstrip (g_strdup (out + consumed));
    }
  printf ("%s (%.1f MB) → %s\n", what, st.st_size / 1e6, description);
  printf ("  ready after %.0f ms (median of %d); main loop never waited more than %.1f ms; "
          "peak memory +%.1f MB\n", median (ready), RUNS, median (stall), median (peak));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *photo_path = NULL;
  g_autofree char *pdf_path = NULL;
  g_autofree char *self = NULL;

  /* The module that reads images and PDFs, from the build tree. */
  g_setenv ("BYOK_MODULE_DIR", BYOK_BUILD_MODULE_DIR, FALSE);
  if (argc == 3 && g_str_equal (argv[1], "--attach"))
    return attach_one (argv[2]);

  self = g_file_read_link ("/proc/self/exe", NULL);
  dir = g_dir_make_tmp ("byok-bench-attachments-XXXXXX", &error);
  g_assert_no_error (error);
  {
    /* 6000×4000 pixels of noise at quality 90: about 20 MB. */
    g_autoptr(GBytes) photo = byok_test_media_jpeg (6000, 4000, 6, TRUE, 90);
    /* 300 pages of 50 lines, as a long report. */
    g_autoptr(GBytes) pdf = byok_test_media_pdf_lines (300, 50);

    photo_path = byok_test_media_write (dir, "photo.jpg", photo);
    pdf_path = byok_test_media_write (dir, "report.pdf", pdf);
  }
  bench (self != NULL ? self : argv[0], "a 6000×4000 photo", photo_path);
  bench (self != NULL ? self : argv[0], "a 300-page PDF", pdf_path);
  g_unlink (photo_path);
  g_unlink (pdf_path);
  g_rmdir (dir);
  return 0;
}
