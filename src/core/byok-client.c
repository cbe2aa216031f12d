/* byok-client.c — the client object: its session and settings
 *
 * The work is done elsewhere: one HTTP request in byok-exchange.c, a chat
 * call in byok-chat-call.c, model listings and key checks in
 * byok-client-models.c.
 */
#define G_LOG_DOMAIN "byok-client"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "byok-chat-call-private.h"
#include "byok-error.h"
#include "byok-exchange-private.h"

struct _ByokClient
{
  GObject       parent_instance;

  ByokCatalog  *catalog;
  ByokKeyStore *key_store;
  SoupSession  *session;
  GHashTable   *preconnected;  /* origin → gint64 *, when byok_client_preconnect() opened it */

  guint         connect_timeout_ms;
  guint         idle_timeout_ms;
  guint         response_timeout_ms;
  guint         max_attempts;
  guint         backoff_base_ms;
  guint         max_retry_wait_ms;
};

G_DEFINE_FINAL_TYPE (ByokClient, byok_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CATALOG,
  PROP_KEY_STORE,
  PROP_CONNECT_TIMEOUT_MS,
  PROP_IDLE_TIMEOUT_MS,
  PROP_RESPONSE_TIMEOUT_MS,
  PROP_MAX_ATTEMPTS,
  PROP_BACKOFF_BASE_MS,
  PROP_MAX_RETRY_WAIT_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- chat --------------------------------------------------------------- */

/**
 * byok_client_parse_target:
 * @target: "PROVIDER/MODEL" (the model may hold "/" itself, as OpenRouter's
 *   "openrouter/openai/gpt-4o"), or a bare "MODEL" the catalog knows
 * @provider_id: (out) (transfer full)
 * @model: (out) (transfer full)
 *
 * Returns: FALSE with BYOK_ERROR_INVALID when no provider can be told
 */
gboolean
byok_client_parse_target (ByokClient  *self,
                          const char  *target,
                          char       **provider_id,
                          char       **model,
                          GError     **error)
{
  const char *slash;
  ByokModel *found;

  g_return_val_if_fail (BYOK_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (target != NULL, FALSE);

  slash = strchr (target, '/');
  if (slash != NULL && slash != target && slash[1] != '\0')
    {
      g_autofree char *prefix = g_strndup (target, slash - target);

      if (byok_catalog_lookup_provider (byok_client_get_catalog (self), prefix) != NULL)
        {
          *provider_id = g_steal_pointer (&prefix);
          *model = g_strdup (slash + 1);
          return TRUE;
        }
    }

  found = byok_catalog_find_model (byok_client_get_catalog (self), target);
  if (found != NULL)
    {
      *provider_id = g_strdup (byok_model_get_provider_id (found));
      *model = g_strdup (byok_model_get_id (found));
      return TRUE;
    }

  g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
               _("“%s” is not a model Byok knows. Name its provider too, as PROVIDER/MODEL "
                 "(for example openai/gpt-4o-mini); “byok-cli models PROVIDER” lists them."),
               target);
  return FALSE;
}

/**
 * byok_client_new_chat:
 * @request: what to ask; not changed (each target gets a copy with its model)
 * @provider_id: the provider to ask first
 * @model: (nullable): its model; %NULL for @request->model
 * @fallbacks: (nullable) (array zero-terminated=1): "PROVIDER/MODEL" pairs to
 *   try in order when a call fails in a way another provider can fix
 *
 * A call without budgets or usage records (byok_engine_new_chat() has
 * them): connect to its signals, then byok_chat_call_run_async().
 *
 * Returns: (transfer full): the call, not started
 */
ByokChatCall *
byok_client_new_chat (ByokClient         *self,
                      ByokChatRequest    *request,
                      const char         *provider_id,
                      const char         *model,
                      const char * const *fallbacks)
{
  g_return_val_if_fail (BYOK_IS_CLIENT (self), NULL);
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (provider_id != NULL, NULL);

  return _byok_chat_call_new (self, request, provider_id, model, fallbacks);
}

/* ---- object ------------------------------------------------------------- */

static void
register_providers (ByokClient *self)
{
  g_autoptr(GPtrArray) providers = NULL;

  if (self->key_store == NULL || self->catalog == NULL)
    return;
  providers = byok_catalog_get_providers (self->catalog);
  for (guint i = 0; i < providers->len; i++)
    {
      ByokProvider *provider = g_ptr_array_index (providers, i);

      byok_key_store_add_provider (self->key_store, byok_provider_get_id (provider),
                                   byok_provider_get_name (provider),
                                   byok_provider_get_env_vars (provider));
    }
}

static void
byok_client_constructed (GObject *object)
{
  ByokClient *self = BYOK_CLIENT (object);

  G_OBJECT_CLASS (byok_client_parent_class)->constructed (object);

  if (self->catalog == NULL)
    self->catalog = byok_catalog_new_default ();
  if (self->key_store == NULL)
    self->key_store = byok_key_store_new ();
  register_providers (self);
}

static void
byok_client_dispose (GObject *object)
{
  ByokClient *self = BYOK_CLIENT (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_pointer (&self->preconnected, g_hash_table_unref);
  g_clear_object (&self->catalog);
  g_clear_object (&self->key_store);

  G_OBJECT_CLASS (byok_client_parent_class)->dispose (object);
}

static void
byok_client_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  ByokClient *self = BYOK_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CATALOG:
      g_value_set_object (value, self->catalog);
      break;
    case PROP_KEY_STORE:
      g_value_set_object (value, self->key_store);
      break;
    case PROP_CONNECT_TIMEOUT_MS:
      g_value_set_uint (value, self->connect_timeout_ms);
      break;
    case PROP_IDLE_TIMEOUT_MS:
      g_value_set_uint (value, self->idle_timeout_ms);
      break;
    case PROP_RESPONSE_TIMEOUT_MS:
      g_value_set_uint (value, self->response_timeout_ms);
      break;
    case PROP_MAX_ATTEMPTS:
      g_value_set_uint (value, self->max_attempts);
      break;
    case PROP_BACKOFF_BASE_MS:
      g_value_set_uint (value, self->backoff_base_ms);
      break;
    case PROP_MAX_RETRY_WAIT_MS:
      g_value_set_uint (value, self->max_retry_wait_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_client_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  ByokClient *self = BYOK_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CATALOG:
      self->catalog = g_value_dup_object (value);
      break;
    case PROP_KEY_STORE:
      self->key_store = g_value_dup_object (value);
      break;
    case PROP_CONNECT_TIMEOUT_MS:
      byok_client_set_connect_timeout_ms (self, g_value_get_uint (value));
      break;
    case PROP_IDLE_TIMEOUT_MS:
      byok_client_set_idle_timeout_ms (self, g_value_get_uint (value));
      break;
    case PROP_RESPONSE_TIMEOUT_MS:
      byok_client_set_response_timeout_ms (self, g_value_get_uint (value));
      break;
    case PROP_MAX_ATTEMPTS:
      byok_client_set_max_attempts (self, g_value_get_uint (value));
      break;
    case PROP_BACKOFF_BASE_MS:
      byok_client_set_backoff_base_ms (self, g_value_get_uint (value));
      break;
    case PROP_MAX_RETRY_WAIT_MS:
      byok_client_set_max_retry_wait_ms (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_client_class_init (ByokClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = byok_client_constructed;
  object_class->dispose = byok_client_dispose;
  object_class->get_property = byok_client_get_property;
  object_class->set_property = byok_client_set_property;

  properties[PROP_CATALOG] =
    g_param_spec_object ("catalog", NULL, NULL, BYOK_TYPE_CATALOG,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEY_STORE] =
    g_param_spec_object ("key-store", NULL, NULL, BYOK_TYPE_KEY_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * ByokClient:connect-timeout-ms:
   * How long connecting (DNS, TCP, TLS) may take; 0 for no limit.
   */
  properties[PROP_CONNECT_TIMEOUT_MS] =
    g_param_spec_uint ("connect-timeout-ms", NULL, NULL, 0, G_MAXUINT,
                       BYOK_CLIENT_DEFAULT_CONNECT_TIMEOUT_MS, flags);
  /**
   * ByokClient:idle-timeout-ms:
   * How long a stream (or a body) may send nothing before the call fails
   * with TIMEOUT; 0 for no limit.
   */
  properties[PROP_IDLE_TIMEOUT_MS] =
    g_param_spec_uint ("idle-timeout-ms", NULL, NULL, 0, G_MAXUINT,
                       BYOK_CLIENT_DEFAULT_IDLE_TIMEOUT_MS, flags);
  /**
   * ByokClient:response-timeout-ms:
   * How long a non-streamed answer may take to start; 0 for no limit.
   */
  properties[PROP_RESPONSE_TIMEOUT_MS] =
    g_param_spec_uint ("response-timeout-ms", NULL, NULL, 0, G_MAXUINT,
                       BYOK_CLIENT_DEFAULT_RESPONSE_TIMEOUT_MS, flags);
  /**
   * ByokClient:max-attempts:
   * Attempts per (provider, model) of a call, the first one included.
   */
  properties[PROP_MAX_ATTEMPTS] =
    g_param_spec_uint ("max-attempts", NULL, NULL, 1, 100,
                       BYOK_CLIENT_DEFAULT_MAX_ATTEMPTS, flags);
  /**
   * ByokClient:backoff-base-ms:
   * The first wait before a retry when the provider asks for none; it
   * doubles with each retry, with jitter.
   */
  properties[PROP_BACKOFF_BASE_MS] =
    g_param_spec_uint ("backoff-base-ms", NULL, NULL, 0, G_MAXUINT,
                       BYOK_CLIENT_DEFAULT_BACKOFF_BASE_MS, flags);
  /**
   * ByokClient:max-retry-wait-ms:
   * The longest wait before a retry; a provider asking for longer gets no
   * retry (RATE_LIMIT, with the wait in the message).
   */
  properties[PROP_MAX_RETRY_WAIT_MS] =
    g_param_spec_uint ("max-retry-wait-ms", NULL, NULL, 0, G_MAXUINT,
                       BYOK_CLIENT_DEFAULT_MAX_RETRY_WAIT_MS, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
byok_client_init (ByokClient *self)
{
  g_autofree char *user_agent = g_strdup_printf ("Byok/%s ", PACKAGE_VERSION);

  self->connect_timeout_ms = BYOK_CLIENT_DEFAULT_CONNECT_TIMEOUT_MS;
  self->idle_timeout_ms = BYOK_CLIENT_DEFAULT_IDLE_TIMEOUT_MS;
  self->response_timeout_ms = BYOK_CLIENT_DEFAULT_RESPONSE_TIMEOUT_MS;
  self->max_attempts = BYOK_CLIENT_DEFAULT_MAX_ATTEMPTS;
  self->backoff_base_ms = BYOK_CLIENT_DEFAULT_BACKOFF_BASE_MS;
  self->max_retry_wait_ms = BYOK_CLIENT_DEFAULT_MAX_RETRY_WAIT_MS;
  /* Timeouts are ours (per phase); libsoup's would cut long streams.
   * libsoup allows two connections per host by default: a comparison of
   * four models on one HTTP/1.1 host (a local server, a gateway) would
   * queue the third and fourth behind the first two. */
  self->session = soup_session_new_with_options ("user-agent", user_agent,
                                                 "timeout", 0,
                                                 "idle-timeout", 60,
                                                 "max-conns-per-host", 8,
                                                 NULL);
  self->preconnected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * byok_client_new:
 * @catalog: (nullable): the providers and models; %NULL for the default
 * @key_store: (nullable): where keys come from; %NULL for a new one
 *
 * Every provider of @catalog is registered with @key_store (its display
 * name and environment variables).
 */
ByokClient *
byok_client_new (ByokCatalog  *catalog,
                 ByokKeyStore *key_store)
{
  return g_object_new (BYOK_TYPE_CLIENT, "catalog", catalog, "key-store", key_store, NULL);
}

ByokCatalog *
byok_client_get_catalog (ByokClient *self)
{
  g_return_val_if_fail (BYOK_IS_CLIENT (self), NULL);
  return self->catalog;
}

ByokKeyStore *
byok_client_get_key_store (ByokClient *self)
{
  g_return_val_if_fail (BYOK_IS_CLIENT (self), NULL);
  return self->key_store;
}

SoupSession *
byok_client_get_session (ByokClient *self)
{
  g_return_val_if_fail (BYOK_IS_CLIENT (self), NULL);
  return self->session;
}

#define DEFINE_UINT_PROPERTY(name, field, prop)                                  \
  guint                                                                          \
  byok_client_get_##name (ByokClient *self)                                      \
  {                                                                              \
    g_return_val_if_fail (BYOK_IS_CLIENT (self), 0);                             \
    return self->field;                                                          \
  }                                                                              \
  void                                                                           \
  byok_client_set_##name (ByokClient *self,                                      \
                          guint       value)                                     \
  {                                                                              \
    g_return_if_fail (BYOK_IS_CLIENT (self));                                    \
    if (self->field == value)                                                    \
      return;                                                                    \
    self->field = value;                                                         \
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);                \
  }

DEFINE_UINT_PROPERTY (connect_timeout_ms, connect_timeout_ms, PROP_CONNECT_TIMEOUT_MS)
DEFINE_UINT_PROPERTY (idle_timeout_ms, idle_timeout_ms, PROP_IDLE_TIMEOUT_MS)
DEFINE_UINT_PROPERTY (response_timeout_ms, response_timeout_ms, PROP_RESPONSE_TIMEOUT_MS)
DEFINE_UINT_PROPERTY (backoff_base_ms, backoff_base_ms, PROP_BACKOFF_BASE_MS)
DEFINE_UINT_PROPERTY (max_retry_wait_ms, max_retry_wait_ms, PROP_MAX_RETRY_WAIT_MS)

void
byok_client_set_max_attempts (ByokClient *self,
                              guint       max_attempts)
{
  g_return_if_fail (BYOK_IS_CLIENT (self));

  max_attempts = MAX (max_attempts, 1);
  if (self->max_attempts == max_attempts)
    return;
  self->max_attempts = max_attempts;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_ATTEMPTS]);
}

guint
byok_client_get_max_attempts (ByokClient *self)
{
  g_return_val_if_fail (BYOK_IS_CLIENT (self), 0);
  return self->max_attempts;
}

/* ---- preconnect --------------------------------------------------------- */

/* "https://host:443": what one connection serves. */
static char *
origin_of (GUri *uri)
{
  const char *scheme = g_uri_get_scheme (uri);
  int port = g_uri_get_port (uri);

  if (port < 0)
    port = g_ascii_strcasecmp (scheme, "https") == 0 ? 443 : 80;
  return g_strdup_printf ("%s://%s:%d", scheme, g_uri_get_host (uri), port);
}

/* A chat call to a host a connection was opened to ahead takes it. libsoup
 * gives a POST a new connection unless the message is flagged idempotent;
 * the flag changes nothing else for it (libsoup resends a request on a
 * connection found closed only for idempotent methods, not flags), and a
 * connection closed meanwhile fails like any network failure, which the
 * call retries as an attempt of its own. Only the first call after a
 * preconnect, while the session may still hold the connection. */
void
_byok_client_take_preconnection (ByokClient  *self,
                                 SoupMessage *msg)
{
  g_autofree char *origin = origin_of (soup_message_get_uri (msg));
  gint64 *opened = g_hash_table_lookup (self->preconnected, origin);

  if (opened == NULL)
    return;
  if (g_get_monotonic_time () - *opened < (gint64) soup_session_get_idle_timeout (self->session) * G_USEC_PER_SEC)
    soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  g_hash_table_remove (self->preconnected, origin);
}

static void
preconnect_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autofree char *provider_id = user_data;
  g_autoptr(GError) error = NULL;

  if (!soup_session_preconnect_finish (SOUP_SESSION (source), result, &error))
    g_debug ("No connection ahead to %s: %s", provider_id, error->message);
}

/**
 * byok_client_preconnect:
 * @provider_id: the provider a chat call will likely go to soon
 *
 * Opens a connection to the host of @provider_id's base URL (TCP, and TLS
 * for https), so that a call made soon does not wait for the handshakes:
 * the connection waits idle in the session, where the call takes it.
 * Nothing is sent and no key is read. Does nothing for an unknown
 * provider or a base URL that is not one; when the session already holds
 * an idle connection to that host, it makes no other. Errors are the
 * call's to find and report.
 */
void
byok_client_preconnect (ByokClient *self,
                        const char *provider_id)
{
  ByokProvider *provider;
  const char *base_url;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  gint64 now = g_get_monotonic_time ();

  g_return_if_fail (BYOK_IS_CLIENT (self));
  g_return_if_fail (provider_id != NULL);

  provider = byok_catalog_lookup_provider (self->catalog, provider_id);
  base_url = provider != NULL ? byok_provider_get_base_url (provider) : NULL;
  uri = base_url != NULL ? g_uri_parse (base_url, SOUP_HTTP_URI_FLAGS, NULL) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0 &&
       g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0))
    return;
  /* Never sent; a GET, so that an idle connection to the host serves
   * instead of a new one (libsoup opens one for every POST). */
  msg = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  g_hash_table_insert (self->preconnected, origin_of (uri), g_memdup2 (&now, sizeof now));
  soup_session_preconnect_async (self->session, msg, G_PRIORITY_DEFAULT, NULL, preconnect_cb,
                                 g_strdup (provider_id));
}
