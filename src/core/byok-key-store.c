/* byok-key-store.c — API keys in the desktop keyring, and in the environment
 *
 * Nothing secret is logged: debug lines name the provider, the account and
 * the outcome, never a key. Secrets travel in SecretValue / libsecret's
 * non-pageable memory and are wiped when done.
 */
#define G_LOG_DOMAIN "byok-keys"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "byok-error.h"
#include "byok-key-format.h"
#include "byok-key-store-private.h"

const SecretSchema _byok_key_schema = {
  .name = BYOK_KEY_SCHEMA_NAME,
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { "provider", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

/* One item per provider that has a default other than by the rules: its
 * `account` attribute names the default account. */
const SecretSchema _byok_key_default_schema = {
  .name = BYOK_KEY_DEFAULT_SCHEMA_NAME,
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { "provider", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

G_DEFINE_FINAL_TYPE (ByokKeyStore, byok_key_store, G_TYPE_OBJECT)

static void
provider_info_free (gpointer data)
{
  ProviderInfo *info = data;

  g_free (info->display_name);
  g_strfreev (info->env_vars);
  g_free (info);
}

static void
byok_key_store_finalize (GObject *object)
{
  ByokKeyStore *self = (ByokKeyStore *) object;

  if (self->sink_destroy != NULL)
    self->sink_destroy (self->sink_data);
  g_clear_pointer (&self->providers, g_hash_table_unref);
  g_clear_pointer (&self->envp, g_strfreev);

  G_OBJECT_CLASS (byok_key_store_parent_class)->finalize (object);
}

static void
byok_key_store_class_init (ByokKeyStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = byok_key_store_finalize;
}

static void
byok_key_store_init (ByokKeyStore *self)
{
  self->providers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, provider_info_free);
}

/**
 * byok_key_store_new:
 *
 * A store knows nothing of the catalog: register each provider's display
 * name and environment variables with byok_key_store_add_provider(). Use it
 * from one thread (the one whose main context runs its callbacks).
 *
 * Returns: (transfer full): a new key store
 */
ByokKeyStore *
byok_key_store_new (void)
{
  return g_object_new (BYOK_TYPE_KEY_STORE, NULL);
}

const char *
byok_key_event_to_string (ByokKeyEvent event)
{
  switch (event)
    {
    case BYOK_KEY_EVENT_ADDED:
      return "added";
    case BYOK_KEY_EVENT_REPLACED:
      return "replaced";
    case BYOK_KEY_EVENT_DELETED:
      return "deleted";
    case BYOK_KEY_EVENT_DEFAULT_CHANGED:
      return "default-changed";
    case BYOK_KEY_EVENT_TESTED:
      return "tested";
    default:
      return "unknown";
    }
}

/* ── configuration ─────────────────────────────────────────────────────── */

static ProviderInfo *
ensure_provider (ByokKeyStore *self,
                 const char   *provider_id)
{
  ProviderInfo *info = g_hash_table_lookup (self->providers, provider_id);

  if (info == NULL)
    {
      info = g_new0 (ProviderInfo, 1);
      g_hash_table_insert (self->providers, g_strdup (provider_id), info);
    }
  return info;
}

/**
 * byok_key_store_add_provider:
 * @provider_id: the provider id ("moonshot")
 * @display_name: (nullable): its name for people ("Moonshot (Kimi)"), used
 *   in keyring labels and messages; the id when %NULL
 * @env_vars: (nullable) (array zero-terminated=1): the environment variables
 *   that may hold its key, in order of preference
 *   ({"MOONSHOT_API_KEY", "KIMI_API_KEY", NULL})
 *
 * Registers (or updates) a provider. Keys of providers that were never
 * registered are still stored and found; they just have no environment
 * source and are labelled with their id.
 */
void
byok_key_store_add_provider (ByokKeyStore       *self,
                             const char         *provider_id,
                             const char         *display_name,
                             const char * const *env_vars)
{
  ProviderInfo *info;

  g_return_if_fail (BYOK_IS_KEY_STORE (self));
  g_return_if_fail (provider_id != NULL);

  info = ensure_provider (self, provider_id);
  g_free (info->display_name);
  info->display_name = g_strdup (display_name);
  g_strfreev (info->env_vars);
  info->env_vars = g_strdupv ((char **) env_vars);
}

/**
 * byok_key_store_set_prefer_environment:
 * @prefer: %TRUE to use the environment's key before the keyring's
 *
 * The per-provider choice of which source wins when both have a key. It is
 * kept in memory only: the app persists it and sets it at start-up.
 */
void
byok_key_store_set_prefer_environment (ByokKeyStore *self,
                                       const char   *provider_id,
                                       gboolean      prefer)
{
  g_return_if_fail (BYOK_IS_KEY_STORE (self));
  g_return_if_fail (provider_id != NULL);

  ensure_provider (self, provider_id)->prefer_environment = !!prefer;
}

gboolean
byok_key_store_get_prefer_environment (ByokKeyStore *self,
                                       const char   *provider_id)
{
  ProviderInfo *info;

  g_return_val_if_fail (BYOK_IS_KEY_STORE (self), FALSE);
  g_return_val_if_fail (provider_id != NULL, FALSE);

  info = g_hash_table_lookup (self->providers, provider_id);
  return info != NULL && info->prefer_environment;
}

/**
 * byok_key_store_set_environment:
 * @envp: (nullable) (array zero-terminated=1): an environment (as from
 *   g_get_environ()) to read keys from instead of the process's; %NULL to go
 *   back to the process environment
 *
 * For tests, and for a CLI that runs a command with a given environment.
 */
void
byok_key_store_set_environment (ByokKeyStore       *self,
                                const char * const *envp)
{
  g_return_if_fail (BYOK_IS_KEY_STORE (self));

  g_clear_pointer (&self->envp, g_strfreev);
  self->envp = g_strdupv ((char **) envp);
}

/**
 * byok_key_store_set_event_sink:
 * @sink: (nullable): where key events go; %NULL to stop sending them
 * @user_data: passed to @sink
 * @destroy: (nullable): frees @user_data when the sink is replaced or the
 *   store finalized
 */
void
byok_key_store_set_event_sink (ByokKeyStore     *self,
                               ByokKeyEventSink  sink,
                               gpointer          user_data,
                               GDestroyNotify    destroy)
{
  g_return_if_fail (BYOK_IS_KEY_STORE (self));

  if (self->sink_destroy != NULL)
    self->sink_destroy (self->sink_data);
  self->sink = sink;
  self->sink_data = user_data;
  self->sink_destroy = destroy;
}

/**
 * byok_key_store_record_event:
 * @account: (nullable): the account, %NULL for an environment key
 * @result: (nullable): "OK" when %NULL, else an error class
 * @detail: (nullable): never any part of a key
 *
 * Sends an event to the sink: for events the store does not see itself,
 * such as BYOK_KEY_EVENT_TESTED from whoever tests a key.
 */
void
byok_key_store_record_event (ByokKeyStore *self,
                             const char   *provider_id,
                             const char   *account,
                             ByokKeyEvent  event,
                             const char   *result,
                             const char   *detail)
{
  g_return_if_fail (BYOK_IS_KEY_STORE (self));
  g_return_if_fail (provider_id != NULL);

  if (result == NULL)
    result = "OK";
  g_debug ("key event: %s %s/%s: %s", byok_key_event_to_string (event),
           provider_id, account ? account : "(environment)", result);
  if (self->sink != NULL)
    self->sink (provider_id, account, event, result, detail, self->sink_data);
}

static void
emit_event (ByokKeyStore *self,
            const char   *provider_id,
            const char   *account,
            ByokKeyEvent  event,
            const GError *error)
{
  byok_key_store_record_event (self, provider_id, account, event,
                               error ? byok_error_get_class (error) : "OK",
                               error ? error->message : NULL);
}

static const char *
display_name (ByokKeyStore *self,
              const char   *provider_id)
{
  ProviderInfo *info = g_hash_table_lookup (self->providers, provider_id);

  if (info != NULL && info->display_name != NULL && *info->display_name != '\0')
    return info->display_name;
  return provider_id;
}

/**
 * byok_key_store_dup_label:
 *
 * Returns: (transfer full): the keyring label of a key, as Seahorse shows it:
 *   "Byok: OpenAI key (work)"
 */
char *
byok_key_store_dup_label (ByokKeyStore *self,
                          const char   *provider_id,
                          const char   *account)
{
  g_return_val_if_fail (BYOK_IS_KEY_STORE (self), NULL);
  g_return_val_if_fail (provider_id != NULL, NULL);

  /* Translators: the keyring label of an API key, shown in Passwords and
   * Keys (Seahorse). The first %s is a provider (e.g. OpenAI), the second
   * the name the user gave the key (e.g. work). */
  return g_strdup_printf (_("Byok: %s key (%s)"), display_name (self, provider_id),
                          account ? account : BYOK_KEY_DEFAULT_ACCOUNT);
}

static char *
dup_default_label (ByokKeyStore *self,
                   const char   *provider_id,
                   const char   *account)
{
  /* Translators: the keyring label of the item that remembers which key is
   * a provider's default. The first %s is a provider, the second a key name. */
  return g_strdup_printf (_("Byok: %s uses the “%s” key by default"),
                          display_name (self, provider_id), account);
}

/* ── environment ───────────────────────────────────────────────────────── */

static const char *
store_getenv (ByokKeyStore *self,
              const char   *name)
{
  if (self->envp != NULL)
    return g_environ_getenv (self->envp, name);
  return g_getenv (name);
}

static void
add_environment_keys (ByokKeyStore *self,
                      const char   *provider_id,
                      GPtrArray    *out)
{
  ProviderInfo *info = g_hash_table_lookup (self->providers, provider_id);

  if (info == NULL || info->env_vars == NULL)
    return;

  for (guint i = 0; info->env_vars[i] != NULL; i++)
    {
      const char *value = store_getenv (self, info->env_vars[i]);
      const char *end;

      if (value == NULL)
        continue;
      /* A value set with `$(cat file)` or a stray space still works. */
      while (g_ascii_isspace (*value))
        value++;
      end = value + strlen (value);
      while (end > value && g_ascii_isspace (end[-1]))
        end--;
      if (end == value)
        continue;

      g_ptr_array_add (out, byok_key_new_take_secret (provider_id, NULL,
                                                      BYOK_KEY_SOURCE_ENVIRONMENT,
                                                      info->env_vars[i],
                                                      byok_secret_dup (value, end - value)));
    }
}

int
_byok_key_store_compare_strings (gconstpointer a,
                                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/**
 * byok_key_store_list_environment:
 * @provider_id: (nullable): one provider, or %NULL for every registered one
 *
 * The keys set in the environment variables of registered providers, in
 * provider order and then in the order of the provider's variables. Reads
 * the environment only: no keyring, no I/O. Useful to show environment keys
 * when the keyring cannot be reached. is-default and is-active are not set.
 *
 * Returns: (transfer full) (element-type ByokKey): the keys, maybe none
 */
GPtrArray *
byok_key_store_list_environment (ByokKeyStore *self,
                                 const char   *provider_id)
{
  g_autoptr(GPtrArray) ids = NULL;
  GHashTableIter iter;
  gpointer id;
  GPtrArray *out;

  g_return_val_if_fail (BYOK_IS_KEY_STORE (self), NULL);

  out = g_ptr_array_new_with_free_func (g_object_unref);
  if (provider_id != NULL)
    {
      add_environment_keys (self, provider_id, out);
      return out;
    }

  ids = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, self->providers);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_ptr_array_add (ids, id);
  g_ptr_array_sort (ids, _byok_key_store_compare_strings);
  for (guint i = 0; i < ids->len; i++)
    add_environment_keys (self, g_ptr_array_index (ids, i), out);
  return out;
}

/* ── validation and errors ─────────────────────────────────────────────── */

static gboolean
is_clean_text (const char *text,
               gsize       max_chars)
{
  gsize n = 0;
  gboolean visible = FALSE;

  if (text == NULL || *text == '\0' || !g_utf8_validate (text, -1, NULL))
    return FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        return FALSE;
      if (!g_unichar_isspace (c))
        visible = TRUE;
      n++;
    }
  return visible && (max_chars == 0 || n <= max_chars);
}

gboolean
_byok_key_store_validate_names (const char  *provider_id,
                                const char  *account,
                                GError     **error)
{
  if (!is_clean_text (provider_id, 64))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("The provider name is empty or not valid. Pick a provider from the list."));
      return FALSE;
    }
  if (account != NULL && !is_clean_text (account, BYOK_KEY_ACCOUNT_MAX_LENGTH))
    {
      /* Translators: %d is the longest name allowed (64) */
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("A key name has 1 to %d characters and no line breaks. Choose another name, such as “work”."),
                   BYOK_KEY_ACCOUNT_MAX_LENGTH);
      return FALSE;
    }
  return TRUE;
}

gboolean
_byok_key_store_validate_secret (const char  *secret,
                                 GError     **error)
{
  if (secret == NULL || *secret == '\0')
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("The key is empty. Paste the whole key."));
      return FALSE;
    }
  if (!g_utf8_validate (secret, -1, NULL))
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("The key is not text. Copy it again from the provider’s website."));
      return FALSE;
    }
  for (const char *p = secret; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7F)
        {
          g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                       _("The key contains a line break or another control character, so no provider would accept it. Paste it again."));
          return FALSE;
        }
    }
  return TRUE;
}

/* Checks a call's names (and, @with_secret, its key) before it starts.
 * Returns: %FALSE when one is not valid: @task then returned the error
 *   and was unreffed */
gboolean
_byok_key_store_task_check_input (GTask      *task,
                                  const char *provider_id,
                                  const char *account,
                                  gboolean    with_secret,
                                  const char *secret)
{
  g_autoptr(GError) error = NULL;

  if (_byok_key_store_validate_names (provider_id, account, &error) &&
      (!with_secret || _byok_key_store_validate_secret (secret, &error)))
    return TRUE;

  g_task_return_error (task, g_steal_pointer (&error));
  g_object_unref (task);
  return FALSE;
}

static gboolean
is_no_service_error (const GError *error)
{
  if (error->domain == G_IO_ERROR)
    return error->code != G_IO_ERROR_CANCELLED && error->code != G_IO_ERROR_TIMED_OUT;

  if (error->domain == G_DBUS_ERROR)
    {
      switch (error->code)
        {
        case G_DBUS_ERROR_SERVICE_UNKNOWN:
        case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
        case G_DBUS_ERROR_NO_SERVER:
        case G_DBUS_ERROR_NO_NETWORK:
        case G_DBUS_ERROR_DISCONNECTED:
        case G_DBUS_ERROR_FILE_NOT_FOUND:
        case G_DBUS_ERROR_BAD_ADDRESS:
        case G_DBUS_ERROR_UNKNOWN_METHOD:
        case G_DBUS_ERROR_UNKNOWN_OBJECT:
        case G_DBUS_ERROR_UNKNOWN_INTERFACE:
        case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
        case G_DBUS_ERROR_SPAWN_FORK_FAILED:
        case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
        case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
        case G_DBUS_ERROR_SPAWN_FAILED:
        case G_DBUS_ERROR_SPAWN_SETUP_FAILED:
        case G_DBUS_ERROR_SPAWN_CONFIG_INVALID:
        case G_DBUS_ERROR_SPAWN_SERVICE_INVALID:
        case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
        case G_DBUS_ERROR_SPAWN_PERMISSIONS_INVALID:
        case G_DBUS_ERROR_SPAWN_FILE_INVALID:
        case G_DBUS_ERROR_SPAWN_NO_MEMORY:
          return TRUE;
        default:
          return FALSE;
        }
    }
  return FALSE;
}

/* A BYOK_ERROR for what libsecret reported. @error may be NULL: libsecret
 * answered "nothing done" where something had to be, which is what a
 * dismissed unlock prompt looks like. */
static GError *
keyring_error_new (const GError *error,
                   GCancellable *cancellable)
{
  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    return g_error_new_literal (BYOK_ERROR, BYOK_ERROR_CANCELLED,
                                _("The keyring operation was cancelled."));

  if (error != NULL)
    g_debug ("keyring error: %s %d: %s", g_quark_to_string (error->domain),
             error->code, error->message);

  if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_new_literal (BYOK_ERROR, BYOK_ERROR_KEYRING,
                                _("The keyring stayed locked because its unlock prompt was dismissed. Try again and unlock it, or unlock the “Login” keyring in Passwords and Keys (Seahorse)."));

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    return g_error_new_literal (BYOK_ERROR, BYOK_ERROR_KEYRING,
                                _("The keyring is locked. Unlock it when asked, or unlock the “Login” keyring in Passwords and Keys (Seahorse), then try again."));

  if (is_no_service_error (error))
    return g_error_new_literal (BYOK_ERROR, BYOK_ERROR_KEYRING,
                                _("No keyring is running, so Byok cannot store or read API keys. Install and start GNOME Keyring (gnome-keyring-daemon), or log in to a GNOME session, then try again. Byok never keeps keys in a plain file; to use a key without a keyring, set it in the provider’s environment variable."));

  /* Translators: %s is the keyring's own error message */
  return g_error_new (BYOK_ERROR, BYOK_ERROR_KEYRING,
                      _("The keyring could not complete the request (%s). Check that GNOME Keyring is running and unlocked, then try again."),
                      error->message);
}

/**
 * byok_keyring_error_new:
 * @error: (nullable): libsecret's error (NULL: a dismissed prompt)
 * @cancellable: (nullable): the operation's
 *
 * Returns: (transfer full): the BYOK_ERROR_KEYRING (or _CANCELLED) error a
 *   person reads for a failed keyring operation, saying what to do
 */
GError *
byok_keyring_error_new (const GError *error,
                        GCancellable *cancellable)
{
  return keyring_error_new (error, cancellable);
}

void
_byok_key_store_task_return_keyring_error (GTask        *task,
                                           const GError *error)
{
  g_task_return_error (task, keyring_error_new (error, g_task_get_cancellable (task)));
}

GHashTable *
_byok_key_store_build_attributes (const SecretSchema *schema,
                                  const char         *provider_id,
                                  const char         *account)
{
  GHashTable *attrs = secret_attributes_build (schema, NULL);

  /* The schema's name as an attribute of its own. The Secret Service
   * matches it by itself; libsecret's file backend (what it uses inside
   * Flatpak, through the Secret portal) matches attributes only, and would
   * take a default-key marker for a key, or clear keys with a marker. */
  g_hash_table_insert (attrs, g_strdup ("xdg:schema"), g_strdup (schema->name));
  if (provider_id != NULL)
    g_hash_table_insert (attrs, g_strdup ("provider"), g_strdup (provider_id));
  if (account != NULL)
    g_hash_table_insert (attrs, g_strdup ("account"), g_strdup (account));
  return attrs;
}

static void
secret_value_wipe (SecretValue *value)
{
  if (value != NULL)
    secret_password_free (secret_value_unref_to_password (value, NULL));
}

GError *
_byok_key_store_no_key_error (ByokKeyStore *self,
                              const char   *provider_id,
                              const char   *account)
{
  ProviderInfo *info = g_hash_table_lookup (self->providers, provider_id);
  g_autofree char *vars = NULL;

  if (account != NULL)
    /* Translators: the first %s is a provider, the second a key name */
    return g_error_new (BYOK_ERROR, BYOK_ERROR_NO_KEY,
                        _("%s has no key named “%s” in the keyring. Check the name, or add the key on the Providers page or with “byok-cli keys”."),
                        display_name (self, provider_id), account);

  if (info != NULL && info->env_vars != NULL && info->env_vars[0] != NULL)
    {
      /* Translators: joins environment variable names: "MOONSHOT_API_KEY or KIMI_API_KEY" */
      vars = g_strjoinv (_(" or "), info->env_vars);
      /* Translators: the first %s is a provider, the second one or more
       * environment variables ("MOONSHOT_API_KEY or KIMI_API_KEY") */
      return g_error_new (BYOK_ERROR, BYOK_ERROR_NO_KEY,
                          _("There is no API key for %s. Add one on the Providers page or with “byok-cli keys”, or set %s."),
                          display_name (self, provider_id), vars);
    }

  return g_error_new (BYOK_ERROR, BYOK_ERROR_NO_KEY,
                      _("There is no API key for %s. Add one on the Providers page or with “byok-cli keys”."),
                      display_name (self, provider_id));
}

/* ── store ─────────────────────────────────────────────────────────────── */

typedef struct {
  char *provider_id;
  char *account;
  char *label;
  SecretValue *value;    /* the key, in non-pageable memory */
  gboolean replaced;
} StoreData;

static void
store_data_free (gpointer data)
{
  StoreData *sd = data;

  g_free (sd->provider_id);
  g_free (sd->account);
  g_free (sd->label);
  secret_value_wipe (sd->value);
  g_free (sd);
}

static void
store_fail (GTask        *task,
            const GError *error)
{
  ByokKeyStore *self = g_task_get_source_object (task);
  StoreData *sd = g_task_get_task_data (task);
  g_autoptr(GError) mapped = keyring_error_new (error, g_task_get_cancellable (task));

  emit_event (self, sd->provider_id, sd->account,
              sd->replaced ? BYOK_KEY_EVENT_REPLACED : BYOK_KEY_EVENT_ADDED, mapped);
  g_task_return_error (task, g_steal_pointer (&mapped));
}

static void
store_stored_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ByokKeyStore *self = g_task_get_source_object (task);
  StoreData *sd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      store_fail (task, error);
      return;
    }

  g_clear_pointer (&sd->value, secret_value_wipe);
  emit_event (self, sd->provider_id, sd->account,
              sd->replaced ? BYOK_KEY_EVENT_REPLACED : BYOK_KEY_EVENT_ADDED, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
store_searched_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StoreData *sd = g_task_get_task_data (task);
  g_autoptr(GHashTable) attrs = NULL;
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      store_fail (task, error);
      return;
    }
  sd->replaced = items != NULL;
  g_list_free_full (items, g_object_unref);

  attrs = _byok_key_store_build_attributes (&_byok_key_schema, sd->provider_id, sd->account);
  secret_password_storev_binary (&_byok_key_schema, attrs, SECRET_COLLECTION_DEFAULT, sd->label,
                                 sd->value, g_task_get_cancellable (task),
                                 store_stored_cb, g_object_ref (task));
}

/**
 * byok_key_store_store_async:
 * @provider_id: the provider
 * @account: (nullable): the key's name ("work"); "default" when %NULL
 * @secret: the key, already cleaned (see byok_key_format_check()); it is
 *   copied into non-pageable memory at once
 *
 * Adds a key, or replaces the key of the same provider and account, in the
 * default collection (the login keyring), labelled "Byok: OpenAI key (work)".
 * Sends BYOK_KEY_EVENT_ADDED or BYOK_KEY_EVENT_REPLACED to the event sink,
 * with the outcome. Never falls back to anything but the keyring.
 */
void
byok_key_store_store_async (ByokKeyStore        *self,
                            const char          *provider_id,
                            const char          *account,
                            const char          *secret,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GHashTable) attrs = NULL;
  GTask *task;
  StoreData *sd;

  g_return_if_fail (BYOK_IS_KEY_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (account == NULL)
    account = BYOK_KEY_DEFAULT_ACCOUNT;

  task = _byok_task_new (self, cancellable, callback, user_data, byok_key_store_store_async);
  if (!_byok_key_store_task_check_input (task, provider_id, account, TRUE, secret))
    return;

  sd = g_new0 (StoreData, 1);
  sd->provider_id = g_strdup (provider_id);
  sd->account = g_strdup (account);
  sd->label = byok_key_store_dup_label (self, provider_id, account);
  sd->value = secret_value_new (secret, -1, "text/plain");
  g_task_set_task_data (task, sd, store_data_free);

  g_debug ("storing key for %s/%s", provider_id, account);
  attrs = _byok_key_store_build_attributes (&_byok_key_schema, provider_id, account);
  secret_password_searchv (&_byok_key_schema, attrs, SECRET_SEARCH_NONE, cancellable,
                           store_searched_cb, task);
}

/**
 * byok_key_store_store_finish:
 * @replaced: (out) (optional): whether a key of the same provider and
 *   account was replaced
 *
 * Returns: %TRUE when stored; else BYOK_ERROR_INVALID (empty key or name),
 *   BYOK_ERROR_KEYRING or BYOK_ERROR_CANCELLED
 */
gboolean
byok_key_store_store_finish (ByokKeyStore  *self,
                             GAsyncResult  *result,
                             gboolean      *replaced,
                             GError       **error)
{
  StoreData *sd;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == byok_key_store_store_async, FALSE);

  sd = g_task_get_task_data (G_TASK (result));
  if (replaced != NULL)
    *replaced = sd != NULL && sd->replaced;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ── delete ────────────────────────────────────────────────────────────── */

typedef struct {
  char *provider_id;
  char *account;
} NamesData;

static void
names_data_free (gpointer data)
{
  NamesData *nd = data;

  g_free (nd->provider_id);
  g_free (nd->account);
  g_free (nd);
}

/* A task for one key, its names in the task data; %NULL when they are not
 * valid (the error then went to @callback). */
static GTask *
names_task_new (ByokKeyStore        *self,
                const char          *provider_id,
                const char          *account,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data,
                gpointer             source_tag)
{
  GTask *task = _byok_task_new (self, cancellable, callback, user_data, source_tag);
  NamesData *nd;

  if (!_byok_key_store_task_check_input (task, provider_id, account, FALSE, NULL))
    return NULL;

  nd = g_new0 (NamesData, 1);
  nd->provider_id = g_strdup (provider_id);
  nd->account = g_strdup (account);
  g_task_set_task_data (task, nd, names_data_free);
  return task;
}

static void
delete_marker_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ByokKeyStore *self = g_task_get_source_object (task);
  NamesData *nd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* The key is gone; a marker left behind only names a missing account,
   * which the default rules skip. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_debug ("could not clear the default marker of %s: %s", nd->provider_id, error->message);

  emit_event (self, nd->provider_id, nd->account, BYOK_KEY_EVENT_DELETED, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
delete_cleared_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ByokKeyStore *self = g_task_get_source_object (task);
  NamesData *nd = g_task_get_task_data (task);
  g_autoptr(GHashTable) attrs = NULL;
  g_autoptr(GError) error = NULL;

  if (!secret_password_clear_finish (result, &error))
    {
      g_autoptr(GError) mapped = NULL;

      if (error != NULL)
        mapped = keyring_error_new (error, g_task_get_cancellable (task));
      else
        mapped = _byok_key_store_no_key_error (self, nd->provider_id, nd->account);
      emit_event (self, nd->provider_id, nd->account, BYOK_KEY_EVENT_DELETED, mapped);
      g_task_return_error (task, g_steal_pointer (&mapped));
      return;
    }

  attrs = _byok_key_store_build_attributes (&_byok_key_default_schema, nd->provider_id, nd->account);
  secret_password_clearv (&_byok_key_default_schema, attrs, g_task_get_cancellable (task),
                          delete_marker_cb, g_object_ref (task));
}

/**
 * byok_key_store_delete_async:
 * @account: the key's name; "default" when %NULL
 *
 * Deletes a keyring key (environment keys cannot be deleted from here), and
 * the default marker if it named this account. Sends
 * BYOK_KEY_EVENT_DELETED to the event sink, with the outcome.
 */
void
byok_key_store_delete_async (ByokKeyStore        *self,
                             const char          *provider_id,
                             const char          *account,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GHashTable) attrs = NULL;
  GTask *task;

  g_return_if_fail (BYOK_IS_KEY_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (account == NULL)
    account = BYOK_KEY_DEFAULT_ACCOUNT;
  task = names_task_new (self, provider_id, account, cancellable, callback, user_data,
                         byok_key_store_delete_async);
  if (task == NULL)
    return;

  g_debug ("deleting key for %s/%s", provider_id, account);
  attrs = _byok_key_store_build_attributes (&_byok_key_schema, provider_id, account);
  secret_password_clearv (&_byok_key_schema, attrs, cancellable, delete_cleared_cb, task);
}

/**
 * byok_key_store_delete_finish:
 *
 * Returns: %TRUE when deleted; else BYOK_ERROR_NO_KEY (there was no such
 *   key), BYOK_ERROR_KEYRING or BYOK_ERROR_CANCELLED
 */
gboolean
byok_key_store_delete_finish (ByokKeyStore  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == byok_key_store_delete_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ── default ───────────────────────────────────────────────────────────── */

static void
set_default_fail (GTask        *task,
                  const GError *error)
{
  ByokKeyStore *self = g_task_get_source_object (task);
  NamesData *nd = g_task_get_task_data (task);
  g_autoptr(GError) mapped = keyring_error_new (error, g_task_get_cancellable (task));

  emit_event (self, nd->provider_id, nd->account, BYOK_KEY_EVENT_DEFAULT_CHANGED, mapped);
  g_task_return_error (task, g_steal_pointer (&mapped));
}

static void
set_default_stored_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ByokKeyStore *self = g_task_get_source_object (task);
  NamesData *nd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      set_default_fail (task, error);
      return;
    }

  emit_event (self, nd->provider_id, nd->account, BYOK_KEY_EVENT_DEFAULT_CHANGED, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
set_default_cleared_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ByokKeyStore *self = g_task_get_source_object (task);
  NamesData *nd = g_task_get_task_data (task);
  g_autoptr(GHashTable) attrs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      set_default_fail (task, error);
      return;
    }

  attrs = _byok_key_store_build_attributes (&_byok_key_default_schema, nd->provider_id, nd->account);
  label = dup_default_label (self, nd->provider_id, nd->account);
  /* The marker's secret is the account name: nothing secret. */
  secret_password_storev (&_byok_key_default_schema, attrs, SECRET_COLLECTION_DEFAULT, label,
                          nd->account, g_task_get_cancellable (task),
                          set_default_stored_cb, g_object_ref (task));
}

static void
set_default_searched_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ByokKeyStore *self = g_task_get_source_object (task);
  NamesData *nd = g_task_get_task_data (task);
  g_autoptr(GHashTable) attrs = NULL;
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      set_default_fail (task, error);
      return;
    }
  if (items == NULL)
    {
      g_autoptr(GError) missing = _byok_key_store_no_key_error (self, nd->provider_id, nd->account);

      emit_event (self, nd->provider_id, nd->account, BYOK_KEY_EVENT_DEFAULT_CHANGED, missing);
      g_task_return_error (task, g_steal_pointer (&missing));
      return;
    }
  g_list_free_full (items, g_object_unref);

  attrs = _byok_key_store_build_attributes (&_byok_key_default_schema, nd->provider_id, NULL);
  secret_password_clearv (&_byok_key_default_schema, attrs, g_task_get_cancellable (task),
                          set_default_cleared_cb, g_object_ref (task));
}

/**
 * byok_key_store_set_default_async:
 * @account: an existing keyring account of @provider_id
 *
 * Makes @account the provider's default key: writes the marker item (see
 * the header), replacing any earlier one. Sends
 * BYOK_KEY_EVENT_DEFAULT_CHANGED to the event sink, with the outcome.
 */
void
byok_key_store_set_default_async (ByokKeyStore        *self,
                                  const char          *provider_id,
                                  const char          *account,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GHashTable) attrs = NULL;
  GTask *task;

  g_return_if_fail (BYOK_IS_KEY_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (account == NULL)
    account = BYOK_KEY_DEFAULT_ACCOUNT;
  task = names_task_new (self, provider_id, account, cancellable, callback, user_data,
                         byok_key_store_set_default_async);
  if (task == NULL)
    return;

  g_debug ("making %s/%s the default", provider_id, account);
  attrs = _byok_key_store_build_attributes (&_byok_key_schema, provider_id, account);
  secret_password_searchv (&_byok_key_schema, attrs, SECRET_SEARCH_NONE, cancellable,
                           set_default_searched_cb, task);
}

/**
 * byok_key_store_set_default_finish:
 *
 * Returns: %TRUE when done; else BYOK_ERROR_NO_KEY (no such account),
 *   BYOK_ERROR_KEYRING or BYOK_ERROR_CANCELLED
 */
gboolean
byok_key_store_set_default_finish (ByokKeyStore  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == byok_key_store_set_default_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ── blocking helpers ──────────────────────────────────────────────────── */

void
_byok_key_store_wait_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

GAsyncResult *
_byok_key_store_wait_for (GAsyncResult **slot)
{
  GMainContext *context = g_main_context_ref_thread_default ();

  while (*slot == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_unref (context);
  return *slot;
}

/**
 * byok_key_store_store_wait:
 *
 * byok_key_store_store_async() and its finish, iterating the thread-default
 * main context until done. For byok-cli and tests.
 */
gboolean
byok_key_store_store_wait (ByokKeyStore  *self,
                           const char    *provider_id,
                           const char    *account,
                           const char    *secret,
                           gboolean      *replaced,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  byok_key_store_store_async (self, provider_id, account, secret, cancellable, _byok_key_store_wait_cb, &result);
  return byok_key_store_store_finish (self, _byok_key_store_wait_for (&result), replaced, error);
}

/**
 * byok_key_store_lookup_wait:
 *
 * Returns: (transfer full): see byok_key_store_lookup_finish()
 */
ByokKey *
byok_key_store_lookup_wait (ByokKeyStore  *self,
                            const char    *provider_id,
                            const char    *account,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  byok_key_store_lookup_async (self, provider_id, account, cancellable, _byok_key_store_wait_cb, &result);
  return byok_key_store_lookup_finish (self, _byok_key_store_wait_for (&result), error);
}

/**
 * byok_key_store_list_wait:
 *
 * Returns: (transfer full) (element-type ByokKey): see
 *   byok_key_store_list_finish()
 */
GPtrArray *
byok_key_store_list_wait (ByokKeyStore  *self,
                          const char    *provider_id,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  byok_key_store_list_async (self, provider_id, cancellable, _byok_key_store_wait_cb, &result);
  return byok_key_store_list_finish (self, _byok_key_store_wait_for (&result), error);
}

/**
 * byok_key_store_list_usable_wait:
 *
 * Returns: (transfer full) (element-type ByokKey): see
 *   byok_key_store_list_usable_finish()
 */
GPtrArray *
byok_key_store_list_usable_wait (ByokKeyStore  *self,
                                 const char    *provider_id,
                                 GCancellable  *cancellable,
                                 GError       **keyring_error,
                                 GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  byok_key_store_list_usable_async (self, provider_id, cancellable, _byok_key_store_wait_cb, &result);
  return byok_key_store_list_usable_finish (self, _byok_key_store_wait_for (&result), keyring_error, error);
}

/**
 * byok_key_store_list_usable_accounts_wait:
 *
 * Returns: (transfer full) (element-type ByokKey): see
 *   byok_key_store_list_usable_accounts_async()
 */
GPtrArray *
byok_key_store_list_usable_accounts_wait (ByokKeyStore  *self,
                                          const char    *provider_id,
                                          GCancellable  *cancellable,
                                          GError       **keyring_error,
                                          GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  byok_key_store_list_usable_accounts_async (self, provider_id, cancellable, _byok_key_store_wait_cb, &result);
  return byok_key_store_list_usable_finish (self, _byok_key_store_wait_for (&result), keyring_error, error);
}

gboolean
byok_key_store_delete_wait (ByokKeyStore  *self,
                            const char    *provider_id,
                            const char    *account,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  byok_key_store_delete_async (self, provider_id, account, cancellable, _byok_key_store_wait_cb, &result);
  return byok_key_store_delete_finish (self, _byok_key_store_wait_for (&result), error);
}

gboolean
byok_key_store_set_default_wait (ByokKeyStore  *self,
                                 const char    *provider_id,
                                 const char    *account,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  byok_key_store_set_default_async (self, provider_id, account, cancellable, _byok_key_store_wait_cb, &result);
  return byok_key_store_set_default_finish (self, _byok_key_store_wait_for (&result), error);
}

