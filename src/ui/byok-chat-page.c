/* byok-chat-page.c — the Chat page */
#define G_LOG_DOMAIN "byok-chat-page"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-chat-page.h"

struct _ByokChatPage
{
  AdwBin          parent_instance;

  AdwStatusPage  *empty_page;
};

G_DEFINE_FINAL_TYPE (ByokChatPage, byok_chat_page, ADW_TYPE_BIN)

static void
byok_chat_page_class_init (ByokChatPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-chat-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokChatPage, empty_page);
}

static void
byok_chat_page_init (ByokChatPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
