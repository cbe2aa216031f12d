/* startup-byok-harness.c — Byok as `byok` starts it (the same application,
 * window and profile), with one hook for bench-startup's long conversation:
 * once the window shows the conversation it opened and two seconds have
 * passed since start, it says "opened" on stdout, sends one message through
 * the composer and says "sent", then "ended" when the answer has ended.
 * bench-startup reads the process's memory at each line; not a benchmark
 * of its own (make bench runs bench-* only). */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "bench-conversation.h"
#include "byok-application.h"
#include "byok-chat-page.h"
#include "byok-composer.h"
#include "byok-model-picker.h"
#include "byok-test-ui.h"
#include "byok-window.h"

#define SETTLE_US (2 * G_USEC_PER_SEC)

typedef enum {
  WAIT_OPEN,
  WAIT_END,
  DONE,
} Step;

typedef struct {
  GtkApplication *app;
  gint64          started;
  Step            step;
} Harness;

static void
say (const char *line)
{
  printf ("%s\n", line);
  fflush (stdout);
}

static gboolean
step_cb (gpointer data)
{
  Harness *h = data;
  GtkWindow *window = gtk_application_get_active_window (h->app);
  ByokChatPage *page;
  ByokComposer *composer;

  if (window == NULL)
    return G_SOURCE_CONTINUE;
  page = BYOK_CHAT_PAGE (byok_test_ui_find_descendant (GTK_WIDGET (window), BYOK_TYPE_CHAT_PAGE));
  composer = BYOK_COMPOSER (byok_test_ui_find_descendant (GTK_WIDGET (page), BYOK_TYPE_COMPOSER));

  switch (h->step)
    {
    case WAIT_OPEN:
      if (g_get_monotonic_time () < h->started + SETTLE_US ||
          byok_chat_page_get_conversation (page) == NULL || !byok_chat_page_get_keys_known (page))
        return G_SOURCE_CONTINUE;
      say ("opened");
      byok_model_picker_set_selection (byok_composer_get_picker (composer), BENCH_CONVERSATION_PROVIDER,
                                       BENCH_CONVERSATION_MODEL);
      byok_composer_set_text (composer, "Now write it all down: every part, in detail.");
      if (!byok_composer_send (composer))
        {
          g_printerr ("startup-byok-harness: the composer did not send\n");
          h->step = DONE;
          return G_SOURCE_REMOVE;
        }
      say ("sent");
      h->step = WAIT_END;
      return G_SOURCE_CONTINUE;

    case WAIT_END:
      if (byok_chat_page_get_busy (page))
        return G_SOURCE_CONTINUE;
      say ("ended");
      h->step = DONE;
      return G_SOURCE_REMOVE;

    case DONE:
    default:
      return G_SOURCE_REMOVE;
    }
}

static void
activated_cb (GApplication *app,
              Harness      *h)
{
  if (h->step == WAIT_OPEN)
    g_timeout_add (50, step_cb, h);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(ByokApplication) app = NULL;
  Harness h = { NULL, g_get_monotonic_time (), WAIT_OPEN };

  /* As main.c. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = byok_application_new ();
  h.app = GTK_APPLICATION (app);
  g_signal_connect_after (app, "activate", G_CALLBACK (activated_cb), &h);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
