/* test-database.c — opening, migrating and configuring the SQLite database */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "byok-database.h"
#include "byok-error.h"
#include "byok-file.h"
#include "byok-test-util.h"

/* Schema 1 exactly as Byok 0.1 shipped it, written out by hand: an upgrade
 * from it must give the same schema as a fresh database. */
static const char v1_schema[] =
  "CREATE TABLE conversations (id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " title TEXT NOT NULL DEFAULT '', created INTEGER NOT NULL,"
  " updated INTEGER NOT NULL, system_prompt TEXT, model TEXT, provider TEXT,"
  " temperature REAL, max_tokens INTEGER);"
  "CREATE INDEX conversations_updated ON conversations (updated);"
  "CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,"
  " position INTEGER NOT NULL, role TEXT NOT NULL, content TEXT NOT NULL DEFAULT '',"
  " reasoning TEXT, provider TEXT, model TEXT,"
  " status TEXT NOT NULL DEFAULT 'complete' CHECK (status IN ('complete', 'partial', 'error')),"
  " error_class TEXT, error_message TEXT, input_tokens INTEGER, output_tokens INTEGER,"
  " cached_input_tokens INTEGER, cache_write_tokens INTEGER, reasoning_tokens INTEGER,"
  " cost_usd REAL, latency_us INTEGER, ttft_us INTEGER, created INTEGER NOT NULL);"
  "CREATE INDEX messages_conversation_position ON messages (conversation_id, position);"
  "CREATE TABLE usage (id INTEGER PRIMARY KEY, time INTEGER NOT NULL,"
  " provider TEXT NOT NULL, model TEXT NOT NULL,"
  " conversation_id INTEGER REFERENCES conversations (id) ON DELETE SET NULL,"
  " input_tokens INTEGER NOT NULL DEFAULT 0, output_tokens INTEGER NOT NULL DEFAULT 0,"
  " cached_input_tokens INTEGER NOT NULL DEFAULT 0, cache_write_tokens INTEGER NOT NULL DEFAULT 0,"
  " reasoning_tokens INTEGER NOT NULL DEFAULT 0, cost_usd REAL,"
  " price_known INTEGER NOT NULL DEFAULT 0, latency_us INTEGER NOT NULL DEFAULT 0,"
  " ttft_us INTEGER, status TEXT NOT NULL DEFAULT 'ok', http_status INTEGER,"
  " is_retry INTEGER NOT NULL DEFAULT 0, is_fallback INTEGER NOT NULL DEFAULT 0,"
  " attempt INTEGER NOT NULL DEFAULT 1);"
  "CREATE INDEX usage_time ON usage (time, provider, cost_usd);"
  "CREATE INDEX usage_provider_model ON usage (provider, model);"
  "CREATE INDEX usage_conversation ON usage (conversation_id) WHERE conversation_id IS NOT NULL;"
  "CREATE TABLE price_overrides (provider TEXT NOT NULL, model TEXT NOT NULL,"
  " input REAL, cached_input REAL, cache_write REAL, output REAL, tiers TEXT,"
  " updated INTEGER NOT NULL, PRIMARY KEY (provider, model));"
  "CREATE TABLE key_events (id INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER NOT NULL,"
  " provider TEXT NOT NULL, account TEXT,"
  " event TEXT NOT NULL CHECK (event IN ('added', 'replaced', 'tested', 'deleted')),"
  " result TEXT, detail TEXT);"
  "CREATE INDEX key_events_provider_time ON key_events (provider, time);"
  "CREATE TABLE provider_settings (provider TEXT NOT NULL, key TEXT NOT NULL,"
  " value TEXT, PRIMARY KEY (provider, key));"
  "CREATE TABLE custom_providers (id TEXT PRIMARY KEY, name TEXT NOT NULL,"
  " base_url TEXT NOT NULL, dialect TEXT NOT NULL DEFAULT 'openai',"
  " needs_key INTEGER NOT NULL DEFAULT 1, created INTEGER NOT NULL);"
  "CREATE TABLE budgets (scope TEXT PRIMARY KEY, monthly_usd REAL NOT NULL,"
  " hard_stop INTEGER NOT NULL DEFAULT 0, last_alert_percent INTEGER NOT NULL DEFAULT 0,"
  " alert_month TEXT);"
  "PRAGMA user_version = 1;";

static const char * const all_tables[] = {
  "usage", "price_overrides", "key_events", "provider_settings",
  "custom_providers", "budgets", "conversations", "messages",
};

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("byok-test-db-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "nested", "folder", "byok.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  byok_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

/* A raw connection, as if another program (or an older Byok) wrote the file. */
static sqlite3 *
raw_open (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  sqlite3 *db = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  return db;
}

static void
raw_exec (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static char *
query_text (sqlite3    *db,
            const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

/* Columns (name, type, not null, default, pk) of every table, and every
 * index, as one comparable text. */
static char *
describe_schema (sqlite3 *db)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(sqlite3_stmt) tables = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT type, name, tbl_name FROM sqlite_master "
                                       "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
                                       -1, &tables, NULL), ==, SQLITE_OK);
  while (sqlite3_step (tables) == SQLITE_ROW)
    {
      const char *type = (const char *) sqlite3_column_text (tables, 0);
      const char *name = (const char *) sqlite3_column_text (tables, 1);
      g_autofree char *sql = NULL;
      g_autoptr(sqlite3_stmt) info = NULL;

      g_string_append_printf (out, "%s %s on %s\n", type, name,
                              (const char *) sqlite3_column_text (tables, 2));
      if (g_str_equal (type, "table"))
        sql = g_strdup_printf ("SELECT name, type, \"notnull\", dflt_value, pk "
                               "FROM pragma_table_info ('%s')", name);
      else
        sql = g_strdup_printf ("SELECT name, '', 0, '', seqno FROM pragma_index_info ('%s')", name);
      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &info, NULL), ==, SQLITE_OK);
      while (sqlite3_step (info) == SQLITE_ROW)
        g_string_append_printf (out, "  %s %s %d %s %d\n",
                                (const char *) sqlite3_column_text (info, 0),
                                (const char *) sqlite3_column_text (info, 1),
                                sqlite3_column_int (info, 2),
                                sqlite3_column_text (info, 3) != NULL
                                ? (const char *) sqlite3_column_text (info, 3) : "NULL",
                                sqlite3_column_int (info, 4));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
has_table (sqlite3    *db,
           const char *name)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static void
test_database_fresh (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokDatabase) database = NULL;
  g_autofree char *mode = NULL;
  sqlite3 *db;

  database = byok_database_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (database);
  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (byok_database_get_path (database), ==, fixture->path);

  db = byok_database_get_handle (database);
  g_assert_cmpint (byok_database_get_version (database), ==, BYOK_DATABASE_SCHEMA_VERSION);
  g_assert_cmpint (query_int (db, "PRAGMA user_version"), ==, BYOK_DATABASE_SCHEMA_VERSION);

  mode = query_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (query_int (db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (query_int (db, "PRAGMA synchronous"), ==, 1);  /* NORMAL */
  g_assert_cmpint (query_int (db, "PRAGMA busy_timeout"), >, 0);

  for (guint i = 0; i < G_N_ELEMENTS (all_tables); i++)
    g_assert_true (has_table (db, all_tables[i]));
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM pragma_table_info ('usage') "
                                  "WHERE name = 'cache_savings_usd'"), ==, 1);

  /* Opening again changes nothing. */
  g_clear_object (&database);
  database = byok_database_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (byok_database_get_version (database), ==, BYOK_DATABASE_SCHEMA_VERSION);
}

static void
test_database_default_path (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokDatabase) database = NULL;
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "byok", "byok.db", NULL);
  g_autofree char *path = byok_database_get_default_path ();

  g_assert_cmpstr (path, ==, expected);

  /* Only in the throwaway data dir of build-aux/test-session. */
  if (g_getenv ("BYOK_TEST_SESSION_INNER") == NULL)
    {
      g_test_skip ("not inside build-aux/test-session");
      return;
    }
  database = byok_database_open (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (byok_database_get_path (database), ==, expected);
  g_assert_true (g_file_test (expected, G_FILE_TEST_IS_REGULAR));
}

static void
test_database_upgrade_from_v1 (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokDatabase) database = NULL;
  g_autoptr(ByokDatabase) fresh = NULL;
  g_autofree char *fresh_path = g_build_filename (fixture->dir, "fresh.db", NULL);
  g_autofree char *upgraded_schema = NULL;
  g_autofree char *fresh_schema = NULL;
  g_autofree char *model = NULL;
  sqlite3 *raw = raw_open (fixture->path);
  sqlite3 *db;

  raw_exec (raw, v1_schema);
  raw_exec (raw,
            "INSERT INTO conversations (id, title, created, updated) VALUES (7, 'old', 1, 2);"
            "INSERT INTO messages (conversation_id, position, role, content, created)"
            "  VALUES (7, 0, 'user', 'hello', 1);"
            "INSERT INTO usage (time, provider, model, conversation_id, input_tokens,"
            "  output_tokens, cost_usd, price_known, latency_us, status)"
            "  VALUES (1700000000000000, 'openai', 'gpt-4o-mini', 7, 100, 20, 0.25, 1, 800000, 'ok'),"
            /* Statuses as they were written before schema 9. */
            "  (1700000001000000, 'openai', 'gpt-4o-mini', 7, 0, 0, NULL, 0, 1000, 'RATE_LIMIT'),"
            "  (1700000002000000, 'openai', 'gpt-4o-mini', 7, 100, 3, 0.01, 1, 2000, 'CANCELLED');"
            /* Details as they were written before schema 6: part of a key
             * shaped like one, all of a key shaped like none. */
            "INSERT INTO key_events (time, provider, account, event, result, detail)"
            "  VALUES (1, 'openai', 'default', 'tested', 'AUTH',"
            "  'OpenAI rejected the key (401). OpenAI said: “Incorrect API key provided: sk-t…CDEF.”'),"
            "  (2, 'azure', 'default', 'tested', 'AUTH', 'Azure said: “Access denied: my-test-fake-key-0042”'),"
            "  (3, 'openai', 'default', 'added', NULL, NULL);");
  g_assert_cmpint (query_int (raw, "PRAGMA user_version"), ==, 1);
  sqlite3_close (raw);

  database = byok_database_open (fixture->path, &error);
  g_assert_no_error (error);
  db = byok_database_get_handle (database);
  g_assert_cmpint (byok_database_get_version (database), ==, BYOK_DATABASE_SCHEMA_VERSION);
  g_assert_cmpint (query_int (db, "PRAGMA user_version"), ==, BYOK_DATABASE_SCHEMA_VERSION);

  /* Old rows kept; the new column is there, 0 for them. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM usage"), ==, 3);
  g_assert_cmpint (query_int (db, "SELECT input_tokens FROM usage WHERE status = 'ok'"), ==, 100);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM usage WHERE cache_savings_usd = 0"), ==, 3);
  /* Statuses in one lower-case form; a stopped call is no error. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM usage WHERE status <> lower (status)"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM usage WHERE status = 'rate_limit'"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM usage WHERE status = 'cancelled'"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT sum (errors) FROM usage_daily"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT sum (cancelled) FROM usage_daily"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT sum (calls) FROM usage_daily"), ==, 3);
  /* Answers whose tokens Byok estimated (schema 11) are counted apart. */
  g_assert_cmpint (query_int (db, "SELECT sum (estimated) FROM usage_daily"), ==, 0);
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO usage (time, provider, model, input_tokens, output_tokens,"
                                 "  cost_usd, price_known, latency_us, status, estimated)"
                                 "  VALUES (1700000003000000, 'openai', 'gpt-4o-mini', 9, 12, 0.001, 1, 900, 'ok', 1),"
                                 "  (1700000004000000, 'openai', 'gpt-4o-mini', 9, 12, 0.001, 1, 900, 'interrupted', 1);",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (query_int (db, "SELECT sum (estimated) FROM usage_daily"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT sum (interrupted) FROM usage_daily"), ==, 1);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM usage WHERE time >= 1700000003000000;", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  model = query_text (db, "SELECT DISTINCT model FROM usage");
  g_assert_cmpstr (model, ==, "gpt-4o-mini");
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM messages WHERE conversation_id = 7"), ==, 1);

  /* Key events stay, with no detail: nothing of a key is left. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM key_events"), ==, 3);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM key_events WHERE result = 'auth'"), ==, 2);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM key_events WHERE detail IS NOT NULL"), ==, 0);

  /* Same schema as a database created by this version. */
  fresh = byok_database_open (fresh_path, &error);
  g_assert_no_error (error);
  upgraded_schema = describe_schema (db);
  fresh_schema = describe_schema (byok_database_get_handle (fresh));
  g_assert_cmpstr (upgraded_schema, ==, fresh_schema);
}

/* A new database is created at the current schema in one script, an old
 * one is brought to it step by step (byok-database-migrations.c): the two
 * must give the same tables, columns in the same order, constraints,
 * indexes and triggers. A new step that changes only one of them fails
 * here. */
static void
test_database_fresh_equals_migrated (Fixture       *fixture,
                                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokDatabase) migrated = NULL;
  g_autoptr(ByokDatabase) fresh = NULL;
  g_autofree char *fresh_path = g_build_filename (fixture->dir, "fresh.db", NULL);
  g_autofree char *migrated_master = NULL;
  g_autofree char *fresh_master = NULL;
  g_autofree char *migrated_schema = NULL;
  g_autofree char *fresh_schema = NULL;
  sqlite3 *raw = raw_open (fixture->path);

  raw_exec (raw, v1_schema);
  sqlite3_close (raw);
  migrated = byok_database_open (fixture->path, &error);
  g_assert_no_error (error);
  fresh = byok_database_open (fresh_path, &error);
  g_assert_no_error (error);

  migrated_master = byok_test_describe_master (byok_database_get_handle (migrated));
  fresh_master = byok_test_describe_master (byok_database_get_handle (fresh));
  g_assert_cmpstr (fresh_master, ==, migrated_master);
  /* And what SQLite makes of it, column by column. */
  migrated_schema = describe_schema (byok_database_get_handle (migrated));
  fresh_schema = describe_schema (byok_database_get_handle (fresh));
  g_assert_cmpstr (fresh_schema, ==, migrated_schema);

  /* The new one is not empty nor behind: every table, the version. */
  for (guint i = 0; i < G_N_ELEMENTS (all_tables); i++)
    g_assert_true (has_table (byok_database_get_handle (fresh), all_tables[i]));
  g_assert_nonnull (strstr (fresh_master, "trigger usage_daily_finish on usage"));
  g_assert_cmpint (query_int (byok_database_get_handle (fresh), "PRAGMA user_version"),
                   ==, BYOK_DATABASE_SCHEMA_VERSION);
}

static void
test_database_failed_migration (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokDatabase) database = NULL;
  sqlite3 *raw = raw_open (fixture->path);

  /* A v1 file that migration 3 cannot apply to: a message whose
   * conversation is gone (written with foreign keys off) cannot be copied
   * into the rebuilt table. */
  raw_exec (raw, v1_schema);
  raw_exec (raw, "INSERT INTO usage (time, provider, model) VALUES (1, 'a', 'b');"
                 "INSERT INTO messages (conversation_id, position, role, created) VALUES (99, 0, 'user', 1);");
  sqlite3_close (raw);

  database = byok_database_open (fixture->path, &error);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE);
  g_assert_null (database);
  g_assert_nonnull (strstr (error->message, "FOREIGN KEY"));
  g_test_message ("%s", error->message);

  /* All of it rolled back, migration 2 too: still version 1, data intact. */
  raw = raw_open (fixture->path);
  g_assert_cmpint (query_int (raw, "PRAGMA user_version"), ==, 1);
  g_assert_cmpint (query_int (raw, "SELECT count(*) FROM usage"), ==, 1);
  g_assert_cmpint (query_int (raw, "SELECT count(*) FROM pragma_table_info ('usage') "
                                   "WHERE name = 'cache_savings_usd'"), ==, 0);
  sqlite3_close (raw);
}

static void
test_database_too_new (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokDatabase) database = NULL;
  g_autofree char *version = g_strdup_printf ("schema %d", BYOK_DATABASE_SCHEMA_VERSION + 1);
  g_autofree char *sql = g_strdup_printf ("CREATE TABLE usage (id INTEGER PRIMARY KEY, future_column TEXT);"
                                          "PRAGMA user_version = %d;", BYOK_DATABASE_SCHEMA_VERSION + 1);
  sqlite3 *raw = raw_open (fixture->path);

  raw_exec (raw, sql);
  sqlite3_close (raw);

  database = byok_database_open (fixture->path, &error);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE);
  g_assert_null (database);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "newer version of Byok"));
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_nonnull (strstr (error->message, version));

  /* Untouched. */
  raw = raw_open (fixture->path);
  g_assert_cmpint (query_int (raw, "PRAGMA user_version"), ==, BYOK_DATABASE_SCHEMA_VERSION + 1);
  g_assert_cmpint (query_int (raw, "SELECT count(*) FROM sqlite_master WHERE name = 'budgets'"), ==, 0);
  sqlite3_close (raw);
}

static void
test_database_not_a_database (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokDatabase) database = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autofree char *blocker = g_build_filename (fixture->dir, "file", NULL);
  g_autofree char *under_file = g_build_filename (blocker, "byok.db", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (fixture->path,
                                      "This is not an SQLite database, it is a text file "
                                      "that happens to sit where the database should be.\n",
                                      -1, NULL));
  database = byok_database_open (fixture->path, &error);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "damaged"));
  g_clear_error (&error);

  /* The folder cannot be created: a file is in the way. */
  g_assert_true (g_file_set_contents (blocker, "x", -1, NULL));
  database = byok_database_open (under_file, &error);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, blocker));
}

static void
test_database_foreign_keys (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokDatabase) database = byok_database_open (fixture->path, &error);
  sqlite3 *db;

  g_assert_no_error (error);
  db = byok_database_get_handle (database);

  g_assert_true (byok_database_exec (database,
                                     "INSERT INTO conversations (id, title, created, updated) VALUES (1, 'a', 1, 1);"
                                     "INSERT INTO conversations (id, title, created, updated) VALUES (2, 'b', 1, 1);"
                                     "INSERT INTO messages (conversation_id, position, role, created) VALUES (1, 0, 'user', 1);"
                                     "INSERT INTO messages (conversation_id, position, role, created) VALUES (1, 1, 'assistant', 1);"
                                     "INSERT INTO messages (conversation_id, position, role, created) VALUES (2, 0, 'user', 1);"
                                     "INSERT INTO usage (time, provider, model, conversation_id) VALUES (1, 'openai', 'm', 1);",
                                     &error));
  g_assert_no_error (error);

  g_assert_true (byok_database_exec (database, "DELETE FROM conversations WHERE id = 1", &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM messages"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM messages WHERE conversation_id = 1"), ==, 0);
  /* The spending stays; only the link goes. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM usage WHERE conversation_id IS NULL"), ==, 1);

  /* A message for a missing conversation is refused. */
  g_assert_false (byok_database_exec (database,
                                      "INSERT INTO messages (conversation_id, position, role, created) "
                                      "VALUES (99, 0, 'user', 1)", &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, "FOREIGN KEY"));
}

static void
test_database_helpers (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokDatabase) database = byok_database_open (fixture->path, &error);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3) second = NULL;
  sqlite3_stmt *cached, *again;
  sqlite3 *db;

  g_assert_no_error (error);
  db = byok_database_get_handle (database);

  /* Rolled back: nothing. */
  g_assert_true (byok_database_begin (database, &error));
  g_assert_true (byok_database_exec (database,
                                     "INSERT INTO provider_settings VALUES ('openai', 'k', 'v')", &error));
  byok_database_rollback (database);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM provider_settings"), ==, 0);
  byok_database_rollback (database);  /* harmless outside a transaction */

  /* Committed: there. */
  g_assert_true (byok_database_begin (database, &error));
  g_assert_true (byok_database_exec (database,
                                     "INSERT INTO provider_settings VALUES ('openai', 'k', 'v')", &error));
  g_assert_true (byok_database_commit (database, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM provider_settings"), ==, 1);

  stmt = byok_database_prepare (database, "SELECT value FROM provider_settings WHERE key = ?1", &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, "k", -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "v");

  cached = byok_database_prepare_cached (database, "SELECT count(*) FROM provider_settings WHERE key = ?1", &error);
  g_assert_no_error (error);
  sqlite3_bind_text (cached, 1, "k", -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (cached), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (cached, 0), ==, 1);
  /* Same statement, reset, bindings cleared. */
  again = byok_database_prepare_cached (database, "SELECT count(*) FROM provider_settings WHERE key = ?1", &error);
  g_assert_true (again == cached);
  g_assert_cmpint (sqlite3_step (again), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (again, 0), ==, 0);

  /* Errors are STORAGE with SQLite's words. */
  g_assert_null (byok_database_prepare (database, "SELECT nope FROM nowhere", &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, "no such table: nowhere"));
  g_clear_error (&error);
  g_assert_false (byok_database_exec (database, "INSERT INTO key_events (time, provider, event) "
                                                "VALUES (1, 'x', 'stolen')", &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE);
  g_clear_error (&error);

  /* A second connection sees committed data and, read-only, cannot write. */
  second = byok_database_open_connection (database, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (second, "SELECT count(*) FROM provider_settings"), ==, 1);
  g_assert_cmpint (query_int (second, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (sqlite3_exec (second, "DELETE FROM provider_settings", NULL, NULL, NULL), !=, SQLITE_OK);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM provider_settings"), ==, 1);
}

/* Starts @n byok-test-open-db processes on @path, releases them at once
 * and returns how many failed (their errors are logged). */
static guint
race_open (const char *path,
           guint       n)
{
  const char *helper = g_getenv ("BYOK_TEST_OPEN_DB");
  g_autoptr(GPtrArray) procs = g_ptr_array_new_with_free_func (g_object_unref);
  guint failed = 0;

  g_assert_nonnull (helper);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      GSubprocess *proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                            G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                            G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                            &error, helper, path, NULL);

      g_assert_no_error (error);
      g_ptr_array_add (procs, proc);
    }
  /* Every process is up and waiting on stdin: go. */
  for (guint i = 0; i < n; i++)
    g_output_stream_close (g_subprocess_get_stdin_pipe (g_ptr_array_index (procs, i)), NULL, NULL);

  for (guint i = 0; i < n; i++)
    {
      GSubprocess *proc = g_ptr_array_index (procs, i);
      g_autoptr(GError) error = NULL;
      char out[64] = { 0, }, err[4096] = { 0, };

      /* A few lines each: they fit the pipes, so waiting first is safe. */
      g_subprocess_wait (proc, NULL, &error);
      g_assert_no_error (error);
      g_input_stream_read_all (g_subprocess_get_stdout_pipe (proc), out, sizeof out - 1, NULL, NULL, NULL);
      g_input_stream_read_all (g_subprocess_get_stderr_pipe (proc), err, sizeof err - 1, NULL, NULL, NULL);
      if (!g_subprocess_get_if_exited (proc) || g_subprocess_get_exit_status (proc) != 0)
        {
          g_test_message ("process %u failed: %s", i, err);
          failed++;
        }
      else
        g_assert_cmpint (atoi (out), ==, BYOK_DATABASE_SCHEMA_VERSION);
    }
  return failed;
}

static void
assert_consistent (const char *path,
                   const char *fresh_schema,
                   gint64      usage_rows)
{
  sqlite3 *raw = raw_open (path);
  g_autofree char *check = query_text (raw, "PRAGMA integrity_check");
  g_autofree char *schema = describe_schema (raw);

  g_assert_cmpstr (check, ==, "ok");
  g_assert_cmpint (query_int (raw, "PRAGMA user_version"), ==, BYOK_DATABASE_SCHEMA_VERSION);
  g_assert_cmpstr (schema, ==, fresh_schema);
  g_assert_cmpint (query_int (raw, "SELECT count(*) FROM usage"), ==, usage_rows);
  g_assert_cmpint (query_int (raw, "SELECT count(*) FROM messages"), ==, usage_rows);
  /* The rollup counted each old call once. */
  g_assert_cmpint (query_int (raw, "SELECT coalesce (sum (calls), 0) FROM usage_daily"), ==, usage_rows);
  sqlite3_close (raw);
}

/* Eight processes (the app, byok-cli, …) opening a new database, and an
 * old one, at the same moment, twenty times: every one opens it, and the
 * database comes out whole at the current schema. Before migrations ran in
 * one transaction that read the version inside it, a step could run twice:
 * "table usage_daily already exists", or user_version set back. */
static void
test_database_concurrent_upgrade (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  g_autofree char *fresh_path = g_build_filename (fixture->dir, "reference.db", NULL);
  g_autofree char *fresh_schema = NULL;
  guint failed = 0;

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ByokDatabase) fresh = byok_database_open (fresh_path, &error);

    g_assert_no_error (error);
    fresh_schema = describe_schema (byok_database_get_handle (fresh));
  }

  for (guint round = 0; round < 20; round++)
    {
      g_autofree char *new_path = g_strdup_printf ("%s/new-%u/byok.db", fixture->dir, round);
      g_autofree char *old_path = g_strdup_printf ("%s/old-%u/byok.db", fixture->dir, round);
      sqlite3 *raw;

      failed += race_open (new_path, 8);
      assert_consistent (new_path, fresh_schema, 0);

      raw = raw_open (old_path);
      raw_exec (raw, v1_schema);
      raw_exec (raw,
                "PRAGMA journal_mode = WAL;"
                "INSERT INTO conversations (id, title, created, updated) VALUES (7, 'old', 1, 2);"
                "INSERT INTO messages (conversation_id, position, role, content, created)"
                "  VALUES (7, 0, 'user', 'hello', 1);"
                "INSERT INTO usage (time, provider, model, conversation_id, input_tokens,"
                "  output_tokens, cost_usd, price_known, latency_us, status)"
                "  VALUES (1700000000000000, 'openai', 'gpt-4o-mini', 7, 100, 20, 0.25, 1, 800000, 'ok');");
      sqlite3_close (raw);
      failed += race_open (old_path, 8);
      assert_consistent (old_path, fresh_schema, 1);
    }
  g_assert_cmpuint (failed, ==, 0);
}

/* A database an older Byok left with user_version behind its schema (a
 * step that ran twice set it back): it opens, and comes out whole. */
static void
test_database_version_behind_schema (Fixture       *fixture,
                                     gconstpointer  user_data)
{
  g_autofree char *fresh_path = g_build_filename (fixture->dir, "reference.db", NULL);
  g_autofree char *fresh_schema = NULL;

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ByokDatabase) fresh = byok_database_open (fresh_path, &error);

    g_assert_no_error (error);
    fresh_schema = describe_schema (byok_database_get_handle (fresh));
  }

  for (int behind = 0; behind < BYOK_DATABASE_SCHEMA_VERSION; behind++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ByokDatabase) database = NULL;
      g_autofree char *path = g_strdup_printf ("%s/behind-%d/byok.db", fixture->dir, behind);
      g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d;", behind);
      sqlite3 *raw;

      database = byok_database_open (path, &error);
      g_assert_no_error (error);
      g_assert_true (byok_database_exec (database,
                                         "INSERT INTO conversations (id, title, created, updated) VALUES (7, 'old', 1, 2);"
                                         "INSERT INTO messages (conversation_id, position, role, content, created, attachments)"
                                         "  VALUES (7, 0, 'user', 'hello', 1, '[]');"
                                         "INSERT INTO usage (time, provider, model, conversation_id, input_tokens)"
                                         "  VALUES (1700000000000000, 'openai', 'gpt-4o-mini', 7, 100);",
                                         &error));
      g_assert_no_error (error);
      g_clear_object (&database);

      raw = raw_open (path);
      raw_exec (raw, sql);
      sqlite3_close (raw);

      database = byok_database_open (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (byok_database_get_version (database), ==, BYOK_DATABASE_SCHEMA_VERSION);
      g_clear_object (&database);
      assert_consistent (path, fresh_schema, 1);

      raw = raw_open (path);
      /* Nothing was copied or filled twice. */
      g_assert_cmpint (query_int (raw, "SELECT count(*) FROM messages WHERE attachments = '[]'"), ==, 1);
      g_assert_cmpint (query_int (raw, "SELECT sum (input_tokens) FROM usage_daily"), ==, 100);
      sqlite3_close (raw);
    }
}

static mode_t
mode_of (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

/* The database and the files SQLite keeps beside it are the owner's
 * alone, whatever the umask and the folder's mode; an older database
 * readable by others is made so too. */
static void
test_database_file_modes (Fixture       *fixture,
                          gconstpointer  user_data)
{
  const mode_t umasks[] = { 022, 000 };

  for (guint i = 0; i < G_N_ELEMENTS (umasks); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ByokDatabase) database = NULL;
      g_autofree char *dir = g_strdup_printf ("%s/open-%u", fixture->dir, i);
      g_autofree char *new_dir = g_strdup_printf ("%s/created-%u/byok", fixture->dir, i);
      g_autofree char *path = g_build_filename (dir, "byok.db", NULL);
      g_autofree char *new_path = g_build_filename (new_dir, "byok.db", NULL);
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);
      mode_t saved = umask (umasks[i]);

      g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
      g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
      database = byok_database_open (path, &error);
      g_assert_no_error (error);
      g_assert_true (byok_database_exec (database, "INSERT INTO provider_settings VALUES ('a', 'b', 'c')", &error));
      g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
      g_assert_true (g_file_test (shm, G_FILE_TEST_EXISTS));
      g_assert_cmpint (mode_of (path), ==, 0600);
      g_assert_cmpint (mode_of (wal), ==, 0600);
      g_assert_cmpint (mode_of (shm), ==, 0600);
      /* A folder the user chose is theirs to set. */
      g_assert_cmpint (mode_of (dir), ==, 0755);
      g_clear_object (&database);

      /* Left readable by others (by an older Byok): made private. */
      g_assert_cmpint (g_chmod (path, 0644), ==, 0);
      database = byok_database_open (path, &error);
      g_assert_no_error (error);
      g_assert_true (byok_database_exec (database, "INSERT INTO provider_settings VALUES ('a', 'c', 'd')", &error));
      g_assert_cmpint (mode_of (path), ==, 0600);
      g_assert_cmpint (mode_of (wal), ==, 0600);
      g_assert_cmpint (mode_of (shm), ==, 0600);
      g_clear_object (&database);

      /* A folder Byok creates is 0700. */
      database = byok_database_open (new_path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (mode_of (new_dir), ==, 0700);
      g_assert_cmpint (mode_of (new_path), ==, 0600);
      g_clear_object (&database);
      umask (saved);
    }
}

/* The default data folder is made 0700 even when it existed (0755 from
 * an older Byok, or made by hand). */
static void
test_database_default_folder_mode (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokDatabase) database = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "byok", NULL);
  g_autofree char *path = byok_database_get_default_path ();
  mode_t saved;

  if (g_getenv ("BYOK_TEST_SESSION_INNER") == NULL)
    {
      g_test_skip ("not inside build-aux/test-session");
      return;
    }
  saved = umask (000);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  database = byok_database_open (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mode_of (dir), ==, 0700);
  g_assert_cmpint (mode_of (path), ==, 0600);
  umask (saved);
}

/* An export replaces its file only once it is complete: a write that
 * fails half-way leaves the old file as it was, and one that ends makes
 * the new file the owner's alone. */
static gboolean
write_then_fail (GOutputStream  *stream,
                 gpointer        user_data,
                 GCancellable   *cancellable,
                 GError        **error)
{
  g_autoptr(GString) buffer = g_string_new ("half of the new export");

  if (!byok_file_write_buffer (stream, buffer, cancellable, error))
    return FALSE;
  g_assert_cmpuint (buffer->len, ==, 0);
  g_set_error_literal (error, BYOK_ERROR, BYOK_ERROR_STORAGE, "the disk is full (a test)");
  return FALSE;
}

static gboolean
write_all (GOutputStream  *stream,
           gpointer        user_data,
           GCancellable   *cancellable,
           GError        **error)
{
  g_autoptr(GString) buffer = g_string_new (user_data);

  return byok_file_write_buffer (stream, buffer, cancellable, error);
}

static void
test_database_export_file (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "export.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  g_assert_true (g_file_set_contents (path, "the old export", -1, NULL));
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);

  g_assert_false (byok_file_write_private (file, write_then_fail, NULL, NULL, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "the old export");
  g_clear_pointer (&contents, g_free);

  g_assert_true (byok_file_write_private (file, write_all, (gpointer) "the new export", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "the new export");
  g_assert_cmpint (mode_of (path), ==, 0600);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ((path), Fixture, NULL, fixture_set_up, (func), fixture_tear_down)

  ADD ("/database/fresh", test_database_fresh);
  g_test_add_func ("/database/default-path", test_database_default_path);
  ADD ("/database/upgrade-from-v1", test_database_upgrade_from_v1);
  ADD ("/database/fresh-equals-migrated", test_database_fresh_equals_migrated);
  ADD ("/database/failed-migration", test_database_failed_migration);
  ADD ("/database/too-new", test_database_too_new);
  ADD ("/database/not-a-database", test_database_not_a_database);
  ADD ("/database/foreign-keys", test_database_foreign_keys);
  ADD ("/database/helpers", test_database_helpers);
  ADD ("/database/concurrent-upgrade", test_database_concurrent_upgrade);
  ADD ("/database/file-modes", test_database_file_modes);
  ADD ("/database/export-file", test_database_export_file);
  g_test_add_func ("/database/default-folder-mode", test_database_default_folder_mode);
  ADD ("/database/version-behind-schema", test_database_version_behind_schema);

#undef ADD
  return g_test_run ();
}
