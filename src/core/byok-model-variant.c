/* byok-model-variant.c — a model in the catalog's compiled form
 * (byok-catalog-compile writes it at build time, every start reads it
 * back), and the GVariant helpers the provider's compiled form shares */
#define G_LOG_DOMAIN "byok-catalog"

#include "config.h"

#include <string.h>

#include "byok-model-private.h"

/* The catalog's compiled form (byok-catalog-compile) ------------------------ */

/* A field added to ByokModel changes its size, and stops the build here:
 * if the catalog's JSON sets it, it goes in the compiled form too (both
 * ways, below), then the size here is the new one. test-catalog's
 * /catalog/shipped/compiled checks that both forms give the same models. */
#if GLIB_SIZEOF_VOID_P == 8
G_STATIC_ASSERT (sizeof (ByokModel) == 808);
#endif

/* _BYOK_MODEL_VARIANT_TYPE, with what g_variant_new() takes as GVariant
 * marked */
#define MODEL_VARIANT_FORMAT \
  "(ss@masxxu@masims@" _BYOK_PRICE_VARIANT_TYPE "msmsm@a(s" _BYOK_PRICE_VARIANT_TYPE "s)b@" \
  _BYOK_PRICE_VARIANT_TYPE "budduums)"

/* A price as it is, unknown rates (NAN) and all: its four rates, then its
 * tiers, laid out as ByokPriceTier is. */
static GVariant *
price_to_variant (const ByokPrice *price)
{
  GVariantBuilder tiers;

  g_variant_builder_init (&tiers, G_VARIANT_TYPE ("a(xdddd)"));
  for (guint i = 0; i < price->n_tiers; i++)
    {
      const ByokPriceTier *tier = &price->tiers[i];

      g_variant_builder_add (&tiers, "(xdddd)", tier->above_input_tokens, tier->input, tier->cached_input,
                             tier->cache_write, tier->output);
    }
  return g_variant_new ("((dddd)@a(xdddd))", price->input, price->cached_input, price->cache_write,
                        price->output, g_variant_builder_end (&tiers));
}

/* Read in place: fixed-size values, no format string to scan. */
static void
price_from_variant (GVariant  *variant,
                    ByokPrice *price)
{
  g_autoptr(GVariant) rates = g_variant_get_child_value (variant, 0);
  g_autoptr(GVariant) tiers = g_variant_get_child_value (variant, 1);
  const double *rate = g_variant_get_data (rates);
  const ByokPriceTier *tier;
  gsize n_tiers = 0;

  G_STATIC_ASSERT (sizeof (ByokPriceTier) == sizeof (gint64) + 4 * sizeof (double));

  memset (price, 0, sizeof *price);
  price->input = rate[0];
  price->cached_input = rate[1];
  price->cache_write = rate[2];
  price->output = rate[3];
  tier = g_variant_get_fixed_array (tiers, &n_tiers, sizeof (ByokPriceTier));
  price->n_tiers = MIN (n_tiers, BYOK_PRICE_MAX_TIERS);
  /* No tiers: an empty array has no data at all (NULL), not for memcpy(). */
  if (price->n_tiers > 0)
    memcpy (price->tiers, tier, price->n_tiers * sizeof (ByokPriceTier));
}

/* A GStrv that may be NULL, as "mas". */
GVariant *
_byok_strv_to_variant (const char * const *strv)
{
  return g_variant_new_maybe (G_VARIANT_TYPE_STRING_ARRAY,
                              strv != NULL ? g_variant_new_strv (strv, -1) : NULL);
}

/* Child @i of @tuple: an "s" or an "ms" (NULL for nothing), copied. */
char *
_byok_variant_dup_string_at (GVariant *tuple,
                             gsize     i)
{
  g_autoptr(GVariant) child = g_variant_get_child_value (tuple, i);
  g_autoptr(GVariant) value = NULL;

  if (g_variant_is_of_type (child, G_VARIANT_TYPE_STRING))
    return g_variant_dup_string (child, NULL);
  value = g_variant_get_maybe (child);
  return value != NULL ? g_variant_dup_string (value, NULL) : NULL;
}

/* Child @i of @tuple, an "mas": the GStrv, or NULL for nothing. */
GStrv
_byok_variant_dup_strv_at (GVariant *tuple,
                           gsize     i)
{
  g_autoptr(GVariant) child = g_variant_get_child_value (tuple, i);
  g_autoptr(GVariant) value = g_variant_get_maybe (child);

  return value != NULL ? g_variant_dup_strv (value, NULL) : NULL;
}

/* Child @i of @tuple, a "u" (or a "b"). */
guint32
_byok_variant_get_uint32_at (GVariant *tuple,
                             gsize     i)
{
  g_autoptr(GVariant) child = g_variant_get_child_value (tuple, i);

  return g_variant_is_of_type (child, G_VARIANT_TYPE_BOOLEAN) ? (guint32) g_variant_get_boolean (child)
                                                               : g_variant_get_uint32 (child);
}

static gint64
get_int64_at (GVariant *tuple,
              gsize     i)
{
  g_autoptr(GVariant) child = g_variant_get_child_value (tuple, i);

  return g_variant_get_int64 (child);
}

static double
get_double_at (GVariant *tuple,
               gsize     i)
{
  g_autoptr(GVariant) child = g_variant_get_child_value (tuple, i);

  return g_variant_get_double (child);
}

static void
price_from_variant_at (GVariant  *tuple,
                       gsize      i,
                       ByokPrice *price)
{
  g_autoptr(GVariant) child = g_variant_get_child_value (tuple, i);

  price_from_variant (child, price);
}

/**
 * _byok_model_to_variant:
 *
 * What the catalog's JSON gave @self (_byok_model_new_from_json()), as
 * _byok_model_new_from_variant() reads it back: every field the JSON
 * sets, the name as the JSON has it (said in the person's language when
 * read back).
 *
 * Returns: (transfer floating): a value of _BYOK_MODEL_VARIANT_TYPE
 */
GVariant *
_byok_model_to_variant (ByokModel *self)
{
  GVariant *changes = NULL;

  g_return_val_if_fail (BYOK_IS_MODEL (self), NULL);

  /* A builder begun is ended or cleared: only a model with changes has one. */
  if (self->price_changes != NULL)
    {
      GVariantBuilder builder;

      g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(s" _BYOK_PRICE_VARIANT_TYPE "s)"));
      for (guint i = 0; i < self->price_changes->len; i++)
        {
          const PriceChange *change = &g_array_index (self->price_changes, PriceChange, i);

          g_variant_builder_add (&builder, "(s@" _BYOK_PRICE_VARIANT_TYPE "s)", change->from,
                                 price_to_variant (&change->price), change->source);
        }
      changes = g_variant_builder_end (&builder);
    }

  return g_variant_new (MODEL_VARIANT_FORMAT,
                        self->id, self->name, _byok_strv_to_variant ((const char * const *) self->aliases),
                        self->context_window, self->max_output, (guint32) self->capabilities,
                        _byok_strv_to_variant ((const char * const *) self->recommended_for), (gint32) self->rank,
                        self->deprecation_date, price_to_variant (&self->price), self->price_source,
                        self->price_date,
                        changes,
                        self->has_data_price, price_to_variant (&self->data_price), self->params_set,
                        (guint32) self->temperature, self->temperature_min, self->temperature_max,
                        (guint32) self->effort_via, (guint32) self->effort_levels, self->effort_default);
}

/**
 * _byok_model_new_from_variant:
 * @variant: from _byok_model_to_variant(), of _BYOK_MODEL_VARIANT_TYPE
 *
 * The model as _byok_model_new_from_json() read it from the same JSON,
 * its name said in the person's language ("… (local)"). Nothing is checked
 * again: the catalog was when it was compiled. Read child by child, in
 * the order of MODEL_VARIANT_FORMAT (g_variant_get() would scan its
 * format string for every model: a third of the time).
 *
 * Returns: (transfer full): the model
 */
ByokModel *
_byok_model_new_from_variant (const char *provider_id,
                              GVariant   *variant)
{
  ByokModel *self = g_object_new (BYOK_TYPE_MODEL, NULL);
  g_autoptr(GVariant) changes = g_variant_get_child_value (variant, 12);
  g_autoptr(GVariant) change_list = g_variant_get_maybe (changes);

  self->provider_id = g_strdup (provider_id);
  self->from_catalog = TRUE;
  self->id = _byok_variant_dup_string_at (variant, 0);
  self->name = _byok_variant_dup_string_at (variant, 1);
  self->aliases = _byok_variant_dup_strv_at (variant, 2);
  self->context_window = get_int64_at (variant, 3);
  self->max_output = get_int64_at (variant, 4);
  self->capabilities = _byok_variant_get_uint32_at (variant, 5);
  self->recommended_for = _byok_variant_dup_strv_at (variant, 6);
  {
    g_autoptr(GVariant) rank = g_variant_get_child_value (variant, 7);

    self->rank = g_variant_get_int32 (rank);
  }
  self->deprecation_date = _byok_variant_dup_string_at (variant, 8);
  price_from_variant_at (variant, 9, &self->price);
  self->price_source = _byok_variant_dup_string_at (variant, 10);
  self->price_date = _byok_variant_dup_string_at (variant, 11);
  if (change_list != NULL)
    {
      gsize n = g_variant_n_children (change_list);

      self->price_changes = g_array_sized_new (FALSE, TRUE, sizeof (PriceChange), n);
      g_array_set_clear_func (self->price_changes, _byok_price_change_clear);
      for (gsize i = 0; i < n; i++)
        {
          g_autoptr(GVariant) entry = g_variant_get_child_value (change_list, i);
          g_autofree char *from = _byok_variant_dup_string_at (entry, 0);
          PriceChange change = { { 0, }, };

          g_strlcpy (change.from, from, sizeof change.from);
          price_from_variant_at (entry, 1, &change.price);
          change.source = _byok_variant_dup_string_at (entry, 2);
          g_array_append_val (self->price_changes, change);
        }
    }
  self->has_data_price = _byok_variant_get_uint32_at (variant, 13);
  price_from_variant_at (variant, 14, &self->data_price);
  self->params_set = _byok_variant_get_uint32_at (variant, 15);
  self->temperature = _byok_variant_get_uint32_at (variant, 16);
  self->temperature_min = get_double_at (variant, 17);
  self->temperature_max = get_double_at (variant, 18);
  self->effort_via = _byok_variant_get_uint32_at (variant, 19);
  self->effort_levels = _byok_variant_get_uint32_at (variant, 20);
  self->effort_default = _byok_variant_dup_string_at (variant, 21);
  _byok_model_localize_name (&self->name);
  return self;
}
