/* byok-split-view.c — a sidebar beside content that folds in a narrow window
 *
 * Part of the compatibility layer (byok-compat.h). On libadwaita 1.4 and
 * later this is an AdwNavigationSplitView in an AdwBreakpointBin that
 * collapses it at #ByokSplitView:fold-width and below; on libadwaita 1.2 an
 * AdwLeaflet (sidebar, separator, content) that folds when both do not fit.
 * Either way the page sees one thing: "folded", and "show-content" to choose
 * which side a folded view shows.
 */
#define G_LOG_DOMAIN "byok-ui"

#include "config.h"

#include "byok-compat.h"
#include "byok-split-view.h"

struct _ByokSplitView
{
  GtkWidget               parent_instance;

  GtkWidget              *sidebar;
  GtkWidget              *content;
  int                     fold_width;

#ifdef BYOK_HAVE_ADW_BREAKPOINTS
  GtkWidget              *bin;
  AdwNavigationSplitView *split;
  AdwNavigationPage      *sidebar_page;
  AdwNavigationPage      *content_page;
  AdwBreakpoint          *breakpoint;
#else
  AdwLeaflet             *leaflet;
  GtkWidget              *placed[3];   /* sidebar, separator, content */
  gboolean                show_content;
#endif
};

G_DEFINE_FINAL_TYPE (ByokSplitView, byok_split_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SIDEBAR,
  PROP_CONTENT,
  PROP_SIDEBAR_TITLE,
  PROP_CONTENT_TITLE,
  PROP_FOLD_WIDTH,
  PROP_FOLDED,
  PROP_SHOW_CONTENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define DEFAULT_FOLD_WIDTH 640

static void
folded_changed_cb (ByokSplitView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDED]);
}

static void
show_content_changed_cb (ByokSplitView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_CONTENT]);
}

#ifdef BYOK_HAVE_ADW_BREAKPOINTS

/* ---- libadwaita 1.4 and later -------------------------------------------- */

static void
update_breakpoint (ByokSplitView *self)
{
  AdwBreakpointCondition *condition =
    adw_breakpoint_condition_new_length (ADW_BREAKPOINT_CONDITION_MAX_WIDTH, self->fold_width,
                                         ADW_LENGTH_UNIT_PX);

  adw_breakpoint_set_condition (self->breakpoint, condition);
  adw_breakpoint_condition_free (condition);
}

static void
set_up (ByokSplitView *self)
{
  g_auto(GValue) collapsed = G_VALUE_INIT;

  self->bin = adw_breakpoint_bin_new ();
  /* A breakpoint bin needs a size of its own; what it holds asks for more. */
  gtk_widget_set_size_request (self->bin, 300, 200);
  gtk_widget_set_parent (self->bin, GTK_WIDGET (self));

  self->split = ADW_NAVIGATION_SPLIT_VIEW (adw_navigation_split_view_new ());
  adw_navigation_split_view_set_min_sidebar_width (self->split, 240);
  adw_navigation_split_view_set_max_sidebar_width (self->split, 320);
  adw_breakpoint_bin_set_child (ADW_BREAKPOINT_BIN (self->bin), GTK_WIDGET (self->split));

  self->sidebar_page = adw_navigation_page_new (gtk_label_new (NULL), "");
  adw_navigation_page_set_tag (self->sidebar_page, "sidebar");
  adw_navigation_split_view_set_sidebar (self->split, self->sidebar_page);
  self->content_page = adw_navigation_page_new (gtk_label_new (NULL), "");
  adw_navigation_page_set_tag (self->content_page, "content");
  adw_navigation_split_view_set_content (self->split, self->content_page);

  self->breakpoint = adw_breakpoint_new (adw_breakpoint_condition_parse ("max-width: 640px"));
  g_value_init (&collapsed, G_TYPE_BOOLEAN);
  g_value_set_boolean (&collapsed, TRUE);
  adw_breakpoint_add_setter (self->breakpoint, G_OBJECT (self->split), "collapsed", &collapsed);
  update_breakpoint (self);
  adw_breakpoint_bin_add_breakpoint (ADW_BREAKPOINT_BIN (self->bin), self->breakpoint);

  g_signal_connect_object (self->split, "notify::collapsed", G_CALLBACK (folded_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->split, "notify::show-content", G_CALLBACK (show_content_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
place_sidebar (ByokSplitView *self)
{
  adw_navigation_page_set_child (self->sidebar_page, self->sidebar);
}

static void
place_content (ByokSplitView *self)
{
  adw_navigation_page_set_child (self->content_page, self->content);
}

gboolean
byok_split_view_get_folded (ByokSplitView *self)
{
  g_return_val_if_fail (BYOK_IS_SPLIT_VIEW (self), FALSE);

  return adw_navigation_split_view_get_collapsed (self->split);
}

gboolean
byok_split_view_get_show_content (ByokSplitView *self)
{
  g_return_val_if_fail (BYOK_IS_SPLIT_VIEW (self), FALSE);

  return adw_navigation_split_view_get_show_content (self->split);
}

void
byok_split_view_set_show_content (ByokSplitView *self,
                                  gboolean       show_content)
{
  g_return_if_fail (BYOK_IS_SPLIT_VIEW (self));

  adw_navigation_split_view_set_show_content (self->split, show_content);
}

static void
set_titles (ByokSplitView *self,
            const char    *sidebar_title,
            const char    *content_title)
{
  if (sidebar_title != NULL)
    adw_navigation_page_set_title (self->sidebar_page, sidebar_title);
  if (content_title != NULL)
    adw_navigation_page_set_title (self->content_page, content_title);
  /* The split view has actions of its own (navigation.pop): a name too. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->split), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  adw_navigation_page_get_title (self->content_page), -1);
}

static const char *
get_title (ByokSplitView *self,
           gboolean       content)
{
  return adw_navigation_page_get_title (content ? self->content_page : self->sidebar_page);
}

#else

/* ---- libadwaita 1.2 and 1.3 ---------------------------------------------- */

G_GNUC_BEGIN_IGNORE_DEPRECATIONS

static void
visible_child_changed_cb (ByokSplitView *self)
{
  gboolean show_content = adw_leaflet_get_visible_child (self->leaflet) == self->content &&
                          self->content != NULL;

  if (show_content == self->show_content)
    return;
  self->show_content = show_content;
  show_content_changed_cb (self);
}

static void
set_up (ByokSplitView *self)
{
  self->leaflet = ADW_LEAFLET (adw_leaflet_new ());
  adw_leaflet_set_can_navigate_back (self->leaflet, TRUE);
  adw_leaflet_set_transition_type (self->leaflet, ADW_LEAFLET_TRANSITION_TYPE_OVER);
  gtk_widget_set_parent (GTK_WIDGET (self->leaflet), GTK_WIDGET (self));

  g_signal_connect_object (self->leaflet, "notify::folded", G_CALLBACK (folded_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->leaflet, "notify::visible-child", G_CALLBACK (visible_child_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

/* The leaflet's children in order: sidebar, separator, content. */
static void
place_children (ByokSplitView *self)
{
  g_autoptr(GtkWidget) sidebar = self->sidebar != NULL ? g_object_ref (self->sidebar) : NULL;
  g_autoptr(GtkWidget) content = self->content != NULL ? g_object_ref (self->content) : NULL;

  for (guint i = 0; i < G_N_ELEMENTS (self->placed); i++)
    {
      if (self->placed[i] != NULL)
        adw_leaflet_remove (self->leaflet, self->placed[i]);
      g_clear_object (&self->placed[i]);
    }

  if (sidebar != NULL)
    {
      adw_leaflet_append (self->leaflet, sidebar);
      self->placed[0] = g_object_ref (sidebar);
    }
  if (sidebar != NULL && content != NULL)
    {
      GtkWidget *separator = gtk_separator_new (GTK_ORIENTATION_VERTICAL);
      AdwLeafletPage *page = adw_leaflet_append (self->leaflet, separator);

      adw_leaflet_page_set_navigatable (page, FALSE);
      self->placed[1] = g_object_ref (separator);
    }
  if (content != NULL)
    {
      adw_leaflet_append (self->leaflet, content);
      self->placed[2] = g_object_ref (content);
    }
  visible_child_changed_cb (self);
}

static void
place_sidebar (ByokSplitView *self)
{
  place_children (self);
}

static void
place_content (ByokSplitView *self)
{
  place_children (self);
}

gboolean
byok_split_view_get_folded (ByokSplitView *self)
{
  g_return_val_if_fail (BYOK_IS_SPLIT_VIEW (self), FALSE);

  return adw_leaflet_get_folded (self->leaflet);
}

gboolean
byok_split_view_get_show_content (ByokSplitView *self)
{
  g_return_val_if_fail (BYOK_IS_SPLIT_VIEW (self), FALSE);

  return self->show_content;
}

void
byok_split_view_set_show_content (ByokSplitView *self,
                                  gboolean       show_content)
{
  GtkWidget *child;

  g_return_if_fail (BYOK_IS_SPLIT_VIEW (self));

  child = show_content ? self->content : self->sidebar;
  if (child != NULL)
    adw_leaflet_set_visible_child (self->leaflet, child);
}

G_GNUC_END_IGNORE_DEPRECATIONS

/* A leaflet has no page titles; the accessible labels stand in for them. */
static void
set_titles (ByokSplitView *self,
            const char    *sidebar_title,
            const char    *content_title)
{
  if (sidebar_title != NULL)
    g_object_set_data_full (G_OBJECT (self), "sidebar-title", g_strdup (sidebar_title), g_free);
  if (content_title != NULL)
    g_object_set_data_full (G_OBJECT (self), "content-title", g_strdup (content_title), g_free);
}

static const char *
get_title (ByokSplitView *self,
           gboolean       content)
{
  return g_object_get_data (G_OBJECT (self), content ? "content-title" : "sidebar-title");
}

#endif

/* ---- both ---------------------------------------------------------------- */

GtkWidget *
byok_split_view_new (void)
{
  return g_object_new (BYOK_TYPE_SPLIT_VIEW, NULL);
}

void
byok_split_view_set_sidebar (ByokSplitView *self,
                             GtkWidget     *sidebar)
{
  g_return_if_fail (BYOK_IS_SPLIT_VIEW (self));
  g_return_if_fail (sidebar == NULL || GTK_IS_WIDGET (sidebar));

  if (self->sidebar == sidebar)
    return;
  self->sidebar = sidebar;
  place_sidebar (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIDEBAR]);
}

GtkWidget *
byok_split_view_get_sidebar (ByokSplitView *self)
{
  g_return_val_if_fail (BYOK_IS_SPLIT_VIEW (self), NULL);

  return self->sidebar;
}

void
byok_split_view_set_content (ByokSplitView *self,
                             GtkWidget     *content)
{
  g_return_if_fail (BYOK_IS_SPLIT_VIEW (self));
  g_return_if_fail (content == NULL || GTK_IS_WIDGET (content));

  if (self->content == content)
    return;
  self->content = content;
  place_content (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTENT]);
}

GtkWidget *
byok_split_view_get_content (ByokSplitView *self)
{
  g_return_val_if_fail (BYOK_IS_SPLIT_VIEW (self), NULL);

  return self->content;
}

static void
byok_split_view_dispose (GObject *object)
{
  ByokSplitView *self = BYOK_SPLIT_VIEW (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
#ifndef BYOK_HAVE_ADW_BREAKPOINTS
  for (guint i = 0; i < G_N_ELEMENTS (self->placed); i++)
    g_clear_object (&self->placed[i]);
#endif
  self->sidebar = NULL;
  self->content = NULL;

  G_OBJECT_CLASS (byok_split_view_parent_class)->dispose (object);
}

static void
byok_split_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ByokSplitView *self = BYOK_SPLIT_VIEW (object);

  switch (prop_id)
    {
    case PROP_SIDEBAR:
      g_value_set_object (value, self->sidebar);
      break;
    case PROP_CONTENT:
      g_value_set_object (value, self->content);
      break;
    case PROP_SIDEBAR_TITLE:
      g_value_set_string (value, get_title (self, FALSE));
      break;
    case PROP_CONTENT_TITLE:
      g_value_set_string (value, get_title (self, TRUE));
      break;
    case PROP_FOLD_WIDTH:
      g_value_set_int (value, self->fold_width);
      break;
    case PROP_FOLDED:
      g_value_set_boolean (value, byok_split_view_get_folded (self));
      break;
    case PROP_SHOW_CONTENT:
      g_value_set_boolean (value, byok_split_view_get_show_content (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_split_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  ByokSplitView *self = BYOK_SPLIT_VIEW (object);

  switch (prop_id)
    {
    case PROP_SIDEBAR:
      byok_split_view_set_sidebar (self, g_value_get_object (value));
      break;
    case PROP_CONTENT:
      byok_split_view_set_content (self, g_value_get_object (value));
      break;
    case PROP_SIDEBAR_TITLE:
      set_titles (self, g_value_get_string (value), NULL);
      break;
    case PROP_CONTENT_TITLE:
      set_titles (self, NULL, g_value_get_string (value));
      break;
    case PROP_FOLD_WIDTH:
      self->fold_width = g_value_get_int (value);
#ifdef BYOK_HAVE_ADW_BREAKPOINTS
      update_breakpoint (self);
#endif
      break;
    case PROP_SHOW_CONTENT:
      byok_split_view_set_show_content (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_split_view_class_init (ByokSplitViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byok_split_view_dispose;
  object_class->get_property = byok_split_view_get_property;
  object_class->set_property = byok_split_view_set_property;

  properties[PROP_SIDEBAR] =
    g_param_spec_object ("sidebar", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTENT] =
    g_param_spec_object ("content", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIDEBAR_TITLE] =
    g_param_spec_string ("sidebar-title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTENT_TITLE] =
    g_param_spec_string ("content-title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /* Only where breakpoints exist; a leaflet folds when its pages do not fit. */
  properties[PROP_FOLD_WIDTH] =
    g_param_spec_int ("fold-width", NULL, NULL, 0, G_MAXINT, DEFAULT_FOLD_WIDTH,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_CONTENT] =
    g_param_spec_boolean ("show-content", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
byok_split_view_init (ByokSplitView *self)
{
  self->fold_width = DEFAULT_FOLD_WIDTH;
  set_up (self);
}
