/* byok-cost-chart-private.h — what the cost chart's files share
 *
 * byok-cost-chart.c draws the chart, answers the pointer, the keyboard and
 * screen readers; byok-cost-chart-geometry.c lays it out: where the plot,
 * the dollar labels, the bar labels and the legend go at a size, computed
 * once per size and data and shared by drawing, hit testing and measuring.
 */
#pragma once

#include "byok-cost-chart.h"

G_BEGIN_DECLS

#define LEGEND_SWATCH        10
#define LEGEND_SWATCH_GAP     6

typedef struct
{
  PangoLayout *layout;
  double       x;
  double       y;
  double       value_y;   /* the gridline of a dollar label */
} ByokCostChartText;

typedef struct
{
  gboolean         valid;
  int              width;
  int              height;

  double           top;          /* space above the plot for the top label */
  double           x_label_height;
  double           legend_height;

  graphene_rect_t  plot;         /* bars live here; the baseline is its bottom */
  double           slot;         /* horizontal space per bar */
  double           bar_width;
  double           step;         /* dollars between gridlines */
  guint            n_intervals;

  GArray          *y_labels;     /* ByokCostChartText, bottom to top */
  GArray          *x_labels;     /* ByokCostChartText */
  GArray          *legend;       /* ByokCostChartText; the swatch sits left of it */
  PangoLayout     *empty_layout;
} ByokCostChartGeometry;

struct _ByokCostChart
{
  GtkWidget      parent_instance;

  guint          n_bars;
  guint          n_series;
  char         **bar_labels;
  char         **series_names;
  double        *values;         /* n_bars × n_series, row-major by bar */
  double        *totals;         /* per bar */
  double         max_total;
  double         grand_total;
  char          *period;

  int            hover_bar;

  /* Keyboard: the bar chosen with the arrow keys, its figures in a
   * popover (GTK shows no tooltip for the keyboard). */
  int            selected_bar;
  GtkWidget     *popover;
  GtkLabel      *popover_label;

  ByokCostChartGeometry  geometry;
};

gboolean               _byok_cost_chart_has_spending     (ByokCostChart         *self);
void                   _byok_cost_chart_geometry_compute (ByokCostChart         *self,
                                                          int                    width,
                                                          int                    height,
                                                          ByokCostChartGeometry *g);
void                   _byok_cost_chart_geometry_clear   (ByokCostChartGeometry *g);
ByokCostChartGeometry *_byok_cost_chart_get_geometry     (ByokCostChart         *self);
void                   _byok_cost_chart_layout_size      (PangoLayout           *layout,
                                                          double                *width,
                                                          double                *height);

G_END_DECLS
