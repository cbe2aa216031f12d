/* byok-providers-page.c — the Providers page */
#define G_LOG_DOMAIN "byok-providers-page"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-providers-page.h"

struct _ByokProvidersPage
{
  AdwBin          parent_instance;

  AdwStatusPage  *empty_page;
};

G_DEFINE_FINAL_TYPE (ByokProvidersPage, byok_providers_page, ADW_TYPE_BIN)

static void
byok_providers_page_class_init (ByokProvidersPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-providers-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokProvidersPage, empty_page);
}

static void
byok_providers_page_init (ByokProvidersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
