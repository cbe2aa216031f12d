/* test-provider-bill.c — the provider's own bill beside Byok's: admin keys in
 * the keyring under their own schema (never a chat key), OpenAI's Costs API
 * and Anthropic's Cost report played by the test server from their
 * documented shapes (pages, cents as decimal strings, a refused key, a
 * server error), Byok's side per UTC day, the comparison and
 * `byok-cli usage --compare-bill`.
 *
 * Runs inside build-aux/test-session (a real gnome-keyring). */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "byok-engine.h"
#include "byok-error.h"
#include "byok-provider-bill.h"
#include "byok-test-cli.h"
#include "byok-test-engine.h"
#include "byok-test-server.h"
#include "byok-test-util.h"

#define OPENAI_ADMIN_KEY    "sk-admin-Qx7vR2fakeZ9kLpW3nT8-0001"
#define ANTHROPIC_ADMIN_KEY "sk-ant-admin01-Hj5fakeP2wX9mC4vB7-0002"
#define OPENAI_CHAT_KEY     "sk-Kf3fakeN8qL2xR6tY1-0003"
#define ANTHROPIC_CHAT_KEY  "sk-ant-api03-Tq8fakeW3mZ-0005"

#define DAY_US ((gint64) 86400 * G_USEC_PER_SEC)
/* 2026-11-01T00:00:00Z */
#define NOV_1_US ((gint64) 1793491200 * G_USEC_PER_SEC)

typedef struct {
  char           *dir;
  ByokEngine     *engine;
  ByokTestServer *server;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char *env[] = { "OPENAI_API_KEY=" OPENAI_CHAT_KEY, NULL };

  f->engine = byok_test_engine_new_in_dir ("bill", &f->dir);
  byok_key_store_set_environment (byok_engine_get_key_store (f->engine), env);
  byok_client_set_max_attempts (byok_engine_get_client (f->engine), 1);

  f->server = byok_test_server_new ();
  byok_test_point_provider (byok_engine_get_catalog (f->engine), "openai", f->server, "/v1");
  byok_test_point_provider (byok_engine_get_catalog (f->engine), "anthropic", f->server, "/anthropic");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  ByokKeyStore *keys = byok_engine_get_key_store (f->engine);

  g_assert_true (byok_key_store_delete_admin_wait (keys, "openai", NULL, NULL));
  g_assert_true (byok_key_store_delete_admin_wait (keys, "anthropic", NULL, NULL));
  g_clear_object (&f->engine);
  g_clear_object (&f->server);
  byok_test_remove_tree (f->dir);
  g_free (f->dir);
}

static ByokBill *
fetch (Fixture     *f,
       const char  *provider_id,
       const char  *key,
       gint64       from_us,
       gint64       to_us,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  ByokClient *client = byok_engine_get_client (f->engine);

  byok_provider_bill_fetch_async (client, provider_id, key, from_us, to_us, NULL, byok_test_store_result, &result);
  byok_test_wait_result (&result);
  return byok_provider_bill_fetch_finish (client, result, error);
}

static void
record_call (ByokUsageStore *store,
             const char     *provider,
             gint64          time_us,
             gboolean        priced,
             double          cost)
{
  byok_test_record_usage (store, &(ByokUsageRecord) {
    .time_us = time_us, .provider = (char *) provider, .model = (char *) "some-model",
    .price_known = priced, .cost_usd = cost, .status = (char *) "ok",
  });
}

/* OpenAI's Costs API, as documented: buckets of a day, results in dollars. */
static char *
openai_bucket (gint64       start_us,
               const char  *values)
{
  g_auto(GStrv) each = g_strsplit (values, " ", -1);
  g_autoptr(GString) results = g_string_new (NULL);

  for (guint i = 0; each[i] != NULL; i++)
    g_string_append_printf (results, "%s{\"object\":\"organization.costs.result\",\"amount\":{\"value\":%s,"
                            "\"currency\":\"usd\"},\"line_item\":null,\"project_id\":null}",
                            i > 0 ? "," : "", each[i]);
  return g_strdup_printf ("{\"object\":\"bucket\",\"start_time\":%" G_GINT64_FORMAT ",\"end_time\":%"
                          G_GINT64_FORMAT ",\"results\":[%s]}",
                          start_us / G_USEC_PER_SEC, (start_us + DAY_US) / G_USEC_PER_SEC, results->str);
}

static void
assert_day (const ByokBill *bill,
            guint           index,
            const char     *day,
            double          byok,
            double          provider)
{
  const ByokBillDay *d;

  g_assert_cmpuint (index, <, bill->days->len);
  d = g_ptr_array_index (bill->days, index);
  g_assert_cmpstr (d->day, ==, day);
  g_assert_cmpfloat_with_epsilon (d->byok_usd, byok, 1e-9);
  g_assert_cmpfloat_with_epsilon (d->provider_usd, provider, 1e-9);
}

/* ---- admin keys ---------------------------------------------------------- */

/* An admin key is kept apart: it is no chat key of the provider, a chat
 * key is refused as one, and deleting it leaves the chat keys. */
static void
test_admin_key (Fixture       *f,
                gconstpointer  data)
{
  ByokKeyStore *keys = byok_engine_get_key_store (f->engine);
  ByokClient *client = byok_engine_get_client (f->engine);
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokKey) admin = NULL;
  g_autoptr(ByokKey) none = NULL;
  g_autoptr(GPtrArray) chat_keys = NULL;

  g_assert_false (byok_provider_bill_check_admin_key (client, "openai", OPENAI_CHAT_KEY, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "sk-admin-"));
  byok_test_assert_no_key ("the refusal", error->message, -1, OPENAI_CHAT_KEY, 0, 8);
  g_clear_error (&error);
  g_assert_false (byok_provider_bill_check_admin_key (client, "deepseek", OPENAI_ADMIN_KEY, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (byok_provider_bill_check_admin_key (client, "anthropic", ANTHROPIC_ADMIN_KEY, &error));
  g_assert_no_error (error);

  none = byok_key_store_lookup_admin_wait (keys, "openai", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (none);

  g_assert_true (byok_key_store_store_admin_wait (keys, "openai", OPENAI_ADMIN_KEY, NULL, &error));
  g_assert_no_error (error);
  admin = byok_key_store_lookup_admin_wait (keys, "openai", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (admin);
  g_assert_cmpstr (byok_key_get_secret (admin), ==, OPENAI_ADMIN_KEY);
  g_assert_null (strstr (byok_key_get_masked (admin), "fakeZ9kL"));

  /* The provider's chat keys do not include it. */
  chat_keys = byok_key_store_list_wait (keys, "openai", NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < chat_keys->len; i++)
    g_assert_cmpstr (byok_key_get_secret (g_ptr_array_index (chat_keys, i)), !=, OPENAI_ADMIN_KEY);

  g_assert_true (byok_key_store_delete_admin_wait (keys, "openai", NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&none);
  none = byok_key_store_lookup_admin_wait (keys, "openai", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (none);
}

/* ---- OpenAI -------------------------------------------------------------- */

/* Two pages of OpenAI's costs with the admin key (never the chat key),
 * summed per day beside what Byok recorded that UTC day: a day that
 * agrees, one Byok undercounts (calls it could not price), one with no
 * bill at all. */
static void
test_openai (Fixture       *f,
             gconstpointer  data)
{
  ByokUsageStore *store = byok_engine_get_usage_store (f->engine);
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokBill) bill = NULL;
  g_autofree char *day1 = openai_bucket (NOV_1_US, "1.00 0.25");
  g_autofree char *day2 = openai_bucket (NOV_1_US + DAY_US, "2.50");
  g_autofree char *page1 = g_strdup_printf ("{\"object\":\"page\",\"data\":[%s,%s],\"has_more\":true,"
                                            "\"next_page\":\"page_AAAA\"}", day1, day2);
  const char *page2 = "{\"object\":\"page\",\"data\":[],\"has_more\":false,\"next_page\":null}";
  g_autoptr(JsonNode) json = NULL;
  ByokTestRequest *request;

  g_assert_true (byok_key_store_store_admin_wait (byok_engine_get_key_store (f->engine), "openai",
                                                  OPENAI_ADMIN_KEY, NULL, &error));
  byok_test_server_require_key (f->server, "Authorization", "Bearer " OPENAI_ADMIN_KEY);
  byok_test_server_add_reply (f->server, "/v1/organization/costs", byok_test_reply_new_json (200, page1));
  byok_test_server_add_reply (f->server, "/v1/organization/costs", byok_test_reply_new_json (200, page2));

  record_call (store, "openai", NOV_1_US + (gint64) 3600 * G_USEC_PER_SEC, TRUE, 1.25);
  record_call (store, "openai", NOV_1_US + DAY_US + (gint64) 60 * G_USEC_PER_SEC, TRUE, 1.00);
  record_call (store, "openai", NOV_1_US + DAY_US + (gint64) 120 * G_USEC_PER_SEC, FALSE, 0);
  record_call (store, "anthropic", NOV_1_US + (gint64) 3600 * G_USEC_PER_SEC, TRUE, 7.00);  /* not OpenAI's */
  record_call (store, "openai", NOV_1_US - 1, TRUE, 9.00);                          /* the day before */

  /* Mid-day to mid-day: whole UTC days, 1 to 3 November. */
  bill = fetch (f, "openai", NULL, NOV_1_US + (gint64) 5 * 3600 * G_USEC_PER_SEC, NOV_1_US + 2 * DAY_US + 60, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bill);
  g_assert_true (byok_bill_add_recorded (bill, store, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (bill->days->len, ==, 3);
  assert_day (bill, 0, "2026-11-01", 1.25, 1.25);
  assert_day (bill, 1, "2026-11-02", 1.00, 2.50);
  assert_day (bill, 2, "2026-11-03", 0, 0);
  g_assert_false (byok_bill_day_differs (g_ptr_array_index (bill->days, 0)));
  g_assert_true (byok_bill_day_differs (g_ptr_array_index (bill->days, 1)));
  g_assert_cmpuint (((ByokBillDay *) g_ptr_array_index (bill->days, 1))->byok_unknown_price, ==, 1);
  g_assert_cmpfloat_with_epsilon (bill->provider_usd, 3.75, 1e-9);
  g_assert_cmpfloat_with_epsilon (bill->byok_usd, 2.25, 1e-9);
  g_assert_cmpuint (bill->byok_calls, ==, 3);
  g_assert_true (byok_bill_differs (bill));

  /* The pages asked for: the period in unix seconds, a day a bucket, then
   * the next page by its cursor. */
  g_assert_cmpuint (byok_test_server_count_path (f->server, "/v1/organization/costs"), ==, 2);
  request = byok_test_server_get_request (f->server, 0);
  g_assert_nonnull (strstr (request->query, "start_time=1793491200"));
  g_assert_nonnull (strstr (request->query, "end_time=1793750400"));
  g_assert_nonnull (strstr (request->query, "bucket_width=1d"));
  g_assert_null (strstr (request->query, "page="));
  request = byok_test_server_get_request (f->server, 1);
  g_assert_nonnull (strstr (request->query, "page=page_AAAA"));
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==,
                   "Bearer " OPENAI_ADMIN_KEY);

  json = byok_bill_to_json (bill);
  {
    JsonObject *root = json_node_get_object (json);
    JsonObject *day = json_array_get_object_element (json_object_get_array_member (root, "days"), 1);

    g_assert_cmpstr (json_object_get_string_member (root, "from"), ==, "2026-11-01");
    g_assert_cmpstr (json_object_get_string_member (root, "to"), ==, "2026-11-03");
    g_assert_true (json_object_get_boolean_member (root, "differs"));
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (day, "difference_usd"), 1.5, 1e-9);
    g_assert_cmpint (json_object_get_int_member (day, "byok_unknown_price_calls"), ==, 1);
  }
}

/* ---- Anthropic ----------------------------------------------------------- */

/* Anthropic's cost report: RFC 3339 days, amounts as decimal strings of
 * cents, the admin key in x-api-key. */
static void
test_anthropic (Fixture       *f,
                gconstpointer  data)
{
  const char *page =
    "{\"data\":["
    "{\"starting_at\":\"2026-11-01T00:00:00Z\",\"ending_at\":\"2026-11-02T00:00:00Z\",\"results\":["
    "{\"currency\":\"USD\",\"amount\":\"123.45\",\"workspace_id\":null,\"description\":\"Claude Sonnet 5 Usage - Input Tokens\","
    "\"cost_type\":\"tokens\",\"context_window\":\"0-200k\",\"model\":\"claude-sonnet-5\",\"service_tier\":\"standard\",\"token_type\":\"uncached_input_tokens\"},"
    "{\"currency\":\"USD\",\"amount\":\"76.55\",\"workspace_id\":null,\"description\":\"Claude Sonnet 5 Usage - Output Tokens\","
    "\"cost_type\":\"tokens\",\"context_window\":\"0-200k\",\"model\":\"claude-sonnet-5\",\"service_tier\":\"standard\",\"token_type\":\"output_tokens\"}]},"
    "{\"starting_at\":\"2026-11-02T00:00:00Z\",\"ending_at\":\"2026-11-03T00:00:00Z\",\"results\":[]}"
    "],\"has_more\":false,\"next_page\":null}";
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokBill) bill = NULL;
  ByokTestRequest *request;

  g_assert_true (byok_key_store_store_admin_wait (byok_engine_get_key_store (f->engine), "anthropic",
                                                  ANTHROPIC_ADMIN_KEY, NULL, &error));
  byok_test_server_require_key (f->server, "x-api-key", ANTHROPIC_ADMIN_KEY);
  byok_test_server_add_reply (f->server, "/anthropic/v1/organizations/cost_report",
                              byok_test_reply_new_json (200, page));
  record_call (byok_engine_get_usage_store (f->engine), "anthropic", NOV_1_US + 60, TRUE, 2.00);

  bill = fetch (f, "anthropic", NULL, NOV_1_US, NOV_1_US + 2 * DAY_US, &error);
  g_assert_no_error (error);
  g_assert_true (byok_bill_add_recorded (bill, byok_engine_get_usage_store (f->engine), NULL, &error));
  g_assert_cmpuint (bill->days->len, ==, 2);
  /* 123.45 + 76.55 cents = $2.00 */
  assert_day (bill, 0, "2026-11-01", 2.00, 2.00);
  assert_day (bill, 1, "2026-11-02", 0, 0);
  g_assert_false (byok_bill_differs (bill));

  request = byok_test_server_get_last_request (f->server);
  g_assert_true (strstr (request->query, "starting_at=2026-11-01T00%3A00%3A00Z") ||
                    strstr (request->query, "starting_at=2026-11-01T00:00:00Z"));
  g_assert_nonnull (strstr (request->query, "bucket_width=1d"));
  g_assert_nonnull (soup_message_headers_get_one (request->headers, "anthropic-version"));
}

/* ---- failures ------------------------------------------------------------ */

/* No admin key: NO_KEY, and nothing is sent (the chat key least of all).
 * A key the provider refuses: AUTH, the key in no message. A server
 * error: SERVER. A key given that is no admin key: refused unsent. */
static void
test_failures (Fixture       *f,
               gconstpointer  data)
{
  const char *refused = "{\"error\":{\"message\":\"Incorrect API key provided: sk-admin-Qx7vR2fakeZ9kLpW3nT8-0001. "
                        "You can find your API key at https://platform.openai.com/account/api-keys.\","
                        "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokBill) bill = NULL;

  bill = fetch (f, "openai", NULL, NOV_1_US, NOV_1_US + DAY_US, &error);
  g_assert_null (bill);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_NO_KEY);
  g_assert_nonnull (strstr (error->message, "admin key"));
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 0);
  g_clear_error (&error);

  bill = fetch (f, "openai", OPENAI_CHAT_KEY, NOV_1_US, NOV_1_US + DAY_US, &error);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 0);
  g_clear_error (&error);

  byok_test_server_add_reply (f->server, "/v1/organization/costs", byok_test_reply_new_json (401, refused));
  bill = fetch (f, "openai", OPENAI_ADMIN_KEY, NOV_1_US, NOV_1_US + DAY_US, &error);
  g_assert_null (bill);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_AUTH);
  byok_test_assert_no_key ("the refusal", error->message, -1, OPENAI_ADMIN_KEY, 0, 8);
  g_clear_error (&error);

  byok_test_server_add_reply (f->server, "/v1/organization/costs",
                              byok_test_reply_new_json (500, "{\"error\":{\"message\":\"The server had an error\"}}"));
  bill = fetch (f, "openai", OPENAI_ADMIN_KEY, NOV_1_US, NOV_1_US + DAY_US, &error);
  g_assert_null (bill);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_SERVER);
  g_clear_error (&error);

  /* A reply of another shape is no bill of $0. */
  byok_test_server_add_reply (f->server, "/v1/organization/costs", byok_test_reply_new_json (200, "{\"object\":\"page\"}"));
  bill = fetch (f, "openai", OPENAI_ADMIN_KEY, NOV_1_US, NOV_1_US + DAY_US, &error);
  g_assert_null (bill);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
}


/* ---- the difference explained -------------------------------------------- */

static void
explain (double               provider,
         double               byok,
         ByokBillKeys         keys,
         const ByokBillParts *parts,
         double               difference,
         double               other,
         double               unpriced,
         double               unexplained)
{
  ByokBillExplanation e;

  byok_bill_explain (provider, byok, keys, parts, &e);
  g_assert_cmpfloat_with_epsilon (e.difference_usd, difference, 1e-9);
  g_assert_cmpfloat_with_epsilon (e.other_keys_usd, other, 1e-9);
  g_assert_cmpfloat_with_epsilon (e.unpriced_usd, unpriced, 1e-9);
  g_assert_cmpfloat_with_epsilon (e.unexplained_usd, unexplained, 1e-9);
  /* The lines add up to the difference, cent for cent. */
  g_assert_cmpint ((gint64) llround (e.difference_usd * 100), ==,
                   (gint64) llround (e.other_keys_usd * 100) + (gint64) llround (e.unpriced_usd * 100) +
                   (gint64) llround (e.unexplained_usd * 100));
}

static char *
lines_of (const ByokBill      *bill,
          const ByokBillParts *parts,
          double               provider,
          double               byok)
{
  ByokBillExplanation e;
  g_auto(GStrv) lines = NULL;

  byok_bill_explain (provider, byok, bill->keys, parts, &e);
  lines = byok_bill_explain_lines (bill, parts, &e, TRUE);
  g_assert_nonnull (lines[0]);
  /* The unexplained rest is always the last line. */
  g_assert_true (g_str_has_suffix (lines[g_strv_length (lines) - 1], " unexplained"));
  return g_strjoinv ("\n", lines);
}

/* The arithmetic: each part in whole cents, the sign kept (a provider may
 * bill less than Byok counted), other keys only when they were told
 * apart, and the rest unexplained — adding up to the difference. */
static void
test_explain (void)
{
  ByokBillParts parts = { 0, };
  ByokBill bill = { 0, };
  g_autofree char *text = NULL;

  /* Nothing to explain it: all unexplained, with its sign. */
  explain (12.29, 12.31, BYOK_BILL_KEYS_TOLD, &parts, -0.02, 0, 0, -0.02);

  /* Other keys and unpriced calls, rounded to cents apart: 1.204 → 1.20,
   * 0.205 → 0.21 (halves away from zero), the rest 0.09. */
  parts.other_keys_usd = 1.204;
  parts.other_keys_requests = 3;
  parts.unpriced_calls = 2;
  parts.unpriced_estimated = 1;
  parts.unpriced_estimate_usd = 0.205;
  explain (2.50, 1.00, BYOK_BILL_KEYS_TOLD, &parts, 1.50, 1.20, 0.21, 0.09);

  /* Keys not told apart: their figure explains nothing. */
  explain (2.50, 1.00, BYOK_BILL_KEYS_UNTOLD, &parts, 1.50, 0, 0.21, 1.29);
  explain (2.50, 1.00, BYOK_BILL_KEYS_NOT_READ, &parts, 1.50, 0, 0.21, 1.29);

  /* Billed less than Byok counted: the parts push the rest further down. */
  explain (1.00, 1.50, BYOK_BILL_KEYS_TOLD, &parts, -0.50, 1.20, 0.21, -1.91);

  /* Fully explained. */
  memset (&parts, 0, sizeof parts);
  parts.other_keys_usd = 0.75;
  explain (1.75, 1.00, BYOK_BILL_KEYS_TOLD, &parts, 0.75, 0.75, 0, 0);

  /* A half cent stored a hair under: 1.005 is 101 cents. */
  memset (&parts, 0, sizeof parts);
  explain (1.005, 0, BYOK_BILL_KEYS_TOLD, &parts, 1.01, 0, 0, 1.01);
  explain (0, 1.005, BYOK_BILL_KEYS_TOLD, &parts, -1.01, 0, 0, -1.01);
  /* Not a number (no bill) is no amount. */
  explain (NAN, 0, BYOK_BILL_KEYS_TOLD, &parts, 0, 0, 0, 0);

  /* The lines. */
  bill.keys = BYOK_BILL_KEYS_TOLD;
  parts.other_keys_usd = 1.20;
  parts.other_keys_requests = 3;
  parts.other_keys_unpriced = 1;
  parts.unpriced_calls = 3;
  parts.unpriced_estimated = 1;
  parts.unpriced_estimate_usd = 0.21;
  parts.estimated_calls = 2;
  parts.estimated_usd = 0.05;
  parts.interrupted_calls = 1;
  text = lines_of (&bill, &parts, 2.50, 1.00);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "+$1.20 from 3 calls with other keys (other tools), at Byok’s prices"));
  g_assert_nonnull (strstr (text, "Other keys also used 1 model Byok has no price for"));
  g_assert_nonnull (strstr (text, "+$0.21 estimated for 1 call Byok could not price, at today’s price"));
  g_assert_nonnull (strstr (text, "2 calls Byok could not price and cannot estimate"));
  g_assert_nonnull (strstr (text, "≈$0.05 of Byok’s figure is 2 calls recorded with estimated tokens (1 interrupted)"));
  g_assert_true (g_str_has_suffix (text, "+$0.09 unexplained"));
  g_clear_pointer (&text, g_free);

  bill.keys = BYOK_BILL_KEYS_UNTOLD;
  bill.keys_error = (char *) "The admin key has no access";
  text = lines_of (&bill, &parts, 2.50, 1.00);
  g_assert_nonnull (strstr (text, "Could not tell Byok’s key from others (The admin key has no access)"));
  g_assert_null (strstr (text, "with other keys"));
  g_assert_true (g_str_has_suffix (text, "+$1.29 unexplained"));
  g_clear_pointer (&text, g_free);

  memset (&parts, 0, sizeof parts);
  bill.keys = BYOK_BILL_KEYS_TOLD;
  text = lines_of (&bill, &parts, 12.29, 12.31);
  g_assert_cmpstr (text, ==, "−$0.02 unexplained");
}

/* Byok's own key told from a listing's redacted value. */
static void
test_key_hint (void)
{
  g_assert_true (byok_bill_key_hint_matches ("sk-Kf3...0003", OPENAI_CHAT_KEY));
  g_assert_true (byok_bill_key_hint_matches ("sk-ant-api03-Tq8...0005", ANTHROPIC_CHAT_KEY));
  g_assert_true (byok_bill_key_hint_matches ("sk-Kf3…0003", OPENAI_CHAT_KEY));
  g_assert_false (byok_bill_key_hint_matches ("sk-Kf3...0004", OPENAI_CHAT_KEY));
  g_assert_false (byok_bill_key_hint_matches ("sk-Zz9...0003", OPENAI_CHAT_KEY));
  g_assert_false (byok_bill_key_hint_matches ("...0003", OPENAI_CHAT_KEY));
  g_assert_false (byok_bill_key_hint_matches ("sk-Kf3...", OPENAI_CHAT_KEY));
  g_assert_false (byok_bill_key_hint_matches ("sk-Kf3fakeN8qL2xR6tY1-0003", OPENAI_CHAT_KEY));
  g_assert_false (byok_bill_key_hint_matches (NULL, OPENAI_CHAT_KEY));
}

static void
record_usage (ByokUsageStore *store,
              const char     *provider,
              const char     *model,
              gint64          time_us,
              gboolean        priced,
              double          cost,
              gint64          input_tokens,
              gint64          output_tokens,
              gboolean        estimated,
              const char     *status)
{
  byok_test_record_usage (store, &(ByokUsageRecord) {
    .time_us = time_us, .provider = (char *) provider, .model = (char *) model,
    .price_known = priced, .cost_usd = cost,
    .input_tokens = input_tokens, .output_tokens = output_tokens,
    .estimated = estimated, .status = (char *) status,
  });
}

static void
set_price (Fixture    *f,
           const char *provider_id,
           const char *model,
           double      input,
           double      output)
{
  ByokPrice price;
  g_autoptr(GError) error = NULL;

  byok_price_init_flat (&price, input, BYOK_PRICE_UNKNOWN, BYOK_PRICE_UNKNOWN, output);
  g_assert_true (byok_pricing_set_override (byok_engine_get_pricing (f->engine), provider_id, model, &price, &error));
  g_assert_no_error (error);
}

/* OpenAI's usage per key (documented shape: buckets, results grouped by
 * api_key_id, model and project_id) and the project's keys with their
 * redacted values: Byok's key is told from another key and from usage
 * on no key; the others' tokens are priced at Byok's prices, a model it
 * has no price for counted; Byok's unpriced call estimated at today's
 * price; an interrupted call counted; the rest unexplained. */
static void
test_openai_keys (Fixture       *f,
                  gconstpointer  data)
{
  ByokUsageStore *store = byok_engine_get_usage_store (f->engine);
  g_autofree char *costs_day = openai_bucket (NOV_1_US, "3.50");
  g_autofree char *costs = g_strdup_printf ("{\"object\":\"page\",\"data\":[%s],\"has_more\":false,"
                                            "\"next_page\":null}", costs_day);
  g_autofree char *usage = g_strdup_printf (
    "{\"object\":\"page\",\"data\":[{\"object\":\"bucket\",\"start_time\":%" G_GINT64_FORMAT ",\"end_time\":%"
    G_GINT64_FORMAT ",\"results\":["
    "{\"object\":\"organization.usage.completions.result\",\"input_tokens\":1000000,\"output_tokens\":0,"
    "\"input_cached_tokens\":0,\"input_audio_tokens\":0,\"output_audio_tokens\":0,\"num_model_requests\":4,"
    "\"project_id\":\"proj_test1\",\"user_id\":null,\"api_key_id\":\"key_byok\",\"model\":\"test-model-a\",\"batch\":null},"
    "{\"object\":\"organization.usage.completions.result\",\"input_tokens\":1000000,\"output_tokens\":500000,"
    "\"input_cached_tokens\":0,\"input_audio_tokens\":0,\"output_audio_tokens\":0,\"num_model_requests\":3,"
    "\"project_id\":\"proj_test1\",\"user_id\":null,\"api_key_id\":\"key_other\",\"model\":\"test-model-a\",\"batch\":null},"
    "{\"object\":\"organization.usage.completions.result\",\"input_tokens\":10,\"output_tokens\":10,"
    "\"input_cached_tokens\":0,\"num_model_requests\":1,"
    "\"project_id\":null,\"user_id\":null,\"api_key_id\":null,\"model\":\"test-model-unpriced\",\"batch\":null}"
    "]}],\"has_more\":false,\"next_page\":null}",
    NOV_1_US / G_USEC_PER_SEC, (NOV_1_US + DAY_US) / G_USEC_PER_SEC);
  const char *keys =
    "{\"object\":\"list\",\"data\":["
    "{\"object\":\"organization.project.api_key\",\"redacted_value\":\"sk-Kf3...0003\",\"name\":\"Byok\","
    "\"created_at\":1790000000,\"id\":\"key_byok\",\"owner\":{\"type\":\"user\"}},"
    "{\"object\":\"organization.project.api_key\",\"redacted_value\":\"sk-Zz9...9999\",\"name\":\"Other tool\","
    "\"created_at\":1790000000,\"id\":\"key_other\",\"owner\":{\"type\":\"user\"}}"
    "],\"first_id\":\"key_byok\",\"last_id\":\"key_other\",\"has_more\":false}";
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokBill) bill = NULL;
  g_autoptr(JsonNode) json = NULL;
  ByokBillExplanation e;
  const ByokBillDay *day;
  ByokTestRequest *request = NULL;

  set_price (f, "openai", "test-model-a", 1.0, 2.0);
  byok_test_server_require_key (f->server, "Authorization", "Bearer " OPENAI_ADMIN_KEY);
  byok_test_server_add_reply (f->server, "/v1/organization/costs", byok_test_reply_new_json (200, costs));
  byok_test_server_add_reply (f->server, "/v1/organization/usage/completions", byok_test_reply_new_json (200, usage));
  byok_test_server_add_reply (f->server, "/v1/organization/projects/proj_test1/api_keys",
                              byok_test_reply_new_json (200, keys));

  record_usage (store, "openai", "test-model-a", NOV_1_US + 60, TRUE, 1.00, 1000000, 0, FALSE, "ok");
  /* Recorded before Byok knew the price: $0.25 at today's. */
  record_usage (store, "openai", "test-model-a", NOV_1_US + 120, FALSE, 0, 250000, 0, FALSE, "ok");
  record_usage (store, "openai", "test-model-a", NOV_1_US + 180, TRUE, 0.10, 100000, 0, TRUE, "interrupted");

  bill = fetch (f, "openai", OPENAI_ADMIN_KEY, NOV_1_US, NOV_1_US + DAY_US, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bill->keys, ==, BYOK_BILL_KEYS_TOLD);
  g_assert_null (bill->keys_error);
  g_assert_true (byok_bill_add_recorded (bill, store, byok_engine_get_pricing (f->engine), &error));
  g_assert_no_error (error);

  day = g_ptr_array_index (bill->days, 0);
  g_assert_cmpfloat_with_epsilon (day->provider_usd, 3.50, 1e-9);
  g_assert_cmpfloat_with_epsilon (day->byok_usd, 1.10, 1e-9);
  /* key_other: 1M in at $1 + 0.5M out at $2; the no-key usage unpriced. */
  g_assert_cmpfloat_with_epsilon (day->parts.other_keys_usd, 2.00, 1e-9);
  g_assert_cmpuint (day->parts.other_keys_requests, ==, 4);
  g_assert_cmpuint (day->parts.other_keys_unpriced, ==, 1);
  g_assert_cmpuint (day->parts.unpriced_calls, ==, 1);
  g_assert_cmpuint (day->parts.unpriced_estimated, ==, 1);
  g_assert_cmpfloat_with_epsilon (day->parts.unpriced_estimate_usd, 0.25, 1e-9);
  g_assert_cmpuint (day->parts.estimated_calls, ==, 1);
  g_assert_cmpuint (day->parts.interrupted_calls, ==, 1);
  g_assert_cmpfloat_with_epsilon (day->parts.estimated_usd, 0.10, 1e-9);

  byok_bill_total_explain (bill, &e);
  g_assert_cmpfloat_with_epsilon (e.difference_usd, 2.40, 1e-9);
  g_assert_cmpfloat_with_epsilon (e.other_keys_usd, 2.00, 1e-9);
  g_assert_cmpfloat_with_epsilon (e.unpriced_usd, 0.25, 1e-9);
  g_assert_cmpfloat_with_epsilon (e.unexplained_usd, 0.15, 1e-9);

  /* What was asked: usage grouped by key, the keys of the project that
   * used any, with the admin key. */
  for (guint i = 0; i < byok_test_server_get_n_requests (f->server); i++)
    if (g_str_equal (byok_test_server_get_request (f->server, i)->path, "/v1/organization/usage/completions"))
      request = byok_test_server_get_request (f->server, i);
  g_assert_nonnull (request);
  g_assert_nonnull (strstr (request->query, "group_by=api_key_id"));
  g_assert_nonnull (strstr (request->query, "start_time=1793491200"));
  g_assert_cmpuint (byok_test_server_count_path (f->server, "/v1/organization/projects/proj_test1/api_keys"), ==, 1);

  json = byok_bill_to_json (bill);
  {
    JsonObject *root = json_node_get_object (json);
    JsonObject *explanation = json_object_get_object_member (root, "explanation");

    g_assert_cmpstr (json_object_get_string_member (root, "keys"), ==, "told");
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (explanation, "other_keys_usd"), 2.00, 1e-9);
    g_assert_cmpint (json_object_get_int_member (explanation, "other_keys_calls"), ==, 4);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (explanation, "unpriced_estimate_usd"), 0.25, 1e-9);
    g_assert_cmpint (json_object_get_int_member (explanation, "interrupted_calls"), ==, 1);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (explanation, "unexplained_usd"), 0.15, 1e-9);
  }
}

/* Anthropic's usage report grouped by api_key_id (cache reads and writes
 * among the prompt tokens) and its key listing's partial_key_hint; then a
 * key listing the admin key has no access to, and a usage report that
 * fails: the bill still read, the keys untold and why. */
static void
test_anthropic_keys (Fixture       *f,
                     gconstpointer  data)
{
  const char *env[] = { "OPENAI_API_KEY=" OPENAI_CHAT_KEY, "ANTHROPIC_API_KEY=" ANTHROPIC_CHAT_KEY, NULL };
  const char *costs =
    "{\"data\":[{\"starting_at\":\"2026-11-01T00:00:00Z\",\"ending_at\":\"2026-11-02T00:00:00Z\",\"results\":["
    "{\"currency\":\"USD\",\"amount\":\"300.00\",\"workspace_id\":null,\"description\":null,\"cost_type\":\"tokens\"}]}],"
    "\"has_more\":false,\"next_page\":null}";
  const char *usage =
    "{\"data\":[{\"starting_at\":\"2026-11-01T00:00:00Z\",\"ending_at\":\"2026-11-02T00:00:00Z\",\"results\":["
    "{\"uncached_input_tokens\":500000,\"cache_creation\":{\"ephemeral_1h_input_tokens\":0,"
    "\"ephemeral_5m_input_tokens\":0},\"cache_read_input_tokens\":0,\"output_tokens\":0,"
    "\"server_tool_use\":{\"web_search_requests\":0},\"api_key_id\":\"apikey_byok\",\"workspace_id\":null,"
    "\"model\":\"test-claude\",\"service_tier\":\"standard\",\"context_window\":\"0-200k\"},"
    "{\"uncached_input_tokens\":250000,\"cache_creation\":{\"ephemeral_1h_input_tokens\":0,"
    "\"ephemeral_5m_input_tokens\":500000},\"cache_read_input_tokens\":250000,\"output_tokens\":100000,"
    "\"server_tool_use\":{\"web_search_requests\":0},\"api_key_id\":\"apikey_other\",\"workspace_id\":null,"
    "\"model\":\"test-claude\",\"service_tier\":\"standard\",\"context_window\":\"0-200k\"}"
    "]}],\"has_more\":false,\"next_page\":null}";
  const char *keys =
    "{\"data\":[{\"id\":\"apikey_byok\",\"type\":\"api_key\",\"name\":\"Byok\",\"workspace_id\":null,"
    "\"created_at\":\"2026-10-01T00:00:00Z\",\"created_by\":{\"id\":\"user_test\",\"type\":\"user\"},"
    "\"partial_key_hint\":\"sk-ant-api03-Tq8...0005\",\"status\":\"active\"},"
    "{\"id\":\"apikey_other\",\"type\":\"api_key\",\"name\":\"Other\",\"workspace_id\":null,"
    "\"created_at\":\"2026-10-01T00:00:00Z\",\"created_by\":{\"id\":\"user_test\",\"type\":\"user\"},"
    "\"partial_key_hint\":\"sk-ant-api03-Zz1...7777\",\"status\":\"active\"}],"
    "\"has_more\":false,\"first_id\":\"apikey_byok\",\"last_id\":\"apikey_other\"}";
  const char *denied = "{\"type\":\"error\",\"error\":{\"type\":\"permission_error\","
                       "\"message\":\"This admin key has no access to API keys\"}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokBill) bill = NULL;
  ByokUsageStore *store = byok_engine_get_usage_store (f->engine);
  ByokBillExplanation e;
  ByokTestRequest *request = NULL;

  byok_key_store_set_environment (byok_engine_get_key_store (f->engine), env);
  /* $1 in, $0.10 cache reads, $1.25 cache writes, $5 out a million */
  {
    ByokPrice price;

    byok_price_init_flat (&price, 1.0, 0.10, 1.25, 5.0);
    g_assert_true (byok_pricing_set_override (byok_engine_get_pricing (f->engine), "anthropic", "test-claude",
                                              &price, &error));
  }
  byok_test_server_require_key (f->server, "x-api-key", ANTHROPIC_ADMIN_KEY);
  record_usage (store, "anthropic", "test-claude", NOV_1_US + 60, TRUE, 0.50, 500000, 0, FALSE, "ok");

  byok_test_server_add_reply (f->server, "/anthropic/v1/organizations/cost_report", byok_test_reply_new_json (200, costs));
  byok_test_server_add_reply (f->server, "/anthropic/v1/organizations/usage_report/messages",
                              byok_test_reply_new_json (200, usage));
  byok_test_server_add_reply (f->server, "/anthropic/v1/organizations/api_keys", byok_test_reply_new_json (200, keys));
  bill = fetch (f, "anthropic", ANTHROPIC_ADMIN_KEY, NOV_1_US, NOV_1_US + DAY_US, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bill->keys, ==, BYOK_BILL_KEYS_TOLD);
  g_assert_true (byok_bill_add_recorded (bill, store, byok_engine_get_pricing (f->engine), &error));
  /* The other key: 0.25M uncached × $1 + 0.25M reads × $0.10 + 0.5M
   * writes × $1.25 + 0.1M out × $5 = 0.25 + 0.025 + 0.625 + 0.5 */
  g_assert_cmpfloat_with_epsilon (bill->parts.other_keys_usd, 1.40, 1e-9);
  byok_bill_total_explain (bill, &e);
  g_assert_cmpfloat_with_epsilon (e.difference_usd, 2.50, 1e-9);
  g_assert_cmpfloat_with_epsilon (e.other_keys_usd, 1.40, 1e-9);
  g_assert_cmpfloat_with_epsilon (e.unexplained_usd, 1.10, 1e-9);
  for (guint i = 0; i < byok_test_server_get_n_requests (f->server); i++)
    if (g_str_has_suffix (byok_test_server_get_request (f->server, i)->path, "/usage_report/messages"))
      request = byok_test_server_get_request (f->server, i);
  g_assert_nonnull (request);
  g_assert_true (strstr (request->query, "group_by[]=api_key_id") ||
                 strstr (request->query, "group_by%5B%5D=api_key_id"));
  g_clear_pointer (&bill, byok_bill_free);

  /* A key without access to the listing. */
  byok_test_server_add_reply (f->server, "/anthropic/v1/organizations/cost_report", byok_test_reply_new_json (200, costs));
  byok_test_server_add_reply (f->server, "/anthropic/v1/organizations/usage_report/messages",
                              byok_test_reply_new_json (200, usage));
  byok_test_server_add_reply (f->server, "/anthropic/v1/organizations/api_keys", byok_test_reply_new_json (403, denied));
  bill = fetch (f, "anthropic", ANTHROPIC_ADMIN_KEY, NOV_1_US, NOV_1_US + DAY_US, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (bill->provider_usd, 3.00, 1e-9);
  g_assert_cmpint (bill->keys, ==, BYOK_BILL_KEYS_UNTOLD);
  g_assert_nonnull (bill->keys_error);
  byok_test_assert_no_key ("the reason", bill->keys_error, -1, ANTHROPIC_ADMIN_KEY, 12, 8);
  g_assert_true (byok_bill_add_recorded (bill, store, byok_engine_get_pricing (f->engine), &error));
  byok_bill_total_explain (bill, &e);
  g_assert_cmpfloat_with_epsilon (e.other_keys_usd, 0, 1e-9);
  g_assert_cmpfloat_with_epsilon (e.unexplained_usd, 2.50, 1e-9);
  g_clear_pointer (&bill, byok_bill_free);

  /* The usage report fails. */
  byok_test_server_add_reply (f->server, "/anthropic/v1/organizations/cost_report", byok_test_reply_new_json (200, costs));
  byok_test_server_add_reply (f->server, "/anthropic/v1/organizations/usage_report/messages",
                              byok_test_reply_new_json (500, "{\"type\":\"error\",\"error\":{\"type\":\"api_error\","
                                                             "\"message\":\"Internal server error\"}}"));
  bill = fetch (f, "anthropic", ANTHROPIC_ADMIN_KEY, NOV_1_US, NOV_1_US + DAY_US, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bill->keys, ==, BYOK_BILL_KEYS_UNTOLD);
  g_assert_nonnull (bill->keys_error);
}

/* ---- byok-cli usage --compare-bill --------------------------------------- */

/* Runs byok-cli with @input (nullable) on stdin. */
static char *
run_cli (Fixture     *f,
         const char  *input,
         int         *status,
         char       **err,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(ByokTestCliRun) run = NULL;
  g_autofree char *data_home = g_build_filename (f->dir, "data", NULL);
  g_autofree char *openai = g_strconcat (byok_test_server_get_url (f->server), "/v1", NULL);
  g_autofree char *anthropic = g_strconcat (byok_test_server_get_url (f->server), "/anthropic", NULL);
  char *out;
  va_list ap;

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "", TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_setenv (launcher, "OPENAI_API_KEY", OPENAI_CHAT_KEY, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "ANTHROPIC_API_KEY");
  g_subprocess_launcher_setenv (launcher, "BYOK_BASE_URL_OPENAI", openai, TRUE);
  g_subprocess_launcher_setenv (launcher, "BYOK_BASE_URL_ANTHROPIC", anthropic, TRUE);
  va_start (ap, err);
  run = byok_test_cli_launch_va (launcher, input != NULL ? input : "", NULL, ap);
  va_end (ap);
  *status = run->status;
  *err = g_steal_pointer (&run->err);
  out = g_steal_pointer (&run->out);
  /* The admin keys' public prefixes (sk-admin-, sk-ant-admin) may show. */
  byok_test_assert_no_key ("stdout", out, -1, OPENAI_ADMIN_KEY, 9, 8);
  byok_test_assert_no_key ("stderr", *err, -1, OPENAI_ADMIN_KEY, 9, 8);
  byok_test_assert_no_key ("stderr", *err, -1, ANTHROPIC_ADMIN_KEY, 12, 8);
  return out;
}

/* The CLI reads every provider with an admin key (here OpenAI only: no
 * row for Anthropic) and prints its bill beside what it recorded, today's
 * UTC day included, as JSON and as a table. */
static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  gint64 today = g_get_real_time () / DAY_US * DAY_US;
  g_autofree char *bucket = openai_bucket (today, "0.50");
  g_autofree char *page = g_strdup_printf ("{\"object\":\"page\",\"data\":[%s],\"has_more\":false,\"next_page\":null}",
                                           bucket);
  g_autofree char *db_dir = g_build_filename (f->dir, "data", "byok", NULL);
  g_autofree char *db_path = g_build_filename (db_dir, "byok.db", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *table = NULL;
  g_autofree char *table_err = NULL;
  g_autoptr(ByokDatabase) database = NULL;
  g_autoptr(ByokUsageStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *row;
  int status;

  g_assert_true (byok_key_store_store_admin_wait (byok_engine_get_key_store (f->engine), "openai",
                                                  OPENAI_ADMIN_KEY, NULL, &error));
  g_assert_cmpint (g_mkdir_with_parents (db_dir, 0700), ==, 0);
  database = byok_database_open (db_path, &error);
  g_assert_no_error (error);
  store = byok_usage_store_new (database);
  record_call (store, "openai", today + 1, TRUE, 0.40);
  g_clear_object (&store);
  g_clear_object (&database);

  byok_test_server_add_reply (f->server, "/v1/organization/costs", byok_test_reply_new_json (200, page));
  out = run_cli (f, NULL, &status, &err, "usage", "--since", "7d", "--compare-bill", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  root = json_from_string (out, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 1);
  row = json_array_get_object_element (json_node_get_array (root), 0);
  g_assert_cmpstr (json_object_get_string_member (row, "provider"), ==, "openai");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (row, "provider_usd"), 0.50, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (row, "byok_usd"), 0.40, 1e-9);
  g_assert_true (json_object_get_boolean_member (row, "differs"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (row, "days")), >=, 7);
  /* No usage by key to be had here: the keys untold, all unexplained. */
  g_assert_cmpstr (json_object_get_string_member (row, "keys"), ==, "untold");
  {
    JsonObject *explanation = json_object_get_object_member (row, "explanation");

    g_assert_nonnull (explanation);
    g_assert_true (json_object_get_null_member (explanation, "other_keys_usd"));
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (explanation, "difference_usd"), 0.10, 1e-9);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (explanation, "unexplained_usd"), 0.10, 1e-9);
  }

  byok_test_server_add_reply (f->server, "/v1/organization/costs", byok_test_reply_new_json (200, page));
  table = run_cli (f, NULL, &status, &table_err, "usage", "--since", "7d", "--compare-bill", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (table, "OpenAI"));
  g_assert_nonnull (strstr (table, "+$0.10"));
  g_assert_nonnull (strstr (table, "differs"));
  g_assert_nonnull (strstr (table, "Could not tell Byok’s key from others"));
  g_assert_nonnull (strstr (table, "+$0.10 unexplained"));
}

/* `keys set-admin` reads the key from stdin, refuses a chat key, keeps
 * the admin key in the keyring (apart from the chat keys) and prints it
 * masked; `keys delete-admin` takes it away. */
static void
test_cli_keys (Fixture       *f,
               gconstpointer  data)
{
  ByokKeyStore *keys = byok_engine_get_key_store (f->engine);
  g_autofree char *refused = NULL;
  g_autofree char *refused_err = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *saved_err = NULL;
  g_autofree char *deleted = NULL;
  g_autofree char *deleted_err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokKey) key = NULL;
  int status;

  refused = run_cli (f, OPENAI_CHAT_KEY "\n", &status, &refused_err, "keys", "set-admin", "openai", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (refused_err, "sk-admin-"));
  byok_test_assert_no_key ("stderr", refused_err, -1, OPENAI_CHAT_KEY, 0, 8);
  key = byok_key_store_lookup_admin_wait (keys, "openai", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (key);

  saved = run_cli (f, OPENAI_ADMIN_KEY "\n", &status, &saved_err, "keys", "set-admin", "openai", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (saved, "Saved the OpenAI admin key"));
  key = byok_key_store_lookup_admin_wait (keys, "openai", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);
  g_assert_cmpstr (byok_key_get_secret (key), ==, OPENAI_ADMIN_KEY);
  g_clear_object (&key);

  deleted = run_cli (f, NULL, &status, &deleted_err, "keys", "delete-admin", "openai", NULL);
  g_assert_cmpint (status, ==, 0);
  key = byok_key_store_lookup_admin_wait (keys, "openai", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (key);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/bill/admin-key", test_admin_key);
  ADD ("/bill/openai", test_openai);
  ADD ("/bill/anthropic", test_anthropic);
  ADD ("/bill/failures", test_failures);
  ADD ("/bill/openai-keys", test_openai_keys);
  ADD ("/bill/anthropic-keys", test_anthropic_keys);
  g_test_add_func ("/bill/explain", test_explain);
  g_test_add_func ("/bill/key-hint", test_key_hint);
  ADD ("/bill/cli", test_cli);
  ADD ("/bill/cli-keys", test_cli_keys);
#undef ADD
  return g_test_run ();
}
