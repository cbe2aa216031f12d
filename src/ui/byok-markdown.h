/* byok-markdown.h — Markdown through md4c into text, tag spans and code blocks
 *
 * byok_markdown_render_append() parses Markdown (GitHub dialect: tables,
 * strikethrough, task lists, bare URL autolinks; raw HTML is shown as
 * text) and appends what a reader sees to a ByokMarkdownRender: plain
 * UTF-8 text, the spans of named tags over it, and one U+FFFC character
 * for each code block, whose language and code are listed beside. No
 * widgets: ByokMarkdownView turns a render into a GtkTextBuffer.
 *
 * Layout of the text: blocks are separated by a newline; top-level blocks
 * by an extra, empty "gap" line. List items start with "• " (nested:
 * "◦ ", "▪ ") or "N. ", task items add "☐ "/"☑ ". Tables are aligned
 * monospace text, columns separated by " │ ", the header underlined with
 * "─┼─". A thematic break is "———". Soft line breaks are kept as newlines
 * (chat answers mean them).
 *
 * Tag names (ByokMarkdownSpan.tag): "h1"…"h6", "strong", "emphasis",
 * "strikethrough", "code" (inline), "quote" (the text of block quotes),
 * "indent-N" (N ≥ 1: lines inside N levels of lists and quotes), "table",
 * "table-header", "rule", "gap". Links have tag NULL and their URL; only
 * http, https and mailto links are links (byok_markdown_url_is_openable()),
 * the text of any other is plain.
 *
 * Streaming: ByokMarkdownSplitter finds where a top-level block starts
 * for sure (a line at column 0 after a blank line, outside a code fence,
 * not a list item; a fence opening at column 0; the line after a closing
 * fence), so a document can be rendered as independent pieces and only
 * its last piece rendered again when text is appended. A last piece that
 * is a code fence still open is rendered without parsing its content
 * (byok_markdown_render_open_fence()), so a long code block streams in
 * linear time too.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BYOK_MARKDOWN_ANCHOR_CHAR 0xFFFC

typedef struct {
  const char *tag;         /* static name; NULL for a link */
  char       *url;         /* links only */
  int         start;       /* in characters of ByokMarkdownRender.text */
  int         end;
} ByokMarkdownSpan;

typedef struct {
  int   offset;            /* character offset of its U+FFFC */
  char *language;          /* the first word of the info string, or NULL */
  char *code;              /* without the final newline */
} ByokMarkdownCodeBlock;

typedef struct {
  GString *text;           /* UTF-8; U+FFFC only for code blocks */
  int      n_chars;
  GArray  *spans;          /* of ByokMarkdownSpan, in the order they close */
  GArray  *code_blocks;    /* of ByokMarkdownCodeBlock, in order */
} ByokMarkdownRender;

ByokMarkdownRender *byok_markdown_render_new         (void);
void                byok_markdown_render_free        (ByokMarkdownRender       *render);
void                byok_markdown_render_append      (ByokMarkdownRender       *render,
                                                      const char               *markdown,
                                                      gsize                     length,
                                                      gboolean                  after_content);
ByokMarkdownRender *byok_markdown_render_copy_tail   (const ByokMarkdownRender *render,
                                                      gsize                     byte_offset,
                                                      int                       char_offset,
                                                      guint                     first_span,
                                                      guint                     first_code_block);
gboolean            byok_markdown_url_is_openable    (const char               *url);
gboolean            byok_markdown_span_equal         (const ByokMarkdownSpan   *a,
                                                      const ByokMarkdownSpan   *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokMarkdownRender, byok_markdown_render_free)

typedef struct {
  gsize    scanned;        /* bytes of complete lines looked at */
  gboolean prev_blank;
  gboolean after_fence;    /* a top-level fence just closed */
  char     fence_char;     /* '`' or '~' inside a top-level fence, else 0 */
  gsize    fence_length;
  gsize    fence_column;
  gsize    fence_start;    /* the opening line of the open fence */
  gsize    fence_content;  /* the line after it */
  gboolean saw_definition; /* a link reference definition: never split */
} ByokMarkdownSplitter;

void     byok_markdown_splitter_init (ByokMarkdownSplitter *splitter);
void     byok_markdown_splitter_scan (ByokMarkdownSplitter *splitter,
                                      const char           *text,
                                      gsize                 length,
                                      GArray               *splits);

void     byok_markdown_render_open_fence (ByokMarkdownRender *render,
                                          const char         *markdown,
                                          gsize               length,
                                          gsize               content_offset,
                                          gboolean            after_content);

G_END_DECLS
