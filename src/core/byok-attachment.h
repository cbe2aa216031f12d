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

/**
 * ByokAttachmentKind:
 * @BYOK_ATTACHMENT_TEXT: a text file; its text is composed into the
 *   message's own text (byok_attachments_compose())
 * @BYOK_ATTACHMENT_IMAGE: a picture, sent as the provider's image part
 * @BYOK_ATTACHMENT_PDF: a PDF, sent as a document part to a model that
 *   reads PDFs, as its text layer to any other
 */
typedef enum {
  BYOK_ATTACHMENT_TEXT,
  BYOK_ATTACHMENT_IMAGE,
  BYOK_ATTACHMENT_PDF,
} ByokAttachmentKind;

/**
 * ByokAttachment:
 * @name: the file's display name
 * @text: UTF-8: a text file's text, or a PDF's text layer with its page
 *   markers ("" when the PDF has none); %NULL for an image
 * @tokens: estimated size in tokens (byok_estimate_tokens() for text)
 * @kind: what the attachment is
 * @mime_type: (nullable): "text/plain", "image/png", "image/jpeg",
 *   "image/webp", "image/gif" or "application/pdf"; %NULL for text
 *   attachments stored before images were possible
 * @hash: (nullable): lowercase hex SHA-256 of @data; %NULL for text
 * @data: (nullable): the bytes sent: an image as fitted for sending
 *   (oriented, its metadata dropped), a PDF's file; %NULL for text
 * @width: an image's width in pixels, 0 otherwise
 * @height: an image's height in pixels, 0 otherwise
 * @pages: a PDF's page count, 0 otherwise
 *
 * An attachment never changes once made, so arrays of them may be shared.
 */
typedef struct {
  char               *name;
  char               *text;
  gint64              tokens;
  ByokAttachmentKind  kind;
  char               *mime_type;
  char               *hash;
  GBytes             *data;
  int                 width;
  int                 height;
  int                 pages;
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
