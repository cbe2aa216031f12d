/* byok-cli-chat-tools.c — `byok-cli chat --tools`: the tools of every
 * enabled MCP server offered to the model, each call asked about on the
 * terminal (y / n / a) unless --yes, and what became of them in the
 * summary and in --json's "tool_calls". */
#define G_LOG_DOMAIN "byok-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>
#include <stdio.h>
#include <unistd.h>

#include "byok-cli-chat-tools.h"
#include "byok-error.h"
#include "byok-json.h"
#include "byok-tool-block.h"

/* ---- asking on the terminal ---------------------------------------------- */

typedef struct {
  GTask            *task;
  GDataInputStream *input;
  char             *name;
} Question;

static void
question_free (Question *question)
{
  g_clear_object (&question->task);
  g_clear_object (&question->input);
  g_free (question->name);
  g_free (question);
}

static void ask_line (Question *question);

static void
line_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Question *question = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, &error);

  if (line == NULL)
    {
      /* End of input or a read error: no one answered. */
      if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (question->task, g_steal_pointer (&error));
      else
        {
          g_printerr ("\n");
          g_task_return_int (question->task, BYOK_TOOL_APPROVAL_DENY);
        }
      question_free (question);
      return;
    }
  g_strstrip (line);
  /* Translators: the answers byok-cli takes before a tool runs: the
   * letters for yes, no and always, as in the question */
  if (g_ascii_strcasecmp (line, "y") == 0 || g_ascii_strcasecmp (line, "yes") == 0 ||
      g_strcmp0 (line, C_("tool answer", "y")) == 0)
    g_task_return_int (question->task, BYOK_TOOL_APPROVAL_ONCE);
  else if (g_ascii_strcasecmp (line, "a") == 0 || g_ascii_strcasecmp (line, "always") == 0 ||
           g_strcmp0 (line, C_("tool answer", "a")) == 0)
    g_task_return_int (question->task, BYOK_TOOL_APPROVAL_ALWAYS);
  else if (g_ascii_strcasecmp (line, "n") == 0 || g_ascii_strcasecmp (line, "no") == 0 ||
           g_strcmp0 (line, C_("tool answer", "n")) == 0 || *line == '\0')
    g_task_return_int (question->task, BYOK_TOOL_APPROVAL_DENY);
  else
    {
      ask_line (question);
      return;
    }
  question_free (question);
}

static void
ask_line (Question *question)
{
  g_printerr (_("Run it? [y]es, [n]o, [a]lways for %s: "), question->name);
  g_data_input_stream_read_line_async (question->input, G_PRIORITY_DEFAULT,
                                       g_task_get_cancellable (question->task), line_cb, question);
}

/* The runner's question: the server, the tool and its arguments on
 * stderr, the answer read from stdin; denied when stdin is no terminal. */
static void
ask_on_terminal (ByokMcpTool  *tool,
                 const char   *arguments,
                 GCancellable *cancellable,
                 GTask        *task,
                 gpointer      user_data)
{
  g_autofree char *pretty = byok_tool_arguments_pretty (arguments);
  GInputStream **stdin_stream = user_data;
  Question *question;

  if (!isatty (STDIN_FILENO))
    {
      g_printerr (_("byok-cli: denied %s on %s: standard input is not a terminal to ask on (--yes runs every tool)\n"),
                  byok_mcp_tool_get_name (tool), byok_mcp_tool_get_server (tool));
      g_task_return_int (task, BYOK_TOOL_APPROVAL_DENY);
      g_object_unref (task);
      return;
    }
  if (*stdin_stream == NULL)
    *stdin_stream = g_unix_input_stream_new (STDIN_FILENO, FALSE);

  /* Translators: before a tool runs; the tool, then its MCP server */
  g_printerr (_("\nThe model wants to run %s on %s:\n"), byok_mcp_tool_get_name (tool), byok_mcp_tool_get_server (tool));
  if (byok_mcp_tool_get_description (tool) != NULL && *byok_mcp_tool_get_description (tool) != '\0')
    g_printerr ("  %s\n", byok_mcp_tool_get_description (tool));
  g_printerr ("%s\n", pretty);

  question = g_new0 (Question, 1);
  question->task = task;
  question->input = g_data_input_stream_new (*stdin_stream);
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (question->input), FALSE);
  question->name = g_strdup (byok_mcp_tool_get_name (tool));
  ask_line (question);
}

static void
clear_stdin_stream (gpointer data)
{
  GInputStream **stdin_stream = data;

  g_clear_object (stdin_stream);
  g_free (stdin_stream);
}

/* ---- the tools ----------------------------------------------------------- */

/**
 * byok_cli_chat_tools_open:
 * @approve_all: --yes: run every call without asking
 *
 * Returns: (transfer full): the runner over the person's MCP servers,
 *   asking on the terminal
 */
ByokMcpToolRunner *
byok_cli_chat_tools_open (gboolean approve_all)
{
  g_autoptr(ByokMcpConfig) config = byok_mcp_config_new (NULL);
  g_autoptr(ByokMcpManager) manager = byok_mcp_manager_new (config);
  ByokMcpToolRunner *runner = byok_mcp_tool_runner_new (manager);

  byok_mcp_tool_runner_set_approve_all (runner, approve_all);
  byok_mcp_tool_runner_set_ask_func (runner, ask_on_terminal, g_new0 (GInputStream *, 1), clear_stdin_stream);
  return runner;
}

/**
 * byok_cli_chat_tools_add:
 *
 * Offers the request every tool of the enabled servers, saying on stderr
 * which servers could not be listed. Returns: how many tools
 */
guint
byok_cli_chat_tools_add (ByokMcpToolRunner *runner,
                         ByokChatRequest   *request,
                         GCancellable      *cancellable)
{
  g_autoptr(GAsyncResult) async = NULL;
  g_autoptr(GPtrArray) failures = NULL;
  g_autoptr(GPtrArray) specs = NULL;
  g_autoptr(GError) error = NULL;

  byok_mcp_tool_runner_list_tools_async (runner, cancellable, byok_cli_store_result, &async);
  specs = byok_mcp_tool_runner_list_tools_finish (runner, byok_cli_wait (&async), &failures, &error);
  for (guint i = 0; failures != NULL && i < failures->len; i++)
    g_printerr (_("byok-cli: %s; its tools are left out\n"), ((GError *) g_ptr_array_index (failures, i))->message);
  if (specs == NULL)
    {
      g_printerr (_("byok-cli: %s; no tools are offered\n"), error->message);
      return 0;
    }
  for (guint i = 0; i < specs->len; i++)
    byok_chat_request_add_tool (request, g_ptr_array_index (specs, i));
  if (specs->len == 0)
    g_printerr (_("byok-cli: no enabled MCP server has a tool to offer (see “byok-cli mcp list”)\n"));
  return specs->len;
}

/* "tool-result": one line on stderr for each call, unless --json. */
static void
on_tool_result (ByokChatCall         *call,
                const ByokToolCall   *tool_call,
                const ByokToolResult *result,
                ByokMcpToolRunner    *runner)
{
  g_autofree char *server = NULL;
  g_autofree char *tool = NULL;
  ByokToolBlockState state = result->denied ? BYOK_TOOL_BLOCK_DENIED
                           : result->is_error ? BYOK_TOOL_BLOCK_ERROR : BYOK_TOOL_BLOCK_DONE;

  byok_mcp_tool_runner_lookup (runner, tool_call->name, &server, &tool);
  /* Translators: after a tool call: the tool, its MCP server, what became
   * of it ("Allowed", "Denied", "Failed") */
  g_printerr (_("byok-cli: tool %s on %s: %s\n"), tool != NULL ? tool : tool_call->name,
              server != NULL ? server : "?", byok_tool_block_state_describe (state));
}

void
byok_cli_chat_tools_watch (ByokMcpToolRunner *runner,
                           ByokChatCall      *call)
{
  g_signal_connect_object (call, "tool-result", G_CALLBACK (on_tool_result), runner, 0);
}

/* --json's "tool_calls": [{"server", "tool", "arguments", "result",
 * "is_error", "approved"}], in the order they were asked for. */
void
byok_cli_chat_tools_add_json (ByokMcpToolRunner *runner,
                              JsonBuilder       *builder,
                              ByokChatResult    *result)
{
  json_builder_set_member_name (builder, "tool_calls");
  json_builder_begin_array (builder);
  for (guint i = 0; result->tool_uses != NULL && i < result->tool_uses->len; i++)
    {
      ByokToolUse *use = g_ptr_array_index (result->tool_uses, i);
      g_autofree char *server = NULL;
      g_autofree char *tool = NULL;
      g_autoptr(JsonNode) arguments = json_from_string (use->call->arguments, NULL);

      byok_mcp_tool_runner_lookup (runner, use->call->name, &server, &tool);
      json_builder_begin_object (builder);
      byok_json_builder_add_string_or_null (builder, "server", server);
      byok_json_builder_add_string (builder, "tool", tool != NULL ? tool : use->call->name);
      json_builder_set_member_name (builder, "arguments");
      if (arguments != NULL)
        json_builder_add_value (builder, g_steal_pointer (&arguments));
      else
        json_builder_add_string_value (builder, use->call->arguments);
      json_builder_set_member_name (builder, "result");
      if (use->result != NULL)
        json_builder_add_string_value (builder, use->result->content);
      else
        json_builder_add_null_value (builder);
      byok_json_builder_add_boolean (builder, "is_error", use->result == NULL || use->result->is_error);
      byok_json_builder_add_boolean (builder, "approved", use->result != NULL && !use->result->denied);
      byok_json_builder_add_int (builder, "step", use->step);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/* The servers started for the call stop before byok-cli exits. */
void
byok_cli_chat_tools_close (ByokMcpToolRunner *runner)
{
  byok_mcp_manager_shutdown_wait (byok_mcp_tool_runner_get_manager (runner));
}
