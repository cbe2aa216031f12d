/* byok-what-if.c — what a period's usage would have cost on other models */
#define G_LOG_DOMAIN "byok-what-if"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "byok-catalog.h"
#include "byok-error.h"
#include "byok-usage-plan.h"
#include "byok-usage-rollup.h"
#include "byok-usage-store.h"
#include "byok-what-if.h"

static void
what_if_row_free (ByokWhatIfRow *row)
{
  if (row == NULL)
    return;
  g_free (row->provider);
  g_free (row->model);
  g_free (row->name);
  g_free (row);
}

void
byok_what_if_free (ByokWhatIf *what_if)
{
  if (what_if == NULL)
    return;
  g_clear_pointer (&what_if->rows, g_ptr_array_unref);
  g_free (what_if);
}

/* A group is repriced when every call that could have carried tokens had a
 * known price. Failed calls are often recorded without one (nothing was
 * billed), so unknown prices up to the number of failures are allowed. */
static gboolean
group_is_priced (const ByokUsageGroup *group)
{
  return group->totals.unknown_price_calls == 0 ||
         group->totals.unknown_price_calls <= group->totals.errors;
}

/* The average prompt of a group's calls: what picks a candidate's tier. */
static gint64
group_average_prompt (const ByokUsageGroup *group)
{
  guint64 calls = group->totals.calls > group->totals.errors
                  ? group->totals.calls - group->totals.errors
                  : group->totals.calls;

  if (calls == 0)
    return 0;
  return (gint64) (group->totals.input_tokens / calls);
}

/* The price that applies to calls of @prompt tokens, as a flat price, so
 * that byok_price_cost() does not pick a tier from the totals. */
static void
flat_price_for (const ByokPrice *price,
                gint64           prompt,
                ByokPrice       *flat)
{
  const ByokPriceTier *tier = byok_price_get_tier (price, prompt);

  if (tier != NULL)
    byok_price_init_flat (flat, tier->input, tier->cached_input, tier->cache_write, tier->output);
  else
    byok_price_init_flat (flat, price->input, price->cached_input, price->cache_write, price->output);
}

/* The cost of the priced groups at @price; FALSE when it is unknown. */
static gboolean
reprice (const ByokPrice *price,
         GPtrArray       *groups,
         double          *cost)
{
  double sum = 0;

  for (guint i = 0; i < groups->len; i++)
    {
      const ByokUsageGroup *group = g_ptr_array_index (groups, i);
      ByokPrice flat;
      double part;

      flat_price_for (price, group_average_prompt (group), &flat);
      if (!byok_price_cost (&flat,
                            (gint64) group->totals.input_tokens,
                            (gint64) group->totals.cached_input_tokens,
                            (gint64) group->totals.cache_write_tokens,
                            (gint64) group->totals.output_tokens,
                            &part))
        return FALSE;
      sum += part;
    }

  *cost = sum;
  return TRUE;
}

static gboolean
is_used (GPtrArray  *groups,
         const char *provider,
         const char *model)
{
  for (guint i = 0; i < groups->len; i++)
    {
      const ByokUsageGroup *group = g_ptr_array_index (groups, i);

      if (g_strcmp0 (group->provider, provider) == 0 && g_strcmp0 (group->model, model) == 0)
        return TRUE;
    }
  return FALSE;
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const ByokWhatIfRow *ra = *(const ByokWhatIfRow * const *) a;
  const ByokWhatIfRow *rb = *(const ByokWhatIfRow * const *) b;
  int cmp;

  if (ra->cost_usd < rb->cost_usd)
    return -1;
  if (ra->cost_usd > rb->cost_usd)
    return 1;
  cmp = g_strcmp0 (ra->provider, rb->provider);
  if (cmp != 0)
    return cmp;
  return g_strcmp0 (ra->model, rb->model);
}

/**
 * byok_what_if_compute:
 * @pricing: the prices in force (the catalog's, with the user's overrides)
 * @by_model: (element-type ByokUsageGroup): the period's usage by
 *   (provider, model), as in ByokUsageReport.by_model
 * @largest_prompt: the input tokens of the period's largest single call
 *   (byok_what_if_largest_prompt()), or 0 when unknown: nothing is flagged
 *
 * Reprices the period's usage on every model with a known price.
 *
 * Returns: (transfer full): the repricing, cheapest model first
 */
ByokWhatIf *
byok_what_if_compute (ByokPricing *pricing,
                      GPtrArray   *by_model,
                      gint64       largest_prompt)
{
  g_autoptr(GPtrArray) priced = NULL;
  g_autoptr(GPtrArray) prices = NULL;
  ByokCatalog *catalog;
  ByokWhatIf *what_if;

  g_return_val_if_fail (BYOK_IS_PRICING (pricing), NULL);

  catalog = byok_pricing_get_catalog (pricing);
  what_if = g_new0 (ByokWhatIf, 1);
  what_if->largest_prompt = MAX (largest_prompt, 0);
  what_if->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) what_if_row_free);

  priced = g_ptr_array_new ();
  for (guint i = 0; by_model != NULL && i < by_model->len; i++)
    {
      ByokUsageGroup *group = g_ptr_array_index (by_model, i);

      if (!group_is_priced (group))
        {
          what_if->unpriced_calls += group->totals.calls;
          continue;
        }
      g_ptr_array_add (priced, group);
      what_if->calls += group->totals.calls;
      what_if->input_tokens += group->totals.input_tokens;
      what_if->cached_input_tokens += group->totals.cached_input_tokens;
      what_if->cache_write_tokens += group->totals.cache_write_tokens;
      what_if->output_tokens += group->totals.output_tokens;
      what_if->actual_usd += group->totals.cost_usd;
    }

  if (priced->len == 0)
    return what_if;

  prices = byok_pricing_list (pricing);
  for (guint i = 0; i < prices->len; i++)
    {
      ByokPriceRow *price = g_ptr_array_index (prices, i);
      ByokProvider *provider = NULL;
      ByokModel *model = NULL;
      ByokWhatIfRow *row;
      double cost;

      if (catalog != NULL)
        {
          provider = byok_catalog_lookup_provider (catalog, price->provider_id);
          model = byok_catalog_lookup_model (catalog, price->provider_id, price->model_id);
        }
      if (provider != NULL && byok_provider_is_local (provider))
        continue;
      if (!byok_price_is_known (&price->price) || !reprice (&price->price, priced, &cost))
        continue;

      row = g_new0 (ByokWhatIfRow, 1);
      row->provider = g_strdup (price->provider_id);
      row->model = g_strdup (price->model_id);
      row->name = g_strdup (model != NULL && byok_model_get_name (model) != NULL
                            ? byok_model_get_name (model) : price->model_id);
      row->context_window = model != NULL ? byok_model_get_context_window (model) : 0;
      row->cost_usd = cost;
      row->delta_usd = cost - what_if->actual_usd;
      row->delta_ratio = what_if->actual_usd > 0 ? row->delta_usd / what_if->actual_usd : NAN;
      row->is_used = is_used (priced, price->provider_id, price->model_id);
      row->is_override = price->is_override;
      row->too_small = row->context_window > 0 && what_if->largest_prompt > row->context_window;
      g_ptr_array_add (what_if->rows, row);
    }

  g_ptr_array_sort (what_if->rows, compare_rows);
  return what_if;
}

/**
 * byok_what_if_find:
 *
 * Returns: (transfer none) (nullable): the row of (@provider, @model)
 */
const ByokWhatIfRow *
byok_what_if_find (ByokWhatIf *what_if,
                   const char *provider,
                   const char *model)
{
  g_return_val_if_fail (what_if != NULL, NULL);

  for (guint i = 0; i < what_if->rows->len; i++)
    {
      const ByokWhatIfRow *row = g_ptr_array_index (what_if->rows, i);

      if (g_strcmp0 (row->provider, provider) == 0 && g_strcmp0 (row->model, model) == 0)
        return row;
    }
  return NULL;
}

/* Whole past days from the usage rollup, the rest from the rows. */
static gint64
query_largest_prompt (sqlite3  *db,
                      gint64    from_us,
                      gint64    to_us,
                      GError  **error)
{
  g_auto(ByokUsagePlan) plan = { 0, };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 largest = 0;
  int rc;

  if (!byok_usage_plan_init (&plan, db, from_us, to_us, g_get_real_time (), FALSE, error))
    return -1;
  for (guint i = 0; i < plan.cells->len; i++)
    largest = MAX (largest, g_array_index (plan.cells, ByokUsageCell, i).max_input_tokens);
  if (plan.spans->len == 0)
    return largest;

  rc = sqlite3_prepare_v2 (db,
                           "SELECT MAX(input_tokens) FROM usage WHERE time >= ?1 AND time < ?2 "
                           "AND status <> 'in_flight'",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      byok_database_set_error (error, db, rc, _("Could not read the usage history"));
      return -1;
    }
  for (guint i = 0; i < plan.spans->len; i++)
    {
      const ByokUsageSpan *span = &g_array_index (plan.spans, ByokUsageSpan, i);

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, span->from_us);
      sqlite3_bind_int64 (stmt, 2, span->to_us);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        largest = MAX (largest, sqlite3_column_int64 (stmt, 0));
      else if (rc != SQLITE_DONE)
        {
          byok_database_set_error (error, db, rc, _("Could not read the usage history"));
          return -1;
        }
    }
  return largest;
}

/**
 * byok_what_if_largest_prompt:
 *
 * The input tokens of the largest single call in [@from_us, @to_us), on the
 * database's own connection (for the CLI and tests).
 *
 * Returns: the count (0 without calls), or -1 with @error set
 */
gint64
byok_what_if_largest_prompt (ByokDatabase  *database,
                             gint64         from_us,
                             gint64         to_us,
                             GError       **error)
{
  g_return_val_if_fail (BYOK_IS_DATABASE (database), -1);

  return query_largest_prompt (byok_database_get_handle (database), from_us, to_us, error);
}

typedef struct {
  char   *path;
  gint64  from_us;
  gint64  to_us;
} LargestData;

static void
largest_data_free (LargestData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
largest_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  LargestData *data = task_data;
  g_autoptr(sqlite3) db = NULL;
  GError *error = NULL;
  gint64 largest;

  db = byok_database_connect (data->path, TRUE, &error);
  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  largest = query_largest_prompt (db, data->from_us, data->to_us, &error);
  if (largest < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, largest);
}

/**
 * byok_what_if_largest_prompt_async:
 *
 * byok_what_if_largest_prompt() in a worker thread, on a connection of its
 * own, so the main loop never waits for it.
 */
void
byok_what_if_largest_prompt_async (ByokDatabase        *database,
                                   gint64               from_us,
                                   gint64               to_us,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LargestData *data;

  g_return_if_fail (BYOK_IS_DATABASE (database));

  task = g_task_new (database, cancellable, callback, user_data);
  g_task_set_source_tag (task, byok_what_if_largest_prompt_async);
  data = g_new0 (LargestData, 1);
  data->path = g_strdup (byok_database_get_path (database));
  data->from_us = from_us;
  data->to_us = to_us;
  g_task_set_task_data (task, data, (GDestroyNotify) largest_data_free);
  g_task_run_in_thread (task, largest_thread);
}

gint64
byok_what_if_largest_prompt_finish (ByokDatabase  *database,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, database), -1);

  return g_task_propagate_int (G_TASK (result), error);
}
