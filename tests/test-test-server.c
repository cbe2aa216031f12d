/* test-test-server.c — the provider test server itself: what it sends is
 * what a real libsoup client receives, split, dropped and recorded as told. */
#include "config.h"

#include <string.h>

#include "byok-test-server.h"

typedef struct {
  GMainLoop *loop;
  GString   *data;
  GError    *error;
  guint      status;
} Fetch;

static void read_more (GInputStream *in, Fetch *f);

static void
read_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Fetch *f = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &f->error);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      g_main_loop_quit (f->loop);
      return;
    }
  g_string_append_len (f->data, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  read_more (G_INPUT_STREAM (source), f);
}

static void
read_more (GInputStream *in, Fetch *f)
{
  g_input_stream_read_bytes_async (in, 4096, G_PRIORITY_DEFAULT, NULL, read_done, f);
}

static void
send_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Fetch *f = user_data;
  g_autoptr(GInputStream) in = soup_session_send_finish (SOUP_SESSION (source), result, &f->error);

  if (in == NULL)
    {
      g_main_loop_quit (f->loop);
      return;
    }
  read_more (in, f);
}

static Fetch *
fetch (ByokTestServer *server, const char *path, const char *key, const char *body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (byok_test_server_get_url (server), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (body ? "POST" : "GET", url);
  Fetch *f = g_new0 (Fetch, 1);

  if (key)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", key);
  if (body)
    {
      g_autoptr(GBytes) b = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", b);
    }
  f->loop = g_main_loop_new (NULL, FALSE);
  f->data = g_string_new (NULL);
  soup_session_send_async (session, msg, G_PRIORITY_DEFAULT, NULL, send_done, f);
  g_main_loop_run (f->loop);
  f->status = soup_message_get_status (msg);
  return f;
}

static void
fetch_free (Fetch *f)
{
  g_main_loop_unref (f->loop);
  g_string_free (f->data, TRUE);
  g_clear_error (&f->error);
  g_free (f);
}

static void
test_server_split_stream (void)
{
  g_autoptr(ByokTestServer) server = byok_test_server_new ();
  ByokTestReply *reply = byok_test_reply_new_sse ("{\"a\": \"héllo\"}", "[DONE]", NULL);
  Fetch *f;

  byok_test_reply_set_split (reply, 1);
  byok_test_server_add_reply (server, "/v1/chat/completions", reply);
  f = fetch (server, "/v1/chat/completions", NULL, "{\"x\": 1}");
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->status, ==, 200);
  g_assert_cmpstr (f->data->str, ==, "data: {\"a\": \"héllo\"}\n\ndata: [DONE]\n\n");
  g_assert_cmpuint (byok_test_server_get_n_requests (server), ==, 1);
  g_assert_cmpstr (byok_test_server_get_last_request (server)->method, ==, "POST");
  g_assert_cmpstr (g_bytes_get_data (byok_test_server_get_last_request (server)->body, NULL), ==, "{\"x\": 1}");
  fetch_free (f);

  /* Consumed: a second request gets the 404 of an unscripted path. */
  f = fetch (server, "/v1/chat/completions", NULL, "{}");
  g_assert_cmpuint (f->status, ==, 404);
  fetch_free (f);
}

static void
test_server_drop (void)
{
  g_autoptr(ByokTestServer) server = byok_test_server_new ();
  ByokTestReply *reply = byok_test_reply_new_sse ("one", "two", "three", NULL);
  Fetch *f;

  byok_test_reply_set_drop_after (reply, 2);
  byok_test_server_add_reply (server, "/s", reply);
  f = fetch (server, "/s", NULL, NULL);
  /* The client saw the first two events and never the third. Note that
   * libsoup 3.2 reports a chunked body cut between chunks as a clean EOF, not
   * an error: only the stream's own terminator tells a whole answer from a
   * truncated one, which is why the client checks for it. */
  g_assert_cmpstr (f->data->str, ==, "data: one\n\ndata: two\n\n");
  fetch_free (f);
}

static void
test_server_key_and_repeat (void)
{
  g_autoptr(ByokTestServer) server = byok_test_server_new ();
  ByokTestReply *reply = byok_test_reply_new_json (200, "{\"data\": []}");
  Fetch *f;

  byok_test_reply_set_repeat (reply, TRUE);
  byok_test_server_add_reply (server, "/models", reply);
  byok_test_server_require_key (server, "Authorization", "Bearer sk-test-good");

  f = fetch (server, "/models", "Bearer sk-test-bad", NULL);
  g_assert_cmpuint (f->status, ==, 401);
  g_assert_nonnull (strstr (f->data->str, "invalid_api_key"));
  fetch_free (f);

  for (int i = 0; i < 2; i++)
    {
      f = fetch (server, "/models", "Bearer sk-test-good", NULL);
      g_assert_cmpuint (f->status, ==, 200);
      g_assert_cmpstr (f->data->str, ==, "{\"data\": []}");
      fetch_free (f);
    }
  g_assert_cmpuint (byok_test_server_count_path (server, "/models"), ==, 3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/test-server/split-stream", test_server_split_stream);
  g_test_add_func ("/test-server/drop", test_server_drop);
  g_test_add_func ("/test-server/key-and-repeat", test_server_key_and_repeat);
  return g_test_run ();
}
