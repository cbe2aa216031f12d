/* byok-mcp-transport.h — how MCP messages reach a server and come back
 *
 * The base class of ByokMcpStdioTransport (a child process, one message
 * per line) and ByokMcpHttpTransport (Streamable HTTP). A transport knows
 * nothing of ids or methods: it sends the text of one message, and emits
 * `message` for each message the server sends, on the main context of the
 * thread that started it, and `closed` once when the server is gone (with
 * the reason, or NULL after byok_mcp_transport_close_async()).
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define BYOK_TYPE_MCP_TRANSPORT (byok_mcp_transport_get_type ())
G_DECLARE_DERIVABLE_TYPE (ByokMcpTransport, byok_mcp_transport, BYOK, MCP_TRANSPORT, GObject)

struct _ByokMcpTransportClass
{
  GObjectClass parent_class;

  /* TRUE when the answer to a request comes back within send_async (HTTP):
   * a send that ends without it is a failure. */
  gboolean answers_within_send;

  void     (*start_async)  (ByokMcpTransport    *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data);
  /* @text: one message without newline. Completes when the message was
   * handed over — for HTTP, when the answer it brought has been read and
   * its messages emitted. */
  void     (*send_async)   (ByokMcpTransport    *self,
                            const char          *text,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data);
  void     (*close_async)  (ByokMcpTransport    *self,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data);
};

const char *byok_mcp_transport_get_name             (ByokMcpTransport     *self);
void        byok_mcp_transport_set_protocol_version (ByokMcpTransport     *self,
                                                     const char           *version);
const char *byok_mcp_transport_get_protocol_version (ByokMcpTransport     *self);
gboolean    byok_mcp_transport_is_closed            (ByokMcpTransport     *self);

void        byok_mcp_transport_start_async          (ByokMcpTransport     *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean    byok_mcp_transport_start_finish         (ByokMcpTransport     *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void        byok_mcp_transport_send_async           (ByokMcpTransport     *self,
                                                     const char           *text,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean    byok_mcp_transport_send_finish          (ByokMcpTransport     *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void        byok_mcp_transport_close_async          (ByokMcpTransport     *self,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean    byok_mcp_transport_close_finish         (ByokMcpTransport     *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* For subclasses */
void        byok_mcp_transport_emit_text            (ByokMcpTransport     *self,
                                                     const char           *text,
                                                     gsize                 len);
void        byok_mcp_transport_emit_closed          (ByokMcpTransport     *self,
                                                     const GError         *error);

G_END_DECLS
