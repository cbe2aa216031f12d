/* byok-transport-private.h — what a request needs from the client that
 * makes it, inside the core
 *
 * One ByokTransport belongs to one ByokClient (byok-client.c), which makes
 * it and keeps its settings in it; each chat call (byok-chat-call.c) and
 * each exchange (byok-exchange.c) holds a reference while it runs. It has
 * the shared SoupSession, the catalog and the key store, the per-phase
 * timeouts and how a call retries, as the client's properties of the same
 * names set them (read when used, so a change applies to the next phase
 * or attempt).
 *
 * So the client creates its calls, and a call runs on the transport, not
 * back on its client: byok-client → byok-chat-call → byok-exchange →
 * byok-transport, never upwards. The session is aborted when the last
 * holder lets go (the client and every call still running), as it was
 * when the client was disposed, which no running call allowed before.
 * Not installed: nothing outside src/core includes this header.
 */
#pragma once

#include <libsoup/soup.h>

#include "byok-catalog.h"
#include "byok-key-store.h"

G_BEGIN_DECLS

typedef struct
{
  gatomicrefcount  ref_count;

  ByokCatalog     *catalog;
  ByokKeyStore    *key_store;
  SoupSession     *session;

  guint            connect_timeout_ms;
  guint            idle_timeout_ms;
  guint            response_timeout_ms;
  guint            max_attempts;
  guint            backoff_base_ms;
  guint            max_retry_wait_ms;

  /* Bodies whose answer ended before them, read to their end (or closed)
   * before the next request to their origin goes: "https://host:443" →
   * ByokTransportOrigin (byok-transport.c) */
  GHashTable      *origins;
  GPtrArray       *drains;
} ByokTransport;

/* Called when no body to the origin is left to drain. */
typedef void (*ByokTransportReadyFunc) (gpointer data);

ByokTransport *_byok_transport_new                (void);
ByokTransport *_byok_transport_ref                (ByokTransport  *self);
void           _byok_transport_unref              (ByokTransport  *self);

gboolean       _byok_transport_parse_target       (ByokTransport  *self,
                                                   const char     *target,
                                                   char          **provider_id,
                                                   char          **model,
                                                   GError        **error);
void           _byok_transport_preconnect         (ByokTransport  *self,
                                                   const char     *provider_id);
void           _byok_transport_end_body           (ByokTransport  *self,
                                                   GUri           *uri,
                                                   GInputStream   *in,
                                                   gboolean        drain_rest);
gboolean       _byok_transport_wait_drained       (ByokTransport  *self,
                                                   GUri           *uri,
                                                   ByokTransportReadyFunc func,
                                                   gpointer        data,
                                                   GDestroyNotify  data_free);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokTransport, _byok_transport_unref)

G_END_DECLS
