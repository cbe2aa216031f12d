/* byok-prompt-box.c — the box a prompt is written in */
#define G_LOG_DOMAIN "byok-prompt-box"

#include "config.h"

#include "byok-prompt-box.h"

struct _ByokPromptBox
{
  AdwBin              parent_instance;

  GtkScrolledWindow  *scroller;
  GtkTextView        *text_view;
  GtkLabel           *placeholder;

  char               *label;
  char               *description;
  GCancellable       *cancellable;
  guint               preediting : 1;
};

G_DEFINE_FINAL_TYPE (ByokPromptBox, byok_prompt_box, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_PLACEHOLDER_TEXT,
  PROP_LABEL,
  PROP_DESCRIPTION,
  PROP_MAX_CONTENT_HEIGHT,
  N_PROPS
};

enum {
  ACTIVATE,
  CHANGED,
  PASTE_IMAGE,
  PASTE_IMAGE_BYTES,
  PASTE_FILES,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/**
 * byok_prompt_box_dup_text:
 *
 * Returns: (transfer full): the text as written
 */
char *
byok_prompt_box_dup_text (ByokPromptBox *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (BYOK_IS_PROMPT_BOX (self), NULL);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
byok_prompt_box_set_text (ByokPromptBox *self,
                          const char    *text)
{
  g_return_if_fail (BYOK_IS_PROMPT_BOX (self));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text != NULL ? text : "", -1);
}

/**
 * byok_prompt_box_has_text:
 *
 * Returns: whether the text is more than white space
 */
gboolean
byok_prompt_box_has_text (ByokPromptBox *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (BYOK_IS_PROMPT_BOX (self), FALSE);

  text = byok_prompt_box_dup_text (self);
  return *g_strstrip (text) != '\0';
}

void
byok_prompt_box_focus (ByokPromptBox *self)
{
  g_return_if_fail (BYOK_IS_PROMPT_BOX (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

static void
buffer_changed_cb (ByokPromptBox *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->placeholder),
                          gtk_text_buffer_get_char_count (gtk_text_view_get_buffer (self->text_view)) == 0);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Enter activates, Shift+Enter (or Ctrl+Enter) adds a line. While an input
 * method composes, Enter is the input method's. */
static gboolean
on_key_pressed (ByokPromptBox   *self,
                guint            keyval,
                guint            keycode,
                GdkModifierType  state)
{
  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return FALSE;
  if (self->preediting || (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return FALSE;

  g_signal_emit (self, signals[ACTIVATE], 0);
  return TRUE;
}

static void
on_preedit_changed (ByokPromptBox *self,
                    const char    *preedit)
{
  self->preediting = preedit != NULL && *preedit != '\0';
}

/* ---- pasting images and files --------------------------------------------- */

/* A paste not read, for the debug log (a cancel is no failure) */
static void
debug_unread (const GError *error,
              const char   *what)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("The pasted %s could not be read: %s", what, error->message);
}

static void
texture_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ByokPromptBox) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (source), result, &error);

  if (texture == NULL)
    {
      debug_unread (error, "image");
      return;
    }
  g_signal_emit (self, signals[PASTE_IMAGE], 0, texture);
}

/* Another application's PNG, read as it is: decoding it is for a worker
 * thread (GDK would decode it here, into a texture, on the main thread). */
static void
png_spliced_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ByokPromptBox) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, &error) < 0)
    {
      debug_unread (error, "image");
      return;
    }
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (source));
  g_signal_emit (self, signals[PASTE_IMAGE_BYTES], 0, bytes);
}

static void
png_read_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(ByokPromptBox) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) input = gdk_clipboard_read_finish (GDK_CLIPBOARD (source), result, NULL, &error);
  g_autoptr(GOutputStream) output = NULL;

  if (input == NULL)
    {
      debug_unread (error, "image");
      return;
    }
  output = g_memory_output_stream_new_resizable ();
  g_output_stream_splice_async (output, input,
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                G_PRIORITY_DEFAULT, self->cancellable, png_spliced_cb, g_object_ref (self));
}

static void
files_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(ByokPromptBox) self = user_data;
  g_autoptr(GError) error = NULL;
  const GValue *value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (source), result, &error);
  GSList *files;

  if (value == NULL)
    {
      debug_unread (error, "files");
      return;
    }
  files = g_value_get_boxed (value);
  for (GSList *l = files; l != NULL; l = l->next)
    if (g_file_peek_path (l->data) == NULL)
      {
        /* Not files on this computer (links): pasted as text. */
        gtk_text_buffer_paste_clipboard (gtk_text_view_get_buffer (self->text_view), GDK_CLIPBOARD (source),
                                         NULL, TRUE);
        return;
      }
  if (files != NULL)
    g_signal_emit (self, signals[PASTE_FILES], 0, files);
}

/* Ctrl+V (or Paste in the menu): files copied in Files, or an image alone
 * (a screenshot), go to whoever handles "paste-files" and "paste-image"
 * ("paste-image-bytes" for another application's PNG, read as it is);
 * text, and an image that comes with text (cells of a spreadsheet), is
 * pasted as text, as always. */
static void
on_paste_clipboard (ByokPromptBox *self)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self->text_view));
  g_autoptr(GdkContentFormats) formats =
    gdk_content_formats_union_deserialize_gtypes (gdk_content_formats_ref (gdk_clipboard_get_formats (clipboard)));

  if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST) &&
      g_signal_has_handler_pending (self, signals[PASTE_FILES], 0, FALSE))
    {
      g_signal_stop_emission_by_name (self->text_view, "paste-clipboard");
      gdk_clipboard_read_value_async (clipboard, GDK_TYPE_FILE_LIST, G_PRIORITY_DEFAULT, self->cancellable,
                                      files_read_cb, g_object_ref (self));
    }
  else if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE) &&
           !gdk_content_formats_contain_gtype (formats, G_TYPE_STRING) &&
           g_signal_has_handler_pending (self, signals[PASTE_IMAGE], 0, FALSE))
    {
      static const char *png[] = { "image/png", NULL };

      g_signal_stop_emission_by_name (self->text_view, "paste-clipboard");
      /* A texture of this process is at hand already; another
       * application's PNG is read as bytes, to be decoded elsewhere. */
      if (!gdk_clipboard_is_local (clipboard) &&
          gdk_content_formats_contain_mime_type (gdk_clipboard_get_formats (clipboard), "image/png") &&
          g_signal_has_handler_pending (self, signals[PASTE_IMAGE_BYTES], 0, FALSE))
        gdk_clipboard_read_async (clipboard, png, G_PRIORITY_DEFAULT, self->cancellable,
                                  png_read_cb, g_object_ref (self));
      else
        gdk_clipboard_read_texture_async (clipboard, self->cancellable, texture_read_cb, g_object_ref (self));
    }
}

/* The scroller and the text view read the same name; the text view says
 * what Enter does. */
static void
update_accessible (ByokPromptBox *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->scroller),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->label != NULL ? self->label : "",
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->label != NULL ? self->label : "",
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description != NULL ? self->description : "",
                                  -1);
}

static void
byok_prompt_box_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ByokPromptBox *self = BYOK_PROMPT_BOX (object);

  switch (prop_id)
    {
    case PROP_PLACEHOLDER_TEXT:
      g_value_set_string (value, gtk_label_get_label (self->placeholder));
      break;
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_MAX_CONTENT_HEIGHT:
      g_value_set_int (value, gtk_scrolled_window_get_max_content_height (self->scroller));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_prompt_box_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  ByokPromptBox *self = BYOK_PROMPT_BOX (object);

  switch (prop_id)
    {
    case PROP_PLACEHOLDER_TEXT:
      gtk_label_set_label (self->placeholder, g_value_get_string (value));
      break;
    case PROP_LABEL:
      g_free (self->label);
      self->label = g_value_dup_string (value);
      update_accessible (self);
      break;
    case PROP_DESCRIPTION:
      g_free (self->description);
      self->description = g_value_dup_string (value);
      update_accessible (self);
      break;
    case PROP_MAX_CONTENT_HEIGHT:
      gtk_scrolled_window_set_max_content_height (self->scroller, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_prompt_box_dispose (GObject *object)
{
  ByokPromptBox *self = BYOK_PROMPT_BOX (object);

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (byok_prompt_box_parent_class)->dispose (object);
}

static void
byok_prompt_box_finalize (GObject *object)
{
  ByokPromptBox *self = BYOK_PROMPT_BOX (object);

  g_clear_object (&self->cancellable);
  g_free (self->label);
  g_free (self->description);

  G_OBJECT_CLASS (byok_prompt_box_parent_class)->finalize (object);
}

static void
byok_prompt_box_class_init (ByokPromptBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = byok_prompt_box_get_property;
  object_class->set_property = byok_prompt_box_set_property;
  object_class->dispose = byok_prompt_box_dispose;
  object_class->finalize = byok_prompt_box_finalize;

  properties[PROP_PLACEHOLDER_TEXT] =
    g_param_spec_string ("placeholder-text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_CONTENT_HEIGHT] =
    g_param_spec_int ("max-content-height", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ByokPromptBox::activate:
   *
   * Enter was pressed: the prompt is to be sent.
   */
  signals[ACTIVATE] =
    g_signal_new ("activate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * ByokPromptBox::changed:
   *
   * The text changed.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * ByokPromptBox::paste-image:
   * @texture: the image
   *
   * An image alone was pasted (a screenshot). Without a handler, pasting
   * is as in any text view.
   */
  signals[PASTE_IMAGE] =
    g_signal_new ("paste-image", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, GDK_TYPE_TEXTURE);
  /**
   * ByokPromptBox::paste-image-bytes:
   * @bytes: the image as another application offered it (a PNG)
   *
   * An image alone was pasted from another application, which offered it
   * as PNG: its bytes, not yet decoded. Without a handler, such an image
   * is read into a texture for "paste-image".
   */
  signals[PASTE_IMAGE_BYTES] =
    g_signal_new ("paste-image-bytes", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BYTES);
  /**
   * ByokPromptBox::paste-files:
   * @files: (element-type GFile): the files, all on this computer
   *
   * Files copied in Files were pasted.
   */
  signals[PASTE_FILES] =
    g_signal_new ("paste-files", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, GDK_TYPE_FILE_LIST);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-prompt-box.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokPromptBox, scroller);
  gtk_widget_class_bind_template_child (widget_class, ByokPromptBox, text_view);
  gtk_widget_class_bind_template_child (widget_class, ByokPromptBox, placeholder);
  gtk_widget_class_bind_template_callback (widget_class, on_key_pressed);
  gtk_widget_class_bind_template_callback (widget_class, on_preedit_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_paste_clipboard);
}

static void
byok_prompt_box_init (ByokPromptBox *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "changed",
                           G_CALLBACK (buffer_changed_cb), self, G_CONNECT_SWAPPED);
}
