/* byok-application.h */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BYOK_TYPE_APPLICATION (byok_application_get_type ())
G_DECLARE_FINAL_TYPE (ByokApplication, byok_application, BYOK, APPLICATION, AdwApplication)

ByokApplication *byok_application_new (void);

G_END_DECLS
