/* byok-exchange.c — one HTTP request to a provider: its phases, timers
 * and error mapping (see byok-exchange-private.h) */
#define G_LOG_DOMAIN "byok-client"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "byok-error.h"
#include "byok-exchange-private.h"
#include "byok-key-format.h"

/* The most a whole (non-streamed) body may weigh. */
#define MAX_BODY_BYTES (16 * 1024 * 1024)
#define READ_SIZE 16384

/* ---- small helpers ------------------------------------------------------ */

/* "0.3 s", "12 s", "2 min 5 s" */
char *
_byok_format_wait (gint64 us)
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

static GSource *
attach_timeout (guint       ms,
                GSourceFunc func,
                gpointer    data)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, data, NULL);
  g_source_set_static_name (source, "[byok-client] timer");
  g_source_attach (source, g_main_context_get_thread_default ());
  return source;
}

void
_byok_clear_source (GSource **source)
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

const ByokDialect *
_byok_provider_dialect (ByokProvider *provider)
{
  const ByokDialect *dialect = byok_dialect_get (byok_provider_get_dialect_name (provider));

  return dialect != NULL ? dialect : byok_dialect_get ("openai");
}

ByokDialectFlags
_byok_dialect_flags (ByokProvider *provider,
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
  if (g_strcmp0 (byok_provider_get_id (provider), "openai") == 0 ||
      g_strcmp0 (byok_provider_get_id (provider), "azure") == 0)
    flags |= BYOK_DIALECT_FLAG_IMAGE_DETAIL;
  return flags;
}

GError *
_byok_no_key_error (ByokProvider *provider)
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

GError *
_byok_unknown_provider_error (const char *provider_id)
{
  return g_error_new (BYOK_ERROR, BYOK_ERROR_INVALID,
                      _("There is no provider “%s”. Run “byok-cli providers” for the list."),
                      provider_id);
}

void
_byok_exchange_context_init (ByokExchangeContext *c,
                             ByokCatalog         *catalog,
                             ByokProvider        *provider,
                             const char          *model,
                             const char          *key)
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

void
_byok_exchange_context_clear (ByokExchangeContext *c)
{
  g_clear_pointer (&c->provider_id, g_free);
  g_clear_pointer (&c->provider_name, g_free);
  g_clear_pointer (&c->model, g_free);
  g_clear_pointer (&c->known_models, g_strfreev);
  g_clear_pointer (&c->secret, byok_secret_free);
}

/* ---- one HTTP exchange -------------------------------------------------- */

ByokExchange *
_byok_exchange_ref (ByokExchange *ex)
{
  g_atomic_ref_count_inc (&ex->ref_count);
  return ex;
}

void
_byok_exchange_unref (ByokExchange *ex)
{
  if (ex == NULL || !g_atomic_ref_count_dec (&ex->ref_count))
    return;
  _byok_clear_source (&ex->timer);
  _byok_clear_source (&ex->wait_source);
  if (ex->user_handler != 0)
    g_cancellable_disconnect (ex->user_cancellable, ex->user_handler);
  if (ex->msg != NULL)
    g_signal_handlers_disconnect_by_data (ex->msg, ex);
  g_clear_pointer (&ex->transport, _byok_transport_unref);
  _byok_exchange_context_clear (&ex->context);
  g_clear_object (&ex->msg);
  g_clear_object (&ex->in);
  g_clear_object (&ex->cancellable);
  g_clear_object (&ex->user_cancellable);
  g_clear_pointer (&ex->body, g_byte_array_unref);
  if (ex->user_data_free != NULL)
    g_clear_pointer (&ex->user_data, ex->user_data_free);
  g_free (ex);
}

static guint
phase_timeout_ms (ByokExchange      *ex,
                  ByokExchangePhase  phase)
{
  switch (phase)
    {
    case BYOK_EXCHANGE_PHASE_CONNECT:
      return ex->transport->connect_timeout_ms;
    case BYOK_EXCHANGE_PHASE_WAIT:
      return ex->want_stream ? ex->transport->idle_timeout_ms
                             : ex->transport->response_timeout_ms;
    case BYOK_EXCHANGE_PHASE_BODY:
    default:
      return ex->transport->idle_timeout_ms;
    }
}

static gboolean
exchange_timed_out (gpointer data)
{
  ByokExchange *ex = data;
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
exchange_set_phase (ByokExchange      *ex,
                    ByokExchangePhase  phase)
{
  guint ms = phase_timeout_ms (ex, phase);

  _byok_clear_source (&ex->timer);
  ex->phase = phase;
  if (ms > 0 && !ex->completed)
    ex->timer = attach_timeout (ms, exchange_timed_out, ex);
}

static void
exchange_wrote_headers (SoupMessage  *msg,
                        ByokExchange *ex)
{
  if (ex->phase == BYOK_EXCHANGE_PHASE_CONNECT)
    exchange_set_phase (ex, BYOK_EXCHANGE_PHASE_WAIT);
}

static void
exchange_wrote_body (SoupMessage  *msg,
                     ByokExchange *ex)
{
  ex->wrote_body = TRUE;
}

/**
 * _byok_exchange_new:
 * @key: (nullable): the key the request carries, masked out of errors
 * @want_stream: the caller reads an event stream (@on_data)
 * @cancellable: (nullable): the caller's
 * @on_data: (nullable): for an event stream's pieces
 * @on_done: called once when the exchange ends
 * @user_data: (transfer full): for @on_data and @on_done; the exchange
 *   holds it until @on_done has returned, then frees it with
 *   @user_data_free
 *
 * Returns: (transfer full): an exchange for @msg, not started yet
 */
ByokExchange *
_byok_exchange_new (ByokTransport        *transport,
                    ByokProvider         *provider,
                    const char           *model,
                    const char           *key,
                    SoupMessage          *msg,
                    gboolean              want_stream,
                    GCancellable         *cancellable,
                    ByokExchangeDataFunc  on_data,
                    ByokExchangeDoneFunc  on_done,
                    gpointer              user_data,
                    GDestroyNotify        user_data_free)
{
  ByokExchange *ex = g_new0 (ByokExchange, 1);

  g_atomic_ref_count_init (&ex->ref_count);
  ex->transport = _byok_transport_ref (transport);
  ex->dialect = _byok_provider_dialect (provider);
  _byok_exchange_context_init (&ex->context, transport->catalog, provider, model, key);
  ex->msg = g_object_ref (msg);
  ex->cancellable = g_cancellable_new ();
  ex->user_cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  ex->want_stream = want_stream;
  ex->body = g_byte_array_new ();
  ex->retry_after_us = -1;
  ex->on_data = on_data;
  ex->on_done = on_done;
  ex->user_data = user_data;
  ex->user_data_free = user_data_free;
  return ex;
}

static GError *
exchange_timeout_error (ByokExchange *ex)
{
  g_autofree char *wait = _byok_format_wait ((gint64) ex->timed_out_ms * 1000);
  const char *name = ex->context.provider_name;

  switch (ex->timed_out_phase)
    {
    case BYOK_EXCHANGE_PHASE_CONNECT:
      {
        g_autofree char *host = dup_provider_host (ex->msg);

        /* Translators: %1$s is a provider, %2$s a host name, %3$s a duration ("15 s") */
        return g_error_new (BYOK_ERROR, BYOK_ERROR_TIMEOUT,
                            _("Could not connect to %1$s (%2$s) within %3$s. Check your network, "
                              "proxy and the provider’s base URL, then try again."),
                            name, host, wait);
      }
    case BYOK_EXCHANGE_PHASE_WAIT:
      /* Translators: %1$s is a provider, %2$s a duration ("2 min") */
      return g_error_new (BYOK_ERROR, BYOK_ERROR_TIMEOUT,
                          _("%1$s did not start answering within %2$s. It may be overloaded; "
                            "try again later."),
                          name, wait);
    case BYOK_EXCHANGE_PHASE_BODY:
    default:
      /* Translators: %1$s is a provider, %2$s a duration ("2 min") */
      return g_error_new (BYOK_ERROR, BYOK_ERROR_TIMEOUT,
                          _("%1$s stopped sending for %2$s in the middle of the answer. What "
                            "arrived is kept; try again."),
                          name, wait);
    }
}

GError *
_byok_cancelled_error (void)
{
  return g_error_new_literal (BYOK_ERROR, BYOK_ERROR_CANCELLED,
                              _("Stopped. What arrived is kept."));
}

/* Turns an error of GIO or libsoup into a BYOK_ERROR. */
static GError *
exchange_map_error (ByokExchange *ex,
                    GError       *error)
{
  g_autofree char *host = NULL;
  GError *mapped;

  if (error->domain == BYOK_ERROR)
    return error;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    mapped = ex->timed_out ? exchange_timeout_error (ex) : _byok_cancelled_error ();
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

/* A redirect is never followed (_byok_exchange_new_message()): libsoup would send the
 * provider's key headers (x-api-key, api-key, x-goog-api-key) to wherever
 * it points, and only Authorization is dropped on the way. */
static GError *
exchange_redirect_error (ByokExchange *ex)
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
exchange_complete (ByokExchange *ex,
                   GError       *error)
{
  /* Held until the end: on_done may drop the caller's reference. */
  g_autoptr(ByokExchange) hold = _byok_exchange_ref (ex);

  (void) hold;
  if (ex->completed)
    {
      g_clear_error (&error);
      return;
    }
  ex->completed = TRUE;
  ex->end_us = g_get_monotonic_time ();
  _byok_clear_source (&ex->timer);
  _byok_clear_source (&ex->wait_source);
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

  /* Closed, or (an answer that ended before its body) drained first. */
  if (ex->in != NULL)
    _byok_transport_end_body (ex->transport, soup_message_get_uri (ex->msg), ex->in, !ex->eof && error == NULL);

  /* What the provider says is masked where it is read (the context's
   * secret); this catches the rest: a redirect's host, a system message. */
  if (error != NULL && ex->context.secret != NULL)
    {
      char *message = byok_key_format_redact (error->message, -1, ex->context.secret, NULL);

      g_free (error->message);
      error->message = message;
    }

  ex->on_done (ex, error, ex->user_data);
  /* Nothing more is called: what the caller handed on goes now. */
  if (ex->user_data_free != NULL)
    g_clear_pointer (&ex->user_data, ex->user_data_free);
  ex->user_data = NULL;
}

static void exchange_read_more (ByokExchange *ex);

static void
exchange_read_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(ByokExchange) ex = user_data;
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

  exchange_set_phase (ex, BYOK_EXCHANGE_PHASE_BODY);
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
exchange_read_more (ByokExchange *ex)
{
  g_input_stream_read_bytes_async (ex->in, READ_SIZE, G_PRIORITY_DEFAULT, ex->cancellable,
                                   exchange_read_done, _byok_exchange_ref (ex));
}

static gboolean
content_type_is_event_stream (SoupMessage *msg)
{
  const char *type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);

  return type != NULL && g_ascii_strcasecmp (type, "text/event-stream") == 0;
}

static void exchange_send (ByokExchange *ex);

/* @msg again, for a new connection: the same request, body included (its
 * stream was read), without the idempotent flag. */
static SoupMessage *
message_copy (SoupMessage *msg)
{
  SoupMessage *copy = soup_message_new_from_uri (soup_message_get_method (msg), soup_message_get_uri (msg));
  SoupMessageHeaders *headers = soup_message_get_request_headers (copy);
  GBytes *body = g_object_get_data (G_OBJECT (msg), "byok-request-body");
  SoupMessageHeadersIter iter;
  const char *name, *value;

  soup_message_set_flags (copy, soup_message_get_flags (msg) & ~SOUP_MESSAGE_IDEMPOTENT);
  soup_message_headers_iter_init (&iter, soup_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_append (headers, name, value);
  if (body != NULL)
    {
      soup_message_set_request_body_from_bytes (copy, soup_message_headers_get_content_type (headers, NULL), body);
      g_object_set_data_full (G_OBJECT (copy), "byok-request-body", g_bytes_ref (body),
                              (GDestroyNotify) g_bytes_unref);
    }
  return copy;
}

/* A request flagged idempotent may go on an idle connection: one an
 * earlier request left, or one opened ahead (byok_client_preconnect()).
 * Every request is flagged (_byok_exchange_new_message()); the copy sent
 * again is not, so it takes a new connection. A server may close an idle
 * connection at any time; when it did as the request went out, sending it
 * fails before the whole request was written, so the provider cannot have
 * taken it. It goes again at once, on a new connection: not an attempt of
 * the call's (which would wait, and count one the provider never saw).
 * Once the whole request went out, a failure is the call's attempt as any
 * other (recorded, retried with its wait): the provider may have read it
 * and may bill it, and a call sent again unseen would be a paid call with
 * no row. */
static gboolean
exchange_resend (ByokExchange *ex,
                 const GError *error)
{
  g_autoptr(SoupMessage) copy = NULL;

  if (ex->resent || ex->wrote_body || ex->timed_out || !(soup_message_get_flags (ex->msg) & SOUP_MESSAGE_IDEMPOTENT) ||
      soup_message_get_status (ex->msg) != SOUP_STATUS_NONE || error->domain != G_IO_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK) ||
      g_cancellable_is_cancelled (ex->cancellable))
    return FALSE;

  g_debug ("%s: the connection was closed under the request (%s); sending it on a new one",
           ex->context.provider_id, error->message);
  copy = message_copy (ex->msg);
  g_signal_handlers_disconnect_by_data (ex->msg, ex);
  g_set_object (&ex->msg, copy);
  ex->resent = TRUE;
  exchange_send (ex);
  return TRUE;
}

static void
exchange_sent (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(ByokExchange) ex = user_data;
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
      if (exchange_resend (ex, error))
        g_clear_error (&error);
      else
        exchange_complete (ex, error);
      return;
    }

  ex->in = in;
  ex->headers_us = g_get_monotonic_time ();
  ex->status = soup_message_get_status (ex->msg);
  ex->sse = ex->want_stream && SOUP_STATUS_IS_SUCCESSFUL (ex->status) &&
            content_type_is_event_stream (ex->msg);
  g_debug ("%s: HTTP %u%s", ex->context.provider_id, ex->status, ex->sse ? " (event stream)" : "");
  exchange_set_phase (ex, BYOK_EXCHANGE_PHASE_BODY);
  exchange_read_more (ex);
}

static void
exchange_send (ByokExchange *ex)
{
  g_signal_connect (ex->msg, "wrote-headers", G_CALLBACK (exchange_wrote_headers), ex);
  g_signal_connect (ex->msg, "wrote-body", G_CALLBACK (exchange_wrote_body), ex);
  exchange_set_phase (ex, BYOK_EXCHANGE_PHASE_CONNECT);
  soup_session_send_async (ex->transport->session, ex->msg, G_PRIORITY_DEFAULT, ex->cancellable,
                           exchange_sent, _byok_exchange_ref (ex));
}

static void
exchange_drained (gpointer data)
{
  ByokExchange *ex = data;

  _byok_clear_source (&ex->wait_source);
  if (!ex->completed)
    exchange_send (ex);
}

/* Stopped while waiting for a drain: nothing went out. */
static gboolean
exchange_stopped_waiting (GCancellable *cancellable,
                          gpointer      data)
{
  ByokExchange *ex = data;

  g_clear_pointer (&ex->wait_source, g_source_unref);
  exchange_complete (ex, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled"));
  return G_SOURCE_REMOVE;
}

/* Sends the request; on_done will be called once, from the main loop. */
void
_byok_exchange_start (ByokExchange *ex)
{
  g_autofree char *uri = g_uri_to_string_partial (soup_message_get_uri (ex->msg), G_URI_HIDE_PASSWORD);

  g_debug ("%s %s", soup_message_get_method (ex->msg), uri);
  ex->sent_us = g_get_monotonic_time ();
  if (ex->user_cancellable != NULL)
    ex->user_handler = g_cancellable_connect (ex->user_cancellable, G_CALLBACK (cancel_other),
                                              g_object_ref (ex->cancellable), g_object_unref);
  /* After an answer that ended before its body, whose rest is still being
   * read: its connection is idle (or closed) in a moment, and this
   * request takes it then, rather than opening another beside it. */
  if (_byok_transport_wait_drained (ex->transport, soup_message_get_uri (ex->msg), exchange_drained,
                                    ex, (GDestroyNotify) _byok_exchange_unref))
    {
      /* The waiter holds the exchange (dropped after exchange_drained()). */
      _byok_exchange_ref (ex);
      ex->wait_source = g_cancellable_source_new (ex->cancellable);
      g_source_set_callback (ex->wait_source, G_SOURCE_FUNC (exchange_stopped_waiting), ex, NULL);
      g_source_set_static_name (ex->wait_source, "[byok-client] stop while waiting");
      g_source_attach (ex->wait_source, g_main_context_get_thread_default ());
      return;
    }
  exchange_send (ex);
}

/* A request with the provider's headers and the key (never logged). */
SoupMessage *
_byok_exchange_new_message (ByokProvider  *provider,
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
  /* Never to another address: see exchange_redirect_error(). An idle
   * connection to the host serves (libsoup opens a new one for every POST
   * unless the message is flagged idempotent); the flag changes nothing
   * else: libsoup resends a request whose connection turned out closed only
   * for idempotent methods (GET), never for a flagged POST, so a chat is
   * never sent twice by it; that failure is a network failure, which the
   * call retries as an attempt of its own. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT | SOUP_MESSAGE_IDEMPOTENT);
  headers = soup_message_get_request_headers (msg);
  byok_provider_apply_headers (provider, headers, key);
  soup_message_headers_replace (headers, "Accept", stream ? "text/event-stream" : "application/json");
  if (body != NULL)
    {
      soup_message_set_request_body_from_bytes (msg, "application/json", body);
      /* For sending it again (message_copy()). */
      g_object_set_data_full (G_OBJECT (msg), "byok-request-body", g_bytes_ref (body),
                              (GDestroyNotify) g_bytes_unref);
    }
  return msg;
}

