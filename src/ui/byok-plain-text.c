/* byok-plain-text.c — outside text in widgets that read Pango markup */
#include "config.h"

#include "byok-plain-text.h"

/**
 * byok_toast_new_plain:
 * @text: what the toast says, shown as it is
 *
 * adw_toast_new() for text that is not markup. AdwToast reads its title as
 * Pango markup, and only libadwaita 1.4 lets that be turned off; escaping
 * works on every version (on 1.4, markup stays on and reads the escape).
 *
 * Returns: (transfer floating): a new toast
 */
AdwToast *
byok_toast_new_plain (const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL ? text : "", -1);

  return adw_toast_new (escaped);
}

/**
 * byok_toast_show:
 * @widget: a widget in a toast overlay
 * @toast: (transfer floating): the toast
 *
 * Shows @toast in the overlay @widget is in; without one, drops it.
 *
 * Returns: whether it is shown
 */
gboolean
byok_toast_show (GtkWidget *widget,
                 AdwToast  *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);

  if (overlay == NULL)
    {
      g_object_unref (g_object_ref_sink (toast));
      return FALSE;
    }
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  return TRUE;
}
