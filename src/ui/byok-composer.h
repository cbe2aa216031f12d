/* byok-composer.h — where a message is written and sent
 *
 * A multi-line text view (Enter sends, Shift+Enter adds a line), the send
 * button that turns into a stop button while an answer streams, the model
 * picker, the conversation settings popover, the files attached to the next
 * message (ByokAttachmentTray: chosen, pasted or dropped) and a line saying what the
 * message will cost. It emits "send" with the text (the attachments are
 * read from it during the emission, then cleared), "stop", "changed" and
 * "use-suggestion"; what they do is the page's business.
 */
#pragma once

#include <adwaita.h>

#include "byok-attachment.h"
#include "byok-attachment-tray.h"
#include "byok-chat-settings.h"
#include "byok-model-picker.h"

G_BEGIN_DECLS

#define BYOK_TYPE_COMPOSER (byok_composer_get_type ())
G_DECLARE_FINAL_TYPE (ByokComposer, byok_composer, BYOK, COMPOSER, AdwBin)

GtkWidget        *byok_composer_new           (void);

ByokModelPicker  *byok_composer_get_picker    (ByokComposer *self);
ByokChatSettings *byok_composer_get_settings  (ByokComposer *self);

char             *byok_composer_dup_text      (ByokComposer *self);
void              byok_composer_set_text      (ByokComposer *self,
                                               const char   *text);
void              byok_composer_focus         (ByokComposer *self);

/* Property "streaming": the send button is a stop button. */
gboolean          byok_composer_get_streaming (ByokComposer *self);
void              byok_composer_set_streaming (ByokComposer *self,
                                               gboolean      streaming);
gboolean          byok_composer_send          (ByokComposer *self);

/* Files attached to the next message (of ByokAttachment*). */
GPtrArray        *byok_composer_get_attachments   (ByokComposer   *self);
void              byok_composer_add_attachment    (ByokComposer   *self,
                                                   ByokAttachment *attachment);
void              byok_composer_attach_file       (ByokComposer   *self,
                                                   GFile          *file);
void              byok_composer_clear_attachments (ByokComposer   *self);
gboolean          byok_composer_get_loading       (ByokComposer   *self);
ByokAttachmentTray *byok_composer_get_tray        (ByokComposer   *self);

/* The estimate line and its suggestion button. */
void              byok_composer_set_estimate      (ByokComposer   *self,
                                                   const char     *text,
                                                   const char     *tooltip,
                                                   gboolean        blocked);
const char       *byok_composer_get_estimate      (ByokComposer   *self);
gboolean          byok_composer_get_blocked       (ByokComposer   *self);
void              byok_composer_set_suggestion    (ByokComposer   *self,
                                                   const char     *label);
const char       *byok_composer_get_suggestion    (ByokComposer   *self);

G_END_DECLS
