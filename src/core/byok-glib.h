/* byok-glib.h — small GLib helpers the core, the UI and byok-cli share
 *
 * byok_set_str(): a string field replaced by a copy of a value, telling
 * whether it changed (what g_set_str() does from GLib 2.76 on; Debian 12
 * has 2.74), for the setters that notify only on a change.
 *
 * byok_str_is_blank(): whether a text is empty or only ASCII white space
 * (NULL counts as blank), as a form's field or an event's data is read.
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

static inline gboolean
byok_str_is_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

G_END_DECLS
