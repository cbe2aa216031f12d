/* byok-test-util.c — small helpers several tests share */
#include "config.h"

#include <string.h>

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

/* GTK 4.24's X11 backend marks one frame as submitted twice whenever a
 * popover is shown on a display without a compositor (Xvfb): the surface
 * and the display code both submit it. It says so with a Gdk warning that
 * no application code can cause or avoid; every other warning stays fatal. */
static gboolean
fatal_unless_known_toolkit_bug (const char     *log_domain,
                                GLogLevelFlags  log_level,
                                const char     *message,
                                gpointer        user_data)
{
  if (g_strcmp0 (log_domain, "Gdk") == 0 && (log_level & G_LOG_LEVEL_WARNING) &&
      message != NULL && strstr (message, "gdk_frame_timings_submitted() called on submitted frame") != NULL)
    return FALSE;
  return TRUE;
}

/**
 * byok_test_tolerate_toolkit_bugs:
 *
 * For UI tests: a warning GTK gives about its own state on Xvfb, whatever
 * Byok does (see above), is printed but does not abort the test.
 */
void
byok_test_tolerate_toolkit_bugs (void)
{
  g_test_log_set_fatal_handler (fatal_unless_known_toolkit_bug, NULL);
}
