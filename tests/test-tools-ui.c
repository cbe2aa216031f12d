/* test-tools-ui.c — what the person sees of tools (issue 17), under Xvfb:
 * the approval dialog (server, tool, description and indented arguments
 * as plain text; Deny the default and what Escape gives), and the tool
 * blocks of an answer in the real window, restored after a restart: one
 * collapsed block per call with its tool, server, state and step cost,
 * opening on its arguments and result, none of it read as markup.
 *
 * BYOK_TEST_SCREENSHOT_DIR: tool-approval.png, tool-blocks.png. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "byok-test-ui.h"
#include "byok-test-util.h"
#include "byok-chat-page.h"
#include "byok-message-row.h"
#include "byok-tool-approval-dialog.h"
#include "byok-tool-block-view.h"
#include "byok-window.h"

#define HOSTILE "<b>&<a href=\"file:///etc/passwd\">open me</a>"

typedef struct {
  char         *dir;
  char         *db_path;
  ByokEngine   *engine;
  GtkWidget    *window;
  ByokChatPage *page;
} Fixture;

static void
open_window (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->engine = byok_engine_new (f->db_path, &error);
  g_assert_no_error (error);
  f->window = g_object_new (BYOK_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 700);
  f->page = BYOK_CHAT_PAGE (byok_test_ui_find_descendant (f->window, BYOK_TYPE_CHAT_PAGE));
  byok_chat_page_set_engine (f->page, f->engine);
  gtk_window_present (GTK_WINDOW (f->window));
  byok_test_ui_iterate_pending ();
}

static void
close_window (Fixture *f)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  f->page = NULL;
  byok_test_ui_iterate_pending ();
  g_clear_object (&f->engine);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("byok-test-tools-ui-XXXXXX", &error);
  g_assert_no_error (error);
  f->db_path = g_build_filename (f->dir, "byok.db", NULL);
  open_window (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) handle = NULL;
  const char *name;

  if (f->window != NULL)
    close_window (f);
  handle = g_dir_open (f->dir, 0, NULL);
  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
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
response_cb (GtkWidget   *dialog,
             const char  *response,
             char       **out)
{
  g_free (*out);
  *out = g_strdup (response);
}

static gboolean
responded (gpointer data)
{
  return *(char **) data != NULL;
}

static void
test_approval_dialog (Fixture       *f,
                      gconstpointer  data)
{
  ByokToolApprovalDialog *dialog;
  g_autofree char *response = NULL;
  const char *arguments;
  GtkLabel *description;
  GtkWidget *root;

  dialog = byok_tool_approval_dialog_new ("files", "write_file",
                                          "Writes a file. " HOSTILE,
                                          "{\"path\":\"/home/me/notes.txt\",\"text\":\"" "<i>hello</i>" "\",\"append\":true}");
  g_signal_connect (dialog, "response", G_CALLBACK (response_cb), &response);
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
  byok_alert_response (GTK_WIDGET (dialog), BYOK_TOOL_APPROVAL_RESPONSE_DENY);
  byok_test_ui_iterate_until (responded, &response, "the dialog's answer");
  g_assert_cmpstr (response, ==, BYOK_TOOL_APPROVAL_RESPONSE_DENY);
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

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  byok_test_tolerate_toolkit_bugs (NULL);
  adw_init ();

  g_test_add ("/tools-ui/approval-dialog", Fixture, NULL, fixture_setup, test_approval_dialog, fixture_teardown);
  g_test_add ("/tools-ui/blocks-restart", Fixture, NULL, fixture_setup, test_blocks_restart, fixture_teardown);

  return g_test_run ();
}
