/* byok-attachment-pdf.c — a PDF's pages and text layer, read with poppler
 *
 * The file itself is kept as it is (a model that reads PDFs gets it, with
 * its figures and scans); its text, page by page after "[Page N]" lines,
 * is what any other model reads. A PDF whose pages have no text (a scan)
 * has the text "".
 */
#define G_LOG_DOMAIN "byok-attachment"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <poppler.h>

#include "byok-attachment-private.h"
#include "byok-error.h"
#include "byok-tokens.h"

/* "[Page 3]\ntext\n\n" for each page; "" when no page has any text. */
static char *
read_text (PopplerDocument  *document,
           GCancellable     *cancellable,
           GError          **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  int n_pages = poppler_document_get_n_pages (document);
  gboolean any = FALSE;

  for (int i = 0; i < n_pages; i++)
    {
      PopplerPage *page;
      g_autofree char *raw = NULL;
      g_autofree char *text = NULL;

      if (_byok_attachment_cancelled (cancellable, error))
        return NULL;
      /* Poppler 22 (Debian 12) has no g_autoptr for its types. */
      page = poppler_document_get_page (document, i);
      if (page != NULL)
        {
          raw = poppler_page_get_text (page);
          g_object_unref (page);
        }
      text = g_utf8_make_valid (raw != NULL ? raw : "", -1);
      g_strchomp (text);
      any |= *text != '\0';
      /* Not translated: the model reads it, and the format is documented. */
      g_string_append_printf (out, "[Page %d]\n", i + 1);
      if (*text != '\0')
        {
          g_string_append (out, text);
          g_string_append_c (out, '\n');
        }
      if (i + 1 < n_pages)
        g_string_append_c (out, '\n');
    }
  if (!any)
    return g_strdup ("");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * _byok_attachment_new_pdf:
 *
 * Returns: (transfer full) (nullable): the PDF with its page count and
 *   text, or %NULL with BYOK_ERROR_INVALID (damaged, encrypted, no pages)
 *   or BYOK_ERROR_CANCELLED
 */
ByokAttachment *
_byok_attachment_new_pdf (const char    *name,
                          GBytes        *bytes,
                          GCancellable  *cancellable,
                          GError       **error)
{
  PopplerDocument *document;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  ByokAttachment *attachment;
  int n_pages;

  document = poppler_document_new_from_bytes (bytes, NULL, &local_error);
  if (document == NULL)
    {
      if (g_error_matches (local_error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
        g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                     _("“%s” is locked with a password: Byok cannot read it"), name);
      else
        g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                     _("“%s” is not a PDF Byok can read: %s"), name, local_error->message);
      return NULL;
    }
  n_pages = poppler_document_get_n_pages (document);
  if (n_pages <= 0)
    g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID, _("“%s” is a PDF without pages"), name);
  else
    text = read_text (document, cancellable, error);
  g_object_unref (document);
  if (text == NULL)
    return NULL;

  attachment = g_new0 (ByokAttachment, 1);
  attachment->name = g_strdup (name);
  attachment->kind = BYOK_ATTACHMENT_PDF;
  attachment->mime_type = g_strdup ("application/pdf");
  attachment->pages = n_pages;
  attachment->tokens = byok_estimate_tokens (text, -1);
  attachment->hash = _byok_attachment_hash (bytes);
  attachment->data = g_bytes_ref (bytes);
  attachment->text = g_steal_pointer (&text);
  return attachment;
}
