/* byok-attachment-chip.c — one attached file, as a chip */
#define G_LOG_DOMAIN "byok-attachment"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-attachment-chip.h"
#include "byok-attachment-preview.h"
#include "byok-attachment-texture.h"
#include "byok-error.h"
#include "byok-format.h"

/* The thumbnail of a chip, and the largest picture in a bubble. */
#define THUMBNAIL_SIZE 40
#define LARGE_WIDTH    240
#define LARGE_HEIGHT   180

struct _ByokAttachmentChip
{
  AdwBin          parent_instance;

  ByokAttachment *attachment;
  char           *name;
  GCancellable   *cancellable;
  gboolean        removable;
  gboolean        large;
  gboolean        has_thumbnail;

  GtkWidget      *box;
  GtkButton      *open_button;
  GtkStack       *lead_stack;
  GtkImage       *icon;
  GtkSpinner     *spinner;
  GtkWidget      *thumbnail_size;
  GtkPicture     *thumbnail;
  GtkWidget      *text_box;
  GtkLabel       *name_label;
  GtkImage       *warning_icon;
  GtkLabel       *detail_label;
  GtkButton      *remove_button;
};

G_DEFINE_FINAL_TYPE (ByokAttachmentChip, byok_attachment_chip, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_REMOVABLE,
  PROP_LARGE,
  N_PROPS
};

enum {
  REMOVE,
  THUMBNAIL_READY,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/**
 * byok_attachment_chip_describe:
 *
 * Returns: (transfer full): the line under a chip's name: an image's size,
 *   a PDF's pages, and the estimated tokens
 */
char *
byok_attachment_chip_describe (const ByokAttachment *attachment)
{
  g_autofree char *tokens = NULL;

  g_return_val_if_fail (attachment != NULL, NULL);

  tokens = byok_format_tokens (attachment->tokens);
  switch (attachment->kind)
    {
    case BYOK_ATTACHMENT_IMAGE:
      if (attachment->width > 0 && attachment->height > 0)
        /* Translators: an attached image: its size in pixels and its
         * estimated tokens ("1568 × 1045 · ≈2.2k tokens") */
        return g_strdup_printf (_("%d × %d · ≈%s tokens"), attachment->width, attachment->height, tokens);
      break;
    case BYOK_ATTACHMENT_PDF:
      /* Translators: an attached PDF: its pages and estimated tokens
       * ("12 pages · ≈8.1k tokens") */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d page · ≈%s tokens", "%d pages · ≈%s tokens",
                                           attachment->pages),
                              attachment->pages, tokens);
    case BYOK_ATTACHMENT_TEXT:
    default:
      break;
    }
  /* Translators: the estimated size of an attached file ("≈12.3k tokens") */
  return g_strdup_printf (_("≈%s tokens"), tokens);
}

static const char *
kind_icon (const ByokAttachment *attachment)
{
  switch (attachment->kind)
    {
    case BYOK_ATTACHMENT_IMAGE:
      return "image-x-generic-symbolic";
    case BYOK_ATTACHMENT_PDF:
      return "x-office-document-symbolic";
    case BYOK_ATTACHMENT_TEXT:
    default:
      return "text-x-generic-symbolic";
    }
}

/* The picture in a bubble: within LARGE_WIDTH × LARGE_HEIGHT, its shape
 * kept, never larger than the image. */
static void
large_size (const ByokAttachment *attachment,
            int                  *width,
            int                  *height)
{
  double scale;

  if (attachment->width <= 0 || attachment->height <= 0)
    {
      *width = LARGE_WIDTH;
      *height = LARGE_HEIGHT;
      return;
    }
  scale = MIN (1.0, MIN ((double) LARGE_WIDTH / attachment->width, (double) LARGE_HEIGHT / attachment->height));
  *width = MAX (24, (int) (attachment->width * scale + 0.5));
  *height = MAX (24, (int) (attachment->height * scale + 0.5));
}

static void
thumbnail_loaded_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(ByokAttachmentChip) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = byok_attachment_texture_load_finish (result, &error);

  if (texture == NULL)
    {
      /* The icon stays: the image cannot be shown, but it is attached. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No thumbnail for %s: %s", self->name, error->message);
      return;
    }
  gtk_picture_set_paintable (self->thumbnail, GDK_PAINTABLE (texture));
  gtk_stack_set_visible_child_name (self->lead_stack, "thumbnail");
  self->has_thumbnail = TRUE;
  g_signal_emit (self, signals[THUMBNAIL_READY], 0);
}

static void
update (ByokAttachmentChip *self)
{
  const ByokAttachment *attachment = self->attachment;
  g_autofree char *detail = NULL;
  g_autofree char *open_label = NULL;
  g_autofree char *remove_label = NULL;
  gboolean image = attachment != NULL && attachment->kind == BYOK_ATTACHMENT_IMAGE;
  gboolean large = self->large && image;
  gboolean scanned = attachment != NULL && byok_attachment_is_scan (attachment);
  int width = THUMBNAIL_SIZE, height = THUMBNAIL_SIZE;

  gtk_label_set_label (self->name_label, self->name);
  gtk_widget_set_visible (GTK_WIDGET (self->remove_button), self->removable);
  gtk_widget_set_visible (self->text_box, !large);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->open_button), NULL);
  if (large)
    gtk_widget_add_css_class (self->box, "large");
  else
    gtk_widget_remove_css_class (self->box, "large");

  if (attachment == NULL)
    {
      gtk_stack_set_visible_child_name (self->lead_stack, "loading");
      gtk_spinner_start (self->spinner);
      gtk_label_set_label (self->detail_label, _("Reading…"));
      gtk_widget_set_visible (GTK_WIDGET (self->warning_icon), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->open_button), FALSE);
      /* Translators: a file being read to be attached; %s is its name */
      open_label = g_strdup_printf (_("Reading %s"), self->name);
    }
  else
    {
      gtk_spinner_stop (self->spinner);
      detail = byok_attachment_chip_describe (attachment);
      gtk_label_set_label (self->detail_label, detail);
      gtk_image_set_from_icon_name (self->icon, kind_icon (attachment));
      if (!self->has_thumbnail)
        gtk_stack_set_visible_child_name (self->lead_stack, "icon");
      gtk_widget_set_visible (GTK_WIDGET (self->warning_icon), scanned);
      gtk_widget_set_sensitive (GTK_WIDGET (self->open_button), TRUE);
      /* Translators: the chip of an attached file opens its preview; %s is its name */
      open_label = g_strdup_printf (_("Preview %s"), attachment->name);
      if (scanned)
        gtk_widget_set_tooltip_text (GTK_WIDGET (self->open_button),
                                     _("Scanned PDF: only models that read PDFs natively can see it"));
      else if (large)
        gtk_widget_set_tooltip_text (GTK_WIDGET (self->open_button), attachment->name);
    }

  if (large)
    large_size (attachment, &width, &height);
  gtk_widget_set_size_request (self->thumbnail_size, width, height);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->open_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, open_label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  scanned ? _("Scanned PDF: only models that read PDFs natively can see it")
                                          : (detail != NULL ? detail : ""),
                                  -1);
  /* Translators: the button that removes an attached file; %s is its name */
  remove_label = g_strdup_printf (_("Remove %s"), self->name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
}

static void
load_thumbnail (ByokAttachmentChip *self)
{
  int width = THUMBNAIL_SIZE, height = THUMBNAIL_SIZE;
  int scale = MAX (2, gtk_widget_get_scale_factor (GTK_WIDGET (self)));

  if (self->attachment == NULL || self->attachment->kind != BYOK_ATTACHMENT_IMAGE)
    return;
  if (self->large)
    large_size (self->attachment, &width, &height);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  byok_attachment_texture_load_async (self->attachment, MIN (width, height) * scale, self->cancellable,
                                      thumbnail_loaded_cb, g_object_ref (self));
}

/**
 * byok_attachment_chip_new:
 * @attachment: copied
 */
GtkWidget *
byok_attachment_chip_new (const ByokAttachment *attachment)
{
  ByokAttachmentChip *self;

  g_return_val_if_fail (attachment != NULL, NULL);

  self = g_object_new (BYOK_TYPE_ATTACHMENT_CHIP, NULL);
  byok_attachment_chip_set_attachment (self, attachment);
  return GTK_WIDGET (self);
}

/**
 * byok_attachment_chip_new_loading:
 * @name: the file's name, shown while it is read
 */
GtkWidget *
byok_attachment_chip_new_loading (const char *name)
{
  ByokAttachmentChip *self = g_object_new (BYOK_TYPE_ATTACHMENT_CHIP, NULL);

  self->name = g_strdup (name != NULL ? name : "");
  update (self);
  return GTK_WIDGET (self);
}

/**
 * byok_attachment_chip_get_attachment:
 *
 * Returns: (transfer none) (nullable): the attachment, %NULL while loading
 */
const ByokAttachment *
byok_attachment_chip_get_attachment (ByokAttachmentChip *self)
{
  g_return_val_if_fail (BYOK_IS_ATTACHMENT_CHIP (self), NULL);

  return self->attachment;
}

/**
 * byok_attachment_chip_set_attachment:
 * @attachment: copied
 *
 * What the chip shows: a loading chip becomes the attachment's.
 */
void
byok_attachment_chip_set_attachment (ByokAttachmentChip   *self,
                                     const ByokAttachment *attachment)
{
  g_return_if_fail (BYOK_IS_ATTACHMENT_CHIP (self));
  g_return_if_fail (attachment != NULL);

  g_clear_pointer (&self->attachment, byok_attachment_free);
  self->attachment = byok_attachment_copy (attachment);
  g_free (self->name);
  self->name = g_strdup (attachment->name);
  self->has_thumbnail = FALSE;
  gtk_picture_set_paintable (self->thumbnail, NULL);
  update (self);
  load_thumbnail (self);
}

const char *
byok_attachment_chip_get_name (ByokAttachmentChip *self)
{
  g_return_val_if_fail (BYOK_IS_ATTACHMENT_CHIP (self), NULL);

  return self->name;
}

gboolean
byok_attachment_chip_get_loading (ByokAttachmentChip *self)
{
  g_return_val_if_fail (BYOK_IS_ATTACHMENT_CHIP (self), FALSE);

  return self->attachment == NULL;
}

/* Whether an image's thumbnail has been decoded and shows. */
gboolean
byok_attachment_chip_get_has_thumbnail (ByokAttachmentChip *self)
{
  g_return_val_if_fail (BYOK_IS_ATTACHMENT_CHIP (self), FALSE);

  return self->has_thumbnail;
}

gboolean
byok_attachment_chip_get_removable (ByokAttachmentChip *self)
{
  g_return_val_if_fail (BYOK_IS_ATTACHMENT_CHIP (self), FALSE);

  return self->removable;
}

void
byok_attachment_chip_set_removable (ByokAttachmentChip *self,
                                    gboolean            removable)
{
  g_return_if_fail (BYOK_IS_ATTACHMENT_CHIP (self));

  removable = !!removable;
  if (self->removable == removable)
    return;
  self->removable = removable;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMOVABLE]);
}

gboolean
byok_attachment_chip_get_large (ByokAttachmentChip *self)
{
  g_return_val_if_fail (BYOK_IS_ATTACHMENT_CHIP (self), FALSE);

  return self->large;
}

void
byok_attachment_chip_set_large (ByokAttachmentChip *self,
                                gboolean            large)
{
  g_return_if_fail (BYOK_IS_ATTACHMENT_CHIP (self));

  large = !!large;
  if (self->large == large)
    return;
  self->large = large;
  update (self);
  if (self->attachment != NULL && self->attachment->kind == BYOK_ATTACHMENT_IMAGE)
    load_thumbnail (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LARGE]);
}

static void
on_open_clicked (ByokAttachmentChip *self)
{
  if (self->attachment != NULL)
    byok_attachment_preview_present (GTK_WIDGET (self), self->attachment);
}

static void
on_remove_clicked (ByokAttachmentChip *self)
{
  /* A file sent with a message stays (Delete does nothing there). */
  if (self->removable)
    g_signal_emit (self, signals[REMOVE], 0);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  on_remove_clicked (BYOK_ATTACHMENT_CHIP (widget));
}

static void
byok_attachment_chip_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  ByokAttachmentChip *self = BYOK_ATTACHMENT_CHIP (object);

  switch (prop_id)
    {
    case PROP_REMOVABLE:
      g_value_set_boolean (value, self->removable);
      break;
    case PROP_LARGE:
      g_value_set_boolean (value, self->large);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_attachment_chip_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  ByokAttachmentChip *self = BYOK_ATTACHMENT_CHIP (object);

  switch (prop_id)
    {
    case PROP_REMOVABLE:
      byok_attachment_chip_set_removable (self, g_value_get_boolean (value));
      break;
    case PROP_LARGE:
      byok_attachment_chip_set_large (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_attachment_chip_dispose (GObject *object)
{
  ByokAttachmentChip *self = BYOK_ATTACHMENT_CHIP (object);

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (byok_attachment_chip_parent_class)->dispose (object);
}

static void
byok_attachment_chip_finalize (GObject *object)
{
  ByokAttachmentChip *self = BYOK_ATTACHMENT_CHIP (object);

  g_clear_pointer (&self->attachment, byok_attachment_free);
  g_clear_object (&self->cancellable);
  g_free (self->name);

  G_OBJECT_CLASS (byok_attachment_chip_parent_class)->finalize (object);
}

static void
byok_attachment_chip_class_init (ByokAttachmentChipClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = byok_attachment_chip_get_property;
  object_class->set_property = byok_attachment_chip_set_property;
  object_class->dispose = byok_attachment_chip_dispose;
  object_class->finalize = byok_attachment_chip_finalize;

  properties[PROP_REMOVABLE] =
    g_param_spec_boolean ("removable", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LARGE] =
    g_param_spec_boolean ("large", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ByokAttachmentChip::remove:
   * The person clicked the chip's ×.
   */
  signals[REMOVE] =
    g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * ByokAttachmentChip::thumbnail-ready:
   * An image's thumbnail was decoded and shows.
   */
  signals[THUMBNAIL_READY] =
    g_signal_new ("thumbnail-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-attachment-chip.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokAttachmentChip, box);
  gtk_widget_class_bind_template_child (widget_class, ByokAttachmentChip, open_button);
  gtk_widget_class_bind_template_child (widget_class, ByokAttachmentChip, lead_stack);
  gtk_widget_class_bind_template_child (widget_class, ByokAttachmentChip, icon);
  gtk_widget_class_bind_template_child (widget_class, ByokAttachmentChip, spinner);
  gtk_widget_class_bind_template_child (widget_class, ByokAttachmentChip, thumbnail_size);
  gtk_widget_class_bind_template_child (widget_class, ByokAttachmentChip, thumbnail);
  gtk_widget_class_bind_template_child (widget_class, ByokAttachmentChip, text_box);
  gtk_widget_class_bind_template_child (widget_class, ByokAttachmentChip, name_label);
  gtk_widget_class_bind_template_child (widget_class, ByokAttachmentChip, warning_icon);
  gtk_widget_class_bind_template_child (widget_class, ByokAttachmentChip, detail_label);
  gtk_widget_class_bind_template_child (widget_class, ByokAttachmentChip, remove_button);

  gtk_widget_class_bind_template_callback (widget_class, on_open_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked);
  gtk_widget_class_install_action (widget_class, "chip.remove", NULL, remove_action);
  /* Delete on a focused chip removes it, as its × does. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "chip.remove", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "chip.remove", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0, "chip.remove", NULL);
}

static void
byok_attachment_chip_init (ByokAttachmentChip *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_size_request (self->thumbnail_size, THUMBNAIL_SIZE, THUMBNAIL_SIZE);
}
