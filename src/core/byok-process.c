/* byok-process.c — what every Byok process does before anything else */
#define G_LOG_DOMAIN "byok-process"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "byok-process.h"

/**
 * byok_process_disable_core_dumps:
 *
 * Call first in main(). The core size limit goes to zero, soft and hard
 * (so neither the process nor what it starts can raise it again), and on
 * Linux the process becomes non-dumpable: no core file even where the
 * system pipes cores to a collector that ignores the limit, and other
 * processes of the same user can no longer attach to it or read its
 * memory through /proc. Debuggers still work on a process they start.
 */
void
byok_process_disable_core_dumps (void)
{
  const struct rlimit none = { 0, 0 };

  struct rlimit now = { RLIM_INFINITY, RLIM_INFINITY };
  int dumpable = -1;

  if (setrlimit (RLIMIT_CORE, &none) != 0)
    g_debug ("could not set the core size limit to 0: %s", g_strerror (errno));
#ifdef __linux__
  if (prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    g_debug ("could not make the process non-dumpable: %s", g_strerror (errno));
  dumpable = prctl (PR_GET_DUMPABLE, 0, 0, 0, 0);
#endif

  /* What the kernel says now (tests read it). */
  getrlimit (RLIMIT_CORE, &now);
  g_debug ("core dumps off: core size limit %llu/%llu, dumpable %d",
           (unsigned long long) now.rlim_cur, (unsigned long long) now.rlim_max, dumpable);
}
