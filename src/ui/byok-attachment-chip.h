/* byok-attachment-chip.h — one attached file, as a chip
 *
 * An image shows its thumbnail, a PDF its page count (and a warning when it
 * has no text layer: a scan only models that read PDFs can see), a text file
 * its icon; each says its estimated tokens. Clicking the chip opens a
 * preview (ByokAttachmentPreview); its × (or Delete while it has the
 * focus) emits "remove". A chip made with
 * byok_attachment_chip_new_loading() shows a spinner and the file's name
 * until byok_attachment_chip_set_attachment() gives it what was read.
 *
 * In a message bubble ("large"), an image is its picture alone, larger.
 */
#pragma once

#include <adwaita.h>

#include "byok-attachment.h"

G_BEGIN_DECLS

#define BYOK_TYPE_ATTACHMENT_CHIP (byok_attachment_chip_get_type ())
G_DECLARE_FINAL_TYPE (ByokAttachmentChip, byok_attachment_chip, BYOK, ATTACHMENT_CHIP, AdwBin)

GtkWidget            *byok_attachment_chip_new            (const ByokAttachment *attachment);
GtkWidget            *byok_attachment_chip_new_loading    (const char           *name);

const ByokAttachment *byok_attachment_chip_get_attachment (ByokAttachmentChip   *self);
void                  byok_attachment_chip_set_attachment (ByokAttachmentChip   *self,
                                                           const ByokAttachment *attachment);
const char           *byok_attachment_chip_get_name       (ByokAttachmentChip   *self);
gboolean              byok_attachment_chip_get_loading    (ByokAttachmentChip   *self);
gboolean              byok_attachment_chip_get_has_thumbnail (ByokAttachmentChip *self);

/* Property "removable": the chip has a × (the composer's chips do). */
gboolean              byok_attachment_chip_get_removable  (ByokAttachmentChip   *self);
void                  byok_attachment_chip_set_removable  (ByokAttachmentChip   *self,
                                                           gboolean              removable);
/* Property "large": an image is its picture alone (a message's bubble). */
gboolean              byok_attachment_chip_get_large      (ByokAttachmentChip   *self);
void                  byok_attachment_chip_set_large      (ByokAttachmentChip   *self,
                                                           gboolean              large);

/* What the chip says under the name ("1568 × 1045 · ≈2.2k tokens"). */
char                 *byok_attachment_chip_describe       (const ByokAttachment *attachment);

G_END_DECLS
