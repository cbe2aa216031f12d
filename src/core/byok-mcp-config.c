/* byok-mcp-config.c — the MCP servers a person configured */
#define G_LOG_DOMAIN "byok-mcp"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "byok-error.h"
#include "byok-file.h"
#include "byok-json.h"
#include "byok-key-format.h"
#include "byok-mcp-config.h"
#include "byok-mcp-import.h"

#define FILE_VERSION 1

struct _ByokMcpConfig
{
  GObject parent_instance;

  char *path;
  GPtrArray *servers;   /* ByokMcpServerConfig, by name */
};

G_DEFINE_FINAL_TYPE (ByokMcpConfig, byok_mcp_config, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
byok_mcp_config_finalize (GObject *object)
{
  ByokMcpConfig *self = BYOK_MCP_CONFIG (object);

  g_free (self->path);
  g_ptr_array_unref (self->servers);
  G_OBJECT_CLASS (byok_mcp_config_parent_class)->finalize (object);
}

static void
byok_mcp_config_class_init (ByokMcpConfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = byok_mcp_config_finalize;

  /**
   * ByokMcpConfig::changed:
   *
   * A server was added, changed or removed by this object.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
byok_mcp_config_init (ByokMcpConfig *self)
{
  self->servers = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_mcp_server_config_free);
}

/* Returns: (transfer full): $XDG_CONFIG_HOME/byok/mcp-servers.json */
char *
byok_mcp_config_default_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "byok", "mcp-servers.json", NULL);
}

/**
 * byok_mcp_config_new:
 * @path: (nullable): the file; NULL for byok_mcp_config_default_path()
 *
 * Reads the file if it can; byok_mcp_config_reload() says why not.
 */
ByokMcpConfig *
byok_mcp_config_new (const char *path)
{
  ByokMcpConfig *self = g_object_new (BYOK_TYPE_MCP_CONFIG, NULL);
  g_autoptr(GError) error = NULL;

  self->path = path != NULL ? g_strdup (path) : byok_mcp_config_default_path ();
  if (!byok_mcp_config_reload (self, &error))
    g_debug ("%s", error->message);
  return self;
}

const char *
byok_mcp_config_get_path (ByokMcpConfig *self)
{
  g_return_val_if_fail (BYOK_IS_MCP_CONFIG (self), NULL);
  return self->path;
}

static int
compare_servers (gconstpointer a,
                 gconstpointer b)
{
  const ByokMcpServerConfig *sa = *(ByokMcpServerConfig * const *) a;
  const ByokMcpServerConfig *sb = *(ByokMcpServerConfig * const *) b;

  return strcmp (sa->name, sb->name);
}

static GPtrArray *
read_servers (const char  *path,
              GError     **error)
{
  g_autoptr(GPtrArray) servers = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_mcp_server_config_free);
  g_autofree char *contents = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  JsonObject *object;
  JsonArray *array = NULL;
  gint64 version = 0;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&servers);
      /* Translators: %1$s is a file, %2$s the system's reason */
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE, _("Could not read %1$s: %2$s"), path, local->message);
      return NULL;
    }
  root = byok_json_parse (contents, len, &local);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      /* Translators: %1$s is a file, %2$s what is wrong */
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED, _("%1$s is not valid: %2$s"), path,
                   local != NULL ? local->message : _("not a JSON object"));
      return NULL;
    }
  object = json_node_get_object (root);
  if (!byok_json_expect_int (object, "version", TRUE, 1, path, &version, error) ||
      !byok_json_expect_array (object, "servers", path, &array, error))
    return NULL;
  if (array == NULL)
    {
      byok_json_set_malformed (error, path, _("“%s” is missing"), "servers");
      return NULL;
    }
  if (version > FILE_VERSION)
    {
      /* Translators: %s is a file */
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                   _("%s was written by a newer Byok; update Byok to use it."), path);
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *entry = byok_json_array_get_object (array, i);
      ByokMcpServerConfig *server;

      if (entry == NULL)
        {
          byok_json_set_malformed (error, path, _("“servers” must be a list of objects"));
          return NULL;
        }
      server = byok_mcp_server_config_new_from_json (entry, path, error);
      if (server == NULL)
        return NULL;
      if (!g_hash_table_add (names, server->name))
        {
          /* Translators: %s is an MCP server's name */
          byok_json_set_malformed (error, path, _("“%s” is there twice"), server->name);
          byok_mcp_server_config_free (server);
          return NULL;
        }
      g_ptr_array_add (servers, server);
    }
  g_ptr_array_sort (servers, compare_servers);
  return g_steal_pointer (&servers);
}

/* Reads the file again (another process may have changed it). */
gboolean
byok_mcp_config_reload (ByokMcpConfig  *self,
                        GError        **error)
{
  GPtrArray *servers;

  g_return_val_if_fail (BYOK_IS_MCP_CONFIG (self), FALSE);

  servers = read_servers (self->path, error);
  if (servers == NULL)
    return FALSE;
  g_ptr_array_unref (self->servers);
  self->servers = servers;
  return TRUE;
}

static gboolean
write_servers (GOutputStream  *stream,
               gpointer        user_data,
               GCancellable   *cancellable,
               GError        **error)
{
  GPtrArray *servers = user_data;
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) text = NULL;
  gsize len = 0;
  char *data;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, FILE_VERSION);
  json_builder_set_member_name (builder, "servers");
  json_builder_begin_array (builder);
  for (guint i = 0; i < servers->len; i++)
    json_builder_add_value (builder, byok_mcp_server_config_to_json (g_ptr_array_index (servers, i)));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  data = json_generator_to_data (gen, &len);
  text = g_string_new (data);
  g_free (data);
  g_string_append_c (text, '\n');
  return byok_file_write_buffer (stream, text, cancellable, error);
}

static gboolean
save (ByokMcpConfig  *self,
      GPtrArray      *servers,
      GError        **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autoptr(GFile) file = g_file_new_for_path (self->path);
  g_autoptr(GError) local = NULL;

  g_ptr_array_sort (servers, compare_servers);
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !byok_file_write_private (file, write_servers, servers, NULL, &local))
    {
      /* Translators: %1$s is a file, %2$s the system's reason */
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE, _("Could not save %1$s: %2$s"), self->path,
                   local != NULL ? local->message : g_strerror (errno));
      return FALSE;
    }
  g_ptr_array_unref (self->servers);
  self->servers = g_ptr_array_ref (servers);
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

static gint
find_server (GPtrArray  *servers,
             const char *name)
{
  for (guint i = 0; i < servers->len; i++)
    {
      ByokMcpServerConfig *server = g_ptr_array_index (servers, i);

      if (g_str_equal (server->name, name))
        return (gint) i;
    }
  return -1;
}

static void
set_no_server (GError     **error,
               const char  *name)
{
  /* Translators: %s is an MCP server's name */
  g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
               _("There is no MCP server “%s”. “byok-cli mcp list” shows them."), name);
}

/* Returns: (transfer container) (element-type ByokMcpServerConfig): every
 * server, by name (as last read) */
GPtrArray *
byok_mcp_config_list (ByokMcpConfig *self)
{
  GPtrArray *copy;

  g_return_val_if_fail (BYOK_IS_MCP_CONFIG (self), NULL);

  copy = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_mcp_server_config_free);
  for (guint i = 0; i < self->servers->len; i++)
    g_ptr_array_add (copy, byok_mcp_server_config_copy (g_ptr_array_index (self->servers, i)));
  return copy;
}

/* Returns: (transfer full) (nullable): a copy of the server, or NULL */
ByokMcpServerConfig *
byok_mcp_config_lookup (ByokMcpConfig *self,
                        const char    *name)
{
  gint i;

  g_return_val_if_fail (BYOK_IS_MCP_CONFIG (self), NULL);

  i = name != NULL ? find_server (self->servers, name) : -1;
  return i >= 0 ? byok_mcp_server_config_copy (g_ptr_array_index (self->servers, i)) : NULL;
}

typedef void (*ChangeFunc) (ByokMcpServerConfig *server,
                            const char          *tool,
                            gboolean             value);

/* Re-reads the file, changes one server, writes it. */
static gboolean
change_server (ByokMcpConfig  *self,
               const char     *name,
               ChangeFunc      change,
               const char     *tool,
               gboolean        value,
               GError        **error)
{
  g_autoptr(GPtrArray) servers = read_servers (self->path, error);
  gint i;

  if (servers == NULL)
    return FALSE;
  i = find_server (servers, name);
  if (i < 0)
    {
      set_no_server (error, name);
      return FALSE;
    }
  change (g_ptr_array_index (servers, i), tool, value);
  return save (self, servers, error);
}

static void
change_enabled (ByokMcpServerConfig *server,
                const char          *tool,
                gboolean             value)
{
  server->enabled = value;
}

gboolean
byok_mcp_config_set_enabled (ByokMcpConfig  *self,
                             const char     *name,
                             gboolean        enabled,
                             GError        **error)
{
  g_return_val_if_fail (BYOK_IS_MCP_CONFIG (self), FALSE);
  return change_server (self, name, change_enabled, NULL, !!enabled, error);
}

gboolean
byok_mcp_config_set_tool_enabled (ByokMcpConfig  *self,
                                  const char     *name,
                                  const char     *tool,
                                  gboolean        enabled,
                                  GError        **error)
{
  g_return_val_if_fail (BYOK_IS_MCP_CONFIG (self), FALSE);
  return change_server (self, name, byok_mcp_server_config_set_tool_enabled, tool, enabled, error);
}

/* What the approval UI's "Always allow this tool" keeps */
gboolean
byok_mcp_config_set_tool_always_allow (ByokMcpConfig  *self,
                                       const char     *name,
                                       const char     *tool,
                                       gboolean        always,
                                       GError        **error)
{
  g_return_val_if_fail (BYOK_IS_MCP_CONFIG (self), FALSE);
  return change_server (self, name, byok_mcp_server_config_set_tool_always_allow, tool, always, error);
}

/* ---- add ---- */

typedef struct {
  GPtrArray *servers;    /* ByokMcpServerConfig to add */
  GPtrArray *secrets;    /* ByokMcpSecrets, the same order */
  guint next;
  gboolean replace;
  GStrv skipped;
  GStrvBuilder *added;
} AddData;

static void
add_data_free (gpointer data)
{
  AddData *ad = data;

  g_ptr_array_unref (ad->servers);
  g_ptr_array_unref (ad->secrets);
  g_strfreev (ad->skipped);
  g_strv_builder_unref (ad->added);
  g_free (ad);
}

static void add_next (GTask *task);

/* Once a server's secrets are stored (or cleared, @secrets_result): the
 * file's servers read again, without @name; %NULL with the error of
 * either step. */
static GPtrArray *
read_servers_without (ByokMcpConfig  *self,
                      GAsyncResult   *secrets_result,
                      const char     *name,
                      GError        **error)
{
  g_autoptr(GPtrArray) servers = NULL;
  gint i;

  if (!byok_mcp_secrets_store_finish (secrets_result, error))
    return NULL;
  servers = read_servers (self->path, error);
  if (servers == NULL)
    return NULL;
  i = find_server (servers, name);
  if (i >= 0)
    g_ptr_array_remove_index (servers, i);
  return g_steal_pointer (&servers);
}

static void
add_secrets_stored_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ByokMcpConfig *self = g_task_get_source_object (task);
  AddData *ad = g_task_get_task_data (task);
  ByokMcpServerConfig *server = g_ptr_array_index (ad->servers, ad->next);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) servers = NULL;

  servers = read_servers_without (self, result, server->name, &error);
  if (servers == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_ptr_array_add (servers, byok_mcp_server_config_copy (server));
  if (!save (self, servers, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_strv_builder_add (ad->added, server->name);
  ad->next++;
  add_next (g_steal_pointer (&task));
}

/* Takes @task_owned: stores the next server's secrets, or returns. */
static void
add_next (GTask *task_owned)
{
  g_autoptr(GTask) task = task_owned;
  ByokMcpConfig *self = g_task_get_source_object (task);
  GCancellable *cancellable;
  AddData *ad = g_task_get_task_data (task);
  ByokMcpServerConfig *server;
  ByokMcpSecrets *secrets;

  if (ad->next >= ad->servers->len)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  server = g_ptr_array_index (ad->servers, ad->next);
  secrets = g_ptr_array_index (ad->secrets, ad->next);
  cancellable = g_task_get_cancellable (task);
  byok_mcp_secrets_store_async (server->name, secrets, cancellable,
                                add_secrets_stored_cb, g_steal_pointer (&task));
  (void) self;
}

/* Keeps in @server the names of what @secrets holds. */
static void
take_names (ByokMcpServerConfig *server,
            ByokMcpSecrets      *secrets)
{
  g_autofree gpointer *env = g_hash_table_get_keys_as_array (secrets->env, NULL);
  g_autofree gpointer *headers = g_hash_table_get_keys_as_array (secrets->headers, NULL);

  g_strfreev (server->env);
  server->env = g_strdupv ((char **) env);
  g_strfreev (server->headers);
  server->headers = g_strdupv ((char **) headers);
  server->has_token = secrets->token != NULL;
}

static GTask *
add_task_new (ByokMcpConfig       *self,
              gboolean             replace,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  AddData *ad = g_new0 (AddData, 1);

  ad->servers = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_mcp_server_config_free);
  ad->secrets = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_mcp_secrets_free);
  ad->added = g_strv_builder_new ();
  ad->replace = replace;
  g_task_set_task_data (task, ad, add_data_free);
  return task;
}

/**
 * byok_mcp_config_add_async:
 * @server: the server; its @env, @headers and @has_token are taken from
 *   @secrets
 * @secrets: (nullable): the values, for the keyring
 * @replace: whether a server of the same name is replaced (else
 *   %BYOK_ERROR_INVALID)
 *
 * Stores the secrets in the keyring (replacing the server's old ones),
 * then the server in the file.
 */
void
byok_mcp_config_add_async (ByokMcpConfig             *self,
                           const ByokMcpServerConfig *server,
                           ByokMcpSecrets            *secrets,
                           gboolean                   replace,
                           GCancellable              *cancellable,
                           GAsyncReadyCallback        callback,
                           gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokMcpSecrets) empty = NULL;
  ByokMcpServerConfig *copy;
  AddData *ad;

  g_return_if_fail (BYOK_IS_MCP_CONFIG (self));

  task = add_task_new (self, replace, cancellable, callback, user_data);
  g_task_set_source_tag (task, byok_mcp_config_add_async);
  ad = g_task_get_task_data (task);
  if (secrets == NULL)
    secrets = empty = byok_mcp_secrets_new ();
  copy = byok_mcp_server_config_copy (server);
  take_names (copy, secrets);
  g_ptr_array_add (ad->servers, copy);
  g_ptr_array_add (ad->secrets, byok_mcp_secrets_copy (secrets));

  if (!byok_mcp_server_config_validate (copy, &error) || !byok_mcp_config_reload (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!replace && find_server (self->servers, copy->name) >= 0)
    {
      /* Translators: %s is an MCP server's name */
      g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_INVALID,
                               _("There is already an MCP server “%s”. Remove it first, or choose another name."),
                               copy->name);
      return;
    }
  add_next (g_steal_pointer (&task));
}

gboolean
byok_mcp_config_add_finish (ByokMcpConfig  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- remove ---- */

static void
remove_cleared_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ByokMcpConfig *self = g_task_get_source_object (task);
  const char *name = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) servers = NULL;

  servers = read_servers_without (self, result, name, &error);
  if (servers == NULL || !save (self, servers, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* Removes the server from the file and its secrets from the keyring. */
void
byok_mcp_config_remove_async (ByokMcpConfig       *self,
                              const char          *name,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (BYOK_IS_MCP_CONFIG (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byok_mcp_config_remove_async);
  g_task_set_task_data (task, g_strdup (name), g_free);
  if (!byok_mcp_config_reload (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (find_server (self->servers, name) < 0)
    {
      set_no_server (&error, name);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  byok_mcp_secrets_store_async (name, NULL, cancellable, remove_cleared_cb, g_steal_pointer (&task));
}

gboolean
byok_mcp_config_remove_finish (ByokMcpConfig  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- update ---- */

typedef struct {
  char *old_name;
  ByokMcpServerConfig *server;   /* as it will be written */
  ByokMcpSecrets *changes;       /* new and replaced values */
  ByokMcpSecrets *merged;        /* every value, once looked up */
} UpdateData;

static void
update_data_free (gpointer data)
{
  UpdateData *ud = data;

  g_free (ud->old_name);
  byok_mcp_server_config_free (ud->server);
  byok_mcp_secrets_free (ud->changes);
  byok_mcp_secrets_free (ud->merged);
  g_free (ud);
}

static void
update_old_cleared_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!byok_mcp_secrets_store_finish (result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
update_stored_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ByokMcpConfig *self = g_task_get_source_object (task);
  UpdateData *ud = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) servers = NULL;
  gint i;

  if (!byok_mcp_secrets_store_finish (result, &error) ||
      (servers = read_servers (self->path, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  i = find_server (servers, ud->old_name);
  if (i < 0)
    {
      set_no_server (&error, ud->old_name);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Its switches and "always allow" as they are now, under either name. */
  {
    ByokMcpServerConfig *now = g_ptr_array_index (servers, i);

    ud->server->enabled = now->enabled;
    g_strfreev (ud->server->disabled_tools);
    ud->server->disabled_tools = g_strdupv (now->disabled_tools);
    g_strfreev (ud->server->always_allow);
    ud->server->always_allow = g_strdupv (now->always_allow);
  }
  g_ptr_array_remove_index (servers, i);
  g_ptr_array_add (servers, byok_mcp_server_config_copy (ud->server));
  if (!save (self, servers, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Renamed: the old name's secrets go only once the new ones are kept. */
  if (!g_str_equal (ud->old_name, ud->server->name))
    byok_mcp_secrets_store_async (ud->old_name, NULL, cancellable, update_old_cleared_cb, g_steal_pointer (&task));
  else
    g_task_return_boolean (task, TRUE);
}

/* Each name the server keeps, with its new value or else its old one; a
 * name with neither is dropped. */
static void
merge_values (GHashTable  *into,
              GStrv       *names,
              GHashTable  *changes,
              GHashTable  *old)
{
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();

  for (guint i = 0; (*names)[i] != NULL; i++)
    {
      const char *value = g_hash_table_lookup (changes, (*names)[i]);

      if (value == NULL && old != NULL)
        value = g_hash_table_lookup (old, (*names)[i]);
      if (value == NULL)
        continue;
      g_hash_table_replace (into, g_strdup ((*names)[i]), byok_secret_dup (value, -1));
      g_strv_builder_add (kept, (*names)[i]);
    }
  g_strfreev (*names);
  *names = g_strv_builder_end (kept);
}

static void
update_looked_up_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  UpdateData *ud = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokMcpSecrets) old = byok_mcp_secrets_lookup_finish (result, &error);

  if (old == NULL && error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  ud->merged = byok_mcp_secrets_new ();
  merge_values (ud->merged->env, &ud->server->env, ud->changes->env, old != NULL ? old->env : NULL);
  merge_values (ud->merged->headers, &ud->server->headers, ud->changes->headers, old != NULL ? old->headers : NULL);
  if (ud->changes->token != NULL)
    byok_mcp_secrets_set_token (ud->merged, ud->changes->token);
  else if (ud->server->has_token && old != NULL)
    byok_mcp_secrets_set_token (ud->merged, old->token);
  ud->server->has_token = ud->merged->token != NULL;
  if (ud->server->transport == BYOK_MCP_TRANSPORT_HTTP)
    g_hash_table_remove_all (ud->merged->env);
  else
    {
      g_hash_table_remove_all (ud->merged->headers);
      byok_mcp_secrets_set_token (ud->merged, NULL);
    }
  take_names (ud->server, ud->merged);
  byok_mcp_secrets_store_async (ud->server->name, ud->merged, cancellable, update_stored_cb, g_steal_pointer (&task));
}

/**
 * byok_mcp_config_update_async:
 * @old_name: the server as it is now
 * @server: how it is to be: perhaps renamed, reached otherwise; its
 *   @env and @headers name the values it keeps, @has_token whether it
 *   keeps its bearer token; its switches and "always allow" are the
 *   old server's, as the file has them then (they follow a rename)
 * @changes: (nullable): new values, for the keyring; a name in @server
 *   without one here keeps its old value
 *
 * Stores the secrets the server keeps under its (new) name in the
 * keyring, writes the file, and, when it was renamed, clears the old
 * name's secrets. %BYOK_ERROR_INVALID when @old_name is no server or
 * the new name is another's.
 */
void
byok_mcp_config_update_async (ByokMcpConfig             *self,
                              const char                *old_name,
                              const ByokMcpServerConfig *server,
                              ByokMcpSecrets            *changes,
                              GCancellable              *cancellable,
                              GAsyncReadyCallback        callback,
                              gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  UpdateData *ud;

  g_return_if_fail (BYOK_IS_MCP_CONFIG (self));
  g_return_if_fail (old_name != NULL);
  g_return_if_fail (server != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byok_mcp_config_update_async);
  ud = g_new0 (UpdateData, 1);
  ud->old_name = g_strdup (old_name);
  ud->server = byok_mcp_server_config_copy (server);
  ud->changes = byok_mcp_secrets_copy (changes);
  g_task_set_task_data (task, ud, update_data_free);

  if (!byok_mcp_server_config_validate (ud->server, &error) || !byok_mcp_config_reload (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (find_server (self->servers, old_name) < 0)
    {
      set_no_server (&error, old_name);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!g_str_equal (old_name, ud->server->name) && find_server (self->servers, ud->server->name) >= 0)
    {
      /* Translators: %s is an MCP server's name */
      g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_INVALID,
                               _("There is already an MCP server “%s”. Choose another name."), ud->server->name);
      return;
    }
  byok_mcp_secrets_lookup_async (old_name, cancellable, update_looked_up_cb, g_steal_pointer (&task));
}

gboolean
byok_mcp_config_update_finish (ByokMcpConfig  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- import ---- */

static void
imported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * byok_mcp_config_import_async:
 * @json: an `mcpServers` file (byok-mcp-import.h)
 * @replace: whether servers of the same name are replaced; else they are
 *   skipped
 */
void
byok_mcp_config_import_async (ByokMcpConfig       *self,
                              const char          *json,
                              gsize                len,
                              gboolean             replace,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) inner = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) servers = NULL;
  g_autoptr(GPtrArray) secrets = NULL;
  g_auto(GStrv) skipped = NULL;
  g_autoptr(GStrvBuilder) left_out = g_strv_builder_new ();
  AddData *ad;

  g_return_if_fail (BYOK_IS_MCP_CONFIG (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byok_mcp_config_import_async);
  if (!byok_mcp_import_parse (json, len, &servers, &secrets, &skipped, &error) ||
      !byok_mcp_config_reload (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  inner = add_task_new (self, replace, cancellable, imported_cb, g_object_ref (task));
  ad = g_task_get_task_data (inner);
  g_task_set_task_data (task, g_object_ref (inner), g_object_unref);
  g_strv_builder_addv (left_out, (const char **) skipped);
  for (guint i = 0; i < servers->len; i++)
    {
      ByokMcpServerConfig *server = g_ptr_array_index (servers, i);

      if (!replace && find_server (self->servers, server->name) >= 0)
        {
          /* Translators: %s is an MCP server's name */
          byok_strv_builder_take (left_out, g_strdup_printf (_("“%s”: there is already a server of this name."),
                                                          server->name));
          continue;
        }
      g_ptr_array_add (ad->servers, byok_mcp_server_config_copy (server));
      g_ptr_array_add (ad->secrets, g_steal_pointer (&g_ptr_array_index (secrets, i)));
    }
  ad->skipped = g_strv_builder_end (left_out);
  add_next (g_steal_pointer (&inner));
}

/**
 * byok_mcp_config_import_finish:
 * @skipped: (out) (optional): one sentence per server left out
 *
 * Returns: (transfer full): the names of the servers imported (perhaps
 *   none), or NULL with an error. Servers before a keyring failure stay
 *   imported.
 */
GStrv
byok_mcp_config_import_finish (ByokMcpConfig  *self,
                               GAsyncResult   *result,
                               GStrv          *skipped,
                               GError        **error)
{
  GTask *inner;
  AddData *ad;

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  inner = g_task_get_task_data (G_TASK (result));
  ad = g_task_get_task_data (inner);
  if (skipped != NULL)
    *skipped = g_strdupv (ad->skipped);
  return g_strv_builder_end (ad->added);
}
