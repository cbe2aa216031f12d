/* byok-mcp-tool-runner.h — the tools of the MCP servers, run for a model
 *
 * The bridge between the engine's tool loop and the MCP servers the
 * person configured: a ByokToolRunner over a ByokMcpManager. It offers the
 * model the enabled tools of every enabled server
 * (byok_mcp_tool_runner_list_tools_async()), and for each call the model
 * makes it finds the server and tool behind the model's name, asks the
 * person — unless they said "Always allow this tool" (kept in the MCP
 * configuration, per tool) or the runner approves everything (byok-cli's
 * --yes) — runs the call and gives back its text, or a denied result the
 * model is told of.
 *
 * Asking is the caller's: the app shows ByokToolApprovalDialog, byok-cli
 * asks on the terminal. The ask function is handed a GTask it completes
 * with g_task_return_int() and a ByokToolApproval; a cancelled task (the
 * answer was stopped) denies. The runner asks one question at a time, in
 * the order the calls came: several calls of one answer never put two
 * questions up at once, and "Always" for the first call of a tool answers
 * the next ones. Without an ask function every call that is not always
 * allowed is denied.
 */
#pragma once

#include "byok-mcp-manager.h"
#include "byok-tool-runner.h"

G_BEGIN_DECLS

typedef enum {
  BYOK_TOOL_APPROVAL_DENY,
  BYOK_TOOL_APPROVAL_ONCE,
  BYOK_TOOL_APPROVAL_ALWAYS,
} ByokToolApproval;

/**
 * ByokToolAskFunc:
 * @tool: the tool asked for (its server, name, description)
 * @arguments: the model's arguments, JSON text
 * @cancellable: cancelled when the answer is stopped
 * @task: (transfer full): complete it with g_task_return_int() and a
 *   #ByokToolApproval
 */
typedef void (*ByokToolAskFunc) (ByokMcpTool  *tool,
                                 const char   *arguments,
                                 GCancellable *cancellable,
                                 GTask        *task,
                                 gpointer      user_data);

#define BYOK_TYPE_MCP_TOOL_RUNNER (byok_mcp_tool_runner_get_type ())
G_DECLARE_FINAL_TYPE (ByokMcpToolRunner, byok_mcp_tool_runner, BYOK, MCP_TOOL_RUNNER, GObject)

ByokMcpToolRunner *byok_mcp_tool_runner_new               (ByokMcpManager      *manager);
ByokMcpManager    *byok_mcp_tool_runner_get_manager       (ByokMcpToolRunner   *self);
void               byok_mcp_tool_runner_set_ask_func      (ByokMcpToolRunner   *self,
                                                           ByokToolAskFunc      func,
                                                           gpointer             user_data,
                                                           GDestroyNotify       destroy);
void               byok_mcp_tool_runner_set_approve_all   (ByokMcpToolRunner   *self,
                                                           gboolean             approve_all);

void               byok_mcp_tool_runner_list_tools_async  (ByokMcpToolRunner   *self,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
GPtrArray         *byok_mcp_tool_runner_list_tools_finish (ByokMcpToolRunner   *self,
                                                           GAsyncResult        *result,
                                                           GPtrArray          **failures,
                                                           GError             **error);

gboolean           byok_mcp_tool_runner_lookup            (ByokMcpToolRunner   *self,
                                                           const char          *model_name,
                                                           char               **server,
                                                           char               **tool);

G_END_DECLS
