/* byok-preferences-window.h — what the user sets once for every chat
 *
 * One group for now: the fallback models, the GSettings "fallback-chain"
 * list of PROVIDER/MODEL entries tried in order when a call fails in a way
 * another model may not. Rows can be moved up and down and removed; a
 * model picker adds one.
 */
#pragma once

#include "byok-compat.h"

#include "byok-engine.h"

G_BEGIN_DECLS

#define BYOK_TYPE_PREFERENCES_WINDOW (byok_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (ByokPreferencesWindow, byok_preferences_window, BYOK, PREFERENCES_WINDOW, ByokPreferencesParent)

GtkWidget *byok_preferences_window_new     (ByokEngine *engine);
void       byok_preferences_window_present (GtkWidget  *self,
                                            GtkWidget  *parent);

G_END_DECLS
