/* byok-test-server.c — a provider played by an in-process SoupServer */
#define G_LOG_DOMAIN "byok-test-server"

#include "config.h"

#include <string.h>
#include <sys/socket.h>
#include <json-glib/json-glib.h>

#include "byok-test-server.h"
#include "byok-test-util.h"

struct _ByokTestReply
{
  guint               status;
  SoupMessageHeaders *headers;
  GPtrArray          *chunks;        /* GBytes */
  gboolean            streamed;      /* chunked transfer, piece by piece */
  gsize               split;         /* 0: as added */
  guint               first_delay_ms;
  guint               chunk_delay_ms;
  guint               drop_after;    /* 0: never */
  gboolean            hold;
  gboolean            repeat;
  gboolean            unanswered;    /* the connection closed, not a byte sent */
};

typedef struct
{
  ByokTestServer     *server;        /* unowned */
  SoupServerMessage  *msg;           /* owned */
  ByokTestReply      *reply;         /* owned */
  GPtrArray          *pieces;        /* GBytes */
  guint               next;
  guint               source_id;
  gsize               appended;
  gsize               written;
  gboolean            dropping;
  gboolean            finished;
  gboolean            completed;
} Stream;

struct _ByokTestServer
{
  GObject     parent_instance;

  SoupServer *server;
  GHashTable *sockets;     /* every GSocket a client connected on: the count */
  char       *url;
  GHashTable *routes;      /* path (or path#model) → GQueue of ByokTestReply */
  GPtrArray  *requests;    /* ByokTestRequest */
  GPtrArray  *streams;     /* Stream, live ones */
  char       *key_header;
  char       *key_value;
  guint       n_closed;
};

G_DEFINE_FINAL_TYPE (ByokTestServer, byok_test_server, G_TYPE_OBJECT)

/* ---- replies ------------------------------------------------------------- */

ByokTestReply *
byok_test_reply_new (guint status)
{
  ByokTestReply *reply = g_new0 (ByokTestReply, 1);

  reply->status = status;
  reply->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  reply->chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  return reply;
}

/* No answer at all: the server reads the request, then closes the
 * connection before a byte of the response (as a server does that drops a
 * kept-alive connection just as a request arrives on it). */
ByokTestReply *
byok_test_reply_new_unanswered (void)
{
  ByokTestReply *reply = byok_test_reply_new (SOUP_STATUS_OK);

  reply->unanswered = TRUE;
  return reply;
}

ByokTestReply *
byok_test_reply_new_json (guint       status,
                          const char *json)
{
  ByokTestReply *reply = byok_test_reply_new (status);

  soup_message_headers_replace (reply->headers, "Content-Type", "application/json");
  byok_test_reply_add_chunk (reply, json);
  reply->streamed = FALSE;
  return reply;
}

/* A 200 text/event-stream reply of `data:` events, one chunk each. */
ByokTestReply *
byok_test_reply_new_sse (const char *first_event,
                         ...)
{
  ByokTestReply *reply = byok_test_reply_new (200);
  va_list args;

  soup_message_headers_replace (reply->headers, "Content-Type", "text/event-stream");
  reply->streamed = TRUE;
  va_start (args, first_event);
  for (const char *data = first_event; data != NULL; data = va_arg (args, const char *))
    byok_test_reply_add_sse_event (reply, NULL, data);
  va_end (args);
  return reply;
}

void
byok_test_reply_add_header (ByokTestReply *reply,
                            const char    *name,
                            const char    *value)
{
  soup_message_headers_replace (reply->headers, name, value);
}

void
byok_test_reply_add_chunk (ByokTestReply *reply,
                           const char    *data)
{
  g_ptr_array_add (reply->chunks, g_bytes_new (data, strlen (data)));
  if (reply->chunks->len > 1)
    reply->streamed = TRUE;
}

void
byok_test_reply_add_sse_event (ByokTestReply *reply,
                               const char    *event_name,
                               const char    *data)
{
  g_autofree char *text = NULL;

  if (event_name != NULL)
    text = g_strdup_printf ("event: %s\ndata: %s\n\n", event_name, data);
  else
    text = g_strdup_printf ("data: %s\n\n", data);
  g_ptr_array_add (reply->chunks, g_bytes_new (text, strlen (text)));
  reply->streamed = TRUE;
  if (soup_message_headers_get_one (reply->headers, "Content-Type") == NULL)
    soup_message_headers_replace (reply->headers, "Content-Type", "text/event-stream");
}

/* Re-cut the whole body into pieces of @piece_size bytes (1 = byte by byte). */
void
byok_test_reply_set_split (ByokTestReply *reply,
                           gsize          piece_size)
{
  reply->split = piece_size;
  reply->streamed = TRUE;
}

void
byok_test_reply_set_delay_ms (ByokTestReply *reply,
                              guint          first_delay_ms,
                              guint          chunk_delay_ms)
{
  reply->first_delay_ms = first_delay_ms;
  reply->chunk_delay_ms = chunk_delay_ms;
  reply->streamed = TRUE;
}

/* Close the connection once @n_pieces pieces have been written. */
void
byok_test_reply_set_drop_after (ByokTestReply *reply,
                                guint          n_pieces)
{
  reply->drop_after = n_pieces;
  reply->streamed = TRUE;
}

/* After the last piece, keep the connection open without completing the
 * body until byok_test_server_release_held() (a stalled stream). */
void
byok_test_reply_set_hold (ByokTestReply *reply,
                          gboolean       hold)
{
  reply->hold = hold;
  reply->streamed = TRUE;
}

/* Keep serving this reply for every later request to its path. */
void
byok_test_reply_set_repeat (ByokTestReply *reply,
                            gboolean       repeat)
{
  reply->repeat = repeat;
}

static ByokTestReply *
reply_copy (const ByokTestReply *reply)
{
  ByokTestReply *copy = g_memdup2 (reply, sizeof *reply);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  copy->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  soup_message_headers_iter_init (&iter, reply->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_append (copy->headers, name, value);
  copy->chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint i = 0; i < reply->chunks->len; i++)
    g_ptr_array_add (copy->chunks, g_bytes_ref (g_ptr_array_index (reply->chunks, i)));
  return copy;
}

void
byok_test_reply_free (ByokTestReply *reply)
{
  if (reply == NULL)
    return;
  soup_message_headers_unref (reply->headers);
  g_ptr_array_unref (reply->chunks);
  g_free (reply);
}

/* ---- requests ------------------------------------------------------------ */

static void
request_free (ByokTestRequest *req)
{
  g_free (req->method);
  g_free (req->path);
  g_free (req->query);
  soup_message_headers_unref (req->headers);
  g_bytes_unref (req->body);
  g_free (req);
}

static ByokTestRequest *
request_record (SoupServerMessage *msg)
{
  ByokTestRequest *req = g_new0 (ByokTestRequest, 1);
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  req->method = g_strdup (soup_server_message_get_method (msg));
  req->path = g_strdup (g_uri_get_path (uri));
  req->query = g_strdup (g_uri_get_query (uri));
  req->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_append (req->headers, name, value);
  req->body = soup_message_body_flatten (body);
  return req;
}

/* ---- streaming ----------------------------------------------------------- */

static void
stream_clear_source (Stream *stream)
{
  g_clear_handle_id (&stream->source_id, g_source_remove);
}

static void
stream_free (Stream *stream)
{
  stream_clear_source (stream);
  g_signal_handlers_disconnect_by_data (stream->msg, stream);
  g_object_unref (stream->msg);
  byok_test_reply_free (stream->reply);
  g_ptr_array_unref (stream->pieces);
  g_free (stream);
}

static gboolean
stream_drop_now (gpointer data)
{
  Stream *stream = data;
  GIOStream *conn;

  stream->source_id = 0;
  if (stream->finished)
    return G_SOURCE_REMOVE;
  conn = soup_server_message_steal_connection (stream->msg);
  if (conn != NULL)
    {
      g_io_stream_close (conn, NULL, NULL);
      g_object_unref (conn);
    }
  stream->finished = TRUE;
  g_ptr_array_remove (stream->server->streams, stream);
  return G_SOURCE_REMOVE;
}

static gboolean stream_send_next (gpointer data);

static gboolean
close_unanswered (gpointer data)
{
  g_autoptr(GIOStream) conn = soup_server_message_steal_connection (data);

  if (conn != NULL)
    g_io_stream_close (conn, NULL, NULL);
  return G_SOURCE_REMOVE;
}

static void
stream_schedule (Stream *stream,
                 guint   delay_ms)
{
  /* At the priority of network I/O, as a real server's bytes arrive: an
   * idle would wait behind every frame of a window that keeps drawing. */
  if (delay_ms == 0)
    stream->source_id = g_idle_add_full (G_PRIORITY_DEFAULT, stream_send_next, stream, NULL);
  else
    stream->source_id = g_timeout_add (delay_ms, stream_send_next, stream);
}

static gboolean
stream_send_next (gpointer data)
{
  Stream *stream = data;
  SoupMessageBody *body = soup_server_message_get_response_body (stream->msg);

  stream->source_id = 0;
  if (stream->finished)
    return G_SOURCE_REMOVE;

  if (stream->next < stream->pieces->len &&
      (stream->reply->drop_after == 0 || stream->next < stream->reply->drop_after))
    {
      GBytes *piece = g_ptr_array_index (stream->pieces, stream->next++);

      soup_message_body_append_bytes (body, piece);
      stream->appended += g_bytes_get_size (piece);
      soup_server_message_unpause (stream->msg);
      stream_schedule (stream, stream->reply->chunk_delay_ms);
      return G_SOURCE_REMOVE;
    }

  if (stream->reply->drop_after != 0)
    {
      stream->dropping = TRUE;
      if (stream->written >= stream->appended)
        stream->source_id = g_idle_add (stream_drop_now, stream);
      return G_SOURCE_REMOVE;
    }

  if (stream->reply->hold)
    return G_SOURCE_REMOVE;

  stream->completed = TRUE;
  soup_message_body_complete (body);
  soup_server_message_unpause (stream->msg);
  return G_SOURCE_REMOVE;
}

static void
stream_wrote_body_data (SoupServerMessage *msg,
                        guint              chunk_size,
                        Stream            *stream)
{
  stream->written += chunk_size;
  if (stream->dropping && stream->written >= stream->appended && stream->source_id == 0)
    stream->source_id = g_idle_add (stream_drop_now, stream);
}

static void
stream_finished (SoupServerMessage *msg,
                 Stream            *stream)
{
  if (!stream->completed && !stream->finished)
    stream->server->n_closed++;
  stream->finished = TRUE;
  stream_clear_source (stream);
  g_ptr_array_remove (stream->server->streams, stream);
}

static GPtrArray *
cut_pieces (ByokTestReply *reply)
{
  GPtrArray *pieces = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GByteArray) all = NULL;

  if (reply->split == 0)
    {
      for (guint i = 0; i < reply->chunks->len; i++)
        g_ptr_array_add (pieces, g_bytes_ref (g_ptr_array_index (reply->chunks, i)));
      return pieces;
    }

  all = g_byte_array_new ();
  for (guint i = 0; i < reply->chunks->len; i++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (g_ptr_array_index (reply->chunks, i), &len);
      g_byte_array_append (all, data, len);
    }
  for (gsize off = 0; off < all->len; off += reply->split)
    g_ptr_array_add (pieces, g_bytes_new (all->data + off, MIN (reply->split, all->len - off)));
  return pieces;
}

/* ---- the handler --------------------------------------------------------- */

static char *
model_route (const char *path,
             const char *model)
{
  return g_strconcat (path, "#model=", model, NULL);
}

/* The "model" member of a JSON request body, or NULL. */
static char *
body_model (GBytes *body)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;

  if (data == NULL || len == 0)
    return NULL;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (json_node_get_object (root), "model", NULL));
}

static ByokTestReply *
take_reply (ByokTestServer *self,
            const char     *path,
            const char     *model)
{
  GQueue *queue = NULL;
  ByokTestReply *head;

  if (model != NULL)
    {
      g_autofree char *route = model_route (path, model);
      queue = g_hash_table_lookup (self->routes, route);
    }
  if (queue == NULL || g_queue_is_empty (queue))
    queue = g_hash_table_lookup (self->routes, path);
  if (queue == NULL || g_queue_is_empty (queue))
    queue = g_hash_table_lookup (self->routes, "*");
  if (queue == NULL || g_queue_is_empty (queue))
    return NULL;

  head = g_queue_peek_head (queue);
  if (head->repeat && g_queue_get_length (queue) == 1)
    return reply_copy (head);
  return g_queue_pop_head (queue);
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  ByokTestServer *self = user_data;
  ByokTestReply *reply;
  SoupMessageHeaders *out = soup_server_message_get_response_headers (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  Stream *stream;
  ByokTestRequest *request = request_record (msg);
  g_autofree char *model = body_model (request->body);

  g_ptr_array_add (self->requests, request);

  if (self->key_header != NULL &&
      g_strcmp0 (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                               self->key_header), self->key_value) != 0)
    {
      static const char body[] =
        "{\"error\": {\"message\": \"Incorrect API key provided.\", "
        "\"type\": \"invalid_request_error\", \"code\": \"invalid_api_key\"}}";
      soup_server_message_set_status (msg, 401, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
      return;
    }

  reply = take_reply (self, path, model);
  if (reply == NULL)
    {
      g_autofree char *body = g_strdup_printf ("{\"error\": {\"message\": \"no reply scripted for %s\", "
                                               "\"type\": \"not_found\"}}", path);
      soup_server_message_set_status (msg, 404, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
      return;
    }

  if (reply->unanswered)
    {
      byok_test_reply_free (reply);
      soup_server_message_pause (msg);
      g_idle_add_full (G_PRIORITY_DEFAULT, close_unanswered, g_object_ref (msg), g_object_unref);
      return;
    }

  soup_server_message_set_status (msg, reply->status, NULL);
  soup_message_headers_iter_init (&iter, reply->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_replace (out, name, value);

  if (!reply->streamed)
    {
      g_autoptr(GByteArray) all = g_byte_array_new ();
      for (guint i = 0; i < reply->chunks->len; i++)
        {
          gsize len;
          const guint8 *data = g_bytes_get_data (g_ptr_array_index (reply->chunks, i), &len);
          g_byte_array_append (all, data, len);
        }
      soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_COPY,
                                all->data, all->len);
      byok_test_reply_free (reply);
      return;
    }

  soup_message_headers_set_encoding (out, SOUP_ENCODING_CHUNKED);
  stream = g_new0 (Stream, 1);
  stream->server = self;
  stream->msg = g_object_ref (msg);
  stream->reply = reply;
  stream->pieces = cut_pieces (reply);
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (stream_wrote_body_data), stream);
  g_signal_connect (msg, "finished", G_CALLBACK (stream_finished), stream);
  g_ptr_array_add (self->streams, stream);

  soup_server_message_pause (msg);
  stream_schedule (stream, reply->first_delay_ms);
}

/* ---- object -------------------------------------------------------------- */

static void
byok_test_server_finalize (GObject *object)
{
  ByokTestServer *self = BYOK_TEST_SERVER (object);

  g_ptr_array_unref (self->streams);
  soup_server_disconnect (self->server);
  g_hash_table_unref (self->sockets);
  g_clear_object (&self->server);
  g_hash_table_unref (self->routes);
  g_ptr_array_unref (self->requests);
  g_free (self->url);
  g_free (self->key_header);
  g_free (self->key_value);

  G_OBJECT_CLASS (byok_test_server_parent_class)->finalize (object);
}

static void
byok_test_server_class_init (ByokTestServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = byok_test_server_finalize;
}

static void
free_queue (GQueue *queue)
{
  g_queue_free_full (queue, (GDestroyNotify) byok_test_reply_free);
}

static void
byok_test_server_init (ByokTestServer *self)
{
  self->routes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) free_queue);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  self->streams = g_ptr_array_new_with_free_func ((GDestroyNotify) stream_free);
}

/* Each connection a client opens: SoupServer starts a message for it as
 * it accepts it (before any request), and one more for each request it
 * then reads on it. The sockets are held, so that none is counted twice. */
static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    ByokTestServer    *self)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL && !g_hash_table_contains (self->sockets, socket))
    g_hash_table_add (self->sockets, g_object_ref (socket));
}

/* Listens on 127.0.0.1 on a free port at once. The server listens itself
 * (not through soup_server_accept_iostream()): SoupServer keeps a
 * connection open for the next request only on its own listeners, as a
 * provider's server does; else it closes every one after one answer. */
ByokTestServer *
byok_test_server_new (void)
{
  ByokTestServer *self = g_object_new (BYOK_TYPE_TEST_SERVER, NULL);

  self->server = soup_server_new ("server-header", "byok-test-server", NULL);
  self->sockets = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, NULL);
  soup_server_add_handler (self->server, NULL, server_callback, self, NULL);
  g_signal_connect (self->server, "request-started", G_CALLBACK (request_started_cb), self);
  /* Not soup_server_get_uris(): libsoup 3.2 never frees the address it
   * caches for that, which make asan reports as a leak. */
  self->url = byok_test_listen_loopback (self->server);
  return self;
}

/* "http://127.0.0.1:PORT", no trailing slash. */
const char *
byok_test_server_get_url (ByokTestServer *self)
{
  return self->url;
}

/* Queue @reply (taking it) for requests to @path ("*" for any path without
 * a reply of its own). Replies to one path are served in order. */
void
byok_test_server_add_reply (ByokTestServer *self,
                            const char     *path,
                            ByokTestReply  *reply)
{
  GQueue *queue = g_hash_table_lookup (self->routes, path);

  if (queue == NULL)
    {
      queue = g_queue_new ();
      g_hash_table_insert (self->routes, g_strdup (path), queue);
    }
  g_queue_push_tail (queue, reply);
}

/* Queue @reply (taking it) for requests to @path whose JSON body names
 * @model ({"model": "…"}): they take these replies, in order, before the
 * replies queued for @path alone. */
void
byok_test_server_add_reply_for_model (ByokTestServer *self,
                                      const char     *path,
                                      const char     *model,
                                      ByokTestReply  *reply)
{
  g_autofree char *route = model_route (path, model);

  byok_test_server_add_reply (self, route, reply);
}

/* Requests whose @header is not exactly @value get an OpenAI-style 401. */
void
byok_test_server_require_key (ByokTestServer *self,
                              const char     *header,
                              const char     *value)
{
  g_free (self->key_header);
  g_free (self->key_value);
  self->key_header = g_strdup (header);
  self->key_value = g_strdup (value);
}

guint
byok_test_server_get_n_requests (ByokTestServer *self)
{
  return self->requests->len;
}

ByokTestRequest *
byok_test_server_get_request (ByokTestServer *self,
                              guint           index)
{
  g_return_val_if_fail (index < self->requests->len, NULL);
  return g_ptr_array_index (self->requests, index);
}

ByokTestRequest *
byok_test_server_get_last_request (ByokTestServer *self)
{
  if (self->requests->len == 0)
    return NULL;
  return g_ptr_array_index (self->requests, self->requests->len - 1);
}

guint
byok_test_server_count_path (ByokTestServer *self,
                             const char     *path)
{
  guint n = 0;

  for (guint i = 0; i < self->requests->len; i++)
    {
      ByokTestRequest *req = g_ptr_array_index (self->requests, i);
      if (g_strcmp0 (req->path, path) == 0)
        n++;
    }
  return n;
}

/* Complete every held stream. */
void
byok_test_server_release_held (ByokTestServer *self)
{
  for (guint i = 0; i < self->streams->len; i++)
    {
      Stream *stream = g_ptr_array_index (self->streams, i);

      if (stream->reply->hold && !stream->finished && stream->source_id == 0)
        {
          stream->reply->hold = FALSE;
          stream_schedule (stream, 0);
        }
    }
}

/* Resets every connection the server accepted so far, as a server does
 * that drops an idle connection: a client writing on it next finds it
 * closed ("Connection reset by peer"). */
void
byok_test_server_reset_connections (ByokTestServer *self)
{
  GHashTableIter iter;
  GSocket *socket;

  g_hash_table_iter_init (&iter, self->sockets);
  while (g_hash_table_iter_next (&iter, (gpointer *) &socket, NULL))
    {
      struct linger now = { .l_onoff = 1, .l_linger = 0 };

      if (g_socket_is_closed (socket))
        continue;
      /* Closed with no lingering: a reset, not an orderly end. */
      g_assert_cmpint (setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &now, sizeof now), ==, 0);
      g_socket_close (socket, NULL);
    }
}

/* How many connections clients opened to the server. */
guint
byok_test_server_get_n_connections (ByokTestServer *self)
{
  return g_hash_table_size (self->sockets);
}

/* How many streamed replies the client closed before they were complete. */
guint
byok_test_server_get_n_closed (ByokTestServer *self)
{
  return self->n_closed;
}
