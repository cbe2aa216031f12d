/* byok-chat-settings.c — a conversation's system prompt, temperature,
 * reasoning effort and output limit, in a popover
 *
 * What it edits (the conversation), what it says it for (the model) and
 * whether answers get tools are kept here; the controls
 * (ByokChatSettingsForm) are built when the popover is first opened, as
 * nobody sees them before, and from then on show and edit that state. */
#define G_LOG_DOMAIN "byok-chat-settings"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-chat-settings.h"
#include "byok-chat-settings-form.h"

struct _ByokChatSettings
{
  GtkPopover        parent_instance;

  ByokConversation *conversation;
  gboolean          loading;
  gboolean          dirty;

  /* The model the conversation talks to, to say what it takes. */
  gboolean          has_model;
  char             *model_name;
  gboolean          model_reasons;
  ByokModelParams   params;
  gboolean          tools_available;
  gboolean          model_tools;
  gboolean          use_tools;

  /* The controls: NULL until the popover is first opened. */
  ByokChatSettingsForm *form;
  GtkTextView      *system_prompt_view;
  AdwActionRow     *temperature_row;
  GtkSpinButton    *temperature_spin;
  GtkSwitch        *temperature_switch;
  AdwComboRow      *effort_row;
  GtkLabel         *params_note;
  GtkSpinButton    *max_tokens_spin;
  GtkSwitch        *max_tokens_switch;
  AdwActionRow     *tools_row;
  GtkSwitch        *tools_switch;
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

static ByokEffort
selected_effort (ByokChatSettings *self)
{
  guint selected = adw_combo_row_get_selected (self->effort_row);

  return selected <= BYOK_EFFORT_HIGH ? (ByokEffort) selected : BYOK_EFFORT_DEFAULT;
}

/* Beside each control, what the chosen model does with it; below them,
 * why. */
static void
update_explanations (ByokChatSettings *self)
{
  const char *name = self->model_name;
  ByokEffort effort;
  ByokEffortLevels level;
  g_autofree char *temperature_subtitle = NULL;
  g_autofree char *effort_subtitle = NULL;
  g_autoptr(GString) note = g_string_new (NULL);
  gboolean temperature_taken = TRUE;
  gboolean effort_taken = TRUE;

  if (self->form == NULL)
    return;

  effort = selected_effort (self);
  level = byok_model_params_pick_effort (&self->params, effort);
  if (!self->has_model)
    ;
  else if (self->params.temperature == BYOK_TEMPERATURE_FIXED)
    {
      temperature_taken = FALSE;
      /* Translators: %s is a model ("GPT-5") */
      temperature_subtitle = g_strdup_printf (_("Not sent to %s"), name);
      /* Translators: %s is a model ("GPT-5") */
      g_string_append_printf (note, _("%s takes no temperature."), name);
    }
  else if (self->params.temperature == BYOK_TEMPERATURE_WITHOUT_EFFORT && level != 0)
    {
      temperature_taken = FALSE;
      /* Translators: %s is a model ("GPT-5.4") */
      temperature_subtitle = g_strdup_printf (_("Not sent to %s while it reasons"), name);
      /* Translators: %s is a model ("GPT-5.4") */
      g_string_append_printf (note, _("%s takes a temperature only when it does not reason: set the reasoning effort to the model’s default to use one."),
                              name);
    }
  else if (self->params.temperature_max < 2.0)
    {
      char max[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (max, sizeof max, "%g", self->params.temperature_max);
      /* Translators: a range of temperatures for a model: "0 to 1 for Claude Haiku 4.5" */
      temperature_subtitle = g_strdup_printf (_("0 to %s for %s"), max, name);
      if (gtk_switch_get_active (self->temperature_switch) &&
          gtk_spin_button_get_value (self->temperature_spin) > self->params.temperature_max)
        /* Translators: %s is a model ("Claude Haiku 4.5"), then a number ("1") */
        g_string_append_printf (note, _("%s takes a temperature up to %s: %s is sent."), name, max, max);
    }

  if (!self->has_model)
    ;
  else if (self->params.effort_via == BYOK_EFFORT_VIA_NONE)
    {
      effort_taken = FALSE;
      /* Translators: %s is a model ("GPT-4o") */
      effort_subtitle = g_strdup_printf (_("Not sent to %s"), name);
      if (note->len > 0)
        g_string_append_c (note, ' ');
      if (self->model_reasons)
        /* Translators: %s is a model ("DeepSeek V4 Pro") */
        g_string_append_printf (note, _("%s decides for itself how long it thinks."), name);
      else
        /* Translators: %s is a model ("GPT-4o") */
        g_string_append_printf (note, _("%s does not reason."), name);
    }
  else if (level != 0 &&
           g_strcmp0 (byok_effort_level_to_string (level), byok_effort_to_string (effort)) != 0)
    {
      /* Translators: %s is the effort Byok sends ("high") */
      effort_subtitle = g_strdup_printf (_("Sent as “%s”"), byok_effort_level_to_string (level));
      if (note->len > 0)
        g_string_append_c (note, ' ');
      /* Translators: %s is a model ("Gemini 3 Pro"), then the effort Byok sends ("high") */
      g_string_append_printf (note, _("%s has no such level: the nearest it has, “%s”, is sent."),
                              name, byok_effort_level_to_string (level));
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->temperature_switch), temperature_taken);
  gtk_widget_set_sensitive (GTK_WIDGET (self->temperature_spin),
                            temperature_taken && gtk_switch_get_active (self->temperature_switch));
  adw_action_row_set_subtitle (self->temperature_row,
                               temperature_subtitle != NULL ? temperature_subtitle
                                                            : _("Off: the provider’s default"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->effort_row), effort_taken);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->effort_row),
                               effort_subtitle != NULL ? effort_subtitle
                                                       : _("How long a reasoning model thinks"));
  gtk_label_set_label (self->params_note, note->str);
  gtk_widget_set_visible (GTK_WIDGET (self->params_note), note->len > 0);
}

/* Conversation → controls. */
static void
load (ByokChatSettings *self)
{
  GtkTextBuffer *buffer;
  const char *prompt = NULL;
  double temperature = -1;
  gint64 max_tokens = 0;
  ByokEffort effort = BYOK_EFFORT_DEFAULT;

  gtk_widget_set_sensitive (GTK_WIDGET (self), self->conversation != NULL);
  if (self->form == NULL)
    return;

  buffer = gtk_text_view_get_buffer (self->system_prompt_view);
  if (self->conversation != NULL)
    {
      prompt = byok_conversation_get_system_prompt (self->conversation);
      temperature = byok_conversation_get_temperature (self->conversation);
      max_tokens = byok_conversation_get_max_tokens (self->conversation);
      effort = byok_conversation_get_effort (self->conversation);
    }

  self->loading = TRUE;
  gtk_text_buffer_set_text (buffer, prompt != NULL ? prompt : "", -1);
  gtk_switch_set_active (self->temperature_switch, temperature >= 0);
  gtk_spin_button_set_value (self->temperature_spin, temperature >= 0 ? temperature : 1.0);
  gtk_switch_set_active (self->max_tokens_switch, max_tokens > 0);
  gtk_spin_button_set_value (self->max_tokens_spin, max_tokens > 0 ? (double) max_tokens : 4096);
  adw_combo_row_set_selected (self->effort_row, effort);
  self->loading = FALSE;
  update_explanations (self);
}

/* Controls → conversation, on every edit. */
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
  byok_conversation_set_effort (self->conversation, selected_effort (self));
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
  update_explanations (self);
}

/* "Use Tools": on only with an enabled MCP server and a model that
 * takes tools; the subtitle says why it is off. */
static void
update_tools_row (ByokChatSettings *self)
{
  const char *subtitle = _("The tools of your MCP servers; you allow each call");

  if (self->form == NULL)
    return;
  if (!self->tools_available)
    subtitle = _("Add or turn on an MCP server in Preferences → Tools");
  else if (!self->model_tools)
    subtitle = _("This model cannot use tools");
  gtk_widget_set_sensitive (GTK_WIDGET (self->tools_row), self->tools_available && self->model_tools);
  adw_action_row_set_subtitle (self->tools_row, subtitle);
}

/**
 * byok_chat_settings_set_tools_available:
 * @available: an MCP server is enabled
 */
void
byok_chat_settings_set_tools_available (ByokChatSettings *self,
                                        gboolean          available)
{
  g_return_if_fail (BYOK_IS_CHAT_SETTINGS (self));

  self->tools_available = available;
  update_tools_row (self);
}

/* Whether answers get tools: available, taken by the model, left on. */
gboolean
byok_chat_settings_get_use_tools (ByokChatSettings *self)
{
  g_return_val_if_fail (BYOK_IS_CHAT_SETTINGS (self), FALSE);

  return self->tools_available && self->model_tools && self->use_tools;
}

/**
 * byok_chat_settings_set_model:
 * @model: (nullable): the model chosen, as the catalog knows it; NULL for
 *   Auto or a model it does not know
 * @provider: (nullable): its provider
 *
 * Says, beside each control, what the model takes: a control it ignores
 * is off, with the reason (Byok sends only what a model takes).
 */
void
byok_chat_settings_set_model (ByokChatSettings *self,
                              ByokModel        *model,
                              ByokProvider     *provider)
{
  g_return_if_fail (BYOK_IS_CHAT_SETTINGS (self));
  g_return_if_fail (model == NULL || BYOK_IS_MODEL (model));

  g_clear_pointer (&self->model_name, g_free);
  self->has_model = model != NULL;
  self->model_name = model != NULL ? g_strdup (byok_model_get_name (model)) : NULL;
  self->model_reasons = model != NULL && byok_model_has_capability (model, BYOK_MODEL_CAP_REASONING);
  self->model_tools = model == NULL || byok_model_has_capability (model, BYOK_MODEL_CAP_TOOLS);
  update_tools_row (self);
  byok_model_get_params (model, provider != NULL ? byok_provider_get_dialect_name (provider) : NULL,
                         &self->params);
  update_explanations (self);
}

static void
use_tools_cb (ByokChatSettings *self)
{
  self->use_tools = gtk_switch_get_active (self->tools_switch);
}

/* The controls, when the popover is first opened, showing the state kept
 * until then. */
static void
build_form (ByokChatSettings *self)
{
  ByokChatSettingsForm *form = BYOK_CHAT_SETTINGS_FORM (byok_chat_settings_form_new ());

#define CONTROL(field) self->field = byok_chat_settings_form_get_control (form, #field)
  CONTROL (system_prompt_view);
  CONTROL (temperature_row);
  CONTROL (temperature_spin);
  CONTROL (temperature_switch);
  CONTROL (effort_row);
  CONTROL (params_note);
  CONTROL (max_tokens_spin);
  CONTROL (max_tokens_switch);
  CONTROL (tools_row);
  CONTROL (tools_switch);
#undef CONTROL
  self->form = form;
  gtk_popover_set_child (GTK_POPOVER (self), GTK_WIDGET (form));

  gtk_switch_set_active (self->tools_switch, self->use_tools);
  update_tools_row (self);
  load (self);

  g_signal_connect_object (gtk_text_view_get_buffer (self->system_prompt_view), "changed",
                           G_CALLBACK (edited_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->temperature_spin, "value-changed", G_CALLBACK (edited_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->temperature_switch, "notify::active", G_CALLBACK (edited_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->max_tokens_spin, "value-changed", G_CALLBACK (edited_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->max_tokens_switch, "notify::active", G_CALLBACK (edited_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->effort_row, "notify::selected", G_CALLBACK (edited_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tools_switch, "notify::active", G_CALLBACK (use_tools_cb), self, G_CONNECT_SWAPPED);
}

static void
byok_chat_settings_show (GtkWidget *widget)
{
  ByokChatSettings *self = BYOK_CHAT_SETTINGS (widget);

  if (self->form == NULL)
    build_form (self);

  GTK_WIDGET_CLASS (byok_chat_settings_parent_class)->show (widget);
}

static void
byok_chat_settings_closed (GtkPopover *popover)
{
  flush_changes (BYOK_CHAT_SETTINGS (popover));
}

static void
byok_chat_settings_dispose (GObject *object)
{
  ByokChatSettings *self = BYOK_CHAT_SETTINGS (object);

  flush_changes (self);
  g_clear_object (&self->conversation);
  g_clear_pointer (&self->model_name, g_free);

  G_OBJECT_CLASS (byok_chat_settings_parent_class)->dispose (object);
}

static void
byok_chat_settings_class_init (ByokChatSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkPopoverClass *popover_class = GTK_POPOVER_CLASS (klass);

  object_class->dispose = byok_chat_settings_dispose;
  widget_class->show = byok_chat_settings_show;
  popover_class->closed = byok_chat_settings_closed;

  /**
   * ByokChatSettings::changed:
   * @conversation: the conversation whose settings were edited
   *
   * The user edited the settings and closed the popover: save them.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, BYOK_TYPE_CONVERSATION);
}

static void
byok_chat_settings_init (ByokChatSettings *self)
{
  self->model_tools = TRUE;
  self->use_tools = TRUE;
  byok_model_get_params (NULL, NULL, &self->params);
  load (self);
}
