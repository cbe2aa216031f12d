/* test-provider-settings.c — per-provider settings and custom providers kept
 * in a real SQLite database, and applied to a fresh catalog and key store as
 * at the next start of the app. */
#include "config.h"

#include <glib/gstdio.h>

#include "byok-error.h"
#include "byok-provider-settings.h"

typedef struct {
  char                 *dir;
  char                 *path;
  ByokDatabase         *database;
  ByokProviderSettings *settings;
  ByokCatalog          *catalog;
  ByokKeyStore         *key_store;
  GPtrArray            *changes;   /* "provider:key" */
} Fixture;

static void
on_changed (ByokProviderSettings *settings,
            const char           *provider_id,
            const char           *key,
            gpointer              user_data)
{
  Fixture *fixture = user_data;

  g_ptr_array_add (fixture->changes, g_strdup_printf ("%s:%s", provider_id, key ? key : "(custom)"));
}

/* A fresh catalog, key store and settings object on the same database file,
 * with the settings applied: what the app sees when it starts again. */
static void
restart (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->catalog);
  g_clear_object (&fixture->key_store);
  g_clear_object (&fixture->database);

  fixture->database = byok_database_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->settings = byok_provider_settings_new (fixture->database);
  g_signal_connect (fixture->settings, "changed", G_CALLBACK (on_changed), fixture);
  fixture->catalog = byok_catalog_new_default ();
  fixture->key_store = byok_key_store_new ();
  g_assert_true (byok_provider_settings_apply (fixture->settings, fixture->catalog,
                                               fixture->key_store, &error));
  g_assert_no_error (error);
  g_ptr_array_set_size (fixture->changes, 0);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("byok-test-settings-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "byok.db", NULL);
  fixture->changes = g_ptr_array_new_with_free_func (g_free);
  restart (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (fixture->path, "-shm", NULL);

  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->catalog);
  g_clear_object (&fixture->key_store);
  g_clear_object (&fixture->database);
  g_ptr_array_unref (fixture->changes);
  g_unlink (fixture->path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static ByokProvider *
provider (Fixture    *fixture,
          const char *id)
{
  ByokProvider *p = byok_catalog_lookup_provider (fixture->catalog, id);

  g_assert_nonnull (p);
  return p;
}

static void
assert_changes (Fixture    *fixture,
                const char *first,
                ...)
{
  va_list args;
  guint i = 0;

  va_start (args, first);
  for (const char *c = first; c != NULL; c = va_arg (args, const char *), i++)
    {
      g_assert_cmpuint (i, <, fixture->changes->len);
      g_assert_cmpstr (g_ptr_array_index (fixture->changes, i), ==, c);
    }
  va_end (args);
  g_assert_cmpuint (fixture->changes->len, ==, i);
  g_ptr_array_set_size (fixture->changes, 0);
}

/* Raw values: set, replace, read, remove; unknown keys refused. */
static void
test_values (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  char *value;

  g_assert_null (byok_provider_settings_dup_value (fixture->settings, "openai",
                                                   BYOK_PROVIDER_SETTING_DEFAULT_MODEL));
  g_assert_true (byok_provider_settings_set_value (fixture->settings, "openai",
                                                   BYOK_PROVIDER_SETTING_DEFAULT_MODEL,
                                                   "gpt-4o", &error));
  g_assert_no_error (error);
  g_assert_true (byok_provider_settings_set_value (fixture->settings, "openai",
                                                   BYOK_PROVIDER_SETTING_DEFAULT_MODEL,
                                                   "gpt-4o-mini", &error));
  assert_changes (fixture, "openai:default_model", "openai:default_model", NULL);

  restart (fixture);
  value = byok_provider_settings_dup_default_model (fixture->settings, "openai");
  g_assert_cmpstr (value, ==, "gpt-4o-mini");
  g_free (value);
  /* Other providers' values are their own. */
  g_assert_null (byok_provider_settings_dup_default_model (fixture->settings, "anthropic"));

  g_assert_true (byok_provider_settings_set_default_model (fixture->settings, "openai", "  ", &error));
  g_assert_null (byok_provider_settings_dup_default_model (fixture->settings, "openai"));

  g_assert_false (byok_provider_settings_set_value (fixture->settings, "openai", "api_key",
                                                    "sk-test-fake-nope", &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_assert_null (byok_provider_settings_dup_value (fixture->settings, "openai", "api_key"));
}

/* A base URL override reaches the provider and survives a restart;
 * clearing it goes back to the catalog's; a non-http URL is refused. */
static void
test_base_url (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  ByokProvider *openai = provider (fixture, "openai");

  g_assert_cmpstr (byok_provider_get_base_url (openai), ==, "https://api.openai.com/v1");

  g_assert_true (byok_provider_settings_set_base_url (fixture->settings, openai,
                                                      "  http://127.0.0.1:9/v1  ", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (byok_provider_get_base_url (openai), ==, "http://127.0.0.1:9/v1");
  assert_changes (fixture, "openai:base_url", NULL);

  restart (fixture);
  openai = provider (fixture, "openai");
  g_assert_cmpstr (byok_provider_get_base_url (openai), ==, "http://127.0.0.1:9/v1");
  url = byok_provider_build_url (openai, "/models");
  g_assert_cmpstr (url, ==, "http://127.0.0.1:9/v1/models");

  g_assert_false (byok_provider_settings_set_base_url (fixture->settings, openai,
                                                       "ftp://example.com", &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (byok_provider_settings_set_base_url (fixture->settings, openai,
                                                       "not a url", &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpstr (byok_provider_get_base_url (openai), ==, "http://127.0.0.1:9/v1");
  assert_changes (fixture, NULL);

  g_assert_true (byok_provider_settings_set_base_url (fixture->settings, openai, "", &error));
  g_assert_no_error (error);
  g_assert_false (byok_provider_has_base_url_override (openai));
  g_assert_cmpstr (byok_provider_get_base_url (openai), ==, "https://api.openai.com/v1");

  restart (fixture);
  g_assert_cmpstr (byok_provider_get_base_url (provider (fixture, "openai")), ==,
                   "https://api.openai.com/v1");
}

/* Moonshot's China endpoint and Zhipu's international one; an override
 * wins over the choice; an unknown endpoint is refused; a stored one the
 * catalog no longer has is ignored. */
static void
test_endpoint (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  ByokProvider *moonshot = provider (fixture, "moonshot");
  ByokProvider *zhipu = provider (fixture, "zhipu");
  const char *china = "https://api.moonshot.cn/v1";
  const char *intl = "https://api.z.ai/api/paas/v4";
  char *endpoint;

  g_assert_cmpstr (byok_provider_get_alt_base_urls (moonshot)[0], ==, china);
  g_assert_cmpstr (byok_provider_get_alt_base_urls (zhipu)[0], ==, intl);
  g_assert_null (byok_provider_settings_dup_endpoint (fixture->settings, moonshot));

  g_assert_true (byok_provider_settings_set_endpoint (fixture->settings, moonshot, china, &error));
  g_assert_no_error (error);
  g_assert_true (byok_provider_settings_set_endpoint (fixture->settings, zhipu, intl, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (byok_provider_get_base_url (moonshot), ==, china);
  assert_changes (fixture, "moonshot:endpoint", "zhipu:endpoint", NULL);

  restart (fixture);
  moonshot = provider (fixture, "moonshot");
  zhipu = provider (fixture, "zhipu");
  g_assert_cmpstr (byok_provider_get_base_url (moonshot), ==, china);
  g_assert_cmpstr (byok_provider_get_base_url (zhipu), ==, intl);
  endpoint = byok_provider_settings_dup_endpoint (fixture->settings, moonshot);
  g_assert_cmpstr (endpoint, ==, china);
  g_free (endpoint);

  /* An override wins; clearing it goes back to the chosen endpoint. */
  g_assert_true (byok_provider_settings_set_base_url (fixture->settings, moonshot,
                                                      "http://127.0.0.1:9/v1", &error));
  g_assert_cmpstr (byok_provider_get_base_url (moonshot), ==, "http://127.0.0.1:9/v1");
  g_assert_true (byok_provider_settings_set_base_url (fixture->settings, moonshot, NULL, &error));
  g_assert_cmpstr (byok_provider_get_base_url (moonshot), ==, china);

  /* Not one of its endpoints. */
  g_assert_false (byok_provider_settings_set_endpoint (fixture->settings, moonshot, intl, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpstr (byok_provider_get_base_url (moonshot), ==, china);

  /* Back to the main endpoint: NULL, or the default URL itself. */
  g_assert_true (byok_provider_settings_set_endpoint (fixture->settings, zhipu,
                                                      "https://open.bigmodel.cn/api/paas/v4", &error));
  g_assert_null (byok_provider_settings_dup_value (fixture->settings, "zhipu",
                                                   BYOK_PROVIDER_SETTING_ENDPOINT));
  g_assert_cmpstr (byok_provider_get_base_url (zhipu), ==, "https://open.bigmodel.cn/api/paas/v4");
  g_assert_true (byok_provider_settings_set_endpoint (fixture->settings, moonshot, NULL, &error));
  g_assert_cmpstr (byok_provider_get_base_url (moonshot), ==, "https://api.moonshot.ai/v1");

  /* A stored endpoint that is not (or no longer) an alternative. */
  g_assert_true (byok_provider_settings_set_value (fixture->settings, "moonshot",
                                                   BYOK_PROVIDER_SETTING_ENDPOINT,
                                                   "https://old.moonshot.example/v1", &error));
  restart (fixture);
  moonshot = provider (fixture, "moonshot");
  g_assert_cmpstr (byok_provider_get_base_url (moonshot), ==, "https://api.moonshot.ai/v1");
  g_assert_null (byok_provider_settings_dup_endpoint (fixture->settings, moonshot));
}

/* Azure's endpoint, deployment and api-version build its URLs, after a
 * restart too. */
static void
test_azure (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  ByokProvider *azure = provider (fixture, "azure");

  g_assert_null (byok_provider_get_base_url (azure));
  g_assert_false (byok_provider_check_config (azure, NULL));

  g_assert_true (byok_provider_settings_set_azure (fixture->settings, azure,
                                                   "https://myres.openai.azure.com", "gpt4o-prod",
                                                   "2025-01-01-preview", &error));
  g_assert_no_error (error);
  assert_changes (fixture, "azure:azure_endpoint", "azure:azure_deployment",
                  "azure:azure_api_version", NULL);

  restart (fixture);
  azure = provider (fixture, "azure");
  g_assert_cmpstr (byok_provider_get_azure_endpoint (azure), ==, "https://myres.openai.azure.com");
  g_assert_cmpstr (byok_provider_get_azure_deployment (azure), ==, "gpt4o-prod");
  g_assert_cmpstr (byok_provider_get_azure_api_version (azure), ==, "2025-01-01-preview");
  g_assert_true (byok_provider_check_config (azure, &error));
  g_assert_no_error (error);
  url = byok_provider_build_chat_url (azure, "gpt4o-prod", TRUE);
  g_assert_cmpstr (url, ==,
                   "https://myres.openai.azure.com/openai/deployments/gpt4o-prod/chat/completions?api-version=2025-01-01-preview");

  /* set_base_url on Azure is its endpoint. */
  g_assert_true (byok_provider_settings_set_base_url (fixture->settings, azure,
                                                      "https://other.openai.azure.com", &error));
  g_assert_cmpstr (byok_provider_get_azure_endpoint (azure), ==, "https://other.openai.azure.com");

  /* An empty api-version goes back to the default; bad input is refused. */
  g_assert_true (byok_provider_settings_set_azure (fixture->settings, azure,
                                                   "https://myres.openai.azure.com", "gpt4o-prod",
                                                   "", &error));
  g_assert_cmpstr (byok_provider_get_azure_api_version (azure), ==, BYOK_AZURE_DEFAULT_API_VERSION);
  g_assert_false (byok_provider_settings_set_azure (fixture->settings, azure,
                                                    "myres", NULL, NULL, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (byok_provider_settings_set_azure (fixture->settings, azure,
                                                    "https://myres.openai.azure.com", NULL,
                                                    "2024&x=1", &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpstr (byok_provider_get_azure_deployment (azure), ==, "gpt4o-prod");

  /* Not Azure. */
  g_assert_false (byok_provider_settings_set_azure (fixture->settings, provider (fixture, "openai"),
                                                    "https://x.openai.azure.com", NULL, NULL, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
}

/* Enabled and prefer-environment reach the provider and the key store. */
static void
test_enabled_and_environment (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  ByokProvider *groq = provider (fixture, "groq");

  g_assert_true (byok_provider_get_enabled (groq));
  g_assert_true (byok_provider_settings_set_enabled (fixture->settings, groq, FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (byok_provider_get_enabled (groq));

  g_assert_false (byok_provider_settings_get_prefer_environment (fixture->settings, "openai"));
  g_assert_true (byok_provider_settings_set_prefer_environment (fixture->settings, fixture->key_store,
                                                                "openai", TRUE, &error));
  g_assert_true (byok_key_store_get_prefer_environment (fixture->key_store, "openai"));
  assert_changes (fixture, "groq:enabled", "openai:prefer_environment", NULL);

  restart (fixture);
  g_assert_false (byok_provider_get_enabled (provider (fixture, "groq")));
  g_assert_true (byok_provider_get_enabled (provider (fixture, "openai")));
  g_assert_true (byok_key_store_get_prefer_environment (fixture->key_store, "openai"));
  g_assert_false (byok_key_store_get_prefer_environment (fixture->key_store, "anthropic"));
  g_assert_true (byok_provider_settings_get_prefer_environment (fixture->settings, "openai"));

  g_assert_true (byok_provider_settings_set_enabled (fixture->settings, provider (fixture, "groq"),
                                                     TRUE, &error));
  g_assert_true (byok_provider_settings_set_prefer_environment (fixture->settings, fixture->key_store,
                                                                "openai", FALSE, &error));
  restart (fixture);
  g_assert_true (byok_provider_get_enabled (provider (fixture, "groq")));
  g_assert_false (byok_key_store_get_prefer_environment (fixture->key_store, "openai"));
}

/* Ids made from names: ASCII slugs, unique. */
static void
test_custom_ids (Fixture       *fixture,
                 gconstpointer  user_data)
{
  static const struct { const char *name; const char *id; } cases[] = {
    { "My LiteLLM", "my-litellm" },
    { "  vLLM @ home!! ", "vllm-home" },
    { "OpenAI", "openai-2" },
    { "月之暗面", "provider" },
    { "", "provider" },
    { "custom", "custom-2" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *id = byok_provider_settings_make_custom_id (fixture->catalog, cases[i].name);

      g_assert_cmpstr (id, ==, cases[i].id);
    }
}

/* Custom providers: added to the catalog and the database, back after a
 * restart, with their settings; removed with them. */
static void
test_custom_providers (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) providers = NULL;
  g_autofree char *label = NULL;
  ByokProvider *p;
  ByokProvider *q;

  p = byok_provider_settings_add_custom (fixture->settings, fixture->catalog, fixture->key_store,
                                         NULL, " My LiteLLM ", "http://127.0.0.1:4000/v1",
                                         TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (p);
  g_assert_cmpstr (byok_provider_get_id (p), ==, "my-litellm");
  g_assert_cmpstr (byok_provider_get_name (p), ==, "My LiteLLM");
  g_assert_true (byok_provider_is_custom (p));
  g_assert_true (byok_provider_get_needs_key (p));
  label = byok_key_store_dup_label (fixture->key_store, "my-litellm", "default");
  g_assert_nonnull (strstr (label, "My LiteLLM"));

  /* The same name again gets its own id. */
  q = byok_provider_settings_add_custom (fixture->settings, fixture->catalog, fixture->key_store,
                                         NULL, "My LiteLLM", "http://127.0.0.1:4001/v1",
                                         FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (byok_provider_get_id (q), ==, "my-litellm-2");
  g_assert_false (byok_provider_get_needs_key (q));
  g_assert_true (byok_provider_settings_set_enabled (fixture->settings, q, FALSE, &error));
  assert_changes (fixture, "my-litellm:(custom)", "my-litellm-2:(custom)", "my-litellm-2:enabled", NULL);

  /* Refused: a taken id, no name, a bad URL. Nothing is saved. */
  g_assert_null (byok_provider_settings_add_custom (fixture->settings, fixture->catalog, NULL,
                                                    "openai", "Mine", "http://127.0.0.1:1/v1",
                                                    TRUE, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (byok_provider_settings_add_custom (fixture->settings, fixture->catalog, NULL,
                                                    NULL, "  ", "http://127.0.0.1:1/v1",
                                                    TRUE, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (byok_provider_settings_add_custom (fixture->settings, fixture->catalog, NULL,
                                                    NULL, "Broken", "localhost:8080",
                                                    TRUE, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (byok_catalog_lookup_provider (fixture->catalog, "broken"));
  assert_changes (fixture, NULL);

  /* Its base URL can change but not go away. */
  g_assert_true (byok_provider_settings_set_base_url (fixture->settings, p,
                                                      "http://127.0.0.1:4444/v1", &error));
  g_assert_no_error (error);
  g_assert_false (byok_provider_settings_set_base_url (fixture->settings, p, "", &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);

  restart (fixture);
  p = byok_catalog_lookup_provider (fixture->catalog, "my-litellm");
  q = byok_catalog_lookup_provider (fixture->catalog, "my-litellm-2");
  g_assert_nonnull (p);
  g_assert_nonnull (q);
  g_assert_cmpstr (byok_provider_get_name (p), ==, "My LiteLLM");
  g_assert_cmpstr (byok_provider_get_base_url (p), ==, "http://127.0.0.1:4444/v1");
  g_assert_true (byok_provider_get_needs_key (p));
  g_assert_false (byok_provider_get_needs_key (q));
  g_assert_false (byok_provider_get_enabled (q));
  /* Custom providers come last, in the order they were added. */
  providers = byok_catalog_get_providers (fixture->catalog);
  g_assert_true (g_ptr_array_index (providers, providers->len - 2) == p);
  g_assert_true (g_ptr_array_index (providers, providers->len - 1) == q);
  g_clear_pointer (&providers, g_ptr_array_unref);

  /* Removing: a catalog provider cannot be; an unknown one is not found. */
  g_assert_false (byok_provider_settings_remove_custom (fixture->settings, fixture->catalog,
                                                        "openai", &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (byok_provider_settings_remove_custom (fixture->settings, fixture->catalog,
                                                        "nope", &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (byok_provider_settings_remove_custom (fixture->settings, fixture->catalog,
                                                       "my-litellm-2", &error));
  g_assert_no_error (error);
  g_assert_null (byok_catalog_lookup_provider (fixture->catalog, "my-litellm-2"));
  g_assert_null (byok_provider_settings_dup_value (fixture->settings, "my-litellm-2",
                                                   BYOK_PROVIDER_SETTING_ENABLED));
  assert_changes (fixture, "my-litellm-2:(custom)", NULL);

  restart (fixture);
  g_assert_nonnull (byok_catalog_lookup_provider (fixture->catalog, "my-litellm"));
  g_assert_null (byok_catalog_lookup_provider (fixture->catalog, "my-litellm-2"));

  /* An id freed by a removal can be used again. */
  q = byok_provider_settings_add_custom (fixture->settings, fixture->catalog, NULL,
                                         NULL, "My LiteLLM", "http://127.0.0.1:4001/v1",
                                         TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (byok_provider_get_id (q), ==, "my-litellm-2");
}

/* Rows a newer catalog or a hand edit made invalid are skipped with a
 * warning; the rest still applies. */
static void
test_apply_skips_bad_rows (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (byok_database_exec (fixture->database,
                                     "INSERT INTO custom_providers (id, name, base_url, created) "
                                     "VALUES ('openai', 'Fake OpenAI', 'http://127.0.0.1:1/v1', 1),"
                                     "       ('bad-url', 'Bad', 'gopher://x', 2),"
                                     "       ('good', 'Good', 'http://127.0.0.1:2/v1', 3);"
                                     "INSERT INTO provider_settings (provider, key, value) "
                                     "VALUES ('mistral', 'base_url', 'file:///etc/passwd'),"
                                     "       ('deepseek', 'base_url', 'http://127.0.0.1:3'),"
                                     "       ('deepseek', 'enabled', '0');",
                                     &error));
  g_assert_no_error (error);

  g_test_expect_message ("byok-settings", G_LOG_LEVEL_WARNING, "*openai*catalog*");
  g_test_expect_message ("byok-settings", G_LOG_LEVEL_WARNING, "*bad-url*");
  g_test_expect_message ("byok-settings", G_LOG_LEVEL_WARNING, "*base URL of mistral*");
  restart (fixture);
  g_test_assert_expected_messages ();

  g_assert_false (byok_provider_is_custom (provider (fixture, "openai")));
  g_assert_cmpstr (byok_provider_get_base_url (provider (fixture, "openai")), ==,
                   "https://api.openai.com/v1");
  g_assert_null (byok_catalog_lookup_provider (fixture->catalog, "bad-url"));
  g_assert_cmpstr (byok_provider_get_base_url (provider (fixture, "good")), ==, "http://127.0.0.1:2/v1");
  g_assert_cmpstr (byok_provider_get_base_url (provider (fixture, "mistral")), ==,
                   "https://api.mistral.ai/v1");
  g_assert_cmpstr (byok_provider_get_base_url (provider (fixture, "deepseek")), ==, "http://127.0.0.1:3");
  g_assert_false (byok_provider_get_enabled (provider (fixture, "deepseek")));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/provider-settings/values", test_values);
  ADD ("/provider-settings/base-url", test_base_url);
  ADD ("/provider-settings/endpoint", test_endpoint);
  ADD ("/provider-settings/azure", test_azure);
  ADD ("/provider-settings/enabled-and-environment", test_enabled_and_environment);
  ADD ("/provider-settings/custom-ids", test_custom_ids);
  ADD ("/provider-settings/custom-providers", test_custom_providers);
  ADD ("/provider-settings/apply-skips-bad-rows", test_apply_skips_bad_rows);
#undef ADD

  return g_test_run ();
}
