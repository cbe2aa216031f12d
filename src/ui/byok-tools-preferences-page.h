/* byok-tools-preferences-page.h — Preferences → Tools
 *
 * The MCP servers the person configured (ByokMcpConfig, shared with
 * byok-cli mcp): each with its command and arguments or its URL and a
 * switch; opened, its tools (listed from the running server, starting it)
 * each with a switch, its log, and Remove. "Import…" reads the mcpServers
 * JSON other clients use. Below, how many rounds of tool calls an answer
 * may make (the GSettings key max-tool-steps).
 */
#pragma once

#include <adwaita.h>

#include "byok-mcp-tool-runner.h"

G_BEGIN_DECLS

#define BYOK_TYPE_TOOLS_PREFERENCES_PAGE (byok_tools_preferences_page_get_type ())
G_DECLARE_FINAL_TYPE (ByokToolsPreferencesPage, byok_tools_preferences_page, BYOK, TOOLS_PREFERENCES_PAGE, AdwPreferencesPage)

GtkWidget *byok_tools_preferences_page_new (ByokMcpToolRunner *runner);

G_END_DECLS
