/* byok-attachment.h — a text file attached to a message
 *
 * A document the user hands the model with their message (a report to
 * summarise, a log to read). Its text is kept with the message, so the
 * conversation can be sent again, exported and restored without the file.
 * The model reads each attachment before the message's own text, as
 *
 *   <file name="report.txt">
 *   …
 *   </file>
 *
 * Only text is accepted: valid UTF-8 (a byte-order mark is dropped), no
 * NUL bytes, at most BYOK_ATTACHMENT_MAX_BYTES.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BYOK_ATTACHMENT_MAX_BYTES (32 * 1024 * 1024)

typedef struct {
  char   *name;    /* the file's display name */
  char   *text;    /* UTF-8 */
  gint64  tokens;  /* estimated (byok_estimate_tokens) */
} ByokAttachment;

#define BYOK_TYPE_ATTACHMENT (byok_attachment_get_type ())

GType           byok_attachment_get_type       (void) G_GNUC_CONST;
ByokAttachment *byok_attachment_new            (const char        *name,
                                                const char        *text);
ByokAttachment *byok_attachment_new_from_bytes (const char        *name,
                                                GBytes            *bytes,
                                                GError           **error);
ByokAttachment *byok_attachment_copy           (const ByokAttachment *attachment);
void            byok_attachment_free           (ByokAttachment    *attachment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokAttachment, byok_attachment_free)

void            byok_attachment_load_async     (GFile             *file,
                                                GCancellable      *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer           user_data);
ByokAttachment *byok_attachment_load_finish    (GAsyncResult      *result,
                                                GError           **error);

GPtrArray      *byok_attachments_copy          (GPtrArray         *attachments);
gint64          byok_attachments_count_tokens  (GPtrArray         *attachments);
char           *byok_attachments_to_json       (GPtrArray         *attachments);
GPtrArray      *byok_attachments_from_json     (const char        *json,
                                                GError           **error);
char           *byok_attachments_compose       (GPtrArray         *attachments,
                                                const char        *text);

G_END_DECLS
