/* byok-budget-group.h — monthly budgets, overall and per provider */
#pragma once

#include <adwaita.h>

#include "byok-catalog.h"
#include "byok-usage-store.h"

G_BEGIN_DECLS

#define BYOK_TYPE_BUDGET_GROUP (byok_budget_group_get_type ())
G_DECLARE_FINAL_TYPE (ByokBudgetGroup, byok_budget_group, BYOK, BUDGET_GROUP, AdwPreferencesGroup)

void            byok_budget_group_set_store       (ByokBudgetGroup       *self,
                                                   ByokUsageStore        *store,
                                                   ByokCatalog           *catalog);
void            byok_budget_group_set_month_usage (ByokBudgetGroup       *self,
                                                   const ByokUsageReport *month);
GtkSpinButton  *byok_budget_group_get_spin_button (ByokBudgetGroup       *self,
                                                   const char            *scope);

G_END_DECLS
