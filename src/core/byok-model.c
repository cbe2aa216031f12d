/* byok-model.c — one model of one provider */
#define G_LOG_DOMAIN "byok-catalog"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "byok-error.h"
#include "byok-json.h"
#include "byok-model-private.h"

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
  g_clear_pointer (&self->price_changes, g_array_unref);
  g_free (self->effort_default);
  g_free (self->update_source);
  g_free (self->update_date);

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
    { "pdf", BYOK_MODEL_CAP_PDF },
  };
  g_auto(GStrv) caps = NULL;

  if (!byok_json_expect_strv (object, "capabilities", where, &caps, error))
    return FALSE;
  if (caps == NULL)
    {
      byok_json_set_malformed (error, where, _("“capabilities” is missing"));
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
          byok_json_set_malformed (error, where,
                                   _("unknown capability “%s” (known: streaming, reasoning, vision, tools, pdf)"),
                                   caps[i]);
          return FALSE;
        }
    }
  return TRUE;
}

void
_byok_price_change_clear (gpointer data)
{
  PriceChange *change = data;

  g_free (change->source);
}

static gboolean
is_iso_date (const char *text)
{
  g_autoptr(GDateTime) parsed = NULL;
  g_autofree char *midnight = NULL;

  if (text == NULL || strlen (text) != 10)
    return FALSE;
  midnight = g_strdup_printf ("%sT00:00:00Z", text);
  parsed = g_date_time_new_from_iso8601 (midnight, NULL);
  return parsed != NULL;
}

static double
read_number (JsonNode *node,
             gboolean *ok)
{
  GType type = node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node)
                                                           : G_TYPE_INVALID;

  *ok = type == G_TYPE_DOUBLE || type == G_TYPE_INT64;
  if (type == G_TYPE_DOUBLE)
    return json_node_get_double (node);
  if (type == G_TYPE_INT64)
    return (double) json_node_get_int (node);
  return NAN;
}

/* "temperature": false (the model takes none), or {"min", "max",
 * "without_effort"}; absent: the dialect's range. */
static gboolean
read_temperature (ByokModel   *self,
                  JsonObject  *object,
                  const char  *where,
                  GError     **error)
{
  static const char * const members[] = { "min", "max", "without_effort", NULL };
  JsonNode *node = json_object_get_member (object, "temperature");
  JsonObject *range;
  gboolean ok_min, ok_max, without_effort = FALSE;

  if (node == NULL)
    return TRUE;
  self->params_set = TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
      !json_node_get_boolean (node))
    {
      self->temperature = BYOK_TEMPERATURE_FIXED;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      byok_json_set_malformed (error, where,
                               _("“temperature” must be false or an object with “min” and “max”"));
      return FALSE;
    }
  range = json_node_get_object (node);
  if (!byok_json_expect_members (range, members, where, error) ||
      !byok_json_expect_bool (range, "without_effort", where, &without_effort, error))
    return FALSE;
  self->temperature_min = read_number (json_object_get_member (range, "min"), &ok_min);
  self->temperature_max = read_number (json_object_get_member (range, "max"), &ok_max);
  if (!ok_min || !ok_max || !isfinite (self->temperature_min) || !isfinite (self->temperature_max) ||
      self->temperature_min < 0 || self->temperature_max < self->temperature_min ||
      self->temperature_max > 10)
    {
      byok_json_set_malformed (error, where,
                               _("“temperature” needs a “min” and a “max” from 0 to 10, min ≤ max"));
      return FALSE;
    }
  self->temperature = without_effort ? BYOK_TEMPERATURE_WITHOUT_EFFORT : BYOK_TEMPERATURE_ANY;
  return TRUE;
}

static const struct {
  const char       *name;
  ByokEffortLevels  level;
} effort_levels[] = {
  { "none", BYOK_EFFORT_LEVEL_NONE },
  { "minimal", BYOK_EFFORT_LEVEL_MINIMAL },
  { "low", BYOK_EFFORT_LEVEL_LOW },
  { "medium", BYOK_EFFORT_LEVEL_MEDIUM },
  { "high", BYOK_EFFORT_LEVEL_HIGH },
  { "xhigh", BYOK_EFFORT_LEVEL_XHIGH },
  { "max", BYOK_EFFORT_LEVEL_MAX },
};

static const struct {
  const char    *name;
  ByokEffortVia  via;
} effort_vias[] = {
  { "reasoning_effort", BYOK_EFFORT_VIA_REASONING_EFFORT },
  { "adaptive", BYOK_EFFORT_VIA_ADAPTIVE },
  { "budget", BYOK_EFFORT_VIA_BUDGET },
  { "level", BYOK_EFFORT_VIA_LEVEL },
  { "openrouter", BYOK_EFFORT_VIA_OPENROUTER },
};

static ByokEffortLevels
effort_level_from_string (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (effort_levels); i++)
    if (g_str_equal (name, effort_levels[i].name))
      return effort_levels[i].level;
  return 0;
}

/* "effort": {"via", "levels", "default"}. */
static gboolean
read_effort (ByokModel   *self,
             JsonObject  *object,
             const char  *where,
             GError     **error)
{
  static const char * const members[] = { "via", "levels", "default", NULL };
  JsonObject *effort = NULL;
  g_autofree char *via = NULL;
  g_auto(GStrv) levels = NULL;
  gboolean found = FALSE;

  if (!byok_json_expect_object (object, "effort", FALSE, where, &effort, error))
    return FALSE;
  if (effort == NULL)
    return TRUE;
  self->params_set = TRUE;
  if (!byok_json_expect_members (effort, members, where, error) ||
      !byok_json_expect_string (effort, "via", TRUE, where, &via, error) ||
      !byok_json_expect_strv (effort, "levels", where, &levels, error) ||
      !byok_json_expect_string (effort, "default", FALSE, where, &self->effort_default, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (effort_vias); i++)
    {
      if (g_str_equal (via, effort_vias[i].name))
        {
          self->effort_via = effort_vias[i].via;
          found = TRUE;
        }
    }
  if (!found)
    {
      byok_json_set_malformed (error, where,
                               _("unknown effort “via” “%s” (known: reasoning_effort, adaptive, budget, level, openrouter)"),
                               via);
      return FALSE;
    }

  if (levels == NULL || levels[0] == NULL)
    {
      byok_json_set_malformed (error, where, _("“effort” needs its “levels”"));
      return FALSE;
    }
  for (guint i = 0; levels[i] != NULL; i++)
    {
      ByokEffortLevels level = effort_level_from_string (levels[i]);

      if (level == 0)
        {
          byok_json_set_malformed (error, where,
                                   _("unknown effort level “%s” (known: none, minimal, low, medium, high, xhigh, max)"),
                                   levels[i]);
          return FALSE;
        }
      self->effort_levels |= level;
    }
  if (self->effort_default != NULL &&
      (effort_level_from_string (self->effort_default) & self->effort_levels) == 0)
    {
      byok_json_set_malformed (error, where,
                               _("the effort “default” must be one of its “levels”"));
      return FALSE;
    }
  return TRUE;
}

#define LOCAL_SUFFIX " (local)"

/* A provider or model on this computer is named "… (local)" in the
 * catalog: the suffix is said in the person's language ("Ollama (lokal)"),
 * the name before it stays as it is. */
void
_byok_model_localize_name (char **name)
{
  g_autofree char *base = NULL;

  if (*name == NULL || !g_str_has_suffix (*name, LOCAL_SUFFIX))
    return;
  base = g_strndup (*name, strlen (*name) - strlen (LOCAL_SUFFIX));
  g_free (*name);
  /* Translators: a provider or model that runs on this computer, such as
   * "Ollama (local)"; %s is its name, which stays as it is */
  *name = g_strdup_printf (_("%s (local)"), base);
}

/* "price_changes": [{"from": "YYYY-MM-DD", "price": {…}, "price_source"}],
 * in date order, each after the catalog's "price_date". */
static gboolean
read_price_changes (ByokModel   *self,
                    JsonObject  *object,
                    const char  *where,
                    GError     **error)
{
  static const char * const members[] = { "from", "price", "price_source", NULL };
  JsonArray *array = NULL;
  const char *last = self->price_date;

  if (!byok_json_expect_array (object, "price_changes", where, &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;
  if (!byok_price_is_known (&self->price))
    {
      byok_json_set_malformed (error, where, _("“price_changes” need a “price” first"));
      return FALSE;
    }

  self->price_changes = g_array_new (FALSE, TRUE, sizeof (PriceChange));
  g_array_set_clear_func (self->price_changes, _byok_price_change_clear);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *change_where = g_strdup_printf ("%s, price change %u", where, i + 1);
      g_autofree char *from = NULL;
      PriceChange change = { { 0, }, };
      JsonObject *change_object;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          byok_json_set_malformed (error, change_where, _("a price change must be an object"));
          return FALSE;
        }
      change_object = json_node_get_object (node);
      if (!byok_json_expect_members (change_object, members, change_where, error) ||
          !byok_json_expect_string (change_object, "from", TRUE, change_where, &from, error) ||
          !byok_json_expect_string (change_object, "price_source", TRUE, change_where,
                                    &change.source, error))
        {
          g_free (change.source);
          return FALSE;
        }
      if (!is_iso_date (from) || (last != NULL && g_strcmp0 (from, last) <= 0))
        {
          g_free (change.source);
          byok_json_set_malformed (error, change_where,
                                   _("“from” must be a date (YYYY-MM-DD) after the one before"));
          return FALSE;
        }
      if (!byok_price_read_json (json_object_get_member (change_object, "price"),
                                 change_where, &change.price, error))
        {
          g_free (change.source);
          return FALSE;
        }
      g_strlcpy (change.from, from, sizeof change.from);
      g_array_append_val (self->price_changes, change);
      last = g_array_index (self->price_changes, PriceChange, self->price_changes->len - 1).from;
    }
  return TRUE;
}

ByokModel *
_byok_model_new_from_json (const char  *provider_id,
                           JsonObject  *object,
                           GError     **error)
{
  static const char * const members[] = {
    "id", "name", "aliases", "context_window", "max_output", "capabilities",
    "recommended_for", "rank", "price", "price_source", "price_date",
    "deprecation_date", "temperature", "effort", "price_changes", "data_price", NULL
  };
  g_autoptr(ByokModel) self = NULL;
  g_autofree char *id = NULL;
  g_autofree char *where = NULL;
  gint64 rank = BYOK_MODEL_NO_RANK;

  g_return_val_if_fail (provider_id != NULL, NULL);
  g_return_val_if_fail (object != NULL, NULL);

  where = g_strdup_printf ("provider “%s”, a model", provider_id);
  if (!byok_json_expect_string (object, "id", TRUE, where, &id, error))
    return NULL;
  g_free (where);
  where = g_strdup_printf ("provider “%s”, model “%s”", provider_id, id);

  self = byok_model_new (provider_id, id);
  self->from_catalog = TRUE;

  if (!byok_json_expect_members (object, members, where, error) ||
      !byok_json_expect_string (object, "name", TRUE, where, &self->name, error) ||
      !byok_json_expect_strv (object, "aliases", where, &self->aliases, error) ||
      !byok_json_expect_int (object, "context_window", TRUE, 1, where,
                             &self->context_window, error) ||
      !byok_json_expect_int (object, "max_output", FALSE, 1, where,
                             &self->max_output, error) ||
      !read_capabilities (object, where, &self->capabilities, error) ||
      !byok_json_expect_strv (object, "recommended_for", where,
                              &self->recommended_for, error) ||
      !byok_json_expect_int (object, "rank", FALSE, 0, where, &rank, error) ||
      !byok_json_expect_string (object, "price_source", FALSE, where,
                                &self->price_source, error) ||
      !byok_json_expect_string (object, "price_date", FALSE, where,
                                &self->price_date, error) ||
      !byok_json_expect_string (object, "deprecation_date", FALSE, where,
                                &self->deprecation_date, error) ||
      !read_temperature (self, object, where, error) ||
      !read_effort (self, object, where, error))
    return NULL;
  _byok_model_localize_name (&self->name);

  if (rank > G_MAXINT)
    rank = G_MAXINT;
  self->rank = (int) rank;

  for (guint i = 0; self->recommended_for != NULL && self->recommended_for[i] != NULL; i++)
    {
      if (!byok_use_case_is_valid (self->recommended_for[i]))
        {
          byok_json_set_malformed (error, where,
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
          byok_json_set_malformed (error, where,
                                   _("a price needs a “price_source”"));
          return NULL;
        }
    }
  if (!read_price_changes (self, object, where, error))
    return NULL;
  if (json_object_has_member (object, "data_price"))
    {
      g_autofree char *data_where = g_strdup_printf ("%s, data_price", where);

      if (!byok_price_read_json (json_object_get_member (object, "data_price"),
                                 data_where, &self->data_price, error))
        return NULL;
      self->has_data_price = TRUE;
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
 * byok_today_utc:
 * @out: (out caller-allocates): 11 bytes
 *
 * Today (UTC) as YYYY-MM-DD, the day the catalog's dates are read
 * against; the environment variable BYOK_TODAY replaces it in tests.
 */
void
byok_today_utc (char out[11])
{
  const char *fixed = g_getenv ("BYOK_TODAY");
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *text = NULL;

  if (fixed != NULL && is_iso_date (fixed))
    {
      g_strlcpy (out, fixed, 11);
      return;
    }
  now = g_date_time_new_now_utc ();
  text = g_date_time_format (now, "%Y-%m-%d");
  g_strlcpy (out, text, 11);
}

/* The announced change in force on @date, or NULL for the catalog's price. */
static const PriceChange *
change_in_force (ByokModel  *self,
                 const char *date)
{
  char today[11];
  const PriceChange *found = NULL;

  if (self->price_changes == NULL)
    return NULL;
  if (date == NULL)
    {
      byok_today_utc (today);
      date = today;
    }
  for (guint i = 0; i < self->price_changes->len; i++)
    {
      const PriceChange *change = &g_array_index (self->price_changes, PriceChange, i);

      if (strncmp (change->from, date, 10) <= 0)
        found = change;
    }
  return found;
}

/**
 * byok_model_is_retired:
 * Returns: TRUE if the model's deprecation date (the day the provider
 *   retires it) has come (UTC)
 */
gboolean
byok_model_is_retired (ByokModel *self)
{
  char today[11];

  g_return_val_if_fail (BYOK_IS_MODEL (self), FALSE);

  if (self->deprecation_date == NULL || *self->deprecation_date == '\0')
    return FALSE;
  byok_today_utc (today);
  return strcmp (self->deprecation_date, today) <= 0;
}

/**
 * byok_model_get_price:
 * Returns: (transfer none): the catalog's price in force today (a change
 *   the provider announced takes over on its date); rates may be unknown
 *   (NAN). The price in force, with the user's overrides, comes from
 *   ByokPricing.
 */
const ByokPrice *
byok_model_get_price (ByokModel *self)
{
  g_return_val_if_fail (BYOK_IS_MODEL (self), NULL);

  return byok_model_get_price_at (self, NULL);
}

/**
 * byok_model_get_price_at:
 * @date: (nullable): a day, YYYY-MM-DD (UTC); NULL for today
 *
 * Returns: (transfer none): the catalog's price on @date
 */
const ByokPrice *
byok_model_get_price_at (ByokModel  *self,
                         const char *date)
{
  const PriceChange *change;

  g_return_val_if_fail (BYOK_IS_MODEL (self), NULL);

  if (self->has_update_price)
    return &self->update_price;
  change = change_in_force (self, date);
  return change != NULL ? &change->price : &self->price;
}

/**
 * byok_model_get_catalog_price:
 * @date: (nullable): a day, YYYY-MM-DD (UTC); NULL for today
 *
 * Returns: (transfer none): the shipped catalog's price on @date, whatever
 *   a price update says
 */
const ByokPrice *
byok_model_get_catalog_price (ByokModel  *self,
                              const char *date)
{
  const PriceChange *change;

  g_return_val_if_fail (BYOK_IS_MODEL (self), NULL);

  change = change_in_force (self, date);
  return change != NULL ? &change->price : &self->price;
}

/**
 * byok_model_get_data_price:
 *
 * Returns: (transfer none) (nullable): the price the maintained price list
 *   gave when the catalog was checked against it, for a model whose
 *   catalog price differs from it on purpose (the provider's page said
 *   otherwise): an update changes such a model only when the list's price
 *   moves
 */
const ByokPrice *
byok_model_get_data_price (ByokModel *self)
{
  g_return_val_if_fail (BYOK_IS_MODEL (self), NULL);

  return self->has_data_price ? &self->data_price : NULL;
}

/**
 * byok_model_set_update_price:
 * @price: (nullable): the price a price update gives; NULL to go back to
 *   the catalog's
 * @source: (nullable): where it comes from
 * @date: (nullable): the day it was applied (YYYY-MM-DD)
 */
void
byok_model_set_update_price (ByokModel       *self,
                             const ByokPrice *price,
                             const char      *source,
                             const char      *date)
{
  g_return_if_fail (BYOK_IS_MODEL (self));

  self->has_update_price = price != NULL;
  if (price != NULL)
    self->update_price = *price;
  g_free (self->update_source);
  self->update_source = price != NULL ? g_strdup (source) : NULL;
  g_free (self->update_date);
  self->update_date = price != NULL ? g_strdup (date) : NULL;
}

/**
 * byok_model_has_update_price:
 * Returns: whether a price update's price is in force
 */
gboolean
byok_model_has_update_price (ByokModel *self)
{
  g_return_val_if_fail (BYOK_IS_MODEL (self), FALSE);

  return self->has_update_price;
}

/**
 * byok_model_get_price_source:
 * Returns: (nullable): where the catalog's price in force today comes from
 */
const char *
byok_model_get_price_source (ByokModel *self)
{
  const PriceChange *change;

  g_return_val_if_fail (BYOK_IS_MODEL (self), NULL);

  if (self->has_update_price)
    return self->update_source;
  change = change_in_force (self, NULL);
  return change != NULL ? change->source : self->price_source;
}

/**
 * byok_model_get_price_date:
 * Returns: (nullable): the date (YYYY-MM-DD) of the price's source, or the
 *   day an announced change took effect
 */
const char *
byok_model_get_price_date (ByokModel *self)
{
  const PriceChange *change;

  g_return_val_if_fail (BYOK_IS_MODEL (self), NULL);

  if (self->has_update_price)
    return self->update_date;
  change = change_in_force (self, NULL);
  return change != NULL ? change->from : self->price_date;
}

/**
 * byok_model_get_next_price_change:
 * @price: (out) (optional): the price from then on
 *
 * Returns: (nullable): the date (YYYY-MM-DD) of the next change the
 *   provider announced, after today
 */
const char *
byok_model_get_next_price_change (ByokModel *self,
                                  ByokPrice *price)
{
  char today[11];

  g_return_val_if_fail (BYOK_IS_MODEL (self), NULL);

  if (self->has_update_price)
    return NULL;
  byok_today_utc (today);
  for (guint i = 0; self->price_changes != NULL && i < self->price_changes->len; i++)
    {
      const PriceChange *change = &g_array_index (self->price_changes, PriceChange, i);

      if (strncmp (change->from, today, 10) > 0)
        {
          if (price != NULL)
            *price = change->price;
          return change->from;
        }
    }
  return NULL;
}

/* Parameters ---------------------------------------------------------------- */

/**
 * byok_model_get_params:
 * @self: (nullable): the model; NULL for one the catalog does not know
 * @dialect: (nullable): the provider's dialect, for its defaults
 * @params: (out): what the model accepts
 *
 * What the catalog says the model accepts; where it says nothing, the
 * dialect's defaults: a temperature from 0 to 2 (OpenAI, Gemini) or 0 to 1
 * (Anthropic), and no effort control.
 */
void
byok_model_get_params (ByokModel       *self,
                       const char      *dialect,
                       ByokModelParams *params)
{
  g_return_if_fail (self == NULL || BYOK_IS_MODEL (self));
  g_return_if_fail (params != NULL);

  memset (params, 0, sizeof *params);
  params->temperature = BYOK_TEMPERATURE_ANY;
  params->temperature_min = 0.0;
  params->temperature_max = g_strcmp0 (dialect, "anthropic") == 0 ? 1.0 : 2.0;
  params->effort_via = BYOK_EFFORT_VIA_NONE;

  if (self == NULL || !self->params_set)
    return;

  params->from_catalog = TRUE;
  params->temperature = self->temperature;
  if (self->temperature != BYOK_TEMPERATURE_FIXED && self->temperature_max > 0)
    {
      params->temperature_min = self->temperature_min;
      params->temperature_max = self->temperature_max;
    }
  params->effort_via = self->effort_via;
  params->effort_levels = self->effort_levels;
  params->effort_default = self->effort_default;
}

/**
 * byok_model_params_pick_effort:
 *
 * The wire level for @effort: the same level when the model takes it,
 * else the nearest it takes (the stronger one first). Never "none".
 *
 * Returns: one ByokEffortLevels bit, or 0 when @effort is the default or
 *   the model has no effort control
 */
ByokEffortLevels
byok_model_params_pick_effort (const ByokModelParams *params,
                               ByokEffort             effort)
{
  /* Indexes into effort_levels[]: none 0, minimal 1, low 2, medium 3, high 4, … */
  int wanted;
  guint accepted;

  g_return_val_if_fail (params != NULL, 0);

  if (effort == BYOK_EFFORT_DEFAULT || params->effort_via == BYOK_EFFORT_VIA_NONE)
    return 0;
  wanted = effort == BYOK_EFFORT_LOW ? 2 : effort == BYOK_EFFORT_MEDIUM ? 3 : 4;
  accepted = params->effort_levels & ~BYOK_EFFORT_LEVEL_NONE;
  for (int distance = 0; accepted != 0 && distance < (int) G_N_ELEMENTS (effort_levels); distance++)
    {
      int up = wanted + distance, down = wanted - distance;

      if (up < (int) G_N_ELEMENTS (effort_levels) && (accepted & effort_levels[up].level))
        return effort_levels[up].level;
      if (down >= 0 && (accepted & effort_levels[down].level))
        return effort_levels[down].level;
    }
  return 0;
}

/**
 * byok_effort_level_to_string:
 * Returns: (nullable): the wire name of one level ("low"), or NULL
 */
const char *
byok_effort_level_to_string (ByokEffortLevels level)
{
  for (guint i = 0; i < G_N_ELEMENTS (effort_levels); i++)
    if (effort_levels[i].level == level)
      return effort_levels[i].name;
  return NULL;
}

/**
 * byok_effort_to_string:
 * Returns: "default", "low", "medium" or "high"
 */
const char *
byok_effort_to_string (ByokEffort effort)
{
  switch (effort)
    {
    case BYOK_EFFORT_LOW: return "low";
    case BYOK_EFFORT_MEDIUM: return "medium";
    case BYOK_EFFORT_HIGH: return "high";
    case BYOK_EFFORT_DEFAULT:
    default: return "default";
    }
}

/**
 * byok_effort_from_string:
 * @str: (nullable): "low", "medium", "high", or "default" (also NULL or "")
 *
 * Returns: FALSE if @str is none of them
 */
gboolean
byok_effort_from_string (const char *str,
                         ByokEffort *effort)
{
  g_return_val_if_fail (effort != NULL, FALSE);

  if (str == NULL || *str == '\0' || g_str_equal (str, "default"))
    *effort = BYOK_EFFORT_DEFAULT;
  else if (g_str_equal (str, "low"))
    *effort = BYOK_EFFORT_LOW;
  else if (g_str_equal (str, "medium"))
    *effort = BYOK_EFFORT_MEDIUM;
  else if (g_str_equal (str, "high"))
    *effort = BYOK_EFFORT_HIGH;
  else
    return FALSE;
  return TRUE;
}

/**
 * byok_effort_get_label:
 * Returns: the translated name of @effort ("Medium")
 */
const char *
byok_effort_get_label (ByokEffort effort)
{
  switch (effort)
    {
    /* Translators: a reasoning effort: how much a model thinks */
    case BYOK_EFFORT_LOW: return C_("effort", "Low");
    /* Translators: a reasoning effort: how much a model thinks */
    case BYOK_EFFORT_MEDIUM: return C_("effort", "Medium");
    /* Translators: a reasoning effort: how much a model thinks */
    case BYOK_EFFORT_HIGH: return C_("effort", "High");
    case BYOK_EFFORT_DEFAULT:
    default:
      /* Translators: a reasoning effort: the model's own default */
      return C_("effort", "Model’s Default");
    }
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
  g_clear_pointer (&self->price_changes, g_array_unref);
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
 * byok_model_is_from_price_data:
 * Returns: TRUE if a price update added the model: the shipped catalog
 *   does not describe it
 */
gboolean
byok_model_is_from_price_data (ByokModel *self)
{
  g_return_val_if_fail (BYOK_IS_MODEL (self), FALSE);

  return self->from_price_data;
}

/**
 * byok_model_new_from_price_data:
 * @name: (nullable): its display name
 * @context_window: its context window, 0 when unknown
 *
 * A model a price update adds: the catalog does not know it.
 *
 * Returns: (transfer full): the model
 */
ByokModel *
byok_model_new_from_price_data (const char *provider_id,
                                const char *id,
                                const char *name,
                                gint64      context_window)
{
  ByokModel *self = byok_model_new (provider_id, id);

  self->from_price_data = TRUE;
  self->name = g_strdup (name);
  self->context_window = MAX (context_window, 0);
  return self;
}

/**
 * byok_model_set_context_window:
 * Sets the context window of a model the catalog does not describe (a
 * price update knows it).
 */
void
byok_model_set_context_window (ByokModel *self,
                               gint64     context_window)
{
  g_return_if_fail (BYOK_IS_MODEL (self));

  self->context_window = MAX (context_window, 0);
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
