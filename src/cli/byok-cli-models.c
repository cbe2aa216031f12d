/* byok-cli-models.c — `byok-cli models`: a provider's models with their
 * context window, prices, capabilities and use cases; the provider's own
 * list with --remote (or --refresh); "which model for coding?" with --for */
#define G_LOG_DOMAIN "byok-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "byok-cli-commands.h"
#include "byok-cli-util.h"
#include "byok-engine.h"
#include "byok-error.h"
#include "byok-json.h"
#include "byok-format.h"

/* "128k", "1M", "200k", or "—" when unknown */
static char *
format_context (gint64 n)
{
  if (n <= 0)
    return g_strdup ("—");
  return byok_format_tokens (n);
}

static char *
format_rate (double rate)
{
  if (!byok_price_rate_is_known (rate))
    return g_strdup ("?");
  return g_strdup_printf ("%g", rate);
}

static char *
format_capabilities (ByokModel *model)
{
  static const struct {
    ByokModelCapabilities cap;
    const char *name;
  } caps[] = {
    { BYOK_MODEL_CAP_STREAMING, N_("streaming") },
    { BYOK_MODEL_CAP_REASONING, N_("reasoning") },
    { BYOK_MODEL_CAP_VISION, N_("vision") },
    { BYOK_MODEL_CAP_TOOLS, N_("tools") },
    { BYOK_MODEL_CAP_PDF, N_("PDF") },
  };
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (caps); i++)
    {
      if (!byok_model_has_capability (model, caps[i].cap))
        continue;
      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append (out, _(caps[i].name));
    }
  return g_string_free (out, FALSE);
}

static char *
format_use_cases (ByokModel *model)
{
  const char * const *cases = byok_model_get_recommended_for (model);

  if (cases == NULL || cases[0] == NULL)
    return g_strdup ("");
  return g_strjoinv (", ", (char **) cases);
}

/* "temperature": false, or {"min", "max", "without_effort"}; "effort":
 * null, or {"via", "levels", "default"}. */
static void
add_params_json (JsonBuilder *builder,
                 ByokModel   *model,
                 const char  *dialect)
{
  static const char * const vias[] = {
    [BYOK_EFFORT_VIA_REASONING_EFFORT] = "reasoning_effort",
    [BYOK_EFFORT_VIA_ADAPTIVE] = "adaptive",
    [BYOK_EFFORT_VIA_BUDGET] = "budget",
    [BYOK_EFFORT_VIA_LEVEL] = "level",
    [BYOK_EFFORT_VIA_OPENROUTER] = "openrouter",
  };
  ByokModelParams params;

  byok_model_get_params (model, dialect, &params);
  json_builder_set_member_name (builder, "temperature");
  if (params.temperature == BYOK_TEMPERATURE_FIXED)
    json_builder_add_boolean_value (builder, FALSE);
  else
    {
      json_builder_begin_object (builder);
      byok_json_builder_add_double (builder, "min", params.temperature_min);
      byok_json_builder_add_double (builder, "max", params.temperature_max);
      byok_json_builder_add_boolean (builder, "without_effort", params.temperature == BYOK_TEMPERATURE_WITHOUT_EFFORT);
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "effort");
  if (params.effort_via == BYOK_EFFORT_VIA_NONE)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  byok_json_builder_add_string (builder, "via", vias[params.effort_via]);
  json_builder_set_member_name (builder, "levels");
  json_builder_begin_array (builder);
  for (guint bit = 1; bit <= BYOK_EFFORT_LEVEL_MAX; bit <<= 1)
    if (params.effort_levels & bit)
      json_builder_add_string_value (builder, byok_effort_level_to_string (bit));
  json_builder_end_array (builder);
  byok_json_builder_add_string_or_null (builder, "default", params.effort_default);
  json_builder_end_object (builder);
}

static void
add_model_json (JsonBuilder *builder,
                ByokPricing *pricing,
                ByokModel   *model,
                const char  *dialect)
{
  const char * const *cases = byok_model_get_recommended_for (model);
  static const struct {
    ByokModelCapabilities cap;
    const char *name;
  } caps[] = {
    { BYOK_MODEL_CAP_STREAMING, "streaming" },
    { BYOK_MODEL_CAP_REASONING, "reasoning" },
    { BYOK_MODEL_CAP_VISION, "vision" },
    { BYOK_MODEL_CAP_TOOLS, "tools" },
    { BYOK_MODEL_CAP_PDF, "pdf" },
  };
  ByokPrice price;
  gboolean is_override = FALSE;

  byok_pricing_lookup (pricing, byok_model_get_provider_id (model), byok_model_get_id (model),
                       &price, &is_override);

  json_builder_begin_object (builder);
  byok_json_builder_add_string (builder, "provider", byok_model_get_provider_id (model));
  byok_json_builder_add_string (builder, "id", byok_model_get_id (model));
  byok_json_builder_add_string (builder, "name",
                               byok_model_get_name (model) != NULL ? byok_model_get_name (model) : byok_model_get_id (model));
  json_builder_set_member_name (builder, "context_window");
  if (byok_model_get_context_window (model) > 0)
    json_builder_add_int_value (builder, byok_model_get_context_window (model));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "max_output");
  if (byok_model_get_max_output (model) > 0)
    json_builder_add_int_value (builder, byok_model_get_max_output (model));
  else
    json_builder_add_null_value (builder);
  byok_json_builder_add_double_or_null (builder, "input_per_mtok", price.input);
  byok_json_builder_add_double_or_null (builder, "cached_input_per_mtok", price.cached_input);
  byok_json_builder_add_double_or_null (builder, "cache_write_per_mtok", price.cache_write);
  byok_json_builder_add_double_or_null (builder, "output_per_mtok", price.output);
  byok_json_builder_add_boolean (builder, "price_is_override", is_override);
  json_builder_set_member_name (builder, "capabilities");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (caps); i++)
    if (byok_model_has_capability (model, caps[i].cap))
      json_builder_add_string_value (builder, caps[i].name);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "recommended_for");
  json_builder_begin_array (builder);
  for (guint i = 0; cases != NULL && cases[i] != NULL; i++)
    json_builder_add_string_value (builder, cases[i]);
  json_builder_end_array (builder);
  byok_json_builder_add_boolean (builder, "from_catalog", byok_model_is_from_catalog (model));
  byok_json_builder_add_boolean (builder, "listed", byok_model_is_listed (model));
  byok_json_builder_add_string_or_null (builder, "deprecation_date", byok_model_get_deprecation_date (model));
  add_params_json (builder, model, dialect);
  json_builder_end_object (builder);
}

static void
print_models (GPtrArray   *models,
              ByokPricing *pricing,
              gboolean     with_provider,
              gboolean     json)
{
  g_autoptr(ByokCliTable) table = NULL;
  guint skip;

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < models->len; i++)
        {
          ByokModel *model = g_ptr_array_index (models, i);
          ByokProvider *provider = byok_catalog_lookup_provider (byok_pricing_get_catalog (pricing),
                                                                 byok_model_get_provider_id (model));

          add_model_json (builder, pricing, model,
                          provider != NULL ? byok_provider_get_dialect_name (provider) : NULL);
        }
      json_builder_end_array (builder);
      byok_cli_print_builder (builder);
      return;
    }

  /* With one provider, its column says nothing: it is left out. */
  skip = with_provider ? 0 : 1;
  if (with_provider)
    table = byok_cli_table_new (8, _("PROVIDER"), _("MODEL"), _("CONTEXT"), _("IN $/M"),
                                _("CACHED $/M"), _("OUT $/M"), _("CAPABILITIES"), _("RECOMMENDED FOR"));
  else
    table = byok_cli_table_new (7, _("MODEL"), _("CONTEXT"), _("IN $/M"), _("CACHED $/M"),
                                _("OUT $/M"), _("CAPABILITIES"), _("RECOMMENDED FOR"));
  for (guint c = 2; c <= 5; c++)
    byok_cli_table_set_align_right (table, c - skip);

  for (guint i = 0; i < models->len; i++)
    {
      ByokModel *model = g_ptr_array_index (models, i);
      g_autofree char *context = format_context (byok_model_get_context_window (model));
      g_autofree char *input = NULL;
      g_autofree char *cached = NULL;
      g_autofree char *output = NULL;
      g_autofree char *capabilities = format_capabilities (model);
      g_autofree char *use_cases = format_use_cases (model);
      ByokPrice price;
      const char *cells[8];

      byok_pricing_lookup (pricing, byok_model_get_provider_id (model), byok_model_get_id (model),
                           &price, NULL);
      input = format_rate (price.input);
      /* A missing cached price is charged at the input price. */
      cached = format_rate (byok_price_rate_is_known (price.cached_input) ? price.cached_input : price.input);
      output = format_rate (price.output);

      cells[0] = byok_model_get_provider_id (model);
      cells[1] = byok_model_get_id (model);
      cells[2] = context;
      cells[3] = input;
      cells[4] = cached;
      cells[5] = output;
      cells[6] = capabilities;
      cells[7] = use_cases;
      byok_cli_table_add_rowv (table, cells + skip);
    }
  byok_cli_table_print (table, stdout);
}

static int
usage_error_use_case (const char *use_case)
{
  g_autofree char *valid = g_strjoinv (", ", (char **) byok_use_case_get_all ());

  return byok_cli_usage_error ("models", _("unknown use case “%s”; use one of: %s"), use_case, valid);
}

int
byok_cli_models (int    argc,
                 char **argv)
{
  gboolean json = FALSE;
  gboolean allow_http = FALSE;
  gboolean remote = FALSE;
  gboolean refresh = FALSE;
  g_autofree char *use_case = NULL;
  g_autofree char *base_url = NULL;
  const GOptionEntry entries[] = {
    { "remote", 0, 0, G_OPTION_ARG_NONE, &remote,
      N_("List the models the provider itself lists now (all pages)"), NULL },
    { "refresh", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &refresh, N_("The same as --remote"), NULL },
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &base_url,
      N_("Use this base URL for the provider, for this call only"), N_("URL") },
    { "for", 0, 0, G_OPTION_ARG_STRING, &use_case,
      N_("Recommend models for a use case: general, coding, reasoning, long-documents, chinese, cheap-bulk"),
      N_("USE_CASE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    BYOK_CLI_ALLOW_HTTP_ENTRY (&allow_http),
    { NULL }
  };
  g_autoptr(ByokEngine) engine = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  ByokCatalog *catalog;
  const char *provider_id = NULL;
  int status;

  if (!byok_cli_parse_options (&argc, &argv, N_("[PROVIDER]"),
                               _("List a provider’s models with their context window, prices per "
                                 "million tokens, capabilities and what they are recommended for."),
                               entries, &status))
    return status;
  if (argc > 2)
    return byok_cli_usage_error ("models", _("unexpected argument “%s”"), argv[2]);
  if (argc == 2)
    provider_id = argv[1];
  if (provider_id == NULL && use_case == NULL)
    return byok_cli_usage_error ("models", _("name a provider, or a use case with --for"));
  if (use_case != NULL && !byok_use_case_is_valid (use_case))
    return usage_error_use_case (use_case);
  remote |= refresh;
  if (remote && provider_id == NULL)
    return byok_cli_usage_error ("models", _("--remote needs a provider"));
  if (base_url != NULL && provider_id == NULL)
    return byok_cli_usage_error ("models", _("--base-url needs a provider"));
  if (base_url != NULL && !byok_provider_url_is_http (base_url))
    return byok_cli_usage_error ("models", _("--base-url must be an http:// or https:// URL"));

  engine = byok_cli_open_engine (BYOK_CLI_KEYRING_NONE, &error);
  if (engine == NULL)
    return byok_cli_fail (error);
  catalog = byok_engine_get_catalog (engine);

  if (provider_id != NULL &&
      (byok_catalog_lookup_provider (catalog, provider_id) == NULL ||
       g_str_equal (provider_id, BYOK_CATALOG_CUSTOM_TEMPLATE_ID)))
    return byok_cli_usage_error ("models", _("there is no provider “%s”; run “byok-cli providers” for the list"),
                                 provider_id);
  if (base_url != NULL)
    byok_provider_set_environment_base_url (byok_catalog_lookup_provider (catalog, provider_id), base_url);
  if (allow_http)
    byok_cli_allow_http (engine);

  if (remote)
    {
      ByokProvider *provider = byok_catalog_lookup_provider (catalog, provider_id);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) all = NULL;

      if (byok_provider_get_models_list (provider) == BYOK_MODELS_LIST_NONE)
        {
          g_printerr (_("%s publishes no model list; these are the models Byok knows.\n"),
                      byok_provider_get_name (provider));
          models = byok_catalog_get_models (catalog, provider_id);
        }
      else
        {
          byok_client_list_models_async (byok_engine_get_client (engine), provider_id, NULL,
                                         byok_cli_store_result, &result);
          all = byok_client_list_models_finish (byok_engine_get_client (engine), byok_cli_wait (&result),
                                                &error);
          if (all == NULL)
            return byok_cli_fail (error);
          /* The provider's own list: what it listed, not what only the catalog knows. */
          models = g_ptr_array_new_with_free_func (g_object_unref);
          for (guint i = 0; i < all->len; i++)
            if (byok_model_is_listed (g_ptr_array_index (all, i)))
              g_ptr_array_add (models, g_object_ref (g_ptr_array_index (all, i)));
        }
    }

  if (use_case != NULL)
    {
      g_autoptr(GPtrArray) recommended = byok_catalog_recommend (catalog, use_case, 0);

      g_clear_pointer (&models, g_ptr_array_unref);
      models = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < recommended->len; i++)
        {
          ByokModel *model = g_ptr_array_index (recommended, i);

          if (provider_id == NULL || g_strcmp0 (byok_model_get_provider_id (model), provider_id) == 0)
            g_ptr_array_add (models, g_object_ref (model));
        }
      if (models->len == 0 && !json)
        {
          if (provider_id != NULL)
            g_printerr (_("The catalog recommends no model of %s for “%s”.\n"), provider_id, use_case);
          else
            g_printerr (_("The catalog recommends no model for “%s”.\n"), use_case);
          return BYOK_CLI_EXIT_OK;
        }
      print_models (models, byok_engine_get_pricing (engine), provider_id == NULL, json);
      return BYOK_CLI_EXIT_OK;
    }

  if (models == NULL)
    models = byok_catalog_get_models (catalog, provider_id);
  if (models->len == 0 && !json)
    {
      if (remote)
        g_printerr (_("%s lists no model.\n"), provider_id);
      else
        g_printerr (_("Byok knows no model of %s. Try “byok-cli models %s --remote”.\n"), provider_id, provider_id);
      return BYOK_CLI_EXIT_OK;
    }
  print_models (models, byok_engine_get_pricing (engine), FALSE, json);
  return BYOK_CLI_EXIT_OK;
}
