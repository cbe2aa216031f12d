/* byok-provider-row-settings.c — a provider's settings, in its row
 *
 * Below the keys: the endpoint (for providers with several), the base URL
 * (Azure: resource endpoint, deployment, API version), plain HTTP to another
 * computer, the default model and its refresh, on/off and the environment
 * preference. A setting the provider settings refuse stays as it was and
 * the reason is shown in a toast.
 */
#define G_LOG_DOMAIN "byok-providers-page"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-provider-row-private.h"

static gboolean
is_azure (ByokProviderRow *self)
{
  return byok_provider_get_azure_api_version (self->provider) != NULL;
}

static void
show_setting_error (ByokProviderRow *self,
                    const GError    *error)
{
  g_autofree char *text = NULL;

  /* Translators: a provider name and why a setting was not saved */
  text = g_strdup_printf (_("%s: %s"), byok_provider_get_name (self->provider), error->message);
  _byok_provider_row_toast (self, text);
}

/* The switch matters where a key would go over plain HTTP to another
 * computer; it stays in sight while it is on, so it can be turned off. */
static void
fill_allow_http (ByokProviderRow *self)
{
  gboolean allowed = byok_provider_get_allow_http (self->provider);

  self->updating = TRUE;
  gtk_switch_set_active (self->allow_http_switch, allowed);
  self->updating = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->allow_http_row),
                          byok_provider_get_needs_key (self->provider) &&
                          (allowed || byok_provider_is_remote_http (self->provider)));
}

static void
fill_base_url (ByokProviderRow *self)
{
  const char *from_environment = byok_provider_get_environment_base_url (self->provider);
  const char *url;

  if (is_azure (self))
    url = byok_provider_get_azure_endpoint (self->provider);
  else
    url = byok_provider_get_base_url (self->provider);
  gtk_editable_set_text (GTK_EDITABLE (self->base_url_row), url != NULL ? url : "");
  gtk_widget_remove_css_class (GTK_WIDGET (self->base_url_row), "error");

  /* BYOK_BASE_URL_<PROVIDER> wins over the setting: say so, and do not
   * offer to change what would not be used. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->base_url_row), from_environment == NULL);
  if (from_environment != NULL)
    {
      g_autofree char *variable = byok_provider_dup_base_url_variable (byok_provider_get_id (self->provider));
      /* Translators: %s is an environment variable, e.g. BYOK_BASE_URL_OPENAI */
      g_autofree char *title = g_strdup_printf (_("Base URL, from $%s"), variable);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->base_url_row), title);
      /* The row cuts a long title (large text): whole in the tooltip. */
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->base_url_row), title);
    }
  fill_allow_http (self);
}

static void
on_base_url_apply (ByokProviderRow *self)
{
  ByokProviderSettings *settings = byok_engine_get_provider_settings (self->engine);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->base_url_row))));
  g_autoptr(GError) error = NULL;
  g_autofree char *current = NULL;
  gboolean ok;

  if (is_azure (self))
    {
      ok = byok_provider_settings_set_azure (settings, self->provider, text,
                                             byok_provider_get_azure_deployment (self->provider),
                                             byok_provider_get_azure_api_version (self->provider),
                                             &error);
    }
  else
    {
      g_autofree char *endpoint = byok_provider_settings_dup_endpoint (settings, self->provider);
      const char *fallback = endpoint != NULL ? endpoint : byok_provider_get_default_base_url (self->provider);

      /* The URL the provider would use anyway is no override. */
      if (!byok_provider_is_custom (self->provider) && g_strcmp0 (text, fallback) == 0)
        g_clear_pointer (&text, g_free);
      ok = byok_provider_settings_set_base_url (settings, self->provider, text, &error);
    }

  if (!ok)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->base_url_row), "error");
      show_setting_error (self, error);
      return;
    }
  fill_base_url (self);
  current = g_strdup_printf (_("%s uses %s"), byok_provider_get_name (self->provider),
                             is_azure (self) ? byok_provider_get_azure_endpoint (self->provider)
                                             : byok_provider_get_base_url (self->provider));
  _byok_provider_row_toast (self, current);
}

static void
on_azure_apply (ByokProviderRow *self)
{
  g_autoptr(GError) error = NULL;

  if (!byok_provider_settings_set_azure (byok_engine_get_provider_settings (self->engine), self->provider,
                                         gtk_editable_get_text (GTK_EDITABLE (self->base_url_row)),
                                         gtk_editable_get_text (GTK_EDITABLE (self->deployment_row)),
                                         gtk_editable_get_text (GTK_EDITABLE (self->api_version_row)),
                                         &error))
    {
      show_setting_error (self, error);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->api_version_row),
                         byok_provider_get_azure_api_version (self->provider));
  _byok_provider_row_toast (self, _("Azure OpenAI settings saved"));
}

static void
fill_endpoints (ByokProviderRow *self)
{
  const char * const *alts = byok_provider_get_alt_base_urls (self->provider);
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  g_autofree char *chosen = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *main_label = NULL;
  guint selected = 0;

  gtk_widget_set_visible (GTK_WIDGET (self->endpoint_row), alts[0] != NULL && !is_azure (self));
  if (alts[0] == NULL)
    return;

  uri = g_uri_parse (byok_provider_get_default_base_url (self->provider), G_URI_FLAGS_NONE, NULL);
  /* Translators: %s is a host name, e.g. api.moonshot.ai */
  main_label = g_strdup_printf (_("Main (%s)"), uri != NULL ? g_uri_get_host (uri) : "");
  gtk_string_list_append (list, main_label);
  chosen = byok_provider_settings_dup_endpoint (byok_engine_get_provider_settings (self->engine),
                                                self->provider);
  for (guint i = 0; alts[i] != NULL; i++)
    {
      const char *label = byok_provider_get_alt_base_url_label (self->provider, alts[i]);

      gtk_string_list_append (list, label != NULL ? label : alts[i]);
      if (g_strcmp0 (chosen, alts[i]) == 0)
        selected = i + 1;
    }

  self->updating = TRUE;
  adw_combo_row_set_model (self->endpoint_row, G_LIST_MODEL (list));
  adw_combo_row_set_selected (self->endpoint_row, selected);
  self->updating = FALSE;
}

static void
on_endpoint_selected (ByokProviderRow *self)
{
  const char * const *alts = byok_provider_get_alt_base_urls (self->provider);
  guint selected = adw_combo_row_get_selected (self->endpoint_row);
  g_autoptr(GError) error = NULL;

  if (self->updating || selected == GTK_INVALID_LIST_POSITION)
    return;
  if (!byok_provider_settings_set_endpoint (byok_engine_get_provider_settings (self->engine), self->provider,
                                            selected == 0 ? NULL : alts[selected - 1], &error))
    {
      show_setting_error (self, error);
      return;
    }
  fill_base_url (self);
}

static void
fill_models (ByokProviderRow *self)
{
  g_autoptr(GPtrArray) models = byok_catalog_get_models (byok_engine_get_catalog (self->engine),
                                                         byok_provider_get_id (self->provider));
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  g_autofree char *current = byok_provider_settings_dup_default_model (byok_engine_get_provider_settings (self->engine),
                                                                       byok_provider_get_id (self->provider));
  guint selected = 0;

  g_ptr_array_set_size (self->model_ids, 0);
  gtk_string_list_append (list, _("Automatic"));
  for (guint i = 0; i < models->len; i++)
    {
      ByokModel *model = g_ptr_array_index (models, i);

      g_ptr_array_add (self->model_ids, g_strdup (byok_model_get_id (model)));
      gtk_string_list_append (list, byok_model_get_id (model));
      if (g_strcmp0 (current, byok_model_get_id (model)) == 0)
        selected = self->model_ids->len;
    }
  if (current != NULL && selected == 0)
    {
      g_ptr_array_add (self->model_ids, g_strdup (current));
      gtk_string_list_append (list, current);
      selected = self->model_ids->len;
    }

  self->updating = TRUE;
  adw_combo_row_set_model (self->model_row, G_LIST_MODEL (list));
  adw_combo_row_set_selected (self->model_row, selected);
  self->updating = FALSE;
}

static void
on_model_selected (ByokProviderRow *self)
{
  guint selected = adw_combo_row_get_selected (self->model_row);
  g_autoptr(GError) error = NULL;
  const char *model = NULL;

  if (self->updating || selected == GTK_INVALID_LIST_POSITION)
    return;
  if (selected > 0 && selected <= self->model_ids->len)
    model = g_ptr_array_index (self->model_ids, selected - 1);
  if (!byok_provider_settings_set_default_model (byok_engine_get_provider_settings (self->engine),
                                                 byok_provider_get_id (self->provider), model, &error))
    show_setting_error (self, error);
}

static void
list_models_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ByokProviderRowOp) op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(ByokProviderRow) self = NULL;
  g_autofree char *text = NULL;

  models = byok_client_list_models_finish (BYOK_CLIENT (source), result, &error);
  self = _byok_provider_row_op_finish (op, error);
  if (self == NULL)
    return;

  self->refreshing_models = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->refresh_models_button), TRUE);
  if (models == NULL)
    {
      /* Translators: a provider name and why its models could not be listed */
      text = g_strdup_printf (_("%s: the model list could not be loaded: %s"),
                              byok_provider_get_name (self->provider), error->message);
      _byok_provider_row_toast (self, text);
      return;
    }
  fill_models (self);
  /* Translators: a provider name and how many models it has */
  text = g_strdup_printf (ngettext ("%s: %u model", "%s: %u models", models->len),
                          byok_provider_get_name (self->provider), models->len);
  _byok_provider_row_toast (self, text);
}

static void
on_refresh_models_clicked (ByokProviderRow *self)
{
  if (self->refreshing_models)
    return;
  self->refreshing_models = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->refresh_models_button), FALSE);
  byok_client_list_models_async (byok_engine_get_client (self->engine), byok_provider_get_id (self->provider),
                                 self->cancellable, list_models_cb, _byok_provider_row_op_new (self, NULL));
}

/* A switch whose setting was refused goes back, saying why. */
static void
undo_toggle (ByokProviderRow *self,
             GtkSwitch       *toggle,
             const GError    *error)
{
  show_setting_error (self, error);
  self->updating = TRUE;
  gtk_switch_set_active (toggle, !gtk_switch_get_active (toggle));
  self->updating = FALSE;
}

static void
on_enabled_toggled (ByokProviderRow *self)
{
  gboolean active = gtk_switch_get_active (self->enabled_switch);
  g_autoptr(GError) error = NULL;

  if (self->updating)
    return;
  if (!byok_provider_settings_set_enabled (byok_engine_get_provider_settings (self->engine),
                                           self->provider, active, &error))
    {
      undo_toggle (self, self->enabled_switch, error);
    }
  _byok_provider_row_update_status (self);
}

static void
on_allow_http_toggled (ByokProviderRow *self)
{
  gboolean active = gtk_switch_get_active (self->allow_http_switch);
  g_autoptr(GError) error = NULL;

  if (self->updating)
    return;
  if (!byok_provider_settings_set_allow_http (byok_engine_get_provider_settings (self->engine),
                                              self->provider, active, &error))
    {
      undo_toggle (self, self->allow_http_switch, error);
      return;
    }
  /* Off, at a safe address: nothing more to say. */
  fill_allow_http (self);
}

static void
on_prefer_env_toggled (ByokProviderRow *self)
{
  gboolean active = gtk_switch_get_active (self->prefer_env_switch);
  g_autoptr(GError) error = NULL;

  if (self->updating)
    return;
  if (!byok_provider_settings_set_prefer_environment (byok_engine_get_provider_settings (self->engine),
                                                      byok_engine_get_key_store (self->engine),
                                                      byok_provider_get_id (self->provider), active, &error))
    {
      undo_toggle (self, self->prefer_env_switch, error);
      return;
    }
  byok_provider_row_refresh (self);
}

void
_byok_provider_row_fill_settings (ByokProviderRow *self)
{
  gboolean needs_key = byok_provider_get_needs_key (self->provider);
  gboolean azure = is_azure (self);
  const char * const *env_vars = byok_provider_get_env_vars (self->provider);

  self->updating = TRUE;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), byok_provider_get_name (self->provider));
  gtk_widget_set_visible (GTK_WIDGET (self->key_entry), needs_key);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->base_url_row),
                                 azure ? _("Resource Endpoint, e.g. https://NAME.openai.azure.com")
                                       : _("Base URL"));
  fill_base_url (self);
  gtk_widget_set_visible (GTK_WIDGET (self->deployment_row), azure);
  gtk_widget_set_visible (GTK_WIDGET (self->api_version_row), azure);
  if (azure)
    {
      const char *deployment = byok_provider_get_azure_deployment (self->provider);

      gtk_editable_set_text (GTK_EDITABLE (self->deployment_row), deployment != NULL ? deployment : "");
      gtk_editable_set_text (GTK_EDITABLE (self->api_version_row),
                             byok_provider_get_azure_api_version (self->provider));
    }

  gtk_switch_set_active (self->enabled_switch, byok_provider_get_enabled (self->provider));

  gtk_widget_set_visible (GTK_WIDGET (self->prefer_env_row), needs_key && env_vars[0] != NULL);
  if (env_vars[0] != NULL)
    {
      g_autofree char *subtitle = NULL;

      /* Translators: %s is an environment variable, e.g. OPENAI_API_KEY */
      subtitle = g_strdup_printf (_("Use $%s rather than the keyring’s key when both are set"),
                                  env_vars[0]);
      adw_action_row_set_subtitle (self->prefer_env_row, subtitle);
      gtk_switch_set_active (self->prefer_env_switch,
                             byok_provider_settings_get_prefer_environment (byok_engine_get_provider_settings (self->engine),
                                                                            byok_provider_get_id (self->provider)));
    }

  gtk_widget_set_visible (GTK_WIDGET (self->refresh_models_button),
                          byok_provider_get_models_list (self->provider) != BYOK_MODELS_LIST_NONE);
  /* Azure's models are the user's deployments: the Deployment row. */
  gtk_widget_set_visible (GTK_WIDGET (self->model_row), !azure);
  gtk_widget_set_visible (GTK_WIDGET (self->remove_row), byok_provider_is_custom (self->provider));

  self->updating = FALSE;

  fill_endpoints (self);
  fill_models (self);
}

void
_byok_provider_row_class_init_settings (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_endpoint_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_base_url_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_azure_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_model_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_refresh_models_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_enabled_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_prefer_env_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_allow_http_toggled);
}
