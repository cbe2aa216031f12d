/* byok-balance-monitor.h — the balances the app shows, kept fresh
 *
 * One monitor per engine (byok_balance_monitor_get_for_engine()), shared by
 * the Providers and Usage pages. It holds the last balance of every
 * provider with a balance endpoint (loaded from the provider settings, so a
 * balance read yesterday shows at once), and reads them again:
 *   - when asked: byok_balance_monitor_refresh_stale() on opening a page
 *     (those not read in the last minute), byok_balance_monitor_refresh()
 *     for the person's Refresh;
 *   - after a call to that provider was recorded, at most once a minute per
 *     provider (ByokBalanceMonitor:throttle-seconds);
 * A failed read keeps the value read before, with the failure and its time
 * beside it. A provider without a key is not read and not shown.
 *
 * Each provider's pace (what its calls cost a day over the last 30 days)
 * comes from the usage store, to say how long a balance lasts.
 *
 * Signals: "changed" (provider id) when a balance, its failure or the pace
 * changed; "low-balance" (provider id) when a balance read falls below the
 * threshold the person set for that provider, once per crossing.
 */
#pragma once

#include <glib-object.h>

#include "byok-balance.h"
#include "byok-engine.h"

G_BEGIN_DECLS

#define BYOK_BALANCE_PACE_DAYS 30

#define BYOK_TYPE_BALANCE_MONITOR (byok_balance_monitor_get_type ())
G_DECLARE_FINAL_TYPE (ByokBalanceMonitor, byok_balance_monitor, BYOK, BALANCE_MONITOR, GObject)

ByokBalanceMonitor *byok_balance_monitor_get_for_engine (ByokEngine         *engine);

GPtrArray          *byok_balance_monitor_list_shown     (ByokBalanceMonitor *self);
const ByokBalance  *byok_balance_monitor_get            (ByokBalanceMonitor *self,
                                                         const char         *provider_id);
double              byok_balance_monitor_get_pace       (ByokBalanceMonitor *self,
                                                         const char         *provider_id);
char               *byok_balance_monitor_describe       (ByokBalanceMonitor  *self,
                                                         const char          *provider_id);
char               *byok_balance_monitor_describe_amount (ByokBalanceMonitor  *self,
                                                         const char          *provider_id);
gboolean            byok_balance_monitor_is_refreshing  (ByokBalanceMonitor *self,
                                                         const char         *provider_id);
void                byok_balance_monitor_refresh        (ByokBalanceMonitor *self,
                                                         const char         *provider_id);
void                byok_balance_monitor_refresh_stale  (ByokBalanceMonitor *self);
guint               byok_balance_monitor_get_throttle_seconds (ByokBalanceMonitor *self);
void                byok_balance_monitor_set_throttle_seconds (ByokBalanceMonitor *self,
                                                         guint               seconds);

G_END_DECLS
