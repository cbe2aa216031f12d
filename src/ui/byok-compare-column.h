/* byok-compare-column.h — one model's answer in Compare mode
 *
 * A card with its own model picker on top, the answer streaming as
 * Markdown below it (reasoning in a closed expander), and when the call
 * ends the figures that let a person choose: tokens in and out (cached),
 * cost (an unknown price is shown as unknown, never as $0), time to the
 * first token and total time; or the classified error. An answer that
 * finished well offers "Continue in Chat".
 *
 * The column asks the engine with no fallbacks and no conversation, so the
 * comparison is of this model; the engine records the call's usage.
 */
#pragma once

#include <adwaita.h>

#include "byok-engine.h"
#include "byok-message.h"
#include "byok-model-picker.h"

G_BEGIN_DECLS

/* The figures a finished answer is compared by; lower is better. */
typedef enum {
  BYOK_COMPARE_FIGURE_COST,
  BYOK_COMPARE_FIGURE_FIRST_TOKEN,
  BYOK_COMPARE_FIGURE_TOTAL_TIME,
} ByokCompareFigure;

#define BYOK_COMPARE_N_FIGURES (BYOK_COMPARE_FIGURE_TOTAL_TIME + 1)

#define BYOK_TYPE_COMPARE_COLUMN (byok_compare_column_get_type ())
G_DECLARE_FINAL_TYPE (ByokCompareColumn, byok_compare_column, BYOK, COMPARE_COLUMN, AdwBin)

GtkWidget       *byok_compare_column_new             (void);

ByokModelPicker *byok_compare_column_get_picker      (ByokCompareColumn *self);

gboolean         byok_compare_column_start           (ByokCompareColumn *self,
                                                      ByokEngine        *engine,
                                                      ByokChatRequest   *request);
void             byok_compare_column_stop            (ByokCompareColumn *self);
void             byok_compare_column_clear           (ByokCompareColumn *self);

/* Property "busy": a call streams and was not stopped. */
gboolean         byok_compare_column_get_busy        (ByokCompareColumn *self);
const char      *byok_compare_column_get_text        (ByokCompareColumn *self);
const char      *byok_compare_column_get_reasoning   (ByokCompareColumn *self);
const char      *byok_compare_column_get_caption     (ByokCompareColumn *self);
const char      *byok_compare_column_get_error_class (ByokCompareColumn *self);
const char      *byok_compare_column_get_error_message (ByokCompareColumn *self);
const char      *byok_compare_column_get_prompt      (ByokCompareColumn *self);
const char      *byok_compare_column_get_provider_id (ByokCompareColumn *self);
const char      *byok_compare_column_get_model_id    (ByokCompareColumn *self);
ByokMessage     *byok_compare_column_get_answer      (ByokCompareColumn *self);
const gint64    *byok_compare_column_get_usage_ids   (ByokCompareColumn *self,
                                                      guint             *n_ids);

gboolean         byok_compare_column_get_figure      (ByokCompareColumn *self,
                                                      ByokCompareFigure  figure,
                                                      double            *value,
                                                      const char       **text);
void             byok_compare_column_set_best        (ByokCompareColumn *self,
                                                      ByokCompareFigure  figure,
                                                      gboolean           best);

void             byok_compare_column_set_removable   (ByokCompareColumn *self,
                                                      gboolean           removable);
void             byok_compare_column_set_number      (ByokCompareColumn *self,
                                                      guint              number);

G_END_DECLS
