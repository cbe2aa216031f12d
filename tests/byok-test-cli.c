/* byok-test-cli.c — running byok-cli from a test */
#include "config.h"

#include "byok-test-cli.h"
#include "byok-test-util.h"

void
byok_test_cli_run_free (ByokTestCliRun *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

/**
 * byok_test_cli_environ:
 * @home: the run's home, config and cache folder; its data folder is
 *   @home/data
 *
 * Returns: (transfer full): this process's environment without any
 *   `*_API_KEY` or `BYOK_BASE_URL_*` (no key of the developer's, nor of
 *   another test, may leak in) nor G_MESSAGES_DEBUG, in English
 */
char **
byok_test_cli_environ (const char *home)
{
  g_auto(GStrv) names = g_listenv ();
  g_autofree char *data_home = g_build_filename (home, "data", NULL);
  char **env = g_get_environ ();

  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_has_suffix (names[i], "_API_KEY") || g_str_has_prefix (names[i], "BYOK_BASE_URL_"))
      env = g_environ_unsetenv (env, names[i]);
  env = g_environ_setenv (env, "HOME", home, TRUE);
  env = g_environ_setenv (env, "XDG_DATA_HOME", data_home, TRUE);
  env = g_environ_setenv (env, "XDG_CONFIG_HOME", home, TRUE);
  env = g_environ_setenv (env, "XDG_CACHE_HOME", home, TRUE);
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  env = g_environ_setenv (env, "LANGUAGE", "", TRUE);
  env = g_environ_unsetenv (env, "G_MESSAGES_DEBUG");
  return env;
}

/**
 * byok_test_cli_fixture_set_up:
 * @name: what the test is, for its folder's name
 *
 * A new test server, a new folder, and byok_test_cli_environ() of it.
 */
void
byok_test_cli_fixture_set_up (ByokTestCliFixture *fixture,
                              const char         *name)
{
  fixture->server = byok_test_server_new ();
  fixture->dir = byok_test_make_dir (name);
  fixture->env = byok_test_cli_environ (fixture->dir);
}

void
byok_test_cli_fixture_tear_down (ByokTestCliFixture *fixture,
                                 gconstpointer       data)
{
  g_clear_object (&fixture->server);
  byok_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_strfreev (fixture->env);
}

/**
 * byok_test_cli_launch:
 * @args: its arguments after the program's name, %NULL-ended
 *
 * Returns: (transfer full): byok-cli (BYOK_CLI) started by @launcher
 *   with @args
 */
GSubprocess *
byok_test_cli_launch (GSubprocessLauncher *launcher,
                      const char * const  *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("BYOK_CLI");
  GSubprocess *process;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

/**
 * byok_test_cli_spawn:
 * @env: (nullable): its environment; %NULL: this process's
 * @stdin_fd: a file descriptor its stdin takes (and closes), or -1
 * @args: its arguments after the program's name, %NULL-ended
 *
 * Returns: (transfer full): byok-cli (BYOK_CLI) started with @args
 */
GSubprocess *
byok_test_cli_spawn (const char * const *env,
                     int                 stdin_fd,
                     GSubprocessFlags    flags,
                     const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);

  if (env != NULL)
    g_subprocess_launcher_set_environ (launcher, (char **) env);
  if (stdin_fd >= 0)
    g_subprocess_launcher_take_stdin_fd (launcher, stdin_fd);
  return byok_test_cli_launch (launcher, args);
}

/**
 * byok_test_cli_communicate:
 * @process: byok-cli, its stdout and stderr pipes
 * @input: (nullable): what it reads on its stdin pipe, then end of file
 *   (%NULL when its stdin is no pipe)
 *
 * Runs the main loop (a test server may be answering it) until @process
 * ends.
 *
 * Returns: (transfer full): what it printed and its exit status
 */
ByokTestCliRun *
byok_test_cli_communicate (GSubprocess *process,
                           const char  *input)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ByokTestCliRun *run = g_new0 (ByokTestCliRun, 1);

  g_subprocess_communicate_utf8_async (process, input, NULL, byok_test_store_result, &result);
  byok_test_wait_result (&result);
  g_subprocess_communicate_utf8_finish (process, result, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, NULL);
  run->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  g_test_message ("byok-cli → %d\n--- stdout\n%s--- stderr\n%s", run->status,
                  run->out != NULL ? run->out : "", run->err != NULL ? run->err : "");
  return run;
}

/**
 * byok_test_cli_run:
 * @env: (nullable): its environment; %NULL: this process's
 * @input: (nullable): what it reads on stdin (a pipe): %NULL for nothing
 * @args: its arguments, %NULL-ended
 *
 * Returns: (transfer full): what byok-cli with @args printed and its exit
 *   status; the main loop runs meanwhile
 */
ByokTestCliRun *
byok_test_cli_run (const char * const *env,
                   const char         *input,
                   const char * const *args)
{
  g_autoptr(GSubprocess) process =
    byok_test_cli_spawn (env, -1, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                  G_SUBPROCESS_FLAGS_STDERR_PIPE, args);

  return byok_test_cli_communicate (process, input != NULL ? input : "");
}

/* byok_test_cli_run() with the arguments in @args, up to NULL */
ByokTestCliRun *
byok_test_cli_run_va (const char * const *env,
                      const char         *input,
                      va_list             args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  for (const char *arg = va_arg (args, const char *); arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  g_ptr_array_add (argv, NULL);
  return byok_test_cli_run (env, input, (const char * const *) argv->pdata);
}

/**
 * byok_test_cli_launch_va:
 * @launcher: its flags and environment
 * @input: (nullable): what it reads on its stdin pipe (%NULL when
 *   @launcher gives it none)
 * @first: (nullable): its first argument, before those in @args
 * @args: its further arguments, up to NULL
 *
 * Returns: (transfer full): what byok-cli printed and its exit status; the
 *   main loop runs meanwhile
 */
ByokTestCliRun *
byok_test_cli_launch_va (GSubprocessLauncher *launcher,
                         const char          *input,
                         const char          *first,
                         va_list              args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;

  if (first != NULL)
    g_ptr_array_add (argv, (char *) first);
  for (const char *arg = va_arg (args, const char *); arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  g_ptr_array_add (argv, NULL);
  process = byok_test_cli_launch (launcher, (const char * const *) argv->pdata);
  return byok_test_cli_communicate (process, input);
}
