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
 *
 * The difference is explained where it can be (byok_bill_explain(), pure
 * arithmetic in whole cents): calls from other keys — the organization's
 * usage per API key (OpenAI `GET /v1/organization/usage/completions`
 * grouped by api_key_id, Anthropic `GET
 * /v1/organizations/usage_report/messages` grouped by api_key_id) priced
 * at Byok's prices, Byok's own key(s) told from the others by the key
 * listings' redacted values (byok-provider-bill-keys.c) —, calls Byok
 * could not price (estimated at today's price where there is one), and
 * calls recorded with estimated tokens or interrupted (counted, their
 * share of Byok's figure an estimate); the rest is unexplained.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "byok-client.h"
#include "byok-pricing.h"
#include "byok-usage-store.h"

G_BEGIN_DECLS

/* What explains a difference between the provider's bill and Byok's, for
 * a day or the whole period. */
typedef struct {
  double   other_keys_usd;           /* other keys' tokens at Byok's prices */
  guint64  other_keys_requests;      /* their calls (0 where not reported) */
  guint64  other_keys_unpriced;      /* (model, key) groups with no price */
  guint64  unpriced_calls;           /* Byok's calls it could not price */
  guint64  unpriced_estimated;       /* of them, estimated at today's price */
  double   unpriced_estimate_usd;
  guint64  estimated_calls;          /* recorded with estimated tokens */
  double   estimated_usd;            /* their share of Byok's figure */
  guint64  interrupted_calls;        /* of them, interrupted */
} ByokBillParts;

/* Whether Byok could tell its own key(s) from the organization's others. */
typedef enum {
  BYOK_BILL_KEYS_NOT_READ,           /* not asked (yet) */
  BYOK_BILL_KEYS_TOLD,               /* other keys' usage is known */
  BYOK_BILL_KEYS_UNTOLD,             /* refused, failed, or no key matched */
} ByokBillKeys;

/* The difference taken apart, in whole cents: difference = other_keys +
 * unpriced + unexplained exactly. */
typedef struct {
  double   difference_usd;           /* provider − Byok */
  double   other_keys_usd;           /* 0 unless the keys were told apart */
  double   unpriced_usd;
  double   unexplained_usd;
} ByokBillExplanation;

/* Tokens of one key and model on one day, from the provider's usage. */
typedef struct {
  char    *key_id;                   /* NULL: none (e.g. the console) */
  char    *model;
  gint64   input_tokens;             /* all prompt tokens */
  gint64   cached_tokens;
  gint64   cache_write_tokens;
  gint64   output_tokens;
  guint64  requests;
} ByokBillKeyUsage;

/* One UTC day. */
typedef struct {
  char          *day;                /* "YYYY-MM-DD" */
  double         provider_usd;       /* the provider's bill; 0 when it listed none */
  double         byok_usd;           /* what Byok recorded at its prices */
  guint64        byok_calls;
  guint64        byok_unknown_price; /* calls Byok could not price */
  ByokBillParts  parts;
  GPtrArray     *other_usage;        /* of ByokBillKeyUsage*: other keys' */
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
  ByokBillParts parts;           /* the days' summed */
  ByokBillKeys  keys;
  char         *keys_error;      /* why the keys could not be told apart */
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
                                                       ByokPricing     *pricing,
                                                       GError         **error);
void                byok_bill_explain                 (double               provider_usd,
                                                       double               byok_usd,
                                                       ByokBillKeys         keys,
                                                       const ByokBillParts *parts,
                                                       ByokBillExplanation *explanation);
void                byok_bill_day_explain             (const ByokBill      *bill,
                                                       const ByokBillDay   *day,
                                                       ByokBillExplanation *explanation);
void                byok_bill_total_explain           (const ByokBill      *bill,
                                                       ByokBillExplanation *explanation);
gboolean            byok_bill_key_hint_matches        (const char      *hint,
                                                       const char      *secret);
GStrv               byok_bill_explain_lines           (const ByokBill            *bill,
                                                       const ByokBillParts       *parts,
                                                       const ByokBillExplanation *explanation,
                                                       gboolean                   with_reason);
void                byok_bill_key_usage_free          (ByokBillKeyUsage *usage);
gboolean            byok_bill_day_differs             (const ByokBillDay *day);
gboolean            byok_bill_differs                 (const ByokBill  *bill);
JsonNode           *byok_bill_to_json                 (const ByokBill  *bill);

G_END_DECLS
