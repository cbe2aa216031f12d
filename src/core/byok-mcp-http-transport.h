/* byok-mcp-http-transport.h — an MCP server at a URL (Streamable HTTP)
 *
 * Each message is one POST to the server's URL, accepting
 * application/json and text/event-stream; an answer in either form is
 * read to its end and its messages emitted (event streams through
 * ByokSse). The `Mcp-Session-Id` a server gives is sent back on every
 * later request and ended with a DELETE when the transport closes;
 * `MCP-Protocol-Version` goes with every request once initialization
 * agreed one. A bearer token and other headers (their values from the
 * keyring) go only over https or to this computer (BYOK_ERROR_INSECURE
 * otherwise). Redirects are followed only within the same origin
 * (307/308, at most 3); any other is refused, so that a token never goes
 * elsewhere.
 *
 * Not done: the optional GET stream for messages the server sends on its
 * own (a `tools/list_changed` arrives only within an answer).
 */
#pragma once

#include "byok-mcp-transport.h"

G_BEGIN_DECLS

#define BYOK_TYPE_MCP_HTTP_TRANSPORT (byok_mcp_http_transport_get_type ())
G_DECLARE_FINAL_TYPE (ByokMcpHttpTransport, byok_mcp_http_transport, BYOK, MCP_HTTP_TRANSPORT,
                      ByokMcpTransport)

ByokMcpTransport *byok_mcp_http_transport_new            (const char           *name,
                                                          const char           *url,
                                                          const char           *token,
                                                          GHashTable           *headers);
const char       *byok_mcp_http_transport_get_session_id (ByokMcpHttpTransport *self);

G_END_DECLS
