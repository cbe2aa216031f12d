/* byok-engine.h — the core as the app and byok-cli use it
 *
 * One object that owns the pieces and wires them together: the catalog, the
 * key store (every provider registered, its key events written to the
 * database), the database with its usage store, the pricing (the user's
 * price overrides loaded), the provider settings (applied at start) and the
 * client.
 *
 * A chat through the engine (byok_engine_new_chat(), a ByokChatCall)
 * honours budgets and records every attempt:
 *   1. the budgets of the provider (and the overall one) are checked: a hard
 *      stop fails the call with BYOK_ERROR_BUDGET before anything is sent
 *      (unless the user confirmed this one call with
 *      byok_engine_allow_over_budget_once());
 *      fallbacks whose provider is stopped are left out of the chain;
 *   2. the call runs (byok_chat_call_run_async()); its own "delta",
 *      "reasoning-delta", "retrying" and "attempt" signals tell whoever
 *      started it, and no one else;
 *   3. every attempt — successes and failures, retries and fallbacks — is
 *      one usage row, written when its request is sent (status in_flight,
 *      with Byok's estimate of the prompt) and completed when it ends,
 *      priced at the price in force (an unknown price is recorded as
 *      unknown, never as $0), with its cache savings. That price is the
 *      attempt's cost_usd, and their sum the result's: the one place a
 *      call is priced (the chat page, Compare and byok-cli show the
 *      result's cost); an attempt whose row cannot be written is not
 *      sent (BYOK_ERROR_STORAGE), unless byok_engine_set_record_calls()
 *      turned recording off. Rows left in
 *      flight by a Byok that died become interrupted when an engine
 *      starts (byok-process-lock.h tells a dead process from a live one);
 *      byok_engine_shutdown() ends this process's calls that way;
 *   4. the budgets are checked again; a crossed 50/80/100 % threshold is
 *      reported once through "budget-alert";
 *   5. what the call said of the key it used (answered: it works; AUTH:
 *      refused) goes to the key's history as a check when it differs from
 *      the last one, and "key-status-changed" tells the Providers page.
 */
#pragma once

#include <gio/gio.h>

#include "byok-usage-store.h"

#include "byok-catalog.h"
#include "byok-chat-call.h"
#include "byok-chat-request.h"
#include "byok-chat-result.h"
#include "byok-client.h"
#include "byok-database.h"
#include "byok-key-store.h"
#include "byok-price-update.h"
#include "byok-pricing.h"
#include "byok-provider-settings.h"

G_BEGIN_DECLS

#define BYOK_TYPE_ENGINE (byok_engine_get_type ())
G_DECLARE_FINAL_TYPE (ByokEngine, byok_engine, BYOK, ENGINE, GObject)

ByokEngine           *byok_engine_new                  (const char          *db_path,
                                                        GError             **error);

/* The engine opened in two halves: its data (the database, the catalog,
 * the price history) in a thread of its own, the rest where it is used. */
typedef struct _ByokEngineOpening ByokEngineOpening;

ByokEngineOpening    *byok_engine_open_in_thread       (const char          *db_path);

/* What an opening may leave for later (byok_engine_open_in_thread_full()) */
typedef enum {
  BYOK_ENGINE_OPEN_DEFAULT          = 0,
  BYOK_ENGINE_OPEN_NO_PRICE_HISTORY = 1 << 0,  /* read when a price is first asked for */
  BYOK_ENGINE_OPEN_CATALOG_APART    = 1 << 1,  /* the catalog read in a thread of its own */
  BYOK_ENGINE_OPEN_PROVIDERS_ONLY   = 1 << 2,  /* the catalog's providers, none of its models */
} ByokEngineOpenFlags;

ByokEngineOpening    *byok_engine_open_in_thread_full  (const char          *db_path,
                                                        ByokEngineOpenFlags  flags);
ByokEngine           *byok_engine_open_finish          (ByokEngineOpening   *opening,
                                                        GError             **error);

ByokCatalog          *byok_engine_get_catalog          (ByokEngine          *self);
ByokKeyStore         *byok_engine_get_key_store        (ByokEngine          *self);
ByokDatabase         *byok_engine_get_database         (ByokEngine          *self);
ByokUsageStore       *byok_engine_get_usage_store      (ByokEngine          *self);
ByokPricing          *byok_engine_get_pricing          (ByokEngine          *self);
ByokProviderSettings *byok_engine_get_provider_settings (ByokEngine         *self);
ByokClient           *byok_engine_get_client           (ByokEngine          *self);

ByokPriceUpdate      *byok_engine_compare_prices       (ByokEngine          *self,
                                                        ByokPriceData       *data,
                                                        const char          *source);
gboolean              byok_engine_apply_price_update   (ByokEngine          *self,
                                                        ByokPriceUpdate     *update,
                                                        GError             **error);
gboolean              byok_engine_reload_prices        (ByokEngine          *self,
                                                        GError             **error);

void                  byok_engine_set_record_calls     (ByokEngine          *self,
                                                        gboolean             record);
void                  byok_engine_shutdown             (ByokEngine          *self);

gboolean              byok_engine_key_is_rejected      (ByokEngine          *self,
                                                        const char          *provider_id,
                                                        const char          *account);
void                  byok_engine_allow_over_budget_once (ByokEngine        *self,
                                                          const char        *scope_or_provider);

ByokChatCall         *byok_engine_new_chat             (ByokEngine          *self,
                                                        ByokChatRequest     *request,
                                                        const char          *provider_id,
                                                        const char          *model,
                                                        const char * const  *fallbacks,
                                                        gint64               conversation_id);

double                byok_engine_cost_of              (ByokEngine          *self,
                                                        const char          *provider_id,
                                                        const char          *model,
                                                        const ByokUsage     *usage,
                                                        gboolean            *known);

G_END_DECLS
