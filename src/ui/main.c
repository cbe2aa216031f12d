/* main.c — starts the Byok application */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "byok-application.h"
#include "byok-process.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(ByokApplication) app = NULL;

  /* Keys pass through this process: its memory never goes to a core file. */
  byok_process_disable_core_dumps ();

  setlocale (LC_ALL, "");
  /* Run from the build tree (build-aux/run-uninstalled), the catalogs are
   * the ones just built in build/po. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("BYOK_LOCALEDIR") != NULL ? g_getenv ("BYOK_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = byok_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
