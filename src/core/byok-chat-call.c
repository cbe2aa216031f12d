/* byok-chat-call.c — one chat call: its attempts, retries and fallbacks
 *
 * A call walks its targets — the provider and model asked, then each
 * fallback — making at most the client's max-attempts attempts on each.
 * An attempt looks up the key, builds the request body in the provider's
 * dialect and sends it as one ByokExchange (byok-exchange-private.h),
 * reading its event stream into the result and emitting each new slice.
 * After a failure the call waits and tries again, falls back, or ends
 * (see byok-chat-call.h for the rules). An answer that asks for tools
 * starts a round of them through the runner, and then the next step: the
 * conversation so far (step_request) asked again.
 *
 * While it runs, its GTask (whose source object it is) keeps it alive; a
 * retry's timer and an exchange under way each hold the task.
 */
#define G_LOG_DOMAIN "byok-client"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "byok-chat-call-private.h"
#include "byok-error.h"
#include "byok-exchange-private.h"
#include "byok-json.h"
#include "byok-glib-private.h"
#include "byok-sse.h"

typedef struct {
  char *provider_id;
  char *model;
} Target;

static void
target_free (Target *target)
{
  g_free (target->provider_id);
  g_free (target->model);
  g_free (target);
}

struct _ByokChatCall
{
  GObject            parent_instance;

  ByokTransport     *transport;      /* NULL for a call that failed before it could start */
  ByokChatRequest   *request;
  GPtrArray         *targets;        /* Target */
  GError            *setup_error;    /* what running returns at once: no model, a bad fallback */
  gboolean           ran;
  ByokChatResult    *result;

  const ByokChatCallHooks *hooks;    /* nullable: the engine's */
  gpointer           hooks_data;
  GDestroyNotify     hooks_data_free;

  /* While it runs */
  GCancellable      *cancellable;
  guint              target_index;
  guint              n_tries;        /* attempts made on the current target */
  gboolean           next_is_fallback;
  gint64             call_start_us;

  ByokProvider      *provider;       /* of the current target */
  ByokKey           *key;            /* of the current target */

  ByokAttempt       *attempt;        /* the current one */
  gboolean           attempt_sent;   /* its request went out */
  gint64             attempt_start_us;
  ByokExchange      *ex;
  ByokDialectStream *dstream;
  ByokSse           *sse;
  gboolean           output_started;
  guint              tools_announced;  /* this step's calls already given in "tool-call" */

  GSource           *wait_timer;
  GSource           *wait_cancel;

  /* Tools */
  ByokToolRunner    *tool_runner;    /* nullable */
  ByokChatRequest   *step_request;   /* the request with the loop's messages; NULL before the first round */
  GString           *prior_text;     /* what the steps before this one said */
  GString           *prior_reasoning;
  ByokUsage          prior_usage;    /* their usage, summed */
  guint              tool_rounds;    /* rounds of tools run */
  guint              tools_pending;  /* calls of this round still running */
  gboolean           tools_cancelled;
  gsize              separator_end;  /* text length after the separator added between steps, 0: none */
};

G_DEFINE_FINAL_TYPE (ByokChatCall, byok_chat_call, G_TYPE_OBJECT)

enum {
  DELTA,
  REASONING_DELTA,
  RETRYING,
  ATTEMPT,
  TOOL_CALL,
  TOOL_RESULT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static Target *
chat_current_target (ByokChatCall *call)
{
  return g_ptr_array_index (call->targets, call->target_index);
}

static void chat_start_target (GTask *task);
static void chat_send_attempt (GTask *task);
static void chat_run_tools (GTask *task);

/* The request the current step sends: the caller's, or its copy with the
 * loop's answers and tool results. */
static ByokChatRequest *
chat_step_request (ByokChatCall *call)
{
  return call->step_request != NULL ? call->step_request : call->request;
}

/* Before an attempt: forget what a failed one produced, keeping what the
 * steps before it said. */
static void
chat_clear_output (ByokChatCall *call)
{
  byok_chat_result_clear_output (call->result);
  g_string_append_len (call->result->text, call->prior_text->str, (gssize) call->prior_text->len);
  g_string_append_len (call->result->reasoning, call->prior_reasoning->str,
                       (gssize) call->prior_reasoning->len);
}

/* An answer that asks for tools starts a round of them: with a runner,
 * while rounds are left. */
static gboolean
chat_wants_tools (ByokChatCall *call)
{
  return call->tool_runner != NULL && call->result->tool_calls->len > 0 &&
         call->tool_rounds < chat_step_request (call)->max_tool_steps;
}

/* The call's cost: its attempts' together, known when each one's is (an
 * attempt is priced where the engine records it; none, none spent). */
static void
chat_sum_cost (ByokChatResult *result)
{
  result->cost_usd = 0;
  result->cost_known = TRUE;
  result->reported_cost_usd = NAN;
  for (guint i = 0; i < result->attempts->len; i++)
    {
      const ByokAttempt *attempt = g_ptr_array_index (result->attempts, i);

      /* What the providers billed, beside Byok's price of it. */
      if (attempt->usage.cost_reported)
        result->reported_cost_usd = (isnan (result->reported_cost_usd) ? 0 : result->reported_cost_usd) +
                                    attempt->usage.reported_cost_usd;
    }
  for (guint i = 0; i < result->attempts->len; i++)
    {
      const ByokAttempt *attempt = g_ptr_array_index (result->attempts, i);

      if (!attempt->cost_known)
        {
          result->cost_known = FALSE;
          result->cost_usd = NAN;
          return;
        }
      result->cost_usd += attempt->cost_usd;
    }
}

/* Every way a call ends: its cost summed, the engine told, the result
 * returned. */
static void
chat_return (GTask *task)
{
  ByokChatCall *call = g_task_get_source_object (task);

  chat_sum_cost (call->result);
  if (call->hooks != NULL && call->hooks->finished != NULL)
    call->hooks->finished (call, call->result, call->hooks_data);
  g_task_return_pointer (task, byok_chat_result_ref (call->result),
                         (GDestroyNotify) byok_chat_result_unref);
}

static void
chat_complete (GTask  *task,
               GError *error)
{
  ByokChatCall *call = g_task_get_source_object (task);
  Target *target = chat_current_target (call);

  byok_chat_result_set_provider (call->result, target->provider_id, target->model);
  call->result->latency_us = g_get_monotonic_time () - call->call_start_us;
  call->result->retry_after_us = -1;
  if (call->tool_rounds > 0)
    {
      ByokUsage sum = call->prior_usage;

      /* The usage of every step together; each attempt keeps its own. */
      byok_usage_add (&sum, &call->result->usage);
      call->result->usage = sum;
    }
  /* The blank line put between two steps' text, when the last said nothing. */
  if (call->separator_end > 0 && call->result->text->len == call->separator_end)
    g_string_truncate (call->result->text, call->separator_end - 2);
  if (error != NULL && call->result->attempts->len > 0)
    {
      ByokAttempt *last = g_ptr_array_index (call->result->attempts, call->result->attempts->len - 1);

      /* The wait the provider asked for, when its failure is the call's. */
      if (last->error != NULL && g_error_matches (error, last->error->domain, last->error->code))
        call->result->retry_after_us = last->retry_after_us;
    }
  byok_chat_result_take_error (call->result, error);
  if (error != NULL)
    g_debug ("%s/%s: failed: %s", target->provider_id, target->model, byok_error_get_class (error));
  chat_return (task);
}

static gint64
backoff_us (ByokTransport *transport,
            guint          n_tries)
{
  double base = (double) transport->backoff_base_ms * 1000.0;
  double wait = base * (double) (1u << MIN (n_tries - 1, 16u));

  /* Jitter: somewhere between half and all of the exponential wait. */
  return (gint64) (wait * g_random_double_range (0.5, 1.0));
}

static gboolean
chat_wait_done (gpointer data)
{
  g_autoptr(GTask) task = g_object_ref (data);
  ByokChatCall *call = g_task_get_source_object (task);

  _byok_clear_source (&call->wait_timer);
  _byok_clear_source (&call->wait_cancel);
  chat_send_attempt (task);
  return G_SOURCE_REMOVE;
}

static gboolean
chat_wait_cancelled (GCancellable *cancellable,
                     gpointer      data)
{
  g_autoptr(GTask) task = g_object_ref (data);
  ByokChatCall *call = g_task_get_source_object (task);

  _byok_clear_source (&call->wait_timer);
  _byok_clear_source (&call->wait_cancel);
  chat_complete (task, _byok_cancelled_error ());
  return G_SOURCE_REMOVE;
}

static GError *
too_long_wait_error (ByokChatCall     *call,
                     const GError *error,
                     gint64        wait_us)
{
  g_autofree char *wait = _byok_format_wait (wait_us);
  g_autofree char *cap = _byok_format_wait ((gint64) call->transport->max_retry_wait_ms * 1000);

  /* Translators: %1$s is a provider, %2$s and %3$s durations, %4$s the provider's error */
  return g_error_new (BYOK_ERROR, BYOK_ERROR_RATE_LIMIT,
                      _("%1$s asks to wait %2$s before trying again, longer than Byok waits by "
                        "itself (%3$s). Try again then, or choose another model. (%4$s)"),
                      byok_provider_get_name (call->provider), wait, cap, error->message);
}

/* After an attempt failed with @error (transfer full): retry, fall back or
 * give up. */
static void
chat_after_failure (GTask  *task,
                    GError *error)
{
  ByokChatCall *call = g_task_get_source_object (task);
  ByokTransport *transport = call->transport;
  gint64 retry_after_us = call->ex != NULL ? call->ex->retry_after_us : -1;

  /* Nothing shown is taken back: text, or calls told of. */
  if (g_error_matches (error, BYOK_ERROR, BYOK_ERROR_CANCELLED) || call->output_started || call->tools_announced > 0)
    {
      chat_complete (task, error);
      return;
    }

  if (byok_error_is_retryable (error) && call->n_tries < transport->max_attempts)
    {
      gint64 wait_us = retry_after_us >= 0 ? retry_after_us : backoff_us (transport, call->n_tries);

      if (wait_us <= (gint64) transport->max_retry_wait_ms * 1000)
        {
          ByokRetryNotice notice = { 0, };
          Target *target = chat_current_target (call);

          g_debug ("%s: retrying in %" G_GINT64_FORMAT " ms (%s)", byok_provider_get_id (call->provider),
                   wait_us / 1000, byok_error_get_class (error));
          notice.provider_id = target->provider_id;
          notice.provider_name = byok_provider_get_name (call->provider);
          notice.model = target->model;
          notice.code = error->domain == BYOK_ERROR ? (ByokErrorCode) error->code : BYOK_ERROR_SERVER;
          notice.http_status = call->ex != NULL ? call->ex->status : 0;
          notice.wait_us = wait_us;
          notice.attempt = call->n_tries + 1;
          notice.max_attempts = transport->max_attempts;
          g_error_free (error);
          call->wait_timer = g_timeout_source_new ((guint) (wait_us / 1000));
          g_source_set_callback (call->wait_timer, chat_wait_done, g_object_ref (task), g_object_unref);
          g_source_attach (call->wait_timer, g_main_context_get_thread_default ());
          if (call->cancellable != NULL)
            {
              call->wait_cancel = g_cancellable_source_new (call->cancellable);
              g_source_set_callback (call->wait_cancel, G_SOURCE_FUNC (chat_wait_cancelled),
                                     g_object_ref (task), g_object_unref);
              g_source_attach (call->wait_cancel, g_main_context_get_thread_default ());
            }
          g_signal_emit (call, signals[RETRYING], 0, &notice);
          return;
        }
      else
        {
          GError *longer = too_long_wait_error (call, error, wait_us);

          g_error_free (error);
          error = longer;
        }
    }
  else if (retry_after_us > (gint64) transport->max_retry_wait_ms * 1000 &&
           g_error_matches (error, BYOK_ERROR, BYOK_ERROR_RATE_LIMIT))
    {
      GError *longer = too_long_wait_error (call, error, retry_after_us);

      g_error_free (error);
      error = longer;
    }

  if (byok_error_allows_fallback (error) && call->target_index + 1 < call->targets->len)
    {
      Target *next = g_ptr_array_index (call->targets, call->target_index + 1);

      g_debug ("%s: %s; falling back to %s/%s", byok_provider_get_id (call->provider),
               byok_error_get_class (error), next->provider_id, next->model);
      g_error_free (error);
      call->target_index++;
      call->n_tries = 0;
      call->next_is_fallback = TRUE;
      chat_start_target (task);
      return;
    }

  chat_complete (task, error);
}

/* Ends the current attempt with @error (transfer full, nullable). */
static void
chat_end_attempt (GTask  *task,
                  GError *error)
{
  ByokChatCall *call = g_task_get_source_object (task);
  ByokAttempt *attempt = g_steal_pointer (&call->attempt);

  if (call->ex != NULL)
    {
      attempt->http_status = call->ex->status;
      attempt->latency_us = (call->ex->end_us > 0 ? call->ex->end_us : g_get_monotonic_time ()) -
                            call->ex->sent_us;
      if (error != NULL)
        attempt->retry_after_us = call->ex->retry_after_us;
    }
  attempt->usage = call->result->usage;
  attempt->error = error != NULL ? g_error_copy (error) : NULL;
  byok_chat_result_add_attempt (call->result, attempt);
  if (call->hooks != NULL && call->hooks->attempt_ended != NULL)
    call->hooks->attempt_ended (call, attempt, call->result->attempts->len - 1, call->attempt_sent,
                                call->hooks_data);
  call->attempt_sent = FALSE;
  g_signal_emit (call, signals[ATTEMPT], 0, attempt);

  g_clear_pointer (&call->dstream, byok_dialect_stream_free);
  g_clear_pointer (&call->sse, byok_sse_free);

  if (error == NULL)
    {
      call->result->steps++;
      if (chat_wants_tools (call))
        chat_run_tools (task);
      else
        chat_complete (task, NULL);
      return;
    }
  chat_after_failure (task, error);
}

/* An attempt that failed before any request was sent. */
static void
chat_fail_early (GTask  *task,
                 GError *error)
{
  ByokChatCall *call = g_task_get_source_object (task);
  Target *target = chat_current_target (call);

  g_assert (call->attempt == NULL);
  call->n_tries++;
  call->attempt = byok_attempt_new (target->provider_id, target->model);
  call->attempt->is_retry = call->n_tries > 1;
  call->attempt->is_fallback = call->next_is_fallback;
  call->next_is_fallback = FALSE;
  g_clear_pointer (&call->ex, _byok_exchange_unref);
  chat_clear_output (call);
  chat_end_attempt (task, error);
}

static void
chat_emit_deltas (ByokChatCall *call,
                  gsize     old_text_len,
                  gsize     old_reasoning_len)
{
  ByokChatResult *result = call->result;
  gboolean grew = result->reasoning->len > old_reasoning_len || result->text->len > old_text_len;

  if (!grew)
    return;

  if (!call->output_started)
    {
      gint64 now = g_get_monotonic_time ();

      /* Time to first token, one definition everywhere (under the answer,
       * in Usage, the export and byok-cli): from sending the request that
       * answers to its first text or reasoning. The keyring, earlier
       * attempts and waits before a retry are in the total time only. */
      call->output_started = TRUE;
      /* The call's: its first step's first output. */
      if (call->result->steps == 0)
        result->ttft_us = now - (call->attempt != NULL ? call->attempt_start_us : call->call_start_us);
      if (call->attempt != NULL)
        call->attempt->ttft_us = now - call->attempt_start_us;
    }

  /* Hold the strings: a handler must not see them move under it. */
  if (result->reasoning->len > old_reasoning_len)
    {
      g_autofree char *slice = g_strndup (result->reasoning->str + old_reasoning_len,
                                          result->reasoning->len - old_reasoning_len);
      g_signal_emit (call, signals[REASONING_DELTA], 0, slice);
    }
  if (result->text->len > old_text_len)
    {
      g_autofree char *slice = g_strndup (result->text->str + old_text_len,
                                          result->text->len - old_text_len);
      g_signal_emit (call, signals[DELTA], 0, slice);
    }
}

/* A call the model asked for, made ready to run: an id its result can
 * name (Gemini may send none), "{}" for no arguments. @step: the step
 * it belongs to, @i its place in the answer. */
static void
chat_prepare_tool_call (ByokToolCall *tool_call,
                        guint         step,
                        guint         i)
{
  if (tool_call->id == NULL || *tool_call->id == '\0')
    {
      g_free (tool_call->id);
      tool_call->id = g_strdup_printf (BYOK_TOOL_CALL_ID_PREFIX "%u-%u", step, i + 1);
    }
  if (tool_call->arguments == NULL || *tool_call->arguments == '\0')
    {
      g_free (tool_call->arguments);
      tool_call->arguments = g_strdup ("{}");
    }
}

/* Each call whose arguments are all in is told of at once ("tool-call"),
 * while the answer still streams, so that its block shows; it runs when
 * the answer ends. Arguments that are not yet one JSON value wait for
 * the end (@ended: the answer is whole, every call is told of, before
 * its attempt). After this no attempt is retried (chat_after_failure). */
static void
chat_announce_tools (ByokChatCall *call,
                     gboolean      ended)
{
  ByokChatResult *result = call->result;
  guint complete;

  if (!chat_wants_tools (call) || (!ended && call->dstream == NULL))
    return;
  complete = ended ? result->tool_calls->len : byok_dialect_stream_get_tools_complete (call->dstream, result);
  while (call->tools_announced < complete)
    {
      ByokToolCall *tool_call = g_ptr_array_index (result->tool_calls, call->tools_announced);
      g_autoptr(JsonNode) parsed = NULL;

      if (!ended && tool_call->arguments != NULL && *tool_call->arguments != '\0' &&
          (parsed = byok_json_parse (tool_call->arguments, strlen (tool_call->arguments), NULL)) == NULL)
        return;
      /* The step this answer becomes when it ends. */
      chat_prepare_tool_call (tool_call, result->steps + 1, call->tools_announced);
      call->tools_announced++;
      g_signal_emit (call, signals[TOOL_CALL], 0, tool_call);
    }
}

static gboolean
chat_on_event (const char  *event_name,
               const char  *data,
               gpointer     user_data,
               GError     **error)
{
  ByokChatCall *call = user_data;
  gsize old_text = call->result->text->len;
  gsize old_reasoning = call->result->reasoning->len;
  gboolean done = FALSE;
  gboolean ok;

  ok = byok_dialect_stream_parse_event (call->dstream, event_name, data, call->result, &done, error);
  chat_emit_deltas (call, old_text, old_reasoning);
  chat_announce_tools (call, FALSE);
  if (!ok)
    return FALSE;
  return !done;
}

static gboolean
chat_on_data (ByokExchange  *ex,
              const char    *data,
              gsize          len,
              gpointer       user_data,
              GError       **error)
{
  ByokChatCall *call = g_task_get_source_object (G_TASK (user_data));

  if (!byok_sse_feed (call->sse, data, len, chat_on_event, call, error))
    return FALSE;
  /* The answer is whole (`[DONE]`, `message_stop`, Gemini's finishReason):
   * the call ends now, whatever the server does with the rest of the
   * body, which some hold open (keep-alive proxies, gateways); the
   * exchange drains it for a moment and closes it (_byok_transport_end_body()).
   * Events after the end were not read (the parser stopped). */
  return !byok_dialect_stream_is_complete (call->dstream);
}

static gboolean
body_looks_like_sse (const guint8 *data,
                     gsize         len)
{
  gsize i = 0;

  while (i < len && g_ascii_isspace (data[i]))
    i++;
  return (len - i >= 5 && memcmp (data + i, "data:", 5) == 0) ||
         (len - i >= 6 && memcmp (data + i, "event:", 6) == 0) ||
         (len - i >= 1 && data[i] == ':');
}

/* The response ended (or failed). */
static void
chat_on_done (ByokExchange *ex,
              GError       *error,
              gpointer      user_data)
{
  GTask *task = user_data;
  ByokChatCall *call = g_task_get_source_object (task);
  ByokChatResult *result = call->result;

  if (error == NULL && ex->sse)
    {
      byok_sse_finish (call->sse);
      byok_dialect_stream_finish (call->dstream, result, &error);
    }
  else if (error == NULL && call->request->stream && body_looks_like_sse (ex->body->data, ex->body->len))
    {
      /* An event stream without its content type: read it as one. */
      if (byok_sse_feed (call->sse, (const char *) ex->body->data, ex->body->len, chat_on_event, call, &error))
        byok_sse_finish (call->sse);
      if (error == NULL)
        byok_dialect_stream_finish (call->dstream, result, &error);
    }
  else if (error == NULL)
    {
      if (byok_dialect_parse_response (ex->dialect, &ex->context.ctx, (const char *) ex->body->data,
                                       ex->body->len, result, &error))
        {
          /* One delta for the whole answer, so callers connect once. */
          chat_emit_deltas (call, 0, 0);
        }
    }

  if (error == NULL)
    chat_announce_tools (call, TRUE);
  chat_end_attempt (task, error);
}

static void
chat_send_attempt (GTask *task)
{
  ByokChatCall *call = g_task_get_source_object (task);
  ByokTransport *transport = call->transport;
  Target *target = chat_current_target (call);
  g_autoptr(ByokChatRequest) request = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;
  GError *error = NULL;
  ByokModel *model;
  gboolean stream = call->request->stream;

  if (g_cancellable_is_cancelled (call->cancellable))
    {
      chat_complete (task, _byok_cancelled_error ());
      return;
    }

  model = byok_catalog_lookup_model (transport->catalog, target->provider_id, target->model);
  request = byok_chat_request_copy (chat_step_request (call));
  byok_chat_request_set_model (request, target->model);
  /* At the limit: one more answer, with what the tools gave, and no tools. */
  if (call->tool_rounds >= request->max_tool_steps)
    request->tool_choice = BYOK_TOOL_CHOICE_NONE;
  body = byok_dialect_build_body (_byok_provider_dialect (call->provider), request, model, stream,
                                  _byok_dialect_flags (call->provider, model), &error);
  if (body == NULL)
    {
      chat_fail_early (task, error);
      return;
    }

  url = byok_provider_build_chat_url (call->provider, target->model, stream);
  if (url == NULL)
    {
      chat_fail_early (task, g_error_new (BYOK_ERROR, BYOK_ERROR_INVALID,
                                          _("Byok cannot build the address of %s for “%s”. Check "
                                            "the provider’s settings."),
                                          byok_provider_get_name (call->provider), target->model));
      return;
    }
  msg = _byok_exchange_new_message (call->provider, "POST", url,
                     call->key != NULL ? byok_key_get_secret (call->key) : NULL, body, stream, &error);
  if (msg == NULL)
    {
      chat_fail_early (task, error);
      return;
    }
  {
    const char *name, *value;

    /* Anthropic's API version for a request with a temperature. */
    if (byok_dialect_get_request_header (_byok_provider_dialect (call->provider), request, model, &name, &value))
      soup_message_headers_replace (soup_message_get_request_headers (msg), name, value);
  }

  call->n_tries++;
  call->attempt = byok_attempt_new (target->provider_id, target->model);
  call->attempt->is_retry = call->n_tries > 1;
  call->attempt->is_fallback = call->next_is_fallback;
  call->next_is_fallback = FALSE;
  call->attempt_start_us = g_get_monotonic_time ();
  if (call->key != NULL)
    {
      call->attempt->key_used = TRUE;
      if (byok_key_get_source (call->key) == BYOK_KEY_SOURCE_KEYRING)
        call->attempt->key_account = g_strdup (byok_key_get_account (call->key));
    }
  chat_clear_output (call);
  byok_chat_result_set_provider (call->result, target->provider_id, target->model);

  /* The last word before anything goes out (the engine records the call
   * here, and refuses to send one it cannot record). */
  if (call->hooks != NULL && call->hooks->attempt_started != NULL &&
      !call->hooks->attempt_started (call, call->attempt, call->result->attempts->len, call->hooks_data,
                                     &error))
    {
      g_clear_pointer (&call->ex, _byok_exchange_unref);
      chat_end_attempt (task, error);
      return;
    }
  call->attempt_sent = TRUE;

  if (stream)
    {
      ByokExchangeContext context = { 0, };

      _byok_exchange_context_init (&context, transport->catalog, call->provider, target->model,
                    call->key != NULL ? byok_key_get_secret (call->key) : NULL);
      call->dstream = byok_dialect_stream_new (_byok_provider_dialect (call->provider), &context.ctx);
      call->tools_announced = 0;
      call->sse = byok_sse_new ();
      _byok_exchange_context_clear (&context);
    }

  g_clear_pointer (&call->ex, _byok_exchange_unref);
  call->ex = _byok_exchange_new (transport, call->provider, target->model,
                           call->key != NULL ? byok_key_get_secret (call->key) : NULL,
                           msg, stream, call->cancellable,
                           chat_on_data, chat_on_done, g_object_ref (task), g_object_unref);
  _byok_exchange_start (call->ex);
}

static void
chat_key_found (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ByokChatCall *call = g_task_get_source_object (task);
  GError *error = NULL;

  call->key = byok_key_store_lookup_finish (BYOK_KEY_STORE (source), result, &error);
  if (call->key == NULL)
    {
      if (g_error_matches (error, BYOK_ERROR, BYOK_ERROR_NO_KEY))
        {
          g_clear_error (&error);
          error = _byok_no_key_error (call->provider);
        }
      chat_fail_early (task, error);
      return;
    }
  chat_send_attempt (task);
}

static void
chat_start_target (GTask *task)
{
  ByokChatCall *call = g_task_get_source_object (task);
  Target *target = chat_current_target (call);
  ByokProvider *provider;
  GError *error = NULL;

  g_clear_object (&call->provider);
  g_clear_object (&call->key);
  g_clear_pointer (&call->ex, _byok_exchange_unref);

  provider = byok_catalog_lookup_provider (call->transport->catalog, target->provider_id);
  if (provider == NULL)
    {
      chat_fail_early (task, _byok_unknown_provider_error (target->provider_id));
      return;
    }
  call->provider = g_object_ref (provider);
  if (!byok_provider_check_config (provider, &error))
    {
      chat_fail_early (task, error);
      return;
    }

  if (!byok_provider_get_needs_key (provider))
    {
      chat_send_attempt (task);
      return;
    }
  byok_key_store_lookup_async (call->transport->key_store, target->provider_id, NULL,
                               call->cancellable, chat_key_found, g_object_ref (task));
}

/* ---- tools --------------------------------------------------------------- */

typedef struct {
  GTask       *task;
  ByokToolUse *use;     /* in the result's tool_uses */
} ToolRun;

/* Every call of the round came back: their results go into the
 * conversation, in the order the model asked, and the model is asked
 * again — or the call ends, stopped. */
static void
chat_tools_done (GTask *task)
{
  ByokChatCall *call = g_task_get_source_object (task);
  ByokChatResult *result = call->result;
  guint first = result->tool_uses->len;

  if (call->tools_cancelled || g_cancellable_is_cancelled (call->cancellable))
    {
      chat_complete (task, _byok_cancelled_error ());
      return;
    }

  while (first > 0 && ((ByokToolUse *) g_ptr_array_index (result->tool_uses, first - 1))->step == result->steps)
    first--;
  for (guint i = first; i < result->tool_uses->len; i++)
    {
      ByokToolUse *use = g_ptr_array_index (result->tool_uses, i);

      byok_chat_request_add_tool_result (call->step_request, use->result);
    }

  /* The next step: what this one said stays; its usage joins the sum. */
  if (result->text->len > call->prior_text->len && result->text->str[result->text->len - 1] != '\n')
    {
      /* A blank line between two steps' text. */
      g_string_append (result->text, "\n\n");
      call->separator_end = result->text->len;
      g_signal_emit (call, signals[DELTA], 0, "\n\n");
    }
  g_string_assign (call->prior_text, result->text->str);
  g_string_assign (call->prior_reasoning, result->reasoning->str);
  byok_usage_add (&call->prior_usage, &result->usage);
  call->tool_rounds++;
  call->n_tries = 0;
  call->output_started = FALSE;
  chat_send_attempt (task);
}

static void
chat_tool_ran (GObject      *source,
               GAsyncResult *async_result,
               gpointer      user_data)
{
  ToolRun *run = user_data;
  g_autoptr(GTask) task = run->task;
  ByokChatCall *call = g_task_get_source_object (task);
  ByokToolUse *use = run->use;
  g_autoptr(GError) error = NULL;
  ByokToolResult *result;

  g_free (run);
  result = byok_tool_runner_run_finish (BYOK_TOOL_RUNNER (source), async_result, &error);
  if (result == NULL && byok_error_is_cancelled (error))
    call->tools_cancelled = TRUE;
  else
    {
      if (result == NULL)
        result = error != NULL ? byok_tool_result_new_from_error (use->call, error)
                               : byok_tool_result_new (use->call, "The tool returned nothing.", TRUE);
      /* The result answers this call, whatever the runner named. */
      g_free (result->call_id);
      result->call_id = g_strdup (use->call->id);
      if (result->name == NULL)
        result->name = g_strdup (use->call->name);
      if (result->content == NULL)
        result->content = g_strdup ("");
      use->result = result;
      g_signal_emit (call, signals[TOOL_RESULT], 0, use->call, use->result);
    }

  if (--call->tools_pending == 0)
    chat_tools_done (task);
}

/* The answer asked for tools: it goes into the conversation with its
 * calls, and every call goes to the runner at once. */
static void
chat_run_tools (GTask *task)
{
  ByokChatCall *call = g_task_get_source_object (task);
  ByokChatResult *result = call->result;
  guint first = result->tool_uses->len;

  if (call->step_request == NULL)
    call->step_request = byok_chat_request_copy (call->request);

  for (guint i = 0; i < result->tool_calls->len; i++)
    chat_prepare_tool_call (g_ptr_array_index (result->tool_calls, i), result->steps, i);
  byok_chat_request_add_tool_calls (call->step_request, result->text->str + call->prior_text->len,
                                    result->tool_calls,
                                    result->reasoning->str + call->prior_reasoning->len,
                                    result->replay);

  call->tools_pending = result->tool_calls->len;
  call->tools_cancelled = FALSE;
  for (guint i = 0; i < result->tool_calls->len; i++)
    {
      ByokToolUse *use = byok_tool_use_new (g_ptr_array_index (result->tool_calls, i), result->steps);

      g_ptr_array_add (result->tool_uses, use);
      /* Those told of while the answer streamed are not told again. */
      if (i >= call->tools_announced)
        g_signal_emit (call, signals[TOOL_CALL], 0, use->call);
    }
  call->tools_announced = 0;
  for (guint i = first; i < result->tool_uses->len; i++)
    {
      ToolRun *run = g_new0 (ToolRun, 1);

      run->task = g_object_ref (task);
      run->use = g_ptr_array_index (result->tool_uses, i);
      byok_tool_runner_run_async (call->tool_runner, run->use->call, call->cancellable, chat_tool_ran, run);
    }
}

/* ---- the object ---------------------------------------------------------- */

static void
byok_chat_call_dispose (GObject *object)
{
  ByokChatCall *self = BYOK_CHAT_CALL (object);

  _byok_clear_source (&self->wait_timer);
  _byok_clear_source (&self->wait_cancel);
  g_clear_pointer (&self->ex, _byok_exchange_unref);
  if (self->hooks_data_free != NULL)
    g_clear_pointer (&self->hooks_data, self->hooks_data_free);
  self->hooks = NULL;

  G_OBJECT_CLASS (byok_chat_call_parent_class)->dispose (object);
}

static void
byok_chat_call_finalize (GObject *object)
{
  ByokChatCall *self = BYOK_CHAT_CALL (object);

  g_clear_pointer (&self->transport, _byok_transport_unref);
  g_clear_pointer (&self->request, byok_chat_request_unref);
  g_clear_pointer (&self->targets, g_ptr_array_unref);
  g_clear_error (&self->setup_error);
  g_clear_pointer (&self->result, byok_chat_result_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->provider);
  g_clear_object (&self->key);
  g_clear_pointer (&self->attempt, byok_attempt_free);
  g_clear_pointer (&self->dstream, byok_dialect_stream_free);
  g_clear_pointer (&self->sse, byok_sse_free);
  g_clear_object (&self->tool_runner);
  g_clear_pointer (&self->step_request, byok_chat_request_unref);
  g_string_free (self->prior_text, TRUE);
  g_string_free (self->prior_reasoning, TRUE);

  G_OBJECT_CLASS (byok_chat_call_parent_class)->finalize (object);
}

static void
byok_chat_call_class_init (ByokChatCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = byok_chat_call_dispose;
  object_class->finalize = byok_chat_call_finalize;

  /**
   * ByokChatCall::delta:
   * @text: the text of the answer that just arrived
   *
   * A streamed answer emits it for each new slice; an answer that came
   * whole, once for all of it.
   */
  signals[DELTA] =
    g_signal_new ("delta", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * ByokChatCall::reasoning-delta:
   * @text: the reasoning ("thinking") text that just arrived
   */
  signals[REASONING_DELTA] =
    g_signal_new ("reasoning-delta", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * ByokChatCall::retrying:
   * @notice: (type gpointer): the ByokRetryNotice: what failed, how long
   *   the call waits, which attempt comes next
   *
   * A failed attempt will be tried again after a wait; the call can still
   * be stopped with its cancellable meanwhile.
   */
  signals[RETRYING] =
    g_signal_new ("retrying", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);
  /**
   * ByokChatCall::attempt:
   * @attempt: (type gpointer): the ByokAttempt that just ended, as it is
   *   in the result's attempts: through the engine, recorded (usage_id)
   *   and priced (cost_usd, cost_known)
   *
   * An attempt ended, before the next one starts and before the call's
   * callback.
   */
  signals[ATTEMPT] =
    g_signal_new ("attempt", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);
  /**
   * ByokChatCall::tool-call:
   * @call: the ByokToolCall the model asked for, its arguments complete;
   *   valid for the emission (copy it to keep it)
   *
   * An answer asked for a tool; it goes to the runner when the answer
   * ends (the runner may ask the person). Emitted for every call of the
   * answer, in order, before any of them runs: as soon as the call's
   * arguments are all in, while the answer still streams (OpenAI: the
   * next call begins; Anthropic: its block ends; Gemini: its part), else
   * at the end. No attempt is retried after it.
   */
  signals[TOOL_CALL] =
    g_signal_new ("tool-call", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, BYOK_TYPE_TOOL_CALL | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * ByokChatCall::tool-result:
   * @call: the ByokToolCall
   * @result: the ByokToolResult the runner gave (denied, an error, or the
   *   tool's output); both valid for the emission
   *
   * A tool call came back from the runner; the model hears of it when
   * every call of the round has.
   */
  signals[TOOL_RESULT] =
    g_signal_new ("tool-result", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, BYOK_TYPE_TOOL_CALL | G_SIGNAL_TYPE_STATIC_SCOPE,
                  BYOK_TYPE_TOOL_RESULT | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
byok_chat_call_init (ByokChatCall *self)
{
  self->targets = g_ptr_array_new_with_free_func ((GDestroyNotify) target_free);
  self->prior_text = g_string_new (NULL);
  self->prior_reasoning = g_string_new (NULL);
}

static Target *
target_new (const char *provider_id,
            const char *model)
{
  Target *target = g_new0 (Target, 1);

  target->provider_id = g_strdup (provider_id);
  target->model = g_strdup (model);
  return target;
}

/**
 * _byok_chat_call_new:
 * @request: what to ask; not changed (each target gets a copy with its model)
 * @provider_id: the provider to ask first
 * @model: (nullable): its model; %NULL for @request->model
 * @fallbacks: (nullable) (array zero-terminated=1): "PROVIDER/MODEL" pairs to
 *   try in order when a call fails in a way another provider can fix
 *
 * Returns: (transfer full): the call, not started; a fallback that names
 *   no known model, or no model at all, is the error it returns when run
 */
ByokChatCall *
_byok_chat_call_new (ByokTransport      *transport,
                     ByokChatRequest    *request,
                     const char         *provider_id,
                     const char         *model,
                     const char * const *fallbacks)
{
  ByokChatCall *self = g_object_new (BYOK_TYPE_CHAT_CALL, NULL);
  Target *first = target_new (provider_id, model != NULL ? model : request->model);

  self->transport = _byok_transport_ref (transport);
  self->request = byok_chat_request_ref (request);
  g_ptr_array_add (self->targets, first);
  self->result = byok_chat_result_new (first->provider_id, first->model);

  for (guint i = 0; fallbacks != NULL && fallbacks[i] != NULL && self->setup_error == NULL; i++)
    {
      Target *target = g_new0 (Target, 1);

      if (!_byok_transport_parse_target (transport, fallbacks[i], &target->provider_id, &target->model,
                                         &self->setup_error))
        {
          target_free (target);
          break;
        }
      g_ptr_array_add (self->targets, target);
    }

  if (self->setup_error == NULL && (first->model == NULL || *first->model == '\0'))
    self->setup_error = g_error_new_literal (BYOK_ERROR, BYOK_ERROR_INVALID,
                                             _("No model was chosen. Pick a model and send again."));
  return self;
}

/**
 * _byok_chat_call_new_failed:
 * @error: (transfer full): why it cannot be sent (the budget)
 *
 * Returns: (transfer full): a call that sends nothing: run, it returns
 *   @error with no attempts
 */
ByokChatCall *
_byok_chat_call_new_failed (ByokChatRequest *request,
                            const char      *provider_id,
                            const char      *model,
                            GError          *error)
{
  ByokChatCall *self = g_object_new (BYOK_TYPE_CHAT_CALL, NULL);
  Target *first = target_new (provider_id, model != NULL ? model : request->model);

  self->request = byok_chat_request_ref (request);
  g_ptr_array_add (self->targets, first);
  self->result = byok_chat_result_new (first->provider_id, first->model);
  self->setup_error = error;
  return self;
}

/**
 * _byok_chat_call_set_hooks:
 * @hooks: (nullable): must stay valid as long as the call
 * @data: (transfer full): for @hooks, freed with @data_free when the call
 *   is disposed
 *
 * Has the engine told of each attempt and of the end (see
 * #ByokChatCallHooks). Before the call runs.
 */
void
_byok_chat_call_set_hooks (ByokChatCall            *self,
                           const ByokChatCallHooks *hooks,
                           gpointer                 data,
                           GDestroyNotify           data_free)
{
  g_return_if_fail (BYOK_IS_CHAT_CALL (self));
  g_return_if_fail (!self->ran);

  if (self->hooks_data_free != NULL)
    g_clear_pointer (&self->hooks_data, self->hooks_data_free);
  self->hooks = hooks;
  self->hooks_data = data;
  self->hooks_data_free = data_free;
}

/**
 * byok_chat_call_set_tool_runner:
 * @runner: (nullable): what runs the tools the model asks for (and asks
 *   the person first); %NULL: the call does not loop
 *
 * Before the call runs. The call keeps a reference.
 */
void
byok_chat_call_set_tool_runner (ByokChatCall   *self,
                                ByokToolRunner *runner)
{
  g_return_if_fail (BYOK_IS_CHAT_CALL (self));
  g_return_if_fail (runner == NULL || BYOK_IS_TOOL_RUNNER (runner));
  g_return_if_fail (!self->ran);

  g_set_object (&self->tool_runner, runner);
}

/**
 * byok_chat_call_get_tool_runner:
 * Returns: (transfer none) (nullable): the runner set
 */
ByokToolRunner *
byok_chat_call_get_tool_runner (ByokChatCall *self)
{
  g_return_val_if_fail (BYOK_IS_CHAT_CALL (self), NULL);
  return self->tool_runner;
}

/**
 * _byok_chat_call_get_step_request:
 * Returns: (transfer none): what the current step sends (before its
 *   target's model is set): the request, with the loop's answers and tool
 *   results once there are some
 */
const ByokChatRequest *
_byok_chat_call_get_step_request (ByokChatCall *self)
{
  g_return_val_if_fail (BYOK_IS_CHAT_CALL (self), NULL);
  return chat_step_request (self);
}

/**
 * _byok_chat_call_get_step_output:
 * @text: (out): what the current step's answer said so far
 * @reasoning: (out): its reasoning so far
 *
 * The current step's part of the result's text and reasoning (the steps
 * before it are in front of it there).
 */
void
_byok_chat_call_get_step_output (ByokChatCall  *self,
                                 const char   **text,
                                 gsize         *text_len,
                                 const char   **reasoning,
                                 gsize         *reasoning_len)
{
  ByokChatResult *result;
  gsize text_start, reasoning_start;

  g_return_if_fail (BYOK_IS_CHAT_CALL (self));

  result = self->result;
  text_start = MIN (self->prior_text->len, result->text->len);
  reasoning_start = MIN (self->prior_reasoning->len, result->reasoning->len);
  *text = result->text->str + text_start;
  *text_len = result->text->len - text_start;
  *reasoning = result->reasoning->str + reasoning_start;
  *reasoning_len = result->reasoning->len - reasoning_start;
}

/**
 * byok_chat_call_get_request:
 * Returns: (transfer none): what the call asks, as given
 */
ByokChatRequest *
byok_chat_call_get_request (ByokChatCall *self)
{
  g_return_val_if_fail (BYOK_IS_CHAT_CALL (self), NULL);
  return self->request;
}

/**
 * byok_chat_call_get_provider_id:
 * Returns: the provider asked first
 */
const char *
byok_chat_call_get_provider_id (ByokChatCall *self)
{
  g_return_val_if_fail (BYOK_IS_CHAT_CALL (self), NULL);
  return ((Target *) g_ptr_array_index (self->targets, 0))->provider_id;
}

/**
 * byok_chat_call_get_model:
 * Returns: the model asked first
 */
const char *
byok_chat_call_get_model (ByokChatCall *self)
{
  g_return_val_if_fail (BYOK_IS_CHAT_CALL (self), NULL);
  return ((Target *) g_ptr_array_index (self->targets, 0))->model;
}

/**
 * byok_chat_call_get_result:
 * Returns: (transfer none): the result as it stands — the text so far
 *   while the call runs, every attempt and the cost once it has ended
 */
ByokChatResult *
byok_chat_call_get_result (ByokChatCall *self)
{
  g_return_val_if_fail (BYOK_IS_CHAT_CALL (self), NULL);
  return self->result;
}

/**
 * byok_chat_call_run_async:
 * @cancellable: (nullable): stops the call; what arrived is kept
 *
 * Sends the call, streamed if its request says so. The signals tell of
 * its progress; byok_chat_call_run_finish() gives its result. A call runs
 * once.
 */
void
byok_chat_call_run_async (ByokChatCall        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BYOK_IS_CHAT_CALL (self));
  g_return_if_fail (!self->ran);

  self->ran = TRUE;
  task = _byok_task_new (self, cancellable, callback, user_data, byok_chat_call_run_async);
  g_set_object (&self->cancellable, cancellable);
  self->call_start_us = g_get_monotonic_time ();

  if (self->setup_error != NULL)
    {
      byok_chat_result_take_error (self->result, g_error_copy (self->setup_error));
      chat_return (task);
      return;
    }
  chat_start_target (task);
}

/**
 * byok_chat_call_run_finish:
 *
 * Returns: (transfer full): the result, never %NULL. It failed when
 *   @result->error is set (the classified error of the last attempt, or
 *   CANCELLED); text that arrived before a failure is kept. Every attempt is
 *   in @result->attempts; @result->provider_id and @result->model name the
 *   provider and model that answered (or failed last); @result->cost_usd
 *   is what it cost when @result->cost_known.
 */
ByokChatResult *
byok_chat_call_run_finish (ByokChatCall *self,
                           GAsyncResult *result)
{
  g_return_val_if_fail (BYOK_IS_CHAT_CALL (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), NULL);
}
