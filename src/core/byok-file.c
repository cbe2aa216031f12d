/* byok-file.c — files that hold a person's data are theirs alone */
#define G_LOG_DOMAIN "byok-file"

#include "config.h"

#include <errno.h>
#include <sys/stat.h>
#include <gio/gfiledescriptorbased.h>

#include "byok-file.h"

/**
 * byok_file_replace_private:
 * @file: where to write
 *
 * g_file_replace() for an export: the new file is 0600 before anything is
 * written to it, whatever the umask, and also when it replaces a file that
 * was readable by others (GLib would keep that file's mode). As with
 * g_file_replace(), the old file, if any, is replaced when the stream is
 * closed.
 *
 * Returns: (transfer full): the stream, or %NULL with @error set
 */
GFileOutputStream *
byok_file_replace_private (GFile         *file,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, cancellable, error);
  if (stream == NULL)
    return NULL;

  if (G_IS_FILE_DESCRIPTOR_BASED (stream))
    {
      int fd = g_file_descriptor_based_get_fd (G_FILE_DESCRIPTOR_BASED (stream));

      if (fchmod (fd, S_IRUSR | S_IWUSR) != 0)
        {
          int saved = errno;
          g_autofree char *name = g_file_get_parse_name (file);
          g_autoptr(GCancellable) abort = g_cancellable_new ();

          /* Nothing written: closed after a cancel, the old file stays. */
          g_cancellable_cancel (abort);
          g_output_stream_close (G_OUTPUT_STREAM (stream), abort, NULL);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "%s: %s", name, g_strerror (saved));
          return NULL;
        }
    }
  return g_steal_pointer (&stream);
}
