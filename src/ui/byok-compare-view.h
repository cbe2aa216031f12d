/* byok-compare-view.h — Compare mode: one prompt, two to four models
 *
 * A row of two to four equal columns (ByokCompareColumn), each with its own
 * model, under a toolbar that adds columns, and a prompt below them. Compare
 * sends the prompt to every column at once; each streams on its own and
 * ends with its tokens, cost and times, so a person can pick a model on
 * their own question. Stop (or Escape) stops them all and keeps their text.
 *
 * Signal "continue-in-chat" (column): the person wants to go on with the
 * answer of one column in a conversation.
 */
#pragma once

#include <adwaita.h>

#include "byok-attachment-tray.h"
#include "byok-compare-column.h"
#include "byok-engine.h"

G_BEGIN_DECLS

#define BYOK_COMPARE_VIEW_MIN_COLUMNS 2
#define BYOK_COMPARE_VIEW_MAX_COLUMNS 4

#define BYOK_TYPE_COMPARE_VIEW (byok_compare_view_get_type ())
G_DECLARE_FINAL_TYPE (ByokCompareView, byok_compare_view, BYOK, COMPARE_VIEW, AdwBin)

GtkWidget         *byok_compare_view_new            (void);

void               byok_compare_view_set_engine     (ByokCompareView    *self,
                                                     ByokEngine         *engine);
void               byok_compare_view_set_available  (ByokCompareView    *self,
                                                     const char * const *provider_ids);

/* Property "n-columns" */
guint              byok_compare_view_get_n_columns  (ByokCompareView    *self);
void               byok_compare_view_set_n_columns  (ByokCompareView    *self,
                                                     guint               n);
ByokCompareColumn *byok_compare_view_get_column     (ByokCompareView    *self,
                                                     guint               i);

char              *byok_compare_view_dup_prompt     (ByokCompareView    *self);
void               byok_compare_view_set_prompt     (ByokCompareView    *self,
                                                     const char         *text);
gboolean           byok_compare_view_send           (ByokCompareView    *self);
ByokAttachmentTray *byok_compare_view_get_tray      (ByokCompareView    *self);
const char        *byok_compare_view_get_sent       (ByokCompareView    *self,
                                                     GPtrArray         **attachments);
void               byok_compare_view_stop           (ByokCompareView    *self);
/* Property "busy": some column streams. */
gboolean           byok_compare_view_get_busy       (ByokCompareView    *self);
void               byok_compare_view_focus_prompt   (ByokCompareView    *self);

void               byok_compare_view_set_refused    (ByokCompareView    *self,
                                                     const char * const *provider_ids);
void               byok_compare_view_add_toast      (ByokCompareView    *self,
                                                     AdwToast           *toast);

G_END_DECLS
