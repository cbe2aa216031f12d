/* byok-attachment-private.h — what the files of ByokAttachment share
 *
 * byok-attachment.c (recognising a file by its bytes, lists, JSON),
 * -image.c (an image made fit to send), -pdf.c (a PDF's pages and text).
 * Each runs in whatever thread calls it: a worker, in the app.
 */
#pragma once

#include "byok-attachment.h"

G_BEGIN_DECLS

char           *_byok_attachment_hash      (GBytes        *bytes);
gboolean        _byok_attachment_cancelled (GCancellable  *cancellable,
                                            GError       **error);
void            _byok_attachment_fit_size  (int            width,
                                            int            height,
                                            int           *fit_width,
                                            int           *fit_height);
ByokAttachment *_byok_attachment_new_image (const char    *name,
                                            GBytes        *bytes,
                                            const char    *mime_type,
                                            GCancellable  *cancellable,
                                            GError       **error);
ByokAttachment *_byok_attachment_new_pdf   (const char    *name,
                                            GBytes        *bytes,
                                            GCancellable  *cancellable,
                                            GError       **error);

G_END_DECLS
