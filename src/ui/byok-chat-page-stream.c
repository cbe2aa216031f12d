/* byok-chat-page-stream.c — sending a message and streaming the answer
 *
 * One ChatStream per answer being written, with its ByokChatCall. The
 * call's "delta" signals are collected into the stream's pending text and
 * handed to the message
 * at most once per frame (a tick callback on the page), so a fast stream
 * costs one Markdown append per frame, not one per token. The message is
 * saved to the store about once a second while it streams and once more at
 * the end. Stop cancels the call at once: the text already shown stays,
 * marked partial.
 *
 * A stream holds the engine, the store and the message, and outlives the
 * page if it must: a page disposed mid-answer cancels the call, and the
 * callback still saves what arrived.
 */
#define G_LOG_DOMAIN "byok-chat-page"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-chat-page-private.h"
#include "byok-error.h"
#include "byok-message-row.h"

typedef struct {
  ByokChatPage          *page;          /* NULL once the page is gone */
  ByokEngine            *engine;
  ByokConversationStore *store;
  ByokConversation      *conversation;
  ByokMessage           *message;
  ByokChatCall          *call;
  GCancellable          *cancellable;
  GString               *pending_text;
  GString               *pending_reasoning;
  guint                  save_id;
  gboolean               stopped;
  char                  *stopped_text;
  char                  *stopped_reasoning;
} ChatStream;

static void
chat_stream_free (ChatStream *stream)
{
  g_clear_handle_id (&stream->save_id, g_source_remove);
  if (stream->call != NULL)
    g_signal_handlers_disconnect_by_data (stream->call, stream);
  g_clear_object (&stream->call);
  g_clear_object (&stream->engine);
  g_clear_object (&stream->store);
  g_clear_object (&stream->conversation);
  g_clear_object (&stream->message);
  g_clear_object (&stream->cancellable);
  g_string_free (stream->pending_text, TRUE);
  g_string_free (stream->pending_reasoning, TRUE);
  g_free (stream->stopped_text);
  g_free (stream->stopped_reasoning);
  g_free (stream);
}

/* Pending text → the message (whose rows append it to their views). */
static void
chat_stream_flush (ChatStream *stream)
{
  if (stream->pending_reasoning->len > 0)
    {
      byok_message_append_reasoning (stream->message, stream->pending_reasoning->str);
      g_string_truncate (stream->pending_reasoning, 0);
    }
  if (stream->pending_text->len > 0)
    {
      byok_message_append_content (stream->message, stream->pending_text->str);
      g_string_truncate (stream->pending_text, 0);
    }
}

static void
chat_stream_save (ChatStream *stream)
{
  g_autoptr(GError) error = NULL;

  if (byok_message_get_id (stream->message) == 0)
    return;
  if (!byok_conversation_store_save_message (stream->store, stream->message, &error) &&
      !g_error_matches (error, BYOK_ERROR, BYOK_ERROR_INVALID))
    g_warning ("Could not save the answer: %s", error->message);
}

static gboolean
chat_stream_save_cb (gpointer data)
{
  ChatStream *stream = data;

  chat_stream_flush (stream);
  chat_stream_save (stream);
  return G_SOURCE_CONTINUE;
}

static ChatStream *
find_stream (ByokChatPage     *self,
             ByokConversation *conversation)
{
  GHashTableIter iter;
  ChatStream *stream;

  if (conversation == NULL)
    return NULL;

  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &stream))
    if (stream->conversation == conversation && !stream->stopped)
      return stream;
  return NULL;
}

gboolean
_byok_chat_page_is_streaming (ByokChatPage     *self,
                              ByokConversation *conversation)
{
  return find_stream (self, conversation) != NULL;
}

/* What can be done depends on whether the open conversation streams. */
void
_byok_chat_page_update_busy (ByokChatPage *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean busy = _byok_chat_page_is_streaming (self, self->conversation);
  gboolean has_store = self->store != NULL;
  int state = (busy ? 1 : 0) | (has_store ? 2 : 0) | (self->conversation != NULL ? 4 : 0);

  /* Called on every change of the message list — once a second while an
   * answer is saved: changing actions is not free (each one notifies the
   * window's action muxer and the buttons that use it). */
  if (state == self->busy_state)
    return;
  self->busy_state = state;

  if (self->composer != NULL)
    byok_composer_set_streaming (self->composer, busy);
  gtk_widget_action_set_enabled (widget, "chat.stop", busy);
  gtk_widget_action_set_enabled (widget, "chat.regenerate", has_store && !busy && self->conversation != NULL);
  gtk_widget_action_set_enabled (widget, "chat.regenerate-message", has_store && !busy);
  gtk_widget_action_set_enabled (widget, "chat.send-anyway", has_store && !busy);
  gtk_widget_action_set_enabled (widget, "chat.regenerate-message-with", has_store && !busy);
  gtk_widget_action_set_enabled (widget, "chat.resend-message", has_store && !busy);
  gtk_widget_action_set_enabled (widget, "chat.delete-message", has_store && !busy);
}

/* ---- deltas and frames --------------------------------------------------- */

static gboolean
flush_tick_cb (GtkWidget     *widget,
               GdkFrameClock *frame_clock,
               gpointer       user_data)
{
  ByokChatPage *self = BYOK_CHAT_PAGE (widget);
  GHashTableIter iter;
  ChatStream *stream;

  self->tick_id = 0;
  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &stream))
    if (!stream->stopped)
      chat_stream_flush (stream);
  return G_SOURCE_REMOVE;
}

/* A mapped page shows new text on the next frame; a hidden one (another
 * page is shown) lets the save timer hand it over once a second. */
static void
schedule_flush (ByokChatPage *self)
{
  if (self->tick_id == 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), flush_tick_cb, NULL, NULL);
}

/* New text or reasoning of a running answer waits in @pending for the next
 * flush. */
static void
add_pending (ChatStream *stream,
             GString    *pending,
             const char *text)
{
  if (stream->stopped || stream->page == NULL)
    return;
  g_string_append (pending, text);
  schedule_flush (stream->page);
}

static void
on_delta (ByokChatCall *call,
          const char   *text,
          ChatStream   *stream)
{
  add_pending (stream, stream->pending_text, text);
}

static void
on_reasoning_delta (ByokChatCall *call,
                    const char   *text,
                    ChatStream   *stream)
{
  add_pending (stream, stream->pending_reasoning, text);
}

/* The call waits to try again: the answer's row says so, counting down. */
static void
on_retrying (ByokChatCall          *call,
             const ByokRetryNotice *notice,
             ChatStream            *stream)
{
  if (stream->stopped || stream->page == NULL)
    return;
  byok_message_row_note_retrying (stream->message, notice);
}

/* ---- the end of an answer ------------------------------------------------ */

static void
chat_done_cb (GObject      *source,
              GAsyncResult *async,
              gpointer      user_data)
{
  ChatStream *stream = user_data;
  ByokChatPage *self = stream->page;
  g_autoptr(ByokChatResult) result = byok_chat_call_run_finish (BYOK_CHAT_CALL (source), async);
  gboolean cancelled;

  g_clear_handle_id (&stream->save_id, g_source_remove);
  if (!stream->stopped)
    chat_stream_flush (stream);

  cancelled = byok_error_is_cancelled (result->error);
  g_debug ("answer finished: %s", byok_error_get_class (result->error));

  byok_message_row_note_retrying (stream->message, NULL);
  if (g_error_matches (result->error, BYOK_ERROR, BYOK_ERROR_RATE_LIMIT) && result->retry_after_us >= 0)
    byok_message_row_note_retry_at (stream->message, g_get_real_time () + result->retry_after_us);
  /* The text, the attempts and the cost the engine recorded. */
  byok_message_set_from_result (stream->message, result);
  /* A tool still waiting or running when the answer ended never ran. */
  byok_message_finish_tool_block (stream->message, NULL, BYOK_TOOL_BLOCK_STOPPED, NULL);
  if (stream->stopped && cancelled)
    {
      /* Keep exactly what the person saw when they pressed Stop. */
      byok_message_set_content (stream->message, stream->stopped_text);
      byok_message_set_reasoning (stream->message, stream->stopped_reasoning);
    }
  chat_stream_save (stream);

  if (self != NULL)
    {
      g_hash_table_remove (self->streams, stream->call);
      _byok_chat_page_update_busy (self);
      _byok_chat_page_update_cost (self);
    }
  chat_stream_free (stream);
}

/* ---- asking -------------------------------------------------------------- */

/* Asks @conversation's model to answer its stored messages: appends a
 * streaming answer and starts the call. */
static void
start_answer (ByokChatPage     *self,
              ByokConversation *conversation)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokChatRequest) request = NULL;
  g_autoptr(ByokMessage) answer = NULL;
  g_autofree char *provider = NULL;
  g_autofree char *model = NULL;
  g_auto(GStrv) fallbacks = NULL;
  ChatStream *stream;

  request = byok_conversation_store_build_request (self->store, conversation, -1, &error);
  if (request == NULL)
    {
      _byok_chat_page_toast (self, error->message);
      return;
    }
  request->stream = TRUE;
  /* "Auto" and the fallback chain become a model and a list to try. */
  if (!_byok_chat_page_route (self, conversation, request, &provider, &model, &fallbacks, &error))
    {
      _byok_chat_page_toast (self, error->message);
      return;
    }

  answer = byok_message_new (BYOK_MESSAGE_ROLE_ASSISTANT, "");
  byok_message_set_status (answer, BYOK_MESSAGE_STATUS_STREAMING);
  byok_message_set_provider (answer, provider);
  byok_message_set_model (answer, model);
  if (!byok_conversation_store_append_message (self->store, conversation, answer, &error))
    {
      _byok_chat_page_toast (self, error->message);
      return;
    }

  stream = g_new0 (ChatStream, 1);
  stream->page = self;
  stream->engine = g_object_ref (self->engine);
  stream->store = g_object_ref (self->store);
  stream->conversation = g_object_ref (conversation);
  stream->message = g_object_ref (answer);
  stream->call = byok_engine_new_chat (self->engine, request, provider, model, (const char * const *) fallbacks,
                                       byok_conversation_get_id (conversation));
  stream->cancellable = g_cancellable_new ();
  stream->pending_text = g_string_new (NULL);
  stream->pending_reasoning = g_string_new (NULL);
  stream->save_id = g_timeout_add (BYOK_CHAT_PAGE_SAVE_INTERVAL_MS, chat_stream_save_cb, stream);
  g_hash_table_insert (self->streams, stream->call, stream);
  g_signal_connect (stream->call, "delta", G_CALLBACK (on_delta), stream);
  g_signal_connect (stream->call, "reasoning-delta", G_CALLBACK (on_reasoning_delta), stream);
  g_signal_connect (stream->call, "retrying", G_CALLBACK (on_retrying), stream);

  self->stick_to_bottom = TRUE;
  _byok_chat_page_update_busy (self);
  _byok_chat_page_update_state (self);

  _byok_chat_page_run_with_tools (self, stream->call, request, answer, stream->cancellable, chat_done_cb, stream);
}

/* The first line of the first message, short enough for the sidebar. */
static char *
make_title (const char *text)
{
  const char *end = strchr (text, '\n');
  g_autofree char *line = end != NULL ? g_strndup (text, end - text) : g_strdup (text);
  glong length;

  g_strstrip (line);
  length = g_utf8_strlen (line, -1);
  if (length <= 60)
    return g_steal_pointer (&line);
  {
    g_autofree char *cut = g_utf8_substring (line, 0, 59);
    return g_strconcat (g_strchomp (cut), "…", NULL);
  }
}

/* Sends @text in the open conversation, creating it if it is new. */
void
_byok_chat_page_send (ByokChatPage *self,
                      const char   *text)
{
  ByokModelPicker *picker = byok_composer_get_picker (self->composer);
  const char *provider = byok_model_picker_get_provider_id (picker);
  const char *model = byok_model_picker_get_model_id (picker);
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokMessage) message = NULL;
  ByokConversation *conversation = self->conversation;

  if (self->store == NULL || self->engine == NULL || provider == NULL || model == NULL)
    return;
  if (_byok_chat_page_is_streaming (self, conversation))
    return;

  if (conversation == NULL)
    {
      g_autofree char *title = make_title (text);
      g_autoptr(ByokConversation) created = NULL;
      ByokChatSettings *settings = byok_composer_get_settings (self->composer);
      ByokConversation *draft = byok_chat_settings_get_conversation (settings);

      created = byok_conversation_store_create (self->store, title, provider, model, &error);
      if (created == NULL)
        {
          _byok_chat_page_toast (self, error->message);
          return;
        }
      /* Settings chosen before the first message belong to it. */
      if (draft != NULL)
        {
          byok_conversation_set_system_prompt (created, byok_conversation_get_system_prompt (draft));
          byok_conversation_set_temperature (created, byok_conversation_get_temperature (draft));
          byok_conversation_set_max_tokens (created, byok_conversation_get_max_tokens (draft));
          byok_conversation_set_effort (created, byok_conversation_get_effort (draft));
          if (!byok_conversation_store_save_conversation (self->store, created, &error))
            {
              g_warning ("Could not save the conversation's settings: %s", error->message);
              g_clear_error (&error);
            }
        }
      byok_chat_page_open_conversation (self, created);
      conversation = created;
    }
  else if (g_strcmp0 (byok_conversation_get_provider (conversation), provider) != 0 ||
           g_strcmp0 (byok_conversation_get_model (conversation), model) != 0)
    {
      byok_conversation_set_provider (conversation, provider);
      byok_conversation_set_model (conversation, model);
      if (!byok_conversation_store_save_conversation (self->store, conversation, &error))
        {
          _byok_chat_page_toast (self, error->message);
          return;
        }
    }

  message = byok_message_new (BYOK_MESSAGE_ROLE_USER, text);
  byok_message_set_attachments (message, byok_composer_get_attachments (self->composer));
  if (!byok_conversation_store_append_message (self->store, conversation, message, &error))
    {
      _byok_chat_page_toast (self, error->message);
      return;
    }
  start_answer (self, conversation);
}

/* Stop: cancel the call, keep the text shown, mark it partial — now, not
 * when the cancelled call has wound down. */
void
_byok_chat_page_stop (ByokChatPage     *self,
                      ByokConversation *conversation)
{
  ChatStream *stream = find_stream (self, conversation);

  if (stream == NULL)
    return;

  chat_stream_flush (stream);
  stream->stopped = TRUE;
  stream->stopped_text = g_strdup (byok_message_get_content (stream->message));
  stream->stopped_reasoning = g_strdup (byok_message_get_reasoning (stream->message));
  byok_message_row_note_retrying (stream->message, NULL);
  byok_message_set_status (stream->message, BYOK_MESSAGE_STATUS_PARTIAL);
  g_cancellable_cancel (stream->cancellable);
  chat_stream_save (stream);
  _byok_chat_page_update_busy (self);
}

/* Asks again for @answer: it and everything after it are replaced. */
void
_byok_chat_page_regenerate (ByokChatPage *self,
                            ByokMessage  *answer)
{
  g_autoptr(GError) error = NULL;
  ByokConversation *conversation = self->conversation;

  if (conversation == NULL || _byok_chat_page_is_streaming (self, conversation))
    return;

  _byok_chat_page_focus_away_from_messages (self);
  if (answer != NULL &&
      !byok_conversation_store_delete_messages_after (self->store, conversation,
                                                      byok_message_get_position (answer) - 1, &error))
    {
      _byok_chat_page_toast (self, error->message);
      return;
    }
  start_answer (self, conversation);
}

/* Edit and resend: @message gets @text, what came after it goes, and the
 * model is asked again. */
void
_byok_chat_page_resend (ByokChatPage *self,
                        ByokMessage  *message,
                        const char   *text)
{
  g_autoptr(GError) error = NULL;
  ByokConversation *conversation = self->conversation;

  if (conversation == NULL || _byok_chat_page_is_streaming (self, conversation))
    return;

  _byok_chat_page_focus_away_from_messages (self);
  byok_message_set_content (message, text);
  if (!byok_conversation_store_save_message (self->store, message, &error) ||
      !byok_conversation_store_delete_messages_after (self->store, conversation,
                                                      byok_message_get_position (message), &error))
    {
      _byok_chat_page_toast (self, error->message);
      return;
    }
  start_answer (self, conversation);
}

/* ---- life ---------------------------------------------------------------- */

void
_byok_chat_page_streams_init (ByokChatPage *self)
{
  self->streams = g_hash_table_new (NULL, NULL);
  self->busy_state = -1;
}

/* The page goes (or changes engine): cancel every call; their callbacks
 * still save what arrived. */
void
_byok_chat_page_streams_detach (ByokChatPage *self)
{
  GHashTableIter iter;
  ChatStream *stream;

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }

  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &stream))
    {
      chat_stream_flush (stream);
      chat_stream_save (stream);
      stream->page = NULL;
      g_cancellable_cancel (stream->cancellable);
      g_hash_table_iter_remove (&iter);
    }
}
