/* byok-markdown-pane.h — Markdown of any length, as a column of views
 *
 * A GtkTextView lays out and draws all of its text whenever any of it
 * changes: an answer of 100,000 tokens streaming into one view would be
 * drawn whole every frame, slower and slower. ByokMarkdownPane shows the
 * same Markdown as a column of ByokMarkdownViews, each holding whole
 * top-level blocks of about BYOK_MARKDOWN_PANE_SEGMENT bytes: text
 * arriving at the end changes only the last view, and the others keep
 * what GTK already drew. A text of less than a segment is one view, so
 * the usual answer can be selected from its first to its last word;
 * selection does not cross from one view of a long answer to the next.
 *
 * The API is the view's: set_text() with a text that extends the current
 * one appends (see byok-markdown-view.h).
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Bytes of settled Markdown after which a view is closed and the next
 * block starts a new one. */
#define BYOK_MARKDOWN_PANE_SEGMENT 16384

#define BYOK_TYPE_MARKDOWN_PANE (byok_markdown_pane_get_type ())
G_DECLARE_FINAL_TYPE (ByokMarkdownPane, byok_markdown_pane, BYOK, MARKDOWN_PANE, GtkWidget)

GtkWidget  *byok_markdown_pane_new         (void);

const char *byok_markdown_pane_get_text    (ByokMarkdownPane *self);
void        byok_markdown_pane_set_text    (ByokMarkdownPane *self,
                                            const char       *text);
void        byok_markdown_pane_append      (ByokMarkdownPane *self,
                                            const char       *delta);
guint       byok_markdown_pane_get_n_views (ByokMarkdownPane *self);

G_END_DECLS
