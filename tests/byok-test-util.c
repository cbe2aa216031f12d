/* byok-test-util.c — small helpers several tests share */
#include "config.h"

#include "byok-test-util.h"

/**
 * byok_test_deep_json:
 * @depth: how deep
 *
 * Returns: (transfer full): {"deep":[[[…]]]}, its arrays nested @depth
 *   deep: what a hostile server sends to overflow a recursive parser.
 */
char *
byok_test_deep_json (guint depth)
{
  GString *json = g_string_new ("{\"deep\":");

  for (guint i = 0; i < depth; i++)
    g_string_append_c (json, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (json, ']');
  g_string_append_c (json, '}');
  return g_string_free (json, FALSE);
}
