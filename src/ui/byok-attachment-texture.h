/* byok-attachment-texture.h — an attached image as a texture, decoded in a
 * worker thread
 *
 * A chip's thumbnail and the preview's picture both come from here, so a
 * large image never stalls the main loop while it is decoded. @size is the
 * length the texture's shorter side is brought down to (a thumbnail that
 * covers a square), or 0 for the image as it is; the image is never
 * enlarged.
 */
#pragma once

#include <gtk/gtk.h>

#include "byok-attachment.h"

G_BEGIN_DECLS

void        byok_attachment_texture_load_async  (const ByokAttachment *attachment,
                                                 int                   size,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GdkTexture *byok_attachment_texture_load_finish (GAsyncResult         *result,
                                                 GError              **error);

G_END_DECLS
