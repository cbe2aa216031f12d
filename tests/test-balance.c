/* test-balance.c — provider balances against the test server playing
 * DeepSeek, Moonshot and OpenRouter from their documented shapes: each
 * endpoint's success, a key without access and an error; the key goes only
 * to the provider's own address and into no message; a failed read keeps
 * the last value with its time; the low-balance signal comes once per
 * crossing; the description and its pace arithmetic; and
 * `byok-cli balance [--json]`.
 *
 * Runs inside build-aux/test-session (the engine's key store). */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "byok-balance.h"
#include "byok-balance-monitor.h"
#include "byok-engine.h"
#include "byok-error.h"
#include "byok-test-cli.h"
#include "byok-test-engine.h"
#include "byok-test-server.h"
#include "byok-test-util.h"

#define DEEPSEEK_KEY   "sk-test-fake-deepseek-balance-0001"
#define MOONSHOT_KEY   "sk-test-fake-moonshot-balance-0002"
#define OPENROUTER_KEY "sk-or-v1-test-fake-balance-0003"

typedef struct {
  char           *dir;
  ByokEngine     *engine;
  ByokTestServer *server;
  GPtrArray      *changed;
  GPtrArray      *low;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char *env[] = { "DEEPSEEK_API_KEY=" DEEPSEEK_KEY, "MOONSHOT_API_KEY=" MOONSHOT_KEY,
                        "OPENROUTER_API_KEY=" OPENROUTER_KEY, NULL };

  f->server = byok_test_server_new ();
  f->engine = byok_test_engine_new_served ("balance", &f->dir, env, f->server, "deepseek", "moonshot", "openrouter",
                                           NULL);
  byok_client_set_max_attempts (byok_engine_get_client (f->engine), 1);
  f->changed = g_ptr_array_new_with_free_func (g_free);
  f->low = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->engine);
  g_clear_object (&f->server);
  byok_test_remove_tree (f->dir);
  g_free (f->dir);
  g_ptr_array_unref (f->changed);
  g_ptr_array_unref (f->low);
}

static void
reply_fixture (Fixture    *f,
               const char *path,
               guint       status,
               const char *name)
{
  g_autoptr(GBytes) body = byok_test_load_fixture ("balances", name);
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  byok_test_server_add_reply (f->server, path, byok_test_reply_new_json (status, text));
}

static ByokBalance *
fetch (Fixture     *f,
       const char  *provider_id,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  ByokClient *client = byok_engine_get_client (f->engine);

  byok_balance_fetch_async (client, provider_id, NULL, byok_test_store_result, &result);
  byok_test_wait_result (&result);
  return byok_balance_fetch_finish (client, result, error);
}

static double
detail (const ByokBalance *balance,
        const char        *member)
{
  return json_object_get_double_member (json_node_get_object (balance->details), member);
}

static void
assert_no_key (const char *text)
{
  g_assert_null (strstr (text, DEEPSEEK_KEY));
  g_assert_null (strstr (text, MOONSHOT_KEY));
  g_assert_null (strstr (text, OPENROUTER_KEY));
}

static void
assert_sent_key (Fixture    *f,
                 guint       index,
                 const char *path,
                 const char *key)
{
  ByokTestRequest *request = byok_test_server_get_request (f->server, index);
  g_autofree char *bearer = g_strconcat ("Bearer ", key, NULL);

  g_assert_cmpstr (request->method, ==, "GET");
  g_assert_cmpstr (request->path, ==, path);
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==, bearer);
}

/* ---- DeepSeek ------------------------------------------------------------ */

static void
test_deepseek (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(ByokBalance) balance = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;

  reply_fixture (f, "/deepseek/user/balance", 200, "deepseek-balance.json");
  balance = fetch (f, "deepseek", &error);
  g_assert_no_error (error);
  assert_sent_key (f, 0, "/deepseek/user/balance", DEEPSEEK_KEY);

  /* The USD balance of the two; the provider's figures beside it. */
  g_assert_cmpstr (balance->provider, ==, "deepseek");
  g_assert_cmpstr (balance->currency, ==, "USD");
  g_assert_cmpfloat_with_epsilon (balance->available, 4.12, 1e-9);
  g_assert_cmpfloat_with_epsilon (detail (balance, "topped_up_balance"), 4.12, 1e-9);
  g_assert_cmpfloat_with_epsilon (detail (balance, "granted_balance"), 0, 1e-9);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (balance->details), "is_available"));
  g_assert_cmpint (balance->checked_at, >=, before);
  g_assert_null (balance->error_message);
}

static void
test_deepseek_cny_only (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(ByokBalance) balance = NULL;
  g_autoptr(GError) error = NULL;

  byok_test_server_add_reply (f->server, "/deepseek/user/balance",
                              byok_test_reply_new_json (200, "{\"is_available\": true, \"balance_infos\": ["
                                                             "{\"currency\": \"CNY\", \"total_balance\": \"110.00\","
                                                             " \"granted_balance\": \"10.00\","
                                                             " \"topped_up_balance\": \"100.00\"}]}"));
  balance = fetch (f, "deepseek", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (balance->currency, ==, "CNY");
  g_assert_cmpfloat_with_epsilon (balance->available, 110, 1e-9);
  /* Byok prices in USD and converts nothing: no days from a USD pace. */
  g_assert_true (isnan (byok_balance_days_left (balance, 1.0)));
}

/* A key without access, an error, a shape Byok cannot read, a redirect. */
static void
test_deepseek_failures (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  ByokBalance *balance;

  reply_fixture (f, "/deepseek/user/balance", 401, "deepseek-error-auth.json");
  balance = fetch (f, "deepseek", &error);
  g_assert_null (balance);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "does not show the balance to this key"));
  assert_no_key (error->message);
  g_clear_error (&error);

  reply_fixture (f, "/deepseek/user/balance", 500, "error-server.json");
  balance = fetch (f, "deepseek", &error);
  g_assert_null (balance);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_SERVER);
  g_clear_error (&error);

  byok_test_server_add_reply (f->server, "/deepseek/user/balance",
                              byok_test_reply_new_json (200, "{\"is_available\": true, \"balance_infos\": []}"));
  balance = fetch (f, "deepseek", &error);
  g_assert_null (balance);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_clear_error (&error);

  /* A redirect is not followed: the key would go with it. */
  {
    ByokTestReply *reply = byok_test_reply_new (302);

    byok_test_reply_add_header (reply, "Location", "http://127.0.0.2:9/steal");
    byok_test_server_add_reply (f->server, "/deepseek/user/balance", reply);
  }
  balance = fetch (f, "deepseek", &error);
  g_assert_null (balance);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 4);
}

/* ---- Moonshot ------------------------------------------------------------ */

static void
test_moonshot (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(ByokBalance) balance = NULL;
  g_autoptr(GError) error = NULL;
  ByokProvider *moonshot = byok_catalog_lookup_provider (byok_engine_get_catalog (f->engine), "moonshot");

  reply_fixture (f, "/moonshot/v1/users/me/balance", 200, "moonshot-balance.json");
  balance = fetch (f, "moonshot", &error);
  g_assert_no_error (error);
  assert_sent_key (f, 0, "/moonshot/v1/users/me/balance", MOONSHOT_KEY);
  g_assert_cmpstr (balance->currency, ==, "USD");
  g_assert_cmpfloat_with_epsilon (balance->available, 49.58894, 1e-9);
  g_assert_cmpfloat_with_epsilon (detail (balance, "voucher_balance"), 46.58893, 1e-9);
  g_assert_cmpfloat_with_epsilon (detail (balance, "cash_balance"), 3.00001, 1e-9);

  /* The China endpoint counts in CNY, the international one in USD. */
  byok_provider_set_base_url (moonshot, "https://api.moonshot.cn/v1");
  g_assert_cmpstr (byok_provider_get_balance_currency (moonshot), ==, "CNY");
  byok_provider_set_base_url (moonshot, "https://api.moonshot.ai/v1");
  g_assert_cmpstr (byok_provider_get_balance_currency (moonshot), ==, "USD");
}

static void
test_moonshot_failures (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  ByokBalance *balance;

  reply_fixture (f, "/moonshot/v1/users/me/balance", 401, "moonshot-error-auth.json");
  balance = fetch (f, "moonshot", &error);
  g_assert_null (balance);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_AUTH);
  assert_no_key (error->message);
  g_clear_error (&error);

  reply_fixture (f, "/moonshot/v1/users/me/balance", 500, "error-server.json");
  balance = fetch (f, "moonshot", &error);
  g_assert_null (balance);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_SERVER);
  g_clear_error (&error);

  /* A 200 whose code says it failed. */
  byok_test_server_add_reply (f->server, "/moonshot/v1/users/me/balance",
                              byok_test_reply_new_json (200, "{\"code\": 5, \"scode\": \"0x5\", \"status\": false}"));
  balance = fetch (f, "moonshot", &error);
  g_assert_null (balance);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "0x5"));
}

/* ---- OpenRouter ---------------------------------------------------------- */

static void
test_openrouter (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(ByokBalance) balance = NULL;
  g_autoptr(GError) error = NULL;

  /* A management key: the account's credits, and the key's limit when
   * that is lower (5 − 0.10 < 100.5 − 25.75). */
  reply_fixture (f, "/openrouter/api/v1/credits", 200, "openrouter-credits.json");
  reply_fixture (f, "/openrouter/api/v1/key", 200, "openrouter-key.json");
  balance = fetch (f, "openrouter", &error);
  g_assert_no_error (error);
  assert_sent_key (f, 0, "/openrouter/api/v1/credits", OPENROUTER_KEY);
  assert_sent_key (f, 1, "/openrouter/api/v1/key", OPENROUTER_KEY);
  g_assert_cmpstr (balance->currency, ==, "USD");
  g_assert_cmpfloat_with_epsilon (balance->available, 4.8984355238, 1e-9);
  g_assert_cmpfloat_with_epsilon (detail (balance, "total_credits"), 100.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (detail (balance, "total_usage"), 25.75, 1e-9);
  g_assert_cmpfloat_with_epsilon (detail (balance, "limit"), 5, 1e-9);
}

static void
test_openrouter_key_without_access (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(ByokBalance) balance = NULL;
  g_autoptr(GError) error = NULL;
  ByokBalance *none;

  /* An ordinary key may not read /credits: its own limit is the balance. */
  reply_fixture (f, "/openrouter/api/v1/credits", 403, "openrouter-error-forbidden.json");
  reply_fixture (f, "/openrouter/api/v1/key", 200, "openrouter-key.json");
  balance = fetch (f, "openrouter", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (balance->available, 4.8984355238, 1e-9);
  g_assert_false (json_object_has_member (json_node_get_object (balance->details), "total_credits"));

  /* … and a key without a limit has nothing to tell: said so. */
  reply_fixture (f, "/openrouter/api/v1/credits", 401, "openrouter-error-forbidden.json");
  reply_fixture (f, "/openrouter/api/v1/key", 200, "openrouter-key-unlimited.json");
  none = fetch (f, "openrouter", &error);
  g_assert_null (none);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "management key"));
  assert_no_key (error->message);
  g_clear_error (&error);

  /* An error of the server. */
  reply_fixture (f, "/openrouter/api/v1/credits", 500, "error-server.json");
  none = fetch (f, "openrouter", &error);
  g_assert_null (none);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_SERVER);
}

/* ---- the key's address --------------------------------------------------- */

static void
test_own_origin_only (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  ByokClient *client = byok_engine_get_client (f->engine);
  ByokBalance *balance;

  byok_client_get_json_async (client, "deepseek", "http://127.0.0.2:9/user/balance", NULL, byok_test_store_result, &result);
  byok_test_wait_result (&result);
  node = byok_client_get_json_finish (client, result, &error);
  g_assert_null (node);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);

  /* No endpoint, no key: classified. */
  balance = fetch (f, "openai", &error);
  g_assert_null (balance);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_NOT_FOUND);
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 0);
}

/* ---- keeping and saying -------------------------------------------------- */

static void
test_keep_last_value (Fixture       *f,
                      gconstpointer  data)
{
  ByokProviderSettings *settings = byok_engine_get_provider_settings (f->engine);
  g_autoptr(ByokBalance) balance = NULL;
  g_autoptr(ByokBalance) failed = NULL;
  g_autoptr(ByokBalance) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) read_error = NULL;

  reply_fixture (f, "/deepseek/user/balance", 200, "deepseek-balance.json");
  balance = fetch (f, "deepseek", &error);
  g_assert_no_error (error);
  balance->checked_at = 1765000000;
  g_assert_true (byok_balance_save (settings, balance, &error));

  reply_fixture (f, "/deepseek/user/balance", 503, "error-server.json");
  g_assert_null (fetch (f, "deepseek", &read_error));
  failed = byok_balance_merge_failure (balance, "deepseek", read_error);
  g_assert_true (byok_balance_save (settings, failed, &error));

  loaded = byok_balance_load (settings, "deepseek");
  g_assert_nonnull (loaded);
  g_assert_cmpfloat_with_epsilon (loaded->available, 4.12, 1e-9);
  g_assert_cmpstr (loaded->currency, ==, "USD");
  g_assert_cmpint (loaded->checked_at, ==, 1765000000);
  g_assert_cmpstr (loaded->error_message, ==, read_error->message);
  g_assert_cmpint (loaded->error_code, ==, read_error->code);
  g_assert_cmpint (loaded->failed_at, >=, loaded->checked_at);
  g_assert_cmpfloat_with_epsilon (detail (loaded, "topped_up_balance"), 4.12, 1e-9);
}

static void
test_describe (void)
{
  g_autoptr(ByokBalance) balance = byok_balance_new ("deepseek");
  g_autofree char *unread = byok_balance_describe (balance, "DeepSeek", 0.18, 30);
  g_autofree char *plain = NULL;
  g_autofree char *paced = NULL;
  g_autofree char *short_ = NULL;

  g_assert_cmpstr (unread, ==, "DeepSeek: not read yet");
  balance->currency = g_strdup ("USD");
  balance->available = 4.12;
  plain = byok_balance_describe (balance, "DeepSeek", NAN, 30);
  g_assert_cmpstr (plain, ==, "DeepSeek: $4.12 left");
  /* $4.12 at $0.179 a day: 23.0 days. */
  paced = byok_balance_describe (balance, "DeepSeek", 0.179, 30);
  g_assert_cmpstr (paced, ==, "DeepSeek: $4.12 left · at your 30-day pace, about 23 days");
  g_assert_cmpfloat_with_epsilon (byok_balance_days_left (balance, 0.179), 4.12 / 0.179, 1e-9);
  short_ = byok_balance_describe (balance, "DeepSeek", 10, 7);
  g_assert_cmpstr (short_, ==, "DeepSeek: $4.12 left · at your 7-day pace, less than a day");
}

/* ---- the monitor --------------------------------------------------------- */

static void
on_changed (ByokBalanceMonitor *monitor,
            const char         *provider_id,
            Fixture            *f)
{
  g_ptr_array_add (f->changed, g_strdup (provider_id));
}

static void
on_low (ByokBalanceMonitor *monitor,
        const char         *provider_id,
        Fixture            *f)
{
  g_ptr_array_add (f->low, g_strdup (provider_id));
}

static void
refresh_and_wait (ByokBalanceMonitor *monitor,
                  const char         *provider_id)
{
  byok_balance_monitor_refresh (monitor, provider_id);
  while (byok_balance_monitor_is_refreshing (monitor, provider_id))
    g_main_context_iteration (NULL, TRUE);
}

static void
test_monitor (Fixture       *f,
              gconstpointer  data)
{
  ByokBalanceMonitor *monitor = byok_balance_monitor_get_for_engine (f->engine);
  ByokProviderSettings *settings = byok_engine_get_provider_settings (f->engine);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) shown = NULL;
  const ByokBalance *balance;

  g_assert_true (byok_balance_monitor_get_for_engine (f->engine) == monitor);
  g_signal_connect (monitor, "changed", G_CALLBACK (on_changed), f);
  g_signal_connect (monitor, "low-balance", G_CALLBACK (on_low), f);
  g_assert_true (byok_balance_set_threshold (settings, "deepseek", 5, &error));
  g_assert_cmpfloat_with_epsilon (byok_balance_get_threshold (settings, "deepseek"), 5, 1e-9);

  /* Below $5: one warning. */
  reply_fixture (f, "/deepseek/user/balance", 200, "deepseek-balance.json");
  refresh_and_wait (monitor, "deepseek");
  balance = byok_balance_monitor_get (monitor, "deepseek");
  g_assert_nonnull (balance);
  g_assert_cmpfloat_with_epsilon (balance->available, 4.12, 1e-9);
  g_assert_cmpuint (f->low->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->low, 0), ==, "deepseek");
  g_assert_cmpuint (f->changed->len, >=, 2);

  /* Still below: no second warning. A failed read keeps the value. */
  reply_fixture (f, "/deepseek/user/balance", 200, "deepseek-balance.json");
  refresh_and_wait (monitor, "deepseek");
  g_assert_cmpuint (f->low->len, ==, 1);
  reply_fixture (f, "/deepseek/user/balance", 500, "error-server.json");
  refresh_and_wait (monitor, "deepseek");
  balance = byok_balance_monitor_get (monitor, "deepseek");
  g_assert_cmpfloat_with_epsilon (balance->available, 4.12, 1e-9);
  g_assert_nonnull (balance->error_message);
  g_assert_cmpint (balance->error_code, ==, BYOK_ERROR_SERVER);

  /* Shown: DeepSeek alone (the others were never read). */
  shown = byok_balance_monitor_list_shown (monitor);
  g_assert_cmpuint (shown->len, ==, 1);
  g_assert_cmpstr (byok_provider_get_id (g_ptr_array_index (shown, 0)), ==, "deepseek");

  /* Topped up above, then below again: a new warning. */
  byok_test_server_add_reply (f->server, "/deepseek/user/balance",
                              byok_test_reply_new_json (200, "{\"is_available\": true, \"balance_infos\": ["
                                                             "{\"currency\": \"USD\", \"total_balance\": \"20.00\"}]}"));
  refresh_and_wait (monitor, "deepseek");
  g_assert_cmpuint (f->low->len, ==, 1);
  g_assert_null (byok_balance_monitor_get (monitor, "deepseek")->error_message);
  reply_fixture (f, "/deepseek/user/balance", 200, "deepseek-balance.json");
  refresh_and_wait (monitor, "deepseek");
  g_assert_cmpuint (f->low->len, ==, 2);

  /* A call to DeepSeek reads its balance again, at most once a throttle:
   * just read, the next read waits; with no throttle, it comes at once. */
  {
    g_autoptr(ByokUsageRecord) record = byok_usage_record_new ();
    guint before = byok_test_server_count_path (f->server, "/deepseek/user/balance");

    record->provider = g_strdup ("deepseek");
    record->model = g_strdup ("deepseek-chat");
    byok_balance_monitor_set_throttle_seconds (monitor, 3600);
    g_signal_emit_by_name (f->engine, "usage-recorded", record);
    g_assert_false (byok_balance_monitor_is_refreshing (monitor, "deepseek"));
    byok_balance_monitor_set_throttle_seconds (monitor, 0);
    reply_fixture (f, "/deepseek/user/balance", 200, "deepseek-balance.json");
    g_signal_emit_by_name (f->engine, "usage-recorded", record);
    g_assert_true (byok_balance_monitor_is_refreshing (monitor, "deepseek"));
    while (byok_test_server_count_path (f->server, "/deepseek/user/balance") == before)
      g_main_context_iteration (NULL, TRUE);
    while (byok_balance_monitor_is_refreshing (monitor, "deepseek"))
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpuint (byok_test_server_count_path (f->server, "/deepseek/user/balance"), ==, before + 1);
  }
}

/* ---- byok-cli balance ---------------------------------------------------- */

static char *
run_cli (Fixture     *f,
         int         *status,
         char       **err,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(ByokTestCliRun) run = NULL;
  g_autofree char *data_home = g_build_filename (f->dir, "data", NULL);
  g_autofree char *deepseek = g_strconcat (byok_test_server_get_url (f->server), "/deepseek", NULL);
  g_autofree char *moonshot = g_strconcat (byok_test_server_get_url (f->server), "/moonshot/v1", NULL);
  g_autofree char *openrouter = g_strconcat (byok_test_server_get_url (f->server), "/openrouter/api/v1", NULL);
  va_list ap;

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "", TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_setenv (launcher, "DEEPSEEK_API_KEY", DEEPSEEK_KEY, TRUE);
  g_subprocess_launcher_setenv (launcher, "OPENROUTER_API_KEY", OPENROUTER_KEY, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "MOONSHOT_API_KEY");
  g_subprocess_launcher_unsetenv (launcher, "KIMI_API_KEY");
  g_subprocess_launcher_setenv (launcher, "BYOK_BASE_URL_DEEPSEEK", deepseek, TRUE);
  g_subprocess_launcher_setenv (launcher, "BYOK_BASE_URL_MOONSHOT", moonshot, TRUE);
  g_subprocess_launcher_setenv (launcher, "BYOK_BASE_URL_OPENROUTER", openrouter, TRUE);
  va_start (ap, err);
  run = byok_test_cli_launch_va (launcher, NULL, NULL, ap);
  va_end (ap);
  *status = run->status;
  *err = g_steal_pointer (&run->err);
  assert_no_key (run->out);
  assert_no_key (*err);
  return g_steal_pointer (&run->out);
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *table = NULL;
  g_autofree char *table_err = NULL;
  g_autofree char *failed = NULL;
  g_autofree char *failed_err = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;
  JsonObject *row;
  int status;

  /* Moonshot has no key here: no row. */
  reply_fixture (f, "/deepseek/user/balance", 200, "deepseek-balance.json");
  reply_fixture (f, "/openrouter/api/v1/credits", 403, "openrouter-error-forbidden.json");
  reply_fixture (f, "/openrouter/api/v1/key", 200, "openrouter-key.json");
  out = run_cli (f, &status, &err, "balance", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  root = json_from_string (out, &error);
  g_assert_no_error (error);
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  row = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "provider"), ==, "deepseek");
  g_assert_cmpstr (json_object_get_string_member (row, "currency"), ==, "USD");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (row, "available"), 4.12, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_object_get_object_member (row, "details"),
                                                                 "granted_balance"), 0, 1e-9);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (row, "checked_at"), "Z"));
  row = json_array_get_object_element (array, 1);
  g_assert_cmpstr (json_object_get_string_member (row, "provider"), ==, "openrouter");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (row, "available"), 4.8984355238, 1e-9);

  /* One provider, as a table. */
  reply_fixture (f, "/deepseek/user/balance", 200, "deepseek-balance.json");
  table = run_cli (f, &status, &table_err, "balance", "deepseek", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (table, "DeepSeek"));
  g_assert_nonnull (strstr (table, "$4.12"));
  g_assert_null (strstr (table, "OpenRouter"));

  /* A failed read says why and keeps the last value, with its time. */
  reply_fixture (f, "/deepseek/user/balance", 401, "deepseek-error-auth.json");
  failed = run_cli (f, &status, &failed_err, "balance", "deepseek", NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (failed_err, "does not show the balance to this key"));
  g_assert_nonnull (strstr (failed, "$4.12"));
  g_assert_nonnull (strstr (failed, "last read failed"));

  /* Not a balance provider; no key. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = run_cli (f, &status, &err, "balance", "openai", NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "does not tell the balance"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = run_cli (f, &status, &err, "balance", "moonshot", NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "NO_KEY"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/balance/deepseek", test_deepseek);
  ADD ("/balance/deepseek-cny-only", test_deepseek_cny_only);
  ADD ("/balance/deepseek-failures", test_deepseek_failures);
  ADD ("/balance/moonshot", test_moonshot);
  ADD ("/balance/moonshot-failures", test_moonshot_failures);
  ADD ("/balance/openrouter", test_openrouter);
  ADD ("/balance/openrouter-key-without-access", test_openrouter_key_without_access);
  ADD ("/balance/own-origin-only", test_own_origin_only);
  ADD ("/balance/keep-last-value", test_keep_last_value);
  ADD ("/balance/monitor", test_monitor);
  ADD ("/balance/cli", test_cli);
#undef ADD
  g_test_add_func ("/balance/describe", test_describe);

  return g_test_run ();
}
