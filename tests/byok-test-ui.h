/* byok-test-ui.h — helpers the UI tests share: waiting for a frame, and
 * saving what a test drove a window to as a PNG */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void byok_test_ui_wait_for_paint (GtkWidget  *widget);
void byok_test_ui_screenshot     (GtkWidget  *window,
                                  const char *name);

G_END_DECLS
