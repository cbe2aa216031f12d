/* byok-cost-chart.h — a stacked bar chart of cost by provider over time */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define BYOK_TYPE_COST_CHART (byok_cost_chart_get_type ())
G_DECLARE_FINAL_TYPE (ByokCostChart, byok_cost_chart, BYOK, COST_CHART, GtkWidget)

GtkWidget  *byok_cost_chart_new              (void);

void        byok_cost_chart_set_data         (ByokCostChart      *self,
                                              guint               n_bars,
                                              const char * const *bar_labels,
                                              guint               n_series,
                                              const char * const *series_names,
                                              const double       *values);
void        byok_cost_chart_clear            (ByokCostChart      *self);
gboolean    byok_cost_chart_is_empty         (ByokCostChart      *self);

const char *byok_cost_chart_get_period       (ByokCostChart      *self);
void        byok_cost_chart_set_period       (ByokCostChart      *self,
                                              const char         *period);

int         byok_cost_chart_get_bar_at       (ByokCostChart      *self,
                                              double              x,
                                              double              y);
char       *byok_cost_chart_get_tooltip_text (ByokCostChart      *self,
                                              int                 bar_index);
char       *byok_cost_chart_get_summary      (ByokCostChart      *self);
void        byok_cost_chart_get_series_color (ByokCostChart      *self,
                                              guint               series_index,
                                              GdkRGBA            *color);

int          byok_cost_chart_get_selected_bar (ByokCostChart *self);

G_END_DECLS
