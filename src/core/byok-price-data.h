/* byok-price-data.h — a maintained file of prices and models
 *
 * Byok keeps its prices current from a data file someone maintains: by
 * default the one @pydantic/genai-prices publishes for this
 * (BYOK_PRICE_DATA_DEFAULT_URL, its "v2" format: a list of providers, each
 * with models that have an id, a rule matching the ids they go by, a name,
 * a context window and prices per million tokens, some by prompt size or
 * from a date on).
 *
 * A file is taken whole or not at all: one that is not JSON of that
 * shape, larger than BYOK_PRICE_DATA_MAX_SIZE, nested too deep, or with a
 * price of a provider Byok knows that is not a number, is negative, or is
 * above what that provider could charge (byok_price_data_get_bound()) is
 * refused with BYOK_ERROR_MALFORMED saying what is wrong, and nothing of it
 * is used. Only the providers Byok knows are kept, under Byok's ids.
 *
 * The network fetch goes to the address given and nowhere else: https
 * only (http to this computer, for tests), no redirect followed, at most
 * BYOK_PRICE_DATA_MAX_SIZE bytes read.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "byok-price.h"

G_BEGIN_DECLS

#define BYOK_PRICE_DATA_DEFAULT_URL \
  "https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json"

/* 16 MiB: the file is about 0.4 MB. */
#define BYOK_PRICE_DATA_MAX_SIZE (16 * 1024 * 1024)

/**
 * ByokPriceDataModel:
 * @provider: Byok's provider id ("gemini")
 * @id: the model's id in the file
 * @name: (nullable): its display name
 * @match: (nullable): the file's rule for the ids it goes by
 * @context_window: its context window, 0 when the file gives none
 * @deprecated: the file says it is deprecated
 * @chat: it looks like a model to chat with: a name, input and output
 *   prices, and no sign of embeddings, speech, images or fine-tuning
 * @price: its price in force today
 *
 * One model of a price data file.
 */
typedef struct {
  char      *provider;
  char      *id;
  char      *name;
  JsonNode  *match;
  gint64     context_window;
  gboolean   deprecated;
  gboolean   chat;
  ByokPrice  price;
} ByokPriceDataModel;

#define BYOK_TYPE_PRICE_DATA (byok_price_data_get_type ())
G_DECLARE_FINAL_TYPE (ByokPriceData, byok_price_data, BYOK, PRICE_DATA, GObject)

ByokPriceData            *byok_price_data_new             (void);
ByokPriceData            *byok_price_data_new_from_bytes  (GBytes                   *bytes,
                                                           const char               *today,
                                                           GError                  **error);
void                      byok_price_data_add_model       (ByokPriceData            *self,
                                                           const ByokPriceDataModel *model);
guint                     byok_price_data_get_n_models    (ByokPriceData            *self);
const ByokPriceDataModel *byok_price_data_get_model       (ByokPriceData            *self,
                                                           guint                     index);
const ByokPriceDataModel *byok_price_data_find            (ByokPriceData            *self,
                                                           const char               *provider,
                                                           const char               *model_id);
const char               *byok_price_data_get_sha256      (ByokPriceData            *self);

gboolean                  byok_price_data_model_matches   (const ByokPriceDataModel *model,
                                                           const char               *model_id);
char                     *byok_price_data_match_to_string (const ByokPriceDataModel *model);
gboolean                  byok_price_data_match_from_string (ByokPriceDataModel     *model,
                                                           const char               *text);
void                      byok_price_data_model_clear     (ByokPriceDataModel       *model);

double                    byok_price_data_get_bound       (const char               *provider);

gboolean                  byok_price_data_source_is_allowed (const char             *source,
                                                           gboolean                 *is_url,
                                                           GError                  **error);
void                      byok_price_data_fetch_async     (const char               *source,
                                                           GCancellable             *cancellable,
                                                           GAsyncReadyCallback       callback,
                                                           gpointer                  user_data);
ByokPriceData            *byok_price_data_fetch_finish    (GAsyncResult             *result,
                                                           GError                  **error);

G_END_DECLS
