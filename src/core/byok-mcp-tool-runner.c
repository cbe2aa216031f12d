/* byok-mcp-tool-runner.c — the tools of the MCP servers, run for a model */
#define G_LOG_DOMAIN "byok-mcp"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byok-error.h"
#include "byok-mcp-tool-runner.h"

struct _ByokMcpToolRunner
{
  GObject          parent_instance;

  ByokMcpManager  *manager;
  ByokToolAskFunc  ask;
  gpointer         ask_data;
  GDestroyNotify   ask_destroy;
  gboolean         approve_all;

  GQueue           waiting;   /* GTask* of run_async() waiting for their question */
  gboolean         asking;    /* a question is up */
};

static void byok_mcp_tool_runner_iface_init (ByokToolRunnerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ByokMcpToolRunner, byok_mcp_tool_runner, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BYOK_TYPE_TOOL_RUNNER, byok_mcp_tool_runner_iface_init))

typedef struct {
  ByokToolCall *call;
  ByokMcpTool  *tool;
} Run;

static void
run_free (Run *run)
{
  byok_tool_call_free (run->call);
  g_clear_object (&run->tool);
  g_free (run);
}

static void ask_next (ByokMcpToolRunner *self);

/* ---- approval ------------------------------------------------------------- */

static gboolean
always_allowed (ByokMcpToolRunner *self,
                ByokMcpTool       *tool)
{
  g_autoptr(ByokMcpServerConfig) server = NULL;

  if (byok_mcp_tool_get_always_allow (tool))
    return TRUE;
  server = byok_mcp_config_lookup (byok_mcp_manager_get_config (self->manager), byok_mcp_tool_get_server (tool));
  return server != NULL && byok_mcp_server_config_tool_always_allowed (server, byok_mcp_tool_get_name (tool));
}

static void
called_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokMcpToolResult) answer = NULL;

  answer = byok_mcp_manager_call_tool_finish (BYOK_MCP_MANAGER (source), result, &error);
  if (answer == NULL)
    {
      if (byok_error_is_cancelled (error))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, byok_tool_result_new_from_error (run->call, error),
                               (GDestroyNotify) byok_tool_result_free);
      return;
    }
  g_task_return_pointer (task, byok_tool_result_new (run->call, answer->text, answer->is_error),
                         (GDestroyNotify) byok_tool_result_free);
}

static void
start_call (ByokMcpToolRunner *self,
            GTask             *task)
{
  Run *run = g_task_get_task_data (task);

  g_debug ("calling %s on %s", byok_mcp_tool_get_name (run->tool), byok_mcp_tool_get_server (run->tool));
  byok_mcp_manager_call_tool_async (self->manager, byok_mcp_tool_get_server (run->tool),
                                    byok_mcp_tool_get_name (run->tool), run->call->arguments,
                                    g_task_get_cancellable (task), called_cb, task);
}

static void
deny (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  g_task_return_pointer (task, byok_tool_result_new_denied (run->call, NULL), (GDestroyNotify) byok_tool_result_free);
  g_object_unref (task);
}

/* The person answered the question about @task. */
static void
answered_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ByokMcpToolRunner *self = BYOK_MCP_TOOL_RUNNER (source);
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gssize approval;

  self->asking = FALSE;
  approval = g_task_propagate_int (G_TASK (result), &error);
  if (error != NULL && byok_error_is_cancelled (error) &&
      g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
    }
  else if (error != NULL || approval == BYOK_TOOL_APPROVAL_DENY)
    deny (task);
  else
    {
      if (approval == BYOK_TOOL_APPROVAL_ALWAYS)
        {
          g_autoptr(GError) save_error = NULL;

          byok_mcp_tool_set_always_allow (run->tool, TRUE);
          if (!byok_mcp_config_set_tool_always_allow (byok_mcp_manager_get_config (self->manager),
                                                      byok_mcp_tool_get_server (run->tool),
                                                      byok_mcp_tool_get_name (run->tool), TRUE, &save_error))
            g_warning ("Could not keep “always allow” for %s: %s", byok_mcp_tool_get_name (run->tool),
                       save_error->message);
        }
      start_call (self, task);
    }
  ask_next (self);
}

/* Puts the next question up, one at a time. */
static void
ask_next (ByokMcpToolRunner *self)
{
  while (!self->asking && !g_queue_is_empty (&self->waiting))
    {
      GTask *task = g_queue_pop_head (&self->waiting);
      Run *run = g_task_get_task_data (task);
      GCancellable *cancellable = g_task_get_cancellable (task);
      GTask *question;

      if (g_cancellable_is_cancelled (cancellable))
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("Stopped"));
          g_object_unref (task);
          continue;
        }
      /* "Always" for an earlier call of the same tool answers this one. */
      if (self->approve_all || always_allowed (self, run->tool))
        {
          start_call (self, task);
          continue;
        }
      if (self->ask == NULL)
        {
          deny (task);
          continue;
        }
      self->asking = TRUE;
      question = g_task_new (self, cancellable, answered_cb, task);
      g_task_set_source_tag (question, ask_next);
      self->ask (run->tool, run->call->arguments, cancellable, question, self->ask_data);
    }
}

/* ---- ByokToolRunner ------------------------------------------------------- */

static void
runner_run_async (ByokToolRunner      *runner,
                  const ByokToolCall  *call,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  ByokMcpToolRunner *self = BYOK_MCP_TOOL_RUNNER (runner);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  ByokMcpTool *tool = byok_mcp_manager_lookup_tool (self->manager, call->name);
  Run *run;

  g_task_set_source_tag (task, runner_run_async);
  if (tool == NULL)
    {
      g_autofree char *message = g_strdup_printf ("No tool named %s is available.", call->name);

      g_task_return_pointer (task, byok_tool_result_new (call, message, TRUE), (GDestroyNotify) byok_tool_result_free);
      return;
    }
  run = g_new0 (Run, 1);
  run->call = byok_tool_call_copy (call);
  run->tool = g_object_ref (tool);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);
  g_queue_push_tail (&self->waiting, g_steal_pointer (&task));
  ask_next (self);
}

static ByokToolResult *
runner_run_finish (ByokToolRunner  *runner,
                   GAsyncResult    *result,
                   GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
byok_mcp_tool_runner_iface_init (ByokToolRunnerInterface *iface)
{
  iface->run_async = runner_run_async;
  iface->run_finish = runner_run_finish;
}

/* ---- the tools offered ---------------------------------------------------- */

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) failures = NULL;
  g_autoptr(GPtrArray) tools = NULL;
  GPtrArray *specs;

  tools = byok_mcp_manager_list_tools_finish (BYOK_MCP_MANAGER (source), result, &failures, &error);
  if (tools == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  specs = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_tool_spec_free);
  for (guint i = 0; i < tools->len; i++)
    {
      ByokMcpTool *tool = g_ptr_array_index (tools, i);
      g_autofree char *schema = byok_mcp_tool_dup_input_schema_json (tool);

      if (!byok_mcp_tool_get_enabled (tool))
        continue;
      g_ptr_array_add (specs, byok_tool_spec_new (byok_mcp_tool_get_model_name (tool),
                                                  byok_mcp_tool_get_description (tool), schema));
    }
  g_task_set_task_data (task, g_steal_pointer (&failures), (GDestroyNotify) g_ptr_array_unref);
  g_task_return_pointer (task, specs, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * byok_mcp_tool_runner_list_tools_async:
 *
 * Lists the tools a model is offered: the enabled tools of every enabled
 * server, starting the servers that are not running.
 */
void
byok_mcp_tool_runner_list_tools_async (ByokMcpToolRunner   *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (BYOK_IS_MCP_TOOL_RUNNER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byok_mcp_tool_runner_list_tools_async);
  byok_mcp_manager_list_tools_async (self->manager, NULL, cancellable, listed_cb, task);
}

/**
 * byok_mcp_tool_runner_list_tools_finish:
 * @failures: (out) (optional) (element-type GError): the servers that
 *   could not be listed (their tools are left out), each naming its server
 *
 * Returns: (transfer container) (element-type ByokToolSpec): the tools,
 *   under their model-visible names; empty when no server is enabled
 */
GPtrArray *
byok_mcp_tool_runner_list_tools_finish (ByokMcpToolRunner  *self,
                                        GAsyncResult       *result,
                                        GPtrArray         **failures,
                                        GError            **error)
{
  GPtrArray *specs;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  specs = g_task_propagate_pointer (G_TASK (result), error);
  if (failures != NULL)
    {
      GPtrArray *found = g_task_get_task_data (G_TASK (result));

      *failures = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
      for (guint i = 0; found != NULL && i < found->len; i++)
        g_ptr_array_add (*failures, g_error_copy (g_ptr_array_index (found, i)));
    }
  return specs;
}

/**
 * byok_mcp_tool_runner_lookup:
 * @server: (out) (optional): the server of the tool a model called
 * @tool: (out) (optional): the tool's own name there
 *
 * Returns: whether @model_name is a tool of the servers' last listings
 */
gboolean
byok_mcp_tool_runner_lookup (ByokMcpToolRunner  *self,
                             const char         *model_name,
                             char              **server,
                             char              **tool)
{
  ByokMcpTool *found;

  g_return_val_if_fail (BYOK_IS_MCP_TOOL_RUNNER (self), FALSE);

  found = model_name != NULL ? byok_mcp_manager_lookup_tool (self->manager, model_name) : NULL;
  if (server != NULL)
    *server = found != NULL ? g_strdup (byok_mcp_tool_get_server (found)) : NULL;
  if (tool != NULL)
    *tool = found != NULL ? g_strdup (byok_mcp_tool_get_name (found)) : NULL;
  return found != NULL;
}

/* ---- object --------------------------------------------------------------- */

static void
byok_mcp_tool_runner_dispose (GObject *object)
{
  ByokMcpToolRunner *self = BYOK_MCP_TOOL_RUNNER (object);

  /* Calls still waiting for a question are not run. */
  while (!g_queue_is_empty (&self->waiting))
    deny (g_queue_pop_head (&self->waiting));
  byok_mcp_tool_runner_set_ask_func (self, NULL, NULL, NULL);
  g_clear_object (&self->manager);

  G_OBJECT_CLASS (byok_mcp_tool_runner_parent_class)->dispose (object);
}

static void
byok_mcp_tool_runner_class_init (ByokMcpToolRunnerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = byok_mcp_tool_runner_dispose;
}

static void
byok_mcp_tool_runner_init (ByokMcpToolRunner *self)
{
  g_queue_init (&self->waiting);
}

ByokMcpToolRunner *
byok_mcp_tool_runner_new (ByokMcpManager *manager)
{
  ByokMcpToolRunner *self;

  g_return_val_if_fail (BYOK_IS_MCP_MANAGER (manager), NULL);

  self = g_object_new (BYOK_TYPE_MCP_TOOL_RUNNER, NULL);
  self->manager = g_object_ref (manager);
  return self;
}

ByokMcpManager *
byok_mcp_tool_runner_get_manager (ByokMcpToolRunner *self)
{
  g_return_val_if_fail (BYOK_IS_MCP_TOOL_RUNNER (self), NULL);
  return self->manager;
}

/**
 * byok_mcp_tool_runner_set_ask_func:
 * @func: (nullable): asks the person about a call; %NULL: calls that are
 *   not always allowed are denied
 */
void
byok_mcp_tool_runner_set_ask_func (ByokMcpToolRunner *self,
                                   ByokToolAskFunc    func,
                                   gpointer           user_data,
                                   GDestroyNotify     destroy)
{
  g_return_if_fail (BYOK_IS_MCP_TOOL_RUNNER (self));

  if (self->ask_destroy != NULL)
    self->ask_destroy (self->ask_data);
  self->ask = func;
  self->ask_data = user_data;
  self->ask_destroy = destroy;
}

/* byok-cli's --yes: every call runs without a question. */
void
byok_mcp_tool_runner_set_approve_all (ByokMcpToolRunner *self,
                                      gboolean           approve_all)
{
  g_return_if_fail (BYOK_IS_MCP_TOOL_RUNNER (self));
  self->approve_all = approve_all;
}
