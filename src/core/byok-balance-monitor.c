/* byok-balance-monitor.c — the balances the app shows, kept fresh */
#define G_LOG_DOMAIN "byok-balance"

#include "config.h"

#include <math.h>

#include "byok-balance-monitor.h"

#define DEFAULT_THROTTLE_SECONDS 60

struct _ByokBalanceMonitor
{
  GObject       parent_instance;

  ByokEngine   *engine;           /* weak: the engine owns the monitor */
  GHashTable   *balances;         /* provider id → ByokBalance */
  GHashTable   *paces;            /* provider id → double* (USD a day) */
  GHashTable   *refreshing;       /* provider ids being read */
  GHashTable   *last_read;        /* provider id → gint64* monotonic µs of the last read started */
  GHashTable   *pending;          /* provider id → GSource id of a throttled read */
  GCancellable *cancellable;
  guint         throttle_seconds;
  gulong        recorded_id;
};

G_DEFINE_FINAL_TYPE (ByokBalanceMonitor, byok_balance_monitor, G_TYPE_OBJECT)

enum {
  CHANGED,
  LOW_BALANCE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
has_endpoint (ByokBalanceMonitor *self,
              const char         *provider_id)
{
  ByokProvider *provider = byok_catalog_lookup_provider (byok_engine_get_catalog (self->engine), provider_id);

  return provider != NULL && byok_provider_get_balance_format (provider) != BYOK_BALANCE_FORMAT_NONE;
}

/* ---- pace ---------------------------------------------------------------- */

static void
pace_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ByokBalanceMonitor) self = user_data;
  g_autoptr(ByokUsageReport) report = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key;

  report = byok_usage_store_report_finish (BYOK_USAGE_STORE (source), result, &error);
  if (report == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No pace for the balances: %s", error->message);
      return;
    }
  g_hash_table_remove_all (self->paces);
  for (guint i = 0; i < report->by_provider->len; i++)
    {
      ByokUsageGroup *group = g_ptr_array_index (report->by_provider, i);
      double *pace = g_new (double, 1);

      *pace = group->totals.cost_usd / BYOK_BALANCE_PACE_DAYS;
      g_hash_table_insert (self->paces, g_strdup (group->provider), pace);
    }
  g_hash_table_iter_init (&iter, self->balances);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_signal_emit (self, signals[CHANGED], 0, (const char *) key);
}

static void
update_pace (ByokBalanceMonitor *self)
{
  gint64 now = g_get_real_time ();

  byok_usage_store_report_async (byok_engine_get_usage_store (self->engine),
                                 now - (gint64) BYOK_BALANCE_PACE_DAYS * 24 * 3600 * G_USEC_PER_SEC, now,
                                 BYOK_USAGE_BUCKET_DAY, self->cancellable, pace_done, g_object_ref (self));
}

/* ---- reading ------------------------------------------------------------- */

static void
store (ByokBalanceMonitor *self,
       ByokBalance        *balance)
{
  g_autoptr(GError) error = NULL;

  if (!byok_balance_save (byok_engine_get_provider_settings (self->engine), balance, &error))
    g_warning ("Could not keep the balance of %s: %s", balance->provider, error->message);
  g_hash_table_replace (self->balances, g_strdup (balance->provider), balance);
}

typedef struct {
  ByokBalanceMonitor *self;
  char               *provider_id;
} Read;

static void
read_free (Read *read)
{
  g_object_unref (read->self);
  g_free (read->provider_id);
  g_free (read);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Read, read_free)

static void
read_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Read) read = user_data;
  ByokBalanceMonitor *self = read->self;
  const char *provider_id = read->provider_id;
  g_autoptr(ByokBalance) balance = NULL;
  g_autoptr(GError) error = NULL;
  const ByokBalance *last;
  gboolean crossed;
  double threshold;

  balance = byok_balance_fetch_finish (BYOK_CLIENT (source), result, &error);
  if (self->engine == NULL ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, BYOK_ERROR, BYOK_ERROR_CANCELLED))
    return;
  g_hash_table_remove (self->refreshing, provider_id);
  last = g_hash_table_lookup (self->balances, provider_id);

  if (balance == NULL)
    {
      /* No key: nothing to show, and nothing kept from another key. */
      if (g_error_matches (error, BYOK_ERROR, BYOK_ERROR_NO_KEY))
        {
          if (last != NULL)
            {
              g_hash_table_remove (self->balances, provider_id);
              byok_provider_settings_set_value (byok_engine_get_provider_settings (self->engine),
                                                provider_id, BYOK_PROVIDER_SETTING_BALANCE, NULL, NULL);
            }
        }
      else
        store (self, byok_balance_merge_failure (last, provider_id, error));
      g_signal_emit (self, signals[CHANGED], 0, provider_id);
      return;
    }

  /* Below the threshold now, and not already below it last time. */
  threshold = byok_balance_get_threshold (byok_engine_get_provider_settings (self->engine), provider_id);
  crossed = isfinite (threshold) && balance->available < threshold &&
            !(byok_balance_has_value (last) && g_strcmp0 (last->currency, balance->currency) == 0 &&
              last->available < threshold);
  store (self, g_steal_pointer (&balance));
  g_signal_emit (self, signals[CHANGED], 0, provider_id);
  if (crossed)
    g_signal_emit (self, signals[LOW_BALANCE], 0, provider_id);
}

static void
read_one (ByokBalanceMonitor *self,
          const char         *provider_id)
{
  gint64 *started;
  Read *read;

  if (g_hash_table_contains (self->refreshing, provider_id))
    return;
  g_hash_table_remove (self->pending, provider_id);
  started = g_new (gint64, 1);
  *started = g_get_monotonic_time ();
  g_hash_table_replace (self->last_read, g_strdup (provider_id), started);
  g_hash_table_add (self->refreshing, g_strdup (provider_id));
  g_signal_emit (self, signals[CHANGED], 0, provider_id);

  read = g_new0 (Read, 1);
  read->self = g_object_ref (self);
  read->provider_id = g_strdup (provider_id);
  byok_balance_fetch_async (byok_engine_get_client (self->engine), provider_id, self->cancellable,
                            read_done, read);
}

/* Reads every enabled provider with a balance endpoint whose last read
 * started at least @min_age_us ago. */
static void
read_all (ByokBalanceMonitor *self,
          gint64              min_age_us)
{
  g_autoptr(GPtrArray) providers = byok_catalog_get_providers (byok_engine_get_catalog (self->engine));
  gint64 now = g_get_monotonic_time ();

  for (guint i = 0; i < providers->len; i++)
    {
      ByokProvider *provider = g_ptr_array_index (providers, i);
      const gint64 *last = g_hash_table_lookup (self->last_read, byok_provider_get_id (provider));

      if (byok_provider_get_balance_format (provider) != BYOK_BALANCE_FORMAT_NONE &&
          byok_provider_get_enabled (provider) && (last == NULL || now - *last >= min_age_us))
        read_one (self, byok_provider_get_id (provider));
    }
}

/**
 * byok_balance_monitor_refresh:
 * @provider_id: (nullable): one provider, or %NULL for every provider that
 *   has a balance endpoint
 *
 * Reads the balances again now (a read under way is not repeated), and
 * the pace.
 */
void
byok_balance_monitor_refresh (ByokBalanceMonitor *self,
                              const char         *provider_id)
{
  g_return_if_fail (BYOK_IS_BALANCE_MONITOR (self));

  if (self->engine == NULL)
    return;
  if (provider_id != NULL)
    {
      if (has_endpoint (self, provider_id))
        read_one (self, provider_id);
    }
  else
    read_all (self, 0);
  update_pace (self);
}

/**
 * byok_balance_monitor_refresh_stale:
 *
 * Reads again the balances not read in the last
 * ByokBalanceMonitor:throttle-seconds (what opening a page does), and the
 * pace.
 */
void
byok_balance_monitor_refresh_stale (ByokBalanceMonitor *self)
{
  g_return_if_fail (BYOK_IS_BALANCE_MONITOR (self));

  if (self->engine == NULL)
    return;
  read_all (self, (gint64) self->throttle_seconds * G_USEC_PER_SEC);
  update_pace (self);
}

static gboolean
throttled_read (gpointer data)
{
  ByokBalanceMonitor *self = g_object_get_data (G_OBJECT (data), "byok-monitor");
  const char *provider_id = g_object_get_data (G_OBJECT (data), "byok-provider");
  gpointer key = NULL;

  /* This source ends here: not removed again with the table's entry. */
  if (g_hash_table_steal_extended (self->pending, provider_id, &key, NULL))
    g_free (key);
  byok_balance_monitor_refresh (self, provider_id);
  return G_SOURCE_REMOVE;
}

static void
usage_recorded_cb (ByokEngine         *engine,
                   ByokUsageRecord    *record,
                   ByokBalanceMonitor *self)
{
  const gint64 *last;
  gint64 since;
  gint64 wait_us;

  if (record == NULL || record->provider == NULL || !has_endpoint (self, record->provider) ||
      g_hash_table_contains (self->pending, record->provider))
    return;

  last = g_hash_table_lookup (self->last_read, record->provider);
  since = last != NULL ? g_get_monotonic_time () - *last : G_MAXINT64;
  wait_us = (gint64) self->throttle_seconds * G_USEC_PER_SEC - since;
  if (wait_us <= 0)
    {
      byok_balance_monitor_refresh (self, record->provider);
      return;
    }
  {
    /* A carrier for the timeout: the monitor and the provider id. */
    GObject *carrier = g_object_new (G_TYPE_OBJECT, NULL);
    guint id;

    g_object_set_data (carrier, "byok-monitor", self);
    g_object_set_data_full (carrier, "byok-provider", g_strdup (record->provider), g_free);
    id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) MIN (wait_us / 1000 + 1, G_MAXUINT),
                             throttled_read, carrier, g_object_unref);
    g_hash_table_insert (self->pending, g_strdup (record->provider), GUINT_TO_POINTER (id));
  }
}

/* ---- object -------------------------------------------------------------- */

static void
load_kept (ByokBalanceMonitor *self)
{
  g_autoptr(GPtrArray) providers = byok_catalog_get_providers (byok_engine_get_catalog (self->engine));

  for (guint i = 0; i < providers->len; i++)
    {
      ByokProvider *provider = g_ptr_array_index (providers, i);
      ByokBalance *balance;

      if (byok_provider_get_balance_format (provider) == BYOK_BALANCE_FORMAT_NONE)
        continue;
      balance = byok_balance_load (byok_engine_get_provider_settings (self->engine),
                                   byok_provider_get_id (provider));
      if (balance != NULL)
        g_hash_table_replace (self->balances, g_strdup (byok_provider_get_id (provider)), balance);
    }
}

static void
remove_pending (gpointer data)
{
  g_source_remove (GPOINTER_TO_UINT (data));
}

static void
byok_balance_monitor_dispose (GObject *object)
{
  ByokBalanceMonitor *self = BYOK_BALANCE_MONITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_hash_table_remove_all (self->pending);
  if (self->engine != NULL && self->recorded_id != 0 &&
      g_signal_handler_is_connected (self->engine, self->recorded_id))
    g_signal_handler_disconnect (self->engine, self->recorded_id);
  self->recorded_id = 0;
  self->engine = NULL;

  G_OBJECT_CLASS (byok_balance_monitor_parent_class)->dispose (object);
}

static void
byok_balance_monitor_finalize (GObject *object)
{
  ByokBalanceMonitor *self = BYOK_BALANCE_MONITOR (object);

  g_clear_object (&self->cancellable);
  g_hash_table_unref (self->balances);
  g_hash_table_unref (self->paces);
  g_hash_table_unref (self->refreshing);
  g_hash_table_unref (self->last_read);
  g_hash_table_unref (self->pending);

  G_OBJECT_CLASS (byok_balance_monitor_parent_class)->finalize (object);
}

static void
byok_balance_monitor_class_init (ByokBalanceMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = byok_balance_monitor_dispose;
  object_class->finalize = byok_balance_monitor_finalize;

  /**
   * ByokBalanceMonitor::changed:
   * @provider_id: whose balance, failure, reading state or pace changed
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * ByokBalanceMonitor::low-balance:
   * @provider_id: whose balance fell below the threshold the person set
   */
  signals[LOW_BALANCE] =
    g_signal_new ("low-balance", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
byok_balance_monitor_init (ByokBalanceMonitor *self)
{
  self->balances = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) byok_balance_free);
  self->paces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->refreshing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->last_read = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, remove_pending);
  self->cancellable = g_cancellable_new ();
  self->throttle_seconds = DEFAULT_THROTTLE_SECONDS;
}

/* With the engine: no read calls back into it afterwards. */
static void
monitor_release (gpointer data)
{
  g_object_run_dispose (data);
  g_object_unref (data);
}

/**
 * byok_balance_monitor_get_for_engine:
 *
 * Returns: (transfer none): the engine's monitor, made the first time
 */
ByokBalanceMonitor *
byok_balance_monitor_get_for_engine (ByokEngine *engine)
{
  ByokBalanceMonitor *self;

  g_return_val_if_fail (BYOK_IS_ENGINE (engine), NULL);

  self = g_object_get_data (G_OBJECT (engine), "byok-balance-monitor");
  if (self != NULL)
    return self;
  self = g_object_new (BYOK_TYPE_BALANCE_MONITOR, NULL);
  self->engine = engine;
  self->recorded_id = g_signal_connect (engine, "usage-recorded", G_CALLBACK (usage_recorded_cb), self);
  load_kept (self);
  g_object_set_data_full (G_OBJECT (engine), "byok-balance-monitor", self, monitor_release);
  return self;
}

/**
 * byok_balance_monitor_list_shown:
 *
 * Returns: (transfer container) (element-type ByokProvider): the providers
 *   whose balance is known or failed to be read, in the catalog's order
 */
GPtrArray *
byok_balance_monitor_list_shown (ByokBalanceMonitor *self)
{
  GPtrArray *shown = g_ptr_array_new ();
  g_autoptr(GPtrArray) providers = NULL;

  g_return_val_if_fail (BYOK_IS_BALANCE_MONITOR (self), shown);

  if (self->engine == NULL)
    return shown;
  providers = byok_catalog_get_providers (byok_engine_get_catalog (self->engine));
  for (guint i = 0; i < providers->len; i++)
    {
      ByokProvider *provider = g_ptr_array_index (providers, i);

      if (g_hash_table_contains (self->balances, byok_provider_get_id (provider)))
        g_ptr_array_add (shown, provider);
    }
  return shown;
}

/**
 * byok_balance_monitor_get:
 * Returns: (transfer none) (nullable): the balance kept for @provider_id
 */
const ByokBalance *
byok_balance_monitor_get (ByokBalanceMonitor *self,
                          const char         *provider_id)
{
  g_return_val_if_fail (BYOK_IS_BALANCE_MONITOR (self), NULL);

  return g_hash_table_lookup (self->balances, provider_id);
}

/**
 * byok_balance_monitor_get_pace:
 * Returns: what @provider_id's calls cost a day (USD) over the last
 *   %BYOK_BALANCE_PACE_DAYS days, NAN until known
 */
double
byok_balance_monitor_get_pace (ByokBalanceMonitor *self,
                               const char         *provider_id)
{
  const double *pace;

  g_return_val_if_fail (BYOK_IS_BALANCE_MONITOR (self), NAN);

  pace = g_hash_table_lookup (self->paces, provider_id);
  return pace != NULL ? *pace : NAN;
}

/**
 * byok_balance_monitor_describe:
 * Returns: (transfer full): "DeepSeek: $4.12 left · at your 30-day pace,
 *   about 23 days" (byok_balance_describe())
 */
char *
byok_balance_monitor_describe (ByokBalanceMonitor *self,
                               const char         *provider_id)
{
  ByokProvider *provider;

  g_return_val_if_fail (BYOK_IS_BALANCE_MONITOR (self), NULL);

  provider = self->engine != NULL ? byok_catalog_lookup_provider (byok_engine_get_catalog (self->engine),
                                                                  provider_id) : NULL;
  return byok_balance_describe (byok_balance_monitor_get (self, provider_id),
                                provider != NULL ? byok_provider_get_name (provider) : provider_id,
                                byok_balance_monitor_get_pace (self, provider_id), BYOK_BALANCE_PACE_DAYS);
}

/**
 * byok_balance_monitor_describe_amount:
 * Returns: (transfer full): "$4.12 left · at your 30-day pace, about 23
 *   days" (byok_balance_describe_amount())
 */
char *
byok_balance_monitor_describe_amount (ByokBalanceMonitor *self,
                                      const char         *provider_id)
{
  g_return_val_if_fail (BYOK_IS_BALANCE_MONITOR (self), NULL);

  return byok_balance_describe_amount (byok_balance_monitor_get (self, provider_id),
                                       byok_balance_monitor_get_pace (self, provider_id),
                                       BYOK_BALANCE_PACE_DAYS);
}

gboolean
byok_balance_monitor_is_refreshing (ByokBalanceMonitor *self,
                                    const char         *provider_id)
{
  g_return_val_if_fail (BYOK_IS_BALANCE_MONITOR (self), FALSE);

  return g_hash_table_contains (self->refreshing, provider_id);
}

guint
byok_balance_monitor_get_throttle_seconds (ByokBalanceMonitor *self)
{
  g_return_val_if_fail (BYOK_IS_BALANCE_MONITOR (self), 0);

  return self->throttle_seconds;
}

/**
 * byok_balance_monitor_set_throttle_seconds:
 *
 * After a call, a provider's balance is read again at most once in this
 * many seconds (60 by default). Reads already waiting are dropped; the
 * next call plans its read with the new throttle.
 */
void
byok_balance_monitor_set_throttle_seconds (ByokBalanceMonitor *self,
                                           guint               seconds)
{
  g_return_if_fail (BYOK_IS_BALANCE_MONITOR (self));

  self->throttle_seconds = seconds;
  /* Reads waiting for the old throttle are planned again at the next call. */
  g_hash_table_remove_all (self->pending);
}
