/* byok-router.c — token estimates and the cheapest model that fits */
#define G_LOG_DOMAIN "byok-router"

#include "config.h"

#include <math.h>
#include <string.h>

#include "byok-router.h"

G_DEFINE_BOXED_TYPE (ByokRoute, byok_route, byok_route_copy, byok_route_free)

ByokRoute *
byok_route_copy (const ByokRoute *route)
{
  ByokRoute *copy;

  g_return_val_if_fail (route != NULL, NULL);

  copy = g_memdup2 (route, sizeof *route);
  copy->provider_id = g_strdup (route->provider_id);
  copy->model_id = g_strdup (route->model_id);
  return copy;
}

void
byok_route_free (ByokRoute *route)
{
  if (route == NULL)
    return;
  g_free (route->provider_id);
  g_free (route->model_id);
  g_free (route);
}

/**
 * byok_estimate_request_text_tokens:
 *
 * Returns: the estimated tokens of @request's text: its system prompt,
 *   every message (with the tool calls it asked for) and every tool's
 *   description, with a few tokens of overhead each, without the images
 *   and PDFs attached
 */
gint64
byok_estimate_request_text_tokens (const ByokChatRequest *request)
{
  gint64 total = 0;

  g_return_val_if_fail (request != NULL, 0);

  if (request->system_prompt != NULL && *request->system_prompt != '\0')
    total += byok_estimate_tokens (request->system_prompt, -1) + BYOK_ROUTER_MESSAGE_OVERHEAD;
  for (guint i = 0; i < request->messages->len; i++)
    {
      const ByokChatMessage *message = g_ptr_array_index (request->messages, i);

      total += byok_estimate_tokens (message->content, -1) + BYOK_ROUTER_MESSAGE_OVERHEAD;
      for (guint j = 0; message->tool_calls != NULL && j < message->tool_calls->len; j++)
        {
          const ByokToolCall *call = g_ptr_array_index (message->tool_calls, j);

          total += byok_estimate_tokens (call->name, -1) + byok_estimate_tokens (call->arguments, -1) +
                   BYOK_ROUTER_MESSAGE_OVERHEAD;
        }
    }
  /* The tools' descriptions are part of the prompt. */
  for (guint i = 0; i < request->tools->len; i++)
    {
      const ByokToolSpec *spec = g_ptr_array_index (request->tools, i);

      total += byok_estimate_tokens (spec->name, -1) + BYOK_ROUTER_MESSAGE_OVERHEAD;
      if (spec->description != NULL)
        total += byok_estimate_tokens (spec->description, -1);
      if (spec->parameters != NULL)
        total += byok_estimate_tokens (spec->parameters, -1);
    }
  return total;
}

/**
 * byok_router_needed_capabilities:
 *
 * Returns: what a model must be able to do to take @request: call tools
 *   when it offers some (Auto routes such a request only to models with
 *   the catalog's `tools` capability)
 */
ByokModelCapabilities
byok_router_needed_capabilities (const ByokChatRequest *request)
{
  g_return_val_if_fail (request != NULL, BYOK_MODEL_CAP_NONE);

  return byok_chat_request_has_tools (request) ? BYOK_MODEL_CAP_TOOLS : BYOK_MODEL_CAP_NONE;
}

/**
 * byok_estimate_request_tokens_for_model:
 * @model: (nullable): the model it goes to, as the catalog knows it
 *
 * Returns: the estimated prompt tokens of @request to @model: its text
 *   (byok_estimate_request_text_tokens()) and its images and PDFs by the
 *   rule of @model (or of @request's model id) (byok_media_count_tokens())
 */
gint64
byok_estimate_request_tokens_for_model (const ByokChatRequest *request,
                                        ByokModel             *model)
{
  g_autoptr(GPtrArray) media = NULL;
  const char *model_id;

  g_return_val_if_fail (request != NULL, 0);
  g_return_val_if_fail (model == NULL || BYOK_IS_MODEL (model), 0);

  media = byok_media_of_request (request);
  model_id = model != NULL ? byok_model_get_id (model) : request->model;
  return byok_estimate_request_text_tokens (request) + byok_media_count_tokens (media, model_id, model);
}

/**
 * byok_estimate_request_tokens:
 *
 * Returns: byok_estimate_request_tokens_for_model() with the rule of
 *   @request's model id
 */
gint64
byok_estimate_request_tokens (const ByokChatRequest *request)
{
  return byok_estimate_request_tokens_for_model (request, NULL);
}

/**
 * byok_router_answer_reserve:
 * @max_output_tokens: the conversation's limit, 0 for none
 *
 * Returns: the room an answer needs in the context window: the
 *   conversation's limit if it sets one, else BYOK_ROUTER_ANSWER_TOKENS (or
 *   the model's own output limit if that is smaller)
 */
gint64
byok_router_answer_reserve (ByokModel *model,
                            gint64     max_output_tokens)
{
  gint64 model_max = model != NULL ? byok_model_get_max_output (model) : 0;

  if (max_output_tokens > 0)
    return max_output_tokens;
  if (model_max > 0 && model_max < BYOK_ROUTER_ANSWER_TOKENS)
    return model_max;
  return BYOK_ROUTER_ANSWER_TOKENS;
}

/**
 * byok_router_fits:
 *
 * Returns: %FALSE if @model's context window is known and cannot hold
 *   @prompt_tokens and room for the answer; %TRUE otherwise (an unknown
 *   window is not a reason to refuse)
 */
gboolean
byok_router_fits (ByokModel *model,
                  gint64     prompt_tokens,
                  gint64     max_output_tokens)
{
  gint64 window;

  g_return_val_if_fail (BYOK_IS_MODEL (model), TRUE);

  window = byok_model_get_context_window (model);
  if (window <= 0)
    return TRUE;
  return prompt_tokens + byok_router_answer_reserve (model, max_output_tokens) <= window;
}

/**
 * byok_router_prompt_cost:
 * @answer_tokens: output tokens to add, 0 for the prompt alone
 *
 * The cost of @prompt_tokens of uncached input and @answer_tokens of
 * output at the price in force.
 *
 * Returns: %FALSE if the price is unknown
 */
gboolean
byok_router_prompt_cost (ByokPricing *pricing,
                         const char  *provider_id,
                         const char  *model_id,
                         gint64       prompt_tokens,
                         gint64       answer_tokens,
                         double      *cost)
{
  double value = NAN;

  g_return_val_if_fail (BYOK_IS_PRICING (pricing), FALSE);

  if (!byok_pricing_cost (pricing, provider_id, model_id, prompt_tokens, 0, 0, answer_tokens, &value) ||
      !isfinite (value))
    return FALSE;
  if (cost != NULL)
    *cost = value;
  return TRUE;
}

static int
compare_routes (gconstpointer a,
                gconstpointer b)
{
  const ByokRoute *x = *(ByokRoute * const *) a;
  const ByokRoute *y = *(ByokRoute * const *) b;

  if (x->cost != y->cost)
    return x->cost < y->cost ? -1 : 1;
  /* Same price: the larger window leaves more room. */
  if (x->context_window != y->context_window)
    return x->context_window > y->context_window ? -1 : 1;
  return 0;
}

/**
 * byok_router_rank:
 * @provider_ids: the providers that can be called now
 * @prompt_tokens: the estimated prompt
 * @max_output_tokens: the conversation's output limit, 0 for none
 * @needed: capabilities every candidate must have
 *
 * Every model of @provider_ids that can take the prompt, cheapest first
 * (prompt plus an assumed answer of BYOK_ROUTER_ANSWER_TOKENS, or
 * @max_output_tokens). A model whose context window or price is unknown is
 * left out: the router cannot promise it fits or is cheap.
 *
 * Returns: (transfer full) (element-type ByokRoute): the candidates
 */
GPtrArray *
byok_router_rank (ByokCatalog           *catalog,
                  ByokPricing           *pricing,
                  const char * const    *provider_ids,
                  gint64                 prompt_tokens,
                  gint64                 max_output_tokens,
                  ByokModelCapabilities  needed)
{
  return byok_router_rank_media (catalog, pricing, provider_ids, prompt_tokens, NULL,
                                 max_output_tokens, needed);
}

/**
 * byok_router_rank_media:
 * @text_tokens: the estimated prompt without its images and PDFs
 * @media: (nullable) (element-type ByokAttachment): the images and PDFs
 *   the prompt carries (text files are counted by their estimate)
 *
 * byok_router_rank() of a prompt with images and PDFs: each model's
 * prompt counts them by its own rule, and a model that cannot read them
 * (byok_media_model_can_read()) is left out.
 *
 * Returns: (transfer full) (element-type ByokRoute): the candidates
 */
GPtrArray *
byok_router_rank_media (ByokCatalog           *catalog,
                        ByokPricing           *pricing,
                        const char * const    *provider_ids,
                        gint64                 text_tokens,
                        GPtrArray             *media,
                        gint64                 max_output_tokens,
                        ByokModelCapabilities  needed)
{
  g_autoptr(GPtrArray) routes = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_route_free);

  g_return_val_if_fail (BYOK_IS_CATALOG (catalog), NULL);
  g_return_val_if_fail (BYOK_IS_PRICING (pricing), NULL);

  for (guint i = 0; provider_ids != NULL && provider_ids[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) models = byok_catalog_get_models (catalog, provider_ids[i]);

      for (guint j = 0; models != NULL && j < models->len; j++)
        {
          ByokModel *model = g_ptr_array_index (models, j);
          gint64 answer = byok_router_answer_reserve (model, max_output_tokens);
          gint64 prompt_tokens;
          double cost, prompt_cost;
          ByokRoute *route;

          if (!byok_media_model_can_read (model, media))
            continue;
          prompt_tokens = text_tokens + byok_media_count_tokens (media, byok_model_get_id (model), model);
          if (byok_model_get_context_window (model) <= 0 ||
              !byok_router_fits (model, prompt_tokens, max_output_tokens) ||
              (byok_model_get_capabilities (model) & needed) != needed ||
              byok_model_is_retired (model) ||
              !byok_router_prompt_cost (pricing, provider_ids[i], byok_model_get_id (model),
                                        prompt_tokens, answer, &cost) ||
              !byok_router_prompt_cost (pricing, provider_ids[i], byok_model_get_id (model),
                                        prompt_tokens, 0, &prompt_cost))
            continue;

          route = g_new0 (ByokRoute, 1);
          route->provider_id = g_strdup (provider_ids[i]);
          route->model_id = g_strdup (byok_model_get_id (model));
          route->context_window = byok_model_get_context_window (model);
          route->cost = cost;
          route->prompt_cost = prompt_cost;
          g_ptr_array_add (routes, route);
        }
    }

  g_ptr_array_sort (routes, compare_routes);
  return g_steal_pointer (&routes);
}

/**
 * byok_router_fallbacks:
 * @chain: (nullable): the user's fallback chain, "PROVIDER/MODEL" entries
 * @provider_ids: the providers that can be called now
 * @provider_id: the model the call goes to first
 *
 * The entries of @chain worth trying after @provider_id/@model_id: of an
 * available provider, not the first model itself, and (where the catalog
 * knows the window) able to take the prompt.
 *
 * Returns: (transfer full): a %NULL-terminated "PROVIDER/MODEL" list,
 *   possibly empty
 */
GStrv
byok_router_fallbacks (ByokCatalog        *catalog,
                       const char * const *chain,
                       const char * const *provider_ids,
                       const char         *provider_id,
                       const char         *model_id,
                       gint64              prompt_tokens,
                       gint64              max_output_tokens)
{
  return byok_router_fallbacks_media (catalog, chain, provider_ids, provider_id, model_id,
                                      prompt_tokens, NULL, max_output_tokens);
}

/**
 * byok_router_fallbacks_media:
 * @text_tokens: the estimated prompt without its images and PDFs
 * @media: (nullable) (element-type ByokAttachment): the images and PDFs
 *   the prompt carries
 *
 * byok_router_fallbacks() of a prompt with images and PDFs: an entry the
 * catalog knows cannot read them is skipped, and each entry's window is
 * checked with them counted by its own rule.
 *
 * Returns: (transfer full): a %NULL-terminated "PROVIDER/MODEL" list
 */
GStrv
byok_router_fallbacks_media (ByokCatalog        *catalog,
                             const char * const *chain,
                             const char * const *provider_ids,
                             const char         *provider_id,
                             const char         *model_id,
                             gint64              text_tokens,
                             GPtrArray          *media,
                             gint64              max_output_tokens)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (BYOK_IS_CATALOG (catalog), NULL);

  for (guint i = 0; chain != NULL && chain[i] != NULL; i++)
    {
      const char *slash = strchr (chain[i], '/');
      g_autofree char *provider = NULL;
      const char *model;
      ByokModel *known;

      if (slash == NULL || slash == chain[i] || slash[1] == '\0')
        continue;
      provider = g_strndup (chain[i], slash - chain[i]);
      model = slash + 1;
      if (provider_ids == NULL || !g_strv_contains (provider_ids, provider))
        continue;
      if (g_strcmp0 (provider, provider_id) == 0 && g_strcmp0 (model, model_id) == 0)
        continue;
      known = byok_catalog_lookup_model (catalog, provider, model);
      if (!byok_media_model_can_read (known, media))
        continue;
      if (known != NULL &&
          !byok_router_fits (known, text_tokens + byok_media_count_tokens (media, model, known),
                             max_output_tokens))
        continue;
      g_strv_builder_add (builder, chain[i]);
    }
  return g_strv_builder_end (builder);
}
