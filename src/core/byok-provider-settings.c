/* byok-provider-settings.c — what the user changed about each provider */
#define G_LOG_DOMAIN "byok-settings"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "byok-error.h"
#include "byok-provider-settings.h"

struct _ByokProviderSettings
{
  GObject       parent_instance;

  ByokDatabase *database;
};

G_DEFINE_FINAL_TYPE (ByokProviderSettings, byok_provider_settings, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const known_keys[] = {
  BYOK_PROVIDER_SETTING_BASE_URL,
  BYOK_PROVIDER_SETTING_ENDPOINT,
  BYOK_PROVIDER_SETTING_AZURE_ENDPOINT,
  BYOK_PROVIDER_SETTING_AZURE_DEPLOYMENT,
  BYOK_PROVIDER_SETTING_AZURE_API_VERSION,
  BYOK_PROVIDER_SETTING_ENABLED,
  BYOK_PROVIDER_SETTING_DEFAULT_MODEL,
  BYOK_PROVIDER_SETTING_PREFER_ENVIRONMENT,
  BYOK_PROVIDER_SETTING_ALLOW_HTTP,
  BYOK_PROVIDER_SETTING_BALANCE,
  BYOK_PROVIDER_SETTING_BALANCE_LOW,
  NULL
};

static void
byok_provider_settings_finalize (GObject *object)
{
  ByokProviderSettings *self = BYOK_PROVIDER_SETTINGS (object);

  g_clear_object (&self->database);

  G_OBJECT_CLASS (byok_provider_settings_parent_class)->finalize (object);
}

static void
byok_provider_settings_class_init (ByokProviderSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = byok_provider_settings_finalize;

  /**
   * ByokProviderSettings::changed:
   * @provider_id: the provider
   * @key: (nullable): the setting (BYOK_PROVIDER_SETTING_*); %NULL when a
   *   custom provider was added or removed
   *
   * A setting was written.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
byok_provider_settings_init (ByokProviderSettings *self)
{
}

/**
 * byok_provider_settings_new:
 * @database: the open database
 *
 * Returns: (transfer full): settings kept in @database
 */
ByokProviderSettings *
byok_provider_settings_new (ByokDatabase *database)
{
  ByokProviderSettings *self;

  g_return_val_if_fail (BYOK_IS_DATABASE (database), NULL);

  self = g_object_new (BYOK_TYPE_PROVIDER_SETTINGS, NULL);
  self->database = g_object_ref (database);
  return self;
}

/**
 * byok_provider_settings_get_database:
 * Returns: (transfer none): the database
 */
ByokDatabase *
byok_provider_settings_get_database (ByokProviderSettings *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER_SETTINGS (self), NULL);

  return self->database;
}

/* ── helpers ───────────────────────────────────────────────────────────── */

/* NULL, "" and spaces alone are "not set"; otherwise the stripped text. */
static char *
dup_stripped (const char *text)
{
  char *value;

  if (text == NULL)
    return NULL;
  value = g_strstrip (g_strdup (text));
  if (*value == '\0')
    g_clear_pointer (&value, g_free);
  return value;
}

static gboolean
check_url (const char  *url,
           GError     **error)
{
  if (byok_provider_url_is_http (url))
    return TRUE;
  g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
               _("“%s” is not an http or https address. Enter a base URL such as https://api.example.com/v1."),
               url);
  return FALSE;
}

static gboolean
is_azure (ByokProvider *provider)
{
  return byok_provider_get_azure_api_version (provider) != NULL;
}

static gboolean
parse_bool (const char *value,
            gboolean    fallback)
{
  if (value == NULL)
    return fallback;
  return g_str_equal (value, "1") || g_ascii_strcasecmp (value, "true") == 0;
}

static gboolean
is_alt_base_url (ByokProvider *provider,
                 const char   *url)
{
  return url != NULL && g_strv_contains (byok_provider_get_alt_base_urls (provider), url);
}

/* ── raw values ────────────────────────────────────────────────────────── */

/**
 * byok_provider_settings_dup_value:
 * @key: one of BYOK_PROVIDER_SETTING_*
 *
 * A database error is logged and taken as "not set".
 *
 * Returns: (transfer full) (nullable): the stored value, or %NULL
 */
char *
byok_provider_settings_dup_value (ByokProviderSettings *self,
                                  const char           *provider_id,
                                  const char           *key)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  char *value = NULL;
  int rc;

  g_return_val_if_fail (BYOK_IS_PROVIDER_SETTINGS (self), NULL);
  g_return_val_if_fail (provider_id != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  stmt = byok_database_prepare_cached (self->database,
                                       "SELECT value FROM provider_settings "
                                       "WHERE provider = ?1 AND key = ?2",
                                       &error);
  if (stmt == NULL)
    {
      g_warning ("%s", error->message);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, provider_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      byok_database_set_error (&error, byok_database_get_handle (self->database), rc,
                               _("Could not read the provider settings"));
      g_warning ("%s", error->message);
    }
  sqlite3_reset (stmt);
  return value;
}

static gboolean
write_value (ByokProviderSettings  *self,
             const char            *provider_id,
             const char            *key,
             const char            *value,
             GError               **error)
{
  sqlite3_stmt *stmt;

  if (key == NULL || !g_strv_contains (known_keys, key))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("“%s” is not a provider setting."), key != NULL ? key : "");
      return FALSE;
    }

  if (value != NULL)
    stmt = byok_database_prepare_cached (self->database,
                                         "INSERT INTO provider_settings (provider, key, value) "
                                         "VALUES (?1, ?2, ?3) ON CONFLICT (provider, key) "
                                         "DO UPDATE SET value = excluded.value",
                                         error);
  else
    stmt = byok_database_prepare_cached (self->database,
                                         "DELETE FROM provider_settings "
                                         "WHERE provider = ?1 AND key = ?2",
                                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, provider_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  if (value != NULL)
    sqlite3_bind_text (stmt, 3, value, -1, SQLITE_TRANSIENT);
  if (!byok_database_step_done (stmt, byok_database_get_handle (self->database),
                                _("Could not save the provider setting"), error))
    return FALSE;

  g_debug ("%s: %s %s", provider_id, key, value != NULL ? "set" : "cleared");
  return TRUE;
}

/**
 * byok_provider_settings_set_value:
 * @key: one of BYOK_PROVIDER_SETTING_*
 * @value: (nullable): the value; %NULL removes the setting
 *
 * Writes one setting without touching any provider object. Emits
 * ByokProviderSettings::changed.
 *
 * Returns: %FALSE with BYOK_ERROR_INVALID for an unknown key, or
 *   BYOK_ERROR_STORAGE
 */
gboolean
byok_provider_settings_set_value (ByokProviderSettings  *self,
                                  const char            *provider_id,
                                  const char            *key,
                                  const char            *value,
                                  GError               **error)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER_SETTINGS (self), FALSE);
  g_return_val_if_fail (provider_id != NULL, FALSE);

  if (!write_value (self, provider_id, key, value, error))
    return FALSE;
  g_signal_emit (self, signals[CHANGED], 0, provider_id, key);
  return TRUE;
}

/* ── applying to a provider ────────────────────────────────────────────── */

/* The base URL in force from the settings of a catalog provider other than
 * Azure: base_url, else a still-valid endpoint, else the catalog's (NULL). */
static const char *
pick_base_url (ByokProvider *provider,
               const char   *base_url,
               const char   *endpoint)
{
  if (base_url != NULL)
    return base_url;
  if (is_alt_base_url (provider, endpoint))
    return endpoint;
  return NULL;
}

static void
refresh_base_url (ByokProviderSettings *self,
                  ByokProvider         *provider)
{
  const char *id = byok_provider_get_id (provider);
  g_autofree char *base_url = byok_provider_settings_dup_value (self, id, BYOK_PROVIDER_SETTING_BASE_URL);
  g_autofree char *endpoint = byok_provider_settings_dup_value (self, id, BYOK_PROVIDER_SETTING_ENDPOINT);

  byok_provider_set_base_url (provider, pick_base_url (provider, base_url, endpoint));
}

/* ── typed setters ─────────────────────────────────────────────────────── */

static gboolean
update_custom_base_url (ByokProviderSettings  *self,
                        ByokProvider          *provider,
                        const char            *url,
                        GError               **error)
{
  sqlite3_stmt *stmt;

  if (url == NULL)
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("“%s” needs a base URL. Enter the address of its OpenAI-compatible API, such as http://localhost:8080/v1."),
                   byok_provider_get_name (provider));
      return FALSE;
    }
  if (!check_url (url, error))
    return FALSE;

  stmt = byok_database_prepare_cached (self->database,
                                       "UPDATE custom_providers SET base_url = ?2 WHERE id = ?1",
                                       error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, byok_provider_get_id (provider), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, url, -1, SQLITE_TRANSIENT);
  if (!byok_database_step_done (stmt, byok_database_get_handle (self->database),
                                _("Could not save the provider’s base URL"), error))
    return FALSE;

  byok_provider_set_base_url (provider, url);
  g_signal_emit (self, signals[CHANGED], 0, byok_provider_get_id (provider),
                 BYOK_PROVIDER_SETTING_BASE_URL);
  return TRUE;
}

/**
 * byok_provider_settings_set_base_url:
 * @base_url: (nullable): an http or https base URL; %NULL or "" goes back to
 *   the catalog's (or the chosen alternative endpoint)
 *
 * For Azure this is the resource endpoint (as set_azure() with only the
 * endpoint); for a custom provider its one base URL, which cannot be
 * cleared.
 *
 * Returns: %FALSE with BYOK_ERROR_INVALID for a URL that is not http(s),
 *   or BYOK_ERROR_STORAGE
 */
gboolean
byok_provider_settings_set_base_url (ByokProviderSettings  *self,
                                     ByokProvider          *provider,
                                     const char            *base_url,
                                     GError               **error)
{
  g_autofree char *url = dup_stripped (base_url);
  const char *id;

  g_return_val_if_fail (BYOK_IS_PROVIDER_SETTINGS (self), FALSE);
  g_return_val_if_fail (BYOK_IS_PROVIDER (provider), FALSE);

  id = byok_provider_get_id (provider);
  if (byok_provider_is_custom (provider))
    return update_custom_base_url (self, provider, url, error);
  if (is_azure (provider))
    {
      if (url != NULL && !check_url (url, error))
        return FALSE;
      if (!write_value (self, id, BYOK_PROVIDER_SETTING_AZURE_ENDPOINT, url, error))
        return FALSE;
      byok_provider_set_azure_endpoint (provider, url);
      g_signal_emit (self, signals[CHANGED], 0, id, BYOK_PROVIDER_SETTING_AZURE_ENDPOINT);
      return TRUE;
    }

  if (url != NULL && !check_url (url, error))
    return FALSE;
  if (!write_value (self, id, BYOK_PROVIDER_SETTING_BASE_URL, url, error))
    return FALSE;
  refresh_base_url (self, provider);
  g_signal_emit (self, signals[CHANGED], 0, id, BYOK_PROVIDER_SETTING_BASE_URL);
  return TRUE;
}

/**
 * byok_provider_settings_set_endpoint:
 * @alt_base_url: (nullable): one of byok_provider_get_alt_base_urls(), or
 *   %NULL for the provider's main endpoint
 *
 * Chooses an alternative official endpoint (Moonshot China, Zhipu
 * international). A base URL override still wins over it.
 *
 * Returns: %FALSE with BYOK_ERROR_INVALID when @alt_base_url is not one of
 *   the provider's alternatives, or BYOK_ERROR_STORAGE
 */
gboolean
byok_provider_settings_set_endpoint (ByokProviderSettings  *self,
                                     ByokProvider          *provider,
                                     const char            *alt_base_url,
                                     GError               **error)
{
  g_autofree char *url = dup_stripped (alt_base_url);

  g_return_val_if_fail (BYOK_IS_PROVIDER_SETTINGS (self), FALSE);
  g_return_val_if_fail (BYOK_IS_PROVIDER (provider), FALSE);

  if (url != NULL && g_strcmp0 (url, byok_provider_get_default_base_url (provider)) == 0)
    g_clear_pointer (&url, g_free);
  if (url != NULL && !is_alt_base_url (provider, url))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("“%s” is not one of the endpoints of %s."),
                   url, byok_provider_get_name (provider));
      return FALSE;
    }

  if (!write_value (self, byok_provider_get_id (provider),
                    BYOK_PROVIDER_SETTING_ENDPOINT, url, error))
    return FALSE;
  refresh_base_url (self, provider);
  g_signal_emit (self, signals[CHANGED], 0, byok_provider_get_id (provider),
                 BYOK_PROVIDER_SETTING_ENDPOINT);
  return TRUE;
}

/**
 * byok_provider_settings_dup_endpoint:
 *
 * Returns: (transfer full) (nullable): the chosen alternative endpoint, or
 *   %NULL for the main one (also when the stored one is no longer an
 *   alternative of the provider)
 */
char *
byok_provider_settings_dup_endpoint (ByokProviderSettings *self,
                                     ByokProvider         *provider)
{
  g_autofree char *endpoint = NULL;

  g_return_val_if_fail (BYOK_IS_PROVIDER_SETTINGS (self), NULL);
  g_return_val_if_fail (BYOK_IS_PROVIDER (provider), NULL);

  endpoint = byok_provider_settings_dup_value (self, byok_provider_get_id (provider),
                                               BYOK_PROVIDER_SETTING_ENDPOINT);
  if (!is_alt_base_url (provider, endpoint))
    return NULL;
  return g_steal_pointer (&endpoint);
}

/**
 * byok_provider_settings_set_azure:
 * @endpoint: (nullable): https://RESOURCE.openai.azure.com; %NULL or "" unsets
 * @deployment: (nullable): the default deployment; %NULL or "" unsets
 * @api_version: (nullable): the api-version; %NULL or "" goes back to
 *   BYOK_AZURE_DEFAULT_API_VERSION
 *
 * All three at once, in one transaction.
 *
 * Returns: %FALSE with BYOK_ERROR_INVALID (not Azure, or an endpoint that
 *   is not http(s)), or BYOK_ERROR_STORAGE
 */
gboolean
byok_provider_settings_set_azure (ByokProviderSettings  *self,
                                  ByokProvider          *provider,
                                  const char            *endpoint,
                                  const char            *deployment,
                                  const char            *api_version,
                                  GError               **error)
{
  g_autofree char *url = dup_stripped (endpoint);
  g_autofree char *dep = dup_stripped (deployment);
  g_autofree char *version = dup_stripped (api_version);
  const char *id;

  g_return_val_if_fail (BYOK_IS_PROVIDER_SETTINGS (self), FALSE);
  g_return_val_if_fail (BYOK_IS_PROVIDER (provider), FALSE);

  if (!is_azure (provider))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("%s is not an Azure OpenAI provider."), byok_provider_get_name (provider));
      return FALSE;
    }
  if (url != NULL && !check_url (url, error))
    return FALSE;
  if (version != NULL && strpbrk (version, "&?#/ ") != NULL)
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("“%s” is not an API version. Use a date such as %s."),
                   version, BYOK_AZURE_DEFAULT_API_VERSION);
      return FALSE;
    }

  id = byok_provider_get_id (provider);
  if (!byok_database_begin (self->database, error))
    return FALSE;
  if (!write_value (self, id, BYOK_PROVIDER_SETTING_AZURE_ENDPOINT, url, error) ||
      !write_value (self, id, BYOK_PROVIDER_SETTING_AZURE_DEPLOYMENT, dep, error) ||
      !write_value (self, id, BYOK_PROVIDER_SETTING_AZURE_API_VERSION, version, error) ||
      !byok_database_commit (self->database, error))
    {
      byok_database_rollback (self->database);
      return FALSE;
    }

  byok_provider_set_azure_endpoint (provider, url);
  byok_provider_set_azure_deployment (provider, dep);
  byok_provider_set_azure_api_version (provider, version);
  g_signal_emit (self, signals[CHANGED], 0, id, BYOK_PROVIDER_SETTING_AZURE_ENDPOINT);
  g_signal_emit (self, signals[CHANGED], 0, id, BYOK_PROVIDER_SETTING_AZURE_DEPLOYMENT);
  g_signal_emit (self, signals[CHANGED], 0, id, BYOK_PROVIDER_SETTING_AZURE_API_VERSION);
  return TRUE;
}

gboolean
byok_provider_settings_set_enabled (ByokProviderSettings  *self,
                                    ByokProvider          *provider,
                                    gboolean               enabled,
                                    GError               **error)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER_SETTINGS (self), FALSE);
  g_return_val_if_fail (BYOK_IS_PROVIDER (provider), FALSE);

  if (!write_value (self, byok_provider_get_id (provider), BYOK_PROVIDER_SETTING_ENABLED,
                    enabled ? "1" : "0", error))
    return FALSE;
  byok_provider_set_enabled (provider, enabled);
  g_signal_emit (self, signals[CHANGED], 0, byok_provider_get_id (provider),
                 BYOK_PROVIDER_SETTING_ENABLED);
  return TRUE;
}

/**
 * byok_provider_settings_set_allow_http:
 * @allow: whether the provider's key may go over plain HTTP to another
 *   computer than this one
 */
gboolean
byok_provider_settings_set_allow_http (ByokProviderSettings  *self,
                                       ByokProvider          *provider,
                                       gboolean               allow,
                                       GError               **error)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER_SETTINGS (self), FALSE);
  g_return_val_if_fail (BYOK_IS_PROVIDER (provider), FALSE);

  if (!write_value (self, byok_provider_get_id (provider), BYOK_PROVIDER_SETTING_ALLOW_HTTP,
                    allow ? "1" : "0", error))
    return FALSE;
  byok_provider_set_allow_http (provider, allow);
  g_signal_emit (self, signals[CHANGED], 0, byok_provider_get_id (provider),
                 BYOK_PROVIDER_SETTING_ALLOW_HTTP);
  return TRUE;
}

/**
 * byok_provider_settings_set_default_model:
 * @model_id: (nullable): a model id; %NULL or "" unsets
 */
gboolean
byok_provider_settings_set_default_model (ByokProviderSettings  *self,
                                          const char            *provider_id,
                                          const char            *model_id,
                                          GError               **error)
{
  g_autofree char *model = dup_stripped (model_id);

  g_return_val_if_fail (BYOK_IS_PROVIDER_SETTINGS (self), FALSE);

  return byok_provider_settings_set_value (self, provider_id, BYOK_PROVIDER_SETTING_DEFAULT_MODEL,
                                           model, error);
}

/**
 * byok_provider_settings_dup_default_model:
 * Returns: (transfer full) (nullable): the user's default model, or %NULL
 */
char *
byok_provider_settings_dup_default_model (ByokProviderSettings *self,
                                          const char           *provider_id)
{
  return byok_provider_settings_dup_value (self, provider_id, BYOK_PROVIDER_SETTING_DEFAULT_MODEL);
}

/**
 * byok_provider_settings_set_prefer_environment:
 * @key_store: (nullable): the key store to tell at once
 */
gboolean
byok_provider_settings_set_prefer_environment (ByokProviderSettings  *self,
                                               ByokKeyStore          *key_store,
                                               const char            *provider_id,
                                               gboolean               prefer,
                                               GError               **error)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER_SETTINGS (self), FALSE);
  g_return_val_if_fail (key_store == NULL || BYOK_IS_KEY_STORE (key_store), FALSE);

  g_return_val_if_fail (provider_id != NULL, FALSE);

  if (!write_value (self, provider_id, BYOK_PROVIDER_SETTING_PREFER_ENVIRONMENT,
                    prefer ? "1" : NULL, error))
    return FALSE;
  if (key_store != NULL)
    byok_key_store_set_prefer_environment (key_store, provider_id, prefer);
  g_signal_emit (self, signals[CHANGED], 0, provider_id, BYOK_PROVIDER_SETTING_PREFER_ENVIRONMENT);
  return TRUE;
}

gboolean
byok_provider_settings_get_prefer_environment (ByokProviderSettings *self,
                                               const char           *provider_id)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (BYOK_IS_PROVIDER_SETTINGS (self), FALSE);

  value = byok_provider_settings_dup_value (self, provider_id,
                                            BYOK_PROVIDER_SETTING_PREFER_ENVIRONMENT);
  return parse_bool (value, FALSE);
}

/* ── custom providers ──────────────────────────────────────────────────── */

/**
 * byok_provider_settings_make_custom_id:
 * @name: what the user called the provider ("My LiteLLM")
 *
 * Returns: (transfer full): a provider id made from @name ("my-litellm")
 *   that no provider of @catalog has: lowercase ASCII letters and digits
 *   joined by "-", "provider" when nothing is left, with "-2", "-3" … added
 *   when taken
 */
char *
byok_provider_settings_make_custom_id (ByokCatalog *catalog,
                                       const char  *name)
{
  g_autoptr(GString) slug = g_string_new (NULL);
  g_autofree char *base = NULL;
  char *id;

  g_return_val_if_fail (BYOK_IS_CATALOG (catalog), NULL);

  for (const char *p = name != NULL ? name : ""; *p != '\0' && slug->len < 40; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (slug, g_ascii_tolower (*p));
      else if (slug->len > 0 && slug->str[slug->len - 1] != '-')
        g_string_append_c (slug, '-');
    }
  while (slug->len > 0 && slug->str[slug->len - 1] == '-')
    g_string_truncate (slug, slug->len - 1);
  if (slug->len == 0)
    g_string_assign (slug, "provider");

  base = g_string_free (g_steal_pointer (&slug), FALSE);
  id = g_strdup (base);
  for (guint n = 2; byok_catalog_lookup_provider (catalog, id) != NULL; n++)
    {
      g_free (id);
      id = g_strdup_printf ("%s-%u", base, n);
    }
  return id;
}

static void
register_with_key_store (ByokKeyStore *key_store,
                         ByokProvider *provider)
{
  if (key_store == NULL)
    return;
  byok_key_store_add_provider (key_store, byok_provider_get_id (provider),
                               byok_provider_get_name (provider),
                               byok_provider_get_env_vars (provider));
}

/**
 * byok_provider_settings_add_custom:
 * @key_store: (nullable): registered with it, so its keys get a label
 * @id: (nullable): the provider id; made from @name when %NULL
 * @name: the display name
 * @base_url: the OpenAI-compatible base URL, e.g. http://localhost:8080/v1
 * @needs_key: whether calls send `Authorization: Bearer KEY`
 *
 * Adds a custom OpenAI-compatible provider to @catalog and to the database.
 *
 * Returns: (transfer none): the new provider (owned by @catalog), or %NULL
 *   with BYOK_ERROR_INVALID (a bad id, name or URL, or an id in use) or
 *   BYOK_ERROR_STORAGE
 */
ByokProvider *
byok_provider_settings_add_custom (ByokProviderSettings  *self,
                                   ByokCatalog           *catalog,
                                   ByokKeyStore          *key_store,
                                   const char            *id,
                                   const char            *name,
                                   const char            *base_url,
                                   gboolean               needs_key,
                                   GError               **error)
{
  g_autofree char *clean_name = dup_stripped (name);
  g_autofree char *clean_url = dup_stripped (base_url);
  g_autofree char *new_id = NULL;
  ByokProvider *provider;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BYOK_IS_PROVIDER_SETTINGS (self), NULL);
  g_return_val_if_fail (BYOK_IS_CATALOG (catalog), NULL);
  g_return_val_if_fail (key_store == NULL || BYOK_IS_KEY_STORE (key_store), NULL);

  if (clean_name == NULL)
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("A custom provider needs a name."));
      return NULL;
    }
  if (clean_url == NULL)
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("A custom provider needs a base URL, such as http://localhost:8080/v1."));
      return NULL;
    }

  new_id = id != NULL ? g_strdup (id) : byok_provider_settings_make_custom_id (catalog, clean_name);
  provider = byok_catalog_add_custom_provider (catalog, new_id, clean_name, clean_url,
                                               needs_key, error);
  if (provider == NULL)
    return NULL;

  stmt = byok_database_prepare_cached (self->database,
                                       "INSERT INTO custom_providers (id, name, base_url, "
                                       "dialect, needs_key, created) "
                                       "VALUES (?1, ?2, ?3, 'openai', ?4, ?5)",
                                       error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, new_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, clean_name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, byok_provider_get_base_url (provider), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 4, needs_key ? 1 : 0);
      sqlite3_bind_int64 (stmt, 5, g_get_real_time ());
    }
  if (stmt == NULL || !byok_database_step_done (stmt, byok_database_get_handle (self->database),
                                                _("Could not save the custom provider"), error))
    {
      byok_catalog_remove_custom_provider (catalog, new_id, NULL);
      return NULL;
    }

  register_with_key_store (key_store, provider);
  g_debug ("custom provider %s saved", new_id);
  g_signal_emit (self, signals[CHANGED], 0, new_id, NULL);
  return provider;
}

/**
 * byok_provider_settings_remove_custom:
 *
 * Removes a custom provider from @catalog and the database, with its
 * settings. Its keys stay in the keyring: delete them first if wanted.
 *
 * Returns: %FALSE with BYOK_ERROR_NOT_FOUND (no such provider),
 *   BYOK_ERROR_INVALID (a provider of the catalog) or BYOK_ERROR_STORAGE
 */
gboolean
byok_provider_settings_remove_custom (ByokProviderSettings  *self,
                                      ByokCatalog           *catalog,
                                      const char            *provider_id,
                                      GError               **error)
{
  ByokProvider *provider;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BYOK_IS_PROVIDER_SETTINGS (self), FALSE);
  g_return_val_if_fail (BYOK_IS_CATALOG (catalog), FALSE);

  provider = byok_catalog_lookup_custom_provider (catalog, provider_id, error);
  if (provider == NULL)
    return FALSE;

  if (!byok_database_begin (self->database, error))
    return FALSE;
  stmt = byok_database_prepare_cached (self->database,
                                       "DELETE FROM custom_providers WHERE id = ?1", error);
  if (stmt != NULL)
    sqlite3_bind_text (stmt, 1, provider_id, -1, SQLITE_TRANSIENT);
  if (stmt == NULL || !byok_database_step_done (stmt, byok_database_get_handle (self->database),
                                                _("Could not remove the custom provider"), error))
    goto fail;
  stmt = byok_database_prepare_cached (self->database,
                                       "DELETE FROM provider_settings WHERE provider = ?1", error);
  if (stmt != NULL)
    sqlite3_bind_text (stmt, 1, provider_id, -1, SQLITE_TRANSIENT);
  if (stmt == NULL || !byok_database_step_done (stmt, byok_database_get_handle (self->database),
                                                _("Could not remove the custom provider"), error))
    goto fail;
  if (!byok_database_commit (self->database, error))
    goto fail;

  {
    g_autofree char *id = g_strdup (provider_id);

    if (!byok_catalog_remove_custom_provider (catalog, id, error))
      return FALSE;
    g_debug ("custom provider %s removed", id);
    g_signal_emit (self, signals[CHANGED], 0, id, NULL);
  }
  return TRUE;

fail:
  byok_database_rollback (self->database);
  return FALSE;
}

/* ── startup ───────────────────────────────────────────────────────────── */

static gboolean
load_custom_providers (ByokProviderSettings  *self,
                       ByokCatalog           *catalog,
                       ByokKeyStore          *key_store,
                       GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = byok_database_prepare (self->database,
                                "SELECT id, name, base_url, needs_key FROM custom_providers "
                                "ORDER BY created, id",
                                error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      const char *name = (const char *) sqlite3_column_text (stmt, 1);
      const char *url = (const char *) sqlite3_column_text (stmt, 2);
      gboolean needs_key = sqlite3_column_int (stmt, 3) != 0;
      ByokProvider *provider = byok_catalog_lookup_provider (catalog, id);
      g_autoptr(GError) local_error = NULL;

      if (provider != NULL && !byok_provider_is_custom (provider))
        {
          g_warning ("custom provider %s ignored: a provider of the catalog has its id", id);
          continue;
        }
      if (provider == NULL)
        provider = byok_catalog_add_custom_provider (catalog, id, name, url, needs_key, &local_error);
      if (provider == NULL)
        {
          g_warning ("custom provider %s ignored: %s", id, local_error->message);
          continue;
        }
      register_with_key_store (key_store, provider);
    }
  if (rc != SQLITE_DONE)
    {
      byok_database_set_error (error, byok_database_get_handle (self->database), rc,
                               _("Could not read the custom providers"));
      return FALSE;
    }
  return TRUE;
}

/* provider id → (key → value) */
static GHashTable *
load_settings (ByokProviderSettings  *self,
               GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) all = NULL;
  int rc;

  stmt = byok_database_prepare (self->database,
                                "SELECT provider, key, value FROM provider_settings "
                                "WHERE value IS NOT NULL",
                                error);
  if (stmt == NULL)
    return NULL;

  all = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                               (GDestroyNotify) g_hash_table_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *provider = (const char *) sqlite3_column_text (stmt, 0);
      GHashTable *values = g_hash_table_lookup (all, provider);

      if (values == NULL)
        {
          values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          g_hash_table_insert (all, g_strdup (provider), values);
        }
      g_hash_table_insert (values,
                           g_strdup ((const char *) sqlite3_column_text (stmt, 1)),
                           g_strdup ((const char *) sqlite3_column_text (stmt, 2)));
    }
  if (rc != SQLITE_DONE)
    {
      byok_database_set_error (error, byok_database_get_handle (self->database), rc,
                               _("Could not read the provider settings"));
      return NULL;
    }
  return g_steal_pointer (&all);
}

static void
apply_to_provider (ByokProvider *provider,
                   ByokKeyStore *key_store,
                   GHashTable   *values)
{
  const char *id = byok_provider_get_id (provider);
  const char *enabled = values != NULL ? g_hash_table_lookup (values, BYOK_PROVIDER_SETTING_ENABLED) : NULL;
  const char *prefer = values != NULL ? g_hash_table_lookup (values, BYOK_PROVIDER_SETTING_PREFER_ENVIRONMENT) : NULL;

#define VALUE(key) (values != NULL ? (const char *) g_hash_table_lookup (values, key) : NULL)

  byok_provider_set_enabled (provider, parse_bool (enabled, TRUE));
  byok_provider_set_allow_http (provider, parse_bool (VALUE (BYOK_PROVIDER_SETTING_ALLOW_HTTP), FALSE));
  if (key_store != NULL)
    byok_key_store_set_prefer_environment (key_store, id, parse_bool (prefer, FALSE));

  if (byok_provider_is_custom (provider))
    return;  /* its base URL is in custom_providers */

  if (is_azure (provider))
    {
      const char *endpoint = VALUE (BYOK_PROVIDER_SETTING_AZURE_ENDPOINT);

      if (endpoint != NULL && !byok_provider_url_is_http (endpoint))
        {
          g_warning ("the Azure endpoint of %s is not an http(s) address; ignored", id);
          endpoint = NULL;
        }
      byok_provider_set_azure_endpoint (provider, endpoint);
      byok_provider_set_azure_deployment (provider, VALUE (BYOK_PROVIDER_SETTING_AZURE_DEPLOYMENT));
      byok_provider_set_azure_api_version (provider, VALUE (BYOK_PROVIDER_SETTING_AZURE_API_VERSION));
    }
  else
    {
      const char *base_url = VALUE (BYOK_PROVIDER_SETTING_BASE_URL);

      if (base_url != NULL && !byok_provider_url_is_http (base_url))
        {
          g_warning ("the base URL of %s is not an http(s) address; ignored", id);
          base_url = NULL;
        }
      byok_provider_set_base_url (provider,
                                  pick_base_url (provider, base_url,
                                                 VALUE (BYOK_PROVIDER_SETTING_ENDPOINT)));
    }

#undef VALUE
}

/**
 * byok_provider_settings_apply:
 * @key_store: (nullable): told each provider's prefer-environment choice,
 *   and given every provider (with its environment variables) so that
 *   keys get readable labels
 *
 * At startup: adds the custom providers to @catalog, then sets every
 * provider's base URL, Azure settings and enabled state from the database.
 * A stored value that is no longer valid (a custom provider whose id the
 * catalog now uses, a base URL that is not http) is skipped with a warning.
 *
 * Returns: %FALSE with BYOK_ERROR_STORAGE when the database cannot be read
 */
gboolean
byok_provider_settings_apply (ByokProviderSettings  *self,
                              ByokCatalog           *catalog,
                              ByokKeyStore          *key_store,
                              GError               **error)
{
  g_autoptr(GHashTable) all = NULL;
  g_autoptr(GPtrArray) providers = NULL;

  g_return_val_if_fail (BYOK_IS_PROVIDER_SETTINGS (self), FALSE);
  g_return_val_if_fail (BYOK_IS_CATALOG (catalog), FALSE);
  g_return_val_if_fail (key_store == NULL || BYOK_IS_KEY_STORE (key_store), FALSE);

  if (!load_custom_providers (self, catalog, key_store, error))
    return FALSE;
  all = load_settings (self, error);
  if (all == NULL)
    return FALSE;

  providers = byok_catalog_get_providers (catalog);
  for (guint i = 0; i < providers->len; i++)
    {
      ByokProvider *provider = g_ptr_array_index (providers, i);

      register_with_key_store (key_store, provider);
      apply_to_provider (provider, key_store,
                         g_hash_table_lookup (all, byok_provider_get_id (provider)));
    }

  g_debug ("provider settings applied to %u providers", providers->len);
  return TRUE;
}
