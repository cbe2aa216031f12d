/* byok-test-server.h — an in-process SoupServer on 127.0.0.1 that plays a
 * provider for tests: scripted replies per path (or per path and the
 * request body's model), streamed in chunks (split into pieces of any size,
 * with delays), connections kept open between requests (and counted),
 * dropped on purpose (mid-answer, before a byte of it, or reset), required
 * keys, and every request recorded for assertions. */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _ByokTestReply ByokTestReply;

ByokTestReply *byok_test_reply_new              (guint          status);
ByokTestReply *byok_test_reply_new_json         (guint          status,
                                                 const char    *json);
ByokTestReply *byok_test_reply_new_unanswered   (void);
ByokTestReply *byok_test_reply_new_sse          (const char    *first_event,
                                                 ...) G_GNUC_NULL_TERMINATED;
void           byok_test_reply_add_header       (ByokTestReply *reply,
                                                 const char    *name,
                                                 const char    *value);
void           byok_test_reply_add_chunk        (ByokTestReply *reply,
                                                 const char    *data);
void           byok_test_reply_add_sse_event    (ByokTestReply *reply,
                                                 const char    *event_name,
                                                 const char    *data);
void           byok_test_reply_set_split        (ByokTestReply *reply,
                                                 gsize          piece_size);
void           byok_test_reply_set_delay_ms     (ByokTestReply *reply,
                                                 guint          first_delay_ms,
                                                 guint          chunk_delay_ms);
void           byok_test_reply_set_drop_after   (ByokTestReply *reply,
                                                 guint          n_pieces);
void           byok_test_reply_set_hold         (ByokTestReply *reply,
                                                 gboolean       hold);
void           byok_test_reply_set_repeat       (ByokTestReply *reply,
                                                 gboolean       repeat);
void           byok_test_reply_free             (ByokTestReply *reply);

typedef struct {
  char               *method;
  char               *path;
  char               *query;
  SoupMessageHeaders *headers;
  GBytes             *body;
} ByokTestRequest;

#define BYOK_TYPE_TEST_SERVER (byok_test_server_get_type ())
G_DECLARE_FINAL_TYPE (ByokTestServer, byok_test_server, BYOK, TEST_SERVER, GObject)

ByokTestServer *byok_test_server_new            (void);
const char     *byok_test_server_get_url        (ByokTestServer *self);
void            byok_test_server_add_reply      (ByokTestServer *self,
                                                 const char     *path,
                                                 ByokTestReply  *reply);
void            byok_test_server_add_reply_for_model (ByokTestServer *self,
                                                 const char     *path,
                                                 const char     *model,
                                                 ByokTestReply  *reply);
void            byok_test_server_require_key    (ByokTestServer *self,
                                                 const char     *header,
                                                 const char     *value);
guint           byok_test_server_get_n_requests (ByokTestServer *self);
ByokTestRequest *byok_test_server_get_request   (ByokTestServer *self,
                                                 guint           index);
ByokTestRequest *byok_test_server_get_last_request (ByokTestServer *self);
guint           byok_test_server_count_path     (ByokTestServer *self,
                                                 const char     *path);
void            byok_test_server_release_held   (ByokTestServer *self);
guint           byok_test_server_get_n_closed   (ByokTestServer *self);
guint           byok_test_server_get_n_connections (ByokTestServer *self);
void            byok_test_server_reset_connections (ByokTestServer *self);

G_END_DECLS
