/* byok-preferences-window.c — what the user sets once for every chat */
#define G_LOG_DOMAIN "byok-preferences"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "byok-a11y.h"
#include "byok-model-picker.h"
#include "byok-preferences-window.h"

struct _ByokPreferencesWindow
{
  ByokPreferencesParent parent_instance;

  ByokEngine          *engine;
  GSettings           *settings;

  ByokModelPicker     *picker;
  GtkListBox          *list_box;
  GtkSwitch           *keep_prices_switch;
};

G_DEFINE_FINAL_TYPE (ByokPreferencesWindow, byok_preferences_window, BYOK_TYPE_PREFERENCES_PARENT)

#define ROW_INDEX "byok-index"

static void rebuild (ByokPreferencesWindow *self);

static void
set_chain (ByokPreferencesWindow *self,
           GPtrArray             *entries)
{
  g_ptr_array_add (entries, NULL);
  g_settings_set_strv (self->settings, "fallback-chain", (const char * const *) entries->pdata);
  g_ptr_array_remove_index (entries, entries->len - 1);
}

static GPtrArray *
get_chain (ByokPreferencesWindow *self)
{
  g_auto(GStrv) chain = g_settings_get_strv (self->settings, "fallback-chain");
  GPtrArray *entries = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; chain[i] != NULL; i++)
    g_ptr_array_add (entries, g_strdup (chain[i]));
  return entries;
}

static void
move_clicked_cb (GtkButton             *button,
                 ByokPreferencesWindow *self)
{
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), ROW_INDEX));
  int delta = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "byok-delta"));
  g_autoptr(GPtrArray) entries = get_chain (self);
  int other = index + delta;
  gpointer swap;

  if (index < 0 || other < 0 || (guint) index >= entries->len || (guint) other >= entries->len)
    return;
  swap = entries->pdata[index];
  entries->pdata[index] = entries->pdata[other];
  entries->pdata[other] = swap;
  set_chain (self, entries);
}

static void
remove_clicked_cb (GtkButton             *button,
                   ByokPreferencesWindow *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), ROW_INDEX));
  g_autoptr(GPtrArray) entries = get_chain (self);

  if (index >= entries->len)
    return;
  g_ptr_array_remove_index (entries, index);
  set_chain (self, entries);
}

static GtkWidget *
row_button (ByokPreferencesWindow *self,
            const char            *icon,
            const char            *tooltip,
            const char            *a11y,
            guint                  index,
            int                    delta,
            gboolean               sensitive)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  gtk_widget_set_sensitive (button, sensitive);
  g_object_set_data (G_OBJECT (button), ROW_INDEX, GUINT_TO_POINTER (index));
  if (delta != 0)
    {
      g_object_set_data (G_OBJECT (button), "byok-delta", GINT_TO_POINTER (delta));
      g_signal_connect_object (button, "clicked", G_CALLBACK (move_clicked_cb), self, 0);
    }
  else
    g_signal_connect_object (button, "clicked", G_CALLBACK (remove_clicked_cb), self, 0);
  return button;
}

static void
rebuild (ByokPreferencesWindow *self)
{
  g_autoptr(GPtrArray) entries = get_chain (self);
  ByokCatalog *catalog = self->engine != NULL ? byok_engine_get_catalog (self->engine) : NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);

  /* An empty boxed list draws as an empty row: say what no list means. */
  if (entries->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      /* Byok's own words, but a row made in C turns markup off like every
       * other (byok-plain-text.h): a translation's "&" would blank it. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No Fallback Models"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("A failed call shows its error; Add Model adds one here."));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_append (self->list_box, row);
    }

  for (guint i = 0; i < entries->len; i++)
    {
      const char *entry = g_ptr_array_index (entries, i);
      const char *slash = strchr (entry, '/');
      g_autofree char *provider_id = slash != NULL ? g_strndup (entry, slash - entry) : g_strdup (entry);
      const char *model_id = slash != NULL ? slash + 1 : "";
      ByokProvider *provider = catalog != NULL ? byok_catalog_lookup_provider (catalog, provider_id) : NULL;
      ByokModel *model = catalog != NULL ? byok_catalog_lookup_model (catalog, provider_id, model_id) : NULL;
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *position = g_strdup_printf ("%u", i + 1);
      GtkWidget *number = gtk_label_new (position);
      g_autofree char *name = g_strdup (model != NULL ? byok_model_get_name (model) : model_id);
      /* Translators: %s is a model's name, in the fallback list's buttons */
      g_autofree char *up = g_strdup_printf (_("Move %s up"), name);
      g_autofree char *down = g_strdup_printf (_("Move %s down"), name);
      g_autofree char *remove = g_strdup_printf (_("Remove %s"), name);

      /* Markup off first: a title read as markup even once warns. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   provider != NULL ? byok_provider_get_name (provider) : provider_id);
      gtk_widget_add_css_class (number, "dim-label");
      gtk_widget_add_css_class (number, "numeric");
      gtk_widget_set_size_request (number, 18, -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), number);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 row_button (self, "go-up-symbolic", _("Move Up"), up, i, -1, i > 0));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 row_button (self, "go-down-symbolic", _("Move Down"), down, i, +1,
                                             i + 1 < entries->len));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 row_button (self, "user-trash-symbolic", _("Remove"), remove, i, 0, TRUE));
      gtk_list_box_append (self->list_box, row);
    }
}

static void
picker_selected_cb (ByokPreferencesWindow *self)
{
  const char *provider_id = byok_model_picker_get_provider_id (self->picker);
  const char *model_id = byok_model_picker_get_model_id (self->picker);
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *entry = NULL;

  if (provider_id == NULL || model_id == NULL)
    return;
  entry = g_strconcat (provider_id, "/", model_id, NULL);
  entries = get_chain (self);
  if (!g_ptr_array_find_with_equal_func (entries, entry, g_str_equal, NULL))
    {
      g_ptr_array_add (entries, g_steal_pointer (&entry));
      set_chain (self, entries);
    }
  byok_model_picker_set_selection (self->picker, NULL, NULL);
}

/**
 * byok_preferences_window_new:
 * @engine: (nullable): for the catalog and prices
 */
GtkWidget *
byok_preferences_window_new (ByokEngine *engine)
{
  ByokPreferencesWindow *self = g_object_new (BYOK_TYPE_PREFERENCES_WINDOW, NULL);

  if (engine != NULL)
    {
      g_autoptr(GPtrArray) providers = byok_catalog_get_providers (byok_engine_get_catalog (engine));
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) ids = NULL;

      self->engine = g_object_ref (engine);
      for (guint i = 0; i < providers->len; i++)
        g_strv_builder_add (builder, byok_provider_get_id (g_ptr_array_index (providers, i)));
      ids = g_strv_builder_end (builder);
      byok_model_picker_set_catalog (self->picker, byok_engine_get_catalog (engine), byok_engine_get_pricing (engine));
      byok_model_picker_set_available (self->picker, (const char * const *) ids);
    }
  rebuild (self);
  return GTK_WIDGET (self);
}

static void
byok_preferences_window_dispose (GObject *object)
{
  ByokPreferencesWindow *self = BYOK_PREFERENCES_WINDOW (object);

  g_clear_object (&self->engine);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (byok_preferences_window_parent_class)->dispose (object);
}

static void
byok_preferences_window_class_init (ByokPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byok_preferences_window_dispose;

  g_type_ensure (BYOK_TYPE_MODEL_PICKER);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokPreferencesWindow, picker);
  gtk_widget_class_bind_template_child (widget_class, ByokPreferencesWindow, list_box);
  gtk_widget_class_bind_template_child (widget_class, ByokPreferencesWindow, keep_prices_switch);
}

/* Named when shown, not when made: libadwaita 1.10's AdwPreferencesDialog
 * has its pages' groups under it only by then. */
static void
name_lists_cb (GtkWidget *widget)
{
  byok_a11y_name_scrollers (widget, _("Preferences"));
  byok_a11y_name_groups (widget);
}

static void
byok_preferences_window_init (ByokPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "map", G_CALLBACK (name_lists_cb), NULL);

  byok_model_picker_set_empty_label (self->picker, _("Add Model"));
  g_signal_connect_swapped (self->picker, "selected", G_CALLBACK (picker_selected_cb), self);

  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "keep-prices-current", self->keep_prices_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->settings, "changed::fallback-chain", G_CALLBACK (rebuild), self, G_CONNECT_SWAPPED);
}

/**
 * byok_preferences_window_present:
 * @parent: the widget it is for: a window, or any widget in it
 *
 * Shows the preferences over @parent's window.
 */
void
byok_preferences_window_present (GtkWidget *self,
                                 GtkWidget *parent)
{
  g_return_if_fail (BYOK_IS_PREFERENCES_WINDOW (self));

  byok_preferences_present (self, parent, 560, 560);
}
