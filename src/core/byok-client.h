/* byok-client.h — chat calls, model listings and key checks over HTTP
 *
 * One ByokClient holds one SoupSession that every request shares, and the
 * settings they follow: per-phase timeouts, and how a chat call retries
 * (max-attempts, backoff-base-ms, max-retry-wait-ms). A chat is a
 * ByokChatCall (byok-chat-call.h: its signals, retries and fallbacks);
 * byok_client_new_chat() makes one without budgets or usage records, as
 * the engine's byok_engine_new_chat() does with them.
 *
 * Keys come from a ByokKeyStore (the keyring first, the environment second,
 * as the store's preferences say). Every provider of the catalog is
 * registered with the key store, with its environment variables, when the
 * client is created. A key is only ever put in the request's auth header;
 * it never reaches a message, a log line or a debug line.
 *
 * All calls must be made from the thread whose thread-default main context
 * was current when the client was created (libsoup's rule).
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "byok-catalog.h"
#include "byok-chat-call.h"
#include "byok-chat-request.h"
#include "byok-chat-result.h"
#include "byok-error.h"
#include "byok-key-store.h"

G_BEGIN_DECLS

#define BYOK_CLIENT_DEFAULT_CONNECT_TIMEOUT_MS   15000
#define BYOK_CLIENT_DEFAULT_IDLE_TIMEOUT_MS     120000
#define BYOK_CLIENT_DEFAULT_RESPONSE_TIMEOUT_MS 600000
#define BYOK_CLIENT_DEFAULT_MAX_ATTEMPTS        3
#define BYOK_CLIENT_DEFAULT_BACKOFF_BASE_MS     1000
#define BYOK_CLIENT_DEFAULT_MAX_RETRY_WAIT_MS   60000

#define BYOK_TYPE_CLIENT (byok_client_get_type ())
G_DECLARE_FINAL_TYPE (ByokClient, byok_client, BYOK, CLIENT, GObject)

ByokClient     *byok_client_new                   (ByokCatalog         *catalog,
                                                   ByokKeyStore        *key_store);

ByokCatalog    *byok_client_get_catalog           (ByokClient          *self);
ByokKeyStore   *byok_client_get_key_store         (ByokClient          *self);
SoupSession    *byok_client_get_session           (ByokClient          *self);
void            byok_client_preconnect            (ByokClient          *self,
                                                   const char          *provider_id);

/* Properties of the same names (milliseconds) */
guint           byok_client_get_connect_timeout_ms (ByokClient         *self);
void            byok_client_set_connect_timeout_ms (ByokClient         *self,
                                                   guint                timeout_ms);
guint           byok_client_get_idle_timeout_ms   (ByokClient          *self);
void            byok_client_set_idle_timeout_ms   (ByokClient          *self,
                                                   guint                timeout_ms);
guint           byok_client_get_response_timeout_ms (ByokClient        *self);
void            byok_client_set_response_timeout_ms (ByokClient        *self,
                                                   guint                timeout_ms);
guint           byok_client_get_max_attempts      (ByokClient          *self);
void            byok_client_set_max_attempts      (ByokClient          *self,
                                                   guint                max_attempts);
guint           byok_client_get_backoff_base_ms   (ByokClient          *self);
void            byok_client_set_backoff_base_ms   (ByokClient          *self,
                                                   guint                base_ms);
guint           byok_client_get_max_retry_wait_ms (ByokClient          *self);
void            byok_client_set_max_retry_wait_ms (ByokClient          *self,
                                                   guint                wait_ms);

/* Chat */
gboolean        byok_client_parse_target          (ByokClient          *self,
                                                   const char          *target,
                                                   char               **provider_id,
                                                   char               **model,
                                                   GError             **error);
ByokChatCall   *byok_client_new_chat              (ByokClient          *self,
                                                   ByokChatRequest     *request,
                                                   const char          *provider_id,
                                                   const char          *model,
                                                   const char * const  *fallbacks);

/* Models */
void            byok_client_list_models_async     (ByokClient          *self,
                                                   const char          *provider_id,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GPtrArray      *byok_client_list_models_finish    (ByokClient          *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* One JSON read with the stored key, on the provider's own origin */
void            byok_client_get_json_async        (ByokClient          *self,
                                                   const char          *provider_id,
                                                   const char          *url,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
void            byok_client_get_json_with_key_async (ByokClient        *self,
                                                     const char        *provider_id,
                                                     const char        *url,
                                                     const char        *key,
                                                     GCancellable      *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer           user_data);
JsonNode       *byok_client_get_json_finish       (ByokClient          *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* Keys */
void            byok_client_check_key_async       (ByokClient          *self,
                                                   const char          *provider_id,
                                                   const char          *account,
                                                   const char          *key,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean        byok_client_check_key_finish      (ByokClient          *self,
                                                   GAsyncResult        *result,
                                                   int                 *n_models,
                                                   GError             **error);
char           *byok_client_describe_key_check    (int                  n_models);

G_END_DECLS
