/* byok-cli.h — what the subcommands of byok-cli share */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A subcommand: argv[0] is the command's name; returns the exit status
 * (0 ok, 1 the operation failed, 2 bad usage). */
typedef int (*ByokCliCommandFunc) (int argc, char **argv);

G_END_DECLS
