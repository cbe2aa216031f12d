/* test-what-if.c — repricing a period's usage on other models: exact costs,
 * deltas, tiers by average prompt, cache fallbacks, unpriced calls left out,
 * local models skipped, overrides applied, context windows flagged; the
 * largest prompt from a real database, sync and async; and the price
 * overrides helpers (parse, set, persist, reload, reset). */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "byok-catalog.h"
#include "byok-error.h"
#include "byok-price-overrides.h"
#include "byok-usage-store.h"
#include "byok-what-if.h"
#include "byok-test-engine.h"
#include "byok-test-util.h"

#define PROVIDER(id, extra) \
  "{\"id\":\"" id "\",\"name\":\"" id "\",\"dialect\":\"openai\",\"base_url\":\"https://" id ".example/v1\"," \
  "\"auth\":\"bearer\",\"env\":[],\"key_hint\":{\"description\":\"d\"},\"models_list\":\"openai\"," \
  "\"key_check\":{\"method\":\"GET\",\"path\":\"/models\"}" extra

static const char catalog_json[] =
  "{\"version\":1,\"providers\":["
  PROVIDER ("a", ",\"models\":["
  "{\"id\":\"big\",\"name\":\"Big\",\"context_window\":200000,\"capabilities\":[\"streaming\"],"
  " \"price\":{\"input\":10,\"cached_input\":1,\"cache_write\":12.5,\"output\":30},\"price_source\":\"test\"},"
  "{\"id\":\"small\",\"name\":\"Small\",\"context_window\":8000,\"capabilities\":[\"streaming\"],"
  " \"price\":{\"input\":1,\"output\":2},\"price_source\":\"test\"},"
  "{\"id\":\"tiered\",\"name\":\"Tiered\",\"context_window\":1000000,\"capabilities\":[\"streaming\"],"
  " \"price\":{\"input\":2,\"cached_input\":0.5,\"output\":8,"
  "  \"tiers\":[{\"above_input_tokens\":100000,\"input\":4,\"cached_input\":1,\"output\":16}]},\"price_source\":\"test\"},"
  "{\"id\":\"unpriced\",\"name\":\"Unpriced\",\"context_window\":8000,\"capabilities\":[\"streaming\"]}"
  "]},")
  PROVIDER ("local", ",\"local\":true,\"auth\":\"none\",\"needs_key\":false,\"models\":["
  "{\"id\":\"free\",\"name\":\"Free\",\"context_window\":8000,\"capabilities\":[\"streaming\"],"
  " \"price\":{\"input\":0,\"cached_input\":0,\"cache_write\":0,\"output\":0},\"price_source\":\"test\"}"
  "]}")
  "]}";

#define EPS 1e-9

static ByokCatalog *
test_catalog (void)
{
  g_autoptr(GError) error = NULL;
  ByokCatalog *catalog = byok_catalog_new_from_data (catalog_json, -1, &error);

  g_assert_no_error (error);
  return catalog;
}

static ByokUsageGroup *
group (const char *provider,
       const char *model,
       guint64     calls,
       guint64     errors,
       guint64     unknown,
       guint64     input,
       guint64     cached,
       guint64     write,
       guint64     output,
       double      cost)
{
  ByokUsageGroup *g = g_new0 (ByokUsageGroup, 1);

  g->provider = g_strdup (provider);
  g->model = g_strdup (model);
  g->totals.calls = calls;
  g->totals.errors = errors;
  g->totals.unknown_price_calls = unknown;
  g->totals.input_tokens = input;
  g->totals.cached_input_tokens = cached;
  g->totals.cache_write_tokens = write;
  g->totals.output_tokens = output;
  g->totals.cost_usd = cost;
  return g;
}

/* The period of the tests:
 *   a/big: 8 calls, 1M input (400k cached, 100k cache writes), 200k output,
 *          $12.65 paid: 500k×10 + 400k×1 + 100k×12.5 + 200k×30
 *   a/small: 5 calls, 2 failed without a price, 100k in, 50k out, $0.20
 *   a/unpriced: 3 calls of unknown price, left out */
static GPtrArray *
test_usage (void)
{
  GPtrArray *groups = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_usage_group_free);

  g_ptr_array_add (groups, group ("a", "big", 8, 0, 0, 1000000, 400000, 100000, 200000, 12.65));
  g_ptr_array_add (groups, group ("a", "small", 5, 2, 2, 100000, 0, 0, 50000, 0.20));
  g_ptr_array_add (groups, group ("a", "unpriced", 3, 0, 3, 5000, 0, 0, 100, 0));
  return groups;
}

static void
test_reprice (void)
{
  g_autoptr(ByokCatalog) catalog = test_catalog ();
  g_autoptr(ByokPricing) pricing = byok_pricing_new (catalog);
  g_autoptr(GPtrArray) usage = test_usage ();
  g_autoptr(ByokWhatIf) what_if = byok_what_if_compute (pricing, usage, 150000);
  const ByokWhatIfRow *row;

  g_assert_cmpuint (what_if->calls, ==, 13);
  g_assert_cmpuint (what_if->unpriced_calls, ==, 3);
  g_assert_cmpuint (what_if->input_tokens, ==, 1100000);
  g_assert_cmpuint (what_if->cached_input_tokens, ==, 400000);
  g_assert_cmpuint (what_if->cache_write_tokens, ==, 100000);
  g_assert_cmpuint (what_if->output_tokens, ==, 250000);
  g_assert_cmpfloat_with_epsilon (what_if->actual_usd, 12.85, EPS);
  g_assert_cmpint (what_if->largest_prompt, ==, 150000);

  /* No unpriced model, no local one: small, tiered, big, cheapest first. */
  g_assert_cmpuint (what_if->rows->len, ==, 3);

  /* small has no cache prices: cached and written tokens cost input price.
   * big's usage: 1M × $1 + 200k × $2 = $1.40; small's own: $0.20. */
  row = g_ptr_array_index (what_if->rows, 0);
  g_assert_cmpstr (row->provider, ==, "a");
  g_assert_cmpstr (row->model, ==, "small");
  g_assert_cmpstr (row->name, ==, "Small");
  g_assert_cmpfloat_with_epsilon (row->cost_usd, 1.60, EPS);
  g_assert_cmpfloat_with_epsilon (row->delta_usd, -11.25, EPS);
  g_assert_cmpfloat_with_epsilon (row->delta_ratio, -11.25 / 12.85, EPS);
  g_assert_true (row->is_used);
  g_assert_false (row->is_override);
  g_assert_true (row->too_small);              /* 8k < 150k */
  g_assert_cmpint (row->context_window, ==, 8000);

  /* tiered: big's calls average 125k prompt tokens → the tier above 100k:
   * 500k × 4 + 400k × 1 + 100k × 4 (no cache-write price) + 200k × 16 = $6.00;
   * small's average 100k / 3 ok calls → base: 100k × 2 + 50k × 8 = $0.60. */
  row = g_ptr_array_index (what_if->rows, 1);
  g_assert_cmpstr (row->model, ==, "tiered");
  g_assert_cmpfloat_with_epsilon (row->cost_usd, 6.60, EPS);
  g_assert_cmpfloat_with_epsilon (row->delta_usd, 6.60 - 12.85, EPS);
  g_assert_false (row->is_used);
  g_assert_false (row->too_small);

  /* big: its own $12.65 and small's 100k × 10 + 50k × 30 = $2.50. */
  row = g_ptr_array_index (what_if->rows, 2);
  g_assert_cmpstr (row->model, ==, "big");
  g_assert_cmpfloat_with_epsilon (row->cost_usd, 15.15, EPS);
  g_assert_cmpfloat_with_epsilon (row->delta_usd, 2.30, EPS);
  g_assert_cmpfloat_with_epsilon (row->delta_ratio, 2.30 / 12.85, EPS);
  g_assert_false (row->too_small);             /* 200k ≥ 150k */

  g_assert_true (byok_what_if_find (what_if, "a", "big") == row);
  g_assert_null (byok_what_if_find (what_if, "a", "unpriced"));
  g_assert_null (byok_what_if_find (what_if, "local", "free"));
}

static void
test_reprice_override (void)
{
  g_autoptr(ByokCatalog) catalog = test_catalog ();
  g_autoptr(ByokPricing) pricing = byok_pricing_new (catalog);
  g_autoptr(GPtrArray) usage = test_usage ();
  g_autoptr(ByokWhatIf) what_if = NULL;
  g_autoptr(GError) error = NULL;
  const ByokWhatIfRow *row;
  ByokPrice price;

  /* The user's flat $1/$1 for tiered, and a price for the unpriced model. */
  byok_price_init_flat (&price, 1, BYOK_PRICE_UNKNOWN, BYOK_PRICE_UNKNOWN, 1);
  g_assert_true (byok_pricing_set_override (pricing, "a", "tiered", &price, &error));
  g_assert_no_error (error);
  byok_price_init_flat (&price, 3, BYOK_PRICE_UNKNOWN, BYOK_PRICE_UNKNOWN, 3);
  g_assert_true (byok_pricing_set_override (pricing, "a", "unpriced", &price, &error));
  g_assert_no_error (error);

  /* No largest prompt known: nothing flagged. */
  what_if = byok_what_if_compute (pricing, usage, 0);
  g_assert_cmpuint (what_if->rows->len, ==, 4);

  /* 1.1M in × $1 + 250k out × $1 */
  row = g_ptr_array_index (what_if->rows, 0);
  g_assert_cmpstr (row->model, ==, "tiered");
  g_assert_true (row->is_override);
  g_assert_cmpfloat_with_epsilon (row->cost_usd, 1.35, EPS);
  g_assert_false (row->too_small);

  row = byok_what_if_find (what_if, "a", "unpriced");
  g_assert_nonnull (row);
  g_assert_cmpfloat_with_epsilon (row->cost_usd, 1100000 * 3e-6 + 250000 * 3e-6, EPS);
  /* The usage with the unknown price is still left out: it was not paid. */
  g_assert_false (row->is_used);
  g_assert_cmpuint (what_if->unpriced_calls, ==, 3);

  g_assert_false (byok_what_if_find (what_if, "a", "small")->too_small);
}

static void
test_nothing_paid (void)
{
  g_autoptr(ByokCatalog) catalog = test_catalog ();
  g_autoptr(ByokPricing) pricing = byok_pricing_new (catalog);
  g_autoptr(GPtrArray) usage = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_usage_group_free);
  g_autoptr(ByokWhatIf) empty = byok_what_if_compute (pricing, usage, 0);
  g_autoptr(ByokWhatIf) free_usage = NULL;
  const ByokWhatIfRow *row;

  g_assert_cmpuint (empty->rows->len, ==, 0);
  g_assert_cmpuint (empty->calls, ==, 0);
  g_assert_cmpfloat (empty->actual_usd, ==, 0);

  /* Only failed calls without tokens: every model costs $0, no ratio. */
  g_ptr_array_add (usage, group ("a", "big", 2, 2, 0, 0, 0, 0, 0, 0));
  free_usage = byok_what_if_compute (pricing, usage, 0);
  g_assert_cmpuint (free_usage->rows->len, ==, 3);
  row = g_ptr_array_index (free_usage->rows, 0);
  g_assert_cmpfloat (row->cost_usd, ==, 0);
  g_assert_cmpfloat (row->delta_usd, ==, 0);
  g_assert_true (isnan (row->delta_ratio));
}

static ByokUsageStore *
open_store (const char *dir,
            ByokDatabase **database)
{
  g_autofree char *path = g_build_filename (dir, "byok.db", NULL);
  g_autoptr(GError) error = NULL;

  *database = byok_database_open (path, &error);
  g_assert_no_error (error);
  return byok_usage_store_new (*database);
}

static void
record_call (ByokUsageStore *store,
             gint64          time_us,
             gint64          input)
{
  byok_test_record_usage (store, &(ByokUsageRecord) {
    .time_us = time_us, .provider = (char *) "a", .model = (char *) "big",
    .input_tokens = input, .output_tokens = 10, .price_known = TRUE, .cost_usd = 0.01,
    .ttft_us = -1,
  });
}

static void
test_largest_prompt (void)
{
  g_autofree char *dir = g_dir_make_tmp ("byok-what-if-XXXXXX", NULL);
  g_autoptr(ByokDatabase) database = NULL;
  g_autoptr(ByokUsageStore) store = open_store (dir, &database);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 day = G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC;
  gint64 t0 = G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC;

  g_assert_cmpint (byok_what_if_largest_prompt (database, t0, t0 + day, &error), ==, 0);
  g_assert_no_error (error);

  record_call (store, t0 + 10, 5000);
  record_call (store, t0 + 20, 120000);
  record_call (store, t0 + day + 5, 900000);   /* the next day */

  g_assert_cmpint (byok_what_if_largest_prompt (database, t0, t0 + day, &error), ==, 120000);
  g_assert_cmpint (byok_what_if_largest_prompt (database, t0, t0 + 2 * day, &error), ==, 900000);
  g_assert_no_error (error);

  byok_what_if_largest_prompt_async (database, t0, t0 + day, NULL, byok_test_store_result, &result);
  byok_test_wait_result (&result);
  g_assert_cmpint (byok_what_if_largest_prompt_finish (database, result, &error), ==, 120000);
  g_assert_no_error (error);

  g_clear_object (&store);
  g_clear_object (&database);
  byok_test_remove_tree (dir);
}

static void
test_rate_parse (void)
{
  static const struct { const char *text; double rate; } good[] = {
    { "0.60", 0.60 }, { "$0.60", 0.60 }, { " 2 ", 2.0 }, { "0,6", 0.6 },
    { "0", 0.0 }, { ".5", 0.5 }, { "15.", 15.0 }, { "-0", 0.0 },
  };
  static const char * const bad[] = {
    "abc", "1.2.3", "1e3", "nan", "inf", "0x10", "$", "1,000.5", "-1", "-$0.5", "$-2", "1 2",
  };
  double rate;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (byok_price_rate_parse (good[i].text, FALSE, &rate, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat_with_epsilon (rate, good[i].rate, EPS);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (byok_price_rate_parse (bad[i], FALSE, &rate, &error));
      g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
      g_assert_true (isnan (rate));
    }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (byok_price_rate_parse ("-3", FALSE, &rate, &error));
    g_assert_nonnull (strstr (error->message, "negative"));
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (byok_price_rate_parse ("  ", TRUE, &rate, &error));
    g_assert_true (isnan (rate));
    g_assert_false (byok_price_rate_parse ("", FALSE, &rate, &error));
    g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  }
}

static void
test_overrides_persist (void)
{
  g_autofree char *dir = g_dir_make_tmp ("byok-what-if-XXXXXX", NULL);
  g_autoptr(ByokCatalog) catalog = test_catalog ();
  g_autoptr(ByokPricing) pricing = byok_pricing_new (catalog);
  g_autoptr(ByokPricing) reloaded = byok_pricing_new (catalog);
  g_autoptr(ByokDatabase) database = NULL;
  g_autoptr(ByokUsageStore) store = open_store (dir, &database);
  g_autoptr(GPtrArray) overrides = NULL;
  g_autoptr(GError) error = NULL;
  ByokPrice price, got;
  gboolean is_override;
  guint n = 0;
  double cost;

  /* Refused: negative, and input without output. Nothing is saved. */
  byok_price_init_flat (&price, -1, BYOK_PRICE_UNKNOWN, BYOK_PRICE_UNKNOWN, 2);
  g_assert_false (byok_price_overrides_set (store, pricing, "a", "small", &price, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  byok_price_init_flat (&price, 1, BYOK_PRICE_UNKNOWN, BYOK_PRICE_UNKNOWN, BYOK_PRICE_UNKNOWN);
  g_assert_false (byok_price_overrides_set (store, pricing, "a", "unpriced", &price, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  overrides = byok_usage_store_load_price_overrides (store, NULL);
  g_assert_cmpuint (overrides->len, ==, 0);

  /* A tiered price keeps its tiers through the store. */
  byok_pricing_lookup (pricing, "a", "tiered", &price, NULL);
  price.input = 3;
  g_assert_true (byok_price_overrides_set (store, pricing, "a", "tiered", &price, &error));
  g_assert_no_error (error);
  byok_price_init_flat (&price, 0.5, BYOK_PRICE_UNKNOWN, BYOK_PRICE_UNKNOWN, 0.75);
  g_assert_true (byok_price_overrides_set (store, pricing, "a", "unpriced", &price, &error));
  g_assert_no_error (error);

  /* In force at once */
  g_assert_true (byok_pricing_cost (pricing, "a", "unpriced", 1000000, 0, 0, 1000000, &cost));
  g_assert_cmpfloat_with_epsilon (cost, 1.25, EPS);

  /* And after a reload from the database */
  g_assert_true (byok_price_overrides_load (store, reloaded, &error));
  g_assert_no_error (error);
  g_assert_true (byok_pricing_lookup (reloaded, "a", "tiered", &got, &is_override));
  g_assert_true (is_override);
  g_assert_cmpfloat (got.input, ==, 3);
  g_assert_cmpuint (got.n_tiers, ==, 1);
  g_assert_cmpfloat (got.tiers[0].input, ==, 4);
  g_assert_true (byok_pricing_cost (reloaded, "a", "unpriced", 1000000, 0, 0, 1000000, &cost));
  g_assert_cmpfloat_with_epsilon (cost, 1.25, EPS);

  /* Reset one, then all */
  g_assert_true (byok_price_overrides_reset (store, reloaded, "a", "tiered", &error));
  g_assert_no_error (error);
  g_assert_true (byok_pricing_lookup (reloaded, "a", "tiered", &got, &is_override));
  g_assert_false (is_override);
  g_assert_cmpfloat (got.input, ==, 2);
  g_assert_true (byok_price_overrides_reset_all (store, reloaded, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
  g_assert_false (byok_pricing_lookup (reloaded, "a", "unpriced", &got, &is_override));
  {
    g_autoptr(GPtrArray) left = byok_usage_store_load_price_overrides (store, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (left->len, ==, 0);
  }

  g_clear_object (&store);
  g_clear_object (&database);
  byok_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/what-if/reprice", test_reprice);
  g_test_add_func ("/what-if/reprice-override", test_reprice_override);
  g_test_add_func ("/what-if/nothing-paid", test_nothing_paid);
  g_test_add_func ("/what-if/largest-prompt", test_largest_prompt);
  g_test_add_func ("/price-overrides/rate-parse", test_rate_parse);
  g_test_add_func ("/price-overrides/persist", test_overrides_persist);
  return g_test_run ();
}
