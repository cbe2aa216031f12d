/* test-key-store.c — ByokKeyStore against the real gnome-keyring of the test
 * session (build-aux/test-session): store, lookup, list, replace, delete,
 * named accounts and the default, the environment as a second source, key
 * events, that a key reaches no file, no log line and no error, and what
 * listing asks of the keyring (one read of all the secrets, no Unlock).
 *
 * Each test uses its own provider ids: other test programs share the
 * session's keyring and run at the same time.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>

#include "byok-error.h"
#include "byok-key-format.h"
#include "byok-key-store.h"
#include "byok-test-util.h"

/* Obviously fake keys. */
#define KEY_A "sk-test-fake-AAAA-0123456789abcdefghijklmnop"
#define KEY_B "sk-test-fake-BBBB-0123456789abcdefghijklmnop"
#define KEY_C "sk-test-fake-CCCC-0123456789abcdefghijklmnop"
#define KEY_ENV1 "sk-test-fake-ENV1-0123456789abcdefghijklmnop"
#define KEY_ENV2 "sk-test-fake-ENV2-0123456789abcdefghijklmnop"
#define KEY_DEBUG "sk-test-fake-DEBUGLOG-7f3a9c2e5b1d4a6c8e0f1357"
#define KEY_NOBUS "sk-test-fake-NOBUS-9d8c7b6a5f4e3d2c1b0a"

/* ---- a recording event sink ---------------------------------------------- */

typedef struct {
  char *provider_id;
  char *account;
  ByokKeyEvent event;
  char *result;
  char *detail;
} Event;

static void
event_free (gpointer data)
{
  Event *e = data;

  g_free (e->provider_id);
  g_free (e->account);
  g_free (e->result);
  g_free (e->detail);
  g_free (e);
}

static void
record_event (const char   *provider_id,
              const char   *account,
              ByokKeyEvent  event,
              const char   *result,
              const char   *detail,
              gpointer      user_data)
{
  GPtrArray *events = user_data;
  Event *e = g_new0 (Event, 1);

  e->provider_id = g_strdup (provider_id);
  e->account = g_strdup (account);
  e->event = event;
  e->result = g_strdup (result);
  e->detail = g_strdup (detail);
  g_ptr_array_add (events, e);
}

static ByokKeyStore *
new_store (GPtrArray **events)
{
  ByokKeyStore *store = byok_key_store_new ();

  *events = g_ptr_array_new_with_free_func (event_free);
  byok_key_store_set_event_sink (store, record_event, g_ptr_array_ref (*events),
                                 (GDestroyNotify) g_ptr_array_unref);
  /* Keys come from an environment of the test's, not the process's. */
  {
    const char * const empty[] = { NULL };
    byok_key_store_set_environment (store, empty);
  }
  return store;
}

static void
assert_event (GPtrArray    *events,
              guint         index,
              const char   *provider_id,
              const char   *account,
              ByokKeyEvent  event,
              const char   *result)
{
  Event *e;

  g_assert_cmpuint (index, <, events->len);
  e = g_ptr_array_index (events, index);
  g_assert_cmpstr (e->provider_id, ==, provider_id);
  g_assert_cmpstr (e->account, ==, account);
  g_assert_cmpstr (byok_key_event_to_string (e->event), ==, byok_key_event_to_string (event));
  g_assert_cmpstr (e->result, ==, result);
  if (g_strcmp0 (result, "OK") == 0)
    g_assert_null (e->detail);
}

static void
assert_events_have_no_key (GPtrArray  *events,
                           const char *key)
{
  for (guint i = 0; i < events->len; i++)
    {
      Event *e = g_ptr_array_index (events, i);

      byok_test_assert_no_key ("a key event’s provider", e->provider_id, -1, key, 4, 6);
      byok_test_assert_no_key ("a key event’s account", e->account, -1, key, 4, 6);
      byok_test_assert_no_key ("a key event’s result", e->result, -1, key, 4, 6);
      byok_test_assert_no_key ("a key event’s detail", e->detail, -1, key, 4, 6);
    }
}

static ByokKey *
find_key (GPtrArray  *keys,
          const char *provider_id,
          const char *account_or_var)
{
  for (guint i = 0; i < keys->len; i++)
    {
      ByokKey *key = g_ptr_array_index (keys, i);
      const char *name = byok_key_get_source (key) == BYOK_KEY_SOURCE_KEYRING
                         ? byok_key_get_account (key) : byok_key_get_env_var (key);

      if (g_strcmp0 (byok_key_get_provider (key), provider_id) == 0 &&
          g_strcmp0 (name, account_or_var) == 0)
        return key;
    }
  return NULL;
}

/* The keyring label, read with libsecret itself. */
static const SecretSchema probe_schema = {
  .name = BYOK_KEY_SCHEMA_NAME,
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { "provider", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

static char *
keyring_label (const char *provider_id,
               const char *account)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GList *items;
  char *label;

  secret_password_search (&probe_schema, SECRET_SEARCH_ALL, NULL, byok_test_store_result, &result,
                          "provider", provider_id, "account", account, NULL);
  byok_test_wait_result (&result);
  items = secret_password_search_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  label = secret_retrievable_get_label (items->data);
  g_list_free_full (items, g_object_unref);
  return label;
}

/* ---- tests --------------------------------------------------------------- */

static void
test_round_trip (void)
{
  const char *p = "test-roundtrip";
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(ByokKeyStore) store = new_store (&events);
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokKey) key = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  g_autofree char *label = NULL;
  gboolean replaced = TRUE;

  byok_key_store_add_provider (store, p, "Round Trip", NULL);

  /* Store: added. */
  g_assert_true (byok_key_store_store_wait (store, p, "work", KEY_A, &replaced, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (replaced);
  assert_event (events, 0, p, "work", BYOK_KEY_EVENT_ADDED, "OK");

  label = keyring_label (p, "work");
  g_assert_cmpstr (label, ==, "Byok: Round Trip key (work)");

  /* Lookup by account. */
  key = byok_key_store_lookup_wait (store, p, "work", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (byok_key_get_provider (key), ==, p);
  g_assert_cmpstr (byok_key_get_account (key), ==, "work");
  g_assert_cmpint (byok_key_get_source (key), ==, BYOK_KEY_SOURCE_KEYRING);
  g_assert_null (byok_key_get_env_var (key));
  g_assert_cmpstr (byok_key_get_secret (key), ==, KEY_A);
  g_assert_true (g_str_has_prefix (byok_key_get_masked (key), "sk-t"));
  g_assert_true (g_str_has_suffix (byok_key_get_masked (key), "mnop"));
  byok_test_assert_no_key ("the masked key", byok_key_get_masked (key), -1, KEY_A, 4, 6);
  g_assert_true (byok_key_get_is_default (key));   /* the only one */
  g_assert_true (byok_key_get_is_active (key));
  g_clear_object (&key);

  /* List. */
  keys = byok_key_store_list_wait (store, p, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, ==, 1);
  g_assert_cmpstr (byok_key_get_secret (g_ptr_array_index (keys, 0)), ==, KEY_A);
  g_clear_pointer (&keys, g_ptr_array_unref);

  /* The usable keys are the list's while the keyring answers. */
  {
    g_autoptr(GError) keyring_error = NULL;

    keys = byok_key_store_list_usable_wait (store, p, NULL, &keyring_error, &error);
    g_assert_no_error (error);
    g_assert_no_error (keyring_error);
    g_assert_cmpuint (keys->len, ==, 1);
    g_assert_cmpint (byok_key_get_source (g_ptr_array_index (keys, 0)), ==, BYOK_KEY_SOURCE_KEYRING);
    g_assert_cmpstr (byok_key_get_secret (g_ptr_array_index (keys, 0)), ==, KEY_A);
    g_clear_pointer (&keys, g_ptr_array_unref);
  }

  /* Replace: same provider and account. */
  g_assert_true (byok_key_store_store_wait (store, p, "work", KEY_B, &replaced, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (replaced);
  assert_event (events, 1, p, "work", BYOK_KEY_EVENT_REPLACED, "OK");
  keys = byok_key_store_list_wait (store, p, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, ==, 1);
  g_assert_cmpstr (byok_key_get_secret (g_ptr_array_index (keys, 0)), ==, KEY_B);
  g_clear_pointer (&keys, g_ptr_array_unref);

  /* The list of every provider has it too. */
  keys = byok_key_store_list_wait (store, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (find_key (keys, p, "work"));
  g_clear_pointer (&keys, g_ptr_array_unref);

  /* Delete. */
  g_assert_true (byok_key_store_delete_wait (store, p, "work", NULL, &error));
  g_assert_no_error (error);
  assert_event (events, 2, p, "work", BYOK_KEY_EVENT_DELETED, "OK");

  key = byok_key_store_lookup_wait (store, p, "work", NULL, &error);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_NO_KEY);
  g_assert_null (key);
  g_clear_error (&error);
  key = byok_key_store_lookup_wait (store, p, NULL, NULL, &error);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_NO_KEY);
  g_assert_nonnull (strstr (error->message, "Round Trip"));
  g_clear_error (&error);

  /* Deleting what is not there says so, and the sink hears it. */
  g_assert_false (byok_key_store_delete_wait (store, p, "work", NULL, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_NO_KEY);
  g_clear_error (&error);
  assert_event (events, 3, p, "work", BYOK_KEY_EVENT_DELETED, "NO_KEY");

  /* A test result goes through the same sink. */
  byok_key_store_record_event (store, p, "work", BYOK_KEY_EVENT_TESTED, "AUTH", "The key was rejected.");
  assert_event (events, 4, p, "work", BYOK_KEY_EVENT_TESTED, "AUTH");
  g_assert_cmpuint (events->len, ==, 5);

  assert_events_have_no_key (events, KEY_A);
  assert_events_have_no_key (events, KEY_B);
}

/* The async API as the Providers page uses it, on a main loop. */
typedef struct {
  GMainLoop *loop;
  ByokKeyStore *store;
  ByokKey *key;
  GError *error;
  gboolean ok;
} AsyncState;

static void
async_stored (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  AsyncState *st = user_data;

  st->ok = byok_key_store_store_finish (BYOK_KEY_STORE (source), result, NULL, &st->error);
  g_main_loop_quit (st->loop);
}

static void
async_looked_up (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  AsyncState *st = user_data;

  st->key = byok_key_store_lookup_finish (BYOK_KEY_STORE (source), result, &st->error);
  g_main_loop_quit (st->loop);
}

static void
async_deleted (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncState *st = user_data;

  st->ok = byok_key_store_delete_finish (BYOK_KEY_STORE (source), result, &st->error);
  g_main_loop_quit (st->loop);
}

static void
test_async_main_loop (void)
{
  const char *p = "test-async";
  g_autoptr(GPtrArray) events = NULL;
  AsyncState st = { 0 };

  st.loop = g_main_loop_new (NULL, FALSE);
  st.store = new_store (&events);

  byok_key_store_store_async (st.store, p, NULL, KEY_C, NULL, async_stored, &st);
  g_main_loop_run (st.loop);
  g_assert_no_error (st.error);
  g_assert_true (st.ok);
  assert_event (events, 0, p, BYOK_KEY_DEFAULT_ACCOUNT, BYOK_KEY_EVENT_ADDED, "OK");

  byok_key_store_lookup_async (st.store, p, NULL, NULL, async_looked_up, &st);
  g_main_loop_run (st.loop);
  g_assert_no_error (st.error);
  g_assert_cmpstr (byok_key_get_account (st.key), ==, BYOK_KEY_DEFAULT_ACCOUNT);
  g_assert_cmpstr (byok_key_get_secret (st.key), ==, KEY_C);
  /* Wiping drops the secret now and keeps the masked form. */
  byok_key_wipe (st.key);
  g_assert_null (byok_key_get_secret (st.key));
  g_assert_true (g_str_has_prefix (byok_key_get_masked (st.key), "sk-t"));
  g_clear_object (&st.key);

  byok_key_store_delete_async (st.store, p, NULL, NULL, async_deleted, &st);
  g_main_loop_run (st.loop);
  g_assert_no_error (st.error);
  g_assert_true (st.ok);

  g_object_unref (st.store);
  g_main_loop_unref (st.loop);
}

static void
test_accounts_and_default (void)
{
  const char *p = "test-accounts";
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(ByokKeyStore) store = new_store (&events);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(ByokKey) key = NULL;

  byok_key_store_add_provider (store, p, "Accounts", NULL);
  g_assert_true (byok_key_store_store_wait (store, p, "work", KEY_A, NULL, NULL, &error));
  g_assert_true (byok_key_store_store_wait (store, p, "personal", KEY_B, NULL, NULL, &error));
  g_assert_no_error (error);

  /* No "default" account and no marker: the first by name. */
  keys = byok_key_store_list_wait (store, p, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, ==, 2);
  g_assert_cmpstr (byok_key_get_account (g_ptr_array_index (keys, 0)), ==, "personal");
  g_assert_cmpstr (byok_key_get_account (g_ptr_array_index (keys, 1)), ==, "work");
  g_assert_true (byok_key_get_is_default (find_key (keys, p, "personal")));
  g_assert_false (byok_key_get_is_default (find_key (keys, p, "work")));
  g_assert_cmpstr (byok_key_get_secret (find_key (keys, p, "work")), ==, KEY_A);
  g_assert_cmpstr (byok_key_get_secret (find_key (keys, p, "personal")), ==, KEY_B);
  g_clear_pointer (&keys, g_ptr_array_unref);

  /* An account named "default" is the default. */
  g_assert_true (byok_key_store_store_wait (store, p, NULL, KEY_C, NULL, NULL, &error));
  g_assert_no_error (error);
  key = byok_key_store_lookup_wait (store, p, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (byok_key_get_account (key), ==, "default");
  g_assert_cmpstr (byok_key_get_secret (key), ==, KEY_C);
  g_clear_object (&key);

  /* Unless another is marked default. */
  g_assert_true (byok_key_store_set_default_wait (store, p, "work", NULL, &error));
  g_assert_no_error (error);
  assert_event (events, 3, p, "work", BYOK_KEY_EVENT_DEFAULT_CHANGED, "OK");
  key = byok_key_store_lookup_wait (store, p, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (byok_key_get_account (key), ==, "work");
  g_assert_cmpstr (byok_key_get_secret (key), ==, KEY_A);
  g_assert_true (byok_key_get_is_default (key));
  g_assert_true (byok_key_get_is_active (key));
  g_clear_object (&key);

  keys = byok_key_store_list_wait (store, p, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, ==, 3);
  for (guint i = 0; i < keys->len; i++)
    {
      ByokKey *k = g_ptr_array_index (keys, i);
      gboolean is_work = g_strcmp0 (byok_key_get_account (k), "work") == 0;

      g_assert_cmpint (byok_key_get_is_default (k), ==, is_work);
      g_assert_cmpint (byok_key_get_is_active (k), ==, is_work);
    }
  g_clear_pointer (&keys, g_ptr_array_unref);

  /* Moving the mark replaces it. */
  g_assert_true (byok_key_store_set_default_wait (store, p, "personal", NULL, &error));
  g_assert_no_error (error);
  key = byok_key_store_lookup_wait (store, p, NULL, NULL, &error);
  g_assert_cmpstr (byok_key_get_account (key), ==, "personal");
  g_clear_object (&key);

  /* Only an existing account can be the default. */
  g_assert_false (byok_key_store_set_default_wait (store, p, "nope", NULL, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_NO_KEY);
  g_clear_error (&error);

  /* Deleting the marked account: the rules pick "default" again. */
  g_assert_true (byok_key_store_delete_wait (store, p, "personal", NULL, &error));
  g_assert_no_error (error);
  key = byok_key_store_lookup_wait (store, p, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (byok_key_get_account (key), ==, "default");
  g_clear_object (&key);

  g_assert_true (byok_key_store_delete_wait (store, p, "work", NULL, &error));
  g_assert_true (byok_key_store_delete_wait (store, p, "default", NULL, &error));
  g_assert_no_error (error);
  keys = byok_key_store_list_wait (store, p, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, ==, 0);

  assert_events_have_no_key (events, KEY_A);
  assert_events_have_no_key (events, KEY_B);
  assert_events_have_no_key (events, KEY_C);
}

static void
test_environment (void)
{
  const char *p = "test-env";
  const char *vars[] = { "MOONSHOT_API_KEY", "KIMI_API_KEY", NULL };
  const char *only_kimi[] = { "HOME=/nowhere", "KIMI_API_KEY= " KEY_ENV2 "\n", NULL };
  const char *both[] = { "KIMI_API_KEY=" KEY_ENV2, "MOONSHOT_API_KEY=" KEY_ENV1, NULL };
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(ByokKeyStore) store = new_store (&events);
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokKey) key = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  g_autofree char *source = NULL;

  byok_key_store_add_provider (store, p, "Moonshot Test", vars);

  /* Environment only: source ENVIRONMENT and the variable's name. */
  byok_key_store_set_environment (store, only_kimi);
  key = byok_key_store_lookup_wait (store, p, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (byok_key_get_source (key), ==, BYOK_KEY_SOURCE_ENVIRONMENT);
  g_assert_cmpstr (byok_key_get_env_var (key), ==, "KIMI_API_KEY");
  g_assert_null (byok_key_get_account (key));
  g_assert_cmpstr (byok_key_get_secret (key), ==, KEY_ENV2);   /* trimmed */
  g_assert_true (byok_key_get_is_active (key));
  source = byok_key_dup_source_label (key);
  g_assert_cmpstr (source, ==, "from environment (KIMI_API_KEY)");
  g_clear_object (&key);

  /* The keyring wins over the environment. */
  g_assert_true (byok_key_store_store_wait (store, p, "work", KEY_A, NULL, NULL, &error));
  g_assert_no_error (error);
  byok_key_store_set_environment (store, both);
  key = byok_key_store_lookup_wait (store, p, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (byok_key_get_source (key), ==, BYOK_KEY_SOURCE_KEYRING);
  g_assert_cmpstr (byok_key_get_secret (key), ==, KEY_A);
  g_clear_object (&key);

  keys = byok_key_store_list_wait (store, p, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, ==, 3);
  /* Keyring first, then the variables in the provider's order. */
  g_assert_cmpstr (byok_key_get_account (g_ptr_array_index (keys, 0)), ==, "work");
  g_assert_cmpstr (byok_key_get_env_var (g_ptr_array_index (keys, 1)), ==, "MOONSHOT_API_KEY");
  g_assert_cmpstr (byok_key_get_env_var (g_ptr_array_index (keys, 2)), ==, "KIMI_API_KEY");
  g_assert_true (byok_key_get_is_active (g_ptr_array_index (keys, 0)));
  g_assert_false (byok_key_get_is_active (g_ptr_array_index (keys, 1)));
  g_clear_pointer (&keys, g_ptr_array_unref);

  /* The person prefers the environment: the first set variable wins. */
  byok_key_store_set_prefer_environment (store, p, TRUE);
  g_assert_true (byok_key_store_get_prefer_environment (store, p));
  key = byok_key_store_lookup_wait (store, p, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (byok_key_get_source (key), ==, BYOK_KEY_SOURCE_ENVIRONMENT);
  g_assert_cmpstr (byok_key_get_env_var (key), ==, "MOONSHOT_API_KEY");
  g_assert_cmpstr (byok_key_get_secret (key), ==, KEY_ENV1);
  g_clear_object (&key);

  keys = byok_key_store_list_wait (store, p, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (byok_key_get_is_default (find_key (keys, p, "work")));
  g_assert_false (byok_key_get_is_active (find_key (keys, p, "work")));
  g_assert_true (byok_key_get_is_active (find_key (keys, p, "MOONSHOT_API_KEY")));
  g_clear_pointer (&keys, g_ptr_array_unref);

  /* Naming an account still means the keyring. */
  key = byok_key_store_lookup_wait (store, p, "work", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (byok_key_get_source (key), ==, BYOK_KEY_SOURCE_KEYRING);
  g_clear_object (&key);

  /* Environment keys without any I/O. */
  keys = byok_key_store_list_environment (store, p);
  g_assert_cmpuint (keys->len, ==, 2);
  g_clear_pointer (&keys, g_ptr_array_unref);
  keys = byok_key_store_list_environment (store, NULL);
  g_assert_nonnull (find_key (keys, p, "KIMI_API_KEY"));
  g_clear_pointer (&keys, g_ptr_array_unref);

  /* Back to the keyring first. */
  byok_key_store_set_prefer_environment (store, p, FALSE);
  key = byok_key_store_lookup_wait (store, p, NULL, NULL, &error);
  g_assert_cmpint (byok_key_get_source (key), ==, BYOK_KEY_SOURCE_KEYRING);
  g_clear_object (&key);

  g_assert_true (byok_key_store_delete_wait (store, p, "work", NULL, &error));
  g_assert_no_error (error);
  /* Environment keys are never stored, so nothing was recorded for them. */
  for (guint i = 0; i < events->len; i++)
    g_assert_nonnull (((Event *) g_ptr_array_index (events, i))->account);
  g_assert_cmpuint (events->len, ==, 2);
}

static void
test_invalid_input (void)
{
  const char *p = "test-invalid";
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(ByokKeyStore) store = new_store (&events);
  g_autoptr(GError) error = NULL;
  g_autofree char *long_name = g_strnfill (BYOK_KEY_ACCOUNT_MAX_LENGTH + 1, 'x');

  g_assert_false (byok_key_store_store_wait (store, p, "work", "", NULL, NULL, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (byok_key_store_store_wait (store, p, "work", "sk-test-fake-with\nnewline-0123456789", NULL, NULL, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_assert_null (strstr (error->message, "newline-0123456789"));
  g_clear_error (&error);
  g_assert_false (byok_key_store_store_wait (store, p, "two\nlines", KEY_A, NULL, NULL, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (byok_key_store_store_wait (store, p, long_name, KEY_A, NULL, NULL, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (byok_key_store_store_wait (store, "", "work", KEY_A, NULL, NULL, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  /* Bad input never reached the keyring: no events. */
  g_assert_cmpuint (events->len, ==, 0);
}

static void
test_cancelled (void)
{
  const char *p = "test-cancel";
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(ByokKeyStore) store = new_store (&events);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokKey) key = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (byok_key_store_store_wait (store, p, "work", KEY_A, NULL, cancellable, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_CANCELLED);
  g_clear_error (&error);
  assert_event (events, 0, p, "work", BYOK_KEY_EVENT_ADDED, "CANCELLED");

  key = byok_key_store_lookup_wait (store, p, "work", cancellable, &error);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_CANCELLED);
  g_clear_error (&error);

  /* Nothing was stored. */
  key = byok_key_store_lookup_wait (store, p, "work", NULL, &error);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_NO_KEY);
}

/* ---- the key reaches no file --------------------------------------------- */

static void
test_key_in_no_file (void)
{
  const char *p = "test-files";
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(ByokKeyStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokKey) key = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *secret = NULL;
  g_autofree char *middle = NULL;
  guint n_files = 0;

  if (g_strcmp0 (g_getenv ("BYOK_TEST_SESSION_INNER"), "1") != 0)
    {
      g_test_skip ("walks HOME and the XDG dirs: run it inside build-aux/test-session");
      return;
    }

  /* A key no earlier run can have left anywhere. */
  g_strdelimit (uuid, "-", 'x');
  secret = g_strconcat ("sk-test-fake-files-", uuid, NULL);
  middle = g_strndup (secret + 8, 16);

  store = new_store (&events);
  g_assert_true (byok_key_store_store_wait (store, p, "work", secret, NULL, NULL, &error));
  g_assert_no_error (error);
  key = byok_key_store_lookup_wait (store, p, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (byok_key_get_secret (key), ==, secret);

  n_files = byok_test_assert_in_no_file (secret, middle);
  /* The keyring's own (encrypted) files were among those read. */
  g_assert_cmpuint (n_files, >, 0);

  g_assert_true (byok_key_store_delete_wait (store, p, "work", NULL, &error));
  g_assert_no_error (error);
}

/* ---- the key reaches no log line, no error, no output -------------------- */

static void
test_key_in_no_output (void)
{
  const char *p = "test-debug";

  if (g_test_subprocess ())
    {
      const char *vars[] = { "BYOK_TEST_DEBUG_KEY", NULL };
      const char *envp[] = { "BYOK_TEST_DEBUG_KEY=" KEY_DEBUG, NULL };
      g_autoptr(GPtrArray) events = NULL;
      g_autoptr(ByokKeyStore) store = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(ByokKey) key = NULL;
      g_autoptr(GPtrArray) keys = NULL;
      g_auto(GStrv) warnings = NULL;
      char *cleaned = NULL;

      g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
      g_log_writer_default_set_use_stderr (TRUE);
      g_debug ("debug output is on");

      store = new_store (&events);
      byok_key_store_add_provider (store, p, "Debug Test", vars);
      g_assert_true (byok_key_store_store_wait (store, p, "work", KEY_DEBUG, NULL, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (byok_key_store_store_wait (store, p, "work", KEY_DEBUG, NULL, NULL, &error));
      g_assert_true (byok_key_store_set_default_wait (store, p, "work", NULL, &error));
      key = byok_key_store_lookup_wait (store, p, NULL, NULL, &error);
      g_assert_no_error (error);
      g_print ("found %s\n", byok_key_get_masked (key));
      g_clear_object (&key);
      keys = byok_key_store_list_wait (store, NULL, NULL, &error);
      g_assert_no_error (error);
      g_clear_pointer (&keys, g_ptr_array_unref);

      /* The environment copy. */
      byok_key_store_set_environment (store, envp);
      byok_key_store_set_prefer_environment (store, p, TRUE);
      key = byok_key_store_lookup_wait (store, p, NULL, NULL, &error);
      g_assert_no_error (error);
      g_print ("found %s\n", byok_key_get_masked (key));
      g_clear_object (&key);

      /* Checks and errors print their messages. */
      byok_key_format_check ("anthropic", "sk-ant-", "  \"" KEY_DEBUG "\"\n", &cleaned, &warnings);
      for (guint i = 0; warnings[i] != NULL; i++)
        g_print ("%s\n", warnings[i]);
      byok_secret_free (cleaned);
      g_assert_false (byok_key_store_store_wait (store, p, "two\nlines", KEY_DEBUG, NULL, NULL, &error));
      g_print ("%s\n", error->message);
      g_clear_error (&error);
      g_assert_false (byok_key_store_delete_wait (store, p, "nope", NULL, &error));
      g_print ("%s\n", error->message);
      g_clear_error (&error);

      g_assert_true (byok_key_store_delete_wait (store, p, "work", NULL, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < events->len; i++)
        {
          Event *e = g_ptr_array_index (events, i);
          g_print ("event %s %s %s\n", byok_key_event_to_string (e->event), e->result,
                   e->detail ? e->detail : "");
        }
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  /* The output is there … */
  g_test_trap_assert_stderr ("*byok-keys-DEBUG*storing key for test-debug/work*");
  g_test_trap_assert_stdout ("*found sk-t*found sk-t*Keys for this provider start with*");
  /* … and the key is not, whole or in part. */
  g_test_trap_assert_stdout_unmatched ("*" KEY_DEBUG "*");
  g_test_trap_assert_stderr_unmatched ("*" KEY_DEBUG "*");
  g_test_trap_assert_stdout_unmatched ("*DEBUGLOG*");
  g_test_trap_assert_stderr_unmatched ("*DEBUGLOG*");
  g_test_trap_assert_stdout_unmatched ("*7f3a9c2e*");
  g_test_trap_assert_stderr_unmatched ("*7f3a9c2e*");
}

/* byok_key_store_preconnect_async(), waited for */
static void
preconnected_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  byok_key_store_preconnect_finish (result);
  *(gboolean *) user_data = TRUE;
}

static void
preconnect_wait (gboolean secrets)
{
  gboolean done = FALSE;

  byok_key_store_preconnect_async (secrets, NULL, preconnected_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* ---- no keyring ---------------------------------------------------------- */

static void
test_no_keyring (void)
{
  const char *p = "test-nokeyring";

  if (g_test_subprocess ())
    {
      const char *vars[] = { "NOKEYRING_API_KEY", NULL };
      const char *envp[] = { "NOKEYRING_API_KEY=" KEY_NOBUS, NULL };
      g_autoptr(GPtrArray) events = NULL;
      g_autoptr(ByokKeyStore) store = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(ByokKey) key = NULL;
      g_autoptr(GPtrArray) keys = NULL;
      Event *e;

      /* A session bus with no keyring on it: none at all. */
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/byok-test-bus", TRUE);

      store = new_store (&events);
      byok_key_store_add_provider (store, p, "No Keyring", vars);
      byok_key_store_set_environment (store, envp);
      /* Connecting ahead ends, and changes nothing of what follows. */
      preconnect_wait (TRUE);

      g_assert_false (byok_key_store_store_wait (store, p, "work", KEY_NOBUS, NULL, NULL, &error));
      g_assert_error (error, BYOK_ERROR, BYOK_ERROR_KEYRING);
      g_assert_nonnull (strstr (error->message, "No keyring is running"));
      g_assert_nonnull (strstr (error->message, "gnome-keyring-daemon"));
      byok_test_assert_no_key ("the error", error->message, -1, KEY_NOBUS, 4, 6);
      g_print ("%s\n", error->message);
      g_assert_cmpuint (events->len, ==, 1);
      e = g_ptr_array_index (events, 0);
      g_assert_cmpint (e->event, ==, BYOK_KEY_EVENT_ADDED);
      g_assert_cmpstr (e->result, ==, "KEYRING");
      g_assert_cmpstr (e->detail, ==, error->message);
      g_clear_error (&error);

      keys = byok_key_store_list_wait (store, p, NULL, &error);
      g_assert_error (error, BYOK_ERROR, BYOK_ERROR_KEYRING);
      g_assert_null (keys);
      g_clear_error (&error);

      key = byok_key_store_lookup_wait (store, p, "work", NULL, &error);
      g_assert_error (error, BYOK_ERROR, BYOK_ERROR_KEYRING);
      g_clear_error (&error);

      g_assert_false (byok_key_store_delete_wait (store, p, "work", NULL, &error));
      g_assert_error (error, BYOK_ERROR, BYOK_ERROR_KEYRING);
      g_clear_error (&error);
      g_assert_false (byok_key_store_set_default_wait (store, p, "work", NULL, &error));
      g_assert_error (error, BYOK_ERROR, BYOK_ERROR_KEYRING);
      g_clear_error (&error);

      /* The environment still works without a keyring … */
      key = byok_key_store_lookup_wait (store, p, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (byok_key_get_source (key), ==, BYOK_KEY_SOURCE_ENVIRONMENT);
      g_assert_cmpstr (byok_key_get_secret (key), ==, KEY_NOBUS);
      g_clear_object (&key);
      keys = byok_key_store_list_environment (store, p);
      g_assert_cmpuint (keys->len, ==, 1);
      g_clear_pointer (&keys, g_ptr_array_unref);

      /* The usable keys: the environment's, the one calls use active,
       * with the keyring's error beside them. */
      {
        g_autoptr(GError) keyring_error = NULL;

        keys = byok_key_store_list_usable_wait (store, p, NULL, &keyring_error, &error);
        g_assert_no_error (error);
        g_assert_error (keyring_error, BYOK_ERROR, BYOK_ERROR_KEYRING);
        g_assert_cmpuint (keys->len, ==, 1);
        g_assert_cmpint (byok_key_get_source (g_ptr_array_index (keys, 0)), ==, BYOK_KEY_SOURCE_ENVIRONMENT);
        g_assert_cmpstr (byok_key_get_secret (g_ptr_array_index (keys, 0)), ==, KEY_NOBUS);
        g_assert_true (byok_key_get_is_active (g_ptr_array_index (keys, 0)));
        g_clear_pointer (&keys, g_ptr_array_unref);
      }

      /* … and without it, the keyring's error is the answer. */
      {
        const char *none[] = { NULL };
        byok_key_store_set_environment (store, none);
      }
      key = byok_key_store_lookup_wait (store, p, NULL, NULL, &error);
      g_assert_error (error, BYOK_ERROR, BYOK_ERROR_KEYRING);
      g_assert_null (key);
      g_clear_error (&error);

      assert_events_have_no_key (events, KEY_NOBUS);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*No keyring is running*");
  g_test_trap_assert_stdout_unmatched ("*NOBUS-9d8c*");
  g_test_trap_assert_stderr_unmatched ("*NOBUS-9d8c*");
}

/* ---- what listing asks of the keyring ------------------------------------ */

/* Listing every provider's keys reads them all in one GetSecrets call (one
 * session), sends no Unlock when nothing is locked, and gives each provider
 * exactly what listing that provider alone gives, default marks included. */
static void
test_list_all_in_one_read (void)
{
  const char *ids[] = { "test-listall-a", "test-listall-b", "test-listall-c" };
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(ByokKeyStore) store = new_store (&events);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  ByokTestBusCalls *bc;

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    byok_key_store_add_provider (store, ids[i], ids[i], NULL);
  g_assert_true (byok_key_store_store_wait (store, ids[0], NULL, KEY_A, NULL, NULL, &error));
  g_assert_true (byok_key_store_store_wait (store, ids[0], "work", KEY_B, NULL, NULL, &error));
  g_assert_true (byok_key_store_set_default_wait (store, ids[0], "work", NULL, &error));
  g_assert_true (byok_key_store_store_wait (store, ids[1], NULL, KEY_C, NULL, NULL, &error));
  g_assert_true (byok_key_store_store_wait (store, ids[2], "zeta", KEY_A, NULL, NULL, &error));
  g_assert_true (byok_key_store_store_wait (store, ids[2], "alpha", KEY_B, NULL, NULL, &error));
  g_assert_no_error (error);

  bc = byok_test_bus_calls_watch ();
  all = byok_key_store_list_wait (store, NULL, NULL, &error);
  g_assert_no_error (error);
  byok_test_bus_calls_sync (bc);
  g_assert_cmpuint (byok_test_bus_calls_count (bc, "org.freedesktop.Secret.Service.SearchItems"), ==, 2);
  g_assert_cmpuint (byok_test_bus_calls_count (bc, "org.freedesktop.Secret.Service.Unlock"), ==, 0);
  g_assert_cmpuint (byok_test_bus_calls_count (bc, "org.freedesktop.Secret.Service.OpenSession"), <=, 1);
  g_assert_cmpuint (byok_test_bus_calls_count (bc, "org.freedesktop.Secret.Service.GetSecrets"), ==, 1);
  g_assert_cmpuint (byok_test_bus_calls_count (bc, "org.freedesktop.Secret.Item.GetSecret"), ==, 0);
  byok_test_bus_calls_end (bc);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(GPtrArray) one = byok_key_store_list_wait (store, ids[i], NULL, &error);
      guint n = 0;

      g_assert_no_error (error);
      g_assert_cmpuint (one->len, ==, i == 1 ? 1 : 2);
      for (guint j = 0; j < all->len; j++)
        {
          ByokKey *a = g_ptr_array_index (all, j);
          ByokKey *b;

          if (g_strcmp0 (byok_key_get_provider (a), ids[i]) != 0)
            continue;
          g_assert_cmpuint (n, <, one->len);
          b = g_ptr_array_index (one, n++);
          g_assert_cmpstr (byok_key_get_account (a), ==, byok_key_get_account (b));
          g_assert_cmpstr (byok_key_get_secret (a), ==, byok_key_get_secret (b));
          g_assert_cmpint (byok_key_get_is_default (a), ==, byok_key_get_is_default (b));
          g_assert_cmpint (byok_key_get_is_active (a), ==, byok_key_get_is_active (b));
        }
      g_assert_cmpuint (n, ==, one->len);
    }
  g_assert_true (byok_key_get_is_default (find_key (all, ids[0], "work")));
  g_assert_false (byok_key_get_is_default (find_key (all, ids[0], "default")));
  g_assert_true (byok_key_get_is_default (find_key (all, ids[2], "alpha")));
  g_assert_cmpstr (byok_key_get_secret (find_key (all, ids[2], "zeta")), ==, KEY_A);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(GPtrArray) one = byok_key_store_list_wait (store, ids[i], NULL, &error);

      for (guint j = 0; j < one->len; j++)
        g_assert_true (byok_key_store_delete_wait (store, ids[i], byok_key_get_account (g_ptr_array_index (one, j)),
                                                   NULL, &error));
    }
  g_assert_no_error (error);
}

/* ---- connecting ahead ----------------------------------------------------- */

/* In a process of its own (libsecret not yet connected): connecting ahead
 * opens the session, so that the listing after it sends no OpenSession,
 * searches the keys and the default-key markers together (still two
 * SearchItems) and reads every secret in one GetSecrets; the keys and their
 * marks are those a listing gives. */
static void
test_preconnect (void)
{
  const char *ids[] = { "test-preconnect-a", "test-preconnect-b" };
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(ByokKeyStore) store = new_store (&events);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    byok_key_store_add_provider (store, ids[i], ids[i], NULL);

  if (g_test_subprocess ())
    {
      g_autoptr(GPtrArray) all = NULL;
      g_autoptr(GPtrArray) bare = NULL;
      g_autoptr(GError) keyring_error = NULL;
      ByokTestBusCalls *bc;

      preconnect_wait (TRUE);
      bc = byok_test_bus_calls_watch ();
      all = byok_key_store_list_wait (store, NULL, NULL, &error);
      g_assert_no_error (error);
      byok_test_bus_calls_sync (bc);
      g_assert_cmpuint (byok_test_bus_calls_count (bc, "org.freedesktop.Secret.Service.SearchItems"), ==, 2);
      g_assert_cmpuint (byok_test_bus_calls_count (bc, "org.freedesktop.Secret.Service.OpenSession"), ==, 0);
      g_assert_cmpuint (byok_test_bus_calls_count (bc, "org.freedesktop.Secret.Service.GetSecrets"), ==, 1);
      g_assert_cmpuint (byok_test_bus_calls_count (bc, "org.freedesktop.Secret.Item.GetSecret"), ==, 0);
      byok_test_bus_calls_end (bc);

      g_assert_true (byok_key_get_is_default (find_key (all, ids[0], "work")));
      g_assert_false (byok_key_get_is_default (find_key (all, ids[0], "default")));
      g_assert_cmpstr (byok_key_get_secret (find_key (all, ids[0], "work")), ==, KEY_B);
      g_assert_cmpstr (byok_key_get_secret (find_key (all, ids[0], "default")), ==, KEY_A);
      g_assert_true (byok_key_get_is_default (find_key (all, ids[1], "solo")));
      g_assert_cmpstr (byok_key_get_secret (find_key (all, ids[1], "solo")), ==, KEY_C);

      /* Connected without the session: the same keys and marks. */
      bare = byok_key_store_list_usable_accounts_wait (store, ids[0], NULL, &keyring_error, &error);
      g_assert_no_error (error);
      g_assert_no_error (keyring_error);
      g_assert_cmpuint (bare->len, ==, 2);
      g_assert_true (byok_key_get_is_default (find_key (bare, ids[0], "work")));
      g_assert_null (byok_key_get_secret (find_key (bare, ids[0], "work")));
      return;
    }

  g_assert_true (byok_key_store_store_wait (store, ids[0], NULL, KEY_A, NULL, NULL, &error));
  g_assert_true (byok_key_store_store_wait (store, ids[0], "work", KEY_B, NULL, NULL, &error));
  g_assert_true (byok_key_store_set_default_wait (store, ids[0], "work", NULL, &error));
  g_assert_true (byok_key_store_store_wait (store, ids[1], "solo", KEY_C, NULL, NULL, &error));
  g_assert_no_error (error);

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();

  g_assert_true (byok_key_store_delete_wait (store, ids[0], NULL, NULL, &error));
  g_assert_true (byok_key_store_delete_wait (store, ids[0], "work", NULL, &error));
  g_assert_true (byok_key_store_delete_wait (store, ids[1], "solo", NULL, &error));
  g_assert_no_error (error);
}

/* @keys' keys of @provider_id, in their order. */
static GPtrArray *
keys_of (GPtrArray  *keys,
         const char *provider_id)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; i < keys->len; i++)
    if (g_strcmp0 (byok_key_get_provider (g_ptr_array_index (keys, i)), provider_id) == 0)
      g_ptr_array_add (out, g_ptr_array_index (keys, i));
  return out;
}

/* Set when the tests run on libsecret's file backend (Flatpak's). */
static gboolean file_backend;

/* Listing without secrets (for `byok-cli providers` and the chat page)
 * asks the keyring for no secret at all — no GetSecrets, no GetSecret, no
 * session, no Unlock — and gives exactly what the usable listing gives
 * (providers, accounts, environment keys, default and active marks),
 * minus the keyring keys' secrets. */
static void
test_list_accounts_without_secrets (void)
{
  const char *ids[] = { "test-listacc-a", "test-listacc-b", "test-listacc-c" };
  const char *vars_a[] = { "TEST_LISTACC_A_KEY", NULL };
  const char *vars_c[] = { "TEST_LISTACC_C_KEY", NULL };
  const char *envp[] = { "TEST_LISTACC_A_KEY=" KEY_ENV1, "TEST_LISTACC_C_KEY=" KEY_ENV2, NULL };
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(ByokKeyStore) store = new_store (&events);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) keyring_error = NULL;
  g_autoptr(GPtrArray) full = NULL;
  g_autoptr(GPtrArray) bare = NULL;
  ByokTestBusCalls *bc = NULL;

  byok_key_store_add_provider (store, ids[0], ids[0], vars_a);
  byok_key_store_add_provider (store, ids[1], ids[1], NULL);
  byok_key_store_add_provider (store, ids[2], ids[2], vars_c);
  byok_key_store_set_environment (store, envp);
  /* a: "default" and "work", the marker on "work", and an environment key;
   * b: two accounts, no marker (the first is the default); c: the
   * environment's key alone. */
  g_assert_true (byok_key_store_store_wait (store, ids[0], NULL, KEY_A, NULL, NULL, &error));
  g_assert_true (byok_key_store_store_wait (store, ids[0], "work", KEY_B, NULL, NULL, &error));
  g_assert_true (byok_key_store_set_default_wait (store, ids[0], "work", NULL, &error));
  g_assert_true (byok_key_store_store_wait (store, ids[1], "zeta", KEY_C, NULL, NULL, &error));
  g_assert_true (byok_key_store_store_wait (store, ids[1], "alpha", KEY_A, NULL, NULL, &error));
  g_assert_no_error (error);
  byok_key_store_set_prefer_environment (store, ids[0], FALSE);

  full = byok_key_store_list_usable_wait (store, NULL, NULL, &keyring_error, &error);
  g_assert_no_error (error);
  g_assert_no_error (keyring_error);

  /* The file backend (Flatpak's) has no bus calls to count. */
  if (!file_backend)
    bc = byok_test_bus_calls_watch ();
  bare = byok_key_store_list_usable_accounts_wait (store, NULL, NULL, &keyring_error, &error);
  g_assert_no_error (error);
  g_assert_no_error (keyring_error);
  if (!file_backend)
    {
      byok_test_bus_calls_sync (bc);
      g_assert_cmpuint (byok_test_bus_calls_count (bc, "org.freedesktop.Secret.Service.SearchItems"), ==, 2);
      g_assert_cmpuint (byok_test_bus_calls_count (bc, "org.freedesktop.Secret.Service.Unlock"), ==, 0);
      g_assert_cmpuint (byok_test_bus_calls_count (bc, "org.freedesktop.Secret.Service.OpenSession"), ==, 0);
      g_assert_cmpuint (byok_test_bus_calls_count (bc, "org.freedesktop.Secret.Service.GetSecrets"), ==, 0);
      g_assert_cmpuint (byok_test_bus_calls_count (bc, "org.freedesktop.Secret.Item.GetSecret"), ==, 0);
      byok_test_bus_calls_end (bc);
    }

  /* The keyring may hold other tests' keys: compare ours. */
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(GPtrArray) f_keys = keys_of (full, ids[i]);
      g_autoptr(GPtrArray) b_keys = keys_of (bare, ids[i]);

      g_assert_cmpuint (b_keys->len, ==, f_keys->len);
      g_assert_cmpuint (b_keys->len, ==, i == 2 ? 1 : i == 0 ? 3 : 2);
      for (guint j = 0; j < b_keys->len; j++)
        {
          ByokKey *b = g_ptr_array_index (b_keys, j);
          ByokKey *f = g_ptr_array_index (f_keys, j);

          g_assert_cmpint (byok_key_get_source (b), ==, byok_key_get_source (f));
          g_assert_cmpstr (byok_key_get_account (b), ==, byok_key_get_account (f));
          g_assert_cmpstr (byok_key_get_env_var (b), ==, byok_key_get_env_var (f));
          g_assert_cmpint (byok_key_get_is_default (b), ==, byok_key_get_is_default (f));
          g_assert_cmpint (byok_key_get_is_active (b), ==, byok_key_get_is_active (f));
          if (byok_key_get_source (b) == BYOK_KEY_SOURCE_KEYRING)
            {
              g_assert_nonnull (byok_key_get_secret (f));
              g_assert_null (byok_key_get_secret (b));
              g_assert_cmpstr (byok_key_get_masked (b), ==, "");
            }
          else
            g_assert_cmpstr (byok_key_get_secret (b), ==, byok_key_get_secret (f));
        }
    }
  g_assert_true (byok_key_get_is_active (find_key (bare, ids[0], "work")));
  g_assert_false (byok_key_get_is_default (find_key (bare, ids[0], "default")));
  g_assert_false (byok_key_get_is_active (find_key (bare, ids[0], "TEST_LISTACC_A_KEY")));
  g_assert_true (byok_key_get_is_active (find_key (bare, ids[1], "alpha")));
  g_assert_true (byok_key_get_is_active (find_key (bare, ids[2], "TEST_LISTACC_C_KEY")));

  /* The provider's environment first: its key is the active one, here too. */
  byok_key_store_set_prefer_environment (store, ids[0], TRUE);
  g_clear_pointer (&bare, g_ptr_array_unref);
  bare = byok_key_store_list_usable_accounts_wait (store, ids[0], NULL, &keyring_error, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bare->len, ==, 3);
  g_assert_true (byok_key_get_is_active (find_key (bare, ids[0], "TEST_LISTACC_A_KEY")));
  g_assert_true (byok_key_get_is_default (find_key (bare, ids[0], "work")));
  g_assert_false (byok_key_get_is_active (find_key (bare, ids[0], "work")));

  /* The one difference: an item of Byok's schema whose secret is not text
   * (never written by Byok) is left out where secrets are read, and
   * listed where they are not, which cannot tell. (Written through the
   * Secret Service: the file backend's item would lack the schema name,
   * an attribute there, that Byok's searches ask for.) */
  if (!file_backend)
    {
      g_autoptr(SecretValue) binary = secret_value_new ("\377\376bin", 5, "application/octet-stream");
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) read = NULL;

      byok_key_store_add_provider (store, "test-listacc-bin", "test-listacc-bin", NULL);
      secret_password_store_binary (&probe_schema, SECRET_COLLECTION_DEFAULT, "test-listacc-bin", binary,
                                    NULL, byok_test_store_result, &result,
                                    "provider", "test-listacc-bin", "account", "default", NULL);
      byok_test_wait_result (&result);
      g_assert_true (secret_password_store_finish (result, &error));
      g_assert_no_error (error);

      read = byok_key_store_list_usable_wait (store, "test-listacc-bin", NULL, &keyring_error, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (read->len, ==, 0);
      g_clear_pointer (&bare, g_ptr_array_unref);
      bare = byok_key_store_list_usable_accounts_wait (store, "test-listacc-bin", NULL, &keyring_error, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (bare->len, ==, 1);
      g_assert_true (byok_key_get_is_active (find_key (bare, "test-listacc-bin", "default")));
      g_assert_true (byok_key_store_delete_wait (store, "test-listacc-bin", "default", NULL, &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GPtrArray) one = byok_key_store_list_wait (store, ids[i], NULL, &error);

      for (guint j = 0; j < one->len; j++)
        if (byok_key_get_source (g_ptr_array_index (one, j)) == BYOK_KEY_SOURCE_KEYRING)
          g_assert_true (byok_key_store_delete_wait (store, ids[i], byok_key_get_account (g_ptr_array_index (one, j)),
                                                     NULL, &error));
    }
  g_assert_no_error (error);
}

static void
test_event_names (void)
{
  g_assert_cmpstr (byok_key_event_to_string (BYOK_KEY_EVENT_ADDED), ==, "added");
  g_assert_cmpstr (byok_key_event_to_string (BYOK_KEY_EVENT_REPLACED), ==, "replaced");
  g_assert_cmpstr (byok_key_event_to_string (BYOK_KEY_EVENT_DELETED), ==, "deleted");
  g_assert_cmpstr (byok_key_event_to_string (BYOK_KEY_EVENT_DEFAULT_CHANGED), ==, "default-changed");
  g_assert_cmpstr (byok_key_event_to_string (BYOK_KEY_EVENT_TESTED), ==, "tested");
}

int
main (int argc, char **argv)
{
  file_backend = g_strcmp0 (g_getenv ("BYOK_TEST_KEYRING"), "file") == 0;
  g_test_init (&argc, &argv, NULL);
  if (file_backend)
    {
      /* Where libsecret keeps keys inside Flatpak: an encrypted file in the
       * app's data folder, its master secret from the Secret portal (here
       * given directly: the portal is the desktop's, not Byok's). The file
       * is in the data folder that key-in-no-file searches. */
      g_autofree char *path = g_build_filename (g_get_user_data_dir (), "keyrings", "default.keyring", NULL);

      g_setenv ("SECRET_BACKEND", "file", TRUE);
      g_setenv ("SECRET_FILE_TEST_PATH", path, TRUE);
      g_setenv ("SECRET_FILE_TEST_PASSWORD", "test-fake-master-secret", TRUE);
    }
  g_test_add_func ("/key-store/event-names", test_event_names);
  g_test_add_func ("/key-store/round-trip", test_round_trip);
  g_test_add_func ("/key-store/async-main-loop", test_async_main_loop);
  g_test_add_func ("/key-store/accounts-and-default", test_accounts_and_default);
  g_test_add_func ("/key-store/environment", test_environment);
  g_test_add_func ("/key-store/invalid-input", test_invalid_input);
  g_test_add_func ("/key-store/cancelled", test_cancelled);
  g_test_add_func ("/key-store/key-in-no-file", test_key_in_no_file);
  /* Before key-in-no-output: its subprocess writes the file backend's
   * file, which this process's backend then takes for a stranger's. */
  g_test_add_func ("/key-store/list-accounts-without-secrets", test_list_accounts_without_secrets);
  g_test_add_func ("/key-store/key-in-no-output", test_key_in_no_output);
  /* The file backend needs no running keyring. */
  if (!file_backend)
    {
      g_test_add_func ("/key-store/no-keyring", test_no_keyring);
      g_test_add_func ("/key-store/list-all-in-one-read", test_list_all_in_one_read);
      g_test_add_func ("/key-store/preconnect", test_preconnect);
    }
  return g_test_run ();
}
