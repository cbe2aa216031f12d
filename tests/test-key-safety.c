/* test-key-safety.c — a key goes only to its provider: redirects are not
 * followed (a second server, on another port, must receive nothing), a key
 * a server repeats in its error never reaches a message, a log line or the
 * database, and a key is not sent over plain HTTP except to this computer.
 * Every dialect, Azure included; the engine on a real SQLite file; the
 * provider test server on 127.0.0.1. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "byok-engine.h"
#include "byok-error.h"
#include "byok-test-engine.h"
#include "byok-test-server.h"
#include "byok-test-util.h"

/* Fake keys shaped like no provider's: only the exact key can mask them. */
#define OPENAI_KEY    "k1Qz7w-test-fake-Rb4x-x8Kp2"
#define ANTHROPIC_KEY "k2Hn5d-test-fake-Vc9m-t3Lq7"
#define GEMINI_KEY    "k3Pw8s-test-fake-Jd2f-n6Zr4"
#define AZURE_KEY     "k4Xc1v-test-fake-Mg7h-y5Bt9"

typedef struct {
  const char *provider_id;
  const char *model;
  const char *key;
  const char *header;       /* where the key goes */
  const char *header_value; /* what that header holds */
  const char *chat_path;    /* on the test server */
  const char *check_path;
} Dialect;

static const Dialect dialects[] = {
  { "openai", "gpt-4o-mini", OPENAI_KEY, "Authorization", "Bearer " OPENAI_KEY,
    "/v1/chat/completions", "/v1/models" },
  { "anthropic", "claude-sonnet-4-20250514", ANTHROPIC_KEY, "x-api-key", ANTHROPIC_KEY,
    "/v1/messages", "/v1/models" },
  { "gemini", "gemini-2.5-flash", GEMINI_KEY, "x-goog-api-key", GEMINI_KEY,
    "/v1beta/models/gemini-2.5-flash:generateContent", "/v1beta/models" },
  { "azure", "test-deployment", AZURE_KEY, "api-key", AZURE_KEY,
    "/openai/deployments/test-deployment/chat/completions", "/openai/models" },
};

typedef struct {
  char           *dir;
  char           *db_path;
  ByokTestServer *server;   /* plays the provider */
  ByokTestServer *other;    /* another origin: must receive nothing */
  ByokEngine     *engine;
  ByokClient     *client;
} Fixture;

/* Every log line of the run, debug ones included. */
static GString *log_text;

/* No key, and no six characters in a row of one, in @data. */
static void
assert_no_key_in_data (const char *what,
                       const char *data,
                       gsize       len)
{
  for (guint i = 0; i < G_N_ELEMENTS (dialects); i++)
    byok_test_assert_no_key (what, data, len, dialects[i].key, 0, 6);
}

static void
assert_no_key_in (const char *what,
                  const char *text)
{
  if (text != NULL)
    assert_no_key_in_data (what, text, strlen (text));
}

static const Dialect *
find_dialect (const char *provider_id)
{
  for (guint i = 0; i < G_N_ELEMENTS (dialects); i++)
    if (g_str_equal (dialects[i].provider_id, provider_id))
      return &dialects[i];
  g_assert_not_reached ();
}

static ByokProvider *
lookup_provider (Fixture    *f,
                 const char *provider_id)
{
  return byok_catalog_lookup_provider (byok_engine_get_catalog (f->engine), provider_id);
}

static void
point_at (Fixture    *f,
          const char *provider_id,
          const char *url)
{
  ByokProvider *provider = lookup_provider (f, provider_id);

  if (g_str_equal (provider_id, "azure"))
    {
      byok_provider_set_azure_endpoint (provider, url);
      byok_provider_set_azure_deployment (provider, "test-deployment");
    }
  else
    {
      const char *suffix = g_str_equal (provider_id, "openai") ? "/v1"
                           : g_str_equal (provider_id, "gemini") ? "/v1beta" : "";
      g_autofree char *base = g_strconcat (url, suffix, NULL);

      byok_provider_set_base_url (provider, base);
    }
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char *env[] = {
    "OPENAI_API_KEY=" OPENAI_KEY,
    "ANTHROPIC_API_KEY=" ANTHROPIC_KEY,
    "GEMINI_API_KEY=" GEMINI_KEY,
    "AZURE_OPENAI_API_KEY=" AZURE_KEY,
    NULL
  };
  g_autoptr(GError) error = NULL;
  ByokKeyStore *keys;

  /* Not byok_test_make_dir(): its "byok-test-" would be six bytes of the
   * keys ("-test-") in every logged path. */
  f->dir = g_dir_make_tmp ("byok-keysafety-XXXXXX", &error);
  g_assert_no_error (error);
  f->db_path = g_build_filename (f->dir, "byok.db", NULL);
  f->engine = byok_test_engine_new (f->db_path);

  keys = byok_engine_get_key_store (f->engine);
  byok_key_store_set_environment (keys, env);
  for (guint i = 0; i < G_N_ELEMENTS (dialects); i++)
    byok_key_store_set_prefer_environment (keys, dialects[i].provider_id, TRUE);

  f->client = byok_engine_get_client (f->engine);
  byok_client_set_backoff_base_ms (f->client, 5);
  byok_client_set_max_retry_wait_ms (f->client, 5000);

  f->server = byok_test_server_new ();
  f->other = byok_test_server_new ();
  for (guint i = 0; i < G_N_ELEMENTS (dialects); i++)
    point_at (f, dialects[i].provider_id, byok_test_server_get_url (f->server));

  /* Whatever reaches the other origin is answered, as a real one would. */
  {
    ByokTestReply *reply = byok_test_reply_new_json (200, "{\"data\": [], \"models\": []}");

    byok_test_reply_set_repeat (reply, TRUE);
    byok_test_server_add_reply (f->other, "*", reply);
  }
}

/* The database and its WAL, byte for byte: no key anywhere. */
static void
assert_no_key_on_disk (Fixture *f)
{
  const char *suffixes[] = { "", "-wal", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (f->db_path, suffixes[i], NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (g_file_get_contents (path, &contents, &len, NULL))
        assert_no_key_in_data (path, contents, len);
    }
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->engine);
  assert_no_key_on_disk (f);
  assert_no_key_in ("the log", log_text->str);
  g_string_truncate (log_text, 0);
  g_clear_object (&f->server);
  g_clear_object (&f->other);
  byok_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db_path);
}

/* ---- running calls ------------------------------------------------------- */

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

typedef enum {
  OP_CHAT,
  OP_STREAM,
  OP_MODELS,
  OP_CHECK,
  N_OPS
} Op;

static const char * const op_names[] = { "chat", "stream", "models", "check" };

/* Whether @op sends a request for @d (Azure has no model listing). */
static gboolean
op_applies (const Dialect *d,
            Op             op)
{
  return !(op == OP_MODELS && g_str_equal (d->provider_id, "azure"));
}

/* Runs @op against @d's provider; returns its error (NULL on success).
 * Chats go through the engine, so every attempt is a usage row; checks
 * write a key event. */
static GError *
run_op (Fixture       *f,
        const Dialect *d,
        Op             op)
{
  g_autoptr(GAsyncResult) async = NULL;
  GError *error = NULL;

  switch (op)
    {
    case OP_CHAT:
    case OP_STREAM:
      {
        g_autoptr(ByokChatRequest) request = byok_chat_request_new_simple (d->model, NULL, "Hello");
        g_autoptr(ByokChatResult) result = NULL;
        g_autoptr(ByokChatCall) call = NULL;

        request->stream = op == OP_STREAM;
        call = byok_engine_new_chat (f->engine, request, d->provider_id, d->model, NULL, 0);
        byok_chat_call_run_async (call, NULL, byok_test_store_result, &async);
        result = byok_chat_call_run_finish (call, wait_for (&async));
        for (guint i = 0; i < result->attempts->len; i++)
          {
            ByokAttempt *attempt = g_ptr_array_index (result->attempts, i);

            if (attempt->error != NULL)
              assert_no_key_in ("an attempt's error", attempt->error->message);
          }
        if (result->error != NULL)
          error = g_error_copy (result->error);
        break;
      }
    case OP_MODELS:
      {
        g_autoptr(GPtrArray) models = NULL;

        byok_client_list_models_async (f->client, d->provider_id, NULL, byok_test_store_result, &async);
        models = byok_client_list_models_finish (f->client, wait_for (&async), &error);
        break;
      }
    case OP_CHECK:
      byok_client_check_key_async (f->client, d->provider_id, NULL, NULL, NULL, byok_test_store_result, &async);
      byok_client_check_key_finish (f->client, wait_for (&async), NULL, &error);
      break;
    case N_OPS:
    default:
      g_assert_not_reached ();
    }
  if (error != NULL)
    assert_no_key_in ("an error", error->message);
  return error;
}

/* The key events of the run: none holds any part of a key. */
static void
assert_no_key_in_key_events (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = byok_usage_store_list_key_events (byok_engine_get_usage_store (f->engine),
                                                                  NULL, 0, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      ByokKeyEventRecord *event = g_ptr_array_index (events, i);

      assert_no_key_in ("a key event's detail", event->detail);
      assert_no_key_in ("a key event's result", event->result);
      assert_no_key_in ("a key event's account", event->account);
    }
}

/* ---- 1. redirects -------------------------------------------------------- */

/* The provider answers every request with @status to the same path on
 * another origin: the call fails, naming that origin, and the other origin
 * receives nothing — with or without a key. */
static void
check_redirect (Fixture       *f,
                const Dialect *d,
                Op             op,
                guint          status)
{
  g_autofree char *other_host = NULL;
  g_autofree char *location = NULL;
  g_autoptr(GError) error = NULL;
  ByokTestReply *reply;
  guint n_before = byok_test_server_get_n_requests (f->server);
  ByokTestRequest *request;

  other_host = g_strdup (byok_test_server_get_url (f->other) + strlen ("http://"));
  location = g_strconcat (byok_test_server_get_url (f->other), "/stolen", NULL);
  reply = byok_test_reply_new_json (status, "{}");
  byok_test_reply_add_header (reply, "Location", location);
  byok_test_server_add_reply (f->server, "*", reply);

  error = run_op (f, d, op);

  if (byok_test_server_get_n_requests (f->other) != 0)
    {
      request = byok_test_server_get_request (f->other, 0);
      g_error ("%s %s after HTTP %u: the other origin received %s %s (%s: %s)", d->provider_id,
               op_names[op], status, request->method, request->path, d->header,
               soup_message_headers_get_one (request->headers, d->header) != NULL ? "with the key" : "no key");
    }
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  if (strstr (error->message, other_host) == NULL)
    g_error ("%s %s after HTTP %u: the message does not name %s: %s", d->provider_id, op_names[op],
             status, other_host, error->message);

  /* One request to the provider, with its key: not retried. */
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, n_before + 1);
  request = byok_test_server_get_last_request (f->server);
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, d->header), ==, d->header_value);
}

static void
test_redirect_every_dialect (Fixture       *f,
                             gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (dialects); i++)
    for (Op op = 0; op < N_OPS; op++)
      if (op_applies (&dialects[i], op))
        check_redirect (f, &dialects[i], op, 302);
  assert_no_key_in_key_events (f);
}

static void
test_redirect_every_status (Fixture       *f,
                            gconstpointer  data)
{
  const guint statuses[] = { 301, 302, 303, 307, 308 };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      check_redirect (f, find_dialect ("anthropic"), OP_CHAT, statuses[i]);
      check_redirect (f, find_dialect ("azure"), OP_CHECK, statuses[i]);
    }
}

/* A redirect to another path of the same server is not followed either
 * (the key goes to the address the user set, and nowhere else), nor one
 * without a Location. */
static void
test_redirect_same_origin (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) bare_error = NULL;
  ByokTestReply *reply = byok_test_reply_new_json (307, "{}");

  byok_test_reply_add_header (reply, "Location", "/v1beta/elsewhere");
  byok_test_server_add_reply (f->server, "*", reply);
  error = run_op (f, find_dialect ("gemini"), OP_STREAM);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, byok_test_server_get_url (f->server) + strlen ("http://")));
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 1);

  byok_test_server_add_reply (f->server, "*", byok_test_reply_new_json (302, "{}"));
  bare_error = run_op (f, find_dialect ("gemini"), OP_CHAT);
  g_assert_error (bare_error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_assert_nonnull (strstr (bare_error->message, "302"));
  g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 2);
}

/* ---- 2. keys a server repeats -------------------------------------------- */

/* How each provider says a key is wrong, repeating it (%s). */
static char *
echo_body (const Dialect *d,
           guint          variant,
           guint         *status)
{
  *status = g_str_equal (d->provider_id, "gemini") ? 400 : 401;
  switch (variant)
    {
    case 0:   /* the provider's own envelope */
      if (g_str_equal (d->provider_id, "anthropic"))
        return g_strdup_printf ("{\"type\": \"error\", \"error\": {\"type\": \"authentication_error\", "
                                "\"message\": \"invalid x-api-key: %s\"}}", d->key);
      if (g_str_equal (d->provider_id, "gemini"))
        return g_strdup_printf ("{\"error\": {\"code\": 400, \"message\": \"API key not valid: %s. Please "
                                "pass a valid API key.\", \"status\": \"INVALID_ARGUMENT\", \"details\": "
                                "[{\"@type\": \"type.googleapis.com/google.rpc.ErrorInfo\", \"reason\": "
                                "\"API_KEY_INVALID\", \"domain\": \"googleapis.com\"}]}}", d->key);
      if (g_str_equal (d->provider_id, "azure"))
        return g_strdup_printf ("{\"error\": {\"code\": \"401\", \"message\": \"Access denied due to "
                                "invalid subscription key %s or wrong API endpoint.\"}}", d->key);
      return g_strdup_printf ("{\"error\": {\"message\": \"Incorrect API key provided: %s. You can find "
                              "your API key in your account.\", \"type\": \"invalid_request_error\", "
                              "\"code\": \"invalid_api_key\"}}", d->key);
    case 1:   /* the header it got, quoted, and the key in the type a debug line shows */
      return g_strdup_printf ("{\"error\": {\"message\": \"Header %s: %s is not valid\", "
                              "\"type\": \"%s\"}}", d->header, d->header_value, d->key);
    case 2:   /* the key across the cut of a long message */
      {
        g_autofree char *pad = g_strnfill (190, 'x');

        return g_strdup_printf ("{\"error\": {\"message\": \"%s %s rejected\"}}", pad, d->key);
      }
    case 3:   /* a proxy's plain text */
    default:
      return g_strdup_printf ("401 Unauthorized\n\nThe credential %s was refused.\n", d->key);
    }
}

#define N_ECHO_VARIANTS 4

/* Whatever a server says about a key — in each dialect, for each kind of
 * call — the key reaches no message, log line, key event or database
 * page. (Checked by run_op() and at teardown.) */
static void
test_echo_every_dialect (Fixture       *f,
                         gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (dialects); i++)
    for (Op op = 0; op < N_OPS; op++)
      for (guint variant = 0; variant < N_ECHO_VARIANTS; variant++)
        {
          const Dialect *d = &dialects[i];
          g_autoptr(GError) error = NULL;
          g_autofree char *body = NULL;
          ByokTestReply *reply;
          guint status;

          if (!op_applies (d, op))
            continue;
          body = echo_body (d, variant, &status);
          reply = byok_test_reply_new_json (status, body);
          if (variant == 3)
            byok_test_reply_add_header (reply, "Content-Type", "text/plain");
          byok_test_server_add_reply (f->server, "*", reply);

          error = run_op (f, d, op);
          if (error == NULL)
            g_error ("%s %s, echo %u: no error", d->provider_id, op_names[op], variant);
          if (variant == 0)
            g_assert_error (error, BYOK_ERROR, BYOK_ERROR_AUTH);
        }
  assert_no_key_in_key_events (f);
}

/* An error inside a streamed answer repeats the key. */
static void
test_echo_in_stream (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  ByokTestReply *reply = byok_test_reply_new_sse (
    "{\"id\": \"c1\", \"choices\": [{\"index\": 0, \"delta\": {\"content\": \"Hel\"}}]}",
    "{\"error\": {\"message\": \"key " OPENAI_KEY " was revoked\", \"code\": 401}}",
    NULL);

  byok_test_server_add_reply (f->server, "/v1/chat/completions", reply);
  error = run_op (f, find_dialect ("openai"), OP_STREAM);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_AUTH);
}

/* A key of a known shape, and the provider's own half-starred echo of it:
 * the key event keeps neither its first nor its last characters. */
static void
test_echo_key_event_keeps_no_part (Fixture       *f,
                                   gconstpointer  data)
{
  const char *env[] = { "OPENAI_API_KEY=sk-test-fake-Wq8rT5yU3iO1pA6sD9fG", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  ByokKeyEventRecord *event;

  byok_key_store_set_environment (byok_engine_get_key_store (f->engine), env);
  byok_test_server_add_reply (f->server, "*", byok_test_reply_new_json (401,
    "{\"error\": {\"message\": \"Incorrect API key provided: sk-test-************D9fG. "
    "(sk-test-fake-Wq8rT5yU3iO1pA6sD9fG)\", \"code\": \"invalid_api_key\"}}"));
  error = run_op (f, find_dialect ("openai"), OP_CHECK);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_AUTH);
  g_assert_null (strstr (error->message, "D9fG"));

  events = byok_usage_store_list_key_events (byok_engine_get_usage_store (f->engine), "openai", 0, NULL);
  g_assert_cmpuint (events->len, ==, 1);
  event = g_ptr_array_index (events, 0);
  g_assert_cmpstr (event->event, ==, "tested");
  g_assert_cmpstr (event->result, ==, "auth");
  g_assert_nonnull (event->detail);
  if (strstr (event->detail, "D9fG") != NULL || strstr (event->detail, "sk-t") != NULL ||
      strstr (event->detail, "Wq8r") != NULL)
    g_error ("the key event keeps part of the key: %s", event->detail);
}

/* ---- 3. plain HTTP ------------------------------------------------------- */

/* Every request of the client goes through the provider test server as an
 * HTTP proxy: whatever address a provider has, what would be sent to it
 * arrives there instead, and nothing leaves 127.0.0.1. There every request
 * gets an empty model list. */
static void
use_test_server_as_proxy (Fixture *f)
{
  g_autoptr(GProxyResolver) resolver = g_simple_proxy_resolver_new (byok_test_server_get_url (f->server), NULL);
  ByokTestReply *reply = byok_test_reply_new_json (200, "{\"data\": [], \"models\": []}");

  byok_test_reply_set_repeat (reply, TRUE);
  byok_test_server_add_reply (f->server, "*", reply);
  g_object_set (byok_client_get_session (f->client), "proxy-resolver", resolver, NULL);
}

/* A key is not sent over plain HTTP to another computer: every kind of call
 * of every dialect fails before sending, saying why and how to allow it. */
static void
test_http_refused (Fixture       *f,
                   gconstpointer  data)
{
  use_test_server_as_proxy (f);

  for (guint i = 0; i < G_N_ELEMENTS (dialects); i++)
    {
      point_at (f, dialects[i].provider_id, "http://192.0.2.10:8080");
      for (Op op = 0; op < N_OPS; op++)
        {
          g_autoptr(GError) error = NULL;

          if (!op_applies (&dialects[i], op))
            continue;
          error = run_op (f, &dialects[i], op);
          if (byok_test_server_get_n_requests (f->server) != 0)
            g_error ("%s %s: a key went over plain HTTP to 192.0.2.10", dialects[i].provider_id, op_names[op]);
          g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INSECURE);
          g_assert_nonnull (strstr (error->message, "192.0.2.10:8080"));
          g_assert_nonnull (strstr (error->message, "Allow Unencrypted Connection"));
          g_assert_nonnull (strstr (error->message, "--allow-http"));
        }
    }
  /* Each refused chat is a usage row of its own class that cost nothing;
   * a refused key check tested nothing, so it is no key event. */
  {
    sqlite3 *db = byok_database_get_handle (byok_engine_get_database (f->engine));
    g_autoptr(GPtrArray) events = byok_usage_store_list_key_events (byok_engine_get_usage_store (f->engine),
                                                                    NULL, 0, NULL);
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*), total(cost_usd), count(http_status) FROM usage "
                                             "WHERE status = 'insecure'", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 2 * G_N_ELEMENTS (dialects));
    g_assert_cmpfloat (sqlite3_column_double (stmt, 1), ==, 0);
    g_assert_cmpint (sqlite3_column_int (stmt, 2), ==, 0);
    sqlite3_finalize (stmt);
    g_assert_cmpuint (events->len, ==, 0);
  }
}

/* With the switch on, the same calls go out, key and all. */
static void
test_http_allowed (Fixture       *f,
                   gconstpointer  data)
{
  use_test_server_as_proxy (f);

  for (guint i = 0; i < G_N_ELEMENTS (dialects); i++)
    {
      const Dialect *d = &dialects[i];
      ByokProvider *provider = lookup_provider (f, d->provider_id);
      g_autoptr(GError) error = NULL;
      ByokTestRequest *request;

      point_at (f, d->provider_id, "http://192.0.2.10:8080");
      byok_provider_set_allow_http (provider, TRUE);
      g_assert_true (byok_provider_get_allow_http (provider));
      error = run_op (f, d, OP_CHECK);
      g_assert_no_error (error);
      request = byok_test_server_get_last_request (f->server);
      g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Host"), ==, "192.0.2.10:8080");
      g_assert_cmpstr (soup_message_headers_get_one (request->headers, d->header), ==, d->header_value);
    }
}

/* This computer is not the network: loopback addresses take a key over
 * HTTP, and a provider without a key (a local or LAN Ollama) is never
 * refused. */
static void
test_http_loopback_and_keyless (Fixture       *f,
                                gconstpointer  data)
{
  const struct {
    const char *url;
    gboolean    remote;   /* another computer: refused */
  } cases[] = {
    { "http://localhost:11434", FALSE },
    { "http://LOCALHOST.:8080", FALSE },
    { "http://127.0.0.1:9", FALSE },
    { "http://127.3.2.1:9", FALSE },
    { "http://[::1]:8080", FALSE },
    { "http://0.0.0.0:9", TRUE },
    { "http://10.0.0.2:9", TRUE },
    { "http://localhost.example.net:9", TRUE },
    { "http://[::ffff:10.0.0.2]:9", TRUE },
    { "http://192.0.2.10", TRUE },
  };
  ByokProvider *ollama = lookup_provider (f, "ollama");
  guint n_requests = 0;

  use_test_server_as_proxy (f);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      point_at (f, "anthropic", cases[i].url);
      g_assert_cmpint (byok_provider_is_remote_http (lookup_provider (f, "anthropic")), ==, cases[i].remote);
      error = run_op (f, find_dialect ("anthropic"), OP_CHECK);
      if (cases[i].remote)
        g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INSECURE);
      else
        g_assert_no_error (error);
      n_requests += cases[i].remote ? 0 : 1;
      g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, n_requests);
    }

  /* Ollama on another computer of the LAN: no key, nothing to protect. */
  byok_provider_set_base_url (ollama, "http://192.168.1.20:11434/v1");
  g_assert_false (byok_provider_get_needs_key (ollama));
  {
    g_autoptr(GAsyncResult) async = NULL;
    g_autoptr(GPtrArray) models = NULL;
    g_autoptr(GError) error = NULL;
    ByokTestRequest *request;

    byok_client_list_models_async (f->client, "ollama", NULL, byok_test_store_result, &async);
    models = byok_client_list_models_finish (f->client, wait_for (&async), &error);
    g_assert_no_error (error);
    request = byok_test_server_get_last_request (f->server);
    g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Host"), ==, "192.168.1.20:11434");
    g_assert_null (soup_message_headers_get_one (request->headers, "Authorization"));
  }
}

/* The switch is a provider setting: kept in the database, applied at the
 * next start. */
static void
test_http_setting_kept (Fixture       *f,
                        gconstpointer  data)
{
  ByokProviderSettings *settings = byok_engine_get_provider_settings (f->engine);
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokEngine) again = NULL;

  g_assert_false (byok_provider_get_allow_http (lookup_provider (f, "azure")));
  g_assert_true (byok_provider_settings_set_allow_http (settings, lookup_provider (f, "azure"), TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (byok_provider_get_allow_http (lookup_provider (f, "azure")));

  again = byok_engine_new (f->db_path, &error);
  g_assert_no_error (error);
  g_assert_true (byok_provider_get_allow_http (byok_catalog_lookup_provider (byok_engine_get_catalog (again), "azure")));
  g_assert_false (byok_provider_get_allow_http (byok_catalog_lookup_provider (byok_engine_get_catalog (again), "openai")));

  g_assert_true (byok_provider_settings_set_allow_http (settings, lookup_provider (f, "azure"), FALSE, &error));
  g_assert_false (byok_provider_get_allow_http (lookup_provider (f, "azure")));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  log_text = byok_test_capture_log ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/key-safety/redirect/every-dialect", test_redirect_every_dialect);
  ADD ("/key-safety/redirect/every-status", test_redirect_every_status);
  ADD ("/key-safety/redirect/same-origin", test_redirect_same_origin);
  ADD ("/key-safety/echo/every-dialect", test_echo_every_dialect);
  ADD ("/key-safety/echo/in-stream", test_echo_in_stream);
  ADD ("/key-safety/echo/key-event-keeps-no-part", test_echo_key_event_keeps_no_part);
  ADD ("/key-safety/http/refused", test_http_refused);
  ADD ("/key-safety/http/allowed", test_http_allowed);
  ADD ("/key-safety/http/loopback-and-keyless", test_http_loopback_and_keyless);
  ADD ("/key-safety/http/setting-kept", test_http_setting_kept);

  return g_test_run ();
}
