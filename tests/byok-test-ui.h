/* byok-test-ui.h — helpers the UI tests share: running the main loop until
 * something holds, finding widgets, waiting for a frame, and saving what a
 * test drove a window to as a PNG */
#pragma once

#include <gtk/gtk.h>

#include "byok-chat-page.h"
#include "byok-engine.h"
#include "byok-provider-row.h"
#include "byok-test-server.h"

G_BEGIN_DECLS

/* The main loop runs until @condition holds, with a generous cap on
 * iterations (tests assert behaviour, never timings). */
typedef gboolean (*ByokTestCondition) (gpointer data);

void       byok_test_ui_iterate_until   (ByokTestCondition  condition,
                                         gpointer           data,
                                         const char        *what);
void       byok_test_ui_iterate_pending (void);
void       byok_test_ui_destroy_window  (GtkWidget        **window);
GtkWidget *byok_test_ui_find_descendant (GtkWidget         *widget,
                                         GType              type);
gboolean   byok_test_ui_is_shown        (GtkWidget         *widget,
                                         GtkWidget         *top);
typedef gboolean (*ByokTestWidgetMatch) (GtkWidget     *widget,
                                         gconstpointer  data);

GtkWidget *byok_test_ui_find_first      (GtkWidget          *widget,
                                         ByokTestWidgetMatch match,
                                         gconstpointer       data);
GtkWidget *byok_test_ui_find_shown_label (GtkWidget        *widget,
                                         GtkWidget         *top,
                                         const char        *text);
GtkWidget *byok_test_ui_find_shown_button (GtkWidget       *widget,
                                         GtkWidget         *top,
                                         const char        *label);
GtkWidget *byok_test_ui_find_action_button (GtkWidget      *widget,
                                         GtkWidget         *top,
                                         const char        *action);
GtkWidget *byok_test_ui_find_open       (GType              type);
void       byok_test_ui_collect         (GtkWidget         *widget,
                                         GType              type,
                                         GPtrArray         *out);
GtkLabel  *byok_test_ui_find_text       (GtkWidget         *widget,
                                         const char        *text,
                                         gboolean           whole);
void       byok_test_ui_wait_for_text   (GtkWidget         *root,
                                         const char        *text,
                                         gboolean           whole,
                                         gboolean           mapped);
GtkWidget *byok_test_ui_find_button     (GtkWidget         *widget,
                                         const char        *icon_name,
                                         const char        *label);

/* Dialogs: waiting until one is closed (the caller holds a reference),
 * every response an alert gives, answering one, Enter in a text field. */
void       byok_test_ui_wait_closed      (GtkWidget         *dialog);
GPtrArray *byok_test_ui_record_responses (GtkWidget         *alert);
void       byok_test_ui_answer_alert     (GtkWidget         *alert,
                                          const char        *response);
void       byok_test_ui_enter_answers_alert (GtkWidget      *alert,
                                          GtkWidget         *entry,
                                          const char        *response);
void       byok_test_ui_press_enter      (GtkWidget         *widget);

gboolean   byok_test_ui_chat_page_keys_known (gpointer       page);
gboolean   byok_test_ui_chat_page_idle       (gpointer       page);

void       byok_test_ui_wait_for_status      (ByokProviderRow    *row,
                                              ByokProviderStatus  status);

/* The fixture of the tests of a chat window: a database in a folder of its
 * own, the provider test server, the engine, the window and its chat page */
typedef struct {
  char           *dir;
  char           *db_path;
  ByokTestServer *server;
  ByokEngine     *engine;
  GtkWidget      *window;
  ByokChatPage   *page;
} ByokTestChatFixture;

void       byok_test_chat_fixture_start        (ByokTestChatFixture *fixture,
                                                const char          *name);
void       byok_test_chat_fixture_close_window (ByokTestChatFixture *fixture);
void       byok_test_chat_fixture_finish       (ByokTestChatFixture *fixture);

void byok_test_tolerate_toolkit_bugs (GLogWriterFunc writer);
void byok_test_ui_init               (int             *argc,
                                      char          ***argv,
                                      GLogWriterFunc   writer);

void byok_test_ui_wait_for_paint (GtkWidget  *widget);
void byok_test_ui_screenshot     (GtkWidget  *window,
                                  const char *name);

void byok_test_ui_release_clipboard (GdkDisplay *display);

G_END_DECLS
