/* byok-attachment.h — a file attached to a message: text, an image or a PDF
 *
 * A document or picture the user hands the model with their message (a
 * report to summarise, a log to read, a screenshot, a scanned form).
 *
 * What a file is comes from its bytes (magic numbers), never its name:
 * PNG, JPEG, WebP and GIF are images, "%PDF-" a PDF, anything else must be
 * text — valid UTF-8 (a byte-order mark is dropped), no NUL bytes. Every
 * file is at most BYOK_ATTACHMENT_MAX_BYTES.
 *
 * A text file's text is kept with the message and the model reads it
 * before the message's own text (byok_attachments_compose_text_files()), as
 *
 *   <file name="report.txt">
 *   …
 *   </file>
 *
 * An image is made fit once, when attached (byok-attachment-image.c): its
 * EXIF orientation applied, scaled to fit BYOK_ATTACHMENT_IMAGE_MAX_EDGE
 * and BYOK_ATTACHMENT_IMAGE_MAX_PIXELS, re-encoded as PNG (transparency,
 * few colours: screenshots, diagrams) or JPEG (photographs) without any
 * of the original's metadata, and smaller again while over
 * BYOK_ATTACHMENT_IMAGE_MAX_BYTES. A GIF's first frame is the image.
 *
 * A PDF (byok-attachment-pdf.c) keeps its file as it is, with its page
 * count and its text layer, each page's text after a line "[Page N]":
 *
 *   [Page 1]
 *   first page's text
 *
 *   [Page 2]
 *   …
 *
 * A PDF without a text layer (a scan) has the text "": only a model that
 * reads PDFs itself can see it (byok_attachment_has_text_layer(),
 * byok_attachment_is_scan()).
 *
 * Images and PDFs travel beside a message's text, in
 * ByokChatMessage.attachments, and are stored once by their hash
 * (ByokConversationStore).
 *
 * Threads: loading decodes, scales and reads PDFs, which takes time —
 * byok_attachment_load_async() and byok_attachment_load_bytes_async() do
 * it in a worker thread; byok_attachment_new_from_bytes() does it in the
 * caller's (a worker, byok-cli, tests). An attachment never changes once
 * made, so it and arrays of it may be shared between threads.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* No file larger: Anthropic's whole request (and its PDF limit) is 32 MB. */
#define BYOK_ATTACHMENT_MAX_BYTES (32 * 1024 * 1024)

/* The envelope an image is fitted into, the strictest of the providers'
 * that is still useful (README, "Attachments"): Anthropic's long edge
 * (1568 px) and its ~1.15 megapixels (about 1,600 tokens), past which it
 * scales an image down itself; OpenAI (2048 px box, then 768 px short
 * side) and Gemini (768 px tiles) scale down from there too. */
#define BYOK_ATTACHMENT_IMAGE_MAX_EDGE   1568
#define BYOK_ATTACHMENT_IMAGE_MAX_PIXELS 1150000
/* Anthropic refuses an image whose base64 is over 5 MB: 3.75 MiB of bytes. */
#define BYOK_ATTACHMENT_IMAGE_MAX_BYTES  (5 * 1024 * 1024 / 4 * 3)
/* Images larger than this many pixels are refused before decoding. */
#define BYOK_ATTACHMENT_IMAGE_MAX_SOURCE_PIXELS (200 * 1000 * 1000)

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
 * @tokens: estimated size in tokens, the same for every provider:
 *   byok_estimate_tokens() of the text for a text file and a PDF (its text
 *   layer), width × height / 750 for an image (Anthropic's rule, the
 *   highest of the three dialects' for a fitted image); the dialects count
 *   images and PDFs sent as such by their own rules
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
gboolean        byok_attachment_is_media       (const ByokAttachment *attachment);
gboolean        byok_attachment_has_text_layer (const ByokAttachment *attachment);
gboolean        byok_attachment_is_scan        (const ByokAttachment *attachment);
void            byok_attachment_free           (ByokAttachment    *attachment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokAttachment, byok_attachment_free)

void            byok_attachment_load_async     (GFile             *file,
                                                GCancellable      *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer           user_data);
void            byok_attachment_load_bytes_async (const char      *name,
                                                GBytes            *bytes,
                                                GCancellable      *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer           user_data);
ByokAttachment *byok_attachment_load_finish    (GAsyncResult      *result,
                                                GError           **error);
const char     *byok_attachment_kind_to_string (ByokAttachmentKind kind);

GPtrArray      *byok_attachments_copy          (GPtrArray         *attachments);
GPtrArray      *byok_attachments_get_media     (GPtrArray         *attachments);
gint64          byok_attachments_count_tokens  (GPtrArray         *attachments);
char           *byok_attachments_to_json       (GPtrArray         *attachments);
GPtrArray      *byok_attachments_from_json     (const char        *json,
                                                GError           **error);
char           *byok_attachments_compose       (GPtrArray         *attachments,
                                                const char        *text);
char           *byok_attachments_compose_text_files (GPtrArray    *attachments,
                                                const char        *text);

G_END_DECLS
