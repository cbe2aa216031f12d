/* byok-markdown.c — Markdown through md4c into text, tag spans and code blocks */
#define G_LOG_DOMAIN "byok-markdown"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <md4c.h>

#include "byok-markdown.h"

#define PARSER_FLAGS (MD_DIALECT_GITHUB | MD_FLAG_NOHTML)
#define MAX_INDENT   10

static const char * const heading_tags[] = { "h1", "h2", "h3", "h4", "h5", "h6" };
static const char * const indent_tags[MAX_INDENT] = {
  "indent-1", "indent-2", "indent-3", "indent-4", "indent-5",
  "indent-6", "indent-7", "indent-8", "indent-9", "indent-10",
};
static const char * const bullets[] = { "• ", "◦ ", "▪ " };

/* memmem() needs _GNU_SOURCE. */
static const char *
find_bytes (const char *haystack,
            gsize       length,
            const char *needle,
            gsize       needle_length)
{
  for (const char *p = haystack; p + needle_length <= haystack + length; p++)
    {
      p = memchr (p, needle[0], haystack + length - p);
      if (p == NULL || p + needle_length > haystack + length)
        return NULL;
      if (memcmp (p, needle, needle_length) == 0)
        return p;
    }
  return NULL;
}

static void
string_free (gpointer data)
{
  g_string_free (data, TRUE);
}

/* ---- render -------------------------------------------------------------- */

static void
span_clear (gpointer data)
{
  ByokMarkdownSpan *span = data;

  g_free (span->url);
}

static void
code_block_clear (gpointer data)
{
  ByokMarkdownCodeBlock *block = data;

  g_free (block->language);
  g_free (block->code);
}

ByokMarkdownRender *
byok_markdown_render_new (void)
{
  ByokMarkdownRender *render = g_new0 (ByokMarkdownRender, 1);

  render->text = g_string_new (NULL);
  render->spans = g_array_new (FALSE, FALSE, sizeof (ByokMarkdownSpan));
  g_array_set_clear_func (render->spans, span_clear);
  render->code_blocks = g_array_new (FALSE, FALSE, sizeof (ByokMarkdownCodeBlock));
  g_array_set_clear_func (render->code_blocks, code_block_clear);
  return render;
}

void
byok_markdown_render_free (ByokMarkdownRender *render)
{
  if (render == NULL)
    return;
  g_string_free (render->text, TRUE);
  g_array_unref (render->spans);
  g_array_unref (render->code_blocks);
  g_free (render);
}

gboolean
byok_markdown_span_equal (const ByokMarkdownSpan *a,
                          const ByokMarkdownSpan *b)
{
  return a->start == b->start && a->end == b->end &&
         a->tag == b->tag && g_strcmp0 (a->url, b->url) == 0;
}

/**
 * byok_markdown_render_copy_tail:
 * @byte_offset: where the tail starts in @render's text
 * @char_offset: the same place in characters
 * @first_span: the first span of the tail (every later span lies in it)
 * @first_code_block: the first code block of the tail
 *
 * Returns: (transfer full): the tail of @render, its offsets counted from
 *   the start of the tail
 */
ByokMarkdownRender *
byok_markdown_render_copy_tail (const ByokMarkdownRender *render,
                                gsize                     byte_offset,
                                int                       char_offset,
                                guint                     first_span,
                                guint                     first_code_block)
{
  ByokMarkdownRender *tail = byok_markdown_render_new ();

  g_return_val_if_fail (byte_offset <= render->text->len, tail);

  g_string_append_len (tail->text, render->text->str + byte_offset,
                       render->text->len - byte_offset);
  tail->n_chars = render->n_chars - char_offset;
  for (guint i = first_span; i < render->spans->len; i++)
    {
      ByokMarkdownSpan span = g_array_index (render->spans, ByokMarkdownSpan, i);

      g_warn_if_fail (span.start >= char_offset);
      span.start -= char_offset;
      span.end -= char_offset;
      span.url = g_strdup (span.url);
      g_array_append_val (tail->spans, span);
    }
  for (guint i = first_code_block; i < render->code_blocks->len; i++)
    {
      ByokMarkdownCodeBlock block = g_array_index (render->code_blocks, ByokMarkdownCodeBlock, i);

      block.offset -= char_offset;
      block.language = g_strdup (block.language);
      block.code = g_strdup (block.code);
      g_array_append_val (tail->code_blocks, block);
    }
  return tail;
}

/* ---- the md4c callbacks -------------------------------------------------- */

typedef struct {
  const char *tag;
  char       *url;
  int         start;
} OpenSpan;

typedef struct {
  MD_BLOCKTYPE type;
  unsigned     number;      /* next number of an ordered list */
} Box;

typedef struct {
  ByokMarkdownRender *out;
  gboolean            has_content;
  int                 depth;
  gboolean            pending_gap;   /* a top-level block has begun */
  gboolean            line_open;     /* a list item's marker is out */

  GArray             *boxes;         /* of Box: quotes and lists */
  int                 lists;
  int                 indent;
  int                 quotes;

  /* The indent and quote tags of the current line. */
  gboolean            context_open;
  int                 context_start;
  int                 context_indent;
  gboolean            context_quote;

  GArray             *open_spans;    /* of OpenSpan */

  gboolean            in_code;
  GString            *code;
  char               *code_language;

  gboolean            in_table;
  gboolean            in_table_head;
  guint               head_rows;
  GPtrArray          *rows;          /* of GPtrArray of GString */
  GArray             *aligns;        /* of MD_ALIGN, per column */
  GString            *cell;
} Renderer;

static void
add_span (Renderer   *r,
          const char *tag,
          char       *url,
          int         start,
          int         end)
{
  ByokMarkdownSpan span = { tag, url, start, end };

  if (end <= start)
    {
      g_free (url);
      return;
    }
  g_array_append_val (r->out->spans, span);
}

/* Appends text, U+FFFC (reserved for code blocks) replaced. */
static void
emit (Renderer   *r,
      const char *text,
      gsize       length)
{
  const char *p = text;
  const char *end = text + length;
  const char *anchor;

  while ((anchor = find_bytes (p, end - p, "\xef\xbf\xbc", 3)) != NULL)
    {
      g_string_append_len (r->out->text, p, anchor - p);
      g_string_append (r->out->text, "\xef\xbf\xbd");
      r->out->n_chars += g_utf8_strlen (p, anchor - p) + 1;
      p = anchor + 3;
    }
  g_string_append_len (r->out->text, p, end - p);
  r->out->n_chars += g_utf8_strlen (p, end - p);
  if (length > 0)
    r->has_content = TRUE;
}

static void
emit_str (Renderer   *r,
          const char *text)
{
  emit (r, text, strlen (text));
}

static void
close_context (Renderer *r)
{
  if (!r->context_open)
    return;
  r->context_open = FALSE;
  if (r->context_indent > 0)
    add_span (r, indent_tags[MIN (r->context_indent, MAX_INDENT) - 1], NULL,
              r->context_start, r->out->n_chars);
  if (r->context_quote)
    add_span (r, "quote", NULL, r->context_start, r->out->n_chars);
}

static void
open_context (Renderer *r)
{
  r->context_open = TRUE;
  r->context_start = r->out->n_chars;
  r->context_indent = r->indent;
  r->context_quote = r->quotes > 0;
}

/* Starts the line of a block: a newline after what came before, and an
 * empty "gap" line before a top-level block. */
static void
begin_line (Renderer *r)
{
  if (r->line_open)
    {
      /* The first block of a list item goes after its marker. */
      r->line_open = FALSE;
      if (r->context_indent != r->indent || r->context_quote != (r->quotes > 0))
        {
          close_context (r);
          open_context (r);
        }
      return;
    }
  close_context (r);
  if (r->has_content)
    {
      emit_str (r, "\n");
      if (r->pending_gap)
        {
          emit_str (r, "\n");
          add_span (r, "gap", NULL, r->out->n_chars - 1, r->out->n_chars);
        }
    }
  r->pending_gap = FALSE;
  open_context (r);
}

static void
append_entity (GString    *out,
               const char *text,
               gsize       length)
{
  static const struct {
    const char *name;
    const char *value;
  } entities[] = {
    { "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" },
    { "nbsp", "\xc2\xa0" }, { "copy", "©" }, { "reg", "®" }, { "trade", "™" },
    { "hellip", "…" }, { "mdash", "—" }, { "ndash", "–" }, { "lsquo", "‘" },
    { "rsquo", "’" }, { "ldquo", "“" }, { "rdquo", "”" }, { "laquo", "«" },
    { "raquo", "»" }, { "times", "×" }, { "divide", "÷" }, { "deg", "°" },
    { "plusmn", "±" }, { "middot", "·" }, { "bull", "•" }, { "euro", "€" },
    { "pound", "£" }, { "yen", "¥" }, { "cent", "¢" }, { "sect", "§" },
    { "para", "¶" }, { "larr", "←" }, { "rarr", "→" }, { "uarr", "↑" },
    { "darr", "↓" }, { "harr", "↔" }, { "le", "≤" }, { "ge", "≥" },
    { "ne", "≠" }, { "asymp", "≈" }, { "infin", "∞" }, { "check", "✓" },
  };
  g_autofree char *name = NULL;

  /* "&name;" or "&#123;" or "&#x1F600;" */
  if (length < 3 || text[0] != '&' || text[length - 1] != ';')
    goto literal;
  name = g_strndup (text + 1, length - 2);

  if (name[0] == '#')
    {
      gboolean hex = name[1] == 'x' || name[1] == 'X';
      char *end = NULL;
      guint64 value = g_ascii_strtoull (name + (hex ? 2 : 1), &end, hex ? 16 : 10);

      if (end == NULL || *end != '\0' || end == name + (hex ? 2 : 1))
        goto literal;
      if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
        value = 0xFFFD;
      if (value == BYOK_MARKDOWN_ANCHOR_CHAR)
        value = 0xFFFD;
      g_string_append_unichar (out, (gunichar) value);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    {
      if (g_str_equal (name, entities[i].name))
        {
          g_string_append (out, entities[i].value);
          return;
        }
    }

literal:
  g_string_append_len (out, text, length);
}

static char *
attribute_to_string (const MD_ATTRIBUTE *attribute)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; attribute->substr_offsets != NULL &&
                    attribute->substr_offsets[i] < attribute->size; i++)
    {
      const char *text = attribute->text + attribute->substr_offsets[i];
      gsize length = attribute->substr_offsets[i + 1] - attribute->substr_offsets[i];

      switch (attribute->substr_types[i])
        {
        case MD_TEXT_ENTITY:
          append_entity (out, text, length);
          break;
        case MD_TEXT_NULLCHAR:
          g_string_append (out, "\xef\xbf\xbd");
          break;
        default:
          g_string_append_len (out, text, length);
          break;
        }
    }
  return g_string_free (out, FALSE);
}

static Box *
top_box (Renderer *r)
{
  return r->boxes->len > 0 ? &g_array_index (r->boxes, Box, r->boxes->len - 1) : NULL;
}

static void
begin_list_item (Renderer                 *r,
                 const MD_BLOCK_LI_DETAIL *detail)
{
  Box *box = top_box (r);

  begin_line (r);
  if (box != NULL && box->type == MD_BLOCK_OL)
    {
      g_autofree char *number = g_strdup_printf ("%u. ", box->number++);

      emit_str (r, number);
    }
  else
    emit_str (r, bullets[MIN (MAX (r->lists, 1), (int) G_N_ELEMENTS (bullets)) - 1]);
  if (detail != NULL && detail->is_task)
    emit_str (r, detail->task_mark == ' ' ? "☐ " : "☑ ");
  r->line_open = TRUE;
}

static int
enter_block (MD_BLOCKTYPE  type,
             void         *detail,
             void         *user_data)
{
  Renderer *r = user_data;

  if (r->depth == 1)
    r->pending_gap = TRUE;
  r->depth++;

  switch (type)
    {
    case MD_BLOCK_DOC:
      break;

    case MD_BLOCK_QUOTE:
      {
        Box box = { type, 0 };

        g_array_append_val (r->boxes, box);
        r->quotes++;
        r->indent++;
      }
      break;

    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
      {
        Box box = { type, type == MD_BLOCK_OL ? ((MD_BLOCK_OL_DETAIL *) detail)->start : 0 };

        g_array_append_val (r->boxes, box);
        r->lists++;
        r->indent++;
      }
      break;

    case MD_BLOCK_LI:
      begin_list_item (r, detail);
      break;

    case MD_BLOCK_HR:
      {
        int start;

        begin_line (r);
        start = r->out->n_chars;
        emit_str (r, "———");
        add_span (r, "rule", NULL, start, r->out->n_chars);
      }
      break;

    case MD_BLOCK_H:
      {
        unsigned level = CLAMP (((MD_BLOCK_H_DETAIL *) detail)->level, 1, 6);
        OpenSpan span = { heading_tags[level - 1], NULL, 0 };

        begin_line (r);
        span.start = r->out->n_chars;
        g_array_append_val (r->open_spans, span);
      }
      break;

    case MD_BLOCK_CODE:
      {
        MD_BLOCK_CODE_DETAIL *code = detail;

        begin_line (r);
        r->in_code = TRUE;
        g_string_truncate (r->code, 0);
        g_clear_pointer (&r->code_language, g_free);
        if (code->lang.size > 0)
          r->code_language = attribute_to_string (&code->lang);
      }
      break;

    case MD_BLOCK_HTML:
    case MD_BLOCK_P:
      begin_line (r);
      break;

    case MD_BLOCK_TABLE:
      r->in_table = TRUE;
      r->head_rows = 0;
      g_ptr_array_set_size (r->rows, 0);
      g_array_set_size (r->aligns, 0);
      break;

    case MD_BLOCK_THEAD:
      r->in_table_head = TRUE;
      break;

    case MD_BLOCK_TBODY:
      r->in_table_head = FALSE;
      break;

    case MD_BLOCK_TR:
      g_ptr_array_add (r->rows, g_ptr_array_new_with_free_func (string_free));
      if (r->in_table_head)
        r->head_rows++;
      break;

    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
      if (r->rows->len > 0)
        {
          GPtrArray *row = g_ptr_array_index (r->rows, r->rows->len - 1);
          MD_ALIGN align = ((MD_BLOCK_TD_DETAIL *) detail)->align;

          r->cell = g_string_new (NULL);
          g_ptr_array_add (row, r->cell);
          if (row->len > r->aligns->len)
            g_array_append_val (r->aligns, align);
        }
      break;

    default:
      break;
    }
  return 0;
}

/* Columns a string takes in a monospace font. */
static guint
display_width (const char *text)
{
  guint width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

static void
append_padding (GString *line,
                guint    count,
                const char *fill)
{
  for (guint i = 0; i < count; i++)
    g_string_append (line, fill);
}

static void
emit_table (Renderer *r)
{
  g_autoptr(GArray) widths = g_array_new (FALSE, TRUE, sizeof (guint));
  g_autoptr(GString) line = g_string_new (NULL);
  guint columns = 0;
  int start;
  int head_end = -1;

  for (guint i = 0; i < r->rows->len; i++)
    columns = MAX (columns, ((GPtrArray *) g_ptr_array_index (r->rows, i))->len);
  if (columns == 0)
    return;
  g_array_set_size (widths, columns);
  for (guint i = 0; i < r->rows->len; i++)
    {
      GPtrArray *row = g_ptr_array_index (r->rows, i);

      for (guint c = 0; c < row->len; c++)
        {
          GString *cell = g_ptr_array_index (row, c);
          guint *width = &g_array_index (widths, guint, c);

          *width = MAX (*width, display_width (cell->str));
        }
    }

  begin_line (r);
  start = r->out->n_chars;
  for (guint i = 0; i < r->rows->len; i++)
    {
      GPtrArray *row = g_ptr_array_index (r->rows, i);

      g_string_truncate (line, 0);
      if (i > 0)
        g_string_append_c (line, '\n');
      for (guint c = 0; c < columns; c++)
        {
          const char *text = c < row->len ? ((GString *) g_ptr_array_index (row, c))->str : "";
          guint width = g_array_index (widths, guint, c);
          guint pad = width - display_width (text);
          MD_ALIGN align = c < r->aligns->len ? g_array_index (r->aligns, MD_ALIGN, c) : MD_ALIGN_DEFAULT;
          guint before = align == MD_ALIGN_RIGHT ? pad : align == MD_ALIGN_CENTER ? pad / 2 : 0;

          if (c > 0)
            g_string_append (line, " │ ");
          append_padding (line, before, " ");
          g_string_append (line, text);
          /* No trailing spaces after the last column. */
          if (c + 1 < columns)
            append_padding (line, pad - before, " ");
        }
      emit (r, line->str, line->len);

      if (i + 1 == r->head_rows)
        {
          head_end = r->out->n_chars;
          g_string_truncate (line, 0);
          g_string_append_c (line, '\n');
          for (guint c = 0; c < columns; c++)
            {
              if (c > 0)
                g_string_append (line, "─┼─");
              append_padding (line, g_array_index (widths, guint, c), "─");
            }
          emit (r, line->str, line->len);
        }
    }
  if (head_end > start)
    add_span (r, "table-header", NULL, start, head_end);
  add_span (r, "table", NULL, start, r->out->n_chars);
}

static int
leave_block (MD_BLOCKTYPE  type,
             void         *detail,
             void         *user_data)
{
  Renderer *r = user_data;

  r->depth--;

  switch (type)
    {
    case MD_BLOCK_DOC:
      close_context (r);
      break;

    case MD_BLOCK_QUOTE:
      g_array_set_size (r->boxes, r->boxes->len - 1);
      r->quotes--;
      r->indent--;
      break;

    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
      g_array_set_size (r->boxes, r->boxes->len - 1);
      r->lists--;
      r->indent--;
      break;

    case MD_BLOCK_LI:
      r->line_open = FALSE;
      break;

    case MD_BLOCK_H:
      if (r->open_spans->len > 0)
        {
          OpenSpan *span = &g_array_index (r->open_spans, OpenSpan, r->open_spans->len - 1);

          add_span (r, span->tag, NULL, span->start, r->out->n_chars);
          g_array_set_size (r->open_spans, r->open_spans->len - 1);
        }
      break;

    case MD_BLOCK_CODE:
      {
        ByokMarkdownCodeBlock block = { 0 };

        if (r->code->len > 0 && r->code->str[r->code->len - 1] == '\n')
          g_string_truncate (r->code, r->code->len - 1);
        block.offset = r->out->n_chars;
        block.language = g_steal_pointer (&r->code_language);
        block.code = g_strndup (r->code->str, r->code->len);
        g_array_append_val (r->out->code_blocks, block);
        g_string_append_unichar (r->out->text, BYOK_MARKDOWN_ANCHOR_CHAR);
        r->out->n_chars++;
        r->has_content = TRUE;
        r->in_code = FALSE;
      }
      break;

    case MD_BLOCK_TABLE:
      r->in_table = FALSE;
      emit_table (r);
      g_ptr_array_set_size (r->rows, 0);
      break;

    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
      r->cell = NULL;
      break;

    default:
      break;
    }
  return 0;
}

/**
 * byok_markdown_url_is_openable:
 * @url: a link's target, as the Markdown wrote it
 *
 * Text from a model is not trusted: a click may open only a web page or
 * a new mail (http, https, mailto; the scheme in any case), never a file,
 * a network share, a script or whatever else a scheme handler does.
 *
 * Returns: whether a link to @url may be shown and opened
 */
gboolean
byok_markdown_url_is_openable (const char *url)
{
  static const char * const allowed[] = { "http", "https", "mailto", NULL };
  g_autofree char *scheme = url != NULL ? g_uri_parse_scheme (url) : NULL;

  if (scheme == NULL)
    return FALSE;
  for (char *c = scheme; *c != '\0'; c++)
    *c = g_ascii_tolower (*c);
  return g_strv_contains (allowed, scheme);
}

static int
enter_span (MD_SPANTYPE  type,
            void        *detail,
            void        *user_data)
{
  Renderer *r = user_data;
  OpenSpan span = { NULL, NULL, r->out->n_chars };

  if (r->in_table)
    return 0;

  switch (type)
    {
    case MD_SPAN_EM:
      span.tag = "emphasis";
      break;
    case MD_SPAN_STRONG:
      span.tag = "strong";
      break;
    case MD_SPAN_DEL:
      span.tag = "strikethrough";
      break;
    case MD_SPAN_CODE:
      span.tag = "code";
      break;
    case MD_SPAN_A:
      span.url = attribute_to_string (&((MD_SPAN_A_DETAIL *) detail)->href);
      break;
    case MD_SPAN_IMG:
      span.url = attribute_to_string (&((MD_SPAN_IMG_DETAIL *) detail)->src);
      break;
    default:
      span.tag = "";   /* not shown; popped at leave */
      break;
    }

  /* "www.example.com" autolinks come without a scheme. */
  if (span.url != NULL && g_str_has_prefix (span.url, "www."))
    {
      char *full = g_strconcat ("http://", span.url, NULL);

      g_free (span.url);
      span.url = full;
    }
  /* A link the model wrote to a file, a share, a script or an app's own
   * scheme is no link: its text stays plain. */
  if (span.url != NULL && !byok_markdown_url_is_openable (span.url))
    {
      g_clear_pointer (&span.url, g_free);
      span.tag = "";
    }
  g_array_append_val (r->open_spans, span);
  return 0;
}

static int
leave_span (MD_SPANTYPE  type,
            void        *detail,
            void        *user_data)
{
  Renderer *r = user_data;
  OpenSpan span;

  if (r->in_table || r->open_spans->len == 0)
    return 0;

  span = g_array_index (r->open_spans, OpenSpan, r->open_spans->len - 1);
  /* The URL moves to the span: keep the clear func off it. */
  g_array_index (r->open_spans, OpenSpan, r->open_spans->len - 1).url = NULL;
  g_array_set_size (r->open_spans, r->open_spans->len - 1);
  if (span.url != NULL)
    add_span (r, NULL, span.url, span.start, r->out->n_chars);
  else if (*span.tag != '\0')
    add_span (r, span.tag, NULL, span.start, r->out->n_chars);
  return 0;
}

static int
text_cb (MD_TEXTTYPE  type,
         const char  *text,
         MD_SIZE      size,
         void        *user_data)
{
  Renderer *r = user_data;

  if (r->in_code)
    {
      if (type == MD_TEXT_NULLCHAR)
        g_string_append (r->code, "\xef\xbf\xbd");
      else
        g_string_append_len (r->code, text, size);
      return 0;
    }

  if (r->in_table)
    {
      if (r->cell == NULL)
        return 0;
      switch (type)
        {
        case MD_TEXT_BR:
        case MD_TEXT_SOFTBR:
          g_string_append_c (r->cell, ' ');
          break;
        case MD_TEXT_NULLCHAR:
          g_string_append (r->cell, "\xef\xbf\xbd");
          break;
        case MD_TEXT_ENTITY:
          append_entity (r->cell, text, size);
          break;
        default:
          g_string_append_len (r->cell, text, size);
          break;
        }
      return 0;
    }

  /* Text after a list item's marker: a nested block starts a new line. */
  r->line_open = FALSE;

  switch (type)
    {
    case MD_TEXT_NULLCHAR:
      emit_str (r, "\xef\xbf\xbd");
      break;
    case MD_TEXT_BR:
    case MD_TEXT_SOFTBR:
      emit_str (r, "\n");
      break;
    case MD_TEXT_ENTITY:
      {
        g_autoptr(GString) decoded = g_string_new (NULL);

        append_entity (decoded, text, size);
        emit (r, decoded->str, decoded->len);
      }
      break;
    default:
      emit (r, text, size);
      break;
    }
  return 0;
}

static void
open_span_clear (gpointer data)
{
  OpenSpan *span = data;

  g_free (span->url);
}

/**
 * byok_markdown_render_append:
 * @markdown: Markdown text (UTF-8)
 * @length: its length in bytes
 * @after_content: whether anything comes before it in the document (it
 *   then starts with a newline and a gap line)
 *
 * Renders @markdown as a document of its own and appends it to @render.
 */
void
byok_markdown_render_append (ByokMarkdownRender *render,
                             const char         *markdown,
                             gsize               length,
                             gboolean            after_content)
{
  Renderer r = { 0 };
  MD_PARSER parser = {
    .abi_version = 0,
    .flags = PARSER_FLAGS,
    .enter_block = enter_block,
    .leave_block = leave_block,
    .enter_span = enter_span,
    .leave_span = leave_span,
    .text = text_cb,
  };

  g_return_if_fail (render != NULL);

  r.out = render;
  r.has_content = after_content || render->n_chars > 0;
  r.boxes = g_array_new (FALSE, FALSE, sizeof (Box));
  r.open_spans = g_array_new (FALSE, FALSE, sizeof (OpenSpan));
  g_array_set_clear_func (r.open_spans, open_span_clear);
  r.code = g_string_new (NULL);
  r.rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  r.aligns = g_array_new (FALSE, FALSE, sizeof (MD_ALIGN));

  if (md_parse (markdown, (MD_SIZE) length, &parser, &r) != 0)
    g_warning ("md4c could not parse %" G_GSIZE_FORMAT " bytes", length);

  g_array_unref (r.boxes);
  g_array_unref (r.open_spans);
  g_string_free (r.code, TRUE);
  g_free (r.code_language);
  g_ptr_array_unref (r.rows);
  g_array_unref (r.aligns);
}

/* ---- splitter ------------------------------------------------------------ */

void
byok_markdown_splitter_init (ByokMarkdownSplitter *splitter)
{
  memset (splitter, 0, sizeof *splitter);
}

static gboolean
is_list_marker (const char *p,
                const char *end)
{
  const char *q = p;

  if (p < end && (*p == '-' || *p == '+' || *p == '*'))
    return p + 1 == end || p[1] == ' ' || p[1] == '\t' || p[1] == '\r';

  while (q < end && q - p < 9 && g_ascii_isdigit (*q))
    q++;
  if (q == p || q == end || (*q != '.' && *q != ')'))
    return FALSE;
  q++;
  return q == end || *q == ' ' || *q == '\t' || *q == '\r';
}

/* "[label]: destination", possibly inside quotes or list items. */
static gboolean
is_definition (const char *p,
               const char *end)
{
  while (p < end && strchr (" \t>-+*0123456789.)", *p) != NULL)
    p++;
  return p < end && *p == '[' && find_bytes (p, end - p, "]:", 2) != NULL;
}

static void
add_split (ByokMarkdownSplitter *splitter,
           GArray               *splits,
           gsize                 offset)
{
  /* Offset 0 starts the document anyway. */
  if (offset > 0 && !splitter->saw_definition)
    g_array_append_val (splits, offset);
}

static void
scan_line (ByokMarkdownSplitter *splitter,
           const char           *line,
           const char           *end,
           gsize                 line_offset,
           GArray               *splits)
{
  const char *p = line;
  gsize column = 0;
  gboolean blank;

  while (p < end && (*p == ' ' || *p == '\t'))
    {
      column = *p == '\t' ? column + 4 - column % 4 : column + 1;
      p++;
    }
  blank = p == end || (p + 1 == end && *p == '\r');

  if (splitter->fence_char != 0)
    {
      const char *q = p;

      while (q < end && *q == splitter->fence_char)
        q++;
      if (column <= 3 && (gsize) (q - p) >= splitter->fence_length)
        {
          while (q < end && g_ascii_isspace (*q))
            q++;
          if (q == end)
            {
              splitter->fence_char = 0;
              /* Only a top-level fence ends everything before the next line. */
              splitter->after_fence = splitter->fence_column == 0;
            }
        }
      splitter->prev_blank = FALSE;
      return;
    }

  if (blank)
    {
      splitter->prev_blank = TRUE;
      return;
    }

  if (is_definition (p, end))
    splitter->saw_definition = TRUE;

  if (column <= 3 && (*p == '`' || *p == '~'))
    {
      const char *q = p;

      while (q < end && *q == *p)
        q++;
      /* A backtick fence's info string has no backtick. */
      if (q - p >= 3 && (*p == '~' || memchr (q, '`', end - q) == NULL))
        {
          splitter->fence_char = *p;
          splitter->fence_length = q - p;
          splitter->fence_column = column;
          splitter->fence_start = line_offset;
          splitter->fence_content = line_offset + (end - line) + 1;
        }
    }

  /* A fence at column 0 interrupts whatever came before, and the line
   * after a top-level fence starts a block of its own. */
  if (splitter->after_fence ||
      (splitter->fence_char != 0 && splitter->fence_start == line_offset && column == 0) ||
      (splitter->prev_blank && column == 0 && !is_list_marker (p, end)))
    add_split (splitter, splits, line_offset);

  splitter->after_fence = FALSE;
  splitter->prev_blank = FALSE;
}

/**
 * byok_markdown_splitter_scan:
 * @text: the whole document so far
 * @length: its length
 * @splits: (element-type gsize): where to append the byte offsets of new
 *   split points
 *
 * Looks at the complete lines of @text not seen yet and appends to
 * @splits the offsets where a top-level block surely starts. Once
 * saw_definition is set (a link reference definition, which applies to
 * the whole document), no split is valid any more, earlier ones included.
 */
void
byok_markdown_splitter_scan (ByokMarkdownSplitter *splitter,
                             const char           *text,
                             gsize                 length,
                             GArray               *splits)
{
  gsize pos = splitter->scanned;

  while (pos < length)
    {
      const char *eol = memchr (text + pos, '\n', length - pos);

      if (eol == NULL)
        break;
      scan_line (splitter, text + pos, eol, pos, splits);
      pos = eol + 1 - text;
    }
  splitter->scanned = pos;
}

/**
 * byok_markdown_render_open_fence:
 * @markdown: a code fence at column 0 that is not closed: its opening
 *   line, then its content up to the end of the document
 * @length: its length
 * @content_offset: where the content starts (after the opening line)
 * @after_content: as for byok_markdown_render_append()
 *
 * Appends to @render what byok_markdown_render_append() would for
 * @markdown, without parsing the content: only the opening line goes
 * through md4c.
 */
void
byok_markdown_render_open_fence (ByokMarkdownRender *render,
                                 const char         *markdown,
                                 gsize               length,
                                 gsize               content_offset,
                                 gboolean            after_content)
{
  ByokMarkdownCodeBlock *block;
  const char *content = markdown + content_offset;
  gsize content_length = length - content_offset;
  guint n_blocks = render->code_blocks->len;
  GString *code;

  g_return_if_fail (content_offset <= length);

  byok_markdown_render_append (render, markdown, content_offset, after_content);
  g_return_if_fail (render->code_blocks->len == n_blocks + 1);
  block = &g_array_index (render->code_blocks, ByokMarkdownCodeBlock, n_blocks);

  /* As md4c gives it: lines end in "\n" (not "\r\n" or "\r"), and
   * leading tabs become spaces to the next multiple of 4 columns. */
  code = g_string_sized_new (content_length + 1);
  if (memchr (content, '\r', content_length) == NULL &&
      memchr (content, '\t', content_length) == NULL)
    g_string_append_len (code, content, content_length);
  else
    {
      gsize i = 0;

      while (i < content_length)
        {
          gsize column = 0;

          /* Leading whitespace, as columns. */
          for (; i < content_length && (content[i] == ' ' || content[i] == '\t'); i++)
            column = content[i] == '\t' ? (column + 4) & ~(gsize) 3 : column + 1;
          for (gsize c = 0; c < column; c++)
            g_string_append_c (code, ' ');

          /* The rest of the line. */
          for (; i < content_length && content[i] != '\n' && content[i] != '\r'; i++)
            g_string_append_c (code, content[i]);
          if (i < content_length)
            {
              g_string_append_c (code, '\n');
              if (content[i] == '\r' && i + 1 < content_length && content[i + 1] == '\n')
                i++;
              i++;
            }
        }
    }
  if (code->len > 0 && code->str[code->len - 1] == '\n')
    g_string_truncate (code, code->len - 1);
  g_free (block->code);
  block->code = g_string_free (code, FALSE);
}
