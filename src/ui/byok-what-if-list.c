/* byok-what-if-list.c — the Usage page's "what if" list
 *
 * The period's real usage repriced on every model with a known price
 * (ByokWhatIf, computed in the core), cheapest first: each row names the
 * model and its provider, the cost, and the saving or the extra against
 * what was actually paid ("−$3.20 (−64%)", "+$1.10"). A model whose context
 * window is smaller than the period's largest prompt says so. The cheapest
 * few are shown; the rest behind "Show All Models".
 */
#define G_LOG_DOMAIN "byok-usage-page"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "byok-format.h"
#include "byok-what-if-list.h"

#define N_SHOWN 8

struct _ByokWhatIfList
{
  AdwBin           parent_instance;

  GtkLabel        *summary_label;
  GtkListBox      *list;
  GtkToggleButton *show_all_button;

  ByokWhatIf      *what_if;
  ByokCatalog     *catalog;
};

G_DEFINE_FINAL_TYPE (ByokWhatIfList, byok_what_if_list, ADW_TYPE_BIN)

/**
 * byok_what_if_format_delta:
 * @delta_usd: the cost on another model minus what was paid
 * @delta_ratio: @delta_usd over what was paid; NAN when nothing was paid
 *
 * "−$3.20 (−64%)" for a saving, "+$1.10 (+12%)" for an extra, "same" when
 * the difference rounds to nothing.
 *
 * Returns: (transfer full): the text
 */
char *
byok_what_if_format_delta (double delta_usd,
                           double delta_ratio)
{
  g_autofree char *amount = byok_format_usd (fabs (delta_usd));
  const char *sign;

  if (fabs (delta_usd) < 0.005 && (isnan (delta_ratio) || fabs (delta_ratio) < 0.005))
    /* Translators: a model would have cost the same as what was paid */
    return g_strdup (C_("what if", "same"));

  sign = delta_usd < 0 ? "−" : "+";
  if (isnan (delta_ratio))
    return g_strdup_printf ("%s%s", sign, amount);
  /* Translators: a saving or an extra: "−$3.20 (−64%)"; the first %s is the
   * sign and the amount, the second the sign again, %.0f the percentage */
  return g_strdup_printf (C_("what if", "%s%s (%s%.0f%%)"), sign, amount, sign, fabs (delta_ratio) * 100);
}

static GtkWidget *
make_row (ByokWhatIfList      *self,
          const ByokWhatIfRow *row)
{
  ByokProvider *provider = self->catalog != NULL ? byok_catalog_lookup_provider (self->catalog, row->provider) : NULL;
  const char *provider_name = provider != NULL ? byok_provider_get_name (provider) : row->provider;
  GtkWidget *action_row = adw_action_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *cost_label;
  GtkWidget *delta_label;
  GString *subtitle = g_string_new (provider_name);
  g_autofree char *cost = byok_format_usd (row->cost_usd);
  g_autofree char *delta = byok_what_if_format_delta (row->delta_usd, row->delta_ratio);
  g_autofree char *accessible = NULL;

  if (row->is_used)
    /* Translators: in the what-if list, a model the period's calls used */
    g_string_append_printf (subtitle, " · %s", _("used in this period"));
  if (row->is_override)
    g_string_append_printf (subtitle, " · %s", _("your price"));
  if (row->too_small)
    {
      g_autofree char *window = byok_format_tokens (row->context_window);

      /* Translators: %s is a token count ("128k") */
      g_string_append (subtitle, " · ");
      g_string_append_printf (subtitle, _("context of %s is too small for your largest prompt"), window);
    }

  /* Markup off first: a title read as markup even once warns. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (action_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (action_row), row->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (action_row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (action_row), 2);

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  cost_label = gtk_label_new (cost);
  gtk_label_set_xalign (GTK_LABEL (cost_label), 1);
  gtk_widget_add_css_class (cost_label, "numeric");
  gtk_widget_add_css_class (cost_label, "heading");
  delta_label = gtk_label_new (delta);
  gtk_label_set_xalign (GTK_LABEL (delta_label), 1);
  gtk_widget_add_css_class (delta_label, "numeric");
  gtk_widget_add_css_class (delta_label, "caption");
  if (row->delta_usd <= -0.005)
    gtk_widget_add_css_class (delta_label, "success");
  else if (row->delta_usd >= 0.005)
    gtk_widget_add_css_class (delta_label, "error");
  else
    gtk_widget_add_css_class (delta_label, "dim-label");
  gtk_box_append (GTK_BOX (box), cost_label);
  gtk_box_append (GTK_BOX (box), delta_label);
  adw_action_row_add_suffix (ADW_ACTION_ROW (action_row), box);
  if (row->too_small)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_widget_add_css_class (icon, "warning");
      gtk_widget_set_tooltip_text (icon, _("Your largest prompt would not fit"));
      adw_action_row_add_prefix (ADW_ACTION_ROW (action_row), icon);
    }

  /* Translators: what a screen reader says for a what-if row:
   * "Kimi K2, Moonshot: $1.20, −$3.20 (−64%)" */
  accessible = g_strdup_printf (_("%s, %s: %s, %s"), row->name, provider_name, cost, delta);
  gtk_accessible_update_property (GTK_ACCESSIBLE (action_row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  /* The label says the title already: not the title again after it. */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (action_row), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  g_object_set_data_full (G_OBJECT (action_row), "byok-model",
                          g_strdup_printf ("%s/%s", row->provider, row->model), g_free);
  g_string_free (subtitle, TRUE);
  return action_row;
}

static void
byok_what_if_list_rebuild (ByokWhatIfList *self)
{
  GtkWidget *child;
  gboolean show_all = gtk_toggle_button_get_active (self->show_all_button);
  guint n = self->what_if != NULL ? self->what_if->rows->len : 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  for (guint i = 0; i < n && (show_all || i < N_SHOWN); i++)
    gtk_list_box_append (self->list, make_row (self, g_ptr_array_index (self->what_if->rows, i)));

  gtk_widget_set_visible (GTK_WIDGET (self->list), n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->show_all_button), n > N_SHOWN);
  if (show_all)
    gtk_button_set_label (GTK_BUTTON (self->show_all_button), _("Show Fewer Models"));
  else
    {
      g_autofree char *label = g_strdup_printf (_("Show All %u Models"), n);
      gtk_button_set_label (GTK_BUTTON (self->show_all_button), label);
    }
}

static void
show_all_toggled_cb (ByokWhatIfList *self)
{
  byok_what_if_list_rebuild (self);
}

static void
byok_what_if_list_update_summary (ByokWhatIfList *self)
{
  g_autofree char *text = NULL;

  if (self->what_if == NULL || self->what_if->calls == 0)
    text = g_strdup (_("No calls with a known price in this period: nothing to compare yet."));
  else
    {
      g_autofree char *paid = byok_format_usd (self->what_if->actual_usd);
      g_autofree char *calls = byok_format_count ((gint64) self->what_if->calls);
      g_autofree char *base = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "Your %s call with a known price in this period cost %s. Here is what the same tokens would have cost on other models.",
                                                            "Your %s calls with a known price in this period cost %s. Here is what the same tokens would have cost on other models.",
                                                            (gulong) self->what_if->calls),
                                               calls, paid);

      if (self->what_if->unpriced_calls > 0)
        {
          g_autofree char *unpriced = byok_format_count ((gint64) self->what_if->unpriced_calls);
          g_autofree char *note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                "%s call with an unknown price is left out.",
                                                                "%s calls with an unknown price are left out.",
                                                                (gulong) self->what_if->unpriced_calls),
                                                   unpriced);
          text = g_strconcat (base, " ", note, NULL);
        }
      else
        text = g_steal_pointer (&base);
    }
  gtk_label_set_label (self->summary_label, text);
}

static void
byok_what_if_list_dispose (GObject *object)
{
  ByokWhatIfList *self = BYOK_WHAT_IF_LIST (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BYOK_TYPE_WHAT_IF_LIST);
  g_clear_pointer (&self->what_if, byok_what_if_free);
  g_clear_object (&self->catalog);

  G_OBJECT_CLASS (byok_what_if_list_parent_class)->dispose (object);
}

static void
byok_what_if_list_class_init (ByokWhatIfListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byok_what_if_list_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-what-if-list.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokWhatIfList, summary_label);
  gtk_widget_class_bind_template_child (widget_class, ByokWhatIfList, list);
  gtk_widget_class_bind_template_child (widget_class, ByokWhatIfList, show_all_button);
  gtk_widget_class_bind_template_callback (widget_class, show_all_toggled_cb);
}

static void
byok_what_if_list_init (ByokWhatIfList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  byok_what_if_list_update_summary (self);
  byok_what_if_list_rebuild (self);
}

/**
 * byok_what_if_list_set_what_if:
 * @what_if: (transfer full) (nullable): the repricing to show
 * @catalog: (nullable): for the providers' names
 */
void
byok_what_if_list_set_what_if (ByokWhatIfList *self,
                               ByokWhatIf     *what_if,
                               ByokCatalog    *catalog)
{
  g_return_if_fail (BYOK_IS_WHAT_IF_LIST (self));

  g_clear_pointer (&self->what_if, byok_what_if_free);
  self->what_if = what_if;
  g_set_object (&self->catalog, catalog);
  byok_what_if_list_update_summary (self);
  byok_what_if_list_rebuild (self);
}

/**
 * byok_what_if_list_get_list:
 *
 * Returns: (transfer none): the list box of rows
 */
GtkListBox *
byok_what_if_list_get_list (ByokWhatIfList *self)
{
  g_return_val_if_fail (BYOK_IS_WHAT_IF_LIST (self), NULL);
  return self->list;
}
