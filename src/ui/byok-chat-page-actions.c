/* byok-chat-page-actions.c — the Chat page's actions (chat.new,
 * chat.stop, chat.regenerate, chat.export, chat.delete, …) */
#define G_LOG_DOMAIN "byok-chat-page"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-chat-page-private.h"
#include "byok-compat.h"
#include "byok-conversation-row.h"
#include "byok-plain-text.h"

static ByokMessage *
last_message (ByokChatPage *self,
              const char   *role)
{
  guint n;

  if (self->messages == NULL)
    return NULL;

  n = g_list_model_get_n_items (self->messages);
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(ByokMessage) message = g_list_model_get_item (self->messages, i - 1);

      if (role == NULL || g_strcmp0 (byok_message_get_role (message), role) == 0)
        return message;
    }
  return NULL;
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  ByokChatPage *self = BYOK_CHAT_PAGE (widget);

  if (self->store == NULL)
    return;
  byok_chat_page_open_conversation (self, NULL);
  /* Behind "add a key" there is no view to show it in yet. */
  if (self->split_view == NULL)
    return;
  if (byok_split_view_get_folded (self->split_view))
    byok_split_view_set_show_content (self->split_view, TRUE);
  byok_composer_focus (self->composer);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ByokChatPage *self = BYOK_CHAT_PAGE (widget);

  /* Nothing to focus or show before the conversation view is built. */
  if (self->split_view == NULL)
    return;
  if (byok_split_view_get_folded (self->split_view))
    byok_split_view_set_show_content (self->split_view, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
focus_composer_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ByokChatPage *self = BYOK_CHAT_PAGE (widget);

  /* Nothing to focus or show before the conversation view is built. */
  if (self->split_view == NULL)
    return;
  if (byok_split_view_get_folded (self->split_view))
    byok_split_view_set_show_content (self->split_view, TRUE);
  byok_composer_focus (self->composer);
}

static void
show_sidebar_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  ByokChatPage *self = BYOK_CHAT_PAGE (widget);

  /* Nothing to focus or show before the conversation view is built. */
  if (self->split_view == NULL)
    return;
  byok_split_view_set_show_content (self->split_view, FALSE);
}

static void
use_local_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ByokChatPage *self = BYOK_CHAT_PAGE (widget);

  _byok_chat_page_ensure_view (self);
  self->local_mode = TRUE;
  _byok_chat_page_update_state (self);
  byok_composer_focus (self->composer);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ByokChatPage *self = BYOK_CHAT_PAGE (widget);

  _byok_chat_page_stop (self, self->conversation);
}

static void
regenerate_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ByokChatPage *self = BYOK_CHAT_PAGE (widget);
  ByokMessage *last = last_message (self, NULL);

  if (last == NULL)
    return;
  /* After a user's message (its answer deleted), just ask. */
  _byok_chat_page_regenerate (self, g_strcmp0 (byok_message_get_role (last), BYOK_MESSAGE_ROLE_ASSISTANT) == 0
                                   ? last : NULL);
}

static void
copy_last_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ByokChatPage *self = BYOK_CHAT_PAGE (widget);
  ByokMessage *answer = last_message (self, BYOK_MESSAGE_ROLE_ASSISTANT);

  if (answer == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), byok_message_get_content (answer));
  _byok_chat_page_toast (self, _("Answer copied"));
}

/* "Send Anyway" under a BUDGET error: the user confirms this one call. */
static void
send_anyway_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ByokChatPage *self = BYOK_CHAT_PAGE (widget);
  ByokMessage *message = _byok_chat_page_find_message (self, g_variant_get_int64 (parameter));

  if (message == NULL || self->engine == NULL)
    return;
  /* The provider the stopped call went to; all of them if unknown. */
  byok_engine_allow_over_budget_once (self->engine, byok_message_get_provider (message));
  _byok_chat_page_regenerate (self, message);
}

static void
regenerate_message_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  ByokChatPage *self = BYOK_CHAT_PAGE (widget);
  ByokMessage *message = _byok_chat_page_find_message (self, g_variant_get_int64 (parameter));

  if (message != NULL)
    _byok_chat_page_regenerate (self, message);
}

/* Regenerate with another model: the composer's picker pops up; picking a
 * model there regenerates (see picker_selected_cb). */
static void
regenerate_message_with_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  ByokChatPage *self = BYOK_CHAT_PAGE (widget);

  _byok_chat_page_ensure_view (self);
  if (_byok_chat_page_find_message (self, g_variant_get_int64 (parameter)) == NULL)
    return;
  self->pending_regenerate_id = g_variant_get_int64 (parameter);
  byok_model_picker_popup (byok_composer_get_picker (self->composer));
}

static void
delete_message_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ByokChatPage *self = BYOK_CHAT_PAGE (widget);
  ByokMessage *message = _byok_chat_page_find_message (self, g_variant_get_int64 (parameter));
  g_autoptr(GError) error = NULL;

  if (message == NULL)
    return;
  _byok_chat_page_focus_away_from_messages (self);
  if (!byok_conversation_store_delete_message (self->store, message, &error))
    _byok_chat_page_toast (self, error->message);
}

static void
resend_message_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ByokChatPage *self = BYOK_CHAT_PAGE (widget);
  gint64 id;
  const char *text;
  ByokMessage *message;

  g_variant_get (parameter, "(x&s)", &id, &text);
  message = _byok_chat_page_find_message (self, id);
  if (message != NULL)
    _byok_chat_page_resend (self, message, text);
}

/* Rename ------------------------------------------------------------------- */

static void
rename_response_cb (GtkWidget    *dialog,
                    const char   *response,
                    ByokChatPage *self)
{
  GtkEditable *entry = GTK_EDITABLE (byok_alert_get_extra_child (dialog));
  ByokConversation *conversation = g_object_get_data (G_OBJECT (dialog), "conversation");
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  if (!g_str_equal (response, "rename") || self->store == NULL)
    return;

  title = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  if (!byok_conversation_store_rename (self->store, conversation, title, &error))
    _byok_chat_page_toast (self, error->message);
  _byok_chat_page_update_state (self);
}

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ByokChatPage *self = BYOK_CHAT_PAGE (widget);
  GtkWidget *dialog;
  GtkWidget *entry;

  if (self->conversation == NULL)
    return;

  dialog = byok_alert_new (_("Rename Conversation"), NULL);
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), byok_conversation_get_title (self->conversation));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Title"), -1);
  byok_alert_set_extra_child (dialog, entry);
  byok_alert_add_response (dialog, "cancel", _("_Cancel"));
  byok_alert_add_response (dialog, "rename", _("_Rename"));
  byok_alert_set_response_appearance (dialog, "rename", ADW_RESPONSE_SUGGESTED);
  byok_alert_set_default_response (dialog, "rename");
  byok_alert_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "conversation", g_object_ref (self->conversation), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (rename_response_cb), self, 0);
  byok_alert_present (dialog, GTK_WIDGET (self));
  gtk_widget_grab_focus (entry);
}

/* Export ------------------------------------------------------------------- */

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ByokChatPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!byok_conversation_store_export_finish (BYOK_CONVERSATION_STORE (source), result, &error))
    {
      /* Translators: the export failed; %s says why */
      g_autofree char *text = g_strdup_printf (_("Could not export the conversation: %s"), error->message);
      _byok_chat_page_toast (self, text);
      return;
    }
  _byok_chat_page_toast (self, _("Conversation exported"));
}

typedef struct {
  ByokChatPage                 *self;
  ByokConversation             *conversation;
  ByokConversationExportFormat  format;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->conversation);
  g_free (data);
}

static void
export_file_chosen_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  ExportData *data = user_data;
  ByokChatPage *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = byok_file_save_finish (result, &error);

  if (file != NULL && self->store != NULL)
    byok_conversation_store_export_async (self->store, data->conversation, data->format, file,
                                          self->cancellable, export_done_cb, g_object_ref (self));
  else if (file == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _byok_chat_page_toast (self, error->message);
  export_data_free (data);
}

/* A file name from a title: no slashes, not hidden, not empty. */
static char *
export_file_name (ByokConversation *conversation,
                  const char       *extension)
{
  g_autofree char *title = byok_conversation_dup_display_title (conversation);

  g_strdelimit (title, "/\\:", '-');
  g_strstrip (title);
  while (title[0] == '.')
    title[0] = '_';
  return g_strconcat (*title != '\0' ? title : _("Conversation"), extension, NULL);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ByokChatPage *self = BYOK_CHAT_PAGE (widget);
  gboolean json = g_str_equal (g_variant_get_string (parameter, NULL), "json");
  g_autofree char *name = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  ExportData *data;

  if (self->conversation == NULL)
    return;

  name = export_file_name (self->conversation, json ? ".json" : ".md");
  gtk_file_filter_set_name (filter, json ? _("JSON") : _("Markdown"));
  if (json)
    gtk_file_filter_add_mime_type (filter, "application/json");
  else
    {
      gtk_file_filter_add_mime_type (filter, "text/markdown");
      gtk_file_filter_add_suffix (filter, "md");
    }
  g_list_store_append (filters, filter);

  data = g_new0 (ExportData, 1);
  data->self = g_object_ref (self);
  data->conversation = g_object_ref (self->conversation);
  data->format = json ? BYOK_CONVERSATION_EXPORT_JSON : BYOK_CONVERSATION_EXPORT_MARKDOWN;
  byok_file_save_async (GTK_WIDGET (self), json ? _("Export as JSON") : _("Export as Markdown"),
                        _("_Export"), name, G_LIST_MODEL (filters), self->cancellable,
                        export_file_chosen_cb, data);
}

/* Delete, with undo ---------------------------------------------------------- */

static void
undo_delete_cb (AdwToast     *toast,
                ByokChatPage *self)
{
  ByokConversationSnapshot *snapshot = g_object_get_data (G_OBJECT (toast), "snapshot");
  g_autoptr(GError) error = NULL;
  ByokConversation *conversation;

  if (snapshot == NULL || self->store == NULL)
    return;

  conversation = byok_conversation_store_restore (self->store, snapshot, &error);
  if (conversation == NULL)
    {
      _byok_chat_page_toast (self, error->message);
      return;
    }
  byok_chat_page_open_conversation (self, conversation);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ByokChatPage *self = BYOK_CHAT_PAGE (widget);
  g_autoptr(ByokConversation) conversation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;
  ByokConversationSnapshot *snapshot;
  AdwToast *toast;

  _byok_chat_page_ensure_view (self);
  if (self->conversation == NULL || self->store == NULL)
    return;

  conversation = g_object_ref (self->conversation);
  _byok_chat_page_stop (self, conversation);
  snapshot = byok_conversation_store_delete_conversation (self->store, conversation, &error);
  if (snapshot == NULL)
    {
      _byok_chat_page_toast (self, error->message);
      return;
    }

  title = byok_conversation_dup_display_title (conversation);
  /* Translators: a toast after deleting a conversation; %s is its title */
  text = g_strdup_printf (_("“%s” deleted"), title);
  toast = byok_toast_new_plain (text);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  /* The snapshot lives while the undo is offered. */
  g_object_set_data_full (G_OBJECT (toast), "snapshot", snapshot,
                          (GDestroyNotify) byok_conversation_snapshot_free);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_delete_cb), self, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);

  if (self->conversation == conversation)
    byok_chat_page_open_conversation (self, NULL);
}

void
_byok_chat_page_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "chat.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "chat.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "chat.focus-composer", NULL, focus_composer_action);
  gtk_widget_class_install_action (widget_class, "chat.show-sidebar", NULL, show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "chat.use-local", NULL, use_local_action);
  gtk_widget_class_install_action (widget_class, "chat.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "chat.regenerate", NULL, regenerate_action);
  gtk_widget_class_install_action (widget_class, "chat.copy-last", NULL, copy_last_action);
  gtk_widget_class_install_action (widget_class, "chat.rename", NULL, rename_action);
  gtk_widget_class_install_action (widget_class, "chat.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "chat.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "chat.regenerate-message", "x", regenerate_message_action);
  gtk_widget_class_install_action (widget_class, "chat.send-anyway", "x", send_anyway_action);
  gtk_widget_class_install_action (widget_class, "chat.regenerate-message-with", "x", regenerate_message_with_action);
  gtk_widget_class_install_action (widget_class, "chat.delete-message", "x", delete_message_action);
  gtk_widget_class_install_action (widget_class, "chat.resend-message", "(xs)", resend_message_action);
}
