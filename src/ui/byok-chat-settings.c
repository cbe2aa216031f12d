/* byok-chat-settings.c — a conversation's system prompt, temperature and
 * output limit, in a popover */
#define G_LOG_DOMAIN "byok-chat-settings"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-chat-settings.h"

struct _ByokChatSettings
{
  GtkPopover        parent_instance;

  ByokConversation *conversation;
  gboolean          loading;
  gboolean          dirty;

  GtkTextView      *system_prompt_view;
  GtkSpinButton    *temperature_spin;
  GtkSwitch        *temperature_switch;
  GtkSpinButton    *max_tokens_spin;
  GtkSwitch        *max_tokens_switch;
};

G_DEFINE_FINAL_TYPE (ByokChatSettings, byok_chat_settings, GTK_TYPE_POPOVER)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GtkWidget *
byok_chat_settings_new (void)
{
  return g_object_new (BYOK_TYPE_CHAT_SETTINGS, NULL);
}

ByokConversation *
byok_chat_settings_get_conversation (ByokChatSettings *self)
{
  g_return_val_if_fail (BYOK_IS_CHAT_SETTINGS (self), NULL);

  return self->conversation;
}

static void
flush_changes (ByokChatSettings *self)
{
  if (!self->dirty || self->conversation == NULL)
    return;
  self->dirty = FALSE;
  g_signal_emit (self, signals[CHANGED], 0, self->conversation);
}

static void
load (ByokChatSettings *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->system_prompt_view);
  const char *prompt = NULL;
  double temperature = -1;
  gint64 max_tokens = 0;

  if (self->conversation != NULL)
    {
      prompt = byok_conversation_get_system_prompt (self->conversation);
      temperature = byok_conversation_get_temperature (self->conversation);
      max_tokens = byok_conversation_get_max_tokens (self->conversation);
    }

  self->loading = TRUE;
  gtk_text_buffer_set_text (buffer, prompt != NULL ? prompt : "", -1);
  gtk_switch_set_active (self->temperature_switch, temperature >= 0);
  gtk_spin_button_set_value (self->temperature_spin, temperature >= 0 ? temperature : 1.0);
  gtk_switch_set_active (self->max_tokens_switch, max_tokens > 0);
  gtk_spin_button_set_value (self->max_tokens_spin, max_tokens > 0 ? (double) max_tokens : 4096);
  self->loading = FALSE;

  gtk_widget_set_sensitive (GTK_WIDGET (self), self->conversation != NULL);
}

/* Widgets → conversation, on every edit. */
static void
store (ByokChatSettings *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->system_prompt_view);
  GtkTextIter start, end;
  g_autofree char *prompt = NULL;
  g_autofree char *stripped = NULL;

  if (self->loading || self->conversation == NULL)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  prompt = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  stripped = g_strstrip (g_strdup (prompt));

  g_object_freeze_notify (G_OBJECT (self->conversation));
  byok_conversation_set_system_prompt (self->conversation, *stripped != '\0' ? prompt : NULL);
  byok_conversation_set_temperature (self->conversation,
                                     gtk_switch_get_active (self->temperature_switch)
                                     ? gtk_spin_button_get_value (self->temperature_spin) : -1);
  byok_conversation_set_max_tokens (self->conversation,
                                    gtk_switch_get_active (self->max_tokens_switch)
                                    ? (gint64) gtk_spin_button_get_value (self->max_tokens_spin) : 0);
  g_object_thaw_notify (G_OBJECT (self->conversation));
  self->dirty = TRUE;
}

void
byok_chat_settings_set_conversation (ByokChatSettings *self,
                                     ByokConversation *conversation)
{
  g_return_if_fail (BYOK_IS_CHAT_SETTINGS (self));
  g_return_if_fail (conversation == NULL || BYOK_IS_CONVERSATION (conversation));

  if (self->conversation == conversation)
    return;

  flush_changes (self);
  g_set_object (&self->conversation, conversation);
  self->dirty = FALSE;
  load (self);
}

static void
edited_cb (ByokChatSettings *self)
{
  store (self);
}

static void
closed_cb (ByokChatSettings *self)
{
  flush_changes (self);
}

static void
byok_chat_settings_dispose (GObject *object)
{
  ByokChatSettings *self = BYOK_CHAT_SETTINGS (object);

  flush_changes (self);
  g_clear_object (&self->conversation);

  G_OBJECT_CLASS (byok_chat_settings_parent_class)->dispose (object);
}

static void
byok_chat_settings_class_init (ByokChatSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byok_chat_settings_dispose;

  /**
   * ByokChatSettings::changed:
   * @conversation: the conversation whose settings were edited
   *
   * The user edited the settings and closed the popover: save them.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, BYOK_TYPE_CONVERSATION);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-chat-settings.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokChatSettings, system_prompt_view);
  gtk_widget_class_bind_template_child (widget_class, ByokChatSettings, temperature_spin);
  gtk_widget_class_bind_template_child (widget_class, ByokChatSettings, temperature_switch);
  gtk_widget_class_bind_template_child (widget_class, ByokChatSettings, max_tokens_spin);
  gtk_widget_class_bind_template_child (widget_class, ByokChatSettings, max_tokens_switch);
  gtk_widget_class_bind_template_callback (widget_class, closed_cb);
}

static void
byok_chat_settings_init (ByokChatSettings *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (gtk_text_view_get_buffer (self->system_prompt_view), "changed",
                           G_CALLBACK (edited_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->temperature_spin, "value-changed", G_CALLBACK (edited_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->temperature_switch, "notify::active", G_CALLBACK (edited_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->max_tokens_spin, "value-changed", G_CALLBACK (edited_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->max_tokens_switch, "notify::active", G_CALLBACK (edited_cb), self, G_CONNECT_SWAPPED);
  load (self);
}
