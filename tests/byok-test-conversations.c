/* byok-test-conversations.c — a conversation store on a database file */
#include "config.h"

#include "byok-test-conversations.h"
#include "byok-test-util.h"

static void
open_store (ByokTestConversations *fixture)
{
  g_autoptr(GError) error = NULL;

  fixture->database = byok_database_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->store = byok_conversation_store_new (fixture->database, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);
}

/* The g_test_add() set-up: a new folder, byok.db in it, the store on it. */
void
byok_test_conversations_set_up (ByokTestConversations *fixture,
                                gconstpointer          data)
{
  fixture->dir = byok_test_make_dir ("conversations");
  fixture->path = g_build_filename (fixture->dir, "byok.db", NULL);
  open_store (fixture);
}

void
byok_test_conversations_tear_down (ByokTestConversations *fixture,
                                   gconstpointer          data)
{
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->database);
  byok_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

/* As if the app quit and started again: the store and its database are
 * gone (nothing else holds them), then open again. */
void
byok_test_conversations_reopen (ByokTestConversations *fixture)
{
  g_assert_finalize_object (fixture->store);
  fixture->store = NULL;
  g_assert_finalize_object (fixture->database);
  fixture->database = NULL;
  open_store (fixture);
}
