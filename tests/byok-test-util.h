/* byok-test-util.h — small helpers several tests share */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *byok_test_deep_json (guint depth);

G_END_DECLS
