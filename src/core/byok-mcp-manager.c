/* byok-mcp-manager.c — the configured MCP servers, running when needed */
#define G_LOG_DOMAIN "byok-mcp"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "byok-error.h"
#include "byok-glib-private.h"
#include "byok-json.h"
#include "byok-mcp-client.h"
#include "byok-mcp-http-transport.h"
#include "byok-mcp-manager.h"
#include "byok-mcp-stdio-transport.h"

typedef struct {
  ByokMcpManager *manager;    /* not a reference: it owns this */
  char *name;
  ByokMcpClient *client;      /* while starting or running */
  gulong tools_changed_handler;
  gulong closed_handler;
  GPtrArray *tools;           /* ByokMcpTool, the last listing; NULL: none yet */
  GPtrArray *waiters;         /* GTask waiting for the start */
  guint generation;           /* a new client each start */
} Server;

struct _ByokMcpManager
{
  GObject parent_instance;

  ByokMcpConfig *config;
  GHashTable *servers;        /* name → Server */
  guint request_ms;
  guint call_ms;
  char *log_dir;
  GPtrArray *closing;         /* ByokMcpClient being closed */
};

G_DEFINE_FINAL_TYPE (ByokMcpManager, byok_mcp_manager, G_TYPE_OBJECT)

enum {
  TOOLS_CHANGED,
  SERVER_STOPPED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
server_drop_client (Server *server)
{
  if (server->client == NULL)
    return;
  g_clear_signal_handler (&server->tools_changed_handler, server->client);
  g_clear_signal_handler (&server->closed_handler, server->client);
  g_clear_object (&server->client);
  g_clear_pointer (&server->tools, g_ptr_array_unref);
}

static void
kill_client (ByokMcpClient *client)
{
  ByokMcpTransport *transport = byok_mcp_client_get_transport (client);

  if (BYOK_IS_MCP_STDIO_TRANSPORT (transport))
    byok_mcp_stdio_transport_kill (BYOK_MCP_STDIO_TRANSPORT (transport));
}

static void
server_free (gpointer data)
{
  Server *server = data;

  if (server->client != NULL)
    kill_client (server->client);
  server_drop_client (server);
  g_free (server->name);
  g_clear_pointer (&server->waiters, g_ptr_array_unref);
  g_free (server);
}

static void
byok_mcp_manager_dispose (GObject *object)
{
  ByokMcpManager *self = BYOK_MCP_MANAGER (object);

  /* Nothing may outlive Byok: what was not shut down is killed. */
  g_clear_pointer (&self->servers, g_hash_table_unref);
  if (self->closing != NULL)
    {
      for (guint i = 0; i < self->closing->len; i++)
        kill_client (g_ptr_array_index (self->closing, i));
      g_clear_pointer (&self->closing, g_ptr_array_unref);
    }
  g_clear_object (&self->config);
  G_OBJECT_CLASS (byok_mcp_manager_parent_class)->dispose (object);
}

static void
byok_mcp_manager_finalize (GObject *object)
{
  ByokMcpManager *self = BYOK_MCP_MANAGER (object);

  g_free (self->log_dir);
  G_OBJECT_CLASS (byok_mcp_manager_parent_class)->finalize (object);
}

static void
byok_mcp_manager_class_init (ByokMcpManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = byok_mcp_manager_dispose;
  object_class->finalize = byok_mcp_manager_finalize;

  /**
   * ByokMcpManager::tools-changed:
   * @server: the server's name
   *
   * The server's tools changed (it said so, and they were listed again).
   */
  signals[TOOLS_CHANGED] =
    g_signal_new ("tools-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * ByokMcpManager::server-stopped:
   * @server: the server's name
   * @error: why
   *
   * A running server stopped without being asked (it is started again
   * when next needed).
   */
  signals[SERVER_STOPPED] =
    g_signal_new ("server-stopped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ERROR);
}

static void
byok_mcp_manager_init (ByokMcpManager *self)
{
  self->servers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, server_free);
  self->request_ms = BYOK_MCP_DEFAULT_TIMEOUT_MS;
  self->call_ms = BYOK_MCP_DEFAULT_CALL_TIMEOUT_MS;
  self->log_dir = g_build_filename (g_get_user_cache_dir (), "byok", "mcp", NULL);
  self->closing = g_ptr_array_new_with_free_func (g_object_unref);
}

static void apply_settings (GPtrArray *tools, const ByokMcpServerConfig *config);

/* A switch turned or "always allow" taken back holds for the tools
 * already listed too. */
static void
config_changed_cb (ByokMcpManager *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->servers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Server *server = value;
      g_autoptr(ByokMcpServerConfig) config = byok_mcp_config_lookup (self->config, server->name);

      if (config != NULL)
        apply_settings (server->tools, config);
    }
}

/**
 * byok_mcp_manager_new:
 * @config: the servers
 */
ByokMcpManager *
byok_mcp_manager_new (ByokMcpConfig *config)
{
  ByokMcpManager *self;

  g_return_val_if_fail (BYOK_IS_MCP_CONFIG (config), NULL);

  self = g_object_new (BYOK_TYPE_MCP_MANAGER, NULL);
  self->config = g_object_ref (config);
  g_signal_connect_object (config, "changed", G_CALLBACK (config_changed_cb), self, G_CONNECT_SWAPPED);
  return self;
}

ByokMcpConfig *
byok_mcp_manager_get_config (ByokMcpManager *self)
{
  g_return_val_if_fail (BYOK_IS_MCP_MANAGER (self), NULL);
  return self->config;
}

/**
 * byok_mcp_manager_set_timeouts:
 * @request_ms: how long starting and listing wait (0: 30 s)
 * @call_ms: how long a tool call waits (0: 2 min)
 *
 * For servers started from now on.
 */
void
byok_mcp_manager_set_timeouts (ByokMcpManager *self,
                               guint           request_ms,
                               guint           call_ms)
{
  g_return_if_fail (BYOK_IS_MCP_MANAGER (self));
  self->request_ms = request_ms != 0 ? request_ms : BYOK_MCP_DEFAULT_TIMEOUT_MS;
  self->call_ms = call_ms != 0 ? call_ms : BYOK_MCP_DEFAULT_CALL_TIMEOUT_MS;
}

/* Where servers' logs go (default $XDG_CACHE_HOME/byok/mcp) */
void
byok_mcp_manager_set_log_dir (ByokMcpManager *self,
                              const char     *dir)
{
  g_return_if_fail (BYOK_IS_MCP_MANAGER (self));
  g_free (self->log_dir);
  self->log_dir = g_strdup (dir);
}

/**
 * byok_mcp_manager_get_log_path:
 *
 * Returns: (transfer full): the file a stdio server's stderr goes to
 *   (it may not exist yet): what "Open Log" opens
 */
char *
byok_mcp_manager_get_log_path (ByokMcpManager *self,
                               const char     *server)
{
  g_autofree char *file = NULL;

  g_return_val_if_fail (BYOK_IS_MCP_MANAGER (self), NULL);
  file = g_strconcat (server, ".log", NULL);
  return g_build_filename (self->log_dir, file, NULL);
}

/* Whether the server is running now */
gboolean
byok_mcp_manager_is_running (ByokMcpManager *self,
                             const char     *server)
{
  Server *state;

  g_return_val_if_fail (BYOK_IS_MCP_MANAGER (self), FALSE);
  state = g_hash_table_lookup (self->servers, server);
  return state != NULL && state->client != NULL && byok_mcp_client_is_ready (state->client);
}

static Server *
get_server (ByokMcpManager *self,
            const char     *name)
{
  Server *server = g_hash_table_lookup (self->servers, name);

  if (server == NULL)
    {
      server = g_new0 (Server, 1);
      server->manager = self;
      server->name = g_strdup (name);
      server->waiters = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (self->servers, server->name, server);
    }
  return server;
}

static void
apply_settings (GPtrArray                 *tools,
                const ByokMcpServerConfig *config)
{
  for (guint i = 0; tools != NULL && i < tools->len; i++)
    {
      ByokMcpTool *tool = g_ptr_array_index (tools, i);

      byok_mcp_tool_set_enabled (tool, byok_mcp_server_config_tool_enabled (config, byok_mcp_tool_get_name (tool)));
      byok_mcp_tool_set_always_allow (tool, byok_mcp_server_config_tool_always_allowed (config,
                                                                                         byok_mcp_tool_get_name (tool)));
    }
}

/* ---- closing ---- */

static void
closed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ByokMcpManager *self = g_task_get_source_object (task);

  byok_mcp_client_close_finish (BYOK_MCP_CLIENT (source), result, NULL);
  if (self->closing != NULL)
    g_ptr_array_remove (self->closing, source);
  g_task_return_boolean (task, TRUE);
}

/* Closes @client (taken) in the background; @task, if any, completes then. */
static void
close_client (ByokMcpManager *self,
              ByokMcpClient  *client,
              GTask          *task)
{
  if (task == NULL)
    task = g_task_new (self, NULL, NULL, NULL);
  g_ptr_array_add (self->closing, client);
  byok_mcp_client_close_async (client, closed_cb, task);
}

/* ---- starting ---- */

static void
finish_waiters (Server       *server,
                const GError *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&server->waiters);

  server->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_pointer (task, g_object_ref (server->client), g_object_unref);
    }
}

static void
on_tools_listed_again (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autofree char *name = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tools = byok_mcp_client_list_tools_finish (BYOK_MCP_CLIENT (source), result, &error);
  ByokMcpManager *self;
  Server *server;

  if (tools == NULL)
    {
      g_debug ("%s: listing tools again failed: %s", name, error->message);
      return;
    }
  self = g_object_get_data (source, "byok-mcp-manager");
  if (self == NULL || self->servers == NULL)
    return;
  server = g_hash_table_lookup (self->servers, name);
  if (server == NULL || server->client != BYOK_MCP_CLIENT (source))
    return;
  g_clear_pointer (&server->tools, g_ptr_array_unref);
  server->tools = g_steal_pointer (&tools);
  g_signal_emit (self, signals[TOOLS_CHANGED], 0, name);
}

static void
on_client_tools_changed (ByokMcpClient *client,
                         Server        *server)
{
  g_clear_pointer (&server->tools, g_ptr_array_unref);
  byok_mcp_client_list_tools_async (client, NULL, on_tools_listed_again, g_strdup (server->name));
}

static void
on_client_closed (ByokMcpClient *client,
                  const GError  *error,
                  Server        *server)
{
  ByokMcpManager *self = server->manager;
  g_autofree char *name = g_strdup (server->name);
  g_autoptr(GError) reason = error != NULL ? g_error_copy (error) : NULL;

  g_object_ref (client);
  server_drop_client (server);
  g_object_unref (client);
  if (server->waiters->len > 0)
    {
      /* It ended while starting: those waiting are told why. */
      if (reason == NULL)
        /* Translators: %s is an MCP server's name */
        reason = g_error_new (BYOK_ERROR, BYOK_ERROR_SERVER, _("The MCP server “%s” stopped while starting."), name);
      finish_waiters (server, reason);
    }
  else if (reason != NULL)
    g_signal_emit (self, signals[SERVER_STOPPED], 0, name, reason);
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) hold = user_data;   /* keeps the manager */
  ByokMcpManager *self = g_task_get_source_object (hold);
  const char *name = g_task_get_task_data (hold);
  ByokMcpClient *client = BYOK_MCP_CLIENT (source);
  g_autoptr(GError) error = NULL;
  Server *server;

  byok_mcp_client_connect_finish (client, result, &error);
  server = self->servers != NULL ? g_hash_table_lookup (self->servers, name) : NULL;
  if (server == NULL || server->client != client)
    {
      g_task_return_boolean (hold, TRUE);
      return;
    }
  if (error != NULL)
    {
      /* A server that did not initialize is stopped, not left running. */
      ByokMcpClient *failed = g_object_ref (server->client);

      server_drop_client (server);
      close_client (self, failed, NULL);
      finish_waiters (server, error);
    }
  else
    finish_waiters (server, NULL);
  g_task_return_boolean (hold, TRUE);
}

static void
secrets_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) hold = user_data;
  ByokMcpManager *self = g_task_get_source_object (hold);
  const char *name = g_task_get_task_data (hold);
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokMcpSecrets) secrets = NULL;
  g_autoptr(ByokMcpServerConfig) config = NULL;
  g_autoptr(ByokMcpTransport) transport = NULL;
  Server *server;

  if (result != NULL)
    secrets = byok_mcp_secrets_lookup_finish (result, &error);
  else
    secrets = byok_mcp_secrets_new ();
  server = self->servers != NULL ? g_hash_table_lookup (self->servers, name) : NULL;
  if (server == NULL)
    {
      g_task_return_boolean (hold, TRUE);
      return;
    }
  config = byok_mcp_config_lookup (self->config, name);
  if (error == NULL && config == NULL)
    /* Translators: %s is an MCP server's name */
    error = g_error_new (BYOK_ERROR, BYOK_ERROR_INVALID,
                         _("There is no MCP server “%s”. “byok-cli mcp list” shows them."), name);
  if (error != NULL)
    {
      finish_waiters (server, error);
      g_task_return_boolean (hold, TRUE);
      return;
    }

  if (config->transport == BYOK_MCP_TRANSPORT_STDIO)
    {
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();
      g_autofree char *log = byok_mcp_manager_get_log_path (self, name);

      g_ptr_array_add (argv, config->command);
      for (guint i = 0; config->args[i] != NULL; i++)
        g_ptr_array_add (argv, config->args[i]);
      g_ptr_array_add (argv, NULL);
      transport = byok_mcp_stdio_transport_new (name, (const char * const *) argv->pdata, secrets->env, log);
    }
  else
    transport = byok_mcp_http_transport_new (name, config->url, secrets->token, secrets->headers);

  server->client = byok_mcp_client_new (transport);
  g_object_set_data (G_OBJECT (server->client), "byok-mcp-manager", self);
  byok_mcp_client_set_timeout (server->client, self->request_ms);
  server->tools_changed_handler = g_signal_connect (server->client, "tools-changed",
                                                    G_CALLBACK (on_client_tools_changed), server);
  server->closed_handler = g_signal_connect (server->client, "closed", G_CALLBACK (on_client_closed), server);
  byok_mcp_client_connect_async (server->client, NULL, connected_cb, g_steal_pointer (&hold));
}

/* Starts the server if it is not running; @task completes with its
 * client (a reference). */
static void
start_server (ByokMcpManager *self,
              const char     *name,
              GTask          *task)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokMcpServerConfig) config = NULL;
  Server *server;
  GTask *hold;

  if (!byok_mcp_config_reload (self->config, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  config = byok_mcp_config_lookup (self->config, name);
  if (config == NULL)
    {
      /* Translators: %s is an MCP server's name */
      g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_INVALID,
                               _("There is no MCP server “%s”. “byok-cli mcp list” shows them."), name);
      return;
    }

  server = get_server (self, name);
  if (server->client != NULL && byok_mcp_client_is_ready (server->client))
    {
      g_task_return_pointer (task, g_object_ref (server->client), g_object_unref);
      return;
    }
  g_ptr_array_add (server->waiters, g_object_ref (task));
  if (server->waiters->len > 1 || server->client != NULL)
    return;

  hold = g_task_new (self, NULL, NULL, NULL);
  g_task_set_task_data (hold, g_strdup (name), g_free);
  if (config->env[0] != NULL || config->headers[0] != NULL || config->has_token)
    byok_mcp_secrets_lookup_async (name, NULL, secrets_cb, hold);
  else
    secrets_cb (NULL, NULL, hold);
}

/* ---- listing ---- */

typedef struct {
  GPtrArray *per_server;    /* GPtrArray of tools, or NULL, per name */
  GPtrArray *names;
  GPtrArray *failures;      /* GError */
  guint pending;
  gboolean enabled_only;
} ListAll;

static void
unref_list (gpointer data)
{
  if (data != NULL)
    g_ptr_array_unref (data);
}

static void
list_all_free (gpointer data)
{
  ListAll *la = data;

  g_ptr_array_unref (la->per_server);
  g_ptr_array_unref (la->names);
  g_ptr_array_unref (la->failures);
  g_free (la);
}

typedef struct {
  GTask *task;
  guint index;
} ListOne;

static void
list_all_done (GTask *task)
{
  ListAll *la = g_task_get_task_data (task);
  ByokMcpManager *self = g_task_get_source_object (task);
  GPtrArray *tools;

  if (--la->pending > 0)
    return;

  if (!la->enabled_only && la->failures->len > 0)
    {
      g_task_return_error (task, g_error_copy (g_ptr_array_index (la->failures, 0)));
      return;
    }
  tools = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < la->per_server->len; i++)
    {
      GPtrArray *list = g_ptr_array_index (la->per_server, i);
      g_autoptr(ByokMcpServerConfig) config = byok_mcp_config_lookup (self->config,
                                                                       g_ptr_array_index (la->names, i));

      if (list == NULL || config == NULL)
        continue;
      apply_settings (list, config);
      for (guint j = 0; j < list->len; j++)
        {
          ByokMcpTool *tool = g_ptr_array_index (list, j);

          if (!la->enabled_only || byok_mcp_tool_get_enabled (tool))
            g_ptr_array_add (tools, g_object_ref (tool));
        }
    }
  g_task_return_pointer (task, tools, (GDestroyNotify) g_ptr_array_unref);
}

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ListOne *one = user_data;
  g_autoptr(GTask) task = one->task;
  ByokMcpManager *self = g_task_get_source_object (task);
  ListAll *la = g_task_get_task_data (task);
  const char *name = g_ptr_array_index (la->names, one->index);
  g_autoptr(GError) error = NULL;
  GPtrArray *tools = byok_mcp_client_list_tools_finish (BYOK_MCP_CLIENT (source), result, &error);
  Server *server = self->servers != NULL ? g_hash_table_lookup (self->servers, name) : NULL;

  if (tools == NULL)
    g_ptr_array_add (la->failures, g_steal_pointer (&error));
  else
    {
      if (server != NULL && server->client == BYOK_MCP_CLIENT (source))
        {
          g_clear_pointer (&server->tools, g_ptr_array_unref);
          server->tools = g_ptr_array_ref (tools);
        }
      g_ptr_array_index (la->per_server, one->index) = tools;
    }
  g_free (one);
  list_all_done (task);
}

static void
started_for_list_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  ListOne *one = user_data;
  ByokMcpManager *self = BYOK_MCP_MANAGER (source);
  ListAll *la = g_task_get_task_data (one->task);
  const char *name = g_ptr_array_index (la->names, one->index);
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokMcpClient) client = g_task_propagate_pointer (G_TASK (result), &error);
  Server *server;

  if (client == NULL)
    {
      g_autoptr(GTask) task = one->task;

      g_ptr_array_add (la->failures, g_steal_pointer (&error));
      g_free (one);
      list_all_done (task);
      return;
    }
  server = g_hash_table_lookup (self->servers, name);
  if (server != NULL && server->tools != NULL && server->client == client)
    {
      g_autoptr(GTask) task = one->task;

      g_ptr_array_index (la->per_server, one->index) = g_ptr_array_ref (server->tools);
      g_free (one);
      list_all_done (task);
      return;
    }
  byok_mcp_client_list_tools_async (client, g_task_get_cancellable (one->task), listed_cb, one);
}

/**
 * byok_mcp_manager_list_tools_async:
 * @server: (nullable): one server (listed even when switched off, every
 *   tool with its switch); NULL: every enabled server, only their
 *   enabled tools — what a model is offered
 *
 * Starts the servers that are not running.
 */
void
byok_mcp_manager_list_tools_async (ByokMcpManager      *self,
                                   const char          *server,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  ListAll *la;

  g_return_if_fail (BYOK_IS_MCP_MANAGER (self));

  task = _byok_task_new (self, cancellable, callback, user_data, byok_mcp_manager_list_tools_async);
  la = g_new0 (ListAll, 1);
  la->per_server = g_ptr_array_new_with_free_func (unref_list);
  la->names = g_ptr_array_new_with_free_func (g_free);
  la->failures = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  la->enabled_only = server == NULL;
  g_task_set_task_data (task, la, list_all_free);

  if (!byok_mcp_config_reload (self->config, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (server != NULL)
    g_ptr_array_add (la->names, g_strdup (server));
  else
    {
      g_autoptr(GPtrArray) configs = byok_mcp_config_list (self->config);

      for (guint i = 0; i < configs->len; i++)
        {
          ByokMcpServerConfig *config = g_ptr_array_index (configs, i);

          if (config->enabled)
            g_ptr_array_add (la->names, g_strdup (config->name));
        }
    }

  la->pending = la->names->len + 1;
  for (guint i = 0; i < la->names->len; i++)
    {
      ListOne *one = g_new0 (ListOne, 1);
      GTask *start = _byok_task_new (self, cancellable, started_for_list_cb, one, NULL);

      g_ptr_array_add (la->per_server, NULL);
      one->task = g_object_ref (task);
      one->index = i;
      start_server (self, g_ptr_array_index (la->names, i), start);
      g_object_unref (start);
    }
  list_all_done (task);
}

/**
 * byok_mcp_manager_list_tools_finish:
 * @failures: (out) (optional) (element-type GError): with every server,
 *   the failures of the servers that could not be listed (their tools
 *   are left out); each message names its server
 *
 * Returns: (transfer container) (element-type ByokMcpTool): the tools, by
 *   server name, in each server's order; or NULL with the error when one
 *   server was asked for and could not be listed
 */
GPtrArray *
byok_mcp_manager_list_tools_finish (ByokMcpManager  *self,
                                    GAsyncResult    *result,
                                    GPtrArray      **failures,
                                    GError         **error)
{
  ListAll *la = g_task_get_task_data (G_TASK (result));

  if (failures != NULL)
    {
      *failures = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
      for (guint i = 0; i < la->failures->len; i++)
        g_ptr_array_add (*failures, g_error_copy (g_ptr_array_index (la->failures, i)));
    }
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * byok_mcp_manager_lookup_tool:
 * @model_name: the name a model called a tool by
 *
 * Returns: (transfer none) (nullable): the tool, from the servers' last
 *   listings, or NULL
 */
ByokMcpTool *
byok_mcp_manager_lookup_tool (ByokMcpManager *self,
                              const char     *model_name)
{
  g_autofree char *name = byok_mcp_tool_model_name_server (model_name);
  Server *server;

  g_return_val_if_fail (BYOK_IS_MCP_MANAGER (self), NULL);

  server = name != NULL ? g_hash_table_lookup (self->servers, name) : NULL;
  for (guint i = 0; server != NULL && server->tools != NULL && i < server->tools->len; i++)
    {
      ByokMcpTool *tool = g_ptr_array_index (server->tools, i);

      if (g_str_equal (byok_mcp_tool_get_model_name (tool), model_name))
        return tool;
    }
  return NULL;
}

/* ---- calling ---- */

typedef struct {
  char *server;
  char *tool;
  JsonObject *arguments;
} CallData;

static void
call_data_free (gpointer data)
{
  CallData *cd = data;

  g_free (cd->server);
  g_free (cd->tool);
  g_clear_pointer (&cd->arguments, json_object_unref);
  g_free (cd);
}

static void
called_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  ByokMcpToolResult *res = byok_mcp_client_call_tool_finish (BYOK_MCP_CLIENT (source), result, &error);

  if (res == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, res, (GDestroyNotify) byok_mcp_tool_result_free);
}

static void
started_for_call_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ByokMcpManager *self = g_task_get_source_object (task);
  CallData *cd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokMcpClient) client = g_task_propagate_pointer (G_TASK (result), &error);

  if (client == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  byok_mcp_client_call_tool_async (client, cd->tool, cd->arguments, self->call_ms, g_task_get_cancellable (task),
                                   called_cb, g_object_ref (task));
}

/**
 * byok_mcp_manager_call_tool_async:
 * @server: the server's name
 * @tool: the tool's name on it (not the model-visible name)
 * @arguments_json: (nullable): the arguments, a JSON object as the model
 *   wrote it (NULL or "": none)
 * @cancellable: (nullable): stops the call; the server is told
 *
 * Starts the server if needed and calls the tool. A server or tool the
 * person switched off is refused (%BYOK_ERROR_INVALID); asking the person
 * first is the caller's part.
 */
void
byok_mcp_manager_call_tool_async (ByokMcpManager      *self,
                                  const char          *server,
                                  const char          *tool,
                                  const char          *arguments_json,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokMcpServerConfig) config = NULL;
  CallData *cd;

  g_return_if_fail (BYOK_IS_MCP_MANAGER (self));
  g_return_if_fail (server != NULL && tool != NULL);

  task = _byok_task_new (self, cancellable, callback, user_data, byok_mcp_manager_call_tool_async);
  cd = g_new0 (CallData, 1);
  cd->server = g_strdup (server);
  cd->tool = g_strdup (tool);
  g_task_set_task_data (task, cd, call_data_free);

  if (arguments_json != NULL && *arguments_json != '\0')
    {
      g_autoptr(JsonNode) node = byok_json_parse (arguments_json, strlen (arguments_json), NULL);

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        {
          /* Translators: %s is a tool's name */
          g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_INVALID,
                                   _("The arguments for the tool “%s” are not a JSON object."), tool);
          return;
        }
      cd->arguments = json_object_ref (json_node_get_object (node));
    }

  if (!byok_mcp_config_reload (self->config, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  config = byok_mcp_config_lookup (self->config, server);
  if (config != NULL && !config->enabled)
    {
      /* Translators: %s is an MCP server's name */
      g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_INVALID,
                               _("The MCP server “%s” is switched off."), server);
      return;
    }
  if (config != NULL && !byok_mcp_server_config_tool_enabled (config, tool))
    {
      /* Translators: %1$s is a tool's name, %2$s an MCP server's name */
      g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_INVALID,
                               _("The tool “%1$s” of the MCP server “%2$s” is switched off."), tool, server);
      return;
    }
  {
    GTask *start = _byok_task_new (self, cancellable, started_for_call_cb, g_object_ref (task), NULL);

    start_server (self, server, start);
    g_object_unref (start);
  }
}

/* Returns: (transfer full): the result (is_error: the tool failed, which
 * the model should be told), or NULL with an error */
ByokMcpToolResult *
byok_mcp_manager_call_tool_finish (ByokMcpManager  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- stopping ---- */

/* Stops one server (for instance after its settings changed). */
void
byok_mcp_manager_stop_server_async (ByokMcpManager      *self,
                                    const char          *server,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;
  Server *state;
  ByokMcpClient *client;

  g_return_if_fail (BYOK_IS_MCP_MANAGER (self));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, byok_mcp_manager_stop_server_async);
  state = g_hash_table_lookup (self->servers, server);
  if (state == NULL || state->client == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  client = g_object_ref (state->client);
  server_drop_client (state);
  close_client (self, client, task);
}

gboolean
byok_mcp_manager_stop_server_finish (ByokMcpManager  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
one_stopped_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  guint *pending = g_task_get_task_data (task);

  if (--(*pending) == 0)
    g_task_return_boolean (task, TRUE);
}

/**
 * byok_mcp_manager_shutdown_async:
 *
 * Stops every running server: stdin closed, then SIGTERM, then SIGKILL
 * for a child; DELETE for an HTTP session.
 */
void
byok_mcp_manager_shutdown_async (ByokMcpManager      *self,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree gpointer *names = NULL;
  guint *pending;
  guint n = 0;

  g_return_if_fail (BYOK_IS_MCP_MANAGER (self));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, byok_mcp_manager_shutdown_async);
  pending = g_new0 (guint, 1);
  g_task_set_task_data (task, pending, g_free);
  names = g_hash_table_get_keys_as_array (self->servers, &n);
  *pending = 1;
  for (guint i = 0; i < n; i++)
    {
      Server *server = g_hash_table_lookup (self->servers, names[i]);
      ByokMcpClient *client;

      if (server->client == NULL)
        continue;
      client = g_object_ref (server->client);
      server_drop_client (server);
      (*pending)++;
      close_client (self, client, g_task_new (self, NULL, one_stopped_cb, g_object_ref (task)));
    }
  /* The clients closing already (a server stopped alone) are waited for by no one. */
  if (--(*pending) == 0)
    g_task_return_boolean (task, TRUE);
}

gboolean
byok_mcp_manager_shutdown_finish (ByokMcpManager  *self,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
shutdown_wait_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  gboolean *done = user_data;

  *done = TRUE;
  g_main_context_wakeup (NULL);
}

/**
 * byok_mcp_manager_shutdown_wait:
 *
 * byok_mcp_manager_shutdown_async(), running the thread-default main
 * context until it ends: for byok-cli, or an app's shutdown handler
 * after its main loop stopped.
 */
void
byok_mcp_manager_shutdown_wait (ByokMcpManager *self)
{
  gboolean done = FALSE;

  g_return_if_fail (BYOK_IS_MCP_MANAGER (self));

  byok_mcp_manager_shutdown_async (self, shutdown_wait_cb, &done);
  while (!done || self->closing->len > 0)
    g_main_context_iteration (g_main_context_get_thread_default (), TRUE);
}
