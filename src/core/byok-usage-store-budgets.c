/* byok-usage-store-budgets.c — month spend and budgets, checked before every call */
#define G_LOG_DOMAIN "byok-usage"

#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "byok-error.h"
#include "byok-usage-store-private.h"

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
  byok_database_bind_text_or_null (stmt, 3, provider);
  if (!byok_database_step_row (stmt, byok_database_get_handle (self->database),
                               _("Could not read this month's spending"), error))
    return FALSE;
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

  if (stmt == NULL)
    return FALSE;
  if (!byok_database_step_row (stmt, byok_database_get_handle (self->database),
                               _("Could not read the database"), error))
    return FALSE;
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
        _byok_usage_spend_cache_add (cache, (const char *) sqlite3_column_text (stmt, 0),
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
  _byok_usage_shift_month (&next_year, &next_month, 1);
  if (!spend_between (self, provider, _byok_usage_local_start_us (year, month, 1),
                      _byok_usage_local_start_us (next_year, next_month, 1), &spend, error))
    return 0;
  return spend;
}

static ByokBudget *
budget_from_stmt (sqlite3_stmt *stmt)
{
  ByokBudget *budget = g_new0 (ByokBudget, 1);

  budget->scope = byok_database_column_strdup (stmt, 0);
  budget->monthly_usd = sqlite3_column_double (stmt, 1);
  budget->hard_stop = sqlite3_column_int (stmt, 2) != 0;
  budget->last_alert_percent = sqlite3_column_int (stmt, 3);
  budget->alert_month = byok_database_column_strdup (stmt, 4);
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
  return byok_database_step_done (stmt, byok_database_get_handle (self->database),
                                  _("Could not save the budget"), error);
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
  return byok_database_step_done (stmt, byok_database_get_handle (self->database),
                                  _("Could not remove the budget"), error);
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
          if (!byok_database_step_done (stmt, byok_database_get_handle (self->database),
                                        _("Could not save the budget alert"), error))
            goto out;
          _byok_usage_store_spend_cache_advance (self, changes_before);

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


/**
 * byok_usage_store_cost_by_utc_day:
 * @provider: a provider id
 * @from_us: the start, unix µs
 * @to_us: the end (exclusive), unix µs
 *
 * What Byok recorded for @provider per UTC day — the days a provider's
 * bill is cut in (byok-provider-bill.h) — for comparing with its bill.
 * Calls in flight are left out. One indexed read of the period's rows, as
 * month_spend() does.
 *
 * Returns: (transfer full): "YYYY-MM-DD" → ByokUsageDayCost, or %NULL
 *   with @error set
 */
GHashTable *
byok_usage_store_cost_by_utc_day (ByokUsageStore  *self,
                                  const char      *provider,
                                  gint64           from_us,
                                  gint64           to_us,
                                  GError         **error)
{
  g_autoptr(GHashTable) days = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3 *db;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), NULL);
  g_return_val_if_fail (provider != NULL, NULL);

  db = byok_database_get_handle (self->database);
  stmt = byok_database_prepare_cached (self->database,
                                       "SELECT strftime ('%Y-%m-%d', time / 1000000, 'unixepoch'), "
                                       "total (cost_usd), sum (price_known = 0), count (*), "
                                       "sum (estimated <> 0), total (CASE WHEN estimated <> 0 THEN cost_usd END), "
                                       "sum (status = 'interrupted') "
                                       "FROM usage WHERE provider = ?1 AND time >= ?2 AND time < ?3 "
                                       "AND status <> 'in_flight' GROUP BY 1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, provider, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, from_us);
  sqlite3_bind_int64 (stmt, 3, to_us);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ByokUsageDayCost *day = g_new0 (ByokUsageDayCost, 1);

      day->cost_usd = sqlite3_column_double (stmt, 1);
      day->unknown_price_calls = (guint64) sqlite3_column_int64 (stmt, 2);
      day->calls = (guint64) sqlite3_column_int64 (stmt, 3);
      day->estimated_calls = (guint64) sqlite3_column_int64 (stmt, 4);
      day->estimated_usd = sqlite3_column_double (stmt, 5);
      day->interrupted_calls = (guint64) sqlite3_column_int64 (stmt, 6);
      g_hash_table_insert (days, byok_database_column_strdup (stmt, 0), day);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      byok_database_set_error (error, db, rc, _("Could not read the usage history"));
      return NULL;
    }
  return g_steal_pointer (&days);
}

void
byok_usage_unpriced_free (ByokUsageUnpriced *unpriced)
{
  if (unpriced == NULL)
    return;
  g_free (unpriced->day);
  g_free (unpriced->model);
  g_free (unpriced);
}

/**
 * byok_usage_store_unpriced_by_utc_day:
 *
 * The calls Byok recorded for @provider without a price, per UTC day and
 * model, with their tokens: what explains a bill above Byok's figure
 * (byok_bill_add_recorded() prices them at today's prices where it can).
 *
 * Returns: (transfer full) (element-type ByokUsageUnpriced): oldest day
 *   first, or %NULL with @error set
 */
GPtrArray *
byok_usage_store_unpriced_by_utc_day (ByokUsageStore  *self,
                                      const char      *provider,
                                      gint64           from_us,
                                      gint64           to_us,
                                      GError         **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_usage_unpriced_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BYOK_IS_USAGE_STORE (self), NULL);
  g_return_val_if_fail (provider != NULL, NULL);

  stmt = byok_database_prepare_cached (self->database,
                                       "SELECT strftime ('%Y-%m-%d', time / 1000000, 'unixepoch'), model, count (*), "
                                       "sum (input_tokens), sum (cached_input_tokens), sum (cache_write_tokens), "
                                       "sum (output_tokens) "
                                       "FROM usage WHERE provider = ?1 AND time >= ?2 AND time < ?3 "
                                       "AND status <> 'in_flight' AND price_known = 0 GROUP BY 1, 2 ORDER BY 1, 2",
                                       error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, provider, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, from_us);
  sqlite3_bind_int64 (stmt, 3, to_us);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ByokUsageUnpriced *row = g_new0 (ByokUsageUnpriced, 1);

      row->day = byok_database_column_strdup (stmt, 0);
      row->model = byok_database_column_strdup (stmt, 1);
      row->calls = (guint64) sqlite3_column_int64 (stmt, 2);
      row->input_tokens = sqlite3_column_int64 (stmt, 3);
      row->cached_tokens = sqlite3_column_int64 (stmt, 4);
      row->cache_write_tokens = sqlite3_column_int64 (stmt, 5);
      row->output_tokens = sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      byok_database_set_error (error, byok_database_get_handle (self->database), rc,
                               _("Could not read the usage history"));
      return NULL;
    }
  return g_steal_pointer (&rows);
}
