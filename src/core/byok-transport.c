/* byok-transport.c — the session, settings and targets a client's requests
 * share (byok-transport-private.h)
 */
#define G_LOG_DOMAIN "byok-client"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "byok-error.h"
#include "byok-transport-private.h"

/* The rest of a body being read before its stream is closed
 * (_byok_transport_end_body()) */
typedef struct {
  ByokTransport *transport;     /* NULL once the transport is gone */
  char          *origin;        /* what waits for this; NULL: closed at
                                 * once, or settled (drain_settle()) */
  GInputStream  *in;
  GCancellable  *cancellable;
  GSource       *timer;
} Drain;

static void origin_free (gpointer data);

/* ---- life --------------------------------------------------------------- */

/**
 * _byok_transport_new:
 *
 * A transport with its session; the client sets its catalog, key store
 * and settings.
 *
 * Returns: (transfer full)
 */
ByokTransport *
_byok_transport_new (void)
{
  ByokTransport *self = g_new0 (ByokTransport, 1);
  g_autofree char *user_agent = g_strdup_printf ("Byok/%s ", PACKAGE_VERSION);

  g_atomic_ref_count_init (&self->ref_count);
  self->origins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, origin_free);
  self->drains = g_ptr_array_new ();
  /* Timeouts are ours (per phase); libsoup's would cut long streams.
   * libsoup allows two connections per host by default: a comparison of
   * four models on one HTTP/1.1 host (a local server, a gateway) would
   * queue the third and fourth behind the first two. */
  self->session = soup_session_new_with_options ("user-agent", user_agent,
                                                 "timeout", 0,
                                                 "idle-timeout", 60,
                                                 "max-conns-per-host", 8,
                                                 NULL);
  return self;
}

ByokTransport *
_byok_transport_ref (ByokTransport *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
_byok_transport_unref (ByokTransport *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;
  /* What still drains is closed now; no one waits for it any more (a
   * request waiting holds the transport, so none is left). */
  for (guint i = 0; i < self->drains->len; i++)
    {
      Drain *drain = g_ptr_array_index (self->drains, i);

      drain->transport = NULL;
      g_cancellable_cancel (drain->cancellable);
    }
  g_clear_pointer (&self->drains, g_ptr_array_unref);
  g_clear_pointer (&self->origins, g_hash_table_unref);
  soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->catalog);
  g_clear_object (&self->key_store);
  g_free (self);
}

/* ---- targets ------------------------------------------------------------ */

/* byok_client_parse_target(), and a call's fallbacks. */
gboolean
_byok_transport_parse_target (ByokTransport  *self,
                              const char     *target,
                              char          **provider_id,
                              char          **model,
                              GError        **error)
{
  const char *slash;
  ByokModel *found;

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

/* ---- the end of a body -------------------------------------------------- */

/* How long the rest of a body whose answer ended is read, so that its
 * connection can serve again, before the stream is closed. */
#define DRAIN_TIMEOUT_MS 2000
#define DRAIN_READ_SIZE 16384

typedef struct {
  ByokTransportReadyFunc  func;
  gpointer                data;
  GDestroyNotify          data_free;
} Waiter;

/* One origin's bodies being drained, and the requests waiting for them */
typedef struct {
  guint   n_draining;
  GQueue  waiters;
} Origin;

static void
waiter_free (Waiter *waiter)
{
  if (waiter->data_free != NULL)
    waiter->data_free (waiter->data);
  g_free (waiter);
}

static void
origin_free (gpointer data)
{
  Origin *origin = data;

  g_queue_clear_full (&origin->waiters, (GDestroyNotify) waiter_free);
  g_free (origin);
}

/* "https://api.openai.com:443": what libsoup pools connections by */
static char *
origin_key (GUri *uri)
{
  g_autofree char *scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  g_autofree char *host = g_ascii_strdown (g_uri_get_host (uri) != NULL ? g_uri_get_host (uri) : "", -1);
  int port = g_uri_get_port (uri);

  if (port <= 0)
    port = g_str_equal (scheme, "https") ? 443 : 80;
  return g_strdup_printf ("%s://%s:%d", scheme, host, port);
}

static void
origin_drained (ByokTransport *self,
                const char    *key)
{
  Origin *origin = g_hash_table_lookup (self->origins, key);
  GQueue waiters = G_QUEUE_INIT;
  Waiter *waiter;

  g_return_if_fail (origin != NULL && origin->n_draining > 0);
  if (--origin->n_draining > 0)
    return;
  waiters = origin->waiters;
  g_queue_init (&origin->waiters);
  g_hash_table_remove (self->origins, key);
  while ((waiter = g_queue_pop_head (&waiters)) != NULL)
    {
      waiter->func (waiter->data);
      waiter_free (waiter);
    }
}

/* The requests waiting for @drain go now, once: when its stream is
 * closed (its connection idle again, or closed), or at its time limit,
 * whichever comes first. */
static void
drain_settle (Drain *drain)
{
  g_autofree char *origin = g_steal_pointer (&drain->origin);

  if (origin != NULL && drain->transport != NULL)
    origin_drained (drain->transport, origin);
}

static void
drain_closed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Drain *drain = user_data;

  g_input_stream_close_finish (G_INPUT_STREAM (source), result, NULL);
  if (drain->timer != NULL)
    {
      g_source_destroy (drain->timer);
      g_clear_pointer (&drain->timer, g_source_unref);
    }
  if (drain->transport != NULL)
    g_ptr_array_remove_fast (drain->transport->drains, drain);
  drain_settle (drain);
  g_free (drain->origin);
  g_object_unref (drain->in);
  g_object_unref (drain->cancellable);
  g_free (drain);
}

/* The rest of the body did not come in time (a server holding it open):
 * the read stops, and the stream is closed half-read as it returns, which
 * makes libsoup close the connection rather than reuse it. The requests
 * waiting go now, on a connection of their own, whether or not libsoup
 * has finished with this one: nothing libsoup does or fails to do with
 * the old stream can hold them past this limit. */
static gboolean
drain_timeout (gpointer data)
{
  Drain *drain = data;

  g_clear_pointer (&drain->timer, g_source_unref);
  g_cancellable_cancel (drain->cancellable);
  drain_settle (drain);
  return G_SOURCE_REMOVE;
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

/* At the priority of the exchange's own reads, not below: a request may
 * be waiting for this, and a window that keeps drawing (a spinner
 * rendered in software takes longer than a frame) keeps a source of
 * GTK's redraw priority ready at every turn of the main loop, so a read
 * at G_PRIORITY_LOW would never be dispatched. */
static void
drain_read (Drain *drain)
{
  g_input_stream_read_bytes_async (drain->in, DRAIN_READ_SIZE, G_PRIORITY_DEFAULT, drain->cancellable,
                                   drain_read_done, drain);
}

/**
 * _byok_transport_end_body:
 * @uri: the request's
 * @in: the response's body
 * @drain_rest: the answer ended before the body (`[DONE]`, `message_stop`,
 *   Gemini's finishReason): read the rest first
 *
 * Ends a response's body, so that its connection serves the next request
 * or goes. libsoup 3 gives a connection back to the session only when the
 * body's stream is closed: reaching its end only marks the body read. So
 * the stream is closed as the exchange ends, whatever ended it:
 *   - read to its end (a whole body, an event stream the server closed, an
 *     error's body): closed at once, and the connection is idle again
 *     before the caller hears of the end;
 *   - with @drain_rest, an answer complete before the body's end: the rest
 *     (the chunked terminator, or whatever a server sends after the end)
 *     is read and dropped, for DRAIN_TIMEOUT_MS at most, then the stream
 *     is closed. Meanwhile the next request to the origin waits
 *     (_byok_transport_wait_drained()): the connection is idle once the
 *     server ended the body, closed if it holds it open, and never taken
 *     half-read. That wait ends at DRAIN_TIMEOUT_MS, by our own timer,
 *     even if libsoup never finishes the read or the close;
 *   - a failure or a Stop mid-body: closed half-read at once. libsoup does
 *     not give back a connection whose body was not read to its end: it
 *     closes it, and the server sees it closed.
 */
void
_byok_transport_end_body (ByokTransport *self,
                          GUri          *uri,
                          GInputStream  *in,
                          gboolean       drain_rest)
{
  Drain *drain = g_new0 (Drain, 1);

  drain->in = g_object_ref (in);
  drain->cancellable = g_cancellable_new ();
  if (!drain_rest)
    {
      g_input_stream_close_async (drain->in, G_PRIORITY_DEFAULT, NULL, drain_closed, drain);
      return;
    }
  drain->transport = self;
  drain->origin = origin_key (uri);
  g_ptr_array_add (self->drains, drain);
  {
    Origin *origin = g_hash_table_lookup (self->origins, drain->origin);

    if (origin == NULL)
      {
        origin = g_new0 (Origin, 1);
        g_queue_init (&origin->waiters);
        g_hash_table_insert (self->origins, g_strdup (drain->origin), origin);
      }
    origin->n_draining++;
  }
  drain->timer = g_timeout_source_new (DRAIN_TIMEOUT_MS);
  g_source_set_callback (drain->timer, drain_timeout, drain, NULL);
  g_source_set_static_name (drain->timer, "[byok-client] drain");
  g_source_attach (drain->timer, g_main_context_get_thread_default ());
  drain_read (drain);
}

/**
 * _byok_transport_wait_drained:
 * @func: what goes once no body to @uri's origin is being drained
 * @data_free: (nullable): frees @data after @func, or unused if the
 *   transport goes first
 *
 * Returns: TRUE if @func was queued; FALSE if nothing drains there: go
 *   now (@func is not called, @data not freed).
 */
gboolean
_byok_transport_wait_drained (ByokTransport          *self,
                              GUri                   *uri,
                              ByokTransportReadyFunc  func,
                              gpointer                data,
                              GDestroyNotify          data_free)
{
  g_autofree char *key = origin_key (uri);
  Origin *origin = g_hash_table_lookup (self->origins, key);
  Waiter *waiter;

  if (origin == NULL)
    return FALSE;
  waiter = g_new0 (Waiter, 1);
  waiter->func = func;
  waiter->data = data;
  waiter->data_free = data_free;
  g_queue_push_tail (&origin->waiters, waiter);
  return TRUE;
}

/* ---- preconnect --------------------------------------------------------- */

static void
preconnect_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autofree char *provider_id = user_data;
  g_autoptr(GError) error = NULL;

  if (!soup_session_preconnect_finish (SOUP_SESSION (source), result, &error))
    g_debug ("No connection ahead to %s: %s", provider_id, error->message);
}

typedef struct {
  ByokTransport *transport;     /* not held: alive whenever this runs */
  SoupMessage   *msg;
  char          *provider_id;
} Preconnect;

static void
preconnect_free (gpointer data)
{
  Preconnect *pre = data;

  g_object_unref (pre->msg);
  g_free (pre->provider_id);
  g_free (pre);
}

static void
preconnect_go (gpointer data)
{
  Preconnect *pre = data;

  soup_session_preconnect_async (pre->transport->session, pre->msg, G_PRIORITY_DEFAULT, NULL, preconnect_cb,
                                 g_strdup (pre->provider_id));
}

/* byok_client_preconnect() */
void
_byok_transport_preconnect (ByokTransport *self,
                            const char    *provider_id)
{
  ByokProvider *provider;
  const char *base_url;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  provider = byok_catalog_lookup_provider (self->catalog, provider_id);
  base_url = provider != NULL ? byok_provider_get_base_url (provider) : NULL;
  uri = base_url != NULL ? g_uri_parse (base_url, SOUP_HTTP_URI_FLAGS, NULL) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0 &&
       g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0))
    return;
  /* Never sent; a GET, so that an idle connection to the host serves
   * instead of a new one. The next request to the host takes the one
   * opened here (every request may take an idle connection,
   * _byok_exchange_new_message()). */
  msg = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  /* A connection whose answer ended before its body may be the idle one
   * in a moment: asked for after it is read. */
  {
    Preconnect *pre = g_new0 (Preconnect, 1);

    pre->transport = self;
    pre->msg = g_object_ref (msg);
    pre->provider_id = g_strdup (provider_id);
    if (_byok_transport_wait_drained (self, uri, preconnect_go, pre, preconnect_free))
      return;
    preconnect_free (pre);
  }
  soup_session_preconnect_async (self->session, msg, G_PRIORITY_DEFAULT, NULL, preconnect_cb,
                                 g_strdup (provider_id));
}
