/* byok-attachment-tray.h — the files attached to the next message
 *
 * A row of ByokAttachmentChips above a prompt, and everything that fills
 * it: the file chooser (filtered: all supported files, images, PDFs, text),
 * files dropped on a widget (byok_attachment_tray_add_drop_target()), and
 * what is pasted into the prompt (a screenshot, files copied in Files:
 * byok_attachment_tray_connect_prompt()). Files are read in worker
 * threads; each shows at once as a chip with a spinner, which becomes its
 * attachment when read, so the window never waits. A file that cannot be
 * attached emits "failed" with the classified message naming it.
 *
 * The composer and Compare each have one.
 */
#pragma once

#include <adwaita.h>

#include "byok-attachment.h"
#include "byok-prompt-box.h"

G_BEGIN_DECLS

#define BYOK_TYPE_ATTACHMENT_TRAY (byok_attachment_tray_get_type ())
G_DECLARE_FINAL_TYPE (ByokAttachmentTray, byok_attachment_tray, BYOK, ATTACHMENT_TRAY, AdwBin)

/* Of ByokAttachment*, in the order of their chips; not those still read. */
GPtrArray *byok_attachment_tray_get_attachments   (ByokAttachmentTray *self);
void       byok_attachment_tray_add               (ByokAttachmentTray *self,
                                                   const ByokAttachment *attachment);
void       byok_attachment_tray_attach_file       (ByokAttachmentTray *self,
                                                   GFile              *file);
void       byok_attachment_tray_attach_texture    (ByokAttachmentTray *self,
                                                   GdkTexture         *texture);
void       byok_attachment_tray_attach_image_bytes (ByokAttachmentTray *self,
                                                   GBytes             *bytes);
void       byok_attachment_tray_clear             (ByokAttachmentTray *self);
/* Property "loading": files are still being read. */
gboolean   byok_attachment_tray_get_loading       (ByokAttachmentTray *self);

void       byok_attachment_tray_choose_files      (ByokAttachmentTray *self);
void       byok_attachment_tray_add_drop_target   (ByokAttachmentTray *self,
                                                   GtkWidget          *widget);
void       byok_attachment_tray_connect_prompt    (ByokAttachmentTray *self,
                                                   ByokPromptBox      *prompt);

G_END_DECLS
