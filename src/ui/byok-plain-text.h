/* byok-plain-text.h — outside text in widgets that read Pango markup
 *
 * Text from servers and from people (error messages, key names,
 * conversation titles, model and file names) is shown as it is written,
 * never read as markup: a "<a href=…>" in it is no link, an "&" does not
 * blank a label. Rows turn markup off ("use-markup" False, in every .ui
 * and wherever a row is made in C); a toast has no such switch before
 * libadwaita 1.4, so its title is escaped here.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

AdwToast *byok_toast_new_plain (const char *text);
gboolean  byok_toast_show      (GtkWidget  *widget,
                                AdwToast   *toast);

G_END_DECLS
