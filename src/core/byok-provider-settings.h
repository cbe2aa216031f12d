/* byok-provider-settings.h — what the user changed about each provider
 *
 * Per-provider settings live in the database's `provider_settings` table
 * (provider, key, value), custom OpenAI-compatible providers in
 * `custom_providers`. The keys:
 *
 *   base_url            the user's base URL (a proxy, a local gateway)
 *   endpoint            one of the provider's alternative official base
 *                       URLs (Moonshot China, Zhipu international)
 *   azure_endpoint      Azure: https://RESOURCE.openai.azure.com
 *   azure_deployment    Azure: the default deployment
 *   azure_api_version   Azure: the api-version query parameter
 *   enabled             "1" or "0"
 *   default_model       the model a new chat with this provider uses
 *   prefer_environment  "1": an environment key wins over the keyring's
 *   allow_http          "1": the key may go over plain HTTP to another
 *                       computer (ByokProvider:allow-http)
 *   balance             the last balance read, and the last failure
 *                       (JSON, byok-balance.h)
 *   balance_low         warn below this balance, in its currency
 *
 * Which base URL a provider uses: its base_url setting, else its endpoint
 * setting (if it is still one of the provider's alternatives), else the
 * catalog's. For Azure, azure_endpoint.
 *
 * The setters write the database first and then change the ByokProvider (or
 * the ByokKeyStore), so what the app shows is what the next start applies.
 * They are single-row statements on the main connection: call them from the
 * thread that owns the ByokDatabase. byok_provider_settings_apply() runs
 * once at startup, after the catalog and key store exist.
 */
#pragma once

#include <glib-object.h>

#include "byok-catalog.h"
#include "byok-database.h"
#include "byok-key-store.h"

G_BEGIN_DECLS

#define BYOK_PROVIDER_SETTING_BASE_URL           "base_url"
#define BYOK_PROVIDER_SETTING_ENDPOINT           "endpoint"
#define BYOK_PROVIDER_SETTING_AZURE_ENDPOINT     "azure_endpoint"
#define BYOK_PROVIDER_SETTING_AZURE_DEPLOYMENT   "azure_deployment"
#define BYOK_PROVIDER_SETTING_AZURE_API_VERSION  "azure_api_version"
#define BYOK_PROVIDER_SETTING_ENABLED            "enabled"
#define BYOK_PROVIDER_SETTING_DEFAULT_MODEL      "default_model"
#define BYOK_PROVIDER_SETTING_PREFER_ENVIRONMENT "prefer_environment"
#define BYOK_PROVIDER_SETTING_ALLOW_HTTP         "allow_http"
#define BYOK_PROVIDER_SETTING_BALANCE            "balance"
#define BYOK_PROVIDER_SETTING_BALANCE_LOW        "balance_low"

#define BYOK_TYPE_PROVIDER_SETTINGS (byok_provider_settings_get_type ())
G_DECLARE_FINAL_TYPE (ByokProviderSettings, byok_provider_settings, BYOK, PROVIDER_SETTINGS, GObject)

ByokProviderSettings *byok_provider_settings_new           (ByokDatabase          *database);
ByokDatabase         *byok_provider_settings_get_database  (ByokProviderSettings  *self);

/* Raw values */
char         *byok_provider_settings_dup_value             (ByokProviderSettings  *self,
                                                            const char            *provider_id,
                                                            const char            *key);
gboolean      byok_provider_settings_set_value             (ByokProviderSettings  *self,
                                                            const char            *provider_id,
                                                            const char            *key,
                                                            const char            *value,
                                                            GError               **error);

/* Typed setters: database, then the provider object */
gboolean      byok_provider_settings_set_base_url          (ByokProviderSettings  *self,
                                                            ByokProvider          *provider,
                                                            const char            *base_url,
                                                            GError               **error);
gboolean      byok_provider_settings_set_endpoint          (ByokProviderSettings  *self,
                                                            ByokProvider          *provider,
                                                            const char            *alt_base_url,
                                                            GError               **error);
char         *byok_provider_settings_dup_endpoint          (ByokProviderSettings  *self,
                                                            ByokProvider          *provider);
gboolean      byok_provider_settings_set_azure             (ByokProviderSettings  *self,
                                                            ByokProvider          *provider,
                                                            const char            *endpoint,
                                                            const char            *deployment,
                                                            const char            *api_version,
                                                            GError               **error);
gboolean      byok_provider_settings_set_enabled           (ByokProviderSettings  *self,
                                                            ByokProvider          *provider,
                                                            gboolean               enabled,
                                                            GError               **error);
gboolean      byok_provider_settings_set_allow_http        (ByokProviderSettings  *self,
                                                            ByokProvider          *provider,
                                                            gboolean               allow,
                                                            GError               **error);
gboolean      byok_provider_settings_set_default_model     (ByokProviderSettings  *self,
                                                            const char            *provider_id,
                                                            const char            *model_id,
                                                            GError               **error);
char         *byok_provider_settings_dup_default_model     (ByokProviderSettings  *self,
                                                            const char            *provider_id);
gboolean      byok_provider_settings_set_prefer_environment (ByokProviderSettings *self,
                                                            ByokKeyStore          *key_store,
                                                            const char            *provider_id,
                                                            gboolean               prefer,
                                                            GError               **error);
gboolean      byok_provider_settings_get_prefer_environment (ByokProviderSettings *self,
                                                            const char            *provider_id);

/* Custom providers */
char         *byok_provider_settings_make_custom_id        (ByokCatalog           *catalog,
                                                            const char            *name);
ByokProvider *byok_provider_settings_add_custom            (ByokProviderSettings  *self,
                                                            ByokCatalog           *catalog,
                                                            ByokKeyStore          *key_store,
                                                            const char            *id,
                                                            const char            *name,
                                                            const char            *base_url,
                                                            gboolean               needs_key,
                                                            GError               **error);
gboolean      byok_provider_settings_remove_custom         (ByokProviderSettings  *self,
                                                            ByokCatalog           *catalog,
                                                            const char            *provider_id,
                                                            GError               **error);

/* Startup */
gboolean      byok_provider_settings_apply                 (ByokProviderSettings  *self,
                                                            ByokCatalog           *catalog,
                                                            ByokKeyStore          *key_store,
                                                            GError               **error);

G_END_DECLS
