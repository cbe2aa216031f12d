/* byok-composer.c — where a message is written and sent */
#define G_LOG_DOMAIN "byok-composer"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-attachment.h"
#include "byok-error.h"
#include "byok-compat.h"
#include "byok-composer.h"
#include "byok-format.h"
#include "byok-prompt-box.h"

struct _ByokComposer
{
  AdwBin            parent_instance;

  gboolean          streaming;
  gboolean          blocked;

  /* Of ByokAttachment*, in the order they were added. */
  GPtrArray        *attachments;
  GCancellable     *cancellable;
  guint             loading;
  gboolean          choosing;

  ByokPromptBox    *prompt;
  GtkStack         *button_stack;
  ByokModelPicker  *picker;
  ByokChatSettings *settings;
  GtkFlowBox       *attachments_box;
  GtkLabel         *estimate_label;
  GtkButton        *suggestion_button;
};

G_DEFINE_FINAL_TYPE (ByokComposer, byok_composer, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STREAMING,
  N_PROPS
};

enum {
  SEND,
  STOP,
  CHANGED,
  ATTACH_FAILED,
  USE_SUGGESTION,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

GtkWidget *
byok_composer_new (void)
{
  return g_object_new (BYOK_TYPE_COMPOSER, NULL);
}

ByokModelPicker *
byok_composer_get_picker (ByokComposer *self)
{
  g_return_val_if_fail (BYOK_IS_COMPOSER (self), NULL);

  return self->picker;
}

ByokChatSettings *
byok_composer_get_settings (ByokComposer *self)
{
  g_return_val_if_fail (BYOK_IS_COMPOSER (self), NULL);

  return self->settings;
}

char *
byok_composer_dup_text (ByokComposer *self)
{
  g_return_val_if_fail (BYOK_IS_COMPOSER (self), NULL);

  return byok_prompt_box_dup_text (self->prompt);
}

void
byok_composer_set_text (ByokComposer *self,
                        const char   *text)
{
  g_return_if_fail (BYOK_IS_COMPOSER (self));

  byok_prompt_box_set_text (self->prompt, text);
}

void
byok_composer_focus (ByokComposer *self)
{
  g_return_if_fail (BYOK_IS_COMPOSER (self));

  byok_prompt_box_focus (self->prompt);
}

static void
update_actions (ByokComposer *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.send",
                                 !self->streaming && !self->blocked && self->loading == 0 &&
                                 (byok_prompt_box_has_text (self->prompt) || self->attachments->len > 0) &&
                                 byok_model_picker_get_model_id (self->picker) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.stop", self->streaming);
}

gboolean
byok_composer_get_streaming (ByokComposer *self)
{
  g_return_val_if_fail (BYOK_IS_COMPOSER (self), FALSE);

  return self->streaming;
}

void
byok_composer_set_streaming (ByokComposer *self,
                             gboolean      streaming)
{
  g_return_if_fail (BYOK_IS_COMPOSER (self));

  streaming = !!streaming;
  if (self->streaming == streaming)
    return;

  self->streaming = streaming;
  gtk_stack_set_visible_child_name (self->button_stack, streaming ? "stop" : "send");
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STREAMING]);
}

/**
 * byok_composer_send:
 *
 * Emits "send" with the text, as Enter would, and empties the text view.
 *
 * Returns: whether there was something to send
 */
gboolean
byok_composer_send (ByokComposer *self)
{
  g_autofree char *text = NULL;
  g_autofree char *stripped = NULL;

  g_return_val_if_fail (BYOK_IS_COMPOSER (self), FALSE);

  if (self->streaming || self->blocked || self->loading > 0 ||
      byok_model_picker_get_model_id (self->picker) == NULL)
    return FALSE;

  text = byok_composer_dup_text (self);
  stripped = g_strstrip (g_strdup (text));
  if (*stripped == '\0' && self->attachments->len == 0)
    return FALSE;

  byok_composer_set_text (self, "");
  /* The handler reads the attachments; then they are sent and go. */
  g_signal_emit (self, signals[SEND], 0, stripped);
  byok_composer_clear_attachments (self);
  return TRUE;
}

/* ---- attachments --------------------------------------------------------- */

/**
 * byok_composer_get_attachments:
 *
 * Returns: (transfer none) (element-type ByokAttachment): the files
 *   attached to the next message
 */
GPtrArray *
byok_composer_get_attachments (ByokComposer *self)
{
  g_return_val_if_fail (BYOK_IS_COMPOSER (self), NULL);

  return self->attachments;
}

static void
remove_clicked_cb (GtkButton    *button,
                   ByokComposer *self)
{
  ByokAttachment *attachment = g_object_get_data (G_OBJECT (button), "byok-attachment");
  GtkWidget *child = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_FLOW_BOX_CHILD);

  if (attachment == NULL || !g_ptr_array_remove (self->attachments, attachment))
    return;
  if (child != NULL)
    gtk_flow_box_remove (self->attachments_box, child);
  gtk_widget_set_visible (GTK_WIDGET (self->attachments_box), self->attachments->len > 0);
  update_actions (self);
  g_signal_emit (self, signals[CHANGED], 0);
  byok_composer_focus (self);
}

static GtkWidget *
create_chip (ByokComposer   *self,
             ByokAttachment *attachment)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name ("text-x-generic-symbolic");
  GtkWidget *name = gtk_label_new (attachment->name);
  g_autofree char *tokens = byok_format_tokens (attachment->tokens);
  /* Translators: the estimated size of an attached file ("≈12.3k tokens") */
  g_autofree char *size_text = g_strdup_printf (_("≈%s tokens"), tokens);
  GtkWidget *size = gtk_label_new (size_text);
  GtkWidget *remove = gtk_button_new_from_icon_name ("window-close-symbolic");
  /* Translators: the button that removes an attached file; %s is its name */
  g_autofree char *remove_label = g_strdup_printf (_("Remove %s"), attachment->name);

  gtk_widget_add_css_class (box, "attachment-chip");
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (name), 28);
  gtk_label_set_width_chars (GTK_LABEL (name), MIN ((int) g_utf8_strlen (attachment->name, -1), 12));
  gtk_widget_add_css_class (size, "caption");
  gtk_widget_add_css_class (size, "dim-label");
  gtk_widget_add_css_class (size, "numeric");
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_add_css_class (remove, "circular");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, _("Remove"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
  g_object_set_data (G_OBJECT (remove), "byok-attachment", attachment);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_clicked_cb), self, 0);

  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), size);
  gtk_box_append (GTK_BOX (box), remove);
  return box;
}

/**
 * byok_composer_add_attachment:
 * @attachment: copied
 */
void
byok_composer_add_attachment (ByokComposer   *self,
                              ByokAttachment *attachment)
{
  ByokAttachment *copy;

  g_return_if_fail (BYOK_IS_COMPOSER (self));
  g_return_if_fail (attachment != NULL);

  copy = byok_attachment_copy (attachment);
  g_ptr_array_add (self->attachments, copy);
  gtk_flow_box_append (self->attachments_box, create_chip (self, copy));
  gtk_widget_set_visible (GTK_WIDGET (self->attachments_box), TRUE);
  update_actions (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
byok_composer_clear_attachments (ByokComposer *self)
{
  GtkWidget *child;

  g_return_if_fail (BYOK_IS_COMPOSER (self));

  if (self->attachments->len == 0)
    return;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->attachments_box))) != NULL)
    gtk_flow_box_remove (self->attachments_box, child);
  g_ptr_array_set_size (self->attachments, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->attachments_box), FALSE);
  update_actions (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Whether files are still being read (Send waits for them). */
gboolean
byok_composer_get_loading (ByokComposer *self)
{
  g_return_val_if_fail (BYOK_IS_COMPOSER (self), FALSE);

  return self->loading > 0;
}

static void
attachment_loaded_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(ByokComposer) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokAttachment) attachment = byok_attachment_load_finish (result, &error);

  self->loading--;
  if (attachment != NULL)
    byok_composer_add_attachment (self, attachment);
  else if (!g_error_matches (error, BYOK_ERROR, BYOK_ERROR_CANCELLED))
    g_signal_emit (self, signals[ATTACH_FAILED], 0, error->message);
  update_actions (self);
}

/**
 * byok_composer_attach_file:
 *
 * Reads @file in the background and attaches it if it is text; emits
 * "attach-failed" with a message that names it if not.
 */
void
byok_composer_attach_file (ByokComposer *self,
                           GFile        *file)
{
  g_return_if_fail (BYOK_IS_COMPOSER (self));
  g_return_if_fail (G_IS_FILE (file));

  self->loading++;
  update_actions (self);
  byok_attachment_load_async (file, self->cancellable, attachment_loaded_cb, g_object_ref (self));
}

static void
files_chosen_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ByokComposer) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) files = byok_file_open_finish (result, &error);

  self->choosing = FALSE;
  if (files == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  for (guint i = 0; i < g_list_model_get_n_items (files); i++)
    {
      g_autoptr(GFile) file = g_list_model_get_item (files, i);
      byok_composer_attach_file (self, file);
    }
}

static void
attach_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ByokComposer *self = BYOK_COMPOSER (widget);
  g_autoptr(GtkFileFilter) text_filter = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all_filter = gtk_file_filter_new ();
  g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);

  if (self->choosing)
    return;

  gtk_file_filter_set_name (text_filter, _("Text Files"));
  gtk_file_filter_add_mime_type (text_filter, "text/*");
  gtk_file_filter_add_mime_type (text_filter, "application/json");
  gtk_file_filter_add_mime_type (text_filter, "application/xml");
  gtk_file_filter_add_mime_type (text_filter, "application/x-yaml");
  gtk_file_filter_set_name (all_filter, _("All Files"));
  gtk_file_filter_add_pattern (all_filter, "*");
  g_list_store_append (filters, text_filter);
  g_list_store_append (filters, all_filter);
  self->choosing = TRUE;
  byok_file_open_async (widget, _("Attach Text Files"), _("_Attach"), G_LIST_MODEL (filters), TRUE,
                        self->cancellable, files_chosen_cb, g_object_ref (self));
}

/* Files dropped on the composer are attached. */
static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         ByokComposer  *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = g_value_get_boxed (value);
  for (GSList *l = files; l != NULL; l = l->next)
    byok_composer_attach_file (self, l->data);
  return files != NULL;
}

/* ---- the estimate -------------------------------------------------------- */

/**
 * byok_composer_set_estimate:
 * @text: (nullable): what the next message costs, or why it cannot be sent;
 *   %NULL hides the line
 * @blocked: the message cannot be sent as it is (too long for the model)
 *
 * The line beside the model picker.
 */
void
byok_composer_set_estimate (ByokComposer *self,
                            const char   *text,
                            const char   *tooltip,
                            gboolean      blocked)
{
  g_return_if_fail (BYOK_IS_COMPOSER (self));

  gtk_label_set_label (self->estimate_label, text != NULL ? text : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->estimate_label), tooltip);
  gtk_widget_set_visible (GTK_WIDGET (self->estimate_label), text != NULL && *text != '\0');
  if (blocked)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->estimate_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->estimate_label), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->estimate_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->estimate_label), "dim-label");
    }
  if (self->blocked != !!blocked)
    {
      self->blocked = !!blocked;
      update_actions (self);
    }
}

const char *
byok_composer_get_estimate (ByokComposer *self)
{
  g_return_val_if_fail (BYOK_IS_COMPOSER (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->estimate_label))
         ? gtk_label_get_label (self->estimate_label) : NULL;
}

gboolean
byok_composer_get_blocked (ByokComposer *self)
{
  g_return_val_if_fail (BYOK_IS_COMPOSER (self), FALSE);

  return self->blocked;
}

/**
 * byok_composer_set_suggestion:
 * @label: (nullable): the button's label ("Use Kimi K2"), %NULL hides it
 *
 * A button beside the estimate; clicking it emits "use-suggestion".
 */
void
byok_composer_set_suggestion (ByokComposer *self,
                              const char   *label)
{
  g_return_if_fail (BYOK_IS_COMPOSER (self));

  gtk_button_set_label (self->suggestion_button, label != NULL ? label : "");
  gtk_widget_set_visible (GTK_WIDGET (self->suggestion_button), label != NULL);
}

const char *
byok_composer_get_suggestion (ByokComposer *self)
{
  g_return_val_if_fail (BYOK_IS_COMPOSER (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->suggestion_button))
         ? gtk_button_get_label (self->suggestion_button) : NULL;
}

static void
use_suggestion_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  g_signal_emit (widget, signals[USE_SUGGESTION], 0);
}

static void
on_prompt_changed (ByokComposer *self)
{
  update_actions (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  byok_composer_send (BYOK_COMPOSER (widget));
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  g_signal_emit (widget, signals[STOP], 0);
}

/* Enter in the prompt sends. */
static void
on_prompt_activate (ByokComposer *self)
{
  byok_composer_send (self);
}

static void
byok_composer_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ByokComposer *self = BYOK_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_STREAMING:
      g_value_set_boolean (value, self->streaming);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_composer_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  ByokComposer *self = BYOK_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_STREAMING:
      byok_composer_set_streaming (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_composer_dispose (GObject *object)
{
  ByokComposer *self = BYOK_COMPOSER (object);

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (byok_composer_parent_class)->dispose (object);
}

static void
byok_composer_finalize (GObject *object)
{
  ByokComposer *self = BYOK_COMPOSER (object);

  g_clear_pointer (&self->attachments, g_ptr_array_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (byok_composer_parent_class)->finalize (object);
}

static void
byok_composer_class_init (ByokComposerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byok_composer_dispose;
  object_class->finalize = byok_composer_finalize;

  object_class->get_property = byok_composer_get_property;
  object_class->set_property = byok_composer_set_property;

  properties[PROP_STREAMING] =
    g_param_spec_boolean ("streaming", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ByokComposer::send:
   * @text: the message, without surrounding white space
   */
  signals[SEND] =
    g_signal_new ("send", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * ByokComposer::stop:
   * The user asked to stop the streaming answer.
   */
  signals[STOP] =
    g_signal_new ("stop", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * ByokComposer::changed:
   * The text or the attached files changed.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * ByokComposer::attach-failed:
   * @message: why a file could not be attached, naming it
   */
  signals[ATTACH_FAILED] =
    g_signal_new ("attach-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * ByokComposer::use-suggestion:
   * The user clicked the suggestion beside the estimate.
   */
  signals[USE_SUGGESTION] =
    g_signal_new ("use-suggestion", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (BYOK_TYPE_MODEL_PICKER);
  g_type_ensure (BYOK_TYPE_PROMPT_BOX);
  g_type_ensure (BYOK_TYPE_CHAT_SETTINGS);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-composer.ui");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_bind_template_child (widget_class, ByokComposer, prompt);
  gtk_widget_class_bind_template_child (widget_class, ByokComposer, button_stack);
  gtk_widget_class_bind_template_child (widget_class, ByokComposer, picker);
  gtk_widget_class_bind_template_child (widget_class, ByokComposer, settings);

  gtk_widget_class_install_action (widget_class, "composer.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "composer.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "composer.attach", NULL, attach_action);
  gtk_widget_class_install_action (widget_class, "composer.use-suggestion", NULL, use_suggestion_action);
  gtk_widget_class_bind_template_child (widget_class, ByokComposer, attachments_box);
  gtk_widget_class_bind_template_child (widget_class, ByokComposer, estimate_label);
  gtk_widget_class_bind_template_child (widget_class, ByokComposer, suggestion_button);
  gtk_widget_class_bind_template_callback (widget_class, on_prompt_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_prompt_changed);
}

/* The settings say what the chosen model takes. */
static void
model_changed_cb (ByokComposer *self)
{
  ByokProvider *provider = NULL;
  ByokModel *model = byok_model_picker_get_model (self->picker, &provider);

  byok_chat_settings_set_model (self->settings, model, provider);
}

static void
byok_composer_init (ByokComposer *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_attachment_free);
  self->cancellable = g_cancellable_new ();

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  g_signal_connect_object (self->picker, "notify::model-id",
                           G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->picker, "notify::model-id",
                           G_CALLBACK (model_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->picker, "notify::provider-id",
                           G_CALLBACK (model_changed_cb), self, G_CONNECT_SWAPPED);
  update_actions (self);
}
