/* byok-key-row.h — one key of a provider on the Providers page: where it
 * is, masked, with its last check, and buttons to check or delete it */
#pragma once

#include <adwaita.h>

#include "byok-key.h"

G_BEGIN_DECLS

#define BYOK_TYPE_KEY_ROW (byok_key_row_get_type ())
G_DECLARE_FINAL_TYPE (ByokKeyRow, byok_key_row, BYOK, KEY_ROW, AdwActionRow)

GtkWidget  *byok_key_row_new           (ByokKey    *key,
                                        const char *check_summary);

ByokKey    *byok_key_row_get_key       (ByokKeyRow *self);
void        byok_key_row_set_can_check (ByokKeyRow *self,
                                        gboolean    can_check);

G_END_DECLS
