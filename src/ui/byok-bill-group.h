/* byok-bill-group.h — the providers' own bills beside Byok's, on Usage */
#pragma once

#include <adwaita.h>

#include "byok-engine.h"

G_BEGIN_DECLS

#define BYOK_TYPE_BILL_GROUP (byok_bill_group_get_type ())
G_DECLARE_FINAL_TYPE (ByokBillGroup, byok_bill_group, BYOK, BILL_GROUP, AdwPreferencesGroup)

void        byok_bill_group_set_engine   (ByokBillGroup *self,
                                          ByokEngine    *engine);
void        byok_bill_group_set_range    (ByokBillGroup *self,
                                          gint64         from_us,
                                          gint64         to_us);
void        byok_bill_group_refresh      (ByokBillGroup *self);
gboolean    byok_bill_group_is_busy      (ByokBillGroup *self);
GtkWidget  *byok_bill_group_get_row      (ByokBillGroup *self,
                                          const char    *provider_id);

G_END_DECLS
