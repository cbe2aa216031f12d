/* byok-cli-balance.c — `byok-cli balance [PROVIDER] [--json]`: what is left
 * on each provider account that tells it, read with the stored key */
#define G_LOG_DOMAIN "byok-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "byok-balance.h"
#include "byok-cli-commands.h"
#include "byok-cli-util.h"
#include "byok-engine.h"
#include "byok-error.h"

#define PACE_DAYS 30

typedef struct {
  ByokProvider *provider;
  GAsyncResult *result;
} Read;

/* What each provider's calls cost a day over the last PACE_DAYS days. */
static GHashTable *
read_paces (ByokEngine *engine)
{
  GHashTable *paces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gint64 now = g_get_real_time ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokUsageReport) report =
    byok_usage_store_report (byok_engine_get_usage_store (engine),
                             now - (gint64) PACE_DAYS * 24 * 3600 * G_USEC_PER_SEC, now,
                             BYOK_USAGE_BUCKET_DAY, NULL, &error);

  for (guint i = 0; report != NULL && i < report->by_provider->len; i++)
    {
      ByokUsageGroup *group = g_ptr_array_index (report->by_provider, i);
      double *pace = g_new (double, 1);

      *pace = group->totals.cost_usd / PACE_DAYS;
      g_hash_table_insert (paces, g_strdup (group->provider), pace);
    }
  return paces;
}

static char *
format_checked (gint64 unix_seconds)
{
  g_autoptr(GDateTime) time = unix_seconds > 0 ? g_date_time_new_from_unix_local (unix_seconds) : NULL;

  return time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M") : g_strdup ("—");
}

int
byok_cli_balance (int    argc,
                  char **argv)
{
  gboolean json = FALSE;
  gboolean allow_http = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    BYOK_CLI_ALLOW_HTTP_ENTRY (&allow_http),
    { NULL }
  };
  g_autoptr(ByokEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) reads = NULL;
  g_autoptr(GHashTable) paces = NULL;
  g_autoptr(ByokCliTable) table = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  ByokProviderSettings *settings;
  ByokCatalog *catalog;
  g_autoptr(GPtrArray) providers = NULL;
  gboolean failed = FALSE;
  int status;

  if (!byok_cli_parse_options (&argc, &argv, N_("[PROVIDER]"),
                               _("Show what is left on each provider account that tells it (DeepSeek, "
                                 "Moonshot, OpenRouter), read with the stored key. A failed read keeps "
                                 "the last balance, with when it was read."),
                               entries, &status))
    return status;
  if (argc > 2)
    return byok_cli_usage_error ("balance", _("unexpected argument “%s”"), argv[2]);

  engine = byok_cli_open_engine (BYOK_CLI_KEYRING_NONE, &error);
  if (engine == NULL)
    return byok_cli_fail (error);
  if (allow_http)
    byok_cli_allow_http (engine);
  catalog = byok_engine_get_catalog (engine);
  settings = byok_engine_get_provider_settings (engine);

  reads = g_array_new (FALSE, TRUE, sizeof (Read));
  if (argc == 2)
    {
      ByokProvider *provider = byok_catalog_lookup_provider (catalog, argv[1]);
      Read read = { provider, NULL };

      if (provider == NULL || g_str_equal (argv[1], BYOK_CATALOG_CUSTOM_TEMPLATE_ID))
        {
          g_set_error (&error, BYOK_ERROR, BYOK_ERROR_INVALID,
                       _("There is no provider “%s”. Run “byok-cli providers” for the list."), argv[1]);
          return byok_cli_fail (error);
        }
      if (byok_provider_get_balance_format (provider) == BYOK_BALANCE_FORMAT_NONE)
        {
          g_set_error (&error, BYOK_ERROR, BYOK_ERROR_INVALID,
                       _("%s does not tell the balance of an account."), byok_provider_get_name (provider));
          return byok_cli_fail (error);
        }
      g_array_append_val (reads, read);
    }
  else
    {
      providers = byok_catalog_get_providers (catalog);
      for (guint i = 0; i < providers->len; i++)
        {
          Read read = { g_ptr_array_index (providers, i), NULL };

          if (byok_provider_get_balance_format (read.provider) != BYOK_BALANCE_FORMAT_NONE)
            g_array_append_val (reads, read);
        }
    }

  /* All at once, then in the catalog's order. */
  for (guint i = 0; i < reads->len; i++)
    {
      Read *read = &g_array_index (reads, Read, i);

      byok_balance_fetch_async (byok_engine_get_client (engine), byok_provider_get_id (read->provider),
                                NULL, byok_cli_store_result, &read->result);
    }

  paces = read_paces (engine);
  table = byok_cli_table_new (4, _("PROVIDER"), _("AVAILABLE"), _("LASTS"), _("CHECKED"));
  byok_cli_table_set_align_right (table, 1);
  builder = json_builder_new ();
  json_builder_begin_array (builder);

  for (guint i = 0; i < reads->len; i++)
    {
      Read *read = &g_array_index (reads, Read, i);
      const char *id = byok_provider_get_id (read->provider);
      g_autoptr(GError) read_error = NULL;
      g_autoptr(ByokBalance) balance = NULL;
      g_autoptr(ByokBalance) last = byok_balance_load (settings, id);
      g_autoptr(GError) save_error = NULL;
      g_autofree char *amount = NULL;
      g_autofree char *lasts = NULL;
      g_autofree char *checked = NULL;
      const double *pace;
      double days;

      balance = byok_balance_fetch_finish (byok_engine_get_client (engine), byok_cli_wait (&read->result),
                                           &read_error);
      g_clear_object (&read->result);
      if (balance == NULL)
        {
          /* No key: no row, unless the provider was named. */
          if (g_error_matches (read_error, BYOK_ERROR, BYOK_ERROR_NO_KEY))
            {
              if (argc == 2)
                return byok_cli_fail (read_error);
              continue;
            }
          failed = TRUE;
          /* Translators: %1$s is a provider, %2$s why its balance could not be read */
          g_printerr (_("byok-cli: the balance of %1$s could not be read: %2$s [%3$s]\n"),
                      byok_provider_get_name (read->provider), read_error->message,
                      byok_error_get_class (read_error));
          balance = byok_balance_merge_failure (last, id, read_error);
        }
      if (!byok_balance_save (settings, balance, &save_error))
        g_printerr ("byok-cli: %s\n", save_error->message);

      if (json)
        {
          json_builder_add_value (builder, byok_balance_to_json (balance));
          continue;
        }

      amount = byok_balance_has_value (balance) ? byok_balance_format_amount (balance->currency, balance->available)
                                                : g_strdup ("—");
      pace = g_hash_table_lookup (paces, id);
      days = byok_balance_days_left (balance, pace != NULL ? *pace : NAN);
      if (!isfinite (days))
        lasts = g_strdup ("—");
      else if (days < 1)
        /* Translators: how long a balance lasts at the pace of the last 30 days */
        lasts = g_strdup_printf (_("less than a day (%u-day pace)"), PACE_DAYS);
      else
        /* Translators: how long a balance lasts: "about 23 days (30-day pace)" */
        lasts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %.0f day (%u-day pace)",
                                              "about %.0f days (%u-day pace)",
                                              (gulong) MIN (floor (days), 1000000)),
                                 floor (days), PACE_DAYS);
      checked = format_checked (balance->checked_at);
      if (balance->error_message != NULL)
        {
          g_autofree char *old = g_steal_pointer (&checked);

          /* Translators: the time of the last balance read, when the newest read failed */
          checked = g_strdup_printf (_("%s (last read failed)"), old);
        }
      byok_cli_table_add_row (table, byok_provider_get_name (read->provider), amount, lasts, checked);
    }
  json_builder_end_array (builder);

  if (json)
    byok_cli_print_builder (builder);
  else if (byok_cli_table_get_n_rows (table) == 0)
    printf ("%s\n", _("No provider with a balance to tell has a key. Add one with “byok-cli keys set”."));
  else
    byok_cli_table_print (table, stdout);
  return failed ? BYOK_CLI_EXIT_FAILED : BYOK_CLI_EXIT_OK;
}
