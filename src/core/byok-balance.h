/* byok-balance.h — what is left on a provider account, as the provider says
 *
 * Providers that tell it (the catalog's "balance": DeepSeek
 * `GET /user/balance`, Moonshot `GET /v1/users/me/balance`, OpenRouter
 * `GET /api/v1/credits` and `GET /api/v1/key`) are read with the key the
 * person stored, through byok_client_get_json_async() (the key only to the
 * provider's own address, no redirects, size and depth checked).
 *
 * A ByokBalance is one reading: the amount available in the provider's
 * currency (Moonshot's China endpoint: CNY; DeepSeek names its own), the
 * provider's own figures (`details`, under the provider's names) and when
 * it was read; and, when the last read failed, why and when, beside the last
 * value that was read. It is kept per provider in the provider settings
 * (key "balance", JSON) with the low-balance threshold the person set
 * ("balance_low", in the balance's currency).
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "byok-client.h"
#include "byok-provider-settings.h"

G_BEGIN_DECLS

typedef struct {
  char          *provider;
  char          *currency;       /* ISO 4217, NULL until one was read */
  double         available;      /* NAN until one was read */
  JsonNode      *details;        /* an object: the provider's figures; nullable */
  gint64         checked_at;     /* unix seconds of the last successful read; 0: never */

  /* The last read, when it failed (the value above is kept) */
  ByokErrorCode  error_code;
  char          *error_message;  /* NULL when the last read succeeded */
  gint64         failed_at;      /* unix seconds */
} ByokBalance;

GType        byok_balance_get_type         (void) G_GNUC_CONST;
#define BYOK_TYPE_BALANCE (byok_balance_get_type ())

ByokBalance *byok_balance_new              (const char          *provider);
ByokBalance *byok_balance_copy             (const ByokBalance   *balance);
void         byok_balance_free             (ByokBalance         *balance);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokBalance, byok_balance_free)

gboolean     byok_balance_has_value        (const ByokBalance   *balance);

ByokBalance *byok_balance_parse            (ByokProvider        *provider,
                                            JsonNode            *account,
                                            JsonNode            *key_info,
                                            GError             **error);

void         byok_balance_fetch_async      (ByokClient          *client,
                                            const char          *provider_id,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
ByokBalance *byok_balance_fetch_finish     (ByokClient          *client,
                                            GAsyncResult        *result,
                                            GError             **error);

/* {"provider","currency","available","details","checked_at"} (+ "error",
 * "error_code", "failed_at" when the last read failed) */
JsonNode    *byok_balance_to_json          (const ByokBalance   *balance);
ByokBalance *byok_balance_from_json        (JsonNode            *node,
                                            GError             **error);

ByokBalance *byok_balance_load             (ByokProviderSettings *settings,
                                            const char          *provider_id);
gboolean     byok_balance_save             (ByokProviderSettings *settings,
                                            const ByokBalance   *balance,
                                            GError             **error);
ByokBalance *byok_balance_merge_failure    (const ByokBalance   *last,
                                            const char          *provider_id,
                                            const GError        *error);

double       byok_balance_get_threshold    (ByokProviderSettings *settings,
                                            const char          *provider_id);
gboolean     byok_balance_set_threshold    (ByokProviderSettings *settings,
                                            const char          *provider_id,
                                            double               threshold,
                                            GError             **error);

double       byok_balance_days_left        (const ByokBalance   *balance,
                                            double               usd_per_day);
/* byok-cli's plain columns; the sentences below write amounts as
 * byok_format_amount() does (the locale's grouping and decimal mark). */
char        *byok_balance_format_amount    (const char          *currency,
                                            double               amount);
char        *byok_balance_describe_amount  (const ByokBalance   *balance,
                                            double               usd_per_day,
                                            guint                pace_days);
char        *byok_balance_describe         (const ByokBalance   *balance,
                                            const char          *provider_name,
                                            double               usd_per_day,
                                            guint                pace_days);

G_END_DECLS
