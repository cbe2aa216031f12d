/* byok-scroll.c — the wheel over a scrolled part of a scrolled page */
#define G_LOG_DOMAIN "byok-scroll"

#include "config.h"

#include <math.h>

#include "byok-scroll.h"

/**
 * byok_scroll_outer:
 * @controller: the scroll controller that got the event
 * @inner: the widget inside the outer scrolled window
 * @dy: the vertical delta of the event
 *
 * Scrolls the scrolled window around @inner by @dy, as far as
 * GtkScrolledWindow would have for the same event.
 *
 * Returns: whether there is such a scrolled window (the event is then
 *   used)
 */
gboolean
byok_scroll_outer (GtkEventControllerScroll *controller,
                   GtkWidget                *inner,
                   double                    dy)
{
  GtkWidget *outer = inner != NULL ? gtk_widget_get_ancestor (gtk_widget_get_parent (inner),
                                                              GTK_TYPE_SCROLLED_WINDOW) : NULL;
  GtkAdjustment *adjustment;
  double page;
  double step;
  double value;

  if (outer == NULL)
    return FALSE;
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (outer));
  page = gtk_adjustment_get_page_size (adjustment);
  /* The step GtkScrolledWindow takes for one wheel click. */
  step = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL
         ? pow (page, 2.0 / 3.0) : 1.0;
  value = gtk_adjustment_get_value (adjustment) + dy * step;
  value = CLAMP (value, gtk_adjustment_get_lower (adjustment),
                 gtk_adjustment_get_upper (adjustment) - page);
  gtk_adjustment_set_value (adjustment, value);
  return TRUE;
}

/* Up at the top, down at the bottom, or either when all of it shows:
 * nothing for @inner to scroll, so the page does. */
static gboolean
chain_scroll_cb (GtkEventControllerScroll *controller,
                 double                    dx,
                 double                    dy,
                 gpointer                  user_data)
{
  GtkWidget *inner = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (inner));
  double value = gtk_adjustment_get_value (adjustment);
  double end = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  if ((state & GDK_SHIFT_MASK) != 0 || dy == 0 || fabs (dx) > fabs (dy))
    return FALSE;
  if ((dy < 0 && value > gtk_adjustment_get_lower (adjustment)) || (dy > 0 && value < end))
    return FALSE;
  return byok_scroll_outer (controller, inner, dy);
}

/**
 * byok_scroll_chain_to_outer:
 * @inner: a scrolled window inside another
 *
 * The wheel over @inner scrolls it while it can; when it shows all it
 * has, or is at its end in that direction, the page around it scrolls.
 */
void
byok_scroll_chain_to_outer (GtkScrolledWindow *inner)
{
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);

  gtk_event_controller_set_name (scroll, "byok-scroll-chain");
  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  g_signal_connect (scroll, "scroll", G_CALLBACK (chain_scroll_cb), NULL);
  gtk_widget_add_controller (GTK_WIDGET (inner), scroll);
}
