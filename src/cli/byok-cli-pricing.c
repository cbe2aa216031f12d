/* byok-cli-pricing.c — `byok-cli pricing`: list, set and reset model prices,
 * and the cost of a given usage */
#define G_LOG_DOMAIN "byok-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "byok-catalog.h"
#include "byok-cli.h"
#include "byok-cli-usage.h"
#include "byok-cli-util.h"
#include "byok-error.h"
#include "byok-json.h"
#include "byok-price-history.h"
#include "byok-price-overrides.h"
#include "byok-price-update.h"
#include "byok-usage-store.h"

struct _ByokCliUsageContext
{
  ByokDatabase   *database;
  ByokUsageStore *store;
  ByokCatalog    *catalog;
  ByokPricing    *pricing;
};

/**
 * byok_cli_usage_context_open:
 *
 * @with_prices: also read the catalog and the prices in force
 *
 * Opens what `usage` and `pricing` read: the database at
 * `$XDG_DATA_HOME/byok/byok.db` and its usage store; with @with_prices,
 * the catalog and the prices in force (the catalog's with the user's
 * overrides), the catalog read in a thread of its own while the database
 * opens. A usage report reads only the recorded costs: without the
 * prices it is spared reading the catalog and the price history.
 *
 * Returns: (transfer full): the context, or %NULL with @error set
 */
ByokCliUsageContext *
byok_cli_usage_context_open (gboolean   with_prices,
                             GError   **error)
{
  g_autoptr(ByokCliUsageContext) context = g_new0 (ByokCliUsageContext, 1);
  g_autofree char *path = byok_database_get_default_path ();
  GThread *catalog_thread = with_prices ? byok_catalog_new_default_in_thread () : NULL;

  context->database = byok_database_open (path, error);
  if (context->database == NULL)
    {
      if (catalog_thread != NULL)
        g_object_unref (g_thread_join (catalog_thread));
      return NULL;
    }
  context->store = byok_usage_store_new (context->database);
  {
    g_autoptr(GError) local_error = NULL;

    /* A byok-cli that was killed mid-answer left its call in flight. */
    if (byok_usage_store_interrupt_dead_calls (context->store, &local_error) == 0 && local_error != NULL)
      g_warning ("Could not look for interrupted calls: %s", local_error->message);
  }
  if (!with_prices)
    return g_steal_pointer (&context);
  context->catalog = g_thread_join (catalog_thread);
  if (!byok_price_history_load (context->database, context->catalog, error))
    return NULL;
  context->pricing = byok_pricing_new (context->catalog);
  if (!byok_price_overrides_load (context->store, context->pricing, error))
    return NULL;
  return g_steal_pointer (&context);
}

void
byok_cli_usage_context_free (ByokCliUsageContext *context)
{
  if (context == NULL)
    return;
  g_clear_object (&context->pricing);
  g_clear_object (&context->catalog);
  g_clear_object (&context->store);
  g_clear_object (&context->database);
  g_free (context);
}

ByokUsageStore *
byok_cli_usage_context_get_store (ByokCliUsageContext *context)
{
  return context->store;
}

/* NULL unless opened with the prices. */
ByokPricing *
byok_cli_usage_context_get_pricing (ByokCliUsageContext *context)
{
  return context->pricing;
}

/* NULL unless opened with the prices. */
ByokCatalog *
byok_cli_usage_context_get_catalog (ByokCliUsageContext *context)
{
  return context->catalog;
}

/* "$0.60", or "unknown" */
static char *
format_rate (double rate)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (rate))
    return g_strdup (C_("price", "unknown"));
  g_ascii_formatd (buf, sizeof buf, "%.4f", rate);
  /* Trim to at least two decimals: "$0.6000" → "$0.60", "$0.0750" → "$0.075". */
  {
    char *end = buf + strlen (buf) - 1;
    char *dot = strchr (buf, '.');

    while (dot != NULL && end > dot + 2 && *end == '0')
      *end-- = '\0';
  }
  return g_strdup_printf ("$%s", buf);
}

/**
 * byok_cli_format_usd:
 *
 * A cost as byok-cli prints it: "$3.10", "$0.0042" below a cent, "unknown".
 */
char *
byok_cli_format_usd (double usd)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (usd))
    return g_strdup (C_("cost", "unknown"));
  if (usd != 0 && fabs (usd) < 0.01)
    g_ascii_formatd (buf, sizeof buf, "%.4f", fabs (usd));
  else
    g_ascii_formatd (buf, sizeof buf, "%.2f", fabs (usd));
  return g_strdup_printf ("%s$%s", usd < 0 && strspn (buf, "0.") != strlen (buf) ? "-" : "", buf);
}

/* Resolves "PROVIDER/MODEL" or a bare model id of the catalog. With
 * @allow_unknown, "PROVIDER/MODEL" of a known provider and a model the
 * catalog does not have is accepted (an Azure deployment, a new model). */
static gboolean
resolve_model (ByokCatalog  *catalog,
               const char   *command,
               const char   *spec,
               gboolean      allow_unknown,
               char        **provider_out,
               char        **model_out,
               int          *exit_status)
{
  ByokModel *model = byok_catalog_find_model (catalog, spec);
  const char *slash = strchr (spec, '/');
  g_autofree char *suggestion = NULL;

  if (model != NULL)
    {
      *provider_out = g_strdup (byok_model_get_provider_id (model));
      *model_out = g_strdup (byok_model_get_id (model));
      return TRUE;
    }

  if (slash != NULL && slash != spec && slash[1] != '\0')
    {
      g_autofree char *provider = g_strndup (spec, slash - spec);

      if (byok_catalog_lookup_provider (catalog, provider) != NULL)
        {
          if (allow_unknown)
            {
              *provider_out = g_steal_pointer (&provider);
              *model_out = g_strdup (slash + 1);
              return TRUE;
            }
          suggestion = byok_catalog_suggest_model (catalog, provider, slash + 1);
          if (suggestion != NULL)
            {
              g_autofree char *full = g_strdup_printf ("%s/%s", provider, suggestion);
              g_free (suggestion);
              suggestion = g_steal_pointer (&full);
            }
        }
    }
  if (suggestion == NULL)
    suggestion = byok_catalog_suggest_model (catalog, NULL, slash != NULL ? slash + 1 : spec);
  if (suggestion == NULL && slash != NULL)
    suggestion = byok_catalog_suggest_model (catalog, NULL, spec);

  if (suggestion != NULL)
    *exit_status = byok_cli_usage_error (command,
                                         _("Unknown model “%s”. Did you mean “%s”? "
                                           "Run “byok-cli pricing list” for every model."),
                                         spec, suggestion);
  else
    *exit_status = byok_cli_usage_error (command,
                                         _("Unknown model “%s”. Write it as PROVIDER/MODEL; "
                                           "run “byok-cli pricing list” for every model."),
                                         spec);
  return FALSE;
}

/* The end of the local day @text (YYYY-MM-DD). */
static gboolean
parse_day_end (const char *text,
               gint64     *end_us)
{
  int year, month, day;
  char rest;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) next = NULL;

  if (sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day, &rest) != 3 || strlen (text) != 10)
    return FALSE;
  start = g_date_time_new_local (year, month, day, 0, 0, 0);
  if (start == NULL)
    return FALSE;
  next = g_date_time_add_days (start, 1);
  *end_us = g_date_time_to_unix (next) * G_USEC_PER_SEC - 1;
  return TRUE;
}

static const char *
origin_name (ByokPriceOrigin origin)
{
  switch (origin)
    {
    case BYOK_PRICE_ORIGIN_UPDATE: return "update";
    case BYOK_PRICE_ORIGIN_USER: return "user";
    case BYOK_PRICE_ORIGIN_CATALOG:
    default: return "catalog";
    }
}

/* `pricing list --at DATE`: the table the price history says was in force. */
static int
pricing_list_at (ByokCliUsageContext *context,
                 const char          *provider,
                 const char          *at,
                 gint64               at_us,
                 gboolean             json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = byok_price_history_list_at (context->database, context->catalog, at_us, &error);

  if (rows == NULL)
    return byok_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < rows->len; i++)
        {
          ByokPriceHistoryRow *row = g_ptr_array_index (rows, i);
          g_autoptr(GDateTime) since = NULL;
          g_autofree char *since_text = NULL;

          if (provider != NULL && g_strcmp0 (row->provider, provider) != 0)
            continue;
          json_builder_begin_object (builder);
          byok_json_builder_add_string (builder, "provider", row->provider);
          byok_json_builder_add_string (builder, "model", row->model);
          byok_price_add_json_members (builder, &row->price, TRUE);
          byok_json_builder_add_string (builder, "origin", origin_name (row->origin));
          json_builder_set_member_name (builder, "since");
          since = row->since_us > 0 ? g_date_time_new_from_unix_utc (row->since_us / G_USEC_PER_SEC) : NULL;
          since_text = since != NULL ? g_date_time_format_iso8601 (since) : NULL;
          if (since_text != NULL)
            json_builder_add_string_value (builder, since_text);
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      byok_cli_print_builder (builder);
      return BYOK_CLI_EXIT_OK;
    }

  {
    g_autoptr(ByokCliTable) table =
      byok_cli_table_new (8, _("PROVIDER"), _("MODEL"), _("INPUT"), _("CACHED"),
                          _("CACHE WRITE"), _("OUTPUT"), _("FROM"), _("SINCE"));

    for (guint c = 2; c <= 5; c++)
      byok_cli_table_set_align_right (table, c);
    for (guint i = 0; i < rows->len; i++)
      {
        ByokPriceHistoryRow *row = g_ptr_array_index (rows, i);
        g_autofree char *input = NULL, *cached = NULL, *write = NULL, *output = NULL;
        g_autoptr(GDateTime) since = NULL;
        g_autofree char *since_text = NULL;
        const char *from;

        if (provider != NULL && g_strcmp0 (row->provider, provider) != 0)
          continue;
        input = format_rate (row->price.input);
        cached = format_rate (row->price.cached_input);
        write = format_rate (row->price.cache_write);
        output = format_rate (row->price.output);
        from = row->origin == BYOK_PRICE_ORIGIN_USER ? _("yours")
               /* Translators: a price that came from a price update */
               : row->origin == BYOK_PRICE_ORIGIN_UPDATE ? _("update")
               /* Translators: a price that came with Byok's catalog */
               : _("catalog");
        since = row->since_us > 0 ? g_date_time_new_from_unix_local (row->since_us / G_USEC_PER_SEC) : NULL;
        since_text = since != NULL ? g_date_time_format (since, "%Y-%m-%d %H:%M") : g_strdup ("—");
        byok_cli_table_add_row (table, row->provider, row->model, input, cached, write, output, from,
                                since_text);
      }
    /* Translators: %s is a date (YYYY-MM-DD) */
    printf (_("Prices in force at the end of %s:\n\n"), at);
    byok_cli_table_print (table, stdout);
    printf ("\n%s\n", _("USD per million tokens. Calls keep the cost they were recorded with."));
  }
  return BYOK_CLI_EXIT_OK;
}

/* pricing list --------------------------------------------------------- */

static int
pricing_list (int argc, char **argv)
{
  g_autofree char *provider = NULL;
  g_autofree char *at = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "provider", 'p', 0, G_OPTION_ARG_STRING, &provider, N_("Only the models of PROVIDER"), N_("PROVIDER") },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at,
      N_("The prices in force at the end of DATE (YYYY-MM-DD), from the price history"), N_("DATE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  gint64 at_us = 0;
  g_autoptr(ByokCliUsageContext) context = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!byok_cli_parse_options (&argc, &argv, NULL,
                               _("Lists every model's price in USD per million tokens. "
                                 "Prices you set are marked “edited”."),
                               entries, &status))
    return status;
  if (argc > 1)
    return byok_cli_usage_error ("pricing list", _("Unexpected argument “%s”."), argv[1]);
  if (at != NULL && !parse_day_end (at, &at_us))
    return byok_cli_usage_error ("pricing list", _("--at needs a date as YYYY-MM-DD, such as 2026-12-01."));

  context = byok_cli_usage_context_open (TRUE, &error);
  if (context == NULL)
    return byok_cli_fail (error);
  if (provider != NULL && byok_catalog_lookup_provider (context->catalog, provider) == NULL)
    return byok_cli_usage_error ("pricing list",
                                 _("Unknown provider “%s”. Run “byok-cli providers” for the list."),
                                 provider);

  if (at != NULL)
    return pricing_list_at (context, provider, at, at_us, json);
  rows = byok_pricing_list (context->pricing);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < rows->len; i++)
        {
          ByokPriceRow *row = g_ptr_array_index (rows, i);
          g_autofree char *tiers = NULL;

          if (provider != NULL && g_strcmp0 (row->provider_id, provider) != 0)
            continue;
          json_builder_begin_object (builder);
          byok_json_builder_add_string (builder, "provider", row->provider_id);
          byok_json_builder_add_string (builder, "model", row->model_id);
          byok_price_add_json_members (builder, &row->price, TRUE);
          byok_json_builder_add_boolean (builder, "override", row->is_override);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      byok_cli_print_builder (builder);
      return BYOK_CLI_EXIT_OK;
    }

  {
    g_autoptr(ByokCliTable) table =
      byok_cli_table_new (7, _("PROVIDER"), _("MODEL"), _("INPUT"), _("CACHED"),
                          _("CACHE WRITE"), _("OUTPUT"), "");

    for (guint c = 2; c <= 5; c++)
      byok_cli_table_set_align_right (table, c);
    for (guint i = 0; i < rows->len; i++)
      {
        ByokPriceRow *row = g_ptr_array_index (rows, i);
        g_autofree char *input = NULL, *cached = NULL, *write = NULL, *output = NULL;
        g_autofree char *note = NULL;

        if (provider != NULL && g_strcmp0 (row->provider_id, provider) != 0)
          continue;
        input = format_rate (row->price.input);
        cached = format_rate (row->price.cached_input);
        write = format_rate (row->price.cache_write);
        output = format_rate (row->price.output);
        if (row->is_override)
          note = g_strdup (_("edited"));
        else if (row->price.n_tiers > 0)
          /* Translators: a price that rises above a prompt size */
          note = g_strdup (_("tiered"));
        byok_cli_table_add_row (table, row->provider_id, row->model_id,
                                input, cached, write, output, note);
      }
    byok_cli_table_print (table, stdout);
    printf ("\n%s\n", _("USD per million tokens. A missing cached or cache-write price is charged at the input price."));
  }
  return BYOK_CLI_EXIT_OK;
}

/* pricing set ---------------------------------------------------------- */

static gboolean
parse_rate_option (const char *option,
                   const char *text,
                   double     *rate,
                   int        *status)
{
  g_autoptr(GError) error = NULL;

  if (text == NULL)
    return TRUE;
  if (!byok_price_rate_parse (text, FALSE, rate, &error))
    {
      *status = byok_cli_usage_error ("pricing set", "%s: %s", option, error->message);
      return FALSE;
    }
  return TRUE;
}

static int
pricing_set (int argc, char **argv)
{
  g_autofree char *input = NULL, *output = NULL, *cached = NULL, *write = NULL;
  const GOptionEntry entries[] = {
    { "input", 0, 0, G_OPTION_ARG_STRING, &input, N_("Uncached input, USD per million tokens"), N_("USD") },
    { "output", 0, 0, G_OPTION_ARG_STRING, &output, N_("Output, USD per million tokens"), N_("USD") },
    { "cached", 0, 0, G_OPTION_ARG_STRING, &cached, N_("Cached input (cache reads), USD per million tokens"), N_("USD") },
    { "cache-write", 0, 0, G_OPTION_ARG_STRING, &write, N_("Cache writes, USD per million tokens"), N_("USD") },
    { NULL }
  };
  g_autoptr(ByokCliUsageContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *provider = NULL;
  g_autofree char *model = NULL;
  g_autofree char *in_text = NULL, *cached_text = NULL, *write_text = NULL, *out_text = NULL;
  ByokPrice price;
  int status;

  if (!byok_cli_parse_options (&argc, &argv, _("PROVIDER/MODEL"),
                               _("Sets your own price for a model, in USD per million tokens. "
                                 "It is saved and used for every cost from now on."),
                               entries, &status))
    return status;
  if (argc != 2)
    return byok_cli_usage_error ("pricing set", _("Name one model as PROVIDER/MODEL."));
  if (input == NULL && output == NULL && cached == NULL && write == NULL)
    return byok_cli_usage_error ("pricing set",
                                 _("Give at least one price: --input, --output, --cached or --cache-write."));

  context = byok_cli_usage_context_open (TRUE, &error);
  if (context == NULL)
    return byok_cli_fail (error);
  if (!resolve_model (context->catalog, "pricing set", argv[1], TRUE, &provider, &model, &status))
    return status;

  /* What is not given keeps the price in force. */
  byok_pricing_lookup (context->pricing, provider, model, &price, NULL);
  if (!parse_rate_option ("--input", input, &price.input, &status) ||
      !parse_rate_option ("--output", output, &price.output, &status) ||
      !parse_rate_option ("--cached", cached, &price.cached_input, &status) ||
      !parse_rate_option ("--cache-write", write, &price.cache_write, &status))
    return status;

  if (!byok_price_overrides_set (context->store, context->pricing, provider, model, &price, &error))
    {
      if (g_error_matches (error, BYOK_ERROR, BYOK_ERROR_INVALID))
        return byok_cli_usage_error ("pricing set", "%s", error->message);
      return byok_cli_fail (error);
    }

  in_text = format_rate (price.input);
  cached_text = format_rate (price.cached_input);
  write_text = format_rate (price.cache_write);
  out_text = format_rate (price.output);
  printf (_("%s/%s: input %s, cached %s, cache write %s, output %s per million tokens (edited)\n"),
          provider, model, in_text, cached_text, write_text, out_text);
  return BYOK_CLI_EXIT_OK;
}

/* pricing reset -------------------------------------------------------- */

static int
pricing_reset (int argc, char **argv)
{
  gboolean all = FALSE;
  const GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Reset every price you set"), NULL },
    { NULL }
  };
  g_autoptr(ByokCliUsageContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *provider = NULL;
  g_autofree char *model = NULL;
  int status;

  if (!byok_cli_parse_options (&argc, &argv, _("PROVIDER/MODEL|--all"),
                               _("Removes your price for a model: the catalog's price is used again."),
                               entries, &status))
    return status;
  if (all == (argc == 2) || argc > 2)
    return byok_cli_usage_error ("pricing reset", _("Name one model as PROVIDER/MODEL, or give --all."));

  context = byok_cli_usage_context_open (TRUE, &error);
  if (context == NULL)
    return byok_cli_fail (error);

  if (all)
    {
      guint n = 0;

      if (!byok_price_overrides_reset_all (context->store, context->pricing, &n, &error))
        return byok_cli_fail (error);
      printf (g_dngettext (GETTEXT_PACKAGE, "%u price reset to the catalog’s.\n",
                           "%u prices reset to the catalog’s.\n", n), n);
      return BYOK_CLI_EXIT_OK;
    }

  if (!resolve_model (context->catalog, "pricing reset", argv[1], TRUE, &provider, &model, &status))
    return status;
  if (!byok_pricing_has_override (context->pricing, provider, model))
    {
      printf (_("%s/%s has no price of yours; nothing to reset.\n"), provider, model);
      return BYOK_CLI_EXIT_OK;
    }
  if (!byok_price_overrides_reset (context->store, context->pricing, provider, model, &error))
    return byok_cli_fail (error);
  printf (_("%s/%s: back to the catalog’s price.\n"), provider, model);
  return BYOK_CLI_EXIT_OK;
}

/* pricing cost --------------------------------------------------------- */

static int
pricing_cost (int argc, char **argv)
{
  g_autofree char *spec = NULL;
  gint64 input = -1, output = -1, cached = 0, write = 0;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_STRING, &spec, N_("The model, as PROVIDER/MODEL or a model id"), N_("MODEL") },
    { "input", 0, 0, G_OPTION_ARG_INT64, &input, N_("Prompt tokens, cached ones included"), N_("N") },
    { "output", 0, 0, G_OPTION_ARG_INT64, &output, N_("Output tokens, reasoning included"), N_("N") },
    { "cached", 0, 0, G_OPTION_ARG_INT64, &cached, N_("Cached prompt tokens (cache reads)"), N_("N") },
    { "cache-write", 0, 0, G_OPTION_ARG_INT64, &write, N_("Prompt tokens written to the cache"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(ByokCliUsageContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *provider = NULL;
  g_autofree char *model = NULL;
  g_autofree char *full = NULL;
  double cost;
  gboolean known;
  int status;

  if (!byok_cli_parse_options (&argc, &argv, NULL,
                               _("Prints what a call with these token counts costs at the price in force."),
                               entries, &status))
    return status;
  if (argc > 1)
    return byok_cli_usage_error ("pricing cost", _("Unexpected argument “%s”."), argv[1]);
  if (spec == NULL)
    return byok_cli_usage_error ("pricing cost", _("Name the model with -m PROVIDER/MODEL."));
  if (input < 0 || output < 0)
    return byok_cli_usage_error ("pricing cost", _("Give --input and --output token counts, 0 or more."));
  if (cached < 0 || write < 0)
    return byok_cli_usage_error ("pricing cost", _("Token counts cannot be negative."));
  if (cached + write > input)
    return byok_cli_usage_error ("pricing cost",
                                 _("--input counts every prompt token, so it must be at least --cached plus --cache-write."));

  context = byok_cli_usage_context_open (TRUE, &error);
  if (context == NULL)
    return byok_cli_fail (error);
  if (!resolve_model (context->catalog, "pricing cost", spec, FALSE, &provider, &model, &status))
    return status;

  known = byok_pricing_cost (context->pricing, provider, model, input, cached, write, output, &cost);
  full = g_strdup_printf ("%s/%s", provider, model);

  if (json)
    {
      /* Written by hand so that $3.10 is 3.1, not json-glib's 3.1000000000000001. */
      g_autoptr(JsonNode) name = json_node_init_string (json_node_alloc (), full);
      g_autofree char *quoted = json_to_string (name, FALSE);
      char number[G_ASCII_DTOSTR_BUF_SIZE] = "null";

      if (known)
        g_ascii_formatd (number, sizeof number, "%.12g", cost);
      printf ("{\n  \"model\" : %s,\n  \"cost_usd\" : %s\n}\n", quoted, number);
      return BYOK_CLI_EXIT_OK;
    }

  if (known)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (buf, sizeof buf, "%.6f", cost);
      printf ("%s: $%s\n", full, buf);
    }
  else
    printf (_("%s: unknown — the catalog has no price for it. Set one with “byok-cli pricing set %s --input USD --output USD”.\n"),
            full, full);
  return BYOK_CLI_EXIT_OK;
}

/* pricing update ------------------------------------------------------- */

static char *
format_price_short (const ByokPrice *price)
{
  g_autofree char *input = format_rate (price->input);
  g_autofree char *output = format_rate (price->output);

  /* Translators: a price per million tokens, input and output: "in $3.00, out $18.00" */
  return g_strdup_printf (_("in %s, out %s"), input, output);
}

/* "input $0.22 → $0.20, output $0.66 → $0.60": the rates that changed. */
static char *
format_price_change (const ByokPriceChange *change)
{
  static const char * const names[BYOK_N_PRICE_RATES] = {
    N_("input"), N_("cached"), N_("cache write"), N_("output"),
  };
  GString *out = g_string_new (NULL);

  for (ByokPriceRate r = 0; r < BYOK_N_PRICE_RATES; r++)
    {
      g_autofree char *from = NULL, *to = NULL;
      double old_rate, new_rate;

      if (!byok_price_change_get_rates (change, r, &old_rate, &new_rate))
        continue;
      from = format_rate (old_rate);
      to = format_rate (new_rate);
      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append_printf (out, "%s %s → %s", _(names[r]), from, to);
    }
  if (out->len == 0)
    /* Translators: only the prices above some prompt size changed */
    g_string_append (out, _("the prices for long prompts"));
  return g_string_free (out, FALSE);
}

static void
add_change_json (JsonBuilder           *builder,
                 const ByokPriceChange *change)
{
  json_builder_begin_object (builder);
  byok_json_builder_add_string (builder, "provider", change->provider);
  byok_json_builder_add_string (builder, "model", change->model);
  byok_json_builder_add_string (builder, "name", change->name);
  if (change->kind != BYOK_PRICE_CHANGE_NEW)
    {
      json_builder_set_member_name (builder, "old");
      json_builder_begin_object (builder);
      byok_price_add_json_members (builder, &change->old_price, TRUE);
      json_builder_end_object (builder);
    }
  if (change->kind != BYOK_PRICE_CHANGE_REMOVED)
    {
      json_builder_set_member_name (builder, "new");
      json_builder_begin_object (builder);
      byok_price_add_json_members (builder, &change->new_price, TRUE);
      json_builder_end_object (builder);
    }
  if (change->kind == BYOK_PRICE_CHANGE_NEW)
    {
      json_builder_set_member_name (builder, "context_window");
      if (change->context_window > 0)
        json_builder_add_int_value (builder, change->context_window);
      else
        json_builder_add_null_value (builder);
    }
  byok_json_builder_add_boolean (builder, "override", change->has_override);
  json_builder_end_object (builder);
}

static void
print_update_json (ByokPriceUpdate *update,
                   gboolean         applied)
{
  static const struct {
    const char          *member;
    ByokPriceChangeKind  kind;
  } groups[] = {
    { "new", BYOK_PRICE_CHANGE_NEW },
    { "changed", BYOK_PRICE_CHANGE_CHANGED },
    { "removed", BYOK_PRICE_CHANGE_REMOVED },
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  byok_json_builder_add_string (builder, "source", byok_price_update_get_source (update));
  byok_json_builder_add_string (builder, "sha256", byok_price_data_get_sha256 (byok_price_update_get_data (update)));
  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      json_builder_set_member_name (builder, groups[g].member);
      json_builder_begin_array (builder);
      for (guint i = 0; i < byok_price_update_get_n_changes (update); i++)
        {
          const ByokPriceChange *change = byok_price_update_get_change (update, i);

          if (change->kind == groups[g].kind)
            add_change_json (builder, change);
        }
      json_builder_end_array (builder);
    }
  byok_json_builder_add_boolean (builder, "applied", applied);
  json_builder_end_object (builder);
  byok_cli_print_builder (builder);
}

static void
print_update (ByokPriceUpdate *update)
{
  static const ByokPriceChangeKind kinds[] = {
    BYOK_PRICE_CHANGE_NEW, BYOK_PRICE_CHANGE_CHANGED, BYOK_PRICE_CHANGE_REMOVED
  };

  /* Translators: %s is where the price list comes from (an address or a file) */
  printf (_("Price list %s\n"), byok_price_update_get_source (update));
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      guint n = byok_price_update_count (update, kinds[k]);

      if (n == 0)
        continue;
      printf ("\n");
      if (kinds[k] == BYOK_PRICE_CHANGE_NEW)
        printf (g_dngettext (GETTEXT_PACKAGE, "%u new model:\n", "%u new models:\n", n), n);
      else if (kinds[k] == BYOK_PRICE_CHANGE_CHANGED)
        printf (g_dngettext (GETTEXT_PACKAGE, "%u price changes:\n", "%u prices change:\n", n), n);
      else
        printf (g_dngettext (GETTEXT_PACKAGE, "%u model goes:\n", "%u models go:\n", n), n);
      for (guint i = 0; i < byok_price_update_get_n_changes (update); i++)
        {
          const ByokPriceChange *change = byok_price_update_get_change (update, i);
          g_autofree char *what = NULL;

          if (change->kind != kinds[k])
            continue;
          what = change->kind == BYOK_PRICE_CHANGE_NEW ? format_price_short (&change->new_price)
                 : change->kind == BYOK_PRICE_CHANGE_CHANGED ? format_price_change (change)
                 : format_price_short (&change->old_price);
          printf ("  %s/%s (%s): %s%s\n", change->provider, change->model, change->name, what,
                  change->has_override ? _(" — your own price stays") : "");
        }
    }
  if (byok_price_update_is_empty (update))
    printf ("%s\n", _("No price or model changes."));
}

static int
pricing_update (int argc, char **argv)
{
  g_autofree char *from = NULL;
  gboolean dry_run = FALSE;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from,
      N_("Read the price list from FILE, or fetch it from an https URL (by default genai-prices’ list)"),
      N_("FILE|URL") },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would change, change nothing"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(ByokCliUsageContext) context = NULL;
  g_autoptr(ByokPriceData) data = NULL;
  g_autoptr(ByokPriceUpdate) update = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *source;
  gboolean applied = FALSE;
  int status;

  if (!byok_cli_parse_options (&argc, &argv, NULL,
                               _("Fetches a maintained list of prices and models, shows what it "
                                 "changes (new models, prices old → new, models that go) and applies "
                                 "it. Your own prices stay; calls already recorded keep their cost. A "
                                 "list that is not valid, too large, or has a price that is negative, "
                                 "not a number or beyond reason is refused whole."),
                               entries, &status))
    return status;
  if (argc > 1)
    return byok_cli_usage_error ("pricing update", _("Unexpected argument “%s”."), argv[1]);
  source = from != NULL ? from : BYOK_PRICE_DATA_DEFAULT_URL;
  if (!byok_price_data_source_is_allowed (source, NULL, &error))
    return byok_cli_usage_error ("pricing update", "%s", error->message);

  context = byok_cli_usage_context_open (TRUE, &error);
  if (context == NULL)
    return byok_cli_fail (error);

  byok_price_data_fetch_async (source, NULL, byok_cli_store_result, &result);
  data = byok_price_data_fetch_finish (byok_cli_wait (&result), &error);
  if (data == NULL)
    return byok_cli_fail (error);

  update = byok_price_update_new (context->catalog, context->pricing, data, source);
  if (!json)
    print_update (update);
  if (!dry_run && !byok_price_update_is_empty (update))
    {
      if (!byok_price_history_apply (context->database, context->catalog, context->pricing, update, &error))
        return byok_cli_fail (error);
      applied = TRUE;
    }
  if (json)
    print_update_json (update, applied);
  else if (dry_run && !byok_price_update_is_empty (update))
    printf ("\n%s\n", _("Dry run: nothing was changed."));
  else if (applied)
    printf ("\n%s\n", _("Applied. Your own prices stay; calls already recorded keep their cost."));
  return BYOK_CLI_EXIT_OK;
}

/* dispatch ------------------------------------------------------------- */

static void
pricing_help (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: byok-cli pricing SUBCOMMAND [OPTIONS…]"));
  fprintf (out, "%s\n", _("Subcommands:"));
  fprintf (out, "  %-7s %s\n", "list", _("List every model's price (yours marked “edited”)"));
  fprintf (out, "  %-7s %s\n", "set", _("Set your price for PROVIDER/MODEL"));
  fprintf (out, "  %-7s %s\n", "reset", _("Remove your price for PROVIDER/MODEL, or --all"));
  fprintf (out, "  %-7s %s\n", "cost", _("Print the cost of a usage on a model"));
  fprintf (out, "  %-7s %s\n", "update", _("Fetch the current prices and models, show the changes, apply them"));
  fprintf (out, "\n%s\n", _("Run “byok-cli pricing SUBCOMMAND --help” for its options."));
}

/**
 * byok_cli_pricing:
 *
 * `byok-cli pricing list|set|reset|cost|update …`
 */
int
byok_cli_pricing (int argc, char **argv)
{
  static const struct {
    const char *name;
    ByokCliCommandFunc func;
  } subcommands[] = {
    { "list", pricing_list },
    { "set", pricing_set },
    { "reset", pricing_reset },
    { "cost", pricing_cost },
    { "update", pricing_update },
  };

  if (argc < 2)
    {
      pricing_help (stderr);
      return BYOK_CLI_EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)
    {
      pricing_help (stdout);
      return BYOK_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    {
      if (strcmp (argv[1], subcommands[i].name) == 0)
        {
          g_autofree char *name = g_strdup_printf ("pricing %s", argv[1]);
          char *saved = argv[1];
          int status;

          /* byok_cli_parse_options() names the command after argv[0]. */
          argv[1] = name;
          status = subcommands[i].func (argc - 1, argv + 1);
          argv[1] = saved;
          return status;
        }
    }

  return byok_cli_usage_error ("pricing", _("Unknown subcommand “%s”."), argv[1]);
}
