/* byok-providers-page.c — the Providers page
 *
 * One ByokProviderRow per provider of the catalog, custom providers in a
 * group of their own with an Add button. The keyring is listed when the
 * engine arrives and whenever the window says it may have changed (an item
 * signal of the Secret Service, the window back in focus); each row lists
 * again after its own changes, and when a chat found its key working or
 * refused. Rows follow
 * the catalog: a custom provider added or removed adds or removes its row.
 */
#define G_LOG_DOMAIN "byok-providers-page"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-a11y.h"
#include "byok-balance-monitor.h"
#include "byok-custom-provider-dialog.h"
#include "byok-error.h"
#include "byok-key-format.h"
#include "byok-provider-row.h"
#include "byok-providers-page.h"

struct _ByokProvidersPage
{
  AdwBin               parent_instance;

  AdwPreferencesPage  *preferences_page;
  AdwPreferencesGroup *keyring_group;
  AdwActionRow        *keyring_row;
  GtkButton           *retry_button;
  AdwPreferencesGroup *providers_group;
  AdwPreferencesGroup *custom_group;
  AdwActionRow        *custom_empty_row;
  GtkButton           *add_custom_button;

  ByokEngine          *engine;
  GCancellable        *cancellable;
  GHashTable          *rows;        /* provider id → ByokProviderRow (borrowed) */
  gulong               catalog_changed_id;
  gulong               key_status_id;
};

G_DEFINE_FINAL_TYPE (ByokProvidersPage, byok_providers_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_ENGINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
toast (ByokProvidersPage *self,
       const char        *text)
{
  if (!gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", text))
    g_debug ("no window to show a toast in");
}

/* ---- rows ---------------------------------------------------------------- */

static AdwPreferencesGroup *
group_of (ByokProvidersPage *self,
          ByokProvider      *provider)
{
  return byok_provider_is_custom (provider) ? self->custom_group : self->providers_group;
}

static void
remove_row (ByokProvidersPage *self,
            const char        *provider_id)
{
  ByokProviderRow *row = g_hash_table_lookup (self->rows, provider_id);

  if (row == NULL)
    return;
  g_hash_table_remove (self->rows, provider_id);
  adw_preferences_group_remove (group_of (self, byok_provider_row_get_provider (row)), GTK_WIDGET (row));
}

static void
remove_all_rows (ByokProvidersPage *self)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (ids, g_strdup (key));
  for (guint i = 0; i < ids->len; i++)
    remove_row (self, g_ptr_array_index (ids, i));
}

/* Adds rows for providers the page does not show yet and removes rows of
 * providers that are gone; returns the new rows. Custom rows go after the
 * built-in ones, in catalog order, so rebuilding keeps them in order. */
static GPtrArray *
sync_rows (ByokProvidersPage *self)
{
  g_autoptr(GPtrArray) providers = byok_catalog_get_providers (byok_engine_get_catalog (self->engine));
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *added = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;
  gboolean any_custom = FALSE;

  for (guint i = 0; i < providers->len; i++)
    g_hash_table_add (wanted, (gpointer) byok_provider_get_id (g_ptr_array_index (providers, i)));

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      if (!g_hash_table_contains (wanted, key))
        g_ptr_array_add (stale, g_strdup (key));
    }
  for (guint i = 0; i < stale->len; i++)
    remove_row (self, g_ptr_array_index (stale, i));

  for (guint i = 0; i < providers->len; i++)
    {
      ByokProvider *provider = g_ptr_array_index (providers, i);
      ByokProviderRow *row;

      any_custom |= byok_provider_is_custom (provider);
      if (g_hash_table_contains (self->rows, byok_provider_get_id (provider)))
        continue;
      row = byok_provider_row_new (self->engine, provider);
      g_hash_table_insert (self->rows, g_strdup (byok_provider_get_id (provider)), row);
      adw_preferences_group_add (group_of (self, provider), GTK_WIDGET (row));
      g_ptr_array_add (added, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->custom_empty_row), !any_custom);
  return added;
}

static void
on_catalog_changed (ByokCatalog       *catalog,
                    ByokProvidersPage *self)
{
  g_autoptr(GPtrArray) added = sync_rows (self);

  for (guint i = 0; i < added->len; i++)
    byok_provider_row_refresh (g_ptr_array_index (added, i));
}

/* ---- the first listing of the keyring ------------------------------------ */

/* What the listing callback needs: the page, and the cancellable of the
 * engine it was started for (cancelled when the page goes away or gets
 * another engine). */
typedef struct {
  ByokProvidersPage *page;
  GCancellable      *cancellable;
} ListOp;

static void
list_op_free (ListOp *op)
{
  g_object_unref (op->page);
  g_object_unref (op->cancellable);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ListOp, list_op_free)

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(ListOp) op = user_data;
  ByokProvidersPage *self = op->page;
  g_autoptr(GError) keyring_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) keys = byok_key_store_list_usable_finish (BYOK_KEY_STORE (source), result,
                                                                 &keyring_error, &error);
  GHashTableIter iter;
  gpointer row;

  if (keys == NULL || g_cancellable_is_cancelled (op->cancellable) || self->rows == NULL)
    return;  /* the page went away or got another engine */

  gtk_widget_set_visible (GTK_WIDGET (self->keyring_group), keyring_error != NULL);
  if (keyring_error != NULL)
    {
      g_autofree char *text = NULL;

      /* Translators: %s says why the keyring could not be read */
      text = g_strdup_printf (_("%s Keys in environment variables still work. Byok never keeps keys anywhere else."),
                              keyring_error->message);
      adw_action_row_set_subtitle (self->keyring_row, text);
    }

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &row))
    byok_provider_row_set_keys (row, keys, keyring_error);
}

static void
list_keys (ByokProvidersPage *self)
{
  ListOp *op = g_new0 (ListOp, 1);

  op->page = g_object_ref (self);
  op->cancellable = g_object_ref (self->cancellable);
  byok_key_store_list_usable_async (byok_engine_get_key_store (self->engine), NULL, self->cancellable,
                                    list_cb, op);
}

static void
on_retry_clicked (ByokProvidersPage *self)
{
  if (self->engine != NULL)
    list_keys (self);
}

/**
 * byok_providers_page_reload_keys:
 *
 * Lists the keyring again: a key may have been stored or deleted from
 * elsewhere (`byok-cli keys set`, Seahorse).
 */
void
byok_providers_page_reload_keys (ByokProvidersPage *self)
{
  g_return_if_fail (BYOK_IS_PROVIDERS_PAGE (self));

  if (self->engine != NULL)
    list_keys (self);
}

/* A chat found a key working or refused: its row reads the history again. */
static void
on_key_status_changed (ByokEngine        *engine,
                       const char        *provider_id,
                       ByokProvidersPage *self)
{
  ByokProviderRow *row = g_hash_table_lookup (self->rows, provider_id);

  if (row != NULL)
    byok_provider_row_refresh (row);
}

/* ---- custom providers ---------------------------------------------------- */

static void
custom_dialog_response (ByokCustomProviderDialog *dialog,
                        const char               *response,
                        ByokProvidersPage        *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  char *key = NULL;
  ByokProvider *provider;
  ByokProviderRow *row;

  if (g_strcmp0 (response, BYOK_CUSTOM_PROVIDER_DIALOG_RESPONSE_ADD) != 0 || self->engine == NULL)
    return;

  provider = byok_provider_settings_add_custom (byok_engine_get_provider_settings (self->engine),
                                                byok_engine_get_catalog (self->engine),
                                                byok_engine_get_key_store (self->engine),
                                                NULL,
                                                byok_custom_provider_dialog_get_name (dialog),
                                                byok_custom_provider_dialog_get_base_url (dialog),
                                                byok_custom_provider_dialog_get_needs_key (dialog),
                                                &error);
  if (provider == NULL)
    {
      /* Translators: %s says why the provider could not be added */
      text = g_strdup_printf (_("The provider was not added: %s"), error->message);
      toast (self, text);
      return;
    }

  /* The catalog's "changed" made its row. */
  row = g_hash_table_lookup (self->rows, byok_provider_get_id (provider));
  key = byok_custom_provider_dialog_take_key (dialog);
  if (row != NULL)
    {
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
      if (key != NULL)
        byok_provider_row_save_key (row, key);
    }
  byok_secret_free (key);

  /* Translators: %s is the new provider's name */
  text = g_strdup_printf (_("Added %s"), byok_provider_get_name (provider));
  toast (self, text);
}

/**
 * byok_providers_page_add_custom:
 *
 * Asks for a custom provider in a dialog and adds it.
 */
void
byok_providers_page_add_custom (ByokProvidersPage *self)
{
  ByokCustomProviderDialog *dialog;

  g_return_if_fail (BYOK_IS_PROVIDERS_PAGE (self));

  dialog = byok_custom_provider_dialog_new ();
  g_signal_connect_object (dialog, "response", G_CALLBACK (custom_dialog_response), self, 0);
  byok_alert_present (GTK_WIDGET (dialog), GTK_WIDGET (self));
}

static void
on_add_custom_clicked (ByokProvidersPage *self)
{
  byok_providers_page_add_custom (self);
}

/* ---- engine -------------------------------------------------------------- */

static void
drop_engine (ByokProvidersPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->engine != NULL)
    {
      g_clear_signal_handler (&self->catalog_changed_id, byok_engine_get_catalog (self->engine));
      g_clear_signal_handler (&self->key_status_id, self->engine);
    }
  if (self->rows != NULL)
    remove_all_rows (self);
  g_clear_object (&self->engine);
}

/**
 * byok_providers_page_set_engine:
 * @engine: (nullable): where providers, keys and settings come from
 *
 * Shows a row per provider of @engine's catalog and lists the keyring.
 */
void
byok_providers_page_set_engine (ByokProvidersPage *self,
                                ByokEngine        *engine)
{
  g_autoptr(GPtrArray) added = NULL;

  g_return_if_fail (BYOK_IS_PROVIDERS_PAGE (self));
  g_return_if_fail (engine == NULL || BYOK_IS_ENGINE (engine));

  if (engine == self->engine)
    return;
  drop_engine (self);
  gtk_widget_set_visible (GTK_WIDGET (self->keyring_group), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_custom_button), engine != NULL);
  if (engine == NULL)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
      return;
    }

  self->engine = g_object_ref (engine);
  self->cancellable = g_cancellable_new ();
  self->catalog_changed_id = g_signal_connect (byok_engine_get_catalog (engine), "changed",
                                               G_CALLBACK (on_catalog_changed), self);
  self->key_status_id = g_signal_connect (engine, "key-status-changed",
                                          G_CALLBACK (on_key_status_changed), self);
  added = sync_rows (self);
  list_keys (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

/**
 * byok_providers_page_get_engine:
 * Returns: (transfer none) (nullable): the engine
 */
ByokEngine *
byok_providers_page_get_engine (ByokProvidersPage *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDERS_PAGE (self), NULL);

  return self->engine;
}

/**
 * byok_providers_page_get_row:
 * Returns: (transfer none) (nullable): the ByokProviderRow of a provider
 */
GtkWidget *
byok_providers_page_get_row (ByokProvidersPage *self,
                             const char        *provider_id)
{
  g_return_val_if_fail (BYOK_IS_PROVIDERS_PAGE (self), NULL);

  return g_hash_table_lookup (self->rows, provider_id);
}

static void
byok_providers_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ByokProvidersPage *self = BYOK_PROVIDERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_providers_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  ByokProvidersPage *self = BYOK_PROVIDERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      byok_providers_page_set_engine (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_providers_page_dispose (GObject *object)
{
  ByokProvidersPage *self = BYOK_PROVIDERS_PAGE (object);

  drop_engine (self);
  g_clear_pointer (&self->rows, g_hash_table_unref);


  G_OBJECT_CLASS (byok_providers_page_parent_class)->dispose (object);
}

/* Opening the page reads the balances not read in the last minute. */
static void
byok_providers_page_map (GtkWidget *widget)
{
  ByokProvidersPage *self = BYOK_PROVIDERS_PAGE (widget);

  GTK_WIDGET_CLASS (byok_providers_page_parent_class)->map (widget);
  if (self->engine != NULL)
    byok_balance_monitor_refresh_stale (byok_balance_monitor_get_for_engine (self->engine));
}

static void
byok_providers_page_class_init (ByokProvidersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byok_providers_page_dispose;
  object_class->get_property = byok_providers_page_get_property;
  object_class->set_property = byok_providers_page_set_property;
  widget_class->map = byok_providers_page_map;

  /* The window hands its engine to every page with this property. */
  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, BYOK_TYPE_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BYOK_TYPE_PROVIDER_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-providers-page.ui");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_bind_template_child (widget_class, ByokProvidersPage, preferences_page);
  gtk_widget_class_bind_template_child (widget_class, ByokProvidersPage, keyring_group);
  gtk_widget_class_bind_template_child (widget_class, ByokProvidersPage, keyring_row);
  gtk_widget_class_bind_template_child (widget_class, ByokProvidersPage, retry_button);
  gtk_widget_class_bind_template_child (widget_class, ByokProvidersPage, providers_group);
  gtk_widget_class_bind_template_child (widget_class, ByokProvidersPage, custom_group);
  gtk_widget_class_bind_template_child (widget_class, ByokProvidersPage, custom_empty_row);
  gtk_widget_class_bind_template_child (widget_class, ByokProvidersPage, add_custom_button);
  gtk_widget_class_bind_template_callback (widget_class, on_retry_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_add_custom_clicked);
}

static void
byok_providers_page_init (ByokProvidersPage *self)
{
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  byok_a11y_fix_mnemonic_buttons (GTK_WIDGET (self));
  byok_a11y_name_scrollers (GTK_WIDGET (self->preferences_page), _("Providers"));
  byok_a11y_name_groups (GTK_WIDGET (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_custom_button), FALSE);
}
