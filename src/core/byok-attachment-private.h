/* byok-attachment-private.h — what the files of ByokAttachment share
 *
 * byok-attachment.c (recognising a file by its bytes, lists, JSON),
 * -image.c (an image made fit to send), -pdf.c (a PDF's pages and text).
 * Each runs in whatever thread calls it: a worker, in the app.
 *
 * -image.c and -pdf.c are not in libbyok-core: with -module.c they are
 * the module byok-attachment-decoders (gdk-pixbuf, poppler-glib), which
 * byok-attachment.c opens with GModule when the first image or PDF is
 * attached, so that a process that never attaches one (byok-cli's
 * commands, the app at startup) neither loads nor relocates those
 * libraries. The module calls back into the core only through the
 * ByokAttachmentHost it is given.
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

/* The module's one exported function, BYOK_ATTACHMENT_DECODERS_INIT, is
 * a ByokAttachmentDecodersInit: given the core's helpers, it returns its
 * decoders, or %NULL when @host->abi is not the one it was built for. */
#define BYOK_ATTACHMENT_DECODERS_ABI  1
#define BYOK_ATTACHMENT_DECODERS_NAME "byok-attachment-decoders"
#define BYOK_ATTACHMENT_DECODERS_INIT "byok_attachment_decoders_init"

typedef struct {
  guint     abi;
  GQuark   (*error_quark) (void);
  char    *(*hash)        (GBytes        *bytes);
  gboolean (*cancelled)   (GCancellable  *cancellable,
                           GError       **error);
  gint64   (*estimate_tokens) (const char *text,
                               gssize      length);
} ByokAttachmentHost;

typedef struct {
  ByokAttachment *(*new_image) (const char    *name,
                                GBytes        *bytes,
                                const char    *mime_type,
                                GCancellable  *cancellable,
                                GError       **error);
  ByokAttachment *(*new_pdf)   (const char    *name,
                                GBytes        *bytes,
                                GCancellable  *cancellable,
                                GError       **error);
} ByokAttachmentDecoders;

typedef const ByokAttachmentDecoders *(*ByokAttachmentDecodersInit) (const ByokAttachmentHost *host);

G_END_DECLS
