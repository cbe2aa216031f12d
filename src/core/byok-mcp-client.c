/* byok-mcp-client.c — one connection to one MCP server */
#define G_LOG_DOMAIN "byok-mcp"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "byok-error.h"
#include "byok-glib-private.h"
#include "byok-json.h"
#include "byok-mcp-client.h"
#include "byok-mcp-jsonrpc.h"

/* Pages of tools/list followed at most: a server whose cursor never ends
 * is stopped there. */
#define MAX_PAGES 100

struct _ByokMcpClient
{
  GObject parent_instance;

  ByokMcpTransport *transport;
  gulong message_handler;
  gulong closed_handler;
  guint timeout_ms;

  gint64 next_id;
  GHashTable *pending;        /* id (gint64 *) → Pending */

  gboolean connecting;
  GPtrArray *connect_tasks;
  gboolean ready;
  guint initialized_timer;    /* waiting for notifications/initialized to go out */
  gboolean closed;
  char *protocol_version;
  gboolean stateless;         /* MCP 2026-07-28: _meta in every request */
  gboolean init_refused;      /* the server answered initialize with an error */
  JsonObject *refusal;        /* server/discover's error, if any */
  char *server_name;
  char *server_version;
  char *instructions;
};

G_DEFINE_FINAL_TYPE (ByokMcpClient, byok_mcp_client, G_TYPE_OBJECT)

enum {
  TOOLS_CHANGED,
  CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  ByokMcpClient *client;      /* not a reference: the client owns the table */
  gint64 id;
  char *method;
  GTask *task;
  GSource *timeout;
  GSource *cancel;
  gboolean notify_cancel;
} Pending;

static void
pending_free (gpointer data)
{
  Pending *pending = data;

  if (pending->timeout != NULL)
    {
      g_source_destroy (pending->timeout);
      g_source_unref (pending->timeout);
    }
  if (pending->cancel != NULL)
    {
      g_source_destroy (pending->cancel);
      g_source_unref (pending->cancel);
    }
  g_free (pending->method);
  g_clear_object (&pending->task);
  g_free (pending);
}

/* Ends a request with its result (a JsonNode) or @error (taken). */
static void
pending_finish (Pending  *pending,
                JsonNode *result,
                GError   *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&pending->task);
  ByokMcpClient *self = pending->client;

  g_hash_table_remove (self->pending, &pending->id);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, json_node_ref (result), (GDestroyNotify) json_node_unref);
}

static Pending *
lookup_pending (ByokMcpClient *self,
                gint64         id)
{
  return g_hash_table_lookup (self->pending, &id);
}

static void
ignore_sent (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!byok_mcp_transport_send_finish (BYOK_MCP_TRANSPORT (source), result, &error))
    g_debug ("%s: a notification was not delivered: %s",
             byok_mcp_transport_get_name (BYOK_MCP_TRANSPORT (source)), error->message);
}

static void
send_notification (ByokMcpClient *self,
                   const char    *method,
                   JsonNode      *params)
{
  g_autofree char *text = byok_mcp_jsonrpc_notification (method, params);

  if (self->closed || byok_mcp_transport_is_closed (self->transport))
    return;
  byok_mcp_transport_send_async (self->transport, text, NULL, ignore_sent, NULL);
}

static void
send_cancelled (ByokMcpClient *self,
                gint64         id,
                const char    *reason)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) params = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "requestId");
  json_builder_add_int_value (builder, id);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason);
  json_builder_end_object (builder);
  params = json_builder_get_root (builder);
  send_notification (self, "notifications/cancelled", params);
}

/* ---- requests ---- */

static gboolean
pending_timed_out (gpointer user_data)
{
  Pending *pending = user_data;
  ByokMcpClient *self = pending->client;
  guint seconds;
  GError *error;

  g_source_unref (g_steal_pointer (&pending->timeout));
  g_debug ("%s: %s (id %" G_GINT64_FORMAT ") timed out", byok_mcp_client_get_name (self),
           pending->method, pending->id);
  if (pending->notify_cancel)
    send_cancelled (self, pending->id, "timed out");
  seconds = (GPOINTER_TO_UINT (g_task_get_task_data (pending->task)) + 999) / 1000;
  /* Translators: %1$s is an MCP server's name, %2$s a method ("tools/call"), %3$u seconds */
  error = g_error_new (BYOK_ERROR, BYOK_ERROR_TIMEOUT,
                       g_dngettext (GETTEXT_PACKAGE, "The MCP server “%1$s” did not answer “%2$s” within %3$u second.",
                                 "The MCP server “%1$s” did not answer “%2$s” within %3$u seconds.", seconds),
                       byok_mcp_client_get_name (self), pending->method, seconds);
  pending_finish (pending, NULL, error);
  return G_SOURCE_REMOVE;
}

static gboolean
pending_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  Pending *pending = user_data;

  g_source_unref (g_steal_pointer (&pending->cancel));
  if (pending->notify_cancel)
    send_cancelled (pending->client, pending->id, "The person stopped it.");
  pending_finish (pending, NULL, g_error_new_literal (BYOK_ERROR, BYOK_ERROR_CANCELLED, _("Stopped.")));
  return G_SOURCE_REMOVE;
}

typedef struct {
  ByokMcpClient *client;
  gint64 id;
} SendData;

static void
request_sent (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SendData *sd = user_data;
  g_autoptr(ByokMcpClient) self = sd->client;
  g_autoptr(GError) error = NULL;
  gboolean sent = byok_mcp_transport_send_finish (BYOK_MCP_TRANSPORT (source), result, &error);
  Pending *pending = lookup_pending (self, sd->id);

  g_free (sd);
  if (pending == NULL)
    return;   /* answered, timed out or stopped already */
  if (!sent)
    pending_finish (pending, NULL, g_steal_pointer (&error));
  else if (BYOK_MCP_TRANSPORT_GET_CLASS (source)->answers_within_send)
    /* Translators: %1$s is an MCP server's name, %2$s a method */
    pending_finish (pending, NULL,
                    g_error_new (BYOK_ERROR, BYOK_ERROR_MALFORMED,
                                 _("The MCP server “%1$s” ended its answer to “%2$s” without a result."),
                                 byok_mcp_client_get_name (self), pending->method));
}

static GError *
closed_error (ByokMcpClient *self)
{
  /* Translators: %s is an MCP server's name */
  return g_error_new (BYOK_ERROR, BYOK_ERROR_SERVER, _("The connection to the MCP server “%s” is closed."),
                      byok_mcp_client_get_name (self));
}

static void
add_client_info (JsonBuilder *builder)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "byok");
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, "Byok");
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_end_object (builder);
}

/* @params (perhaps NULL) with MCP 2026-07-28's `_meta`: the version, who
 * asks and what it can do (nothing beyond calling tools). */
static JsonNode *
stateless_params (JsonNode *params)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  JsonObject *object = params != NULL && JSON_NODE_HOLDS_OBJECT (params) ? json_node_get_object (params) : NULL;

  json_builder_begin_object (builder);
  if (object != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, object);
      while (json_object_iter_next (&iter, &name, &value))
        if (!g_str_equal (name, "_meta"))
          {
            json_builder_set_member_name (builder, name);
            json_builder_add_value (builder, json_node_copy (value));
          }
    }
  json_builder_set_member_name (builder, "_meta");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, BYOK_MCP_META_PREFIX "protocolVersion");
  json_builder_add_string_value (builder, BYOK_MCP_PROTOCOL_STATELESS);
  json_builder_set_member_name (builder, BYOK_MCP_META_PREFIX "clientInfo");
  add_client_info (builder);
  json_builder_set_member_name (builder, BYOK_MCP_META_PREFIX "clientCapabilities");
  json_builder_begin_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Sends a request; @task completes with its result (a JsonNode) or an
 * error. @timeout_ms 0: the client's. */
static void
send_request (ByokMcpClient *self,
              const char    *method,
              JsonNode      *params,
              guint          timeout_ms,
              gboolean       notify_cancel,
              GTask         *task)
{
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autofree char *text = NULL;
  Pending *pending;
  SendData *sd;

  if (self->closed)
    {
      g_task_return_error (task, closed_error (self));
      return;
    }
  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_CANCELLED, _("Stopped."));
      return;
    }

  if (timeout_ms == 0)
    timeout_ms = self->timeout_ms;
  pending = g_new0 (Pending, 1);
  pending->client = self;
  pending->id = self->next_id++;
  pending->method = g_strdup (method);
  pending->task = g_object_ref (task);
  pending->notify_cancel = notify_cancel;
  g_task_set_task_data (task, GUINT_TO_POINTER (timeout_ms), NULL);
  pending->timeout = g_timeout_source_new (timeout_ms);
  g_source_set_callback (pending->timeout, pending_timed_out, pending, NULL);
  g_source_attach (pending->timeout, g_task_get_context (task));
  if (cancellable != NULL)
    {
      pending->cancel = g_cancellable_source_new (cancellable);
      g_source_set_callback (pending->cancel, G_SOURCE_FUNC (pending_cancelled), pending, NULL);
      g_source_attach (pending->cancel, g_task_get_context (task));
    }
  g_hash_table_insert (self->pending, &pending->id, pending);

  if (self->stateless)
    {
      g_autoptr(JsonNode) with_meta = stateless_params (params);

      text = byok_mcp_jsonrpc_request (pending->id, method, with_meta);
    }
  else
    text = byok_mcp_jsonrpc_request (pending->id, method, params);
  sd = g_new0 (SendData, 1);
  sd->client = g_object_ref (self);
  sd->id = pending->id;
  byok_mcp_transport_send_async (self->transport, text, cancellable, request_sent, sd);
}

/* ---- what the server sends ---- */

static void
answer (ByokMcpClient *self,
        JsonObject    *request,
        int            error_code,
        const char    *error_message)
{
  JsonNode *id = json_object_get_member (request, "id");
  g_autofree char *text = error_message != NULL ? byok_mcp_jsonrpc_error (id, error_code, error_message)
                                                : byok_mcp_jsonrpc_result (id, NULL);

  byok_mcp_transport_send_async (self->transport, text, NULL, ignore_sent, NULL);
}

/* MCP 2026-07-28's results say what they are: "complete", or
 * "input_required" when the server wants more (multi round-trip
 * requests), which Byok cannot give yet. Older results say nothing. */
static GError *
result_type_error (ByokMcpClient *self,
                   const char    *method,
                   JsonNode      *result)
{
  const char *type = result != NULL && JSON_NODE_HOLDS_OBJECT (result)
                     ? byok_json_get_string (json_node_get_object (result), "resultType") : NULL;

  if (!self->stateless || type == NULL || g_str_equal (type, "complete"))
    return NULL;
  if (g_str_equal (type, "input_required"))
    /* Translators: %1$s is an MCP server's name, %2$s a method such as "tools/call" */
    return g_error_new (BYOK_ERROR, BYOK_ERROR_BAD_REQUEST,
                        _("The MCP server “%1$s” asks for more input to answer %2$s, which Byok cannot give yet."),
                        byok_mcp_client_get_name (self), method);
  /* Translators: %1$s is an MCP server's name, %2$s a method such as "tools/call" */
  return g_error_new (BYOK_ERROR, BYOK_ERROR_MALFORMED,
                      _("The MCP server “%1$s” answered %2$s with a kind of result Byok does not know."),
                      byok_mcp_client_get_name (self), method);
}

static void
on_message (ByokMcpTransport *transport,
            JsonNode         *message,
            ByokMcpClient    *self)
{
  JsonObject *object = json_node_get_object (message);
  const char *method = byok_json_get_string (object, "method");
  Pending *pending;
  gint64 id;

  switch (byok_mcp_jsonrpc_classify (message, &id))
    {
    case BYOK_MCP_MESSAGE_RESULT:
      pending = lookup_pending (self, id);
      if (pending != NULL)
        pending_finish (pending, json_object_get_member (object, "result"),
                        result_type_error (self, pending->method, json_object_get_member (object, "result")));
      else
        g_debug ("%s: an answer to no pending request (id %" G_GINT64_FORMAT ")",
                 byok_mcp_client_get_name (self), id);
      break;

    case BYOK_MCP_MESSAGE_ERROR:
      pending = lookup_pending (self, id);
      if (pending != NULL && g_str_equal (pending->method, "initialize"))
        self->init_refused = TRUE;
      if (pending != NULL && g_str_equal (pending->method, "server/discover") &&
          byok_json_get_object (object, "error") != NULL)
        {
          g_clear_pointer (&self->refusal, json_object_unref);
          self->refusal = json_object_ref (byok_json_get_object (object, "error"));
        }
      if (pending != NULL)
        pending_finish (pending, NULL,
                        byok_mcp_jsonrpc_error_new (byok_mcp_client_get_name (self), pending->method,
                                                    byok_json_get_object (object, "error")));
      else
        g_debug ("%s: an error for no pending request", byok_mcp_client_get_name (self));
      break;

    case BYOK_MCP_MESSAGE_REQUEST:
      if (g_str_equal (method, "ping"))
        answer (self, object, 0, NULL);
      else
        answer (self, object, BYOK_MCP_JSONRPC_METHOD_NOT_FOUND, "Byok does not offer this method");
      break;

    case BYOK_MCP_MESSAGE_NOTIFICATION:
      if (g_str_equal (method, "notifications/tools/list_changed"))
        g_signal_emit (self, signals[TOOLS_CHANGED], 0);
      else
        g_debug ("%s: notification %s", byok_mcp_client_get_name (self), method);
      break;

    case BYOK_MCP_MESSAGE_INVALID:
    default:
      g_debug ("%s: dropped a message that is not JSON-RPC 2.0", byok_mcp_client_get_name (self));
      break;
    }
}

static void
fail_connect_tasks (ByokMcpClient *self,
                    const GError  *error)
{
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&self->connect_tasks);

  self->connect_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  self->connecting = FALSE;
  for (guint i = 0; tasks != NULL && i < tasks->len; i++)
    {
      if (error != NULL)
        g_task_return_error (g_ptr_array_index (tasks, i), g_error_copy (error));
      else
        g_task_return_boolean (g_ptr_array_index (tasks, i), TRUE);
    }
}

static void
on_closed (ByokMcpTransport *transport,
           const GError     *error,
           ByokMcpClient    *self)
{
  g_autoptr(ByokMcpClient) hold = g_object_ref (self);
  g_autoptr(GList) pending = NULL;
  g_autoptr(GError) reason = error != NULL ? g_error_copy (error) : closed_error (self);

  self->closed = TRUE;
  self->ready = FALSE;
  /* Over HTTP, a server that ended the session (@error set) may have
   * answered the requests still under way before it did: each ends with
   * its own POST's answer (a result, or the same error), not with this
   * one. A tool call that ran must not look as if it failed. Over stdio,
   * or when Byok closed it, nothing more comes. */
  if (error != NULL && BYOK_MCP_TRANSPORT_GET_CLASS (transport)->answers_within_send)
    pending = NULL;
  else
    pending = g_hash_table_get_values (self->pending);
  for (GList *l = pending; l != NULL; l = l->next)
    pending_finish (l->data, NULL, g_error_copy (reason));
  fail_connect_tasks (self, reason);
  g_signal_emit (self, signals[CLOSED], 0, error);
}

/* ---- the object ---- */

static void
byok_mcp_client_dispose (GObject *object)
{
  ByokMcpClient *self = BYOK_MCP_CLIENT (object);

  if (self->transport != NULL)
    {
      g_clear_signal_handler (&self->message_handler, self->transport);
      g_clear_signal_handler (&self->closed_handler, self->transport);
    }
  if (self->pending != NULL && g_hash_table_size (self->pending) > 0)
    {
      g_autoptr(GList) pending = g_hash_table_get_values (self->pending);

      for (GList *l = pending; l != NULL; l = l->next)
        pending_finish (l->data, NULL, closed_error (self));
    }
  g_clear_handle_id (&self->initialized_timer, g_source_remove);
  fail_connect_tasks (self, NULL);
  g_clear_object (&self->transport);
  G_OBJECT_CLASS (byok_mcp_client_parent_class)->dispose (object);
}

static void
byok_mcp_client_finalize (GObject *object)
{
  ByokMcpClient *self = BYOK_MCP_CLIENT (object);

  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->connect_tasks, g_ptr_array_unref);
  g_free (self->protocol_version);
  g_clear_pointer (&self->refusal, json_object_unref);
  g_free (self->server_name);
  g_free (self->server_version);
  g_free (self->instructions);
  G_OBJECT_CLASS (byok_mcp_client_parent_class)->finalize (object);
}

static void
byok_mcp_client_class_init (ByokMcpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = byok_mcp_client_dispose;
  object_class->finalize = byok_mcp_client_finalize;

  /**
   * ByokMcpClient::tools-changed:
   *
   * The server said its tools changed: list them again.
   */
  signals[TOOLS_CHANGED] =
    g_signal_new ("tools-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /**
   * ByokMcpClient::closed:
   * @error: (nullable): why; NULL after byok_mcp_client_close_async()
   */
  signals[CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
byok_mcp_client_init (ByokMcpClient *self)
{
  self->timeout_ms = BYOK_MCP_DEFAULT_TIMEOUT_MS;
  self->next_id = 1;
  self->pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, pending_free);
  self->connect_tasks = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * byok_mcp_client_new:
 * @transport: how to reach the server; not started yet
 */
ByokMcpClient *
byok_mcp_client_new (ByokMcpTransport *transport)
{
  ByokMcpClient *self;

  g_return_val_if_fail (BYOK_IS_MCP_TRANSPORT (transport), NULL);

  self = g_object_new (BYOK_TYPE_MCP_CLIENT, NULL);
  self->transport = g_object_ref (transport);
  self->message_handler = g_signal_connect (transport, "message", G_CALLBACK (on_message), self);
  self->closed_handler = g_signal_connect (transport, "closed", G_CALLBACK (on_closed), self);
  return self;
}

ByokMcpTransport *
byok_mcp_client_get_transport (ByokMcpClient *self)
{
  g_return_val_if_fail (BYOK_IS_MCP_CLIENT (self), NULL);
  return self->transport;
}

/* The server's name as the person configured it */
const char *
byok_mcp_client_get_name (ByokMcpClient *self)
{
  g_return_val_if_fail (BYOK_IS_MCP_CLIENT (self), NULL);
  return self->transport != NULL ? byok_mcp_transport_get_name (self->transport) : "";
}

/* How long a request other than a tool call waits for its answer */
void
byok_mcp_client_set_timeout (ByokMcpClient *self,
                             guint          timeout_ms)
{
  g_return_if_fail (BYOK_IS_MCP_CLIENT (self));
  self->timeout_ms = MAX (timeout_ms, 1);
}

gboolean
byok_mcp_client_is_ready (ByokMcpClient *self)
{
  g_return_val_if_fail (BYOK_IS_MCP_CLIENT (self), FALSE);
  return self->ready;
}

gboolean
byok_mcp_client_is_closed (ByokMcpClient *self)
{
  g_return_val_if_fail (BYOK_IS_MCP_CLIENT (self), TRUE);
  return self->closed;
}

/* The revision agreed at initialization, or NULL before */
const char *
byok_mcp_client_get_protocol_version (ByokMcpClient *self)
{
  g_return_val_if_fail (BYOK_IS_MCP_CLIENT (self), NULL);
  return self->protocol_version;
}

/* What the server calls itself (`serverInfo`), or NULL */
const char *
byok_mcp_client_get_server_name (ByokMcpClient *self)
{
  g_return_val_if_fail (BYOK_IS_MCP_CLIENT (self), NULL);
  return self->server_name;
}

const char *
byok_mcp_client_get_server_version (ByokMcpClient *self)
{
  g_return_val_if_fail (BYOK_IS_MCP_CLIENT (self), NULL);
  return self->server_version;
}

/* The server's `instructions` for a model, or NULL */
const char *
byok_mcp_client_get_instructions (ByokMcpClient *self)
{
  g_return_val_if_fail (BYOK_IS_MCP_CLIENT (self), NULL);
  return self->instructions;
}

/* ---- connect ---- */

static JsonNode *
initialize_params (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "protocolVersion");
  json_builder_add_string_value (builder, BYOK_MCP_PROTOCOL_LATEST);
  json_builder_set_member_name (builder, "capabilities");
  json_builder_begin_object (builder);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "clientInfo");
  add_client_info (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
closed_after_refusal (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  byok_mcp_transport_close_finish (BYOK_MCP_TRANSPORT (source), result, NULL);
}

/* "speaks MCP revision X, which Byok does not know": @theirs the
 * revisions the server named, as text */
static GError *
unknown_revision (ByokMcpClient *self,
                  const char    *theirs)
{
  g_autofree char *ours = g_strjoinv (", ", (char **) byok_mcp_protocol_versions ());

  /* Translators: %1$s is an MCP server's name, %2$s a protocol
   * revision ("2025-11-25") or several, %3$s the revisions Byok speaks */
  return g_error_new (BYOK_ERROR, BYOK_ERROR_BAD_REQUEST,
                      _("The MCP server “%1$s” speaks MCP revision %2$s, which Byok does not know. "
                        "Byok speaks %3$s; update the server or Byok."),
                      byok_mcp_client_get_name (self), theirs, ours);
}

/* The first few revisions of @versions, made valid, or "?" */
static char *
join_versions (JsonArray *versions)
{
  g_autoptr(GString) theirs = g_string_new (NULL);

  for (guint i = 0; versions != NULL && i < json_array_get_length (versions) && i < 8; i++)
    {
      const char *version = json_node_get_value_type (json_array_get_element (versions, i)) == G_TYPE_STRING
                            ? json_array_get_string_element (versions, i) : NULL;
      g_autofree char *valid = version != NULL ? g_utf8_make_valid (version, MIN (strlen (version), 40)) : NULL;

      if (valid == NULL)
        continue;
      if (theirs->len > 0)
        g_string_append (theirs, ", ");
      g_string_append (theirs, valid);
    }
  return theirs->len > 0 ? g_string_free (g_steal_pointer (&theirs), FALSE) : g_strdup ("?");
}

static gboolean
array_has_string (JsonArray  *array,
                  const char *text)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (json_node_get_value_type (element) == G_TYPE_STRING &&
          g_str_equal (json_node_get_string (element), text))
        return TRUE;
    }
  return FALSE;
}

/* server/discover answered: a server of the stateless revision is ready
 * as it is; anything else ends the connection with initialize's error
 * (@user_data), or the versions the server named. */
static void
discovered_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  ByokMcpClient *self = BYOK_MCP_CLIENT (source);
  g_autoptr(GError) init_error = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = g_task_propagate_pointer (G_TASK (result), &error);
  JsonObject *object = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonArray *versions = object != NULL ? byok_json_get_array (object, "supportedVersions") : NULL;
  JsonObject *meta, *info;

  if (object == NULL || !array_has_string (versions, BYOK_MCP_PROTOCOL_STATELESS))
    {
      JsonObject *data = self->refusal != NULL ? byok_json_get_object (self->refusal, "data") : NULL;
      g_autoptr(GError) refused = NULL;

      self->stateless = FALSE;
      if (versions == NULL && self->refusal != NULL && data != NULL &&
          json_object_get_int_member_with_default (self->refusal, "code", 0) == BYOK_MCP_JSONRPC_UNSUPPORTED_VERSION)
        versions = byok_json_get_array (data, "supported");
      if (versions != NULL)
        {
          g_autofree char *theirs = join_versions (versions);

          refused = unknown_revision (self, theirs);
        }
      byok_mcp_transport_close_async (self->transport, closed_after_refusal, NULL);
      fail_connect_tasks (self, refused != NULL ? refused : init_error);
      g_object_unref (self);
      return;
    }

  self->protocol_version = g_strdup (BYOK_MCP_PROTOCOL_STATELESS);
  meta = byok_json_get_object (object, "_meta");
  info = meta != NULL ? byok_json_get_object (meta, BYOK_MCP_META_PREFIX "serverInfo") : NULL;
  if (info != NULL)
    {
      self->server_name = g_strdup (byok_json_get_string (info, "name"));
      self->server_version = g_strdup (byok_json_get_string (info, "version"));
    }
  self->instructions = g_strdup (byok_json_get_string (object, "instructions"));
  self->ready = TRUE;
  g_debug ("%s: ready, MCP %s (stateless), server %s %s", byok_mcp_client_get_name (self),
           self->protocol_version, self->server_name != NULL ? self->server_name : "?",
           self->server_version != NULL ? self->server_version : "");
  fail_connect_tasks (self, NULL);
  g_object_unref (self);
}

/* initialize was refused: asks server/discover, as MCP 2026-07-28 has
 * it, from now on with that revision's `_meta` and (HTTP) headers.
 * Takes @init_error, the error to give if it is no such server. */
static void
discover (ByokMcpClient *self,
          GError        *init_error)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, discovered_cb, init_error);

  g_object_ref (self);
  self->stateless = TRUE;
  byok_mcp_transport_set_protocol_version (self->transport, BYOK_MCP_PROTOCOL_STATELESS);
  send_request (self, "server/discover", NULL, 0, FALSE, task);
}

/* The end of connecting: the session is ready, unless it was closed
 * meanwhile (which told those waiting why). */
static void
become_ready (ByokMcpClient *self)
{
  g_clear_handle_id (&self->initialized_timer, g_source_remove);
  if (self->closed || self->ready)
    return;
  self->ready = TRUE;
  g_debug ("%s: ready, MCP %s, server %s %s", byok_mcp_client_get_name (self), self->protocol_version,
           self->server_name != NULL ? self->server_name : "?",
           self->server_version != NULL ? self->server_version : "");
  fail_connect_tasks (self, NULL);
}

static gboolean
initialized_timed_out (gpointer user_data)
{
  ByokMcpClient *self = user_data;

  self->initialized_timer = 0;
  g_debug ("%s: notifications/initialized was not accepted in time; going on", byok_mcp_client_get_name (self));
  become_ready (self);
  return G_SOURCE_REMOVE;
}

static void
initialized_sent (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ByokMcpClient) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!byok_mcp_transport_send_finish (BYOK_MCP_TRANSPORT (source), result, &error))
    g_debug ("%s: notifications/initialized was not delivered: %s", byok_mcp_client_get_name (self),
             error->message);
  become_ready (self);
}

static void
initialized_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ByokMcpClient) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *initialized = NULL;
  JsonObject *object, *info;
  const char *version;

  if (node == NULL)
    {
      /* Refused (a JSON-RPC error; over HTTP a 400): perhaps a server
       * of the stateless revision, which has no initialize. */
      if (!self->closed && (self->init_refused || g_error_matches (error, BYOK_ERROR, BYOK_ERROR_BAD_REQUEST)))
        discover (self, g_steal_pointer (&error));
      else
        fail_connect_tasks (self, error);
      return;
    }

  object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  version = object != NULL ? byok_json_get_string (object, "protocolVersion") : NULL;
  if (!byok_mcp_protocol_is_supported (version))
    {
      g_autofree char *valid = version != NULL ? g_utf8_make_valid (version, MIN (strlen (version), 40))
                                               : g_strdup ("?");

      error = unknown_revision (self, valid);
      byok_mcp_transport_close_async (self->transport, closed_after_refusal, NULL);
      fail_connect_tasks (self, error);
      return;
    }

  self->protocol_version = g_strdup (version);
  info = byok_json_get_object (object, "serverInfo");
  if (info != NULL)
    {
      self->server_name = g_strdup (byok_json_get_string (info, "name"));
      self->server_version = g_strdup (byok_json_get_string (info, "version"));
    }
  self->instructions = g_strdup (byok_json_get_string (object, "instructions"));
  byok_mcp_transport_set_protocol_version (self->transport, version);
  /* The session is ready once the server has notifications/initialized,
   * not before: over HTTP every POST goes on a connection of its own, so a
   * request sent now could reach the server first (which may refuse it, or
   * act on it in another order). A server that neither accepts nor refuses
   * the notification in time is used all the same. */
  self->initialized_timer = g_timeout_add_full (G_PRIORITY_DEFAULT, self->timeout_ms, initialized_timed_out,
                                                g_object_ref (self), g_object_unref);
  initialized = byok_mcp_jsonrpc_notification ("notifications/initialized", NULL);
  byok_mcp_transport_send_async (self->transport, initialized, NULL, initialized_sent, g_object_ref (self));
}

static void
started_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(ByokMcpClient) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) init = NULL;
  g_autoptr(JsonNode) params = NULL;

  if (!byok_mcp_transport_start_finish (BYOK_MCP_TRANSPORT (source), result, &error))
    {
      fail_connect_tasks (self, error);
      return;
    }
  if (self->closed)
    {
      g_autoptr(GError) closed = closed_error (self);

      fail_connect_tasks (self, closed);
      return;
    }
  /* Not the caller's cancellable: initialize is never cancelled (the
   * protocol says so); a caller who stops only stops waiting. */
  init = g_task_new (self, NULL, initialized_cb, g_object_ref (self));
  params = initialize_params ();
  send_request (self, "initialize", params, 0, FALSE, init);
}

/**
 * byok_mcp_client_connect_async:
 *
 * Starts the transport and initializes the session. Calling it again
 * while it runs waits for the same; once ready, completes at once.
 */
void
byok_mcp_client_connect_async (ByokMcpClient       *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BYOK_IS_MCP_CLIENT (self));

  task = _byok_task_new (self, cancellable, callback, user_data, byok_mcp_client_connect_async);
  if (self->ready)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->closed)
    {
      g_task_return_error (task, closed_error (self));
      return;
    }
  g_ptr_array_add (self->connect_tasks, g_steal_pointer (&task));
  if (self->connecting)
    return;
  self->connecting = TRUE;
  byok_mcp_transport_start_async (self->transport, NULL, started_cb, g_object_ref (self));
}

gboolean
byok_mcp_client_connect_finish (ByokMcpClient  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_autoptr(GError) local = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &local))
    return TRUE;
  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error_literal (error, BYOK_ERROR, BYOK_ERROR_CANCELLED, _("Stopped."));
  else
    g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

static gboolean
check_ready (ByokMcpClient *self,
             GTask         *task)
{
  if (self->ready)
    return TRUE;
  if (self->closed)
    g_task_return_error (task, closed_error (self));
  else
    /* Translators: %s is an MCP server's name */
    g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_INVALID,
                             _("The MCP server “%s” is not connected yet."), byok_mcp_client_get_name (self));
  return FALSE;
}

/* ---- tools/list ---- */

typedef struct {
  GPtrArray *tools;
  GHashTable *names;
  GHashTable *cursors;
  guint pages;
} ListData;

static void
list_data_free (gpointer data)
{
  ListData *ld = data;

  g_ptr_array_unref (ld->tools);
  g_hash_table_unref (ld->names);
  g_hash_table_unref (ld->cursors);
  g_free (ld);
}

static void list_page (GTask *task, const char *cursor);

static void
list_page_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ByokMcpClient *self = g_task_get_source_object (task);
  ListData *ld = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = g_task_propagate_pointer (G_TASK (result), &error);
  JsonObject *object;
  JsonArray *tools;
  const char *cursor;

  if (node == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  tools = object != NULL ? byok_json_get_array (object, "tools") : NULL;
  if (tools == NULL)
    {
      /* Translators: %s is an MCP server's name */
      g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                               _("The MCP server “%s” answered “tools/list” without a list of tools."),
                               byok_mcp_client_get_name (self));
      return;
    }
  for (guint i = 0; i < json_array_get_length (tools); i++)
    {
      g_autoptr(GError) tool_error = NULL;
      ByokMcpTool *tool = byok_mcp_tool_new_from_json (byok_mcp_client_get_name (self),
                                                       byok_json_array_get_object (tools, i), &tool_error);

      if (tool == NULL)
        {
          g_debug ("%s", tool_error->message);
          continue;
        }
      if (!g_hash_table_add (ld->names, g_strdup (byok_mcp_tool_get_name (tool))))
        {
          g_debug ("%s: tool %s listed twice", byok_mcp_client_get_name (self), byok_mcp_tool_get_name (tool));
          g_object_unref (tool);
          continue;
        }
      g_ptr_array_add (ld->tools, tool);
    }

  cursor = byok_json_get_string (object, "nextCursor");
  if (cursor == NULL || *cursor == '\0')
    {
      g_task_return_pointer (task, g_ptr_array_ref (ld->tools), (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  if (++ld->pages >= MAX_PAGES || !g_hash_table_add (ld->cursors, g_strdup (cursor)))
    {
      /* Translators: %s is an MCP server's name */
      g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                               _("The MCP server “%s” lists its tools in pages that never end."),
                               byok_mcp_client_get_name (self));
      return;
    }
  list_page (task, cursor);
}

static void
list_page (GTask      *task,
           const char *cursor)
{
  ByokMcpClient *self = g_task_get_source_object (task);
  g_autoptr(GTask) page = _byok_task_new (self, g_task_get_cancellable (task), list_page_cb, g_object_ref (task), NULL);
  g_autoptr(JsonNode) params = NULL;

  if (cursor != NULL)
    {
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "cursor", cursor);
      params = json_node_init_object (json_node_alloc (), object);
      json_object_unref (object);
    }
  send_request (self, "tools/list", params, 0, TRUE, page);
}

/**
 * byok_mcp_client_list_tools_async:
 *
 * Lists every tool, following `nextCursor` page after page.
 */
void
byok_mcp_client_list_tools_async (ByokMcpClient       *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ListData *ld;

  g_return_if_fail (BYOK_IS_MCP_CLIENT (self));

  task = _byok_task_new (self, cancellable, callback, user_data, byok_mcp_client_list_tools_async);
  if (!check_ready (self, task))
    return;
  ld = g_new0 (ListData, 1);
  ld->tools = g_ptr_array_new_with_free_func (g_object_unref);
  ld->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ld->cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_task_set_task_data (task, ld, list_data_free);
  list_page (task, NULL);
}

/* Returns: (transfer container) (element-type ByokMcpTool): the tools in
 * the server's order */
GPtrArray *
byok_mcp_client_list_tools_finish (ByokMcpClient  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- tools/call ---- */

static void
called_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ByokMcpClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = g_task_propagate_pointer (G_TASK (result), &error);

  if (node == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (!JSON_NODE_HOLDS_OBJECT (node))
    /* Translators: %s is an MCP server's name */
    g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                             _("The MCP server “%s” answered a tool call with something that is not a result."),
                             byok_mcp_client_get_name (self));
  else
    g_task_return_pointer (task, byok_mcp_tool_result_new_from_json (json_node_get_object (node)),
                           (GDestroyNotify) byok_mcp_tool_result_free);
}

/**
 * byok_mcp_client_call_tool_async:
 * @tool: the tool's name on the server
 * @arguments: (nullable): its arguments (NULL: none)
 * @timeout_ms: how long to wait; 0 for %BYOK_MCP_DEFAULT_CALL_TIMEOUT_MS
 * @cancellable: (nullable): stops the call; the server is told
 *   (`notifications/cancelled`)
 */
void
byok_mcp_client_call_tool_async (ByokMcpClient       *self,
                                 const char          *tool,
                                 JsonObject          *arguments,
                                 guint                timeout_ms,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) request = NULL;
  g_autoptr(JsonNode) params = NULL;
  JsonObject *object;

  g_return_if_fail (BYOK_IS_MCP_CLIENT (self));
  g_return_if_fail (tool != NULL);

  task = _byok_task_new (self, cancellable, callback, user_data, byok_mcp_client_call_tool_async);
  if (!check_ready (self, task))
    return;

  object = json_object_new ();
  json_object_set_string_member (object, "name", tool);
  if (arguments != NULL)
    json_object_set_object_member (object, "arguments", json_object_ref (arguments));
  else
    json_object_set_object_member (object, "arguments", json_object_new ());
  params = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);

  request = _byok_task_new (self, cancellable, called_cb, g_steal_pointer (&task), NULL);
  send_request (self, "tools/call", params,
                timeout_ms != 0 ? timeout_ms : BYOK_MCP_DEFAULT_CALL_TIMEOUT_MS, TRUE, request);
}

/* Returns: (transfer full): the result; a tool that failed is a result
 * with is_error set, not an error */
ByokMcpToolResult *
byok_mcp_client_call_tool_finish (ByokMcpClient  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- ping ---- */

static void
pinged_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = g_task_propagate_pointer (G_TASK (result), &error);

  if (node == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
byok_mcp_client_ping_async (ByokMcpClient       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) request = NULL;

  g_return_if_fail (BYOK_IS_MCP_CLIENT (self));

  task = _byok_task_new (self, cancellable, callback, user_data, byok_mcp_client_ping_async);
  if (!check_ready (self, task))
    return;
  request = _byok_task_new (self, cancellable, pinged_cb, g_steal_pointer (&task), NULL);
  send_request (self, "ping", NULL, 0, TRUE, request);
}

gboolean
byok_mcp_client_ping_finish (ByokMcpClient  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- close ---- */

static void
transport_closed_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  byok_mcp_transport_close_finish (BYOK_MCP_TRANSPORT (source), result, NULL);
  g_task_return_boolean (task, TRUE);
}

/**
 * byok_mcp_client_close_async:
 *
 * Ends the session: pending requests fail, a child process is asked to
 * end (and made to), an HTTP session is deleted.
 */
void
byok_mcp_client_close_async (ByokMcpClient       *self,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BYOK_IS_MCP_CLIENT (self));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, byok_mcp_client_close_async);
  if (byok_mcp_transport_is_closed (self->transport))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  byok_mcp_transport_close_async (self->transport, transport_closed_cb, g_steal_pointer (&task));
}

gboolean
byok_mcp_client_close_finish (ByokMcpClient  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
