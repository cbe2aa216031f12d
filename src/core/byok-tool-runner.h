/* byok-tool-runner.h — what runs a tool the model asked for
 *
 * The engine never runs a tool itself: a ByokChatCall with tools hands
 * each call the model asks for to the runner its caller set
 * (byok_chat_call_set_tool_runner()). The runner is where approval lives:
 * the app's asks the person (Allow once, Always, Deny), byok-cli's asks
 * on the terminal, and a refused call comes back as
 * byok_tool_result_new_denied(). Several calls of one answer run at once:
 * a runner must take overlapping run_async() calls.
 */
#pragma once

#include <gio/gio.h>

#include "byok-tool.h"

G_BEGIN_DECLS

#define BYOK_TYPE_TOOL_RUNNER (byok_tool_runner_get_type ())
G_DECLARE_INTERFACE (ByokToolRunner, byok_tool_runner, BYOK, TOOL_RUNNER, GObject)

/**
 * ByokToolRunnerInterface:
 * @run_async: runs @call (after asking the person, where the runner
 *   asks); @call is borrowed for the call only: copy what you keep
 * @run_finish: the result; %NULL with @error when the call could not be
 *   run — the engine sends the model the error's message as an error
 *   result, except CANCELLED (G_IO_ERROR or BYOK_ERROR), which stops the
 *   whole chat call
 */
struct _ByokToolRunnerInterface
{
  GTypeInterface parent_iface;

  void            (*run_async)  (ByokToolRunner      *self,
                                 const ByokToolCall  *call,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
  ByokToolResult *(*run_finish) (ByokToolRunner      *self,
                                 GAsyncResult        *result,
                                 GError             **error);
};

void            byok_tool_runner_run_async  (ByokToolRunner      *self,
                                             const ByokToolCall  *call,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
ByokToolResult *byok_tool_runner_run_finish (ByokToolRunner      *self,
                                             GAsyncResult        *result,
                                             GError             **error);

G_END_DECLS
