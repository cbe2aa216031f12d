/* test-price-update.c — price lists: read whole or refused whole (malformed,
 * hostile, huge), fetched only over https (http on 127.0.0.1 here) with no
 * redirect and no more than the cap read, compared with the catalog (new
 * models, changed prices, removed ones), applied without touching the
 * person's own prices, kept in the price history, and the shipped catalog
 * checked against the list it was made from. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <stdio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "byok-test-engine.h"
#include "byok-test-util.h"
#include "byok-catalog.h"
#include "byok-database.h"
#include "byok-engine.h"
#include "byok-error.h"
#include "byok-price-history.h"
#include "byok-price-overrides.h"
#include "byok-price-update.h"
#include "byok-test-server.h"
#include "byok-usage-store.h"

#define TODAY "2026-12-07"

static GBytes *
fixture (const char *name)
{
  return byok_test_load_fixture ("prices", name);
}

static ByokPriceData *
read_text (const char  *json,
           GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));

  return byok_price_data_new_from_bytes (bytes, TODAY, error);
}

/* ---- reading ------------------------------------------------------------- */

static void
test_read (void)
{
  g_autoptr(GBytes) bytes = fixture ("genai-prices-0.1.8.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokPriceData) data = byok_price_data_new_from_bytes (bytes, TODAY, &error);
  const ByokPriceDataModel *model;
  const ByokPriceTier *tier;

  g_assert_no_error (error);
  g_assert_cmpuint (byok_price_data_get_n_models (data), >, 250);
  g_assert_cmpuint (strlen (byok_price_data_get_sha256 (data)), ==, 64);

  /* Byok's ids: "google" is gemini, "x-ai" xai, "moonshotai" moonshot */
  model = byok_price_data_find (data, "gemini", "gemini-3.1-pro-preview");
  g_assert_nonnull (model);
  byok_test_assert_rate (model->price.input, 2);
  tier = byok_price_get_tier (&model->price, 200001);
  g_assert_nonnull (tier);
  byok_test_assert_rate (tier->output, 18);
  g_assert_nonnull (byok_price_data_find (data, "xai", "grok-4.6"));
  g_assert_nonnull (byok_price_data_find (data, "moonshot", "kimi-k3"));
  g_assert_null (byok_price_data_find (data, "google", "gemini-3.1-pro-preview"));

  /* rules: "starts_with", "regex", "or" */
  model = byok_price_data_find (data, "anthropic", "claude-haiku-4-5-20251001");
  g_assert_nonnull (model);
  g_assert_cmpstr (model->id, ==, "claude-haiku-4-5");
  model = byok_price_data_find (data, "openai", "gpt-5.6-sol-2026-08-21");
  g_assert_nonnull (model);
  g_assert_cmpstr (model->id, ==, "gpt-5.6-sol");
  /* a price from a date on: GPT-5.6 Sol's cut of 2026-08-21 */
  byok_test_assert_rate (model->price.input, 4);
  {
    g_autoptr(ByokPriceData) before = byok_price_data_new_from_bytes (bytes, "2026-08-20", &error);

    g_assert_no_error (error);
    byok_test_assert_rate (byok_price_data_find (before, "openai", "gpt-5.6-sol")->price.input, 5);
  }

  /* chat models, and what is not one */
  g_assert_true (byok_price_data_find (data, "openai", "gpt-6-astra")->chat);
  g_assert_false (byok_price_data_find (data, "openai", "text-embedding-3-small")->chat);
  g_assert_false (byok_price_data_find (data, "openai", "gpt-4o-mini-tts")->chat);

  /* a rule survives its round trip through the database */
  {
    ByokPriceDataModel copy = { NULL, };
    g_autofree char *text = byok_price_data_match_to_string (model);

    g_assert_true (byok_price_data_match_from_string (&copy, text));
    copy.id = g_strdup ("gpt-5.6-sol");
    copy.provider = g_strdup ("openai");
    g_assert_true (byok_price_data_model_matches (&copy, "gpt-5.6"));
    g_assert_false (byok_price_data_model_matches (&copy, "gpt-5.6-solar"));
    byok_price_data_model_clear (&copy);
    g_assert_false (byok_price_data_match_from_string (&copy, "{\"fuzzy\": \"gpt\"}"));
  }
}

/* A file is refused whole, saying what is wrong. */
static void
test_refused (void)
{
#define MODEL(prices) "[{\"id\":\"openai\",\"models\":[{\"id\":\"m\",\"match\":{\"equals\":\"m\"},\"prices\":" prices "}]}]"
  static const struct {
    const char *json;
    const char *says;
  } cases[] = {
    { "", "empty" },
    { "{ not json", "JSON" },
    { "{\"providers\": []}", "list of providers" },
    { "[]", "provider Byok knows" },
    { "[{\"id\":\"together\",\"models\":[]}]", "provider Byok knows" },
    { "[{\"id\":\"openai\"}]", "list of models" },
    { "[{\"id\":\"openai\",\"models\":[{\"match\":{\"equals\":\"m\"},\"prices\":{}}]}]", "no id" },
    { "[{\"id\":\"openai\",\"models\":[{\"id\":\"m\",\"prices\":{}}]}]", "rule" },
    { "[{\"id\":\"openai\",\"models\":[{\"id\":\"m\",\"match\":{\"regex\":\"(\"},\"prices\":{}}]}]", "rule" },
    { "[{\"id\":\"openai\",\"models\":[{\"id\":\"m\",\"match\":{\"equals\":\"m\"}}]}]", "no prices" },
    { MODEL ("{\"input_mtok\":-1,\"output_mtok\":2}"), "negative" },
    { MODEL ("{\"input_mtok\":\"1.5\",\"output_mtok\":2}"), "not a number" },
    { MODEL ("{\"input_mtok\":1,\"output_mtok\":null}"), "not a number" },
    { MODEL ("{\"input_mtok\":1,\"output_mtok\":1e999}"), "finite" },
    { MODEL ("{\"input_mtok\":1,\"output_mtok\":2500}"), "$2000" },
    { MODEL ("{\"input_mtok\":{\"base\":1,\"tiers\":[{\"start\":1000,\"price\":-2}]},\"output_mtok\":2}"), "negative" },
    { MODEL ("{\"input_mtok\":{\"base\":1,\"tiers\":[{\"start\":\"big\",\"price\":2}]},\"output_mtok\":2}"), "tokens" },
    { MODEL ("{\"input_mtok\":1,\"output_mtok\":2,\"web_searches_kcount\":\"ten\"}"), "not a number" },
    { MODEL ("[{\"constraint\":{\"type\":\"moon_phase\"},\"prices\":{\"input_mtok\":1}}]"), "constraint" },
    { "[{\"id\":\"openai\",\"models\":[{\"id\":\"m\",\"match\":{\"equals\":\"m\"},\"context_window\":-5,"
      "\"prices\":{\"input_mtok\":1}}]}]", "context window" },
    /* DeepSeek's bound is $100 */
    { "[{\"id\":\"deepseek\",\"models\":[{\"id\":\"m\",\"match\":{\"equals\":\"m\"},"
      "\"prices\":{\"input_mtok\":150,\"output_mtok\":2}}]}]", "$100" },
  };
#undef MODEL

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ByokPriceData) data = NULL;

      g_test_message ("case %u: %s", i, cases[i].json);
      data = read_text (cases[i].json, &error);
      g_assert_null (data);
      g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
      g_test_message ("→ %s", error->message);
      g_assert_nonnull (strstr (error->message, "refused"));
      g_assert_nonnull (strstr (error->message, cases[i].says));
    }

  /* a price of a provider Byok does not know is not its business… */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ByokPriceData) data =
      read_text ("[{\"id\":\"together\",\"models\":[{\"id\":\"x\",\"match\":{\"equals\":\"x\"},"
                 "\"prices\":{\"input_mtok\":99999}}]},"
                 "{\"id\":\"openai\",\"models\":[{\"id\":\"m\",\"match\":{\"equals\":\"m\"},"
                 "\"prices\":{\"input_mtok\":1,\"output_mtok\":2}}]}]", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (byok_price_data_get_n_models (data), ==, 1);
  }

  /* …but JSON nested past the gate is refused like any bad file */
  {
    g_autoptr(GString) deep = g_string_new ("[{\"id\":\"openai\",\"models\":[");
    g_autoptr(GError) error = NULL;
    g_autoptr(ByokPriceData) data = NULL;

    for (guint i = 0; i < 2000; i++)
      g_string_append_c (deep, '[');
    for (guint i = 0; i < 2000; i++)
      g_string_append_c (deep, ']');
    g_string_append (deep, "]}]");
    data = read_text (deep->str, &error);
    g_assert_null (data);
    g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  }
}

/* ---- the shipped catalog against the list it was made from --------------- */

static void
test_catalog_agrees (void)
{
  g_autoptr(GBytes) bytes = fixture ("genai-prices-0.1.8.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokPriceData) data = byok_price_data_new_from_bytes (bytes, TODAY, &error);
  g_autoptr(ByokCatalog) catalog = byok_catalog_new_default ();
  g_autoptr(ByokPricing) pricing = byok_pricing_new (catalog);
  g_autoptr(ByokPriceUpdate) update = NULL;
  guint changed;

  g_assert_no_error (error);
  update = byok_price_update_new (catalog, pricing, data, "genai-prices 0.1.8");
  changed = byok_price_update_count (update, BYOK_PRICE_CHANGE_CHANGED);
  for (guint i = 0; i < byok_price_update_get_n_changes (update); i++)
    {
      const ByokPriceChange *change = byok_price_update_get_change (update, i);
      g_autofree char *old_text = byok_price_to_json_string (&change->old_price);
      g_autofree char *new_text = byok_price_to_json_string (&change->new_price);

      if (change->kind == BYOK_PRICE_CHANGE_CHANGED)
        g_test_message ("disagrees: %s/%s %s, list %s", change->provider, change->model, old_text, new_text);
    }
  /* Where the catalog's price is not the list's, the catalog says why
   * (data_price, data/catalog-sources.md): an update from the very list
   * it was checked against changes no price. */
  g_assert_cmpuint (changed, ==, 0);
}

/* ---- fetching and applying ----------------------------------------------- */

typedef struct {
  char           *dir;
  char           *db_path;
  ByokTestServer *server;
  ByokEngine     *engine;
} Fixture;

static void
open_engine (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->engine);
  f->engine = byok_engine_new (f->db_path, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("byok-test-price-update-XXXXXX", &error);
  g_assert_no_error (error);
  f->db_path = g_build_filename (f->dir, "byok.db", NULL);
  f->server = byok_test_server_new ();
  open_engine (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->engine);
  g_clear_object (&f->server);
  byok_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db_path);
}

static ByokPriceData *
fetch (const char  *source,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  byok_price_data_fetch_async (source, NULL, byok_test_store_result, &result);
  byok_test_wait_result (&result);
  return byok_price_data_fetch_finish (result, error);
}

static char *
serve (Fixture    *f,
       const char *path,
       const char *name)
{
  g_autoptr(GBytes) bytes = fixture (name);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  byok_test_server_add_reply (f->server, path, byok_test_reply_new_json (200, text));
  return g_strconcat (byok_test_server_get_url (f->server), path, NULL);
}

static const ByokPriceChange *
find_change (ByokPriceUpdate     *update,
             ByokPriceChangeKind  kind,
             const char          *model)
{
  for (guint i = 0; i < byok_price_update_get_n_changes (update); i++)
    {
      const ByokPriceChange *change = byok_price_update_get_change (update, i);

      if (change->kind == kind && g_str_equal (change->model, model))
        return change;
    }
  return NULL;
}

static const ByokPriceHistoryRow *
row_of (GPtrArray  *rows,
        const char *provider,
        const char *model)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const ByokPriceHistoryRow *row = g_ptr_array_index (rows, i);

      if (g_str_equal (row->provider, provider) && g_str_equal (row->model, model))
        return row;
    }
  return NULL;
}

static void
test_fetch_and_apply (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *url = serve (f, "/prices.json", "data-new-prices.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokPriceData) list = NULL;
  g_autoptr(ByokPriceUpdate) update = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) recent = NULL;
  ByokCatalog *catalog = byok_engine_get_catalog (f->engine);
  ByokPricing *pricing = byok_engine_get_pricing (f->engine);
  ByokUsageRecord call = { 0, };
  const ByokPriceChange *change;
  ByokModel *model;
  ByokPrice yours, in_force;
  gboolean is_override = FALSE;
  gint64 before_us;

  /* The person's own price of GPT-5.5, and a call priced before the update. */
  byok_price_init_flat (&yours, 1, BYOK_PRICE_UNKNOWN, BYOK_PRICE_UNKNOWN, 2);
  g_assert_true (byok_price_overrides_set (byok_engine_get_usage_store (f->engine), pricing,
                                           "openai", "gpt-5.5", &yours, &error));
  g_assert_no_error (error);
  call.provider = (char *) "deepseek";
  call.model = (char *) "deepseek-v4-flash";
  call.input_tokens = 1000000;
  call.output_tokens = 1000000;
  call.price_known = TRUE;
  g_assert_true (byok_pricing_cost (pricing, "deepseek", "deepseek-v4-flash", 1000000, 0, 0, 1000000,
                                    &call.cost_usd));
  g_assert_cmpfloat_with_epsilon (call.cost_usd, 0.22 + 0.66, 1e-9);
  byok_test_record_usage (byok_engine_get_usage_store (f->engine), &call);
  before_us = g_get_real_time ();

  list = fetch (url, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (byok_test_server_get_last_request (f->server)->method, ==, "GET");
  update = byok_engine_compare_prices (f->engine, list, url);

  /* shown before it applies: new models, changed prices old → new */
  g_assert_nonnull (find_change (update, BYOK_PRICE_CHANGE_NEW, "gpt-7-test"));
  g_assert_nonnull (find_change (update, BYOK_PRICE_CHANGE_NEW, "deepseek-v5-test"));
  g_assert_null (find_change (update, BYOK_PRICE_CHANGE_NEW, "text-embedding-9"));
  g_assert_null (find_change (update, BYOK_PRICE_CHANGE_CHANGED, "gpt-4o"));
  change = find_change (update, BYOK_PRICE_CHANGE_CHANGED, "deepseek-v4-flash");
  g_assert_nonnull (change);
  byok_test_assert_rate (change->old_price.input, 0.22);
  byok_test_assert_rate (change->new_price.input, 0.2);
  g_assert_false (change->has_override);
  /* a price from 2026-12-01 on, today 2026-12-07: the new one */
  change = find_change (update, BYOK_PRICE_CHANGE_CHANGED, "gpt-5.5");
  g_assert_nonnull (change);
  byok_test_assert_rate (change->old_price.input, 5);
  byok_test_assert_rate (change->new_price.input, 4);
  g_assert_true (change->has_override);
  g_assert_cmpuint (byok_price_update_count (update, BYOK_PRICE_CHANGE_REMOVED), ==, 0);
  /* nothing is applied yet */
  byok_test_assert_rate (byok_model_get_price (byok_catalog_lookup_model (catalog, "deepseek", "deepseek-v4-flash"))->input,
               0.22);

  g_assert_true (byok_engine_apply_price_update (f->engine, update, &error));
  g_assert_no_error (error);

  /* prices follow the list… */
  byok_test_assert_rate (byok_model_get_price (byok_catalog_lookup_model (catalog, "deepseek", "deepseek-v4-flash"))->input,
               0.2);
  g_assert_nonnull (strstr (byok_model_get_price_source (byok_catalog_lookup_model (catalog, "deepseek",
                                                                                     "deepseek-v4-flash")),
                            url));
  model = byok_catalog_lookup_model (catalog, "openai", "gpt-7-test");
  g_assert_nonnull (model);
  g_assert_true (byok_model_is_from_price_data (model));
  g_assert_cmpstr (byok_model_get_name (model), ==, "GPT-7 Test");
  g_assert_cmpint (byok_model_get_context_window (model), ==, 2000000);
  byok_test_assert_rate (byok_model_get_price (model)->output, 18);
  /* …the person's own price stays over it… */
  g_assert_true (byok_pricing_lookup (pricing, "openai", "gpt-5.5", &in_force, &is_override));
  g_assert_true (is_override);
  byok_test_assert_rate (in_force.input, 1);
  /* …and a call already recorded keeps what it cost */
  recent = byok_usage_store_list_recent (byok_engine_get_usage_store (f->engine), 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recent->len, ==, 1);
  g_assert_cmpfloat_with_epsilon (((ByokUsageRecord *) g_ptr_array_index (recent, 0))->cost_usd,
                                  0.22 + 0.66, 1e-9);

  /* the history: the table in force before, and after */
  before = byok_price_history_list_at (byok_engine_get_database (f->engine), catalog, before_us, &error);
  g_assert_no_error (error);
  after = byok_price_history_list_at (byok_engine_get_database (f->engine), catalog, g_get_real_time (), &error);
  g_assert_no_error (error);
  byok_test_assert_rate (row_of (before, "deepseek", "deepseek-v4-flash")->price.input, 0.22);
  g_assert_cmpint (row_of (before, "deepseek", "deepseek-v4-flash")->origin, ==, BYOK_PRICE_ORIGIN_CATALOG);
  byok_test_assert_rate (row_of (after, "deepseek", "deepseek-v4-flash")->price.input, 0.2);
  g_assert_cmpint (row_of (after, "deepseek", "deepseek-v4-flash")->origin, ==, BYOK_PRICE_ORIGIN_UPDATE);
  g_assert_cmpint (row_of (after, "openai", "gpt-5.5")->origin, ==, BYOK_PRICE_ORIGIN_USER);
  byok_test_assert_rate (row_of (after, "openai", "gpt-7-test")->price.input, 3);
  g_assert_null (row_of (before, "openai", "gpt-7-test"));
  /* long ago: the catalog's, as far back as Byok knows */
  {
    g_autoptr(GPtrArray) long_ago = byok_price_history_list_at (byok_engine_get_database (f->engine), catalog,
                                                                0, &error);

    byok_test_assert_rate (row_of (long_ago, "deepseek", "deepseek-v4-flash")->price.input, 0.22);
    byok_test_assert_rate (row_of (long_ago, "openai", "gpt-5.5")->price.input, 5);
  }

  /* A model the provider lists that the catalog does not know takes the
   * list's price and context window (the rule is a regex here). */
  {
    const char * const listed[] = { "gpt-7-test-2027-01-15", "gpt-nobody-knows", NULL };
    ByokModel *dated;

    byok_catalog_merge_models (catalog, "openai", listed);
    dated = byok_catalog_lookup_model (catalog, "openai", "gpt-7-test-2027-01-15");
    g_assert_nonnull (dated);
    byok_test_assert_rate (byok_model_get_price (dated)->input, 3);
    g_assert_cmpint (byok_model_get_context_window (dated), ==, 2000000);
    g_assert_false (byok_price_is_known (byok_model_get_price (byok_catalog_lookup_model (catalog, "openai",
                                                                                         "gpt-nobody-knows"))));
  }

  /* Byok started again: the update is in force, the person's price too. */
  open_engine (f);
  catalog = byok_engine_get_catalog (f->engine);
  byok_test_assert_rate (byok_model_get_price (byok_catalog_lookup_model (catalog, "deepseek", "deepseek-v4-flash"))->input,
               0.2);
  g_assert_nonnull (byok_catalog_lookup_model (catalog, "openai", "gpt-7-test"));
  g_assert_true (byok_pricing_lookup (byok_engine_get_pricing (f->engine), "openai", "gpt-5.5", &in_force,
                                      &is_override));
  g_assert_true (is_override);

  /* Opened as byok-cli opens it for a listing that shows no price: the
   * history is read when a price is first asked for, and the update is in
   * force from then on. */
  {
    g_autoptr(ByokEngine) lazy =
      byok_engine_open_finish (byok_engine_open_in_thread_full (f->db_path, BYOK_ENGINE_OPEN_NO_PRICE_HISTORY),
                               &error);
    ByokUsage usage = { 0, };
    gboolean known = FALSE;

    g_assert_no_error (error);
    g_assert_null (byok_catalog_lookup_model (byok_engine_get_catalog (lazy), "openai", "gpt-7-test"));
    usage.input_tokens = 1000000;
    g_assert_cmpfloat_with_epsilon (byok_engine_cost_of (lazy, "deepseek", "deepseek-v4-flash", &usage, &known),
                                    0.2, 1e-9);
    g_assert_true (known);
    g_assert_nonnull (byok_catalog_lookup_model (byok_engine_get_catalog (lazy), "openai", "gpt-7-test"));
    g_assert_true (byok_pricing_lookup (byok_engine_get_pricing (lazy), "openai", "gpt-5.5", &in_force,
                                        &is_override));
    g_assert_true (is_override);
  }

  /* The next list drops what the last one added and DeepSeek's price:
   * shown as removed, and as the catalog's price again. */
  {
    g_autofree char *next_url = serve (f, "/next.json", "data-next.json");
    g_autoptr(ByokPriceData) next = fetch (next_url, &error);
    g_autoptr(ByokPriceUpdate) next_update = NULL;

    g_assert_no_error (error);
    next_update = byok_engine_compare_prices (f->engine, next, next_url);
    g_assert_nonnull (find_change (next_update, BYOK_PRICE_CHANGE_REMOVED, "gpt-7-test"));
    g_assert_nonnull (find_change (next_update, BYOK_PRICE_CHANGE_REMOVED, "deepseek-v5-test"));
    change = find_change (next_update, BYOK_PRICE_CHANGE_CHANGED, "deepseek-v4-flash");
    g_assert_nonnull (change);
    byok_test_assert_rate (change->new_price.input, 0.22);
    g_assert_null (find_change (next_update, BYOK_PRICE_CHANGE_CHANGED, "gpt-5.5"));
    g_assert_true (byok_engine_apply_price_update (f->engine, next_update, &error));
    g_assert_no_error (error);
    g_assert_null (byok_catalog_lookup_model (catalog, "openai", "gpt-7-test"));
    byok_test_assert_rate (byok_model_get_price (byok_catalog_lookup_model (catalog, "deepseek", "deepseek-v4-flash"))->input,
                 0.22);
  }
}

/* A bad list, from wherever, is refused whole and the last good one stays. */
static void
test_refused_over_http (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *good = serve (f, "/good.json", "data-new-prices.json");
  g_autofree char *malformed = serve (f, "/malformed.json", "data-malformed.json");
  g_autofree char *hostile = serve (f, "/hostile.json", "data-hostile.json");
  g_autofree char *missing = g_strconcat (byok_test_server_get_url (f->server), "/missing.json", NULL);
  g_autofree char *moved = g_strconcat (byok_test_server_get_url (f->server), "/moved.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokPriceData) list = fetch (good, &error);
  g_autoptr(ByokPriceUpdate) update = NULL;
  ByokCatalog *catalog = byok_engine_get_catalog (f->engine);
  ByokTestReply *redirect;

  g_assert_no_error (error);
  update = byok_engine_compare_prices (f->engine, list, good);
  g_assert_true (byok_engine_apply_price_update (f->engine, update, &error));
  g_assert_no_error (error);

  byok_test_server_add_reply (f->server, "/missing.json", byok_test_reply_new_json (404, "{}"));
  redirect = byok_test_reply_new (302);
  byok_test_reply_add_header (redirect, "Location", "https://example.com/elsewhere.json");
  byok_test_server_add_reply (f->server, "/moved.json", redirect);

  {
    const struct {
      const char    *source;
      int            code;
      const char    *says;
    } cases[] = {
      { malformed, BYOK_ERROR_MALFORMED, "JSON" },
      { hostile, BYOK_ERROR_MALFORMED, "$2000" },
      { missing, BYOK_ERROR_NETWORK, "404" },
      { moved, BYOK_ERROR_NETWORK, "elsewhere" },
      { "http://example.com/prices.json", BYOK_ERROR_INVALID, "https" },
      { "ftp://127.0.0.1/prices.json", BYOK_ERROR_INVALID, "https" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(ByokPriceData) refused = NULL;

        g_clear_error (&error);
        g_test_message ("%s", cases[i].source);
        refused = fetch (cases[i].source, &error);
        g_assert_null (refused);
        g_assert_error (error, BYOK_ERROR, cases[i].code);
        g_test_message ("→ %s", error->message);
        g_assert_nonnull (strstr (error->message, cases[i].says));
      }
  }

  /* the redirect was not followed: nothing asked of example.com, and the
   * last good list is still in force */
  byok_test_assert_rate (byok_model_get_price (byok_catalog_lookup_model (catalog, "deepseek", "deepseek-v4-flash"))->input,
               0.2);
  g_assert_nonnull (byok_catalog_lookup_model (catalog, "openai", "gpt-7-test"));
}

/* ---- huge files ---------------------------------------------------------- */

typedef struct {
  goffset  total;          /* what the handler offers */
  goffset  written;        /* what it wrote */
  gboolean with_length;    /* says Content-Length */
} Huge;

static void
huge_write_more (SoupServerMessage *msg,
                 Huge              *huge)
{
  static char chunk[256 * 1024];
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  if (huge->written >= huge->total)
    {
      soup_message_body_complete (body);
      return;
    }
  memset (chunk, ' ', sizeof chunk);
  chunk[0] = '[';
  soup_message_body_append (body, SOUP_MEMORY_COPY, chunk, sizeof chunk);
  huge->written += sizeof chunk;
}

static void
huge_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  Huge *huge = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  if (huge->with_length)
    soup_message_headers_set_content_length (headers, huge->total);
  else
    soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (headers, "application/json", NULL);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (huge_write_more), huge);
  huge_write_more (msg, huge);
}

static void
test_huge (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *root = NULL;
  g_autofree char *base = NULL;
  Huge chunked = { 100 * 1024 * 1024, 0, FALSE };
  Huge announced = { 100 * 1024 * 1024, 0, TRUE };

  soup_server_add_handler (server, "/chunked", huge_handler, &chunked, NULL);
  soup_server_add_handler (server, "/announced", huge_handler, &announced, NULL);
  root = byok_test_listen_loopback (server);
  base = g_strconcat (root, "/", NULL);

  /* 100 MB without a length: reading stops at the cap */
  {
    g_autofree char *url = g_strconcat (base, "chunked", NULL);
    g_autoptr(ByokPriceData) data = fetch (url, &error);

    g_assert_null (data);
    g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
    g_assert_nonnull (strstr (error->message, "16 MB"));
    g_clear_error (&error);
    /* what the server got out before the client stopped reading: the cap
     * and what was on its way, not 100 MB */
    g_assert_cmpint (chunked.written, <, 40 * 1024 * 1024);
  }

  /* 100 MB announced: refused before its body is read */
  {
    g_autofree char *url = g_strconcat (base, "announced", NULL);
    g_autoptr(ByokPriceData) data = fetch (url, &error);

    g_assert_null (data);
    g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
    g_assert_nonnull (strstr (error->message, "16 MB"));
    g_clear_error (&error);
    g_assert_cmpint (announced.written, <, 8 * 1024 * 1024);
  }

  /* a file: its size decides before it is read */
  {
    g_autofree char *dir = g_dir_make_tmp ("byok-test-huge-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "prices.json", NULL);
    g_autoptr(ByokPriceData) data = NULL;
    FILE *file = fopen (path, "w");

    g_assert_nonnull (file);
    g_assert_cmpint (fseek (file, 100 * 1024 * 1024, SEEK_SET), ==, 0);
    fputc (']', file);
    fclose (file);
    data = fetch (path, &error);
    g_assert_null (data);
    g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
    g_unlink (path);
    g_rmdir (dir);
  }
}

static void
test_sources (void)
{
  g_autoptr(GError) error = NULL;
  gboolean is_url = FALSE;

  g_assert_true (byok_price_data_source_is_allowed (BYOK_PRICE_DATA_DEFAULT_URL, &is_url, &error));
  g_assert_true (is_url);
  g_assert_true (byok_price_data_source_is_allowed ("http://127.0.0.1:8080/p.json", NULL, NULL));
  g_assert_true (byok_price_data_source_is_allowed ("http://[::1]:8080/p.json", NULL, NULL));
  g_assert_true (byok_price_data_source_is_allowed ("http://localhost/p.json", NULL, NULL));
  g_assert_true (byok_price_data_source_is_allowed ("/tmp/prices.json", &is_url, NULL));
  g_assert_false (is_url);
  g_assert_false (byok_price_data_source_is_allowed ("http://prices.example.com/p.json", NULL, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (byok_price_data_source_is_allowed ("file:///etc/passwd", NULL, NULL));
  g_assert_false (byok_price_data_source_is_allowed ("https://", NULL, NULL));
  g_assert_false (byok_price_data_source_is_allowed ("", NULL, NULL));

  /* a local file goes through the same checks */
  {
    g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "prices", "data-hostile.json", NULL);
    g_autoptr(ByokPriceData) data = fetch (path, &error);

    g_assert_null (data);
    g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("BYOK_TODAY", TODAY, TRUE);
  g_test_add_func ("/price-update/read", test_read);
  g_test_add_func ("/price-update/refused", test_refused);
  g_test_add_func ("/price-update/catalog-agrees", test_catalog_agrees);
  g_test_add_func ("/price-update/huge", test_huge);
  g_test_add_func ("/price-update/sources", test_sources);
  g_test_add ("/price-update/fetch-and-apply", Fixture, NULL, fixture_setup, test_fetch_and_apply,
              fixture_teardown);
  g_test_add ("/price-update/refused-over-http", Fixture, NULL, fixture_setup, test_refused_over_http,
              fixture_teardown);
  return g_test_run ();
}
