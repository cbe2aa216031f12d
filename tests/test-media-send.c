/* test-media-send.c — images and PDFs on the wire (issue 16): the exact
 * parts each dialect sends for an image and a PDF (as a file to a model
 * that reads PDFs, as its text to one that does not), a text-only message
 * still one string; an image to a model that cannot see and a scanned PDF
 * to one that cannot read PDFs refused with nothing sent; Auto and the
 * fallbacks skip models that cannot read what is attached; and the tokens
 * by each provider's rule, in exact numbers for known sizes; and a stored
 * conversation with an image, a PDF and a text file, asked again after a
 * restart, arriving part for part in each dialect.
 *
 * The attachments are made here, as media loading will make them: real
 * PNG and JPEG bytes from gdk-pixbuf, real PDFs from cairo. */
#include "config.h"

#include <string.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>

#include <glib/gstdio.h>

#include "byok-client.h"
#include "byok-conversation-store.h"
#include "byok-database.h"
#include "byok-error.h"
#include "byok-media.h"
#include "byok-router.h"
#include "byok-test-engine.h"
#include "byok-test-server.h"
#include "byok-test-util.h"

#define OPENAI_KEY     "sk-test-fake-openai-000000000001"
#define ANTHROPIC_KEY  "sk-ant-test-fake-000000000002"
#define GEMINI_KEY     "AIzaTestFakeGeminiKey000000000000003"
#define MOONSHOT_KEY   "sk-test-fake-moonshot-00000000004"
#define DEEPSEEK_KEY   "sk-test-fake-deepseek-00000000006"
#define OPENROUTER_KEY "sk-or-v1-test-fake-00000000008"

#define PAGE_TEXT "--- page 1 ---\nQuarterly figures: 42 units.\n"

/* ---- attachments, made for real ------------------------------------------ */

static ByokAttachment *
new_attachment (ByokAttachmentKind  kind,
                const char         *name,
                const char         *mime_type,
                GBytes             *data)
{
  ByokAttachment *attachment = g_new0 (ByokAttachment, 1);

  attachment->kind = kind;
  attachment->name = g_strdup (name);
  attachment->mime_type = g_strdup (mime_type);
  attachment->data = g_bytes_ref (data);
  attachment->hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, data);
  return attachment;
}

static ByokAttachment *
make_image (const char *type,
            int         width,
            int         height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  g_autofree char *buffer = NULL;
  g_autofree char *name = g_strconcat ("shot.", type, NULL);
  g_autofree char *mime_type = g_strconcat ("image/", type, NULL);
  g_autoptr(GBytes) data = NULL;
  ByokAttachment *attachment;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, 0x3584e4ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, type, &error, NULL));
  g_assert_no_error (error);
  data = g_bytes_new_take (g_steal_pointer (&buffer), size);
  attachment = new_attachment (BYOK_ATTACHMENT_IMAGE, name, mime_type, data);
  attachment->width = width;
  attachment->height = height;
  return attachment;
}

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* A one-page PDF with a text layer, or only a drawing (a scan, as far as
 * any text extraction can tell). */
static ByokAttachment *
make_pdf (const char *name,
          gboolean    with_text)
{
  GByteArray *bytes = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_bytes, bytes, 612, 792);
  cairo_t *cr = cairo_create (surface);
  g_autoptr(GBytes) data = NULL;
  ByokAttachment *attachment;

  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  if (with_text)
    {
      cairo_move_to (cr, 72, 72);
      cairo_show_text (cr, "Quarterly figures: 42 units.");
    }
  else
    {
      cairo_rectangle (cr, 72, 72, 300, 200);
      cairo_fill (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  data = g_byte_array_free_to_bytes (bytes);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (data, NULL), "%PDF"));
  attachment = new_attachment (BYOK_ATTACHMENT_PDF, name, "application/pdf", data);
  attachment->pages = 1;
  attachment->text = g_strdup (with_text ? PAGE_TEXT : "");
  return attachment;
}

static GPtrArray *
attachments_of (ByokAttachment *first,
                ...)
{
  GPtrArray *array = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_attachment_free);
  va_list args;

  va_start (args, first);
  for (ByokAttachment *a = first; a != NULL; a = va_arg (args, ByokAttachment *))
    g_ptr_array_add (array, a);
  va_end (args);
  return array;
}

static char *
base64_of (const ByokAttachment *attachment)
{
  gsize size;
  const guchar *data = g_bytes_get_data (attachment->data, &size);

  return g_base64_encode (data, size);
}

/* ---- the provider test server -------------------------------------------- */

typedef struct {
  ByokTestServer *server;
  ByokCatalog    *catalog;
  ByokKeyStore   *keys;
  ByokClient     *client;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char *env[] = {
    "OPENAI_API_KEY=" OPENAI_KEY,
    "ANTHROPIC_API_KEY=" ANTHROPIC_KEY,
    "GEMINI_API_KEY=" GEMINI_KEY,
    "MOONSHOT_API_KEY=" MOONSHOT_KEY,
    "DEEPSEEK_API_KEY=" DEEPSEEK_KEY,
    "OPENROUTER_API_KEY=" OPENROUTER_KEY,
    NULL
  };
  const char *providers[] = { "openai", "anthropic", "gemini", "moonshot", "deepseek", "openrouter" };

  f->server = byok_test_server_new ();
  f->catalog = byok_catalog_new_default ();
  f->keys = byok_key_store_new ();
  byok_key_store_set_environment (f->keys, env);
  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    byok_key_store_set_prefer_environment (f->keys, providers[i], TRUE);
  f->client = byok_client_new (f->catalog, f->keys);
  byok_client_set_backoff_base_ms (f->client, 5);

  byok_test_point_providers (f->catalog, f->server, "openai", "anthropic", "gemini", "moonshot", "deepseek",
                             "openrouter", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->client);
  g_clear_object (&f->keys);
  g_clear_object (&f->catalog);
  g_clear_object (&f->server);
}

static ByokChatResult *
run_chat (Fixture            *f,
          ByokChatRequest    *request,
          const char         *provider_id,
          const char * const *fallbacks)
{
  g_autoptr(ByokChatCall) call = byok_client_new_chat (f->client, request, provider_id, NULL, fallbacks);
  g_autoptr(GAsyncResult) async = NULL;

  byok_chat_call_run_async (call, NULL, byok_test_store_result, &async);
  byok_test_wait_result (&async);
  return byok_chat_call_run_finish (call, async);
}

/* A request of one user message, "What is this?", with @attachments. */
static ByokChatRequest *
request_with (const char *model,
              GPtrArray  *attachments)
{
  ByokChatRequest *request = byok_chat_request_new (model);

  request->stream = FALSE;
  byok_chat_request_add_message_with_attachments (request, BYOK_CHAT_ROLE_USER, "What is this?", attachments);
  return request;
}

/* Where a request goes: a provider's model, the server's path for it, and
 * the dialect's fixture that answers */
typedef struct {
  const char *provider_id;
  const char *model;
  const char *endpoint;
  const char *dialect;
  const char *reply;
} Target;

/* Sends @request to @to, answered with its reply, and returns the body the
 * server received. */
static JsonNode *
send_and_read_body (Fixture         *f,
                    ByokChatRequest *request,
                    const Target    *to)
{
  g_autofree char *reply = byok_test_read_fixture (to->dialect, to->reply);
  g_autoptr(ByokChatResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ByokTestRequest *req;
  JsonNode *body;

  byok_test_server_add_reply (f->server, to->endpoint, byok_test_reply_new_json (200, reply));
  result = run_chat (f, request, to->provider_id, NULL);
  g_assert_no_error (result->error);
  g_assert_cmpuint (byok_test_server_count_path (f->server, to->endpoint), ==, 1);
  req = byok_test_server_get_last_request (f->server);
  body = json_from_string (g_bytes_get_data (req->body, NULL), &error);
  g_assert_no_error (error);
  return body;
}

/* The first message's content (OpenAI, Anthropic) or parts (Gemini). */
static JsonNode *
first_content (JsonNode   *body,
               const char *messages,
               const char *content)
{
  JsonObject *root = json_node_get_object (body);
  JsonArray *list = json_object_get_array_member (root, messages);

  return json_object_get_member (json_array_get_object_element (list, 0), content);
}

static void
assert_json (JsonNode   *actual,
             const char *expected_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) expected = json_from_string (expected_json, &error);

  g_assert_no_error (error);
  if (!json_node_equal (actual, expected))
    {
      g_autofree char *got = json_to_string (actual, FALSE);

      g_test_message ("expected %.600s", expected_json);
      g_test_message ("got      %.600s", got);
      g_test_fail ();
    }
}

/* ---- each dialect's parts ------------------------------------------------- */

/* "What is this?" with an image and a PDF (each optional), sent to one
 * provider: the first message's content (OpenAI, Anthropic) or parts
 * (Gemini) as the server got it, {image} and {pdf} in @expected standing
 * for the attachments' base64 */
typedef struct {
  const char *path;
  Target      to;
  const char *image;      /* its type, NULL: none */
  int         width, height;
  const char *pdf;        /* its name, NULL: none */
  gboolean    pdf_text;   /* with a text layer, or a scan */
  const char *messages;
  const char *content;
  const char *expected;
} MediaCase;

static const MediaCase media_cases[] = {
  { "/media-send/openai/image-and-pdf", { "openai", "gpt-4o", "/v1/chat/completions", "openai",
    "openai-response.json" }, "png", 64, 48, "report.pdf", TRUE, "messages", "content",
    "[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,{image}\",\"detail\":\"high\"}},"
    " {\"type\":\"file\",\"file\":{\"filename\":\"report.pdf\",\"file_data\":\"data:application/pdf;base64,{pdf}\"}},"
    " {\"type\":\"text\",\"text\":\"What is this?\"}]" },
  /* OpenAI-compatible servers other than OpenAI's get no "detail". */
  { "/media-send/openai/no-detail-elsewhere",
    { "openrouter", "openai/gpt-4o", "/openrouter/api/v1/chat/completions", "openai", "openai-response.json" }, "jpeg", 40, 30, NULL, FALSE, "messages", "content",
    "[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/jpeg;base64,{image}\"}},"
    " {\"type\":\"text\",\"text\":\"What is this?\"}]" },
  /* A PDF with a text layer to a model that reads no PDFs goes as its
   * text, like a text file, page markers kept; the content stays one
   * string. */
  { "/media-send/openai/pdf-as-text", { "deepseek", "deepseek-chat", "/deepseek/chat/completions", "openai",
    "deepseek-response.json" }, NULL, 0, 0, "report.pdf", TRUE, "messages", "content",
    "\"<file name=\\\"report.pdf\\\">\\n--- page 1 ---\\nQuarterly figures: 42 units.\\n</file>\\n\\nWhat is this?\"" },
  /* Text alone is a plain string, never a list, for every dialect's kin. */
  { "/media-send/openai/text-stays-string", { "moonshot", "kimi-k2.6", "/moonshot/v1/chat/completions", "openai",
    "openai-response.json" }, NULL, 0, 0, NULL, FALSE, "messages", "content",
    "\"What is this?\"" },
  { "/media-send/anthropic/image-and-pdf", { "anthropic", "claude-sonnet-4-6", "/v1/messages", "anthropic",
    "response.json" }, "jpeg", 64, 48, "scan.pdf", FALSE, "messages", "content",
    "[{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/jpeg\",\"data\":\"{image}\"}},"
    " {\"type\":\"document\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"{pdf}\"}},"
    " {\"type\":\"text\",\"text\":\"What is this?\"}]" },
  { "/media-send/gemini/image-and-pdf", { "gemini", "gemini-2.5-flash", "/v1beta/models/gemini-2.5-flash:generateContent", "gemini",
    "response.json" }, "png", 64, 48, "report.pdf", TRUE, "contents", "parts",
    "[{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"{image}\"}},"
    " {\"inlineData\":{\"mimeType\":\"application/pdf\",\"data\":\"{pdf}\"}},"
    " {\"text\":\"What is this?\"}]" },
};

/* @expected with {image} and {pdf} replaced by those base64 texts */
static char *
with_media (const char *expected,
            const char *image,
            const char *pdf)
{
  GString *json = g_string_new (expected);

  if (image != NULL)
    g_string_replace (json, "{image}", image, 0);
  if (pdf != NULL)
    g_string_replace (json, "{pdf}", pdf, 0);
  return g_string_free (json, FALSE);
}

static void
test_media_parts (Fixture       *f,
                  gconstpointer  data)
{
  const MediaCase *c = data;
  g_autoptr(GPtrArray) attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_attachment_free);
  g_autoptr(ByokChatRequest) request = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *image = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *expected = NULL;

  if (c->image != NULL)
    {
      g_ptr_array_add (attachments, make_image (c->image, c->width, c->height));
      image = base64_of (g_ptr_array_index (attachments, 0));
    }
  if (c->pdf != NULL)
    {
      g_ptr_array_add (attachments, make_pdf (c->pdf, c->pdf_text));
      pdf = base64_of (g_ptr_array_index (attachments, attachments->len - 1));
    }
  request = request_with (c->to.model, attachments->len > 0 ? attachments : NULL);
  body = send_and_read_body (f, request, &c->to);
  expected = with_media (c->expected, image, pdf);
  assert_json (first_content (body, c->messages, c->content), expected);
}

/* ---- from a stored conversation, after a restart ------------------------- */

/* The conversation as the app keeps it: a picture asked about and answered,
 * then a PDF and a text file with a second question, whose answer is then
 * regenerated — after a restart, by another Byok on the same database
 * file, by GPT-4o, then Claude, then Gemini (the model changed, asked
 * again).
 * Each provider gets every message's parts in its own dialect, the bytes
 * read back from the database being the ones attached. */
typedef struct {
  char           *dir;
  char           *path;
  ByokAttachment *image;
  ByokAttachment *pdf;
  ByokAttachment *note;
  gint64          conversation_id;
} Stored;

static void
store_conversation (Stored *stored)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokDatabase) database = byok_database_open (stored->path, &error);
  g_autoptr(ByokConversationStore) store = NULL;
  g_autoptr(ByokConversation) conversation = NULL;
  ByokAttachment *second[] = { stored->pdf, stored->note };
  struct {
    const char      *role;
    const char      *text;
    ByokAttachment **attachments;
    guint            n_attachments;
  } turns[] = {
    { BYOK_MESSAGE_ROLE_USER, "What is this?", &stored->image, 1 },
    { BYOK_MESSAGE_ROLE_ASSISTANT, "A blue square.", NULL, 0 },
    { BYOK_MESSAGE_ROLE_USER, "And these?", second, 2 },
    { BYOK_MESSAGE_ROLE_ASSISTANT, "An answer to ask again.", NULL, 0 },
  };

  g_assert_no_error (error);
  store = byok_conversation_store_new (database, &error);
  g_assert_no_error (error);
  conversation = byok_conversation_store_create (store, "Pictures", "openai", "gpt-4o", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (turns); i++)
    {
      g_autoptr(ByokMessage) message = byok_message_new (turns[i].role, turns[i].text);

      if (turns[i].n_attachments > 0)
        {
          g_autoptr(GPtrArray) list = g_ptr_array_new ();

          for (guint j = 0; j < turns[i].n_attachments; j++)
            g_ptr_array_add (list, turns[i].attachments[j]);
          byok_message_set_attachments (message, list);
        }
      g_assert_true (byok_conversation_store_append_message (store, conversation, message, &error));
      g_assert_no_error (error);
    }
  stored->conversation_id = byok_conversation_get_id (conversation);
}

/* A new store on the same file (the app restarted) regenerates the last
 * answer, with @to's model as the conversation's model, as
 * the chat page does: the answer deleted, the request built from what is
 * stored, sent. Returns the body the server got. */
static JsonNode *
regenerate_after_restart (Fixture      *f,
                          Stored       *stored,
                          const Target *to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokDatabase) database = byok_database_open (stored->path, &error);
  g_autoptr(ByokConversationStore) store = NULL;
  g_autoptr(GListModel) messages = NULL;
  g_autoptr(ByokMessage) answer = NULL;
  g_autoptr(ByokChatRequest) request = NULL;
  ByokConversation *conversation;
  JsonNode *body;

  g_assert_no_error (error);
  store = byok_conversation_store_new (database, &error);
  g_assert_no_error (error);
  conversation = byok_conversation_store_lookup (store, stored->conversation_id);
  g_assert_nonnull (conversation);
  byok_conversation_set_provider (conversation, to->provider_id);
  byok_conversation_set_model (conversation, to->model);
  g_assert_true (byok_conversation_store_save_conversation (store, conversation, &error));
  messages = byok_conversation_store_get_messages (store, conversation, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 4);
  answer = g_list_model_get_item (messages, 3);
  g_assert_true (byok_conversation_store_delete_messages_after (store, conversation,
                                                                byok_message_get_position (answer) - 1, &error));
  g_assert_no_error (error);

  request = byok_conversation_store_build_request (store, conversation, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (request->model, ==, to->model);
  /* One reply as a whole: the parts are the same streamed or not. */
  request->stream = FALSE;
  body = send_and_read_body (f, request, to);

  /* The new answer kept, for the next restart to ask again. */
  g_clear_object (&answer);
  answer = byok_message_new (BYOK_MESSAGE_ROLE_ASSISTANT, "An answer to ask again.");
  g_assert_true (byok_conversation_store_append_message (store, conversation, answer, &error));
  g_assert_no_error (error);
  return body;
}

/* The last answer asked again of one provider, after a restart: the whole
 * conversation's @messages as the server got it */
typedef struct {
  Target      to;
  const char *messages;
  gboolean    names_model;   /* the body says the model too */
  const char *expected;
} Regeneration;

/* Each provider in turn, each after a restart */
static const Regeneration regenerations[] = {
  /* OpenAI: image_url with detail, the PDF as a file, the text file in
   * the question's text; the answer a plain string. */
  { { "openai", "gpt-4o", "/v1/chat/completions", "openai", "openai-response.json" }, "messages", TRUE,
    "[{\"role\":\"user\",\"content\":["
    "  {\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,{image}\",\"detail\":\"high\"}},"
    "  {\"type\":\"text\",\"text\":\"What is this?\"}]},"
    " {\"role\":\"assistant\",\"content\":\"A blue square.\"},"
    " {\"role\":\"user\",\"content\":["
    "  {\"type\":\"file\",\"file\":{\"filename\":\"minutes.pdf\",\"file_data\":\"data:application/pdf;base64,{pdf}\"}},"
    "  {\"type\":\"text\",\"text\":\"<file name=\\\"notes.txt\\\">\\nBring the figures.\\n</file>\\n\\nAnd these?\"}]}]" },
  /* Anthropic, after another restart: image and document blocks. */
  { { "anthropic", "claude-sonnet-4-6", "/v1/messages", "anthropic", "response.json" }, "messages", TRUE,
    "[{\"role\":\"user\",\"content\":["
    "  {\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"{image}\"}},"
    "  {\"type\":\"text\",\"text\":\"What is this?\"}]},"
    " {\"role\":\"assistant\",\"content\":\"A blue square.\"},"
    " {\"role\":\"user\",\"content\":["
    "  {\"type\":\"document\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"{pdf}\"}},"
    "  {\"type\":\"text\",\"text\":\"<file name=\\\"notes.txt\\\">\\nBring the figures.\\n</file>\\n\\nAnd these?\"}]}]" },
  /* Gemini too: inlineData parts, the answer as the model's turn. */
  { { "gemini", "gemini-2.5-flash", "/v1beta/models/gemini-2.5-flash:generateContent", "gemini", "response.json" },
    "contents", FALSE,
    "[{\"role\":\"user\",\"parts\":["
    "  {\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"{image}\"}},"
    "  {\"text\":\"What is this?\"}]},"
    " {\"role\":\"model\",\"parts\":[{\"text\":\"A blue square.\"}]},"
    " {\"role\":\"user\",\"parts\":["
    "  {\"inlineData\":{\"mimeType\":\"application/pdf\",\"data\":\"{pdf}\"}},"
    "  {\"text\":\"<file name=\\\"notes.txt\\\">\\nBring the figures.\\n</file>\\n\\nAnd these?\"}]}]" },
};

static void
test_stored_restart_regenerate (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokAttachment) made = make_image ("png", 64, 48);
  g_autoptr(ByokAttachment) made_pdf = make_pdf ("unused.pdf", TRUE);
  Stored stored = { 0 };
  g_autofree char *image = NULL;
  g_autofree char *pdf = NULL;

  stored.dir = byok_test_make_dir ("media-send");
  stored.path = g_build_filename (stored.dir, "byok.db", NULL);
  /* Attached as the app attaches: the loader's image and PDF. */
  stored.image = byok_attachment_new_from_bytes ("chart.png", made->data, &error);
  g_assert_no_error (error);
  stored.pdf = byok_attachment_new_from_bytes ("minutes.pdf", made_pdf->data, &error);
  g_assert_no_error (error);
  g_assert_true (byok_attachment_has_text_layer (stored.pdf));
  stored.note = byok_attachment_new ("notes.txt", "Bring the figures.");
  image = base64_of (stored.image);
  pdf = base64_of (stored.pdf);

  store_conversation (&stored);

  for (guint i = 0; i < G_N_ELEMENTS (regenerations); i++)
    {
      const Regeneration *c = &regenerations[i];
      g_autoptr(JsonNode) body = regenerate_after_restart (f, &stored, &c->to);
      g_autofree char *expected = with_media (c->expected, image, pdf);

      assert_json (json_object_get_member (json_node_get_object (body), c->messages), expected);
      if (c->names_model)
        g_assert_cmpstr (json_object_get_string_member (json_node_get_object (body), "model"), ==, c->to.model);
    }

  byok_attachment_free (stored.image);
  byok_attachment_free (stored.pdf);
  byok_attachment_free (stored.note);
  byok_test_remove_tree (stored.dir);
  g_free (stored.path);
  g_free (stored.dir);
}

/* ---- refusals --------------------------------------------------------------- */

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  static const struct {
    const char *provider;
    const char *model;
    gboolean    image;   /* else a scanned PDF */
    const char *says;
  } cases[] = {
    { "deepseek", "deepseek-chat", TRUE, "cannot read images" },
    { "deepseek", "deepseek-chat", FALSE, "scanned PDF" },
    /* reads images, not PDFs */
    { "moonshot", "kimi-k3", FALSE, "scanned PDF" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) attachments = attachments_of (cases[i].image ? make_image ("png", 32, 32)
                                                                        : make_pdf ("scan.pdf", FALSE), NULL);
      g_autoptr(ByokChatRequest) request = request_with (cases[i].model, attachments);
      g_autoptr(ByokChatResult) result = NULL;

      g_test_message ("%s/%s", cases[i].provider, cases[i].model);
      result = run_chat (f, request, cases[i].provider, NULL);
      g_assert_error (result->error, BYOK_ERROR, BYOK_ERROR_UNSUPPORTED_INPUT);
      g_assert_cmpstr (byok_error_get_class (result->error), ==, "UNSUPPORTED_INPUT");
      g_assert_nonnull (strstr (result->error->message, cases[i].says));
      g_assert_false (byok_error_is_retryable (result->error));
      /* Nothing reached the provider. */
      g_assert_cmpuint (byok_test_server_get_n_requests (f->server), ==, 0);
    }
}

/* Refused by one target, the call goes on to a fallback that can read it. */
static void
test_refusal_falls_back (Fixture       *f,
                         gconstpointer  data)
{
  const char *fallbacks[] = { "openai/gpt-4o-mini", NULL };
  g_autoptr(GPtrArray) attachments = attachments_of (make_image ("png", 32, 32), NULL);
  g_autoptr(ByokChatRequest) request = request_with ("deepseek-chat", attachments);
  g_autoptr(ByokChatResult) result = NULL;
  g_autofree char *reply = byok_test_read_fixture ("openai", "openai-response.json");

  byok_test_server_add_reply (f->server, "/v1/chat/completions", byok_test_reply_new_json (200, reply));
  result = run_chat (f, request, "deepseek", fallbacks);
  g_assert_no_error (result->error);
  g_assert_cmpstr (result->provider_id, ==, "openai");
  g_assert_cmpuint (result->attempts->len, ==, 2);
  g_assert_error (((ByokAttempt *) g_ptr_array_index (result->attempts, 0))->error,
                  BYOK_ERROR, BYOK_ERROR_UNSUPPORTED_INPUT);
  g_assert_cmpuint (byok_test_server_count_path (f->server, "/deepseek/chat/completions"), ==, 0);
  g_assert_cmpuint (byok_test_server_count_path (f->server, "/v1/chat/completions"), ==, 1);
}

/* ---- Auto and the fallbacks ------------------------------------------------- */

/* How many of @routes go to a model with @cap. */
static guint
count_with (ByokCatalog           *catalog,
            GPtrArray             *routes,
            ByokModelCapabilities  cap)
{
  guint n = 0;

  for (guint i = 0; i < routes->len; i++)
    {
      ByokRoute *route = g_ptr_array_index (routes, i);

      n += byok_model_has_capability (byok_catalog_lookup_model (catalog, route->provider_id, route->model_id), cap);
    }
  return n;
}

static void
test_routing (void)
{
  g_autoptr(ByokCatalog) catalog = byok_catalog_new_default ();
  g_autoptr(ByokPricing) pricing = byok_pricing_new (catalog);
  const char *providers[] = { "deepseek", "moonshot", "openai", "anthropic", "gemini", NULL };
  const char *chain[] = { "deepseek/deepseek-chat", "moonshot/kimi-k3", "openai/gpt-4o-mini", NULL };
  g_autoptr(GPtrArray) image = attachments_of (make_image ("png", 64, 48), NULL);
  g_autoptr(GPtrArray) scan = attachments_of (make_pdf ("scan.pdf", FALSE), NULL);
  g_autoptr(GPtrArray) text_pdf = attachments_of (make_pdf ("report.pdf", TRUE), NULL);
  g_autoptr(GPtrArray) routes = NULL;
  g_auto(GStrv) fallbacks = NULL;

  /* Text alone may go to a model that cannot see... */
  routes = byok_router_rank_media (catalog, pricing, providers, 100, NULL, 0, BYOK_MODEL_CAP_NONE);
  g_assert_cmpuint (count_with (catalog, routes, BYOK_MODEL_CAP_VISION), <, routes->len);
  g_clear_pointer (&routes, g_ptr_array_unref);

  /* ...an image only to one that can; a scan only to one reading PDFs. */
  routes = byok_router_rank_media (catalog, pricing, providers, 100, image, 0, BYOK_MODEL_CAP_NONE);
  g_assert_cmpuint (count_with (catalog, routes, BYOK_MODEL_CAP_VISION), ==, routes->len);
  g_assert_cmpuint (routes->len, >, 0);
  g_clear_pointer (&routes, g_ptr_array_unref);
  routes = byok_router_rank_media (catalog, pricing, providers, 100, scan, 0, BYOK_MODEL_CAP_NONE);
  g_assert_cmpuint (count_with (catalog, routes, BYOK_MODEL_CAP_PDF), ==, routes->len);
  g_assert_cmpuint (routes->len, >, 0);

  /* The chain keeps only who can read it. */
  fallbacks = byok_router_fallbacks_media (catalog, chain, providers, "openai", "gpt-4o", 100, image, 0);
  g_assert_cmpuint (g_strv_length (fallbacks), ==, 2);
  g_assert_cmpstr (fallbacks[0], ==, "moonshot/kimi-k3");
  g_assert_cmpstr (fallbacks[1], ==, "openai/gpt-4o-mini");
  g_clear_pointer (&fallbacks, g_strfreev);
  fallbacks = byok_router_fallbacks_media (catalog, chain, providers, "openai", "gpt-4o", 100, scan, 0);
  g_assert_cmpuint (g_strv_length (fallbacks), ==, 1);
  g_assert_cmpstr (fallbacks[0], ==, "openai/gpt-4o-mini");
  g_clear_pointer (&fallbacks, g_strfreev);
  /* A PDF with text any model can read, as text. */
  fallbacks = byok_router_fallbacks_media (catalog, chain, providers, "openai", "gpt-4o", 100, text_pdf, 0);
  g_assert_cmpuint (g_strv_length (fallbacks), ==, 3);
}

/* ---- tokens, by each provider's rule -------------------------------------- */

static void
test_image_tokens (void)
{
  static const struct {
    const char *model;
    int         width;
    int         height;
    gint64      tokens;
  } cases[] = {
    /* OpenAI's tiles: its own worked examples */
    { "gpt-4o", 1024, 1024, 765 },
    { "gpt-4o", 2048, 4096, 1105 },
    { "gpt-4.1", 1024, 1024, 765 },
    { "gpt-4o", 64, 48, 255 },
    { "gpt-5", 1024, 1024, 630 },
    { "o3", 1024, 1024, 675 },
    { "gpt-4o-mini", 1024, 1024, 25501 },
    { "openai/gpt-4o", 1024, 1024, 765 },
    /* OpenAI's patches: 1024 of them, 1452 for the 1800×2400 example */
    { "gpt-4.1-mini", 1024, 1024, 1659 },
    { "gpt-4.1-mini", 1800, 2400, 2353 },
    { "gpt-4.1-nano", 1800, 2400, 3572 },
    { "gpt-5-nano", 1024, 1024, 2520 },
    { "o4-mini", 1024, 1024, 1762 },
    /* Anthropic: its table (200², 1000², 1092²), then resized */
    { "claude-sonnet-4-6", 200, 200, 54 },
    { "claude-sonnet-4-6", 1000, 1000, 1334 },
    { "claude-sonnet-4-6", 1092, 1092, 1590 },
    { "claude-sonnet-4-6", 4000, 3000, 1598 },
    { "claude-opus-4-7", 4000, 3000, 4783 },
    /* Gemini: one 258 within 384², else per 768² tile; Gemini 3 flat */
    { "gemini-2.5-flash", 384, 384, 258 },
    { "gemini-2.5-flash", 1024, 1024, 1032 },
    { "gemini-3-flash-preview", 1024, 1024, 1120 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s %d×%d", cases[i].model, cases[i].width, cases[i].height);
      g_assert_cmpint (byok_media_image_tokens (cases[i].model, cases[i].width, cases[i].height), ==,
                       cases[i].tokens);
    }
}

static void
test_pdf_tokens (void)
{
  g_autoptr(ByokCatalog) catalog = byok_catalog_new_default ();
  g_autoptr(ByokAttachment) pdf = make_pdf ("report.pdf", TRUE);
  gint64 text = byok_estimate_tokens (PAGE_TEXT, -1);
  ByokModel *deepseek = byok_catalog_lookup_model (catalog, "deepseek", "deepseek-chat");

  pdf->pages = 3;
  /* Gemini: per page, no text */
  g_assert_cmpint (byok_media_attachment_tokens (pdf, "gemini-2.5-flash",
                                                 byok_catalog_lookup_model (catalog, "gemini", "gemini-2.5-flash")),
                   ==, 3 * 258);
  g_assert_cmpint (byok_media_attachment_tokens (pdf, "gemini-3-flash-preview",
                                                 byok_catalog_lookup_model (catalog, "gemini", "gemini-3-flash-preview")),
                   ==, 3 * 560);
  /* Anthropic and OpenAI: the text and an image of each page */
  g_assert_cmpint (byok_media_pdf_page_tokens ("claude-sonnet-4-6"), ==, 1599);
  g_assert_cmpint (byok_media_attachment_tokens (pdf, "claude-sonnet-4-6",
                                                 byok_catalog_lookup_model (catalog, "anthropic", "claude-sonnet-4-6")),
                   ==, text + 3 * 1599);
  g_assert_cmpint (byok_media_attachment_tokens (pdf, "gpt-4o",
                                                 byok_catalog_lookup_model (catalog, "openai", "gpt-4o")),
                   ==, text + 3 * 765);
  /* As text to a model that reads no PDFs: the text in its <file> block */
  g_assert_false (byok_media_pdf_as_file (pdf, deepseek));
  g_assert_cmpint (byok_media_attachment_tokens (pdf, "deepseek-chat", deepseek), ==, text + 12);
}

/* The whole request, as the engine records its estimate. */
static void
test_request_tokens (void)
{
  g_autoptr(ByokCatalog) catalog = byok_catalog_new_default ();
  g_autoptr(GPtrArray) attachments = attachments_of (make_image ("png", 1024, 1024), NULL);
  g_autoptr(ByokChatRequest) request = request_with ("gpt-4o", attachments);
  gint64 text = byok_estimate_request_text_tokens (request);

  g_assert_cmpint (text, ==, byok_estimate_tokens ("What is this?", -1) + BYOK_ROUTER_MESSAGE_OVERHEAD);
  g_assert_cmpint (byok_estimate_request_tokens (request), ==, text + 765);
  g_assert_cmpint (byok_estimate_request_tokens_for_model (request,
                                                           byok_catalog_lookup_model (catalog, "anthropic",
                                                                                      "claude-sonnet-4-6")),
                   ==, text + 1399);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (media_cases); i++)
    g_test_add (media_cases[i].path, Fixture, &media_cases[i], fixture_setup, test_media_parts, fixture_teardown);
  g_test_add ("/media-send/stored/restart-regenerate", Fixture, NULL, fixture_setup, test_stored_restart_regenerate, fixture_teardown);
  g_test_add ("/media-send/refusals", Fixture, NULL, fixture_setup, test_refusals, fixture_teardown);
  g_test_add ("/media-send/refusal-falls-back", Fixture, NULL, fixture_setup, test_refusal_falls_back, fixture_teardown);
  g_test_add_func ("/media-send/routing", test_routing);
  g_test_add_func ("/media-send/tokens/image", test_image_tokens);
  g_test_add_func ("/media-send/tokens/pdf", test_pdf_tokens);
  g_test_add_func ("/media-send/tokens/request", test_request_tokens);
  return g_test_run ();
}
