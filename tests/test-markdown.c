/* test-markdown.c — the Markdown view under Xvfb: what every construct puts
 * in the buffer and which tags it carries, code blocks as GtkSourceViews
 * with a working copy button, streaming in any pieces giving exactly what
 * one set_text gives, and the splitter that makes streaming cheap; the
 * pane that shows a long text as several views, each exactly what one
 * view would show of its part. */
#include "config.h"

#include <string.h>
#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "byok-test-ui.h"
#include "byok-test-util.h"
#include "byok-markdown.h"
#include "byok-markdown-pane.h"
#include "byok-markdown-view.h"
#include "byok-test-util.h"

#define ANCHOR "\xef\xbf\xbc"

static const char every_construct[] =
  "# Title\n"
  "\n"
  "Some **bold**, *italic*, ~~gone~~ and `code` with a [link](https://example.com/a).\n"
  "\n"
  "- one\n"
  "- two\n"
  "  1. nested\n"
  "\n"
  "> quoted\n"
  "\n"
  "| Name | Price |\n"
  "|:-----|------:|\n"
  "| Tea  | 3     |\n"
  "\n"
  "```python\n"
  "print(\"hi\")\n"
  "```\n"
  "\n"
  "## Second\n";

static const char every_construct_text[] =
  "Title\n"
  "\n"
  "Some bold, italic, gone and code with a link.\n"
  "\n"
  "• one\n"
  "• two\n"
  "1. nested\n"
  "\n"
  "quoted\n"
  "\n"
  "Name │ Price\n"
  "─────┼──────\n"
  "Tea  │     3\n"
  "\n"
  ANCHOR "\n"
  "\n"
  "Second";

/* A long answer with everything a model writes, for the streaming tests. */
static const char long_answer_part[] =
  "## Step %d: set up\n"
  "\n"
  "First, *install* the **tools** — see <https://example.org/docs> or www.example.com.\n"
  "Soft break here,  \n"
  "and a hard one. Entities: &amp; &copy; &#x1F600; &#233; and ünïcödé 中文字符 emoji 🎉.\n"
  "\n"
  "1. Clone the repo\n"
  "2. Run `make`\n"
  "   - nested *item*\n"
  "   - [x] done task\n"
  "   - [ ] open task\n"
  "\n"
  "> A quote with a [link](https://example.com/q?a=1&b=2 \"title\")\n"
  "> > and a nested quote\n"
  "\n"
  "| Column | Wide 列 | Right |\n"
  "|--------|:-------:|------:|\n"
  "| a      | b       | 1.5   |\n"
  "| longer cell | x | 22 |\n"
  "\n"
  "```python\n"
  "def main():\n"
  "    print(\"step %d\")  # ~~not strike~~\n"
  "\n"
  "    return 0\n"
  "```\n"
  "\n"
  "~~~\n"
  "plain fence\n"
  "~~~\n"
  "\n"
  "    indented code\n"
  "\n"
  "***\n"
  "\n"
  "Paragraph with ~~strike~~, `inline ` + \"`\" code` and an odd \xef\xbf\xbc char.\n"
  "\n";

static ByokMarkdownView *
new_view (void)
{
  ByokMarkdownView *view = BYOK_MARKDOWN_VIEW (byok_markdown_view_new ());

  return g_object_ref_sink (view);
}

static char *
buffer_slice (ByokMarkdownView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_slice (buffer, &start, &end, TRUE);
}

static guint
count_descendants (GtkWidget *widget,
                   GType      type)
{
  guint count = G_TYPE_CHECK_INSTANCE_TYPE (widget, type) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    count += count_descendants (child, type);
  return count;
}

/* The code block widget at the @n-th anchor of the buffer. */
static GtkWidget *
code_block_widget (ByokMarkdownView *view,
                   guint             n)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter iter;
  guint seen = 0;

  gtk_text_buffer_get_start_iter (buffer, &iter);
  do
    {
      GtkTextChildAnchor *anchor = gtk_text_iter_get_child_anchor (&iter);

      if (anchor != NULL && seen++ == n)
        {
          guint n_widgets = 0;
          GtkWidget **widgets = gtk_text_child_anchor_get_widgets (anchor, &n_widgets);
          GtkWidget *widget;

          g_assert_cmpuint (n_widgets, ==, 1);
          widget = widgets[0];
          g_free (widgets);
          return widget;
        }
    }
  while (gtk_text_iter_forward_char (&iter));
  return NULL;
}

static GtkSourceBuffer *
code_block_buffer (ByokMarkdownView *view,
                   guint             n)
{
  GtkWidget *widget = code_block_widget (view, n);
  GtkWidget *source_view;

  g_assert_nonnull (widget);
  source_view = byok_test_ui_find_descendant (widget, GTK_SOURCE_TYPE_VIEW);
  g_assert_nonnull (source_view);
  return GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (source_view)));
}

static char *
source_text (GtkSourceBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (buffer), &start, &end);
  return gtk_text_buffer_get_text (GTK_TEXT_BUFFER (buffer), &start, &end, TRUE);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The tags at @iter as "name,name,link:URL", sorted. */
static char *
tags_at (ByokMarkdownView  *view,
         const GtkTextIter *iter)
{
  g_autoptr(GSList) tags = gtk_text_iter_get_tags (iter);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (GSList *l = tags; l != NULL; l = l->next)
    {
      g_autofree char *name = NULL;
      const char *url = g_object_get_data (l->data, "byok-markdown-url");

      g_object_get (l->data, "name", &name, NULL);
      if (url != NULL)
        g_ptr_array_add (names, g_strconcat ("link:", url, NULL));
      else
        g_ptr_array_add (names, g_strdup (name != NULL ? name : "?"));
    }
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (",", (char **) names->pdata);
}

/* Everything a person sees: the text, where the tags change and to what,
 * and each code block's language and code. */
static char *
signature (ByokMarkdownView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *slice = buffer_slice (view);
  GtkTextIter iter;
  guint n_code = 0;

  g_string_append_printf (out, "%s\n--- tags\n", slice);
  gtk_text_buffer_get_start_iter (buffer, &iter);
  do
    {
      g_autofree char *tags = tags_at (view, &iter);

      g_string_append_printf (out, "%d:%s\n", gtk_text_iter_get_offset (&iter), tags);
    }
  while (gtk_text_iter_forward_to_tag_toggle (&iter, NULL) && !gtk_text_iter_is_end (&iter));

  g_string_append (out, "--- code\n");
  for (const char *p = strstr (slice, ANCHOR); p != NULL; p = strstr (p + 1, ANCHOR))
    {
      GtkSourceBuffer *code = code_block_buffer (view, n_code++);
      GtkSourceLanguage *language = gtk_source_buffer_get_language (code);
      g_autofree char *text = source_text (code);

      g_string_append_printf (out, "[%s]\n%s\n", language != NULL ? gtk_source_language_get_id (language) : "-", text);
    }
  /* No widget outlives its anchor. */
  g_assert_cmpuint (count_descendants (GTK_WIDGET (view), GTK_SOURCE_TYPE_VIEW), ==, n_code);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The view's buffer, its tag @tag_name (NULL: none) and where the first
 * occurrence of @text, which must be there, starts in it */
static GtkTextBuffer *
find_in_view (ByokMarkdownView  *view,
              const char        *tag_name,
              const char        *text,
              GtkTextTag       **tag,
              int               *offset)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  g_autofree char *slice = buffer_slice (view);
  const char *found = strstr (slice, text);

  *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), tag_name);
  g_assert_nonnull (found);
  *offset = g_utf8_pointer_to_offset (slice, found);
  return buffer;
}

/* Asserts that @tag covers exactly the first occurrence of @text. */
static void
assert_tagged (ByokMarkdownView *view,
               const char       *tag_name,
               const char       *text)
{
  GtkTextTag *tag;
  int start, end;
  GtkTextBuffer *buffer;
  GtkTextIter iter;

  g_test_message ("%s on '%s'", tag_name, text);
  buffer = find_in_view (view, tag_name, text, &tag, &start);
  g_assert_nonnull (tag);
  end = start + g_utf8_strlen (text, -1);

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, start);
  g_assert_true (gtk_text_iter_starts_tag (&iter, tag));
  for (int i = start; i < end; i++)
    {
      gtk_text_buffer_get_iter_at_offset (buffer, &iter, i);
      g_assert_true (gtk_text_iter_has_tag (&iter, tag));
    }
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, end);
  g_assert_true (gtk_text_iter_ends_tag (&iter, tag));
}

static void
assert_not_tagged (ByokMarkdownView *view,
                   const char       *tag_name,
                   const char       *text)
{
  GtkTextTag *tag;
  int start;
  GtkTextBuffer *buffer = find_in_view (view, tag_name, text, &tag, &start);
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, start);
  g_assert_true (tag == NULL || !gtk_text_iter_has_tag (&iter, tag));
}

static void
test_render_constructs (void)
{
  g_autoptr(ByokMarkdownView) view = new_view ();
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  g_autofree char *slice = NULL;
  g_autofree char *text_without_anchors = NULL;
  GtkTextIter iter;
  GtkTextIter start, end;

  byok_markdown_view_set_text (view, every_construct);
  g_assert_cmpstr (byok_markdown_view_get_text (view), ==, every_construct);
  slice = buffer_slice (view);
  g_assert_cmpstr (slice, ==, every_construct_text);
  /* The code block is a child anchor, not text. */
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text_without_anchors = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
  g_assert_null (strstr (text_without_anchors, "print"));

  /* Selectable, not editable. */
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (view)));
  g_assert_false (gtk_text_view_get_cursor_visible (GTK_TEXT_VIEW (view)));

  assert_tagged (view, "h1", "Title");
  assert_tagged (view, "h2", "Second");
  assert_tagged (view, "strong", "bold");
  assert_tagged (view, "emphasis", "italic");
  assert_tagged (view, "strikethrough", "gone");
  assert_tagged (view, "code", "code");
  assert_not_tagged (view, "strong", "Some");
  assert_not_tagged (view, "h1", "Some");
  assert_tagged (view, "indent-1", "• one");
  assert_tagged (view, "indent-2", "1. nested");
  assert_tagged (view, "quote", "quoted");
  assert_tagged (view, "indent-1", "quoted");
  assert_tagged (view, "table-header", "Name │ Price");
  assert_tagged (view, "table", "Name │ Price\n─────┼──────\nTea  │     3");
  assert_not_tagged (view, "table", "quoted");

  /* The gap lines between top-level blocks, and not inside a list. */
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, strlen ("Title\n"));
  g_assert_true (gtk_text_iter_has_tag (&iter, gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "gap")));

  /* The link: its text carries a tag with its URL, and nothing else does. */
  {
    const char *found = strstr (slice, "link.");
    int offset = g_utf8_pointer_to_offset (slice, found);

    for (int i = 0; i < 4; i++)
      {
        gtk_text_buffer_get_iter_at_offset (buffer, &iter, offset + i);
        g_assert_cmpstr (byok_markdown_view_get_url_at (view, &iter), ==, "https://example.com/a");
      }
    gtk_text_buffer_get_iter_at_offset (buffer, &iter, offset + 4);
    g_assert_null (byok_markdown_view_get_url_at (view, &iter));
    gtk_text_buffer_get_iter_at_offset (buffer, &iter, offset - 2);
    g_assert_null (byok_markdown_view_get_url_at (view, &iter));
  }

  /* Entities, autolinks, task items, rules. */
  byok_markdown_view_set_text (view,
                               "A &amp; B &copy; &#x41; &bogus; <https://a.example/x> www.b.example\n"
                               "\n"
                               "- [x] done\n"
                               "- [ ] todo\n"
                               "\n"
                               "---\n"
                               "\n"
                               "end");
  g_clear_pointer (&slice, g_free);
  slice = buffer_slice (view);
  g_assert_cmpstr (slice, ==,
                   "A & B © A &bogus; https://a.example/x www.b.example\n"
                   "\n"
                   "• ☑ done\n"
                   "• ☐ todo\n"
                   "\n"
                   "———\n"
                   "\n"
                   "end");
  assert_tagged (view, "rule", "———");
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, g_utf8_pointer_to_offset (slice, strstr (slice, "a.example")));
  g_assert_cmpstr (byok_markdown_view_get_url_at (view, &iter), ==, "https://a.example/x");
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, g_utf8_pointer_to_offset (slice, strstr (slice, "b.example")));
  g_assert_cmpstr (byok_markdown_view_get_url_at (view, &iter), ==, "http://www.b.example");

  /* Clearing. */
  byok_markdown_view_set_text (view, NULL);
  g_clear_pointer (&slice, g_free);
  slice = buffer_slice (view);
  g_assert_cmpstr (slice, ==, "");
  g_assert_cmpstr (byok_markdown_view_get_text (view), ==, "");
}

static void
test_code_block (void)
{
  g_autoptr(ByokMarkdownView) view = new_view ();
  GtkSourceBuffer *code;
  GtkSourceLanguage *language;
  GtkWidget *widget;
  GtkWidget *source_view;
  g_autofree char *text = NULL;

  byok_markdown_view_set_text (view, every_construct);
  widget = code_block_widget (view, 0);
  g_assert_nonnull (widget);
  g_assert_true (gtk_widget_get_parent (widget) == GTK_WIDGET (view));
  source_view = byok_test_ui_find_descendant (widget, GTK_SOURCE_TYPE_VIEW);
  g_assert_nonnull (source_view);
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (source_view)));
  g_assert_true (gtk_text_view_get_monospace (GTK_TEXT_VIEW (source_view)));

  code = code_block_buffer (view, 0);
  text = source_text (code);
  g_assert_cmpstr (text, ==, "print(\"hi\")");
  language = gtk_source_buffer_get_language (code);
  g_assert_nonnull (language);
  g_assert_cmpstr (gtk_source_language_get_id (language), ==, "python3");
  g_assert_cmpstr (gtk_source_language_get_name (language), ==, "Python");
  g_assert_nonnull (gtk_source_buffer_get_style_scheme (code));

  /* Other names of languages; none; an unknown one. */
  {
    const char *cases[][2] = {
      { "```rs\nfn main() {}\n```", "rust" },
      { "```JavaScript\nlet a;\n```", "js" },
      { "```bash\nls\n```", "sh" },
      { "```c\nint x;\n```", "c" },
      { "```\nno language\n```", NULL },
      { "```nosuchlanguage\nx\n```", NULL },
      { "~~~yaml\na: 1\n~~~", "yaml" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        byok_markdown_view_set_text (view, cases[i][0]);
        language = gtk_source_buffer_get_language (code_block_buffer (view, 0));
        g_test_message ("%s", cases[i][0]);
        if (cases[i][1] == NULL)
          g_assert_null (language);
        else
          g_assert_cmpstr (gtk_source_language_get_id (language), ==, cases[i][1]);
      }
  }

  /* A fence not closed yet is a code block already. */
  byok_markdown_view_set_text (view, "Look:\n\n```rust\nfn main() {\n    let x = 1;");
  g_clear_pointer (&text, g_free);
  text = source_text (code_block_buffer (view, 0));
  g_assert_cmpstr (text, ==, "fn main() {\n    let x = 1;");
  g_assert_cmpstr (gtk_source_language_get_id (gtk_source_buffer_get_language (code_block_buffer (view, 0))), ==, "rust");

  /* Two blocks, one inside a list. */
  byok_markdown_view_set_text (view, "```sh\nmake\n```\n\n- item\n\n  ```c\n  int x;\n  ```\n");
  g_clear_pointer (&text, g_free);
  text = source_text (code_block_buffer (view, 1));
  g_assert_cmpstr (text, ==, "int x;");
  g_assert_cmpuint (count_descendants (GTK_WIDGET (view), GTK_SOURCE_TYPE_VIEW), ==, 2);
}

static void
read_text_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
}

static void
test_copy_button (void)
{
  GtkWidget *window = gtk_window_new ();
  ByokMarkdownView *view = BYOK_MARKDOWN_VIEW (byok_markdown_view_new ());
  GtkWidget *button;
  GdkClipboard *clipboard;
  char *copied = NULL;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  byok_markdown_view_set_text (view, "Code:\n\n```python\nimport sys\nprint(sys.argv)\n```\n");
  gtk_window_present (GTK_WINDOW (window));
  byok_test_ui_iterate_pending ();

  button = byok_test_ui_find_descendant (code_block_widget (view, 0), GTK_TYPE_BUTTON);
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Copy Code");

  clipboard = gtk_widget_get_clipboard (button);
  gdk_clipboard_set_text (clipboard, "something else");
  g_signal_emit_by_name (button, "clicked");

  gdk_clipboard_read_text_async (clipboard, NULL, read_text_cb, &copied);
  while (copied == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (copied, ==, "import sys\nprint(sys.argv)");
  g_free (copied);

  byok_test_ui_destroy_window (&window);
  /* Given up, or the subprocess of /markdown/preload would ask this
   * process for its formats. */
  byok_test_ui_release_clipboard (gdk_clipboard_get_display (clipboard));
}

/* Feeds @text in pieces of @size bytes (even inside a UTF-8 character). */
static void
stream (ByokMarkdownView *view,
        const char       *text,
        gsize             size)
{
  gsize length = strlen (text);

  byok_markdown_view_set_text (view, NULL);
  for (gsize i = 0; i < length; i += size)
    {
      g_autofree char *piece = g_strndup (text + i, MIN (size, length - i));

      byok_markdown_view_append (view, piece);
    }
  g_assert_cmpstr (byok_markdown_view_get_text (view), ==, text);
}

static void
assert_stream_equals_set_text (const char *text,
                               const gsize *sizes,
                               guint        n_sizes)
{
  g_autoptr(ByokMarkdownView) whole = new_view ();
  g_autoptr(ByokMarkdownView) streamed = new_view ();
  g_autofree char *expected = NULL;

  byok_markdown_view_set_text (whole, text);
  expected = signature (whole);

  for (guint i = 0; i < n_sizes; i++)
    {
      g_autofree char *got = NULL;

      stream (streamed, text, sizes[i]);
      got = signature (streamed);
      if (g_strcmp0 (got, expected) != 0)
        {
          g_test_message ("pieces of %" G_GSIZE_FORMAT " bytes:\n%s\n=== expected:\n%s", sizes[i], got, expected);
          g_assert_cmpstr (got, ==, expected);
        }
    }
}

static char *
long_answer (int parts)
{
  GString *out = g_string_new (NULL);

  for (int i = 1; i <= parts; i++)
    {
      g_autoptr(GString) part = g_string_new (long_answer_part);
      g_autofree char *number = g_strdup_printf ("%d", i);

      g_string_replace (part, "%d", number, 0);
      g_string_append_len (out, part->str, part->len);
    }
  return g_string_free (out, FALSE);
}

static void
test_append_pieces (void)
{
  static const gsize sizes[] = { 1, 2, 3, 5, 7, 16, 61, 1000 };
  g_autofree char *answer = long_answer (2);
  const char *documents[] = {
    every_construct,
    answer,
    /* Ends inside an open fence, then inside a list. */
    "Intro\n\n```c\nint main (void)\n{\n\n  return 0;\n",
    "- a\n- b\n\n- c after a blank line\n\ntext\n\n1. one\n\n2. two\n",
    /* A paragraph that becomes a heading when its underline arrives. */
    "Para\n\nHeading\n=======\n\nmore\n",
    /* A fence closed with an unindented fence inside a list. */
    "1. Install:\n   ```bash\n   pip install x\n```\n\nAfter\n\nEnd\n",
    /* Code right after a paragraph, closed, then text right after it. */
    "Here:\n```js\nlet a = 1;\r\nlet b = 2;\n```\nThen **this**.\n```\nopen at the end\n\n",
    /* A link definition at the end changes an earlier paragraph. */
    "See [the docs][d] for more.\n\nMore text\n\n[d]: https://example.com/docs\n\nAfter\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
    {
      g_test_message ("document %u", i);
      assert_stream_equals_set_text (documents[i], sizes, G_N_ELEMENTS (sizes));
    }
}

static void
test_stream_many_deltas (void)
{
  g_autoptr(ByokMarkdownView) whole = new_view ();
  g_autoptr(ByokMarkdownView) streamed = new_view ();
  g_autofree char *answer = long_answer (60);
  g_autofree char *expected = NULL;
  g_autofree char *got = NULL;
  gsize length = strlen (answer);
  gsize size = MAX (length / 20000, 1);
  gint64 started;
  guint deltas = 0;

  started = g_get_monotonic_time ();
  for (gsize i = 0; i < length; i += size, deltas++)
    {
      g_autofree char *piece = g_strndup (answer + i, MIN (size, length - i));

      byok_markdown_view_append (streamed, piece);
    }
  g_test_message ("%u deltas, %" G_GSIZE_FORMAT " bytes streamed in %.2f s",
                  deltas, length, (g_get_monotonic_time () - started) / 1e6);
  g_assert_cmpuint (deltas, >=, 20000);

  started = g_get_monotonic_time ();
  byok_markdown_view_set_text (whole, answer);
  g_test_message ("set_text of the same: %.2f s", (g_get_monotonic_time () - started) / 1e6);

  expected = signature (whole);
  got = signature (streamed);
  g_assert_cmpstr (got, ==, expected);
}

/* Taking the unsettled end off a view leaves what one view shows of the
 * settled part, and the view goes on from there. */
static void
test_take_unsettled (void)
{
  g_autoptr(ByokMarkdownView) view = new_view ();
  g_autoptr(ByokMarkdownView) fresh = new_view ();
  g_autofree char *answer = long_answer (3);
  g_autofree char *more = NULL;
  g_autofree char *rest = NULL;
  g_autofree char *got = NULL;
  g_autofree char *expected = NULL;
  gsize settled;

  /* Ends inside a code block, and inside a character. */
  more = g_strconcat (answer, "Last:\n\n```c\nint x = 1; /* \xe4\xb8", NULL);
  byok_markdown_view_set_text (view, more);
  settled = byok_markdown_view_get_settled_length (view);
  g_assert_cmpuint (settled, >, 0);
  g_assert_cmpuint (settled, ==, strlen (answer) + strlen ("Last:\n\n"));   /* the open fence */

  rest = byok_markdown_view_take_unsettled (view);
  g_assert_cmpstr (rest, ==, more + settled);
  g_assert_cmpuint (strlen (byok_markdown_view_get_text (view)), ==, settled);
  g_assert_cmpint (strncmp (byok_markdown_view_get_text (view), more, settled), ==, 0);
  byok_markdown_view_set_text (fresh, byok_markdown_view_get_text (view));
  got = signature (view);
  expected = signature (fresh);
  g_assert_cmpstr (got, ==, expected);

  /* Appending goes on as if nothing had been taken. */
  g_clear_pointer (&got, g_free);
  g_clear_pointer (&expected, g_free);
  byok_markdown_view_append (view, rest);
  byok_markdown_view_append (view, "\xad */\n```\n\nDone *now*.\n");
  byok_markdown_view_append (view, answer);
  g_clear_pointer (&more, g_free);
  more = g_strconcat (answer, "Last:\n\n```c\nint x = 1; /* \xe4\xb8\xad */\n```\n\nDone *now*.\n", answer, NULL);
  byok_markdown_view_set_text (fresh, more);
  g_assert_cmpstr (byok_markdown_view_get_text (view), ==, more);
  got = signature (view);
  expected = signature (fresh);
  g_assert_cmpstr (got, ==, expected);
}

/* The pane's views, their texts and buffers. */
static GPtrArray *
pane_views (ByokMarkdownPane *pane)
{
  GPtrArray *views = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (pane)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    g_ptr_array_add (views, child);
  g_assert_cmpuint (views->len, ==, byok_markdown_pane_get_n_views (pane));
  return views;
}

/* What a pane shows of @markdown is what one view shows of it, cut
 * between top-level blocks: each view looks exactly like a view given
 * its part alone; the parts make up the text; their buffers joined by a
 * top-level block's gap line are one view's buffer. Returns the number
 * of views. */
static guint
assert_pane_shows (ByokMarkdownPane *pane,
                   const char       *markdown)
{
  g_autoptr(ByokMarkdownView) whole = new_view ();
  g_autoptr(GPtrArray) views = pane_views (pane);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) joined = g_string_new (NULL);
  g_autofree char *whole_slice = NULL;

  g_assert_cmpstr (byok_markdown_pane_get_text (pane), ==, markdown);
  for (guint i = 0; i < views->len; i++)
    {
      ByokMarkdownView *view = g_ptr_array_index (views, i);
      g_autoptr(ByokMarkdownView) alone = new_view ();
      const char *part = byok_markdown_view_get_text (view);
      g_autofree char *got = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *slice = buffer_slice (view);

      /* Every view but the last holds a segment's worth, in whole blocks. */
      if (i + 1 < views->len)
        {
          g_assert_cmpuint (strlen (part), >=, BYOK_MARKDOWN_PANE_SEGMENT);
          g_assert_true (g_str_has_suffix (part, "\n"));
        }
      g_string_append (text, part);
      byok_markdown_view_set_text (alone, part);
      got = signature (view);
      expected = signature (alone);
      g_assert_cmpstr (got, ==, expected);

      if (i > 0)
        g_string_append (joined, "\n\n");
      g_string_append (joined, slice);
    }
  g_assert_cmpstr (text->str, ==, markdown);

  byok_markdown_view_set_text (whole, markdown);
  whole_slice = buffer_slice (whole);
  g_assert_cmpstr (joined->str, ==, whole_slice);
  return views->len;
}

static void
test_pane_stream (void)
{
  g_autoptr(ByokMarkdownPane) streamed = g_object_ref_sink (BYOK_MARKDOWN_PANE (byok_markdown_pane_new ()));
  g_autoptr(ByokMarkdownPane) whole = g_object_ref_sink (BYOK_MARKDOWN_PANE (byok_markdown_pane_new ()));
  g_autofree char *answer = long_answer (150);
  gsize length = strlen (answer);
  guint n_views;

  g_assert_cmpuint (length, >, 6 * BYOK_MARKDOWN_PANE_SEGMENT);

  /* Deltas of 1 to 3,000 bytes, cut anywhere, even inside a character;
   * one larger than a segment. */
  for (gsize i = 0, size = 1; i < length; i += size, size = size * 7 % 3001 + 1)
    {
      g_autofree char *piece = NULL;

      if (i > length / 2 && i < length / 2 + 3001)
        size = 3 * BYOK_MARKDOWN_PANE_SEGMENT;
      piece = g_strndup (answer + i, MIN (size, length - i));
      byok_markdown_pane_append (streamed, piece);
    }
  n_views = assert_pane_shows (streamed, answer);
  g_test_message ("%" G_GSIZE_FORMAT " bytes streamed into %u views", length, n_views);
  g_assert_cmpuint (n_views, >=, 4);

  /* All at once. */
  byok_markdown_pane_set_text (whole, answer);
  g_assert_cmpuint (assert_pane_shows (whole, answer), >=, 4);

  /* A short text again: one view. */
  byok_markdown_pane_set_text (whole, "Just **this**.");
  g_assert_cmpuint (assert_pane_shows (whole, "Just **this**."), ==, 1);
  byok_markdown_pane_set_text (whole, NULL);
  g_assert_cmpuint (assert_pane_shows (whole, ""), ==, 1);
}

/* set_text() growing a text (how a message row follows a streaming
 * answer) gives what appending gives; a text that differs after the
 * first views keeps them and renders the rest again. */
static void
test_pane_set_text (void)
{
  g_autoptr(ByokMarkdownPane) pane = g_object_ref_sink (BYOK_MARKDOWN_PANE (byok_markdown_pane_new ()));
  g_autofree char *answer = long_answer (100);
  g_autofree char *changed = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  gsize length = strlen (answer);

  for (gsize end = 0; end < length; end = MIN (end + 997, length))
    {
      g_autofree char *prefix = g_strndup (answer, end);

      byok_markdown_pane_set_text (pane, prefix);
    }
  byok_markdown_pane_set_text (pane, answer);
  g_assert_cmpuint (assert_pane_shows (pane, answer), >=, 3);

  /* Change the text near its end: the first view stays as it is. */
  before = pane_views (pane);
  changed = g_strdup (answer);
  changed[length - 100] = 'Z';
  byok_markdown_pane_set_text (pane, changed);
  after = pane_views (pane);
  g_assert_true (g_ptr_array_index (after, 0) == g_ptr_array_index (before, 0));
  assert_pane_shows (pane, changed);

  /* Change its start: everything again, the same as a new pane. */
  changed[0] = '#';
  byok_markdown_pane_set_text (pane, changed);
  assert_pane_shows (pane, changed);

  /* Invalid UTF-8 shows as replacement characters, like in one view. */
  byok_markdown_pane_set_text (pane, "caf\xc3 ok");
  g_assert_cmpstr (byok_markdown_pane_get_text (pane), ==, "caf\xef\xbf\xbd ok");
}

static void
test_set_text_extends (void)
{
  g_autoptr(ByokMarkdownView) view = new_view ();
  g_autoptr(ByokMarkdownView) fresh = new_view ();
  g_autofree char *got = NULL;
  g_autofree char *expected = NULL;
  guint notifies = 0;

  g_signal_connect (view, "notify::text", G_CALLBACK (byok_test_count_notify), &notifies);
  byok_markdown_view_set_text (view, "Hello **wor");
  byok_markdown_view_set_text (view, "Hello **world**");
  byok_markdown_view_set_text (view, "Hello **world**\n\n- a");
  g_assert_cmpuint (notifies, ==, 3);
  /* Not an extension: rendered afresh. */
  byok_markdown_view_set_text (view, "Bye *now*");
  g_object_set (fresh, "text", "Bye *now*", NULL);
  got = signature (view);
  expected = signature (fresh);
  g_assert_cmpstr (got, ==, expected);
  assert_tagged (view, "emphasis", "now");
}

static void
test_dark_style (void)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  g_autoptr(ByokMarkdownView) view = new_view ();
  GtkSourceStyleScheme *scheme;

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  byok_markdown_view_set_text (view, "```c\nint x;\n```");
  scheme = gtk_source_buffer_get_style_scheme (code_block_buffer (view, 0));
  g_assert_cmpstr (gtk_source_style_scheme_get_id (scheme), ==, "Adwaita");

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  scheme = gtk_source_buffer_get_style_scheme (code_block_buffer (view, 0));
  g_assert_cmpstr (gtk_source_style_scheme_get_id (scheme), ==, "Adwaita-dark");

  /* New blocks too. */
  byok_markdown_view_append (view, "\n\n```c\nint y;\n```");
  scheme = gtk_source_buffer_get_style_scheme (code_block_buffer (view, 1));
  g_assert_cmpstr (gtk_source_style_scheme_get_id (scheme), ==, "Adwaita-dark");

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  scheme = gtk_source_buffer_get_style_scheme (code_block_buffer (view, 1));
  g_assert_cmpstr (gtk_source_style_scheme_get_id (scheme), ==, "Adwaita");
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
}

static gboolean
activate_link_cb (ByokMarkdownView  *view,
                  const char        *url,
                  char             **out)
{
  *out = g_strdup (url);
  return TRUE;
}

static void
test_activate_link_signal (void)
{
  g_autoptr(ByokMarkdownView) view = new_view ();
  g_autofree char *url = NULL;
  gboolean handled = FALSE;

  /* The click handler emits this; a handler can take it over. */
  g_signal_connect (view, "activate-link", G_CALLBACK (activate_link_cb), &url);
  g_signal_emit_by_name (view, "activate-link", "https://example.com/", &handled);
  g_assert_true (handled);
  g_assert_cmpstr (url, ==, "https://example.com/");
}

static GArray *
split (const char *text)
{
  ByokMarkdownSplitter splitter;
  GArray *splits = g_array_new (FALSE, FALSE, sizeof (gsize));

  byok_markdown_splitter_init (&splitter);
  byok_markdown_splitter_scan (&splitter, text, strlen (text), splits);
  if (splitter.saw_definition)
    g_array_set_size (splits, 0);
  return splits;
}

static void
assert_splits (const char *text,
               const char *expected)
{
  g_autoptr(GArray) splits = split (text);
  g_autoptr(GString) got = g_string_new (NULL);

  for (guint i = 0; i < splits->len; i++)
    {
      gsize at = g_array_index (splits, gsize, i);
      const char *eol = strchr (text + at, '\n');
      g_autofree char *line = g_strndup (text + at, eol != NULL ? (gsize) (eol - text - at) : 0);

      g_string_append_printf (got, "%s|", line);
    }
  g_test_message ("%s", text);
  g_assert_cmpstr (got->str, ==, expected);
}

static void
test_splitter (void)
{
  assert_splits ("a\n\nb\n\n# c\n", "b|# c|");
  /* Only complete lines. */
  assert_splits ("a\n\nb", "");
  /* Not inside a fence, not at an indented line, not at a list item. */
  assert_splits ("```\nx\n\ny\n```\n\nz\n", "z|");
  assert_splits ("~~~~\n\n~~~\nstill\n~~~~\n\nout\n", "out|");
  assert_splits ("p\n\n    code\n\n- item\n\n1. item\n\n2) item\n\n* item\n\n> quote\n", "> quote|");
  assert_splits ("- a\n\nnot a list\n\n***\n\n-not a marker\n", "not a list|***|-not a marker|");
  /* A backtick fence's info cannot hold a backtick: not a fence. */
  assert_splits ("``` a`b\n\nc\n", "c|");
  /* A fence at column 0 and the line after a closing fence start blocks. */
  assert_splits ("para\n```c\nx\n\n```\nafter\n- list\n", "```c|after|");
  assert_splits ("- a\n  ```\n  x\n  ```\nnext\n", "");
  /* A link definition anywhere: no splits at all. */
  assert_splits ("a\n\nb\n\n[x]: http://example.com\n\nc\n", "");
}

/* The shortcut for a fence still open gives what md4c gives. */
static void
test_open_fence (void)
{
  const char *documents[] = {
    "```python\n",
    "```python\nprint(1)",
    "```python\nprint(1)\n",
    "```python\nprint(1)\n\n\n",
    "~~~ yaml  extra words\na: 1\n  b: [2]\n",
    "```\n    indented\n\ttab\n",
    "````md\n```\nnot the end\n```\n",
    "```c\r\nint x;\r\nint y;\r\n",
    "```c\nemoji 🎉 and \xef\xbf\xbc anchor\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
    {
      for (int after = 0; after <= 1; after++)
        {
          g_autoptr(ByokMarkdownRender) parsed = byok_markdown_render_new ();
          g_autoptr(ByokMarkdownRender) quick = byok_markdown_render_new ();
          const char *doc = documents[i];
          gsize content = strchr (doc, '\n') + 1 - doc;
          const ByokMarkdownCodeBlock *a, *b;

          g_test_message ("%s", doc);
          byok_markdown_render_append (parsed, doc, strlen (doc), after);
          byok_markdown_render_open_fence (quick, doc, strlen (doc), content, after);
          g_assert_cmpstr (quick->text->str, ==, parsed->text->str);
          g_assert_cmpint (quick->n_chars, ==, parsed->n_chars);
          g_assert_cmpuint (quick->spans->len, ==, parsed->spans->len);
          g_assert_cmpuint (quick->code_blocks->len, ==, 1);
          g_assert_cmpuint (parsed->code_blocks->len, ==, 1);
          a = &g_array_index (quick->code_blocks, ByokMarkdownCodeBlock, 0);
          b = &g_array_index (parsed->code_blocks, ByokMarkdownCodeBlock, 0);
          g_assert_cmpint (a->offset, ==, b->offset);
          g_assert_cmpstr (a->language, ==, b->language);
          g_assert_cmpstr (a->code, ==, b->code);
        }
    }
}

/* Renders @widget's window into a PNG at @path. */
static void
save_screenshot (GtkWidget  *window,
                 const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static gboolean
redraw_tick (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

static gboolean
set_true (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
all_preloaded (void)
{
  guint total = 0;

  return byok_markdown_view_get_n_preloaded (&total) == total;
}

/* The common languages' highlighting is loaded while the window draws
 * nothing, never while it draws frames (an answer streaming); in a child
 * process, as it loads once per process. */
static void
test_preload (void)
{
  if (g_test_subprocess ())
    {
      GtkWidget *window = gtk_window_new ();
      gboolean done = FALSE;
      guint tick;

      gtk_window_present (GTK_WINDOW (window));
      byok_test_ui_wait_for_paint (window);
      tick = gtk_widget_add_tick_callback (window, redraw_tick, NULL, NULL);
      byok_markdown_view_preload_languages (window);

      /* A second of frames: nothing loads. */
      g_timeout_add (1000, set_true, &done);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
      g_assert_cmpuint (byok_markdown_view_get_n_preloaded (NULL), ==, 0);

      /* Quiet: everything loads, and code in those languages needs no more. */
      gtk_widget_remove_tick_callback (window, tick);
      while (!all_preloaded ())
        g_main_context_iteration (NULL, TRUE);
      gtk_window_destroy (GTK_WINDOW (window));
      return;
    }

  g_test_trap_subprocess (NULL, byok_test_wait_limit (60) * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* Shows a rendered document in a window; with BYOK_TEST_SCREENSHOT set,
 * saves it there as a PNG to look at. */
/* The share of the window's pixels, as drawn now, that are dark: text. */
static double
dark_share (GtkWidget *window)
{
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  gsize stride = (gsize) width * 4;
  guint dark = 0;

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  pixels = g_malloc (stride * height);
  gdk_texture_download (texture, pixels, stride);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guchar *p = pixels + y * stride + x * 4;

        if (p[0] + p[1] + p[2] < 3 * 160)
          dark++;
      }
  return (double) dark / ((double) width * height);
}

/* In a scrolled window, a pane draws only the views in sight; scrolled to
 * any of them, the window shows its text, with no view left undrawn. */
static void
test_pane_scrolled (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *pane = byok_markdown_pane_new ();
  g_autofree char *answer = long_answer (150);
  g_autoptr(GPtrArray) views = NULL;
  GtkAdjustment *adjustment;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), pane);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  gtk_window_set_default_size (GTK_WINDOW (window), 500, 400);
  gtk_window_present (GTK_WINDOW (window));
  byok_markdown_pane_set_text (BYOK_MARKDOWN_PANE (pane), answer);
  for (int i = 0; i < 4; i++)
    byok_test_ui_wait_for_paint (window);

  views = pane_views (BYOK_MARKDOWN_PANE (pane));
  g_assert_cmpuint (views->len, >=, 4);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >, 10 * gtk_adjustment_get_page_size (adjustment));

  for (guint i = 0; i < views->len; i++)
    {
      graphene_rect_t bounds;
      double share;

      g_assert_true (gtk_widget_compute_bounds (g_ptr_array_index (views, i), pane, &bounds));
      /* A little into the view, and the middle of the view. */
      for (int at = 0; at < 2; at++)
        {
          double y = at == 0 ? bounds.origin.y + 40 : bounds.origin.y + bounds.size.height / 2;

          gtk_adjustment_set_value (adjustment, y);
          byok_test_ui_wait_for_paint (window);
          byok_test_ui_wait_for_paint (window);
          share = dark_share (window);
          g_test_message ("view %u at %.0f px: %.1f %% dark", i, y, 100 * share);
          g_assert_cmpfloat (share, >, 0.01);
        }
    }

  /* And back to the top. */
  gtk_adjustment_set_value (adjustment, 0);
  byok_test_ui_wait_for_paint (window);
  byok_test_ui_wait_for_paint (window);
  g_assert_cmpfloat (dark_share (window), >, 0.01);

  gtk_window_destroy (GTK_WINDOW (window));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

/* The controller of @type on @widget. */
static GtkEventController *
controller_of (GtkWidget *widget,
               GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (controller, type))
        return controller;
    }
  return NULL;
}

/* Where the middle of the first character of @text is, in the view's
 * widget coordinates. */
static void
point_at (ByokMarkdownView *view,
          const char       *text,
          double           *x,
          double           *y)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  g_autofree char *slice = buffer_slice (view);
  const char *found = strstr (slice, text);
  GtkTextIter iter;
  GdkRectangle rect;
  int wx, wy;

  g_assert_nonnull (found);
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, g_utf8_pointer_to_offset (slice, found));
  gtk_text_view_get_iter_location (GTK_TEXT_VIEW (view), &iter, &rect);
  gtk_text_view_buffer_to_window_coords (GTK_TEXT_VIEW (view), GTK_TEXT_WINDOW_WIDGET,
                                         rect.x + MAX (rect.width / 2, 1), rect.y + rect.height / 2, &wx, &wy);
  *x = wx;
  *y = wy;
}

/* Links in a model's answer: only http, https and mailto are links —
 * tagged, clickable, their target the tooltip; file:, smb:, javascript:
 * and an application's own scheme stay plain text, which a click does not
 * open. */
static void
test_link_schemes (void)
{
  static const struct {
    const char *text;
    const char *url;     /* NULL: not a link */
  } links[] = {
    { "webpage", "https://example.com/a" },
    { "plainweb", "http://example.com/b" },
    { "upper", "HTTPS://EXAMPLE.COM/C" },
    { "mailme", "mailto:someone@example.com" },
    { "someone@example.org", "mailto:someone@example.org" },
    { "www.example.net", "http://www.example.net" },
    { "passwords", NULL },
    { "share", NULL },
    { "script", NULL },
    { "handler", NULL },
    { "nowhere", NULL },
    { "file:///etc/hosts", NULL },
    { "picture", NULL },
    { "bold-file", NULL },
  };
  GtkWidget *window = gtk_window_new ();
  GtkWidget *widget = byok_markdown_view_new ();
  ByokMarkdownView *view = BYOK_MARKDOWN_VIEW (widget);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkEventController *click;
  GtkEventController *motion;
  g_autofree char *slice = NULL;
  g_autofree char *clicked = NULL;

  gtk_window_set_child (GTK_WINDOW (window), widget);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 400);
  byok_markdown_view_set_text (view,
                               "[webpage](https://example.com/a) [plainweb](http://example.com/b) "
                               "[upper](HTTPS://EXAMPLE.COM/C) [mailme](mailto:someone@example.com) "
                               "someone@example.org www.example.net\n\n"
                               "[passwords](file:///etc/passwd) [share](smb://server/share) "
                               "[script](javascript:alert(1)) [handler](custom-scheme:run?x=1) "
                               "[nowhere](relative/path) <file:///etc/hosts> ![picture](file:///tmp/x.png) "
                               "**[bold-file](file:///etc/shadow)**");
  gtk_window_present (GTK_WINDOW (window));
  for (int i = 0; i < 4; i++)
    byok_test_ui_wait_for_paint (window);

  /* The text is there, the Markdown gone, whatever the scheme. */
  slice = buffer_slice (view);
  g_assert_cmpstr (slice, ==,
                   "webpage plainweb upper mailme someone@example.org www.example.net\n\n"
                   "passwords share script handler nowhere file:///etc/hosts picture bold-file");

  click = controller_of (widget, GTK_TYPE_GESTURE_CLICK);
  motion = controller_of (widget, GTK_TYPE_EVENT_CONTROLLER_MOTION);
  g_assert_nonnull (click);
  g_assert_nonnull (motion);
  g_signal_connect (view, "activate-link", G_CALLBACK (activate_link_cb), &clicked);

  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    {
      GtkTextIter iter;
      g_autofree char *tags = NULL;
      double x, y;

      g_test_message ("%s", links[i].text);
      gtk_text_buffer_get_iter_at_offset (buffer, &iter,
                                          g_utf8_pointer_to_offset (slice, strstr (slice, links[i].text)) + 1);

      /* Tagged as a link (coloured, underlined, with its URL), or not at all. */
      g_assert_cmpstr (byok_markdown_view_get_url_at (view, &iter), ==, links[i].url);
      tags = tags_at (view, &iter);
      if (links[i].url == NULL)
        g_assert_null (strstr (tags, "link:"));

      /* A click opens it, or nothing. */
      point_at (view, links[i].text, &x, &y);
      g_clear_pointer (&clicked, g_free);
      g_signal_emit_by_name (click, "released", 1, x, y);
      g_assert_cmpstr (clicked, ==, links[i].url);

      /* Hovering shows where it goes, and the hand; or neither. */
      g_signal_emit_by_name (motion, "motion", x, y);
      g_assert_cmpstr (gtk_widget_get_tooltip_text (widget), ==, links[i].url);
      g_assert_cmpstr (gtk_widget_get_cursor (widget) != NULL ? gdk_cursor_get_name (gtk_widget_get_cursor (widget)) : NULL,
                       ==, links[i].url != NULL ? "pointer" : "text");
    }
  g_signal_emit_by_name (motion, "leave");
  g_assert_null (gtk_widget_get_tooltip_text (widget));

  g_assert_true (byok_markdown_url_is_openable ("https://example.com"));
  g_assert_true (byok_markdown_url_is_openable ("MailTo:x@example.com"));
  g_assert_false (byok_markdown_url_is_openable ("file:///etc/passwd"));
  g_assert_false (byok_markdown_url_is_openable ("ftp://example.com"));
  g_assert_false (byok_markdown_url_is_openable ("https"));
  g_assert_false (byok_markdown_url_is_openable (""));
  g_assert_false (byok_markdown_url_is_openable (NULL));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view = byok_markdown_view_new ();
  const char *path = g_getenv ("BYOK_TEST_SCREENSHOT");
  GtkWidget *frame;
  int width = 0;

  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 18);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 18);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 12);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 860);
  byok_markdown_view_set_text (BYOK_MARKDOWN_VIEW (view),
                               "# Boiling pasta\n\n"
                               "Use **plenty** of water, *salt* it, and ~~never~~ add oil. "
                               "Times are on the [packet](https://example.com/pasta); `al dente` is a minute less.\n\n"
                               "1. Bring the water to a boil\n"
                               "2. Add the pasta\n"
                               "   - stir in the first minute\n"
                               "   - [x] taste before draining\n\n"
                               "> Pasta water is the secret to a good sauce.\n\n"
                               "| Shape | Minutes | Sauce |\n"
                               "|:------|--------:|:-----:|\n"
                               "| Spaghetti | 9 | tomato |\n"
                               "| Penne | 11 | arrabbiata |\n\n"
                               "```python\n"
                               "def cook(pasta: str, minutes: int = 9) -> str:\n"
                               "    \"\"\"Boil, then drain.\"\"\"\n"
                               "    for minute in range(minutes):\n"
                               "        stir(pasta)\n"
                               "    return f\"{pasta} is ready\"\n"
                               "```\n\n"
                               "---\n\n"
                               "Enjoy!");
  gtk_window_present (GTK_WINDOW (window));
  for (int i = 0; i < 6; i++)
    byok_test_ui_wait_for_paint (window);

  /* The code block spans the text width. */
  frame = code_block_widget (BYOK_MARKDOWN_VIEW (view), 0);
  gtk_widget_get_size_request (frame, &width, NULL);
  g_assert_cmpint (width, >, 500);
  g_assert_cmpint (width, <=, gtk_widget_get_width (view));
  g_assert_true (gtk_widget_get_mapped (frame));

  /* Once the code's lines are laid out, the block shows all of them. */
  {
    int natural = 0;

    for (int i = 0; i < 20; i++)
      {
        gtk_widget_measure (frame, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (frame), NULL, &natural, NULL, NULL);
        if (gtk_widget_get_height (frame) >= natural)
          break;
        byok_test_ui_wait_for_paint (window);
      }
    g_assert_cmpint (gtk_widget_get_height (frame), >=, natural);
  }

  if (path != NULL)
    {
      save_screenshot (window, path);
      g_test_message ("screenshot: %s", path);
    }
  byok_test_ui_destroy_window (&window);
}

/* The height of the view's laid-out text, margins included. */
static int
text_layout_height (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter end;
  int y = 0;
  int height = 0;

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_view_get_line_yrange (view, &end, &y, &height);
  return y + height + gtk_text_view_get_top_margin (view) + gtk_text_view_get_bottom_margin (view);
}

static const char code_answer[] =
  "Here is the loop:\n\n"
  "```c\n"
  "for (int i = 0; i < 10; i++)\n"
  "  printf (\"%d\\n\", i);\n"
  "```\n\n"
  "It prints the numbers from zero to nine, one a line, and then the text "
  "goes on after the code block so that it must not be clipped.\n";

/* GtkTextView counts an anchored child's height on top of the line that
 * already holds it; the view asks for its laid-out height only. */
static void
test_code_block_height (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *view = byok_markdown_view_new ();
  GtkWidget *frame;
  int minimum = 0;
  int natural = 0;
  int laid_out;

  gtk_box_append (GTK_BOX (box), view);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 500, 700);
  byok_markdown_view_set_text (BYOK_MARKDOWN_VIEW (view), code_answer);
  gtk_window_present (GTK_WINDOW (window));
  byok_test_ui_wait_for_paint (window);
  byok_test_ui_wait_for_paint (window);

  /* Lines are validated in an idle after the first frames: the view
   * follows within a few frames. */
  for (int i = 0; i < 20 && ABS (gtk_widget_get_height (view) - text_layout_height (GTK_TEXT_VIEW (view))) > 4; i++)
    byok_test_ui_wait_for_paint (window);

  frame = code_block_widget (BYOK_MARKDOWN_VIEW (view), 0);
  g_assert_true (gtk_widget_get_mapped (frame));
  g_assert_cmpint (gtk_widget_get_height (frame), >, 30);

  gtk_widget_measure (view, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (view),
                      &minimum, &natural, NULL, NULL);
  laid_out = text_layout_height (GTK_TEXT_VIEW (view));
  g_test_message ("natural %d, laid out %d, code block %d", natural, laid_out, gtk_widget_get_height (frame));
  g_assert_cmpint (laid_out, >, gtk_widget_get_height (frame));
  g_assert_cmpint (ABS (natural - laid_out), <=, 4);
  g_assert_cmpint (ABS (gtk_widget_get_height (view) - laid_out), <=, 4);

  byok_test_ui_destroy_window (&window);
}

/* A code block follows the view's width, narrower as well as wider. */
static void
test_code_block_width (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view = byok_markdown_view_new ();
  GtkWidget *frame;
  int wide;
  int narrow;

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  gtk_window_set_default_size (GTK_WINDOW (window), 700, 500);
  byok_markdown_view_set_text (BYOK_MARKDOWN_VIEW (view), code_answer);
  gtk_window_present (GTK_WINDOW (window));
  byok_test_ui_wait_for_paint (window);
  byok_test_ui_wait_for_paint (window);

  frame = code_block_widget (BYOK_MARKDOWN_VIEW (view), 0);
  wide = gtk_widget_get_width (frame);
  g_assert_cmpint (wide, >, 500);

  gtk_window_set_default_size (GTK_WINDOW (window), 400, 500);
  for (int i = 0; i < 20 && gtk_widget_get_width (window) > 400; i++)
    byok_test_ui_wait_for_paint (window);
  byok_test_ui_wait_for_paint (window);
  byok_test_ui_wait_for_paint (window);
  narrow = gtk_widget_get_width (frame);
  g_test_message ("wide %d, narrow %d, view %d", wide, narrow, gtk_widget_get_width (view));
  g_assert_cmpint (gtk_widget_get_width (view), <=, 400);
  g_assert_cmpint (narrow, <, wide);
  g_assert_cmpint (narrow, <=, gtk_widget_get_width (view));

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 500);
  for (int i = 0; i < 20 && gtk_widget_get_width (window) < 800; i++)
    byok_test_ui_wait_for_paint (window);
  byok_test_ui_wait_for_paint (window);
  byok_test_ui_wait_for_paint (window);
  g_assert_cmpint (gtk_widget_get_width (frame), >, wide);

  byok_test_ui_destroy_window (&window);
}

/* The wheel over a code block scrolls the conversation, not the code. */
static void
test_code_block_scroll (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view = byok_markdown_view_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  GtkAdjustment *outer;
  GtkAdjustment *inner;
  GtkWidget *code_scrolled;
  GtkEventController *controller = NULL;
  g_autoptr(GListModel) controllers = NULL;
  gboolean handled = FALSE;
  double before;

  for (int i = 0; i < 40; i++)
    g_string_append (text, "A line of text above the code.\n\n");
  g_string_append (text, "```c\nint a_very_long_line_of_code_that_does_not_fit = 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10 + 11 + 12 + 13;\n```\n\n");
  for (int i = 0; i < 40; i++)
    g_string_append (text, "A line of text below the code.\n\n");

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 300);
  byok_markdown_view_set_text (BYOK_MARKDOWN_VIEW (view), text->str);
  gtk_window_present (GTK_WINDOW (window));
  byok_test_ui_wait_for_paint (window);
  byok_test_ui_wait_for_paint (window);

  code_scrolled = byok_test_ui_find_descendant (code_block_widget (BYOK_MARKDOWN_VIEW (view), 0), GTK_TYPE_SCROLLED_WINDOW);
  g_assert_nonnull (code_scrolled);
  {
    GtkPolicyType hpolicy, vpolicy;

    gtk_scrolled_window_get_policy (GTK_SCROLLED_WINDOW (code_scrolled), &hpolicy, &vpolicy);
    g_assert_cmpint (vpolicy, ==, GTK_POLICY_NEVER);
  }
  controllers = gtk_widget_observe_controllers (code_scrolled);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (c), "byok-code-scroll") == 0)
        controller = c;
    }
  g_assert_nonnull (controller);

  outer = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  inner = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (code_scrolled));
  gtk_adjustment_set_value (outer, 100);
  before = gtk_adjustment_get_value (outer);

  /* Down: the conversation moves, the code stays. */
  g_signal_emit_by_name (controller, "scroll", 0.0, 2.0, &handled);
  g_assert_true (handled);
  g_assert_cmpfloat (gtk_adjustment_get_value (outer), >, before);
  g_assert_cmpfloat (gtk_adjustment_get_value (inner), ==, 0);

  /* Up again. */
  before = gtk_adjustment_get_value (outer);
  g_signal_emit_by_name (controller, "scroll", 0.0, -1.0, &handled);
  g_assert_cmpfloat (gtk_adjustment_get_value (outer), <, before);

  /* Sideways stays with the code. */
  handled = TRUE;
  g_signal_emit_by_name (controller, "scroll", 3.0, 0.0, &handled);
  g_assert_false (handled);

  byok_test_ui_destroy_window (&window);
}

int
main (int argc, char **argv)
{
  byok_test_ui_init (&argc, &argv, NULL);
  gtk_source_init ();
  /* A drawing warning is a failure too. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_FATAL_MASK);

  g_test_add_func ("/markdown/render/constructs", test_render_constructs);
  g_test_add_func ("/markdown/code-block", test_code_block);
  g_test_add_func ("/markdown/copy-button", test_copy_button);
  g_test_add_func ("/markdown/stream/pieces", test_append_pieces);
  g_test_add_func ("/markdown/stream/many-deltas", test_stream_many_deltas);
  g_test_add_func ("/markdown/stream/set-text-extends", test_set_text_extends);
  g_test_add_func ("/markdown/stream/take-unsettled", test_take_unsettled);
  g_test_add_func ("/markdown/pane/stream", test_pane_stream);
  g_test_add_func ("/markdown/pane/set-text", test_pane_set_text);
  g_test_add_func ("/markdown/pane/scrolled", test_pane_scrolled);
  g_test_add_func ("/markdown/preload", test_preload);
  g_test_add_func ("/markdown/dark-style", test_dark_style);
  g_test_add_func ("/markdown/activate-link", test_activate_link_signal);
  g_test_add_func ("/markdown/link-schemes", test_link_schemes);
  g_test_add_func ("/markdown/splitter", test_splitter);
  g_test_add_func ("/markdown/open-fence", test_open_fence);
  g_test_add_func ("/markdown/window", test_window);
  g_test_add_func ("/markdown/code-block/height", test_code_block_height);
  g_test_add_func ("/markdown/code-block/width", test_code_block_width);
  g_test_add_func ("/markdown/code-block/scroll", test_code_block_scroll);
  return g_test_run ();
}
