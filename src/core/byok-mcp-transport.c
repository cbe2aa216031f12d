/* byok-mcp-transport.c — how MCP messages reach a server and come back */
#define G_LOG_DOMAIN "byok-mcp"

#include "config.h"

#include <string.h>

#include "byok-mcp-jsonrpc.h"
#include "byok-mcp-transport.h"

typedef struct {
  char *name;
  char *protocol_version;
  gboolean closed;
} ByokMcpTransportPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (ByokMcpTransport, byok_mcp_transport, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  N_PROPS
};

enum {
  MESSAGE,
  CLOSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
byok_mcp_transport_finalize (GObject *object)
{
  ByokMcpTransportPrivate *priv = byok_mcp_transport_get_instance_private (BYOK_MCP_TRANSPORT (object));

  g_free (priv->name);
  g_free (priv->protocol_version);
  G_OBJECT_CLASS (byok_mcp_transport_parent_class)->finalize (object);
}

static void
byok_mcp_transport_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ByokMcpTransportPrivate *priv = byok_mcp_transport_get_instance_private (BYOK_MCP_TRANSPORT (object));

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, priv->name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_mcp_transport_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  ByokMcpTransportPrivate *priv = byok_mcp_transport_get_instance_private (BYOK_MCP_TRANSPORT (object));

  switch (prop_id)
    {
    case PROP_NAME:
      g_free (priv->name);
      priv->name = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_mcp_transport_class_init (ByokMcpTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = byok_mcp_transport_finalize;
  object_class->get_property = byok_mcp_transport_get_property;
  object_class->set_property = byok_mcp_transport_set_property;

  /* The server's name as the person configured it, for messages. */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ByokMcpTransport::message:
   * @node: one JSON-RPC message, an object
   */
  signals[MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, JSON_TYPE_NODE);
  /**
   * ByokMcpTransport::closed:
   * @error: (nullable): why the server is gone; NULL after a close
   */
  signals[CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
byok_mcp_transport_init (ByokMcpTransport *self)
{
}

const char *
byok_mcp_transport_get_name (ByokMcpTransport *self)
{
  ByokMcpTransportPrivate *priv = byok_mcp_transport_get_instance_private (self);

  g_return_val_if_fail (BYOK_IS_MCP_TRANSPORT (self), NULL);
  return priv->name != NULL ? priv->name : "";
}

/* The revision agreed at initialization; HTTP sends it as MCP-Protocol-Version. */
void
byok_mcp_transport_set_protocol_version (ByokMcpTransport *self,
                                         const char       *version)
{
  ByokMcpTransportPrivate *priv = byok_mcp_transport_get_instance_private (self);

  g_return_if_fail (BYOK_IS_MCP_TRANSPORT (self));
  g_free (priv->protocol_version);
  priv->protocol_version = g_strdup (version);
}

const char *
byok_mcp_transport_get_protocol_version (ByokMcpTransport *self)
{
  ByokMcpTransportPrivate *priv = byok_mcp_transport_get_instance_private (self);

  g_return_val_if_fail (BYOK_IS_MCP_TRANSPORT (self), NULL);
  return priv->protocol_version;
}

gboolean
byok_mcp_transport_is_closed (ByokMcpTransport *self)
{
  ByokMcpTransportPrivate *priv = byok_mcp_transport_get_instance_private (self);

  g_return_val_if_fail (BYOK_IS_MCP_TRANSPORT (self), TRUE);
  return priv->closed;
}

void
byok_mcp_transport_start_async (ByokMcpTransport    *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (BYOK_IS_MCP_TRANSPORT (self));
  BYOK_MCP_TRANSPORT_GET_CLASS (self)->start_async (self, cancellable, callback, user_data);
}

gboolean
byok_mcp_transport_start_finish (ByokMcpTransport  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
byok_mcp_transport_send_async (ByokMcpTransport    *self,
                               const char          *text,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (BYOK_IS_MCP_TRANSPORT (self));
  g_return_if_fail (text != NULL && strchr (text, '\n') == NULL);
  BYOK_MCP_TRANSPORT_GET_CLASS (self)->send_async (self, text, cancellable, callback, user_data);
}

gboolean
byok_mcp_transport_send_finish (ByokMcpTransport  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
byok_mcp_transport_close_async (ByokMcpTransport    *self,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (BYOK_IS_MCP_TRANSPORT (self));
  BYOK_MCP_TRANSPORT_GET_CLASS (self)->close_async (self, callback, user_data);
}

gboolean
byok_mcp_transport_close_finish (ByokMcpTransport  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Parses one message the server sent and emits it; what is not a JSON-RPC
 * object is dropped (and said in the debug log): a server that prints a
 * stray line does not end the conversation. */
void
byok_mcp_transport_emit_text (ByokMcpTransport *self,
                              const char       *text,
                              gsize             len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  while (len > 0 && g_ascii_isspace (text[len - 1]))
    len--;
  if (len == 0)
    return;
  node = byok_mcp_jsonrpc_parse (text, len, &error);
  if (node == NULL)
    {
      g_debug ("%s: dropped a message that is not JSON-RPC (%zu bytes): %s",
               byok_mcp_transport_get_name (self), len, error->message);
      return;
    }
  g_signal_emit (self, signals[MESSAGE], 0, node);
}

void
byok_mcp_transport_emit_closed (ByokMcpTransport *self,
                                const GError     *error)
{
  ByokMcpTransportPrivate *priv = byok_mcp_transport_get_instance_private (self);

  if (priv->closed)
    return;
  priv->closed = TRUE;
  g_signal_emit (self, signals[CLOSED], 0, error);
}
