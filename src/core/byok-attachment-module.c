/* byok-attachment-module.c — the module byok-attachment-decoders: its entry
 *
 * Built with byok-attachment-image.c and byok-attachment-pdf.c into a
 * module of their own (see byok-attachment-private.h), which alone links
 * gdk-pixbuf and poppler-glib. The few functions of the core those files
 * call are defined here, each handing on to the ByokAttachmentHost the
 * core gave; all are hidden but the entry point.
 */
#define G_LOG_DOMAIN "byok-attachment"

#include "config.h"

#include <gmodule.h>

#include "byok-attachment-private.h"
#include "byok-error.h"
#include "byok-tokens.h"

static const ByokAttachmentHost *host;

GQuark
byok_error_quark (void)
{
  return host->error_quark ();
}

char *
_byok_attachment_hash (GBytes *bytes)
{
  return host->hash (bytes);
}

gboolean
_byok_attachment_cancelled (GCancellable  *cancellable,
                            GError       **error)
{
  return host->cancelled (cancellable, error);
}

gint64
byok_estimate_tokens (const char *text,
                      gssize      length)
{
  return host->estimate_tokens (text, length);
}

static const ByokAttachmentDecoders decoders = {
  .new_image = _byok_attachment_new_image,
  .new_pdf = _byok_attachment_new_pdf,
};

G_MODULE_EXPORT const ByokAttachmentDecoders *byok_attachment_decoders_init (const ByokAttachmentHost *core);

/**
 * byok_attachment_decoders_init:
 *
 * Called once, before any decoder runs.
 *
 * Returns: the decoders, or %NULL when @core is of another ABI
 */
G_MODULE_EXPORT const ByokAttachmentDecoders *
byok_attachment_decoders_init (const ByokAttachmentHost *core)
{
  if (core == NULL || core->abi != BYOK_ATTACHMENT_DECODERS_ABI)
    return NULL;
  host = core;
  return &decoders;
}
