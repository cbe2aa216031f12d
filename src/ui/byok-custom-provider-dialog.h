/* byok-custom-provider-dialog.h — asks for a custom OpenAI-compatible
 * provider: its name, base URL, whether it needs a key, and the key */
#pragma once

#include "byok-compat.h"

G_BEGIN_DECLS

#define BYOK_CUSTOM_PROVIDER_DIALOG_RESPONSE_ADD "add"

#define BYOK_TYPE_CUSTOM_PROVIDER_DIALOG (byok_custom_provider_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ByokCustomProviderDialog, byok_custom_provider_dialog, BYOK, CUSTOM_PROVIDER_DIALOG, ByokAlertParent)

ByokCustomProviderDialog *byok_custom_provider_dialog_new           (void);

const char               *byok_custom_provider_dialog_get_name      (ByokCustomProviderDialog *self);
const char               *byok_custom_provider_dialog_get_base_url  (ByokCustomProviderDialog *self);
gboolean                  byok_custom_provider_dialog_get_needs_key (ByokCustomProviderDialog *self);
char                     *byok_custom_provider_dialog_take_key      (ByokCustomProviderDialog *self);

G_END_DECLS
