/* byok-cost-chart.c — a stacked bar chart of cost by provider over time
 *
 * Plain data in (bar labels, series names, a bars × series table of dollars),
 * pixels out through GtkSnapshot. Layout, from top to bottom: the plot with
 * its dollar gridlines and labels on the left, the bar labels under it
 * (thinned so they never touch), and a legend that wraps to the width.
 * Everything that depends on the size is computed once per size and data
 * (ByokCostChartGeometry) and shared by drawing, hit testing and measuring.
 */
#define G_LOG_DOMAIN "byok-cost-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "byok-cost-chart-private.h"
#include "byok-format.h"

#define NATURAL_PLOT_HEIGHT 160
#define MIN_PLOT_HEIGHT      80
#define MIN_WIDTH           200
#define NATURAL_WIDTH       480
#define BAR_RADIUS            4.0
#define GRID_ALPHA            0.12
#define BASELINE_ALPHA        0.30
#define LABEL_ALPHA           0.60
#define HOVER_ALPHA           0.08

/* The GNOME palette, in shades that keep about 3:1 contrast against both
 * the light and the dark card background, ordered so that neighbours in a
 * stack differ in hue. */
static const char * const palette[] = {
  "#3584e4", /* blue 3 */
  "#e66100", /* orange 4 */
  "#26a269", /* green 5 */
  "#c061cb", /* purple 2 */
  "#e5a50a", /* yellow 5 */
  "#ed333b", /* red 2 */
  "#b5835a", /* brown 2 */
  "#2190a4", /* teal */
  "#d56199", /* pink */
  "#9a9996", /* light 5 */
};

G_DEFINE_FINAL_TYPE (ByokCostChart, byok_cost_chart, GTK_TYPE_WIDGET)

static void byok_cost_chart_update_accessible (ByokCostChart *self);
static void place_popover                     (ByokCostChart *self);

enum {
  PROP_0,
  PROP_PERIOD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
byok_cost_chart_invalidate (ByokCostChart *self)
{
  _byok_cost_chart_geometry_clear (&self->geometry);
}

static void
get_foreground (ByokCostChart *self,
                GdkRGBA       *color)
{
#if GTK_CHECK_VERSION (4, 10, 0)
  gtk_widget_get_color (GTK_WIDGET (self), color);
#else
  /* The 4.8 way; GTK 4.10 replaced it with gtk_widget_get_color(). */
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), color);
#endif
}

static GdkRGBA
with_alpha (const GdkRGBA *color,
            double         alpha)
{
  GdkRGBA c = *color;

  c.alpha *= alpha;
  return c;
}

static void
bar_column (ByokCostChartGeometry *g,
            int                    bar,
            graphene_rect_t       *rect)
{
  graphene_rect_init (rect,
                      g->plot.origin.x + g->slot * bar,
                      g->plot.origin.y,
                      g->slot,
                      g->plot.size.height);
}

static double
value_to_y (ByokCostChartGeometry *g,
            double                 value)
{
  double top_value = g->step * g->n_intervals;

  return g->plot.origin.y + g->plot.size.height * (1 - value / top_value);
}

static void
snapshot_text (GtkSnapshot       *snapshot,
               ByokCostChartText *text,
               const GdkRGBA     *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (text->x, text->y));
  gtk_snapshot_append_layout (snapshot, text->layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
snapshot_bar (ByokCostChart          *self,
              ByokCostChartGeometry *g,
              GtkSnapshot           *snapshot,
              guint                  bar)
{
  const double *row = self->values + (gsize) bar * self->n_series;
  double baseline = g->plot.origin.y + g->plot.size.height;
  double left = round (g->plot.origin.x + g->slot * (bar + 0.5) - g->bar_width / 2);
  double width = MAX (round (g->bar_width), 1);
  double top = round (value_to_y (g, self->totals[bar]));
  double radius;
  double below;
  GskRoundedRect clip;

  if (!(self->totals[bar] > 0))
    return;

  /* However small, a bar that cost something is seen. */
  top = MIN (top, baseline - 2);
  radius = MIN (MIN (BAR_RADIUS, width / 2), baseline - top);

  gsk_rounded_rect_init (&clip,
                         &GRAPHENE_RECT_INIT (left, top, width, baseline - top),
                         &GRAPHENE_SIZE_INIT (radius, radius),
                         &GRAPHENE_SIZE_INIT (radius, radius),
                         &GRAPHENE_SIZE_INIT (0, 0),
                         &GRAPHENE_SIZE_INIT (0, 0));
  gtk_snapshot_push_rounded_clip (snapshot, &clip);

  /* Segments from the baseline up, series 0 at the bottom; a one pixel
   * gap between segments tall enough to spare it. */
  below = baseline;
  for (guint s = 0, n_drawn = 0; s < self->n_series; s++)
    {
      double sum = 0;
      double seg_top;
      double seg_bottom = below;
      GdkRGBA color;

      if (!(row[s] > 0))
        continue;

      for (guint t = 0; t <= s; t++)
        sum += row[t] > 0 ? row[t] : 0;
      seg_top = round (value_to_y (g, sum));
      if (s + 1 == self->n_series || sum >= self->totals[bar])
        seg_top = top;
      if (seg_top >= seg_bottom)
        continue;

      if (n_drawn > 0 && seg_bottom - seg_top >= 3)
        seg_bottom -= 1;

      byok_cost_chart_get_series_color (self, s, &color);
      gtk_snapshot_append_color (snapshot, &color,
                                 &GRAPHENE_RECT_INIT (left, seg_top, width, seg_bottom - seg_top));
      below = seg_top;
      n_drawn++;
    }

  gtk_snapshot_pop (snapshot);
}

static void
byok_cost_chart_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  ByokCostChart *self = BYOK_COST_CHART (widget);
  ByokCostChartGeometry *g = _byok_cost_chart_get_geometry (self);
  GdkRGBA fg, label_color, grid_color, baseline_color;
  double baseline;

  get_foreground (self, &fg);
  label_color = with_alpha (&fg, LABEL_ALPHA);
  grid_color = with_alpha (&fg, GRID_ALPHA);
  baseline_color = with_alpha (&fg, BASELINE_ALPHA);
  baseline = g->plot.origin.y + g->plot.size.height;

  if (g->empty_layout != NULL)
    {
      ByokCostChartText message = { g->empty_layout, 0, 0, 0 };
      double h;

      _byok_cost_chart_layout_size (g->empty_layout, NULL, &h);
      message.y = round ((g->plot.size.height - h) / 2);
      snapshot_text (snapshot, &message, &label_color);
      return;
    }

  /* Hover first, so the bar stays on top of it. */
  if (self->hover_bar >= 0 && (guint) self->hover_bar < self->n_bars)
    {
      GdkRGBA hover = with_alpha (&fg, HOVER_ALPHA);
      graphene_rect_t column;
      GskRoundedRect rounded;
      double inset;

      bar_column (g, self->hover_bar, &column);
      inset = g->slot > 12 ? 2 : 0;
      graphene_rect_inset (&column, inset, 0);
      gsk_rounded_rect_init_from_rect (&rounded, &column, MIN (6, column.size.width / 2));
      gtk_snapshot_push_rounded_clip (snapshot, &rounded);
      gtk_snapshot_append_color (snapshot, &hover, &column);
      gtk_snapshot_pop (snapshot);
    }

  /* Gridlines and their dollar labels. */
  for (guint i = 0; i < g->y_labels->len; i++)
    {
      ByokCostChartText *label = &g_array_index (g->y_labels, ByokCostChartText, i);

      if (i > 0)
        gtk_snapshot_append_color (snapshot, &grid_color,
                                   &GRAPHENE_RECT_INIT (g->plot.origin.x, label->value_y - 1,
                                                        g->plot.size.width, 1));
      snapshot_text (snapshot, label, &label_color);
    }

  for (guint bar = 0; bar < self->n_bars; bar++)
    snapshot_bar (self, g, snapshot, bar);

  gtk_snapshot_append_color (snapshot, &baseline_color,
                             &GRAPHENE_RECT_INIT (g->plot.origin.x, baseline - 1, g->plot.size.width, 1));

  for (guint i = 0; i < g->x_labels->len; i++)
    snapshot_text (snapshot, &g_array_index (g->x_labels, ByokCostChartText, i), &label_color);

  for (guint i = 0; i < g->legend->len; i++)
    {
      ByokCostChartText *item = &g_array_index (g->legend, ByokCostChartText, i);
      double h;
      GdkRGBA color;
      GskRoundedRect swatch;

      _byok_cost_chart_layout_size (item->layout, NULL, &h);
      byok_cost_chart_get_series_color (self, i, &color);
      gsk_rounded_rect_init_from_rect (&swatch,
                                       &GRAPHENE_RECT_INIT (item->x - LEGEND_SWATCH_GAP - LEGEND_SWATCH,
                                                            round (item->y + (h - LEGEND_SWATCH) / 2),
                                                            LEGEND_SWATCH, LEGEND_SWATCH),
                                       3);
      gtk_snapshot_push_rounded_clip (snapshot, &swatch);
      gtk_snapshot_append_color (snapshot, &color, &swatch.bounds);
      gtk_snapshot_pop (snapshot);
      snapshot_text (snapshot, item, &fg);
    }
}

static GtkSizeRequestMode
byok_cost_chart_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
byok_cost_chart_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  ByokCostChart *self = BYOK_COST_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MIN_WIDTH;
      *natural = NATURAL_WIDTH;
    }
  else
    {
      ByokCostChartGeometry g = { 0 };
      int fixed;

      _byok_cost_chart_geometry_compute (self, for_size >= 0 ? for_size : NATURAL_WIDTH, 0, &g);
      fixed = (int) ceil (g.top + g.x_label_height + g.legend_height);
      *minimum = fixed + MIN_PLOT_HEIGHT;
      *natural = fixed + NATURAL_PLOT_HEIGHT;
      _byok_cost_chart_geometry_clear (&g);
    }
}

static void
byok_cost_chart_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  ByokCostChart *self = BYOK_COST_CHART (widget);

  byok_cost_chart_invalidate (self);
  if (self->popover != NULL)
    {
      place_popover (self);
      gtk_popover_present (GTK_POPOVER (self->popover));
    }
}

static void
byok_cost_chart_css_changed (GtkWidget         *widget,
                             GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (byok_cost_chart_parent_class)->css_changed (widget, change);

  /* The font may have changed. */
  byok_cost_chart_invalidate (BYOK_COST_CHART (widget));
  gtk_widget_queue_resize (widget);
}

static void
byok_cost_chart_system_setting_changed (GtkWidget        *widget,
                                        GtkSystemSetting  setting)
{
  GTK_WIDGET_CLASS (byok_cost_chart_parent_class)->system_setting_changed (widget, setting);

  byok_cost_chart_invalidate (BYOK_COST_CHART (widget));
  gtk_widget_queue_resize (widget);
}

static void
set_hover_bar (ByokCostChart *self,
               int            bar)
{
  if (self->hover_bar == bar)
    return;

  self->hover_bar = bar;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           ByokCostChart            *self)
{
  set_hover_bar (self, byok_cost_chart_get_bar_at (self, x, y));
}

static void
on_leave (GtkEventControllerMotion *controller,
          ByokCostChart            *self)
{
  set_hover_bar (self, -1);
}

static void
append_escaped (GString    *markup,
                const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  g_string_append (markup, escaped);
}

static char *
format_tooltip (ByokCostChart *self,
                int            bar,
                gboolean       markup)
{
  const double *row;
  GString *text;
  g_autofree char *total = NULL;

  if (bar < 0 || (guint) bar >= self->n_bars)
    return NULL;

  row = self->values + (gsize) bar * self->n_series;
  text = g_string_new (NULL);

  if (markup)
    g_string_append (text, "<b>");
  append_escaped (text, self->bar_labels[bar]);
  if (markup)
    g_string_append (text, "</b>");

  if (!(self->totals[bar] > 0))
    {
      g_string_append_c (text, '\n');
      /* Translators: the tooltip of a day in the cost chart without cost */
      append_escaped (text, _("No spending"));
      return g_string_free (text, FALSE);
    }

  for (guint s = 0; s < self->n_series; s++)
    {
      g_autofree char *cost = NULL;
      g_autofree char *line = NULL;

      if (!(row[s] > 0))
        continue;

      cost = byok_format_usd (row[s]);
      /* Translators: one line of a cost chart tooltip: a provider and what
       * it cost ("OpenAI: $1.24") */
      line = g_strdup_printf (C_("chart tooltip", "%s: %s"), self->series_names[s], cost);
      g_string_append_c (text, '\n');
      if (markup)
        {
          GdkRGBA color;
          g_autofree char *hex = NULL;

          byok_cost_chart_get_series_color (self, s, &color);
          hex = g_strdup_printf ("#%02x%02x%02x",
                                 (int) round (color.red * 255),
                                 (int) round (color.green * 255),
                                 (int) round (color.blue * 255));
          g_string_append_printf (text, "<span foreground=\"%s\">\u25CF</span> ", hex);
        }
      append_escaped (text, line);
    }

  total = byok_format_usd (self->totals[bar]);
  g_string_append_c (text, '\n');
  {
    /* Translators: the last line of a cost chart tooltip ("Total: $1.60") */
    g_autofree char *line = g_strdup_printf (_("Total: %s"), total);

    if (markup)
      g_string_append (text, "<b>");
    append_escaped (text, line);
    if (markup)
      g_string_append (text, "</b>");
  }

  return g_string_free (text, FALSE);
}

static gboolean
byok_cost_chart_query_tooltip (GtkWidget  *widget,
                               int         x,
                               int         y,
                               gboolean    keyboard_tooltip,
                               GtkTooltip *tooltip)
{
  ByokCostChart *self = BYOK_COST_CHART (widget);
  int bar = byok_cost_chart_get_bar_at (self, x, y);
  g_autofree char *markup = NULL;
  ByokCostChartGeometry *g;
  graphene_rect_t column;

  if (bar < 0)
    return FALSE;

  markup = format_tooltip (self, bar, TRUE);
  gtk_tooltip_set_markup (tooltip, markup);

  /* Moving to the next bar asks again. */
  g = _byok_cost_chart_get_geometry (self);
  bar_column (g, bar, &column);
  gtk_tooltip_set_tip_area (tooltip,
                            &(GdkRectangle) {
                              (int) floor (column.origin.x), 0,
                              (int) ceil (column.size.width),
                              (int) ceil (column.origin.y + column.size.height + g->x_label_height)
                            });
  return TRUE;
}

/* ---- the keyboard -------------------------------------------------------- */

static void
place_popover (ByokCostChart *self)
{
  ByokCostChartGeometry *g;
  graphene_rect_t column;

  if (self->popover == NULL || !gtk_widget_get_visible (self->popover) || self->selected_bar < 0)
    return;
  g = _byok_cost_chart_get_geometry (self);
  bar_column (g, self->selected_bar, &column);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover),
                               &(GdkRectangle) {
                                 (int) floor (column.origin.x), (int) floor (value_to_y (g, self->totals[self->selected_bar])),
                                 MAX ((int) ceil (column.size.width), 1), 1
                               });
}

/* Chooses @bar (-1: none): highlighted like a hovered one, its figures
 * in the popover and in the accessible description. */
static void
select_bar (ByokCostChart *self,
            int            bar)
{
  g_autofree char *markup = NULL;
  g_autofree char *text = NULL;

  if (bar >= (int) self->n_bars)
    bar = -1;
  self->selected_bar = bar;
  set_hover_bar (self, bar);

  if (bar < 0)
    {
      if (self->popover != NULL)
        gtk_popover_popdown (GTK_POPOVER (self->popover));
      byok_cost_chart_update_accessible (self);
      return;
    }

  if (self->popover == NULL)
    {
      self->popover = gtk_popover_new ();
      self->popover_label = GTK_LABEL (gtk_label_new (NULL));
      gtk_label_set_xalign (self->popover_label, 0);
      gtk_popover_set_child (GTK_POPOVER (self->popover), GTK_WIDGET (self->popover_label));
      /* It shows figures, it does not take the focus from the chart. */
      gtk_popover_set_autohide (GTK_POPOVER (self->popover), FALSE);
      gtk_widget_set_can_focus (self->popover, FALSE);
      gtk_popover_set_position (GTK_POPOVER (self->popover), GTK_POS_TOP);
      gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
    }
  markup = format_tooltip (self, bar, TRUE);
  gtk_label_set_markup (self->popover_label, markup);
  gtk_popover_popup (GTK_POPOVER (self->popover));
  place_popover (self);

  text = format_tooltip (self, bar, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
}

/* Left and Right go from bar to bar (Home, End: the first, the last);
 * Escape closes the figures. */
static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                ByokCostChart         *self)
{
  int last = (int) self->n_bars - 1;
  int bar = self->selected_bar;

  if (self->n_bars == 0 || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      bar = bar < 0 ? last : MAX (bar - 1, 0);
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      bar = bar < 0 ? last : MIN (bar + 1, last);
      break;
    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      bar = 0;
      break;
    case GDK_KEY_End:
    case GDK_KEY_KP_End:
      bar = last;
      break;
    case GDK_KEY_Escape:
      if (bar < 0)
        return FALSE;
      bar = -1;
      break;
    default:
      return FALSE;
    }
  select_bar (self, bar);
  return TRUE;
}

static void
on_focus_leave (GtkEventControllerFocus *controller,
                ByokCostChart           *self)
{
  select_bar (self, -1);
}

/**
 * byok_cost_chart_get_selected_bar:
 * @self: a #ByokCostChart
 *
 * Returns: the bar chosen with the keyboard, or -1
 */
int
byok_cost_chart_get_selected_bar (ByokCostChart *self)
{
  g_return_val_if_fail (BYOK_IS_COST_CHART (self), -1);

  return self->selected_bar;
}

static void
byok_cost_chart_update_accessible (ByokCostChart *self)
{
  g_autofree char *summary = byok_cost_chart_get_summary (self);
  g_autoptr(GString) description = g_string_new (NULL);

  if (_byok_cost_chart_has_spending (self))
    {
      g_autofree guint *order = g_new (guint, self->n_series);
      g_autofree double *sums = g_new0 (double, self->n_series);
      guint n = 0;

      for (guint s = 0; s < self->n_series; s++)
        {
          for (guint b = 0; b < self->n_bars; b++)
            {
              double v = self->values[(gsize) b * self->n_series + s];

              sums[s] += v > 0 ? v : 0;
            }
          if (sums[s] > 0)
            order[n++] = s;
        }

      /* Largest first; a handful of series, so insertion sort. */
      for (guint i = 1; i < n; i++)
        for (guint j = i; j > 0 && sums[order[j]] > sums[order[j - 1]]; j--)
          {
            guint tmp = order[j];

            order[j] = order[j - 1];
            order[j - 1] = tmp;
          }

      for (guint i = 0; i < n; i++)
        {
          g_autofree char *cost = byok_format_usd (sums[order[i]]);

          if (i > 0)
            g_string_append (description, ", ");
          g_string_append_printf (description, C_("chart tooltip", "%s: %s"),
                                  self->series_names[order[i]], cost);
        }
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, summary,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description->str,
                                  -1);
}

static void
byok_cost_chart_dispose (GObject *object)
{
  ByokCostChart *self = BYOK_COST_CHART (object);

  _byok_cost_chart_geometry_clear (&self->geometry);
  g_clear_pointer (&self->popover, gtk_widget_unparent);

  G_OBJECT_CLASS (byok_cost_chart_parent_class)->dispose (object);
}

static void
byok_cost_chart_finalize (GObject *object)
{
  ByokCostChart *self = BYOK_COST_CHART (object);

  g_strfreev (self->bar_labels);
  g_strfreev (self->series_names);
  g_free (self->values);
  g_free (self->totals);
  g_free (self->period);

  G_OBJECT_CLASS (byok_cost_chart_parent_class)->finalize (object);
}

static void
byok_cost_chart_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ByokCostChart *self = BYOK_COST_CHART (object);

  switch (prop_id)
    {
    case PROP_PERIOD:
      g_value_set_string (value, self->period);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_cost_chart_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  ByokCostChart *self = BYOK_COST_CHART (object);

  switch (prop_id)
    {
    case PROP_PERIOD:
      byok_cost_chart_set_period (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_cost_chart_class_init (ByokCostChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byok_cost_chart_dispose;
  object_class->finalize = byok_cost_chart_finalize;
  object_class->get_property = byok_cost_chart_get_property;
  object_class->set_property = byok_cost_chart_set_property;

  widget_class->snapshot = byok_cost_chart_snapshot;
  widget_class->get_request_mode = byok_cost_chart_get_request_mode;
  widget_class->measure = byok_cost_chart_measure;
  widget_class->size_allocate = byok_cost_chart_size_allocate;
  widget_class->css_changed = byok_cost_chart_css_changed;
  widget_class->system_setting_changed = byok_cost_chart_system_setting_changed;
  widget_class->query_tooltip = byok_cost_chart_query_tooltip;

  /**
   * ByokCostChart:period:
   *
   * The time span shown, as a phrase that completes "Cost by provider
   * over …" ("the last 30 days"); used in the accessible label.
   */
  properties[PROP_PERIOD] =
    g_param_spec_string ("period", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "costchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
byok_cost_chart_init (ByokCostChart *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *key = gtk_event_controller_key_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  self->hover_bar = -1;
  self->selected_bar = -1;
  self->bar_labels = g_new0 (char *, 1);
  self->series_names = g_new0 (char *, 1);

  g_signal_connect (motion, "enter", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
  g_signal_connect (focus, "leave", G_CALLBACK (on_focus_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  byok_cost_chart_update_accessible (self);
}

GtkWidget *
byok_cost_chart_new (void)
{
  return g_object_new (BYOK_TYPE_COST_CHART, NULL);
}

/**
 * byok_cost_chart_set_data:
 * @self: a #ByokCostChart
 * @n_bars: how many bars (days, months…)
 * @bar_labels: (array length=n_bars): a short label per bar ("Nov 3", "Mar")
 * @n_series: how many series (providers)
 * @series_names: (array length=n_series): a display name per series; series
 *   i always gets colour i of the palette
 * @values: (array): @n_bars × @n_series costs in US dollars, row-major by bar
 *   (all series of bar 0, then of bar 1…); negative and non-finite values
 *   count as 0
 *
 * Replaces what the chart shows. The chart copies everything.
 */
void
byok_cost_chart_set_data (ByokCostChart      *self,
                          guint               n_bars,
                          const char * const *bar_labels,
                          guint               n_series,
                          const char * const *series_names,
                          const double       *values)
{
  gsize n_values;

  g_return_if_fail (BYOK_IS_COST_CHART (self));
  g_return_if_fail (n_bars == 0 || bar_labels != NULL);
  g_return_if_fail (n_series == 0 || series_names != NULL);
  g_return_if_fail (n_bars == 0 || n_series == 0 || values != NULL);

  g_strfreev (self->bar_labels);
  g_strfreev (self->series_names);
  g_free (self->values);
  g_free (self->totals);

  n_values = (gsize) n_bars * n_series;
  self->n_bars = n_bars;
  self->n_series = n_series;
  self->bar_labels = g_new0 (char *, n_bars + 1);
  self->series_names = g_new0 (char *, n_series + 1);
  self->values = g_new0 (double, MAX (n_values, 1));
  self->totals = g_new0 (double, MAX (n_bars, 1));
  self->max_total = 0;
  self->grand_total = 0;

  for (guint i = 0; i < n_bars; i++)
    self->bar_labels[i] = g_strdup (bar_labels[i] ? bar_labels[i] : "");
  for (guint s = 0; s < n_series; s++)
    self->series_names[s] = g_strdup (series_names[s] ? series_names[s] : "");

  for (guint b = 0; b < n_bars; b++)
    {
      for (guint s = 0; s < n_series; s++)
        {
          double v = values[(gsize) b * n_series + s];

          if (!isfinite (v) || v < 0)
            v = 0;
          self->values[(gsize) b * n_series + s] = v;
          self->totals[b] += v;
        }
      self->max_total = MAX (self->max_total, self->totals[b]);
      self->grand_total += self->totals[b];
    }

  if (self->hover_bar >= (int) n_bars)
    self->hover_bar = -1;
  if (self->selected_bar >= 0)
    select_bar (self, -1);

  byok_cost_chart_invalidate (self);
  byok_cost_chart_update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/**
 * byok_cost_chart_clear:
 * @self: a #ByokCostChart
 *
 * Shows no data: the chart's empty state.
 */
void
byok_cost_chart_clear (ByokCostChart *self)
{
  g_return_if_fail (BYOK_IS_COST_CHART (self));

  byok_cost_chart_set_data (self, 0, NULL, 0, NULL, NULL);
}

/**
 * byok_cost_chart_is_empty:
 * @self: a #ByokCostChart
 *
 * Returns: whether the chart shows its empty state ("No spending in this
 *   period"): no bars, or nothing spent in any of them
 */
gboolean
byok_cost_chart_is_empty (ByokCostChart *self)
{
  g_return_val_if_fail (BYOK_IS_COST_CHART (self), TRUE);

  return !_byok_cost_chart_has_spending (self);
}

const char *
byok_cost_chart_get_period (ByokCostChart *self)
{
  g_return_val_if_fail (BYOK_IS_COST_CHART (self), NULL);

  return self->period;
}

void
byok_cost_chart_set_period (ByokCostChart *self,
                            const char    *period)
{
  g_return_if_fail (BYOK_IS_COST_CHART (self));

  if (g_strcmp0 (self->period, period) == 0)
    return;

  g_free (self->period);
  self->period = g_strdup (period);
  byok_cost_chart_update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERIOD]);
}

/**
 * byok_cost_chart_get_bar_at:
 * @self: a #ByokCostChart
 * @x: x in widget coordinates
 * @y: y in widget coordinates
 *
 * Finds the bar whose column (the bar, the space above it and its label
 * below) holds the point.
 *
 * Returns: the bar's index, or -1 for a point outside every column (over
 *   the dollar labels or the legend, or when the chart is empty)
 */
int
byok_cost_chart_get_bar_at (ByokCostChart *self,
                            double         x,
                            double         y)
{
  ByokCostChartGeometry *g;
  double bottom;
  int bar;

  g_return_val_if_fail (BYOK_IS_COST_CHART (self), -1);

  if (!_byok_cost_chart_has_spending (self))
    return -1;

  g = _byok_cost_chart_get_geometry (self);
  bottom = g->plot.origin.y + g->plot.size.height + g->x_label_height;

  if (x < g->plot.origin.x || x >= g->plot.origin.x + g->plot.size.width ||
      y < g->plot.origin.y || y >= bottom || g->slot <= 0)
    return -1;

  bar = (int) floor ((x - g->plot.origin.x) / g->slot);
  return CLAMP (bar, 0, (int) self->n_bars - 1);
}

/**
 * byok_cost_chart_get_tooltip_text:
 * @self: a #ByokCostChart
 * @bar_index: a bar
 *
 * What the tooltip of a bar says, as plain text: its label, a line per
 * series that cost something ("OpenAI: $1.20"), and "Total: $1.60"; or
 * "No spending".
 *
 * Returns: (transfer full) (nullable): the text, or %NULL for no such bar
 */
char *
byok_cost_chart_get_tooltip_text (ByokCostChart *self,
                                  int            bar_index)
{
  g_return_val_if_fail (BYOK_IS_COST_CHART (self), NULL);

  return format_tooltip (self, bar_index, FALSE);
}

/**
 * byok_cost_chart_get_summary:
 * @self: a #ByokCostChart
 *
 * The chart in a sentence, as its accessible label says it: "Cost by
 * provider over the last 30 days: total $12.40".
 *
 * Returns: (transfer full): the summary
 */
char *
byok_cost_chart_get_summary (ByokCostChart *self)
{
  g_autofree char *total = NULL;

  g_return_val_if_fail (BYOK_IS_COST_CHART (self), NULL);

  if (!_byok_cost_chart_has_spending (self))
    {
      if (self->period != NULL && *self->period != '\0')
        /* Translators: the accessible label of the cost chart; %s is a
         * period such as "the last 30 days" */
        return g_strdup_printf (_("Cost by provider over %s: no spending"), self->period);
      /* Translators: the accessible label of the cost chart */
      return g_strdup (_("Cost by provider: no spending"));
    }

  total = byok_format_usd (self->grand_total);
  if (self->period != NULL && *self->period != '\0')
    /* Translators: the accessible label of the cost chart; the first %s is
     * a period such as "the last 30 days", the second an amount ("$12.40") */
    return g_strdup_printf (_("Cost by provider over %s: total %s"), self->period, total);
  /* Translators: the accessible label of the cost chart; %s is an amount */
  return g_strdup_printf (_("Cost by provider: total %s"), total);
}

/**
 * byok_cost_chart_get_series_color:
 * @self: a #ByokCostChart
 * @series_index: a series
 * @color: (out): its colour
 *
 * The colour of a series, for widgets that show the same providers beside
 * the chart. Colours repeat after ten series.
 */
void
byok_cost_chart_get_series_color (ByokCostChart *self,
                                  guint          series_index,
                                  GdkRGBA       *color)
{
  g_return_if_fail (BYOK_IS_COST_CHART (self));
  g_return_if_fail (color != NULL);

  gdk_rgba_parse (color, palette[series_index % G_N_ELEMENTS (palette)]);
}
