/* byok-usage-breakdown.h — the Usage page's table of cost by model */
#pragma once

#include <adwaita.h>

#include "byok-catalog.h"

G_BEGIN_DECLS

#define BYOK_TYPE_USAGE_BREAKDOWN (byok_usage_breakdown_get_type ())
G_DECLARE_FINAL_TYPE (ByokUsageBreakdown, byok_usage_breakdown, BYOK, USAGE_BREAKDOWN, AdwBin)

void        byok_usage_breakdown_set_groups (ByokUsageBreakdown *self,
                                             GPtrArray          *by_model,
                                             ByokCatalog        *catalog);
GListModel *byok_usage_breakdown_get_model  (ByokUsageBreakdown *self);

G_END_DECLS
