/* byok-test-util.c — small helpers several tests share */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "byok-database.h"
#include "byok-test-util.h"

/**
 * byok_test_deep_json:
 * @depth: how deep
 *
 * Returns: (transfer full): {"deep":[[[…]]]}, its arrays nested @depth
 *   deep: what a hostile server sends to overflow a recursive parser.
 */
char *
byok_test_deep_json (guint depth)
{
  GString *json = g_string_new ("{\"deep\":");

  for (guint i = 0; i < depth; i++)
    g_string_append_c (json, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (json, ']');
  g_string_append_c (json, '}');
  return g_string_free (json, FALSE);
}

/**
 * byok_test_load_fixture:
 * @folder: the folder under tests/fixtures ("openai", "prices")
 *
 * Returns: (transfer full): the file's bytes; a missing fixture fails the
 *   test
 */
GBytes *
byok_test_load_fixture (const char *folder,
                        const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", folder, name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, &error))
    g_error ("fixture %s: %s", path, error->message);
  return g_bytes_new_take (contents, len);
}

/**
 * byok_test_read_fixture:
 * @folder: the folder under tests/fixtures
 *
 * Returns: (transfer full): the file's text; a missing fixture fails the
 *   test
 */
char *
byok_test_read_fixture (const char *folder,
                        const char *name)
{
  g_autoptr(GBytes) bytes = byok_test_load_fixture (folder, name);

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static gboolean
holds_bytes (const char *data,
             gsize       len,
             const char *needle,
             gsize       needle_len)
{
  for (gsize i = 0; i + needle_len <= len; i++)
    if (memcmp (data + i, needle, needle_len) == 0)
      return TRUE;
  return FALSE;
}

/**
 * byok_test_assert_no_key:
 * @what: what @data is, for the failure message
 * @data: (nullable): text or bytes to scan; %NULL holds nothing
 * @len: its length, or -1 when it is a string
 * @key: a (fake) key
 * @shown: how many bytes at each end of @key its masked form shows
 * @piece: how many bytes in a row of the rest is a leak
 *
 * The key-leak scanner: fails the test when @data holds @key (one of 8
 * bytes or more), or, for a key of 16 bytes or more, any @piece bytes in a
 * row of it that are not all among the @shown bytes at its ends.
 */
void
byok_test_assert_no_key (const char *what,
                         const char *data,
                         gssize      len,
                         const char *key,
                         gsize       shown,
                         gsize       piece)
{
  gsize n = strlen (key);
  gsize size;

  if (data == NULL)
    return;
  size = len < 0 ? strlen (data) : (gsize) len;

  if (n >= 8 && holds_bytes (data, size, key, n))
    g_error ("%s holds the key %s: %.*s", what, key, (int) MIN (size, 2000), data);
  if (n < 16 || n < 2 * shown + piece)
    return;
  for (gsize start = shown; start + piece <= n - shown; start++)
    if (holds_bytes (data, size, key + start, piece))
      g_error ("%s holds part of the key %s (“%.*s”, at %" G_GSIZE_FORMAT "): %.*s", what, key,
               (int) piece, key + start, start, (int) MIN (size, 2000), data);
}

/**
 * byok_test_library_loaded:
 * @prefix: the start of a shared library's file name ("libpoppler")
 *
 * Returns: whether this process has such a library mapped
 */
gboolean
byok_test_library_loaded (const char *prefix)
{
  g_autofree char *maps = NULL;
  g_autofree char *needle = g_strconcat ("/", prefix, NULL);

  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  return strstr (maps, needle) != NULL;
}

/**
 * byok_test_wait_limit:
 * @value: how long a test waits, in whatever unit, for what should come
 *   long before
 *
 * Returns: @value times BYOK_TEST_SLOWDOWN when that is set (the asan test
 *   setup sets it: code runs several times slower under the sanitizers),
 *   else @value. For a test's own limits on its waits (a safety net that
 *   turns a hang into a failure), never for a time that is what a test
 *   checks.
 */
guint
byok_test_wait_limit (guint value)
{
  const char *slowdown = g_getenv ("BYOK_TEST_SLOWDOWN");
  guint64 factor = 1;

  if (slowdown != NULL && !g_ascii_string_to_unsigned (slowdown, 10, 1, 100, &factor, NULL))
    factor = 1;
  return (guint) MIN ((guint64) value * factor, G_MAXUINT);
}

/**
 * byok_test_listen_loopback:
 * @server: a server not listening yet
 *
 * Makes @server listen on 127.0.0.1 on a free port.
 *
 * Returns: (transfer full): "http://127.0.0.1:PORT", no trailing slash.
 *   The port comes from the listening socket, not from
 *   soup_server_get_uris() or soup_server_listen_local(): libsoup 3.2
 *   caches the address those ask for and never frees it.
 */
char *
byok_test_listen_loopback (SoupServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  GSList *listeners;

  if (!soup_server_listen (server, address, 0, &error))
    g_error ("test server cannot listen on 127.0.0.1: %s", error->message);
  listeners = soup_server_get_listeners (server);
  g_assert_nonnull (listeners);
  bound = g_socket_get_local_address (listeners->data, &error);
  g_slist_free (listeners);
  if (bound == NULL)
    g_error ("test server has no address: %s", error->message);
  return g_strdup_printf ("http://127.0.0.1:%u",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
}

/* The GAsyncReadyCallback that keeps its result in *(GAsyncResult **) user_data */
void
byok_test_store_result (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Runs the default main context until byok_test_store_result() filled
 * @slot; returns it (still owned by @slot) */
GAsyncResult *
byok_test_wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* byok_test_describe_master:
 *
 * Every object in sqlite_master (the internal ones too), by type and
 * name, with its SQL normalised: whitespace made one space and dropped
 * around punctuation, identifiers unquoted (a table renamed by ALTER
 * TABLE is stored as "name"), IF NOT EXISTS dropped (SQLite keeps it out
 * already); then user_version: for comparing the schema two
 * databases were given (a new one and one upgraded). */
char *
byok_test_describe_master (sqlite3 *db)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) version = NULL;
  g_autoptr(GRegex) spaces = g_regex_new ("\\s+", 0, 0, NULL);
  g_autoptr(GRegex) punctuation = g_regex_new (" ?([(),;]) ?", 0, 0, NULL);
  g_autoptr(GRegex) if_not_exists = g_regex_new ("IF NOT EXISTS ", G_REGEX_CASELESS, 0, NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT type, name, tbl_name, sql FROM sqlite_master "
                                       "ORDER BY type, name",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *sql = (const char *) sqlite3_column_text (stmt, 3);
      g_autofree char *spaced = NULL;
      g_autofree char *tight = NULL;
      g_autofree char *plain = NULL;
      g_auto(GStrv) unquoted = NULL;

      if (sql != NULL)
        {
          spaced = g_regex_replace_literal (spaces, sql, -1, 0, " ", 0, NULL);
          tight = g_regex_replace (punctuation, spaced, -1, 0, "\\1", 0, NULL);
          plain = g_regex_replace_literal (if_not_exists, tight, -1, 0, "", 0, NULL);
          unquoted = g_strsplit (plain, "\"", -1);
        }
      g_string_append_printf (out, "%s %s on %s: ",
                              (const char *) sqlite3_column_text (stmt, 0),
                              (const char *) sqlite3_column_text (stmt, 1),
                              (const char *) sqlite3_column_text (stmt, 2));
      if (unquoted != NULL)
        {
          g_autofree char *joined = g_strjoinv ("", unquoted);

          g_string_append (out, joined);
        }
      else
        g_string_append (out, "(no SQL)");
      g_string_append_c (out, '\n');
    }
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &version, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (version), ==, SQLITE_ROW);
  g_string_append_printf (out, "user_version %d\n", sqlite3_column_int (version, 0));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * byok_test_make_dir:
 * @name: what the test is, for the folder's name ("chat-page")
 *
 * Returns: (transfer full): a new empty folder byok-test-@name-XXXXXX in
 *   the temporary folder; one that cannot be made fails the test
 */
char *
byok_test_make_dir (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strdup_printf ("byok-test-%s-XXXXXX", name);
  char *dir = g_dir_make_tmp (template, &error);

  g_assert_no_error (error);
  return dir;
}

/**
 * byok_test_lookup_mcp_secrets:
 * @server: an MCP server's name
 *
 * Returns: (transfer full) (nullable): what the keyring holds for @server,
 *   waited for; a failed lookup fails the test
 */
ByokMcpSecrets *
byok_test_lookup_mcp_secrets (const char *server)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ByokMcpSecrets *secrets;

  byok_mcp_secrets_lookup_async (server, NULL, byok_test_store_result, &result);
  secrets = byok_mcp_secrets_lookup_finish (byok_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return secrets;
}

/**
 * byok_test_count_notify:
 * @count: what counts the notifications
 *
 * A "notify" handler that counts.
 */
void
byok_test_count_notify (GObject    *object,
                        GParamSpec *pspec,
                        guint      *count)
{
  (*count)++;
}

/**
 * byok_test_local_us:
 *
 * Returns: a local time (the tests that use it set TZ) in unix µs; one that
 *   does not exist fails the test
 */
gint64
byok_test_local_us (int year,
                    int month,
                    int day,
                    int hour,
                    int minute,
                    int second)
{
  g_autoptr(GDateTime) dt = g_date_time_new_local (year, month, day, hour, minute, second);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

/**
 * byok_test_remove_tree:
 * @path: a file or a folder
 *
 * Removes @path and, for a folder, everything under it (a link is removed,
 * never followed).
 */
void
byok_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK) || (dir = g_dir_open (path, 0, NULL)) == NULL)
    {
      g_remove (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      byok_test_remove_tree (child);
    }
  g_rmdir (path);
}

static GString *captured_log;

static GLogWriterOutput
capture_log (GLogLevelFlags   level,
             const GLogField *fields,
             gsize            n_fields,
             gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
        {
          g_string_append (captured_log, fields[i].value);
          g_string_append_c (captured_log, '\n');
        }
    }
  if (level & G_LOG_LEVEL_DEBUG)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* g_debug() and friends without G_LOG_USE_STRUCTURED go through the default
 * handler first, which newer GLib's test mode replaces with its own printer
 * (a "# domain-DEBUG:" line on stdout) that never reaches the writer above:
 * take them here too, and hand the rest to the writer. */
static void
capture_unstructured (const char     *log_domain,
                      GLogLevelFlags  level,
                      const char     *message,
                      gpointer        user_data)
{
  GLogField fields[] = {
    { "GLIB_DOMAIN", log_domain != NULL ? log_domain : "", -1 },
    { "MESSAGE", message, -1 },
  };

  capture_log (level, fields, G_N_ELEMENTS (fields), NULL);
}

/**
 * byok_test_capture_log:
 *
 * Keeps every log message from now on, debug ones included (those are not
 * printed), a line each; call it after g_test_init().
 *
 * Returns: (transfer none): the messages so far; the test may empty it
 */
GString *
byok_test_capture_log (void)
{
  if (captured_log != NULL)
    return captured_log;
  captured_log = g_string_new (NULL);
  g_log_set_writer_func (capture_log, NULL, NULL);
  g_log_set_default_handler (capture_unstructured, NULL);
  return captured_log;
}

static void
assert_in_no_file_below (const char *dir,
                         const char *needle,
                         guint      *n_files,
                         guint       depth)
{
  g_autoptr(GDir) d = NULL;
  const char *name;

  if (depth > 16 || (d = g_dir_open (dir, 0, NULL)) == NULL)
    return;

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      GStatBuf st;
      gsize length;

      if (g_lstat (path, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        assert_in_no_file_below (path, needle, n_files, depth + 1);
      else if (S_ISREG (st.st_mode) && st.st_size < 64 * 1024 * 1024 &&
               g_file_get_contents (path, &contents, &length, NULL))
        {
          (*n_files)++;
          if (holds_bytes (contents, length, needle, strlen (needle)))
            g_error ("the key is in %s", path);
        }
    }
}

/**
 * byok_test_assert_in_no_file:
 * @key: a (fake) key
 * @middle: a piece of it
 *
 * Fails the test when any file under HOME or the XDG folders (data,
 * config, cache, state, runtime; 16 deep at most, links not followed)
 * holds @key or @middle.
 *
 * Returns: how many files it read (each once for @key, once for @middle)
 */
guint
byok_test_assert_in_no_file (const char *key,
                             const char *middle)
{
  const char *dirs[] = {
    g_get_home_dir (),
    g_get_user_data_dir (),
    g_get_user_config_dir (),
    g_get_user_cache_dir (),
    g_get_user_state_dir (),
    g_get_user_runtime_dir (),
  };
  guint n_files = 0;

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      assert_in_no_file_below (dirs[i], key, &n_files, 0);
      assert_in_no_file_below (dirs[i], middle, &n_files, 0);
    }
  return n_files;
}

/* byok_attachment_load_async() of @path, the main loop run until it is
 * done */
ByokAttachment *
byok_test_load_attachment (const char  *path,
                           GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;

  byok_attachment_load_async (file, NULL, byok_test_store_result, &result);
  return byok_attachment_load_finish (byok_test_wait_result (&result), error);
}

/**
 * byok_test_assert_export_modes:
 * @dir: a folder to export into
 * @suffix: the name ending of the first format's files (".csv")
 *
 * An export holds what only its owner may read: under the umasks 022 and
 * 000, a new file (first format) and a replaced file others could read
 * (second format, ".json") are written whole and left 0600.
 */
void
byok_test_assert_export_modes (const char         *dir,
                               const char         *suffix,
                               ByokTestExportFunc  export_to,
                               gpointer            data)
{
  const mode_t umasks[] = { 022, 000 };

  for (guint i = 0; i < G_N_ELEMENTS (umasks); i++)
    {
      g_autofree char *fresh = g_strdup_printf ("%s/new-%u%s", dir, i, suffix);
      g_autofree char *existing = g_strdup_printf ("%s/old-%u.json", dir, i);
      const char *paths[] = { fresh, existing };
      mode_t saved = umask (umasks[i]);

      g_assert_true (g_file_set_contents (existing, "old", -1, NULL));
      g_assert_cmpint (g_chmod (existing, 0644), ==, 0);
      for (guint j = 0; j < G_N_ELEMENTS (paths); j++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GFile) file = g_file_new_for_path (paths[j]);
          GStatBuf st;

          g_assert_true (export_to (file, j == 1, data, &error));
          g_assert_no_error (error);
          g_assert_cmpint (g_stat (paths[j], &st), ==, 0);
          g_assert_cmpint (st.st_size, >, 3);
          g_assert_cmpint (st.st_mode & 0777, ==, 0600);
        }
      umask (saved);
    }
}

/* ---- the calls this process makes on the session bus -------------------- */

/* The Secret Service calls this process makes, seen by a monitor of the
 * session bus (a connection of its own, fed on GDBus's worker thread). */
struct _ByokTestBusCalls {
  GDBusConnection *monitor;
  GMutex lock;
  GCond cond;
  char *sender;          /* this process's connection */
  GHashTable *calls;     /* "Interface.Member" → count */
  gboolean saw_ping;
  guint filter;          /* on the monitor's connection */
};

static GDBusMessage *
count_call (GDBusConnection *connection,
            GDBusMessage    *message,
            gboolean         incoming,
            gpointer         user_data)
{
  ByokTestBusCalls *bc = user_data;

  if (incoming && g_dbus_message_get_message_type (message) == G_DBUS_MESSAGE_TYPE_METHOD_CALL &&
      g_strcmp0 (g_dbus_message_get_sender (message), bc->sender) == 0)
    {
      const char *iface = g_dbus_message_get_interface (message);
      const char *member = g_dbus_message_get_member (message);
      char *name = g_strdup_printf ("%s.%s", iface, member);

      g_mutex_lock (&bc->lock);
      g_hash_table_replace (bc->calls, name,
                            GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (bc->calls, name)) + 1));
      if (g_strcmp0 (iface, "org.freedesktop.DBus.Peer") == 0)
        {
          bc->saw_ping = TRUE;
          g_cond_signal (&bc->cond);
        }
      g_mutex_unlock (&bc->lock);
    }
  /* A monitor only watches: the calls it sees are not for it to answer.
   * (Its own call, BecomeMonitor, and the reply go on.) */
  if (incoming && g_dbus_message_get_message_type (message) == G_DBUS_MESSAGE_TYPE_METHOD_CALL)
    {
      g_object_unref (message);
      return NULL;
    }
  return message;
}

/* Freed once the monitor's thread no longer runs the filter. */
static void
bus_calls_free (gpointer data)
{
  ByokTestBusCalls *bc = data;

  g_hash_table_unref (bc->calls);
  g_free (bc->sender);
  g_cond_clear (&bc->cond);
  g_mutex_clear (&bc->lock);
  g_free (bc);
}

/**
 * byok_test_bus_calls_count:
 * @name: "Interface.Member", e.g. "org.freedesktop.Secret.Service.Unlock"
 *
 * Returns: how many such calls were seen; after byok_test_bus_calls_sync()
 */
guint
byok_test_bus_calls_count (ByokTestBusCalls *bc,
                           const char       *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (bc->calls, name));
}

/**
 * byok_test_bus_calls_watch:
 *
 * A monitor of the session bus (build-aux/test-session's) that counts the
 * method calls this process makes from now on.
 */
ByokTestBusCalls *
byok_test_bus_calls_watch (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GDBusConnection) monitor = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  const char *rules[] = { "type='method_call'", NULL };
  ByokTestBusCalls *bc = g_new0 (ByokTestBusCalls, 1);

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  monitor = g_dbus_connection_new_for_address_sync (address,
                                                    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                    G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                    NULL, NULL, &error);
  g_assert_no_error (error);
  g_mutex_init (&bc->lock);
  g_cond_init (&bc->cond);
  bc->sender = g_strdup (g_dbus_connection_get_unique_name (bus));
  bc->calls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  bc->filter = g_dbus_connection_add_filter (monitor, count_call, bc, bus_calls_free);
  reply = g_dbus_connection_call_sync (monitor, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus.Monitoring", "BecomeMonitor",
                                       g_variant_new ("(^asu)", rules, 0), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  bc->monitor = g_steal_pointer (&monitor);
  return bc;
}

/**
 * byok_test_bus_calls_sync:
 *
 * Pings the Secret Service: once the monitor has seen the ping, it has
 * seen every call before it. Returns with the counts held still, for
 * byok_test_bus_calls_count(); byok_test_bus_calls_end() lets them go.
 */
void
byok_test_bus_calls_sync (ByokTestBusCalls *bc)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                       "org.freedesktop.DBus.Peer", "Ping", NULL, NULL,
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;
  g_mutex_lock (&bc->lock);
  while (!bc->saw_ping && g_cond_wait_until (&bc->cond, &bc->lock, deadline))
    ;
  g_assert_true (bc->saw_ping);
}

/**
 * byok_test_bus_calls_end:
 *
 * Closes the monitor and frees @bc.
 */
void
byok_test_bus_calls_end (ByokTestBusCalls *bc)
{
  GDBusConnection *monitor = bc->monitor;
  guint filter = bc->filter;

  g_mutex_unlock (&bc->lock);
  /* Frees @bc, once the monitor's thread no longer runs the filter. */
  g_dbus_connection_remove_filter (monitor, filter);
  g_dbus_connection_close_sync (monitor, NULL, NULL);
  g_object_unref (monitor);
}
