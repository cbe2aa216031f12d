/* byok-summary-card.h — a card with a caption, a large figure and a detail line */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BYOK_TYPE_SUMMARY_CARD (byok_summary_card_get_type ())
G_DECLARE_FINAL_TYPE (ByokSummaryCard, byok_summary_card, BYOK, SUMMARY_CARD, AdwBin)

GtkWidget  *byok_summary_card_new        (const char      *title,
                                          const char      *value,
                                          const char      *detail);

const char *byok_summary_card_get_title  (ByokSummaryCard *self);
void        byok_summary_card_set_title  (ByokSummaryCard *self,
                                          const char      *title);
const char *byok_summary_card_get_value  (ByokSummaryCard *self);
void        byok_summary_card_set_value  (ByokSummaryCard *self,
                                          const char      *value);
const char *byok_summary_card_get_detail (ByokSummaryCard *self);
void        byok_summary_card_set_detail (ByokSummaryCard *self,
                                          const char      *detail);

G_END_DECLS
