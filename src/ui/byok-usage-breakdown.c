/* byok-usage-breakdown.c — the Usage page's table of cost by model
 *
 * One row per (provider, model) of the period: calls, input, output and
 * cached tokens, cost, median latency and error rate. Every column sorts
 * (a GtkSortListModel driven by the column view's sorter); the rows start
 * most expensive first, as the report orders them. Numbers are right-aligned
 * with tabular digits.
 */
#define G_LOG_DOMAIN "byok-usage-page"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "byok-a11y.h"
#include "byok-format.h"
#include "byok-usage-breakdown.h"
#include "byok-usage-group-item.h"

typedef enum {
  COLUMN_PROVIDER,
  COLUMN_MODEL,
  COLUMN_CALLS,
  COLUMN_INPUT,
  COLUMN_OUTPUT,
  COLUMN_CACHED,
  COLUMN_COST,
  COLUMN_LATENCY,
  COLUMN_ERRORS,
  N_COLUMNS
} Column;

struct _ByokUsageBreakdown
{
  AdwBin         parent_instance;

  GtkColumnView *view;
  GListStore    *store;
};

G_DEFINE_FINAL_TYPE (ByokUsageBreakdown, byok_usage_breakdown, ADW_TYPE_BIN)

static const char *
column_title (Column column)
{
  switch (column)
    {
    case COLUMN_PROVIDER: return _("Provider");
    case COLUMN_MODEL:    return _("Model");
    case COLUMN_CALLS:    return _("Calls");
    case COLUMN_INPUT:    return _("Input");
    case COLUMN_OUTPUT:   return _("Output");
    case COLUMN_CACHED:   return _("Cached");
    case COLUMN_COST:     return _("Cost");
    /* Translators: the median latency of a model's calls */
    case COLUMN_LATENCY:  return _("Latency");
    case COLUMN_ERRORS:   return _("Errors");
    case N_COLUMNS:
    default:              return NULL;
    }
}

/* Interrupted calls, and answers without a usage report, count with
 * Byok's estimate of their tokens and cost. */
static char *
mark_estimate (const ByokUsageTotals *t,
               char                  *figure)
{
  return t->interrupted > 0 || t->estimated > 0 ? byok_format_estimated (figure) : figure;
}

static char *
cell_text (ByokUsageGroupItem *item,
           Column              column)
{
  const ByokUsageTotals *t = &byok_usage_group_item_get_group (item)->totals;

  switch (column)
    {
    case COLUMN_PROVIDER:
      return g_strdup (byok_usage_group_item_get_provider_name (item));
    case COLUMN_MODEL:
      return g_strdup (byok_usage_group_item_get_model_name (item));
    case COLUMN_CALLS:
      return byok_format_count ((gint64) t->calls);
    case COLUMN_INPUT:
      return mark_estimate (t, byok_format_tokens ((gint64) t->input_tokens));
    case COLUMN_OUTPUT:
      return mark_estimate (t, byok_format_tokens ((gint64) t->output_tokens));
    case COLUMN_CACHED:
      return byok_format_tokens ((gint64) t->cached_input_tokens);
    case COLUMN_COST:
      if (t->calls > 0 && t->unknown_price_calls == t->calls)
        return byok_format_usd_unknown ();
      return mark_estimate (t, byok_format_usd (t->cost_usd));
    case COLUMN_LATENCY:
      if (t->latency_p50_us < 0)
        return g_strdup ("—");
      return byok_format_duration_us (t->latency_p50_us);
    case COLUMN_ERRORS:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        if (t->errors == 0)
          return g_strdup ("0%");
        g_ascii_formatd (buf, sizeof buf, t->error_rate < 0.1 ? "%.1f" : "%.0f", t->error_rate * 100);
        /* Translators: an error rate ("12%"); %s is the number */
        return g_strdup_printf (_("%s%%"), buf);
      }
    case N_COLUMNS:
    default:
      return NULL;
    }
}

static double
sort_key (ByokUsageGroupItem *item,
          Column              column)
{
  const ByokUsageTotals *t = &byok_usage_group_item_get_group (item)->totals;

  switch (column)
    {
    case COLUMN_CALLS:   return (double) t->calls;
    case COLUMN_INPUT:   return (double) t->input_tokens;
    case COLUMN_OUTPUT:  return (double) t->output_tokens;
    case COLUMN_CACHED:  return (double) t->cached_input_tokens;
    case COLUMN_COST:    return t->cost_usd;
    case COLUMN_LATENCY: return (double) t->latency_p50_us;
    case COLUMN_ERRORS:  return t->error_rate;
    case COLUMN_PROVIDER:
    case COLUMN_MODEL:
    case N_COLUMNS:
    default:             return 0;
    }
}

static int
compare_items (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  ByokUsageGroupItem *x = BYOK_USAGE_GROUP_ITEM ((gpointer) a);
  ByokUsageGroupItem *y = BYOK_USAGE_GROUP_ITEM ((gpointer) b);
  Column column = GPOINTER_TO_INT (user_data);

  if (column == COLUMN_PROVIDER || column == COLUMN_MODEL)
    {
      g_autofree char *ka = cell_text (x, column);
      g_autofree char *kb = cell_text (y, column);
      int cmp = g_utf8_collate (ka, kb);

      return cmp < 0 ? GTK_ORDERING_SMALLER : cmp > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
    }
  else
    {
      double ka = sort_key (x, column);
      double kb = sort_key (y, column);

      return ka < kb ? GTK_ORDERING_SMALLER : ka > kb ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
    }
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  if (column == COLUMN_PROVIDER || column == COLUMN_MODEL)
    {
      /* Names take the room they need and, where the table has not that
       * much (German column titles, large text), a second line: never
       * cut ("Moonshot AI (K…"). */
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_width_chars (GTK_LABEL (label), column == COLUMN_MODEL ? 14 : 8);
    }
  else
    {
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_add_css_class (label, "numeric");
    }
  gtk_list_item_set_child (list_item, label);
}

/* What a screen reader reads for a row: "GPT-4o, OpenAI: Calls 9, Input
 * 12k, …, Errors 5%" */
static char *
row_label (ByokUsageGroupItem *item)
{
  g_autofree char *model = cell_text (item, COLUMN_MODEL);
  g_autofree char *provider = cell_text (item, COLUMN_PROVIDER);
  g_autoptr(GString) out = g_string_new (NULL);

  /* Translators: how a screen reader reads a row of the usage table: the
   * model and its provider ("GPT-4o, OpenAI"), then each column */
  g_string_printf (out, C_("usage row", "%s, %s"), model, provider);
  for (Column c = COLUMN_CALLS; c < N_COLUMNS; c++)
    {
      g_autofree char *text = cell_text (item, c);

      /* Translators: one column of a usage table row read aloud ("Cost $1.20") */
      g_string_append_printf (out, C_("usage row", ", %s %s"), column_title (c), text);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  ByokUsageGroupItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  Column column = GPOINTER_TO_INT (user_data);
  g_autofree char *text = cell_text (item, column);

  gtk_label_set_label (GTK_LABEL (label), text);
  if (column == COLUMN_PROVIDER)
    {
      g_autofree char *row = row_label (item);

      byok_a11y_set_row_label (label, row);
    }
  if (column == COLUMN_MODEL)
    gtk_widget_set_tooltip_text (label, byok_usage_group_item_get_group (item)->model);
  else if (column == COLUMN_CALLS || column == COLUMN_INPUT || column == COLUMN_OUTPUT ||
           column == COLUMN_COST)
    {
      guint64 interrupted = byok_usage_group_item_get_group (item)->totals.interrupted;
      guint64 estimated = byok_usage_group_item_get_group (item)->totals.estimated;
      g_autoptr(GString) tip = g_string_new (NULL);

      /* Labels are reused from row to row: clear what another row set. */
      if (interrupted > 0)
        g_string_append_printf (tip, g_dngettext (GETTEXT_PACKAGE,
                                                  "%lu interrupted call (its process was killed or quit "
                                                  "before it ended): its tokens and cost are Byok’s estimate",
                                                  "%lu interrupted calls (their process was killed or quit "
                                                  "before they ended): their tokens and cost are Byok’s estimate",
                                                  (gulong) interrupted),
                                (gulong) interrupted);
      if (estimated > 0)
        {
          if (tip->len > 0)
            g_string_append_c (tip, '\n');
          g_string_append_printf (tip, g_dngettext (GETTEXT_PACKAGE,
                                                    "%lu call with estimated tokens (the provider reported "
                                                    "no usage): its tokens and cost are Byok’s estimate",
                                                    "%lu calls with estimated tokens (the provider reported "
                                                    "no usage): their tokens and cost are Byok’s estimate",
                                                    (gulong) estimated),
                                  (gulong) estimated);
        }
      gtk_widget_set_tooltip_text (label, tip->len > 0 ? tip->str : NULL);
    }
  if (column == COLUMN_ERRORS)
    {
      if (byok_usage_group_item_get_group (item)->totals.errors > 0)
        gtk_widget_add_css_class (label, "warning");
      else
        gtk_widget_remove_css_class (label, "warning");
    }
}

static void
add_column (ByokUsageBreakdown *self,
            Column              column)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) view_column = NULL;
  g_autoptr(GtkSorter) sorter = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (column));
  view_column = gtk_column_view_column_new (column_title (column), factory);
  sorter = GTK_SORTER (gtk_custom_sorter_new (compare_items, GINT_TO_POINTER (column), NULL));
  gtk_column_view_column_set_sorter (view_column, sorter);
  gtk_column_view_column_set_expand (view_column, column == COLUMN_MODEL);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_append_column (self->view, view_column);
}

static void
byok_usage_breakdown_dispose (GObject *object)
{
  ByokUsageBreakdown *self = BYOK_USAGE_BREAKDOWN (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BYOK_TYPE_USAGE_BREAKDOWN);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (byok_usage_breakdown_parent_class)->dispose (object);
}

static void
byok_usage_breakdown_class_init (ByokUsageBreakdownClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byok_usage_breakdown_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-usage-breakdown.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokUsageBreakdown, view);
}

static void
byok_usage_breakdown_init (ByokUsageBreakdown *self)
{
  GtkSortListModel *sorted;
  GtkNoSelection *selection;

  gtk_widget_init_template (GTK_WIDGET (self));

  for (Column c = 0; c < N_COLUMNS; c++)
    add_column (self, c);
  byok_a11y_name_column_view (self->view, _("Cost by model"));

  self->store = g_list_store_new (BYOK_TYPE_USAGE_GROUP_ITEM);
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->store)),
                                    g_object_ref (gtk_column_view_get_sorter (self->view)));
  selection = gtk_no_selection_new (G_LIST_MODEL (sorted));
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
}

/**
 * byok_usage_breakdown_set_groups:
 * @by_model: (element-type ByokUsageGroup): a report's by_model groups
 * @catalog: (nullable): for the display names of providers and models
 */
void
byok_usage_breakdown_set_groups (ByokUsageBreakdown *self,
                                 GPtrArray          *by_model,
                                 ByokCatalog        *catalog)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (BYOK_IS_USAGE_BREAKDOWN (self));

  for (guint i = 0; by_model != NULL && i < by_model->len; i++)
    {
      const ByokUsageGroup *group = g_ptr_array_index (by_model, i);
      ByokProvider *provider = NULL;
      ByokModel *model = NULL;

      if (catalog != NULL)
        {
          provider = byok_catalog_lookup_provider (catalog, group->provider);
          model = byok_catalog_lookup_model (catalog, group->provider, group->model);
        }
      g_ptr_array_add (items,
                       byok_usage_group_item_new (group,
                                                  provider != NULL ? byok_provider_get_name (provider) : NULL,
                                                  model != NULL ? byok_model_get_name (model) : NULL));
    }

  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       items->pdata, items->len);
}

/**
 * byok_usage_breakdown_get_model:
 *
 * Returns: (transfer none): the rows as shown, sorted as the user chose
 */
GListModel *
byok_usage_breakdown_get_model (ByokUsageBreakdown *self)
{
  g_return_val_if_fail (BYOK_IS_USAGE_BREAKDOWN (self), NULL);

  return G_LIST_MODEL (gtk_column_view_get_model (self->view));
}
