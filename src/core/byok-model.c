/* byok-model.c — one model of one provider */
#define G_LOG_DOMAIN "byok-catalog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byok-catalog-private.h"
#include "byok-error.h"
#include "byok-model.h"

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

  guint                  from_catalog : 1;
  guint                  listed : 1;
};

G_DEFINE_FINAL_TYPE (ByokModel, byok_model, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_PROVIDER_ID,
  PROP_NAME,
  PROP_CONTEXT_WINDOW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const use_cases[] = {
  BYOK_USE_CASE_GENERAL,
  BYOK_USE_CASE_CODING,
  BYOK_USE_CASE_REASONING,
  BYOK_USE_CASE_LONG_DOCUMENTS,
  BYOK_USE_CASE_CHINESE,
  BYOK_USE_CASE_CHEAP_BULK,
  NULL
};

static const char * const empty_strv[] = { NULL };

static void
byok_model_finalize (GObject *object)
{
  ByokModel *self = BYOK_MODEL (object);

  g_free (self->provider_id);
  g_free (self->id);
  g_free (self->name);
  g_strfreev (self->aliases);
  g_strfreev (self->recommended_for);
  g_free (self->deprecation_date);
  g_free (self->price_source);
  g_free (self->price_date);

  G_OBJECT_CLASS (byok_model_parent_class)->finalize (object);
}

static void
byok_model_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  ByokModel *self = BYOK_MODEL (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_PROVIDER_ID:
      g_value_set_string (value, self->provider_id);
      break;
    case PROP_NAME:
      g_value_set_string (value, byok_model_get_name (self));
      break;
    case PROP_CONTEXT_WINDOW:
      g_value_set_int64 (value, self->context_window);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_model_class_init (ByokModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = byok_model_finalize;
  object_class->get_property = byok_model_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROVIDER_ID] =
    g_param_spec_string ("provider-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTEXT_WINDOW] =
    g_param_spec_int64 ("context-window", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
byok_model_init (ByokModel *self)
{
  self->rank = BYOK_MODEL_NO_RANK;
  self->capabilities = BYOK_MODEL_CAP_STREAMING;
  byok_price_init (&self->price);
}

/**
 * byok_model_new:
 *
 * A model the catalog does not know, e.g. one a provider's model listing
 * returned: its name is its id, its context window and prices unknown.
 *
 * Returns: (transfer full): a new model
 */
ByokModel *
byok_model_new (const char *provider_id,
                const char *id)
{
  ByokModel *self;

  g_return_val_if_fail (provider_id != NULL, NULL);
  g_return_val_if_fail (id != NULL && *id != '\0', NULL);

  self = g_object_new (BYOK_TYPE_MODEL, NULL);
  self->provider_id = g_strdup (provider_id);
  self->id = g_strdup (id);
  return self;
}

static gboolean
read_capabilities (JsonObject             *object,
                   const char             *where,
                   ByokModelCapabilities  *out,
                   GError                **error)
{
  static const struct {
    const char            *name;
    ByokModelCapabilities  cap;
  } names[] = {
    { "streaming", BYOK_MODEL_CAP_STREAMING },
    { "reasoning", BYOK_MODEL_CAP_REASONING },
    { "vision", BYOK_MODEL_CAP_VISION },
    { "tools", BYOK_MODEL_CAP_TOOLS },
  };
  g_auto(GStrv) caps = NULL;

  if (!byok_catalog_read_strv (object, "capabilities", where, &caps, error))
    return FALSE;
  if (caps == NULL)
    {
      byok_catalog_set_malformed (error, where, _("“capabilities” is missing"));
      return FALSE;
    }

  *out = BYOK_MODEL_CAP_NONE;
  for (guint i = 0; caps[i] != NULL; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < G_N_ELEMENTS (names); j++)
        {
          if (g_str_equal (caps[i], names[j].name))
            {
              *out |= names[j].cap;
              found = TRUE;
            }
        }
      if (!found)
        {
          byok_catalog_set_malformed (error, where,
                                      _("unknown capability “%s” (known: streaming, reasoning, vision, tools)"),
                                      caps[i]);
          return FALSE;
        }
    }
  return TRUE;
}

ByokModel *
byok_model_new_from_json (const char  *provider_id,
                          JsonObject  *object,
                          GError     **error)
{
  static const char * const members[] = {
    "id", "name", "aliases", "context_window", "max_output", "capabilities",
    "recommended_for", "rank", "price", "price_source", "price_date",
    "deprecation_date", NULL
  };
  g_autoptr(ByokModel) self = NULL;
  g_autofree char *id = NULL;
  g_autofree char *where = NULL;
  gint64 rank = BYOK_MODEL_NO_RANK;

  g_return_val_if_fail (provider_id != NULL, NULL);
  g_return_val_if_fail (object != NULL, NULL);

  where = g_strdup_printf ("provider “%s”, a model", provider_id);
  if (!byok_catalog_read_string (object, "id", TRUE, where, &id, error))
    return NULL;
  g_free (where);
  where = g_strdup_printf ("provider “%s”, model “%s”", provider_id, id);

  self = byok_model_new (provider_id, id);
  self->from_catalog = TRUE;

  if (!byok_catalog_check_members (object, members, where, error) ||
      !byok_catalog_read_string (object, "name", TRUE, where, &self->name, error) ||
      !byok_catalog_read_strv (object, "aliases", where, &self->aliases, error) ||
      !byok_catalog_read_int (object, "context_window", TRUE, 1, where,
                              &self->context_window, error) ||
      !byok_catalog_read_int (object, "max_output", FALSE, 1, where,
                              &self->max_output, error) ||
      !read_capabilities (object, where, &self->capabilities, error) ||
      !byok_catalog_read_strv (object, "recommended_for", where,
                               &self->recommended_for, error) ||
      !byok_catalog_read_int (object, "rank", FALSE, 0, where, &rank, error) ||
      !byok_catalog_read_string (object, "price_source", FALSE, where,
                                 &self->price_source, error) ||
      !byok_catalog_read_string (object, "price_date", FALSE, where,
                                 &self->price_date, error) ||
      !byok_catalog_read_string (object, "deprecation_date", FALSE, where,
                                 &self->deprecation_date, error))
    return NULL;

  if (rank > G_MAXINT)
    rank = G_MAXINT;
  self->rank = (int) rank;

  for (guint i = 0; self->recommended_for != NULL && self->recommended_for[i] != NULL; i++)
    {
      if (!byok_use_case_is_valid (self->recommended_for[i]))
        {
          byok_catalog_set_malformed (error, where,
                                      _("unknown use case “%s” in “recommended_for”"),
                                      self->recommended_for[i]);
          return NULL;
        }
    }

  if (json_object_has_member (object, "price"))
    {
      g_autofree char *price_where = g_strdup_printf ("%s, price", where);

      if (!byok_price_read_json (json_object_get_member (object, "price"),
                                 price_where, &self->price, error))
        return NULL;
      if (self->price_source == NULL)
        {
          byok_catalog_set_malformed (error, where,
                                      _("a price needs a “price_source”"));
          return NULL;
        }
    }

  return g_steal_pointer (&self);
}

const char *
byok_model_get_id (ByokModel *self)
{
  g_return_val_if_fail (BYOK_IS_MODEL (self), NULL);

  return self->id;
}

const char *
byok_model_get_provider_id (ByokModel *self)
{
  g_return_val_if_fail (BYOK_IS_MODEL (self), NULL);

  return self->provider_id;
}

/**
 * byok_model_get_name:
 * Returns: the display name, or the id when the catalog gives none
 */
const char *
byok_model_get_name (ByokModel *self)
{
  g_return_val_if_fail (BYOK_IS_MODEL (self), NULL);

  return self->name != NULL ? self->name : self->id;
}

/**
 * byok_model_get_aliases:
 * Returns: (transfer none): other ids the provider accepts for this model
 *   (e.g. "claude-sonnet-4-5"); never NULL
 */
const char * const *
byok_model_get_aliases (ByokModel *self)
{
  g_return_val_if_fail (BYOK_IS_MODEL (self), NULL);

  return self->aliases != NULL ? (const char * const *) self->aliases : empty_strv;
}

/**
 * byok_model_matches:
 * Returns: TRUE if @id_or_alias is the model's id or one of its aliases
 */
gboolean
byok_model_matches (ByokModel  *self,
                    const char *id_or_alias)
{
  g_return_val_if_fail (BYOK_IS_MODEL (self), FALSE);

  if (id_or_alias == NULL)
    return FALSE;
  if (g_str_equal (self->id, id_or_alias))
    return TRUE;
  return self->aliases != NULL &&
         g_strv_contains ((const char * const *) self->aliases, id_or_alias);
}

/**
 * byok_model_get_context_window:
 * Returns: the context window in tokens; 0 when unknown
 */
gint64
byok_model_get_context_window (ByokModel *self)
{
  g_return_val_if_fail (BYOK_IS_MODEL (self), 0);

  return self->context_window;
}

/**
 * byok_model_get_max_output:
 * Returns: the most output tokens one call can produce; 0 when unknown
 */
gint64
byok_model_get_max_output (ByokModel *self)
{
  g_return_val_if_fail (BYOK_IS_MODEL (self), 0);

  return self->max_output;
}

ByokModelCapabilities
byok_model_get_capabilities (ByokModel *self)
{
  g_return_val_if_fail (BYOK_IS_MODEL (self), BYOK_MODEL_CAP_NONE);

  return self->capabilities;
}

gboolean
byok_model_has_capability (ByokModel             *self,
                           ByokModelCapabilities  cap)
{
  g_return_val_if_fail (BYOK_IS_MODEL (self), FALSE);

  return (self->capabilities & cap) == cap;
}

/**
 * byok_model_get_recommended_for:
 * Returns: (transfer none): the use cases (BYOK_USE_CASE_*) the catalog
 *   recommends this model for; never NULL
 */
const char * const *
byok_model_get_recommended_for (ByokModel *self)
{
  g_return_val_if_fail (BYOK_IS_MODEL (self), NULL);

  return self->recommended_for != NULL ?
         (const char * const *) self->recommended_for : empty_strv;
}

gboolean
byok_model_is_recommended_for (ByokModel  *self,
                               const char *use_case)
{
  g_return_val_if_fail (BYOK_IS_MODEL (self), FALSE);

  return use_case != NULL && self->recommended_for != NULL &&
         g_strv_contains ((const char * const *) self->recommended_for, use_case);
}

/**
 * byok_model_get_rank:
 * Returns: the catalog's rank, lower is better; BYOK_MODEL_NO_RANK if none
 */
int
byok_model_get_rank (ByokModel *self)
{
  g_return_val_if_fail (BYOK_IS_MODEL (self), BYOK_MODEL_NO_RANK);

  return self->rank;
}

/**
 * byok_model_get_deprecation_date:
 * Returns: (nullable): the date (YYYY-MM-DD) the provider retires the model
 */
const char *
byok_model_get_deprecation_date (ByokModel *self)
{
  g_return_val_if_fail (BYOK_IS_MODEL (self), NULL);

  return self->deprecation_date;
}

/**
 * byok_model_get_price:
 * Returns: (transfer none): the catalog's price; rates may be unknown (NAN).
 *   The price in force, with the user's overrides, comes from ByokPricing.
 */
const ByokPrice *
byok_model_get_price (ByokModel *self)
{
  g_return_val_if_fail (BYOK_IS_MODEL (self), NULL);

  return &self->price;
}

/**
 * byok_model_get_price_source:
 * Returns: (nullable): where the catalog's price comes from
 */
const char *
byok_model_get_price_source (ByokModel *self)
{
  g_return_val_if_fail (BYOK_IS_MODEL (self), NULL);

  return self->price_source;
}

/**
 * byok_model_get_price_date:
 * Returns: (nullable): the date (YYYY-MM-DD) of the price's source
 */
const char *
byok_model_get_price_date (ByokModel *self)
{
  g_return_val_if_fail (BYOK_IS_MODEL (self), NULL);

  return self->price_date;
}

/**
 * byok_model_set_price:
 * @price: (nullable): the price; NULL for unknown
 * @source: (nullable): where it comes from
 * @date: (nullable): the date of the source
 *
 * Sets the catalog price of the model. Used by the catalog (e.g. for local
 * models, which cost nothing); user overrides belong in ByokPricing.
 */
void
byok_model_set_price (ByokModel       *self,
                      const ByokPrice *price,
                      const char      *source,
                      const char      *date)
{
  g_return_if_fail (BYOK_IS_MODEL (self));

  if (price != NULL)
    self->price = *price;
  else
    byok_price_init (&self->price);
  g_free (self->price_source);
  self->price_source = g_strdup (source);
  g_free (self->price_date);
  self->price_date = g_strdup (date);
}

/**
 * byok_model_is_from_catalog:
 * Returns: TRUE if the shipped catalog describes the model, FALSE if only a
 *   provider's listing named it
 */
gboolean
byok_model_is_from_catalog (ByokModel *self)
{
  g_return_val_if_fail (BYOK_IS_MODEL (self), FALSE);

  return self->from_catalog;
}

/**
 * byok_model_is_listed:
 * Returns: TRUE if the last model listing merged for the provider had it
 */
gboolean
byok_model_is_listed (ByokModel *self)
{
  g_return_val_if_fail (BYOK_IS_MODEL (self), FALSE);

  return self->listed;
}

void
byok_model_set_listed (ByokModel *self,
                       gboolean   listed)
{
  g_return_if_fail (BYOK_IS_MODEL (self));

  self->listed = !!listed;
}

/**
 * byok_use_case_get_all:
 * Returns: (transfer none): every use case, in display order
 */
const char * const *
byok_use_case_get_all (void)
{
  return use_cases;
}

gboolean
byok_use_case_is_valid (const char *use_case)
{
  return use_case != NULL && g_strv_contains (use_cases, use_case);
}

/**
 * byok_use_case_get_label:
 * Returns: (nullable): the translated name of @use_case, or NULL if it is
 *   not a use case
 */
const char *
byok_use_case_get_label (const char *use_case)
{
  if (g_strcmp0 (use_case, BYOK_USE_CASE_GENERAL) == 0)
    return _("General");
  if (g_strcmp0 (use_case, BYOK_USE_CASE_CODING) == 0)
    return _("Coding");
  if (g_strcmp0 (use_case, BYOK_USE_CASE_REASONING) == 0)
    return _("Reasoning");
  if (g_strcmp0 (use_case, BYOK_USE_CASE_LONG_DOCUMENTS) == 0)
    return _("Long documents");
  if (g_strcmp0 (use_case, BYOK_USE_CASE_CHINESE) == 0)
    return _("Chinese");
  if (g_strcmp0 (use_case, BYOK_USE_CASE_CHEAP_BULK) == 0)
    return _("Cheap bulk work");
  return NULL;
}
