/* byok-database.h — the one SQLite database of Byok
 *
 * `$XDG_DATA_HOME/byok/byok.db` holds usage records, conversations, key
 * events, budgets, price overrides and custom providers. ByokDatabase opens
 * it (creating the folder), switches it to WAL with synchronous=NORMAL,
 * turns foreign keys on, sets a busy timeout and brings the schema up to
 * date through numbered migrations kept in `PRAGMA user_version`.
 *
 * Threads: a ByokDatabase and its handle belong to the thread that opened
 * it (the main thread in the app). Work in another thread opens its own
 * connection with byok_database_open_connection(): WAL lets readers run
 * while the main connection writes.
 *
 * Durability: a committed transaction survives a crash of the process
 * (SIGKILL included). With synchronous=NORMAL a power cut may lose the last
 * few commits, never the integrity of the file. The main connection's WAL
 * is checkpointed (every 1,000 pages, like SQLite's auto-checkpoint) in a
 * worker thread on a connection of its own, so no commit waits for it.
 *
 * Files: the database, its WAL and shared-memory files are 0600 whatever
 * the umask (byok-file.h), and the default data folder is 0700.
 *
 * Upgrades: all the migrations a file needs run in one write transaction
 * that reads user_version again under the lock, so any number of
 * processes may open an old or new file at once; each step is safe to
 * run again, which also repairs a file an older Byok left with a
 * user_version behind its schema.
 *
 * Every error is BYOK_ERROR_STORAGE, with SQLite's message and what to do.
 */
#pragma once

#include <glib-object.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* The schema version this build writes: the number of migrations. */
#define BYOK_DATABASE_SCHEMA_VERSION 14

#define BYOK_TYPE_DATABASE (byok_database_get_type ())
G_DECLARE_FINAL_TYPE (ByokDatabase, byok_database, BYOK, DATABASE, GObject)

char          *byok_database_get_default_path (void);

ByokDatabase  *byok_database_open             (const char    *path,
                                               GError       **error);

const char    *byok_database_get_path         (ByokDatabase  *self);
char          *byok_database_dup_lock_dir     (ByokDatabase  *self);
sqlite3       *byok_database_get_handle       (ByokDatabase  *self);
int            byok_database_get_version      (ByokDatabase  *self);

sqlite3       *byok_database_open_connection  (ByokDatabase  *self,
                                               gboolean       read_only,
                                               GError       **error);
sqlite3       *byok_database_connect          (const char    *path,
                                               gboolean       read_only,
                                               GError       **error);

gboolean       byok_database_exec             (ByokDatabase  *self,
                                               const char    *sql,
                                               GError       **error);
sqlite3_stmt  *byok_database_prepare          (ByokDatabase  *self,
                                               const char    *sql,
                                               GError       **error);
sqlite3_stmt  *byok_database_prepare_cached   (ByokDatabase  *self,
                                               const char    *sql,
                                               GError       **error);

gboolean       byok_database_begin            (ByokDatabase  *self,
                                               GError       **error);
gboolean       byok_database_commit           (ByokDatabase  *self,
                                               GError       **error);
void           byok_database_rollback         (ByokDatabase  *self);

void           byok_database_set_error        (GError       **error,
                                               sqlite3       *db,
                                               int            rc,
                                               const char    *what);

/* Small helpers for the stores' statements. */
void           byok_database_bind_text_or_null (sqlite3_stmt *stmt,
                                                int           index,
                                                const char   *text);
void           byok_database_bind_double_or_null (sqlite3_stmt *stmt,
                                                  int           index,
                                                  double        value);
char          *byok_database_column_strdup    (sqlite3_stmt  *stmt,
                                               int            col);
double         byok_database_column_double_or_nan (sqlite3_stmt *stmt,
                                                   int           col);
gboolean       byok_database_step_done        (sqlite3_stmt  *stmt,
                                               sqlite3       *db,
                                               const char    *what,
                                               GError       **error);
gboolean       byok_database_step_row         (sqlite3_stmt  *stmt,
                                               sqlite3       *db,
                                               const char    *what,
                                               GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close_v2)

G_END_DECLS
