/* byok-model.h — one model of one provider
 *
 * What the catalog knows about a model: its display name, context window and
 * output limit, what it can do, what it is recommended for, and its price
 * with where that price came from. A model a provider listed that the
 * catalog does not know has only an id, and every price unknown.
 */
#pragma once

#include <glib-object.h>

#include "byok-pricing.h"

G_BEGIN_DECLS

typedef enum /*< flags >*/ {
  BYOK_MODEL_CAP_NONE      = 0,
  BYOK_MODEL_CAP_STREAMING = 1 << 0,
  BYOK_MODEL_CAP_REASONING = 1 << 1,  /* thinks; for Zhipu, accepts the thinking switch */
  BYOK_MODEL_CAP_VISION    = 1 << 2,
  BYOK_MODEL_CAP_TOOLS     = 1 << 3,
} ByokModelCapabilities;

/* The use cases of "recommended_for", for byok_catalog_recommend(). */
#define BYOK_USE_CASE_GENERAL        "general"
#define BYOK_USE_CASE_CODING         "coding"
#define BYOK_USE_CASE_REASONING      "reasoning"
#define BYOK_USE_CASE_LONG_DOCUMENTS "long-documents"
#define BYOK_USE_CASE_CHINESE        "chinese"
#define BYOK_USE_CASE_CHEAP_BULK     "cheap-bulk"

/* The rank of a model the catalog gives none (sorts last). */
#define BYOK_MODEL_NO_RANK G_MAXINT

#define BYOK_TYPE_MODEL (byok_model_get_type ())
G_DECLARE_FINAL_TYPE (ByokModel, byok_model, BYOK, MODEL, GObject)

ByokModel             *byok_model_new                  (const char       *provider_id,
                                                        const char       *id);

const char            *byok_model_get_id               (ByokModel        *self);
const char            *byok_model_get_provider_id      (ByokModel        *self);
const char            *byok_model_get_name             (ByokModel        *self);
const char * const    *byok_model_get_aliases          (ByokModel        *self);
gboolean               byok_model_matches              (ByokModel        *self,
                                                        const char       *id_or_alias);
gint64                 byok_model_get_context_window   (ByokModel        *self);
gint64                 byok_model_get_max_output       (ByokModel        *self);
ByokModelCapabilities  byok_model_get_capabilities     (ByokModel        *self);
gboolean               byok_model_has_capability       (ByokModel        *self,
                                                        ByokModelCapabilities cap);
const char * const    *byok_model_get_recommended_for  (ByokModel        *self);
gboolean               byok_model_is_recommended_for   (ByokModel        *self,
                                                        const char       *use_case);
int                    byok_model_get_rank             (ByokModel        *self);
const char            *byok_model_get_deprecation_date (ByokModel        *self);

const ByokPrice       *byok_model_get_price            (ByokModel        *self);
const char            *byok_model_get_price_source     (ByokModel        *self);
const char            *byok_model_get_price_date       (ByokModel        *self);
void                   byok_model_set_price            (ByokModel        *self,
                                                        const ByokPrice  *price,
                                                        const char       *source,
                                                        const char       *date);

gboolean               byok_model_is_from_catalog      (ByokModel        *self);
gboolean               byok_model_is_listed            (ByokModel        *self);
void                   byok_model_set_listed           (ByokModel        *self,
                                                        gboolean          listed);

gboolean               byok_use_case_is_valid          (const char       *use_case);
const char * const    *byok_use_case_get_all           (void);
const char            *byok_use_case_get_label         (const char       *use_case);

G_END_DECLS
