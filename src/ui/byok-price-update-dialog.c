/* byok-price-update-dialog.c — what a price update changes, before it does */
#define G_LOG_DOMAIN "byok-price-update-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-format.h"
#include "byok-price-table.h"
#include "byok-price-update-dialog.h"

/* Beyond this, a section says how many more there are. */
#define MAX_ROWS 60

struct _ByokPriceUpdateDialog
{
  ByokAlertParent   parent_instance;

  ByokPriceUpdate  *update;
  GtkBox           *sections;
};

G_DEFINE_FINAL_TYPE (ByokPriceUpdateDialog, byok_price_update_dialog, BYOK_TYPE_ALERT_PARENT)

static void
byok_price_update_dialog_dispose (GObject *object)
{
  ByokPriceUpdateDialog *self = BYOK_PRICE_UPDATE_DIALOG (object);

  g_clear_object (&self->update);

  G_OBJECT_CLASS (byok_price_update_dialog_parent_class)->dispose (object);
}

static void
byok_price_update_dialog_class_init (ByokPriceUpdateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byok_price_update_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-price-update-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokPriceUpdateDialog, sections);
}

static void
byok_price_update_dialog_init (ByokPriceUpdateDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* "Input $0.22 → $0.20 · Output $0.66 → $0.60": the rates that change. */
static char *
describe_change (const ByokPriceChange *change)
{
  /* Translators: kinds of price per million tokens, in a list of price changes */
  static const char * const names[BYOK_N_PRICE_RATES] = {
    N_("Input"), N_("Cached"), N_("Cache write"), N_("Output"),
  };
  GString *text = g_string_new (NULL);

  for (ByokPriceRate r = 0; r < BYOK_N_PRICE_RATES; r++)
    {
      g_autofree char *from = NULL;
      g_autofree char *to = NULL;
      double old_rate, new_rate;

      if (!byok_price_change_get_rates (change, r, &old_rate, &new_rate))
        continue;
      from = byok_price_format_rate (old_rate);
      to = byok_price_format_rate (new_rate);
      if (text->len > 0)
        g_string_append (text, " · ");
      /* Translators: one price that changes: "Input $0.22 → $0.20" */
      g_string_append_printf (text, _("%s %s → %s"), _(names[r]), from, to);
    }
  if (text->len == 0)
    g_string_append (text, _("The prices of long prompts change"));
  return g_string_free (text, FALSE);
}

static char *
describe_price (const ByokPrice *price,
                gint64           context_window)
{
  g_autofree char *input = byok_price_format_rate (price->input);
  g_autofree char *output = byok_price_format_rate (price->output);
  g_autofree char *context = context_window > 0 ? byok_format_tokens (context_window) : NULL;

  if (context != NULL)
    /* Translators: a new model's prices per million tokens and its context window: "$3.00 in · $18.00 out · 2M tokens" */
    return g_strdup_printf (_("%s in · %s out · %s tokens"), input, output, context);
  /* Translators: a new model's prices per million tokens: "$3.00 in · $18.00 out" */
  return g_strdup_printf (_("%s in · %s out"), input, output);
}

static GtkWidget *
change_row (const ByokPriceChange *change,
            ByokCatalog           *catalog)
{
  ByokProvider *provider = byok_catalog_lookup_provider (catalog, change->provider);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();

  /* What the list says is shown as written, never as markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  /* Translators: a model and its provider: "GPT-5.5 · OpenAI" */
  title = g_strdup_printf (_("%s · %s"), change->name,
                           provider != NULL ? byok_provider_get_name (provider) : change->provider);
  switch (change->kind)
    {
    case BYOK_PRICE_CHANGE_NEW:
      subtitle = describe_price (&change->new_price, change->context_window);
      break;
    case BYOK_PRICE_CHANGE_CHANGED:
      subtitle = describe_change (change);
      break;
    case BYOK_PRICE_CHANGE_REMOVED:
    default:
      subtitle = g_strdup (_("No longer in the price list"));
      break;
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (change->has_override)
    {
      GtkWidget *tag = gtk_label_new (_("Your price stays"));

      gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (tag, "caption");
      gtk_widget_add_css_class (tag, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), tag);
    }
  return row;
}

static void
add_section (ByokPriceUpdateDialog *self,
             ByokPriceChangeKind    kind,
             const char            *title,
             ByokCatalog           *catalog)
{
  GtkWidget *heading;
  GtkWidget *list;
  guint shown = 0, n = byok_price_update_count (self->update, kind);

  if (n == 0)
    return;
  heading = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (self->sections, heading);

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  for (guint i = 0; i < byok_price_update_get_n_changes (self->update); i++)
    {
      const ByokPriceChange *change = byok_price_update_get_change (self->update, i);

      if (change->kind != kind)
        continue;
      if (shown == MAX_ROWS)
        {
          GtkWidget *more = adw_action_row_new ();
          g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "And %u more", "And %u more",
                                                                n - shown), n - shown);

          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (more), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (more), text);
          gtk_list_box_append (GTK_LIST_BOX (list), more);
          break;
        }
      gtk_list_box_append (GTK_LIST_BOX (list), change_row (change, catalog));
      shown++;
    }
  gtk_box_append (self->sections, list);
}

/**
 * byok_price_update_dialog_new:
 * Returns: (transfer floating): a dialog listing what @update changes,
 *   to show with byok_alert_present(); it answers "apply" or "cancel"
 */
GtkWidget *
byok_price_update_dialog_new (ByokPriceUpdate *update,
                              ByokCatalog     *catalog)
{
  ByokPriceUpdateDialog *self;
  g_autofree char *body = NULL;
  guint n_new, n_changed, n_removed;
  g_autofree char *new_text = NULL;
  g_autofree char *changed_text = NULL;
  g_autofree char *removed_text = NULL;

  g_return_val_if_fail (BYOK_IS_PRICE_UPDATE (update), NULL);
  g_return_val_if_fail (BYOK_IS_CATALOG (catalog), NULL);

  self = g_object_new (BYOK_TYPE_PRICE_UPDATE_DIALOG, NULL);
  self->update = g_object_ref (update);

  n_new = byok_price_update_count (update, BYOK_PRICE_CHANGE_NEW);
  n_changed = byok_price_update_count (update, BYOK_PRICE_CHANGE_CHANGED);
  n_removed = byok_price_update_count (update, BYOK_PRICE_CHANGE_REMOVED);
  /* Translators: the source of a price list, then what happens to prices you set */
  body = g_strdup_printf (_("From %s. Your own prices stay, and calls already recorded keep what they cost."),
                          byok_price_update_get_source (update));
  byok_alert_set_body (GTK_WIDGET (self), body);

  new_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u New Model", "%u New Models", n_new), n_new);
  changed_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Price Changes", "%u Prices Change",
                                               n_changed), n_changed);
  removed_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Model Goes", "%u Models Go", n_removed),
                                  n_removed);
  add_section (self, BYOK_PRICE_CHANGE_CHANGED, changed_text, catalog);
  add_section (self, BYOK_PRICE_CHANGE_NEW, new_text, catalog);
  add_section (self, BYOK_PRICE_CHANGE_REMOVED, removed_text, catalog);
  return GTK_WIDGET (self);
}

/**
 * byok_price_update_dialog_get_update:
 * Returns: (transfer none): the update it shows
 */
ByokPriceUpdate *
byok_price_update_dialog_get_update (ByokPriceUpdateDialog *self)
{
  g_return_val_if_fail (BYOK_IS_PRICE_UPDATE_DIALOG (self), NULL);

  return self->update;
}
