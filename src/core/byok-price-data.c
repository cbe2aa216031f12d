/* byok-price-data.c — a maintained file of prices and models */
#define G_LOG_DOMAIN "byok-price-data"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "byok-error.h"
#include "byok-json.h"
#include "byok-model.h"
#include "byok-price-data.h"

/* Rules nest at most this deep; a file holds at most this many models. */
#define MAX_MATCH_DEPTH 16
#define MAX_MODELS      50000
#define READ_CHUNK      (64 * 1024)

struct _ByokPriceData
{
  GObject  parent_instance;

  GArray  *models;   /* of ByokPriceDataModel */
  char    *sha256;
};

G_DEFINE_FINAL_TYPE (ByokPriceData, byok_price_data, G_TYPE_OBJECT)

/* The file's providers Byok knows, and the most a million tokens of
 * anything could cost there: a price above it is a mistake or an attack
 * (the dearest in December 2026: OpenAI's o1-pro at $600 of output). */
static const struct {
  const char *file_id;
  const char *byok_id;
  double      bound;
} providers[] = {
  { "openai", "openai", 2000 },
  { "anthropic", "anthropic", 1000 },
  { "google", "gemini", 1000 },
  { "deepseek", "deepseek", 100 },
  { "moonshotai", "moonshot", 200 },
  { "zai", "zhipu", 200 },
  { "openrouter", "openrouter", 2000 },
  { "groq", "groq", 100 },
  { "mistral", "mistral", 200 },
  { "x-ai", "xai", 1000 },
};

static const char *
byok_provider_of (const char *file_id)
{
  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    if (g_str_equal (file_id, providers[i].file_id))
      return providers[i].byok_id;
  return NULL;
}

/**
 * byok_price_data_get_bound:
 * @provider: Byok's provider id
 *
 * Returns: the highest price per million tokens a file may give a model of
 *   @provider; 0 for a provider no file speaks of
 */
double
byok_price_data_get_bound (const char *provider)
{
  for (guint i = 0; provider != NULL && i < G_N_ELEMENTS (providers); i++)
    if (g_str_equal (provider, providers[i].byok_id))
      return providers[i].bound;
  return 0;
}

/* Object --------------------------------------------------------------------- */

/**
 * byok_price_data_model_clear:
 * Frees what @model holds (not @model).
 */
void
byok_price_data_model_clear (ByokPriceDataModel *model)
{
  g_clear_pointer (&model->provider, g_free);
  g_clear_pointer (&model->id, g_free);
  g_clear_pointer (&model->name, g_free);
  g_clear_pointer (&model->match, json_node_unref);
}

static void
byok_price_data_finalize (GObject *object)
{
  ByokPriceData *self = BYOK_PRICE_DATA (object);

  g_array_unref (self->models);
  g_free (self->sha256);

  G_OBJECT_CLASS (byok_price_data_parent_class)->finalize (object);
}

static void
byok_price_data_class_init (ByokPriceDataClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = byok_price_data_finalize;
}

static void
byok_price_data_init (ByokPriceData *self)
{
  self->models = g_array_new (FALSE, TRUE, sizeof (ByokPriceDataModel));
  g_array_set_clear_func (self->models, (GDestroyNotify) byok_price_data_model_clear);
}

/**
 * byok_price_data_new:
 * Returns: (transfer full): data with no models, to fill with
 *   byok_price_data_add_model()
 */
ByokPriceData *
byok_price_data_new (void)
{
  return g_object_new (BYOK_TYPE_PRICE_DATA, NULL);
}

/**
 * byok_price_data_add_model:
 * Adds a copy of @model.
 */
void
byok_price_data_add_model (ByokPriceData            *self,
                           const ByokPriceDataModel *model)
{
  ByokPriceDataModel copy = *model;

  g_return_if_fail (BYOK_IS_PRICE_DATA (self));
  g_return_if_fail (model->provider != NULL && model->id != NULL);

  copy.provider = g_strdup (model->provider);
  copy.id = g_strdup (model->id);
  copy.name = g_strdup (model->name);
  copy.match = model->match != NULL ? json_node_copy (model->match) : NULL;
  g_array_append_val (self->models, copy);
}

guint
byok_price_data_get_n_models (ByokPriceData *self)
{
  g_return_val_if_fail (BYOK_IS_PRICE_DATA (self), 0);

  return self->models->len;
}

/**
 * byok_price_data_get_model:
 * Returns: (transfer none): the model at @index, in the file's order
 */
const ByokPriceDataModel *
byok_price_data_get_model (ByokPriceData *self,
                           guint          index)
{
  g_return_val_if_fail (BYOK_IS_PRICE_DATA (self), NULL);
  g_return_val_if_fail (index < self->models->len, NULL);

  return &g_array_index (self->models, ByokPriceDataModel, index);
}

/**
 * byok_price_data_get_sha256:
 * Returns: (nullable): the SHA-256 of the file it was read from
 */
const char *
byok_price_data_get_sha256 (ByokPriceData *self)
{
  g_return_val_if_fail (BYOK_IS_PRICE_DATA (self), NULL);

  return self->sha256;
}

/* Match rules ---------------------------------------------------------------- */

/* Compiled rules, shared by every file: the same few dozen patterns. */
static GRegex *
cached_regex (const char *pattern)
{
  static GMutex lock;
  static GHashTable *cache;
  GRegex *regex;

  g_mutex_lock (&lock);
  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_regex_unref);
  regex = g_hash_table_lookup (cache, pattern);
  if (regex == NULL)
    {
      regex = g_regex_new (pattern, G_REGEX_DEFAULT, G_REGEX_MATCH_DEFAULT, NULL);
      if (regex != NULL)
        g_hash_table_insert (cache, g_strdup (pattern), regex);
    }
  if (regex != NULL)
    g_regex_ref (regex);
  g_mutex_unlock (&lock);
  return regex;
}

static const char *
clause_string (JsonObject *clause,
               const char *name)
{
  JsonNode *node = json_object_get_member (clause, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A rule is one of {"equals"|"starts_with"|"ends_with"|"contains"|"regex":
 * STRING} or {"or"|"and": [RULE, …]}. */
static gboolean
match_is_valid (JsonNode *node,
                guint     depth)
{
  JsonObject *clause;
  JsonNode *list;
  const char *text;
  g_autoptr(GRegex) regex = NULL;

  if (depth > MAX_MATCH_DEPTH || node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  clause = json_node_get_object (node);
  if (json_object_get_size (clause) != 1)
    return FALSE;

  if ((list = json_object_get_member (clause, "or")) != NULL ||
      (list = json_object_get_member (clause, "and")) != NULL)
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (list))
        return FALSE;
      array = json_node_get_array (list);
      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!match_is_valid (json_array_get_element (array, i), depth + 1))
          return FALSE;
      return TRUE;
    }
  if ((text = clause_string (clause, "regex")) != NULL)
    return (regex = cached_regex (text)) != NULL;
  return clause_string (clause, "equals") != NULL || clause_string (clause, "starts_with") != NULL ||
         clause_string (clause, "ends_with") != NULL || clause_string (clause, "contains") != NULL;
}

static gboolean
match_eval (JsonNode   *node,
            const char *id)
{
  JsonObject *clause = json_node_get_object (node);
  JsonNode *list;
  const char *text;

  if ((list = json_object_get_member (clause, "or")) != NULL)
    {
      JsonArray *array = json_node_get_array (list);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (match_eval (json_array_get_element (array, i), id))
          return TRUE;
      return FALSE;
    }
  if ((list = json_object_get_member (clause, "and")) != NULL)
    {
      JsonArray *array = json_node_get_array (list);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!match_eval (json_array_get_element (array, i), id))
          return FALSE;
      return json_array_get_length (array) > 0;
    }
  if ((text = clause_string (clause, "equals")) != NULL)
    return g_str_equal (id, text);
  if ((text = clause_string (clause, "starts_with")) != NULL)
    return g_str_has_prefix (id, text);
  if ((text = clause_string (clause, "ends_with")) != NULL)
    return g_str_has_suffix (id, text);
  if ((text = clause_string (clause, "contains")) != NULL)
    return strstr (id, text) != NULL;
  if ((text = clause_string (clause, "regex")) != NULL)
    {
      g_autoptr(GRegex) regex = cached_regex (text);

      return regex != NULL && g_regex_match (regex, id, G_REGEX_MATCH_DEFAULT, NULL);
    }
  return FALSE;
}

/**
 * byok_price_data_model_matches:
 * Returns: whether @model_id is @model: its id, or an id its rule matches
 */
gboolean
byok_price_data_model_matches (const ByokPriceDataModel *model,
                               const char               *model_id)
{
  g_return_val_if_fail (model != NULL, FALSE);

  if (model_id == NULL)
    return FALSE;
  if (g_strcmp0 (model->id, model_id) == 0)
    return TRUE;
  return model->match != NULL && match_eval (model->match, model_id);
}

/**
 * byok_price_data_find:
 * @model_id: an id as the provider or the catalog gives it
 *
 * Returns: (transfer none) (nullable): the first model of @provider whose
 *   id or rule matches @model_id, as genai-prices looks them up
 */
const ByokPriceDataModel *
byok_price_data_find (ByokPriceData *self,
                      const char    *provider,
                      const char    *model_id)
{
  g_return_val_if_fail (BYOK_IS_PRICE_DATA (self), NULL);

  if (provider == NULL || model_id == NULL)
    return NULL;
  /* The exact id first: "gpt-4o-mini" before a rule "starts_with gpt-4o". */
  for (guint i = 0; i < self->models->len; i++)
    {
      const ByokPriceDataModel *model = &g_array_index (self->models, ByokPriceDataModel, i);

      if (g_str_equal (model->provider, provider) && g_str_equal (model->id, model_id))
        return model;
    }
  for (guint i = 0; i < self->models->len; i++)
    {
      const ByokPriceDataModel *model = &g_array_index (self->models, ByokPriceDataModel, i);

      if (g_str_equal (model->provider, provider) && byok_price_data_model_matches (model, model_id))
        return model;
    }
  return NULL;
}

/**
 * byok_price_data_match_to_string:
 * Returns: (transfer full) (nullable): the model's rule as JSON
 */
char *
byok_price_data_match_to_string (const ByokPriceDataModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);

  return model->match != NULL ? json_to_string (model->match, FALSE) : NULL;
}

/**
 * byok_price_data_match_from_string:
 * @text: (nullable): a rule as byok_price_data_match_to_string() wrote it
 *
 * Returns: FALSE, leaving @model without a rule, when @text is not one
 */
gboolean
byok_price_data_match_from_string (ByokPriceDataModel *model,
                                   const char         *text)
{
  JsonNode *node;

  g_return_val_if_fail (model != NULL, FALSE);

  g_clear_pointer (&model->match, json_node_unref);
  if (text == NULL)
    return TRUE;
  node = byok_json_parse (text, strlen (text), NULL);
  if (node == NULL || !match_is_valid (node, 0))
    {
      g_clear_pointer (&node, json_node_unref);
      return FALSE;
    }
  model->match = node;
  return TRUE;
}

/* Reading a file -------------------------------------------------------------- */

typedef struct {
  const char *provider;   /* Byok's id */
  double      bound;
  const char *model;      /* for messages */
  GError    **error;
} Reader;

static gboolean G_GNUC_PRINTF (2, 3)
refuse (Reader     *reader,
        const char *format,
        ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  if (reader->model != NULL)
    /* Translators: the first %s is a provider id ("openai"), the second a model id, the third what is wrong */
    g_set_error (reader->error, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                 _("The price list is refused: %s, model “%s”: %s. Nothing of it was used."),
                 reader->provider, reader->model, what);
  else
    g_set_error (reader->error, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                 _("The price list is refused: %s. Nothing of it was used."), what);
  return FALSE;
}

/* A price per million tokens: a number from 0 to the provider's bound. */
static gboolean
read_number (Reader     *reader,
             JsonNode   *node,
             const char *key,
             gboolean    bounded,
             double     *out)
{
  GType type = node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node)
                                                           : G_TYPE_INVALID;
  double value;

  if (type == G_TYPE_INT64)
    value = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    value = json_node_get_double (node);
  else
    /* Translators: %s is the name of a price in the file ("input_mtok") */
    return refuse (reader, _("“%s” is not a number"), key);

  if (!isfinite (value) || value < 0)
    /* Translators: %s is the name of a price in the file ("input_mtok") */
    return refuse (reader, _("“%s” is negative or not a finite number"), key);
  if (bounded && value > reader->bound)
    /* Translators: %s is the name of a price in the file, %g the most Byok accepts */
    return refuse (reader, _("“%s” is above $%g per million tokens, more than any model of this provider costs"),
                   key, reader->bound);
  *out = value;
  return TRUE;
}

/* One price: a number, or {"base": N, "tiers": [{"start": T, "price": N}, …]}. */
typedef struct {
  double base;
  guint  n_tiers;
  gint64 starts[BYOK_PRICE_MAX_TIERS];
  double prices[BYOK_PRICE_MAX_TIERS];
} Rate;

static gboolean
read_rate (Reader     *reader,
           JsonNode   *node,
           const char *key,
           gboolean    bounded,
           Rate       *rate)
{
  JsonObject *object;
  JsonNode *tiers_node;
  JsonArray *tiers;

  memset (rate, 0, sizeof *rate);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return read_number (reader, node, key, bounded, &rate->base);

  object = json_node_get_object (node);
  tiers_node = json_object_get_member (object, "tiers");
  if (!read_number (reader, json_object_get_member (object, "base"), key, bounded, &rate->base))
    return FALSE;
  if (tiers_node == NULL || !JSON_NODE_HOLDS_ARRAY (tiers_node))
    /* Translators: %s is the name of a price in the file ("input_mtok") */
    return refuse (reader, _("“%s” has no list of tiers"), key);
  tiers = json_node_get_array (tiers_node);
  for (guint i = 0; i < json_array_get_length (tiers); i++)
    {
      JsonNode *tier = json_array_get_element (tiers, i);
      JsonNode *start;
      double price;

      if (!JSON_NODE_HOLDS_OBJECT (tier))
        return refuse (reader, _("“%s” has a tier that is not an object"), key);
      start = json_object_get_member (json_node_get_object (tier), "start");
      if (start == NULL || !JSON_NODE_HOLDS_VALUE (start) ||
          json_node_get_value_type (start) != G_TYPE_INT64 || json_node_get_int (start) < 1)
        /* Translators: %s is the name of a price in the file ("input_mtok") */
        return refuse (reader, _("“%s” has a tier without a whole number of tokens to start from"), key);
      if (!read_number (reader, json_object_get_member (json_node_get_object (tier), "price"),
                        key, bounded, &price))
        return FALSE;
      /* Byok keeps four thresholds; later ones are rare and left out. */
      if (rate->n_tiers < BYOK_PRICE_MAX_TIERS)
        {
          rate->starts[rate->n_tiers] = json_node_get_int (start);
          rate->prices[rate->n_tiers] = price;
          rate->n_tiers++;
        }
    }
  return TRUE;
}

/* The rate of a tiered price once a prompt is above @above tokens. */
static double
rate_above (const Rate *rate,
            gint64      above)
{
  double value = rate->base;

  for (guint i = 0; i < rate->n_tiers; i++)
    if (rate->starts[i] <= above)
      value = rate->prices[i];
  return value;
}

/* Every member of a price object is checked; Byok keeps four of them. */
static gboolean
read_price (Reader     *reader,
            JsonNode   *node,
            ByokPrice  *price)
{
  static const char * const names[] = { "input_mtok", "cache_read_mtok", "cache_write_mtok", "output_mtok" };
  Rate rates[G_N_ELEMENTS (names)];
  gboolean known[G_N_ELEMENTS (names)] = { FALSE, };
  gint64 starts[BYOK_PRICE_MAX_TIERS * G_N_ELEMENTS (names)];
  guint n_starts = 0;
  JsonObjectIter iter;
  const char *key;
  JsonNode *member;
  double values[G_N_ELEMENTS (names)];

  byok_price_init (price);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return refuse (reader, _("a price is not an object"));

  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &key, &member))
    {
      Rate rate;
      gboolean ours = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          if (!g_str_equal (key, names[i]))
            continue;
          ours = TRUE;
          if (!read_rate (reader, member, key, TRUE, &rates[i]))
            return FALSE;
          known[i] = TRUE;
        }
      /* Audio, images, searches: not Byok's, but numbers all the same. */
      if (!ours && !read_rate (reader, member, key, FALSE, &rate))
        return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      values[i] = known[i] ? rates[i].base : BYOK_PRICE_UNKNOWN;
      for (guint t = 0; known[i] && t < rates[i].n_tiers; t++)
        {
          gboolean seen = FALSE;

          for (guint s = 0; s < n_starts; s++)
            seen |= starts[s] == rates[i].starts[t];
          if (!seen)
            starts[n_starts++] = rates[i].starts[t];
        }
    }
  byok_price_init_flat (price, values[0], values[1], values[2], values[3]);

  /* Tiers of the price: one per threshold any rate has, each rate at its
   * own value there. */
  for (guint pass = 0; pass < n_starts && price->n_tiers < BYOK_PRICE_MAX_TIERS; pass++)
    {
      gint64 next = G_MAXINT64;
      gint64 last = price->n_tiers > 0 ? price->tiers[price->n_tiers - 1].above_input_tokens : 0;

      for (guint s = 0; s < n_starts; s++)
        if (starts[s] > last && starts[s] < next)
          next = starts[s];
      if (next == G_MAXINT64)
        break;
      if (!byok_price_add_tier (price, next,
                                known[0] ? rate_above (&rates[0], next) : BYOK_PRICE_UNKNOWN,
                                known[1] ? rate_above (&rates[1], next) : BYOK_PRICE_UNKNOWN,
                                known[2] ? rate_above (&rates[2], next) : BYOK_PRICE_UNKNOWN,
                                known[3] ? rate_above (&rates[3], next) : BYOK_PRICE_UNKNOWN,
                                NULL))
        break;
    }
  return TRUE;
}

/* "prices": one price, or [{"constraint"?: …, "prices": …}, …] of which the
 * last in force on @today wins. A price by time of day (DeepSeek's peak
 * hours) is checked but not taken: Byok prices by the day. */
static gboolean
read_prices (Reader     *reader,
             JsonNode   *node,
             const char *today,
             ByokPrice  *price)
{
  JsonArray *array;
  gboolean found = FALSE;

  if (node == NULL)
    return refuse (reader, _("it has no prices"));
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return read_price (reader, node, price);

  byok_price_init (price);
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *conditional;
      JsonNode *constraint;
      const char *type = NULL;
      ByokPrice candidate;
      gboolean applies = TRUE;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return refuse (reader, _("a conditional price is not an object"));
      conditional = json_node_get_object (element);
      if (!read_price (reader, json_object_get_member (conditional, "prices"), &candidate))
        return FALSE;

      constraint = json_object_get_member (conditional, "constraint");
      if (constraint != NULL && !JSON_NODE_HOLDS_NULL (constraint))
        {
          if (!JSON_NODE_HOLDS_OBJECT (constraint))
            return refuse (reader, _("a price’s constraint is not an object"));
          type = clause_string (json_node_get_object (constraint), "type");
          if (g_strcmp0 (type, "start_date") == 0)
            {
              const char *start = clause_string (json_node_get_object (constraint), "start_date");

              if (start == NULL || strlen (start) < 10)
                return refuse (reader, _("a price’s start date is not a date"));
              applies = strncmp (start, today, 10) <= 0;
            }
          else if (g_strcmp0 (type, "time_of_date") == 0)
            applies = FALSE;
          else
            return refuse (reader, _("a price has a constraint Byok does not know"));
        }
      if (applies)
        {
          *price = candidate;
          found = TRUE;
        }
    }
  if (!found)
    byok_price_init (price);
  return TRUE;
}

/* Embeddings, speech, images, moderation, fine-tunes, free tiers: not
 * models to chat with. */
static gboolean
looks_like_chat (const ByokPriceDataModel *model)
{
  static const char * const not_chat[] = {
    "embed", "tts", "transcri", "whisper", "realtime", "audio", "image", "moderation", "ocr",
    "dall-e", "search", "computer-use", "voice", "live", "rerank", "ft:", ":free", "guard",
    "-latest", NULL
  };
  g_autofree char *id = g_ascii_strdown (model->id, -1);

  if (model->name == NULL || model->deprecated ||
      !byok_price_rate_is_known (model->price.input) || !byok_price_rate_is_known (model->price.output))
    return FALSE;
  for (guint i = 0; not_chat[i] != NULL; i++)
    if (strstr (id, not_chat[i]) != NULL)
      return FALSE;
  return TRUE;
}

static gboolean
read_model (Reader              *reader,
            JsonNode            *node,
            const char          *today,
            ByokPriceDataModel  *model)
{
  JsonObject *object;
  JsonNode *member;
  const char *id;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return refuse (reader, _("a model is not an object"));
  object = json_node_get_object (node);
  id = clause_string (object, "id");
  if (id == NULL || *id == '\0' || strlen (id) > 256)
    return refuse (reader, _("a model has no id"));
  reader->model = id;

  model->provider = g_strdup (reader->provider);
  model->id = g_strdup (id);

  member = json_object_get_member (object, "name");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (clause_string (object, "name") == NULL)
        return refuse (reader, _("its name is not text"));
      model->name = g_strdup (clause_string (object, "name"));
    }

  member = json_object_get_member (object, "match");
  if (member == NULL || !match_is_valid (member, 0))
    return refuse (reader, _("its rule for the ids it goes by is not one Byok can read"));
  model->match = json_node_copy (member);

  member = json_object_get_member (object, "context_window");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_INT64 ||
          json_node_get_int (member) < 1 || json_node_get_int (member) > 100000000)
        return refuse (reader, _("its context window is not a number of tokens from 1 to 100 million"));
      model->context_window = json_node_get_int (member);
    }

  member = json_object_get_member (object, "deprecated");
  if (member != NULL && JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_BOOLEAN)
    model->deprecated = json_node_get_boolean (member);

  if (!read_prices (reader, json_object_get_member (object, "prices"), today, &model->price))
    return FALSE;
  model->chat = looks_like_chat (model);
  reader->model = NULL;
  return TRUE;
}

/**
 * byok_price_data_new_from_bytes:
 * @bytes: the file
 * @today: (nullable): the day (YYYY-MM-DD, UTC) whose prices to take;
 *   NULL for today
 *
 * Reads a price data file (genai-prices' v2 format), whole or not at all.
 *
 * Returns: (transfer full) (nullable): the data of the providers Byok
 *   knows, or NULL with BYOK_ERROR_MALFORMED saying what is wrong
 */
ByokPriceData *
byok_price_data_new_from_bytes (GBytes      *bytes,
                                const char  *today,
                                GError     **error)
{
  g_autoptr(ByokPriceData) self = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  Reader reader = { NULL, 0, NULL, error };
  char day[11];
  const char *data;
  gsize size;
  JsonArray *array;
  guint n_models = 0;
  guint n_known = 0;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  if (size > BYOK_PRICE_DATA_MAX_SIZE)
    {
      refuse (&reader, _("it is larger than %u MB"), BYOK_PRICE_DATA_MAX_SIZE / (1024 * 1024));
      return NULL;
    }
  if (size == 0)
    {
      refuse (&reader, _("it is empty"));
      return NULL;
    }
  root = byok_json_parse (data, size, &local_error);
  if (root == NULL)
    {
      /* Translators: %s says why the JSON could not be read */
      refuse (&reader, _("it is not valid JSON (%s)"), local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      refuse (&reader, _("it is not a list of providers"));
      return NULL;
    }

  if (today == NULL)
    {
      byok_today_utc (day);
      today = day;
    }

  self = byok_price_data_new ();
  self->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *provider;
      JsonNode *models_node;
      JsonArray *models;
      const char *file_id;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          refuse (&reader, _("a provider is not an object"));
          return NULL;
        }
      provider = json_node_get_object (node);
      file_id = clause_string (provider, "id");
      models_node = json_object_get_member (provider, "models");
      if (file_id == NULL || models_node == NULL || !JSON_NODE_HOLDS_ARRAY (models_node))
        {
          refuse (&reader, _("a provider has no id or no list of models"));
          return NULL;
        }
      models = json_node_get_array (models_node);
      n_models += json_array_get_length (models);
      if (n_models > MAX_MODELS)
        {
          refuse (&reader, _("it has more than %u models"), MAX_MODELS);
          return NULL;
        }

      reader.provider = byok_provider_of (file_id);
      if (reader.provider == NULL)
        continue;
      reader.bound = byok_price_data_get_bound (reader.provider);
      n_known++;

      for (guint j = 0; j < json_array_get_length (models); j++)
        {
          ByokPriceDataModel model = { NULL, };

          if (!read_model (&reader, json_array_get_element (models, j), today, &model))
            {
              byok_price_data_model_clear (&model);
              return NULL;
            }
          g_array_append_val (self->models, model);
        }
      reader.provider = NULL;
    }

  if (n_known == 0)
    {
      refuse (&reader, _("it has no prices of a provider Byok knows"));
      return NULL;
    }

  g_debug ("price data %s: %u models of %u providers Byok knows",
           self->sha256, self->models->len, n_known);
  return g_steal_pointer (&self);
}

/* Fetching --------------------------------------------------------------------- */

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * byok_price_data_source_is_allowed:
 * @source: an https:// address, or a file's path
 * @is_url: (out) (optional): whether it is an address
 *
 * A price list comes from https (or http on this computer, for tests) or
 * from a file; nothing else.
 *
 * Returns: FALSE with BYOK_ERROR_INVALID saying why
 */
gboolean
byok_price_data_source_is_allowed (const char  *source,
                                   gboolean    *is_url,
                                   GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (is_url != NULL)
    *is_url = FALSE;
  if (source == NULL || *source == '\0')
    {
      g_set_error_literal (error, BYOK_ERROR, BYOK_ERROR_INVALID, _("No price list was given."));
      return FALSE;
    }
  if (strstr (source, "://") == NULL)
    return TRUE;

  if (is_url != NULL)
    *is_url = TRUE;
  uri = g_uri_parse (source, SOUP_HTTP_URI_FLAGS, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (scheme != NULL && g_ascii_strcasecmp (scheme, "https") == 0 &&
      g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0')
    return TRUE;
  if (scheme != NULL && g_ascii_strcasecmp (scheme, "http") == 0 && host_is_loopback (g_uri_get_host (uri)))
    return TRUE;
  g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
               _("“%s” is not an https address. Byok fetches price lists over https only."), source);
  return FALSE;
}

typedef struct {
  char           *source;
  SoupSession    *session;
  SoupMessage    *message;
  GInputStream   *stream;
  GByteArray     *body;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_free (fetch->source);
  g_clear_object (&fetch->stream);
  g_clear_object (&fetch->message);
  g_clear_object (&fetch->session);
  g_clear_pointer (&fetch->body, g_byte_array_unref);
  g_free (fetch);
}

static void
parse_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GBytes *bytes = task_data;
  GError *error = NULL;
  ByokPriceData *data = byok_price_data_new_from_bytes (bytes, NULL, &error);

  if (data == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, data, g_object_unref);
}

/* The bytes are here: read them in a worker thread. */
static void
parse_bytes (GTask  *task,
             GBytes *bytes)
{
  g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, parse_in_thread);
}

/* A fetch that failed: stopped, or the network's fault. */
static ByokErrorCode
fetch_error_code (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? BYOK_ERROR_CANCELLED : BYOK_ERROR_NETWORK;
}

static gboolean
too_big (GTask *task)
{
  g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                           _("The price list is refused: it is larger than %u MB. Nothing of it was used."),
                           BYOK_PRICE_DATA_MAX_SIZE / (1024 * 1024));
  return FALSE;
}

static void read_more (GTask *task);

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_object_get_data (G_OBJECT (task), "fetch");
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      g_task_return_new_error (task, BYOK_ERROR, fetch_error_code (error),
                               _("The price list could not be read from %s: %s"),
                               fetch->source, error->message);
      g_error_free (error);
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      g_autoptr(GBytes) body = g_byte_array_free_to_bytes (g_steal_pointer (&fetch->body));

      parse_bytes (task, body);
      return;
    }
  if (fetch->body->len + g_bytes_get_size (chunk) > BYOK_PRICE_DATA_MAX_SIZE)
    {
      /* Stop reading: the rest is never downloaded. */
      g_input_stream_close_async (fetch->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      too_big (task);
      return;
    }
  g_byte_array_append (fetch->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  read_more (g_steal_pointer (&task));
}

static void
read_more (GTask *task)
{
  Fetch *fetch = g_object_get_data (G_OBJECT (task), "fetch");

  g_input_stream_read_bytes_async (fetch->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb, task);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_object_get_data (G_OBJECT (task), "fetch");
  GError *error = NULL;
  guint status;
  goffset length;

  fetch->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (fetch->stream == NULL)
    {
      g_task_return_new_error (task, BYOK_ERROR, fetch_error_code (error),
                               _("The price list could not be fetched from %s: %s"),
                               fetch->source, error->message);
      g_error_free (error);
      return;
    }

  status = soup_message_get_status (fetch->message);
  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_NETWORK,
                               _("%s sent the price list elsewhere (HTTP %u); Byok fetches it only from the address set."),
                               fetch->source, status);
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_NETWORK,
                               _("The price list could not be fetched from %s (HTTP %u)."),
                               fetch->source, status);
      return;
    }

  /* Refused before a byte of it is read when it says it is too large. */
  length = soup_message_headers_get_content_length (soup_message_get_response_headers (fetch->message));
  if (length > BYOK_PRICE_DATA_MAX_SIZE)
    {
      g_input_stream_close_async (fetch->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      too_big (task);
      return;
    }

  fetch->body = g_byte_array_sized_new (length > 0 ? (guint) length : READ_CHUNK);
  read_more (g_steal_pointer (&task));
}

static void
file_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_object_get_data (G_OBJECT (task), "fetch");
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  bytes = g_file_load_bytes_finish (G_FILE (source), result, NULL, &error);
  if (bytes == NULL)
    {
      g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_STORAGE,
                               _("The price list %s could not be read: %s"), fetch->source, error->message);
      g_error_free (error);
      return;
    }
  parse_bytes (task, bytes);
}

static void
file_info_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_object_get_data (G_OBJECT (task), "fetch");
  g_autoptr(GFileInfo) info = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  info = g_file_query_info_finish (G_FILE (source), result, &error);
  if (info == NULL)
    {
      g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_STORAGE,
                               _("The price list %s could not be read: %s"), fetch->source, error->message);
      g_error_free (error);
      return;
    }
  if (g_file_info_get_size (info) > BYOK_PRICE_DATA_MAX_SIZE)
    {
      too_big (task);
      return;
    }
  cancellable = g_task_get_cancellable (task);
  g_file_load_bytes_async (G_FILE (source), cancellable, file_loaded_cb, g_steal_pointer (&task));
}

/**
 * byok_price_data_fetch_async:
 * @source: an https address (http on this computer), or a file's path
 *
 * Fetches and reads a price list (byok_price_data_new_from_bytes(), in a
 * worker thread). An address is asked once, with no redirect followed and
 * no more than BYOK_PRICE_DATA_MAX_SIZE bytes read.
 */
void
byok_price_data_fetch_async (const char          *source,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  GError *error = NULL;
  Fetch *fetch;
  gboolean is_url;

  g_task_set_source_tag (task, byok_price_data_fetch_async);
  if (!byok_price_data_source_is_allowed (source, &is_url, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  fetch = g_new0 (Fetch, 1);
  fetch->source = g_strdup (source);
  g_object_set_data_full (G_OBJECT (task), "fetch", fetch, (GDestroyNotify) fetch_free);

  if (!is_url)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (source);

      g_file_query_info_async (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                               G_PRIORITY_DEFAULT, cancellable, file_info_cb, g_steal_pointer (&task));
      return;
    }

  fetch->session = soup_session_new_with_options ("timeout", 60, "user-agent", "Byok/" PACKAGE_VERSION, NULL);
  fetch->message = soup_message_new ("GET", source);
  soup_message_add_flags (fetch->message, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (fetch->message), "Accept", "application/json");
  soup_session_send_async (fetch->session, fetch->message, G_PRIORITY_DEFAULT, cancellable,
                           sent_cb, g_steal_pointer (&task));
}

/**
 * byok_price_data_fetch_finish:
 *
 * Returns: (transfer full) (nullable): the price list, or NULL with
 *   BYOK_ERROR_INVALID (not an allowed source), BYOK_ERROR_NETWORK,
 *   BYOK_ERROR_STORAGE (a file), BYOK_ERROR_MALFORMED (refused whole) or
 *   BYOK_ERROR_CANCELLED
 */
ByokPriceData *
byok_price_data_fetch_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
