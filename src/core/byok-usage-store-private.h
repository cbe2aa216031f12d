/* byok-usage-store-private.h — what the files of ByokUsageStore share
 *
 * ByokUsageStore is one object split by concern: byok-usage-store.c (the
 * object, periods, recording), -report.c (reports), -budgets.c (month
 * spend and budgets), -key-events.c, -export.c, and
 * byok-price-overrides-store.c (the price_overrides table).
 */
#pragma once

#include "byok-usage-store.h"

G_BEGIN_DECLS

/* What each provider spent in one month, kept so the budget check before
 * every call costs microseconds. It is valid while nothing else wrote:
 * PRAGMA data_version moves when another connection commits, and
 * sqlite3_total_changes64() when any statement on ours changes rows. */
typedef struct {
  gboolean    valid;
  gint64      from_us;
  gint64      to_us;
  gint64      data_version;
  gint64      total_changes;
  double      all;
  GHashTable *by_provider;   /* provider → double* */
} SpendCache;

struct _ByokUsageStore
{
  GObject       parent_instance;

  ByokDatabase *database;
  SpendCache    spend;
};

/* The columns of `usage`, in export order, as read by record_from_stmt(). */
#define USAGE_COLUMNS \
  "id, time, provider, model, conversation_id, input_tokens, output_tokens, " \
  "cached_input_tokens, cache_write_tokens, reasoning_tokens, cost_usd, " \
  "price_known, cache_savings_usd, latency_us, ttft_us, status, http_status, " \
  "is_retry, is_fallback, attempt, estimated, reported_cost_usd"

enum {
  COL_ID,
  COL_TIME,
  COL_PROVIDER,
  COL_MODEL,
  COL_CONVERSATION_ID,
  COL_INPUT_TOKENS,
  COL_OUTPUT_TOKENS,
  COL_CACHED_INPUT_TOKENS,
  COL_CACHE_WRITE_TOKENS,
  COL_REASONING_TOKENS,
  COL_COST_USD,
  COL_PRICE_KNOWN,
  COL_CACHE_SAVINGS_USD,
  COL_LATENCY_US,
  COL_TTFT_US,
  COL_STATUS,
  COL_HTTP_STATUS,
  COL_IS_RETRY,
  COL_IS_FALLBACK,
  COL_ATTEMPT,
  COL_ESTIMATED,
  COL_REPORTED_COST_USD,
  N_COLS
};

typedef struct {
  char                  *path;
  gint64                 from_us;
  gint64                 to_us;
  ByokUsageBucket        bucket;
  ByokUsageExportFormat  format;
  GFile                 *file;
} ByokUsageWorkerData;

ByokUsageWorkerData *_byok_usage_worker_data_new           (ByokUsageStore      *self,
                                                           gint64               from_us,
                                                           gint64               to_us);
void                 _byok_usage_worker_data_free          (ByokUsageWorkerData *data);

GDateTime           *_byok_usage_local_from_us             (gint64               us);
gint64               _byok_usage_local_start_us            (int                  year,
                                                           int                  month,
                                                           int                  day);
void                 _byok_usage_shift_month               (int                 *year,
                                                           int                 *month,
                                                           int                  delta);
void                 _byok_usage_shift_day                 (int                 *year,
                                                           int                 *month,
                                                           int                 *day,
                                                           int                  delta);

void                 _byok_usage_spend_cache_add           (SpendCache          *cache,
                                                           const char          *provider,
                                                           double               cost);
void                 _byok_usage_store_spend_cache_advance (ByokUsageStore      *self,
                                                           gint64               changes_before);

G_END_DECLS
