/* byok-cli-usage.h — `byok-cli usage` and `byok-cli pricing`, and what they
 * share: the database, the usage store and the prices in force. */
#pragma once

#include "byok-catalog.h"
#include "byok-pricing.h"
#include "byok-usage-store.h"

G_BEGIN_DECLS

int byok_cli_usage   (int argc, char **argv);
int byok_cli_pricing (int argc, char **argv);

typedef struct _ByokCliUsageContext ByokCliUsageContext;

ByokCliUsageContext *byok_cli_usage_context_open        (gboolean              with_prices,
                                                         GError              **error);
void                 byok_cli_usage_context_free        (ByokCliUsageContext  *context);
ByokUsageStore      *byok_cli_usage_context_get_store   (ByokCliUsageContext  *context);
ByokPricing         *byok_cli_usage_context_get_pricing (ByokCliUsageContext  *context);
ByokCatalog         *byok_cli_usage_context_get_catalog (ByokCliUsageContext  *context);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokCliUsageContext, byok_cli_usage_context_free)

char                *byok_cli_format_usd                (double                usd);

/* `byok-cli usage --compare-bill` (byok-cli-bill.c) */
int                  byok_cli_usage_compare_bill        (gint64                from_us,
                                                         gint64                to_us,
                                                         const char           *label,
                                                         gboolean              by_day,
                                                         gboolean              json,
                                                         gboolean              allow_http);

G_END_DECLS
