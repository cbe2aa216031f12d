/* byok-message-private.h — what ByokConversationStore needs of ByokMessage */
#pragma once

#include <sqlite3.h>

#include "byok-message.h"

G_BEGIN_DECLS

/* Every column of `messages`, in the order _byok_message_new_from_row()
 * reads them. */
#define BYOK_MESSAGE_COLUMNS \
  "id, conversation_id, position, role, content, reasoning, provider, " \
  "model, status, error_class, error_message, input_tokens, " \
  "output_tokens, cached_input_tokens, cache_write_tokens, " \
  "reasoning_tokens, cost_usd, price_known, latency_us, ttft_us, " \
  "attempts, created, attachments, reported_cost_usd, estimated, tool_calls"

#define BYOK_MESSAGE_N_COLUMNS 26

ByokMessage *_byok_message_new_from_row (sqlite3_stmt *stmt,
                                         int           first_column);
const char  *_byok_message_get_attachments_json (ByokMessage *self);
const char  *_byok_message_get_tool_blocks_json (ByokMessage *self);
void         _byok_message_set_stored  (ByokMessage  *self,
                                        gint64        id,
                                        gint64        conversation_id,
                                        gint64        position,
                                        gint64        created);

G_END_DECLS
