/* byok-markdown-view-private.h — what the Markdown view's files share
 *
 * byok-markdown-view.c renders Markdown into the view's buffer, streams,
 * follows links and sizes the view; byok-markdown-view-code.c makes the
 * widgets of its fenced code blocks.
 */
#pragma once

#include <gtksourceview/gtksource.h>

#include "byok-markdown.h"
#include "byok-markdown-view.h"

G_BEGIN_DECLS

/* A code block in the buffer. */
typedef struct {
  GtkTextChildAnchor *anchor;
  GtkWidget          *frame;
  GtkSourceBuffer    *buffer;
  char               *language;
  GtkWidget          *copy_button;
  guint               copied_id;     /* "Copied" shows until it fires */
} ByokCodeBlockWidget;

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

  GPtrArray            *code_blocks;        /* of ByokCodeBlockWidget*, in buffer order */
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

void                  _byok_markdown_code_block_free        (gpointer                     data);
GtkSourceStyleScheme *_byok_markdown_view_get_scheme        (gboolean                     dark);
ByokCodeBlockWidget  *_byok_markdown_view_insert_code_block (ByokMarkdownView            *self,
                                                             GtkTextIter                 *iter,
                                                             const ByokMarkdownCodeBlock *source);
void                  _byok_markdown_view_update_code_width (ByokMarkdownView            *self,
                                                             ByokCodeBlockWidget         *block,
                                                             int                          view_width);

G_END_DECLS
