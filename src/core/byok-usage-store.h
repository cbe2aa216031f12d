/* byok-usage-store.h — one row per call and the aggregates the dashboard reads
 *
 * Every call attempt is recorded, failures too, with the cost computed by
 * the caller (ByokPricing) with the prices in force at the time. The cache
 * saving of a call is computed then as well and stored with it
 * (cache_savings_usd), so the dashboard never re-prices history.
 *
 * A call is written when its request is sent — begin_call(), status
 * "in_flight", with Byok's estimate of its prompt — and completed when it
 * ends (finish_call()), so one that never ends (the process killed,
 * crashed, the power cut) still has its row: the next Byok to start marks
 * it "interrupted" (interrupt_calls()). Rows in flight are in no report,
 * total, budget or export until they end.
 *
 * Threads and blocking: record(), budgets, price overrides and key events
 * are single-row statements on the main connection (tens of microseconds in
 * WAL), synchronous, for the thread that owns the ByokDatabase. The heavy
 * reads — reports over a period and export — have _async variants that run
 * in a GTask thread on a connection of their own; their synchronous forms
 * are for the CLI and tests.
 *
 * Periods are [from_us, to_us) in unix microseconds; days and months are
 * local time.
 *
 * Reports read whole local days before today from the per-day rollup the
 * database keeps beside the rows (byok-usage-rollup.h), and everything
 * else — today, partial days, a day the rollup cannot vouch for — from the
 * rows: counts and token sums are exact either way; sums of money are the
 * same figures added in another order (equal to within 1e-12 or so).
 */
#pragma once

#include <gio/gio.h>

#include "byok-database.h"

G_BEGIN_DECLS

/* A call's status, in lower case as `byok-cli chat --json` writes it:
 * "ok", an error class ("auth", "rate_limit", …; byok_error_get_status()),
 * or: */
#define BYOK_USAGE_STATUS_OK          "ok"
/* The person stopped it (Stop, Escape, Ctrl+C): counted apart from
 * errors. */
#define BYOK_USAGE_STATUS_CANCELLED   "cancelled"
/* Its request was sent and it has not ended yet (or its process died:
 * see byok_usage_store_interrupt_calls()). Left out of every report. */
#define BYOK_USAGE_STATUS_IN_FLIGHT   "in_flight"
/* It never ended: its process was killed, crashed or quit mid-answer.
 * The provider may still bill it: its tokens and cost are Byok's
 * estimate (`estimated`). Counted apart from successes and errors. */
#define BYOK_USAGE_STATUS_INTERRUPTED "interrupted"

/* One call attempt: the columns of the `usage` table. Strings are borrowed
 * by byok_usage_store_record() and owned by records the store returns. */
typedef struct {
  gint64    id;                   /* set by the store */
  gint64    time_us;              /* unix µs UTC; 0: now */
  char     *provider;
  char     *model;
  gint64    conversation_id;      /* 0: none */
  gint64    input_tokens;         /* all prompt tokens, cached included */
  gint64    output_tokens;        /* reasoning included */
  gint64    cached_input_tokens;
  gint64    cache_write_tokens;
  gint64    reasoning_tokens;
  gboolean  price_known;
  double    cost_usd;             /* ignored (stored NULL) unless price_known */
  double    cache_savings_usd;    /* cached × (input price − cached price) */
  gint64    latency_us;
  gint64    ttft_us;              /* < 0: no first token (stored NULL) */
  char     *status;               /* "ok", an error class ("AUTH", …) or a
                                   * BYOK_USAGE_STATUS_*; NULL: "ok" */
  int       http_status;          /* 0: no HTTP reply (stored NULL) */
  gboolean  is_retry;
  gboolean  is_fallback;
  int       attempt;              /* 1-based; 0 is taken as 1 */
  gboolean  estimated;            /* tokens and cost are Byok's estimate, not
                                   * the provider's count */
  gboolean  cost_reported;        /* the provider said what it billed */
  double    reported_cost_usd;    /* what it billed (OpenRouter's usage.cost);
                                   * stored NULL unless cost_reported */
} ByokUsageRecord;

#define BYOK_TYPE_USAGE_RECORD (byok_usage_record_get_type ())
GType            byok_usage_record_get_type (void) G_GNUC_CONST;
ByokUsageRecord *byok_usage_record_new      (void);
ByokUsageRecord *byok_usage_record_copy     (const ByokUsageRecord *record);
void             byok_usage_record_free     (ByokUsageRecord       *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokUsageRecord, byok_usage_record_free)

/* Sums over a set of rows. Latency percentiles are nearest-rank over the
 * latency_us of "ok" rows; -1 when there are none (and in
 * by_provider_bucket groups, which carry no percentiles). Exact when the
 * group's rows were all read as rows (today, partial days); when whole past
 * days came from the rollup, a latency within the histogram bin that holds
 * the true percentile — within 1/16 (6.25 %) of it, and exact when that bin
 * holds a single value or the rank falls on its smallest or largest. */
typedef struct {
  guint64 calls;                  /* every attempt (none in flight) */
  guint64 errors;                 /* status neither "ok", "interrupted" nor "cancelled" */
  guint64 interrupted;            /* status "interrupted": tokens and cost estimated */
  guint64 cancelled;              /* status "cancelled": stopped by the person */
  guint64 estimated;              /* status "ok", tokens and cost estimated: the
                                   * provider reported no usage */
  guint64 input_tokens;
  guint64 output_tokens;
  guint64 cached_input_tokens;
  guint64 cache_write_tokens;
  guint64 reasoning_tokens;
  double  cost_usd;               /* of rows with a known price */
  guint64 unknown_price_calls;    /* rows whose price was unknown */
  double  cache_savings_usd;
  double  error_rate;             /* errors / calls; 0 without calls */
  gint64  latency_p50_us;
  gint64  latency_p95_us;
} ByokUsageTotals;

typedef enum {
  BYOK_USAGE_BUCKET_DAY,          /* local days, "YYYY-MM-DD" */
  BYOK_USAGE_BUCKET_MONTH,        /* local months, "YYYY-MM" */
} ByokUsageBucket;

typedef struct {
  char            *provider;      /* NULL in by_bucket */
  char            *model;         /* set in by_model only */
  char            *bucket;        /* "YYYY-MM-DD"/"YYYY-MM" in by_bucket and by_provider_bucket */
  gint64           start_us;      /* the bucket, clipped to the period; */
  gint64           end_us;        /*   the period for other groups */
  ByokUsageTotals  totals;
} ByokUsageGroup;

void byok_usage_group_free (ByokUsageGroup *group);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokUsageGroup, byok_usage_group_free)

/* Everything the dashboard shows for one period, from one pass. */
typedef struct {
  gint64           from_us;
  gint64           to_us;
  ByokUsageBucket  bucket;
  ByokUsageTotals  totals;
  GPtrArray       *by_bucket;           /* every bucket of the period, empty ones too, oldest first */
  GPtrArray       *by_provider;         /* most expensive first, then most calls, then name */
  GPtrArray       *by_model;            /* (provider, model), same order */
  GPtrArray       *by_provider_bucket;  /* non-empty (provider, bucket) pairs, by bucket then provider */
} ByokUsageReport;

void byok_usage_report_free (ByokUsageReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokUsageReport, byok_usage_report_free)

typedef enum {
  BYOK_USAGE_PERIOD_TODAY,
  BYOK_USAGE_PERIOD_LAST_7_DAYS,     /* today and the 6 days before */
  BYOK_USAGE_PERIOD_LAST_30_DAYS,    /* today and the 29 days before */
  BYOK_USAGE_PERIOD_THIS_MONTH,      /* the whole calendar month */
  BYOK_USAGE_PERIOD_LAST_12_MONTHS,  /* this month and the 11 before, by month */
} ByokUsagePeriod;

ByokUsageBucket byok_usage_period_get_range (ByokUsagePeriod  period,
                                             GDateTime       *now,
                                             gint64          *from_us,
                                             gint64          *to_us);

#define BYOK_BUDGET_SCOPE_ALL "all"

typedef struct {
  char     *scope;                /* "all" or a provider id */
  double    monthly_usd;
  gboolean  hard_stop;
  int       last_alert_percent;   /* 0, 50, 80 or 100 in alert_month */
  char     *alert_month;          /* "YYYY-MM" or NULL */
} ByokBudget;

void byok_budget_free (ByokBudget *budget);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokBudget, byok_budget_free)

/* The user's price for one model: USD per million tokens, NAN when
 * unknown (BYOK_PRICE_UNKNOWN of byok-pricing.h; stored as NULL). */
typedef struct {
  char   *provider;
  char   *model;
  double  input;
  double  cached_input;
  double  cache_write;
  double  output;
  char   *tiers_json;             /* nullable: prices above a prompt size, opaque JSON for ByokPricing */
  gint64  updated_us;             /* set by the store */
} ByokPriceOverride;

void byok_price_override_free (ByokPriceOverride *price);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokPriceOverride, byok_price_override_free)

typedef struct {
  gint64  id;
  gint64  time_us;
  char   *provider;
  char   *account;                /* nullable */
  char   *event;                  /* "added", "replaced", "tested", "deleted" */
  char   *result;                 /* nullable: "ok" or an error class */
  char   *detail;                 /* nullable, never a key */
} ByokKeyEventRecord;

void byok_key_event_record_free (ByokKeyEventRecord *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokKeyEventRecord, byok_key_event_record_free)

typedef enum {
  BYOK_USAGE_EXPORT_CSV,          /* RFC 4180, CRLF, a header row */
  BYOK_USAGE_EXPORT_JSON,         /* an array of objects */
} ByokUsageExportFormat;

#define BYOK_TYPE_USAGE_STORE (byok_usage_store_get_type ())
G_DECLARE_FINAL_TYPE (ByokUsageStore, byok_usage_store, BYOK, USAGE_STORE, GObject)

ByokUsageStore  *byok_usage_store_new               (ByokDatabase           *database);
ByokDatabase    *byok_usage_store_get_database      (ByokUsageStore         *self);

gint64           byok_usage_store_record            (ByokUsageStore         *self,
                                                     const ByokUsageRecord  *record,
                                                     GError                **error);
gboolean         byok_usage_store_set_conversation  (ByokUsageStore         *self,
                                                     const gint64           *ids,
                                                     guint                   n_ids,
                                                     gint64                  conversation_id,
                                                     GError                **error);
gint64           byok_usage_store_begin_call        (ByokUsageStore         *self,
                                                     const ByokUsageRecord  *record,
                                                     const char             *owner,
                                                     GError                **error);
gboolean         byok_usage_store_finish_call       (ByokUsageStore         *self,
                                                     gint64                  id,
                                                     const ByokUsageRecord  *record,
                                                     GError                **error);
GStrv            byok_usage_store_list_call_owners  (ByokUsageStore         *self,
                                                     GError                **error);
guint            byok_usage_store_interrupt_calls   (ByokUsageStore         *self,
                                                     const char             *owner,
                                                     GError                **error);
guint            byok_usage_store_interrupt_dead_calls (ByokUsageStore      *self,
                                                        GError             **error);
GPtrArray       *byok_usage_store_list_recent       (ByokUsageStore         *self,
                                                     guint                   limit,
                                                     GError                **error);

ByokUsageReport *byok_usage_store_report            (ByokUsageStore         *self,
                                                     gint64                  from_us,
                                                     gint64                  to_us,
                                                     ByokUsageBucket         bucket,
                                                     GCancellable           *cancellable,
                                                     GError                **error);
void             byok_usage_store_report_async      (ByokUsageStore         *self,
                                                     gint64                  from_us,
                                                     gint64                  to_us,
                                                     ByokUsageBucket         bucket,
                                                     GCancellable           *cancellable,
                                                     GAsyncReadyCallback     callback,
                                                     gpointer                user_data);
ByokUsageReport *byok_usage_store_report_finish     (ByokUsageStore         *self,
                                                     GAsyncResult           *result,
                                                     GError                **error);

double           byok_usage_store_month_spend       (ByokUsageStore         *self,
                                                     const char             *provider,
                                                     int                     year,
                                                     int                     month,
                                                     GError                **error);

ByokBudget      *byok_usage_store_get_budget        (ByokUsageStore         *self,
                                                     const char             *scope,
                                                     GError                **error);
GPtrArray       *byok_usage_store_list_budgets      (ByokUsageStore         *self,
                                                     GError                **error);
gboolean         byok_usage_store_set_budget        (ByokUsageStore         *self,
                                                     const char             *scope,
                                                     double                  monthly_usd,
                                                     gboolean                hard_stop,
                                                     GError                **error);
gboolean         byok_usage_store_clear_budget      (ByokUsageStore         *self,
                                                     const char             *scope,
                                                     GError                **error);
gboolean         byok_usage_store_get_budget_stops  (ByokUsageStore         *self,
                                                     const char             *provider,
                                                     GError                **error);
gboolean         byok_usage_store_check_budget      (ByokUsageStore         *self,
                                                     const char             *provider,
                                                     guint                  *percent_crossed,
                                                     char                  **crossed_scope,
                                                     GError                **error);

GPtrArray       *byok_usage_store_load_price_overrides (ByokUsageStore      *self,
                                                        GError             **error);
gboolean         byok_usage_store_set_price_override   (ByokUsageStore      *self,
                                                        const ByokPriceOverride *price,
                                                        GError             **error);
gboolean         byok_usage_store_clear_price_override (ByokUsageStore      *self,
                                                        const char          *provider,
                                                        const char          *model,
                                                        GError             **error);

gint64           byok_usage_store_add_key_event     (ByokUsageStore         *self,
                                                     const char             *provider,
                                                     const char             *account,
                                                     const char             *event,
                                                     const char             *result,
                                                     const char             *detail,
                                                     GError                **error);
GPtrArray       *byok_usage_store_list_key_events   (ByokUsageStore         *self,
                                                     const char             *provider,
                                                     guint                   limit,
                                                     GError                **error);

gboolean         byok_usage_store_export            (ByokUsageStore         *self,
                                                     gint64                  from_us,
                                                     gint64                  to_us,
                                                     ByokUsageExportFormat   format,
                                                     GOutputStream          *stream,
                                                     GCancellable           *cancellable,
                                                     GError                **error);
void             byok_usage_store_export_async      (ByokUsageStore         *self,
                                                     gint64                  from_us,
                                                     gint64                  to_us,
                                                     ByokUsageExportFormat   format,
                                                     GFile                  *file,
                                                     GCancellable           *cancellable,
                                                     GAsyncReadyCallback     callback,
                                                     gpointer                user_data);
gboolean         byok_usage_store_export_finish     (ByokUsageStore         *self,
                                                     GAsyncResult           *result,
                                                     GError                **error);

/* What Byok recorded for a provider on one UTC day, beside its bill. */
typedef struct {
  double  cost_usd;               /* calls with a known price */
  guint64 unknown_price_calls;    /* calls Byok could not price */
  guint64 calls;
  guint64 estimated_calls;        /* tokens estimated (no report, interrupted) */
  double  estimated_usd;          /* their part of cost_usd */
  guint64 interrupted_calls;
} ByokUsageDayCost;

/* Calls Byok could not price, of one model on one UTC day, with their tokens. */
typedef struct {
  char    *day;                   /* "YYYY-MM-DD" */
  char    *model;
  guint64  calls;
  gint64   input_tokens;
  gint64   cached_tokens;
  gint64   cache_write_tokens;
  gint64   output_tokens;
} ByokUsageUnpriced;

void        byok_usage_unpriced_free          (ByokUsageUnpriced *unpriced);
GPtrArray  *byok_usage_store_unpriced_by_utc_day (ByokUsageStore  *self,
                                                  const char      *provider,
                                                  gint64           from_us,
                                                  gint64           to_us,
                                                  GError         **error);

GHashTable *byok_usage_store_cost_by_utc_day (ByokUsageStore  *self,
                                              const char      *provider,
                                              gint64           from_us,
                                              gint64           to_us,
                                              GError         **error);

G_END_DECLS
