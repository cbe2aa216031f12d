/* byok-composer.c — where a message is written and sent */
#define G_LOG_DOMAIN "byok-composer"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-attachment.h"
#include "byok-attachment-tray.h"
#include "byok-composer.h"
#include "byok-format.h"
#include "byok-prompt-box.h"

struct _ByokComposer
{
  AdwBin            parent_instance;

  gboolean          streaming;
  gboolean          blocked;

  ByokPromptBox    *prompt;
  GtkStack         *button_stack;
  ByokModelPicker  *picker;
  ByokChatSettings *settings;
  ByokAttachmentTray *tray;
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
                                 !self->streaming && !self->blocked && !byok_attachment_tray_get_loading (self->tray) &&
                                 (byok_prompt_box_has_text (self->prompt) ||
                                  byok_attachment_tray_get_attachments (self->tray)->len > 0) &&
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

  if (self->streaming || self->blocked || byok_attachment_tray_get_loading (self->tray) ||
      byok_model_picker_get_model_id (self->picker) == NULL)
    return FALSE;

  text = byok_composer_dup_text (self);
  stripped = g_strstrip (g_strdup (text));
  if (*stripped == '\0' && byok_attachment_tray_get_attachments (self->tray)->len == 0)
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

  return byok_attachment_tray_get_attachments (self->tray);
}

/**
 * byok_composer_get_tray:
 *
 * Returns: (transfer none): the files attached to the next message, as
 *   chips (files dropped on the page go there too)
 */
ByokAttachmentTray *
byok_composer_get_tray (ByokComposer *self)
{
  g_return_val_if_fail (BYOK_IS_COMPOSER (self), NULL);

  return self->tray;
}

/**
 * byok_composer_add_attachment:
 * @attachment: copied
 */
void
byok_composer_add_attachment (ByokComposer   *self,
                              ByokAttachment *attachment)
{
  g_return_if_fail (BYOK_IS_COMPOSER (self));
  g_return_if_fail (attachment != NULL);

  byok_attachment_tray_add (self->tray, attachment);
}

void
byok_composer_clear_attachments (ByokComposer *self)
{
  g_return_if_fail (BYOK_IS_COMPOSER (self));

  byok_attachment_tray_clear (self->tray);
}

/* Whether files are still being read (Send waits for them). */
gboolean
byok_composer_get_loading (ByokComposer *self)
{
  g_return_val_if_fail (BYOK_IS_COMPOSER (self), FALSE);

  return byok_attachment_tray_get_loading (self->tray);
}

/**
 * byok_composer_attach_file:
 *
 * Reads @file in the background and attaches it; emits "attach-failed"
 * with a message that names it if it cannot be attached.
 */
void
byok_composer_attach_file (ByokComposer *self,
                           GFile        *file)
{
  g_return_if_fail (BYOK_IS_COMPOSER (self));
  g_return_if_fail (G_IS_FILE (file));

  byok_attachment_tray_attach_file (self->tray, file);
}

static void
attach_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  byok_attachment_tray_choose_files (BYOK_COMPOSER (widget)->tray);
}

static void
tray_changed_cb (ByokComposer *self)
{
  update_actions (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
tray_failed_cb (ByokComposer *self,
                const char   *message)
{
  g_signal_emit (self, signals[ATTACH_FAILED], 0, message);
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
byok_composer_class_init (ByokComposerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

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
  g_type_ensure (BYOK_TYPE_ATTACHMENT_TRAY);

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
  gtk_widget_class_bind_template_child (widget_class, ByokComposer, tray);
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
  gtk_widget_init_template (GTK_WIDGET (self));

  byok_attachment_tray_connect_prompt (self->tray, self->prompt);
  byok_attachment_tray_add_drop_target (self->tray, GTK_WIDGET (self));
  g_signal_connect_object (self->tray, "changed", G_CALLBACK (tray_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tray, "failed", G_CALLBACK (tray_failed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tray, "removed", G_CALLBACK (byok_composer_focus), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->picker, "notify::model-id",
                           G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->picker, "notify::model-id",
                           G_CALLBACK (model_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->picker, "notify::provider-id",
                           G_CALLBACK (model_changed_cb), self, G_CONNECT_SWAPPED);
  update_actions (self);
}
