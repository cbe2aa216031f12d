/* byok-model-private.h — for the catalog: a model from its JSON or its
 * compiled form; and the model's fields, for its own files */
#pragma once

#include <json-glib/json-glib.h>

#include "byok-model.h"

G_BEGIN_DECLS

/* Reads one entry of a provider's "models" (byok-json.h's strict readers):
 * a BYOK_ERROR_MALFORMED error names what is wrong. */
ByokModel    *_byok_model_new_from_json    (const char   *provider_id,
                                            JsonObject   *object,
                                            GError      **error);

/* The catalog's compiled form (byok-catalog-compile): a model as its JSON
 * gave it, and back. */
#define _BYOK_PRICE_VARIANT_TYPE "((dddd)a(xdddd))"
#define _BYOK_MODEL_VARIANT_TYPE \
  "(ssmasxxumasims" _BYOK_PRICE_VARIANT_TYPE "msmsma(s" _BYOK_PRICE_VARIANT_TYPE "s)b" \
  _BYOK_PRICE_VARIANT_TYPE "budduums)"

GVariant     *_byok_model_to_variant       (ByokModel    *self);
ByokModel    *_byok_model_new_from_variant (const char   *provider_id,
                                            GVariant     *variant);

/* A GStrv that may be NULL, as "mas"; and a tuple's children, read. */
GVariant     *_byok_strv_to_variant        (const char * const *strv);
char         *_byok_variant_dup_string_at  (GVariant     *tuple,
                                            gsize         i);
GStrv         _byok_variant_dup_strv_at    (GVariant     *tuple,
                                            gsize         i);
guint32       _byok_variant_get_uint32_at  (GVariant     *tuple,
                                            gsize         i);

/* "… (local)" in the catalog, with the suffix in the person's language
 * (a provider's name too): @name is replaced. */
void          _byok_model_localize_name    (char        **name);

/* ByokModel's fields, for its own files only: byok-model.c (the object
 * and its JSON) and byok-model-variant.c (its compiled form). Everyone
 * else, the catalog included, goes through the functions. */
struct _ByokModel
{
  GObject                parent_instance;

  char                  *provider_id;
  char                  *id;
  char                  *name;
  GStrv                  aliases;
  gint64                 context_window;
  gint64                 max_output;
  ByokModelCapabilities  capabilities;
  GStrv                  recommended_for;
  int                    rank;
  char                  *deprecation_date;

  ByokPrice              price;
  char                  *price_source;
  char                  *price_date;
  GArray                *price_changes;  /* of PriceChange, by date */

  /* What a price list gave, where the catalog differs on purpose. */
  gboolean               has_data_price;
  ByokPrice              data_price;

  /* A price update's price, over the catalog's. */
  gboolean               has_update_price;
  ByokPrice              update_price;
  char                  *update_source;
  char                  *update_date;

  gboolean               params_set;
  ByokTemperatureRule    temperature;
  double                 temperature_min;
  double                 temperature_max;
  ByokEffortVia          effort_via;
  guint                  effort_levels;
  char                  *effort_default;

  guint                  from_catalog : 1;
  guint                  from_price_data : 1;
  guint                  listed : 1;
};

/* A price the provider announced from a date on ("price_changes"). */
typedef struct {
  char      from[11];  /* YYYY-MM-DD, UTC */
  ByokPrice price;
  char     *source;
} PriceChange;

/* For a GArray of PriceChange. */
void _byok_price_change_clear (gpointer data);

G_END_DECLS
