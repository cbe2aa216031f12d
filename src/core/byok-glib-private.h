/* byok-glib-private.h — small GLib helpers the core's files share
 *
 * _byok_task_new(): a task whose errors are its own, for the core's
 * asynchronous calls that report a cancel themselves, as
 * BYOK_ERROR_CANCELLED (or as what ended the call first), never as GIO's
 * "Operation was cancelled": GTask is told not to check the cancellable.
 *
 * _byok_edit_distance(): how far apart two names are, for "did you
 * mean …?" (the catalog's models, a provider's not-found error).
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

/* The Levenshtein distance between the first @la bytes of @a and the
 * first @lb of @b, ASCII case ignored. */
static inline guint
_byok_edit_distance (const char *a,
                     gsize       la,
                     const char *b,
                     gsize       lb)
{
  g_autofree guint *row = g_new (guint, lb + 1);

  for (gsize j = 0; j <= lb; j++)
    row[j] = (guint) j;

  for (gsize i = 1; i <= la; i++)
    {
      guint diagonal = row[0];

      row[0] = (guint) i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint above = row[j];
          guint cost = g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 0 : 1;
          guint best = MIN (above + 1, row[j - 1] + 1);

          row[j] = MIN (best, diagonal + cost);
          diagonal = above;
        }
    }
  return row[lb];
}

G_END_DECLS
