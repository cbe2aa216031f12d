/* byok-client.c — chat calls, model listings and key checks over HTTP */
#define G_LOG_DOMAIN "byok-client"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "byok-client.h"
#include "byok-dialect.h"
#include "byok-error.h"
#include "byok-json.h"
#include "byok-key-format.h"
#include "byok-sse.h"

/* The most a whole (non-streamed) body may weigh. */
#define MAX_BODY_BYTES (16 * 1024 * 1024)
/* How many pages of a model listing are followed at most. */
#define MAX_MODEL_PAGES 50
/* How long the rest of a finished stream is read, so the connection can be
 * reused, before it is closed. */
#define DRAIN_TIMEOUT_MS 2000
#define READ_SIZE 16384

struct _ByokClient
{
  GObject       parent_instance;

  ByokCatalog  *catalog;
  ByokKeyStore *key_store;
  SoupSession  *session;

  guint         connect_timeout_ms;
  guint         idle_timeout_ms;
  guint         response_timeout_ms;
  guint         max_attempts;
  guint         backoff_base_ms;
  guint         max_retry_wait_ms;
};

G_DEFINE_FINAL_TYPE (ByokClient, byok_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CATALOG,
  PROP_KEY_STORE,
  PROP_CONNECT_TIMEOUT_MS,
  PROP_IDLE_TIMEOUT_MS,
  PROP_RESPONSE_TIMEOUT_MS,
  PROP_MAX_ATTEMPTS,
  PROP_BACKOFF_BASE_MS,
  PROP_MAX_RETRY_WAIT_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  DELTA,
  REASONING_DELTA,
  RETRYING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- small helpers ------------------------------------------------------ */

/* "0.3 s", "12 s", "2 min 5 s" */
static char *
format_wait (gint64 us)
{
  gint64 s;

  if (us < 0)
    us = 0;
  if (us < 10 * G_USEC_PER_SEC && us % G_USEC_PER_SEC != 0)
    return g_strdup_printf (_("%.1f s"), us / (double) G_USEC_PER_SEC);
  s = MIN ((us + G_USEC_PER_SEC / 2) / G_USEC_PER_SEC, G_MAXINT);
  if (s < 120)
    return g_strdup_printf (_("%d s"), (int) s);
  if (s % 60 == 0)
    return g_strdup_printf (_("%d min"), (int) (s / 60));
  /* Translators: minutes and seconds */
  return g_strdup_printf (_("%d min %d s"), (int) (s / 60), (int) (s % 60));
}

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

static GSource *
attach_timeout (guint        ms,
                GSourceFunc  func,
                gpointer     data)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, data, NULL);
  g_source_set_static_name (source, "[byok-client] timer");
  g_source_attach (source, g_main_context_get_thread_default ());
  return source;
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
cancel_other (GCancellable *cancellable,
              GCancellable *other)
{
  g_cancellable_cancel (other);
}

static char *
dup_provider_host (SoupMessage *msg)
{
  GUri *uri = soup_message_get_uri (msg);
  int port = g_uri_get_port (uri);

  if (port > 0)
    return g_strdup_printf ("%s:%d", g_uri_get_host (uri), port);
  return g_strdup (g_uri_get_host (uri));
}

static char *
append_query (const char *url,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  return g_strdup_printf ("%s%c%s=%s", url, strchr (url, '?') != NULL ? '&' : '?', name, escaped);
}

static const ByokDialect *
provider_dialect (ByokProvider *provider)
{
  const ByokDialect *dialect = byok_dialect_get (byok_provider_get_dialect_name (provider));

  return dialect != NULL ? dialect : byok_dialect_get ("openai");
}

static ByokDialectFlags
dialect_flags (ByokProvider *provider,
               ByokModel    *model)
{
  ByokDialectFlags flags = BYOK_DIALECT_FLAGS_NONE;
  gboolean reasons = model != NULL && byok_model_has_capability (model, BYOK_MODEL_CAP_REASONING);

  if (byok_provider_get_rejects_stream_options (provider))
    flags |= BYOK_DIALECT_FLAG_NO_STREAM_OPTIONS;
  if (byok_provider_get_thinking_switch (provider) && reasons)
    flags |= BYOK_DIALECT_FLAG_THINKING_TYPE;
  if (g_strcmp0 (byok_provider_get_id (provider), "openai") == 0 ||
      (g_strcmp0 (byok_provider_get_id (provider), "azure") == 0 && reasons))
    flags |= BYOK_DIALECT_FLAG_MAX_COMPLETION_TOKENS;
  return flags;
}

static GError *
no_key_error (ByokProvider *provider)
{
  const char * const *vars = byok_provider_get_env_vars (provider);

  if (vars != NULL && vars[0] != NULL)
    {
      /* Translators: joins environment variable names: "MOONSHOT_API_KEY or KIMI_API_KEY" */
      g_autofree char *joined = g_strjoinv (_(" or "), (char **) vars);

      /* Translators: %1$s is a provider's name, %2$s its id, %3$s environment variables */
      return g_error_new (BYOK_ERROR, BYOK_ERROR_NO_KEY,
                          _("No key for %1$s. Add one in Providers, run “byok-cli keys set %2$s”, or set %3$s."),
                          byok_provider_get_name (provider), byok_provider_get_id (provider), joined);
    }
  return g_error_new (BYOK_ERROR, BYOK_ERROR_NO_KEY,
                      _("No key for %s. Add one in Providers, or run “byok-cli keys set %s”."),
                      byok_provider_get_name (provider), byok_provider_get_id (provider));
}

static GError *
unknown_provider_error (const char *provider_id)
{
  return g_error_new (BYOK_ERROR, BYOK_ERROR_INVALID,
                      _("There is no provider “%s”. Run “byok-cli providers” for the list."),
                      provider_id);
}

/* The error context of a call: strings owned by the Context. */
typedef struct {
  ByokErrorContext   ctx;
  char              *provider_id;
  char              *provider_name;
  char              *model;
  char             **known_models;
  char              *secret;         /* the key sent, masked out of what comes back */
} Context;

static void
context_init (Context      *c,
              ByokCatalog  *catalog,
              ByokProvider *provider,
              const char   *model,
              const char   *key)
{
  g_autoptr(GPtrArray) models = byok_catalog_get_models (catalog, byok_provider_get_id (provider));
  GStrvBuilder *builder = g_strv_builder_new ();

  for (guint i = 0; i < models->len; i++)
    g_strv_builder_add (builder, byok_model_get_id (g_ptr_array_index (models, i)));
  c->provider_id = g_strdup (byok_provider_get_id (provider));
  c->provider_name = g_strdup (byok_provider_get_name (provider));
  c->model = g_strdup (model);
  c->known_models = g_strv_builder_end (builder);
  c->secret = byok_secret_dup (key, -1);
  g_strv_builder_unref (builder);
  c->ctx.provider_id = c->provider_id;
  c->ctx.provider_name = c->provider_name;
  c->ctx.model = c->model;
  c->ctx.known_models = (const char * const *) c->known_models;
  c->ctx.secret = c->secret;
}

static void
context_clear (Context *c)
{
  g_clear_pointer (&c->provider_id, g_free);
  g_clear_pointer (&c->provider_name, g_free);
  g_clear_pointer (&c->model, g_free);
  g_clear_pointer (&c->known_models, g_strfreev);
  g_clear_pointer (&c->secret, byok_secret_free);
}

/* ---- draining a finished response --------------------------------------- */

typedef struct {
  GInputStream *in;
  GCancellable *cancellable;
  GSource      *timer;
} Drain;

static void
drain_closed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Drain *drain = user_data;

  g_input_stream_close_finish (G_INPUT_STREAM (source), result, NULL);
  clear_source (&drain->timer);
  g_object_unref (drain->in);
  g_object_unref (drain->cancellable);
  g_free (drain);
}

static gboolean
drain_timeout (gpointer data)
{
  Drain *drain = data;

  g_cancellable_cancel (drain->cancellable);
  return G_SOURCE_CONTINUE;
}

static void drain_read (Drain *drain);

static void
drain_read_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Drain *drain = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      g_input_stream_close_async (drain->in, G_PRIORITY_DEFAULT, NULL, drain_closed, drain);
      return;
    }
  drain_read (drain);
}

static void
drain_read (Drain *drain)
{
  g_input_stream_read_bytes_async (drain->in, READ_SIZE, G_PRIORITY_LOW, drain->cancellable,
                                   drain_read_done, drain);
}

/* Reads what is left of a response whose answer is complete (the chunked
 * terminator after `[DONE]`), so the connection can be reused; gives up
 * after a moment. With @abort, closes at once instead: the connection is
 * dropped and the server sees it closed. */
static void
finish_stream (GInputStream *in,
               gboolean      abort)
{
  Drain *drain = g_new0 (Drain, 1);

  drain->in = g_object_ref (in);
  drain->cancellable = g_cancellable_new ();
  if (abort)
    {
      g_input_stream_close_async (drain->in, G_PRIORITY_DEFAULT, NULL, drain_closed, drain);
      return;
    }
  drain->timer = attach_timeout (DRAIN_TIMEOUT_MS, drain_timeout, drain);
  drain_read (drain);
}

/* ---- one HTTP exchange -------------------------------------------------- */

typedef enum {
  PHASE_CONNECT,  /* until the request headers are written */
  PHASE_WAIT,     /* until the response headers arrive */
  PHASE_BODY,     /* between two reads of the body */
} Phase;

typedef struct _Exchange Exchange;

/* Called with each piece of a 2xx event-stream body. Return FALSE to stop
 * reading: with @error for a failure, without for a normal end. */
typedef gboolean (*ExchangeDataFunc) (Exchange    *ex,
                                      const char  *data,
                                      gsize        len,
                                      gpointer     user_data,
                                      GError     **error);
/* Called once at the end, with the classified error (transfer full) or NULL. */
typedef void     (*ExchangeDoneFunc) (Exchange    *ex,
                                      GError      *error,
                                      gpointer     user_data);

struct _Exchange
{
  gatomicrefcount    ref_count;

  ByokClient        *client;
  const ByokDialect *dialect;
  Context            context;
  SoupMessage       *msg;
  GInputStream      *in;
  GCancellable      *cancellable;       /* ours: the user's and the timers cancel it */
  GCancellable      *user_cancellable;
  gulong             user_handler;
  GSource           *timer;
  Phase              phase;
  gboolean           timed_out;
  Phase              timed_out_phase;
  guint              timed_out_ms;

  gboolean           want_stream;       /* the caller reads event streams */
  gboolean           sse;               /* this response is one */
  gboolean           eof;
  gboolean           completed;
  GByteArray        *body;
  guint              status;
  gint64             sent_us;
  gint64             headers_us;
  gint64             end_us;
  gint64             retry_after_us;

  ExchangeDataFunc   on_data;
  ExchangeDoneFunc   on_done;
  gpointer           user_data;
};

static Exchange *
exchange_ref (Exchange *ex)
{
  g_atomic_ref_count_inc (&ex->ref_count);
  return ex;
}

static void
exchange_unref (Exchange *ex)
{
  if (ex == NULL || !g_atomic_ref_count_dec (&ex->ref_count))
    return;
  clear_source (&ex->timer);
  if (ex->user_handler != 0)
    g_cancellable_disconnect (ex->user_cancellable, ex->user_handler);
  if (ex->msg != NULL)
    g_signal_handlers_disconnect_by_data (ex->msg, ex);
  g_clear_object (&ex->client);
  context_clear (&ex->context);
  g_clear_object (&ex->msg);
  g_clear_object (&ex->in);
  g_clear_object (&ex->cancellable);
  g_clear_object (&ex->user_cancellable);
  g_clear_pointer (&ex->body, g_byte_array_unref);
  g_free (ex);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Exchange, exchange_unref)

static guint
phase_timeout_ms (Exchange *ex,
                  Phase     phase)
{
  switch (phase)
    {
    case PHASE_CONNECT:
      return ex->client->connect_timeout_ms;
    case PHASE_WAIT:
      return ex->want_stream ? ex->client->idle_timeout_ms : ex->client->response_timeout_ms;
    case PHASE_BODY:
    default:
      return ex->client->idle_timeout_ms;
    }
}

static gboolean
exchange_timed_out (gpointer data)
{
  Exchange *ex = data;
  GSource *timer = g_steal_pointer (&ex->timer);

  ex->timed_out = TRUE;
  ex->timed_out_phase = ex->phase;
  ex->timed_out_ms = phase_timeout_ms (ex, ex->phase);
  g_debug ("%s: timed out (%u ms)", ex->context.provider_id, ex->timed_out_ms);
  g_cancellable_cancel (ex->cancellable);
  g_source_unref (timer);
  return G_SOURCE_REMOVE;
}

static void
exchange_set_phase (Exchange *ex,
                    Phase     phase)
{
  guint ms = phase_timeout_ms (ex, phase);

  clear_source (&ex->timer);
  ex->phase = phase;
  if (ms > 0 && !ex->completed)
    ex->timer = attach_timeout (ms, exchange_timed_out, ex);
}

static void
exchange_wrote_headers (SoupMessage *msg,
                        Exchange    *ex)
{
  if (ex->phase == PHASE_CONNECT)
    exchange_set_phase (ex, PHASE_WAIT);
}

static Exchange *
exchange_new (ByokClient       *client,
              ByokProvider     *provider,
              const char       *model,
              const char       *key,
              SoupMessage      *msg,
              gboolean          want_stream,
              GCancellable     *user_cancellable,
              ExchangeDataFunc  on_data,
              ExchangeDoneFunc  on_done,
              gpointer          user_data)
{
  Exchange *ex = g_new0 (Exchange, 1);

  g_atomic_ref_count_init (&ex->ref_count);
  ex->client = g_object_ref (client);
  ex->dialect = provider_dialect (provider);
  context_init (&ex->context, client->catalog, provider, model, key);
  ex->msg = g_object_ref (msg);
  ex->cancellable = g_cancellable_new ();
  ex->user_cancellable = user_cancellable != NULL ? g_object_ref (user_cancellable) : NULL;
  ex->want_stream = want_stream;
  ex->body = g_byte_array_new ();
  ex->retry_after_us = -1;
  ex->on_data = on_data;
  ex->on_done = on_done;
  ex->user_data = user_data;
  return ex;
}

static GError *
exchange_timeout_error (Exchange *ex)
{
  g_autofree char *wait = format_wait ((gint64) ex->timed_out_ms * 1000);
  const char *name = ex->context.provider_name;

  switch (ex->timed_out_phase)
    {
    case PHASE_CONNECT:
      {
        g_autofree char *host = dup_provider_host (ex->msg);

        /* Translators: %1$s is a provider, %2$s a host name, %3$s a duration ("15 s") */
        return g_error_new (BYOK_ERROR, BYOK_ERROR_TIMEOUT,
                            _("Could not connect to %1$s (%2$s) within %3$s. Check your network, "
                              "proxy and the provider’s base URL, then try again."),
                            name, host, wait);
      }
    case PHASE_WAIT:
      /* Translators: %1$s is a provider, %2$s a duration ("2 min") */
      return g_error_new (BYOK_ERROR, BYOK_ERROR_TIMEOUT,
                          _("%1$s did not start answering within %2$s. It may be overloaded; "
                            "try again later."),
                          name, wait);
    case PHASE_BODY:
    default:
      /* Translators: %1$s is a provider, %2$s a duration ("2 min") */
      return g_error_new (BYOK_ERROR, BYOK_ERROR_TIMEOUT,
                          _("%1$s stopped sending for %2$s in the middle of the answer. What "
                            "arrived is kept; try again."),
                          name, wait);
    }
}

static GError *
cancelled_error (void)
{
  return g_error_new_literal (BYOK_ERROR, BYOK_ERROR_CANCELLED,
                              _("Stopped. What arrived is kept."));
}

/* Turns an error of GIO or libsoup into a BYOK_ERROR. */
static GError *
exchange_map_error (Exchange *ex,
                    GError   *error)
{
  g_autofree char *host = NULL;
  GError *mapped;

  if (error->domain == BYOK_ERROR)
    return error;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    mapped = ex->timed_out ? exchange_timeout_error (ex) : cancelled_error ();
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      ex->timed_out_phase = ex->phase;
      ex->timed_out_ms = phase_timeout_ms (ex, ex->phase);
      mapped = exchange_timeout_error (ex);
    }
  else if (error->domain == SOUP_SESSION_ERROR &&
           (error->code == SOUP_SESSION_ERROR_PARSING || error->code == SOUP_SESSION_ERROR_ENCODING))
    mapped = g_error_new (BYOK_ERROR, BYOK_ERROR_MALFORMED,
                          _("%s sent a response that is not valid HTTP. Check the provider’s "
                            "base URL and your proxy."),
                          ex->context.provider_name);
  else
    {
      host = dup_provider_host (ex->msg);
      /* Translators: %1$s is a provider, %2$s a host, %3$s the system's reason */
      mapped = g_error_new (BYOK_ERROR, BYOK_ERROR_NETWORK,
                            _("Could not reach %1$s at %2$s: %3$s. Check your network and the "
                              "provider’s base URL, then try again."),
                            ex->context.provider_name, host, error->message);
    }
  g_error_free (error);
  return mapped;
}

/* A redirect is never followed (new_message()): libsoup would send the
 * provider's key headers (x-api-key, api-key, x-goog-api-key) to wherever
 * it points, and only Authorization is dropped on the way. */
static GError *
exchange_redirect_error (Exchange *ex)
{
  const char *location = soup_message_headers_get_one (soup_message_get_response_headers (ex->msg),
                                                       "Location");
  g_autoptr(GUri) target = NULL;

  if (location != NULL)
    target = g_uri_parse_relative (soup_message_get_uri (ex->msg), location, SOUP_HTTP_URI_FLAGS, NULL);
  if (target != NULL && g_uri_get_host (target) != NULL && *g_uri_get_host (target) != '\0')
    {
      g_autofree char *host = g_uri_get_port (target) > 0
                              ? g_strdup_printf ("%s:%d", g_uri_get_host (target), g_uri_get_port (target))
                              : g_strdup (g_uri_get_host (target));

      /* Translators: %1$s is a provider, %2$u an HTTP status (302), %3$s a host name */
      return g_error_new (BYOK_ERROR, BYOK_ERROR_MALFORMED,
                          _("%1$s answered with a redirect (HTTP %2$u) to %3$s. Byok does not follow "
                            "redirects, so that your key goes only to the address you set. Check the "
                            "provider’s base URL, and whether a proxy or a network sign-in page is in "
                            "the way."),
                          ex->context.provider_name, ex->status, host);
    }
  /* Translators: %1$s is a provider, %2$u an HTTP status (302) */
  return g_error_new (BYOK_ERROR, BYOK_ERROR_MALFORMED,
                      _("%1$s answered with a redirect (HTTP %2$u) that names no valid address. "
                        "Byok does not follow redirects, so that your key goes only to the address "
                        "you set. Check the provider’s base URL, and whether a proxy or a network "
                        "sign-in page is in the way."),
                      ex->context.provider_name, ex->status);
}

static void
exchange_complete (Exchange *ex,
                   GError   *error)
{
  /* Held until the end: on_done may drop the caller's reference. */
  g_autoptr(Exchange) hold = exchange_ref (ex);

  (void) hold;
  if (ex->completed)
    {
      g_clear_error (&error);
      return;
    }
  ex->completed = TRUE;
  ex->end_us = g_get_monotonic_time ();
  clear_source (&ex->timer);
  if (ex->user_handler != 0)
    {
      g_cancellable_disconnect (ex->user_cancellable, ex->user_handler);
      ex->user_handler = 0;
    }
  g_signal_handlers_disconnect_by_data (ex->msg, ex);

  if (error != NULL)
    error = exchange_map_error (ex, error);
  else if (SOUP_STATUS_IS_REDIRECTION (ex->status))
    error = exchange_redirect_error (ex);
  else if (!SOUP_STATUS_IS_SUCCESSFUL (ex->status))
    {
      SoupMessageHeaders *headers = soup_message_get_response_headers (ex->msg);

      error = byok_dialect_classify_error (ex->dialect, &ex->context.ctx, ex->status,
                                           soup_message_headers_get_one (headers, "Retry-After"),
                                           soup_message_headers_get_one (headers, "retry-after-ms"),
                                           soup_message_headers_get_one (headers, "Date"),
                                           (const char *) ex->body->data, ex->body->len,
                                           &ex->retry_after_us);
    }

  if (ex->in != NULL && !ex->eof)
    finish_stream (ex->in, error != NULL);

  /* What the provider says is masked where it is read (the context's
   * secret); this catches the rest: a redirect's host, a system message. */
  if (error != NULL && ex->context.secret != NULL)
    {
      char *message = byok_key_format_redact (error->message, -1, ex->context.secret, NULL);

      g_free (error->message);
      error->message = message;
    }

  ex->on_done (ex, error, ex->user_data);
}

static void exchange_read_more (Exchange *ex);

static void
exchange_read_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Exchange) ex = user_data;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  const char *data;
  gsize len;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (ex->completed)
    {
      g_clear_error (&error);
      return;
    }
  if (bytes == NULL)
    {
      exchange_complete (ex, error);
      return;
    }

  data = g_bytes_get_data (bytes, &len);
  if (len == 0)
    {
      ex->eof = TRUE;
      exchange_complete (ex, NULL);
      return;
    }

  exchange_set_phase (ex, PHASE_BODY);
  if (ex->sse)
    {
      if (!ex->on_data (ex, data, len, ex->user_data, &error))
        {
          exchange_complete (ex, error);
          return;
        }
    }
  else
    {
      if (ex->body->len + len > MAX_BODY_BYTES)
        {
          exchange_complete (ex, g_error_new (BYOK_ERROR, BYOK_ERROR_MALFORMED,
                                              _("%s sent a response far larger than an answer. Check "
                                                "the provider’s base URL."),
                                              ex->context.provider_name));
          return;
        }
      g_byte_array_append (ex->body, (const guint8 *) data, len);
    }

  /* A handler may have stopped the call (the user cancelled in a "delta"
   * handler): the next read reports it. */
  exchange_read_more (ex);
}

static void
exchange_read_more (Exchange *ex)
{
  g_input_stream_read_bytes_async (ex->in, READ_SIZE, G_PRIORITY_DEFAULT, ex->cancellable,
                                   exchange_read_done, exchange_ref (ex));
}

static gboolean
content_type_is_event_stream (SoupMessage *msg)
{
  const char *type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);

  return type != NULL && g_ascii_strcasecmp (type, "text/event-stream") == 0;
}

static void
exchange_sent (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Exchange) ex = user_data;
  GError *error = NULL;
  GInputStream *in;

  in = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (ex->completed)
    {
      g_clear_error (&error);
      g_clear_object (&in);
      return;
    }
  if (in == NULL)
    {
      exchange_complete (ex, error);
      return;
    }

  ex->in = in;
  ex->headers_us = g_get_monotonic_time ();
  ex->status = soup_message_get_status (ex->msg);
  ex->sse = ex->want_stream && SOUP_STATUS_IS_SUCCESSFUL (ex->status) &&
            content_type_is_event_stream (ex->msg);
  g_debug ("%s: HTTP %u%s", ex->context.provider_id, ex->status, ex->sse ? " (event stream)" : "");
  exchange_set_phase (ex, PHASE_BODY);
  exchange_read_more (ex);
}

static void
exchange_start (Exchange *ex)
{
  g_autofree char *uri = g_uri_to_string_partial (soup_message_get_uri (ex->msg), G_URI_HIDE_PASSWORD);

  g_debug ("%s %s", soup_message_get_method (ex->msg), uri);
  ex->sent_us = g_get_monotonic_time ();
  g_signal_connect (ex->msg, "wrote-headers", G_CALLBACK (exchange_wrote_headers), ex);
  exchange_set_phase (ex, PHASE_CONNECT);
  if (ex->user_cancellable != NULL)
    ex->user_handler = g_cancellable_connect (ex->user_cancellable, G_CALLBACK (cancel_other),
                                              g_object_ref (ex->cancellable), g_object_unref);
  soup_session_send_async (ex->client->session, ex->msg, G_PRIORITY_DEFAULT, ex->cancellable,
                           exchange_sent, exchange_ref (ex));
}

/* A request with the provider's headers and the key (never logged). */
static SoupMessage *
new_message (ByokProvider  *provider,
             const char    *method,
             const char    *url,
             const char    *key,
             GBytes        *body,
             gboolean       stream,
             GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, &local_error);
  SoupMessage *msg;
  SoupMessageHeaders *headers;

  if (uri == NULL)
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("The address of %s is not a valid URL. Check its base URL."),
                   byok_provider_get_name (provider));
      return NULL;
    }
  /* Not over the network unencrypted (unless the user allowed it). */
  if (key != NULL && *key != '\0' && byok_provider_get_auth_header (provider) != NULL &&
      !byok_provider_check_key_transport (provider, uri, error))
    return NULL;
  msg = soup_message_new_from_uri (method, uri);
  /* Never to another address: see exchange_redirect_error(). */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (msg);
  byok_provider_apply_headers (provider, headers, key);
  soup_message_headers_replace (headers, "Accept", stream ? "text/event-stream" : "application/json");
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json", body);
  return msg;
}

/* ---- chat --------------------------------------------------------------- */

typedef struct {
  char *provider_id;
  char *model;
} Target;

static void
target_free (Target *target)
{
  g_free (target->provider_id);
  g_free (target->model);
  g_free (target);
}

typedef struct {
  ByokClient        *client;
  ByokChatRequest   *request;        /* the caller's; signals carry it */
  GCancellable      *cancellable;
  GPtrArray         *targets;        /* Target */
  guint              target_index;
  guint              n_tries;        /* attempts made on the current target */
  gboolean           next_is_fallback;
  ByokChatResult    *result;

  ByokProvider      *provider;       /* of the current target */
  ByokKey           *key;            /* of the current target */
  gboolean           key_looked_up;

  ByokAttempt       *attempt;        /* the current one */
  Exchange          *ex;
  ByokDialectStream *dstream;
  ByokSse           *sse;
  gboolean           output_started;
  gint64             call_start_us;
  gint64             attempt_start_us;

  GSource           *wait_timer;
  GSource           *wait_cancel;

  const ByokChatHooks *hooks;        /* nullable; the caller's */
  gpointer           hooks_data;
  gboolean           attempt_sent;   /* the current attempt's request went out */
} ChatCall;

static void
chat_call_free (ChatCall *call)
{
  clear_source (&call->wait_timer);
  clear_source (&call->wait_cancel);
  g_clear_object (&call->client);
  g_clear_pointer (&call->request, byok_chat_request_unref);
  g_clear_object (&call->cancellable);
  g_clear_pointer (&call->targets, g_ptr_array_unref);
  g_clear_pointer (&call->result, byok_chat_result_unref);
  g_clear_object (&call->provider);
  g_clear_object (&call->key);
  g_clear_pointer (&call->attempt, byok_attempt_free);
  g_clear_pointer (&call->ex, exchange_unref);
  g_clear_pointer (&call->dstream, byok_dialect_stream_free);
  g_clear_pointer (&call->sse, byok_sse_free);
  g_free (call);
}

static Target *
chat_current_target (ChatCall *call)
{
  return g_ptr_array_index (call->targets, call->target_index);
}

static void chat_start_target (GTask *task);
static void chat_send_attempt (GTask *task);

static void
chat_complete (GTask  *task,
               GError *error)
{
  ChatCall *call = g_task_get_task_data (task);
  Target *target = chat_current_target (call);

  byok_chat_result_set_provider (call->result, target->provider_id, target->model);
  call->result->latency_us = g_get_monotonic_time () - call->call_start_us;
  call->result->retry_after_us = -1;
  if (error != NULL && call->result->attempts->len > 0)
    {
      ByokAttempt *last = g_ptr_array_index (call->result->attempts, call->result->attempts->len - 1);

      /* The wait the provider asked for, when its failure is the call's. */
      if (last->error != NULL && g_error_matches (error, last->error->domain, last->error->code))
        call->result->retry_after_us = last->retry_after_us;
    }
  byok_chat_result_take_error (call->result, error);
  if (error != NULL)
    g_debug ("%s/%s: failed: %s", target->provider_id, target->model, byok_error_get_class (error));
  g_task_return_pointer (task, byok_chat_result_ref (call->result),
                         (GDestroyNotify) byok_chat_result_unref);
}

static gint64
backoff_us (ByokClient *client,
            guint       n_tries)
{
  double base = (double) client->backoff_base_ms * 1000.0;
  double wait = base * (double) (1u << MIN (n_tries - 1, 16u));

  /* Jitter: somewhere between half and all of the exponential wait. */
  return (gint64) (wait * g_random_double_range (0.5, 1.0));
}

static gboolean
chat_wait_done (gpointer data)
{
  g_autoptr(GTask) task = g_object_ref (data);
  ChatCall *call = g_task_get_task_data (task);

  clear_source (&call->wait_timer);
  clear_source (&call->wait_cancel);
  chat_send_attempt (task);
  return G_SOURCE_REMOVE;
}

static gboolean
chat_wait_cancelled (GCancellable *cancellable,
                     gpointer      data)
{
  g_autoptr(GTask) task = g_object_ref (data);
  ChatCall *call = g_task_get_task_data (task);

  clear_source (&call->wait_timer);
  clear_source (&call->wait_cancel);
  chat_complete (task, cancelled_error ());
  return G_SOURCE_REMOVE;
}

static GError *
too_long_wait_error (ChatCall     *call,
                     const GError *error,
                     gint64        wait_us)
{
  g_autofree char *wait = format_wait (wait_us);
  g_autofree char *cap = format_wait ((gint64) call->client->max_retry_wait_ms * 1000);

  /* Translators: %1$s is a provider, %2$s and %3$s durations, %4$s the provider's error */
  return g_error_new (BYOK_ERROR, BYOK_ERROR_RATE_LIMIT,
                      _("%1$s asks to wait %2$s before trying again, longer than Byok waits by "
                        "itself (%3$s). Try again then, or choose another model. (%4$s)"),
                      byok_provider_get_name (call->provider), wait, cap, error->message);
}

/* After an attempt failed with @error (transfer full): retry, fall back or
 * give up. */
static void
chat_after_failure (GTask  *task,
                    GError *error)
{
  ChatCall *call = g_task_get_task_data (task);
  ByokClient *client = call->client;
  gint64 retry_after_us = call->ex != NULL ? call->ex->retry_after_us : -1;

  if (g_error_matches (error, BYOK_ERROR, BYOK_ERROR_CANCELLED) || call->output_started)
    {
      chat_complete (task, error);
      return;
    }

  if (byok_error_is_retryable (error) && call->n_tries < client->max_attempts)
    {
      gint64 wait_us = retry_after_us >= 0 ? retry_after_us : backoff_us (client, call->n_tries);

      if (wait_us <= (gint64) client->max_retry_wait_ms * 1000)
        {
          ByokRetryNotice notice = { 0, };
          Target *target = chat_current_target (call);

          g_debug ("%s: retrying in %" G_GINT64_FORMAT " ms (%s)", byok_provider_get_id (call->provider),
                   wait_us / 1000, byok_error_get_class (error));
          notice.provider_id = target->provider_id;
          notice.provider_name = byok_provider_get_name (call->provider);
          notice.model = target->model;
          notice.code = error->domain == BYOK_ERROR ? (ByokErrorCode) error->code : BYOK_ERROR_SERVER;
          notice.http_status = call->ex != NULL ? call->ex->status : 0;
          notice.wait_us = wait_us;
          notice.attempt = call->n_tries + 1;
          notice.max_attempts = client->max_attempts;
          g_error_free (error);
          call->wait_timer = g_timeout_source_new ((guint) (wait_us / 1000));
          g_source_set_callback (call->wait_timer, chat_wait_done, g_object_ref (task), g_object_unref);
          g_source_attach (call->wait_timer, g_main_context_get_thread_default ());
          if (call->cancellable != NULL)
            {
              call->wait_cancel = g_cancellable_source_new (call->cancellable);
              g_source_set_callback (call->wait_cancel, G_SOURCE_FUNC (chat_wait_cancelled),
                                     g_object_ref (task), g_object_unref);
              g_source_attach (call->wait_cancel, g_main_context_get_thread_default ());
            }
          g_signal_emit (client, signals[RETRYING], 0, call->request, &notice);
          return;
        }
      else
        {
          GError *longer = too_long_wait_error (call, error, wait_us);

          g_error_free (error);
          error = longer;
        }
    }
  else if (retry_after_us > (gint64) client->max_retry_wait_ms * 1000 &&
           g_error_matches (error, BYOK_ERROR, BYOK_ERROR_RATE_LIMIT))
    {
      GError *longer = too_long_wait_error (call, error, retry_after_us);

      g_error_free (error);
      error = longer;
    }

  if (byok_error_allows_fallback (error) && call->target_index + 1 < call->targets->len)
    {
      Target *next = g_ptr_array_index (call->targets, call->target_index + 1);

      g_debug ("%s: %s; falling back to %s/%s", byok_provider_get_id (call->provider),
               byok_error_get_class (error), next->provider_id, next->model);
      g_error_free (error);
      call->target_index++;
      call->n_tries = 0;
      call->next_is_fallback = TRUE;
      chat_start_target (task);
      return;
    }

  chat_complete (task, error);
}

/* Ends the current attempt with @error (transfer full, nullable). */
static void
chat_end_attempt (GTask  *task,
                  GError *error)
{
  ChatCall *call = g_task_get_task_data (task);
  ByokAttempt *attempt = g_steal_pointer (&call->attempt);

  if (call->ex != NULL)
    {
      attempt->http_status = call->ex->status;
      attempt->latency_us = (call->ex->end_us > 0 ? call->ex->end_us : g_get_monotonic_time ()) -
                            call->ex->sent_us;
      if (error != NULL)
        attempt->retry_after_us = call->ex->retry_after_us;
    }
  attempt->usage = call->result->usage;
  attempt->error = error != NULL ? g_error_copy (error) : NULL;
  byok_chat_result_add_attempt (call->result, attempt);
  if (call->hooks != NULL && call->hooks->attempt_ended != NULL)
    call->hooks->attempt_ended (attempt, call->result->attempts->len - 1, call->attempt_sent,
                                call->hooks_data);
  call->attempt_sent = FALSE;

  g_clear_pointer (&call->dstream, byok_dialect_stream_free);
  g_clear_pointer (&call->sse, byok_sse_free);

  if (error == NULL)
    {
      chat_complete (task, NULL);
      return;
    }
  chat_after_failure (task, error);
}

/* An attempt that failed before any request was sent. */
static void
chat_fail_early (GTask  *task,
                 GError *error)
{
  ChatCall *call = g_task_get_task_data (task);
  Target *target = chat_current_target (call);

  g_assert (call->attempt == NULL);
  call->n_tries++;
  call->attempt = byok_attempt_new (target->provider_id, target->model);
  call->attempt->is_retry = call->n_tries > 1;
  call->attempt->is_fallback = call->next_is_fallback;
  call->next_is_fallback = FALSE;
  g_clear_pointer (&call->ex, exchange_unref);
  byok_chat_result_clear_output (call->result);
  chat_end_attempt (task, error);
}

static void
chat_emit_deltas (ChatCall *call,
                  gsize     old_text_len,
                  gsize     old_reasoning_len)
{
  ByokChatResult *result = call->result;
  gboolean grew = result->reasoning->len > old_reasoning_len || result->text->len > old_text_len;

  if (!grew)
    return;

  if (!call->output_started)
    {
      gint64 now = g_get_monotonic_time ();

      /* Time to first token, one definition everywhere (under the answer,
       * in Usage, the export and byok-cli): from sending the request that
       * answers to its first text or reasoning. The keyring, earlier
       * attempts and waits before a retry are in the total time only. */
      call->output_started = TRUE;
      result->ttft_us = now - (call->attempt != NULL ? call->attempt_start_us : call->call_start_us);
      if (call->attempt != NULL)
        call->attempt->ttft_us = now - call->attempt_start_us;
    }

  /* Hold the strings: a handler must not see them move under it. */
  if (result->reasoning->len > old_reasoning_len)
    {
      g_autofree char *slice = g_strndup (result->reasoning->str + old_reasoning_len,
                                          result->reasoning->len - old_reasoning_len);
      g_signal_emit (call->client, signals[REASONING_DELTA], 0, call->request, slice);
    }
  if (result->text->len > old_text_len)
    {
      g_autofree char *slice = g_strndup (result->text->str + old_text_len,
                                          result->text->len - old_text_len);
      g_signal_emit (call->client, signals[DELTA], 0, call->request, slice);
    }
}

static gboolean
chat_on_event (const char  *event_name,
               const char  *data,
               gpointer     user_data,
               GError     **error)
{
  ChatCall *call = user_data;
  gsize old_text = call->result->text->len;
  gsize old_reasoning = call->result->reasoning->len;
  gboolean done = FALSE;
  gboolean ok;

  ok = byok_dialect_stream_parse_event (call->dstream, event_name, data, call->result, &done, error);
  chat_emit_deltas (call, old_text, old_reasoning);
  if (!ok)
    return FALSE;
  return !done;
}

static gboolean
chat_on_data (Exchange    *ex,
              const char  *data,
              gsize        len,
              gpointer     user_data,
              GError     **error)
{
  ChatCall *call = g_task_get_task_data (G_TASK (user_data));

  return byok_sse_feed (call->sse, data, len, chat_on_event, call, error);
}

static gboolean
body_looks_like_sse (const guint8 *data,
                     gsize         len)
{
  gsize i = 0;

  while (i < len && g_ascii_isspace (data[i]))
    i++;
  return (len - i >= 5 && memcmp (data + i, "data:", 5) == 0) ||
         (len - i >= 6 && memcmp (data + i, "event:", 6) == 0) ||
         (len - i >= 1 && data[i] == ':');
}

/* The response ended (or failed). */
static void
chat_on_done (Exchange *ex,
              GError   *error,
              gpointer  user_data)
{
  GTask *task = user_data;
  ChatCall *call = g_task_get_task_data (task);
  ByokChatResult *result = call->result;

  if (error == NULL && ex->sse)
    {
      byok_sse_finish (call->sse);
      byok_dialect_stream_finish (call->dstream, result, &error);
    }
  else if (error == NULL && call->request->stream && body_looks_like_sse (ex->body->data, ex->body->len))
    {
      /* An event stream without its content type: read it as one. */
      if (byok_sse_feed (call->sse, (const char *) ex->body->data, ex->body->len, chat_on_event, call, &error))
        byok_sse_finish (call->sse);
      if (error == NULL)
        byok_dialect_stream_finish (call->dstream, result, &error);
    }
  else if (error == NULL)
    {
      if (byok_dialect_parse_response (ex->dialect, &ex->context.ctx, (const char *) ex->body->data,
                                       ex->body->len, result, &error))
        {
          /* One delta for the whole answer, so callers connect once. */
          chat_emit_deltas (call, 0, 0);
        }
    }

  chat_end_attempt (task, error);
  g_object_unref (task);
}

static void
chat_send_attempt (GTask *task)
{
  ChatCall *call = g_task_get_task_data (task);
  ByokClient *client = call->client;
  Target *target = chat_current_target (call);
  g_autoptr(ByokChatRequest) request = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;
  GError *error = NULL;
  ByokModel *model;
  gboolean stream = call->request->stream;

  if (g_cancellable_is_cancelled (call->cancellable))
    {
      chat_complete (task, cancelled_error ());
      return;
    }

  model = byok_catalog_lookup_model (client->catalog, target->provider_id, target->model);
  request = byok_chat_request_copy (call->request);
  byok_chat_request_set_model (request, target->model);
  body = byok_dialect_build_body (provider_dialect (call->provider), request, model, stream,
                                  dialect_flags (call->provider, model), &error);
  if (body == NULL)
    {
      chat_fail_early (task, error);
      return;
    }

  url = byok_provider_build_chat_url (call->provider, target->model, stream);
  if (url == NULL)
    {
      chat_fail_early (task, g_error_new (BYOK_ERROR, BYOK_ERROR_INVALID,
                                          _("Byok cannot build the address of %s for “%s”. Check "
                                            "the provider’s settings."),
                                          byok_provider_get_name (call->provider), target->model));
      return;
    }
  msg = new_message (call->provider, "POST", url,
                     call->key != NULL ? byok_key_get_secret (call->key) : NULL, body, stream, &error);
  if (msg == NULL)
    {
      chat_fail_early (task, error);
      return;
    }
  {
    const char *name, *value;

    /* Anthropic's API version for a request with a temperature. */
    if (byok_dialect_get_request_header (provider_dialect (call->provider), request, model, &name, &value))
      soup_message_headers_replace (soup_message_get_request_headers (msg), name, value);
  }

  call->n_tries++;
  call->attempt = byok_attempt_new (target->provider_id, target->model);
  call->attempt->is_retry = call->n_tries > 1;
  call->attempt->is_fallback = call->next_is_fallback;
  call->next_is_fallback = FALSE;
  call->attempt_start_us = g_get_monotonic_time ();
  if (call->key != NULL)
    {
      call->attempt->key_used = TRUE;
      if (byok_key_get_source (call->key) == BYOK_KEY_SOURCE_KEYRING)
        call->attempt->key_account = g_strdup (byok_key_get_account (call->key));
    }
  byok_chat_result_clear_output (call->result);
  byok_chat_result_set_provider (call->result, target->provider_id, target->model);

  /* The last word before anything goes out (the engine records the call
   * here, and refuses to send one it cannot record). */
  if (call->hooks != NULL && call->hooks->attempt_started != NULL &&
      !call->hooks->attempt_started (call->attempt, call->result->attempts->len, call->hooks_data, &error))
    {
      g_clear_pointer (&call->ex, exchange_unref);
      chat_end_attempt (task, error);
      return;
    }
  call->attempt_sent = TRUE;

  if (stream)
    {
      Context context = { 0, };

      context_init (&context, client->catalog, call->provider, target->model,
                    call->key != NULL ? byok_key_get_secret (call->key) : NULL);
      call->dstream = byok_dialect_stream_new (provider_dialect (call->provider), &context.ctx);
      call->sse = byok_sse_new ();
      context_clear (&context);
    }

  g_clear_pointer (&call->ex, exchange_unref);
  call->ex = exchange_new (client, call->provider, target->model,
                           call->key != NULL ? byok_key_get_secret (call->key) : NULL,
                           msg, stream, call->cancellable,
                           chat_on_data, chat_on_done, task);
  g_object_ref (task);  /* released by chat_on_done */
  exchange_start (call->ex);
}

static void
chat_key_found (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ChatCall *call = g_task_get_task_data (task);
  GError *error = NULL;

  call->key = byok_key_store_lookup_finish (BYOK_KEY_STORE (source), result, &error);
  call->key_looked_up = TRUE;
  if (call->key == NULL)
    {
      if (g_error_matches (error, BYOK_ERROR, BYOK_ERROR_NO_KEY))
        {
          g_clear_error (&error);
          error = no_key_error (call->provider);
        }
      chat_fail_early (task, error);
      return;
    }
  chat_send_attempt (task);
}

static void
chat_start_target (GTask *task)
{
  ChatCall *call = g_task_get_task_data (task);
  Target *target = chat_current_target (call);
  ByokProvider *provider;
  GError *error = NULL;

  g_clear_object (&call->provider);
  g_clear_object (&call->key);
  call->key_looked_up = FALSE;
  g_clear_pointer (&call->ex, exchange_unref);

  provider = byok_catalog_lookup_provider (call->client->catalog, target->provider_id);
  if (provider == NULL)
    {
      chat_fail_early (task, unknown_provider_error (target->provider_id));
      return;
    }
  call->provider = g_object_ref (provider);
  if (!byok_provider_check_config (provider, &error))
    {
      chat_fail_early (task, error);
      return;
    }

  if (!byok_provider_get_needs_key (provider))
    {
      chat_send_attempt (task);
      return;
    }
  byok_key_store_lookup_async (call->client->key_store, target->provider_id, NULL,
                               call->cancellable, chat_key_found, g_object_ref (task));
}

/**
 * byok_client_parse_target:
 * @target: "PROVIDER/MODEL" (the model may hold "/" itself, as OpenRouter's
 *   "openrouter/openai/gpt-4o"), or a bare "MODEL" the catalog knows
 * @provider_id: (out) (transfer full)
 * @model: (out) (transfer full)
 *
 * Returns: FALSE with BYOK_ERROR_INVALID when no provider can be told
 */
gboolean
byok_client_parse_target (ByokClient  *self,
                          const char  *target,
                          char       **provider_id,
                          char       **model,
                          GError     **error)
{
  const char *slash;
  ByokModel *found;

  g_return_val_if_fail (BYOK_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (target != NULL, FALSE);

  slash = strchr (target, '/');
  if (slash != NULL && slash != target && slash[1] != '\0')
    {
      g_autofree char *prefix = g_strndup (target, slash - target);

      if (byok_catalog_lookup_provider (self->catalog, prefix) != NULL)
        {
          *provider_id = g_steal_pointer (&prefix);
          *model = g_strdup (slash + 1);
          return TRUE;
        }
    }

  found = byok_catalog_find_model (self->catalog, target);
  if (found != NULL)
    {
      *provider_id = g_strdup (byok_model_get_provider_id (found));
      *model = g_strdup (byok_model_get_id (found));
      return TRUE;
    }

  g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
               _("“%s” is not a model Byok knows. Name its provider too, as PROVIDER/MODEL "
                 "(for example openai/gpt-4o-mini); “byok-cli models PROVIDER” lists them."),
               target);
  return FALSE;
}

/**
 * byok_client_chat_async:
 * @request: what to ask; not changed (each target gets a copy with its model)
 * @provider_id: the provider to ask first
 * @model: (nullable): its model; %NULL for @request->model
 * @fallbacks: (nullable) (array zero-terminated=1): "PROVIDER/MODEL" pairs to
 *   try in order when a call fails in a way another provider can fix
 *
 * Sends @request, streamed if @request->stream. The "delta" and
 * "reasoning-delta" signals are emitted with @request as each slice arrives.
 */
void
byok_client_chat_async (ByokClient          *self,
                        ByokChatRequest     *request,
                        const char          *provider_id,
                        const char          *model,
                        const char * const  *fallbacks,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  byok_client_chat_with_hooks_async (self, request, provider_id, model, fallbacks, NULL, NULL,
                                     cancellable, callback, user_data);
}

/**
 * byok_client_chat_with_hooks_async:
 * @hooks: (nullable): called at the start and end of every attempt; must
 *   stay valid, with @hooks_data, until the call has ended
 *
 * byok_client_chat_async() that tells @hooks of each attempt (see
 * #ByokChatHooks). byok_client_chat_finish() ends it.
 */
void
byok_client_chat_with_hooks_async (ByokClient          *self,
                                   ByokChatRequest     *request,
                                   const char          *provider_id,
                                   const char          *model,
                                   const char * const  *fallbacks,
                                   const ByokChatHooks *hooks,
                                   gpointer             hooks_data,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ChatCall *call;
  Target *target;

  g_return_if_fail (BYOK_IS_CLIENT (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (provider_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byok_client_chat_async);
  g_task_set_check_cancellable (task, FALSE);

  call = g_new0 (ChatCall, 1);
  call->hooks = hooks;
  call->hooks_data = hooks_data;
  call->client = g_object_ref (self);
  call->request = byok_chat_request_ref (request);
  call->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  call->targets = g_ptr_array_new_with_free_func ((GDestroyNotify) target_free);
  call->call_start_us = g_get_monotonic_time ();
  g_task_set_task_data (task, call, (GDestroyNotify) chat_call_free);

  target = g_new0 (Target, 1);
  target->provider_id = g_strdup (provider_id);
  target->model = g_strdup (model != NULL ? model : request->model);
  g_ptr_array_add (call->targets, target);
  call->result = byok_chat_result_new (target->provider_id, target->model);

  for (guint i = 0; fallbacks != NULL && fallbacks[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      target = g_new0 (Target, 1);
      if (!byok_client_parse_target (self, fallbacks[i], &target->provider_id, &target->model, &error))
        {
          g_free (target);
          g_task_return_pointer (task, byok_chat_result_ref (call->result),
                                 (GDestroyNotify) byok_chat_result_unref);
          byok_chat_result_take_error (call->result, g_steal_pointer (&error));
          return;
        }
      g_ptr_array_add (call->targets, target);
    }

  if (chat_current_target (call)->model == NULL || *chat_current_target (call)->model == '\0')
    {
      byok_chat_result_take_error (call->result,
                                   g_error_new_literal (BYOK_ERROR, BYOK_ERROR_INVALID,
                                                        _("No model was chosen. Pick a model and send again.")));
      g_task_return_pointer (task, byok_chat_result_ref (call->result),
                             (GDestroyNotify) byok_chat_result_unref);
      return;
    }

  chat_start_target (task);
}

/**
 * byok_client_chat_finish:
 *
 * Returns: (transfer full): the result, never %NULL. It failed when
 *   @result->error is set (the classified error of the last attempt, or
 *   CANCELLED); text that arrived before a failure is kept. Every attempt is
 *   in @result->attempts; @result->provider_id and @result->model name the
 *   provider and model that answered (or failed last).
 */
ByokChatResult *
byok_client_chat_finish (ByokClient   *self,
                         GAsyncResult *result)
{
  g_return_val_if_fail (BYOK_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), NULL);
}

/* ---- fetching JSON (model listings, key checks) -------------------------- */

typedef struct {
  ByokProvider *provider;
  char         *key;          /* owned copy, wiped when freed; nullable */
  char         *account;      /* the keyring account the key came from, or NULL */
  gboolean      explicit_key;
  GPtrArray    *ids;          /* model ids listed */
  char         *page_token;
  guint         pages;
  int           n_models;     /* key checks: -1 unknown */
  gboolean      checking_key; /* a key check, not a listing */
  Exchange     *ex;
} FetchCall;

static void
fetch_call_free (FetchCall *call)
{
  g_clear_object (&call->provider);
  if (call->key != NULL)
    {
      memset (call->key, 0, strlen (call->key));
      g_free (call->key);
    }
  g_free (call->account);
  g_clear_pointer (&call->ids, g_ptr_array_unref);
  g_free (call->page_token);
  g_clear_pointer (&call->ex, exchange_unref);
  g_free (call);
}

static JsonNode *
fetch_parse_body (Exchange  *ex,
                  GError   **error)
{
  const char *name = ex->context.provider_name;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (!byok_dialect_check_body_is_json (&ex->context.ctx, (const char *) ex->body->data,
                                        ex->body->len, error))
    return NULL;
  root = byok_json_parse ((const char *) ex->body->data, ex->body->len, &local_error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_clear_pointer (&root, json_node_unref);
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                   _("%s sent JSON of an unexpected shape. Check the provider’s base URL."), name);
      return NULL;
    }
  return root;
}

static void list_fetch_page (GTask *task);

/* Reads one page of a listing; returns FALSE with an error, or TRUE with
 * call->page_token set when there is another page. */
static gboolean
list_read_page (FetchCall   *call,
                JsonObject  *root,
                GError     **error)
{
  ByokModelsList style = byok_provider_get_models_list (call->provider);
  JsonArray *array;

  g_clear_pointer (&call->page_token, g_free);

  if (style == BYOK_MODELS_LIST_GEMINI)
    {
      array = byok_json_get_array (root, "models");
      for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
        {
          JsonObject *model = byok_json_array_get_object (array, i);
          const char *name = model != NULL ? byok_json_get_string (model, "name") : NULL;
          JsonArray *methods = model != NULL ? byok_json_get_array (model, "supportedGenerationMethods") : NULL;
          gboolean chats = methods == NULL;

          for (guint j = 0; methods != NULL && j < json_array_get_length (methods); j++)
            {
              JsonNode *node = json_array_get_element (methods, j);

              if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
                  g_strcmp0 (json_node_get_string (node), "generateContent") == 0)
                chats = TRUE;
            }
          if (name == NULL || !chats)
            continue;
          if (g_str_has_prefix (name, "models/"))
            name += strlen ("models/");
          g_ptr_array_add (call->ids, g_strdup (name));
        }
      if (byok_json_get_string (root, "nextPageToken") != NULL &&
          *byok_json_get_string (root, "nextPageToken") != '\0')
        call->page_token = g_strdup (byok_json_get_string (root, "nextPageToken"));
    }
  else
    {
      gboolean has_more = FALSE;

      array = byok_json_get_array (root, "data");
      if (array == NULL)
        {
          g_set_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                       _("%s sent a model list Byok cannot read. Check the provider’s base URL."),
                       byok_provider_get_name (call->provider));
          return FALSE;
        }
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *model = byok_json_array_get_object (array, i);
          const char *id = model != NULL ? byok_json_get_string (model, "id") : NULL;

          if (id != NULL && *id != '\0')
            g_ptr_array_add (call->ids, g_strdup (id));
        }
      if (style == BYOK_MODELS_LIST_ANTHROPIC &&
          byok_json_get_bool (root, "has_more", &has_more) && has_more &&
          byok_json_get_string (root, "last_id") != NULL)
        call->page_token = g_strdup (byok_json_get_string (root, "last_id"));
    }
  return TRUE;
}

static void
list_page_done (Exchange *ex,
                GError   *error,
                gpointer  user_data)
{
  g_autoptr(GTask) task = user_data;
  FetchCall *call = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;

  if (error == NULL)
    root = fetch_parse_body (ex, &error);
  if (root != NULL)
    list_read_page (call, json_node_get_object (root), &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (call->page_token != NULL && call->pages < MAX_MODEL_PAGES)
    {
      list_fetch_page (g_steal_pointer (&task));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
list_fetch_page (GTask *task)
{
  FetchCall *call = g_task_get_task_data (task);
  ByokClient *self = g_task_get_source_object (task);
  ByokModelsList style = byok_provider_get_models_list (call->provider);
  g_autofree char *base = byok_provider_build_models_url (call->provider);
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  GError *error = NULL;

  if (base == NULL)
    {
      g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_INVALID,
                               _("Byok cannot build the address of the model list of %s. Check "
                                 "the provider’s base URL."),
                               byok_provider_get_name (call->provider));
      g_object_unref (task);
      return;
    }

  if (style == BYOK_MODELS_LIST_ANTHROPIC)
    {
      g_autofree char *first = append_query (base, "limit", "1000");

      url = call->page_token != NULL ? append_query (first, "after_id", call->page_token)
                                     : g_steal_pointer (&first);
    }
  else if (style == BYOK_MODELS_LIST_GEMINI)
    {
      g_autofree char *first = append_query (base, "pageSize", "1000");

      url = call->page_token != NULL ? append_query (first, "pageToken", call->page_token)
                                     : g_steal_pointer (&first);
    }
  else
    url = g_steal_pointer (&base);

  msg = new_message (call->provider, "GET", url, call->key, NULL, FALSE, &error);
  if (msg == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  call->pages++;
  g_clear_pointer (&call->ex, exchange_unref);
  call->ex = exchange_new (self, call->provider, NULL, call->key, msg, FALSE, g_task_get_cancellable (task),
                           NULL, list_page_done, task);
  call->ex->context.ctx.checking_key = call->checking_key;
  exchange_start (call->ex);
}

typedef void (*FetchWithKeyFunc) (GTask *task);

static void
fetch_key_found (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  FetchCall *call = g_task_get_task_data (task);
  FetchWithKeyFunc next = g_object_get_data (G_OBJECT (task), "byok-next");
  g_autoptr(ByokKey) key = NULL;
  GError *error = NULL;

  key = byok_key_store_lookup_finish (BYOK_KEY_STORE (source), result, &error);
  if (key == NULL)
    {
      if (g_error_matches (error, BYOK_ERROR, BYOK_ERROR_NO_KEY) && call->account == NULL)
        {
          g_clear_error (&error);
          error = no_key_error (call->provider);
        }
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  call->key = g_strdup (byok_key_get_secret (key));
  if (call->account == NULL && byok_key_get_account (key) != NULL &&
      byok_key_get_source (key) == BYOK_KEY_SOURCE_KEYRING)
    call->account = g_strdup (byok_key_get_account (key));
  next (task);
}

/* Finds the key (unless one was given or none is needed), then runs @next
 * with the task (whose reference it takes). */
static void
fetch_with_key (GTask            *task,
                FetchWithKeyFunc  next)
{
  ByokClient *self = g_task_get_source_object (task);
  FetchCall *call = g_task_get_task_data (task);

  if (call->key != NULL || !byok_provider_get_needs_key (call->provider))
    {
      next (task);
      return;
    }
  g_object_set_data (G_OBJECT (task), "byok-next", next);
  byok_key_store_lookup_async (self->key_store, byok_provider_get_id (call->provider), call->account,
                               g_task_get_cancellable (task), fetch_key_found, task);
}

static void
list_models_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  ByokClient *self = g_task_get_source_object (outer);
  FetchCall *call = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (outer, error);
      return;
    }
  g_ptr_array_add (call->ids, NULL);
  byok_catalog_merge_models (self->catalog, byok_provider_get_id (call->provider),
                             (const char * const *) call->ids->pdata);
  g_ptr_array_set_size (call->ids, call->ids->len - 1);
  g_task_return_pointer (outer, byok_catalog_get_models (self->catalog, byok_provider_get_id (call->provider)),
                         (GDestroyNotify) g_ptr_array_unref);
}

static GTask *
fetch_task_new (ByokClient    *self,
                ByokProvider  *provider,
                const char    *account,
                const char    *key,
                GCancellable  *cancellable,
                GAsyncReadyCallback callback,
                gpointer       user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  FetchCall *call = g_new0 (FetchCall, 1);

  call->provider = g_object_ref (provider);
  call->account = g_strdup (account);
  call->key = g_strdup (key);
  call->explicit_key = key != NULL;
  call->ids = g_ptr_array_new_with_free_func (g_free);
  call->n_models = -1;
  g_task_set_task_data (task, call, (GDestroyNotify) fetch_call_free);
  return task;
}

/**
 * byok_client_list_models_async:
 *
 * Asks the provider for its models (all pages), merges them into the
 * catalog (byok_catalog_merge_models()) and returns the provider's models.
 * A provider that cannot list its models returns the catalog's.
 */
void
byok_client_list_models_async (ByokClient          *self,
                               const char          *provider_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  ByokProvider *provider;
  GError *error = NULL;

  g_return_if_fail (BYOK_IS_CLIENT (self));
  g_return_if_fail (provider_id != NULL);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, byok_client_list_models_async);

  provider = byok_catalog_lookup_provider (self->catalog, provider_id);
  if (provider == NULL)
    {
      g_task_return_error (outer, unknown_provider_error (provider_id));
      return;
    }
  if (byok_provider_get_models_list (provider) == BYOK_MODELS_LIST_NONE)
    {
      g_task_return_pointer (outer, byok_catalog_get_models (self->catalog, provider_id),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  if (!byok_provider_check_config (provider, &error))
    {
      g_task_return_error (outer, error);
      return;
    }

  fetch_with_key (fetch_task_new (self, provider, NULL, NULL, cancellable, list_models_done,
                                  g_steal_pointer (&outer)),
                  list_fetch_page);
}

/**
 * byok_client_list_models_finish:
 *
 * Returns: (transfer full) (element-type ByokModel): the provider's models,
 *   catalog models first (see byok_model_is_listed()), or %NULL with the
 *   classified error
 */
GPtrArray *
byok_client_list_models_finish (ByokClient    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (BYOK_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- key checks --------------------------------------------------------- */

static void
check_fetch_done (Exchange *ex,
                  GError   *error,
                  gpointer  user_data)
{
  g_autoptr(GTask) task = user_data;
  FetchCall *call = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;

  if (error == NULL)
    root = fetch_parse_body (ex, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* A 2xx with any JSON proves the key; count the models when it lists them. */
  if (ex->context.model == NULL)
    {
      JsonObject *object = json_node_get_object (root);
      JsonArray *array = byok_json_get_array (object, "data");

      if (array == NULL)
        array = byok_json_get_array (object, "models");
      if (array != NULL)
        call->n_models = (int) json_array_get_length (array);
    }
  g_task_return_boolean (task, TRUE);
}

static gboolean
check_uses_listing (ByokProvider *provider)
{
  g_autofree char *models = byok_provider_build_models_url (provider);
  g_autofree char *check = byok_provider_build_key_check_url (provider);

  return models != NULL && check != NULL && g_str_equal (models, check) &&
         g_ascii_strcasecmp (byok_provider_get_key_check_method (provider), "GET") == 0;
}

static void
check_run (GTask *task)
{
  ByokClient *self = g_task_get_source_object (task);
  FetchCall *call = g_task_get_task_data (task);
  ByokProvider *provider = call->provider;
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  const char *method = byok_provider_get_key_check_method (provider);
  const char *model = NULL;
  GError *error = NULL;

  call->checking_key = TRUE;
  if (check_uses_listing (provider))
    {
      list_fetch_page (task);
      return;
    }

  url = byok_provider_build_key_check_url (provider);
  if (url == NULL)
    url = byok_provider_build_models_url (provider);
  if (url == NULL)
    {
      g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_INVALID,
                               _("Byok does not know how to test a key of %s."),
                               byok_provider_get_name (provider));
      g_object_unref (task);
      return;
    }

  if (method != NULL && g_ascii_strcasecmp (method, "POST") == 0)
    {
      g_autoptr(ByokChatRequest) request = NULL;
      ByokModel *check_model;

      /* The cheapest call that proves a key: one token of the cheapest model. */
      model = byok_provider_get_key_check_model (provider);
      request = byok_chat_request_new_simple (model, NULL, "Hi");
      request->max_output_tokens = 1;
      check_model = byok_catalog_lookup_model (self->catalog, byok_provider_get_id (provider), model);

      body = byok_dialect_build_body (provider_dialect (provider), request, check_model, FALSE,
                                      dialect_flags (provider, check_model), &error);
      if (body == NULL)
        {
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
      method = "POST";
    }
  else
    method = "GET";

  msg = new_message (provider, method, url, call->key, body, FALSE, &error);
  if (msg == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_clear_pointer (&call->ex, exchange_unref);
  call->ex = exchange_new (self, provider, model, call->key, msg, FALSE, g_task_get_cancellable (task),
                           NULL, check_fetch_done, task);
  call->ex->context.ctx.checking_key = TRUE;
  exchange_start (call->ex);
}

static void
check_key_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  ByokClient *self = g_task_get_source_object (outer);
  FetchCall *call = g_task_get_task_data (G_TASK (result));
  const char *provider_id = byok_provider_get_id (call->provider);
  GError *error = NULL;
  int n_models = call->n_models;

  if (g_task_propagate_boolean (G_TASK (result), &error) && check_uses_listing (call->provider))
    {
      n_models = (int) call->ids->len;
      g_ptr_array_add (call->ids, NULL);
      byok_catalog_merge_models (self->catalog, provider_id, (const char * const *) call->ids->pdata);
      g_ptr_array_set_size (call->ids, call->ids->len - 1);
    }

  /* A check that sent nothing tested nothing. */
  if (self->key_store != NULL &&
      !g_error_matches (error, BYOK_ERROR, BYOK_ERROR_CANCELLED) &&
      !g_error_matches (error, BYOK_ERROR, BYOK_ERROR_NO_KEY) &&
      !g_error_matches (error, BYOK_ERROR, BYOK_ERROR_INSECURE))
    byok_key_store_record_event (self->key_store, provider_id, call->account, BYOK_KEY_EVENT_TESTED,
                                 error != NULL ? byok_error_get_class (error) : "OK",
                                 error != NULL ? error->message : NULL);

  if (error != NULL)
    {
      g_task_return_error (outer, error);
      return;
    }
  g_task_set_task_data (outer, GINT_TO_POINTER (n_models), NULL);
  g_task_return_boolean (outer, TRUE);
}

/**
 * byok_client_check_key_async:
 * @provider_id: the provider
 * @account: (nullable): the keyring account to test; %NULL for the key calls
 *   use (or for @key)
 * @key: (nullable): a key to test instead of a stored one (the Providers page
 *   tests a key before saving it)
 *
 * Proves a key with the cheapest call that does: the provider's model list
 * where it has one (all pages, merged into the catalog), its key-check
 * endpoint, or a one-token chat on its cheapest model. Records a "tested"
 * key event with the key store.
 */
void
byok_client_check_key_async (ByokClient          *self,
                             const char          *provider_id,
                             const char          *account,
                             const char          *key,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  ByokProvider *provider;
  GError *error = NULL;

  g_return_if_fail (BYOK_IS_CLIENT (self));
  g_return_if_fail (provider_id != NULL);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, byok_client_check_key_async);

  provider = byok_catalog_lookup_provider (self->catalog, provider_id);
  if (provider == NULL)
    {
      g_task_return_error (outer, unknown_provider_error (provider_id));
      return;
    }
  if (!byok_provider_check_config (provider, &error))
    {
      g_task_return_error (outer, error);
      return;
    }
  if (key != NULL && *key == '\0')
    key = NULL;

  fetch_with_key (fetch_task_new (self, provider, account, key, cancellable, check_key_done,
                                  g_steal_pointer (&outer)),
                  check_run);
}

/**
 * byok_client_check_key_finish:
 * @n_models: (out) (optional): how many models the key can use, or -1
 *   when the check does not tell
 *
 * Returns: TRUE if the key works; else FALSE with the classified error
 *   (AUTH when the provider rejected it, NO_KEY, NETWORK, …)
 */
gboolean
byok_client_check_key_finish (ByokClient    *self,
                              GAsyncResult  *result,
                              int           *n_models,
                              GError       **error)
{
  g_return_val_if_fail (BYOK_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (n_models != NULL)
    *n_models = -1;
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (n_models != NULL)
    *n_models = GPOINTER_TO_INT (g_task_get_task_data (G_TASK (result)));
  return TRUE;
}

/**
 * byok_client_describe_key_check:
 * Returns: (transfer full): "Key works — 42 models", or "Key works"
 */
char *
byok_client_describe_key_check (int n_models)
{
  if (n_models < 0)
    return g_strdup (_("Key works"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Key works — %d model", "Key works — %d models",
                                       n_models),
                          n_models);
}

/* ---- object ------------------------------------------------------------- */

static void
register_providers (ByokClient *self)
{
  GPtrArray *providers;

  if (self->key_store == NULL || self->catalog == NULL)
    return;
  providers = byok_catalog_get_providers (self->catalog);
  for (guint i = 0; i < providers->len; i++)
    {
      ByokProvider *provider = g_ptr_array_index (providers, i);

      byok_key_store_add_provider (self->key_store, byok_provider_get_id (provider),
                                   byok_provider_get_name (provider),
                                   byok_provider_get_env_vars (provider));
    }
}

static void
byok_client_constructed (GObject *object)
{
  ByokClient *self = BYOK_CLIENT (object);

  G_OBJECT_CLASS (byok_client_parent_class)->constructed (object);

  if (self->catalog == NULL)
    self->catalog = byok_catalog_new_default ();
  if (self->key_store == NULL)
    self->key_store = byok_key_store_new ();
  register_providers (self);
}

static void
byok_client_dispose (GObject *object)
{
  ByokClient *self = BYOK_CLIENT (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->catalog);
  g_clear_object (&self->key_store);

  G_OBJECT_CLASS (byok_client_parent_class)->dispose (object);
}

static void
byok_client_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  ByokClient *self = BYOK_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CATALOG:
      g_value_set_object (value, self->catalog);
      break;
    case PROP_KEY_STORE:
      g_value_set_object (value, self->key_store);
      break;
    case PROP_CONNECT_TIMEOUT_MS:
      g_value_set_uint (value, self->connect_timeout_ms);
      break;
    case PROP_IDLE_TIMEOUT_MS:
      g_value_set_uint (value, self->idle_timeout_ms);
      break;
    case PROP_RESPONSE_TIMEOUT_MS:
      g_value_set_uint (value, self->response_timeout_ms);
      break;
    case PROP_MAX_ATTEMPTS:
      g_value_set_uint (value, self->max_attempts);
      break;
    case PROP_BACKOFF_BASE_MS:
      g_value_set_uint (value, self->backoff_base_ms);
      break;
    case PROP_MAX_RETRY_WAIT_MS:
      g_value_set_uint (value, self->max_retry_wait_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_client_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  ByokClient *self = BYOK_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CATALOG:
      self->catalog = g_value_dup_object (value);
      break;
    case PROP_KEY_STORE:
      self->key_store = g_value_dup_object (value);
      break;
    case PROP_CONNECT_TIMEOUT_MS:
      byok_client_set_connect_timeout_ms (self, g_value_get_uint (value));
      break;
    case PROP_IDLE_TIMEOUT_MS:
      byok_client_set_idle_timeout_ms (self, g_value_get_uint (value));
      break;
    case PROP_RESPONSE_TIMEOUT_MS:
      byok_client_set_response_timeout_ms (self, g_value_get_uint (value));
      break;
    case PROP_MAX_ATTEMPTS:
      byok_client_set_max_attempts (self, g_value_get_uint (value));
      break;
    case PROP_BACKOFF_BASE_MS:
      byok_client_set_backoff_base_ms (self, g_value_get_uint (value));
      break;
    case PROP_MAX_RETRY_WAIT_MS:
      byok_client_set_max_retry_wait_ms (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_client_class_init (ByokClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = byok_client_constructed;
  object_class->dispose = byok_client_dispose;
  object_class->get_property = byok_client_get_property;
  object_class->set_property = byok_client_set_property;

  properties[PROP_CATALOG] =
    g_param_spec_object ("catalog", NULL, NULL, BYOK_TYPE_CATALOG,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEY_STORE] =
    g_param_spec_object ("key-store", NULL, NULL, BYOK_TYPE_KEY_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * ByokClient:connect-timeout-ms:
   * How long connecting (DNS, TCP, TLS) may take; 0 for no limit.
   */
  properties[PROP_CONNECT_TIMEOUT_MS] =
    g_param_spec_uint ("connect-timeout-ms", NULL, NULL, 0, G_MAXUINT,
                       BYOK_CLIENT_DEFAULT_CONNECT_TIMEOUT_MS, flags);
  /**
   * ByokClient:idle-timeout-ms:
   * How long a stream (or a body) may send nothing before the call fails
   * with TIMEOUT; 0 for no limit.
   */
  properties[PROP_IDLE_TIMEOUT_MS] =
    g_param_spec_uint ("idle-timeout-ms", NULL, NULL, 0, G_MAXUINT,
                       BYOK_CLIENT_DEFAULT_IDLE_TIMEOUT_MS, flags);
  /**
   * ByokClient:response-timeout-ms:
   * How long a non-streamed answer may take to start; 0 for no limit.
   */
  properties[PROP_RESPONSE_TIMEOUT_MS] =
    g_param_spec_uint ("response-timeout-ms", NULL, NULL, 0, G_MAXUINT,
                       BYOK_CLIENT_DEFAULT_RESPONSE_TIMEOUT_MS, flags);
  /**
   * ByokClient:max-attempts:
   * Attempts per (provider, model) of a call, the first one included.
   */
  properties[PROP_MAX_ATTEMPTS] =
    g_param_spec_uint ("max-attempts", NULL, NULL, 1, 100,
                       BYOK_CLIENT_DEFAULT_MAX_ATTEMPTS, flags);
  /**
   * ByokClient:backoff-base-ms:
   * The first wait before a retry when the provider asks for none; it
   * doubles with each retry, with jitter.
   */
  properties[PROP_BACKOFF_BASE_MS] =
    g_param_spec_uint ("backoff-base-ms", NULL, NULL, 0, G_MAXUINT,
                       BYOK_CLIENT_DEFAULT_BACKOFF_BASE_MS, flags);
  /**
   * ByokClient:max-retry-wait-ms:
   * The longest wait before a retry; a provider asking for longer gets no
   * retry (RATE_LIMIT, with the wait in the message).
   */
  properties[PROP_MAX_RETRY_WAIT_MS] =
    g_param_spec_uint ("max-retry-wait-ms", NULL, NULL, 0, G_MAXUINT,
                       BYOK_CLIENT_DEFAULT_MAX_RETRY_WAIT_MS, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ByokClient::delta:
   * @request: the request of the call, as given to byok_client_chat_async()
   * @text: the text that just arrived
   */
  signals[DELTA] =
    g_signal_new ("delta", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  BYOK_TYPE_CHAT_REQUEST | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * ByokClient::reasoning-delta:
   * @request: the request of the call
   * @text: the reasoning ("thinking") text that just arrived
   */
  signals[REASONING_DELTA] =
    g_signal_new ("reasoning-delta", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  BYOK_TYPE_CHAT_REQUEST | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * ByokClient::retrying:
   * @request: the request of the call
   * @notice: (type gpointer): the ByokRetryNotice: what failed, how long
   *   the client waits, which attempt comes next
   *
   * A failed attempt will be tried again after a wait; the call can still
   * be stopped with its cancellable meanwhile.
   */
  signals[RETRYING] =
    g_signal_new ("retrying", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  BYOK_TYPE_CHAT_REQUEST | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_POINTER);
}

static void
byok_client_init (ByokClient *self)
{
  g_autofree char *user_agent = g_strdup_printf ("Byok/%s ", PACKAGE_VERSION);

  self->connect_timeout_ms = BYOK_CLIENT_DEFAULT_CONNECT_TIMEOUT_MS;
  self->idle_timeout_ms = BYOK_CLIENT_DEFAULT_IDLE_TIMEOUT_MS;
  self->response_timeout_ms = BYOK_CLIENT_DEFAULT_RESPONSE_TIMEOUT_MS;
  self->max_attempts = BYOK_CLIENT_DEFAULT_MAX_ATTEMPTS;
  self->backoff_base_ms = BYOK_CLIENT_DEFAULT_BACKOFF_BASE_MS;
  self->max_retry_wait_ms = BYOK_CLIENT_DEFAULT_MAX_RETRY_WAIT_MS;
  /* Timeouts are ours (per phase); libsoup's would cut long streams.
   * libsoup allows two connections per host by default: a comparison of
   * four models on one HTTP/1.1 host (a local server, a gateway) would
   * queue the third and fourth behind the first two. */
  self->session = soup_session_new_with_options ("user-agent", user_agent,
                                                 "timeout", 0,
                                                 "idle-timeout", 60,
                                                 "max-conns-per-host", 8,
                                                 NULL);
}

/**
 * byok_client_new:
 * @catalog: (nullable): the providers and models; %NULL for the default
 * @key_store: (nullable): where keys come from; %NULL for a new one
 *
 * Every provider of @catalog is registered with @key_store (its display
 * name and environment variables).
 */
ByokClient *
byok_client_new (ByokCatalog  *catalog,
                 ByokKeyStore *key_store)
{
  return g_object_new (BYOK_TYPE_CLIENT, "catalog", catalog, "key-store", key_store, NULL);
}

ByokCatalog *
byok_client_get_catalog (ByokClient *self)
{
  g_return_val_if_fail (BYOK_IS_CLIENT (self), NULL);
  return self->catalog;
}

ByokKeyStore *
byok_client_get_key_store (ByokClient *self)
{
  g_return_val_if_fail (BYOK_IS_CLIENT (self), NULL);
  return self->key_store;
}

SoupSession *
byok_client_get_session (ByokClient *self)
{
  g_return_val_if_fail (BYOK_IS_CLIENT (self), NULL);
  return self->session;
}

#define DEFINE_UINT_PROPERTY(name, field, prop)                                  \
  guint                                                                          \
  byok_client_get_##name (ByokClient *self)                                      \
  {                                                                              \
    g_return_val_if_fail (BYOK_IS_CLIENT (self), 0);                             \
    return self->field;                                                          \
  }                                                                              \
  void                                                                           \
  byok_client_set_##name (ByokClient *self,                                      \
                          guint       value)                                     \
  {                                                                              \
    g_return_if_fail (BYOK_IS_CLIENT (self));                                    \
    if (self->field == value)                                                    \
      return;                                                                    \
    self->field = value;                                                         \
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);                \
  }

DEFINE_UINT_PROPERTY (connect_timeout_ms, connect_timeout_ms, PROP_CONNECT_TIMEOUT_MS)
DEFINE_UINT_PROPERTY (idle_timeout_ms, idle_timeout_ms, PROP_IDLE_TIMEOUT_MS)
DEFINE_UINT_PROPERTY (response_timeout_ms, response_timeout_ms, PROP_RESPONSE_TIMEOUT_MS)
DEFINE_UINT_PROPERTY (backoff_base_ms, backoff_base_ms, PROP_BACKOFF_BASE_MS)
DEFINE_UINT_PROPERTY (max_retry_wait_ms, max_retry_wait_ms, PROP_MAX_RETRY_WAIT_MS)

void
byok_client_set_max_attempts (ByokClient *self,
                              guint       max_attempts)
{
  g_return_if_fail (BYOK_IS_CLIENT (self));

  max_attempts = MAX (max_attempts, 1);
  if (self->max_attempts == max_attempts)
    return;
  self->max_attempts = max_attempts;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_ATTEMPTS]);
}

guint
byok_client_get_max_attempts (ByokClient *self)
{
  g_return_val_if_fail (BYOK_IS_CLIENT (self), 0);
  return self->max_attempts;
}
