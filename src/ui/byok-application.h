/* byok-application.h */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BYOK_TYPE_APPLICATION (byok_application_get_type ())
G_DECLARE_FINAL_TYPE (ByokApplication, byok_application, BYOK, APPLICATION, AdwApplication)

typedef struct _ByokEngine ByokEngine;
typedef struct _ByokMcpToolRunner ByokMcpToolRunner;

ByokApplication   *byok_application_new              (void);
ByokEngine        *byok_application_get_engine       (ByokApplication *self);
ByokMcpToolRunner *byok_application_get_tool_runner  (ByokApplication *self);

G_END_DECLS
