/* test-tools-ui.c — what the person sees of tools (issue 17), under Xvfb:
 * the approval dialog (server, tool, description and indented arguments
 * as plain text; Deny the default and what Escape gives), and the tool
 * blocks of an answer in the real window, restored after a restart: one
 * collapsed block per call with its tool, server, state and step cost,
 * opening on its arguments and result, none of it read as markup. And
 * the whole way, with the provider test server playing a model that asks
 * for a tool and the test MCP server running it: the dialog comes up
 * before the tool runs; Allow Once runs it and the model gets its
 * result; Always Allow is not asked again (and is kept in the MCP
 * configuration); Deny sends the model a denial; each answer keeps its
 * block, its caption the cost of both steps; stopping the answer while
 * the question is up closes the dialog, the tool never runs and its block
 * says stopped.
 *
 * Preferences → Tools lists the server from the store with its command,
 * opened its tools from the running server, and its switches are kept.
 * Edit…: a variable added to the running server restarts it with the
 * value, which is in the keyring and never in the file's bytes nor on
 * screen (masked when edited again); replaced and renamed, the secrets
 * and "always allow" follow the name and the renamed server runs; a
 * variable removed leaves file and keyring; a URL's token and header go
 * to the keyring and the token can be removed alone. Ask Again takes
 * "always allow" back in the file and on the tool already listed.
 *
 * BYOK_TEST_SCREENSHOT_DIR: tool-approval.png, tool-blocks.png,
 * tool-answer.png, tools-chat-settings.png, tools-preferences.png,
 * tools-add-server.png, tools-edit-server.png,
 * tools-edit-server-replacing.png, tools-always-allowed.png. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "byok-test-engine.h"
#include "byok-test-replies.h"
#include "byok-test-ui.h"
#include "byok-test-util.h"
#include "byok-chat-page.h"
#include "byok-chat-settings.h"
#include "byok-composer.h"
#include "byok-model-picker.h"
#include "byok-test-server.h"
#include "byok-message-row.h"
#include "byok-tool-approval-dialog.h"
#include "byok-tool-block-view.h"
#include "byok-tools-preferences-page.h"
#include "byok-mcp-server-dialog.h"
#include "byok-preferences-window.h"
#include "byok-window.h"

#define OPENAI_KEY "sk-test-fake-tools-ui-0001"
#define CHAT_PATH  "/v1/chat/completions"
#define HOSTILE "<b>&<a href=\"file:///etc/passwd\">open me</a>"

typedef struct {
  char              *dir;
  char              *db_path;
  ByokEngine        *engine;
  GtkWidget         *window;
  ByokChatPage      *page;
  ByokTestServer    *server;      /* the model, for the whole way */
  ByokMcpToolRunner *runner;
} Fixture;

static void
open_window (Fixture *f)
{
  f->engine = byok_test_engine_new (f->db_path);
  if (f->server != NULL)
    {
      const char *env[] = { "OPENAI_API_KEY=" OPENAI_KEY, NULL };

      byok_test_engine_use_env_keys (f->engine, env, "openai", NULL);
      byok_client_set_max_attempts (byok_engine_get_client (f->engine), 1);
      byok_test_point_provider (byok_engine_get_catalog (f->engine), "openai", f->server, "/v1");
    }
  f->window = g_object_new (BYOK_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 700);
  f->page = BYOK_CHAT_PAGE (byok_test_ui_find_descendant (f->window, BYOK_TYPE_CHAT_PAGE));
  byok_chat_page_set_engine (f->page, f->engine);
  if (f->runner != NULL)
    byok_chat_page_set_tool_runner (f->page, f->runner);
  gtk_window_present (GTK_WINDOW (f->window));
  byok_test_ui_iterate_pending ();
}

static void
close_window (Fixture *f)
{
  byok_test_ui_destroy_window (&f->window);
  f->page = NULL;
  g_clear_object (&f->engine);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = byok_test_make_dir ("tools-ui");
  f->db_path = g_build_filename (f->dir, "byok.db", NULL);
  open_window (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    close_window (f);
  if (f->runner != NULL)
    byok_mcp_manager_shutdown_wait (byok_mcp_tool_runner_get_manager (f->runner));
  g_clear_object (&f->runner);
  if (f->server != NULL)
    byok_test_server_release_held (f->server);
  g_clear_object (&f->server);
  byok_test_ui_iterate_pending ();
  byok_test_remove_tree (f->dir);
  g_free (f->db_path);
  g_free (f->dir);
}

/* No label under @widget reads markup. */
static void
assert_plain_labels (GtkWidget *widget)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  byok_test_ui_collect (widget, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    g_assert_false (gtk_label_get_use_markup (g_ptr_array_index (labels, i)));
}

/* ---- the approval dialog ------------------------------------------------- */

static void
test_approval_dialog (Fixture       *f,
                      gconstpointer  data)
{
  ByokToolApprovalDialog *dialog;
  const char *arguments;
  GtkLabel *description;
  GtkWidget *root;

  dialog = byok_tool_approval_dialog_new ("files", "write_file",
                                          "Writes a file. " HOSTILE,
                                          "{\"path\":\"/home/me/notes.txt\",\"text\":\"" "<i>hello</i>" "\",\"append\":true}");
  byok_alert_present (GTK_WIDGET (dialog), f->window);
  byok_test_ui_iterate_pending ();

  g_assert_cmpstr (byok_alert_get_heading (GTK_WIDGET (dialog)), ==, "Allow “write_file”?");
  g_assert_nonnull (strstr (byok_alert_get_body (GTK_WIDGET (dialog)), "“files”"));
  /* The server's description, as it is written. */
  description = byok_test_ui_find_text (GTK_WIDGET (dialog), "Writes a file. " HOSTILE, TRUE);
  g_assert_nonnull (description);
  assert_plain_labels (GTK_WIDGET (dialog));
  /* The arguments, indented, as text. */
  arguments = byok_tool_approval_dialog_get_arguments (dialog);
  g_assert_cmpstr (arguments, ==,
                   "{\n  \"path\" : \"/home/me/notes.txt\",\n  \"text\" : \"<i>hello</i>\",\n  \"append\" : true\n}");
  /* Deny is the default; the other two are there. */
  g_assert_true (byok_alert_get_response_enabled (GTK_WIDGET (dialog), BYOK_TOOL_APPROVAL_RESPONSE_ONCE));
  g_assert_true (byok_alert_get_response_enabled (GTK_WIDGET (dialog), BYOK_TOOL_APPROVAL_RESPONSE_ALWAYS));
  g_assert_cmpint (byok_alert_get_response_appearance (GTK_WIDGET (dialog), BYOK_TOOL_APPROVAL_RESPONSE_DENY),
                   ==, ADW_RESPONSE_DEFAULT);
  g_assert_nonnull (byok_test_ui_find_button (GTK_WIDGET (dialog), NULL, "_Deny"));
  g_assert_nonnull (byok_test_ui_find_button (GTK_WIDGET (dialog), NULL, "_Allow Once"));
  g_assert_nonnull (byok_test_ui_find_button (GTK_WIDGET (dialog), NULL, "Al_ways Allow This Tool"));

  root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (dialog)));
  byok_test_ui_screenshot (root, "tool-approval");

  /* Escape (and closing the dialog) gives the close response: Deny. */
  {
    g_autofree char *close_response = NULL;

    g_object_get (dialog, "close-response", &close_response, NULL);
    g_assert_cmpstr (close_response, ==, BYOK_TOOL_APPROVAL_RESPONSE_DENY);
  }
  byok_test_ui_answer_alert (GTK_WIDGET (dialog), BYOK_TOOL_APPROVAL_RESPONSE_DENY);
}

/* ---- the tool blocks of an answer ---------------------------------------- */

static ByokToolBlock *
block_new (const char         *id,
           const char         *server,
           const char         *tool,
           const char         *arguments,
           ByokToolBlockState  state,
           const char         *result,
           double              cost)
{
  g_autofree char *name = g_strdup_printf ("%s__%s", server, tool);
  ByokToolBlock *block = byok_tool_block_new (id, name, arguments);

  byok_tool_block_set_origin (block, server, tool);
  byok_tool_block_finish (block, state, result);
  block->step_cost_usd = cost;
  return block;
}

static void
store_answer_with_tools (Fixture *f)
{
  ByokConversationStore *store = byok_chat_page_get_store (f->page);
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokConversation) conversation = NULL;
  g_autoptr(ByokMessage) question = byok_message_new (BYOK_MESSAGE_ROLE_USER, "What is the weather in Berlin, and what is in my notes?");
  g_autoptr(ByokMessage) answer = byok_message_new (BYOK_MESSAGE_ROLE_ASSISTANT,
                                                    "It is **12 °C** and cloudy in Berlin. I could not read your notes: you denied it.");
  g_autoptr(ByokToolBlock) weather = block_new ("call_1", "weather", "get_forecast", "{\"city\":\"Berlin\",\"days\":1}",
                                                BYOK_TOOL_BLOCK_DONE, "Berlin: 12 °C, cloudy, wind 14 km/h", 0.00042);
  g_autoptr(ByokToolBlock) notes = block_new ("call_2", "files", "read_file", "{\"path\":\"~/notes.txt\"}",
                                              BYOK_TOOL_BLOCK_DENIED, "The person refused this call.", 0.00042);
  g_autoptr(ByokToolBlock) hostile = block_new ("call_3", "files", HOSTILE, "{\"x\":\"" "<b>y</b>" "\"}",
                                                BYOK_TOOL_BLOCK_ERROR, HOSTILE, NAN);
  ByokUsage usage = { .input_tokens = 900, .output_tokens = 120, .reported = TRUE };

  conversation = byok_conversation_store_create (store, "Weather and notes", "openai", "gpt-4o-mini", &error);
  g_assert_no_error (error);
  g_assert_true (byok_conversation_store_append_message (store, conversation, question, &error));
  byok_message_set_provider (answer, "openai");
  byok_message_set_model (answer, "gpt-4o-mini");
  byok_message_set_usage (answer, &usage);
  byok_message_set_cost (answer, TRUE, 0.00091);
  byok_message_add_tool_block (answer, weather);
  byok_message_add_tool_block (answer, notes);
  byok_message_add_tool_block (answer, hostile);
  g_assert_true (byok_conversation_store_append_message (store, conversation, answer, &error));
  g_assert_no_error (error);
}

typedef struct {
  GtkWidget *root;
  GPtrArray *views;
} ViewsWait;

static gboolean
views_shown (gpointer data)
{
  ViewsWait *w = data;

  g_ptr_array_set_size (w->views, 0);
  byok_test_ui_collect (w->root, BYOK_TYPE_TOOL_BLOCK_VIEW, w->views);
  for (guint i = 0; i < w->views->len; i++)
    if (!gtk_widget_get_mapped (g_ptr_array_index (w->views, i)))
      return FALSE;
  return w->views->len == 3;
}

static void
test_blocks_restart (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) views = g_ptr_array_new ();
  ViewsWait wait = { NULL, views };
  GtkExpander *expander;

  store_answer_with_tools (f);
  /* As if the app quit and started again. */
  close_window (f);
  open_window (f);

  wait.root = GTK_WIDGET (f->page);
  byok_test_ui_iterate_until (views_shown, &wait, "three tool blocks");
  g_assert_nonnull (byok_test_ui_find_text (g_ptr_array_index (views, 0), "get_forecast on weather", TRUE));
  g_assert_nonnull (byok_test_ui_find_text (g_ptr_array_index (views, 0), "Allowed · step $0.00042", TRUE));
  g_assert_nonnull (byok_test_ui_find_text (g_ptr_array_index (views, 1), "read_file on files", TRUE));
  g_assert_nonnull (byok_test_ui_find_text (g_ptr_array_index (views, 1), "Denied · step $0.00042", TRUE));
  g_assert_nonnull (byok_test_ui_find_text (g_ptr_array_index (views, 2), HOSTILE " on files", TRUE));
  g_assert_nonnull (byok_test_ui_find_text (g_ptr_array_index (views, 2), "Failed", TRUE));
  for (guint i = 0; i < views->len; i++)
    assert_plain_labels (g_ptr_array_index (views, i));

  /* Collapsed until opened, like reasoning; opened, the arguments
   * indented and the result as the server wrote it. */
  for (guint i = 0; i < views->len; i++)
    {
      expander = GTK_EXPANDER (byok_test_ui_find_descendant (g_ptr_array_index (views, i), GTK_TYPE_EXPANDER));
      g_assert_false (gtk_expander_get_expanded (expander));
      if (i != 1)
        gtk_expander_set_expanded (expander, TRUE);
    }
  byok_test_ui_iterate_pending ();
  g_assert_nonnull (byok_test_ui_find_text (g_ptr_array_index (views, 0),
                                            "{\n  \"city\" : \"Berlin\",\n  \"days\" : 1\n}", TRUE));
  g_assert_nonnull (byok_test_ui_find_text (g_ptr_array_index (views, 0), "Berlin: 12 °C, cloudy, wind 14 km/h", TRUE));
  g_assert_nonnull (byok_test_ui_find_text (g_ptr_array_index (views, 2), HOSTILE, TRUE));
  for (guint i = 0; i < views->len; i++)
    assert_plain_labels (g_ptr_array_index (views, i));
  byok_test_ui_screenshot (f->window, "tool-blocks");
}

/* ---- the whole way ------------------------------------------------------- */

static void
fixture_setup_tools (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *path = NULL;
  g_autoptr(ByokMcpConfig) config = NULL;
  g_autoptr(ByokMcpManager) manager = NULL;
  g_autoptr(ByokMcpServerConfig) server = byok_mcp_server_config_new ("test", BYOK_MCP_TRANSPORT_STDIO);

  f->dir = g_dir_make_tmp ("byok-test-tools-ui-XXXXXX", &error);
  g_assert_no_error (error);
  f->db_path = g_build_filename (f->dir, "byok.db", NULL);
  f->server = byok_test_server_new ();

  path = g_build_filename (f->dir, "mcp-servers.json", NULL);
  config = byok_mcp_config_new (path);
  server->command = g_strdup (g_getenv ("BYOK_TEST_MCP_SERVER"));
  g_assert_nonnull (server->command);
  byok_mcp_config_add_async (config, server, NULL, FALSE, NULL, byok_test_store_result, &result);
  g_assert_true (byok_mcp_config_add_finish (config, byok_test_wait_result (&result), &error));
  g_assert_no_error (error);
  manager = byok_mcp_manager_new (config);
  byok_mcp_manager_set_log_dir (manager, f->dir);
  f->runner = byok_mcp_tool_runner_new (manager);

  open_window (f);
  byok_model_picker_set_selection (byok_composer_get_picker (BYOK_COMPOSER (byok_test_ui_find_descendant (GTK_WIDGET (f->page), BYOK_TYPE_COMPOSER))),
                                   "openai", "gpt-4o-mini");
}

static gboolean
dialog_open (gpointer data)
{
  GtkWidget *dialog = byok_test_ui_find_open (BYOK_TYPE_TOOL_APPROVAL_DIALOG);

  return dialog != NULL && gtk_widget_get_mapped (dialog);
}

static gboolean
dialog_gone (gpointer data)
{
  return !dialog_open (data);
}

/* Sends @prompt; the model asks for the tool, then answers. Answers the
 * dialog with @response, or expects none for NULL. */
static void
ask_and_answer (Fixture    *f,
                const char *prompt,
                const char *response,
                const char *screenshot)
{
  ByokComposer *composer = BYOK_COMPOSER (byok_test_ui_find_descendant (GTK_WIDGET (f->page), BYOK_TYPE_COMPOSER));
  guint requests = byok_test_server_get_n_requests (f->server);

  byok_test_server_add_reply (f->server, CHAT_PATH, byok_test_reply_new_echo_step (TRUE, NULL, FALSE));
  byok_test_server_add_reply (f->server, CHAT_PATH, byok_test_reply_new_echo_step (FALSE, "The tool said hi.", FALSE));
  byok_composer_set_text (composer, prompt);
  g_assert_true (byok_composer_send (composer));
  if (response != NULL)
    {
      GtkWidget *dialog;

      byok_test_ui_iterate_until (dialog_open, NULL, "the approval dialog");
      dialog = byok_test_ui_find_open (BYOK_TYPE_TOOL_APPROVAL_DIALOG);
      g_assert_cmpstr (byok_alert_get_heading (dialog), ==, "Allow “echo”?");
      /* Nothing ran yet: the model was asked once. */
      g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, requests + 1);
      if (screenshot != NULL)
        byok_test_ui_screenshot (GTK_WIDGET (gtk_widget_get_root (dialog)), screenshot);
      /* As the person does: the button. */
      {
        const char *label = g_str_equal (response, BYOK_TOOL_APPROVAL_RESPONSE_ONCE) ? "_Allow Once"
                          : g_str_equal (response, BYOK_TOOL_APPROVAL_RESPONSE_ALWAYS) ? "Al_ways Allow This Tool"
                          : "_Deny";
        GtkWidget *button = byok_test_ui_find_button (dialog, NULL, label);

        g_assert_nonnull (button);
        g_signal_emit_by_name (button, "clicked");
      }
    }
  byok_test_ui_iterate_until (byok_test_ui_chat_page_idle, f->page, "the answer");
  byok_test_ui_iterate_until (dialog_gone, NULL, "the approval dialog to close");
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, requests + 2);
}

static ByokMessage *
last_answer (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) messages = byok_conversation_store_get_messages (byok_chat_page_get_store (f->page),
                                                                         byok_chat_page_get_conversation (f->page),
                                                                         &error);
  g_autoptr(ByokMessage) last = g_list_model_get_item (messages, g_list_model_get_n_items (messages) - 1);

  return last;
}

static const ByokToolBlock *
only_block (ByokMessage *answer)
{
  GPtrArray *blocks = byok_message_get_tool_blocks (answer);

  g_assert_nonnull (blocks);
  g_assert_cmpuint (blocks->len, ==, 1);
  return g_ptr_array_index (blocks, 0);
}

static void wait_for_text (GtkWidget  *root,
                           const char *text);

static gboolean
block_stopped (gpointer data)
{
  return only_block (last_answer (data))->state == BYOK_TOOL_BLOCK_STOPPED;
}

static void
test_whole_way (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *sent = NULL;
  g_autofree char *config = NULL;
  g_autofree char *config_path = g_build_filename (f->dir, "mcp-servers.json", NULL);
  const ByokToolBlock *block;
  ByokMessage *answer;

  /* "Use Tools" in the conversation's settings: on, a server being on
   * and the model taking tools. */
  {
    ByokComposer *composer = BYOK_COMPOSER (byok_test_ui_find_descendant (GTK_WIDGET (f->page), BYOK_TYPE_COMPOSER));
    ByokChatSettings *settings = byok_composer_get_settings (composer);

    g_assert_true (byok_chat_settings_get_use_tools (settings));
    gtk_popover_popup (GTK_POPOVER (settings));
    wait_for_text (GTK_WIDGET (settings), "Use Tools");
    byok_test_ui_screenshot (GTK_WIDGET (settings), "tools-chat-settings");
    gtk_popover_popdown (GTK_POPOVER (settings));
  }

  /* Allow Once: it runs, the model gets what it said. */
  ask_and_answer (f, "Say hi with the tool", BYOK_TOOL_APPROVAL_RESPONSE_ONCE, NULL);
  sent = byok_test_last_tool_message (f->server, "call_echo_1");
  g_assert_nonnull (strstr (sent, "hi"));
  answer = last_answer (f);
  g_assert_cmpstr (byok_message_get_content (answer), ==, "The tool said hi.");
  /* Two steps that both answered are no fallback to tell of. */
  g_assert_null (byok_message_get_attempts (answer));
  block = only_block (answer);
  g_assert_cmpstr (block->server, ==, "test");
  g_assert_cmpstr (block->tool, ==, "echo");
  g_assert_cmpint (block->state, ==, BYOK_TOOL_BLOCK_DONE);
  g_assert_cmpstr (block->result, ==, sent);
  g_assert_false (isnan (block->step_cost_usd));
  /* The answer's cost is both steps'. */
  g_assert_cmpfloat_with_epsilon (byok_message_get_cost_usd (answer), 2 * block->step_cost_usd, 1e-12);
  g_clear_pointer (&sent, g_free);

  /* Deny: the model is told, the block says so. */
  ask_and_answer (f, "Again", BYOK_TOOL_APPROVAL_RESPONSE_DENY, NULL);
  sent = byok_test_last_tool_message (f->server, "call_echo_1");
  g_assert_nonnull (strstr (sent, "denied"));
  g_assert_cmpint (only_block (last_answer (f))->state, ==, BYOK_TOOL_BLOCK_DENIED);

  /* Always Allow: runs, and is kept; the next call is not asked about. */
  ask_and_answer (f, "Once more", BYOK_TOOL_APPROVAL_RESPONSE_ALWAYS, NULL);
  g_assert_cmpint (only_block (last_answer (f))->state, ==, BYOK_TOOL_BLOCK_DONE);
  g_assert_true (g_file_get_contents (config_path, &config, NULL, NULL));
  g_assert_nonnull (strstr (config, "\"echo\""));
  ask_and_answer (f, "And again", NULL, NULL);
  g_assert_cmpint (only_block (last_answer (f))->state, ==, BYOK_TOOL_BLOCK_DONE);

  /* Stopped while the question is up: the dialog goes, the tool never
   * runs, its block says stopped, the text so far stays. */
  {
    ByokComposer *composer = BYOK_COMPOSER (byok_test_ui_find_descendant (GTK_WIDGET (f->page), BYOK_TYPE_COMPOSER));
    g_autoptr(ByokMcpServerConfig) server = NULL;
    ByokMcpConfig *mcp = byok_mcp_manager_get_config (byok_mcp_tool_runner_get_manager (f->runner));
    g_autoptr(GError) error = NULL;
    guint requests;

    /* "add" is asked about (echo is always allowed by now). */
    g_assert_true (byok_mcp_config_set_tool_always_allow (mcp, "test", "echo", FALSE, &error));
    g_assert_no_error (error);
    byok_mcp_tool_set_always_allow (byok_mcp_manager_lookup_tool (byok_mcp_tool_runner_get_manager (f->runner), "test__echo"), FALSE);
    requests = byok_test_server_get_n_requests (f->server);
    byok_test_server_add_reply (f->server, CHAT_PATH, byok_test_reply_new_echo_step (TRUE, NULL, FALSE));
    byok_composer_set_text (composer, "Stop me");
    g_assert_true (byok_composer_send (composer));
    byok_test_ui_iterate_until (dialog_open, NULL, "the approval dialog");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "chat.stop", NULL));
    byok_test_ui_iterate_until (byok_test_ui_chat_page_idle, f->page, "the answer to stop");
    byok_test_ui_iterate_until (dialog_gone, NULL, "the approval dialog to close");
    g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, requests + 1);
    byok_test_ui_iterate_until (block_stopped, f, "the block to say stopped");
    g_assert_cmpstr (byok_message_get_status (last_answer (f)), ==, BYOK_MESSAGE_STATUS_PARTIAL);
  }

  /* The blocks of the answers, shown. */
  {
    g_autoptr(GPtrArray) views = g_ptr_array_new ();

    byok_test_ui_collect (GTK_WIDGET (f->page), BYOK_TYPE_TOOL_BLOCK_VIEW, views);
    g_assert_cmpuint (views->len, >=, 1);
  }
  byok_test_ui_screenshot (f->window, "tool-answer");
}

/* ---- Preferences → Tools ------------------------------------------------ */

/* A label that is @text, on screen */
static void
wait_for_text (GtkWidget  *root,
               const char *text)
{
  byok_test_ui_wait_for_text (root, text, TRUE, TRUE);
}

/* Preferences → Tools, shown over the chat window, once the server from the
 * store is listed; returns the page and sets @preferences to its window */
static GtkWidget *
open_tools_preferences (Fixture    *f,
                        GtkWidget **preferences)
{
  GtkWidget *page;

  *preferences = byok_preferences_window_new (f->engine);
  page = byok_tools_preferences_page_new (f->runner);
  byok_preferences_add_page (*preferences, ADW_PREFERENCES_PAGE (page));
  byok_preferences_window_present (*preferences, f->window);
  g_object_set (*preferences, "visible-page", page, NULL);
  wait_for_text (page, "test");

  return page;
}

static void
test_preferences (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *preferences;
  GtkWidget *page = open_tools_preferences (f, &preferences);
  ByokMcpConfig *config = byok_mcp_manager_get_config (byok_mcp_tool_runner_get_manager (f->runner));
  g_autoptr(ByokMcpServerConfig) server = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GPtrArray) switches = g_ptr_array_new ();
  GtkWidget *root;
  AdwExpanderRow *row;

  root = GTK_WIDGET (gtk_widget_get_root (page));

  /* The server from the store, with its command. */
  byok_test_ui_collect (page, ADW_TYPE_EXPANDER_ROW, rows);
  g_assert_cmpuint (rows->len, ==, 1);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (adw_expander_row_get_subtitle (row), ==, g_getenv ("BYOK_TEST_MCP_SERVER"));

  /* Opened: the server starts and its tools are listed, each with a switch. */
  adw_expander_row_set_expanded (row, TRUE);
  wait_for_text (page, "echo");
  wait_for_text (page, "add");
  byok_test_ui_screenshot (root, "tools-preferences");

  /* Turning a tool off is kept; the model is no longer offered it. */
  byok_test_ui_collect (GTK_WIDGET (row), GTK_TYPE_SWITCH, switches);
  for (guint i = 0; i < switches->len; i++)
    {
      GtkSwitch *toggle = g_ptr_array_index (switches, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (toggle), "byok-tool"), "echo") == 0)
        gtk_switch_set_active (toggle, FALSE);
    }
  server = byok_mcp_config_lookup (config, "test");
  g_assert_false (byok_mcp_server_config_tool_enabled (server, "echo"));
  g_assert_true (byok_mcp_server_config_tool_enabled (server, "add"));
  g_clear_pointer (&server, byok_mcp_server_config_free);

  /* The server's switch. */
  g_assert_true (GTK_IS_SWITCH (g_ptr_array_index (switches, 0)));
  gtk_switch_set_active (g_ptr_array_index (switches, 0), FALSE);
  server = byok_mcp_config_lookup (config, "test");
  g_assert_false (server->enabled);

  /* Add…: a name and a command, or a URL, never both. */
  {
    GtkWidget *dialog;
    g_autoptr(GPtrArray) entries = g_ptr_array_new ();
    g_autoptr(ByokMcpServerConfig) added = NULL;
    g_autoptr(GPtrArray) listed = NULL;

    gtk_widget_activate_action (page, "tools.add", NULL);
    byok_test_ui_iterate_pending ();
    dialog = byok_test_ui_find_open (BYOK_TYPE_MCP_SERVER_DIALOG);
    g_assert_nonnull (dialog);
    byok_test_ui_collect (dialog, ADW_TYPE_ENTRY_ROW, entries);
    /* Name, command, URL; then a new variable's name and the token. */
    g_assert_cmpuint (entries->len, ==, 5);
    g_assert_false (byok_alert_get_response_enabled (dialog, BYOK_MCP_SERVER_DIALOG_RESPONSE_ADD));
    gtk_editable_set_text (g_ptr_array_index (entries, 0), "my files");
    gtk_editable_set_text (g_ptr_array_index (entries, 1), "npx -y @modelcontextprotocol/server-filesystem '/home/me/My Documents'");
    g_assert_false (byok_alert_get_response_enabled (dialog, BYOK_MCP_SERVER_DIALOG_RESPONSE_ADD));
    gtk_editable_set_text (g_ptr_array_index (entries, 0), "files");
    g_assert_true (byok_alert_get_response_enabled (dialog, BYOK_MCP_SERVER_DIALOG_RESPONSE_ADD));
    gtk_editable_set_text (g_ptr_array_index (entries, 2), "https://mcp.example.com/mcp");
    g_assert_false (byok_alert_get_response_enabled (dialog, BYOK_MCP_SERVER_DIALOG_RESPONSE_ADD));
    gtk_editable_set_text (g_ptr_array_index (entries, 2), "");
    byok_test_ui_screenshot (GTK_WIDGET (gtk_widget_get_root (dialog)), "tools-add-server");
    /* Enter in the command's entry adds the server, once, and closes
     * (issue 14: the 1.2 message dialog stayed up). */
    byok_test_ui_enter_answers_alert (dialog, g_ptr_array_index (entries, 1), BYOK_MCP_SERVER_DIALOG_RESPONSE_ADD);
    wait_for_text (page, "files");
    listed = byok_mcp_config_list (config);
    g_assert_cmpuint (listed->len, ==, 2);  /* "test" and "files" */
    added = byok_mcp_config_lookup (config, "files");
    g_assert_nonnull (added);
    g_assert_cmpstr (added->command, ==, "npx");
    g_assert_cmpstr (added->args[2], ==, "/home/me/My Documents");
  }

  byok_dialog_close (preferences);
  byok_test_ui_iterate_pending ();
}

/* ---- Edit… and Ask Again ---- */

#define EDIT_SECRET_1 "fake-test-mcp-edit-value-0001"
#define EDIT_SECRET_2 "fake-test-mcp-edit-value-0002"
#define EDIT_SECRET_3 "fake-test-mcp-edit-value-0003"

typedef struct {
  ByokMcpConfig *config;
  const char    *server;
  const char    *env;    /* NULL: the server is enough */
} ConfigWait;

static gboolean
config_has (gpointer data)
{
  ConfigWait *w = data;
  g_autoptr(ByokMcpServerConfig) server = byok_mcp_config_lookup (w->config, w->server);

  return server != NULL && (w->env == NULL || g_strv_contains ((const char * const *) server->env, w->env));
}

typedef struct {
  ByokMcpManager *manager;
  const char     *server;
} RunningWait;

static gboolean
server_running (gpointer data)
{
  RunningWait *w = data;

  return byok_mcp_manager_is_running (w->manager, w->server);
}

/* What the running server's `env` tool reads of its environment */
static char *
server_env (ByokMcpManager *manager,
            const char     *server,
            const char     *variable)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokMcpToolResult) called = NULL;
  g_autofree char *arguments = g_strdup_printf ("{\"name\": \"%s\"}", variable);

  byok_mcp_manager_call_tool_async (manager, server, "env", arguments, NULL, byok_test_store_result, &result);
  called = byok_mcp_manager_call_tool_finish (manager, byok_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return g_strdup (called->text);
}

/* What the keyring holds for @server; an empty set when nothing */
static ByokMcpSecrets *
keyring_secrets (const char *server)
{
  ByokMcpSecrets *secrets = byok_test_lookup_mcp_secrets (server);

  return secrets != NULL ? secrets : byok_mcp_secrets_new ();
}

/* The file holds the names, never a value. */
static void
assert_file_holds_no_secret (ByokMcpConfig *config)
{
  g_autofree char *bytes = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (byok_mcp_config_get_path (config), &bytes, &len, &error));
  g_assert_no_error (error);
  g_assert_null (g_strstr_len (bytes, len, EDIT_SECRET_1));
  g_assert_null (g_strstr_len (bytes, len, EDIT_SECRET_2));
  g_assert_null (g_strstr_len (bytes, len, EDIT_SECRET_3));
  g_assert_null (g_strstr_len (bytes, len, "fake-test-mcp-edit"));
}

static GtkWidget *
entry_titled (GtkWidget  *dialog,
              const char *title)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();

  byok_test_ui_collect (dialog, ADW_TYPE_ENTRY_ROW, entries);
  for (guint i = 0; i < entries->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (entries, i);

      if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0 &&
          gtk_widget_get_visible (row))
        return row;
    }
  g_error ("no entry row “%s”", title);
  return NULL;
}

static GtkWidget *
open_edit (GtkWidget  *page,
           const char *server)
{
  GtkWidget *button = NULL;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  GtkWidget *dialog;

  byok_test_ui_collect (page, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len && button == NULL; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), "_Edit…") == 0 &&
        g_strcmp0 (g_object_get_data (g_ptr_array_index (buttons, i), "byok-server"), server) == 0)
      button = g_ptr_array_index (buttons, i);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  byok_test_ui_iterate_pending ();
  dialog = byok_test_ui_find_open (BYOK_TYPE_MCP_SERVER_DIALOG);
  g_assert_nonnull (dialog);
  return dialog;
}

/* A label holding @text among other lines */
static void
wait_for_part (GtkWidget  *root,
               const char *text)
{
  byok_test_ui_wait_for_text (root, text, FALSE, FALSE);
}

static void
test_edit (Fixture       *f,
           gconstpointer  data)
{
  GtkWidget *preferences;
  GtkWidget *page = open_tools_preferences (f, &preferences);
  ByokMcpManager *manager = byok_mcp_tool_runner_get_manager (f->runner);
  ByokMcpConfig *config = byok_mcp_manager_get_config (manager);
  g_autoptr(ByokMcpServerConfig) server = NULL;
  g_autoptr(ByokMcpSecrets) secrets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GtkWidget *dialog;
  GtkWidget *masked;
  AdwExpanderRow *row;

  /* Running, without the variable yet; "echo" always allowed. */
  value = server_env (manager, "test", "BYOK_EDIT_VAR");
  g_assert_cmpstr (value, ==, "(unset)");
  g_clear_pointer (&value, g_free);
  g_assert_true (byok_mcp_config_set_tool_always_allow (config, "test", "echo", TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (byok_mcp_manager_is_running (manager, "test"));

  /* Edit…: a new variable, its value typed in a password entry. */
  dialog = open_edit (page, "test");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry_titled (dialog, "Name"))), ==, "test");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry_titled (dialog, "Command and Arguments"))), ==,
                   g_getenv ("BYOK_TEST_MCP_SERVER"));
  gtk_editable_set_text (GTK_EDITABLE (entry_titled (dialog, "New Variable’s Name")), "BYOK_EDIT_VAR");
  g_signal_emit_by_name (entry_titled (dialog, "New Variable’s Name"), "apply");
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (entry_titled (dialog, "BYOK_EDIT_VAR")));
  gtk_editable_set_text (GTK_EDITABLE (entry_titled (dialog, "BYOK_EDIT_VAR")), EDIT_SECRET_1);
  g_assert_true (byok_alert_get_response_enabled (dialog, BYOK_MCP_SERVER_DIALOG_RESPONSE_ADD));
  /* Enter in the name's entry saves, once, and closes. */
  byok_test_ui_enter_answers_alert (dialog, entry_titled (dialog, "Name"), BYOK_MCP_SERVER_DIALOG_RESPONSE_ADD);
  {
    ConfigWait w = { config, "test", "BYOK_EDIT_VAR" };
    RunningWait r = { manager, "test" };

    byok_test_ui_iterate_until (config_has, &w, "the variable kept");
    /* The running server runs again, with it. */
    byok_test_ui_iterate_until (server_running, &r, "the server restarted");
  }
  value = server_env (manager, "test", "BYOK_EDIT_VAR");
  g_assert_cmpstr (value, ==, EDIT_SECRET_1);
  g_clear_pointer (&value, g_free);
  secrets = keyring_secrets ("test");
  g_assert_cmpstr (g_hash_table_lookup (secrets->env, "BYOK_EDIT_VAR"), ==, EDIT_SECRET_1);
  g_clear_pointer (&secrets, byok_mcp_secrets_free);
  assert_file_holds_no_secret (config);
  /* Its row names the variable, never its value. */
  wait_for_part (page, "\nEnvironment: BYOK_EDIT_VAR");
  g_assert_null (byok_test_ui_find_text (page, EDIT_SECRET_1, FALSE));

  /* Edit again: the value shows masked; renamed, and the value replaced. */
  dialog = open_edit (page, "test");
  g_assert_null (byok_test_ui_find_text (dialog, EDIT_SECRET_1, FALSE));
  g_assert_nonnull (byok_test_ui_find_text (dialog, "••••••••", TRUE));
  masked = GTK_WIDGET (byok_test_ui_find_text (dialog, "BYOK_EDIT_VAR", TRUE));
  g_assert_nonnull (masked);
  byok_test_ui_screenshot (GTK_WIDGET (gtk_widget_get_root (dialog)), "tools-edit-server");
  g_signal_emit_by_name (byok_test_ui_find_button (dialog, NULL, "_Replace…"), "clicked");
  gtk_editable_set_text (GTK_EDITABLE (entry_titled (dialog, "New Value of BYOK_EDIT_VAR")), EDIT_SECRET_2);
  gtk_editable_set_text (GTK_EDITABLE (entry_titled (dialog, "Name")), "renamed");
  byok_test_ui_screenshot (GTK_WIDGET (gtk_widget_get_root (dialog)), "tools-edit-server-replacing");
  byok_test_ui_answer_alert (dialog, BYOK_MCP_SERVER_DIALOG_RESPONSE_ADD);
  {
    ConfigWait w = { config, "renamed", "BYOK_EDIT_VAR" };
    RunningWait r = { manager, "renamed" };

    byok_test_ui_iterate_until (config_has, &w, "the server renamed");
    byok_test_ui_iterate_until (server_running, &r, "the renamed server running");
  }
  server = byok_mcp_config_lookup (config, "test");
  g_assert_null (server);
  server = byok_mcp_config_lookup (config, "renamed");
  g_assert_true (byok_mcp_server_config_tool_always_allowed (server, "echo"));
  g_assert_true (server->enabled);
  g_clear_pointer (&server, byok_mcp_server_config_free);
  g_assert_false (byok_mcp_manager_is_running (manager, "test"));
  value = server_env (manager, "renamed", "BYOK_EDIT_VAR");
  g_assert_cmpstr (value, ==, EDIT_SECRET_2);
  g_clear_pointer (&value, g_free);
  secrets = keyring_secrets ("renamed");
  g_assert_cmpstr (g_hash_table_lookup (secrets->env, "BYOK_EDIT_VAR"), ==, EDIT_SECRET_2);
  g_clear_pointer (&secrets, byok_mcp_secrets_free);
  secrets = keyring_secrets ("test");
  g_assert_cmpuint (g_hash_table_size (secrets->env), ==, 0);
  g_clear_pointer (&secrets, byok_mcp_secrets_free);
  assert_file_holds_no_secret (config);

  /* The tool always allowed says so, and Ask Again takes it back. */
  wait_for_text (page, "renamed");
  byok_test_ui_collect (page, ADW_TYPE_EXPANDER_ROW, rows);
  g_assert_cmpuint (rows->len, ==, 1);
  row = g_ptr_array_index (rows, 0);
  adw_expander_row_set_expanded (row, TRUE);
  wait_for_text (GTK_WIDGET (row), "echo");
  g_assert_nonnull (byok_test_ui_find_text (GTK_WIDGET (row), "Always allowed", TRUE));
  byok_test_ui_screenshot (GTK_WIDGET (gtk_widget_get_root (page)), "tools-always-allowed");
  {
    GtkWidget *ask_again = byok_test_ui_find_button (GTK_WIDGET (row), NULL, "Ask _Again");
    ByokMcpTool *tool;

    g_assert_nonnull (ask_again);
    g_assert_cmpstr (g_object_get_data (G_OBJECT (ask_again), "byok-tool"), ==, "echo");
    g_signal_emit_by_name (ask_again, "clicked");
    byok_test_ui_iterate_pending ();
    g_assert_false (gtk_widget_get_visible (gtk_widget_get_parent (ask_again)));
    server = byok_mcp_config_lookup (config, "renamed");
    g_assert_false (byok_mcp_server_config_tool_always_allowed (server, "echo"));
    g_clear_pointer (&server, byok_mcp_server_config_free);
    /* The tool already listed asks again too. */
    tool = byok_mcp_manager_lookup_tool (manager, "renamed__echo");
    g_assert_nonnull (tool);
    g_assert_false (byok_mcp_tool_get_always_allow (tool));
  }

  /* Remove a variable: gone from the file and the keyring. */
  dialog = open_edit (page, "renamed");
  g_signal_emit_by_name (byok_test_ui_find_button (dialog, "user-trash-symbolic", NULL), "clicked");
  g_assert_false (byok_test_ui_is_shown (GTK_WIDGET (byok_test_ui_find_text (dialog, "BYOK_EDIT_VAR", TRUE)), dialog));
  byok_test_ui_answer_alert (dialog, BYOK_MCP_SERVER_DIALOG_RESPONSE_ADD);
  {
    RunningWait r = { manager, "renamed" };

    wait_for_text (page, g_getenv ("BYOK_TEST_MCP_SERVER"));
    byok_test_ui_iterate_until (server_running, &r, "the server running again");
  }
  server = byok_mcp_config_lookup (config, "renamed");
  g_assert_cmpuint (g_strv_length (server->env), ==, 0);
  secrets = keyring_secrets ("renamed");
  g_assert_cmpuint (g_hash_table_size (secrets->env), ==, 0);
  value = server_env (manager, "renamed", "BYOK_EDIT_VAR");
  g_assert_cmpstr (value, ==, "(unset)");

  byok_dialog_close (preferences);
  byok_test_ui_iterate_pending ();
}

/* Clicks Remove on the stored token's masked row, and returns the row */
static GtkWidget *
remove_token (GtkWidget *dialog)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GtkWidget *token_row = NULL;

  byok_test_ui_collect (dialog, ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), "Bearer Token") == 0)
      token_row = g_ptr_array_index (rows, i);
  g_assert_nonnull (token_row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (token_row)), ==, "••••••••");
  g_signal_emit_by_name (byok_test_ui_find_button (token_row, "user-trash-symbolic", NULL), "clicked");
  return token_row;
}

static void
count_cb (guint *count)
{
  (*count)++;
}

static gboolean
counted (gpointer data)
{
  return *(guint *) data > 0;
}

/* A URL's token: typed masked, replaced, removed; never in the file. */
static void
test_edit_http (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *preferences;
  GtkWidget *page = open_tools_preferences (f, &preferences);
  ByokMcpConfig *config = byok_mcp_manager_get_config (byok_mcp_tool_runner_get_manager (f->runner));
  g_autoptr(ByokMcpServerConfig) server = NULL;
  g_autoptr(ByokMcpSecrets) secrets = NULL;
  GtkWidget *dialog;
  GtkWidget *masked;
  GtkWidget *token;

  dialog = open_edit (page, "test");
  gtk_editable_set_text (GTK_EDITABLE (entry_titled (dialog, "Command and Arguments")), "");
  gtk_editable_set_text (GTK_EDITABLE (entry_titled (dialog, "Or URL")), "http://127.0.0.1:9/mcp");
  g_assert_nonnull (byok_test_ui_find_text (dialog, "Headers and Bearer Token", TRUE));
  gtk_editable_set_text (GTK_EDITABLE (entry_titled (dialog, "Bearer Token")), EDIT_SECRET_1);
  gtk_editable_set_text (GTK_EDITABLE (entry_titled (dialog, "New Header’s Name")), "X-Api-Key");
  g_signal_emit_by_name (entry_titled (dialog, "New Header’s Name"), "apply");
  gtk_editable_set_text (GTK_EDITABLE (entry_titled (dialog, "X-Api-Key")), EDIT_SECRET_2);
  byok_test_ui_answer_alert (dialog, BYOK_MCP_SERVER_DIALOG_RESPONSE_ADD);
  wait_for_part (page, "\nHeaders: X-Api-Key; bearer token");
  server = byok_mcp_config_lookup (config, "test");
  g_assert_cmpint (server->transport, ==, BYOK_MCP_TRANSPORT_HTTP);
  g_assert_true (server->has_token);
  g_clear_pointer (&server, byok_mcp_server_config_free);
  secrets = keyring_secrets ("test");
  g_assert_cmpstr (secrets->token, ==, EDIT_SECRET_1);
  g_assert_cmpstr (g_hash_table_lookup (secrets->headers, "X-Api-Key"), ==, EDIT_SECRET_2);
  g_clear_pointer (&secrets, byok_mcp_secrets_free);
  assert_file_holds_no_secret (config);

  /* The token, masked, removed: an empty entry takes its place, and a
   * new token typed there replaces it without reopening the dialog. */
  dialog = open_edit (page, "test");
  g_assert_null (byok_test_ui_find_text (dialog, EDIT_SECRET_1, FALSE));
  masked = remove_token (dialog);
  g_assert_false (byok_test_ui_is_shown (masked, dialog));
  token = entry_titled (dialog, "Bearer Token");
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (token));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (token)), ==, "");
  g_assert_true (byok_test_ui_is_shown (token, dialog));
  byok_test_ui_screenshot (GTK_WIDGET (gtk_widget_get_root (dialog)), "tools-edit-server-token-removed");
  gtk_editable_set_text (GTK_EDITABLE (token), EDIT_SECRET_3);
  {
    guint saved = 0;
    gulong handler = g_signal_connect_swapped (config, "changed", G_CALLBACK (count_cb), &saved);

    byok_test_ui_answer_alert (dialog, BYOK_MCP_SERVER_DIALOG_RESPONSE_ADD);
    byok_test_ui_iterate_until (counted, &saved, "the server saved");
    g_signal_handler_disconnect (config, handler);
  }
  server = byok_mcp_config_lookup (config, "test");
  g_assert_true (server->has_token);
  g_clear_pointer (&server, byok_mcp_server_config_free);
  secrets = keyring_secrets ("test");
  g_assert_cmpstr (secrets->token, ==, EDIT_SECRET_3);
  g_clear_pointer (&secrets, byok_mcp_secrets_free);
  assert_file_holds_no_secret (config);

  /* Removed and left empty: no token; the header kept as it was. */
  dialog = open_edit (page, "test");
  remove_token (dialog);
  byok_test_ui_answer_alert (dialog, BYOK_MCP_SERVER_DIALOG_RESPONSE_ADD);
  wait_for_text (page, "http://127.0.0.1:9/mcp\nHeaders: X-Api-Key");
  server = byok_mcp_config_lookup (config, "test");
  g_assert_false (server->has_token);
  secrets = keyring_secrets ("test");
  g_assert_null (secrets->token);
  g_assert_cmpstr (g_hash_table_lookup (secrets->headers, "X-Api-Key"), ==, EDIT_SECRET_2);

  byok_dialog_close (preferences);
  byok_test_ui_iterate_pending ();
}

int
main (int    argc,
      char **argv)
{
  byok_test_ui_init (&argc, &argv, NULL);

  g_test_add ("/tools-ui/approval-dialog", Fixture, NULL, fixture_setup, test_approval_dialog, fixture_teardown);
  g_test_add ("/tools-ui/blocks-restart", Fixture, NULL, fixture_setup, test_blocks_restart, fixture_teardown);
  g_test_add ("/tools-ui/whole-way", Fixture, NULL, fixture_setup_tools, test_whole_way, fixture_teardown);
  g_test_add ("/tools-ui/preferences", Fixture, NULL, fixture_setup_tools, test_preferences, fixture_teardown);
  g_test_add ("/tools-ui/edit", Fixture, NULL, fixture_setup_tools, test_edit, fixture_teardown);
  g_test_add ("/tools-ui/edit-http", Fixture, NULL, fixture_setup_tools, test_edit_http, fixture_teardown);

  return g_test_run ();
}
