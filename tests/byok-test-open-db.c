/* byok-test-open-db.c — opens (and so creates or upgrades) a database, as
 * the app or byok-cli do at start, in a process of its own
 *
 *   byok-test-open-db PATH
 *
 * Waits for one byte (or the end) on stdin first, so a test can start many
 * and release them at once. Prints the schema version it opened; on a
 * failure prints the error and exits 1.
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "byok-database.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokDatabase) database = NULL;
  char go;

  if (argc != 2)
    {
      fprintf (stderr, "usage: %s PATH\n", argv[0]);
      return 2;
    }
  if (read (STDIN_FILENO, &go, 1) < 0)
    return 2;

  database = byok_database_open (argv[1], &error);
  if (database == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  printf ("%d\n", byok_database_get_version (database));
  return 0;
}
