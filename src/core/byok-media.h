/* byok-media.h — which models read images and PDFs, and what they cost
 *
 * Capabilities decide what may be sent: an image needs a model with
 * BYOK_MODEL_CAP_VISION; a PDF goes as a file to a model with
 * BYOK_MODEL_CAP_PDF and as its text layer to any other, so only a PDF
 * with no text layer (a scan) needs one. Anything else is refused before
 * sending with BYOK_ERROR_UNSUPPORTED_INPUT. A model the catalog does not
 * know is not refused: the provider says.
 *
 * Tokens are counted by the rule of the model the prompt goes to, from
 * the providers' documentation (data/catalog-sources.md, "Images and
 * PDFs"), told apart by the model's id (an OpenRouter "vendor/" prefix is
 * dropped):
 *
 * - OpenAI, tiles (GPT-4o, GPT-4.1, GPT-5, o1, o3 and models of unknown
 *   family): fit in 2048×2048, shortest side down to 768, then a base
 *   plus a price per 512-pixel tile (85 + 170 for GPT-4o and 4.1; 70 + 140
 *   for GPT-5 and later; 75 + 150 for o1 and o3; 2833 + 5667 for GPT-4o
 *   mini). Byok sends OpenAI `"detail": "high"`, so this is what is read.
 * - OpenAI, patches (GPT-4.1 mini and nano, GPT-5 mini and nano, o4-mini):
 *   32-pixel patches, at most 1536 (the image is scaled down to fit), times
 *   1.62 (mini), 2.46 (nano) or 1.72 (o4-mini).
 * - Anthropic: width × height / 750 after Claude's own resize (long edge
 *   1568 pixels and about 1600 tokens; 2576 pixels and 4784 tokens for
 *   Opus 4.7 and later, Sonnet 5, Haiku 5.5 and Fable).
 * - Gemini: 258 tokens for an image within 384×384, else 258 per
 *   768×768 tile; Gemini 3 reads an image as 1120 tokens (its default
 *   media resolution, high).
 * - PDFs read as files: Anthropic and OpenAI read each page's text and an
 *   image of the page (a US Letter page at 150 dpi by the image rule);
 *   Gemini counts 258 tokens a page (560 for Gemini 3, its default medium
 *   resolution) and no text. A PDF sent as text is its text's tokens.
 */
#pragma once

#include "byok-attachment.h"
#include "byok-chat-request.h"
#include "byok-model.h"

G_BEGIN_DECLS

gint64                byok_media_image_tokens        (const char            *model_id,
                                                      int                    width,
                                                      int                    height);
gint64                byok_media_pdf_page_tokens     (const char            *model_id);
gboolean              byok_media_pdf_as_file         (const ByokAttachment  *pdf,
                                                      ByokModel             *model);
gint64                byok_media_attachment_tokens   (const ByokAttachment  *attachment,
                                                      const char            *model_id,
                                                      ByokModel             *model);
gint64                byok_media_count_tokens        (GPtrArray             *attachments,
                                                      const char            *model_id,
                                                      ByokModel             *model);

ByokModelCapabilities byok_media_needed_capabilities (GPtrArray             *attachments);
gboolean              byok_media_model_can_read      (ByokModel             *model,
                                                      GPtrArray             *attachments);
gboolean              byok_media_check_model         (GPtrArray             *attachments,
                                                      ByokModel             *model,
                                                      GError               **error);
GPtrArray            *byok_media_of_request          (const ByokChatRequest *request);
gboolean              byok_media_check_request       (const ByokChatRequest *request,
                                                      ByokModel             *model,
                                                      GError               **error);

G_END_DECLS
