/* byok-mcp-secrets.c — an MCP server's secrets, in the keyring */
#define G_LOG_DOMAIN "byok-mcp"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "byok-error.h"
#include "byok-key-format.h"
#include "byok-key-store.h"
#include "byok-mcp-secrets.h"
#include "byok-secret-read-private.h"

static const SecretSchema mcp_secret_schema = {
  .name = BYOK_MCP_SECRET_SCHEMA_NAME,
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "name", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  .reserved = 0,
};

ByokMcpSecrets *
byok_mcp_secrets_new (void)
{
  ByokMcpSecrets *self = g_new0 (ByokMcpSecrets, 1);

  self->env = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) byok_secret_free);
  self->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) byok_secret_free);
  return self;
}

void
byok_mcp_secrets_free (ByokMcpSecrets *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->env);
  g_hash_table_unref (self->headers);
  byok_secret_free (self->token);
  g_free (self);
}

void
byok_mcp_secrets_set_env (ByokMcpSecrets *self,
                          const char     *name,
                          const char     *value)
{
  g_hash_table_replace (self->env, g_strdup (name), byok_secret_dup (value, -1));
}

void
byok_mcp_secrets_set_header (ByokMcpSecrets *self,
                             const char     *name,
                             const char     *value)
{
  g_hash_table_replace (self->headers, g_strdup (name), byok_secret_dup (value, -1));
}

void
byok_mcp_secrets_set_token (ByokMcpSecrets *self,
                            const char     *token)
{
  byok_secret_free (self->token);
  self->token = token != NULL && *token != '\0' ? byok_secret_dup (token, -1) : NULL;
}

/* Returns: (transfer full): a copy of @self (an empty one for NULL) */
ByokMcpSecrets *
byok_mcp_secrets_copy (ByokMcpSecrets *self)
{
  ByokMcpSecrets *copy = byok_mcp_secrets_new ();
  GHashTableIter iter;
  gpointer key, value;

  if (self == NULL)
    return copy;
  g_hash_table_iter_init (&iter, self->env);
  while (g_hash_table_iter_next (&iter, &key, &value))
    byok_mcp_secrets_set_env (copy, key, value);
  g_hash_table_iter_init (&iter, self->headers);
  while (g_hash_table_iter_next (&iter, &key, &value))
    byok_mcp_secrets_set_header (copy, key, value);
  byok_mcp_secrets_set_token (copy, self->token);
  return copy;
}

gboolean
byok_mcp_secrets_is_empty (ByokMcpSecrets *self)
{
  return self == NULL ||
         (g_hash_table_size (self->env) == 0 && g_hash_table_size (self->headers) == 0 && self->token == NULL);
}

static GHashTable *
build_attributes (const char *server,
                  const char *kind,
                  const char *name)
{
  GHashTable *attrs = secret_attributes_build (&mcp_secret_schema, NULL);

  /* The schema as an attribute too: libsecret's file backend (Flatpak)
   * matches attributes only (see byok-key-store.c). */
  g_hash_table_insert (attrs, g_strdup ("xdg:schema"), g_strdup (mcp_secret_schema.name));
  g_hash_table_insert (attrs, g_strdup ("server"), g_strdup (server));
  if (kind != NULL)
    g_hash_table_insert (attrs, g_strdup ("kind"), g_strdup (kind));
  if (name != NULL)
    g_hash_table_insert (attrs, g_strdup ("name"), g_strdup (name));
  return attrs;
}

/* ---- store ---- */

typedef struct {
  char *kind;
  char *name;
  char *value;   /* secret */
} Item;

static void
item_free (gpointer data)
{
  Item *item = data;

  g_free (item->kind);
  g_free (item->name);
  byok_secret_free (item->value);
  g_free (item);
}

typedef struct {
  char *server;
  GQueue items;
} StoreData;

static void
store_data_free (gpointer data)
{
  StoreData *sd = data;

  g_free (sd->server);
  g_queue_clear_full (&sd->items, item_free);
  g_free (sd);
}

static void store_next (GTask *task);

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      g_task_return_error (task, byok_keyring_error_new (error, g_task_get_cancellable (task)));
      return;
    }
  store_next (task);
}

static void
store_next (GTask *task)
{
  StoreData *sd = g_task_get_task_data (task);
  Item *item = g_queue_pop_head (&sd->items);
  g_autoptr(GHashTable) attrs = NULL;
  g_autofree char *label = NULL;

  if (item == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  attrs = build_attributes (sd->server, item->kind, item->name);
  if (g_str_equal (item->kind, "token"))
    /* Translators: %s is an MCP server's name; the label of its token in Passwords and Keys */
    label = g_strdup_printf (_("Byok: MCP server “%s”: bearer token"), sd->server);
  else
    /* Translators: the label of a secret in Passwords and Keys: an MCP server's name, then a variable or header */
    label = g_strdup_printf (_("Byok: MCP server “%1$s”: %2$s"), sd->server, item->name);
  secret_password_storev (&mcp_secret_schema, attrs, SECRET_COLLECTION_DEFAULT, label, item->value,
                          g_task_get_cancellable (task), stored_cb, g_object_ref (task));
  item_free (item);
}

static void
cleared_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      g_task_return_error (task, byok_keyring_error_new (error, g_task_get_cancellable (task)));
      return;
    }
  store_next (task);
}

static void
queue_items (StoreData  *sd,
             const char *kind,
             GHashTable *values)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Item *item = g_new0 (Item, 1);

      item->kind = g_strdup (kind);
      item->name = g_strdup (key);
      item->value = byok_secret_dup (value, -1);
      g_queue_push_tail (&sd->items, item);
    }
}

/**
 * byok_mcp_secrets_store_async:
 * @server: the server's name
 * @secrets: (nullable): its secrets; NULL or empty clears them
 *
 * Clears the server's secrets, then stores @secrets.
 */
void
byok_mcp_secrets_store_async (const char          *server,
                              ByokMcpSecrets      *secrets,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  StoreData *sd = g_new0 (StoreData, 1);
  g_autoptr(GHashTable) attrs = build_attributes (server, NULL, NULL);

  g_task_set_source_tag (task, byok_mcp_secrets_store_async);
  sd->server = g_strdup (server);
  g_queue_init (&sd->items);
  if (secrets != NULL)
    {
      queue_items (sd, "env", secrets->env);
      queue_items (sd, "header", secrets->headers);
      if (secrets->token != NULL)
        {
          Item *item = g_new0 (Item, 1);

          item->kind = g_strdup ("token");
          item->name = g_strdup ("");
          item->value = byok_secret_dup (secrets->token, -1);
          g_queue_push_tail (&sd->items, item);
        }
    }
  g_task_set_task_data (task, sd, store_data_free);
  secret_password_clearv (&mcp_secret_schema, attrs, cancellable, cleared_cb, task);
}

gboolean
byok_mcp_secrets_store_finish (GAsyncResult  *result,
                               GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- lookup ---- */

typedef struct {
  ByokMcpSecrets *secrets;
  GError *error;
} LookupData;

static void
lookup_data_free (gpointer data)
{
  LookupData *ld = data;

  byok_mcp_secrets_free (ld->secrets);
  g_clear_error (&ld->error);
  g_free (ld);
}

static void
lookup_done (GTask *task)
{
  LookupData *ld = g_task_get_task_data (task);

  if (ld->error != NULL)
    g_task_return_error (task, byok_keyring_error_new (ld->error, g_task_get_cancellable (task)));
  else
    g_task_return_pointer (task, g_steal_pointer (&ld->secrets), (GDestroyNotify) byok_mcp_secrets_free);
}

/* One secret of the server's, read (or not: @error). @user_data is the
 * task. */
static void
item_read (SecretRetrievable *item,
           SecretValue       *value,
           const GError      *error,
           gpointer           user_data)
{
  LookupData *ld = g_task_get_task_data (user_data);
  g_autoptr(GHashTable) attrs = secret_retrievable_get_attributes (item);
  const char *kind = g_hash_table_lookup (attrs, "kind");
  const char *name = g_hash_table_lookup (attrs, "name");
  gsize length = 0;
  char *secret;

  if (error != NULL)
    {
      if (ld->error == NULL)
        ld->error = g_error_copy (error);
      return;
    }
  secret = secret_value_unref_to_password (value, &length);
  if (kind == NULL || name == NULL)
    ;
  else if (g_str_equal (kind, "token"))
    byok_mcp_secrets_set_token (ld->secrets, secret);
  else if (g_str_equal (kind, "header"))
    byok_mcp_secrets_set_header (ld->secrets, name, secret);
  else
    byok_mcp_secrets_set_env (ld->secrets, name, secret);
  byok_secret_free (secret);
}

/* Every secret read. Takes the task's reference @user_data. */
static void
items_read (gpointer user_data)
{
  lookup_done (user_data);
  g_object_unref (user_data);
}

static void
searched_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GList *items = secret_password_search_finish (result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, byok_keyring_error_new (error, g_task_get_cancellable (task)));
      return;
    }
  /* All read together, as the key store's listing reads its keys
   * (byok-secret-read-private.h: one GetSecrets, no Unlock of nothing). */
  _byok_secret_read_async (items, g_task_get_cancellable (task), item_read, items_read, g_object_ref (task));
  g_list_free_full (items, g_object_unref);
}

/* Reads every secret of @server (none: an empty ByokMcpSecrets). */
void
byok_mcp_secrets_lookup_async (const char          *server,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  LookupData *ld = g_new0 (LookupData, 1);
  g_autoptr(GHashTable) attrs = build_attributes (server, NULL, NULL);

  g_task_set_source_tag (task, byok_mcp_secrets_lookup_async);
  ld->secrets = byok_mcp_secrets_new ();
  g_task_set_task_data (task, ld, lookup_data_free);
  secret_password_searchv (&mcp_secret_schema, attrs, SECRET_SEARCH_ALL, cancellable, searched_cb, task);
}

/* Returns: (transfer full): the secrets, or NULL with an error */
ByokMcpSecrets *
byok_mcp_secrets_lookup_finish (GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
