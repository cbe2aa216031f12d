/* byok-attachment-preview.c — an attached file, looked at */
#define G_LOG_DOMAIN "byok-attachment"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-attachment-chip.h"
#include "byok-attachment-preview.h"
#include "byok-attachment-texture.h"

struct _ByokAttachmentPreview
{
  AdwWindow       parent_instance;

  ByokAttachment *attachment;
  GCancellable   *cancellable;
  gboolean        ready;

  AdwWindowTitle *window_title;
  GtkStack       *stack;
  GtkSpinner     *spinner;
  GtkPicture     *picture;
  GtkTextView    *text_view;
  AdwStatusPage  *status_page;
};

G_DEFINE_FINAL_TYPE (ByokAttachmentPreview, byok_attachment_preview, ADW_TYPE_WINDOW)

const ByokAttachment *
byok_attachment_preview_get_attachment (ByokAttachmentPreview *self)
{
  g_return_val_if_fail (BYOK_IS_ATTACHMENT_PREVIEW (self), NULL);

  return self->attachment;
}

gboolean
byok_attachment_preview_get_ready (ByokAttachmentPreview *self)
{
  g_return_val_if_fail (BYOK_IS_ATTACHMENT_PREVIEW (self), FALSE);

  return self->ready;
}

static void
show_status (ByokAttachmentPreview *self,
             const char            *icon_name,
             const char            *title,
             const char            *description)
{
  adw_status_page_set_icon_name (self->status_page, icon_name);
  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, description);
  gtk_stack_set_visible_child_name (self->stack, "empty");
  self->ready = TRUE;
}

static void
texture_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ByokAttachmentPreview) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = byok_attachment_texture_load_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_spinner_stop (self->spinner);
  if (texture == NULL)
    {
      show_status (self, "image-missing-symbolic", _("The Image Cannot Be Shown"), error->message);
      return;
    }
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  gtk_stack_set_visible_child_name (self->stack, "image");
  self->ready = TRUE;
}

static void
set_attachment (ByokAttachmentPreview *self,
                const ByokAttachment  *attachment)
{
  g_autofree char *detail = byok_attachment_chip_describe (attachment);

  self->attachment = byok_attachment_copy (attachment);
  gtk_window_set_title (GTK_WINDOW (self), attachment->name);
  adw_window_title_set_title (self->window_title, attachment->name);
  adw_window_title_set_subtitle (self->window_title, detail);

  switch (attachment->kind)
    {
    case BYOK_ATTACHMENT_IMAGE:
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, attachment->name, -1);
      gtk_stack_set_visible_child_name (self->stack, "loading");
      gtk_spinner_start (self->spinner);
      byok_attachment_texture_load_async (attachment, 0, self->cancellable, texture_loaded_cb, g_object_ref (self));
      break;
    case BYOK_ATTACHMENT_PDF:
      if (byok_attachment_is_scan (attachment))
        {
          show_status (self, "x-office-document-symbolic", _("No Text in This PDF"),
                       _("Scanned PDF: only models that read PDFs natively can see it"));
          break;
        }
      G_GNUC_FALLTHROUGH;
    case BYOK_ATTACHMENT_TEXT:
    default:
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view),
                                attachment->text != NULL ? attachment->text : "", -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, attachment->name, -1);
      gtk_stack_set_visible_child_name (self->stack, "text");
      self->ready = TRUE;
      break;
    }
}

/**
 * byok_attachment_preview_present:
 * @parent: a widget of the window it shows over
 * @attachment: copied
 *
 * Opens a preview of @attachment, as large as the window it shows over.
 *
 * Returns: (transfer none): the preview window
 */
GtkWidget *
byok_attachment_preview_present (GtkWidget            *parent,
                                 const ByokAttachment *attachment)
{
  ByokAttachmentPreview *self;
  GtkRoot *root;

  g_return_val_if_fail (GTK_IS_WIDGET (parent), NULL);
  g_return_val_if_fail (attachment != NULL, NULL);

  self = g_object_new (BYOK_TYPE_ATTACHMENT_PREVIEW, NULL);
  root = gtk_widget_get_root (parent);
  if (GTK_IS_WINDOW (root))
    {
      int width = gtk_widget_get_width (GTK_WIDGET (root));
      int height = gtk_widget_get_height (GTK_WIDGET (root));

      gtk_window_set_transient_for (GTK_WINDOW (self), GTK_WINDOW (root));
      if (width > 0 && height > 0)
        gtk_window_set_default_size (GTK_WINDOW (self), MAX (360, width * 9 / 10), MAX (294, height * 9 / 10));
    }
  set_attachment (self, attachment);
  gtk_window_present (GTK_WINDOW (self));
  return GTK_WIDGET (self);
}

static void
byok_attachment_preview_dispose (GObject *object)
{
  ByokAttachmentPreview *self = BYOK_ATTACHMENT_PREVIEW (object);

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (byok_attachment_preview_parent_class)->dispose (object);
}

static void
byok_attachment_preview_finalize (GObject *object)
{
  ByokAttachmentPreview *self = BYOK_ATTACHMENT_PREVIEW (object);

  g_clear_pointer (&self->attachment, byok_attachment_free);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (byok_attachment_preview_parent_class)->finalize (object);
}

static void
byok_attachment_preview_class_init (ByokAttachmentPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byok_attachment_preview_dispose;
  object_class->finalize = byok_attachment_preview_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-attachment-preview.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokAttachmentPreview, window_title);
  gtk_widget_class_bind_template_child (widget_class, ByokAttachmentPreview, stack);
  gtk_widget_class_bind_template_child (widget_class, ByokAttachmentPreview, spinner);
  gtk_widget_class_bind_template_child (widget_class, ByokAttachmentPreview, picture);
  gtk_widget_class_bind_template_child (widget_class, ByokAttachmentPreview, text_view);
  gtk_widget_class_bind_template_child (widget_class, ByokAttachmentPreview, status_page);
}

static void
byok_attachment_preview_init (ByokAttachmentPreview *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
