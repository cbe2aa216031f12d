/* byok-chat-call-notice.c — what a chat call says while it waits to retry
 *
 * ByokRetryNotice (byok-chat-call.h) copied, freed and put in words for
 * people: "Rate limited by OpenAI — trying again in 18 s, attempt 2 of 3".
 */
#define G_LOG_DOMAIN "byok-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byok-chat-call.h"
#include "byok-error.h"

/**
 * byok_retry_notice_copy:
 * Returns: (transfer full): a copy that owns its strings
 */
ByokRetryNotice *
byok_retry_notice_copy (const ByokRetryNotice *notice)
{
  ByokRetryNotice *copy;

  g_return_val_if_fail (notice != NULL, NULL);

  copy = g_memdup2 (notice, sizeof *notice);
  copy->provider_id = g_strdup (notice->provider_id);
  copy->provider_name = g_strdup (notice->provider_name);
  copy->model = g_strdup (notice->model);
  return copy;
}

void
byok_retry_notice_free (ByokRetryNotice *notice)
{
  if (notice == NULL)
    return;
  g_free ((char *) notice->provider_id);
  g_free ((char *) notice->provider_name);
  g_free ((char *) notice->model);
  g_free (notice);
}

/**
 * byok_retry_notice_describe:
 * @left_us: how much of the wait is left
 *
 * Returns: (transfer full): what is happening, for people: "Rate limited
 *   by OpenAI — trying again in 18 s, attempt 2 of 3"
 */
char *
byok_retry_notice_describe (const ByokRetryNotice *notice,
                            gint64                 left_us)
{
  g_autofree char *what = NULL;
  g_autofree char *when = NULL;
  const char *name;

  g_return_val_if_fail (notice != NULL, NULL);

  name = notice->provider_name != NULL ? notice->provider_name : notice->provider_id;
  switch (notice->code)
    {
    case BYOK_ERROR_RATE_LIMIT:
      /* Translators: %s is a provider; the start of "… — trying again in 18 s, attempt 2 of 3" */
      what = g_strdup_printf (_("Rate limited by %s"), name);
      break;
    case BYOK_ERROR_OVERLOADED:
      /* Translators: %s is a provider; the start of "… — trying again in 18 s, attempt 2 of 3" */
      what = g_strdup_printf (_("%s is overloaded"), name);
      break;
    case BYOK_ERROR_NETWORK:
      /* Translators: %s is a provider; the start of "… — trying again in 18 s, attempt 2 of 3" */
      what = g_strdup_printf (_("Could not reach %s"), name);
      break;
    case BYOK_ERROR_TIMEOUT:
      /* Translators: %s is a provider; the start of "… — trying again in 18 s, attempt 2 of 3" */
      what = g_strdup_printf (_("%s did not answer in time"), name);
      break;
    default:
      if (notice->http_status > 0)
        /* Translators: a provider and an HTTP status; the start of "… — trying again in 18 s, attempt 2 of 3" */
        what = g_strdup_printf (_("%s failed (HTTP %u)"), name, notice->http_status);
      else
        /* Translators: %s is a provider; the start of "… — trying again in 18 s, attempt 2 of 3" */
        what = g_strdup_printf (_("%s failed"), name);
      break;
    }

  if (left_us <= 0)
    /* Translators: what failed, the attempt that starts now and how many there are at most */
    return g_strdup_printf (_("%s — trying again now, attempt %u of %u"), what,
                            notice->attempt, notice->max_attempts);
  /* Whole seconds, rounded up, so the count ends on 1 s, not 0 s. */
  when = g_strdup_printf (_("%d s"), (int) MIN ((left_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC, G_MAXINT));
  /* Translators: what failed, a wait ("18 s"), the next attempt and how many there are at most */
  return g_strdup_printf (_("%s — trying again in %s, attempt %u of %u"), what, when,
                          notice->attempt, notice->max_attempts);
}
