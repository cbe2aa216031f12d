/* byok-usage-page.h */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BYOK_TYPE_USAGE_PAGE (byok_usage_page_get_type ())
G_DECLARE_FINAL_TYPE (ByokUsagePage, byok_usage_page, BYOK, USAGE_PAGE, AdwBin)

G_END_DECLS
