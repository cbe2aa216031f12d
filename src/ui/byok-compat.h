/* byok-compat.h — one place for the GNOME versions Byok runs on
 *
 * Byok builds on GTK 4.8 / libadwaita 1.2 (Debian 12) and on today's GNOME
 * (Debian 13 and testing, the Flatpak runtime). Where a newer API replaced
 * one that 1.2 has, the rest of the UI calls the functions here and gets the
 * newer one when it is there:
 *
 *   alerts        AdwAlertDialog (libadwaita 1.5)   else AdwMessageDialog
 *   preferences   AdwPreferencesDialog (1.5)        else AdwPreferencesWindow
 *   about         AdwAboutDialog (1.5)              else AdwAboutWindow
 *   files         GtkFileDialog (GTK 4.10)          else GtkFileChooserNative
 *   page switcher AdwViewSwitcher + AdwBreakpoint (1.4) else AdwViewSwitcherTitle
 *   split view    ByokSplitView (byok-split-view.c) over AdwNavigationSplitView
 *                 (1.4) else AdwLeaflet
 *
 * No other file tests a GTK or libadwaita version.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#if ADW_CHECK_VERSION (1, 5, 0)
# define BYOK_HAVE_ADW_DIALOG 1
typedef AdwAlertDialog             ByokAlertParent;
typedef AdwAlertDialogClass        ByokAlertParentClass;
typedef AdwPreferencesDialog       ByokPreferencesParent;
typedef AdwPreferencesDialogClass  ByokPreferencesParentClass;
# define BYOK_TYPE_ALERT_PARENT        ADW_TYPE_ALERT_DIALOG
# define BYOK_TYPE_PREFERENCES_PARENT  ADW_TYPE_PREFERENCES_DIALOG
#else
typedef AdwMessageDialog           ByokAlertParent;
typedef AdwMessageDialogClass      ByokAlertParentClass;
typedef AdwPreferencesWindow       ByokPreferencesParent;
typedef AdwPreferencesWindowClass  ByokPreferencesParentClass;
# define BYOK_TYPE_ALERT_PARENT        ADW_TYPE_MESSAGE_DIALOG
# define BYOK_TYPE_PREFERENCES_PARENT  ADW_TYPE_PREFERENCES_WINDOW
#endif

#if ADW_CHECK_VERSION (1, 4, 0)
# define BYOK_HAVE_ADW_BREAKPOINTS 1
#endif

/* For G_DECLARE_FINAL_TYPE on a class whose parent is one of the above. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokAlertParent, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokPreferencesParent, g_object_unref)

/* Alerts ------------------------------------------------------------------
 * A heading, a body (plain text, never markup) and responses. The
 * "response" signal is the same on both: (alert, const char *response). */

GtkWidget            *byok_alert_new                     (const char            *heading,
                                                          const char            *body);
void                  byok_alert_add_response            (GtkWidget             *alert,
                                                          const char            *id,
                                                          const char            *label);
void                  byok_alert_set_response_appearance (GtkWidget             *alert,
                                                          const char            *id,
                                                          AdwResponseAppearance  appearance);
void                  byok_alert_set_response_label      (GtkWidget             *alert,
                                                          const char            *id,
                                                          const char            *label);
AdwResponseAppearance byok_alert_get_response_appearance (GtkWidget             *alert,
                                                          const char            *id);
void                  byok_alert_set_response_enabled    (GtkWidget             *alert,
                                                          const char            *id,
                                                          gboolean               enabled);
gboolean              byok_alert_get_response_enabled    (GtkWidget             *alert,
                                                          const char            *id);
void                  byok_alert_set_default_response    (GtkWidget             *alert,
                                                          const char            *id);
void                  byok_alert_set_close_response      (GtkWidget             *alert,
                                                          const char            *id);
void                  byok_alert_set_extra_child         (GtkWidget             *alert,
                                                          GtkWidget             *child);
GtkWidget            *byok_alert_get_extra_child         (GtkWidget             *alert);
const char           *byok_alert_get_heading             (GtkWidget             *alert);
const char           *byok_alert_get_body                (GtkWidget             *alert);
void                  byok_alert_set_body                (GtkWidget             *alert,
                                                          const char            *body);
/* As @id's button would: the alert closes, then emits "response" with @id
 * once (never its close response too). */
void                  byok_alert_response                (GtkWidget             *alert,
                                                          const char            *id);
void                  byok_alert_present                 (GtkWidget             *alert,
                                                          GtkWidget             *parent);

/* The question before something that cannot be undone: "Cancel" and a
 * destructive @confirm_label answering @confirm_id; Cancel is the default
 * and what Escape gives. */
GtkWidget            *byok_alert_new_confirm             (const char            *heading,
                                                          const char            *body,
                                                          const char            *confirm_id,
                                                          const char            *confirm_label);

/* Preferences ------------------------------------------------------------- */

void                  byok_preferences_present           (GtkWidget             *preferences,
                                                          GtkWidget             *parent,
                                                          int                    width,
                                                          int                    height);
void                  byok_preferences_add_toast         (GtkWidget             *preferences,
                                                          AdwToast              *toast);
void                  byok_preferences_add_page          (GtkWidget             *preferences,
                                                          AdwPreferencesPage    *page);

/* Rows ---------------------------------------------------------------------
 * A widget at the end of an expander row's header (add_suffix from
 * libadwaita 1.4, add_action before). */
void                  byok_expander_row_add_suffix       (AdwExpanderRow        *row,
                                                          GtkWidget             *widget);

/* Closes an alert, the preferences or the about dialog, whichever kind. */
void                  byok_dialog_close                  (GtkWidget             *dialog);

/* About: the properties AdwAboutDialog and AdwAboutWindow share. */
void                  byok_show_about                    (GtkWidget             *parent,
                                                          const char            *first_property_name,
                                                          ...) G_GNUC_NULL_TERMINATED;

/* Files -------------------------------------------------------------------
 * @filters is a GListModel of GtkFileFilter (may be NULL). Dismissing the
 * dialog finishes with G_IO_ERROR_CANCELLED. */

void                  byok_file_open_async               (GtkWidget             *parent,
                                                          const char            *title,
                                                          const char            *accept_label,
                                                          GListModel            *filters,
                                                          gboolean               multiple,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
GListModel           *byok_file_open_finish              (GAsyncResult          *result,
                                                          GError               **error);
void                  byok_file_save_async               (GtkWidget             *parent,
                                                          const char            *title,
                                                          const char            *accept_label,
                                                          const char            *initial_name,
                                                          GListModel            *filters,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
GFile                *byok_file_save_finish              (GAsyncResult          *result,
                                                          GError               **error);

/* The page switcher: wide in the header bar, at the bottom of a narrow
 * window. @bar is revealed when the header has no room for the switcher. */
void                  byok_window_set_up_view_switcher   (AdwApplicationWindow  *window,
                                                          AdwHeaderBar          *header_bar,
                                                          AdwViewStack          *stack,
                                                          AdwViewSwitcherBar    *bar,
                                                          const char            *title);

G_END_DECLS
