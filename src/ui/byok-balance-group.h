/* byok-balance-group.h — what is left on each provider account, on Usage */
#pragma once

#include <adwaita.h>

#include "byok-balance-monitor.h"

G_BEGIN_DECLS

#define BYOK_TYPE_BALANCE_GROUP (byok_balance_group_get_type ())
G_DECLARE_FINAL_TYPE (ByokBalanceGroup, byok_balance_group, BYOK, BALANCE_GROUP, AdwPreferencesGroup)

void            byok_balance_group_set_engine     (ByokBalanceGroup *self,
                                                   ByokEngine       *engine);
GtkWidget      *byok_balance_group_get_row        (ByokBalanceGroup *self,
                                                   const char       *provider_id);
GtkSpinButton  *byok_balance_group_get_threshold_spin (ByokBalanceGroup *self,
                                                   const char       *provider_id);

char           *byok_balance_describe_state       (const ByokBalance *balance);
void            byok_balance_notify_low           (ByokBalanceMonitor *monitor,
                                                   const char       *provider_id,
                                                   const char       *provider_name);

G_END_DECLS
