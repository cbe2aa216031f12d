/* byok-providers-page.h — the Providers page: keys and settings of every
 * provider, and the user's custom providers */
#pragma once

#include <adwaita.h>

#include "byok-engine.h"

G_BEGIN_DECLS

#define BYOK_TYPE_PROVIDERS_PAGE (byok_providers_page_get_type ())
G_DECLARE_FINAL_TYPE (ByokProvidersPage, byok_providers_page, BYOK, PROVIDERS_PAGE, AdwBin)

void        byok_providers_page_set_engine     (ByokProvidersPage *self,
                                                ByokEngine        *engine);
ByokEngine *byok_providers_page_get_engine     (ByokProvidersPage *self);
GtkWidget  *byok_providers_page_get_row        (ByokProvidersPage *self,
                                                const char        *provider_id);
void        byok_providers_page_add_custom     (ByokProvidersPage *self);
void        byok_providers_page_reload_keys    (ByokProvidersPage *self);

G_END_DECLS
