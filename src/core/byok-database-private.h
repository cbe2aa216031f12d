/* byok-database-private.h — what byok-database.c and its migrations share */
#pragma once

#include "byok-database.h"

G_BEGIN_DECLS

gboolean _byok_database_exec_sql      (sqlite3     *db,
                                       const char  *sql,
                                       const char  *what,
                                       GError     **error);

/* Brings a database from schema @step to @step + 1, inside the
 * transaction byok-database.c holds (byok-database-migrations.c). */
gboolean _byok_database_run_migration (sqlite3     *db,
                                       int          step,
                                       GError     **error);

/* Creates the current schema whole on an empty database, inside the same
 * transaction (byok-database-migrations.c; it must equal what the steps
 * give, which test-database checks). */
gboolean _byok_database_create_schema (sqlite3     *db,
                                       GError     **error);

G_END_DECLS
