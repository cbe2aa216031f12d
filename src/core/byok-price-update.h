/* byok-price-update.h — what a price list would change, before it does
 *
 * A price update compares a price list (ByokPriceData) with the prices in
 * force: models it adds (to chat with, that the catalog lacks), prices it
 * changes (old → new), and models the last list added that this one no
 * longer has. The person sees that list and applies it, or not; applying
 * it never touches the person's own prices (ByokPricing's overrides stay
 * over it), and calls already recorded keep what they cost.
 */
#pragma once

#include <glib-object.h>

#include "byok-catalog.h"
#include "byok-pricing.h"

G_BEGIN_DECLS

typedef enum {
  BYOK_PRICE_CHANGE_NEW,
  BYOK_PRICE_CHANGE_CHANGED,
  BYOK_PRICE_CHANGE_REMOVED,
} ByokPriceChangeKind;

/**
 * ByokPriceChange:
 * @kind: a new model, a changed price, a model removed
 * @provider: the provider id
 * @model: the model id
 * @name: its display name
 * @old_price: the price in force now (unknown for a new model)
 * @new_price: the list's price (unknown for a removed model)
 * @context_window: the list's context window of a new model, 0 unknown
 * @has_override: the person has a price of their own for it, which stays
 */
typedef struct {
  ByokPriceChangeKind  kind;
  char                *provider;
  char                *model;
  char                *name;
  ByokPrice            old_price;
  ByokPrice            new_price;
  gint64               context_window;
  gboolean             has_override;
} ByokPriceChange;

/* The rates of a price, to say which a change changes. */
typedef enum {
  BYOK_PRICE_RATE_INPUT,
  BYOK_PRICE_RATE_CACHED_INPUT,
  BYOK_PRICE_RATE_CACHE_WRITE,
  BYOK_PRICE_RATE_OUTPUT,
  BYOK_N_PRICE_RATES
} ByokPriceRate;

gboolean byok_price_change_get_rates (const ByokPriceChange *change,
                                      ByokPriceRate          rate,
                                      double                *old_rate,
                                      double                *new_rate);

#define BYOK_TYPE_PRICE_UPDATE (byok_price_update_get_type ())
G_DECLARE_FINAL_TYPE (ByokPriceUpdate, byok_price_update, BYOK, PRICE_UPDATE, GObject)

ByokPriceUpdate       *byok_price_update_new         (ByokCatalog      *catalog,
                                                      ByokPricing      *pricing,
                                                      ByokPriceData    *data,
                                                      const char       *source);
ByokPriceData         *byok_price_update_get_data    (ByokPriceUpdate  *self);
const char            *byok_price_update_get_source  (ByokPriceUpdate  *self);
guint                  byok_price_update_get_n_changes (ByokPriceUpdate *self);
const ByokPriceChange *byok_price_update_get_change  (ByokPriceUpdate  *self,
                                                      guint             index);
guint                  byok_price_update_count       (ByokPriceUpdate  *self,
                                                      ByokPriceChangeKind kind);
gboolean               byok_price_update_is_empty    (ByokPriceUpdate  *self);

G_END_DECLS
