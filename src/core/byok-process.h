/* byok-process.h — what every Byok process does before anything else
 *
 * Keys pass through the memory of byok and byok-cli. A core dump would
 * write that memory to disk, where it outlives the process: both turn core
 * dumps off first thing, as password managers do.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void byok_process_disable_core_dumps (void);

G_END_DECLS
