/* byok-a11y.c — names a screen reader reads where GTK or libadwaita give none */
#define G_LOG_DOMAIN "byok-a11y"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-a11y.h"

/**
 * byok_a11y_label_parent_by_child:
 * @child: the widget a list item, flow box child or list row holds
 *
 * The row around @child (what takes the focus as a person moves through
 * the list) reads @child's name and description. GtkListView's and
 * GtkFlowBox's rows are the toolkit's, with no name of their own.
 */
void
byok_a11y_label_parent_by_child (GtkWidget *child)
{
  GtkWidget *parent;

  g_return_if_fail (GTK_IS_WIDGET (child));

  parent = gtk_widget_get_parent (child);
  if (parent == NULL)
    return;
  gtk_accessible_update_relation (GTK_ACCESSIBLE (parent),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, child, NULL,
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, child, NULL,
                                  -1);
}

/* Cells and rows of a column view are the toolkit's: the label goes on the
 * ancestor of @cell_child with that role. */
static gboolean
apply_ancestor_label (GtkWidget         *cell_child,
                      GtkAccessibleRole  role,
                      const char        *key)
{
  const char *label = g_object_get_data (G_OBJECT (cell_child), key);

  if (label == NULL)
    return TRUE;
  for (GtkWidget *w = gtk_widget_get_parent (cell_child); w != NULL; w = gtk_widget_get_parent (w))
    {
      GtkAccessibleRole r = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (w));

      /* GTK 4.12 and later make a column view's cells grid cells. */
      if (r == role || (role == GTK_ACCESSIBLE_ROLE_CELL && r == GTK_ACCESSIBLE_ROLE_GRID_CELL))
        {
          gtk_accessible_update_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
          return TRUE;
        }
    }
  return FALSE;
}

static void
cell_child_mapped_cb (GtkWidget *cell_child)
{
  apply_ancestor_label (cell_child, GTK_ACCESSIBLE_ROLE_ROW, "byok-a11y-row-label");
  apply_ancestor_label (cell_child, GTK_ACCESSIBLE_ROLE_CELL, "byok-a11y-cell-label");
}

static void
set_ancestor_label (GtkWidget         *cell_child,
                    GtkAccessibleRole  role,
                    const char        *key,
                    const char        *label)
{
  g_object_set_data_full (G_OBJECT (cell_child), key, g_strdup (label), g_free);
  /* A cell may be bound before it is in its row: then once it is shown. */
  if (!apply_ancestor_label (cell_child, role, key) &&
      g_object_get_data (G_OBJECT (cell_child), "byok-a11y-map") == NULL)
    {
      g_object_set_data (G_OBJECT (cell_child), "byok-a11y-map", GINT_TO_POINTER (1));
      g_signal_connect (cell_child, "map", G_CALLBACK (cell_child_mapped_cb), NULL);
    }
}

/**
 * byok_a11y_set_row_label:
 * @cell_child: a widget in a cell of a GtkColumnView
 * @label: what the whole row reads
 *
 * A column view's row is the toolkit's; this names the row holding
 * @cell_child ("GPT-4o, OpenAI: $1.20, 38 calls").
 */
void
byok_a11y_set_row_label (GtkWidget  *cell_child,
                         const char *label)
{
  g_return_if_fail (GTK_IS_WIDGET (cell_child));

  set_ancestor_label (cell_child, GTK_ACCESSIBLE_ROLE_ROW, "byok-a11y-row-label", label);
}

/**
 * byok_a11y_set_cell_label:
 * @cell_child: a widget in a cell of a GtkColumnView
 * @label: what the cell reads
 *
 * For a cell whose widget shows nothing (or is hidden) for some rows.
 */
void
byok_a11y_set_cell_label (GtkWidget  *cell_child,
                          const char *label)
{
  g_return_if_fail (GTK_IS_WIDGET (cell_child));

  set_ancestor_label (cell_child, GTK_ACCESSIBLE_ROLE_CELL, "byok-a11y-cell-label", label);
}

/**
 * byok_a11y_label_descendants:
 * @root: a widget
 * @type: the type to look for
 * @label: what they read
 *
 * Every widget of @type inside @root (not inside one found) reads @label:
 * the list inside a GtkColumnView, the scrolled window of an AdwStatusPage
 * or AdwPreferencesPage, the lists of an expander row.
 */
void
byok_a11y_label_descendants (GtkWidget  *root,
                             GType       type,
                             const char *label)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (c, type))
        gtk_accessible_update_property (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      else
        byok_a11y_label_descendants (c, type, label);
    }
}

static void
collect_icon_buttons (GtkWidget  *widget,
                      const char *icon_name,
                      GPtrArray  *out)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_BUTTON (c) && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (c)), icon_name) == 0)
        g_ptr_array_add (out, c);
      collect_icon_buttons (c, icon_name, out);
    }
}

/**
 * byok_a11y_name_column_view:
 * @view: a column view
 * @label: what its list reads ("Model prices")
 *
 * The list inside @view (what takes the focus) reads @label, and the row
 * of column titles reads "Column Titles".
 */
void
byok_a11y_name_column_view (GtkColumnView *view,
                            const char    *label)
{
  g_return_if_fail (GTK_IS_COLUMN_VIEW (view));

  byok_a11y_label_descendants (GTK_WIDGET (view), GTK_TYPE_LIST_VIEW, label);
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (view)); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (c)) == GTK_ACCESSIBLE_ROLE_ROW)
      gtk_accessible_update_property (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Column Titles"), -1);
}

/**
 * byok_a11y_name_scrollers:
 * @root: a widget
 * @label: what they read
 *
 * The scrolled windows inside @root (libadwaita's, in a status page or a
 * preferences page) read @label and leave the focus to what they hold:
 * GTK 4.10 and later read no name for a scrolled window.
 */
void
byok_a11y_name_scrollers (GtkWidget  *root,
                          const char *label)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_SCROLLED_WINDOW (c))
        {
          gtk_accessible_update_property (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
          gtk_widget_set_focusable (c, FALSE);
        }
      byok_a11y_name_scrollers (c, label);
    }
}

/**
 * byok_a11y_name_status_pages:
 * @root: a widget
 *
 * The scrolled window of every status page inside @root reads the page's
 * title (byok_a11y_name_scrollers()).
 */
void
byok_a11y_name_status_pages (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (ADW_IS_STATUS_PAGE (c))
        byok_a11y_name_scrollers (c, adw_status_page_get_title (ADW_STATUS_PAGE (c)));
      byok_a11y_name_status_pages (c);
    }
}

/* ---- buttons with a mnemonic --------------------------------------------- */

/* GTK 4.8 gives a button its label as written ("_Cancel") for a name, and
 * then its mnemonic label's text: "_Cancel Cancel". The label the button
 * shows is name enough. */
static void
mnemonic_button_cb (GtkButton *button)
{
  if (gtk_button_get_use_underline (button))
    gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/**
 * byok_a11y_fix_mnemonic_buttons:
 * @root: a widget
 *
 * Every button with a mnemonic inside @root reads the text it shows,
 * without the underscore and not twice, also when its label changes.
 * A button's own accessible label, if it had one, goes: what it shows is
 * its name, its tooltip its description.
 */
void
byok_a11y_fix_mnemonic_buttons (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_BUTTON (root) && gtk_button_get_use_underline (GTK_BUTTON (root)) &&
      g_object_get_data (G_OBJECT (root), "byok-a11y-mnemonic") == NULL)
    {
      g_object_set_data (G_OBJECT (root), "byok-a11y-mnemonic", GINT_TO_POINTER (1));
      g_signal_connect_after (root, "notify::label", G_CALLBACK (mnemonic_button_cb), NULL);
      mnemonic_button_cb (GTK_BUTTON (root));
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    byok_a11y_fix_mnemonic_buttons (c);
}

/**
 * byok_a11y_name_shortcuts_window:
 * @window: a shortcuts window
 *
 * Its search button (an icon, with neither a name nor a tooltip) reads
 * "Search Shortcuts".
 */
void
byok_a11y_name_shortcuts_window (GtkWidget *window)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  g_return_if_fail (GTK_IS_WIDGET (window));

  collect_icon_buttons (window, "edit-find-symbolic", buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (buttons, i);

      gtk_widget_set_tooltip_text (button, _("Search Shortcuts"));
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search Shortcuts"), -1);
    }
}

/* ---- expander rows ------------------------------------------------------- */

static void
expander_row_changed_cb (AdwExpanderRow *row)
{
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  const char *subtitle = adw_expander_row_get_subtitle (row);

  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle != NULL ? subtitle : "",
                                  -1);
  /* The header and the rows below it are lists of their own. */
  byok_a11y_label_descendants (GTK_WIDGET (row), GTK_TYPE_LIST_BOX, title);
}

/* The lists inside take no focus of their own: their rows do (libadwaita
 * 1.10 makes the header's list a generic container, which GTK does not let
 * be named). */
static void
unfocus_lists (GtkWidget *widget)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_LIST_BOX (c))
        gtk_widget_set_focusable (c, FALSE);
      else
        unfocus_lists (c);
    }
}

/**
 * byok_a11y_follow_expander_row:
 * @row: an expander row
 *
 * The row reads its title and, as its description, its subtitle, as they
 * change; so do the lists libadwaita puts inside it.
 */
void
byok_a11y_follow_expander_row (AdwExpanderRow *row)
{
  g_return_if_fail (ADW_IS_EXPANDER_ROW (row));

  g_signal_connect (row, "notify::title", G_CALLBACK (expander_row_changed_cb), NULL);
  g_signal_connect (row, "notify::subtitle", G_CALLBACK (expander_row_changed_cb), NULL);
  expander_row_changed_cb (row);
  unfocus_lists (GTK_WIDGET (row));
}

/* ---- entry rows ---------------------------------------------------------- */

/* An icon button reads its tooltip: "Apply", "Show Text", "Hide Text". */
static void
icon_button_tooltip_cb (GtkWidget *button)
{
  const char *tooltip = gtk_widget_get_tooltip_text (button);

  if (tooltip == NULL)
    return;
  /* The icon is not its name (GTK 4.8 reads it as "GtkImage"). */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
}

static void
name_icon_buttons (GtkWidget *widget)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_BUTTON (c) && gtk_button_get_icon_name (GTK_BUTTON (c)) != NULL)
        {
          g_signal_connect (c, "notify::tooltip-text", G_CALLBACK (icon_button_tooltip_cb), NULL);
          g_signal_connect (c, "notify::icon-name", G_CALLBACK (icon_button_tooltip_cb), NULL);
          icon_button_tooltip_cb (c);
        }
      else
        name_icon_buttons (c);
    }
}

static void
entry_row_title_cb (AdwEntryRow *row)
{
  /* libadwaita 1.10 names the row by its title twice (the title and the
   * placeholder it turns into): once. */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), -1);
}

/**
 * byok_a11y_set_up_entry_row:
 * @row: an entry row
 *
 * @row reads its title, once, as it changes; libadwaita's own buttons in
 * it (Apply; a password row's Show Text / Hide Text) read their tooltips.
 */
void
byok_a11y_set_up_entry_row (AdwEntryRow *row)
{
  g_return_if_fail (ADW_IS_ENTRY_ROW (row));

  g_signal_connect (row, "notify::title", G_CALLBACK (entry_row_title_cb), NULL);
  entry_row_title_cb (row);
  name_icon_buttons (GTK_WIDGET (row));
}

/* libadwaita 1.2 labels the group's list by the title label, 1.10 not at
 * all: by the title, once, either way. */
static void
name_group_list (GtkWidget  *widget,
                 const char *title)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_LIST_BOX (c))
        {
          gtk_accessible_reset_relation (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
          gtk_accessible_update_property (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
        }
      else
        name_group_list (c, title);
    }
}

/**
 * byok_a11y_name_groups:
 * @root: a widget
 *
 * The list of every preferences group inside @root (what takes the focus
 * on its way to the rows) reads the group's title.
 */
void
byok_a11y_name_groups (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (ADW_IS_PREFERENCES_GROUP (root))
    {
      const char *title = adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (root));

      if (title != NULL && *title != '\0')
        name_group_list (root, title);
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    byok_a11y_name_groups (c);
}

/* ---- combo rows ---------------------------------------------------------- */

static char *
combo_item_text (AdwComboRow *row,
                 gpointer     item)
{
  GtkExpression *expression = adw_combo_row_get_expression (row);

  if (expression != NULL)
    {
      GValue value = G_VALUE_INIT;
      char *text = NULL;

      if (gtk_expression_evaluate (expression, item, &value))
        {
          text = g_value_dup_string (&value);
          g_value_unset (&value);
        }
      return text;
    }
  if (GTK_IS_STRING_OBJECT (item))
    return g_strdup (gtk_string_object_get_string (item));
  return NULL;
}

static void
combo_item_update_check (GtkListItem *item)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *check = gtk_widget_get_last_child (box);
  AdwComboRow *row = ADW_COMBO_ROW (gtk_widget_get_ancestor (box, ADW_TYPE_COMBO_ROW));
  gboolean in_popover = gtk_widget_get_ancestor (box, GTK_TYPE_POPOVER) != NULL;

  gtk_widget_set_opacity (check, row != NULL && in_popover &&
                                 adw_combo_row_get_selected_item (row) == gtk_list_item_get_item (item) ? 1 : 0);
}

static void
combo_item_setup_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  /* The list's selection says which is chosen; the mark is for the eye. */
  GtkWidget *check = g_object_new (GTK_TYPE_IMAGE,
                                   "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                   "icon-name", "object-select-symbolic",
                                   NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_set_opacity (check, 0);
  gtk_box_append (GTK_BOX (box), check);
  gtk_list_item_set_child (item, box);
}

static void
combo_selected_cb (AdwComboRow *row,
                   GParamSpec  *pspec,
                   GtkListItem *item)
{
  combo_item_update_check (item);
}

static void
combo_item_bind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *label = gtk_widget_get_first_child (box);
  GtkWidget *widget = gtk_widget_get_ancestor (box, ADW_TYPE_COMBO_ROW);
  g_autofree char *text = NULL;

  if (widget == NULL)
    return;
  text = combo_item_text (ADW_COMBO_ROW (widget), gtk_list_item_get_item (item));
  gtk_label_set_label (GTK_LABEL (label), text != NULL ? text : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, text != NULL ? text : "", -1);
  byok_a11y_label_parent_by_child (box);
  g_signal_connect_object (widget, "notify::selected-item", G_CALLBACK (combo_selected_cb), item, 0);
  combo_item_update_check (item);
}

static void
combo_item_unbind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      gpointer                  user_data)
{
  GtkWidget *widget = gtk_widget_get_ancestor (gtk_list_item_get_child (item), ADW_TYPE_COMBO_ROW);

  if (widget != NULL)
    g_signal_handlers_disconnect_by_func (widget, combo_selected_cb, item);
}

static void
combo_title_cb (AdwComboRow *row)
{
  byok_a11y_label_descendants (GTK_WIDGET (row), GTK_TYPE_LIST_VIEW,
                               adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
}

/**
 * byok_a11y_set_up_combo_row:
 * @row: a combo row
 *
 * Each choice of @row, in the row and in its popover, reads its text (the
 * default factory leaves the list item unnamed), with the chosen one
 * marked as libadwaita marks it; the lists read the row's title.
 */
void
byok_a11y_set_up_combo_row (AdwComboRow *row)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_return_if_fail (ADW_IS_COMBO_ROW (row));

  g_signal_connect (factory, "setup", G_CALLBACK (combo_item_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (combo_item_bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (combo_item_unbind_cb), NULL);
  adw_combo_row_set_factory (row, factory);
  g_signal_connect (row, "notify::title", G_CALLBACK (combo_title_cb), NULL);
  combo_title_cb (row);
}
