/* byok-provider.h — one LLM API provider
 *
 * Everything Byok needs to talk to a provider: its dialect, base URL (which
 * the user may replace), how a key is sent, what a key looks like, where
 * keys come from in the environment, how models are listed and how a key is
 * checked cheaply. Providers come from the catalog (data/catalog.json) or
 * are custom OpenAI-compatible services the user adds.
 *
 * URLs: a base URL is what a provider's docs give SDKs as `base_url`; an
 * endpoint path is appended after stripping one trailing `/` from the base.
 * Azure OpenAI builds `ENDPOINT/openai/deployments/DEPLOYMENT/chat/completions
 * ?api-version=VERSION` from its own settings.
 */
#pragma once

#include <glib-object.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef enum {
  BYOK_PROVIDER_DIALECT_OPENAI,
  BYOK_PROVIDER_DIALECT_ANTHROPIC,
  BYOK_PROVIDER_DIALECT_GEMINI,
} ByokProviderDialect;

typedef enum {
  BYOK_AUTH_BEARER,          /* Authorization: Bearer KEY */
  BYOK_AUTH_X_API_KEY,       /* x-api-key: KEY (Anthropic) */
  BYOK_AUTH_X_GOOG_API_KEY,  /* x-goog-api-key: KEY (Gemini) */
  BYOK_AUTH_API_KEY,         /* api-key: KEY (Azure OpenAI) */
  BYOK_AUTH_NONE,            /* no key (Ollama) */
} ByokAuthStyle;

typedef enum {
  BYOK_MODELS_LIST_NONE,       /* catalog only (Zhipu), or the user's deployments (Azure) */
  BYOK_MODELS_LIST_OPENAI,     /* GET /models → data[].id, one page */
  BYOK_MODELS_LIST_ANTHROPIC,  /* GET /v1/models, pages: has_more, last_id → after_id */
  BYOK_MODELS_LIST_GEMINI,     /* GET /models, pages: nextPageToken → pageToken; names "models/ID" */
} ByokModelsList;

typedef enum {
  BYOK_BALANCE_FORMAT_NONE,        /* no balance endpoint */
  BYOK_BALANCE_FORMAT_DEEPSEEK,    /* GET /user/balance → balance_infos[] */
  BYOK_BALANCE_FORMAT_MOONSHOT,    /* GET /v1/users/me/balance → data.available_balance */
  BYOK_BALANCE_FORMAT_OPENROUTER,  /* GET /api/v1/credits and /api/v1/key */
} ByokBalanceFormat;

#define BYOK_AZURE_DEFAULT_API_VERSION "2024-10-21"

#define BYOK_TYPE_PROVIDER (byok_provider_get_type ())
G_DECLARE_FINAL_TYPE (ByokProvider, byok_provider, BYOK, PROVIDER, GObject)

ByokProvider        *byok_provider_new_custom            (const char     *id,
                                                          const char     *name,
                                                          const char     *base_url,
                                                          gboolean        needs_key);

const char          *byok_provider_get_id                (ByokProvider   *self);
const char          *byok_provider_get_name              (ByokProvider   *self);
ByokProviderDialect  byok_provider_get_dialect           (ByokProvider   *self);
const char          *byok_provider_get_dialect_name      (ByokProvider   *self);

const char          *byok_provider_get_base_url          (ByokProvider   *self);
const char          *byok_provider_get_default_base_url  (ByokProvider   *self);
void                 byok_provider_set_base_url          (ByokProvider   *self,
                                                          const char     *base_url);
gboolean             byok_provider_has_base_url_override (ByokProvider   *self);
char                *byok_provider_dup_base_url_variable (const char     *provider_id);
gboolean             byok_provider_url_is_http        (const char     *url);
void                 byok_provider_set_environment_base_url (ByokProvider *self,
                                                          const char     *base_url);
const char          *byok_provider_get_environment_base_url (ByokProvider *self);
const char * const  *byok_provider_get_alt_base_urls     (ByokProvider   *self);
const char          *byok_provider_get_alt_base_url_label (ByokProvider  *self,
                                                          const char     *base_url);

ByokAuthStyle        byok_provider_get_auth_style        (ByokProvider   *self);
const char          *byok_provider_get_auth_header       (ByokProvider   *self);
const char * const  *byok_provider_get_extra_header_names (ByokProvider  *self);
const char          *byok_provider_get_extra_header      (ByokProvider   *self,
                                                          const char     *name);
void                 byok_provider_apply_headers         (ByokProvider   *self,
                                                          SoupMessageHeaders *headers,
                                                          const char     *key);

const char * const  *byok_provider_get_env_vars          (ByokProvider   *self);
gboolean             byok_provider_get_needs_key         (ByokProvider   *self);
const char          *byok_provider_get_key_prefix        (ByokProvider   *self);
const char          *byok_provider_get_key_description   (ByokProvider   *self);
gboolean             byok_provider_key_looks_valid       (ByokProvider   *self,
                                                          const char     *key);

ByokModelsList       byok_provider_get_models_list       (ByokProvider   *self);
gboolean             byok_provider_get_rejects_stream_options (ByokProvider *self);
gboolean             byok_provider_get_thinking_switch   (ByokProvider   *self);
gboolean             byok_provider_is_local              (ByokProvider   *self);
gboolean             byok_provider_is_custom             (ByokProvider   *self);

gboolean             byok_provider_get_enabled           (ByokProvider   *self);
gboolean             byok_provider_get_allow_http        (ByokProvider   *self);
void                 byok_provider_set_allow_http        (ByokProvider   *self,
                                                          gboolean        allow);
gboolean             byok_provider_is_remote_http        (ByokProvider   *self);
gboolean             byok_uri_is_remote_http             (GUri           *uri);
gboolean             byok_provider_check_key_transport   (ByokProvider   *self,
                                                          GUri           *uri,
                                                          GError        **error);
void                 byok_provider_set_enabled           (ByokProvider   *self,
                                                          gboolean        enabled);

const char          *byok_provider_get_azure_endpoint    (ByokProvider   *self);
void                 byok_provider_set_azure_endpoint    (ByokProvider   *self,
                                                          const char     *endpoint);
const char          *byok_provider_get_azure_deployment  (ByokProvider   *self);
void                 byok_provider_set_azure_deployment  (ByokProvider   *self,
                                                          const char     *deployment);
const char          *byok_provider_get_azure_api_version (ByokProvider   *self);
void                 byok_provider_set_azure_api_version (ByokProvider   *self,
                                                          const char     *api_version);

const char          *byok_provider_get_key_check_method  (ByokProvider   *self);
const char          *byok_provider_get_key_check_path    (ByokProvider   *self);
const char          *byok_provider_get_key_check_model   (ByokProvider   *self);

ByokBalanceFormat    byok_provider_get_balance_format    (ByokProvider   *self);
char                *byok_provider_build_balance_url     (ByokProvider   *self,
                                                          gboolean        key_info);
const char          *byok_provider_get_balance_currency  (ByokProvider   *self);

const char          *byok_provider_get_docs_url          (ByokProvider   *self);
const char          *byok_provider_get_console_url       (ByokProvider   *self);
const char          *byok_provider_get_pricing_url       (ByokProvider   *self);

gboolean             byok_provider_check_config          (ByokProvider   *self,
                                                          GError        **error);
char                *byok_provider_build_url             (ByokProvider   *self,
                                                          const char     *path);
char                *byok_provider_build_chat_url        (ByokProvider   *self,
                                                          const char     *model_id,
                                                          gboolean        stream);
char                *byok_provider_build_models_url      (ByokProvider   *self);
char                *byok_provider_build_key_check_url   (ByokProvider   *self);

G_END_DECLS
