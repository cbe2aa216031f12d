/* byok-cli.c — the headless Byok client: entry point and subcommand dispatch */
#define G_LOG_DOMAIN "byok-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "byok-cli.h"
#include "byok-cli-commands.h"
#include "byok-cli-keys.h"
#include "byok-cli-mcp.h"
#include "byok-cli-usage.h"
#include "byok-process.h"

typedef struct {
  const char *name;
  ByokCliCommandFunc func;
  const char *summary;  /* translatable, marked with N_() */
} ByokCliCommand;

static int
cli_not_built (const char  *name,
               int          argc,
               char       **argv)
{
  g_printerr (_("byok-cli %s: not built yet.\n"), name);
  return 2;
}

static const ByokCliCommand commands[] = {
  { "providers", byok_cli_providers, N_("List providers, their dialect, base URL and key source") },
  { "models",    byok_cli_models, N_("List the models of a provider") },
  { "chat",      byok_cli_chat, N_("Send a prompt and stream the answer") },
  { "keys",      byok_cli_keys, N_("Manage API keys in the desktop keyring") },
  { "usage",     byok_cli_usage, N_("Show what calls cost, by day, provider or model") },
  { "pricing",   byok_cli_pricing, N_("Show, set and reset model prices") },
  { "balance",   byok_cli_balance, N_("Show what is left on provider accounts that tell it") },
  { "mcp",       byok_cli_mcp, N_("Manage the MCP servers that give models tools") },
};

static void
print_help (FILE *out)
{
  fprintf (out, "%s\n", _("Usage: byok-cli COMMAND [OPTIONS…]"));
  fprintf (out, "\n%s\n\n", _("Byok: chat with the LLM providers you bring your own keys for."));
  fprintf (out, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Options:"));
  fprintf (out, "  %-10s %s\n", "--help", _("Show this help"));
  fprintf (out, "  %-10s %s\n", "--version", _("Show the version"));
  fprintf (out, "\n%s\n", _("Run “byok-cli COMMAND --help” for the options of a command."));
}

int
main (int    argc,
      char **argv)
{
  const char *name;

  /* Output is for people and scripts (--json): log lines, debug ones too,
   * go to stderr. */
  g_log_writer_default_set_use_stderr (TRUE);

  /* Keys pass through this process: its memory never goes to a core file. */
  byok_process_disable_core_dumps ();

  setlocale (LC_ALL, "");
  /* Run from the build tree (build-aux/run-uninstalled), the catalogs are
   * the ones just built in build/po. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("BYOK_LOCALEDIR") != NULL ? g_getenv ("BYOK_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_help (stderr);
      return 2;
    }

  name = argv[1];
  if (strcmp (name, "--help") == 0 || strcmp (name, "-h") == 0 || strcmp (name, "help") == 0)
    {
      print_help (stdout);
      return 0;
    }
  if (strcmp (name, "--version") == 0 || strcmp (name, "-V") == 0)
    {
      printf ("byok-cli %s\n", PACKAGE_VERSION);
      return 0;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (strcmp (commands[i].name, name) == 0)
        {
          if (commands[i].func == NULL)
            return cli_not_built (name, argc - 1, argv + 1);
          return commands[i].func (argc - 1, argv + 1);
        }
    }

  g_printerr (_("byok-cli: unknown command “%s”. Run “byok-cli --help” for the list.\n"), name);
  return 2;
}
