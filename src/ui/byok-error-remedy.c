/* byok-error-remedy.c — what the UI says about a failed call, and offers */
#include "config.h"

#include <glib/gi18n.h>

#include "byok-error-remedy.h"

typedef struct {
  ByokErrorCode  code;
  const char    *title;
  const char    *short_name;
  ByokRemedy     remedy;
  const char    *button;
  const char    *page;
} Entry;

static const Entry entries[] = {
  { BYOK_ERROR_NO_KEY, N_("No Key for This Provider"), N_("no key"),
    BYOK_REMEDY_SHOW_PAGE, N_("Open _Providers"), "providers" },
  { BYOK_ERROR_AUTH, N_("The Key Was Rejected"), N_("key rejected"),
    BYOK_REMEDY_SHOW_PAGE, N_("Open _Providers"), "providers" },
  { BYOK_ERROR_KEYRING, N_("The Keyring Is Not Available"), N_("keyring unavailable"),
    BYOK_REMEDY_SHOW_PAGE, N_("Open _Providers"), "providers" },
  { BYOK_ERROR_INSECURE, N_("Not Sent Over an Unencrypted Connection"), N_("not sent (unencrypted)"),
    BYOK_REMEDY_SHOW_PAGE, N_("Open _Providers"), "providers" },
  { BYOK_ERROR_BUDGET, N_("Over Your Budget"), N_("over budget"),
    BYOK_REMEDY_SHOW_PAGE, N_("_Raise Budget"), "usage" },
  /* Waiting fixes it: the row counts down before it offers to ask again. */
  { BYOK_ERROR_RATE_LIMIT, N_("Rate Limited"), N_("rate limited"),
    BYOK_REMEDY_RETRY, N_("_Retry"), NULL },
  { BYOK_ERROR_QUOTA, N_("Out of Credit or Quota"), N_("out of credit"),
    BYOK_REMEDY_NONE, NULL, NULL },
  { BYOK_ERROR_NOT_FOUND, N_("Model Not Found"), N_("model not found"),
    BYOK_REMEDY_OTHER_MODEL, N_("Use _Another Model"), NULL },
  { BYOK_ERROR_CONTEXT_LENGTH, N_("Too Long for This Model"), N_("too long"),
    BYOK_REMEDY_OTHER_MODEL, N_("Use _Another Model"), NULL },
  { BYOK_ERROR_UNSUPPORTED_INPUT, N_("This Model Cannot Read the Attachment"), N_("cannot read attachment"),
    BYOK_REMEDY_OTHER_MODEL, N_("Use _Another Model"), NULL },
  { BYOK_ERROR_CONTENT_FILTER, N_("Blocked by the Provider’s Filter"), N_("filtered"),
    BYOK_REMEDY_NONE, NULL, NULL },
  { BYOK_ERROR_BAD_REQUEST, N_("The Provider Refused the Request"), N_("bad request"),
    BYOK_REMEDY_NONE, NULL, NULL },
  { BYOK_ERROR_OVERLOADED, N_("The Provider Is Overloaded"), N_("overloaded"),
    BYOK_REMEDY_RETRY, N_("_Retry"), NULL },
  { BYOK_ERROR_SERVER, N_("The Provider Failed"), N_("server error"),
    BYOK_REMEDY_RETRY, N_("_Retry"), NULL },
  { BYOK_ERROR_MALFORMED, N_("The Provider Failed"), N_("bad response"),
    BYOK_REMEDY_RETRY, N_("_Retry"), NULL },
  { BYOK_ERROR_NETWORK, N_("Could Not Reach the Provider"), N_("network error"),
    BYOK_REMEDY_RETRY, N_("_Retry"), NULL },
  { BYOK_ERROR_TIMEOUT, N_("Could Not Reach the Provider"), N_("timed out"),
    BYOK_REMEDY_RETRY, N_("_Retry"), NULL },
  /* Byok sends no call it cannot record: the message says what failed and
   * what to do; once it is fixed, ask again. */
  { BYOK_ERROR_STORAGE, N_("Not Sent: Byok Could Not Record the Call"), N_("storage error"),
    BYOK_REMEDY_RETRY, N_("_Retry"), NULL },
  { BYOK_ERROR_CANCELLED, N_("The Answer Failed"), N_("stopped"),
    BYOK_REMEDY_NONE, NULL, NULL },
  { BYOK_ERROR_INVALID, N_("The Answer Failed"), N_("invalid"),
    BYOK_REMEDY_NONE, NULL, NULL },
};

/**
 * byok_error_remedy_get:
 * @code: a BYOK_ERROR_* code
 *
 * Returns: what to say about @code and what to offer; an unknown code is
 *   "The Answer Failed", with nothing to offer
 */
ByokErrorRemedy
byok_error_remedy_get (ByokErrorCode code)
{
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    if (entries[i].code == code)
      return (ByokErrorRemedy) {
        .title = _(entries[i].title),
        .short_name = _(entries[i].short_name),
        .remedy = entries[i].remedy,
        .button = entries[i].button != NULL ? _(entries[i].button) : NULL,
        .page = entries[i].page,
      };
  return (ByokErrorRemedy) { .title = _("The Answer Failed"), .remedy = BYOK_REMEDY_NONE };
}

/**
 * byok_error_remedy_get_for_class:
 * @error_class: an error class as stored with a message ("AUTH")
 *
 * Returns: byok_error_remedy_get() of its code; an unknown class is
 *   BYOK_ERROR_INVALID's, short_name aside, which is @error_class itself
 */
ByokErrorRemedy
byok_error_remedy_get_for_class (const char *error_class)
{
  ByokErrorCode code;
  ByokErrorRemedy remedy;

  if (error_class != NULL && byok_error_code_from_string (error_class, &code))
    return byok_error_remedy_get (code);
  remedy = byok_error_remedy_get (BYOK_ERROR_INVALID);
  remedy.short_name = error_class;
  return remedy;
}
