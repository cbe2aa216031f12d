/* byok-client.c — the client object: its transport and settings
 *
 * The work is done elsewhere: what requests share (the session, the
 * settings, targets, preconnections) in byok-transport.c, one HTTP request
 * in byok-exchange.c, a chat call in byok-chat-call.c, model listings and
 * key checks in byok-client-models.c.
 */
#define G_LOG_DOMAIN "byok-client"

#include "config.h"

#include "byok-chat-call-private.h"
#include "byok-client-private.h"

struct _ByokClient
{
  GObject        parent_instance;

  /* The session, the catalog, the key store and the settings below, shared
   * with the calls and exchanges this client makes */
  ByokTransport *transport;
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
  g_return_val_if_fail (BYOK_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (target != NULL, FALSE);

  return _byok_transport_parse_target (self->transport, target, provider_id, model, error);
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

  return _byok_chat_call_new (self->transport, request, provider_id, model, fallbacks);
}

/* ---- object ------------------------------------------------------------- */

static void
register_providers (ByokClient *self)
{
  g_autoptr(GPtrArray) providers = NULL;

  providers = byok_catalog_get_providers (self->transport->catalog);
  for (guint i = 0; i < providers->len; i++)
    {
      ByokProvider *provider = g_ptr_array_index (providers, i);

      byok_key_store_add_provider (self->transport->key_store, byok_provider_get_id (provider),
                                   byok_provider_get_name (provider),
                                   byok_provider_get_env_vars (provider));
    }
}

static void
byok_client_constructed (GObject *object)
{
  ByokClient *self = BYOK_CLIENT (object);

  G_OBJECT_CLASS (byok_client_parent_class)->constructed (object);

  if (self->transport->catalog == NULL)
    self->transport->catalog = byok_catalog_new_default ();
  if (self->transport->key_store == NULL)
    self->transport->key_store = byok_key_store_new ();
  register_providers (self);
}

static void
byok_client_finalize (GObject *object)
{
  ByokClient *self = BYOK_CLIENT (object);

  /* The session is aborted once the calls still running let go too. */
  g_clear_pointer (&self->transport, _byok_transport_unref);

  G_OBJECT_CLASS (byok_client_parent_class)->finalize (object);
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
      g_value_set_object (value, self->transport->catalog);
      break;
    case PROP_KEY_STORE:
      g_value_set_object (value, self->transport->key_store);
      break;
    case PROP_CONNECT_TIMEOUT_MS:
      g_value_set_uint (value, self->transport->connect_timeout_ms);
      break;
    case PROP_IDLE_TIMEOUT_MS:
      g_value_set_uint (value, self->transport->idle_timeout_ms);
      break;
    case PROP_RESPONSE_TIMEOUT_MS:
      g_value_set_uint (value, self->transport->response_timeout_ms);
      break;
    case PROP_MAX_ATTEMPTS:
      g_value_set_uint (value, self->transport->max_attempts);
      break;
    case PROP_BACKOFF_BASE_MS:
      g_value_set_uint (value, self->transport->backoff_base_ms);
      break;
    case PROP_MAX_RETRY_WAIT_MS:
      g_value_set_uint (value, self->transport->max_retry_wait_ms);
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
      self->transport->catalog = g_value_dup_object (value);
      break;
    case PROP_KEY_STORE:
      self->transport->key_store = g_value_dup_object (value);
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
  object_class->finalize = byok_client_finalize;
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
  self->transport = _byok_transport_new ();
  self->transport->connect_timeout_ms = BYOK_CLIENT_DEFAULT_CONNECT_TIMEOUT_MS;
  self->transport->idle_timeout_ms = BYOK_CLIENT_DEFAULT_IDLE_TIMEOUT_MS;
  self->transport->response_timeout_ms = BYOK_CLIENT_DEFAULT_RESPONSE_TIMEOUT_MS;
  self->transport->max_attempts = BYOK_CLIENT_DEFAULT_MAX_ATTEMPTS;
  self->transport->backoff_base_ms = BYOK_CLIENT_DEFAULT_BACKOFF_BASE_MS;
  self->transport->max_retry_wait_ms = BYOK_CLIENT_DEFAULT_MAX_RETRY_WAIT_MS;
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
  return self->transport->catalog;
}

ByokKeyStore *
byok_client_get_key_store (ByokClient *self)
{
  g_return_val_if_fail (BYOK_IS_CLIENT (self), NULL);
  return self->transport->key_store;
}

SoupSession *
byok_client_get_session (ByokClient *self)
{
  g_return_val_if_fail (BYOK_IS_CLIENT (self), NULL);
  return self->transport->session;
}

ByokTransport *
_byok_client_get_transport (ByokClient *self)
{
  return self->transport;
}

#define DEFINE_UINT_PROPERTY(name, field, prop)                                  \
  guint                                                                          \
  byok_client_get_##name (ByokClient *self)                                      \
  {                                                                              \
    g_return_val_if_fail (BYOK_IS_CLIENT (self), 0);                             \
    return self->transport->field;                                               \
  }                                                                              \
  void                                                                           \
  byok_client_set_##name (ByokClient *self,                                      \
                          guint       value)                                     \
  {                                                                              \
    g_return_if_fail (BYOK_IS_CLIENT (self));                                    \
    if (self->transport->field == value)                                         \
      return;                                                                    \
    self->transport->field = value;                                              \
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
  if (self->transport->max_attempts == max_attempts)
    return;
  self->transport->max_attempts = max_attempts;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_ATTEMPTS]);
}

guint
byok_client_get_max_attempts (ByokClient *self)
{
  g_return_val_if_fail (BYOK_IS_CLIENT (self), 0);
  return self->transport->max_attempts;
}

/* ---- preconnect --------------------------------------------------------- */

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
  g_return_if_fail (BYOK_IS_CLIENT (self));
  g_return_if_fail (provider_id != NULL);

  _byok_transport_preconnect (self->transport, provider_id);
}
