/* byok-chat-page-private.h — what the Chat page's files share:
 * byok-chat-page.c (the page and its sidebar), byok-chat-page-actions.c,
 * byok-chat-page-providers.c, byok-chat-page-estimate.c and
 * byok-chat-page-stream.c (sending and streaming answers) */
#pragma once

#include "byok-chat-page.h"
#include "byok-compare-view.h"
#include "byok-composer.h"
#include "byok-split-view.h"

G_BEGIN_DECLS

/* How often a streaming answer is written to the database. */
#define BYOK_CHAT_PAGE_SAVE_INTERVAL_MS 1000

struct _ByokChatPage
{
  AdwBin                 parent_instance;

  ByokEngine            *engine;
  ByokConversationStore *store;
  GCancellable          *cancellable;

  /* The open conversation, NULL for a new one not stored yet. */
  ByokConversation      *conversation;
  GListModel            *messages;
  GtkSliceListModel     *shown_messages;  /* the newest of them */
  guint                  show_older_id;

  /* Sidebar */
  GListModel            *search_results;
  GtkSingleSelection    *conversation_selection;
  gboolean               syncing_selection;

  /* Streaming answers: ByokChatCall* → ChatStream*. */
  GHashTable            *streams;
  guint                  tick_id;

  /* Following the end of the message list. */
  gboolean               stick_to_bottom;
  guint                  scroll_tick_id;
  gboolean               scrolling;
  double                 last_scroll_value;
  GdkFrameClock         *frame_clock;
  gboolean               in_frame;       /* between before- and after-paint */

  /* Which providers can be used now. */
  GStrv                  available;
  GStrv                  routable;      /* where Auto may send */
  gboolean               keys_known;
  gboolean               keys_listing;  /* a listing is on its way */
  gboolean               keys_relist;   /* asked for again meanwhile */
  gboolean               mapped_once;
  gboolean               has_key;
  gboolean               has_local;
  gboolean               local_mode;

  /* Ready to answer while the person types (composer_changed_cb()). */
  char                  *preconnected_provider;
  gint64                 preconnected_at;

  gint64                 pending_regenerate_id;
  int                    busy_state;    /* what update_busy last set, -1 */

  /* The estimate beside the model picker (byok-chat-page-estimate.c). */
  GSettings             *settings;
  gint64                 history_tokens;  /* the text, without attachments */
  GPtrArray             *history_media;   /* of ByokAttachment*, every one attached so far */
  gboolean               history_valid;
  gint64                 estimated_tokens;
  guint                  estimate_id;
  char                  *suggested_provider;
  char                  *suggested_model;

  /* Template */
  GtkStack              *main_stack;
  AdwStatusPage         *empty_page;
  GtkButton             *local_button;

  /* The conversation view, built when it first shows: NULL until then
   * (byok-chat-page-conversation.ui, build_view()). */
  ByokSplitView         *split_view;
  AdwToastOverlay       *toast_overlay;
  GtkWidget             *sidebar;
  GtkSearchEntry        *search_entry;
  GtkStack              *sidebar_stack;
  GtkListView           *conversation_list;
  GtkWidget             *content;
  GtkLabel              *title_label;
  GtkLabel              *cost_label;
  GtkMenuButton         *conversation_menu_button;
  GtkStack              *content_stack;
  AdwStatusPage         *start_page;
  GtkScrolledWindow     *messages_scroller;
  GtkListView           *message_list;
  ByokComposer          *composer;
  GtkToggleButton       *compare_button;
  AdwBin                *compare_bin;
  ByokCompareView       *compare_view;  /* NULL until Compare is first on */
  GStrv                  refused;       /* providers whose key was refused */
  ByokMcpToolRunner     *tool_runner;   /* the app's MCP servers, or NULL */
};

/* byok-chat-page.c */
void         _byok_chat_page_toast              (ByokChatPage     *self,
                                                 const char       *text);
void         _byok_chat_page_update_state       (ByokChatPage     *self);
void         _byok_chat_page_ensure_view        (ByokChatPage     *self);

/* byok-chat-page-compare.c */
void         _byok_chat_page_compare_toggled_cb (ByokChatPage    *self);
void         _byok_chat_page_compare_action     (GtkWidget       *widget,
                                                 const char      *action_name,
                                                 GVariant        *parameter);
void         _byok_chat_page_update_cost        (ByokChatPage     *self);
ByokMessage *_byok_chat_page_find_message       (ByokChatPage     *self,
                                                 gint64            id);
void         _byok_chat_page_scroll_to_end      (ByokChatPage     *self);
void         _byok_chat_page_focus_away_from_messages (ByokChatPage *self);

/* byok-chat-page-actions.c */
void         _byok_chat_page_class_actions_init (GtkWidgetClass  *widget_class);

/* byok-chat-page-providers.c */
void         _byok_chat_page_refresh_keys       (ByokChatPage     *self);
void         _byok_chat_page_show_keys          (ByokChatPage     *self);

/* byok-chat-page-estimate.c */
void         _byok_chat_page_invalidate_history (ByokChatPage     *self);
void         _byok_chat_page_schedule_estimate  (ByokChatPage     *self);
void         _byok_chat_page_use_suggestion     (ByokChatPage     *self);
gboolean     _byok_chat_page_route              (ByokChatPage     *self,
                                                 ByokConversation *conversation,
                                                 ByokChatRequest  *request,
                                                 char            **provider_id,
                                                 char            **model_id,
                                                 GStrv            *fallbacks,
                                                 GError          **error);

/* byok-chat-page-tools.c */
void         _byok_chat_page_run_with_tools     (ByokChatPage        *self,
                                                 ByokChatCall        *call,
                                                 ByokChatRequest     *request,
                                                 ByokMessage         *message,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  run_done,
                                                 gpointer             run_data);
void         _byok_chat_page_update_tools       (ByokChatPage     *self);

/* byok-chat-page-stream.c */
void         _byok_chat_page_streams_init       (ByokChatPage     *self);
void         _byok_chat_page_streams_detach     (ByokChatPage     *self);
gboolean     _byok_chat_page_is_streaming       (ByokChatPage     *self,
                                                 ByokConversation *conversation);
void         _byok_chat_page_update_busy        (ByokChatPage     *self);
void         _byok_chat_page_send               (ByokChatPage     *self,
                                                 const char       *text);
void         _byok_chat_page_stop               (ByokChatPage     *self,
                                                 ByokConversation *conversation);
void         _byok_chat_page_regenerate         (ByokChatPage     *self,
                                                 ByokMessage      *answer);
void         _byok_chat_page_resend             (ByokChatPage     *self,
                                                 ByokMessage      *message,
                                                 const char       *text);

G_END_DECLS
