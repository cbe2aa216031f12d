/* byok-key-store-admin.c — a provider's admin key, for its bill
 *
 * OpenAI's organization Costs API and Anthropic's Cost report take an
 * admin key (sk-admin-…, sk-ant-admin…), a key that reads the whole
 * organization's bill and manages its keys. It is kept under a schema of
 * its own, io.github.byok.Byok.AdminKey (attribute `provider`, one per
 * provider), which no chat key search names: it is never listed among a
 * provider's keys, never sent with a chat, never the key a check or a
 * balance uses. Like every key it is never logged.
 */
#define G_LOG_DOMAIN "byok-keys"

#include "config.h"

#include <libsecret/secret.h>

#include "byok-error.h"
#include "byok-key-store-private.h"

const SecretSchema _byok_key_admin_schema = {
  .name = BYOK_KEY_ADMIN_SCHEMA_NAME,
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { "provider", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

static GTask *
admin_task_new (ByokKeyStore        *self,
                const char          *provider_id,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data,
                gpointer             source_tag)
{
  GTask *task = _byok_task_new (self, cancellable, callback, user_data, source_tag);

  g_task_set_task_data (task, g_strdup (provider_id), g_free);
  return task;
}

/* ---- store ---------------------------------------------------------------- */

static void
admin_stored_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      _byok_key_store_task_return_keyring_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * byok_key_store_store_admin_async:
 * @secret: the admin key, already cleaned; whether it is one is the
 *   caller's to check (byok_provider_bill_check_admin_key())
 *
 * Adds or replaces the provider's admin key in the default collection,
 * labelled "Byok: OpenAI key (admin)".
 */
void
byok_key_store_store_admin_async (ByokKeyStore        *self,
                                  const char          *provider_id,
                                  const char          *secret,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GHashTable) attrs = NULL;
  g_autofree char *label = NULL;
  GTask *task;

  g_return_if_fail (BYOK_IS_KEY_STORE (self));

  task = admin_task_new (self, provider_id, cancellable, callback, user_data,
                         byok_key_store_store_admin_async);
  if (!_byok_key_store_task_check_input (task, provider_id, BYOK_KEY_DEFAULT_ACCOUNT, TRUE, secret))
    return;

  g_debug ("storing the admin key of %s", provider_id);
  /* "Byok: OpenAI key (admin)" in Passwords and Keys. */
  label = byok_key_store_dup_label (self, provider_id, BYOK_KEY_ADMIN_ACCOUNT);
  attrs = _byok_key_store_build_attributes (&_byok_key_admin_schema, provider_id, NULL);
  secret_password_storev (&_byok_key_admin_schema, attrs, SECRET_COLLECTION_DEFAULT, label, secret,
                          cancellable, admin_stored_cb, task);
}

gboolean
byok_key_store_store_admin_finish (ByokKeyStore  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == byok_key_store_store_admin_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- lookup --------------------------------------------------------------- */

static void
admin_looked_up_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const char *provider_id = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      _byok_key_store_task_return_keyring_error (task, error);
      return;
    }
  if (secret == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  g_task_return_pointer (task, byok_key_new (provider_id, BYOK_KEY_ADMIN_ACCOUNT, BYOK_KEY_SOURCE_KEYRING,
                                             NULL, secret),
                         g_object_unref);
  secret_password_free (secret);
}

/**
 * byok_key_store_lookup_admin_async:
 *
 * Looks up the provider's admin key.
 */
void
byok_key_store_lookup_admin_async (ByokKeyStore        *self,
                                   const char          *provider_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GHashTable) attrs = NULL;
  GTask *task;

  g_return_if_fail (BYOK_IS_KEY_STORE (self));
  g_return_if_fail (provider_id != NULL);

  task = admin_task_new (self, provider_id, cancellable, callback, user_data,
                         byok_key_store_lookup_admin_async);
  attrs = _byok_key_store_build_attributes (&_byok_key_admin_schema, provider_id, NULL);
  secret_password_lookupv (&_byok_key_admin_schema, attrs, cancellable, admin_looked_up_cb, task);
}

/**
 * byok_key_store_lookup_admin_finish:
 *
 * Returns: (transfer full) (nullable): the admin key (account
 *   %BYOK_KEY_ADMIN_ACCOUNT), or %NULL without an error when there is
 *   none, or %NULL with BYOK_ERROR_KEYRING
 */
ByokKey *
byok_key_store_lookup_admin_finish (ByokKeyStore  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == byok_key_store_lookup_admin_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- delete --------------------------------------------------------------- */

static void
admin_cleared_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* Nothing to clear is no error: the key is gone either way. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      _byok_key_store_task_return_keyring_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
byok_key_store_delete_admin_async (ByokKeyStore        *self,
                                   const char          *provider_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GHashTable) attrs = NULL;
  GTask *task;

  g_return_if_fail (BYOK_IS_KEY_STORE (self));
  g_return_if_fail (provider_id != NULL);

  task = admin_task_new (self, provider_id, cancellable, callback, user_data,
                         byok_key_store_delete_admin_async);
  g_debug ("deleting the admin key of %s", provider_id);
  attrs = _byok_key_store_build_attributes (&_byok_key_admin_schema, provider_id, NULL);
  secret_password_clearv (&_byok_key_admin_schema, attrs, cancellable, admin_cleared_cb, task);
}

gboolean
byok_key_store_delete_admin_finish (ByokKeyStore  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == byok_key_store_delete_admin_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- blocking, for byok-cli and tests -------------------------------------- */

gboolean
byok_key_store_store_admin_wait (ByokKeyStore  *self,
                                 const char    *provider_id,
                                 const char    *secret,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  byok_key_store_store_admin_async (self, provider_id, secret, cancellable, _byok_key_store_wait_cb, &result);
  return byok_key_store_store_admin_finish (self, _byok_key_store_wait_for (&result), error);
}

ByokKey *
byok_key_store_lookup_admin_wait (ByokKeyStore  *self,
                                  const char    *provider_id,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  byok_key_store_lookup_admin_async (self, provider_id, cancellable, _byok_key_store_wait_cb, &result);
  return byok_key_store_lookup_admin_finish (self, _byok_key_store_wait_for (&result), error);
}

gboolean
byok_key_store_delete_admin_wait (ByokKeyStore  *self,
                                  const char    *provider_id,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  byok_key_store_delete_admin_async (self, provider_id, cancellable, _byok_key_store_wait_cb, &result);
  return byok_key_store_delete_admin_finish (self, _byok_key_store_wait_for (&result), error);
}
