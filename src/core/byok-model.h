/* byok-model.h — one model of one provider
 *
 * What the catalog knows about a model: its display name, context window and
 * output limit, what it can do, what it is recommended for, and its price
 * with where that price came from. A model a provider listed that the
 * catalog does not know has only an id, and every price unknown.
 */
#pragma once

#include <glib-object.h>

#include "byok-price.h"

G_BEGIN_DECLS

typedef enum /*< flags >*/ {
  BYOK_MODEL_CAP_NONE      = 0,
  BYOK_MODEL_CAP_STREAMING = 1 << 0,
  BYOK_MODEL_CAP_REASONING = 1 << 1,  /* thinks; for Zhipu, accepts the thinking switch */
  BYOK_MODEL_CAP_VISION    = 1 << 2,
  BYOK_MODEL_CAP_TOOLS     = 1 << 3,
  BYOK_MODEL_CAP_PDF       = 1 << 4,  /* reads PDF documents */
} ByokModelCapabilities;

/**
 * ByokEffort:
 * @BYOK_EFFORT_DEFAULT: ask for nothing: the model's own default
 * @BYOK_EFFORT_LOW: think briefly
 * @BYOK_EFFORT_MEDIUM: think some
 * @BYOK_EFFORT_HIGH: think hard
 *
 * How much a reasoning model should think, as a person chooses it; each
 * dialect turns it into what the model takes (ByokEffortVia).
 */
typedef enum {
  BYOK_EFFORT_DEFAULT = 0,
  BYOK_EFFORT_LOW,
  BYOK_EFFORT_MEDIUM,
  BYOK_EFFORT_HIGH,
} ByokEffort;

const char *byok_effort_to_string   (ByokEffort   effort);
gboolean    byok_effort_from_string (const char  *str,
                                     ByokEffort  *effort);
const char *byok_effort_get_label   (ByokEffort   effort);

/**
 * ByokEffortVia:
 * @BYOK_EFFORT_VIA_NONE: the model has no effort control
 * @BYOK_EFFORT_VIA_REASONING_EFFORT: `"reasoning_effort"` (OpenAI, xAI)
 * @BYOK_EFFORT_VIA_ADAPTIVE: Anthropic `"thinking": {"type": "adaptive"}`
 *   with `"output_config": {"effort"}`
 * @BYOK_EFFORT_VIA_BUDGET: a token budget: Anthropic `"thinking":
 *   {"type": "enabled", "budget_tokens"}`, Gemini `thinkingBudget`
 * @BYOK_EFFORT_VIA_LEVEL: Gemini `thinkingConfig.thinkingLevel`
 * @BYOK_EFFORT_VIA_OPENROUTER: OpenRouter `"reasoning": {"effort"}`
 */
typedef enum {
  BYOK_EFFORT_VIA_NONE = 0,
  BYOK_EFFORT_VIA_REASONING_EFFORT,
  BYOK_EFFORT_VIA_ADAPTIVE,
  BYOK_EFFORT_VIA_BUDGET,
  BYOK_EFFORT_VIA_LEVEL,
  BYOK_EFFORT_VIA_OPENROUTER,
} ByokEffortVia;

/* The effort values a model accepts on the wire, as a bit set. */
typedef enum /*< flags >*/ {
  BYOK_EFFORT_LEVEL_NONE    = 1 << 0,
  BYOK_EFFORT_LEVEL_MINIMAL = 1 << 1,
  BYOK_EFFORT_LEVEL_LOW     = 1 << 2,
  BYOK_EFFORT_LEVEL_MEDIUM  = 1 << 3,
  BYOK_EFFORT_LEVEL_HIGH    = 1 << 4,
  BYOK_EFFORT_LEVEL_XHIGH   = 1 << 5,
  BYOK_EFFORT_LEVEL_MAX     = 1 << 6,
} ByokEffortLevels;

const char *byok_effort_level_to_string (ByokEffortLevels level);

/**
 * ByokTemperatureRule:
 * @BYOK_TEMPERATURE_ANY: any temperature in the model's range
 * @BYOK_TEMPERATURE_WITHOUT_EFFORT: a temperature only while the model does
 *   not reason (OpenAI GPT-5.1 and later with no reasoning effort)
 * @BYOK_TEMPERATURE_FIXED: none: the model rejects a temperature
 */
typedef enum {
  BYOK_TEMPERATURE_ANY = 0,
  BYOK_TEMPERATURE_WITHOUT_EFFORT,
  BYOK_TEMPERATURE_FIXED,
} ByokTemperatureRule;

/**
 * ByokModelParams:
 * @from_catalog: whether the catalog said; otherwise the dialect's defaults
 * @temperature: which temperature the model takes
 * @temperature_min: the lowest it takes
 * @temperature_max: the highest it takes (OpenAI and Gemini 2, Anthropic 1)
 * @effort_via: how its reasoning effort is set
 * @effort_levels: the effort values it takes (ByokEffortLevels)
 * @effort_default: (nullable): its effort when none is asked for
 *
 * Which request parameters a model accepts (byok_model_get_params()).
 */
typedef struct {
  gboolean             from_catalog;
  ByokTemperatureRule  temperature;
  double               temperature_min;
  double               temperature_max;
  ByokEffortVia        effort_via;
  guint                effort_levels;
  const char          *effort_default;
} ByokModelParams;

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
gboolean               byok_model_is_retired           (ByokModel        *self);

void                   byok_model_get_params           (ByokModel        *self,
                                                        const char       *dialect,
                                                        ByokModelParams  *params);
ByokEffortLevels       byok_model_params_pick_effort   (const ByokModelParams *params,
                                                        ByokEffort        effort);

const ByokPrice       *byok_model_get_price            (ByokModel        *self);
const ByokPrice       *byok_model_get_price_at         (ByokModel        *self,
                                                        const char       *date);
const ByokPrice       *byok_model_get_catalog_price    (ByokModel        *self,
                                                        const char       *date);
const ByokPrice       *byok_model_get_data_price       (ByokModel        *self);
void                   byok_model_set_update_price     (ByokModel        *self,
                                                        const ByokPrice  *price,
                                                        const char       *source,
                                                        const char       *date);
gboolean               byok_model_has_update_price     (ByokModel        *self);
const char            *byok_model_get_price_source     (ByokModel        *self);
const char            *byok_model_get_price_date       (ByokModel        *self);
const char            *byok_model_get_next_price_change (ByokModel       *self,
                                                        ByokPrice        *price);
void                   byok_model_set_price            (ByokModel        *self,
                                                        const ByokPrice  *price,
                                                        const char       *source,
                                                        const char       *date);

gboolean               byok_model_is_from_catalog      (ByokModel        *self);
gboolean               byok_model_is_from_price_data   (ByokModel        *self);
ByokModel             *byok_model_new_from_price_data  (const char       *provider_id,
                                                        const char       *id,
                                                        const char       *name,
                                                        gint64            context_window);
void                   byok_model_set_context_window   (ByokModel        *self,
                                                        gint64            context_window);
gboolean               byok_model_is_listed            (ByokModel        *self);
void                   byok_model_set_listed           (ByokModel        *self,
                                                        gboolean          listed);

void                   byok_today_utc                  (char              out[11]);

gboolean               byok_use_case_is_valid          (const char       *use_case);
const char * const    *byok_use_case_get_all           (void);
const char            *byok_use_case_get_label         (const char       *use_case);

G_END_DECLS
