/* byok-compare-column.c — one model's answer in Compare mode
 *
 * One Run per call, with its ByokChatCall. The call's "delta" signals are
 * collected and shown at most once per frame (a tick callback), and the
 * view follows the end of
 * the answer unless the person scrolled up. Stop cancels at once and keeps
 * the text shown. A run outlives its column if it must: a column disposed
 * mid-answer cancels the call and lets go of the run, whose callback then
 * only frees it.
 */
#define G_LOG_DOMAIN "byok-compare-column"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "byok-a11y.h"
#include "byok-compare-column.h"
#include "byok-error.h"
#include "byok-error-remedy.h"
#include "byok-format.h"
#include "byok-markdown-pane.h"
#include "byok-message-row.h"

typedef enum {
  STATE_EMPTY,
  STATE_STREAMING,
  STATE_STOPPED,
  STATE_DONE,
  STATE_FAILED,
} State;

typedef struct {
  ByokCompareColumn *column;       /* NULL once the column let go */
  ByokChatCall      *call;
  GCancellable      *cancellable;
} Run;

struct _ByokCompareColumn
{
  AdwBin           parent_instance;

  State            state;
  Run             *run;
  guint            number;
  gboolean         removable;

  GString         *text;           /* shown */
  GString         *reasoning;      /* shown */
  GString         *pending_text;
  GString         *pending_reasoning;
  guint            tick_id;
  ByokRetryNotice *retry;          /* while a failed attempt waits to be tried again */
  gint64           retry_deadline_us;
  guint            retry_tick_id;
  gboolean         follow_end;

  ByokCatalog     *catalog;        /* of the engine last used, for names */
  char            *prompt;
  char            *provider_id;    /* asked, as the picker said at start */
  char            *model_id;
  char            *caption;
  char            *error_class;
  char            *error_message;
  ByokMessage     *answer;         /* of a finished call: its figures too */
  GArray          *usage_ids;      /* gint64: the usage rows of that call */
  /* The figures of a finished answer, NAN when unknown, and their labels */
  double           figures[BYOK_COMPARE_N_FIGURES];
  GtkWidget       *figure_labels[BYOK_COMPARE_N_FIGURES];

  GtkWidget       *markdown;       /* ByokMarkdownPane */

  GtkBox          *card;
  ByokModelPicker *picker;
  GtkButton       *remove_button;
  GtkLabel        *streaming_label;
  GtkScrolledWindow *scroller;
  GtkLabel        *empty_label;
  GtkBox          *waiting_box;
  GtkSpinner      *spinner;
  GtkLabel        *waiting_label;
  GtkExpander     *reasoning_expander;
  GtkLabel        *reasoning_label;
  GtkBox          *content_box;
  GtkBox          *partial_box;
  GtkBox          *error_box;
  GtkLabel        *error_title;
  GtkLabel        *error_label;
  GtkButton       *error_button;
  GtkRevealer     *footer_revealer;
  GtkLabel        *answered_label;
  GtkGrid         *stats;
  GtkBox          *actions_box;
  GtkButton       *copy_button;
  GtkButton       *continue_button;
};

G_DEFINE_FINAL_TYPE (ByokCompareColumn, byok_compare_column, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

enum {
  REMOVE,
  CONTINUE_IN_CHAT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

GtkWidget *
byok_compare_column_new (void)
{
  return g_object_new (BYOK_TYPE_COMPARE_COLUMN, NULL);
}

ByokModelPicker *
byok_compare_column_get_picker (ByokCompareColumn *self)
{
  g_return_val_if_fail (BYOK_IS_COMPARE_COLUMN (self), NULL);

  return self->picker;
}

gboolean
byok_compare_column_get_busy (ByokCompareColumn *self)
{
  g_return_val_if_fail (BYOK_IS_COMPARE_COLUMN (self), FALSE);

  return self->state == STATE_STREAMING;
}

/**
 * byok_compare_column_get_text:
 *
 * Returns: the answer as shown (what arrived up to the last frame)
 */
const char *
byok_compare_column_get_text (ByokCompareColumn *self)
{
  g_return_val_if_fail (BYOK_IS_COMPARE_COLUMN (self), NULL);

  return self->text->str;
}

const char *
byok_compare_column_get_reasoning (ByokCompareColumn *self)
{
  g_return_val_if_fail (BYOK_IS_COMPARE_COLUMN (self), NULL);

  return self->reasoning->str;
}

/**
 * byok_compare_column_get_caption:
 *
 * Returns: (nullable): the figures of the finished call, as the chat
 *   writes them under an answer ("OpenAI · gpt-4o · 1,234 in · 567 out ·
 *   $0.0042 · first token 850 ms · 2.4 s total"); %NULL while nothing
 *   finished
 */
const char *
byok_compare_column_get_caption (ByokCompareColumn *self)
{
  g_return_val_if_fail (BYOK_IS_COMPARE_COLUMN (self), NULL);

  return self->caption;
}

/**
 * byok_compare_column_get_error_class:
 *
 * Returns: (nullable): the class of the last call's error ("AUTH",
 *   "CANCELLED" once a stopped call wound down, …), %NULL when it did not
 *   fail or has not finished
 */
const char *
byok_compare_column_get_error_class (ByokCompareColumn *self)
{
  g_return_val_if_fail (BYOK_IS_COMPARE_COLUMN (self), NULL);

  return self->error_class;
}

/**
 * byok_compare_column_get_error_message:
 *
 * Returns: (nullable): what went wrong in the last call, as shown
 */
const char *
byok_compare_column_get_error_message (ByokCompareColumn *self)
{
  g_return_val_if_fail (BYOK_IS_COMPARE_COLUMN (self), NULL);

  return self->error_message;
}

/**
 * byok_compare_column_get_prompt:
 *
 * Returns: (nullable): the prompt of the last call
 */
const char *
byok_compare_column_get_prompt (ByokCompareColumn *self)
{
  g_return_val_if_fail (BYOK_IS_COMPARE_COLUMN (self), NULL);

  return self->prompt;
}

/**
 * byok_compare_column_get_provider_id:
 *
 * Returns: (nullable): the provider the last call asked
 */
const char *
byok_compare_column_get_provider_id (ByokCompareColumn *self)
{
  g_return_val_if_fail (BYOK_IS_COMPARE_COLUMN (self), NULL);

  return self->provider_id;
}

/**
 * byok_compare_column_get_model_id:
 *
 * Returns: (nullable): the model the last call asked
 */
const char *
byok_compare_column_get_model_id (ByokCompareColumn *self)
{
  g_return_val_if_fail (BYOK_IS_COMPARE_COLUMN (self), NULL);

  return self->model_id;
}

/**
 * byok_compare_column_get_answer:
 *
 * Returns: (transfer none) (nullable): the answer of the last call once it
 *   finished, as a message not stored anywhere: its text, reasoning,
 *   tokens, cost, times and attempts
 */
ByokMessage *
byok_compare_column_get_answer (ByokCompareColumn *self)
{
  g_return_val_if_fail (BYOK_IS_COMPARE_COLUMN (self), NULL);

  return self->answer;
}

/**
 * byok_compare_column_get_usage_ids:
 * @n_ids: (out): how many
 *
 * Returns: (array length=n_ids) (nullable): the usage rows the engine
 *   recorded for the last call (every attempt), for the conversation that
 *   continues from it
 */
const gint64 *
byok_compare_column_get_usage_ids (ByokCompareColumn *self,
                                   guint             *n_ids)
{
  g_return_val_if_fail (BYOK_IS_COMPARE_COLUMN (self), NULL);
  g_return_val_if_fail (n_ids != NULL, NULL);

  *n_ids = self->usage_ids->len;
  return self->usage_ids->len > 0 ? (const gint64 *) (void *) self->usage_ids->data : NULL;
}

/* ---- how the column looks ------------------------------------------------ */

static void
update_a11y (ByokCompareColumn *self)
{
  g_autofree char *model = byok_model_picker_dup_label (self->picker,
                                                        byok_model_picker_get_provider_id (self->picker),
                                                        byok_model_picker_get_model_id (self->picker));
  g_autofree char *label = NULL;
  g_autofree char *remove = NULL;

  if (self->number > 0)
    {
      /* Translators: how a screen reader names a column of Compare mode:
       * its number and its model ("Column 2, OpenAI · GPT-4o") */
      label = g_strdup_printf (_("Column %u, %s"), self->number, model);
      /* Translators: the remove button of a column of Compare mode */
      remove = g_strdup_printf (_("Remove column %u"), self->number);
    }
  else
    {
      label = g_strdup (model);
      remove = g_strdup (_("Remove this column"));
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button), GTK_ACCESSIBLE_PROPERTY_LABEL, remove, -1);
}

static void
update_actions (ByokCompareColumn *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean busy = self->state == STATE_STREAMING;
  gboolean can_copy = !busy && self->text->len > 0;
  gboolean can_continue = self->state == STATE_DONE && self->text->len > 0;

  gtk_widget_action_set_enabled (widget, "column.remove", self->removable && !busy);
  gtk_widget_action_set_enabled (widget, "column.copy", can_copy);
  gtk_widget_action_set_enabled (widget, "column.continue-in-chat", can_continue);
  /* Only what can be done with this answer is offered. */
  gtk_widget_set_visible (GTK_WIDGET (self->copy_button), can_copy);
  gtk_widget_set_visible (GTK_WIDGET (self->continue_button), can_continue);
  gtk_widget_set_visible (GTK_WIDGET (self->actions_box), can_copy || can_continue);
}

/* "Answered by …" when the picker now names another model than the one
 * that gave the answer shown. */
static void
update_answered (ByokCompareColumn *self)
{
  gboolean other = self->model_id != NULL && self->state != STATE_EMPTY &&
                   (g_strcmp0 (self->provider_id, byok_model_picker_get_provider_id (self->picker)) != 0 ||
                    g_strcmp0 (self->model_id, byok_model_picker_get_model_id (self->picker)) != 0);

  if (other)
    {
      g_autofree char *name = byok_model_picker_dup_label (self->picker, self->provider_id, self->model_id);
      g_autofree char *text = NULL;

      /* Translators: under an answer of Compare mode whose column now has
       * another model chosen ("Answered by OpenAI · GPT-4o") */
      text = g_strdup_printf (_("Answered by %s"), name);
      gtk_label_set_label (self->answered_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->answered_label), other);
}

static void
update_waiting (ByokCompareColumn *self)
{
  gboolean waiting = self->state == STATE_STREAMING && self->text->len == 0;

  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), self->state == STATE_EMPTY);
  gtk_label_set_label (self->empty_label,
                       byok_model_picker_get_model_id (self->picker) != NULL
                       ? _("The answer appears here") : _("Choose a model for this column"));
  gtk_widget_set_visible (GTK_WIDGET (self->waiting_box), waiting);
  gtk_spinner_set_spinning (self->spinner, waiting);
  /* Once text arrives, the header says the answer is not complete yet
   * (no animation: a spinner for the whole answer would redraw the
   * window on every frame). */
  gtk_widget_set_visible (GTK_WIDGET (self->streaming_label), self->state == STATE_STREAMING && !waiting);
  if (waiting && self->retry != NULL)
    {
      g_autofree char *text = byok_retry_notice_describe (self->retry, self->retry_deadline_us - g_get_monotonic_time ());

      gtk_label_set_label (self->waiting_label, text);
    }
  else
    gtk_label_set_label (self->waiting_label,
                         self->reasoning->len > 0 ? _("Thinking…") : _("Waiting for the answer…"));
  gtk_widget_set_visible (GTK_WIDGET (self->content_box), self->text->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->partial_box), self->state == STATE_STOPPED);
}

static void
update_reasoning (ByokCompareColumn *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->reasoning_expander), self->reasoning->len > 0);
  /* A closed expander's label is not drawn: set it when it opens. */
  if (gtk_expander_get_expanded (self->reasoning_expander))
    gtk_label_set_label (self->reasoning_label, self->reasoning->str);
}

static void
set_busy_state (ByokCompareColumn *self,
                State              state)
{
  gboolean was_busy = self->state == STATE_STREAMING;

  self->state = state;
  if (state == STATE_STREAMING)
    gtk_widget_add_css_class (GTK_WIDGET (self->card), "streaming");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->card), "streaming");
  update_waiting (self);
  update_actions (self);
  update_answered (self);
  if (was_busy != (state == STATE_STREAMING))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* ---- following the end --------------------------------------------------- */

static gboolean
at_end (GtkAdjustment *adjustment)
{
  return gtk_adjustment_get_value (adjustment) >=
         gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment) - 24;
}

/* The person scrolled: follow the end again only once they are back at it. */
static void
value_changed_cb (GtkAdjustment     *adjustment,
                  ByokCompareColumn *self)
{
  self->follow_end = at_end (adjustment);
}

/* The answer grew: keep its end in sight if it was. */
static void
adjustment_changed_cb (GtkAdjustment     *adjustment,
                       ByokCompareColumn *self)
{
  if (self->follow_end && self->state == STATE_STREAMING)
    gtk_adjustment_set_value (adjustment,
                              gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
}

/* ---- streaming ----------------------------------------------------------- */

/* Pending text → the view. */
static void
flush (ByokCompareColumn *self)
{
  gboolean changed = FALSE;

  if (self->pending_reasoning->len > 0)
    {
      g_string_append_len (self->reasoning, self->pending_reasoning->str, self->pending_reasoning->len);
      g_string_truncate (self->pending_reasoning, 0);
      update_reasoning (self);
      changed = TRUE;
    }
  if (self->pending_text->len > 0)
    {
      byok_markdown_pane_append (BYOK_MARKDOWN_PANE (self->markdown), self->pending_text->str);
      g_string_append_len (self->text, self->pending_text->str, self->pending_text->len);
      g_string_truncate (self->pending_text, 0);
      changed = TRUE;
    }
  if (changed)
    update_waiting (self);
}

static gboolean
flush_tick_cb (GtkWidget     *widget,
               GdkFrameClock *frame_clock,
               gpointer       user_data)
{
  ByokCompareColumn *self = BYOK_COMPARE_COLUMN (widget);

  self->tick_id = 0;
  flush (self);
  return G_SOURCE_REMOVE;
}

/* A mapped column shows new text on the next frame; a hidden one keeps it
 * until it is shown again or the call ends. */
static void
schedule_flush (ByokCompareColumn *self)
{
  if (self->tick_id == 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), flush_tick_cb, NULL, NULL);
}

static void
cancel_flush (ByokCompareColumn *self)
{
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
}

static void
delta_cb (ByokChatCall *call,
          const char   *text,
          Run          *run)
{
  ByokCompareColumn *self = run->column;

  if (self == NULL || self->run != run || self->state != STATE_STREAMING)
    return;
  g_string_append (self->pending_text, text);
  schedule_flush (self);
}

static void
reasoning_delta_cb (ByokChatCall *call,
                    const char   *text,
                    Run          *run)
{
  ByokCompareColumn *self = run->column;

  if (self == NULL || self->run != run || self->state != STATE_STREAMING)
    return;
  g_string_append (self->pending_reasoning, text);
  schedule_flush (self);
}

/* A wait before a retry: counted down in the waiting line. */
static void
clear_retry (ByokCompareColumn *self)
{
  g_clear_handle_id (&self->retry_tick_id, g_source_remove);
  g_clear_pointer (&self->retry, byok_retry_notice_free);
}

static gboolean
retry_tick_cb (gpointer data)
{
  ByokCompareColumn *self = data;

  update_waiting (self);
  if (self->retry != NULL && self->retry_deadline_us > g_get_monotonic_time ())
    return G_SOURCE_CONTINUE;
  self->retry_tick_id = 0;
  return G_SOURCE_REMOVE;
}

static void
retrying_cb (ByokChatCall          *call,
             const ByokRetryNotice *notice,
             Run                   *run)
{
  ByokCompareColumn *self = run->column;

  if (self == NULL || self->run != run || self->state != STATE_STREAMING)
    return;
  clear_retry (self);
  self->retry = byok_retry_notice_copy (notice);
  self->retry_deadline_us = g_get_monotonic_time () + notice->wait_us;
  self->retry_tick_id = g_timeout_add_seconds (1, retry_tick_cb, self);
  update_waiting (self);
}

static void
run_free (Run *run)
{
  g_signal_handlers_disconnect_by_data (run->call, run);
  g_clear_object (&run->call);
  g_clear_object (&run->cancellable);
  g_free (run);
}

/* The column lets go of its run: the call is cancelled, and its callback
 * will only free it. */
static void
detach_run (ByokCompareColumn *self)
{
  Run *run = g_steal_pointer (&self->run);

  if (run == NULL)
    return;
  run->column = NULL;
  g_cancellable_cancel (run->cancellable);
}

/* ---- the end of a call --------------------------------------------------- */

static GtkWidget *
add_stat (ByokCompareColumn *self,
          int                row,
          const char        *name,
          const char        *value)
{
  GtkWidget *key = gtk_label_new (name);
  GtkWidget *val = gtk_label_new (value);

  gtk_label_set_xalign (GTK_LABEL (key), 0);
  gtk_widget_set_valign (key, GTK_ALIGN_START);
  gtk_widget_add_css_class (key, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (val), 1);
  gtk_label_set_selectable (GTK_LABEL (val), TRUE);
  gtk_label_set_wrap (GTK_LABEL (val), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (val), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_justify (GTK_LABEL (val), GTK_JUSTIFY_RIGHT);
  gtk_widget_set_hexpand (val, TRUE);
  gtk_widget_set_halign (val, GTK_ALIGN_END);
  gtk_widget_add_css_class (val, "numeric");
  gtk_grid_attach (self->stats, key, 0, row, 1, 1);
  gtk_grid_attach (self->stats, val, 1, row, 1, 1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (val), GTK_ACCESSIBLE_RELATION_LABELLED_BY, key, NULL, -1);
  return val;
}

static void
clear_stats (ByokCompareColumn *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->stats))) != NULL)
    gtk_grid_remove (self->stats, child);
  for (guint i = 0; i < BYOK_COMPARE_N_FIGURES; i++)
    {
      self->figures[i] = NAN;
      self->figure_labels[i] = NULL;
    }
}

/* The figures of @answer, one per row, so columns line up: input, output,
 * cost, time to first token, total time. */
static void
fill_stats (ByokCompareColumn *self,
            ByokMessage       *answer)
{
  ByokUsage usage;
  int row = 0;

  clear_stats (self);
  byok_message_get_usage (answer, &usage);

  if (byok_message_get_has_usage (answer))
    {
      g_autofree char *in = byok_format_tokens (usage.input_tokens);
      g_autofree char *out = byok_format_tokens (usage.output_tokens);

      if (usage.cached_input_tokens > 0)
        {
          g_autofree char *cached = byok_format_tokens (usage.cached_input_tokens);
          /* Translators: prompt tokens and the part read from the cache ("1,200 · 1,000 cached") */
          g_autofree char *text = g_strdup_printf (_("%s · %s cached"), in, cached);
          add_stat (self, row++, _("Input tokens"), text);
        }
      else
        add_stat (self, row++, _("Input tokens"), in);
      add_stat (self, row++, _("Output tokens"), out);
    }
  else if (!g_str_equal (byok_message_get_status (answer), BYOK_MESSAGE_STATUS_ERROR))
    add_stat (self, row++, _("Tokens"), _("not reported"));

  if (byok_message_get_price_known (answer))
    {
      g_autofree char *cost = byok_format_usd (byok_message_get_cost_usd (answer));
      self->figure_labels[BYOK_COMPARE_FIGURE_COST] = add_stat (self, row++, _("Cost"), cost);
      self->figures[BYOK_COMPARE_FIGURE_COST] = byok_message_get_cost_usd (answer);
    }
  else if (byok_message_get_has_usage (answer) ||
           !g_str_equal (byok_message_get_status (answer), BYOK_MESSAGE_STATUS_ERROR))
    {
      g_autofree char *unknown = byok_format_usd_unknown ();
      add_stat (self, row++, _("Cost"), unknown);
    }
  if (byok_message_get_cost_reported (answer))
    {
      g_autofree char *billed = byok_format_usd (byok_message_get_reported_cost_usd (answer));
      g_autofree char *warning = byok_message_row_format_cost_warning (answer, self->catalog);
      /* Translators: what the provider said it billed for the answer */
      GtkWidget *label = add_stat (self, row++, _("Billed"), billed);

      /* Byok's price and the bill differ: say so where the figure is. */
      if (warning != NULL)
        {
          gtk_widget_add_css_class (label, "warning");
          gtk_widget_set_tooltip_text (label, warning);
          gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                          warning, -1);
        }
    }

  if (byok_message_get_ttft_us (answer) >= 0)
    {
      g_autofree char *ttft = byok_format_duration_us (byok_message_get_ttft_us (answer));
      self->figure_labels[BYOK_COMPARE_FIGURE_FIRST_TOKEN] = add_stat (self, row++, _("First token"), ttft);
      self->figures[BYOK_COMPARE_FIGURE_FIRST_TOKEN] = (double) byok_message_get_ttft_us (answer);
    }
  if (byok_message_get_latency_us (answer) >= 0)
    {
      g_autofree char *total = byok_format_duration_us (byok_message_get_latency_us (answer));
      self->figure_labels[BYOK_COMPARE_FIGURE_TOTAL_TIME] = add_stat (self, row++, _("Total time"), total);
      self->figures[BYOK_COMPARE_FIGURE_TOTAL_TIME] = (double) byok_message_get_latency_us (answer);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->stats), row > 0);
}

static void
show_error (ByokCompareColumn *self,
            const GError      *error)
{
  const char *title;
  const char *button = NULL;
  const char *page = NULL;
  const char *message;
  ByokErrorRemedy remedy;
  ByokErrorCode code;

  if (error == NULL || byok_error_is_cancelled (error))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->error_box), FALSE);
      return;
    }
  message = error->message;
  if (!byok_error_code_from_string (byok_error_get_class (error), &code))
    code = BYOK_ERROR_INVALID;

  /* A column has no message to ask again: it offers pages only. */
  remedy = byok_error_remedy_get (code);
  title = remedy.title;
  if (remedy.remedy == BYOK_REMEDY_SHOW_PAGE)
    {
      button = remedy.button;
      page = remedy.page;
    }

  gtk_label_set_label (self->error_title, title);
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_button), button != NULL);
  if (button != NULL)
    {
      gtk_button_set_label (self->error_button, button);
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->error_button), g_variant_new_string (page));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->error_button), "win.show-page");
    }
  gtk_widget_set_visible (GTK_WIDGET (self->error_box), TRUE);
}

static void
chat_done_cb (GObject      *source,
              GAsyncResult *async,
              gpointer      user_data)
{
  Run *run = user_data;
  ByokCompareColumn *self = run->column;
  g_autoptr(ByokChatResult) result = byok_chat_call_run_finish (BYOK_CHAT_CALL (source), async);
  g_autoptr(ByokMessage) answer = NULL;

  g_signal_handlers_disconnect_by_data (run->call, run);

  if (self == NULL || self->run != run)
    {
      run_free (run);
      return;
    }
  self->run = NULL;
  clear_retry (self);
  g_debug ("column %u finished: %s", self->number, byok_error_get_class (result->error));

  answer = byok_message_new (BYOK_MESSAGE_ROLE_ASSISTANT, "");
  /* The text, the attempts and the cost the engine recorded. */
  byok_message_set_from_result (answer, result);

  if (self->state == STATE_STREAMING)
    {
      cancel_flush (self);
      flush (self);
      /* The result has everything, also what no delta carried (an answer
       * that was not streamed after all). */
      if (!g_str_equal (self->text->str, result->text->str))
        {
          byok_markdown_pane_set_text (BYOK_MARKDOWN_PANE (self->markdown), result->text->str);
          g_string_assign (self->text, result->text->str);
        }
      if (!g_str_equal (self->reasoning->str, result->reasoning->str))
        {
          g_string_assign (self->reasoning, result->reasoning->str);
          update_reasoning (self);
        }
    }

  g_free (self->error_class);
  self->error_class = result->error != NULL ? g_strdup (byok_error_get_class (result->error)) : NULL;
  g_free (self->error_message);
  self->error_message = result->error != NULL ? g_strdup (result->error->message) : NULL;
  g_free (self->caption);
  self->caption = byok_message_row_format_caption (answer, self->catalog);
  g_set_object (&self->answer, answer);
  g_array_set_size (self->usage_ids, 0);
  for (guint i = 0; i < result->attempts->len; i++)
    {
      const ByokAttempt *attempt = g_ptr_array_index (result->attempts, i);

      if (attempt->usage_id > 0)
        g_array_append_val (self->usage_ids, attempt->usage_id);
    }

  show_error (self, result->error);
  fill_stats (self, answer);
  gtk_revealer_set_reveal_child (self->footer_revealer, TRUE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->stats), self->caption);

  if (self->state == STATE_STREAMING)
    set_busy_state (self, result->error == NULL ? STATE_DONE : STATE_FAILED);
  else
    update_actions (self);

  run_free (run);
}

/* ---- asking -------------------------------------------------------------- */

static void
reset (ByokCompareColumn *self)
{
  cancel_flush (self);
  g_string_truncate (self->text, 0);
  g_string_truncate (self->reasoning, 0);
  g_string_truncate (self->pending_text, 0);
  g_string_truncate (self->pending_reasoning, 0);
  byok_markdown_pane_set_text (BYOK_MARKDOWN_PANE (self->markdown), "");
  gtk_expander_set_expanded (self->reasoning_expander, FALSE);
  gtk_label_set_label (self->reasoning_label, "");
  update_reasoning (self);
  g_clear_pointer (&self->caption, g_free);
  g_clear_pointer (&self->error_class, g_free);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_object (&self->answer);
  g_array_set_size (self->usage_ids, 0);
  clear_retry (self);
  show_error (self, NULL);
  clear_stats (self);
  gtk_revealer_set_reveal_child (self->footer_revealer, FALSE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->stats), NULL);
  self->follow_end = TRUE;
}

/**
 * byok_compare_column_start:
 * @engine: the engine to ask
 * @request: the request, its model the picker's; the column keeps a
 *   reference and does not change it
 *
 * Clears the column and asks the picker's provider for @request->model,
 * with no fallbacks and no conversation.
 *
 * Returns: whether a call started (not when one streams, or no model is
 *   chosen)
 */
gboolean
byok_compare_column_start (ByokCompareColumn *self,
                           ByokEngine        *engine,
                           ByokChatRequest   *request)
{
  const char *provider_id;
  const ByokChatMessage *last;
  Run *run;

  g_return_val_if_fail (BYOK_IS_COMPARE_COLUMN (self), FALSE);
  g_return_val_if_fail (BYOK_IS_ENGINE (engine), FALSE);
  g_return_val_if_fail (request != NULL, FALSE);

  provider_id = byok_model_picker_get_provider_id (self->picker);
  if (self->state == STATE_STREAMING || provider_id == NULL || request->model == NULL)
    return FALSE;

  /* A stopped call still winding down is let go. */
  detach_run (self);
  reset (self);

  g_set_object (&self->catalog, byok_engine_get_catalog (engine));
  g_free (self->provider_id);
  self->provider_id = g_strdup (provider_id);
  g_free (self->model_id);
  self->model_id = g_strdup (request->model);
  last = byok_chat_request_get_n_messages (request) > 0
         ? byok_chat_request_get_message (request, byok_chat_request_get_n_messages (request) - 1)
         : NULL;
  g_free (self->prompt);
  self->prompt = g_strdup (last != NULL ? last->content : "");

  run = g_new0 (Run, 1);
  run->column = self;
  run->call = byok_engine_new_chat (engine, request, provider_id, request->model,
                                    NULL /* no fallbacks: the comparison is of this model */,
                                    0 /* no conversation */);
  run->cancellable = g_cancellable_new ();
  g_signal_connect (run->call, "delta", G_CALLBACK (delta_cb), run);
  g_signal_connect (run->call, "reasoning-delta", G_CALLBACK (reasoning_delta_cb), run);
  g_signal_connect (run->call, "retrying", G_CALLBACK (retrying_cb), run);
  self->run = run;

  set_busy_state (self, STATE_STREAMING);

  byok_chat_call_run_async (run->call, run->cancellable, chat_done_cb, run);
  return TRUE;
}

/**
 * byok_compare_column_stop:
 *
 * Cancels the call at once and keeps the text shown; the column says the
 * answer is incomplete. The figures follow when the call has wound down.
 */
void
byok_compare_column_stop (ByokCompareColumn *self)
{
  g_return_if_fail (BYOK_IS_COMPARE_COLUMN (self));

  if (self->state != STATE_STREAMING)
    return;

  cancel_flush (self);
  flush (self);
  clear_retry (self);
  set_busy_state (self, STATE_STOPPED);
  if (self->run != NULL)
    g_cancellable_cancel (self->run->cancellable);
}

/**
 * byok_compare_column_clear:
 *
 * Cancels any call and empties the column; the model stays.
 */
void
byok_compare_column_clear (ByokCompareColumn *self)
{
  g_return_if_fail (BYOK_IS_COMPARE_COLUMN (self));

  detach_run (self);
  reset (self);
  g_clear_pointer (&self->prompt, g_free);
  g_clear_pointer (&self->provider_id, g_free);
  g_clear_pointer (&self->model_id, g_free);
  set_busy_state (self, STATE_EMPTY);
}

/**
 * byok_compare_column_get_figure:
 * @value: (out): the cost in USD, or a time in µs
 * @text: (out) (optional) (transfer none): the figure as shown
 *
 * Returns: whether the column has this figure: its answer finished well
 *   and the figure is known
 */
gboolean
byok_compare_column_get_figure (ByokCompareColumn *self,
                                ByokCompareFigure  figure,
                                double            *value,
                                const char       **text)
{
  g_return_val_if_fail (BYOK_IS_COMPARE_COLUMN (self), FALSE);
  g_return_val_if_fail (figure < BYOK_COMPARE_N_FIGURES, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (self->state != STATE_DONE || !isfinite (self->figures[figure]) || self->figure_labels[figure] == NULL)
    return FALSE;
  *value = self->figures[figure];
  if (text != NULL)
    *text = gtk_label_get_label (GTK_LABEL (self->figure_labels[figure]));
  return TRUE;
}

/**
 * byok_compare_column_set_best:
 *
 * Marks the figure as the best of the columns (the lowest cost, the
 * fastest), or not.
 */
void
byok_compare_column_set_best (ByokCompareColumn *self,
                              ByokCompareFigure  figure,
                              gboolean           best)
{
  GtkWidget *label;

  g_return_if_fail (BYOK_IS_COMPARE_COLUMN (self));
  g_return_if_fail (figure < BYOK_COMPARE_N_FIGURES);

  label = self->figure_labels[figure];
  if (label == NULL)
    return;
  if (best)
    {
      const char *what = figure == BYOK_COMPARE_FIGURE_COST ? _("The lowest cost of the columns")
                                                            : _("The fastest of the columns");

      gtk_widget_add_css_class (label, "compare-best");
      gtk_widget_set_tooltip_text (label, what);
      gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, what, -1);
    }
  else
    {
      gtk_widget_remove_css_class (label, "compare-best");
      gtk_widget_set_tooltip_text (label, NULL);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

void
byok_compare_column_set_removable (ByokCompareColumn *self,
                                   gboolean           removable)
{
  g_return_if_fail (BYOK_IS_COMPARE_COLUMN (self));

  self->removable = !!removable;
  update_actions (self);
}

/* Its place among the columns, from 1, for screen readers. */
void
byok_compare_column_set_number (ByokCompareColumn *self,
                                guint              number)
{
  g_return_if_fail (BYOK_IS_COMPARE_COLUMN (self));

  self->number = number;
  update_a11y (self);
}

/* ---- actions ------------------------------------------------------------- */

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_signal_emit (widget, signals[REMOVE], 0);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ByokCompareColumn *self = BYOK_COMPARE_COLUMN (widget);

  if (self->text->len == 0)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->text->str);
  gtk_widget_activate_action (widget, "win.show-toast", "s", _("Copied to the clipboard"));
}

static void
continue_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  ByokCompareColumn *self = BYOK_COMPARE_COLUMN (widget);

  if (self->state != STATE_DONE || self->provider_id == NULL || self->model_id == NULL ||
      self->answer == NULL)
    return;
  g_signal_emit (self, signals[CONTINUE_IN_CHAT], 0);
}

/* ---- object -------------------------------------------------------------- */

static void
picker_changed_cb (ByokCompareColumn *self)
{
  update_a11y (self);
  update_answered (self);
  update_waiting (self);
}

static void
expanded_cb (ByokCompareColumn *self)
{
  update_reasoning (self);
}

static void
map_cb (ByokCompareColumn *self)
{
  if (self->pending_text->len > 0 || self->pending_reasoning->len > 0)
    schedule_flush (self);
}

static void
byok_compare_column_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ByokCompareColumn *self = BYOK_COMPARE_COLUMN (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, byok_compare_column_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_compare_column_dispose (GObject *object)
{
  ByokCompareColumn *self = BYOK_COMPARE_COLUMN (object);

  cancel_flush (self);
  detach_run (self);
  clear_retry (self);
  g_clear_object (&self->catalog);
  g_clear_object (&self->answer);

  G_OBJECT_CLASS (byok_compare_column_parent_class)->dispose (object);
}

static void
byok_compare_column_finalize (GObject *object)
{
  ByokCompareColumn *self = BYOK_COMPARE_COLUMN (object);

  g_string_free (self->text, TRUE);
  g_string_free (self->reasoning, TRUE);
  g_string_free (self->pending_text, TRUE);
  g_string_free (self->pending_reasoning, TRUE);
  g_free (self->prompt);
  g_free (self->provider_id);
  g_free (self->model_id);
  g_free (self->caption);
  g_free (self->error_class);
  g_free (self->error_message);
  g_array_unref (self->usage_ids);

  G_OBJECT_CLASS (byok_compare_column_parent_class)->finalize (object);
}

/* The column lays out its card itself, so that its minimum height does not
 * shrink as it widens. Compare's homogeneous box gives every column the width
 * of the widest one's minimum, then (GtkBox, on allocating) measures each
 * column's width for the height the box got: the wrapped footer of a column
 * narrower at its own minimum is taller there (347) than at the width it has
 * (332), and GTK 4.24 (Debian testing) warns "needs at least 347". Taking the minimum height
 * at the column's own minimum width for every width keeps the box's height at
 * least that; Compare's scroller scrolls the rest, the window's minimum size
 * does not change. */
static GtkSizeRequestMode
byok_compare_column_get_request_mode (GtkWidget *widget)
{
  return gtk_widget_get_request_mode (GTK_WIDGET (BYOK_COMPARE_COLUMN (widget)->card));
}

static void
byok_compare_column_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  GtkWidget *card = GTK_WIDGET (BYOK_COMPARE_COLUMN (widget)->card);

  gtk_widget_measure (card, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
  if (orientation == GTK_ORIENTATION_VERTICAL && for_size >= 0)
    {
      int at_minimum_width = 0;

      gtk_widget_measure (card, orientation, -1, &at_minimum_width, NULL, NULL, NULL);
      *minimum = MAX (*minimum, at_minimum_width);
      *natural = MAX (*natural, *minimum);
    }
}

static void
byok_compare_column_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  gtk_widget_allocate (GTK_WIDGET (BYOK_COMPARE_COLUMN (widget)->card), width, height, baseline, NULL);
}

static void
byok_compare_column_class_init (ByokCompareColumnClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = byok_compare_column_get_property;
  object_class->dispose = byok_compare_column_dispose;
  object_class->finalize = byok_compare_column_finalize;
  widget_class->get_request_mode = byok_compare_column_get_request_mode;
  widget_class->measure = byok_compare_column_measure;
  widget_class->size_allocate = byok_compare_column_size_allocate;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ByokCompareColumn::remove-requested:
   * The person asked to remove the column.
   */
  signals[REMOVE] =
    g_signal_new ("remove-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * ByokCompareColumn::continue-in-chat:
   *
   * The person wants a conversation that goes on from this answer: its
   * provider, model, prompt, answer and usage rows are the column's.
   */
  signals[CONTINUE_IN_CHAT] =
    g_signal_new ("continue-in-chat", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (BYOK_TYPE_MODEL_PICKER);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-compare-column.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokCompareColumn, card);
  gtk_widget_class_bind_template_child (widget_class, ByokCompareColumn, picker);
  gtk_widget_class_bind_template_child (widget_class, ByokCompareColumn, remove_button);
  gtk_widget_class_bind_template_child (widget_class, ByokCompareColumn, streaming_label);
  gtk_widget_class_bind_template_child (widget_class, ByokCompareColumn, scroller);
  gtk_widget_class_bind_template_child (widget_class, ByokCompareColumn, empty_label);
  gtk_widget_class_bind_template_child (widget_class, ByokCompareColumn, waiting_box);
  gtk_widget_class_bind_template_child (widget_class, ByokCompareColumn, spinner);
  gtk_widget_class_bind_template_child (widget_class, ByokCompareColumn, waiting_label);
  gtk_widget_class_bind_template_child (widget_class, ByokCompareColumn, reasoning_expander);
  gtk_widget_class_bind_template_child (widget_class, ByokCompareColumn, reasoning_label);
  gtk_widget_class_bind_template_child (widget_class, ByokCompareColumn, content_box);
  gtk_widget_class_bind_template_child (widget_class, ByokCompareColumn, partial_box);
  gtk_widget_class_bind_template_child (widget_class, ByokCompareColumn, error_box);
  gtk_widget_class_bind_template_child (widget_class, ByokCompareColumn, error_title);
  gtk_widget_class_bind_template_child (widget_class, ByokCompareColumn, error_label);
  gtk_widget_class_bind_template_child (widget_class, ByokCompareColumn, error_button);
  gtk_widget_class_bind_template_child (widget_class, ByokCompareColumn, footer_revealer);
  gtk_widget_class_bind_template_child (widget_class, ByokCompareColumn, answered_label);
  gtk_widget_class_bind_template_child (widget_class, ByokCompareColumn, stats);
  gtk_widget_class_bind_template_child (widget_class, ByokCompareColumn, actions_box);
  gtk_widget_class_bind_template_child (widget_class, ByokCompareColumn, copy_button);
  gtk_widget_class_bind_template_child (widget_class, ByokCompareColumn, continue_button);

  gtk_widget_class_install_action (widget_class, "column.remove", NULL, remove_action);
  gtk_widget_class_install_action (widget_class, "column.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "column.continue-in-chat", NULL, continue_action);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
byok_compare_column_init (ByokCompareColumn *self)
{
  GtkAdjustment *vadjustment;

  self->text = g_string_new (NULL);
  self->reasoning = g_string_new (NULL);
  self->pending_text = g_string_new (NULL);
  self->pending_reasoning = g_string_new (NULL);
  self->usage_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->follow_end = TRUE;
  for (guint i = 0; i < BYOK_COMPARE_N_FIGURES; i++)
    self->figures[i] = NAN;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  byok_a11y_fix_mnemonic_buttons (GTK_WIDGET (self));

  self->markdown = byok_markdown_pane_new ();
  gtk_widget_set_hexpand (self->markdown, TRUE);
  gtk_widget_add_css_class (self->markdown, "compare-answer");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->markdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Answer"), -1);
  gtk_box_append (self->content_box, self->markdown);

  vadjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  g_signal_connect_object (vadjustment, "value-changed", G_CALLBACK (value_changed_cb), self, 0);
  g_signal_connect_object (vadjustment, "changed", G_CALLBACK (adjustment_changed_cb), self, 0);

  g_signal_connect_object (self->picker, "notify::model-id", G_CALLBACK (picker_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->picker, "notify::provider-id", G_CALLBACK (picker_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->reasoning_expander, "notify::expanded", G_CALLBACK (expanded_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);

  update_waiting (self);
  update_actions (self);
  update_a11y (self);
}
