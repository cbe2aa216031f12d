/* byok-client-private.h — the client's transport, for the rest of the
 * client (byok-client-models.c) */
#pragma once

#include "byok-client.h"
#include "byok-transport-private.h"

G_BEGIN_DECLS

ByokTransport *_byok_client_get_transport (ByokClient *self);

G_END_DECLS
