/* byok-providers-page.h */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BYOK_TYPE_PROVIDERS_PAGE (byok_providers_page_get_type ())
G_DECLARE_FINAL_TYPE (ByokProvidersPage, byok_providers_page, BYOK, PROVIDERS_PAGE, AdwBin)

G_END_DECLS
