/* byok-model-picker.h — pick the provider and model a conversation talks to
 *
 * A menu button showing the chosen model; its popover has a search entry
 * and every model of the available providers, grouped by provider, each
 * with its price per million tokens (input / output) and context window.
 * Which providers are available (they have a key, or need none) is the
 * caller's to say.
 */
#pragma once

#include <adwaita.h>

#include "byok-catalog.h"
#include "byok-pricing.h"
#include "byok-provider-settings.h"

G_BEGIN_DECLS

#define BYOK_TYPE_MODEL_PICKER (byok_model_picker_get_type ())
G_DECLARE_FINAL_TYPE (ByokModelPicker, byok_model_picker, BYOK, MODEL_PICKER, AdwBin)

GtkWidget  *byok_model_picker_new             (void);

void        byok_model_picker_set_catalog     (ByokModelPicker    *self,
                                               ByokCatalog        *catalog,
                                               ByokPricing        *pricing);
void        byok_model_picker_set_available   (ByokModelPicker    *self,
                                               const char * const *provider_ids);
gboolean    byok_model_picker_is_available    (ByokModelPicker    *self,
                                               const char         *provider_id);
void        byok_model_picker_set_refused     (ByokModelPicker    *self,
                                               const char * const *provider_ids);
int         byok_model_picker_get_provider_tier (ByokModelPicker  *self,
                                               ByokProvider       *provider);

/* Properties "provider-id" and "model-id"; "selected" is emitted when the
 * user picks a model (not when the program sets one). */
const char *byok_model_picker_get_provider_id (ByokModelPicker    *self);
const char *byok_model_picker_get_model_id    (ByokModelPicker    *self);
ByokModel  *byok_model_picker_get_model       (ByokModelPicker    *self,
                                               ByokProvider      **provider);
void        byok_model_picker_set_selection   (ByokModelPicker    *self,
                                               const char         *provider_id,
                                               const char         *model_id);
void        byok_model_picker_choose_default  (ByokModelPicker    *self,
                                               const char         *provider_id,
                                               const char         *model_id);
gboolean    byok_model_picker_get_chosen_by_default (ByokModelPicker *self);
char       *byok_model_picker_dup_provider_default (ByokCatalog   *catalog,
                                               ByokProviderSettings *settings,
                                               ByokProvider       *provider);
gboolean    byok_model_picker_select_default  (ByokModelPicker    *self,
                                               ByokProviderSettings *settings);
char       *byok_model_picker_dup_label       (ByokModelPicker    *self,
                                               const char         *provider_id,
                                               const char         *model_id);
void        byok_model_picker_popup           (ByokModelPicker    *self);
void        byok_model_picker_set_show_auto   (ByokModelPicker    *self,
                                               gboolean            show_auto);
void        byok_model_picker_set_compact     (ByokModelPicker    *self,
                                               gboolean            compact);
gboolean    byok_model_picker_get_compact     (ByokModelPicker    *self);
void        byok_model_picker_set_empty_label (ByokModelPicker    *self,
                                               const char         *label);
gboolean    byok_model_picker_is_auto         (ByokModelPicker    *self);

G_END_DECLS
