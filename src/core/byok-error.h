/* byok-error.h — the BYOK_ERROR domain
 *
 * One code per failure class a user must tell apart. Callers branch on the
 * code, never on the message; messages are translated, say what happened and
 * what to do, and never contain a key.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BYOK_ERROR (byok_error_quark ())

typedef enum {
  BYOK_ERROR_NO_KEY,          /* no key configured for the provider */
  BYOK_ERROR_AUTH,            /* key rejected (401/403, Gemini API_KEY_INVALID) */
  BYOK_ERROR_QUOTA,           /* billing: out of credit or quota */
  BYOK_ERROR_RATE_LIMIT,      /* 429 that waiting fixes */
  BYOK_ERROR_NOT_FOUND,       /* unknown model or endpoint */
  BYOK_ERROR_CONTEXT_LENGTH,  /* prompt too long for the model */
  BYOK_ERROR_BAD_REQUEST,     /* other 400s */
  BYOK_ERROR_CONTENT_FILTER,  /* blocked by the provider's filter */
  BYOK_ERROR_OVERLOADED,      /* 503 / 529 */
  BYOK_ERROR_SERVER,          /* other 5xx */
  BYOK_ERROR_NETWORK,         /* DNS, refused, reset, TLS */
  BYOK_ERROR_TIMEOUT,         /* connect or idle timeout */
  BYOK_ERROR_MALFORMED,       /* HTML, truncated JSON, bad UTF-8, stream cut short */
  BYOK_ERROR_CANCELLED,       /* the user stopped it */
  BYOK_ERROR_BUDGET,          /* over the user's budget with hard stop on */
  BYOK_ERROR_KEYRING,         /* no Secret Service, or a locked collection */
  BYOK_ERROR_STORAGE,         /* the database could not be read or written */
  BYOK_ERROR_INVALID,         /* bad input from the user (an argument, a price) */
  BYOK_ERROR_INSECURE,        /* not sent: the key would cross the network unencrypted */
  BYOK_ERROR_UNSUPPORTED_INPUT, /* not sent: the model cannot read an attached image or PDF */
} ByokErrorCode;

#define BYOK_ERROR_N_CODES (BYOK_ERROR_UNSUPPORTED_INPUT + 1)

GQuark       byok_error_quark            (void);
const char  *byok_error_code_to_string   (ByokErrorCode code);
gboolean     byok_error_code_from_string (const char    *str,
                                          ByokErrorCode *code);
const char  *byok_error_get_class        (const GError  *error);
const char  *byok_error_get_status       (const GError  *error);
gboolean     byok_error_is_cancelled     (const GError  *error);
gboolean     byok_error_is_retryable     (const GError  *error);
gboolean     byok_error_allows_fallback  (const GError  *error);

G_END_DECLS
