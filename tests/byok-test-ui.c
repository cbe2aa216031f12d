/* byok-test-ui.c — helpers the UI tests share */
#include "config.h"

#include <string.h>

#include "byok-test-ui.h"

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

/* A label under @widget whose visible text — what a person reads, after
 * any markup — holds @text (is @text, when @whole). */
GtkLabel *
byok_test_ui_find_text (GtkWidget  *widget,
                        const char *text,
                        gboolean    whole)
{
  if (GTK_IS_LABEL (widget))
    {
      const char *shown = gtk_label_get_text (GTK_LABEL (widget));

      if (shown != NULL && (whole ? g_str_equal (shown, text) : strstr (shown, text) != NULL))
        return GTK_LABEL (widget);
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkLabel *found = byok_test_ui_find_text (c, text, whole);

      if (found)
        return found;
    }
  return NULL;
}

/* The first button at or below @widget, depth first, with @icon_name or
 * (when @icon_name is %NULL or another) the label @label, as written
 * ("_Delete"); shown or not. */
GtkWidget *
byok_test_ui_find_button (GtkWidget  *widget,
                          const char *icon_name,
                          const char *label)
{
  if (GTK_IS_BUTTON (widget) &&
      ((icon_name != NULL && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), icon_name) == 0) ||
       (label != NULL && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = byok_test_ui_find_button (c, icon_name, label);

      if (found)
        return found;
    }
  return NULL;
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
