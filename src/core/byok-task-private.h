/* byok-task-private.h — a task whose errors are its own
 *
 * For the core's asynchronous calls that report a cancel themselves, as
 * BYOK_ERROR_CANCELLED (or as what ended the call first), never as GIO's
 * "Operation was cancelled": GTask is told not to check the cancellable.
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

G_END_DECLS
