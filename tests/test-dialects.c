/* test-dialects.c — request bodies, responses, streams and errors of the
 * OpenAI, Anthropic and Gemini dialects, from recorded-style fixtures in
 * tests/fixtures/<dialect>/.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "byok-attachment.h"
#include "byok-catalog.h"
#include "byok-chat-request.h"
#include "byok-chat-result.h"
#include "byok-dialect.h"
#include "byok-dialect-private.h"
#include "byok-error.h"
#include "byok-json.h"
#include "byok-price.h"
#include "byok-pricing.h"
#include "byok-sse.h"
#include "byok-test-util.h"

/* ---- helpers ------------------------------------------------------------- */

static JsonObject *
parse_body (GBytes    *body,
            JsonNode **root_out)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (body, &len);

  g_assert_true (g_utf8_validate_len (data, len, NULL));
  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);
  *root_out = json_node_ref (json_parser_get_root (parser));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*root_out));
  return json_node_get_object (*root_out);
}

/* A tiny path walker: "$.a.b[0].c". Returns a copy of the node, or NULL
 * when any step is missing (JsonPath asserts on an index past the end). */
static JsonNode *
path (JsonObject *root,
      const char *expr)
{
  g_auto(GStrv) steps = NULL;
  JsonNode *node = NULL;
  g_autoptr(JsonNode) top = json_node_new (JSON_NODE_OBJECT);

  g_assert_true (g_str_has_prefix (expr, "$."));
  json_node_set_object (top, root);
  node = top;
  steps = g_strsplit (expr + 2, ".", -1);
  for (guint i = 0; steps[i] != NULL; i++)
    {
      char *bracket = strchr (steps[i], '[');
      gint64 index = -1;

      if (bracket != NULL)
        {
          index = g_ascii_strtoll (bracket + 1, NULL, 10);
          *bracket = '\0';
        }
      if (!JSON_NODE_HOLDS_OBJECT (node) ||
          (node = json_object_get_member (json_node_get_object (node), steps[i])) == NULL)
        return NULL;
      if (index >= 0)
        {
          JsonArray *array;

          if (!JSON_NODE_HOLDS_ARRAY (node))
            return NULL;
          array = json_node_get_array (node);
          if ((guint) index >= json_array_get_length (array))
            return NULL;
          node = json_array_get_element (array, index);
        }
    }
  return json_node_copy (node);
}

/* The node at @expr, which must be there */
static JsonNode *
path_present (JsonObject *root,
              const char *expr)
{
  JsonNode *node = path (root, expr);

  g_assert_nonnull (node);
  return node;
}

static void
assert_path_string (JsonObject *root,
                    const char *expr,
                    const char *expected)
{
  g_autoptr(JsonNode) node = NULL;

  if (expected == NULL)
    {
      node = path (root, expr);
      g_assert_null (node);
      return;
    }
  node = path_present (root, expr);
  g_assert_cmpstr (json_node_get_string (node), ==, expected);
}

/* A path and the string it holds, NULL: no such member */
typedef struct {
  const char *path;
  const char *value;
} PathString;

/* Each of @expected, up to the one without a path */
static void
assert_paths (JsonObject       *root,
              const PathString *expected)
{
  for (; expected->path != NULL; expected++)
    assert_path_string (root, expected->path, expected->value);
}

/* The number or truth value at @expr, which must be there, compared with
 * @expected by @cmp on what @get reads from it */
#define assert_path_value(root, expr, get, cmp, expected) G_STMT_START { \
    g_autoptr(JsonNode) node_ = path_present ((root), (expr));           \
    cmp (get (node_), ==, (expected));                                   \
  } G_STMT_END
#define assert_path_int(root, expr, expected) \
  assert_path_value (root, expr, json_node_get_int, g_assert_cmpint, expected)
#define assert_path_bool(root, expr, expected) \
  assert_path_value (root, expr, json_node_get_boolean, g_assert_cmpint, expected)
#define cmp_double(got, op, expected) g_assert_cmpfloat_with_epsilon (got, expected, 1e-9)
#define assert_path_double(root, expr, expected) \
  assert_path_value (root, expr, json_node_get_double, cmp_double, expected)

static void
assert_no_path (JsonObject *root,
                const char *expr)
{
  assert_path_string (root, expr, NULL);
}

static void
assert_usage (const ByokUsage *usage,
              gint64           input,
              gint64           cached,
              gint64           cache_write,
              gint64           output,
              gint64           reasoning)
{
  g_assert_true (usage->reported);
  g_assert_cmpint (usage->input_tokens, ==, input);
  g_assert_cmpint (usage->cached_input_tokens, ==, cached);
  g_assert_cmpint (usage->cache_write_tokens, ==, cache_write);
  g_assert_cmpint (usage->output_tokens, ==, output);
  g_assert_cmpint (usage->reasoning_tokens, ==, reasoning);
}

static ByokChatRequest *
sample_request (const char *model)
{
  ByokChatRequest *request = byok_chat_request_new (model);

  byok_chat_request_set_system_prompt (request, "Be brief.");
  byok_chat_request_add_message (request, BYOK_CHAT_ROLE_USER, "Hi “there”");
  byok_chat_request_add_message (request, BYOK_CHAT_ROLE_ASSISTANT, "Hello!");
  byok_chat_request_add_message (request, BYOK_CHAT_ROLE_USER, "2+2?");
  return request;
}

/* The body @dialect_name builds for @request, parsed; @node holds it */
static JsonObject *
build_root (const char        *dialect_name,
            ByokChatRequest   *request,
            gboolean           stream,
            ByokDialectFlags   flags,
            ByokModel         *model,
            JsonNode         **node)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = byok_dialect_build_body (byok_dialect_get (dialect_name), request, model,
                                                    stream, flags, &error);

  g_assert_no_error (error);
  return parse_body (body, node);
}

/* ---- streams ------------------------------------------------------------- */

typedef struct {
  ByokDialectStream *stream;
  ByokChatResult    *result;
  GString           *deltas;   /* every text delta, as a client emits it */
  gboolean           done;
} StreamRun;

static gboolean
stream_event_cb (const char  *event_name,
                 const char  *data,
                 gpointer     user_data,
                 GError     **error)
{
  StreamRun *run = user_data;
  gsize before = run->result->text->len;
  gboolean done = FALSE;

  if (!byok_dialect_stream_parse_event (run->stream, event_name, data, run->result, &done, error))
    return FALSE;
  g_string_append (run->deltas, run->result->text->str + before);
  if (done)
    {
      run->done = TRUE;
      return FALSE;
    }
  return TRUE;
}

/* Plays @bytes through ByokSse and the dialect, in pieces of @piece bytes
 * (0: whole), as the client will; returns the result with its error set
 * the way the client sets it. */
static ByokChatResult *
play_stream_bytes (const char             *dialect_name,
                   const ByokErrorContext *ctx,
                   GBytes                 *bytes,
                   gsize                   piece,
                   gboolean               *done_out)
{
  const ByokDialect *dialect = byok_dialect_get (dialect_name);
  g_autoptr(ByokSse) sse = byok_sse_new ();
  g_autoptr(GString) deltas = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  StreamRun run = { 0, };
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  ByokChatResult *result;
  gsize at = 0;

  g_assert_nonnull (dialect);
  result = byok_chat_result_new (ctx ? ctx->provider_id : NULL, ctx ? ctx->model : NULL);
  run.stream = byok_dialect_stream_new (dialect, ctx);
  run.result = result;
  run.deltas = deltas;

  while (at < len && error == NULL && !byok_sse_is_stopped (sse))
    {
      gsize n = piece == 0 ? len : MIN (piece, len - at);

      byok_sse_feed (sse, data + at, n, stream_event_cb, &run, &error);
      at += n;
    }
  byok_sse_finish (sse);
  if (error == NULL)
    byok_dialect_stream_finish (run.stream, result, &error);
  if (error != NULL)
    byok_chat_result_take_error (result, g_steal_pointer (&error));

  /* The deltas a client would emit add up to the text. */
  g_assert_cmpstr (deltas->str, ==, result->text->str);

  if (done_out != NULL)
    *done_out = run.done;
  byok_dialect_stream_free (run.stream);
  return result;
}

/* Plays a fixture, as play_stream_bytes(). */
static ByokChatResult *
play_stream (const char             *dialect_name,
             const ByokErrorContext *ctx,
             const char             *fixture,
             gsize                   piece,
             gboolean               *done_out)
{
  g_autoptr(GBytes) bytes = byok_test_load_fixture (dialect_name, fixture);

  return play_stream_bytes (dialect_name, ctx, bytes, piece, done_out);
}

/* Plays @bytes whole, byte by byte and in 7-byte pieces; all three give
 * the same result, which is returned. */
static ByokChatResult *
play_bytes_every_way (const char             *dialect_name,
                      const ByokErrorContext *ctx,
                      GBytes                 *bytes)
{
  ByokChatResult *whole = play_stream_bytes (dialect_name, ctx, bytes, 0, NULL);
  gsize pieces[] = { 1, 7 };

  for (guint i = 0; i < G_N_ELEMENTS (pieces); i++)
    {
      g_autoptr(ByokChatResult) other = play_stream_bytes (dialect_name, ctx, bytes, pieces[i], NULL);

      g_assert_cmpstr (other->text->str, ==, whole->text->str);
      g_assert_cmpstr (other->reasoning->str, ==, whole->reasoning->str);
      g_assert_cmpint (other->finish_reason, ==, whole->finish_reason);
      g_assert_true (byok_usage_equal (&other->usage, &whole->usage));
      g_assert_cmpstr (other->response_model, ==, whole->response_model);
      if (whole->error == NULL)
        g_assert_no_error (other->error);
      else
        g_assert_error (other->error, whole->error->domain, whole->error->code);
    }
  return whole;
}

/* Plays @fixture every way, as play_bytes_every_way(). */
static ByokChatResult *
play_stream_every_way (const char             *dialect_name,
                       const ByokErrorContext *ctx,
                       const char             *fixture)
{
  g_autoptr(GBytes) bytes = byok_test_load_fixture (dialect_name, fixture);

  return play_bytes_every_way (dialect_name, ctx, bytes);
}

/* ---- lookup and paths ---------------------------------------------------- */

static void
test_lookup (void)
{
  const char *names[] = { "openai", "anthropic", "gemini" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const ByokDialect *dialect = byok_dialect_get (names[i]);

      g_assert_nonnull (dialect);
      g_assert_cmpstr (byok_dialect_get_name (dialect), ==, names[i]);
    }
  g_assert_null (byok_dialect_get ("cohere"));
  g_assert_null (byok_dialect_get (NULL));
}

static void
test_chat_paths (void)
{
  struct {
    const char *dialect;
    const char *model;
    gboolean stream;
    const char *expected;
  } cases[] = {
    { "openai", "gpt-4o", TRUE, "/chat/completions" },
    { "openai", "gpt-4o", FALSE, "/chat/completions" },
    { "anthropic", "claude-sonnet-4-20250514", TRUE, "/v1/messages" },
    { "gemini", "gemini-2.5-flash", TRUE, "/models/gemini-2.5-flash:streamGenerateContent?alt=sse" },
    { "gemini", "models/gemini-2.5-pro", FALSE, "/models/gemini-2.5-pro:generateContent" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = byok_dialect_get_chat_path (byok_dialect_get (cases[i].dialect),
                                                         cases[i].model, cases[i].stream);

      g_assert_cmpstr (got, ==, cases[i].expected);
    }
}

/* ---- request bodies ------------------------------------------------------ */

static void
test_openai_body (void)
{
  g_autoptr(ByokChatRequest) request = sample_request ("gpt-4o");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) flags_node = NULL;
  g_autoptr(JsonNode) plain_node = NULL;
  JsonObject *root;

  request->temperature = 0.5;
  request->max_output_tokens = 100;

  root = build_root ("openai", request, TRUE, 0, NULL, &node);
  assert_paths (root, (const PathString[]) {
    { "$.model", "gpt-4o" },
    { "$.messages[0].role", "system" },
    { "$.messages[0].content", "Be brief." },
    { "$.messages[1].role", "user" },
    { "$.messages[1].content", "Hi “there”" },
    { "$.messages[2].role", "assistant" },
    { "$.messages[3].content", "2+2?" },
    { "$.messages[4]", NULL },
    { NULL } });
  assert_path_bool (root, "$.stream", TRUE);
  assert_path_bool (root, "$.stream_options.include_usage", TRUE);
  assert_path_double (root, "$.temperature", 0.5);
  assert_path_int (root, "$.max_tokens", 100);
  assert_no_path (root, "$.thinking");
  assert_no_path (root, "$.max_completion_tokens");

  /* Providers that reject stream_options; Zhipu's thinking switch;
   * max_completion_tokens. */
  request->reasoning = TRUE;
  root = build_root ("openai", request, TRUE,
                     BYOK_DIALECT_FLAG_NO_STREAM_OPTIONS |
                     BYOK_DIALECT_FLAG_THINKING_TYPE |
                     BYOK_DIALECT_FLAG_MAX_COMPLETION_TOKENS, NULL, &flags_node);
  assert_path_bool (root, "$.stream", TRUE);
  assert_no_path (root, "$.stream_options");
  assert_path_string (root, "$.thinking.type", "enabled");
  assert_path_int (root, "$.max_completion_tokens", 100);
  assert_no_path (root, "$.max_tokens");

  /* Not streamed, nothing optional set. */
  {
    g_autoptr(ByokChatRequest) plain = byok_chat_request_new_simple ("deepseek-chat", NULL, "Hi");

    root = build_root ("openai", plain, FALSE, BYOK_DIALECT_FLAG_THINKING_TYPE, NULL, &plain_node);
    assert_paths (root, (const PathString[]) {
      { "$.messages[0].role", "user" },
      { "$.stream", NULL },
      { "$.stream_options", NULL },
      { "$.temperature", NULL },
      { "$.max_tokens", NULL },
      { "$.thinking.type", "disabled" },
      { NULL } });
  }

  /* Nothing to send. */
  {
    const ByokDialect *dialect = byok_dialect_get ("openai");
    g_autoptr(ByokChatRequest) empty = byok_chat_request_new ("gpt-4o");
    g_autoptr(ByokChatRequest) no_model = byok_chat_request_new_simple (NULL, NULL, "Hi");
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) body = byok_dialect_build_body (dialect, empty, NULL, TRUE, 0, &error);
    g_autoptr(GBytes) body2 = NULL;

    g_assert_null (body);
    g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
    g_clear_error (&error);
    body2 = byok_dialect_build_body (dialect, no_model, NULL, TRUE, 0, &error);
    g_assert_null (body2);
    g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  }
}

static void
test_anthropic_body (void)
{
  g_autoptr(ByokChatRequest) request = sample_request ("claude-sonnet-4-20250514");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) thinking_node = NULL;
  g_autoptr(JsonNode) small_node = NULL;
  JsonObject *root;

  byok_chat_request_add_message (request, BYOK_CHAT_ROLE_SYSTEM, "Answer in French.");
  request->temperature = 0.2;

  root = build_root ("anthropic", request, TRUE, 0, NULL, &node);
  assert_path_string (root, "$.model", "claude-sonnet-4-20250514");
  assert_path_int (root, "$.max_tokens", 4096);
  assert_paths (root, (const PathString[]) {
    { "$.system", "Be brief.\n\nAnswer in French." },
    { "$.messages[0].role", "user" },
    { "$.messages[0].content", "Hi “there”" },
    { "$.messages[1].role", "assistant" },
    { "$.messages[2].content", "2+2?" },
    { "$.messages[3]", NULL },
    { NULL } });
  assert_path_bool (root, "$.stream", TRUE);
  assert_path_double (root, "$.temperature", 0.2);
  assert_no_path (root, "$.thinking");

  /* Thinking: a budget below max_tokens, no temperature. */
  request->reasoning = TRUE;
  root = build_root ("anthropic", request, FALSE, 0, NULL, &thinking_node);
  assert_path_string (root, "$.thinking.type", "enabled");
  assert_path_int (root, "$.thinking.budget_tokens", 2048);
  assert_path_int (root, "$.max_tokens", 4096);
  assert_no_path (root, "$.temperature");
  assert_no_path (root, "$.stream");

  /* A small max_tokens still leaves the minimum budget and room to answer. */
  request->max_output_tokens = 500;
  root = build_root ("anthropic", request, TRUE, 0, NULL, &small_node);
  assert_path_int (root, "$.thinking.budget_tokens", 1024);
  assert_path_int (root, "$.max_tokens", 1524);
}

static void
test_gemini_body (void)
{
  g_autoptr(ByokChatRequest) request = sample_request ("gemini-2.5-flash");
  g_autoptr(ByokChatRequest) plain = byok_chat_request_new_simple ("gemini-2.0-flash", NULL, "Hi");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) plain_node = NULL;
  JsonObject *root;

  request->temperature = 1.0;
  request->max_output_tokens = 800;
  request->reasoning = TRUE;

  root = build_root ("gemini", request, TRUE, 0, NULL, &node);
  assert_paths (root, (const PathString[]) {
    { "$.contents[0].role", "user" },
    { "$.contents[0].parts[0].text", "Hi “there”" },
    { "$.contents[1].role", "model" },
    { "$.contents[1].parts[0].text", "Hello!" },
    { "$.contents[2].role", "user" },
    { "$.contents[3]", NULL },
    { "$.systemInstruction.parts[0].text", "Be brief." },
    { NULL } });
  assert_path_double (root, "$.generationConfig.temperature", 1.0);
  assert_path_int (root, "$.generationConfig.maxOutputTokens", 800);
  assert_path_bool (root, "$.generationConfig.thinkingConfig.includeThoughts", TRUE);
  /* Gemini streams by the endpoint, not the body. */
  assert_no_path (root, "$.stream");

  root = build_root ("gemini", plain, TRUE, 0, NULL, &plain_node);
  assert_no_path (root, "$.systemInstruction");
  assert_no_path (root, "$.generationConfig");
}

/* ---- request bodies per model, against fixtures -------------------------- */

typedef struct {
  const char       *dialect;
  const char       *provider;
  const char       *model;
  double            temperature;
  ByokEffort        effort;
  ByokDialectFlags  flags;
  const char       *fixture;
  const char       *version;   /* the Anthropic version header, NULL: the provider's */
} BodyCase;

static const BodyCase body_cases[] = {
  /* OpenAI's reasoning models take no temperature: 0.7 is left out, the
   * effort goes as reasoning_effort (issue 12, item 10). */
  { "openai", "openai", "gpt-5", 0.7, BYOK_EFFORT_HIGH, BYOK_DIALECT_FLAG_MAX_COMPLETION_TOKENS,
    "request-gpt-5-effort.json", NULL },
  /* GPT-5.1 and later: a temperature with reasoning_effort "none"… */
  { "openai", "openai", "gpt-5.4", 0.7, BYOK_EFFORT_DEFAULT, BYOK_DIALECT_FLAG_MAX_COMPLETION_TOKENS,
    "request-gpt-5.4-temperature.json", NULL },
  /* …or an effort and no temperature. */
  { "openai", "openai", "gpt-5.4", 0.7, BYOK_EFFORT_LOW, BYOK_DIALECT_FLAG_MAX_COMPLETION_TOKENS,
    "request-gpt-5.4-effort.json", NULL },
  /* A chat model: its range (0 to 2), no effort to send. */
  { "openai", "openai", "gpt-4o", 2.5, BYOK_EFFORT_HIGH, BYOK_DIALECT_FLAG_MAX_COMPLETION_TOKENS,
    "request-gpt-4o-temperature.json", NULL },
  { "openai", "openrouter", "anthropic/claude-sonnet-5", 0.7, BYOK_EFFORT_MEDIUM, 0,
    "request-openrouter-effort.json", NULL },
  /* Anthropic's range is 0 to 1, and only 2023-06-01 takes it. */
  { "anthropic", "anthropic", "claude-haiku-4-5", 1.4, BYOK_EFFORT_DEFAULT, 0,
    "request-haiku-4-5-temperature.json", "2023-06-01" },
  { "anthropic", "anthropic", "claude-sonnet-4-6", 0.3, BYOK_EFFORT_DEFAULT, 0,
    "request-sonnet-4-6-temperature.json", "2023-06-01" },
  /* A thinking budget for the effort; with thinking no temperature. */
  { "anthropic", "anthropic", "claude-haiku-4-5", 0.5, BYOK_EFFORT_MEDIUM, 0,
    "request-haiku-4-5-effort.json", NULL },
  /* After Opus 4.6: no temperature ever; adaptive thinking and an effort. */
  { "anthropic", "anthropic", "claude-opus-4-7", 0.5, BYOK_EFFORT_HIGH, 0,
    "request-opus-4-7-effort.json", NULL },
  /* Gemini 3 takes a thinking level, 2.5 a budget. */
  { "gemini", "gemini", "gemini-3.1-pro-preview", 0.4, BYOK_EFFORT_MEDIUM, 0,
    "request-3.1-pro-effort.json", NULL },
  { "gemini", "gemini", "gemini-2.5-flash", 0.4, BYOK_EFFORT_LOW, 0,
    "request-2.5-flash-effort.json", NULL },
};

static void
assert_json_equal (GBytes     *got,
                   GBytes     *expected,
                   const char *what)
{
  g_autoptr(JsonNode) got_node = NULL;
  g_autoptr(JsonNode) expected_node = NULL;

  parse_body (got, &got_node);
  parse_body (expected, &expected_node);
  if (!json_node_equal (got_node, expected_node))
    {
      g_autofree char *got_text = json_to_string (got_node, TRUE);
      g_autofree char *expected_text = json_to_string (expected_node, TRUE);

      g_error ("%s: the body\n%s\nis not the fixture's\n%s", what, got_text, expected_text);
    }
}

static void
test_bodies_per_model (void)
{
  g_autoptr(ByokCatalog) catalog = byok_catalog_new_default ();

  for (guint i = 0; i < G_N_ELEMENTS (body_cases); i++)
    {
      const BodyCase *c = &body_cases[i];
      const ByokDialect *dialect = byok_dialect_get (c->dialect);
      ByokModel *model = byok_catalog_lookup_model (catalog, c->provider, c->model);
      g_autoptr(ByokChatRequest) request = byok_chat_request_new_simple (c->model, "Be brief.",
                                                                         "Why is the sky blue?");
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GBytes) expected = byok_test_load_fixture (c->dialect, c->fixture);
      g_autoptr(GError) error = NULL;
      const char *name = NULL, *value = NULL;
      gboolean has_header;

      g_test_message ("%s/%s → %s", c->provider, c->model, c->fixture);
      g_assert_nonnull (model);
      request->temperature = c->temperature;
      request->effort = c->effort;
      request->max_output_tokens = 1000;
      body = byok_dialect_build_body (dialect, request, model, TRUE, c->flags, &error);
      g_assert_no_error (error);
      assert_json_equal (body, expected, c->fixture);

      has_header = byok_dialect_get_request_header (dialect, request, model, &name, &value);
      g_assert_cmpint (has_header, ==, c->version != NULL);
      if (c->version != NULL)
        {
          g_assert_cmpstr (name, ==, "anthropic-version");
          g_assert_cmpstr (value, ==, c->version);
        }
    }
}

static void
test_request_fit (void)
{
  g_autoptr(ByokCatalog) catalog = byok_catalog_new_default ();
  g_autoptr(ByokChatRequest) request = byok_chat_request_new_simple ("m", NULL, "Hi");
  ByokRequestFit fit;

  /* unset stays unset */
  byok_request_fit (request, byok_catalog_lookup_model (catalog, "openai", "gpt-5"), "openai", &fit);
  g_assert_cmpint (fit.temperature_fate, ==, BYOK_TEMPERATURE_UNSET);
  g_assert_false (byok_request_fit_sends_temperature (&fit));
  g_assert_cmpuint (fit.effort, ==, 0);

  request->temperature = 0.7;
  byok_request_fit (request, byok_catalog_lookup_model (catalog, "openai", "o3"), "openai", &fit);
  g_assert_cmpint (fit.temperature_fate, ==, BYOK_TEMPERATURE_NOT_TAKEN);
  byok_request_fit (request, byok_catalog_lookup_model (catalog, "anthropic", "claude-opus-4-6"), "anthropic", &fit);
  g_assert_cmpint (fit.temperature_fate, ==, BYOK_TEMPERATURE_SENT);
  request->temperature = 1.5;
  byok_request_fit (request, byok_catalog_lookup_model (catalog, "anthropic", "claude-opus-4-6"), "anthropic", &fit);
  g_assert_cmpint (fit.temperature_fate, ==, BYOK_TEMPERATURE_CLAMPED);
  g_assert_cmpfloat (fit.temperature, ==, 1.0);
  /* a model the catalog does not know: the dialect's range */
  byok_request_fit (request, NULL, "anthropic", &fit);
  g_assert_cmpfloat (fit.temperature, ==, 1.0);
  byok_request_fit (request, NULL, "openai", &fit);
  g_assert_cmpint (fit.temperature_fate, ==, BYOK_TEMPERATURE_SENT);
  g_assert_cmpfloat (fit.temperature, ==, 1.5);

  /* thinking on Anthropic: no temperature */
  request->reasoning = TRUE;
  byok_request_fit (request, byok_catalog_lookup_model (catalog, "anthropic", "claude-opus-4-6"), "anthropic", &fit);
  g_assert_cmpint (fit.temperature_fate, ==, BYOK_TEMPERATURE_NOT_WHILE_REASONING);
  g_assert_true (fit.thinking);
  request->reasoning = FALSE;

  /* GPT-5.4 with an effort: no temperature */
  request->effort = BYOK_EFFORT_HIGH;
  byok_request_fit (request, byok_catalog_lookup_model (catalog, "openai", "gpt-5.4"), "openai", &fit);
  g_assert_cmpint (fit.temperature_fate, ==, BYOK_TEMPERATURE_NOT_WHILE_REASONING);
  g_assert_cmpuint (fit.effort, ==, BYOK_EFFORT_LEVEL_HIGH);
  /* a model without effort control: nothing to send, no thinking */
  byok_request_fit (request, byok_catalog_lookup_model (catalog, "deepseek", "deepseek-v4-pro"), "openai", &fit);
  g_assert_cmpuint (fit.effort, ==, 0);
  g_assert_false (fit.thinking);
}

/* ---- whole responses ----------------------------------------------------- */

static ByokChatResult *
parse_fixture_response (const char  *dialect_name,
                        const char  *fixture,
                        GError     **error)
{
  g_autoptr(GBytes) bytes = byok_test_load_fixture (dialect_name, fixture);
  ByokErrorContext ctx = { "test", "Test", "m", NULL };
  ByokChatResult *result = byok_chat_result_new ("test", "m");
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  byok_dialect_parse_response (byok_dialect_get (dialect_name), &ctx, data, len, result, error);
  return result;
}

static void
test_openai_response (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokChatResult) result = parse_fixture_response ("openai", "openai-response.json", &error);
  g_autoptr(ByokChatResult) deepseek = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (result->text->str, ==, "Hello! How can I help you today?");
  g_assert_cmpstr (result->reasoning->str, ==, "");
  g_assert_cmpint (result->finish_reason, ==, BYOK_FINISH_LENGTH);
  g_assert_cmpstr (result->response_model, ==, "gpt-4o-mini-2024-07-18");
  g_assert_cmpstr (result->response_id, ==, "chatcmpl-fake0010");
  assert_usage (&result->usage, 19, 0, 0, 10, 0);

  deepseek = parse_fixture_response ("openai", "deepseek-response.json", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (deepseek->text->str, ==, "42.");
  g_assert_cmpstr (deepseek->reasoning->str, ==, "Six times seven.");
  g_assert_cmpint (deepseek->finish_reason, ==, BYOK_FINISH_STOP);
  assert_usage (&deepseek->usage, 64, 64, 0, 30, 20);
  /* OpenAI's usage says nothing of a bill. */
  g_assert_false (result->usage.cost_reported);
  g_assert_false (deepseek->usage.cost_reported);
}

/* OpenRouter's whole answer carries what it billed in usage.cost (USD
 * credits); a "cost" that is an object (Perplexity's breakdown) or a
 * string of letters is not one. */
static void
test_openrouter_response (void)
{
  const char *object_cost =
    "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},"
    "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,"
    "\"cost\":{\"total_cost\":0.006}}}";
  const char *negative_cost =
    "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},"
    "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,"
    "\"cost\":-1}}";
  ByokErrorContext ctx = { "openrouter", "OpenRouter", "m", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokChatResult) result = parse_fixture_response ("openai", "openrouter-response.json", &error);
  g_autoptr(ByokChatResult) object = byok_chat_result_new ("openrouter", "m");
  g_autoptr(ByokChatResult) negative = byok_chat_result_new ("openrouter", "m");

  g_assert_no_error (error);
  g_assert_cmpstr (result->text->str, ==, "Paris.");
  assert_usage (&result->usage, 194, 0, 0, 2, 0);
  g_assert_true (result->usage.cost_reported);
  g_assert_cmpfloat (result->usage.reported_cost_usd, ==, 0.000408);

  g_assert_true (byok_dialect_parse_response (byok_dialect_get ("openai"), &ctx, object_cost,
                                              strlen (object_cost), object, &error));
  g_assert_no_error (error);
  assert_usage (&object->usage, 3, 0, 0, 1, 0);
  g_assert_false (object->usage.cost_reported);

  g_assert_true (byok_dialect_parse_response (byok_dialect_get ("openai"), &ctx, negative_cost,
                                              strlen (negative_cost), negative, &error));
  g_assert_no_error (error);
  g_assert_false (negative->usage.cost_reported);
  g_assert_cmpfloat (negative->usage.reported_cost_usd, ==, 0);
}

/* A price and a bill differ when they are a cent or 1 % apart. */
static void
test_cost_differs (void)
{
  g_assert_false (byok_price_cost_differs (0.0031, 0.0031));
  g_assert_false (byok_price_cost_differs (1.000, 1.005));       /* 0.5 %, half a cent */
  g_assert_true (byok_price_cost_differs (0.0031, 0.0042));      /* 35 % */
  g_assert_true (byok_price_cost_differs (10.00, 10.02));        /* 2 cents, 0.2 % */
  g_assert_false (byok_price_cost_differs (0.0000001, 0.0000005)); /* rounding */
  g_assert_false (byok_price_cost_differs (NAN, 0.01));
  g_assert_false (byok_price_cost_differs (0.01, NAN));
}

static void
test_anthropic_response (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokChatResult) result = parse_fixture_response ("anthropic", "response.json", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (result->text->str, ==, "Bonjour !");
  g_assert_cmpstr (result->reasoning->str, ==, "Short question, short answer.");
  g_assert_cmpint (result->finish_reason, ==, BYOK_FINISH_STOP);
  g_assert_cmpstr (result->response_model, ==, "claude-sonnet-4-20250514");
  /* input = 100 + 300 cache reads + 20 cache writes */
  assert_usage (&result->usage, 420, 300, 20, 50, 0);
}

static void
test_gemini_response (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokChatResult) result = parse_fixture_response ("gemini", "response.json", &error);
  g_autoptr(ByokChatResult) blocked = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (result->text->str, ==, "Hallo Welt!");
  g_assert_cmpstr (result->reasoning->str, ==, "Thinking about greetings.");
  g_assert_cmpint (result->finish_reason, ==, BYOK_FINISH_LENGTH);
  g_assert_cmpstr (result->response_model, ==, "gemini-2.5-pro");
  /* output = candidates 3 + thoughts 20 */
  assert_usage (&result->usage, 7, 0, 0, 23, 20);

  /* The prompt itself blocked: no candidates. */
  blocked = parse_fixture_response ("gemini", "prompt-blocked.json", &error);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_CONTENT_FILTER);
  g_assert_cmpint (blocked->finish_reason, ==, BYOK_FINISH_CONTENT_FILTER);
  g_assert_true (blocked->usage.reported);
  g_assert_cmpint (blocked->usage.input_tokens, ==, 12);
}

static void
test_response_malformed (void)
{
  const ByokDialect *dialect = byok_dialect_get ("openai");
  ByokErrorContext ctx = { "openai", "OpenAI", "gpt-4o", NULL };
  g_autoptr(GBytes) portal = byok_test_load_fixture ("openai", "captive-portal.html");
  g_autoptr(GBytes) whole = byok_test_load_fixture ("openai", "openai-response.json");
  struct {
    const char *body;
    gsize len;
    const char *says;
  } cases[] = {
    { g_bytes_get_data (portal, NULL), g_bytes_get_size (portal), "web page" },
    { g_bytes_get_data (whole, NULL), g_bytes_get_size (whole) - 40, "cut short" },
    { "{\"choices\": [{\"message\": {\"content\": \"caf\xe9\"}}]}", 0, "UTF-8" },
    { "", 0, "empty" },
    { "[1, 2]", 0, "unexpected" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ByokChatResult) result = byok_chat_result_new ("openai", "gpt-4o");
      g_autoptr(GError) error = NULL;
      gsize len = cases[i].len ? cases[i].len : strlen (cases[i].body);

      g_assert_false (byok_dialect_parse_response (dialect, &ctx, cases[i].body, len, result, &error));
      g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
      g_assert_nonnull (strstr (error->message, "OpenAI"));
      g_assert_nonnull (strstr (error->message, cases[i].says));

      g_clear_error (&error);
      if (i < 4)
        {
          g_assert_false (byok_dialect_check_body_is_json (&ctx, cases[i].body, len, &error));
          g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
        }
    }

  /* An error envelope with a 200 (OpenRouter does this): classified. */
  {
    const char *body = "{\"error\":{\"message\":\"Insufficient credits\",\"code\":402}}";
    g_autoptr(ByokChatResult) result = byok_chat_result_new ("openrouter", "x");
    g_autoptr(GError) error = NULL;

    g_assert_false (byok_dialect_parse_response (dialect, &ctx, body, strlen (body), result, &error));
    g_assert_error (error, BYOK_ERROR, BYOK_ERROR_QUOTA);
  }

  g_assert_true (byok_dialect_check_body_is_json (&ctx, "  {\"a\": null}  ", 15, NULL));
}

/* ---- streams ------------------------------------------------------------- */

static void
test_stream_openai (void)
{
  ByokErrorContext ctx = { "openai", "OpenAI", "o4-mini", NULL };
  g_autoptr(ByokChatResult) result = play_stream_every_way ("openai", &ctx, "openai-stream.sse");
  gboolean done = FALSE;
  g_autoptr(ByokChatResult) again = play_stream ("openai", &ctx, "openai-stream.sse", 3, &done);

  g_assert_no_error (result->error);
  g_assert_true (done);
  g_assert_cmpstr (result->text->str, ==, "The capital of France is Paris — ça va.");
  g_assert_cmpstr (result->reasoning->str, ==, "");
  g_assert_cmpint (result->finish_reason, ==, BYOK_FINISH_STOP);
  g_assert_cmpstr (result->response_model, ==, "o4-mini-2025-04-16");
  g_assert_cmpstr (result->response_id, ==, "chatcmpl-BqQ1fake0001");
  /* The include_usage chunk, after the finish chunk. */
  assert_usage (&result->usage, 1234, 1024, 0, 89, 64);
}

static gboolean
collect_event_data (const char  *event_name,
                    const char  *data,
                    gpointer     user_data,
                    GError     **error)
{
  g_ptr_array_add (user_data, g_strdup (data));
  return TRUE;
}

/* The OpenAI dialect reads most stream chunks with a scanner of its own
 * and the rest with json-glib: for any event, both must leave the result
 * the same (and fail the same way). */
static void
assert_same_result (ByokChatResult *a,
                    ByokChatResult *b,
                    const char     *what)
{
  if (!g_str_equal (a->text->str, b->text->str) || !g_str_equal (a->reasoning->str, b->reasoning->str) ||
      a->finish_reason != b->finish_reason || !byok_usage_equal (&a->usage, &b->usage) ||
      g_strcmp0 (a->response_model, b->response_model) != 0 || g_strcmp0 (a->response_id, b->response_id) != 0)
    g_error ("%s: the fast path read “%s”/“%s”, json-glib “%s”/“%s”", what,
             a->text->str, a->reasoning->str, b->text->str, b->reasoning->str);
}

static void
play_both_ways (const char * const *events,
                const char         *what)
{
  g_autoptr(ByokDialectStream) fast = byok_dialect_stream_new (byok_dialect_get ("openai"), NULL);
  g_autoptr(ByokDialectStream) slow = byok_dialect_stream_new (byok_dialect_get ("openai"), NULL);
  g_autoptr(ByokChatResult) fast_result = byok_chat_result_new ("x", "m");
  g_autoptr(ByokChatResult) slow_result = byok_chat_result_new ("x", "m");

  slow->no_fast_path = TRUE;
  for (guint i = 0; events[i] != NULL; i++)
    {
      g_autoptr(GError) fast_error = NULL;
      g_autoptr(GError) slow_error = NULL;
      gboolean fast_done = FALSE;
      gboolean slow_done = FALSE;
      gboolean fast_ok = byok_dialect_stream_parse_event (fast, NULL, events[i], fast_result, &fast_done, &fast_error);
      gboolean slow_ok = byok_dialect_stream_parse_event (slow, NULL, events[i], slow_result, &slow_done, &slow_error);

      g_assert_cmpint (fast_ok, ==, slow_ok);
      g_assert_cmpint (fast_done, ==, slow_done);
      if (slow_error != NULL)
        g_assert_error (fast_error, slow_error->domain, slow_error->code);
      assert_same_result (fast_result, slow_result, what);
    }
  g_assert_cmpint (byok_dialect_stream_is_complete (fast), ==, byok_dialect_stream_is_complete (slow));
}

static void
test_stream_openai_fast_path (void)
{
  const char * const fixtures[] = {
    "openai-stream.sse", "deepseek-stream.sse", "moonshot-stream.sse", "groq-stream.sse", "zhipu-stream.sse",
    "openrouter-stream.sse", "openrouter-error.sse", "azure-stream.sse", "openai-midstream-error.sse",
    "openai-truncated.sse",
  };
  const char * const tricky[] = {
    "{\"id\":\"c1\",\"model\":\"m1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}",
    /* escapes of every kind, a surrogate pair, raw UTF-8 */
    "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\u20AC\\ud83d\\ude00 ça 漢\"}}]}",
    /* another choice first; index null; the second index 0 is not read */
    "{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"no\"}},{\"index\":null,\"delta\":{\"content\":\" yes\"}},"
    "{\"index\":0,\"delta\":{\"content\":\"no\"}}]}",
    /* unknown members of every type, deeply nested, numbers of every form */
    "{\"weird\":{\"a\":[1,-0,0.5,-1.5e-3,2E+10,true,false,null,\"s\",{\"b\":[[[]]]}]},\"created\":1751970000,"
    "\"choices\":[{\"logprobs\":{\"content\":[{\"token\":\"x\",\"logprob\":-0.1}]},\"index\":0,"
    "\"delta\":{\"tool_calls\":[{\"id\":\"t\"}],\"content\":\"!\"},\"finish_reason\":null}],\"usage\":null,\"error\":null}",
    /* reasoning: reasoning_content wins unless empty */
    "{\"choices\":[{\"delta\":{\"reasoning_content\":\"\",\"reasoning\":\"r1\"}}]}",
    "{\"choices\":[{\"delta\":{\"reasoning_content\":\"r2\",\"reasoning\":\"ignored\"}}]}",
    "{\"choices\":[{\"delta\":{\"reasoning\":null,\"content\":null}}]}",
    /* what the scanner leaves to json-glib: usage, parts, duplicates, errors */
    "{\"choices\":[{\"delta\":{\"content\":\"dup\",\"content\":\"licate\"}}]}",
    "{\"choices\":[{\"delta\":{\"content\":[{\"type\":\"thinking\",\"thinking\":\"t\"},{\"type\":\"text\",\"text\":\"p\"}]}}]}",
    "{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}",
    "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\",\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":6}}]}",
    "{\"x_groq\":{\"id\":\"g\"},\"choices\":[{\"delta\":{\"content\":\"g\"}}]}",
    "{\"choices\":[{\"delta\":{\"content\":\"z\\u0000z\"}}]}",
    "{\"choices\":[{\"delta\":{\"content\":\"lone \\ud83d\"}}]}",
    "{\"choices\":[{\"delta\":{\"content\":\"bad \\x escape\"}}]}",
    "{\"choices\":[{\"delta\":{\"con\\u0074ent\":\"escaped key\"}}]}",
    "{\"choices\":[{\"index\":0.0,\"delta\":{\"content\":\"double index\"}}]}",
    "{\"choices\":[{\"delta\":{\"content\":\"trailing\"}}]} x",
    "{\"choices\":[{\"delta\":{\"content\":\"cut",
    "[{\"choices\":[{\"delta\":{\"content\":\"array root\"}}]}]",
    "{\"type\":\"error\",\"message\":\"typed\"}",
    "{\"id\":\"c2\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"network_error\"}]}",
    NULL
  };
  const char * const finishes[] = {
    "{\"choices\":[{\"delta\":{\"content\":\"x\"},\"finish_reason\":\"\"}]}",
    "{\"choices\":[{\"delta\":{},\"finish_reason\":\"content_filter\"}]}",
    "[DONE]",
    NULL
  };

  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autoptr(GBytes) bytes = byok_test_load_fixture ("openai", fixtures[i]);
      g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(ByokSse) sse = byok_sse_new ();
      gsize len;
      const char *data = g_bytes_get_data (bytes, &len);

      byok_sse_feed (sse, data, len, collect_event_data, events, NULL);
      g_ptr_array_add (events, NULL);
      play_both_ways ((const char * const *) events->pdata, fixtures[i]);
    }
  /* Each tricky event alone, after a normal one, then all in a row. */
  for (guint i = 0; tricky[i] != NULL; i++)
    {
      const char *pair[] = { tricky[0], tricky[i], NULL };

      play_both_ways (pair, tricky[i]);
    }
  play_both_ways (tricky, "all in a row");
  play_both_ways (finishes, "finishes");
}

/* An OpenAI-compatible stream of one provider: what the answer holds. */
typedef struct {
  const char       *path;
  ByokErrorContext  ctx;
  const char       *fixture;
  const char       *reasoning;       /* NULL: none checked */
  const char       *text;
  ByokFinishReason  finish;
  const char       *response_model;  /* NULL: none checked */
  gint64            usage[5];        /* input, cached, cache write, output, reasoning */
} StreamCase;

static const StreamCase stream_cases[] = {
  /* Usage on the finish chunk; cache hits as prompt_cache_hit_tokens. */
  { "/dialects/stream/deepseek", { "deepseek", "DeepSeek", "deepseek-reasoner", NULL }, "deepseek-stream.sse",
    "9.11 and 9.8: compare 0.80 with 0.11.", "9.8 is larger.", BYOK_FINISH_STOP, NULL, { 20, 16, 0, 120, 95 } },
  /* choices[0].usage with cached_tokens */
  { "/dialects/stream/moonshot", { "moonshot", "Moonshot", "kimi-k2-0905-preview", NULL }, "moonshot-stream.sse",
    NULL, "你好！我是 Kimi。", BYOK_FINISH_STOP, NULL, { 19, 10, 0, 13, 0 } },
  /* x_groq.usage, then the same report again as usage: not summed. */
  { "/dialects/stream/groq", { "groq", "Groq", "llama-3.3-70b-versatile", NULL }, "groq-stream.sse",
    NULL, "Fast answer.", BYOK_FINISH_STOP, NULL, { 40, 0, 0, 12, 0 } },
  { "/dialects/stream/zhipu", { "zhipu", "Zhipu", "glm-4.5", NULL }, "zhipu-stream.sse",
    "用户在打招呼。", "你好！有什么可以帮你？", BYOK_FINISH_STOP, NULL, { 8, 2, 0, 30, 0 } },
  /* The first chunk's empty model is not taken. */
  { "/dialects/stream/azure", { "azure", "Azure OpenAI", "gpt-4o", NULL }, "azure-stream.sse",
    NULL, "Here is how", BYOK_FINISH_CONTENT_FILTER, "gpt-4o-2024-11-20", { 25, 0, 0, 3, 0 } },
};

static void
test_stream_case (gconstpointer data)
{
  const StreamCase *c = data;
  g_autoptr(ByokChatResult) result = play_stream_every_way ("openai", &c->ctx, c->fixture);

  g_assert_no_error (result->error);
  if (c->reasoning != NULL)
    g_assert_cmpstr (result->reasoning->str, ==, c->reasoning);
  g_assert_cmpstr (result->text->str, ==, c->text);
  g_assert_cmpint (result->finish_reason, ==, c->finish);
  if (c->response_model != NULL)
    g_assert_cmpstr (result->response_model, ==, c->response_model);
  assert_usage (&result->usage, c->usage[0], c->usage[1], c->usage[2], c->usage[3], c->usage[4]);
}

static void
test_stream_openrouter (void)
{
  ByokErrorContext ctx = { "openrouter", "OpenRouter", "anthropic/claude-sonnet-4", NULL };
  g_autoptr(ByokChatResult) result = play_stream_every_way ("openai", &ctx, "openrouter-stream.sse");
  g_autoptr(ByokChatResult) failed = NULL;

  g_assert_no_error (result->error);
  g_assert_cmpstr (result->reasoning->str, ==, "Let me think briefly.");
  g_assert_cmpstr (result->text->str, ==, "Paris.");
  /* The usage chunk's finish_reason null does not undo "stop". */
  g_assert_cmpint (result->finish_reason, ==, BYOK_FINISH_STOP);
  g_assert_cmpstr (result->response_model, ==, "anthropic/claude-sonnet-4");
  assert_usage (&result->usage, 2100, 0, 2048, 60, 40);
  /* What OpenRouter billed, from the last chunk's usage.cost, unasked. */
  g_assert_true (result->usage.cost_reported);
  g_assert_cmpfloat (result->usage.reported_cost_usd, ==, 0.01083);

  /* An error chunk after text: a failure (code 502 → SERVER), text kept. */
  failed = play_stream_every_way ("openai", &ctx, "openrouter-error.sse");
  g_assert_error (failed->error, BYOK_ERROR, BYOK_ERROR_SERVER);
  g_assert_nonnull (strstr (failed->error->message, "Provider returned error"));
  g_assert_cmpstr (failed->text->str, ==, "Half an ans");
  g_assert_cmpint (failed->finish_reason, ==, BYOK_FINISH_ERROR);
}

static void
test_stream_openai_failures (void)
{
  ByokErrorContext ctx = { "openai", "OpenAI", "gpt-4o-mini", NULL };
  g_autoptr(ByokChatResult) midstream = play_stream_every_way ("openai", &ctx, "openai-midstream-error.sse");
  g_autoptr(ByokChatResult) truncated = play_stream_every_way ("openai", &ctx, "openai-truncated.sse");

  g_assert_error (midstream->error, BYOK_ERROR, BYOK_ERROR_SERVER);
  g_assert_cmpstr (midstream->text->str, ==, "Once upon a time");
  g_assert_cmpint (midstream->finish_reason, ==, BYOK_FINISH_ERROR);
  g_assert_false (midstream->usage.reported);

  /* EOF before [DONE]: cut short, text kept. */
  g_assert_error (truncated->error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_assert_cmpstr (truncated->text->str, ==, "Cut short");
}

static void
test_stream_anthropic (void)
{
  ByokErrorContext ctx = { "anthropic", "Anthropic", "claude-sonnet-4-20250514", NULL };
  g_autoptr(ByokChatResult) result = play_stream_every_way ("anthropic", &ctx, "stream-thinking.sse");
  g_autoptr(ByokChatResult) overloaded = NULL;
  g_autoptr(ByokChatResult) cut = NULL;

  g_assert_no_error (result->error);
  g_assert_cmpstr (result->reasoning->str, ==, "The user asks for 2+2. That is 4.");
  g_assert_cmpstr (result->text->str, ==, "2 + 2 = 4 — «easy».");
  g_assert_cmpint (result->finish_reason, ==, BYOK_FINISH_STOP);
  g_assert_cmpstr (result->response_model, ==, "claude-sonnet-4-20250514");
  g_assert_cmpstr (result->response_id, ==, "msg_01FakeFakeFake0001");
  /* input = 12 + 3000 cache reads + 1500 cache writes; output from message_delta */
  assert_usage (&result->usage, 4512, 3000, 1500, 42, 0);

  overloaded = play_stream_every_way ("anthropic", &ctx, "stream-overloaded.sse");
  g_assert_error (overloaded->error, BYOK_ERROR, BYOK_ERROR_OVERLOADED);
  g_assert_nonnull (strstr (overloaded->error->message, "Anthropic"));
  g_assert_cmpstr (overloaded->text->str, ==, "Hello, I was");
  /* What message_start reported is kept for the record. */
  assert_usage (&overloaded->usage, 25, 0, 0, 1, 0);

  /* Cumulative message_delta usage (3, then 5): the last wins, not 8;
   * null cache counts; initial block text; an unknown event type. */
  cut = play_stream_every_way ("anthropic", &ctx, "stream-max-tokens.sse");
  g_assert_no_error (cut->error);
  g_assert_cmpstr (cut->text->str, ==, "AB");
  g_assert_cmpint (cut->finish_reason, ==, BYOK_FINISH_LENGTH);
  assert_usage (&cut->usage, 10, 0, 0, 5, 0);

  /* Adaptive thinking: the thinking part of the output, as Anthropic
   * counts it (output_tokens_details.thinking_tokens), is reasoning. */
  {
    g_autoptr(ByokChatResult) adaptive = play_stream_every_way ("anthropic", &ctx, "stream-adaptive.sse");

    g_assert_no_error (adaptive->error);
    g_assert_cmpstr (adaptive->reasoning->str, ==, "Rayleigh scattering: shorter wavelengths scatter more.");
    g_assert_cmpstr (adaptive->text->str, ==, "Air scatters blue light most.");
    assert_usage (&adaptive->usage, 21, 0, 0, 180, 151);
  }
}

static void
test_stream_gemini (void)
{
  ByokErrorContext ctx = { "gemini", "Google Gemini", "gemini-2.5-flash", NULL };
  g_autoptr(ByokChatResult) result = play_stream_every_way ("gemini", &ctx, "stream-thoughts.sse");
  g_autoptr(ByokChatResult) safety = NULL;
  g_autoptr(ByokChatResult) truncated = NULL;
  g_autoptr(ByokChatResult) failed = NULL;

  g_assert_no_error (result->error);
  g_assert_cmpstr (result->reasoning->str, ==,
                   "**Recalling capitals**\n\nThe user wants the capital of France.");
  g_assert_cmpstr (result->text->str, ==, "Paris is the capital of France. 🇫🇷");
  g_assert_cmpint (result->finish_reason, ==, BYOK_FINISH_STOP);
  g_assert_cmpstr (result->response_model, ==, "gemini-2.5-flash");
  /* Cumulative usageMetadata: the last chunk's; output = 9 + 50 thoughts */
  assert_usage (&result->usage, 10, 4, 0, 59, 50);

  /* SAFETY with no content: a normal end with a content_filter finish. */
  safety = play_stream_every_way ("gemini", &ctx, "stream-safety.sse");
  g_assert_no_error (safety->error);
  g_assert_cmpstr (safety->text->str, ==, "I");
  g_assert_cmpint (safety->finish_reason, ==, BYOK_FINISH_CONTENT_FILTER);
  assert_usage (&safety->usage, 8, 0, 0, 1, 0);

  /* No terminator, and no finishReason before EOF: cut short. */
  truncated = play_stream_every_way ("gemini", &ctx, "stream-truncated.sse");
  g_assert_error (truncated->error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_assert_cmpstr (truncated->text->str, ==, "Paris is the capital");

  failed = play_stream_every_way ("gemini", &ctx, "stream-error.sse");
  g_assert_error (failed->error, BYOK_ERROR, BYOK_ERROR_OVERLOADED);
  g_assert_cmpstr (failed->text->str, ==, "Paris is the capital");
}

static void
test_stream_is_complete (void)
{
  ByokErrorContext ctx = { "gemini", "Google Gemini", "gemini-2.5-flash", NULL };
  g_autoptr(ByokChatResult) result = byok_chat_result_new ("gemini", "gemini-2.5-flash");
  g_autoptr(ByokDialectStream) gemini = byok_dialect_stream_new (byok_dialect_get ("gemini"), &ctx);
  g_autoptr(ByokDialectStream) openai = byok_dialect_stream_new (byok_dialect_get ("openai"), NULL);
  g_autoptr(GError) error = NULL;
  gboolean done = TRUE;

  g_assert_false (byok_dialect_stream_is_complete (gemini));
  g_assert_true (byok_dialect_stream_parse_event (gemini, NULL,
                                                  "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]}}]}",
                                                  result, &done, &error));
  g_assert_false (done);
  g_assert_false (byok_dialect_stream_is_complete (gemini));
  g_assert_true (byok_dialect_stream_parse_event (gemini, NULL,
                                                  "{\"candidates\":[{\"finishReason\":\"STOP\"}]}",
                                                  result, &done, &error));
  /* Gemini's chunk with a finishReason is its end, as [DONE] is OpenAI's:
   * the call stops reading there; a chunk after it is not appended. */
  g_assert_true (done);
  g_assert_true (byok_dialect_stream_is_complete (gemini));
  g_assert_true (byok_dialect_stream_parse_event (gemini, NULL,
                                                  "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"b\"}]}}]}",
                                                  result, &done, &error));
  g_assert_true (done);
  g_assert_cmpstr (result->text->str, ==, "a");

  /* OpenAI: a finish reason is not the end; [DONE] is, padded or not. */
  g_assert_true (byok_dialect_stream_parse_event (openai, NULL,
                                                  "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
                                                  result, &done, &error));
  g_assert_false (byok_dialect_stream_is_complete (openai));
  g_assert_true (byok_dialect_stream_parse_event (openai, NULL, " [DONE] ", result, &done, &error));
  g_assert_true (done);
  g_assert_true (byok_dialect_stream_is_complete (openai));
  /* After the end, events are ignored. */
  g_assert_true (byok_dialect_stream_parse_event (openai, NULL, "not json", result, &done, &error));
  g_assert_no_error (error);
}

static void
test_stream_tolerance (void)
{
  /* null where strings are expected, unknown members, padded JSON, a
   * repeated and then corrected usage report, a bad event. */
  const char *events[] = {
    "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":null,\"tool_calls\":null}}],\"model\":null,\"id\":null,\"usage\":null}",
    "  {\"weird\": {\"nested\": [1, {\"x\": null}]}, \"choices\": [ {\"index\": 0, \"delta\": {\"content\": \"ok\"}, \"finish_reason\": null} ] }  ",
    "{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"second choice is ignored\"}}]}",
    "{\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":1}}",
    "{\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":7,\"completion_tokens_details\":null,\"prompt_tokens_details\":null}}",
    "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}],\"usage\":{\"total_tokens\":17}}",
  };
  g_autoptr(ByokChatResult) result = byok_chat_result_new ("x", "y");
  g_autoptr(ByokDialectStream) stream = byok_dialect_stream_new (byok_dialect_get ("openai"), NULL);
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    {
      g_assert_true (byok_dialect_stream_parse_event (stream, NULL, events[i], result, &done, &error));
      g_assert_no_error (error);
      g_assert_false (done);
    }
  g_assert_cmpstr (result->text->str, ==, "ok");
  g_assert_null (result->response_model);
  g_assert_cmpint (result->finish_reason, ==, BYOK_FINISH_TOOL_CALLS);
  /* The last report; a usage object without token counts is no report. */
  assert_usage (&result->usage, 10, 0, 0, 7, 0);

  g_assert_false (byok_dialect_stream_parse_event (stream, NULL, "{\"choices\": [", result, &done, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_assert_cmpstr (result->text->str, ==, "ok");
}

/* ---- errors -------------------------------------------------------------- */

typedef struct {
  const char *dialect;
  const char *provider_id;
  const char *provider_name;
  guint status;
  const char *fixture;      /* "dialect/file", or NULL to use body */
  const char *body;
  ByokErrorCode code;
  const char *says;         /* a substring the message must hold, or NULL */
} ErrorCase;

static void
test_errors_classified (void)
{
  const ErrorCase cases[] = {
    /* 401/403 */
    { "openai", "moonshot", "Moonshot", 401, "openai/moonshot-error-auth.json", NULL, BYOK_ERROR_AUTH,
      "Moonshot rejected the key (401). Check it in Providers, or run `byok-cli keys test moonshot`." },
    { "anthropic", "anthropic", "Anthropic", 401, "anthropic/error-auth.json", NULL, BYOK_ERROR_AUTH, "invalid x-api-key" },
    { "openai", "openai", "OpenAI", 403, NULL, "{\"error\":{\"message\":\"Country, region, or territory not supported\",\"type\":\"request_forbidden\",\"code\":\"unsupported_country_region_territory\"}}", BYOK_ERROR_AUTH, NULL },
    /* Gemini's bad key is a 400 */
    { "gemini", "gemini", "Google Gemini", 400, "gemini/error-api-key-invalid.json", NULL, BYOK_ERROR_AUTH, "rejected the key (400)" },
    /* 429s that are billing */
    { "openai", "openai", "OpenAI", 429, "openai/error-insufficient-quota.json", NULL, BYOK_ERROR_QUOTA, "credit" },
    { "openai", "moonshot", "Moonshot", 429, "openai/moonshot-error-quota.json", NULL, BYOK_ERROR_QUOTA, NULL },
    { "openai", "zhipu", "Zhipu", 429, "openai/zhipu-error-1113.json", NULL, BYOK_ERROR_QUOTA, "您的账户已欠费" },
    { "openai", "deepseek", "DeepSeek", 402, "openai/deepseek-error-balance.json", NULL, BYOK_ERROR_QUOTA, "Insufficient Balance" },
    /* Anthropic's low credit balance is a 400 */
    { "anthropic", "anthropic", "Anthropic", 400, "anthropic/error-credit.json", NULL, BYOK_ERROR_QUOTA, "credit balance is too low" },
    /* 429s that waiting fixes */
    { "openai", "openai", "OpenAI", 429, "openai/error-rate-limit.json", NULL, BYOK_ERROR_RATE_LIMIT, NULL },
    { "openai", "zhipu", "Zhipu", 429, "openai/zhipu-error-1302.json", NULL, BYOK_ERROR_RATE_LIMIT, NULL },
    { "anthropic", "anthropic", "Anthropic", 429, "anthropic/error-rate-limit.json", NULL, BYOK_ERROR_RATE_LIMIT, NULL },
    { "gemini", "gemini", "Google Gemini", 429, "gemini/error-rate-limit.json", NULL, BYOK_ERROR_RATE_LIMIT, "Try again in 33 seconds." },
    /* context */
    { "openai", "openai", "OpenAI", 400, "openai/error-context-length.json", NULL, BYOK_ERROR_CONTEXT_LENGTH, "too long" },
    { "anthropic", "anthropic", "Anthropic", 400, "anthropic/error-prompt-too-long.json", NULL, BYOK_ERROR_CONTEXT_LENGTH, "prompt is too long" },
    { "gemini", "gemini", "Google Gemini", 400, "gemini/error-context-length.json", NULL, BYOK_ERROR_CONTEXT_LENGTH, NULL },
    /* not found */
    { "openai", "openai", "OpenAI", 404, "openai/error-model-not-found.json", NULL, BYOK_ERROR_NOT_FOUND, "was not found at OpenAI" },
    { "anthropic", "anthropic", "Anthropic", 404, "anthropic/error-not-found.json", NULL, BYOK_ERROR_NOT_FOUND, NULL },
    { "gemini", "gemini", "Google Gemini", 404, "gemini/error-not-found.json", NULL, BYOK_ERROR_NOT_FOUND, NULL },
    { "openai", "ollama", "Ollama", 404, NULL, "{\"error\":\"model 'llama9' not found\"}", BYOK_ERROR_NOT_FOUND, "llama9" },
    /* content filter */
    { "openai", "azure", "Azure OpenAI", 400, "openai/azure-error-content-filter.json", NULL, BYOK_ERROR_CONTENT_FILTER, "content filter" },
    /* overloaded, server */
    { "anthropic", "anthropic", "Anthropic", 529, "anthropic/error-overloaded.json", NULL, BYOK_ERROR_OVERLOADED, "overloaded" },
    { "gemini", "gemini", "Google Gemini", 503, "gemini/error-overloaded.json", NULL, BYOK_ERROR_OVERLOADED, NULL },
    { "openai", "openai", "OpenAI", 500, NULL, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}", BYOK_ERROR_SERVER, "(500)" },
    { "openai", "deepseek", "DeepSeek", 502, "openai/nginx-502.html", NULL, BYOK_ERROR_SERVER, "502 Bad Gateway" },
    { "openai", "deepseek", "DeepSeek", 503, NULL, "<html><body>Service Unavailable</body></html>", BYOK_ERROR_OVERLOADED, "web page" },
    /* other 4xx */
    { "openai", "openai", "OpenAI", 400, NULL, "{\"error\":{\"message\":\"Unsupported value: 'temperature' does not support 0.2 with this model.\",\"type\":\"invalid_request_error\",\"param\":\"temperature\",\"code\":\"unsupported_value\"}}", BYOK_ERROR_BAD_REQUEST, "temperature" },
    { "openai", "mistral", "Mistral", 422, NULL, "{\"object\":\"error\",\"message\":\"Input should be a valid string\",\"type\":\"invalid_request_message_not_string\",\"param\":null,\"code\":null}", BYOK_ERROR_BAD_REQUEST, "valid string" },
    { "openai", "openai", "OpenAI", 408, NULL, "", BYOK_ERROR_TIMEOUT, NULL },
    /* a 200 that is not JSON */
    { "openai", "openai", "OpenAI", 200, "openai/captive-portal.html", NULL, BYOK_ERROR_MALFORMED, "web page" },
    { "openai", "openai", "OpenAI", 200, NULL, "{\"id\": \"chatcmpl-1\", \"choices\": [{\"mess", BYOK_ERROR_MALFORMED, "cut short" },
    { "openai", "openai", "OpenAI", 200, NULL, "\xff\xfe{}", BYOK_ERROR_MALFORMED, "UTF-8" },
    /* a 200 that is an error envelope (OpenRouter) */
    { "openai", "openrouter", "OpenRouter", 200, NULL, "{\"error\":{\"message\":\"Rate limit exceeded\",\"code\":429}}", BYOK_ERROR_RATE_LIMIT, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const ErrorCase *c = &cases[i];
      ByokErrorContext ctx = { c->provider_id, c->provider_name, "some-model", NULL };
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      const char *body = c->body;
      gsize len = body ? strlen (body) : 0;
      gint64 retry_us = 0;

      if (c->fixture != NULL)
        {
          g_auto(GStrv) parts = g_strsplit (c->fixture, "/", 2);

          bytes = byok_test_load_fixture (parts[0], parts[1]);
          body = g_bytes_get_data (bytes, &len);
        }

      error = byok_dialect_classify_error (byok_dialect_get (c->dialect), &ctx, c->status,
                                           NULL, NULL, NULL, body, len, &retry_us);
      g_assert_nonnull (error);
      if (error->domain != BYOK_ERROR || error->code != (int) c->code)
        g_error ("case %u (%s %u): %s, expected %s: %s", i, c->provider_id, c->status,
                 byok_error_get_class (error), byok_error_code_to_string (c->code), error->message);
      g_assert_nonnull (strstr (error->message, c->provider_name));
      if (c->says != NULL && strstr (error->message, c->says) == NULL)
        g_error ("case %u: “%s” does not say “%s”", i, error->message, c->says);
      g_test_message ("%s %u → %s: %s", c->provider_id, c->status,
                      byok_error_get_class (error), error->message);
    }
}

static void
test_errors_retry_after (void)
{
  const ByokDialect *dialect = byok_dialect_get ("openai");
  ByokErrorContext ctx = { "openai", "OpenAI", "gpt-4o", NULL };
  const char *body = "{\"error\":{\"message\":\"Slow down\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}";
  struct {
    const char *retry_after;
    const char *retry_after_ms;
    const char *date;
    gint64 expected_us;
  } cases[] = {
    { "7", NULL, NULL, 7 * G_USEC_PER_SEC },
    { " 0 ", NULL, NULL, 0 },
    { "Wed, 21 Oct 2015 07:28:30 GMT", NULL, "Wed, 21 Oct 2015 07:28:00 GMT", 30 * G_USEC_PER_SEC },
    { "Wed, 21 Oct 2015 07:27:00 GMT", NULL, "Wed, 21 Oct 2015 07:28:00 GMT", 0 },   /* past */
    { "20", "1500", NULL, 1500 * 1000 },                                               /* ms wins */
    { NULL, "250.5", NULL, 250500 },
    { "soon", NULL, NULL, -1 },
    { NULL, NULL, NULL, -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 retry_us = 12345;
      g_autoptr(GError) error = byok_dialect_classify_error (dialect, &ctx, 429,
                                                             cases[i].retry_after,
                                                             cases[i].retry_after_ms,
                                                             cases[i].date,
                                                             body, strlen (body), &retry_us);

      g_assert_error (error, BYOK_ERROR, BYOK_ERROR_RATE_LIMIT);
      g_assert_cmpint (retry_us, ==, cases[i].expected_us);
      g_assert_cmpint (byok_dialect_parse_retry_after (cases[i].retry_after, cases[i].retry_after_ms,
                                                       cases[i].date), ==, cases[i].expected_us);
    }

  /* A date relative to now when there is no Date header. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 3600);
    g_autofree char *http = g_date_time_format (later, "%a, %d %b %Y %H:%M:%S GMT");
    gint64 us = byok_dialect_parse_retry_after (http, NULL, NULL);

    g_assert_cmpint (us, >, (gint64) 3500 * G_USEC_PER_SEC);
    g_assert_cmpint (us, <=, (gint64) 3600 * G_USEC_PER_SEC);
  }

  /* Gemini: only in the body's RetryInfo; a header would win. */
  {
    g_autoptr(GBytes) bytes = byok_test_load_fixture ("gemini", "error-rate-limit.json");
    gsize len;
    const char *data = g_bytes_get_data (bytes, &len);
    gint64 retry_us = 0;
    g_autoptr(GError) error = byok_dialect_classify_error (byok_dialect_get ("gemini"), &ctx, 429,
                                                           NULL, NULL, NULL, data, len, &retry_us);
    g_autoptr(GError) error2 = NULL;

    g_assert_error (error, BYOK_ERROR, BYOK_ERROR_RATE_LIMIT);
    g_assert_cmpint (retry_us, ==, 33 * G_USEC_PER_SEC);
    error2 = byok_dialect_classify_error (byok_dialect_get ("gemini"), &ctx, 429,
                                          "5", NULL, NULL, data, len, &retry_us);
    g_assert_cmpint (retry_us, ==, 5 * G_USEC_PER_SEC);
  }

  /* A 503 with Retry-After: waiting is the advice. */
  {
    gint64 retry_us = 0;
    g_autoptr(GError) error = byok_dialect_classify_error (dialect, &ctx, 503, "120", NULL, NULL,
                                                           NULL, 0, &retry_us);

    g_assert_error (error, BYOK_ERROR, BYOK_ERROR_OVERLOADED);
    g_assert_cmpint (retry_us, ==, 120 * G_USEC_PER_SEC);
    g_assert_nonnull (strstr (error->message, "2 minutes"));
  }
}

static void
test_errors_scrub_keys (void)
{
  struct {
    const char *text;
    const char *secret;   /* must be gone */
    const char *kept;     /* must stay */
  } cases[] = {
    /* No part of a key is kept: neither its first nor its last characters. */
    { "Incorrect API key provided: sk-test-fake-0123456789abcdefABCDEF.", "CDEF", "Incorrect API key provided: ••••." },
    { "Incorrect API key provided: sk-proj-********************abcd.", "abcd", "provided: ••••." },
    { "API key AIzaSyFAKE-fake_0123456789abcdefghijklm is invalid", "AIza", "API key •••• is invalid" },
    { "bad key gsk_FAKEfake0123456789abcdefghij for Groq", "FAKEfake0123", "bad key •••• for Groq" },
    { "Authorization: Bearer xai-FAKEfake0123456789abcdef", "cdef", "Authorization: Bearer ••••" },
    { "zhipu key 0123456789abcdef0123456789abcdef.FAKEfakeSECRET12 rejected", "FAKEfakeSECRET", "rejected" },
    { "mistral key aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW was refused", "aB3dE5fG7hI9jK1l", "was refused" },
    /* Not keys: model names, words, numbers stay. */
    { "Model claude-3-5-sonnet-20241022 and gemini-2.5-flash-preview-05-20 on task-force", NULL,
      "Model claude-3-5-sonnet-20241022 and gemini-2.5-flash-preview-05-20 on task-force" },
    { "Limit 30000000000000000000000 tokens; internationalisation_considerations", NULL,
      "Limit 30000000000000000000000 tokens; internationalisation_considerations" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *scrubbed = byok_dialect_scrub_secrets (cases[i].text);

      if (cases[i].secret != NULL && strstr (scrubbed, cases[i].secret) != NULL)
        g_error ("“%s” still holds “%s”", scrubbed, cases[i].secret);
      if (strstr (scrubbed, cases[i].kept) == NULL)
        g_error ("“%s” lost “%s”", scrubbed, cases[i].kept);
    }
  g_assert_null (byok_dialect_scrub_secrets (NULL));

  /* The key echoed in an error body never reaches the message. */
  {
    g_autoptr(GBytes) bytes = byok_test_load_fixture ("openai", "error-invalid-key.json");
    ByokErrorContext ctx = { "openai", "OpenAI", "gpt-4o", NULL };
    gsize len;
    const char *data = g_bytes_get_data (bytes, &len);
    g_autoptr(GError) error = byok_dialect_classify_error (byok_dialect_get ("openai"), &ctx, 401,
                                                           NULL, NULL, NULL, data, len, NULL);

    g_assert_error (error, BYOK_ERROR, BYOK_ERROR_AUTH);
    g_assert_null (strstr (error->message, "sk-test-fake-0123456789abcdefABCDEF"));
    g_assert_null (strstr (error->message, "0123456789abcdef"));
    g_assert_null (strstr (error->message, "CDEF"));
    g_assert_nonnull (strstr (error->message, "provided: ••••"));
  }

  /* Inside a stream too. */
  {
    g_autoptr(ByokDialectStream) stream = byok_dialect_stream_new (byok_dialect_get ("openai"), NULL);
    g_autoptr(ByokChatResult) result = byok_chat_result_new (NULL, NULL);
    g_autoptr(GError) error = NULL;
    gboolean done;

    g_assert_false (byok_dialect_stream_parse_event (stream, NULL,
        "{\"error\":{\"message\":\"key sk-or-v1-0123456789abcdef0123456789abcdef revoked\",\"code\":401}}",
        result, &done, &error));
    g_assert_error (error, BYOK_ERROR, BYOK_ERROR_AUTH);
    g_assert_null (strstr (error->message, "0123456789abcdef"));
  }
}

/* What follows "Bearer " can be any text: it is masked whole, so the
 * result stays UTF-8 (a cut inside a character was found by
 * fuzz-dialect-openai; the input is in its corpus). */
static void
test_errors_scrub_keys_utf8 (void)
{
  const char *texts[] = {
    "Bearer \x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b试。\"}",
    "Bearer 试试试试试试试试试试试试试试试试试试",
    "Authorization: Bearer ключ-ключ-ключ-ключ-ключ rejected",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *scrubbed = byok_dialect_scrub_secrets (texts[i]);

      g_assert_true (g_utf8_validate (scrubbed, -1, NULL));
      g_assert_true (g_str_has_prefix (scrubbed, texts[i][0] == 'B' ? "Bearer " : "Authorization: Bearer "));
    }
  {
    g_autofree char *scrubbed = byok_dialect_scrub_secrets (texts[1]);

    g_assert_cmpstr (scrubbed, ==, "Bearer ••••");
  }
}

/* The key that was sent (ByokErrorContext.secret) is masked whatever its
 * shape — here one no pattern knows — wherever the provider repeats it,
 * also where the message is cut: before the cut, not after. */
#define SENT_KEY "k9Wd-test-fake-Zq2w-Lm4x"

static void
assert_no_sent_key (const GError *error)
{
  g_assert_nonnull (error);
  for (gsize i = 0; i + 6 <= strlen (SENT_KEY); i++)
    {
      g_autofree char *part = g_strndup (SENT_KEY + i, 6);

      if (strstr (error->message, part) != NULL)
        g_error ("“%s” holds “%s” of the key", error->message, part);
    }
}

static void
test_errors_redact_sent_key (void)
{
  ByokErrorContext ctx = { "openai", "OpenAI", "gpt-4o", NULL, SENT_KEY };
  g_autoptr(GString) padded = g_string_new (NULL);
  g_autoptr(GString) spaced = g_string_new (NULL);
  const char *bodies[] = {
    "{\"error\": {\"message\": \"Incorrect API key provided: " SENT_KEY ".\", \"code\": \"invalid_api_key\"}}",
    "{\"type\": \"error\", \"error\": {\"type\": \"authentication_error\", \"message\": \"invalid x-api-key " SENT_KEY "\"}}",
    "{\"error\": {\"code\": 400, \"message\": \"API key not valid: " SENT_KEY "\", \"status\": \"INVALID_ARGUMENT\"}}",
    "{\"error\": {\"message\": \"Authorization: Bearer " SENT_KEY " is invalid\"}}",
    "{\"error\": {\"message\": \"see https://example.invalid/keys?k=" SENT_KEY "\"}}",
    "<html><head><title>Denied " SENT_KEY "</title></head></html>",
    "Unauthorized: " SENT_KEY,
    NULL, /* padded: the key across the 200-character cut */
    NULL, /* spaced: the key across the cut of a plain-text body */
  };

  g_string_append (padded, "{\"error\": {\"message\": \"");
  for (guint i = 0; i < 190; i++)
    g_string_append_c (padded, 'x');
  g_string_append (padded, " " SENT_KEY "\"}}");
  bodies[7] = padded->str;

  /* 790 bytes that collapse to a few characters, then the key: a cut of
   * the raw body at 800 bytes would leave its head. */
  g_string_append (spaced, "Denied");
  for (guint i = 0; i < 790; i++)
    g_string_append_c (spaced, ' ');
  g_string_append (spaced, SENT_KEY);
  bodies[8] = spaced->str;

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GError) error = byok_dialect_classify_error (byok_dialect_get ("openai"), &ctx, 401, NULL,
                                                             NULL, NULL, bodies[i], strlen (bodies[i]), NULL);

      g_assert_error (error, BYOK_ERROR, BYOK_ERROR_AUTH);
      assert_no_sent_key (error);
    }

  /* The same body without the secret: the key shows, so the mask above is
   * the secret's doing. */
  {
    ByokErrorContext bare = { "openai", "OpenAI", "gpt-4o", NULL, NULL };
    g_autoptr(GError) error = byok_dialect_classify_error (byok_dialect_get ("openai"), &bare, 401, NULL,
                                                           NULL, NULL, bodies[0], strlen (bodies[0]), NULL);

    g_assert_nonnull (strstr (error->message, SENT_KEY));
  }

  /* Inside a 200 stream, in each dialect, and in a 200 body. */
  {
    const char *dialect_names[] = { "openai", "anthropic", "gemini" };
    const char *events[] = {
      "{\"error\": {\"message\": \"key " SENT_KEY " revoked\", \"code\": 401}}",
      "{\"type\": \"error\", \"error\": {\"type\": \"authentication_error\", \"message\": \"key " SENT_KEY " revoked\"}}",
      "{\"error\": {\"code\": 401, \"message\": \"key " SENT_KEY " revoked\", \"status\": \"UNAUTHENTICATED\"}}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (dialect_names); i++)
      {
        g_autoptr(ByokDialectStream) stream = byok_dialect_stream_new (byok_dialect_get (dialect_names[i]), &ctx);
        g_autoptr(ByokChatResult) result = byok_chat_result_new (NULL, NULL);
        g_autoptr(ByokChatResult) whole = byok_chat_result_new (NULL, NULL);
        g_autoptr(GError) error = NULL;
        g_autoptr(GError) body_error = NULL;
        gboolean done;

        g_assert_false (byok_dialect_stream_parse_event (stream, i == 1 ? "error" : NULL, events[i],
                                                         result, &done, &error));
        assert_no_sent_key (error);
        g_assert_false (byok_dialect_parse_response (byok_dialect_get (dialect_names[i]), &ctx, events[i],
                                                     strlen (events[i]), whole, &body_error));
        assert_no_sent_key (body_error);
      }
  }
}

static void
test_errors_long_message (void)
{
  g_autoptr(GString) body = g_string_new ("{\"error\":{\"message\":\"");
  ByokErrorContext ctx = { "openai", "OpenAI", "gpt-4o", NULL };
  g_autoptr(GError) error = NULL;
  const char *said;

  for (guint i = 0; i < 100; i++)
    g_string_append (body, "ünïcödé\\n  ");
  g_string_append (body, "\",\"type\":\"invalid_request_error\"}}");

  error = byok_dialect_classify_error (byok_dialect_get ("openai"), &ctx, 400, NULL, NULL, NULL,
                                       body->str, body->len, NULL);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_BAD_REQUEST);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  said = strstr (error->message, "OpenAI said: “");
  g_assert_nonnull (said);
  /* At most 200 characters of the provider's message, on one line. */
  g_assert_cmpint (g_utf8_strlen (said, -1), <=, strlen ("OpenAI said: “”") + 200);
  g_assert_null (strchr (error->message, '\n'));
  g_assert_true (g_str_has_suffix (error->message, "…”"));
}

static void
test_errors_suggest_model (void)
{
  const char * const known[] = {
    "moonshot-v1-8k", "moonshot-v1-32k", "kimi-k2-turbo-preview", "kimi-k2-0905-preview",
    "kimi-latest", NULL
  };
  ByokErrorContext ctx = { "moonshot", "Moonshot", "kimi-k2", known };
  g_autoptr(GBytes) bytes = byok_test_load_fixture ("openai", "moonshot-error-not-found.json");
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autoptr(GError) error = byok_dialect_classify_error (byok_dialect_get ("openai"), &ctx, 404,
                                                         NULL, NULL, NULL, data, len, NULL);
  g_autofree char *typo = byok_dialect_suggest_model ("moonshot-v1-8", known);
  g_autofree char *longer = byok_dialect_suggest_model ("kimi-latest-2099", known);
  g_autofree char *close = byok_dialect_suggest_model ("moonshot-v1-33k", known);
  g_autofree char *far = byok_dialect_suggest_model ("gpt-4o", known);
  g_autofree char *exact = byok_dialect_suggest_model ("kimi-latest", known);
  g_autofree char *none = byok_dialect_suggest_model ("kimi-k2", NULL);

  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==,
                   "Model “kimi-k2” was not found at Moonshot; did you mean kimi-k2-0905-preview?");
  /* A prefix first (the shortest), then one the id starts with, then the
   * closest by edit distance; nothing when nothing is close or it is known. */
  g_assert_cmpstr (typo, ==, "moonshot-v1-8k");
  g_assert_cmpstr (longer, ==, "kimi-latest");
  g_assert_cmpstr (close, ==, "moonshot-v1-32k");
  g_assert_null (far);
  g_assert_null (exact);
  g_assert_null (none);

  /* Without known models: the model and what to do. */
  {
    ByokErrorContext bare = { "moonshot", "Moonshot", "kimi-k2", NULL };
    g_autoptr(GError) plain = byok_dialect_classify_error (byok_dialect_get ("openai"), &bare, 404,
                                                           NULL, NULL, NULL, data, len, NULL);

    g_assert_error (plain, BYOK_ERROR, BYOK_ERROR_NOT_FOUND);
    g_assert_true (g_str_has_prefix (plain->message, "Model “kimi-k2” was not found at Moonshot (404)."));
  }
}

/* Numbers no provider sends, but a broken one (or a proxy) might: token
 * counts that overflow when added, doubles out of a gint64's range. Found
 * with the fuzz targets in tests/fuzz (their corpora hold these inputs). */
static void
test_usage_huge_numbers (void)
{
  ByokErrorContext ctx = { "x", "X", "m", NULL };
  const char *gemini = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]},\"finishReason\":\"STOP\"}],"
                       "\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":9223372036854775807,"
                       "\"thoughtsTokenCount\":1}}";
  const char *anthropic = "{\"type\":\"message\",\"content\":[],\"usage\":{\"input_tokens\":9223372036854775807,"
                          "\"cache_read_input_tokens\":1,\"cache_creation_input_tokens\":-5,\"output_tokens\":2}}";
  const char *huge_double = "{\"candidates\":[],\"usageMetadata\":{\"promptTokenCount\":1e300}}";
  const char *openai = "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"a\"},\"finish_reason\":\"stop\"}],"
                       "\"usage\":{\"prompt_tokens\":-1e300,\"completion_tokens\":4.0e1}}";
  g_autoptr(ByokChatResult) g = byok_chat_result_new ("x", "m");
  g_autoptr(ByokChatResult) a = byok_chat_result_new ("x", "m");
  g_autoptr(ByokChatResult) d = byok_chat_result_new ("x", "m");
  g_autoptr(ByokChatResult) o = byok_chat_result_new ("x", "m");
  g_autoptr(GError) error = NULL;

  g_assert_true (byok_dialect_parse_response (byok_dialect_get ("gemini"), &ctx, gemini, strlen (gemini), g, &error));
  g_assert_no_error (error);
  /* The sum stops at the largest count rather than overflow. */
  assert_usage (&g->usage, 3, 0, 0, G_MAXINT64, 1);

  g_assert_true (byok_dialect_parse_response (byok_dialect_get ("anthropic"), &ctx, anthropic, strlen (anthropic), a, &error));
  g_assert_no_error (error);
  /* A negative count adds nothing. */
  g_assert_cmpint (a->usage.input_tokens, ==, G_MAXINT64);
  g_assert_cmpint (a->usage.output_tokens, ==, 2);

  /* 1e300 is no token count: no usage was reported. */
  g_assert_true (byok_dialect_parse_response (byok_dialect_get ("gemini"), &ctx, huge_double, strlen (huge_double), d, &error));
  g_assert_no_error (error);
  g_assert_false (d->usage.reported);

  /* A count written as a double is read; one out of range is not. */
  g_assert_true (byok_dialect_parse_response (byok_dialect_get ("openai"), &ctx, openai, strlen (openai), o, &error));
  g_assert_no_error (error);
  g_assert_true (o->usage.reported);
  g_assert_cmpint (o->usage.input_tokens, ==, 0);
  g_assert_cmpint (o->usage.output_tokens, ==, 40);

  /* An error code written as a double: still the status it means. */
  {
    const char *body = "{\"error\":{\"message\":\"Rate limit\",\"code\":4.29e2}}";
    g_autoptr(GError) classified = byok_dialect_classify_error (byok_dialect_get ("openai"), &ctx, 200, NULL, NULL,
                                                                NULL, body, strlen (body), NULL);
    const char *weird = "{\"error\":{\"message\":\"Odd\",\"code\":1e300}}";
    g_autoptr(GError) odd = byok_dialect_classify_error (byok_dialect_get ("openai"), &ctx, 200, NULL, NULL,
                                                         NULL, weird, strlen (weird), NULL);

    g_assert_error (classified, BYOK_ERROR, BYOK_ERROR_RATE_LIMIT);
    g_assert_error (odd, BYOK_ERROR, BYOK_ERROR_SERVER);
  }
}

/* json-glib decodes a lone surrogate escape into bytes that are not UTF-8:
 * such a document is MALFORMED, never text (found by fuzz-dialect-openai
 * and fuzz-dialect-gemini; the inputs are in their corpora). */
static void
test_lone_surrogates (void)
{
  ByokErrorContext ctx = { "x", "X", "m", NULL };
  const char *openai = "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"a \\ud83d b\"},\"finish_reason\":\"stop\"}]}";
  const char *gemini = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"ok\"}]},\"finishReason\":\"STOP\"}],"
                       "\"responseId\":\"f\\ud83dp0001\"}";
  const char *event = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\ud8%3d\\ude00\"}}]}";
  const char *error_body = "{\"error\":{\"message\":\"bad \\udc00 key\",\"type\":\"invalid_request_error\"}}";
  g_autoptr(ByokChatResult) o = byok_chat_result_new ("x", "m");
  g_autoptr(ByokChatResult) g = byok_chat_result_new ("x", "m");
  g_autoptr(ByokChatResult) s = byok_chat_result_new ("x", "m");
  g_autoptr(ByokDialectStream) stream = byok_dialect_stream_new (byok_dialect_get ("openai"), &ctx);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) classified = NULL;
  gboolean done = FALSE;

  g_assert_false (byok_dialect_parse_response (byok_dialect_get ("openai"), &ctx, openai, strlen (openai), o, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_assert_cmpstr (o->text->str, ==, "");
  g_clear_error (&error);

  g_assert_false (byok_dialect_parse_response (byok_dialect_get ("gemini"), &ctx, gemini, strlen (gemini), g, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_assert_null (g->response_id);
  g_clear_error (&error);

  g_assert_false (byok_dialect_stream_parse_event (stream, NULL, event, s, &done, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_assert_true (g_utf8_validate (s->text->str, -1, NULL));

  classified = byok_dialect_classify_error (byok_dialect_get ("openai"), &ctx, 400, NULL, NULL, NULL,
                                            error_body, strlen (error_body), NULL);
  g_assert_error (classified, BYOK_ERROR, BYOK_ERROR_BAD_REQUEST);
  g_assert_true (g_utf8_validate (classified->message, -1, NULL));
}

/* A long error page that is not JSON, cut where the message is quoted:
 * the cut falls between characters, so the provider's words are kept. */
static void
test_errors_long_text_body (void)
{
  ByokErrorContext ctx = { "x", "X", "m", NULL };
  g_autoptr(GString) body = g_string_new ("x");
  g_autoptr(GError) error = NULL;

  /* 799 bytes, then a 3-byte character across the 800-byte cut. */
  while (body->len < 799)
    g_string_append_c (body, 'y');
  for (guint i = 0; i < 100; i++)
    g_string_append (body, "€");

  error = byok_dialect_classify_error (byok_dialect_get ("openai"), &ctx, 500, NULL, NULL, NULL,
                                       body->str, body->len, NULL);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_SERVER);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_nonnull (strstr (error->message, "X said: “xyyy"));
}

/* ---- hostile answers ----------------------------------------------------- */

/* @n times @open, then @n times @close. */
static char *
nested (guint       n,
        const char *open,
        const char *close)
{
  GString *json = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (json, open);
  for (guint i = 0; i < n; i++)
    g_string_append (json, close);
  return g_string_free (json, FALSE);
}

/* The depth gate: 256 levels pass, 257 do not; brackets in strings, after
 * escaped quotes, do not count. */
static void
test_json_nesting_gate (void)
{
  g_autofree char *arrays_256 = nested (256, "[", "]");
  g_autofree char *arrays_257 = nested (257, "[", "]");
  g_autofree char *objects_257 = nested (257, "{\"a\":", "}");
  g_autofree char *mixed_256 = nested (128, "{\"a\":[", "]}");
  g_autofree char *brackets = nested (1000, "[", "");
  g_autofree char *in_string = g_strdup_printf ("{\"a\":\"%s\",\"b\":\"\\\"%s\\\\\"}", brackets, brackets);
  g_autofree char *deep = byok_test_deep_json (100000);
  g_autoptr(JsonNode) ok = NULL;
  g_autoptr(JsonNode) ok_strings = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (byok_json_nesting_ok (arrays_256, -1));
  g_assert_false (byok_json_nesting_ok (arrays_257, -1));
  g_assert_false (byok_json_nesting_ok (objects_257, -1));
  g_assert_true (byok_json_nesting_ok (mixed_256, -1));
  g_assert_true (byok_json_nesting_ok (in_string, -1));
  g_assert_false (byok_json_nesting_ok (brackets, -1));
  /* Only the first @len bytes count; unbalanced or cut text is json-glib's
   * to refuse. */
  g_assert_true (byok_json_nesting_ok (arrays_257, 256));
  g_assert_true (byok_json_nesting_ok ("]]]}}}[[[", -1));
  g_assert_true (byok_json_nesting_ok ("\"open string \\", -1));
  g_assert_true (byok_json_nesting_ok ("", 0));

  ok = byok_json_parse (mixed_256, strlen (mixed_256), &error);
  g_assert_no_error (error);
  g_assert_nonnull (ok);
  ok_strings = byok_json_parse (in_string, strlen (in_string), &error);
  g_assert_no_error (error);
  g_assert_nonnull (ok_strings);

  refused = byok_json_parse (deep, strlen (deep), &error);
  g_assert_null (refused);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "256"));
}

/* Every other place that hands text to json-glib goes through the gate:
 * a catalog file, prices and attached files read back from the database. */
static void
test_json_nesting_everywhere (void)
{
  g_autofree char *deep = byok_test_deep_json (100000);
  g_autofree char *deep_array = nested (100000, "[", "]");
  g_autoptr(ByokCatalog) catalog = NULL;
  g_autoptr(GPtrArray) attachments = NULL;
  g_autoptr(GError) error = NULL;
  ByokPrice price;

  catalog = byok_catalog_new_from_data (deep, -1, &error);
  g_assert_null (catalog);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_clear_error (&error);

  g_assert_false (byok_price_from_json_string (deep, &price, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_clear_error (&error);

  byok_price_init_flat (&price, 1.0, 0.5, 1.25, 2.0);
  g_assert_false (byok_price_set_tiers_from_json (&price, deep_array, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_clear_error (&error);

  attachments = byok_attachments_from_json (deep_array, &error);
  g_assert_null (attachments);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE);
}

/* The event stream @bytes with one more event, of @data, before the
 * line that starts with @before. */
static GBytes *
insert_event (GBytes     *bytes,
              const char *before,
              const char *data)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  const char *at = strstr (text, before);
  GString *out = g_string_new (NULL);

  g_assert_nonnull (at);
  g_string_append_len (out, text, at - text);
  g_string_append_printf (out, "data: %s\n\n", data);
  g_string_append (out, at);
  return g_string_free_to_bytes (out);
}

typedef struct {
  const char *dialect;
  const char *fixture;
  const char *before;      /* the deep event goes before this line */
  const char *text_kept;
} NestingCase;

/* JSON nested 100,000 deep in one event of a stream, in a whole answer or
 * in an error body, in each dialect: refused as MALFORMED before json-glib
 * reads it (it used to overflow the stack), the text before it kept, an
 * error body classified by its status. Streams are cut every way. */
static void
test_nesting_per_dialect (void)
{
  const NestingCase cases[] = {
    { "openai", "openai-stream.sse", "data:   {  \"obfuscation\"", "The capital" },
    { "anthropic", "stream-thinking.sse", "event: ping\ndata: {\"type\": \"ping\"}\n\nevent: content_block_delta\n"
      "data: {\"type\":\"content_block_delta\",\"index\":1", "2 + 2 = 4" },
    { "gemini", "stream-thoughts.sse", "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \" of", "Paris is the capital" },
  };
  g_autofree char *deep = byok_test_deep_json (100000);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const NestingCase *c = &cases[i];
      const ByokDialect *dialect = byok_dialect_get (c->dialect);
      ByokErrorContext ctx = { c->dialect, "Hostile", "m", NULL };
      g_autoptr(GBytes) fixture = byok_test_load_fixture (c->dialect, c->fixture);
      g_autoptr(GBytes) stream = insert_event (fixture, c->before, deep);
      g_autoptr(ByokChatResult) streamed = play_bytes_every_way (c->dialect, &ctx, stream);
      g_autoptr(ByokChatResult) whole = byok_chat_result_new ("x", "m");
      g_autoptr(GError) error = NULL;
      const guint statuses[] = { 200, 400, 500 };
      const int codes[] = { BYOK_ERROR_MALFORMED, BYOK_ERROR_BAD_REQUEST, BYOK_ERROR_SERVER };

      g_assert_error (streamed->error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
      g_assert_nonnull (strstr (streamed->error->message, "Hostile sent JSON nested more than 256 levels"));
      g_assert_cmpstr (streamed->text->str, ==, c->text_kept);
      g_assert_cmpint (streamed->finish_reason, ==, BYOK_FINISH_ERROR);

      g_assert_false (byok_dialect_parse_response (dialect, &ctx, deep, strlen (deep), whole, &error));
      g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
      g_assert_nonnull (strstr (error->message, "nested more than 256 levels"));

      for (guint j = 0; j < G_N_ELEMENTS (statuses); j++)
        {
          g_autoptr(GError) classified = byok_dialect_classify_error (dialect, &ctx, statuses[j], NULL, NULL, NULL,
                                                                      deep, strlen (deep), NULL);

          g_assert_error (classified, BYOK_ERROR, codes[j]);
        }
    }
}

/* An event with empty data — a bare "data" line, "data:", "data: ",
 * between every two events and after the last — is no message: each
 * dialect reads the stream as if it were not there, cut every way. */
static void
test_stream_empty_data (void)
{
  const struct {
    const char *dialect;
    const char *plain;
    const char *with_empty;
  } cases[] = {
    { "openai", "openai-stream.sse", "openai-empty-data.sse" },
    { "anthropic", "stream-thinking.sse", "stream-empty-data.sse" },
    { "gemini", "stream-thoughts.sse", "stream-empty-data.sse" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      ByokErrorContext ctx = { cases[i].dialect, "X", "m", NULL };
      g_autoptr(ByokChatResult) plain = play_stream_every_way (cases[i].dialect, &ctx, cases[i].plain);
      g_autoptr(ByokChatResult) empty = play_stream_every_way (cases[i].dialect, &ctx, cases[i].with_empty);

      g_assert_no_error (plain->error);
      g_assert_no_error (empty->error);
      g_assert_cmpstr (empty->text->str, ==, plain->text->str);
      g_assert_cmpstr (empty->reasoning->str, ==, plain->reasoning->str);
      g_assert_cmpint (empty->finish_reason, ==, plain->finish_reason);
      g_assert_true (byok_usage_equal (&empty->usage, &plain->usage));
      g_assert_cmpuint (plain->text->len, >, 0);
    }
}

/* The cap counts text and reasoning together; crossing it fails the
 * stream as MALFORMED, keeping what arrived; events after are ignored.
 * (The real 64 MiB is streamed by test-client's answer-cap tests.) */
static void
test_stream_answer_cap (void)
{
  g_autoptr(GBytes) bytes = byok_test_load_fixture ("openai", "deepseek-stream.sse");
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(ByokSse) sse = byok_sse_new ();
  g_autoptr(ByokDialectStream) stream = byok_dialect_stream_new (byok_dialect_get ("openai"), NULL);
  g_autoptr(ByokChatResult) result = byok_chat_result_new ("deepseek", "deepseek-reasoner");
  g_autoptr(GError) error = NULL;
  const char *reasoning = "9.11 and 9.8: compare 0.80 with 0.11.";
  gboolean done = FALSE;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  guint i;

  g_assert_cmpuint (stream->max_answer_bytes, ==, 64 * 1024 * 1024);
  /* All the reasoning fits; the first text beyond it does not. */
  stream->max_answer_bytes = strlen (reasoning) + 1;
  byok_sse_feed (sse, data, len, collect_event_data, events, NULL);
  for (i = 0; i < events->len; i++)
    if (!byok_dialect_stream_parse_event (stream, NULL, g_ptr_array_index (events, i), result, &done, &error))
      break;

  g_assert_cmpuint (i, <, events->len);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "exceeded"));
  g_assert_nonnull (strstr (error->message, "What arrived is kept"));
  g_assert_cmpstr (result->reasoning->str, ==, reasoning);
  g_assert_cmpuint (result->text->len, >, 0);
  g_assert_false (byok_dialect_stream_is_complete (stream));
  g_clear_error (&error);
  g_assert_true (byok_dialect_stream_parse_event (stream, NULL, g_ptr_array_index (events, events->len - 1),
                                                  result, &done, &error));
  g_assert_no_error (error);
}

/* ---- results and requests ------------------------------------------------ */

static void
test_result_basics (void)
{
  g_autoptr(ByokChatResult) result = byok_chat_result_new ("openai", "gpt-4o");
  g_autoptr(ByokChatRequest) request = sample_request ("gpt-4o");
  g_autoptr(ByokChatRequest) copy = byok_chat_request_copy (request);
  ByokAttempt *attempt = byok_attempt_new ("openai", "gpt-4o");
  ByokFinishReason reason = BYOK_FINISH_STOP;
  ByokChatRole role;

  for (guint i = BYOK_FINISH_STOP; i <= BYOK_FINISH_CANCELLED; i++)
    {
      g_assert_true (byok_finish_reason_from_string (byok_finish_reason_to_string (i), &reason));
      g_assert_cmpint (reason, ==, i);
    }
  g_assert_null (byok_finish_reason_to_string (BYOK_FINISH_NONE));
  g_assert_cmpstr (byok_finish_reason_to_string (BYOK_FINISH_CONTENT_FILTER), ==, "content_filter");
  g_assert_false (byok_finish_reason_from_string ("nope", &reason));

  g_assert_true (byok_chat_role_from_string ("assistant", &role));
  g_assert_cmpint (role, ==, BYOK_CHAT_ROLE_ASSISTANT);
  g_assert_cmpstr (byok_chat_role_to_string (BYOK_CHAT_ROLE_SYSTEM), ==, "system");

  g_assert_cmpuint (byok_chat_request_get_n_messages (copy), ==, 3);
  g_assert_cmpstr (byok_chat_request_get_message (copy, 2)->content, ==, "2+2?");
  g_assert_null (byok_chat_request_get_message (copy, 3));
  g_assert_cmpstr (copy->system_prompt, ==, "Be brief.");
  g_assert_cmpfloat (copy->temperature, <, 0);
  g_assert_true (copy->stream);

  g_assert_cmpint (result->ttft_us, ==, -1);
  g_assert_true (byok_chat_result_is_success (result));
  g_string_append (result->text, "partial");
  attempt->http_status = 529;
  attempt->error = g_error_new_literal (BYOK_ERROR, BYOK_ERROR_OVERLOADED, "busy");
  byok_chat_result_add_attempt (result, attempt);
  byok_chat_result_take_error (result, g_error_new_literal (BYOK_ERROR, BYOK_ERROR_OVERLOADED, "busy"));
  g_assert_false (byok_chat_result_is_success (result));
  g_assert_cmpint (result->finish_reason, ==, BYOK_FINISH_ERROR);
  g_assert_cmpstr (result->text->str, ==, "partial");
  byok_chat_result_take_error (result, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "stop"));
  g_assert_cmpint (result->finish_reason, ==, BYOK_FINISH_CANCELLED);

  byok_chat_result_clear_output (result);
  g_assert_cmpstr (result->text->str, ==, "");
  g_assert_null (result->error);
  g_assert_cmpuint (result->attempts->len, ==, 1);

  g_assert_true (G_TYPE_IS_BOXED (BYOK_TYPE_CHAT_RESULT));
  g_assert_true (G_TYPE_IS_BOXED (BYOK_TYPE_CHAT_REQUEST));
}

/* ---- tools ---------------------------------------------------------------- */

#define WEATHER_SCHEMA "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}"

/* A conversation in the middle of a tool loop: the question, the answer
 * that called two tools, their results (the second an error). */
static ByokChatRequest *
tool_request (const char *model)
{
  ByokChatRequest *request = byok_chat_request_new_simple (model, "Be brief.", "Weather in Paris? Time in Rome?");
  g_autoptr(ByokToolSpec) weather = byok_tool_spec_new ("get_weather", "The weather in a city", WEATHER_SCHEMA);
  g_autoptr(ByokToolSpec) time = byok_tool_spec_new ("get_time", NULL, NULL);
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_tool_call_free);
  g_autoptr(ByokToolResult) first = NULL;
  g_autoptr(ByokToolResult) second = NULL;
  ByokToolCall *call;

  byok_chat_request_add_tool (request, weather);
  byok_chat_request_add_tool (request, time);
  g_ptr_array_add (calls, byok_tool_call_new ("call_1", "get_weather", "{\"city\":\"Paris\"}"));
  call = byok_tool_call_new (BYOK_TOOL_CALL_ID_PREFIX "1-2", "get_time", NULL);
  call->signature = g_strdup ("c2lnLXRpbWU=");
  g_ptr_array_add (calls, call);
  byok_chat_request_add_tool_calls (request, "Let me look.", calls, "Two tools.", NULL);
  first = byok_tool_result_new (g_ptr_array_index (calls, 0), "18 °C", FALSE);
  second = byok_tool_result_new (g_ptr_array_index (calls, 1), "No clock", TRUE);
  byok_chat_request_add_tool_result (request, first);
  byok_chat_request_add_tool_result (request, second);
  return request;
}

static void
test_tool_types (void)
{
  g_autoptr(ByokChatRequest) request = tool_request ("gpt-4o");
  g_autoptr(ByokChatRequest) copy = byok_chat_request_copy (request);
  g_autoptr(ByokToolCall) call = byok_tool_call_new ("c1", "rm", NULL);
  g_autoptr(ByokToolResult) denied = byok_tool_result_new_denied (call, NULL);
  g_autoptr(ByokToolResult) denied_copy = byok_tool_result_copy (denied);
  g_autoptr(GError) error = g_error_new_literal (BYOK_ERROR, BYOK_ERROR_INVALID, "No such file");
  g_autoptr(ByokToolResult) failed = byok_tool_result_new_from_error (call, error);
  g_autoptr(ByokToolUse) use = byok_tool_use_new (call, 3);
  g_autoptr(ByokToolUse) use_copy = NULL;
  const ByokChatMessage *message;

  g_assert_cmpstr (call->arguments, ==, "{}");
  g_assert_true (denied_copy->denied && denied_copy->is_error);
  g_assert_cmpstr (denied_copy->call_id, ==, "c1");
  g_assert_cmpstr (denied_copy->name, ==, "rm");
  g_assert_nonnull (strstr (denied_copy->content, "denied"));
  g_assert_true (failed->is_error && !failed->denied);
  g_assert_cmpstr (failed->content, ==, "No such file");
  use->result = byok_tool_result_copy (failed);
  use_copy = byok_tool_use_copy (use);
  g_assert_cmpuint (use_copy->step, ==, 3);
  g_assert_cmpstr (use_copy->call->id, ==, "c1");
  g_assert_cmpstr (use_copy->result->content, ==, "No such file");

  g_assert_cmpstr (byok_chat_role_to_string (BYOK_CHAT_ROLE_TOOL), ==, "tool");
  g_assert_cmpuint (request->max_tool_steps, ==, BYOK_DEFAULT_MAX_TOOL_STEPS);
  g_assert_true (byok_chat_request_has_tools (copy));
  g_assert_cmpuint (copy->tools->len, ==, 2);
  g_assert_cmpstr (((ByokToolSpec *) g_ptr_array_index (copy->tools, 0))->parameters, ==, WEATHER_SCHEMA);
  g_assert_cmpuint (byok_chat_request_get_n_messages (copy), ==, 4);
  message = byok_chat_request_get_message (copy, 1);
  g_assert_cmpint (message->role, ==, BYOK_CHAT_ROLE_ASSISTANT);
  g_assert_cmpstr (message->content, ==, "Let me look.");
  g_assert_cmpstr (message->reasoning, ==, "Two tools.");
  g_assert_cmpuint (message->tool_calls->len, ==, 2);
  g_assert_cmpstr (((ByokToolCall *) g_ptr_array_index (message->tool_calls, 1))->signature, ==, "c2lnLXRpbWU=");
  message = byok_chat_request_get_message (copy, 3);
  g_assert_cmpint (message->role, ==, BYOK_CHAT_ROLE_TOOL);
  g_assert_cmpstr (message->tool_call_id, ==, BYOK_TOOL_CALL_ID_PREFIX "1-2");
  g_assert_cmpstr (message->tool_name, ==, "get_time");
  g_assert_cmpstr (message->content, ==, "No clock");
  g_assert_true (message->is_error);
}

static void
test_tool_body_openai (void)
{
  g_autoptr(ByokCatalog) catalog = byok_catalog_new_default ();
  g_autoptr(ByokChatRequest) request = tool_request ("gpt-4o");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) none_node = NULL;
  g_autoptr(JsonNode) plain_node = NULL;
  JsonObject *root;

  root = build_root ("openai", request, TRUE, 0, byok_catalog_lookup_model (catalog, "openai", "gpt-4o"), &node);
  assert_paths (root, (const PathString[]) {
    { "$.tools[0].type", "function" },
    { "$.tools[0].function.name", "get_weather" },
    { "$.tools[0].function.description", "The weather in a city" },
    { "$.tools[0].function.parameters.properties.city.type", "string" },
    { "$.tools[0].function.parameters.required[0]", "city" },
    { "$.tools[1].function.name", "get_time" },
    { "$.tools[1].function.description", NULL },
    { "$.tools[1].function.parameters.type", "object" },
    { "$.tools[2]", NULL },
    { "$.tool_choice", NULL },
    { "$.messages[1].content", "Weather in Paris? Time in Rome?" },
    { "$.messages[2].role", "assistant" },
    { "$.messages[2].content", "Let me look." },
    /* OpenAI sent no reasoning_content: none goes back. */
    { "$.messages[2].reasoning_content", NULL },
    { "$.messages[2].tool_calls[0].id", "call_1" },
    { "$.messages[2].tool_calls[0].type", "function" },
    { "$.messages[2].tool_calls[0].function.name", "get_weather" },
    { "$.messages[2].tool_calls[0].function.arguments", "{\"city\":\"Paris\"}" },
    { "$.messages[2].tool_calls[1].id", BYOK_TOOL_CALL_ID_PREFIX "1-2" },
    { "$.messages[2].tool_calls[1].function.arguments", "{}" },
    { "$.messages[3].role", "tool" },
    { "$.messages[3].tool_call_id", "call_1" },
    { "$.messages[3].content", "18 °C" },
    { "$.messages[4].role", "tool" },
    { "$.messages[4].tool_call_id", BYOK_TOOL_CALL_ID_PREFIX "1-2" },
    { "$.messages[4].content", "No clock" },
    { "$.messages[5]", NULL },
    { NULL } });

  /* The last step of a loop at its limit: described, not to be called. */
  request->tool_choice = BYOK_TOOL_CHOICE_NONE;
  root = build_root ("openai", request, TRUE, 0, NULL, &none_node);
  assert_path_string (root, "$.tool_choice", "none");
  assert_path_string (root, "$.tools[0].function.name", "get_weather");

  /* A model without the tools capability gets none, and reads the loop
   * as text. */
  request->tool_choice = BYOK_TOOL_CHOICE_AUTO;
  g_assert_false (byok_model_has_capability (byok_catalog_lookup_model (catalog, "deepseek", "deepseek-reasoner"),
                                             BYOK_MODEL_CAP_TOOLS));
  root = build_root ("openai", request, TRUE, 0,
                     byok_catalog_lookup_model (catalog, "deepseek", "deepseek-reasoner"), &plain_node);
  assert_paths (root, (const PathString[]) {
    { "$.tools", NULL },
    { "$.tool_choice", NULL },
    { "$.messages[2].tool_calls", NULL },
    { "$.messages[2].role", "assistant" },
    { "$.messages[3].role", "user" },
    { "$.messages[3].tool_call_id", NULL },
    { NULL } });
  {
    g_autoptr(JsonNode) result = path (root, "$.messages[3].content");

    g_assert_nonnull (strstr (json_node_get_string (result), "18 °C"));
  }
}

static void
test_tool_body_openai_reasoning (void)
{
  g_autoptr(ByokChatRequest) request = byok_chat_request_new_simple ("deepseek-chat", NULL, "Weather?");
  g_autoptr(ByokToolSpec) weather = byok_tool_spec_new ("get_weather", NULL, WEATHER_SCHEMA);
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_tool_call_free);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *root;

  byok_chat_request_add_tool (request, weather);
  g_ptr_array_add (calls, byok_tool_call_new ("call_0", "get_weather", "{\"city\":\"Paris\"}"));
  /* DeepSeek and Moonshot want the reasoning back inside a tool loop, in
   * the field it came in. */
  byok_chat_request_add_tool_calls (request, NULL, calls, "I should look it up.",
                                    "{\"dialect\":\"openai\",\"reasoning_field\":\"reasoning_content\"}");
  root = build_root ("openai", request, TRUE, 0, NULL, &node);
  assert_path_string (root, "$.messages[1].reasoning_content", "I should look it up.");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (json_node_get_object (json_array_get_element (json_object_get_array_member (root, "messages"), 1)), "content")));
}

static void
test_tool_body_anthropic (void)
{
  g_autoptr(ByokChatRequest) request = tool_request ("claude-sonnet-4-6");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) replay_node = NULL;
  JsonObject *root;
  ByokChatMessage *answer;

  root = build_root ("anthropic", request, TRUE, 0, NULL, &node);
  assert_paths (root, (const PathString[]) {
    { "$.tools[0].name", "get_weather" },
    { "$.tools[0].description", "The weather in a city" },
    { "$.tools[0].input_schema.properties.city.type", "string" },
    { "$.tools[1].name", "get_time" },
    { "$.tools[1].input_schema.type", "object" },
    { "$.tool_choice", NULL },
    { "$.system", "Be brief." },
    { "$.messages[0].role", "user" },
    { "$.messages[1].role", "assistant" },
    { "$.messages[1].content[0].type", "text" },
    { "$.messages[1].content[0].text", "Let me look." },
    { "$.messages[1].content[1].type", "tool_use" },
    { "$.messages[1].content[1].id", "call_1" },
    { "$.messages[1].content[1].name", "get_weather" },
    { "$.messages[1].content[1].input.city", "Paris" },
    { "$.messages[1].content[2].type", "tool_use" },
    { "$.messages[1].content[2].name", "get_time" },
    { NULL } });
  {
    g_autoptr(JsonNode) input = path (root, "$.messages[1].content[2].input");

    g_assert_cmpuint (json_object_get_size (json_node_get_object (input)), ==, 0);
  }
  /* Both results in one user message. */
  assert_paths (root, (const PathString[]) {
    { "$.messages[2].role", "user" },
    { "$.messages[2].content[0].type", "tool_result" },
    { "$.messages[2].content[0].tool_use_id", "call_1" },
    { "$.messages[2].content[0].content", "18 °C" },
    { "$.messages[2].content[0].is_error", NULL },
    { "$.messages[2].content[1].tool_use_id", BYOK_TOOL_CALL_ID_PREFIX "1-2" },
    { "$.messages[2].content[1].content", "No clock" },
    { NULL } });
  assert_path_bool (root, "$.messages[2].content[1].is_error", TRUE);
  assert_no_path (root, "$.messages[3]");

  /* An answer that thought goes back as it came: its thinking, signed. */
  answer = g_ptr_array_index (request->messages, 1);
  answer->replay = g_strdup ("{\"dialect\":\"anthropic\",\"content\":["
                             "{\"type\":\"thinking\",\"thinking\":\"Two tools.\",\"signature\":\"U2ln\"},"
                             "{\"type\":\"tool_use\",\"id\":\"call_1\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}]}");
  request->tool_choice = BYOK_TOOL_CHOICE_NONE;
  root = build_root ("anthropic", request, TRUE, 0, NULL, &replay_node);
  assert_paths (root, (const PathString[]) {
    { "$.messages[1].content[0].type", "thinking" },
    { "$.messages[1].content[0].signature", "U2ln" },
    { "$.messages[1].content[1].type", "tool_use" },
    { "$.tool_choice.type", "none" },
    { NULL } });
}

static void
test_tool_body_gemini (void)
{
  g_autoptr(ByokChatRequest) request = tool_request ("gemini-2.5-flash");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) none_node = NULL;
  JsonObject *root;

  root = build_root ("gemini", request, TRUE, 0, NULL, &node);
  assert_paths (root, (const PathString[]) {
    { "$.tools[0].functionDeclarations[0].name", "get_weather" },
    { "$.tools[0].functionDeclarations[0].description", "The weather in a city" },
    { "$.tools[0].functionDeclarations[0].parametersJsonSchema.properties.city.type", "string" },
    { "$.tools[0].functionDeclarations[1].name", "get_time" },
    { "$.tools[1]", NULL },
    { "$.toolConfig", NULL },
    { "$.contents[0].role", "user" },
    { "$.contents[1].role", "model" },
    { "$.contents[1].parts[0].text", "Let me look." },
    { "$.contents[1].parts[1].functionCall.id", "call_1" },
    { "$.contents[1].parts[1].functionCall.name", "get_weather" },
    { "$.contents[1].parts[1].functionCall.args.city", "Paris" },
    { "$.contents[1].parts[1].thoughtSignature", NULL },
    /* An id Byok made is not sent; the signature goes back on its part. */
    { "$.contents[1].parts[2].functionCall.id", NULL },
    { "$.contents[1].parts[2].functionCall.name", "get_time" },
    { "$.contents[1].parts[2].thoughtSignature", "c2lnLXRpbWU=" },
    { "$.contents[2].role", "user" },
    { "$.contents[2].parts[0].functionResponse.id", "call_1" },
    { "$.contents[2].parts[0].functionResponse.name", "get_weather" },
    { "$.contents[2].parts[0].functionResponse.response.result", "18 °C" },
    { "$.contents[2].parts[1].functionResponse.id", NULL },
    { "$.contents[2].parts[1].functionResponse.name", "get_time" },
    { "$.contents[2].parts[1].functionResponse.response.error", "No clock" },
    { "$.contents[3]", NULL },
    { NULL } });

  request->tool_choice = BYOK_TOOL_CHOICE_NONE;
  root = build_root ("gemini", request, TRUE, 0, NULL, &none_node);
  assert_path_string (root, "$.toolConfig.functionCallingConfig.mode", "NONE");
}

static void
assert_tool_call (ByokChatResult *result,
                  guint           index,
                  const char     *id,
                  const char     *name,
                  const char     *arguments)
{
  ByokToolCall *call;

  g_assert_cmpuint (index, <, result->tool_calls->len);
  call = g_ptr_array_index (result->tool_calls, index);
  g_assert_cmpstr (call->id, ==, id);
  g_assert_cmpstr (call->name, ==, name);
  g_assert_cmpstr (call->arguments, ==, arguments);
}

/* Plays a tool-call stream whole, and split at every byte and every 7. */
static ByokChatResult *
play_tool_stream (const char *dialect_name,
                  const char *fixture,
                  gsize       piece)
{
  g_autoptr(GBytes) bytes = byok_test_load_fixture (dialect_name, fixture);

  return play_stream_bytes (dialect_name, NULL, bytes, piece, NULL);
}

static void
test_tool_stream_openai (void)
{
  gsize pieces[] = { 0, 1, 7 };

  for (guint i = 0; i < G_N_ELEMENTS (pieces); i++)
    {
      g_autoptr(ByokChatResult) result = play_tool_stream ("openai", "stream-tool-calls.sse", pieces[i]);

      g_assert_no_error (result->error);
      g_assert_cmpstr (result->text->str, ==, "Let me look.");
      g_assert_cmpint (result->finish_reason, ==, BYOK_FINISH_TOOL_CALLS);
      g_assert_cmpuint (result->tool_calls->len, ==, 2);
      assert_tool_call (result, 0, "call_weather_1", "get_weather", "{\"city\": \"Paris\"}");
      assert_tool_call (result, 1, "call_time_2", "get_time", "{\"zone\":\"Europe/Rome\"}");
      assert_usage (&result->usage, 120, 0, 0, 30, 0);
      g_assert_null (result->replay);
    }
}

static void
test_tool_stream_anthropic (void)
{
  gsize pieces[] = { 0, 1, 7 };

  for (guint i = 0; i < G_N_ELEMENTS (pieces); i++)
    {
      g_autoptr(ByokChatResult) result = play_tool_stream ("anthropic", "stream-tool-use.sse", pieces[i]);
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GBytes) replay = NULL;
      JsonObject *root;

      g_assert_no_error (result->error);
      g_assert_cmpstr (result->text->str, ==, "Let me look.");
      g_assert_cmpstr (result->reasoning->str, ==, "The weather needs a tool.");
      g_assert_cmpint (result->finish_reason, ==, BYOK_FINISH_TOOL_CALLS);
      g_assert_cmpuint (result->tool_calls->len, ==, 2);
      assert_tool_call (result, 0, "toolu_weather_1", "get_weather", "{\"city\": \"Paris\"}");
      assert_tool_call (result, 1, "toolu_time_2", "get_time", "{}");
      assert_usage (&result->usage, 80, 0, 0, 42, 0);

      /* The blocks, in order, the thinking signed: what goes back. */
      g_assert_nonnull (result->replay);
      replay = g_bytes_new (result->replay, strlen (result->replay));
      root = parse_body (replay, &node);
      assert_paths (root, (const PathString[]) {
        { "$.dialect", "anthropic" },
        { "$.content[0].type", "thinking" },
        { "$.content[0].thinking", "The weather needs a tool." },
        { "$.content[0].signature", "RmFrZVNpZ25hdHVyZQ==" },
        { "$.content[1].type", "text" },
        { "$.content[1].text", "Let me look." },
        { "$.content[2].type", "tool_use" },
        { "$.content[2].id", "toolu_weather_1" },
        { "$.content[2].input.city", "Paris" },
        { "$.content[3].name", "get_time" },
        { "$.content[4]", NULL },
        { NULL } });
    }
}

static void
test_tool_stream_gemini (void)
{
  gsize pieces[] = { 0, 1, 7 };

  for (guint i = 0; i < G_N_ELEMENTS (pieces); i++)
    {
      g_autoptr(ByokChatResult) result = play_tool_stream ("gemini", "stream-function-calls.sse", pieces[i]);

      g_assert_no_error (result->error);
      g_assert_cmpstr (result->text->str, ==, "Let me look.");
      g_assert_cmpint (result->finish_reason, ==, BYOK_FINISH_TOOL_CALLS);
      g_assert_cmpuint (result->tool_calls->len, ==, 2);
      /* No id from the model: the loop makes one. */
      assert_tool_call (result, 0, "", "get_weather", "{\"city\":\"Paris\"}");
      g_assert_cmpstr (((ByokToolCall *) g_ptr_array_index (result->tool_calls, 0))->signature, ==,
                       "RmFrZUdlbWluaVNpZw==");
      assert_tool_call (result, 1, "fc-time-2", "get_time", "{}");
      g_assert_null (((ByokToolCall *) g_ptr_array_index (result->tool_calls, 1))->signature);
    }
}

static void
test_tool_responses (void)
{
  const char *openai = "{\"id\":\"c1\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                       "\"content\":null,\"tool_calls\":[{\"id\":\"call_9\",\"type\":\"function\",\"function\":"
                       "{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}]},"
                       "\"finish_reason\":\"tool_calls\"}]}";
  const char *anthropic = "{\"id\":\"msg_1\",\"model\":\"claude-sonnet-4-6\",\"content\":["
                          "{\"type\":\"thinking\",\"thinking\":\"Hm.\",\"signature\":\"U2ln\"},"
                          "{\"type\":\"tool_use\",\"id\":\"toolu_9\",\"name\":\"get_weather\",\"input\":{\"city\":\"Oslo\"}}],"
                          "\"stop_reason\":\"tool_use\",\"usage\":{\"input_tokens\":5,\"output_tokens\":6}}";
  const char *gemini = "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"functionCall\":"
                       "{\"name\":\"get_weather\",\"args\":{\"city\":\"Oslo\"}}}]},\"finishReason\":\"STOP\"}]}";
  struct { const char *dialect; const char *body; const char *id; } cases[] = {
    { "openai", openai, "call_9" },
    { "anthropic", anthropic, "toolu_9" },
    { "gemini", gemini, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ByokChatResult) result = byok_chat_result_new (NULL, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) args = NULL;

      g_assert_true (byok_dialect_parse_response (byok_dialect_get (cases[i].dialect), NULL, cases[i].body,
                                                  strlen (cases[i].body), result, &error));
      g_assert_no_error (error);
      g_assert_cmpint (result->finish_reason, ==, BYOK_FINISH_TOOL_CALLS);
      g_assert_cmpuint (result->tool_calls->len, ==, 1);
      g_assert_cmpstr (((ByokToolCall *) g_ptr_array_index (result->tool_calls, 0))->id, ==, cases[i].id);
      args = byok_json_parse (((ByokToolCall *) g_ptr_array_index (result->tool_calls, 0))->arguments,
                              strlen (((ByokToolCall *) g_ptr_array_index (result->tool_calls, 0))->arguments), NULL);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (args), "city"), ==, "Oslo");
      if (g_str_equal (cases[i].dialect, "anthropic"))
        g_assert_nonnull (strstr (result->replay, "\"signature\":\"U2ln\""));
    }
}

/* A server that streams a tool call's arguments without end is stopped
 * like one that streams text without end. */
static void
test_tool_arguments_cap (void)
{
  g_autoptr(ByokDialectStream) stream = byok_dialect_stream_new (byok_dialect_get ("openai"), NULL);
  g_autoptr(ByokChatResult) result = byok_chat_result_new ("openai", "gpt-4o");
  g_autoptr(GError) error = NULL;
  const char *first = "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
                      "\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":\"}}]}}]}";
  const char *more = "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
                     "\"function\":{\"arguments\":\"0123456789\"}}]}}]}";
  gboolean done = FALSE;
  guint i;

  stream->max_answer_bytes = 64;
  g_assert_true (byok_dialect_stream_parse_event (stream, NULL, first, result, &done, &error));
  for (i = 0; i < 10; i++)
    if (!byok_dialect_stream_parse_event (stream, NULL, more, result, &done, &error))
      break;
  g_assert_cmpuint (i, <, 10);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "exceeded"));
}

/* Redacted thinking goes back as it came, its data untouched. */
static void
test_tool_stream_anthropic_redacted (void)
{
  const char *events[] = {
    "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_r\",\"model\":\"claude-sonnet-4-6\",\"usage\":{\"input_tokens\":9}}}",
    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"redacted_thinking\",\"data\":\"RW5jcnlwdGVk\"}}",
    "{\"type\":\"content_block_stop\",\"index\":0}",
    "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_r\",\"name\":\"f\",\"input\":{}}}",
    "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"x\\\": 1}\"}}",
    "{\"type\":\"content_block_stop\",\"index\":1}",
    "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":3}}",
    "{\"type\":\"message_stop\"}",
  };
  g_autoptr(ByokDialectStream) stream = byok_dialect_stream_new (byok_dialect_get ("anthropic"), NULL);
  g_autoptr(ByokChatResult) result = byok_chat_result_new ("anthropic", "claude-sonnet-4-6");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) replay = NULL;
  g_autoptr(JsonNode) node = NULL;
  gboolean done = FALSE;
  JsonObject *root;

  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    {
      g_assert_true (byok_dialect_stream_parse_event (stream, NULL, events[i], result, &done, &error));
      g_assert_no_error (error);
    }
  g_assert_true (done);
  g_assert_cmpint (result->finish_reason, ==, BYOK_FINISH_TOOL_CALLS);
  assert_tool_call (result, 0, "toolu_r", "f", "{\"x\": 1}");
  g_assert_nonnull (result->replay);
  replay = g_bytes_new (result->replay, strlen (result->replay));
  root = parse_body (replay, &node);
  assert_path_string (root, "$.content[0].type", "redacted_thinking");
  assert_path_string (root, "$.content[0].data", "RW5jcnlwdGVk");
  assert_path_string (root, "$.content[1].type", "tool_use");
  assert_path_int (root, "$.content[1].input.x", 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dialects/lookup", test_lookup);
  g_test_add_func ("/dialects/tools/types", test_tool_types);
  g_test_add_func ("/dialects/tools/body/openai", test_tool_body_openai);
  g_test_add_func ("/dialects/tools/body/openai-reasoning", test_tool_body_openai_reasoning);
  g_test_add_func ("/dialects/tools/body/anthropic", test_tool_body_anthropic);
  g_test_add_func ("/dialects/tools/body/gemini", test_tool_body_gemini);
  g_test_add_func ("/dialects/tools/stream/openai", test_tool_stream_openai);
  g_test_add_func ("/dialects/tools/stream/anthropic", test_tool_stream_anthropic);
  g_test_add_func ("/dialects/tools/stream/gemini", test_tool_stream_gemini);
  g_test_add_func ("/dialects/tools/responses", test_tool_responses);
  g_test_add_func ("/dialects/tools/stream/anthropic-redacted", test_tool_stream_anthropic_redacted);
  g_test_add_func ("/dialects/hostile/tool-arguments-cap", test_tool_arguments_cap);
  g_test_add_func ("/dialects/hostile/json-nesting-gate", test_json_nesting_gate);
  g_test_add_func ("/dialects/hostile/json-nesting-everywhere", test_json_nesting_everywhere);
  g_test_add_func ("/dialects/hostile/nesting-per-dialect", test_nesting_per_dialect);
  g_test_add_func ("/dialects/hostile/empty-data", test_stream_empty_data);
  g_test_add_func ("/dialects/hostile/answer-cap", test_stream_answer_cap);
  g_test_add_func ("/dialects/chat-paths", test_chat_paths);
  g_test_add_func ("/dialects/body/openai", test_openai_body);
  g_test_add_func ("/dialects/body/anthropic", test_anthropic_body);
  g_test_add_func ("/dialects/body/gemini", test_gemini_body);
  g_test_add_func ("/dialects/body/per-model", test_bodies_per_model);
  g_test_add_func ("/dialects/request-fit", test_request_fit);
  g_test_add_func ("/dialects/response/openai", test_openai_response);
  g_test_add_func ("/dialects/response/anthropic", test_anthropic_response);
  g_test_add_func ("/dialects/response/gemini", test_gemini_response);
  g_test_add_func ("/dialects/response/malformed", test_response_malformed);
  g_test_add_func ("/dialects/stream/openai", test_stream_openai);
  g_test_add_func ("/dialects/stream/openai-fast-path", test_stream_openai_fast_path);
  for (guint i = 0; i < G_N_ELEMENTS (stream_cases); i++)
    g_test_add_data_func (stream_cases[i].path, &stream_cases[i], test_stream_case);
  g_test_add_func ("/dialects/stream/openrouter", test_stream_openrouter);
  g_test_add_func ("/dialects/response/openrouter", test_openrouter_response);
  g_test_add_func ("/dialects/cost-differs", test_cost_differs);
  g_test_add_func ("/dialects/stream/openai-failures", test_stream_openai_failures);
  g_test_add_func ("/dialects/stream/anthropic", test_stream_anthropic);
  g_test_add_func ("/dialects/stream/gemini", test_stream_gemini);
  g_test_add_func ("/dialects/stream/is-complete", test_stream_is_complete);
  g_test_add_func ("/dialects/stream/tolerance", test_stream_tolerance);
  g_test_add_func ("/dialects/errors/classified", test_errors_classified);
  g_test_add_func ("/dialects/errors/retry-after", test_errors_retry_after);
  g_test_add_func ("/dialects/errors/scrub-keys", test_errors_scrub_keys);
  g_test_add_func ("/dialects/errors/scrub-keys-utf8", test_errors_scrub_keys_utf8);
  g_test_add_func ("/dialects/errors/redact-sent-key", test_errors_redact_sent_key);
  g_test_add_func ("/dialects/errors/long-message", test_errors_long_message);
  g_test_add_func ("/dialects/errors/suggest-model", test_errors_suggest_model);
  g_test_add_func ("/dialects/errors/long-text-body", test_errors_long_text_body);
  g_test_add_func ("/dialects/usage/huge-numbers", test_usage_huge_numbers);
  g_test_add_func ("/dialects/lone-surrogates", test_lone_surrogates);
  g_test_add_func ("/dialects/result-basics", test_result_basics);

  return g_test_run ();
}
