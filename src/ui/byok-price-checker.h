/* byok-price-checker.h — keeps prices and models current
 *
 * A button ("Check for Updates") beside the price table that fetches the
 * price list (the "price-list-url" setting), and shows what it changes in
 * a ByokPriceUpdateDialog before anything applies. With "Keep prices and
 * models current" on (Preferences), it also checks by itself once a day;
 * when the list changes something, a toast offers to review it.
 */
#pragma once

#include <adwaita.h>

#include "byok-engine.h"

G_BEGIN_DECLS

#define BYOK_TYPE_PRICE_CHECKER (byok_price_checker_get_type ())
G_DECLARE_FINAL_TYPE (ByokPriceChecker, byok_price_checker, BYOK, PRICE_CHECKER, GtkButton)

void       byok_price_checker_set_engine (ByokPriceChecker *self,
                                          ByokEngine       *engine);
void       byok_price_checker_check      (ByokPriceChecker *self,
                                          gboolean          automatic);
gboolean   byok_price_checker_get_busy   (ByokPriceChecker *self);
GtkWidget *byok_price_checker_get_dialog (ByokPriceChecker *self);

G_END_DECLS
