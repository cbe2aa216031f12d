/* byok-test-replies.c — the OpenAI-style streams tests script */
#include "config.h"

#include <json-glib/json-glib.h>

#include "byok-test-replies.h"
#include "byok-test-util.h"

/**
 * byok_test_openai_chunk_json:
 * @field: "content" or "reasoning_content"
 *
 * Returns: (transfer full): an OpenAI stream chunk whose delta has @text
 *   in @field
 */
char *
byok_test_openai_chunk_json (const char *field,
                             const char *text)
{
  g_autofree char *escaped = g_strescape (text, NULL);

  return g_strdup_printf ("{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\","
                          "\"choices\":[{\"index\":0,\"delta\":{\"%s\":\"%s\"},\"finish_reason\":null}]}",
                          field, escaped);
}

static void
add_stop (ByokTestReply *reply)
{
  byok_test_reply_add_sse_event (reply, NULL,
    "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\","
    "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
}

/**
 * byok_test_reply_new_openai_text:
 *
 * Returns: (transfer full): an OpenAI-style stream of @text in one chunk,
 *   its finish and 12 in / 30 out tokens
 */
ByokTestReply *
byok_test_reply_new_openai_text (const char *text)
{
  g_autofree char *chunk = byok_test_openai_chunk_json ("content", text);
  ByokTestReply *reply = byok_test_reply_new_sse (chunk, NULL);

  add_stop (reply);
  byok_test_reply_add_sse_event (reply, NULL,
    "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
    "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":30,\"total_tokens\":42}}");
  byok_test_reply_add_sse_event (reply, NULL, "[DONE]");
  return reply;
}

/**
 * byok_test_reply_new_openai_answer:
 * @reasoning: (nullable): reasoning before the text
 * @hold_before_end: whether the stream stops after the text, held until
 *   byok_test_server_release_held()
 *
 * Returns: (transfer full): an OpenAI-style stream: the assistant's role,
 *   the reasoning, @text word by word, the finish and the usage — or,
 *   held, only the text
 */
ByokTestReply *
byok_test_reply_new_openai_answer (const char *reasoning,
                                   const char *text,
                                   gint64      input_tokens,
                                   gint64      cached_tokens,
                                   gint64      output_tokens,
                                   gboolean    hold_before_end)
{
  ByokTestReply *reply = byok_test_reply_new_sse (
    "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\","
    "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}",
    NULL);
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  g_autofree char *usage = NULL;

  if (reasoning != NULL)
    {
      g_autofree char *chunk = byok_test_openai_chunk_json ("reasoning_content", reasoning);
      byok_test_reply_add_sse_event (reply, NULL, chunk);
    }
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *piece = g_strconcat (i > 0 ? " " : "", words[i], NULL);
      g_autofree char *chunk = byok_test_openai_chunk_json ("content", piece);
      byok_test_reply_add_sse_event (reply, NULL, chunk);
    }
  if (hold_before_end)
    {
      byok_test_reply_set_hold (reply, TRUE);
      return reply;
    }
  add_stop (reply);
  usage = g_strdup_printf ("{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
                           "\"usage\":{\"prompt_tokens\":%" G_GINT64_FORMAT ",\"completion_tokens\":%" G_GINT64_FORMAT ","
                           "\"total_tokens\":%" G_GINT64_FORMAT ","
                           "\"prompt_tokens_details\":{\"cached_tokens\":%" G_GINT64_FORMAT "}}}",
                           input_tokens, output_tokens, input_tokens + output_tokens, cached_tokens);
  byok_test_reply_add_sse_event (reply, NULL, usage);
  byok_test_reply_add_sse_event (reply, NULL, "[DONE]");
  return reply;
}

/**
 * byok_test_reply_new_echo_step:
 * @call_tool: whether the model calls test__echo {"text": "hi"} (the test
 *   MCP server's tool), or answers @text
 * @split_arguments: whether the call's arguments come in a chunk after its
 *   name
 *
 * Returns: (transfer full): an OpenAI stream of one step of a tool loop,
 *   1000 in / 100 out tokens
 */
ByokTestReply *
byok_test_reply_new_echo_step (gboolean    call_tool,
                               const char *text,
                               gboolean    split_arguments)
{
  ByokTestReply *reply = byok_test_reply_new_sse (
    "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}",
    NULL);

  if (call_tool && split_arguments)
    {
      byok_test_reply_add_sse_event (reply, NULL,
        "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_echo_1\","
        "\"type\":\"function\",\"function\":{\"name\":\"test__echo\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}");
      byok_test_reply_add_sse_event (reply, NULL,
        "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
        "\"function\":{\"arguments\":\"{\\\"text\\\": \\\"hi\\\"}\"}}]},\"finish_reason\":null}]}");
    }
  else if (call_tool)
    byok_test_reply_add_sse_event (reply, NULL,
      "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_echo_1\","
      "\"type\":\"function\",\"function\":{\"name\":\"test__echo\",\"arguments\":\"{\\\"text\\\": \\\"hi\\\"}\"}}]},"
      "\"finish_reason\":null}]}");
  if (call_tool)
    byok_test_reply_add_sse_event (reply, NULL,
      "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}");
  else
    {
      g_autofree char *event = g_strdup_printf ("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},"
                                                "\"finish_reason\":\"stop\"}]}", text);
      byok_test_reply_add_sse_event (reply, NULL, event);
    }
  byok_test_reply_add_sse_event (reply, NULL,
    "{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":100}}");
  byok_test_reply_add_sse_event (reply, NULL, "[DONE]");
  return reply;
}

/**
 * byok_test_reply_new_sse_body:
 * @body: a whole event stream
 * @split: the size of the pieces it is sent in; 0: as it comes
 *
 * Returns: (transfer full): a 200 event stream of @body
 */
ByokTestReply *
byok_test_reply_new_sse_body (const char *body,
                              gsize       split)
{
  ByokTestReply *reply = byok_test_reply_new (200);

  byok_test_reply_add_header (reply, "Content-Type", "text/event-stream");
  byok_test_reply_add_chunk (reply, body);
  if (split > 0)
    byok_test_reply_set_split (reply, split);
  return reply;
}

/**
 * byok_test_reply_new_sse_fixture:
 * @folder: the folder under tests/fixtures ("openai")
 * @split: the size of the pieces it is sent in; 0: as it comes
 *
 * Returns: (transfer full): a 200 event stream of the fixture's bytes
 */
ByokTestReply *
byok_test_reply_new_sse_fixture (const char *folder,
                                 const char *name,
                                 gsize       split)
{
  g_autofree char *body = byok_test_read_fixture (folder, name);

  return byok_test_reply_new_sse_body (body, split);
}

/**
 * byok_test_reply_new_openai_models:
 *
 * Returns: (transfer full): OpenAI's model list (gpt-4o, gpt-4o-mini,
 *   o4-mini), given as often as asked
 */
ByokTestReply *
byok_test_reply_new_openai_models (void)
{
  ByokTestReply *reply = byok_test_reply_new_json (200, "{\"object\": \"list\", \"data\": ["
                                                        "{\"id\": \"gpt-4o\", \"object\": \"model\"},"
                                                        "{\"id\": \"gpt-4o-mini\", \"object\": \"model\"},"
                                                        "{\"id\": \"o4-mini\", \"object\": \"model\"}]}");

  byok_test_reply_set_repeat (reply, TRUE);
  return reply;
}

/**
 * byok_test_last_tool_message:
 * @call_id: the id of the call it answers (call_echo_1 for
 *   byok_test_reply_new_echo_step())
 *
 * Returns: (transfer full): the content of the last message of the last
 *   request @server got, which must be the tool's answer to @call_id
 */
char *
byok_test_last_tool_message (ByokTestServer *server,
                             const char     *call_id)
{
  ByokTestRequest *request = byok_test_server_get_last_request (server);
  g_autoptr(JsonNode) root = json_from_string (g_bytes_get_data (request->body, NULL), NULL);
  JsonArray *messages = json_object_get_array_member (json_node_get_object (root), "messages");
  JsonObject *last = json_array_get_object_element (messages, json_array_get_length (messages) - 1);

  g_assert_cmpstr (json_object_get_string_member (last, "role"), ==, "tool");
  g_assert_cmpstr (json_object_get_string_member (last, "tool_call_id"), ==, call_id);
  return g_strdup (json_object_get_string_member (last, "content"));
}
