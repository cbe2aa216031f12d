/* byok-conversation.h — one conversation's settings and title
 *
 * A GObject with properties (notified on change) that a sidebar row binds
 * to. ByokConversationStore creates them, keeps one instance per stored
 * conversation, and writes their settings with
 * byok_conversation_store_save_conversation(); setting a property here does
 * not save it.
 */
#pragma once

#include <glib-object.h>

#include "byok-model.h"

G_BEGIN_DECLS

#define BYOK_TYPE_CONVERSATION (byok_conversation_get_type ())
G_DECLARE_FINAL_TYPE (ByokConversation, byok_conversation, BYOK, CONVERSATION, GObject)

ByokConversation *byok_conversation_new               (void);

gint64            byok_conversation_get_id            (ByokConversation *self);
gint64            byok_conversation_get_created       (ByokConversation *self);
gint64            byok_conversation_get_updated       (ByokConversation *self);

const char       *byok_conversation_get_title         (ByokConversation *self);
void              byok_conversation_set_title         (ByokConversation *self,
                                                       const char       *title);
const char       *byok_conversation_get_provider      (ByokConversation *self);
void              byok_conversation_set_provider      (ByokConversation *self,
                                                       const char       *provider);
const char       *byok_conversation_get_model         (ByokConversation *self);
void              byok_conversation_set_model         (ByokConversation *self,
                                                       const char       *model);
const char       *byok_conversation_get_system_prompt (ByokConversation *self);
void              byok_conversation_set_system_prompt (ByokConversation *self,
                                                       const char       *system_prompt);
double            byok_conversation_get_temperature   (ByokConversation *self);
void              byok_conversation_set_temperature   (ByokConversation *self,
                                                       double            temperature);
gint64            byok_conversation_get_max_tokens    (ByokConversation *self);
void              byok_conversation_set_max_tokens    (ByokConversation *self,
                                                       gint64            max_tokens);
ByokEffort        byok_conversation_get_effort        (ByokConversation *self);
void              byok_conversation_set_effort        (ByokConversation *self,
                                                       ByokEffort        effort);

G_END_DECLS
