/* byok-key-store-private.h — what the files of ByokKeyStore share
 *
 * One object split by concern: byok-key-store.c (configuration, the
 * environment, validation, store, delete, default, the blocking helpers),
 * byok-key-store-list.c (list, lookup and the usable keys) and
 * byok-key-store-admin.c (a provider's admin key, for its bill).
 */
#pragma once

#include <libsecret/secret.h>

#include "byok-glib-private.h"
#include "byok-key-store.h"

G_BEGIN_DECLS

/* The keys (provider, account), the default-account markers, and the
 * admin keys (provider; byok-key-store-admin.c), never used for chat. */
extern const SecretSchema _byok_key_schema;
extern const SecretSchema _byok_key_default_schema;
extern const SecretSchema _byok_key_admin_schema;

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
gboolean    _byok_key_store_task_check_input          (GTask               *task,
                                                       const char          *provider_id,
                                                       const char          *account,
                                                       gboolean             with_secret,
                                                       const char          *secret);
GHashTable *_byok_key_store_build_attributes          (const SecretSchema  *schema,
                                                       const char          *provider_id,
                                                       const char          *account);
gboolean    _byok_key_store_validate_secret           (const char          *secret,
                                                       GError             **error);
void        _byok_key_store_wait_cb                   (GObject             *source,
                                                       GAsyncResult        *result,
                                                       gpointer             user_data);
GAsyncResult *_byok_key_store_wait_for                (GAsyncResult       **slot);
GError     *_byok_key_store_no_key_error              (ByokKeyStore        *self,
                                                       const char          *provider_id,
                                                       const char          *account);

G_END_DECLS
