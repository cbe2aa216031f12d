/* byok-compare-view.c — Compare mode: one prompt, two to four models */
#define G_LOG_DOMAIN "byok-compare-view"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "byok-compare-view.h"

#include "byok-a11y.h"
#include "byok-prompt-box.h"

struct _ByokCompareView
{
  AdwBin          parent_instance;

  ByokEngine     *engine;
  GStrv           available;
  GStrv           refused;
  GPtrArray      *columns;       /* ByokCompareColumn*, unowned (the box owns them), in order */
  gboolean        busy;
  /* What was last sent: the text as written, every attached file. */
  char           *sent_text;
  GPtrArray      *sent_attachments;

  GtkBox         *columns_box;
  AdwToastOverlay *toast_overlay;
  ByokAttachmentTray *tray;
  ByokPromptBox  *prompt;
  GtkStack       *button_stack;
};

G_DEFINE_FINAL_TYPE (ByokCompareView, byok_compare_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BUSY,
  PROP_N_COLUMNS,
  N_PROPS
};

enum {
  CONTINUE_IN_CHAT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

GtkWidget *
byok_compare_view_new (void)
{
  return g_object_new (BYOK_TYPE_COMPARE_VIEW, NULL);
}

static ByokModelPicker *
picker_of (ByokCompareView *self,
           guint            i)
{
  return byok_compare_column_get_picker (g_ptr_array_index (self->columns, i));
}

/* ---- state --------------------------------------------------------------- */

char *
byok_compare_view_dup_prompt (ByokCompareView *self)
{
  g_return_val_if_fail (BYOK_IS_COMPARE_VIEW (self), NULL);

  return byok_prompt_box_dup_text (self->prompt);
}

static gboolean
all_have_models (ByokCompareView *self)
{
  for (guint i = 0; i < self->columns->len; i++)
    if (byok_model_picker_get_model_id (picker_of (self, i)) == NULL ||
        byok_model_picker_get_provider_id (picker_of (self, i)) == NULL)
      return FALSE;
  return TRUE;
}

static void
update_actions (ByokCompareView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  guint n = self->columns->len;

  gtk_widget_action_set_enabled (widget, "compare.send",
                                 !self->busy && self->engine != NULL && !byok_attachment_tray_get_loading (self->tray) &&
                                 (byok_prompt_box_has_text (self->prompt) ||
                                  byok_attachment_tray_get_attachments (self->tray)->len > 0) &&
                                 all_have_models (self));
  gtk_widget_action_set_enabled (widget, "compare.stop", self->busy);
  gtk_widget_action_set_enabled (widget, "compare.add-column", !self->busy && n < BYOK_COMPARE_VIEW_MAX_COLUMNS);
  for (guint i = 0; i < n; i++)
    byok_compare_column_set_removable (g_ptr_array_index (self->columns, i),
                                       !self->busy && n > BYOK_COMPARE_VIEW_MIN_COLUMNS);
}

/* Once every answer is in, the lowest cost and the fastest times among
 * the answers that finished well stand out: every column whose figure reads
 * the same as the best, and none when they all read alike. */
static void
mark_best (ByokCompareView *self)
{
  for (guint figure = 0; figure < BYOK_COMPARE_N_FIGURES; figure++)
    {
      double best = INFINITY;
      const char *best_text = NULL;
      const char *first_text = NULL;
      gboolean alike = TRUE;
      guint n = 0;

      for (guint i = 0; i < self->columns->len && !self->busy; i++)
        {
          double value;
          const char *text;

          if (!byok_compare_column_get_figure (g_ptr_array_index (self->columns, i), figure, &value, &text))
            continue;
          if (first_text == NULL)
            first_text = text;
          else if (g_strcmp0 (text, first_text) != 0)
            alike = FALSE;
          if (value < best)
            {
              best = value;
              best_text = text;
            }
          n++;
        }
      for (guint i = 0; i < self->columns->len; i++)
        {
          ByokCompareColumn *column = g_ptr_array_index (self->columns, i);
          const char *text = NULL;
          double value;

          byok_compare_column_set_best (column, figure,
                                        n >= 2 && !alike &&
                                        byok_compare_column_get_figure (column, figure, &value, &text) &&
                                        (value == best || g_strcmp0 (text, best_text) == 0));
        }
    }
}

static void
update_busy (ByokCompareView *self)
{
  gboolean busy = FALSE;

  for (guint i = 0; i < self->columns->len; i++)
    busy = busy || byok_compare_column_get_busy (g_ptr_array_index (self->columns, i));

  if (busy != self->busy)
    {
      self->busy = busy;
      gtk_stack_set_visible_child_name (self->button_stack, busy ? "stop" : "send");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
  mark_best (self);
  update_actions (self);
}

gboolean
byok_compare_view_get_busy (ByokCompareView *self)
{
  g_return_val_if_fail (BYOK_IS_COMPARE_VIEW (self), FALSE);

  return self->busy;
}

/* ---- default models ------------------------------------------------------ */

/* Whether a column other than @except asks @provider_id (for @model_id,
 * or any model when it is NULL). */
static gboolean
taken (ByokCompareView   *self,
       ByokCompareColumn *except,
       const char        *provider_id,
       const char        *model_id)
{
  for (guint i = 0; i < self->columns->len; i++)
    {
      ByokModelPicker *picker = picker_of (self, i);

      if (g_ptr_array_index (self->columns, i) == except)
        continue;
      if (g_strcmp0 (byok_model_picker_get_provider_id (picker), provider_id) == 0 &&
          (model_id == NULL || g_strcmp0 (byok_model_picker_get_model_id (picker), model_id) == 0))
        return TRUE;
    }
  return FALSE;
}

static gint
compare_rank (gconstpointer a,
              gconstpointer b)
{
  ByokModel *ma = *(ByokModel **) a;
  ByokModel *mb = *(ByokModel **) b;

  return byok_model_get_rank (ma) - byok_model_get_rank (mb);
}

/* Gives @column a model when it has none it can use (or only one chosen
 * by default), one the other columns do not ask where possible. Providers
 * with a key come before local ones (a local server may not even run);
 * among them: the default model of a provider no other column asks; else
 * another of their models, best-ranked first. Else the chat's default
 * again: the same model twice is still a comparison (of two runs). */
static void
choose_model (ByokCompareView   *self,
              ByokCompareColumn *column)
{
  ByokModelPicker *picker = byok_compare_column_get_picker (column);
  ByokCatalog *catalog;
  ByokProviderSettings *settings;
  g_autoptr(GPtrArray) providers = NULL;

  if (self->engine == NULL)
    return;
  if (byok_model_picker_get_model_id (picker) != NULL &&
      !byok_model_picker_get_chosen_by_default (picker) &&
      byok_model_picker_is_available (picker, byok_model_picker_get_provider_id (picker)))
    return;

  catalog = byok_engine_get_catalog (self->engine);
  settings = byok_engine_get_provider_settings (self->engine);
  providers = byok_catalog_get_providers (catalog);

  for (int tier = 0; tier <= 2; tier++)
    {
      for (guint i = 0; i < providers->len; i++)
        {
          ByokProvider *provider = g_ptr_array_index (providers, i);
          const char *id = byok_provider_get_id (provider);
          g_autofree char *model_id = NULL;

          if (byok_model_picker_get_provider_tier (picker, provider) != tier ||
              !byok_model_picker_is_available (picker, id) || taken (self, column, id, NULL))
            continue;
          model_id = byok_model_picker_dup_provider_default (catalog, settings, provider);
          if (model_id != NULL)
            {
              byok_model_picker_choose_default (picker, id, model_id);
              return;
            }
        }

      for (guint i = 0; i < providers->len; i++)
        {
          ByokProvider *provider = g_ptr_array_index (providers, i);
          const char *id = byok_provider_get_id (provider);
          g_autoptr(GPtrArray) models = NULL;

          if (byok_model_picker_get_provider_tier (picker, provider) != tier ||
              !byok_model_picker_is_available (picker, id))
            continue;
          models = byok_catalog_get_models (catalog, id);
          g_ptr_array_sort (models, compare_rank);
          for (guint j = 0; j < models->len; j++)
            {
              const char *model_id = byok_model_get_id (g_ptr_array_index (models, j));

              if (!taken (self, column, id, model_id))
                {
                  byok_model_picker_choose_default (picker, id, model_id);
                  return;
                }
            }
        }
    }

  byok_model_picker_select_default (picker, settings);
}

static void
choose_models (ByokCompareView *self)
{
  /* Defaults are chosen again, in order, as if afresh: the providers
   * available may have changed (a key was added). */
  for (guint i = 0; i < self->columns->len; i++)
    if (byok_model_picker_get_chosen_by_default (picker_of (self, i)))
      byok_model_picker_choose_default (picker_of (self, i), NULL, NULL);
  for (guint i = 0; i < self->columns->len; i++)
    choose_model (self, g_ptr_array_index (self->columns, i));
  update_actions (self);
}

/* ---- columns ------------------------------------------------------------- */

static void
renumber (ByokCompareView *self)
{
  for (guint i = 0; i < self->columns->len; i++)
    byok_compare_column_set_number (g_ptr_array_index (self->columns, i), i + 1);
}

static void remove_column (ByokCompareView   *self,
                           ByokCompareColumn *column);

static void
column_remove_requested_cb (ByokCompareColumn *column,
                            ByokCompareView   *self)
{
  remove_column (self, column);
}

static void
column_continue_cb (ByokCompareColumn *column,
                    ByokCompareView   *self)
{
  g_signal_emit (self, signals[CONTINUE_IN_CHAT], 0, column);
}

static void
add_column (ByokCompareView *self)
{
  ByokCompareColumn *column = BYOK_COMPARE_COLUMN (byok_compare_column_new ());
  ByokModelPicker *picker = byok_compare_column_get_picker (column);

  if (self->engine != NULL)
    byok_model_picker_set_catalog (picker, byok_engine_get_catalog (self->engine),
                                   byok_engine_get_pricing (self->engine));
  byok_model_picker_set_available (picker, (const char * const *) self->available);
  byok_model_picker_set_refused (picker, (const char * const *) self->refused);

  g_signal_connect_object (column, "notify::busy", G_CALLBACK (update_busy), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (column, "remove-requested", G_CALLBACK (column_remove_requested_cb), self, 0);
  g_signal_connect_object (column, "continue-in-chat", G_CALLBACK (column_continue_cb), self, 0);
  g_signal_connect_object (picker, "notify::model-id", G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);

  gtk_box_append (self->columns_box, GTK_WIDGET (column));
  g_ptr_array_add (self->columns, column);
  choose_model (self, column);
  renumber (self);
}

static void
remove_column (ByokCompareView   *self,
               ByokCompareColumn *column)
{
  if (self->columns->len <= BYOK_COMPARE_VIEW_MIN_COLUMNS ||
      !g_ptr_array_remove (self->columns, column))
    return;

  /* Cancels its call, if any. */
  byok_compare_column_clear (column);
  g_signal_handlers_disconnect_by_data (column, self);
  g_signal_handlers_disconnect_by_data (byok_compare_column_get_picker (column), self);
  gtk_box_remove (self->columns_box, GTK_WIDGET (column));
  renumber (self);
  update_busy (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_COLUMNS]);
}

guint
byok_compare_view_get_n_columns (ByokCompareView *self)
{
  g_return_val_if_fail (BYOK_IS_COMPARE_VIEW (self), 0);

  return self->columns->len;
}

/**
 * byok_compare_view_set_n_columns:
 * @n: how many columns, clamped to 2…4
 *
 * Adds empty columns (each with a model the others do not ask, where
 * possible) or removes the last ones (cancelling their calls).
 */
void
byok_compare_view_set_n_columns (ByokCompareView *self,
                                 guint            n)
{
  guint before;

  g_return_if_fail (BYOK_IS_COMPARE_VIEW (self));

  n = CLAMP (n, BYOK_COMPARE_VIEW_MIN_COLUMNS, BYOK_COMPARE_VIEW_MAX_COLUMNS);
  before = self->columns->len;
  if (n == before)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  while (self->columns->len < n)
    add_column (self);
  while (self->columns->len > n)
    remove_column (self, g_ptr_array_index (self->columns, self->columns->len - 1));
  update_busy (self);
  if (self->columns->len != before)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_COLUMNS]);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * byok_compare_view_get_column:
 * @i: from 0, below the number of columns
 *
 * Returns: (transfer none): the column
 */
ByokCompareColumn *
byok_compare_view_get_column (ByokCompareView *self,
                              guint            i)
{
  g_return_val_if_fail (BYOK_IS_COMPARE_VIEW (self), NULL);
  g_return_val_if_fail (i < self->columns->len, NULL);

  return g_ptr_array_index (self->columns, i);
}

/* ---- engine and providers ------------------------------------------------ */

/**
 * byok_compare_view_set_engine:
 *
 * Gives every column's picker the engine's catalog and prices; the
 * columns ask the engine.
 */
void
byok_compare_view_set_engine (ByokCompareView *self,
                              ByokEngine      *engine)
{
  g_return_if_fail (BYOK_IS_COMPARE_VIEW (self));
  g_return_if_fail (engine == NULL || BYOK_IS_ENGINE (engine));

  if (self->engine == engine)
    return;

  /* Calls of the old engine end with it. */
  if (self->engine != NULL)
    for (guint i = 0; i < self->columns->len; i++)
      byok_compare_column_clear (g_ptr_array_index (self->columns, i));

  g_set_object (&self->engine, engine);
  for (guint i = 0; i < self->columns->len; i++)
    byok_model_picker_set_catalog (picker_of (self, i),
                                   engine != NULL ? byok_engine_get_catalog (engine) : NULL,
                                   engine != NULL ? byok_engine_get_pricing (engine) : NULL);
  choose_models (self);
}

/**
 * byok_compare_view_set_refused:
 * @provider_ids: (array zero-terminated=1) (nullable): providers whose key
 *   was refused: their models are chosen last
 */
void
byok_compare_view_set_refused (ByokCompareView    *self,
                               const char * const *provider_ids)
{
  g_return_if_fail (BYOK_IS_COMPARE_VIEW (self));

  g_strfreev (self->refused);
  self->refused = g_strdupv ((char **) provider_ids);
  for (guint i = 0; i < self->columns->len; i++)
    byok_model_picker_set_refused (picker_of (self, i), provider_ids);
}

/**
 * byok_compare_view_set_available:
 * @provider_ids: (array zero-terminated=1) (nullable): the providers that
 *   can be asked now (they have a key, or need none)
 */
void
byok_compare_view_set_available (ByokCompareView    *self,
                                 const char * const *provider_ids)
{
  g_return_if_fail (BYOK_IS_COMPARE_VIEW (self));

  g_strfreev (self->available);
  self->available = g_strdupv ((char **) provider_ids);
  for (guint i = 0; i < self->columns->len; i++)
    byok_model_picker_set_available (picker_of (self, i), provider_ids);
  choose_models (self);
}

/**
 * byok_compare_view_add_toast:
 * @toast: (transfer full): the toast
 *
 * Shows @toast over the columns, where it covers neither the prompt nor
 * the Compare button.
 */
void
byok_compare_view_add_toast (ByokCompareView *self,
                             AdwToast        *toast)
{
  g_return_if_fail (BYOK_IS_COMPARE_VIEW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* ---- prompt, send, stop -------------------------------------------------- */

void
byok_compare_view_set_prompt (ByokCompareView *self,
                              const char      *text)
{
  g_return_if_fail (BYOK_IS_COMPARE_VIEW (self));

  byok_prompt_box_set_text (self->prompt, text);
}

void
byok_compare_view_focus_prompt (ByokCompareView *self)
{
  g_return_if_fail (BYOK_IS_COMPARE_VIEW (self));

  byok_prompt_box_focus (self->prompt);
}

/**
 * byok_compare_view_send:
 *
 * Sends the prompt to every column, as Enter or Compare would. The prompt
 * stays, to be changed and sent again.
 *
 * Returns: whether the columns were asked (not with an empty prompt, a
 *   column without a model, no engine, or while answers stream)
 */
gboolean
byok_compare_view_send (ByokCompareView *self)
{
  g_autofree char *text = NULL;
  g_autofree char *composed = NULL;
  g_autoptr(GPtrArray) media = NULL;
  GPtrArray *attachments;

  g_return_val_if_fail (BYOK_IS_COMPARE_VIEW (self), FALSE);

  if (self->busy || self->engine == NULL || !all_have_models (self) ||
      byok_attachment_tray_get_loading (self->tray))
    return FALSE;
  text = g_strstrip (byok_compare_view_dup_prompt (self));
  attachments = byok_attachment_tray_get_attachments (self->tray);
  if (*text == '\0' && attachments->len == 0)
    return FALSE;

  /* Every column gets the same: text files inside the text, images and
   * PDFs beside it, as the composer's messages. */
  composed = byok_attachments_compose_text_files (attachments, text);
  media = byok_attachments_get_media (attachments);
  g_free (self->sent_text);
  self->sent_text = g_strdup (text);
  g_clear_pointer (&self->sent_attachments, g_ptr_array_unref);
  self->sent_attachments = byok_attachments_copy (attachments);

  for (guint i = 0; i < self->columns->len; i++)
    {
      ByokCompareColumn *column = g_ptr_array_index (self->columns, i);
      ByokModelPicker *picker = byok_compare_column_get_picker (column);
      g_autoptr(ByokChatRequest) request = byok_chat_request_new (byok_model_picker_get_model_id (picker));

      byok_chat_request_add_message_with_attachments (request, BYOK_CHAT_ROLE_USER, composed, media);
      request->stream = TRUE;
      byok_compare_column_start (column, self->engine, request);
    }
  update_busy (self);
  return TRUE;
}

/**
 * byok_compare_view_get_tray:
 *
 * Returns: (transfer none): the files sent with the prompt
 */
ByokAttachmentTray *
byok_compare_view_get_tray (ByokCompareView *self)
{
  g_return_val_if_fail (BYOK_IS_COMPARE_VIEW (self), NULL);

  return self->tray;
}

/**
 * byok_compare_view_get_sent:
 * @attachments: (out) (optional) (transfer none) (nullable): every file
 *   sent with it, %NULL for none
 *
 * Returns: (nullable): the text last sent, as written (without the text
 *   files composed into it)
 */
const char *
byok_compare_view_get_sent (ByokCompareView  *self,
                            GPtrArray       **attachments)
{
  g_return_val_if_fail (BYOK_IS_COMPARE_VIEW (self), NULL);

  if (attachments != NULL)
    *attachments = self->sent_attachments;
  return self->sent_text;
}

static void
attach_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  byok_attachment_tray_choose_files (BYOK_COMPARE_VIEW (widget)->tray);
}

static void
attach_failed_cb (ByokCompareView *self,
                  const char      *message)
{
  byok_compare_view_add_toast (self, adw_toast_new (message));
}

/**
 * byok_compare_view_stop:
 *
 * Stops every column at once; each keeps the text it shows.
 */
void
byok_compare_view_stop (ByokCompareView *self)
{
  g_return_if_fail (BYOK_IS_COMPARE_VIEW (self));

  for (guint i = 0; i < self->columns->len; i++)
    byok_compare_column_stop (g_ptr_array_index (self->columns, i));
  update_busy (self);
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  byok_compare_view_send (BYOK_COMPARE_VIEW (widget));
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  byok_compare_view_stop (BYOK_COMPARE_VIEW (widget));
}

static void
add_column_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ByokCompareView *self = BYOK_COMPARE_VIEW (widget);

  if (self->busy)
    return;
  byok_compare_view_set_n_columns (self, self->columns->len + 1);
}

/* Enter in the prompt compares. */
static void
on_prompt_activate (ByokCompareView *self)
{
  byok_compare_view_send (self);
}

static void
on_prompt_changed (ByokCompareView *self)
{
  update_actions (self);
}

/* ---- object -------------------------------------------------------------- */

static void
byok_compare_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ByokCompareView *self = BYOK_COMPARE_VIEW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_N_COLUMNS:
      g_value_set_uint (value, self->columns->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_compare_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  ByokCompareView *self = BYOK_COMPARE_VIEW (object);

  switch (prop_id)
    {
    case PROP_N_COLUMNS:
      byok_compare_view_set_n_columns (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_compare_view_dispose (GObject *object)
{
  ByokCompareView *self = BYOK_COMPARE_VIEW (object);

  /* Cancel every call; the columns go with the box. */
  for (guint i = 0; i < self->columns->len; i++)
    {
      ByokCompareColumn *column = g_ptr_array_index (self->columns, i);

      g_signal_handlers_disconnect_by_data (column, self);
      g_signal_handlers_disconnect_by_data (byok_compare_column_get_picker (column), self);
      byok_compare_column_clear (column);
    }
  g_ptr_array_set_size (self->columns, 0);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (byok_compare_view_parent_class)->dispose (object);
}

static void
byok_compare_view_finalize (GObject *object)
{
  ByokCompareView *self = BYOK_COMPARE_VIEW (object);

  g_ptr_array_unref (self->columns);
  g_clear_pointer (&self->sent_attachments, g_ptr_array_unref);
  g_free (self->sent_text);
  g_strfreev (self->available);
  g_strfreev (self->refused);

  G_OBJECT_CLASS (byok_compare_view_parent_class)->finalize (object);
}

static void
byok_compare_view_class_init (ByokCompareViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = byok_compare_view_get_property;
  object_class->set_property = byok_compare_view_set_property;
  object_class->dispose = byok_compare_view_dispose;
  object_class->finalize = byok_compare_view_finalize;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_COLUMNS] =
    g_param_spec_uint ("n-columns", NULL, NULL,
                       BYOK_COMPARE_VIEW_MIN_COLUMNS, BYOK_COMPARE_VIEW_MAX_COLUMNS,
                       BYOK_COMPARE_VIEW_MIN_COLUMNS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ByokCompareView::continue-in-chat:
   * @column: the column whose answer to go on from (its provider, model,
   *   prompt, answer with its figures, and usage rows)
   *
   * The person wants a conversation that goes on from this answer.
   */
  signals[CONTINUE_IN_CHAT] =
    g_signal_new ("continue-in-chat", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, BYOK_TYPE_COMPARE_COLUMN);

  g_type_ensure (BYOK_TYPE_COMPARE_COLUMN);
  g_type_ensure (BYOK_TYPE_PROMPT_BOX);
  g_type_ensure (BYOK_TYPE_ATTACHMENT_TRAY);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-compare-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokCompareView, tray);
  gtk_widget_class_bind_template_child (widget_class, ByokCompareView, columns_box);
  gtk_widget_class_bind_template_child (widget_class, ByokCompareView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ByokCompareView, prompt);
  gtk_widget_class_bind_template_child (widget_class, ByokCompareView, button_stack);

  gtk_widget_class_bind_template_callback (widget_class, on_prompt_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_prompt_changed);

  gtk_widget_class_install_action (widget_class, "compare.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "compare.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "compare.add-column", NULL, add_column_action);
  gtk_widget_class_install_action (widget_class, "compare.attach", NULL, attach_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "compare.stop", NULL);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
byok_compare_view_init (ByokCompareView *self)
{
  self->columns = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  byok_a11y_fix_mnemonic_buttons (GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Compare models"), -1);

  byok_attachment_tray_connect_prompt (self->tray, self->prompt);
  byok_attachment_tray_add_drop_target (self->tray, GTK_WIDGET (self));
  g_signal_connect_object (self->tray, "changed", G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tray, "failed", G_CALLBACK (attach_failed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tray, "removed", G_CALLBACK (byok_compare_view_focus_prompt), self,
                           G_CONNECT_SWAPPED);

  while (self->columns->len < BYOK_COMPARE_VIEW_MIN_COLUMNS)
    add_column (self);
  update_actions (self);
}
