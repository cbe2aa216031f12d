/* byok-catalog-suggest.c — which of the catalog's models to offer: those
 * it recommends for a use case (byok_catalog_recommend()), and the one a
 * mistyped model id most likely meant (byok_catalog_suggest_model()).
 * Through the catalog's public API only. */
#define G_LOG_DOMAIN "byok-catalog"

#include "config.h"

#include <math.h>
#include <string.h>

#include "byok-catalog.h"
#include "byok-glib-private.h"

/* Recommendations ---------------------------------------------------------- */

/* A 3:1 input:output blend, the usual shape of a chat; unknown is +inf. */
static double
blended_price (ByokModel *model)
{
  const ByokPrice *price = byok_model_get_price (model);

  if (!byok_price_is_known (price))
    return INFINITY;
  return (3.0 * price->input + price->output) / 4.0;
}

static int
compare_recommended (gconstpointer a,
                     gconstpointer b)
{
  ByokModel *x = *(ByokModel * const *) a;
  ByokModel *y = *(ByokModel * const *) b;
  int rx = byok_model_get_rank (x);
  int ry = byok_model_get_rank (y);
  double px, py;

  if (rx != ry)
    return rx < ry ? -1 : 1;
  px = blended_price (x);
  py = blended_price (y);
  if (px != py)
    return px < py ? -1 : 1;
  return g_strcmp0 (byok_model_get_id (x), byok_model_get_id (y));
}

/**
 * byok_catalog_recommend:
 * @use_case: one of BYOK_USE_CASE_* ("coding", "chinese", …)
 * @n: the most models to return; 0 for all
 *
 * Models of enabled providers the catalog recommends for @use_case, not
 * retired, best first: by the catalog's rank, then by price (a 3:1 input:output blend;
 * unknown prices last).
 *
 * Returns: (transfer full) (element-type ByokModel): the models; empty for
 *   an unknown use case
 */
GPtrArray *
byok_catalog_recommend (ByokCatalog *self,
                        const char  *use_case,
                        guint        n)
{
  g_autoptr(GPtrArray) providers = NULL;
  GPtrArray *result;

  g_return_val_if_fail (BYOK_IS_CATALOG (self), NULL);

  result = g_ptr_array_new_with_free_func (g_object_unref);
  if (!byok_use_case_is_valid (use_case))
    return result;

  providers = byok_catalog_get_providers (self);
  for (guint i = 0; i < providers->len; i++)
    {
      ByokProvider *provider = g_ptr_array_index (providers, i);
      g_autoptr(GPtrArray) models = NULL;

      if (!byok_provider_get_enabled (provider))
        continue;
      models = byok_catalog_get_models (self, byok_provider_get_id (provider));
      for (guint j = 0; j < models->len; j++)
        {
          ByokModel *model = g_ptr_array_index (models, j);

          if (byok_model_is_recommended_for (model, use_case) && !byok_model_is_retired (model))
            g_ptr_array_add (result, g_object_ref (model));
        }
    }

  g_ptr_array_sort (result, compare_recommended);
  if (n > 0 && result->len > n)
    g_ptr_array_set_size (result, n);
  return result;
}

/* Did you mean ------------------------------------------------------------- */

/* Model names are short: a longer one is compared by its first 256 bytes. */
static guint
edit_distance (const char *a,
               const char *b)
{
  return _byok_edit_distance (a, MIN (strlen (a), 256), b, MIN (strlen (b), 256));
}

static gboolean
has_prefix_ci (const char *str,
               const char *prefix)
{
  return g_ascii_strncasecmp (str, prefix, strlen (prefix)) == 0;
}

static gboolean
contains_ci (const char *haystack,
             const char *needle)
{
  g_autofree char *h = g_ascii_strdown (haystack, -1);
  g_autofree char *n = g_ascii_strdown (needle, -1);

  return strstr (h, n) != NULL;
}

typedef enum {
  MATCH_NONE,
  MATCH_EXACT,
  MATCH_PREFIX,
  MATCH_CONTAINS,
  MATCH_REVERSE_PREFIX,
  MATCH_DISTANCE,
} MatchKind;

/* Lower is better: the kind first, then a score within the kind. */
static MatchKind
match (ByokModel  *model,
       const char *bad_id,
       gint64     *score)
{
  const char *id = byok_model_get_id (model);
  const char * const *aliases = byok_model_get_aliases (model);
  guint limit = MAX (2, (guint) strlen (bad_id) / 3);
  guint distance;

  if (g_ascii_strcasecmp (id, bad_id) == 0)
    {
      *score = 0;
      return MATCH_EXACT;
    }
  for (guint i = 0; aliases[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (aliases[i], bad_id) == 0)
        {
          *score = 0;
          return MATCH_EXACT;
        }
    }

  if (has_prefix_ci (id, bad_id))
    {
      *score = byok_model_get_rank (model);
      return MATCH_PREFIX;
    }
  for (guint i = 0; aliases[i] != NULL; i++)
    {
      if (has_prefix_ci (aliases[i], bad_id))
        {
          *score = byok_model_get_rank (model);
          return MATCH_PREFIX;
        }
    }

  if (strlen (bad_id) >= 3 && contains_ci (id, bad_id))
    {
      *score = byok_model_get_rank (model);
      return MATCH_CONTAINS;
    }

  if (strlen (id) >= 3 && has_prefix_ci (bad_id, id) &&
      bad_id[strlen (id)] != '\0' && strchr ("-:@", bad_id[strlen (id)]) != NULL)
    {
      /* the longest catalog id that starts the bad one before a suffix
       * ("gpt-4o-2024-08-06", "llama3.2:1b"); "glm-4.7" is not "glm-4" */
      *score = -(gint64) strlen (id);
      return MATCH_REVERSE_PREFIX;
    }

  distance = edit_distance (id, bad_id);
  for (guint i = 0; aliases[i] != NULL; i++)
    distance = MIN (distance, edit_distance (aliases[i], bad_id));
  if (distance <= limit)
    {
      *score = (gint64) distance * ((gint64) G_MAXINT + 1) + byok_model_get_rank (model);
      return MATCH_DISTANCE;
    }

  return MATCH_NONE;
}

/**
 * byok_catalog_suggest_model:
 * @provider_id: (nullable): the provider; NULL searches every provider
 * @bad_id: a model id that was not found
 *
 * Did you mean: a model whose id starts with @bad_id (the best ranked),
 * then one that contains it, then the longest id @bad_id starts with
 * followed by "-", ":" or "@" (a dated or tagged variant), then the closest
 * by edit distance (at most a third of the length, or 2).
 *
 * Returns: (transfer full) (nullable): the suggested model id
 *   ("PROVIDER/MODEL" when @provider_id is NULL), or NULL
 */
char *
byok_catalog_suggest_model (ByokCatalog *self,
                            const char  *provider_id,
                            const char  *bad_id)
{
  g_autoptr(GPtrArray) providers = NULL;
  g_autoptr(ByokModel) best = NULL;
  MatchKind best_kind = MATCH_NONE;
  gint64 best_score = 0;

  g_return_val_if_fail (BYOK_IS_CATALOG (self), NULL);

  if (bad_id == NULL || *bad_id == '\0')
    return NULL;

  providers = byok_catalog_get_providers (self);
  for (guint i = 0; i < providers->len; i++)
    {
      ByokProvider *provider = g_ptr_array_index (providers, i);
      const char *id = byok_provider_get_id (provider);
      g_autoptr(GPtrArray) models = NULL;

      if (provider_id != NULL && !g_str_equal (provider_id, id))
        continue;

      models = byok_catalog_get_models (self, id);
      for (guint j = 0; j < models->len; j++)
        {
          ByokModel *model = g_ptr_array_index (models, j);
          gint64 score = 0;
          MatchKind kind = match (model, bad_id, &score);

          if (kind == MATCH_NONE)
            continue;
          if (best == NULL || kind < best_kind ||
              (kind == best_kind && score < best_score))
            {
              g_set_object (&best, model);
              best_kind = kind;
              best_score = score;
            }
        }
    }

  if (best == NULL)
    return NULL;
  if (provider_id == NULL)
    return g_strconcat (byok_model_get_provider_id (best), "/", byok_model_get_id (best), NULL);
  return g_strdup (byok_model_get_id (best));
}
