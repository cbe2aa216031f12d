/* test-tool-blocks.c — the tool calls of an answer kept with it (issue 17):
 * their JSON, a real database through a restart, a stopped call, and the
 * Markdown and JSON exports */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "byok-conversation-store.h"
#include "byok-error.h"
#include "byok-tool-block.h"
#include "byok-test-conversations.h"

typedef ByokTestConversations Fixture;

static ByokToolBlock *
make_block (const char         *id,
            const char         *server,
            const char         *tool,
            const char         *arguments,
            ByokToolBlockState  state,
            const char         *result,
            guint               step,
            double              cost)
{
  g_autofree char *name = g_strdup_printf ("%s__%s", server, tool);
  ByokToolBlock *block = byok_tool_block_new (id, name, arguments);

  byok_tool_block_set_origin (block, server, tool);
  if (state != BYOK_TOOL_BLOCK_RUNNING)
    byok_tool_block_finish (block, state, result);
  block->step = step;
  block->step_cost_usd = cost;
  return block;
}

static void
assert_block (const ByokToolBlock *block,
              const char          *id,
              const char          *tool,
              ByokToolBlockState   state,
              const char          *result)
{
  g_assert_cmpstr (block->call_id, ==, id);
  g_assert_cmpstr (block->tool, ==, tool);
  g_assert_cmpint (block->state, ==, state);
  g_assert_cmpstr (block->result, ==, result);
}

/* ---- JSON ---------------------------------------------------------------- */

static void
test_json_round_trip (void)
{
  g_autoptr(GPtrArray) blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_tool_block_free);
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *pretty = NULL;
  ByokToolBlock *first;

  g_assert_null (byok_tool_blocks_to_json (blocks));
  g_assert_null (byok_tool_blocks_from_json (NULL, &error));
  g_assert_no_error (error);

  g_ptr_array_add (blocks, make_block ("call_1", "files", "read_file", "{\"path\":\"/tmp/a b.txt\"}",
                                       BYOK_TOOL_BLOCK_DONE, "hello\nworld", 1, 0.0025));
  g_ptr_array_add (blocks, make_block ("call_2", "shell", "run", "{\"cmd\":\"rm -rf /\"}",
                                       BYOK_TOOL_BLOCK_DENIED, "The person refused this call.", 1, NAN));
  g_ptr_array_add (blocks, make_block ("call_3", "files", "write_file", "{}",
                                       BYOK_TOOL_BLOCK_RUNNING, NULL, 2, NAN));
  json = byok_tool_blocks_to_json (blocks);
  back = byok_tool_blocks_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 3);
  first = g_ptr_array_index (back, 0);
  assert_block (first, "call_1", "read_file", BYOK_TOOL_BLOCK_DONE, "hello\nworld");
  g_assert_cmpstr (first->server, ==, "files");
  g_assert_cmpstr (first->name, ==, "files__read_file");
  g_assert_cmpstr (first->arguments, ==, "{\"path\":\"/tmp/a b.txt\"}");
  g_assert_cmpuint (first->step, ==, 1);
  g_assert_cmpfloat_with_epsilon (first->step_cost_usd, 0.0025, 1e-12);
  assert_block (g_ptr_array_index (back, 1), "call_2", "run", BYOK_TOOL_BLOCK_DENIED, "The person refused this call.");
  g_assert_true (isnan (((ByokToolBlock *) g_ptr_array_index (back, 1))->step_cost_usd));
  /* Stored while it ran (the app quit): it comes back stopped. */
  assert_block (g_ptr_array_index (back, 2), "call_3", "write_file", BYOK_TOOL_BLOCK_STOPPED, NULL);
  g_assert_cmpuint (((ByokToolBlock *) g_ptr_array_index (back, 2))->step, ==, 2);

  pretty = byok_tool_block_dup_pretty_arguments (first);
  g_assert_cmpstr (pretty, ==, "{\n  \"path\" : \"/tmp/a b.txt\"\n}");
  g_clear_pointer (&pretty, g_free);
  pretty = byok_tool_arguments_pretty ("not json {");
  g_assert_cmpstr (pretty, ==, "not json {");

  g_assert_null (byok_tool_blocks_from_json ("{\"not\": \"a list\"}", &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE);
}

/* ---- stored with the answer ---------------------------------------------- */

static void
count_cb (guint *count)
{
  (*count)++;
}

static ByokConversation *
conversation_with_tools (Fixture      *fixture,
                         ByokMessage **answer_out)
{
  g_autoptr(GError) error = NULL;
  ByokConversation *conversation;
  g_autoptr(ByokMessage) question = byok_message_new (BYOK_MESSAGE_ROLE_USER, "What is in a b.txt?");
  g_autoptr(ByokMessage) answer = byok_message_new (BYOK_MESSAGE_ROLE_ASSISTANT, "");
  g_autoptr(ByokToolBlock) read = make_block ("call_1", "files", "read_file", "{\"path\":\"a b.txt\"}",
                                              BYOK_TOOL_BLOCK_RUNNING, NULL, 1, 0.0031);
  g_autoptr(ByokToolBlock) shell = make_block ("call_2", "shell", "run</summary><b>x</b>", "{\"cmd\":\"ls ```\"}",
                                               BYOK_TOOL_BLOCK_RUNNING, NULL, 1, 0.0031);
  guint notified = 0;

  conversation = byok_conversation_store_create (fixture->store, "Tools", "openai", "gpt-4o-mini", &error);
  g_assert_no_error (error);
  g_assert_true (byok_conversation_store_append_message (fixture->store, conversation, question, &error));
  byok_message_set_status (answer, BYOK_MESSAGE_STATUS_STREAMING);
  g_assert_true (byok_conversation_store_append_message (fixture->store, conversation, answer, &error));
  g_assert_null (byok_message_get_tool_blocks (answer));

  g_signal_connect_swapped (answer, "notify::tool-blocks", G_CALLBACK (count_cb), &notified);
  byok_message_add_tool_block (answer, read);
  byok_message_add_tool_block (answer, shell);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_true (byok_message_finish_tool_block (answer, "call_1", BYOK_TOOL_BLOCK_DONE, "hello ```\nworld"));
  g_assert_false (byok_message_finish_tool_block (answer, "call_9", BYOK_TOOL_BLOCK_DONE, "nobody"));
  g_assert_true (byok_message_finish_tool_block (answer, "call_2", BYOK_TOOL_BLOCK_DENIED, "The person refused this call."));
  g_assert_cmpuint (notified, ==, 4);
  byok_message_set_content (answer, "It says hello world.");
  byok_message_set_status (answer, BYOK_MESSAGE_STATUS_COMPLETE);
  g_assert_true (byok_conversation_store_save_message (fixture->store, answer, &error));
  g_assert_no_error (error);
  g_signal_handlers_disconnect_matched (answer, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, &notified);
  if (answer_out != NULL)
    *answer_out = g_object_ref (answer);
  return conversation;
}

static GListModel *
messages_after_restart (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  ByokConversation *conversation;
  GListModel *messages;

  byok_test_conversations_reopen (fixture);
  conversation = g_list_model_get_item (byok_conversation_store_get_conversations (fixture->store), 0);
  messages = byok_conversation_store_get_messages (fixture->store, conversation, &error);
  g_assert_no_error (error);
  g_object_unref (conversation);
  return messages;
}

static void
test_store_restart (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(ByokConversation) conversation = conversation_with_tools (fixture, NULL);
  g_autoptr(GListModel) messages = NULL;
  g_autoptr(ByokMessage) question = NULL;
  g_autoptr(ByokMessage) answer = NULL;
  GPtrArray *blocks;

  g_clear_object (&conversation);
  messages = messages_after_restart (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 2);
  question = g_list_model_get_item (messages, 0);
  answer = g_list_model_get_item (messages, 1);
  g_assert_null (byok_message_get_tool_blocks (question));
  blocks = byok_message_get_tool_blocks (answer);
  g_assert_nonnull (blocks);
  g_assert_cmpuint (blocks->len, ==, 2);
  assert_block (g_ptr_array_index (blocks, 0), "call_1", "read_file", BYOK_TOOL_BLOCK_DONE, "hello ```\nworld");
  assert_block (g_ptr_array_index (blocks, 1), "call_2", "run</summary><b>x</b>", BYOK_TOOL_BLOCK_DENIED,
                "The person refused this call.");
  g_assert_cmpfloat_with_epsilon (((ByokToolBlock *) g_ptr_array_index (blocks, 0))->step_cost_usd, 0.0031, 1e-12);
  g_assert_cmpstr (byok_message_get_content (answer), ==, "It says hello world.");
}

/* The app quits while a tool waits for the person: after a restart the
 * block says it stopped, not that it still runs. */
static void
test_store_stopped (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokMessage) answer = NULL;
  g_autoptr(ByokConversation) conversation = conversation_with_tools (fixture, &answer);
  g_autoptr(ByokToolBlock) pending = make_block ("call_3", "files", "write_file", "{}",
                                                 BYOK_TOOL_BLOCK_RUNNING, NULL, 2, NAN);
  g_autoptr(GListModel) messages = NULL;
  g_autoptr(ByokMessage) restored = NULL;
  GPtrArray *blocks;

  byok_message_add_tool_block (answer, pending);
  byok_message_set_status (answer, BYOK_MESSAGE_STATUS_STREAMING);
  g_assert_true (byok_conversation_store_save_message (fixture->store, answer, &error));
  g_clear_object (&answer);
  g_clear_object (&conversation);

  messages = messages_after_restart (fixture);
  restored = g_list_model_get_item (messages, 1);
  g_assert_cmpstr (byok_message_get_status (restored), ==, BYOK_MESSAGE_STATUS_PARTIAL);
  blocks = byok_message_get_tool_blocks (restored);
  g_assert_cmpuint (blocks->len, ==, 3);
  assert_block (g_ptr_array_index (blocks, 2), "call_3", "write_file", BYOK_TOOL_BLOCK_STOPPED, NULL);

  byok_message_set_tool_blocks (restored, NULL);
  g_assert_null (byok_message_get_tool_blocks (restored));
}

/* ---- exports ------------------------------------------------------------- */

static char *
export_to_string (Fixture                      *fixture,
                  ByokConversation             *conversation,
                  ByokConversationExportFormat  format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();

  g_assert_true (byok_conversation_store_export (fixture->store, conversation, format, stream, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (stream, "", 1, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (stream, NULL, NULL));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
}

static void
test_export (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(ByokConversation) conversation = conversation_with_tools (fixture, NULL);
  g_autofree char *markdown = export_to_string (fixture, conversation, BYOK_CONVERSATION_EXPORT_MARKDOWN);
  g_autofree char *json = export_to_string (fixture, conversation, BYOK_CONVERSATION_EXPORT_JSON);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *expected[] = {
    "<details>\n<summary>read_file on files · Allowed · $0.0031</summary>",
    "Arguments:\n\n```json\n{\n  \"path\" : \"a b.txt\"\n}\n```",
    "Result:\n\n````\nhello ```\nworld\n````",
    "</details>",
    /* A tool's name is text, never markup that closes the summary. */
    "<summary>run&lt;/summary&gt;&lt;b&gt;x&lt;/b&gt; on shell · Denied · $0.0031</summary>",
    "````json\n{\n  \"cmd\" : \"ls ```\"\n}\n````",
    "It says hello world.",
  };
  const char *at = markdown;
  JsonArray *messages, *calls;
  JsonObject *call;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const char *found = strstr (at, expected[i]);

      if (found == NULL)
        g_error ("Missing (in order) from the Markdown export: %s\n---\n%s", expected[i], markdown);
      at = found + strlen (expected[i]);
    }

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  messages = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "messages");
  g_assert_false (json_object_has_member (json_array_get_object_element (messages, 0), "tool_calls"));
  calls = json_object_get_array_member (json_array_get_object_element (messages, 1), "tool_calls");
  g_assert_cmpuint (json_array_get_length (calls), ==, 2);
  call = json_array_get_object_element (calls, 0);
  g_assert_cmpstr (json_object_get_string_member (call, "server"), ==, "files");
  g_assert_cmpstr (json_object_get_string_member (call, "tool"), ==, "read_file");
  g_assert_cmpstr (json_object_get_string_member (call, "arguments"), ==, "{\"path\":\"a b.txt\"}");
  g_assert_cmpstr (json_object_get_string_member (call, "result"), ==, "hello ```\nworld");
  g_assert_cmpstr (json_object_get_string_member (call, "state"), ==, "done");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (calls, 1), "state"), ==, "denied");
}

#define add_test(path, func) \
  g_test_add ((path), Fixture, NULL, byok_test_conversations_set_up, (func), byok_test_conversations_tear_down)

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tool-blocks/json", test_json_round_trip);
  add_test ("/tool-blocks/store/restart", test_store_restart);
  add_test ("/tool-blocks/store/stopped", test_store_stopped);
  add_test ("/tool-blocks/export", test_export);
  return g_test_run ();
}
