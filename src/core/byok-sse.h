/* byok-sse.h — incremental Server-Sent Events parser
 *
 * Implements the WHATWG event-stream grammar: bytes in, in any split, events
 * out. Lines end in LF, CRLF or a lone CR; `data:` loses at most one space;
 * several `data:` lines join with "\n"; `event:`, `id:` and `retry:` fields
 * are kept; comment lines (`: keep-alive`) and events without data are
 * ignored. No I/O: the HTTP client feeds it what it reads.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ByokSse ByokSse;

/**
 * ByokSseEventFunc:
 * @event_name: (nullable): the `event:` field, or NULL for the default
 *   type ("message")
 * @data: the event's data, valid UTF-8, lines joined with "\n"
 * @user_data: what was given to byok_sse_feed()
 * @error: where to report why the stream must stop
 *
 * Called once per dispatched event. Return TRUE to go on. Return FALSE to
 * stop the parser (a terminator, or a failure): set @error for a failure,
 * leave it unset for a normal stop.
 */
typedef gboolean (*ByokSseEventFunc) (const char  *event_name,
                                      const char  *data,
                                      gpointer     user_data,
                                      GError     **error);

ByokSse    *byok_sse_new                (void);
void        byok_sse_free               (ByokSse          *self);
void        byok_sse_reset              (ByokSse          *self);

gboolean    byok_sse_feed               (ByokSse          *self,
                                         const char       *bytes,
                                         gsize             len,
                                         ByokSseEventFunc  func,
                                         gpointer          user_data,
                                         GError          **error);
gboolean    byok_sse_finish             (ByokSse          *self);

gboolean    byok_sse_is_stopped         (ByokSse          *self);
guint       byok_sse_get_n_events       (ByokSse          *self);
const char *byok_sse_get_last_event_id  (ByokSse          *self);
gint64      byok_sse_get_retry_ms       (ByokSse          *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokSse, byok_sse_free)

G_END_DECLS
