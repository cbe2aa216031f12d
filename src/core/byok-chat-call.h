/* byok-chat-call.h — one chat call, from its first attempt to its result
 *
 * A ByokChatCall is what byok_engine_new_chat() (or, without budgets and
 * usage records, byok_client_new_chat()) returns: connect to its signals,
 * then byok_chat_call_run_async() sends it. Its signals are about this
 * call only:
 *   - "delta" and "reasoning-delta" carry each new slice of the answer
 *     (and of its reasoning) as it arrives;
 *   - "retrying" says an attempt failed and will be tried again after a
 *     wait (ByokRetryNotice);
 *   - "attempt" says an attempt ended: through the engine, its usage row
 *     is written and its cost known (ByokAttempt's cost_usd);
 *   - "tool-call" and "tool-result" tell of each tool the model asked for
 *     and what became of it (below).
 *
 * Tools. A request with tools (ByokChatRequest's tools) and a runner
 * (byok_chat_call_set_tool_runner()) makes a loop: when an answer asks
 * for tools, the call emits "tool-call" for each, hands them all to the
 * runner at once (the runner asks the person; a refused call is a denied
 * result), emits "tool-result" as each comes back, appends the answer and
 * the results to its own copy of the conversation and asks the model
 * again — a new step, with attempts, retries and fallbacks as above, each
 * attempt its own usage row. It ends when an answer asks for no tool.
 * After max_tool_steps rounds of tools the next step is sent with the
 * tools forbidden (BYOK_TOOL_CHOICE_NONE), so the model answers with what
 * it has; calls it still asks for then are not run (they stay in the
 * result's tool_calls). Stopping the call (its cancellable) cancels the
 * tools running and ends the call CANCELLED. Without a runner a call does
 * not loop: its result has the calls asked for in tool_calls and the
 * finish reason TOOL_CALLS.
 * The call's result (byok_chat_call_run_finish()) carries every attempt
 * and the call's cost, priced once by the engine where it records usage
 * (ByokChatResult's cost_usd and cost_known): callers show it, they do not
 * price it again.
 *
 * Rules every call keeps:
 * - it retries what waiting can fix (429, 5xx, 529, network failures,
 *   timeouts) with exponential backoff and jitter, honouring the wait a
 *   provider asks for (Retry-After, retry-after-ms, Gemini's retryDelay)
 *   up to the client's cap, and falls back along its chain of (provider,
 *   model) pairs when the failure is one another provider can fix;
 * - nothing is retried or falls back once output (text or reasoning) has
 *   been delivered: the partial text is kept and the error returned;
 * - QUOTA, AUTH, BAD_REQUEST, CONTEXT_LENGTH and NOT_FOUND are never
 *   retried;
 * - every HTTP request is one ByokAttempt in the result, in order;
 * - a key is only ever put in the request's auth header; it never reaches
 *   a message, a log line or a debug line.
 *
 * A call is run once, from the thread whose main context was current when
 * its client was created (libsoup's rule).
 */
#pragma once

#include <gio/gio.h>

#include "byok-chat-request.h"
#include "byok-chat-result.h"
#include "byok-error.h"
#include "byok-tool-runner.h"

G_BEGIN_DECLS

/**
 * ByokRetryNotice:
 * @provider_id: the provider that failed
 * @provider_name: its name, for people
 * @model: the model asked
 * @code: why the last attempt failed (RATE_LIMIT, OVERLOADED, SERVER, …)
 * @http_status: of its response, 0 when none came
 * @wait_us: how long the call waits before the next attempt
 * @attempt: the attempt that comes after the wait, from 1
 * @max_attempts: how many it makes at most on this provider and model
 *
 * What a call is doing while it waits to try a failed attempt again; the
 * "retrying" signal carries it when the wait starts. Strings are borrowed
 * for the signal's emission; byok_retry_notice_copy() keeps them.
 */
typedef struct {
  const char    *provider_id;
  const char    *provider_name;
  const char    *model;
  ByokErrorCode  code;
  guint          http_status;
  gint64         wait_us;
  guint          attempt;
  guint          max_attempts;
} ByokRetryNotice;

ByokRetryNotice *byok_retry_notice_copy      (const ByokRetryNotice *notice);
void             byok_retry_notice_free      (ByokRetryNotice       *notice);
char            *byok_retry_notice_describe  (const ByokRetryNotice *notice,
                                              gint64                 left_us);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokRetryNotice, byok_retry_notice_free)

#define BYOK_TYPE_CHAT_CALL (byok_chat_call_get_type ())
G_DECLARE_FINAL_TYPE (ByokChatCall, byok_chat_call, BYOK, CHAT_CALL, GObject)

ByokChatRequest *byok_chat_call_get_request     (ByokChatCall        *self);
const char      *byok_chat_call_get_provider_id (ByokChatCall        *self);
const char      *byok_chat_call_get_model       (ByokChatCall        *self);
ByokChatResult  *byok_chat_call_get_result      (ByokChatCall        *self);

void             byok_chat_call_set_tool_runner (ByokChatCall        *self,
                                                 ByokToolRunner      *runner);
ByokToolRunner  *byok_chat_call_get_tool_runner (ByokChatCall        *self);

void             byok_chat_call_run_async       (ByokChatCall        *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
ByokChatResult  *byok_chat_call_run_finish      (ByokChatCall        *self,
                                                 GAsyncResult        *result);

G_END_DECLS
