/* bench-startup.c — how fast Byok opens, and what it holds, beside a bare
 * libadwaita window
 *
 * Runs, in the same session one after the other, Byok (the real `byok`
 * binary of this build) and its yardstick, startup-bare-window (an
 * AdwApplicationWindow with a header bar, nothing else, at Byok's default
 * size), each with a fresh profile (new HOME and XDG directories, so no
 * database, settings or cache yet), and prints:
 *
 *   - exec → window mapped: from just before the process is spawned to the
 *     X server's MapNotify of its window, seen by this program on its own
 *     connection to the display (the process is not asked anything);
 *   - exec → first frame: to the first drawing into that window the X
 *     server reports (the DAMAGE extension), past the damage the server
 *     itself reports as it maps the window (within 3 ms of the map: a
 *     toolkit's frame comes later). Byok's first frame is its Chat page:
 *     the window opens on it, drawn whole;
 *   - the CPU time each had used by then (when this program sees the first
 *     frame): its main thread's, and all its threads' together, from the
 *     scheduler's count (/proc/PID/task/TID/schedstat). On a machine whose
 *     cores are busy with other work the wall times above include waiting
 *     for a core; these do not;
 *   - resident memory two seconds after exec (VmRSS of /proc/PID/status;
 *     its anonymous part, what the process itself allocated, beside);
 *
 * medians of RUNS (5) launches each, alternating, after one launch of each
 * that is not counted (it warms the file cache and starts the D-Bus
 * services both use), with GTK's cairo renderer (GSK_RENDERER=cairo) and
 * with the renderer GTK picks (under Xvfb: OpenGL on Mesa's llvmpipe).
 *
 * Then, with the cairo renderer:
 *
 *   - idle: each window is left alone for IDLE_SECONDS (60) from 2 s after
 *     exec; every time one of the process's threads went to sleep and woke
 *     again is counted, from the kernel's count of its voluntary context
 *     switches (/proc/PID/task/TID/status, read every second, so a thread
 *     that comes and goes is counted too). A timer, a poll that returns, a
 *     D-Bus message or a thread pool's worker all show; nothing of the
 *     process has to cooperate. Printed per thread, and for the first ten
 *     seconds apart (GTK blinks the text cursor for ten seconds after the
 *     last key, in any window with a focused text field);
 *   - a long conversation: a profile whose newest conversation has 10,000
 *     messages (bench-conversation.c, as bench-long-conversation), opened by
 *     startup-byok-harness — Byok's own application and window, with a
 *     hook that sends one message once the window is up — which then
 *     streams a 100,000-token answer from a provider server in this
 *     program on 127.0.0.1; resident memory once the conversation shows,
 *     and two seconds after the answer ended;
 *   - byok-cli commands that send nothing, each run CLI_RUNS (20) times
 *     after two runs not counted, in one profile whose database exists:
 *     from spawn to exit.
 *
 * The goals (issue 13): mapped within 1.3× the bare window's time, first
 * frame within 1.5×, memory within +20 MB at 2 s and +80 MB after the long
 * conversation, no wakeup in a minute unused, byok-cli under 15 ms. It
 * prints; it asserts nothing.
 *
 * It runs itself in build-aux/test-session: a private D-Bus session with a
 * real gnome-keyring-daemon (Byok lists the keyring at start, as on a
 * desktop), and Xvfb. Nothing of the person's desktop is touched; no key
 * but a fake one reaches the harness, and only 127.0.0.1 is spoken to.
 *
 *   bench-startup [--runs N] [--idle-seconds S] [--only startup|idle|long|cli]
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <X11/Xlib.h>
#include <X11/extensions/Xdamage.h>

#include "bench-conversation.h"
#include "byok-test-server.h"

#define DEFAULT_RUNS        5
#define DEFAULT_IDLE_S      60
#define CLI_RUNS            20
#define CLI_WARMUP          2
#define RSS_AFTER_US        (2 * G_USEC_PER_SEC)
#define GIVE_UP_US          (30 * G_USEC_PER_SEC)
#define MAP_DAMAGE_US       (3 * 1000)
#define LONG_MESSAGES       10000
#define LONG_TOKENS         100000
#define LONG_GIVE_UP_US     (180 * G_USEC_PER_SEC)
#define FAKE_KEY            "sk-bench-fake-not-a-real-key-0000"

/* ---- small helpers ------------------------------------------------------- */

static double
median (const double *values,
        guint         n)
{
  g_autofree double *sorted = g_memdup2 (values, n * sizeof (double));

  if (n == 0)
    return 0;
  qsort (sorted, n, sizeof (double), bench_compare_double);
  return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

static double
minimum (const double *values,
         guint         n)
{
  double m = n > 0 ? values[0] : 0;

  for (guint i = 1; i < n; i++)
    m = MIN (m, values[i]);
  return m;
}

static double
maximum (const double *values,
         guint         n)
{
  double m = n > 0 ? values[0] : 0;

  for (guint i = 1; i < n; i++)
    m = MAX (m, values[i]);
  return m;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* ---- the session --------------------------------------------------------- */

/* Outside build-aux/test-session, runs again inside one; returns only
 * inside (FALSE: none to be had, said why). */
static gboolean
ensure_session (int    argc,
                char **argv)
{
  g_autofree char *session = g_build_filename (BYOK_SOURCE_DIR, "build-aux", "test-session", NULL);
  g_autofree char *self = NULL;
  g_autoptr(GPtrArray) args = NULL;
  static const char * const needed[] = { "dbus-run-session", "xvfb-run", "gnome-keyring-daemon" };

  if (g_strcmp0 (g_getenv ("BYOK_TEST_SESSION_INNER"), "1") == 0)
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (needed); i++)
    {
      g_autofree char *path = g_find_program_in_path (needed[i]);

      if (path == NULL)
        {
          printf ("bench-startup: no %s for a session of its own; skipped\n", needed[i]);
          return FALSE;
        }
    }

  self = g_file_read_link ("/proc/self/exe", NULL);
  args = g_ptr_array_new ();
  g_ptr_array_add (args, session);
  g_ptr_array_add (args, self != NULL ? self : argv[0]);
  for (int i = 1; i < argc; i++)
    g_ptr_array_add (args, argv[i]);
  g_ptr_array_add (args, NULL);
  fflush (stdout);
  execv (session, (char **) args->pdata);
  printf ("bench-startup: could not run %s (%s); skipped\n", session, g_strerror (errno));
  return FALSE;
}

/* A fresh profile: HOME and the XDG directories in a new temporary
 * directory. The session's bus, keyring and display stay. */
typedef struct {
  char  *dir;
  char **env;
} Profile;

static Profile *
profile_new (const char *renderer)
{
  Profile *profile = g_new0 (Profile, 1);
  g_autoptr(GError) error = NULL;
  static const char * const dirs[][2] = {
    { "HOME", "home" }, { "XDG_DATA_HOME", "data" }, { "XDG_CONFIG_HOME", "config" },
    { "XDG_CACHE_HOME", "cache" }, { "XDG_STATE_HOME", "state" },
  };

  profile->dir = g_dir_make_tmp ("byok-bench-startup-XXXXXX", &error);
  if (profile->dir == NULL)
    g_error ("%s", error->message);
  profile->env = g_get_environ ();
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (profile->dir, dirs[i][1], NULL);

      g_mkdir_with_parents (path, 0700);
      profile->env = g_environ_setenv (profile->env, dirs[i][0], path, TRUE);
    }
  profile->env = g_environ_setenv (profile->env, "GSETTINGS_SCHEMA_DIR", BYOK_SCHEMA_DIR, TRUE);
  if (renderer != NULL)
    profile->env = g_environ_setenv (profile->env, "GSK_RENDERER", renderer, TRUE);
  else
    profile->env = g_environ_unsetenv (profile->env, "GSK_RENDERER");
  /* No provider's key from the environment, and no base URL either. */
  {
    g_auto(GStrv) names = g_strdupv (profile->env);

    for (guint i = 0; names[i] != NULL; i++)
      {
        char *equals = strchr (names[i], '=');

        if (equals != NULL)
          *equals = '\0';
        if (g_str_has_suffix (names[i], "_API_KEY") || g_str_has_prefix (names[i], "BYOK_BASE_URL_"))
          profile->env = g_environ_unsetenv (profile->env, names[i]);
      }
  }
  return profile;
}

static void
profile_free (Profile *profile)
{
  remove_tree (profile->dir);
  g_free (profile->dir);
  g_strfreev (profile->env);
  g_free (profile);
}

static GPid
spawn (const char * const *argv,
       char              **env,
       gint64             *started)
{
  g_autoptr(GError) error = NULL;
  GSpawnFlags flags = G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL;
  GPid pid;

  if (g_getenv ("BYOK_BENCH_VERBOSE") == NULL)
    flags |= G_SPAWN_STDERR_TO_DEV_NULL;
  *started = g_get_monotonic_time ();
  if (!g_spawn_async (NULL, (char **) argv, env, flags, NULL, NULL, &pid, &error))
    g_error ("%s: %s", argv[0], error->message);
  return pid;
}

static void
stop (GPid pid)
{
  kill (pid, SIGTERM);
  waitpid (pid, NULL, 0);
  g_spawn_close_pid (pid);
}

/* ---- memory -------------------------------------------------------------- */

typedef struct {
  double rss_mb;
  double anon_mb;
} Memory;

static gboolean
read_memory (GPid    pid,
             Memory *out)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  memset (out, 0, sizeof *out);
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "VmRSS:"))
        out->rss_mb = g_ascii_strtod (lines[i] + 6, NULL) / 1024.0;
      else if (g_str_has_prefix (lines[i], "RssAnon:"))
        out->anon_mb = g_ascii_strtod (lines[i] + 8, NULL) / 1024.0;
    }
  return out->rss_mb > 0;
}

/* ---- the display --------------------------------------------------------- */

typedef struct {
  Display *dpy;
  Window   root;
  int      damage_event;
  GArray  *windows;   /* Window: created since watch_reset() */
  GArray  *damages;   /* Damage */
  gint64   mapped;    /* of the first window mapped, 0 before */
  Window   mapped_window;
  gboolean cleared;   /* the server's damage of its mapping seen */
  gint64   drawn;     /* its first drawing, 0 before */
  GPid     pid;       /* the process launched, 0: none */
  double   main_cpu_ms;   /* its main thread's CPU time at the first drawing */
  double   cpu_ms;        /* all its threads' */
} Watch;

static gboolean
watch_open (Watch *w)
{
  int error_base;

  memset (w, 0, sizeof *w);
  w->dpy = XOpenDisplay (NULL);
  if (w->dpy == NULL)
    return FALSE;
  if (!XDamageQueryExtension (w->dpy, &w->damage_event, &error_base))
    {
      XCloseDisplay (w->dpy);
      return FALSE;
    }
  w->root = DefaultRootWindow (w->dpy);
  XSelectInput (w->dpy, w->root, SubstructureNotifyMask);
  w->windows = g_array_new (FALSE, FALSE, sizeof (Window));
  w->damages = g_array_new (FALSE, FALSE, sizeof (Damage));
  XSync (w->dpy, False);
  return TRUE;
}

static int
ignore_x_error (Display     *dpy,
                XErrorEvent *event)
{
  /* A window gone before its damage was made or destroyed. */
  return 0;
}

static void
watch_reset (Watch *w)
{
  for (guint i = 0; i < w->damages->len; i++)
    XDamageDestroy (w->dpy, g_array_index (w->damages, Damage, i));
  XSync (w->dpy, False);
  while (XPending (w->dpy))
    {
      XEvent event;
      XNextEvent (w->dpy, &event);
    }
  g_array_set_size (w->windows, 0);
  g_array_set_size (w->damages, 0);
  w->mapped = 0;
  w->mapped_window = None;
  w->cleared = FALSE;
  w->drawn = 0;
  w->pid = 0;
  w->main_cpu_ms = w->cpu_ms = 0;
}

/* The CPU time a thread has run, from the scheduler's count in
 * nanoseconds (/proc/PID/task/TID/schedstat), in ms. */
static double
read_thread_cpu_ms (const char *path)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  return g_ascii_strtod (text, NULL) / 1e6;
}

/* @pid's main thread's CPU time and its threads' together (those alive
 * now: a thread pool's threads stay a while), in ms: what it has worked,
 * whatever else the machine's cores were doing meanwhile. */
static void
read_cpu (GPid    pid,
          double *main_ms,
          double *all_ms)
{
  g_autofree char *task = g_strdup_printf ("/proc/%d/task", pid);
  g_autofree char *main_path = g_strdup_printf ("/proc/%d/task/%d/schedstat", pid, pid);
  g_autoptr(GDir) dir = g_dir_open (task, 0, NULL);
  const char *tid;

  *main_ms = read_thread_cpu_ms (main_path);
  *all_ms = 0;
  while (dir != NULL && (tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (task, tid, "schedstat", NULL);

      *all_ms += read_thread_cpu_ms (path);
    }
}

static void
watch_handle (Watch *w)
{
  while (XPending (w->dpy))
    {
      XEvent event;
      gint64 now;

      XNextEvent (w->dpy, &event);
      now = g_get_monotonic_time ();
      if (event.type == CreateNotify && event.xcreatewindow.parent == w->root &&
          !event.xcreatewindow.override_redirect)
        {
          /* Watched from its creation: it cannot draw before it is mapped. */
          Damage damage = XDamageCreate (w->dpy, event.xcreatewindow.window, XDamageReportNonEmpty);

          g_array_append_val (w->windows, event.xcreatewindow.window);
          g_array_append_val (w->damages, damage);
          XFlush (w->dpy);
        }
      else if (event.type == MapNotify && event.xmap.event == w->root && w->mapped == 0 &&
               !event.xmap.override_redirect)
        {
          for (guint i = 0; i < w->windows->len; i++)
            if (g_array_index (w->windows, Window, i) == event.xmap.window)
              {
                w->mapped = now;
          if (g_getenv ("BENCH_STARTUP_DEBUG"))
            printf ("map %lx at %" G_GINT64_FORMAT "\n", event.xmap.window, now / 1000);
                w->mapped_window = event.xmap.window;
              }
        }
      else if (event.type == w->damage_event + XDamageNotify)
        {
          XDamageNotifyEvent *damage = (XDamageNotifyEvent *) &event;

          /* The server reports the whole window damaged as it maps it
           * (under Xvfb, whatever the window's background), before the
           * toolkit could draw: that one is not a frame. */
          if (w->mapped != 0 && w->drawn == 0 && damage->drawable == w->mapped_window)
            {
              if (!w->cleared && now - w->mapped < MAP_DAMAGE_US)
                w->cleared = TRUE;
              else
                {
                  w->drawn = now;
                  if (w->pid != 0)
                    read_cpu (w->pid, &w->main_cpu_ms, &w->cpu_ms);
                }
            }
          if (g_getenv ("BENCH_STARTUP_DEBUG"))
            printf ("damage %lx at %" G_GINT64_FORMAT " (%d,%d %dx%d)\n", damage->drawable, now / 1000, damage->area.x, damage->area.y, damage->area.width, damage->area.height);
          XDamageSubtract (w->dpy, damage->damage, None, None);
        }
    }
}

/* Handles the display's events until @until (monotonic µs). */
static void
watch_until (Watch  *w,
             gint64  until)
{
  for (;;)
    {
      gint64 now = g_get_monotonic_time ();
      GPollFD fd = { ConnectionNumber (w->dpy), G_IO_IN, 0 };

      watch_handle (w);
      if (now >= until)
        return;
      g_poll (&fd, 1, (int) MAX (1, (until - now) / 1000));
    }
}

/* ---- one launch ---------------------------------------------------------- */

typedef struct {
  double mapped_ms;
  double drawn_ms;
  double main_cpu_ms;   /* by the first frame: the main thread's CPU time */
  double cpu_ms;        /* all threads' */
  Memory memory;
  gboolean ok;
} Launch;

static void
launch (Watch              *w,
        const char * const *argv,
        const char         *renderer,
        Launch             *out)
{
  Profile *profile = profile_new (renderer);
  gint64 started;
  GPid pid;

  memset (out, 0, sizeof *out);
  watch_reset (w);
  pid = spawn (argv, profile->env, &started);
  w->pid = pid;

  while ((w->mapped == 0 || w->drawn == 0) && g_get_monotonic_time () < started + GIVE_UP_US)
    watch_until (w, MIN (started + GIVE_UP_US, g_get_monotonic_time () + 50 * 1000));
  watch_until (w, started + RSS_AFTER_US);
  out->ok = w->mapped != 0 && w->drawn != 0 && read_memory (pid, &out->memory);
  out->mapped_ms = bench_ms_between (started, w->mapped);
  out->drawn_ms = bench_ms_between (started, w->drawn);
  out->main_cpu_ms = w->main_cpu_ms;
  out->cpu_ms = w->cpu_ms;
  stop (pid);
  watch_reset (w);
  profile_free (profile);
}

/* ---- startup ------------------------------------------------------------- */

static const char * const bare_argv[] = { BYOK_BENCH_BARE, NULL };
static const char * const byok_argv[] = { BYOK_APP_PATH, NULL };

static double bare_rss_cairo;   /* the yardstick of the long conversation */

static void
print_row (const char *what,
           const char *unit,
           double     *bare,
           double     *byok,
           guint       n,
           gboolean    as_ratio,
           double      goal)
{
  double a = median (bare, n), b = median (byok, n);
  g_autofree char *compared = NULL;
  g_autofree char *verdict = NULL;

  if (as_ratio)
    {
      compared = g_strdup_printf ("%.2f×", b / a);
      verdict = g_strdup_printf ("goal ≤ %.1f×: %s", goal, b / a <= goal ? "met" : "NOT met");
    }
  else
    {
      compared = g_strdup_printf ("%+.1f %s", b - a, unit);
      verdict = g_strdup_printf ("goal ≤ +%.0f %s: %s", goal, unit, b - a <= goal ? "met" : "NOT met");
    }
  printf ("  %-26s %7.1f %s (%.1f–%.1f)  %7.1f %s (%.1f–%.1f)  %8s  %s\n", what,
          a, unit, minimum (bare, n), maximum (bare, n),
          b, unit, minimum (byok, n), maximum (byok, n), compared, verdict);
}

/* CPU time by the first frame: what each did, whatever the load (the wall
 * times above wait for a core too); beside, not against, a goal. */
static void
print_cpu_row (const char *what,
               double     *bare,
               double     *byok,
               guint       n)
{
  double a = median (bare, n), b = median (byok, n);

  printf ("  %-26s %7.1f ms (%.1f–%.1f)  %7.1f ms (%.1f–%.1f)  %7.2f×\n", what,
          a, minimum (bare, n), maximum (bare, n), b, minimum (byok, n), maximum (byok, n), b / a);
}

static void
bench_startup (Watch      *w,
               guint       runs,
               const char *renderer)
{
  g_autofree double *bare_map = g_new0 (double, runs), *byok_map = g_new0 (double, runs);
  g_autofree double *bare_draw = g_new0 (double, runs), *byok_draw = g_new0 (double, runs);
  g_autofree double *bare_main_cpu = g_new0 (double, runs), *byok_main_cpu = g_new0 (double, runs);
  g_autofree double *bare_cpu = g_new0 (double, runs), *byok_cpu = g_new0 (double, runs);
  g_autofree double *bare_rss = g_new0 (double, runs), *byok_rss = g_new0 (double, runs);
  g_autofree double *bare_anon = g_new0 (double, runs), *byok_anon = g_new0 (double, runs);
  Launch l;
  guint n = 0;

  printf ("%s, median of %u launches each, alternating (min–max):\n",
          renderer != NULL ? "GSK_RENDERER=cairo" : "the renderer GTK picks", runs);

  /* Not counted: the file cache, the session's services. */
  launch (w, bare_argv, renderer, &l);
  launch (w, byok_argv, renderer, &l);

  for (guint i = 0; i < runs; i++)
    {
      Launch bare, byok;

      launch (w, bare_argv, renderer, &bare);
      launch (w, byok_argv, renderer, &byok);
      if (!bare.ok || !byok.ok)
        {
          printf ("  run %u: %s did not show a window within %.0f s\n", i + 1,
                  !bare.ok ? "the bare window" : "Byok", GIVE_UP_US / 1e6);
          continue;
        }
      bare_map[n] = bare.mapped_ms;
      byok_map[n] = byok.mapped_ms;
      bare_draw[n] = bare.drawn_ms;
      byok_main_cpu[n] = byok.main_cpu_ms;
      bare_main_cpu[n] = bare.main_cpu_ms;
      byok_cpu[n] = byok.cpu_ms;
      bare_cpu[n] = bare.cpu_ms;
      byok_draw[n] = byok.drawn_ms;
      bare_rss[n] = bare.memory.rss_mb;
      byok_rss[n] = byok.memory.rss_mb;
      bare_anon[n] = bare.memory.anon_mb;
      byok_anon[n] = byok.memory.anon_mb;
      n++;
    }
  if (n == 0)
    return;
  printf ("  %-26s %-25s %-25s %8s\n", "", "bare window", "Byok", "");
  print_row ("exec → window mapped", "ms", bare_map, byok_map, n, TRUE, 1.3);
  print_row ("exec → first frame", "ms", bare_draw, byok_draw, n, TRUE, 1.5);
  print_cpu_row ("  main thread's CPU by then", bare_main_cpu, byok_main_cpu, n);
  print_cpu_row ("  all threads' CPU by then", bare_cpu, byok_cpu, n);
  print_row ("resident memory at 2 s", "MB", bare_rss, byok_rss, n, FALSE, 20);
  printf ("  %-26s %7.1f MB %17s %7.1f MB\n", "  of it anonymous", median (bare_anon, n), "",
          median (byok_anon, n));
  if (renderer != NULL)
    bare_rss_cairo = median (bare_rss, n);
}

/* ---- idle ---------------------------------------------------------------- */

typedef struct {
  char   *name;
  guint64 first;     /* voluntary switches when first seen */
  guint64 last;
  guint64 at_slice;  /* at the end of the first ten seconds */
} Thread;

static void
thread_free (gpointer data)
{
  Thread *thread = data;

  g_free (thread->name);
  g_free (thread);
}

/* Reads every thread's voluntary context switches into @threads (tid →
 * Thread). */
static void
sample_threads (GPid        pid,
                GHashTable *threads,
                gboolean    first_sample,
                gboolean    end_of_slice)
{
  g_autofree char *task = g_strdup_printf ("/proc/%d/task", pid);
  g_autoptr(GDir) dir = g_dir_open (task, 0, NULL);
  const char *tid;

  while (dir != NULL && (tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (task, tid, "status", NULL);
      g_autofree char *text = NULL;
      g_auto(GStrv) lines = NULL;
      g_autofree char *name = NULL;
      guint64 switches = 0;
      Thread *thread;

      if (!g_file_get_contents (path, &text, NULL, NULL))
        continue;
      lines = g_strsplit (text, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          if (g_str_has_prefix (lines[i], "Name:"))
            name = g_strstrip (g_strdup (lines[i] + 5));
          else if (g_str_has_prefix (lines[i], "voluntary_ctxt_switches:"))
            switches = g_ascii_strtoull (lines[i] + 24, NULL, 10);
        }
      thread = g_hash_table_lookup (threads, tid);
      if (thread == NULL)
        {
          thread = g_new0 (Thread, 1);
          thread->name = g_steal_pointer (&name);
          /* A thread born during the minute: all its sleeps count. */
          thread->first = first_sample ? switches : 0;
          thread->at_slice = thread->first;
          g_hash_table_insert (threads, g_strdup (tid), thread);
        }
      thread->last = switches;
      if (end_of_slice)
        thread->at_slice = switches;
    }
}

static void
bench_idle (Watch      *w,
            const char *label,
            const char *main_name,
            const char * const *argv,
            guint       seconds)
{
  Profile *profile = profile_new ("cairo");
  g_autoptr(GHashTable) threads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, thread_free);
  g_autoptr(GHashTable) by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GList) names = NULL;
  gint64 started, from;
  guint64 total = 0, in_slice = 0;
  GHashTableIter iter;
  Thread *thread;
  gboolean alive;
  GPid pid;

  watch_reset (w);
  pid = spawn (argv, profile->env, &started);
  watch_until (w, started + RSS_AFTER_US);
  from = g_get_monotonic_time ();
  sample_threads (pid, threads, TRUE, FALSE);
  for (guint s = 1; s <= seconds; s++)
    {
      watch_until (w, from + s * G_USEC_PER_SEC);
      sample_threads (pid, threads, FALSE, s == 10);
    }
  alive = waitpid (pid, NULL, WNOHANG) == 0;
  stop (pid);
  watch_reset (w);
  profile_free (profile);

  g_hash_table_iter_init (&iter, threads);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &thread))
    {
      const char *name = g_str_equal (thread->name, main_name) ? "main" : thread->name;
      guint64 woke = thread->last - thread->first;
      gpointer had = g_hash_table_lookup (by_name, name);

      total += woke;
      in_slice += thread->at_slice - thread->first;
      g_hash_table_insert (by_name, g_strdup (name), GSIZE_TO_POINTER (GPOINTER_TO_SIZE (had) + woke));
    }
  if (!alive)
    {
      printf ("  %-12s exited before the end; not counted\n", label);
      return;
    }
  printf ("  %-12s %4" G_GUINT64_FORMAT " wakeups (%" G_GUINT64_FORMAT " in the first 10 s):", label, total, in_slice);
  names = g_list_sort (g_hash_table_get_keys (by_name), (GCompareFunc) g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    printf ("%s %s %zu", l == names ? "" : ",", (const char *) l->data,
            GPOINTER_TO_SIZE (g_hash_table_lookup (by_name, l->data)));
  printf ("\n");
}

/* ---- the long conversation ----------------------------------------------- */

typedef struct {
  Memory opened;
  Memory ended;
  double stream_s;
  gboolean ok;
} LongRun;

/* The harness says, one line each on its stdout: "opened", "sent",
 * "ended". */
typedef struct {
  GMainLoop  *loop;
  GPid        pid;
  GString    *line;
  LongRun    *run;
  gint64      sent;
  gboolean    ended;
} Harness;

static gboolean
harness_output_cb (GIOChannel   *channel,
                   GIOCondition  condition,
                   gpointer      data)
{
  Harness *h = data;
  char buffer[256];
  gsize n = 0;

  if (g_io_channel_read_chars (channel, buffer, sizeof buffer, &n, NULL) != G_IO_STATUS_NORMAL || n == 0)
    {
      g_main_loop_quit (h->loop);
      return G_SOURCE_REMOVE;
    }
  for (gsize i = 0; i < n; i++)
    {
      if (buffer[i] != '\n')
        {
          g_string_append_c (h->line, buffer[i]);
          continue;
        }
      if (g_str_equal (h->line->str, "opened"))
        read_memory (h->pid, &h->run->opened);
      else if (g_str_equal (h->line->str, "sent"))
        h->sent = g_get_monotonic_time ();
      else if (g_str_equal (h->line->str, "ended"))
        {
          h->run->stream_s = bench_ms_between (h->sent, g_get_monotonic_time ()) / 1000.0;
          h->ended = TRUE;
          g_main_loop_quit (h->loop);
        }
      g_string_truncate (h->line, 0);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
bench_long (void)
{
  Profile *profile = profile_new ("cairo");
  g_autoptr(ByokTestServer) server = byok_test_server_new ();
  g_autofree char *db_dir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) channel = NULL;
  const char *argv[] = { BYOK_BENCH_HARNESS, NULL };
  LongRun run = { 0 };
  Harness h = { 0 };
  guint timeout;
  int out_fd;

  /* The database as a person would have it: filled by an earlier run, in
   * another process. */
  db_dir = g_build_filename (g_environ_getenv (profile->env, "XDG_DATA_HOME"), "byok", NULL);
  g_mkdir_with_parents (db_dir, 0700);
  db_path = g_build_filename (db_dir, "byok.db", NULL);
  {
    BenchConversationFill fill = { 0 };

    if (!bench_conversation_fill (db_path, LONG_MESSAGES, TRUE, &fill, &error))
      g_error ("%s", error->message);
    printf ("long conversation: %u messages (%.1f MB of text, %u answers with code), the newest, "
            "so the window opens on it\n", LONG_MESSAGES, fill.bytes / 1e6, fill.n_code);
  }
  byok_test_server_add_reply (server, BENCH_CONVERSATION_CHAT_PATH,
                              bench_conversation_stream_reply (LONG_TOKENS));
  url = g_strconcat (byok_test_server_get_url (server), "/v1", NULL);
  profile->env = g_environ_setenv (profile->env, "OPENAI_API_KEY", FAKE_KEY, TRUE);
  profile->env = g_environ_setenv (profile->env, "BYOK_BASE_URL_OPENAI", url, TRUE);

  h.loop = g_main_loop_new (NULL, FALSE);
  h.line = g_string_new (NULL);
  h.run = &run;
  if (!g_spawn_async_with_pipes (NULL, (char **) argv, profile->env, G_SPAWN_DO_NOT_REAP_CHILD |
                                 (g_getenv ("BYOK_BENCH_VERBOSE") == NULL ? G_SPAWN_STDERR_TO_DEV_NULL : 0),
                                 NULL, NULL, &h.pid, NULL, &out_fd, NULL, &error))
    g_error ("%s", error->message);
  channel = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (channel, TRUE);
  g_io_channel_set_encoding (channel, NULL, NULL);
  /* One read() a time: a buffered channel waits to fill its buffer. */
  g_io_channel_set_buffered (channel, FALSE);
  g_io_add_watch (channel, G_IO_IN | G_IO_HUP | G_IO_ERR, harness_output_cb, &h);
  timeout = g_timeout_add (LONG_GIVE_UP_US / 1000, quit_cb, h.loop);
  g_main_loop_run (h.loop);
  g_source_remove (timeout);

  if (h.ended)
    {
      /* Two seconds after the answer, as at start. */
      timeout = g_timeout_add (RSS_AFTER_US / 1000, quit_cb, h.loop);
      g_main_loop_run (h.loop);
      run.ok = read_memory (h.pid, &run.ended);
    }
  stop (h.pid);

  if (!run.ok)
    printf ("  the harness did not %s within %.0f s\n", h.sent != 0 ? "finish the answer" : "send",
            LONG_GIVE_UP_US / 1e6);
  else
    {
      printf ("  resident memory with the conversation shown: %.1f MB (of it anonymous %.1f MB)\n",
              run.opened.rss_mb, run.opened.anon_mb);
      printf ("  2 s after streaming the %u-token answer (%.1f s): %.1f MB (of it anonymous %.1f MB)\n",
              LONG_TOKENS, run.stream_s, run.ended.rss_mb, run.ended.anon_mb);
      if (bare_rss_cairo > 0)
        printf ("  beside the bare window at 2 s (%.1f MB): %+.1f MB; goal ≤ +80 MB: %s\n", bare_rss_cairo,
                run.ended.rss_mb - bare_rss_cairo, run.ended.rss_mb - bare_rss_cairo <= 80 ? "met" : "NOT met");
    }
  g_string_free (h.line, TRUE);
  g_main_loop_unref (h.loop);
  profile_free (profile);
}

/* ---- byok-cli ------------------------------------------------------------ */

static double
time_cli (const char * const *argv,
          char              **env)
{
  gint64 started;
  GPid pid = spawn (argv, env, &started);
  int status;

  waitpid (pid, &status, 0);
  g_spawn_close_pid (pid);
  return bench_ms_between (started, g_get_monotonic_time ());
}

static void
bench_cli (void)
{
  static const char * const commands[][4] = {
    { "--help", NULL },
    { "providers", NULL },
    { "models", "openai", NULL },
    { "keys", "list", NULL },
    { "usage", NULL },
    { "pricing", "list", NULL },
  };
  Profile *profile = profile_new (NULL);

  printf ("byok-cli, commands that send nothing: median of %u runs (min–max), in a profile whose "
          "database exists; goal < 15 ms\n", CLI_RUNS);
  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    {
      const char *argv[6] = { BYOK_CLI_PATH, NULL };
      g_autofree char *label = NULL;
      double times[CLI_RUNS];
      double m;

      for (guint i = 0; i < 4 && commands[c][i] != NULL; i++)
        argv[i + 1] = commands[c][i];
      label = g_strjoinv (" ", (char **) argv + 1);
      for (guint i = 0; i < CLI_WARMUP; i++)
        time_cli (argv, profile->env);
      for (guint i = 0; i < CLI_RUNS; i++)
        times[i] = time_cli (argv, profile->env);
      m = median (times, CLI_RUNS);
      printf ("  %-16s %6.1f ms (%.1f–%.1f)  %s\n", label, m, minimum (times, CLI_RUNS),
              maximum (times, CLI_RUNS), m < 15 ? "met" : "NOT met");
    }
  profile_free (profile);
}

/* ---- main ---------------------------------------------------------------- */

int
main (int    argc,
      char **argv)
{
  guint runs = DEFAULT_RUNS;
  guint idle_seconds = DEFAULT_IDLE_S;
  const char *only = NULL;
  Watch w;

  /* The module that reads images and PDFs, from the build tree, for Byok and byok-cli. */
  g_setenv ("BYOK_MODULE_DIR", BYOK_BUILD_MODULE_DIR, FALSE);
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--runs") && i + 1 < argc)
        runs = MAX (1, (guint) g_ascii_strtoull (argv[i + 1], NULL, 10)), i++;
      else if (g_str_equal (argv[i], "--idle-seconds") && i + 1 < argc)
        idle_seconds = MAX (10, (guint) g_ascii_strtoull (argv[i + 1], NULL, 10)), i++;
      else if (g_str_equal (argv[i], "--only") && i + 1 < argc)
        only = argv[++i];
      else
        {
          fprintf (stderr, "usage: bench-startup [--runs N] [--idle-seconds S] [--only startup|idle|long|cli]\n");
          return 2;
        }
    }

  if (!ensure_session (argc, argv))
    return 0;
  setvbuf (stdout, NULL, _IOLBF, 0);
  XSetErrorHandler (ignore_x_error);
  if (!watch_open (&w))
    {
      printf ("bench-startup: no X display with the DAMAGE extension; skipped\n");
      return 0;
    }
  printf ("display %s (Xvfb), a private D-Bus session with gnome-keyring; fresh profile each launch\n",
          g_getenv ("DISPLAY"));

  if (only == NULL || g_str_equal (only, "startup") || g_str_equal (only, "long"))
    {
      bench_startup (&w, only != NULL && g_str_equal (only, "long") ? 1 : runs, "cairo");
      if (only == NULL || g_str_equal (only, "startup"))
        bench_startup (&w, runs, NULL);
    }
  if (only == NULL || g_str_equal (only, "idle"))
    {
      printf ("idle, GSK_RENDERER=cairo: the window left alone for %u s from 2 s after exec; "
              "times a thread of the process woke (voluntary context switches)\n", idle_seconds);
      bench_idle (&w, "bare window", "startup-bare-wi", bare_argv, idle_seconds);
      bench_idle (&w, "Byok", "byok", byok_argv, idle_seconds);
    }
  if (only == NULL || g_str_equal (only, "long"))
    bench_long ();
  if (only == NULL || g_str_equal (only, "cli"))
    bench_cli ();

  XCloseDisplay (w.dpy);
  return 0;
}
