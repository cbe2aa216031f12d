/* byok-glib.h — small GLib helpers the core, the UI and byok-cli share
 *
 * byok_set_str(): a string field replaced by a copy of a value, telling
 * whether it changed (what g_set_str() does from GLib 2.76 on; Debian 12
 * has 2.74), for the setters that notify only on a change.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

static inline gboolean
byok_set_str (char       **field,
              const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

G_END_DECLS
