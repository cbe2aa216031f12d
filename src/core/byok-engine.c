/* byok-engine.c — the core as the app and byok-cli use it */
#define G_LOG_DOMAIN "byok-engine"

#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "byok-chat-call-private.h"
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
  gboolean              prices_loaded;      /* the price history read (load_prices()) */
  char                 *lock_dir;           /* NULL: an in-memory database */
  ByokProcessLock      *lock;
  GHashTable           *live;               /* set of EngineChat*: the calls under way */
};

G_DEFINE_FINAL_TYPE (ByokEngine, byok_engine, G_TYPE_OBJECT)

enum {
  BUDGET_ALERT,
  USAGE_RECORDED,
  KEY_STATUS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- wiring -------------------------------------------------------------- */

typedef struct _EngineChat EngineChat;

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
  if ((!usage->reported && !usage->estimated) || !known)
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

/* The catalog's prices go in the history (a new Byok may change them), and
 * the last price update applied is in force again. */
static void
load_prices (ByokEngine *self)
{
  g_autoptr(GError) error = NULL;

  self->prices_loaded = TRUE;
  if (!byok_price_history_load (self->database, self->catalog, &error))
    g_warning ("Could not load the price history: %s", error->message);
}

/* An engine opened with BYOK_ENGINE_OPEN_NO_PRICE_HISTORY reads it when a
 * price is first asked for. */
static void
ensure_prices (ByokEngine *self)
{
  if (!self->prices_loaded)
    load_prices (self);
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

  ensure_prices (self);

  ok = byok_pricing_cost (self->pricing, provider_id, model, usage->input_tokens,
                          usage->cached_input_tokens, usage->cache_write_tokens,
                          usage->output_tokens, &cost);
  if (known != NULL)
    *known = ok;
  return ok ? cost : NAN;
}

/* ---- chat ---------------------------------------------------------------- */

/* What the engine keeps of a call: its hooks' data, the call's own. */
struct _EngineChat {
  ByokEngine      *engine;
  char            *provider_id;
  char            *model;
  gint64           conversation_id;
  gint64           prompt_estimate;   /* tokens, Byok's count */
  gboolean         over_budget_ok;    /* the person confirmed this call over a hard stop */

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
  g_hash_table_remove (chat->engine->live, chat);
  g_clear_object (&chat->engine);
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

/* "delta" and "reasoning-delta" of a call: what a call cut off by closing
 * Byok is recorded with. */
static void
count_output (ByokChatCall *call,
              const char   *text,
              EngineChat   *chat)
{
  /* Per slice: a slice is about a token, so rounding each up errs little. */
  if (chat->row_id != 0)
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

/* An answer that came without a usage report (some OpenAI-compatible
 * servers send none, or drop it from a stream) was still billed: its
 * tokens are Byok's estimate, priced like reported ones and marked
 * estimated, rather than 0 tokens at an unknown cost. The call's usage
 * says so too, for the caption under the answer. */
static void
estimate_usage (ByokChatCall *call,
                EngineChat   *chat,
                ByokAttempt  *attempt)
{
  ByokChatResult *result = byok_chat_call_get_result (call);
  ByokUsage *usage = &attempt->usage;
  const char *text, *reasoning;
  gsize text_len, reasoning_len;

  if (usage->reported || attempt->error != NULL ||
      attempt->http_status < 200 || attempt->http_status >= 300)
    return;

  /* This step's answer only: a tool loop's result holds every step's. */
  _byok_chat_call_get_step_output (call, &text, &text_len, &reasoning, &reasoning_len);
  byok_usage_clear (usage);
  usage->input_tokens = chat->prompt_estimate;
  usage->output_tokens = byok_estimate_tokens (text, (gssize) text_len) +
                         byok_estimate_tokens (reasoning, (gssize) reasoning_len);
  usage->reasoning_tokens = byok_estimate_tokens (reasoning, (gssize) reasoning_len);
  usage->estimated = TRUE;
  if (result != NULL)
    result->usage = *usage;
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

/* ByokChatCallHooks: an attempt is about to be sent. Its row is written
 * first; a call that cannot be recorded is not sent. */
static gboolean
engine_attempt_started (ByokChatCall       *call,
                        const ByokAttempt  *attempt,
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
  /* A tool loop's later steps spend again: a hard stop its earlier steps
   * crossed ends it there, the answer so far kept. */
  if (_byok_chat_call_get_step_request (call) != byok_chat_call_get_request (call) && !chat->over_budget_ok &&
      !check_budget (self, attempt->provider_id, error))
    return FALSE;

  g_clear_pointer (&chat->attempt, byok_attempt_free);
  chat->attempt = byok_attempt_copy (attempt);
  chat->attempt_index = index;
  chat->attempt_start_us = g_get_monotonic_time ();
  chat->row_id = 0;
  chat->row_time_us = attempt->started_us;
  chat->output_estimate = 0;
  /* A tool loop's later steps send more: the answers and tool results. */
  chat->prompt_estimate = byok_estimate_request_tokens (_byok_chat_call_get_step_request (call));
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

/* ByokChatCallHooks: an attempt ended. It is priced — the one place a
 * call's cost is worked out — and its row is completed (or written, for
 * one that failed before anything was sent). */
static void
engine_attempt_ended (ByokChatCall      *call,
                      ByokAttempt       *attempt,
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
  estimate_usage (call, chat, attempt);
  price_attempt (self, attempt, &cost);
  attempt->cost_known = cost.cost_known;
  attempt->cost_usd = cost.cost;
  /* Closed: its row was completed then. Not sent for want of a row:
   * there is nothing to write it to; nor for a budget (a tool loop's
   * step stopped): nothing was spent. */
  if (chat->closed || !self->record_calls ||
      (!sent && (g_error_matches (attempt->error, BYOK_ERROR, BYOK_ERROR_STORAGE) ||
                 g_error_matches (attempt->error, BYOK_ERROR, BYOK_ERROR_BUDGET))))
    return;

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
  record.estimated = attempt->usage.estimated;
  record.cost_reported = attempt->usage.cost_reported;
  record.reported_cost_usd = attempt->usage.reported_cost_usd;

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

static void engine_chat_finished (ByokChatCall   *call,
                                  ByokChatResult *result,
                                  gpointer        data);

static const ByokChatCallHooks engine_hooks = {
  engine_attempt_started,
  engine_attempt_ended,
  engine_chat_finished,
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

/* ByokChatCallHooks: the call ended, before its caller hears of it. */
static void
engine_chat_finished (ByokChatCall   *call,
                      ByokChatResult *result,
                      gpointer        data)
{
  EngineChat *chat = data;
  ByokEngine *self = chat->engine;

  g_hash_table_remove (self->live, chat);
  /* Every attempt was recorded as it ended. */
  note_key_outcomes (self, result);
  /* After the spending: tell of a threshold this call crossed. */
  check_budget (self, result->provider_id, NULL);
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
 * BYOK_ERROR_BUDGET of a call). The next byok_engine_new_chat() to that
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
 * byok_engine_new_chat:
 * @request: what to ask
 * @provider_id: the provider to ask first
 * @model: (nullable): its model; %NULL for @request->model
 * @fallbacks: (nullable) (array zero-terminated=1): "PROVIDER/MODEL" pairs
 * @conversation_id: the conversation the usage rows belong to; 0 for none
 *
 * A chat call with budgets and usage records (see byok-engine.h): connect
 * to its signals, then byok_chat_call_run_async(). The budgets are checked
 * now: a hard stop makes a call that sends nothing and returns
 * BYOK_ERROR_BUDGET with no attempts. Each attempt is recorded and priced
 * as it ends; the result carries the call's cost.
 *
 * Returns: (transfer full): the call, not started
 */
ByokChatCall *
byok_engine_new_chat (ByokEngine         *self,
                      ByokChatRequest    *request,
                      const char         *provider_id,
                      const char         *model,
                      const char * const *fallbacks,
                      gint64              conversation_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) allowed = NULL;
  g_autofree char *confirmed = NULL;
  ByokChatCall *call;
  EngineChat *chat;

  g_return_val_if_fail (BYOK_IS_ENGINE (self), NULL);
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (provider_id != NULL, NULL);

  ensure_prices (self);

  confirmed = take_over_budget_once (self, provider_id);
  if (!check_budget (self, provider_id, &error))
    {
      if (confirmed == NULL)
        return _byok_chat_call_new_failed (request, provider_id, model, g_steal_pointer (&error));
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

  call = byok_client_new_chat (self->client, request, provider_id, model,
                               (const char * const *) allowed->pdata);

  chat = g_new0 (EngineChat, 1);
  chat->engine = g_object_ref (self);
  chat->provider_id = g_strdup (provider_id);
  chat->model = g_strdup (byok_chat_call_get_model (call));
  chat->conversation_id = conversation_id;
  /* Images and PDFs by the rule of the model asked. */
  chat->prompt_estimate =
    byok_estimate_request_tokens_for_model (request, byok_catalog_lookup_model (self->catalog, provider_id,
                                                                                 chat->model));
  chat->over_budget_ok = confirmed != NULL;
  g_hash_table_add (self->live, chat);
  g_signal_connect (call, "delta", G_CALLBACK (count_output), chat);
  g_signal_connect (call, "reasoning-delta", G_CALLBACK (count_output), chat);
  _byok_chat_call_set_hooks (call, &engine_hooks, chat, (GDestroyNotify) engine_chat_free);
  return call;
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

  ensure_prices (self);

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

  ensure_prices (self);

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

  ensure_prices (self);

  return byok_price_overrides_load (self->usage_store, self->pricing, error);
}

static void
byok_engine_dispose (GObject *object)
{
  ByokEngine *self = BYOK_ENGINE (object);

  if (self->live != NULL)
    byok_engine_shutdown (self);
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

/* The half of opening that touches neither the keyring nor the HTTP
 * session nor any main context: the database (and the calls a dead Byok
 * left in flight marked interrupted), the catalog (with
 * BYOK_ENGINE_OPEN_CATALOG_APART read in a thread of its own while the
 * database opens; with BYOK_ENGINE_OPEN_PROVIDERS_ONLY its providers
 * alone, after the database) and the price history.
 * byok_engine_open_in_thread() runs it in a thread of its own: the app's,
 * beside GTK's start, which a third thread would only slow on two cores,
 * takes the catalog in that same thread. */
static gboolean
open_data (ByokEngine           *self,
           const char           *db_path,
           ByokEngineOpenFlags   flags,
           GError              **error)
{
  g_autofree char *default_path = NULL;
  gboolean providers_only = (flags & BYOK_ENGINE_OPEN_PROVIDERS_ONLY) != 0;
  GThread *catalog_thread = (flags & BYOK_ENGINE_OPEN_CATALOG_APART) && !providers_only
                            ? byok_catalog_new_default_in_thread () : NULL;

  if (db_path == NULL)
    db_path = default_path = byok_database_get_default_path ();

  self->database = byok_database_open (db_path, error);
  if (self->database != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      self->usage_store = byok_usage_store_new (self->database);
      self->lock_dir = byok_database_dup_lock_dir (self->database);
      /* While the catalog is still being read. */
      if (byok_usage_store_interrupt_dead_calls (self->usage_store, &local_error) == 0 && local_error != NULL)
        g_warning ("Could not look for interrupted calls: %s", local_error->message);
    }
  /* Read apart, the catalog is joined either way; else it is read only
   * for a database that opened (a failure is told at once). */
  if (catalog_thread != NULL)
    self->catalog = g_thread_join (catalog_thread);
  if (self->database == NULL)
    return FALSE;
  if (self->catalog == NULL)
    self->catalog = providers_only ? byok_catalog_new_default_providers () : byok_catalog_new_default ();

  if (!(flags & (BYOK_ENGINE_OPEN_NO_PRICE_HISTORY | BYOK_ENGINE_OPEN_PROVIDERS_ONLY)))
    load_prices (self);
  return TRUE;
}

/* The other half, in the thread that uses the engine: the key store and
 * the client (a SoupSession belongs to the thread that made it), the
 * prices in force, the provider settings. */
static void
open_rest (ByokEngine *self)
{
  g_autoptr(GError) local_error = NULL;

  self->key_store = byok_key_store_new ();
  /* Registers every catalog provider, with its environment variables. */
  self->client = byok_client_new (self->catalog, self->key_store);
  byok_key_store_set_event_sink (self->key_store, record_key_event, self, NULL);

  self->pricing = byok_pricing_new (self->catalog);
  if (!byok_price_overrides_load (self->usage_store, self->pricing, &local_error))
    {
      g_warning ("Could not load your prices: %s", local_error->message);
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

  if (!open_data (self, db_path, BYOK_ENGINE_OPEN_CATALOG_APART, error))
    return NULL;
  open_rest (self);
  return g_steal_pointer (&self);
}

struct _ByokEngineOpening
{
  GThread    *thread;
  char       *db_path;
  ByokEngineOpenFlags flags;
  ByokEngine *engine;   /* set by the thread */
  GError     *error;    /* likewise */
};

static gpointer
open_data_thread (gpointer data)
{
  ByokEngineOpening *opening = data;

  opening->engine = g_object_new (BYOK_TYPE_ENGINE, NULL);
  if (!open_data (opening->engine, opening->db_path, opening->flags, &opening->error))
    g_clear_object (&opening->engine);
  return NULL;
}

/**
 * byok_engine_open_in_thread:
 * @db_path: (nullable): as for byok_engine_new()
 *
 * Starts opening the engine: the database (created on a first start), the
 * catalog and the price history are read in a thread of its own, while the
 * caller goes on (the app: the toolkit's start); byok_engine_open_finish()
 * waits for them and makes the rest. Together they do what
 * byok_engine_new() does.
 *
 * Returns: (transfer full): what byok_engine_open_finish() takes
 */
ByokEngineOpening *
byok_engine_open_in_thread (const char *db_path)
{
  return byok_engine_open_in_thread_full (db_path, BYOK_ENGINE_OPEN_DEFAULT);
}

/**
 * byok_engine_open_in_thread_full:
 * @db_path: (nullable): as for byok_engine_new()
 * @flags: what the opening may leave for later
 *
 * byok_engine_open_in_thread() for a caller that needs less of the engine
 * at first: with %BYOK_ENGINE_OPEN_NO_PRICE_HISTORY (byok-cli's listings
 * of providers and keys, which show no price) the price history is read
 * when a price is first asked of the engine (a chat, a cost, its pricing,
 * a price update) instead of while it opens; until then the catalog has
 * its shipped prices, without the last price update applied. With
 * %BYOK_ENGINE_OPEN_CATALOG_APART the catalog is read in a thread of its
 * own while the database opens (byok_engine_new() always does so). With
 * %BYOK_ENGINE_OPEN_PROVIDERS_ONLY (byok-cli's listings of providers and
 * keys, which show no model) the catalog is
 * byok_catalog_new_default_providers(), without the models (nor the price
 * history, as with %BYOK_ENGINE_OPEN_NO_PRICE_HISTORY): such an engine
 * knows no model, it is for showing providers and keys, not for a chat.
 *
 * Returns: (transfer full): what byok_engine_open_finish() takes
 */
ByokEngineOpening *
byok_engine_open_in_thread_full (const char          *db_path,
                                 ByokEngineOpenFlags  flags)
{
  ByokEngineOpening *opening = g_new0 (ByokEngineOpening, 1);

  opening->db_path = g_strdup (db_path);
  opening->flags = flags;
  opening->thread = g_thread_new ("byok-engine-open", open_data_thread, opening);
  return opening;
}

/**
 * byok_engine_open_finish:
 * @opening: (transfer full): from byok_engine_open_in_thread()
 *
 * Waits for the engine's data, then makes the rest of it (the key store,
 * the client, the prices in force) in the calling thread, the one that
 * will use the engine.
 *
 * Returns: (transfer full): the engine, or %NULL as byok_engine_new()
 */
ByokEngine *
byok_engine_open_finish (ByokEngineOpening  *opening,
                         GError            **error)
{
  ByokEngine *self;

  g_return_val_if_fail (opening != NULL, NULL);

  g_thread_join (opening->thread);
  self = g_steal_pointer (&opening->engine);
  if (self == NULL)
    g_propagate_error (error, g_steal_pointer (&opening->error));
  else
    open_rest (self);
  g_free (opening->db_path);
  g_free (opening);
  return self;
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
  ensure_prices (self);
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
