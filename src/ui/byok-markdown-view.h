/* byok-markdown-view.h — a read-only text view that shows Markdown
 *
 * Renders with md4c (see byok-markdown.h for the layout and tag names)
 * into its GtkTextBuffer: headings, emphasis, lists, quotes, links (click
 * to open), tables as aligned monospace text, inline code, and fenced
 * code blocks as GtkSourceView widgets (highlighted for the fence's
 * language, a copy button on top) at child anchors. Text can be selected
 * and copied; it cannot be edited. Code follows the light or dark style.
 *
 * Streaming: byok_markdown_view_append() adds text and renders again only
 * from the start of the last top-level block, and changes the buffer only
 * from the first character that differs, so an answer of any length
 * streams in about linear time. A code block whose closing fence has not
 * arrived yet shows as a code block. byok_markdown_view_set_text() with a
 * text that extends the current one is an append, so binding a message's
 * "content" to "text" works too (at the cost of comparing the prefix).
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define BYOK_TYPE_MARKDOWN_VIEW (byok_markdown_view_get_type ())
G_DECLARE_FINAL_TYPE (ByokMarkdownView, byok_markdown_view, BYOK, MARKDOWN_VIEW, GtkTextView)

GtkWidget  *byok_markdown_view_new         (void);

const char *byok_markdown_view_get_text    (ByokMarkdownView  *self);
void        byok_markdown_view_set_text    (ByokMarkdownView  *self,
                                            const char        *text);
void        byok_markdown_view_append      (ByokMarkdownView  *self,
                                            const char        *delta);

const char *byok_markdown_view_get_url_at  (ByokMarkdownView  *self,
                                            const GtkTextIter *iter);

void        byok_markdown_view_preload_languages  (GtkWidget        *widget);
guint       byok_markdown_view_get_n_preloaded    (guint            *n_total);

gsize       byok_markdown_view_get_settled_length (ByokMarkdownView *self);
char       *byok_markdown_view_take_unsettled     (ByokMarkdownView *self);

G_END_DECLS
