/* byok-router.h — how big a prompt is, and which model should take it
 *
 * Token counts before sending are estimates: Byok ships no tokenizer (each
 * provider has its own), so it counts the way those tokenizers behave on
 * average — about four characters of Latin text per token, about one token
 * per CJK character, two characters of other scripts per token — and rounds
 * up, so
 * an estimate errs on the large side. The exact count arrives with the
 * answer and is what is recorded and charged.
 *
 * The router ranks the models of the providers the user can call by the
 * estimated cost of a prompt: only models whose context window is known and
 * holds the prompt plus room for the answer, whose price is known, that
 * have the capabilities asked for and are not past their deprecation date.
 * "Auto" in the Chat page is the first of that ranking. Images and PDFs
 * (byok-media) are counted by each model's own rule, and a model that
 * cannot read them is left out of the ranking and the fallbacks.
 */
#pragma once

#include "byok-catalog.h"
#include "byok-chat-request.h"
#include "byok-media.h"
#include "byok-model.h"
#include "byok-pricing.h"
#include "byok-tokens.h"

G_BEGIN_DECLS

/* The provider and model id a conversation stores for "Auto". */
#define BYOK_ROUTER_AUTO "auto"

/* The tokens an answer is assumed to take when ranking by cost, and the
 * room left for it when checking a context window, unless the
 * conversation sets max output tokens. */
#define BYOK_ROUTER_ANSWER_TOKENS 1024

/* Tokens one message costs beyond its text (role, separators). */
#define BYOK_ROUTER_MESSAGE_OVERHEAD 4

typedef struct {
  char   *provider_id;
  char   *model_id;
  gint64  context_window;
  double  cost;           /* USD for the prompt and an assumed answer */
  double  prompt_cost;    /* USD for the prompt alone */
} ByokRoute;

#define BYOK_TYPE_ROUTE (byok_route_get_type ())

GType       byok_route_get_type              (void) G_GNUC_CONST;
ByokRoute  *byok_route_copy                  (const ByokRoute *route);
void        byok_route_free                  (ByokRoute       *route);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokRoute, byok_route_free)

gint64      byok_estimate_request_tokens     (const ByokChatRequest *request);
ByokModelCapabilities
            byok_router_needed_capabilities  (const ByokChatRequest *request);
gint64      byok_estimate_request_tokens_for_model
                                             (const ByokChatRequest *request,
                                              ByokModel             *model);
gint64      byok_estimate_request_text_tokens (const ByokChatRequest *request);

gint64      byok_router_answer_reserve       (ByokModel       *model,
                                              gint64           max_output_tokens);
gboolean    byok_router_fits                 (ByokModel       *model,
                                              gint64           prompt_tokens,
                                              gint64           max_output_tokens);
gboolean    byok_router_prompt_cost          (ByokPricing     *pricing,
                                              const char      *provider_id,
                                              const char      *model_id,
                                              gint64           prompt_tokens,
                                              gint64           answer_tokens,
                                              double          *cost);

GPtrArray  *byok_router_rank                 (ByokCatalog           *catalog,
                                              ByokPricing           *pricing,
                                              const char * const    *provider_ids,
                                              gint64                 prompt_tokens,
                                              gint64                 max_output_tokens,
                                              ByokModelCapabilities  needed);
GStrv       byok_router_fallbacks            (ByokCatalog           *catalog,
                                              const char * const    *chain,
                                              const char * const    *provider_ids,
                                              const char            *provider_id,
                                              const char            *model_id,
                                              gint64                 prompt_tokens,
                                              gint64                 max_output_tokens);

GPtrArray  *byok_router_rank_media           (ByokCatalog           *catalog,
                                              ByokPricing           *pricing,
                                              const char * const    *provider_ids,
                                              gint64                 text_tokens,
                                              GPtrArray             *media,
                                              gint64                 max_output_tokens,
                                              ByokModelCapabilities  needed);
GStrv       byok_router_fallbacks_media      (ByokCatalog           *catalog,
                                              const char * const    *chain,
                                              const char * const    *provider_ids,
                                              const char            *provider_id,
                                              const char            *model_id,
                                              gint64                 text_tokens,
                                              GPtrArray             *media,
                                              gint64                 max_output_tokens);

G_END_DECLS
