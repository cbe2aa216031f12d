/* bench-long-conversation.c — the Chat page with a very long conversation
 *
 * Fills a throwaway database with a conversation of 10,000 messages
 * (questions and Markdown answers: paragraphs, lists, some code blocks),
 * builds the real window (1000×700) and measures, with the frame clock:
 *
 *   - opening that conversation: from byok_chat_page_open_conversation()
 *     to the first frame painted after it, and to the frame that shows the
 *     conversation's end (the last message's row mapped, the list scrolled
 *     to the end); six times, coming alternately from a new conversation
 *     and from another, short one;
 *   - streaming a 100,000-token answer into it (about 400,000 characters
 *     of Markdown, in 25,000 OpenAI chat.completion.chunk events of four
 *     tokens, ten events per write, a write every 2 ms) from the provider
 *     test server in this process, sent through the composer: every frame
 *     while it streams. A tick callback keeps the frame clock running, so
 *     each interval between two painted frames is one frame: over 16.7 ms
 *     it missed a refresh of a 60 Hz screen, over 32 ms it dropped one.
 *
 * The goals: the conversation shows its end in under 300 ms; no frame
 * over 32 ms while the answer streams. It prints figures; it asserts
 * nothing.
 *
 * It needs a display: without DISPLAY or WAYLAND_DISPLAY it runs itself
 * again under xvfb-run, or says why not and exits. Under Xvfb it renders
 * with GTK's cairo renderer unless GSK_RENDERER says otherwise: Xvfb's
 * OpenGL is Mesa's llvmpipe, which rasterises in software on every core
 * and would measure Mesa, not Byok (a frame took most of a second).
 * A desktop with a GPU draws much faster either way. The key is a fake
 * one from the environment; no keyring, no settings and no session bus
 * of the person's desktop are touched.
 *
 *   bench-long-conversation [MESSAGES [TOKENS [open|stream]]]
 *
 * (the third argument runs one part only, for profiling).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "bench-conversation.h"
#include "byok-chat-page.h"
#include "byok-composer.h"
#include "byok-markdown-view.h"
#include "byok-message-row.h"
#include "byok-test-server.h"
#include "byok-window.h"

#define DEFAULT_MESSAGES   10000
#define DEFAULT_TOKENS     100000
#define OPEN_RUNS          6
#define OPEN_GIVE_UP_US    (10 * G_USEC_PER_SEC)
#define OPEN_GOAL_MS       300.0
#define FRAME_60HZ_MS      16.7
#define DROPPED_MS         32.0
#define GIVE_UP_US         (120 * G_USEC_PER_SEC)

#define FAKE_KEY    "sk-bench-fake-not-a-real-key-0000"
#define CHAT_PATH   BENCH_CONVERSATION_CHAT_PATH
#define PROVIDER    BENCH_CONVERSATION_PROVIDER
#define MODEL       BENCH_CONVERSATION_MODEL

/* ---- small helpers ------------------------------------------------------- */

/* The value at @q (0…1) of sorted @values. */
static double
quantile (const double *values,
          guint         n,
          double        q)
{
  if (n == 0)
    return 0;
  return values[MIN ((guint) (q * (n - 1) + 0.5), n - 1)];
}

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

typedef gboolean (*Condition) (gpointer data);

/* Runs the main loop until @condition holds; FALSE if it gave up. */
static gboolean
iterate_until (Condition  condition,
               gpointer   data,
               gint64     give_up_us)
{
  guint wake = g_timeout_add (5, wake_up, NULL);
  gint64 until = g_get_monotonic_time () + give_up_us;
  gboolean ok;

  while (!(ok = condition (data)) && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  return ok;
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_descendant (c, type);
      if (found)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_row_of (GtkWidget   *widget,
             ByokMessage *message)
{
  if (BYOK_IS_MESSAGE_ROW (widget) && byok_message_row_get_message (BYOK_MESSAGE_ROW (widget)) == message)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_row_of (c, message);
      if (found)
        return found;
    }
  return NULL;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* ---- a display ----------------------------------------------------------- */

/* Without a display, runs again under xvfb-run; returns only when there
 * is a display (FALSE: none to be had, said why). */
static gboolean
ensure_display (int    argc,
                char **argv)
{
  g_autofree char *xvfb_run = NULL;
  g_autofree char *self = NULL;
  g_autoptr(GPtrArray) args = NULL;

  if (g_getenv ("DISPLAY") != NULL || g_getenv ("WAYLAND_DISPLAY") != NULL)
    return TRUE;

  xvfb_run = g_find_program_in_path ("xvfb-run");
  if (xvfb_run == NULL || g_getenv ("BYOK_BENCH_UNDER_XVFB") != NULL)
    {
      printf ("bench-long-conversation: no display (neither DISPLAY nor WAYLAND_DISPLAY is set) and %s; skipped\n",
              xvfb_run == NULL ? "no xvfb-run to make one (apt install xvfb)" : "xvfb-run did not make one");
      return FALSE;
    }

  self = g_file_read_link ("/proc/self/exe", NULL);
  args = g_ptr_array_new ();
  g_ptr_array_add (args, xvfb_run);
  g_ptr_array_add (args, (char *) "-a");
  g_ptr_array_add (args, (char *) "-s");
  g_ptr_array_add (args, (char *) "-screen 0 1280x900x24");
  g_ptr_array_add (args, self != NULL ? self : argv[0]);
  for (int i = 1; i < argc; i++)
    g_ptr_array_add (args, argv[i]);
  g_ptr_array_add (args, NULL);

  g_setenv ("BYOK_BENCH_UNDER_XVFB", "1", TRUE);
  fflush (stdout);
  execv (xvfb_run, (char **) args->pdata);
  printf ("bench-long-conversation: could not run xvfb-run (%s); skipped\n", g_strerror (errno));
  return FALSE;
}

/* Nothing of the person's desktop: settings in memory, no keyring (a
 * session bus that is not there), no accessibility bus. */
static void
isolate_environment (void)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL)
    g_setenv ("GSETTINGS_SCHEMA_DIR", BYOK_SCHEMA_DIR, TRUE);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/byok-bench-no-bus", TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);
  g_setenv ("GTK_A11Y", "none", FALSE);
}

/* Xvfb: started by us, or by xvfb-run, whose X authority file lives in
 * its own temporary directory. */
static gboolean
under_xvfb (void)
{
  const char *xauthority = g_getenv ("XAUTHORITY");

  return g_getenv ("BYOK_BENCH_UNDER_XVFB") != NULL ||
         (g_getenv ("WAYLAND_DISPLAY") == NULL && xauthority != NULL && strstr (xauthority, "/xvfb-run.") != NULL);
}

/* ---- the window ---------------------------------------------------------- */

typedef struct {
  ByokEngine     *engine;
  ByokTestServer *server;
  GtkWidget      *window;
  ByokChatPage   *page;
  GdkFrameClock  *clock;
} Bench;

static gboolean
keys_known (gpointer data)
{
  Bench *b = data;

  return byok_chat_page_get_keys_known (b->page);
}

static void
open_engine (Bench      *b,
             const char *db_path)
{
  const char *env[] = { "OPENAI_API_KEY=" FAKE_KEY, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (byok_test_server_get_url (b->server), "/v1", NULL);
  ByokKeyStore *keys;

  b->engine = byok_engine_new (db_path, &error);
  if (b->engine == NULL)
    g_error ("%s", error->message);
  keys = byok_engine_get_key_store (b->engine);
  byok_key_store_set_environment (keys, env);
  byok_key_store_set_prefer_environment (keys, PROVIDER, TRUE);
  byok_client_set_max_attempts (byok_engine_get_client (b->engine), 1);
  byok_provider_set_base_url (byok_catalog_lookup_provider (byok_engine_get_catalog (b->engine), PROVIDER), url);
}

static ByokComposer *
composer_of (Bench *b)
{
  return BYOK_COMPOSER (find_descendant (GTK_WIDGET (b->page), BYOK_TYPE_COMPOSER));
}

static void
open_window (Bench *b)
{
  b->window = g_object_new (BYOK_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (b->window), 1000, 700);
  b->page = BYOK_CHAT_PAGE (find_descendant (b->window, BYOK_TYPE_CHAT_PAGE));
  byok_chat_page_set_engine (b->page, b->engine);
  gtk_window_present (GTK_WINDOW (b->window));
  if (!iterate_until (keys_known, b, GIVE_UP_US))
    g_error ("the page never learnt which keys there are");
  byok_model_picker_set_selection (byok_composer_get_picker (composer_of (b)), PROVIDER, MODEL);
  b->clock = gtk_widget_get_frame_clock (b->window);
}

/* ---- frames -------------------------------------------------------------- */

static void
count_paint_cb (GdkFrameClock *clock,
                guint         *painted)
{
  (*painted)++;
}

static gboolean
painted_enough (gpointer data)
{
  guint *painted = data;

  return *painted >= 2;
}

/* Two frames painted from now: whatever was pending is on screen. */
static gboolean
languages_loaded (gpointer data)
{
  guint total = 0;

  return byok_markdown_view_get_n_preloaded (&total) == total;
}

static void
settle (Bench *b)
{
  guint painted = 0;
  gulong handler = g_signal_connect (b->clock, "after-paint", G_CALLBACK (count_paint_cb), &painted);

  gtk_widget_queue_draw (b->window);
  iterate_until (painted_enough, &painted, GIVE_UP_US);
  g_signal_handler_disconnect (b->clock, handler);
}

/* The last message of the open conversation. */
static ByokMessage *
last_message (Bench *b)
{
  ByokConversation *conversation = byok_chat_page_get_conversation (b->page);
  g_autoptr(GListModel) messages = NULL;
  guint n;

  if (conversation == NULL)
    return NULL;
  /* The store returns the live list the page holds. */
  messages = byok_conversation_store_get_messages (byok_chat_page_get_store (b->page), conversation, NULL);
  n = messages != NULL ? g_list_model_get_n_items (messages) : 0;
  if (n == 0)
    return NULL;
  {
    g_autoptr(ByokMessage) message = g_list_model_get_item (messages, n - 1);
    return message;   /* the list keeps it */
  }
}

/* The message list: the list view styled "message-list". */
static GtkWidget *
find_message_list (GtkWidget *widget)
{
  if (GTK_IS_LIST_VIEW (widget) && gtk_widget_has_css_class (widget, "message-list"))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_message_list (c);
      if (found)
        return found;
    }
  return NULL;
}

static GtkAdjustment *
list_adjustment (Bench *b)
{
  GtkWidget *list = find_message_list (GTK_WIDGET (b->page));

  return list != NULL ? gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list)) : NULL;
}

/* Is @message's row on screen, the list scrolled to its end? */
static gboolean
end_shown (Bench       *b,
           ByokMessage *message)
{
  GtkWidget *row = find_row_of (GTK_WIDGET (b->page), message);
  GtkAdjustment *adjustment = list_adjustment (b);

  if (row == NULL || !gtk_widget_get_mapped (row) || adjustment == NULL)
    return FALSE;
  return gtk_adjustment_get_value (adjustment) >=
         gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment) - 1;
}

/* What the list shows: the positions of its mapped rows. */
static void
print_list_state (Bench *b)
{
  GtkWidget *list = find_message_list (GTK_WIDGET (b->page));
  GtkAdjustment *adjustment = list_adjustment (b);
  gint64 lowest = G_MAXINT64, highest = -1;
  guint rows = 0;

  if (list == NULL || adjustment == NULL)
    return;
  for (GtkWidget *c = gtk_widget_get_first_child (list); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *row = find_descendant (c, BYOK_TYPE_MESSAGE_ROW);
      ByokMessage *message = row != NULL ? byok_message_row_get_message (BYOK_MESSAGE_ROW (row)) : NULL;

      rows++;
      if (message == NULL || !gtk_widget_get_mapped (row))
        continue;
      lowest = MIN (lowest, byok_message_get_position (message));
      highest = MAX (highest, byok_message_get_position (message));
    }
  printf ("           the list shows messages #%" G_GINT64_FORMAT "–#%" G_GINT64_FORMAT
          " (of rows made: %u), scrolled to %.0f of %.0f px (page %.0f px)\n",
          lowest, highest, rows, gtk_adjustment_get_value (adjustment),
          gtk_adjustment_get_upper (adjustment), gtk_adjustment_get_page_size (adjustment));
}

/* ---- opening ------------------------------------------------------------- */

typedef struct {
  Bench       *b;
  ByokMessage *last;
  gint64       first_paint;
  gint64       end_paint;
  guint        frames;
} OpenWatch;

static void
open_after_paint_cb (GdkFrameClock *clock,
                     OpenWatch     *watch)
{
  gint64 now = g_get_monotonic_time ();

  if (watch->end_paint != 0)
    return;
  watch->frames++;
  if (watch->first_paint == 0)
    watch->first_paint = now;
  if (watch->last != NULL && end_shown (watch->b, watch->last))
    watch->end_paint = now;
}

static gboolean
open_done (gpointer data)
{
  OpenWatch *watch = data;

  return watch->end_paint != 0;
}

/* Opens @conversation OPEN_RUNS times, coming alternately from a new
 * conversation (the start page) and from another, short conversation:
 * its messages are loaded again from the database, its rows made again. */
static void
bench_open (Bench            *b,
            ByokConversation *conversation,
            ByokConversation *other)
{
  double call[OPEN_RUNS], first[OPEN_RUNS], end[OPEN_RUNS];
  guint n_first = 0, n_end = 0, n_never = 0;

  printf ("open the conversation, %u times (until its end is painted, or %.0f s):\n",
          OPEN_RUNS, OPEN_GIVE_UP_US / 1e6);
  for (guint run = 0; run < OPEN_RUNS; run++)
    {
      OpenWatch watch = { b, NULL, 0, 0, 0 };
      gboolean from_other = run % 2 == 1;
      gulong handler;
      gint64 start, returned;

      byok_chat_page_open_conversation (b->page, from_other ? other : NULL);
      settle (b);

      handler = g_signal_connect (b->clock, "after-paint", G_CALLBACK (open_after_paint_cb), &watch);
      start = g_get_monotonic_time ();
      byok_chat_page_open_conversation (b->page, conversation);
      returned = g_get_monotonic_time ();
      watch.last = last_message (b);
      iterate_until (open_done, &watch, OPEN_GIVE_UP_US);
      g_signal_handler_disconnect (b->clock, handler);

      call[n_first] = bench_ms_between (start, returned);
      first[n_first] = watch.first_paint != 0 ? bench_ms_between (start, watch.first_paint) : 0;
      n_first++;
      printf ("  #%u from %-22s open_conversation() %7.1f ms, first frame %7.1f ms, ",
              run + 1, from_other ? "another conversation:" : "a new conversation:",
              call[n_first - 1], first[n_first - 1]);
      if (watch.end_paint != 0)
        {
          end[n_end] = bench_ms_between (start, watch.end_paint);
          printf ("its end shown %7.1f ms (frame %u)\n", end[n_end], watch.frames);
          n_end++;
        }
      else
        {
          printf ("its end NEVER shown (%u frames)\n", watch.frames);
          print_list_state (b);
          n_never++;
        }
      settle (b);
    }

  qsort (call, n_first, sizeof call[0], bench_compare_double);
  qsort (first, n_first, sizeof first[0], bench_compare_double);
  printf ("  byok_chat_page_open_conversation() returns  min %7.1f  median %7.1f  max %7.1f ms\n",
          call[0], call[n_first / 2], call[n_first - 1]);
  printf ("  first frame painted                          min %7.1f  median %7.1f  max %7.1f ms\n",
          first[0], first[n_first / 2], first[n_first - 1]);
  if (n_end > 0)
    {
      qsort (end, n_end, sizeof end[0], bench_compare_double);
      printf ("  frame showing its end (last row mapped)      min %7.1f  median %7.1f  max %7.1f ms (%u of %u runs)\n",
              end[0], end[n_end / 2], end[n_end - 1], n_end, OPEN_RUNS);
    }
  if (n_never > 0)
    printf ("  goal: its end shown in under %.0f ms → NOT met (%u of %u runs never showed the end)\n",
            OPEN_GOAL_MS, n_never, OPEN_RUNS);
  else
    printf ("  goal: its end shown in under %.0f ms → %s (median %.1f ms, max %.1f ms)\n",
            OPEN_GOAL_MS, end[n_end - 1] < OPEN_GOAL_MS ? "met" : "NOT met", end[n_end / 2], end[n_end - 1]);
}

/* ---- streaming ----------------------------------------------------------- */

/* One frame, from the frame clock's signals: before-paint starts it; the
 * end of the layout phase (update: tick callbacks, the new text appended;
 * layout: measure and allocate) and of the paint phase (snapshot and
 * render) split it; after-paint ends it. */
typedef struct {
  gint64 start;
  gint64 layout_end;
  gint64 paint_end;
  gint64 end;
  gsize  length;     /* of the answer when painted */
  gboolean at_end;   /* the list scrolled to its end */
} Frame;

typedef struct {
  Bench       *b;
  ByokMessage *answer;
  GArray      *frames;        /* Frame */
  Frame        current;
} StreamWatch;

static void
stream_before_paint_cb (GdkFrameClock *clock,
                        StreamWatch   *watch)
{
  memset (&watch->current, 0, sizeof watch->current);
  watch->current.start = g_get_monotonic_time ();
}

/* Connected after GDK's own handlers: they ran. */
static void
stream_layout_cb (GdkFrameClock *clock,
                  StreamWatch   *watch)
{
  watch->current.layout_end = g_get_monotonic_time ();
}

static void
stream_paint_cb (GdkFrameClock *clock,
                 StreamWatch   *watch)
{
  watch->current.paint_end = g_get_monotonic_time ();
}

static void
stream_after_paint_cb (GdkFrameClock *clock,
                       StreamWatch   *watch)
{
  Frame frame = watch->current;

  frame.end = g_get_monotonic_time ();
  if (frame.start == 0)
    frame.start = frame.end;
  if (frame.layout_end == 0)
    frame.layout_end = frame.start;
  if (frame.paint_end == 0)
    frame.paint_end = frame.layout_end;
  frame.length = watch->answer != NULL ? strlen (byok_message_get_content (watch->answer)) : 0;
  {
    GtkAdjustment *adjustment = list_adjustment (watch->b);

    frame.at_end = adjustment != NULL &&
                   gtk_adjustment_get_value (adjustment) >=
                   gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment) - 1;
  }
  g_array_append_val (watch->frames, frame);
  memset (&watch->current, 0, sizeof watch->current);
}

/* Keeps the frame clock running: every refresh is a frame. */
static gboolean
keep_ticking (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
not_busy (gpointer data)
{
  Bench *b = data;

  return !byok_chat_page_get_busy (b->page);
}

static double
interval_before (GArray *frames,
                 guint   i)
{
  return bench_ms_between (g_array_index (frames, Frame, i - 1).end, g_array_index (frames, Frame, i).end);
}

static int
compare_by_interval (const void *a,
                     const void *b,
                     gpointer    frames)
{
  double x = interval_before (frames, *(const guint *) a);
  double y = interval_before (frames, *(const guint *) b);

  return (x < y) - (x > y);
}

/* Frames from + 1 … to - 1, each with the interval since the one before. */
static void
print_frames (GArray *frames,
              guint   from,
              guint   to)
{
  guint n = to - from - 1;
  g_autofree double *intervals = g_new (double, n);
  g_autofree double *work = g_new (double, n);
  g_autofree guint *order = g_new (guint, n);
  guint over_frame = 0, over_dropped = 0, work_over = 0, with_text = 0;
  guint buckets[6] = { 0 };
  static const double edges[] = { 17.5, 25, 33.4, 50, 100 };
  guint parts = 5;

  for (guint k = 0; k < n; k++)
    {
      guint i = from + 1 + k;
      const Frame *prev = &g_array_index (frames, Frame, i - 1);
      const Frame *frame = &g_array_index (frames, Frame, i);
      guint bucket = 0;

      intervals[k] = interval_before (frames, i);
      work[k] = bench_ms_between (frame->start, frame->end);
      order[k] = i;
      over_frame += intervals[k] > FRAME_60HZ_MS;
      over_dropped += intervals[k] > DROPPED_MS;
      work_over += work[k] > FRAME_60HZ_MS;
      with_text += frame->length != prev->length;
      while (bucket < G_N_ELEMENTS (edges) && intervals[k] > edges[bucket])
        bucket++;
      buckets[bucket]++;
    }

  printf ("  frames while streaming: %u, %u of them with new text\n", n, with_text);
  {
    guint at_end = 0, left_at = 0;

    for (guint i = from + 1; i < to; i++)
      {
        const Frame *frame = &g_array_index (frames, Frame, i);

        at_end += frame->at_end;
        if (!frame->at_end && left_at == 0)
          left_at = i;
      }
    printf ("  the list followed the answer (scrolled to its end) in %u of %u frames", at_end, n);
    if (left_at != 0)
      printf ("; first left the end at %.1f s, %zu characters in",
              bench_ms_between (g_array_index (frames, Frame, from).end, g_array_index (frames, Frame, left_at).end) / 1000.0,
              g_array_index (frames, Frame, left_at).length);
    printf ("\n");
  }

  /* How it changes as the answer grows. */
  printf ("  by fifth of the stream, medians of interval / work / its paint&render, and the longest interval:\n   ");
  for (guint p = 0; p < parts; p++)
    {
      guint a = n * p / parts, z = n * (p + 1) / parts;
      g_autofree double *iv = g_memdup2 (intervals + a, (z - a) * sizeof (double));
      g_autofree double *wk = g_memdup2 (work + a, (z - a) * sizeof (double));
      g_autofree double *pt = g_new (double, MAX (z - a, 1));

      for (guint k = a; k < z; k++)
        {
          const Frame *frame = &g_array_index (frames, Frame, from + 1 + k);
          pt[k - a] = bench_ms_between (frame->layout_end, frame->paint_end);
        }
      qsort (iv, z - a, sizeof (double), bench_compare_double);
      qsort (wk, z - a, sizeof (double), bench_compare_double);
      qsort (pt, z - a, sizeof (double), bench_compare_double);
      printf ("%s %.1f/%.1f/%.1f, %.0f", p > 0 ? " ·" : "", quantile (iv, z - a, 0.5), quantile (wk, z - a, 0.5),
              quantile (pt, z - a, 0.5), z > a ? iv[z - a - 1] : 0.0);
    }
  printf (" ms\n");

  qsort (intervals, n, sizeof intervals[0], bench_compare_double);
  qsort (work, n, sizeof work[0], bench_compare_double);
  printf ("  interval between painted frames: median %.1f ms, p95 %.1f ms, p99 %.1f ms, longest %.1f ms\n",
          quantile (intervals, n, 0.5), quantile (intervals, n, 0.95), quantile (intervals, n, 0.99),
          intervals[n - 1]);
  printf ("  frames over %.1f ms: %u (%.1f %%); over %.0f ms (dropped): %u (%.1f %%)\n",
          FRAME_60HZ_MS, over_frame, 100.0 * over_frame / n, DROPPED_MS, over_dropped, 100.0 * over_dropped / n);
  printf ("  intervals: ≤17.5 ms %u · ≤25 ms %u · ≤33.4 ms %u · ≤50 ms %u · ≤100 ms %u · >100 ms %u\n",
          buckets[0], buckets[1], buckets[2], buckets[3], buckets[4], buckets[5]);
  printf ("  work in a frame (before-paint → after-paint): median %.1f ms, p95 %.1f ms, longest %.1f ms; "
          "%u frames over %.1f ms\n",
          quantile (work, n, 0.5), quantile (work, n, 0.95), work[n - 1], work_over, FRAME_60HZ_MS);

  /* Where the longest ones went: the frame's phases, and the main loop
   * between frames (the stream's events, saves, idle work). */
  g_qsort_with_data (order, n, sizeof order[0], compare_by_interval, frames);
  printf ("  the longest intervals: [between frames + update&layout + paint&render + after]\n");
  for (guint k = 0; k < MIN (n, 8); k++)
    {
      const Frame *prev = &g_array_index (frames, Frame, order[k] - 1);
      const Frame *frame = &g_array_index (frames, Frame, order[k]);

      printf ("    %6.1f ms at %4.1f s: [%5.1f + %5.1f + %5.1f + %4.1f] ms, answer %zu characters\n",
              interval_before (frames, order[k]),
              bench_ms_between (g_array_index (frames, Frame, from).end, frame->end) / 1000.0,
              bench_ms_between (prev->end, frame->start), bench_ms_between (frame->start, frame->layout_end),
              bench_ms_between (frame->layout_end, frame->paint_end), bench_ms_between (frame->paint_end, frame->end),
              frame->length);
    }
}

static void
bench_stream (Bench *b,
              guint  tokens)
{
  g_autofree char *text = bench_conversation_long_answer (tokens);
  StreamWatch watch = { b, NULL, g_array_new (FALSE, FALSE, sizeof (Frame)), { 0 } };
  ByokComposer *composer = composer_of (b);
  guint n_events, n_writes;
  gulong handlers[4];
  guint tick;
  gint64 sent, send_returned, done;
  guint first_text = G_MAXUINT, last_frame;
  gboolean finished;

  byok_test_server_add_reply (b->server, CHAT_PATH,
                              bench_conversation_stream_reply_of (text, tokens, &n_events, &n_writes));
  printf ("stream an answer of %u tokens (%zu characters of Markdown) into it: %u events, "
          "%u writes %u ms apart\n",
          tokens, strlen (text), n_events, n_writes, BENCH_CONVERSATION_WRITE_DELAY_MS);

  settle (b);
  /* A person starts typing, then writes on before sending: the window is
   * mostly quiet, and Byok, told by the typing, loads the common
   * languages' highlighting in the pauses. */
  byok_composer_set_text (composer, "Now");
  {
    gint64 quiet = g_get_monotonic_time ();
    guint total = 0;
    gboolean loaded = iterate_until (languages_loaded, NULL, 20 * G_USEC_PER_SEC);

    byok_markdown_view_get_n_preloaded (&total);
    printf ("  while the window is quiet (the person types): highlighting for %u of %u languages "
            "loaded in %.1f s%s\n",
            byok_markdown_view_get_n_preloaded (NULL), total,
            (g_get_monotonic_time () - quiet) / 1e6, loaded ? "" : " (gave up waiting)");
  }
  handlers[0] = g_signal_connect (b->clock, "before-paint", G_CALLBACK (stream_before_paint_cb), &watch);
  handlers[1] = g_signal_connect_after (b->clock, "layout", G_CALLBACK (stream_layout_cb), &watch);
  handlers[2] = g_signal_connect_after (b->clock, "paint", G_CALLBACK (stream_paint_cb), &watch);
  handlers[3] = g_signal_connect (b->clock, "after-paint", G_CALLBACK (stream_after_paint_cb), &watch);
  tick = gtk_widget_add_tick_callback (b->window, keep_ticking, NULL, NULL);

  byok_composer_set_text (composer, "Now write it all down: every part, in detail.");
  sent = g_get_monotonic_time ();
  if (!byok_composer_send (composer))
    {
      printf ("  the composer did not send; no stream measured\n");
      goto out;
    }
  send_returned = g_get_monotonic_time ();
  watch.answer = g_object_ref (last_message (b));
  finished = iterate_until (not_busy, b, GIVE_UP_US);
  done = g_get_monotonic_time ();
  last_frame = watch.frames->len;
  settle (b);

  for (guint i = 0; i < watch.frames->len; i++)
    if (g_array_index (watch.frames, Frame, i).length > 0)
      {
        first_text = i;
        break;
      }

  printf ("  send (store the prompt and the answer, build a request of %" G_GINT64_FORMAT " messages): %.1f ms\n",
          byok_message_get_position (watch.answer), bench_ms_between (sent, send_returned));
  if (!finished || first_text == G_MAXUINT || last_frame < first_text + 3)
    {
      printf ("  the answer did not %s within %.0f s\n", first_text == G_MAXUINT ? "start" : "finish",
              GIVE_UP_US / 1e6);
      goto out;
    }
  {
    const Frame *first = &g_array_index (watch.frames, Frame, first_text);
    double seconds = bench_ms_between (first->end, done) / 1000.0;
    double longest_before = 0;
    double longest = 0;

    for (guint i = 1; i <= first_text; i++)
      longest_before = MAX (longest_before, interval_before (watch.frames, i));
    printf ("  send → first text painted: %.1f ms (longest interval between frames before it: %.1f ms)\n",
            bench_ms_between (sent, first->end), longest_before);
    printf ("  first text → answer complete: %.2f s (%.0f tokens/s); status %s, %zu characters shown\n",
            seconds, tokens / seconds, byok_message_get_status (watch.answer),
            strlen (byok_message_get_content (watch.answer)));
    {
      GtkWidget *row = find_row_of (GTK_WIDGET (b->page), watch.answer);

      printf ("  at the end, the answer's row is %s;\n",
              row == NULL ? "not made (not near what the list shows)" :
              gtk_widget_get_mapped (row) ? "on screen" : "made but not on screen");
      print_list_state (b);
    }
    print_frames (watch.frames, first_text, last_frame);
    for (guint i = first_text + 1; i < last_frame; i++)
      longest = MAX (longest, interval_before (watch.frames, i));
    printf ("  goal: no frame over %.0f ms while streaming → %s (longest %.1f ms)\n",
            DROPPED_MS, longest <= DROPPED_MS ? "met" : "NOT met", longest);
  }

out:
  gtk_widget_remove_tick_callback (b->window, tick);
  for (guint i = 0; i < G_N_ELEMENTS (handlers); i++)
    g_signal_handler_disconnect (b->clock, handlers[i]);
  g_clear_object (&watch.answer);
  g_array_unref (watch.frames);
}

/* ---- main ---------------------------------------------------------------- */

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db_path = NULL;
  ByokConversation *conversation;
  ByokConversation *other;
  guint n_messages = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : DEFAULT_MESSAGES;
  guint tokens = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : DEFAULT_TOKENS;
  const char *part = argc > 3 ? argv[3] : NULL;
  BenchConversationFill fill = { 0 };
  Bench b = { 0 };

  if (!ensure_display (argc, argv))
    return 0;
  isolate_environment ();
  if (under_xvfb ())
    g_setenv ("GSK_RENDERER", "cairo", FALSE);
  setvbuf (stdout, NULL, _IOLBF, 0);

  gtk_init ();
  adw_init ();

  dir = g_dir_make_tmp ("byok-bench-long-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  db_path = g_build_filename (dir, "byok.db", NULL);

  printf ("GTK %u.%u.%u, libadwaita %u.%u.%u; display %s %s%s; database in %s\n",
          gtk_get_major_version (), gtk_get_minor_version (), gtk_get_micro_version (),
          adw_get_major_version (), adw_get_minor_version (), adw_get_micro_version (),
          g_getenv ("WAYLAND_DISPLAY") != NULL ? "Wayland" : "X11",
          g_getenv ("WAYLAND_DISPLAY") != NULL ? g_getenv ("WAYLAND_DISPLAY") : g_getenv ("DISPLAY"),
          under_xvfb () ? " (Xvfb)" : "", dir);

  b.server = byok_test_server_new ();
  open_engine (&b, db_path);
  if (!bench_conversation_fill_engine (b.engine, n_messages, TRUE, &fill, &error))
    g_error ("%s", error->message);
  printf ("filled a conversation of %u messages (%.1f MB of text, %u answers with code) in %.1f s "
          "(one transaction each, not timed as the app's work)\n",
          n_messages, fill.bytes / 1e6, fill.n_code, fill.seconds);

  open_window (&b);
  /* The page's own objects for the two conversations. */
  conversation = byok_conversation_store_lookup (byok_chat_page_get_store (b.page), fill.long_id);
  other = byok_conversation_store_lookup (byok_chat_page_get_store (b.page), fill.short_id);
  {
    GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (b.window));

    printf ("window 1000×700, GSK renderer %s\n", renderer != NULL ? G_OBJECT_TYPE_NAME (renderer) : "none");
  }
  settle (&b);

  if (part == NULL || g_str_equal (part, "open"))
    bench_open (&b, conversation, other);
  if (part == NULL || g_str_equal (part, "stream"))
    {
      if (part != NULL)
        {
          byok_chat_page_open_conversation (b.page, conversation);
          settle (&b);
        }
      bench_stream (&b, tokens);
    }

  gtk_window_destroy (GTK_WINDOW (b.window));
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_clear_object (&b.engine);
  g_clear_object (&b.server);
  remove_dir (dir);
  return 0;
}
