/* test-error.c — the BYOK_ERROR domain and its classes */
#include "config.h"

#include <gio/gio.h>

#include "byok-error.h"

static void
test_error_names_round_trip (void)
{
  for (guint i = 0; i < BYOK_ERROR_N_CODES; i++)
    {
      ByokErrorCode code;
      const char *name = byok_error_code_to_string (i);

      g_assert_cmpstr (name, !=, "UNKNOWN");
      g_assert_true (byok_error_code_from_string (name, &code));
      g_assert_cmpint (code, ==, i);
    }
  g_assert_cmpstr (byok_error_code_to_string (BYOK_ERROR_QUOTA), ==, "QUOTA");
  g_assert_cmpstr (byok_error_code_to_string (999), ==, "UNKNOWN");
  {
    ByokErrorCode code = BYOK_ERROR_AUTH;
    g_assert_false (byok_error_code_from_string ("NOPE", &code));
    g_assert_false (byok_error_code_from_string (NULL, &code));
  }
}

static void
test_error_policy (void)
{
  g_autoptr(GError) rate = g_error_new (BYOK_ERROR, BYOK_ERROR_RATE_LIMIT, "slow down");
  g_autoptr(GError) quota = g_error_new (BYOK_ERROR, BYOK_ERROR_QUOTA, "pay up");
  g_autoptr(GError) auth = g_error_new (BYOK_ERROR, BYOK_ERROR_AUTH, "bad key");
  g_autoptr(GError) cancel = g_error_new (BYOK_ERROR, BYOK_ERROR_CANCELLED, "stopped");
  g_autoptr(GError) budget = g_error_new (BYOK_ERROR, BYOK_ERROR_BUDGET, "over");
  g_autoptr(GError) gio_cancel = g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, "c");

  g_assert_true (byok_error_is_retryable (rate));
  g_assert_false (byok_error_is_retryable (quota));
  g_assert_false (byok_error_is_retryable (auth));
  g_assert_true (byok_error_allows_fallback (quota));
  g_assert_true (byok_error_allows_fallback (auth));
  g_assert_false (byok_error_allows_fallback (cancel));
  g_assert_false (byok_error_allows_fallback (budget));
  g_assert_cmpstr (byok_error_get_class (gio_cancel), ==, "CANCELLED");
  g_assert_true (byok_error_is_cancelled (cancel));
  g_assert_true (byok_error_is_cancelled (gio_cancel));
  g_assert_false (byok_error_is_cancelled (budget));
  g_assert_false (byok_error_is_cancelled (NULL));
  g_assert_cmpstr (byok_error_get_class (auth), ==, "AUTH");
  g_assert_cmpstr (byok_error_get_class (NULL), ==, "OK");

  /* What calls are recorded as: one lower-case form, read back either way. */
  g_assert_cmpstr (byok_error_get_status (NULL), ==, "ok");
  g_assert_cmpstr (byok_error_get_status (auth), ==, "auth");
  g_assert_cmpstr (byok_error_get_status (rate), ==, "rate_limit");
  g_assert_cmpstr (byok_error_get_status (gio_cancel), ==, "cancelled");
  {
    ByokErrorCode code;

    g_assert_true (byok_error_code_from_string ("rate_limit", &code));
    g_assert_cmpint (code, ==, BYOK_ERROR_RATE_LIMIT);
    g_assert_true (byok_error_code_from_string ("RATE_LIMIT", &code));
    g_assert_cmpint (code, ==, BYOK_ERROR_RATE_LIMIT);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/error/names", test_error_names_round_trip);
  g_test_add_func ("/error/policy", test_error_policy);
  return g_test_run ();
}
