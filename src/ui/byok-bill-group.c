/* byok-bill-group.c — the providers' own bills beside Byok's, on Usage
 *
 * One row per provider whose bill Byok reads (byok-provider-bill.h:
 * OpenAI, Anthropic). Without an admin key the row offers a field for one
 * (checked to be an admin key, kept in the keyring under its own schema,
 * never used for chat). With one, the row says what Byok recorded in the
 * shown period and what the provider billed — "Byok recorded $12.31;
 * OpenAI billed $12.29" — an icon before the name says whether they
 * agree, differ by more than a cent or 1 %, or could not be read — and, expanded, the admin key (masked; Check reads
 * the bill again, Delete removes the key), where a difference comes from
 * (byok_bill_explain_lines(): other keys' calls, calls Byok could not
 * price, calls with estimated tokens, the unexplained rest), and every
 * day with calls or a bill: both figures and the difference, highlighted
 * where they differ, a differing day explained the same way.
 */
#define G_LOG_DOMAIN "byok-usage-page"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "byok-a11y.h"
#include "byok-bill-group.h"
#include "byok-format.h"
#include "byok-key-format.h"
#include "byok-price.h"
#include "byok-provider-bill.h"

typedef struct {
  ByokBillGroup       *self;          /* borrowed: it owns this */
  char                *provider_id;
  AdwExpanderRow      *row;
  GtkWidget           *status_icon;
  AdwPasswordEntryRow *key_entry;
  AdwActionRow        *key_row;
  GPtrArray           *day_rows;      /* rows of days, in the expander */
  GCancellable        *cancellable;
  char                *masked_key;    /* NULL: no admin key */
  gboolean             busy;
  ByokBill            *bill;
  char                *error;
} ProviderBill;

struct _ByokBillGroup
{
  AdwPreferencesGroup  parent_instance;

  GtkButton           *refresh_button;

  ByokEngine          *engine;
  GPtrArray           *providers;     /* of ProviderBill* */
  gint64               from_us;
  gint64               to_us;
};

G_DEFINE_FINAL_TYPE (ByokBillGroup, byok_bill_group, ADW_TYPE_PREFERENCES_GROUP)

static void provider_bill_update (ProviderBill *pb);
static void provider_bill_fetch  (ProviderBill *pb);

static void
provider_bill_free (ProviderBill *pb)
{
  g_cancellable_cancel (pb->cancellable);
  g_clear_object (&pb->cancellable);
  g_clear_pointer (&pb->day_rows, g_ptr_array_unref);
  g_clear_pointer (&pb->bill, byok_bill_free);
  g_free (pb->masked_key);
  g_free (pb->error);
  g_free (pb->provider_id);
  g_free (pb);
}

static const char *
provider_name (ByokBillGroup *self,
               const char    *provider_id)
{
  ByokProvider *provider = self->engine != NULL
                           ? byok_catalog_lookup_provider (byok_engine_get_catalog (self->engine), provider_id)
                           : NULL;

  return provider != NULL ? byok_provider_get_name (provider) : provider_id;
}

/* One read, save or delete of a provider's row: it holds the group and
 * the row's cancellable of the time, so a reply that comes after the row
 * went, or after a newer operation began, finds nothing to touch. */
typedef struct {
  ByokBillGroup *self;
  char          *provider_id;
  GCancellable  *cancellable;
} Op;

/* A new operation of @pb: the one before is cancelled. */
static Op *
op_new (ProviderBill *pb)
{
  Op *op = g_new0 (Op, 1);

  g_cancellable_cancel (pb->cancellable);
  g_clear_object (&pb->cancellable);
  pb->cancellable = g_cancellable_new ();
  op->self = g_object_ref (pb->self);
  op->provider_id = g_strdup (pb->provider_id);
  op->cancellable = g_object_ref (pb->cancellable);
  return op;
}

/* Frees @op; returns its row when the operation is still the row's. */
static ProviderBill *
op_finish (Op *op)
{
  ProviderBill *found = NULL;

  for (guint i = 0; !g_cancellable_is_cancelled (op->cancellable) && i < op->self->providers->len; i++)
    {
      ProviderBill *pb = g_ptr_array_index (op->self->providers, i);

      if (g_str_equal (pb->provider_id, op->provider_id) && pb->cancellable == op->cancellable)
        found = pb;
    }
  g_object_unref (op->self);
  g_object_unref (op->cancellable);
  g_free (op->provider_id);
  g_free (op);
  return found;
}

/* "+$0.11", "−$0.02": what the provider billed beyond Byok's figure. */
static char *
format_difference (double byok,
                   double provider)
{
  double difference = provider - byok;
  g_autofree char *amount = byok_format_usd (fabs (difference));

  return g_strdup_printf ("%s%s", difference < 0 ? "−" : "+", amount);
}

/* ---- the days ------------------------------------------------------------ */

static void
clear_days (ProviderBill *pb)
{
  for (guint i = 0; i < pb->day_rows->len; i++)
    adw_expander_row_remove (pb->row, g_ptr_array_index (pb->day_rows, i));
  g_ptr_array_set_size (pb->day_rows, 0);
}

static char *
format_day (const char *day)
{
  g_autofree char *iso = g_strconcat (day, "T00:00:00Z", NULL);
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (iso, NULL);

  /* Translators: a day in the providers' bills, e.g. "Mon 2 Nov 2026"; see
   * g_date_time_format() for the codes */
  return time != NULL ? g_date_time_format (time, _("%a %-d %b %Y")) : g_strdup (day);
}

/* The period's difference taken apart, first in the expander. */
static void
add_explanation (ProviderBill *pb)
{
  ByokBillExplanation explanation;
  g_auto(GStrv) lines = NULL;
  g_autofree char *joined = NULL;
  GtkWidget *row;

  byok_bill_total_explain (pb->bill, &explanation);
  lines = byok_bill_explain_lines (pb->bill, &pb->bill->parts, &explanation, TRUE);
  joined = g_strjoinv ("\n", lines);
  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Where the Difference Comes From"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), joined);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_set_name (row, "bill-explanation");
  adw_expander_row_add_row (pb->row, row);
  g_ptr_array_add (pb->day_rows, row);
}

static void
add_days (ProviderBill *pb)
{
  const char *name = provider_name (pb->self, pb->provider_id);

  /* Newest first; days with neither calls nor a bill are left out. */
  for (guint i = pb->bill->days->len; i-- > 0;)
    {
      const ByokBillDay *day = g_ptr_array_index (pb->bill->days, i);
      g_autofree char *title = NULL;
      g_autofree char *byok = NULL;
      g_autofree char *billed = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *difference = NULL;
      g_autofree char *description = NULL;
      GtkWidget *row;
      GtkWidget *label;

      if (day->byok_usd == 0 && day->provider_usd == 0 && day->byok_calls == 0)
        continue;
      title = format_day (day->day);
      byok = byok_format_usd (day->byok_usd);
      billed = byok_format_usd (day->provider_usd);
      difference = format_difference (day->byok_usd, day->provider_usd);
      /* Translators: one day of a provider's bill: "Byok $1.00 · OpenAI $2.50" */
      subtitle = g_strdup_printf (_("Byok %1$s · %2$s %3$s"), byok, name, billed);
      if (day->byok_unknown_price > 0 && !byok_bill_day_differs (day))
        {
          g_autofree char *priced = g_steal_pointer (&subtitle);

          subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   /* Translators: a day's figures, then the calls Byok could not price */
                                                   "%s · %lu call Byok could not price",
                                                   "%s · %lu calls Byok could not price",
                                                   (gulong) day->byok_unknown_price),
                                      priced, (gulong) day->byok_unknown_price);
        }

      /* A day that differs says where from, as the period does. */
      if (byok_bill_day_differs (day))
        {
          ByokBillExplanation explanation;
          g_auto(GStrv) lines = NULL;
          g_autofree char *joined = NULL;
          g_autofree char *figures = g_steal_pointer (&subtitle);

          byok_bill_day_explain (pb->bill, day, &explanation);
          lines = byok_bill_explain_lines (pb->bill, &day->parts, &explanation, FALSE);
          joined = g_strjoinv ("\n", lines);
          subtitle = g_strconcat (figures, "\n", joined, NULL);
        }

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      label = gtk_label_new (difference);
      gtk_widget_add_css_class (label, "numeric");
      if (byok_bill_day_differs (day))
        {
          gtk_widget_add_css_class (label, "warning");
          /* Translators: the accessible description of a day whose figures differ */
          description = g_strdup_printf (_("The bill differs from Byok’s figure by %s"), difference);
        }
      else
        {
          gtk_widget_add_css_class (label, "dim-label");
          description = g_strdup_printf (_("Difference: %s"), difference);
        }
      gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      adw_expander_row_add_row (pb->row, row);
      g_ptr_array_add (pb->day_rows, row);
    }
}

/* ---- the row ------------------------------------------------------------- */

/* The icon before the provider's name: what state its bill is in. */
static void
set_status (ProviderBill *pb,
            gboolean      differs)
{
  const char *icon = "dialog-password-symbolic";
  const char *style = "dim-label";
  const char *label = _("No admin key");

  if (pb->busy)
    {
      icon = "content-loading-symbolic";
      label = _("Reading the bill");
    }
  else if (pb->masked_key != NULL && pb->error != NULL)
    {
      icon = "dialog-error-symbolic";
      style = "error";
      label = _("The bill could not be read");
    }
  else if (pb->masked_key != NULL && differs)
    {
      icon = "dialog-warning-symbolic";
      style = "warning";
      label = _("The bill differs from Byok’s figure");
    }
  else if (pb->masked_key != NULL && pb->bill != NULL)
    {
      icon = "object-select-symbolic";
      style = "success";
      label = _("The bill matches Byok’s figure");
    }

  gtk_image_set_from_icon_name (GTK_IMAGE (pb->status_icon), icon);
  gtk_widget_remove_css_class (pb->status_icon, "dim-label");
  gtk_widget_remove_css_class (pb->status_icon, "error");
  gtk_widget_remove_css_class (pb->status_icon, "warning");
  gtk_widget_remove_css_class (pb->status_icon, "success");
  gtk_widget_add_css_class (pb->status_icon, style);
  gtk_accessible_update_property (GTK_ACCESSIBLE (pb->status_icon), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
provider_bill_update (ProviderBill *pb)
{
  const char *name = provider_name (pb->self, pb->provider_id);
  g_autofree char *subtitle = NULL;
  gboolean differs = FALSE;

  gtk_widget_set_visible (GTK_WIDGET (pb->key_entry), pb->masked_key == NULL);
  gtk_widget_set_visible (GTK_WIDGET (pb->key_row), pb->masked_key != NULL);
  if (pb->masked_key != NULL)
    adw_action_row_set_subtitle (pb->key_row, pb->masked_key);
  clear_days (pb);

  if (pb->busy)
    subtitle = g_strdup (_("Reading the bill…"));
  else if (pb->masked_key == NULL)
    subtitle = g_strdup (_("Add an admin key to read the organization’s bill"));
  else if (pb->error != NULL)
    /* Translators: %s says why a provider's bill could not be read */
    subtitle = g_strdup_printf (_("Could not read the bill: %s"), pb->error);
  else if (pb->bill != NULL)
    {
      g_autofree char *byok = byok_format_usd (pb->bill->byok_usd);
      g_autofree char *billed = byok_format_usd (pb->bill->provider_usd);

      differs = byok_bill_differs (pb->bill);
      /* Translators: "Byok recorded $12.31; OpenAI billed $12.29" */
      subtitle = g_strdup_printf (_("Byok recorded %1$s; %2$s billed %3$s"), byok, name, billed);
      if (differs)
        {
          g_autofree char *agreed = g_steal_pointer (&subtitle);
          g_autofree char *difference = format_difference (pb->bill->byok_usd, pb->bill->provider_usd);

          /* Translators: the period's figures, then how far apart they are ("… · differs by +$1.50") */
          subtitle = g_strdup_printf (_("%s · differs by %s"), agreed, difference);
        }
      if (differs)
        add_explanation (pb);
      add_days (pb);
    }
  else
    subtitle = g_strdup ("");

  adw_expander_row_set_subtitle (pb->row, subtitle);
  set_status (pb, differs);
}

static void
fetched_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ProviderBill *pb = op_finish (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokBill) bill = NULL;

  bill = byok_provider_bill_fetch_finish (BYOK_CLIENT (source), result, &error);
  if (pb == NULL)
    return;  /* gone, or a newer read is on its way */
  if (bill != NULL && pb->self->engine != NULL)
    byok_bill_add_recorded (bill, byok_engine_get_usage_store (pb->self->engine),
                            byok_engine_get_pricing (pb->self->engine), &error);
  pb->busy = FALSE;
  g_clear_pointer (&pb->error, g_free);
  g_clear_pointer (&pb->bill, byok_bill_free);
  if (error != NULL)
    pb->error = g_strdup (error->message);
  else
    pb->bill = g_steal_pointer (&bill);
  provider_bill_update (pb);
}

static void
provider_bill_fetch (ProviderBill *pb)
{
  ByokBillGroup *self = pb->self;

  Op *op;

  if (self->engine == NULL || pb->masked_key == NULL || self->to_us <= self->from_us)
    return;
  op = op_new (pb);
  pb->busy = TRUE;
  provider_bill_update (pb);
  byok_provider_bill_fetch_async (byok_engine_get_client (self->engine), pb->provider_id, NULL,
                                  self->from_us, self->to_us, pb->cancellable, fetched_cb, op);
}

static void
key_found_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ProviderBill *pb = op_finish (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokKey) key = NULL;

  key = byok_key_store_lookup_admin_finish (BYOK_KEY_STORE (source), result, &error);
  if (pb == NULL)
    {
      if (key != NULL)
        byok_key_wipe (key);
      return;
    }
  g_clear_pointer (&pb->masked_key, g_free);
  g_clear_pointer (&pb->error, g_free);
  if (key != NULL)
    {
      pb->masked_key = g_strdup (byok_key_get_masked (key));
      byok_key_wipe (key);
    }
  else if (error != NULL)
    pb->error = g_strdup (error->message);
  pb->busy = FALSE;
  if (pb->masked_key != NULL && gtk_widget_get_mapped (GTK_WIDGET (pb->self)))
    provider_bill_fetch (pb);
  else
    provider_bill_update (pb);
}

static void
provider_bill_look_up (ProviderBill *pb)
{
  Op *op = op_new (pb);

  byok_key_store_lookup_admin_async (byok_engine_get_key_store (pb->self->engine), pb->provider_id,
                                     pb->cancellable, key_found_cb, op);
}

/* The end of saving or deleting the admin key: its row, or NULL when the
 * row is gone or the change failed (the row then says why). */
static ProviderBill *
key_change_finish (Op           *op,
                   gboolean      done,
                   const GError *error)
{
  ProviderBill *pb = op_finish (op);

  if (pb == NULL || done)
    return pb;
  pb->busy = FALSE;
  adw_expander_row_set_subtitle (pb->row, error->message);
  return NULL;
}

static void
key_stored_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean done = byok_key_store_store_admin_finish (BYOK_KEY_STORE (source), result, &error);
  ProviderBill *pb = key_change_finish (user_data, done, error);

  if (pb == NULL)
    return;
  gtk_editable_set_text (GTK_EDITABLE (pb->key_entry), "");
  provider_bill_look_up (pb);
}

static void
key_applied_cb (AdwEntryRow  *entry,
                ProviderBill *pb)
{
  ByokBillGroup *self = pb->self;
  g_autofree char *cleaned = NULL;
  g_auto(GStrv) warnings = NULL;
  g_autoptr(GError) error = NULL;
  Op *op;

  if (self->engine == NULL)
    return;
  byok_key_format_check (pb->provider_id, NULL, gtk_editable_get_text (GTK_EDITABLE (entry)), &cleaned, &warnings);
  if (!byok_provider_bill_check_admin_key (byok_engine_get_client (self->engine), pb->provider_id, cleaned, &error))
    {
      adw_expander_row_set_subtitle (pb->row, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      byok_secret_free (g_steal_pointer (&cleaned));
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  op = op_new (pb);
  pb->busy = TRUE;
  adw_expander_row_set_subtitle (pb->row, _("Saving the admin key…"));
  byok_key_store_store_admin_async (byok_engine_get_key_store (self->engine), pb->provider_id, cleaned,
                                    pb->cancellable, key_stored_cb, op);
  byok_secret_free (g_steal_pointer (&cleaned));
}

static void
check_clicked_cb (GtkButton    *button,
                  ProviderBill *pb)
{
  provider_bill_fetch (pb);
}

static void
key_deleted_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean done = byok_key_store_delete_admin_finish (BYOK_KEY_STORE (source), result, &error);
  ProviderBill *pb = key_change_finish (user_data, done, error);

  if (pb == NULL)
    return;
  g_clear_pointer (&pb->masked_key, g_free);
  g_clear_pointer (&pb->bill, byok_bill_free);
  g_clear_pointer (&pb->error, g_free);
  pb->busy = FALSE;
  provider_bill_update (pb);
}

static void
delete_clicked_cb (GtkButton    *button,
                   ProviderBill *pb)
{
  Op *op = op_new (pb);

  byok_key_store_delete_admin_async (byok_engine_get_key_store (pb->self->engine), pb->provider_id,
                                     pb->cancellable, key_deleted_cb, op);
}

static GtkWidget *
icon_button (const char *icon,
             const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return button;
}

static ProviderBill *
provider_bill_new (ByokBillGroup *self,
                   const char    *provider_id)
{
  ProviderBill *pb = g_new0 (ProviderBill, 1);
  const char *name = provider_name (self, provider_id);
  g_autofree char *key_label = NULL;
  g_autofree char *check_label = NULL;
  g_autofree char *delete_label = NULL;
  GtkWidget *check;
  GtkWidget *delete;

  pb->self = self;
  pb->provider_id = g_strdup (provider_id);
  pb->day_rows = g_ptr_array_new ();
  pb->cancellable = g_cancellable_new ();

  pb->row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (pb->row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (pb->row), name);
  pb->status_icon = gtk_image_new ();
  adw_expander_row_add_prefix (pb->row, pb->status_icon);

  /* No key yet: a field for one. */
  pb->key_entry = ADW_PASSWORD_ENTRY_ROW (adw_password_entry_row_new ());
  /* Translators: %s is a provider */
  key_label = g_strdup_printf (_("%s Admin Key"), name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (pb->key_entry), key_label);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (pb->key_entry), TRUE);
  g_signal_connect (pb->key_entry, "apply", G_CALLBACK (key_applied_cb), pb);
  adw_expander_row_add_row (pb->row, GTK_WIDGET (pb->key_entry));

  /* A key: masked, with Check and Delete. */
  pb->key_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (pb->key_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (pb->key_row), key_label);
  /* Translators: %s is a provider; a button that reads its bill with the admin key */
  check_label = g_strdup_printf (_("Check the %s Admin Key"), name);
  check = icon_button ("view-refresh-symbolic", check_label);
  g_signal_connect (check, "clicked", G_CALLBACK (check_clicked_cb), pb);
  /* Translators: %s is a provider */
  delete_label = g_strdup_printf (_("Delete the %s Admin Key"), name);
  delete = icon_button ("user-trash-symbolic", delete_label);
  g_signal_connect (delete, "clicked", G_CALLBACK (delete_clicked_cb), pb);
  adw_action_row_add_suffix (pb->key_row, check);
  adw_action_row_add_suffix (pb->key_row, delete);
  adw_expander_row_add_row (pb->row, GTK_WIDGET (pb->key_row));

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (pb->row));
  byok_a11y_follow_expander_row (pb->row);
  provider_bill_update (pb);
  return pb;
}

/* ---- the group ----------------------------------------------------------- */

static void
clear_providers (ByokBillGroup *self)
{
  for (guint i = 0; i < self->providers->len; i++)
    {
      ProviderBill *pb = g_ptr_array_index (self->providers, i);

      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (pb->row));
    }
  g_ptr_array_set_size (self->providers, 0);
}

/**
 * byok_bill_group_set_engine:
 * @engine: (nullable): whose admin keys, bills and usage to show
 */
void
byok_bill_group_set_engine (ByokBillGroup *self,
                            ByokEngine    *engine)
{
  const char * const *ids = byok_provider_bill_providers ();

  g_return_if_fail (BYOK_IS_BILL_GROUP (self));

  clear_providers (self);
  g_set_object (&self->engine, engine);
  if (engine == NULL)
    return;
  for (guint i = 0; ids[i] != NULL; i++)
    {
      ProviderBill *pb;

      if (byok_catalog_lookup_provider (byok_engine_get_catalog (engine), ids[i]) == NULL)
        continue;
      pb = provider_bill_new (self, ids[i]);
      g_ptr_array_add (self->providers, pb);
      provider_bill_look_up (pb);
    }
}

/**
 * byok_bill_group_set_range:
 *
 * The period shown; the bills are read again for it (to whole UTC days).
 */
void
byok_bill_group_set_range (ByokBillGroup *self,
                           gint64         from_us,
                           gint64         to_us)
{
  g_return_if_fail (BYOK_IS_BILL_GROUP (self));

  if (self->from_us == from_us && self->to_us == to_us)
    return;
  self->from_us = from_us;
  self->to_us = to_us;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    byok_bill_group_refresh (self);
}

/**
 * byok_bill_group_refresh:
 *
 * Reads every bill that has an admin key again.
 */
void
byok_bill_group_refresh (ByokBillGroup *self)
{
  g_return_if_fail (BYOK_IS_BILL_GROUP (self));

  for (guint i = 0; i < self->providers->len; i++)
    provider_bill_fetch (g_ptr_array_index (self->providers, i));
}

/**
 * byok_bill_group_is_busy:
 * Returns: whether a bill is being read
 */
gboolean
byok_bill_group_is_busy (ByokBillGroup *self)
{
  g_return_val_if_fail (BYOK_IS_BILL_GROUP (self), FALSE);

  for (guint i = 0; i < self->providers->len; i++)
    if (((ProviderBill *) g_ptr_array_index (self->providers, i))->busy)
      return TRUE;
  return FALSE;
}

/**
 * byok_bill_group_get_row:
 * Returns: (transfer none) (nullable): the AdwExpanderRow of @provider_id
 */
GtkWidget *
byok_bill_group_get_row (ByokBillGroup *self,
                         const char    *provider_id)
{
  g_return_val_if_fail (BYOK_IS_BILL_GROUP (self), NULL);

  for (guint i = 0; i < self->providers->len; i++)
    {
      ProviderBill *pb = g_ptr_array_index (self->providers, i);

      if (g_str_equal (pb->provider_id, provider_id))
        return GTK_WIDGET (pb->row);
    }
  return NULL;
}

static void
refresh_clicked_cb (ByokBillGroup *self)
{
  byok_bill_group_refresh (self);
}

static void
byok_bill_group_map (GtkWidget *widget)
{
  ByokBillGroup *self = BYOK_BILL_GROUP (widget);

  GTK_WIDGET_CLASS (byok_bill_group_parent_class)->map (widget);
  for (guint i = 0; i < self->providers->len; i++)
    {
      ProviderBill *pb = g_ptr_array_index (self->providers, i);

      if (pb->bill == NULL && !pb->busy)
        provider_bill_fetch (pb);
    }
}

static void
byok_bill_group_dispose (GObject *object)
{
  ByokBillGroup *self = BYOK_BILL_GROUP (object);

  if (self->providers != NULL)
    g_ptr_array_set_size (self->providers, 0);
  g_clear_object (&self->engine);
  gtk_widget_dispose_template (GTK_WIDGET (self), BYOK_TYPE_BILL_GROUP);

  G_OBJECT_CLASS (byok_bill_group_parent_class)->dispose (object);
}

static void
byok_bill_group_finalize (GObject *object)
{
  ByokBillGroup *self = BYOK_BILL_GROUP (object);

  g_ptr_array_unref (self->providers);

  G_OBJECT_CLASS (byok_bill_group_parent_class)->finalize (object);
}

static void
byok_bill_group_class_init (ByokBillGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byok_bill_group_dispose;
  object_class->finalize = byok_bill_group_finalize;
  widget_class->map = byok_bill_group_map;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-bill-group.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokBillGroup, refresh_button);
  gtk_widget_class_bind_template_callback (widget_class, refresh_clicked_cb);
}

static void
byok_bill_group_init (ByokBillGroup *self)
{
  self->providers = g_ptr_array_new_with_free_func ((GDestroyNotify) provider_bill_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  byok_a11y_name_groups (GTK_WIDGET (self));
}
