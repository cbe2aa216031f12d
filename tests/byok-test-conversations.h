/* byok-test-conversations.h — the fixture of the tests of stored
 * conversations: a conversation store on a database file of its own */
#pragma once

#include "byok-conversation-store.h"
#include "byok-database.h"

G_BEGIN_DECLS

typedef struct {
  char                  *dir;
  char                  *path;
  ByokDatabase          *database;
  ByokConversationStore *store;
} ByokTestConversations;

void byok_test_conversations_set_up    (ByokTestConversations *fixture,
                                        gconstpointer          data);
void byok_test_conversations_tear_down (ByokTestConversations *fixture,
                                        gconstpointer          data);
void byok_test_conversations_reopen    (ByokTestConversations *fixture);

G_END_DECLS
