/* byok-cli-keys.h — `byok-cli keys`: list, set, delete (and test) API keys */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int byok_cli_keys (int    argc,
                   char **argv);

G_END_DECLS
