/* byok-provider-private.h — what the files of ByokProvider and the catalog share
 *
 * byok-provider.c holds the object, byok-provider-json.c builds one from
 * the catalog's JSON (byok-catalog.c calls it).
 */
#pragma once

#include <json-glib/json-glib.h>

#include "byok-provider.h"

G_BEGIN_DECLS

struct _ByokProvider
{
  GObject              parent_instance;

  char                *id;
  char                *name;
  ByokProviderDialect  dialect;
  char                *default_base_url;
  char                *base_url_override;
  char                *environment_base_url;
  GStrv                alt_base_urls;
  GStrv                alt_base_url_labels;
  ByokAuthStyle        auth_style;
  GStrv                extra_header_names;
  GStrv                extra_header_values;
  GStrv                env_vars;
  char                *key_prefix;
  char                *key_description;
  char                *key_format;
  ByokModelsList       models_list;
  char                *key_check_method;
  char                *key_check_path;
  char                *key_check_model;
  ByokBalanceFormat    balance_format;
  char                *balance_path;
  char                *balance_key_path;
  char                *balance_currency;
  GStrv                balance_currency_hosts;
  GStrv                balance_currency_values;
  char                *docs_url;
  char                *console_url;
  char                *pricing_url;
  char                *azure_deployment;
  char                *azure_api_version;

  guint                needs_key : 1;
  guint                base_url_is_template : 1;
  guint                rejects_stream_options : 1;
  guint                thinking_switch : 1;
  guint                local : 1;
  guint                custom : 1;
  guint                azure : 1;
  guint                enabled : 1;
  guint                allow_http : 1;
};

extern const char * const _byok_provider_dialect_names[BYOK_PROVIDER_DIALECT_GEMINI + 1];

/* Reads one entry of the catalog's "providers" (byok-json.h's strict
 * readers): a BYOK_ERROR_MALFORMED error names what is wrong. */
ByokProvider *_byok_provider_new_from_json (JsonObject   *object,
                                            GError      **error);

/* The catalog's compiled form (byok-catalog-compile): a provider as its
 * JSON gave it, and back. */
#define _BYOK_PROVIDER_VARIANT_TYPE \
  "(ssusmasmasumasmasmasmsmsmsumsmsmsumsmsmsmasmasmsmsmsmsbbbbbbb)"

GVariant     *_byok_provider_to_variant       (ByokProvider *self);
ByokProvider *_byok_provider_new_from_variant (GVariant     *variant);

G_END_DECLS
