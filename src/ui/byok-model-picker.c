/* byok-model-picker.c — pick the provider and model a conversation talks to */
#define G_LOG_DOMAIN "byok-model-picker"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-format.h"
#include "byok-glib.h"
#include "byok-model-picker.h"
#include "byok-router.h"

struct _ByokModelPicker
{
  AdwBin        parent_instance;

  ByokCatalog  *catalog;
  ByokPricing  *pricing;
  GStrv         available;
  GStrv         refused;       /* providers whose key was refused */
  gboolean      show_auto;
  gboolean      compact;
  char         *empty_label;
  char         *provider_id;
  char         *model_id;
  gboolean      chosen_by_default;  /* not by the user, nor for a conversation */

  GtkMenuButton *button;
  GtkLabel     *button_label;
  GtkLabel     *button_detail;  /* compact: the provider, under the model */
  GtkPopover   *popover;
  GtkSearchEntry *search_entry;
  GtkStack     *list_stack;
  GtkListBox   *list_box;
};

G_DEFINE_FINAL_TYPE (ByokModelPicker, byok_model_picker, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_PROVIDER_ID,
  PROP_MODEL_ID,
  PROP_SHOW_AUTO,
  PROP_COMPACT,
  N_PROPS
};

enum {
  SELECTED,
  CLOSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Row data keys */
#define ROW_PROVIDER "byok-provider-id"
#define ROW_PROVIDER_NAME "byok-provider-name"
#define ROW_MODEL "byok-model-id"
#define ROW_HAYSTACK "byok-haystack"
#define ROW_CHECK "byok-check"

GtkWidget *
byok_model_picker_new (void)
{
  return g_object_new (BYOK_TYPE_MODEL_PICKER, NULL);
}

gboolean
byok_model_picker_is_available (ByokModelPicker *self,
                                const char      *provider_id)
{
  g_return_val_if_fail (BYOK_IS_MODEL_PICKER (self), FALSE);

  if (self->show_auto && g_strcmp0 (provider_id, BYOK_ROUTER_AUTO) == 0)
    return self->available != NULL && self->available[0] != NULL;
  return provider_id != NULL && self->available != NULL &&
         g_strv_contains ((const char * const *) self->available, provider_id);
}

/* "$1.25 / $10.00" per million tokens, or "price unknown". */
static char *
describe_price (ByokModelPicker *self,
                ByokModel       *model)
{
  ByokPrice price;
  g_autofree char *in = NULL;
  g_autofree char *out = NULL;

  byok_price_init (&price);
  if (self->pricing == NULL ||
      !byok_pricing_lookup (self->pricing, byok_model_get_provider_id (model),
                            byok_model_get_id (model), &price, NULL))
    {
      const ByokPrice *p = byok_model_get_price (model);
      if (p != NULL)
        price = *p;
    }

  if (!byok_price_rate_is_known (price.input) || !byok_price_rate_is_known (price.output))
    return g_strdup (_("Price unknown"));

  in = byok_format_usd (price.input);
  out = byok_format_usd (price.output);
  /* Translators: input and output price per million tokens ("$1.25 / $10.00") */
  return g_strdup_printf (_("%s / %s"), in, out);
}

static char *
describe_model (ByokModel *model)
{
  gint64 context = byok_model_get_context_window (model);

  if (context > 0)
    {
      g_autofree char *tokens = byok_format_tokens (context);
      /* Translators: a model id and its context window ("gpt-5 · 272k context") */
      return g_strdup_printf (_("%s · %s context"), byok_model_get_id (model), tokens);
    }
  return g_strdup (byok_model_get_id (model));
}

/* What a model reads besides text, as a small icon with its tooltip. */
static GtkWidget *
create_capability_icon (const char *icon_name,
                        const char *what)
{
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);

  gtk_widget_set_tooltip_text (icon, what);
  gtk_widget_add_css_class (icon, "dim-label");
  gtk_widget_add_css_class (icon, "model-capability");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, what,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, what,
                                  -1);
  return icon;
}

/* What @model reads besides text ("Reads images and PDFs"), %NULL for
 * text alone. */
static const char *
describe_media (ByokModel *model)
{
  gboolean vision = byok_model_has_capability (model, BYOK_MODEL_CAP_VISION);
  gboolean pdf = byok_model_has_capability (model, BYOK_MODEL_CAP_PDF);

  if (vision && pdf)
    return _("Reads images and PDFs");
  if (vision)
    return _("Reads images");
  if (pdf)
    return _("Reads PDFs");
  return NULL;
}

static GtkWidget *
create_row (ByokModelPicker *self,
            ByokProvider    *provider,
            ByokModel       *model)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *name = gtk_label_new (byok_model_get_name (model));
  g_autofree char *details_text = describe_model (model);
  GtkWidget *details = gtk_label_new (details_text);
  g_autofree char *price_text = describe_price (self, model);
  GtkWidget *price = gtk_label_new (price_text);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");
  GtkWidget *name_line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *media = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  const char *media_text = describe_media (model);
  g_autofree char *joined = NULL;
  g_autofree char *haystack = NULL;
  g_autofree char *a11y = NULL;

  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_widget_set_margin_start (grid, 6);
  gtk_widget_set_margin_end (grid, 6);
  gtk_widget_set_margin_top (grid, 6);
  gtk_widget_set_margin_bottom (grid, 6);

  /* The list takes the width the names need; where there is not that
   * much (large text), they go on a second line rather than being cut. */
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_wrap (GTK_LABEL (name), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (name), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_label_set_xalign (GTK_LABEL (details), 0);
  gtk_label_set_wrap (GTK_LABEL (details), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (details), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (details, "caption");
  gtk_widget_add_css_class (details, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (price), 1);
  gtk_widget_add_css_class (price, "numeric");
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);

  gtk_grid_attach (GTK_GRID (grid), check, 0, 0, 1, 2);
  gtk_grid_attach (GTK_GRID (grid), name_line, 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), details, 1, 1, 1, 1);
  if (byok_model_has_capability (model, BYOK_MODEL_CAP_VISION))
    gtk_box_append (GTK_BOX (media), create_capability_icon ("image-x-generic-symbolic", _("Reads images")));
  if (byok_model_has_capability (model, BYOK_MODEL_CAP_PDF))
    gtk_box_append (GTK_BOX (media), create_capability_icon ("x-office-document-symbolic", _("Reads PDFs")));
  gtk_widget_set_valign (media, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (media, media_text != NULL);
  /* The marks follow the name, so that they line up with it, not with
   * prices of differing widths. */
  gtk_widget_set_hexpand (name, FALSE);
  gtk_widget_set_hexpand (name_line, TRUE);
  gtk_box_append (GTK_BOX (name_line), name);
  gtk_box_append (GTK_BOX (name_line), media);
  gtk_grid_attach (GTK_GRID (grid), price, 2, 0, 1, 2);
  gtk_widget_set_valign (price, GTK_ALIGN_CENTER);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), grid);

  joined = g_strjoin (" ", byok_provider_get_name (provider), byok_provider_get_id (provider),
                      byok_model_get_name (model), byok_model_get_id (model), NULL);
  haystack = g_utf8_casefold (joined, -1);
  g_object_set_data_full (G_OBJECT (row), ROW_PROVIDER, g_strdup (byok_provider_get_id (provider)), g_free);
  g_object_set_data_full (G_OBJECT (row), ROW_PROVIDER_NAME, g_strdup (byok_provider_get_name (provider)), g_free);
  g_object_set_data_full (G_OBJECT (row), ROW_MODEL, g_strdup (byok_model_get_id (model)), g_free);
  g_object_set_data_full (G_OBJECT (row), ROW_HAYSTACK, g_steal_pointer (&haystack), g_free);
  g_object_set_data (G_OBJECT (row), ROW_CHECK, check);

  /* Translators: how a screen reader reads one model of the picker:
   * provider, model, price per million tokens, details */
  a11y = g_strdup_printf (_("%s %s, %s per million tokens, %s"),
                          byok_provider_get_name (provider), byok_model_get_name (model),
                          price_text, details_text);
  if (media_text != NULL)
    {
      /* Translators: a model of the picker, as a screen reader reads it,
       * then what it reads besides text ("…, Reads images") */
      g_autofree char *with_media = g_strdup_printf (_("%s, %s"), a11y, media_text);

      g_free (a11y);
      a11y = g_steal_pointer (&with_media);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  return row;
}

/* "Auto": the cheapest model that fits, chosen at each send. */
static GtkWidget *
create_auto_row (void)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *name = gtk_label_new (_("Auto"));
  GtkWidget *details = gtk_label_new (_("The cheapest configured model that fits the conversation"));
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");
  g_autofree char *haystack = g_utf8_casefold (_("Auto cheapest"), -1);

  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_widget_set_margin_start (grid, 6);
  gtk_widget_set_margin_end (grid, 6);
  gtk_widget_set_margin_top (grid, 6);
  gtk_widget_set_margin_bottom (grid, 6);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_label_set_xalign (GTK_LABEL (details), 0);
  gtk_label_set_wrap (GTK_LABEL (details), TRUE);
  gtk_widget_add_css_class (details, "caption");
  gtk_widget_add_css_class (details, "dim-label");
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_grid_attach (GTK_GRID (grid), check, 0, 0, 1, 2);
  gtk_grid_attach (GTK_GRID (grid), name, 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), details, 1, 1, 1, 1);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), grid);

  g_object_set_data_full (G_OBJECT (row), ROW_PROVIDER, g_strdup (BYOK_ROUTER_AUTO), g_free);
  g_object_set_data_full (G_OBJECT (row), ROW_MODEL, g_strdup (BYOK_ROUTER_AUTO), g_free);
  g_object_set_data_full (G_OBJECT (row), ROW_HAYSTACK, g_steal_pointer (&haystack), g_free);
  g_object_set_data (G_OBJECT (row), ROW_CHECK, check);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Auto: the cheapest configured model that fits the conversation"), -1);
  return row;
}

static void
update_checks (ByokModelPicker *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *check;

      if (!GTK_IS_LIST_BOX_ROW (row))
        continue;
      check = g_object_get_data (G_OBJECT (row), ROW_CHECK);
      gtk_widget_set_opacity (check,
                              g_strcmp0 (g_object_get_data (G_OBJECT (row), ROW_PROVIDER), self->provider_id) == 0 &&
                              g_strcmp0 (g_object_get_data (G_OBJECT (row), ROW_MODEL), self->model_id) == 0
                              ? 1.0 : 0.0);
    }
}

char *
byok_model_picker_dup_label (ByokModelPicker *self,
                             const char      *provider_id,
                             const char      *model_id)
{
  ByokProvider *provider = NULL;
  ByokModel *model = NULL;

  g_return_val_if_fail (BYOK_IS_MODEL_PICKER (self), NULL);

  if (model_id == NULL)
    return g_strdup (self->empty_label != NULL ? self->empty_label : _("No Model"));
  if (g_strcmp0 (provider_id, BYOK_ROUTER_AUTO) == 0)
    return g_strdup (_("Auto"));
  if (self->catalog != NULL && provider_id != NULL)
    {
      provider = byok_catalog_lookup_provider (self->catalog, provider_id);
      model = byok_catalog_lookup_model (self->catalog, provider_id, model_id);
    }
  /* Translators: the chosen model on the picker button ("OpenAI · GPT-5") */
  return g_strdup_printf (_("%s · %s"),
                          provider != NULL ? byok_provider_get_name (provider) : provider_id,
                          model != NULL ? byok_model_get_name (model) : model_id);
}

/* The button takes the room its label needs; where there is none (a
 * narrow window, large text) the label is cut, and then the tooltip shows
 * it whole. The picker lays its button out itself (no layout manager) to
 * know when. */
static void
update_tooltip (ByokModelPicker *self)
{
  g_autofree char *label = NULL;
  const char *tooltip;

  /* Compact: the model, its provider beneath, the whole label in the
   * tooltip always. */
  if (self->compact && gtk_widget_get_visible (GTK_WIDGET (self->button_detail)))
    {
      label = byok_model_picker_dup_label (self, self->provider_id, self->model_id);
      tooltip = label;
    }
  else if (pango_layout_is_ellipsized (gtk_label_get_layout (self->button_label)))
    tooltip = gtk_label_get_label (self->button_label);
  else
    tooltip = _("Choose the Model");
  if (g_strcmp0 (gtk_widget_get_tooltip_text (GTK_WIDGET (self->button)), tooltip) != 0)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), tooltip);
}

static void
update_button (ByokModelPicker *self)
{
  g_autofree char *label = byok_model_picker_dup_label (self, self->provider_id, self->model_id);
  ByokProvider *provider = NULL;
  ByokModel *model = NULL;

  if (self->catalog != NULL && self->provider_id != NULL && self->model_id != NULL)
    {
      provider = byok_catalog_lookup_provider (self->catalog, self->provider_id);
      model = byok_catalog_lookup_model (self->catalog, self->provider_id, self->model_id);
    }

  /* Compact (a narrow column): the model's name, its provider beneath. */
  if (self->compact && self->model_id != NULL && g_strcmp0 (self->provider_id, BYOK_ROUTER_AUTO) != 0)
    {
      gtk_label_set_label (self->button_label, model != NULL ? byok_model_get_name (model) : self->model_id);
      gtk_label_set_label (self->button_detail, provider != NULL ? byok_provider_get_name (provider) : self->provider_id);
      gtk_widget_set_visible (GTK_WIDGET (self->button_detail), TRUE);
    }
  else
    {
      gtk_label_set_label (self->button_label, label);
      gtk_widget_set_visible (GTK_WIDGET (self->button_detail), FALSE);
    }
  gtk_label_set_xalign (self->button_label, self->compact ? 0 : 0.5);
  /* What the button does ("Add Model") is never cut; a model's name,
   * where there is truly no room, is (and its tooltip shows it). */
  gtk_label_set_ellipsize (self->button_label, self->model_id != NULL ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
  update_tooltip (self);
  update_checks (self);
}

static void
byok_model_picker_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  gtk_widget_measure (GTK_WIDGET (BYOK_MODEL_PICKER (widget)->button), orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static GtkSizeRequestMode
byok_model_picker_get_request_mode (GtkWidget *widget)
{
  return gtk_widget_get_request_mode (GTK_WIDGET (BYOK_MODEL_PICKER (widget)->button));
}

static void
byok_model_picker_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  ByokModelPicker *self = BYOK_MODEL_PICKER (widget);

  gtk_widget_allocate (GTK_WIDGET (self->button), width, height, baseline, NULL);
  update_tooltip (self);
}

static void
rebuild (ByokModelPicker *self)
{
  g_autoptr(GPtrArray) providers = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);

  if (self->catalog == NULL)
    return;

  if (self->show_auto && self->available != NULL && self->available[0] != NULL)
    gtk_list_box_append (self->list_box, create_auto_row ());

  providers = byok_catalog_get_providers (self->catalog);
  for (guint i = 0; i < providers->len; i++)
    {
      ByokProvider *provider = g_ptr_array_index (providers, i);
      g_autoptr(GPtrArray) models = NULL;

      if (!byok_model_picker_is_available (self, byok_provider_get_id (provider)))
        continue;
      models = byok_catalog_get_models (self->catalog, byok_provider_get_id (provider));
      for (guint j = 0; j < models->len; j++)
        gtk_list_box_append (self->list_box, create_row (self, provider, g_ptr_array_index (models, j)));
    }

  gtk_list_box_invalidate_filter (self->list_box);
  gtk_list_box_invalidate_headers (self->list_box);
  update_button (self);
}

static gboolean
filter_func (GtkListBoxRow *row,
             gpointer       user_data)
{
  ByokModelPicker *self = user_data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *needle = NULL;
  g_auto(GStrv) words = NULL;
  const char *haystack;

  if (text == NULL || *text == '\0')
    return TRUE;

  needle = g_utf8_casefold (text, -1);
  words = g_strsplit_set (needle, " \t", -1);
  haystack = g_object_get_data (G_OBJECT (row), ROW_HAYSTACK);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0' && strstr (haystack, words[i]) == NULL)
      return FALSE;
  return TRUE;
}

static void
header_func (GtkListBoxRow *row,
             GtkListBoxRow *before,
             gpointer       user_data)
{
  const char *provider = g_object_get_data (G_OBJECT (row), ROW_PROVIDER);
  GtkWidget *header;

  if (g_strcmp0 (provider, BYOK_ROUTER_AUTO) == 0)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  if (before != NULL &&
      g_strcmp0 (g_object_get_data (G_OBJECT (before), ROW_PROVIDER), provider) == 0)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }

  header = gtk_label_new (g_object_get_data (G_OBJECT (row), ROW_PROVIDER_NAME));
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_top (header, before != NULL ? 12 : 6);
  gtk_widget_set_margin_bottom (header, 3);
  gtk_widget_add_css_class (header, "heading");
  gtk_widget_add_css_class (header, "dim-label");
  gtk_list_box_row_set_header (row, header);
}

static gboolean
any_row_visible (ByokModelPicker *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && filter_func (GTK_LIST_BOX_ROW (row), self))
      return TRUE;
  return FALSE;
}

static void
search_changed_cb (ByokModelPicker *self)
{
  gtk_list_box_invalidate_filter (self->list_box);
  gtk_list_box_invalidate_headers (self->list_box);
  gtk_stack_set_visible_child_name (self->list_stack, any_row_visible (self) ? "list" : "empty");
}

static void
pick_row (ByokModelPicker *self,
          GtkListBoxRow   *row)
{
  byok_model_picker_set_selection (self,
                                   g_object_get_data (G_OBJECT (row), ROW_PROVIDER),
                                   g_object_get_data (G_OBJECT (row), ROW_MODEL));
  /* Before "closed", so a listener knows the popup ended with a choice. */
  g_signal_emit (self, signals[SELECTED], 0);
  gtk_popover_popdown (self->popover);
}

static void
row_activated_cb (ByokModelPicker *self,
                  GtkListBoxRow   *row)
{
  pick_row (self, row);
}

/* Enter in the search entry picks the first match. */
static void
search_activate_cb (ByokModelPicker *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && filter_func (GTK_LIST_BOX_ROW (row), self))
      {
        pick_row (self, GTK_LIST_BOX_ROW (row));
        return;
      }
}

static void
search_stop_cb (ByokModelPicker *self)
{
  gtk_popover_popdown (self->popover);
}

static void
popover_closed_cb (ByokModelPicker *self)
{
  g_signal_emit (self, signals[CLOSED], 0);
}

static void
popover_show_cb (ByokModelPicker *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  search_changed_cb (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
byok_model_picker_popup (ByokModelPicker *self)
{
  g_return_if_fail (BYOK_IS_MODEL_PICKER (self));

  gtk_menu_button_popup (self->button);
}

static void
catalog_changed_cb (ByokModelPicker *self)
{
  rebuild (self);
}

void
byok_model_picker_set_catalog (ByokModelPicker *self,
                               ByokCatalog     *catalog,
                               ByokPricing     *pricing)
{
  g_return_if_fail (BYOK_IS_MODEL_PICKER (self));

  if (self->catalog != NULL)
    g_signal_handlers_disconnect_by_data (self->catalog, self);
  if (self->pricing != NULL)
    g_signal_handlers_disconnect_by_data (self->pricing, self);
  g_set_object (&self->catalog, catalog);
  g_set_object (&self->pricing, pricing);
  if (catalog != NULL)
    g_signal_connect_object (catalog, "changed", G_CALLBACK (catalog_changed_cb), self, G_CONNECT_SWAPPED);
  if (pricing != NULL)
    g_signal_connect_object (pricing, "changed", G_CALLBACK (catalog_changed_cb), self, G_CONNECT_SWAPPED);
  rebuild (self);
}

void
byok_model_picker_set_available (ByokModelPicker    *self,
                                 const char * const *provider_ids)
{
  g_return_if_fail (BYOK_IS_MODEL_PICKER (self));

  g_strfreev (self->available);
  self->available = g_strdupv ((char **) provider_ids);
  rebuild (self);
}

const char *
byok_model_picker_get_provider_id (ByokModelPicker *self)
{
  g_return_val_if_fail (BYOK_IS_MODEL_PICKER (self), NULL);

  return self->provider_id;
}

const char *
byok_model_picker_get_model_id (ByokModelPicker *self)
{
  g_return_val_if_fail (BYOK_IS_MODEL_PICKER (self), NULL);

  return self->model_id;
}

/**
 * byok_model_picker_get_model:
 * @provider: (out) (optional) (transfer none): its provider
 *
 * Returns: (transfer none) (nullable): the chosen model as the catalog
 *   knows it; NULL for Auto, nothing chosen, or a model it does not know
 */
ByokModel *
byok_model_picker_get_model (ByokModelPicker  *self,
                             ByokProvider    **provider)
{
  g_return_val_if_fail (BYOK_IS_MODEL_PICKER (self), NULL);

  if (provider != NULL)
    *provider = self->catalog != NULL ? byok_catalog_lookup_provider (self->catalog, self->provider_id)
                                      : NULL;
  if (self->catalog == NULL || self->provider_id == NULL || self->model_id == NULL)
    return NULL;
  return byok_catalog_lookup_model (self->catalog, self->provider_id, self->model_id);
}

static void
set_selection (ByokModelPicker *self,
               const char      *provider_id,
               const char      *model_id,
               gboolean         by_default)
{
  g_object_freeze_notify (G_OBJECT (self));
  self->chosen_by_default = by_default;
  if (byok_set_str (&self->provider_id, provider_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROVIDER_ID]);
  if (byok_set_str (&self->model_id, model_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL_ID]);
  update_button (self);
  g_object_thaw_notify (G_OBJECT (self));
}

void
byok_model_picker_set_selection (ByokModelPicker *self,
                                 const char      *provider_id,
                                 const char      *model_id)
{
  g_return_if_fail (BYOK_IS_MODEL_PICKER (self));

  set_selection (self, provider_id, model_id, FALSE);
}

/**
 * byok_model_picker_choose_default:
 *
 * Sets the selection as a default the program chose, which
 * byok_model_picker_select_default() may change again when other
 * providers become available (a key was added): unlike a model the user
 * picked or a conversation's.
 */
void
byok_model_picker_choose_default (ByokModelPicker *self,
                                  const char      *provider_id,
                                  const char      *model_id)
{
  g_return_if_fail (BYOK_IS_MODEL_PICKER (self));

  set_selection (self, provider_id, model_id, TRUE);
}

/**
 * byok_model_picker_get_chosen_by_default:
 *
 * Returns: whether the selection is a default the program chose (see
 *   byok_model_picker_choose_default())
 */
gboolean
byok_model_picker_get_chosen_by_default (ByokModelPicker *self)
{
  g_return_val_if_fail (BYOK_IS_MODEL_PICKER (self), FALSE);

  return self->chosen_by_default;
}

/**
 * byok_model_picker_dup_provider_default:
 * @settings: (nullable): where the user's default model of each provider is
 *
 * Returns: (transfer full) (nullable): the model a chat starts on with
 *   @provider: the user's default for it, else its best-ranked model
 */
char *
byok_model_picker_dup_provider_default (ByokCatalog          *catalog,
                                        ByokProviderSettings *settings,
                                        ByokProvider         *provider)
{
  g_autofree char *model_id = NULL;
  g_autoptr(GPtrArray) models = NULL;
  ByokModel *best = NULL;

  if (settings != NULL)
    model_id = byok_provider_settings_dup_default_model (settings, byok_provider_get_id (provider));
  if (model_id != NULL)
    return g_steal_pointer (&model_id);

  models = byok_catalog_get_models (catalog, byok_provider_get_id (provider));
  for (guint i = 0; i < models->len; i++)
    {
      ByokModel *model = g_ptr_array_index (models, i);

      if (best == NULL || byok_model_get_rank (model) < byok_model_get_rank (best))
        best = model;
    }
  return best != NULL ? g_strdup (byok_model_get_id (best)) : NULL;
}

/**
 * byok_model_picker_set_refused:
 * @provider_ids: (array zero-terminated=1) (nullable): providers whose key
 *   was refused at its last check or chat
 *
 * Their models stay in the list, but a default goes to them last.
 */
void
byok_model_picker_set_refused (ByokModelPicker    *self,
                               const char * const *provider_ids)
{
  g_return_if_fail (BYOK_IS_MODEL_PICKER (self));

  g_strfreev (self->refused);
  self->refused = g_strdupv ((char **) provider_ids);
}

/**
 * byok_model_picker_get_provider_tier:
 *
 * Returns: in which order a default goes to @provider: 0 for one with a
 *   usable key, 1 for a local server (it may not even run), 2 for one
 *   whose key was refused
 */
int
byok_model_picker_get_provider_tier (ByokModelPicker *self,
                                     ByokProvider    *provider)
{
  g_return_val_if_fail (BYOK_IS_MODEL_PICKER (self), 0);

  if (!byok_provider_get_needs_key (provider))
    return 1;
  if (self->refused != NULL && g_strv_contains ((const char * const *) self->refused, byok_provider_get_id (provider)))
    return 2;
  return 0;
}

/**
 * byok_model_picker_select_default:
 *
 * @settings: (nullable): where the user's default model of each provider is
 *
 * Chooses the default model (byok_model_picker_dup_provider_default()) of
 * the first available provider with a usable key — the user brought one
 * for it — else of the first local one (a local server may not even
 * run), else of one whose key was refused
 * (byok_model_picker_get_provider_tier()); unless the current choice is
 * available and was not itself such a default.
 *
 * Returns: whether a model is chosen now
 */
gboolean
byok_model_picker_select_default (ByokModelPicker      *self,
                                  ByokProviderSettings *settings)
{
  g_autoptr(GPtrArray) providers = NULL;

  g_return_val_if_fail (BYOK_IS_MODEL_PICKER (self), FALSE);

  if (self->model_id != NULL && !self->chosen_by_default &&
      byok_model_picker_is_available (self, self->provider_id))
    return TRUE;
  if (self->catalog == NULL)
    return FALSE;

  providers = byok_catalog_get_providers (self->catalog);
  for (int tier = 0; tier <= 2; tier++)
    for (guint i = 0; i < providers->len; i++)
      {
        ByokProvider *provider = g_ptr_array_index (providers, i);
        g_autofree char *model_id = NULL;

        if (byok_model_picker_get_provider_tier (self, provider) != tier ||
            !byok_model_picker_is_available (self, byok_provider_get_id (provider)))
          continue;
        model_id = byok_model_picker_dup_provider_default (self->catalog, settings, provider);
        if (model_id != NULL)
          {
            byok_model_picker_choose_default (self, byok_provider_get_id (provider), model_id);
            return TRUE;
          }
      }
  return self->model_id != NULL && byok_model_picker_is_available (self, self->provider_id);
}

static void
byok_model_picker_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ByokModelPicker *self = BYOK_MODEL_PICKER (object);

  switch (prop_id)
    {
    case PROP_PROVIDER_ID:
      g_value_set_string (value, self->provider_id);
      break;
    case PROP_MODEL_ID:
      g_value_set_string (value, self->model_id);
      break;
    case PROP_SHOW_AUTO:
      g_value_set_boolean (value, self->show_auto);
      break;
    case PROP_COMPACT:
      g_value_set_boolean (value, self->compact);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_model_picker_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  ByokModelPicker *self = BYOK_MODEL_PICKER (object);

  switch (prop_id)
    {
    case PROP_SHOW_AUTO:
      byok_model_picker_set_show_auto (self, g_value_get_boolean (value));
      break;
    case PROP_COMPACT:
      byok_model_picker_set_compact (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Sets a boolean property: @update shows it, then it is notified. */
static void
set_flag (ByokModelPicker *self,
          gboolean        *flag,
          gboolean         value,
          void           (*update) (ByokModelPicker *self),
          GParamSpec      *pspec)
{
  value = !!value;
  if (*flag == value)
    return;
  *flag = value;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

/**
 * byok_model_picker_set_show_auto:
 *
 * Whether the list starts with "Auto" (provider and model
 * BYOK_ROUTER_AUTO): the cheapest model that fits, chosen by whoever sends.
 */
void
byok_model_picker_set_show_auto (ByokModelPicker *self,
                                 gboolean         show_auto)
{
  g_return_if_fail (BYOK_IS_MODEL_PICKER (self));

  set_flag (self, &self->show_auto, show_auto, rebuild, properties[PROP_SHOW_AUTO]);
}

/**
 * byok_model_picker_set_compact:
 *
 * Whether the button names the model on one line and its provider, small,
 * on a second (for narrow places), instead of "Provider · Model".
 */
void
byok_model_picker_set_compact (ByokModelPicker *self,
                               gboolean         compact)
{
  g_return_if_fail (BYOK_IS_MODEL_PICKER (self));

  set_flag (self, &self->compact, compact, update_button, properties[PROP_COMPACT]);
}

gboolean
byok_model_picker_get_compact (ByokModelPicker *self)
{
  g_return_val_if_fail (BYOK_IS_MODEL_PICKER (self), FALSE);
  return self->compact;
}

/**
 * byok_model_picker_set_empty_label:
 * @label: (nullable): what the button says while no model is chosen
 */
void
byok_model_picker_set_empty_label (ByokModelPicker *self,
                                   const char      *label)
{
  g_return_if_fail (BYOK_IS_MODEL_PICKER (self));

  byok_set_str (&self->empty_label, label);
  update_button (self);
}

gboolean
byok_model_picker_is_auto (ByokModelPicker *self)
{
  g_return_val_if_fail (BYOK_IS_MODEL_PICKER (self), FALSE);

  return g_strcmp0 (self->provider_id, BYOK_ROUTER_AUTO) == 0;
}

static void
byok_model_picker_dispose (GObject *object)
{
  ByokModelPicker *self = BYOK_MODEL_PICKER (object);

  if (self->catalog != NULL)
    g_signal_handlers_disconnect_by_data (self->catalog, self);
  if (self->pricing != NULL)
    g_signal_handlers_disconnect_by_data (self->pricing, self);
  g_clear_object (&self->catalog);
  g_clear_object (&self->pricing);

  G_OBJECT_CLASS (byok_model_picker_parent_class)->dispose (object);
}

static void
byok_model_picker_finalize (GObject *object)
{
  ByokModelPicker *self = BYOK_MODEL_PICKER (object);

  g_strfreev (self->available);
  g_strfreev (self->refused);
  g_free (self->empty_label);
  g_free (self->provider_id);
  g_free (self->model_id);

  G_OBJECT_CLASS (byok_model_picker_parent_class)->finalize (object);
}

static void
byok_model_picker_class_init (ByokModelPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = byok_model_picker_get_property;
  object_class->set_property = byok_model_picker_set_property;
  object_class->dispose = byok_model_picker_dispose;
  object_class->finalize = byok_model_picker_finalize;
  widget_class->get_request_mode = byok_model_picker_get_request_mode;
  widget_class->measure = byok_model_picker_measure;
  widget_class->size_allocate = byok_model_picker_size_allocate;

  properties[PROP_PROVIDER_ID] =
    g_param_spec_string ("provider-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODEL_ID] =
    g_param_spec_string ("model-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_AUTO] =
    g_param_spec_boolean ("show-auto", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPACT] =
    g_param_spec_boolean ("compact", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ByokModelPicker::selected:
   * The user picked a model.
   */
  signals[SELECTED] =
    g_signal_new ("selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * ByokModelPicker::closed:
   * The popover closed, after "selected" if the user picked a model.
   */
  signals[CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-model-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokModelPicker, button);
  gtk_widget_class_bind_template_child (widget_class, ByokModelPicker, button_label);
  gtk_widget_class_bind_template_child (widget_class, ByokModelPicker, button_detail);
  gtk_widget_class_bind_template_child (widget_class, ByokModelPicker, popover);
  gtk_widget_class_bind_template_child (widget_class, ByokModelPicker, search_entry);
  gtk_widget_class_bind_template_child (widget_class, ByokModelPicker, list_stack);
  gtk_widget_class_bind_template_child (widget_class, ByokModelPicker, list_box);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, popover_closed_cb);
}

static void
byok_model_picker_init (ByokModelPicker *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);

  gtk_list_box_set_filter_func (self->list_box, filter_func, self, NULL);
  gtk_list_box_set_header_func (self->list_box, header_func, self, NULL);
}
