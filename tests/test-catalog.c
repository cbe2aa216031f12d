/* test-catalog.c — the shipped catalog, providers, URLs, custom providers,
 * model listings, recommendations and did-you-mean */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "byok-test-util.h"
#include "byok-catalog-private.h"
#include "byok-error.h"

typedef struct {
  const char    *id;
  const char    *base_url;
  ByokAuthStyle  auth;
} ExpectedProvider;

/* PROVIDERS.md, "Base URLs and endpoints" */
static const ExpectedProvider expected_providers[] = {
  { "openai", "https://api.openai.com/v1", BYOK_AUTH_BEARER },
  { "anthropic", "https://api.anthropic.com", BYOK_AUTH_X_API_KEY },
  { "gemini", "https://generativelanguage.googleapis.com/v1beta", BYOK_AUTH_X_GOOG_API_KEY },
  { "azure", NULL, BYOK_AUTH_API_KEY },
  { "deepseek", "https://api.deepseek.com", BYOK_AUTH_BEARER },
  { "moonshot", "https://api.moonshot.ai/v1", BYOK_AUTH_BEARER },
  { "zhipu", "https://open.bigmodel.cn/api/paas/v4", BYOK_AUTH_BEARER },
  { "openrouter", "https://openrouter.ai/api/v1", BYOK_AUTH_BEARER },
  { "groq", "https://api.groq.com/openai/v1", BYOK_AUTH_BEARER },
  { "mistral", "https://api.mistral.ai/v1", BYOK_AUTH_BEARER },
  { "xai", "https://api.x.ai/v1", BYOK_AUTH_BEARER },
  { "ollama", "http://localhost:11434/v1", BYOK_AUTH_NONE },
};

static void
test_shipped_providers (void)
{
  g_autoptr(ByokCatalog) catalog = byok_catalog_new_default ();
  g_autoptr(GPtrArray) providers = byok_catalog_get_providers (catalog);
  ByokProvider *provider;
  ByokProvider *template;

  g_assert_cmpuint (providers->len, ==, G_N_ELEMENTS (expected_providers));
  for (guint i = 0; i < G_N_ELEMENTS (expected_providers); i++)
    {
      const ExpectedProvider *e = &expected_providers[i];

      provider = byok_catalog_lookup_provider (catalog, e->id);
      g_assert_nonnull (provider);
      g_assert_true (g_ptr_array_index (providers, i) == provider);
      g_assert_cmpstr (byok_provider_get_id (provider), ==, e->id);
      g_assert_cmpstr (byok_provider_get_base_url (provider), ==, e->base_url);
      g_assert_cmpint (byok_provider_get_auth_style (provider), ==, e->auth);
      g_assert_false (byok_provider_is_custom (provider));
      g_assert_true (byok_provider_get_enabled (provider));
      g_assert_nonnull (byok_provider_get_name (provider));
      g_assert_nonnull (byok_provider_get_key_description (provider));
      g_assert_nonnull (byok_provider_get_key_check_path (provider));
      g_assert_cmpint (byok_provider_get_needs_key (provider), ==, e->auth != BYOK_AUTH_NONE);
    }

  /* dialects */
  g_assert_cmpint (byok_provider_get_dialect (byok_catalog_lookup_provider (catalog, "anthropic")),
                   ==, BYOK_PROVIDER_DIALECT_ANTHROPIC);
  g_assert_cmpint (byok_provider_get_dialect (byok_catalog_lookup_provider (catalog, "gemini")),
                   ==, BYOK_PROVIDER_DIALECT_GEMINI);
  g_assert_cmpstr (byok_provider_get_dialect_name (byok_catalog_lookup_provider (catalog, "zhipu")),
                   ==, "openai");

  /* Anthropic's extra header */
  provider = byok_catalog_lookup_provider (catalog, "anthropic");
  g_assert_cmpstr (byok_provider_get_extra_header (provider, "anthropic-version"), ==, "2026-10-21");
  g_assert_cmpstrv (byok_provider_get_extra_header_names (provider),
                    ((const char * const[]) { "anthropic-version", NULL }));
  g_assert_cmpint (byok_provider_get_models_list (provider), ==, BYOK_MODELS_LIST_ANTHROPIC);
  g_assert_cmpstr (byok_provider_get_key_prefix (provider), ==, "sk-ant-");

  /* environment variables (DESIGN.md) */
  g_assert_cmpstrv (byok_provider_get_env_vars (byok_catalog_lookup_provider (catalog, "gemini")),
                    ((const char * const[]) { "GEMINI_API_KEY", "GOOGLE_API_KEY", NULL }));
  g_assert_cmpstrv (byok_provider_get_env_vars (byok_catalog_lookup_provider (catalog, "moonshot")),
                    ((const char * const[]) { "MOONSHOT_API_KEY", "KIMI_API_KEY", NULL }));
  g_assert_cmpstrv (byok_provider_get_env_vars (byok_catalog_lookup_provider (catalog, "zhipu")),
                    ((const char * const[]) { "ZHIPUAI_API_KEY", NULL }));
  g_assert_cmpstrv (byok_provider_get_env_vars (byok_catalog_lookup_provider (catalog, "azure")),
                    ((const char * const[]) { "AZURE_OPENAI_API_KEY", NULL }));
  g_assert_cmpstrv (byok_provider_get_env_vars (byok_catalog_lookup_provider (catalog, "ollama")),
                    ((const char * const[]) { NULL }));
  g_assert_cmpstr (byok_provider_get_env_vars (byok_catalog_lookup_provider (catalog, "xai"))[0],
                   ==, "XAI_API_KEY");

  /* alternative endpoints */
  provider = byok_catalog_lookup_provider (catalog, "moonshot");
  g_assert_cmpstrv (byok_provider_get_alt_base_urls (provider),
                    ((const char * const[]) { "https://api.moonshot.cn/v1", NULL }));
  g_assert_nonnull (byok_provider_get_alt_base_url_label (provider, "https://api.moonshot.cn/v1"));
  g_assert_null (byok_provider_get_alt_base_url_label (provider, "https://example.com"));
  provider = byok_catalog_lookup_provider (catalog, "zhipu");
  g_assert_cmpstrv (byok_provider_get_alt_base_urls (provider),
                    ((const char * const[]) { "https://api.z.ai/api/paas/v4", NULL }));
  g_assert_true (byok_provider_get_thinking_switch (provider));
  g_assert_true (byok_provider_get_rejects_stream_options (provider));
  g_assert_cmpint (byok_provider_get_models_list (provider), ==, BYOK_MODELS_LIST_NONE);
  g_assert_cmpstr (byok_provider_get_key_check_method (provider), ==, "POST");
  g_assert_nonnull (byok_catalog_lookup_model (catalog, "zhipu",
                                               byok_provider_get_key_check_model (provider)));
  g_assert_false (byok_provider_get_thinking_switch (byok_catalog_lookup_provider (catalog, "openai")));
  g_assert_false (byok_provider_get_rejects_stream_options (byok_catalog_lookup_provider (catalog, "openai")));
  g_assert_cmpint (byok_provider_get_models_list (byok_catalog_lookup_provider (catalog, "gemini")),
                   ==, BYOK_MODELS_LIST_GEMINI);

  /* Ollama is local and keyless */
  provider = byok_catalog_lookup_provider (catalog, "ollama");
  g_assert_false (byok_provider_get_needs_key (provider));
  g_assert_true (byok_provider_is_local (provider));
  g_assert_null (byok_provider_get_auth_header (provider));

  /* Azure's settings */
  provider = byok_catalog_lookup_provider (catalog, "azure");
  g_assert_cmpstr (byok_provider_get_azure_api_version (provider), ==, "2024-10-21");
  g_assert_null (byok_provider_get_azure_endpoint (provider));
  g_assert_null (byok_provider_get_azure_api_version (byok_catalog_lookup_provider (catalog, "openai")));

  /* the custom template is not a provider, but can be looked up */
  template = byok_catalog_get_custom_template (catalog);
  g_assert_nonnull (template);
  g_assert_true (byok_catalog_lookup_provider (catalog, "custom") == template);
  g_assert_true (byok_provider_is_custom (template));
  g_assert_null (byok_provider_get_base_url (template));
  for (guint i = 0; i < providers->len; i++)
    g_assert_true (g_ptr_array_index (providers, i) != template);
  g_assert_null (byok_catalog_lookup_provider (catalog, "nope"));
}

static void
test_shipped_models (void)
{
  g_autoptr(ByokCatalog) catalog = byok_catalog_new_default ();
  g_autoptr(GPtrArray) providers = byok_catalog_get_providers (catalog);
  guint total = 0;

  for (guint i = 0; i < providers->len; i++)
    {
      ByokProvider *provider = g_ptr_array_index (providers, i);
      const char *provider_id = byok_provider_get_id (provider);
      g_autoptr(GPtrArray) models = byok_catalog_get_models (catalog, provider_id);

      if (!g_str_equal (provider_id, "azure"))
        g_assert_cmpuint (models->len, >, 0);

      for (guint j = 0; j < models->len; j++)
        {
          ByokModel *model = g_ptr_array_index (models, j);
          const ByokPrice *price = byok_model_get_price (model);

          g_test_message ("%s/%s", provider_id, byok_model_get_id (model));
          g_assert_cmpstr (byok_model_get_provider_id (model), ==, provider_id);
          g_assert_cmpint (byok_model_get_context_window (model), >, 0);
          g_assert_nonnull (byok_model_get_name (model));
          g_assert_true (byok_model_is_from_catalog (model));
          g_assert_true (byok_model_has_capability (model, BYOK_MODEL_CAP_STREAMING));
          g_assert_nonnull (byok_model_get_price_source (model));
          if (byok_price_rate_is_known (price->input))
            {
              g_assert_true (byok_price_is_known (price));
              if (!byok_provider_is_local (provider))
                g_assert_nonnull (byok_model_get_price_date (model));
            }
          for (const char * const *u = byok_model_get_recommended_for (model); *u != NULL; u++)
            g_assert_true (byok_use_case_is_valid (*u));
          total++;
        }
    }
  g_assert_cmpuint (total, >=, 40);

  /* Moonshot: the Kimi K2 family and moonshot-v1 */
  {
    const char *ids[] = { "kimi-k2-0711-preview", "kimi-k2-0905-preview", "kimi-k2-thinking",
                          "moonshot-v1-8k", "moonshot-v1-32k", "moonshot-v1-128k" };

    for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
      g_assert_nonnull (byok_catalog_lookup_model (catalog, "moonshot", ids[i]));
    g_assert_true (byok_model_has_capability (byok_catalog_lookup_model (catalog, "moonshot", "kimi-k2-thinking"),
                                              BYOK_MODEL_CAP_REASONING));
    g_assert_cmpint (byok_model_get_context_window (byok_catalog_lookup_model (catalog, "moonshot", "moonshot-v1-8k")),
                     ==, 8192);
  }

  /* Zhipu: glm-4 and glm-4-air have no USD price: unknown, never 0 */
  {
    const char *ids[] = { "glm-4.6", "glm-4.5", "glm-4", "glm-4-air" };
    ByokModel *model;

    for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
      g_assert_nonnull (byok_catalog_lookup_model (catalog, "zhipu", ids[i]));
    for (guint i = 2; i < G_N_ELEMENTS (ids); i++)
      {
        const ByokPrice *price = byok_model_get_price (byok_catalog_lookup_model (catalog, "zhipu", ids[i]));

        g_assert_false (byok_price_is_known (price));
        g_assert_true (isnan (price->input));
        g_assert_true (isnan (price->output));
      }
    model = byok_catalog_lookup_model (catalog, "zhipu", "glm-4.6");
    g_assert_true (byok_model_has_capability (model, BYOK_MODEL_CAP_REASONING));
    g_assert_false (byok_model_has_capability (byok_catalog_lookup_model (catalog, "zhipu", "glm-4"),
                                               BYOK_MODEL_CAP_REASONING));
  }

  /* Ollama's models are local: price 0, and known */
  {
    ByokModel *model = byok_catalog_lookup_model (catalog, "ollama", "llama3.2");
    double cost = -1;

    g_assert_nonnull (model);
    g_assert_true (byok_price_cost (byok_model_get_price (model), 1000, 0, 0, 1000, &cost));
    g_assert_cmpfloat (cost, ==, 0.0);
    g_assert_nonnull (strstr (byok_model_get_price_source (model), "local"));
  }

  /* aliases */
  {
    ByokModel *model = byok_catalog_lookup_model (catalog, "anthropic", "claude-sonnet-4-5");

    g_assert_nonnull (model);
    g_assert_cmpstr (byok_model_get_id (model), ==, "claude-sonnet-4-5-20250929");
    g_assert_true (byok_model_matches (model, "claude-sonnet-4-5"));
    g_assert_true (byok_catalog_lookup_model (catalog, "gemini", "models/gemini-2.5-pro") ==
                   byok_catalog_lookup_model (catalog, "gemini", "gemini-2.5-pro"));
    g_assert_true (byok_catalog_lookup_model (catalog, "ollama", "llama3.2:latest") ==
                   byok_catalog_lookup_model (catalog, "ollama", "llama3.2"));
    g_assert_null (byok_catalog_lookup_model (catalog, "openai", "claude-sonnet-4-5"));
    g_assert_null (byok_catalog_lookup_model (catalog, "nope", "gpt-4o"));
  }
}

static void
test_find_model (void)
{
  g_autoptr(ByokCatalog) catalog = byok_catalog_new_default ();
  ByokModel *model;

  model = byok_catalog_find_model (catalog, "gpt-4o");
  g_assert_cmpstr (byok_model_get_provider_id (model), ==, "openai");
  model = byok_catalog_find_model (catalog, "openai/gpt-4o");
  g_assert_cmpstr (byok_model_get_provider_id (model), ==, "openai");
  g_assert_cmpstr (byok_model_get_id (model), ==, "gpt-4o");
  model = byok_catalog_find_model (catalog, "openrouter/openai/gpt-4o");
  g_assert_cmpstr (byok_model_get_provider_id (model), ==, "openrouter");
  g_assert_cmpstr (byok_model_get_id (model), ==, "openai/gpt-4o");
  model = byok_catalog_find_model (catalog, "anthropic/claude-sonnet-4.5");
  g_assert_cmpstr (byok_model_get_provider_id (model), ==, "openrouter");
  model = byok_catalog_find_model (catalog, "kimi-k2-thinking");
  g_assert_cmpstr (byok_model_get_provider_id (model), ==, "moonshot");
  model = byok_catalog_find_model (catalog, "meta-llama/llama-4-scout-17b-16e-instruct");
  g_assert_cmpstr (byok_model_get_provider_id (model), ==, "groq");
  model = byok_catalog_find_model (catalog, "claude-haiku-4-5");
  g_assert_cmpstr (byok_model_get_id (model), ==, "claude-haiku-4-5-20251001");
  g_assert_null (byok_catalog_find_model (catalog, "no-such-model"));
  g_assert_null (byok_catalog_find_model (catalog, "openai/no-such-model"));
  g_assert_null (byok_catalog_find_model (catalog, ""));
}

static void
test_urls (void)
{
  g_autoptr(ByokCatalog) catalog = byok_catalog_new_default ();
  ByokProvider *openai = byok_catalog_lookup_provider (catalog, "openai");
  ByokProvider *azure = byok_catalog_lookup_provider (catalog, "azure");
  ByokProvider *gemini = byok_catalog_lookup_provider (catalog, "gemini");
  ByokProvider *anthropic = byok_catalog_lookup_provider (catalog, "anthropic");
  ByokProvider *zhipu = byok_catalog_lookup_provider (catalog, "zhipu");
  g_autoptr(GError) error = NULL;
  char *url;

#define CHECK_URL(expr, expected) \
  G_STMT_START { url = (expr); g_assert_cmpstr (url, ==, (expected)); g_free (url); } G_STMT_END

  CHECK_URL (byok_provider_build_url (openai, "/chat/completions"),
             "https://api.openai.com/v1/chat/completions");
  CHECK_URL (byok_provider_build_url (openai, "models"), "https://api.openai.com/v1/models");
  CHECK_URL (byok_provider_build_chat_url (openai, "gpt-4o", TRUE),
             "https://api.openai.com/v1/chat/completions");
  CHECK_URL (byok_provider_build_models_url (openai), "https://api.openai.com/v1/models");

  /* a user base URL with one trailing slash: exactly one is stripped */
  byok_provider_set_base_url (openai, " http://127.0.0.1:8080/v1/ ");
  g_assert_true (byok_provider_has_base_url_override (openai));
  CHECK_URL (byok_provider_build_url (openai, "/chat/completions"),
             "http://127.0.0.1:8080/v1/chat/completions");
  byok_provider_set_base_url (openai, "http://127.0.0.1:8080/v1//");
  CHECK_URL (byok_provider_build_url (openai, "/models"), "http://127.0.0.1:8080/v1//models");
  byok_provider_set_base_url (openai, NULL);
  g_assert_false (byok_provider_has_base_url_override (openai));
  g_assert_cmpstr (byok_provider_get_base_url (openai), ==, "https://api.openai.com/v1");

  /* alternative endpoint */
  byok_provider_set_base_url (zhipu, byok_provider_get_alt_base_urls (zhipu)[0]);
  CHECK_URL (byok_provider_build_url (zhipu, "/chat/completions"),
             "https://api.z.ai/api/paas/v4/chat/completions");
  CHECK_URL (byok_provider_build_key_check_url (zhipu),
             "https://api.z.ai/api/paas/v4/chat/completions");
  g_assert_null (byok_provider_build_models_url (zhipu));

  /* Anthropic and Gemini */
  CHECK_URL (byok_provider_build_chat_url (anthropic, "claude-sonnet-4-5", TRUE),
             "https://api.anthropic.com/v1/messages");
  CHECK_URL (byok_provider_build_models_url (anthropic), "https://api.anthropic.com/v1/models");
  CHECK_URL (byok_provider_build_chat_url (gemini, "gemini-2.5-pro", TRUE),
             "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse");
  CHECK_URL (byok_provider_build_chat_url (gemini, "models/gemini-2.5-flash", FALSE),
             "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent");
  g_assert_null (byok_provider_build_chat_url (gemini, NULL, TRUE));

  /* Azure: nothing until the endpoint is set */
  g_assert_null (byok_provider_get_base_url (azure));
  g_assert_null (byok_provider_build_url (azure, "/chat/completions"));
  g_assert_false (byok_provider_check_config (azure, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);

  byok_provider_set_azure_endpoint (azure, "https://contoso.openai.azure.com/");
  g_assert_true (byok_provider_check_config (azure, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (byok_provider_get_azure_endpoint (azure), ==, "https://contoso.openai.azure.com/");
  /* no deployment yet */
  g_assert_null (byok_provider_build_url (azure, "/chat/completions"));
  byok_provider_set_azure_deployment (azure, "gpt4o-prod");
  CHECK_URL (byok_provider_build_url (azure, "/chat/completions"),
             "https://contoso.openai.azure.com/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21");
  CHECK_URL (byok_provider_build_chat_url (azure, "other-deployment", TRUE),
             "https://contoso.openai.azure.com/openai/deployments/other-deployment/chat/completions?api-version=2024-10-21");
  CHECK_URL (byok_provider_build_key_check_url (azure),
             "https://contoso.openai.azure.com/openai/models?api-version=2024-10-21");
  byok_provider_set_azure_api_version (azure, "2025-01-01-preview");
  CHECK_URL (byok_provider_build_chat_url (azure, NULL, TRUE),
             "https://contoso.openai.azure.com/openai/deployments/gpt4o-prod/chat/completions?api-version=2025-01-01-preview");
  byok_provider_set_azure_api_version (azure, NULL);
  g_assert_cmpstr (byok_provider_get_azure_api_version (azure), ==, "2024-10-21");

  /* a base URL that is not http(s) */
  byok_provider_set_base_url (openai, "ftp://example.com/v1");
  g_assert_false (byok_provider_check_config (openai, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);

#undef CHECK_URL
}

static void
test_headers_and_key_hints (void)
{
  g_autoptr(ByokCatalog) catalog = byok_catalog_new_default ();
  SoupMessageHeaders *headers;
  const char *fake = "sk-test-fake-0123456789";

  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  byok_provider_apply_headers (byok_catalog_lookup_provider (catalog, "openai"), headers, fake);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Authorization"), ==,
                   "Bearer sk-test-fake-0123456789");
  soup_message_headers_unref (headers);

  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  byok_provider_apply_headers (byok_catalog_lookup_provider (catalog, "anthropic"), headers,
                               "sk-ant-test-fake");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "x-api-key"), ==, "sk-ant-test-fake");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "anthropic-version"), ==, "2026-10-21");
  g_assert_null (soup_message_headers_get_one (headers, "Authorization"));
  soup_message_headers_unref (headers);

  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  byok_provider_apply_headers (byok_catalog_lookup_provider (catalog, "gemini"), headers, "AIza-test-fake");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "x-goog-api-key"), ==, "AIza-test-fake");
  soup_message_headers_unref (headers);

  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  byok_provider_apply_headers (byok_catalog_lookup_provider (catalog, "azure"), headers, "test-fake-azure");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "api-key"), ==, "test-fake-azure");
  soup_message_headers_unref (headers);

  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  byok_provider_apply_headers (byok_catalog_lookup_provider (catalog, "ollama"), headers, fake);
  g_assert_null (soup_message_headers_get_one (headers, "Authorization"));
  soup_message_headers_unref (headers);

  /* key shapes */
  g_assert_true (byok_provider_key_looks_valid (byok_catalog_lookup_provider (catalog, "openai"), fake));
  g_assert_false (byok_provider_key_looks_valid (byok_catalog_lookup_provider (catalog, "anthropic"), fake));
  g_assert_true (byok_provider_key_looks_valid (byok_catalog_lookup_provider (catalog, "anthropic"),
                                                "sk-ant-api03-test-fake"));
  g_assert_true (byok_provider_key_looks_valid (byok_catalog_lookup_provider (catalog, "groq"), "gsk_testfake"));
  g_assert_true (byok_provider_key_looks_valid (byok_catalog_lookup_provider (catalog, "openrouter"),
                                                "sk-or-v1-testfake"));
  g_assert_true (byok_provider_key_looks_valid (byok_catalog_lookup_provider (catalog, "xai"), "xai-testfake"));
  g_assert_true (byok_provider_key_looks_valid (byok_catalog_lookup_provider (catalog, "zhipu"),
                                                "testfakeid.testfakesecret"));
  g_assert_false (byok_provider_key_looks_valid (byok_catalog_lookup_provider (catalog, "zhipu"),
                                                 "testfakenodot"));
  g_assert_false (byok_provider_key_looks_valid (byok_catalog_lookup_provider (catalog, "openai"),
                                                 "sk-test fake"));
  g_assert_false (byok_provider_key_looks_valid (byok_catalog_lookup_provider (catalog, "openai"), "sk-"));
  g_assert_false (byok_provider_key_looks_valid (byok_catalog_lookup_provider (catalog, "openai"), NULL));
  g_assert_true (byok_provider_key_looks_valid (byok_catalog_lookup_provider (catalog, "ollama"), NULL));
  g_assert_cmpstr (byok_provider_get_key_prefix (byok_catalog_lookup_provider (catalog, "gemini")), ==, "AIza");
  g_assert_null (byok_provider_get_key_prefix (byok_catalog_lookup_provider (catalog, "mistral")));
}

static void
count_signal (gpointer  instance,
              guint    *count)
{
  (*count)++;
}

static void
test_custom_providers (void)
{
  g_autoptr(ByokCatalog) catalog = byok_catalog_new_default ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) providers = NULL;
  ByokProvider *provider;
  guint changed = 0;
  char *url;

  g_signal_connect (catalog, "changed", G_CALLBACK (count_signal), &changed);

  provider = byok_catalog_add_custom_provider (catalog, "local-llm", "My llama.cpp",
                                               "http://127.0.0.1:8080/v1/", FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (provider);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_true (byok_catalog_lookup_provider (catalog, "local-llm") == provider);
  g_assert_true (byok_provider_is_custom (provider));
  g_assert_false (byok_provider_get_needs_key (provider));
  g_assert_cmpint (byok_provider_get_auth_style (provider), ==, BYOK_AUTH_NONE);
  g_assert_cmpint (byok_provider_get_dialect (provider), ==, BYOK_PROVIDER_DIALECT_OPENAI);
  g_assert_cmpstr (byok_provider_get_name (provider), ==, "My llama.cpp");
  url = byok_provider_build_chat_url (provider, "whatever", TRUE);
  g_assert_cmpstr (url, ==, "http://127.0.0.1:8080/v1/chat/completions");
  g_free (url);
  providers = byok_catalog_get_providers (catalog);
  g_assert_true (g_ptr_array_index (providers, providers->len - 1) == provider);

  provider = byok_catalog_add_custom_provider (catalog, "keyed", NULL, "https://llm.example.com/v1",
                                               TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (byok_provider_get_name (provider), ==, "keyed");
  g_assert_cmpint (byok_provider_get_auth_style (provider), ==, BYOK_AUTH_BEARER);

  /* refused */
  g_assert_null (byok_catalog_add_custom_provider (catalog, "openai", "x", "https://a.example", TRUE, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (byok_catalog_add_custom_provider (catalog, "custom", "x", "https://a.example", TRUE, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (byok_catalog_add_custom_provider (catalog, "Bad Id", "x", "https://a.example", TRUE, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (byok_catalog_add_custom_provider (catalog, "nourl", "x", "localhost:8080", TRUE, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (byok_catalog_add_custom_provider (catalog, "nourl", "x", NULL, TRUE, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (changed, ==, 2);

  /* a listing fills its models */
  g_assert_cmpuint (byok_catalog_merge_models (catalog, "local-llm",
                                               (const char * const[]) { "qwen", "llama", NULL }), ==, 2);
  g_assert_nonnull (byok_catalog_lookup_model (catalog, "local-llm", "qwen"));

  /* removal */
  g_assert_false (byok_catalog_remove_custom_provider (catalog, "anthropic", &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (byok_catalog_remove_custom_provider (catalog, "nope", &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_NOT_FOUND);
  g_clear_error (&error);
  changed = 0;
  g_assert_true (byok_catalog_remove_custom_provider (catalog, "local-llm", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_null (byok_catalog_lookup_provider (catalog, "local-llm"));
  g_assert_null (byok_catalog_lookup_model (catalog, "local-llm", "qwen"));
  g_clear_pointer (&providers, g_ptr_array_unref);
  providers = byok_catalog_get_providers (catalog);
  g_assert_cmpuint (providers->len, ==, G_N_ELEMENTS (expected_providers) + 1);
  g_assert_true (byok_catalog_remove_custom_provider (catalog, "keyed", NULL));
}

static void
test_merge_models (void)
{
  g_autoptr(ByokCatalog) catalog = byok_catalog_new_default ();
  g_autoptr(GPtrArray) before = byok_catalog_get_models (catalog, "openai");
  g_autoptr(GPtrArray) after = NULL;
  ByokModel *model;
  double cost;

  g_assert_cmpuint (byok_catalog_merge_models (catalog, "openai",
                                               (const char * const[]) {
                                                 "gpt-4o", "o3", "gpt-4o-2024-08-06",
                                                 "gpt-4o-2024-08-06", "ft:gpt-4o:acme", NULL
                                               }), ==, 2);
  after = byok_catalog_get_models (catalog, "openai");
  g_assert_cmpuint (after->len, ==, before->len + 2);

  /* catalog models keep their metadata */
  model = byok_catalog_lookup_model (catalog, "openai", "gpt-4o");
  g_assert_true (byok_model_is_from_catalog (model));
  g_assert_true (byok_model_is_listed (model));
  g_assert_cmpint (byok_model_get_context_window (model), ==, 128000);
  g_assert_cmpfloat (byok_model_get_price (model)->input, ==, 2.5);
  g_assert_false (byok_model_is_listed (byok_catalog_lookup_model (catalog, "openai", "gpt-4.1")));

  /* new ones: unknown prices, not 0 */
  model = byok_catalog_lookup_model (catalog, "openai", "gpt-4o-2024-08-06");
  g_assert_nonnull (model);
  g_assert_false (byok_model_is_from_catalog (model));
  g_assert_true (byok_model_is_listed (model));
  g_assert_cmpint (byok_model_get_context_window (model), ==, 0);
  g_assert_cmpstr (byok_model_get_name (model), ==, "gpt-4o-2024-08-06");
  g_assert_false (byok_price_is_known (byok_model_get_price (model)));
  g_assert_false (byok_price_cost (byok_model_get_price (model), 1000, 0, 0, 1000, &cost));
  g_assert_true (isnan (cost));
  /* sorted after the catalog models */
  g_assert_cmpstr (byok_model_get_id (g_ptr_array_index (after, before->len)), ==, "ft:gpt-4o:acme");

  /* a second listing adds nothing twice */
  g_assert_cmpuint (byok_catalog_merge_models (catalog, "openai",
                                               (const char * const[]) { "gpt-4o-2024-08-06", NULL }), ==, 0);
  g_assert_false (byok_model_is_listed (byok_catalog_lookup_model (catalog, "openai", "gpt-4o")));

  /* Gemini lists "models/ID" */
  g_assert_cmpuint (byok_catalog_merge_models (catalog, "gemini",
                                               (const char * const[]) {
                                                 "models/gemini-2.5-pro", "models/gemini-exp-1206", NULL
                                               }), ==, 1);
  g_assert_true (byok_model_is_listed (byok_catalog_lookup_model (catalog, "gemini", "gemini-2.5-pro")));
  g_assert_nonnull (byok_catalog_lookup_model (catalog, "gemini", "gemini-exp-1206"));

  /* Ollama: ":latest" is the catalog model; other local models cost nothing */
  g_assert_cmpuint (byok_catalog_merge_models (catalog, "ollama",
                                               (const char * const[]) {
                                                 "llama3.2:latest", "mistral:7b", NULL
                                               }), ==, 1);
  g_assert_true (byok_model_is_listed (byok_catalog_lookup_model (catalog, "ollama", "llama3.2")));
  model = byok_catalog_lookup_model (catalog, "ollama", "mistral:7b");
  g_assert_true (byok_price_cost (byok_model_get_price (model), 5000, 0, 0, 5000, &cost));
  g_assert_cmpfloat (cost, ==, 0.0);

  /* unknown provider: ignored */
  g_assert_cmpuint (byok_catalog_merge_models (catalog, "nope",
                                               (const char * const[]) { "x", NULL }), ==, 0);
}

static void
assert_sorted_for (GPtrArray  *models,
                   const char *use_case)
{
  int last = G_MININT;

  for (guint i = 0; i < models->len; i++)
    {
      ByokModel *model = g_ptr_array_index (models, i);

      g_assert_true (byok_model_is_recommended_for (model, use_case));
      g_assert_cmpint (byok_model_get_rank (model), >=, last);
      last = byok_model_get_rank (model);
    }
}

static gboolean
contains_model (GPtrArray  *models,
                const char *provider_id,
                const char *model_id)
{
  for (guint i = 0; i < models->len; i++)
    {
      ByokModel *model = g_ptr_array_index (models, i);

      if (g_str_equal (byok_model_get_provider_id (model), provider_id) &&
          g_str_equal (byok_model_get_id (model), model_id))
        return TRUE;
    }
  return FALSE;
}

typedef struct {
  const char *provider;
  const char *model;
  double      input;
  double      cached_input;   /* NAN: none listed */
  double      cache_write;    /* NAN: none listed */
  double      output;
  gint64      context_window;
} Flagship;

/* The models issue 20 names, with the prices their providers publish
 * (data/catalog-sources.md), as of 2026-12-07. */
static const Flagship flagships[] = {
  { "openai", "gpt-5.2", 1.75, 0.175, NAN, 14, 272000 },
  { "openai", "gpt-5.4", 2.5, 0.25, NAN, 15, 1050000 },
  { "openai", "gpt-5.4-mini", 0.75, 0.075, NAN, 4.5, 272000 },
  { "openai", "gpt-5.4-nano", 0.2, 0.02, NAN, 1.25, 272000 },
  { "openai", "gpt-5.6-sol", 4, 0.4, 5, 20, 1050000 },
  { "openai", "gpt-5.6-terra", 2, 0.2, 2.5, 12, 1050000 },
  { "openai", "gpt-5.6-luna", 0.2, 0.02, 0.25, 1.2, 1050000 },
  { "anthropic", "claude-sonnet-4-6", 3, 0.3, 3.75, 15, 1000000 },
  { "anthropic", "claude-opus-4-6", 5, 0.5, 6.25, 25, 1000000 },
  { "anthropic", "claude-opus-4-7", 5, 0.5, 6.25, 25, 1000000 },
  { "anthropic", "claude-opus-4-8", 5, 0.5, 6.25, 25, 1000000 },
  { "anthropic", "claude-sonnet-5", 2, 0.2, 2.5, 10, 1000000 },
  { "anthropic", "claude-opus-5", 5, 0.5, 6.25, 25, 1000000 },
  { "anthropic", "claude-opus-5-5", 4, 0.2, 5, 20, 1000000 },
  { "anthropic", "claude-haiku-5-5", 0.1, 0.01, 0.125, 0.5, 1000000 },
  { "gemini", "gemini-3.1-pro-preview", 2, 0.2, NAN, 12, 1048576 },
  { "gemini", "gemini-3.5-flash", 1.5, 0.15, NAN, 9, 1000000 },
  { "gemini", "gemini-3.8-flash", 0.75, 0.075, NAN, 3.75, 1000000 },
  { "deepseek", "deepseek-v4-flash", 0.22, 0.007, NAN, 0.66, 1000000 },
  { "deepseek", "deepseek-v4-pro", 0.66, 0.022, NAN, 1.98, 1000000 },
  { "moonshot", "kimi-k2.5", 0.6, 0.1, NAN, 3, 262144 },
  { "moonshot", "kimi-k2.6", 0.95, 0.16, NAN, 4, 262144 },
  { "moonshot", "kimi-k3", 3, 0.3, NAN, 15, 1048576 },
  { "xai", "grok-4.6", 2, 0.5, NAN, 6, 500000 },
  { "mistral", "mistral-medium-latest", 1.5, 0.15, NAN, 7.5, 262144 },
  { "zhipu", "glm-5.3", 1.4, 0.26, NAN, 4.4, 1000000 },
};

static void
test_todays_models (void)
{
  g_autoptr(ByokCatalog) catalog = byok_catalog_new_default ();
  ByokModel *model;
  const ByokPrice *price;
  const ByokPriceTier *tier;

  for (guint i = 0; i < G_N_ELEMENTS (flagships); i++)
    {
      const Flagship *f = &flagships[i];

      g_test_message ("%s/%s", f->provider, f->model);
      model = byok_catalog_lookup_model (catalog, f->provider, f->model);
      g_assert_nonnull (model);
      g_assert_false (byok_model_is_retired (model));
      price = byok_model_get_price (model);
      g_assert_true (byok_price_is_known (price));
      byok_test_assert_rate (price->input, f->input);
      byok_test_assert_rate (price->cached_input, f->cached_input);
      byok_test_assert_rate (price->cache_write, f->cache_write);
      byok_test_assert_rate (price->output, f->output);
      g_assert_cmpint (byok_model_get_context_window (model), ==, f->context_window);
      /* every price says where it comes from and when that was */
      g_assert_nonnull (byok_model_get_price_source (model));
      g_assert_nonnull (byok_model_get_price_date (model));
    }

  /* tiers: OpenAI from 272K tokens, Haiku 5.5 above 100K, Grok from 200K */
  price = byok_model_get_price (byok_catalog_lookup_model (catalog, "openai", "gpt-5.6-sol"));
  g_assert_null (byok_price_get_tier (price, 271999));
  tier = byok_price_get_tier (price, 272000);
  g_assert_nonnull (tier);
  g_assert_cmpfloat (tier->input, ==, 8);
  g_assert_cmpfloat (tier->output, ==, 30);
  price = byok_model_get_price (byok_catalog_lookup_model (catalog, "anthropic", "claude-haiku-5-5"));
  tier = byok_price_get_tier (price, 100001);
  g_assert_nonnull (tier);
  g_assert_cmpfloat (tier->input, ==, 0.5);
  g_assert_cmpfloat (tier->cached_input, ==, 0.05);
  g_assert_cmpfloat (tier->output, ==, 2.5);
  g_assert_nonnull (byok_price_get_tier (byok_model_get_price (byok_catalog_lookup_model (catalog, "xai", "grok-4.6")),
                                         200000));

  /* models whose price nobody publishes yet say so, and cost "unknown" */
  model = byok_catalog_lookup_model (catalog, "openai", "gpt-6.2-sol");
  g_assert_nonnull (model);
  g_assert_false (byok_price_is_known (byok_model_get_price (model)));
  g_assert_true (g_str_has_prefix (byok_model_get_price_source (model), "price unknown"));

  /* retired: DeepSeek's old names, Claude Sonnet 4.5; Opus 4.5 is retiring */
  g_assert_true (byok_model_is_retired (byok_catalog_lookup_model (catalog, "deepseek", "deepseek-chat")));
  g_assert_true (byok_model_is_retired (byok_catalog_lookup_model (catalog, "anthropic", "claude-sonnet-4-5")));
  model = byok_catalog_lookup_model (catalog, "anthropic", "claude-opus-4-5");
  g_assert_false (byok_model_is_retired (model));
  g_assert_cmpstr (byok_model_get_deprecation_date (model), ==, "2027-01-22");

  /* PDF input is a capability of its own */
  g_assert_true (byok_model_has_capability (byok_catalog_lookup_model (catalog, "anthropic", "claude-opus-5-5"),
                                            BYOK_MODEL_CAP_PDF));
  g_assert_false (byok_model_has_capability (byok_catalog_lookup_model (catalog, "deepseek", "deepseek-v4-pro"),
                                             BYOK_MODEL_CAP_PDF));
}

static void
test_params (void)
{
  g_autoptr(ByokCatalog) catalog = byok_catalog_new_default ();
  ByokModelParams params;

  /* a model the catalog does not know: the dialect's range, no effort */
  byok_model_get_params (NULL, "openai", &params);
  g_assert_false (params.from_catalog);
  g_assert_cmpint (params.temperature, ==, BYOK_TEMPERATURE_ANY);
  g_assert_cmpfloat (params.temperature_max, ==, 2.0);
  g_assert_cmpint (params.effort_via, ==, BYOK_EFFORT_VIA_NONE);
  byok_model_get_params (NULL, "anthropic", &params);
  g_assert_cmpfloat (params.temperature_max, ==, 1.0);
  byok_model_get_params (byok_catalog_lookup_model (catalog, "openai", "gpt-4o"), "openai", &params);
  g_assert_cmpint (params.temperature, ==, BYOK_TEMPERATURE_ANY);
  g_assert_cmpfloat (params.temperature_max, ==, 2.0);

  /* OpenAI reasoning models: no temperature; reasoning_effort */
  for (const char * const *id = (const char * const[]) { "gpt-5", "gpt-5-mini", "o3", "o4-mini", "gpt-5.6-sol", NULL };
       *id != NULL; id++)
    {
      byok_model_get_params (byok_catalog_lookup_model (catalog, "openai", *id), "openai", &params);
      g_assert_true (params.from_catalog);
      g_assert_cmpint (params.temperature, ==, BYOK_TEMPERATURE_FIXED);
      g_assert_cmpint (params.effort_via, ==, BYOK_EFFORT_VIA_REASONING_EFFORT);
      g_assert_true (params.effort_levels & BYOK_EFFORT_LEVEL_LOW);
      g_assert_true (params.effort_levels & BYOK_EFFORT_LEVEL_HIGH);
    }
  /* GPT-5.1 and later take a temperature while they do not reason */
  byok_model_get_params (byok_catalog_lookup_model (catalog, "openai", "gpt-5.4"), "openai", &params);
  g_assert_cmpint (params.temperature, ==, BYOK_TEMPERATURE_WITHOUT_EFFORT);
  g_assert_true (params.effort_levels & BYOK_EFFORT_LEVEL_NONE);

  /* Anthropic: 0 to 1 up to Opus 4.6, none after; adaptive thinking or budgets */
  byok_model_get_params (byok_catalog_lookup_model (catalog, "anthropic", "claude-opus-4-6"), "anthropic", &params);
  g_assert_cmpint (params.temperature, ==, BYOK_TEMPERATURE_ANY);
  g_assert_cmpfloat (params.temperature_max, ==, 1.0);
  g_assert_cmpint (params.effort_via, ==, BYOK_EFFORT_VIA_ADAPTIVE);
  byok_model_get_params (byok_catalog_lookup_model (catalog, "anthropic", "claude-opus-4-7"), "anthropic", &params);
  g_assert_cmpint (params.temperature, ==, BYOK_TEMPERATURE_FIXED);
  byok_model_get_params (byok_catalog_lookup_model (catalog, "anthropic", "claude-haiku-4-5"), "anthropic", &params);
  g_assert_cmpfloat (params.temperature_max, ==, 1.0);
  g_assert_cmpint (params.effort_via, ==, BYOK_EFFORT_VIA_BUDGET);

  /* Gemini 3: thinking levels; 3.1 Pro has no "minimal"; 2.5: budgets */
  byok_model_get_params (byok_catalog_lookup_model (catalog, "gemini", "gemini-3.1-pro-preview"), "gemini", &params);
  g_assert_cmpint (params.effort_via, ==, BYOK_EFFORT_VIA_LEVEL);
  g_assert_false (params.effort_levels & BYOK_EFFORT_LEVEL_MINIMAL);
  g_assert_cmpstr (params.effort_default, ==, "high");
  byok_model_get_params (byok_catalog_lookup_model (catalog, "gemini", "gemini-2.5-flash"), "gemini", &params);
  g_assert_cmpint (params.effort_via, ==, BYOK_EFFORT_VIA_BUDGET);
}

static void
test_pick_effort (void)
{
  ByokModelParams params = { 0, };

  params.effort_via = BYOK_EFFORT_VIA_NONE;
  g_assert_cmpint (byok_model_params_pick_effort (&params, BYOK_EFFORT_HIGH), ==, 0);

  params.effort_via = BYOK_EFFORT_VIA_REASONING_EFFORT;
  params.effort_levels = BYOK_EFFORT_LEVEL_MINIMAL | BYOK_EFFORT_LEVEL_LOW | BYOK_EFFORT_LEVEL_MEDIUM |
                         BYOK_EFFORT_LEVEL_HIGH;
  g_assert_cmpint (byok_model_params_pick_effort (&params, BYOK_EFFORT_DEFAULT), ==, 0);
  g_assert_cmpint (byok_model_params_pick_effort (&params, BYOK_EFFORT_LOW), ==, BYOK_EFFORT_LEVEL_LOW);
  g_assert_cmpint (byok_model_params_pick_effort (&params, BYOK_EFFORT_MEDIUM), ==, BYOK_EFFORT_LEVEL_MEDIUM);
  g_assert_cmpint (byok_model_params_pick_effort (&params, BYOK_EFFORT_HIGH), ==, BYOK_EFFORT_LEVEL_HIGH);

  /* Gemini 3 Pro takes low and high: medium goes up, never to "none" */
  params.effort_via = BYOK_EFFORT_VIA_LEVEL;
  params.effort_levels = BYOK_EFFORT_LEVEL_NONE | BYOK_EFFORT_LEVEL_LOW | BYOK_EFFORT_LEVEL_HIGH;
  g_assert_cmpint (byok_model_params_pick_effort (&params, BYOK_EFFORT_MEDIUM), ==, BYOK_EFFORT_LEVEL_HIGH);
  params.effort_levels = BYOK_EFFORT_LEVEL_NONE | BYOK_EFFORT_LEVEL_HIGH | BYOK_EFFORT_LEVEL_MAX;
  g_assert_cmpint (byok_model_params_pick_effort (&params, BYOK_EFFORT_LOW), ==, BYOK_EFFORT_LEVEL_HIGH);
  params.effort_levels = BYOK_EFFORT_LEVEL_MINIMAL;
  g_assert_cmpint (byok_model_params_pick_effort (&params, BYOK_EFFORT_LOW), ==, BYOK_EFFORT_LEVEL_MINIMAL);

  g_assert_cmpstr (byok_effort_level_to_string (BYOK_EFFORT_LEVEL_XHIGH), ==, "xhigh");
  for (ByokEffort e = BYOK_EFFORT_DEFAULT; e <= BYOK_EFFORT_HIGH; e++)
    {
      ByokEffort back = -1;

      g_assert_true (byok_effort_from_string (byok_effort_to_string (e), &back));
      g_assert_cmpint (back, ==, e);
      g_assert_nonnull (byok_effort_get_label (e));
    }
  {
    ByokEffort effort;

    g_assert_false (byok_effort_from_string ("extreme", &effort));
  }
}

static void
test_price_changes (void)
{
  g_autoptr(ByokCatalog) catalog = byok_catalog_new_default ();
  ByokModel *model = byok_catalog_lookup_model (catalog, "gemini", "gemini-3.8-flash");
  ByokPrice next;

  /* introductory rates through 2026-12-31; the announced ones from 2027-01-01 */
  g_assert_cmpfloat (byok_model_get_price (model)->input, ==, 0.75);
  g_assert_cmpstr (byok_model_get_next_price_change (model, &next), ==, "2027-01-01");
  g_assert_cmpfloat (next.input, ==, 1.5);
  g_assert_cmpfloat (next.output, ==, 7.5);
  g_assert_cmpfloat (byok_model_get_price_at (model, "2026-12-31")->output, ==, 3.75);
  g_assert_cmpfloat (byok_model_get_price_at (model, "2027-01-01")->output, ==, 7.5);

  g_setenv ("BYOK_TODAY", "2027-01-02", TRUE);
  g_assert_cmpfloat (byok_model_get_price (model)->input, ==, 1.5);
  g_assert_cmpstr (byok_model_get_price_date (model), ==, "2027-01-01");
  g_assert_true (strstr (byok_model_get_price_source (model), "2027-01-01") != NULL);
  g_assert_null (byok_model_get_next_price_change (model, NULL));
  g_setenv ("BYOK_TODAY", "2026-12-07", TRUE);
}

static void
test_recommend (void)
{
  g_autoptr(ByokCatalog) catalog = byok_catalog_new_default ();
  g_autoptr(GPtrArray) coding = byok_catalog_recommend (catalog, BYOK_USE_CASE_CODING, 0);
  g_autoptr(GPtrArray) chinese = byok_catalog_recommend (catalog, BYOK_USE_CASE_CHINESE, 0);
  g_autoptr(GPtrArray) top3 = byok_catalog_recommend (catalog, BYOK_USE_CASE_CODING, 3);
  g_autoptr(GPtrArray) bad = byok_catalog_recommend (catalog, "poetry", 5);
  g_autoptr(GPtrArray) without_anthropic = NULL;

  g_assert_cmpuint (coding->len, >=, 5);
  assert_sorted_for (coding, BYOK_USE_CASE_CODING);
  g_assert_cmpstr (byok_model_get_id (g_ptr_array_index (coding, 0)), ==, "claude-opus-5-5");
  g_assert_true (contains_model (coding, "openai", "gpt-5"));
  g_assert_true (contains_model (coding, "moonshot", "kimi-k3"));
  /* retired models are not recommended (Sonnet 4.5 on 2026-11-30, Kimi K2 previews) */
  g_assert_false (contains_model (coding, "anthropic", "claude-sonnet-4-5-20250929"));
  g_assert_false (contains_model (coding, "moonshot", "kimi-k2-0905-preview"));

  g_assert_cmpuint (chinese->len, >=, 4);
  assert_sorted_for (chinese, BYOK_USE_CASE_CHINESE);
  g_assert_cmpstr (byok_model_get_provider_id (g_ptr_array_index (chinese, 0)), ==, "moonshot");
  g_assert_true (contains_model (chinese, "zhipu", "glm-4.6"));
  g_assert_true (contains_model (chinese, "deepseek", "deepseek-v4-flash"));
  g_assert_false (contains_model (chinese, "deepseek", "deepseek-chat"));
  for (guint i = 0; i < chinese->len; i++)
    {
      const char *provider = byok_model_get_provider_id (g_ptr_array_index (chinese, i));

      g_assert_true (g_str_equal (provider, "moonshot") || g_str_equal (provider, "zhipu") ||
                     g_str_equal (provider, "deepseek") || g_str_equal (provider, "ollama"));
    }

  g_assert_cmpuint (top3->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_true (g_ptr_array_index (top3, i) == g_ptr_array_index (coding, i));

  g_assert_cmpuint (bad->len, ==, 0);

  for (const char * const *u = byok_use_case_get_all (); *u != NULL; u++)
    {
      g_autoptr(GPtrArray) models = byok_catalog_recommend (catalog, *u, 0);

      g_assert_cmpuint (models->len, >, 0);
      assert_sorted_for (models, *u);
      g_assert_nonnull (byok_use_case_get_label (*u));
    }
  g_assert_null (byok_use_case_get_label ("poetry"));

  /* a disabled provider is not recommended */
  byok_provider_set_enabled (byok_catalog_lookup_provider (catalog, "anthropic"), FALSE);
  without_anthropic = byok_catalog_recommend (catalog, BYOK_USE_CASE_CODING, 0);
  g_assert_cmpuint (without_anthropic->len, <, coding->len);
  g_assert_cmpstr (byok_model_get_id (g_ptr_array_index (without_anthropic, 0)), ==, "gpt-6-astra");
}

static void
assert_suggestion (ByokCatalog *catalog,
                   const char  *provider_id,
                   const char  *bad_id,
                   const char  *expected)
{
  g_autofree char *suggestion = byok_catalog_suggest_model (catalog, provider_id, bad_id);

  g_assert_cmpstr (suggestion, ==, expected);
}

static void
test_suggest_model (void)
{
  g_autoptr(ByokCatalog) catalog = byok_catalog_new_default ();

  assert_suggestion (catalog, "moonshot", "kimi-k2", "kimi-k2-0905-preview");
  assert_suggestion (catalog, "moonshot", "KIMI-K2", "kimi-k2-0905-preview");
  assert_suggestion (catalog, "moonshot", "kimi-k2-thinkin", "kimi-k2-thinking");
  assert_suggestion (catalog, "openai", "gpt4o", "gpt-4o");
  assert_suggestion (catalog, "openai", "gpt-4o-2024-08-06", "gpt-4o");
  assert_suggestion (catalog, "anthropic", "claude-sonnet-4-5", "claude-sonnet-4-5-20250929");
  assert_suggestion (catalog, "anthropic", "sonnet-4-5", "claude-sonnet-4-5-20250929");
  assert_suggestion (catalog, "zhipu", "glm-4.7", "glm-4.6");
  assert_suggestion (catalog, "deepseek", "deepseek-chatt", "deepseek-chat");
  assert_suggestion (catalog, NULL, "kimi-k2", "moonshot/kimi-k2-0905-preview");
  assert_suggestion (catalog, "openai", "zzzzzzzzzz", NULL);
  assert_suggestion (catalog, "openai", "", NULL);
  assert_suggestion (catalog, "nope", "gpt-4o", NULL);
}

typedef struct {
  const char *json;
  const char *mentions;
} BrokenCatalog;

#define PROVIDER_HEAD \
  "{\"id\":\"p\",\"name\":\"P\",\"dialect\":\"openai\",\"base_url\":\"https://p.example/v1\"," \
  "\"auth\":\"bearer\",\"env\":[],\"key_hint\":{\"description\":\"d\"},\"models_list\":\"openai\"," \
  "\"key_check\":{\"method\":\"GET\",\"path\":\"/models\"}"

static void
test_malformed (void)
{
  static const BrokenCatalog broken[] = {
    { "{ not json", NULL },
    { "", NULL },
    { "[]", "object" },
    { "{\"version\":1}", "providers" },
    { "{\"version\":2,\"providers\":[" PROVIDER_HEAD "}]}", "version" },
    { "{\"version\":1,\"providers\":[]}", "providers" },
    { "{\"version\":1,\"providers\":[{\"name\":\"P\"}]}", "id" },
    { "{\"version\":1,\"providers\":[" PROVIDER_HEAD ",\"colour\":\"red\"}]}", "colour" },
    { "{\"version\":1,\"providers\":[" PROVIDER_HEAD "}," PROVIDER_HEAD "}]}", "twice" },
    { "{\"version\":1,\"providers\":[{\"id\":\"p\",\"name\":\"P\",\"dialect\":\"cobol\",\"base_url\":\"https://p\"}]}",
      "cobol" },
    { "{\"version\":1,\"providers\":[" PROVIDER_HEAD ",\"models\":[{\"id\":\"m\",\"name\":\"M\","
      "\"capabilities\":[\"streaming\"]}]}]}", "context_window" },
    { "{\"version\":1,\"providers\":[" PROVIDER_HEAD ",\"models\":[{\"id\":\"m\",\"name\":\"M\","
      "\"context_window\":\"big\",\"capabilities\":[\"streaming\"]}]}]}", "context_window" },
    { "{\"version\":1,\"providers\":[" PROVIDER_HEAD ",\"models\":[{\"id\":\"m\",\"name\":\"M\","
      "\"context_window\":1000,\"capabilities\":[\"streaming\"],\"price\":{\"input\":-1,\"output\":2},"
      "\"price_source\":\"s\"}]}]}", "input" },
    { "{\"version\":1,\"providers\":[" PROVIDER_HEAD ",\"models\":[{\"id\":\"m\",\"name\":\"M\","
      "\"context_window\":1000,\"capabilities\":[\"streaming\"],\"price\":{\"input\":1,\"output\":2,"
      "\"tiers\":[{\"above_input_tokens\":200,\"input\":2,\"output\":4},{\"above_input_tokens\":100,\"input\":3,\"output\":5}]},"
      "\"price_source\":\"s\"}]}]}", "tier 2" },
    { "{\"version\":1,\"providers\":[" PROVIDER_HEAD ",\"models\":[{\"id\":\"m\",\"name\":\"M\","
      "\"context_window\":1000,\"capabilities\":[\"streaming\"],\"price\":{\"input\":1,\"output\":2}}]}]}",
      "price_source" },
    { "{\"version\":1,\"providers\":[" PROVIDER_HEAD ",\"models\":[{\"id\":\"m\",\"name\":\"M\","
      "\"context_window\":1000,\"capabilities\":[\"telepathy\"]}]}]}", "telepathy" },
    { "{\"version\":1,\"providers\":[" PROVIDER_HEAD ",\"models\":[{\"id\":\"m\",\"name\":\"M\","
      "\"context_window\":1000,\"capabilities\":[\"streaming\"],\"recommended_for\":[\"poetry\"]}]}]}",
      "poetry" },
    { "{\"version\":1,\"providers\":[" PROVIDER_HEAD ",\"models\":[{\"id\":\"m\",\"name\":\"M\","
      "\"context_window\":1000,\"capabilities\":[\"streaming\"]},{\"id\":\"m\",\"name\":\"M\","
      "\"context_window\":1000,\"capabilities\":[\"streaming\"]}]}]}", "twice" },
    { "{\"version\":1,\"providers\":[" PROVIDER_HEAD ",\"needs_key\":false}]}", "needs_key" },
    { "{\"version\":1,\"providers\":[" PROVIDER_HEAD ",\"models\":[{\"id\":\"m\",\"name\":\"M\","
      "\"context_window\":1000,\"capabilities\":[\"streaming\"],\"temperature\":true}]}]}", "temperature" },
    { "{\"version\":1,\"providers\":[" PROVIDER_HEAD ",\"models\":[{\"id\":\"m\",\"name\":\"M\","
      "\"context_window\":1000,\"capabilities\":[\"streaming\"],\"temperature\":{\"min\":1,\"max\":0.5}}]}]}",
      "temperature" },
    { "{\"version\":1,\"providers\":[" PROVIDER_HEAD ",\"models\":[{\"id\":\"m\",\"name\":\"M\","
      "\"context_window\":1000,\"capabilities\":[\"streaming\"],\"effort\":{\"via\":\"vibes\",\"levels\":[\"low\"]}}]}]}",
      "vibes" },
    { "{\"version\":1,\"providers\":[" PROVIDER_HEAD ",\"models\":[{\"id\":\"m\",\"name\":\"M\","
      "\"context_window\":1000,\"capabilities\":[\"streaming\"],\"effort\":{\"via\":\"level\",\"levels\":[\"extreme\"]}}]}]}",
      "extreme" },
    { "{\"version\":1,\"providers\":[" PROVIDER_HEAD ",\"models\":[{\"id\":\"m\",\"name\":\"M\","
      "\"context_window\":1000,\"capabilities\":[\"streaming\"],\"effort\":{\"via\":\"level\",\"levels\":[\"low\"],"
      "\"default\":\"high\"}}]}]}", "default" },
    { "{\"version\":1,\"providers\":[" PROVIDER_HEAD ",\"models\":[{\"id\":\"m\",\"name\":\"M\","
      "\"context_window\":1000,\"capabilities\":[\"streaming\"],\"price\":{\"input\":1,\"output\":2},"
      "\"price_source\":\"s\",\"price_date\":\"2026-01-01\",\"price_changes\":[{\"from\":\"2025-12-31\","
      "\"price\":{\"input\":2,\"output\":4},\"price_source\":\"t\"}]}]}]}", "from" },
    { "{\"version\":1,\"providers\":[" PROVIDER_HEAD ",\"models\":[{\"id\":\"m\",\"name\":\"M\","
      "\"context_window\":1000,\"capabilities\":[\"streaming\"],\"price\":{\"input\":1,\"output\":2},"
      "\"price_source\":\"s\",\"price_changes\":[{\"from\":\"soon\",\"price\":{\"input\":2,\"output\":4},"
      "\"price_source\":\"t\"}]}]}]}", "from" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ByokCatalog) catalog = NULL;

      g_test_message ("broken catalog %u: %s", i, broken[i].json);
      catalog = byok_catalog_new_from_data (broken[i].json, -1, &error);
      g_assert_null (catalog);
      g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
      g_test_message ("→ %s", error->message);
      if (broken[i].mentions != NULL)
        g_assert_nonnull (strstr (error->message, broken[i].mentions));
    }

  /* the same head makes a valid catalog */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ByokCatalog) catalog =
      byok_catalog_new_from_data ("{\"version\":1,\"_note\":\"comments are fine\",\"providers\":["
                                  PROVIDER_HEAD ",\"models\":[{\"id\":\"m\",\"name\":\"M\","
                                  "\"context_window\":1000,\"capabilities\":[\"streaming\",\"tools\"]}]}]}",
                                  -1, &error);

    g_assert_no_error (error);
    g_assert_nonnull (byok_catalog_lookup_model (catalog, "p", "m"));
    g_assert_true (byok_model_has_capability (byok_catalog_lookup_model (catalog, "p", "m"),
                                              BYOK_MODEL_CAP_TOOLS));
    g_assert_null (byok_catalog_get_custom_template (catalog));
  }
}

/* data/catalog.json read by the JSON reader; NULL (the test skipped)
 * without BYOK_SOURCE_DIR. */
static ByokCatalog *
catalog_from_source (void)
{
  const char *source_dir = g_getenv ("BYOK_SOURCE_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  ByokCatalog *catalog;

  if (source_dir == NULL)
    {
      g_test_skip ("BYOK_SOURCE_DIR is not set");
      return NULL;
    }
  path = g_build_filename (source_dir, "data", "catalog.json", NULL);
  catalog = byok_catalog_new_from_file (path, &error);
  g_assert_no_error (error);
  return catalog;
}

static void
test_from_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokCatalog) from_file = NULL;
  g_autoptr(ByokCatalog) shipped = byok_catalog_new_default ();
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(GPtrArray) b = NULL;

  g_assert_null (byok_catalog_new_from_file ("/nonexistent/byok/catalog.json", &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE);

  /* the file in data/ is the one compiled in */
  from_file = catalog_from_source ();
  if (from_file == NULL)
    return;
  a = byok_catalog_get_providers (from_file);
  b = byok_catalog_get_providers (shipped);
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      const char *id = byok_provider_get_id (g_ptr_array_index (a, i));
      g_autoptr(GPtrArray) ma = byok_catalog_get_models (from_file, id);
      g_autoptr(GPtrArray) mb = byok_catalog_get_models (shipped, id);

      g_assert_cmpstr (id, ==, byok_provider_get_id (g_ptr_array_index (b, i)));
      g_assert_cmpuint (ma->len, ==, mb->len);
    }
}

/* Two prices alike, unknown rates (NAN) too, or both none. */
static void
assert_price_equal (const ByokPrice *a,
                    const ByokPrice *b)
{
  g_assert_true ((a == NULL) == (b == NULL));
  if (a != NULL)
    g_assert_cmpmem (a, sizeof *a, b, sizeof *b);
}

/* What byok-catalog-compile compiles in is data/catalog.json: every
 * provider and model as the JSON reader reads them, field for field. */
static void
test_shipped_compiled (void)
{
  g_autoptr(ByokCatalog) from_json = catalog_from_source ();
  g_autoptr(ByokCatalog) shipped = byok_catalog_new_default ();
  g_autoptr(GVariant) json_form = NULL;
  g_autoptr(GVariant) shipped_form = NULL;
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(GPtrArray) b = NULL;
  static const char * const dates[] = { "2000-01-01", "2026-06-30", "2027-03-01", "2999-12-31" };

  if (from_json == NULL)
    return;

  /* Every field the reader sets, both ways. */
  json_form = g_variant_ref_sink (_byok_catalog_to_variant (from_json));
  shipped_form = g_variant_ref_sink (_byok_catalog_to_variant (shipped));
  g_assert_cmpuint (g_variant_n_children (json_form), ==, G_N_ELEMENTS (expected_providers) + 1);
  g_assert_true (g_variant_equal (json_form, shipped_form));

  /* And as a caller sees them. */
  a = byok_catalog_get_all_models (from_json);
  b = byok_catalog_get_all_models (shipped);
  g_assert_cmpuint (a->len, >, 100);
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      ByokModel *ma = g_ptr_array_index (a, i);
      ByokModel *mb = g_ptr_array_index (b, i);
      ByokModelParams pa, pb;

      g_assert_cmpstr (byok_model_get_provider_id (mb), ==, byok_model_get_provider_id (ma));
      g_assert_cmpstr (byok_model_get_id (mb), ==, byok_model_get_id (ma));
      g_assert_cmpstr (byok_model_get_name (mb), ==, byok_model_get_name (ma));
      g_assert_true (g_strv_equal (byok_model_get_aliases (mb), byok_model_get_aliases (ma)));
      g_assert_cmpint (byok_model_get_context_window (mb), ==, byok_model_get_context_window (ma));
      g_assert_cmpint (byok_model_get_max_output (mb), ==, byok_model_get_max_output (ma));
      g_assert_cmpint (byok_model_get_capabilities (mb), ==, byok_model_get_capabilities (ma));
      g_assert_true (g_strv_equal (byok_model_get_recommended_for (mb), byok_model_get_recommended_for (ma)));
      g_assert_cmpint (byok_model_get_rank (mb), ==, byok_model_get_rank (ma));
      g_assert_cmpstr (byok_model_get_deprecation_date (mb), ==, byok_model_get_deprecation_date (ma));
      assert_price_equal (byok_model_get_price (mb), byok_model_get_price (ma));
      assert_price_equal (byok_model_get_data_price (mb), byok_model_get_data_price (ma));
      g_assert_cmpstr (byok_model_get_price_source (mb), ==, byok_model_get_price_source (ma));
      g_assert_cmpstr (byok_model_get_price_date (mb), ==, byok_model_get_price_date (ma));
      /* The prices announced for a date ("price_changes") too. */
      for (guint d = 0; d < G_N_ELEMENTS (dates); d++)
        {
          assert_price_equal (byok_model_get_price_at (mb, dates[d]), byok_model_get_price_at (ma, dates[d]));
          assert_price_equal (byok_model_get_catalog_price (mb, dates[d]),
                              byok_model_get_catalog_price (ma, dates[d]));
        }
      byok_model_get_params (ma, NULL, &pa);
      byok_model_get_params (mb, NULL, &pb);
      g_assert_cmpint (pb.from_catalog, ==, pa.from_catalog);
      g_assert_cmpint (pb.temperature, ==, pa.temperature);
      g_assert_cmpfloat (pb.temperature_min, ==, pa.temperature_min);
      g_assert_cmpfloat (pb.temperature_max, ==, pa.temperature_max);
      g_assert_cmpint (pb.effort_via, ==, pa.effort_via);
      g_assert_cmpuint (pb.effort_levels, ==, pa.effort_levels);
      g_assert_cmpstr (pb.effort_default, ==, pa.effort_default);
      g_assert_true (byok_model_is_from_catalog (mb));
    }
}

/* byok_catalog_new_default_providers(): the shipped providers, in order,
 * as the whole catalog has them, and no model. */
static void
test_shipped_providers_only (void)
{
  g_autoptr(ByokCatalog) whole = byok_catalog_new_default ();
  g_autoptr(ByokCatalog) catalog = byok_catalog_new_default_providers ();
  g_autoptr(GPtrArray) a = byok_catalog_get_providers (whole);
  g_autoptr(GPtrArray) b = byok_catalog_get_providers (catalog);
  g_autoptr(GPtrArray) recommended = byok_catalog_recommend (catalog, BYOK_USE_CASE_GENERAL, 0);
  ByokProvider *template_a = byok_catalog_get_custom_template (whole);
  ByokProvider *template_b = byok_catalog_get_custom_template (catalog);
  guint n_models = 0;

  g_assert_cmpuint (b->len, ==, G_N_ELEMENTS (expected_providers));
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      ByokProvider *pa = g_ptr_array_index (a, i);
      ByokProvider *pb = g_ptr_array_index (b, i);
      const char *id = byok_provider_get_id (pa);
      g_autoptr(GPtrArray) models_a = byok_catalog_get_models (whole, id);
      g_autoptr(GPtrArray) models_b = byok_catalog_get_models (catalog, id);
      const char * const *headers = byok_provider_get_extra_header_names (pa);

      g_assert_cmpstr (byok_provider_get_id (pb), ==, id);
      g_assert_cmpstr (byok_provider_get_name (pb), ==, byok_provider_get_name (pa));
      g_assert_cmpint (byok_provider_get_dialect (pb), ==, byok_provider_get_dialect (pa));
      g_assert_cmpstr (byok_provider_get_base_url (pb), ==, byok_provider_get_base_url (pa));
      g_assert_true (g_strv_equal (byok_provider_get_alt_base_urls (pb), byok_provider_get_alt_base_urls (pa)));
      g_assert_cmpint (byok_provider_get_auth_style (pb), ==, byok_provider_get_auth_style (pa));
      g_assert_true (g_strv_equal (byok_provider_get_extra_header_names (pb), headers));
      for (guint h = 0; headers[h] != NULL; h++)
        g_assert_cmpstr (byok_provider_get_extra_header (pb, headers[h]), ==,
                         byok_provider_get_extra_header (pa, headers[h]));
      g_assert_true (g_strv_equal (byok_provider_get_env_vars (pb), byok_provider_get_env_vars (pa)));
      g_assert_cmpint (byok_provider_get_needs_key (pb), ==, byok_provider_get_needs_key (pa));
      g_assert_cmpstr (byok_provider_get_key_prefix (pb), ==, byok_provider_get_key_prefix (pa));
      g_assert_cmpstr (byok_provider_get_key_description (pb), ==, byok_provider_get_key_description (pa));
      g_assert_cmpint (byok_provider_get_models_list (pb), ==, byok_provider_get_models_list (pa));
      g_assert_cmpstr (byok_provider_get_key_check_path (pb), ==, byok_provider_get_key_check_path (pa));
      g_assert_cmpint (byok_provider_get_balance_format (pb), ==, byok_provider_get_balance_format (pa));
      g_assert_cmpstr (byok_provider_get_docs_url (pb), ==, byok_provider_get_docs_url (pa));
      g_assert_cmpint (byok_provider_is_custom (pb), ==, byok_provider_is_custom (pa));

      /* The whole catalog has models (Azure's are the person's
       * deployments); this one none. */
      n_models += models_a->len;
      g_assert_cmpuint (models_b->len, ==, 0);
    }
  g_assert_cmpuint (n_models, >, 0);
  g_assert_nonnull (template_b);
  g_assert_cmpstr (byok_provider_get_id (template_b), ==, byok_provider_get_id (template_a));
  g_assert_null (byok_catalog_lookup_model (catalog, "openai", "gpt-4o-mini"));
  g_assert_nonnull (byok_catalog_lookup_model (whole, "openai", "gpt-4o-mini"));
  g_assert_cmpuint (recommended->len, ==, 0);
}

/* The catalog's words for people come translated: a key hint, an
 * endpoint label and "(local)" after a provider's and a model's name (the
 * names themselves stay) in German and Chinese, from the .mo files of the build
 * (in a child process: it changes the locale). */
static void
test_translated (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(ByokCatalog) catalog = NULL;
      ByokProvider *openai;
      ByokProvider *moonshot;
      const char * const *alts;

      /* A real locale, as a person has: glibc 2.41 and later ignore LANGUAGE
       * under C.UTF-8. build-aux/install-deps generates these three. */
      if (setlocale (LC_ALL, g_getenv ("BYOK_TEST_LOCALE")) == NULL)
        g_error ("The locale %s is missing: run build-aux/install-deps", g_getenv ("BYOK_TEST_LOCALE"));
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("BYOK_TEST_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      catalog = byok_catalog_new_default ();
      openai = byok_catalog_lookup_provider (catalog, "openai");
      moonshot = byok_catalog_lookup_provider (catalog, "moonshot");
      alts = byok_provider_get_alt_base_urls (moonshot);
      g_assert_nonnull (alts[0]);
      g_print ("%s|%s|%s|%s\n", byok_provider_get_key_description (openai),
               byok_provider_get_alt_base_url_label (moonshot, alts[0]),
               byok_provider_get_name (byok_catalog_lookup_provider (catalog, "ollama")),
               byok_model_get_name (byok_catalog_lookup_model (catalog, "ollama", "qwen3")));
      return;
    }

  {
    static const char * const cases[][3] = {
      { "de_DE.UTF-8", "Beginnt mit sk- (Projektschlüssel: sk-proj-)", "China (platform.moonshot.cn)|Ollama (lokal)|Qwen3 (lokal)" },
      { "zh_CN.UTF-8", "以 sk- 开头（项目密钥：sk-proj-）", "中国（platform.moonshot.cn）|Ollama（本地）|Qwen3（本地）" },
      { "en_US.UTF-8", "Starts with sk- (project keys: sk-proj-)", "China (platform.moonshot.cn)|Ollama (local)|Qwen3 (local)" },
    };
    const char *localedir = g_getenv ("BYOK_TEST_LOCALEDIR");
    g_autofree char *mo = g_build_filename (localedir != NULL ? localedir : "", "de", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);

    g_assert_nonnull (localedir);
    g_assert_true (g_file_test (mo, G_FILE_TEST_EXISTS));
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *expected = g_strdup_printf ("%s|%s\n", cases[i][1], cases[i][2]);
        g_autofree char *saved = g_strdup (g_getenv ("LANGUAGE"));

        /* The child inherits the environment (GLib 2.74 has no envp). */
        g_unsetenv ("LANGUAGE");
        g_setenv ("BYOK_TEST_LOCALE", cases[i][0], TRUE);
        g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
        if (saved != NULL)
          g_setenv ("LANGUAGE", saved, TRUE);
        g_test_trap_assert_passed ();
        g_test_trap_assert_stdout (expected);
        g_test_message ("%s: %s", cases[i][0], cases[i][1]);
      }
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* The catalog's dates (retirements, announced prices) are read as of this day. */
  g_setenv ("BYOK_TODAY", "2026-12-07", TRUE);
  g_test_add_func ("/catalog/shipped/providers", test_shipped_providers);
  g_test_add_func ("/catalog/shipped/models", test_shipped_models);
  g_test_add_func ("/catalog/find-model", test_find_model);
  g_test_add_func ("/catalog/urls", test_urls);
  g_test_add_func ("/catalog/headers-and-key-hints", test_headers_and_key_hints);
  g_test_add_func ("/catalog/custom-providers", test_custom_providers);
  g_test_add_func ("/catalog/merge-models", test_merge_models);
  g_test_add_func ("/catalog/recommend", test_recommend);
  g_test_add_func ("/catalog/todays-models", test_todays_models);
  g_test_add_func ("/catalog/params", test_params);
  g_test_add_func ("/catalog/pick-effort", test_pick_effort);
  g_test_add_func ("/catalog/price-changes", test_price_changes);
  g_test_add_func ("/catalog/suggest-model", test_suggest_model);
  g_test_add_func ("/catalog/malformed", test_malformed);
  g_test_add_func ("/catalog/from-file", test_from_file);
  g_test_add_func ("/catalog/shipped/compiled", test_shipped_compiled);
  g_test_add_func ("/catalog/shipped/providers-only", test_shipped_providers_only);
  g_test_add_func ("/catalog/translated", test_translated);
  return g_test_run ();
}
