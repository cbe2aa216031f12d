/* byok-glib-private.h — small GLib helpers the core's files share
 *
 * _byok_task_new(): a task whose errors are its own, for the core's
 * asynchronous calls that report a cancel themselves, as
 * BYOK_ERROR_CANCELLED (or as what ended the call first), never as GIO's
 * "Operation was cancelled": GTask is told not to check the cancellable.
 *
 * _byok_set_str(): a string field replaced by a copy of a value, telling
 * whether it changed (what g_set_str() does from GLib 2.76 on), for the
 * setters that notify only on a change.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

static inline GTask *
_byok_task_new (gpointer             source_object,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data,
                gpointer             source_tag)
{
  GTask *task = g_task_new (source_object, cancellable, callback, user_data);

  if (source_tag != NULL)
    g_task_set_source_tag (task, source_tag);
  g_task_set_check_cancellable (task, FALSE);
  return task;
}

static inline gboolean
_byok_set_str (char       **field,
               const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

G_END_DECLS
