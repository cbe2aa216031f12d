/* byok-catalog.c — the providers and models Byok knows */
#define G_LOG_DOMAIN "byok-catalog"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "byok-catalog-private.h"
#include "byok-error.h"
#include "byok-glib-private.h"
#include "byok-json.h"
#include "byok-model-private.h"
#include "byok-provider-private.h"

#define CATALOG_VERSION 1

struct _ByokCatalog
{
  GObject       parent_instance;

  GPtrArray    *providers;  /* ByokProvider, in catalog order */
  GHashTable   *by_id;      /* id → ByokProvider (borrowed from providers) */
  GHashTable   *models;     /* provider id → GPtrArray of ByokModel */
  ByokProvider *custom_template;

  /* The price list in force (a price update), and how to name it. */
  ByokPriceData *price_data;
  char          *price_data_source;
  char          *price_data_date;
};

G_DEFINE_FINAL_TYPE (ByokCatalog, byok_catalog, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void apply_listed (ByokCatalog *self,
                          ByokModel   *model);

/* GObject ------------------------------------------------------------------ */

static void
byok_catalog_dispose (GObject *object)
{
  ByokCatalog *self = BYOK_CATALOG (object);

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->models, g_hash_table_unref);
  g_clear_pointer (&self->providers, g_ptr_array_unref);
  g_clear_object (&self->custom_template);
  g_clear_object (&self->price_data);
  g_clear_pointer (&self->price_data_source, g_free);
  g_clear_pointer (&self->price_data_date, g_free);

  G_OBJECT_CLASS (byok_catalog_parent_class)->dispose (object);
}

static void
byok_catalog_class_init (ByokCatalogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = byok_catalog_dispose;

  /**
   * ByokCatalog::changed:
   *
   * Emitted when a custom provider is added or removed, or a model listing
   * was merged.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
byok_catalog_init (ByokCatalog *self)
{
  self->providers = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_ptr_array_unref);
}

/* Loading ------------------------------------------------------------------ */

static GPtrArray *
models_of (ByokCatalog *self,
           const char  *provider_id)
{
  return provider_id != NULL ? g_hash_table_lookup (self->models, provider_id) : NULL;
}

static ByokModel *
find_in (GPtrArray  *models,
         const char *model_id)
{
  for (guint i = 0; models != NULL && i < models->len; i++)
    {
      ByokModel *model = g_ptr_array_index (models, i);

      if (byok_model_matches (model, model_id))
        return model;
    }
  return NULL;
}

static gboolean
load_models (ByokCatalog   *self,
             ByokProvider  *provider,
             JsonObject    *object,
             GPtrArray     *models,
             GError       **error)
{
  const char *provider_id = byok_provider_get_id (provider);
  g_autofree char *where = g_strdup_printf ("provider “%s”", provider_id);
  JsonArray *array = NULL;

  if (!byok_json_expect_array (object, "models", where, &array, error))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autoptr(ByokModel) model = NULL;
      const char * const *aliases;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          byok_json_set_malformed (error, where, _("model %u must be an object"), i + 1);
          return FALSE;
        }

      model = _byok_model_new_from_json (provider_id, json_node_get_object (node), error);
      if (model == NULL)
        return FALSE;

      if (find_in (models, byok_model_get_id (model)) != NULL)
        {
          byok_json_set_malformed (error, where, _("model “%s” is there twice"),
                                   byok_model_get_id (model));
          return FALSE;
        }
      aliases = byok_model_get_aliases (model);
      for (guint j = 0; aliases[j] != NULL; j++)
        {
          if (find_in (models, aliases[j]) != NULL)
            {
              byok_json_set_malformed (error, where,
                                       _("alias “%s” of model “%s” names another model"),
                                       aliases[j], byok_model_get_id (model));
              return FALSE;
            }
        }

      g_ptr_array_add (models, g_steal_pointer (&model));
    }

  return TRUE;
}

static gboolean
load_root (ByokCatalog  *self,
           JsonNode     *root,
           GError      **error)
{
  static const char * const members[] = { "version", "providers", NULL };
  JsonObject *object;
  JsonArray *array = NULL;
  gint64 version = 0;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      byok_json_set_malformed (error, "catalog", _("the top level must be an object"));
      return FALSE;
    }
  object = json_node_get_object (root);

  if (!byok_json_expect_members (object, members, "catalog", error) ||
      !byok_json_expect_int (object, "version", TRUE, 1, "catalog", &version, error))
    return FALSE;
  if (version != CATALOG_VERSION)
    {
      byok_json_set_malformed (error, "catalog",
                               _("version %" PRId64 " is not supported (this Byok reads version %d)"),
                               version, CATALOG_VERSION);
      return FALSE;
    }

  if (!byok_json_expect_array (object, "providers", "catalog", &array, error))
    return FALSE;
  if (array == NULL || json_array_get_length (array) == 0)
    {
      byok_json_set_malformed (error, "catalog", _("“providers” is missing or empty"));
      return FALSE;
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autoptr(ByokProvider) provider = NULL;
      g_autoptr(GPtrArray) models = NULL;
      JsonObject *provider_object;
      const char *id;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          byok_json_set_malformed (error, "catalog", _("provider %u must be an object"), i + 1);
          return FALSE;
        }
      provider_object = json_node_get_object (node);

      provider = _byok_provider_new_from_json (provider_object, error);
      if (provider == NULL)
        return FALSE;
      id = byok_provider_get_id (provider);

      if (g_hash_table_contains (self->by_id, id) ||
          (self->custom_template != NULL &&
           g_str_equal (byok_provider_get_id (self->custom_template), id)))
        {
          byok_json_set_malformed (error, "catalog", _("provider “%s” is there twice"), id);
          return FALSE;
        }

      models = g_ptr_array_new_with_free_func (g_object_unref);
      if (!load_models (self, provider, provider_object, models, error))
        return FALSE;

      if (byok_provider_is_custom (provider))
        {
          g_autofree char *where = g_strdup_printf ("provider “%s”", id);

          if (self->custom_template != NULL)
            {
              byok_json_set_malformed (error, "catalog",
                                       _("only one provider may be the custom template"));
              return FALSE;
            }
          if (models->len > 0)
            {
              byok_json_set_malformed (error, where,
                                       _("the custom template cannot have models"));
              return FALSE;
            }
          self->custom_template = g_steal_pointer (&provider);
          continue;
        }

      g_hash_table_insert (self->by_id, (gpointer) id, provider);
      g_hash_table_insert (self->models, g_strdup (id), g_steal_pointer (&models));
      g_ptr_array_add (self->providers, g_steal_pointer (&provider));
    }

  return TRUE;
}

static gboolean
load_data (ByokCatalog  *self,
           const char   *data,
           gssize        length,
           GError      **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;

  if (!byok_json_load (parser, data, length, &local_error) ||
      !load_root (self, json_parser_get_root (parser), &local_error))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                   _("The provider catalog is not valid (%s). Reinstall Byok, or correct the catalog."),
                   local_error->message);
      return FALSE;
    }

  g_debug ("catalog: %u providers", self->providers->len);
  return TRUE;
}

/**
 * byok_catalog_new_from_data:
 * @data: catalog JSON
 * @length: its length, or -1 if it is NUL-terminated
 *
 * Returns: (transfer full) (nullable): the catalog, or NULL with
 *   BYOK_ERROR_MALFORMED naming what is wrong
 */
ByokCatalog *
byok_catalog_new_from_data (const char  *data,
                            gssize       length,
                            GError     **error)
{
  g_autoptr(ByokCatalog) self = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  self = g_object_new (BYOK_TYPE_CATALOG, NULL);
  if (!load_data (self, data, length, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * byok_catalog_new_from_file:
 *
 * Returns: (transfer full) (nullable): the catalog, or NULL with
 *   BYOK_ERROR_STORAGE if the file cannot be read, BYOK_ERROR_MALFORMED if
 *   it is not a valid catalog
 */
ByokCatalog *
byok_catalog_new_from_file (const char  *path,
                            GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE,
                   _("The provider catalog could not be read (%s). Check that the file exists and is readable."),
                   local_error->message);
      return NULL;
    }
  return byok_catalog_new_from_data (contents, (gssize) length, error);
}

/**
 * _byok_catalog_to_variant:
 *
 * The catalog's providers and models as its JSON gave them (a catalog just
 * read: byok-catalog-compile writes it at build time), for
 * new_shipped() to read back.
 *
 * Returns: (transfer floating): a value of _BYOK_CATALOG_VARIANT_TYPE
 */
GVariant *
_byok_catalog_to_variant (ByokCatalog *self)
{
  GVariantBuilder builder;

  g_return_val_if_fail (BYOK_IS_CATALOG (self), NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE (_BYOK_CATALOG_VARIANT_TYPE));
  for (guint i = 0; i <= self->providers->len; i++)
    {
      ByokProvider *provider = i < self->providers->len ? g_ptr_array_index (self->providers, i)
                                                        : self->custom_template;
      GPtrArray *models = provider != NULL ? models_of (self, byok_provider_get_id (provider)) : NULL;

      if (provider == NULL)
        continue;
      g_variant_builder_open (&builder,
                              G_VARIANT_TYPE ("(" _BYOK_PROVIDER_VARIANT_TYPE "a" _BYOK_MODEL_VARIANT_TYPE ")"));
      g_variant_builder_add_value (&builder, _byok_provider_to_variant (provider));
      g_variant_builder_open (&builder, G_VARIANT_TYPE ("a" _BYOK_MODEL_VARIANT_TYPE));
      for (guint j = 0; models != NULL && j < models->len; j++)
        g_variant_builder_add_value (&builder, _byok_model_to_variant (g_ptr_array_index (models, j)));
      g_variant_builder_close (&builder);
      g_variant_builder_close (&builder);
    }
  return g_variant_builder_end (&builder);
}

/* The shipped catalog, compiled (byok-catalog-compile): every provider,
 * and unless @providers_only each one's models. Random access: a
 * provider's models left out are never read. */
static ByokCatalog *
new_shipped (gboolean providers_only)
{
  ByokCatalog *self = g_object_new (BYOK_TYPE_CATALOG, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) catalog = NULL;
  gsize n;

  bytes = g_resources_lookup_data (BYOK_CATALOG_RESOURCE_PATH, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL)
    {
      g_critical ("The shipped provider catalog is missing: %s", error->message);
      return self;
    }

  /* Trusted: written by this build's byok-catalog-compile. */
  catalog = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (_BYOK_CATALOG_VARIANT_TYPE),
                                                          bytes, TRUE));
  n = g_variant_n_children (catalog);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) entry = g_variant_get_child_value (catalog, i);
      g_autoptr(GVariant) provider_variant = g_variant_get_child_value (entry, 0);
      ByokProvider *provider = _byok_provider_new_from_variant (provider_variant);
      const char *id = byok_provider_get_id (provider);
      GPtrArray *models = g_ptr_array_new_with_free_func (g_object_unref);

      if (!providers_only)
        {
          g_autoptr(GVariant) model_variants = g_variant_get_child_value (entry, 1);
          gsize n_models = g_variant_n_children (model_variants);

          for (gsize j = 0; j < n_models; j++)
            {
              g_autoptr(GVariant) model = g_variant_get_child_value (model_variants, j);

              g_ptr_array_add (models, _byok_model_new_from_variant (id, model));
            }
        }

      if (byok_provider_is_custom (provider))
        {
          g_clear_object (&self->custom_template);
          self->custom_template = provider;
          g_ptr_array_unref (models);
          continue;
        }
      g_hash_table_insert (self->by_id, (gpointer) id, provider);
      g_hash_table_insert (self->models, g_strdup (id), models);
      g_ptr_array_add (self->providers, provider);
    }

  g_debug ("catalog: %u providers", self->providers->len);
  return self;
}

/**
 * byok_catalog_new_default:
 *
 * The catalog shipped with Byok. It is part of the program, read and
 * checked when Byok was built (byok-catalog-compile): it cannot be missing
 * or broken in a correct build; if it is missing, a critical warning is
 * logged and the catalog is empty.
 *
 * Returns: (transfer full): the shipped catalog
 */
ByokCatalog *
byok_catalog_new_default (void)
{
  return new_shipped (FALSE);
}

/**
 * byok_catalog_new_default_providers:
 *
 * The shipped catalog's providers, every one as byok_catalog_new_default()
 * has it, but without their models: for a caller that shows providers and
 * no model (byok-cli's listings of providers and keys), spared reading the
 * models, most of the catalog. Such a catalog knows no model, so it prices
 * nothing: it is no catalog to chat with.
 *
 * Returns: (transfer full): the shipped catalog's providers
 */
ByokCatalog *
byok_catalog_new_default_providers (void)
{
  return new_shipped (TRUE);
}

static gpointer
new_default_thread (gpointer data)
{
  return byok_catalog_new_default ();
}

/**
 * byok_catalog_new_default_in_thread:
 *
 * Starts reading the shipped catalog (byok_catalog_new_default()) in a
 * thread of its own, for a caller with other work to do meanwhile (the
 * database to open).
 *
 * Returns: (transfer full): the thread; g_thread_join() returns the
 *   catalog (transfer full)
 */
GThread *
byok_catalog_new_default_in_thread (void)
{
  return g_thread_new ("byok-catalog", new_default_thread, NULL);
}

/* Providers ---------------------------------------------------------------- */

/**
 * byok_catalog_get_providers:
 * Returns: (transfer full) (element-type ByokProvider): the providers in
 *   catalog order, custom providers last; the template is not among them
 */
GPtrArray *
byok_catalog_get_providers (ByokCatalog *self)
{
  GPtrArray *providers;

  g_return_val_if_fail (BYOK_IS_CATALOG (self), NULL);

  providers = g_ptr_array_new_full (self->providers->len, g_object_unref);
  for (guint i = 0; i < self->providers->len; i++)
    g_ptr_array_add (providers, g_object_ref (g_ptr_array_index (self->providers, i)));
  return providers;
}

/**
 * byok_catalog_lookup_provider:
 * Returns: (transfer none) (nullable): the provider with this id (the
 *   custom template for "custom"), or NULL
 */
ByokProvider *
byok_catalog_lookup_provider (ByokCatalog *self,
                              const char  *provider_id)
{
  ByokProvider *provider;

  g_return_val_if_fail (BYOK_IS_CATALOG (self), NULL);

  if (provider_id == NULL)
    return NULL;
  provider = g_hash_table_lookup (self->by_id, provider_id);
  if (provider == NULL && self->custom_template != NULL &&
      g_str_equal (provider_id, byok_provider_get_id (self->custom_template)))
    provider = self->custom_template;
  return provider;
}

/**
 * byok_catalog_get_custom_template:
 * Returns: (transfer none) (nullable): the "custom" template of the catalog
 */
ByokProvider *
byok_catalog_get_custom_template (ByokCatalog *self)
{
  g_return_val_if_fail (BYOK_IS_CATALOG (self), NULL);

  return self->custom_template;
}

static gboolean
custom_id_is_valid (const char *id)
{
  if (id == NULL || !g_ascii_isalnum (*id) || strlen (id) > 64)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    {
      if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) &&
          *p != '-' && *p != '_' && *p != '.')
        return FALSE;
    }
  return TRUE;
}

/**
 * byok_catalog_add_custom_provider:
 * @id: a new id: lowercase letters, digits, "-", "_", "."; at most 64
 * @name: (nullable): the display name; the id when NULL or empty
 * @base_url: the http(s) base URL of its OpenAI-compatible API
 * @needs_key: whether it takes a bearer key
 *
 * Returns: (transfer none) (nullable): the new provider, or NULL with
 *   BYOK_ERROR_INVALID saying what to change
 */
ByokProvider *
byok_catalog_add_custom_provider (ByokCatalog  *self,
                                  const char   *id,
                                  const char   *name,
                                  const char   *base_url,
                                  gboolean      needs_key,
                                  GError      **error)
{
  g_autofree char *url = NULL;
  ByokProvider *provider;

  g_return_val_if_fail (BYOK_IS_CATALOG (self), NULL);

  if (!custom_id_is_valid (id))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("“%s” cannot be a provider id. Use lowercase letters, digits, “-”, “_” and “.”, starting with a letter or digit."),
                   id != NULL ? id : "");
      return NULL;
    }
  if (byok_catalog_lookup_provider (self, id) != NULL)
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("A provider with the id “%s” exists already. Choose another id."), id);
      return NULL;
    }

  url = base_url != NULL ? g_strstrip (g_strdup (base_url)) : NULL;
  if (!byok_provider_url_is_http (url))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("“%s” is not an http or https address. Enter the base URL of the OpenAI-compatible API, such as http://localhost:8080/v1."),
                   url != NULL ? url : "");
      return NULL;
    }

  provider = byok_provider_new_custom (id, name, url, needs_key);
  g_ptr_array_add (self->providers, provider);
  g_hash_table_insert (self->by_id, (gpointer) byok_provider_get_id (provider), provider);
  g_hash_table_insert (self->models, g_strdup (id),
                       g_ptr_array_new_with_free_func (g_object_unref));

  g_debug ("custom provider %s added", id);
  g_signal_emit (self, signals[CHANGED], 0);
  return provider;
}

/**
 * byok_catalog_lookup_custom_provider:
 * @id: (nullable): a provider id
 *
 * Finds a provider the person added, one that can be removed.
 *
 * Returns: (transfer none) (nullable): the provider; or %NULL with
 *   BYOK_ERROR_NOT_FOUND for an unknown id, or BYOK_ERROR_INVALID for a
 *   provider of the catalog
 */
ByokProvider *
byok_catalog_lookup_custom_provider (ByokCatalog  *self,
                                     const char   *id,
                                     GError      **error)
{
  ByokProvider *provider;

  g_return_val_if_fail (BYOK_IS_CATALOG (self), NULL);

  provider = id != NULL ? g_hash_table_lookup (self->by_id, id) : NULL;
  if (provider == NULL)
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_NOT_FOUND,
                   _("There is no provider “%s”."), id != NULL ? id : "");
      return NULL;
    }
  if (!byok_provider_is_custom (provider))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("“%s” is built into Byok and cannot be removed. Turn it off instead."),
                   byok_provider_get_name (provider));
      return NULL;
    }
  return provider;
}

/**
 * byok_catalog_remove_custom_provider:
 *
 * Returns: FALSE with BYOK_ERROR_NOT_FOUND for an unknown id, or
 *   BYOK_ERROR_INVALID for a provider of the catalog
 */
gboolean
byok_catalog_remove_custom_provider (ByokCatalog  *self,
                                     const char   *id,
                                     GError      **error)
{
  ByokProvider *provider;

  g_return_val_if_fail (BYOK_IS_CATALOG (self), FALSE);

  provider = byok_catalog_lookup_custom_provider (self, id, error);
  if (provider == NULL)
    return FALSE;

  g_hash_table_remove (self->models, id);
  g_hash_table_remove (self->by_id, id);
  g_debug ("custom provider %s removed", id);
  g_ptr_array_remove (self->providers, provider);  /* drops the last ref */
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

/* Models ------------------------------------------------------------------- */

/**
 * byok_catalog_get_models:
 * Returns: (transfer full) (element-type ByokModel): the models of the
 *   provider, catalog models first in catalog order, then those only its
 *   listing named; empty for an unknown provider
 */
GPtrArray *
byok_catalog_get_models (ByokCatalog *self,
                         const char  *provider_id)
{
  GPtrArray *models;
  GPtrArray *result;

  g_return_val_if_fail (BYOK_IS_CATALOG (self), NULL);

  models = models_of (self, provider_id);
  result = g_ptr_array_new_full (models != NULL ? models->len : 0, g_object_unref);
  for (guint i = 0; models != NULL && i < models->len; i++)
    g_ptr_array_add (result, g_object_ref (g_ptr_array_index (models, i)));
  return result;
}

/**
 * byok_catalog_get_all_models:
 * Returns: (transfer full) (element-type ByokModel): the models of every
 *   provider, provider by provider as byok_catalog_get_models() gives them
 */
GPtrArray *
byok_catalog_get_all_models (ByokCatalog *self)
{
  GPtrArray *result;

  g_return_val_if_fail (BYOK_IS_CATALOG (self), NULL);

  result = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint p = 0; p < self->providers->len; p++)
    {
      GPtrArray *models = models_of (self, byok_provider_get_id (g_ptr_array_index (self->providers, p)));

      for (guint i = 0; models != NULL && i < models->len; i++)
        g_ptr_array_add (result, g_object_ref (g_ptr_array_index (models, i)));
    }
  return result;
}

/* Ids a listing or a user may give for a catalog model: Gemini lists
 * "models/ID"; Ollama adds ":latest". */
static ByokModel *
lookup_in (ByokCatalog *self,
           const char  *provider_id,
           const char  *model_id)
{
  GPtrArray *models = models_of (self, provider_id);
  ByokModel *model;

  if (models == NULL || model_id == NULL || *model_id == '\0')
    return NULL;

  model = find_in (models, model_id);
  if (model == NULL && g_str_has_prefix (model_id, "models/"))
    model = find_in (models, model_id + strlen ("models/"));
  if (model == NULL && g_str_has_suffix (model_id, ":latest"))
    {
      g_autofree char *bare = g_strndup (model_id, strlen (model_id) - strlen (":latest"));

      model = find_in (models, bare);
    }
  return model;
}

/**
 * byok_catalog_lookup_model:
 *
 * Finds a model of the provider by id or alias (also "models/ID" and
 * "ID:latest").
 *
 * Returns: (transfer none) (nullable): the model, or NULL
 */
ByokModel *
byok_catalog_lookup_model (ByokCatalog *self,
                           const char  *provider_id,
                           const char  *model_id)
{
  g_return_val_if_fail (BYOK_IS_CATALOG (self), NULL);

  return lookup_in (self, provider_id, model_id);
}

/**
 * byok_catalog_find_model:
 * @model_id: "MODEL" or "PROVIDER/MODEL"
 *
 * Finds a model in any provider. "PROVIDER/MODEL" is tried first as a
 * provider id and a model of it (so "openrouter/openai/gpt-4o" is
 * OpenRouter's "openai/gpt-4o"); otherwise the first provider in catalog
 * order that has the id wins.
 *
 * Returns: (transfer none) (nullable): the model, or NULL
 */
ByokModel *
byok_catalog_find_model (ByokCatalog *self,
                         const char  *model_id)
{
  const char *slash;

  g_return_val_if_fail (BYOK_IS_CATALOG (self), NULL);

  if (model_id == NULL || *model_id == '\0')
    return NULL;

  slash = strchr (model_id, '/');
  if (slash != NULL && slash != model_id)
    {
      g_autofree char *provider_id = g_strndup (model_id, slash - model_id);
      ByokModel *model = lookup_in (self, provider_id, slash + 1);

      if (model != NULL)
        return model;
    }

  for (guint i = 0; i < self->providers->len; i++)
    {
      ByokProvider *provider = g_ptr_array_index (self->providers, i);
      ByokModel *model = lookup_in (self, byok_provider_get_id (provider), model_id);

      if (model != NULL)
        return model;
    }

  return NULL;
}

static int
compare_model_ids (gconstpointer a,
                   gconstpointer b)
{
  return g_strcmp0 (byok_model_get_id (*(ByokModel * const *) a),
                    byok_model_get_id (*(ByokModel * const *) b));
}

/**
 * byok_catalog_merge_models:
 * @model_ids: (array zero-terminated=1): the ids a provider's model listing
 *   returned
 *
 * Marks the provider's catalog models as listed or not, and adds listed
 * models the catalog does not know, with the context window and prices
 * the price list in force gives them (byok_catalog_set_price_data()), or
 * unknown ones — except for a local provider (Ollama), whose models cost
 * nothing.
 * Catalog models keep their metadata; models added by an earlier listing
 * stay, marked as not listed.
 *
 * Returns: how many models were added
 */
guint
byok_catalog_merge_models (ByokCatalog        *self,
                           const char         *provider_id,
                           const char * const *model_ids)
{
  ByokProvider *provider;
  GPtrArray *models;
  g_autoptr(GPtrArray) added = NULL;

  g_return_val_if_fail (BYOK_IS_CATALOG (self), 0);

  provider = provider_id != NULL ? g_hash_table_lookup (self->by_id, provider_id) : NULL;
  models = models_of (self, provider_id);
  if (provider == NULL || models == NULL)
    {
      g_debug ("model listing for unknown provider %s ignored", provider_id);
      return 0;
    }

  for (guint i = 0; i < models->len; i++)
    byok_model_set_listed (g_ptr_array_index (models, i), FALSE);

  added = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; model_ids != NULL && model_ids[i] != NULL; i++)
    {
      const char *id = model_ids[i];
      ByokModel *model;

      if (g_str_has_prefix (id, "models/"))
        id += strlen ("models/");
      if (*id == '\0')
        continue;

      model = lookup_in (self, provider_id, id);
      if (model == NULL)
        model = find_in (added, id);
      if (model == NULL)
        {
          model = byok_model_new (provider_id, id);
          if (byok_provider_is_local (provider))
            {
              ByokPrice free_price;

              byok_price_init_flat (&free_price, 0.0, 0.0, 0.0, 0.0);
              byok_model_set_price (model, &free_price,
                                    "local model on your computer: no charge", NULL);
            }
          else
            apply_listed (self, model);
          g_ptr_array_add (added, model);
        }
      byok_model_set_listed (model, TRUE);
    }

  g_ptr_array_sort (added, compare_model_ids);
  for (guint i = 0; i < added->len; i++)
    g_ptr_array_add (models, g_object_ref (g_ptr_array_index (added, i)));

  g_debug ("merged the listing of %s: %u new models", provider_id, added->len);
  g_signal_emit (self, signals[CHANGED], 0);
  return added->len;
}

/* Price lists -------------------------------------------------------------- */

/* A model the catalog does not describe takes what the price list knows. */
static void
apply_listed (ByokCatalog *self,
              ByokModel   *model)
{
  const ByokPriceDataModel *known;

  if (self->price_data == NULL)
    return;
  known = byok_price_data_find (self->price_data, byok_model_get_provider_id (model),
                                byok_model_get_id (model));
  if (known == NULL)
    return;
  if (byok_model_get_context_window (model) == 0)
    byok_model_set_context_window (model, known->context_window);
  if (byok_price_is_known (&known->price))
    byok_model_set_update_price (model, &known->price, self->price_data_source, self->price_data_date);
}

/**
 * byok_catalog_find_price_data_model:
 * @model: a model of the catalog
 *
 * Returns: (transfer none) (nullable): the model of @data that @model is:
 *   the first whose rule matches its id, or one of its aliases
 */
const ByokPriceDataModel *
byok_catalog_find_price_data_model (ByokPriceData *data,
                                    ByokModel     *model)
{
  const ByokPriceDataModel *found;
  const char * const *aliases;

  g_return_val_if_fail (BYOK_IS_PRICE_DATA (data), NULL);
  g_return_val_if_fail (BYOK_IS_MODEL (model), NULL);

  found = byok_price_data_find (data, byok_model_get_provider_id (model), byok_model_get_id (model));
  aliases = byok_model_get_aliases (model);
  for (guint i = 0; found == NULL && aliases[i] != NULL; i++)
    found = byok_price_data_find (data, byok_model_get_provider_id (model), aliases[i]);
  return found;
}

/**
 * byok_catalog_price_data_takes:
 * @known: the price list's model of @model
 *
 * Returns: whether the price list's price replaces the catalog's: it is
 *   known, and not the one the catalog was checked against and differs
 *   from on purpose (byok_model_get_data_price())
 */
gboolean
byok_catalog_price_data_takes (ByokModel                *model,
                               const ByokPriceDataModel *known)
{
  const ByokPrice *checked;

  g_return_val_if_fail (BYOK_IS_MODEL (model), FALSE);
  g_return_val_if_fail (known != NULL, FALSE);

  if (!byok_price_is_known (&known->price))
    return FALSE;
  checked = byok_model_get_data_price (model);
  return checked == NULL || !byok_price_equal (checked, &known->price);
}

/**
 * byok_catalog_price_data_is_new:
 *
 * Returns: whether @known is a model to chat with that no model of the
 *   catalog is (OpenRouter's hundreds are looked up, never added)
 */
gboolean
byok_catalog_price_data_is_new (ByokCatalog              *self,
                                const ByokPriceDataModel *known)
{
  GPtrArray *models;

  g_return_val_if_fail (BYOK_IS_CATALOG (self), FALSE);
  g_return_val_if_fail (known != NULL, FALSE);

  if (!known->chat || g_str_equal (known->provider, "openrouter"))
    return FALSE;
  models = models_of (self, known->provider);
  for (guint i = 0; models != NULL && i < models->len; i++)
    {
      ByokModel *model = g_ptr_array_index (models, i);
      const char * const *aliases = byok_model_get_aliases (model);

      if (byok_model_is_from_price_data (model))
        continue;
      if (byok_price_data_model_matches (known, byok_model_get_id (model)))
        return FALSE;
      for (guint j = 0; aliases[j] != NULL; j++)
        if (byok_price_data_model_matches (known, aliases[j]))
          return FALSE;
    }
  return TRUE;
}

/**
 * byok_catalog_set_price_data:
 * @data: (nullable): the price list in force; NULL for the catalog alone
 * @source: (nullable): how to name it, as a model's price source
 * @date: (nullable): the day it was applied (YYYY-MM-DD)
 *
 * Puts a price update in force: the catalog's models take the list's
 * prices (byok_catalog_price_data_takes()), models to chat with the
 * catalog lacks are added, and models a provider listed take the list's
 * price and context window. The last list's additions go. The person's
 * own prices are ByokPricing's and stay over all of it.
 */
void
byok_catalog_set_price_data (ByokCatalog   *self,
                             ByokPriceData *data,
                             const char    *source,
                             const char    *date)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (BYOK_IS_CATALOG (self));
  g_return_if_fail (data == NULL || BYOK_IS_PRICE_DATA (data));

  g_set_object (&self->price_data, data);
  g_free (self->price_data_source);
  self->price_data_source = g_strdup (source);
  g_free (self->price_data_date);
  self->price_data_date = g_strdup (date);

  g_hash_table_iter_init (&iter, self->models);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GPtrArray *models = value;

      for (guint i = models->len; i > 0; i--)
        {
          ByokModel *model = g_ptr_array_index (models, i - 1);
          const ByokPriceDataModel *known;

          /* What the last list added goes, unless a listing named it. */
          if (byok_model_is_from_price_data (model) && !byok_model_is_listed (model))
            {
              g_ptr_array_remove_index (models, i - 1);
              continue;
            }
          byok_model_set_update_price (model, NULL, NULL, NULL);
          if (data == NULL)
            continue;
          if (!byok_model_is_from_catalog (model))
            {
              apply_listed (self, model);
              continue;
            }
          known = byok_catalog_find_price_data_model (data, model);
          if (known != NULL && byok_catalog_price_data_takes (model, known))
            byok_model_set_update_price (model, &known->price, source, date);
        }
    }

  for (guint i = 0; data != NULL && i < byok_price_data_get_n_models (data); i++)
    {
      const ByokPriceDataModel *known = byok_price_data_get_model (data, i);
      GPtrArray *models = models_of (self, known->provider);
      ByokModel *model;

      if (models == NULL || find_in (models, known->id) != NULL ||
          !byok_catalog_price_data_is_new (self, known))
        continue;
      model = byok_model_new_from_price_data (known->provider, known->id, known->name,
                                              known->context_window);
      byok_model_set_update_price (model, &known->price, source, date);
      g_ptr_array_add (models, model);
    }

  g_debug ("price list %s in force", data != NULL ? byok_price_data_get_sha256 (data) : "(none)");
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * byok_catalog_get_price_data:
 * Returns: (transfer none) (nullable): the price list in force
 */
ByokPriceData *
byok_catalog_get_price_data (ByokCatalog *self)
{
  g_return_val_if_fail (BYOK_IS_CATALOG (self), NULL);

  return self->price_data;
}
