/* byok-error.c — the BYOK_ERROR domain */
#define G_LOG_DOMAIN "byok-error"

#include "config.h"

#include <gio/gio.h>

#include "byok-error.h"

G_DEFINE_QUARK (byok-error-quark, byok_error)

static const char * const code_names[BYOK_ERROR_N_CODES] = {
  [BYOK_ERROR_NO_KEY] = "NO_KEY",
  [BYOK_ERROR_AUTH] = "AUTH",
  [BYOK_ERROR_QUOTA] = "QUOTA",
  [BYOK_ERROR_RATE_LIMIT] = "RATE_LIMIT",
  [BYOK_ERROR_NOT_FOUND] = "NOT_FOUND",
  [BYOK_ERROR_CONTEXT_LENGTH] = "CONTEXT_LENGTH",
  [BYOK_ERROR_BAD_REQUEST] = "BAD_REQUEST",
  [BYOK_ERROR_CONTENT_FILTER] = "CONTENT_FILTER",
  [BYOK_ERROR_OVERLOADED] = "OVERLOADED",
  [BYOK_ERROR_SERVER] = "SERVER",
  [BYOK_ERROR_NETWORK] = "NETWORK",
  [BYOK_ERROR_TIMEOUT] = "TIMEOUT",
  [BYOK_ERROR_MALFORMED] = "MALFORMED",
  [BYOK_ERROR_CANCELLED] = "CANCELLED",
  [BYOK_ERROR_BUDGET] = "BUDGET",
  [BYOK_ERROR_KEYRING] = "KEYRING",
  [BYOK_ERROR_STORAGE] = "STORAGE",
  [BYOK_ERROR_INVALID] = "INVALID",
  [BYOK_ERROR_INSECURE] = "INSECURE",
  [BYOK_ERROR_UNSUPPORTED_INPUT] = "UNSUPPORTED_INPUT",
};

/**
 * byok_error_code_to_string:
 * Returns: the stable, untranslated class name ("AUTH", "QUOTA", …) used in
 *   the database, in `--json` output and in logs.
 */
const char *
byok_error_code_to_string (ByokErrorCode code)
{
  if ((guint) code >= BYOK_ERROR_N_CODES)
    return "UNKNOWN";
  return code_names[code];
}

gboolean
byok_error_code_from_string (const char    *str,
                             ByokErrorCode *code)
{
  g_return_val_if_fail (code != NULL, FALSE);

  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < BYOK_ERROR_N_CODES; i++)
    {
      if (g_ascii_strcasecmp (code_names[i], str) == 0)
        {
          *code = (ByokErrorCode) i;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * byok_error_get_class:
 * Returns: the class name of @error. Errors from other domains are mapped:
 *   a cancelled GIO operation is "CANCELLED", a GIO timeout "TIMEOUT", any
 *   other GIO error "NETWORK"; anything else "UNKNOWN".
 */
const char *
byok_error_get_class (const GError *error)
{
  if (error == NULL)
    return "OK";
  if (error->domain == BYOK_ERROR)
    return byok_error_code_to_string ((ByokErrorCode) error->code);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return "CANCELLED";
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return "TIMEOUT";
  if (error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR)
    return "NETWORK";
  return "UNKNOWN";
}

/**
 * byok_error_get_status:
 * Returns: what a call with @error is recorded as: "ok" without one, else
 *   its class in lower case ("auth", "rate_limit", "cancelled", …), the
 *   form of the usage rows, the key history, the export and `byok-cli chat
 *   --json`
 */
const char *
byok_error_get_status (const GError *error)
{
  g_autofree char *lower = NULL;

  if (error == NULL)
    return "ok";
  lower = g_ascii_strdown (byok_error_get_class (error), -1);
  return g_intern_string (lower);
}

/**
 * byok_error_is_cancelled:
 * Whether @error says a call was stopped (BYOK_ERROR_CANCELLED, or a
 * cancelled GIO operation): the class "CANCELLED", told by the code
 * rather than by comparing the class.
 */
gboolean
byok_error_is_cancelled (const GError *error)
{
  return g_error_matches (error, BYOK_ERROR, BYOK_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/**
 * byok_error_is_retryable:
 * Whether the same call, made again after a wait, can succeed: rate limits,
 * overload, server errors, network failures and timeouts. Billing, auth and
 * bad requests are never retried.
 */
gboolean
byok_error_is_retryable (const GError *error)
{
  if (error == NULL || error->domain != BYOK_ERROR)
    return FALSE;

  switch ((ByokErrorCode) error->code)
    {
    case BYOK_ERROR_RATE_LIMIT:
    case BYOK_ERROR_OVERLOADED:
    case BYOK_ERROR_SERVER:
    case BYOK_ERROR_NETWORK:
    case BYOK_ERROR_TIMEOUT:
      return TRUE;
    default:
      return FALSE;
    }
}

/**
 * byok_error_allows_fallback:
 * Whether another provider/model can answer where this one failed. Anything
 * that is about this provider (its key, its quota, its limits, its health,
 * the model's window, what the model can read) can be fixed by falling
 * back; a cancel, a budget stop or a bad request the next provider would
 * refuse too cannot.
 */
gboolean
byok_error_allows_fallback (const GError *error)
{
  if (error == NULL || error->domain != BYOK_ERROR)
    return FALSE;

  switch ((ByokErrorCode) error->code)
    {
    case BYOK_ERROR_NO_KEY:
    case BYOK_ERROR_AUTH:
    case BYOK_ERROR_QUOTA:
    case BYOK_ERROR_RATE_LIMIT:
    case BYOK_ERROR_NOT_FOUND:
    case BYOK_ERROR_CONTEXT_LENGTH:
    case BYOK_ERROR_OVERLOADED:
    case BYOK_ERROR_SERVER:
    case BYOK_ERROR_NETWORK:
    case BYOK_ERROR_TIMEOUT:
    case BYOK_ERROR_MALFORMED:
    case BYOK_ERROR_INSECURE:
    case BYOK_ERROR_UNSUPPORTED_INPUT:
      return TRUE;
    default:
      return FALSE;
    }
}
