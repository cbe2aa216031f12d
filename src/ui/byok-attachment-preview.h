/* byok-attachment-preview.h — an attached file, looked at
 *
 * A window over the app: an image as large as the window lets it (decoded
 * in a worker thread), a PDF's or a text file's text, or, for a scanned PDF,
 * why there is no text to show. Escape closes it.
 */
#pragma once

#include <adwaita.h>

#include "byok-attachment.h"

G_BEGIN_DECLS

#define BYOK_TYPE_ATTACHMENT_PREVIEW (byok_attachment_preview_get_type ())
G_DECLARE_FINAL_TYPE (ByokAttachmentPreview, byok_attachment_preview, BYOK, ATTACHMENT_PREVIEW, AdwWindow)

GtkWidget            *byok_attachment_preview_present        (GtkWidget             *parent,
                                                              const ByokAttachment  *attachment);
const ByokAttachment *byok_attachment_preview_get_attachment (ByokAttachmentPreview *self);
/* Whether the image is decoded and shown (or the text). */
gboolean              byok_attachment_preview_get_ready      (ByokAttachmentPreview *self);

G_END_DECLS
