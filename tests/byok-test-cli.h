/* byok-test-cli.h — running byok-cli from a test: its environment, and a
 * run whose output is kept while this process serves the test server */
#pragma once

#include <gio/gio.h>

#include "byok-test-server.h"

G_BEGIN_DECLS

typedef struct {
  char *out;
  char *err;
  int   status;   /* its exit status; -1 when it did not exit */
} ByokTestCliRun;

/* The fixture of a test of byok-cli: the provider test server, a folder
 * for the run's home and data, and its environment */
typedef struct {
  ByokTestServer  *server;
  char            *dir;
  char           **env;
} ByokTestCliFixture;

void            byok_test_cli_fixture_set_up    (ByokTestCliFixture *fixture,
                                                 const char         *name);
void            byok_test_cli_fixture_tear_down (ByokTestCliFixture *fixture,
                                                 gconstpointer       data);

void            byok_test_cli_run_free    (ByokTestCliRun     *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokTestCliRun, byok_test_cli_run_free)

char          **byok_test_cli_environ     (const char         *home);
GSubprocess    *byok_test_cli_launch      (GSubprocessLauncher *launcher,
                                           const char * const *args);
GSubprocess    *byok_test_cli_spawn       (const char * const *env,
                                           int                 stdin_fd,
                                           GSubprocessFlags    flags,
                                           const char * const *args);
ByokTestCliRun *byok_test_cli_communicate (GSubprocess        *process,
                                           const char         *input);
ByokTestCliRun *byok_test_cli_run         (const char * const *env,
                                           const char         *input,
                                           const char * const *args);
ByokTestCliRun *byok_test_cli_launch_va   (GSubprocessLauncher *launcher,
                                           const char         *input,
                                           const char         *first,
                                           va_list             args);
ByokTestCliRun *byok_test_cli_run_va      (const char * const *env,
                                           const char         *input,
                                           va_list             args);

G_END_DECLS
