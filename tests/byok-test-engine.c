/* byok-test-engine.c — an engine as the tests open it */
#include "config.h"

#include <math.h>

#include "byok-key-store.h"
#include "byok-pricing.h"
#include "byok-provider.h"
#include "byok-test-engine.h"
#include "byok-test-util.h"
#include "byok-usage-store.h"

/**
 * byok_test_engine_new:
 * @db_path: the database file (made when missing)
 *
 * Returns: (transfer full): the engine on @db_path; one that cannot open
 *   fails the test
 */
ByokEngine *
byok_test_engine_new (const char *db_path)
{
  g_autoptr(GError) error = NULL;
  ByokEngine *engine = byok_engine_new (db_path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (engine);
  return engine;
}

/**
 * byok_test_engine_new_in_dir:
 * @name: the test's name, in its folder's
 * @dir: (out): the new folder, for byok_test_remove_tree()
 *
 * byok_test_engine_new() on `byok.db` in a new folder of the test's.
 */
ByokEngine *
byok_test_engine_new_in_dir (const char  *name,
                             char       **dir)
{
  g_autofree char *path = NULL;

  *dir = byok_test_make_dir (name);
  path = g_build_filename (*dir, "byok.db", NULL);
  return byok_test_engine_new (path);
}

/**
 * byok_test_store_open:
 * @store: what to fill
 * @name: the test's name, in its folder's
 *
 * Opens a usage store on `byok.db` in a new folder of the test's; a
 * database that cannot open fails the test.
 */
void
byok_test_store_open (ByokTestStore *store,
                      const char    *name)
{
  g_autoptr(GError) error = NULL;

  store->dir = byok_test_make_dir (name);
  store->path = g_build_filename (store->dir, "byok.db", NULL);
  store->database = byok_database_open (store->path, &error);
  g_assert_no_error (error);
  store->store = byok_usage_store_new (store->database);
}

/**
 * byok_test_store_close:
 *
 * Closes what byok_test_store_open() opened and removes its folder.
 */
void
byok_test_store_close (ByokTestStore *store)
{
  g_clear_object (&store->store);
  g_clear_object (&store->database);
  byok_test_remove_tree (store->dir);
  g_clear_pointer (&store->dir, g_free);
  g_clear_pointer (&store->path, g_free);
}

/* Where the provider test server plays each provider: what follows its
 * address in the provider's base URL */
static const struct {
  const char *provider_id;
  const char *path;
} provider_paths[] = {
  { "openai", "/v1" },
  { "anthropic", "" },
  { "gemini", "/v1beta" },
  { "moonshot", "/moonshot/v1" },
  { "zhipu", "/zhipu/v4" },
  { "deepseek", "/deepseek" },
  { "xai", "/xai/v1" },
  { "groq", "/groq/openai/v1" },
  { "openrouter", "/openrouter/api/v1" },
};

/* Sends @provider_id's calls to @server, at its own path there */
static void
point_at_server (ByokCatalog    *catalog,
                 ByokTestServer *server,
                 const char     *provider_id)
{
  guint i = 0;

  while (i < G_N_ELEMENTS (provider_paths) && !g_str_equal (provider_paths[i].provider_id, provider_id))
    i++;
  g_assert_cmpuint (i, <, G_N_ELEMENTS (provider_paths));
  byok_test_point_provider (catalog, provider_id, server, provider_paths[i].path);
}

/* @env is what the engine's key store reads, its key preferred for each
 * provider named; each also sent to @server (unless %NULL) */
static void
use_env_keys_valist (ByokEngine         *engine,
                     const char * const *env,
                     ByokTestServer     *server,
                     const char         *first_provider,
                     va_list             args)
{
  ByokKeyStore *keys = byok_engine_get_key_store (engine);

  byok_key_store_set_environment (keys, env);
  for (const char *id = first_provider; id != NULL; id = va_arg (args, const char *))
    {
      byok_key_store_set_prefer_environment (keys, id, TRUE);
      if (server != NULL)
        point_at_server (byok_engine_get_catalog (engine), server, id);
    }
}

/**
 * byok_test_engine_use_env_keys:
 * @env: the environment its key store reads ("OPENAI_API_KEY=…"), in
 *   place of the process's
 * @first_provider: (nullable): the first of the providers, %NULL-ended,
 *   whose key comes from @env even when the keyring has one
 */
void
byok_test_engine_use_env_keys (ByokEngine         *engine,
                               const char * const *env,
                               const char         *first_provider,
                               ...)
{
  va_list args;

  va_start (args, first_provider);
  use_env_keys_valist (engine, env, NULL, first_provider, args);
  va_end (args);
}

/**
 * byok_test_record_usage:
 * @store: the usage store
 * @record: the call, as the test fills it (the rest zero)
 *
 * Records @record as it is and asserts the store took it.
 *
 * Returns: the row's id
 */
gint64
byok_test_record_usage (ByokUsageStore        *store,
                        const ByokUsageRecord *record)
{
  g_autoptr(GError) error = NULL;
  gint64 id = byok_usage_store_record (store, record, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/**
 * byok_test_record_call:
 * @store: the usage store
 * @pricing: (nullable): what prices the call, as the engine does (its cost
 *   and its cache savings at the price in force), or %NULL for @call's cost
 * @time_us: when (0: now)
 * @call: the call
 *
 * Returns: the row's id
 */
gint64
byok_test_record_call (ByokUsageStore     *store,
                       ByokPricing        *pricing,
                       gint64              time_us,
                       const ByokTestCall *call)
{
  ByokUsageRecord record = {
    .time_us = time_us, .provider = (char *) call->provider, .model = (char *) call->model,
    .input_tokens = call->input, .cached_input_tokens = call->cached, .output_tokens = call->output,
    .price_known = call->cost >= 0, .cost_usd = MAX (call->cost, 0),
    .latency_us = call->latency_ms * 1000, .ttft_us = -1,
    .status = (char *) call->status, .http_status = call->status == NULL ? 200 : 429,
  };

  if (pricing != NULL)
    {
      ByokPrice price;

      record.cost_usd = 0;
      record.price_known = byok_pricing_cost (pricing, call->provider, call->model, call->input, call->cached, 0,
                                              call->output, &record.cost_usd);
      if (byok_pricing_lookup (pricing, call->provider, call->model, &price, NULL) && !isnan (price.cached_input))
        record.cache_savings_usd = call->cached * (price.input - price.cached_input) / 1e6;
    }
  return byok_test_record_usage (store, &record);
}

/**
 * byok_test_record_today:
 * @store: the usage store
 * @pricing: (nullable): as for byok_test_record_call()
 *
 * Records today's calls of the usage tests: two gpt-4o calls ($0.0325,
 * with 2,000 cached tokens, and $0.0175), a haiku call ($0.03) and a failed
 * one, a glm-4 call of unknown price.
 */
void
byok_test_record_today (ByokUsageStore *store,
                        ByokPricing    *pricing)
{
  static const ByokTestCall today[] = {
    { "openai", "gpt-4o", 10000, 2000, 1000, 0.0325, 800, NULL },
    { "openai", "gpt-4o", 5000, 0, 500, 0.0175, 1200, NULL },
    { "anthropic", "claude-haiku-4-5-20251001", 20000, 0, 2000, 0.03, 900, NULL },
    { "anthropic", "claude-haiku-4-5-20251001", 0, 0, 0, 0, 100, "RATE_LIMIT" },
    { "zhipu", "glm-4", 1000, 0, 100, -1, 700, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (today); i++)
    byok_test_record_call (store, pricing, 0, &today[i]);
}

static gint
compare_by_id (gconstpointer a,
               gconstpointer b)
{
  const ByokUsageRecord *x = *(ByokUsageRecord * const *) a;
  const ByokUsageRecord *y = *(ByokUsageRecord * const *) b;

  return x->id < y->id ? -1 : x->id > y->id;
}

/**
 * byok_test_engine_list_rows:
 *
 * Returns: (transfer container) (element-type ByokUsageRecord): the
 *   engine's usage rows, oldest first (the last 100)
 */
GPtrArray *
byok_test_engine_list_rows (ByokEngine *engine)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = byok_usage_store_list_recent (byok_engine_get_usage_store (engine), 100, &error);

  g_assert_no_error (error);
  g_ptr_array_sort (rows, compare_by_id);
  return rows;
}

/**
 * byok_test_point_provider:
 * @path: what follows the server's address in the provider's base URL
 *   ("/v1", "" for Anthropic's)
 *
 * Sends @provider_id's calls to @server.
 */
void
byok_test_point_provider (ByokCatalog    *catalog,
                          const char     *provider_id,
                          ByokTestServer *server,
                          const char     *path)
{
  g_autofree char *url = g_strconcat (byok_test_server_get_url (server), path, NULL);
  ByokProvider *provider = byok_catalog_lookup_provider (catalog, provider_id);

  g_assert_nonnull (provider);
  byok_provider_set_base_url (provider, url);
}

/**
 * byok_test_point_providers:
 * @first_provider: the first of the providers, %NULL-ended
 *
 * Sends each provider's calls to @server, each at its own path there
 * ("/v1" for OpenAI, "/deepseek" for DeepSeek, …).
 */
void
byok_test_point_providers (ByokCatalog    *catalog,
                           ByokTestServer *server,
                           const char     *first_provider,
                           ...)
{
  va_list args;

  va_start (args, first_provider);
  for (const char *id = first_provider; id != NULL; id = va_arg (args, const char *))
    point_at_server (catalog, server, id);
  va_end (args);
}

/**
 * byok_test_engine_new_served:
 * @name: the test's name, in its folder's
 * @dir: (out): the new folder, for byok_test_remove_tree()
 * @env: the environment its key store reads, in place of the process's
 * @server: the provider test server
 * @first_provider: the first of the providers, %NULL-ended
 *
 * byok_test_engine_new_in_dir() whose providers named take their keys from
 * @env and send their calls to @server, each at its own path there.
 */
ByokEngine *
byok_test_engine_new_served (const char         *name,
                             char              **dir,
                             const char * const *env,
                             ByokTestServer     *server,
                             const char         *first_provider,
                             ...)
{
  ByokEngine *engine = byok_test_engine_new_in_dir (name, dir);
  va_list args;

  va_start (args, first_provider);
  use_env_keys_valist (engine, env, server, first_provider, args);
  va_end (args);
  return engine;
}
