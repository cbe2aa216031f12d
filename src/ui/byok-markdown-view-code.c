/* byok-markdown-view-code.c — a Markdown view's fenced code blocks
 *
 * Each is a GtkSourceView at a child anchor of the view's buffer,
 * highlighted for the fence's language (languages are found by name or
 * alias and the common ones preloaded while idle), under a header with the
 * language and a Copy button, as wide as the view and scrolled sideways on
 * its own.
 */
#define G_LOG_DOMAIN "byok-markdown"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <adwaita.h>

#include "byok-markdown-view-private.h"
#include "byok-scroll.h"

#define MIN_CODE_WIDTH   120

void
_byok_markdown_code_block_free (gpointer data)
{
  ByokCodeBlockWidget *block = data;

  g_clear_handle_id (&block->copied_id, g_source_remove);
  g_clear_object (&block->anchor);
  g_clear_object (&block->frame);
  g_clear_object (&block->buffer);
  g_free (block->language);
  g_free (block);
}

GtkSourceStyleScheme *
_byok_markdown_view_get_scheme (gboolean dark)
{
  GtkSourceStyleSchemeManager *manager = gtk_source_style_scheme_manager_get_default ();
  GtkSourceStyleScheme *scheme;

  scheme = gtk_source_style_scheme_manager_get_scheme (manager, dark ? "Adwaita-dark" : "Adwaita");
  if (scheme == NULL)
    scheme = gtk_source_style_scheme_manager_get_scheme (manager, dark ? "classic-dark" : "classic");
  return scheme;
}

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
show_copy_state (ByokCodeBlockWidget *block,
                 gboolean             copied)
{
  AdwButtonContent *content = ADW_BUTTON_CONTENT (gtk_button_get_child (GTK_BUTTON (block->copy_button)));

  adw_button_content_set_icon_name (content, copied ? "object-select-symbolic" : "edit-copy-symbolic");
  /* Translators: the button of a code block, and what it says once it copied the code */
  adw_button_content_set_label (content, copied ? _("Copied") : _("Copy"));
}

static gboolean
copied_done_cb (gpointer data)
{
  ByokCodeBlockWidget *block = data;

  block->copied_id = 0;
  show_copy_state (block, FALSE);
  return G_SOURCE_REMOVE;
}

/* Copies the code; the button says "Copied" for a moment. */
static void
copy_clicked_cb (GtkButton           *button,
                 ByokCodeBlockWidget *block)
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
anchor_margin (ByokMarkdownView    *self,
               ByokCodeBlockWidget *block)
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

void
_byok_markdown_view_update_code_width (ByokMarkdownView    *self,
                                       ByokCodeBlockWidget *block,
                                       int                  view_width)
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

ByokCodeBlockWidget *
_byok_markdown_view_insert_code_block (ByokMarkdownView            *self,
                                       GtkTextIter                 *iter,
                                       const ByokMarkdownCodeBlock *source)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  ByokCodeBlockWidget *block = g_new0 (ByokCodeBlockWidget, 1);
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
  gtk_source_buffer_set_style_scheme (block->buffer, _byok_markdown_view_get_scheme (self->dark));
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
