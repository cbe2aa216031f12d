/* byok-conversation-row.c — one conversation in the chat's sidebar */
#define G_LOG_DOMAIN "byok-conversation-row"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-conversation-row.h"

struct _ByokConversationRow
{
  AdwBin            parent_instance;

  ByokConversation *conversation;

  GtkLabel         *title_label;
  GtkLabel         *subtitle_label;
};

G_DEFINE_FINAL_TYPE (ByokConversationRow, byok_conversation_row, ADW_TYPE_BIN)

GtkWidget *
byok_conversation_row_new (void)
{
  return g_object_new (BYOK_TYPE_CONVERSATION_ROW, NULL);
}

/**
 * byok_conversation_dup_display_title:
 *
 * Returns: (transfer full): the title, or "New Conversation" when it has
 *   none yet
 */
char *
byok_conversation_dup_display_title (ByokConversation *conversation)
{
  const char *title = conversation != NULL ? byok_conversation_get_title (conversation) : NULL;

  if (title == NULL || *title == '\0')
    return g_strdup (_("New Conversation"));
  return g_strdup (title);
}

/**
 * byok_format_when:
 * @time_us: unix microseconds
 *
 * When something happened, as short as the sidebar needs: the time today,
 * "Yesterday", the weekday within a week, else the date.
 *
 * Returns: (transfer full): the text
 */
char *
byok_format_when (gint64 time_us)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (time_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) today = NULL;
  GTimeSpan since_midnight;

  if (when == NULL || now == NULL)
    return g_strdup ("");

  today = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                 g_date_time_get_day_of_month (now), 0, 0, 0);
  since_midnight = g_date_time_difference (when, today);

  if (since_midnight >= 0)
    /* Translators: the time of something that happened today (strftime format) */
    return g_date_time_format (when, _("%H:%M"));
  if (since_midnight >= -G_TIME_SPAN_DAY)
    return g_strdup (_("Yesterday"));
  if (since_midnight >= -6 * G_TIME_SPAN_DAY)
    return g_date_time_format (when, "%A");
  /* Translators: the date of something older than a week (strftime format) */
  /* xgettext:no-c-format */
  return g_date_time_format (when, _("%-d %b %Y"));
}

static void
update (ByokConversationRow *self)
{
  g_autofree char *title = byok_conversation_dup_display_title (self->conversation);
  g_autofree char *when = NULL;

  gtk_label_set_label (self->title_label, title);
  /* A long title is cut in the sidebar: whole in its tooltip. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label), title);
  if (self->conversation != NULL)
    when = byok_format_when (byok_conversation_get_updated (self->conversation));
  gtk_label_set_label (self->subtitle_label, when != NULL ? when : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
}

ByokConversation *
byok_conversation_row_get_conversation (ByokConversationRow *self)
{
  g_return_val_if_fail (BYOK_IS_CONVERSATION_ROW (self), NULL);

  return self->conversation;
}

void
byok_conversation_row_set_conversation (ByokConversationRow *self,
                                        ByokConversation    *conversation)
{
  g_return_if_fail (BYOK_IS_CONVERSATION_ROW (self));

  if (self->conversation == conversation)
    return;

  if (self->conversation != NULL)
    g_signal_handlers_disconnect_by_func (self->conversation, update, self);
  g_set_object (&self->conversation, conversation);
  if (conversation != NULL)
    {
      g_signal_connect_swapped (conversation, "notify::title", G_CALLBACK (update), self);
      g_signal_connect_swapped (conversation, "notify::updated", G_CALLBACK (update), self);
    }
  update (self);
}

static void
byok_conversation_row_dispose (GObject *object)
{
  ByokConversationRow *self = BYOK_CONVERSATION_ROW (object);

  byok_conversation_row_set_conversation (self, NULL);

  G_OBJECT_CLASS (byok_conversation_row_parent_class)->dispose (object);
}

static void
byok_conversation_row_class_init (ByokConversationRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byok_conversation_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-conversation-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokConversationRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, ByokConversationRow, subtitle_label);
}

static void
byok_conversation_row_init (ByokConversationRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
