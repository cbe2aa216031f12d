/* byok-attachment-tray.c — the files attached to the next message */
#define G_LOG_DOMAIN "byok-attachment"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-attachment-chip.h"
#include "byok-attachment-tray.h"
#include "byok-compat.h"
#include "byok-error.h"

struct _ByokAttachmentTray
{
  AdwBin        parent_instance;

  /* Of ByokAttachment*, in the order of their chips. */
  GPtrArray    *attachments;
  GCancellable *cancellable;
  guint         loading;
  gboolean      choosing;

  GtkBox       *box;
};

G_DEFINE_FINAL_TYPE (ByokAttachmentTray, byok_attachment_tray, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

enum {
  CHANGED,
  REMOVED,
  FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The MIME types a person can attach, for the file chooser's filters. */
static const char * const image_types[] = { "image/png", "image/jpeg", "image/webp", "image/gif", NULL };
static const char * const text_types[] = { "text/*", "application/json", "application/xml", "application/x-yaml", NULL };

/**
 * byok_attachment_tray_get_attachments:
 *
 * Returns: (transfer none) (element-type ByokAttachment): what is attached
 */
GPtrArray *
byok_attachment_tray_get_attachments (ByokAttachmentTray *self)
{
  g_return_val_if_fail (BYOK_IS_ATTACHMENT_TRAY (self), NULL);

  return self->attachments;
}

gboolean
byok_attachment_tray_get_loading (ByokAttachmentTray *self)
{
  g_return_val_if_fail (BYOK_IS_ATTACHMENT_TRAY (self), FALSE);

  return self->loading > 0;
}

static void
update_visible (ByokAttachmentTray *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self), gtk_widget_get_first_child (GTK_WIDGET (self->box)) != NULL);
}

static void
set_loading (ByokAttachmentTray *self,
             guint               loading)
{
  gboolean was = self->loading > 0;

  self->loading = loading;
  if (was != (loading > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* The attachments before @chip, which is where its own goes. */
static guint
index_of_chip (ByokAttachmentTray *self,
               GtkWidget          *chip)
{
  guint index = 0;

  for (GtkWidget *other = gtk_widget_get_first_child (GTK_WIDGET (self->box));
       other != NULL; other = gtk_widget_get_next_sibling (other))
    {
      if (other == chip)
        break;
      if (BYOK_IS_ATTACHMENT_CHIP (other) && !byok_attachment_chip_get_loading (BYOK_ATTACHMENT_CHIP (other)))
        index++;
    }
  return index;
}

static void
remove_chip (ByokAttachmentTray *self,
             GtkWidget          *chip)
{
  if (!byok_attachment_chip_get_loading (BYOK_ATTACHMENT_CHIP (chip)))
    g_ptr_array_remove_index (self->attachments, index_of_chip (self, chip));
  else
    /* Removing a file still read stops reading it. */
    g_cancellable_cancel (g_object_get_data (G_OBJECT (chip), "byok-cancellable"));
  gtk_box_remove (self->box, chip);
  update_visible (self);
}

static void
chip_remove_cb (ByokAttachmentChip *chip,
                ByokAttachmentTray *self)
{
  remove_chip (self, GTK_WIDGET (chip));
  g_signal_emit (self, signals[CHANGED], 0);
  g_signal_emit (self, signals[REMOVED], 0);
}

static GtkWidget *
append_chip (ByokAttachmentTray *self,
             GtkWidget          *chip)
{
  byok_attachment_chip_set_removable (BYOK_ATTACHMENT_CHIP (chip), TRUE);
  g_signal_connect_object (chip, "remove", G_CALLBACK (chip_remove_cb), self, 0);
  gtk_box_append (self->box, chip);
  update_visible (self);
  return chip;
}

/**
 * byok_attachment_tray_add:
 * @attachment: copied
 */
void
byok_attachment_tray_add (ByokAttachmentTray   *self,
                          const ByokAttachment *attachment)
{
  g_return_if_fail (BYOK_IS_ATTACHMENT_TRAY (self));
  g_return_if_fail (attachment != NULL);

  g_ptr_array_add (self->attachments, byok_attachment_copy (attachment));
  append_chip (self, byok_attachment_chip_new (attachment));
  g_signal_emit (self, signals[CHANGED], 0);
}

void
byok_attachment_tray_clear (ByokAttachmentTray *self)
{
  GtkWidget *child;

  g_return_if_fail (BYOK_IS_ATTACHMENT_TRAY (self));

  if (gtk_widget_get_first_child (GTK_WIDGET (self->box)) == NULL)
    return;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->box))) != NULL)
    remove_chip (self, child);
  g_ptr_array_set_size (self->attachments, 0);
  update_visible (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* ---- reading files in the background ------------------------------------- */

typedef struct {
  ByokAttachmentTray *tray;
  GtkWidget          *chip;
} Loading;

static void
loading_free (Loading *loading)
{
  g_object_unref (loading->tray);
  g_object_unref (loading->chip);
  g_free (loading);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Loading, loading_free)

/* A chip with a spinner, at once; the attachment replaces it when read. */
static Loading *
start_loading (ByokAttachmentTray *self,
               const char         *name,
               GCancellable      **cancellable)
{
  Loading *loading = g_new0 (Loading, 1);
  GCancellable *own = g_cancellable_new ();

  loading->tray = g_object_ref (self);
  loading->chip = g_object_ref (append_chip (self, byok_attachment_chip_new_loading (name)));
  /* The chip's own, so that its × stops this file alone; the tray's stops all. */
  g_cancellable_connect (self->cancellable, G_CALLBACK (g_cancellable_cancel), g_object_ref (own), g_object_unref);
  g_object_set_data_full (G_OBJECT (loading->chip), "byok-cancellable", own, g_object_unref);
  *cancellable = own;
  set_loading (self, self->loading + 1);
  g_signal_emit (self, signals[CHANGED], 0);
  return loading;
}

static void
finish_loading (Loading        *loading,
                ByokAttachment *attachment,
                GError         *error)
{
  ByokAttachmentTray *self = loading->tray;
  gboolean removed = gtk_widget_get_parent (loading->chip) != GTK_WIDGET (self->box);

  set_loading (self, self->loading - 1);
  if (attachment != NULL && !removed)
    {
      g_ptr_array_insert (self->attachments, index_of_chip (self, loading->chip), byok_attachment_copy (attachment));
      byok_attachment_chip_set_attachment (BYOK_ATTACHMENT_CHIP (loading->chip), attachment);
    }
  else
    {
      if (!removed)
        {
          gtk_box_remove (self->box, loading->chip);
          update_visible (self);
        }
      if (error != NULL && !g_error_matches (error, BYOK_ERROR, BYOK_ERROR_CANCELLED) &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_signal_emit (self, signals[FAILED], 0, error->message);
    }
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
file_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Loading) loading = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokAttachment) attachment = byok_attachment_load_finish (result, &error);

  finish_loading (loading, attachment, error);
}

/**
 * byok_attachment_tray_attach_file:
 *
 * Reads @file in the background and attaches it; emits "failed" with a
 * message that names it if it cannot be attached.
 */
void
byok_attachment_tray_attach_file (ByokAttachmentTray *self,
                                  GFile              *file)
{
  g_autofree char *name = NULL;
  GCancellable *cancellable = NULL;
  Loading *loading;

  g_return_if_fail (BYOK_IS_ATTACHMENT_TRAY (self));
  g_return_if_fail (G_IS_FILE (file));

  name = g_file_get_basename (file);
  loading = start_loading (self, name, &cancellable);
  byok_attachment_load_async (file, cancellable, file_loaded_cb, loading);
}

/* A pasted image is no larger than the envelope the core fits images
 * into (byok-attachment.h): it will be scaled down to that anyway, and a
 * photograph of tens of megapixels saved whole as PNG would be larger than
 * any attachment may be (and slow to save). */
#ifdef BYOK_ATTACHMENT_IMAGE_MAX_EDGE
#define PASTE_MAX_EDGE BYOK_ATTACHMENT_IMAGE_MAX_EDGE
#else
#define PASTE_MAX_EDGE 1568
#endif

static cairo_status_t
append_png_cb (void                *closure,
               const unsigned char *data,
               unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* The texture as PNG, scaled down to PASTE_MAX_EDGE on its long edge. */
static GBytes *
texture_to_png (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  double scale = MIN (1.0, (double) PASTE_MAX_EDGE / MAX (width, height));
  g_autoptr(GByteArray) png = g_byte_array_new ();
  cairo_surface_t *source, *scaled;
  cairo_t *cr;

  if (scale >= 1.0)
    return gdk_texture_save_to_png_bytes (texture);

  source = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  gdk_texture_download (texture, cairo_image_surface_get_data (source), cairo_image_surface_get_stride (source));
  cairo_surface_mark_dirty (source);
  scaled = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, MAX (1, (int) (width * scale)),
                                       MAX (1, (int) (height * scale)));
  cr = cairo_create (scaled);
  cairo_scale (cr, scale, scale);
  cairo_set_source_surface (cr, source, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_destroy (source);
  cairo_surface_write_to_png_stream (scaled, append_png_cb, png);
  cairo_surface_destroy (scaled);
  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

/* A pasted image (the task's data): saved as PNG and made an attachment
 * in a worker thread; pasted bytes too large to attach as they are (a
 * huge PNG, the task's "byok-bytes") are decoded into a texture here
 * first. */
static void
texture_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  const char *name = g_object_get_data (G_OBJECT (task), "byok-name");
  GBytes *bytes = g_object_get_data (G_OBJECT (task), "byok-bytes");
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) png = NULL;
  GError *error = NULL;
  ByokAttachment *attachment;

  if (bytes == NULL)
    texture = g_object_ref (task_data);
  else if ((texture = gdk_texture_new_from_bytes (bytes, &error)) == NULL)
    {
      g_autoptr(GError) local_error = error;

      g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_INVALID,
                               _("“%s” is not an image Byok can read: %s"), name, local_error->message);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  png = texture_to_png (texture);

  if (g_task_return_error_if_cancelled (task))
    return;
  attachment = byok_attachment_new_from_bytes (name, png, &error);
  if (attachment == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, attachment, (GDestroyNotify) byok_attachment_free);
}

static void
texture_attached_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Loading) loading = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokAttachment) attachment = g_task_propagate_pointer (G_TASK (result), &error);

  finish_loading (loading, attachment, error);
}

/**
 * byok_attachment_tray_attach_texture:
 *
 * Attaches an image (a pasted screenshot) as a PNG named for the time it
 * was pasted.
 */
/* "Pasted image 09-41-12.png" */
static char *
pasted_image_name (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (now, "%H-%M-%S");

  /* Translators: the file name of a pasted image; %s is the time it was
   * pasted ("09-41-12"). Keep it a valid file name */
  return g_strdup_printf (_("Pasted image %s.png"), time);
}

void
byok_attachment_tray_attach_texture (ByokAttachmentTray *self,
                                     GdkTexture         *texture)
{
  g_autofree char *name = NULL;
  g_autoptr(GTask) task = NULL;
  GCancellable *cancellable = NULL;
  Loading *loading;

  g_return_if_fail (BYOK_IS_ATTACHMENT_TRAY (self));
  g_return_if_fail (GDK_IS_TEXTURE (texture));

  name = pasted_image_name ();
  loading = start_loading (self, name, &cancellable);
  task = g_task_new (NULL, cancellable, texture_attached_cb, loading);
  g_task_set_source_tag (task, byok_attachment_tray_attach_texture);
  g_task_set_task_data (task, g_object_ref (texture), g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "byok-name", g_steal_pointer (&name), g_free);
  g_task_run_in_thread (task, texture_thread);
}

/* Bytes of an image larger than an attachment may be: decoded, scaled and
 * saved as PNG in a worker thread, as a pasted texture is. */
static void
attach_large_image_bytes (ByokAttachmentTray *self,
                          const char         *name,
                          GBytes             *bytes)
{
  g_autoptr(GTask) task = NULL;
  GCancellable *cancellable = NULL;
  Loading *loading = start_loading (self, name, &cancellable);

  task = g_task_new (NULL, cancellable, texture_attached_cb, loading);
  g_task_set_source_tag (task, byok_attachment_tray_attach_image_bytes);
  g_object_set_data_full (G_OBJECT (task), "byok-bytes", g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  g_object_set_data_full (G_OBJECT (task), "byok-name", g_strdup (name), g_free);
  g_task_run_in_thread (task, texture_thread);
}

/**
 * byok_attachment_tray_attach_image_bytes:
 * @bytes: an image as another application offered it (a pasted PNG)
 *
 * Attaches it, decoded, fitted and encoded in a worker thread, named for
 * the time it was pasted (scaled down and saved as PNG first when it is
 * larger than an attachment may be); emits "failed" if it cannot be
 * attached.
 */
void
byok_attachment_tray_attach_image_bytes (ByokAttachmentTray *self,
                                         GBytes             *bytes)
{
  g_autofree char *name = NULL;
  GCancellable *cancellable = NULL;
  Loading *loading;

  g_return_if_fail (BYOK_IS_ATTACHMENT_TRAY (self));
  g_return_if_fail (bytes != NULL);

  name = pasted_image_name ();
  if (g_bytes_get_size (bytes) > BYOK_ATTACHMENT_MAX_BYTES)
    {
      attach_large_image_bytes (self, name, bytes);
      return;
    }
  loading = start_loading (self, name, &cancellable);
  byok_attachment_load_bytes_async (name, bytes, cancellable, file_loaded_cb, loading);
}

/* ---- the file chooser ----------------------------------------------------- */

static GtkFileFilter *
new_filter (const char         *name,
            const char * const *types,
            const char         *suffix)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; types != NULL && types[i] != NULL; i++)
    gtk_file_filter_add_mime_type (filter, types[i]);
  if (suffix != NULL)
    gtk_file_filter_add_suffix (filter, suffix);
  return filter;
}

static void
files_chosen_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ByokAttachmentTray) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) files = byok_file_open_finish (result, &error);

  self->choosing = FALSE;
  if (files == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  for (guint i = 0; i < g_list_model_get_n_items (files); i++)
    {
      g_autoptr(GFile) file = g_list_model_get_item (files, i);
      byok_attachment_tray_attach_file (self, file);
    }
}

/**
 * byok_attachment_tray_choose_files:
 *
 * Opens the file chooser; what the person picks is attached.
 */
void
byok_attachment_tray_choose_files (ByokAttachmentTray *self)
{
  g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  g_autoptr(GtkFileFilter) supported = NULL;
  g_autoptr(GtkFileFilter) images = NULL;
  g_autoptr(GtkFileFilter) pdfs = NULL;
  g_autoptr(GtkFileFilter) texts = NULL;
  g_autoptr(GtkFileFilter) all = NULL;

  g_return_if_fail (BYOK_IS_ATTACHMENT_TRAY (self));

  if (self->choosing)
    return;

  supported = new_filter (_("Supported Files"), image_types, "pdf");
  for (guint i = 0; text_types[i] != NULL; i++)
    gtk_file_filter_add_mime_type (supported, text_types[i]);
  gtk_file_filter_add_mime_type (supported, "application/pdf");
  images = new_filter (_("Images"), image_types, NULL);
  pdfs = new_filter (_("PDF Documents"), (const char * const[]) { "application/pdf", NULL }, "pdf");
  texts = new_filter (_("Text Files"), text_types, NULL);
  all = new_filter (_("All Files"), NULL, NULL);
  gtk_file_filter_add_pattern (all, "*");
  g_list_store_append (filters, supported);
  g_list_store_append (filters, images);
  g_list_store_append (filters, pdfs);
  g_list_store_append (filters, texts);
  g_list_store_append (filters, all);

  self->choosing = TRUE;
  byok_file_open_async (GTK_WIDGET (self), _("Attach Files"), _("_Attach"), G_LIST_MODEL (filters), TRUE,
                        self->cancellable, files_chosen_cb, g_object_ref (self));
}

/* ---- drop and paste ------------------------------------------------------- */

static gboolean
drop_cb (GtkDropTarget      *target,
         const GValue       *value,
         double              x,
         double              y,
         ByokAttachmentTray *self)
{
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = g_value_get_boxed (value);

      for (GSList *l = files; l != NULL; l = l->next)
        byok_attachment_tray_attach_file (self, l->data);
      return files != NULL;
    }
  if (G_VALUE_HOLDS (value, G_TYPE_FILE) && g_value_get_object (value) != NULL)
    {
      byok_attachment_tray_attach_file (self, g_value_get_object (value));
      return TRUE;
    }
  return FALSE;
}

/**
 * byok_attachment_tray_add_drop_target:
 * @widget: what files can be dropped on
 *
 * Files (a list from Files, or one file) dropped on @widget are attached;
 * while they are dragged over it, @widget is highlighted.
 */
void
byok_attachment_tray_add_drop_target (ByokAttachmentTray *self,
                                      GtkWidget          *widget)
{
  GtkDropTarget *drop;
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE };

  g_return_if_fail (BYOK_IS_ATTACHMENT_TRAY (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (drop, types, G_N_ELEMENTS (types));
  g_signal_connect_object (drop, "drop", G_CALLBACK (drop_cb), self, 0);
  gtk_widget_add_css_class (widget, "attachment-drop");
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (drop));
}

static void
paste_image_cb (ByokPromptBox      *prompt,
                GdkTexture         *texture,
                ByokAttachmentTray *self)
{
  byok_attachment_tray_attach_texture (self, texture);
}

static void
paste_image_bytes_cb (ByokPromptBox      *prompt,
                      GBytes             *bytes,
                      ByokAttachmentTray *self)
{
  byok_attachment_tray_attach_image_bytes (self, bytes);
}

static void
paste_files_cb (ByokPromptBox      *prompt,
                GSList             *files,
                ByokAttachmentTray *self)
{
  for (GSList *l = files; l != NULL; l = l->next)
    byok_attachment_tray_attach_file (self, l->data);
}

/**
 * byok_attachment_tray_connect_prompt:
 *
 * An image or files pasted into @prompt are attached here.
 */
void
byok_attachment_tray_connect_prompt (ByokAttachmentTray *self,
                                     ByokPromptBox      *prompt)
{
  g_return_if_fail (BYOK_IS_ATTACHMENT_TRAY (self));
  g_return_if_fail (BYOK_IS_PROMPT_BOX (prompt));

  g_signal_connect_object (prompt, "paste-image", G_CALLBACK (paste_image_cb), self, 0);
  g_signal_connect_object (prompt, "paste-image-bytes", G_CALLBACK (paste_image_bytes_cb), self, 0);
  g_signal_connect_object (prompt, "paste-files", G_CALLBACK (paste_files_cb), self, 0);
}

/* ---- the object ----------------------------------------------------------- */

static void
byok_attachment_tray_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  ByokAttachmentTray *self = BYOK_ATTACHMENT_TRAY (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_attachment_tray_dispose (GObject *object)
{
  ByokAttachmentTray *self = BYOK_ATTACHMENT_TRAY (object);

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (byok_attachment_tray_parent_class)->dispose (object);
}

static void
byok_attachment_tray_finalize (GObject *object)
{
  ByokAttachmentTray *self = BYOK_ATTACHMENT_TRAY (object);

  g_clear_pointer (&self->attachments, g_ptr_array_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (byok_attachment_tray_parent_class)->finalize (object);
}

static void
byok_attachment_tray_class_init (ByokAttachmentTrayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = byok_attachment_tray_get_property;
  object_class->dispose = byok_attachment_tray_dispose;
  object_class->finalize = byok_attachment_tray_finalize;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ByokAttachmentTray::changed:
   * What is attached, or what is being read, changed.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * ByokAttachmentTray::removed:
   * The person removed a file with its ×.
   */
  signals[REMOVED] =
    g_signal_new ("removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * ByokAttachmentTray::failed:
   * @message: why a file could not be attached, naming it
   */
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-attachment-tray.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokAttachmentTray, box);
}

static void
byok_attachment_tray_init (ByokAttachmentTray *self)
{
  self->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_attachment_free);
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
