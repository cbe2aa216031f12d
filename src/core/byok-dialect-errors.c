/* byok-dialect-errors.c — telling provider errors apart
 *
 * Turns an HTTP status, its headers and its body into one BYOK_ERROR code
 * with a message that says what happened and what to do (PROVIDERS.md,
 * "Errors: telling them apart"). The error envelopes of all three dialects
 * are understood whatever the dialect, since OpenAI-compatible gateways
 * forward other providers' errors.
 */
#define G_LOG_DOMAIN "byok-dialect"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "byok-dialect-private.h"
#include "byok-error.h"
#include "byok-glib-private.h"
#include "byok-json.h"
#include "byok-key-format.h"

#define MAX_PROVIDER_MESSAGE_CHARS 200

typedef struct {
  gboolean   envelope;        /* an error object (or message) was found */
  char      *message;
  char      *type;            /* OpenAI/Anthropic error.type */
  char      *code;            /* error.code, as a string ("1113", "429") */
  char      *status;          /* Gemini error.status ("RESOURCE_EXHAUSTED") */
  GPtrArray *reasons;         /* Gemini error.details[].reason */
  gint64     retry_delay_us;  /* Gemini RetryInfo.retryDelay, or -1 */
} ErrorInfo;

static void
error_info_clear (ErrorInfo *info)
{
  g_free (info->message);
  g_free (info->type);
  g_free (info->code);
  g_free (info->status);
  g_clear_pointer (&info->reasons, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ErrorInfo, error_info_clear)

/* ------------------------------------------------------------------ */
/* Secrets                                                              */

static GRegex *
secrets_regex (void)
{
  static GRegex *regex;

  if (g_once_init_enter (&regex))
    {
      GRegex *r = g_regex_new (
        /* Prefixed keys, also when a provider echoes them half-starred:
         * sk-…, sk-proj-…, sk-ant-…, sk-or-v1-…, gsk_… (Groq), xai-… */
        "(?<![A-Za-z0-9])(?:sk|gsk|xai|pk|rk)[-_][A-Za-z0-9_*\\-]{6,}"
        /* Google API keys */
        "|AIza[0-9A-Za-z_*\\-]{6,}"
        /* Authorization header values */
        "|(?<=Bearer )[^\\s\"']{8,}"
        /* Anything long and random-looking: Mistral, Azure, Zhipu id.secret
         * (checked for letters and digits in the callback) */
        "|(?<![A-Za-z0-9])[A-Za-z0-9]{20,}(?:\\.[A-Za-z0-9]{6,})?",
        G_REGEX_OPTIMIZE, 0, NULL);
      g_assert (r != NULL);
      g_once_init_leave (&regex, r);
    }
  return regex;
}

static gboolean
mask_secret_cb (const GMatchInfo *match_info,
                GString          *out,
                gpointer          user_data)
{
  g_autofree char *token = g_match_info_fetch (match_info, 0);
  gsize len = strlen (token);
  gboolean has_digit = FALSE;
  gboolean has_alpha = FALSE;
  gboolean generic;

  generic = g_ascii_isalnum (token[0]) &&
            !g_str_has_prefix (token, "AIza") &&
            !g_str_has_prefix (token, "sk") &&
            !g_str_has_prefix (token, "gsk") &&
            !g_str_has_prefix (token, "xai") &&
            !g_str_has_prefix (token, "pk") &&
            !g_str_has_prefix (token, "rk");
  for (gsize i = 0; i < len; i++)
    {
      has_digit |= g_ascii_isdigit (token[i]);
      has_alpha |= g_ascii_isalpha (token[i]);
    }

  /* A long word without digits (or a long number) is not a key. */
  if (generic && !(has_digit && has_alpha))
    {
      g_string_append (out, token);
      return FALSE;
    }

  /* No part of it: not even the first and last characters, which a
   * provider's own half-starred echo ("sk-proj-****abcd") would keep. */
  memset (token, 0, len);
  g_string_append (out, BYOK_KEY_FORMAT_REDACTED);
  return FALSE;
}

/**
 * byok_dialect_scrub_secrets:
 * @text: (nullable): text from a provider
 *
 * Masks anything in @text that looks like an API key — providers echo part
 * of a bad key in their messages — leaving no part of it
 * (%BYOK_KEY_FORMAT_REDACTED). The key that was sent is masked whatever its
 * shape by byok_key_format_redact(), through ByokErrorContext.secret.
 *
 * Returns: (transfer full) (nullable): the scrubbed text.
 */
char *
byok_dialect_scrub_secrets (const char *text)
{
  if (text == NULL)
    return NULL;
  return g_regex_replace_eval (secrets_regex (), text, -1, 0, 0,
                               mask_secret_cb, NULL, NULL);
}

/* Whitespace collapsed, control characters dropped, the key that was sent
 * and anything else that looks like a key masked — before the text is cut —,
 * at most MAX_PROVIDER_MESSAGE_CHARS characters. */
static char *
clean_provider_message (const ByokErrorContext *ctx,
                        const char             *message)
{
  g_autoptr(GString) flat = NULL;
  g_autofree char *scrubbed = NULL;
  g_autofree char *redacted = NULL;
  gboolean space = FALSE;

  if (message == NULL || !g_utf8_validate (message, -1, NULL))
    return NULL;

  redacted = byok_key_format_redact (message, -1, ctx != NULL ? ctx->secret : NULL, NULL);
  flat = g_string_new (NULL);
  for (const char *p = redacted; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        {
          space = flat->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (flat, ' ');
      space = FALSE;
      g_string_append_unichar (flat, c);
    }
  if (flat->len == 0)
    return NULL;

  scrubbed = byok_dialect_scrub_secrets (flat->str);
  if (g_utf8_strlen (scrubbed, -1) > MAX_PROVIDER_MESSAGE_CHARS)
    {
      char *end = g_utf8_offset_to_pointer (scrubbed, MAX_PROVIDER_MESSAGE_CHARS - 1);

      *end = '\0';
      g_strchomp (scrubbed);
      return g_strconcat (scrubbed, "…", NULL);
    }
  return g_steal_pointer (&scrubbed);
}

/* ------------------------------------------------------------------ */
/* "Did you mean …?"                                                    */

static gboolean
has_prefix_nocase (const char *str,
                   const char *prefix)
{
  return g_ascii_strncasecmp (str, prefix, strlen (prefix)) == 0;
}

/**
 * byok_dialect_suggest_model:
 * @model: the model id that was not found
 * @known_models: (nullable) (array zero-terminated=1): the provider's models
 *
 * Picks the known model @model was most likely meant to be: one that starts
 * with @model (the shortest), else one @model starts with (the longest),
 * else the closest by edit distance if it is close enough.
 *
 * Returns: (transfer full) (nullable): the suggestion, or NULL.
 */
char *
byok_dialect_suggest_model (const char         *model,
                            const char * const *known_models)
{
  const char *best = NULL;
  guint best_distance = G_MAXUINT;
  guint max_distance;

  if (model == NULL || *model == '\0' || known_models == NULL)
    return NULL;

  for (guint i = 0; known_models[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (known_models[i], model) == 0)
        return NULL;   /* it is known: the provider's list is out of date */
    }

  for (guint i = 0; known_models[i] != NULL; i++)
    {
      if (has_prefix_nocase (known_models[i], model) &&
          (best == NULL || strlen (known_models[i]) < strlen (best)))
        best = known_models[i];
    }
  if (best != NULL)
    return g_strdup (best);

  for (guint i = 0; known_models[i] != NULL; i++)
    {
      if (*known_models[i] != '\0' && has_prefix_nocase (model, known_models[i]) &&
          (best == NULL || strlen (known_models[i]) > strlen (best)))
        best = known_models[i];
    }
  if (best != NULL)
    return g_strdup (best);

  max_distance = MAX (2, strlen (model) / 3);
  for (guint i = 0; known_models[i] != NULL; i++)
    {
      guint distance = _byok_edit_distance (model, strlen (model), known_models[i], strlen (known_models[i]));

      if (distance < best_distance)
        {
          best_distance = distance;
          best = known_models[i];
        }
    }
  if (best != NULL && best_distance <= max_distance)
    return g_strdup (best);
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Retry-After                                                          */

/* Seconds as "33", "1.5", or a protobuf Duration "33s" / "0.250s". */
static gint64
parse_seconds (const char *str,
               gboolean    duration_suffix)
{
  g_autofree char *copy = NULL;
  char *end = NULL;
  double seconds;

  if (str == NULL)
    return -1;
  copy = g_strstrip (g_strdup (str));
  if (*copy == '\0' || !(g_ascii_isdigit (*copy) || *copy == '.'))
    return -1;

  seconds = g_ascii_strtod (copy, &end);
  if (duration_suffix && *end == 's')
    end++;
  if (*end != '\0' || seconds < 0 || seconds > 365.0 * 24 * 3600)
    return -1;
  return (gint64) (seconds * G_USEC_PER_SEC + 0.5);
}

/**
 * byok_dialect_parse_retry_after:
 * @retry_after: (nullable): the `Retry-After` header: seconds, or an HTTP date
 * @retry_after_ms: (nullable): the `retry-after-ms` header
 * @date_header: (nullable): the `Date` header, which an HTTP date in
 *   @retry_after is relative to (now when missing)
 *
 * Returns: how long the provider asks to wait, in microseconds (0 or more),
 *   or -1 when the headers say nothing usable. `retry-after-ms` wins.
 */
gint64
byok_dialect_parse_retry_after (const char *retry_after,
                                const char *retry_after_ms,
                                const char *date_header)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) base = NULL;
  g_autofree char *copy = NULL;
  gint64 us;

  us = parse_seconds (retry_after_ms, FALSE);
  if (us >= 0)
    return us / 1000;

  us = parse_seconds (retry_after, FALSE);
  if (us >= 0)
    return us;

  if (retry_after == NULL)
    return -1;

  copy = g_strstrip (g_strdup (retry_after));
  when = soup_date_time_new_from_http_string (copy);
  if (when == NULL)
    return -1;

  if (date_header != NULL)
    {
      g_autofree char *date_copy = g_strstrip (g_strdup (date_header));

      base = soup_date_time_new_from_http_string (date_copy);
    }
  if (base == NULL)
    base = g_date_time_new_now_utc ();

  return MAX (0, g_date_time_difference (when, base));
}

/* ------------------------------------------------------------------ */
/* Reading error bodies                                                 */

static void
error_info_read_json (ErrorInfo  *info,
                      JsonObject *root)
{
  JsonObject *error = byok_json_get_object (root, "error");
  JsonArray *details;

  info->retry_delay_us = -1;

  if (error == NULL)
    {
      const char *error_string = byok_json_get_string (root, "error");

      /* {"error": "model 'x' not found"} (Ollama and others) */
      if (error_string != NULL)
        {
          info->envelope = TRUE;
          info->message = g_strdup (error_string);
          return;
        }
      /* {"object": "error", "message": …} (Mistral), {"detail": …} */
      if (byok_json_get_string (root, "message") != NULL ||
          byok_json_get_string (root, "detail") != NULL)
        {
          info->envelope = TRUE;
          info->message = g_strdup (byok_json_get_string (root, "message"));
          if (info->message == NULL)
            info->message = g_strdup (byok_json_get_string (root, "detail"));
          if (g_strcmp0 (byok_json_get_string (root, "type"), "error") != 0)
            info->type = g_strdup (byok_json_get_string (root, "type"));
          info->code = byok_json_dup_scalar (root, "code");
        }
      return;
    }

  /* OpenAI {"error": {message, type, code}}, Anthropic {"type": "error",
   * "error": {type, message}}, Gemini {"error": {code, message, status,
   * details}} */
  info->envelope = TRUE;
  info->message = g_strdup (byok_json_get_string (error, "message"));
  info->type = g_strdup (byok_json_get_string (error, "type"));
  info->code = byok_json_dup_scalar (error, "code");
  info->status = g_strdup (byok_json_get_string (error, "status"));
  if (info->code == NULL)
    info->code = byok_json_dup_scalar (byok_json_get_object (error, "innererror"), "code");

  details = byok_json_get_array (error, "details");
  for (guint i = 0; details != NULL && i < json_array_get_length (details); i++)
    {
      JsonObject *detail = byok_json_array_get_object (details, i);
      const char *reason = byok_json_get_string (detail, "reason");
      gint64 delay = parse_seconds (byok_json_get_string (detail, "retryDelay"), TRUE);

      if (reason != NULL)
        {
          if (info->reasons == NULL)
            info->reasons = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (info->reasons, g_strdup (reason));
        }
      if (delay >= 0)
        info->retry_delay_us = delay;
    }
}

/* The <title> of an HTML page ("502 Bad Gateway"), or NULL. */
static char *
html_title (const char *body,
            gsize       len)
{
  g_autofree char *text = g_strndup (body, len);
  g_autofree char *lower = g_ascii_strdown (text, -1);
  const char *start = strstr (lower, "<title");
  const char *end;

  if (start == NULL || (start = strchr (start, '>')) == NULL)
    return NULL;
  start++;
  end = strstr (start, "</title");
  if (end == NULL)
    return NULL;
  return g_strndup (text + (start - lower), end - start);
}

static gboolean
body_is_html (const char *body,
              gsize       len)
{
  gsize i = 0;

  while (i < len && g_ascii_isspace (body[i]))
    i++;
  return i < len && body[i] == '<';
}

/* ------------------------------------------------------------------ */
/* Classifying                                                          */

static gboolean
contains_nocase (const char *haystack,
                 const char *needle)
{
  g_autofree char *lower = NULL;

  if (haystack == NULL)
    return FALSE;
  lower = g_ascii_strdown (haystack, -1);
  return strstr (lower, needle) != NULL;
}

static gboolean
is_one_of (const char         *value,
           const char * const *choices)
{
  if (value == NULL)
    return FALSE;
  for (guint i = 0; choices[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (value, choices[i]) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
type_or_code_is (const ErrorInfo    *info,
                 const char * const *choices)
{
  return is_one_of (info->type, choices) || is_one_of (info->code, choices);
}

static gboolean
has_reason (const ErrorInfo *info,
            const char      *reason)
{
  for (guint i = 0; info->reasons != NULL && i < info->reasons->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (info->reasons, i), reason))
        return TRUE;
    }
  return FALSE;
}

static ByokErrorCode
classify (guint            status,
          const ErrorInfo *info)
{
  static const char * const quota[] = {
    "insufficient_quota", "exceeded_current_quota_error", "billing_hard_limit_reached",
    "billing_not_active", "insufficient_balance", "1113", NULL
  };
  static const char * const auth[] = {
    "authentication_error", "permission_error", "invalid_api_key",
    "invalid_authentication_error", "PERMISSION_DENIED", "UNAUTHENTICATED", NULL
  };
  static const char * const context[] = {
    "context_length_exceeded", "request_too_large", "string_above_max_length", NULL
  };
  static const char * const filter[] = {
    "content_filter", "content_policy_violation", "1301", NULL
  };
  static const char * const not_found[] = {
    "model_not_found", "not_found_error", "resource_not_found_error", "NOT_FOUND",
    "DeploymentNotFound", "model_decommissioned", NULL
  };
  static const char * const rate[] = {
    "rate_limit_error", "rate_limit_exceeded", "RESOURCE_EXHAUSTED", "1302", "1303", NULL
  };
  static const char * const overloaded[] = {
    "overloaded_error", "UNAVAILABLE", "engine_overloaded_error", NULL
  };
  static const char * const server[] = {
    "api_error", "server_error", "INTERNAL", "internal_error", NULL
  };
  const char *message = info->message;
  gboolean client_side = status == 0 || (status >= 400 && status < 500);

  /* Gemini says a bad key with a 400. */
  if (has_reason (info, "API_KEY_INVALID") ||
      (status == 400 && contains_nocase (message, "api key not valid")))
    return BYOK_ERROR_AUTH;

  /* Billing, whatever the status: never retried. Google says it with a 403
   * PERMISSION_DENIED whose ErrorInfo reason is BILLING_DISABLED. */
  if (type_or_code_is (info, quota) || status == 402 || has_reason (info, "BILLING_DISABLED") ||
      (client_side && contains_nocase (message, "credit balance")))
    return BYOK_ERROR_QUOTA;

  if (status == 401 || status == 403 || type_or_code_is (info, auth))
    return BYOK_ERROR_AUTH;

  if (type_or_code_is (info, context) || status == 413 ||
      (client_side &&
       (contains_nocase (message, "prompt is too long") ||
        contains_nocase (message, "context length") ||
        contains_nocase (message, "context window") ||
        contains_nocase (message, "maximum number of tokens") ||
        contains_nocase (message, "exceeded model token limit"))))
    return BYOK_ERROR_CONTEXT_LENGTH;

  /* Anthropic: a 400 invalid_request_error "Output blocked by content
   * filtering policy". */
  if (type_or_code_is (info, filter) ||
      (client_side && contains_nocase (message, "content filtering policy")))
    return BYOK_ERROR_CONTENT_FILTER;

  if (status == 404 || type_or_code_is (info, not_found) ||
      (client_side && contains_nocase (message, "model not exist")))
    return BYOK_ERROR_NOT_FOUND;

  if (status == 429 || type_or_code_is (info, rate))
    return BYOK_ERROR_RATE_LIMIT;

  if (status == 503 || status == 529 || type_or_code_is (info, overloaded))
    return BYOK_ERROR_OVERLOADED;

  if (status == 408)
    return BYOK_ERROR_TIMEOUT;

  if (status >= 500 || type_or_code_is (info, server))
    return BYOK_ERROR_SERVER;

  if (status >= 400)
    return BYOK_ERROR_BAD_REQUEST;

  /* An error inside a 2xx answer or a stream that says nothing more:
   * the provider failed. */
  if (status == 0 || (status >= 200 && status < 300))
    return BYOK_ERROR_SERVER;

  /* 1xx, 3xx: not what an API answers. */
  return BYOK_ERROR_MALFORMED;
}

/* " (401)", or "" inside a stream, where there is no status of its own. */
static char *
status_suffix (guint status)
{
  if (status == 0 || (status >= 200 && status < 300))
    return g_strdup ("");
  return g_strdup_printf (" (%u)", status);
}

static char *
wait_sentence (gint64 retry_after_us)
{
  gint64 seconds;

  if (retry_after_us < 0)
    return NULL;

  seconds = (retry_after_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
  if (seconds < 120)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Try again in %d second.",
                                         "Try again in %d seconds.",
                                         (gulong) MAX (seconds, 1)),
                            (int) MAX (seconds, 1));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Try again in %d minute.",
                                       "Try again in %d minutes.",
                                       (gulong) ((seconds + 59) / 60)),
                          (int) ((seconds + 59) / 60));
}

static char *
build_message (ByokErrorCode           code,
               const ByokErrorContext *ctx,
               guint                   status,
               const char             *provider_message,
               gboolean                envelope,
               gboolean                html,
               gint64                  retry_after_us)
{
  const char *name = _byok_dialect_ctx_provider_name (ctx);
  const char *model = ctx != NULL ? ctx->model : NULL;
  const char *provider_id = ctx != NULL ? ctx->provider_id : NULL;
  g_autofree char *suffix = status_suffix (status);
  g_autofree char *headline = NULL;
  g_autofree char *advice = NULL;
  GString *message;

  switch (code)
    {
    case BYOK_ERROR_AUTH:
      /* Translators: the second %s is " (HTTP status)", e.g. " (401)", or empty */
      headline = g_strdup_printf (_("%s rejected the key%s."), name, suffix);
      if (ctx != NULL && ctx->checking_key)
        /* Where the key is being checked: what may be wrong with it. */
        advice = g_strdup (_("Check that it was copied whole and has not been revoked or expired."));
      else if (provider_id != NULL)
        /* Translators: keep `byok-cli keys test %s` as it is: it is a command */
        advice = g_strdup_printf (_("Check it in Providers, or run `byok-cli keys test %s`."),
                                  provider_id);
      else
        advice = g_strdup (_("Check it in Providers."));
      break;

    case BYOK_ERROR_QUOTA:
      /* Translators: the second %s is " (HTTP status)", e.g. " (429)", or empty */
      headline = g_strdup_printf (_("Your %s account is out of credit or over its quota%s."),
                                  name, suffix);
      advice = g_strdup (_("Add credit or raise the limit on the provider’s website; "
                           "trying again will not help."));
      break;

    case BYOK_ERROR_RATE_LIMIT:
      /* Translators: the second %s is " (HTTP status)", e.g. " (429)", or empty */
      headline = g_strdup_printf (_("%s is limiting how fast you can send requests%s."),
                                  name, suffix);
      advice = wait_sentence (retry_after_us);
      if (advice == NULL)
        advice = g_strdup (_("Wait a little and try again."));
      break;

    case BYOK_ERROR_NOT_FOUND:
      /* A 404 page without an error envelope is a wrong URL, not a model. */
      if (model != NULL && envelope && !html)
        {
          g_autofree char *suggestion = byok_dialect_suggest_model (model, ctx->known_models);

          if (suggestion != NULL)
            /* Translators: "Model “kimi-k2” was not found at Moonshot; did you mean kimi-k2-0905-preview?" */
            return g_strdup_printf (_("Model “%s” was not found at %s; did you mean %s?"),
                                    model, name, suggestion);
          /* Translators: the third %s is " (HTTP status)", e.g. " (404)", or empty */
          headline = g_strdup_printf (_("Model “%s” was not found at %s%s."), model, name, suffix);
          advice = g_strdup (_("Check the model id, or refresh the provider’s model list."));
        }
      else
        {
          /* Translators: the second %s is " (HTTP status)", e.g. " (404)", or empty */
          headline = g_strdup_printf (_("%s could not find what was asked for%s."), name, suffix);
          advice = g_strdup (_("Check the provider’s base URL and the model id."));
        }
      break;

    case BYOK_ERROR_CONTEXT_LENGTH:
      if (model != NULL)
        /* Translators: the third %s is " (HTTP status)", e.g. " (400)", or empty */
        headline = g_strdup_printf (_("The conversation is too long for %s at %s%s."),
                                    model, name, suffix);
      else
        /* Translators: the second %s is " (HTTP status)", e.g. " (400)", or empty */
        headline = g_strdup_printf (_("The conversation is too long for the model at %s%s."),
                                    name, suffix);
      advice = g_strdup (_("Start a new conversation or shorten this one, or pick a model "
                           "with a larger context window."));
      break;

    case BYOK_ERROR_CONTENT_FILTER:
      /* Translators: the second %s is " (HTTP status)", e.g. " (400)", or empty */
      headline = g_strdup_printf (_("%s’s content filter blocked the request%s."), name, suffix);
      advice = g_strdup (_("Rephrase the message, or try another model."));
      break;

    case BYOK_ERROR_OVERLOADED:
      /* Translators: the second %s is " (HTTP status)", e.g. " (529)", or empty */
      headline = g_strdup_printf (_("%s is overloaded right now%s."), name, suffix);
      advice = wait_sentence (retry_after_us);
      if (advice == NULL)
        advice = g_strdup (_("Try again in a moment, or pick another model."));
      break;

    case BYOK_ERROR_TIMEOUT:
      /* Translators: the second %s is " (HTTP status)", e.g. " (408)", or empty */
      headline = g_strdup_printf (_("%s gave up waiting for the request%s."), name, suffix);
      advice = g_strdup (_("Try again."));
      break;

    case BYOK_ERROR_SERVER:
      /* Translators: the second %s is " (HTTP status)", e.g. " (500)", or empty */
      headline = g_strdup_printf (_("%s had a server error%s."), name, suffix);
      advice = g_strdup (_("Try again later, or pick another provider."));
      break;

    case BYOK_ERROR_MALFORMED:
      /* Translators: the second %s is " (HTTP status)", e.g. " (302)", or empty */
      headline = g_strdup_printf (_("%s answered with an unexpected HTTP status%s."),
                                  name, suffix);
      advice = g_strdup (_("Check the provider’s base URL."));
      break;

    case BYOK_ERROR_BAD_REQUEST:
    default:
      /* Translators: the second %s is " (HTTP status)", e.g. " (400)", or empty */
      headline = g_strdup_printf (_("%s refused the request%s."), name, suffix);
      advice = g_strdup (_("A setting may not suit this model (temperature, maximum "
                           "tokens, reasoning): check them and try again."));
      break;
    }

  message = g_string_new (headline);
  if (advice != NULL)
    g_string_append_printf (message, " %s", advice);
  if (html)
    g_string_append_printf (message, " %s",
                            _("The answer was a web page, not JSON: a proxy may be in the way."));
  if (provider_message != NULL)
    {
      g_string_append_c (message, ' ');
      /* Translators: “Moonshot said: “Invalid Authentication”” */
      g_string_append_printf (message, _("%s said: “%s”"), name, provider_message);
    }
  return g_string_free (message, FALSE);
}

static GError *
classify_info (const ByokErrorContext *ctx,
               guint                   http_status,
               const ErrorInfo        *info,
               gboolean                html,
               const char             *raw_message,
               gint64                  retry_after_us)
{
  g_autofree char *provider_message = NULL;
  g_autofree char *text = NULL;
  guint status = http_status;
  gint64 code_status;
  ByokErrorCode code;

  /* Inside a 2xx answer or a stream, a numeric error code is the status the
   * provider meant (OpenRouter, Gemini). */
  if ((status == 0 || (status >= 200 && status < 300)) && info->code != NULL &&
      g_ascii_string_to_signed (info->code, 10, 400, 599, &code_status, NULL))
    status = (guint) code_status;

  code = classify (status, info);
  provider_message = clean_provider_message (ctx, info->message != NULL ? info->message : raw_message);
  text = build_message (code, ctx, status == http_status ? http_status : 0,
                        provider_message, info->envelope, html, retry_after_us);

  {
    /* The provider's words, as every other text from it: without the key. */
    g_autofree char *type = clean_provider_message (ctx, info->type);
    g_autofree char *error_code = clean_provider_message (ctx, info->code);
    g_autofree char *error_status = clean_provider_message (ctx, info->status);

    g_debug ("HTTP %u, type %s, code %s, status %s → %s", http_status,
             type ? type : "-", error_code ? error_code : "-",
             error_status ? error_status : "-", byok_error_code_to_string (code));
  }

  return g_error_new_literal (BYOK_ERROR, code, text);
}

/**
 * _byok_dialect_make_error:
 * @provider_message: (nullable): what the provider said, cleaned here
 *
 * An error of @code with the usual message, for a failure a dialect reads
 * from a stream without an error envelope (a finish reason that means the
 * provider failed, a blocked prompt).
 */
GError *
_byok_dialect_make_error (const ByokErrorContext *ctx,
                          ByokErrorCode           code,
                          const char             *provider_message)
{
  g_autofree char *cleaned = clean_provider_message (ctx, provider_message);
  g_autofree char *text = build_message (code, ctx, 0, cleaned, TRUE, FALSE, -1);

  return g_error_new_literal (BYOK_ERROR, code, text);
}

/**
 * _byok_dialect_error_from_json:
 * @http_status: the status, or 0 inside a stream or a 2xx body
 * @root: a parsed JSON object
 *
 * Returns: (transfer full) (nullable): the classified error if @root is an
 *   error envelope, else NULL.
 */
GError *
_byok_dialect_error_from_json (const ByokErrorContext *ctx,
                               guint                   http_status,
                               JsonObject             *root)
{
  g_auto(ErrorInfo) info = { 0, };
  JsonNode *error_node = json_object_get_member (root, "error");

  /* Only an "error" member that says something is an envelope: OpenAI-style
   * chunks may carry "error": null. */
  if (error_node == NULL || JSON_NODE_HOLDS_NULL (error_node))
    {
      if (g_strcmp0 (byok_json_get_string (root, "type"), "error") != 0)
        return NULL;
    }

  error_info_read_json (&info, root);
  if (!info.envelope)
    info.envelope = TRUE;

  return classify_info (ctx, http_status, &info, FALSE, NULL, info.retry_delay_us);
}

/**
 * byok_dialect_classify_error:
 * @self: (nullable): the dialect; the envelopes of all dialects are read
 *   whatever it is, since gateways forward other providers' errors
 * @ctx: (nullable): who was asked, for messages and "did you mean …?"
 * @http_status: the response status
 * @retry_after: (nullable): the `Retry-After` header
 * @retry_after_ms: (nullable): the `retry-after-ms` header
 * @date_header: (nullable): the `Date` header
 * @body: (nullable) (array length=body_len): the whole response body
 * @body_len: its length
 * @retry_after_us_out: (out) (optional): how long the provider asks to
 *   wait before a retry, in microseconds, or -1 when it did not say:
 *   `retry-after-ms`, else `Retry-After` (seconds or a date relative to
 *   `Date`), else Gemini's `RetryInfo.retryDelay` in the body
 *
 * Classifies a failed response. Call it for any non-2xx status, and for a
 * 2xx whose body is not what was expected (the result is then MALFORMED,
 * or the class of the error envelope it holds).
 *
 * The message names the provider, says what to do, quotes the provider's
 * own message (at most 200 characters) and never holds anything that looks
 * like a key.
 *
 * Returns: (transfer full): a new error in the %BYOK_ERROR domain.
 */
GError *
byok_dialect_classify_error (const ByokDialect      *self,
                             const ByokErrorContext *ctx,
                             guint                   http_status,
                             const char             *retry_after,
                             const char             *retry_after_ms,
                             const char             *date_header,
                             const char             *body,
                             gsize                   body_len,
                             gint64                 *retry_after_us_out)
{
  g_auto(ErrorInfo) info = { 0, };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *raw_message = NULL;
  g_autofree char *redacted = NULL;
  gboolean is_2xx = http_status >= 200 && http_status < 300;
  gboolean html = FALSE;
  gint64 retry_after_us;

  if (body == NULL)
    body_len = 0;

  /* The key out of the whole body first, so that no cut below can keep a
   * piece of it. */
  if (ctx != NULL && ctx->secret != NULL && body_len > 0)
    {
      redacted = byok_key_format_redact (body, body_len, ctx->secret, &body_len);
      body = redacted;
    }

  info.retry_delay_us = -1;
  if (body_len > 0 && g_utf8_validate_len (body, body_len, NULL))
    {
      html = body_is_html (body, body_len);
      if (html)
        raw_message = html_title (body, body_len);
      else
        {
          root = byok_json_parse (body, body_len, NULL);
          if (root == NULL)
            {
              const char *end = NULL;

              /* Cut at a character, not inside one: the body is valid UTF-8. */
              raw_message = g_strndup (body, MIN (body_len, 4 * MAX_PROVIDER_MESSAGE_CHARS));
              g_utf8_validate (raw_message, -1, &end);
              raw_message[end - raw_message] = '\0';
            }
        }
    }

  if (root != NULL)
    {
      JsonObject *object = NULL;

      if (JSON_NODE_HOLDS_OBJECT (root))
        object = json_node_get_object (root);
      else if (JSON_NODE_HOLDS_ARRAY (root))   /* Gemini without alt=sse */
        object = byok_json_array_get_object (json_node_get_array (root), 0);
      if (object != NULL)
        error_info_read_json (&info, object);
    }

  retry_after_us = byok_dialect_parse_retry_after (retry_after, retry_after_ms, date_header);
  if (retry_after_us < 0)
    retry_after_us = info.retry_delay_us;
  if (retry_after_us_out != NULL)
    *retry_after_us_out = retry_after_us;

  /* A 2xx that is not an error envelope is a body we cannot read. */
  if (is_2xx && !info.envelope)
    {
      GError *error = NULL;

      if (!byok_dialect_check_body_is_json (ctx, body, body_len, &error))
        return error;
      return g_error_new (BYOK_ERROR, BYOK_ERROR_MALFORMED,
                          _("%s sent an answer Byok does not understand. Check the "
                            "provider’s base URL and dialect."),
                          _byok_dialect_ctx_provider_name (ctx));
    }

  return classify_info (ctx, http_status, &info, html && !is_2xx, raw_message, retry_after_us);
}
