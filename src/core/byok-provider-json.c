/* byok-provider-json.c — a provider as the catalog describes it */
#define G_LOG_DOMAIN "byok-catalog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byok-error.h"
#include "byok-json.h"
#include "byok-model-private.h"
#include "byok-provider-private.h"

static const char * const auth_names[] = {
  [BYOK_AUTH_BEARER] = "bearer",
  [BYOK_AUTH_X_API_KEY] = "x-api-key",
  [BYOK_AUTH_X_GOOG_API_KEY] = "x-goog-api-key",
  [BYOK_AUTH_API_KEY] = "api-key",
  [BYOK_AUTH_NONE] = "none",
};

static const char * const models_list_names[] = {
  [BYOK_MODELS_LIST_NONE] = "none",
  [BYOK_MODELS_LIST_OPENAI] = "openai",
  [BYOK_MODELS_LIST_ANTHROPIC] = "anthropic",
  [BYOK_MODELS_LIST_GEMINI] = "gemini",
};

static const char * const balance_format_names[] = {
  [BYOK_BALANCE_FORMAT_NONE] = "none",
  [BYOK_BALANCE_FORMAT_DEEPSEEK] = "deepseek",
  [BYOK_BALANCE_FORMAT_MOONSHOT] = "moonshot",
  [BYOK_BALANCE_FORMAT_OPENROUTER] = "openrouter",
};

static gboolean
id_is_valid (const char *id)
{
  if (id == NULL || !g_ascii_isalnum (*id))
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    {
      if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) &&
          *p != '-' && *p != '_' && *p != '.')
        return FALSE;
    }
  return TRUE;
}

static gboolean
lookup_name (const char * const *names,
             guint               n_names,
             const char         *name,
             int                *out)
{
  for (guint i = 0; i < n_names; i++)
    {
      if (g_strcmp0 (names[i], name) == 0)
        {
          *out = (int) i;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
read_enum (JsonObject         *object,
           const char         *member,
           const char * const *names,
           guint               n_names,
           const char         *where,
           int                *out,
           GError            **error)
{
  g_autofree char *value = NULL;
  g_autoptr(GString) known = NULL;

  if (!byok_json_expect_string (object, member, TRUE, where, &value, error))
    return FALSE;
  if (lookup_name (names, n_names, value, out))
    return TRUE;

  known = g_string_new (NULL);
  for (guint i = 0; i < n_names; i++)
    g_string_append_printf (known, "%s%s", i > 0 ? ", " : "", names[i]);
  byok_json_set_malformed (error, where, _("“%s” is “%s”; it must be one of: %s"),
                           member, value, known->str);
  return FALSE;
}

/* The catalog's words for people (key hints, endpoint labels) are
 * translated like the sources' (data/catalog-strings.h lists them for
 * xgettext): @text, replaced by its translation, if there is one. */
static void
translate (char **text)
{
  const char *translation;

  if (*text == NULL || **text == '\0')
    return;   /* g_dgettext() of "" is the catalog's header */
  translation = g_dgettext (GETTEXT_PACKAGE, *text);
  if (translation != *text)
    {
      g_free (*text);
      *text = g_strdup (translation);
    }
}

static gboolean
read_alt_base_urls (ByokProvider  *self,
                    JsonObject    *object,
                    const char    *where,
                    GError       **error)
{
  static const char * const members[] = { "url", "label", NULL };
  JsonArray *array = NULL;
  g_autoptr(GPtrArray) urls = g_ptr_array_new_null_terminated (4, g_free, TRUE);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_null_terminated (4, g_free, TRUE);

  if (!byok_json_expect_array (object, "alt_base_urls", where, &array, error))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *alt_where = g_strdup_printf ("%s, alternative base URL %u", where, i + 1);
      JsonObject *alt;
      char *url = NULL;
      char *label = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          byok_json_set_malformed (error, alt_where, _("must be an object with “url” and “label”"));
          return FALSE;
        }
      alt = json_node_get_object (node);
      if (!byok_json_expect_members (alt, members, alt_where, error) ||
          !byok_json_expect_string (alt, "url", TRUE, alt_where, &url, error))
        return FALSE;
      g_ptr_array_add (urls, url);
      if (!byok_json_expect_string (alt, "label", TRUE, alt_where, &label, error))
        return FALSE;
      translate (&label);
      g_ptr_array_add (labels, label);
    }

  self->alt_base_urls = (GStrv) g_ptr_array_free (g_steal_pointer (&urls), FALSE);
  self->alt_base_url_labels = (GStrv) g_ptr_array_free (g_steal_pointer (&labels), FALSE);
  return TRUE;
}

static gboolean
read_headers (ByokProvider  *self,
              JsonObject    *object,
              const char    *where,
              GError       **error)
{
  JsonObject *headers = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_null_terminated (2, g_free, TRUE);
  g_autoptr(GPtrArray) values = g_ptr_array_new_null_terminated (2, g_free, TRUE);
  g_autoptr(GList) members = NULL;

  if (!byok_json_expect_object (object, "headers", FALSE, where, &headers, error))
    return FALSE;

  if (headers != NULL)
    members = json_object_get_members (headers);
  for (GList *l = members; l != NULL; l = l->next)
    {
      char *value = NULL;

      if (!byok_json_expect_string (headers, l->data, TRUE, where, &value, error))
        return FALSE;
      g_ptr_array_add (names, g_strdup (l->data));
      g_ptr_array_add (values, value);
    }

  self->extra_header_names = (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
  self->extra_header_values = (GStrv) g_ptr_array_free (g_steal_pointer (&values), FALSE);
  return TRUE;
}

static gboolean
read_key_hint (ByokProvider  *self,
               JsonObject    *object,
               const char    *where,
               GError       **error)
{
  static const char * const members[] = { "prefix", "description", "format", NULL };
  JsonObject *hint = NULL;
  g_autofree char *hint_where = g_strdup_printf ("%s, key_hint", where);

  if (!byok_json_expect_object (object, "key_hint", TRUE, where, &hint, error) ||
      !byok_json_expect_members (hint, members, hint_where, error) ||
      !byok_json_expect_string (hint, "prefix", FALSE, hint_where, &self->key_prefix, error) ||
      !byok_json_expect_string (hint, "description", TRUE, hint_where,
                                &self->key_description, error) ||
      !byok_json_expect_string (hint, "format", FALSE, hint_where, &self->key_format, error))
    return FALSE;

  translate (&self->key_description);
  if (self->key_format != NULL && !g_str_equal (self->key_format, "id.secret"))
    {
      byok_json_set_malformed (error, hint_where,
                               _("unknown key format “%s” (known: id.secret)"),
                               self->key_format);
      return FALSE;
    }
  return TRUE;
}

/* "balance": where the provider tells the account's balance (byok-balance.h):
 * {"format": "deepseek"|"moonshot"|"openrouter", "path": "/user/balance",
 *  "key_path": "/key" (OpenRouter: the key's own limit), "currency": "USD",
 *  "currency_by_host": {"api.moonshot.cn": "CNY"}}. Paths are relative to
 * the base URL, as key_check's. */
static gboolean
read_balance (ByokProvider  *self,
              JsonObject    *object,
              const char    *where,
              GError       **error)
{
  static const char * const members[] = { "format", "path", "key_path", "currency", "currency_by_host", NULL };
  JsonObject *balance = NULL;
  JsonObject *hosts = NULL;
  g_autofree char *balance_where = g_strdup_printf ("%s, balance", where);
  g_autoptr(GPtrArray) names = g_ptr_array_new_null_terminated (2, g_free, TRUE);
  g_autoptr(GPtrArray) values = g_ptr_array_new_null_terminated (2, g_free, TRUE);
  g_autoptr(GList) list = NULL;
  int format = BYOK_BALANCE_FORMAT_NONE;

  if (!byok_json_expect_object (object, "balance", FALSE, where, &balance, error))
    return FALSE;
  if (balance != NULL)
    {
      if (!byok_json_expect_members (balance, members, balance_where, error) ||
          !read_enum (balance, "format", balance_format_names, G_N_ELEMENTS (balance_format_names),
                      balance_where, &format, error) ||
          !byok_json_expect_string (balance, "path", TRUE, balance_where, &self->balance_path, error) ||
          !byok_json_expect_string (balance, "key_path", FALSE, balance_where,
                                    &self->balance_key_path, error) ||
          !byok_json_expect_string (balance, "currency", FALSE, balance_where,
                                    &self->balance_currency, error) ||
          !byok_json_expect_object (balance, "currency_by_host", FALSE, balance_where, &hosts, error))
        return FALSE;
      if (format != BYOK_BALANCE_FORMAT_DEEPSEEK && self->balance_currency == NULL)
        {
          /* DeepSeek names the currency of each balance; the others do not. */
          byok_json_set_malformed (error, balance_where, _("“currency” is needed for this format"));
          return FALSE;
        }
      if (hosts != NULL)
        list = json_object_get_members (hosts);
      for (GList *l = list; l != NULL; l = l->next)
        {
          char *value = NULL;

          if (!byok_json_expect_string (hosts, l->data, TRUE, balance_where, &value, error))
            return FALSE;
          g_ptr_array_add (names, g_ascii_strdown (l->data, -1));
          g_ptr_array_add (values, value);
        }
    }
  self->balance_format = (ByokBalanceFormat) format;
  self->balance_currency_hosts = (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
  self->balance_currency_values = (GStrv) g_ptr_array_free (g_steal_pointer (&values), FALSE);
  return TRUE;
}

static gboolean
read_key_check (ByokProvider  *self,
                JsonObject    *object,
                const char    *where,
                GError       **error)
{
  static const char * const members[] = { "method", "path", "model", NULL };
  JsonObject *check = NULL;
  g_autofree char *check_where = g_strdup_printf ("%s, key_check", where);

  if (!byok_json_expect_object (object, "key_check", TRUE, where, &check, error) ||
      !byok_json_expect_members (check, members, check_where, error) ||
      !byok_json_expect_string (check, "method", TRUE, check_where,
                                &self->key_check_method, error) ||
      !byok_json_expect_string (check, "path", TRUE, check_where,
                                &self->key_check_path, error) ||
      !byok_json_expect_string (check, "model", FALSE, check_where,
                                &self->key_check_model, error))
    return FALSE;

  if (!g_str_equal (self->key_check_method, "GET") &&
      !g_str_equal (self->key_check_method, "POST"))
    {
      byok_json_set_malformed (error, check_where,
                               _("“method” must be GET or POST"));
      return FALSE;
    }
  if (g_str_equal (self->key_check_method, "POST") && self->key_check_model == NULL)
    {
      byok_json_set_malformed (error, check_where,
                               _("a POST check needs the “model” to call"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_azure (ByokProvider  *self,
            JsonObject    *object,
            const char    *where,
            GError       **error)
{
  static const char * const members[] = { "api_version", NULL };
  JsonObject *azure = NULL;
  g_autofree char *azure_where = g_strdup_printf ("%s, azure", where);

  if (!byok_json_expect_object (object, "azure", FALSE, where, &azure, error))
    return FALSE;
  if (azure == NULL)
    return TRUE;

  self->azure = TRUE;
  return byok_json_expect_members (azure, members, azure_where, error) &&
         byok_json_expect_string (azure, "api_version", TRUE, azure_where,
                                  &self->azure_api_version, error);
}

ByokProvider *
_byok_provider_new_from_json (JsonObject  *object,
                              GError     **error)
{
  static const char * const members[] = {
    "id", "name", "dialect", "base_url", "base_url_is_template", "alt_base_urls",
    "auth", "headers", "env", "key_hint", "needs_key", "models_list",
    "rejects_stream_options", "thinking_switch", "local", "azure", "key_check", "balance",
    "docs_url", "console_url", "pricing_url", "template", "models", NULL
  };
  g_autoptr(ByokProvider) self = NULL;
  g_autofree char *where = NULL;
  gboolean needs_key = TRUE;
  gboolean is_template = FALSE;
  gboolean flag = FALSE;
  int value = 0;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (BYOK_TYPE_PROVIDER, NULL);
  if (!byok_json_expect_string (object, "id", TRUE, "a provider", &self->id, error))
    return NULL;
  where = g_strdup_printf ("provider “%s”", self->id);
  if (!id_is_valid (self->id))
    {
      byok_json_set_malformed (error, where,
                               _("an id may only hold lowercase letters, digits, “-”, “_” and “.”"));
      return NULL;
    }

  if (!byok_json_expect_members (object, members, where, error) ||
      !byok_json_expect_string (object, "name", TRUE, where, &self->name, error) ||
      !read_enum (object, "dialect", _byok_provider_dialect_names, G_N_ELEMENTS (_byok_provider_dialect_names),
                  where, &value, error))
    return NULL;
  self->dialect = (ByokProviderDialect) value;
  _byok_model_localize_name (&self->name);

  if (!byok_json_expect_bool (object, "base_url_is_template", where, &flag, error))
    return NULL;
  self->base_url_is_template = flag;
  if (!byok_json_expect_string (object, "base_url", !flag, where,
                                &self->default_base_url, error))
    return NULL;
  if (self->default_base_url == NULL)
    self->default_base_url = g_strdup ("");
  if (!self->base_url_is_template && !byok_provider_url_is_http (self->default_base_url))
    {
      byok_json_set_malformed (error, where,
                               _("“base_url” must be an http or https URL"));
      return NULL;
    }

  if (!read_alt_base_urls (self, object, where, error) ||
      !read_enum (object, "auth", auth_names, G_N_ELEMENTS (auth_names), where, &value, error))
    return NULL;
  self->auth_style = (ByokAuthStyle) value;

  if (!read_headers (self, object, where, error) ||
      !byok_json_expect_strv (object, "env", where, &self->env_vars, error) ||
      !read_key_hint (self, object, where, error))
    return NULL;

  if (json_object_has_member (object, "needs_key") &&
      !byok_json_expect_bool (object, "needs_key", where, &needs_key, error))
    return NULL;
  self->needs_key = needs_key;
  if (self->needs_key == (self->auth_style == BYOK_AUTH_NONE))
    {
      byok_json_set_malformed (error, where,
                               _("“auth” is “none” exactly when “needs_key” is false"));
      return NULL;
    }

  if (!read_enum (object, "models_list", models_list_names,
                  G_N_ELEMENTS (models_list_names), where, &value, error))
    return NULL;
  self->models_list = (ByokModelsList) value;

  if (!byok_json_expect_bool (object, "rejects_stream_options", where, &flag, error))
    return NULL;
  self->rejects_stream_options = flag;
  if (!byok_json_expect_bool (object, "thinking_switch", where, &flag, error))
    return NULL;
  self->thinking_switch = flag;
  if (!byok_json_expect_bool (object, "local", where, &flag, error))
    return NULL;
  self->local = flag;
  if (!byok_json_expect_bool (object, "template", where, &is_template, error))
    return NULL;
  self->custom = is_template;

  if (!read_azure (self, object, where, error) ||
      !read_key_check (self, object, where, error) ||
      !read_balance (self, object, where, error) ||
      !byok_json_expect_string (object, "docs_url", FALSE, where, &self->docs_url, error) ||
      !byok_json_expect_string (object, "console_url", FALSE, where, &self->console_url, error) ||
      !byok_json_expect_string (object, "pricing_url", FALSE, where, &self->pricing_url, error))
    return NULL;

  return g_steal_pointer (&self);
}


/* The catalog's compiled form (byok-catalog-compile) ------------------------ */

/* A field added to ByokProvider changes its size, and stops the build
 * here: if the catalog's JSON sets it, it goes in the compiled form too
 * (both ways, below), then the size here is the new one. test-catalog's
 * /catalog/shipped/compiled checks that both forms give the same
 * providers. */
#if GLIB_SIZEOF_VOID_P == 8
G_STATIC_ASSERT (sizeof (ByokProvider) == 272);
#endif

/* _BYOK_PROVIDER_VARIANT_TYPE, with what g_variant_new() takes as GVariant
 * marked */
#define PROVIDER_VARIANT_FORMAT \
  "(ssus@mas@masu@mas@mas@masmsmsmsumsmsmsumsmsms@mas@masmsmsmsmsbbbbbbb)"

/**
 * _byok_provider_to_variant:
 *
 * What the catalog's JSON gave @self (_byok_provider_new_from_json()), as
 * _byok_provider_new_from_variant() reads it back: every field the JSON
 * sets, its words for people as the JSON has them (translated when read
 * back).
 *
 * Returns: (transfer floating): a value of _BYOK_PROVIDER_VARIANT_TYPE
 */
GVariant *
_byok_provider_to_variant (ByokProvider *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER (self), NULL);

  return g_variant_new (PROVIDER_VARIANT_FORMAT,
                        self->id, self->name, (guint32) self->dialect, self->default_base_url,
                        _byok_strv_to_variant ((const char * const *) self->alt_base_urls),
                        _byok_strv_to_variant ((const char * const *) self->alt_base_url_labels),
                        (guint32) self->auth_style,
                        _byok_strv_to_variant ((const char * const *) self->extra_header_names),
                        _byok_strv_to_variant ((const char * const *) self->extra_header_values),
                        _byok_strv_to_variant ((const char * const *) self->env_vars),
                        self->key_prefix, self->key_description, self->key_format, (guint32) self->models_list,
                        self->key_check_method, self->key_check_path, self->key_check_model,
                        (guint32) self->balance_format, self->balance_path, self->balance_key_path,
                        self->balance_currency,
                        _byok_strv_to_variant ((const char * const *) self->balance_currency_hosts),
                        _byok_strv_to_variant ((const char * const *) self->balance_currency_values),
                        self->docs_url, self->console_url, self->pricing_url, self->azure_api_version,
                        (gboolean) self->needs_key, (gboolean) self->base_url_is_template,
                        (gboolean) self->rejects_stream_options, (gboolean) self->thinking_switch,
                        (gboolean) self->local, (gboolean) self->custom, (gboolean) self->azure);
}

/**
 * _byok_provider_new_from_variant:
 * @variant: from _byok_provider_to_variant(), of _BYOK_PROVIDER_VARIANT_TYPE
 *
 * The provider as _byok_provider_new_from_json() read it from the same
 * JSON, its words for people in the person's language. Nothing is checked
 * again: the catalog was when it was compiled.
 *
 * Returns: (transfer full): the provider
 */
ByokProvider *
_byok_provider_new_from_variant (GVariant *variant)
{
  ByokProvider *self = g_object_new (BYOK_TYPE_PROVIDER, NULL);

  /* In the order of PROVIDER_VARIANT_FORMAT. */
  self->id = _byok_variant_dup_string_at (variant, 0);
  self->name = _byok_variant_dup_string_at (variant, 1);
  self->dialect = _byok_variant_get_uint32_at (variant, 2);
  self->default_base_url = _byok_variant_dup_string_at (variant, 3);
  self->alt_base_urls = _byok_variant_dup_strv_at (variant, 4);
  self->alt_base_url_labels = _byok_variant_dup_strv_at (variant, 5);
  self->auth_style = _byok_variant_get_uint32_at (variant, 6);
  self->extra_header_names = _byok_variant_dup_strv_at (variant, 7);
  self->extra_header_values = _byok_variant_dup_strv_at (variant, 8);
  self->env_vars = _byok_variant_dup_strv_at (variant, 9);
  self->key_prefix = _byok_variant_dup_string_at (variant, 10);
  self->key_description = _byok_variant_dup_string_at (variant, 11);
  self->key_format = _byok_variant_dup_string_at (variant, 12);
  self->models_list = _byok_variant_get_uint32_at (variant, 13);
  self->key_check_method = _byok_variant_dup_string_at (variant, 14);
  self->key_check_path = _byok_variant_dup_string_at (variant, 15);
  self->key_check_model = _byok_variant_dup_string_at (variant, 16);
  self->balance_format = _byok_variant_get_uint32_at (variant, 17);
  self->balance_path = _byok_variant_dup_string_at (variant, 18);
  self->balance_key_path = _byok_variant_dup_string_at (variant, 19);
  self->balance_currency = _byok_variant_dup_string_at (variant, 20);
  self->balance_currency_hosts = _byok_variant_dup_strv_at (variant, 21);
  self->balance_currency_values = _byok_variant_dup_strv_at (variant, 22);
  self->docs_url = _byok_variant_dup_string_at (variant, 23);
  self->console_url = _byok_variant_dup_string_at (variant, 24);
  self->pricing_url = _byok_variant_dup_string_at (variant, 25);
  self->azure_api_version = _byok_variant_dup_string_at (variant, 26);
  self->needs_key = _byok_variant_get_uint32_at (variant, 27);
  self->base_url_is_template = _byok_variant_get_uint32_at (variant, 28);
  self->rejects_stream_options = _byok_variant_get_uint32_at (variant, 29);
  self->thinking_switch = _byok_variant_get_uint32_at (variant, 30);
  self->local = _byok_variant_get_uint32_at (variant, 31);
  self->custom = _byok_variant_get_uint32_at (variant, 32);
  self->azure = _byok_variant_get_uint32_at (variant, 33);

  /* As _byok_provider_new_from_json() has them. */
  _byok_model_localize_name (&self->name);
  for (guint i = 0; self->alt_base_url_labels != NULL && self->alt_base_url_labels[i] != NULL; i++)
    translate (&self->alt_base_url_labels[i]);
  translate (&self->key_description);
  return self;
}
