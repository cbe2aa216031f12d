/* byok-file.h — files that hold a person's data are theirs alone
 *
 * The database, its WAL and shared-memory files, and every export
 * (usage as CSV or JSON, a conversation as Markdown or JSON) hold what a
 * person asked, what the models answered and what it cost: Byok creates
 * them readable and writable by their owner only (0600), whatever the
 * umask, and its data folder 0700. An export replaces its file only once
 * it is complete (byok_file_write_private()).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GFileOutputStream *byok_file_replace_private (GFile         *file,
                                              GCancellable  *cancellable,
                                              GError       **error);

/* Writes the whole of an export to @stream (not closed). */
typedef gboolean (*ByokFileWriteFunc) (GOutputStream  *stream,
                                       gpointer        user_data,
                                       GCancellable   *cancellable,
                                       GError        **error);

gboolean           byok_file_write_private   (GFile              *file,
                                              ByokFileWriteFunc   write,
                                              gpointer            user_data,
                                              GCancellable       *cancellable,
                                              GError            **error);
gboolean           byok_file_write_buffer    (GOutputStream      *stream,
                                              GString            *buffer,
                                              GCancellable       *cancellable,
                                              GError            **error);

G_END_DECLS
