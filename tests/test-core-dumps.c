/* test-core-dumps.c — byok and byok-cli turn core dumps off as they start.
 *
 * Each is started with core dumps allowed (the core size limit raised as
 * far as it goes, as a `cat` started the same way shows), and checked once
 * it is surely running — byok-cli while the test server holds its request,
 * byok once it owns its name on the session bus:
 *
 * - its core size limit, as /proc/PID/limits shows it, is 0, soft and hard;
 * - it is not dumpable: with G_MESSAGES_DEBUG=byok-process it says what the
 *   kernel answers to prctl (PR_GET_DUMPABLE) and getrlimit (RLIMIT_CORE)
 *   once it has turned them off. (Seen from outside, a process that is not
 *   dumpable refuses its /proc/PID/environ to one without CAP_SYS_PTRACE;
 *   not every kernel does so, this one does not.)
 */
#include "config.h"

#include <string.h>
#include <sys/resource.h>
#include <gio/gio.h>

#include "byok-test-server.h"

/* In the child, before exec: core dumps allowed as far as they can be. */
static void
allow_core_dumps (gpointer data)
{
  struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
  struct rlimit limit;

  if (setrlimit (RLIMIT_CORE, &unlimited) == 0)
    return;
  if (getrlimit (RLIMIT_CORE, &limit) == 0)
    {
      limit.rlim_cur = limit.rlim_max;
      setrlimit (RLIMIT_CORE, &limit);
    }
}

static GSubprocess *
spawn (char              **env,
       const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  if (env != NULL)
    g_subprocess_launcher_set_environ (launcher, env);
  g_subprocess_launcher_set_child_setup (launcher, allow_core_dumps, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  return process;
}

/* The soft and hard core size limits of @pid, as /proc shows them. */
static void
read_core_limit (GPid   pid,
                 char **soft,
                 char **hard)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/limits", (int) pid);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "Max core file size"))
        {
          g_auto(GStrv) fields = g_strsplit_set (lines[i] + strlen ("Max core file size"), " ", -1);
          guint n = 0;

          for (guint j = 0; fields[j] != NULL; j++)
            {
              if (*fields[j] == '\0')
                continue;
              if (n == 0)
                *soft = g_strdup (fields[j]);
              else if (n == 1)
                *hard = g_strdup (fields[j]);
              n++;
            }
          return;
        }
    }
  g_error ("no core size limit in %s", path);
}

static GPid
pid_of (GSubprocess *process)
{
  const char *id = g_subprocess_get_identifier (process);

  g_assert_nonnull (id);
  return (GPid) g_ascii_strtoll (id, NULL, 10);
}

/* The core size limits a process started as Byok's are gets without
 * Byok's doing. */
static void
check_control (char **env)
{
  const char * const argv[] = { "cat", NULL };
  g_autoptr(GSubprocess) control = spawn (env, argv);
  g_autofree char *soft = NULL;
  g_autofree char *hard = NULL;

  read_core_limit (pid_of (control), &soft, &hard);
  g_test_message ("started with core size limits %s/%s", soft, hard);
  g_subprocess_force_exit (control);
  g_subprocess_wait (control, NULL, NULL);
}

/* Checks @process while it runs, then stops it and reads what it said. */
static void
assert_no_core_dumps (GSubprocess *process,
                      char       **env,
                      const char  *name)
{
  g_autofree char *soft = NULL;
  g_autofree char *hard = NULL;
  g_autofree char *output = NULL;
  g_autoptr(GError) error = NULL;

  check_control (env);
  read_core_limit (pid_of (process), &soft, &hard);
  if (g_strcmp0 (soft, "0") != 0 || g_strcmp0 (hard, "0") != 0)
    g_error ("%s runs with a core size limit of %s/%s", name, soft, hard);

  g_subprocess_force_exit (process);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &output, NULL, &error);
  g_assert_no_error (error);
  if (strstr (output, "core dumps off: core size limit 0/0, dumpable 0") == NULL)
    g_error ("%s did not say it is not dumpable:\n%s", name, output);
}

static gboolean
held (gpointer data)
{
  return byok_test_server_get_n_requests (data) > 0;
}

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
wait_for (gboolean (*condition) (gpointer),
          gpointer    data,
          const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint wake = g_timeout_add (50, wake_up, NULL);

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("gave up waiting for %s", what);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
}

/* byok-cli, while its request is held by the test server. */
static void
test_cli (void)
{
  g_autoptr(ByokTestServer) server = byok_test_server_new ();
  g_autofree char *base = g_strconcat (byok_test_server_get_url (server), "/v1", NULL);
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "G_MESSAGES_DEBUG", "byok-process", TRUE);
  ByokTestReply *reply = byok_test_reply_new_sse ("{\"choices\": [{\"delta\": {\"content\": \"Hi\"}}]}", NULL);
  const char *argv[] = { g_getenv ("BYOK_CLI"), "chat", "-m", "openai/gpt-4o-mini", "--retries", "0",
                         "hello", NULL };
  g_autoptr(GSubprocess) cli = NULL;

  g_assert_nonnull (argv[0]);
  env = g_environ_setenv (env, "OPENAI_API_KEY", "sk-test-fake-core-dumps-0001", TRUE);
  env = g_environ_setenv (env, "BYOK_BASE_URL_OPENAI", base, TRUE);
  byok_test_reply_set_hold (reply, TRUE);
  byok_test_server_add_reply (server, "/v1/chat/completions", reply);

  cli = spawn (env, argv);
  wait_for (held, server, "byok-cli's request");
  assert_no_core_dumps (cli, env, "byok-cli");
  byok_test_server_release_held (server);
}

static gboolean
name_owned (gpointer data)
{
  return *(char **) data != NULL;
}

static void
on_name_appeared (GDBusConnection *connection,
                  const char      *name,
                  const char      *owner,
                  gpointer         data)
{
  g_free (*(char **) data);
  *(char **) data = g_strdup (owner);
}

/* The process that owns @unique_name on the session bus. */
static GPid
bus_owner_pid (const char *unique_name)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  guint32 pid = 0;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                                       g_variant_new ("(s)", unique_name), G_VARIANT_TYPE ("(u)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &pid);
  return (GPid) pid;
}

/* byok, once it owns its name on the session bus. */
static void
test_app (void)
{
  const char *argv[] = { g_getenv ("BYOK_APP"), NULL };
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "G_MESSAGES_DEBUG", "byok-process", TRUE);
  g_autoptr(GSubprocess) app = NULL;
  g_autofree char *owner = NULL;
  guint watch;

  g_assert_nonnull (argv[0]);
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL || g_getenv ("DISPLAY") == NULL)
    {
      g_test_skip ("starts the app: run it inside build-aux/test-session");
      return;
    }
  watch = g_bus_watch_name (G_BUS_TYPE_SESSION, "io.github.byok.Byok", G_BUS_NAME_WATCHER_FLAGS_NONE,
                            on_name_appeared, NULL, &owner, NULL);
  app = spawn (env, argv);
  wait_for (name_owned, &owner, "byok on the session bus");
  /* Not another Byok left running. */
  g_assert_cmpint (bus_owner_pid (owner), ==, pid_of (app));
  g_bus_unwatch_name (watch);
  assert_no_core_dumps (app, env, "byok");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core-dumps/byok-cli", test_cli);
  g_test_add_func ("/core-dumps/byok", test_app);

  return g_test_run ();
}
