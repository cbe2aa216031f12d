/* byok-price-table.c — every model's price, editable inline
 *
 * A GtkColumnView of the price table ByokPricing lists (the catalog's
 * prices with the user's overrides): provider, model, and the four rates
 * per million tokens, "unknown" where nobody knows. A rate is a
 * GtkEditableLabel: what the user types is read by byok_price_rate_parse(),
 * refused with a message above the table when it is not a price, and
 * otherwise saved as the user's override (in the store, and in force in
 * the pricing at once). An overridden row says "Edited" and has a reset
 * button.
 */
#define G_LOG_DOMAIN "byok-usage-page"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "byok-a11y.h"
#include "byok-catalog.h"
#include "byok-error.h"
#include "byok-price-item.h"
#include "byok-price-overrides.h"
#include "byok-price-table.h"
#include "byok-scroll.h"

typedef enum {
  COLUMN_PROVIDER,
  COLUMN_MODEL,
  COLUMN_INPUT,
  COLUMN_CACHED_INPUT,
  COLUMN_CACHE_WRITE,
  COLUMN_OUTPUT,
  COLUMN_STATUS,
  N_COLUMNS
} Column;

struct _ByokPriceTable
{
  AdwBin          parent_instance;

  GtkSearchEntry *search_entry;
  GtkRevealer    *error_revealer;
  GtkLabel       *error_label;
  GtkColumnView  *view;
  GtkScrolledWindow *scroller;

  GListStore     *store;
  GtkFilter      *filter;
  ByokPricing    *pricing;
  ByokUsageStore *usage_store;
  gulong          changed_id;
  char           *error;
};

G_DEFINE_FINAL_TYPE (ByokPriceTable, byok_price_table, ADW_TYPE_BIN)

/**
 * byok_price_format_rate:
 *
 * A price per million tokens: "$0.60", "$0.075", "$15.00"; "unknown".
 */
char *
byok_price_format_rate (double rate)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char *end;
  char *dot;

  if (isnan (rate))
    /* Translators: a price nobody knows */
    return g_strdup (C_("price", "unknown"));

  g_ascii_formatd (buf, sizeof buf, "%.4f", rate);
  dot = strchr (buf, '.');
  end = buf + strlen (buf) - 1;
  while (dot != NULL && end > dot + 2 && *end == '0')
    *end-- = '\0';
  /* Translators: an amount in US dollars; %s is the number */
  return g_strdup_printf (_("$%s"), buf);
}

static double
field_rate (const ByokPrice *price,
            ByokPriceField   field)
{
  switch (field)
    {
    case BYOK_PRICE_FIELD_INPUT:        return price->input;
    case BYOK_PRICE_FIELD_CACHED_INPUT: return price->cached_input;
    case BYOK_PRICE_FIELD_CACHE_WRITE:  return price->cache_write;
    case BYOK_PRICE_FIELD_OUTPUT:
    default:                            return price->output;
    }
}

static void
set_field_rate (ByokPrice      *price,
                ByokPriceField  field,
                double          rate)
{
  switch (field)
    {
    case BYOK_PRICE_FIELD_INPUT:        price->input = rate; break;
    case BYOK_PRICE_FIELD_CACHED_INPUT: price->cached_input = rate; break;
    case BYOK_PRICE_FIELD_CACHE_WRITE:  price->cache_write = rate; break;
    case BYOK_PRICE_FIELD_OUTPUT:
    default:                            price->output = rate; break;
    }
}

static const char *
field_name (ByokPriceField field)
{
  switch (field)
    {
    case BYOK_PRICE_FIELD_INPUT:        return _("Input price");
    case BYOK_PRICE_FIELD_CACHED_INPUT: return _("Cached input price");
    case BYOK_PRICE_FIELD_CACHE_WRITE:  return _("Cache write price");
    case BYOK_PRICE_FIELD_OUTPUT:
    default:                            return _("Output price");
    }
}

static void
show_error (ByokPriceTable *self,
            const char     *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
  if (message != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->error_label),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, message, -1);
}

static ByokPriceItem *
make_item (ByokPriceTable     *self,
           const ByokPriceRow *row)
{
  ByokCatalog *catalog = byok_pricing_get_catalog (self->pricing);
  ByokProvider *provider = catalog != NULL ? byok_catalog_lookup_provider (catalog, row->provider_id) : NULL;

  return byok_price_item_new (row, provider != NULL ? byok_provider_get_name (provider) : NULL, NULL);
}

static void
reload (ByokPriceTable *self)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  if (self->pricing != NULL)
    {
      rows = byok_pricing_list (self->pricing);
      for (guint i = 0; i < rows->len; i++)
        g_ptr_array_add (items, make_item (self, g_ptr_array_index (rows, i)));
    }
  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       items->pdata, items->len);
}

static gboolean
find_item (ByokPriceTable *self,
           const char     *provider,
           const char     *model,
           guint          *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ByokPriceItem) item = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      const ByokPriceRow *row = byok_price_item_get_row (item);

      if (g_strcmp0 (row->provider_id, provider) == 0 && g_strcmp0 (row->model_id, model) == 0)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* One price changed: replace its row, or reload when it is not listed. */
static void
pricing_changed_cb (ByokPriceTable *self,
                    const char     *provider,
                    const char     *model,
                    ByokPricing    *pricing)
{
  guint position;
  g_autoptr(ByokPriceRow) row = NULL;
  g_autoptr(ByokPriceItem) item = NULL;
  ByokPrice price;
  gboolean is_override;

  if (provider == NULL || model == NULL || !find_item (self, provider, model, &position))
    {
      reload (self);
      return;
    }

  byok_pricing_lookup (pricing, provider, model, &price, &is_override);
  row = byok_price_row_new (provider, model, &price, is_override);
  item = g_list_model_get_item (G_LIST_MODEL (self->store), position);
  byok_price_item_set_row (item, row);
}

/**
 * byok_price_table_commit:
 * @text: what the user typed for @field of (@provider, @model)
 *
 * Reads @text as a price and makes it the user's price for that field
 * (the other fields keep the price in force). A text that is not a price,
 * or a price the model cannot have, is refused: the message is shown above
 * the table and returned by byok_price_table_get_error().
 *
 * Returns: TRUE if the price was saved and is in force
 */
gboolean
byok_price_table_commit (ByokPriceTable *self,
                         const char     *provider,
                         const char     *model,
                         ByokPriceField  field,
                         const char     *text)
{
  g_autoptr(GError) error = NULL;
  ByokPrice price;
  double rate;

  g_return_val_if_fail (BYOK_IS_PRICE_TABLE (self), FALSE);
  g_return_val_if_fail (self->pricing != NULL && self->usage_store != NULL, FALSE);

  byok_pricing_lookup (self->pricing, provider, model, &price, NULL);

  if (byok_price_rate_parse (text,
                             field == BYOK_PRICE_FIELD_CACHED_INPUT || field == BYOK_PRICE_FIELD_CACHE_WRITE,
                             &rate, &error))
    {
      set_field_rate (&price, field, rate);
      byok_price_overrides_set (self->usage_store, self->pricing, provider, model, &price, &error);
    }

  if (error != NULL)
    {
      /* Translators: an error about an edited price: "Input price of gpt-4o: …" */
      g_autofree char *message = g_strdup_printf (_("%s of %s: %s"), field_name (field), model, error->message);

      show_error (self, message);
      return FALSE;
    }

  show_error (self, NULL);
  return TRUE;
}

/**
 * byok_price_table_reset:
 *
 * Puts the catalog's price of (@provider, @model) back in force.
 */
gboolean
byok_price_table_reset (ByokPriceTable *self,
                        const char     *provider,
                        const char     *model)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (BYOK_IS_PRICE_TABLE (self), FALSE);
  g_return_val_if_fail (self->pricing != NULL && self->usage_store != NULL, FALSE);

  if (!byok_price_overrides_reset (self->usage_store, self->pricing, provider, model, &error))
    {
      show_error (self, error->message);
      return FALSE;
    }
  show_error (self, NULL);
  return TRUE;
}

/* ---- cells --------------------------------------------------------------- */

static ByokPriceField
column_field (Column column)
{
  return (ByokPriceField) (column - COLUMN_INPUT);
}

typedef struct {
  ByokPriceTable *self;
  char           *provider;
  char           *model;
  ByokPriceField  field;
  char           *text;
} PendingEdit;

static void
pending_edit_free (PendingEdit *edit)
{
  g_object_unref (edit->self);
  g_free (edit->provider);
  g_free (edit->model);
  g_free (edit->text);
  g_free (edit);
}

static gboolean
commit_idle_cb (gpointer user_data)
{
  PendingEdit *edit = user_data;

  if (edit->self->pricing != NULL)
    byok_price_table_commit (edit->self, edit->provider, edit->model, edit->field, edit->text);
  return G_SOURCE_REMOVE;
}

static void
editing_changed_cb (GtkEditableLabel *label,
                    GParamSpec       *pspec,
                    ByokPriceTable   *self)
{
  ByokPriceItem *item = g_object_get_data (G_OBJECT (label), "byok-item");
  const char *shown = g_object_get_data (G_OBJECT (label), "byok-shown");
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (label), "byok-column"));
  const ByokPriceRow *row;
  g_autofree char *text = NULL;

  if (gtk_editable_label_get_editing (label) || item == NULL)
    return;

  text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (label)));
  if (g_strcmp0 (text, shown) == 0)
    return;

  row = byok_price_item_get_row (item);
  /* Put back what was shown: a saved price replaces the row anyway. */
  gtk_editable_set_text (GTK_EDITABLE (label), shown);

  /* Commit once the label has finished editing: a saved price replaces
   * the row, and with it the label. */
  {
    PendingEdit *edit = g_new0 (PendingEdit, 1);

    edit->self = g_object_ref (self);
    edit->provider = g_strdup (row->provider_id);
    edit->model = g_strdup (row->model_id);
    edit->field = column_field (column);
    edit->text = g_steal_pointer (&text);
    g_idle_add_full (G_PRIORITY_DEFAULT, commit_idle_cb, edit, (GDestroyNotify) pending_edit_free);
  }
}

static void
reset_clicked_cb (GtkButton      *button,
                  ByokPriceTable *self)
{
  ByokPriceItem *item = g_object_get_data (G_OBJECT (button), "byok-item");

  if (item != NULL)
    byok_price_table_reset (self, byok_price_item_get_row (item)->provider_id,
                            byok_price_item_get_row (item)->model_id);
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            ByokPriceTable           *self)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "byok-column"));
  GtkWidget *child;

  if (column == COLUMN_PROVIDER || column == COLUMN_MODEL)
    {
      child = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (child), 0);
      gtk_label_set_ellipsize (GTK_LABEL (child), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (child), column == COLUMN_MODEL ? 16 : 8);
    }
  else if (column == COLUMN_STATUS)
    {
      GtkWidget *tag = gtk_label_new (_("Edited"));
      GtkWidget *reset = gtk_button_new_from_icon_name ("edit-undo-symbolic");

      child = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_widget_add_css_class (tag, "price-edited-tag");
      gtk_widget_add_css_class (tag, "caption-heading");
      gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (reset, "flat");
      gtk_widget_add_css_class (reset, "circular");
      gtk_widget_add_css_class (reset, "price-reset");
      gtk_widget_set_tooltip_text (reset, _("Reset to the Catalog Price"));
      g_signal_connect (reset, "clicked", G_CALLBACK (reset_clicked_cb), self);
      gtk_box_append (GTK_BOX (child), tag);
      gtk_box_append (GTK_BOX (child), reset);
    }
  else
    {
      /* A text box, so that its name is read (GTK 4.10 and later give
       * an editable label a role that takes none). */
      child = g_object_new (GTK_TYPE_EDITABLE_LABEL,
                            "accessible-role", GTK_ACCESSIBLE_ROLE_TEXT_BOX,
                            "text", "",
                            NULL);
      gtk_editable_set_alignment (GTK_EDITABLE (child), 1.0);
      gtk_editable_set_width_chars (GTK_EDITABLE (child), 7);
      gtk_widget_add_css_class (child, "numeric");
      g_object_set_data (G_OBJECT (child), "byok-column", GINT_TO_POINTER (column));
      g_signal_connect (child, "notify::editing", G_CALLBACK (editing_changed_cb), self);
    }
  gtk_list_item_set_child (list_item, child);
}

/* What a screen reader reads for a row: "gpt-4o, OpenAI: Input price
 * $2.50, Cached input price $1.25, …" */
static char *
row_label (ByokPriceItem *item)
{
  const ByokPriceRow *row = byok_price_item_get_row (item);
  g_autoptr(GString) out = g_string_new (NULL);

  /* Translators: how a screen reader reads a row of the price table: the
   * model and its provider ("gpt-4o, OpenAI"), then each price */
  g_string_printf (out, C_("price row", "%s, %s"), row->model_id, byok_price_item_get_provider_name (item));
  for (Column c = COLUMN_INPUT; c <= COLUMN_OUTPUT; c++)
    {
      ByokPriceField field = column_field (c);
      g_autofree char *rate = byok_price_format_rate (field_rate (&row->price, field));

      /* Translators: one price of a price table row read aloud ("Input price $2.50") */
      g_string_append_printf (out, C_("price row", ", %s %s"), field_name (field), rate);
    }
  if (row->is_override)
    /* Translators: the end of a price table row read aloud, when the user changed its price */
    g_string_append (out, _(", edited"));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
update_cell (GtkWidget     *child,
             ByokPriceItem *item,
             Column         column)
{
  const ByokPriceRow *row = byok_price_item_get_row (item);

  switch (column)
    {
    case COLUMN_PROVIDER:
      {
        g_autofree char *label = row_label (item);

        gtk_label_set_label (GTK_LABEL (child), byok_price_item_get_provider_name (item));
        byok_a11y_set_row_label (child, label);
      }
      break;

    case COLUMN_MODEL:
      gtk_label_set_label (GTK_LABEL (child), row->model_id);
      break;

    case COLUMN_STATUS:
      {
        GtkWidget *reset = gtk_widget_get_last_child (child);
        g_autofree char *label = g_strdup_printf (_("Reset the price of %s"), row->model_id);

        /* The box stays (its cell is named through it); what it holds
         * shows for an edited price. */
        gtk_widget_set_visible (gtk_widget_get_first_child (child), row->is_override);
        gtk_widget_set_visible (reset, row->is_override);
        g_object_set_data_full (G_OBJECT (reset), "byok-item", g_object_ref (item), g_object_unref);
        gtk_accessible_update_property (GTK_ACCESSIBLE (reset), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
        /* Empty for a catalog price: the cell still says what it holds. */
        byok_a11y_set_cell_label (child, row->is_override ? _("Edited") : _("Catalog price"));
      }
      break;

    case COLUMN_INPUT:
    case COLUMN_CACHED_INPUT:
    case COLUMN_CACHE_WRITE:
    case COLUMN_OUTPUT:
    case N_COLUMNS:
    default:
      {
        ByokPriceField field = column_field (column);
        char *text = byok_price_format_rate (field_rate (&row->price, field));
        /* Translators: the accessible label of a price cell: "Input price of gpt-4o" */
        g_autofree char *label = g_strdup_printf (_("%s of %s"), field_name (field), row->model_id);

        /* Data first: setting the text must not look like an edit. */
        g_object_set_data_full (G_OBJECT (child), "byok-item", g_object_ref (item), g_object_unref);
        g_object_set_data_full (G_OBJECT (child), "byok-shown", text, g_free);
        gtk_editable_set_text (GTK_EDITABLE (child), text);
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
        if (isnan (field_rate (&row->price, field)))
          gtk_widget_add_css_class (child, "dim-label");
        else
          gtk_widget_remove_css_class (child, "dim-label");
        /* An edited price is marked by the "Edited" tag and its colour,
         * in the table's own font: a heading's would make the row taller. */
        if (row->is_override)
          gtk_widget_add_css_class (child, "price-edited");
        else
          gtk_widget_remove_css_class (child, "price-edited");
      }
      break;
    }
}

static void
item_changed_cb (ByokPriceItem *item,
                 GtkWidget     *child)
{
  update_cell (child, item, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (child), "byok-cell-column")));
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           ByokPriceTable           *self)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "byok-column"));
  ByokPriceItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *child = gtk_list_item_get_child (list_item);
  gulong id;

  g_object_set_data (G_OBJECT (child), "byok-cell-column", GINT_TO_POINTER (column));
  update_cell (child, item, column);
  id = g_signal_connect_object (item, "changed", G_CALLBACK (item_changed_cb), child, 0);
  g_object_set_data (G_OBJECT (child), "byok-changed-id", GSIZE_TO_POINTER (id));
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             ByokPriceTable           *self)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "byok-column"));
  GtkWidget *child = gtk_list_item_get_child (list_item);
  ByokPriceItem *item = gtk_list_item_get_item (list_item);
  gulong id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (child), "byok-changed-id"));

  if (item != NULL && id != 0)
    g_signal_handler_disconnect (item, id);
  g_object_set_data (G_OBJECT (child), "byok-changed-id", NULL);

  if (column == COLUMN_STATUS)
    g_object_set_data (G_OBJECT (gtk_widget_get_last_child (child)), "byok-item", NULL);
  else if (column != COLUMN_PROVIDER && column != COLUMN_MODEL)
    g_object_set_data (G_OBJECT (child), "byok-item", NULL);
}

static const char *
column_title (Column column)
{
  switch (column)
    {
    case COLUMN_PROVIDER:     return _("Provider");
    case COLUMN_MODEL:        return _("Model");
    case COLUMN_INPUT:        return _("Input");
    case COLUMN_CACHED_INPUT: return _("Cached");
    case COLUMN_CACHE_WRITE:  return _("Cache Write");
    case COLUMN_OUTPUT:       return _("Output");
    /* Translators: the price table's last column: "Edited" and a reset
     * button where the user changed a price */
    case COLUMN_STATUS:       return _("Changes");
    case N_COLUMNS:
    default:                  return "";
    }
}

static gboolean
filter_func (gpointer object,
             gpointer user_data)
{
  ByokPriceTable *self = user_data;
  ByokPriceItem *item = object;
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  const ByokPriceRow *row = byok_price_item_get_row (item);
  g_autofree char *haystack = NULL;
  g_autofree char *needle = NULL;
  g_autofree char *folded = NULL;

  if (query == NULL || *query == '\0')
    return TRUE;
  haystack = g_strdup_printf ("%s %s/%s", byok_price_item_get_provider_name (item),
                              row->provider_id, row->model_id);
  folded = g_utf8_casefold (haystack, -1);
  needle = g_utf8_casefold (query, -1);
  return strstr (folded, needle) != NULL;
}

static void
search_changed_cb (ByokPriceTable *self)
{
  gtk_filter_changed (self->filter, GTK_FILTER_CHANGE_DIFFERENT);
}

static void
byok_price_table_dispose (GObject *object)
{
  ByokPriceTable *self = BYOK_PRICE_TABLE (object);

  if (self->pricing != NULL)
    g_clear_signal_handler (&self->changed_id, self->pricing);
  gtk_widget_dispose_template (GTK_WIDGET (self), BYOK_TYPE_PRICE_TABLE);
  g_clear_object (&self->pricing);
  g_clear_object (&self->usage_store);
  g_clear_object (&self->store);
  g_clear_object (&self->filter);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (byok_price_table_parent_class)->dispose (object);
}

static void
byok_price_table_class_init (ByokPriceTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byok_price_table_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-price-table.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokPriceTable, search_entry);
  gtk_widget_class_bind_template_child (widget_class, ByokPriceTable, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, ByokPriceTable, error_label);
  gtk_widget_class_bind_template_child (widget_class, ByokPriceTable, view);
  gtk_widget_class_bind_template_child (widget_class, ByokPriceTable, scroller);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
}

static void
byok_price_table_init (ByokPriceTable *self)
{
  GtkFilterListModel *filtered;
  GtkNoSelection *selection;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The table is part of the Usage page: at its ends, or when it all
   * shows, the wheel scrolls the page. */
  byok_scroll_chain_to_outer (self->scroller);
  byok_a11y_name_column_view (self->view, _("Model prices"));

  for (Column c = 0; c < N_COLUMNS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_object_set_data (G_OBJECT (factory), "byok-column", GINT_TO_POINTER (c));
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), self);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), self);
      column = gtk_column_view_column_new (column_title (c), factory);
      gtk_column_view_column_set_expand (column, c == COLUMN_MODEL);
      gtk_column_view_column_set_resizable (column, c == COLUMN_MODEL || c == COLUMN_PROVIDER);
      gtk_column_view_append_column (self->view, column);
    }

  self->store = g_list_store_new (BYOK_TYPE_PRICE_ITEM);
  self->filter = GTK_FILTER (gtk_custom_filter_new (filter_func, self, NULL));
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->store)),
                                        g_object_ref (self->filter));
  selection = gtk_no_selection_new (G_LIST_MODEL (filtered));
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
}

/**
 * byok_price_table_set_pricing:
 * @pricing: the prices in force
 * @store: where the user's prices are kept
 */
void
byok_price_table_set_pricing (ByokPriceTable *self,
                              ByokPricing    *pricing,
                              ByokUsageStore *store)
{
  g_return_if_fail (BYOK_IS_PRICE_TABLE (self));

  if (self->pricing != NULL)
    g_clear_signal_handler (&self->changed_id, self->pricing);
  g_set_object (&self->pricing, pricing);
  g_set_object (&self->usage_store, store);
  if (pricing != NULL)
    self->changed_id = g_signal_connect_swapped (pricing, "changed", G_CALLBACK (pricing_changed_cb), self);
  show_error (self, NULL);
  reload (self);
}

/**
 * byok_price_table_get_error:
 *
 * Returns: (nullable): the message of the last refused edit, or %NULL
 */
const char *
byok_price_table_get_error (ByokPriceTable *self)
{
  g_return_val_if_fail (BYOK_IS_PRICE_TABLE (self), NULL);
  return self->error;
}

/**
 * byok_price_table_get_model:
 *
 * Returns: (transfer none): the rows (ByokPriceItem), filtered as shown
 */
GListModel *
byok_price_table_get_model (ByokPriceTable *self)
{
  g_return_val_if_fail (BYOK_IS_PRICE_TABLE (self), NULL);
  return G_LIST_MODEL (gtk_column_view_get_model (self->view));
}
