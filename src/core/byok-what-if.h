/* byok-what-if.h — what a period's usage would have cost on other models
 *
 * The usage of a period (its per-model token totals, the by_model groups of
 * a ByokUsageReport) is repriced on every model whose price is known — the
 * catalog's or the user's override — and compared with what the calls
 * actually cost when they were made.
 *
 * Rules:
 * - Only groups whose every call had a known price are repriced, so the
 *   comparison is like for like; the calls left out are counted.
 * - A candidate's tier (prices above a prompt size) is chosen per group by
 *   the group's average prompt (input tokens per successful call), since the
 *   totals do not say how each call's prompt was split.
 * - A missing cached-input or cache-write price is charged at the input
 *   price (byok_price_cost()'s fallbacks): a model without a cache discount
 *   is not flattered.
 * - Local providers (Ollama) are not candidates: their $0 says nothing about
 *   what running them costs.
 * - A model whose context window is smaller than the period's largest single
 *   prompt is flagged (too_small), not dropped.
 */
#pragma once

#include <gio/gio.h>

#include "byok-database.h"
#include "byok-pricing.h"

G_BEGIN_DECLS

typedef struct {
  char     *provider;
  char     *model;
  char     *name;               /* the catalog's display name, else the id */
  gint64    context_window;     /* 0: unknown */
  double    cost_usd;           /* the period's usage at this model's price */
  double    delta_usd;          /* cost_usd − actual_usd: negative saves */
  double    delta_ratio;        /* delta_usd / actual_usd; NAN when nothing was paid */
  gboolean  is_used;            /* one of the models the period used */
  gboolean  is_override;        /* priced with the user's override */
  gboolean  too_small;          /* context window < the largest prompt */
} ByokWhatIfRow;

typedef struct {
  guint64    calls;             /* calls repriced */
  guint64    input_tokens;      /* their totals (input includes cached) */
  guint64    cached_input_tokens;
  guint64    cache_write_tokens;
  guint64    output_tokens;
  double     actual_usd;        /* what those calls cost when made */
  guint64    unpriced_calls;    /* calls left out: their price was unknown */
  gint64     largest_prompt;    /* input tokens of the largest single call; 0: unknown */
  GPtrArray *rows;              /* ByokWhatIfRow, cheapest first */
} ByokWhatIf;

void        byok_what_if_free                  (ByokWhatIf      *what_if);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokWhatIf, byok_what_if_free)

ByokWhatIf *byok_what_if_compute               (ByokPricing     *pricing,
                                                GPtrArray       *by_model,
                                                gint64           largest_prompt);

const ByokWhatIfRow *byok_what_if_find         (ByokWhatIf      *what_if,
                                                const char      *provider,
                                                const char      *model);

gint64      byok_what_if_largest_prompt        (ByokDatabase    *database,
                                                gint64           from_us,
                                                gint64           to_us,
                                                GError         **error);
void        byok_what_if_largest_prompt_async  (ByokDatabase    *database,
                                                gint64           from_us,
                                                gint64           to_us,
                                                GCancellable    *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer         user_data);
gint64      byok_what_if_largest_prompt_finish (ByokDatabase    *database,
                                                GAsyncResult    *result,
                                                GError         **error);

G_END_DECLS
