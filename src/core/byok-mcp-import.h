/* byok-mcp-import.h — reading the `mcpServers` JSON other clients use
 *
 * Claude Desktop's claude_desktop_config.json and many others:
 *
 *     {"mcpServers": {"files": {"command": "npx", "args": [ … ], "env": { … }},
 *                     "web":   {"url": "https://…", "type": "http",
 *                               "headers": {"Authorization": "Bearer …"}}}}
 *
 * ("servers" is read the same, as VS Code writes it). A server with a
 * `command` is stdio; one with a `url` is Streamable HTTP ("type" may say
 * "http", "streamable-http" or "streamableHttp"; "sse", the transport of
 * 2024-11-05, is skipped with a reason). Every `env` value and header
 * value becomes a secret; `Authorization: Bearer X` the token. A name
 * Byok cannot use is made one ("My Files" → "My-Files"). "disabled": true
 * imports the server switched off.
 */
#pragma once

#include "byok-mcp-secrets.h"
#include "byok-mcp-server-config.h"

G_BEGIN_DECLS

gboolean byok_mcp_import_parse (const char  *json,
                                gsize        len,
                                GPtrArray  **servers,
                                GPtrArray  **secrets,
                                GStrv       *skipped,
                                GError     **error);

char    *byok_mcp_import_make_name (const char *name);

/* g_strv_builder_take() is GLib 2.80 */
static inline void
byok_strv_builder_take (GStrvBuilder *builder,
                        char         *value)
{
  g_strv_builder_add (builder, value);
  g_free (value);
}

G_END_DECLS
