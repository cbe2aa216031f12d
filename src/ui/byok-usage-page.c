/* byok-usage-page.c — the Usage page */
#define G_LOG_DOMAIN "byok-usage-page"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-usage-page.h"

struct _ByokUsagePage
{
  AdwBin          parent_instance;

  AdwStatusPage  *empty_page;
};

G_DEFINE_FINAL_TYPE (ByokUsagePage, byok_usage_page, ADW_TYPE_BIN)

static void
byok_usage_page_class_init (ByokUsagePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-usage-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokUsagePage, empty_page);
}

static void
byok_usage_page_init (ByokUsagePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
