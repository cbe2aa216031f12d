/* byok-test-sigkill.c — a child that records usage rows until killed */
#include "config.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <gio/gunixinputstream.h>

#include "byok-database.h"
#include "byok-test-sigkill.h"

/**
 * byok_test_child_open_store:
 * @path: the database file
 *
 * In the child: the usage store on @path.
 *
 * Returns: (transfer full) (nullable): the store (holding its database),
 *   or %NULL, said on stderr
 */
ByokUsageStore *
byok_test_child_open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokDatabase) database = byok_database_open (path, &error);

  if (database == NULL)
    {
      g_printerr ("child: %s\n", error->message);
      return NULL;
    }
  return byok_usage_store_new (database);
}

/**
 * byok_test_child_record:
 *
 * In the child: records @record and, once it is committed, writes its id
 * on a line of stdout (one write() of a short line is atomic on a pipe).
 *
 * Returns: whether both worked (a failure is said on stderr)
 */
gboolean
byok_test_child_record (ByokUsageStore  *store,
                        const ByokUsageRecord *record)
{
  g_autoptr(GError) error = NULL;
  gint64 id = byok_usage_store_record (store, record, &error);
  char line[32];
  int len;

  if (id == 0)
    {
      g_printerr ("child: %s\n", error->message);
      return FALSE;
    }
  len = g_snprintf (line, sizeof line, "%" G_GINT64_FORMAT "\n", id);
  return write (STDOUT_FILENO, line, len) == len;
}

/**
 * byok_test_kill_child_after:
 * @argv: the child's command line
 * @kill_after: how many rows it reports before the test kills it
 *
 * Runs the child, kills it with SIGKILL when it has reported @kill_after
 * rows, reads what it reported until then, and checks that SIGKILL ended
 * it.
 *
 * Returns: (transfer full) (element-type gint64): the ids it reported
 */
GArray *
byok_test_kill_child_after (const char * const *argv,
                            guint               kill_after)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) raw = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  GArray *reported = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint seen = 0;
  GPid pid;
  int out_fd, status;
  char *line;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                            NULL, NULL, &pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);
  raw = g_unix_input_stream_new (out_fd, TRUE);
  lines = g_data_input_stream_new (raw);
  while ((line = g_data_input_stream_read_line (lines, NULL, NULL, &error)) != NULL)
    {
      gint64 id = g_ascii_strtoll (line, NULL, 10);

      g_free (line);
      g_assert_cmpint (id, >, 0);
      g_array_append_val (reported, id);
      if (++seen == kill_after)
        kill (pid, SIGKILL);
    }
  g_assert_no_error (error);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
  g_assert_cmpuint (seen, >=, kill_after);
  return reported;
}
