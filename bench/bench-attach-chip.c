/* bench-attach-chip.c — attaching a 20 MB photo: how soon its chip shows, and
 * whether the window ever waits while the photo is read
 *
 * The real composer in a window under a display (run it under xvfb-run
 * without one): a 6000 × 4000 JPEG of about 20 MB is attached as the
 * paperclip and a drop do (byok_composer_attach_file()), then pasted as a
 * screenshot is (a texture on the clipboard, Ctrl+V in the message box).
 * For each, from the moment it is asked for:
 *
 *   - the spinner chip painted (the window answered at once),
 *   - the attachment made (decoded, fitted, re-encoded in a worker thread),
 *   - its thumbnail painted;
 *
 * and, all the while (and for 100 ms after the thumbnail, so that the
 * frame that shows it counts), the longest the main loop went without
 * running a 1 ms timeout: what a person would feel as the window stalling
 * (a frame is 16.7 ms at 60 Hz); and the most CPU time the main thread
 * itself used between two of those timeouts, which other processes on a
 * busy machine do not inflate: the main thread's own work. Peak memory is
 * the process's VmHWM at the end.
 *
 * It measures and prints; it asserts nothing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "byok-attachment-chip.h"
#include "byok-composer.h"

#define PHOTO_WIDTH  6000
#define PHOTO_HEIGHT 4000
#define SCREEN_WIDTH  3840
#define SCREEN_HEIGHT 2160
#define RUNS         3

typedef struct {
  ByokComposer *composer;
  gint64        start;
  gint64        last_tick;
  gint64        longest_gap;
  gint64        last_cpu;       /* the main thread's CPU time at the last tick */
  gint64        longest_burst;  /* the most CPU it used between two ticks */
  gint64        cpu_start;
  gint64        cpu_used;       /* its CPU time from start to thumbnail */
  gint64        spinner_painted;
  gint64        attached;
  gint64        thumbnail_painted;
  gboolean      thumbnail_ready;
  guint         frames;
} Run;

static Run *current;

/* CPU time of the calling thread (the main thread), in µs: what it did,
 * however busy the machine's other processes keep the cores. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* The main loop's pulse: a 1 ms timeout, and the longest wait between two. */
static gboolean
tick_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();

  if (current != NULL)
    {
      current->longest_gap = MAX (current->longest_gap, now - current->last_tick);
      current->last_tick = now;
      current->longest_burst = MAX (current->longest_burst, cpu - current->last_cpu);
      current->last_cpu = cpu;
    }
  return G_SOURCE_CONTINUE;
}

static ByokAttachmentChip *
the_chip (ByokComposer *composer)
{
  GtkWidget *tray = GTK_WIDGET (byok_composer_get_tray (composer));
  GtkWidget *scroller = gtk_widget_get_first_child (tray);
  GtkWidget *viewport = scroller != NULL ? gtk_widget_get_first_child (scroller) : NULL;
  GtkWidget *box = viewport != NULL ? gtk_widget_get_first_child (viewport) : NULL;
  GtkWidget *chip = box != NULL ? gtk_widget_get_first_child (box) : NULL;

  return chip != NULL && BYOK_IS_ATTACHMENT_CHIP (chip) ? BYOK_ATTACHMENT_CHIP (chip) : NULL;
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       data)
{
  ByokAttachmentChip *chip;
  gint64 now = g_get_monotonic_time ();

  if (current == NULL)
    return;
  current->frames++;
  chip = the_chip (current->composer);
  if (chip == NULL)
    return;
  if (current->spinner_painted == 0 && gtk_widget_get_mapped (GTK_WIDGET (chip)))
    current->spinner_painted = now;
  if (current->attached == 0 && !byok_attachment_chip_get_loading (chip))
    current->attached = now;
  if (current->thumbnail_painted == 0 && byok_attachment_chip_get_has_thumbnail (chip))
    current->thumbnail_painted = now;
}

static double
ms (gint64 from,
    gint64 to)
{
  return to > 0 ? (to - from) / 1000.0 : -1;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
print_row (const char *what,
           double     *values)
{
  qsort (values, RUNS, sizeof (double), compare_double);
  printf ("  %-48s median %8.1f ms   (%.1f – %.1f)\n", what, values[RUNS / 2], values[0], values[RUNS - 1]);
}

typedef void (*Start) (ByokComposer *composer, gpointer data);

static void
measure (const char   *title,
         ByokComposer *composer,
         Start         start,
         gpointer      data)
{
  double spinner[RUNS], attached[RUNS], thumbnail[RUNS], gap[RUNS], burst[RUNS], cpu[RUNS];
  guint frames = 0;

  for (guint i = 0; i < RUNS; i++)
    {
      Run run = { composer, 0 };
      gint64 deadline, settle;

      byok_composer_clear_attachments (composer);
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);

      run.start = run.last_tick = g_get_monotonic_time ();
      run.cpu_start = run.last_cpu = thread_cpu_us ();
      current = &run;
      start (composer, data);
      deadline = run.start + 60 * G_USEC_PER_SEC;
      while (run.thumbnail_painted == 0 && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      /* The frame that painted the thumbnail counts too, and what follows
       * it: the main loop is watched for 100 ms more. */
      settle = g_get_monotonic_time () + 100 * 1000;
      while (g_get_monotonic_time () < settle)
        g_main_context_iteration (NULL, TRUE);
      current = NULL;
      run.cpu_used = thread_cpu_us () - run.cpu_start;
      spinner[i] = ms (run.start, run.spinner_painted);
      attached[i] = ms (run.start, run.attached);
      thumbnail[i] = ms (run.start, run.thumbnail_painted);
      gap[i] = run.longest_gap / 1000.0;
      burst[i] = run.longest_burst / 1000.0;
      cpu[i] = run.cpu_used / 1000.0;
      frames += run.frames;
      if (run.thumbnail_painted == 0)
        printf ("  run %u: no thumbnail within 60 s (%s)\n", i + 1,
                byok_composer_get_attachments (composer)->len == 0 ? "not attached" : "attached");
    }
  printf ("%s (%u runs, %u frames painted)\n", title, RUNS, frames);
  print_row ("spinner chip painted", spinner);
  print_row ("attachment made (read, fitted, encoded)", attached);
  print_row ("thumbnail painted", thumbnail);
  print_row ("longest main-loop gap while loading", gap);
  print_row ("main thread's longest CPU burst (tick to tick)", burst);
  print_row ("main thread's CPU time until the thumbnail", cpu);
}

static void
attach_failed_cb (ByokComposer *composer,
                  const char   *message)
{
  printf ("  not attached: %s\n", message);
}

static void
attach_file (ByokComposer *composer,
             gpointer      data)
{
  byok_composer_attach_file (composer, data);
}

static GtkWidget *
find_text_view (GtkWidget *widget)
{
  if (GTK_IS_TEXT_VIEW (widget))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_text_view (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The clipboard was filled before (by another application): only Ctrl+V
 * is timed. */
static void
paste_texture (ByokComposer *composer,
               gpointer      data)
{
  g_signal_emit_by_name (find_text_view (GTK_WIDGET (composer)), "paste-clipboard");
}

/* A photograph's worth of detail (noise over gradients), so that JPEG
 * cannot make it small: about 20 MB at quality 95. */
static char *
make_photo (const char *dir,
            gsize      *size)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, PHOTO_WIDTH, PHOTO_HEIGHT);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  char *path = g_build_filename (dir, "photo.jpg", NULL);
  g_autoptr(GError) error = NULL;
  GStatBuf st;
  guint32 seed = 12345;

  for (int y = 0; y < PHOTO_HEIGHT; y++)
    for (int x = 0; x < PHOTO_WIDTH; x++)
      {
        guchar *p = pixels + (gsize) y * stride + x * 3;

        seed = seed * 1103515245 + 12345;
        p[0] = (guchar) (x * 255 / PHOTO_WIDTH / 2 + ((seed >> 16) & 0x7f));
        p[1] = (guchar) (y * 255 / PHOTO_HEIGHT / 2 + ((seed >> 8) & 0x7f));
        p[2] = (guchar) (((seed >> 4) & 0xff));
      }
  if (!gdk_pixbuf_save (pixbuf, path, "jpeg", &error, "quality", "95", NULL))
    g_error ("Could not write the photo: %s", error->message);
  *size = g_stat (path, &st) == 0 ? (gsize) st.st_size : 0;
  return path;
}

/* A 4K screenshot as a screenshot tool puts it on the clipboard: a PNG of
 * a desktop's flat colours, text-like dots and edges. */
static char *
make_screenshot (const char *dir,
                 gsize      *size)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, SCREEN_WIDTH, SCREEN_HEIGHT);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  char *path = g_build_filename (dir, "screenshot.png", NULL);
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  for (int y = 0; y < SCREEN_HEIGHT; y++)
    for (int x = 0; x < SCREEN_WIDTH; x++)
      {
        guchar *p = pixels + (gsize) y * stride + x * 4;
        gboolean dot = (x * 7 + y * 13) % 97 == 0;

        p[0] = dot ? 0 : (guchar) (x / 15);
        p[1] = dot ? 0 : (guchar) (y / 9);
        p[2] = dot ? 0 : ((x / 40 + y / 40) & 1) ? 200 : 60;
        p[3] = 255;
      }
  if (!gdk_pixbuf_save (pixbuf, path, "png", &error, NULL))
    g_error ("Could not write the screenshot: %s", error->message);
  *size = g_stat (path, &st) == 0 ? (gsize) st.st_size : 0;
  return path;
}

/* The clipboard changed hands to another application offering a PNG. */
static gboolean
foreign_png_offered (GdkClipboard *clipboard)
{
  return !gdk_clipboard_is_local (clipboard) &&
         gdk_content_formats_contain_mime_type (gdk_clipboard_get_formats (clipboard), "image/png");
}

/* Another application (tests/byok-test-clipboard-owner) offers @png as
 * "image/png" until its stdin closes; NULL when it is not built. */
static GSubprocess *
offer_from_other_application (GdkClipboard *clipboard,
                              const char   *png)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  GSubprocess *process;
  gint64 deadline;

  if (!g_file_test (CLIPBOARD_OWNER, G_FILE_TEST_IS_EXECUTABLE))
    return NULL;
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              CLIPBOARD_OWNER, png, NULL);
  if (process == NULL)
    {
      printf ("  %s: %s\n", CLIPBOARD_OWNER, error->message);
      return NULL;
    }
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line (out, NULL, NULL, NULL);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_strcmp0 (line, "ready") == 0 && !foreign_png_offered (clipboard) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  return process;
}

static long
peak_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmHWM:")) == NULL)
    return -1;
  return strtol (line + strlen ("VmHWM:"), NULL, 10);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *size_text = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window, *box, *spinner;
  ByokComposer *composer;
  gsize size = 0;
  long before;

  /* The module that reads images and PDFs, from the build tree. */
  g_setenv ("BYOK_MODULE_DIR", BYOK_BUILD_MODULE_DIR, FALSE);
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      printf ("bench-attach-chip: no display; run it as xvfb-run -a %s\n", argv[0]);
      return 0;
    }
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL)
    g_setenv ("GSETTINGS_SCHEMA_DIR", BYOK_SCHEMA_DIR, TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);
  g_setenv ("GTK_A11Y", "none", FALSE);
  gtk_init ();
  adw_init ();

  dir = g_dir_make_tmp ("byok-bench-attach-XXXXXX", &error);
  g_assert_no_error (error);
  path = make_photo (dir, &size);
  size_text = g_format_size (size);
  file = g_file_new_for_path (path);
  printf ("bench-attach-chip: a %d × %d JPEG of %s; %s\n", PHOTO_WIDTH, PHOTO_HEIGHT, size_text,
          g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "default renderer");

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 300);
  composer = BYOK_COMPOSER (byok_composer_new ());
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  spinner = gtk_spinner_new ();
  gtk_box_append (GTK_BOX (box), spinner);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (composer));
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (after_paint_cb), NULL);
  g_signal_connect (composer, "attach-failed", G_CALLBACK (attach_failed_cb), NULL);
  g_timeout_add (1, tick_cb, NULL);
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);

  /* What the window does on its own: a spinner turning for 2 s, as the
   * chip's does while a file is read. */
  {
    Run idle = { composer, 0 };
    gint64 end;

    gtk_spinner_start (GTK_SPINNER (spinner));
    idle.start = idle.last_tick = g_get_monotonic_time ();
    idle.last_cpu = thread_cpu_us ();
    end = idle.start + 2 * G_USEC_PER_SEC;
    current = &idle;
    while (g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, TRUE);
    current = NULL;
    gtk_spinner_stop (GTK_SPINNER (spinner));
    printf ("baseline: a spinner turning, nothing loading: longest main-loop gap %.1f ms, "
            "longest CPU burst %.1f ms, over %u frames\n",
            idle.longest_gap / 1000.0, idle.longest_burst / 1000.0, idle.frames);
  }

  before = peak_kib ();
  measure ("attach a file (paperclip, drop)", composer, attach_file, file);

  /* The clipboard holds it decoded, as a screenshot tool leaves it. */
  texture = gdk_texture_new_from_file (file, &error);
  g_assert_no_error (error);
  gdk_clipboard_set_texture (gtk_widget_get_clipboard (find_text_view (GTK_WIDGET (composer))), texture);
  measure ("paste it (Ctrl+V of an image)", composer, paste_texture, texture);

  printf ("peak memory (VmHWM): %.0f MB (%.0f MB before attaching)\n", peak_kib () / 1024.0, before / 1024.0);

  /* A 4K screenshot copied in another application: the prompt box reads
   * the PNG's bytes from the other process, and the core decodes and fits
   * them in a worker thread (GDK's texture would be decoded on the main
   * thread). */
  {
    GdkClipboard *clipboard = gtk_widget_get_clipboard (find_text_view (GTK_WIDGET (composer)));
    g_autofree char *shot = NULL;
    g_autofree char *shot_size = NULL;
    g_autoptr(GSubprocess) owner = NULL;
    gsize shot_bytes = 0;

    shot = make_screenshot (dir, &shot_bytes);
    shot_size = g_format_size (shot_bytes);
    owner = offer_from_other_application (clipboard, shot);
    if (owner == NULL || !foreign_png_offered (clipboard))
      printf ("paste from another application: skipped (no %s)\n", CLIPBOARD_OWNER);
    else
      {
        g_autofree char *title = g_strdup_printf ("paste a %d × %d screenshot (PNG, %s) from another application",
                                                  SCREEN_WIDTH, SCREEN_HEIGHT, shot_size);

        measure (title, composer, paste_texture, NULL);
        g_output_stream_close (g_subprocess_get_stdin_pipe (owner), NULL, NULL);
        g_subprocess_wait (owner, NULL, NULL);
      }
    g_unlink (shot);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
  g_rmdir (dir);
  return 0;
}
