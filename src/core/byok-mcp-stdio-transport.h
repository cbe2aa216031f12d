/* byok-mcp-stdio-transport.h — an MCP server as a child process
 *
 * The server runs through GSubprocess, in the home folder, with a part of
 * Byok's environment (home, path, locale, XDG folders, certificates and
 * proxies: never the rest, where providers' keys may be) and the
 * variables of its configuration (their values from the keyring, handed
 * over in memory: never in argv or a file). Messages go to its stdin and
 * come from its stdout, one per line. What it writes to stderr is
 * appended to its log file (0600), which is kept under 1 MiB: past that
 * the file becomes NAME.log.old and a new one starts.
 *
 * Closing closes stdin, waits for the process to end, then sends SIGTERM,
 * then SIGKILL, each after the grace period (2 s).
 */
#pragma once

#include "byok-mcp-transport.h"

G_BEGIN_DECLS

#define BYOK_MCP_STDIO_LOG_MAX (1024 * 1024)

#define BYOK_TYPE_MCP_STDIO_TRANSPORT (byok_mcp_stdio_transport_get_type ())
G_DECLARE_FINAL_TYPE (ByokMcpStdioTransport, byok_mcp_stdio_transport, BYOK, MCP_STDIO_TRANSPORT,
                      ByokMcpTransport)

ByokMcpTransport *byok_mcp_stdio_transport_new       (const char            *name,
                                                      const char * const    *argv,
                                                      GHashTable            *env,
                                                      const char            *log_path);
void              byok_mcp_stdio_transport_set_grace (ByokMcpStdioTransport *self,
                                                      guint                  grace_ms);
GPid              byok_mcp_stdio_transport_get_pid   (ByokMcpStdioTransport *self);
void              byok_mcp_stdio_transport_kill      (ByokMcpStdioTransport *self);

G_END_DECLS
