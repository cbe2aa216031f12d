/* byok-prompt-box.h — the box a prompt is written in
 *
 * A multi-line text view in a card that grows with its text up to
 * max-content-height, with a placeholder while it is empty. Enter emits
 * "activate" (Shift+Enter or Ctrl+Enter adds a line; while an input method
 * composes, Enter is the input method's); every change emits "changed".
 * The composer in Chat and Compare's prompt both use it, each with its own
 * buttons beside it. Pasting files copied in Files, or an image alone (a
 * screenshot), emits "paste-files" or "paste-image" instead of pasting
 * text, when something handles them (ByokAttachmentTray).
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BYOK_TYPE_PROMPT_BOX (byok_prompt_box_get_type ())
G_DECLARE_FINAL_TYPE (ByokPromptBox, byok_prompt_box, BYOK, PROMPT_BOX, AdwBin)

char     *byok_prompt_box_dup_text (ByokPromptBox *self);
void      byok_prompt_box_set_text (ByokPromptBox *self,
                                    const char    *text);
gboolean  byok_prompt_box_has_text (ByokPromptBox *self);
void      byok_prompt_box_focus    (ByokPromptBox *self);

G_END_DECLS
