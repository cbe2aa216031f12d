/* byok-dialect-anthropic.h — Anthropic Messages API */
#pragma once

#include "byok-dialect.h"

G_BEGIN_DECLS

const ByokDialect *byok_dialect_anthropic_get (void);

G_END_DECLS
