/* byok-mcp-http-transport.c — an MCP server at a URL (Streamable HTTP) */
#define G_LOG_DOMAIN "byok-mcp"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "byok-error.h"
#include "byok-json.h"
#include "byok-key-format.h"
#include "byok-mcp-http-transport.h"
#include "byok-mcp-jsonrpc.h"
#include "byok-provider.h"
#include "byok-sse.h"

#define MAX_BODY (32 * 1024 * 1024)
#define MAX_ERROR_BODY (64 * 1024)
#define MAX_REDIRECTS 3
#define READ_CHUNK 65536
#define DELETE_TIMEOUT_S 5

struct _ByokMcpHttpTransport
{
  ByokMcpTransport parent_instance;

  SoupSession *session;
  char *url;
  char *token;              /* secret */
  GHashTable *headers;      /* name → value (secrets) */
  char *session_id;
  GPtrArray *active;        /* GCancellable of each request under way */
  gboolean closing;
};

G_DEFINE_FINAL_TYPE (ByokMcpHttpTransport, byok_mcp_http_transport, BYOK_TYPE_MCP_TRANSPORT)

typedef struct {
  GUri *uri;
  GBytes *body;
  guint redirects;
  SoupMessage *msg;
  GInputStream *stream;
  GCancellable *cancellable;     /* ours, cancelled by the caller's or by close */
  GCancellable *caller;
  gulong caller_handler;
  ByokSse *sse;                  /* an event stream */
  GByteArray *buffer;            /* a JSON answer, or an error's body */
  gboolean failed_status;
} Post;

static void
post_free (gpointer data)
{
  Post *post = data;

  if (post->caller_handler != 0)
    g_cancellable_disconnect (post->caller, post->caller_handler);
  g_clear_object (&post->caller);
  g_clear_pointer (&post->uri, g_uri_unref);
  g_clear_pointer (&post->body, g_bytes_unref);
  g_clear_object (&post->msg);
  g_clear_object (&post->stream);
  g_clear_object (&post->cancellable);
  g_clear_pointer (&post->sse, byok_sse_free);
  g_clear_pointer (&post->buffer, g_byte_array_unref);
  g_free (post);
}

static void
byok_mcp_http_transport_dispose (GObject *object)
{
  ByokMcpHttpTransport *self = BYOK_MCP_HTTP_TRANSPORT (object);

  for (guint i = 0; self->active != NULL && i < self->active->len; i++)
    g_cancellable_cancel (g_ptr_array_index (self->active, i));
  G_OBJECT_CLASS (byok_mcp_http_transport_parent_class)->dispose (object);
}

static void
byok_mcp_http_transport_finalize (GObject *object)
{
  ByokMcpHttpTransport *self = BYOK_MCP_HTTP_TRANSPORT (object);

  g_clear_object (&self->session);
  g_free (self->url);
  byok_secret_free (self->token);
  g_clear_pointer (&self->headers, g_hash_table_unref);
  g_free (self->session_id);
  g_clear_pointer (&self->active, g_ptr_array_unref);
  G_OBJECT_CLASS (byok_mcp_http_transport_parent_class)->finalize (object);
}

static const char *
transport_name (ByokMcpHttpTransport *self)
{
  return byok_mcp_transport_get_name (BYOK_MCP_TRANSPORT (self));
}

static char *
uri_host (GUri *uri)
{
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup ("?");
  return g_uri_get_port (uri) > 0 ? g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri))
                                  : g_strdup (g_uri_get_host (uri));
}

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a) != NULL ? g_uri_get_host (a) : "",
                             g_uri_get_host (b) != NULL ? g_uri_get_host (b) : "") == 0 &&
         g_uri_get_port (a) == g_uri_get_port (b);
}

/* A token or a header value goes over plain HTTP only to this computer. */
static gboolean
check_secure (ByokMcpHttpTransport  *self,
              GUri                  *uri,
              GError               **error)
{
  g_autofree char *host = NULL;

  if ((self->token == NULL && (self->headers == NULL || g_hash_table_size (self->headers) == 0)) ||
      !byok_uri_is_remote_http (uri))
    return TRUE;
  host = uri_host (uri);
  /* Translators: %1$s is an MCP server's name, %2$s a host */
  g_set_error (error, BYOK_ERROR, BYOK_ERROR_INSECURE,
               _("Byok did not send the token of the MCP server “%1$s”: %2$s is a plain http:// address "
                 "on another computer, so anyone on the network could read it. Use an https:// address."),
               transport_name (self), host);
  return FALSE;
}

static SoupMessage *
new_message (ByokMcpHttpTransport *self,
             const char           *method,
             GUri                 *uri)
{
  SoupMessage *msg = soup_message_new_from_uri (method, uri);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  const char *version = byok_mcp_transport_get_protocol_version (BYOK_MCP_TRANSPORT (self));

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (self->headers != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, self->headers);
      while (g_hash_table_iter_next (&iter, &key, &value))
        soup_message_headers_replace (headers, key, value);
    }
  if (self->token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (headers, "Authorization", bearer);
      explicit_bzero (bearer, strlen (bearer));
    }
  if (self->session_id != NULL)
    soup_message_headers_replace (headers, "Mcp-Session-Id", self->session_id);
  if (version != NULL)
    soup_message_headers_replace (headers, "MCP-Protocol-Version", version);
  return msg;
}

/* ---- start ---- */

static void
byok_mcp_http_transport_start_async (ByokMcpTransport    *transport,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  ByokMcpHttpTransport *self = BYOK_MCP_HTTP_TRANSPORT (transport);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GUri) uri = g_uri_parse (self->url, SOUP_HTTP_URI_FLAGS, NULL);
  GError *error = NULL;

  g_task_set_source_tag (task, byok_mcp_http_transport_start_async);
  if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
                      g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
    {
      /* Translators: %1$s is an MCP server's name, %2$s what was given as its URL */
      g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_INVALID,
                               _("The address of the MCP server “%1$s” is not an http or https URL: %2$s"),
                               transport_name (self), self->url);
      return;
    }
  if (!check_secure (self, uri, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* ---- send ---- */

static void post_send (GTask *task);
static void post_read (GTask *task);

static void
post_done (GTask  *task,
           GError *error)
{
  ByokMcpHttpTransport *self = g_task_get_source_object (task);
  Post *post = g_task_get_task_data (task);

  g_ptr_array_remove (self->active, post->cancellable);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static GError *
network_error (ByokMcpHttpTransport *self,
               Post                 *post,
               GError               *error)
{
  g_autofree char *host = uri_host (post->uri);
  GError *mapped;

  if (g_cancellable_is_cancelled (post->cancellable))
    mapped = g_error_new (BYOK_ERROR, BYOK_ERROR_CANCELLED, _("Stopped."));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    /* Translators: %1$s is an MCP server's name, %2$s a host */
    mapped = g_error_new (BYOK_ERROR, BYOK_ERROR_TIMEOUT,
                          _("The MCP server “%1$s” at %2$s did not answer in time."), transport_name (self), host);
  else
    /* Translators: %1$s is an MCP server's name, %2$s a host, %3$s the system's reason */
    mapped = g_error_new (BYOK_ERROR, BYOK_ERROR_NETWORK,
                          _("Could not reach the MCP server “%1$s” at %2$s: %3$s. Check the address and your network."),
                          transport_name (self), host, error->message);
  g_error_free (error);
  return mapped;
}

/* The message of a JSON-RPC error in an error answer's body, if any. */
static char *
body_error_message (GByteArray *body)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *error;
  const char *message;

  if (body == NULL || body->len == 0)
    return NULL;
  node = byok_json_parse ((const char *) body->data, body->len, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  error = byok_json_get_object (json_node_get_object (node), "error");
  message = error != NULL ? byok_json_get_string (error, "message") : NULL;
  return message != NULL ? g_utf8_make_valid (message, MIN (strlen (message), 300)) : NULL;
}

/* A 404 to a request that named a session: the server ended it (perhaps
 * while another request was under way, which learnt it first). */
static gboolean
ended_session (Post *post)
{
  return soup_message_get_status (post->msg) == SOUP_STATUS_NOT_FOUND &&
         soup_message_headers_get_one (soup_message_get_request_headers (post->msg), "Mcp-Session-Id") != NULL;
}

static GError *
status_error (ByokMcpHttpTransport *self,
              Post                 *post)
{
  guint status = soup_message_get_status (post->msg);
  g_autofree char *host = uri_host (post->uri);
  g_autofree char *reason = body_error_message (post->buffer);
  g_autofree char *detail = reason != NULL ? g_strdup_printf (" (%s)", reason) : g_strdup ("");

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    /* Translators: %1$s is an MCP server's name, %2$s a host, %3$u an HTTP status, %4$s the server's reason or nothing */
    return g_error_new (BYOK_ERROR, BYOK_ERROR_AUTH,
                        _("The MCP server “%1$s” at %2$s refused access (HTTP %3$u)%4$s. Check its token "
                          "(byok-cli mcp add NAME --url URL --token-stdin replaces it)."),
                        transport_name (self), host, status, detail);
  if (ended_session (post))
    /* Translators: %1$s is an MCP server's name, %2$s a host */
    return g_error_new (BYOK_ERROR, BYOK_ERROR_NOT_FOUND,
                        _("The MCP server “%1$s” at %2$s ended the session. Byok starts a new one the next time it is needed."),
                        transport_name (self), host);
  if (status == SOUP_STATUS_NOT_FOUND)
    /* Translators: %1$s is an MCP server's name, %2$s a URL */
    return g_error_new (BYOK_ERROR, BYOK_ERROR_NOT_FOUND,
                        _("There is no MCP server “%1$s” at %2$s (HTTP 404). Check its address."),
                        transport_name (self), self->url);
  if (status >= 500)
    /* Translators: %1$s is an MCP server's name, %2$s a host, %3$u an HTTP status, %4$s the server's reason or nothing */
    return g_error_new (BYOK_ERROR, BYOK_ERROR_SERVER,
                        _("The MCP server “%1$s” at %2$s failed (HTTP %3$u)%4$s."),
                        transport_name (self), host, status, detail);
  /* Translators: %1$s is an MCP server's name, %2$s a host, %3$u an HTTP status, %4$s the server's reason or nothing */
  return g_error_new (BYOK_ERROR, BYOK_ERROR_BAD_REQUEST,
                      _("The MCP server “%1$s” at %2$s refused the request (HTTP %3$u)%4$s."),
                      transport_name (self), host, status, detail);
}

/* An error answer. A session the server ended (404 with a session id) is
 * over for good: the transport closes, so that the next use starts a new
 * one (the protocol says to initialize again). Other requests under way
 * still end by their own answers: the server may have acted on them
 * before it ended the session (the client waits for them). */
static void
fail_status (ByokMcpHttpTransport *self,
             GTask                *task,
             Post                 *post)
{
  GError *error = status_error (self, post);

  if (ended_session (post) && self->session_id != NULL)
    {
      g_clear_pointer (&self->session_id, g_free);
      byok_mcp_transport_emit_closed (BYOK_MCP_TRANSPORT (self), error);
    }
  post_done (task, error);
}

static gboolean
sse_event (const char  *event_name,
           const char  *data,
           gpointer     user_data,
           GError     **error)
{
  ByokMcpTransport *self = user_data;

  if (event_name == NULL || g_str_equal (event_name, "message"))
    byok_mcp_transport_emit_text (self, data, strlen (data));
  return TRUE;
}

static void
post_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ByokMcpHttpTransport *self = g_task_get_source_object (task);
  Post *post = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  const char *data;
  gsize len;

  if (bytes == NULL)
    {
      post_done (task, network_error (self, post, g_steal_pointer (&error)));
      return;
    }
  data = g_bytes_get_data (bytes, &len);
  if (len == 0)
    {
      g_input_stream_close (post->stream, NULL, NULL);
      if (post->failed_status)
        fail_status (self, task, post);
      else if (post->sse != NULL)
        {
          byok_sse_finish (post->sse);
          post_done (task, NULL);
        }
      else
        {
          if (post->buffer->len > 0)
            byok_mcp_transport_emit_text (BYOK_MCP_TRANSPORT (self), (const char *) post->buffer->data,
                                          post->buffer->len);
          post_done (task, NULL);
        }
      return;
    }

  if (post->sse != NULL)
    {
      if (!byok_sse_feed (post->sse, data, len, sse_event, self, &error) && error != NULL)
        {
          post_done (task, g_steal_pointer (&error));
          return;
        }
    }
  else if (post->buffer->len + len > (post->failed_status ? MAX_ERROR_BODY : MAX_BODY))
    {
      if (post->failed_status)
        {
          fail_status (self, task, post);
          return;
        }
      /* Translators: %1$s is an MCP server's name, %2$u a size in MiB */
      post_done (task, g_error_new (BYOK_ERROR, BYOK_ERROR_MALFORMED,
                                    _("The MCP server “%1$s” sent an answer longer than %2$u MiB; Byok stopped reading it."),
                                    transport_name (self), (guint) (MAX_BODY / (1024 * 1024))));
      return;
    }
  else
    g_byte_array_append (post->buffer, (const guint8 *) data, len);
  post_read (task);
}

static void
post_read (GTask *task)
{
  Post *post = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (post->stream, READ_CHUNK, G_PRIORITY_DEFAULT, post->cancellable,
                                   post_read_cb, g_object_ref (task));
}

static GError *
redirect_error (ByokMcpHttpTransport *self,
                Post                 *post,
                GUri                 *target)
{
  g_autofree char *host = target != NULL ? uri_host (target) : NULL;

  if (host != NULL)
    /* Translators: %1$s is an MCP server's name, %2$u an HTTP status (302), %3$s a host */
    return g_error_new (BYOK_ERROR, BYOK_ERROR_MALFORMED,
                        _("The MCP server “%1$s” answered with a redirect (HTTP %2$u) to %3$s. Byok follows "
                          "redirects only within the same address, so that its token goes nowhere else. "
                          "Set the server’s final address instead."),
                        transport_name (self), soup_message_get_status (post->msg), host);
  /* Translators: %1$s is an MCP server's name, %2$u an HTTP status (302) */
  return g_error_new (BYOK_ERROR, BYOK_ERROR_MALFORMED,
                      _("The MCP server “%1$s” answered with a redirect (HTTP %2$u) that names no valid address."),
                      transport_name (self), soup_message_get_status (post->msg));
}

static void
post_sent_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ByokMcpHttpTransport *self = g_task_get_source_object (task);
  Post *post = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  const char *session_id, *content_type;
  guint status;

  post->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (post->stream == NULL)
    {
      post_done (task, network_error (self, post, g_steal_pointer (&error)));
      return;
    }

  status = soup_message_get_status (post->msg);
  headers = soup_message_get_response_headers (post->msg);
  session_id = soup_message_headers_get_one (headers, "Mcp-Session-Id");
  if (session_id != NULL && SOUP_STATUS_IS_SUCCESSFUL (status) && g_strcmp0 (session_id, self->session_id) != 0)
    {
      g_free (self->session_id);
      self->session_id = g_strdup (session_id);
    }

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      const char *location = soup_message_headers_get_one (headers, "Location");
      g_autoptr(GUri) target = location != NULL
                               ? g_uri_parse_relative (post->uri, location, SOUP_HTTP_URI_FLAGS, NULL) : NULL;

      g_input_stream_close (post->stream, NULL, NULL);
      g_clear_object (&post->stream);
      if (target != NULL && same_origin (target, post->uri) && post->redirects < MAX_REDIRECTS &&
          (status == SOUP_STATUS_TEMPORARY_REDIRECT || status == SOUP_STATUS_PERMANENT_REDIRECT))
        {
          post->redirects++;
          g_uri_unref (post->uri);
          post->uri = g_steal_pointer (&target);
          post_send (g_steal_pointer (&task));
          return;
        }
      post_done (task, redirect_error (self, post, target));
      return;
    }

  post->buffer = g_byte_array_new ();
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      post->failed_status = TRUE;
      post_read (task);
      return;
    }

  content_type = soup_message_headers_get_content_type (headers, NULL);
  if (content_type != NULL && g_ascii_strcasecmp (content_type, "text/event-stream") == 0)
    post->sse = byok_sse_new ();
  post_read (task);
}

/* A header value as MCP 2026-07-28 has it: as it is when it is plain
 * visible ASCII without spaces at either end, else "=?base64?…?=". */
static char *
header_value (const char *value)
{
  gboolean plain = *value != '\0' && value[0] != ' ' && value[strlen (value) - 1] != ' ' &&
                   !g_str_has_prefix (value, "=?base64?");

  for (const char *p = value; *p != '\0' && plain; p++)
    plain = (*p >= 0x20 && *p <= 0x7E) || *p == '\t';
  if (plain)
    return g_strdup (value);
  {
    g_autofree char *encoded = g_base64_encode ((const guchar *) value, strlen (value));

    return g_strconcat ("=?base64?", encoded, "?=", NULL);
  }
}

/* MCP 2026-07-28's request headers: Mcp-Method, and Mcp-Name for the
 * methods that name a tool, prompt or resource. */
static void
add_request_headers (SoupMessageHeaders *headers,
                     GBytes             *body)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);
  JsonObject *message, *params;
  const char *method, *name = NULL;

  if (!json_parser_load_from_data (parser, data, (gssize) len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  message = json_node_get_object (json_parser_get_root (parser));
  method = byok_json_get_string (message, "method");
  if (method == NULL)
    return;
  soup_message_headers_replace (headers, "Mcp-Method", method);
  params = byok_json_get_object (message, "params");
  if (params != NULL && (g_str_equal (method, "tools/call") || g_str_equal (method, "prompts/get")))
    name = byok_json_get_string (params, "name");
  else if (params != NULL && g_str_equal (method, "resources/read"))
    name = byok_json_get_string (params, "uri");
  if (name != NULL)
    {
      g_autofree char *value = header_value (name);

      soup_message_headers_replace (headers, "Mcp-Name", value);
    }
}

static void
post_send (GTask *task)
{
  ByokMcpHttpTransport *self = g_task_get_source_object (task);
  Post *post = g_task_get_task_data (task);
  SoupMessageHeaders *headers;

  g_clear_object (&post->msg);
  post->msg = new_message (self, "POST", post->uri);
  headers = soup_message_get_request_headers (post->msg);
  soup_message_headers_replace (headers, "Accept", "application/json, text/event-stream");
  if (g_strcmp0 (byok_mcp_transport_get_protocol_version (BYOK_MCP_TRANSPORT (self)), BYOK_MCP_PROTOCOL_STATELESS) == 0)
    add_request_headers (headers, post->body);
  soup_message_set_request_body_from_bytes (post->msg, "application/json", post->body);
  soup_session_send_async (self->session, post->msg, G_PRIORITY_DEFAULT, post->cancellable,
                           post_sent_cb, task);
}

static void
caller_cancelled (GCancellable *caller,
                  gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

static void
byok_mcp_http_transport_send_async (ByokMcpTransport    *transport,
                                    const char          *text,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  ByokMcpHttpTransport *self = BYOK_MCP_HTTP_TRANSPORT (transport);
  GTask *task = g_task_new (self, NULL, callback, user_data);
  Post *post = g_new0 (Post, 1);
  GError *error = NULL;

  g_task_set_source_tag (task, byok_mcp_http_transport_send_async);
  g_task_set_task_data (task, post, post_free);
  post->uri = g_uri_parse (self->url, SOUP_HTTP_URI_FLAGS, NULL);
  post->body = g_bytes_new (text, strlen (text));
  post->cancellable = g_cancellable_new ();
  if (self->closing || post->uri == NULL)
    {
      /* Translators: %s is an MCP server's name */
      g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_SERVER, _("The MCP server “%s” is not running."),
                               transport_name (self));
      g_object_unref (task);
      return;
    }
  if (!check_secure (self, post->uri, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (cancellable != NULL)
    {
      post->caller = g_object_ref (cancellable);
      post->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled),
                                                    g_object_ref (post->cancellable), g_object_unref);
    }
  g_ptr_array_add (self->active, g_object_ref (post->cancellable));
  post_send (task);
}

/* ---- close ---- */

static gboolean
delete_timeout (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
deleted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ByokMcpHttpTransport *self = g_task_get_source_object (task);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  guint timer = GPOINTER_TO_UINT (g_task_get_task_data (task));

  g_source_remove (timer);
  g_clear_pointer (&self->session_id, g_free);
  byok_mcp_transport_emit_closed (BYOK_MCP_TRANSPORT (self), NULL);
  g_task_return_boolean (task, TRUE);
}

static void
byok_mcp_http_transport_close_async (ByokMcpTransport    *transport,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  ByokMcpHttpTransport *self = BYOK_MCP_HTTP_TRANSPORT (transport);
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);
  g_autoptr(GUri) uri = g_uri_parse (self->url, SOUP_HTTP_URI_FLAGS, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GCancellable) cancellable = NULL;

  g_task_set_source_tag (task, byok_mcp_http_transport_close_async);
  self->closing = TRUE;
  for (guint i = 0; i < self->active->len; i++)
    g_cancellable_cancel (g_ptr_array_index (self->active, i));

  if (self->session_id == NULL || uri == NULL || !check_secure (self, uri, NULL))
    {
      byok_mcp_transport_emit_closed (transport, NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* The session is over: a DELETE tells the server (405 if it keeps
   * sessions itself: fine too). */
  msg = new_message (self, "DELETE", uri);
  cancellable = g_cancellable_new ();
  g_task_set_task_data (task, GUINT_TO_POINTER (g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, DELETE_TIMEOUT_S,
                                                                           delete_timeout,
                                                                           g_object_ref (cancellable),
                                                                           g_object_unref)),
                        NULL);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable, deleted_cb,
                                    g_steal_pointer (&task));
}

static void
byok_mcp_http_transport_class_init (ByokMcpHttpTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ByokMcpTransportClass *transport_class = BYOK_MCP_TRANSPORT_CLASS (klass);

  object_class->dispose = byok_mcp_http_transport_dispose;
  object_class->finalize = byok_mcp_http_transport_finalize;
  transport_class->answers_within_send = TRUE;
  transport_class->start_async = byok_mcp_http_transport_start_async;
  transport_class->send_async = byok_mcp_http_transport_send_async;
  transport_class->close_async = byok_mcp_http_transport_close_async;
}

static void
byok_mcp_http_transport_init (ByokMcpHttpTransport *self)
{
  self->active = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * byok_mcp_http_transport_new:
 * @name: the server's name, for messages
 * @url: the MCP endpoint
 * @token: (nullable): a bearer token (copied, wiped at the end)
 * @headers: (nullable): more headers (name → value), copied
 */
ByokMcpTransport *
byok_mcp_http_transport_new (const char *name,
                             const char *url,
                             const char *token,
                             GHashTable *headers)
{
  ByokMcpHttpTransport *self;

  g_return_val_if_fail (url != NULL, NULL);

  self = g_object_new (BYOK_TYPE_MCP_HTTP_TRANSPORT, "name", name, NULL);
  self->url = g_strdup (url);
  self->token = token != NULL && *token != '\0' ? byok_secret_dup (token, -1) : NULL;
  if (headers != NULL && g_hash_table_size (headers) > 0)
    {
      GHashTableIter iter;
      gpointer key, value;

      self->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) byok_secret_free);
      g_hash_table_iter_init (&iter, headers);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (self->headers, g_strdup (key), byok_secret_dup (value, -1));
    }
  self->session = soup_session_new_with_options ("user-agent", "Byok/" PACKAGE_VERSION, NULL);
  return BYOK_MCP_TRANSPORT (self);
}

/* The session the server gave, or NULL */
const char *
byok_mcp_http_transport_get_session_id (ByokMcpHttpTransport *self)
{
  g_return_val_if_fail (BYOK_IS_MCP_HTTP_TRANSPORT (self), NULL);
  return self->session_id;
}
