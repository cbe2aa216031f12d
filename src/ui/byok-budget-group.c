/* byok-budget-group.c — monthly budgets, overall and per provider
 *
 * A spin button per budget (US dollars a month; 0 removes the budget) and
 * one "hard stop" switch for all of them. Each change is saved in the usage
 * store at once; the engine checks the budgets around every call and
 * raises "budget-alert", which the Usage page turns into a notification.
 * Each row's subtitle says what was spent this month.
 */
#define G_LOG_DOMAIN "byok-usage-page"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "byok-a11y.h"
#include "byok-budget-group.h"
#include "byok-format.h"
#include "byok-plain-text.h"

struct _ByokBudgetGroup
{
  AdwPreferencesGroup  parent_instance;

  AdwActionRow        *all_row;
  GtkSpinButton       *all_spin;
  AdwExpanderRow      *providers_row;
  GtkSwitch           *hard_stop_switch;

  ByokUsageStore      *store;
  ByokCatalog         *catalog;
  GHashTable          *spins;           /* scope → GtkSpinButton (borrowed) */
  GHashTable          *rows;            /* scope → AdwActionRow (borrowed) */
  GPtrArray           *provider_rows;   /* added to providers_row */
  GHashTable          *spent;           /* scope → double*: this month */
  gboolean             updating;
};

G_DEFINE_FINAL_TYPE (ByokBudgetGroup, byok_budget_group, ADW_TYPE_PREFERENCES_GROUP)

static void
show_toast (ByokBudgetGroup *self,
            const char      *message)
{
  if (!byok_toast_show (GTK_WIDGET (self), byok_toast_new_plain (message)))
    g_warning ("%s", message);
}

static double
spent_of (ByokBudgetGroup *self,
          const char      *scope)
{
  double *spent = g_hash_table_lookup (self->spent, scope);

  return spent != NULL ? *spent : 0;
}

static void
update_subtitle (ByokBudgetGroup *self,
                 const char      *scope)
{
  AdwActionRow *row = g_hash_table_lookup (self->rows, scope);
  GtkSpinButton *spin = g_hash_table_lookup (self->spins, scope);
  double budget = spin != NULL ? gtk_spin_button_get_value (spin) : 0;
  g_autofree char *spent = byok_format_usd (spent_of (self, scope));
  g_autofree char *text = NULL;

  if (row == NULL)
    return;
  if (budget > 0)
    {
      g_autofree char *limit = byok_format_usd (budget);

      /* Translators: "$12.30 of $50.00 spent this month (25%)" */
      text = g_strdup_printf (_("%s of %s spent this month (%.0f%%)"), spent, limit,
                              floor (spent_of (self, scope) * 100 / budget));
    }
  else
    /* Translators: "$12.30 spent this month" */
    text = g_strdup_printf (_("%s spent this month"), spent);
  adw_action_row_set_subtitle (row, text);
}

static void
update_providers_subtitle (ByokBudgetGroup *self)
{
  GHashTableIter iter;
  gpointer key, value;
  guint n = 0;
  g_autofree char *text = NULL;

  g_hash_table_iter_init (&iter, self->spins);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (key, BYOK_BUDGET_SCOPE_ALL) != 0 && gtk_spin_button_get_value (value) > 0)
      n++;

  if (n == 0)
    text = g_strdup (_("No provider budget"));
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u provider budget", "%u provider budgets", n), n);
  adw_expander_row_set_subtitle (self->providers_row, text);
}

static void
save_budget (ByokBudgetGroup *self,
             const char      *scope,
             double           value)
{
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return;
  if (value > 0)
    byok_usage_store_set_budget (self->store, scope, value,
                                 gtk_switch_get_active (self->hard_stop_switch), &error);
  else
    byok_usage_store_clear_budget (self->store, scope, &error);
  if (error != NULL)
    show_toast (self, error->message);
}

static void
spin_value_changed_cb (GtkSpinButton   *spin,
                       ByokBudgetGroup *self)
{
  const char *scope = g_object_get_data (G_OBJECT (spin), "byok-scope");

  if (self->updating)
    return;
  save_budget (self, scope, gtk_spin_button_get_value (spin));
  update_subtitle (self, scope);
  update_providers_subtitle (self);
}

static void
hard_stop_changed_cb (ByokBudgetGroup *self)
{
  GHashTableIter iter;
  gpointer key, value;

  if (self->updating || self->store == NULL)
    return;
  /* The switch is one for every budget. */
  g_hash_table_iter_init (&iter, self->spins);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (gtk_spin_button_get_value (value) > 0)
      save_budget (self, key, gtk_spin_button_get_value (value));
}

static void
track_spin (ByokBudgetGroup *self,
            const char      *scope,
            GtkSpinButton   *spin,
            AdwActionRow    *row)
{
  g_object_set_data_full (G_OBJECT (spin), "byok-scope", g_strdup (scope), g_free);
  g_hash_table_replace (self->spins, g_strdup (scope), spin);
  g_hash_table_replace (self->rows, g_strdup (scope), row);
}

static void
clear_provider_rows (ByokBudgetGroup *self)
{
  for (guint i = 0; i < self->provider_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->provider_rows, i);
      GtkSpinButton *spin = g_object_get_data (G_OBJECT (row), "byok-spin");
      const char *scope = g_object_get_data (G_OBJECT (spin), "byok-scope");

      g_hash_table_remove (self->spins, scope);
      g_hash_table_remove (self->rows, scope);
      adw_expander_row_remove (self->providers_row, row);
    }
  g_ptr_array_set_size (self->provider_rows, 0);
}

static void
add_provider_row (ByokBudgetGroup *self,
                  ByokProvider    *provider)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (0, 1000000, 5);
  g_autofree char *label = NULL;

  /* A custom provider's name is the person's words, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), byok_provider_get_name (provider));
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 2);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 8);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  /* Translators: the accessible label of a budget: "Monthly budget for OpenAI, in US dollars" */
  label = g_strdup_printf (_("Monthly budget for %s, in US dollars"), byok_provider_get_name (provider));
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  g_object_set_data (G_OBJECT (row), "byok-spin", spin);
  track_spin (self, byok_provider_get_id (provider), GTK_SPIN_BUTTON (spin), ADW_ACTION_ROW (row));
  g_signal_connect (spin, "value-changed", G_CALLBACK (spin_value_changed_cb), self);
  adw_expander_row_add_row (self->providers_row, row);
  g_ptr_array_add (self->provider_rows, row);
}

/* Reads the budgets from the store into the spin buttons and the switch. */
static void
load_budgets (ByokBudgetGroup *self)
{
  g_autoptr(GPtrArray) budgets = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, value;
  gboolean hard_stop = FALSE;

  self->updating = TRUE;
  g_hash_table_iter_init (&iter, self->spins);
  while (g_hash_table_iter_next (&iter, &key, &value))
    gtk_spin_button_set_value (value, 0);

  if (self->store != NULL)
    budgets = byok_usage_store_list_budgets (self->store, &error);
  if (error != NULL)
    show_toast (self, error->message);
  for (guint i = 0; budgets != NULL && i < budgets->len; i++)
    {
      ByokBudget *budget = g_ptr_array_index (budgets, i);
      GtkSpinButton *spin = g_hash_table_lookup (self->spins, budget->scope);

      if (spin != NULL)
        gtk_spin_button_set_value (spin, budget->monthly_usd);
      hard_stop |= budget->hard_stop;
    }
  gtk_switch_set_active (self->hard_stop_switch, hard_stop);
  self->updating = FALSE;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    update_subtitle (self, key);
  update_providers_subtitle (self);
}

static void
byok_budget_group_dispose (GObject *object)
{
  ByokBudgetGroup *self = BYOK_BUDGET_GROUP (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BYOK_TYPE_BUDGET_GROUP);
  g_clear_object (&self->store);
  g_clear_object (&self->catalog);
  g_clear_pointer (&self->spins, g_hash_table_unref);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->spent, g_hash_table_unref);
  g_clear_pointer (&self->provider_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (byok_budget_group_parent_class)->dispose (object);
}

static void
byok_budget_group_class_init (ByokBudgetGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byok_budget_group_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-budget-group.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokBudgetGroup, all_row);
  gtk_widget_class_bind_template_child (widget_class, ByokBudgetGroup, all_spin);
  gtk_widget_class_bind_template_child (widget_class, ByokBudgetGroup, providers_row);
  gtk_widget_class_bind_template_child (widget_class, ByokBudgetGroup, hard_stop_switch);
  gtk_widget_class_bind_template_callback (widget_class, hard_stop_changed_cb);
}

static void
byok_budget_group_init (ByokBudgetGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  byok_a11y_follow_expander_row (self->providers_row);
  byok_a11y_name_groups (GTK_WIDGET (self));

  self->spins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->spent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->provider_rows = g_ptr_array_new ();
  track_spin (self, BYOK_BUDGET_SCOPE_ALL, self->all_spin, self->all_row);
  g_signal_connect (self->all_spin, "value-changed", G_CALLBACK (spin_value_changed_cb), self);
  load_budgets (self);
}

/**
 * byok_budget_group_set_store:
 * @store: (nullable): where budgets are kept
 * @catalog: (nullable): the providers that can have a budget
 */
void
byok_budget_group_set_store (ByokBudgetGroup *self,
                             ByokUsageStore  *store,
                             ByokCatalog     *catalog)
{
  g_return_if_fail (BYOK_IS_BUDGET_GROUP (self));

  g_set_object (&self->store, store);
  g_set_object (&self->catalog, catalog);

  clear_provider_rows (self);
  if (catalog != NULL)
    {
      g_autoptr(GPtrArray) providers = byok_catalog_get_providers (catalog);

      for (guint i = 0; i < providers->len; i++)
        {
          ByokProvider *provider = g_ptr_array_index (providers, i);

          /* Local models cost nothing to budget for. */
          if (!byok_provider_is_local (provider))
            add_provider_row (self, provider);
        }
    }
  load_budgets (self);
}

/**
 * byok_budget_group_set_month_usage:
 * @month: this month's report, for what was spent
 */
void
byok_budget_group_set_month_usage (ByokBudgetGroup       *self,
                                   const ByokUsageReport *month)
{
  GHashTableIter iter;
  gpointer key;

  g_return_if_fail (BYOK_IS_BUDGET_GROUP (self));
  g_return_if_fail (month != NULL);

  g_hash_table_remove_all (self->spent);
  g_hash_table_replace (self->spent, g_strdup (BYOK_BUDGET_SCOPE_ALL),
                        g_memdup2 (&month->totals.cost_usd, sizeof (double)));
  for (guint i = 0; i < month->by_provider->len; i++)
    {
      const ByokUsageGroup *group = g_ptr_array_index (month->by_provider, i);

      g_hash_table_replace (self->spent, g_strdup (group->provider),
                            g_memdup2 (&group->totals.cost_usd, sizeof (double)));
    }

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    update_subtitle (self, key);
}

/**
 * byok_budget_group_get_spin_button:
 * @scope: "all" or a provider id
 *
 * Returns: (transfer none) (nullable): the budget's spin button
 */
GtkSpinButton *
byok_budget_group_get_spin_button (ByokBudgetGroup *self,
                                   const char      *scope)
{
  g_return_val_if_fail (BYOK_IS_BUDGET_GROUP (self), NULL);
  return g_hash_table_lookup (self->spins, scope);
}
