/* byok-price-update-dialog.h — what a price update changes, before it does
 *
 * Lists the new models, the prices that change (old → new) and the models
 * that go, and answers "apply" or "cancel". Applying is the caller's
 * (byok_engine_apply_price_update()).
 */
#pragma once

#include "byok-compat.h"

#include "byok-catalog.h"
#include "byok-price-update.h"

G_BEGIN_DECLS

#define BYOK_TYPE_PRICE_UPDATE_DIALOG (byok_price_update_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ByokPriceUpdateDialog, byok_price_update_dialog, BYOK, PRICE_UPDATE_DIALOG, ByokAlertParent)

GtkWidget       *byok_price_update_dialog_new        (ByokPriceUpdate *update,
                                                      ByokCatalog     *catalog);
ByokPriceUpdate *byok_price_update_dialog_get_update (ByokPriceUpdateDialog *self);

G_END_DECLS
