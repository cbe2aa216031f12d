/* byok-test-ui.c — helpers the UI tests share */
#include "config.h"

#include <string.h>
#include <adwaita.h>
#include <gdk/x11/gdkx.h>

#include "byok-chat-page.h"
#include "byok-compat.h"
#include "byok-test-ui.h"
#include "byok-test-util.h"

#define MAX_ITERATIONS 50000

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
byok_test_ui_iterate_until (ByokTestCondition  condition,
                            gpointer           data,
                            const char        *what)
{
  guint wake = g_timeout_add (5, wake_up, NULL);
  guint i;

  for (i = 0; i < MAX_ITERATIONS && !condition (data); i++)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  if (i == MAX_ITERATIONS)
    g_error ("gave up waiting for %s", what);
}

void
byok_test_ui_iterate_pending (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

/* Destroys *@window, sets it to %NULL, and lets what that set off run. */
void
byok_test_ui_destroy_window (GtkWidget **window)
{
  gtk_window_destroy (GTK_WINDOW (*window));
  *window = NULL;
  byok_test_ui_iterate_pending ();
}

/* The first widget of @type at or below @widget, depth first. */
GtkWidget *
byok_test_ui_find_descendant (GtkWidget *widget,
                              GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = byok_test_ui_find_descendant (c, type);
      if (found)
        return found;
    }
  return NULL;
}

/* The open window or dialog of @type: a window of its own, or (libadwaita
 * 1.5 and later, AdwDialog) a dialog inside a window. */
GtkWidget *
byok_test_ui_find_open (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);
      GtkWidget *found = byok_test_ui_find_descendant (window, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* ---- dialogs ---------------------------------------------------------- */

static gboolean
is_toplevel (GtkWidget *widget)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (window == widget)
        return TRUE;
    }
  return FALSE;
}

/* @dialog is no longer up: a window of its own destroyed, or (an
 * AdwDialog) taken out of the window it was presented over. */
static gboolean
dialog_closed (gpointer data)
{
  GtkWidget *dialog = data;

  return GTK_IS_WINDOW (dialog) ? !is_toplevel (dialog) : gtk_widget_get_parent (dialog) == NULL;
}

/* Runs the main loop until @dialog (the caller holds a reference) is
 * closed. */
void
byok_test_ui_wait_closed (GtkWidget *dialog)
{
  byok_test_ui_iterate_until (dialog_closed, dialog, "the dialog to close");
}

static void
record_response (GtkWidget  *alert,
                 const char *response,
                 GPtrArray  *responses)
{
  g_ptr_array_add (responses, g_strdup (response));
}

/* Every response @alert gives from now on, in order (an array of strings
 * that outlives the alert if need be). */
GPtrArray *
byok_test_ui_record_responses (GtkWidget *alert)
{
  GPtrArray *responses = g_ptr_array_new_with_free_func (g_free);

  g_signal_connect_data (alert, "response", G_CALLBACK (record_response), g_ptr_array_ref (responses),
                         (GClosureNotify) (void (*) (void)) g_ptr_array_unref, 0);
  return responses;
}

/* Answers @alert with @response, by Enter in @entry or (%NULL) as its
 * button would: it closes and says @response, once, on every libadwaita. */
static void
answer_alert (GtkWidget  *alert,
              GtkWidget  *entry,
              const char *response)
{
  g_autoptr(GPtrArray) responses = byok_test_ui_record_responses (alert);

  g_object_ref (alert);
  if (entry != NULL)
    byok_test_ui_press_enter (entry);
  else
    byok_alert_response (alert, response);
  byok_test_ui_wait_closed (alert);
  g_object_unref (alert);
  g_assert_cmpuint (responses->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (responses, 0), ==, response);
}

void
byok_test_ui_answer_alert (GtkWidget  *alert,
                           const char *response)
{
  answer_alert (alert, NULL, response);
}

/* Enter in @entry (at or below) answers @alert with @response, once, and
 * closes it. */
void
byok_test_ui_enter_answers_alert (GtkWidget  *alert,
                                  GtkWidget  *entry,
                                  const char *response)
{
  answer_alert (alert, entry, response);
}

/* Enter in the text field at or below @widget (an entry row, say), as the
 * key does once it reaches the field: the field takes the focus and its
 * own binding for Return runs. */
void
byok_test_ui_press_enter (GtkWidget *widget)
{
  GtkWidget *text = byok_test_ui_find_descendant (widget, GTK_TYPE_TEXT);
  g_autoptr(GListModel) controllers = NULL;
  gboolean pressed = FALSE;

  g_assert_nonnull (text);
  g_assert_true (gtk_widget_grab_focus (text));
  controllers = gtk_widget_observe_controllers (text);
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !pressed; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)) && !pressed; j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == GDK_KEY_Return &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0)
            pressed = gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                                    text, gtk_shortcut_get_arguments (shortcut));
        }
    }
  g_assert_true (pressed);
}

/* Every widget of @type at or below @widget, depth first, into @out. */
void
byok_test_ui_collect (GtkWidget *widget,
                      GType      type,
                      GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    byok_test_ui_collect (c, type, out);
}

typedef struct {
  const char *text;
  gboolean    whole;
} VisibleText;

static gboolean
is_label_with_text (GtkWidget     *widget,
                    gconstpointer  data)
{
  const VisibleText *want = data;
  const char *shown = GTK_IS_LABEL (widget) ? gtk_label_get_text (GTK_LABEL (widget)) : NULL;

  return shown != NULL && (want->whole ? g_str_equal (shown, want->text) : strstr (shown, want->text) != NULL);
}

/* A label under @widget whose visible text — what a person reads, after
 * any markup — holds @text (is @text, when @whole). */
GtkLabel *
byok_test_ui_find_text (GtkWidget  *widget,
                        const char *text,
                        gboolean    whole)
{
  VisibleText want = { text, whole };

  return (GtkLabel *) byok_test_ui_find_first (widget, is_label_with_text, &want);
}

typedef struct {
  GtkWidget  *root;
  const char *text;
  gboolean    whole;
  gboolean    mapped;
} TextWait;

static gboolean
text_shown (gpointer data)
{
  TextWait *w = data;
  GtkLabel *label = byok_test_ui_find_text (w->root, w->text, w->whole);

  return label != NULL && (!w->mapped || gtk_widget_get_mapped (GTK_WIDGET (label)));
}

/* The main loop runs until a label under @root holds @text (is @text, when
 * @whole), and (@mapped) is on screen. */
void
byok_test_ui_wait_for_text (GtkWidget  *root,
                            const char *text,
                            gboolean    whole,
                            gboolean    mapped)
{
  TextWait w = { root, text, whole, mapped };
  g_autofree char *what = g_strdup_printf ("a label reading “%s”", text);

  byok_test_ui_iterate_until (text_shown, &w, what);
}

typedef struct {
  const char *icon_name;
  const char *label;
} ButtonLook;

static gboolean
is_button_looking (GtkWidget     *widget,
                   gconstpointer  data)
{
  const ButtonLook *want = data;

  return GTK_IS_BUTTON (widget) &&
         ((want->icon_name != NULL && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), want->icon_name) == 0) ||
          (want->label != NULL && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), want->label) == 0));
}

/* The first button at or below @widget, depth first, with @icon_name or
 * (when @icon_name is %NULL or another) the label @label, as written
 * ("_Delete"); shown or not. */
GtkWidget *
byok_test_ui_find_button (GtkWidget  *widget,
                          const char *icon_name,
                          const char *label)
{
  ButtonLook want = { icon_name, label };

  return byok_test_ui_find_first (widget, is_button_looking, &want);
}

/* Visible, as every parent up to @top. */
gboolean
byok_test_ui_is_shown (GtkWidget *widget,
                       GtkWidget *top)
{
  for (GtkWidget *w = widget; w != NULL && w != top; w = gtk_widget_get_parent (w))
    if (!gtk_widget_get_visible (w))
      return FALSE;
  return TRUE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

static gboolean
give_up (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* ---- toolkit bugs -------------------------------------------------------- */

/* GTK 4.24's X11 backend marks one frame as submitted twice whenever a
 * popover is shown on a display without a compositor (Xvfb): the surface
 * and the display code both submit it. It says so with a Gdk warning that
 * no application code can cause or avoid. */
static gboolean
is_frame_submitted_twice (const char *log_domain,
                          const char *message)
{
  return g_strcmp0 (log_domain, "Gdk") == 0 &&
         strstr (message, "gdk_frame_timings_submitted() called on submitted frame") != NULL;
}

/* libadwaita 1.6 and 1.7 (Debian 13 has 1.7.6; 1.6 brought the heading's
 * two sizes): an AdwAlertDialog whose heading is wider, in its large
 * one-line style (.title-2), than the alert shows it in the small wrapping
 * one (.title-4), as designed; but its measure_heading() still measures
 * the large label's height for the alert's width, less than that label's
 * one-line width, and GTK warns "Trying to measure GtkLabel 0x… for width
 * of W, but it needs at least N". The alert is as wide as its buttons
 * allow (at most 372sp), so any long heading does it: "Den Schlüssel für
 * OpenAI löschen?" at the usual text size, "Delete the OpenAI Key?" at
 * twice. libadwaita 1.8.0 measures the large label at its own width
 * instead (commit 34d32f5e, "alert/message-dialog: Fix warning with long
 * heading", libadwaita issue #1025); 1.7.x never got the fix. Only that
 * label inside an alert, only before 1.8. */
static gboolean
is_alert_heading_measured_narrow (const char *log_domain,
                                  const char *message)
{
  static const char prefix[] = "Trying to measure GtkLabel ";
  GType alert_type = g_type_from_name ("AdwAlertDialog");
  GtkWidget *label, *bin;
  char *end = NULL;

  if (adw_get_major_version () != 1 || adw_get_minor_version () >= 8 || alert_type == 0 ||
      g_strcmp0 (log_domain, "Gtk") != 0 || !g_str_has_prefix (message, prefix))
    return FALSE;
  /* GTK writes the label it is measuring, alive while it warns. */
  label = GSIZE_TO_POINTER ((gsize) g_ascii_strtoull (message + strlen (prefix), &end, 16));
  if (label == NULL || end == NULL || !g_str_has_prefix (end, " for width of ") || !GTK_IS_LABEL (label))
    return FALSE;
  bin = gtk_widget_get_parent (label);
  return gtk_widget_has_css_class (label, "title-2") && !gtk_label_get_wrap (GTK_LABEL (label)) &&
         bin != NULL && gtk_widget_has_css_class (bin, "heading-bin") &&
         gtk_widget_get_ancestor (bin, alert_type) != NULL;
}

/* Every other warning stays fatal. */
static gboolean
is_known_toolkit_bug (const char     *log_domain,
                      GLogLevelFlags  log_level,
                      const char     *message)
{
  return (log_level & G_LOG_LEVEL_WARNING) && message != NULL &&
         (is_frame_submitted_twice (log_domain, message) ||
          is_alert_heading_measured_narrow (log_domain, message));
}

/* g_warning() without G_LOG_USE_STRUCTURED: GLib asks this before aborting. */
static gboolean
fatal_unless_known_toolkit_bug (const char     *log_domain,
                                GLogLevelFlags  log_level,
                                const char     *message,
                                gpointer        user_data)
{
  return !is_known_toolkit_bug (log_domain, log_level, message);
}

static GLogWriterFunc next_writer;

/* Structured messages (GTK's): the default writer is what aborts on a
 * fatal level, so the known ones are written here instead. */
static GLogWriterOutput
write_unless_known_toolkit_bug (GLogLevelFlags   log_level,
                                const GLogField *fields,
                                gsize            n_fields,
                                gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0 && fields[i].length < 0)
        domain = fields[i].value;
      else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
        message = fields[i].value;
    }
  if (is_known_toolkit_bug (domain, log_level, message))
    {
      g_printerr ("(known toolkit bug, not fatal) %s-WARNING: %s\n", domain, message);
      return G_LOG_WRITER_HANDLED;
    }
  if (next_writer != NULL)
    return next_writer (log_level, fields, n_fields, user_data);
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/**
 * byok_test_tolerate_toolkit_bugs:
 * @writer: (nullable): the test's own log writer for every other message
 *   (GLib takes one writer a process), or %NULL for GLib's default
 *
 * For UI tests, before anything logs: a warning GTK or libadwaita gives
 * about its own state, whatever Byok does (see above), is printed but does
 * not abort the test nor reach @writer.
 */
void
byok_test_tolerate_toolkit_bugs (GLogWriterFunc writer)
{
  next_writer = writer;
  g_test_log_set_fatal_handler (fatal_unless_known_toolkit_bug, NULL);
  g_log_set_writer_func (write_unless_known_toolkit_bug, NULL, NULL);
}

/**
 * byok_test_ui_init:
 * @writer: (nullable): as for byok_test_tolerate_toolkit_bugs()
 *
 * What a UI test's main() does first: GTK's test setup, the toolkit's own
 * warnings tolerated, libadwaita set up.
 */
void
byok_test_ui_init (int             *argc,
                   char          ***argv,
                   GLogWriterFunc   writer)
{
  gtk_test_init (argc, argv, NULL);
  byok_test_tolerate_toolkit_bugs (writer);
  adw_init ();
}

/* Waits until @widget's window has drawn a frame. */
void
byok_test_ui_wait_for_paint (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean painted = FALSE;
  gboolean timed_out = FALSE;
  guint timeout;
  gulong handler;

  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);
  timeout = g_timeout_add_seconds (30, give_up, &timed_out);
  gtk_widget_queue_draw (widget);
  while (!painted && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("gave up waiting for a frame");
  g_source_remove (timeout);
  g_signal_handler_disconnect (clock, handler);
}

/* With BYOK_TEST_SCREENSHOT_DIR set, saves the window (or a widget in
 * one) as NAME.png there: how the developers look at what a test drove
 * the page to. */
void
byok_test_ui_screenshot (GtkWidget  *window,
                         const char *name)
{
  const char *dir = g_getenv ("BYOK_TEST_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  int width, height;

  if (dir == NULL)
    return;
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  byok_test_ui_wait_for_paint (window);
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  renderer = gtk_native_get_renderer (gtk_widget_get_native (window));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  gdk_texture_save_to_png (texture, path);
}

/* A ByokTestCondition: the ByokChatPage @page knows which providers have
 * keys. */
gboolean
byok_test_ui_chat_page_keys_known (gpointer page)
{
  return byok_chat_page_get_keys_known (BYOK_CHAT_PAGE (page));
}

/* A ByokTestCondition: the ByokChatPage @page is not busy with an answer. */
gboolean
byok_test_ui_chat_page_idle (gpointer page)
{
  return !byok_chat_page_get_busy (BYOK_CHAT_PAGE (page));
}

/* The first widget at or below @widget, depth first, that @match holds
 * for (given @data); %NULL when none does. */
GtkWidget *
byok_test_ui_find_first (GtkWidget           *widget,
                         ByokTestWidgetMatch  match,
                         gconstpointer        data)
{
  if (match (widget, data))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = byok_test_ui_find_first (c, match, data);

      if (found)
        return found;
    }
  return NULL;
}

/* What the finders below look for: a widget of @type whose text, as
 * @text_of reads it, is @text, shown up to @top (%NULL: shown or not). */
typedef struct {
  GtkWidget   *top;
  GType        type;
  const char *(*text_of) (GtkWidget *widget);
  const char  *text;
} ShownText;

static gboolean
is_shown_text (GtkWidget     *widget,
               gconstpointer  data)
{
  const ShownText *want = data;

  return G_TYPE_CHECK_INSTANCE_TYPE (widget, want->type) && g_strcmp0 (want->text_of (widget), want->text) == 0 &&
         (want->top == NULL || byok_test_ui_is_shown (widget, want->top));
}

static const char *
label_of (GtkWidget *label)
{
  return gtk_label_get_label (GTK_LABEL (label));
}

static const char *
button_label_of (GtkWidget *button)
{
  return gtk_button_get_label (GTK_BUTTON (button));
}

static const char *
action_of (GtkWidget *button)
{
  return gtk_actionable_get_action_name (GTK_ACTIONABLE (button));
}

/* A label at or below @widget shown (visible up to @top; %NULL: shown or
 * not) whose label, as written, is @text. */
GtkWidget *
byok_test_ui_find_shown_label (GtkWidget  *widget,
                               GtkWidget  *top,
                               const char *text)
{
  ShownText want = { top, GTK_TYPE_LABEL, label_of, text };

  return byok_test_ui_find_first (widget, is_shown_text, &want);
}

/* A button at or below @widget shown (visible up to @top; %NULL: shown or
 * not) whose label, as written ("_Retry"), is @label. */
GtkWidget *
byok_test_ui_find_shown_button (GtkWidget  *widget,
                                GtkWidget  *top,
                                const char *label)
{
  ShownText want = { top, GTK_TYPE_BUTTON, button_label_of, label };

  return byok_test_ui_find_first (widget, is_shown_text, &want);
}

/* A button at or below @widget with the action @action: shown (visible
 * up to @top), or, when @top is %NULL, shown or not. */
GtkWidget *
byok_test_ui_find_action_button (GtkWidget  *widget,
                                 GtkWidget  *top,
                                 const char *action)
{
  ShownText want = { top, GTK_TYPE_BUTTON, action_of, action };

  return byok_test_ui_find_first (widget, is_shown_text, &want);
}

typedef struct {
  ByokProviderRow    *row;
  ByokProviderStatus  status;
} StatusWait;

static gboolean
status_is (gpointer data)
{
  StatusWait *w = data;

  return byok_provider_row_get_status (w->row) == w->status;
}

/* Runs the main loop until @row's status is @status (a key check done). */
void
byok_test_ui_wait_for_status (ByokProviderRow    *row,
                              ByokProviderStatus  status)
{
  StatusWait w = { row, status };
  g_autoptr(GEnumClass) klass = g_type_class_ref (BYOK_TYPE_PROVIDER_STATUS);
  g_autofree char *what = g_strdup_printf ("the status %s of %s",
                                           g_enum_get_value (klass, status)->value_nick,
                                           byok_provider_get_id (byok_provider_row_get_provider (row)));

  byok_test_ui_iterate_until (status_is, &w, what);
}

/* The fixture's folder (byok-test-@name-…), its database's path and the
 * test server; the test opens the engine and the window. */
void
byok_test_chat_fixture_start (ByokTestChatFixture *fixture,
                              const char          *name)
{
  fixture->dir = byok_test_make_dir (name);
  fixture->db_path = g_build_filename (fixture->dir, "byok.db", NULL);
  fixture->server = byok_test_server_new ();
}

void
byok_test_chat_fixture_close_window (ByokTestChatFixture *fixture)
{
  byok_test_ui_destroy_window (&fixture->window);
  fixture->page = NULL;
}

/* The window closed (if open), held replies let go, the engine and the
 * server gone, the folder removed. */
void
byok_test_chat_fixture_finish (ByokTestChatFixture *fixture)
{
  if (fixture->window != NULL)
    byok_test_chat_fixture_close_window (fixture);
  byok_test_server_release_held (fixture->server);
  byok_test_ui_iterate_pending ();
  g_clear_object (&fixture->engine);
  g_clear_object (&fixture->server);
  byok_test_remove_tree (fixture->dir);
  g_free (fixture->db_path);
  g_free (fixture->dir);
}

/**
 * byok_test_ui_release_clipboard:
 * @display: the display whose CLIPBOARD selection this process took
 *
 * Gives up the CLIPBOARD selection (on X11; elsewhere nothing is done).
 * While this process owns it, each GTK program starting on the display
 * asks it for its formats, and GTK 4.8's X11 clipboard loses a list at
 * each answer (gdk_x11_clipboard_formats_to_atoms()); and when another
 * program takes it from the owner, GTK 4.8 reads that program's formats
 * with a transfer it never frees (see tests/lsan.supp). Given up, the
 * selection has no owner and neither happens.
 */
void
byok_test_ui_release_clipboard (GdkDisplay *display)
{
  if (!GDK_IS_X11_DISPLAY (display))
    return;
  /* GTK 4.18 deprecates GDK's X11 calls; they still work, and only GTK
   * 4.8's leaks need them. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  XSetSelectionOwner (gdk_x11_display_get_xdisplay (display),
                      gdk_x11_get_xatom_by_name_for_display (display, "CLIPBOARD"),
                      None, CurrentTime);
  XSync (gdk_x11_display_get_xdisplay (display), False);
  G_GNUC_END_IGNORE_DEPRECATIONS
  byok_test_ui_iterate_pending ();
}
