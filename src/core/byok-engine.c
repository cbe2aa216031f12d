/* byok-engine.c — the core as the app and byok-cli use it */
#define G_LOG_DOMAIN "byok-engine"

#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "byok-engine.h"
#include "byok-error.h"
#include "byok-price-history.h"
#include "byok-price-overrides.h"
#include "byok-process-lock.h"
#include "byok-router.h"

struct _ByokEngine
{
  GObject               parent_instance;

  ByokCatalog          *catalog;
  ByokKeyStore         *key_store;
  ByokDatabase         *database;
  ByokUsageStore       *usage_store;
  ByokPricing          *pricing;
  ByokProviderSettings *settings;
  ByokClient           *client;

  GHashTable           *over_budget_once;   /* scopes confirmed for one call */

  /* Calls in flight: the usage row of each attempt is written when it is
   * sent, marked with this process's lock (taken at the first call). */
  gboolean              record_calls;
  char                 *lock_dir;           /* NULL: an in-memory database */
  ByokProcessLock      *lock;
  GHashTable           *live;               /* ByokChatRequest* → EngineChat* */
};

G_DEFINE_FINAL_TYPE (ByokEngine, byok_engine, G_TYPE_OBJECT)

enum {
  DELTA,
  REASONING_DELTA,
  RETRYING,
  BUDGET_ALERT,
  USAGE_RECORDED,
  KEY_STATUS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- wiring -------------------------------------------------------------- */

typedef struct _EngineChat EngineChat;

static void count_output (ByokEngine      *self,
                          ByokChatRequest *request,
                          const char      *text);

static void
forward_delta (ByokClient      *client,
               ByokChatRequest *request,
               const char      *text,
               ByokEngine      *self)
{
  count_output (self, request, text);
  g_signal_emit (self, signals[DELTA], 0, request, text);
}

static void
forward_reasoning_delta (ByokClient      *client,
                         ByokChatRequest *request,
                         const char      *text,
                         ByokEngine      *self)
{
  count_output (self, request, text);
  g_signal_emit (self, signals[REASONING_DELTA], 0, request, text);
}

static void
forward_retrying (ByokClient            *client,
                  ByokChatRequest       *request,
                  const ByokRetryNotice *notice,
                  ByokEngine            *self)
{
  g_signal_emit (self, signals[RETRYING], 0, request, notice);
}

/* Key events from the key store go to the database's key_events table. */
static void
record_key_event (const char   *provider_id,
                  const char   *account,
                  ByokKeyEvent  event,
                  const char   *result,
                  const char   *detail,
                  gpointer      user_data)
{
  ByokEngine *self = user_data;
  g_autoptr(GError) error = NULL;

  /* The history shows what happened to keys (added, replaced, tested,
   * deleted); which account is the default is the keyring's own state.
   * The store writes the result in lower case ("ok", "auth"). */
  if (event == BYOK_KEY_EVENT_DEFAULT_CHANGED)
    return;

  if (byok_usage_store_add_key_event (self->usage_store, provider_id, account,
                                      byok_key_event_to_string (event), result, detail,
                                      &error) <= 0)
    g_warning ("Could not record a key event: %s", error->message);
}

/* BYOK_BASE_URL_<PROVIDER> replaces a provider's base URL for the whole
 * process, in byok-cli and the app alike; custom providers added later
 * get theirs when the catalog changes. */
static void
apply_base_url_environment (ByokEngine *self)
{
  g_autoptr(GPtrArray) providers = byok_catalog_get_providers (self->catalog);

  for (guint i = 0; i < providers->len; i++)
    {
      ByokProvider *provider = g_ptr_array_index (providers, i);
      g_autofree char *name = byok_provider_dup_base_url_variable (byok_provider_get_id (provider));
      const char *url = g_getenv (name);

      if (url != NULL && *url != '\0' && g_strcmp0 (url, byok_provider_get_environment_base_url (provider)) != 0)
        g_debug ("%s replaces the base URL of %s", name, byok_provider_get_id (provider));
      byok_provider_set_environment_base_url (provider, url);
    }
}

/* ---- costs --------------------------------------------------------------- */

typedef struct {
  gboolean price_known;   /* what the usage row says */
  gboolean cost_known;    /* whether @cost is a real figure */
  double   cost;
  double   savings;
} AttemptCost;

static void
price_attempt (ByokEngine        *self,
               const ByokAttempt *attempt,
               AttemptCost       *out)
{
  const ByokUsage *usage = &attempt->usage;
  gboolean answered = attempt->http_status >= 200 && attempt->http_status < 300;
  ByokPrice price;
  gboolean known;

  known = byok_pricing_lookup (self->pricing, attempt->provider_id, attempt->model, &price, NULL);

  out->price_known = known;
  out->cost_known = TRUE;
  out->cost = 0;
  out->savings = 0;

  if (!usage->reported && !answered)
    {
      /* No answer, nothing billed: an HTTP error, a refused connection, no key. */
      return;
    }
  if (!usage->reported || !known)
    {
      /* Tokens were (or may have been) billed that Byok cannot price. */
      out->price_known = FALSE;
      out->cost_known = FALSE;
      out->cost = NAN;
      return;
    }

  if (!byok_price_cost (&price, usage->input_tokens, usage->cached_input_tokens,
                        usage->cache_write_tokens, usage->output_tokens, &out->cost))
    {
      out->price_known = FALSE;
      out->cost_known = FALSE;
      out->cost = NAN;
      return;
    }

  if (usage->cached_input_tokens > 0)
    {
      const ByokPriceTier *tier = byok_price_get_tier (&price, usage->input_tokens);
      double input = tier != NULL ? tier->input : price.input;
      double cached = tier != NULL ? tier->cached_input : price.cached_input;

      if (byok_price_rate_is_known (input) && byok_price_rate_is_known (cached) && input > cached)
        out->savings = (double) usage->cached_input_tokens * (input - cached) / 1e6;
    }
}

/**
 * byok_engine_cost_of:
 * @known: (out) (optional): whether the price is known
 *
 * Returns: the cost in USD of @usage on @model at the price in force (the
 *   user's override, else the catalog's), or NAN when the price is unknown
 */
double
byok_engine_cost_of (ByokEngine      *self,
                     const char      *provider_id,
                     const char      *model,
                     const ByokUsage *usage,
                     gboolean        *known)
{
  double cost = NAN;
  gboolean ok;

  g_return_val_if_fail (BYOK_IS_ENGINE (self), NAN);
  g_return_val_if_fail (usage != NULL, NAN);

  ok = byok_pricing_cost (self->pricing, provider_id, model, usage->input_tokens,
                          usage->cached_input_tokens, usage->cache_write_tokens,
                          usage->output_tokens, &cost);
  if (known != NULL)
    *known = ok;
  return ok ? cost : NAN;
}

/**
 * byok_engine_cost_of_attempt:
 * @known: (out) (optional): whether the cost is known
 *
 * Returns: what one attempt cost: 0 when it got no answer (nothing was
 *   billed), NAN when tokens were billed that cannot be priced (unknown
 *   price, or usage the provider did not report)
 */
double
byok_engine_cost_of_attempt (ByokEngine        *self,
                             const ByokAttempt *attempt,
                             gboolean          *known)
{
  AttemptCost cost;

  g_return_val_if_fail (BYOK_IS_ENGINE (self), NAN);
  g_return_val_if_fail (attempt != NULL, NAN);

  price_attempt (self, attempt, &cost);
  if (known != NULL)
    *known = cost.cost_known;
  return cost.cost;
}

/**
 * byok_engine_cost_of_result:
 * @known: (out) (optional): whether every attempt's cost is known
 *
 * Returns: what a call cost, all its attempts together; NAN when any
 *   attempt's cost is unknown
 */
double
byok_engine_cost_of_result (ByokEngine           *self,
                            const ByokChatResult *result,
                            gboolean             *known)
{
  double total = 0;
  gboolean all_known = TRUE;

  g_return_val_if_fail (BYOK_IS_ENGINE (self), NAN);
  g_return_val_if_fail (result != NULL, NAN);

  for (guint i = 0; i < result->attempts->len; i++)
    {
      gboolean attempt_known;
      double cost = byok_engine_cost_of_attempt (self, g_ptr_array_index (result->attempts, i),
                                                 &attempt_known);

      if (attempt_known)
        total += cost;
      else
        all_known = FALSE;
    }
  if (known != NULL)
    *known = all_known;
  return all_known ? total : NAN;
}

/* ---- chat ---------------------------------------------------------------- */

struct _EngineChat {
  ByokEngine      *engine;            /* unowned: the task holds it */
  ByokChatRequest *request;
  char            *provider_id;
  char            *model;
  gint64           conversation_id;
  gint64           prompt_estimate;   /* tokens, Byok's count */

  /* The attempt being sent, while it is. */
  ByokAttempt     *attempt;
  guint            attempt_index;
  gint64           attempt_start_us;  /* monotonic */
  gint64           row_id;            /* its usage row, 0: none */
  gint64           row_time_us;
  gint64           output_estimate;   /* tokens of what arrived so far */
  gboolean         closed;            /* byok_engine_shutdown() ended it */
};

static void
engine_chat_free (EngineChat *chat)
{
  g_clear_pointer (&chat->request, byok_chat_request_unref);
  g_clear_pointer (&chat->attempt, byok_attempt_free);
  g_free (chat->provider_id);
  g_free (chat->model);
  g_free (chat);
}

/* Checks the budgets of @provider_id and the overall one; emits
 * "budget-alert" for a threshold crossed. Returns FALSE with BYOK_ERROR_BUDGET
 * on a hard stop. A database failure is logged, not fatal: a broken budget
 * table must not stop the user from working. */
static gboolean
check_budget (ByokEngine  *self,
              const char  *provider_id,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *scope = NULL;
  guint percent = 0;
  gboolean ok;

  ok = byok_usage_store_check_budget (self->usage_store, provider_id, &percent, &scope, &local_error);
  if (percent > 0 && scope != NULL)
    {
      g_debug ("budget %s crossed %u%%", scope, percent);
      g_signal_emit (self, signals[BUDGET_ALERT], 0, scope, percent);
    }
  if (ok)
    return TRUE;
  if (g_error_matches (local_error, BYOK_ERROR, BYOK_ERROR_BUDGET))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_warning ("Could not check the budgets: %s", local_error->message);
  return TRUE;
}

static void
count_output (ByokEngine      *self,
              ByokChatRequest *request,
              const char      *text)
{
  EngineChat *chat = g_hash_table_lookup (self->live, request);

  /* Per slice: a slice is about a token, so rounding each up errs little. */
  if (chat != NULL && chat->row_id != 0)
    chat->output_estimate += byok_estimate_tokens (text, -1);
}

/* The usage row of the attempt being sent, from Byok's own counts: the
 * prompt's tokens, @output_tokens, their price (input and output rates;
 * no cache), marked estimated. */
static void
estimate_record (ByokEngine      *self,
                 EngineChat      *chat,
                 const char      *status,
                 gint64           output_tokens,
                 ByokUsageRecord *record)
{
  double cost = 0;

  memset (record, 0, sizeof *record);
  record->time_us = chat->row_time_us;
  record->provider = chat->attempt->provider_id;
  record->model = chat->attempt->model;
  record->conversation_id = chat->conversation_id;
  record->input_tokens = chat->prompt_estimate;
  record->output_tokens = output_tokens;
  record->price_known = byok_pricing_cost (self->pricing, record->provider, record->model,
                                           record->input_tokens, 0, 0, output_tokens, &cost) &&
                        isfinite (cost);
  record->cost_usd = record->price_known ? cost : 0;
  record->ttft_us = -1;
  record->status = (char *) status;
  record->is_retry = chat->attempt->is_retry;
  record->is_fallback = chat->attempt->is_fallback;
  record->attempt = (int) chat->attempt_index + 1;
  record->estimated = TRUE;
}

/* This process's lock, taken at its first call. */
static const char *
lock_id (ByokEngine  *self,
         GError     **error)
{
  if (self->lock_dir == NULL)
    return "memory";
  if (self->lock == NULL)
    self->lock = byok_process_lock_acquire (self->lock_dir, error);
  return self->lock != NULL ? byok_process_lock_get_id (self->lock) : NULL;
}

/* ByokChatHooks: an attempt is about to be sent. Its row is written
 * first; a call that cannot be recorded is not sent. */
static gboolean
engine_attempt_started (const ByokAttempt  *attempt,
                        guint               index,
                        gpointer            data,
                        GError            **error)
{
  EngineChat *chat = data;
  ByokEngine *self = chat->engine;
  g_autoptr(GError) local_error = NULL;
  ByokUsageRecord record;
  const char *owner;

  if (chat->closed)
    {
      g_set_error_literal (error, BYOK_ERROR, BYOK_ERROR_CANCELLED, _("Byok is closing."));
      return FALSE;
    }

  g_clear_pointer (&chat->attempt, byok_attempt_free);
  chat->attempt = byok_attempt_copy (attempt);
  chat->attempt_index = index;
  chat->attempt_start_us = g_get_monotonic_time ();
  chat->row_id = 0;
  chat->row_time_us = attempt->started_us;
  chat->output_estimate = 0;
  if (!self->record_calls)
    return TRUE;

  estimate_record (self, chat, BYOK_USAGE_STATUS_IN_FLIGHT, 0, &record);
  owner = lock_id (self, &local_error);
  if (owner != NULL)
    chat->row_id = byok_usage_store_begin_call (self->usage_store, &record, owner, &local_error);
  if (chat->row_id <= 0)
    {
      chat->row_id = 0;
      if (owner == NULL)
        /* Translators: %s says what failed and what to do */
        g_set_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE,
                     _("Not sent: Byok could not record the call. %s"), local_error->message);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* ByokChatHooks: an attempt ended; its row is completed (or written, for
 * one that failed before anything was sent). */
static void
engine_attempt_ended (ByokAttempt       *attempt,
                      guint              index,
                      gboolean           sent,
                      gpointer           data)
{
  EngineChat *chat = data;
  ByokEngine *self = chat->engine;
  ByokUsageRecord record = { 0, };
  g_autoptr(GError) error = NULL;
  AttemptCost cost;
  gint64 row_id = chat->row_id;
  gboolean ok;

  chat->row_id = 0;
  g_clear_pointer (&chat->attempt, byok_attempt_free);
  /* Closed: its row was completed then. Not sent for want of a row:
   * there is nothing to write it to. */
  if (chat->closed || !self->record_calls ||
      (!sent && g_error_matches (attempt->error, BYOK_ERROR, BYOK_ERROR_STORAGE)))
    return;

  price_attempt (self, attempt, &cost);
  record.time_us = row_id != 0 ? chat->row_time_us : attempt->started_us;
  record.provider = attempt->provider_id;
  record.model = attempt->model;
  record.conversation_id = chat->conversation_id;
  record.input_tokens = attempt->usage.input_tokens;
  record.output_tokens = attempt->usage.output_tokens;
  record.cached_input_tokens = attempt->usage.cached_input_tokens;
  record.cache_write_tokens = attempt->usage.cache_write_tokens;
  record.reasoning_tokens = attempt->usage.reasoning_tokens;
  record.price_known = cost.price_known && cost.cost_known;
  record.cost_usd = record.price_known ? cost.cost : 0;
  record.cache_savings_usd = cost.savings;
  record.latency_us = MAX (attempt->latency_us, 0);
  record.ttft_us = attempt->ttft_us;
  record.status = (char *) byok_error_get_status (attempt->error);
  record.http_status = (int) attempt->http_status;
  record.is_retry = attempt->is_retry;
  record.is_fallback = attempt->is_fallback;
  record.attempt = (int) index + 1;

  if (row_id != 0)
    {
      ok = byok_usage_store_finish_call (self->usage_store, row_id, &record, &error);
      record.id = row_id;
    }
  else
    {
      record.id = byok_usage_store_record (self->usage_store, &record, &error);
      ok = record.id > 0;
    }
  if (!ok)
    {
      g_warning ("Could not record the usage of a call to %s: %s", attempt->provider_id,
                 error != NULL ? error->message : "?");
      return;
    }
  attempt->usage_id = record.id;
  g_signal_emit (self, signals[USAGE_RECORDED], 0, &record);
}

static const ByokChatHooks engine_hooks = {
  engine_attempt_started,
  engine_attempt_ended,
};

/* What is known of a key from its history: the result of its last check
 * ("ok", "auth", …), or NULL when it was never checked since it was set. */
static char *
dup_last_check (ByokEngine *self,
                const char *provider_id,
                const char *account)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;

  events = byok_usage_store_list_key_events (self->usage_store, provider_id, 50, &error);
  if (events == NULL)
    {
      g_debug ("key history of %s: %s", provider_id, error->message);
      return NULL;
    }
  for (guint i = 0; i < events->len; i++)
    {
      const ByokKeyEventRecord *event = g_ptr_array_index (events, i);

      if (g_strcmp0 (event->account, account) != 0)
        continue;
      if (g_strcmp0 (event->event, "tested") == 0)
        return g_strdup (event->result != NULL ? event->result : "");
      return NULL;  /* added, replaced or deleted since */
    }
  return NULL;
}

/**
 * byok_engine_key_is_rejected:
 * @account: (nullable): the keyring account of the key; %NULL for the
 *   provider's environment key
 *
 * Returns: whether the last check of the key (a Check, `keys test`, or a
 *   chat) found it refused (AUTH), since it was last set
 */
gboolean
byok_engine_key_is_rejected (ByokEngine *self,
                             const char *provider_id,
                             const char *account)
{
  g_autofree char *last = NULL;

  g_return_val_if_fail (BYOK_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (provider_id != NULL, FALSE);

  last = dup_last_check (self, provider_id, account);
  return last != NULL && g_ascii_strcasecmp (last, "auth") == 0;
}

/* A chat says something of the key it used: an answer means the provider
 * takes it, AUTH that it refused it. When that differs from what its
 * history last said, it is recorded as a check of the key, and
 * "key-status-changed" tells whoever shows it. */
static void
note_key_outcomes (ByokEngine     *self,
                   ByokChatResult *result)
{
  for (guint i = 0; i < result->attempts->len; i++)
    {
      ByokAttempt *attempt = g_ptr_array_index (result->attempts, i);
      gboolean ok = attempt->error == NULL && attempt->http_status >= 200 && attempt->http_status < 300;
      const char *outcome;
      g_autofree char *last = NULL;

      if (!attempt->key_used)
        continue;
      if (ok)
        outcome = "ok";
      else if (g_error_matches (attempt->error, BYOK_ERROR, BYOK_ERROR_AUTH))
        outcome = byok_error_get_status (attempt->error);
      else
        continue;

      last = dup_last_check (self, attempt->provider_id, attempt->key_account);
      if (last != NULL && g_ascii_strcasecmp (last, outcome) == 0)
        continue;
      g_debug ("a chat says the key of %s is %s", attempt->provider_id, outcome);
      byok_key_store_record_event (self->key_store, attempt->provider_id, attempt->key_account,
                                   BYOK_KEY_EVENT_TESTED, outcome,
                                   ok ? NULL : attempt->error->message);
      g_signal_emit (self, signals[KEY_STATUS_CHANGED], 0, attempt->provider_id);
    }
}

static void
engine_chat_done (GObject      *source,
                  GAsyncResult *async,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ByokEngine *self = g_task_get_source_object (task);
  EngineChat *chat = g_task_get_task_data (task);
  ByokChatResult *result = byok_client_chat_finish (BYOK_CLIENT (source), async);

  /* Before the task returns: the engine may go with it. */
  if (g_hash_table_lookup (self->live, chat->request) == chat)
    g_hash_table_remove (self->live, chat->request);
  /* Every attempt was recorded as it ended. */
  note_key_outcomes (self, result);
  /* After the spending: tell of a threshold this call crossed. */
  check_budget (self, result->provider_id, NULL);
  g_task_return_pointer (task, result, (GDestroyNotify) byok_chat_result_unref);
}

/**
 * byok_engine_shutdown:
 *
 * The process is about to end (the app quits) with calls perhaps still
 * in flight: each one's usage row is completed now as interrupted, with
 * Byok's estimates — the prompt, and the text that arrived — since the
 * provider may bill it, and nothing more is recorded for them (their
 * callers still cancel them). Releases this process's lock. Calls made
 * afterwards work as before.
 */
void
byok_engine_shutdown (ByokEngine *self)
{
  GHashTableIter iter;
  EngineChat *chat;

  g_return_if_fail (BYOK_IS_ENGINE (self));

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &chat))
    {
      g_autoptr(GError) error = NULL;
      ByokUsageRecord record;

      if (chat->closed)
        continue;
      chat->closed = TRUE;
      if (chat->row_id == 0)
        continue;
      estimate_record (self, chat, BYOK_USAGE_STATUS_INTERRUPTED, chat->output_estimate, &record);
      record.latency_us = g_get_monotonic_time () - chat->attempt_start_us;
      if (!byok_usage_store_finish_call (self->usage_store, chat->row_id, &record, &error))
        g_warning ("Could not record a call cut off by closing Byok: %s", error->message);
      else
        {
          record.id = chat->row_id;
          g_signal_emit (self, signals[USAGE_RECORDED], 0, &record);
        }
      chat->row_id = 0;
    }
  g_clear_pointer (&self->lock, byok_process_lock_release);
}

/**
 * byok_engine_set_record_calls:
 * @record: %FALSE to send calls without writing them to the usage
 *   database (`byok-cli chat --no-record`)
 *
 * By default every attempt is written when it is sent, and one that
 * cannot be written is not sent (BYOK_ERROR_STORAGE).
 */
void
byok_engine_set_record_calls (ByokEngine *self,
                              gboolean    record)
{
  g_return_if_fail (BYOK_IS_ENGINE (self));
  self->record_calls = record;
}


/**
 * byok_engine_allow_over_budget_once:
 * @scope_or_provider: (nullable): a provider id; %NULL or
 *   BYOK_BUDGET_SCOPE_ALL for whichever provider is called next
 *
 * The user confirmed sending once despite a budget's hard stop (the
 * BYOK_ERROR_BUDGET of a call). The next byok_engine_chat_async() to that
 * provider — with "all", the next one to any provider, its fallbacks
 * included — is not stopped by any budget, the provider's own or the
 * overall one; the call after it is stopped again. The next such call uses
 * the confirmation up whether or not a budget would have stopped it. It is
 * kept in this engine only, never saved. Budget alerts fire as usual.
 */
void
byok_engine_allow_over_budget_once (ByokEngine *self,
                                    const char *scope_or_provider)
{
  g_return_if_fail (BYOK_IS_ENGINE (self));

  if (scope_or_provider == NULL || *scope_or_provider == '\0')
    scope_or_provider = BYOK_BUDGET_SCOPE_ALL;
  g_debug ("the next call to %s may go over budget", scope_or_provider);
  g_hash_table_add (self->over_budget_once, g_strdup (scope_or_provider));
}

/* The confirmation the call to @provider_id uses up: the provider's own,
 * else one for all providers; NULL when there is none. */
static char *
take_over_budget_once (ByokEngine *self,
                       const char *provider_id)
{
  const char *scopes[] = { provider_id, BYOK_BUDGET_SCOPE_ALL };

  for (guint i = 0; i < G_N_ELEMENTS (scopes); i++)
    if (g_hash_table_remove (self->over_budget_once, scopes[i]))
      return g_strdup (scopes[i]);
  return NULL;
}

/**
 * byok_engine_chat_async:
 * @request: what to ask; the engine's "delta" signals carry it
 * @provider_id: the provider to ask first
 * @model: (nullable): its model; %NULL for @request->model
 * @fallbacks: (nullable) (array zero-terminated=1): "PROVIDER/MODEL" pairs
 * @conversation_id: the conversation the usage rows belong to; 0 for none
 *
 * See byok_client_chat_async(); this adds budgets and usage records.
 */
void
byok_engine_chat_async (ByokEngine          *self,
                        ByokChatRequest     *request,
                        const char          *provider_id,
                        const char          *model,
                        const char * const  *fallbacks,
                        gint64               conversation_id,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) allowed = NULL;
  g_autofree char *confirmed = NULL;
  EngineChat *chat;

  g_return_if_fail (BYOK_IS_ENGINE (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (provider_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byok_engine_chat_async);
  g_task_set_check_cancellable (task, FALSE);

  chat = g_new0 (EngineChat, 1);
  chat->engine = self;
  chat->request = byok_chat_request_ref (request);
  chat->provider_id = g_strdup (provider_id);
  chat->model = g_strdup (model != NULL ? model : request->model);
  chat->conversation_id = conversation_id;
  chat->prompt_estimate = byok_estimate_request_tokens (request);
  g_task_set_task_data (task, chat, (GDestroyNotify) engine_chat_free);

  confirmed = take_over_budget_once (self, provider_id);
  if (!check_budget (self, provider_id, &error))
    {
      ByokChatResult *result;

      if (confirmed == NULL)
        {
          result = byok_chat_result_new (provider_id, chat->model);
          byok_chat_result_take_error (result, g_steal_pointer (&error));
          g_task_return_pointer (task, result, (GDestroyNotify) byok_chat_result_unref);
          return;
        }
      g_debug ("over budget, confirmed once for %s: %s", confirmed, error->message);
      g_clear_error (&error);
    }

  /* Fallbacks to a provider whose budget is stopped are left out, unless
   * the user confirmed this call for every provider. */
  allowed = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; fallbacks != NULL && fallbacks[i] != NULL; i++)
    {
      g_autofree char *fallback_provider = NULL;
      g_autofree char *fallback_model = NULL;
      g_autoptr(GError) fallback_error = NULL;

      if (byok_client_parse_target (self->client, fallbacks[i], &fallback_provider, &fallback_model, NULL) &&
          g_strcmp0 (fallback_provider, provider_id) != 0 &&
          g_strcmp0 (confirmed, BYOK_BUDGET_SCOPE_ALL) != 0 &&
          !check_budget (self, fallback_provider, &fallback_error))
        {
          g_debug ("leaving %s out of the fallbacks: %s", fallbacks[i], fallback_error->message);
          continue;
        }
      g_ptr_array_add (allowed, g_strdup (fallbacks[i]));
    }
  g_ptr_array_add (allowed, NULL);

  g_hash_table_replace (self->live, chat->request, chat);
  byok_client_chat_with_hooks_async (self->client, request, provider_id, chat->model,
                                     (const char * const *) allowed->pdata, &engine_hooks, chat,
                                     cancellable, engine_chat_done, g_steal_pointer (&task));
}

/**
 * byok_engine_chat_finish:
 *
 * Returns: (transfer full): the result, never %NULL; see
 *   byok_client_chat_finish(). A budget stop is a result with
 *   BYOK_ERROR_BUDGET and no attempts.
 */
ByokChatResult *
byok_engine_chat_finish (ByokEngine   *self,
                         GAsyncResult *result)
{
  g_return_val_if_fail (BYOK_IS_ENGINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), NULL);
}

/* The catalog's prices go in the history (a new Byok may change them), and
 * the last price update applied is in force again. */
static void
load_prices (ByokEngine *self)
{
  g_autoptr(GError) error = NULL;

  if (!byok_price_history_load (self->database, self->catalog, &error))
    g_warning ("Could not load the price history: %s", error->message);
}

/**
 * byok_engine_compare_prices:
 * @data: a price list
 * @source: where it comes from
 *
 * Returns: (transfer full): what applying @data would change
 */
ByokPriceUpdate *
byok_engine_compare_prices (ByokEngine    *self,
                            ByokPriceData *data,
                            const char    *source)
{
  g_return_val_if_fail (BYOK_IS_ENGINE (self), NULL);
  g_return_val_if_fail (BYOK_IS_PRICE_DATA (data), NULL);

  return byok_price_update_new (self->catalog, self->pricing, data, source);
}

/**
 * byok_engine_apply_price_update:
 *
 * Puts @update in force: kept in the database (history included), the
 * catalog's prices and models follow it, the person's own prices stay
 * over it. Calls already recorded keep their cost.
 *
 * Returns: FALSE with BYOK_ERROR_STORAGE when nothing was applied
 */
gboolean
byok_engine_apply_price_update (ByokEngine       *self,
                                ByokPriceUpdate  *update,
                                GError          **error)
{
  g_return_val_if_fail (BYOK_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (BYOK_IS_PRICE_UPDATE (update), FALSE);

  return byok_price_history_apply (self->database, self->catalog, self->pricing, update, error);
}

/* ---- object -------------------------------------------------------------- */

/**
 * byok_engine_reload_prices:
 *
 * Reads the user's price overrides from the database into the pricing
 * again (byok_price_overrides_load()).
 */
gboolean
byok_engine_reload_prices (ByokEngine  *self,
                           GError     **error)
{
  g_return_val_if_fail (BYOK_IS_ENGINE (self), FALSE);

  return byok_price_overrides_load (self->usage_store, self->pricing, error);
}

static void
byok_engine_dispose (GObject *object)
{
  ByokEngine *self = BYOK_ENGINE (object);

  if (self->live != NULL)
    byok_engine_shutdown (self);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  if (self->catalog != NULL)
    g_signal_handlers_disconnect_by_data (self->catalog, self);
  if (self->key_store != NULL)
    byok_key_store_set_event_sink (self->key_store, NULL, NULL, NULL);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);
  g_clear_object (&self->pricing);
  g_clear_object (&self->usage_store);
  g_clear_object (&self->database);
  g_clear_object (&self->key_store);
  g_clear_object (&self->catalog);

  G_OBJECT_CLASS (byok_engine_parent_class)->dispose (object);
}

static void
byok_engine_finalize (GObject *object)
{
  ByokEngine *self = BYOK_ENGINE (object);

  g_clear_pointer (&self->over_budget_once, g_hash_table_unref);
  g_clear_pointer (&self->live, g_hash_table_unref);
  g_clear_pointer (&self->lock_dir, g_free);

  G_OBJECT_CLASS (byok_engine_parent_class)->finalize (object);
}

static void
byok_engine_class_init (ByokEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = byok_engine_dispose;
  object_class->finalize = byok_engine_finalize;

  /**
   * ByokEngine::delta:
   * @request: the request of the call
   * @text: the text that just arrived
   */
  signals[DELTA] =
    g_signal_new ("delta", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  BYOK_TYPE_CHAT_REQUEST | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * ByokEngine::reasoning-delta:
   * @request: the request of the call
   * @text: the reasoning text that just arrived
   */
  signals[REASONING_DELTA] =
    g_signal_new ("reasoning-delta", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  BYOK_TYPE_CHAT_REQUEST | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * ByokEngine::retrying:
   * @request: the request of the call
   * @notice: (type gpointer): the client's ByokRetryNotice
   */
  signals[RETRYING] =
    g_signal_new ("retrying", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  BYOK_TYPE_CHAT_REQUEST | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_POINTER);
  /**
   * ByokEngine::budget-alert:
   * @scope: "all" or a provider id
   * @percent: 50, 80 or 100
   *
   * Spending this month reached @percent of the budget of @scope; emitted
   * once per threshold and month.
   */
  signals[BUDGET_ALERT] =
    g_signal_new ("budget-alert", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);
  /**
   * ByokEngine::usage-recorded:
   * @record: the usage row just written (with its id)
   *
   * One attempt of a chat was recorded: the dashboard may refresh.
   */
  signals[USAGE_RECORDED] =
    g_signal_new ("usage-recorded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, BYOK_TYPE_USAGE_RECORD | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * ByokEngine::key-status-changed:
   * @provider_id: the provider whose key a chat found working or refused
   *
   * A chat's answer (or its AUTH error) said something new of a key and
   * was recorded in the key's history as a check.
   */
  signals[KEY_STATUS_CHANGED] =
    g_signal_new ("key-status-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
byok_engine_init (ByokEngine *self)
{
  self->over_budget_once = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->live = g_hash_table_new (NULL, NULL);
  self->record_calls = TRUE;
}

/**
 * byok_engine_new:
 * @db_path: (nullable): the database file; %NULL for the user's
 *   (`$XDG_DATA_HOME/byok/byok.db`)
 *
 * Returns: (transfer full): the engine, or %NULL with BYOK_ERROR_STORAGE
 *   when the database cannot be opened
 */
ByokEngine *
byok_engine_new (const char  *db_path,
                 GError     **error)
{
  g_autoptr(ByokEngine) self = g_object_new (BYOK_TYPE_ENGINE, NULL);
  g_autofree char *default_path = NULL;
  g_autoptr(GError) local_error = NULL;

  if (db_path == NULL)
    db_path = default_path = byok_database_get_default_path ();

  self->database = byok_database_open (db_path, error);
  if (self->database == NULL)
    return NULL;
  self->usage_store = byok_usage_store_new (self->database);
  self->lock_dir = byok_database_dup_lock_dir (self->database);

  self->catalog = byok_catalog_new_default ();
  load_prices (self);
  self->key_store = byok_key_store_new ();
  /* Registers every catalog provider, with its environment variables. */
  self->client = byok_client_new (self->catalog, self->key_store);
  byok_key_store_set_event_sink (self->key_store, record_key_event, self, NULL);
  g_signal_connect (self->client, "delta", G_CALLBACK (forward_delta), self);
  g_signal_connect (self->client, "reasoning-delta", G_CALLBACK (forward_reasoning_delta), self);
  g_signal_connect (self->client, "retrying", G_CALLBACK (forward_retrying), self);

  self->pricing = byok_pricing_new (self->catalog);
  if (!byok_price_overrides_load (self->usage_store, self->pricing, &local_error))
    {
      g_warning ("Could not load your prices: %s", local_error->message);
      g_clear_error (&local_error);
    }
  if (byok_usage_store_interrupt_dead_calls (self->usage_store, &local_error) == 0 && local_error != NULL)
    {
      g_warning ("Could not look for interrupted calls: %s", local_error->message);
      g_clear_error (&local_error);
    }

  self->settings = byok_provider_settings_new (self->database);
  if (!byok_provider_settings_apply (self->settings, self->catalog, self->key_store, &local_error))
    {
      g_warning ("Could not apply the provider settings: %s", local_error->message);
      g_clear_error (&local_error);
    }
  apply_base_url_environment (self);
  g_signal_connect_swapped (self->catalog, "changed", G_CALLBACK (apply_base_url_environment), self);

  return g_steal_pointer (&self);
}

ByokCatalog *
byok_engine_get_catalog (ByokEngine *self)
{
  g_return_val_if_fail (BYOK_IS_ENGINE (self), NULL);
  return self->catalog;
}

ByokKeyStore *
byok_engine_get_key_store (ByokEngine *self)
{
  g_return_val_if_fail (BYOK_IS_ENGINE (self), NULL);
  return self->key_store;
}

ByokDatabase *
byok_engine_get_database (ByokEngine *self)
{
  g_return_val_if_fail (BYOK_IS_ENGINE (self), NULL);
  return self->database;
}

ByokUsageStore *
byok_engine_get_usage_store (ByokEngine *self)
{
  g_return_val_if_fail (BYOK_IS_ENGINE (self), NULL);
  return self->usage_store;
}

ByokPricing *
byok_engine_get_pricing (ByokEngine *self)
{
  g_return_val_if_fail (BYOK_IS_ENGINE (self), NULL);
  return self->pricing;
}

ByokProviderSettings *
byok_engine_get_provider_settings (ByokEngine *self)
{
  g_return_val_if_fail (BYOK_IS_ENGINE (self), NULL);
  return self->settings;
}

ByokClient *
byok_engine_get_client (ByokEngine *self)
{
  g_return_val_if_fail (BYOK_IS_ENGINE (self), NULL);
  return self->client;
}
