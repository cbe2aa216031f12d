/* byok-chat-page-estimate.c — what the next message will cost, and where
 * it goes
 *
 * While the user writes, the line beside the model picker says how many
 * tokens the conversation plus the draft and its attached files come to,
 * what that prompt costs on the chosen model, and the cheapest configured
 * model that could take it. Images and PDFs are counted by each model's
 * own rule (byok-media). When the prompt would not fit the chosen model's
 * context window, or the model cannot read an image or a scanned PDF of
 * it, the line says so, Send is refused and a button offers the cheapest
 * model that can take it.
 *
 * Sending routes the call: "Auto" goes to the cheapest configured model
 * that fits (byok-router) — of the providers with a key, or of the local
 * ones when there is no key — and every call carries the user's fallback
 * chain (GSettings "fallback-chain"), less the entries that cannot be used
 * or cannot take the prompt. Auto with no chain falls back to the next
 * cheapest models of other providers.
 *
 * The tokens of the conversation so far are counted once per change of the
 * message list, not per keystroke; the estimate runs shortly after typing
 * pauses.
 */
#define G_LOG_DOMAIN "byok-chat-page"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-chat-page-private.h"
#include "byok-error.h"
#include "byok-format.h"
#include "byok-router.h"

#define ESTIMATE_DELAY_MS 150
#define AUTO_EXTRA_FALLBACKS 2

/* ---- the conversation so far --------------------------------------------- */

void
_byok_chat_page_invalidate_history (ByokChatPage *self)
{
  self->history_valid = FALSE;
  _byok_chat_page_schedule_estimate (self);
}

/* What byok_conversation_store_build_request() would send of the open
 * conversation, estimated: the tokens of its text, and every attachment in
 * self->history_media, which each model counts by its own rule. */
static gint64
history_tokens (ByokChatPage *self)
{
  guint n;

  if (self->history_valid)
    return self->history_tokens;

  self->history_tokens = 0;
  g_clear_pointer (&self->history_media, g_ptr_array_unref);
  self->history_media = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_attachment_free);
  n = self->messages != NULL ? g_list_model_get_n_items (self->messages) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ByokMessage) message = g_list_model_get_item (self->messages, i);
      const char *status = byok_message_get_status (message);
      const char *content = byok_message_get_content (message);
      GPtrArray *attachments;

      if (g_str_equal (status, BYOK_MESSAGE_STATUS_ERROR) ||
          g_str_equal (status, BYOK_MESSAGE_STATUS_STREAMING))
        continue;
      attachments = byok_message_get_attachments (message);
      if (*content == '\0' && attachments == NULL)
        continue;
      self->history_tokens += byok_estimate_tokens (content, -1) + BYOK_ROUTER_MESSAGE_OVERHEAD;
      for (guint j = 0; attachments != NULL && j < attachments->len; j++)
        g_ptr_array_add (self->history_media, byok_attachment_copy (g_ptr_array_index (attachments, j)));
    }
  self->history_valid = TRUE;
  return self->history_tokens;
}

static ByokConversation *
settings_conversation (ByokChatPage *self)
{
  if (self->conversation != NULL)
    return self->conversation;
  return byok_chat_settings_get_conversation (byok_composer_get_settings (self->composer));
}

static ByokModelCapabilities
needed_capabilities (void)
{
  return BYOK_MODEL_CAP_STREAMING;
}

static char *
model_name (ByokChatPage *self,
            const char   *provider_id,
            const char   *model_id)
{
  ByokModel *model = byok_catalog_lookup_model (byok_engine_get_catalog (self->engine), provider_id, model_id);

  return g_strdup (model != NULL ? byok_model_get_name (model) : model_id);
}

/* ---- the estimate line --------------------------------------------------- */

static void
set_suggestion (ByokChatPage *self,
                ByokRoute    *route)
{
  g_clear_pointer (&self->suggested_provider, g_free);
  g_clear_pointer (&self->suggested_model, g_free);
  if (route == NULL)
    {
      byok_composer_set_suggestion (self->composer, NULL);
      return;
    }
  self->suggested_provider = g_strdup (route->provider_id);
  self->suggested_model = g_strdup (route->model_id);
  {
    g_autofree char *name = model_name (self, route->provider_id, route->model_id);
    /* Translators: a button that switches to the model that fits ("Use Kimi K2") */
    g_autofree char *label = g_strdup_printf (_("Use %s"), name);
    byok_composer_set_suggestion (self->composer, label);
  }
}

/* The conversation's attachments and the draft's. */
static GPtrArray *
dup_media (ByokChatPage *self,
           GPtrArray    *draft)
{
  GPtrArray *media = g_ptr_array_new ();

  history_tokens (self);
  g_ptr_array_extend (media, self->history_media, NULL, NULL);
  g_ptr_array_extend (media, draft, NULL, NULL);
  return media;
}

/* "GPT-3.5 cannot read images; GPT-4o mini can", or NULL when @model
 * reads everything attached. */
static char *
unreadable_text (ByokChatPage *self,
                 const char   *provider_id,
                 const char   *model_id,
                 ByokModel    *model,
                 GPtrArray    *media,
                 ByokRoute    *cheapest)
{
  g_autofree char *name = NULL;
  g_autofree char *other = NULL;
  ByokModelCapabilities missing;

  if (model == NULL || byok_media_model_can_read (model, media))
    return NULL;
  missing = byok_media_needed_capabilities (media) & ~byok_model_get_capabilities (model);
  name = model_name (self, provider_id, model_id);
  if (cheapest != NULL)
    other = model_name (self, cheapest->provider_id, cheapest->model_id);
  if (missing & BYOK_MODEL_CAP_VISION)
    return other != NULL
      /* Translators: the chosen model cannot see the attached image; another can
       * ("DeepSeek Chat cannot read images; GPT-4o mini can") */
      ? g_strdup_printf (_("%s cannot read images; %s can"), name, other)
      : g_strdup_printf (_("%s cannot read images, nor can any other configured model"), name);
  return other != NULL
    /* Translators: the chosen model cannot read a PDF that has no text layer; another can */
    ? g_strdup_printf (_("%s cannot read scanned PDFs; %s can"), name, other)
    : g_strdup_printf (_("%s cannot read scanned PDFs, nor can any other configured model"), name);
}

static void
update_estimate (ByokChatPage *self)
{
  ByokModelPicker *picker;
  ByokConversation *settings;
  GPtrArray *attachments;
  const char *provider_id;
  const char *model_id;
  g_autofree char *draft = NULL;
  g_autoptr(GPtrArray) routes = NULL;
  g_autoptr(GPtrArray) media = NULL;
  g_autofree char *tokens_text = NULL;
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *unreadable = NULL;
  ByokRoute *cheapest = NULL;
  ByokModel *model = NULL;
  gint64 max_tokens = 0;
  gint64 tokens;

  /* Nothing to estimate before the composer is built. */
  if (self->split_view == NULL)
    return;
  picker = byok_composer_get_picker (self->composer);
  settings = settings_conversation (self);
  attachments = byok_composer_get_attachments (self->composer);
  provider_id = byok_model_picker_get_provider_id (picker);
  model_id = byok_model_picker_get_model_id (picker);
  draft = byok_composer_dup_text (self->composer);

  if (self->engine == NULL || model_id == NULL ||
      (*g_strstrip (draft) == '\0' && attachments->len == 0))
    {
      byok_composer_set_estimate (self->composer, NULL, NULL, FALSE);
      set_suggestion (self, NULL);
      return;
    }

  if (settings != NULL)
    {
      const char *system_prompt = byok_conversation_get_system_prompt (settings);

      max_tokens = byok_conversation_get_max_tokens (settings);
      tokens = history_tokens (self);
      if (system_prompt != NULL && *system_prompt != '\0')
        tokens += byok_estimate_tokens (system_prompt, -1) + BYOK_ROUTER_MESSAGE_OVERHEAD;
    }
  else
    tokens = history_tokens (self);
  tokens += byok_estimate_tokens (draft, -1) + BYOK_ROUTER_MESSAGE_OVERHEAD;
  media = dup_media (self, attachments);

  routes = byok_router_rank_media (byok_engine_get_catalog (self->engine), byok_engine_get_pricing (self->engine),
                                   (const char * const *) self->routable, tokens, media, max_tokens,
                                   needed_capabilities ());
  if (routes->len > 0)
    cheapest = g_ptr_array_index (routes, 0);
  if (g_strcmp0 (provider_id, BYOK_ROUTER_AUTO) == 0)
    {
      /* What the cheapest model reads the attachments as. */
      tokens += byok_media_count_tokens (media, cheapest != NULL ? cheapest->model_id : NULL,
                                         cheapest != NULL ? byok_catalog_lookup_model (byok_engine_get_catalog (self->engine),
                                                                                       cheapest->provider_id,
                                                                                       cheapest->model_id)
                                                          : NULL);
    }
  else
    {
      model = byok_catalog_lookup_model (byok_engine_get_catalog (self->engine), provider_id, model_id);
      tokens += byok_media_count_tokens (media, model_id, model);
    }
  self->estimated_tokens = tokens;
  tokens_text = byok_format_tokens (tokens);

  if (g_strcmp0 (provider_id, BYOK_ROUTER_AUTO) == 0)
    {
      if (cheapest == NULL && byok_media_needed_capabilities (media) != BYOK_MODEL_CAP_NONE)
        {
          /* Translators: no model can read the attached images or scanned PDFs ("≈1.2k tokens: …") */
          text = g_strdup_printf (_("≈%s tokens: no configured model can read what is attached"), tokens_text);
          byok_composer_set_estimate (self->composer, text, NULL, TRUE);
          set_suggestion (self, NULL);
          return;
        }
      if (cheapest == NULL)
        {
          /* Translators: the prompt is too long for every model ("≈1.2M tokens: …") */
          text = g_strdup_printf (_("≈%s tokens: too long for every configured model"), tokens_text);
          byok_composer_set_estimate (self->composer, text, NULL, TRUE);
          set_suggestion (self, NULL);
          return;
        }
      {
        g_autofree char *name = model_name (self, cheapest->provider_id, cheapest->model_id);
        g_autofree char *cost = byok_format_usd (cheapest->prompt_cost);
        /* Translators: what Auto will use and what the prompt costs there
         * ("≈1.2k tokens · $0.0004 on DeepSeek Chat") */
        text = g_strdup_printf (_("≈%s tokens · %s on %s"), tokens_text, cost, name);
      }
      byok_composer_set_estimate (self->composer, text,
                                  _("Auto sends to the cheapest configured model whose context window fits. The cost is the prompt’s; the answer adds to it."),
                                  FALSE);
      set_suggestion (self, NULL);
      return;
    }

  unreadable = unreadable_text (self, provider_id, model_id, model, media, cheapest);
  if (unreadable != NULL)
    {
      byok_composer_set_estimate (self->composer, unreadable,
                                  _("Choose a model that reads what is attached, or remove it."), TRUE);
      set_suggestion (self, cheapest);
      return;
    }

  if (model != NULL && !byok_router_fits (model, tokens, max_tokens))
    {
      g_autofree char *name = model_name (self, provider_id, model_id);
      g_autofree char *window = byok_format_tokens (byok_model_get_context_window (model));

      if (cheapest != NULL)
        {
          g_autofree char *other = model_name (self, cheapest->provider_id, cheapest->model_id);
          /* Translators: the prompt does not fit the chosen model; another
           * does ("≈300k tokens: too long for GPT-4o (128k context); Kimi K2 fits") */
          text = g_strdup_printf (_("≈%s tokens: too long for %s (%s context); %s fits"),
                                  tokens_text, name, window, other);
        }
      else
        /* Translators: the prompt does not fit the chosen model nor any other */
        text = g_strdup_printf (_("≈%s tokens: too long for %s (%s context) and every other configured model"),
                                tokens_text, name, window);
      tooltip = g_strdup (_("Remove attached files or start a new conversation, or choose a model with a larger context window."));
      byok_composer_set_estimate (self->composer, text, tooltip, TRUE);
      set_suggestion (self, cheapest);
      return;
    }

  {
    double cost = 0;
    g_autofree char *cost_text = NULL;
    gboolean known;

    known = byok_router_prompt_cost (byok_engine_get_pricing (self->engine), provider_id, model_id, tokens, 0, &cost);
    cost_text = known ? byok_format_usd (cost) : byok_format_usd_unknown ();

    if (cheapest != NULL &&
        !(g_strcmp0 (cheapest->provider_id, provider_id) == 0 && g_strcmp0 (cheapest->model_id, model_id) == 0) &&
        (!known || cheapest->prompt_cost < cost))
      {
        g_autofree char *other = model_name (self, cheapest->provider_id, cheapest->model_id);
        g_autofree char *other_cost = byok_format_usd (cheapest->prompt_cost);
        /* Translators: the prompt's tokens and cost on the chosen model, and the
         * cheapest model that could take it ("≈1.2k tokens · $0.0030 · cheapest: DeepSeek Chat $0.0003") */
        text = g_strdup_printf (_("≈%s tokens · %s · cheapest: %s %s"), tokens_text, cost_text, other, other_cost);
      }
    else
      /* Translators: the prompt's tokens and its cost on the chosen model */
      text = g_strdup_printf (_("≈%s tokens · %s"), tokens_text, cost_text);
  }
  byok_composer_set_estimate (self->composer, text,
                              _("What the conversation and this message cost to send, estimated before sending. The answer adds to it."),
                              FALSE);
  set_suggestion (self, NULL);
}

static gboolean
estimate_timeout_cb (gpointer data)
{
  ByokChatPage *self = data;

  self->estimate_id = 0;
  update_estimate (self);
  return G_SOURCE_REMOVE;
}

void
_byok_chat_page_schedule_estimate (ByokChatPage *self)
{
  if (self->estimate_id == 0)
    self->estimate_id = g_timeout_add (ESTIMATE_DELAY_MS, estimate_timeout_cb, self);
}

/* Now, not after the pause: for tests and for send. */
void
byok_chat_page_update_estimate (ByokChatPage *self)
{
  g_clear_handle_id (&self->estimate_id, g_source_remove);
  update_estimate (self);
}

void
_byok_chat_page_use_suggestion (ByokChatPage *self)
{
  ByokModelPicker *picker = byok_composer_get_picker (self->composer);

  if (self->suggested_model == NULL)
    return;
  byok_model_picker_set_selection (picker, self->suggested_provider, self->suggested_model);
  g_signal_emit_by_name (picker, "selected");
  byok_chat_page_update_estimate (self);
  byok_composer_focus (self->composer);
}

/* ---- routing ------------------------------------------------------------- */

/**
 * _byok_chat_page_route:
 * @request: what will be sent; its model is set to the choice
 * @provider_id: (out): where the call goes first
 * @model_id: (out)
 * @fallbacks: (out): "PROVIDER/MODEL" entries to try after it
 *
 * Resolves "Auto" and the fallback chain for @conversation.
 *
 * Returns: %FALSE with BYOK_ERROR_CONTEXT_LENGTH when Auto finds no model
 *   that can take the prompt, BYOK_ERROR_UNSUPPORTED_INPUT when none can
 *   read its images or scanned PDFs
 */
gboolean
_byok_chat_page_route (ByokChatPage      *self,
                       ByokConversation  *conversation,
                       ByokChatRequest   *request,
                       char             **provider_id,
                       char             **model_id,
                       GStrv             *fallbacks,
                       GError           **error)
{
  ByokCatalog *catalog = byok_engine_get_catalog (self->engine);
  const char *provider = byok_conversation_get_provider (conversation);
  const char *model = byok_conversation_get_model (conversation);
  gint64 tokens = byok_estimate_request_text_tokens (request);
  g_autoptr(GPtrArray) media = byok_media_of_request (request);
  gint64 max_tokens = byok_conversation_get_max_tokens (conversation);
  g_auto(GStrv) chain = g_settings_get_strv (self->settings, "fallback-chain");
  g_autoptr(GPtrArray) routes = NULL;
  g_auto(GStrv) from_chain = NULL;

  if (g_strcmp0 (provider, BYOK_ROUTER_AUTO) != 0)
    {
      *provider_id = g_strdup (provider);
      *model_id = g_strdup (model);
      *fallbacks = byok_router_fallbacks_media (catalog, (const char * const *) chain,
                                                (const char * const *) self->available,
                                                provider, model, tokens, media, max_tokens);
      return TRUE;
    }

  routes = byok_router_rank_media (catalog, byok_engine_get_pricing (self->engine),
                                   (const char * const *) self->routable, tokens, media, max_tokens,
                                   needed_capabilities () | byok_router_needed_capabilities (request));
  if (routes->len == 0 && byok_media_needed_capabilities (media) != BYOK_MODEL_CAP_NONE)
    {
      g_set_error_literal (error, BYOK_ERROR, BYOK_ERROR_UNSUPPORTED_INPUT,
                           _("No configured model can read what is attached to this conversation. "
                             "Add a key for a provider whose models read images and PDFs, or remove them."));
      return FALSE;
    }
  if (routes->len == 0)
    {
      g_autofree char *count = byok_format_tokens (tokens);
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_CONTEXT_LENGTH,
                   _("No configured model can take this conversation (about %s tokens). "
                     "Start a new conversation, or add a key for a provider with a longer context window."),
                   count);
      return FALSE;
    }

  {
    ByokRoute *first = g_ptr_array_index (routes, 0);
    g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
    g_autoptr(GPtrArray) used = g_ptr_array_new ();

    *provider_id = g_strdup (first->provider_id);
    *model_id = g_strdup (first->model_id);
    from_chain = byok_router_fallbacks_media (catalog, (const char * const *) chain,
                                              (const char * const *) self->available,
                                              first->provider_id, first->model_id, tokens, media, max_tokens);
    g_strv_builder_addv (builder, (const char **) from_chain);
    /* Without a chain, the next cheapest of other providers, one each. */
    g_ptr_array_add (used, first->provider_id);
    for (guint i = 1; from_chain[0] == NULL && i < routes->len && used->len <= AUTO_EXTRA_FALLBACKS; i++)
      {
        ByokRoute *route = g_ptr_array_index (routes, i);
        g_autofree char *target = NULL;

        if (g_ptr_array_find_with_equal_func (used, route->provider_id, g_str_equal, NULL))
          continue;
        target = g_strconcat (route->provider_id, "/", route->model_id, NULL);

        g_ptr_array_add (used, route->provider_id);
        g_strv_builder_add (builder, target);
      }
    *fallbacks = g_strv_builder_end (builder);
  }
  byok_chat_request_set_model (request, *model_id);
  return TRUE;
}
