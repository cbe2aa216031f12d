/* byok-price.c — a price, and the cost of one usage at it */
#define G_LOG_DOMAIN "byok-pricing"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byok-error.h"
#include "byok-json.h"
#include "byok-price.h"

/* ByokPrice ---------------------------------------------------------------- */

G_DEFINE_BOXED_TYPE (ByokPrice, byok_price, byok_price_copy, byok_price_free)

/**
 * byok_price_new:
 * Returns: (transfer full): a price with every rate unknown and no tiers
 */
ByokPrice *
byok_price_new (void)
{
  ByokPrice *price = g_new0 (ByokPrice, 1);

  byok_price_init (price);
  return price;
}

ByokPrice *
byok_price_copy (const ByokPrice *price)
{
  g_return_val_if_fail (price != NULL, NULL);

  return g_memdup2 (price, sizeof *price);
}

void
byok_price_free (ByokPrice *price)
{
  g_free (price);
}

/**
 * byok_price_init:
 * Sets every rate of @price to unknown and removes its tiers.
 */
void
byok_price_init (ByokPrice *price)
{
  g_return_if_fail (price != NULL);

  memset (price, 0, sizeof *price);
  price->input = BYOK_PRICE_UNKNOWN;
  price->cached_input = BYOK_PRICE_UNKNOWN;
  price->cache_write = BYOK_PRICE_UNKNOWN;
  price->output = BYOK_PRICE_UNKNOWN;
}

/**
 * byok_price_init_flat:
 * Sets @price to the given rates (USD per million tokens, NAN for unknown)
 * with no tiers.
 */
void
byok_price_init_flat (ByokPrice *price,
                      double     input,
                      double     cached_input,
                      double     cache_write,
                      double     output)
{
  byok_price_init (price);
  price->input = input;
  price->cached_input = cached_input;
  price->cache_write = cache_write;
  price->output = output;
}

static gboolean
rate_is_valid (double rate)
{
  return isnan (rate) || (isfinite (rate) && rate >= 0.0);
}

static gboolean
rates_are_valid (double input,
                 double cached_input,
                 double cache_write,
                 double output)
{
  return rate_is_valid (input) && rate_is_valid (cached_input) &&
         rate_is_valid (cache_write) && rate_is_valid (output);
}

/**
 * byok_price_add_tier:
 * @above_input_tokens: the tier applies to calls whose input_tokens exceed
 *   this; it must be above the previous tier's threshold
 *
 * Adds a tier. The tier's input and output prices must be known; a missing
 * cached-input or cache-write price falls back to the tier's input price.
 *
 * Returns: FALSE with BYOK_ERROR_INVALID if the tier does not fit
 */
gboolean
byok_price_add_tier (ByokPrice  *price,
                     gint64      above_input_tokens,
                     double      input,
                     double      cached_input,
                     double      cache_write,
                     double      output,
                     GError    **error)
{
  ByokPriceTier *tier;

  g_return_val_if_fail (price != NULL, FALSE);

  if (price->n_tiers >= BYOK_PRICE_MAX_TIERS)
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("A price can have at most %d tiers."), BYOK_PRICE_MAX_TIERS);
      return FALSE;
    }
  if (above_input_tokens <= 0 ||
      (price->n_tiers > 0 &&
       above_input_tokens <= price->tiers[price->n_tiers - 1].above_input_tokens))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("Price tiers must start above 0 prompt tokens, in increasing order."));
      return FALSE;
    }
  if (!rates_are_valid (input, cached_input, cache_write, output))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("A price must be a number of dollars, 0 or more."));
      return FALSE;
    }
  if (isnan (input) || isnan (output))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("A price tier needs both an input and an output price."));
      return FALSE;
    }

  tier = &price->tiers[price->n_tiers++];
  tier->above_input_tokens = above_input_tokens;
  tier->input = input;
  tier->cached_input = cached_input;
  tier->cache_write = cache_write;
  tier->output = output;
  return TRUE;
}

/**
 * byok_price_is_known:
 * Returns: TRUE if the input and output prices are known, so that
 *   byok_price_cost() can give a cost
 */
gboolean
byok_price_is_known (const ByokPrice *price)
{
  g_return_val_if_fail (price != NULL, FALSE);

  return !isnan (price->input) && !isnan (price->output);
}

/**
 * byok_price_validate:
 * Checks that every rate is unknown or a finite number ≥ 0, that tiers are
 * in increasing order above 0 with known input and output prices, and that a
 * tiered price has known base input and output prices.
 *
 * Returns: FALSE with BYOK_ERROR_INVALID naming the problem
 */
gboolean
byok_price_validate (const ByokPrice  *price,
                     GError          **error)
{
  gint64 last = 0;

  g_return_val_if_fail (price != NULL, FALSE);

  if (!rates_are_valid (price->input, price->cached_input,
                        price->cache_write, price->output))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("A price must be a number of dollars, 0 or more."));
      return FALSE;
    }
  if (price->n_tiers > BYOK_PRICE_MAX_TIERS)
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("A price can have at most %d tiers."), BYOK_PRICE_MAX_TIERS);
      return FALSE;
    }
  if (price->n_tiers > 0 && !byok_price_is_known (price))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("A tiered price needs both an input and an output price below its first tier."));
      return FALSE;
    }

  for (guint i = 0; i < price->n_tiers; i++)
    {
      const ByokPriceTier *tier = &price->tiers[i];

      if (tier->above_input_tokens <= last)
        {
          g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                       _("Price tiers must start above 0 prompt tokens, in increasing order."));
          return FALSE;
        }
      if (!rates_are_valid (tier->input, tier->cached_input,
                            tier->cache_write, tier->output))
        {
          g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                       _("A price must be a number of dollars, 0 or more."));
          return FALSE;
        }
      if (isnan (tier->input) || isnan (tier->output))
        {
          g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                       _("A price tier needs both an input and an output price."));
          return FALSE;
        }
      last = tier->above_input_tokens;
    }

  return TRUE;
}

static gboolean
rate_equal (double a,
            double b)
{
  if (isnan (a) || isnan (b))
    return isnan (a) && isnan (b);
  return a == b;
}

gboolean
byok_price_equal (const ByokPrice *a,
                  const ByokPrice *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (!rate_equal (a->input, b->input) ||
      !rate_equal (a->cached_input, b->cached_input) ||
      !rate_equal (a->cache_write, b->cache_write) ||
      !rate_equal (a->output, b->output) ||
      a->n_tiers != b->n_tiers)
    return FALSE;

  for (guint i = 0; i < a->n_tiers && i < BYOK_PRICE_MAX_TIERS; i++)
    {
      const ByokPriceTier *x = &a->tiers[i];
      const ByokPriceTier *y = &b->tiers[i];

      if (x->above_input_tokens != y->above_input_tokens ||
          !rate_equal (x->input, y->input) ||
          !rate_equal (x->cached_input, y->cached_input) ||
          !rate_equal (x->cache_write, y->cache_write) ||
          !rate_equal (x->output, y->output))
        return FALSE;
    }

  return TRUE;
}

/**
 * byok_price_get_tier:
 * Returns: (nullable): the tier in force for a call with @input_tokens
 *   prompt tokens, or NULL when the base prices apply
 */
const ByokPriceTier *
byok_price_get_tier (const ByokPrice *price,
                     gint64           input_tokens)
{
  const ByokPriceTier *found = NULL;

  g_return_val_if_fail (price != NULL, NULL);

  for (guint i = 0; i < price->n_tiers && i < BYOK_PRICE_MAX_TIERS; i++)
    {
      if (input_tokens > price->tiers[i].above_input_tokens)
        found = &price->tiers[i];
    }

  return found;
}

/**
 * byok_price_cost:
 * @input_tokens: all prompt tokens, cached or not
 * @cached_tokens: cache reads among them
 * @cache_write_tokens: cache writes among them
 * @output_tokens: generated tokens, reasoning included
 * @cost: (out) (optional): the cost in USD; NAN when unknown
 *
 * The cost of one call, following PROVIDERS.md. The tier is chosen by
 * @input_tokens. A missing cached-input or cache-write price falls back to
 * the input price. Negative counts count as 0, and uncached input never goes
 * below 0 when a provider reports more cached tokens than prompt tokens.
 *
 * Returns: TRUE if the cost is known; FALSE if the input or output price is
 *   unknown (the cost is then unknown, never 0)
 */
gboolean
byok_price_cost (const ByokPrice *price,
                 gint64           input_tokens,
                 gint64           cached_tokens,
                 gint64           cache_write_tokens,
                 gint64           output_tokens,
                 double          *cost)
{
  const ByokPriceTier *tier;
  double in_price, cached_price, write_price, out_price;
  gint64 uncached;

  if (cost != NULL)
    *cost = NAN;

  g_return_val_if_fail (price != NULL, FALSE);

  tier = byok_price_get_tier (price, input_tokens);
  if (tier != NULL)
    {
      in_price = tier->input;
      cached_price = tier->cached_input;
      write_price = tier->cache_write;
      out_price = tier->output;
    }
  else
    {
      in_price = price->input;
      cached_price = price->cached_input;
      write_price = price->cache_write;
      out_price = price->output;
    }

  if (isnan (in_price) || isnan (out_price))
    return FALSE;
  if (isnan (cached_price))
    cached_price = in_price;
  if (isnan (write_price))
    write_price = in_price;

  input_tokens = MAX (input_tokens, 0);
  cached_tokens = MAX (cached_tokens, 0);
  cache_write_tokens = MAX (cache_write_tokens, 0);
  output_tokens = MAX (output_tokens, 0);
  uncached = MAX (input_tokens - cached_tokens - cache_write_tokens, 0);

  if (cost != NULL)
    *cost = ((double) uncached * in_price +
             (double) cached_tokens * cached_price +
             (double) cache_write_tokens * write_price +
             (double) output_tokens * out_price) / 1e6;

  return TRUE;
}

/* JSON --------------------------------------------------------------------- */

static const char * const rate_members[] = {
  "input", "cached_input", "cache_write", "output", NULL
};

static gboolean
read_rate (JsonObject  *object,
           const char  *member,
           const char  *where,
           double      *out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  GType type;
  double value;

  *out = BYOK_PRICE_UNKNOWN;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type == G_TYPE_DOUBLE)
    value = json_node_get_double (node);
  else if (type == G_TYPE_INT64)
    value = (double) json_node_get_int (node);
  else
    value = -1.0;

  if (!isfinite (value) || value < 0.0)
    {
      byok_json_set_malformed (error, where,
                               _("“%s” must be a number of US dollars per million tokens, 0 or more"),
                               member);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static gboolean
read_rates (JsonObject  *object,
            const char  *where,
            double       rates[4],
            GError     **error)
{
  for (guint i = 0; rate_members[i] != NULL; i++)
    {
      if (!read_rate (object, rate_members[i], where, &rates[i], error))
        return FALSE;
    }
  return TRUE;
}

/*
 * byok_price_read_json:
 * Reads {"input", "cached_input", "cache_write", "output", "tiers":
 * [{"above_input_tokens", "input", …}]}; an absent or null rate is unknown.
 */
gboolean
byok_price_read_json (JsonNode    *node,
                      const char  *where,
                      ByokPrice   *price,
                      GError     **error)
{
  static const char * const price_members[] = {
    "input", "cached_input", "cache_write", "output", "tiers", NULL
  };
  static const char * const tier_members[] = {
    "above_input_tokens", "input", "cached_input", "cache_write", "output", NULL
  };
  JsonObject *object;
  JsonArray *tiers;
  double rates[4];
  g_autoptr(GError) local_error = NULL;

  byok_price_init (price);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      byok_json_set_malformed (error, where, _("a price must be an object"));
      return FALSE;
    }
  object = json_node_get_object (node);

  if (!byok_json_expect_members (object, price_members, where, error) ||
      !read_rates (object, where, rates, error))
    return FALSE;
  byok_price_init_flat (price, rates[0], rates[1], rates[2], rates[3]);

  if (!byok_json_expect_array (object, "tiers", where, &tiers, error))
    return FALSE;

  for (guint i = 0; tiers != NULL && i < json_array_get_length (tiers); i++)
    {
      JsonNode *tier_node = json_array_get_element (tiers, i);
      g_autofree char *tier_where = g_strdup_printf ("%s, tier %u", where, i + 1);
      JsonObject *tier;
      gint64 above = 0;

      if (!JSON_NODE_HOLDS_OBJECT (tier_node))
        {
          byok_json_set_malformed (error, tier_where, _("a tier must be an object"));
          return FALSE;
        }
      tier = json_node_get_object (tier_node);
      if (!byok_json_expect_members (tier, tier_members, tier_where, error) ||
          !byok_json_expect_int (tier, "above_input_tokens", TRUE, 1, tier_where, &above, error) ||
          !read_rates (tier, tier_where, rates, error))
        return FALSE;

      if (!byok_price_add_tier (price, above, rates[0], rates[1], rates[2], rates[3],
                                &local_error))
        {
          byok_json_set_malformed (error, tier_where, "%s", local_error->message);
          return FALSE;
        }
    }

  if (!byok_price_validate (price, &local_error))
    {
      byok_json_set_malformed (error, where, "%s", local_error->message);
      return FALSE;
    }

  return TRUE;
}

/**
 * byok_price_from_json_node:
 * Reads a price written by byok_price_to_json_node().
 *
 * Returns: FALSE with BYOK_ERROR_MALFORMED if @node is not a valid price
 */
gboolean
byok_price_from_json_node (JsonNode   *node,
                           ByokPrice  *price,
                           GError    **error)
{
  g_return_val_if_fail (price != NULL, FALSE);

  return byok_price_read_json (node, "price", price, error);
}

static void
add_rate (JsonBuilder *builder,
          const char  *name,
          double       rate,
          gboolean     unknown_as_null)
{
  if (unknown_as_null)
    byok_json_builder_add_double_or_null (builder, name, rate);
  else if (byok_price_rate_is_known (rate))
    byok_json_builder_add_double (builder, name, rate);
}

/**
 * byok_price_add_json_members:
 * @unknown_as_null: an unknown rate is null and "tiers" is always there
 *   (byok-cli's `--json`); otherwise unknown rates are left out, and
 *   "tiers" when there are none (what Byok stores)
 *
 * Adds @price's rates ("input", "cached_input", "cache_write", "output")
 * and its "tiers" ([{"above_input_tokens", and the four rates}]) to the
 * object @builder is in.
 */
void
byok_price_add_json_members (JsonBuilder     *builder,
                             const ByokPrice *price,
                             gboolean         unknown_as_null)
{
  g_return_if_fail (price != NULL);

  add_rate (builder, "input", price->input, unknown_as_null);
  add_rate (builder, "cached_input", price->cached_input, unknown_as_null);
  add_rate (builder, "cache_write", price->cache_write, unknown_as_null);
  add_rate (builder, "output", price->output, unknown_as_null);
  if (price->n_tiers == 0 && !unknown_as_null)
    return;
  json_builder_set_member_name (builder, "tiers");
  json_builder_begin_array (builder);
  for (guint i = 0; i < price->n_tiers && i < BYOK_PRICE_MAX_TIERS; i++)
    {
      const ByokPriceTier *tier = &price->tiers[i];

      json_builder_begin_object (builder);
      byok_json_builder_add_int (builder, "above_input_tokens", tier->above_input_tokens);
      add_rate (builder, "input", tier->input, unknown_as_null);
      add_rate (builder, "cached_input", tier->cached_input, unknown_as_null);
      add_rate (builder, "cache_write", tier->cache_write, unknown_as_null);
      add_rate (builder, "output", tier->output, unknown_as_null);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/**
 * byok_price_to_json_node:
 * Returns: (transfer full): @price as a JSON object; unknown rates are left out
 */
JsonNode *
byok_price_to_json_node (const ByokPrice *price)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (price != NULL, NULL);

  json_builder_begin_object (builder);
  byok_price_add_json_members (builder, price, FALSE);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * byok_price_from_json_string:
 * Reads a price written by byok_price_to_json_string(), e.g. from a
 * database column.
 *
 * Returns: FALSE with BYOK_ERROR_MALFORMED if @json is not a valid price
 */
gboolean
byok_price_from_json_string (const char  *json,
                             ByokPrice   *price,
                             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (price != NULL, FALSE);

  byok_price_init (price);
  if (json == NULL || !byok_json_load (parser, json, -1, &local_error))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                   _("A stored price is not valid JSON (%s). Set the price again."),
                   local_error != NULL ? local_error->message : _("empty"));
      return FALSE;
    }

  return byok_price_read_json (json_parser_get_root (parser), "price", price, error);
}

/**
 * byok_price_to_json_string:
 * Returns: (transfer full): @price as compact JSON, for storage
 */
char *
byok_price_to_json_string (const ByokPrice *price)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (price != NULL, NULL);

  node = byok_price_to_json_node (price);
  return json_to_string (node, FALSE);
}

/**
 * byok_price_tiers_to_json:
 *
 * The tiers alone, for a store that keeps the four base rates in columns of
 * their own (ByokPriceOverride's tiers_json).
 *
 * Returns: (transfer full) (nullable): a JSON array of tiers, or NULL when
 *   @price has none
 */
char *
byok_price_tiers_to_json (const ByokPrice *price)
{
  g_autoptr(JsonNode) node = NULL;
  JsonNode *tiers;

  g_return_val_if_fail (price != NULL, NULL);

  if (price->n_tiers == 0)
    return NULL;
  node = byok_price_to_json_node (price);
  tiers = json_object_get_member (json_node_get_object (node), "tiers");
  return json_to_string (tiers, FALSE);
}

/**
 * byok_price_set_tiers_from_json:
 * @json: (nullable): what byok_price_tiers_to_json() wrote; NULL or "" for
 *   no tiers
 *
 * Replaces the tiers of @price, whose base rates are already set.
 *
 * Returns: FALSE with BYOK_ERROR_MALFORMED if @json is not a valid list of
 *   tiers for this price; @price is then left unchanged
 */
gboolean
byok_price_set_tiers_from_json (ByokPrice   *price,
                                const char  *json,
                                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) node = NULL;
  ByokPrice parsed;

  g_return_val_if_fail (price != NULL, FALSE);

  if (json == NULL || *json == '\0')
    {
      price->n_tiers = 0;
      return TRUE;
    }
  if (!byok_json_load (parser, json, -1, &local_error))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                   _("Stored price tiers are not valid JSON (%s). Set the price again."),
                   local_error->message);
      return FALSE;
    }

  /* Rebuild the whole price, so that the tiers are checked against it. */
  node = byok_price_to_json_node (price);
  json_object_set_member (json_node_get_object (node), "tiers",
                          json_node_copy (json_parser_get_root (parser)));
  if (!byok_price_read_json (node, "price", &parsed, error))
    return FALSE;
  *price = parsed;
  return TRUE;
}

/* ByokPriceRow ------------------------------------------------------------- */

G_DEFINE_BOXED_TYPE (ByokPriceRow, byok_price_row, byok_price_row_copy, byok_price_row_free)

/**
 * byok_price_row_new:
 * @price: (nullable): the price; NULL for unknown
 */
ByokPriceRow *
byok_price_row_new (const char      *provider_id,
                    const char      *model_id,
                    const ByokPrice *price,
                    gboolean         is_override)
{
  ByokPriceRow *row = g_new0 (ByokPriceRow, 1);

  row->provider_id = g_strdup (provider_id);
  row->model_id = g_strdup (model_id);
  if (price != NULL)
    row->price = *price;
  else
    byok_price_init (&row->price);
  row->is_override = is_override;
  return row;
}

ByokPriceRow *
byok_price_row_copy (const ByokPriceRow *row)
{
  g_return_val_if_fail (row != NULL, NULL);

  return byok_price_row_new (row->provider_id, row->model_id, &row->price,
                             row->is_override);
}

void
byok_price_row_free (ByokPriceRow *row)
{
  if (row == NULL)
    return;
  g_free (row->provider_id);
  g_free (row->model_id);
  g_free (row);
}


/**
 * byok_price_cost_differs:
 * @priced_usd: what Byok's price gives for a call
 * @reported_usd: what the provider said it billed (OpenRouter's
 *   `usage.cost`)
 *
 * Whether the two differ enough that the price is probably wrong and the
 * person should be told: by more than a cent, or by more than 1 % of the
 * larger. A difference under a millionth of a dollar (the provider
 * rounding its figure) never counts.
 *
 * Returns: %TRUE when they differ so; %FALSE when either is not a number
 */
gboolean
byok_price_cost_differs (double priced_usd,
                         double reported_usd)
{
  double difference;

  if (!isfinite (priced_usd) || !isfinite (reported_usd))
    return FALSE;
  difference = fabs (priced_usd - reported_usd);
  if (difference < 1e-6)
    return FALSE;
  return difference > 0.01 || difference > 0.01 * MAX (fabs (priced_usd), fabs (reported_usd));
}
