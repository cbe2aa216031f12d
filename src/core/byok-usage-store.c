/* byok-usage-store.c — one row per call and the aggregates the dashboard reads */
#define G_LOG_DOMAIN "byok-usage"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "byok-error.h"
#include "byok-file.h"
#include "byok-process-lock.h"
#include "byok-usage-store.h"
#include "byok-usage-rollup.h"

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

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (ByokUsageStore, byok_usage_store, G_TYPE_OBJECT)

/* The columns of `usage`, in export order, as read by record_from_stmt(). */
#define USAGE_COLUMNS \
  "id, time, provider, model, conversation_id, input_tokens, output_tokens, " \
  "cached_input_tokens, cache_write_tokens, reasoning_tokens, cost_usd, " \
  "price_known, cache_savings_usd, latency_us, ttft_us, status, http_status, " \
  "is_retry, is_fallback, attempt, estimated"

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
  N_COLS
};

static const char * const column_names[N_COLS] = {
  "id", "time", "provider", "model", "conversation_id", "input_tokens",
  "output_tokens", "cached_input_tokens", "cache_write_tokens",
  "reasoning_tokens", "cost_usd", "price_known", "cache_savings_usd",
  "latency_us", "ttft_us", "status", "http_status", "is_retry",
  "is_fallback", "attempt", "estimated",
};

/* ---------------------------------------------------------------------- */
/* Plain structs                                                          */

ByokUsageRecord *
byok_usage_record_new (void)
{
  ByokUsageRecord *record = g_new0 (ByokUsageRecord, 1);

  record->ttft_us = -1;
  record->attempt = 1;
  return record;
}

ByokUsageRecord *
byok_usage_record_copy (const ByokUsageRecord *record)
{
  ByokUsageRecord *copy;

  g_return_val_if_fail (record != NULL, NULL);

  copy = g_memdup2 (record, sizeof *record);
  copy->provider = g_strdup (record->provider);
  copy->model = g_strdup (record->model);
  copy->status = g_strdup (record->status);
  return copy;
}

void
byok_usage_record_free (ByokUsageRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->provider);
  g_free (record->model);
  g_free (record->status);
  g_free (record);
}

G_DEFINE_BOXED_TYPE (ByokUsageRecord, byok_usage_record,
                     byok_usage_record_copy, byok_usage_record_free)

void
byok_usage_group_free (ByokUsageGroup *group)
{
  if (group == NULL)
    return;
  g_free (group->provider);
  g_free (group->model);
  g_free (group->bucket);
  g_free (group);
}

void
byok_usage_report_free (ByokUsageReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->by_bucket, g_ptr_array_unref);
  g_clear_pointer (&report->by_provider, g_ptr_array_unref);
  g_clear_pointer (&report->by_model, g_ptr_array_unref);
  g_clear_pointer (&report->by_provider_bucket, g_ptr_array_unref);
  g_free (report);
}

void
byok_budget_free (ByokBudget *budget)
{
  if (budget == NULL)
    return;
  g_free (budget->scope);
  g_free (budget->alert_month);
  g_free (budget);
}

void
byok_price_override_free (ByokPriceOverride *price)
{
  if (price == NULL)
    return;
  g_free (price->provider);
  g_free (price->model);
  g_free (price->tiers_json);
  g_free (price);
}

void
byok_key_event_record_free (ByokKeyEventRecord *event)
{
  if (event == NULL)
    return;
  g_free (event->provider);
  g_free (event->account);
  g_free (event->event);
  g_free (event->result);
  g_free (event->detail);
  g_free (event);
}

/* ---------------------------------------------------------------------- */
/* Small helpers                                                          */

static char *
column_strdup (sqlite3_stmt *stmt,
               int           col)
{
  const unsigned char *text = sqlite3_column_text (stmt, col);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static GDateTime *
local_from_us (gint64 us)
{
  gint64 secs = us / G_USEC_PER_SEC;
  gint64 rest = us % G_USEC_PER_SEC;
  g_autoptr(GDateTime) local = NULL;

  if (rest < 0)
    {
      secs -= 1;
      rest += G_USEC_PER_SEC;
    }
  local = g_date_time_new_from_unix_local (secs);
  if (local == NULL)
    return NULL;
  return g_date_time_add (local, rest);
}

/* Local midnight (or the 1st of the month) of a date, in unix µs. */
static gint64
local_start_us (int year,
                int month,
                int day)
{
  /* The same days as the rollup's. */
  return byok_usage_local_midnight_us (year, month, day);
}

static void
shift_month (int *year,
             int *month,
             int  delta)
{
  int index = *year * 12 + (*month - 1) + delta;

  *year = index / 12;
  *month = index % 12 + 1;
}

static void
shift_day (int *year,
           int *month,
           int *day,
           int  delta)
{
  g_autoptr(GDate) date = g_date_new_dmy (*day, *month, *year);

  if (delta > 0)
    g_date_add_days (date, delta);
  else if (delta < 0)
    g_date_subtract_days (date, -delta);
  *year = g_date_get_year (date);
  *month = g_date_get_month (date);
  *day = g_date_get_day (date);
}

/**
 * byok_usage_period_get_range:
 * @period: which period
 * @now: (nullable): the moment to count from; %NULL for now
 * @from_us: (out): the first local midnight of the period
 * @to_us: (out): the local midnight (or 1st of the month) after it; periods
 *   end at the end of today, not at @now
 *
 * Returns: the natural bucket to chart the period by
 */
ByokUsageBucket
byok_usage_period_get_range (ByokUsagePeriod  period,
                             GDateTime       *now,
                             gint64          *from_us,
                             gint64          *to_us)
{
  g_autoptr(GDateTime) local = NULL;
  int y, m, d;
  int y2, m2, d2;
  ByokUsageBucket bucket = BYOK_USAGE_BUCKET_DAY;

  g_return_val_if_fail (from_us != NULL && to_us != NULL, BYOK_USAGE_BUCKET_DAY);

  local = now != NULL ? g_date_time_to_local (now) : g_date_time_new_now_local ();
  g_date_time_get_ymd (local, &y, &m, &d);
  y2 = y; m2 = m; d2 = d;

  switch (period)
    {
    case BYOK_USAGE_PERIOD_TODAY:
    case BYOK_USAGE_PERIOD_LAST_7_DAYS:
    case BYOK_USAGE_PERIOD_LAST_30_DAYS:
      shift_day (&y2, &m2, &d2, 1);
      *to_us = local_start_us (y2, m2, d2);
      if (period == BYOK_USAGE_PERIOD_LAST_7_DAYS)
        shift_day (&y, &m, &d, -6);
      else if (period == BYOK_USAGE_PERIOD_LAST_30_DAYS)
        shift_day (&y, &m, &d, -29);
      *from_us = local_start_us (y, m, d);
      break;

    case BYOK_USAGE_PERIOD_THIS_MONTH:
    case BYOK_USAGE_PERIOD_LAST_12_MONTHS:
      shift_month (&y2, &m2, 1);
      *to_us = local_start_us (y2, m2, 1);
      if (period == BYOK_USAGE_PERIOD_LAST_12_MONTHS)
        {
          shift_month (&y, &m, -11);
          bucket = BYOK_USAGE_BUCKET_MONTH;
        }
      *from_us = local_start_us (y, m, 1);
      break;

    default:
      g_return_val_if_reached (BYOK_USAGE_BUCKET_DAY);
    }

  return bucket;
}

static void
spend_cache_add (SpendCache *cache,
                 const char *provider,
                 double      cost)
{
  double *value = g_hash_table_lookup (cache->by_provider, provider);

  if (value == NULL)
    {
      value = g_new0 (double, 1);
      g_hash_table_insert (cache->by_provider, g_strdup (provider), value);
    }
  *value += cost;
  cache->all += cost;
}

/* After our own write to usage or budgets, which the cache already
 * reflects: @changes_before is sqlite3_total_changes64() before it. */
static void
spend_cache_advance (ByokUsageStore *self,
                     gint64          changes_before)
{
  sqlite3 *db = byok_database_get_handle (self->database);

  if (self->spend.valid && self->spend.total_changes == changes_before)
    self->spend.total_changes = sqlite3_total_changes64 (db);
}

/* ---------------------------------------------------------------------- */
/* Recording                                                              */

static const char insert_sql[] =
  "INSERT INTO usage (time, provider, model, conversation_id, input_tokens, "
  "output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens, "
  "cost_usd, price_known, cache_savings_usd, latency_us, ttft_us, status, "
  "http_status, is_retry, is_fallback, attempt, estimated, owner) "
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
  "?16, ?17, ?18, ?19, ?20, ?21)";

/* A call in flight ends: every column as the insert binds them. */
static const char finish_sql[] =
  "UPDATE usage SET time = ?1, provider = ?2, model = ?3, conversation_id = ?4, "
  "input_tokens = ?5, output_tokens = ?6, cached_input_tokens = ?7, "
  "cache_write_tokens = ?8, reasoning_tokens = ?9, cost_usd = ?10, "
  "price_known = ?11, cache_savings_usd = ?12, latency_us = ?13, ttft_us = ?14, "
  "status = ?15, http_status = ?16, is_retry = ?17, is_fallback = ?18, "
  "attempt = ?19, estimated = ?20, owner = NULL "
  "WHERE id = ?22 AND (?23 = 0 OR status = 'in_flight')";

static gboolean
valid_record (const ByokUsageRecord  *record,
              GError                **error)
{
  if (record->provider == NULL || *record->provider == '\0' ||
      record->model == NULL || *record->model == '\0')
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("A usage record needs a provider and a model. This is a bug in Byok; please report it."));
      return FALSE;
    }
  if ((record->price_known && !isfinite (record->cost_usd)) ||
      !isfinite (record->cache_savings_usd))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("A usage record has a cost that is not a number. This is a bug in Byok; please report it."));
      return FALSE;
    }
  return TRUE;
}

/* Binds @record to the statement of insert_sql or finish_sql (all but
 * the owner). */
static void
bind_record (sqlite3_stmt          *stmt,
             const ByokUsageRecord *record,
             gint64                 time_us)
{
  sqlite3_bind_int64 (stmt, 1, time_us);
  sqlite3_bind_text (stmt, 2, record->provider, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, record->model, -1, SQLITE_TRANSIENT);
  if (record->conversation_id > 0)
    sqlite3_bind_int64 (stmt, 4, record->conversation_id);
  else
    sqlite3_bind_null (stmt, 4);
  sqlite3_bind_int64 (stmt, 5, record->input_tokens);
  sqlite3_bind_int64 (stmt, 6, record->output_tokens);
  sqlite3_bind_int64 (stmt, 7, record->cached_input_tokens);
  sqlite3_bind_int64 (stmt, 8, record->cache_write_tokens);
  sqlite3_bind_int64 (stmt, 9, record->reasoning_tokens);
  if (record->price_known)
    sqlite3_bind_double (stmt, 10, record->cost_usd);
  else
    sqlite3_bind_null (stmt, 10);
  sqlite3_bind_int (stmt, 11, record->price_known ? 1 : 0);
  sqlite3_bind_double (stmt, 12, record->cache_savings_usd);
  sqlite3_bind_int64 (stmt, 13, record->latency_us);
  if (record->ttft_us >= 0)
    sqlite3_bind_int64 (stmt, 14, record->ttft_us);
  else
    sqlite3_bind_null (stmt, 14);
  /* One lower-case form: "ok", "auth", "rate_limit", … */
  sqlite3_bind_text (stmt, 15, g_ascii_strdown (record->status != NULL ? record->status : "ok", -1), -1, g_free);
  if (record->http_status > 0)
    sqlite3_bind_int (stmt, 16, record->http_status);
  else
    sqlite3_bind_null (stmt, 16);
  sqlite3_bind_int (stmt, 17, record->is_retry ? 1 : 0);
  sqlite3_bind_int (stmt, 18, record->is_fallback ? 1 : 0);
  sqlite3_bind_int (stmt, 19, MAX (record->attempt, 1));
  sqlite3_bind_int (stmt, 20, record->estimated ? 1 : 0);
}

/**
 * byok_usage_store_record:
 * @record: the call; its strings are copied
 *
 * Inserts one row in its own transaction, committed before this returns
 * (so it survives a crash of the process), then emits "changed". The
 * rollup's trigger adds the call to its day in the same transaction. Tens
 * of microseconds: fine on the main loop. Not for use inside another
 * transaction on the same database.
 *
 * Returns: the id of the new row, or 0 with @error set
 */
/* Inserts @record in its own transaction; @status and @owner, when set,
 * replace the record's. */
static gint64
insert_row (ByokUsageStore         *self,
            const ByokUsageRecord  *record,
            gint64                  time_us,
            const char             *status,
            const char             *owner,
            const char             *what,
            GError                **error)
{
  sqlite3 *db = byok_database_get_handle (self->database);
  sqlite3_stmt *stmt;
  gint64 id;
  int rc;

  stmt = byok_database_prepare_cached (self->database, insert_sql, error);
  if (stmt == NULL)
    return 0;
  if (!byok_database_begin (self->database, error))
    return 0;

  bind_record (stmt, record, time_us);
  if (status != NULL)
    sqlite3_bind_text (stmt, 15, status, -1, SQLITE_STATIC);
  bind_text_or_null (stmt, 21, owner);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      byok_database_set_error (error, db, rc, what);
      sqlite3_reset (stmt);
      byok_database_rollback (self->database);
      return 0;
    }
  id = sqlite3_last_insert_rowid (db);
  sqlite3_reset (stmt);

  if (!byok_database_commit (self->database, error))
    {
      byok_database_rollback (self->database);
      return 0;
    }
  return id;
}

/* After our own write of a finished call at @time_us: the cache of this
 * month's spending takes its cost. */
static void
spend_cache_take (ByokUsageStore        *self,
                  const ByokUsageRecord *record,
                  gint64                 time_us,
                  gint64                 changes_before)
{
  if (self->spend.valid && self->spend.total_changes == changes_before)
    {
      if (record->price_known && time_us >= self->spend.from_us && time_us < self->spend.to_us)
        spend_cache_add (&self->spend, record->provider, record->cost_usd);
      spend_cache_advance (self, changes_before);
    }
}

/**
 * byok_usage_store_record:
 * @record: the call; its strings are copied
 *
 * Inserts one row in its own transaction, committed before this returns
 * (so it survives a crash of the process), then emits "changed". The
 * rollup's trigger adds the call to its day in the same transaction. Tens
 * of microseconds: fine on the main loop. Not for use inside another
 * transaction on the same database.
 *
 * Returns: the id of the new row, or 0 with @error set
 */
gint64
byok_usage_store_record (ByokUsageStore         *self,
                         const ByokUsageRecord  *record,
                         GError                **error)
{
  sqlite3 *db;
  gint64 id, time_us, changes_before;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), 0);
  g_return_val_if_fail (record != NULL, 0);

  if (!valid_record (record, error))
    return 0;

  db = byok_database_get_handle (self->database);
  changes_before = sqlite3_total_changes64 (db);
  time_us = record->time_us != 0 ? record->time_us : g_get_real_time ();
  id = insert_row (self, record, time_us, NULL, NULL, _("Could not record the call"), error);
  if (id <= 0)
    return 0;

  spend_cache_take (self, record, time_us, changes_before);
  g_signal_emit (self, signals[CHANGED], 0);
  return id;
}

/**
 * byok_usage_store_begin_call:
 * @record: the attempt as it is sent: its provider, model, conversation
 *   and attempt number, Byok's estimate of its tokens and cost (set
 *   @record->estimated); its status is ignored
 * @owner: the id of this process's lock (byok-process-lock.h), so that a
 *   later Byok can tell whether the call's process is still alive
 *
 * Writes the row of a call whose request is about to be sent, status
 * "in_flight", committed before this returns. It is in no report until
 * byok_usage_store_finish_call() completes it, or, if this process dies
 * first, until the next start marks it interrupted. Byok sends no call
 * it could not write this way.
 *
 * Returns: the id of the row, or 0 with a BYOK_ERROR_STORAGE error that
 *   says the call was not sent
 */
gint64
byok_usage_store_begin_call (ByokUsageStore         *self,
                             const ByokUsageRecord  *record,
                             const char             *owner,
                             GError                **error)
{
  sqlite3 *db;
  gint64 id, changes_before;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), 0);
  g_return_val_if_fail (record != NULL, 0);
  g_return_val_if_fail (owner != NULL, 0);

  if (!valid_record (record, error))
    return 0;

  db = byok_database_get_handle (self->database);
  changes_before = sqlite3_total_changes64 (db);
  id = insert_row (self, record, record->time_us != 0 ? record->time_us : g_get_real_time (),
                   BYOK_USAGE_STATUS_IN_FLIGHT, owner,
                   _("Not sent: Byok could not record the call in its database"), error);
  if (id > 0)
    spend_cache_advance (self, changes_before);  /* nothing spent yet */
  return id;
}

/**
 * byok_usage_store_finish_call:
 * @id: the row byok_usage_store_begin_call() wrote
 * @record: the call as it ended (keep the time it was begun with);
 *   BYOK_USAGE_STATUS_INTERRUPTED with estimates for a call this process
 *   gives up on
 *
 * Completes the row of a call in flight, in its own transaction, and
 * emits "changed": from now on it counts. A row that is gone is written
 * anew.
 *
 * Returns: FALSE with @error set when nothing could be written
 */
gboolean
byok_usage_store_finish_call (ByokUsageStore         *self,
                              gint64                  id,
                              const ByokUsageRecord  *record,
                              GError                **error)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  gint64 time_us, changes_before;
  gboolean in_flight = TRUE;
  gboolean found = FALSE;
  int rc;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), FALSE);
  g_return_val_if_fail (record != NULL, FALSE);

  if (!valid_record (record, error))
    return FALSE;

  db = byok_database_get_handle (self->database);
  changes_before = sqlite3_total_changes64 (db);
  time_us = record->time_us != 0 ? record->time_us : g_get_real_time ();
  stmt = byok_database_prepare_cached (self->database, finish_sql, error);
  if (stmt == NULL || !byok_database_begin (self->database, error))
    return FALSE;

  /* Normally the row is in flight. If another Byok took this process for
   * dead and marked it interrupted, the call's end is still the truth. */
  for (int pass = 0; pass < 2; pass++)
    {
      bind_record (stmt, record, time_us);
      sqlite3_bind_int64 (stmt, 22, id);
      sqlite3_bind_int (stmt, 23, pass == 0);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          byok_database_set_error (error, db, rc, _("Could not record the call"));
          byok_database_rollback (self->database);
          return FALSE;
        }
      found = sqlite3_changes (db) > 0;
      if (found)
        break;
      in_flight = FALSE;
    }
  if (!byok_database_commit (self->database, error))
    {
      byok_database_rollback (self->database);
      return FALSE;
    }

  if (!found &&
      insert_row (self, record, time_us, NULL, NULL, _("Could not record the call"), error) <= 0)
    return FALSE;
  if (in_flight)
    spend_cache_take (self, record, time_us, changes_before);
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

/**
 * byok_usage_store_list_call_owners:
 *
 * Returns: (transfer full): the owners (process lock ids) of the calls in
 *   flight, each once; "" for rows without one; %NULL with @error set
 */
GStrv
byok_usage_store_list_call_owners (ByokUsageStore  *self,
                                   GError         **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), NULL);

  stmt = byok_database_prepare_cached (self->database,
                                       "SELECT DISTINCT coalesce (owner, '') FROM usage "
                                       "WHERE status = 'in_flight'",
                                       error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      byok_database_set_error (error, byok_database_get_handle (self->database), rc,
                               _("Could not read the usage history"));
      return NULL;
    }
  return g_strv_builder_end (builder);
}

/**
 * byok_usage_store_interrupt_calls:
 * @owner: a process lock id; "" for rows without one
 *
 * The process @owner is gone with calls in flight: they never ended, and
 * are marked interrupted, keeping the estimates they were begun with.
 * Emits "changed" when there were any.
 *
 * Returns: how many calls were marked; 0 with @error set on failure
 */
guint
byok_usage_store_interrupt_calls (ByokUsageStore  *self,
                                  const char      *owner,
                                  GError         **error)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  guint n;
  int rc;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), 0);
  g_return_val_if_fail (owner != NULL, 0);

  db = byok_database_get_handle (self->database);
  stmt = byok_database_prepare_cached (self->database,
                                       "UPDATE usage SET status = 'interrupted', owner = NULL "
                                       "WHERE status = 'in_flight' AND coalesce (owner, '') = ?1",
                                       error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, owner, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      byok_database_set_error (error, db, rc, _("Could not mark the calls of a closed Byok as interrupted"));
      return 0;
    }
  n = sqlite3_changes (db);
  if (n > 0)
    {
      g_debug ("%u calls of %s were interrupted", n, *owner != '\0' ? owner : "(no owner)");
      g_signal_emit (self, signals[CHANGED], 0);
    }
  return n;
}

/**
 * byok_usage_store_set_conversation:
 * @ids: (array length=n_ids): usage rows
 * @conversation_id: the conversation they belong to now
 *
 * Files calls made outside a conversation (a column of Compare) under the
 * conversation that goes on from their answer, in one transaction. The
 * sums of the days do not change.
 *
 * Returns: %FALSE with @error set (nothing changed)
 */
gboolean
byok_usage_store_set_conversation (ByokUsageStore  *self,
                                   const gint64    *ids,
                                   guint            n_ids,
                                   gint64           conversation_id,
                                   GError         **error)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);
  g_return_val_if_fail (conversation_id > 0, FALSE);

  if (n_ids == 0)
    return TRUE;
  db = byok_database_get_handle (self->database);
  stmt = byok_database_prepare_cached (self->database,
                                       "UPDATE usage SET conversation_id = ?2 WHERE id = ?1", error);
  if (stmt == NULL || !byok_database_begin (self->database, error))
    return FALSE;
  for (guint i = 0; i < n_ids; i++)
    {
      int rc;

      sqlite3_bind_int64 (stmt, 1, ids[i]);
      sqlite3_bind_int64 (stmt, 2, conversation_id);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          byok_database_set_error (error, db, rc, _("Could not file the calls under the conversation"));
          byok_database_rollback (self->database);
          return FALSE;
        }
    }
  if (!byok_database_commit (self->database, error))
    {
      byok_database_rollback (self->database);
      return FALSE;
    }
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

static ByokUsageRecord *
record_from_stmt (sqlite3_stmt *stmt)
{
  ByokUsageRecord *record = byok_usage_record_new ();

  record->id = sqlite3_column_int64 (stmt, COL_ID);
  record->time_us = sqlite3_column_int64 (stmt, COL_TIME);
  record->provider = column_strdup (stmt, COL_PROVIDER);
  record->model = column_strdup (stmt, COL_MODEL);
  record->conversation_id = sqlite3_column_int64 (stmt, COL_CONVERSATION_ID);
  record->input_tokens = sqlite3_column_int64 (stmt, COL_INPUT_TOKENS);
  record->output_tokens = sqlite3_column_int64 (stmt, COL_OUTPUT_TOKENS);
  record->cached_input_tokens = sqlite3_column_int64 (stmt, COL_CACHED_INPUT_TOKENS);
  record->cache_write_tokens = sqlite3_column_int64 (stmt, COL_CACHE_WRITE_TOKENS);
  record->reasoning_tokens = sqlite3_column_int64 (stmt, COL_REASONING_TOKENS);
  record->price_known = sqlite3_column_type (stmt, COL_COST_USD) != SQLITE_NULL &&
                        sqlite3_column_int (stmt, COL_PRICE_KNOWN) != 0;
  record->cost_usd = sqlite3_column_double (stmt, COL_COST_USD);
  record->cache_savings_usd = sqlite3_column_double (stmt, COL_CACHE_SAVINGS_USD);
  record->latency_us = sqlite3_column_int64 (stmt, COL_LATENCY_US);
  record->ttft_us = sqlite3_column_type (stmt, COL_TTFT_US) == SQLITE_NULL
                    ? -1 : sqlite3_column_int64 (stmt, COL_TTFT_US);
  record->status = column_strdup (stmt, COL_STATUS);
  record->http_status = sqlite3_column_int (stmt, COL_HTTP_STATUS);
  record->is_retry = sqlite3_column_int (stmt, COL_IS_RETRY) != 0;
  record->is_fallback = sqlite3_column_int (stmt, COL_IS_FALLBACK) != 0;
  record->attempt = sqlite3_column_int (stmt, COL_ATTEMPT);
  record->estimated = sqlite3_column_int (stmt, COL_ESTIMATED) != 0;
  return record;
}

/**
 * byok_usage_store_list_recent:
 * @limit: at most this many rows
 *
 * Returns: (transfer container) (element-type ByokUsageRecord): the
 *   latest calls, newest first, or %NULL with @error set
 */
/**
 * byok_usage_store_interrupt_dead_calls:
 *
 * At the start of a Byok (the app, byok-cli): calls left in flight by a
 * process that is gone (killed, crashed, the power cut) never ended; they
 * become interrupted. Those of a process still running — its lock held,
 * byok-process-lock.h — are left alone. Lock files of processes that
 * ended are removed.
 *
 * Returns: how many calls were marked; 0 with @error set on failure
 */
guint
byok_usage_store_interrupt_dead_calls (ByokUsageStore  *self,
                                       GError         **error)
{
  g_autofree char *dir = NULL;
  g_auto(GStrv) owners = NULL;
  g_auto(GStrv) dead = NULL;
  guint n = 0;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), 0);

  dir = byok_database_dup_lock_dir (self->database);
  if (dir == NULL)
    return 0;
  owners = byok_usage_store_list_call_owners (self, error);
  if (owners == NULL)
    return 0;
  for (guint i = 0; owners[i] != NULL; i++)
    {
      GError *local_error = NULL;

      if (*owners[i] != '\0' && byok_process_lock_is_alive (dir, owners[i]))
        continue;
      n += byok_usage_store_interrupt_calls (self, owners[i], &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return 0;
        }
      if (*owners[i] != '\0')
        byok_process_lock_remove (dir, owners[i]);
    }
  dead = byok_process_lock_list_dead (dir);
  for (guint i = 0; dead[i] != NULL; i++)
    byok_process_lock_remove (dir, dead[i]);
  return n;
}

GPtrArray *
byok_usage_store_list_recent (ByokUsageStore  *self,
                              guint            limit,
                              GError         **error)
{
  g_autoptr(GPtrArray) records = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), NULL);

  stmt = byok_database_prepare_cached (self->database,
                                       "SELECT " USAGE_COLUMNS " FROM usage "
                                       "ORDER BY time DESC, id DESC LIMIT ?1",
                                       error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, limit);
  records = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_usage_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (records, record_from_stmt (stmt));
  if (rc != SQLITE_DONE)
    {
      byok_database_set_error (error, byok_database_get_handle (self->database), rc,
                               _("Could not read the usage history"));
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&records);
}

/* ---------------------------------------------------------------------- */
/* Reports                                                                */

typedef struct {
  ByokUsageGroup       *group;
  GArray               *latencies;   /* gint64 of ok rows; NULL: not tracked */
  ByokLatencyHistogram *histogram;   /* of rollup cells, when any was added */
} Acc;

typedef struct {
  Acc          acc;
  GHashTable  *models;           /* model → Acc */
  Acc        **per_bucket;       /* n_buckets, created on first use */
} ProviderAcc;

typedef struct {
  guint             n_buckets;
  gint64           *starts;      /* n_buckets + 1: the last is to_us */
  Acc               totals;
  Acc              *buckets;     /* n_buckets */
  GHashTable       *providers;   /* provider → ProviderAcc */
  ByokLatencyEntry *entries;     /* room to decode a cell's histogram */
} ReportBuilder;

static ByokUsageGroup *
group_new (const char *provider,
           const char *model,
           const char *bucket,
           gint64      start_us,
           gint64      end_us)
{
  ByokUsageGroup *group = g_new0 (ByokUsageGroup, 1);

  group->provider = g_strdup (provider);
  group->model = g_strdup (model);
  group->bucket = g_strdup (bucket);
  group->start_us = start_us;
  group->end_us = end_us;
  group->totals.latency_p50_us = -1;
  group->totals.latency_p95_us = -1;
  return group;
}

static void
acc_init (Acc            *acc,
          ByokUsageGroup *group,
          gboolean        with_latencies)
{
  acc->group = group;
  acc->latencies = with_latencies ? g_array_new (FALSE, FALSE, sizeof (gint64)) : NULL;
}

static void
acc_clear (Acc *acc)
{
  g_clear_pointer (&acc->group, byok_usage_group_free);
  g_clear_pointer (&acc->latencies, g_array_unref);
  g_clear_pointer (&acc->histogram, g_free);
}

static Acc *
acc_new (ByokUsageGroup *group,
         gboolean        with_latencies)
{
  Acc *acc = g_new0 (Acc, 1);

  acc_init (acc, group, with_latencies);
  return acc;
}

static void
acc_free (Acc *acc)
{
  acc_clear (acc);
  g_free (acc);
}

/* The k-th smallest of a[0..n) (quickselect; reorders a). */
static gint64
select_nth (gint64 *a,
            gssize  n,
            gssize  k)
{
  gssize lo = 0, hi = n - 1;

  while (hi > lo)
    {
      gint64 x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi];
      gint64 pivot = MAX (MIN (x, y), MIN (MAX (x, y), z));
      gssize i = lo, j = hi;

      while (i <= j)
        {
          while (a[i] < pivot)
            i++;
          while (a[j] > pivot)
            j--;
          if (i <= j)
            {
              gint64 t = a[i];

              a[i++] = a[j];
              a[j--] = t;
            }
        }
      /* a[lo..j] ≤ pivot ≤ a[i..hi]; between them, the pivot. */
      if (k <= j)
        hi = j;
      else if (k >= i)
        lo = i;
      else
        return a[k];
    }
  return a[k];
}

/* Nearest rank: the smallest value with at least p % of values ≤ it. */
static gint64
percentile (GArray *values,
            guint   p)
{
  guint64 rank;

  if (values->len == 0)
    return -1;
  rank = ((guint64) p * values->len + 99) / 100;
  if (rank == 0)
    rank = 1;
  return select_nth ((gint64 *) (void *) values->data, values->len, rank - 1);
}

/* Derived figures; hands over the group. */
static ByokUsageGroup *
acc_finish (Acc *acc)
{
  ByokUsageTotals *t = &acc->group->totals;

  t->error_rate = t->calls > 0 ? (double) t->errors / (double) t->calls : 0.0;
  if (acc->histogram != NULL)
    {
      /* Rows and whole days together: the rows join the histogram. */
      for (guint i = 0; acc->latencies != NULL && i < acc->latencies->len; i++)
        byok_latency_histogram_add (acc->histogram, g_array_index (acc->latencies, gint64, i));
      t->latency_p50_us = byok_latency_histogram_percentile (acc->histogram, 50);
      t->latency_p95_us = byok_latency_histogram_percentile (acc->histogram, 95);
    }
  else if (acc->latencies != NULL && acc->latencies->len > 0)
    {
      t->latency_p50_us = percentile (acc->latencies, 50);
      t->latency_p95_us = percentile (acc->latencies, 95);
    }
  g_clear_pointer (&acc->latencies, g_array_unref);
  g_clear_pointer (&acc->histogram, g_free);
  return g_steal_pointer (&acc->group);
}

typedef struct {
  gboolean  ok;
  gboolean  interrupted;
  gboolean  cancelled;
  gboolean  price_known;
  gint64    input_tokens;
  gint64    output_tokens;
  gint64    cached_input_tokens;
  gint64    cache_write_tokens;
  gint64    reasoning_tokens;
  double    cost_usd;
  double    cache_savings_usd;
  gint64    latency_us;
} Row;

static inline void
acc_add (Acc       *acc,
         const Row *row)
{
  ByokUsageTotals *t = &acc->group->totals;

  t->calls++;
  if (row->interrupted)
    t->interrupted++;
  else if (row->cancelled)
    t->cancelled++;
  else if (!row->ok)
    t->errors++;
  t->input_tokens += row->input_tokens;
  t->output_tokens += row->output_tokens;
  t->cached_input_tokens += row->cached_input_tokens;
  t->cache_write_tokens += row->cache_write_tokens;
  t->reasoning_tokens += row->reasoning_tokens;
  if (row->price_known)
    t->cost_usd += row->cost_usd;
  else
    t->unknown_price_calls++;
  t->cache_savings_usd += row->cache_savings_usd;
  if (row->ok && acc->latencies != NULL)
    g_array_append_val (acc->latencies, row->latency_us);
}

/* A whole day of one model from the rollup, with its latency histogram
 * decoded into @entries. */
static void
acc_add_cell (Acc                    *acc,
              const ByokUsageCell    *cell,
              const ByokLatencyEntry *entries,
              gsize                   n_entries)
{
  ByokUsageTotals *t = &acc->group->totals;
  const ByokUsageTotals *c = &cell->totals;

  t->calls += c->calls;
  t->errors += c->errors;
  t->interrupted += c->interrupted;
  t->cancelled += c->cancelled;
  t->input_tokens += c->input_tokens;
  t->output_tokens += c->output_tokens;
  t->cached_input_tokens += c->cached_input_tokens;
  t->cache_write_tokens += c->cache_write_tokens;
  t->reasoning_tokens += c->reasoning_tokens;
  t->cost_usd += c->cost_usd;
  t->unknown_price_calls += c->unknown_price_calls;
  t->cache_savings_usd += c->cache_savings_usd;
  if (n_entries > 0 && acc->latencies != NULL)
    {
      if (acc->histogram == NULL)
        acc->histogram = g_new0 (ByokLatencyHistogram, 1);
      byok_latency_histogram_add_entries (acc->histogram, entries, n_entries);
    }
}

static void
provider_acc_free (gpointer data)
{
  ProviderAcc *pacc = data;

  acc_clear (&pacc->acc);
  g_clear_pointer (&pacc->models, g_hash_table_unref);
  g_free (pacc->per_bucket);  /* the Accs are moved out or freed by the builder */
  g_free (pacc);
}

static void
builder_clear (ReportBuilder *b)
{
  if (b->providers != NULL)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, b->providers);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          ProviderAcc *pacc = value;

          for (guint i = 0; pacc->per_bucket != NULL && i < b->n_buckets; i++)
            g_clear_pointer (&pacc->per_bucket[i], acc_free);
        }
      g_clear_pointer (&b->providers, g_hash_table_unref);
    }
  for (guint i = 0; b->buckets != NULL && i < b->n_buckets; i++)
    acc_clear (&b->buckets[i]);
  g_clear_pointer (&b->buckets, g_free);
  g_clear_pointer (&b->starts, g_free);
  g_clear_pointer (&b->entries, g_free);
  acc_clear (&b->totals);
}

/* More than a century of days is not a chart. */
#define MAX_BUCKETS 40000

/* The buckets of [from_us, to_us): local days or months, clipped. */
static gboolean
builder_init (ReportBuilder    *b,
              gint64            from_us,
              gint64            to_us,
              ByokUsageBucket   bucket,
              GError          **error)
{
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) last = NULL;
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  int y, m, d;

  memset (b, 0, sizeof *b);

  first = local_from_us (from_us);
  last = local_from_us (to_us);
  if (first == NULL || last == NULL || from_us > to_us ||
      g_date_time_get_year (last) >= 9999)
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("The period to report on is not valid; choose a start before its end."));
      return FALSE;
    }

  g_date_time_get_ymd (first, &y, &m, &d);
  if (bucket == BYOK_USAGE_BUCKET_MONTH)
    d = 1;

  /* Bucket starts only grow: a local midnight that falls in a DST gap is
   * moved forward by GDateTime, never back. */
  while (TRUE)
    {
      gint64 start = MAX (local_start_us (y, m, d), from_us);

      if (start >= to_us)
        break;
      if (starts->len >= MAX_BUCKETS)
        {
          g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                       _("The period is too long to show day by day; choose a shorter one or show it by month."));
          return FALSE;
        }
      g_array_append_val (starts, start);
      if (bucket == BYOK_USAGE_BUCKET_MONTH)
        {
          g_ptr_array_add (labels, g_strdup_printf ("%04d-%02d", y, m));
          shift_month (&y, &m, 1);
        }
      else
        {
          g_ptr_array_add (labels, g_strdup_printf ("%04d-%02d-%02d", y, m, d));
          shift_day (&y, &m, &d, 1);
        }
    }

  b->n_buckets = starts->len;
  g_array_append_val (starts, to_us);
  b->starts = (gint64 *) (void *) g_array_free (g_steal_pointer (&starts), FALSE);
  b->buckets = g_new0 (Acc, b->n_buckets);
  for (guint i = 0; i < b->n_buckets; i++)
    acc_init (&b->buckets[i],
              group_new (NULL, NULL, g_ptr_array_index (labels, i),
                         b->starts[i], b->starts[i + 1]),
              TRUE);
  acc_init (&b->totals, group_new (NULL, NULL, NULL, from_us, to_us), TRUE);
  b->providers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, provider_acc_free);
  return TRUE;
}

static guint
builder_find_bucket (ReportBuilder *b,
                     gint64         time_us,
                     guint          hint)
{
  guint lo = 0, hi = b->n_buckets;

  if (hint < b->n_buckets && b->starts[hint] <= time_us && time_us < b->starts[hint + 1])
    return hint;

  /* The largest i with starts[i] <= time_us. */
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (b->starts[mid] <= time_us)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

/* The accumulators a call at @time_us of (@provider, @model) adds to,
 * besides the totals: its bucket, provider, model and provider×bucket. */
static guint
builder_accs (ReportBuilder *b,
              gint64         time_us,
              const char    *provider,
              const char    *model,
              guint         *bucket_hint,
              Acc          **accs)
{
  ProviderAcc *pacc;
  Acc *macc;
  guint i;

  if (b->n_buckets == 0)
    return 0;

  i = builder_find_bucket (b, time_us, *bucket_hint);
  *bucket_hint = i;
  accs[0] = &b->buckets[i];

  pacc = g_hash_table_lookup (b->providers, provider);
  if (pacc == NULL)
    {
      pacc = g_new0 (ProviderAcc, 1);
      acc_init (&pacc->acc, group_new (provider, NULL, NULL, b->starts[0],
                                       b->starts[b->n_buckets]), TRUE);
      pacc->models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) acc_free);
      pacc->per_bucket = g_new0 (Acc *, b->n_buckets);
      g_hash_table_insert (b->providers, g_strdup (provider), pacc);
    }
  accs[1] = &pacc->acc;

  macc = g_hash_table_lookup (pacc->models, model);
  if (macc == NULL)
    {
      macc = acc_new (group_new (provider, model, NULL, b->starts[0],
                                 b->starts[b->n_buckets]), TRUE);
      g_hash_table_insert (pacc->models, g_strdup (model), macc);
    }
  accs[2] = macc;

  if (pacc->per_bucket[i] == NULL)
    pacc->per_bucket[i] = acc_new (group_new (provider, NULL, b->buckets[i].group->bucket,
                                              b->starts[i], b->starts[i + 1]), FALSE);
  accs[3] = pacc->per_bucket[i];
  return 4;
}

static void
builder_add (ReportBuilder *b,
             gint64         time_us,
             const char    *provider,
             const char    *model,
             const Row     *row,
             guint         *bucket_hint)
{
  Acc *accs[4];
  guint n;

  acc_add (&b->totals, row);
  n = builder_accs (b, time_us, provider, model, bucket_hint, accs);
  for (guint k = 0; k < n; k++)
    acc_add (accs[k], row);
}

/* A cell is a whole local day inside the period: it falls in one bucket. */
static void
builder_add_cell (ReportBuilder       *b,
                  const ByokUsageCell *cell,
                  guint               *bucket_hint)
{
  Acc *accs[4];
  gssize n_entries = 0;
  guint n;

  if (cell->latencies != NULL)
    {
      if (b->entries == NULL)
        b->entries = g_new (ByokLatencyEntry, BYOK_LATENCY_N_BINS);
      n_entries = byok_latency_decode (cell->latencies, cell->latencies_len, b->entries);
      if (n_entries < 0)
        {
          g_warning ("The latency histogram of %s/%s on a day is damaged; its percentiles are left out",
                     cell->provider, cell->model);
          n_entries = 0;
        }
    }

  acc_add_cell (&b->totals, cell, b->entries, n_entries);
  n = builder_accs (b, cell->day_start_us, cell->provider, cell->model, bucket_hint, accs);
  for (guint k = 0; k < n; k++)
    acc_add_cell (accs[k], cell, b->entries, n_entries);
}

static int
compare_by_cost (gconstpointer a,
                 gconstpointer b)
{
  const ByokUsageGroup *x = *(ByokUsageGroup * const *) a;
  const ByokUsageGroup *y = *(ByokUsageGroup * const *) b;
  int c;

  if (x->totals.cost_usd != y->totals.cost_usd)
    return x->totals.cost_usd > y->totals.cost_usd ? -1 : 1;
  if (x->totals.calls != y->totals.calls)
    return x->totals.calls > y->totals.calls ? -1 : 1;
  c = g_strcmp0 (x->provider, y->provider);
  return c != 0 ? c : g_strcmp0 (x->model, y->model);
}

static int
compare_by_bucket (gconstpointer a,
                   gconstpointer b)
{
  const ByokUsageGroup *x = *(ByokUsageGroup * const *) a;
  const ByokUsageGroup *y = *(ByokUsageGroup * const *) b;

  if (x->start_us != y->start_us)
    return x->start_us < y->start_us ? -1 : 1;
  return g_strcmp0 (x->provider, y->provider);
}

static ByokUsageReport *
builder_finish (ReportBuilder   *b,
                gint64           from_us,
                gint64           to_us,
                ByokUsageBucket  bucket)
{
  ByokUsageReport *report = g_new0 (ByokUsageReport, 1);
  GHashTableIter iter;
  gpointer value;

  report->from_us = from_us;
  report->to_us = to_us;
  report->bucket = bucket;
  report->by_bucket = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_usage_group_free);
  report->by_provider = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_usage_group_free);
  report->by_model = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_usage_group_free);
  report->by_provider_bucket = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_usage_group_free);

  {
    g_autoptr(ByokUsageGroup) totals = acc_finish (&b->totals);

    report->totals = totals->totals;
  }

  for (guint i = 0; i < b->n_buckets; i++)
    g_ptr_array_add (report->by_bucket, acc_finish (&b->buckets[i]));

  g_hash_table_iter_init (&iter, b->providers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      ProviderAcc *pacc = value;
      GHashTableIter miter;
      gpointer mvalue;

      g_ptr_array_add (report->by_provider, acc_finish (&pacc->acc));

      g_hash_table_iter_init (&miter, pacc->models);
      while (g_hash_table_iter_next (&miter, NULL, &mvalue))
        g_ptr_array_add (report->by_model, acc_finish (mvalue));

      for (guint i = 0; i < b->n_buckets; i++)
        {
          if (pacc->per_bucket[i] == NULL)
            continue;
          g_ptr_array_add (report->by_provider_bucket, acc_finish (pacc->per_bucket[i]));
          g_clear_pointer (&pacc->per_bucket[i], acc_free);
        }
    }

  g_ptr_array_sort (report->by_provider, compare_by_cost);
  g_ptr_array_sort (report->by_model, compare_by_cost);
  g_ptr_array_sort (report->by_provider_bucket, compare_by_bucket);
  return report;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ReportBuilder, builder_clear)

/* The rows of [from_us, to_us) into @builder. */
static gboolean
add_rows (sqlite3        *db,
          sqlite3_stmt   *stmt,
          ReportBuilder  *builder,
          gint64          from_us,
          gint64          to_us,
          guint          *hint,
          guint64        *n,
          GCancellable   *cancellable,
          GError        **error)
{
  int rc;

  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 1, from_us);
  sqlite3_bind_int64 (stmt, 2, to_us);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *status = (const char *) sqlite3_column_text (stmt, 3);
      Row row;

      row.ok = status != NULL && strcmp (status, BYOK_USAGE_STATUS_OK) == 0;
      row.interrupted = status != NULL && strcmp (status, BYOK_USAGE_STATUS_INTERRUPTED) == 0;
      row.cancelled = status != NULL && strcmp (status, BYOK_USAGE_STATUS_CANCELLED) == 0;
      row.input_tokens = sqlite3_column_int64 (stmt, 4);
      row.output_tokens = sqlite3_column_int64 (stmt, 5);
      row.cached_input_tokens = sqlite3_column_int64 (stmt, 6);
      row.cache_write_tokens = sqlite3_column_int64 (stmt, 7);
      row.reasoning_tokens = sqlite3_column_int64 (stmt, 8);
      row.price_known = sqlite3_column_type (stmt, 9) != SQLITE_NULL;
      row.cost_usd = sqlite3_column_double (stmt, 9);
      row.cache_savings_usd = sqlite3_column_double (stmt, 10);
      row.latency_us = sqlite3_column_int64 (stmt, 11);

      builder_add (builder,
                   sqlite3_column_int64 (stmt, 0),
                   (const char *) sqlite3_column_text (stmt, 1),
                   (const char *) sqlite3_column_text (stmt, 2),
                   &row, hint);

      if ((++*n & 0xffff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      byok_database_set_error (error, db, rc, _("Could not read the usage history"));
      return FALSE;
    }
  return TRUE;
}

/* The period from the rollup's whole past days and the rows of the rest
 * (byok_usage_plan_init()), on any connection. */
static ByokUsageReport *
compute_report (sqlite3          *db,
                gint64            from_us,
                gint64            to_us,
                ByokUsageBucket   bucket,
                GCancellable     *cancellable,
                GError          **error)
{
  g_auto(ReportBuilder) builder = { 0, };
  g_auto(ByokUsagePlan) plan = { 0, };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint hint = 0;
  guint64 n = 0;
  int rc;

  if (!builder_init (&builder, from_us, to_us, bucket, error))
    return NULL;
  if (!byok_usage_plan_init (&plan, db, from_us, to_us, g_get_real_time (), TRUE, error))
    return NULL;

  rc = sqlite3_prepare_v2 (db,
                           "SELECT time, provider, model, status, input_tokens, "
                           "output_tokens, cached_input_tokens, cache_write_tokens, "
                           "reasoning_tokens, cost_usd, cache_savings_usd, latency_us "
                           "FROM usage WHERE time >= ?1 AND time < ?2 "
                           "AND status <> 'in_flight'",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      byok_database_set_error (error, db, rc, _("Could not read the usage history"));
      return NULL;
    }

  for (guint i = 0; i < plan.spans->len; i++)
    {
      const ByokUsageSpan *span = &g_array_index (plan.spans, ByokUsageSpan, i);

      if (!add_rows (db, stmt, &builder, span->from_us, span->to_us, &hint, &n, cancellable, error))
        return NULL;
    }

  for (guint i = 0; i < plan.cells->len; i++)
    {
      builder_add_cell (&builder, &g_array_index (plan.cells, ByokUsageCell, i), &hint);
      if ((i & 0xfff) == 0xfff && g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  return builder_finish (&builder, from_us, to_us, bucket);
}

/**
 * byok_usage_store_report:
 * @from_us: start of the period (included)
 * @to_us: end of the period (excluded)
 * @bucket: days or months for by_bucket and by_provider_bucket
 *
 * Computes everything the dashboard shows for a period, on the main
 * connection: whole past days from the rollup, the rest from the rows (see
 * byok_usage_plan_init()). A year is a few thousand rollup rows, tens of
 * milliseconds; still, in the app use byok_usage_store_report_async().
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
ByokUsageReport *
byok_usage_store_report (ByokUsageStore   *self,
                         gint64            from_us,
                         gint64            to_us,
                         ByokUsageBucket   bucket,
                         GCancellable     *cancellable,
                         GError          **error)
{
  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), NULL);

  return compute_report (byok_database_get_handle (self->database),
                         from_us, to_us, bucket, cancellable, error);
}

typedef struct {
  char                  *path;
  gint64                 from_us;
  gint64                 to_us;
  ByokUsageBucket        bucket;
  ByokUsageExportFormat  format;
  GFile                 *file;
} WorkerData;

static void
worker_data_free (WorkerData *data)
{
  g_free (data->path);
  g_clear_object (&data->file);
  g_free (data);
}

static WorkerData *
worker_data_new (ByokUsageStore *self,
                 gint64          from_us,
                 gint64          to_us)
{
  WorkerData *data = g_new0 (WorkerData, 1);

  data->path = g_strdup (byok_database_get_path (self->database));
  data->from_us = from_us;
  data->to_us = to_us;
  return data;
}

static void
report_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  WorkerData *data = task_data;
  g_autoptr(sqlite3) db = NULL;
  ByokUsageReport *report;
  GError *error = NULL;

  db = byok_database_connect (data->path, TRUE, &error);
  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  report = compute_report (db, data->from_us, data->to_us, data->bucket, cancellable, &error);
  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) byok_usage_report_free);
}

/**
 * byok_usage_store_report_async:
 *
 * byok_usage_store_report() in a worker thread, on a connection of its own,
 * so the main loop never waits for it. The store must be on a database
 * file (not ":memory:").
 */
void
byok_usage_store_report_async (ByokUsageStore      *self,
                               gint64               from_us,
                               gint64               to_us,
                               ByokUsageBucket      bucket,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  WorkerData *data;

  g_return_if_fail (BYOK_IS_USAGE_STORE (self));

  data = worker_data_new (self, from_us, to_us);
  data->bucket = bucket;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byok_usage_store_report_async);
  g_task_set_task_data (task, data, (GDestroyNotify) worker_data_free);
  g_task_run_in_thread (task, report_thread);
}

/**
 * byok_usage_store_report_finish:
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
ByokUsageReport *
byok_usage_store_report_finish (ByokUsageStore  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == byok_usage_store_report_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------------- */
/* Month spend and budgets                                                */

static gboolean
spend_between (ByokUsageStore  *self,
               const char      *provider,
               gint64           from_us,
               gint64           to_us,
               double          *spend,
               GError         **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = byok_database_prepare_cached (self->database,
                                       "SELECT total (cost_usd) FROM usage "
                                       "WHERE time >= ?1 AND time < ?2 "
                                       "AND (?3 IS NULL OR provider = ?3) "
                                       "AND status <> 'in_flight'",
                                       error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, from_us);
  sqlite3_bind_int64 (stmt, 2, to_us);
  bind_text_or_null (stmt, 3, provider);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      byok_database_set_error (error, byok_database_get_handle (self->database), rc,
                               _("Could not read this month's spending"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  *spend = sqlite3_column_double (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
query_data_version (ByokUsageStore  *self,
                    gint64          *version,
                    GError         **error)
{
  sqlite3_stmt *stmt = byok_database_prepare_cached (self->database, "PRAGMA data_version", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      byok_database_set_error (error, byok_database_get_handle (self->database), rc,
                               _("Could not read the database"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  *version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

/* What everyone and @provider spent in [from_us, to_us): from the cache,
 * or from one pass over the period that refills it. */
static gboolean
month_spends (ByokUsageStore  *self,
              const char      *provider,
              gint64           from_us,
              gint64           to_us,
              double          *all,
              double          *of_provider,
              GError         **error)
{
  SpendCache *cache = &self->spend;
  sqlite3 *db = byok_database_get_handle (self->database);
  sqlite3_stmt *stmt;
  gint64 data_version;
  double *value;
  int rc;

  if (!query_data_version (self, &data_version, error))
    return FALSE;

  if (!cache->valid || cache->from_us != from_us || cache->to_us != to_us ||
      cache->data_version != data_version ||
      cache->total_changes != sqlite3_total_changes64 (db))
    {
      cache->valid = FALSE;
      cache->all = 0;
      g_hash_table_remove_all (cache->by_provider);

      stmt = byok_database_prepare_cached (self->database,
                                           "SELECT provider, total (cost_usd) FROM usage "
                                           "WHERE time >= ?1 AND time < ?2 "
                                           "AND status <> 'in_flight' GROUP BY provider",
                                           error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, from_us);
      sqlite3_bind_int64 (stmt, 2, to_us);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        spend_cache_add (cache, (const char *) sqlite3_column_text (stmt, 0),
                         sqlite3_column_double (stmt, 1));
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          byok_database_set_error (error, db, rc, _("Could not read this month's spending"));
          return FALSE;
        }
      cache->valid = TRUE;
      cache->from_us = from_us;
      cache->to_us = to_us;
      cache->data_version = data_version;
      cache->total_changes = sqlite3_total_changes64 (db);
    }

  value = provider != NULL ? g_hash_table_lookup (cache->by_provider, provider) : NULL;
  *all = cache->all;
  *of_provider = value != NULL ? *value : 0;
  return TRUE;
}

/**
 * byok_usage_store_month_spend:
 * @provider: (nullable): a provider id; %NULL for all providers
 * @year: e.g. 2025
 * @month: 1–12, a local calendar month
 *
 * Returns: what the calls of that month cost in USD (calls with an unknown
 *   price count as 0), or 0 with @error set
 */
double
byok_usage_store_month_spend (ByokUsageStore  *self,
                              const char      *provider,
                              int              year,
                              int              month,
                              GError         **error)
{
  int next_year = year, next_month = month;
  double spend = 0;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), 0);

  if (month < 1 || month > 12 || year < 1 || year > 9998)
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("%d-%02d is not a valid month; give a year and a month from 1 to 12."),
                   year, month);
      return 0;
    }
  shift_month (&next_year, &next_month, 1);
  if (!spend_between (self, provider, local_start_us (year, month, 1),
                      local_start_us (next_year, next_month, 1), &spend, error))
    return 0;
  return spend;
}

static ByokBudget *
budget_from_stmt (sqlite3_stmt *stmt)
{
  ByokBudget *budget = g_new0 (ByokBudget, 1);

  budget->scope = column_strdup (stmt, 0);
  budget->monthly_usd = sqlite3_column_double (stmt, 1);
  budget->hard_stop = sqlite3_column_int (stmt, 2) != 0;
  budget->last_alert_percent = sqlite3_column_int (stmt, 3);
  budget->alert_month = column_strdup (stmt, 4);
  return budget;
}

#define BUDGET_COLUMNS "scope, monthly_usd, hard_stop, last_alert_percent, alert_month"

/**
 * byok_usage_store_get_budget:
 * @scope: (nullable): a provider id, or %NULL / BYOK_BUDGET_SCOPE_ALL for
 *   the overall budget
 *
 * Returns: (transfer full) (nullable): the budget; %NULL without an error
 *   when there is none
 */
ByokBudget *
byok_usage_store_get_budget (ByokUsageStore  *self,
                             const char      *scope,
                             GError         **error)
{
  sqlite3_stmt *stmt;
  ByokBudget *budget = NULL;
  int rc;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), NULL);

  stmt = byok_database_prepare_cached (self->database,
                                       "SELECT " BUDGET_COLUMNS " FROM budgets WHERE scope = ?1",
                                       error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, scope != NULL ? scope : BYOK_BUDGET_SCOPE_ALL, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    budget = budget_from_stmt (stmt);
  else if (rc != SQLITE_DONE)
    byok_database_set_error (error, byok_database_get_handle (self->database), rc,
                             _("Could not read the budgets"));
  sqlite3_reset (stmt);
  return budget;
}

/**
 * byok_usage_store_list_budgets:
 *
 * Returns: (transfer container) (element-type ByokBudget): every budget,
 *   "all" first, then by provider id; %NULL with @error set
 */
GPtrArray *
byok_usage_store_list_budgets (ByokUsageStore  *self,
                               GError         **error)
{
  g_autoptr(GPtrArray) budgets = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), NULL);

  stmt = byok_database_prepare_cached (self->database,
                                       "SELECT " BUDGET_COLUMNS " FROM budgets "
                                       "ORDER BY scope <> 'all', scope",
                                       error);
  if (stmt == NULL)
    return NULL;
  budgets = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_budget_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (budgets, budget_from_stmt (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      byok_database_set_error (error, byok_database_get_handle (self->database), rc,
                               _("Could not read the budgets"));
      return NULL;
    }
  return g_steal_pointer (&budgets);
}

static gboolean
step_done (ByokUsageStore  *self,
           sqlite3_stmt    *stmt,
           const char      *what,
           GError         **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      byok_database_set_error (error, byok_database_get_handle (self->database), rc, what);
      return FALSE;
    }
  return TRUE;
}

/**
 * byok_usage_store_set_budget:
 * @scope: (nullable): a provider id, or %NULL / BYOK_BUDGET_SCOPE_ALL
 * @monthly_usd: more than 0
 * @hard_stop: refuse calls once the month's spending reaches the budget
 *
 * Sets or changes a monthly budget. Alerts already given this month stay
 * given, unless the budget changed: then they may fire again.
 */
gboolean
byok_usage_store_set_budget (ByokUsageStore  *self,
                             const char      *scope,
                             double           monthly_usd,
                             gboolean         hard_stop,
                             GError         **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), FALSE);

  if (!isfinite (monthly_usd) || monthly_usd <= 0)
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("A monthly budget must be an amount above $0. To have no budget, remove it instead."));
      return FALSE;
    }

  stmt = byok_database_prepare_cached (self->database,
                                       "INSERT INTO budgets (scope, monthly_usd, hard_stop) "
                                       "VALUES (?1, ?2, ?3) "
                                       "ON CONFLICT (scope) DO UPDATE SET "
                                       "  last_alert_percent = CASE WHEN monthly_usd = excluded.monthly_usd "
                                       "    THEN last_alert_percent ELSE 0 END, "
                                       "  monthly_usd = excluded.monthly_usd, "
                                       "  hard_stop = excluded.hard_stop",
                                       error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, scope != NULL ? scope : BYOK_BUDGET_SCOPE_ALL, -1, SQLITE_TRANSIENT);
  sqlite3_bind_double (stmt, 2, monthly_usd);
  sqlite3_bind_int (stmt, 3, hard_stop ? 1 : 0);
  return step_done (self, stmt, _("Could not save the budget"), error);
}

/**
 * byok_usage_store_clear_budget:
 * @scope: (nullable): a provider id, or %NULL / BYOK_BUDGET_SCOPE_ALL
 *
 * Removes a budget (nothing happens when there is none).
 */
gboolean
byok_usage_store_clear_budget (ByokUsageStore  *self,
                               const char      *scope,
                               GError         **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), FALSE);

  stmt = byok_database_prepare_cached (self->database,
                                       "DELETE FROM budgets WHERE scope = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, scope != NULL ? scope : BYOK_BUDGET_SCOPE_ALL, -1, SQLITE_TRANSIENT);
  return step_done (self, stmt, _("Could not remove the budget"), error);
}

static guint
threshold_for (double spend,
               double budget)
{
  double percent = spend * 100.0 / budget;

  if (percent >= 100.0)
    return 100;
  if (percent >= 80.0)
    return 80;
  if (percent >= 50.0)
    return 50;
  return 0;
}

/**
 * byok_usage_store_check_budget:
 * @provider: (nullable): the provider of the next (or last) call; %NULL to
 *   check the overall budget only
 * @percent_crossed: (out) (optional): 50, 80 or 100 when this check is the
 *   first this month to see spending reach that share of a budget (the
 *   highest one reached; lower ones are not reported later), else 0
 * @crossed_scope: (out) (optional) (transfer full): the scope of that
 *   budget ("all" or the provider id), or %NULL
 *
 * Checks the overall budget and @provider's, remembering in the database
 * which alerts were given this (local) month so each fires once. Call it
 * before a call, to honour hard stops, and after recording one, to alert.
 *
 * Returns: %FALSE with BYOK_ERROR_BUDGET when a budget with hard stop has
 *   been reached this month (the out values are set even then), or with
 *   another error when the database failed
 */
gboolean
byok_usage_store_check_budget (ByokUsageStore  *self,
                               const char      *provider,
                               guint           *percent_crossed,
                               char           **crossed_scope,
                               GError         **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *month = g_date_time_format (now, "%Y-%m");
  g_autofree char *scope_out = NULL;
  g_autoptr(GError) blocked = NULL;
  gint64 from_us, to_us;
  guint crossed = 0;
  const char *scopes[2];
  ByokBudget *budgets[2] = { NULL, NULL };
  double spends[2] = { 0, 0 };
  gint64 changes_before;
  guint n_scopes = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), FALSE);

  if (percent_crossed != NULL)
    *percent_crossed = 0;
  if (crossed_scope != NULL)
    *crossed_scope = NULL;

  byok_usage_period_get_range (BYOK_USAGE_PERIOD_THIS_MONTH, now, &from_us, &to_us);
  scopes[n_scopes++] = BYOK_BUDGET_SCOPE_ALL;
  if (provider != NULL && g_strcmp0 (provider, BYOK_BUDGET_SCOPE_ALL) != 0)
    scopes[n_scopes++] = provider;

  for (guint i = 0; i < n_scopes; i++)
    {
      GError *local_error = NULL;

      budgets[i] = byok_usage_store_get_budget (self, scopes[i], &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          goto out;
        }
    }
  if (budgets[0] == NULL && budgets[1] == NULL)
    {
      ok = TRUE;
      goto out;
    }

  if (!month_spends (self, n_scopes > 1 ? scopes[1] : NULL, from_us, to_us,
                     &spends[0], &spends[1], error))
    goto out;

  for (guint i = 0; i < n_scopes; i++)
    {
      ByokBudget *budget = budgets[i];
      double spend = spends[i];
      guint threshold, last;

      if (budget == NULL || budget->monthly_usd <= 0)
        continue;

      threshold = threshold_for (spend, budget->monthly_usd);
      last = g_strcmp0 (budget->alert_month, month) == 0 ? (guint) budget->last_alert_percent : 0;
      if (threshold > last)
        {
          sqlite3_stmt *stmt;

          stmt = byok_database_prepare_cached (self->database,
                                               "UPDATE budgets SET last_alert_percent = ?2, "
                                               "alert_month = ?3 WHERE scope = ?1",
                                               error);
          if (stmt == NULL)
            goto out;
          sqlite3_bind_text (stmt, 1, scopes[i], -1, SQLITE_TRANSIENT);
          sqlite3_bind_int (stmt, 2, threshold);
          sqlite3_bind_text (stmt, 3, month, -1, SQLITE_TRANSIENT);
          changes_before = sqlite3_total_changes64 (byok_database_get_handle (self->database));
          if (!step_done (self, stmt, _("Could not save the budget alert"), error))
            goto out;
          spend_cache_advance (self, changes_before);

          if (threshold > crossed)
            {
              crossed = threshold;
              g_free (scope_out);
              scope_out = g_strdup (scopes[i]);
            }
        }

      if (budget->hard_stop && spend >= budget->monthly_usd && blocked == NULL)
        {
          if (i == 0)
            blocked = g_error_new (BYOK_ERROR, BYOK_ERROR_BUDGET,
                                   _("Your monthly budget of $%.2f is used up: $%.2f has been "
                                     "spent this month. Raise the budget or turn off its hard "
                                     "stop in Usage to keep making calls."),
                                   budget->monthly_usd, spend);
          else
            blocked = g_error_new (BYOK_ERROR, BYOK_ERROR_BUDGET,
                                   _("The monthly budget of $%.2f for %s is used up: $%.2f "
                                     "has been spent on it this month. Raise the budget or turn "
                                     "off its hard stop in Usage to keep making calls."),
                                   budget->monthly_usd, scopes[i], spend);
        }
    }
  ok = TRUE;

out:
  g_clear_pointer (&budgets[0], byok_budget_free);
  g_clear_pointer (&budgets[1], byok_budget_free);
  if (!ok)
    return FALSE;

  if (percent_crossed != NULL)
    *percent_crossed = crossed;
  if (crossed_scope != NULL)
    *crossed_scope = g_steal_pointer (&scope_out);

  if (blocked != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&blocked));
      return FALSE;
    }
  return TRUE;
}

/**
 * byok_usage_store_get_budget_stops:
 * @provider: (nullable): a provider id; %NULL for the overall budget only
 *
 * Whether a budget with a hard stop — the provider's or the overall one —
 * is used up this month, so a call to @provider would be refused. Unlike
 * byok_usage_store_check_budget() it records no alert: for whoever only
 * shows the state (an old "over budget" error after the budget was
 * raised).
 *
 * Returns: %TRUE when a call would be stopped; %FALSE also when the
 *   budgets cannot be read (@error set)
 */
gboolean
byok_usage_store_get_budget_stops (ByokUsageStore  *self,
                                   const char      *provider,
                                   GError         **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(ByokBudget) all = NULL;
  g_autoptr(ByokBudget) own = NULL;
  GError *local_error = NULL;
  double spend_all = 0, spend_own = 0;
  gint64 from_us, to_us;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), FALSE);

  all = byok_usage_store_get_budget (self, BYOK_BUDGET_SCOPE_ALL, &local_error);
  if (local_error == NULL && provider != NULL && g_strcmp0 (provider, BYOK_BUDGET_SCOPE_ALL) != 0)
    own = byok_usage_store_get_budget (self, provider, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if ((all == NULL || !all->hard_stop) && (own == NULL || !own->hard_stop))
    return FALSE;

  byok_usage_period_get_range (BYOK_USAGE_PERIOD_THIS_MONTH, now, &from_us, &to_us);
  if (!month_spends (self, own != NULL ? provider : NULL, from_us, to_us, &spend_all, &spend_own, error))
    return FALSE;
  return (all != NULL && all->hard_stop && all->monthly_usd > 0 && spend_all >= all->monthly_usd) ||
         (own != NULL && own->hard_stop && own->monthly_usd > 0 && spend_own >= own->monthly_usd);
}

/* ---------------------------------------------------------------------- */
/* Price overrides                                                        */

static double
column_price (sqlite3_stmt *stmt,
              int           col)
{
  return sqlite3_column_type (stmt, col) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, col);
}

static void
bind_price (sqlite3_stmt *stmt,
            int           index,
            double        price)
{
  if (isnan (price))
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_double (stmt, index, price);
}

static gboolean
price_is_valid (double price)
{
  return isnan (price) || (isfinite (price) && price >= 0);
}

/**
 * byok_usage_store_load_price_overrides:
 *
 * Returns: (transfer container) (element-type ByokPriceOverride): every
 *   override, by provider and model; %NULL with @error set
 */
GPtrArray *
byok_usage_store_load_price_overrides (ByokUsageStore  *self,
                                       GError         **error)
{
  g_autoptr(GPtrArray) prices = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), NULL);

  stmt = byok_database_prepare_cached (self->database,
                                       "SELECT provider, model, input, cached_input, "
                                       "cache_write, output, tiers, updated FROM price_overrides "
                                       "ORDER BY provider, model",
                                       error);
  if (stmt == NULL)
    return NULL;
  prices = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_price_override_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ByokPriceOverride *price = g_new0 (ByokPriceOverride, 1);

      price->provider = column_strdup (stmt, 0);
      price->model = column_strdup (stmt, 1);
      price->input = column_price (stmt, 2);
      price->cached_input = column_price (stmt, 3);
      price->cache_write = column_price (stmt, 4);
      price->output = column_price (stmt, 5);
      price->tiers_json = column_strdup (stmt, 6);
      price->updated_us = sqlite3_column_int64 (stmt, 7);
      g_ptr_array_add (prices, price);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      byok_database_set_error (error, byok_database_get_handle (self->database), rc,
                               _("Could not read your prices"));
      return NULL;
    }
  return g_steal_pointer (&prices);
}

/**
 * byok_usage_store_set_price_override:
 * @price: the prices of one model; NAN for an unknown one
 *
 * Adds or replaces the user's prices for (provider, model).
 */
gboolean
byok_usage_store_set_price_override (ByokUsageStore           *self,
                                     const ByokPriceOverride  *price,
                                     GError                  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), FALSE);
  g_return_val_if_fail (price != NULL, FALSE);

  if (price->provider == NULL || *price->provider == '\0' ||
      price->model == NULL || *price->model == '\0')
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("A price needs a provider and a model."));
      return FALSE;
    }
  if (!price_is_valid (price->input) || !price_is_valid (price->cached_input) ||
      !price_is_valid (price->cache_write) || !price_is_valid (price->output))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("A price must be a number of dollars per million tokens, $0 or more."));
      return FALSE;
    }

  stmt = byok_database_prepare_cached (self->database,
                                       "INSERT OR REPLACE INTO price_overrides (provider, model, "
                                       "input, cached_input, cache_write, output, tiers, updated) "
                                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                       error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, price->provider, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, price->model, -1, SQLITE_TRANSIENT);
  bind_price (stmt, 3, price->input);
  bind_price (stmt, 4, price->cached_input);
  bind_price (stmt, 5, price->cache_write);
  bind_price (stmt, 6, price->output);
  bind_text_or_null (stmt, 7, price->tiers_json);
  sqlite3_bind_int64 (stmt, 8, g_get_real_time ());
  return step_done (self, stmt, _("Could not save the price"), error);
}

gboolean
byok_usage_store_clear_price_override (ByokUsageStore  *self,
                                       const char      *provider,
                                       const char      *model,
                                       GError         **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), FALSE);
  g_return_val_if_fail (provider != NULL && model != NULL, FALSE);

  stmt = byok_database_prepare_cached (self->database,
                                       "DELETE FROM price_overrides WHERE provider = ?1 AND model = ?2",
                                       error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, provider, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, model, -1, SQLITE_TRANSIENT);
  return step_done (self, stmt, _("Could not remove the price"), error);
}

/* ---------------------------------------------------------------------- */
/* Key events                                                             */

/**
 * byok_usage_store_add_key_event:
 * @provider: the provider id
 * @account: (nullable): which key of the provider, where it has several
 * @event: "added", "replaced", "tested" or "deleted"
 * @result: (nullable): e.g. "ok" or an error class for "tested"
 * @detail: (nullable): a short note for people; never the key
 *
 * Returns: the id of the event, or 0 with @error set
 */
gint64
byok_usage_store_add_key_event (ByokUsageStore  *self,
                                const char      *provider,
                                const char      *account,
                                const char      *event,
                                const char      *result,
                                const char      *detail,
                                GError         **error)
{
  static const char * const events[] = { "added", "replaced", "tested", "deleted", NULL };
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), 0);
  g_return_val_if_fail (provider != NULL, 0);

  if (event == NULL || !g_strv_contains (events, event))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("“%s” is not a key event; use added, replaced, tested or deleted."),
                   event != NULL ? event : "");
      return 0;
    }

  stmt = byok_database_prepare_cached (self->database,
                                       "INSERT INTO key_events (time, provider, account, event, "
                                       "result, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                       error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
  sqlite3_bind_text (stmt, 2, provider, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 3, account);
  sqlite3_bind_text (stmt, 4, event, -1, SQLITE_TRANSIENT);
  if (result != NULL)
    sqlite3_bind_text (stmt, 5, g_ascii_strdown (result, -1), -1, g_free);
  else
    sqlite3_bind_null (stmt, 5);
  bind_text_or_null (stmt, 6, detail);
  if (!step_done (self, stmt, _("Could not save the key event"), error))
    return 0;
  return sqlite3_last_insert_rowid (byok_database_get_handle (self->database));
}

/**
 * byok_usage_store_list_key_events:
 * @provider: (nullable): one provider, or %NULL for all
 * @limit: at most this many; 0 for all
 *
 * Returns: (transfer container) (element-type ByokKeyEventRecord): the events,
 *   newest first; %NULL with @error set
 */
GPtrArray *
byok_usage_store_list_key_events (ByokUsageStore  *self,
                                  const char      *provider,
                                  guint            limit,
                                  GError         **error)
{
  g_autoptr(GPtrArray) events = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), NULL);

  stmt = byok_database_prepare_cached (self->database,
                                       "SELECT id, time, provider, account, event, result, detail "
                                       "FROM key_events WHERE (?1 IS NULL OR provider = ?1) "
                                       "ORDER BY time DESC, id DESC LIMIT ?2",
                                       error);
  if (stmt == NULL)
    return NULL;
  bind_text_or_null (stmt, 1, provider);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);

  events = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_key_event_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ByokKeyEventRecord *event = g_new0 (ByokKeyEventRecord, 1);

      event->id = sqlite3_column_int64 (stmt, 0);
      event->time_us = sqlite3_column_int64 (stmt, 1);
      event->provider = column_strdup (stmt, 2);
      event->account = column_strdup (stmt, 3);
      event->event = column_strdup (stmt, 4);
      event->result = column_strdup (stmt, 5);
      event->detail = column_strdup (stmt, 6);
      g_ptr_array_add (events, event);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      byok_database_set_error (error, byok_database_get_handle (self->database), rc,
                               _("Could not read the key history"));
      return NULL;
    }
  return g_steal_pointer (&events);
}

/* ---------------------------------------------------------------------- */
/* Export                                                                 */

#define EXPORT_FLUSH_SIZE (64 * 1024)

/* The shortest text that reads back as the same double. */
static void
append_double (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buf, sizeof buf, "%.15g", value);
  if (g_ascii_strtod (buf, NULL) != value)
    g_ascii_formatd (buf, sizeof buf, "%.17g", value);
  g_string_append (out, buf);
}

static void
append_csv_field (GString    *out,
                  const char *text)
{
  if (text == NULL)
    return;
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static char *
iso_time (gint64 time_us)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);

  if (utc == NULL)
    return NULL;
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static void
append_csv_row (GString      *out,
                sqlite3_stmt *stmt)
{
  for (int col = 0; col < N_COLS; col++)
    {
      if (col > 0)
        g_string_append_c (out, ',');

      if (col == COL_TIME)
        {
          g_autofree char *iso = iso_time (sqlite3_column_int64 (stmt, col));

          g_string_append_printf (out, "%" G_GINT64_FORMAT ",", (gint64) sqlite3_column_int64 (stmt, col));
          append_csv_field (out, iso);
          continue;
        }

      switch (sqlite3_column_type (stmt, col))
        {
        case SQLITE_NULL:
          break;
        case SQLITE_INTEGER:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, col));
          break;
        case SQLITE_FLOAT:
          append_double (out, sqlite3_column_double (stmt, col));
          break;
        default:
          append_csv_field (out, (const char *) sqlite3_column_text (stmt, col));
          break;
        }
    }
  g_string_append (out, "\r\n");
}

static void
append_csv_header (GString *out)
{
  for (int col = 0; col < N_COLS; col++)
    {
      if (col > 0)
        g_string_append_c (out, ',');
      g_string_append (out, column_names[col]);
      if (col == COL_TIME)
        g_string_append (out, ",time_utc");
    }
  g_string_append (out, "\r\n");
}

static void
append_json_row (GString       *out,
                 JsonGenerator *generator,
                 sqlite3_stmt  *stmt)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  for (int col = 0; col < N_COLS; col++)
    {
      const char *name = column_names[col];

      if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
        json_object_set_null_member (object, name);
      else if (col == COL_PRICE_KNOWN || col == COL_IS_RETRY || col == COL_IS_FALLBACK ||
               col == COL_ESTIMATED)
        json_object_set_boolean_member (object, name, sqlite3_column_int (stmt, col) != 0);
      else if (col == COL_COST_USD || col == COL_CACHE_SAVINGS_USD)
        json_object_set_double_member (object, name, sqlite3_column_double (stmt, col));
      else if (sqlite3_column_type (stmt, col) == SQLITE_INTEGER)
        json_object_set_int_member (object, name, sqlite3_column_int64 (stmt, col));
      else
        json_object_set_string_member (object, name, (const char *) sqlite3_column_text (stmt, col));

      if (col == COL_TIME)
        {
          g_autofree char *iso = iso_time (sqlite3_column_int64 (stmt, col));

          json_object_set_string_member (object, "time_utc", iso);
        }
    }

  node = json_node_init_object (json_node_alloc (), object);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  g_string_append (out, text);
}

static gboolean
flush_buffer (GOutputStream  *stream,
              GString        *buffer,
              GCancellable   *cancellable,
              GError        **error)
{
  if (buffer->len == 0)
    return TRUE;
  if (!g_output_stream_write_all (stream, buffer->str, buffer->len, NULL, cancellable, error))
    return FALSE;
  g_string_truncate (buffer, 0);
  return TRUE;
}

static gboolean
export_rows (sqlite3                *db,
             gint64                  from_us,
             gint64                  to_us,
             ByokUsageExportFormat   format,
             GOutputStream          *stream,
             GCancellable           *cancellable,
             GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) buffer = g_string_sized_new (EXPORT_FLUSH_SIZE + 4096);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gboolean first = TRUE;
  int rc;

  rc = sqlite3_prepare_v2 (db,
                           "SELECT " USAGE_COLUMNS " FROM usage "
                           "WHERE time >= ?1 AND time < ?2 AND status <> 'in_flight' "
                           "ORDER BY time, id",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      byok_database_set_error (error, db, rc, _("Could not export the usage history"));
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, from_us);
  sqlite3_bind_int64 (stmt, 2, to_us);

  if (format == BYOK_USAGE_EXPORT_CSV)
    append_csv_header (buffer);
  else
    g_string_append_c (buffer, '[');

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (format == BYOK_USAGE_EXPORT_CSV)
        append_csv_row (buffer, stmt);
      else
        {
          g_string_append (buffer, first ? "\n" : ",\n");
          append_json_row (buffer, generator, stmt);
        }
      first = FALSE;

      if (buffer->len >= EXPORT_FLUSH_SIZE &&
          !flush_buffer (stream, buffer, cancellable, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      byok_database_set_error (error, db, rc, _("Could not export the usage history"));
      return FALSE;
    }

  if (format == BYOK_USAGE_EXPORT_JSON)
    g_string_append (buffer, first ? "]\n" : "\n]\n");

  return flush_buffer (stream, buffer, cancellable, error) &&
         g_output_stream_flush (stream, cancellable, error);
}

/**
 * byok_usage_store_export:
 * @format: CSV (RFC 4180, CRLF line ends, a header row) or JSON (an array
 *   of objects)
 * @stream: where to write; not closed
 *
 * Writes every column of every call in [@from_us, @to_us), oldest first,
 * plus `time_utc` (ISO 8601) after `time`. An unknown price or a missing
 * value is an empty CSV field or a JSON null. Blocks: in the app use
 * byok_usage_store_export_async().
 */
gboolean
byok_usage_store_export (ByokUsageStore         *self,
                         gint64                  from_us,
                         gint64                  to_us,
                         ByokUsageExportFormat   format,
                         GOutputStream          *stream,
                         GCancellable           *cancellable,
                         GError                **error)
{
  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  return export_rows (byok_database_get_handle (self->database),
                      from_us, to_us, format, stream, cancellable, error);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  WorkerData *data = task_data;
  g_autoptr(sqlite3) db = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  GError *error = NULL;

  db = byok_database_connect (data->path, TRUE, &error);
  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  stream = byok_file_replace_private (data->file, cancellable, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* On failure the stream is closed after a cancel, so a half-written
   * export never replaces the file. */
  if (!export_rows (db, data->from_us, data->to_us, data->format,
                    G_OUTPUT_STREAM (stream), cancellable, &error))
    {
      g_autoptr(GCancellable) abort = g_cancellable_new ();

      g_cancellable_cancel (abort);
      g_output_stream_close (G_OUTPUT_STREAM (stream), abort, NULL);
      g_task_return_error (task, error);
      return;
    }
  if (!g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * byok_usage_store_export_async:
 * @file: the file to write; replaced only once the export is complete
 *
 * byok_usage_store_export() into @file, in a worker thread on a connection
 * of its own.
 */
void
byok_usage_store_export_async (ByokUsageStore         *self,
                               gint64                  from_us,
                               gint64                  to_us,
                               ByokUsageExportFormat   format,
                               GFile                  *file,
                               GCancellable           *cancellable,
                               GAsyncReadyCallback     callback,
                               gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  WorkerData *data;

  g_return_if_fail (BYOK_IS_USAGE_STORE (self));
  g_return_if_fail (G_IS_FILE (file));

  data = worker_data_new (self, from_us, to_us);
  data->format = format;
  data->file = g_object_ref (file);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byok_usage_store_export_async);
  g_task_set_task_data (task, data, (GDestroyNotify) worker_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
byok_usage_store_export_finish (ByokUsageStore  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == byok_usage_store_export_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------------- */
/* The object                                                             */

/**
 * byok_usage_store_new:
 * @database: the open database
 *
 * Returns: (transfer full): a store on @database
 */
ByokUsageStore *
byok_usage_store_new (ByokDatabase *database)
{
  ByokUsageStore *self;

  g_return_val_if_fail (BYOK_IS_DATABASE (database), NULL);

  self = g_object_new (BYOK_TYPE_USAGE_STORE, NULL);
  self->database = g_object_ref (database);
  return self;
}

/**
 * byok_usage_store_get_database:
 *
 * Returns: (transfer none): the database of @self
 */
ByokDatabase *
byok_usage_store_get_database (ByokUsageStore *self)
{
  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), NULL);
  return self->database;
}

static void
byok_usage_store_dispose (GObject *object)
{
  ByokUsageStore *self = BYOK_USAGE_STORE (object);

  g_clear_object (&self->database);

  G_OBJECT_CLASS (byok_usage_store_parent_class)->dispose (object);
}

static void
byok_usage_store_finalize (GObject *object)
{
  ByokUsageStore *self = BYOK_USAGE_STORE (object);

  g_clear_pointer (&self->spend.by_provider, g_hash_table_unref);

  G_OBJECT_CLASS (byok_usage_store_parent_class)->finalize (object);
}

static void
byok_usage_store_class_init (ByokUsageStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = byok_usage_store_dispose;
  object_class->finalize = byok_usage_store_finalize;

  /**
   * ByokUsageStore::changed:
   *
   * Emitted after a call was recorded, in the thread that recorded it.
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
byok_usage_store_init (ByokUsageStore *self)
{
  self->spend.by_provider = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}
