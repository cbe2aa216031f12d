/* byok-chat-result.h — what came back from a chat call, normalised
 *
 * Plain structs with public fields, GLib style. A ByokChatResult is
 * refcounted and owns everything it points to; ByokAttempt is owned by the
 * result's attempts array.
 */
#pragma once

#include <glib-object.h>

#include "byok-tool.h"

G_BEGIN_DECLS

/**
 * ByokUsage:
 * @input_tokens: all prompt tokens, cached or not (for Anthropic the sum of
 *   its input, cache read and cache creation tokens)
 * @cached_input_tokens: the part of @input_tokens read from the cache
 * @cache_write_tokens: the part of @input_tokens written to the cache
 * @output_tokens: all generated tokens, reasoning included
 * @reasoning_tokens: the reasoning part of @output_tokens
 * @reported: whether the provider reported usage at all; when FALSE the
 *   counts are 0 and mean "unknown", not "free" (unless @estimated)
 * @estimated: the provider answered without a usage report and the counts
 *   are Byok's estimate (the prompt as byok_estimate_request_tokens()
 *   counts it, the answer's text by byok_estimate_tokens()); @reported
 *   stays FALSE
 * @cost_reported: the provider said what it billed for the call
 *   (OpenRouter's `usage.cost`); Byok's own price is computed apart
 * @reported_cost_usd: what it billed, in US dollars; 0 unless
 *   @cost_reported
 *
 * Token counts as PROVIDERS.md "Normalised usage" defines them, whatever
 * the provider called them.
 */
typedef struct {
  gint64   input_tokens;
  gint64   cached_input_tokens;
  gint64   cache_write_tokens;
  gint64   output_tokens;
  gint64   reasoning_tokens;
  gboolean reported;
  gboolean estimated;
  gboolean cost_reported;
  double   reported_cost_usd;
} ByokUsage;

void     byok_usage_clear  (ByokUsage       *usage);
void     byok_usage_add    (ByokUsage       *sum,
                            const ByokUsage *usage);
gboolean byok_usage_equal  (const ByokUsage *a,
                            const ByokUsage *b);

typedef enum {
  BYOK_FINISH_NONE,            /* not finished (yet), or unknown */
  BYOK_FINISH_STOP,
  BYOK_FINISH_LENGTH,
  BYOK_FINISH_CONTENT_FILTER,
  BYOK_FINISH_TOOL_CALLS,
  BYOK_FINISH_ERROR,
  BYOK_FINISH_CANCELLED,
} ByokFinishReason;

const char *byok_finish_reason_to_string   (ByokFinishReason  reason);
gboolean    byok_finish_reason_from_string (const char       *str,
                                            ByokFinishReason *reason);

/**
 * ByokAttempt:
 * One HTTP request of a call: the first try, a retry, or a fallback to
 * another provider/model. Strings and @error are owned.
 */
typedef struct {
  char      *provider_id;
  char      *model;
  guint      http_status;  /* 0: no HTTP response (network, cancel) */
  GError    *error;        /* nullable: NULL when this attempt succeeded */
  gint64     latency_us;   /* request sent → last byte, or -1 */
  gint64     ttft_us;      /* request sent → first text/reasoning, or -1 */
  gboolean   is_retry;     /* same provider and model again after a failure */
  gboolean   is_fallback;  /* another provider or model after a failure */
  ByokUsage  usage;
  gint64     retry_after_us; /* the wait the provider asked for, or -1 */
  gint64     started_us;   /* unix µs when the request was sent (or the attempt failed before) */
  gboolean   key_used;     /* a key went with the request */
  char      *key_account;  /* its keyring account; NULL for an environment key */
  gint64     usage_id;     /* the usage row the engine recorded it as, or 0 */
  double     cost_usd;     /* what it cost, priced by the engine; NAN unless @cost_known */
  gboolean   cost_known;   /* priced: 0 when it got no answer, nothing billed */
} ByokAttempt;

ByokAttempt *byok_attempt_new  (const char  *provider_id,
                                const char  *model);
ByokAttempt *byok_attempt_copy (const ByokAttempt *attempt);
void         byok_attempt_free (ByokAttempt *attempt);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokAttempt, byok_attempt_free)

#define BYOK_TYPE_CHAT_RESULT (byok_chat_result_get_type ())

/**
 * ByokChatResult:
 * @provider_id: (owned): the provider that answered (or failed last)
 * @model: (owned): the model asked for
 * @response_model: (owned) (nullable): the model the provider says answered
 * @response_id: (owned) (nullable): the provider's id for the response
 * @text: (owned): the answer so far; kept when a call fails half-way
 * @reasoning: (owned): the reasoning ("thinking") text so far
 * @finish_reason: why the answer stopped
 * @usage: the last usage report (never a sum of reports)
 * @ttft_us: time to first token: from sending the request that answered
 *   (the attempt's) to its first text or reasoning, or -1 — the same as
 *   that attempt's @ttft_us
 * @latency_us: total time of the call, every attempt and wait included,
 *   or -1
 * @error: (owned) (nullable): the final error; NULL on success
 * @attempts: (owned): of ByokAttempt*, every attempt in order
 * @retry_after_us: how long the provider asked to wait before trying again
 *   (Retry-After, retry-after-ms, Gemini's retryDelay) when @error is the
 *   failure of the last attempt, in microseconds; -1 when it did not say
 * @cost_usd: what the call cost, every attempt together, once it has
 *   ended: the sum of the attempts' costs as the engine priced them where
 *   it recorded them; NAN unless @cost_known
 * @cost_known: whether every attempt's cost is known (a call without
 *   attempts cost nothing)
 * @tool_calls: (owned) (element-type ByokToolCall): the calls the last
 *   answer asked for, in order, arguments complete once it ended; empty
 *   when it asked for none (and then, for a call with a runner, the loop
 *   ran them all: see @tool_uses)
 * @replay: (owned) (nullable): what the dialect wants sent back with the
 *   last answer if it goes into a conversation again (ByokChatMessage's
 *   replay)
 * @tool_uses: (owned) (element-type ByokToolUse): every tool call the
 *   call ran (or had refused), with its result, in order
 * @steps: how many answers the model gave: 1 without tools, one more for
 *   each round of tool calls; every step is one attempt or more, each
 *   with its own usage row
 *
 * @reported_cost_usd: what the providers said they billed, the attempts
 *   that reported a cost (ByokUsage's @cost_reported) together; NAN when
 *   none did
 *
 * With tools, @text and @reasoning hold every step's, one after another
 * (as "delta" and "reasoning-delta" delivered them), and @usage the sum
 * of every step's report.
 */
typedef struct {
  char             *provider_id;
  char             *model;
  char             *response_model;
  char             *response_id;
  GString          *text;
  GString          *reasoning;
  ByokFinishReason  finish_reason;
  ByokUsage         usage;
  gint64            ttft_us;
  gint64            latency_us;
  GError           *error;
  GPtrArray        *attempts;
  gint64            retry_after_us;
  double            cost_usd;
  gboolean          cost_known;
  GPtrArray        *tool_calls;
  char             *replay;
  GPtrArray        *tool_uses;
  guint             steps;
  double            reported_cost_usd;

  /*< private >*/
  gatomicrefcount   ref_count;
} ByokChatResult;

GType           byok_chat_result_get_type           (void) G_GNUC_CONST;
ByokChatResult *byok_chat_result_new                (const char      *provider_id,
                                                     const char      *model);
ByokChatResult *byok_chat_result_ref                (ByokChatResult  *self);
void            byok_chat_result_unref              (ByokChatResult  *self);

void            byok_chat_result_set_provider       (ByokChatResult  *self,
                                                     const char      *provider_id,
                                                     const char      *model);
void            byok_chat_result_set_response_model (ByokChatResult  *self,
                                                     const char      *response_model);
void            byok_chat_result_set_response_id    (ByokChatResult  *self,
                                                     const char      *response_id);
void            byok_chat_result_take_error         (ByokChatResult  *self,
                                                     GError          *error);
void            byok_chat_result_add_attempt        (ByokChatResult  *self,
                                                     ByokAttempt     *attempt);
void            byok_chat_result_clear_output       (ByokChatResult  *self);
gboolean        byok_chat_result_is_success         (const ByokChatResult *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokChatResult, byok_chat_result_unref)

G_END_DECLS
