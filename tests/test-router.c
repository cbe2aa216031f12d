/* test-router.c — token estimates, attachments and the cheapest model that
 * fits: estimates round up and count CJK per character; the ranking leaves
 * out models that cannot take the prompt, lack a capability, have no price
 * or are retired, and orders the rest by cost; the fallback chain keeps
 * only usable entries; an attachment is text or a classified error, and
 * survives the database, the request and the exports. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "byok-attachment.h"
#include "byok-conversation-store.h"
#include "byok-error.h"
#include "byok-router.h"
#include "byok-test-util.h"

#define PROVIDER(id, extra) \
  "{\"id\":\"" id "\",\"name\":\"" id "\",\"dialect\":\"openai\",\"base_url\":\"https://" id ".example/v1\"," \
  "\"auth\":\"bearer\",\"env\":[],\"key_hint\":{\"description\":\"d\"},\"models_list\":\"openai\"," \
  "\"key_check\":{\"method\":\"GET\",\"path\":\"/models\"}" extra

static const char catalog_json[] =
  "{\"version\":1,\"providers\":["
  PROVIDER ("a", ",\"models\":["
  "{\"id\":\"big\",\"name\":\"Big\",\"context_window\":200000,\"capabilities\":[\"streaming\",\"reasoning\",\"tools\"],"
  " \"price\":{\"input\":10,\"output\":30},\"price_source\":\"test\"},"
  "{\"id\":\"small\",\"name\":\"Small\",\"context_window\":8000,\"max_output\":512,\"capabilities\":[\"streaming\"],"
  " \"price\":{\"input\":1,\"output\":2},\"price_source\":\"test\"},"
  "{\"id\":\"old\",\"name\":\"Old\",\"context_window\":8000,\"capabilities\":[\"streaming\"],\"deprecation_date\":\"2001-01-01\","
  " \"price\":{\"input\":0.01,\"output\":0.01},\"price_source\":\"test\"},"
  "{\"id\":\"unpriced\",\"name\":\"Unpriced\",\"context_window\":8000,\"capabilities\":[\"streaming\"]}"
  "]},")
  PROVIDER ("b", ",\"models\":["
  "{\"id\":\"long\",\"name\":\"Long\",\"context_window\":1000000,\"capabilities\":[\"streaming\"],"
  " \"price\":{\"input\":2,\"output\":8},\"price_source\":\"test\"}"
  "]}")
  "]}";

static ByokCatalog *
test_catalog (void)
{
  g_autoptr(GError) error = NULL;
  ByokCatalog *catalog = byok_catalog_new_from_data (catalog_json, -1, &error);
  const char *listed[] = { "big", "small", "old", "unpriced", "nowindow", NULL };

  g_assert_no_error (error);
  /* A model the provider lists and the catalog does not know: no window,
   * no price. */
  byok_catalog_merge_models (catalog, "a", listed);
  g_assert_nonnull (byok_catalog_lookup_model (catalog, "a", "nowindow"));
  return catalog;
}

static void
test_estimate (void)
{
  g_assert_cmpint (byok_estimate_tokens ("", -1), ==, 0);
  g_assert_cmpint (byok_estimate_tokens (NULL, -1), ==, 0);
  /* Four Latin characters a token, rounded up. */
  g_assert_cmpint (byok_estimate_tokens ("abcd", -1), ==, 1);
  g_assert_cmpint (byok_estimate_tokens ("abcde", -1), ==, 2);
  g_assert_cmpint (byok_estimate_tokens ("Grüße", -1), ==, 2);
  /* A token per CJK character. */
  g_assert_cmpint (byok_estimate_tokens ("你好世界", -1), ==, 4);
  /* Two per other script's characters, rounded up. */
  g_assert_cmpint (byok_estimate_tokens ("Привет", -1), ==, 3);
  /* The length is honoured; invalid bytes count one each. */
  g_assert_cmpint (byok_estimate_tokens ("abcdefgh", 4), ==, 1);
  g_assert_cmpint (byok_estimate_tokens ("\xff\xfe", -1), ==, 2);
}

static void
test_estimate_request (void)
{
  g_autoptr(ByokChatRequest) request = byok_chat_request_new_simple ("m", "abcd", "abcdabcd");

  /* 1 + 2 tokens of text, and the overhead of two messages. */
  g_assert_cmpint (byok_estimate_request_tokens (request), ==, 3 + 2 * BYOK_ROUTER_MESSAGE_OVERHEAD);
}

static void
test_fits (void)
{
  g_autoptr(ByokCatalog) catalog = test_catalog ();
  ByokModel *small = byok_catalog_lookup_model (catalog, "a", "small");
  ByokModel *nowindow = byok_catalog_lookup_model (catalog, "a", "nowindow");

  /* Small's own output limit (512) is the room left for its answer. */
  g_assert_cmpint (byok_router_answer_reserve (small, 0), ==, 512);
  g_assert_cmpint (byok_router_answer_reserve (small, 100), ==, 100);
  g_assert_true (byok_router_fits (small, 8000 - 512, 0));
  g_assert_false (byok_router_fits (small, 8000 - 511, 0));
  g_assert_true (byok_router_fits (small, 7900, 100));
  /* An unknown window is no reason to refuse. */
  g_assert_true (byok_router_fits (nowindow, 10000000, 0));
}

static void
test_rank (void)
{
  g_autoptr(ByokCatalog) catalog = test_catalog ();
  g_autoptr(ByokPricing) pricing = byok_pricing_new (catalog);
  const char *both[] = { "a", "b", NULL };
  const char *only_a[] = { "a", NULL };
  g_autoptr(GPtrArray) routes = NULL;
  ByokRoute *first;

  /* A short prompt: small, then long, then big; old (retired), unpriced
   * and nowindow are left out. */
  routes = byok_router_rank (catalog, pricing, both, 1000, 0, BYOK_MODEL_CAP_NONE);
  g_assert_cmpuint (routes->len, ==, 3);
  first = g_ptr_array_index (routes, 0);
  g_assert_cmpstr (first->provider_id, ==, "a");
  g_assert_cmpstr (first->model_id, ==, "small");
  /* 1000 prompt tokens at $1/M, 512 answer tokens at $2/M. */
  g_assert_cmpfloat_with_epsilon (first->prompt_cost, 0.001, 1e-12);
  g_assert_cmpfloat_with_epsilon (first->cost, 0.001 + 512 * 2e-6, 1e-12);
  g_assert_cmpstr (((ByokRoute *) g_ptr_array_index (routes, 1))->model_id, ==, "long");
  g_assert_cmpstr (((ByokRoute *) g_ptr_array_index (routes, 2))->model_id, ==, "big");
  g_clear_pointer (&routes, g_ptr_array_unref);

  /* A long document: only the windows that hold it. */
  routes = byok_router_rank (catalog, pricing, both, 300000, 0, BYOK_MODEL_CAP_NONE);
  g_assert_cmpuint (routes->len, ==, 1);
  g_assert_cmpstr (((ByokRoute *) g_ptr_array_index (routes, 0))->model_id, ==, "long");
  g_clear_pointer (&routes, g_ptr_array_unref);

  /* Only the providers given; capabilities must be there. */
  routes = byok_router_rank (catalog, pricing, only_a, 300000, 0, BYOK_MODEL_CAP_NONE);
  g_assert_cmpuint (routes->len, ==, 0);
  g_clear_pointer (&routes, g_ptr_array_unref);
  routes = byok_router_rank (catalog, pricing, both, 10, 0, BYOK_MODEL_CAP_REASONING);
  g_assert_cmpuint (routes->len, ==, 1);
  g_assert_cmpstr (((ByokRoute *) g_ptr_array_index (routes, 0))->model_id, ==, "big");
  g_clear_pointer (&routes, g_ptr_array_unref);

  /* The user's price wins: small becomes the dearest. */
  {
    ByokPrice price;
    g_autoptr(GError) error = NULL;

    byok_price_init_flat (&price, 100, BYOK_PRICE_UNKNOWN, BYOK_PRICE_UNKNOWN, 100);
    g_assert_true (byok_pricing_set_override (pricing, "a", "small", &price, &error));
    g_assert_no_error (error);
  }
  routes = byok_router_rank (catalog, pricing, both, 1000, 0, BYOK_MODEL_CAP_NONE);
  g_assert_cmpstr (((ByokRoute *) g_ptr_array_index (routes, 0))->model_id, ==, "long");
  g_assert_cmpstr (((ByokRoute *) g_ptr_array_index (routes, 2))->model_id, ==, "small");
}

/* Auto sends a request with tools only to a model that calls them, and
 * the tools' descriptions count in its prompt. */
static void
test_rank_tools (void)
{
  g_autoptr(ByokCatalog) catalog = test_catalog ();
  g_autoptr(ByokPricing) pricing = byok_pricing_new (catalog);
  g_autoptr(ByokChatRequest) request = byok_chat_request_new_simple ("m", NULL, "abcd");
  g_autoptr(ByokToolSpec) spec = byok_tool_spec_new ("abcd", "abcdabcd", "{}");
  const char *both[] = { "a", "b", NULL };
  g_autoptr(GPtrArray) routes = NULL;
  gint64 before = byok_estimate_request_tokens (request);

  g_assert_cmpint (byok_router_needed_capabilities (request), ==, BYOK_MODEL_CAP_NONE);
  byok_chat_request_add_tool (request, spec);
  g_assert_cmpint (byok_router_needed_capabilities (request), ==, BYOK_MODEL_CAP_TOOLS);
  /* name 1 + description 2 + parameters 1, and the overhead. */
  g_assert_cmpint (byok_estimate_request_tokens (request), ==, before + 4 + BYOK_ROUTER_MESSAGE_OVERHEAD);

  routes = byok_router_rank (catalog, pricing, both, 1000, 0, byok_router_needed_capabilities (request));
  g_assert_cmpuint (routes->len, ==, 1);
  g_assert_cmpstr (((ByokRoute *) g_ptr_array_index (routes, 0))->model_id, ==, "big");
}

static void
test_fallbacks (void)
{
  g_autoptr(ByokCatalog) catalog = test_catalog ();
  const char *available[] = { "a", "b", NULL };
  const char *chain[] = { "a/small", "b/long", "c/other", "garbage", "a/", "a/big", "a/unknown-model", NULL };
  g_auto(GStrv) fallbacks = NULL;

  /* The first model itself and an unavailable provider go; so does an
   * entry that is not PROVIDER/MODEL. Unknown models stay (no window to
   * check). */
  fallbacks = byok_router_fallbacks (catalog, chain, available, "a", "small", 1000, 0);
  g_assert_cmpuint (g_strv_length (fallbacks), ==, 3);
  g_assert_cmpstr (fallbacks[0], ==, "b/long");
  g_assert_cmpstr (fallbacks[1], ==, "a/big");
  g_assert_cmpstr (fallbacks[2], ==, "a/unknown-model");
  g_clear_pointer (&fallbacks, g_strfreev);

  /* A prompt too long for small's window leaves it out. */
  fallbacks = byok_router_fallbacks (catalog, chain, available, "b", "long", 300000, 0);
  g_assert_cmpuint (g_strv_length (fallbacks), ==, 1);
  g_assert_cmpstr (fallbacks[0], ==, "a/unknown-model");
  g_clear_pointer (&fallbacks, g_strfreev);

  fallbacks = byok_router_fallbacks (catalog, NULL, available, "a", "small", 10, 0);
  g_assert_cmpuint (g_strv_length (fallbacks), ==, 0);
}

static void
test_attachment_bytes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) text = g_bytes_new_static ("\xEF\xBB\xBFhello world\n", 15);
  g_autoptr(GBytes) binary = g_bytes_new_static ("PK\x03\x04\0\0", 6);
  g_autoptr(GBytes) latin1 = g_bytes_new_static ("caf\xe9", 4);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(ByokAttachment) attachment = NULL;
  ByokAttachment *bad;

  attachment = byok_attachment_new_from_bytes ("notes.txt", text, &error);
  g_assert_no_error (error);
  /* The byte-order mark is dropped. */
  g_assert_cmpstr (attachment->text, ==, "hello world\n");
  g_assert_cmpstr (attachment->name, ==, "notes.txt");
  g_assert_cmpint (attachment->tokens, ==, 3);

  bad = byok_attachment_new_from_bytes ("archive.zip", binary, &error);
  g_assert_null (bad);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "archive.zip"));
  g_clear_error (&error);

  bad = byok_attachment_new_from_bytes ("latin1.txt", latin1, &error);
  g_assert_null (bad);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);

  bad = byok_attachment_new_from_bytes ("empty.txt", empty, &error);
  g_assert_null (bad);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
}

static void
test_attachment_load (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("byok-test-router-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "报告.md", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.txt", NULL);
  g_autoptr(ByokAttachment) attachment = NULL;
  ByokAttachment *none;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, "# 标题\n\nSome text.\n", -1, &error));

  attachment = byok_test_load_attachment (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (attachment->name, ==, "报告.md");
  g_assert_cmpstr (attachment->text, ==, "# 标题\n\nSome text.\n");
  g_assert_cmpint (attachment->tokens, >, 0);

  none = byok_test_load_attachment (missing, &error);
  g_assert_null (none);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "missing.txt"));

  g_unlink (path);
  g_rmdir (dir);
}

static GPtrArray *
two_attachments (void)
{
  GPtrArray *attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_attachment_free);

  g_ptr_array_add (attachments, byok_attachment_new ("a \"quoted\".txt", "first file"));
  g_ptr_array_add (attachments, byok_attachment_new ("code.c", "int x = 1; /* ``` */\n"));
  return attachments;
}

static void
test_attachment_json_compose (void)
{
  g_autoptr(GPtrArray) attachments = two_attachments ();
  g_autofree char *json = byok_attachments_to_json (attachments);
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = NULL;

  back = byok_attachments_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 2);
  g_assert_cmpstr (((ByokAttachment *) g_ptr_array_index (back, 1))->text, ==, "int x = 1; /* ``` */\n");
  g_assert_cmpint (((ByokAttachment *) g_ptr_array_index (back, 0))->tokens, ==,
                   ((ByokAttachment *) g_ptr_array_index (attachments, 0))->tokens);

  g_assert_null (byok_attachments_to_json (NULL));
  g_assert_null (byok_attachments_from_json (NULL, &error));
  g_assert_no_error (error);
  g_assert_null (byok_attachments_from_json ("{\"not\":\"a list\"}", &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE);

  prompt = byok_attachments_compose (attachments, "Summarise both.");
  g_assert_cmpstr (prompt, ==,
                   "<file name=\"a _quoted_.txt\">\nfirst file\n</file>\n\n"
                   "<file name=\"code.c\">\nint x = 1; /* ``` */\n</file>\n\n"
                   "Summarise both.");
  g_assert_cmpint (byok_attachments_count_tokens (attachments), ==,
                   byok_estimate_tokens ("first file", -1) + byok_estimate_tokens ("int x = 1; /* ``` */\n", -1));
}

static char *
export_string (ByokConversationStore         *store,
               ByokConversation              *conversation,
               ByokConversationExportFormat   format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();

  g_assert_true (byok_conversation_store_export (store, conversation, format, stream, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (stream, "", 1, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (stream, NULL, &error));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
}

static void
test_attachment_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("byok-test-router-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "byok.db", NULL);
  g_autoptr(GPtrArray) attachments = two_attachments ();
  g_autofree char *markdown = NULL;
  g_autofree char *json = NULL;
  gint64 conversation_id;

  {
    g_autoptr(ByokDatabase) database = byok_database_open (path, &error);
    g_autoptr(ByokConversationStore) store = byok_conversation_store_new (database, &error);
    g_autoptr(ByokConversation) conversation = NULL;
    g_autoptr(ByokMessage) message = byok_message_new (BYOK_MESSAGE_ROLE_USER, "Summarise both.");
    g_autoptr(ByokMessage) only_files = byok_message_new (BYOK_MESSAGE_ROLE_USER, "");

    g_assert_no_error (error);
    conversation = byok_conversation_store_create (store, "Files", "a", "small", &error);
    g_assert_no_error (error);
    byok_message_set_attachments (message, attachments);
    g_assert_true (byok_conversation_store_append_message (store, conversation, message, &error));
    g_assert_no_error (error);
    /* A message of files alone is sent too. */
    byok_message_set_attachments (only_files, attachments);
    g_assert_true (byok_conversation_store_append_message (store, conversation, only_files, &error));
    conversation_id = byok_conversation_get_id (conversation);
  }

  /* After a restart: the files are there, in the request and exports. */
  {
    g_autoptr(ByokDatabase) database = byok_database_open (path, &error);
    g_autoptr(ByokConversationStore) store = byok_conversation_store_new (database, &error);
    ByokConversation *conversation = byok_conversation_store_lookup (store, conversation_id);
    g_autoptr(GListModel) messages = NULL;
    g_autoptr(ByokMessage) message = NULL;
    g_autoptr(ByokChatRequest) request = NULL;
    g_autofree char *prompt = NULL;
    GPtrArray *loaded;

    g_assert_nonnull (conversation);
    messages = byok_conversation_store_get_messages (store, conversation, &error);
    g_assert_no_error (error);
    message = g_list_model_get_item (messages, 0);
    loaded = byok_message_get_attachments (message);
    g_assert_nonnull (loaded);
    g_assert_cmpuint (loaded->len, ==, 2);
    g_assert_cmpstr (((ByokAttachment *) g_ptr_array_index (loaded, 0))->name, ==, "a \"quoted\".txt");

    request = byok_conversation_store_build_request (store, conversation, -1, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (byok_chat_request_get_n_messages (request), ==, 2);
    prompt = byok_attachments_compose (attachments, "Summarise both.");
    g_assert_cmpstr (byok_chat_request_get_message (request, 0)->content, ==, prompt);
    g_assert_true (g_str_has_prefix (byok_chat_request_get_message (request, 1)->content, "<file name="));

    markdown = export_string (store, conversation, BYOK_CONVERSATION_EXPORT_MARKDOWN);
    json = export_string (store, conversation, BYOK_CONVERSATION_EXPORT_JSON);
  }

  /* The Markdown export fences code.c with more backticks than it holds. */
  g_assert_nonnull (strstr (markdown, "**code.c**"));
  g_assert_nonnull (strstr (markdown, "````\nint x = 1; /* ``` */\n````"));
  g_assert_nonnull (strstr (json, "\"attachments\""));
  g_assert_nonnull (strstr (json, "code.c"));
  g_assert_nonnull (strstr (json, "\"tokens\""));
  byok_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/router/estimate", test_estimate);
  g_test_add_func ("/router/estimate-request", test_estimate_request);
  g_test_add_func ("/router/fits", test_fits);
  g_test_add_func ("/router/rank", test_rank);
  g_test_add_func ("/router/rank-tools", test_rank_tools);
  g_test_add_func ("/router/fallbacks", test_fallbacks);
  g_test_add_func ("/attachment/bytes", test_attachment_bytes);
  g_test_add_func ("/attachment/load", test_attachment_load);
  g_test_add_func ("/attachment/json-compose", test_attachment_json_compose);
  g_test_add_func ("/attachment/store", test_attachment_store);
  return g_test_run ();
}
