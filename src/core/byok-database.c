/* byok-database.c — the one SQLite database of Byok */
#define G_LOG_DOMAIN "byok-database"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "byok-database-private.h"
#include "byok-error.h"
#include "byok-usage-rollup.h"

#define BUSY_TIMEOUT_MS 5000
/* An upgrade another process is running may take a while. */
#define MIGRATION_BUSY_TIMEOUT_MS 120000

/* SQLite's own auto-checkpoint threshold, in WAL pages. */
#define CHECKPOINT_PAGES 1000

struct _ByokDatabase
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  int         version;
  GHashTable *cached;   /* SQL text → sqlite3_stmt */

  /* Checkpoints of the main connection's WAL run in this thread, so a
   * commit never waits for the copy into the database and its fsync. */
  GThread    *checkpoint_thread;
  gint        checkpointing;      /* atomic: the thread is at work */
  int         checkpoint_at;      /* WAL pages that start the next one */
};

G_DEFINE_FINAL_TYPE (ByokDatabase, byok_database, G_TYPE_OBJECT)

/**
 * byok_database_set_error:
 * @error: (nullable): where to put the error
 * @db: (nullable): the connection, for its message
 * @rc: the SQLite result code
 * @what: a translated sentence fragment saying what failed
 *   ("Could not record the call")
 *
 * Sets a BYOK_ERROR_STORAGE error: what failed, SQLite's message, and what
 * the user can do about it.
 */
void
byok_database_set_error (GError     **error,
                         sqlite3     *db,
                         int          rc,
                         const char  *what)
{
  const char *detail;
  const char *advice;

  if (db != NULL && sqlite3_errcode (db) == rc)
    detail = sqlite3_errmsg (db);
  else
    detail = sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      advice = _("Free some disk space and try again.");
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
    case SQLITE_AUTH:
      advice = _("Check that the data folder exists and that you can write to it.");
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      advice = _("The database file is damaged: restore it from a backup, or move it away and Byok will start a new one.");
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      advice = _("Another program is holding the database; close it and try again.");
      break;
    case SQLITE_IOERR:
      advice = _("The disk reported an error; check it and try again.");
      break;
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
      advice = _("This is a bug in Byok; please report it.");
      break;
    default:
      advice = _("Try again; if it keeps failing, check the disk and report the problem.");
      break;
    }

  g_set_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE,
               /* Translators: "<what failed>: <SQLite message>. <advice>" */
               _("%s: %s. %s"), what, detail, advice);
}

char *
byok_database_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "byok", "byok.db", NULL);
}

gboolean
_byok_database_exec_sql (sqlite3     *db,
          const char  *sql,
          const char  *what,
          GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      byok_database_set_error (error, db, rc, what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
query_int (sqlite3     *db,
           const char  *sql,
           int         *value,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      byok_database_set_error (error, db, rc, _("Could not read the database"));
      return FALSE;
    }
  *value = sqlite3_column_int (stmt, 0);
  return TRUE;
}

/* Settings every connection needs: the busy timeout, foreign keys on. */
static gboolean
configure_connection (sqlite3     *db,
                      gboolean     read_only,
                      GError     **error)
{
  int rc;

  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (db, 1);
  /* The usage rollup's triggers call these on every write to usage. */
  rc = byok_usage_rollup_register (db);
  if (rc != SQLITE_OK)
    {
      byok_database_set_error (error, db, rc, _("Could not configure the database"));
      return FALSE;
    }
  if (!_byok_database_exec_sql (db, "PRAGMA foreign_keys = ON;", _("Could not configure the database"), error))
    return FALSE;
  if (read_only &&
      !_byok_database_exec_sql (db, "PRAGMA query_only = ON;", _("Could not configure the database"), error))
    return FALSE;
  return TRUE;
}

static sqlite3 *
connect_with_flags (const char  *path,
                    int          flags,
                    gboolean     read_only,
                    GError     **error)
{
  g_autoptr(sqlite3) db = NULL;
  int rc;

  rc = sqlite3_open_v2 (path, &db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_autofree char *what = g_strdup_printf (_("Could not open the database %s"), path);
      byok_database_set_error (error, db, rc, what);
      return NULL;
    }
  if (!configure_connection (db, read_only, error))
    return NULL;
  return g_steal_pointer (&db);
}

/**
 * byok_database_connect:
 * @path: an existing database file
 * @read_only: refuse writes on this connection (`PRAGMA query_only`)
 *
 * Opens another connection to an existing, migrated database, configured
 * like the main one (busy timeout, foreign keys). Meant for worker threads:
 * use it in one thread only and close it with sqlite3_close_v2() (or
 * g_autoptr(sqlite3)).
 *
 * Returns: (transfer full): a connection, or %NULL with @error set
 */
sqlite3 *
byok_database_connect (const char  *path,
                       gboolean     read_only,
                       GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  /* Read-write even for readers: a WAL reader must be able to use the
   * shared-memory index; query_only keeps it from writing. */
  return connect_with_flags (path,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                             read_only, error);
}

/**
 * byok_database_open_connection:
 *
 * byok_database_connect() on the file @self has open: a second connection
 * for a worker thread. Not possible for an in-memory database.
 *
 * Returns: (transfer full): a connection, or %NULL with @error set
 */
sqlite3 *
byok_database_open_connection (ByokDatabase  *self,
                               gboolean       read_only,
                               GError       **error)
{
  g_return_val_if_fail (BYOK_IS_DATABASE (self), NULL);

  return byok_database_connect (self->path, read_only, error);
}

static gboolean
check_version (ByokDatabase  *self,
               int            version,
               GError       **error)
{
  if (version > BYOK_DATABASE_SCHEMA_VERSION)
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE,
                   _("The database %s was written by a newer version of Byok "
                     "(schema %d; this version knows up to %d). Update Byok "
                     "to use it, or move the file away to start a new one."),
                   self->path, version, BYOK_DATABASE_SCHEMA_VERSION);
      return FALSE;
    }
  if (version < 0)
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE,
                   _("The database %s has an invalid schema version (%d). "
                     "Move the file away to start a new one."),
                   self->path, version);
      return FALSE;
    }
  return TRUE;
}

/* Brings the schema up to date in one write transaction (see the comment
 * on the migrations): another process may be doing the same. */
static gboolean
migrate (ByokDatabase  *self,
         GError       **error)
{
  g_autofree char *set_version = NULL;
  g_autofree char *what = NULL;
  int version, from;

  /* The usual case, with no write lock: up to date. */
  if (!query_int (self->db, "PRAGMA user_version;", &version, error) ||
      !check_version (self, version, error))
    return FALSE;
  if (version == BYOK_DATABASE_SCHEMA_VERSION)
    {
      self->version = version;
      return TRUE;
    }

  what = g_strdup_printf (_("Could not upgrade the database to schema %d"), BYOK_DATABASE_SCHEMA_VERSION);
  /* Another process may hold the lock for the whole of a long upgrade
   * (a year of usage rolled up takes seconds): wait longer than usual. */
  sqlite3_busy_timeout (self->db, MIGRATION_BUSY_TIMEOUT_MS);
  if (!_byok_database_exec_sql (self->db, "BEGIN IMMEDIATE;", what, error))
    goto failed;

  /* Again, under the lock: another process may have upgraded it. */
  if (!query_int (self->db, "PRAGMA user_version;", &version, error) ||
      !check_version (self, version, error))
    goto rollback;

  /* A new file, empty: the current schema in one script. A file at 0
   * that has tables (an older Byok set its version back) takes the steps,
   * which are safe to run again. */
  from = version;
  if (version == 0)
    {
      int objects;

      if (!query_int (self->db, "SELECT count(*) FROM sqlite_master;", &objects, error))
        goto rollback;
      if (objects == 0)
        {
          g_debug ("Creating %s at schema %d", self->path, BYOK_DATABASE_SCHEMA_VERSION);
          if (!_byok_database_create_schema (self->db, error))
            goto rollback;
          version = BYOK_DATABASE_SCHEMA_VERSION;
        }
    }
  for (; version < BYOK_DATABASE_SCHEMA_VERSION; version++)
    {
      g_debug ("Migrating %s from schema %d to %d", self->path, version, version + 1);
      if (!_byok_database_run_migration (self->db, version, error))
        goto rollback;
    }

  set_version = g_strdup_printf ("PRAGMA user_version = %d;", version);
  if (!_byok_database_exec_sql (self->db, set_version, what, error) ||
      !_byok_database_exec_sql (self->db, "COMMIT;", what, error))
    goto rollback;
  if (from != version)
    g_debug ("Upgraded %s from schema %d to %d", self->path, from, version);

  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  self->version = version;
  return TRUE;

rollback:
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK;", NULL, NULL, NULL);
failed:
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  return FALSE;
}

static gpointer
checkpoint_thread_func (gpointer data)
{
  ByokDatabase *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3) db = NULL;
  int rc;

  /* The path never changes, and finalize joins this thread first. */
  db = byok_database_connect (self->path, FALSE, &error);
  if (db == NULL)
    g_debug ("No checkpoint: %s", error->message);
  else if ((rc = sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL)) != SQLITE_OK)
    g_debug ("Checkpoint of %s: %s", self->path, sqlite3_errstr (rc));
  g_clear_pointer (&db, sqlite3_close_v2);
  g_atomic_int_set (&self->checkpointing, 0);
  return NULL;
}

/* After every commit on the main connection (it replaces SQLite's
 * auto-checkpoint): once the WAL has grown by CHECKPOINT_PAGES, a passive
 * checkpoint on a connection of its own in a worker thread. */
static int
wal_hook (void       *data,
          sqlite3    *db,
          const char *name,
          int         n_pages)
{
  ByokDatabase *self = data;
  g_autoptr(GError) error = NULL;

  if (n_pages < CHECKPOINT_PAGES)
    {
      /* The WAL was reset: start counting again. */
      self->checkpoint_at = CHECKPOINT_PAGES;
      return SQLITE_OK;
    }
  if (n_pages < self->checkpoint_at || g_atomic_int_get (&self->checkpointing))
    return SQLITE_OK;

  if (self->checkpoint_thread != NULL)
    g_thread_join (g_steal_pointer (&self->checkpoint_thread));
  self->checkpoint_at = n_pages + CHECKPOINT_PAGES;
  g_atomic_int_set (&self->checkpointing, 1);
  self->checkpoint_thread = g_thread_try_new ("byok-checkpoint", checkpoint_thread_func, self, &error);
  if (self->checkpoint_thread == NULL)
    {
      g_atomic_int_set (&self->checkpointing, 0);
      g_debug ("Checkpointing in this thread: %s", error->message);
      sqlite3_wal_checkpoint_v2 (db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    }
  return SQLITE_OK;
}

/* WAL cannot be switched on inside a transaction: before migrations. */
static gboolean
enable_wal (ByokDatabase  *self,
            GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *mode = NULL;
  int rc;

  gint64 deadline = g_get_monotonic_time () + BUSY_TIMEOUT_MS * (gint64) 1000;

  rc = sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL;", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      /* Switching a new file to WAL while another process opens it too
       * can answer SQLITE_BUSY at once, without the busy handler: wait
       * here. */
      while ((rc = sqlite3_step (stmt)) == SQLITE_BUSY && g_get_monotonic_time () < deadline)
        {
          sqlite3_reset (stmt);
          g_usleep (g_random_int_range (1000, 5000));
        }
    }
  if (rc != SQLITE_ROW)
    {
      g_autofree char *what = g_strdup_printf (_("Could not open the database %s"), self->path);

      byok_database_set_error (error, self->db, rc, what);
      return FALSE;
    }
  mode = g_ascii_strdown ((const char *) sqlite3_column_text (stmt, 0), -1);
  if (g_strcmp0 (mode, "wal") != 0 && g_strcmp0 (mode, "memory") != 0)
    g_warning ("Database %s is in journal mode %s, not WAL", self->path, mode);
  return TRUE;
}

/* @path to @mode when it is ours and others may read or write it. */
static void
make_private (const char *path,
              mode_t      mode)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0 || st.st_uid != getuid () || (st.st_mode & 0777) == mode)
    return;
  if (g_chmod (path, mode) != 0)
    g_debug ("Could not make %s private: %s", path, g_strerror (errno));
}

/* The folder and the files before SQLite opens them (byok-file.h): the
 * database is created 0600, which SQLite gives its WAL, shared-memory and
 * journal files too (it creates them with the database's mode, and a new
 * database 0644, whatever the umask). Files an older Byok left readable
 * by others are made 0600, and the default data folder 0700 even when it
 * existed; another folder the user chose is created 0700 but otherwise
 * left as it is. */
static gboolean
prepare_files (ByokDatabase  *self,
               GError       **error)
{
  static const char * const companions[] = { "-wal", "-shm", "-journal" };
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "byok", NULL);
  g_autofree char *canonical_dir = g_canonicalize_filename (dir, NULL);
  g_autofree char *canonical_data_dir = g_canonicalize_filename (data_dir, NULL);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE,
                   _("Could not create the folder %s for the database: %s. "
                     "Check that you can write to it."),
                   dir, g_strerror (saved));
      return FALSE;
    }
  if (g_str_equal (canonical_dir, canonical_data_dir))
    make_private (dir, 0700);

  /* Anything else (a folder where the file should be) is SQLite's to
   * report. */
  fd = g_open (self->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0)
    g_close (fd, NULL);
  make_private (self->path, 0600);
  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *path = g_strconcat (self->path, companions[i], NULL);

      make_private (path, 0600);
    }
  return TRUE;
}

static gboolean
open_main (ByokDatabase  *self,
           GError       **error)
{
  if (g_strcmp0 (self->path, ":memory:") != 0 && !prepare_files (self, error))
    return FALSE;

  /* One thread per connection: no SQLite mutex on every call. */
  self->db = connect_with_flags (self->path,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 FALSE, error);
  if (self->db == NULL)
    return FALSE;

  if (g_strcmp0 (self->path, ":memory:") != 0)
    {
      self->checkpoint_at = CHECKPOINT_PAGES;
      sqlite3_wal_hook (self->db, wal_hook, self);
    }

  return enable_wal (self, error) &&
         _byok_database_exec_sql (self->db, "PRAGMA synchronous = NORMAL;",
                   _("Could not configure the database"), error) &&
         migrate (self, error);
}

/**
 * byok_database_open:
 * @path: (nullable): the database file; %NULL for the default,
 *   `$XDG_DATA_HOME/byok/byok.db`; ":memory:" for a private in-memory one
 *
 * Opens (creating it and its folder if needed) and migrates the database.
 * A file written by a newer Byok is refused.
 *
 * Returns: (transfer full): the database, or %NULL with a
 *   BYOK_ERROR_STORAGE error
 */
ByokDatabase *
byok_database_open (const char  *path,
                    GError     **error)
{
  g_autoptr(ByokDatabase) self = g_object_new (BYOK_TYPE_DATABASE, NULL);

  self->path = path != NULL ? g_strdup (path) : byok_database_get_default_path ();
  if (!open_main (self, error))
    return NULL;

  g_debug ("Opened %s at schema %d", self->path, self->version);
  return g_steal_pointer (&self);
}

/**
 * byok_database_dup_lock_dir:
 *
 * Where the processes that use this database keep their locks
 * (byok-process-lock.h): `running/` beside the file.
 *
 * Returns: (transfer full) (nullable): the folder; %NULL for an in-memory
 *   database, which no other process shares
 */
char *
byok_database_dup_lock_dir (ByokDatabase *self)
{
  g_autofree char *dir = NULL;

  g_return_val_if_fail (BYOK_IS_DATABASE (self), NULL);

  if (g_strcmp0 (self->path, ":memory:") == 0)
    return NULL;
  dir = g_path_get_dirname (self->path);
  return g_build_filename (dir, "running", NULL);
}

const char *
byok_database_get_path (ByokDatabase *self)
{
  g_return_val_if_fail (BYOK_IS_DATABASE (self), NULL);
  return self->path;
}

/**
 * byok_database_get_handle:
 *
 * Returns: (transfer none): the main connection, for the stores. Use it in
 *   the thread that opened @self only.
 */
sqlite3 *
byok_database_get_handle (ByokDatabase *self)
{
  g_return_val_if_fail (BYOK_IS_DATABASE (self), NULL);
  return self->db;
}

/**
 * byok_database_get_version:
 *
 * Returns: the schema version of the open database
 *   (BYOK_DATABASE_SCHEMA_VERSION once opened)
 */
int
byok_database_get_version (ByokDatabase *self)
{
  g_return_val_if_fail (BYOK_IS_DATABASE (self), 0);
  return self->version;
}

/**
 * byok_database_exec:
 * @sql: one or more statements, no parameters
 */
gboolean
byok_database_exec (ByokDatabase  *self,
                    const char    *sql,
                    GError       **error)
{
  g_return_val_if_fail (BYOK_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);

  return _byok_database_exec_sql (self->db, sql, _("Could not update the database"), error);
}

/**
 * byok_database_prepare:
 *
 * Returns: (transfer full): a new statement to bind, step and
 *   sqlite3_finalize() (or g_autoptr(sqlite3_stmt)), or %NULL with @error
 */
sqlite3_stmt *
byok_database_prepare (ByokDatabase  *self,
                       const char    *sql,
                       GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (BYOK_IS_DATABASE (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      byok_database_set_error (error, self->db, rc, _("Could not read the database"));
      return NULL;
    }
  return stmt;
}

/**
 * byok_database_prepare_cached:
 * @sql: a statement; the text is the cache key, so pass a constant
 *
 * Like byok_database_prepare(), but the statement is prepared once and
 * kept for the life of @self. It comes back reset with its bindings
 * cleared. Do not finalize it; do not hold it across another call that
 * may use the same SQL.
 *
 * Returns: (transfer none): the statement, or %NULL with @error set
 */
sqlite3_stmt *
byok_database_prepare_cached (ByokDatabase  *self,
                              const char    *sql,
                              GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BYOK_IS_DATABASE (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  stmt = g_hash_table_lookup (self->cached, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      byok_database_set_error (error, self->db, rc, _("Could not read the database"));
      return NULL;
    }
  g_hash_table_insert (self->cached, g_strdup (sql), stmt);
  return stmt;
}

/**
 * byok_database_begin:
 *
 * Starts a write transaction (BEGIN IMMEDIATE, so a busy database is
 * waited for here, not at the first write). Transactions do not nest.
 */
gboolean
byok_database_begin (ByokDatabase  *self,
                     GError       **error)
{
  g_return_val_if_fail (BYOK_IS_DATABASE (self), FALSE);

  return _byok_database_exec_sql (self->db, "BEGIN IMMEDIATE;", _("Could not start writing to the database"), error);
}

gboolean
byok_database_commit (ByokDatabase  *self,
                      GError       **error)
{
  g_return_val_if_fail (BYOK_IS_DATABASE (self), FALSE);

  return _byok_database_exec_sql (self->db, "COMMIT;", _("Could not save to the database"), error);
}

/**
 * byok_database_rollback:
 *
 * Abandons the open transaction, if any (safe to call after a failed
 * statement that already ended it).
 */
void
byok_database_rollback (ByokDatabase *self)
{
  g_return_if_fail (BYOK_IS_DATABASE (self));

  if (sqlite3_get_autocommit (self->db))
    return;
  if (sqlite3_exec (self->db, "ROLLBACK;", NULL, NULL, NULL) != SQLITE_OK)
    g_warning ("Could not roll back: %s", sqlite3_errmsg (self->db));
}

/**
 * byok_database_bind_text_or_null:
 * @text: (nullable): copied into the statement
 *
 * Binds @text, or SQL NULL when it is %NULL, to parameter @index.
 */
void
byok_database_bind_text_or_null (sqlite3_stmt *stmt,
                                 int           index,
                                 const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

/**
 * byok_database_bind_double_or_null:
 * @value: a number, or NAN for unknown
 *
 * Binds @value, or SQL NULL when it is NAN (an unknown price), to
 * parameter @index.
 */
void
byok_database_bind_double_or_null (sqlite3_stmt *stmt,
                                   int           index,
                                   double        value)
{
  if (isnan (value))
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_double (stmt, index, value);
}

/**
 * byok_database_column_double_or_nan:
 *
 * Returns: the number in column @col of the current row, or NAN where it
 *   is SQL NULL
 */
double
byok_database_column_double_or_nan (sqlite3_stmt *stmt,
                                    int           col)
{
  return sqlite3_column_type (stmt, col) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, col);
}

/**
 * byok_database_column_strdup:
 *
 * Returns: (transfer full) (nullable): the text of column @col of the
 *   current row, or %NULL where it is SQL NULL
 */
char *
byok_database_column_strdup (sqlite3_stmt *stmt,
                             int           col)
{
  const unsigned char *text = sqlite3_column_text (stmt, col);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

/* Steps @stmt, expecting @expected (SQLITE_ROW or SQLITE_DONE); anything
 * else sets @error and resets @stmt. */
static gboolean
step_expecting (sqlite3_stmt  *stmt,
                sqlite3       *db,
                int            expected,
                const char    *what,
                GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != expected)
    {
      byok_database_set_error (error, db, rc, what);
      sqlite3_reset (stmt);
      return FALSE;
    }
  return TRUE;
}

/**
 * byok_database_step_done:
 * @db: the connection of @stmt, for its message
 * @what: a translated sentence fragment saying what failed
 *
 * Steps a statement that returns no rows (an INSERT, UPDATE or DELETE)
 * and resets it.
 *
 * Returns: %TRUE when it ran to the end, or %FALSE with @error set
 */
gboolean
byok_database_step_done (sqlite3_stmt  *stmt,
                         sqlite3       *db,
                         const char    *what,
                         GError       **error)
{
  if (!step_expecting (stmt, db, SQLITE_DONE, what, error))
    return FALSE;
  sqlite3_reset (stmt);
  return TRUE;
}

/**
 * byok_database_step_row:
 * @db: the connection of @stmt, for its message
 * @what: a translated sentence fragment saying what failed
 *
 * Steps a statement that returns one row (a count, a sum, a pragma).
 *
 * Returns: %TRUE with the row to read, after which the caller resets
 *   @stmt; or %FALSE with @error set and @stmt reset
 */
gboolean
byok_database_step_row (sqlite3_stmt  *stmt,
                        sqlite3       *db,
                        const char    *what,
                        GError       **error)
{
  return step_expecting (stmt, db, SQLITE_ROW, what, error);
}

static void
byok_database_finalize (GObject *object)
{
  ByokDatabase *self = BYOK_DATABASE (object);

  /* Before closing, so ours is the last connection and the WAL goes. */
  if (self->checkpoint_thread != NULL)
    g_thread_join (g_steal_pointer (&self->checkpoint_thread));
  g_clear_pointer (&self->cached, g_hash_table_unref);
  if (self->db != NULL)
    {
      int rc = sqlite3_close (self->db);

      if (rc != SQLITE_OK)
        {
          g_warning ("Closing %s: %s (a statement was not finalized)",
                     self->path, sqlite3_errstr (rc));
          sqlite3_close_v2 (self->db);
        }
      self->db = NULL;
    }
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (byok_database_parent_class)->finalize (object);
}

static void
byok_database_class_init (ByokDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = byok_database_finalize;
}

static void
byok_database_init (ByokDatabase *self)
{
  self->cached = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) (void (*) (void)) sqlite3_finalize);
}
