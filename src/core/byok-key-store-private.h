/* byok-key-store-private.h — what the files of ByokKeyStore share
 *
 * One object split by concern: byok-key-store.c (configuration, the
 * environment, validation, store, delete, default, the blocking helpers)
 * and byok-key-store-list.c (list, lookup and the usable keys).
 */
#pragma once

#include <libsecret/secret.h>

#include "byok-key-store.h"

G_BEGIN_DECLS

/* The keys (provider, account) and the default-account markers. */
extern const SecretSchema _byok_key_schema;
extern const SecretSchema _byok_key_default_schema;

typedef struct {
  char *display_name;
  GStrv env_vars;
  gboolean prefer_environment;
} ProviderInfo;

struct _ByokKeyStore
{
  GObject parent_instance;

  GHashTable *providers;   /* id → ProviderInfo */
  GStrv envp;              /* NULL: the process environment */

  ByokKeyEventSink sink;
  gpointer sink_data;
  GDestroyNotify sink_destroy;
};

int         _byok_key_store_compare_strings           (gconstpointer        a,
                                                       gconstpointer        b);
gboolean    _byok_key_store_validate_names            (const char          *provider_id,
                                                       const char          *account,
                                                       GError             **error);
void        _byok_key_store_task_return_keyring_error (GTask               *task,
                                                       const GError        *error);
GHashTable *_byok_key_store_build_attributes          (const SecretSchema  *schema,
                                                       const char          *provider_id,
                                                       const char          *account);
GError     *_byok_key_store_no_key_error              (ByokKeyStore        *self,
                                                       const char          *provider_id,
                                                       const char          *account);

G_END_DECLS
