/* byok-key-store-list.c — listing and looking up keys: the keyring's and the environment's */
#define G_LOG_DOMAIN "byok-keys"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "byok-error.h"
#include "byok-key-format.h"
#include "byok-key-store-private.h"
#include "byok-secret-read-private.h"

/* ── list ──────────────────────────────────────────────────────────────── */

typedef struct {
  char *provider_id;        /* NULL: every provider */
  gboolean secrets;         /* FALSE: the keys' secrets are not read */
  GPtrArray *keys;          /* ByokKey from the keyring */
  GHashTable *defaults;     /* provider → account, from the markers */
  guint pending;            /* searches, reads and unlocks under way */
  gboolean markers_searched;
  GError *error;            /* the first failure */
} ListData;

/* Set once a search has answered: libsecret's connection to the keyring
 * (its default backend, shared by the process) is made. */
static gint keyring_connected;

static void
list_data_free (gpointer data)
{
  ListData *ld = data;

  g_free (ld->provider_id);
  g_ptr_array_unref (ld->keys);
  g_hash_table_unref (ld->defaults);
  g_clear_error (&ld->error);
  g_free (ld);
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  ByokKey *ka = *(ByokKey * const *) a;
  ByokKey *kb = *(ByokKey * const *) b;
  int c = g_strcmp0 (byok_key_get_provider (ka), byok_key_get_provider (kb));

  if (c != 0)
    return c;
  /* Byte order, not the locale's: the app and the CLI must agree on which
   * account is "first" (the default by the last rule). */
  return g_strcmp0 (byok_key_get_account (ka), byok_key_get_account (kb));
}

/* Marks the provider's default keyring key and its active key, as the
 * header explains. @ring is sorted by account. */
static void
mark_provider_keys (ByokKeyStore *self,
                    const char   *provider_id,
                    GPtrArray    *ring,
                    GPtrArray    *env,
                    const char   *marked_account)
{
  ByokKey *def = NULL;
  ByokKey *active = NULL;

  for (guint pass = 0; pass < 2 && def == NULL; pass++)
    {
      const char *wanted = pass == 0 ? marked_account : BYOK_KEY_DEFAULT_ACCOUNT;

      for (guint i = 0; wanted != NULL && i < ring->len && def == NULL; i++)
        if (g_strcmp0 (byok_key_get_account (g_ptr_array_index (ring, i)), wanted) == 0)
          def = g_ptr_array_index (ring, i);
    }
  if (def == NULL && ring->len > 0)
    def = g_ptr_array_index (ring, 0);
  if (def != NULL)
    byok_key_set_is_default (def, TRUE);

  if (env->len > 0 && (def == NULL || byok_key_store_get_prefer_environment (self, provider_id)))
    active = g_ptr_array_index (env, 0);
  else
    active = def;
  if (active != NULL)
    byok_key_set_is_active (active, TRUE);
}

static void
list_complete (GTask *task)
{
  ByokKeyStore *self = g_task_get_source_object (task);
  ListData *ld = g_task_get_task_data (task);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_sort (ld->keys, compare_keys);

  /* Every provider with a keyring key, plus those with environment keys. */
  for (guint i = 0; i < ld->keys->len; i++)
    g_ptr_array_add (ids, (gpointer) byok_key_get_provider (g_ptr_array_index (ld->keys, i)));
  if (ld->provider_id != NULL)
    g_ptr_array_add (ids, ld->provider_id);
  else
    {
      GHashTableIter iter;
      gpointer id;

      g_hash_table_iter_init (&iter, self->providers);
      while (g_hash_table_iter_next (&iter, &id, NULL))
        g_ptr_array_add (ids, id);
    }
  g_ptr_array_sort (ids, _byok_key_store_compare_strings);

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      g_autoptr(GPtrArray) ring = NULL;
      g_autoptr(GPtrArray) env = NULL;

      if (i > 0 && g_strcmp0 (id, g_ptr_array_index (ids, i - 1)) == 0)
        continue;

      ring = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint j = 0; j < ld->keys->len; j++)
        {
          ByokKey *key = g_ptr_array_index (ld->keys, j);

          if (g_strcmp0 (byok_key_get_provider (key), id) == 0)
            g_ptr_array_add (ring, g_object_ref (key));
        }
      env = byok_key_store_list_environment (self, id);
      mark_provider_keys (self, id, ring, env, g_hash_table_lookup (ld->defaults, id));

      for (guint j = 0; j < ring->len; j++)
        g_ptr_array_add (out, g_object_ref (g_ptr_array_index (ring, j)));
      for (guint j = 0; j < env->len; j++)
        g_ptr_array_add (out, g_object_ref (g_ptr_array_index (env, j)));
    }

  g_debug ("listed %u keys for %s", out->len, ld->provider_id ? ld->provider_id : "all providers");
  g_task_return_pointer (task, out, (GDestroyNotify) g_ptr_array_unref);
}

/* One step of the listing ended: a search, a read, an unlock. After the
 * last one the keys are marked and returned. @task is borrowed. */
static void
list_step_done (GTask *task)
{
  ListData *ld = g_task_get_task_data (task);

  if (--ld->pending > 0)
    return;

  if (ld->error != NULL)
    _byok_key_store_task_return_keyring_error (task, ld->error);
  else
    list_complete (task);
}

static void
list_take_error (ListData *ld,
                 GError  **error)
{
  if (ld->error == NULL)
    ld->error = g_steal_pointer (error);
  else
    g_clear_error (error);
}

static void
list_markers_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListData *ld = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    list_take_error (ld, &error);

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attrs = secret_retrievable_get_attributes (l->data);
      const char *provider_id = g_hash_table_lookup (attrs, "provider");
      const char *account = g_hash_table_lookup (attrs, "account");

      if (provider_id != NULL && account != NULL)
        g_hash_table_replace (ld->defaults, g_strdup (provider_id), g_strdup (account));
    }
  g_list_free_full (items, g_object_unref);

  list_step_done (task);
}

/* A key's secret, read: a key if it is text. Takes @value. */
static void
list_take_secret (ListData    *ld,
                  const char  *provider_id,
                  const char  *account,
                  SecretValue *value)
{
  gsize length = 0;
  char *secret = secret_value_unref_to_password (value, &length);

  if (length == 0 || strlen (secret) != length || !g_utf8_validate (secret, -1, NULL))
    {
      g_debug ("skipping %s/%s: its secret is not text", provider_id, account);
      byok_secret_free (secret);
    }
  else
    g_ptr_array_add (ld->keys,
                     byok_key_new_take_secret (provider_id, account, BYOK_KEY_SOURCE_KEYRING, NULL, secret));
}

/* One key's secret, read (or not: @error). @user_data is the task. */
static void
list_item_read (SecretRetrievable *item,
                SecretValue       *value,
                const GError      *error,
                gpointer           user_data)
{
  ListData *ld = g_task_get_task_data (user_data);
  g_autoptr(GHashTable) attrs = secret_retrievable_get_attributes (item);
  const char *provider_id = g_hash_table_lookup (attrs, "provider");
  const char *account = g_hash_table_lookup (attrs, "account");

  if (error != NULL &&
      (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD) ||
       g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT)) &&
      strstr (error->message, "does not exist") != NULL)
    {
      /* Deleted (or replaced) between the search and the read: libsecret's
       * cached item list can lag behind the keyring. It is not a key now. */
      g_debug ("skipping %s/%s: it went away while listing", provider_id, account);
    }
  else if (error != NULL)
    {
      GError *copy = g_error_copy (error);

      list_take_error (ld, &copy);
    }
  else
    list_take_secret (ld, provider_id, account, value);
}

/* The keys' reads ended. Takes the task's reference @user_data. */
static void
list_items_read (gpointer user_data)
{
  list_step_done (user_data);
  g_object_unref (user_data);
}

typedef struct {
  GTask *task;
  GList *items;   /* SecretItems */
} ListBatch;

/* A key whose secret is not read: one per item, as the Secret Service
 * or the file backend lists it. @item is borrowed. */
static void
list_take_unread (ListData *ld,
                  gpointer  item)
{
  g_autoptr(GHashTable) attrs = secret_retrievable_get_attributes (item);

  g_ptr_array_add (ld->keys, byok_key_new_without_secret (g_hash_table_lookup (attrs, "provider"),
                                                          g_hash_table_lookup (attrs, "account")));
}

static void
list_unlocked_unread_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  ListBatch *batch = user_data;
  ListData *ld = g_task_get_task_data (batch->task);
  g_autoptr(GError) error = NULL;
  guint n;

  /* A key still locked is an error, as reading its secret would be. */
  n = (guint) MAX (secret_service_unlock_finish (SECRET_SERVICE (source), result, NULL, &error), 0);
  if (error == NULL && n < g_list_length (batch->items))
    g_set_error_literal (&error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED, "locked");
  if (error != NULL)
    list_take_error (ld, &error);
  else
    for (GList *l = batch->items; l != NULL; l = l->next)
      list_take_unread (ld, l->data);

  list_step_done (batch->task);
  g_list_free_full (batch->items, g_object_unref);
  g_object_unref (batch->task);
  g_free (batch);
}

/* Starts the search of the default-key markers, once per listing. Only
 * with libsecret's connection made: two searches started together before
 * would make one each. @task is borrowed. */
static void
list_search_markers (GTask *task)
{
  ListData *ld = g_task_get_task_data (task);
  g_autoptr(GHashTable) attrs = NULL;

  if (ld->markers_searched)
    return;
  ld->markers_searched = TRUE;
  ld->pending++;
  attrs = _byok_key_store_build_attributes (&_byok_key_default_schema, ld->provider_id, NULL);
  secret_password_searchv (&_byok_key_default_schema, attrs, SECRET_SEARCH_ALL,
                           g_task_get_cancellable (task), list_markers_cb, g_object_ref (task));
}

static void
list_searched_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListData *ld = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);
  GList *readable = NULL;
  GList *locked = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      /* Ends the listing, unless the markers' search is still out. */
      list_take_error (ld, &error);
      list_step_done (task);
      return;
    }
  g_atomic_int_set (&keyring_connected, TRUE);

  /* The default-key markers, while the secrets are read. */
  list_search_markers (task);

  /* With their secrets: all read together (byok-secret-read-private.h:
   * one GetSecrets, the locked unlocked first). Without: the search's
   * attributes, once the locked ones are unlocked, as a read would. */
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attrs = secret_retrievable_get_attributes (l->data);
      const char *provider_id = g_hash_table_lookup (attrs, "provider");
      const char *account = g_hash_table_lookup (attrs, "account");

      if (provider_id == NULL || account == NULL)
        continue;
      if (ld->secrets)
        readable = g_list_prepend (readable, l->data);
      else if (SECRET_IS_ITEM (l->data) && secret_item_get_locked (l->data))
        locked = g_list_prepend (locked, g_object_ref (l->data));
      else
        list_take_unread (ld, l->data);
    }

  if (readable != NULL)
    {
      ld->pending++;
      _byok_secret_read_async (readable, cancellable, list_item_read, list_items_read, g_object_ref (task));
      g_list_free (readable);
    }
  if (locked != NULL)
    {
      ListBatch *batch = g_new0 (ListBatch, 1);

      batch->task = g_object_ref (task);
      batch->items = locked;
      ld->pending++;
      secret_service_unlock (secret_item_get_service (locked->data), locked, cancellable,
                             list_unlocked_unread_cb, batch);
    }
  g_list_free_full (items, g_object_unref);

  list_step_done (task);
}

/* Starts a listing, with the keyring keys' secrets or without (no
 * session, no GetSecrets: only the search's attributes). Both are
 * finished by byok_key_store_list_finish(). */
static void
list_begin (ByokKeyStore        *self,
            const char          *provider_id,
            gboolean             secrets,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GHashTable) attrs = NULL;
  GTask *task;
  ListData *ld;

  task = _byok_task_new (self, cancellable, callback, user_data, byok_key_store_list_async);
  if (provider_id != NULL && !_byok_key_store_task_check_input (task, provider_id, NULL, FALSE, NULL))
    return;

  ld = g_new0 (ListData, 1);
  ld->provider_id = g_strdup (provider_id);
  ld->secrets = secrets;
  ld->keys = g_ptr_array_new_with_free_func (g_object_unref);
  ld->defaults = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  /* One count for the search, so that the last step ends the listing. */
  ld->pending = 1;
  g_task_set_task_data (task, ld, list_data_free);

  /* Connected (byok_key_store_preconnect_async(), an earlier listing): the
   * markers are searched together with the keys, not after them. */
  if (g_atomic_int_get (&keyring_connected))
    list_search_markers (task);
  attrs = _byok_key_store_build_attributes (&_byok_key_schema, provider_id, NULL);
  secret_password_searchv (&_byok_key_schema, attrs, SECRET_SEARCH_ALL, cancellable, list_searched_cb, task);
}

/* ── connecting ahead ──────────────────────────────────────────────────── */

static void
preconnect_session_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  /* A failure shows again, and is reported, when the secrets are read. */
  secret_service_ensure_session_finish (SECRET_SERVICE (source), result, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
preconnect_searched_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gboolean secrets = GPOINTER_TO_INT (g_task_get_task_data (task));
  GCancellable *cancellable = g_task_get_cancellable (task);
  GList *items;

  /* No keyring is said by the listing that follows, as without this. */
  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    g_debug ("connecting to the keyring ahead: %s", error->message);
  else
    g_atomic_int_set (&keyring_connected, TRUE);
  if (secrets && items != NULL && SECRET_IS_ITEM (items->data))
    secret_service_ensure_session (secret_item_get_service (items->data), cancellable,
                                   preconnect_session_cb, g_steal_pointer (&task));
  else
    g_task_return_boolean (task, TRUE);
  g_list_free_full (items, g_object_unref);
}

/**
 * byok_key_store_preconnect_async:
 * @secrets: whether the listing to come reads the keys' secrets
 *
 * Connects to the keyring ahead of a listing, for a caller that has other
 * work to do meanwhile (byok-cli, while the engine's data is read in its
 * thread): the session bus, libsecret's proxy for the Secret Service
 * (shared by every later call of this process) and, with @secrets and
 * keys in the keyring, the session their secrets travel in. It runs the
 * search a listing starts with, for one item only (its service is the
 * session's), and drops it.
 *
 * Nothing is reported: without a keyring, the listing that follows fails
 * as it would have without this, and says so.
 */
void
byok_key_store_preconnect_async (gboolean             secrets,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GHashTable) attrs = _byok_key_store_build_attributes (&_byok_key_schema, NULL, NULL);
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, byok_key_store_preconnect_async);
  g_task_set_task_data (task, GINT_TO_POINTER (secrets), NULL);
  secret_password_searchv (&_byok_key_schema, attrs, SECRET_SEARCH_NONE, cancellable, preconnect_searched_cb, task);
}

void
byok_key_store_preconnect_finish (GAsyncResult *result)
{
  g_return_if_fail (g_task_is_valid (result, NULL));
  g_return_if_fail (g_task_get_source_tag (G_TASK (result)) == byok_key_store_preconnect_async);

  g_task_propagate_boolean (G_TASK (result), NULL);
}

/**
 * byok_key_store_list_async:
 * @provider_id: (nullable): one provider, or %NULL for all
 *
 * Lists the keys: keyring keys (all of Byok's, or the provider's) then, for
 * each provider, its environment keys (registered providers only). Sorted by
 * provider; within one, keyring keys by account, then environment keys in
 * the order of the provider's variables. Each key holds its secret and has
 * is-default and is-active set. Unlocking the keyring may prompt.
 */
void
byok_key_store_list_async (ByokKeyStore        *self,
                           const char          *provider_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (BYOK_IS_KEY_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  list_begin (self, provider_id, TRUE, cancellable, callback, user_data);
}

/**
 * byok_key_store_list_finish:
 *
 * Returns: (transfer full) (element-type ByokKey): the keys, maybe none; or
 *   %NULL with BYOK_ERROR_KEYRING (no keyring, locked) or
 *   BYOK_ERROR_CANCELLED. Environment keys are still available then from
 *   byok_key_store_list_environment().
 */
GPtrArray *
byok_key_store_list_finish (ByokKeyStore  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == byok_key_store_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ── usable keys ───────────────────────────────────────────────────────── */

typedef struct {
  char   *provider_id;
  GError *keyring_error;
} UsableData;

static void
usable_data_free (gpointer data)
{
  UsableData *ud = data;

  g_free (ud->provider_id);
  g_clear_error (&ud->keyring_error);
  g_free (ud);
}

/* The environment's keys, the first of each provider active: the one
 * calls use when the keyring has none for them. */
static GPtrArray *
list_environment_marked (ByokKeyStore *self,
                         const char   *provider_id)
{
  GPtrArray *keys = byok_key_store_list_environment (self, provider_id);

  for (guint i = 0; i < keys->len; i++)
    {
      ByokKey *key = g_ptr_array_index (keys, i);

      byok_key_set_is_active (key, i == 0 ||
                              g_strcmp0 (byok_key_get_provider (key),
                                         byok_key_get_provider (g_ptr_array_index (keys, i - 1))) != 0);
    }
  return keys;
}

static void
usable_listed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ByokKeyStore *self = BYOK_KEY_STORE (source);
  UsableData *ud = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GPtrArray *keys;

  keys = byok_key_store_list_finish (self, result, &error);
  if (keys == NULL && g_error_matches (error, BYOK_ERROR, BYOK_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (keys == NULL)
    {
      g_debug ("the keyring could not be listed, using the environment's keys: %s", error->message);
      ud->keyring_error = g_steal_pointer (&error);
      keys = list_environment_marked (self, ud->provider_id);
    }
  g_task_return_pointer (task, keys, (GDestroyNotify) g_ptr_array_unref);
}

static void
usable_begin (ByokKeyStore        *self,
              const char          *provider_id,
              gboolean             secrets,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  GTask *task;
  UsableData *ud;

  /* A cancel is reported as BYOK_ERROR_CANCELLED, by the list below. */
  task = _byok_task_new (self, cancellable, callback, user_data, byok_key_store_list_usable_async);
  ud = g_new0 (UsableData, 1);
  ud->provider_id = g_strdup (provider_id);
  g_task_set_task_data (task, ud, usable_data_free);

  list_begin (self, provider_id, secrets, cancellable, usable_listed_cb, task);
}

/**
 * byok_key_store_list_usable_async:
 * @provider_id: (nullable): one provider, or %NULL for all
 *
 * The keys calls can use, for every caller that shows or counts them (the
 * Providers page, the chat page, `byok-cli providers` and `byok-cli keys`):
 * byok_key_store_list_async()'s keys, or when the keyring cannot be read
 * (no keyring, locked, dismissed) the environment's keys alone, the first
 * of each provider active, with the keyring's error beside them.
 */
void
byok_key_store_list_usable_async (ByokKeyStore        *self,
                                  const char          *provider_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (BYOK_IS_KEY_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  usable_begin (self, provider_id, TRUE, cancellable, callback, user_data);
}

/**
 * byok_key_store_list_usable_accounts_async:
 * @provider_id: (nullable): one provider, or %NULL for all
 *
 * Like byok_key_store_list_usable_async(), for a caller that shows which
 * keys there are and which one a call uses, never any part of a key
 * (`byok-cli providers`, the chat page): the keyring keys' secrets are not
 * read (no session with the Secret Service, no GetSecrets), so their
 * byok_key_get_secret() is %NULL and byok_key_get_masked() "". Environment
 * keys are as the environment gives them. Locked keys are unlocked first,
 * as when their secrets are read (that may prompt), and a key that stays
 * locked makes the keyring's error, the same as there.
 *
 * One difference: a keyring item of Byok's schema whose secret is not text
 * (empty, binary: never written by Byok) is left out of the full listing,
 * which reads it; here it is listed like any other, as it cannot be told
 * apart without reading it.
 *
 * Finish with byok_key_store_list_usable_finish().
 */
void
byok_key_store_list_usable_accounts_async (ByokKeyStore        *self,
                                           const char          *provider_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_return_if_fail (BYOK_IS_KEY_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  usable_begin (self, provider_id, FALSE, cancellable, callback, user_data);
}

/**
 * byok_key_store_list_usable_finish:
 * @keyring_error: (out) (optional): why the keyring could not be read,
 *   when the keys are the environment's alone
 *
 * Returns: (transfer full) (element-type ByokKey): the keys, maybe none;
 *   %NULL only with BYOK_ERROR_CANCELLED in @error
 */
GPtrArray *
byok_key_store_list_usable_finish (ByokKeyStore  *self,
                                   GAsyncResult  *result,
                                   GError       **keyring_error,
                                   GError       **error)
{
  UsableData *ud;
  GPtrArray *keys;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == byok_key_store_list_usable_async, NULL);

  keys = g_task_propagate_pointer (G_TASK (result), error);
  ud = g_task_get_task_data (G_TASK (result));
  if (keys != NULL && ud->keyring_error != NULL)
    g_propagate_error (keyring_error, g_error_copy (ud->keyring_error));
  return keys;
}

/* ── lookup ────────────────────────────────────────────────────────────── */

typedef struct {
  char *provider_id;
  char *account;    /* NULL: the active key */
} LookupData;

static void
lookup_data_free (gpointer data)
{
  LookupData *ld = data;

  g_free (ld->provider_id);
  g_free (ld->account);
  g_free (ld);
}

static void
lookup_listed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ByokKeyStore *self = BYOK_KEY_STORE (source);
  g_autoptr(GTask) task = user_data;
  LookupData *ld = g_task_get_task_data (task);
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GError) error = NULL;

  keys = byok_key_store_list_finish (self, result, &error);
  if (keys == NULL)
    {
      /* Without a keyring, a key from the environment still works. */
      if (ld->account == NULL && g_error_matches (error, BYOK_ERROR, BYOK_ERROR_KEYRING))
        {
          g_autoptr(GPtrArray) env = byok_key_store_list_environment (self, ld->provider_id);

          if (env->len > 0)
            {
              ByokKey *key = g_ptr_array_index (env, 0);

              g_debug ("keyring unavailable; using %s for %s", byok_key_get_env_var (key), ld->provider_id);
              byok_key_set_is_active (key, TRUE);
              g_task_return_pointer (task, g_object_ref (key), g_object_unref);
              return;
            }
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < keys->len; i++)
    {
      ByokKey *key = g_ptr_array_index (keys, i);
      gboolean match;

      if (ld->account != NULL)
        match = byok_key_get_source (key) == BYOK_KEY_SOURCE_KEYRING &&
                g_strcmp0 (byok_key_get_account (key), ld->account) == 0;
      else
        match = byok_key_get_is_active (key);

      if (match)
        {
          g_debug ("found key for %s/%s (%s)", ld->provider_id,
                   byok_key_get_account (key) ? byok_key_get_account (key) : byok_key_get_env_var (key),
                   byok_key_get_source (key) == BYOK_KEY_SOURCE_KEYRING ? "keyring" : "environment");
          g_task_return_pointer (task, g_object_ref (key), g_object_unref);
          return;
        }
    }

  g_task_return_error (task, _byok_key_store_no_key_error (self, ld->provider_id, ld->account));
}

/**
 * byok_key_store_lookup_async:
 * @provider_id: the provider
 * @account: (nullable): a keyring account; %NULL for the key a call uses
 *   (the default keyring key or the environment's, as the preference says;
 *   the environment's also when the keyring cannot be reached)
 *
 * Finds one key, with its secret.
 */
void
byok_key_store_lookup_async (ByokKeyStore        *self,
                             const char          *provider_id,
                             const char          *account,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  LookupData *ld;

  g_return_if_fail (BYOK_IS_KEY_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = _byok_task_new (self, cancellable, callback, user_data, byok_key_store_lookup_async);
  if (!_byok_key_store_task_check_input (task, provider_id, account, FALSE, NULL))
    return;

  ld = g_new0 (LookupData, 1);
  ld->provider_id = g_strdup (provider_id);
  ld->account = g_strdup (account);
  g_task_set_task_data (task, ld, lookup_data_free);

  /* The environment first: no need to wake the keyring. */
  if (account == NULL && byok_key_store_get_prefer_environment (self, provider_id))
    {
      g_autoptr(GPtrArray) env = byok_key_store_list_environment (self, provider_id);

      if (env->len > 0)
        {
          ByokKey *key = g_ptr_array_index (env, 0);

          byok_key_set_is_active (key, TRUE);
          g_task_return_pointer (task, g_object_ref (key), g_object_unref);
          g_object_unref (task);
          return;
        }
    }

  byok_key_store_list_async (self, provider_id, cancellable, lookup_listed_cb, task);
}

/**
 * byok_key_store_lookup_finish:
 *
 * Returns: (transfer full): the key; or %NULL with BYOK_ERROR_NO_KEY (none
 *   configured), BYOK_ERROR_KEYRING or BYOK_ERROR_CANCELLED
 */
ByokKey *
byok_key_store_lookup_finish (ByokKeyStore  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == byok_key_store_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

