/* byok-dialect-gemini.h — Google Gemini generateContent API */
#pragma once

#include "byok-dialect.h"

G_BEGIN_DECLS

const ByokDialect *byok_dialect_gemini_get (void);

G_END_DECLS
