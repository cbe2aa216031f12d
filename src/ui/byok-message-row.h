/* byok-message-row.h — one message of the chat's list view
 *
 * A user's message is a bubble that can be edited and sent again; an
 * answer is Markdown (ByokMarkdownPane), with the reasoning in a collapsed
 * expander above it, a caption under it (provider and model, tokens, cost,
 * time to first token and total time, and the fallback if one happened),
 * and, when the call failed, the classified error with the action that
 * fixes it. The row follows its ByokMessage as it streams: new text is
 * appended to the view, not rendered again.
 *
 * The row's buttons activate the page's actions with the message id as the
 * target: chat.regenerate-message(x), chat.regenerate-message-with(x),
 * chat.delete-message(x) and chat.resend-message((xs)); copy and edit are
 * the row's own.
 */
#pragma once

#include <adwaita.h>

#include "byok-catalog.h"
#include "byok-client.h"
#include "byok-message.h"

G_BEGIN_DECLS

/* How long a rate-limited answer waits before "Retry" is offered when the
 * provider did not say (or the answer is from an earlier run). */
#define BYOK_MESSAGE_ROW_RATE_LIMIT_WAIT_US (10 * G_USEC_PER_SEC)

#define BYOK_TYPE_MESSAGE_ROW (byok_message_row_get_type ())
G_DECLARE_FINAL_TYPE (ByokMessageRow, byok_message_row, BYOK, MESSAGE_ROW, AdwBin)

GtkWidget   *byok_message_row_new           (void);

ByokMessage *byok_message_row_get_message   (ByokMessageRow *self);
void         byok_message_row_set_message   (ByokMessageRow *self,
                                             ByokMessage    *message);
void         byok_message_row_set_catalog   (ByokMessageRow *self,
                                             ByokCatalog    *catalog);

gboolean     byok_message_row_get_editing   (ByokMessageRow *self);
void         byok_message_row_start_editing (ByokMessageRow *self);

void         byok_message_row_note_retry_at   (ByokMessage  *message,
                                               gint64        real_time_us);
void         byok_message_row_note_retrying   (ByokMessage           *message,
                                               const ByokRetryNotice *notice);
void         byok_message_row_note_budget_lifted (ByokMessage  *message,
                                                  gboolean      lifted);

char        *byok_message_row_format_caption  (ByokMessage  *message,
                                               ByokCatalog  *catalog);
char        *byok_message_row_format_cost_warning (ByokMessage *message,
                                                   ByokCatalog *catalog);
char        *byok_message_row_format_fallback (const char   *attempts,
                                               ByokCatalog  *catalog);

G_END_DECLS
