/* byok-conversation-store-export.c — a conversation as Markdown or JSON */
#define G_LOG_DOMAIN "byok-conversation"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "byok-attachment.h"
#include "byok-conversation-store-private.h"
#include "byok-error.h"
#include "byok-file.h"
#include "byok-format.h"
#include "byok-json.h"
#include "byok-message-private.h"

/* ---------------------------------------------------------------------- */
/* Export                                                                 */

#define EXPORT_FLUSH_SIZE (64 * 1024)

static char *
local_date (gint64 us)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static const char *
role_heading (const char *role)
{
  if (g_strcmp0 (role, BYOK_MESSAGE_ROLE_ASSISTANT) == 0)
    return _("Assistant");
  if (g_strcmp0 (role, BYOK_MESSAGE_ROLE_SYSTEM) == 0)
    return _("System");
  return _("User");
}

/* "1200 input tokens (200 cached) · 340 output tokens · $0.0012 · 1.2 s" */
static void
append_answer_line (GString     *out,
                    ByokMessage *message)
{
  const char *provider = byok_message_get_provider (message);
  const char *model = byok_message_get_model (message);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *line = NULL;
  ByokUsage usage;

  byok_message_get_usage (message, &usage);

  if (model != NULL && provider != NULL)
    g_ptr_array_add (parts, g_strdup_printf ("%s (%s)", model, provider));
  else if (model != NULL || provider != NULL)
    g_ptr_array_add (parts, g_strdup (model != NULL ? model : provider));

  if (usage.reported)
    {
      g_autofree char *input = g_strdup_printf ("%" G_GINT64_FORMAT, usage.input_tokens);
      g_autofree char *output = g_strdup_printf ("%" G_GINT64_FORMAT, usage.output_tokens);

      if (usage.cached_input_tokens > 0)
        {
          g_autofree char *cached = g_strdup_printf ("%" G_GINT64_FORMAT, usage.cached_input_tokens);

          /* Translators: token counts of an answer in an exported conversation */
          g_ptr_array_add (parts, g_strdup_printf (_("%s input tokens (%s cached)"), input, cached));
        }
      else
        g_ptr_array_add (parts, g_strdup_printf (_("%s input tokens"), input));
      if (usage.reasoning_tokens > 0)
        {
          g_autofree char *reasoning = g_strdup_printf ("%" G_GINT64_FORMAT, usage.reasoning_tokens);

          g_ptr_array_add (parts, g_strdup_printf (_("%s output tokens (%s reasoning)"), output, reasoning));
        }
      else
        g_ptr_array_add (parts, g_strdup_printf (_("%s output tokens"), output));
    }
  else
    g_ptr_array_add (parts, g_strdup (_("tokens not reported")));

  if (byok_message_get_price_known (message))
    g_ptr_array_add (parts, g_strdup_printf ("$%.4f", byok_message_get_cost_usd (message)));
  else
    g_ptr_array_add (parts, g_strdup (_("price unknown")));
  if (byok_message_get_cost_reported (message))
    /* Translators: what the provider said it billed for the answer ("billed $0.0042") */
    g_ptr_array_add (parts, g_strdup_printf (_("billed $%.4f"), byok_message_get_reported_cost_usd (message)));

  if (byok_message_get_latency_us (message) >= 0)
    g_ptr_array_add (parts, g_strdup_printf (_("%.1f s"),
                                             byok_message_get_latency_us (message) / (double) G_USEC_PER_SEC));

  g_ptr_array_add (parts, NULL);
  line = g_strjoinv (" · ", (char **) parts->pdata);
  g_string_append_printf (out, "_%s_\n\n", line);
}

static void
append_quoted (GString    *out,
               const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i + 1] == NULL && *lines[i] == '\0')
        break;
      g_string_append (out, *lines[i] != '\0' ? "> " : ">");
      g_string_append (out, lines[i]);
      g_string_append_c (out, '\n');
    }
}

/* @text in a fence longer than any run of backticks inside it. */
static void
append_fenced (GString    *out,
               const char *language,
               const char *text)
{
  guint longest = 0, run = 0;
  g_autofree char *fence = NULL;

  for (const char *p = text; *p != '\0'; p++)
    {
      run = *p == '`' ? run + 1 : 0;
      longest = MAX (longest, run);
    }
  fence = g_strnfill (MAX (3, longest + 1), '`');
  g_string_append_printf (out, "%s%s\n%s", fence, language, text);
  g_string_append_printf (out, "%s%s\n\n", g_str_has_suffix (text, "\n") ? "" : "\n", fence);
}

static void
append_html_escaped (GString    *out,
                     const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  g_string_append (out, escaped);
}


/**
 * media_file_name:
 *
 * The name an image or a PDF is written under beside a Markdown export:
 * the start of its hash (two files of one name stay apart), then its own
 * name made safe for a file system and a link, with the extension its
 * bytes have ("photo.heic" sent as JPEG is "…-photo.heic.jpg").
 */
static char *
media_file_name (const ByokAttachment *attachment)
{
  const char *extension = g_str_equal (attachment->mime_type, "application/pdf") ? ".pdf"
                          : g_str_equal (attachment->mime_type, "image/png") ? ".png" : ".jpg";
  GString *name = g_string_new (NULL);

  g_string_append_len (name, attachment->hash, MIN (strlen (attachment->hash), 12));
  g_string_append_c (name, '-');
  for (const char *p = attachment->name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c) || c == '.' || c == '-' || c == '_')
        g_string_append_unichar (name, c);
      else
        g_string_append_c (name, '_');
    }
  if (!g_str_has_suffix (name->str, extension) &&
      !(g_str_equal (extension, ".jpg") && g_str_has_suffix (name->str, ".jpeg")))
    g_string_append (name, extension);
  return g_string_free (name, FALSE);
}

static void
append_media (GString              *out,
              const ByokAttachment *attachment,
              const char           *media_dir)
{
  g_autofree char *what = NULL;
  g_autofree char *link = NULL;

  if (attachment->kind == BYOK_ATTACHMENT_IMAGE)
    /* Translators: an image in an exported conversation: its size in pixels */
    what = g_strdup_printf (_("image, %d × %d pixels"), attachment->width, attachment->height);
  else
    /* Translators: a PDF in an exported conversation */
    what = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "PDF, %d page", "PDF, %d pages",
                                         (gulong) MAX (attachment->pages, 0)),
                            attachment->pages);
  if (media_dir != NULL && attachment->data != NULL && attachment->hash != NULL)
    {
      g_autofree char *file_name = media_file_name (attachment);
      g_autofree char *relative = g_build_filename (media_dir, file_name, NULL);

      link = g_uri_escape_string (relative, "/", TRUE);
    }
  if (link != NULL && attachment->kind == BYOK_ATTACHMENT_IMAGE)
    g_string_append_printf (out, "![%s](%s)\n_%s_\n\n", attachment->name, link, what);
  else if (link != NULL)
    g_string_append_printf (out, "[%s](%s) _(%s)_\n\n", attachment->name, link, what);
  else
    g_string_append_printf (out, "**%s** _(%s)_\n\n", attachment->name, what);
}

/* Each attached file under a bold name, in a fence longer than any run of
 * backticks inside it; an image or a PDF linked to its file in @media_dir
 * (a folder beside the export, named relative to it), or by name alone
 * when there is none (an export to a stream). */
static void
append_attachments (GString    *out,
                    GPtrArray  *attachments,
                    const char *media_dir)
{
  for (guint i = 0; attachments != NULL && i < attachments->len; i++)
    {
      ByokAttachment *attachment = g_ptr_array_index (attachments, i);
      g_autofree char *count = NULL;

      if (attachment->kind != BYOK_ATTACHMENT_TEXT)
        {
          append_media (out, attachment, media_dir);
          continue;
        }
      count = g_strdup_printf ("%" G_GINT64_FORMAT, attachment->tokens);
      g_string_append_printf (out, "**%s** (", attachment->name);
      g_string_append_printf (out,
                              /* Translators: the estimated size of an attached file in an
                               * exported conversation; %s is a number */
                              g_dngettext (GETTEXT_PACKAGE, "about %s token", "about %s tokens",
                                           (gulong) MIN (attachment->tokens, G_MAXINT)),
                              count);
      g_string_append (out, ")\n\n");
      append_fenced (out, "", attachment->text);
    }
}

/* Each tool call in a collapsed block: the tool, its server and what
 * became of it, then its arguments and its result. */
static void
append_tool_blocks (GString   *out,
                    GPtrArray *blocks)
{
  for (guint i = 0; blocks != NULL && i < blocks->len; i++)
    {
      ByokToolBlock *block = g_ptr_array_index (blocks, i);
      g_autofree char *arguments = byok_tool_block_dup_pretty_arguments (block);
      g_autofree char *summary = byok_tool_block_describe (block);

      g_string_append (out, "<details>\n<summary>");
      append_html_escaped (out, summary);
      g_string_append (out, "</summary>\n\n");
      g_string_append_printf (out, "%s\n\n", _("Arguments:"));
      append_fenced (out, "json", arguments);
      if (block->result != NULL)
        {
          g_string_append_printf (out, "%s\n\n", _("Result:"));
          append_fenced (out, "", block->result);
        }
      g_string_append (out, "</details>\n\n");
    }
}

static void
append_markdown_message (GString     *out,
                         ByokMessage *message,
                         const char  *media_dir)
{
  const char *role = byok_message_get_role (message);
  const char *content = byok_message_get_content (message);
  const char *reasoning = byok_message_get_reasoning (message);
  const char *status = byok_message_get_status (message);

  g_string_append_printf (out, "## %s\n\n", role_heading (role));

  if (*reasoning != '\0')
    {
      g_string_append_printf (out, "<details>\n<summary>%s</summary>\n\n", _("Reasoning"));
      append_quoted (out, reasoning);
      g_string_append (out, "\n</details>\n\n");
    }

  append_tool_blocks (out, byok_message_get_tool_blocks (message));

  if (*content != '\0')
    {
      g_string_append (out, content);
      if (!g_str_has_suffix (content, "\n"))
        g_string_append_c (out, '\n');
      g_string_append_c (out, '\n');
    }

  append_attachments (out, byok_message_get_attachments (message), media_dir);

  if (g_str_equal (status, BYOK_MESSAGE_STATUS_ERROR))
    g_string_append_printf (out, "_%s (%s): %s_\n\n", _("Error"),
                            byok_message_get_error_class (message) != NULL
                            ? byok_message_get_error_class (message) : "UNKNOWN",
                            byok_message_get_error_message (message) != NULL
                            ? byok_message_get_error_message (message) : "");
  else if (g_str_equal (status, BYOK_MESSAGE_STATUS_PARTIAL) ||
           g_str_equal (status, BYOK_MESSAGE_STATUS_STREAMING))
    g_string_append_printf (out, "_%s_\n\n", _("The answer stopped before the end."));

  if (byok_message_get_attempts (message) != NULL)
    g_string_append_printf (out, "_%s %s_\n\n", _("Attempts:"), byok_message_get_attempts (message));

  if (g_str_equal (role, BYOK_MESSAGE_ROLE_ASSISTANT))
    append_answer_line (out, message);
}

static gboolean
write_markdown (ByokConversation  *conversation,
                GPtrArray         *messages,
                const char        *media_dir,
                GOutputStream     *stream,
                GCancellable      *cancellable,
                GError           **error)
{
  g_autoptr(GString) out = g_string_sized_new (EXPORT_FLUSH_SIZE + 4096);
  const char *title = byok_conversation_get_title (conversation);
  const char *provider = byok_conversation_get_provider (conversation);
  const char *model = byok_conversation_get_model (conversation);
  const char *system_prompt = byok_conversation_get_system_prompt (conversation);
  g_autofree char *created = local_date (byok_conversation_get_created (conversation));

  g_string_append_printf (out, "# %s\n\n", *title != '\0' ? title : _("Untitled conversation"));
  g_string_append_c (out, '_');
  if (model != NULL)
    g_string_append_printf (out, "%s · ", model);
  if (provider != NULL)
    g_string_append_printf (out, "%s · ", provider);
  g_string_append_printf (out, "%s_\n\n", created);

  if (system_prompt != NULL)
    g_string_append_printf (out, "## %s\n\n%s\n\n", _("System prompt"), system_prompt);

  for (guint i = 0; i < messages->len; i++)
    {
      append_markdown_message (out, g_ptr_array_index (messages, i), media_dir);
      if (out->len >= EXPORT_FLUSH_SIZE &&
          !byok_file_write_buffer (stream, out, cancellable, error))
        return FALSE;
    }

  return byok_file_write_buffer (stream, out, cancellable, error) &&
         g_output_stream_flush (stream, cancellable, error);
}

static void
add_int_or_null (JsonBuilder *builder,
                 const char  *name,
                 gboolean     known,
                 gint64       value)
{
  json_builder_set_member_name (builder, name);
  if (known)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       us)
{
  g_autofree char *utc_name = g_strconcat (name, "_utc", NULL);
  g_autofree char *utc = byok_format_iso_utc (us / G_USEC_PER_SEC);

  byok_json_builder_add_int (builder, name, us);
  byok_json_builder_add_string_or_null (builder, utc_name, utc);
}

static void
add_json_message (JsonBuilder *builder,
                  ByokMessage *message)
{
  const char *reasoning = byok_message_get_reasoning (message);
  ByokUsage usage;

  byok_message_get_usage (message, &usage);

  json_builder_begin_object (builder);
  byok_json_builder_add_int (builder, "id", byok_message_get_id (message));
  byok_json_builder_add_int (builder, "conversation_id", byok_message_get_conversation_id (message));
  byok_json_builder_add_int (builder, "position", byok_message_get_position (message));
  add_time (builder, "created", byok_message_get_created (message));
  byok_json_builder_add_string_or_null (builder, "role", byok_message_get_role (message));
  byok_json_builder_add_string_or_null (builder, "content", byok_message_get_content (message));
  byok_json_builder_add_string_or_null (builder, "reasoning", *reasoning != '\0' ? reasoning : NULL);
  byok_json_builder_add_string_or_null (builder, "provider", byok_message_get_provider (message));
  byok_json_builder_add_string_or_null (builder, "model", byok_message_get_model (message));
  byok_json_builder_add_string_or_null (builder, "status", byok_message_get_status (message));
  byok_json_builder_add_string_or_null (builder, "error_class", byok_message_get_error_class (message));
  byok_json_builder_add_string_or_null (builder, "error_message", byok_message_get_error_message (message));
  add_int_or_null (builder, "input_tokens", usage.reported, usage.input_tokens);
  add_int_or_null (builder, "output_tokens", usage.reported, usage.output_tokens);
  add_int_or_null (builder, "cached_input_tokens", usage.reported, usage.cached_input_tokens);
  add_int_or_null (builder, "cache_write_tokens", usage.reported, usage.cache_write_tokens);
  add_int_or_null (builder, "reasoning_tokens", usage.reported, usage.reasoning_tokens);
  json_builder_set_member_name (builder, "price_known");
  json_builder_add_boolean_value (builder, byok_message_get_price_known (message));
  json_builder_set_member_name (builder, "cost_usd");
  if (byok_message_get_price_known (message))
    json_builder_add_double_value (builder, byok_message_get_cost_usd (message));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "reported_cost_usd");
  if (byok_message_get_cost_reported (message))
    json_builder_add_double_value (builder, byok_message_get_reported_cost_usd (message));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "estimated");
  json_builder_add_boolean_value (builder, byok_message_get_estimated (message));
  add_int_or_null (builder, "latency_us", byok_message_get_latency_us (message) >= 0,
                   byok_message_get_latency_us (message));
  add_int_or_null (builder, "ttft_us", byok_message_get_ttft_us (message) >= 0,
                   byok_message_get_ttft_us (message));
  byok_json_builder_add_string_or_null (builder, "attempts", byok_message_get_attempts (message));
  if (byok_message_get_attachments (message) != NULL)
    {
      GPtrArray *attachments = byok_message_get_attachments (message);

      json_builder_set_member_name (builder, "attachments");
      json_builder_begin_array (builder);
      for (guint i = 0; i < attachments->len; i++)
        {
          ByokAttachment *attachment = g_ptr_array_index (attachments, i);

          json_builder_begin_object (builder);
          byok_json_builder_add_string_or_null (builder, "name", attachment->name);
          byok_json_builder_add_string_or_null (builder, "kind", byok_attachment_kind_to_string (attachment->kind));
          byok_json_builder_add_string_or_null (builder, "mime_type", attachment->mime_type);
          byok_json_builder_add_string_or_null (builder, "text", attachment->text);
          byok_json_builder_add_int (builder, "tokens", attachment->tokens);
          if (byok_attachment_is_media (attachment))
            {
              g_autofree char *base64 = NULL;

              byok_json_builder_add_string_or_null (builder, "sha256", attachment->hash);
              if (attachment->kind == BYOK_ATTACHMENT_IMAGE)
                {
                  byok_json_builder_add_int (builder, "width", attachment->width);
                  byok_json_builder_add_int (builder, "height", attachment->height);
                }
              else
                byok_json_builder_add_int (builder, "pages", attachment->pages);
              if (attachment->data != NULL)
                base64 = g_base64_encode (g_bytes_get_data (attachment->data, NULL),
                                          g_bytes_get_size (attachment->data));
              byok_json_builder_add_string_or_null (builder, "data_base64", base64);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  if (byok_message_get_tool_blocks (message) != NULL)
    {
      GPtrArray *blocks = byok_message_get_tool_blocks (message);

      json_builder_set_member_name (builder, "tool_calls");
      json_builder_begin_array (builder);
      for (guint i = 0; i < blocks->len; i++)
        json_builder_add_value (builder, byok_tool_block_to_json_node (g_ptr_array_index (blocks, i)));
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
}

static gboolean
write_json (ByokConversation  *conversation,
            GPtrArray         *messages,
            GOutputStream     *stream,
            GCancellable      *cancellable,
            GError           **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  double temperature = byok_conversation_get_temperature (conversation);

  json_builder_begin_object (builder);
  byok_json_builder_add_int (builder, "id", byok_conversation_get_id (conversation));
  byok_json_builder_add_string_or_null (builder, "title", byok_conversation_get_title (conversation));
  add_time (builder, "created", byok_conversation_get_created (conversation));
  add_time (builder, "updated", byok_conversation_get_updated (conversation));
  byok_json_builder_add_string_or_null (builder, "provider", byok_conversation_get_provider (conversation));
  byok_json_builder_add_string_or_null (builder, "model", byok_conversation_get_model (conversation));
  byok_json_builder_add_string_or_null (builder, "system_prompt", byok_conversation_get_system_prompt (conversation));
  json_builder_set_member_name (builder, "temperature");
  if (temperature >= 0)
    json_builder_add_double_value (builder, temperature);
  else
    json_builder_add_null_value (builder);
  add_int_or_null (builder, "max_tokens", byok_conversation_get_max_tokens (conversation) > 0,
                   byok_conversation_get_max_tokens (conversation));
  byok_json_builder_add_string_or_null (builder, "reasoning_effort",
                                        byok_conversation_get_effort (conversation) != BYOK_EFFORT_DEFAULT
                                        ? byok_effort_to_string (byok_conversation_get_effort (conversation)) : NULL);
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  for (guint i = 0; i < messages->len; i++)
    add_json_message (builder, g_ptr_array_index (messages, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_stream (generator, stream, cancellable, error) &&
         g_output_stream_write_all (stream, "\n", 1, NULL, cancellable, error) &&
         g_output_stream_flush (stream, cancellable, error);
}

static gboolean
write_export (ByokConversation              *conversation,
              GPtrArray                     *messages,
              ByokConversationExportFormat   format,
              const char                    *media_dir,
              GOutputStream                 *stream,
              GCancellable                  *cancellable,
              GError                       **error)
{
  if (format == BYOK_CONVERSATION_EXPORT_JSON)
    return write_json (conversation, messages, stream, cancellable, error);
  return write_markdown (conversation, messages, media_dir, stream, cancellable, error);
}

/**
 * byok_conversation_store_export:
 * @format: Markdown (for people: title, each message under its role,
 *   reasoning in a collapsed quote, a line per answer with model, tokens
 *   and cost; images and PDFs by name — byok_conversation_store_export_async()
 *   writes them beside the file) or JSON (every field of the conversation
 *   and its messages; times as unix µs plus `*_utc` ISO 8601; unknown
 *   values null; images and PDFs with their bytes in base64)
 * @stream: where to write; not closed
 *
 * Writes @conversation as stored. Blocks: in the app use
 * byok_conversation_store_export_async().
 */
gboolean
byok_conversation_store_export (ByokConversationStore         *self,
                                ByokConversation              *conversation,
                                ByokConversationExportFormat   format,
                                GOutputStream                 *stream,
                                GCancellable                  *cancellable,
                                GError                       **error)
{
  g_autoptr(GPtrArray) messages = NULL;

  g_return_val_if_fail (BYOK_IS_CONVERSATION_STORE (self), FALSE);
  g_return_val_if_fail (BYOK_IS_CONVERSATION (conversation), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  if (!_byok_conversation_store_check_stored (self, conversation, error))
    return FALSE;
  messages = _byok_conversation_store_load_messages (byok_database_get_handle (self->database),
                                                     byok_conversation_get_id (conversation), error);
  if (messages == NULL)
    return FALSE;
  return write_export (conversation, messages, format, NULL, stream, cancellable, error);
}

typedef struct {
  ByokConversation             *conversation;   /* a detached copy */
  GPtrArray                    *messages;       /* fresh objects, not the UI's */
  ByokConversationExportFormat  format;
  GFile                        *file;
  char                         *media_dir;      /* beside the file, relative; or NULL */
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->conversation);
  g_clear_pointer (&data->messages, g_ptr_array_unref);
  g_clear_object (&data->file);
  g_free (data->media_dir);
  g_free (data);
}

static gboolean
write_data (GOutputStream  *stream,
            gpointer        user_data,
            GCancellable   *cancellable,
            GError        **error)
{
  ExportData *data = user_data;

  return write_export (data->conversation, data->messages, data->format, data->media_dir,
                       stream, cancellable, error);
}

static gboolean
write_bytes (GOutputStream  *stream,
             gpointer        user_data,
             GCancellable   *cancellable,
             GError        **error)
{
  GBytes *bytes = user_data;

  return g_output_stream_write_all (stream, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                    NULL, cancellable, error);
}

/* A Markdown export's images and PDFs, each once, into "NAME_files"
 * beside "NAME.md" (0700; the files 0600, as the export). Sets
 * data->media_dir when there are any. */
static gboolean
write_media (ExportData    *data,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GFile) parent = g_file_get_parent (data->file);
  g_autofree char *basename = g_file_get_basename (data->file);
  g_autoptr(GHashTable) written = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GFile) folder = NULL;
  g_autofree char *folder_path = NULL;
  char *dot;

  if (parent == NULL)
    return TRUE;
  dot = strrchr (basename, '.');
  if (dot != NULL && dot != basename)
    *dot = '\0';
  data->media_dir = g_strconcat (basename, "_files", NULL);
  folder = g_file_get_child (parent, data->media_dir);

  for (guint i = 0; i < data->messages->len; i++)
    {
      GPtrArray *attachments = byok_message_get_attachments (g_ptr_array_index (data->messages, i));

      for (guint j = 0; attachments != NULL && j < attachments->len; j++)
        {
          ByokAttachment *attachment = g_ptr_array_index (attachments, j);
          g_autofree char *name = NULL;
          g_autoptr(GFile) child = NULL;

          if (!byok_attachment_is_media (attachment) || attachment->data == NULL)
            continue;
          name = media_file_name (attachment);
          if (!g_hash_table_add (written, g_strdup (name)))
            continue;
          if (folder_path == NULL)
            {
              folder_path = g_file_get_path (folder);
              if (folder_path == NULL || g_mkdir_with_parents (folder_path, 0700) != 0)
                {
                  g_set_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE,
                               _("Could not make the folder for the exported images: %s"),
                               g_strerror (errno));
                  return FALSE;
                }
            }
          child = g_file_get_child (folder, name);
          if (!byok_file_write_private (child, write_bytes, attachment->data, cancellable, error))
            return FALSE;
        }
    }
  if (g_hash_table_size (written) == 0)
    g_clear_pointer (&data->media_dir, g_free);
  return TRUE;
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *data = task_data;
  GError *error = NULL;

  if (data->format == BYOK_CONVERSATION_EXPORT_MARKDOWN && !write_media (data, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (!byok_file_write_private (data->file, write_data, data, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * byok_conversation_store_export_async:
 * @file: the file to write; replaced only once the export is complete
 *
 * byok_conversation_store_export() into @file. The messages are read here
 * (one query); formatting and writing happen in a worker thread. A
 * Markdown export writes its images and PDFs into a folder beside @file,
 * "NAME_files" for "NAME.md", and links them.
 */
void
byok_conversation_store_export_async (ByokConversationStore         *self,
                                      ByokConversation              *conversation,
                                      ByokConversationExportFormat   format,
                                      GFile                         *file,
                                      GCancellable                  *cancellable,
                                      GAsyncReadyCallback            callback,
                                      gpointer                       user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  GError *error = NULL;
  ExportData *data;

  g_return_if_fail (BYOK_IS_CONVERSATION_STORE (self));
  g_return_if_fail (BYOK_IS_CONVERSATION (conversation));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byok_conversation_store_export_async);

  if (!_byok_conversation_store_check_stored (self, conversation, &error) ||
      (messages = _byok_conversation_store_load_messages (byok_database_get_handle (self->database),
                                                          byok_conversation_get_id (conversation), &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  data = g_new0 (ExportData, 1);
  data->conversation = _byok_conversation_store_copy_conversation (conversation);
  data->messages = g_steal_pointer (&messages);
  data->format = format;
  data->file = g_object_ref (file);
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
byok_conversation_store_export_finish (ByokConversationStore  *self,
                                       GAsyncResult           *result,
                                       GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == byok_conversation_store_export_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

