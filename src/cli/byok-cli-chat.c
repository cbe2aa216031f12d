/* byok-cli-chat.c — `byok-cli chat`: one prompt, the answer streamed to
 * stdout, a one-line summary (tokens, cost, timings, fallbacks) on stderr.
 * Every call is recorded through the engine. */
#define G_LOG_DOMAIN "byok-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "byok-attachment.h"
#include "byok-cli-chat-tools.h"
#include "byok-cli-commands.h"
#include "byok-cli-util.h"
#include "byok-engine.h"
#include "byok-error.h"
#include "byok-json.h"
#include "byok-price.h"

#define EXIT_INTERRUPTED 130

/* ---- the engine ----------------------------------------------------------- */

static void
preconnected_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  gboolean *done = user_data;

  byok_key_store_preconnect_finish (result);
  *done = TRUE;
}

/* The engine reads BYOK_BASE_URL_<PROVIDER> itself, as the app's does.
 * For a command that lists keys, its data (the database, the catalog's
 * providers) is read in a thread while this one connects to the keyring:
 * the listing then waits for neither. */
ByokEngine *
byok_cli_open_engine (ByokCliKeyring   keyring,
                      GError         **error)
{
  ByokEngineOpening *opening;
  gboolean connected = FALSE;

  if (keyring == BYOK_CLI_KEYRING_NONE)
    return byok_engine_new (NULL, error);

  /* A listing of providers or keys shows no model, nor any price. */
  opening = byok_engine_open_in_thread_full (NULL, BYOK_ENGINE_OPEN_PROVIDERS_ONLY);
  byok_key_store_preconnect_async (keyring == BYOK_CLI_KEYRING_SECRETS, NULL, preconnected_cb, &connected);
  while (!connected)
    g_main_context_iteration (NULL, TRUE);
  return byok_engine_open_finish (opening, error);
}

/* ---- output --------------------------------------------------------------- */

typedef struct {
  gboolean         json;
  gboolean         show_reasoning;
  gboolean         dim;            /* stderr is a terminal */
  gboolean         in_reasoning;   /* the last thing printed was reasoning */
  gboolean         printed_text;
  gboolean         text_ends_in_newline;

  /* A wait before a retry, counted down on a terminal. */
  ByokRetryNotice *retry;
  gint64           retry_deadline_us;  /* monotonic */
  guint            countdown_id;
  gboolean         in_countdown;       /* the last line on stderr is the countdown's */
} Output;

/* The countdown line ends (the retry started, text came, the call ended). */
static void
end_countdown (Output *out)
{
  g_clear_handle_id (&out->countdown_id, g_source_remove);
  if (out->in_countdown)
    {
      fputs ("\n", stderr);
      fflush (stderr);
      out->in_countdown = FALSE;
    }
}

static void
print_retry (Output *out)
{
  gint64 left = out->retry_deadline_us - g_get_monotonic_time ();
  g_autofree char *line = byok_retry_notice_describe (out->retry, left);

  if (out->dim)
    {
      /* The same line, rewritten each second. */
      fprintf (stderr, "\r\033[Kbyok-cli: %s", line);
      out->in_countdown = TRUE;
    }
  else
    fprintf (stderr, "byok-cli: %s\n", line);
  fflush (stderr);
}

static gboolean
countdown_tick (gpointer data)
{
  Output *out = data;

  print_retry (out);
  if (out->retry_deadline_us - g_get_monotonic_time () > 0)
    return G_SOURCE_CONTINUE;
  out->countdown_id = 0;
  return G_SOURCE_REMOVE;
}

/* Says what is happening while the client waits to try again: "Rate
 * limited by OpenAI — trying again in 18 s, attempt 2 of 3"; on a terminal
 * it counts down. */
static void
on_retrying (ByokChatCall          *call,
             const ByokRetryNotice *notice,
             Output                *out)
{
  end_countdown (out);
  if (out->in_reasoning)
    {
      fputs ("\n", stderr);
      out->in_reasoning = FALSE;
    }
  byok_retry_notice_free (out->retry);
  out->retry = byok_retry_notice_copy (notice);
  out->retry_deadline_us = g_get_monotonic_time () + notice->wait_us;
  print_retry (out);
  if (out->dim)
    out->countdown_id = g_timeout_add_seconds (1, countdown_tick, out);
}

static void
on_delta (ByokChatCall *call,
          const char   *text,
          Output       *out)
{
  gsize len = strlen (text);

  end_countdown (out);
  if (out->json || len == 0)
    return;
  if (out->in_reasoning)
    {
      fputs ("\n", stderr);
      fflush (stderr);
      out->in_reasoning = FALSE;
    }
  fwrite (text, 1, len, stdout);
  fflush (stdout);
  out->printed_text = TRUE;
  out->text_ends_in_newline = text[len - 1] == '\n';
}

static void
on_reasoning_delta (ByokChatCall *call,
                    const char   *text,
                    Output       *out)
{
  end_countdown (out);
  if (out->json || !out->show_reasoning)
    return;
  if (out->dim)
    fprintf (stderr, "\033[2m%s\033[0m", text);
  else
    fputs (text, stderr);
  fflush (stderr);
  out->in_reasoning = TRUE;
}

static gboolean
on_sigint (gpointer data)
{
  GCancellable *cancellable = data;

  g_cancellable_cancel (cancellable);
  return G_SOURCE_CONTINUE;
}

static char *
format_cost (double cost,
             gboolean known)
{
  if (!known)
    return g_strdup (_("cost unknown"));
  if (cost == 0)
    return g_strdup ("$0");
  if (cost < 0.01)
    return g_strdup_printf ("$%.6f", cost);
  return g_strdup_printf ("$%.4f", cost);
}

static char *
format_seconds (gint64 us)
{
  return g_strdup_printf (_("%.2f s"), us / (double) G_USEC_PER_SEC);
}

static const char *
provider_name (ByokEngine *engine,
               const char *provider_id)
{
  ByokProvider *provider = byok_catalog_lookup_provider (byok_engine_get_catalog (engine), provider_id);

  return provider != NULL ? byok_provider_get_name (provider) : provider_id;
}

/* "OpenAI 429 → answered by Moonshot AI (Kimi)", "OpenAI 503 ×2 → retried",
 * or NULL when the first attempt answered. */
static char *
describe_attempts (ByokEngine     *engine,
                   ByokChatResult *result)
{
  GString *out;
  ByokAttempt *first;
  guint n_failed = 0;

  if (result->attempts->len < 2)
    return NULL;

  out = g_string_new (NULL);
  for (guint i = 0; i < result->attempts->len; i++)
    {
      ByokAttempt *attempt = g_ptr_array_index (result->attempts, i);
      ByokAttempt *next = i + 1 < result->attempts->len ? g_ptr_array_index (result->attempts, i + 1) : NULL;
      g_autofree char *what = NULL;
      guint repeats = 1;

      if (attempt->error == NULL)
        continue;
      /* Fold retries that failed the same way. */
      while (next != NULL && next->error != NULL && next->is_retry &&
             g_strcmp0 (next->provider_id, attempt->provider_id) == 0 &&
             next->http_status == attempt->http_status &&
             g_strcmp0 (byok_error_get_class (next->error), byok_error_get_class (attempt->error)) == 0)
        {
          repeats++;
          i++;
          next = i + 1 < result->attempts->len ? g_ptr_array_index (result->attempts, i + 1) : NULL;
        }
      if (attempt->http_status != 0)
        what = g_strdup_printf ("%u", attempt->http_status);
      else
        what = g_strdup (byok_error_get_class (attempt->error));
      if (n_failed++ > 0)
        g_string_append (out, ", ");
      g_string_append_printf (out, "%s %s", provider_name (engine, attempt->provider_id), what);
      if (repeats > 1)
        g_string_append_printf (out, " ×%u", repeats);
    }

  first = g_ptr_array_index (result->attempts, 0);
  if (result->error == NULL)
    {
      if (g_strcmp0 (first->provider_id, result->provider_id) != 0)
        /* Translators: %s is a provider's name */
        g_string_append_printf (out, _(" → answered by %s"), provider_name (engine, result->provider_id));
      else if (g_strcmp0 (first->model, result->model) != 0)
        /* Translators: %s is a model */
        g_string_append_printf (out, _(" → answered by %s"), result->model);
      else
        g_string_append (out, _(" → answered on retry"));
    }
  return g_string_free (out, FALSE);
}

static void
print_summary (ByokEngine     *engine,
               ByokChatResult *result)
{
  GString *line = g_string_new (NULL);
  g_autofree char *cost = NULL;
  g_autofree char *attempts = describe_attempts (engine, result);
  gboolean known = result->cost_known;
  double total = result->cost_usd;
  gboolean got_answer = FALSE;
  gboolean reached = FALSE;

  for (guint i = 0; i < result->attempts->len; i++)
    {
      ByokAttempt *attempt = g_ptr_array_index (result->attempts, i);

      reached |= attempt->http_status != 0;
      got_answer |= attempt->http_status >= 200 && attempt->http_status < 300;
    }
  /* Nothing was asked of any provider (no key, a bad argument): the error
   * says it all. */
  if (!reached && result->attempts->len <= 1)
    {
      g_string_free (line, TRUE);
      return;
    }

  g_string_append_printf (line, "%s/%s", result->provider_id, result->model);
  if (result->usage.reported || result->usage.estimated)
    {
      g_string_append (line, " · ");
      if (result->usage.estimated)
        /* Translators: token counts Byok estimated because the provider
         * reported none: "≈120 in / 300 out" */
        g_string_append_printf (line, _("≈%lld in / %lld out (estimated)"),
                                (long long) result->usage.input_tokens,
                                (long long) result->usage.output_tokens);
      else if (result->usage.cached_input_tokens > 0)
        /* Translators: token counts: prompt tokens, the cached part of them, generated tokens */
        g_string_append_printf (line, _("%lld in (%lld cached) / %lld out"),
                                (long long) result->usage.input_tokens,
                                (long long) result->usage.cached_input_tokens,
                                (long long) result->usage.output_tokens);
      else
        /* Translators: token counts: prompt tokens, generated tokens */
        g_string_append_printf (line, _("%lld in / %lld out"),
                                (long long) result->usage.input_tokens,
                                (long long) result->usage.output_tokens);
    }
  else if (got_answer)
    g_string_append_printf (line, " · %s", _("tokens not reported"));

  cost = format_cost (total, known);
  g_string_append_printf (line, result->usage.estimated && known ? " · ≈%s" : " · %s", cost);
  if (isfinite (result->reported_cost_usd))
    {
      g_autofree char *billed = format_cost (result->reported_cost_usd, TRUE);

      /* Translators: what the provider said it billed, beside Byok's price ("billed $0.004200") */
      g_string_append_printf (line, _(" · billed %s"), billed);
    }
  if (result->ttft_us >= 0)
    {
      g_autofree char *ttft = format_seconds (result->ttft_us);

      /* Translators: the time to the first token of the answer */
      g_string_append_printf (line, _(" · first token %s"), ttft);
    }
  if (result->latency_us >= 0)
    {
      g_autofree char *latency = format_seconds (result->latency_us);

      g_string_append_printf (line, " · %s", latency);
    }
  if (attempts != NULL)
    g_string_append_printf (line, " · %s", attempts);

  g_printerr ("%s\n", line->str);
  g_string_free (line, TRUE);

  if (known && byok_price_cost_differs (total, result->reported_cost_usd))
    {
      g_autofree char *billed = format_cost (result->reported_cost_usd, TRUE);

      /* Translators: the provider's bill and Byok's price of the call
       * differ by more than a cent or 1 %: "warning: OpenRouter billed
       * $0.004200; Byok's price gives $0.003100. Check the price: byok-cli
       * pricing set …" */
      g_printerr (_("warning: %s billed %s; Byok’s price gives %s. Check the model’s price (byok-cli pricing)."),
                  provider_name (engine, result->provider_id), billed, cost);
      g_printerr ("\n");
    }
}

static void
add_ms_member (JsonBuilder *builder,
               const char  *name,
               gint64       us)
{
  json_builder_set_member_name (builder, name);
  if (us >= 0)
    json_builder_add_int_value (builder, (us + 500) / 1000);
  else
    json_builder_add_null_value (builder);
}

/* "cost_usd" (Byok's price), "reported_cost_usd" (what the provider
 * said it billed, or null) and "cost_differs" (by more than a cent or
 * 1 %: byok_price_cost_differs()). */
static void
add_cost_member (JsonBuilder *builder,
                 double       cost,
                 gboolean     known,
                 double       reported)
{
  json_builder_set_member_name (builder, "cost_usd");
  if (known && !isnan (cost))
    json_builder_add_double_value (builder, cost);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "reported_cost_usd");
  if (isfinite (reported))
    json_builder_add_double_value (builder, reported);
  else
    json_builder_add_null_value (builder);
  byok_json_builder_add_boolean (builder, "cost_differs", known && byok_price_cost_differs (cost, reported));
}

static void
add_usage_member (JsonBuilder     *builder,
                  const ByokUsage *usage)
{
  json_builder_set_member_name (builder, "usage");
  json_builder_begin_object (builder);
  byok_json_builder_add_int (builder, "input_tokens", usage->input_tokens);
  byok_json_builder_add_int (builder, "cached_input_tokens", usage->cached_input_tokens);
  byok_json_builder_add_int (builder, "cache_write_tokens", usage->cache_write_tokens);
  byok_json_builder_add_int (builder, "output_tokens", usage->output_tokens);
  byok_json_builder_add_int (builder, "reasoning_tokens", usage->reasoning_tokens);
  byok_json_builder_add_boolean (builder, "reported", usage->reported);
  byok_json_builder_add_boolean (builder, "estimated", usage->estimated);
  json_builder_end_object (builder);
}

static void
add_status_member (JsonBuilder *builder,
                   guint        http_status)
{
  json_builder_set_member_name (builder, "http_status");
  if (http_status != 0)
    json_builder_add_int_value (builder, http_status);
  else
    json_builder_add_null_value (builder);
}

/* Seconds, whole when they are whole (Retry-After: 30), or null. */
static void
add_retry_after_member (JsonBuilder *builder,
                        gint64       retry_after_us)
{
  json_builder_set_member_name (builder, "retry_after_s");
  if (retry_after_us < 0)
    json_builder_add_null_value (builder);
  else if (retry_after_us % G_USEC_PER_SEC == 0)
    json_builder_add_int_value (builder, retry_after_us / G_USEC_PER_SEC);
  else
    json_builder_add_double_value (builder, retry_after_us / (double) G_USEC_PER_SEC);
}

/* "error": null, or {"class", "message", "http_status", "retry_after_s"} */
static void
add_error_member (JsonBuilder  *builder,
                  const GError *error,
                  guint         http_status,
                  gint64        retry_after_us)
{
  const char *class;

  json_builder_set_member_name (builder, "error");
  if (error == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  class = byok_error_get_status (error);
  json_builder_begin_object (builder);
  byok_json_builder_add_string (builder, "class", class);
  byok_json_builder_add_string (builder, "message", error->message);
  add_status_member (builder, http_status);
  add_retry_after_member (builder, retry_after_us);
  json_builder_end_object (builder);
}

/* "attachments": what was sent with the prompt, as Byok made it:
 * [{"name", "kind", "mime_type", "bytes", "width", "height", "pages",
 *   "tokens", "text_layer"}]; a text file's bytes are its text's. */
static void
add_attachments_member (JsonBuilder *builder,
                        GPtrArray   *attachments)
{
  json_builder_set_member_name (builder, "attachments");
  json_builder_begin_array (builder);
  for (guint i = 0; attachments != NULL && i < attachments->len; i++)
    {
      ByokAttachment *attachment = g_ptr_array_index (attachments, i);
      gint64 size = attachment->data != NULL ? (gint64) g_bytes_get_size (attachment->data)
                                             : (gint64) strlen (attachment->text);

      json_builder_begin_object (builder);
      byok_json_builder_add_string_or_null (builder, "name", attachment->name);
      byok_json_builder_add_string_or_null (builder, "kind", byok_attachment_kind_to_string (attachment->kind));
      byok_json_builder_add_string_or_null (builder, "mime_type", attachment->mime_type);
      byok_json_builder_add_int (builder, "bytes", size);
      if (attachment->kind == BYOK_ATTACHMENT_IMAGE)
        {
          byok_json_builder_add_int (builder, "width", attachment->width);
          byok_json_builder_add_int (builder, "height", attachment->height);
        }
      if (attachment->kind == BYOK_ATTACHMENT_PDF)
        byok_json_builder_add_int (builder, "pages", attachment->pages);
      byok_json_builder_add_int (builder, "tokens", attachment->tokens);
      byok_json_builder_add_boolean (builder, "text_layer", byok_attachment_has_text_layer (attachment));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
print_json (ByokEngine        *engine,
            ByokMcpToolRunner *tools,
            ByokChatResult    *result,
            GPtrArray         *attachments)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  ByokAttempt *last = NULL;

  if (result->attempts->len > 0)
    last = g_ptr_array_index (result->attempts, result->attempts->len - 1);

  json_builder_begin_object (builder);
  byok_json_builder_add_string_or_null (builder, "provider", result->provider_id);
  byok_json_builder_add_string_or_null (builder, "model", result->model);
  byok_json_builder_add_string_or_null (builder, "response_model", result->response_model);
  byok_json_builder_add_string (builder, "text", result->text->str);
  byok_json_builder_add_string (builder, "reasoning", result->reasoning->str);
  byok_json_builder_add_string_or_null (builder, "finish_reason", byok_finish_reason_to_string (result->finish_reason));
  add_usage_member (builder, &result->usage);
  add_cost_member (builder, result->cost_usd, result->cost_known, result->reported_cost_usd);
  add_ms_member (builder, "latency_ms", result->latency_us);
  add_ms_member (builder, "ttft_ms", result->ttft_us);
  add_attachments_member (builder, attachments);

  json_builder_set_member_name (builder, "attempts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->attempts->len; i++)
    {
      ByokAttempt *attempt = g_ptr_array_index (result->attempts, i);
      const char *status = byok_error_get_status (attempt->error);

      json_builder_begin_object (builder);
      byok_json_builder_add_string_or_null (builder, "provider", attempt->provider_id);
      byok_json_builder_add_string_or_null (builder, "model", attempt->model);
      add_status_member (builder, attempt->http_status);
      byok_json_builder_add_string (builder, "status", status);
      byok_json_builder_add_boolean (builder, "is_retry", attempt->is_retry);
      byok_json_builder_add_boolean (builder, "is_fallback", attempt->is_fallback);
      add_ms_member (builder, "ttft_ms", attempt->ttft_us);
      add_ms_member (builder, "latency_ms", attempt->latency_us);
      add_usage_member (builder, &attempt->usage);
      add_cost_member (builder, attempt->cost_usd, attempt->cost_known,
                       attempt->usage.cost_reported ? attempt->usage.reported_cost_usd : NAN);
      add_error_member (builder, attempt->error, attempt->http_status, attempt->retry_after_us);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  /* The call's error is its last attempt's (or a cancel, a budget stop). */
  add_error_member (builder, result->error,
                    last != NULL && last->error != NULL && result->error != NULL &&
                    g_error_matches (result->error, last->error->domain, last->error->code)
                      ? last->http_status : 0,
                    result->retry_after_us);
  if (tools != NULL)
    {
      byok_json_builder_add_int (builder, "steps", result->steps);
      byok_cli_chat_tools_add_json (tools, builder, result);
    }
  json_builder_end_object (builder);
  byok_cli_print_builder (builder);
}

/* ---- the command ---------------------------------------------------------- */

/* After a STORAGE error: nothing was sent; how to send anyway. */
static void
print_no_record_hint (void)
{
  g_printerr (_("byok-cli: nothing was sent. To send it without recording it, pass --no-record.\n"));
}

static char *
read_stdin (void)
{
  GString *text = g_string_new (NULL);
  char buffer[4096];
  size_t n;

  if (isatty (STDIN_FILENO))
    g_printerr (_("Type the prompt, then press Ctrl+D.\n"));
  while ((n = fread (buffer, 1, sizeof buffer, stdin)) > 0)
    g_string_append_len (text, buffer, n);
  return g_string_free (text, FALSE);
}

static gboolean
is_provider (ByokEngine *engine,
             const char *provider_id)
{
  return byok_catalog_lookup_provider (byok_engine_get_catalog (engine), provider_id) != NULL &&
         !g_str_equal (provider_id, BYOK_CATALOG_CUSTOM_TEMPLATE_ID);
}

/* A (provider, model) pair from "PROVIDER:MODEL", "PROVIDER/MODEL" or a model
 * the catalog knows. The model keeps any ":" or "/" of its own
 * ("ollama:llama3:8b", "openrouter/openai/gpt-4o"). */
static gboolean
parse_pair (ByokEngine  *engine,
            const char  *text,
            char       **provider_id,
            char       **model,
            GError     **error)
{
  const char *colon = strchr (text, ':');
  const char *slash = strchr (text, '/');

  if (colon != NULL && colon != text && colon[1] != '\0' && (slash == NULL || colon < slash))
    {
      g_autofree char *prefix = g_strndup (text, colon - text);

      if (is_provider (engine, prefix))
        {
          *provider_id = g_steal_pointer (&prefix);
          *model = g_strdup (colon + 1);
          return TRUE;
        }
    }
  return byok_client_parse_target (byok_engine_get_client (engine), text, provider_id, model, error);
}

/* The --fallback values (each comma-separated) as "PROVIDER/MODEL" strings
 * for the engine; NULL with @error when one names no known provider. */
static GStrv
parse_fallbacks (ByokEngine  *engine,
                 char       **values,
                 GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (values[i], ",", -1);

      for (guint j = 0; parts[j] != NULL; j++)
        {
          g_autofree char *provider_id = NULL;
          g_autofree char *model = NULL;
          g_autofree char *pair = NULL;

          g_strstrip (parts[j]);
          if (*parts[j] == '\0')
            continue;
          if (!parse_pair (engine, parts[j], &provider_id, &model, error))
            return NULL;
          pair = g_strdup_printf ("%s/%s", provider_id, model);
          g_strv_builder_add (builder, pair);
        }
    }
  return g_strv_builder_end (builder);
}

/* A number in [min, max] from an option's text, or FALSE. */
static gboolean
parse_double_option (const char *text,
                     double      min,
                     double      max,
                     double     *value)
{
  char *end = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  *value = g_ascii_strtod (text, &end);
  while (end != NULL && g_ascii_isspace (*end))
    end++;
  return end != NULL && *end == '\0' && isfinite (*value) && *value >= min && *value <= max;
}

/* Says on stderr what of --temperature and --effort the model does not
 * take as asked; the call goes out without it (byok_request_fit()). */
static void
warn_about_params (ByokEngine      *engine,
                   ByokChatRequest *request,
                   const char      *provider_id,
                   ByokModel       *model)
{
  ByokProvider *provider = byok_catalog_lookup_provider (byok_engine_get_catalog (engine), provider_id);
  const char *dialect = provider != NULL ? byok_provider_get_dialect_name (provider) : NULL;
  const char *name = request->model;
  ByokModelParams params;
  ByokRequestFit fit;

  byok_model_get_params (model, dialect, &params);
  byok_request_fit (request, model, dialect, &fit);
  switch (fit.temperature_fate)
    {
    case BYOK_TEMPERATURE_NOT_TAKEN:
      g_printerr (_("byok-cli: %s takes no temperature; it is sent without one\n"), name);
      break;
    case BYOK_TEMPERATURE_NOT_WHILE_REASONING:
      g_printerr (_("byok-cli: %s takes no temperature while it reasons; it is sent without one\n"), name);
      break;
    case BYOK_TEMPERATURE_CLAMPED:
      g_printerr (_("byok-cli: %s takes a temperature from %g to %g; %g is sent\n"),
                  name, params.temperature_min, params.temperature_max, fit.temperature);
      break;
    case BYOK_TEMPERATURE_UNSET:
    case BYOK_TEMPERATURE_SENT:
    default:
      break;
    }

  if (request->effort == BYOK_EFFORT_DEFAULT)
    return;
  if (fit.effort == 0)
    g_printerr (_("byok-cli: %s has no reasoning effort to set; --effort is left out\n"), name);
  else if (g_strcmp0 (byok_effort_level_to_string (fit.effort), byok_effort_to_string (request->effort)) != 0)
    /* Translators: the second and third %s are effort levels as the API names them ("medium", "high") */
    g_printerr (_("byok-cli: %s has no “%s” effort; “%s” is sent\n"), name,
                byok_effort_to_string (request->effort), byok_effort_level_to_string (fit.effort));
}

/* Each --attach FILE, read and made ready as the app does (an image
 * fitted, a PDF's text read): NULL with @error (BYOK_ERROR_INVALID) for a
 * file Byok cannot read or use. */
static GPtrArray *
load_attachments (char   **paths,
                  GError **error)
{
  g_autoptr(GPtrArray) attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_attachment_free);

  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (paths[i]);
      g_autofree char *name = g_filename_display_basename (paths[i]);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GFileInfo) info = NULL;
      g_autoptr(GError) local_error = NULL;
      ByokAttachment *attachment;

      info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, NULL);
      if (info != NULL && g_file_info_get_size (info) > BYOK_ATTACHMENT_MAX_BYTES)
        {
          g_autofree char *limit = g_format_size (BYOK_ATTACHMENT_MAX_BYTES);

          g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                       _("“%s” is larger than %s, more than any model can read at once"), name, limit);
          return NULL;
        }
      bytes = g_file_load_bytes (file, NULL, NULL, &local_error);
      if (bytes == NULL)
        {
          g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID, _("Could not read “%s”: %s"),
                       name, local_error->message);
          return NULL;
        }
      attachment = byok_attachment_new_from_bytes (name, bytes, error);
      if (attachment == NULL)
        return NULL;
      g_ptr_array_add (attachments, attachment);
    }
  return g_steal_pointer (&attachments);
}

int
byok_cli_chat (int    argc,
               char **argv)
{
  g_autofree char *provider_arg = NULL;
  g_autofree char *model_arg = NULL;
  g_autofree char *system = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *temperature_arg = NULL;
  g_autofree char *effort_arg = NULL;
  ByokEffort effort = BYOK_EFFORT_DEFAULT;
  g_auto(GStrv) fallback_args = NULL;
  g_auto(GStrv) attach_args = NULL;
  double temperature = -1;
  gint64 max_tokens = G_MININT64;
  int retries = G_MININT;
  gboolean no_stream = FALSE;
  gboolean reasoning = FALSE;
  gboolean json = FALSE;
  gboolean over_budget = FALSE;
  gboolean allow_http = FALSE;
  gboolean no_record = FALSE;
  gboolean tools = FALSE;
  gboolean yes = FALSE;
  const GOptionEntry entries[] = {
    { "provider", 'p', 0, G_OPTION_ARG_STRING, &provider_arg,
      N_("The provider (see “byok-cli providers”)"), N_("PROVIDER") },
    { "model", 'm', 0, G_OPTION_ARG_STRING, &model_arg,
      N_("The model; without -p, as PROVIDER/MODEL or a model the catalog knows"), N_("MODEL") },
    { "system", 0, 0, G_OPTION_ARG_STRING, &system, N_("A system prompt"), N_("TEXT") },
    { "temperature", 0, 0, G_OPTION_ARG_STRING, &temperature_arg,
      N_("Sampling temperature, 0 to 2; sent only to a model that takes one, in its range (Anthropic: 0 to 1)"),
      N_("T") },
    { "effort", 0, 0, G_OPTION_ARG_STRING, &effort_arg,
      N_("How much a reasoning model thinks: low, medium or high"), N_("EFFORT") },
    { "max-tokens", 0, 0, G_OPTION_ARG_INT64, &max_tokens, N_("The most tokens to generate"), N_("N") },
    { "attach", 'a', 0, G_OPTION_ARG_FILENAME_ARRAY, &attach_args,
      N_("Send a file with the prompt: UTF-8 text, an image (PNG, JPEG, WebP, GIF) or a PDF; "
         "repeat it for more files"), N_("FILE") },
    { "fallback", 0, 0, G_OPTION_ARG_STRING_ARRAY, &fallback_args,
      N_("Provider and model pairs to try in order when the call fails, comma-separated"), N_("P:M,P:M") },
    { "retries", 0, 0, G_OPTION_ARG_INT, &retries,
      N_("How many times a failing call may be retried (default 2; 0 for none)"), N_("N") },
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &base_url,
      N_("Use this base URL for the provider, for this call only"), N_("URL") },
    { "no-stream", 0, 0, G_OPTION_ARG_NONE, &no_stream, N_("Wait for the whole answer"), NULL },
    { "reasoning", 0, 0, G_OPTION_ARG_NONE, &reasoning,
      N_("Ask the model to think, and show its reasoning on stderr"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object at the end"), NULL },
    BYOK_CLI_ALLOW_HTTP_ENTRY (&allow_http),
    { "over-budget", 0, 0, G_OPTION_ARG_NONE, &over_budget,
      N_("Send this one call even if a monthly budget with a hard stop is used up "
         "(confirms once, for this call and its fallbacks; the budget stays as it is)"), NULL },
    { "tools", 0, 0, G_OPTION_ARG_NONE, &tools,
      N_("Offer the model the tools of every enabled MCP server (see “byok-cli mcp”); "
         "each call is asked about on the terminal first"), NULL },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes,
      N_("With --tools: run every tool the model calls without asking"), NULL },
    { "no-record", 0, 0, G_OPTION_ARG_NONE, &no_record,
      N_("Send the call without writing it to the usage database (it will be in no report "
         "or budget); also when the database cannot be written"), NULL },
    { NULL }
  };
  g_autoptr(ByokEngine) engine = NULL;
  g_autoptr(ByokMcpToolRunner) runner = NULL;
  g_autoptr(ByokChatRequest) request = NULL;
  g_autoptr(ByokChatCall) call = NULL;
  g_autoptr(ByokChatResult) result = NULL;
  g_autoptr(GAsyncResult) async = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *provider_id = NULL;
  g_autofree char *model = NULL;
  g_autofree char *prompt = NULL;
  g_autofree char *composed = NULL;
  g_autoptr(GPtrArray) attachments = NULL;
  g_autoptr(GPtrArray) media = NULL;
  g_auto(GStrv) fallbacks = NULL;
  ByokModel *catalog_model;
  Output out = { 0, };
  guint sigint_id;
  int status;

  if (!byok_cli_parse_options (&argc, &argv, N_("[PROMPT…|-]"),
                               _("Send a prompt and stream the answer to stdout; a summary of tokens, "
                                 "cost and timings goes to stderr. Without PROMPT, or with “-”, the "
                                 "prompt is read from stdin. Exit status: 0 on success, 1 when the "
                                 "provider or the network failed, 2 on bad usage or a file that "
                                 "cannot be attached."),
                               entries, &status))
    return status;
  if (model_arg == NULL || *model_arg == '\0')
    return byok_cli_usage_error ("chat", _("choose a model with -p PROVIDER -m MODEL, or -m PROVIDER/MODEL"));
  if (provider_arg != NULL && *provider_arg == '\0')
    return byok_cli_usage_error ("chat", _("-p needs a provider"));
  if (max_tokens != G_MININT64 && max_tokens <= 0)
    return byok_cli_usage_error ("chat", _("--max-tokens must be a positive number"));
  if (max_tokens == G_MININT64)
    max_tokens = 0;
  if (temperature_arg != NULL && !parse_double_option (temperature_arg, 0, 2, &temperature))
    return byok_cli_usage_error ("chat", _("--temperature must be a number between 0 and 2"));
  if (effort_arg != NULL &&
      (!byok_effort_from_string (effort_arg, &effort) || effort == BYOK_EFFORT_DEFAULT))
    return byok_cli_usage_error ("chat", _("--effort must be low, medium or high"));
  if (retries != G_MININT && (retries < 0 || retries > 99))
    return byok_cli_usage_error ("chat", _("--retries must be a number from 0 to 99"));
  if (retries == G_MININT)
    retries = 2;
  if (yes && !tools)
    return byok_cli_usage_error ("chat", _("--yes goes with --tools"));
  if (base_url != NULL && !byok_provider_url_is_http (base_url))
    return byok_cli_usage_error ("chat", _("--base-url must be an http:// or https:// URL"));

  /* "--" ends the options; the prompt follows. */
  if (argc > 1 && g_str_equal (argv[1], "--"))
    {
      argv++;
      argc--;
    }
  if (argc == 2 && g_str_equal (argv[1], "-"))
    prompt = read_stdin ();
  else if (argc > 1)
    {
      for (int i = 1; i < argc; i++)
        if (g_str_equal (argv[i], "-"))
          return byok_cli_usage_error ("chat", _("“-” reads the prompt from stdin: give it alone"));
      prompt = g_strjoinv (" ", argv + 1);
    }
  else
    prompt = read_stdin ();
  if (prompt == NULL || (*g_strstrip (prompt) == '\0' && attach_args == NULL))
    return byok_cli_usage_error ("chat", _("there is no prompt: give it as arguments or on stdin"));
  if (!g_utf8_validate (prompt, -1, NULL))
    return byok_cli_usage_error ("chat", _("the prompt is not valid UTF-8"));

  /* The same checks as the app's: nothing is sent when a file is refused. */
  attachments = load_attachments (attach_args, &error);
  if (attachments == NULL)
    {
      byok_cli_fail (error);
      return BYOK_CLI_EXIT_USAGE;
    }
  composed = byok_attachments_compose_text_files (attachments, prompt);
  media = byok_attachments_get_media (attachments);

  engine = byok_cli_open_engine (BYOK_CLI_KEYRING_NONE, &error);
  if (engine == NULL && no_record && g_error_matches (error, BYOK_ERROR, BYOK_ERROR_STORAGE))
    {
      g_printerr (_("byok-cli: %s\nbyok-cli: --no-record: sending without the database, so without "
                    "your prices, budgets, custom providers and provider settings.\n"), error->message);
      g_clear_error (&error);
      engine = byok_engine_new (":memory:", &error);
    }
  if (engine == NULL)
    {
      byok_cli_fail (error);
      if (g_error_matches (error, BYOK_ERROR, BYOK_ERROR_STORAGE))
        print_no_record_hint ();
      return BYOK_CLI_EXIT_FAILED;
    }
  byok_engine_set_record_calls (engine, !no_record);

  /* Unknown providers and models are usage errors: nothing was sent. */
  if (provider_arg != NULL)
    {
      if (!is_provider (engine, provider_arg))
        return byok_cli_usage_error ("chat", _("there is no provider “%s”; run “byok-cli providers” for the list"),
                                     provider_arg);
      provider_id = g_strdup (provider_arg);
      model = g_strdup (model_arg);
    }
  else if (!parse_pair (engine, model_arg, &provider_id, &model, &error))
    return byok_cli_usage_error ("chat", "%s", error->message);
  fallbacks = parse_fallbacks (engine, fallback_args, &error);
  if (fallbacks == NULL)
    return byok_cli_usage_error ("chat", "%s", error->message);
  if (base_url != NULL)
    {
      ByokProvider *provider = byok_catalog_lookup_provider (byok_engine_get_catalog (engine), provider_id);

      byok_provider_set_environment_base_url (provider, base_url);
    }
  if (allow_http)
    byok_cli_allow_http (engine);
  /* --retries N: N more attempts after the first, on each provider. */
  byok_client_set_max_attempts (byok_engine_get_client (engine), (guint) retries + 1);

  request = byok_chat_request_new_simple (model, system, NULL);
  byok_chat_request_add_message_with_attachments (request, BYOK_CHAT_ROLE_USER, composed, media);
  request->stream = !no_stream;
  request->reasoning = reasoning;
  request->max_output_tokens = max_tokens;
  if (temperature >= 0)
    request->temperature = temperature;
  request->effort = effort;

  catalog_model = byok_catalog_lookup_model (byok_engine_get_catalog (engine), provider_id, model);
  warn_about_params (engine, request, provider_id, catalog_model);
  out.json = json;
  out.show_reasoning = reasoning || effort != BYOK_EFFORT_DEFAULT ||
                       (catalog_model != NULL && byok_model_has_capability (catalog_model, BYOK_MODEL_CAP_REASONING));
  out.dim = isatty (STDERR_FILENO);

  cancellable = g_cancellable_new ();
  sigint_id = g_unix_signal_add (SIGINT, on_sigint, cancellable);

  if (tools)
    {
      runner = byok_cli_chat_tools_open (yes);
      byok_cli_chat_tools_add (runner, request, cancellable);
    }

  if (over_budget)
    byok_engine_allow_over_budget_once (engine, BYOK_BUDGET_SCOPE_ALL);
  call = byok_engine_new_chat (engine, request, provider_id, model, (const char * const *) fallbacks, 0);
  if (runner != NULL)
    {
      byok_chat_call_set_tool_runner (call, BYOK_TOOL_RUNNER (runner));
      if (!json)
        byok_cli_chat_tools_watch (runner, call);
    }
  g_signal_connect (call, "delta", G_CALLBACK (on_delta), &out);
  g_signal_connect (call, "reasoning-delta", G_CALLBACK (on_reasoning_delta), &out);
  g_signal_connect (call, "retrying", G_CALLBACK (on_retrying), &out);
  byok_chat_call_run_async (call, cancellable, byok_cli_store_result, &async);
  result = byok_chat_call_run_finish (call, byok_cli_wait (&async));
  g_source_remove (sigint_id);
  g_signal_handlers_disconnect_by_data (call, &out);
  end_countdown (&out);
  g_clear_pointer (&out.retry, byok_retry_notice_free);

  if (json)
    print_json (engine, runner, result, attachments);
  else
    {
      if (out.in_reasoning)
        fputs ("\n", stderr);
      if (out.printed_text && !out.text_ends_in_newline)
        fputs ("\n", stdout);
      fflush (stdout);
      print_summary (engine, result);
    }

  if (runner != NULL)
    byok_cli_chat_tools_close (runner);

  if (result->error != NULL)
    {
      byok_cli_fail (result->error);
      if (g_error_matches (result->error, BYOK_ERROR, BYOK_ERROR_STORAGE))
        print_no_record_hint ();
      if (g_error_matches (result->error, BYOK_ERROR, BYOK_ERROR_CANCELLED))
        return EXIT_INTERRUPTED;
      return BYOK_CLI_EXIT_FAILED;
    }
  return BYOK_CLI_EXIT_OK;
}
