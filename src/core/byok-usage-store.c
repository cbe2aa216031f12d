/* byok-usage-store.c — one row per call: the object, periods and recording */
#define G_LOG_DOMAIN "byok-usage"

#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "byok-error.h"
#include "byok-process-lock.h"
#include "byok-usage-store-private.h"
#include "byok-usage-rollup.h"

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (ByokUsageStore, byok_usage_store, G_TYPE_OBJECT)

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

GDateTime *
_byok_usage_local_from_us (gint64 us)
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
gint64
_byok_usage_local_start_us (int year,
                            int month,
                            int day)
{
  /* The same days as the rollup's. */
  return byok_usage_local_midnight_us (year, month, day);
}

void
_byok_usage_shift_month (int *year,
                         int *month,
                         int  delta)
{
  int index = *year * 12 + (*month - 1) + delta;

  *year = index / 12;
  *month = index % 12 + 1;
}

void
_byok_usage_shift_day (int *year,
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
      _byok_usage_shift_day (&y2, &m2, &d2, 1);
      *to_us = _byok_usage_local_start_us (y2, m2, d2);
      if (period == BYOK_USAGE_PERIOD_LAST_7_DAYS)
        _byok_usage_shift_day (&y, &m, &d, -6);
      else if (period == BYOK_USAGE_PERIOD_LAST_30_DAYS)
        _byok_usage_shift_day (&y, &m, &d, -29);
      *from_us = _byok_usage_local_start_us (y, m, d);
      break;

    case BYOK_USAGE_PERIOD_THIS_MONTH:
    case BYOK_USAGE_PERIOD_LAST_12_MONTHS:
      _byok_usage_shift_month (&y2, &m2, 1);
      *to_us = _byok_usage_local_start_us (y2, m2, 1);
      if (period == BYOK_USAGE_PERIOD_LAST_12_MONTHS)
        {
          _byok_usage_shift_month (&y, &m, -11);
          bucket = BYOK_USAGE_BUCKET_MONTH;
        }
      *from_us = _byok_usage_local_start_us (y, m, 1);
      break;

    default:
      g_return_val_if_reached (BYOK_USAGE_BUCKET_DAY);
    }

  return bucket;
}

void
_byok_usage_spend_cache_add (SpendCache *cache,
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
void
_byok_usage_store_spend_cache_advance (ByokUsageStore *self,
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
  "http_status, is_retry, is_fallback, attempt, estimated, owner, "
  "reported_cost_usd) "
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
  "?16, ?17, ?18, ?19, ?20, ?21, ?24)";

/* A call in flight ends: every column as the insert binds them. */
static const char finish_sql[] =
  "UPDATE usage SET time = ?1, provider = ?2, model = ?3, conversation_id = ?4, "
  "input_tokens = ?5, output_tokens = ?6, cached_input_tokens = ?7, "
  "cache_write_tokens = ?8, reasoning_tokens = ?9, cost_usd = ?10, "
  "price_known = ?11, cache_savings_usd = ?12, latency_us = ?13, ttft_us = ?14, "
  "status = ?15, http_status = ?16, is_retry = ?17, is_fallback = ?18, "
  "attempt = ?19, estimated = ?20, reported_cost_usd = ?24, owner = NULL "
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
      (record->cost_reported && !isfinite (record->reported_cost_usd)) ||
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
  if (record->cost_reported)
    sqlite3_bind_double (stmt, 24, record->reported_cost_usd);
  else
    sqlite3_bind_null (stmt, 24);
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
  byok_database_bind_text_or_null (stmt, 21, owner);
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
        _byok_usage_spend_cache_add (&self->spend, record->provider, record->cost_usd);
      _byok_usage_store_spend_cache_advance (self, changes_before);
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
    _byok_usage_store_spend_cache_advance (self, changes_before);  /* nothing spent yet */
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
  record->provider = byok_database_column_strdup (stmt, COL_PROVIDER);
  record->model = byok_database_column_strdup (stmt, COL_MODEL);
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
  record->status = byok_database_column_strdup (stmt, COL_STATUS);
  record->http_status = sqlite3_column_int (stmt, COL_HTTP_STATUS);
  record->is_retry = sqlite3_column_int (stmt, COL_IS_RETRY) != 0;
  record->is_fallback = sqlite3_column_int (stmt, COL_IS_FALLBACK) != 0;
  record->attempt = sqlite3_column_int (stmt, COL_ATTEMPT);
  record->estimated = sqlite3_column_int (stmt, COL_ESTIMATED) != 0;
  record->cost_reported = sqlite3_column_type (stmt, COL_REPORTED_COST_USD) != SQLITE_NULL;
  record->reported_cost_usd = sqlite3_column_double (stmt, COL_REPORTED_COST_USD);
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
/* Worker threads                                                         */

void
_byok_usage_worker_data_free (ByokUsageWorkerData *data)
{
  g_free (data->path);
  g_clear_object (&data->file);
  g_free (data);
}

ByokUsageWorkerData *
_byok_usage_worker_data_new (ByokUsageStore *self,
                             gint64          from_us,
                             gint64          to_us)
{
  ByokUsageWorkerData *data = g_new0 (ByokUsageWorkerData, 1);

  data->path = g_strdup (byok_database_get_path (self->database));
  data->from_us = from_us;
  data->to_us = to_us;
  return data;
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

