/* byok-chat-page-tools.c — tools in an answer (issue 17)
 *
 * When the conversation uses tools (the composer's settings) and the app
 * has MCP servers (a ByokMcpToolRunner), an answer's call is offered the
 * enabled tools of every enabled server before it starts, with the step
 * limit of Preferences. The runner asks the person through
 * ByokToolApprovalDialog, one question at a time; the call's tool-call
 * and tool-result signals become the answer's ByokToolBlocks (with what
 * the step that asked cost, from its attempts), saved with it.
 */
#define G_LOG_DOMAIN "byok-chat-page"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "byok-chat-page-private.h"
#include "byok-chat-settings.h"
#include "byok-composer.h"
#include "byok-error.h"
#include "byok-tool-approval-dialog.h"

/* ---- asking the person ---------------------------------------------------- */

typedef struct {
  GTask     *task;
  GtkWidget *dialog;
  gulong     cancelled_id;
} Ask;

static void
ask_finish (Ask              *ask,
            ByokToolApproval  approval,
            gboolean          cancelled)
{
  GTask *task = g_steal_pointer (&ask->task);

  if (task == NULL)
    return;
  g_cancellable_disconnect (g_task_get_cancellable (task), ask->cancelled_id);
  if (cancelled)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("Stopped"));
  else
    g_task_return_int (task, approval);
  g_object_unref (task);
}

static void
ask_response_cb (GtkWidget  *dialog,
                 const char *response,
                 Ask        *ask)
{
  ByokToolApproval approval = BYOK_TOOL_APPROVAL_DENY;

  if (g_strcmp0 (response, BYOK_TOOL_APPROVAL_RESPONSE_ONCE) == 0)
    approval = BYOK_TOOL_APPROVAL_ONCE;
  else if (g_strcmp0 (response, BYOK_TOOL_APPROVAL_RESPONSE_ALWAYS) == 0)
    approval = BYOK_TOOL_APPROVAL_ALWAYS;
  ask_finish (ask, approval, FALSE);
}

/* The answer was stopped while the question was up: it goes. */
static gboolean
ask_cancelled_idle (gpointer data)
{
  Ask *ask = g_object_get_data (G_OBJECT (data), "byok-ask");

  if (ask != NULL && ask->task != NULL)
    {
      ask_finish (ask, BYOK_TOOL_APPROVAL_DENY, TRUE);
      byok_dialog_close (ask->dialog);
    }
  return G_SOURCE_REMOVE;
}

static void
ask_cancelled_cb (GCancellable *cancellable,
                  Ask          *ask)
{
  /* Not from inside the cancellable's own signal. */
  g_idle_add_full (G_PRIORITY_DEFAULT, ask_cancelled_idle, g_object_ref (ask->dialog), g_object_unref);
}

static void
ask_free (Ask *ask)
{
  if (ask->task != NULL)
    ask_finish (ask, BYOK_TOOL_APPROVAL_DENY, FALSE);
  g_free (ask);
}

static void
ask_person (ByokMcpTool  *tool,
            const char   *arguments,
            GCancellable *cancellable,
            GTask        *task,
            gpointer      user_data)
{
  ByokChatPage *self = user_data;
  ByokToolApprovalDialog *dialog;
  Ask *ask;

  dialog = byok_tool_approval_dialog_new (byok_mcp_tool_get_server (tool), byok_mcp_tool_get_name (tool),
                                          byok_mcp_tool_get_description (tool), arguments);
  ask = g_new0 (Ask, 1);
  ask->task = task;
  ask->dialog = GTK_WIDGET (dialog);
  g_object_set_data_full (G_OBJECT (dialog), "byok-ask", ask, (GDestroyNotify) ask_free);
  g_signal_connect (dialog, "response", G_CALLBACK (ask_response_cb), ask);
  if (cancellable != NULL)
    ask->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (ask_cancelled_cb), ask, NULL);
  byok_alert_present (GTK_WIDGET (dialog), GTK_WIDGET (self));
}

/* ---- the answer's tool blocks --------------------------------------------- */

typedef struct {
  ByokMessage       *message;
  ByokMcpToolRunner *runner;
  guint              step;
  gboolean           round_open;    /* the step's calls are being told of */
  gboolean           round_costed;  /* and what the step cost is known */
  double             round_cost;    /* what the step that asked for them cost */
  double             step_cost;     /* what the attempts since the last answered one cost; NAN: unknown */
  gboolean           unclaimed;     /* an answered attempt came before any call of its step */
  double             unclaimed_cost;
} Track;

static void
track_free (Track *track)
{
  g_clear_object (&track->message);
  g_clear_object (&track->runner);
  g_free (track);
}

/* The step's cost into the blocks of its calls, told of before it was
 * known (they come while the answer streams, its attempt at the end). */
static void
cost_round (Track *track)
{
  GPtrArray *blocks = byok_message_get_tool_blocks (track->message);
  g_autoptr(GPtrArray) costed = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_tool_block_free);

  for (guint i = 0; blocks != NULL && i < blocks->len; i++)
    {
      ByokToolBlock *block = byok_tool_block_copy (g_ptr_array_index (blocks, i));

      if (block->step == track->step)
        block->step_cost_usd = track->round_cost;
      g_ptr_array_add (costed, block);
    }
  byok_message_set_tool_blocks (track->message, costed);
}

static void
on_attempt (ByokChatCall      *call,
            const ByokAttempt *attempt,
            Track             *track)
{
  if (!attempt->cost_known || isnan (track->step_cost))
    track->step_cost = NAN;
  else
    track->step_cost += attempt->cost_usd;
  if (attempt->error != NULL)
    return;

  /* Answered: this attempt and the failed ones before it are the step's. */
  if (track->round_open && !track->round_costed)
    {
      track->round_cost = track->step_cost;
      track->round_costed = TRUE;
      cost_round (track);
    }
  else
    {
      /* Its calls (if any) are told of next (an answer not streamed). */
      track->unclaimed = TRUE;
      track->unclaimed_cost = track->step_cost;
    }
  track->round_open = FALSE;
  track->step_cost = 0;
}

static void
on_tool_call (ByokChatCall       *call,
              const ByokToolCall *tool_call,
              Track              *track)
{
  g_autoptr(ByokToolBlock) block = byok_tool_block_new (tool_call->id, tool_call->name, tool_call->arguments);
  g_autofree char *server = NULL;
  g_autofree char *tool = NULL;

  if (!track->round_open)
    {
      /* The first call of a step. */
      track->round_open = TRUE;
      track->step++;
      track->round_costed = track->unclaimed;
      track->round_cost = track->unclaimed ? track->unclaimed_cost : 0;
      track->unclaimed = FALSE;
    }
  if (byok_mcp_tool_runner_lookup (track->runner, tool_call->name, &server, &tool))
    byok_tool_block_set_origin (block, server, tool);
  block->step = track->step;
  block->step_cost_usd = track->round_cost;
  byok_message_add_tool_block (track->message, block);
}

static void
on_tool_result (ByokChatCall         *call,
                const ByokToolCall   *tool_call,
                const ByokToolResult *result,
                Track                *track)
{
  ByokToolBlockState state = result->denied ? BYOK_TOOL_BLOCK_DENIED
                           : result->is_error ? BYOK_TOOL_BLOCK_ERROR : BYOK_TOOL_BLOCK_DONE;

  byok_message_finish_tool_block (track->message, tool_call->id, state, result->content);
}

/* ---- offering the tools --------------------------------------------------- */

typedef struct {
  ByokChatPage        *page;      /* weak: NULL once it is gone */
  ByokChatCall        *call;
  ByokChatRequest     *request;
  GCancellable        *cancellable;
  GAsyncReadyCallback  run_done;
  gpointer             run_data;
} Offer;

static void
offer_run (Offer *offer)
{
  byok_chat_call_run_async (offer->call, offer->cancellable, offer->run_done, offer->run_data);
  g_clear_weak_pointer (&offer->page);
  g_object_unref (offer->call);
  byok_chat_request_unref (offer->request);
  g_clear_object (&offer->cancellable);
  g_free (offer);
}

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Offer *offer = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) failures = NULL;
  g_autoptr(GPtrArray) specs = NULL;

  specs = byok_mcp_tool_runner_list_tools_finish (BYOK_MCP_TOOL_RUNNER (source), result, &failures, &error);
  if (offer->page != NULL)
    {
      /* A server that could not start: the answer goes on without it. */
      for (guint i = 0; failures != NULL && i < failures->len; i++)
        _byok_chat_page_toast (offer->page, ((GError *) g_ptr_array_index (failures, i))->message);
      if (specs == NULL && !byok_error_is_cancelled (error))
        _byok_chat_page_toast (offer->page, error->message);
    }
  for (guint i = 0; specs != NULL && i < specs->len; i++)
    byok_chat_request_add_tool (offer->request, g_ptr_array_index (specs, i));
  offer_run (offer);
}

/* Whether the conversation's answers get tools: the app has MCP servers,
 * one is enabled, the model takes tools, and the person left it on. */
static gboolean
tools_wanted (ByokChatPage *self,
              const char   *provider_id,
              const char   *model_id)
{
  ByokChatSettings *settings = byok_composer_get_settings (self->composer);
  ByokModel *model;

  if (self->tool_runner == NULL || !byok_chat_settings_get_use_tools (settings))
    return FALSE;
  model = byok_catalog_lookup_model (byok_engine_get_catalog (self->engine), provider_id, model_id);
  return model == NULL || byok_model_has_capability (model, BYOK_MODEL_CAP_TOOLS);
}

/**
 * _byok_chat_page_run_with_tools:
 * @call: the answer's call, not started; @request is its request
 *
 * Starts @call (byok_chat_call_run_async() with @cancellable, @run_done
 * and @run_data), offering it the tools first when the conversation
 * uses them; @message gets a block for each call of a tool.
 */
void
_byok_chat_page_run_with_tools (ByokChatPage        *self,
                                ByokChatCall        *call,
                                ByokChatRequest     *request,
                                ByokMessage         *message,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  run_done,
                                gpointer             run_data)
{
  Offer *offer;
  Track *track;

  if (!tools_wanted (self, byok_chat_call_get_provider_id (call), byok_chat_call_get_model (call)))
    {
      byok_chat_call_run_async (call, cancellable, run_done, run_data);
      return;
    }

  request->max_tool_steps = g_settings_get_uint (self->settings, "max-tool-steps");
  byok_chat_call_set_tool_runner (call, BYOK_TOOL_RUNNER (self->tool_runner));
  track = g_new0 (Track, 1);
  track->message = g_object_ref (message);
  track->runner = g_object_ref (self->tool_runner);
  g_object_set_data_full (G_OBJECT (call), "byok-tool-track", track, (GDestroyNotify) track_free);
  g_signal_connect (call, "attempt", G_CALLBACK (on_attempt), track);
  g_signal_connect (call, "tool-call", G_CALLBACK (on_tool_call), track);
  g_signal_connect (call, "tool-result", G_CALLBACK (on_tool_result), track);

  offer = g_new0 (Offer, 1);
  g_set_weak_pointer (&offer->page, self);
  offer->call = g_object_ref (call);
  offer->request = byok_chat_request_ref (request);
  offer->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  offer->run_done = run_done;
  offer->run_data = run_data;
  byok_mcp_tool_runner_list_tools_async (self->tool_runner, cancellable, listed_cb, offer);
}

/* ---- the runner ----------------------------------------------------------- */

/**
 * byok_chat_page_set_tool_runner:
 * @runner: (nullable): the app's MCP servers; %NULL: no tools
 *
 * The page asks the person about each call of @runner's tools.
 */
void
byok_chat_page_set_tool_runner (ByokChatPage      *self,
                                ByokMcpToolRunner *runner)
{
  g_return_if_fail (BYOK_IS_CHAT_PAGE (self));
  g_return_if_fail (runner == NULL || BYOK_IS_MCP_TOOL_RUNNER (runner));

  if (self->tool_runner == runner)
    return;
  if (self->tool_runner != NULL)
    byok_mcp_tool_runner_set_ask_func (self->tool_runner, NULL, NULL, NULL);
  g_set_object (&self->tool_runner, runner);
  if (runner != NULL)
    {
      byok_mcp_tool_runner_set_ask_func (runner, ask_person, self, NULL);
      /* A server turned on or off in Preferences or by byok-cli. */
      g_signal_connect_object (byok_mcp_manager_get_config (byok_mcp_tool_runner_get_manager (runner)), "changed",
                               G_CALLBACK (_byok_chat_page_update_tools), self, G_CONNECT_SWAPPED);
    }
  _byok_chat_page_update_tools (self);
}

/* The composer's "Use Tools" can be on when a server is enabled. */
void
_byok_chat_page_update_tools (ByokChatPage *self)
{
  ByokChatSettings *settings;
  gboolean any = FALSE;

  /* Not built yet: build_view() asks again. */
  if (self->split_view == NULL)
    return;
  settings = byok_composer_get_settings (self->composer);

  if (self->tool_runner != NULL)
    {
      ByokMcpConfig *config = byok_mcp_manager_get_config (byok_mcp_tool_runner_get_manager (self->tool_runner));
      g_autoptr(GPtrArray) servers = byok_mcp_config_list (config);

      for (guint i = 0; i < servers->len && !any; i++)
        any = ((ByokMcpServerConfig *) g_ptr_array_index (servers, i))->enabled;
    }
  byok_chat_settings_set_tools_available (settings, any);
}
