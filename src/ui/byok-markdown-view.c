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
#include "byok-markdown-view.h"
#include "byok-scroll.h"

#define URL_KEY          "byok-markdown-url"
#define INDENT_KEY       "byok-markdown-indent"
#define INDENT_STEP      20   /* px per level of lists and quotes */
#define MIN_CODE_WIDTH   120

/* A code block in the buffer. */
typedef struct {
  GtkTextChildAnchor *anchor;
  GtkWidget          *frame;
  GtkSourceBuffer    *buffer;
  char               *language;
  GtkWidget          *copy_button;
  guint               copied_id;     /* "Copied" shows until it fires */
} CodeBlock;

struct _ByokMarkdownView
{
  GtkTextView           parent_instance;

  GString              *source;
  GString              *pending;            /* an unfinished UTF-8 sequence */
  ByokMarkdownSplitter  splitter;

  /* Everything before live_start is rendered for good; the live piece
   * (source from live_start, buffer from live_buffer_start) is rendered
   * again when text arrives. live is what the buffer holds for it. */
  gsize                 live_start;
  int                   live_buffer_start;
  ByokMarkdownRender   *live;

  GPtrArray            *code_blocks;        /* of CodeBlock*, in buffer order */
  GHashTable           *link_tags;          /* URL → GtkTextTag */
  gboolean              dark;
  gboolean              wraps;              /* had a width: lines wrap */

  int                   measured_height;    /* the last height asked for */
  int                   allocated_for;      /* the height asked for when allocated */
  GtkAdjustment        *vadjustment;        /* watched for the layout's height */
  int                   resized_for;        /* the layout height last resized for */
  int                   resized_from;       /* and the height asked for then */
  guint                 resize_idle;
};

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

static void
code_block_free (gpointer data)
{
  CodeBlock *block = data;

  g_clear_handle_id (&block->copied_id, g_source_remove);
  g_clear_object (&block->anchor);
  g_clear_object (&block->frame);
  g_clear_object (&block->buffer);
  g_free (block->language);
  g_free (block);
}

/* ---------------------------------------------------------------------- */
/* Looks                                                                  */

static GtkSourceStyleScheme *
get_scheme (gboolean dark)
{
  GtkSourceStyleSchemeManager *manager = gtk_source_style_scheme_manager_get_default ();
  GtkSourceStyleScheme *scheme;

  scheme = gtk_source_style_scheme_manager_get_scheme (manager, dark ? "Adwaita-dark" : "Adwaita");
  if (scheme == NULL)
    scheme = gtk_source_style_scheme_manager_get_scheme (manager, dark ? "classic-dark" : "classic");
  return scheme;
}

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
  GtkSourceStyleScheme *scheme = get_scheme (self->dark);
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
      CodeBlock *block = g_ptr_array_index (self->code_blocks, i);

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

/* ---------------------------------------------------------------------- */
/* Code blocks                                                            */

static GtkSourceLanguage *
find_language (const char *info)
{
  static const char * const aliases[][2] = {
    { "python", "python3" }, { "py", "python3" }, { "python2", "python" },
    { "javascript", "js" }, { "node", "js" }, { "ts", "typescript" },
    { "tsx", "typescript-jsx" }, { "bash", "sh" }, { "shell", "sh" },
    { "zsh", "sh" }, { "console", "sh" }, { "shell-session", "sh" },
    { "c++", "cpp" }, { "cxx", "cpp" }, { "hpp", "cpphdr" }, { "h", "chdr" },
    { "cs", "c-sharp" }, { "csharp", "c-sharp" }, { "c#", "c-sharp" },
    { "rs", "rust" }, { "golang", "go" }, { "yml", "yaml" }, { "md", "markdown" },
    { "dockerfile", "docker" }, { "make", "makefile" }, { "objective-c", "objc" },
    { "kt", "kotlin" }, { "rb", "ruby" }, { "ps1", "powershell" },
    { "tf", "terraform" }, { "patch", "diff" }, { "jsonc", "json" },
    { "json5", "json" }, { "htm", "html" }, { "svg", "xml" }, { "plist", "xml" },
  };
  GtkSourceLanguageManager *manager = gtk_source_language_manager_get_default ();
  g_autofree char *id = NULL;
  g_autofree char *filename = NULL;
  GtkSourceLanguage *language;

  if (info == NULL || *info == '\0')
    return NULL;

  id = g_ascii_strdown (info, -1);
  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    {
      if (g_str_equal (id, aliases[i][0]))
        {
          g_free (id);
          id = g_strdup (aliases[i][1]);
          break;
        }
    }
  language = gtk_source_language_manager_get_language (manager, id);
  if (language != NULL)
    return language;

  /* "go", "rs", "kt"… as a file extension. */
  filename = g_strconcat ("file.", id, NULL);
  return gtk_source_language_manager_guess_language (manager, filename, NULL);
}

/* GtkSourceView parses a language's definition when the first buffer
 * with it is made, and forgets it when the last one goes: 5 ms (C) to
 * 80 ms (TypeScript) each time a code block in that language appears
 * again. A buffer kept for each language used means once. */
static GHashTable *held_languages;   /* id → GtkSourceBuffer */

static void
hold_language (GtkSourceLanguage *language)
{
  const char *id;

  if (language == NULL)
    return;
  if (held_languages == NULL)
    held_languages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  id = gtk_source_language_get_id (language);
  if (!g_hash_table_contains (held_languages, id))
    g_hash_table_insert (held_languages, g_strdup (id), gtk_source_buffer_new_with_language (language));
}

/* What models write most, as fence info strings. */
static const char * const common_languages[] = {
  "python", "javascript", "typescript", "bash", "json", "c", "cpp", "rust",
  "go", "java", "html", "css", "sql", "yaml", "csharp", "diff", "kotlin",
  "ruby", "php", "swift", "xml", "toml", "dockerfile", "makefile", "markdown",
};

/* A language takes up to 80 ms to load (TypeScript, PHP, Markdown): one
 * at a time, only after the window has drawn no frame for this long, so
 * that loading does not delay what the person is watching (an answer
 * streaming, their typing). */
#define PRELOAD_QUIET_MS 100

typedef struct {
  GWeakRef widget;
  gint64   frame_counter;   /* the window's at the last look */
  guint    next;
} Preload;

static guint n_preloaded;

static void
preload_free (gpointer data)
{
  Preload *preload = data;

  g_weak_ref_clear (&preload->widget);
  g_free (preload);
}

static gboolean
preload_cb (gpointer data)
{
  Preload *preload = data;
  g_autoptr(GtkWidget) widget = g_weak_ref_get (&preload->widget);
  GdkFrameClock *clock;
  gint64 counter;

  if (widget == NULL || preload->next >= G_N_ELEMENTS (common_languages))
    return G_SOURCE_REMOVE;
  /* Frames drawn since the last look: not now. */
  clock = gtk_widget_get_frame_clock (widget);
  counter = clock != NULL ? gdk_frame_clock_get_frame_counter (clock) : 0;
  if (counter != preload->frame_counter)
    {
      preload->frame_counter = counter;
      return G_SOURCE_CONTINUE;
    }
  hold_language (find_language (common_languages[preload->next++]));
  n_preloaded = preload->next;
  return G_SOURCE_CONTINUE;
}

/**
 * byok_markdown_view_preload_languages:
 * @widget: a widget of the window that will show code (the main window)
 *
 * Loads the highlighting of the languages answers use most, one at a
 * time while @widget's window is quiet, so that the first code block in
 * each does not cost a frame later, when an answer streams. Once per
 * process; it stops when @widget goes.
 */
void
byok_markdown_view_preload_languages (GtkWidget *widget)
{
  static gboolean started;
  Preload *preload;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (started)
    return;
  started = TRUE;
  preload = g_new0 (Preload, 1);
  g_weak_ref_init (&preload->widget, widget);
  preload->frame_counter = -1;
  g_timeout_add_full (G_PRIORITY_LOW, PRELOAD_QUIET_MS, preload_cb, preload, preload_free);
}

/**
 * byok_markdown_view_get_n_preloaded:
 * @n_total: (out) (optional): how many byok_markdown_view_preload_languages()
 *   loads in all
 *
 * Returns: how many it has loaded so far
 */
guint
byok_markdown_view_get_n_preloaded (guint *n_total)
{
  if (n_total != NULL)
    *n_total = G_N_ELEMENTS (common_languages);
  return n_preloaded;
}

#define COPIED_SHOWN_MS 2000

static void
show_copy_state (CodeBlock *block,
                 gboolean   copied)
{
  AdwButtonContent *content = ADW_BUTTON_CONTENT (gtk_button_get_child (GTK_BUTTON (block->copy_button)));

  adw_button_content_set_icon_name (content, copied ? "object-select-symbolic" : "edit-copy-symbolic");
  /* Translators: the button of a code block, and what it says once it copied the code */
  adw_button_content_set_label (content, copied ? _("Copied") : _("Copy"));
}

static gboolean
copied_done_cb (gpointer data)
{
  CodeBlock *block = data;

  block->copied_id = 0;
  show_copy_state (block, FALSE);
  return G_SOURCE_REMOVE;
}

/* Copies the code; the button says "Copied" for a moment. */
static void
copy_clicked_cb (GtkButton *button,
                 CodeBlock *block)
{
  GtkTextIter start, end;
  g_autofree char *code = NULL;

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (block->buffer), &start, &end);
  code = gtk_text_buffer_get_text (GTK_TEXT_BUFFER (block->buffer), &start, &end, FALSE);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), code);

  show_copy_state (block, TRUE);
  g_clear_handle_id (&block->copied_id, g_source_remove);
  block->copied_id = g_timeout_add (COPIED_SHOWN_MS, copied_done_cb, block);
}

/* The left margin of the line the anchor sits on. */
static int
anchor_margin (ByokMarkdownView *self,
               CodeBlock        *block)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  g_autoptr(GSList) tags = NULL;
  GtkTextIter iter;
  int margin = 0;

  if (gtk_text_child_anchor_get_deleted (block->anchor))
    return gtk_text_view_get_left_margin (GTK_TEXT_VIEW (self));
  gtk_text_buffer_get_iter_at_child_anchor (buffer, &iter, block->anchor);
  margin = gtk_text_view_get_left_margin (GTK_TEXT_VIEW (self));
  tags = gtk_text_iter_get_tags (&iter);
  for (GSList *l = tags; l != NULL; l = l->next)
    {
      gboolean set = FALSE;
      int left = 0;

      g_object_get (l->data, "left-margin-set", &set, "left-margin", &left, NULL);
      if (set)
        margin = MAX (margin, left);
    }
  return margin;
}

/* A code block scrolls sideways only. A GtkScrolledWindow that cannot
 * scroll vertically turns the wheel into sideways scrolling and keeps
 * the event, so the conversation would stop scrolling under the pointer:
 * vertical deltas are taken here, before it sees them, and given to the
 * scrolled window around the view (the conversation's). */
static gboolean
code_scroll_cb (GtkEventControllerScroll *controller,
                double                    dx,
                double                    dy,
                gpointer                  user_data)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkWidget *view = gtk_widget_get_ancestor (widget, BYOK_TYPE_MARKDOWN_VIEW);
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  /* Shift+wheel and sideways swipes stay with the code. */
  if ((state & GDK_SHIFT_MASK) != 0 || dy == 0 || fabs (dx) > fabs (dy))
    return FALSE;

  byok_scroll_outer (controller, view, dy);
  return TRUE;
}

static void
update_code_width (ByokMarkdownView *self,
                   CodeBlock        *block,
                   int               view_width)
{
  GtkTextView *text_view = GTK_TEXT_VIEW (self);
  int width;
  int current;

  if (view_width <= 0)
    return;
  width = view_width - anchor_margin (self, block)
          - gtk_text_view_get_right_margin (text_view) - 2;
  width = MAX (width, MIN_CODE_WIDTH);
  gtk_widget_get_size_request (block->frame, &current, NULL);
  if (current != width)
    gtk_widget_set_size_request (block->frame, width, -1);
}

static CodeBlock *
insert_code_block (ByokMarkdownView            *self,
                   GtkTextIter                 *iter,
                   const ByokMarkdownCodeBlock *source)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  CodeBlock *block = g_new0 (CodeBlock, 1);
  GtkWidget *view;
  GtkWidget *scrolled;
  GtkWidget *header;
  GtkWidget *language_label;
  GtkWidget *button;
  GtkWidget *box;
  GtkEventController *scroll;
  GtkSourceLanguage *language;
  g_autofree char *name = NULL;

  block->language = g_strdup (source->language);
  block->anchor = g_object_ref (gtk_text_buffer_create_child_anchor (buffer, iter));

  block->buffer = gtk_source_buffer_new (NULL);
  language = find_language (source->language);
  gtk_source_buffer_set_language (block->buffer, language);
  hold_language (language);
  gtk_source_buffer_set_style_scheme (block->buffer, get_scheme (self->dark));
  gtk_source_buffer_set_highlight_matching_brackets (block->buffer, FALSE);
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (block->buffer), source->code, -1);

  view = gtk_source_view_new_with_buffer (block->buffer);
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_NONE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 10);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 10);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 12);

  name = language != NULL
    /* Translators: what a screen reader calls a code block ("Python code") */
    ? g_strdup_printf (_("%s code"), gtk_source_language_get_name (language))
    : g_strdup (_("Code"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  scrolled = gtk_scrolled_window_new ();
  gtk_accessible_update_property (GTK_ACCESSIBLE (scrolled), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  /* The code takes the focus, not the scrolled window around it. */
  gtk_widget_set_focusable (scrolled, FALSE);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled),
                                  GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  gtk_event_controller_set_name (scroll, "byok-code-scroll");
  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  g_signal_connect (scroll, "scroll", G_CALLBACK (code_scroll_cb), NULL);
  gtk_widget_add_controller (scrolled, scroll);

  /* A header above the code, never over it (a narrow column scrolls the
   * code under anything laid on top): the language and Copy. */
  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (header, "byok-code-header");
  language_label = gtk_label_new (source->language != NULL ? source->language : "");
  gtk_label_set_xalign (GTK_LABEL (language_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (language_label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (language_label, TRUE);
  gtk_widget_set_margin_start (language_label, 12);
  gtk_widget_add_css_class (language_label, "caption");
  gtk_widget_add_css_class (language_label, "dim-label");
  gtk_box_append (GTK_BOX (header), language_label);

  button = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (button), adw_button_content_new ());
  gtk_widget_set_tooltip_text (button, _("Copy Code"));
  /* It reads what it shows, "Copy" or "Copied" (libadwaita labels it by
   * its content), then which code: "Python code". */
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, name, -1);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "byok-code-copy");
  g_signal_connect (button, "clicked", G_CALLBACK (copy_clicked_cb), block);
  gtk_box_append (GTK_BOX (header), button);
  block->copy_button = button;
  show_copy_state (block, FALSE);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), scrolled);

  block->frame = g_object_ref_sink (gtk_overlay_new ());
  gtk_widget_add_css_class (block->frame, "card");
  gtk_widget_add_css_class (block->frame, "byok-code-block");
  gtk_widget_set_overflow (block->frame, GTK_OVERFLOW_HIDDEN);
  gtk_overlay_set_child (GTK_OVERLAY (block->frame), box);

  gtk_text_view_add_child_at_anchor (GTK_TEXT_VIEW (self), block->frame, block->anchor);
  return block;
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
update_code_block (CodeBlock  *block,
                   const char *old,
                   const char *code)
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

/* ---------------------------------------------------------------------- */
/* Rendering                                                              */

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
          g_ptr_array_add (self->code_blocks, insert_code_block (self, &end, block));
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
    update_code_width (self, g_ptr_array_index (self->code_blocks, i), width);
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

/* ---------------------------------------------------------------------- */
/* Links                                                                  */

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

/* ---------------------------------------------------------------------- */
/* Object                                                                 */

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
 * a height of 0; check_height() asks again when the layout changes). Width: the code blocks' share
 * comes out again; they follow the view's width (update_code_width()). */
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
      CodeBlock *block = g_ptr_array_index (self->code_blocks, i);
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
    update_code_width (self, g_ptr_array_index (self->code_blocks, i), width);

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
  self->code_blocks = g_ptr_array_new_with_free_func (code_block_free);
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
