/* byok-cost-chart-geometry.c — where the cost chart's parts go at a size
 *
 * From the top: the plot with its dollar gridlines and labels on the left,
 * the bar labels under it (thinned so they never touch), and a legend that
 * wraps to the width. With nothing spent, one centred line.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "byok-cost-chart-private.h"
#include "byok-format.h"

#define Y_LABEL_GAP           8   /* between a dollar label and the plot */
#define X_LABEL_GAP           6   /* between the baseline and the bar labels */
#define X_LABEL_SPACING      12   /* at least this between two bar labels */
#define LEGEND_GAP           12   /* between the bar labels and the legend */
#define LEGEND_ITEM_GAP      16
#define LEGEND_ROW_GAP        4
#define MAX_BAR_WIDTH        40.0

static void
placed_text_clear (gpointer data)
{
  ByokCostChartText *text = data;

  g_clear_object (&text->layout);
}

static GArray *
placed_text_array_new (void)
{
  GArray *array = g_array_new (FALSE, TRUE, sizeof (ByokCostChartText));

  g_array_set_clear_func (array, placed_text_clear);
  return array;
}

void
_byok_cost_chart_geometry_clear (ByokCostChartGeometry *g)
{
  g_clear_pointer (&g->y_labels, g_array_unref);
  g_clear_pointer (&g->x_labels, g_array_unref);
  g_clear_pointer (&g->legend, g_array_unref);
  g_clear_object (&g->empty_layout);
  memset (g, 0, sizeof *g);
}

static PangoLayout *
make_layout (ByokCostChart *self,
             const char    *text,
             gboolean       small,
             gboolean       numeric)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();

  if (small)
    pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  if (numeric)
    pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
  pango_layout_set_attributes (layout, attrs);

  return layout;
}

void
_byok_cost_chart_layout_size (PangoLayout *layout,
                              double      *width,
                              double      *height)
{
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  if (width)
    *width = w;
  if (height)
    *height = h;
}

/* 3–5 gridlines (2–4 intervals) at round dollar steps: 1, 2, 2.5 or 5 × 10ⁿ,
 * except 2.5 dollars, which would give "$7.50" among whole dollars. */
static void
compute_ticks (double  max,
               double *step,
               guint  *n_intervals)
{
  static const double multiples[] = { 1, 2, 2.5, 5, 10 };
  double raw;
  double magnitude;

  if (!(max > 0))
    {
      *step = 1;
      *n_intervals = 2;
      return;
    }

  raw = max / 4;
  magnitude = pow (10, floor (log10 (raw)));

  for (guint i = 0; i < G_N_ELEMENTS (multiples); i++)
    {
      double candidate = multiples[i] * magnitude;

      if (multiples[i] == 2.5 && magnitude == 1)
        continue;
      if (candidate >= raw * (1 - 1e-9))
        {
          *step = candidate;
          break;
        }
    }

  *n_intervals = (guint) ceil (max / *step - 1e-9);
  *n_intervals = CLAMP (*n_intervals, 1, 4);
}

gboolean
_byok_cost_chart_has_spending (ByokCostChart *self)
{
  return self->n_bars > 0 && self->grand_total > 0;
}

/* Lays the legend out in rows that wrap at @width, from (0, 0). Returns the
 * height; fills @items when given. */
static double
layout_legend (ByokCostChart *self,
               double         width,
               GArray        *items)
{
  double x = 0;
  double y = 0;
  double row_height = 0;

  if (self->n_series == 0 || !_byok_cost_chart_has_spending (self))
    return 0;

  for (guint s = 0; s < self->n_series; s++)
    {
      ByokCostChartText item = { 0 };
      double text_width, text_height, item_width;
      double max_text = MAX (width - LEGEND_SWATCH - LEGEND_SWATCH_GAP, 1);

      item.layout = make_layout (self, self->series_names[s], TRUE, FALSE);
      pango_layout_set_ellipsize (item.layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_width (item.layout, (int) (max_text * PANGO_SCALE));
      _byok_cost_chart_layout_size (item.layout, &text_width, &text_height);
      item_width = LEGEND_SWATCH + LEGEND_SWATCH_GAP + text_width;

      if (x > 0 && x + item_width > width)
        {
          x = 0;
          y += row_height + LEGEND_ROW_GAP;
          row_height = 0;
        }

      item.x = x + LEGEND_SWATCH + LEGEND_SWATCH_GAP;
      item.y = y;
      row_height = MAX (row_height, MAX (text_height, LEGEND_SWATCH));
      x += item_width + LEGEND_ITEM_GAP;

      if (items)
        g_array_append_val (items, item);
      else
        g_object_unref (item.layout);
    }

  return y + row_height;
}

/* The dollar labels: their widest width and their common height. */
static void
layout_y_labels (ByokCostChart *self,
                 GArray        *labels,
                 double        *max_width,
                 double        *height)
{
  double step;
  guint n_intervals;

  compute_ticks (self->max_total, &step, &n_intervals);
  *max_width = 0;
  *height = 0;

  for (guint i = 0; i <= n_intervals; i++)
    {
      g_autofree char *text = byok_format_usd_compact (i * step, step);
      ByokCostChartText label = { 0 };
      double w, h;

      label.layout = make_layout (self, text, TRUE, TRUE);
      _byok_cost_chart_layout_size (label.layout, &w, &h);
      *max_width = MAX (*max_width, w);
      *height = MAX (*height, h);
      g_array_append_val (labels, label);
    }
}

static double
x_label_height (ByokCostChart *self)
{
  g_autoptr(PangoLayout) layout = make_layout (self, "Mg", TRUE, FALSE);
  double h;

  _byok_cost_chart_layout_size (layout, NULL, &h);
  return h;
}

void
_byok_cost_chart_geometry_compute (ByokCostChart         *self,
                                   int                    width,
                                   int                    height,
                                   ByokCostChartGeometry *g)
{
  double y_label_width = 0;
  double y_label_height = 0;
  double widest_label = 0;
  double right_pad = 0;
  double plot_bottom;

  _byok_cost_chart_geometry_clear (g);
  g->valid = TRUE;
  g->width = width;
  g->height = height;
  g->y_labels = placed_text_array_new ();
  g->x_labels = placed_text_array_new ();
  g->legend = placed_text_array_new ();

  if (!_byok_cost_chart_has_spending (self))
    {
      /* Translators: shown in the cost chart when nothing was spent */
      g->empty_layout = make_layout (self, _("No spending in this period"), FALSE, FALSE);
      pango_layout_set_alignment (g->empty_layout, PANGO_ALIGN_CENTER);
      pango_layout_set_wrap (g->empty_layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_width (g->empty_layout, MAX (width, 1) * PANGO_SCALE);
      /* The same height as a chart with one legend row, so the page does
       * not jump when the first cost arrives. */
      g->top = 0;
      g->x_label_height = x_label_height (self) + X_LABEL_GAP;
      g->legend_height = g->x_label_height + LEGEND_GAP;
      g->plot = GRAPHENE_RECT_INIT (0, 0, width, height);
      return;
    }

  compute_ticks (self->max_total, &g->step, &g->n_intervals);
  layout_y_labels (self, g->y_labels, &y_label_width, &y_label_height);

  g->top = ceil (y_label_height / 2);
  g->x_label_height = x_label_height (self) + X_LABEL_GAP;
  g->plot.origin.x = ceil (y_label_width + Y_LABEL_GAP);
  g->plot.size.width = MAX (width - g->plot.origin.x, 1);

  /* The newest bar's label is centred under it, so the plot ends early
   * enough for that label to fit: with W the width and n the bar count,
   * the pad p solves p = last / 2 - (W - p) / 2n. */
  for (guint i = 0; i < self->n_bars; i++)
    {
      g_autoptr(PangoLayout) layout = make_layout (self, self->bar_labels[i], TRUE, TRUE);
      double w;

      _byok_cost_chart_layout_size (layout, &w, NULL);
      widest_label = MAX (widest_label, w);
      if (i + 1 == self->n_bars)
        {
          double n2 = 2.0 * self->n_bars;

          right_pad = (w / 2 - g->plot.size.width / n2) / (1 - 1 / n2);
          right_pad = CLAMP (ceil (right_pad), 0, g->plot.size.width / 2);
        }
    }

  g->legend_height = layout_legend (self, g->plot.size.width, g->legend);
  if (g->legend_height > 0)
    g->legend_height += LEGEND_GAP;

  g->plot.origin.y = g->top;
  g->plot.size.height = MAX (height - g->top - g->x_label_height - g->legend_height, 1);
  plot_bottom = g->plot.origin.y + g->plot.size.height;

  /* Dollar labels: right-aligned, centred on their gridline. */
  for (guint i = 0; i < g->y_labels->len; i++)
    {
      ByokCostChartText *label = &g_array_index (g->y_labels, ByokCostChartText, i);
      double w, h;

      _byok_cost_chart_layout_size (label->layout, &w, &h);
      label->value_y = round (plot_bottom - g->plot.size.height * i / g->n_intervals);
      label->x = g->plot.origin.x - Y_LABEL_GAP - w;
      label->y = label->value_y - h / 2;
    }

  /* Bars. */
  g->plot.size.width = MAX (g->plot.size.width - right_pad, 1);
  g->slot = g->plot.size.width / self->n_bars;
  g->bar_width = MIN (g->slot * (g->slot > 8 ? 0.62 : 0.8), MAX_BAR_WIDTH);
  g->bar_width = MAX (g->bar_width, 1);

  /* Bar labels: every nth, counted from the newest bar so it always has one,
   * with n wide enough for the widest label; a label that would still touch
   * its neighbour (after being kept inside the widget) is dropped. */
  {
    double last_left = G_MAXDOUBLE;
    guint every = MAX (1, (guint) ceil ((widest_label + X_LABEL_SPACING) / g->slot));

    for (guint k = 0; k < self->n_bars; k += every)
      {
        guint i = self->n_bars - 1 - k;
        ByokCostChartText label = { 0 };
        double w, h, center;

        label.layout = make_layout (self, self->bar_labels[i], TRUE, TRUE);
        _byok_cost_chart_layout_size (label.layout, &w, &h);
        center = g->plot.origin.x + g->slot * (i + 0.5);
        label.x = CLAMP (round (center - w / 2), 0, MAX (width - w, 0));
        label.y = plot_bottom + X_LABEL_GAP;

        if (label.x + w + X_LABEL_SPACING / 2 > last_left)
          {
            g_object_unref (label.layout);
            continue;
          }
        last_left = label.x;
        g_array_append_val (g->x_labels, label);
      }
  }

  /* The legend under the bar labels, aligned with the plot. */
  for (guint i = 0; i < g->legend->len; i++)
    {
      ByokCostChartText *item = &g_array_index (g->legend, ByokCostChartText, i);

      item->x += g->plot.origin.x;
      item->y += plot_bottom + g->x_label_height + LEGEND_GAP;
    }
}

ByokCostChartGeometry *
_byok_cost_chart_get_geometry (ByokCostChart *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  ByokCostChartGeometry *g = &self->geometry;

  if (!g->valid || g->width != width || g->height != height)
    _byok_cost_chart_geometry_compute (self, width, height, g);

  return g;
}
