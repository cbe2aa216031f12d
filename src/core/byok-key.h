/* byok-key.h — one API key as ByokKeyStore found it
 *
 * A ByokKey says where a key came from (a keyring account, or an environment
 * variable) and holds the secret in non-pageable memory, wiped when the
 * object is finalized. The secret is deliberately not a GObject property:
 * get it with byok_key_get_secret() only where it is sent to the provider.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  BYOK_KEY_SOURCE_KEYRING,      /* the desktop keyring (Secret Service) */
  BYOK_KEY_SOURCE_ENVIRONMENT,  /* an environment variable; read-only */
} ByokKeySource;

#define BYOK_TYPE_KEY_SOURCE (byok_key_source_get_type ())
GType byok_key_source_get_type (void) G_GNUC_CONST;

#define BYOK_TYPE_KEY (byok_key_get_type ())
G_DECLARE_FINAL_TYPE (ByokKey, byok_key, BYOK, KEY, GObject)

ByokKey       *byok_key_new              (const char    *provider_id,
                                          const char    *account,
                                          ByokKeySource  source,
                                          const char    *env_var,
                                          const char    *secret);
ByokKey       *byok_key_new_take_secret  (const char    *provider_id,
                                          const char    *account,
                                          ByokKeySource  source,
                                          const char    *env_var,
                                          char          *secret);
ByokKey       *byok_key_new_without_secret (const char    *provider_id,
                                            const char    *account);

const char    *byok_key_get_provider     (ByokKey       *self);
const char    *byok_key_get_account      (ByokKey       *self);
ByokKeySource  byok_key_get_source       (ByokKey       *self);
const char    *byok_key_get_env_var      (ByokKey       *self);
const char    *byok_key_get_secret       (ByokKey       *self);
const char    *byok_key_get_masked       (ByokKey       *self);
gboolean       byok_key_get_is_default   (ByokKey       *self);
gboolean       byok_key_get_is_active    (ByokKey       *self);
char          *byok_key_dup_source_label (ByokKey       *self);
void           byok_key_wipe             (ByokKey       *self);

/* For ByokKeyStore: set while it sorts out which key is which. */
void           byok_key_set_is_default   (ByokKey       *self,
                                          gboolean       is_default);
void           byok_key_set_is_active    (ByokKey       *self,
                                          gboolean       is_active);

G_END_DECLS
