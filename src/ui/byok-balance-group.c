/* byok-balance-group.c — what is left on each provider account, on Usage
 *
 * One row per provider whose balance Byok read (byok-balance-monitor.h):
 * "DeepSeek: $4.12 left · at your 30-day pace, about 23 days", with when it
 * was read, or why the last read failed beside the value read before.
 * Expanded, the row holds the threshold below which a notification warns
 * (in the balance's currency; 0 is none). The header's button reads every
 * balance again; opening the page reads those not read in the last minute.
 * Hidden while no provider with a balance endpoint has a key.
 */
#define G_LOG_DOMAIN "byok-usage-page"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "byok-a11y.h"
#include "byok-balance-group.h"
#include "byok-format.h"

struct _ByokBalanceGroup
{
  AdwPreferencesGroup  parent_instance;

  GtkButton           *refresh_button;

  ByokEngine          *engine;
  ByokBalanceMonitor  *monitor;
  gulong               changed_id;
  gulong               low_id;
  GHashTable          *rows;            /* provider id → AdwExpanderRow (borrowed) */
  gboolean             updating;
};

G_DEFINE_FINAL_TYPE (ByokBalanceGroup, byok_balance_group, ADW_TYPE_PREFERENCES_GROUP)

static char *
format_when (gint64 unix_seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_seconds);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (time == NULL)
    return g_strdup ("");
  if (g_date_time_get_year (time) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (time) == g_date_time_get_day_of_year (now))
    return g_date_time_format (time, "%H:%M");
  return g_date_time_format (time, "%Y-%m-%d %H:%M");
}

/**
 * byok_balance_describe_state:
 *
 * Returns: (transfer full): when the balance was read ("Read at 07:09"),
 *   or why the last read failed and when the value shown was read
 */
char *
byok_balance_describe_state (const ByokBalance *balance)
{
  g_autofree char *checked = NULL;
  g_autofree char *failed = NULL;

  if (balance == NULL)
    return g_strdup ("");
  if (balance->checked_at > 0)
    checked = format_when (balance->checked_at);
  if (balance->error_message == NULL)
    /* Translators: %s is a time ("07:09") or a date and time */
    return checked != NULL ? g_strdup_printf (_("Read at %s"), checked) : g_strdup ("");
  failed = format_when (balance->failed_at);
  if (checked == NULL)
    /* Translators: %1$s is a time, %2$s why a balance could not be read */
    return g_strdup_printf (_("Could not be read at %1$s: %2$s"), failed, balance->error_message);
  /* Translators: %1$s is a time, %2$s why a balance could not be read, %3$s the
   * time the balance shown was read */
  return g_strdup_printf (_("Could not be read at %1$s: %2$s\nThe balance shown was read at %3$s."),
                          failed, balance->error_message, checked);
}

/**
 * byok_balance_notify_low:
 *
 * Sends the low-balance notification of @provider_id (one per provider:
 * a new one replaces the last).
 */
void
byok_balance_notify_low (ByokBalanceMonitor *monitor,
                         const char         *provider_id,
                         const char         *provider_name)
{
  const ByokBalance *balance = byok_balance_monitor_get (monitor, provider_id);
  GApplication *app = g_application_get_default ();
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autofree char *id = g_strdup_printf ("balance-%s", provider_id);

  if (app == NULL || !byok_balance_has_value (balance))
    return;
  /* Translators: a notification title; %s is a provider */
  title = g_strdup_printf (_("%s balance is low"), provider_name);
  body = byok_balance_monitor_describe (monitor, provider_id);
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_application_send_notification (app, id, notification);
}

static void
threshold_changed_cb (GtkSpinButton    *spin,
                      ByokBalanceGroup *self)
{
  const char *provider_id = g_object_get_data (G_OBJECT (spin), "byok-provider");
  g_autoptr(GError) error = NULL;

  if (self->updating || self->engine == NULL)
    return;
  if (!byok_balance_set_threshold (byok_engine_get_provider_settings (self->engine), provider_id,
                                   gtk_spin_button_get_value (spin), &error))
    g_warning ("Could not keep the low-balance threshold: %s", error->message);
}

static const char *
currency_words (const char *currency)
{
  if (g_strcmp0 (currency, "USD") == 0)
    return _("in US dollars");
  if (g_strcmp0 (currency, "CNY") == 0)
    return _("in yuan");
  return currency != NULL ? currency : "";
}

static void
update_row (ByokBalanceGroup *self,
            ByokProvider     *provider)
{
  const char *id = byok_provider_get_id (provider);
  AdwExpanderRow *row = g_hash_table_lookup (self->rows, id);
  const ByokBalance *balance = byok_balance_monitor_get (self->monitor, id);
  g_autofree char *amount = byok_balance_monitor_describe_amount (self->monitor, id);
  g_autofree char *state = byok_balance_describe_state (balance);
  g_autofree char *subtitle = NULL;
  g_autofree char *label = NULL;
  GtkSpinButton *spin;
  double threshold;

  if (row == NULL)
    {
      GtkWidget *threshold_row = adw_action_row_new ();

      row = ADW_EXPANDER_ROW (adw_expander_row_new ());
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), byok_provider_get_name (provider));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (threshold_row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (threshold_row), _("Warn Below"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (threshold_row),
                                   _("A notification says when a balance read falls below this; 0 is never"));
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (threshold_row), 0);
      spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0, 1000000, 1));
      gtk_spin_button_set_digits (spin, 2);
      gtk_spin_button_set_numeric (spin, TRUE);
      gtk_editable_set_width_chars (GTK_EDITABLE (spin), 8);
      gtk_widget_set_valign (GTK_WIDGET (spin), GTK_ALIGN_CENTER);
      g_object_set_data_full (G_OBJECT (spin), "byok-provider", g_strdup (id), g_free);
      g_signal_connect (spin, "value-changed", G_CALLBACK (threshold_changed_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (threshold_row), GTK_WIDGET (spin));
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (threshold_row), GTK_WIDGET (spin));
      adw_expander_row_add_row (row, threshold_row);
      g_object_set_data (G_OBJECT (row), "byok-spin", spin);

      self->updating = TRUE;
      threshold = byok_balance_get_threshold (byok_engine_get_provider_settings (self->engine), id);
      gtk_spin_button_set_value (spin, isfinite (threshold) ? threshold : 0);
      self->updating = FALSE;

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (row));
      byok_a11y_follow_expander_row (row);
      g_hash_table_replace (self->rows, g_strdup (id), row);
    }

  if (byok_balance_monitor_is_refreshing (self->monitor, id))
    subtitle = g_strdup_printf ("%s\n%s", amount, _("Reading again…"));
  else
    subtitle = g_strdup_printf ("%s\n%s", amount, state);
  adw_expander_row_set_subtitle (row, subtitle);
  spin = g_object_get_data (G_OBJECT (row), "byok-spin");
  /* Translators: the accessible label of a threshold: "Warn when the DeepSeek
   * balance falls below, in US dollars" */
  label = g_strdup_printf (_("Warn when the %1$s balance falls below, %2$s"), byok_provider_get_name (provider),
                           currency_words (balance != NULL ? balance->currency : NULL));
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void clear_rows (ByokBalanceGroup *self);

/* Rows in the catalog's order: made again when a provider comes or goes. */
static void
update_all (ByokBalanceGroup *self)
{
  g_autoptr(GPtrArray) shown = NULL;
  gboolean same;

  if (self->monitor == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }
  shown = byok_balance_monitor_list_shown (self->monitor);
  same = shown->len == g_hash_table_size (self->rows);
  for (guint i = 0; same && i < shown->len; i++)
    same = g_hash_table_contains (self->rows, byok_provider_get_id (g_ptr_array_index (shown, i)));
  if (!same)
    clear_rows (self);
  for (guint i = 0; i < shown->len; i++)
    update_row (self, g_ptr_array_index (shown, i));
  gtk_widget_set_visible (GTK_WIDGET (self), shown->len > 0);
}

static void
monitor_changed_cb (ByokBalanceMonitor *monitor,
                    const char         *provider_id,
                    ByokBalanceGroup   *self)
{
  ByokProvider *provider = byok_catalog_lookup_provider (byok_engine_get_catalog (self->engine), provider_id);

  /* One row changed; a provider that came or went orders them again. */
  if (provider != NULL && byok_balance_monitor_get (monitor, provider_id) != NULL &&
      g_hash_table_contains (self->rows, provider_id))
    update_row (self, provider);
  else
    update_all (self);
}

static void
low_balance_cb (ByokBalanceMonitor *monitor,
                const char         *provider_id,
                ByokBalanceGroup   *self)
{
  ByokProvider *provider = byok_catalog_lookup_provider (byok_engine_get_catalog (self->engine), provider_id);

  byok_balance_notify_low (monitor, provider_id, provider != NULL ? byok_provider_get_name (provider) : provider_id);
}

static void
refresh_clicked_cb (ByokBalanceGroup *self)
{
  if (self->monitor != NULL)
    byok_balance_monitor_refresh (self->monitor, NULL);
}

static void
byok_balance_group_map (GtkWidget *widget)
{
  ByokBalanceGroup *self = BYOK_BALANCE_GROUP (widget);

  GTK_WIDGET_CLASS (byok_balance_group_parent_class)->map (widget);
  if (self->monitor != NULL)
    byok_balance_monitor_refresh_stale (self->monitor);
}

static void
clear_rows (ByokBalanceGroup *self)
{
  GHashTableIter iter;
  gpointer row;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &row))
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), row);
  g_hash_table_remove_all (self->rows);
}

/**
 * byok_balance_group_set_engine:
 * @engine: (nullable): whose balances to show
 */
void
byok_balance_group_set_engine (ByokBalanceGroup *self,
                               ByokEngine       *engine)
{
  g_return_if_fail (BYOK_IS_BALANCE_GROUP (self));

  if (self->monitor != NULL)
    {
      g_clear_signal_handler (&self->changed_id, self->monitor);
      g_clear_signal_handler (&self->low_id, self->monitor);
    }
  clear_rows (self);
  g_set_object (&self->engine, engine);
  g_clear_object (&self->monitor);
  if (engine != NULL)
    self->monitor = g_object_ref (byok_balance_monitor_get_for_engine (engine));
  if (self->monitor != NULL)
    {
      self->changed_id = g_signal_connect (self->monitor, "changed", G_CALLBACK (monitor_changed_cb), self);
      self->low_id = g_signal_connect (self->monitor, "low-balance", G_CALLBACK (low_balance_cb), self);
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        byok_balance_monitor_refresh_stale (self->monitor);
    }
  update_all (self);
}

/**
 * byok_balance_group_get_row:
 * Returns: (transfer none) (nullable): the row of @provider_id
 */
GtkWidget *
byok_balance_group_get_row (ByokBalanceGroup *self,
                            const char       *provider_id)
{
  g_return_val_if_fail (BYOK_IS_BALANCE_GROUP (self), NULL);

  return g_hash_table_lookup (self->rows, provider_id);
}

/**
 * byok_balance_group_get_threshold_spin:
 * Returns: (transfer none) (nullable): the threshold of @provider_id
 */
GtkSpinButton *
byok_balance_group_get_threshold_spin (ByokBalanceGroup *self,
                                       const char       *provider_id)
{
  GtkWidget *row = byok_balance_group_get_row (self, provider_id);

  return row != NULL ? g_object_get_data (G_OBJECT (row), "byok-spin") : NULL;
}

static void
byok_balance_group_dispose (GObject *object)
{
  ByokBalanceGroup *self = BYOK_BALANCE_GROUP (object);

  if (self->monitor != NULL)
    {
      g_clear_signal_handler (&self->changed_id, self->monitor);
      g_clear_signal_handler (&self->low_id, self->monitor);
    }
  g_clear_object (&self->monitor);
  g_clear_object (&self->engine);
  gtk_widget_dispose_template (GTK_WIDGET (self), BYOK_TYPE_BALANCE_GROUP);

  G_OBJECT_CLASS (byok_balance_group_parent_class)->dispose (object);
}

static void
byok_balance_group_finalize (GObject *object)
{
  ByokBalanceGroup *self = BYOK_BALANCE_GROUP (object);

  g_hash_table_unref (self->rows);

  G_OBJECT_CLASS (byok_balance_group_parent_class)->finalize (object);
}

static void
byok_balance_group_class_init (ByokBalanceGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byok_balance_group_dispose;
  object_class->finalize = byok_balance_group_finalize;
  widget_class->map = byok_balance_group_map;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-balance-group.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokBalanceGroup, refresh_button);
  gtk_widget_class_bind_template_callback (widget_class, refresh_clicked_cb);
}

static void
byok_balance_group_init (ByokBalanceGroup *self)
{
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  byok_a11y_name_groups (GTK_WIDGET (self));
}
