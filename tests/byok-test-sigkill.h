/* byok-test-sigkill.h — a child process that records usage rows, each
 * reported on its stdout once committed, until the test kills it */
#pragma once

#include "byok-usage-store.h"

G_BEGIN_DECLS

ByokUsageStore *byok_test_child_open_store (const char         *path);
gboolean        byok_test_child_record     (ByokUsageStore     *store,
                                            const ByokUsageRecord *record);
GArray         *byok_test_kill_child_after (const char * const *argv,
                                            guint               kill_after);

G_END_DECLS
