/* byok-markdown-view.c — a read-only text view that shows Markdown */
#define G_LOG_DOMAIN "byok-markdown"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "byok-markdown.h"
#include "byok-markdown-view-private.h"
#include "byok-scroll.h"

#define URL_KEY          "byok-markdown-url"
#define INDENT_KEY       "byok-markdown-indent"
#define INDENT_STEP      20   /* px per level of lists and quotes */

enum {
  PROP_0,
  PROP_TEXT,
  N_PROPS
};

enum {
  ACTIVATE_LINK,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (ByokMarkdownView, byok_markdown_view, GTK_TYPE_TEXT_VIEW)

/* ---- looks --------------------------------------------------------------- */

static void
set_tag_rgba (GtkTextTagTable *table,
              const char      *name,
              const char      *property,
              const char      *color)
{
  GtkTextTag *tag = gtk_text_tag_table_lookup (table, name);
  GdkRGBA rgba;

  if (tag != NULL && gdk_rgba_parse (&rgba, color))
    g_object_set (tag, property, &rgba, NULL);
}

static void
set_link_color (gpointer key,
                gpointer value,
                gpointer user_data)
{
  /* GTK 4.8 draws no underline without its own color. */
  g_object_set (value,
                "foreground-rgba", user_data,
                "underline-rgba", user_data,
                NULL);
}

static const char *
link_color (gboolean dark)
{
  return dark ? "#78aeed" : "#1c71d8";
}

static void
update_colors (ByokMarkdownView *self)
{
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self)));
  const char *dim = self->dark ? "rgba(255,255,255,0.55)" : "rgba(0,0,0,0.55)";
  const char *code_bg = self->dark ? "rgba(255,255,255,0.10)" : "rgba(0,0,0,0.07)";
  GtkSourceStyleScheme *scheme = _byok_markdown_view_get_scheme (self->dark);
  GdkRGBA link;

  set_tag_rgba (table, "strikethrough", "strikethrough-rgba",
                self->dark ? "rgba(255,255,255,0.8)" : "rgba(0,0,0,0.8)");
  set_tag_rgba (table, "quote", "foreground-rgba", dim);
  set_tag_rgba (table, "rule", "foreground-rgba", dim);
  set_tag_rgba (table, "code", "background-rgba", code_bg);
  gdk_rgba_parse (&link, link_color (self->dark));
  g_hash_table_foreach (self->link_tags, set_link_color, &link);

  for (guint i = 0; i < self->code_blocks->len; i++)
    {
      ByokCodeBlockWidget *block = g_ptr_array_index (self->code_blocks, i);

      gtk_source_buffer_set_style_scheme (block->buffer, scheme);
    }
}

static void
update_indent (GtkTextTag *tag,
               gpointer    user_data)
{
  int level = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (tag), INDENT_KEY));

  if (level > 0)
    g_object_set (tag, "left-margin",
                  gtk_text_view_get_left_margin (user_data) + level * INDENT_STEP,
                  NULL);
}

static void
left_margin_changed_cb (ByokMarkdownView *self,
                        GParamSpec       *pspec,
                        gpointer          user_data)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));

  gtk_text_tag_table_foreach (gtk_text_buffer_get_tag_table (buffer), update_indent, self);
}

static void
dark_changed_cb (AdwStyleManager  *manager,
                 GParamSpec       *pspec,
                 ByokMarkdownView *self)
{
  self->dark = adw_style_manager_get_dark (manager);
  update_colors (self);
}

static void
create_tags (ByokMarkdownView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  static const double heading_scales[] = { 1.6, 1.4, 1.2, 1.1, 1.0, 1.0 };

  for (guint i = 0; i < G_N_ELEMENTS (heading_scales); i++)
    {
      g_autofree char *name = g_strdup_printf ("h%u", i + 1);

      gtk_text_buffer_create_tag (buffer, name,
                                  "weight", PANGO_WEIGHT_BOLD,
                                  "scale", heading_scales[i],
                                  NULL);
    }
  gtk_text_buffer_create_tag (buffer, "strong", "weight", PANGO_WEIGHT_BOLD, NULL);
  gtk_text_buffer_create_tag (buffer, "emphasis", "style", PANGO_STYLE_ITALIC, NULL);
  gtk_text_buffer_create_tag (buffer, "strikethrough", "strikethrough", TRUE, NULL);
  gtk_text_buffer_create_tag (buffer, "code", "family", "monospace", NULL);
  gtk_text_buffer_create_tag (buffer, "quote", NULL);
  gtk_text_buffer_create_tag (buffer, "table", "family", "monospace", NULL);
  gtk_text_buffer_create_tag (buffer, "table-header", "weight", PANGO_WEIGHT_BOLD, NULL);
  gtk_text_buffer_create_tag (buffer, "rule", "justification", GTK_JUSTIFY_CENTER, NULL);
  gtk_text_buffer_create_tag (buffer, "gap", "scale", 0.75, NULL);
}

/* "indent-N" is made when first needed. */
static GtkTextTag *
lookup_tag (ByokMarkdownView       *self,
            const ByokMarkdownSpan *span)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);
  GtkTextTag *tag;

  if (span->tag == NULL)
    {
      GdkRGBA color;

      tag = g_hash_table_lookup (self->link_tags, span->url);
      if (tag != NULL)
        return tag;
      gdk_rgba_parse (&color, link_color (self->dark));
      tag = gtk_text_buffer_create_tag (buffer, NULL,
                                        "foreground-rgba", &color,
                                        "underline", PANGO_UNDERLINE_SINGLE,
                                        "underline-rgba", &color,
                                        NULL);
      g_object_set_data_full (G_OBJECT (tag), URL_KEY, g_strdup (span->url), g_free);
      g_hash_table_insert (self->link_tags, g_strdup (span->url), tag);
      return tag;
    }

  tag = gtk_text_tag_table_lookup (table, span->tag);
  if (tag == NULL && g_str_has_prefix (span->tag, "indent-"))
    {
      int level = atoi (span->tag + strlen ("indent-"));

      /* A tag's margin replaces the view's: add them. */
      tag = gtk_text_buffer_create_tag (buffer, span->tag,
                                        "left-margin",
                                        gtk_text_view_get_left_margin (GTK_TEXT_VIEW (self)) + level * INDENT_STEP,
                                        NULL);
      g_object_set_data (G_OBJECT (tag), INDENT_KEY, GINT_TO_POINTER (level));
    }
  return tag;
}

/* The length of the common start of two strings, whole characters. */
static gsize
common_prefix (const char *a,
               gsize       a_length,
               const char *b,
               gsize       b_length)
{
  gsize limit = MIN (a_length, b_length);
  gsize common = 0;

  /* memcmp() a block at a time, then byte by byte in the one that differs. */
  while (common + 4096 <= limit && memcmp (a + common, b + common, 4096) == 0)
    common += 4096;
  while (common < limit && a[common] == b[common])
    common++;
  while (common > 0 && ((common < a_length && (a[common] & 0xC0) == 0x80) ||
                        (common < b_length && (b[common] & 0xC0) == 0x80)))
    common--;
  return common;
}

/* Streaming inside a code block: change only what differs. @old is what
 * the block's buffer holds. */
static void
update_code_block (ByokCodeBlockWidget *block,
                   const char          *old,
                   const char          *code)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (block->buffer);
  gsize old_length = strlen (old);
  gsize code_length = strlen (code);
  gsize common = common_prefix (old, old_length, code, code_length);
  GtkTextIter start, end;

  if (common == old_length && common == code_length)
    return;

  gtk_text_buffer_get_end_iter (buffer, &end);
  start = end;
  gtk_text_iter_backward_chars (&start, g_utf8_strlen (old + common, old_length - common));
  gtk_text_buffer_delete (buffer, &start, &end);
  gtk_text_buffer_insert (buffer, &start, code + common, code_length - common);
}

/* ---- rendering ----------------------------------------------------------- */

/* Forgets everything rendered: the buffer, its code blocks, its links. */
static void
reset_buffer (ByokMarkdownView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);
  GHashTableIter iter;
  gpointer tag;

  gtk_text_buffer_set_text (buffer, "", 0);
  g_ptr_array_set_size (self->code_blocks, 0);
  g_hash_table_iter_init (&iter, self->link_tags);
  while (g_hash_table_iter_next (&iter, NULL, &tag))
    {
      gtk_text_tag_table_remove (table, tag);
      g_hash_table_iter_remove (&iter);
    }
  self->live_start = 0;
  self->live_buffer_start = 0;
  g_clear_pointer (&self->live, byok_markdown_render_free);
  self->live = byok_markdown_render_new ();
}

/* Brings the buffer from the live piece's old render to @render,
 * touching only what changed. */
static void
apply_render (ByokMarkdownView         *self,
              const ByokMarkdownRender *render)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  const ByokMarkdownRender *old = self->live;
  guint first_live_code = self->code_blocks->len - old->code_blocks->len;
  gsize common = common_prefix (old->text->str, old->text->len, render->text->str, render->text->len);
  int common_chars;
  int tags_from;
  guint kept = 0;
  guint same_spans = 0;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  GtkTextIter start, end;

  common_chars = g_utf8_strlen (render->text->str, common);

  /* Code blocks before the first difference stay, their code updated,
   * unless their language changed. */
  for (; kept < old->code_blocks->len; kept++)
    {
      const ByokMarkdownCodeBlock *was = &g_array_index (old->code_blocks, ByokMarkdownCodeBlock, kept);
      const ByokMarkdownCodeBlock *now;

      if (was->offset >= common_chars)
        break;
      now = kept < render->code_blocks->len
            ? &g_array_index (render->code_blocks, ByokMarkdownCodeBlock, kept) : NULL;
      if (now == NULL || now->offset != was->offset || g_strcmp0 (now->language, was->language) != 0)
        {
          common_chars = was->offset;
          common = g_utf8_offset_to_pointer (render->text->str, common_chars) - render->text->str;
          break;
        }
      update_code_block (g_ptr_array_index (self->code_blocks, first_live_code + kept), was->code, now->code);
    }

  /* Tags are redone from the first span or character that differs. */
  while (same_spans < old->spans->len && same_spans < render->spans->len &&
         byok_markdown_span_equal (&g_array_index (old->spans, ByokMarkdownSpan, same_spans),
                                   &g_array_index (render->spans, ByokMarkdownSpan, same_spans)))
    same_spans++;
  tags_from = common_chars;
  for (guint i = same_spans; i < old->spans->len; i++)
    tags_from = MIN (tags_from, g_array_index (old->spans, ByokMarkdownSpan, i).start);
  for (guint i = same_spans; i < render->spans->len; i++)
    tags_from = MIN (tags_from, g_array_index (render->spans, ByokMarkdownSpan, i).start);

  /* Text. */
  if (common_chars < old->n_chars)
    {
      gtk_text_buffer_get_iter_at_offset (buffer, &start, self->live_buffer_start + common_chars);
      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_delete (buffer, &start, &end);
      g_ptr_array_set_size (self->code_blocks, first_live_code + kept);
    }
  if (common < render->text->len)
    {
      const char *text = render->text->str;
      gsize done = common;

      gtk_text_buffer_get_end_iter (buffer, &end);
      for (guint i = kept; i < render->code_blocks->len; i++)
        {
          const ByokMarkdownCodeBlock *block = &g_array_index (render->code_blocks, ByokMarkdownCodeBlock, i);
          gsize at = g_utf8_offset_to_pointer (text, block->offset) - text;

          if (at > done)
            gtk_text_buffer_insert (buffer, &end, text + done, at - done);
          g_ptr_array_add (self->code_blocks, _byok_markdown_view_insert_code_block (self, &end, block));
          done = at + 3;   /* U+FFFC */
        }
      if (done < render->text->len)
        gtk_text_buffer_insert (buffer, &end, text + done, render->text->len - done);
    }

  /* Tags. */
  if (tags_from < MAX (old->n_chars, render->n_chars))
    {
      gtk_text_buffer_get_iter_at_offset (buffer, &start, self->live_buffer_start + tags_from);
      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_remove_all_tags (buffer, &start, &end);
      for (guint i = 0; i < render->spans->len; i++)
        {
          const ByokMarkdownSpan *span = &g_array_index (render->spans, ByokMarkdownSpan, i);
          GtkTextTag *tag;

          if (span->end <= tags_from)
            continue;
          tag = lookup_tag (self, span);
          if (tag == NULL)
            continue;
          gtk_text_buffer_get_iter_at_offset (buffer, &start,
                                              self->live_buffer_start + MAX (span->start, tags_from));
          gtk_text_buffer_get_iter_at_offset (buffer, &end, self->live_buffer_start + span->end);
          gtk_text_buffer_apply_tag (buffer, tag, &start, &end);
        }
    }

  for (guint i = first_live_code + kept; i < self->code_blocks->len; i++)
    _byok_markdown_view_update_code_width (self, g_ptr_array_index (self->code_blocks, i), width);
}

/* Renders the live piece again, with whatever source arrived, as pieces
 * split where a top-level block surely starts; the last piece becomes the
 * new live piece. */
static void
render_live (ByokMarkdownView *self)
{
  g_autoptr(GArray) splits = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(ByokMarkdownRender) render = byok_markdown_render_new ();
  gboolean had_definition = self->splitter.saw_definition;
  gsize piece_start;
  gsize tail_bytes = 0;
  int tail_chars = 0;
  guint tail_span = 0;
  guint tail_code = 0;

  byok_markdown_splitter_scan (&self->splitter, self->source->str, self->source->len, splits);
  if (self->splitter.saw_definition)
    {
      /* A link definition applies to the whole text: no pieces. */
      if (!had_definition && self->live_start > 0)
        reset_buffer (self);
      g_array_set_size (splits, 0);
    }

  piece_start = self->live_start;
  for (guint i = 0; i <= splits->len; i++)
    {
      gsize piece_end = i < splits->len ? g_array_index (splits, gsize, i) : self->source->len;

      if (i == splits->len)
        {
          tail_bytes = render->text->len;
          tail_chars = render->n_chars;
          tail_span = render->spans->len;
          tail_code = render->code_blocks->len;
        }
      /* A code fence still open at the end: no need to parse its code. */
      if (i == splits->len && self->splitter.fence_char != 0 &&
          self->splitter.fence_column == 0 && self->splitter.fence_start == piece_start &&
          self->splitter.fence_content <= piece_end)
        byok_markdown_render_open_fence (render, self->source->str + piece_start,
                                         piece_end - piece_start,
                                         self->splitter.fence_content - piece_start,
                                         self->live_buffer_start > 0);
      else
        byok_markdown_render_append (render, self->source->str + piece_start,
                                     piece_end - piece_start,
                                     self->live_buffer_start > 0);
      piece_start = piece_end;
    }

  apply_render (self, render);

  g_clear_pointer (&self->live, byok_markdown_render_free);
  if (splits->len > 0)
    {
      self->live = byok_markdown_render_copy_tail (render, tail_bytes, tail_chars, tail_span, tail_code);
      self->live_buffer_start += tail_chars;
      self->live_start = g_array_index (splits, gsize, splits->len - 1);
    }
  else
    self->live = g_steal_pointer (&render);
}

/* Takes what is valid UTF-8; keeps an unfinished sequence at the end for
 * the next delta. */
static void
take_text (ByokMarkdownView *self,
           const char       *text,
           gssize            length)
{
  const char *end;

  g_string_append_len (self->pending, text, length < 0 ? (gssize) strlen (text) : length);
  if (g_utf8_validate_len (self->pending->str, self->pending->len, &end))
    {
      g_string_append_len (self->source, self->pending->str, self->pending->len);
      g_string_truncate (self->pending, 0);
      return;
    }
  if (g_utf8_get_char_validated (end, self->pending->len - (end - self->pending->str)) == (gunichar) -2)
    {
      gsize good = end - self->pending->str;

      g_string_append_len (self->source, self->pending->str, good);
      g_string_erase (self->pending, 0, good);
      return;
    }
  {
    g_autofree char *valid = g_utf8_make_valid (self->pending->str, self->pending->len);

    g_string_append (self->source, valid);
    g_string_truncate (self->pending, 0);
  }
}

/**
 * byok_markdown_view_append:
 * @delta: (nullable): Markdown to add at the end (any split, even inside
 *   a UTF-8 character)
 *
 * Adds @delta and renders again from the start of the last top-level
 * block only.
 */
void
byok_markdown_view_append (ByokMarkdownView *self,
                           const char       *delta)
{
  gsize before;

  g_return_if_fail (BYOK_IS_MARKDOWN_VIEW (self));

  if (delta == NULL || *delta == '\0')
    return;

  before = self->source->len;
  take_text (self, delta, -1);
  if (self->source->len == before)
    return;

  render_live (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

/**
 * byok_markdown_view_set_text:
 * @text: (nullable): Markdown; %NULL for none
 *
 * Shows @text. When it starts with the current text, only the rest is
 * appended (see byok_markdown_view_append()).
 */
void
byok_markdown_view_set_text (ByokMarkdownView *self,
                             const char       *text)
{
  gsize length;

  g_return_if_fail (BYOK_IS_MARKDOWN_VIEW (self));

  if (text == NULL)
    text = "";
  length = strlen (text);

  if (self->pending->len == 0 && self->source->len > 0 && length >= self->source->len &&
      memcmp (text, self->source->str, self->source->len) == 0)
    {
      byok_markdown_view_append (self, text + self->source->len);
      return;
    }

  reset_buffer (self);
  g_string_truncate (self->source, 0);
  g_string_truncate (self->pending, 0);
  byok_markdown_splitter_init (&self->splitter);
  if (length > 0)
    {
      take_text (self, text, length);
      render_live (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

/**
 * byok_markdown_view_get_settled_length:
 *
 * Returns: how many bytes at the start of the text are rendered for good:
 *   whole top-level blocks that text appended later cannot change
 */
gsize
byok_markdown_view_get_settled_length (ByokMarkdownView *self)
{
  g_return_val_if_fail (BYOK_IS_MARKDOWN_VIEW (self), 0);
  return self->live_start;
}

/**
 * byok_markdown_view_take_unsettled:
 *
 * Removes the text after the settled part (see
 * byok_markdown_view_get_settled_length()) — the last top-level block,
 * which is still rendered again as text arrives — and returns it. The
 * view keeps showing the settled part exactly as it did; text appended
 * later starts a new top-level block.
 *
 * Returns: (transfer full): the Markdown removed, maybe ending inside a
 *   UTF-8 character
 */
char *
byok_markdown_view_take_unsettled (ByokMarkdownView *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autoptr(GArray) splits = NULL;
  GString *rest;

  g_return_val_if_fail (BYOK_IS_MARKDOWN_VIEW (self), NULL);

  rest = g_string_new_len (self->source->str + self->live_start, self->source->len - self->live_start);
  g_string_append_len (rest, self->pending->str, self->pending->len);

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  gtk_text_buffer_get_iter_at_offset (buffer, &start, self->live_buffer_start);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_delete (buffer, &start, &end);
  g_ptr_array_set_size (self->code_blocks, self->code_blocks->len - self->live->code_blocks->len);
  g_clear_pointer (&self->live, byok_markdown_render_free);
  self->live = byok_markdown_render_new ();

  g_string_truncate (self->source, self->live_start);
  g_string_truncate (self->pending, 0);

  /* The settled part ends where a top-level block starts: the splitter,
   * having seen it all, is where it must be for the next block. */
  splits = g_array_new (FALSE, FALSE, sizeof (gsize));
  byok_markdown_splitter_init (&self->splitter);
  byok_markdown_splitter_scan (&self->splitter, self->source->str, self->source->len, splits);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
  return g_string_free (rest, FALSE);
}

/**
 * byok_markdown_view_get_text:
 * Returns: the Markdown shown
 */
const char *
byok_markdown_view_get_text (ByokMarkdownView *self)
{
  g_return_val_if_fail (BYOK_IS_MARKDOWN_VIEW (self), NULL);
  return self->source->str;
}

/**
 * byok_markdown_view_get_url_at:
 * @iter: a place in the view's buffer
 *
 * Returns: (nullable): the URL of the link at @iter, or %NULL
 */
const char *
byok_markdown_view_get_url_at (ByokMarkdownView  *self,
                               const GtkTextIter *iter)
{
  g_autoptr(GSList) tags = NULL;

  g_return_val_if_fail (BYOK_IS_MARKDOWN_VIEW (self), NULL);
  g_return_val_if_fail (iter != NULL, NULL);

  tags = gtk_text_iter_get_tags (iter);
  for (GSList *l = tags; l != NULL; l = l->next)
    {
      const char *url = g_object_get_data (l->data, URL_KEY);

      if (url != NULL)
        return url;
    }
  return NULL;
}

/* ---- links --------------------------------------------------------------- */

static const char *
url_at_point (ByokMarkdownView *self,
              double            x,
              double            y)
{
  GtkTextIter iter;
  int bx, by;

  gtk_text_view_window_to_buffer_coords (GTK_TEXT_VIEW (self), GTK_TEXT_WINDOW_WIDGET,
                                         (int) x, (int) y, &bx, &by);
  if (!gtk_text_view_get_iter_at_location (GTK_TEXT_VIEW (self), &iter, bx, by))
    return NULL;
  return byok_markdown_view_get_url_at (self, &iter);
}

static void
click_released_cb (GtkGestureClick  *gesture,
                   int               n_press,
                   double            x,
                   double            y,
                   ByokMarkdownView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  GtkTextIter start, end;
  const char *url;
  gboolean handled = FALSE;

  /* A drag that selected text is not a click. */
  if (n_press != 1 || gtk_text_buffer_get_selection_bounds (buffer, &start, &end))
    return;
  url = url_at_point (self, x, y);
  if (url != NULL)
    g_signal_emit (self, signals[ACTIVATE_LINK], 0, url, &handled);
}

/* Over a link: the hand, and where it goes as the tooltip, so that the
 * target is seen before the click. */
static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           ByokMarkdownView         *self)
{
  const char *url = url_at_point (self, x, y);

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), url != NULL ? "pointer" : "text");
  if (g_strcmp0 (url, gtk_widget_get_tooltip_text (GTK_WIDGET (self))) != 0)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self), url);
}

static void
leave_cb (GtkEventControllerMotion *controller,
          ByokMarkdownView         *self)
{
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), NULL);
}

static gboolean
real_activate_link (ByokMarkdownView *self,
                    const char       *url)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  /* Only web pages and mail: the buffer has no other links, and nothing
   * else may open one. */
  if (!byok_markdown_url_is_openable (url))
    {
      g_debug ("not opening a link of another scheme");
      return TRUE;
    }
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, url, GDK_CURRENT_TIME);
  G_GNUC_END_IGNORE_DEPRECATIONS
  return TRUE;
}

/* ---- object -------------------------------------------------------------- */

/* The height of the laid-out text, margins included, as the layout
 * knows it now. */
static int
layout_height (ByokMarkdownView *self)
{
  GtkTextView *text_view = GTK_TEXT_VIEW (self);
  GtkTextIter end;
  int y = 0;
  int height = 0;

  gtk_text_buffer_get_end_iter (gtk_text_view_get_buffer (text_view), &end);
  gtk_text_view_get_line_yrange (text_view, &end, &y, &height);
  return y + height + gtk_text_view_get_top_margin (text_view) + gtk_text_view_get_bottom_margin (text_view);
}

/* GtkTextView 4.8 adds the size of every anchored child to its request,
 * though the child's line in the layout already holds it: a code block
 * counted twice in height (an empty gap under every answer with code),
 * and its width became a floor the view could never shrink below.
 * Height, for every view: the laid-out text, read from the layout (the
 * text view's own figure can lag behind it while lines are validated, and
 * on GTK 4.24 a short answer set before its row was first allocated kept
 * a height of 0; check_height() asks again when the layout changes).
 * Width: the code blocks' share comes out again; they follow the view's
 * width (_byok_markdown_view_update_code_width()). */
static void
byok_markdown_view_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  ByokMarkdownView *self = BYOK_MARKDOWN_VIEW (widget);
  GtkTextView *text_view = GTK_TEXT_VIEW (widget);
  int children_minimum = 0;
  int children_natural = 0;
  int floor;

  GTK_WIDGET_CLASS (byok_markdown_view_parent_class)->measure (widget, orientation, for_size,
                                                              minimum, natural,
                                                              minimum_baseline, natural_baseline);
  if (orientation == GTK_ORIENTATION_VERTICAL)
    {
      floor = gtk_text_view_get_top_margin (text_view) + gtk_text_view_get_bottom_margin (text_view);
      *minimum = *natural = MAX (layout_height (self), floor);
      self->measured_height = *natural;
      return;
    }

  if (self->code_blocks->len == 0)
    return;
  for (guint i = 0; i < self->code_blocks->len; i++)
    {
      ByokCodeBlockWidget *block = g_ptr_array_index (self->code_blocks, i);
      int child_minimum = 0;
      int child_natural = 0;

      if (gtk_widget_get_parent (block->frame) != widget || !gtk_widget_get_visible (block->frame))
        continue;
      gtk_widget_measure (block->frame, orientation, for_size, &child_minimum, &child_natural, NULL, NULL);
      children_minimum += child_minimum;
      children_natural += child_natural;
    }
  floor = gtk_text_view_get_left_margin (text_view) + gtk_text_view_get_right_margin (text_view);
  *minimum = MAX (*minimum - children_minimum, floor);
  *natural = MAX (*natural - children_natural, *minimum);
}

static gboolean
resize_idle_cb (gpointer user_data)
{
  ByokMarkdownView *self = user_data;

  self->resize_idle = 0;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

/* Validating lines (when allocating, and in the text view's own idle)
 * can change the layout's height, a code block's line taking the block's
 * height: then the view asks for its size again. */
static void
check_height (ByokMarkdownView *self)
{
  int height;

  if (self->resize_idle != 0)
    return;
  height = layout_height (self);
  /* Once for each pair of heights, so a text view whose figure lags
   * can never make this a loop. */
  if (height != self->allocated_for &&
      (height != self->resized_for || self->allocated_for != self->resized_from))
    {
      self->resized_for = height;
      self->resized_from = self->allocated_for;
      self->resize_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, resize_idle_cb, self, NULL);
    }
}

/* The text view sets its adjustment's upper bound from its layout's
 * height whenever that changes, validation included. */
static void
adjustment_changed_cb (GtkAdjustment    *adjustment,
                       ByokMarkdownView *self)
{
  check_height (self);
}

static void
vadjustment_notify_cb (ByokMarkdownView *self)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self));

  if (self->vadjustment == adjustment)
    return;
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, adjustment_changed_cb, self);
  g_set_object (&self->vadjustment, adjustment);
  if (adjustment != NULL)
    g_signal_connect (adjustment, "changed", G_CALLBACK (adjustment_changed_cb), self);
}

static void
byok_markdown_view_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  ByokMarkdownView *self = BYOK_MARKDOWN_VIEW (widget);

  /* Before chaining up, so the text view allocates the code blocks at
   * their new width in this same pass: resizing them afterwards left
   * them without an allocation when the frame was drawn. */
  for (guint i = 0; i < self->code_blocks->len; i++)
    _byok_markdown_view_update_code_width (self, g_ptr_array_index (self->code_blocks, i), width);

  /* The first width: now lines can wrap (see byok_markdown_view_init()). */
  if (!self->wraps && width > 0)
    {
      self->wraps = TRUE;
      gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (widget), GTK_WRAP_WORD_CHAR);
    }

  self->allocated_for = self->measured_height;
  GTK_WIDGET_CLASS (byok_markdown_view_parent_class)->size_allocate (widget, width, height, baseline);
  check_height (self);
}

static void
byok_markdown_view_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  check_height (BYOK_MARKDOWN_VIEW (widget));
  GTK_WIDGET_CLASS (byok_markdown_view_parent_class)->snapshot (widget, snapshot);
}

static void
byok_markdown_view_dispose (GObject *object)
{
  ByokMarkdownView *self = BYOK_MARKDOWN_VIEW (object);

  g_signal_handlers_disconnect_by_data (adw_style_manager_get_default (), self);
  g_clear_handle_id (&self->resize_idle, g_source_remove);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, adjustment_changed_cb, self);
  g_clear_object (&self->vadjustment);
  if (self->code_blocks != NULL)
    g_ptr_array_set_size (self->code_blocks, 0);

  G_OBJECT_CLASS (byok_markdown_view_parent_class)->dispose (object);
}

static void
byok_markdown_view_finalize (GObject *object)
{
  ByokMarkdownView *self = BYOK_MARKDOWN_VIEW (object);

  g_string_free (self->source, TRUE);
  g_string_free (self->pending, TRUE);
  g_clear_pointer (&self->live, byok_markdown_render_free);
  g_clear_pointer (&self->code_blocks, g_ptr_array_unref);
  g_clear_pointer (&self->link_tags, g_hash_table_unref);

  G_OBJECT_CLASS (byok_markdown_view_parent_class)->finalize (object);
}

static void
byok_markdown_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ByokMarkdownView *self = BYOK_MARKDOWN_VIEW (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->source->str);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_markdown_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  ByokMarkdownView *self = BYOK_MARKDOWN_VIEW (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      byok_markdown_view_set_text (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_markdown_view_class_init (ByokMarkdownViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byok_markdown_view_dispose;
  object_class->finalize = byok_markdown_view_finalize;
  object_class->get_property = byok_markdown_view_get_property;
  object_class->set_property = byok_markdown_view_set_property;
  widget_class->measure = byok_markdown_view_measure;
  widget_class->size_allocate = byok_markdown_view_size_allocate;
  widget_class->snapshot = byok_markdown_view_snapshot;

  /* The Markdown shown. */
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ByokMarkdownView::activate-link:
   * @url: the link's URL
   *
   * A link was clicked. The default handler opens it with gtk_show_uri()
   * if its scheme is http, https or mailto (no other link is in the
   * buffer), and ignores it otherwise; return %TRUE from a handler to do
   * something else.
   *
   * Returns: %TRUE if the link was handled
   */
  signals[ACTIVATE_LINK] =
    g_signal_new_class_handler ("activate-link", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                G_CALLBACK (real_activate_link),
                                g_signal_accumulator_true_handled, NULL, NULL,
                                G_TYPE_BOOLEAN, 1, G_TYPE_STRING);
}

static void
byok_markdown_view_init (ByokMarkdownView *self)
{
  GtkTextView *text_view = GTK_TEXT_VIEW (self);
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  GtkGesture *click;
  GtkEventController *motion;

  self->source = g_string_new (NULL);
  self->pending = g_string_new (NULL);
  self->code_blocks = g_ptr_array_new_with_free_func (_byok_markdown_code_block_free);
  self->link_tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->live = byok_markdown_render_new ();
  byok_markdown_splitter_init (&self->splitter);

  gtk_text_view_set_editable (text_view, FALSE);
  gtk_text_view_set_cursor_visible (text_view, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Answer text"), -1);
  /* No wrapping until the view is first allocated a width. Before that
   * its layout is 1 pixel wide: wrapped, every character would be a line
   * of its own, laid out in the text view's idle and reported as the
   * view's height (a few hundred characters made thousands of pixels),
   * and a list view that measures rows it has not shown yet (GTK 4.8
   * makes up to 200) would place its end, and scroll, by those heights.
   * Unwrapped, a row not shown yet measures a line per paragraph. */
  gtk_text_view_set_wrap_mode (text_view, GTK_WRAP_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "byok-markdown");
  create_tags (self);

  self->dark = adw_style_manager_get_dark (style_manager);
  g_signal_connect (style_manager, "notify::dark", G_CALLBACK (dark_changed_cb), self);
  update_colors (self);

  g_signal_connect (self, "notify::left-margin", G_CALLBACK (left_margin_changed_cb), NULL);
  g_signal_connect (self, "notify::vadjustment", G_CALLBACK (vadjustment_notify_cb), NULL);
  vadjustment_notify_cb (self);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (click_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
}

/**
 * byok_markdown_view_new:
 *
 * Returns: (transfer floating): an empty view
 */
GtkWidget *
byok_markdown_view_new (void)
{
  return g_object_new (BYOK_TYPE_MARKDOWN_VIEW, NULL);
}
