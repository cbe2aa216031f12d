/* byok-price.h — a price, and the cost of one usage at it
 *
 * A ByokPrice holds USD per million tokens for uncached input, cached input
 * (cache reads), cache writes and output (reasoning included), each of which
 * may be unknown (NAN). Some providers charge more once a prompt is long:
 * up to BYOK_PRICE_MAX_TIERS tiers, each applying when the call's
 * input_tokens (all prompt tokens, cached or not) exceed its threshold.
 *
 * Cost (PROVIDERS.md), prices per million tokens, tier chosen by input_tokens:
 *
 *   (input − cached − cache_write) × input price
 *   + cached × cached-input price
 *   + cache_write × cache-write price
 *   + output × output price
 *
 * Fallbacks: a missing cached-input price is charged at the input price, and
 * so is a missing cache-write price: a provider that lists neither does not
 * discount cache hits, and charging a write like ordinary input never
 * under-reports. An unknown input or output price makes the cost unknown —
 * never $0.
 *
 * ByokPriceRow is one price of the table: a provider's model and its price.
 */
#pragma once

#include <math.h>

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define BYOK_PRICE_UNKNOWN   NAN
#define BYOK_PRICE_MAX_TIERS 4

#define byok_price_rate_is_known(rate) (!isnan (rate))

typedef struct {
  gint64 above_input_tokens;  /* applies when input_tokens > this */
  double input;               /* USD per million tokens; NAN = unknown */
  double cached_input;
  double cache_write;
  double output;
} ByokPriceTier;

typedef struct {
  double        input;        /* uncached prompt tokens */
  double        cached_input; /* cache reads */
  double        cache_write;  /* cache writes (Anthropic, OpenRouter) */
  double        output;       /* generated tokens, reasoning included */
  guint         n_tiers;
  ByokPriceTier tiers[BYOK_PRICE_MAX_TIERS];  /* ascending thresholds */
} ByokPrice;

#define BYOK_TYPE_PRICE (byok_price_get_type ())

GType                byok_price_get_type         (void) G_GNUC_CONST;
ByokPrice           *byok_price_new              (void);
ByokPrice           *byok_price_copy             (const ByokPrice  *price);
void                 byok_price_free             (ByokPrice        *price);

void                 byok_price_init             (ByokPrice        *price);
void                 byok_price_init_flat        (ByokPrice        *price,
                                                  double            input,
                                                  double            cached_input,
                                                  double            cache_write,
                                                  double            output);
gboolean             byok_price_add_tier         (ByokPrice        *price,
                                                  gint64            above_input_tokens,
                                                  double            input,
                                                  double            cached_input,
                                                  double            cache_write,
                                                  double            output,
                                                  GError          **error);
gboolean             byok_price_is_known         (const ByokPrice  *price);
gboolean             byok_price_validate         (const ByokPrice  *price,
                                                  GError          **error);
gboolean             byok_price_equal            (const ByokPrice  *a,
                                                  const ByokPrice  *b);
const ByokPriceTier *byok_price_get_tier         (const ByokPrice  *price,
                                                  gint64            input_tokens);
gboolean             byok_price_cost             (const ByokPrice  *price,
                                                  gint64            input_tokens,
                                                  gint64            cached_tokens,
                                                  gint64            cache_write_tokens,
                                                  gint64            output_tokens,
                                                  double           *cost);

gboolean             byok_price_cost_differs     (double            priced_usd,
                                                  double            reported_usd);
gboolean             byok_price_from_json_node   (JsonNode         *node,
                                                  ByokPrice        *price,
                                                  GError          **error);
JsonNode            *byok_price_to_json_node     (const ByokPrice  *price);
void                 byok_price_add_json_members (JsonBuilder      *builder,
                                                  const ByokPrice  *price,
                                                  gboolean          unknown_as_null);
gboolean             byok_price_from_json_string (const char       *json,
                                                  ByokPrice        *price,
                                                  GError          **error);
char                *byok_price_to_json_string   (const ByokPrice  *price);
char                *byok_price_tiers_to_json    (const ByokPrice  *price);
gboolean             byok_price_set_tiers_from_json (ByokPrice     *price,
                                                  const char       *json,
                                                  GError          **error);

/* The catalog's strict reader (byok-json.h): {"input", "cached_input",
 * "cache_write", "output", "tiers": [{"above_input_tokens", …}]}. */
gboolean             byok_price_read_json        (JsonNode         *node,
                                                  const char       *where,
                                                  ByokPrice        *price,
                                                  GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokPrice, byok_price_free)

/* One price of the table: what byok_pricing_list*() return and
 * byok_pricing_load_overrides() takes. */
typedef struct {
  char      *provider_id;
  char      *model_id;
  ByokPrice  price;
  gboolean   is_override;
} ByokPriceRow;

#define BYOK_TYPE_PRICE_ROW (byok_price_row_get_type ())

GType         byok_price_row_get_type (void) G_GNUC_CONST;
ByokPriceRow *byok_price_row_new      (const char         *provider_id,
                                       const char         *model_id,
                                       const ByokPrice    *price,
                                       gboolean            is_override);
ByokPriceRow *byok_price_row_copy     (const ByokPriceRow *row);
void          byok_price_row_free     (ByokPriceRow       *row);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokPriceRow, byok_price_row_free)

G_END_DECLS
