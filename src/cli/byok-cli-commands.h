/* byok-cli-commands.h — byok-cli's subcommands on the client: providers,
 * models, chat and keys test, and the engine they open */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* byok-engine.h; not included, so that byok-cli.c needs no core header */
typedef struct _ByokEngine ByokEngine;

/* `byok-cli providers [--json]` */
int         byok_cli_providers   (int     argc,
                                  char  **argv);

/* `byok-cli models [PROVIDER] [--refresh] [--json] [--for USE_CASE]` */
int         byok_cli_models      (int     argc,
                                  char  **argv);

/* `byok-cli balance [PROVIDER] [--json]` */
int         byok_cli_balance     (int     argc,
                                  char  **argv);

/* `byok-cli chat -m [PROVIDER/]MODEL [OPTIONS…] [PROMPT…]` */
int         byok_cli_chat        (int     argc,
                                  char  **argv);

/* `byok-cli keys test PROVIDER [--account NAME]`: argv[0] is "test" */
int         byok_cli_keys_test   (int     argc,
                                  char  **argv);

/* What a command will ask of the keyring, for byok_cli_open_engine() */
typedef enum {
  BYOK_CLI_KEYRING_NONE,      /* nothing, or not before sending */
  BYOK_CLI_KEYRING_ACCOUNTS,  /* a listing without the secrets */
  BYOK_CLI_KEYRING_SECRETS,   /* a listing with them */
} ByokCliKeyring;

/* The engine on the user's database, with BYOK_BASE_URL_<PROVIDER>
 * environment variables applied over the providers' base URLs. A command
 * that lists keys says so in @keyring: the keyring is connected to while
 * the engine's data is read, and the engine has the catalog's providers
 * without their models (BYOK_ENGINE_OPEN_PROVIDERS_ONLY): such a command
 * shows no model and no price. */
ByokEngine *byok_cli_open_engine (ByokCliKeyring   keyring,
                                  GError         **error);

G_END_DECLS
