/* byok-cli-keys-test.c — `byok-cli keys test PROVIDER`: proves a key with
 * the cheapest call that does, and records the check as a key event */
#define G_LOG_DOMAIN "byok-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "byok-cli-commands.h"
#include "byok-cli-util.h"
#include "byok-engine.h"
#include "byok-error.h"

int
byok_cli_keys_test (int    argc,
                    char **argv)
{
  g_autofree char *account = NULL;
  gboolean allow_http = FALSE;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account,
      N_("Test this keyring key rather than the one calls use"), N_("NAME") },
    BYOK_CLI_ALLOW_HTTP_ENTRY (&allow_http),
    { NULL }
  };
  g_autoptr(ByokEngine) engine = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char **args = NULL;
  ByokCatalog *catalog;
  const char *provider_id;
  int n_models = -1;
  int status;

  /* So that help and errors say "byok-cli keys test". */
  args = g_new0 (char *, argc + 1);
  for (int i = 0; i < argc; i++)
    args[i] = argv[i];
  args[0] = (char *) "keys test";
  argv = args;

  if (!byok_cli_parse_options (&argc, &argv, N_("PROVIDER"),
                               _("Check that a key works, with the cheapest call that proves it "
                                 "(usually the provider’s model list). The key itself is never shown."),
                               entries, &status))
    return status;
  if (argc < 2)
    return byok_cli_usage_error ("keys test", _("name the provider whose key to test"));
  if (argc > 2)
    return byok_cli_usage_error ("keys test", _("unexpected argument “%s”"), argv[2]);
  provider_id = argv[1];

  engine = byok_cli_open_engine (BYOK_CLI_KEYRING_NONE, &error);
  if (engine == NULL)
    return byok_cli_fail (error);
  catalog = byok_engine_get_catalog (engine);
  if (byok_catalog_lookup_provider (catalog, provider_id) == NULL ||
      g_str_equal (provider_id, BYOK_CATALOG_CUSTOM_TEMPLATE_ID))
    {
      g_set_error (&error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("There is no provider “%s”. Run “byok-cli providers” for the list."), provider_id);
      return byok_cli_fail (error);
    }

  if (allow_http)
    byok_cli_allow_http (engine);
  byok_client_check_key_async (byok_engine_get_client (engine), provider_id, account, NULL, NULL,
                               byok_cli_store_result, &result);
  if (!byok_client_check_key_finish (byok_engine_get_client (engine), byok_cli_wait (&result),
                                     &n_models, &error))
    {
      if (g_error_matches (error, BYOK_ERROR, BYOK_ERROR_AUTH) ||
          g_error_matches (error, BYOK_ERROR, BYOK_ERROR_QUOTA))
        {
          /* Translators: %s says why, e.g. "Moonshot rejected the key (401)…" */
          g_printerr (_("Rejected: %s\n"), error->message);
          return BYOK_CLI_EXIT_FAILED;
        }
      return byok_cli_fail (error);
    }

  message = byok_client_describe_key_check (n_models);
  printf ("%s\n", message);
  return BYOK_CLI_EXIT_OK;
}
