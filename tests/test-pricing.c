/* test-pricing.c — cost arithmetic, tiers, unknown prices, overrides, and the
 * catalog's prices against the shared pricing reference */
#include "config.h"

#include "byok-catalog.h"
#include "byok-error.h"
#include "byok-pricing.h"

#define EPS 1e-12

static ByokCatalog *
shipped (void)
{
  return byok_catalog_new_default ();
}

static double
cost_of (ByokCatalog *catalog,
         const char  *provider_id,
         const char  *model_id,
         gint64       input,
         gint64       cached,
         gint64       cache_write,
         gint64       output)
{
  ByokModel *model = byok_catalog_lookup_model (catalog, provider_id, model_id);
  double cost = -1;

  g_assert_nonnull (model);
  g_assert_true (byok_price_cost (byok_model_get_price (model), input, cached,
                                  cache_write, output, &cost));
  return cost;
}

static void
test_cost_shapes (void)
{
  g_autoptr(ByokCatalog) catalog = shipped ();

  /* plain: gpt-4o 2.50 / 10.00 */
  g_assert_cmpfloat_with_epsilon (cost_of (catalog, "openai", "gpt-4o", 1000, 0, 0, 500),
                                  (1000 * 2.5 + 500 * 10.0) / 1e6, EPS);
  /* nothing used costs exactly 0 */
  g_assert_cmpfloat (cost_of (catalog, "openai", "gpt-4o", 0, 0, 0, 0), ==, 0.0);

  /* cached: 8000 of 10000 prompt tokens at 1.25 */
  g_assert_cmpfloat_with_epsilon (cost_of (catalog, "openai", "gpt-4o", 10000, 8000, 0, 100),
                                  (2000 * 2.5 + 8000 * 1.25 + 100 * 10.0) / 1e6, EPS);

  /* cache write: Claude Sonnet 4.5, 3 / 0.30 read / 3.75 write / 15 */
  g_assert_cmpfloat_with_epsilon (cost_of (catalog, "anthropic", "claude-sonnet-4-5-20250929",
                                           10000, 2000, 5000, 1000),
                                  (3000 * 3.0 + 2000 * 0.3 + 5000 * 3.75 + 1000 * 15.0) / 1e6, EPS);

  /* reasoning is inside output: o3 with 5000 output tokens, 4000 of them
   * reasoning, costs 5000 output tokens */
  g_assert_cmpfloat_with_epsilon (cost_of (catalog, "openai", "o3", 1000, 0, 0, 5000),
                                  (1000 * 2.0 + 5000 * 8.0) / 1e6, EPS);

  /* DeepSeek: cache hit 0.028, miss 0.28 */
  g_assert_cmpfloat_with_epsilon (cost_of (catalog, "deepseek", "deepseek-chat", 100000, 90000, 0, 1000),
                                  (10000 * 0.28 + 90000 * 0.028 + 1000 * 0.42) / 1e6, EPS);

  /* more cached than prompt tokens (a confused provider): uncached is 0 */
  g_assert_cmpfloat_with_epsilon (cost_of (catalog, "openai", "gpt-4o", 100, 200, 0, 0),
                                  200 * 1.25 / 1e6, EPS);
  /* negative counts count as 0 */
  g_assert_cmpfloat_with_epsilon (cost_of (catalog, "openai", "gpt-4o", -5, -1, -1, 10),
                                  10 * 10.0 / 1e6, EPS);
}

static void
test_cost_kimi_k2 (void)
{
  g_autoptr(ByokCatalog) catalog = shipped ();
  const char *ids[] = { "kimi-k2-0905-preview", "kimi-k2-0711-preview", "kimi-k2-thinking" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      const ByokPrice *price = byok_model_get_price (byok_catalog_lookup_model (catalog, "moonshot", ids[i]));

      /* uncached input is 0.60; 0.15 is the cache-hit price */
      g_assert_cmpfloat (price->input, ==, 0.60);
      g_assert_cmpfloat (price->cached_input, ==, 0.15);
      g_assert_cmpfloat (price->output, ==, 2.50);
      g_assert_true (isnan (price->cache_write));
    }

  g_assert_cmpfloat_with_epsilon (cost_of (catalog, "moonshot", "kimi-k2-0905-preview", 10000, 4000, 0, 1000),
                                  (6000 * 0.60 + 4000 * 0.15 + 1000 * 2.50) / 1e6, EPS);
  g_assert_cmpfloat_with_epsilon (cost_of (catalog, "moonshot", "kimi-k2-0905-preview", 1000000, 0, 0, 0),
                                  0.60, EPS);
}

static void
test_cost_tiers (void)
{
  g_autoptr(ByokCatalog) catalog = shipped ();
  const ByokPrice *price;

  /* Gemini 2.5 Pro: 1.25 / 0.125 / 10 up to 200k prompt tokens;
   * 2.50 / 0.25 / 15 above */
  price = byok_model_get_price (byok_catalog_lookup_model (catalog, "gemini", "gemini-2.5-pro"));
  g_assert_cmpuint (price->n_tiers, ==, 1);
  g_assert_null (byok_price_get_tier (price, 200000));
  g_assert_nonnull (byok_price_get_tier (price, 200001));
  g_assert_cmpfloat_with_epsilon (cost_of (catalog, "gemini", "gemini-2.5-pro", 200000, 0, 0, 1000),
                                  (200000 * 1.25 + 1000 * 10.0) / 1e6, EPS);
  g_assert_cmpfloat_with_epsilon (cost_of (catalog, "gemini", "gemini-2.5-pro", 200001, 0, 0, 1000),
                                  (200001 * 2.5 + 1000 * 15.0) / 1e6, EPS);
  /* the tier is chosen by all prompt tokens, cached ones included */
  g_assert_cmpfloat_with_epsilon (cost_of (catalog, "gemini", "gemini-2.5-pro", 300000, 100000, 0, 0),
                                  (200000 * 2.5 + 100000 * 0.25) / 1e6, EPS);
  g_assert_cmpfloat_with_epsilon (cost_of (catalog, "gemini", "gemini-2.5-pro", 150000, 100000, 0, 0),
                                  (50000 * 1.25 + 100000 * 0.125) / 1e6, EPS);

  /* Claude Sonnet 4: 3 / 0.30 / 3.75 / 15; above 200k 6 / 0.60 / 7.50 / 22.50 */
  g_assert_cmpfloat_with_epsilon (cost_of (catalog, "anthropic", "claude-sonnet-4-20250514",
                                           250000, 50000, 20000, 2000),
                                  (180000 * 6.0 + 50000 * 0.6 + 20000 * 7.5 + 2000 * 22.5) / 1e6, EPS);
  g_assert_cmpfloat_with_epsilon (cost_of (catalog, "anthropic", "claude-sonnet-4-20250514",
                                           190000, 50000, 20000, 2000),
                                  (120000 * 3.0 + 50000 * 0.3 + 20000 * 3.75 + 2000 * 15.0) / 1e6, EPS);
  /* the alias prices the same */
  g_assert_cmpfloat_with_epsilon (cost_of (catalog, "anthropic", "claude-sonnet-4-0", 250000, 0, 0, 0),
                                  250000 * 6.0 / 1e6, EPS);
  g_assert_cmpuint (byok_model_get_price (byok_catalog_lookup_model (catalog, "anthropic",
                                                                     "claude-sonnet-4-5-20250929"))->n_tiers, ==, 1);
}

static void
test_cost_unknown (void)
{
  g_autoptr(ByokCatalog) catalog = shipped ();
  g_autoptr(ByokPricing) pricing = byok_pricing_new (catalog);
  ByokPrice price;
  double cost = 0;
  gboolean is_override = TRUE;

  /* glm-4 has no USD price: unknown, never 0 */
  g_assert_false (byok_price_cost (byok_model_get_price (byok_catalog_lookup_model (catalog, "zhipu", "glm-4")),
                                   1000, 0, 0, 1000, &cost));
  g_assert_true (isnan (cost));
  g_assert_false (byok_pricing_lookup (pricing, "zhipu", "glm-4-air", &price, &is_override));
  g_assert_false (is_override);
  g_assert_true (isnan (price.input));
  cost = 0;
  g_assert_false (byok_pricing_cost (pricing, "zhipu", "glm-4", 10, 0, 0, 10, &cost));
  g_assert_true (isnan (cost));

  /* a model nobody knows */
  cost = 0;
  g_assert_false (byok_pricing_cost (pricing, "openai", "gpt-99", 10, 0, 0, 10, &cost));
  g_assert_true (isnan (cost));

  /* input known, output unknown: unknown */
  byok_price_init_flat (&price, 1.0, BYOK_PRICE_UNKNOWN, BYOK_PRICE_UNKNOWN, BYOK_PRICE_UNKNOWN);
  g_assert_false (byok_price_is_known (&price));
  g_assert_false (byok_price_cost (&price, 10, 0, 0, 0, &cost));
  /* output known, input unknown: unknown, even with no input */
  byok_price_init_flat (&price, BYOK_PRICE_UNKNOWN, 0.1, BYOK_PRICE_UNKNOWN, 2.0);
  g_assert_false (byok_price_cost (&price, 0, 0, 0, 10, &cost));
  g_assert_true (isnan (cost));
  /* an unknown price with NULL cost pointer does not crash */
  g_assert_false (byok_price_cost (&price, 0, 0, 0, 10, NULL));
}

static void
test_cost_fallbacks (void)
{
  g_autoptr(ByokCatalog) catalog = shipped ();
  ByokPrice price;
  double cost;

  /* no cached price (moonshot-v1-8k): cache hits are charged as input */
  g_assert_cmpfloat_with_epsilon (cost_of (catalog, "moonshot", "moonshot-v1-8k", 1000, 600, 0, 0),
                                  1000 * 0.2 / 1e6, EPS);
  /* no cache-write price (gpt-4o): writes are charged as input */
  g_assert_cmpfloat_with_epsilon (cost_of (catalog, "openai", "gpt-4o", 1000, 0, 400, 0),
                                  1000 * 2.5 / 1e6, EPS);

  byok_price_init_flat (&price, 4.0, BYOK_PRICE_UNKNOWN, BYOK_PRICE_UNKNOWN, 8.0);
  g_assert_true (byok_price_cost (&price, 1000, 300, 200, 100, &cost));
  g_assert_cmpfloat_with_epsilon (cost, (1000 * 4.0 + 100 * 8.0) / 1e6, EPS);

  /* inside a tier the fallback is the tier's input price */
  g_assert_true (byok_price_add_tier (&price, 1000, 6.0, BYOK_PRICE_UNKNOWN, BYOK_PRICE_UNKNOWN, 9.0, NULL));
  g_assert_true (byok_price_cost (&price, 2000, 1000, 500, 100, &cost));
  g_assert_cmpfloat_with_epsilon (cost, (2000 * 6.0 + 100 * 9.0) / 1e6, EPS);
}

static void
test_price_struct (void)
{
  ByokPrice price;
  g_autoptr(ByokPrice) copy = NULL;
  g_autoptr(ByokPrice) fresh = byok_price_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *tiers = NULL;
  ByokPrice parsed;
  ByokPrice rebuilt;

  g_assert_false (byok_price_is_known (fresh));
  g_assert_true (byok_price_validate (fresh, NULL));

  byok_price_init_flat (&price, 3.0, 0.3, 3.75, 15.0);
  g_assert_true (byok_price_add_tier (&price, 200000, 6.0, 0.6, 7.5, 22.5, &error));
  g_assert_no_error (error);
  g_assert_true (byok_price_validate (&price, &error));

  /* tiers must go up, have input and output, and be at most 4 */
  g_assert_false (byok_price_add_tier (&price, 100000, 1, 1, 1, 1, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (byok_price_add_tier (&price, 300000, 1, 1, 1, BYOK_PRICE_UNKNOWN, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (byok_price_add_tier (&price, 300000, -1, 1, 1, 1, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  {
    ByokPrice many;

    byok_price_init_flat (&many, 1, 1, 1, 1);
    for (guint i = 0; i < BYOK_PRICE_MAX_TIERS; i++)
      g_assert_true (byok_price_add_tier (&many, 1000 * (i + 1), 1, 1, 1, 1, NULL));
    g_assert_false (byok_price_add_tier (&many, 1000000, 1, 1, 1, 1, &error));
    g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
    g_clear_error (&error);
  }

  copy = byok_price_copy (&price);
  g_assert_true (byok_price_equal (copy, &price));
  copy->tiers[0].output = 23;
  g_assert_false (byok_price_equal (copy, &price));

  /* JSON round trips, unknown rates included */
  json = byok_price_to_json_string (&price);
  g_assert_true (byok_price_from_json_string (json, &parsed, &error));
  g_assert_no_error (error);
  g_assert_true (byok_price_equal (&parsed, &price));

  byok_price_init_flat (&rebuilt, 0.6, BYOK_PRICE_UNKNOWN, BYOK_PRICE_UNKNOWN, 2.2);
  g_clear_pointer (&json, g_free);
  json = byok_price_to_json_string (&rebuilt);
  g_assert_null (strstr (json, "cached_input"));
  g_assert_true (byok_price_from_json_string (json, &parsed, NULL));
  g_assert_true (byok_price_equal (&parsed, &rebuilt));

  /* tiers alone, for a store with the base rates in columns */
  g_assert_null (byok_price_tiers_to_json (&rebuilt));
  tiers = byok_price_tiers_to_json (&price);
  g_assert_nonnull (tiers);
  byok_price_init_flat (&rebuilt, 3.0, 0.3, 3.75, 15.0);
  g_assert_true (byok_price_set_tiers_from_json (&rebuilt, tiers, &error));
  g_assert_no_error (error);
  g_assert_true (byok_price_equal (&rebuilt, &price));
  g_assert_true (byok_price_set_tiers_from_json (&rebuilt, NULL, NULL));
  g_assert_cmpuint (rebuilt.n_tiers, ==, 0);
  g_assert_false (byok_price_set_tiers_from_json (&rebuilt, "[{\"above_input_tokens\": 0}]", &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_false (byok_price_set_tiers_from_json (&rebuilt, "[", &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_clear_error (&error);

  /* broken stored prices */
  g_assert_false (byok_price_from_json_string ("{\"input\": \"cheap\"}", &parsed, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_false (byok_price_from_json_string ("{\"input\": 1, \"outptu\": 2}", &parsed, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "outptu"));
  g_clear_error (&error);
  g_assert_false (byok_price_from_json_string ("nope", &parsed, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_clear_error (&error);
}

typedef struct {
  guint  count;
  char  *provider_id;
  char  *model_id;
} Changed;

static void
on_changed (ByokPricing *pricing,
            const char  *provider_id,
            const char  *model_id,
            Changed     *changed)
{
  changed->count++;
  g_free (changed->provider_id);
  g_free (changed->model_id);
  changed->provider_id = g_strdup (provider_id);
  changed->model_id = g_strdup (model_id);
}

static const ByokPriceRow *
find_row (GPtrArray  *rows,
          const char *provider_id,
          const char *model_id)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const ByokPriceRow *row = g_ptr_array_index (rows, i);

      if (g_str_equal (row->provider_id, provider_id) && g_str_equal (row->model_id, model_id))
        return row;
    }
  return NULL;
}

static void
test_overrides (void)
{
  g_autoptr(ByokCatalog) catalog = shipped ();
  g_autoptr(ByokPricing) pricing = byok_pricing_new (catalog);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) table = NULL;
  Changed changed = { 0 };
  ByokPrice price;
  ByokPrice mine;
  gboolean is_override = TRUE;
  double cost;

  g_assert_true (byok_pricing_get_catalog (pricing) == catalog);
  g_signal_connect (pricing, "changed", G_CALLBACK (on_changed), &changed);

  /* the catalog's price */
  g_assert_true (byok_pricing_lookup (pricing, "openai", "gpt-4o", &price, &is_override));
  g_assert_false (is_override);
  g_assert_cmpfloat (price.input, ==, 2.5);

  /* an override replaces it */
  byok_price_init_flat (&mine, 1.0, 0.5, BYOK_PRICE_UNKNOWN, 4.0);
  g_assert_true (byok_pricing_set_override (pricing, "openai", "gpt-4o", &mine, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed.count, ==, 1);
  g_assert_cmpstr (changed.provider_id, ==, "openai");
  g_assert_cmpstr (changed.model_id, ==, "gpt-4o");
  g_assert_true (byok_pricing_lookup (pricing, "openai", "gpt-4o", &price, &is_override));
  g_assert_true (is_override);
  g_assert_true (byok_price_equal (&price, &mine));
  g_assert_true (byok_pricing_has_override (pricing, "openai", "gpt-4o"));
  g_assert_true (byok_pricing_cost (pricing, "openai", "gpt-4o", 1000, 0, 0, 1000, &cost));
  g_assert_cmpfloat_with_epsilon (cost, (1000 * 1.0 + 1000 * 4.0) / 1e6, EPS);
  /* the catalog itself is untouched */
  g_assert_cmpfloat (byok_model_get_price (byok_catalog_lookup_model (catalog, "openai", "gpt-4o"))->input,
                     ==, 2.5);

  /* an unknown catalog price becomes known */
  byok_price_init_flat (&mine, 0.7, BYOK_PRICE_UNKNOWN, BYOK_PRICE_UNKNOWN, 0.7);
  g_assert_true (byok_pricing_set_override (pricing, "zhipu", "glm-4", &mine, NULL));
  g_assert_true (byok_pricing_cost (pricing, "zhipu", "glm-4", 1000000, 0, 0, 0, &cost));
  g_assert_cmpfloat_with_epsilon (cost, 0.7, EPS);

  /* a model the catalog does not know (an Azure deployment) */
  byok_price_init_flat (&mine, 2.5, 1.25, BYOK_PRICE_UNKNOWN, 10.0);
  g_assert_true (byok_pricing_set_override (pricing, "azure", "my-gpt4o", &mine, NULL));
  g_assert_true (byok_pricing_lookup (pricing, "azure", "my-gpt4o", &price, &is_override));
  g_assert_true (is_override);

  /* an alias is stored under the catalog id */
  byok_price_init_flat (&mine, 2.0, 0.2, 2.5, 10.0);
  g_assert_true (byok_pricing_set_override (pricing, "anthropic", "claude-sonnet-4-5", &mine, NULL));
  g_assert_cmpstr (changed.model_id, ==, "claude-sonnet-4-5-20250929");
  g_assert_true (byok_pricing_lookup (pricing, "anthropic", "claude-sonnet-4-5-20250929", &price, &is_override));
  g_assert_true (is_override);
  g_assert_cmpfloat (price.input, ==, 2.0);

  /* refused overrides leave things as they were */
  changed.count = 0;
  byok_price_init_flat (&mine, -1.0, BYOK_PRICE_UNKNOWN, BYOK_PRICE_UNKNOWN, 1.0);
  g_assert_false (byok_pricing_set_override (pricing, "openai", "gpt-4o", &mine, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  byok_price_init_flat (&mine, 1.0, BYOK_PRICE_UNKNOWN, BYOK_PRICE_UNKNOWN, BYOK_PRICE_UNKNOWN);
  g_assert_false (byok_pricing_set_override (pricing, "openai", "gpt-4o", &mine, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  byok_price_init_flat (&mine, INFINITY, BYOK_PRICE_UNKNOWN, BYOK_PRICE_UNKNOWN, 1.0);
  g_assert_false (byok_pricing_set_override (pricing, "openai", "gpt-4o", &mine, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (byok_pricing_set_override (pricing, "", "gpt-4o", &price, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (changed.count, ==, 0);
  g_assert_true (byok_pricing_lookup (pricing, "openai", "gpt-4o", &price, NULL));
  g_assert_cmpfloat (price.input, ==, 1.0);

  /* lists */
  rows = byok_pricing_list_overrides (pricing);
  g_assert_cmpuint (rows->len, ==, 4);
  g_assert_cmpstr (((ByokPriceRow *) g_ptr_array_index (rows, 0))->provider_id, ==, "anthropic");
  g_assert_cmpstr (((ByokPriceRow *) g_ptr_array_index (rows, 1))->provider_id, ==, "azure");
  g_assert_true (((ByokPriceRow *) g_ptr_array_index (rows, 0))->is_override);

  table = byok_pricing_list (pricing);
  g_assert_true (find_row (table, "openai", "gpt-4o")->is_override);
  g_assert_cmpfloat (find_row (table, "openai", "gpt-4o")->price.input, ==, 1.0);
  g_assert_false (find_row (table, "openai", "gpt-4.1")->is_override);
  g_assert_cmpfloat (find_row (table, "openai", "gpt-4.1")->price.input, ==, 2.0);
  g_assert_true (find_row (table, "azure", "my-gpt4o")->is_override);
  g_assert_false (byok_price_is_known (&find_row (table, "zhipu", "glm-4-air")->price));
  g_assert_true (find_row (table, "zhipu", "glm-4")->is_override);

  /* clearing goes back to the catalog */
  g_assert_true (byok_pricing_clear_override (pricing, "openai", "gpt-4o"));
  g_assert_cmpuint (changed.count, ==, 1);
  g_assert_false (byok_pricing_clear_override (pricing, "openai", "gpt-4o"));
  g_assert_cmpuint (changed.count, ==, 1);
  g_assert_true (byok_pricing_lookup (pricing, "openai", "gpt-4o", &price, &is_override));
  g_assert_false (is_override);
  g_assert_cmpfloat (price.input, ==, 2.5);
  g_assert_true (byok_pricing_clear_override (pricing, "anthropic", "claude-sonnet-4-5"));
  g_assert_false (byok_pricing_has_override (pricing, "anthropic", "claude-sonnet-4-5-20250929"));
  g_assert_true (byok_pricing_clear_override (pricing, "zhipu", "glm-4"));
  g_assert_false (byok_pricing_cost (pricing, "zhipu", "glm-4", 10, 0, 0, 10, &cost));

  /* load what a store saved: replaces everything, one signal */
  {
    g_autoptr(ByokPricing) other = byok_pricing_new (catalog);
    g_autoptr(GPtrArray) saved = byok_pricing_list_overrides (pricing);
    g_autoptr(GPtrArray) bad = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_price_row_free);
    g_autoptr(GPtrArray) loaded = NULL;
    Changed other_changed = { 0 };
    ByokPrice unknown;

    g_signal_connect (other, "changed", G_CALLBACK (on_changed), &other_changed);
    byok_price_init_flat (&mine, 9.0, BYOK_PRICE_UNKNOWN, BYOK_PRICE_UNKNOWN, 9.0);
    g_assert_true (byok_pricing_set_override (other, "openai", "o3", &mine, NULL));
    other_changed.count = 0;

    g_assert_true (byok_pricing_load_overrides (other, saved, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (other_changed.count, ==, 1);
    g_assert_null (other_changed.provider_id);
    g_assert_false (byok_pricing_has_override (other, "openai", "o3"));
    loaded = byok_pricing_list_overrides (other);
    g_assert_cmpuint (loaded->len, ==, saved->len);
    for (guint i = 0; i < loaded->len; i++)
      {
        ByokPriceRow *a = g_ptr_array_index (loaded, i);
        ByokPriceRow *b = g_ptr_array_index (saved, i);

        g_assert_cmpstr (a->provider_id, ==, b->provider_id);
        g_assert_cmpstr (a->model_id, ==, b->model_id);
        g_assert_true (byok_price_equal (&a->price, &b->price));
      }

    /* one bad row and nothing changes */
    byok_price_init (&unknown);
    g_ptr_array_add (bad, byok_price_row_new ("openai", "o3", &mine, TRUE));
    g_ptr_array_add (bad, byok_price_row_new ("openai", "gpt-4o", &unknown, TRUE));
    g_assert_false (byok_pricing_load_overrides (other, bad, &error));
    g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_cmpuint (other_changed.count, ==, 1);
    g_assert_false (byok_pricing_has_override (other, "openai", "o3"));
    g_assert_true (byok_pricing_has_override (other, "azure", "my-gpt4o"));

    /* an empty list clears */
    g_assert_true (byok_pricing_load_overrides (other, NULL, NULL));
    g_clear_pointer (&loaded, g_ptr_array_unref);
    loaded = byok_pricing_list_overrides (other);
    g_assert_cmpuint (loaded->len, ==, 0);
    g_free (other_changed.provider_id);
    g_free (other_changed.model_id);
  }

  /* without a catalog, overrides only */
  {
    g_autoptr(ByokPricing) bare = byok_pricing_new (NULL);
    g_autoptr(GPtrArray) list = NULL;

    g_assert_false (byok_pricing_lookup (bare, "openai", "gpt-4o", &price, NULL));
    byok_price_init_flat (&mine, 1.0, BYOK_PRICE_UNKNOWN, BYOK_PRICE_UNKNOWN, 2.0);
    g_assert_true (byok_pricing_set_override (bare, "openai", "gpt-4o", &mine, NULL));
    g_assert_true (byok_pricing_lookup (bare, "openai", "gpt-4o", &price, NULL));
    list = byok_pricing_list (bare);
    g_assert_cmpuint (list->len, ==, 1);
  }

  g_free (changed.provider_id);
  g_free (changed.model_id);
}

/* The reference table: provider, model, input, cached input, cache write,
 * output, context, source, notes. */

static void
assert_rate (double      actual,
             const char *expected,
             const char *what)
{
  g_test_message ("  %s: %s", what, expected);
  if (*expected == '\0')
    g_assert_true (isnan (actual));
  else
    g_assert_cmpfloat_with_epsilon (actual, g_ascii_strtod (expected, NULL), 1e-9);
}

/* "above 200k input tokens: input 6, output 22.5, cache read 0.6, cache write 7.5" */
static void
assert_tier_from_notes (const ByokPrice *price,
                        const char      *notes)
{
  g_autoptr(GRegex) tier_regex = g_regex_new ("above (\\d+)k input tokens: ([^;]*)", 0, 0, NULL);
  g_autoptr(GMatchInfo) info = NULL;
  g_autofree char *threshold = NULL;
  g_autofree char *fields = NULL;
  g_auto(GStrv) parts = NULL;
  const ByokPriceTier *tier;

  if (!g_regex_match (tier_regex, notes, 0, &info))
    {
      g_assert_cmpuint (price->n_tiers, ==, 0);
      return;
    }

  threshold = g_match_info_fetch (info, 1);
  fields = g_match_info_fetch (info, 2);
  g_assert_cmpuint (price->n_tiers, ==, 1);
  tier = &price->tiers[0];
  g_assert_cmpint (tier->above_input_tokens, ==, g_ascii_strtoll (threshold, NULL, 10) * 1000);

  parts = g_strsplit (fields, ", ", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *space = strrchr (parts[i], ' ');
      g_autofree char *name = g_strndup (parts[i], space - parts[i]);
      double value = g_ascii_strtod (space + 1, NULL);

      if (g_str_equal (name, "input"))
        g_assert_cmpfloat_with_epsilon (tier->input, value, 1e-9);
      else if (g_str_equal (name, "output"))
        g_assert_cmpfloat_with_epsilon (tier->output, value, 1e-9);
      else if (g_str_equal (name, "cache read"))
        g_assert_cmpfloat_with_epsilon (tier->cached_input, value, 1e-9);
      else if (g_str_equal (name, "cache write"))
        g_assert_cmpfloat_with_epsilon (tier->cache_write, value, 1e-9);
      else
        g_assert_not_reached ();
    }
}

static void
test_reference_table (void)
{
  const char *source_dir = g_getenv ("BYOK_SOURCE_DIR");
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(ByokCatalog) catalog = shipped ();
  g_autoptr(GRegex) date_regex = g_regex_new ("last_updated (\\d{4}-\\d{2}-\\d{2})", 0, 0, NULL);
  guint checked = 0;

  if (source_dir == NULL)
    {
      g_test_skip ("BYOK_SOURCE_DIR is not set");
      return;
    }
  path = g_build_filename (source_dir, "..", "shared", "pricing-reference.tsv", NULL);
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    {
      g_test_skip ("the shared pricing reference is not here");
      return;
    }

  lines = g_strsplit (contents, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "provider\tmodel\tinput_per_mtok"));
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = NULL;
      g_autoptr(GMatchInfo) info = NULL;
      ByokModel *model;
      const ByokPrice *price;

      if (*lines[i] == '\0')
        continue;
      f = g_strsplit (lines[i], "\t", -1);
      g_assert_cmpuint (g_strv_length (f), ==, 9);

      g_test_message ("%s/%s", f[0], f[1]);
      model = byok_catalog_lookup_model (catalog, f[0], f[1]);
      g_assert_nonnull (model);
      g_assert_cmpstr (byok_model_get_id (model), ==, f[1]);
      price = byok_model_get_price (model);

      assert_rate (price->input, f[2], "input");
      assert_rate (price->cached_input, f[3], "cached input");
      assert_rate (price->cache_write, f[4], "cache write");
      assert_rate (price->output, f[5], "output");
      assert_tier_from_notes (price, f[8]);

      /* the context window; Sonnet 4's 1M needs a beta header, 200k otherwise */
      if (*f[6] != '\0')
        {
          gint64 expected = g_ascii_strtoll (f[6], NULL, 10);

          if (g_str_equal (f[1], "claude-sonnet-4-20250514"))
            expected = 200000;
          g_assert_cmpint (byok_model_get_context_window (model), ==, expected);
        }

      if (*f[2] != '\0')
        {
          g_assert_cmpstr (byok_model_get_price_source (model), ==, f[7]);
          if (g_regex_match (date_regex, f[7], 0, &info))
            {
              g_autofree char *date = g_match_info_fetch (info, 1);

              g_assert_cmpstr (byok_model_get_price_date (model), ==, date);
            }
        }
      else
        {
          /* no price: unknown, and the source says why */
          g_assert_false (byok_price_is_known (price));
          g_assert_nonnull (byok_model_get_price_source (model));
        }
      checked++;
    }

  g_assert_cmpuint (checked, >=, 30);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pricing/cost/shapes", test_cost_shapes);
  g_test_add_func ("/pricing/cost/kimi-k2", test_cost_kimi_k2);
  g_test_add_func ("/pricing/cost/tiers", test_cost_tiers);
  g_test_add_func ("/pricing/cost/unknown", test_cost_unknown);
  g_test_add_func ("/pricing/cost/fallbacks", test_cost_fallbacks);
  g_test_add_func ("/pricing/price", test_price_struct);
  g_test_add_func ("/pricing/overrides", test_overrides);
  g_test_add_func ("/pricing/reference-table", test_reference_table);
  return g_test_run ();
}
