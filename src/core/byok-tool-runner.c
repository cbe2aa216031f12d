/* byok-tool-runner.c — what runs a tool the model asked for */
#define G_LOG_DOMAIN "byok-tool"

#include "config.h"

#include "byok-tool-runner.h"

G_DEFINE_INTERFACE (ByokToolRunner, byok_tool_runner, G_TYPE_OBJECT)

static void
byok_tool_runner_default_init (ByokToolRunnerInterface *iface)
{
}

/**
 * byok_tool_runner_run_async:
 * @call: the call the model asked for; borrowed for this call only
 * @cancellable: (nullable): stops it (the person stopped the answer)
 *
 * Runs @call, asking the person first where the runner does.
 */
void
byok_tool_runner_run_async (ByokToolRunner      *self,
                            const ByokToolCall  *call,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  ByokToolRunnerInterface *iface;

  g_return_if_fail (BYOK_IS_TOOL_RUNNER (self));
  g_return_if_fail (call != NULL);

  iface = BYOK_TOOL_RUNNER_GET_IFACE (self);
  g_return_if_fail (iface->run_async != NULL);
  iface->run_async (self, call, cancellable, callback, user_data);
}

/**
 * byok_tool_runner_run_finish:
 *
 * Returns: (transfer full) (nullable): what became of the call (a denied
 *   call is a result with denied set), or %NULL with @error when it could
 *   not be run
 */
ByokToolResult *
byok_tool_runner_run_finish (ByokToolRunner  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  ByokToolRunnerInterface *iface;

  g_return_val_if_fail (BYOK_IS_TOOL_RUNNER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  iface = BYOK_TOOL_RUNNER_GET_IFACE (self);
  g_return_val_if_fail (iface->run_finish != NULL, NULL);
  return iface->run_finish (self, result, error);
}
