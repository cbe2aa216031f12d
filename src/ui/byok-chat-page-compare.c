/* byok-chat-page-compare.c — the Chat page's Compare: built when first
 * turned on, the draft handed over, and "Continue in Chat" */
#define G_LOG_DOMAIN "byok-chat-page"

#include "config.h"

#include <string.h>

#include "byok-chat-page-private.h"

static void compare_continue_cb (ByokChatPage      *self,
                                 ByokCompareColumn *column);

/**
 * byok_chat_page_get_compare_view:
 *
 * The Compare view, built now if Compare was not turned on yet (a person
 * who never compares never pays for its columns).
 *
 * Returns: (transfer none): the view
 */
ByokCompareView *
byok_chat_page_get_compare_view (ByokChatPage *self)
{
  g_return_val_if_fail (BYOK_IS_CHAT_PAGE (self), NULL);

  if (self->compare_view != NULL)
    return self->compare_view;

  _byok_chat_page_ensure_view (self);
  self->compare_view = g_object_new (BYOK_TYPE_COMPARE_VIEW, NULL);
  adw_bin_set_child (self->compare_bin, GTK_WIDGET (self->compare_view));
  if (self->engine != NULL)
    byok_compare_view_set_engine (self->compare_view, self->engine);
  if (self->available != NULL)
    byok_compare_view_set_available (self->compare_view, (const char * const *) self->available);
  if (self->refused != NULL)
    byok_compare_view_set_refused (self->compare_view, (const char * const *) self->refused);
  g_signal_connect_swapped (self->compare_view, "continue-in-chat", G_CALLBACK (compare_continue_cb), self);
  return self->compare_view;
}

void
_byok_chat_page_compare_toggled_cb (ByokChatPage *self)
{
  if (gtk_toggle_button_get_active (self->compare_button))
    byok_chat_page_get_compare_view (self);
  _byok_chat_page_update_state (self);
  if (gtk_toggle_button_get_active (self->compare_button))
    {
      g_autofree char *draft = byok_composer_dup_text (self->composer);
      g_autofree char *prompt = byok_compare_view_dup_prompt (self->compare_view);
      GPtrArray *attached = byok_composer_get_attachments (self->composer);
      ByokAttachmentTray *tray = byok_compare_view_get_tray (self->compare_view);

      /* What was being written is the question to compare on. */
      if (*g_strstrip (draft) != '\0' && *prompt == '\0')
        {
          byok_compare_view_set_prompt (self->compare_view, draft);
          byok_composer_set_text (self->composer, "");
        }
      /* And so are the files attached to it. */
      if (attached->len > 0 && byok_attachment_tray_get_attachments (tray)->len == 0)
        {
          for (guint i = 0; i < attached->len; i++)
            byok_attachment_tray_add (tray, g_ptr_array_index (attached, i));
          byok_composer_clear_attachments (self->composer);
        }
      byok_compare_view_focus_prompt (self->compare_view);
    }
  else
    byok_composer_focus (self->composer);
}

void
_byok_chat_page_compare_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  ByokChatPage *self = BYOK_CHAT_PAGE (widget);

  _byok_chat_page_ensure_view (self);
  gtk_toggle_button_set_active (self->compare_button, !gtk_toggle_button_get_active (self->compare_button));
}

/* "Continue in Chat" on a column: a new conversation with that question
 * and that answer, on that model; the answer keeps its tokens, cost and
 * times, and the calls behind it are filed under the conversation. */
static void
compare_continue_cb (ByokChatPage      *self,
                     ByokCompareColumn *column)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokConversation) conversation = NULL;
  g_autoptr(ByokMessage) question = NULL;
  g_autoptr(ByokMessage) reply = NULL;
  ByokMessage *answer = byok_compare_column_get_answer (column);
  GPtrArray *attachments = NULL;
  const char *sent = byok_compare_view_get_sent (self->compare_view, &attachments);
  const char *prompt = byok_compare_column_get_prompt (column);
  const char *provider_id = byok_compare_column_get_provider_id (column);
  const char *model_id = byok_compare_column_get_model_id (column);
  g_autofree char *line = NULL;
  const gint64 *usage_ids;
  guint n_usage_ids;
  ByokUsage usage;
  const char *end;

  if (self->store == NULL || answer == NULL || prompt == NULL)
    return;

  end = strchr (prompt, '\n');
  line = end != NULL ? g_strndup (prompt, end - prompt) : g_strdup (prompt);
  if (g_utf8_strlen (line, -1) > 60)
    {
      g_autofree char *cut = g_utf8_substring (line, 0, 59);
      g_free (line);
      line = g_strconcat (g_strchomp (cut), "…", NULL);
    }
  conversation = byok_conversation_store_create (self->store, line, provider_id, model_id, &error);
  if (conversation == NULL)
    {
      _byok_chat_page_toast (self, error->message);
      return;
    }

  /* The question as written, with its files (not composed into it). */
  if (attachments != NULL && sent != NULL)
    {
      question = byok_message_new (BYOK_MESSAGE_ROLE_USER, sent);
      byok_message_set_attachments (question, attachments);
    }
  else
    question = byok_message_new (BYOK_MESSAGE_ROLE_USER, prompt);
  reply = byok_message_new (BYOK_MESSAGE_ROLE_ASSISTANT, byok_message_get_content (answer));
  byok_message_set_reasoning (reply, byok_message_get_reasoning (answer));
  byok_message_set_provider (reply, byok_message_get_provider (answer));
  byok_message_set_model (reply, byok_message_get_model (answer));
  if (byok_message_get_has_usage (answer))
    {
      byok_message_get_usage (answer, &usage);
      byok_message_set_usage (reply, &usage);
    }
  byok_message_set_cost (reply, byok_message_get_price_known (answer), byok_message_get_cost_usd (answer));
  byok_message_set_ttft_us (reply, byok_message_get_ttft_us (answer));
  byok_message_set_latency_us (reply, byok_message_get_latency_us (answer));
  byok_message_set_attempts (reply, byok_message_get_attempts (answer));
  if (!byok_conversation_store_append_message (self->store, conversation, question, &error) ||
      !byok_conversation_store_append_message (self->store, conversation, reply, &error))
    {
      _byok_chat_page_toast (self, error->message);
      return;
    }

  usage_ids = byok_compare_column_get_usage_ids (column, &n_usage_ids);
  if (!byok_usage_store_set_conversation (byok_engine_get_usage_store (self->engine), usage_ids, n_usage_ids,
                                          byok_conversation_get_id (conversation), &error))
    {
      g_warning ("Could not file the compared calls under their conversation: %s", error->message);
      g_clear_error (&error);
    }

  byok_chat_page_open_conversation (self, conversation);
  byok_composer_focus (self->composer);
}
