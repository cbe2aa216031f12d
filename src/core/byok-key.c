/* byok-key.c — one API key as ByokKeyStore found it */
#define G_LOG_DOMAIN "byok-keys"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byok-key.h"
#include "byok-key-format.h"

struct _ByokKey
{
  GObject parent_instance;

  char *provider_id;
  char *account;
  ByokKeySource source;
  char *env_var;
  char *secret;        /* non-pageable; wiped by byok_secret_free() */
  char *masked;
  guint is_default : 1;
  guint is_active : 1;
};

G_DEFINE_FINAL_TYPE (ByokKey, byok_key, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (ByokKeySource, byok_key_source,
  G_DEFINE_ENUM_VALUE (BYOK_KEY_SOURCE_KEYRING, "keyring"),
  G_DEFINE_ENUM_VALUE (BYOK_KEY_SOURCE_ENVIRONMENT, "environment"))

enum {
  PROP_0,
  PROP_PROVIDER,
  PROP_ACCOUNT,
  PROP_SOURCE,
  PROP_ENV_VAR,
  PROP_MASKED,
  PROP_IS_DEFAULT,
  PROP_IS_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
byok_key_finalize (GObject *object)
{
  ByokKey *self = (ByokKey *) object;

  g_clear_pointer (&self->secret, byok_secret_free);
  g_clear_pointer (&self->provider_id, g_free);
  g_clear_pointer (&self->account, g_free);
  g_clear_pointer (&self->env_var, g_free);
  g_clear_pointer (&self->masked, g_free);

  G_OBJECT_CLASS (byok_key_parent_class)->finalize (object);
}

static void
byok_key_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  ByokKey *self = BYOK_KEY (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      g_value_set_string (value, self->provider_id);
      break;
    case PROP_ACCOUNT:
      g_value_set_string (value, self->account);
      break;
    case PROP_SOURCE:
      g_value_set_enum (value, self->source);
      break;
    case PROP_ENV_VAR:
      g_value_set_string (value, self->env_var);
      break;
    case PROP_MASKED:
      g_value_set_string (value, byok_key_get_masked (self));
      break;
    case PROP_IS_DEFAULT:
      g_value_set_boolean (value, self->is_default);
      break;
    case PROP_IS_ACTIVE:
      g_value_set_boolean (value, self->is_active);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_key_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  ByokKey *self = BYOK_KEY (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      self->provider_id = g_value_dup_string (value);
      break;
    case PROP_ACCOUNT:
      self->account = g_value_dup_string (value);
      break;
    case PROP_SOURCE:
      self->source = g_value_get_enum (value);
      break;
    case PROP_ENV_VAR:
      self->env_var = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_key_class_init (ByokKeyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = byok_key_finalize;
  object_class->get_property = byok_key_get_property;
  object_class->set_property = byok_key_set_property;

  /**
   * ByokKey:provider: the provider id ("openai", …).
   */
  properties[PROP_PROVIDER] =
    g_param_spec_string ("provider", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * ByokKey:account: the keyring account ("default", "work", …); %NULL for
   * a key from the environment.
   */
  properties[PROP_ACCOUNT] =
    g_param_spec_string ("account", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE] =
    g_param_spec_enum ("source", NULL, NULL, BYOK_TYPE_KEY_SOURCE, BYOK_KEY_SOURCE_KEYRING,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * ByokKey:env-var: the variable a key from the environment was read from
   * ("KIMI_API_KEY"); %NULL for a keyring key.
   */
  properties[PROP_ENV_VAR] =
    g_param_spec_string ("env-var", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * ByokKey:masked: the key as it may be shown (see byok_key_format_mask()).
   */
  properties[PROP_MASKED] =
    g_param_spec_string ("masked", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * ByokKey:is-default: this keyring account is the provider's default.
   */
  properties[PROP_IS_DEFAULT] =
    g_param_spec_boolean ("is-default", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * ByokKey:is-active: this is the key a call to the provider uses when no
   * account is named (the default keyring key, or the environment's, as the
   * preference says).
   */
  properties[PROP_IS_ACTIVE] =
    g_param_spec_boolean ("is-active", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
byok_key_init (ByokKey *self)
{
}

/**
 * byok_key_new_take_secret:
 * @provider_id: the provider id
 * @account: (nullable): the keyring account; %NULL for an environment key
 * @source: where the key comes from
 * @env_var: (nullable): the environment variable, for an environment key
 * @secret: (transfer full): the key, in memory from byok_secret_dup() or
 *   libsecret (it is freed with byok_secret_free())
 *
 * Returns: (transfer full): a new key
 */
ByokKey *
byok_key_new_take_secret (const char    *provider_id,
                          const char    *account,
                          ByokKeySource  source,
                          const char    *env_var,
                          char          *secret)
{
  ByokKey *self;

  g_return_val_if_fail (provider_id != NULL, NULL);
  g_return_val_if_fail (secret != NULL, NULL);

  self = g_object_new (BYOK_TYPE_KEY,
                       "provider", provider_id,
                       "account", account,
                       "source", source,
                       "env-var", env_var,
                       NULL);
  self->secret = secret;
  return self;
}

/**
 * byok_key_new_without_secret:
 * @provider_id: the provider id
 * @account: the keyring account
 *
 * A keyring key whose secret was not read: for listings that only say
 * which keys there are (byok_key_store_list_usable_accounts_async()).
 * byok_key_get_secret() gives %NULL and byok_key_get_masked() "".
 *
 * Returns: (transfer full): a new key
 */
ByokKey *
byok_key_new_without_secret (const char *provider_id,
                             const char *account)
{
  g_return_val_if_fail (provider_id != NULL, NULL);

  return g_object_new (BYOK_TYPE_KEY,
                       "provider", provider_id,
                       "account", account,
                       "source", BYOK_KEY_SOURCE_KEYRING,
                       NULL);
}

/**
 * byok_key_new:
 * @secret: the key; it is copied into non-pageable memory
 *
 * Like byok_key_new_take_secret(), copying @secret. For tests and for keys
 * that do not come from the store (e.g. a `--key-env` option).
 *
 * Returns: (transfer full): a new key
 */
ByokKey *
byok_key_new (const char    *provider_id,
              const char    *account,
              ByokKeySource  source,
              const char    *env_var,
              const char    *secret)
{
  g_return_val_if_fail (secret != NULL, NULL);

  return byok_key_new_take_secret (provider_id, account, source, env_var,
                                   byok_secret_dup (secret, -1));
}

const char *
byok_key_get_provider (ByokKey *self)
{
  g_return_val_if_fail (BYOK_IS_KEY (self), NULL);
  return self->provider_id;
}

/**
 * byok_key_get_account:
 * Returns: (nullable): the keyring account, or %NULL for an environment key
 */
const char *
byok_key_get_account (ByokKey *self)
{
  g_return_val_if_fail (BYOK_IS_KEY (self), NULL);
  return self->account;
}

ByokKeySource
byok_key_get_source (ByokKey *self)
{
  g_return_val_if_fail (BYOK_IS_KEY (self), BYOK_KEY_SOURCE_KEYRING);
  return self->source;
}

/**
 * byok_key_get_env_var:
 * Returns: (nullable): the environment variable of an environment key
 */
const char *
byok_key_get_env_var (ByokKey *self)
{
  g_return_val_if_fail (BYOK_IS_KEY (self), NULL);
  return self->env_var;
}

/**
 * byok_key_get_secret:
 *
 * The key itself, to send to the provider. Do not copy it into ordinary
 * memory, a log line, an error or a file.
 *
 * Returns: (nullable): the key, or %NULL after byok_key_wipe() or for a
 *   key listed without its secret
 */
const char *
byok_key_get_secret (ByokKey *self)
{
  g_return_val_if_fail (BYOK_IS_KEY (self), NULL);
  return self->secret;
}

/**
 * byok_key_get_masked:
 * Returns: the masked form ("sk-t••••••••••••wxyz"); it stays valid after
 *   byok_key_wipe()
 */
const char *
byok_key_get_masked (ByokKey *self)
{
  g_return_val_if_fail (BYOK_IS_KEY (self), NULL);

  if (self->masked == NULL)
    self->masked = byok_key_format_mask (self->secret);
  return self->masked;
}

gboolean
byok_key_get_is_default (ByokKey *self)
{
  g_return_val_if_fail (BYOK_IS_KEY (self), FALSE);
  return self->is_default;
}

gboolean
byok_key_get_is_active (ByokKey *self)
{
  g_return_val_if_fail (BYOK_IS_KEY (self), FALSE);
  return self->is_active;
}

void
byok_key_set_is_default (ByokKey  *self,
                         gboolean  is_default)
{
  g_return_if_fail (BYOK_IS_KEY (self));

  is_default = !!is_default;
  if (self->is_default == (guint) is_default)
    return;
  self->is_default = is_default;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_DEFAULT]);
}

void
byok_key_set_is_active (ByokKey  *self,
                        gboolean  is_active)
{
  g_return_if_fail (BYOK_IS_KEY (self));

  is_active = !!is_active;
  if (self->is_active == (guint) is_active)
    return;
  self->is_active = is_active;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_ACTIVE]);
}

/**
 * byok_key_dup_source_label:
 *
 * Returns: (transfer full): where the key comes from, for people: "in the
 *   keyring" or "from environment (KIMI_API_KEY)"
 */
char *
byok_key_dup_source_label (ByokKey *self)
{
  g_return_val_if_fail (BYOK_IS_KEY (self), NULL);

  if (self->source == BYOK_KEY_SOURCE_ENVIRONMENT)
    /* Translators: %s is an environment variable, e.g. OPENAI_API_KEY */
    return g_strdup_printf (_("from environment (%s)"), self->env_var);
  return g_strdup (_("in the keyring"));
}

/**
 * byok_key_wipe:
 *
 * Wipes and frees the secret now rather than when the object goes; the
 * masked form is kept.
 */
void
byok_key_wipe (ByokKey *self)
{
  g_return_if_fail (BYOK_IS_KEY (self));

  byok_key_get_masked (self);
  g_clear_pointer (&self->secret, byok_secret_free);
}
