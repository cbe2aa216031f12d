/* byok-what-if-list.h — the Usage page's "what if" list: the period's
 * usage repriced on other models */
#pragma once

#include <adwaita.h>

#include "byok-catalog.h"
#include "byok-what-if.h"

G_BEGIN_DECLS

#define BYOK_TYPE_WHAT_IF_LIST (byok_what_if_list_get_type ())
G_DECLARE_FINAL_TYPE (ByokWhatIfList, byok_what_if_list, BYOK, WHAT_IF_LIST, AdwBin)

void        byok_what_if_list_set_what_if (ByokWhatIfList *self,
                                           ByokWhatIf     *what_if,
                                           ByokCatalog    *catalog);
GtkListBox *byok_what_if_list_get_list    (ByokWhatIfList *self);
char       *byok_what_if_format_delta     (double          delta_usd,
                                           double          delta_ratio);

G_END_DECLS
