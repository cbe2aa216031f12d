/* byok-client.h — chat calls, model listings and key checks over HTTP
 *
 * One ByokClient holds one SoupSession that every call shares. A chat call
 * streams its answer (the "delta" and "reasoning-delta" signals carry each
 * new slice as it arrives), retries what waiting can fix (429, 5xx, 529,
 * network failures, timeouts) with exponential backoff and jitter, honours
 * the wait a provider asks for (Retry-After, retry-after-ms, Gemini's
 * retryDelay) up to a cap, and falls back along a chain of (provider, model)
 * pairs when the failure is one another provider can fix. While it waits
 * to try again, the "retrying" signal says so (ByokRetryNotice).
 *
 * Rules every call keeps:
 * - Nothing is retried or falls back once output (text or reasoning) has
 *   been delivered: the partial text is kept and the error returned.
 * - QUOTA, AUTH, BAD_REQUEST, CONTEXT_LENGTH and NOT_FOUND are never retried.
 * - Every HTTP request is one ByokAttempt in the result, in order.
 * - A key is only ever put in the request's auth header; it never reaches
 *   a message, a log line or a debug line.
 *
 * Keys come from a ByokKeyStore (the keyring first, the environment second,
 * as the store's preferences say). Every provider of the catalog is
 * registered with the key store, with its environment variables, when the
 * client is created.
 *
 * All calls must be made from the thread whose thread-default main context
 * was current when the client was created (libsoup's rule).
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "byok-catalog.h"
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

/**
 * ByokRetryNotice:
 * @provider_id: the provider that failed
 * @provider_name: its name, for people
 * @model: the model asked
 * @code: why the last attempt failed (RATE_LIMIT, OVERLOADED, SERVER, …)
 * @http_status: of its response, 0 when none came
 * @wait_us: how long the client waits before the next attempt
 * @attempt: the attempt that comes after the wait, from 1
 * @max_attempts: how many it makes at most on this provider and model
 *
 * What the client is doing while it waits to try a failed call again;
 * the "retrying" signal carries it when the wait starts. Strings are
 * borrowed for the signal's emission; byok_retry_notice_copy() keeps them.
 */
typedef struct {
  const char    *provider_id;
  const char    *provider_name;
  const char    *model;
  ByokErrorCode  code;
  guint          http_status;
  gint64         wait_us;
  guint          attempt;
  guint          max_attempts;
} ByokRetryNotice;

ByokRetryNotice *byok_retry_notice_copy          (const ByokRetryNotice *notice);
void            byok_retry_notice_free            (ByokRetryNotice     *notice);
char           *byok_retry_notice_describe        (const ByokRetryNotice *notice,
                                                   gint64               left_us);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokRetryNotice, byok_retry_notice_free)

#define BYOK_TYPE_CLIENT (byok_client_get_type ())
G_DECLARE_FINAL_TYPE (ByokClient, byok_client, BYOK, CLIENT, GObject)

ByokClient     *byok_client_new                   (ByokCatalog         *catalog,
                                                   ByokKeyStore        *key_store);

ByokCatalog    *byok_client_get_catalog           (ByokClient          *self);
ByokKeyStore   *byok_client_get_key_store         (ByokClient          *self);
SoupSession    *byok_client_get_session           (ByokClient          *self);

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

/**
 * ByokChatHooks:
 * @attempt_started: called just before an attempt's request is sent, with
 *   the attempt (provider, model, is_retry, is_fallback) and its 0-based
 *   index among the call's attempts. Returning %FALSE with @error set
 *   sends nothing: the attempt fails with @error, which ends the call
 *   unless byok_error_is_retryable() or byok_error_allows_fallback() says
 *   otherwise.
 * @attempt_ended: called when an attempt has ended, with everything known
 *   of it, before the next one starts and before the call's callback;
 *   @sent: whether its request went out (@attempt_started accepted it).
 *   It may note the usage row it recorded in @attempt->usage_id.
 *   Attempts that failed before anything was sent (no key, a bad
 *   configuration) end without starting.
 */
typedef struct {
  gboolean (*attempt_started) (const ByokAttempt  *attempt,
                               guint               index,
                               gpointer            data,
                               GError            **error);
  void     (*attempt_ended)   (ByokAttempt        *attempt,
                               guint               index,
                               gboolean            sent,
                               gpointer            data);
} ByokChatHooks;

/* Chat */
gboolean        byok_client_parse_target          (ByokClient          *self,
                                                   const char          *target,
                                                   char               **provider_id,
                                                   char               **model,
                                                   GError             **error);
void            byok_client_chat_async            (ByokClient          *self,
                                                   ByokChatRequest     *request,
                                                   const char          *provider_id,
                                                   const char          *model,
                                                   const char * const  *fallbacks,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
void            byok_client_chat_with_hooks_async (ByokClient        *self,
                                                   ByokChatRequest     *request,
                                                   const char          *provider_id,
                                                   const char          *model,
                                                   const char * const  *fallbacks,
                                                   const ByokChatHooks *hooks,
                                                   gpointer             hooks_data,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
ByokChatResult *byok_client_chat_finish           (ByokClient          *self,
                                                   GAsyncResult        *result);

/* Models */
void            byok_client_list_models_async     (ByokClient          *self,
                                                   const char          *provider_id,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GPtrArray      *byok_client_list_models_finish    (ByokClient          *self,
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
