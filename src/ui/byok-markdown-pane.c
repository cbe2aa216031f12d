/* byok-markdown-pane.c — Markdown of any length, as a column of views */
#define G_LOG_DOMAIN "byok-markdown"

#include "config.h"

#include <string.h>

#include "byok-markdown-pane.h"
#include "byok-markdown-view.h"

struct _ByokMarkdownPane
{
  GtkWidget  parent_instance;

  GPtrArray *views;     /* of ByokMarkdownView*, top to bottom; never empty */
  GString   *closed;    /* the text of every view but the last */
  GString   *text;      /* get_text()'s answer */

  /* Drawing only the views in sight (see visible_range()). */
  GdkFrameClock *frame_clock;
  guint      drawn_first;
  guint      drawn_last;  /* inclusive */
};

/* Bytes given to a view at a time (once it holds a segment's worth,
 * in set_text()), so that it closes soon after a segment. */
#define STEP 4096

/* Views further than this from the scrolled window's edge are not drawn. */
#define DRAW_MARGIN 256

G_DEFINE_FINAL_TYPE (ByokMarkdownPane, byok_markdown_pane, GTK_TYPE_WIDGET)

static ByokMarkdownView *
last_view (ByokMarkdownPane *self)
{
  return g_ptr_array_index (self->views, self->views->len - 1);
}

static ByokMarkdownView *
add_view (ByokMarkdownPane *self)
{
  GtkWidget *view = byok_markdown_view_new ();

  gtk_widget_set_hexpand (view, TRUE);
  if (self->views->len > 0)
    {
      /* In one view, a top-level block starts after a "gap" line of
       * three quarters of a line (byok-markdown.h); a view that goes on
       * from the one above starts with that space. */
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (view, "X");
      int line_height = 0;

      pango_layout_get_pixel_size (layout, NULL, &line_height);
      gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), line_height * 3 / 4);
    }
  gtk_widget_set_parent (view, GTK_WIDGET (self));
  g_ptr_array_add (self->views, view);
  return BYOK_MARKDOWN_VIEW (view);
}

/* Back to one empty view. */
static void
reset (ByokMarkdownPane *self)
{
  while (self->views->len > 1)
    {
      gtk_widget_unparent (GTK_WIDGET (last_view (self)));
      g_ptr_array_set_size (self->views, self->views->len - 1);
    }
  g_string_truncate (self->closed, 0);
  byok_markdown_view_set_text (last_view (self), NULL);
}

/* Once the last view has settled a segment's worth, it keeps that and
 * a new view takes over. Returns: (transfer full) (nullable): the text
 * moved out of the old view, for the new one */
static char *
close_if_full (ByokMarkdownPane *self)
{
  ByokMarkdownView *view = last_view (self);
  char *rest;

  if (byok_markdown_view_get_settled_length (view) < BYOK_MARKDOWN_PANE_SEGMENT)
    return NULL;
  rest = byok_markdown_view_take_unsettled (view);
  g_string_append (self->closed, byok_markdown_view_get_text (view));
  add_view (self);
  return rest;
}

/**
 * byok_markdown_pane_append:
 * @delta: (nullable): Markdown to add at the end (any split, even inside
 *   a UTF-8 character)
 */
void
byok_markdown_pane_append (ByokMarkdownPane *self,
                           const char       *delta)
{
  gsize length;
  gsize done = 0;

  g_return_if_fail (BYOK_IS_MARKDOWN_PANE (self));

  if (delta == NULL)
    return;
  length = strlen (delta);

  /* A long delta goes a step at a time, so views close where they
   * should. */
  while (done < length)
    {
      gsize n = MIN (length - done, STEP);
      char *rest;

      if (done + n == length)
        byok_markdown_view_append (last_view (self), delta + done);
      else
        {
          g_autofree char *piece = g_strndup (delta + done, n);

          byok_markdown_view_append (last_view (self), piece);
        }
      done += n;

      while ((rest = close_if_full (self)) != NULL)
        {
          byok_markdown_view_append (last_view (self), rest);
          g_free (rest);
        }
    }
}

/**
 * byok_markdown_pane_set_text:
 * @text: (nullable): Markdown; %NULL for none
 *
 * Shows @text. When it starts with the current text, only the rest is
 * appended; when it differs only in what the last view shows, that view
 * is rendered again; otherwise all of it.
 */
void
byok_markdown_pane_set_text (ByokMarkdownPane *self,
                             const char       *text)
{
  g_autofree char *valid = NULL;
  const char *rest;
  gsize length;

  g_return_if_fail (BYOK_IS_MARKDOWN_PANE (self));

  if (text == NULL)
    text = "";
  length = strlen (text);
  /* What the views hold is valid UTF-8: compare like with like. */
  if (!g_utf8_validate_len (text, length, NULL))
    {
      text = valid = g_utf8_make_valid (text, length);
      length = strlen (text);
    }

  if (length < self->closed->len || memcmp (text, self->closed->str, self->closed->len) != 0)
    reset (self);

  /* The last view gets what follows the closed ones, up to a segment
   * and then a step at a time (an append when it extends what it
   * shows), until it has settled a segment's worth; then the rest goes
   * to a new view. */
  rest = text + self->closed->len;
  length -= self->closed->len;
  for (;;)
    {
      ByokMarkdownView *view = last_view (self);
      gsize shown = strlen (byok_markdown_view_get_text (view));
      gsize limit = MAX (shown, BYOK_MARKDOWN_PANE_SEGMENT) + STEP;
      gsize kept;

      if (limit >= length)
        {
          limit = length;
          byok_markdown_view_set_text (view, rest);
        }
      else
        {
          g_autofree char *piece = NULL;

          while (limit > 0 && (rest[limit] & 0xC0) == 0x80)
            limit--;
          piece = g_strndup (rest, limit);
          byok_markdown_view_set_text (view, piece);
        }

      if (byok_markdown_view_get_settled_length (view) >= BYOK_MARKDOWN_PANE_SEGMENT)
        {
          g_free (byok_markdown_view_take_unsettled (view));
          kept = strlen (byok_markdown_view_get_text (view));
          g_string_append_len (self->closed, rest, kept);
          rest += kept;
          length -= kept;
          add_view (self);
          continue;
        }
      if (limit == length)
        break;
    }
}

/**
 * byok_markdown_pane_get_text:
 * Returns: the Markdown shown
 */
const char *
byok_markdown_pane_get_text (ByokMarkdownPane *self)
{
  g_return_val_if_fail (BYOK_IS_MARKDOWN_PANE (self), NULL);

  g_string_assign (self->text, self->closed->str);
  g_string_append (self->text, byok_markdown_view_get_text (last_view (self)));
  return self->text->str;
}

/**
 * byok_markdown_pane_get_n_views:
 * Returns: how many text views show the text
 */
guint
byok_markdown_pane_get_n_views (ByokMarkdownPane *self)
{
  g_return_val_if_fail (BYOK_IS_MARKDOWN_PANE (self), 0);
  return self->views->len;
}

/* ---- drawing ------------------------------------------------------------- */

/* The views that can be seen, @first to @last (none when @first > @last):
 * those that meet the scrolled window the pane is in, with a margin; all
 * of them outside a scrolled window. A long answer in a message list is
 * a row of tens of thousands of pixels; drawing every view of it
 * (GtkTextView draws all its lines) made each frame of a streaming answer
 * slower than the one before. */
static void
visible_range (ByokMarkdownPane *self,
               guint            *first,
               guint            *last)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t window;

  *first = 0;
  *last = self->views->len - 1;
  if (self->views->len < 2 || scrolled == NULL || !gtk_widget_compute_bounds (scrolled, widget, &window))
    return;
  graphene_rect_inset (&window, 0, -DRAW_MARGIN);

  *first = 1;
  *last = 0;
  for (guint i = 0; i < self->views->len; i++)
    {
      graphene_rect_t bounds;

      if (!gtk_widget_compute_bounds (g_ptr_array_index (self->views, i), widget, &bounds))
        {
          *first = 0;
          *last = self->views->len - 1;
          return;
        }
      if (bounds.origin.y + bounds.size.height < window.origin.y)
        continue;
      if (bounds.origin.y > window.origin.y + window.size.height)
        break;
      if (*first > *last)
        *first = i;
      *last = i;
    }
}

static void
byok_markdown_pane_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  ByokMarkdownPane *self = BYOK_MARKDOWN_PANE (widget);

  visible_range (self, &self->drawn_first, &self->drawn_last);
  for (guint i = self->drawn_first; i <= self->drawn_last && i < self->views->len; i++)
    gtk_widget_snapshot_child (widget, g_ptr_array_index (self->views, i), snapshot);
}

/* Scrolling moves the pane without drawing it again: after each layout,
 * draw again if other views have come into sight. */
static void
layout_cb (GdkFrameClock    *frame_clock,
           ByokMarkdownPane *self)
{
  guint first;
  guint last;

  if (self->views->len < 2)
    return;
  visible_range (self, &first, &last);
  if (first != self->drawn_first || last != self->drawn_last)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
byok_markdown_pane_map (GtkWidget *widget)
{
  ByokMarkdownPane *self = BYOK_MARKDOWN_PANE (widget);

  GTK_WIDGET_CLASS (byok_markdown_pane_parent_class)->map (widget);
  self->frame_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  g_signal_connect (self->frame_clock, "layout", G_CALLBACK (layout_cb), self);
}

static void
byok_markdown_pane_unmap (GtkWidget *widget)
{
  ByokMarkdownPane *self = BYOK_MARKDOWN_PANE (widget);

  if (self->frame_clock != NULL)
    g_signal_handlers_disconnect_by_func (self->frame_clock, layout_cb, self);
  g_clear_object (&self->frame_clock);
  GTK_WIDGET_CLASS (byok_markdown_pane_parent_class)->unmap (widget);
}

static void
byok_markdown_pane_dispose (GObject *object)
{
  ByokMarkdownPane *self = BYOK_MARKDOWN_PANE (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  if (self->views != NULL)
    g_ptr_array_set_size (self->views, 0);

  G_OBJECT_CLASS (byok_markdown_pane_parent_class)->dispose (object);
}

static void
byok_markdown_pane_finalize (GObject *object)
{
  ByokMarkdownPane *self = BYOK_MARKDOWN_PANE (object);

  g_clear_pointer (&self->views, g_ptr_array_unref);
  g_string_free (self->closed, TRUE);
  g_string_free (self->text, TRUE);

  G_OBJECT_CLASS (byok_markdown_pane_parent_class)->finalize (object);
}

static void
byok_markdown_pane_class_init (ByokMarkdownPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byok_markdown_pane_dispose;
  object_class->finalize = byok_markdown_pane_finalize;
  widget_class->snapshot = byok_markdown_pane_snapshot;
  widget_class->map = byok_markdown_pane_map;
  widget_class->unmap = byok_markdown_pane_unmap;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "markdownpane");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
byok_markdown_pane_init (ByokMarkdownPane *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  self->views = g_ptr_array_new ();
  self->closed = g_string_new (NULL);
  self->text = g_string_new (NULL);
  add_view (self);
}

/**
 * byok_markdown_pane_new:
 *
 * Returns: (transfer floating): an empty pane
 */
GtkWidget *
byok_markdown_pane_new (void)
{
  return g_object_new (BYOK_TYPE_MARKDOWN_PANE, NULL);
}
