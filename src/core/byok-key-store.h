/* byok-key-store.h — API keys in the desktop keyring, and in the environment
 *
 * Keys live in the Secret Service (gnome-keyring, KWallet, or the secret
 * portal inside Flatpak) under the schema io.github.byok.Byok.ApiKey with the
 * attributes `provider` and `account`. A provider can have several named
 * keys ("work", "personal"); one is its default. Environment variables are a
 * second, read-only source. There is never a plaintext fallback: without a
 * keyring, storing fails with BYOK_ERROR_KEYRING.
 *
 * Which keyring key is the default, in order:
 *   1. the account named by a marker item (schema
 *      io.github.byok.Byok.DefaultKey, attributes `provider` and `account`,
 *      label "Byok: OpenAI uses the “work” key by default"), written by
 *      byok_key_store_set_default_async();
 *   2. else the account named "default";
 *   3. else the first account in byte (strcmp) order.
 *
 * Which key a call uses when it names no account (the "active" key): the
 * default keyring key, else the first set environment variable of the
 * provider — or the environment first when the provider's preference says so
 * (byok_key_store_set_prefer_environment()). When the keyring cannot be
 * reached, an environment key is still used.
 *
 * All keyring work is asynchronous (libsecret's async calls, never the
 * _sync ones); the *_wait() helpers run the calling thread's main context
 * until the operation ends, for byok-cli and tests — never call them from a
 * running GTK main loop.
 */
#pragma once

#include <gio/gio.h>

#include "byok-key.h"

G_BEGIN_DECLS

#define BYOK_KEY_SCHEMA_NAME         "io.github.byok.Byok.ApiKey"
#define BYOK_KEY_DEFAULT_SCHEMA_NAME "io.github.byok.Byok.DefaultKey"
#define BYOK_KEY_DEFAULT_ACCOUNT     "default"
/* A provider's admin key (its organization's bill; never for chat):
 * byok-key-store-admin.c. */
#define BYOK_KEY_ADMIN_SCHEMA_NAME   "io.github.byok.Byok.AdminKey"
#define BYOK_KEY_ADMIN_ACCOUNT       "admin"
#define BYOK_KEY_ACCOUNT_MAX_LENGTH  64

typedef enum {
  BYOK_KEY_EVENT_ADDED,            /* "added": a new provider+account */
  BYOK_KEY_EVENT_REPLACED,         /* "replaced": same provider+account, new key */
  BYOK_KEY_EVENT_DELETED,          /* "deleted" */
  BYOK_KEY_EVENT_DEFAULT_CHANGED,  /* "default-changed": another account is the default */
  BYOK_KEY_EVENT_TESTED,           /* "tested": recorded by whoever tests the key */
} ByokKeyEvent;

const char *byok_key_event_to_string (ByokKeyEvent event);

/**
 * ByokKeyEventSink:
 * @provider_id: the provider
 * @account: (nullable): the keyring account (%NULL for an environment key)
 * @event: what happened
 * @result: "OK", or the error class (byok_error_get_class(): "KEYRING",
 *   "NO_KEY", "CANCELLED", …)
 * @detail: (nullable): %NULL on success; the error message on failure. Never
 *   any part of a key.
 * @user_data: the data given to byok_key_store_set_event_sink()
 *
 * Where key events go: the app wires it to the database's key_events table.
 * Called on the main context of the operation, once per store, delete or
 * set-default that reached the keyring (successful or not).
 */
typedef void (*ByokKeyEventSink) (const char   *provider_id,
                                  const char   *account,
                                  ByokKeyEvent  event,
                                  const char   *result,
                                  const char   *detail,
                                  gpointer      user_data);

#define BYOK_TYPE_KEY_STORE (byok_key_store_get_type ())
G_DECLARE_FINAL_TYPE (ByokKeyStore, byok_key_store, BYOK, KEY_STORE, GObject)

ByokKeyStore *byok_key_store_new                     (void);

GError       *byok_keyring_error_new                 (const GError         *error,
                                                      GCancellable         *cancellable);

/* Configuration (in memory) */
void          byok_key_store_add_provider            (ByokKeyStore         *self,
                                                      const char           *provider_id,
                                                      const char           *display_name,
                                                      const char * const   *env_vars);
void          byok_key_store_set_prefer_environment  (ByokKeyStore         *self,
                                                      const char           *provider_id,
                                                      gboolean              prefer);
gboolean      byok_key_store_get_prefer_environment  (ByokKeyStore         *self,
                                                      const char           *provider_id);
void          byok_key_store_set_environment         (ByokKeyStore         *self,
                                                      const char * const   *envp);
void          byok_key_store_set_event_sink          (ByokKeyStore         *self,
                                                      ByokKeyEventSink      sink,
                                                      gpointer              user_data,
                                                      GDestroyNotify        destroy);
void          byok_key_store_record_event            (ByokKeyStore         *self,
                                                      const char           *provider_id,
                                                      const char           *account,
                                                      ByokKeyEvent          event,
                                                      const char           *result,
                                                      const char           *detail);
char         *byok_key_store_dup_label               (ByokKeyStore         *self,
                                                      const char           *provider_id,
                                                      const char           *account);

/* Environment keys: no I/O, always available */
GPtrArray    *byok_key_store_list_environment        (ByokKeyStore         *self,
                                                      const char           *provider_id);

/* Store (add or replace) */
void          byok_key_store_store_async             (ByokKeyStore         *self,
                                                      const char           *provider_id,
                                                      const char           *account,
                                                      const char           *secret,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean      byok_key_store_store_finish            (ByokKeyStore         *self,
                                                      GAsyncResult         *result,
                                                      gboolean             *replaced,
                                                      GError              **error);

/* Lookup */
void          byok_key_store_lookup_async            (ByokKeyStore         *self,
                                                      const char           *provider_id,
                                                      const char           *account,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
ByokKey      *byok_key_store_lookup_finish           (ByokKeyStore         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* List */
void          byok_key_store_list_async              (ByokKeyStore         *self,
                                                      const char           *provider_id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GPtrArray    *byok_key_store_list_finish             (ByokKeyStore         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* Usable keys: the keyring's and the environment's, as list gives them;
 * the environment's alone when the keyring cannot be read */
void          byok_key_store_list_usable_async       (ByokKeyStore         *self,
                                                      const char           *provider_id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GPtrArray    *byok_key_store_list_usable_finish      (ByokKeyStore         *self,
                                                      GAsyncResult         *result,
                                                      GError              **keyring_error,
                                                      GError              **error);
/* The same without reading the keyring keys' secrets (no session, no
 * GetSecrets), for callers that show no part of a key; finished by
 * byok_key_store_list_usable_finish() */
void          byok_key_store_list_usable_accounts_async (ByokKeyStore      *self,
                                                      const char           *provider_id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);

/* Connecting to the keyring ahead of a listing (see the function) */
void          byok_key_store_preconnect_async        (gboolean              secrets,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
void          byok_key_store_preconnect_finish       (GAsyncResult         *result);

/* Delete */
void          byok_key_store_delete_async            (ByokKeyStore         *self,
                                                      const char           *provider_id,
                                                      const char           *account,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean      byok_key_store_delete_finish           (ByokKeyStore         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* Default account */
void          byok_key_store_set_default_async       (ByokKeyStore         *self,
                                                      const char           *provider_id,
                                                      const char           *account,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean      byok_key_store_set_default_finish      (ByokKeyStore         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* Blocking helpers for byok-cli and tests: they iterate the thread-default
 * main context until the async operation above finishes. */
gboolean      byok_key_store_store_wait              (ByokKeyStore         *self,
                                                      const char           *provider_id,
                                                      const char           *account,
                                                      const char           *secret,
                                                      gboolean             *replaced,
                                                      GCancellable         *cancellable,
                                                      GError              **error);
ByokKey      *byok_key_store_lookup_wait             (ByokKeyStore         *self,
                                                      const char           *provider_id,
                                                      const char           *account,
                                                      GCancellable         *cancellable,
                                                      GError              **error);
GPtrArray    *byok_key_store_list_wait               (ByokKeyStore         *self,
                                                      const char           *provider_id,
                                                      GCancellable         *cancellable,
                                                      GError              **error);
GPtrArray    *byok_key_store_list_usable_wait        (ByokKeyStore         *self,
                                                      const char           *provider_id,
                                                      GCancellable         *cancellable,
                                                      GError              **keyring_error,
                                                      GError              **error);
GPtrArray    *byok_key_store_list_usable_accounts_wait (ByokKeyStore       *self,
                                                      const char           *provider_id,
                                                      GCancellable         *cancellable,
                                                      GError              **keyring_error,
                                                      GError              **error);
gboolean      byok_key_store_delete_wait             (ByokKeyStore         *self,
                                                      const char           *provider_id,
                                                      const char           *account,
                                                      GCancellable         *cancellable,
                                                      GError              **error);
gboolean      byok_key_store_set_default_wait        (ByokKeyStore         *self,
                                                      const char           *provider_id,
                                                      const char           *account,
                                                      GCancellable         *cancellable,
                                                      GError              **error);

/* Admin keys: one per provider, for its bill (byok-provider-bill.h) */
void          byok_key_store_store_admin_async       (ByokKeyStore         *self,
                                                      const char           *provider_id,
                                                      const char           *secret,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean      byok_key_store_store_admin_finish      (ByokKeyStore         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void          byok_key_store_lookup_admin_async      (ByokKeyStore         *self,
                                                      const char           *provider_id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
ByokKey      *byok_key_store_lookup_admin_finish     (ByokKeyStore         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void          byok_key_store_delete_admin_async      (ByokKeyStore         *self,
                                                      const char           *provider_id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean      byok_key_store_delete_admin_finish     (ByokKeyStore         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
gboolean      byok_key_store_store_admin_wait        (ByokKeyStore         *self,
                                                      const char           *provider_id,
                                                      const char           *secret,
                                                      GCancellable         *cancellable,
                                                      GError              **error);
ByokKey      *byok_key_store_lookup_admin_wait       (ByokKeyStore         *self,
                                                      const char           *provider_id,
                                                      GCancellable         *cancellable,
                                                      GError              **error);
gboolean      byok_key_store_delete_admin_wait       (ByokKeyStore         *self,
                                                      const char           *provider_id,
                                                      GCancellable         *cancellable,
                                                      GError              **error);

G_END_DECLS
