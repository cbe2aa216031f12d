/* test-keyring-smoke.c — the test session's keyring is real and usable:
 * store, read back and delete a secret through libsecret (async, and read
 * back as the app does it: a search, then each item's secret; libsecret
 * before 0.21.2 leaks the reply of secret_password_lookup()). */
#include "config.h"

#include <libsecret/secret.h>

static const SecretSchema smoke_schema = {
  .name = "io.github.byok.Byok.TestSmoke",
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { "provider", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

typedef struct {
  GMainLoop *loop;
  gboolean ok;
  char *password;
  GError *error;
} Wait;

static void
store_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;
  w->ok = secret_password_store_finish (result, &w->error);
  g_main_loop_quit (w->loop);
}

static void
retrieve_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;
  SecretValue *value = secret_retrievable_retrieve_secret_finish (SECRET_RETRIEVABLE (source),
                                                                  result, &w->error);

  if (value != NULL)
    w->password = secret_value_unref_to_password (value, NULL);
  g_main_loop_quit (w->loop);
}

static void
search_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;
  GList *items = secret_password_search_finish (result, &w->error);

  if (items == NULL)
    {
      g_main_loop_quit (w->loop);
      return;
    }
  g_assert_null (items->next);
  secret_retrievable_retrieve_secret (items->data, NULL, retrieve_done, w);
  g_list_free_full (items, g_object_unref);
}

/* The secret stored for "smoke", or NULL. */
static void
lookup (Wait *w)
{
  secret_password_search (&smoke_schema, SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK, NULL,
                          search_done, w, "provider", "smoke", NULL);
  g_main_loop_run (w->loop);
}

static void
clear_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;
  w->ok = secret_password_clear_finish (result, &w->error);
  g_main_loop_quit (w->loop);
}

static void
test_keyring_round_trip (void)
{
  Wait w = { g_main_loop_new (NULL, FALSE), FALSE, NULL, NULL };

  secret_password_store (&smoke_schema, SECRET_COLLECTION_DEFAULT, "Byok: smoke test",
                         "not-a-real-key-1234", NULL, store_done, &w,
                         "provider", "smoke", NULL);
  g_main_loop_run (w.loop);
  g_assert_no_error (w.error);
  g_assert_true (w.ok);

  lookup (&w);
  g_assert_no_error (w.error);
  g_assert_cmpstr (w.password, ==, "not-a-real-key-1234");
  secret_password_free (g_steal_pointer (&w.password));

  secret_password_clear (&smoke_schema, NULL, clear_done, &w, "provider", "smoke", NULL);
  g_main_loop_run (w.loop);
  g_assert_no_error (w.error);
  g_assert_true (w.ok);

  lookup (&w);
  g_assert_no_error (w.error);
  g_assert_null (w.password);

  g_main_loop_unref (w.loop);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/keyring/round-trip", test_keyring_round_trip);
  return g_test_run ();
}
