/* test-chat-page.c — the Chat page under Xvfb against the provider test
 * server, with a throwaway database: a prompt streams into the last row
 * with its cost caption; Stop keeps the partial text and marks it;
 * regenerate replaces the answer; edit-and-resend drops what came after;
 * a 401 shows the inline error whose "Open Providers" switches the page;
 * a 429's "Retry" counts down the provider's wait and asks again;
 * a restart finds the conversation again (an answer cut off by the quit as
 * partial); search finds a conversation by its content; a deleted
 * conversation comes back with the toast's Undo; the fallback line says
 * which attempt failed and who answered; an answer with a code block
 * streams and draws without a warning; typing opens the connection the
 * send then takes.
 *
 * No timing assertions: the main loop runs until a condition holds, with a
 * generous cap on iterations. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "byok-test-engine.h"
#include "byok-test-replies.h"
#include "byok-test-util.h"
#include "byok-application.h"
#include "byok-attachment-chip.h"
#include "byok-attachment-preview.h"
#include "byok-attachment-texture.h"
#include "byok-attachment-tray.h"
#include "byok-chat-page.h"
#include "byok-chat-settings.h"
#include "byok-compare-column.h"
#include "byok-compare-view.h"
#include "byok-composer.h"
#include "byok-format.h"
#include "byok-markdown-pane.h"
#include "byok-markdown-view.h"
#include "byok-message-row.h"
#include "byok-preferences-window.h"
#include "byok-prompt-box.h"
#include "byok-router.h"
#include "byok-test-server.h"
#include "byok-test-ui.h"
#include "byok-window.h"

#define OPENAI_KEY  "sk-test-fake-chat-page-0001"
#define OPENROUTER_KEY "sk-or-test-fake-chat-page-0002"
#define CHAT_PATH   "/v1/chat/completions"

typedef ByokTestChatFixture Fixture;

/* ---- widgets ------------------------------------------------------------- */

static gboolean
is_row_of (GtkWidget     *widget,
           gconstpointer  message)
{
  return BYOK_IS_MESSAGE_ROW (widget) && byok_message_row_get_message (BYOK_MESSAGE_ROW (widget)) == message;
}

static GtkWidget *
find_row_of (GtkWidget   *widget,
             ByokMessage *message)
{
  return byok_test_ui_find_first (widget, is_row_of, message);
}

/* The editor of a user's message: the row's text view that is not Markdown. */
static gboolean
find_editor_matches (GtkWidget     *widget,
                     gconstpointer  data)
{
  return GTK_IS_TEXT_VIEW (widget) && !BYOK_IS_MARKDOWN_VIEW (widget);
}

static GtkTextView *
find_editor (GtkWidget *widget)
{
  return GTK_TEXT_VIEW (byok_test_ui_find_first (widget, find_editor_matches, NULL));
}

/* ---- the page's data ----------------------------------------------------- */

static GListModel *
messages_of (Fixture *f)
{
  ByokConversation *conversation = byok_chat_page_get_conversation (f->page);
  g_autoptr(GError) error = NULL;
  GListModel *messages;

  g_assert_nonnull (conversation);
  messages = byok_conversation_store_get_messages (byok_chat_page_get_store (f->page), conversation, &error);
  g_assert_no_error (error);
  /* The store keeps returning this live list while someone holds it: the page does. */
  g_object_unref (messages);
  return messages;
}

static ByokMessage *
message_at (Fixture *f,
            int      index)
{
  GListModel *messages = messages_of (f);
  guint n = g_list_model_get_n_items (messages);
  g_autoptr(ByokMessage) message = NULL;

  if (index < 0)
    index += (int) n;
  g_assert_cmpint (index, >=, 0);
  g_assert_cmpint (index, <, (int) n);
  message = g_list_model_get_item (messages, (guint) index);
  return message;
}

/* ---- replies ------------------------------------------------------------- */

/* The page's answers: 1200 tokens in (1000 of them cached), 300 out. */
static ByokTestReply *
answer_reply (const char *reasoning,
              const char *text,
              gboolean    hold_before_end)
{
  return byok_test_reply_new_openai_answer (reasoning, text, 1200, 1000, 300, hold_before_end);
}

/* ---- fixture ------------------------------------------------------------- */

static void
open_engine (Fixture *f)
{
  const char *env[] = { "OPENAI_API_KEY=" OPENAI_KEY, "OPENROUTER_API_KEY=" OPENROUTER_KEY, NULL };

  f->engine = byok_test_engine_new (f->db_path);
  byok_test_engine_use_env_keys (f->engine, env, "openai", "openrouter", NULL);
  byok_test_point_providers (byok_engine_get_catalog (f->engine), f->server, "openrouter", "openai", NULL);
  byok_client_set_max_attempts (byok_engine_get_client (f->engine), 1);
}

static void
open_window (Fixture *f)
{
  f->window = g_object_new (BYOK_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 700);
  f->page = BYOK_CHAT_PAGE (byok_test_ui_find_descendant (f->window, BYOK_TYPE_CHAT_PAGE));
  g_assert_nonnull (f->page);
  byok_chat_page_set_engine (f->page, f->engine);
  gtk_window_present (GTK_WINDOW (f->window));
  byok_test_ui_iterate_until (byok_test_ui_chat_page_keys_known, f->page, "the keys");
  byok_model_picker_set_selection (byok_composer_get_picker (BYOK_COMPOSER (byok_test_ui_find_descendant (GTK_WIDGET (f->page), BYOK_TYPE_COMPOSER))),
                                   "openai", "gpt-4o-mini");
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  byok_test_chat_fixture_start (f, "chat-page");
  open_engine (f);
  open_window (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  byok_test_chat_fixture_finish (f);
}

static ByokComposer *
composer_of (Fixture *f)
{
  return BYOK_COMPOSER (byok_test_ui_find_descendant (GTK_WIDGET (f->page), BYOK_TYPE_COMPOSER));
}

static void
send (Fixture    *f,
      const char *text)
{
  ByokComposer *composer = composer_of (f);

  byok_composer_set_text (composer, text);
  g_assert_true (byok_composer_send (composer));
}

static void
send_and_wait (Fixture    *f,
               const char *text)
{
  send (f, text);
  g_assert_true (byok_chat_page_get_busy (f->page));
  byok_test_ui_iterate_until (byok_test_ui_chat_page_idle, f->page, "the answer");
}

/* The row bound to @message, once the list view has one for it. */
typedef struct {
  Fixture     *f;
  ByokMessage *message;
  GtkWidget   *row;
} RowWait;

static gboolean
row_shown (gpointer data)
{
  RowWait *wait = data;

  wait->row = find_row_of (GTK_WIDGET (wait->f->page), wait->message);
  return wait->row != NULL && gtk_widget_get_mapped (wait->row);
}

static GtkWidget *
row_of (Fixture     *f,
        ByokMessage *message)
{
  RowWait wait = { f, message, NULL };

  byok_test_ui_iterate_until (row_shown, &wait, "the message's row");
  return wait.row;
}

/* ---- tests --------------------------------------------------------------- */

static gboolean
server_connected (gpointer server)
{
  return byok_test_server_get_n_connections (server) > 0;
}

/* Typing opens the connection to the chosen provider ahead, so Send does
 * not wait for the handshakes; the send takes it: the server sees one
 * connection, there before the request. Nothing connects before the
 * person types. */
static void
test_preconnect (Fixture       *f,
                 gconstpointer  data)
{
  ByokComposer *composer = composer_of (f);

  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, "Ready.", FALSE));
  byok_test_ui_iterate_pending ();
  g_assert_cmpuint (byok_test_server_get_n_connections (f->server), ==, 0);

  byok_composer_set_text (composer, "H");
  byok_test_ui_iterate_until (server_connected, f->server, "the connection ahead");
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 0);

  byok_composer_set_text (composer, "Hello");
  g_assert_true (byok_composer_send (composer));
  byok_test_ui_iterate_until (byok_test_ui_chat_page_idle, f->page, "the answer");
  g_assert_cmpstr (byok_message_get_content (message_at (f, -1)), ==, "Ready.");
  g_assert_cmpuint (byok_test_server_count_path (f->server, CHAT_PATH), ==, 1);
  g_assert_cmpuint (byok_test_server_get_n_connections (f->server), ==, 1);
}

static void
test_send (Fixture       *f,
           gconstpointer  data)
{
  ByokMessage *answer;
  GtkWidget *row;
  GtkWidget *view;
  GtkWidget *expander;
  g_autofree char *caption = NULL;
  ByokTestRequest *request;

  byok_test_server_add_reply (f->server, CHAT_PATH,
                              answer_reply ("Think first.", "Hello **world**, here is `code`.", FALSE));
  send_and_wait (f, "Say hello");

  g_assert_cmpuint (g_list_model_get_n_items (messages_of (f)), ==, 2);
  g_assert_cmpstr (byok_message_get_content (message_at (f, 0)), ==, "Say hello");
  answer = message_at (f, -1);
  g_assert_cmpstr (byok_message_get_status (answer), ==, BYOK_MESSAGE_STATUS_COMPLETE);
  g_assert_cmpstr (byok_message_get_content (answer), ==, "Hello **world**, here is `code`.");
  g_assert_cmpstr (byok_message_get_reasoning (answer), ==, "Think first.");
  g_assert_true (byok_message_get_price_known (answer));
  g_assert_cmpfloat (byok_message_get_cost_usd (answer), >, 0);

  /* The request went to the model chosen, with the prompt. */
  request = byok_test_server_get_last_request (f->server);
  g_assert_nonnull (strstr (g_bytes_get_data (request->body, NULL), "Say hello"));
  g_assert_nonnull (strstr (g_bytes_get_data (request->body, NULL), "gpt-4o-mini"));

  /* The last row shows the streamed text as Markdown, the reasoning in a
   * closed expander, and the caption with tokens and cost. */
  row = row_of (f, answer);
  view = byok_test_ui_find_descendant (row, BYOK_TYPE_MARKDOWN_VIEW);
  g_assert_nonnull (view);
  g_assert_cmpstr (byok_markdown_view_get_text (BYOK_MARKDOWN_VIEW (view)), ==, "Hello **world**, here is `code`.");
  expander = byok_test_ui_find_descendant (row, GTK_TYPE_EXPANDER);
  g_assert_true (gtk_widget_get_visible (expander));
  g_assert_false (gtk_expander_get_expanded (GTK_EXPANDER (expander)));

  caption = byok_message_row_format_caption (answer, byok_engine_get_catalog (f->engine));
  g_assert_nonnull (caption);
  g_assert_nonnull (strstr (caption, "OpenAI"));
  g_assert_nonnull (strstr (caption, "gpt-4o-mini"));
  g_assert_nonnull (strstr (caption, "1,200 in"));
  g_assert_nonnull (strstr (caption, "300 out"));
  g_assert_nonnull (strstr (caption, "1,000 cached"));
  g_assert_nonnull (strstr (caption, "$"));
  g_assert_nonnull (strstr (caption, "total"));
  g_assert_nonnull (byok_test_ui_find_shown_label (row, row, caption));

  /* The conversation is titled after the prompt and listed. */
  g_assert_cmpstr (byok_conversation_get_title (byok_chat_page_get_conversation (f->page)), ==, "Say hello");
  g_assert_cmpuint (g_list_model_get_n_items (byok_chat_page_get_visible_conversations (f->page)), ==, 1);
}

static gboolean
has_text (gpointer data)
{
  ByokMessage *message = data;

  return g_str_has_suffix (byok_message_get_content (message), "answer");
}

static gboolean
cancel_finished (gpointer data)
{
  ByokMessage *message = data;

  return g_strcmp0 (byok_message_get_error_class (message), "CANCELLED") == 0;
}

static void
test_stop (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(ByokMessage) answer = NULL;
  GtkWidget *row;

  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, "A partial answer", TRUE));
  send (f, "Tell me a long story");
  answer = g_object_ref (message_at (f, -1));
  g_assert_cmpstr (byok_message_get_status (answer), ==, BYOK_MESSAGE_STATUS_STREAMING);
  byok_test_ui_iterate_until (has_text, answer, "the first words");

  /* Stop keeps the text and marks it, at once. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "chat.stop", NULL));
  g_assert_false (byok_chat_page_get_busy (f->page));
  g_assert_cmpstr (byok_message_get_status (answer), ==, BYOK_MESSAGE_STATUS_PARTIAL);
  g_assert_cmpstr (byok_message_get_content (answer), ==, "A partial answer");
  row = row_of (f, answer);
  g_assert_nonnull (byok_test_ui_find_shown_label (row, row, "Stopped: this answer is incomplete"));

  /* The cancelled call winds down and keeps what was shown. */
  byok_test_ui_iterate_until (cancel_finished, answer, "the cancelled call");
  g_assert_cmpstr (byok_message_get_status (answer), ==, BYOK_MESSAGE_STATUS_PARTIAL);
  g_assert_cmpstr (byok_message_get_content (answer), ==, "A partial answer");
  g_assert_nonnull (byok_test_ui_find_shown_label (row, row, "Stopped: this answer is incomplete"));

  /* The composer can send again. */
  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, "Next.", FALSE));
  send_and_wait (f, "Shorter, please");
  g_assert_cmpuint (g_list_model_get_n_items (messages_of (f)), ==, 4);
  /* The partial answer is part of the next request: the user saw it. */
  g_assert_nonnull (strstr (g_bytes_get_data (byok_test_server_get_last_request (f->server)->body, NULL),
                            "A partial answer"));
}

static void
test_regenerate (Fixture       *f,
                 gconstpointer  data)
{
  ByokMessage *answer;
  const char *body;

  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, "First answer.", FALSE));
  send_and_wait (f, "Question");
  answer = message_at (f, -1);
  g_assert_cmpstr (byok_message_get_content (answer), ==, "First answer.");

  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, "Second answer.", FALSE));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "chat.regenerate-message", "x",
                                             byok_message_get_id (answer)));
  g_assert_true (byok_chat_page_get_busy (f->page));
  byok_test_ui_iterate_until (byok_test_ui_chat_page_idle, f->page, "the new answer");

  g_assert_cmpuint (g_list_model_get_n_items (messages_of (f)), ==, 2);
  g_assert_cmpstr (byok_message_get_content (message_at (f, 0)), ==, "Question");
  g_assert_cmpstr (byok_message_get_content (message_at (f, -1)), ==, "Second answer.");
  g_assert_cmpuint (byok_test_server_count_path (f->server, CHAT_PATH), ==, 2);
  /* The old answer was not sent again. */
  body = g_bytes_get_data (byok_test_server_get_last_request (f->server)->body, NULL);
  g_assert_null (strstr (body, "First answer."));

  /* Ctrl+R's action regenerates the last answer. */
  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, "Third answer.", FALSE));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "chat.regenerate", NULL));
  byok_test_ui_iterate_until (byok_test_ui_chat_page_idle, f->page, "the third answer");
  g_assert_cmpuint (g_list_model_get_n_items (messages_of (f)), ==, 2);
  g_assert_cmpstr (byok_message_get_content (message_at (f, -1)), ==, "Third answer.");
}

static void
test_edit_resend (Fixture       *f,
                  gconstpointer  data)
{
  ByokMessage *first;
  GtkWidget *row;
  GtkTextView *editor;
  const char *body;

  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, "Answer one.", FALSE));
  send_and_wait (f, "Question one");
  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, "Answer two.", FALSE));
  send_and_wait (f, "Question two");
  g_assert_cmpuint (g_list_model_get_n_items (messages_of (f)), ==, 4);

  /* Edit the first question in its row and send it again. */
  first = message_at (f, 0);
  row = row_of (f, first);
  g_assert_true (gtk_widget_activate_action (row, "message.edit", NULL));
  g_assert_true (byok_message_row_get_editing (BYOK_MESSAGE_ROW (row)));
  editor = find_editor (row);
  g_assert_nonnull (editor);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (editor), "Question one, edited", -1);

  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, "Edited answer.", FALSE));
  g_assert_true (gtk_widget_activate_action (row, "message.send-edit", NULL));
  g_assert_true (byok_chat_page_get_busy (f->page));
  byok_test_ui_iterate_until (byok_test_ui_chat_page_idle, f->page, "the answer to the edit");

  g_assert_cmpuint (g_list_model_get_n_items (messages_of (f)), ==, 2);
  g_assert_cmpstr (byok_message_get_content (message_at (f, 0)), ==, "Question one, edited");
  g_assert_cmpstr (byok_message_get_content (message_at (f, -1)), ==, "Edited answer.");
  body = g_bytes_get_data (byok_test_server_get_last_request (f->server)->body, NULL);
  g_assert_nonnull (strstr (body, "Question one, edited"));
  g_assert_null (strstr (body, "Question two"));
  g_assert_null (strstr (body, "Answer one."));
}

static void
test_auth_error (Fixture       *f,
                 gconstpointer  data)
{
  ByokMessage *answer;
  GtkWidget *row;
  GtkWidget *button;
  AdwViewStack *stack;

  byok_test_server_add_reply (f->server, CHAT_PATH,
    byok_test_reply_new_json (401, "{\"error\": {\"message\": \"Incorrect API key provided.\", "
                                   "\"type\": \"invalid_request_error\", \"code\": \"invalid_api_key\"}}"));
  send_and_wait (f, "Hello?");

  answer = message_at (f, -1);
  g_assert_cmpstr (byok_message_get_status (answer), ==, BYOK_MESSAGE_STATUS_ERROR);
  g_assert_cmpstr (byok_message_get_error_class (answer), ==, "AUTH");

  row = row_of (f, answer);
  g_assert_nonnull (byok_test_ui_find_shown_label (row, row, "The Key Was Rejected"));
  g_assert_nonnull (byok_test_ui_find_shown_label (row, row, byok_message_get_error_message (answer)));
  button = byok_test_ui_find_shown_button (row, row, "Open _Providers");
  g_assert_nonnull (button);

  stack = ADW_VIEW_STACK (byok_test_ui_find_descendant (f->window, ADW_TYPE_VIEW_STACK));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "chat");
  g_signal_emit_by_name (button, "clicked");
  byok_test_ui_iterate_pending ();
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "providers");
}

static gboolean
is_shown_retry_button (GtkWidget     *widget,
                       gconstpointer  top)
{
  return GTK_IS_BUTTON (widget) && g_str_has_prefix (gtk_button_get_label (GTK_BUTTON (widget)) ?: "", "Retry in ") &&
         byok_test_ui_is_shown (widget, (GtkWidget *) top);
}

static GtkWidget *
find_retry_button (GtkWidget *widget,
                   GtkWidget *top)
{
  return byok_test_ui_find_first (widget, is_shown_retry_button, top);
}

static void
test_rate_limit (Fixture       *f,
                 gconstpointer  data)
{
  ByokTestReply *reply = byok_test_reply_new_json (429,
    "{\"error\": {\"message\": \"Rate limit reached for requests\", "
    "\"type\": \"requests\", \"code\": \"rate_limit_exceeded\"}}");
  ByokMessage *answer;
  GtkWidget *row;
  GtkWidget *button;

  byok_test_reply_add_header (reply, "Retry-After", "600");
  byok_test_server_add_reply (f->server, CHAT_PATH, reply);
  send_and_wait (f, "Quick question");

  answer = message_at (f, -1);
  g_assert_cmpstr (byok_message_get_error_class (answer), ==, "RATE_LIMIT");
  row = row_of (f, answer);
  g_assert_nonnull (byok_test_ui_find_shown_label (row, row, "Rate Limited"));

  /* "Retry" counts down the provider's wait (ten minutes here) before it
   * is offered; then it regenerates the answer, as the action does now. */
  button = find_retry_button (row, row);
  g_assert_nonnull (button);
  g_assert_false (gtk_widget_get_sensitive (button));
  g_assert_null (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)));

  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, "Now it works.", FALSE));
  g_assert_true (gtk_widget_activate_action (row, "chat.regenerate-message", "x", byok_message_get_id (answer)));
  g_assert_true (byok_chat_page_get_busy (f->page));
  byok_test_ui_iterate_until (byok_test_ui_chat_page_idle, f->page, "the retried answer");
  g_assert_cmpuint (g_list_model_get_n_items (messages_of (f)), ==, 2);
  g_assert_cmpstr (byok_message_get_content (message_at (f, -1)), ==, "Now it works.");
}

static void
reopen (Fixture *f)
{
  byok_test_chat_fixture_close_window (f);
  byok_test_server_release_held (f->server);
  byok_test_ui_iterate_pending ();
  g_clear_object (&f->engine);
  open_engine (f);
  open_window (f);
}

static void
test_restart (Fixture       *f,
              gconstpointer  data)
{
  gint64 id;
  ByokMessage *answer;
  GtkWidget *row;
  GtkWidget *view;

  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, "Kept across restarts.", FALSE));
  send_and_wait (f, "Remember this");
  id = byok_conversation_get_id (byok_chat_page_get_conversation (f->page));

  /* An answer that streams when the app quits. */
  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, "Cut off answer", TRUE));
  send (f, "And this");
  answer = message_at (f, -1);
  byok_test_ui_iterate_until (has_text, answer, "the first words");

  reopen (f);

  /* The newest conversation opens again, with all four messages. */
  g_assert_nonnull (byok_chat_page_get_conversation (f->page));
  g_assert_cmpint (byok_conversation_get_id (byok_chat_page_get_conversation (f->page)), ==, id);
  g_assert_cmpuint (g_list_model_get_n_items (messages_of (f)), ==, 4);
  g_assert_cmpstr (byok_message_get_content (message_at (f, 1)), ==, "Kept across restarts.");
  g_assert_cmpstr (byok_message_get_status (message_at (f, 1)), ==, BYOK_MESSAGE_STATUS_COMPLETE);
  g_assert_true (byok_message_get_price_known (message_at (f, 1)));

  answer = message_at (f, -1);
  g_assert_cmpstr (byok_message_get_status (answer), ==, BYOK_MESSAGE_STATUS_PARTIAL);
  g_assert_cmpstr (byok_message_get_content (answer), ==, "Cut off answer");
  row = row_of (f, answer);
  view = byok_test_ui_find_descendant (row, BYOK_TYPE_MARKDOWN_VIEW);
  g_assert_cmpstr (byok_markdown_view_get_text (BYOK_MARKDOWN_VIEW (view)), ==, "Cut off answer");
  g_assert_nonnull (byok_test_ui_find_shown_label (row, row, "Stopped: this answer is incomplete"));
}

typedef struct {
  Fixture *f;
  guint    n;
} CountWait;

static gboolean
n_visible_conversations (gpointer data)
{
  CountWait *wait = data;

  return g_list_model_get_n_items (byok_chat_page_get_visible_conversations (wait->f->page)) == wait->n;
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  GtkWidget *entry;
  GListModel *found;
  g_autoptr(ByokConversation) match = NULL;
  CountWait wait = { f, 1 };
  ByokConversation *bananas;

  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, "Apples are red.", FALSE));
  send_and_wait (f, "Fruit one");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "chat.new", NULL));
  g_assert_null (byok_chat_page_get_conversation (f->page));
  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, "Bananas are yellow.", FALSE));
  send_and_wait (f, "Fruit two");
  bananas = byok_chat_page_get_conversation (f->page);
  g_assert_cmpuint (g_list_model_get_n_items (byok_chat_page_get_visible_conversations (f->page)), ==, 2);

  /* Ctrl+F's action focuses the search of the sidebar; it matches an
   * answer's text, not only titles. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "chat.search", NULL));
  entry = gtk_widget_get_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "bananas");
  byok_test_ui_iterate_until (n_visible_conversations, &wait, "the search");
  found = byok_chat_page_get_visible_conversations (f->page);
  match = g_list_model_get_item (found, 0);
  g_assert_true (match == bananas);

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  wait.n = 2;
  byok_test_ui_iterate_until (n_visible_conversations, &wait, "the whole list");
}

typedef struct {
  Fixture    *f;
  GtkWidget  *button;
} ButtonWait;

static gboolean
undo_shown (gpointer data)
{
  ButtonWait *wait = data;

  wait->button = byok_test_ui_find_shown_button (GTK_WIDGET (wait->f->page), GTK_WIDGET (wait->f->page), "_Undo");
  return wait->button != NULL && gtk_widget_get_mapped (wait->button);
}

static void
test_delete_undo (Fixture       *f,
                  gconstpointer  data)
{
  ByokConversation *conversation;
  gint64 id;
  ButtonWait wait = { f, NULL };

  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, "Worth keeping.", FALSE));
  send_and_wait (f, "Keep me");
  conversation = byok_chat_page_get_conversation (f->page);
  id = byok_conversation_get_id (conversation);

  /* Delete: the conversation leaves the list, a toast offers to undo. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "chat.delete", NULL));
  g_assert_null (byok_chat_page_get_conversation (f->page));
  g_assert_cmpuint (g_list_model_get_n_items (byok_chat_page_get_visible_conversations (f->page)), ==, 0);
  byok_test_ui_iterate_until (undo_shown, &wait, "the undo toast");

  /* Undo brings it back, open, with its messages. */
  g_signal_emit_by_name (wait.button, "clicked");
  byok_test_ui_iterate_pending ();
  g_assert_nonnull (byok_chat_page_get_conversation (f->page));
  g_assert_cmpint (byok_conversation_get_id (byok_chat_page_get_conversation (f->page)), ==, id);
  g_assert_cmpuint (g_list_model_get_n_items (byok_chat_page_get_visible_conversations (f->page)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (messages_of (f)), ==, 2);
  g_assert_cmpstr (byok_message_get_content (message_at (f, -1)), ==, "Worth keeping.");
}

static void
test_fallback_caption (Fixture       *f,
                       gconstpointer  data)
{
  ByokCatalog *catalog = byok_engine_get_catalog (f->engine);
  g_autofree char *one = NULL;
  g_autofree char *failed = NULL;
  g_autofree char *none = NULL;

  /* Which attempt failed and why, and who answered. */
  one = byok_message_row_format_fallback ("openai/gpt-4o: RATE_LIMIT (HTTP 429) → "
                                          "openrouter/openai/gpt-4o-mini: ok", catalog);
  g_assert_cmpstr (one, ==, "OpenAI 429 → answered by OpenRouter");
  failed = byok_message_row_format_fallback ("openai/gpt-4o: TIMEOUT → anthropic/claude: SERVER (HTTP 500)",
                                             catalog);
  g_assert_cmpstr (failed, ==, "OpenAI timed out → Anthropic 500");
  none = byok_message_row_format_fallback ("openai/gpt-4o: ok", catalog);
  g_assert_null (none);
  g_assert_null (byok_message_row_format_fallback (NULL, catalog));
}

/* Waits until @widget's window has drawn a frame. */
static void
wait_for_paint (GtkWidget *widget)
{
  byok_test_ui_wait_for_paint (widget);
}

/* An answer with a code block streams in word by word and draws without
 * a warning (a code block used to be drawn before it had an allocation),
 * the text after the block included. */
static void
test_code_block_stream (Fixture       *f,
                        gconstpointer  data)
{
  const char *text = "Here it is:\n\n```python\nfor i in range(3):\n    print(i)\n```\n\nAnd that prints three lines.";
  GLogLevelFlags fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  ByokMessage *answer;
  GtkWidget *row;
  GtkWidget *view;
  GtkWidget *code;
  GtkTextIter end;
  int y = 0;
  int height = 0;

  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, text, FALSE));
  send (f, "Show me a loop");
  while (byok_chat_page_get_busy (f->page))
    wait_for_paint (f->window);
  wait_for_paint (f->window);
  wait_for_paint (f->window);

  answer = message_at (f, -1);
  g_assert_cmpstr (byok_message_get_status (answer), ==, BYOK_MESSAGE_STATUS_COMPLETE);
  g_assert_cmpstr (byok_message_get_content (answer), ==, text);
  row = row_of (f, answer);
  view = byok_test_ui_find_descendant (row, BYOK_TYPE_MARKDOWN_VIEW);
  g_assert_cmpstr (byok_markdown_view_get_text (BYOK_MARKDOWN_VIEW (view)), ==, text);
  code = byok_test_ui_find_descendant (view, GTK_TYPE_OVERLAY);
  g_assert_nonnull (code);
  g_assert_true (gtk_widget_get_mapped (code));
  g_assert_cmpint (gtk_widget_get_width (code), >, 0);
  g_assert_cmpint (gtk_widget_get_height (code), >, 0);

  /* The view is as tall as its text, the line after the code included. */
  gtk_text_buffer_get_end_iter (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), &end);
  gtk_text_view_get_line_yrange (GTK_TEXT_VIEW (view), &end, &y, &height);
  g_assert_cmpint (gtk_widget_get_height (view), >=, y + height);
  g_assert_cmpint (gtk_widget_get_height (view), <=, y + height + 60);

  g_log_set_always_fatal (fatal);
}


static void
maybe_screenshot_widget (GtkWidget  *window,
                         const char *name)
{
  byok_test_ui_screenshot (window, name);
}

/* A call that cannot be recorded is not sent: the answer says so, what
 * failed and what to do, with Retry; the provider got nothing. */
static void
test_unrecorded (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  ByokMessage *answer;
  GtkWidget *row;

  /* Writes of calls fail, as on a full disk. */
  g_assert_true (byok_database_exec (byok_engine_get_database (f->engine),
                                     "CREATE TRIGGER full BEFORE INSERT ON usage BEGIN"
                                     "  SELECT RAISE (ABORT, 'database or disk is full');"
                                     "END;", &error));
  g_assert_no_error (error);
  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, "Never sent.", FALSE));
  send_and_wait (f, "Hello?");

  answer = message_at (f, -1);
  g_assert_cmpstr (byok_message_get_status (answer), ==, BYOK_MESSAGE_STATUS_ERROR);
  g_assert_cmpstr (byok_message_get_error_class (answer), ==, "STORAGE");
  g_assert_cmpstr (byok_message_get_content (answer), ==, "");
  g_assert_nonnull (strstr (byok_message_get_error_message (answer), "Not sent"));
  g_assert_nonnull (strstr (byok_message_get_error_message (answer), "disk is full"));
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 0);

  row = row_of (f, answer);
  g_assert_nonnull (byok_test_ui_find_shown_label (row, row, "Not Sent: Byok Could Not Record the Call"));
  g_assert_nonnull (byok_test_ui_find_shown_label (row, row, byok_message_get_error_message (answer)));
  g_assert_nonnull (byok_test_ui_find_shown_button (row, row, "_Retry"));
  maybe_screenshot_widget (f->window, "chat-not-recorded");

  /* Fixed: Retry sends it, and it is recorded. */
  g_assert_true (byok_database_exec (byok_engine_get_database (f->engine), "DROP TRIGGER full", &error));
  g_signal_emit_by_name (byok_test_ui_find_shown_button (row, row, "_Retry"), "clicked");
  byok_test_ui_iterate_until (byok_test_ui_chat_page_idle, f->page, "the answer");
  answer = message_at (f, -1);
  g_assert_cmpstr (byok_message_get_content (answer), ==, "Never sent.");
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 1);
}


static void
maybe_screenshot (Fixture    *f,
                  const char *name)
{
  maybe_screenshot_widget (f->window, name);
}

static gboolean
scrolled_to_end (gpointer data)
{
  GtkAdjustment *adjustment = data;

  return gtk_adjustment_get_value (adjustment) >=
         gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment) - 2;
}

static gboolean
list_at_end (gpointer data)
{
  GtkAdjustment *adjustment = data;

  return gtk_adjustment_get_upper (adjustment) > 5000 && scrolled_to_end (adjustment);
}

typedef struct {
  Fixture       *f;
  GtkAdjustment *adjustment;
} ScrollWait;

static gboolean
tall_and_streaming (gpointer data)
{
  ScrollWait *wait = data;

  return byok_chat_page_get_busy (wait->f->page) &&
         gtk_adjustment_get_upper (wait->adjustment) > 3 * gtk_adjustment_get_page_size (wait->adjustment);
}

/* Scrolling up while an answer streams stops following it, though the
 * answer goes on growing under it; back at the end, it follows again. */
static void
test_scroll_up_while_streaming (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (NULL);
  ByokTestReply *reply;
  GtkAdjustment *adjustment;
  ScrollWait wait = { f, NULL };
  double upper_when_scrolled;

  for (guint i = 1; i <= 150; i++)
    g_string_append_printf (text, "Line %u of an answer that keeps growing.\n\n", i);
  reply = answer_reply (NULL, text->str, FALSE);
  byok_test_reply_set_delay_ms (reply, 0, 3);
  byok_test_server_add_reply (f->server, CHAT_PATH, reply);
  send (f, "Write a long list");

  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (gtk_widget_get_ancestor (row_of (f, message_at (f, -1)),
                                                                                       GTK_TYPE_LIST_VIEW)));
  wait.adjustment = adjustment;
  byok_test_ui_iterate_until (tall_and_streaming, &wait, "a tall answer, still streaming");
  wait_for_paint (f->window);

  /* The person scrolls to the top, between frames as GTK handles input. */
  gtk_adjustment_set_value (adjustment, 0);
  upper_when_scrolled = gtk_adjustment_get_upper (adjustment);
  byok_test_ui_iterate_until (byok_test_ui_chat_page_idle, f->page, "the end of the answer");
  wait_for_paint (f->window);
  wait_for_paint (f->window);
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >, upper_when_scrolled);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), <, gtk_adjustment_get_page_size (adjustment));

  /* Back at the end, the next answer is followed. */
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, "A short one.", FALSE));
  send_and_wait (f, "And now?");
  byok_test_ui_iterate_until (scrolled_to_end, adjustment, "the list at its end");
}


/* A long answer streams into a column of text views (ByokMarkdownPane):
 * all of the text, each view laid out, the last one where the list ends. */
static void
test_long_answer (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (NULL);
  ByokMessage *answer;
  GtkWidget *pane;
  GtkAdjustment *adjustment;

  for (guint i = 1; i <= 400; i++)
    {
      g_string_append_printf (text, "Paragraph %u of a long answer, with *some* words in it to read.\n\n", i);
      if (i % 50 == 0)
        g_string_append_printf (text, "```python\nprint(%u)\n```\n\n", i);
    }
  g_string_append (text, "The end.");

  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, text->str, FALSE));
  send (f, "Write a lot");
  while (byok_chat_page_get_busy (f->page))
    wait_for_paint (f->window);
  wait_for_paint (f->window);
  wait_for_paint (f->window);

  answer = message_at (f, -1);
  g_assert_cmpstr (byok_message_get_content (answer), ==, text->str);
  pane = byok_test_ui_find_descendant (row_of (f, answer), BYOK_TYPE_MARKDOWN_PANE);
  g_assert_nonnull (pane);
  g_assert_cmpstr (byok_markdown_pane_get_text (BYOK_MARKDOWN_PANE (pane)), ==, text->str);
  g_assert_cmpuint (byok_markdown_pane_get_n_views (BYOK_MARKDOWN_PANE (pane)), >=, 2);

  for (GtkWidget *child = gtk_widget_get_first_child (pane); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      g_assert_true (BYOK_IS_MARKDOWN_VIEW (child));
      g_test_message ("a view of %" G_GSIZE_FORMAT " bytes, %d px",
                      strlen (byok_markdown_view_get_text (BYOK_MARKDOWN_VIEW (child))),
                      gtk_widget_get_height (child));
      g_assert_true (gtk_widget_get_mapped (child));
      g_assert_cmpint (gtk_widget_get_height (child), >, 0);
    }

  /* The list follows the answer to its end, as the text views lay out
   * their lines (in idle time, after the last text arrived). */
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (gtk_widget_get_ancestor (pane, GTK_TYPE_LIST_VIEW)));
  byok_test_ui_iterate_until (list_at_end, adjustment, "the list at the end of the answer");
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >, 5000);
  wait_for_paint (f->window);
  g_assert_true (list_at_end (adjustment));
  maybe_screenshot (f, "long-answer");
}

/* The @n-th button (0-based, in widget order) of the action row titled
 * @title under @widget. */
static void
collect_buttons (GtkWidget *widget,
                 GPtrArray *buttons)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child))
        g_ptr_array_add (buttons, child);
      collect_buttons (child, buttons);
    }
}

static GtkWidget *
row_button (GtkWidget  *widget,
            const char *title,
            guint       n)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (ADW_IS_ACTION_ROW (child) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), title) == 0)
        {
          g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

          collect_buttons (child, buttons);
          return n < buttons->len ? g_ptr_array_index (buttons, n) : NULL;
        }
      found = row_button (child, title, n);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* ---- attachments, estimates, Auto, the fallback chain -------------------- */

typedef struct {
  ByokComposer *composer;
  guint         n;
} AttachWait;

static gboolean
attached (gpointer data)
{
  AttachWait *wait = data;

  return !byok_composer_get_loading (wait->composer) &&
         byok_composer_get_attachments (wait->composer)->len == wait->n;
}

static void
attach_text (Fixture    *f,
             const char *name,
             const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  ByokComposer *composer = composer_of (f);
  AttachWait wait = { composer, byok_composer_get_attachments (composer)->len + 1 };

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
  byok_composer_attach_file (composer, file);
  byok_test_ui_iterate_until (attached, &wait, "the attached file");
}

static void
test_attach (Fixture       *f,
             gconstpointer  data)
{
  ByokComposer *composer = composer_of (f);
  ByokTestRequest *request;
  const char *body;
  const char *estimate;
  GPtrArray *attachments;
  g_autoptr(GFile) binary = NULL;
  g_autofree char *binary_path = g_build_filename (f->dir, "image.png", NULL);

  attach_text (f, "notes.txt", "The meeting is on Tuesday at 10.\n");
  g_assert_cmpuint (byok_composer_get_attachments (composer)->len, ==, 1);

  /* The file shows as a chip with its size, and the estimate counts it. */
  g_assert_nonnull (byok_test_ui_find_shown_label (GTK_WIDGET (composer), GTK_WIDGET (composer), "notes.txt"));
  byok_composer_set_text (composer, "When is the meeting?");
  byok_chat_page_update_estimate (f->page);
  estimate = byok_composer_get_estimate (composer);
  g_assert_nonnull (estimate);
  g_assert_nonnull (strstr (estimate, "tokens"));
  g_assert_nonnull (strstr (estimate, "$"));
  g_assert_false (byok_composer_get_blocked (composer));
  maybe_screenshot (f, "attach");

  /* A file that is not text is refused with a toast, not attached. */
  g_assert_true (g_file_set_contents (binary_path, "\x89PNG\r\n\x1a\n\0\0\0", 11, NULL));
  binary = g_file_new_for_path (binary_path);
  byok_composer_attach_file (composer, binary);
  {
    AttachWait wait = { composer, 1 };
    byok_test_ui_iterate_until (attached, &wait, "the refused file");
  }
  g_assert_cmpuint (byok_composer_get_attachments (composer)->len, ==, 1);

  /* Sent: the model reads the file, then the question; the chips go. */
  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, "On Tuesday.", FALSE));
  g_assert_true (byok_composer_send (composer));
  byok_test_ui_iterate_until (byok_test_ui_chat_page_idle, f->page, "the answer");
  g_assert_cmpuint (byok_composer_get_attachments (composer)->len, ==, 0);
  request = byok_test_server_get_last_request (f->server);
  body = g_bytes_get_data (request->body, NULL);
  g_assert_nonnull (strstr (body, "<file name=\\\"notes.txt\\\">\\nThe meeting is on Tuesday at 10.\\n</file>\\n\\nWhen is the meeting?"));

  /* The message keeps its file, and shows it. */
  attachments = byok_message_get_attachments (message_at (f, 0));
  g_assert_nonnull (attachments);
  g_assert_cmpuint (attachments->len, ==, 1);
  g_assert_cmpstr (byok_message_get_content (message_at (f, 0)), ==, "When is the meeting?");
  g_assert_nonnull (byok_test_ui_find_shown_label (row_of (f, message_at (f, 0)), row_of (f, message_at (f, 0)), "notes.txt"));
  maybe_screenshot (f, "attach-sent");

  /* After a restart too. */
  reopen (f);
  attachments = byok_message_get_attachments (message_at (f, 0));
  g_assert_nonnull (attachments);
  g_assert_cmpstr (((ByokAttachment *) g_ptr_array_index (attachments, 0))->name, ==, "notes.txt");
}


static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

/* ---- images and PDFs (issue 16) -------------------------------------------- */

/* A PNG of @width × @height: a gradient under a disc, so that a thumbnail
 * can be told from a blank. */
static GBytes *
make_png (int width,
          int height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  char *buffer = NULL;
  gsize size = 0;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guchar *p = pixels + y * stride + x * 3;
        int dx = x - width / 2, dy = y - height / 2;
        gboolean disc = dx * dx + dy * dy < (height / 3) * (height / 3);

        p[0] = disc ? 0xf6 : (guchar) (0x1c + 0x40 * x / width);
        p[1] = disc ? 0xd3 : (guchar) (0x71 + 0x60 * y / height);
        p[2] = disc ? 0x2d : 0xd8;
      }
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", NULL, NULL));
  return g_bytes_new_take (buffer, size);
}

/* An image attachment as the core makes one, without the core. */
static ByokAttachment *
image_attachment (const char *name,
                  int         width,
                  int         height)
{
  ByokAttachment *attachment = g_new0 (ByokAttachment, 1);

  attachment->name = g_strdup (name);
  attachment->kind = BYOK_ATTACHMENT_IMAGE;
  attachment->mime_type = g_strdup ("image/png");
  attachment->data = make_png (width, height);
  attachment->hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, attachment->data);
  attachment->width = width;
  attachment->height = height;
  attachment->tokens = (gint64) width * height / 750;
  return attachment;
}

/* A PDF of scanned pages: no text layer. */
static ByokAttachment *
scanned_pdf_attachment (const char *name,
                        int         pages)
{
  ByokAttachment *attachment = g_new0 (ByokAttachment, 1);
  static const char pdf[] = "%PDF-1.4\n%fake scan for the chip\n";

  attachment->name = g_strdup (name);
  attachment->kind = BYOK_ATTACHMENT_PDF;
  attachment->mime_type = g_strdup ("application/pdf");
  attachment->data = g_bytes_new_static (pdf, sizeof pdf - 1);
  attachment->text = g_strdup ("");
  attachment->pages = pages;
  attachment->tokens = 1600 * pages;
  return attachment;
}

/* The chip of the attachment named @name under @widget. */
static ByokAttachmentChip *
find_chip (GtkWidget  *widget,
           const char *name)
{
  g_autoptr(GPtrArray) chips = g_ptr_array_new ();

  byok_test_ui_collect (widget, BYOK_TYPE_ATTACHMENT_CHIP, chips);
  for (guint i = 0; i < chips->len; i++)
    if (g_strcmp0 (byok_attachment_chip_get_name (chips->pdata[i]), name) == 0)
      return chips->pdata[i];
  return NULL;
}

static gboolean
chip_has_thumbnail (gpointer chip)
{
  return byok_attachment_chip_get_has_thumbnail (chip);
}

static gboolean
preview_ready (gpointer data)
{
  GtkWidget *preview = byok_test_ui_find_open (BYOK_TYPE_ATTACHMENT_PREVIEW);

  return preview != NULL && gtk_widget_get_mapped (preview) &&
         byok_attachment_preview_get_ready (BYOK_ATTACHMENT_PREVIEW (preview));
}

/* An image's chip shows its thumbnail, name, size and tokens; a scanned
 * PDF's its pages and a warning; each says to a screen reader what it is
 * and what its buttons do. Clicking the image opens it large; × removes
 * it and only it. */
static void
test_media_chips (Fixture       *f,
                  gconstpointer  data)
{
  ByokComposer *composer = composer_of (f);
  g_autoptr(ByokAttachment) photo = image_attachment ("photo.png", 1200, 800);
  g_autoptr(ByokAttachment) scan = scanned_pdf_attachment ("scan.pdf", 3);
  ByokAttachmentChip *chip;
  ByokAttachmentChip *pdf_chip;
  GtkWidget *remove;
  GtkWidget *preview;

  byok_composer_add_attachment (composer, photo);
  byok_composer_add_attachment (composer, scan);
  byok_composer_set_text (composer, "What is in the picture?");
  chip = find_chip (GTK_WIDGET (composer), "photo.png");
  pdf_chip = find_chip (GTK_WIDGET (composer), "scan.pdf");
  g_assert_nonnull (chip);
  g_assert_nonnull (pdf_chip);

  /* The image: its thumbnail, decoded away from the main loop. */
  byok_test_ui_iterate_until (chip_has_thumbnail, chip, "the thumbnail");
  {
    g_autofree char *tokens = byok_format_tokens (1200 * 800 / 750);
    g_autofree char *detail = g_strdup_printf ("1200 × 800 · ≈%s tokens", tokens);

    g_assert_nonnull (byok_test_ui_find_shown_label (GTK_WIDGET (chip), GTK_WIDGET (chip), detail));
  }
  gtk_test_accessible_assert_property (byok_test_ui_find_button (GTK_WIDGET (chip), "window-close-symbolic", NULL),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Remove photo.png");

  /* The scan: pages, tokens, and why most models cannot see it. */
  {
    g_autofree char *tokens = byok_format_tokens (3 * 1600);
    g_autofree char *detail = g_strdup_printf ("3 pages · ≈%s tokens", tokens);

    g_assert_nonnull (byok_test_ui_find_shown_label (GTK_WIDGET (pdf_chip), GTK_WIDGET (pdf_chip), detail));
  }
  g_assert_true (byok_attachment_is_scan (byok_attachment_chip_get_attachment (pdf_chip)));
  {
    GtkWidget *open = gtk_widget_get_first_child (gtk_widget_get_first_child (GTK_WIDGET (pdf_chip)));

    g_assert_true (GTK_IS_BUTTON (open));
    g_assert_cmpstr (gtk_widget_get_tooltip_text (open), ==,
                     "Scanned PDF: only models that read PDFs natively can see it");
    gtk_test_accessible_assert_property (open, GTK_ACCESSIBLE_PROPERTY_LABEL, "Preview scan.pdf");
    gtk_test_accessible_assert_property (open, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                         "Scanned PDF: only models that read PDFs natively can see it");
  }
  maybe_screenshot (f, "media-chips");
  maybe_screenshot_widget (GTK_WIDGET (composer), "media-composer");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  maybe_screenshot (f, "media-chips-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* Clicking the image opens it large. */
  g_signal_emit_by_name (gtk_widget_get_first_child (gtk_widget_get_first_child (GTK_WIDGET (chip))), "clicked");
  byok_test_ui_iterate_until (preview_ready, NULL, "the preview");
  preview = byok_test_ui_find_open (BYOK_TYPE_ATTACHMENT_PREVIEW);
  g_assert_cmpstr (byok_attachment_preview_get_attachment (BYOK_ATTACHMENT_PREVIEW (preview))->name, ==, "photo.png");
  maybe_screenshot_widget (preview, "media-preview");
  byok_test_ui_destroy_window (&preview);

  /* A scan's preview says why there is no text to show. */
  g_signal_emit_by_name (gtk_widget_get_first_child (gtk_widget_get_first_child (GTK_WIDGET (pdf_chip))), "clicked");
  byok_test_ui_iterate_until (preview_ready, NULL, "the scan's preview");
  preview = byok_test_ui_find_open (BYOK_TYPE_ATTACHMENT_PREVIEW);
  g_assert_nonnull (byok_test_ui_find_text (preview, "Scanned PDF: only models that read PDFs natively can see it", TRUE));
  maybe_screenshot_widget (preview, "media-preview-scan");
  byok_test_ui_destroy_window (&preview);

  /* × removes the image alone. */
  remove = byok_test_ui_find_button (GTK_WIDGET (chip), "window-close-symbolic", NULL);
  g_signal_emit_by_name (remove, "clicked");
  byok_test_ui_iterate_pending ();
  g_assert_cmpuint (byok_composer_get_attachments (composer)->len, ==, 1);
  g_assert_cmpstr (((ByokAttachment *) g_ptr_array_index (byok_composer_get_attachments (composer), 0))->name,
                   ==, "scan.pdf");
  g_assert_null (find_chip (GTK_WIDGET (composer), "photo.png"));
}

/* The picker marks the models that read images and PDFs with an icon that
 * has a tooltip and says so to a screen reader; a model of text alone has
 * no mark. */
static void
test_picker_media_marks (Fixture       *f,
                         gconstpointer  data)
{
  ByokModelPicker *picker = BYOK_MODEL_PICKER (byok_model_picker_new ());
  const char *available[] = { "openai", "deepseek", NULL };
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GtkListBoxRow *vision = NULL, *text_only = NULL;

  g_object_ref_sink (picker);
  byok_model_picker_set_catalog (picker, byok_engine_get_catalog (f->engine), byok_engine_get_pricing (f->engine));
  byok_model_picker_set_available (picker, available);
  byok_test_ui_collect (GTK_WIDGET (picker), GTK_TYPE_LIST_BOX_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      const char *model = g_object_get_data (rows->pdata[i], "byok-model-id");

      if (g_strcmp0 (model, "gpt-4o-mini") == 0)
        vision = rows->pdata[i];
      else if (g_strcmp0 (model, "deepseek-chat") == 0)
        text_only = rows->pdata[i];
    }
  g_assert_nonnull (vision);
  g_assert_nonnull (text_only);

  {
    g_autoptr(GPtrArray) images = g_ptr_array_new ();
    gboolean reads_images = FALSE, reads_pdfs = FALSE;

    byok_test_ui_collect (GTK_WIDGET (vision), GTK_TYPE_IMAGE, images);
    for (guint i = 0; i < images->len; i++)
      {
        GtkWidget *icon = images->pdata[i];

        if (!byok_test_ui_is_shown (icon, GTK_WIDGET (vision)))
          continue;
        if (g_strcmp0 (gtk_widget_get_tooltip_text (icon), "Reads images") == 0)
          {
            reads_images = TRUE;
            gtk_test_accessible_assert_property (icon, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "Reads images");
          }
        if (g_strcmp0 (gtk_widget_get_tooltip_text (icon), "Reads PDFs") == 0)
          reads_pdfs = TRUE;
      }
    g_assert_true (reads_images);
    g_assert_true (reads_pdfs);
  }
  {
    g_autoptr(GPtrArray) images = g_ptr_array_new ();

    byok_test_ui_collect (GTK_WIDGET (text_only), GTK_TYPE_IMAGE, images);
    for (guint i = 0; i < images->len; i++)
      if (byok_test_ui_is_shown (images->pdata[i], GTK_WIDGET (text_only)))
        g_assert_null (gtk_widget_get_tooltip_text (images->pdata[i]));
  }
  g_object_unref (picker);

  if (g_getenv ("BYOK_TEST_SCREENSHOT_DIR") != NULL)
    {
      GtkWidget *popover;

      byok_model_picker_popup (byok_composer_get_picker (composer_of (f)));
      popover = byok_test_ui_find_descendant (GTK_WIDGET (composer_of (f)), GTK_TYPE_POPOVER);
      byok_test_ui_iterate_until (widget_mapped, popover, "the picker");
      maybe_screenshot_widget (popover, "media-picker");
      gtk_popover_popdown (GTK_POPOVER (popover));
    }
}

/* The prompt's text view (the composer's first). */
static GtkWidget *
prompt_text_view (ByokComposer *composer)
{
  return byok_test_ui_find_descendant (GTK_WIDGET (composer), GTK_TYPE_TEXT_VIEW);
}

static gboolean
prompt_has_text (gpointer composer)
{
  g_autofree char *text = byok_composer_dup_text (composer);

  return *text != '\0';
}

/* Ctrl+V in the prompt of @composer; the clipboard holds a 640 × 400
 * image alone. It becomes one image attachment of that size, named for
 * the time it was pasted, with its thumbnail; nothing goes into the text.
 * Returns its chip. */
static ByokAttachmentChip *
paste_image_of_640x400 (ByokComposer *composer)
{
  GtkWidget *text_view = prompt_text_view (composer);
  AttachWait wait = { composer, 1 };
  ByokAttachment *pasted;
  ByokAttachmentChip *chip;
  g_autofree char *text = NULL;

  gtk_widget_grab_focus (text_view);
  g_signal_emit_by_name (text_view, "paste-clipboard");
  byok_test_ui_iterate_until (attached, &wait, "the pasted image");

  pasted = g_ptr_array_index (byok_composer_get_attachments (composer), 0);
  g_assert_cmpint (pasted->kind, ==, BYOK_ATTACHMENT_IMAGE);
  g_assert_cmpint (pasted->width, ==, 640);
  g_assert_cmpint (pasted->height, ==, 400);
  g_assert_cmpint (pasted->tokens, >, 0);
  g_assert_true (g_str_has_prefix (pasted->name, "Pasted image "));
  g_assert_true (g_str_has_suffix (pasted->name, ".png"));
  text = byok_composer_dup_text (composer);
  g_assert_cmpstr (text, ==, "");
  chip = find_chip (GTK_WIDGET (composer), pasted->name);
  g_assert_nonnull (chip);
  byok_test_ui_iterate_until (chip_has_thumbnail, chip, "the pasted image's thumbnail");
  return chip;
}

/* Ctrl+V of a screenshot attaches it as a PNG: a chip shows at once, then
 * its thumbnail and tokens; nothing goes into the text. Text pastes as
 * text, as always. */
static void
test_paste_image (Fixture       *f,
                  gconstpointer  data)
{
  ByokComposer *composer = composer_of (f);
  GtkWidget *text_view = prompt_text_view (composer);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (text_view);
  g_autoptr(GBytes) png = make_png (640, 400);
  g_autoptr(GdkTexture) texture = gdk_texture_new_from_bytes (png, NULL);
  ByokAttachmentChip *chip;
  g_autofree char *text = NULL;

  g_assert_nonnull (texture);
  gdk_clipboard_set_texture (clipboard, texture);
  chip = paste_image_of_640x400 (composer);
  g_assert_nonnull (byok_test_ui_find_text (GTK_WIDGET (chip), "640 × 400 · ≈", FALSE));
  maybe_screenshot_widget (GTK_WIDGET (composer), "media-pasted");

  /* Text pastes as text. */
  gdk_clipboard_set_text (clipboard, "pasted words");
  g_signal_emit_by_name (text_view, "paste-clipboard");
  byok_test_ui_iterate_until (prompt_has_text, composer, "the pasted text");
  text = byok_composer_dup_text (composer);
  g_assert_cmpstr (text, ==, "pasted words");
  g_assert_cmpuint (byok_composer_get_attachments (composer)->len, ==, 1);
}

/* The drop target of @widget itself. */
static GtkDropTarget *
drop_target_of (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }
  return NULL;
}

/* The first widget under @widget that files can be dropped on. */
static gboolean
find_drop_area_matches (GtkWidget     *widget,
                        gconstpointer  data)
{
  return gtk_widget_has_css_class (widget, "attachment-drop");
}

static GtkWidget *
find_drop_area (GtkWidget *widget)
{
  return byok_test_ui_find_first (widget, find_drop_area_matches, NULL);
}

/* Files dropped on the conversation or the composer are attached: a list
 * from Files, or one file. */
static void
test_drop_files (Fixture       *f,
                 gconstpointer  data)
{
  ByokComposer *composer = composer_of (f);
  g_autofree char *text_path = g_build_filename (f->dir, "notes.txt", NULL);
  g_autofree char *image_path = g_build_filename (f->dir, "chart.png", NULL);
  g_autoptr(GBytes) png = make_png (300, 200);
  g_autoptr(GFile) text_file = g_file_new_for_path (text_path);
  g_autoptr(GFile) image_file = g_file_new_for_path (image_path);
  GtkWidget *targets[] = { find_drop_area (GTK_WIDGET (f->page)), GTK_WIDGET (composer) };
  AttachWait wait = { composer, 2 };

  g_assert_true (g_file_set_contents (text_path, "Dropped notes.\n", -1, NULL));
  g_assert_true (g_file_set_contents (image_path, g_bytes_get_data (png, NULL), g_bytes_get_size (png), NULL));

  g_assert_true (targets[0] != targets[1]);
  g_assert_false (gtk_widget_is_ancestor (targets[0], targets[1]));
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      GtkDropTarget *drop = drop_target_of (targets[i]);
      GSList *list = g_slist_prepend (NULL, i == 0 ? text_file : image_file);
      g_auto(GValue) value = G_VALUE_INIT;
      gboolean accepted = FALSE;

      g_assert_nonnull (drop);
      g_assert_true (gtk_widget_has_css_class (targets[i], "attachment-drop"));
      if (i == 0)
        {
          g_value_init (&value, GDK_TYPE_FILE_LIST);
          g_value_set_boxed (&value, list);
        }
      else
        {
          g_value_init (&value, G_TYPE_FILE);
          g_value_set_object (&value, image_file);
        }
      g_signal_emit_by_name (drop, "drop", &value, 10.0, 10.0, &accepted);
      g_assert_true (accepted);
      g_slist_free (list);
    }
  byok_test_ui_iterate_until (attached, &wait, "the dropped files");
  g_assert_cmpstr (((ByokAttachment *) g_ptr_array_index (byok_composer_get_attachments (composer), 0))->name,
                   ==, "notes.txt");
  {
    ByokAttachment *image = g_ptr_array_index (byok_composer_get_attachments (composer), 1);

    g_assert_cmpstr (image->name, ==, "chart.png");
    g_assert_cmpint (image->kind, ==, BYOK_ATTACHMENT_IMAGE);
    g_assert_cmpstr (image->mime_type, ==, "image/png");
    g_assert_cmpint (image->width, ==, 300);
    g_assert_cmpint (image->height, ==, 200);
  }
}

static void
count_cb (guint *count)
{
  (*count)++;
}

/* A question sent with an image shows the picture in its bubble; so does
 * the conversation restored after a restart. */
static void
test_send_image (Fixture       *f,
                 gconstpointer  data)
{
  ByokComposer *composer = composer_of (f);
  g_autofree char *path = g_build_filename (f->dir, "diagram.png", NULL);
  g_autoptr(GBytes) png = make_png (800, 600);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  AttachWait wait = { composer, 1 };
  ByokAttachmentChip *chip;
  GtkWidget *row;

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (png, NULL), g_bytes_get_size (png), NULL));
  byok_composer_attach_file (composer, file);
  byok_test_ui_iterate_until (attached, &wait, "the image");
  byok_composer_set_text (composer, "What does this show?");
  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, "A yellow disc.", FALSE));
  g_assert_true (byok_composer_send (composer));
  byok_test_ui_iterate_until (byok_test_ui_chat_page_idle, f->page, "the answer");
  /* The model got the picture as an image part beside the question. */
  {
    const char *body = g_bytes_get_data (byok_test_server_get_last_request (f->server)->body, NULL);

    g_assert_nonnull (strstr (body, "\"image_url\":{\"url\":\"data:image/png;base64,"));
    g_assert_nonnull (strstr (body, "What does this show?"));
  }

  row = row_of (f, message_at (f, 0));
  chip = find_chip (row, "diagram.png");
  g_assert_nonnull (chip);
  g_assert_true (byok_attachment_chip_get_large (chip));
  byok_test_ui_iterate_until (chip_has_thumbnail, chip, "the picture in the bubble");
  maybe_screenshot (f, "media-sent");

  reopen (f);
  row = row_of (f, message_at (f, 0));
  chip = find_chip (row, "diagram.png");
  g_assert_nonnull (chip);
  g_assert_cmpint (byok_attachment_chip_get_attachment (chip)->kind, ==, BYOK_ATTACHMENT_IMAGE);
  byok_test_ui_iterate_until (chip_has_thumbnail, chip, "the picture after a restart");
}

static gboolean
clipboard_has_foreign_png (gpointer clipboard)
{
  return !gdk_clipboard_is_local (clipboard) &&
         gdk_content_formats_contain_mime_type (gdk_clipboard_get_formats (clipboard), "image/png");
}

/* Runs the main loop until @clipboard holds another application's PNG.
 * Under `make asan`, tests/lsan.supp names this function: GTK 4.8 reads
 * the new owner's formats here with an X selection transfer it never
 * frees, in frames of its own that have no name to suppress it by. */
static void
wait_for_other_application_png (GdkClipboard *clipboard)
{
  byok_test_ui_iterate_until (clipboard_has_foreign_png, clipboard, "the other application's PNG");
}

/* A screenshot copied in another application (a PNG on the display's
 * clipboard, not this process's) is read as it is and decoded in a worker
 * thread ("paste-image-bytes"), never made a texture on the main thread
 * first (GDK decodes a texture there); it is the same attachment as a
 * texture pasted: an image of its size, its thumbnail, nothing in the
 * text. */
static void
test_paste_foreign_image (Fixture       *f,
                          gconstpointer  data)
{
  ByokComposer *composer = composer_of (f);
  GtkWidget *text_view = prompt_text_view (composer);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (text_view);
  const char *owner = g_getenv ("BYOK_TEST_CLIPBOARD_OWNER");
  g_autofree char *path = g_build_filename (f->dir, "screenshot.png", NULL);
  g_autoptr(GBytes) png = make_png (640, 400);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  GtkWidget *prompt = gtk_widget_get_ancestor (text_view, BYOK_TYPE_PROMPT_BOX);
  guint as_bytes = 0;

  if (owner == NULL)
    {
      g_test_skip ("BYOK_TEST_CLIPBOARD_OWNER is not set (run it with meson test)");
      return;
    }
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (png, NULL), g_bytes_get_size (png), NULL));
  /* Earlier cases put things on the clipboard: given up, it is not asked
   * for its formats by the new owner, nor taken from this process. */
  byok_test_ui_release_clipboard (gdk_clipboard_get_display (clipboard));
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* The owner stands in for another application: under `make asan` the
   * leaks of its GTK display at exit (gdk_x11_display_open()) are GTK's,
   * not Byok's, so LeakSanitizer is not asked about that process. */
  if (g_getenv ("ASAN_OPTIONS") != NULL)
    {
      g_autofree char *options = g_strconcat (g_getenv ("ASAN_OPTIONS"), ":detect_leaks=0", NULL);

      g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", options, TRUE);
    }
  process = g_subprocess_launcher_spawn (launcher, &error, owner, path, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "ready");
  wait_for_other_application_png (clipboard);

  g_assert_nonnull (prompt);
  g_signal_connect_swapped (prompt, "paste-image-bytes", G_CALLBACK (count_cb), &as_bytes);
  paste_image_of_640x400 (composer);
  g_assert_cmpuint (as_bytes, ==, 1);

  g_output_stream_close (g_subprocess_get_stdin_pipe (process), NULL, NULL);
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
  g_assert_no_error (error);
}

/* Another application's PNG larger than an attachment may be (a 3000 ×
 * 3000 picture saved without compression, 36 MB) is scaled down and
 * attached all the same, as a texture pasted is. Its pixels are noise, so
 * that it stays that large where the encoder compresses anyway (gdk-pixbuf
 * 2.44's glycin ignores "compression"). */
static void
test_paste_huge_image_bytes (Fixture       *f,
                             gconstpointer  data)
{
  ByokComposer *composer = composer_of (f);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 3000, 3000);
  g_autoptr(GBytes) png = NULL;
  char *buffer = NULL;
  gsize size = 0;
  AttachWait wait = { composer, 1 };
  ByokAttachment *pasted;
  g_autoptr(GRand) rand = g_rand_new_with_seed (14);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);

  for (gsize i = 0; i + 4 <= gdk_pixbuf_get_byte_length (pixbuf); i += 4)
    {
      guint32 noise = g_rand_int (rand);

      memcpy (pixels + i, &noise, 4);
    }
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", NULL, "compression", "0", NULL));
  png = g_bytes_new_take (buffer, size);
  g_assert_cmpuint (g_bytes_get_size (png), >, BYOK_ATTACHMENT_MAX_BYTES);

  byok_attachment_tray_attach_image_bytes (byok_composer_get_tray (composer), png);
  byok_test_ui_iterate_until (attached, &wait, "the huge pasted image");
  pasted = g_ptr_array_index (byok_composer_get_attachments (composer), 0);
  g_assert_cmpint (pasted->kind, ==, BYOK_ATTACHMENT_IMAGE);
  g_assert_cmpint (pasted->width, ==, pasted->height);
  g_assert_cmpint (pasted->width, <=, BYOK_ATTACHMENT_IMAGE_MAX_EDGE);
  g_assert_cmpint ((gint64) pasted->width * pasted->height, <=, BYOK_ATTACHMENT_IMAGE_MAX_PIXELS);
  g_assert_true (g_str_has_prefix (pasted->name, "Pasted image "));
}

static void
keep_message_cb (char       **message,
                 const char  *text)
{
  g_free (*message);
  *message = g_strdup (text);
}

static gboolean
message_set (gpointer message)
{
  return *(char **) message != NULL;
}

/* A PDF locked with a password (tests/fixtures/media/locked.pdf, see
 * test-attachments) is not attached: its chip goes and a toast, short
 * enough to be read whole, names it and says why. */
static void
test_locked_pdf (Fixture       *f,
                 gconstpointer  data)
{
  ByokComposer *composer = composer_of (f);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "media", "locked.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *message = NULL;
  g_autoptr(GPtrArray) chips = g_ptr_array_new ();

  g_signal_connect_swapped (composer, "attach-failed", G_CALLBACK (keep_message_cb), &message);
  byok_composer_attach_file (composer, file);
  byok_test_ui_iterate_until (message_set, &message, "the refusal");
  g_assert_cmpstr (message, ==, "“locked.pdf” is locked with a password: Byok cannot read it");
  g_assert_cmpuint (byok_composer_get_attachments (composer)->len, ==, 0);
  g_assert_false (byok_composer_get_loading (composer));
  byok_test_ui_collect (GTK_WIDGET (composer), BYOK_TYPE_ATTACHMENT_CHIP, chips);
  g_assert_cmpuint (chips->len, ==, 0);
  g_assert_nonnull (byok_test_ui_find_text (GTK_WIDGET (f->window), message, FALSE));
  maybe_screenshot (f, "media-locked-pdf");
  g_signal_handlers_disconnect_by_func (composer, keep_message_cb, &message);
}

/* A message's images show in its bubble, and open large. */
static void
test_bubble_thumbnails (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(ByokAttachment) photo = image_attachment ("beach.png", 900, 600);
  g_autoptr(ByokAttachment) portrait = image_attachment ("portrait.png", 300, 500);
  g_autoptr(ByokAttachment) scan = scanned_pdf_attachment ("receipt.pdf", 1);
  g_autoptr(GPtrArray) attachments = g_ptr_array_new ();
  g_autoptr(ByokMessage) message = byok_message_new (BYOK_MESSAGE_ROLE_USER, "Where was this taken?");
  GtkWidget *row = byok_message_row_new ();
  GtkWidget *window = gtk_window_new ();
  ByokAttachmentChip *chip;

  g_ptr_array_add (attachments, photo);
  g_ptr_array_add (attachments, portrait);
  g_ptr_array_add (attachments, scan);
  byok_message_set_attachments (message, attachments);
  byok_message_row_set_message (BYOK_MESSAGE_ROW (row), message);
  gtk_window_set_child (GTK_WINDOW (window), row);
  gtk_window_set_default_size (GTK_WINDOW (window), 700, 400);
  gtk_window_present (GTK_WINDOW (window));

  chip = find_chip (row, "beach.png");
  g_assert_nonnull (chip);
  g_assert_true (byok_attachment_chip_get_large (chip));
  g_assert_false (byok_attachment_chip_get_removable (chip));
  /* Nothing removes a file from a message sent (not Delete either). */
  {
    guint removed = 0;

    g_signal_connect_swapped (chip, "remove", G_CALLBACK (count_cb), &removed);
    gtk_widget_activate_action (GTK_WIDGET (chip), "chip.remove", NULL);
    g_assert_cmpuint (removed, ==, 0);
  }
  byok_test_ui_iterate_until (chip_has_thumbnail, chip, "the bubble's picture");
  byok_test_ui_iterate_until (chip_has_thumbnail, find_chip (row, "portrait.png"), "the second picture");
  g_assert_false (byok_attachment_chip_get_has_thumbnail (find_chip (row, "receipt.pdf")));
  maybe_screenshot_widget (window, "media-bubble");

  g_signal_emit_by_name (gtk_widget_get_first_child (gtk_widget_get_first_child (GTK_WIDGET (chip))), "clicked");
  byok_test_ui_iterate_until (preview_ready, NULL, "the preview");
  gtk_window_destroy (GTK_WINDOW (byok_test_ui_find_open (BYOK_TYPE_ATTACHMENT_PREVIEW)));
  byok_test_ui_destroy_window (&window);
}

static void
test_too_long (Fixture       *f,
               gconstpointer  data)
{
  ByokComposer *composer = composer_of (f);
  ByokModelPicker *picker = byok_composer_get_picker (composer);
  GString *big = g_string_new (NULL);
  const char *estimate;

  /* About 150k tokens: more than GPT-4o mini's 128k window. */
  for (guint i = 0; i < 120000; i++)
    g_string_append (big, "word ");
  attach_text (f, "book.txt", big->str);
  g_string_free (big, TRUE);
  byok_composer_set_text (composer, "Summarise this book.");
  byok_chat_page_update_estimate (f->page);

  /* Refused, said why, with a model that fits. */
  estimate = byok_composer_get_estimate (composer);
  g_assert_nonnull (estimate);
  g_assert_nonnull (strstr (estimate, "too long for GPT-4o mini"));
  g_assert_true (byok_composer_get_blocked (composer));
  g_assert_false (byok_composer_send (composer));
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 0);
  g_assert_nonnull (byok_composer_get_suggestion (composer));
  g_assert_true (g_str_has_prefix (byok_composer_get_suggestion (composer), "Use "));
  maybe_screenshot (f, "too-long");

  /* The suggestion switches the model; now it can be sent. */
  g_signal_emit_by_name (composer, "use-suggestion");
  g_assert_cmpstr (byok_model_picker_get_model_id (picker), !=, "gpt-4o-mini");
  g_assert_false (byok_composer_get_blocked (composer));
  g_assert_null (byok_composer_get_suggestion (composer));
  {
    ByokModel *model = byok_catalog_lookup_model (byok_engine_get_catalog (f->engine),
                                                  byok_model_picker_get_provider_id (picker),
                                                  byok_model_picker_get_model_id (picker));
    g_assert_nonnull (model);
    g_assert_cmpint (byok_model_get_context_window (model), >, 150000);
  }
}

/* Issue 16: an image to a model that cannot see is refused on the
 * estimate line, like a prompt too long, with the cheapest model that
 * can read it; choosing it lifts the refusal. */
static void
test_unreadable (Fixture       *f,
                 gconstpointer  data)
{
  ByokComposer *composer = composer_of (f);
  ByokModelPicker *picker = byok_composer_get_picker (composer);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 640, 480);
  g_autoptr(ByokAttachment) image = g_new0 (ByokAttachment, 1);
  g_autofree char *png = NULL;
  const char *estimate;
  gsize size = 0;
  ByokModel *model;

  g_autoptr(GRand) rand = g_rand_new_with_seed (14);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);

  for (gsize i = 0; i + 4 <= gdk_pixbuf_get_byte_length (pixbuf); i += 4)
    {
      guint32 noise = g_rand_int (rand);

      memcpy (pixels + i, &noise, 4);
    }
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &png, &size, "png", NULL, NULL));
  image->kind = BYOK_ATTACHMENT_IMAGE;
  image->name = g_strdup ("screenshot.png");
  image->mime_type = g_strdup ("image/png");
  image->data = g_bytes_new (png, size);
  image->width = 640;
  image->height = 480;

  byok_model_picker_set_selection (picker, "deepseek", "deepseek-chat");
  byok_composer_add_attachment (composer, image);
  byok_composer_set_text (composer, "What does this show?");
  byok_chat_page_update_estimate (f->page);

  estimate = byok_composer_get_estimate (composer);
  g_assert_nonnull (estimate);
  g_assert_true (g_str_has_prefix (estimate, "DeepSeek Chat cannot read images; "));
  g_assert_true (byok_composer_get_blocked (composer));
  g_assert_false (byok_composer_send (composer));
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 0);
  g_assert_nonnull (byok_composer_get_suggestion (composer));
  maybe_screenshot (f, "unreadable");

  /* The suggestion is a model that sees; the line is an estimate again. */
  g_signal_emit_by_name (composer, "use-suggestion");
  model = byok_catalog_lookup_model (byok_engine_get_catalog (f->engine),
                                     byok_model_picker_get_provider_id (picker),
                                     byok_model_picker_get_model_id (picker));
  g_assert_nonnull (model);
  g_assert_true (byok_model_has_capability (model, BYOK_MODEL_CAP_VISION));
  g_assert_false (byok_composer_get_blocked (composer));
  g_assert_nonnull (strstr (byok_composer_get_estimate (composer), "tokens"));
}

static void
test_auto (Fixture       *f,
           gconstpointer  data)
{
  ByokComposer *composer = composer_of (f);
  ByokModelPicker *picker = byok_composer_get_picker (composer);
  const char *openai[] = { "openai", NULL };
  g_autoptr(GPtrArray) routes = NULL;
  g_autofree char *quoted = NULL;
  ByokRoute *cheapest;
  ByokTestRequest *request;

  /* The cheapest OpenAI model (the only provider with a key here). */
  routes = byok_router_rank (byok_engine_get_catalog (f->engine), byok_engine_get_pricing (f->engine),
                             openai, 20, 0, BYOK_MODEL_CAP_STREAMING);
  g_assert_cmpuint (routes->len, >, 0);
  cheapest = g_ptr_array_index (routes, 0);

  byok_model_picker_set_selection (picker, BYOK_ROUTER_AUTO, BYOK_ROUTER_AUTO);
  byok_composer_set_text (composer, "Hi");
  byok_chat_page_update_estimate (f->page);
  g_assert_nonnull (strstr (byok_composer_get_estimate (composer), " on "));

  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, "Hello.", FALSE));
  g_assert_true (byok_composer_send (composer));
  byok_test_ui_iterate_until (byok_test_ui_chat_page_idle, f->page, "the answer");

  request = byok_test_server_get_last_request (f->server);
  quoted = g_strdup_printf ("\"%s\"", cheapest->model_id);
  g_assert_nonnull (strstr (g_bytes_get_data (request->body, NULL), quoted));
  g_assert_cmpstr (byok_message_get_model (message_at (f, -1)), ==, cheapest->model_id);
  /* The conversation stays on Auto. */
  g_assert_cmpstr (byok_conversation_get_provider (byok_chat_page_get_conversation (f->page)), ==, BYOK_ROUTER_AUTO);
}

static void
test_fallback_chain (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.byok.Byok");
  const char *chain[] = { "openai/gpt-4o", NULL };
  ByokMessage *answer;
  ByokTestRequest *request;

  g_settings_set_strv (settings, "fallback-chain", chain);
  byok_test_server_add_reply (f->server, CHAT_PATH,
    byok_test_reply_new_json (429, "{\"error\": {\"message\": \"Rate limit reached\", \"type\": \"rate_limit_exceeded\"}}"));
  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, "Answered by the fallback.", FALSE));
  send_and_wait (f, "Hello");

  /* GPT-4o mini was rate limited; GPT-4o from the chain answered. */
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 2);
  request = byok_test_server_get_request (f->server, 0);
  g_assert_nonnull (strstr (g_bytes_get_data (request->body, NULL), "\"gpt-4o-mini\""));
  request = byok_test_server_get_request (f->server, 1);
  g_assert_nonnull (strstr (g_bytes_get_data (request->body, NULL), "\"gpt-4o\""));
  answer = message_at (f, -1);
  g_assert_cmpstr (byok_message_get_status (answer), ==, BYOK_MESSAGE_STATUS_COMPLETE);
  g_assert_cmpstr (byok_message_get_content (answer), ==, "Answered by the fallback.");
  g_assert_cmpstr (byok_message_get_model (answer), ==, "gpt-4o");
  g_assert_nonnull (strstr (byok_message_get_attempts (answer), "RATE_LIMIT"));

  g_settings_reset (settings, "fallback-chain");
}


static gboolean
compare_done (gpointer data)
{
  ByokCompareView *view = data;

  return !byok_compare_view_get_busy (view);
}

static void
test_compare (Fixture       *f,
              gconstpointer  data)
{
  ByokCompareView *view = byok_chat_page_get_compare_view (f->page);
  ByokComposer *composer = composer_of (f);
  ByokCompareColumn *mini, *big;

  g_assert_nonnull (view);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (view)));

  /* Ctrl+M's action shows the comparison in place of the conversation,
   * with what was being written as its question, and its files. */
  attach_text (f, "spec.txt", "Both run on one core.\n");
  byok_composer_set_text (composer, "Which is faster?");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "chat.compare", NULL));
  byok_test_ui_iterate_until (widget_mapped, view, "the comparison");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (composer)));
  {
    g_autofree char *prompt = byok_compare_view_dup_prompt (view);
    g_assert_cmpstr (prompt, ==, "Which is faster?");
  }
  g_assert_cmpuint (byok_composer_get_attachments (composer)->len, ==, 0);
  g_assert_cmpuint (byok_attachment_tray_get_attachments (byok_compare_view_get_tray (view))->len, ==, 1);
  g_assert_nonnull (find_chip (GTK_WIDGET (view), "spec.txt"));

  byok_compare_view_set_n_columns (view, 2);
  mini = byok_compare_view_get_column (view, 0);
  big = byok_compare_view_get_column (view, 1);
  byok_model_picker_set_selection (byok_compare_column_get_picker (mini), "openai", "gpt-4o-mini");
  byok_model_picker_set_selection (byok_compare_column_get_picker (big), "openai", "gpt-4o");
  byok_test_server_add_reply_for_model (f->server, CHAT_PATH, "gpt-4o-mini", answer_reply (NULL, "Mini is faster.", FALSE));
  byok_test_server_add_reply_for_model (f->server, CHAT_PATH, "gpt-4o", answer_reply (NULL, "It depends.", FALSE));
  g_assert_true (byok_compare_view_send (view));
  byok_test_ui_iterate_until (compare_done, view, "both columns");

  /* Each column answered on its own model and says what it cost. */
  g_assert_cmpstr (byok_compare_column_get_text (mini), ==, "Mini is faster.");
  g_assert_cmpstr (byok_compare_column_get_text (big), ==, "It depends.");
  g_assert_nonnull (strstr (byok_compare_column_get_caption (mini), "$"));
  g_assert_nonnull (strstr (byok_compare_column_get_caption (big), "$"));
  maybe_screenshot (f, "compare");

  /* Both got the same: the file, then the question. */
  g_assert_cmpuint (byok_test_server_count_path (f->server, CHAT_PATH), ==, 2);
  for (guint i = 0; i < byok_test_server_get_n_requests (f->server); i++)
    {
      ByokTestRequest *request = byok_test_server_get_request (f->server, i);

      if (g_strcmp0 (request->path, CHAT_PATH) == 0)
        g_assert_nonnull (strstr (g_bytes_get_data (request->body, NULL),
                                  "<file name=\\\"spec.txt\\\">\\nBoth run on one core.\\n</file>\\n\\nWhich is faster?"));
    }

  /* Continue in Chat: a conversation with that question and answer. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (big), "column.continue-in-chat", NULL));
  byok_test_ui_iterate_pending ();
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (view)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (composer)));
  g_assert_cmpuint (g_list_model_get_n_items (messages_of (f)), ==, 2);
  g_assert_cmpstr (byok_message_get_content (message_at (f, 0)), ==, "Which is faster?");
  g_assert_nonnull (byok_message_get_attachments (message_at (f, 0)));
  g_assert_cmpstr (((ByokAttachment *) g_ptr_array_index (byok_message_get_attachments (message_at (f, 0)), 0))->name,
                   ==, "spec.txt");
  g_assert_cmpstr (byok_message_get_content (message_at (f, 1)), ==, "It depends.");
  g_assert_cmpstr (byok_conversation_get_model (byok_chat_page_get_conversation (f->page)), ==, "gpt-4o");
  g_assert_cmpstr (byok_model_picker_get_model_id (byok_composer_get_picker (composer)), ==, "gpt-4o");
}

/* The first AdwActionRow (AdwComboRow too) under @widget titled @title. */
static AdwActionRow *
row_titled (GtkWidget  *widget,
            const char *title)
{
  if (ADW_IS_ACTION_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return ADW_ACTION_ROW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwActionRow *row = row_titled (child, title);

      if (row != NULL)
        return row;
    }
  return NULL;
}

static gboolean
is_settings_button (GtkWidget     *widget,
                    gconstpointer  settings)
{
  return GTK_IS_MENU_BUTTON (widget) &&
         gtk_menu_button_get_popover (GTK_MENU_BUTTON (widget)) == (GtkPopover *) settings;
}

static void
count_changed (ByokChatSettings *settings,
               ByokConversation *conversation,
               gpointer          data)
{
  g_ptr_array_add (data, conversation);
}

/* Issue 13: the conversation settings' controls are built when the
 * popover is first opened, not before the window's first frame; what was
 * set before (the conversation, the model) shows when it opens, edits are
 * stored and announced as before, and the controls keep their names. */
static void
test_settings_built_on_open (Fixture       *f,
                             gconstpointer  data)
{
  ByokComposer *composer = composer_of (f);
  ByokChatSettings *settings = byok_composer_get_settings (composer);
  ByokModelPicker *picker = byok_composer_get_picker (composer);
  /* the page's draft, which the settings hold */
  g_autoptr(ByokConversation) draft = g_object_ref (byok_chat_settings_get_conversation (settings));
  g_autoptr(ByokConversation) conversation = byok_conversation_new ();
  g_autoptr(GPtrArray) changed = g_ptr_array_new ();
  GtkWidget *button = byok_test_ui_find_first (GTK_WIDGET (composer), is_settings_button, settings);
  GtkTextView *prompt_view;
  AdwActionRow *temperature_row;
  AdwActionRow *max_tokens_row;
  GtkTextIter start, end;
  g_autofree char *shown = NULL;
  const char *body;

  g_assert_nonnull (button);
  g_signal_connect (settings, "changed", G_CALLBACK (count_changed), changed);

  /* The window is up, the controls are not. */
  byok_test_ui_wait_for_paint (f->window);
  g_assert_null (gtk_popover_get_child (GTK_POPOVER (settings)));

  /* Set while they are not: a conversation, a model. */
  byok_conversation_set_system_prompt (conversation, "Answer in French.");
  byok_conversation_set_max_tokens (conversation, 300);
  byok_chat_settings_set_conversation (settings, conversation);
  byok_model_picker_set_selection (picker, "openai", "gpt-5");
  byok_test_ui_iterate_pending ();
  g_assert_null (gtk_popover_get_child (GTK_POPOVER (settings)));
  g_assert_true (byok_chat_settings_get_conversation (settings) == conversation);

  /* Opened from its button, as a person does: built, showing both. */
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  byok_test_ui_iterate_until (widget_mapped, settings, "the settings");
  g_assert_nonnull (gtk_popover_get_child (GTK_POPOVER (settings)));
  prompt_view = GTK_TEXT_VIEW (byok_test_ui_find_descendant (GTK_WIDGET (settings), GTK_TYPE_TEXT_VIEW));
  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (prompt_view), &start, &end);
  shown = gtk_text_buffer_get_text (gtk_text_view_get_buffer (prompt_view), &start, &end, FALSE);
  g_assert_cmpstr (shown, ==, "Answer in French.");
  temperature_row = row_titled (GTK_WIDGET (settings), "Temperature");
  max_tokens_row = row_titled (GTK_WIDGET (settings), "Output Limit");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (temperature_row), "Not sent to GPT-5"));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (byok_test_ui_find_descendant (GTK_WIDGET (max_tokens_row),
                                                                                   GTK_TYPE_SWITCH))));
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (byok_test_ui_find_descendant (GTK_WIDGET (max_tokens_row),
                                                                                                  GTK_TYPE_SPIN_BUTTON))),
                     ==, 300);
  /* Named for a screen reader, as before. */
  gtk_test_accessible_assert_property (prompt_view, GTK_ACCESSIBLE_PROPERTY_LABEL, "System prompt");
  gtk_test_accessible_assert_property (byok_test_ui_find_descendant (GTK_WIDGET (temperature_row), GTK_TYPE_SPIN_BUTTON),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Temperature");
  gtk_test_accessible_assert_property (byok_test_ui_find_descendant (GTK_WIDGET (max_tokens_row), GTK_TYPE_SPIN_BUTTON),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Maximum output tokens");
  maybe_screenshot_widget (GTK_WIDGET (settings), "chat-settings-built-on-open");

  /* An edit goes to the conversation, announced once as it closes. */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (prompt_view), "Answer in German.", -1);
  g_assert_cmpstr (byok_conversation_get_system_prompt (conversation), ==, "Answer in German.");
  g_assert_cmpuint (changed->len, ==, 0);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
  byok_test_ui_iterate_pending ();
  g_assert_cmpuint (changed->len, ==, 1);
  g_assert_true (g_ptr_array_index (changed, 0) == conversation);

  /* Back to the page's draft while closed: opened again, it shows the
   * draft; its system prompt is sent. */
  byok_chat_settings_set_conversation (settings, draft);
  byok_model_picker_set_selection (picker, "openai", "gpt-4o-mini");
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  byok_test_ui_iterate_until (widget_mapped, settings, "the settings");
  g_assert_true (byok_test_ui_find_descendant (GTK_WIDGET (settings), GTK_TYPE_TEXT_VIEW) == GTK_WIDGET (prompt_view));
  g_clear_pointer (&shown, g_free);
  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (prompt_view), &start, &end);
  shown = gtk_text_buffer_get_text (gtk_text_view_get_buffer (prompt_view), &start, &end, FALSE);
  g_assert_cmpstr (shown, ==, "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (prompt_view), "You are terse.", -1);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
  byok_test_ui_iterate_pending ();
  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, "Yes.", FALSE));
  send_and_wait (f, "Are you there?");
  body = g_bytes_get_data (byok_test_server_get_last_request (f->server)->body, NULL);
  g_assert_nonnull (strstr (body, "You are terse."));
  g_signal_handlers_disconnect_by_func (settings, count_changed, changed);
}

/* Issue 12, item 10: the settings say, for the model chosen, why a control
 * is off; what goes out is only what the model takes, and the effort is
 * kept with the conversation. */
static void
test_reasoning_settings (Fixture       *f,
                         gconstpointer  data)
{
  ByokComposer *composer = composer_of (f);
  ByokModelPicker *picker = byok_composer_get_picker (composer);
  GtkWidget *settings = GTK_WIDGET (byok_composer_get_settings (composer));
  AdwActionRow *temperature_row;
  AdwActionRow *effort_row;
  GtkWidget *temperature_switch;
  GtkSpinButton *spin;
  const char *body;

  gtk_popover_popup (GTK_POPOVER (settings));
  byok_test_ui_iterate_pending ();
  temperature_row = row_titled (settings, "Temperature");
  effort_row = row_titled (settings, "Reasoning Effort");
  g_assert_nonnull (temperature_row);
  g_assert_nonnull (effort_row);
  g_assert_true (ADW_IS_COMBO_ROW (effort_row));
  temperature_switch = byok_test_ui_find_descendant (GTK_WIDGET (temperature_row), GTK_TYPE_SWITCH);
  spin = GTK_SPIN_BUTTON (byok_test_ui_find_descendant (GTK_WIDGET (temperature_row), GTK_TYPE_SPIN_BUTTON));

  /* A chat model: a temperature, no effort to set. */
  g_assert_cmpstr (byok_model_picker_get_model_id (picker), ==, "gpt-4o-mini");
  gtk_switch_set_active (GTK_SWITCH (temperature_switch), TRUE);
  gtk_spin_button_set_value (spin, 0.7);
  g_assert_true (gtk_widget_get_sensitive (temperature_switch));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (spin)));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (effort_row)));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (effort_row), "Not sent to GPT-4o mini"));
  g_assert_nonnull (byok_test_ui_find_shown_label (settings, settings, "GPT-4o mini does not reason."));

  /* GPT-5: no temperature, an effort. */
  byok_model_picker_set_selection (picker, "openai", "gpt-5");
  byok_test_ui_iterate_pending ();
  g_assert_false (gtk_widget_get_sensitive (temperature_switch));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (spin)));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (temperature_row), "Not sent to GPT-5"));
  g_assert_nonnull (byok_test_ui_find_shown_label (settings, settings, "GPT-5 takes no temperature."));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (effort_row)));
  adw_combo_row_set_selected (ADW_COMBO_ROW (effort_row), BYOK_EFFORT_HIGH);
  byok_test_ui_iterate_pending ();
  maybe_screenshot_widget (settings, "chat-settings-gpt-5");
  /* the person's temperature stays, for a model that takes one */
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (spin), 0.7, 1e-9);

  /* GPT-5.4 takes one, but not while it reasons. */
  byok_model_picker_set_selection (picker, "openai", "gpt-5.4");
  byok_test_ui_iterate_pending ();
  g_assert_false (gtk_widget_get_sensitive (temperature_switch));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (temperature_row), "while it reasons"));
  g_assert_nonnull (byok_test_ui_find_shown_label (settings, settings,
                                      "GPT-5.4 takes a temperature only when it does not reason: set the "
                                      "reasoning effort to the model’s default to use one."));
  maybe_screenshot_widget (settings, "chat-settings-gpt-5.4");
  adw_combo_row_set_selected (ADW_COMBO_ROW (effort_row), BYOK_EFFORT_DEFAULT);
  byok_test_ui_iterate_pending ();
  g_assert_true (gtk_widget_get_sensitive (temperature_switch));

  /* Sent to GPT-5 with effort high: no temperature, reasoning_effort. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (effort_row), BYOK_EFFORT_HIGH);
  byok_model_picker_set_selection (picker, "openai", "gpt-5");
  gtk_popover_popdown (GTK_POPOVER (settings));
  byok_test_ui_iterate_pending ();
  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, "Because of Rayleigh scattering.", FALSE));
  send_and_wait (f, "Why is the sky blue?");
  body = g_bytes_get_data (byok_test_server_get_last_request (f->server)->body, NULL);
  g_assert_nonnull (strstr (body, "\"gpt-5\""));
  g_assert_null (strstr (body, "\"temperature\""));
  g_assert_nonnull (strstr (body, "\"reasoning_effort\":\"high\""));
  g_assert_cmpint (byok_conversation_get_effort (byok_chat_page_get_conversation (f->page)), ==, BYOK_EFFORT_HIGH);
  g_assert_cmpfloat_with_epsilon (byok_conversation_get_temperature (byok_chat_page_get_conversation (f->page)),
                                  0.7, 1e-9);

  /* …and kept with the conversation, after a restart. */
  {
    gint64 id = byok_conversation_get_id (byok_chat_page_get_conversation (f->page));
    g_autoptr(GError) error = NULL;
    g_autoptr(ByokConversationStore) store = byok_conversation_store_new (byok_engine_get_database (f->engine),
                                                                          &error);
    ByokConversation *again;

    g_assert_no_error (error);
    again = byok_conversation_store_lookup (store, id);
    g_assert_nonnull (again);
    g_assert_cmpint (byok_conversation_get_effort (again), ==, BYOK_EFFORT_HIGH);
  }
}

static void
test_preferences (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.byok.Byok");
  g_auto(GStrv) chain = NULL;
  GtkWidget *preferences;
  ByokModelPicker *picker;
  GtkWidget *button;

  g_settings_reset (settings, "fallback-chain");
  /* The window hands its engine to the preferences (the app sets it). */
  g_object_set (f->window, "engine", f->engine, NULL);
  g_assert_true (gtk_widget_activate_action (f->window, "win.preferences", NULL));
  byok_test_ui_iterate_pending ();
  preferences = byok_test_ui_find_open (BYOK_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  picker = BYOK_MODEL_PICKER (byok_test_ui_find_descendant (preferences, BYOK_TYPE_MODEL_PICKER));

  /* Picking models adds them to the chain, in order, once each. */
  byok_model_picker_set_selection (picker, "openai", "gpt-4o");
  g_signal_emit_by_name (picker, "selected");
  byok_model_picker_set_selection (picker, "deepseek", "deepseek-chat");
  g_signal_emit_by_name (picker, "selected");
  byok_model_picker_set_selection (picker, "openai", "gpt-4o");
  g_signal_emit_by_name (picker, "selected");
  chain = g_settings_get_strv (settings, "fallback-chain");
  g_assert_cmpuint (g_strv_length (chain), ==, 2);
  g_assert_cmpstr (chain[0], ==, "openai/gpt-4o");
  g_assert_cmpstr (chain[1], ==, "deepseek/deepseek-chat");
  g_clear_pointer (&chain, g_strfreev);
  byok_test_ui_iterate_pending ();
  maybe_screenshot_widget (preferences, "preferences");

  /* Move the second up, then remove the (new) second. */
  /* Each row: up, down, remove. */
  button = row_button (preferences, "DeepSeek Chat", 0);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  chain = g_settings_get_strv (settings, "fallback-chain");
  g_assert_cmpstr (chain[0], ==, "deepseek/deepseek-chat");
  g_assert_cmpstr (chain[1], ==, "openai/gpt-4o");
  g_clear_pointer (&chain, g_strfreev);
  button = row_button (preferences, "GPT-4o", 2);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  chain = g_settings_get_strv (settings, "fallback-chain");
  g_assert_cmpuint (g_strv_length (chain), ==, 1);
  g_assert_cmpstr (chain[0], ==, "deepseek/deepseek-chat");

  byok_dialog_close (preferences);
  g_settings_reset (settings, "fallback-chain");
}

static void
test_budget (Fixture       *f,
             gconstpointer  data)
{
  ByokUsageStore *usage = byok_engine_get_usage_store (f->engine);
  g_autoptr(GError) error = NULL;
  ByokMessage *answer;
  GtkWidget *row;
  GtkWidget *button;

  /* A tiny monthly budget with a hard stop: the first answer uses it up. */
  g_assert_true (byok_usage_store_set_budget (usage, BYOK_BUDGET_SCOPE_ALL, 0.0001, TRUE, &error));
  g_assert_no_error (error);
  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, "First.", FALSE));
  send_and_wait (f, "One");
  g_assert_cmpstr (byok_message_get_status (message_at (f, -1)), ==, BYOK_MESSAGE_STATUS_COMPLETE);

  /* The next is stopped before anything is sent, with both ways out. */
  send_and_wait (f, "Two");
  answer = message_at (f, -1);
  g_assert_cmpstr (byok_message_get_error_class (answer), ==, "BUDGET");
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 1);
  row = row_of (f, answer);
  g_assert_nonnull (byok_test_ui_find_shown_label (row, row, "Over Your Budget"));
  g_assert_nonnull (byok_test_ui_find_shown_button (row, row, "_Raise Budget"));
  button = byok_test_ui_find_shown_button (row, row, "Send _Anyway");
  g_assert_nonnull (button);

  /* Send Anyway asks again, this once. */
  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, "Second, over budget.", FALSE));
  g_signal_emit_by_name (button, "clicked");
  byok_test_ui_iterate_until (byok_test_ui_chat_page_idle, f->page, "the answer sent anyway");
  answer = message_at (f, -1);
  g_assert_cmpstr (byok_message_get_status (answer), ==, BYOK_MESSAGE_STATUS_COMPLETE);
  g_assert_cmpstr (byok_message_get_content (answer), ==, "Second, over budget.");
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 2);

  /* The one after is stopped again. */
  send_and_wait (f, "Three");
  g_assert_cmpstr (byok_message_get_error_class (message_at (f, -1)), ==, "BUDGET");
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 2);
}

static guint
shown_count (Fixture *f)
{
  GtkListView *list;
  GtkSelectionModel *model;

  /* The list view of the last message's row. */
  list = GTK_LIST_VIEW (gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (
           gtk_widget_get_ancestor (find_row_of (GTK_WIDGET (f->page), message_at (f, -1)), GTK_TYPE_SCROLLED_WINDOW))));
  model = gtk_list_view_get_model (list);
  return g_list_model_get_n_items (G_LIST_MODEL (model));
}

typedef struct {
  Fixture *f;
  guint    more_than;
} ShownWait;

static gboolean
shown_more (gpointer data)
{
  ShownWait *wait = data;

  return shown_count (wait->f) > wait->more_than;
}

static void
test_long_conversation (Fixture       *f,
                        gconstpointer  data)
{
  ByokConversationStore *store = byok_chat_page_get_store (f->page);
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokConversation) conversation = NULL;
  GtkScrolledWindow *scroller;
  GtkAdjustment *adjustment;
  guint shown;

  conversation = byok_conversation_store_create (store, "Long", "openai", "gpt-4o-mini", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *text = g_strdup_printf ("Message number %u.", i);
      g_autoptr(ByokMessage) message = byok_message_new (i % 2 == 0 ? BYOK_MESSAGE_ROLE_USER
                                                                    : BYOK_MESSAGE_ROLE_ASSISTANT, text);
      g_assert_true (byok_conversation_store_append_message (store, conversation, message, &error));
    }
  byok_chat_page_open_conversation (f->page, conversation);

  /* It opens at its end, with only the newest messages in the list. */
  row_of (f, message_at (f, -1));
  shown = shown_count (f);
  g_assert_cmpuint (shown, <, 200);
  g_assert_cmpuint (shown, >, 0);

  /* Scrolling up to the top shows older ones, until the first. */
  scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (row_of (f, message_at (f, -1)), GTK_TYPE_SCROLLED_WINDOW));
  adjustment = gtk_scrolled_window_get_vadjustment (scroller);
  while (shown < 200)
    {
      ShownWait wait = { f, shown };

      /* As a person would: from further down, up to the top, a frame
       * apart (the list lays out the rows it gained in between). */
      wait_for_paint (f->window);
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_page_size (adjustment));
      wait_for_paint (f->window);
      gtk_adjustment_set_value (adjustment, 0);
      byok_test_ui_iterate_until (shown_more, &wait, "older messages");
      shown = shown_count (f);
    }
  g_assert_cmpuint (shown, ==, 200);
  row_of (f, message_at (f, 0));

  /* A new message still arrives at the end. */
  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, "The newest.", FALSE));
  send_and_wait (f, "One more");
  g_assert_cmpuint (shown_count (f), ==, 202);
}

/* ---- quitting mid-answer ------------------------------------------------- */

typedef struct {
  ByokApplication *app;
  ByokTestServer  *server;
  ByokChatPage    *page;
  guint            step;
  char            *shown;
  gint64           conversation_id;
} Quit;

static gboolean
quit_step (gpointer data)
{
  Quit *q = data;

  if (q->step == 0)
    {
      GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (q->app));
      ByokComposer *composer;

      if (window == NULL)
        return G_SOURCE_CONTINUE;
      q->page = BYOK_CHAT_PAGE (byok_test_ui_find_descendant (GTK_WIDGET (window), BYOK_TYPE_CHAT_PAGE));
      if (!byok_chat_page_get_keys_known (q->page))
        return G_SOURCE_CONTINUE;
      composer = BYOK_COMPOSER (byok_test_ui_find_descendant (GTK_WIDGET (q->page), BYOK_TYPE_COMPOSER));
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (q->page), "chat.new", NULL));
      byok_model_picker_set_selection (byok_composer_get_picker (composer), "openai", "gpt-4o-mini");
      byok_composer_set_text (composer, "The lighthouse keeper's story, please");
      g_assert_true (byok_composer_send (composer));
      q->step = 1;
      return G_SOURCE_CONTINUE;
    }
  else
    {
      ByokConversation *conversation = byok_chat_page_get_conversation (q->page);
      g_autoptr(GListModel) messages = NULL;
      g_autoptr(ByokMessage) answer = NULL;
      GtkWidget *row, *view;

      messages = byok_conversation_store_get_messages (byok_chat_page_get_store (q->page), conversation, NULL);
      answer = g_list_model_get_item (messages, g_list_model_get_n_items (messages) - 1);
      row = find_row_of (GTK_WIDGET (q->page), answer);
      view = row != NULL ? byok_test_ui_find_descendant (row, BYOK_TYPE_MARKDOWN_VIEW) : NULL;
      if (view == NULL || !gtk_widget_get_mapped (view) ||
          strstr (byok_markdown_view_get_text (BYOK_MARKDOWN_VIEW (view)), "keeper") == NULL)
        return G_SOURCE_CONTINUE;

      /* Shown on screen, well within the second between the page's
       * saves: quit now (Ctrl+Q). */
      q->shown = g_strdup (byok_markdown_view_get_text (BYOK_MARKDOWN_VIEW (view)));
      q->conversation_id = byok_conversation_get_id (conversation);
      g_action_group_activate_action (G_ACTION_GROUP (q->app), "quit", NULL);
      return G_SOURCE_REMOVE;
    }
}

static void
quit_activated (GApplication *app,
                Quit         *q)
{
  const char *env[] = { "OPENAI_API_KEY=" OPENAI_KEY, NULL };
  g_autofree char *url = g_strconcat (byok_test_server_get_url (q->server), "/v1", NULL);
  ByokEngine *engine = byok_application_get_engine (q->app);
  ByokKeyStore *keys;

  g_assert_nonnull (engine);
  keys = byok_engine_get_key_store (engine);
  byok_key_store_set_environment (keys, env);
  byok_key_store_set_prefer_environment (keys, "openai", TRUE);
  byok_provider_set_base_url (byok_catalog_lookup_provider (byok_engine_get_catalog (engine), "openai"), url);
  g_timeout_add (10, quit_step, q);
}

/* Quitting the app while an answer streams keeps every character shown
 * (the page saved only once a second) and records the call: the provider
 * bills it. Its row is interrupted, with Byok's estimate of the prompt and
 * of the text that arrived. */
static void
test_quit_mid_answer (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokDatabase) database = NULL;
  g_autoptr(sqlite3_stmt) message = NULL;
  g_autoptr(sqlite3_stmt) usage = NULL;
  char *argv[] = { (char *) "byok", NULL };
  Quit q = { 0, };

  q.server = byok_test_server_new ();
  byok_test_server_add_reply (q.server, CHAT_PATH,
                              answer_reply (NULL, "Once upon a time a lighthouse keeper kept a very long watch", TRUE));
  q.app = byok_application_new ();
  g_signal_connect_after (q.app, "activate", G_CALLBACK (quit_activated), &q);
  g_assert_cmpint (g_application_run (G_APPLICATION (q.app), 1, argv), ==, 0);
  g_clear_object (&q.app);
  g_assert_nonnull (q.shown);
  g_test_message ("shown when quitting: %s", q.shown);

  database = byok_database_open (NULL, &error);
  g_assert_no_error (error);
  message = byok_database_prepare (database,
                                   "SELECT content FROM messages WHERE conversation_id = ?1 "
                                   "AND role = 'assistant' ORDER BY position DESC LIMIT 1", &error);
  g_assert_no_error (error);
  sqlite3_bind_int64 (message, 1, q.conversation_id);
  g_assert_cmpint (sqlite3_step (message), ==, SQLITE_ROW);
  g_assert_true (g_str_has_prefix ((const char *) sqlite3_column_text (message, 0), q.shown));

  usage = byok_database_prepare (database,
                                 "SELECT status, estimated, input_tokens, output_tokens, price_known "
                                 "FROM usage WHERE conversation_id = ?1", &error);
  g_assert_no_error (error);
  sqlite3_bind_int64 (usage, 1, q.conversation_id);
  g_assert_cmpint (sqlite3_step (usage), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (usage, 0), ==, BYOK_USAGE_STATUS_INTERRUPTED);
  g_assert_cmpint (sqlite3_column_int (usage, 1), ==, 1);
  g_assert_cmpint (sqlite3_column_int64 (usage, 2), >, 0);
  g_assert_cmpint (sqlite3_column_int64 (usage, 3), >, 0);
  g_assert_cmpint (sqlite3_column_int (usage, 4), ==, 1);
  g_assert_cmpint (sqlite3_step (usage), ==, SQLITE_DONE);

  byok_test_server_release_held (q.server);
  g_clear_object (&q.server);
  g_free (q.shown);
}

static void
texture_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GdkTexture **texture = user_data;
  g_autoptr(GError) error = NULL;

  *texture = byok_attachment_texture_load_finish (result, &error);
  g_assert_no_error (error);
}

static gboolean
texture_is_loaded (gpointer data)
{
  return *(GdkTexture **) data != NULL;
}

/* A pixel of a texture downloaded as cairo's ARGB32 (premultiplied), as
 * 0xAARRGGBB. */
static guint32
texture_pixel (const guchar *pixels,
               gsize         stride,
               int           x,
               int           y)
{
  guint32 pixel;

  memcpy (&pixel, pixels + y * stride + x * 4, sizeof pixel);
  return pixel;
}

/* An attached image's texture has its pixels where they are, with and
 * without alpha, in rows whose stride is longer than the pixels (3 px of
 * RGB: 9 bytes, rows of 12): what GTK 4.20's deprecated
 * gdk_texture_new_for_pixbuf() used to make. */
static void
test_image_texture (void)
{
  static const guint32 want_rgb[] = { 0xff102030, 0xff405060, 0xff708090, 0xffa0b0c0, 0xffd0e0f0, 0xff010203 };
  static const guint32 want_rgba[] = { 0xff102030, 0x00000000, 0xff708090, 0xffa0b0c0, 0x00000000, 0xff010203 };

  for (guint alpha = 0; alpha < 2; alpha++)
    {
      const guint32 *want = alpha ? want_rgba : want_rgb;
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, alpha, 8, 3, 2);
      ByokAttachment attachment = { .kind = BYOK_ATTACHMENT_IMAGE, .width = 3, .height = 2 };
      g_autoptr(GdkTexture) texture = NULL;
      g_autofree guchar *pixels = NULL;
      char *buffer = NULL;
      gsize size = 0;

      for (int i = 0; i < 6; i++)
        {
          guchar *p = gdk_pixbuf_get_pixels (pixbuf) + (i / 3) * gdk_pixbuf_get_rowstride (pixbuf) + (i % 3) * (3 + alpha);

          p[0] = (want_rgb[i] >> 16) & 0xff;
          p[1] = (want_rgb[i] >> 8) & 0xff;
          p[2] = want_rgb[i] & 0xff;
          if (alpha)
            p[3] = want[i] >> 24;
        }
      g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", NULL, NULL));
      attachment.data = g_bytes_new_take (buffer, size);

      byok_attachment_texture_load_async (&attachment, 0, NULL, texture_loaded_cb, &texture);
      byok_test_ui_iterate_until (texture_is_loaded, &texture, "the image's texture");
      g_assert_cmpint (gdk_texture_get_width (texture), ==, 3);
      g_assert_cmpint (gdk_texture_get_height (texture), ==, 2);
      pixels = g_malloc (2 * 3 * 4);
      gdk_texture_download (texture, pixels, 3 * 4);
      for (int i = 0; i < 6; i++)
        g_assert_cmphex (texture_pixel (pixels, 3 * 4, i % 3, i / 3), ==, want[i]);
      g_bytes_unref (attachment.data);
    }
}

/* An answer whose provider reported no usage was priced at Byok's
 * estimate of its tokens: its caption says so ("≈" before the cost). */
static void
test_estimated_caption (void)
{
  g_autoptr(ByokMessage) answer = byok_message_new (BYOK_MESSAGE_ROLE_ASSISTANT, "Hi");
  g_autoptr(ByokMessage) unpriced = byok_message_new (BYOK_MESSAGE_ROLE_ASSISTANT, "Hi");
  g_autofree char *caption = NULL;
  g_autofree char *unknown = NULL;

  byok_message_set_model (answer, "gpt-4o-mini");
  byok_message_set_status (answer, BYOK_MESSAGE_STATUS_COMPLETE);
  byok_message_set_cost (answer, TRUE, 0.0125);
  caption = byok_message_row_format_caption (answer, NULL);
  g_assert_nonnull (strstr (caption, "≈$0.01"));
  g_assert_nonnull (strstr (caption, "tokens estimated"));

  /* Without a price it stays unknown, with no mark. */
  byok_message_set_model (unpriced, "gpt-4o-mini");
  byok_message_set_status (unpriced, BYOK_MESSAGE_STATUS_COMPLETE);
  unknown = byok_message_row_format_caption (unpriced, NULL);
  g_assert_null (strstr (unknown, "≈"));
  g_assert_nonnull (strstr (unknown, "cost unknown"));
}

/* OpenRouter's answer says it billed $0.0052 for what Byok prices at
 * $0.0040 (1000 in, 200 out of claude-sonnet-5 at $2/$10 per million):
 * the caption shows both and a warning under it says which is which; an
 * answer without usage is marked ≈. Both survive a restart. */
static void
test_reported_cost (Fixture       *f,
                    gconstpointer  data)
{
  ByokTestReply *billed = byok_test_reply_new_sse (
    "{\"id\":\"gen-fake\",\"object\":\"chat.completion.chunk\",\"model\":\"anthropic/claude-sonnet-5\","
    "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Paris.\"},\"finish_reason\":null}]}",
    "{\"id\":\"gen-fake\",\"object\":\"chat.completion.chunk\",\"model\":\"anthropic/claude-sonnet-5\","
    "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
    "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":200,\"total_tokens\":1200,\"cost\":0.0052}}",
    "[DONE]", NULL);
  ByokTestReply *unreported = byok_test_reply_new_sse (
    "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\","
    "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"No usage here.\"},"
    "\"finish_reason\":\"stop\"}]}",
    "[DONE]", NULL);
  const char *warning = "OpenRouter billed $0.0052; Byok’s price gives $0.0040";
  g_autofree char *caption = NULL;
  GtkWidget *row;

  byok_test_server_add_reply (f->server, "/openrouter/api/v1/chat/completions", billed);
  byok_model_picker_set_selection (byok_composer_get_picker (composer_of (f)), "openrouter", "anthropic/claude-sonnet-5");
  send_and_wait (f, "Capital of France?");
  row = row_of (f, message_at (f, -1));
  caption = byok_message_row_format_caption (message_at (f, -1), byok_engine_get_catalog (f->engine));
  g_test_message ("%s", caption);
  g_assert_nonnull (strstr (caption, "$0.0040 · billed $0.0052"));
  g_assert_nonnull (byok_test_ui_find_shown_label (row, row, warning));

  byok_test_server_add_reply (f->server, CHAT_PATH, unreported);
  byok_model_picker_set_selection (byok_composer_get_picker (composer_of (f)), "openai", "gpt-4o-mini");
  send_and_wait (f, "And without usage?");
  g_clear_pointer (&caption, g_free);
  caption = byok_message_row_format_caption (message_at (f, -1), byok_engine_get_catalog (f->engine));
  g_assert_nonnull (strstr (caption, "≈"));
  maybe_screenshot (f, "chat-reported-cost");

  reopen (f);
  g_assert_true (byok_message_get_estimated (message_at (f, -1)));
  g_clear_pointer (&caption, g_free);
  caption = byok_message_row_format_caption (message_at (f, -1), byok_engine_get_catalog (f->engine));
  g_test_message ("after a restart: %s", caption);
  /* Byok's estimate of the tokens, marked, not lost. */
  g_assert_nonnull (strstr (caption, " in · ≈"));
  g_assert_nonnull (strstr (caption, "tokens estimated"));
  row = row_of (f, message_at (f, 1));
  g_assert_nonnull (byok_test_ui_find_shown_label (row, row, warning));
}

int
main (int argc, char **argv)
{
  /* Accessible names can be read back (the attachment chips'). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  byok_test_ui_init (&argc, &argv, NULL);
  /* The app's styles, as the application loads them (the screenshots). */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/io/github/byok/Byok/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }
  /* Xvfb renders in software, slowly: an animation (the spinner of an
   * answer on its way) keeps the frame clock always due, and the test
   * server's idle sources would wait behind it. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func) \
  g_test_add ("/chat-page/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("send", test_send);
  ADD ("preconnect", test_preconnect);
  ADD ("stop", test_stop);
  ADD ("regenerate", test_regenerate);
  ADD ("edit-resend", test_edit_resend);
  ADD ("auth-error", test_auth_error);
  ADD ("rate-limit", test_rate_limit);
  ADD ("restart", test_restart);
  ADD ("search", test_search);
  ADD ("delete-undo", test_delete_undo);
  ADD ("fallback-caption", test_fallback_caption);
  ADD ("code-block-stream", test_code_block_stream);
  ADD ("long-answer", test_long_answer);
  ADD ("scroll-up-while-streaming", test_scroll_up_while_streaming);
  ADD ("attach", test_attach);
  ADD ("media-chips", test_media_chips);
  ADD ("picker-media-marks", test_picker_media_marks);
  ADD ("paste-image", test_paste_image);
  ADD ("drop-files", test_drop_files);
  ADD ("bubble-thumbnails", test_bubble_thumbnails);
  ADD ("send-image", test_send_image);
  ADD ("paste-foreign-image", test_paste_foreign_image);
  ADD ("paste-huge-image-bytes", test_paste_huge_image_bytes);
  ADD ("locked-pdf", test_locked_pdf);
  ADD ("too-long", test_too_long);
  ADD ("unreadable", test_unreadable);
  ADD ("auto", test_auto);
  ADD ("fallback-chain", test_fallback_chain);
  ADD ("compare", test_compare);
  ADD ("preferences", test_preferences);
  ADD ("reasoning-settings", test_reasoning_settings);
  ADD ("settings-built-on-open", test_settings_built_on_open);
  ADD ("budget", test_budget);
  ADD ("long-conversation", test_long_conversation);
  ADD ("unrecorded", test_unrecorded);
  ADD ("reported-cost", test_reported_cost);
#undef ADD
  g_test_add_func ("/chat-page/quit-mid-answer", test_quit_mid_answer);
  g_test_add_func ("/chat-page/estimated-caption", test_estimated_caption);
  g_test_add_func ("/chat-page/image-texture", test_image_texture);
  return g_test_run ();
}
