/* byok-window.h */
#pragma once

#include <adwaita.h>

#include "byok-application.h"
#include "byok-engine.h"

G_BEGIN_DECLS

#define BYOK_TYPE_WINDOW (byok_window_get_type ())
G_DECLARE_FINAL_TYPE (ByokWindow, byok_window, BYOK, WINDOW, AdwApplicationWindow)

ByokWindow *byok_window_new          (ByokApplication *application);
void        byok_window_show_page    (ByokWindow      *self,
                                      const char      *name);
const char *byok_window_get_page     (ByokWindow      *self);
GtkWidget  *byok_window_get_page_widget (ByokWindow   *self,
                                         const char   *name);
ByokEngine *byok_window_get_engine   (ByokWindow      *self);
void        byok_window_set_engine   (ByokWindow      *self,
                                      ByokEngine      *engine);

G_END_DECLS
