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

/**
 * byok_file_write_private:
 * @file: the file to write; replaced only once @write succeeded
 * @write: writes the whole content to the stream it is given
 *
 * Writes an export atomically: into a new private file
 * (byok_file_replace_private()) that replaces @file when the stream is
 * closed. When @write fails, the stream is closed after a cancel, so a
 * half-written export never replaces the file.
 *
 * Returns: %TRUE once @file holds the new content, or %FALSE with @error
 */
gboolean
byok_file_write_private (GFile              *file,
                         ByokFileWriteFunc   write,
                         gpointer            user_data,
                         GCancellable       *cancellable,
                         GError            **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (write != NULL, FALSE);

  stream = byok_file_replace_private (file, cancellable, error);
  if (stream == NULL)
    return FALSE;
  if (!write (G_OUTPUT_STREAM (stream), user_data, cancellable, error))
    {
      g_autoptr(GCancellable) abort = g_cancellable_new ();

      g_cancellable_cancel (abort);
      g_output_stream_close (G_OUTPUT_STREAM (stream), abort, NULL);
      return FALSE;
    }
  return g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, error);
}

/**
 * byok_file_write_buffer:
 * @buffer: what to write; emptied once written
 *
 * Writes all of @buffer to @stream, for an export that gathers its text
 * in a buffer and writes it out in large pieces.
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
byok_file_write_buffer (GOutputStream  *stream,
                        GString        *buffer,
                        GCancellable   *cancellable,
                        GError        **error)
{
  if (buffer->len == 0)
    return TRUE;
  if (!g_output_stream_write_all (stream, buffer->str, buffer->len, NULL, cancellable, error))
    return FALSE;
  g_string_truncate (buffer, 0);
  return TRUE;
}
