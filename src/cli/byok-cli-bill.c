/* byok-cli-bill.c — `byok-cli usage --compare-bill`: the provider's own bill
 * (read with its admin key) beside what Byok recorded, per UTC day */
#define G_LOG_DOMAIN "byok-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "byok-cli-commands.h"
#include "byok-cli-usage.h"
#include "byok-cli-util.h"
#include "byok-engine.h"
#include "byok-error.h"
#include "byok-price.h"
#include "byok-provider-bill.h"

/* "+$0.11", "−$0.02", "±$0.00": the provider's figure less Byok's. */
static char *
format_difference (double byok,
                   double provider)
{
  double difference = provider - byok;
  g_autofree char *amount = byok_cli_format_usd (fabs (difference));

  return g_strdup_printf ("%s%s", difference < -0.005 ? "−" : difference > 0.005 ? "+" : "±", amount);
}

static void
add_row (ByokCliTable *table,
         const char   *name,
         const char   *day,
         double        byok,
         double        provider,
         guint64       unknown)
{
  g_autofree char *byok_text = byok_cli_format_usd (byok);
  g_autofree char *provider_text = byok_cli_format_usd (provider);
  g_autofree char *difference = format_difference (byok, provider);
  g_autoptr(GString) note = g_string_new (NULL);

  if (byok_price_cost_differs (byok, provider))
    g_string_append (note, _("differs"));
  if (unknown > 0)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, unknown);

      if (note->len > 0)
        g_string_append (note, ", ");
      /* Translators: calls Byok could not price, part of a difference ("2 unpriced") */
      g_string_append_printf (note, _("%s unpriced"), count);
    }
  byok_cli_table_add_row (table, name, day, byok_text, provider_text, difference, note->str);
}

/* The difference of a period or a day taken apart, under the table:
 * "OpenAI, 2026-11-02: +$1.50" and the parts indented. */
static void
add_explanation (GString             *out,
                 gboolean             with_reason,
                 const char          *name,
                 const char          *period,
                 const ByokBill      *bill,
                 const ByokBillParts *parts,
                 double               byok,
                 double               provider)
{
  ByokBillExplanation explanation;
  g_auto(GStrv) lines = NULL;
  g_autofree char *difference = format_difference (byok, provider);

  byok_bill_explain (provider, byok, bill->keys, parts, &explanation);
  lines = byok_bill_explain_lines (bill, parts, &explanation, with_reason);
  /* Translators: a provider, a period or day, and the difference of its bill from Byok's figure */
  g_string_append_printf (out, _("%1$s, %2$s: the bill differs by %3$s\n"), name, period, difference);
  for (guint i = 0; lines[i] != NULL; i++)
    g_string_append_printf (out, "  %s\n", lines[i]);
}

/**
 * byok_cli_usage_compare_bill:
 * @label: the period as the totals line names it ("Last 30 days")
 * @by_day: one row per day, not per provider
 *
 * Reads the bill of every provider that has an admin key (OpenAI,
 * Anthropic) for the period, to the whole UTC days their bills are cut in,
 * and prints it beside Byok's recorded cost.
 */
int
byok_cli_usage_compare_bill (gint64      from_us,
                             gint64      to_us,
                             const char *label,
                             gboolean    by_day,
                             gboolean    json,
                             gboolean    allow_http)
{
  const char * const *providers = byok_provider_bill_providers ();
  g_autoptr(ByokEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  guint n = g_strv_length ((char **) providers);
  g_autofree GAsyncResult **slots = g_new0 (GAsyncResult *, n);
  g_autoptr(ByokCliTable) table = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GString) explanations = g_string_new (NULL);
  gboolean failed = FALSE;
  gboolean told_why = FALSE;
  guint shown = 0;

  engine = byok_cli_open_engine (BYOK_CLI_KEYRING_NONE, &error);
  if (engine == NULL)
    return byok_cli_fail (error);
  if (allow_http)
    byok_cli_allow_http (engine);

  /* All at once, then in order. */
  for (guint i = 0; i < n; i++)
    byok_provider_bill_fetch_async (byok_engine_get_client (engine), providers[i], NULL, from_us, to_us,
                                    NULL, byok_cli_store_result, &slots[i]);

  table = byok_cli_table_new (6, _("PROVIDER"), _("DAY"), _("BYOK"), _("PROVIDER’S BILL"), _("DIFFERENCE"), "");
  for (guint c = 2; c <= 4; c++)
    byok_cli_table_set_align_right (table, c);
  json_builder_begin_array (builder);

  for (guint i = 0; i < n; i++)
    {
      ByokProvider *provider = byok_catalog_lookup_provider (byok_engine_get_catalog (engine), providers[i]);
      const char *name = provider != NULL ? byok_provider_get_name (provider) : providers[i];
      g_autoptr(GError) read_error = NULL;
      g_autoptr(ByokBill) bill = NULL;

      bill = byok_provider_bill_fetch_finish (byok_engine_get_client (engine), byok_cli_wait (&slots[i]),
                                              &read_error);
      g_clear_object (&slots[i]);
      if (bill != NULL)
        byok_bill_add_recorded (bill, byok_engine_get_usage_store (engine), byok_engine_get_pricing (engine),
                                &read_error);
      if (bill == NULL || read_error != NULL)
        {
          /* No admin key: no row. */
          if (g_error_matches (read_error, BYOK_ERROR, BYOK_ERROR_NO_KEY))
            continue;
          failed = TRUE;
          /* Translators: %1$s is a provider, %2$s why its bill could not be read */
          g_printerr (_("byok-cli: the bill of %1$s could not be read: %2$s [%3$s]\n"),
                      name, read_error->message, byok_error_get_class (read_error));
          continue;
        }
      shown++;
      if (json)
        {
          json_builder_add_value (builder, byok_bill_to_json (bill));
          continue;
        }
      if (!by_day)
        {
          g_autoptr(JsonNode) node = byok_bill_to_json (bill);
          JsonObject *object = json_node_get_object (node);
          /* The whole period, its first and last UTC day */
          g_autofree char *period = g_strdup_printf ("%s – %s", json_object_get_string_member (object, "from"),
                                                     json_object_get_string_member (object, "to"));

          add_row (table, name, period, bill->byok_usd, bill->provider_usd, bill->byok_unknown_price);
          if (byok_bill_differs (bill))
            add_explanation (explanations, TRUE, name, period, bill, &bill->parts, bill->byok_usd,
                             bill->provider_usd);
          continue;
        }
      told_why = FALSE;
      for (guint d = 0; d < bill->days->len; d++)
        {
          const ByokBillDay *day = g_ptr_array_index (bill->days, d);

          add_row (table, name, day->day, day->byok_usd, day->provider_usd, day->byok_unknown_price);
          if (!byok_bill_day_differs (day))
            continue;
          /* Why the keys were not told apart: once a provider. */
          add_explanation (explanations, !told_why, name, day->day, bill, &day->parts, day->byok_usd,
                           day->provider_usd);
          told_why = TRUE;
        }
    }
  json_builder_end_array (builder);

  if (json)
    byok_cli_print_builder (builder);
  else if (shown == 0 && !failed)
    printf ("%s\n", _("No provider has an admin key to read its bill. Add one with “byok-cli keys set-admin openai” "
                      "or “byok-cli keys set-admin anthropic”."));
  else if (shown > 0)
    {
      /* Translators: %s is the period ("Last 30 days") */
      printf (_("The providers’ bills beside Byok’s, %s (whole UTC days, as the providers count them):\n"), label);
      byok_cli_table_print (table, stdout);
      if (explanations->len > 0)
        printf ("\n%s", explanations->str);
    }
  return failed ? BYOK_CLI_EXIT_FAILED : BYOK_CLI_EXIT_OK;
}
