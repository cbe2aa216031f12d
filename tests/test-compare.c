/* test-compare.c — Compare mode under Xvfb against the provider test
 * server, with a throwaway database: one prompt to two models, each column
 * streaming its own model's answer and ending with tokens and cost (and a
 * usage row each); "Continue in Chat" hands over the column's answer;
 * Stop keeps the partial text of a held stream while the other column has
 * its whole answer; columns clamp at two and four, new ones with models
 * the others do not ask; a 401 for one model shows its classified error
 * while the other column still answers.
 *
 * No timing assertions: the main loop runs until a condition holds, with a
 * generous cap on iterations.
 *
 * With BYOK_COMPARE_DEMO=SECONDS it instead shows a finished comparison of
 * three models for that long, for screenshots; with BYOK_COMPARE_DEMO_PNG
 * set to a path it also saves the window there as a PNG. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "byok-test-engine.h"
#include "byok-test-replies.h"
#include "byok-test-util.h"
#include "byok-compare-view.h"
#include "byok-markdown-view.h"
#include "byok-test-server.h"
#include "byok-test-ui.h"

#define OPENAI_KEY   "sk-test-fake-compare-0001"
#define DEEPSEEK_KEY "sk-test-fake-compare-0002"
#define MOONSHOT_KEY "sk-test-fake-compare-0003"
#define CHAT_PATH    "/v1/chat/completions"

typedef struct {
  char            *dir;
  char            *db_path;
  ByokTestServer  *server;
  ByokEngine      *engine;
  GtkWidget       *window;
  ByokCompareView *view;
} Fixture;

/* ---- widgets ------------------------------------------------------------- */

static gboolean
is_shown (GtkWidget *widget,
          GtkWidget *top)
{
  for (GtkWidget *w = widget; w != NULL && w != top; w = gtk_widget_get_parent (w))
    if (!gtk_widget_get_visible (w) ||
        (GTK_IS_REVEALER (w) && !gtk_revealer_get_child_revealed (GTK_REVEALER (w))))
      return FALSE;
  return TRUE;
}

typedef struct {
  GtkWidget  *top;
  const char *text;
} ShownLabel;

static gboolean
is_shown_label (GtkWidget     *widget,
                gconstpointer  data)
{
  const ShownLabel *want = data;

  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), want->text) == 0 &&
         is_shown (widget, want->top);
}

/* Like byok_test_ui_find_shown_label(), but a label in a revealer counts
 * as shown only once the revealer has shown its child. */
static GtkWidget *
find_shown_label (GtkWidget  *widget,
                  GtkWidget  *top,
                  const char *text)
{
  ShownLabel want = { top, text };

  return byok_test_ui_find_first (widget, is_shown_label, &want);
}

static gboolean
find_css_class_matches (GtkWidget     *widget,
                        gconstpointer  data)
{
  const char *css_class = data;

  return gtk_widget_has_css_class (widget, css_class);
}

static GtkWidget *
find_css_class (GtkWidget  *widget,
                const char *css_class)
{
  return byok_test_ui_find_first (widget, find_css_class_matches, css_class);
}

/* ---- fixture ------------------------------------------------------------- */

static void
open_engine (Fixture *f)
{
  const char *env[] = {
    "OPENAI_API_KEY=" OPENAI_KEY,
    "DEEPSEEK_API_KEY=" DEEPSEEK_KEY,
    "MOONSHOT_API_KEY=" MOONSHOT_KEY,
    NULL
  };
  static const char * const providers[] = { "openai", "deepseek", "moonshot" };

  f->engine = byok_test_engine_new (f->db_path);
  byok_test_engine_use_env_keys (f->engine, env, "openai", "deepseek", "moonshot", NULL);
  byok_client_set_max_attempts (byok_engine_get_client (f->engine), 1);
  /* All three at the server's OpenAI path. */
  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    byok_test_point_provider (byok_engine_get_catalog (f->engine), providers[i], f->server, "/v1");
}

static void
open_window (Fixture            *f,
             const char * const *available)
{
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 720);
  f->view = BYOK_COMPARE_VIEW (byok_compare_view_new ());
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
  byok_compare_view_set_engine (f->view, f->engine);
  byok_compare_view_set_available (f->view, available);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static const char * const openai_only[] = { "openai", NULL };
  f->dir = byok_test_make_dir ("compare");
  f->db_path = g_build_filename (f->dir, "byok.db", NULL);
  f->server = byok_test_server_new ();
  open_engine (f);
  open_window (f, openai_only);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  f->view = NULL;
  byok_test_ui_iterate_pending ();
  byok_test_server_release_held (f->server);
  byok_test_ui_iterate_pending ();
  g_clear_object (&f->engine);
  g_clear_object (&f->server);
  byok_test_remove_tree (f->dir);
  g_free (f->db_path);
  g_free (f->dir);
}

static ByokCompareColumn *
column (Fixture *f,
        guint    i)
{
  return byok_compare_view_get_column (f->view, i);
}

static void
choose (Fixture    *f,
        guint       i,
        const char *provider_id,
        const char *model_id)
{
  byok_model_picker_set_selection (byok_compare_column_get_picker (column (f, i)), provider_id, model_id);
}

static gboolean
not_busy (gpointer data)
{
  Fixture *f = data;

  return !byok_compare_view_get_busy (f->view);
}

static void
compare_and_wait (Fixture    *f,
                  const char *prompt)
{
  byok_compare_view_set_prompt (f->view, prompt);
  g_assert_true (byok_compare_view_send (f->view));
  g_assert_true (byok_compare_view_get_busy (f->view));
  byok_test_ui_iterate_until (not_busy, f, "the answers");
}

static gboolean
body_has (ByokTestRequest *request,
          const char      *needle)
{
  g_autofree char *body = g_strndup (g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body));

  return strstr (body, needle) != NULL;
}

/* ---- tests --------------------------------------------------------------- */

typedef struct {
  char *provider_id;
  char *model_id;
  char *prompt;
  char *answer;
} Continued;

static void
continue_cb (ByokCompareView   *view,
             ByokCompareColumn *column,
             Continued         *continued)
{
  ByokMessage *answer = byok_compare_column_get_answer (column);

  continued->provider_id = g_strdup (byok_compare_column_get_provider_id (column));
  continued->model_id = g_strdup (byok_compare_column_get_model_id (column));
  continued->prompt = g_strdup (byok_compare_column_get_prompt (column));
  continued->answer = answer != NULL ? g_strdup (byok_message_get_content (answer)) : NULL;
}

static void
test_send (Fixture       *f,
           gconstpointer  data)
{
  const char *mini_answer = "Mini says **hello** to you.";
  const char *big_answer = "The big model says hi, at more length and cost.";
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = NULL;
  ByokModelPicker *first = byok_compare_column_get_picker (column (f, 0));
  ByokModelPicker *second = byok_compare_column_get_picker (column (f, 1));
  Continued continued = { NULL, };
  gboolean seen_mini = FALSE;
  gboolean seen_big = FALSE;

  /* Two columns, each with a model of its own to begin with. */
  g_assert_cmpuint (byok_compare_view_get_n_columns (f->view), ==, 2);
  g_assert_cmpstr (byok_model_picker_get_provider_id (first), ==, "openai");
  g_assert_cmpstr (byok_model_picker_get_provider_id (second), ==, "openai");
  g_assert_nonnull (byok_model_picker_get_model_id (first));
  g_assert_nonnull (byok_model_picker_get_model_id (second));
  g_assert_cmpstr (byok_model_picker_get_model_id (first), !=, byok_model_picker_get_model_id (second));

  /* A narrow column names the model, its provider small beneath it. */
  choose (f, 0, "openai", "gpt-4o-mini");
  g_assert_true (byok_model_picker_get_compact (first));
  g_assert_nonnull (find_shown_label (GTK_WIDGET (first), GTK_WIDGET (first), "GPT-4o mini"));
  g_assert_nonnull (find_shown_label (GTK_WIDGET (first), GTK_WIDGET (first), "OpenAI"));
  g_assert_null (find_shown_label (GTK_WIDGET (first), GTK_WIDGET (first), "OpenAI · GPT-4o mini"));

  /* Nothing to send without a prompt. */
  g_assert_false (byok_compare_view_send (f->view));
  byok_compare_view_set_prompt (f->view, "   \n ");
  g_assert_false (byok_compare_view_send (f->view));

  byok_test_server_add_reply_for_model (f->server, CHAT_PATH, "gpt-4o-mini",
                                        byok_test_reply_new_openai_answer ("Short and sweet.", mini_answer, 1200, 1000, 300, FALSE));
  byok_test_server_add_reply_for_model (f->server, CHAT_PATH, "gpt-4o",
                                        byok_test_reply_new_openai_answer (NULL, big_answer, 1200, 0, 900, FALSE));
  choose (f, 0, "openai", "gpt-4o-mini");
  choose (f, 1, "openai", "gpt-4o");
  compare_and_wait (f, "Say hello");

  /* Each column has its own model's answer, shown as Markdown. */
  g_assert_cmpstr (byok_compare_column_get_text (column (f, 0)), ==, mini_answer);
  g_assert_cmpstr (byok_compare_column_get_text (column (f, 1)), ==, big_answer);
  g_assert_cmpstr (byok_compare_column_get_reasoning (column (f, 0)), ==, "Short and sweet.");
  g_assert_cmpstr (byok_markdown_view_get_text (BYOK_MARKDOWN_VIEW (byok_test_ui_find_descendant (GTK_WIDGET (column (f, 0)),
                                                                                      BYOK_TYPE_MARKDOWN_VIEW))),
                   ==, mini_answer);
  g_assert_null (byok_compare_column_get_error_class (column (f, 0)));
  g_assert_null (byok_compare_column_get_error_class (column (f, 1)));

  /* … and ends with its tokens, cost and times. */
  g_assert_nonnull (strstr (byok_compare_column_get_caption (column (f, 0)), "gpt-4o-mini"));
  g_assert_nonnull (strstr (byok_compare_column_get_caption (column (f, 0)), "1,200 in"));
  g_assert_nonnull (strstr (byok_compare_column_get_caption (column (f, 0)), "300 out"));
  g_assert_nonnull (strstr (byok_compare_column_get_caption (column (f, 0)), "1,000 cached"));
  g_assert_nonnull (strstr (byok_compare_column_get_caption (column (f, 0)), "$"));
  g_assert_nonnull (strstr (byok_compare_column_get_caption (column (f, 0)), "total"));
  g_assert_nonnull (strstr (byok_compare_column_get_caption (column (f, 1)), "900 out"));
  g_assert_nonnull (strstr (byok_compare_column_get_caption (column (f, 1)), "$"));
  g_assert_nonnull (find_shown_label (GTK_WIDGET (column (f, 0)), GTK_WIDGET (column (f, 0)), "Cost"));
  g_assert_nonnull (find_shown_label (GTK_WIDGET (column (f, 0)), GTK_WIDGET (column (f, 0)), "1,200 · 1,000 cached"));
  g_assert_nonnull (find_shown_label (GTK_WIDGET (column (f, 1)), GTK_WIDGET (column (f, 1)), "900"));

  /* The lower cost stands out. */
  {
    GtkWidget *best = find_css_class (GTK_WIDGET (column (f, 0)), "compare-best");
    GtkWidget *other = find_css_class (GTK_WIDGET (column (f, 1)), "compare-best");

    g_assert_nonnull (best);
    g_assert_true (g_str_has_prefix (gtk_label_get_label (GTK_LABEL (best)), "$"));
    g_assert_true (other == NULL || !g_str_has_prefix (gtk_label_get_label (GTK_LABEL (other)), "$"));
  }

  /* One request per model, with the prompt; one usage row per call. */
  g_assert_cmpuint (byok_test_server_count_path (f->server, CHAT_PATH), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      ByokTestRequest *request = byok_test_server_get_request (f->server, i);

      g_assert_true (body_has (request, "Say hello"));
      seen_mini = seen_mini || body_has (request, "\"gpt-4o-mini\"");
      seen_big = seen_big || body_has (request, "\"gpt-4o\"");
    }
  g_assert_true (seen_mini);
  g_assert_true (seen_big);
  rows = byok_usage_store_list_recent (byok_engine_get_usage_store (f->engine), 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);

  /* The prompt stays, to be changed and sent again. */
  prompt = byok_compare_view_dup_prompt (f->view);
  g_assert_cmpstr (prompt, ==, "Say hello");

  /* "Continue in Chat" hands over the column's model, prompt and answer. */
  g_signal_connect (f->view, "continue-in-chat", G_CALLBACK (continue_cb), &continued);
  g_assert_true (gtk_widget_is_sensitive (byok_test_ui_find_action_button (GTK_WIDGET (column (f, 1)), NULL, "column.continue-in-chat")));
  g_assert_true (is_shown (byok_test_ui_find_action_button (GTK_WIDGET (column (f, 1)), NULL, "column.continue-in-chat"),
                           GTK_WIDGET (column (f, 1))));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (column (f, 1)), "column.continue-in-chat", NULL));
  g_assert_cmpstr (continued.provider_id, ==, "openai");
  g_assert_cmpstr (continued.model_id, ==, "gpt-4o");
  g_assert_cmpstr (continued.prompt, ==, "Say hello");
  g_assert_cmpstr (continued.answer, ==, big_answer);
  g_free (continued.provider_id);
  g_free (continued.model_id);
  g_free (continued.prompt);
  g_free (continued.answer);
}

typedef struct {
  Fixture *f;
} StopWait;

static gboolean
partial_and_other_done (gpointer data)
{
  Fixture *f = data;

  return g_str_has_suffix (byok_compare_column_get_text (column (f, 0)), "answer") &&
         !byok_compare_column_get_busy (column (f, 1));
}

static gboolean
cancel_finished (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (byok_compare_column_get_error_class (column (f, 0)), "CANCELLED") == 0;
}

static void
test_stop (Fixture       *f,
           gconstpointer  data)
{
  const char *whole = "The whole answer arrived.";
  GtkWidget *first = GTK_WIDGET (column (f, 0));

  byok_test_server_add_reply_for_model (f->server, CHAT_PATH, "gpt-4o-mini",
                                        byok_test_reply_new_openai_answer (NULL, "A partial answer", 10, 0, 5, TRUE));
  byok_test_server_add_reply_for_model (f->server, CHAT_PATH, "gpt-4o",
                                        byok_test_reply_new_openai_answer (NULL, whole, 10, 0, 5, FALSE));
  choose (f, 0, "openai", "gpt-4o-mini");
  choose (f, 1, "openai", "gpt-4o");
  byok_compare_view_set_prompt (f->view, "Tell me a long story");
  g_assert_true (byok_compare_view_send (f->view));
  byok_test_ui_iterate_until (partial_and_other_done, f, "the first words and the other answer");

  /* Each column streams on its own: one is done, the held one goes on. */
  g_assert_true (byok_compare_view_get_busy (f->view));
  g_assert_true (byok_compare_column_get_busy (column (f, 0)));
  g_assert_cmpstr (byok_compare_column_get_text (column (f, 1)), ==, whole);
  g_assert_false (byok_compare_view_send (f->view));

  /* Stop (Escape's action) keeps the text and says so, at once. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "compare.stop", NULL));
  g_assert_false (byok_compare_view_get_busy (f->view));
  g_assert_false (byok_compare_column_get_busy (column (f, 0)));
  g_assert_cmpstr (byok_compare_column_get_text (column (f, 0)), ==, "A partial answer");
  g_assert_nonnull (find_shown_label (first, first, "Stopped: this answer is incomplete"));
  g_assert_cmpstr (byok_compare_column_get_text (column (f, 1)), ==, whole);
  g_assert_null (byok_compare_column_get_error_class (column (f, 1)));

  /* The cancelled call winds down and keeps what was shown. */
  byok_test_ui_iterate_until (cancel_finished, f, "the cancelled call");
  g_assert_cmpstr (byok_compare_column_get_text (column (f, 0)), ==, "A partial answer");
  g_assert_nonnull (find_shown_label (first, first, "Stopped: this answer is incomplete"));
  g_assert_nonnull (byok_compare_column_get_caption (column (f, 0)));
  g_assert_false (is_shown (byok_test_ui_find_action_button (first, NULL, "column.continue-in-chat"), first));

  /* And the view can compare again. */
  byok_test_server_add_reply_for_model (f->server, CHAT_PATH, "gpt-4o-mini",
                                        byok_test_reply_new_openai_answer (NULL, "Short now.", 10, 0, 5, FALSE));
  byok_test_server_add_reply_for_model (f->server, CHAT_PATH, "gpt-4o",
                                        byok_test_reply_new_openai_answer (NULL, "Also short.", 10, 0, 5, FALSE));
  compare_and_wait (f, "Shorter, please");
  g_assert_cmpstr (byok_compare_column_get_text (column (f, 0)), ==, "Short now.");
  g_assert_cmpstr (byok_compare_column_get_text (column (f, 1)), ==, "Also short.");
  g_assert_null (byok_compare_column_get_error_class (column (f, 0)));
}

static gboolean
all_distinct (Fixture *f)
{
  guint n = byok_compare_view_get_n_columns (f->view);

  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      {
        ByokModelPicker *a = byok_compare_column_get_picker (column (f, i));
        ByokModelPicker *b = byok_compare_column_get_picker (column (f, j));

        if (g_strcmp0 (byok_model_picker_get_provider_id (a), byok_model_picker_get_provider_id (b)) == 0 &&
            g_strcmp0 (byok_model_picker_get_model_id (a), byok_model_picker_get_model_id (b)) == 0)
          return FALSE;
      }
  return TRUE;
}

static void
test_columns (Fixture       *f,
              gconstpointer  data)
{
  GtkWidget *add = byok_test_ui_find_action_button (GTK_WIDGET (f->view), NULL, "compare.add-column");
  ByokCompareColumn *third;

  g_assert_nonnull (add);
  g_assert_cmpuint (byok_compare_view_get_n_columns (f->view), ==, 2);
  g_assert_true (gtk_widget_is_sensitive (add));
  /* At two, no column can go. */
  for (guint i = 0; i < 2; i++)
    g_assert_false (gtk_widget_is_sensitive (byok_test_ui_find_action_button (GTK_WIDGET (column (f, i)), NULL, "column.remove")));
  gtk_widget_activate_action (GTK_WIDGET (column (f, 0)), "column.remove", NULL);
  g_assert_cmpuint (byok_compare_view_get_n_columns (f->view), ==, 2);

  /* Clamped to 2…4. */
  byok_compare_view_set_n_columns (f->view, 1);
  g_assert_cmpuint (byok_compare_view_get_n_columns (f->view), ==, 2);
  byok_compare_view_set_n_columns (f->view, 9);
  g_assert_cmpuint (byok_compare_view_get_n_columns (f->view), ==, 4);
  g_assert_false (gtk_widget_is_sensitive (add));
  gtk_widget_activate_action (GTK_WIDGET (f->view), "compare.add-column", NULL);
  g_assert_cmpuint (byok_compare_view_get_n_columns (f->view), ==, 4);
  /* New columns ask models the others do not. */
  g_assert_true (all_distinct (f));

  /* Each column's remove button removes it, down to two. */
  third = column (f, 2);
  g_assert_true (gtk_widget_is_sensitive (byok_test_ui_find_action_button (GTK_WIDGET (third), NULL, "column.remove")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (third), "column.remove", NULL));
  g_assert_cmpuint (byok_compare_view_get_n_columns (f->view), ==, 3);
  g_assert_true (gtk_widget_is_sensitive (add));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (column (f, 0)), "column.remove", NULL));
  g_assert_cmpuint (byok_compare_view_get_n_columns (f->view), ==, 2);
  gtk_widget_activate_action (GTK_WIDGET (column (f, 1)), "column.remove", NULL);
  g_assert_cmpuint (byok_compare_view_get_n_columns (f->view), ==, 2);
  for (guint i = 0; i < 2; i++)
    g_assert_false (gtk_widget_is_sensitive (byok_test_ui_find_action_button (GTK_WIDGET (column (f, i)), NULL, "column.remove")));

  /* The add button brings a third one back, with its own model. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "compare.add-column", NULL));
  g_assert_cmpuint (byok_compare_view_get_n_columns (f->view), ==, 3);
  g_assert_true (all_distinct (f));

  /* A column without a model cannot be asked. */
  byok_compare_view_set_prompt (f->view, "Hello");
  byok_model_picker_set_selection (byok_compare_column_get_picker (column (f, 2)), NULL, NULL);
  g_assert_false (byok_compare_view_send (f->view));
  g_assert_false (byok_compare_view_get_busy (f->view));
}

static void
test_error (Fixture       *f,
            gconstpointer  data)
{
  GtkWidget *failed;

  byok_test_server_add_reply_for_model (f->server, CHAT_PATH, "gpt-4o",
    byok_test_reply_new_json (401, "{\"error\": {\"message\": \"Incorrect API key provided.\", "
                                   "\"type\": \"invalid_request_error\", \"code\": \"invalid_api_key\"}}"));
  byok_test_server_add_reply_for_model (f->server, CHAT_PATH, "gpt-4o-mini",
                                        byok_test_reply_new_openai_answer (NULL, "Still here.", 20, 0, 3, FALSE));
  choose (f, 0, "openai", "gpt-4o");
  choose (f, 1, "openai", "gpt-4o-mini");
  compare_and_wait (f, "Hello?");

  failed = GTK_WIDGET (column (f, 0));
  g_assert_cmpstr (byok_compare_column_get_error_class (column (f, 0)), ==, "AUTH");
  g_assert_nonnull (find_shown_label (failed, failed, "The Key Was Rejected"));
  g_assert_nonnull (byok_compare_column_get_error_message (column (f, 0)));
  g_assert_nonnull (find_shown_label (failed, failed, byok_compare_column_get_error_message (column (f, 0))));
  g_assert_cmpstr (byok_compare_column_get_text (column (f, 0)), ==, "");
  g_assert_false (is_shown (byok_test_ui_find_action_button (failed, NULL, "column.continue-in-chat"), failed));

  g_assert_null (byok_compare_column_get_error_class (column (f, 1)));
  g_assert_cmpstr (byok_compare_column_get_text (column (f, 1)), ==, "Still here.");
  g_assert_nonnull (strstr (byok_compare_column_get_caption (column (f, 1)), "20 in"));
  g_assert_null (find_shown_label (GTK_WIDGET (column (f, 1)), GTK_WIDGET (column (f, 1)), "The Key Was Rejected"));
}

/* ---- demo ---------------------------------------------------------------- */

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
save_png (GtkWidget  *widget,
          const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    g_warning ("Could not save %s", path);
}

static gboolean
second_streams (gpointer data)
{
  Fixture *f = data;

  for (guint i = 0; i < byok_compare_view_get_n_columns (f->view); i++)
    if (i != 1 && byok_compare_column_get_busy (column (f, i)))
      return FALSE;
  return g_str_has_suffix (byok_compare_column_get_text (column (f, 1)), "`SQLITE_BUSY`.");
}

/* A header bar above the view, as in the app, three providers' models and
 * realistic answers. */
static void
demo (void)
{
  static const char * const available[] = { "openai", "deepseek", "moonshot", NULL };
  Fixture fixture = { 0, };
  Fixture *f = &fixture;
  g_autoptr(GError) error = NULL;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  ByokTestReply *reply;
  gboolean done = FALSE;

  f->dir = g_dir_make_tmp ("byok-test-compare-XXXXXX", &error);
  g_assert_no_error (error);
  f->db_path = g_build_filename (f->dir, "byok.db", NULL);
  f->server = byok_test_server_new ();
  open_engine (f);

  /* The app's styles and icons, as the application loads them. */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/io/github/byok/Byok/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                      "/io/github/byok/Byok/icons");
  }

  f->window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window),
                               g_getenv ("BYOK_DEMO_WIDTH") ? atoi (g_getenv ("BYOK_DEMO_WIDTH")) : 1280,
                               g_getenv ("BYOK_DEMO_HEIGHT") ? atoi (g_getenv ("BYOK_DEMO_HEIGHT")) : 800);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new ("Compare", NULL));
  f->view = BYOK_COMPARE_VIEW (byok_compare_view_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (f->view), TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->view));
  adw_window_set_content (ADW_WINDOW (f->window), box);
  byok_compare_view_set_engine (f->view, f->engine);
  byok_compare_view_set_available (f->view, available);
  byok_compare_view_set_n_columns (f->view, g_getenv ("BYOK_DEMO_COLUMNS") ? atoi (g_getenv ("BYOK_DEMO_COLUMNS")) : 3);
  choose (f, 0, "openai", "gpt-4o-mini");
  choose (f, 1, "deepseek", "deepseek-reasoner");
  choose (f, 2, "moonshot", "kimi-k2-0905-preview");
  if (byok_compare_view_get_n_columns (f->view) > 3)
    {
      /* A fourth column whose key is rejected */
      choose (f, 3, "openai", "gpt-4.1");
      reply = byok_test_reply_new_json (401, "{\"error\": {\"message\": \"Incorrect API key provided: sk-proj-****abcd.\", "
                                             "\"type\": \"invalid_request_error\", \"code\": \"invalid_api_key\"}}");
      byok_test_server_add_reply_for_model (f->server, CHAT_PATH, "gpt-4.1", reply);
    }
  gtk_window_present (GTK_WINDOW (f->window));

  reply = byok_test_reply_new_openai_answer (NULL,
                        "Use a **write-ahead log** (WAL):\n\n"
                        "1. Enable it once with `PRAGMA journal_mode=WAL;`\n"
                        "2. Keep transactions short.\n"
                        "3. Checkpoint when the app is idle.\n\n"
                        "Readers then never block the writer.",
                        412, 0, 61, FALSE);
  byok_test_reply_set_delay_ms (reply, 420, 30);
  byok_test_server_add_reply_for_model (f->server, CHAT_PATH, "gpt-4o-mini", reply);
  reply = byok_test_reply_new_openai_answer ("The user wants concurrency without corruption. WAL mode is the standard answer; "
                        "mention busy_timeout as well.",
                        "Switch SQLite to **WAL mode** and set a busy timeout:\n\n"
                        "```sql\nPRAGMA journal_mode = WAL;\nPRAGMA busy_timeout = 5000;\n```\n\n"
                        "With WAL, one writer and many readers work at the same time; "
                        "the timeout makes a second writer wait instead of failing with `SQLITE_BUSY`.",
                        412, 384, 188, g_getenv ("BYOK_DEMO_STREAMING") != NULL);
  byok_test_reply_set_delay_ms (reply, 1300, 45);
  byok_test_server_add_reply_for_model (f->server, CHAT_PATH, "deepseek-reasoner", reply);
  reply = byok_test_reply_new_openai_answer (NULL,
                        "Three things matter most:\n\n"
                        "- **WAL journal mode**, so readers and the writer do not block each other\n"
                        "- a **busy timeout** instead of retry loops\n"
                        "- **one connection per thread**, never shared\n\n"
                        "Avoid `PRAGMA synchronous=OFF`: it trades durability for speed.",
                        412, 0, 97, FALSE);
  byok_test_reply_set_delay_ms (reply, 700, 35);
  byok_test_server_add_reply_for_model (f->server, CHAT_PATH, "kimi-k2-0905-preview", reply);

  if (g_getenv ("BYOK_DEMO_STREAMING") != NULL)
    {
      /* The second column still streams. */
      byok_compare_view_set_prompt (f->view, "How do I keep an SQLite database fast and safe when several threads write to it?");
      g_assert_true (byok_compare_view_send (f->view));
      byok_test_ui_iterate_until (second_streams, f, "the others' answers");
    }
  else
    compare_and_wait (f, "How do I keep an SQLite database fast and safe when several threads write to it?");

  g_timeout_add (800, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  if (g_getenv ("BYOK_COMPARE_DEMO_PNG") != NULL)
    save_png (f->window, g_getenv ("BYOK_COMPARE_DEMO_PNG"));

  done = FALSE;
  g_timeout_add_seconds (atoi (g_getenv ("BYOK_COMPARE_DEMO")), timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  fixture_teardown (f, NULL);
}

/* A provider that says what it billed (OpenRouter's usage.cost, read in
 * any OpenAI-style usage): the column shows it as Billed beside Byok's
 * Cost; a bill far from Byok's price is marked, the reason in its tooltip
 * and description. */
static void
test_reported_cost (Fixture       *f,
                    gconstpointer  data)
{
  ByokTestReply *billed = byok_test_reply_new_sse (
    "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\","
    "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Billed answer.\"},\"finish_reason\":null}]}",
    "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\","
    "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
    "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":200,\"total_tokens\":1200,\"cost\":1.5}}",
    "[DONE]", NULL);
  GtkWidget *label;
  const char *tooltip;

  byok_test_server_add_reply_for_model (f->server, CHAT_PATH, "gpt-4o-mini", billed);
  byok_test_server_add_reply_for_model (f->server, CHAT_PATH, "gpt-4o",
                                        byok_test_reply_new_openai_answer (NULL, "Plain answer.", 1000, 0, 200, FALSE));
  choose (f, 0, "openai", "gpt-4o-mini");
  choose (f, 1, "openai", "gpt-4o");
  compare_and_wait (f, "Say hello");

  g_assert_nonnull (find_shown_label (GTK_WIDGET (column (f, 0)), GTK_WIDGET (column (f, 0)), "Billed"));
  label = find_shown_label (GTK_WIDGET (column (f, 0)), GTK_WIDGET (column (f, 0)), "$1.50");
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_has_css_class (label, "warning"));
  tooltip = gtk_widget_get_tooltip_text (label);
  g_assert_nonnull (tooltip);
  g_assert_true (g_str_has_prefix (tooltip, "OpenAI billed $1.50; Byok’s price gives $0.0"));
  /* Without a bill, no Billed figure. */
  g_assert_null (find_shown_label (GTK_WIDGET (column (f, 1)), GTK_WIDGET (column (f, 1)), "Billed"));
}

int
main (int argc, char **argv)
{
  byok_test_ui_init (&argc, &argv, NULL);

  if (g_getenv ("BYOK_COMPARE_DEMO") != NULL)
    {
      demo ();
      return 0;
    }

  /* Xvfb renders in software, slowly: an animation (the spinner of an
   * answer on its way) keeps the frame clock always due, and the test
   * server's idle sources would wait behind it. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func) \
  g_test_add ("/compare/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("send", test_send);
  ADD ("stop", test_stop);
  ADD ("columns", test_columns);
  ADD ("error", test_error);
  ADD ("reported-cost", test_reported_cost);
#undef ADD
  return g_test_run ();
}
