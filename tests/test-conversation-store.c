/* test-conversation-store.c — conversations and messages: list, search,
 * delete and undo, message round trips, 10,000 messages, interrupted
 * answers, edit-and-resend, request building and export */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "byok-conversation-store.h"
#include "byok-error.h"
#include "byok-test-conversations.h"
#include "byok-test-util.h"

typedef ByokTestConversations Fixture;

static gint64
query_int (Fixture    *fixture,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = byok_database_prepare (fixture->database, sql, &error);

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static void
exec (Fixture    *fixture,
      const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (byok_database_exec (fixture->database, sql, &error));
  g_assert_no_error (error);
}

static ByokConversation *
create (Fixture    *fixture,
        const char *title)
{
  g_autoptr(GError) error = NULL;
  ByokConversation *conversation;

  conversation = byok_conversation_store_create (fixture->store, title, "openai", "gpt-4o-mini", &error);
  g_assert_no_error (error);
  g_assert_nonnull (conversation);
  return conversation;
}

static ByokMessage *
append (Fixture          *fixture,
        ByokConversation *conversation,
        const char       *role,
        const char       *content)
{
  g_autoptr(GError) error = NULL;
  ByokMessage *message = byok_message_new (role, content);

  g_assert_true (byok_conversation_store_append_message (fixture->store, conversation, message, &error));
  g_assert_no_error (error);
  g_assert_cmpint (byok_message_get_id (message), >, 0);
  return message;
}

/* The titles of a list of conversations, joined by ",". */
static char *
titles (GListModel *model)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(ByokConversation) conversation = g_list_model_get_item (model, i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, byok_conversation_get_title (conversation));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_conversations_order (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(ByokConversation) a = create (fixture, "A");
  g_autoptr(ByokConversation) b = create (fixture, "B");
  g_autoptr(ByokConversation) c = create (fixture, "C");
  g_autoptr(ByokMessage) message = NULL;
  GListModel *list = byok_conversation_store_get_conversations (fixture->store);
  g_autofree char *order1 = NULL;
  g_autofree char *order2 = NULL;
  g_autofree char *order3 = NULL;
  guint updated_notifies = 0;
  gint64 a_id = byok_conversation_get_id (a);

  g_assert_cmpuint (g_list_model_get_item_type (list), ==, BYOK_TYPE_CONVERSATION);
  order1 = titles (list);
  g_assert_cmpstr (order1, ==, "C,B,A");
  g_assert_true (byok_conversation_store_lookup (fixture->store, a_id) == a);
  g_assert_cmpstr (byok_conversation_get_provider (a), ==, "openai");
  g_assert_cmpstr (byok_conversation_get_model (a), ==, "gpt-4o-mini");
  g_assert_cmpint (byok_conversation_get_created (a), >, 0);
  g_assert_cmpint (byok_conversation_get_created (a), <, byok_conversation_get_created (b));

  /* A message moves its conversation to the top. */
  g_signal_connect (a, "notify::updated", G_CALLBACK (byok_test_count_notify), &updated_notifies);
  message = append (fixture, a, BYOK_MESSAGE_ROLE_USER, "hello");
  g_assert_cmpuint (updated_notifies, ==, 1);
  g_assert_cmpint (byok_conversation_get_updated (a), >, byok_conversation_get_updated (c));
  order2 = titles (list);
  g_assert_cmpstr (order2, ==, "A,C,B");
  g_signal_handlers_disconnect_by_data (a, &updated_notifies);

  /* The same after a restart. */
  g_clear_object (&a);
  g_clear_object (&b);
  g_clear_object (&c);
  g_clear_object (&message);
  byok_test_conversations_reopen (fixture);
  list = byok_conversation_store_get_conversations (fixture->store);
  order3 = titles (list);
  g_assert_cmpstr (order3, ==, "A,C,B");
  a = g_object_ref (byok_conversation_store_lookup (fixture->store, a_id));
  g_assert_cmpstr (byok_conversation_get_title (a), ==, "A");
  g_assert_cmpstr (byok_conversation_get_model (a), ==, "gpt-4o-mini");
}

static void
count_items_changed (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     guint      *count)
{
  (*count)++;
}

static void
test_conversations_rename_and_settings (Fixture       *fixture,
                                        gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokConversation) a = create (fixture, "Old title");
  g_autoptr(ByokConversation) b = create (fixture, "B");
  GListModel *list = byok_conversation_store_get_conversations (fixture->store);
  g_autofree char *order = NULL;
  guint title_notifies = 0;
  guint list_changes = 0;
  gint64 a_id = byok_conversation_get_id (a);
  ByokConversation *reloaded;

  g_signal_connect (a, "notify::title", G_CALLBACK (byok_test_count_notify), &title_notifies);
  g_signal_connect (list, "items-changed", G_CALLBACK (count_items_changed), &list_changes);
  g_assert_true (byok_conversation_store_rename (fixture->store, a, "New title", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (title_notifies, ==, 1);
  g_assert_cmpstr (byok_conversation_get_title (a), ==, "New title");
  /* Renaming does not reorder. */
  g_assert_cmpuint (list_changes, ==, 0);
  order = titles (list);
  g_assert_cmpstr (order, ==, "B,New title");
  g_signal_handlers_disconnect_by_data (list, &list_changes);

  /* Same title: no notification. */
  byok_conversation_set_title (a, "New title");
  g_assert_cmpuint (title_notifies, ==, 1);
  g_signal_handlers_disconnect_by_data (a, &title_notifies);

  byok_conversation_set_system_prompt (a, "Be brief.");
  byok_conversation_set_temperature (a, 0.25);
  byok_conversation_set_max_tokens (a, 512);
  byok_conversation_set_provider (a, "anthropic");
  byok_conversation_set_model (a, "claude-sonnet-4");
  g_assert_true (byok_conversation_store_save_conversation (fixture->store, a, &error));
  g_assert_no_error (error);

  /* Unset values stay unset. */
  g_assert_cmpfloat (byok_conversation_get_temperature (b), ==, -1);
  g_assert_cmpint (byok_conversation_get_max_tokens (b), ==, 0);
  g_assert_null (byok_conversation_get_system_prompt (b));

  g_clear_object (&a);
  g_clear_object (&b);
  byok_test_conversations_reopen (fixture);
  reloaded = byok_conversation_store_lookup (fixture->store, a_id);
  g_assert_nonnull (reloaded);
  g_assert_cmpstr (byok_conversation_get_title (reloaded), ==, "New title");
  g_assert_cmpstr (byok_conversation_get_system_prompt (reloaded), ==, "Be brief.");
  g_assert_cmpfloat (byok_conversation_get_temperature (reloaded), ==, 0.25);
  g_assert_cmpint (byok_conversation_get_max_tokens (reloaded), ==, 512);
  g_assert_cmpstr (byok_conversation_get_provider (reloaded), ==, "anthropic");
  g_assert_cmpstr (byok_conversation_get_model (reloaded), ==, "claude-sonnet-4");
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM conversations "
                                       "WHERE temperature IS NULL AND max_tokens IS NULL "
                                       "AND system_prompt IS NULL"), ==, 1);
}

static void
count_signal (ByokConversationStore *store,
              ByokConversation      *conversation,
              guint                 *count)
{
  (*count)++;
}

static void
test_conversations_delete_undo (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokConversation) keep = create (fixture, "Keep");
  g_autoptr(ByokConversation) doomed = create (fixture, "Doomed");
  g_autoptr(ByokMessage) m1 = append (fixture, doomed, BYOK_MESSAGE_ROLE_USER, "question");
  g_autoptr(ByokMessage) m2 = append (fixture, doomed, BYOK_MESSAGE_ROLE_ASSISTANT, "answer");
  g_autoptr(ByokConversationSnapshot) snapshot = NULL;
  g_autoptr(GListModel) live = NULL;
  g_autoptr(GListModel) live_again = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *order1 = NULL;
  g_autofree char *order2 = NULL;
  GListModel *list = byok_conversation_store_get_conversations (fixture->store);
  gint64 id = byok_conversation_get_id (doomed);
  gint64 m2_id = byok_message_get_id (m2);
  guint removed = 0;
  guint added = 0;
  ByokConversation *restored;

  /* A call recorded for this conversation. */
  sql = g_strdup_printf ("INSERT INTO usage (id, time, provider, model, conversation_id) "
                         "VALUES (41, 1, 'openai', 'gpt-4o-mini', %" G_GINT64_FORMAT ")", id);
  exec (fixture, sql);

  live = byok_conversation_store_get_messages (fixture->store, doomed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (live), ==, 2);

  g_signal_connect (fixture->store, "conversation-removed", G_CALLBACK (count_signal), &removed);
  g_signal_connect (fixture->store, "conversation-added", G_CALLBACK (count_signal), &added);

  snapshot = byok_conversation_store_delete_conversation (fixture->store, doomed, &error);
  g_assert_no_error (error);
  g_assert_nonnull (snapshot);
  g_assert_true (byok_conversation_snapshot_get_conversation (snapshot) == doomed);
  g_assert_cmpuint (byok_conversation_snapshot_get_n_messages (snapshot), ==, 2);
  g_assert_cmpuint (removed, ==, 1);

  order1 = titles (list);
  g_assert_cmpstr (order1, ==, "Keep");
  g_assert_null (byok_conversation_store_lookup (fixture->store, id));
  g_assert_cmpuint (g_list_model_get_n_items (live), ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM conversations"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM messages"), ==, 0);
  /* The spending stays, unlinked. */
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM usage WHERE id = 41 AND conversation_id IS NULL"), ==, 1);

  /* A deleted conversation can no longer be changed. */
  g_assert_false (byok_conversation_store_rename (fixture->store, doomed, "x", &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpstr (byok_conversation_get_title (doomed), ==, "Doomed");
  g_assert_false (byok_conversation_store_save_message (fixture->store, m1, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);

  /* Undo. */
  restored = byok_conversation_store_restore (fixture->store, snapshot, &error);
  g_assert_no_error (error);
  g_assert_true (restored == doomed);
  g_assert_cmpuint (added, ==, 1);
  order2 = titles (list);
  g_assert_cmpstr (order2, ==, "Doomed,Keep");
  g_assert_true (byok_conversation_store_lookup (fixture->store, id) == doomed);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM messages"), ==, 2);
  sql = (g_free (sql), g_strdup_printf ("SELECT count(*) FROM messages WHERE id = %" G_GINT64_FORMAT
                                        " AND content = 'answer' AND position = 1", m2_id));
  g_assert_cmpint (query_int (fixture, sql), ==, 1);
  sql = (g_free (sql), g_strdup_printf ("SELECT conversation_id FROM usage WHERE id = 41"));
  g_assert_cmpint (query_int (fixture, sql), ==, id);
  /* The live list is filled again. */
  g_assert_cmpuint (g_list_model_get_n_items (live), ==, 2);
  live_again = byok_conversation_store_get_messages (fixture->store, doomed, &error);
  g_assert_true (live_again == live);

  /* Once only. */
  g_assert_null (byok_conversation_store_restore (fixture->store, snapshot, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);

  /* And it lasts. */
  g_signal_handlers_disconnect_by_data (fixture->store, &removed);
  g_signal_handlers_disconnect_by_data (fixture->store, &added);
  g_clear_pointer (&snapshot, byok_conversation_snapshot_free);
  g_clear_object (&live);
  g_clear_object (&live_again);
  g_clear_object (&doomed);
  g_clear_object (&keep);
  g_clear_object (&m1);
  g_clear_object (&m2);
  byok_test_conversations_reopen (fixture);
  g_assert_nonnull (byok_conversation_store_lookup (fixture->store, id));
  order1 = (g_free (order1), titles (byok_conversation_store_get_conversations (fixture->store)));
  g_assert_cmpstr (order1, ==, "Doomed,Keep");
}

static char *
search (Fixture    *fixture,
        const char *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) results = byok_conversation_store_search (fixture->store, query, &error);

  g_assert_no_error (error);
  g_assert_nonnull (results);
  return titles (results);
}

static void
test_conversations_search (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(ByokConversation) trip = create (fixture, "Trip to Lisbon");
  g_autoptr(ByokConversation) code = create (fixture, "Rust lifetimes");
  g_autoptr(ByokConversation) misc = create (fixture, "Misc");
  g_autoptr(ByokMessage) m1 = append (fixture, trip, BYOK_MESSAGE_ROLE_USER, "Where should I eat pastéis de nata?");
  g_autoptr(ByokMessage) m2 = append (fixture, code, BYOK_MESSAGE_ROLE_ASSISTANT, "Use 'a for the borrow; 100% safe.");
  g_autoptr(ByokMessage) m3 = append (fixture, misc, BYOK_MESSAGE_ROLE_USER, "snake_case or camelCase?");
  struct {
    const char *query;
    const char *expected;
  } cases[] = {
    { "lisbon", "Trip to Lisbon" },          /* title, any case */
    { "LIFETIMES", "Rust lifetimes" },
    { "pastéis", "Trip to Lisbon" },         /* content, non-ASCII */
    { "BORROW", "Rust lifetimes" },          /* content, any case */
    { "  borrow  ", "Rust lifetimes" },      /* whitespace ignored */
    { "100%", "Rust lifetimes" },            /* % is literal */
    { "0% s", "Rust lifetimes" },
    { "%", "Rust lifetimes" },
    { "e_c", "Misc" },                       /* _ is literal: not "eXc" */
    { "'a", "Rust lifetimes" },
    { "\\", "" },
    { "nothing like this", "" },
    { "s", "Misc,Rust lifetimes,Trip to Lisbon" },  /* newest first */
    { "", "Misc,Rust lifetimes,Trip to Lisbon" },
    { NULL, "Misc,Rust lifetimes,Trip to Lisbon" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *found = search (fixture, cases[i].query);

      g_test_message ("search '%s'", cases[i].query != NULL ? cases[i].query : "(null)");
      g_assert_cmpstr (found, ==, cases[i].expected);
    }

  /* Results are the store's instances. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GListModel) results = byok_conversation_store_search (fixture->store, "nata", &error);
    g_autoptr(ByokConversation) first = g_list_model_get_item (results, 0);

    g_assert_true (first == trip);
  }
}

static void
fill_message (ByokMessage *message)
{
  ByokUsage usage = {
    .input_tokens = 1200,
    .cached_input_tokens = 200,
    .cache_write_tokens = 50,
    .output_tokens = 340,
    .reasoning_tokens = 120,
    .reported = TRUE,
  };

  byok_message_set_content (message, "The answer is **42**.\n\n```python\nprint(42)\n```");
  byok_message_set_reasoning (message, "Let me think.\nSix times seven.");
  byok_message_set_provider (message, "openai");
  byok_message_set_model (message, "gpt-4o-mini-2024-07-18");
  byok_message_set_status (message, BYOK_MESSAGE_STATUS_ERROR);
  byok_message_set_error (message, "RATE_LIMIT", "Too many requests; wait a minute.");
  byok_message_set_usage (message, &usage);
  byok_message_set_cost (message, TRUE, 0.0012345);
  byok_message_set_reported_cost (message, TRUE, 0.0016);
  byok_message_set_latency_us (message, 1234567);
  byok_message_set_ttft_us (message, 234567);
  byok_message_set_attempts (message, "openai/gpt-4o: RATE_LIMIT (HTTP 429) → moonshot/kimi-k2: ok");
}

static void
assert_messages_equal (ByokMessage *a,
                       ByokMessage *b)
{
  ByokUsage ua, ub;

  byok_message_get_usage (a, &ua);
  byok_message_get_usage (b, &ub);
  g_assert_cmpint (byok_message_get_id (a), ==, byok_message_get_id (b));
  g_assert_cmpint (byok_message_get_conversation_id (a), ==, byok_message_get_conversation_id (b));
  g_assert_cmpint (byok_message_get_position (a), ==, byok_message_get_position (b));
  g_assert_cmpint (byok_message_get_created (a), ==, byok_message_get_created (b));
  g_assert_cmpstr (byok_message_get_role (a), ==, byok_message_get_role (b));
  g_assert_cmpstr (byok_message_get_content (a), ==, byok_message_get_content (b));
  g_assert_cmpstr (byok_message_get_reasoning (a), ==, byok_message_get_reasoning (b));
  g_assert_cmpstr (byok_message_get_provider (a), ==, byok_message_get_provider (b));
  g_assert_cmpstr (byok_message_get_model (a), ==, byok_message_get_model (b));
  g_assert_cmpstr (byok_message_get_status (a), ==, byok_message_get_status (b));
  g_assert_cmpstr (byok_message_get_error_class (a), ==, byok_message_get_error_class (b));
  g_assert_cmpstr (byok_message_get_error_message (a), ==, byok_message_get_error_message (b));
  g_assert_true (byok_usage_equal (&ua, &ub));
  g_assert_cmpint (byok_message_get_has_usage (a), ==, byok_message_get_has_usage (b));
  g_assert_cmpint (byok_message_get_price_known (a), ==, byok_message_get_price_known (b));
  g_assert_cmpfloat (byok_message_get_cost_usd (a), ==, byok_message_get_cost_usd (b));
  g_assert_cmpint (byok_message_get_estimated (a), ==, byok_message_get_estimated (b));
  g_assert_cmpint (byok_message_get_cost_reported (a), ==, byok_message_get_cost_reported (b));
  g_assert_cmpfloat (byok_message_get_reported_cost_usd (a), ==, byok_message_get_reported_cost_usd (b));
  g_assert_cmpint (byok_message_get_latency_us (a), ==, byok_message_get_latency_us (b));
  g_assert_cmpint (byok_message_get_ttft_us (a), ==, byok_message_get_ttft_us (b));
  g_assert_cmpstr (byok_message_get_attempts (a), ==, byok_message_get_attempts (b));
}

static void
test_messages_round_trip (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokConversation) conversation = create (fixture, "Round trip");
  g_autoptr(ByokMessage) user = append (fixture, conversation, BYOK_MESSAGE_ROLE_USER, "What is 6 × 7?");
  g_autoptr(ByokMessage) full = byok_message_new (BYOK_MESSAGE_ROLE_ASSISTANT, NULL);
  g_autoptr(ByokMessage) bare = byok_message_new (BYOK_MESSAGE_ROLE_SYSTEM, "");
  g_autoptr(GListModel) messages = NULL;
  g_autoptr(ByokMessage) loaded_user = NULL;
  g_autoptr(ByokMessage) loaded_full = NULL;
  g_autoptr(ByokMessage) loaded_bare = NULL;
  gint64 id = byok_conversation_get_id (conversation);
  ByokUsage usage;

  fill_message (full);
  g_assert_true (byok_conversation_store_append_message (fixture->store, conversation, full, &error));
  g_assert_no_error (error);
  g_assert_true (byok_conversation_store_append_message (fixture->store, conversation, bare, &error));
  g_assert_no_error (error);
  g_assert_cmpint (byok_message_get_position (user), ==, 0);
  g_assert_cmpint (byok_message_get_position (full), ==, 1);
  g_assert_cmpint (byok_message_get_position (bare), ==, 2);
  g_assert_cmpint (byok_message_get_conversation_id (full), ==, id);
  g_assert_cmpint (byok_message_get_created (full), >, 0);

  /* Defaults of a bare message. */
  g_assert_cmpstr (byok_message_get_content (bare), ==, "");
  g_assert_cmpstr (byok_message_get_reasoning (bare), ==, "");
  g_assert_cmpstr (byok_message_get_status (bare), ==, "complete");
  g_assert_null (byok_message_get_provider (bare));
  g_assert_null (byok_message_get_error_class (bare));
  g_assert_false (byok_message_get_has_usage (bare));
  g_assert_false (byok_message_get_price_known (bare));
  g_assert_cmpint (byok_message_get_latency_us (bare), ==, -1);
  g_assert_cmpint (byok_message_get_ttft_us (bare), ==, -1);
  g_assert_null (byok_message_get_attempts (bare));

  /* Unknown values are NULL in the table. */
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM messages WHERE role = 'system' "
                                       "AND reasoning IS NULL AND provider IS NULL AND input_tokens IS NULL "
                                       "AND cost_usd IS NULL AND price_known = 0 AND latency_us IS NULL "
                                       "AND ttft_us IS NULL AND attempts IS NULL"), ==, 1);

  g_clear_object (&conversation);
  byok_test_conversations_reopen (fixture);
  conversation = g_object_ref (byok_conversation_store_lookup (fixture->store, id));
  messages = byok_conversation_store_get_messages (fixture->store, conversation, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_item_type (messages), ==, BYOK_TYPE_MESSAGE);
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 3);
  loaded_user = g_list_model_get_item (messages, 0);
  loaded_full = g_list_model_get_item (messages, 1);
  loaded_bare = g_list_model_get_item (messages, 2);
  assert_messages_equal (loaded_user, user);
  assert_messages_equal (loaded_full, full);
  assert_messages_equal (loaded_bare, bare);

  /* Spelled out, in case both sides were wrong the same way. */
  byok_message_get_usage (loaded_full, &usage);
  g_assert_cmpint (usage.input_tokens, ==, 1200);
  g_assert_cmpint (usage.cached_input_tokens, ==, 200);
  g_assert_cmpint (usage.cache_write_tokens, ==, 50);
  g_assert_cmpint (usage.output_tokens, ==, 340);
  g_assert_cmpint (usage.reasoning_tokens, ==, 120);
  g_assert_true (usage.reported);
  g_assert_cmpstr (byok_message_get_reasoning (loaded_full), ==, "Let me think.\nSix times seven.");
  g_assert_cmpstr (byok_message_get_error_class (loaded_full), ==, "RATE_LIMIT");
  g_assert_cmpfloat (byok_message_get_cost_usd (loaded_full), ==, 0.0012345);
  g_assert_true (byok_message_get_cost_reported (loaded_full));
  g_assert_cmpfloat (byok_message_get_reported_cost_usd (loaded_full), ==, 0.0016);
  g_assert_false (byok_message_get_estimated (loaded_full));
  g_assert_false (byok_message_get_cost_reported (loaded_bare));
  g_assert_cmpint (byok_message_get_latency_us (loaded_full), ==, 1234567);
  g_assert_cmpint (byok_message_get_ttft_us (loaded_full), ==, 234567);
  g_assert_cmpstr (byok_message_get_attempts (loaded_full), ==,
                   "openai/gpt-4o: RATE_LIMIT (HTTP 429) → moonshot/kimi-k2: ok");

  /* Saving writes changes back; clearing usage and price gives NULLs. */
  byok_message_set_usage (loaded_full, NULL);
  byok_message_set_cost (loaded_full, FALSE, 9.0);
  byok_message_set_reported_cost (loaded_full, FALSE, 9.0);
  byok_message_set_error (loaded_full, NULL, NULL);
  byok_message_set_status (loaded_full, BYOK_MESSAGE_STATUS_COMPLETE);
  byok_message_set_content (loaded_full, "Edited");
  g_assert_true (byok_conversation_store_save_message (fixture->store, loaded_full, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM messages WHERE content = 'Edited' "
                                       "AND input_tokens IS NULL AND cost_usd IS NULL AND price_known = 0 "
                                       "AND reported_cost_usd IS NULL AND estimated = 0 "
                                       "AND error_class IS NULL AND status = 'complete'"), ==, 1);

  /* A message not stored cannot be saved. */
  {
    g_autoptr(ByokMessage) loose = byok_message_new (BYOK_MESSAGE_ROLE_USER, "loose");

    g_assert_false (byok_conversation_store_save_message (fixture->store, loose, &error));
    g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
    g_clear_error (&error);
  }
}

/* An answer whose provider reported no usage keeps Byok's estimate of
 * its tokens, marked so, across a restart (the ≈ under it stays), and an
 * answer keeps what its provider billed (OpenRouter's usage.cost). */
static void
test_messages_estimated_and_billed (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokConversation) conversation = create (fixture, "Estimates");
  g_autoptr(ByokMessage) estimated = byok_message_new (BYOK_MESSAGE_ROLE_ASSISTANT, NULL);
  g_autoptr(ByokMessage) billed = byok_message_new (BYOK_MESSAGE_ROLE_ASSISTANT, NULL);
  g_autoptr(ByokChatResult) guessed = byok_chat_result_new ("openai", "gpt-4o-mini");
  g_autoptr(ByokChatResult) reported = byok_chat_result_new ("openrouter", "anthropic/claude-sonnet-5");
  g_autoptr(GListModel) messages = NULL;
  g_autoptr(ByokMessage) loaded_estimated = NULL;
  g_autoptr(ByokMessage) loaded_billed = NULL;
  gint64 id = byok_conversation_get_id (conversation);
  ByokUsage usage;

  /* As the engine leaves a call without a usage report. */
  g_string_assign (guessed->text, "An answer");
  guessed->usage.input_tokens = 40;
  guessed->usage.output_tokens = 12;
  guessed->usage.estimated = TRUE;
  guessed->cost_known = TRUE;
  guessed->cost_usd = 0.00042;
  byok_message_set_from_result (estimated, guessed);
  g_assert_true (byok_message_get_estimated (estimated));
  g_assert_false (byok_message_get_has_usage (estimated));

  g_string_assign (reported->text, "Paris.");
  reported->usage.input_tokens = 1000;
  reported->usage.output_tokens = 200;
  reported->usage.reported = TRUE;
  reported->cost_known = TRUE;
  reported->cost_usd = 0.004;
  reported->reported_cost_usd = 0.0052;
  byok_message_set_from_result (billed, reported);
  g_assert_true (byok_message_get_cost_reported (billed));

  g_assert_true (byok_conversation_store_append_message (fixture->store, conversation, estimated, &error));
  g_assert_no_error (error);
  g_assert_true (byok_conversation_store_append_message (fixture->store, conversation, billed, &error));
  g_assert_no_error (error);

  g_clear_object (&conversation);
  byok_test_conversations_reopen (fixture);
  conversation = g_object_ref (byok_conversation_store_lookup (fixture->store, id));
  messages = byok_conversation_store_get_messages (fixture->store, conversation, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 2);
  loaded_estimated = g_list_model_get_item (messages, 0);
  loaded_billed = g_list_model_get_item (messages, 1);
  assert_messages_equal (loaded_estimated, estimated);
  assert_messages_equal (loaded_billed, billed);

  g_assert_true (byok_message_get_estimated (loaded_estimated));
  g_assert_false (byok_message_get_has_usage (loaded_estimated));
  byok_message_get_usage (loaded_estimated, &usage);
  g_assert_true (usage.estimated);
  g_assert_false (usage.reported);
  g_assert_cmpint (usage.input_tokens, ==, 40);
  g_assert_cmpint (usage.output_tokens, ==, 12);
  g_assert_cmpfloat (byok_message_get_cost_usd (loaded_estimated), ==, 0.00042);
  g_assert_false (byok_message_get_cost_reported (loaded_estimated));

  g_assert_false (byok_message_get_estimated (loaded_billed));
  g_assert_true (byok_message_get_has_usage (loaded_billed));
  g_assert_cmpfloat (byok_message_get_cost_usd (loaded_billed), ==, 0.004);
  g_assert_cmpfloat (byok_message_get_reported_cost_usd (loaded_billed), ==, 0.0052);
}

static void
test_messages_live_list (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokConversation) conversation = create (fixture, "Live");
  g_autoptr(ByokMessage) first = append (fixture, conversation, BYOK_MESSAGE_ROLE_USER, "one");
  g_autoptr(GListModel) messages = NULL;
  g_autoptr(GListModel) again = NULL;
  g_autoptr(ByokMessage) second = NULL;
  g_autoptr(ByokMessage) item = NULL;
  guint changes = 0;

  messages = byok_conversation_store_get_messages (fixture->store, conversation, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 1);
  again = byok_conversation_store_get_messages (fixture->store, conversation, &error);
  g_assert_true (again == messages);
  g_clear_object (&again);

  g_signal_connect (fixture->store, "messages-changed", G_CALLBACK (count_signal), &changes);
  second = append (fixture, conversation, BYOK_MESSAGE_ROLE_ASSISTANT, "two");
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 2);
  item = g_list_model_get_item (messages, 1);
  g_assert_true (item == second);
  g_clear_object (&item);

  g_assert_true (byok_conversation_store_delete_message (fixture->store, first, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes, ==, 2);
  g_assert_cmpint (byok_message_get_id (first), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 1);
  item = g_list_model_get_item (messages, 0);
  g_assert_true (item == second);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM messages"), ==, 1);
  g_signal_handlers_disconnect_by_data (fixture->store, &changes);

  /* Once nobody holds it, the next call reads it afresh. */
  g_assert_finalize_object (g_steal_pointer (&messages));
  messages = byok_conversation_store_get_messages (fixture->store, conversation, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 1);
}

static void
test_messages_append_notifies (void)
{
  g_autoptr(ByokMessage) message = byok_message_new (BYOK_MESSAGE_ROLE_ASSISTANT, NULL);
  guint content = 0;
  guint reasoning = 0;
  guint any = 0;

  g_signal_connect (message, "notify::content", G_CALLBACK (byok_test_count_notify), &content);
  g_signal_connect (message, "notify::reasoning", G_CALLBACK (byok_test_count_notify), &reasoning);
  g_signal_connect (message, "notify", G_CALLBACK (byok_test_count_notify), &any);

  byok_message_append_content (message, "Hello");
  byok_message_append_content (message, ", world");
  byok_message_append_content (message, "");
  byok_message_append_content (message, NULL);
  byok_message_append_reasoning (message, "hmm");
  g_assert_cmpuint (content, ==, 2);
  g_assert_cmpuint (reasoning, ==, 1);
  g_assert_cmpuint (any, ==, 3);
  g_assert_cmpstr (byok_message_get_content (message), ==, "Hello, world");
  g_assert_cmpstr (byok_message_get_reasoning (message), ==, "hmm");

  /* Setting the same value notifies nothing. */
  byok_message_set_content (message, "Hello, world");
  byok_message_set_status (message, "complete");
  byok_message_set_latency_us (message, -1);
  g_assert_cmpuint (any, ==, 3);

  g_assert_true (byok_message_role_is_valid ("assistant"));
  g_assert_false (byok_message_role_is_valid ("tool"));
  g_assert_true (byok_message_status_is_valid ("streaming"));
  g_assert_false (byok_message_status_is_valid ("done"));
}

static void
test_messages_from_result (void)
{
  g_autoptr(ByokChatResult) result = byok_chat_result_new ("moonshot", "kimi-k2");
  g_autoptr(ByokChatResult) cancelled = byok_chat_result_new ("openai", "gpt-4o");
  g_autoptr(ByokMessage) message = byok_message_new (BYOK_MESSAGE_ROLE_ASSISTANT, NULL);
  g_autoptr(ByokMessage) stopped = byok_message_new (BYOK_MESSAGE_ROLE_ASSISTANT, NULL);
  ByokAttempt *attempt;
  ByokUsage usage;

  attempt = byok_attempt_new ("openai", "gpt-4o");
  attempt->http_status = 429;
  attempt->error = g_error_new_literal (BYOK_ERROR, BYOK_ERROR_RATE_LIMIT, "slow down");
  byok_chat_result_add_attempt (result, attempt);
  byok_chat_result_add_attempt (result, byok_attempt_new ("moonshot", "kimi-k2"));
  g_string_assign (result->text, "Hi!");
  g_string_assign (result->reasoning, "greet");
  byok_chat_result_set_response_model (result, "kimi-k2-0905");
  result->usage.input_tokens = 10;
  result->usage.output_tokens = 3;
  result->usage.reported = TRUE;
  result->latency_us = 900000;
  result->ttft_us = 300000;

  byok_message_set_status (message, BYOK_MESSAGE_STATUS_STREAMING);
  byok_message_set_from_result (message, result);
  g_assert_cmpstr (byok_message_get_content (message), ==, "Hi!");
  g_assert_cmpstr (byok_message_get_reasoning (message), ==, "greet");
  g_assert_cmpstr (byok_message_get_provider (message), ==, "moonshot");
  g_assert_cmpstr (byok_message_get_model (message), ==, "kimi-k2-0905");
  g_assert_cmpstr (byok_message_get_status (message), ==, "complete");
  g_assert_null (byok_message_get_error_class (message));
  g_assert_cmpint (byok_message_get_latency_us (message), ==, 900000);
  g_assert_cmpint (byok_message_get_ttft_us (message), ==, 300000);
  byok_message_get_usage (message, &usage);
  g_assert_cmpint (usage.output_tokens, ==, 3);
  g_assert_true (byok_message_get_has_usage (message));
  g_assert_cmpstr (byok_message_get_attempts (message), ==,
                   "openai/gpt-4o: RATE_LIMIT (HTTP 429) → moonshot/kimi-k2: ok");

  /* Stopped by the user: partial, text kept; one attempt: no summary. */
  byok_chat_result_add_attempt (cancelled, byok_attempt_new ("openai", "gpt-4o"));
  g_string_assign (cancelled->text, "Half an");
  byok_chat_result_take_error (cancelled, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled"));
  byok_message_set_from_result (stopped, cancelled);
  g_assert_cmpstr (byok_message_get_status (stopped), ==, "partial");
  g_assert_cmpstr (byok_message_get_error_class (stopped), ==, "CANCELLED");
  g_assert_cmpstr (byok_message_get_content (stopped), ==, "Half an");
  g_assert_null (byok_message_get_attempts (stopped));
  g_assert_false (byok_message_get_has_usage (stopped));

  /* Any other failure: error. */
  byok_chat_result_take_error (cancelled, g_error_new_literal (BYOK_ERROR, BYOK_ERROR_AUTH, "Key rejected"));
  byok_message_set_from_result (stopped, cancelled);
  g_assert_cmpstr (byok_message_get_status (stopped), ==, "error");
  g_assert_cmpstr (byok_message_get_error_class (stopped), ==, "AUTH");
  g_assert_cmpstr (byok_message_get_error_message (stopped), ==, "Key rejected");
}

#define N_BIG 10000

static void
test_messages_ten_thousand (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokConversation) conversation = create (fixture, "Long");
  g_autoptr(GListModel) messages = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  gint64 id = byok_conversation_get_id (conversation);

  /* Positions written in reverse order, so the load must sort. */
  insert = byok_database_prepare (fixture->database,
                                  "INSERT INTO messages (conversation_id, position, role, content, created) "
                                  "VALUES (?1, ?2, ?3, ?4, 1)", &error);
  g_assert_no_error (error);
  g_assert_true (byok_database_begin (fixture->database, &error));
  for (int i = N_BIG - 1; i >= 0; i--)
    {
      g_autofree char *content = g_strdup_printf ("message %d", i);

      sqlite3_bind_int64 (insert, 1, id);
      sqlite3_bind_int (insert, 2, i);
      sqlite3_bind_text (insert, 3, i % 2 == 0 ? "user" : "assistant", -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 4, content, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
      sqlite3_reset (insert);
    }
  g_assert_true (byok_database_commit (fixture->database, &error));

  messages = byok_conversation_store_get_messages (fixture->store, conversation, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, N_BIG);
  for (guint i = 0; i < N_BIG; i++)
    {
      g_autoptr(ByokMessage) message = g_list_model_get_item (messages, i);
      g_autofree char *expected = g_strdup_printf ("message %u", i);

      g_assert_cmpint (byok_message_get_position (message), ==, i);
      g_assert_cmpstr (byok_message_get_content (message), ==, expected);
      g_assert_cmpstr (byok_message_get_role (message), ==, i % 2 == 0 ? "user" : "assistant");
    }

  /* The next message goes after them. */
  {
    g_autoptr(ByokMessage) next = append (fixture, conversation, BYOK_MESSAGE_ROLE_USER, "next");

    g_assert_cmpint (byok_message_get_position (next), ==, N_BIG);
    g_assert_cmpuint (g_list_model_get_n_items (messages), ==, N_BIG + 1);
  }
}

static void
test_messages_streaming_becomes_partial (Fixture       *fixture,
                                         gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokConversation) conversation = create (fixture, "Interrupted");
  g_autoptr(ByokMessage) question = append (fixture, conversation, BYOK_MESSAGE_ROLE_USER, "Tell me a story");
  g_autoptr(ByokMessage) answer = byok_message_new (BYOK_MESSAGE_ROLE_ASSISTANT, NULL);
  g_autoptr(GListModel) messages = NULL;
  g_autoptr(ByokMessage) loaded = NULL;
  gint64 id = byok_conversation_get_id (conversation);

  byok_message_set_status (answer, BYOK_MESSAGE_STATUS_STREAMING);
  byok_message_set_provider (answer, "openai");
  byok_message_set_model (answer, "gpt-4o-mini");
  g_assert_true (byok_conversation_store_append_message (fixture->store, conversation, answer, &error));
  g_assert_no_error (error);

  /* Saved once a second while it streams… */
  byok_message_append_content (answer, "Once upon");
  g_assert_true (byok_conversation_store_save_message (fixture->store, answer, &error));
  g_assert_no_error (error);
  byok_message_append_content (answer, " a time");
  g_assert_true (byok_conversation_store_save_message (fixture->store, answer, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM messages WHERE status = 'streaming'"), ==, 1);

  /* …then the app quits. */
  g_clear_object (&conversation);
  g_clear_object (&question);
  g_clear_object (&answer);
  byok_test_conversations_reopen (fixture);

  conversation = g_object_ref (byok_conversation_store_lookup (fixture->store, id));
  messages = byok_conversation_store_get_messages (fixture->store, conversation, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 2);
  loaded = g_list_model_get_item (messages, 1);
  g_assert_cmpstr (byok_message_get_status (loaded), ==, "partial");
  g_assert_cmpstr (byok_message_get_content (loaded), ==, "Once upon a time");
  g_assert_cmpstr (byok_message_get_model (loaded), ==, "gpt-4o-mini");
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM messages WHERE status = 'streaming'"), ==, 0);
}

static void
test_messages_delete_after (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokConversation) conversation = create (fixture, "Edit");
  g_autoptr(ByokConversation) other = create (fixture, "Other");
  g_autoptr(GPtrArray) sent = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GListModel) messages = NULL;
  g_autoptr(ByokMessage) other_message = append (fixture, other, BYOK_MESSAGE_ROLE_USER, "untouched");
  g_autoptr(ByokMessage) resent = NULL;
  g_autoptr(ByokMessage) doomed = NULL;
  g_autoptr(ByokMessage) kept = NULL;

  for (int i = 0; i < 6; i++)
    {
      g_autofree char *text = g_strdup_printf ("m%d", i);

      g_ptr_array_add (sent, append (fixture, conversation,
                                     i % 2 == 0 ? BYOK_MESSAGE_ROLE_USER : BYOK_MESSAGE_ROLE_ASSISTANT,
                                     text));
    }
  messages = byok_conversation_store_get_messages (fixture->store, conversation, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 6);

  /* Edit m2 and resend: everything after it goes. */
  doomed = g_list_model_get_item (messages, 3);
  kept = g_list_model_get_item (messages, 2);
  byok_message_set_content (g_ptr_array_index (sent, 2), "m2, edited");
  g_assert_true (byok_conversation_store_save_message (fixture->store, g_ptr_array_index (sent, 2), &error));
  g_assert_no_error (error);
  g_assert_true (byok_conversation_store_delete_messages_after (fixture->store, conversation, 2, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 3);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM messages"), ==, 4);
  g_assert_cmpint (query_int (fixture, "SELECT max(position) FROM messages WHERE content LIKE 'm%'"), ==, 2);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM messages WHERE content = 'm2, edited'"), ==, 1);
  /* The list's objects that left it are no longer stored. */
  g_assert_cmpint (byok_message_get_id (doomed), ==, 0);
  g_assert_cmpint (byok_message_get_id (kept), >, 0);

  resent = append (fixture, conversation, BYOK_MESSAGE_ROLE_ASSISTANT, "new answer");
  g_assert_cmpint (byok_message_get_position (resent), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 4);

  /* -1: all of them. */
  g_assert_true (byok_conversation_store_delete_messages_after (fixture->store, conversation, -1, &error));
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM messages"), ==, 1);
}

static void
test_build_request (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokConversation) conversation = create (fixture, "Request");
  g_autoptr(ByokChatRequest) request = NULL;
  g_autoptr(ByokChatRequest) partial = NULL;
  g_autoptr(ByokMessage) m0 = append (fixture, conversation, BYOK_MESSAGE_ROLE_USER, "Hi");
  g_autoptr(ByokMessage) m1 = append (fixture, conversation, BYOK_MESSAGE_ROLE_ASSISTANT, "Hello!");
  g_autoptr(ByokMessage) m2 = append (fixture, conversation, BYOK_MESSAGE_ROLE_USER, "Tell me more");
  g_autoptr(ByokMessage) failed = byok_message_new (BYOK_MESSAGE_ROLE_ASSISTANT, "Broken te");
  g_autoptr(ByokMessage) empty = byok_message_new (BYOK_MESSAGE_ROLE_ASSISTANT, "");
  g_autoptr(ByokMessage) m5 = NULL;
  g_autoptr(ByokMessage) stopped = byok_message_new (BYOK_MESSAGE_ROLE_ASSISTANT, "Stopped ha");
  g_autoptr(ByokMessage) streaming = byok_message_new (BYOK_MESSAGE_ROLE_ASSISTANT, "Still com");
  const char * const expected[][2] = {
    { "user", "Hi" },
    { "assistant", "Hello!" },
    { "user", "Tell me more" },
    { "user", "Again?" },
    { "assistant", "Stopped ha" },
  };

  byok_message_set_status (failed, BYOK_MESSAGE_STATUS_ERROR);
  g_assert_true (byok_conversation_store_append_message (fixture->store, conversation, failed, &error));
  g_assert_true (byok_conversation_store_append_message (fixture->store, conversation, empty, &error));
  m5 = append (fixture, conversation, BYOK_MESSAGE_ROLE_USER, "Again?");
  byok_message_set_status (stopped, BYOK_MESSAGE_STATUS_PARTIAL);
  g_assert_true (byok_conversation_store_append_message (fixture->store, conversation, stopped, &error));
  byok_message_set_status (streaming, BYOK_MESSAGE_STATUS_STREAMING);
  g_assert_true (byok_conversation_store_append_message (fixture->store, conversation, streaming, &error));
  g_assert_no_error (error);

  byok_conversation_set_system_prompt (conversation, "You are terse.");
  byok_conversation_set_temperature (conversation, 0.5);
  byok_conversation_set_max_tokens (conversation, 256);
  g_assert_true (byok_conversation_store_save_conversation (fixture->store, conversation, &error));

  request = byok_conversation_store_build_request (fixture->store, conversation, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (request->model, ==, "gpt-4o-mini");
  g_assert_cmpstr (request->system_prompt, ==, "You are terse.");
  g_assert_cmpfloat (request->temperature, ==, 0.5);
  g_assert_cmpint (request->max_output_tokens, ==, 256);
  g_assert_true (request->stream);
  g_assert_cmpuint (byok_chat_request_get_n_messages (request), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const ByokChatMessage *message = byok_chat_request_get_message (request, i);

      g_assert_cmpstr (byok_chat_role_to_string (message->role), ==, expected[i][0]);
      g_assert_cmpstr (message->content, ==, expected[i][1]);
    }

  /* Up to the third message, for a resend. */
  partial = byok_conversation_store_build_request (fixture->store, conversation,
                                                   byok_message_get_position (m2), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (byok_chat_request_get_n_messages (partial), ==, 3);
  g_assert_cmpstr (byok_chat_request_get_message (partial, 2)->content, ==, "Tell me more");

  /* Unset settings stay unset. */
  byok_conversation_set_system_prompt (conversation, NULL);
  byok_conversation_set_temperature (conversation, -1);
  byok_conversation_set_max_tokens (conversation, 0);
  g_assert_true (byok_conversation_store_save_conversation (fixture->store, conversation, &error));
  g_clear_pointer (&partial, byok_chat_request_unref);
  partial = byok_conversation_store_build_request (fixture->store, conversation, 0, &error);
  g_assert_null (partial->system_prompt);
  g_assert_cmpfloat (partial->temperature, <, 0);
  g_assert_cmpint (partial->max_output_tokens, ==, 0);
  g_assert_cmpuint (byok_chat_request_get_n_messages (partial), ==, 1);
}

/* A conversation with a question, an answer with reasoning, usage and
 * cost, and a failed answer. */
static ByokConversation *
export_fixture (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  ByokConversation *conversation = create (fixture, "Pasta & Sauce");
  g_autoptr(ByokMessage) question = append (fixture, conversation, BYOK_MESSAGE_ROLE_USER,
                                            "How long do I boil *spaghetti*?");
  g_autoptr(ByokMessage) answer = byok_message_new (BYOK_MESSAGE_ROLE_ASSISTANT,
                                                    "About **9 minutes**.\n\n- salt the water\n- taste it");
  g_autoptr(ByokMessage) failed = byok_message_new (BYOK_MESSAGE_ROLE_ASSISTANT, "");
  ByokUsage usage = {
    .input_tokens = 1200, .cached_input_tokens = 200, .output_tokens = 340, .reported = TRUE,
  };

  byok_conversation_set_system_prompt (conversation, "You are a chef.");
  g_assert_true (byok_conversation_store_save_conversation (fixture->store, conversation, &error));
  byok_message_set_reasoning (answer, "Dried pasta.\n\nCheck the packet.");
  byok_message_set_provider (answer, "openai");
  byok_message_set_model (answer, "gpt-4o-mini");
  byok_message_set_usage (answer, &usage);
  byok_message_set_cost (answer, TRUE, 0.0012);
  byok_message_set_latency_us (answer, 1500000);
  g_assert_true (byok_conversation_store_append_message (fixture->store, conversation, answer, &error));
  byok_message_set_status (failed, BYOK_MESSAGE_STATUS_ERROR);
  byok_message_set_error (failed, "QUOTA", "Your OpenAI account is out of credit.");
  byok_message_set_provider (failed, "openai");
  byok_message_set_model (failed, "gpt-4o");
  g_assert_true (byok_conversation_store_append_message (fixture->store, conversation, failed, &error));
  g_assert_no_error (error);
  return conversation;
}

static char *
export_to_string (Fixture                      *fixture,
                  ByokConversation             *conversation,
                  ByokConversationExportFormat  format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();

  g_assert_true (byok_conversation_store_export (fixture->store, conversation, format,
                                                 stream, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (stream, "", 1, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (stream, NULL, NULL));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
}

static void
test_export_markdown (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(ByokConversation) conversation = export_fixture (fixture);
  g_autofree char *markdown = export_to_string (fixture, conversation, BYOK_CONVERSATION_EXPORT_MARKDOWN);
  const char *expected_parts[] = {
    "# Pasta & Sauce\n\n",
    "_gpt-4o-mini · openai · ",
    "## System prompt\n\nYou are a chef.\n\n",
    "## User\n\nHow long do I boil *spaghetti*?\n\n",
    "## Assistant\n\n<details>\n<summary>Reasoning</summary>\n\n> Dried pasta.\n>\n> Check the packet.\n\n</details>\n\n",
    "About **9 minutes**.\n\n- salt the water\n- taste it\n\n",
    "_gpt-4o-mini (openai) · 1200 input tokens (200 cached) · 340 output tokens · $0.0012 · 1.5 s_\n\n",
    "## Assistant\n\n_Error (QUOTA): Your OpenAI account is out of credit._\n\n",
    "_gpt-4o (openai) · tokens not reported · price unknown_\n\n",
  };
  const char *cursor = markdown;

  g_test_message ("%s", markdown);
  g_assert_true (g_str_has_prefix (markdown, "# Pasta & Sauce\n\n_"));
  /* In this order. */
  for (guint i = 0; i < G_N_ELEMENTS (expected_parts); i++)
    {
      const char *found = strstr (cursor, expected_parts[i]);

      if (found == NULL)
        g_error ("Missing (in order) from the Markdown export: %s", expected_parts[i]);
      cursor = found + strlen (expected_parts[i]);
    }
  g_assert_cmpstr (cursor, ==, "");
}

static void
test_export_json (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokConversation) conversation = export_fixture (fixture);
  g_autofree char *json = export_to_string (fixture, conversation, BYOK_CONVERSATION_EXPORT_JSON);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *messages;
  JsonObject *answer;
  JsonObject *failed;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "id"), ==, byok_conversation_get_id (conversation));
  g_assert_cmpstr (json_object_get_string_member (root, "title"), ==, "Pasta & Sauce");
  g_assert_cmpint (json_object_get_int_member (root, "created"), ==, byok_conversation_get_created (conversation));
  g_assert_cmpint (json_object_get_int_member (root, "updated"), ==, byok_conversation_get_updated (conversation));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (root, "created_utc"), "Z"));
  g_assert_cmpstr (json_object_get_string_member (root, "provider"), ==, "openai");
  g_assert_cmpstr (json_object_get_string_member (root, "model"), ==, "gpt-4o-mini");
  g_assert_cmpstr (json_object_get_string_member (root, "system_prompt"), ==, "You are a chef.");
  g_assert_true (json_object_get_null_member (root, "temperature"));
  g_assert_true (json_object_get_null_member (root, "max_tokens"));

  messages = json_object_get_array_member (root, "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 0), "role"), ==, "user");
  answer = json_array_get_object_element (messages, 1);
  g_assert_cmpint (json_object_get_int_member (answer, "position"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (answer, "conversation_id"), ==, byok_conversation_get_id (conversation));
  g_assert_cmpint (json_object_get_int_member (answer, "id"), >, 0);
  g_assert_cmpint (json_object_get_int_member (answer, "created"), >, 0);
  g_assert_nonnull (json_object_get_string_member (answer, "created_utc"));
  g_assert_cmpstr (json_object_get_string_member (answer, "role"), ==, "assistant");
  g_assert_cmpstr (json_object_get_string_member (answer, "content"), ==,
                   "About **9 minutes**.\n\n- salt the water\n- taste it");
  g_assert_cmpstr (json_object_get_string_member (answer, "reasoning"), ==, "Dried pasta.\n\nCheck the packet.");
  g_assert_cmpstr (json_object_get_string_member (answer, "provider"), ==, "openai");
  g_assert_cmpstr (json_object_get_string_member (answer, "model"), ==, "gpt-4o-mini");
  g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, "complete");
  g_assert_true (json_object_get_null_member (answer, "error_class"));
  g_assert_true (json_object_get_null_member (answer, "error_message"));
  g_assert_cmpint (json_object_get_int_member (answer, "input_tokens"), ==, 1200);
  g_assert_cmpint (json_object_get_int_member (answer, "cached_input_tokens"), ==, 200);
  g_assert_cmpint (json_object_get_int_member (answer, "cache_write_tokens"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (answer, "output_tokens"), ==, 340);
  g_assert_cmpint (json_object_get_int_member (answer, "reasoning_tokens"), ==, 0);
  g_assert_true (json_object_get_boolean_member (answer, "price_known"));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (answer, "cost_usd"), 0.0012, 1e-12);
  g_assert_cmpint (json_object_get_int_member (answer, "latency_us"), ==, 1500000);
  g_assert_true (json_object_get_null_member (answer, "ttft_us"));
  g_assert_true (json_object_get_null_member (answer, "attempts"));

  failed = json_array_get_object_element (messages, 2);
  g_assert_cmpstr (json_object_get_string_member (failed, "status"), ==, "error");
  g_assert_cmpstr (json_object_get_string_member (failed, "error_class"), ==, "QUOTA");
  g_assert_cmpstr (json_object_get_string_member (failed, "error_message"), ==, "Your OpenAI account is out of credit.");
  g_assert_true (json_object_get_null_member (failed, "input_tokens"));
  g_assert_true (json_object_get_null_member (failed, "cost_usd"));
  g_assert_false (json_object_get_boolean_member (failed, "price_known"));
  g_assert_true (json_object_get_null_member (failed, "reasoning"));
}

static void
test_export_async (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokConversation) conversation = export_fixture (fixture);
  g_autofree char *path = g_build_filename (fixture->dir, "export.md", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *expected = export_to_string (fixture, conversation, BYOK_CONVERSATION_EXPORT_MARKDOWN);
  g_autofree char *json_expected = export_to_string (fixture, conversation, BYOK_CONVERSATION_EXPORT_JSON);
  g_autofree char *written = NULL;
  ByokConversationExportFormat formats[] = { BYOK_CONVERSATION_EXPORT_MARKDOWN, BYOK_CONVERSATION_EXPORT_JSON };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr(GAsyncResult) result = NULL;

      byok_conversation_store_export_async (fixture->store, conversation, formats[i], file,
                                            NULL, byok_test_store_result, &result);
      byok_test_wait_result (&result);
      g_assert_true (byok_conversation_store_export_finish (fixture->store, result, &error));
      g_assert_no_error (error);
      g_clear_pointer (&written, g_free);
      g_assert_true (g_file_get_contents (path, &written, NULL, &error));
      g_assert_cmpstr (written, ==, i == 0 ? expected : json_expected);
    }

  /* A deleted conversation: an error, the file untouched. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(ByokConversationSnapshot) snapshot =
      byok_conversation_store_delete_conversation (fixture->store, conversation, &error);
    g_autofree char *after = NULL;

    g_assert_no_error (error);
    byok_conversation_store_export_async (fixture->store, conversation, BYOK_CONVERSATION_EXPORT_MARKDOWN,
                                          file, NULL, byok_test_store_result, &result);
    byok_test_wait_result (&result);
    g_assert_false (byok_conversation_store_export_finish (fixture->store, result, &error));
    g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
    g_assert_cmpstr (after, ==, json_expected);
  }
}

typedef struct {
  Fixture          *fixture;
  ByokConversation *conversation;
} Export;

static gboolean
export_conversation (GFile     *file,
                     gboolean   json,
                     gpointer   data,
                     GError   **error)
{
  Export *e = data;
  g_autoptr(GAsyncResult) result = NULL;

  byok_conversation_store_export_async (e->fixture->store, e->conversation,
                                        json ? BYOK_CONVERSATION_EXPORT_JSON : BYOK_CONVERSATION_EXPORT_MARKDOWN,
                                        file, NULL, byok_test_store_result, &result);
  return byok_conversation_store_export_finish (e->fixture->store, byok_test_wait_result (&result), error);
}

/* An export holds the conversation: only its owner may read it, whatever
 * the umask, and also when it replaces a file others could read. */
static void
test_export_modes (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(ByokConversation) conversation = export_fixture (fixture);
  Export e = { fixture, conversation };

  byok_test_assert_export_modes (fixture->dir, ".md", export_conversation, &e);
}

#define add_test(path, func) \
  g_test_add ((path), Fixture, NULL, byok_test_conversations_set_up, (func), byok_test_conversations_tear_down)

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add_test ("/conversation-store/conversations/order", test_conversations_order);
  add_test ("/conversation-store/export/modes", test_export_modes);
  add_test ("/conversation-store/conversations/rename-and-settings", test_conversations_rename_and_settings);
  add_test ("/conversation-store/conversations/delete-undo", test_conversations_delete_undo);
  add_test ("/conversation-store/conversations/search", test_conversations_search);
  add_test ("/conversation-store/messages/round-trip", test_messages_round_trip);
  add_test ("/conversation-store/messages/estimated-and-billed", test_messages_estimated_and_billed);
  add_test ("/conversation-store/messages/live-list", test_messages_live_list);
  g_test_add_func ("/conversation-store/messages/append-notifies", test_messages_append_notifies);
  g_test_add_func ("/conversation-store/messages/from-result", test_messages_from_result);
  add_test ("/conversation-store/messages/ten-thousand", test_messages_ten_thousand);
  add_test ("/conversation-store/messages/streaming-becomes-partial", test_messages_streaming_becomes_partial);
  add_test ("/conversation-store/messages/delete-after", test_messages_delete_after);
  add_test ("/conversation-store/request", test_build_request);
  add_test ("/conversation-store/export/markdown", test_export_markdown);
  add_test ("/conversation-store/export/json", test_export_json);
  add_test ("/conversation-store/export/async", test_export_async);
  return g_test_run ();
}
