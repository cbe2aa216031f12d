/* test-first-hour.c — what a new user met in their first hour (issue 12),
 * under Xvfb against the provider test server, with a throwaway database:
 * the window honours BYOK_BASE_URL_<PROVIDER> as byok-cli does; with only
 * an OpenAI key Chat and Compare start on OpenAI models; the key's status
 * follows chats and keys set by byok-cli; Continue in Chat keeps the
 * numbers; retries say what happens and can be stopped; the Retry button
 * stays put and leaves nothing selected; the window's minimum size stays
 * within 360×600 in every state; the small things (code copy, prices,
 * toasts, the wheel, error texts, budgets, the fallback list); and the
 * whole hour in one go.
 *
 * Every test runs with a log writer that counts warnings and criticals,
 * GTK's included, and fails on any. No timing assertions: the main loop
 * runs until a condition holds, with a generous cap on iterations. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "byok-test-engine.h"
#include "byok-test-replies.h"
#include "byok-test-util.h"
#include "byok-chat-page.h"
#include "byok-compare-column.h"
#include "byok-compat.h"
#include "byok-compare-view.h"
#include "byok-composer.h"
#include "byok-message-row.h"
#include "byok-preferences-window.h"
#include "byok-price-overrides.h"
#include "byok-provider-row.h"
#include "byok-providers-page.h"
#include "byok-test-server.h"
#include "byok-test-ui.h"
#include "byok-window.h"

#define OPENAI_KEY     "sk-test-fake-first-hour-0001"
#define CHAT_PATH      "/v1/chat/completions"

typedef ByokTestChatFixture Fixture;

/* ---- warnings fail the test ---------------------------------------------- */

static guint n_warnings;

static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  if (level & (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR))
    n_warnings++;
  return g_log_writer_standard_streams (level, fields, n_fields, user_data);
}

/* ---- widgets ------------------------------------------------------------- */

static ByokComposer *
composer_of (Fixture *f)
{
  return BYOK_COMPOSER (byok_test_ui_find_descendant (GTK_WIDGET (f->page), BYOK_TYPE_COMPOSER));
}

static ByokModelPicker *
picker_of (Fixture *f)
{
  return byok_composer_get_picker (composer_of (f));
}

typedef struct {
  GtkWidget  *top;
  const char *prefix;
} ShownPrefix;

static gboolean
is_shown_label_prefix (GtkWidget     *widget,
                       gconstpointer  data)
{
  const ShownPrefix *want = data;

  return GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), want->prefix) &&
         byok_test_ui_is_shown (widget, want->top);
}

/* A shown label (visible up to @top) whose text starts with @prefix. */
static GtkLabel *
find_label_prefix (GtkWidget  *widget,
                   GtkWidget  *top,
                   const char *prefix)
{
  ShownPrefix want = { top, prefix };

  return (GtkLabel *) byok_test_ui_find_first (widget, is_shown_label_prefix, &want);
}

/* ---- fixture ------------------------------------------------------------- */

static char *
openai_base_url (Fixture *f)
{
  return g_strconcat (byok_test_server_get_url (f->server), "/v1", NULL);
}

/* The engine as the app opens it, with an OpenAI key in the environment
 * and BYOK_BASE_URL_OPENAI pointing at the test server. */
static void
open_engine (Fixture *f)
{
  const char *env[] = { "OPENAI_API_KEY=" OPENAI_KEY, NULL };
  g_autofree char *url = openai_base_url (f);

  g_setenv ("BYOK_BASE_URL_OPENAI", url, TRUE);
  f->engine = byok_test_engine_new (f->db_path);
  byok_test_engine_use_env_keys (f->engine, env, "openai", NULL);
  byok_client_set_max_attempts (byok_engine_get_client (f->engine), 1);
}

static void
open_window (Fixture *f)
{
  f->window = g_object_new (BYOK_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 700);
  byok_window_set_engine (BYOK_WINDOW (f->window), f->engine);
  f->page = BYOK_CHAT_PAGE (byok_test_ui_find_descendant (f->window, BYOK_TYPE_CHAT_PAGE));
  g_assert_nonnull (f->page);
  gtk_window_present (GTK_WINDOW (f->window));
  byok_test_ui_iterate_until (byok_test_ui_chat_page_keys_known, f->page, "the keys");
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  n_warnings = 0;
  byok_test_chat_fixture_start (f, "first-hour");
  open_engine (f);
  open_window (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  byok_test_chat_fixture_finish (f);
  g_unsetenv ("BYOK_BASE_URL_OPENAI");
  g_assert_cmpuint (n_warnings, ==, 0);
}

/* OpenAI's answer to a key it does not take */
static ByokTestReply *
key_rejected_reply (void)
{
  return byok_test_reply_new_json (401, "{\"error\": {\"message\": \"Incorrect API key provided.\", "
                                        "\"type\": \"invalid_request_error\", \"code\": \"invalid_api_key\"}}");
}

static void
send_and_wait (Fixture    *f,
               const char *text)
{
  ByokComposer *composer = composer_of (f);

  byok_composer_set_text (composer, text);
  g_assert_true (byok_composer_send (composer));
  g_assert_true (byok_chat_page_get_busy (f->page));
  byok_test_ui_iterate_until (byok_test_ui_chat_page_idle, f->page, "the answer");
}

/* ---- BYOK_BASE_URL_<PROVIDER> -------------------------------------------- */

static void
test_base_url_environment (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *url = openai_base_url (f);
  ByokProvider *openai = byok_catalog_lookup_provider (byok_engine_get_catalog (f->engine), "openai");
  ByokProvidersPage *providers;
  GtkWidget *row;
  g_autoptr(GError) error = NULL;

  /* The app's engine uses the environment's URL, over a setting too. */
  g_assert_cmpstr (byok_provider_get_base_url (openai), ==, url);
  g_assert_true (byok_provider_settings_set_base_url (byok_engine_get_provider_settings (f->engine), openai,
                                                      "https://proxy.example.invalid/v1", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (byok_provider_get_base_url (openai), ==, url);

  /* A chat from the window goes there. */
  byok_model_picker_set_selection (picker_of (f), "openai", "gpt-4o-mini");
  byok_test_server_add_reply (f->server, CHAT_PATH, byok_test_reply_new_openai_text ("Here."));
  send_and_wait (f, "Where do you live?");
  g_assert_cmpuint (byok_test_server_count_path (f->server, CHAT_PATH), ==, 1);

  /* The Providers page says where the URL comes from, and offers no
   * edit that would not be used. */
  providers = BYOK_PROVIDERS_PAGE (byok_window_get_page_widget (BYOK_WINDOW (f->window), "providers"));
  row = byok_providers_page_get_row (providers, "openai");
  g_assert_nonnull (row);
  {
    AdwPreferencesRow *base_url_row = NULL;

    for (GtkWidget *w = byok_test_ui_find_descendant (row, ADW_TYPE_ENTRY_ROW); w != NULL; w = gtk_widget_get_next_sibling (w))
      if (ADW_IS_ENTRY_ROW (w) && g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w)), "Base URL"))
        base_url_row = ADW_PREFERENCES_ROW (w);
    g_assert_nonnull (base_url_row);
    g_assert_cmpstr (adw_preferences_row_get_title (base_url_row), ==, "Base URL, from $BYOK_BASE_URL_OPENAI");
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (base_url_row)), ==, url);
    g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (base_url_row)));
  }
}

/* ---- the model a new user starts on -------------------------------------- */

static gboolean
is_keyed (Fixture    *f,
          const char *provider_id)
{
  ByokProvider *provider = byok_catalog_lookup_provider (byok_engine_get_catalog (f->engine), provider_id);

  return provider != NULL && byok_provider_get_needs_key (provider);
}

static void
show_page (Fixture    *f,
           const char *name)
{
  byok_window_show_page (BYOK_WINDOW (f->window), name);
  byok_test_ui_iterate_pending ();
}

static gboolean
picker_on_local (gpointer data)
{
  Fixture *f = data;
  const char *id = byok_model_picker_get_provider_id (picker_of (f));

  return id != NULL && !is_keyed (f, id);
}

static gboolean
picker_on_keyed (gpointer data)
{
  Fixture *f = data;
  const char *id = byok_model_picker_get_provider_id (picker_of (f));

  return id != NULL && is_keyed (f, id);
}

static void
test_default_model (Fixture       *f,
                    gconstpointer  data)
{
  ByokCompareView *view = byok_chat_page_get_compare_view (f->page);
  ByokModelPicker *picker = picker_of (f);
  const char *provider_id = byok_model_picker_get_provider_id (picker);

  /* Local servers (Ollama) need no key and are in the catalog, but the
   * user has an OpenAI key: Chat starts there. */
  g_assert_nonnull (provider_id);
  g_assert_true (is_keyed (f, provider_id));
  g_assert_nonnull (byok_model_picker_get_model_id (picker));

  /* Without the key, only the local server is left; with it again, Chat
   * goes back to the key's provider: a default the program chose is no
   * choice of the user's. Coming back to Chat lists the keys again. */
  {
    const char *none[] = { NULL };
    const char *env[] = { "OPENAI_API_KEY=" OPENAI_KEY, NULL };
    ByokKeyStore *keys = byok_engine_get_key_store (f->engine);

    byok_key_store_set_environment (keys, none);
    show_page (f, "providers");
    show_page (f, "chat");
    byok_test_ui_iterate_until (picker_on_local, f, "the local model");

    byok_key_store_set_environment (keys, env);
    show_page (f, "providers");
    show_page (f, "chat");
    byok_test_ui_iterate_until (picker_on_keyed, f, "the key's model");
  }

  /* Compare starts on distinct models the key can use. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "chat.compare", NULL));
  byok_test_ui_iterate_pending ();
  for (guint n = 2; n <= 4; n++)
    {
      byok_compare_view_set_n_columns (view, n);
      for (guint i = 0; i < n; i++)
        {
          ByokModelPicker *a = byok_compare_column_get_picker (byok_compare_view_get_column (view, i));

          g_assert_nonnull (byok_model_picker_get_model_id (a));
          g_assert_true (is_keyed (f, byok_model_picker_get_provider_id (a)));
          for (guint j = 0; j < i; j++)
            {
              ByokModelPicker *b = byok_compare_column_get_picker (byok_compare_view_get_column (view, j));

              g_assert_false (g_strcmp0 (byok_model_picker_get_provider_id (a), byok_model_picker_get_provider_id (b)) == 0 &&
                              g_strcmp0 (byok_model_picker_get_model_id (a), byok_model_picker_get_model_id (b)) == 0);
            }
        }
    }
}

static gboolean
picker_on_anthropic (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (byok_model_picker_get_provider_id (picker_of (f)), "anthropic") == 0;
}

static gboolean
picker_on_openai (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (byok_model_picker_get_provider_id (picker_of (f)), "openai") == 0;
}

/* A key the provider refused is no usable key: Chat starts on another. */
static void
test_default_model_refused (Fixture       *f,
                            gconstpointer  data)
{
  const char *env[] = { "OPENAI_API_KEY=" OPENAI_KEY, "ANTHROPIC_API_KEY=sk-ant-test-fake-first-hour-0005", NULL };
  ByokKeyStore *keys = byok_engine_get_key_store (f->engine);

  byok_key_store_set_environment (keys, env);
  byok_key_store_set_prefer_environment (keys, "anthropic", TRUE);
  show_page (f, "providers");
  show_page (f, "chat");
  byok_test_ui_iterate_until (picker_on_openai, f, "OpenAI, the first with a key");

  /* OpenAI refused its key (a chat's 401, or a check). */
  byok_key_store_record_event (keys, "openai", NULL, BYOK_KEY_EVENT_TESTED, "AUTH", "OpenAI rejected the key (401).");
  show_page (f, "providers");
  show_page (f, "chat");
  byok_test_ui_iterate_until (picker_on_anthropic, f, "the provider whose key works");

  /* It works again. */
  byok_key_store_record_event (keys, "openai", NULL, BYOK_KEY_EVENT_TESTED, "OK", NULL);
  show_page (f, "providers");
  show_page (f, "chat");
  byok_test_ui_iterate_until (picker_on_openai, f, "OpenAI again");
}

/* ---- the key's status follows chats and the keyring ---------------------- */

typedef struct {
  Fixture            *f;
  const char         *provider_id;
  ByokProviderStatus  status;
} StatusWait;

static ByokProviderRow *
provider_row (Fixture    *f,
              const char *provider_id)
{
  ByokProvidersPage *providers = BYOK_PROVIDERS_PAGE (byok_window_get_page_widget (BYOK_WINDOW (f->window), "providers"));

  return BYOK_PROVIDER_ROW (byok_providers_page_get_row (providers, provider_id));
}

static gboolean
row_has_status (gpointer data)
{
  StatusWait *wait = data;

  return byok_provider_row_get_status (provider_row (wait->f, wait->provider_id)) == wait->status;
}

static void
wait_for_status (Fixture            *f,
                 const char         *provider_id,
                 ByokProviderStatus  status)
{
  StatusWait wait = { f, provider_id, status };

  byok_test_ui_iterate_until (row_has_status, &wait, "the key's status");
}

typedef struct {
  gboolean  done;
  char     *err;
  GError   *error;
} Run;

static void
communicated (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Run *run = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, NULL, &run->err, &run->error);
  run->done = TRUE;
}

static gboolean
run_done (gpointer data)
{
  return ((Run *) data)->done;
}

/* byok-cli, in a process of its own, with @input on its stdin; the main
 * loop runs meanwhile (the window follows the keyring). */
static void
run_cli (const char * const *args,
         const char         *input)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0, };

  g_ptr_array_add (argv, (char *) g_getenv ("BYOK_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, input, NULL, communicated, &run);
  byok_test_ui_iterate_until (run_done, &run, "byok-cli");
  g_assert_no_error (run.error);
  g_assert_true (g_subprocess_get_if_exited (process));
  if (g_subprocess_get_exit_status (process) != 0)
    g_error ("byok-cli %s failed: %s", args[0], run.err);
  g_free (run.err);
}

static void
test_key_status (Fixture       *f,
                 gconstpointer  data)
{
  static const char * const set_args[] = { "keys", "set", "anthropic", NULL };
  static const char * const delete_args[] = { "keys", "delete", "anthropic", NULL };

  byok_model_picker_set_selection (picker_of (f), "openai", "gpt-4o-mini");
  show_page (f, "providers");
  wait_for_status (f, "openai", BYOK_PROVIDER_STATUS_ENVIRONMENT);
  show_page (f, "chat");

  /* A chat refused with 401: the Providers page says the key was rejected. */
  byok_test_server_add_reply (f->server, CHAT_PATH, key_rejected_reply ());
  send_and_wait (f, "Hello?");
  wait_for_status (f, "openai", BYOK_PROVIDER_STATUS_REJECTED);

  /* The key works again (the provider's side was fixed): one answer says so. */
  byok_test_server_add_reply (f->server, CHAT_PATH, byok_test_reply_new_openai_text ("Hello."));
  send_and_wait (f, "Hello again?");
  wait_for_status (f, "openai", BYOK_PROVIDER_STATUS_VALID);

  /* After a restart it is still known. */
  byok_test_chat_fixture_close_window (f);
  g_clear_object (&f->engine);
  open_engine (f);
  open_window (f);
  show_page (f, "providers");
  wait_for_status (f, "openai", BYOK_PROVIDER_STATUS_VALID);

  /* A key stored by byok-cli, while the window is open, shows without a
   * restart (the keyring's signals); so does its deletion. */
  wait_for_status (f, "anthropic", BYOK_PROVIDER_STATUS_NOT_SET);
  run_cli (set_args, "sk-ant-test-fake-first-hour-0002\n");
  wait_for_status (f, "anthropic", BYOK_PROVIDER_STATUS_KEYRING);
  run_cli (delete_args, NULL);
  wait_for_status (f, "anthropic", BYOK_PROVIDER_STATUS_NOT_SET);
}

/* ---- Continue in Chat keeps the numbers ---------------------------------- */

static gboolean
compare_done (gpointer data)
{
  ByokCompareView *view = data;

  return !byok_compare_view_get_busy (view) &&
         byok_compare_column_get_caption (byok_compare_view_get_column (view, 0)) != NULL &&
         byok_compare_column_get_caption (byok_compare_view_get_column (view, 1)) != NULL;
}

static gboolean
all_columns_done (gpointer data)
{
  ByokCompareView *view = data;
  guint n = byok_compare_view_get_n_columns (view);

  if (byok_compare_view_get_busy (view))
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (byok_compare_column_get_caption (byok_compare_view_get_column (view, i)) == NULL)
      return FALSE;
  return TRUE;
}

static ByokMessage *
last_message (Fixture *f)
{
  ByokConversation *conversation = byok_chat_page_get_conversation (f->page);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) messages = NULL;
  guint n;

  g_assert_nonnull (conversation);
  messages = byok_conversation_store_get_messages (byok_chat_page_get_store (f->page), conversation, &error);
  g_assert_no_error (error);
  n = g_list_model_get_n_items (messages);
  g_assert_cmpuint (n, >, 0);
  return g_list_model_get_item (messages, n - 1);
}

static void
assert_numbers_kept (ByokMessage *answer,
                     double       cost)
{
  ByokUsage usage;

  g_assert_cmpstr (byok_message_get_content (answer), ==, "Big is better.");
  g_assert_true (byok_message_get_has_usage (answer));
  byok_message_get_usage (answer, &usage);
  g_assert_cmpint (usage.input_tokens, ==, 12);
  g_assert_cmpint (usage.output_tokens, ==, 30);
  g_assert_true (byok_message_get_price_known (answer));
  g_assert_cmpfloat_with_epsilon (byok_message_get_cost_usd (answer), cost, 1e-12);
  g_assert_cmpint (byok_message_get_ttft_us (answer), >=, 0);
  g_assert_cmpint (byok_message_get_latency_us (answer), >=, byok_message_get_ttft_us (answer));
}

static void
test_continue_in_chat (Fixture       *f,
                       gconstpointer  data)
{
  ByokCompareView *view = byok_chat_page_get_compare_view (f->page);
  ByokCompareColumn *big;
  g_autoptr(ByokMessage) answer = NULL;
  g_autoptr(ByokMessage) reopened = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *caption = NULL;
  gint64 conversation_id;
  double cost;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "chat.compare", NULL));
  byok_compare_view_set_n_columns (view, 2);
  byok_model_picker_set_selection (byok_compare_column_get_picker (byok_compare_view_get_column (view, 0)),
                                   "openai", "gpt-4o-mini");
  big = byok_compare_view_get_column (view, 1);
  byok_model_picker_set_selection (byok_compare_column_get_picker (big), "openai", "gpt-4o");
  byok_test_server_add_reply_for_model (f->server, CHAT_PATH, "gpt-4o-mini", byok_test_reply_new_openai_text ("Small is fine."));
  byok_test_server_add_reply_for_model (f->server, CHAT_PATH, "gpt-4o", byok_test_reply_new_openai_text ("Big is better."));
  byok_compare_view_set_prompt (view, "Which one?");
  g_assert_true (byok_compare_view_send (view));
  byok_test_ui_iterate_until (compare_done, view, "both columns");
  g_assert_nonnull (strstr (byok_compare_column_get_caption (big), "$"));

  /* Continue in Chat: the answer keeps its tokens, cost and times … */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (big), "column.continue-in-chat", NULL));
  byok_test_ui_iterate_pending ();
  answer = last_message (f);
  cost = byok_message_get_cost_usd (answer);
  g_assert_cmpfloat (cost, >, 0);
  assert_numbers_kept (answer, cost);
  caption = byok_message_row_format_caption (answer, byok_engine_get_catalog (f->engine));
  g_assert_null (strstr (caption, "cost unknown"));
  g_assert_nonnull (strstr (caption, "12 in"));

  /* … and its call is filed under the conversation. */
  conversation_id = byok_conversation_get_id (byok_chat_page_get_conversation (f->page));
  rows = byok_usage_store_list_recent (byok_engine_get_usage_store (f->engine), 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  for (guint i = 0; i < rows->len; i++)
    {
      ByokUsageRecord *row = g_ptr_array_index (rows, i);

      if (g_strcmp0 (row->model, "gpt-4o") == 0)
        g_assert_cmpint (row->conversation_id, ==, conversation_id);
      else
        g_assert_cmpint (row->conversation_id, ==, 0);
    }

  /* Still so after a restart. */
  byok_test_chat_fixture_close_window (f);
  g_clear_object (&f->engine);
  open_engine (f);
  open_window (f);
  g_assert_cmpint (byok_conversation_get_id (byok_chat_page_get_conversation (f->page)), ==, conversation_id);
  reopened = last_message (f);
  assert_numbers_kept (reopened, cost);
}

/* ---- retries say what happens -------------------------------------------- */

static ByokTestReply *
rate_limited (const char *retry_after)
{
  ByokTestReply *reply = byok_test_reply_new_json (429,
    "{\"error\": {\"message\": \"Rate limit reached for requests\", "
    "\"type\": \"requests\", \"code\": \"rate_limit_exceeded\"}}");

  byok_test_reply_add_header (reply, "Retry-After", retry_after);
  return reply;
}

typedef struct {
  Fixture    *f;
  const char *prefix;
  GtkLabel   *label;
} LabelWait;

static gboolean
label_shown (gpointer data)
{
  LabelWait *wait = data;

  wait->label = find_label_prefix (GTK_WIDGET (wait->f->page), GTK_WIDGET (wait->f->page), wait->prefix);
  return wait->label != NULL;
}

static GtkLabel *
wait_for_label (Fixture    *f,
                const char *prefix)
{
  LabelWait wait = { f, prefix, NULL };

  byok_test_ui_iterate_until (label_shown, &wait, prefix);
  return wait.label;
}

static void
test_retry_said (Fixture       *f,
                 gconstpointer  data)
{
  ByokComposer *composer = composer_of (f);
  GtkLabel *label;
  GtkWidget *row;
  GtkWidget *stop;
  ByokMessage *answer;

  byok_client_set_max_attempts (byok_engine_get_client (f->engine), 3);
  byok_model_picker_set_selection (picker_of (f), "openai", "gpt-4o-mini");

  /* Under a 429 with Retry-After the answer says what happens, counting
   * down, and then the retry answers. */
  byok_test_server_add_reply (f->server, CHAT_PATH, rate_limited ("1"));
  byok_test_server_add_reply (f->server, CHAT_PATH, byok_test_reply_new_openai_text ("Now it works."));
  byok_composer_set_text (composer, "Quick question");
  g_assert_true (byok_composer_send (composer));
  label = wait_for_label (f, "Rate limited by OpenAI — trying again");
  g_assert_true (g_str_has_suffix (gtk_label_get_label (label), ", attempt 2 of 3"));
  row = gtk_widget_get_ancestor (GTK_WIDGET (label), BYOK_TYPE_MESSAGE_ROW);
  g_assert_nonnull (byok_test_ui_find_action_button (row, row, "chat.stop"));
  byok_test_ui_iterate_until (byok_test_ui_chat_page_idle, f->page, "the retried answer");
  answer = last_message (f);
  g_assert_cmpstr (byok_message_get_content (answer), ==, "Now it works.");

  /* One time to first token: the one under the answer is the one recorded
   * (and exported) for the attempt that answered, not counting the wait;
   * each attempt has its own time. */
  {
    g_autoptr(GPtrArray) rows = byok_usage_store_list_recent (byok_engine_get_usage_store (f->engine), 10, NULL);
    ByokUsageRecord *first, *second;

    g_assert_cmpuint (rows->len, ==, 2);
    first = g_ptr_array_index (rows, 0);
    second = g_ptr_array_index (rows, 1);
    if (first->time_us > second->time_us)
      {
        ByokUsageRecord *t = first;
        first = second;
        second = t;
      }
    g_assert_cmpint (second->attempt, ==, 2);
    g_assert_cmpint (byok_message_get_ttft_us (answer), ==, second->ttft_us);
    g_assert_cmpint (byok_message_get_latency_us (answer), >=, G_USEC_PER_SEC);
    g_assert_cmpint (second->time_us - first->time_us, >=, G_USEC_PER_SEC);
  }
  g_object_unref (answer);

  /* A long wait can be stopped from there: no retry is sent. */
  byok_test_server_add_reply (f->server, CHAT_PATH, rate_limited ("40"));
  byok_composer_set_text (composer, "Another one");
  g_assert_true (byok_composer_send (composer));
  /* The countdown may already have moved on when a busy machine first
   * draws it: any second of the 40 will do. */
  label = wait_for_label (f, "Rate limited by OpenAI — trying again in ");
  {
    const char *text = gtk_label_get_label (label);
    const char *number = text + strlen ("Rate limited by OpenAI — trying again in ");
    char *end = NULL;
    gint64 seconds = g_ascii_strtoll (number, &end, 10);

    g_assert_cmpint (seconds, >=, 1);
    g_assert_cmpint (seconds, <=, 40);
    g_assert_cmpstr (end, ==, " s, attempt 2 of 3");
  }
  row = gtk_widget_get_ancestor (GTK_WIDGET (label), BYOK_TYPE_MESSAGE_ROW);
  stop = byok_test_ui_find_action_button (row, row, "chat.stop");
  g_assert_nonnull (stop);
  g_signal_emit_by_name (stop, "clicked");
  g_assert_false (byok_chat_page_get_busy (f->page));
  answer = last_message (f);
  g_assert_cmpstr (byok_message_get_status (answer), ==, BYOK_MESSAGE_STATUS_PARTIAL);
  g_object_unref (answer);
  byok_test_ui_iterate_pending ();
  g_assert_cmpuint (byok_test_server_count_path (f->server, CHAT_PATH), ==, 3);
  g_assert_null (find_label_prefix (GTK_WIDGET (f->page), GTK_WIDGET (f->page), "Rate limited by"));
}

/* ---- the Retry button ---------------------------------------------------- */

static gboolean
find_button_prefix_matches (GtkWidget     *widget,
                            gconstpointer  data)
{
  const char *prefix = data;

  return GTK_IS_BUTTON (widget) && g_str_has_prefix (gtk_button_get_label (GTK_BUTTON (widget)) ?: "", prefix);
}

static GtkWidget *
find_button_prefix (GtkWidget  *widget,
                    const char *prefix)
{
  return byok_test_ui_find_first (widget, find_button_prefix_matches, prefix);
}

static gboolean
is_sensitive (gpointer data)
{
  return gtk_widget_get_sensitive (data);
}

static gboolean
has_selection (GtkWidget     *widget,
               gconstpointer  data)
{
  int start, end;

  return GTK_IS_LABEL (widget) && gtk_label_get_selection_bounds (GTK_LABEL (widget), &start, &end);
}

/* Any label of the window with text selected. */
static GtkLabel *
find_selection (GtkWidget *widget)
{
  return (GtkLabel *) byok_test_ui_find_first (widget, has_selection, NULL);
}

static void
draw_a_frame (Fixture *f)
{
  /* A layout happens before the next paint. */
  gtk_widget_queue_draw (f->window);
  byok_test_ui_iterate_pending ();
  gtk_widget_measure (f->window, GTK_ORIENTATION_HORIZONTAL, -1, NULL, NULL, NULL, NULL);
  byok_test_ui_iterate_pending ();
}

static gboolean
asked_again (gpointer data)
{
  Fixture *f = data;

  return byok_test_server_count_path (f->server, CHAT_PATH) >= 2;
}

static void
test_retry_button (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *button;
  GtkWidget *focus;
  graphene_rect_t counting, ready;
  ByokMessage *answer;

  byok_model_picker_set_selection (picker_of (f), "openai", "gpt-4o-mini");
  byok_test_server_add_reply (f->server, CHAT_PATH, rate_limited ("2"));
  send_and_wait (f, "Quick question");

  /* "Retry in 2 seconds", then "Retry": the same size, in the same place. */
  wait_for_label (f, "Rate Limited");
  button = find_button_prefix (GTK_WIDGET (f->page), "Retry in ");
  g_assert_nonnull (button);
  draw_a_frame (f);
  g_assert_true (gtk_widget_compute_bounds (button, f->window, &counting));
  byok_test_ui_iterate_until (is_sensitive, button, "Retry");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Retry");
  draw_a_frame (f);
  g_assert_true (gtk_widget_compute_bounds (button, f->window, &ready));
  g_assert_cmpfloat (ready.size.width, ==, counting.size.width);
  g_assert_cmpfloat (ready.origin.x, ==, counting.origin.x);

  /* Clicked (it has the focus, as after a click): the answer is asked
   * again, the message box has the focus and no text is selected. */
  byok_test_server_add_reply (f->server, CHAT_PATH, byok_test_reply_new_openai_text ("Now it works."));
  gtk_widget_grab_focus (button);
  g_assert_true (gtk_widget_has_focus (button));
  gtk_widget_activate (button);
  byok_test_ui_iterate_until (asked_again, f, "the click");
  byok_test_ui_iterate_until (byok_test_ui_chat_page_idle, f->page, "the retried answer");
  byok_test_ui_iterate_pending ();
  answer = last_message (f);
  g_assert_cmpstr (byok_message_get_content (answer), ==, "Now it works.");
  g_object_unref (answer);
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (composer_of (f))));
  g_assert_null (find_selection (f->window));
}

/* ---- the window's minimum size ------------------------------------------- */

/* A widget laid out narrower or lower than it needs: what newer GTK warns
 * of ("Trying to measure … for width of 100, but it needs at least
 * 243"); GTK 4.8 says nothing and draws it cut. */
static void
collect_squeezed (GtkWidget *widget,
                  GString   *out)
{
  int min_width, min_height;
  graphene_rect_t bounds;
  int width, height;

  if (!gtk_widget_get_mapped (widget) || !gtk_widget_compute_bounds (widget, widget, &bounds))
    return;
  /* The border box and the margins, the widget's and its style's: what
   * a measure counts. */
  {
    GtkBorder css = { 0, };

    G_GNUC_BEGIN_IGNORE_DEPRECATIONS
    gtk_style_context_get_margin (gtk_widget_get_style_context (widget), &css);
    G_GNUC_END_IGNORE_DEPRECATIONS
    width = (int) bounds.size.width + gtk_widget_get_margin_start (widget) + gtk_widget_get_margin_end (widget) +
            css.left + css.right;
    height = (int) bounds.size.height + gtk_widget_get_margin_top (widget) + gtk_widget_get_margin_bottom (widget) +
             css.top + css.bottom;
  }
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, MAX (width, min_width), &min_height, NULL, NULL, NULL);
  /* A scrollable (a viewport, a list, a text view) shows part of itself. */
  if (!GTK_IS_SCROLLABLE (widget) && (width < min_width || height < min_height))
    {
      /* A message row says which message it shows. */
      if (BYOK_IS_MESSAGE_ROW (widget))
        g_string_append_printf (out, "%s[%s «%.40s»] ", out->len > 0 ? "; " : "",
                                byok_message_get_role (byok_message_row_get_message (BYOK_MESSAGE_ROW (widget))),
                                byok_message_get_content (byok_message_row_get_message (BYOK_MESSAGE_ROW (widget))));
      g_string_append_printf (out, "%s%s (%s) is %d×%d, needs %d×%d",
                              out->len > 0 ? "; " : "", G_OBJECT_TYPE_NAME (widget),
                              gtk_widget_get_name (widget), width, height, min_width, min_height);
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    collect_squeezed (c, out);
}

static void
lay_out (Fixture *f)
{
  /* Let any layout due happen: what is pending first (an answer's text
   * may still be on its way to its row), then a resize of the whole window
   * and a painted frame, three times over (a list lays out a row whose
   * content changed in the frame after). Nothing is left to run between
   * the last layout and the checks that follow. */
  for (guint i = 0; i < 3; i++)
    {
      byok_test_ui_iterate_pending ();
      gtk_widget_queue_resize (f->window);
      if (gtk_widget_get_mapped (f->window))
        byok_test_ui_wait_for_paint (f->window);
    }
}

/* With BYOK_TEST_SCREENSHOT_DIR set, the window as drawn, in NAME.png. */
static void
maybe_screenshot (Fixture    *f,
                  const char *name)
{
  byok_test_ui_screenshot (f->window, name);
}

/* Rows of @root whose title names a key: "Key in the Keyring", "Key from
 * $OPENAI_API_KEY". */
static guint
count_key_rows (GtkWidget *root)
{
  guint n = 0;

  if (ADW_IS_ACTION_ROW (root) &&
      g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), "Key "))
    n++;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    n += count_key_rows (c);
  return n;
}

static gboolean
two_keys_shown (gpointer data)
{
  return count_key_rows (data) == 2;
}

static GString *size_failures;

static void
dump_big (GtkWidget *widget, int depth)
{
  int mw, mh;
  if (!gtk_widget_get_visible (widget))
    return;
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &mw, NULL, NULL, NULL);
  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, 360, &mh, NULL, NULL, NULL);
  if (mw > 340 || mh > 120)
    g_test_message ("%*s%s %s: %d×%d", depth * 2, "", G_OBJECT_TYPE_NAME (widget),
                    gtk_widget_get_css_classes (widget)[0] ? gtk_widget_get_css_classes (widget)[0] : "", mw, mh);
  else
    return;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    if (depth < 30)
      dump_big (c, depth + 1);
}

/* The window's minimum size in @state is within GNOME's narrow target,
 * 360 wide and 600 high, and nothing is laid out smaller than it needs. */
static void
check_window_size (Fixture    *f,
                   const char *state)
{
  GtkWidget *content = gtk_window_get_child (GTK_WINDOW (f->window));
  g_autoptr(GString) squeezed = g_string_new (NULL);
  g_autoptr(GString) own = g_string_new (NULL);
  GString *failures = size_failures != NULL ? size_failures : own;
  int min_width, min_height, min_height_narrow;

  lay_out (f);
  gtk_widget_measure (content, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (content, GTK_ORIENTATION_VERTICAL, -1, &min_height, NULL, NULL, NULL);
  gtk_widget_measure (content, GTK_ORIENTATION_VERTICAL, 360, &min_height_narrow, NULL, NULL, NULL);
  g_test_message ("%s: minimum %d×%d (%d high at 360 wide), window %d×%d", state,
                  min_width, min_height, min_height_narrow,
                  gtk_widget_get_width (f->window), gtk_widget_get_height (f->window));
  collect_squeezed (content, squeezed);
  if (squeezed->len > 0)
    g_string_append_printf (failures, "%s: %s\n", state, squeezed->str);
  if (min_width > 360 || min_height > 600 || min_height_narrow > 600)
    {
      dump_big (content, 0);
      g_string_append_printf (failures, "%s: the window needs at least %d×%d (%d high at 360 wide)\n", state,
                              min_width, min_height, min_height_narrow);
    }
  /* Outside the window-size test, at once. */
  if (size_failures == NULL && failures->len > 0)
    g_error ("%s", failures->str);
}

static const char *long_answer =
  "Here is a table and some code:\n\n"
  "| Model | Input | Output | Context |\n|---|---|---|---|\n| gpt-4o-mini | $0.15 | $0.60 | 128k |\n\n"
  "```python\ndef a_rather_long_function_name_that_does_not_wrap(argument_one, argument_two, argument_three):\n"
  "    return argument_one + argument_two + argument_three\n```\n\n"
  "A_very_long_word_without_any_space_that_cannot_be_broken_anywhere_at_all_really and more text.";

static void
test_window_size (Fixture       *f,
                  gconstpointer  data)
{
  ByokCompareView *view = byok_chat_page_get_compare_view (f->page);

  size_failures = g_string_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1400, 900);
  byok_model_picker_set_selection (picker_of (f), "openai", "gpt-4o-mini");
  check_window_size (f, "chat, new");

  byok_test_server_add_reply (f->server, CHAT_PATH, byok_test_reply_new_openai_text (long_answer));
  send_and_wait (f, "Show me a table and some code, please, with a long line that goes on and on");
  check_window_size (f, "chat, an answer");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "chat.compare", NULL));
  check_window_size (f, "compare, 2 columns");
  byok_compare_view_set_n_columns (view, 4);
  for (guint i = 0; i < 4; i++)
    {
      ByokModelPicker *picker = byok_compare_column_get_picker (byok_compare_view_get_column (view, i));
      byok_test_server_add_reply_for_model (f->server, CHAT_PATH, byok_model_picker_get_model_id (picker),
                                            byok_test_reply_new_openai_text (long_answer));
    }
  byok_compare_view_set_prompt (view, "Which one?");
  g_assert_true (byok_compare_view_send (view));
  byok_test_ui_iterate_until (all_columns_done, view, "the columns");
  check_window_size (f, "compare, 4 columns answered");
  maybe_screenshot (f, "compare-4-wide");
  byok_compare_view_set_n_columns (view, 3);
  check_window_size (f, "compare, 3 columns");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (byok_compare_view_get_column (view, 0)),
                                             "column.continue-in-chat", NULL));
  check_window_size (f, "after Continue in Chat");
  maybe_screenshot (f, "continued-wide");

  show_page (f, "usage");
  check_window_size (f, "usage");
  show_page (f, "providers");
  check_window_size (f, "providers");

  /* A provider with two keys, expanded: the keyring's and the
   * environment's. */
  {
    ByokProviderRow *row = provider_row (f, "openai");
    g_autoptr(GError) error = NULL;

    g_assert_true (byok_key_store_store_wait (byok_engine_get_key_store (f->engine), "openai", NULL,
                                              "sk-test-fake-first-hour-0009", NULL, NULL, &error));
    g_assert_no_error (error);
    byok_provider_row_refresh (row);
    byok_test_ui_iterate_until (two_keys_shown, row, "the keys");
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
    byok_test_ui_iterate_pending ();
    check_window_size (f, "providers, a row expanded");
    maybe_screenshot (f, "providers-wide");
  }

  /* Narrow: every page again. */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  show_page (f, "chat");
  check_window_size (f, "narrow chat");
  maybe_screenshot (f, "chat-narrow");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "chat.compare", NULL));
  check_window_size (f, "narrow compare");
  maybe_screenshot (f, "compare-narrow");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "chat.compare", NULL));
  show_page (f, "usage");
  check_window_size (f, "narrow usage");
  maybe_screenshot (f, "usage-narrow");
  show_page (f, "providers");
  check_window_size (f, "narrow providers");
  maybe_screenshot (f, "providers-narrow");
  if (size_failures->len > 0)
    g_error ("%s", size_failures->str);
  g_string_free (size_failures, TRUE);
  size_failures = NULL;
}

/* ---- small things -------------------------------------------------------- */

static gboolean
find_css_matches (GtkWidget     *widget,
                  gconstpointer  data)
{
  const char *css_class = data;

  return gtk_widget_has_css_class (widget, css_class) && gtk_widget_get_mapped (widget);
}

static GtkWidget *
find_css (GtkWidget  *widget,
          const char *css_class)
{
  return byok_test_ui_find_first (widget, find_css_matches, css_class);
}

static gboolean
find_type_name_matches (GtkWidget     *widget,
                        gconstpointer  data)
{
  const char *type_name = data;

  return g_strcmp0 (G_OBJECT_TYPE_NAME (widget), type_name) == 0 && gtk_widget_get_mapped (widget);
}

/* Of that type, shown or not. */
static gboolean
is_type_name (GtkWidget     *widget,
              gconstpointer  data)
{
  return g_strcmp0 (G_OBJECT_TYPE_NAME (widget), data) == 0;
}

static GtkWidget *
find_type_name (GtkWidget  *widget,
                const char *type_name)
{
  return byok_test_ui_find_first (widget, find_type_name_matches, type_name);
}

static graphene_rect_t
bounds_in_window (Fixture   *f,
                  GtkWidget *widget)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, f->window, &bounds));
  return bounds;
}

/* The code block's Copy sits in a header above the code, and says
 * "Copied" once it copied. */
static void
check_code_copy (Fixture   *f,
                 GtkWidget *where)
{
  GtkWidget *block = find_css (where, "byok-code-block");
  GtkWidget *copy;
  GtkWidget *code;
  graphene_rect_t copy_bounds, code_bounds;

  g_assert_nonnull (block);
  copy = find_css (block, "byok-code-copy");
  code = byok_test_ui_find_descendant (block, GTK_TYPE_SCROLLED_WINDOW);
  g_assert_nonnull (copy);
  g_assert_nonnull (code);
  copy_bounds = bounds_in_window (f, copy);
  code_bounds = bounds_in_window (f, code);
  g_assert_false (graphene_rect_intersection (&copy_bounds, &code_bounds, NULL));
  g_assert_nonnull (find_label_prefix (copy, copy, "Copy"));
  g_signal_emit_by_name (copy, "clicked");
  g_assert_nonnull (find_label_prefix (copy, copy, "Copied"));
}

static void
assert_apart (Fixture    *f,
              GtkWidget  *a,
              GtkWidget  *b,
              const char *what)
{
  graphene_rect_t ba = bounds_in_window (f, a);
  graphene_rect_t bb = bounds_in_window (f, b);

  if (graphene_rect_intersection (&ba, &bb, NULL))
    g_error ("%s: %g,%g %g×%g covers %g,%g %g×%g", what, ba.origin.x, ba.origin.y, ba.size.width,
             ba.size.height, bb.origin.x, bb.origin.y, bb.size.width, bb.size.height);
}

static gboolean
toast_shown (gpointer data)
{
  Fixture *f = data;

  return find_type_name (f->window, "AdwToastWidget") != NULL;
}

static void
test_small_things (Fixture       *f,
                   gconstpointer  data)
{
  ByokCompareView *view = byok_chat_page_get_compare_view (f->page);
  ByokComposer *composer = composer_of (f);
  GtkWidget *toast;

  gtk_window_set_default_size (GTK_WINDOW (f->window), 1400, 900);
  byok_model_picker_set_selection (picker_of (f), "openai", "gpt-4o-mini");
  byok_test_server_add_reply (f->server, CHAT_PATH, byok_test_reply_new_openai_text (long_answer));
  send_and_wait (f, "Some code, please");
  lay_out (f);
  check_code_copy (f, GTK_WIDGET (f->page));

  /* A toast (from Copy under an answer) keeps clear of the model picker
   * and the attach button. */
  g_assert_true (gtk_widget_activate_action (f->window, "win.show-toast", "s", "Copied to the clipboard"));
  byok_test_ui_iterate_until (toast_shown, f, "the toast");
  lay_out (f);
  toast = find_type_name (f->window, "AdwToastWidget");
  assert_apart (f, toast, GTK_WIDGET (picker_of (f)), "the toast over the model picker");
  assert_apart (f, toast, byok_test_ui_find_action_button (GTK_WIDGET (composer), GTK_WIDGET (composer), "composer.attach"),
                "the toast over the attach button");
  maybe_screenshot (f, "toast-wide");

  /* In a narrow Compare column the copy button leaves the code alone. */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "chat.compare", NULL));
  for (guint i = 0; i < 2; i++)
    byok_test_server_add_reply_for_model (f->server, CHAT_PATH,
      byok_model_picker_get_model_id (byok_compare_column_get_picker (byok_compare_view_get_column (view, i))),
      byok_test_reply_new_openai_text (long_answer));
  byok_compare_view_set_prompt (view, "Some code, please");
  g_assert_true (byok_compare_view_send (view));
  byok_test_ui_iterate_until (all_columns_done, view, "the columns");
  lay_out (f);
  check_code_copy (f, GTK_WIDGET (byok_compare_view_get_column (view, 0)));
  maybe_screenshot (f, "compare-code-narrow");
}

static GtkWidget *
open_preferences (Fixture *f)
{
  GtkWidget *preferences;

  g_assert_true (gtk_widget_activate_action (f->window, "win.preferences", NULL));
  byok_test_ui_iterate_pending ();
  preferences = byok_test_ui_find_open (BYOK_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  return preferences;
}

/* With no fallback models the list says so, in a row of its own: no
 * empty row. */
static void
test_fallback_empty (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *preferences;
  GtkListBox *list;
  GtkWidget *row;

  g_settings_reset (settings, "fallback-chain");
  preferences = open_preferences (f);
  /* A window of its own on libadwaita 1.2; a dialog sized by the main
   * window on 1.5 and later. */
  if (GTK_IS_WINDOW (preferences))
    gtk_window_set_default_size (GTK_WINDOW (preferences), 560, 560);
  lay_out (f);
  byok_test_ui_screenshot (preferences, "preferences-empty");
  list = GTK_LIST_BOX (find_css (preferences, "boxed-list"));
  g_assert_nonnull (list);
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (list, 0));
  g_assert_nonnull (row);
  g_assert_true (ADW_IS_ACTION_ROW (row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "No Fallback Models");
  g_assert_null (gtk_list_box_get_row_at_index (list, 1));
  byok_dialog_close (preferences);
}

static void
collect_css (GtkWidget  *widget,
             const char *css_class,
             GPtrArray  *out)
{
  if (gtk_widget_has_css_class (widget, css_class) && gtk_widget_get_mapped (widget))
    g_ptr_array_add (out, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    collect_css (c, css_class, out);
}

static GtkEventController *
find_controller (GtkWidget  *widget,
                 const char *name)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), name) == 0)
        return controller;
    }
  return NULL;
}

/* An edited price is drawn in the table's own font; the wheel over a
 * table that has nothing to scroll scrolls the page. */
static gboolean
table_shows_edited (gpointer table)
{
  g_autoptr(GPtrArray) edited = g_ptr_array_new ();
  g_autoptr(GPtrArray) headings = g_ptr_array_new ();

  collect_css (table, "price-edited", edited);
  collect_css (table, "heading", headings);
  return edited->len > 0 && headings->len == 0;
}

static void
test_prices (Fixture       *f,
             gconstpointer  data)
{
  GtkWidget *usage;
  GtkWidget *table;
  GtkWidget *search;
  GtkWidget *scroller;
  GtkAdjustment *page;
  GtkEventController *chain;
  g_autoptr(GPtrArray) edited = g_ptr_array_new ();
  g_autoptr(GPtrArray) headings = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  ByokPrice price;
  gboolean handled = FALSE;
  int edited_height, other_height;
  GtkWidget *other;

  byok_price_init_flat (&price, 0.2, 0.1, BYOK_PRICE_UNKNOWN, 0.8);
  g_assert_true (byok_price_overrides_set (byok_engine_get_usage_store (f->engine), byok_engine_get_pricing (f->engine),
                                           "openai", "gpt-4o-mini", &price, &error));
  g_assert_no_error (error);

  /* Usage shows its dashboard once there was a call. */
  byok_model_picker_set_selection (picker_of (f), "openai", "gpt-4o-mini");
  byok_test_server_add_reply (f->server, CHAT_PATH, byok_test_reply_new_openai_text ("Counted."));
  send_and_wait (f, "Count me");

  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  show_page (f, "usage");
  usage = adw_view_stack_get_visible_child (ADW_VIEW_STACK (byok_test_ui_find_descendant (f->window, ADW_TYPE_VIEW_STACK)));
  table = byok_test_ui_find_descendant (usage, g_type_from_name ("ByokPriceTable"));
  g_assert_nonnull (table);
  byok_test_ui_iterate_until ((ByokTestCondition) gtk_widget_get_mapped, table, "the price table");
  search = byok_test_ui_find_descendant (table, GTK_TYPE_SEARCH_ENTRY);
  gtk_editable_set_text (GTK_EDITABLE (search), "gpt-4o-mini");
  /* The search applies once the entry's own delay has passed. */
  byok_test_ui_iterate_until (table_shows_edited, table, "the edited price");
  lay_out (f);
  maybe_screenshot (f, "prices-narrow");

  collect_css (table, "price-edited", edited);
  collect_css (table, "heading", headings);
  g_assert_cmpuint (edited->len, >, 0);
  g_assert_cmpuint (headings->len, ==, 0);
  /* As tall as a price nobody edited. */
  other = NULL;
  for (GtkWidget *w = gtk_widget_get_parent (gtk_widget_get_parent (g_ptr_array_index (edited, 0)));
       w != NULL && other == NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_COLUMN_VIEW (w))
      {
        g_autoptr(GPtrArray) labels = g_ptr_array_new ();

        collect_css (w, "numeric", labels);
        for (guint i = 0; i < labels->len && other == NULL; i++)
          if (!gtk_widget_has_css_class (g_ptr_array_index (labels, i), "price-edited"))
            other = g_ptr_array_index (labels, i);
      }
  if (other != NULL)
    {
      gtk_widget_measure (g_ptr_array_index (edited, 0), GTK_ORIENTATION_VERTICAL, -1, NULL, &edited_height, NULL, NULL);
      gtk_widget_measure (other, GTK_ORIENTATION_VERTICAL, -1, NULL, &other_height, NULL, NULL);
      g_assert_cmpint (edited_height, ==, other_height);
    }

  /* The table shows all it has: the wheel over it moves the page. */
  scroller = gtk_widget_get_ancestor (GTK_WIDGET (g_ptr_array_index (edited, 0)), GTK_TYPE_SCROLLED_WINDOW);
  g_assert_nonnull (scroller);
  page = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (gtk_widget_get_parent (scroller),
                                                                                            GTK_TYPE_SCROLLED_WINDOW)));
  g_assert_cmpfloat (gtk_adjustment_get_upper (page), >, gtk_adjustment_get_page_size (page));
  gtk_adjustment_set_value (page, 0);
  chain = find_controller (scroller, "byok-scroll-chain");
  g_assert_nonnull (chain);
  g_signal_emit_by_name (chain, "scroll", 0.0, 1.0, &handled);
  g_assert_true (handled);
  g_assert_cmpfloat (gtk_adjustment_get_value (page), >, 0);

  /* How an edited row looks beside the others. */
  gtk_editable_set_text (GTK_EDITABLE (search), "gpt-4o");
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1400, 900);
  lay_out (f);
  {
    graphene_rect_t bounds;
    GtkWidget *content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (gtk_widget_get_parent (scroller),
                                                                                                     GTK_TYPE_SCROLLED_WINDOW)));

    g_assert_true (gtk_widget_compute_bounds (table, content, &bounds));
    gtk_adjustment_set_value (page, bounds.origin.y - 12);
  }
  lay_out (f);
  maybe_screenshot (f, "prices-wide");
}

/* On the Providers page a refused key's message does not send the person
 * to the Providers page. */
static void
test_providers_error (Fixture       *f,
                      gconstpointer  data)
{
  ByokKeyStore *keys = byok_engine_get_key_store (f->engine);
  ByokProviderRow *row;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  gboolean said = FALSE;

  byok_key_store_set_prefer_environment (keys, "openai", FALSE);
  byok_test_server_add_reply (f->server, "/v1/models", key_rejected_reply ());
  show_page (f, "providers");
  row = provider_row (f, "openai");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  byok_provider_row_save_key (row, "sk-test-fake-first-hour-refused-0003");
  wait_for_status (f, "openai", BYOK_PROVIDER_STATUS_REJECTED);
  lay_out (f);
  maybe_screenshot (f, "providers-rejected");

  collect_css (GTK_WIDGET (row), "subtitle", rows);
  for (guint i = 0; i < rows->len; i++)
    {
      const char *text = gtk_label_get_label (g_ptr_array_index (rows, i));

      g_assert_null (strstr (text, "in Providers"));
      said = said || strstr (text, "rejected the key") != NULL;
    }
  g_assert_true (said);

  byok_key_store_delete_wait (keys, "openai", NULL, NULL, NULL);
}

/* An old "over budget" error offers Send Anyway and Raise Budget only while
 * the budget stops calls; once raised, Retry. */
static void
test_budget_raised (Fixture       *f,
                    gconstpointer  data)
{
  ByokUsageStore *usage = byok_engine_get_usage_store (f->engine);
  g_autoptr(GError) error = NULL;
  GtkLabel *title;
  GtkWidget *row;

  byok_model_picker_set_selection (picker_of (f), "openai", "gpt-4o-mini");
  byok_test_server_add_reply (f->server, CHAT_PATH, byok_test_reply_new_openai_text ("Spent."));
  send_and_wait (f, "Spend a little");
  g_assert_true (byok_usage_store_set_budget (usage, BYOK_BUDGET_SCOPE_ALL, 0.000001, TRUE, &error));
  g_assert_no_error (error);

  send_and_wait (f, "And more");
  title = wait_for_label (f, "Over Your Budget");
  row = gtk_widget_get_ancestor (GTK_WIDGET (title), BYOK_TYPE_MESSAGE_ROW);
  g_assert_nonnull (byok_test_ui_find_action_button (row, row, "chat.send-anyway"));
  g_assert_nonnull (byok_test_ui_find_action_button (row, row, "win.show-page"));

  /* Raised in Usage; back in Chat. */
  show_page (f, "usage");
  g_assert_true (byok_usage_store_set_budget (usage, BYOK_BUDGET_SCOPE_ALL, 100, TRUE, &error));
  g_assert_no_error (error);
  show_page (f, "chat");
  lay_out (f);
  title = wait_for_label (f, "Over Your Budget");
  row = gtk_widget_get_ancestor (GTK_WIDGET (title), BYOK_TYPE_MESSAGE_ROW);
  g_assert_null (byok_test_ui_find_action_button (row, row, "chat.send-anyway"));
  g_assert_null (byok_test_ui_find_action_button (row, row, "win.show-page"));
  g_assert_nonnull (byok_test_ui_find_action_button (row, row, "chat.regenerate-message"));
}

static gboolean
has_some_text (gpointer data)
{
  return *byok_message_get_content (BYOK_MESSAGE (data)) != '\0';
}

static ByokTestReply *
held_reply (const char *text)
{
  g_autofree char *chunk = byok_test_openai_chunk_json ("content", text);
  ByokTestReply *reply = byok_test_reply_new_sse (chunk, NULL);

  byok_test_reply_set_hold (reply, TRUE);
  return reply;
}

/* A chat answered @hello, then @prompt whose answer is stopped once its
 * first words (@first_words, the server holding the rest) have arrived:
 * that answer */
static ByokMessage *
stop_long_answer (Fixture    *f,
                  const char *hello,
                  const char *prompt,
                  const char *first_words)
{
  ByokMessage *answer;

  byok_test_server_add_reply (f->server, CHAT_PATH, byok_test_reply_new_openai_text (hello));
  send_and_wait (f, "Hello");
  byok_test_server_add_reply (f->server, CHAT_PATH, held_reply (first_words));
  byok_composer_set_text (composer_of (f), prompt);
  g_assert_true (byok_composer_send (composer_of (f)));
  answer = last_message (f);
  byok_test_ui_iterate_until (has_some_text, answer, "the first words");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "chat.stop", NULL));
  return answer;
}

/* ---- Usage: stopped apart, one vocabulary, lower-case statuses ----------- */

static gboolean
cancel_finished (gpointer data)
{
  return g_strcmp0 (byok_message_get_error_class (BYOK_MESSAGE (data)), "CANCELLED") == 0;
}

static void
test_usage_wording (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(ByokMessage) answer = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  GtkWidget *usage;
  GtkLabel *label;

  byok_model_picker_set_selection (picker_of (f), "openai", "gpt-4o-mini");

  /* An answer; one stopped half-way; one refused. */
  answer = stop_long_answer (f, "Fine.", "A long story", "Once upon");
  byok_test_ui_iterate_until (cancel_finished, answer, "the stopped call");
  byok_test_server_release_held (f->server);
  byok_test_server_add_reply (f->server, CHAT_PATH, key_rejected_reply ());
  send_and_wait (f, "Still there?");

  /* The cards count the stopped call apart from the failed one, and say
   * "with a known price" as What-if does. */
  show_page (f, "usage");
  usage = adw_view_stack_get_visible_child (ADW_VIEW_STACK (byok_test_ui_find_descendant (f->window, ADW_TYPE_VIEW_STACK)));
  byok_test_ui_iterate_until ((ByokTestCondition) gtk_widget_get_mapped, byok_test_ui_find_descendant (usage, g_type_from_name ("ByokPriceTable")),
                 "the dashboard");
  lay_out (f);
  label = find_label_prefix (usage, usage, "3 calls · 1 failed · 1 stopped");
  g_assert_nonnull (label);
  label = find_label_prefix (usage, usage, "Your ");
  g_assert_nonnull (label);
  g_assert_nonnull (strstr (gtk_label_get_label (label), "with a known price"));
  maybe_screenshot (f, "usage-stopped");

  /* The export: statuses in one lower-case form, as byok-cli chat --json. */
  g_assert_true (byok_usage_store_export (byok_engine_get_usage_store (f->engine), 0, G_MAXINT64,
                                          BYOK_USAGE_EXPORT_CSV, out, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_write (out, "", 1, NULL, NULL);
  csv = g_strdup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)));
  g_assert_nonnull (strstr (csv, ",ok,"));
  g_assert_nonnull (strstr (csv, ",cancelled,"));
  g_assert_nonnull (strstr (csv, ",auth,401,"));
  lines = g_strsplit (csv, "\r\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_autofree char *lower = g_ascii_strdown (lines[i], -1);

      /* Nothing in capitals but the ISO dates' T and Z. */
      for (char *p = lower, *q = lines[i]; *q != '\0'; p++, q++)
        if (*q != *p && *q != 'T' && *q != 'Z')
          g_error ("a capital in the export: %s", lines[i]);
    }
}

/* ---- the whole first hour, in one go ------------------------------------- */

static gboolean
page_is_empty (gpointer data)
{
  Fixture *f = data;
  GtkWidget *status = find_type_name (GTK_WIDGET (f->page), "AdwStatusPage");

  return status != NULL && g_strcmp0 (adw_status_page_get_title (ADW_STATUS_PAGE (status)), "No Conversations Yet") == 0;
}

/* Add a key, chat, stop, regenerate, 401, 429, budgets, Usage, Compare, a
 * narrow window, quit and restart: not one warning or critical on the way
 * (the log writer counts them; the teardown asserts none). */
static void
test_whole_flow (Fixture       *f,
                 gconstpointer  data)
{
  const char *no_env[] = { NULL };
  ByokKeyStore *keys = byok_engine_get_key_store (f->engine);
  ByokUsageStore *usage = byok_engine_get_usage_store (f->engine);
  ByokCompareView *view = byok_chat_page_get_compare_view (f->page);
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokMessage) answer = NULL;
  ByokTestReply *models;
  gint64 conversation_id;

  /* A new user: no key anywhere. */
  byok_key_store_set_environment (keys, no_env);
  byok_key_store_set_prefer_environment (keys, "openai", FALSE);
  byok_key_store_delete_wait (keys, "openai", NULL, NULL, NULL);
  show_page (f, "providers");
  show_page (f, "chat");
  byok_test_ui_iterate_until (page_is_empty, f, "the empty Chat page");
  /* Behind it, the conversation view is not even visible: a first start
   * neither styles nor measures it (issue 13). */
  g_assert_false (gtk_widget_get_visible (byok_test_ui_find_first (GTK_WIDGET (f->page), is_type_name, "ByokSplitView")));

  /* Add a key on the Providers page; it is checked at once. */
  models = byok_test_reply_new_json (200, "{\"object\": \"list\", \"data\": [{\"id\": \"gpt-4o-mini\", \"object\": \"model\"}]}");
  byok_test_reply_set_repeat (models, TRUE);
  byok_test_server_add_reply (f->server, "/v1/models", models);
  show_page (f, "providers");
  byok_provider_row_save_key (provider_row (f, "openai"), "sk-test-fake-first-hour-flow-0004");
  wait_for_status (f, "openai", BYOK_PROVIDER_STATUS_VALID);

  /* Chat starts on the key's provider. */
  show_page (f, "chat");
  byok_test_ui_iterate_until (picker_on_keyed, f, "the key's model");
  g_assert_true (gtk_widget_get_mapped (find_type_name (GTK_WIDGET (f->page), "ByokSplitView")));
  byok_model_picker_set_selection (picker_of (f), "openai", "gpt-4o-mini");

  /* A chat; then a long answer stopped half-way, and asked again. */
  answer = stop_long_answer (f, "Hello there.", "Tell me a long story", "Once upon a time");
  g_assert_cmpstr (byok_message_get_status (answer), ==, BYOK_MESSAGE_STATUS_PARTIAL);
  byok_test_server_release_held (f->server);
  byok_test_server_add_reply (f->server, CHAT_PATH, byok_test_reply_new_openai_text ("A short one."));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "chat.regenerate", NULL));
  byok_test_ui_iterate_until (byok_test_ui_chat_page_idle, f->page, "the regenerated answer");
  g_clear_object (&answer);
  answer = last_message (f);
  g_assert_cmpstr (byok_message_get_content (answer), ==, "A short one.");
  g_clear_object (&answer);

  /* 401: the key shows as rejected; it works again, valid. */
  byok_test_server_add_reply (f->server, CHAT_PATH, key_rejected_reply ());
  send_and_wait (f, "Still there?");
  wait_for_label (f, "The Key Was Rejected");
  wait_for_status (f, "openai", BYOK_PROVIDER_STATUS_REJECTED);
  byok_test_server_add_reply (f->server, CHAT_PATH, byok_test_reply_new_openai_text ("Yes."));
  send_and_wait (f, "And now?");
  wait_for_status (f, "openai", BYOK_PROVIDER_STATUS_VALID);

  /* 429 with Retry-After: said, then answered. */
  byok_client_set_max_attempts (byok_engine_get_client (f->engine), 2);
  byok_test_server_add_reply (f->server, CHAT_PATH, rate_limited ("1"));
  byok_test_server_add_reply (f->server, CHAT_PATH, byok_test_reply_new_openai_text ("After the wait."));
  byok_composer_set_text (composer_of (f), "Busy?");
  g_assert_true (byok_composer_send (composer_of (f)));
  wait_for_label (f, "Rate limited by OpenAI — trying again");
  byok_test_ui_iterate_until (byok_test_ui_chat_page_idle, f->page, "the answer after the wait");

  /* A budget stops the next call; raised, Retry answers. */
  g_assert_true (byok_usage_store_set_budget (usage, BYOK_BUDGET_SCOPE_ALL, 0.000001, TRUE, &error));
  g_assert_no_error (error);
  send_and_wait (f, "Over?");
  wait_for_label (f, "Over Your Budget");
  show_page (f, "usage");
  lay_out (f);
  g_assert_true (byok_usage_store_set_budget (usage, BYOK_BUDGET_SCOPE_ALL, 100, TRUE, &error));
  g_assert_no_error (error);
  show_page (f, "chat");
  byok_test_server_add_reply (f->server, CHAT_PATH, byok_test_reply_new_openai_text ("Within budget."));
  answer = last_message (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "chat.regenerate-message", "x",
                                             byok_message_get_id (answer)));
  g_clear_object (&answer);
  byok_test_ui_iterate_until (byok_test_ui_chat_page_idle, f->page, "the answer within budget");

  /* Compare two models, and go on with one. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "chat.compare", NULL));
  byok_compare_view_set_n_columns (view, 2);
  for (guint i = 0; i < 2; i++)
    byok_test_server_add_reply_for_model (f->server, CHAT_PATH,
      byok_model_picker_get_model_id (byok_compare_column_get_picker (byok_compare_view_get_column (view, i))),
      byok_test_reply_new_openai_text ("Compared."));
  byok_compare_view_set_prompt (view, "Which one?");
  g_assert_true (byok_compare_view_send (view));
  byok_test_ui_iterate_until (all_columns_done, view, "the columns");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (byok_compare_view_get_column (view, 1)),
                                             "column.continue-in-chat", NULL));
  conversation_id = byok_conversation_get_id (byok_chat_page_get_conversation (f->page));

  /* A narrow window, every page. */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  check_window_size (f, "flow: narrow chat");
  show_page (f, "usage");
  check_window_size (f, "flow: narrow usage");
  show_page (f, "providers");
  check_window_size (f, "flow: narrow providers");
  show_page (f, "chat");

  /* Quit and start again: the conversation is there. */
  byok_test_chat_fixture_close_window (f);
  g_clear_object (&f->engine);
  open_engine (f);
  open_window (f);
  g_assert_cmpint (byok_conversation_get_id (byok_chat_page_get_conversation (f->page)), ==, conversation_id);
  answer = last_message (f);
  g_assert_cmpstr (byok_message_get_content (answer), ==, "Compared.");

  byok_key_store_delete_wait (byok_engine_get_key_store (f->engine), "openai", NULL, NULL, NULL);
}

int
main (int argc, char **argv)
{
  byok_test_ui_init (&argc, &argv, log_writer);
  /* Xvfb renders in software, slowly: without animations the frame clock
   * is not always due. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  /* The app's own styles, as AdwApplication loads them. */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/io/github/byok/Byok/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

#define ADD(path, func) \
  g_test_add ("/first-hour/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("base-url-environment", test_base_url_environment);
  ADD ("default-model", test_default_model);
  ADD ("default-model-refused", test_default_model_refused);
  ADD ("key-status", test_key_status);
  ADD ("continue-in-chat", test_continue_in_chat);
  ADD ("retry-said", test_retry_said);
  ADD ("retry-button", test_retry_button);
  ADD ("window-size", test_window_size);
  ADD ("small-things", test_small_things);
  ADD ("fallback-empty", test_fallback_empty);
  ADD ("prices", test_prices);
  ADD ("providers-error", test_providers_error);
  ADD ("budget-raised", test_budget_raised);
  ADD ("usage-wording", test_usage_wording);
  ADD ("whole-flow", test_whole_flow);
#undef ADD
  return g_test_run ();
}
