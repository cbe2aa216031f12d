/* byok-test-engine.h — an engine as the tests open it: on a database in the
 * test's folder, with keys from a made-up environment, its providers
 * pointed at the provider test server */
#pragma once

#include "byok-catalog.h"
#include "byok-engine.h"
#include "byok-pricing.h"
#include "byok-test-server.h"
#include "byok-usage-store.h"

G_BEGIN_DECLS

ByokEngine *byok_test_engine_new           (const char         *db_path);
ByokEngine *byok_test_engine_new_in_dir    (const char         *name,
                                            char              **dir);
ByokEngine *byok_test_engine_new_served    (const char         *name,
                                            char              **dir,
                                            const char * const *env,
                                            ByokTestServer     *server,
                                            const char         *first_provider,
                                            ...) G_GNUC_NULL_TERMINATED;
void        byok_test_engine_use_env_keys  (ByokEngine         *engine,
                                            const char * const *env,
                                            const char         *first_provider,
                                            ...) G_GNUC_NULL_TERMINATED;
/* A call as the tests record it: @status NULL when it answered (HTTP 200),
 * else the error it failed with (HTTP 429); @cost < 0: its price unknown */
typedef struct {
  const char *provider;
  const char *model;
  gint64      input;
  gint64      cached;
  gint64      output;
  double      cost;
  gint64      latency_ms;
  const char *status;
} ByokTestCall;

gint64      byok_test_record_call          (ByokUsageStore     *store,
                                            ByokPricing        *pricing,
                                            gint64              time_us,
                                            const ByokTestCall *call);
void        byok_test_record_today         (ByokUsageStore     *store,
                                            ByokPricing        *pricing);
GPtrArray  *byok_test_engine_list_rows     (ByokEngine         *engine);
/* Records a call as it is, asserting the store takes it; its id */
/* A usage store on a new database, `byok.db` in a test folder of its own */
typedef struct {
  char           *dir;
  char           *path;
  ByokDatabase   *database;
  ByokUsageStore *store;
} ByokTestStore;

void        byok_test_store_open           (ByokTestStore      *store,
                                            const char         *name);
void        byok_test_store_close          (ByokTestStore      *store);
gint64      byok_test_record_usage         (ByokUsageStore        *store,
                                            const ByokUsageRecord *record);
void        byok_test_point_provider       (ByokCatalog        *catalog,
                                            const char         *provider_id,
                                            ByokTestServer     *server,
                                            const char         *path);
void        byok_test_point_providers      (ByokCatalog        *catalog,
                                            ByokTestServer     *server,
                                            const char         *first_provider,
                                            ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
