/* byok-media.c — which models read images and PDFs, and what they cost */
#define G_LOG_DOMAIN "byok-media"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "byok-error.h"
#include "byok-media.h"
#include "byok-tokens.h"

/* The page a PDF page is read as, as an image: US Letter at 150 dpi. */
#define PAGE_WIDTH  1275
#define PAGE_HEIGHT 1650

/* What the <file name="…"> block around a PDF's text adds. */
#define FILE_BLOCK_TOKENS 12

typedef enum {
  RULE_TILES,
  RULE_PATCHES,
  RULE_ANTHROPIC,
  RULE_GEMINI,
} RuleKind;

typedef struct {
  RuleKind kind;
  int      base;       /* tiles: per image; Gemini: per image or tile */
  int      tile;       /* tiles: per 512-pixel tile */
  double   multiplier; /* patches */
  int      long_edge;  /* Anthropic */
  int      max_tokens; /* Anthropic */
  int      fixed;      /* Gemini 3: per image, whatever its size */
  int      page;       /* Gemini: per PDF page */
} Rule;

/* The model's id without an OpenRouter "vendor/" prefix. */
static const char *
bare_id (const char *model_id)
{
  const char *slash;

  if (model_id == NULL)
    return "";
  slash = strrchr (model_id, '/');
  return slash != NULL ? slash + 1 : model_id;
}

static gboolean
has_word (const char *id,
          const char *word)
{
  const char *at = strstr (id, word);
  gsize len = strlen (word);

  return at != NULL && (at[len] == '\0' || at[len] == '-');
}

static void
get_rule (const char *model_id,
          Rule       *rule)
{
  const char *id = bare_id (model_id);

  memset (rule, 0, sizeof *rule);
  if (g_str_has_prefix (id, "claude"))
    {
      gboolean high = g_str_has_prefix (id, "claude-opus-4-7") ||
                      g_str_has_prefix (id, "claude-opus-4-8") ||
                      g_str_has_prefix (id, "claude-opus-4.7") ||
                      g_str_has_prefix (id, "claude-opus-4.8") ||
                      g_str_has_prefix (id, "claude-opus-5") ||
                      g_str_has_prefix (id, "claude-sonnet-5") ||
                      g_str_has_prefix (id, "claude-haiku-5") ||
                      g_str_has_prefix (id, "claude-fable");

      rule->kind = RULE_ANTHROPIC;
      rule->long_edge = high ? 2576 : 1568;
      rule->max_tokens = high ? 4784 : 1600;
      return;
    }
  if (g_str_has_prefix (id, "gemini"))
    {
      gboolean three = g_str_has_prefix (id, "gemini-3");

      rule->kind = RULE_GEMINI;
      rule->base = 258;
      rule->fixed = three ? 1120 : 0;
      rule->page = three ? 560 : 258;
      return;
    }
  if (g_str_has_prefix (id, "o4-mini"))
    {
      rule->kind = RULE_PATCHES;
      rule->multiplier = 1.72;
      return;
    }
  if ((g_str_has_prefix (id, "gpt-4.1") || g_str_has_prefix (id, "gpt-5")) &&
      (has_word (id, "-mini") || has_word (id, "-nano")))
    {
      rule->kind = RULE_PATCHES;
      rule->multiplier = has_word (id, "-mini") ? 1.62 : 2.46;
      return;
    }
  rule->kind = RULE_TILES;
  if (g_str_has_prefix (id, "gpt-4o-mini"))
    {
      rule->base = 2833;
      rule->tile = 5667;
    }
  else if (g_str_has_prefix (id, "o1") || g_str_has_prefix (id, "o3"))
    {
      rule->base = 75;
      rule->tile = 150;
    }
  else if (g_str_has_prefix (id, "gpt-5") || g_str_has_prefix (id, "gpt-6"))
    {
      rule->base = 70;
      rule->tile = 140;
    }
  else
    {
      /* GPT-4o, 4.1, 4.5, and what the docs say nothing of */
      rule->base = 85;
      rule->tile = 170;
    }
}

static gint64
ceil_div (gint64 a,
          gint64 b)
{
  return (a + b - 1) / b;
}

static gint64
tiles_tokens (const Rule *rule,
              double      w,
              double      h)
{
  double scale;

  if (MAX (w, h) > 2048)
    {
      scale = 2048 / MAX (w, h);
      w *= scale;
      h *= scale;
    }
  if (MIN (w, h) > 768)
    {
      scale = 768 / MIN (w, h);
      w *= scale;
      h *= scale;
    }
  return rule->base + rule->tile * ceil_div ((gint64) floor (w + 1e-6), 512) *
                                   ceil_div ((gint64) floor (h + 1e-6), 512);
}

#define PATCH 32
#define MAX_PATCHES 1536

static gint64
patches_tokens (const Rule *rule,
                double      w,
                double      h)
{
  gint64 patches = ceil_div ((gint64) w, PATCH) * ceil_div ((gint64) h, PATCH);

  if (patches > MAX_PATCHES)
    {
      /* Scaled down to the budget, then so that whole patches fit the
       * narrower side (OpenAI's worked example: 1800×2400 → 1056×1408). */
      double shrink = sqrt ((double) MAX_PATCHES * PATCH * PATCH / (w * h));
      double sw = w * shrink;
      double sh = h * shrink;
      double fit = MIN (floor (sw / PATCH) / (sw / PATCH), floor (sh / PATCH) / (sh / PATCH));

      patches = ceil_div ((gint64) floor (sw * fit + 1e-6), PATCH) *
                ceil_div ((gint64) floor (sh * fit + 1e-6), PATCH);
    }
  return (gint64) ceil (patches * rule->multiplier - 1e-9);
}

static gint64
anthropic_tokens (const Rule *rule,
                  double      w,
                  double      h)
{
  double scale;

  if (MAX (w, h) > rule->long_edge)
    {
      scale = rule->long_edge / MAX (w, h);
      w = floor (w * scale);
      h = floor (h * scale);
    }
  if (w * h / 750 > rule->max_tokens)
    {
      scale = sqrt (rule->max_tokens * 750.0 / (w * h));
      w = floor (w * scale);
      h = floor (h * scale);
    }
  return (gint64) ceil (w * h / 750);
}

static gint64
gemini_tokens (const Rule *rule,
               double      w,
               double      h)
{
  if (rule->fixed > 0)
    return rule->fixed;
  if (w <= 384 && h <= 384)
    return rule->base;
  return rule->base * ceil_div ((gint64) w, 768) * ceil_div ((gint64) h, 768);
}

/**
 * byok_media_image_tokens:
 * @model_id: (nullable): the model the image goes to; %NULL or an unknown
 *   family counts as GPT-4o does
 * @width: the image as sent, in pixels
 * @height:
 *
 * Returns: the tokens @model_id reads the image as, by its provider's
 *   documented rule
 */
gint64
byok_media_image_tokens (const char *model_id,
                         int         width,
                         int         height)
{
  Rule rule;

  if (width <= 0 || height <= 0)
    return 0;
  get_rule (model_id, &rule);
  switch (rule.kind)
    {
    case RULE_PATCHES:
      return patches_tokens (&rule, width, height);
    case RULE_ANTHROPIC:
      return anthropic_tokens (&rule, width, height);
    case RULE_GEMINI:
      return gemini_tokens (&rule, width, height);
    case RULE_TILES:
    default:
      return tiles_tokens (&rule, width, height);
    }
}

/**
 * byok_media_pdf_page_tokens:
 *
 * Returns: what one page of a PDF read as a file costs @model_id beside
 *   its text: Gemini's tokens per page, or the image of a page
 */
gint64
byok_media_pdf_page_tokens (const char *model_id)
{
  Rule rule;

  get_rule (model_id, &rule);
  if (rule.kind == RULE_GEMINI)
    return rule.page;
  return byok_media_image_tokens (model_id, PAGE_WIDTH, PAGE_HEIGHT);
}

/**
 * byok_media_pdf_as_file:
 * @model: (nullable): the model as the catalog knows it
 *
 * How the dialects send @pdf (_byok_dialect_pdf_as_file()): as a file to a
 * model that reads PDFs, and to an unknown model when it has no text
 * layer; as its text to any other.
 */
gboolean
byok_media_pdf_as_file (const ByokAttachment *pdf,
                        ByokModel            *model)
{
  if (model != NULL)
    return byok_model_has_capability (model, BYOK_MODEL_CAP_PDF);
  return byok_attachment_is_scan (pdf);
}

/**
 * byok_media_attachment_tokens:
 * @model_id: (nullable): the model it goes to
 * @model: (nullable): that model as the catalog knows it, for whether a
 *   PDF goes as a file
 *
 * Returns: the tokens @attachment adds to a prompt to @model_id: a text
 *   file's estimate, an image by the rule, a PDF by its pages or its text
 */
gint64
byok_media_attachment_tokens (const ByokAttachment *attachment,
                              const char           *model_id,
                              ByokModel            *model)
{
  Rule rule;
  gint64 text_tokens;

  g_return_val_if_fail (attachment != NULL, 0);

  switch (attachment->kind)
    {
    case BYOK_ATTACHMENT_IMAGE:
      return byok_media_image_tokens (model_id, attachment->width, attachment->height);

    case BYOK_ATTACHMENT_PDF:
      text_tokens = byok_attachment_has_text_layer (attachment) ? byok_estimate_tokens (attachment->text, -1) : 0;
      if (!byok_media_pdf_as_file (attachment, model))
        return text_tokens + FILE_BLOCK_TOKENS;
      get_rule (model_id, &rule);
      if (rule.kind == RULE_GEMINI)
        return (gint64) MAX (attachment->pages, 1) * rule.page;
      return text_tokens + (gint64) MAX (attachment->pages, 1) * byok_media_pdf_page_tokens (model_id);

    case BYOK_ATTACHMENT_TEXT:
    default:
      return attachment->tokens;
    }
}

/**
 * byok_media_count_tokens:
 * @attachments: (nullable) (element-type ByokAttachment)
 *
 * Returns: the sum of byok_media_attachment_tokens()
 */
gint64
byok_media_count_tokens (GPtrArray  *attachments,
                         const char *model_id,
                         ByokModel  *model)
{
  gint64 total = 0;

  for (guint i = 0; attachments != NULL && i < attachments->len; i++)
    total += byok_media_attachment_tokens (g_ptr_array_index (attachments, i), model_id, model);
  return total;
}

/**
 * byok_media_needed_capabilities:
 * @attachments: (nullable) (element-type ByokAttachment)
 *
 * Returns: what a model must do to read @attachments: see images, read a
 *   PDF with no text layer
 */
ByokModelCapabilities
byok_media_needed_capabilities (GPtrArray *attachments)
{
  ByokModelCapabilities needed = BYOK_MODEL_CAP_NONE;

  for (guint i = 0; attachments != NULL && i < attachments->len; i++)
    {
      const ByokAttachment *attachment = g_ptr_array_index (attachments, i);

      if (attachment->kind == BYOK_ATTACHMENT_IMAGE)
        needed |= BYOK_MODEL_CAP_VISION;
      else if (byok_attachment_is_scan (attachment))
        needed |= BYOK_MODEL_CAP_PDF;
    }
  return needed;
}

/**
 * byok_media_model_can_read:
 * @model: (nullable): a model the catalog does not know can read anything
 *
 * Returns: whether @model can read every one of @attachments
 */
gboolean
byok_media_model_can_read (ByokModel *model,
                           GPtrArray *attachments)
{
  ByokModelCapabilities needed = byok_media_needed_capabilities (attachments);

  if (model == NULL)
    return TRUE;
  return (byok_model_get_capabilities (model) & needed) == needed;
}

/**
 * byok_media_check_model:
 * @attachments: (nullable) (element-type ByokAttachment)
 * @model: (nullable): the model as the catalog knows it; an unknown model
 *   is not refused
 *
 * Returns: %FALSE with %BYOK_ERROR_UNSUPPORTED_INPUT, naming the first
 *   attachment @model cannot read, or %BYOK_ERROR_INVALID for an image or
 *   PDF without its bytes
 */
gboolean
byok_media_check_model (GPtrArray  *attachments,
                        ByokModel  *model,
                        GError    **error)
{
  for (guint i = 0; attachments != NULL && i < attachments->len; i++)
    {
      const ByokAttachment *attachment = g_ptr_array_index (attachments, i);
      const char *name = model != NULL ? byok_model_get_name (model) : NULL;
      gboolean as_file;

      if (attachment->kind == BYOK_ATTACHMENT_TEXT)
        continue;
      as_file = attachment->kind == BYOK_ATTACHMENT_IMAGE ||
                byok_media_pdf_as_file (attachment, model);
      if (as_file && (attachment->data == NULL || g_bytes_get_size (attachment->data) == 0))
        {
          g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                       _("“%s” has no data to send. Remove it and attach the file again."),
                       attachment->name);
          return FALSE;
        }
      if (model == NULL)
        continue;
      if (attachment->kind == BYOK_ATTACHMENT_IMAGE &&
          !byok_model_has_capability (model, BYOK_MODEL_CAP_VISION))
        {
          /* Translators: %1$s is a model's name, %2$s an image's file name */
          g_set_error (error, BYOK_ERROR, BYOK_ERROR_UNSUPPORTED_INPUT,
                       _("%1$s cannot read images, so nothing was sent. Choose a model that reads "
                         "images, or remove “%2$s”."),
                       name, attachment->name);
          return FALSE;
        }
      if (byok_attachment_is_scan (attachment) &&
          !byok_model_has_capability (model, BYOK_MODEL_CAP_PDF))
        {
          /* Translators: %1$s is a PDF's file name, %2$s a model's name */
          g_set_error (error, BYOK_ERROR, BYOK_ERROR_UNSUPPORTED_INPUT,
                       _("“%1$s” is a scanned PDF with no text: only models that read PDFs "
                         "natively can see it, and %2$s cannot, so nothing was sent. Choose "
                         "one that does, or remove it."),
                       attachment->name, name);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * byok_media_of_request:
 *
 * Returns: (transfer container) (element-type ByokAttachment): every image
 *   and PDF of @request's user messages, in order; the attachments belong
 *   to @request
 */
GPtrArray *
byok_media_of_request (const ByokChatRequest *request)
{
  GPtrArray *all = g_ptr_array_new ();

  g_return_val_if_fail (request != NULL, all);

  for (guint i = 0; i < request->messages->len; i++)
    {
      const ByokChatMessage *message = g_ptr_array_index (request->messages, i);

      if (message->role != BYOK_CHAT_ROLE_USER || message->attachments == NULL)
        continue;
      for (guint j = 0; j < message->attachments->len; j++)
        {
          ByokAttachment *attachment = g_ptr_array_index (message->attachments, j);

          /* A text file is in the message's content already. */
          if (attachment->kind != BYOK_ATTACHMENT_TEXT)
            g_ptr_array_add (all, attachment);
        }
    }
  return all;
}

/**
 * byok_media_check_request:
 *
 * byok_media_check_model() for every image and PDF of @request: what
 * byok_dialect_build_body() checks before building a body.
 */
gboolean
byok_media_check_request (const ByokChatRequest  *request,
                          ByokModel              *model,
                          GError                **error)
{
  g_autoptr(GPtrArray) all = byok_media_of_request (request);

  return byok_media_check_model (all, model, error);
}
