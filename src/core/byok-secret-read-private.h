/* byok-secret-read-private.h — reading many keyring items' secrets at once
 *
 * For the key store's listing and an MCP server's secrets: the Secret
 * Service's unlocked items have their secrets read in one call
 * (secret_item_load_secrets(): one session, one GetSecrets), its locked
 * ones are unlocked first (that may prompt; libsecret's
 * SECRET_SEARCH_UNLOCK would send an Unlock even with none locked), and
 * other backends' items (libsecret's file backend, inside Flatpak) are
 * read one by one, without D-Bus.
 */
#pragma once

#include <libsecret/secret.h>

G_BEGIN_DECLS

/* One item read: @value (transfer full) its secret, or %NULL with @error
 * (borrowed; SECRET_ERROR_IS_LOCKED for an item that stayed locked). */
typedef void (*ByokSecretReadFunc) (SecretRetrievable *item,
                                    SecretValue       *value,
                                    const GError      *error,
                                    gpointer           user_data);

/* Reads the secrets of @items (borrowed), calling @each once per item on
 * the calling thread's main context, then @done once. */
void _byok_secret_read_async (GList              *items,
                              GCancellable       *cancellable,
                              ByokSecretReadFunc  each,
                              GDestroyNotify      done,
                              gpointer            user_data);

G_END_DECLS
