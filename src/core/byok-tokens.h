/* byok-tokens.h — how many tokens a text takes, estimated
 *
 * Byok's one estimate of a text's size in tokens, used before a call (the
 * prompt's size, Auto's choice, the cost preview) and when a provider
 * answers without a usage report. It depends on nothing else in the core,
 * so what is attached to a message (byok-attachment) and the router can
 * both count with it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gint64 byok_estimate_tokens (const char *text,
                             gssize      length);

G_END_DECLS
