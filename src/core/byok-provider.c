/* byok-provider.c — one LLM API provider */
#define G_LOG_DOMAIN "byok-catalog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byok-error.h"
#include "byok-glib.h"
#include "byok-provider-private.h"

G_DEFINE_FINAL_TYPE (ByokProvider, byok_provider, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_BASE_URL,
  PROP_ENABLED,
  PROP_ALLOW_HTTP,
  PROP_AZURE_DEPLOYMENT,
  PROP_AZURE_API_VERSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const empty_strv[] = { NULL };

const char * const _byok_provider_dialect_names[BYOK_PROVIDER_DIALECT_GEMINI + 1] = {
  [BYOK_PROVIDER_DIALECT_OPENAI] = "openai",
  [BYOK_PROVIDER_DIALECT_ANTHROPIC] = "anthropic",
  [BYOK_PROVIDER_DIALECT_GEMINI] = "gemini",
};

static void
byok_provider_finalize (GObject *object)
{
  ByokProvider *self = BYOK_PROVIDER (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->default_base_url);
  g_free (self->base_url_override);
  g_free (self->environment_base_url);
  g_strfreev (self->alt_base_urls);
  g_strfreev (self->alt_base_url_labels);
  g_strfreev (self->extra_header_names);
  g_strfreev (self->extra_header_values);
  g_strfreev (self->env_vars);
  g_free (self->key_prefix);
  g_free (self->key_description);
  g_free (self->key_format);
  g_free (self->key_check_method);
  g_free (self->key_check_path);
  g_free (self->key_check_model);
  g_free (self->balance_path);
  g_free (self->balance_key_path);
  g_free (self->balance_currency);
  g_strfreev (self->balance_currency_hosts);
  g_strfreev (self->balance_currency_values);
  g_free (self->docs_url);
  g_free (self->console_url);
  g_free (self->pricing_url);
  g_free (self->azure_deployment);
  g_free (self->azure_api_version);

  G_OBJECT_CLASS (byok_provider_parent_class)->finalize (object);
}

static void
byok_provider_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ByokProvider *self = BYOK_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_BASE_URL:
      g_value_set_string (value, byok_provider_get_base_url (self));
      break;
    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;
    case PROP_ALLOW_HTTP:
      g_value_set_boolean (value, self->allow_http);
      break;
    case PROP_AZURE_DEPLOYMENT:
      g_value_set_string (value, self->azure_deployment);
      break;
    case PROP_AZURE_API_VERSION:
      g_value_set_string (value, byok_provider_get_azure_api_version (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_provider_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  ByokProvider *self = BYOK_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      byok_provider_set_base_url (self, g_value_get_string (value));
      break;
    case PROP_ENABLED:
      byok_provider_set_enabled (self, g_value_get_boolean (value));
      break;
    case PROP_ALLOW_HTTP:
      byok_provider_set_allow_http (self, g_value_get_boolean (value));
      break;
    case PROP_AZURE_DEPLOYMENT:
      byok_provider_set_azure_deployment (self, g_value_get_string (value));
      break;
    case PROP_AZURE_API_VERSION:
      byok_provider_set_azure_api_version (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_provider_class_init (ByokProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = byok_provider_finalize;
  object_class->get_property = byok_provider_get_property;
  object_class->set_property = byok_provider_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENABLED] =
    g_param_spec_boolean ("enabled", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * ByokProvider:allow-http:
   * Whether the key may go over plain HTTP to another computer than this
   * one (see byok_provider_check_key_transport()). Off by default.
   */
  properties[PROP_ALLOW_HTTP] =
    g_param_spec_boolean ("allow-http", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AZURE_DEPLOYMENT] =
    g_param_spec_string ("azure-deployment", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AZURE_API_VERSION] =
    g_param_spec_string ("azure-api-version", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
byok_provider_init (ByokProvider *self)
{
  self->enabled = TRUE;
  self->needs_key = TRUE;
  self->dialect = BYOK_PROVIDER_DIALECT_OPENAI;
  self->auth_style = BYOK_AUTH_BEARER;
  self->models_list = BYOK_MODELS_LIST_OPENAI;
}

/* Construction -------------------------------------------------------------- */

/**
 * byok_provider_url_is_http:
 * @url: (nullable): a URL
 *
 * Returns: whether @url can be a provider's base URL: http or https, with
 *   a host
 */
gboolean
byok_provider_url_is_http (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (url == NULL || *url == '\0')
    return FALSE;
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;
  scheme = g_uri_get_scheme (uri);
  return (g_ascii_strcasecmp (scheme, "http") == 0 ||
          g_ascii_strcasecmp (scheme, "https") == 0) &&
         g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
}

/**
 * byok_provider_new_custom:
 * @id: a short id: lowercase letters, digits, "-", "_", "."
 * @name: the display name
 * @base_url: (nullable): the OpenAI-compatible base URL, e.g.
 *   "http://127.0.0.1:8080/v1"
 * @needs_key: whether calls send `Authorization: Bearer KEY`
 *
 * A custom OpenAI-compatible provider. Its models come from its `/models`
 * listing (byok_catalog_merge_models()) and have unknown prices. The
 * catalog's byok_catalog_add_custom_provider() validates the arguments.
 *
 * Returns: (transfer full): a new provider
 */
ByokProvider *
byok_provider_new_custom (const char *id,
                          const char *name,
                          const char *base_url,
                          gboolean    needs_key)
{
  ByokProvider *self;

  g_return_val_if_fail (id != NULL, NULL);

  self = g_object_new (BYOK_TYPE_PROVIDER, NULL);
  self->id = g_strdup (id);
  self->name = g_strdup (name != NULL && *name != '\0' ? name : id);
  self->dialect = BYOK_PROVIDER_DIALECT_OPENAI;
  self->default_base_url = g_strdup ("");
  self->base_url_is_template = TRUE;
  self->alt_base_urls = g_new0 (char *, 1);
  self->alt_base_url_labels = g_new0 (char *, 1);
  self->auth_style = needs_key ? BYOK_AUTH_BEARER : BYOK_AUTH_NONE;
  self->extra_header_names = g_new0 (char *, 1);
  self->extra_header_values = g_new0 (char *, 1);
  self->env_vars = g_new0 (char *, 1);
  self->needs_key = !!needs_key;
  self->key_description = g_strdup (needs_key ? _("The API key the service gave you")
                                              : _("No key needed"));
  self->models_list = BYOK_MODELS_LIST_OPENAI;
  self->key_check_method = g_strdup ("GET");
  self->key_check_path = g_strdup ("/models");
  self->balance_currency_hosts = g_new0 (char *, 1);
  self->balance_currency_values = g_new0 (char *, 1);
  self->custom = TRUE;
  byok_provider_set_base_url (self, base_url);
  return self;
}

/* Getters ------------------------------------------------------------------ */

const char *
byok_provider_get_id (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  return self->id;
}

const char *
byok_provider_get_name (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  return self->name;
}

ByokProviderDialect
byok_provider_get_dialect (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), BYOK_PROVIDER_DIALECT_OPENAI);

  return self->dialect;
}

/**
 * byok_provider_get_dialect_name:
 * Returns: "openai", "anthropic" or "gemini"
 */
const char *
byok_provider_get_dialect_name (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  return _byok_provider_dialect_names[self->dialect];
}

/**
 * byok_provider_get_base_url:
 * Returns: (nullable): the base URL in force: the environment's
 *   (BYOK_BASE_URL_<PROVIDER>), else the user's, else the catalog's; NULL
 *   when the provider has none yet (Azure without an endpoint, a custom
 *   provider without a URL)
 */
const char *
byok_provider_get_base_url (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  if (self->environment_base_url != NULL)
    return self->environment_base_url;
  if (self->base_url_override != NULL)
    return self->base_url_override;
  if (self->base_url_is_template)
    return NULL;
  return self->default_base_url;
}

/**
 * byok_provider_get_default_base_url:
 * Returns: the catalog's base URL; for Azure a template
 *   ("https://RESOURCE.openai.azure.com"), for custom providers ""
 */
const char *
byok_provider_get_default_base_url (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  return self->default_base_url;
}

/* Sets one of the base URLs (the user's or the environment's) to
 * @base_url without its surrounding spaces, "" as %NULL, and notifies
 * "base-url" when it changed. */
static void
set_base_url (ByokProvider *self,
              char        **slot,
              const char   *base_url)
{
  g_autofree char *url = NULL;

  if (base_url != NULL)
    {
      url = g_strstrip (g_strdup (base_url));
      if (*url == '\0')
        g_clear_pointer (&url, g_free);
    }
  if (byok_set_str (slot, url))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
}

/**
 * byok_provider_set_base_url:
 * @base_url: (nullable): the user's base URL, e.g. an alternative endpoint,
 *   a proxy, or `--base-url`; NULL or "" goes back to the catalog's
 *
 * For Azure this is the resource endpoint (see
 * byok_provider_set_azure_endpoint()). Surrounding spaces are dropped.
 */
void
byok_provider_set_base_url (ByokProvider *self,
                            const char   *base_url)
{
  g_return_if_fail (BYOK_IS_PROVIDER (self));
  set_base_url (self, &self->base_url_override, base_url);
}

/**
 * byok_provider_dup_base_url_variable:
 * @provider_id: a provider id
 *
 * Returns: (transfer full): the environment variable that replaces the
 *   provider's base URL: "moonshot" → "BYOK_BASE_URL_MOONSHOT", "my-proxy"
 *   → "BYOK_BASE_URL_MY_PROXY"
 */
char *
byok_provider_dup_base_url_variable (const char *provider_id)
{
  GString *name = g_string_new ("BYOK_BASE_URL_");

  g_return_val_if_fail (provider_id != NULL, NULL);

  for (const char *p = provider_id; *p != '\0'; p++)
    g_string_append_c (name, g_ascii_isalnum (*p) ? g_ascii_toupper (*p) : '_');
  return g_string_free (name, FALSE);
}

/**
 * byok_provider_set_environment_base_url:
 * @base_url: (nullable): the value of byok_provider_dup_base_url_variable()
 *   in the environment; %NULL or "" when it is not set
 *
 * A base URL set from outside for the whole process: it wins over the
 * user's setting and the catalog's (byok-cli and the app alike, so the
 * same environment means the same thing to both).
 */
void
byok_provider_set_environment_base_url (ByokProvider *self,
                                        const char   *base_url)
{
  g_return_if_fail (BYOK_IS_PROVIDER (self));
  set_base_url (self, &self->environment_base_url, base_url);
}

/**
 * byok_provider_get_environment_base_url:
 * Returns: (nullable): the base URL the environment sets, which is in force
 */
const char *
byok_provider_get_environment_base_url (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  return self->environment_base_url;
}

gboolean
byok_provider_has_base_url_override (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), FALSE);

  return self->base_url_override != NULL;
}

/**
 * byok_provider_get_alt_base_urls:
 * Returns: (transfer none): other official base URLs (Moonshot China, Zhipu
 *   international); never NULL
 */
const char * const *
byok_provider_get_alt_base_urls (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  return self->alt_base_urls != NULL ? (const char * const *) self->alt_base_urls : empty_strv;
}

/**
 * byok_provider_get_alt_base_url_label:
 * Returns: (nullable): what the alternative base URL is for (e.g. "China"),
 *   or NULL if @base_url is not one of them
 */
const char *
byok_provider_get_alt_base_url_label (ByokProvider *self,
                                      const char   *base_url)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  for (guint i = 0; self->alt_base_urls != NULL && self->alt_base_urls[i] != NULL; i++)
    {
      if (g_strcmp0 (self->alt_base_urls[i], base_url) == 0)
        return self->alt_base_url_labels[i];
    }
  return NULL;
}

ByokAuthStyle
byok_provider_get_auth_style (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), BYOK_AUTH_NONE);

  return self->auth_style;
}

/**
 * byok_provider_get_auth_header:
 * Returns: (nullable): the header that carries the key ("Authorization",
 *   "x-api-key", "x-goog-api-key", "api-key"), or NULL when none is sent
 */
const char *
byok_provider_get_auth_header (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  switch (self->auth_style)
    {
    case BYOK_AUTH_BEARER:
      return "Authorization";
    case BYOK_AUTH_X_API_KEY:
      return "x-api-key";
    case BYOK_AUTH_X_GOOG_API_KEY:
      return "x-goog-api-key";
    case BYOK_AUTH_API_KEY:
      return "api-key";
    case BYOK_AUTH_NONE:
    default:
      return NULL;
    }
}

/**
 * byok_provider_get_extra_header_names:
 * Returns: (transfer none): headers every request carries besides the key
 *   (e.g. "anthropic-version"); never NULL
 */
const char * const *
byok_provider_get_extra_header_names (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  return self->extra_header_names != NULL ?
         (const char * const *) self->extra_header_names : empty_strv;
}

/**
 * byok_provider_get_extra_header:
 * Returns: (nullable): the value of the extra header @name
 */
const char *
byok_provider_get_extra_header (ByokProvider *self,
                                const char   *name)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  for (guint i = 0; self->extra_header_names != NULL && self->extra_header_names[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (self->extra_header_names[i], name) == 0)
        return self->extra_header_values[i];
    }
  return NULL;
}

/**
 * byok_provider_apply_headers:
 * @headers: a request's headers
 * @key: (nullable): the API key; not sent when NULL or when the provider
 *   takes no key
 *
 * Sets the key header in the provider's auth style ("Bearer KEY" for
 * Authorization, the key alone otherwise) and the provider's extra headers.
 */
void
byok_provider_apply_headers (ByokProvider       *self,
                             SoupMessageHeaders *headers,
                             const char         *key)
{
  const char *auth_header;

  g_return_if_fail (BYOK_IS_PROVIDER (self));
  g_return_if_fail (headers != NULL);

  auth_header = byok_provider_get_auth_header (self);
  if (auth_header != NULL && key != NULL && *key != '\0')
    {
      if (self->auth_style == BYOK_AUTH_BEARER)
        {
          g_autofree char *value = g_strconcat ("Bearer ", key, NULL);

          soup_message_headers_replace (headers, auth_header, value);
          memset (value, 0, strlen (value));
        }
      else
        {
          soup_message_headers_replace (headers, auth_header, key);
        }
    }

  for (guint i = 0; self->extra_header_names != NULL && self->extra_header_names[i] != NULL; i++)
    soup_message_headers_replace (headers, self->extra_header_names[i],
                                  self->extra_header_values[i]);
}

/**
 * byok_provider_get_env_vars:
 * Returns: (transfer none): environment variables that may hold the key, in
 *   order of preference; never NULL
 */
const char * const *
byok_provider_get_env_vars (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  return self->env_vars != NULL ? (const char * const *) self->env_vars : empty_strv;
}

gboolean
byok_provider_get_needs_key (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), TRUE);

  return self->needs_key;
}

/**
 * byok_provider_get_key_prefix:
 * Returns: (nullable): how the provider's keys start ("sk-ant-"), or NULL
 *   when they have no fixed prefix
 */
const char *
byok_provider_get_key_prefix (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  return self->key_prefix != NULL && *self->key_prefix != '\0' ? self->key_prefix : NULL;
}

/**
 * byok_provider_get_key_description:
 * Returns: a short description of what a key looks like (English; it
 *   comes from the catalog)
 */
const char *
byok_provider_get_key_description (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  return self->key_description;
}

/**
 * byok_provider_key_looks_valid:
 * @key: (nullable): a key the user typed or pasted
 *
 * A format check only (prefix, Zhipu's "id.secret", no spaces), to warn
 * about a key pasted for the wrong provider. It proves nothing about the
 * key; only the provider can say it works.
 *
 * Returns: TRUE if @key has the shape of this provider's keys
 */
gboolean
byok_provider_key_looks_valid (ByokProvider *self,
                               const char   *key)
{
  const char *prefix;

  g_return_val_if_fail (BYOK_IS_PROVIDER (self), FALSE);

  if (key == NULL || *key == '\0')
    return !self->needs_key;

  for (const char *p = key; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
        return FALSE;
    }

  prefix = byok_provider_get_key_prefix (self);
  if (prefix != NULL && (!g_str_has_prefix (key, prefix) || strlen (key) <= strlen (prefix)))
    return FALSE;

  if (g_strcmp0 (self->key_format, "id.secret") == 0)
    {
      const char *dot = strchr (key, '.');

      if (dot == NULL || dot == key || dot[1] == '\0' || strchr (dot + 1, '.') != NULL)
        return FALSE;
    }

  return TRUE;
}

ByokModelsList
byok_provider_get_models_list (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), BYOK_MODELS_LIST_NONE);

  return self->models_list;
}

/**
 * byok_provider_get_rejects_stream_options:
 * Returns: TRUE if a streaming request must not carry `stream_options`
 */
gboolean
byok_provider_get_rejects_stream_options (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), FALSE);

  return self->rejects_stream_options;
}

/**
 * byok_provider_get_thinking_switch:
 * Returns: TRUE if reasoning must be switched on in the request
 *   (`"thinking": {"type": "enabled"}`, Zhipu GLM-4.5+) for models with
 *   the reasoning capability
 */
gboolean
byok_provider_get_thinking_switch (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), FALSE);

  return self->thinking_switch;
}

/**
 * byok_provider_is_local:
 * Returns: TRUE for a provider that runs on the user's machine (Ollama): its
 *   models cost nothing
 */
gboolean
byok_provider_is_local (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), FALSE);

  return self->local;
}

gboolean
byok_provider_is_custom (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), FALSE);

  return self->custom;
}

gboolean
byok_provider_get_enabled (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), FALSE);

  return self->enabled;
}

void
byok_provider_set_enabled (ByokProvider *self,
                           gboolean      enabled)
{
  g_return_if_fail (BYOK_IS_PROVIDER (self));

  enabled = !!enabled;
  if (self->enabled == (guint) enabled)
    return;
  self->enabled = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
}

gboolean
byok_provider_get_allow_http (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), FALSE);

  return self->allow_http;
}

void
byok_provider_set_allow_http (ByokProvider *self,
                              gboolean      allow)
{
  g_return_if_fail (BYOK_IS_PROVIDER (self));

  allow = !!allow;
  if (self->allow_http == (guint) allow)
    return;
  self->allow_http = allow;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_HTTP]);
}

/* byok_uri_is_remote_http:
 *
 * Whether @uri is plain HTTP to another computer: not https, and its host
 * is not this computer's loopback (localhost, 127.0.0.0/8, ::1). Names are
 * taken as written, never resolved: "localhost.example.net" is a remote
 * host, whatever its address. */
gboolean
byok_uri_is_remote_http (GUri *uri)
{
  const char *host = g_uri_get_host (uri);
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0)
    return FALSE;
  if (host == NULL || *host == '\0')
    return TRUE;
  if (g_ascii_strcasecmp (host, "localhost") == 0 || g_ascii_strcasecmp (host, "localhost.") == 0)
    return FALSE;
  address = g_inet_address_new_from_string (host);
  return address == NULL || !g_inet_address_get_is_loopback (address);
}

/**
 * byok_provider_is_remote_http:
 *
 * Whether the provider's address (its base URL, or the Azure endpoint) is
 * plain HTTP to another computer than this one: a key sent there crosses
 * the network unencrypted.
 */
gboolean
byok_provider_is_remote_http (ByokProvider *self)
{
  const char *base = NULL;
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (BYOK_IS_PROVIDER (self), FALSE);

  base = byok_provider_get_base_url (self);
  if (base != NULL)
    uri = g_uri_parse (base, SOUP_HTTP_URI_FLAGS, NULL);
  return uri != NULL && byok_uri_is_remote_http (uri);
}

/**
 * byok_provider_check_key_transport:
 * @uri: where a request with the provider's key is about to go
 *
 * A key goes over plain HTTP only to this computer, unless the provider
 * allows it (ByokProvider:allow-http). Call it before sending a key; a
 * provider that takes no key needs no check.
 *
 * Returns: %FALSE with %BYOK_ERROR_INSECURE when the key must not be sent
 *   to @uri: the message says why, and how to allow it.
 */
gboolean
byok_provider_check_key_transport (ByokProvider  *self,
                                   GUri          *uri,
                                   GError       **error)
{
  g_autofree char *host = NULL;

  g_return_val_if_fail (BYOK_IS_PROVIDER (self), FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);

  if (self->allow_http || !byok_uri_is_remote_http (uri))
    return TRUE;

  host = g_uri_get_port (uri) > 0 ? g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri))
                                  : g_strdup (g_uri_get_host (uri));
  /* Translators: %1$s is a provider, %2$s a host ("192.168.1.20:8080").
   * “Allow Unencrypted Connection” is the switch in Providers; keep
   * --allow-http as it is: it is an option of byok-cli. */
  g_set_error (error, BYOK_ERROR, BYOK_ERROR_INSECURE,
               _("Byok did not send your %1$s key: %2$s is a plain http:// address on another "
                 "computer, so anyone on the network could read the key. Use an https:// address, "
                 "or, on a network you trust, turn on “Allow Unencrypted Connection” for %1$s in "
                 "Providers (byok-cli: --allow-http)."),
               byok_provider_get_name (self), host != NULL ? host : "");
  return FALSE;
}

/**
 * byok_provider_get_azure_endpoint:
 * Returns: (nullable): the Azure resource endpoint
 *   ("https://NAME.openai.azure.com"); the same as the base URL override,
 *   unless the environment sets one
 */
const char *
byok_provider_get_azure_endpoint (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  if (self->environment_base_url != NULL)
    return self->environment_base_url;
  return self->base_url_override;
}

void
byok_provider_set_azure_endpoint (ByokProvider *self,
                                  const char   *endpoint)
{
  byok_provider_set_base_url (self, endpoint);
}

/**
 * byok_provider_get_azure_deployment:
 * Returns: (nullable): the default Azure deployment, used when a chat names
 *   no model
 */
const char *
byok_provider_get_azure_deployment (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  return self->azure_deployment;
}

void
byok_provider_set_azure_deployment (ByokProvider *self,
                                    const char   *deployment)
{
  g_autofree char *value = NULL;

  g_return_if_fail (BYOK_IS_PROVIDER (self));

  if (deployment != NULL && *deployment != '\0')
    value = g_strstrip (g_strdup (deployment));
  if (value != NULL && *value == '\0')
    g_clear_pointer (&value, g_free);
  if (g_strcmp0 (value, self->azure_deployment) == 0)
    return;
  g_free (self->azure_deployment);
  self->azure_deployment = g_steal_pointer (&value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AZURE_DEPLOYMENT]);
}

/**
 * byok_provider_get_azure_api_version:
 * Returns: (nullable): the api-version query parameter (default
 *   BYOK_AZURE_DEFAULT_API_VERSION); NULL for providers other than Azure
 */
const char *
byok_provider_get_azure_api_version (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  if (!self->azure)
    return NULL;
  return self->azure_api_version != NULL ? self->azure_api_version
                                         : BYOK_AZURE_DEFAULT_API_VERSION;
}

/**
 * byok_provider_set_azure_api_version:
 * @api_version: (nullable): NULL or "" goes back to the default
 */
void
byok_provider_set_azure_api_version (ByokProvider *self,
                                     const char   *api_version)
{
  g_autofree char *value = NULL;

  g_return_if_fail (BYOK_IS_PROVIDER (self));

  if (!self->azure)
    return;
  if (api_version != NULL && *api_version != '\0')
    value = g_strstrip (g_strdup (api_version));
  if (value == NULL || *value == '\0')
    {
      g_free (value);
      value = g_strdup (BYOK_AZURE_DEFAULT_API_VERSION);
    }
  if (g_strcmp0 (value, self->azure_api_version) == 0)
    return;
  g_free (self->azure_api_version);
  self->azure_api_version = g_steal_pointer (&value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AZURE_API_VERSION]);
}

/**
 * byok_provider_get_key_check_method:
 * Returns: "GET" or "POST": the cheapest request that proves a key works
 */
const char *
byok_provider_get_key_check_method (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  return self->key_check_method;
}

/**
 * byok_provider_get_key_check_path:
 * Returns: the endpoint path of the key check (e.g. "/models"), for
 *   byok_provider_build_url()
 */
const char *
byok_provider_get_key_check_path (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  return self->key_check_path;
}

/**
 * byok_provider_get_key_check_model:
 * Returns: (nullable): for a POST check, the model of a one-token chat
 */
const char *
byok_provider_get_key_check_model (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  return self->key_check_model;
}

const char *
byok_provider_get_docs_url (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  return self->docs_url;
}

/**
 * byok_provider_get_console_url:
 * Returns: (nullable): where the user creates keys
 */
const char *
byok_provider_get_console_url (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  return self->console_url;
}

const char *
byok_provider_get_pricing_url (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  return self->pricing_url;
}

/* URLs --------------------------------------------------------------------- */

/**
 * byok_provider_check_config:
 * Returns: FALSE with BYOK_ERROR_INVALID if the provider cannot be called
 *   yet: no base URL (Azure endpoint, custom provider) or one that is not
 *   an http(s) URL
 */
gboolean
byok_provider_check_config (ByokProvider  *self,
                            GError       **error)
{
  const char *base;

  g_return_val_if_fail (BYOK_IS_PROVIDER (self), FALSE);

  base = byok_provider_get_base_url (self);
  if (base == NULL)
    {
      if (self->azure)
        g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                     _("Azure OpenAI needs the endpoint of your resource, such as https://NAME.openai.azure.com. Copy it from “Keys and Endpoint” in the Azure portal."));
      else
        g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                     _("“%s” has no base URL. Enter the address of its OpenAI-compatible API, such as http://localhost:8080/v1."),
                     self->name);
      return FALSE;
    }
  if (!byok_provider_url_is_http (base))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("The base URL of “%s” is not an http or https address. Enter one such as https://api.example.com/v1."),
                   self->name);
      return FALSE;
    }
  return TRUE;
}

static char *
escape_segment (const char *segment)
{
  return g_uri_escape_string (segment, NULL, FALSE);
}

static char *
build_url (ByokProvider *self,
           const char   *path,
           const char   *deployment)
{
  const char *base = byok_provider_get_base_url (self);
  g_autofree char *root = NULL;
  g_autofree char *rel = NULL;
  gsize len;

  if (base == NULL || *base == '\0')
    return NULL;

  root = g_strdup (base);
  len = strlen (root);
  if (len > 0 && root[len - 1] == '/')
    root[len - 1] = '\0';

  if (path == NULL || *path == '\0')
    rel = g_strdup ("");
  else if (*path == '/')
    rel = g_strdup (path);
  else
    rel = g_strconcat ("/", path, NULL);

  if (self->azure)
    {
      g_autofree char *azure_path = NULL;
      const char *version = byok_provider_get_azure_api_version (self);

      if (g_str_has_prefix (rel, "/chat/completions"))
        {
          g_autofree char *escaped = NULL;

          if (deployment == NULL || *deployment == '\0')
            return NULL;
          escaped = escape_segment (deployment);
          azure_path = g_strconcat ("/openai/deployments/", escaped, rel, NULL);
        }
      else if (*rel != '\0' && !g_str_has_prefix (rel, "/openai/"))
        {
          azure_path = g_strconcat ("/openai", rel, NULL);
        }
      else
        {
          azure_path = g_strdup (rel);
        }

      return g_strconcat (root, azure_path,
                          strchr (azure_path, '?') != NULL ? "&" : "?",
                          "api-version=", version, NULL);
    }

  return g_strconcat (root, rel, NULL);
}

/**
 * byok_provider_build_url:
 * @path: (nullable): an endpoint path such as "/chat/completions"
 *
 * Joins the base URL in force and @path, stripping one trailing "/" of the
 * base. For Azure, "/chat/completions" becomes
 * "ENDPOINT/openai/deployments/DEPLOYMENT/chat/completions?api-version=V"
 * with the configured deployment, and any other path P becomes
 * "ENDPOINT/openai/P?api-version=V".
 *
 * Returns: (transfer full) (nullable): the URL, or NULL when the provider
 *   has no base URL yet (or, for an Azure chat, no deployment)
 */
char *
byok_provider_build_url (ByokProvider *self,
                         const char   *path)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  return build_url (self, path, self->azure_deployment);
}

/**
 * byok_provider_build_chat_url:
 * @model_id: (nullable): the model; for Azure the deployment (NULL uses the
 *   configured one); required for Gemini
 * @stream: whether the answer streams (Gemini has a streaming endpoint)
 *
 * Returns: (transfer full) (nullable): the chat endpoint of the dialect, or
 *   NULL when it cannot be built
 */
char *
byok_provider_build_chat_url (ByokProvider *self,
                              const char   *model_id,
                              gboolean      stream)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  switch (self->dialect)
    {
    case BYOK_PROVIDER_DIALECT_ANTHROPIC:
      return build_url (self, "/v1/messages", NULL);

    case BYOK_PROVIDER_DIALECT_GEMINI:
      {
        g_autofree char *escaped = NULL;
        g_autofree char *path = NULL;

        if (model_id == NULL || *model_id == '\0')
          return NULL;
        if (g_str_has_prefix (model_id, "models/"))
          model_id += strlen ("models/");
        escaped = escape_segment (model_id);
        path = g_strconcat ("/models/", escaped,
                            stream ? ":streamGenerateContent?alt=sse" : ":generateContent",
                            NULL);
        return build_url (self, path, NULL);
      }

    case BYOK_PROVIDER_DIALECT_OPENAI:
    default:
      return build_url (self, "/chat/completions",
                        model_id != NULL && *model_id != '\0' ? model_id
                                                              : self->azure_deployment);
    }
}

/**
 * byok_provider_build_models_url:
 * Returns: (transfer full) (nullable): the first page of the model listing,
 *   or NULL when the provider lists none (see byok_provider_get_models_list()
 *   for paging)
 */
char *
byok_provider_build_models_url (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  switch (self->models_list)
    {
    case BYOK_MODELS_LIST_OPENAI:
    case BYOK_MODELS_LIST_GEMINI:
      return build_url (self, "/models", NULL);
    case BYOK_MODELS_LIST_ANTHROPIC:
      return build_url (self, "/v1/models", NULL);
    case BYOK_MODELS_LIST_NONE:
    default:
      return NULL;
    }
}

/**
 * byok_provider_build_key_check_url:
 * Returns: (transfer full) (nullable): the URL of the key check (see
 *   byok_provider_get_key_check_method())
 */
char *
byok_provider_build_key_check_url (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  if (self->key_check_path == NULL)
    return NULL;
  return build_url (self, self->key_check_path,
                    self->key_check_model != NULL ? self->key_check_model
                                                  : self->azure_deployment);
}

/**
 * byok_provider_get_balance_format:
 * Returns: how the provider tells the account's balance, or
 *   %BYOK_BALANCE_FORMAT_NONE when it does not (catalog "balance")
 */
ByokBalanceFormat
byok_provider_get_balance_format (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), BYOK_BALANCE_FORMAT_NONE);

  return self->balance_format;
}

/**
 * byok_provider_build_balance_url:
 * @key_info: %TRUE for the key's own figures (OpenRouter's /key), %FALSE
 *   for the account's balance
 *
 * Returns: (transfer full) (nullable): the URL on the provider's base URL,
 *   or NULL when there is none
 */
char *
byok_provider_build_balance_url (ByokProvider *self,
                                 gboolean      key_info)
{
  const char *path;

  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  path = key_info ? self->balance_key_path : self->balance_path;
  if (self->balance_format == BYOK_BALANCE_FORMAT_NONE || path == NULL)
    return NULL;
  return build_url (self, path, NULL);
}

/**
 * byok_provider_get_balance_currency:
 *
 * The currency of a balance that does not name its own: the one the
 * catalog gives the host of the base URL in force (Moonshot's China
 * endpoint: CNY), else the catalog's "currency".
 *
 * Returns: (nullable): an ISO 4217 code, or NULL (DeepSeek names its own)
 */
const char *
byok_provider_get_balance_currency (ByokProvider *self)
{
  g_autoptr(GUri) uri = NULL;
  const char *base;

  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  base = byok_provider_get_base_url (self);
  if (base != NULL && self->balance_currency_hosts != NULL)
    uri = g_uri_parse (base, G_URI_FLAGS_NONE, NULL);
  for (guint i = 0; uri != NULL && g_uri_get_host (uri) != NULL && self->balance_currency_hosts[i] != NULL; i++)
    if (g_ascii_strcasecmp (g_uri_get_host (uri), self->balance_currency_hosts[i]) == 0)
      return self->balance_currency_values[i];
  return self->balance_currency;
}
