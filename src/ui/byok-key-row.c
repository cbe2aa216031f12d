/* byok-key-row.c — one key of a provider on the Providers page
 *
 * The row names where the key is ("Key in the Keyring", "Key from
 * $OPENAI_API_KEY") and shows it masked, whether it is the key in use, and
 * what its last check said. Its buttons are the actions row.check (the key
 * in use, or one in the keyring) and row.delete (a key in the keyring);
 * they ask the provider row above for provider.check-key and
 * provider.delete-key with the key's account ("" for the environment's).
 *
 * The key's secret is never here: the provider row wipes it before a row
 * is made.
 */
#define G_LOG_DOMAIN "byok-providers-page"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-a11y.h"
#include "byok-key-row.h"
#include "byok-key-store.h"

struct _ByokKeyRow
{
  AdwActionRow  parent_instance;

  GtkButton    *check_button;
  GtkButton    *delete_button;

  ByokKey      *key;
};

static gboolean
checkable (ByokKeyRow *self)
{
  return byok_key_get_source (self->key) == BYOK_KEY_SOURCE_KEYRING || byok_key_get_is_active (self->key);
}

G_DEFINE_FINAL_TYPE (ByokKeyRow, byok_key_row, ADW_TYPE_ACTION_ROW)

static void
forward (ByokKeyRow *self,
         const char *action)
{
  const char *account = byok_key_get_account (self->key);

  if (!gtk_widget_activate_action (GTK_WIDGET (self), action, "s", account != NULL ? account : ""))
    g_debug ("no provider row for %s", action);
}

static void
check_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  forward (BYOK_KEY_ROW (widget), "provider.check-key");
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  forward (BYOK_KEY_ROW (widget), "provider.delete-key");
}

static void
byok_key_row_finalize (GObject *object)
{
  ByokKeyRow *self = BYOK_KEY_ROW (object);

  g_clear_object (&self->key);

  G_OBJECT_CLASS (byok_key_row_parent_class)->finalize (object);
}

static void
byok_key_row_class_init (ByokKeyRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = byok_key_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-key-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokKeyRow, check_button);
  gtk_widget_class_bind_template_child (widget_class, ByokKeyRow, delete_button);
  gtk_widget_class_install_action (widget_class, "row.check", NULL, check_action);
  gtk_widget_class_install_action (widget_class, "row.delete", NULL, delete_action);
}

static void
byok_key_row_init (ByokKeyRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  byok_a11y_fix_mnemonic_buttons (GTK_WIDGET (self->check_button));
}

/**
 * byok_key_row_new:
 * @key: a key, its secret wiped
 * @check_summary: (nullable): what its last check said, "valid, checked
 *   2 min ago"
 *
 * Returns: (transfer floating): a row for @key
 */
GtkWidget *
byok_key_row_new (ByokKey    *key,
                  const char *check_summary)
{
  ByokKeyRow *self;
  gboolean keyring;
  gboolean active;
  const char *account;
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *delete_label = NULL;

  g_return_val_if_fail (BYOK_IS_KEY (key), NULL);

  self = g_object_new (BYOK_TYPE_KEY_ROW, NULL);
  self->key = g_object_ref (key);
  keyring = byok_key_get_source (key) == BYOK_KEY_SOURCE_KEYRING;
  active = byok_key_get_is_active (key);
  account = byok_key_get_account (key);

  if (keyring && g_strcmp0 (account, BYOK_KEY_DEFAULT_ACCOUNT) == 0)
    title = g_strdup (_("Key in the Keyring"));
  else if (keyring)
    /* Translators: %s is the key's name, e.g. "work" */
    title = g_strdup_printf (_("Key “%s” in the Keyring"), account);
  else
    /* Translators: %s is an environment variable, e.g. OPENAI_API_KEY */
    title = g_strdup_printf (_("Key from $%s"), byok_key_get_env_var (key));

  g_ptr_array_add (parts, (char *) byok_key_get_masked (key));
  if (active)
    g_ptr_array_add (parts, _("in use"));
  if (check_summary != NULL)
    g_ptr_array_add (parts, (char *) check_summary);
  g_ptr_array_add (parts, NULL);
  subtitle = g_strjoinv (" · ", (char **) parts->pdata);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);

  /* Only the key in use can be checked: a check sends the key calls use. */
  gtk_widget_set_visible (GTK_WIDGET (self->check_button), checkable (self));
  byok_key_row_set_can_check (self, TRUE);

  gtk_widget_set_visible (GTK_WIDGET (self->delete_button), keyring);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.delete", keyring);
  /* Translators: the accessible name of the delete button: "Delete: Key in the Keyring" */
  delete_label = g_strdup_printf (_("Delete: %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->delete_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, delete_label, -1);

  return GTK_WIDGET (self);
}

/**
 * byok_key_row_get_key:
 *
 * Returns: (transfer none): the key the row shows, its secret wiped
 */
ByokKey *
byok_key_row_get_key (ByokKeyRow *self)
{
  g_return_val_if_fail (BYOK_IS_KEY_ROW (self), NULL);

  return self->key;
}

/**
 * byok_key_row_set_can_check:
 * @can_check: %FALSE while another check runs
 *
 * Whether row.check can run; it never can for a key from the environment
 * that is not in use.
 */
void
byok_key_row_set_can_check (ByokKeyRow *self,
                            gboolean    can_check)
{
  g_return_if_fail (BYOK_IS_KEY_ROW (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.check", can_check && checkable (self));
}
