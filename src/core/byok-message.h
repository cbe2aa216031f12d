/* byok-message.h — one message of a conversation
 *
 * A GObject whose properties a list row can bind to. Every setter notifies
 * only when the value changes; byok_message_append_content() and
 * byok_message_append_reasoning() notify once per call, so a streamed
 * answer costs one notification per delta.
 *
 * Messages are stored by ByokConversationStore: it sets the id, the
 * conversation id, the position and the creation time when a message is
 * appended, and writes the rest with byok_conversation_store_save_message().
 * Changing a property does not save it.
 */
#pragma once

#include <glib-object.h>

#include "byok-chat-result.h"
#include "byok-tool-block.h"

G_BEGIN_DECLS

#define BYOK_MESSAGE_ROLE_SYSTEM    "system"
#define BYOK_MESSAGE_ROLE_USER      "user"
#define BYOK_MESSAGE_ROLE_ASSISTANT "assistant"

/* The whole answer (or a user's message). */
#define BYOK_MESSAGE_STATUS_COMPLETE  "complete"
/* An answer still arriving; saved so from time to time while it streams. */
#define BYOK_MESSAGE_STATUS_STREAMING "streaming"
/* Stopped before the end: cancelled, or the app quit while it streamed. */
#define BYOK_MESSAGE_STATUS_PARTIAL   "partial"
/* The call failed; error-class and error-message say why, content keeps
 * whatever text arrived. */
#define BYOK_MESSAGE_STATUS_ERROR     "error"

#define BYOK_TYPE_MESSAGE (byok_message_get_type ())
G_DECLARE_FINAL_TYPE (ByokMessage, byok_message, BYOK, MESSAGE, GObject)

gboolean     byok_message_role_is_valid       (const char        *role);
gboolean     byok_message_status_is_valid     (const char        *status);

ByokMessage *byok_message_new                 (const char        *role,
                                               const char        *content);

gint64       byok_message_get_id              (ByokMessage       *self);
gint64       byok_message_get_conversation_id (ByokMessage       *self);
gint64       byok_message_get_position        (ByokMessage       *self);
gint64       byok_message_get_created         (ByokMessage       *self);

const char  *byok_message_get_role            (ByokMessage       *self);
void         byok_message_set_role            (ByokMessage       *self,
                                               const char        *role);

const char  *byok_message_get_content         (ByokMessage       *self);
void         byok_message_set_content         (ByokMessage       *self,
                                               const char        *content);
void         byok_message_append_content      (ByokMessage       *self,
                                               const char        *delta);

const char  *byok_message_get_reasoning       (ByokMessage       *self);
void         byok_message_set_reasoning       (ByokMessage       *self,
                                               const char        *reasoning);
void         byok_message_append_reasoning    (ByokMessage       *self,
                                               const char        *delta);

const char  *byok_message_get_provider        (ByokMessage       *self);
void         byok_message_set_provider        (ByokMessage       *self,
                                               const char        *provider);
const char  *byok_message_get_model           (ByokMessage       *self);
void         byok_message_set_model           (ByokMessage       *self,
                                               const char        *model);

const char  *byok_message_get_status          (ByokMessage       *self);
void         byok_message_set_status          (ByokMessage       *self,
                                               const char        *status);

const char  *byok_message_get_error_class     (ByokMessage       *self);
const char  *byok_message_get_error_message   (ByokMessage       *self);
void         byok_message_set_error           (ByokMessage       *self,
                                               const char        *error_class,
                                               const char        *error_message);

gboolean     byok_message_get_has_usage       (ByokMessage       *self);
void         byok_message_get_usage           (ByokMessage       *self,
                                               ByokUsage         *usage);
void         byok_message_set_usage           (ByokMessage       *self,
                                               const ByokUsage   *usage);

gboolean     byok_message_get_price_known     (ByokMessage       *self);
double       byok_message_get_cost_usd        (ByokMessage       *self);
void         byok_message_set_cost            (ByokMessage       *self,
                                               gboolean           price_known,
                                               double             cost_usd);

gboolean     byok_message_get_estimated       (ByokMessage       *self);
gboolean     byok_message_get_cost_reported   (ByokMessage       *self);
double       byok_message_get_reported_cost_usd (ByokMessage     *self);
void         byok_message_set_reported_cost   (ByokMessage       *self,
                                               gboolean           reported,
                                               double             cost_usd);

gint64       byok_message_get_latency_us      (ByokMessage       *self);
void         byok_message_set_latency_us      (ByokMessage       *self,
                                               gint64             latency_us);
gint64       byok_message_get_ttft_us         (ByokMessage       *self);
void         byok_message_set_ttft_us         (ByokMessage       *self,
                                               gint64             ttft_us);

const char  *byok_message_get_attempts        (ByokMessage       *self);
void         byok_message_set_attempts        (ByokMessage       *self,
                                               const char        *attempts);

GPtrArray   *byok_message_get_attachments     (ByokMessage       *self);
void         byok_message_set_attachments     (ByokMessage       *self,
                                               GPtrArray         *attachments);
GPtrArray   *byok_message_get_tool_blocks     (ByokMessage       *self);
void         byok_message_set_tool_blocks     (ByokMessage       *self,
                                               GPtrArray         *blocks);
void         byok_message_add_tool_block      (ByokMessage       *self,
                                               const ByokToolBlock *block);
gboolean     byok_message_finish_tool_block   (ByokMessage       *self,
                                               const char        *call_id,
                                               ByokToolBlockState state,
                                               const char        *result);

char        *byok_message_dup_prompt          (ByokMessage       *self);

char        *byok_message_format_attempts     (const ByokChatResult *result);
void         byok_message_set_from_result     (ByokMessage       *self,
                                               const ByokChatResult *result);

G_END_DECLS
