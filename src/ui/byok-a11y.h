/* byok-a11y.h — names a screen reader reads where GTK or libadwaita give none
 *
 * Byok names its own widgets in their templates. These helpers cover what
 * the toolkit builds around them: the row of a list a person moves through
 * (GtkListView, GtkColumnView, GtkFlowBox), the lists and scrolled windows
 * libadwaita puts inside its rows and pages, and the icon buttons of an
 * entry row. Unnamed, GTK 4.8 reads such a widget as its class name
 * ("GtkListItemWidget", "GtkImage"); later versions read nothing.
 * tests/test-accessibility reads the result over AT-SPI.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void byok_a11y_label_parent_by_child   (GtkWidget      *child);
void byok_a11y_set_row_label           (GtkWidget      *cell_child,
                                        const char     *label);
void byok_a11y_set_cell_label          (GtkWidget      *cell_child,
                                        const char     *label);
void byok_a11y_label_descendants       (GtkWidget      *root,
                                        GType           type,
                                        const char     *label);
void byok_a11y_name_column_view        (GtkColumnView  *view,
                                        const char     *label);
void byok_a11y_name_scrollers          (GtkWidget      *root,
                                        const char     *label);
void byok_a11y_name_status_pages       (GtkWidget      *root);
void byok_a11y_fix_mnemonic_buttons    (GtkWidget      *root);
void byok_a11y_name_shortcuts_window   (GtkWidget      *window);
void byok_a11y_follow_expander_row     (AdwExpanderRow *row);
void byok_a11y_set_up_entry_row        (AdwEntryRow    *row);
void byok_a11y_name_groups             (GtkWidget      *root);
void byok_a11y_set_up_combo_row        (AdwComboRow    *row);

G_END_DECLS
