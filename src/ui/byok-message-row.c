/* byok-message-row.c — one message of the chat's list view */
#define G_LOG_DOMAIN "byok-message-row"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-a11y.h"
#include "byok-attachment.h"
#include "byok-attachment-chip.h"
#include "byok-error.h"
#include "byok-error-remedy.h"
#include "byok-format.h"
#include "byok-tool-block-view.h"
#include "byok-markdown-pane.h"
#include "byok-price.h"
#include "byok-message-row.h"

struct _ByokMessageRow
{
  AdwBin           parent_instance;

  ByokMessage     *message;
  ByokCatalog     *catalog;
  gboolean         editing;
  guint            retry_timeout_id;
  gint64           retry_at_us;    /* when "Retry" of a rate limit is offered */
  guint            waiting_timeout_id;  /* counts down a wait before a retry */

  GtkWidget       *markdown;       /* ByokMarkdownPane */

  GtkBox          *box;
  GtkWidget       *attachments_scroller;
  GtkBox          *attachments_box;
  GtkStack        *user_stack;
  GtkLabel        *user_label;
  GtkTextView     *edit_view;
  GtkExpander     *reasoning_expander;
  GtkLabel        *reasoning_label;
  GtkBox          *tool_box;
  GtkBox          *content_box;
  GtkBox          *waiting_box;
  GtkSpinner      *spinner;
  GtkLabel        *waiting_label;
  GtkButton       *waiting_stop_button;
  GtkBox          *partial_box;
  GtkBox          *error_box;
  GtkLabel        *error_title;
  GtkLabel        *error_label;
  GtkButton       *error_button;
  GtkButton       *error_secondary_button;
  GtkLabel        *caption_label;
  GtkWidget       *cost_warning_box;
  GtkLabel        *cost_warning_label;
  GtkLabel        *fallback_label;
  GtkBox          *actions_box;
  GtkButton       *edit_button;
  GtkButton       *regenerate_button;
  GtkMenuButton   *more_button;
  GMenuModel      *more_menu;
};

G_DEFINE_FINAL_TYPE (ByokMessageRow, byok_message_row, ADW_TYPE_BIN)

#define RETRY_AT_KEY "byok-message-row-retry-at"

/**
 * byok_message_row_note_retry_at:
 * @message: a rate-limited answer
 * @real_time_us: when the provider said a retry may succeed
 *   (g_get_real_time() plus its Retry-After)
 *
 * Tells the rows showing @message when to offer "Retry". Without it they
 * wait BYOK_MESSAGE_ROW_RATE_LIMIT_WAIT_US after the answer ended. The
 * note lives with the message object, not in the database.
 */
void
byok_message_row_note_retry_at (ByokMessage *message,
                                gint64       real_time_us)
{
  gint64 *at = g_new (gint64, 1);

  g_return_if_fail (BYOK_IS_MESSAGE (message));

  *at = real_time_us;
  g_object_set_data_full (G_OBJECT (message), RETRY_AT_KEY, at, g_free);
}

#define RETRYING_KEY "byok-message-row-retrying"

typedef struct {
  ByokRetryNotice *notice;
  gint64           deadline_us;     /* monotonic */
} Retrying;

static void
retrying_free (gpointer data)
{
  Retrying *retrying = data;

  byok_retry_notice_free (retrying->notice);
  g_free (retrying);
}

/**
 * byok_message_row_note_retrying:
 * @message: an answer on its way
 * @notice: (nullable): what the client waits for before trying again;
 *   %NULL when it no longer waits (the answer ended)
 *
 * Tells the rows showing @message to say what is happening while the call
 * waits to be tried again ("Rate limited by OpenAI — trying again in 18 s,
 * attempt 2 of 3"), counting down, with a Stop button. The note lives
 * with the message object, not in the database.
 */
void
byok_message_row_note_retrying (ByokMessage           *message,
                                const ByokRetryNotice *notice)
{
  Retrying *retrying = NULL;

  g_return_if_fail (BYOK_IS_MESSAGE (message));

  if (notice == NULL && g_object_get_data (G_OBJECT (message), RETRYING_KEY) == NULL)
    return;
  if (notice != NULL)
    {
      retrying = g_new0 (Retrying, 1);
      retrying->notice = byok_retry_notice_copy (notice);
      retrying->deadline_us = g_get_monotonic_time () + notice->wait_us;
    }
  g_object_set_data_full (G_OBJECT (message), RETRYING_KEY, retrying, retrying_free);
  /* The status is still "streaming": the rows look again at what it means. */
  g_object_notify (G_OBJECT (message), "status");
}

#define BUDGET_LIFTED_KEY "byok-message-row-budget-lifted"

/**
 * byok_message_row_note_budget_lifted:
 * @message: an answer stopped by a budget (BUDGET)
 * @lifted: whether the budget no longer stops a call
 *
 * An old "over budget" error offers to raise the budget or send anyway
 * only while the budget still stops calls; after, it offers Retry. The
 * note lives with the message object, not in the database.
 */
void
byok_message_row_note_budget_lifted (ByokMessage *message,
                                     gboolean     lifted)
{
  g_return_if_fail (BYOK_IS_MESSAGE (message));

  if (!!lifted == (g_object_get_data (G_OBJECT (message), BUDGET_LIFTED_KEY) != NULL))
    return;
  g_object_set_data (G_OBJECT (message), BUDGET_LIFTED_KEY, lifted ? GINT_TO_POINTER (1) : NULL);
  /* The error is the same: the rows look again at what it offers. */
  g_object_notify (G_OBJECT (message), "error-class");
}

GtkWidget *
byok_message_row_new (void)
{
  return g_object_new (BYOK_TYPE_MESSAGE_ROW, NULL);
}

static gboolean
is_user (ByokMessageRow *self)
{
  return self->message != NULL &&
         g_strcmp0 (byok_message_get_role (self->message), BYOK_MESSAGE_ROLE_USER) == 0;
}

static gboolean
has_status (ByokMessage *message,
            const char  *status)
{
  return g_strcmp0 (byok_message_get_status (message), status) == 0;
}

/* ---- captions ------------------------------------------------------------ */

static const char *
provider_name (ByokCatalog *catalog,
               const char  *provider_id)
{
  ByokProvider *provider = NULL;

  if (provider_id == NULL)
    return NULL;
  if (catalog != NULL)
    provider = byok_catalog_lookup_provider (catalog, provider_id);
  return provider != NULL ? byok_provider_get_name (provider) : provider_id;
}

/**
 * byok_message_row_format_caption:
 * @catalog: (nullable): for the provider's name
 *
 * The line under an answer: "OpenAI · gpt-4o · 1,234 in · 567 out · 1,000
 * cached · $0.0042 · first token 850 ms · 2.4 s total".
 *
 * Returns: (transfer full) (nullable): the caption, or %NULL for a message
 *   that has none (a user's message, an answer still streaming)
 */
char *
byok_message_row_format_caption (ByokMessage *message,
                                 ByokCatalog *catalog)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  ByokUsage usage;

  g_return_val_if_fail (BYOK_IS_MESSAGE (message), NULL);

  if (g_strcmp0 (byok_message_get_role (message), BYOK_MESSAGE_ROLE_ASSISTANT) != 0 ||
      has_status (message, BYOK_MESSAGE_STATUS_STREAMING))
    return NULL;

  if (byok_message_get_provider (message) != NULL)
    g_ptr_array_add (parts, g_strdup (provider_name (catalog, byok_message_get_provider (message))));
  if (byok_message_get_model (message) != NULL)
    g_ptr_array_add (parts, g_strdup (byok_message_get_model (message)));

  byok_message_get_usage (message, &usage);
  if (byok_message_get_has_usage (message) || usage.estimated)
    {
      g_autofree char *in = byok_format_tokens (usage.input_tokens);
      g_autofree char *out = byok_format_tokens (usage.output_tokens);

      /* Byok's estimate: the provider reported none ("≈1,234 in"). */
      if (usage.estimated)
        {
          in = byok_format_estimated (g_steal_pointer (&in));
          out = byok_format_estimated (g_steal_pointer (&out));
        }

      /* Translators: prompt tokens of an answer ("1,234 in") */
      g_ptr_array_add (parts, g_strdup_printf (_("%s in"), in));
      /* Translators: generated tokens of an answer ("567 out") */
      g_ptr_array_add (parts, g_strdup_printf (_("%s out"), out));
      if (usage.cached_input_tokens > 0)
        {
          g_autofree char *cached = byok_format_tokens (usage.cached_input_tokens);
          /* Translators: prompt tokens read from the provider's cache ("1,000 cached") */
          g_ptr_array_add (parts, g_strdup_printf (_("%s cached"), cached));
        }
    }

  if (byok_message_get_price_known (message) && !byok_message_get_has_usage (message) &&
      (usage.estimated || has_status (message, BYOK_MESSAGE_STATUS_COMPLETE)))
    {
      /* An answer without a usage report, priced at Byok's estimate of
       * its tokens (the engine's estimate_usage()). */
      g_autofree char *cost = byok_format_usd (byok_message_get_cost_usd (message));
      g_ptr_array_add (parts, byok_format_estimated (g_steal_pointer (&cost)));
      g_ptr_array_add (parts, g_strdup (_("tokens estimated")));
    }
  else if (byok_message_get_price_known (message))
    g_ptr_array_add (parts, byok_format_usd (byok_message_get_cost_usd (message)));
  else if (!byok_message_get_cost_reported (message) &&
           (byok_message_get_has_usage (message) || !has_status (message, BYOK_MESSAGE_STATUS_ERROR)))
    g_ptr_array_add (parts, g_strdup (_("cost unknown")));

  if (byok_message_get_cost_reported (message))
    {
      g_autofree char *billed = byok_format_usd (byok_message_get_reported_cost_usd (message));
      /* Translators: what the provider said it billed for an answer,
       * beside Byok's own price of it ("billed $0.0042") */
      g_ptr_array_add (parts, g_strdup_printf (_("billed %s"), billed));
    }

  if (byok_message_get_ttft_us (message) >= 0)
    {
      g_autofree char *ttft = byok_format_duration_us (byok_message_get_ttft_us (message));
      /* Translators: time to the first token of an answer ("first token 850 ms") */
      g_ptr_array_add (parts, g_strdup_printf (_("first token %s"), ttft));
    }
  if (byok_message_get_latency_us (message) >= 0)
    {
      g_autofree char *total = byok_format_duration_us (byok_message_get_latency_us (message));
      /* Translators: the whole time of an answer ("2.4 s total") */
      g_ptr_array_add (parts, g_strdup_printf (_("%s total"), total));
    }

  if (parts->len == 0)
    return NULL;
  g_ptr_array_add (parts, NULL);
  /* Translators: what separates the parts of an answer's caption */
  return g_strjoinv (_(" · "), (char **) parts->pdata);
}

/**
 * byok_message_row_format_cost_warning:
 * @catalog: (nullable): for the provider's name
 *
 * When the provider said what it billed for an answer and Byok's price of
 * it differs by more than a cent or 1 % (byok_price_cost_differs()):
 * "OpenRouter billed $0.0042; Byok's price gives $0.0031", so the person
 * can correct the price.
 *
 * Returns: (transfer full) (nullable): the warning, or %NULL
 */
char *
byok_message_row_format_cost_warning (ByokMessage *message,
                                      ByokCatalog *catalog)
{
  g_autofree char *billed = NULL;
  g_autofree char *priced = NULL;
  const char *provider;

  g_return_val_if_fail (BYOK_IS_MESSAGE (message), NULL);

  if (!byok_message_get_cost_reported (message) || !byok_message_get_price_known (message) ||
      !byok_price_cost_differs (byok_message_get_cost_usd (message),
                                byok_message_get_reported_cost_usd (message)))
    return NULL;

  billed = byok_format_usd (byok_message_get_reported_cost_usd (message));
  priced = byok_format_usd (byok_message_get_cost_usd (message));
  provider = provider_name (catalog, byok_message_get_provider (message));
  /* Translators: the provider's bill for an answer and Byok's price of it
   * differ; the person can correct the price in Usage ("OpenRouter billed
   * $0.0042; Byok's price gives $0.0031") */
  return g_strdup_printf (_("%s billed %s; Byok’s price gives %s"),
                          provider != NULL ? provider : _("The provider"), billed, priced);
}

/* A short name for an error class, where there was no HTTP status. */
static const char *
describe_class (const char *error_class)
{
  return byok_error_remedy_get_for_class (error_class).short_name;
}

/**
 * byok_message_row_format_fallback:
 * @attempts: (nullable): a message's attempts summary
 *   (byok_message_format_attempts(): "openai/gpt-4o: RATE_LIMIT (HTTP 429)
 *   → moonshot/kimi-k2: ok")
 * @catalog: (nullable): for the providers' names
 *
 * Says which attempts failed and who answered: "OpenAI 429 → answered by
 * Moonshot (Kimi)".
 *
 * Returns: (transfer full) (nullable): the line, or %NULL when there was
 *   at most one attempt
 */
char *
byok_message_row_format_fallback (const char  *attempts,
                                  ByokCatalog *catalog)
{
  g_auto(GStrv) steps = NULL;
  g_autoptr(GString) out = NULL;
  guint n;

  if (attempts == NULL || *attempts == '\0')
    return NULL;

  steps = g_strsplit (attempts, " → ", -1);
  n = g_strv_length (steps);
  if (n < 2)
    return NULL;

  out = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    {
      /* "provider/model: CLASS (HTTP 429)" or "provider/model: ok" */
      const char *step = steps[i];
      const char *slash = strchr (step, '/');
      const char *colon = g_strrstr (step, ": ");
      g_autofree char *provider_id = slash != NULL ? g_strndup (step, slash - step) : g_strdup (step);
      const char *name = provider_name (catalog, provider_id);
      g_autofree char *outcome = colon != NULL ? g_strdup (colon + 2) : g_strdup ("");
      const char *http = strstr (outcome, "(HTTP ");

      if (i > 0)
        /* Translators: between two attempts of one answer ("OpenAI 429 → …") */
        g_string_append (out, _(" → "));

      if (g_str_equal (outcome, "ok"))
        {
          /* Translators: the provider that answered after a fallback */
          g_string_append_printf (out, _("answered by %s"), name);
          continue;
        }
      if (http != NULL)
        {
          guint status = (guint) g_ascii_strtoull (http + strlen ("(HTTP "), NULL, 10);
          /* Translators: a failed attempt: provider and HTTP status ("OpenAI 429") */
          g_string_append_printf (out, _("%s %u"), name, status);
        }
      else
        {
          char *space = strchr (outcome, ' ');

          if (space != NULL)
            *space = '\0';
          /* Translators: a failed attempt: provider and what went wrong ("OpenAI timed out") */
          g_string_append_printf (out, _("%s %s"), name, describe_class (outcome));
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---- the parts of the row ------------------------------------------------ */

/* Images as pictures, PDFs and text files as chips; each opens its
 * preview. */
static GtkWidget *
create_attachment_chip (ByokAttachment *attachment)
{
  GtkWidget *chip = byok_attachment_chip_new (attachment);

  byok_attachment_chip_set_large (BYOK_ATTACHMENT_CHIP (chip), TRUE);
  gtk_widget_set_valign (chip, GTK_ALIGN_END);
  return chip;
}

static void
update_attachments (ByokMessageRow *self)
{
  GPtrArray *attachments = self->message != NULL && is_user (self)
                           ? byok_message_get_attachments (self->message) : NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->attachments_box))) != NULL)
    gtk_box_remove (self->attachments_box, child);
  for (guint i = 0; attachments != NULL && i < attachments->len; i++)
    gtk_box_append (self->attachments_box, create_attachment_chip (g_ptr_array_index (attachments, i)));
  gtk_widget_set_visible (self->attachments_scroller, attachments != NULL && attachments->len > 0);
}

static void
update_user (ByokMessageRow *self)
{
  const char *content = byok_message_get_content (self->message);

  gtk_label_set_label (self->user_label, content);
  /* A message of files alone has no bubble. */
  gtk_widget_set_visible (GTK_WIDGET (self->user_label), *content != '\0');
  update_attachments (self);
}

/* The view appends a text that extends what it shows (a streaming answer)
 * and renders anything else again. */
static void
update_content (ByokMessageRow *self)
{
  const char *content;

  if (is_user (self))
    {
      update_user (self);
      return;
    }

  content = self->message != NULL ? byok_message_get_content (self->message) : "";
  byok_markdown_pane_set_text (BYOK_MARKDOWN_PANE (self->markdown), content);
  gtk_widget_set_visible (GTK_WIDGET (self->content_box), *content != '\0');
}

static void
update_reasoning (ByokMessageRow *self)
{
  const char *reasoning = self->message != NULL ? byok_message_get_reasoning (self->message) : "";
  gboolean streaming = self->message != NULL && has_status (self->message, BYOK_MESSAGE_STATUS_STREAMING);
  gboolean thinking = streaming && *byok_message_get_content (self->message) == '\0';

  gtk_widget_set_visible (GTK_WIDGET (self->reasoning_expander), !is_user (self) && *reasoning != '\0');
  gtk_expander_set_label (self->reasoning_expander, thinking ? _("Thinking…") : _("Reasoning"));
  /* Only an open expander shows it: a closed one needs no layout. */
  if (gtk_expander_get_expanded (self->reasoning_expander) ||
      g_strcmp0 (gtk_label_get_label (self->reasoning_label), "") != 0)
    gtk_label_set_label (self->reasoning_label, reasoning);
}

static void
update_caption (ByokMessageRow *self)
{
  g_autofree char *caption = NULL;
  g_autofree char *fallback = NULL;
  g_autofree char *warning = NULL;
  g_autofree char *description = NULL;

  if (self->message != NULL)
    {
      caption = byok_message_row_format_caption (self->message, self->catalog);
      warning = byok_message_row_format_cost_warning (self->message, self->catalog);
      if (!is_user (self))
        fallback = byok_message_row_format_fallback (byok_message_get_attempts (self->message), self->catalog);
    }

  gtk_label_set_label (self->caption_label, caption != NULL ? caption : "");
  /* The list's row reads it after the row's name ("Answer"), the
   * warning after it. */
  description = warning != NULL && caption != NULL ? g_strconcat (caption, ". ", warning, NULL) : NULL;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description != NULL ? description : caption != NULL ? caption : "", -1);
  gtk_label_set_label (self->cost_warning_label, warning != NULL ? warning : "");
  gtk_widget_set_visible (GTK_WIDGET (self->cost_warning_box), warning != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->caption_label), caption != NULL);
  gtk_label_set_label (self->fallback_label, fallback != NULL ? fallback : "");
  gtk_widget_set_visible (GTK_WIDGET (self->fallback_label), fallback != NULL);
}

static void
clear_retry_timeout (ByokMessageRow *self)
{
  if (self->retry_timeout_id != 0)
    {
      g_source_remove (self->retry_timeout_id);
      self->retry_timeout_id = 0;
    }
}

static gboolean
retry_tick_cb (gpointer data);

static void
set_error_action (ByokMessageRow *self,
                  const char     *action,
                  GVariant       *target)
{
  /* Name last: the target's type must match the action's when it is set. */
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->error_button), NULL);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->error_button), target);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->error_button), action);
}

/* "Retry" of a rate limit counts down the wait, then is offered. While it
 * waits the button has no action (the action would make it sensitive). */
static void
update_retry_countdown (ByokMessageRow *self)
{
  gint64 left = self->retry_at_us - g_get_real_time ();

  if (left <= 0)
    {
      clear_retry_timeout (self);
      gtk_button_set_label (self->error_button, _("_Retry"));
      set_error_action (self, "chat.regenerate-message", g_variant_new_int64 (byok_message_get_id (self->message)));
      gtk_widget_set_sensitive (GTK_WIDGET (self->error_button), TRUE);
      return;
    }

  {
    g_autofree char *label = NULL;
    int seconds = (int) ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
    GtkWidget *child;

    /* Translators: a button that becomes "Retry" after a rate limit's wait */
    label = g_strdup_printf (ngettext ("Retry in %d second", "Retry in %d seconds", seconds), seconds);
    gtk_button_set_label (self->error_button, label);
    /* As wide as the countdown's first text, until "Retry": the button
     * under the pointer neither shrinks nor moves as the seconds go by. */
    child = gtk_button_get_child (self->error_button);
    if (GTK_IS_LABEL (child) && gtk_label_get_width_chars (GTK_LABEL (child)) < 0)
      gtk_label_set_width_chars (GTK_LABEL (child), (int) g_utf8_strlen (label, -1) + 1);
    set_error_action (self, NULL, NULL);
    gtk_widget_set_sensitive (GTK_WIDGET (self->error_button), FALSE);
    if (self->retry_timeout_id == 0)
      self->retry_timeout_id = g_timeout_add_seconds (1, retry_tick_cb, self);
  }
}

static gboolean
retry_tick_cb (gpointer data)
{
  ByokMessageRow *self = data;

  update_retry_countdown (self);
  return self->retry_timeout_id != 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* The fix a person can apply for each class of failure. */
static void
update_error (ByokMessageRow *self)
{
  const char *error_class = NULL;
  const char *title = NULL;
  const char *button = NULL;
  const char *action = NULL;
  GVariant *target = NULL;
  ByokErrorRemedy remedy;
  ByokErrorCode code;
  gboolean budget_lifted;
  gint64 id = 0;

  clear_retry_timeout (self);

  if (self->message != NULL && has_status (self->message, BYOK_MESSAGE_STATUS_ERROR))
    {
      error_class = byok_message_get_error_class (self->message);
      id = byok_message_get_id (self->message);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->error_box), error_class != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->error_secondary_button), FALSE);
  if (GTK_IS_LABEL (gtk_button_get_child (self->error_button)))
    gtk_label_set_width_chars (GTK_LABEL (gtk_button_get_child (self->error_button)), -1);
  gtk_widget_set_sensitive (GTK_WIDGET (self->error_button), TRUE);
  if (error_class == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->error_button), FALSE);
      return;
    }

  if (!byok_error_code_from_string (error_class, &code))
    code = BYOK_ERROR_INVALID;
  remedy = byok_error_remedy_get (code);
  budget_lifted = code == BYOK_ERROR_BUDGET &&
                  g_object_get_data (G_OBJECT (self->message), BUDGET_LIFTED_KEY) != NULL;
  if (budget_lifted)
    {
      /* The budget was raised (or its stop turned off) since. */
      remedy.remedy = BYOK_REMEDY_RETRY;
      remedy.button = _("_Retry");
    }
  title = remedy.title;
  button = remedy.button;

  switch (remedy.remedy)
    {
    case BYOK_REMEDY_SHOW_PAGE:
      action = "win.show-page";
      target = g_variant_new_string (remedy.page);
      break;
    case BYOK_REMEDY_RETRY:
      /* A rate limit's action is set once the wait is over
       * (update_retry_countdown). */
      if (code != BYOK_ERROR_RATE_LIMIT)
        {
          action = "chat.regenerate-message";
          target = g_variant_new_int64 (id);
        }
      break;
    case BYOK_REMEDY_OTHER_MODEL:
      action = "chat.regenerate-message-with";
      target = g_variant_new_int64 (id);
      break;
    case BYOK_REMEDY_NONE:
    default:
      break;
    }

  if (code == BYOK_ERROR_BUDGET && !budget_lifted)
    {
      /* Or confirm this one answer; the budget stays as it is. */
      gtk_button_set_label (self->error_secondary_button, _("Send _Anyway"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->error_secondary_button),
                                   _("Ask again this once despite the budget’s hard stop; the budget stays as it is"));
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->error_secondary_button), g_variant_new_int64 (id));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->error_secondary_button), "chat.send-anyway");
      gtk_widget_set_visible (GTK_WIDGET (self->error_secondary_button), TRUE);
    }

  gtk_label_set_label (self->error_title, title);
  gtk_label_set_label (self->error_label, byok_message_get_error_message (self->message) != NULL
                                          ? byok_message_get_error_message (self->message) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_button), button != NULL);
  if (button == NULL)
    return;

  gtk_button_set_use_underline (self->error_button, TRUE);
  gtk_button_set_label (self->error_button, button);

  if (code != BYOK_ERROR_RATE_LIMIT)
    set_error_action (self, action, target);
  else
    {
      gint64 *noted = g_object_get_data (G_OBJECT (self->message), RETRY_AT_KEY);

      if (noted != NULL)
        self->retry_at_us = *noted;
      else
        self->retry_at_us = byok_message_get_created (self->message) +
                            MAX (byok_message_get_latency_us (self->message), 0) +
                            BYOK_MESSAGE_ROW_RATE_LIMIT_WAIT_US;
      update_retry_countdown (self);
    }
}

/* The "more" menu is made when it first opens, not for every row: rows are
 * many and the menu rarely used. Its items are the row's actions, which
 * follow whatever message the row shows. */
static void
create_menu_cb (GtkMenuButton *button,
                gpointer       user_data)
{
  ByokMessageRow *self = user_data;

  gtk_menu_button_set_menu_model (button, self->more_menu);
}

static gboolean waiting_tick_cb (gpointer data);

/* What the row says while the answer has not begun: a retry's wait
 * counted down, the model thinking, or waiting. */
static void
update_waiting (ByokMessageRow *self,
                gboolean        waiting)
{
  Retrying *retrying = waiting ? g_object_get_data (G_OBJECT (self->message), RETRYING_KEY) : NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->waiting_stop_button), retrying != NULL);
  if (retrying != NULL)
    {
      gint64 left = retrying->deadline_us - g_get_monotonic_time ();
      g_autofree char *text = byok_retry_notice_describe (retrying->notice, left);

      gtk_label_set_label (self->waiting_label, text);
      if (left > 0 && self->waiting_timeout_id == 0)
        self->waiting_timeout_id = g_timeout_add_seconds (1, waiting_tick_cb, self);
      return;
    }
  g_clear_handle_id (&self->waiting_timeout_id, g_source_remove);
  if (waiting)
    gtk_label_set_label (self->waiting_label,
                         *byok_message_get_reasoning (self->message) != '\0'
                         ? _("Thinking…") : _("Waiting for the answer…"));
}

static gboolean
waiting_tick_cb (gpointer data)
{
  ByokMessageRow *self = data;
  gboolean waiting = self->message != NULL && has_status (self->message, BYOK_MESSAGE_STATUS_STREAMING) &&
                     *byok_message_get_content (self->message) == '\0';
  Retrying *retrying = waiting ? g_object_get_data (G_OBJECT (self->message), RETRYING_KEY) : NULL;

  update_waiting (self, waiting);
  if (retrying != NULL && retrying->deadline_us > g_get_monotonic_time ())
    return G_SOURCE_CONTINUE;
  self->waiting_timeout_id = 0;
  return G_SOURCE_REMOVE;
}

static void
update_status (ByokMessageRow *self)
{
  gboolean user = is_user (self);
  gboolean streaming = self->message != NULL && has_status (self->message, BYOK_MESSAGE_STATUS_STREAMING);
  gboolean partial = self->message != NULL && has_status (self->message, BYOK_MESSAGE_STATUS_PARTIAL);
  gboolean waiting = streaming && *byok_message_get_content (self->message) == '\0';

  gtk_widget_set_visible (GTK_WIDGET (self->waiting_box), !user && waiting);
  gtk_spinner_set_spinning (self->spinner, !user && waiting);
  update_waiting (self, !user && waiting);
  gtk_widget_set_visible (GTK_WIDGET (self->partial_box), !user && partial);
  gtk_widget_set_visible (GTK_WIDGET (self->actions_box), !streaming);
  if (streaming)
    gtk_widget_add_css_class (GTK_WIDGET (self), "streaming");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "streaming");

  update_reasoning (self);
  update_error (self);
  update_caption (self);
}

/* One ByokToolBlockView per tool call of the answer, reused in order. */
static void
update_tool_blocks (ByokMessageRow *self)
{
  GPtrArray *blocks = self->message != NULL && !is_user (self)
                      ? byok_message_get_tool_blocks (self->message) : NULL;
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->tool_box));
  guint n = blocks != NULL ? blocks->len : 0;

  for (guint i = 0; i < n; i++)
    {
      if (child == NULL)
        {
          child = byok_tool_block_view_new ();
          gtk_box_append (self->tool_box, child);
        }
      byok_tool_block_view_set_block (BYOK_TOOL_BLOCK_VIEW (child), g_ptr_array_index (blocks, i));
      child = gtk_widget_get_next_sibling (child);
    }
  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      gtk_box_remove (self->tool_box, child);
      child = next;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->tool_box), n > 0);
}

static void
update_role (ByokMessageRow *self)
{
  gboolean user = is_user (self);
  gint64 id = self->message != NULL ? byok_message_get_id (self->message) : 0;

  gtk_widget_set_visible (GTK_WIDGET (self->user_stack), user);
  if (!user)
    gtk_widget_set_visible (self->attachments_scroller, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->edit_button), user);
  gtk_widget_set_visible (GTK_WIDGET (self->regenerate_button), !user);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->regenerate_button), g_variant_new_int64 (id));
  if (!user)
    gtk_widget_set_visible (GTK_WIDGET (self->content_box), FALSE);

  /* A question starts an exchange: a little more room above it. */
  gtk_widget_set_margin_top (GTK_WIDGET (self->box), user ? 18 : 6);

  if (user)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "user");
      gtk_widget_remove_css_class (GTK_WIDGET (self), "assistant");
      gtk_widget_set_halign (GTK_WIDGET (self->actions_box), GTK_ALIGN_END);
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "assistant");
      gtk_widget_remove_css_class (GTK_WIDGET (self), "user");
      gtk_widget_set_halign (GTK_WIDGET (self->actions_box), GTK_ALIGN_START);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "message.regenerate-with", !user);
}

static void
update_a11y (ByokMessageRow *self)
{
  const char *label;

  if (self->message == NULL)
    return;
  if (is_user (self))
    label = _("Your message");
  else if (has_status (self->message, BYOK_MESSAGE_STATUS_STREAMING))
    label = _("Answer, arriving");
  else
    label = _("Answer");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
message_notify_cb (ByokMessage    *message,
                   GParamSpec     *pspec,
                   ByokMessageRow *self)
{
  const char *name = pspec->name;

  if (g_str_equal (name, "content"))
    {
      update_content (self);
      if (has_status (message, BYOK_MESSAGE_STATUS_STREAMING))
        update_status (self);
    }
  else if (g_str_equal (name, "reasoning"))
    {
      update_reasoning (self);
      if (has_status (message, BYOK_MESSAGE_STATUS_STREAMING))
        update_status (self);
    }
  else if (g_str_equal (name, "status"))
    {
      update_status (self);
      update_a11y (self);
    }
  else if (g_str_equal (name, "role"))
    {
      update_role (self);
      update_content (self);
      update_status (self);
    }
  else if (g_str_equal (name, "id"))
    {
      update_role (self);
      update_error (self);
    }
  else if (g_str_equal (name, "error-class") || g_str_equal (name, "error-message"))
    update_error (self);
  else if (g_str_equal (name, "tool-blocks"))
    update_tool_blocks (self);
  else
    update_caption (self);
}

static void
stop_editing (ByokMessageRow *self)
{
  self->editing = FALSE;
  gtk_stack_set_visible_child_name (self->user_stack, "view");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "message.cancel-edit", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "message.send-edit", FALSE);
}

void
byok_message_row_set_message (ByokMessageRow *self,
                              ByokMessage    *message)
{
  g_return_if_fail (BYOK_IS_MESSAGE_ROW (self));
  g_return_if_fail (message == NULL || BYOK_IS_MESSAGE (message));

  if (self->message == message)
    return;

  if (self->message != NULL)
    g_signal_handlers_disconnect_by_func (self->message, message_notify_cb, self);
  g_set_object (&self->message, message);
  stop_editing (self);
  gtk_expander_set_expanded (self->reasoning_expander, FALSE);
  gtk_label_set_label (self->reasoning_label, "");
  update_tool_blocks (self);

  if (message == NULL)
    {
      clear_retry_timeout (self);
      g_clear_handle_id (&self->waiting_timeout_id, g_source_remove);
      return;
    }

  g_signal_connect (message, "notify", G_CALLBACK (message_notify_cb), self);
  update_role (self);
  update_content (self);
  update_status (self);
  update_a11y (self);
}

ByokMessage *
byok_message_row_get_message (ByokMessageRow *self)
{
  g_return_val_if_fail (BYOK_IS_MESSAGE_ROW (self), NULL);

  return self->message;
}

void
byok_message_row_set_catalog (ByokMessageRow *self,
                              ByokCatalog    *catalog)
{
  g_return_if_fail (BYOK_IS_MESSAGE_ROW (self));

  if (g_set_object (&self->catalog, catalog))
    update_caption (self);
}

gboolean
byok_message_row_get_editing (ByokMessageRow *self)
{
  g_return_val_if_fail (BYOK_IS_MESSAGE_ROW (self), FALSE);

  return self->editing;
}

void
byok_message_row_start_editing (ByokMessageRow *self)
{
  g_return_if_fail (BYOK_IS_MESSAGE_ROW (self));

  if (!is_user (self))
    return;

  self->editing = TRUE;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->edit_view),
                            byok_message_get_content (self->message), -1);
  gtk_stack_set_visible_child_name (self->user_stack, "edit");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "message.cancel-edit", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "message.send-edit", TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->edit_view));
}

/* ---- actions ------------------------------------------------------------- */

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ByokMessageRow *self = BYOK_MESSAGE_ROW (widget);

  if (self->message == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), byok_message_get_content (self->message));
  gtk_widget_activate_action (widget, "win.show-toast", "s", _("Copied to the clipboard"));
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  byok_message_row_start_editing (BYOK_MESSAGE_ROW (widget));
}

static void
cancel_edit_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ByokMessageRow *self = BYOK_MESSAGE_ROW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  gboolean had_focus = focus != NULL && gtk_widget_is_ancestor (focus, widget);

  stop_editing (self);
  /* The focus goes back where the person started, to Edit, not to the
   * message's text (which would select it whole). */
  if (had_focus)
    gtk_widget_grab_focus (GTK_WIDGET (self->edit_button));
}

static void
send_edit_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ByokMessageRow *self = BYOK_MESSAGE_ROW (widget);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->edit_view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  if (self->message == NULL || !self->editing)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  if (*text == '\0')
    return;

  stop_editing (self);
  gtk_widget_activate_action (widget, "chat.resend-message", "(xs)",
                              byok_message_get_id (self->message), text);
}

/* The page's actions, for the message the row shows. */
static void
regenerate_with_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  ByokMessageRow *self = BYOK_MESSAGE_ROW (widget);

  if (self->message != NULL)
    gtk_widget_activate_action (widget, "chat.regenerate-message-with", "x", byok_message_get_id (self->message));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ByokMessageRow *self = BYOK_MESSAGE_ROW (widget);

  if (self->message != NULL)
    gtk_widget_activate_action (widget, "chat.delete-message", "x", byok_message_get_id (self->message));
}

/* ---- object -------------------------------------------------------------- */

static void
byok_message_row_dispose (GObject *object)
{
  ByokMessageRow *self = BYOK_MESSAGE_ROW (object);

  clear_retry_timeout (self);
  g_clear_handle_id (&self->waiting_timeout_id, g_source_remove);
  if (self->message != NULL)
    g_signal_handlers_disconnect_by_func (self->message, message_notify_cb, self);
  g_clear_object (&self->message);
  g_clear_object (&self->catalog);

  G_OBJECT_CLASS (byok_message_row_parent_class)->dispose (object);
}

static void
expanded_cb (ByokMessageRow *self)
{
  update_reasoning (self);
}

static void
byok_message_row_class_init (ByokMessageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byok_message_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-message-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, box);
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, attachments_scroller);
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, attachments_box);
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, user_stack);
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, user_label);
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, edit_view);
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, reasoning_expander);
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, reasoning_label);
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, tool_box);
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, content_box);
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, waiting_box);
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, waiting_label);
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, waiting_stop_button);
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, partial_box);
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, error_box);
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, error_title);
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, error_label);
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, error_button);
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, error_secondary_button);
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, caption_label);
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, cost_warning_box);
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, cost_warning_label);
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, fallback_label);
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, actions_box);
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, edit_button);
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, regenerate_button);
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, more_button);
  gtk_widget_class_bind_template_child (widget_class, ByokMessageRow, more_menu);

  gtk_widget_class_install_action (widget_class, "message.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "message.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "message.cancel-edit", NULL, cancel_edit_action);
  gtk_widget_class_install_action (widget_class, "message.send-edit", NULL, send_edit_action);
  gtk_widget_class_install_action (widget_class, "message.regenerate-with", NULL, regenerate_with_action);
  gtk_widget_class_install_action (widget_class, "message.delete", NULL, delete_action);

  /* While editing: Escape cancels, Ctrl+Enter sends. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "message.cancel-edit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "message.send-edit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "message.send-edit", NULL);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
byok_message_row_init (ByokMessageRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  byok_a11y_fix_mnemonic_buttons (GTK_WIDGET (self));

  self->markdown = byok_markdown_pane_new ();
  gtk_widget_set_hexpand (self->markdown, TRUE);
  gtk_box_append (self->content_box, self->markdown);

  /* The target is the message's id, set on each bind. */
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->regenerate_button), g_variant_new_int64 (0));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->regenerate_button), "chat.regenerate-message");

  gtk_menu_button_set_create_popup_func (self->more_button, create_menu_cb, self, NULL);
  g_signal_connect_object (self->reasoning_expander, "notify::expanded",
                           G_CALLBACK (expanded_cb), self, G_CONNECT_SWAPPED);
  stop_editing (self);
}
