/* byok-test-clipboard-owner.c — another application on the display that
 * puts a PNG on the clipboard, as a screenshot tool does
 *
 *   byok-test-clipboard-owner FILE.png
 *
 * Offers FILE's bytes as "image/png" on the display's clipboard, prints
 * "ready" on stdout and keeps them offered until its stdin closes.
 * test-chat-page pastes them: GDK in Byok then sees a clipboard that is
 * not its own.
 */
#include "config.h"

#include <stdio.h>
#include <gtk/gtk.h>

static gboolean
stdin_closed_cb (GIOChannel   *channel,
                 GIOCondition  condition,
                 gpointer      loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GdkContentProvider) provider = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GIOChannel) input = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (argc != 2)
    {
      fprintf (stderr, "usage: %s FILE.png\n", argv[0]);
      return 2;
    }
  gtk_init ();
  if (!g_file_get_contents (argv[1], &contents, &length, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  png = g_bytes_new_take (contents, length);
  provider = gdk_content_provider_new_for_bytes ("image/png", png);
  gdk_clipboard_set_content (gdk_display_get_clipboard (gdk_display_get_default ()), provider);

  loop = g_main_loop_new (NULL, FALSE);
  input = g_io_channel_unix_new (0);
  g_io_add_watch (input, G_IO_IN | G_IO_HUP | G_IO_ERR, stdin_closed_cb, loop);
  /* Ours once the X server has said so. */
  gdk_display_sync (gdk_display_get_default ());
  printf ("ready\n");
  fflush (stdout);
  g_main_loop_run (loop);
  return 0;
}
