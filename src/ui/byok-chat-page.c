/* byok-chat-page.c — the Chat page: sidebar, open conversation, composer
 *
 * Sending and streaming live in byok-chat-page-stream.c, the page's
 * actions in byok-chat-page-actions.c, which providers can be asked in
 * byok-chat-page-providers.c, the estimate and routing in
 * byok-chat-page-estimate.c.
 */
#define G_LOG_DOMAIN "byok-chat-page"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "byok-chat-page-private.h"
#include "byok-a11y.h"
#include "byok-compat.h"
#include "byok-conversation-row.h"
#include "byok-format.h"
#include "byok-markdown-view.h"
#include "byok-message-row.h"
#include "byok-plain-text.h"

/* How many of the newest messages the list holds when a conversation
 * opens, and how many more it takes each time the user nears its top. */
#define SHOWN_AT_OPEN 12
#define SHOWN_STEP    30

G_DEFINE_FINAL_TYPE (ByokChatPage, byok_chat_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_ENGINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Within this many pixels of the end, the list follows new text. */
#define STICK_DISTANCE 32.0

static void open_selected (ByokChatPage *self);
static void check_budget_errors (ByokChatPage *self);
static void build_view (ByokChatPage *self);

/* ---- helpers ------------------------------------------------------------- */

/**
 * byok_chat_page_add_toast:
 * @toast: (transfer full): the toast
 *
 * Shows @toast above the message box (or over Compare's columns), where it
 * covers neither the model picker nor the attach button.
 *
 * Returns: %FALSE when the page shows no conversation now (no key yet, or
 *   another page is shown): then @toast was not taken
 */
gboolean
byok_chat_page_add_toast (ByokChatPage *self,
                          AdwToast     *toast)
{
  g_return_val_if_fail (BYOK_IS_CHAT_PAGE (self), FALSE);

  if (self->split_view == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self->toast_overlay)))
    return FALSE;
  if (gtk_toggle_button_get_active (self->compare_button) && self->compare_view != NULL)
    byok_compare_view_add_toast (self->compare_view, toast);
  else
    adw_toast_overlay_add_toast (self->toast_overlay, toast);
  return TRUE;
}

void
_byok_chat_page_toast (ByokChatPage *self,
                       const char   *text)
{
  AdwToast *toast = byok_toast_new_plain (text);

  adw_toast_set_timeout (toast, 5);
  if (!byok_chat_page_add_toast (self, toast))
    {
      g_object_unref (toast);
      gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", text);
    }
}

ByokMessage *
_byok_chat_page_find_message (ByokChatPage *self,
                              gint64        id)
{
  guint n;

  if (self->messages == NULL || id <= 0)
    return NULL;

  /* Newest first: the messages acted on are mostly the last ones. */
  n = g_list_model_get_n_items (self->messages);
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(ByokMessage) message = g_list_model_get_item (self->messages, i - 1);

      if (byok_message_get_id (message) == id)
        return message;
    }
  return NULL;
}

/**
 * _byok_chat_page_focus_away_from_messages:
 *
 * Before messages are removed (regenerate, resend, delete): a button
 * clicked in a row that goes away would leave the focus to whatever GTK
 * finds next — the question's selectable text, all of it selected — so
 * the message box takes it first.
 */
void
_byok_chat_page_focus_away_from_messages (ByokChatPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus != NULL && self->split_view != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->message_list)))
    byok_composer_focus (self->composer);
}

/* ---- state --------------------------------------------------------------- */

static GListModel *
sidebar_model (ByokChatPage *self)
{
  return gtk_single_selection_get_model (self->conversation_selection);
}

void
_byok_chat_page_update_cost (ByokChatPage *self)
{
  double total = 0;
  gboolean any = FALSE;
  gboolean unknown = FALSE;
  guint n;

  n = self->messages != NULL ? g_list_model_get_n_items (self->messages) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ByokMessage) message = g_list_model_get_item (self->messages, i);

      if (g_strcmp0 (byok_message_get_role (message), BYOK_MESSAGE_ROLE_ASSISTANT) != 0 ||
          g_strcmp0 (byok_message_get_status (message), BYOK_MESSAGE_STATUS_STREAMING) == 0)
        continue;
      if (byok_message_get_price_known (message))
        {
          total += byok_message_get_cost_usd (message);
          any = TRUE;
        }
      else if (byok_message_get_has_usage (message))
        unknown = TRUE;
    }

  if (self->split_view == NULL)
    return;
  if (!any && !unknown)
    gtk_label_set_label (self->cost_label, "");
  else
    {
      g_autofree char *usd = byok_format_usd (total);
      g_autofree char *text = unknown
        /* Translators: a conversation's cost when some answers have no known price ("at least $0.42") */
        ? g_strdup_printf (_("at least %s"), usd)
        : g_steal_pointer (&usd);

      gtk_label_set_label (self->cost_label, text);
    }
}

void
_byok_chat_page_update_state (ByokChatPage *self)
{
  GListModel *conversations = self->store != NULL ? byok_conversation_store_get_conversations (self->store) : NULL;
  gboolean any_conversation = conversations != NULL && g_list_model_get_n_items (conversations) > 0;
  gboolean show_chat;
  gboolean comparing;
  gboolean has_messages = self->messages != NULL && g_list_model_get_n_items (self->messages) > 0;
  const char *query;
  GListModel *model = sidebar_model (self);
  g_autofree char *title = byok_conversation_dup_display_title (self->conversation);

  /* Conversations show at once; "no key" waits until the keyring said so. */
  show_chat = self->store != NULL &&
              (any_conversation || self->local_mode || (self->keys_known && self->has_key));
  /* The conversation view is built when it first shows: behind "add a
   * key" (a first start) nothing of it is built, styled or measured.
   * Once built it is visible only while it shows: shown before the
   * stack turns to it, hidden after it turned away. */
  if (show_chat && self->split_view == NULL)
    build_view (self);
  if (show_chat)
    gtk_widget_set_visible (GTK_WIDGET (self->split_view), TRUE);
  gtk_stack_set_visible_child_name (self->main_stack, show_chat ? "chat" : "empty");
  if (!show_chat && self->split_view != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->split_view), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->local_button), self->has_local);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat.rename", self->conversation != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat.export", self->conversation != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat.delete", self->conversation != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat.copy-last", has_messages);
  _byok_chat_page_update_busy (self);
  if (self->split_view == NULL)
    return;

  query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  comparing = gtk_toggle_button_get_active (self->compare_button);
  gtk_stack_set_visible_child_name (self->content_stack,
                                    comparing ? "compare" : has_messages ? "messages" : "start");
  gtk_widget_set_visible (GTK_WIDGET (self->composer), !comparing);
  gtk_widget_set_visible (GTK_WIDGET (self->cost_label), !comparing);
  gtk_widget_set_visible (GTK_WIDGET (self->conversation_menu_button), !comparing);
  if (self->keys_known && !self->has_key && !self->has_local)
    adw_status_page_set_description (self->start_page,
                                     _("No provider has a key: add one in Providers to send a message."));
  else
    adw_status_page_set_description (self->start_page,
                                     _("Pick a model below and write your message. Each answer shows its cost."));

  if (model != NULL && g_list_model_get_n_items (model) > 0)
    gtk_stack_set_visible_child_name (self->sidebar_stack, "list");
  else
    gtk_stack_set_visible_child_name (self->sidebar_stack,
                                      query != NULL && *query != '\0' ? "no-results" : "no-conversations");

  gtk_label_set_label (self->title_label, comparing ? _("Compare Models") : title);
  /* A long title (or large text) is cut in the header: whole here. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label), gtk_label_get_label (self->title_label));
  gtk_widget_set_sensitive (GTK_WIDGET (self->conversation_menu_button), self->conversation != NULL);
}

/* ---- sidebar ------------------------------------------------------------- */

/* Selects the open conversation in the sidebar, without opening anything. */
static void
sync_selection (ByokChatPage *self)
{
  GListModel *model = sidebar_model (self);
  guint position = GTK_INVALID_LIST_POSITION;
  guint n = model != NULL ? g_list_model_get_n_items (model) : 0;

  for (guint i = 0; self->conversation != NULL && i < n; i++)
    {
      g_autoptr(ByokConversation) conversation = g_list_model_get_item (model, i);

      if (conversation == self->conversation)
        {
          position = i;
          break;
        }
    }

  self->syncing_selection = TRUE;
  if (gtk_single_selection_get_selected (self->conversation_selection) != position)
    gtk_single_selection_set_selected (self->conversation_selection, position);
  self->syncing_selection = FALSE;
}

static void
set_sidebar_model (ByokChatPage *self,
                   GListModel   *model)
{
  self->syncing_selection = TRUE;
  gtk_single_selection_set_model (self->conversation_selection, model);
  self->syncing_selection = FALSE;
  sync_selection (self);
  _byok_chat_page_update_state (self);
}

static void
run_search (ByokChatPage *self)
{
  const char *query = self->split_view != NULL ? gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) : NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (query != NULL ? query : ""));

  if (self->store == NULL)
    return;

  g_clear_object (&self->search_results);
  if (*stripped == '\0')
    {
      set_sidebar_model (self, byok_conversation_store_get_conversations (self->store));
      return;
    }

  self->search_results = byok_conversation_store_search (self->store, stripped, &error);
  if (self->search_results == NULL)
    {
      _byok_chat_page_toast (self, error->message);
      set_sidebar_model (self, byok_conversation_store_get_conversations (self->store));
      return;
    }
  set_sidebar_model (self, self->search_results);
}

static void
search_changed_cb (ByokChatPage *self)
{
  run_search (self);
}

static void
search_stop_cb (ByokChatPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  byok_composer_focus (self->composer);
}

/* Search results are a snapshot: run the search again when the store
 * changes. */
static void
store_changed_cb (ByokChatPage *self)
{
  if (self->search_results != NULL)
    run_search (self);
  else
    _byok_chat_page_update_state (self);
}

static void
conversation_removed_cb (ByokChatPage          *self,
                         ByokConversation      *conversation,
                         ByokConversationStore *store)
{
  if (conversation == self->conversation)
    byok_chat_page_open_conversation (self, NULL);
  store_changed_cb (self);
}

static void
selection_items_changed_cb (ByokChatPage *self)
{
  sync_selection (self);
}

static void
selected_cb (ByokChatPage *self)
{
  if (self->syncing_selection)
    return;
  open_selected (self);
}

static void
open_selected (ByokChatPage *self)
{
  ByokConversation *conversation = gtk_single_selection_get_selected_item (self->conversation_selection);

  /* A conversation that moved or left the list is no choice of the user's. */
  if (conversation == NULL)
    return;

  if (conversation != self->conversation)
    byok_chat_page_open_conversation (self, conversation);
  if (self->split_view != NULL && byok_split_view_get_folded (self->split_view))
    byok_split_view_set_show_content (self->split_view, TRUE);
}

static void
conversation_row_clicked_cb (GtkGestureClick *gesture,
                             int              n_press,
                             double           x,
                             double           y,
                             ByokChatPage    *self)
{
  /* Clicking the open conversation again, in a folded view, shows it. */
  if (byok_split_view_get_folded (self->split_view) && self->conversation != NULL)
    {
      GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));

      if (byok_conversation_row_get_conversation (BYOK_CONVERSATION_ROW (row)) == self->conversation)
        byok_split_view_set_show_content (self->split_view, TRUE);
    }
}

static void
conversation_setup_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *item,
                       ByokChatPage             *self)
{
  GtkWidget *row = byok_conversation_row_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  g_signal_connect_object (click, "released", G_CALLBACK (conversation_row_clicked_cb), self, 0);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (click));
  gtk_list_item_set_child (item, row);
}

static void
conversation_bind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      ByokChatPage             *self)
{
  byok_conversation_row_set_conversation (BYOK_CONVERSATION_ROW (gtk_list_item_get_child (item)),
                                          gtk_list_item_get_item (item));
  byok_a11y_label_parent_by_child (gtk_list_item_get_child (item));
}

static void
conversation_unbind_cb (GtkSignalListItemFactory *factory,
                        GtkListItem              *item,
                        ByokChatPage             *self)
{
  byok_conversation_row_set_conversation (BYOK_CONVERSATION_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
folded_cb (ByokChatPage *self)
{
  if (byok_split_view_get_folded (self->split_view))
    byok_split_view_set_show_content (self->split_view, self->conversation != NULL);
}

/* ---- the message list ---------------------------------------------------- */

void
_byok_chat_page_scroll_to_end (ByokChatPage *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->messages_scroller);
  double end = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  if (gtk_adjustment_get_value (adjustment) >= end)
    return;
  self->scrolling = TRUE;
  gtk_adjustment_set_value (adjustment, end);
  self->scrolling = FALSE;
}

static gboolean
show_older_cb (gpointer data)
{
  ByokChatPage *self = data;
  guint offset;

  self->show_older_id = 0;
  if (self->shown_messages == NULL)
    return G_SOURCE_REMOVE;
  offset = gtk_slice_list_model_get_offset (self->shown_messages);
  if (offset > 0)
    gtk_slice_list_model_set_offset (self->shown_messages, offset > SHOWN_STEP ? offset - SHOWN_STEP : 0);
  return G_SOURCE_REMOVE;
}

/* The list follows the end unless the person scrolled up; scrolling back
 * to the end follows again. A move up is the person's when it comes
 * between frames (wheel, scrollbar, keys are handled there); inside a
 * frame it is the list placing rows it has just measured (their
 * estimated heights replaced by real ones), which must not stop
 * following the end. */
static void
scroll_value_cb (GtkAdjustment *adjustment,
                 ByokChatPage  *self)
{
  double value = gtk_adjustment_get_value (adjustment);
  double end = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  if (!self->scrolling)
    {
      if (value >= end - STICK_DISTANCE)
        self->stick_to_bottom = TRUE;
      else if (value < self->last_scroll_value - 0.5 && !self->in_frame)
        self->stick_to_bottom = FALSE;
    }
  self->last_scroll_value = value;

  /* Near the top of what is shown: show older messages above — from an
   * idle, not while the list view is busy scrolling or laying out. */
  if (self->shown_messages != NULL && self->show_older_id == 0 &&
      !self->scrolling && !self->stick_to_bottom &&
      gtk_slice_list_model_get_offset (self->shown_messages) > 0 &&
      value < gtk_adjustment_get_page_size (adjustment))
    self->show_older_id = g_idle_add (show_older_cb, self);
}

static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  ByokChatPage *self = BYOK_CHAT_PAGE (widget);

  self->scroll_tick_id = 0;
  if (self->stick_to_bottom)
    _byok_chat_page_scroll_to_end (self);
  return G_SOURCE_REMOVE;
}

static void
cancel_scroll (ByokChatPage *self)
{
  if (self->scroll_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick_id);
      self->scroll_tick_id = 0;
    }
}

/* The list grew or shrank. Scrolling now, inside the list's allocation,
 * would be lost: scroll on the next frame, before its layout. */
static void
scroll_changed_cb (GtkAdjustment *adjustment,
                   ByokChatPage  *self)
{
  if (self->stick_to_bottom && self->scroll_tick_id == 0)
    self->scroll_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_tick_cb, NULL, NULL);

  /* Less than two screens shown (a tall window, short messages): show
   * older ones too, so there is always something to scroll up to. */
  if (self->shown_messages != NULL && self->show_older_id == 0 &&
      gtk_slice_list_model_get_offset (self->shown_messages) > 0 &&
      gtk_adjustment_get_page_size (adjustment) > 0 &&
      gtk_adjustment_get_upper (adjustment) < 2 * gtk_adjustment_get_page_size (adjustment))
    self->show_older_id = g_idle_add (show_older_cb, self);
}

static void
message_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  ByokChatPage             *self)
{
  GtkWidget *row = byok_message_row_new ();

  if (self->engine != NULL)
    byok_message_row_set_catalog (BYOK_MESSAGE_ROW (row), byok_engine_get_catalog (self->engine));
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);
  gtk_list_item_set_child (item, row);
}

static void
message_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 ByokChatPage             *self)
{
  byok_message_row_set_message (BYOK_MESSAGE_ROW (gtk_list_item_get_child (item)),
                                gtk_list_item_get_item (item));
  byok_a11y_label_parent_by_child (gtk_list_item_get_child (item));
}

static void
message_unbind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   ByokChatPage             *self)
{
  byok_message_row_set_message (BYOK_MESSAGE_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
messages_changed_cb (ByokChatPage *self)
{
  guint n = g_list_model_get_n_items (self->messages);

  /* Messages after an earlier one went (edit and resend): keep the end in
   * the slice. */
  if (self->shown_messages != NULL && gtk_slice_list_model_get_offset (self->shown_messages) >= n && n > 0)
    gtk_slice_list_model_set_offset (self->shown_messages, n > SHOWN_AT_OPEN ? n - SHOWN_AT_OPEN : 0);

  _byok_chat_page_update_state (self);
  _byok_chat_page_update_cost (self);
  _byok_chat_page_invalidate_history (self);
}

/* ---- opening a conversation ---------------------------------------------- */

/**
 * byok_chat_page_open_conversation:
 * @conversation: (nullable): a stored conversation, or %NULL for a new one
 *
 * Shows @conversation: its messages, its model in the picker and its
 * settings. %NULL starts a new conversation, stored when its first message
 * is sent.
 */
/* Shows the open conversation (or a new one) in the conversation view:
 * its messages, its model in the picker, its settings. */
static void
show_conversation (ByokChatPage *self)
{
  ByokModelPicker *picker = byok_composer_get_picker (self->composer);
  ByokChatSettings *settings = byok_composer_get_settings (self->composer);
  g_autoptr(GtkNoSelection) selection = NULL;

  /* A scroll still due was measured on the list before: the list of
   * this conversation asks for its own when it is laid out (GTK warns
   * of a value past its end, and ignores it). */
  cancel_scroll (self);
  selection = gtk_no_selection_new (self->shown_messages != NULL ? g_object_ref (G_LIST_MODEL (self->shown_messages)) : NULL);
  gtk_list_view_set_model (self->message_list, GTK_SELECTION_MODEL (selection));
  self->stick_to_bottom = TRUE;
  self->last_scroll_value = 0;

  if (self->conversation != NULL)
    {
      if (byok_conversation_get_model (self->conversation) != NULL)
        byok_model_picker_set_selection (picker, byok_conversation_get_provider (self->conversation),
                                         byok_conversation_get_model (self->conversation));
      byok_chat_settings_set_conversation (settings, self->conversation);
    }
  else
    {
      /* A new conversation's settings live in a draft until it is stored. */
      g_autoptr(ByokConversation) draft = byok_conversation_new ();

      byok_chat_settings_set_conversation (settings, draft);
      if (self->engine != NULL)
        byok_model_picker_select_default (picker, byok_engine_get_provider_settings (self->engine));
    }
}

void
byok_chat_page_open_conversation (ByokChatPage     *self,
                                  ByokConversation *conversation)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (BYOK_IS_CHAT_PAGE (self));
  g_return_if_fail (conversation == NULL || BYOK_IS_CONVERSATION (conversation));

  if (self->messages != NULL)
    g_signal_handlers_disconnect_by_func (self->messages, messages_changed_cb, self);
  g_clear_object (&self->messages);
  g_set_object (&self->conversation, conversation);
  /* A conversation shows in place of a comparison. */
  if (self->split_view != NULL)
    gtk_toggle_button_set_active (self->compare_button, FALSE);

  if (conversation != NULL && self->store != NULL)
    {
      self->messages = byok_conversation_store_get_messages (self->store, conversation, &error);
      if (self->messages == NULL)
        _byok_chat_page_toast (self, error->message);
    }
  if (self->messages != NULL)
    g_signal_connect_swapped (self->messages, "items-changed", G_CALLBACK (messages_changed_cb), self);

  /* The list shows the newest messages and grows upwards as the user
   * scrolls there (scroll_value_cb): GTK 4.8's list view builds a row for
   * up to 200 items around the one it shows, and a row with its Markdown
   * laid out costs a few milliseconds. */
  g_clear_handle_id (&self->show_older_id, g_source_remove);
  g_clear_object (&self->shown_messages);
  if (self->messages != NULL)
    {
      guint n = g_list_model_get_n_items (self->messages);

      self->shown_messages = gtk_slice_list_model_new (g_object_ref (self->messages),
                                                       n > SHOWN_AT_OPEN ? n - SHOWN_AT_OPEN : 0,
                                                       G_MAXINT /* no end: offset + size must not overflow */);
    }
  /* Not built yet: the view shows it when it is (build_view()). */
  if (self->split_view != NULL)
    show_conversation (self);

  sync_selection (self);
  _byok_chat_page_update_state (self);
  _byok_chat_page_update_cost (self);
  _byok_chat_page_invalidate_history (self);
  check_budget_errors (self);
}

ByokConversation *
byok_chat_page_get_conversation (ByokChatPage *self)
{
  g_return_val_if_fail (BYOK_IS_CHAT_PAGE (self), NULL);

  return self->conversation;
}

/**
 * byok_chat_page_get_visible_conversations:
 *
 * Returns: (transfer none): what the sidebar lists: every conversation, or
 *   those the search found
 */
GListModel *
byok_chat_page_get_visible_conversations (ByokChatPage *self)
{
  g_return_val_if_fail (BYOK_IS_CHAT_PAGE (self), NULL);

  return sidebar_model (self);
}

/**
 * byok_chat_page_get_busy:
 *
 * Returns: whether an answer is streaming into the open conversation
 */
gboolean
byok_chat_page_get_busy (ByokChatPage *self)
{
  g_return_val_if_fail (BYOK_IS_CHAT_PAGE (self), FALSE);

  return _byok_chat_page_is_streaming (self, self->conversation);
}

/**
 * byok_chat_page_get_keys_known:
 *
 * Returns: whether the page knows which providers have a key (the keyring
 *   answers asynchronously)
 */
gboolean
byok_chat_page_get_keys_known (ByokChatPage *self)
{
  g_return_val_if_fail (BYOK_IS_CHAT_PAGE (self), FALSE);

  return self->keys_known;
}

/**
 * byok_chat_page_get_keys_listing:
 *
 * Returns: whether the page is listing the keys now (its answer not yet
 *   in)
 */
gboolean
byok_chat_page_get_keys_listing (ByokChatPage *self)
{
  g_return_val_if_fail (BYOK_IS_CHAT_PAGE (self), FALSE);

  return self->keys_listing || self->keys_relist;
}

/* ---- engine -------------------------------------------------------------- */

ByokEngine *
byok_chat_page_get_engine (ByokChatPage *self)
{
  g_return_val_if_fail (BYOK_IS_CHAT_PAGE (self), NULL);

  return self->engine;
}

ByokConversationStore *
byok_chat_page_get_store (ByokChatPage *self)
{
  g_return_val_if_fail (BYOK_IS_CHAT_PAGE (self), NULL);

  return self->store;
}

static void
catalog_changed_cb (ByokChatPage *self)
{
  _byok_chat_page_refresh_keys (self);
}

static void
detach_engine (ByokChatPage *self)
{
  _byok_chat_page_streams_detach (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  byok_chat_page_open_conversation (self, NULL);
  set_sidebar_model (self, NULL);
  g_clear_object (&self->search_results);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->engine != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->engine, self);
      g_signal_handlers_disconnect_by_data (byok_engine_get_catalog (self->engine), self);
    }
  g_clear_object (&self->store);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->available, g_strfreev);
  g_clear_pointer (&self->routable, g_strfreev);
  g_clear_pointer (&self->preconnected_provider, g_free);
  g_clear_pointer (&self->refused, g_strfreev);
  self->keys_known = FALSE;
  self->has_key = FALSE;
  self->has_local = FALSE;
}

/**
 * byok_chat_page_set_engine:
 * @engine: (nullable): the core to work with
 *
 * Opens the conversation store on the engine's database (a quit while an
 * answer streamed left it "partial"), lists which providers have a key,
 * and opens the newest conversation.
 */
void
byok_chat_page_set_engine (ByokChatPage *self,
                           ByokEngine   *engine)
{
  g_autoptr(GError) error = NULL;
  ByokModelPicker *picker;
  GListModel *conversations;

  g_return_if_fail (BYOK_IS_CHAT_PAGE (self));
  g_return_if_fail (engine == NULL || BYOK_IS_ENGINE (engine));

  if (self->engine == engine)
    return;

  detach_engine (self);
  picker = self->split_view != NULL ? byok_composer_get_picker (self->composer) : NULL;

  if (engine != NULL)
    {
      self->engine = g_object_ref (engine);
      self->cancellable = g_cancellable_new ();
      self->store = byok_conversation_store_new (byok_engine_get_database (engine), &error);
      if (self->store == NULL)
        g_warning ("Could not open the conversations: %s", error->message);

      if (picker != NULL)
        byok_model_picker_set_catalog (picker, byok_engine_get_catalog (engine), byok_engine_get_pricing (engine));
      if (self->compare_view != NULL)
        byok_compare_view_set_engine (self->compare_view, engine);
      g_signal_connect_object (byok_engine_get_catalog (engine), "changed",
                               G_CALLBACK (catalog_changed_cb), self, G_CONNECT_SWAPPED);
    }
  else
    {
      if (picker != NULL)
        byok_model_picker_set_catalog (picker, NULL, NULL);
      if (self->compare_view != NULL)
        byok_compare_view_set_engine (self->compare_view, NULL);
    }

  if (self->store != NULL)
    {
      g_signal_connect_object (self->store, "conversation-added", G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->store, "conversation-changed", G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->store, "messages-changed", G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->store, "conversation-removed", G_CALLBACK (conversation_removed_cb), self, G_CONNECT_SWAPPED);

      conversations = byok_conversation_store_get_conversations (self->store);
      if (self->split_view != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      set_sidebar_model (self, conversations);
      if (g_list_model_get_n_items (conversations) > 0)
        {
          g_autoptr(ByokConversation) newest = g_list_model_get_item (conversations, 0);
          byok_chat_page_open_conversation (self, newest);
        }
      else
        byok_chat_page_open_conversation (self, NULL);
    }

  _byok_chat_page_refresh_keys (self);
  _byok_chat_page_update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

/* ---- composer ------------------------------------------------------------ */

static void
composer_send_cb (ByokChatPage *self,
                  const char   *text)
{
  _byok_chat_page_send (self, text);
}

static void
composer_stop_cb (ByokChatPage *self)
{
  _byok_chat_page_stop (self, self->conversation);
}

#define PRECONNECT_EVERY_US G_USEC_PER_SEC

/* The person types: get ready to answer. The connection to the chosen
 * provider opens now, so Send does not wait for the TCP and TLS
 * handshakes (libsoup keeps a connection that served nothing for a few
 * seconds only, so again while the typing goes on, once a second at
 * most); the highlighting of the common languages loads in the pauses.
 * Nothing of this happens before the person types. */
static void
composer_changed_cb (ByokChatPage *self)
{
  const char *provider_id = byok_model_picker_get_provider_id (byok_composer_get_picker (self->composer));
  g_autofree char *text = NULL;
  gint64 now = g_get_monotonic_time ();

  if (self->engine == NULL)
    return;
  text = byok_composer_dup_text (self->composer);
  if (text == NULL || *text == '\0')
    return;
  byok_markdown_view_preload_languages (GTK_WIDGET (self));
  if (provider_id == NULL || self->available == NULL ||
      !g_strv_contains ((const char * const *) self->available, provider_id))
    return;
  if (g_strcmp0 (provider_id, self->preconnected_provider) == 0 &&
      now - self->preconnected_at < PRECONNECT_EVERY_US)
    return;
  g_free (self->preconnected_provider);
  self->preconnected_provider = g_strdup (provider_id);
  self->preconnected_at = now;
  byok_client_preconnect (byok_engine_get_client (self->engine), provider_id);
}

static void
picker_selected_cb (ByokChatPage *self)
{
  ByokModelPicker *picker = byok_composer_get_picker (self->composer);
  gint64 regenerate_id = self->pending_regenerate_id;
  g_autoptr(GError) error = NULL;

  self->pending_regenerate_id = 0;
  if (self->conversation == NULL || self->store == NULL)
    return;

  byok_conversation_set_provider (self->conversation, byok_model_picker_get_provider_id (picker));
  byok_conversation_set_model (self->conversation, byok_model_picker_get_model_id (picker));
  if (!byok_conversation_store_save_conversation (self->store, self->conversation, &error))
    {
      _byok_chat_page_toast (self, error->message);
      return;
    }

  if (regenerate_id != 0)
    {
      ByokMessage *message = _byok_chat_page_find_message (self, regenerate_id);

      if (message != NULL)
        _byok_chat_page_regenerate (self, message);
    }
}

static void
picker_closed_cb (ByokChatPage *self)
{
  self->pending_regenerate_id = 0;
}

static void
settings_changed_cb (ByokChatPage     *self,
                     ByokConversation *conversation)
{
  g_autoptr(GError) error = NULL;

  /* A draft is saved with the conversation's first message. */
  if (self->store == NULL || byok_conversation_get_id (conversation) == 0)
    return;
  if (!byok_conversation_store_save_conversation (self->store, conversation, &error))
    _byok_chat_page_toast (self, error->message);
}

/* ---- object -------------------------------------------------------------- */

static void
frame_begins_cb (ByokChatPage *self)
{
  self->in_frame = TRUE;
}

static void
frame_ends_cb (ByokChatPage *self)
{
  self->in_frame = FALSE;
}

static void
byok_chat_page_realize (GtkWidget *widget)
{
  ByokChatPage *self = BYOK_CHAT_PAGE (widget);

  GTK_WIDGET_CLASS (byok_chat_page_parent_class)->realize (widget);

  /* Whether GTK is drawing a frame now (see scroll_value_cb()). */
  self->frame_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  g_signal_connect_swapped (self->frame_clock, "before-paint", G_CALLBACK (frame_begins_cb), self);
  g_signal_connect_swapped (self->frame_clock, "after-paint", G_CALLBACK (frame_ends_cb), self);
}

static void
byok_chat_page_unrealize (GtkWidget *widget)
{
  ByokChatPage *self = BYOK_CHAT_PAGE (widget);

  /* By function: GTK's own tick handler on the clock has the page as data. */
  if (self->frame_clock != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->frame_clock, frame_begins_cb, self);
      g_signal_handlers_disconnect_by_func (self->frame_clock, frame_ends_cb, self);
    }
  g_clear_object (&self->frame_clock);
  self->in_frame = FALSE;

  GTK_WIDGET_CLASS (byok_chat_page_parent_class)->unrealize (widget);
}

/* An answer a budget stopped offers to raise it only while it still
 * stops calls: back from Usage, the budget may have been raised. */
static void
check_budget_errors (ByokChatPage *self)
{
  ByokUsageStore *usage = self->engine != NULL ? byok_engine_get_usage_store (self->engine) : NULL;
  guint n = self->messages != NULL ? g_list_model_get_n_items (self->messages) : 0;

  for (guint i = 0; usage != NULL && i < n; i++)
    {
      g_autoptr(ByokMessage) message = g_list_model_get_item (self->messages, i);
      g_autoptr(GError) error = NULL;
      gboolean stops;

      if (g_strcmp0 (byok_message_get_error_class (message), "BUDGET") != 0)
        continue;
      stops = byok_usage_store_get_budget_stops (usage, byok_message_get_provider (message), &error);
      if (error != NULL)
        g_debug ("Could not read the budgets: %s", error->message);
      else
        byok_message_row_note_budget_lifted (message, !stops);
    }
}

static void
byok_chat_page_map (GtkWidget *widget)
{
  ByokChatPage *self = BYOK_CHAT_PAGE (widget);

  GTK_WIDGET_CLASS (byok_chat_page_parent_class)->map (widget);

  /* Back from Providers: a key may have been added or deleted; back from
   * Usage, a budget may have been raised. Not when the window first
   * shows: the engine's keys are being listed or were (set_engine()). */
  if (self->mapped_once || (!self->keys_listing && !self->keys_known))
    _byok_chat_page_refresh_keys (self);
  self->mapped_once = TRUE;
  check_budget_errors (self);
}

static void
byok_chat_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ByokChatPage *self = BYOK_CHAT_PAGE (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_chat_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ByokChatPage *self = BYOK_CHAT_PAGE (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      byok_chat_page_set_engine (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_chat_page_dispose (GObject *object)
{
  ByokChatPage *self = BYOK_CHAT_PAGE (object);

  if (self->streams != NULL)
    detach_engine (self);
  cancel_scroll (self);
  g_clear_pointer (&self->streams, g_hash_table_unref);
  g_clear_object (&self->conversation_selection);
  g_clear_handle_id (&self->estimate_id, g_source_remove);
  g_clear_object (&self->settings);
  if (self->tool_runner != NULL)
    byok_mcp_tool_runner_set_ask_func (self->tool_runner, NULL, NULL, NULL);
  g_clear_object (&self->tool_runner);
  g_clear_handle_id (&self->show_older_id, g_source_remove);
  g_clear_object (&self->shown_messages);
  g_clear_pointer (&self->suggested_provider, g_free);
  g_clear_pointer (&self->preconnected_provider, g_free);
  g_clear_pointer (&self->suggested_model, g_free);
  g_clear_pointer (&self->history_media, g_ptr_array_unref);

  G_OBJECT_CLASS (byok_chat_page_parent_class)->dispose (object);
}

static void
add_shortcut (GtkShortcutController *controller,
              const char            *accelerator,
              const char            *action)
{
  gtk_shortcut_controller_add_shortcut (controller,
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string (accelerator),
                                                          gtk_named_action_new (action)));
}

static void
byok_chat_page_class_init (ByokChatPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = byok_chat_page_get_property;
  object_class->set_property = byok_chat_page_set_property;
  object_class->dispose = byok_chat_page_dispose;
  widget_class->map = byok_chat_page_map;
  widget_class->realize = byok_chat_page_realize;
  widget_class->unrealize = byok_chat_page_unrealize;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, BYOK_TYPE_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BYOK_TYPE_COMPOSER);
  g_type_ensure (BYOK_TYPE_SPLIT_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-chat-page.ui");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_bind_template_child (widget_class, ByokChatPage, main_stack);
  gtk_widget_class_bind_template_child (widget_class, ByokChatPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, ByokChatPage, local_button);
  gtk_widget_class_install_action (widget_class, "chat.compare", NULL, _byok_chat_page_compare_action);

  _byok_chat_page_class_actions_init (widget_class);
}

/* The conversation view (byok-chat-page-conversation.ui), built when it
 * first shows (_byok_chat_page_update_state()) or an action needs it:
 * what the page knows by then — the engine's catalog, which providers
 * have a key, the open conversation, the sidebar's list — is applied to
 * it here. */
static void
build_view (ByokChatPage *self)
{
  g_autoptr(GtkBuilder) builder = NULL;
  GtkListItemFactory *factory;
  GtkAdjustment *adjustment;
  ByokModelPicker *picker;

  g_assert (self->split_view == NULL);

  builder = gtk_builder_new_from_resource ("/io/github/byok/Byok/byok-chat-page-conversation.ui");
#define VIEW_PART(type, name) self->name = type (gtk_builder_get_object (builder, #name))
  VIEW_PART (BYOK_SPLIT_VIEW, split_view);
  VIEW_PART (GTK_WIDGET, sidebar);
  VIEW_PART (GTK_SEARCH_ENTRY, search_entry);
  VIEW_PART (GTK_STACK, sidebar_stack);
  VIEW_PART (GTK_LIST_VIEW, conversation_list);
  VIEW_PART (GTK_WIDGET, content);
  VIEW_PART (GTK_LABEL, title_label);
  VIEW_PART (GTK_LABEL, cost_label);
  VIEW_PART (GTK_MENU_BUTTON, conversation_menu_button);
  VIEW_PART (ADW_TOAST_OVERLAY, toast_overlay);
  VIEW_PART (GTK_STACK, content_stack);
  VIEW_PART (ADW_STATUS_PAGE, start_page);
  VIEW_PART (GTK_SCROLLED_WINDOW, messages_scroller);
  VIEW_PART (GTK_LIST_VIEW, message_list);
  VIEW_PART (BYOK_COMPOSER, composer);
  VIEW_PART (GTK_TOGGLE_BUTTON, compare_button);
  VIEW_PART (ADW_BIN, compare_bin);
#undef VIEW_PART
  /* Hidden until _byok_chat_page_update_state() turns the stack to it. */
  gtk_widget_set_visible (GTK_WIDGET (self->split_view), FALSE);
  gtk_stack_add_named (self->main_stack, GTK_WIDGET (self->split_view), "chat");
  byok_a11y_name_status_pages (GTK_WIDGET (self->split_view));

  g_signal_connect_swapped (self->split_view, "notify::folded", G_CALLBACK (folded_cb), self);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect_swapped (self->search_entry, "stop-search", G_CALLBACK (search_stop_cb), self);

  /* Sidebar */
  gtk_list_view_set_model (self->conversation_list, GTK_SELECTION_MODEL (g_object_ref (self->conversation_selection)));
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (conversation_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (conversation_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (conversation_unbind_cb), self);
  gtk_list_view_set_factory (self->conversation_list, factory);
  g_object_unref (factory);

  /* Messages */
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (message_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (message_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (message_unbind_cb), self);
  gtk_list_view_set_factory (self->message_list, factory);
  g_object_unref (factory);

  adjustment = gtk_scrolled_window_get_vadjustment (self->messages_scroller);
  g_signal_connect (adjustment, "value-changed", G_CALLBACK (scroll_value_cb), self);
  g_signal_connect (adjustment, "changed", G_CALLBACK (scroll_changed_cb), self);

  /* Composer */
  picker = byok_composer_get_picker (self->composer);
  if (self->engine != NULL)
    byok_model_picker_set_catalog (picker, byok_engine_get_catalog (self->engine), byok_engine_get_pricing (self->engine));
  g_signal_connect_swapped (self->composer, "send", G_CALLBACK (composer_send_cb), self);
  g_signal_connect_swapped (self->composer, "stop", G_CALLBACK (composer_stop_cb), self);
  g_signal_connect_swapped (picker, "selected", G_CALLBACK (picker_selected_cb), self);
  g_signal_connect_swapped (picker, "closed", G_CALLBACK (picker_closed_cb), self);
  g_signal_connect_swapped (byok_composer_get_settings (self->composer), "changed",
                            G_CALLBACK (settings_changed_cb), self);
  g_signal_connect_swapped (byok_composer_get_settings (self->composer), "changed",
                            G_CALLBACK (_byok_chat_page_schedule_estimate), self);
  g_signal_connect_swapped (picker, "notify::model-id", G_CALLBACK (_byok_chat_page_schedule_estimate), self);
  g_signal_connect_swapped (picker, "notify::provider-id", G_CALLBACK (_byok_chat_page_schedule_estimate), self);
  g_signal_connect_swapped (self->composer, "changed", G_CALLBACK (_byok_chat_page_schedule_estimate), self);
  g_signal_connect_swapped (self->composer, "changed", G_CALLBACK (composer_changed_cb), self);
  g_signal_connect_swapped (self->composer, "use-suggestion", G_CALLBACK (_byok_chat_page_use_suggestion), self);
  g_signal_connect_swapped (self->composer, "attach-failed", G_CALLBACK (_byok_chat_page_toast), self);
  /* Files dropped on the conversation go to the composer (in Compare, its
   * own prompt's). */
  byok_attachment_tray_add_drop_target (byok_composer_get_tray (self->composer), GTK_WIDGET (self->content_stack));
  g_signal_connect_swapped (self->compare_button, "toggled", G_CALLBACK (_byok_chat_page_compare_toggled_cb), self);

  /* What the page knew before the view was there. */
  _byok_chat_page_show_keys (self);
  show_conversation (self);
  _byok_chat_page_update_cost (self);
  _byok_chat_page_update_tools (self);
  self->busy_state = -1;
}

/**
 * _byok_chat_page_ensure_view:
 *
 * Builds the conversation view if it is not yet: for an action that needs
 * its widgets (a shortcut may come before it ever showed).
 */
void
_byok_chat_page_ensure_view (ByokChatPage *self)
{
  if (self->split_view != NULL)
    return;
  build_view (self);
  _byok_chat_page_update_state (self);
}

static void
byok_chat_page_init (ByokChatPage *self)
{
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));
  byok_a11y_name_status_pages (GTK_WIDGET (self));
  _byok_chat_page_streams_init (self);
  self->stick_to_bottom = TRUE;

  /* Sidebar */
  self->conversation_selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->conversation_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->conversation_selection, TRUE);
  g_signal_connect_swapped (self->conversation_selection, "notify::selected", G_CALLBACK (selected_cb), self);
  g_signal_connect_swapped (self->conversation_selection, "items-changed", G_CALLBACK (selection_items_changed_cb), self);
  self->settings = g_settings_new (APP_ID);

  /* Shortcuts: wherever the focus is while the page shows. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_GLOBAL);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Control>n", "chat.new");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Control>f", "chat.search");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Control>l", "chat.focus-composer");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "Escape", "chat.stop");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Control>r", "chat.regenerate");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Control><Shift>c", "chat.copy-last");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Control>m", "chat.compare");
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  byok_chat_page_open_conversation (self, NULL);
  _byok_chat_page_update_state (self);
}
