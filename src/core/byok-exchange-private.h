/* byok-exchange-private.h — one HTTP request to a provider, inside the core
 *
 * A ByokExchange sends one SoupMessage on its client's session (the
 * client's transport, byok-transport-private.h) and reads its answer, in
 * three timed phases (connecting, waiting for the headers, reading the
 * body; the client's timeouts), and ends once with a
 * classified BYOK_ERROR or none:
 *   - a cancelled or timed-out phase, a network or HTTP parse failure
 *     become CANCELLED, TIMEOUT, NETWORK or MALFORMED with the provider's
 *     name and host;
 *   - a redirect is refused (never followed: the key headers would go
 *     with it);
 *   - any other status outside 2xx is classified by the provider's dialect
 *     (byok_dialect_classify_error()), with the wait the provider asks for;
 *   - the key sent is masked out of every message;
 *   - a request sent on an idle connection (flagged idempotent, the one
 *     opened ahead) that the server closed before any answer goes again,
 *     once, on a new connection.
 * An event-stream body is handed to @on_data piece by piece; any other
 * body is collected (up to 16 MB) in @body.
 *
 * The chat call (byok-chat-call.c), model listings and key checks
 * (byok-client-models.c) are built on it. Not installed: nothing outside
 * src/core includes this header.
 */
#pragma once

#include <libsoup/soup.h>

#include "byok-dialect.h"
#include "byok-provider.h"
#include "byok-transport-private.h"

G_BEGIN_DECLS

/* The error context of a request: owns the strings ctx points to. */
typedef struct {
  ByokErrorContext   ctx;
  char              *provider_id;
  char              *provider_name;
  char              *model;
  char             **known_models;
  char              *secret;         /* the key sent, masked out of what comes back */
} ByokExchangeContext;

void                _byok_exchange_context_init  (ByokExchangeContext *context,
                                                  ByokCatalog         *catalog,
                                                  ByokProvider        *provider,
                                                  const char          *model,
                                                  const char          *key);
void                _byok_exchange_context_clear (ByokExchangeContext *context);

typedef enum {
  BYOK_EXCHANGE_PHASE_CONNECT,  /* until the request headers are written */
  BYOK_EXCHANGE_PHASE_WAIT,     /* until the response headers arrive */
  BYOK_EXCHANGE_PHASE_BODY,     /* between two reads of the body */
} ByokExchangePhase;

typedef struct _ByokExchange ByokExchange;

/* Called with each piece of a 2xx event-stream body. Return FALSE to stop
 * reading: with @error for a failure, without for a normal end (the answer
 * is whole: the exchange ends at once, and the transport drains the rest
 * of the body for a moment, _byok_transport_end_body()). */
typedef gboolean (*ByokExchangeDataFunc) (ByokExchange  *ex,
                                          const char    *data,
                                          gsize          len,
                                          gpointer       user_data,
                                          GError       **error);
/* Called once at the end, with the classified error (transfer full) or
 * NULL; the exchange lets go of its user_data right after. */
typedef void     (*ByokExchangeDoneFunc) (ByokExchange  *ex,
                                          GError        *error,
                                          gpointer       user_data);

struct _ByokExchange
{
  gatomicrefcount       ref_count;

  /* What callers read (once the exchange has ended) */
  const ByokDialect    *dialect;
  ByokExchangeContext   context;
  gboolean              sse;              /* the response is an event stream */
  GByteArray           *body;             /* a body that is not an event stream */
  guint                 status;           /* HTTP status, 0 when none came */
  gint64                sent_us;          /* monotonic */
  gint64                end_us;           /* monotonic, 0 until it ended */
  gint64                retry_after_us;   /* the wait the provider asked for, or -1 */

  /* The exchange's own */
  ByokTransport        *transport;
  SoupMessage          *msg;
  GInputStream         *in;
  GCancellable         *cancellable;      /* ours: the caller's and the timers cancel it */
  GCancellable         *user_cancellable;
  gulong                user_handler;
  GSource              *timer;
  GSource              *wait_source;      /* a Stop while waiting for a drain */
  ByokExchangePhase     phase;
  gboolean              timed_out;
  ByokExchangePhase     timed_out_phase;
  guint                 timed_out_ms;
  gboolean              want_stream;      /* the caller reads event streams */
  gboolean              eof;
  gboolean              completed;
  gboolean              resent;           /* once, on a new connection */
  gboolean              wrote_body;       /* the whole request went out */
  gint64                headers_us;

  ByokExchangeDataFunc  on_data;
  ByokExchangeDoneFunc  on_done;
  gpointer              user_data;        /* held until on_done has run */
  GDestroyNotify        user_data_free;
};

ByokExchange       *_byok_exchange_new           (ByokTransport        *transport,
                                                  ByokProvider         *provider,
                                                  const char           *model,
                                                  const char           *key,
                                                  SoupMessage          *msg,
                                                  gboolean              want_stream,
                                                  GCancellable         *cancellable,
                                                  ByokExchangeDataFunc  on_data,
                                                  ByokExchangeDoneFunc  on_done,
                                                  gpointer              user_data,
                                                  GDestroyNotify        user_data_free);
ByokExchange       *_byok_exchange_ref           (ByokExchange         *ex);
void                _byok_exchange_unref         (ByokExchange         *ex);
void                _byok_exchange_start         (ByokExchange         *ex);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokExchange, _byok_exchange_unref)

/* Requests and the errors every kind of call shares */
SoupMessage        *_byok_exchange_new_message   (ByokProvider         *provider,
                                                  const char           *method,
                                                  const char           *url,
                                                  const char           *key,
                                                  GBytes               *body,
                                                  gboolean              stream,
                                                  GError              **error);
const ByokDialect  *_byok_provider_dialect       (ByokProvider         *provider);
ByokDialectFlags    _byok_dialect_flags          (ByokProvider         *provider,
                                                  ByokModel            *model);
char               *_byok_format_wait            (gint64                us);
GError             *_byok_no_key_error           (ByokProvider         *provider);
GError             *_byok_unknown_provider_error (const char           *provider_id);
GError             *_byok_cancelled_error        (void);
void                _byok_clear_source           (GSource             **source);

G_END_DECLS
