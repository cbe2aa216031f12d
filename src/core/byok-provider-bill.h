/* byok-provider-bill.h — the provider's own bill beside what Byok recorded
 *
 * With an admin key (byok_key_store_store_admin_async(); never a chat
 * key), a provider's organization bill is read per day: OpenAI's Costs API
 * (`GET /v1/organization/costs`, an `sk-admin-…` key; `amount.value` in
 * dollars) and Anthropic's Cost report (`GET /v1/organizations/cost_report`,
 * an `sk-ant-admin…` key; `amount` a decimal string of cents), every page
 * (`has_more`, `next_page`), through byok_client_get_json_with_key_async():
 * the provider's own address only, no redirects, the key masked out of any
 * error. Their days are UTC days, so Byok's side is summed per UTC day too
 * (byok_usage_store_cost_by_utc_day()).
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "byok-client.h"
#include "byok-usage-store.h"

G_BEGIN_DECLS

/* One UTC day. */
typedef struct {
  char    *day;                  /* "YYYY-MM-DD" */
  double   provider_usd;         /* the provider's bill; 0 when it listed none */
  double   byok_usd;             /* what Byok recorded at its prices */
  guint64  byok_calls;
  guint64  byok_unknown_price;   /* calls Byok could not price */
} ByokBillDay;

typedef struct {
  char      *provider;
  gint64     from_us;            /* whole UTC days: [from_us, to_us) */
  gint64     to_us;
  GPtrArray *days;               /* of ByokBillDay*, every day, oldest first */
  double     provider_usd;
  double     byok_usd;
  guint64    byok_calls;
  guint64    byok_unknown_price;
  gint64     checked_at;         /* unix seconds */
} ByokBill;

void                byok_bill_free                    (ByokBill        *bill);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokBill, byok_bill_free)

gboolean            byok_provider_bill_supports       (const char      *provider_id);
const char * const *byok_provider_bill_providers      (void);
gboolean            byok_provider_bill_check_admin_key (ByokClient     *client,
                                                       const char      *provider_id,
                                                       const char      *key,
                                                       GError         **error);

void                byok_provider_bill_fetch_async    (ByokClient          *client,
                                                       const char          *provider_id,
                                                       const char          *key,
                                                       gint64               from_us,
                                                       gint64               to_us,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
ByokBill           *byok_provider_bill_fetch_finish   (ByokClient          *client,
                                                       GAsyncResult        *result,
                                                       GError             **error);

gboolean            byok_bill_add_recorded            (ByokBill        *bill,
                                                       ByokUsageStore  *store,
                                                       GError         **error);
gboolean            byok_bill_day_differs             (const ByokBillDay *day);
gboolean            byok_bill_differs                 (const ByokBill  *bill);
JsonNode           *byok_bill_to_json                 (const ByokBill  *bill);

G_END_DECLS
