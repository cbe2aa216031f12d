/* byok-test-util.h — small helpers several tests share */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *byok_test_deep_json             (guint depth);
void  byok_test_tolerate_toolkit_bugs (GLogWriterFunc writer);

G_END_DECLS
