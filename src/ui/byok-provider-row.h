/* byok-provider-row.h — one provider on the Providers page: its key status,
 * its keys, and its settings, in an expander row */
#pragma once

#include <adwaita.h>

#include "byok-engine.h"

G_BEGIN_DECLS

typedef enum {
  BYOK_PROVIDER_STATUS_LOADING,        /* the keyring has not answered yet */
  BYOK_PROVIDER_STATUS_NOT_SET,        /* no key anywhere */
  BYOK_PROVIDER_STATUS_NO_KEY_NEEDED,  /* Ollama, a custom provider without keys */
  BYOK_PROVIDER_STATUS_ENVIRONMENT,    /* the key in use is from an environment variable */
  BYOK_PROVIDER_STATUS_KEYRING,        /* the key in use is in the keyring, never checked */
  BYOK_PROVIDER_STATUS_CHECKING,       /* a check is running */
  BYOK_PROVIDER_STATUS_VALID,          /* the last check of the key in use worked */
  BYOK_PROVIDER_STATUS_REJECTED,       /* the provider rejected the key in use */
  BYOK_PROVIDER_STATUS_CHECK_FAILED,   /* the last check failed for another reason */
  BYOK_PROVIDER_STATUS_KEYRING_ERROR,  /* the keyring could not be read */
} ByokProviderStatus;

#define BYOK_TYPE_PROVIDER_STATUS (byok_provider_status_get_type ())
GType byok_provider_status_get_type (void) G_GNUC_CONST;

#define BYOK_TYPE_PROVIDER_ROW (byok_provider_row_get_type ())
G_DECLARE_FINAL_TYPE (ByokProviderRow, byok_provider_row, BYOK, PROVIDER_ROW, AdwExpanderRow)

ByokProviderRow    *byok_provider_row_new          (ByokEngine      *engine,
                                                    ByokProvider    *provider);

ByokProvider       *byok_provider_row_get_provider (ByokProviderRow *self);
ByokProviderStatus  byok_provider_row_get_status   (ByokProviderRow *self);

void                byok_provider_row_set_keys     (ByokProviderRow *self,
                                                    GPtrArray       *keys,
                                                    const GError    *keyring_error);
void                byok_provider_row_refresh      (ByokProviderRow *self);
void                byok_provider_row_save_key     (ByokProviderRow *self,
                                                    const char      *input);

G_END_DECLS
