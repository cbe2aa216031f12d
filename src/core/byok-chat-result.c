/* byok-chat-result.c — what came back from a chat call, normalised */
#define G_LOG_DOMAIN "byok-chat"

#include "config.h"

#include <math.h>
#include <string.h>
#include <gio/gio.h>

#include "byok-chat-result.h"
#include "byok-error.h"

G_DEFINE_BOXED_TYPE (ByokChatResult, byok_chat_result,
                     byok_chat_result_ref, byok_chat_result_unref)

void
byok_usage_clear (ByokUsage *usage)
{
  g_return_if_fail (usage != NULL);
  memset (usage, 0, sizeof *usage);
}

/**
 * byok_usage_add:
 * @sum: where @usage is added
 *
 * Adds a report to a sum (the steps of a tool loop): every count, reported
 * when either is, estimated when either is, and what the provider billed
 * when either says.
 */
void
byok_usage_add (ByokUsage       *sum,
                const ByokUsage *usage)
{
  g_return_if_fail (sum != NULL && usage != NULL);

  sum->input_tokens += usage->input_tokens;
  sum->cached_input_tokens += usage->cached_input_tokens;
  sum->cache_write_tokens += usage->cache_write_tokens;
  sum->output_tokens += usage->output_tokens;
  sum->reasoning_tokens += usage->reasoning_tokens;
  sum->reported = sum->reported || usage->reported;
  sum->estimated = sum->estimated || usage->estimated;
  if (usage->cost_reported)
    {
      sum->reported_cost_usd = (sum->cost_reported ? sum->reported_cost_usd : 0) + usage->reported_cost_usd;
      sum->cost_reported = TRUE;
    }
}

gboolean
byok_usage_equal (const ByokUsage *a,
                  const ByokUsage *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->input_tokens == b->input_tokens &&
         a->cached_input_tokens == b->cached_input_tokens &&
         a->cache_write_tokens == b->cache_write_tokens &&
         a->output_tokens == b->output_tokens &&
         a->reasoning_tokens == b->reasoning_tokens &&
         !a->reported == !b->reported &&
         !a->estimated == !b->estimated &&
         !a->cost_reported == !b->cost_reported &&
         (!a->cost_reported || a->reported_cost_usd == b->reported_cost_usd);
}

static const char * const finish_names[] = {
  [BYOK_FINISH_NONE] = NULL,
  [BYOK_FINISH_STOP] = "stop",
  [BYOK_FINISH_LENGTH] = "length",
  [BYOK_FINISH_CONTENT_FILTER] = "content_filter",
  [BYOK_FINISH_TOOL_CALLS] = "tool_calls",
  [BYOK_FINISH_ERROR] = "error",
  [BYOK_FINISH_CANCELLED] = "cancelled",
};

/**
 * byok_finish_reason_to_string:
 * Returns: (nullable): "stop", "length", "content_filter", "tool_calls",
 *   "error" or "cancelled"; NULL for %BYOK_FINISH_NONE or an unknown value.
 */
const char *
byok_finish_reason_to_string (ByokFinishReason reason)
{
  if ((guint) reason >= G_N_ELEMENTS (finish_names))
    return NULL;
  return finish_names[reason];
}

/**
 * byok_finish_reason_from_string:
 * @str: (nullable): a name byok_finish_reason_to_string() returns; NULL or
 *   "" is %BYOK_FINISH_NONE
 *
 * Returns: whether @str was recognised; @reason is untouched otherwise.
 */
gboolean
byok_finish_reason_from_string (const char       *str,
                                ByokFinishReason *reason)
{
  g_return_val_if_fail (reason != NULL, FALSE);

  if (str == NULL || *str == '\0')
    {
      *reason = BYOK_FINISH_NONE;
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (finish_names); i++)
    {
      if (finish_names[i] != NULL && g_str_equal (str, finish_names[i]))
        {
          *reason = (ByokFinishReason) i;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * byok_attempt_new:
 * Returns: (transfer full): an attempt with no status, error or timings
 *   (latency, TTFT and retry-after -1).
 */
ByokAttempt *
byok_attempt_new (const char *provider_id,
                  const char *model)
{
  ByokAttempt *attempt = g_new0 (ByokAttempt, 1);

  attempt->provider_id = g_strdup (provider_id);
  attempt->model = g_strdup (model);
  attempt->latency_us = -1;
  attempt->ttft_us = -1;
  attempt->retry_after_us = -1;
  attempt->started_us = g_get_real_time ();
  attempt->cost_usd = NAN;
  return attempt;
}

ByokAttempt *
byok_attempt_copy (const ByokAttempt *attempt)
{
  ByokAttempt *copy;

  g_return_val_if_fail (attempt != NULL, NULL);

  copy = g_memdup2 (attempt, sizeof *attempt);
  copy->provider_id = g_strdup (attempt->provider_id);
  copy->model = g_strdup (attempt->model);
  copy->key_account = g_strdup (attempt->key_account);
  copy->error = attempt->error != NULL ? g_error_copy (attempt->error) : NULL;
  return copy;
}

void
byok_attempt_free (ByokAttempt *attempt)
{
  if (attempt == NULL)
    return;
  g_free (attempt->provider_id);
  g_free (attempt->model);
  g_free (attempt->key_account);
  g_clear_error (&attempt->error);
  g_free (attempt);
}

/**
 * byok_chat_result_new:
 * Returns: (transfer full): an empty result: no text, no usage, finish
 *   reason NONE, timings and retry-after -1, no error, no attempts.
 */
ByokChatResult *
byok_chat_result_new (const char *provider_id,
                      const char *model)
{
  ByokChatResult *self = g_new0 (ByokChatResult, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->provider_id = g_strdup (provider_id);
  self->model = g_strdup (model);
  self->text = g_string_new (NULL);
  self->reasoning = g_string_new (NULL);
  self->ttft_us = -1;
  self->latency_us = -1;
  self->retry_after_us = -1;
  self->cost_usd = NAN;
  self->reported_cost_usd = NAN;
  self->attempts = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_attempt_free);
  self->tool_calls = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_tool_call_free);
  self->tool_uses = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_tool_use_free);
  return self;
}

ByokChatResult *
byok_chat_result_ref (ByokChatResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
byok_chat_result_unref (ByokChatResult *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->provider_id);
  g_free (self->model);
  g_free (self->response_model);
  g_free (self->response_id);
  g_string_free (self->text, TRUE);
  g_string_free (self->reasoning, TRUE);
  g_clear_error (&self->error);
  g_ptr_array_unref (self->attempts);
  g_ptr_array_unref (self->tool_calls);
  g_free (self->replay);
  g_ptr_array_unref (self->tool_uses);
  g_free (self);
}

/**
 * byok_chat_result_set_provider:
 * Sets who answers: on a fallback the client moves the result to the next
 * provider and model.
 */
void
byok_chat_result_set_provider (ByokChatResult *self,
                               const char     *provider_id,
                               const char     *model)
{
  g_return_if_fail (self != NULL);

  if (provider_id != self->provider_id)
    {
      g_free (self->provider_id);
      self->provider_id = g_strdup (provider_id);
    }
  if (model != self->model)
    {
      g_free (self->model);
      self->model = g_strdup (model);
    }
}

void
byok_chat_result_set_response_model (ByokChatResult *self,
                                     const char     *response_model)
{
  g_return_if_fail (self != NULL);

  if (response_model != self->response_model)
    {
      g_free (self->response_model);
      self->response_model = g_strdup (response_model);
    }
}

void
byok_chat_result_set_response_id (ByokChatResult *self,
                                  const char     *response_id)
{
  g_return_if_fail (self != NULL);

  if (response_id != self->response_id)
    {
      g_free (self->response_id);
      self->response_id = g_strdup (response_id);
    }
}

/**
 * byok_chat_result_take_error:
 * @error: (transfer full) (nullable): the final error
 *
 * Replaces the result's error. A cancel (BYOK or GIO) sets the finish reason
 * to %BYOK_FINISH_CANCELLED, any other error to %BYOK_FINISH_ERROR. Text and
 * reasoning are kept.
 */
void
byok_chat_result_take_error (ByokChatResult *self,
                             GError         *error)
{
  g_return_if_fail (self != NULL);

  g_clear_error (&self->error);
  self->error = error;
  if (error == NULL)
    return;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, BYOK_ERROR, BYOK_ERROR_CANCELLED))
    self->finish_reason = BYOK_FINISH_CANCELLED;
  else
    self->finish_reason = BYOK_FINISH_ERROR;
}

/**
 * byok_chat_result_add_attempt:
 * @attempt: (transfer full): the attempt, appended in order
 */
void
byok_chat_result_add_attempt (ByokChatResult *self,
                              ByokAttempt    *attempt)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (attempt != NULL);

  g_ptr_array_add (self->attempts, attempt);
}

/**
 * byok_chat_result_clear_output:
 * Forgets what a failed attempt produced — text, reasoning, finish reason,
 * usage, response model and id, tool calls and replay, error and its
 * retry-after — before another attempt starts.
 * Timings, attempts, tool uses and steps are kept.
 */
void
byok_chat_result_clear_output (ByokChatResult *self)
{
  g_return_if_fail (self != NULL);

  g_string_truncate (self->text, 0);
  g_string_truncate (self->reasoning, 0);
  self->finish_reason = BYOK_FINISH_NONE;
  byok_usage_clear (&self->usage);
  g_clear_pointer (&self->response_model, g_free);
  g_clear_pointer (&self->response_id, g_free);
  g_ptr_array_set_size (self->tool_calls, 0);
  g_clear_pointer (&self->replay, g_free);
  g_clear_error (&self->error);
  self->retry_after_us = -1;
}

/**
 * byok_chat_result_is_success:
 * Returns: whether the call ended without an error.
 */
gboolean
byok_chat_result_is_success (const ByokChatResult *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->error == NULL;
}
