/* byok-dialect-openai.h — OpenAI and compatible providers (DeepSeek, Moonshot, Zhipu, OpenRouter, Groq, Azure, Mistral, xAI, Ollama) */
#pragma once

#include "byok-dialect.h"

G_BEGIN_DECLS

const ByokDialect *byok_dialect_openai_get (void);

G_END_DECLS
