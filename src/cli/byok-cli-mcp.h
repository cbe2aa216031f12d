/* byok-cli-mcp.h — `byok-cli mcp`: add, list, tools, call, remove and
 * import MCP servers */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int byok_cli_mcp (int    argc,
                  char **argv);

G_END_DECLS
