/* byok-usage-page.h — the Usage page: what every call cost */
#pragma once

#include <adwaita.h>

#include "byok-engine.h"

G_BEGIN_DECLS

#define BYOK_TYPE_USAGE_PAGE (byok_usage_page_get_type ())
G_DECLARE_FINAL_TYPE (ByokUsagePage, byok_usage_page, BYOK, USAGE_PAGE, AdwBin)

/* The periods of the chart, the table, the what-if list and export */
typedef enum {
  BYOK_USAGE_PAGE_PERIOD_7_DAYS,
  BYOK_USAGE_PAGE_PERIOD_30_DAYS,
  BYOK_USAGE_PAGE_PERIOD_12_MONTHS,
} ByokUsagePagePeriod;

void                byok_usage_page_set_engine (ByokUsagePage       *self,
                                                ByokEngine          *engine);
ByokEngine         *byok_usage_page_get_engine (ByokUsagePage       *self);

ByokUsagePagePeriod byok_usage_page_get_period (ByokUsagePage       *self);
void                byok_usage_page_set_period (ByokUsagePage       *self,
                                                ByokUsagePagePeriod  period);

void                byok_usage_page_refresh    (ByokUsagePage       *self);
gboolean            byok_usage_page_is_busy    (ByokUsagePage       *self);
void                byok_usage_page_alert_budget (ByokUsagePage     *self,
                                                  const char        *scope,
                                                  guint              percent);

G_END_DECLS
