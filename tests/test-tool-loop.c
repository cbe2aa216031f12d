/* test-tool-loop.c — function calling through the engine: the model asks
 * for tools, a runner (a test one here; the app's asks the person) runs
 * them in parallel, the results go back and the model answers; denied
 * and failed calls, the step limit, stopping mid-tool. Every step is an
 * attempt with its own usage row, and the result's usage and cost are
 * their sum. Real SQLite in a temporary folder, the provider test server
 * on 127.0.0.1. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "byok-engine.h"
#include "byok-error.h"
#include "byok-json.h"
#include "byok-test-replies.h"
#include "byok-test-engine.h"
#include "byok-test-server.h"
#include "byok-test-util.h"
#include "byok-tool-runner.h"

#define OPENAI_KEY    "sk-test-fake-tools-openai-0001"
#define ANTHROPIC_KEY "sk-ant-test-fake-tools-0002"
#define GEMINI_KEY    "AIza-test-fake-tools-gemini-0003"
#define CHAT_PATH      "/v1/chat/completions"
#define MESSAGES_PATH  "/v1/messages"
#define GEMINI_PATH    "/v1beta/models/gemini-2.5-flash:streamGenerateContent"

/* ---- a tool runner for tests --------------------------------------------- */

/* "deny_me" is refused, "broken" fails, "hang" runs until it is stopped;
 * any other tool answers "NAME ran with ARGUMENTS" on the next turn of
 * the main loop, so the calls of one answer overlap. */
#define TEST_TYPE_RUNNER (test_runner_get_type ())
G_DECLARE_FINAL_TYPE (TestRunner, test_runner, TEST, RUNNER, GObject)

struct _TestRunner
{
  GObject  parent_instance;
  guint    running;
  guint    max_running;
  guint    n_runs;
  guint    n_cancelled;
};

static void test_runner_iface_init (ByokToolRunnerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestRunner, test_runner, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BYOK_TYPE_TOOL_RUNNER, test_runner_iface_init))

static void
runner_return (GTask          *task,
               ByokToolResult *result,
               GError         *error)
{
  TestRunner *self = g_task_get_source_object (task);

  self->running--;
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) byok_tool_result_free);
}

static gboolean
runner_answer (gpointer data)
{
  GTask *task = data;
  const ByokToolCall *call = g_task_get_task_data (task);
  g_autofree char *text = g_strdup_printf ("%s ran with %s", call->name, call->arguments);

  runner_return (task, byok_tool_result_new (call, text, FALSE), NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
runner_stopped (gpointer data)
{
  GTask *task = data;
  TestRunner *self = g_task_get_source_object (task);

  self->n_cancelled++;
  runner_return (task, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Stopped"));
  return G_SOURCE_REMOVE;
}

static void
runner_cancelled (GCancellable *cancellable,
                  GTask        *task)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, runner_stopped, g_object_ref (task), g_object_unref);
}

static gboolean
stop_answer (gpointer cancellable)
{
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

static void
test_runner_run_async (ByokToolRunner      *runner,
                       const ByokToolCall  *call,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  TestRunner *self = TEST_RUNNER (runner);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_task_data (task, byok_tool_call_copy (call), (GDestroyNotify) byok_tool_call_free);
  self->n_runs++;
  self->running++;
  self->max_running = MAX (self->max_running, self->running);

  if (g_str_equal (call->name, "deny_me"))
    runner_return (task, byok_tool_result_new_denied (call, NULL), NULL);
  else if (g_str_equal (call->name, "broken"))
    runner_return (task, NULL, g_error_new_literal (BYOK_ERROR, BYOK_ERROR_INVALID, "The tool broke."));
  else if (g_str_equal (call->name, "hang"))
    {
      g_assert_nonnull (cancellable);
      g_cancellable_connect (cancellable, G_CALLBACK (runner_cancelled), g_object_ref (task), g_object_unref);
      /* The person stops the answer while "hang" runs. */
      g_idle_add_full (G_PRIORITY_DEFAULT, stop_answer, g_object_ref (cancellable), g_object_unref);
    }
  else
    g_idle_add_full (G_PRIORITY_DEFAULT, runner_answer, g_object_ref (task), g_object_unref);
}

static ByokToolResult *
test_runner_run_finish (ByokToolRunner  *runner,
                        GAsyncResult    *result,
                        GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_runner_iface_init (ByokToolRunnerInterface *iface)
{
  iface->run_async = test_runner_run_async;
  iface->run_finish = test_runner_run_finish;
}

static void
test_runner_class_init (TestRunnerClass *klass)
{
}

static void
test_runner_init (TestRunner *self)
{
}

/* ---- the fixture --------------------------------------------------------- */

typedef struct {
  char           *dir;
  ByokTestServer *server;
  ByokEngine     *engine;
  TestRunner     *runner;
  GString        *text;
  GPtrArray      *calls_seen;    /* "NAME ARGUMENTS" per "tool-call" */
  GPtrArray      *results_seen;  /* "NAME CONTENT" per "tool-result" */
  GCancellable   *cancellable;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char *env[] = { "OPENAI_API_KEY=" OPENAI_KEY, "ANTHROPIC_API_KEY=" ANTHROPIC_KEY,
                        "GEMINI_API_KEY=" GEMINI_KEY, NULL };

  f->server = byok_test_server_new ();
  f->engine = byok_test_engine_new_served ("tools", &f->dir, env, f->server, "openai", "anthropic", "gemini", NULL);
  byok_client_set_backoff_base_ms (byok_engine_get_client (f->engine), 5);

  f->runner = g_object_new (TEST_TYPE_RUNNER, NULL);
  f->text = g_string_new (NULL);
  f->calls_seen = g_ptr_array_new_with_free_func (g_free);
  f->results_seen = g_ptr_array_new_with_free_func (g_free);
  f->cancellable = g_cancellable_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->engine);
  g_clear_object (&f->server);
  g_clear_object (&f->runner);
  g_clear_object (&f->cancellable);
  byok_test_remove_tree (f->dir);
  g_free (f->dir);
  g_string_free (f->text, TRUE);
  g_ptr_array_unref (f->calls_seen);
  g_ptr_array_unref (f->results_seen);
}

/* ---- helpers ------------------------------------------------------------- */

/* An answer, streamed, that calls @names (NULL-terminated) with
 * {"n": i}, or says @text when @names is empty; cut every 7 bytes. */
static ByokTestReply *
answer_reply (const char         *text,
              const char * const *names)
{
  ByokTestReply *reply = byok_test_reply_new (200);
  g_autoptr(GString) calls = g_string_new (NULL);

  byok_test_reply_add_header (reply, "Content-Type", "text/event-stream");
  if (text != NULL)
    {
      g_autofree char *event = g_strdup_printf ("{\"id\":\"c\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
                                                "\"delta\":{\"content\":\"%s\"},\"finish_reason\":null}]}", text);
      byok_test_reply_add_sse_event (reply, NULL, event);
    }
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autofree char *event = g_strdup_printf ("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":"
                                                "[{\"index\":%u,\"id\":\"call_%s_%u\",\"type\":\"function\","
                                                "\"function\":{\"name\":\"%s\",\"arguments\":\"{\\\"n\\\":%u}\"}}]},"
                                                "\"finish_reason\":null}]}", i, names[i], i, names[i], i);
      byok_test_reply_add_sse_event (reply, NULL, event);
    }
  byok_test_reply_add_sse_event (reply, NULL,
                                 names != NULL && names[0] != NULL
                                   ? "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}"
                                   : "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
  byok_test_reply_add_sse_event (reply, NULL, "{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":10}}");
  byok_test_reply_add_sse_event (reply, NULL, "[DONE]");
  byok_test_reply_set_split (reply, 7);
  return reply;
}

static ByokTestReply *
dialect_reply (const char *dialect,
               const char *name)
{
  return byok_test_reply_new_sse_fixture (dialect, name, 1);
}

static ByokTestReply *
fixture_reply (const char *name)
{
  return dialect_reply ("openai", name);
}

static void
on_delta (ByokChatCall *call,
          const char   *text,
          Fixture      *f)
{
  g_string_append (f->text, text);
}

static void
on_tool_call (ByokChatCall       *call,
              const ByokToolCall *tool_call,
              Fixture            *f)
{
  g_ptr_array_add (f->calls_seen, g_strdup_printf ("%s %s", tool_call->name, tool_call->arguments));
}

static void
on_tool_result (ByokChatCall         *call,
                const ByokToolCall   *tool_call,
                const ByokToolResult *result,
                Fixture              *f)
{
  g_assert_cmpstr (result->call_id, ==, tool_call->id);
  g_ptr_array_add (f->results_seen, g_strdup_printf ("%s %s", result->name, result->content));
}

static ByokChatRequest *
tools_request (void)
{
  ByokChatRequest *request = byok_chat_request_new_simple ("gpt-4o-mini", NULL, "Weather in Paris?");
  const char *names[] = { "get_weather", "get_time", "deny_me", "broken", "hang" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(ByokToolSpec) spec = byok_tool_spec_new (names[i], "A test tool",
                                                         "{\"type\":\"object\",\"properties\":{}}");
      byok_chat_request_add_tool (request, spec);
    }
  return request;
}

/* Runs @call to its end, stopped by the fixture's cancellable. */
static ByokChatResult *
run_call (Fixture      *f,
          ByokChatCall *call)
{
  g_autoptr(GAsyncResult) async = NULL;

  byok_chat_call_run_async (call, f->cancellable, byok_test_store_result, &async);
  byok_test_wait_result (&async);
  return byok_chat_call_run_finish (call, async);
}

static ByokChatResult *
run_tools_on (Fixture         *f,
              const char      *provider_id,
              ByokChatRequest *request)
{
  g_autoptr(ByokChatCall) call = byok_engine_new_chat (f->engine, request, provider_id, NULL, NULL, 0);

  byok_chat_call_set_tool_runner (call, BYOK_TOOL_RUNNER (f->runner));
  g_assert_true (byok_chat_call_get_tool_runner (call) == BYOK_TOOL_RUNNER (f->runner));
  g_signal_connect (call, "delta", G_CALLBACK (on_delta), f);
  g_signal_connect (call, "tool-call", G_CALLBACK (on_tool_call), f);
  g_signal_connect (call, "tool-result", G_CALLBACK (on_tool_result), f);
  return run_call (f, call);
}

static ByokChatResult *
run_tools (Fixture         *f,
           ByokChatRequest *request)
{
  return run_tools_on (f, "openai", request);
}

static JsonObject *
request_body (Fixture    *f,
              guint       index,
              JsonNode  **node)
{
  ByokTestRequest *request = byok_test_server_get_request (f->server, index);
  gsize len;
  const char *data = g_bytes_get_data (request->body, &len);

  *node = byok_json_parse (data, len, NULL);
  g_assert_nonnull (*node);
  return json_node_get_object (*node);
}

static JsonObject *
message_at (JsonObject *body,
            guint       index)
{
  JsonArray *messages = json_object_get_array_member (body, "messages");

  g_assert_cmpuint (index, <, json_array_get_length (messages));
  return json_array_get_object_element (messages, index);
}

/* Member @member of the object at @index of @array. */
static const char *
element_string (JsonArray  *array,
                guint       index,
                const char *member)
{
  g_assert_cmpuint (index, <, json_array_get_length (array));
  return json_object_get_string_member (json_array_get_object_element (array, index), member);
}

/* Every attempt is a row, and the result's cost is their sum. */
static void
assert_rows_sum (Fixture        *f,
                 ByokChatResult *result,
                 guint           n_rows)
{
  g_autoptr(GPtrArray) rows = byok_test_engine_list_rows (f->engine);
  double sum = 0;

  g_assert_cmpuint (rows->len, ==, n_rows);
  g_assert_cmpuint (result->attempts->len, ==, n_rows);
  for (guint i = 0; i < rows->len; i++)
    {
      ByokUsageRecord *row = g_ptr_array_index (rows, i);
      ByokAttempt *attempt = g_ptr_array_index (result->attempts, i);

      g_assert_cmpint (attempt->usage_id, ==, row->id);
      g_assert_true (row->price_known);
      g_assert_cmpfloat (row->cost_usd, >, 0);
      g_assert_cmpfloat (attempt->cost_usd, ==, row->cost_usd);
      sum += row->cost_usd;
    }
  g_assert_true (result->cost_known);
  g_assert_cmpfloat_with_epsilon (result->cost_usd, sum, 1e-12);
}

/* ---- tests --------------------------------------------------------------- */

static void
test_loop_two_parallel_calls (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(ByokChatRequest) request = tools_request ();
  g_autoptr(ByokChatResult) result = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonNode) first_node = NULL;
  g_autoptr(JsonNode) second_node = NULL;
  JsonObject *body, *message;
  JsonArray *calls;
  ByokToolUse *use;

  byok_test_server_add_reply (f->server, CHAT_PATH, fixture_reply ("stream-tool-calls.sse"));
  byok_test_server_add_reply (f->server, CHAT_PATH, fixture_reply ("stream-after-tools.sse"));
  result = run_tools (f, request);

  g_assert_no_error (result->error);
  g_assert_cmpint (result->finish_reason, ==, BYOK_FINISH_STOP);
  /* Both steps' text, as the deltas delivered it. */
  g_assert_cmpstr (result->text->str, ==, "Let me look.\n\nParis: 18 °C, sunny.");
  g_assert_cmpstr (f->text->str, ==, result->text->str);
  g_assert_cmpuint (result->steps, ==, 2);
  g_assert_cmpuint (result->tool_calls->len, ==, 0);

  /* Both calls ran, at once. */
  g_assert_cmpuint (f->runner->n_runs, ==, 2);
  g_assert_cmpuint (f->runner->max_running, ==, 2);
  g_assert_cmpuint (f->calls_seen->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->calls_seen, 0), ==, "get_weather {\"city\": \"Paris\"}");
  g_assert_cmpstr (g_ptr_array_index (f->calls_seen, 1), ==, "get_time {\"zone\":\"Europe/Rome\"}");
  g_assert_cmpuint (f->results_seen->len, ==, 2);
  g_assert_cmpuint (result->tool_uses->len, ==, 2);
  use = g_ptr_array_index (result->tool_uses, 0);
  g_assert_cmpuint (use->step, ==, 1);
  g_assert_cmpstr (use->call->id, ==, "call_weather_1");
  g_assert_cmpstr (use->result->call_id, ==, "call_weather_1");
  g_assert_cmpstr (use->result->content, ==, "get_weather ran with {\"city\": \"Paris\"}");
  g_assert_false (use->result->is_error);
  use = g_ptr_array_index (result->tool_uses, 1);
  g_assert_cmpstr (use->result->content, ==, "get_time ran with {\"zone\":\"Europe/Rome\"}");

  /* The first request offers the tools; the second sends the answer that
   * called them and both results, in order. */
  g_assert_cmpuint (byok_test_server_count_path (f->server, CHAT_PATH), ==, 2);
  body = request_body (f, 0, &first_node);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body, "tools")), ==, 5);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body, "messages")), ==, 1);
  body = request_body (f, 1, &second_node);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body, "tools")), ==, 5);
  g_assert_false (json_object_has_member (body, "tool_choice"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body, "messages")), ==, 4);
  message = message_at (body, 1);
  g_assert_cmpstr (json_object_get_string_member (message, "role"), ==, "assistant");
  g_assert_cmpstr (json_object_get_string_member (message, "content"), ==, "Let me look.");
  calls = json_object_get_array_member (message, "tool_calls");
  g_assert_cmpuint (json_array_get_length (calls), ==, 2);
  g_assert_cmpstr (element_string (calls, 0, "id"), ==, "call_weather_1");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_array_get_object_element (calls, 0), "function"), "arguments"), ==,
                   "{\"city\": \"Paris\"}");
  message = message_at (body, 2);
  g_assert_cmpstr (json_object_get_string_member (message, "role"), ==, "tool");
  g_assert_cmpstr (json_object_get_string_member (message, "tool_call_id"), ==, "call_weather_1");
  g_assert_cmpstr (json_object_get_string_member (message, "content"), ==, "get_weather ran with {\"city\": \"Paris\"}");
  message = message_at (body, 3);
  g_assert_cmpstr (json_object_get_string_member (message, "tool_call_id"), ==, "call_time_2");

  /* One row per step; the usage is their sum. */
  assert_rows_sum (f, result, 2);
  rows = byok_test_engine_list_rows (f->engine);
  g_assert_cmpint (((ByokUsageRecord *) g_ptr_array_index (rows, 0))->input_tokens, ==, 120);
  g_assert_cmpint (((ByokUsageRecord *) g_ptr_array_index (rows, 1))->input_tokens, ==, 200);
  g_assert_cmpstr (((ByokUsageRecord *) g_ptr_array_index (rows, 1))->status, ==, "ok");
  g_assert_cmpint (result->usage.input_tokens, ==, 320);
  g_assert_cmpint (result->usage.output_tokens, ==, 40);
}

static void
test_loop_denied_and_failed (Fixture       *f,
                             gconstpointer  data)
{
  const char *names[] = { "deny_me", "broken", NULL };
  g_autoptr(ByokChatRequest) request = tools_request ();
  g_autoptr(ByokChatResult) result = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *body;
  ByokToolUse *use;

  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, names));
  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply ("Sorry.", NULL));
  result = run_tools (f, request);

  g_assert_no_error (result->error);
  g_assert_cmpstr (result->text->str, ==, "Sorry.");
  g_assert_cmpuint (result->steps, ==, 2);
  g_assert_cmpuint (result->tool_uses->len, ==, 2);
  use = g_ptr_array_index (result->tool_uses, 0);
  g_assert_true (use->result->denied);
  g_assert_true (use->result->is_error);
  use = g_ptr_array_index (result->tool_uses, 1);
  g_assert_false (use->result->denied);
  g_assert_true (use->result->is_error);
  g_assert_cmpstr (use->result->content, ==, "The tool broke.");

  /* The model is told: refused, and the error's message. */
  body = request_body (f, 1, &node);
  g_assert_cmpstr (json_object_get_string_member (message_at (body, 2), "tool_call_id"), ==, "call_deny_me_0");
  g_assert_nonnull (strstr (json_object_get_string_member (message_at (body, 2), "content"), "denied"));
  g_assert_cmpstr (json_object_get_string_member (message_at (body, 3), "tool_call_id"), ==, "call_broken_1");
  g_assert_cmpstr (json_object_get_string_member (message_at (body, 3), "content"), ==, "The tool broke.");
  assert_rows_sum (f, result, 2);
}

static void
test_loop_step_limit (Fixture       *f,
                      gconstpointer  data)
{
  const char *names[] = { "get_weather", NULL };
  g_autoptr(ByokChatRequest) request = tools_request ();
  g_autoptr(ByokChatResult) result = NULL;
  g_autoptr(JsonNode) first_node = NULL;
  g_autoptr(JsonNode) second_node = NULL;
  g_autoptr(JsonNode) third_node = NULL;

  /* Two rounds allowed; the model would go on for ever. */
  request->max_tool_steps = 2;
  for (guint i = 0; i < 3; i++)
    byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply ("Again.", names));
  result = run_tools (f, request);

  /* Two rounds ran; the third answer was asked with the tools forbidden,
   * and what it still asked for was not run. */
  g_assert_no_error (result->error);
  g_assert_cmpuint (result->steps, ==, 3);
  g_assert_cmpuint (f->runner->n_runs, ==, 2);
  g_assert_cmpuint (result->tool_uses->len, ==, 2);
  g_assert_cmpuint (((ByokToolUse *) g_ptr_array_index (result->tool_uses, 1))->step, ==, 2);
  g_assert_cmpint (result->finish_reason, ==, BYOK_FINISH_TOOL_CALLS);
  g_assert_cmpuint (result->tool_calls->len, ==, 1);
  g_assert_cmpstr (result->text->str, ==, "Again.\n\nAgain.\n\nAgain.");
  g_assert_cmpuint (byok_test_server_count_path (f->server, CHAT_PATH), ==, 3);
  g_assert_false (json_object_has_member (request_body (f, 0, &first_node), "tool_choice"));
  g_assert_false (json_object_has_member (request_body (f, 1, &second_node), "tool_choice"));
  g_assert_cmpstr (json_object_get_string_member (request_body (f, 2, &third_node), "tool_choice"), ==, "none");
  assert_rows_sum (f, result, 3);
}

/* A limit of 0: the tools are described, never to be called. */
static void
test_loop_no_rounds (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(ByokChatRequest) request = tools_request ();
  g_autoptr(ByokChatResult) result = NULL;
  g_autoptr(JsonNode) node = NULL;

  request->max_tool_steps = 0;
  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply ("Plain.", NULL));
  result = run_tools (f, request);
  g_assert_no_error (result->error);
  g_assert_cmpstr (result->text->str, ==, "Plain.");
  g_assert_cmpuint (result->steps, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (request_body (f, 0, &node), "tool_choice"), ==, "none");
}

static void
test_loop_cancelled_mid_tool (Fixture       *f,
                              gconstpointer  data)
{
  const char *names[] = { "get_weather", "hang", NULL };
  g_autoptr(ByokChatRequest) request = tools_request ();
  g_autoptr(ByokChatResult) result = NULL;
  ByokToolUse *use;

  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply ("Looking.", names));
  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply ("Never sent.", NULL));
  result = run_tools (f, request);

  /* Stopped while "hang" ran: it was cancelled, nothing more was asked. */
  g_assert_error (result->error, BYOK_ERROR, BYOK_ERROR_CANCELLED);
  g_assert_cmpint (result->finish_reason, ==, BYOK_FINISH_CANCELLED);
  g_assert_cmpuint (f->runner->n_cancelled, ==, 1);
  g_assert_cmpuint (byok_test_server_count_path (f->server, CHAT_PATH), ==, 1);
  g_assert_cmpstr (result->text->str, ==, "Looking.");
  g_assert_cmpuint (result->steps, ==, 1);
  g_assert_cmpuint (result->tool_uses->len, ==, 2);
  use = g_ptr_array_index (result->tool_uses, 1);
  g_assert_cmpstr (use->call->name, ==, "hang");
  g_assert_null (use->result);
  /* The step that was answered is recorded and paid for. */
  assert_rows_sum (f, result, 1);
}

/* @reply's answer asks for a tool whose arguments are complete, then the
 * stream stalls: "tool-call" has come for it already (its block shows at
 * once), with its arguments and an id, and for nothing else; nothing
 * runs before the answer ends. Stopped, nothing ran. */
static void
expect_announced_mid_stream (Fixture       *f,
                             const char    *provider_id,
                             const char    *model,
                             const char    *path,
                             ByokTestReply *reply,
                             const char    *expected)
{
  g_autoptr(ByokChatRequest) request = tools_request ();
  g_autoptr(ByokChatCall) call = NULL;
  g_autoptr(GAsyncResult) async = NULL;
  g_autoptr(ByokChatResult) result = NULL;

  byok_chat_request_set_model (request, model);
  byok_test_reply_set_hold (reply, TRUE);
  byok_test_server_add_reply (f->server, path, reply);
  call = byok_engine_new_chat (f->engine, request, provider_id, NULL, NULL, 0);
  byok_chat_call_set_tool_runner (call, BYOK_TOOL_RUNNER (f->runner));
  g_signal_connect (call, "tool-call", G_CALLBACK (on_tool_call), f);
  g_ptr_array_set_size (f->calls_seen, 0);
  g_cancellable_reset (f->cancellable);
  byok_chat_call_run_async (call, f->cancellable, byok_test_store_result, &async);
  while (f->calls_seen->len == 0 && async == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (async);
  g_assert_cmpuint (f->calls_seen->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->calls_seen, 0), ==, expected);
  g_assert_cmpuint (f->runner->n_runs, ==, 0);

  g_cancellable_cancel (f->cancellable);
  byok_test_wait_result (&async);
  result = byok_chat_call_run_finish (call, async);
  g_assert_error (result->error, BYOK_ERROR, BYOK_ERROR_CANCELLED);
  g_assert_cmpuint (f->calls_seen->len, ==, 1);
  g_assert_cmpuint (f->runner->n_runs, ==, 0);
  byok_test_server_release_held (f->server);
}

static void
test_loop_announced_mid_stream (Fixture       *f,
                                gconstpointer  data)
{
  /* OpenAI: the next call's index closes the first. */
  expect_announced_mid_stream (f, "openai", "gpt-4o-mini", CHAT_PATH, byok_test_reply_new_sse_body (
    "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\","
    "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\"}}]}}]}\n\n"
    "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
    "\"function\":{\"arguments\":\" \\\"Paris\\\"}\"}}]}}]}\n\n"
    "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\","
    "\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"arguments\":\"{\\\"zone\\\":\"}}]}}]}\n\n", 7),
    "get_weather {\"city\": \"Paris\"}");

  /* Anthropic: content_block_stop closes the tool_use block. */
  expect_announced_mid_stream (f, "anthropic", "claude-sonnet-4-6", MESSAGES_PATH, byok_test_reply_new_sse_body (
    "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude-sonnet-4-6\","
    "\"usage\":{\"input_tokens\":50,\"output_tokens\":1}}}\n\n"
    "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
    "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{}}}\n\n"
    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
    "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \\\"Paris\\\"}\"}}\n\n"
    "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n", 7),
    "get_weather {\"city\": \"Paris\"}");

  /* Gemini: a functionCall part comes whole. */
  expect_announced_mid_stream (f, "gemini", "gemini-2.5-flash", GEMINI_PATH, byok_test_reply_new_sse_body (
    "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"get_weather\","
    "\"args\":{\"city\":\"Paris\"}}}]}}],\"modelVersion\":\"gemini-2.5-flash\"}\n\n", 7),
    "get_weather {\"city\":\"Paris\"}");
}

static void
test_loop_without_runner (Fixture       *f,
                          gconstpointer  data)
{
  const char *names[] = { "get_weather", NULL };
  g_autoptr(ByokChatRequest) request = tools_request ();
  g_autoptr(ByokChatCall) call = byok_engine_new_chat (f->engine, request, "openai", NULL, NULL, 0);
  g_autoptr(ByokChatResult) result = NULL;

  /* No runner: the call does not loop, and says what was asked for. */
  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply (NULL, names));
  result = run_call (f, call);
  g_assert_no_error (result->error);
  g_assert_cmpint (result->finish_reason, ==, BYOK_FINISH_TOOL_CALLS);
  g_assert_cmpuint (result->steps, ==, 1);
  g_assert_cmpuint (result->tool_calls->len, ==, 1);
  g_assert_cmpstr (((ByokToolCall *) g_ptr_array_index (result->tool_calls, 0))->arguments, ==, "{\"n\":0}");
  g_assert_cmpuint (result->tool_uses->len, ==, 0);
  assert_rows_sum (f, result, 1);
}

/* Anthropic: the answer goes back as it came — thinking signed, text,
 * tool_use blocks — and the results as tool_result blocks of one user
 * message. */
static void
test_loop_anthropic (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(ByokChatRequest) request = tools_request ();
  g_autoptr(ByokChatResult) result = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *body, *message;
  JsonArray *content;

  byok_chat_request_set_model (request, "claude-sonnet-4-6");
  request->reasoning = TRUE;
  byok_test_server_add_reply (f->server, MESSAGES_PATH, dialect_reply ("anthropic", "stream-tool-use.sse"));
  byok_test_server_add_reply (f->server, MESSAGES_PATH, byok_test_reply_new_sse_body (
    "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\",\"model\":\"claude-sonnet-4-6\","
    "\"usage\":{\"input_tokens\":150,\"output_tokens\":1}}}\n\n"
    "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Sunny.\"}}\n\n"
    "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":5}}\n\n"
    "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n", 7));
  result = run_tools_on (f, "anthropic", request);

  g_assert_no_error (result->error);
  g_assert_cmpstr (result->text->str, ==, "Let me look.\n\nSunny.");
  g_assert_cmpstr (result->reasoning->str, ==, "The weather needs a tool.");
  g_assert_cmpuint (result->steps, ==, 2);
  g_assert_cmpuint (f->runner->max_running, ==, 2);
  g_assert_cmpint (result->usage.input_tokens, ==, 230);
  g_assert_cmpint (result->usage.output_tokens, ==, 47);

  body = request_body (f, 1, &node);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body, "tools")), ==, 5);
  message = message_at (body, 1);
  g_assert_cmpstr (json_object_get_string_member (message, "role"), ==, "assistant");
  content = json_object_get_array_member (message, "content");
  g_assert_cmpuint (json_array_get_length (content), ==, 4);
  g_assert_cmpstr (element_string (content, 0, "type"), ==, "thinking");
  g_assert_cmpstr (element_string (content, 0, "signature"), ==,
                   "RmFrZVNpZ25hdHVyZQ==");
  g_assert_cmpstr (element_string (content, 1, "text"), ==, "Let me look.");
  g_assert_cmpstr (element_string (content, 2, "id"), ==, "toolu_weather_1");
  message = message_at (body, 2);
  g_assert_cmpstr (json_object_get_string_member (message, "role"), ==, "user");
  content = json_object_get_array_member (message, "content");
  g_assert_cmpuint (json_array_get_length (content), ==, 2);
  g_assert_cmpstr (element_string (content, 0, "type"), ==, "tool_result");
  g_assert_cmpstr (element_string (content, 0, "tool_use_id"), ==,
                   "toolu_weather_1");
  g_assert_cmpstr (element_string (content, 0, "content"), ==,
                   "get_weather ran with {\"city\": \"Paris\"}");
  g_assert_cmpstr (element_string (content, 1, "tool_use_id"), ==,
                   "toolu_time_2");
  assert_rows_sum (f, result, 2);
}

/* Gemini: the functionCall parts go back with their thoughtSignature, the
 * results as functionResponse parts; an id Byok made is not sent. */
static void
test_loop_gemini (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(ByokChatRequest) request = tools_request ();
  g_autoptr(ByokChatResult) result = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *body, *turn, *part;
  JsonArray *parts;
  ByokToolUse *use;

  byok_chat_request_set_model (request, "gemini-2.5-flash");
  byok_test_server_add_reply (f->server, GEMINI_PATH, dialect_reply ("gemini", "stream-function-calls.sse"));
  byok_test_server_add_reply (f->server, GEMINI_PATH, byok_test_reply_new_sse_body (
    "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Sunny.\"}]},\"finishReason\":\"STOP\"}],"
    "\"usageMetadata\":{\"promptTokenCount\":90,\"candidatesTokenCount\":2},\"modelVersion\":\"gemini-2.5-flash\"}\n\n", 7));
  result = run_tools_on (f, "gemini", request);

  g_assert_no_error (result->error);
  g_assert_cmpstr (result->text->str, ==, "Let me look.\n\nSunny.");
  g_assert_cmpuint (result->steps, ==, 2);
  g_assert_cmpuint (result->tool_uses->len, ==, 2);
  /* The model gave the first call no id: Byok made one. */
  use = g_ptr_array_index (result->tool_uses, 0);
  g_assert_true (g_str_has_prefix (use->call->id, BYOK_TOOL_CALL_ID_PREFIX));
  g_assert_cmpstr (use->result->call_id, ==, use->call->id);

  body = request_body (f, 1, &node);
  turn = json_array_get_object_element (json_object_get_array_member (body, "contents"), 1);
  g_assert_cmpstr (json_object_get_string_member (turn, "role"), ==, "model");
  parts = json_object_get_array_member (turn, "parts");
  g_assert_cmpuint (json_array_get_length (parts), ==, 3);
  part = json_array_get_object_element (parts, 1);
  g_assert_cmpstr (json_object_get_string_member (part, "thoughtSignature"), ==, "RmFrZUdlbWluaVNpZw==");
  g_assert_false (json_object_has_member (json_object_get_object_member (part, "functionCall"), "id"));
  part = json_array_get_object_element (parts, 2);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (part, "functionCall"), "id"), ==,
                   "fc-time-2");
  turn = json_array_get_object_element (json_object_get_array_member (body, "contents"), 2);
  g_assert_cmpstr (json_object_get_string_member (turn, "role"), ==, "user");
  parts = json_object_get_array_member (turn, "parts");
  g_assert_cmpuint (json_array_get_length (parts), ==, 2);
  part = json_object_get_object_member (json_array_get_object_element (parts, 0), "functionResponse");
  g_assert_cmpstr (json_object_get_string_member (part, "name"), ==, "get_weather");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (part, "response"), "result"), ==,
                   "get_weather ran with {\"city\":\"Paris\"}");
  part = json_object_get_object_member (json_array_get_object_element (parts, 1), "functionResponse");
  g_assert_cmpstr (json_object_get_string_member (part, "id"), ==, "fc-time-2");
  assert_rows_sum (f, result, 2);
}

/* A hard budget the first step crossed stops the loop before the next
 * step is sent; what was answered stays. */
static void
test_loop_budget_stops_next_step (Fixture       *f,
                                  gconstpointer  data)
{
  const char *names[] = { "get_weather", NULL };
  ByokUsageStore *store = byok_engine_get_usage_store (f->engine);
  g_autoptr(ByokChatRequest) request = tools_request ();
  g_autoptr(ByokChatResult) result = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  ByokAttempt *stopped;

  g_assert_true (byok_usage_store_set_budget (store, BYOK_BUDGET_SCOPE_ALL, 1.0, TRUE, &error));
  g_assert_no_error (error);
  byok_test_record_usage (store, &(ByokUsageRecord) {
    .provider = (char *) "openai", .model = (char *) "gpt-4o-mini",
    .price_known = TRUE, .cost_usd = 0.999999, .status = (char *) "ok",
  });

  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply ("Looking.", names));
  byok_test_server_add_reply (f->server, CHAT_PATH, answer_reply ("Never sent.", NULL));
  result = run_tools (f, request);

  g_assert_error (result->error, BYOK_ERROR, BYOK_ERROR_BUDGET);
  g_assert_cmpstr (result->text->str, ==, "Looking.");
  g_assert_cmpuint (result->steps, ==, 1);
  g_assert_cmpuint (f->runner->n_runs, ==, 1);
  g_assert_cmpuint (byok_test_server_count_path (f->server, CHAT_PATH), ==, 1);
  /* The refused step sent nothing and is no row; the first step is. */
  g_assert_cmpuint (result->attempts->len, ==, 2);
  stopped = g_ptr_array_index (result->attempts, 1);
  g_assert_cmpint (stopped->usage_id, ==, 0);
  g_assert_true (stopped->cost_known);
  g_assert_cmpfloat (stopped->cost_usd, ==, 0);
  rows = byok_test_engine_list_rows (f->engine);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpint (((ByokAttempt *) g_ptr_array_index (result->attempts, 0))->usage_id, ==,
                   ((ByokUsageRecord *) g_ptr_array_index (rows, 1))->id);
  g_assert_true (result->cost_known);
  g_assert_cmpfloat (result->cost_usd, ==, ((ByokUsageRecord *) g_ptr_array_index (rows, 1))->cost_usd);
}

/* Not streamed: the same loop over whole answers. */
static void
test_loop_not_streamed (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(ByokChatRequest) request = tools_request ();
  g_autoptr(ByokChatResult) result = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *body;

  request->stream = FALSE;
  byok_test_server_add_reply (f->server, CHAT_PATH, byok_test_reply_new_json (200,
    "{\"id\":\"c1\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
    "\"content\":null,\"tool_calls\":[{\"id\":\"call_w\",\"type\":\"function\",\"function\":{\"name\":"
    "\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}]},\"finish_reason\":\"tool_calls\"}],"
    "\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":5}}"));
  byok_test_server_add_reply (f->server, CHAT_PATH, byok_test_reply_new_json (200,
    "{\"id\":\"c2\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
    "\"content\":\"Cold.\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":70,\"completion_tokens\":2}}"));
  result = run_tools (f, request);

  g_assert_no_error (result->error);
  g_assert_cmpstr (result->text->str, ==, "Cold.");
  g_assert_cmpuint (result->steps, ==, 2);
  g_assert_cmpstr (((ByokToolUse *) g_ptr_array_index (result->tool_uses, 0))->result->content, ==,
                   "get_weather ran with {\"city\":\"Oslo\"}");
  body = request_body (f, 1, &node);
  g_assert_false (json_object_has_member (body, "stream"));
  g_assert_cmpstr (json_object_get_string_member (message_at (body, 2), "tool_call_id"), ==, "call_w");
  g_assert_cmpint (result->usage.input_tokens, ==, 120);
  assert_rows_sum (f, result, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/tool-loop/two-parallel-calls", test_loop_two_parallel_calls);
  ADD ("/tool-loop/denied-and-failed", test_loop_denied_and_failed);
  ADD ("/tool-loop/step-limit", test_loop_step_limit);
  ADD ("/tool-loop/no-rounds", test_loop_no_rounds);
  ADD ("/tool-loop/cancelled-mid-tool", test_loop_cancelled_mid_tool);
  ADD ("/tool-loop/without-runner", test_loop_without_runner);
  ADD ("/tool-loop/not-streamed", test_loop_not_streamed);
  ADD ("/tool-loop/anthropic", test_loop_anthropic);
  ADD ("/tool-loop/gemini", test_loop_gemini);
  ADD ("/tool-loop/budget-stops-next-step", test_loop_budget_stops_next_step);
  ADD ("/tool-loop/announced-mid-stream", test_loop_announced_mid_stream);

  return g_test_run ();
}
