/* byok-compat.c — one place for the GNOME versions Byok runs on
 *
 * See byok-compat.h for what is chosen where. Every #if on a GTK or
 * libadwaita version in Byok is in this file, byok-compat.h or
 * byok-split-view.c.
 */
#define G_LOG_DOMAIN "byok-ui"

#include "config.h"

#include "byok-compat.h"

#include "byok-a11y.h"

#ifndef BYOK_HAVE_ADW_DIALOG
/* A dialog window over @parent's window, modal. */
static void
present_window (GtkWidget *window,
                GtkWidget *parent)
{
  GtkRoot *root = parent != NULL ? gtk_widget_get_root (parent) : NULL;

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_present (GTK_WINDOW (window));
}
#endif

/* ---- alerts -------------------------------------------------------------- */

/* ALERT_CALL (set_body): adw_alert_dialog_set_body, or adw_message_dialog_set_body
 * before libadwaita 1.5; the two have the same calls. */
#ifdef BYOK_HAVE_ADW_DIALOG
# define ALERT(w) ADW_ALERT_DIALOG (w)
# define ALERT_CALL(name) adw_alert_dialog_##name
#else
# define ALERT(w) ADW_MESSAGE_DIALOG (w)
# define ALERT_CALL(name) adw_message_dialog_##name
#endif

GtkWidget *
byok_alert_new (const char *heading,
                const char *body)
{
#ifdef BYOK_HAVE_ADW_DIALOG
  return GTK_WIDGET (adw_alert_dialog_new (heading, body));
#else
  GtkWidget *alert = adw_message_dialog_new (NULL, heading, body);

  gtk_window_set_modal (GTK_WINDOW (alert), TRUE);
  return alert;
#endif
}

void
byok_alert_add_response (GtkWidget  *alert,
                         const char *id,
                         const char *label)
{
  ALERT_CALL (add_response) (ALERT (alert), id, label);
}

void
byok_alert_set_response_appearance (GtkWidget             *alert,
                                    const char            *id,
                                    AdwResponseAppearance  appearance)
{
  ALERT_CALL (set_response_appearance) (ALERT (alert), id, appearance);
}

void
byok_alert_set_response_label (GtkWidget  *alert,
                               const char *id,
                               const char *label)
{
#ifdef BYOK_HAVE_ADW_DIALOG
  adw_alert_dialog_set_response_label (ALERT (alert), id, label);
#else
  adw_message_dialog_set_response_label (ALERT (alert), id, label);
#endif
}

AdwResponseAppearance
byok_alert_get_response_appearance (GtkWidget  *alert,
                                    const char *id)
{
  return ALERT_CALL (get_response_appearance) (ALERT (alert), id);
}

void
byok_alert_set_response_enabled (GtkWidget  *alert,
                                 const char *id,
                                 gboolean    enabled)
{
  ALERT_CALL (set_response_enabled) (ALERT (alert), id, enabled);
}

gboolean
byok_alert_get_response_enabled (GtkWidget  *alert,
                                 const char *id)
{
  return ALERT_CALL (get_response_enabled) (ALERT (alert), id);
}

void
byok_alert_set_default_response (GtkWidget  *alert,
                                 const char *id)
{
  ALERT_CALL (set_default_response) (ALERT (alert), id);
}

void
byok_alert_set_close_response (GtkWidget  *alert,
                               const char *id)
{
  ALERT_CALL (set_close_response) (ALERT (alert), id);
}

void
byok_alert_set_extra_child (GtkWidget *alert,
                            GtkWidget *child)
{
  ALERT_CALL (set_extra_child) (ALERT (alert), child);
}

GtkWidget *
byok_alert_get_extra_child (GtkWidget *alert)
{
  return ALERT_CALL (get_extra_child) (ALERT (alert));
}

const char *
byok_alert_get_heading (GtkWidget *alert)
{
  return ALERT_CALL (get_heading) (ALERT (alert));
}

const char *
byok_alert_get_body (GtkWidget *alert)
{
  return ALERT_CALL (get_body) (ALERT (alert));
}

void
byok_alert_set_body (GtkWidget  *alert,
                     const char *body)
{
  ALERT_CALL (set_body) (ALERT (alert), body);
}

static void
answered_cb (GtkWidget  *alert,
             const char *response,
             gboolean   *answered)
{
  *answered = TRUE;
}

/* Answers @alert with @id as its button would: the alert closes, then says
 * @id, once. Neither kind has a call for that: adw_message_dialog_response()
 * (1.2) answers but leaves the dialog up, and closing either kind answers
 * with its close response, a second answer. So for this once the close
 * response is @id, and closing gives the one answer. */
void
byok_alert_response (GtkWidget  *alert,
                     const char *id)
{
  g_autofree char *close_response = g_strdup (ALERT_CALL (get_close_response) (ALERT (alert)));
  gboolean answered = FALSE;
  gulong handler;

  g_return_if_fail (id != NULL);

  g_object_ref (alert);
  handler = g_signal_connect (alert, "response", G_CALLBACK (answered_cb), &answered);
  ALERT_CALL (set_close_response) (ALERT (alert), id);
#ifdef BYOK_HAVE_ADW_DIALOG
  if (gtk_widget_get_parent (alert) != NULL)
    adw_dialog_close (ADW_DIALOG (alert));
#else
  gtk_window_close (GTK_WINDOW (alert));
#endif
  ALERT_CALL (set_close_response) (ALERT (alert), close_response);
  g_signal_handler_disconnect (alert, handler);
  /* Not shown, or it may not close now: answered all the same, as its
   * button would. */
  if (!answered)
    {
      g_autofree char *detailed = g_strconcat ("response::", id, NULL);

      g_signal_emit_by_name (alert, detailed, id);
    }
  g_object_unref (alert);
}

void
byok_alert_present (GtkWidget *alert,
                    GtkWidget *parent)
{
  /* Its response buttons read "Cancel", not "_Cancel Cancel"; the
   * scrolled window around its text leaves the focus to the buttons. */
  byok_a11y_fix_mnemonic_buttons (alert);
  byok_a11y_name_scrollers (alert, byok_alert_get_heading (alert));
#ifdef BYOK_HAVE_ADW_DIALOG
  adw_dialog_present (ADW_DIALOG (alert), parent);
#else
  present_window (alert, parent);
#endif
}

/* Closes an alert, the preferences or the about dialog, whichever kind. */
void
byok_dialog_close (GtkWidget *dialog)
{
#ifdef BYOK_HAVE_ADW_DIALOG
  if (ADW_IS_DIALOG (dialog))
    {
      adw_dialog_force_close (ADW_DIALOG (dialog));
      return;
    }
#endif
  gtk_window_destroy (GTK_WINDOW (dialog));
}

GtkWidget *
byok_alert_new_confirm (const char *heading,
                        const char *body,
                        const char *confirm_id,
                        const char *confirm_label)
{
  GtkWidget *alert = byok_alert_new (heading, body);

  /* Translators: the button that keeps things as they are in a question */
  byok_alert_add_response (alert, "cancel", g_dgettext (GETTEXT_PACKAGE, "_Cancel"));
  byok_alert_add_response (alert, confirm_id, confirm_label);
  byok_alert_set_response_appearance (alert, confirm_id, ADW_RESPONSE_DESTRUCTIVE);
  byok_alert_set_default_response (alert, "cancel");
  byok_alert_set_close_response (alert, "cancel");
  return alert;
}

/* ---- preferences --------------------------------------------------------- */

void
byok_preferences_present (GtkWidget *preferences,
                          GtkWidget *parent,
                          int        width,
                          int        height)
{
#ifdef BYOK_HAVE_ADW_DIALOG
  adw_dialog_set_content_width (ADW_DIALOG (preferences), width);
  adw_dialog_set_content_height (ADW_DIALOG (preferences), height);
  adw_dialog_present (ADW_DIALOG (preferences), parent);
  /* The dialog's navigation view has actions of its own: a name too. */
  byok_a11y_label_descendants (preferences, ADW_TYPE_NAVIGATION_VIEW,
                               adw_dialog_get_title (ADW_DIALOG (preferences)));
#else
  gtk_window_set_default_size (GTK_WINDOW (preferences), width, height);
  present_window (preferences, parent);
#endif
}

void
byok_preferences_add_toast (GtkWidget *preferences,
                            AdwToast  *toast)
{
#ifdef BYOK_HAVE_ADW_DIALOG
  adw_preferences_dialog_add_toast (ADW_PREFERENCES_DIALOG (preferences), toast);
#else
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (preferences), toast);
#endif
}

void
byok_preferences_add_page (GtkWidget          *preferences,
                           AdwPreferencesPage *page)
{
#ifdef BYOK_HAVE_ADW_DIALOG
  adw_preferences_dialog_add (ADW_PREFERENCES_DIALOG (preferences), page);
#else
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (preferences), page);
#endif
}

/* ---- rows ---------------------------------------------------------------- */

void
byok_expander_row_add_suffix (AdwExpanderRow *row,
                              GtkWidget      *widget)
{
#ifdef BYOK_HAVE_ADW_BREAKPOINTS
  adw_expander_row_add_suffix (row, widget);
#else
  adw_expander_row_add_action (row, widget);
#endif
}

/* ---- about --------------------------------------------------------------- */

void
byok_show_about (GtkWidget  *parent,
                 const char *first_property_name,
                 ...)
{
  GtkWidget *about;
  va_list args;

  va_start (args, first_property_name);
#ifdef BYOK_HAVE_ADW_DIALOG
  about = GTK_WIDGET (g_object_new_valist (ADW_TYPE_ABOUT_DIALOG, first_property_name, args));
#else
  about = GTK_WIDGET (g_object_new_valist (ADW_TYPE_ABOUT_WINDOW, first_property_name, args));
#endif
  va_end (args);

#ifdef BYOK_HAVE_ADW_DIALOG
  adw_dialog_present (ADW_DIALOG (about), parent);
#else
  present_window (about, parent);
#endif
}

/* ---- files --------------------------------------------------------------- */

static GtkWindow *
parent_window (GtkWidget *parent)
{
  GtkRoot *root = parent != NULL ? gtk_widget_get_root (parent) : NULL;

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

#if GTK_CHECK_VERSION (4, 10, 0)

static GtkFileDialog *
file_dialog_new (const char *title,
                 const char *accept_label,
                 GListModel *filters)
{
  GtkFileDialog *dialog = gtk_file_dialog_new ();

  gtk_file_dialog_set_title (dialog, title);
  gtk_file_dialog_set_accept_label (dialog, accept_label);
  gtk_file_dialog_set_modal (dialog, TRUE);
  if (filters != NULL && g_list_model_get_n_items (filters) > 0)
    gtk_file_dialog_set_filters (dialog, filters);
  return dialog;
}

/* GTK says "dismissed" and "cancelled" in its own domain; Byok's callers
 * know one: G_IO_ERROR_CANCELLED. */
static void
return_file_error (GTask  *task,
                   GError *error)
{
  if (g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED) ||
      g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_CANCELLED))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", error->message);
      g_error_free (error);
    }
  else
    g_task_return_error (task, error);
}

static void
open_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GListModel *files;

  if (GPOINTER_TO_INT (g_task_get_task_data (task)))
    files = gtk_file_dialog_open_multiple_finish (GTK_FILE_DIALOG (source), result, &error);
  else
    {
      g_autoptr(GFile) file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (source), result, &error);
      GListStore *store = NULL;

      if (file != NULL)
        {
          store = g_list_store_new (G_TYPE_FILE);
          g_list_store_append (store, file);
        }
      files = store != NULL ? G_LIST_MODEL (store) : NULL;
    }

  if (files == NULL)
    return_file_error (task, error);
  else
    g_task_return_pointer (task, files, g_object_unref);
}

static void
save_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GFile *file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (source), result, &error);

  if (file == NULL)
    return_file_error (task, error);
  else
    g_task_return_pointer (task, file, g_object_unref);
}

#else  /* GTK 4.8: GtkFileChooserNative */

G_GNUC_BEGIN_IGNORE_DEPRECATIONS

static GtkFileChooserNative *
file_chooser_new (GtkWidget            *parent,
                  const char           *title,
                  const char           *accept_label,
                  GtkFileChooserAction  action,
                  GListModel           *filters)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (title, parent_window (parent), action,
                                                               accept_label, NULL);

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  for (guint i = 0; filters != NULL && i < g_list_model_get_n_items (filters); i++)
    {
      g_autoptr(GtkFileFilter) filter = g_list_model_get_item (filters, i);

      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    }
  return chooser;
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     gpointer         user_data)
{
  g_autoptr(GTask) task = user_data;

  if (response != GTK_RESPONSE_ACCEPT)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Dismissed by the user");
  else if (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)) == GTK_FILE_CHOOSER_ACTION_SAVE)
    g_task_return_pointer (task, gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser)), g_object_unref);
  else
    g_task_return_pointer (task, gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser)), g_object_unref);
  g_signal_handlers_disconnect_by_func (chooser, chooser_response_cb, user_data);
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
cancelled_cb (GCancellable    *cancellable,
              GtkNativeDialog *chooser)
{
  gtk_native_dialog_hide (chooser);
  g_signal_emit_by_name (chooser, "response", GTK_RESPONSE_CANCEL);
}

static void
show_chooser (GtkFileChooserNative *chooser,
              GTask                *task)
{
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), task);
  if (cancellable != NULL)
    g_signal_connect_object (cancellable, "cancelled", G_CALLBACK (cancelled_cb), chooser, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

G_GNUC_END_IGNORE_DEPRECATIONS

#endif

void
byok_file_open_async (GtkWidget           *parent,
                      const char          *title,
                      const char          *accept_label,
                      GListModel          *filters,
                      gboolean             multiple,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task = g_task_new (parent, cancellable, callback, user_data);

  g_task_set_source_tag (task, byok_file_open_async);
  g_task_set_task_data (task, GINT_TO_POINTER (multiple), NULL);
#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkFileDialog) dialog = file_dialog_new (title, accept_label, filters);

    if (multiple)
      gtk_file_dialog_open_multiple (dialog, parent_window (parent), cancellable, open_done_cb, task);
    else
      gtk_file_dialog_open (dialog, parent_window (parent), cancellable, open_done_cb, task);
  }
#else
  {
    GtkFileChooserNative *chooser = file_chooser_new (parent, title, accept_label,
                                                      GTK_FILE_CHOOSER_ACTION_OPEN, filters);

    G_GNUC_BEGIN_IGNORE_DEPRECATIONS
    gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), multiple);
    G_GNUC_END_IGNORE_DEPRECATIONS
    show_chooser (chooser, task);
  }
#endif
}

GListModel *
byok_file_open_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == byok_file_open_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
byok_file_save_async (GtkWidget           *parent,
                      const char          *title,
                      const char          *accept_label,
                      const char          *initial_name,
                      GListModel          *filters,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task = g_task_new (parent, cancellable, callback, user_data);

  g_task_set_source_tag (task, byok_file_save_async);
#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkFileDialog) dialog = file_dialog_new (title, accept_label, filters);

    gtk_file_dialog_set_initial_name (dialog, initial_name);
    gtk_file_dialog_save (dialog, parent_window (parent), cancellable, save_done_cb, task);
  }
#else
  {
    GtkFileChooserNative *chooser = file_chooser_new (parent, title, accept_label,
                                                      GTK_FILE_CHOOSER_ACTION_SAVE, filters);

    G_GNUC_BEGIN_IGNORE_DEPRECATIONS
    if (initial_name != NULL)
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), initial_name);
    G_GNUC_END_IGNORE_DEPRECATIONS
    show_chooser (chooser, task);
  }
#endif
}

GFile *
byok_file_save_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == byok_file_save_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the page switcher --------------------------------------------------- */

#ifndef BYOK_HAVE_ADW_BREAKPOINTS
/* The switcher title gives way to the title while the window is laid out
 * (its squeezer chooses during allocation): revealing the bottom bar then,
 * in the middle of the layout, would allocate it before it was measured
 * (GTK warns of a height of -1). The next main loop turn does it. */
static gboolean
reveal_bar_cb (gpointer data)
{
  AdwViewSwitcherTitle *switcher_title = data;
  AdwViewSwitcherBar *bar = g_object_get_data (G_OBJECT (switcher_title), "byok-switcher-bar");

  g_object_set_data (G_OBJECT (switcher_title), "byok-reveal-source", NULL);
  adw_view_switcher_bar_set_reveal (bar, adw_view_switcher_title_get_title_visible (switcher_title));
  return G_SOURCE_REMOVE;
}

static void
title_visible_cb (AdwViewSwitcherTitle *switcher_title)
{
  if (g_object_get_data (G_OBJECT (switcher_title), "byok-reveal-source") == NULL)
    {
      guint id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, reveal_bar_cb, g_object_ref (switcher_title),
                                  g_object_unref);

      g_object_set_data (G_OBJECT (switcher_title), "byok-reveal-source", GUINT_TO_POINTER (id));
    }
}
#endif

void
byok_window_set_up_view_switcher (AdwApplicationWindow *window,
                                  AdwHeaderBar         *header_bar,
                                  AdwViewStack         *stack,
                                  AdwViewSwitcherBar   *bar,
                                  const char           *title)
{
#ifdef BYOK_HAVE_ADW_BREAKPOINTS
  GtkWidget *switcher = adw_view_switcher_new ();
  g_autoptr(GtkWidget) narrow_title = g_object_ref_sink (adw_window_title_new (title, NULL));
  AdwBreakpoint *breakpoint;

  adw_view_switcher_set_stack (ADW_VIEW_SWITCHER (switcher), stack);
  adw_view_switcher_set_policy (ADW_VIEW_SWITCHER (switcher), ADW_VIEW_SWITCHER_POLICY_WIDE);
  adw_header_bar_set_title_widget (header_bar, switcher);
  adw_view_switcher_bar_set_stack (bar, stack);

  /* Below this width the three wide buttons and the menu no longer fit:
   * the title goes in the header and the switcher to the bottom. */
  breakpoint = adw_breakpoint_new (adw_breakpoint_condition_parse ("max-width: 550sp"));
  adw_breakpoint_add_setters (breakpoint,
                              G_OBJECT (header_bar), "title-widget", narrow_title,
                              G_OBJECT (bar), "reveal", TRUE,
                              NULL);
  adw_application_window_add_breakpoint (window, breakpoint);
#else
  GtkWidget *switcher_title = adw_view_switcher_title_new ();

  adw_view_switcher_title_set_stack (ADW_VIEW_SWITCHER_TITLE (switcher_title), stack);
  adw_view_switcher_title_set_title (ADW_VIEW_SWITCHER_TITLE (switcher_title), title);
  adw_header_bar_set_title_widget (header_bar, switcher_title);
  adw_view_switcher_bar_set_stack (bar, stack);
  g_object_set_data_full (G_OBJECT (switcher_title), "byok-switcher-bar", g_object_ref (bar), g_object_unref);
  g_signal_connect (switcher_title, "notify::title-visible", G_CALLBACK (title_visible_cb), NULL);
  adw_view_switcher_bar_set_reveal (bar, adw_view_switcher_title_get_title_visible (ADW_VIEW_SWITCHER_TITLE (switcher_title)));
#endif
}
