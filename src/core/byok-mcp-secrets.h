/* byok-mcp-secrets.h — an MCP server's secrets, in the keyring
 *
 * The values of a server's environment variables (every one: they are
 * tokens and keys far more often than not, and Byok cannot tell which),
 * the values of its HTTP headers, and its bearer token are Secret Service
 * items of schema io.github.byok.Byok.McpSecret with the attributes
 * `server` (its name), `kind` ("env", "header" or "token") and `name`
 * (the variable or header; "" for the token), labelled
 * "Byok: MCP server “files”: GITHUB_TOKEN". Never in a file, argv or a
 * log. Searches and clears always name the schema (`xdg:schema`), as the
 * key store does. All asynchronous; errors are %BYOK_ERROR_KEYRING or
 * %BYOK_ERROR_CANCELLED.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BYOK_MCP_SECRET_SCHEMA_NAME "io.github.byok.Byok.McpSecret"

typedef struct {
  GHashTable *env;       /* name → value; never NULL */
  GHashTable *headers;   /* name → value; never NULL */
  char       *token;     /* or NULL */
} ByokMcpSecrets;

ByokMcpSecrets *byok_mcp_secrets_new           (void);
ByokMcpSecrets *byok_mcp_secrets_copy          (ByokMcpSecrets       *self);
void            byok_mcp_secrets_free          (ByokMcpSecrets       *self);
void            byok_mcp_secrets_set_env       (ByokMcpSecrets       *self,
                                                const char           *name,
                                                const char           *value);
void            byok_mcp_secrets_set_header    (ByokMcpSecrets       *self,
                                                const char           *name,
                                                const char           *value);
void            byok_mcp_secrets_set_token     (ByokMcpSecrets       *self,
                                                const char           *token);
gboolean        byok_mcp_secrets_is_empty      (ByokMcpSecrets       *self);

/* Replaces every secret of @server by @secrets (NULL: clears them). */
void            byok_mcp_secrets_store_async   (const char           *server,
                                                ByokMcpSecrets       *secrets,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean        byok_mcp_secrets_store_finish  (GAsyncResult         *result,
                                                GError              **error);
void            byok_mcp_secrets_lookup_async  (const char           *server,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
ByokMcpSecrets *byok_mcp_secrets_lookup_finish (GAsyncResult         *result,
                                                GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokMcpSecrets, byok_mcp_secrets_free)

G_END_DECLS
