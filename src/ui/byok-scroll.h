/* byok-scroll.h — the wheel over a scrolled part of a scrolled page
 *
 * A GtkScrolledWindow keeps every wheel event over it, even one it cannot
 * use: a code block that scrolls only sideways, a table that fits or is
 * already at its end. These helpers hand such vertical scrolling to the
 * scrolled window around it, so the page moves under the pointer.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

gboolean byok_scroll_outer                (GtkEventControllerScroll *controller,
                                           GtkWidget                *inner,
                                           double                    dy);
void     byok_scroll_chain_to_outer       (GtkScrolledWindow        *inner);

G_END_DECLS
