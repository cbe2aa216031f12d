/* test-cli-usage.c — `byok-cli usage` and `byok-cli pricing` on a database
 * seeded through the usage store, as the chat path records calls: totals,
 * groups by provider and model, JSON and CSV, the what-if table, the cost
 * of a usage (known and unknown price), price set/reset round trips, and
 * the exit status of bad input; `byok-cli chat --over-budget` against the
 * provider test server. Each run has its own XDG_DATA_HOME. */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "byok-test-engine.h"
#include "byok-test-replies.h"
#include "byok-test-cli.h"
#include "byok-test-server.h"
#include "byok-usage-store.h"
#include "byok-test-util.h"

#define EPS 1e-9

static char *data_home;
/* G_MESSAGES_DEBUG for the next byok-cli runs; NULL: none. */
static const char *cli_debug;

typedef struct {
  int    status;
  char  *out;
  char  *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* byok_test_cli_launch_va() into @run */
static void
run_into (Run                 *run,
          GSubprocessLauncher *launcher,
          const char          *input,
          const char          *first,
          va_list              ap)
{
  g_autoptr(ByokTestCliRun) done = byok_test_cli_launch_va (launcher, input, first, ap);

  run->status = done->status;
  run->out = g_steal_pointer (&done->out);
  run->err = g_steal_pointer (&done->err);
}

static void
cli (Run *run, ...)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  va_list ap;

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  if (cli_debug != NULL)
    g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", cli_debug, TRUE);
  va_start (ap, run);
  run_into (run, launcher, NULL, NULL, ap);
  va_end (ap);
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static JsonObject *
find_group (JsonArray  *groups,
            const char *member,
            const char *value)
{
  for (guint i = 0; i < json_array_get_length (groups); i++)
    {
      JsonObject *g = json_array_get_object_element (groups, i);

      if (g_strcmp0 (json_object_get_string_member (g, member), value) == 0)
        return g;
    }
  return NULL;
}

/* Today: two gpt-4o calls ($0.0325 + $0.0175), a haiku call ($0.03) and a
 * failed one, a glm-4 call of unknown price. Three days ago: one Kimi K2
 * call of 1M in and 1M out ($3.10). */
static void
seed (void)
{
  g_autofree char *dir = g_build_filename (data_home, "byok", NULL);
  g_autofree char *path = g_build_filename (dir, "byok.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokDatabase) database = NULL;
  g_autoptr(ByokUsageStore) store = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) before = g_date_time_add_days (now, -3);

  database = byok_database_open (path, &error);
  g_assert_no_error (error);
  store = byok_usage_store_new (database);

  byok_test_record_today (store, NULL);
  byok_test_record_call (store, NULL, g_date_time_to_unix (before) * G_USEC_PER_SEC,
                         &(ByokTestCall) { "moonshot", "kimi-k2-0905-preview", 1000000, 0, 1000000, 3.1, 5000, NULL });
}

static void
test_usage_json (void)
{
  g_auto(Run) today = { 0, };
  g_auto(Run) week = { 0, };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) week_root = NULL;
  JsonObject *totals, *group;
  JsonArray *groups;

  cli (&today, "usage", "--since", "today", "--json", NULL);
  g_assert_cmpint (today.status, ==, 0);
  root = parse (today.out);
  totals = json_object_get_object_member (json_node_get_object (root), "totals");
  g_assert_cmpint (json_object_get_int_member (totals, "calls"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (totals, "errors"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (totals, "unknown_price_calls"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (totals, "input_tokens"), ==, 36000);
  g_assert_cmpint (json_object_get_int_member (totals, "cached_input_tokens"), ==, 2000);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (totals, "cost_usd"), 0.08, EPS);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "by"), ==, "provider");

  groups = json_object_get_array_member (json_node_get_object (root), "groups");
  g_assert_cmpuint (json_array_get_length (groups), ==, 3);
  /* Most expensive first */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (groups, 0), "provider"),
                   ==, "openai");
  group = find_group (groups, "provider", "openai");
  g_assert_cmpint (json_object_get_int_member (group, "calls"), ==, 2);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (group, "cost_usd"), 0.05, EPS);
  group = find_group (groups, "provider", "anthropic");
  g_assert_cmpint (json_object_get_int_member (group, "errors"), ==, 1);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (group, "error_rate"), 0.5, EPS);

  cli (&week, "usage", "--since", "7d", "--json", "--by", "model", NULL);
  g_assert_cmpint (week.status, ==, 0);
  week_root = parse (week.out);
  totals = json_object_get_object_member (json_node_get_object (week_root), "totals");
  g_assert_cmpint (json_object_get_int_member (totals, "calls"), ==, 6);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (totals, "cost_usd"), 3.18, EPS);
  groups = json_object_get_array_member (json_node_get_object (week_root), "groups");
  g_assert_cmpuint (json_array_get_length (groups), ==, 4);
  group = json_array_get_object_element (groups, 0);
  g_assert_cmpstr (json_object_get_string_member (group, "model"), ==, "kimi-k2-0905-preview");
  g_assert_cmpstr (json_object_get_string_member (group, "provider"), ==, "moonshot");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (group, "cost_usd"), 3.1, EPS);
}

static void
test_usage_csv_and_text (void)
{
  g_auto(Run) csv = { 0, };
  g_auto(Run) text = { 0, };
  g_auto(Run) days = { 0, };
  g_auto(GStrv) lines = NULL;
  gboolean found = FALSE;

  cli (&csv, "usage", "--since", "7d", "--csv", "--by", "model", NULL);
  g_assert_cmpint (csv.status, ==, 0);
  lines = g_strsplit (csv.out, "\r\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "provider,model,calls,errors,input_tokens,"));
  g_assert_cmpuint (g_strv_length (lines), ==, 6);   /* header, 4 rows, "" */
  for (guint i = 1; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "openai,gpt-4o,"))
      {
        g_assert_true (g_str_has_prefix (lines[i], "openai,gpt-4o,2,0,15000,1500,2000,0,0,0.050000,0,"));
        found = TRUE;
      }
  g_assert_true (found);

  cli (&text, "usage", "--since", "7d", "--by", "model", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_true (g_str_has_prefix (text.out,
                                   "Last 7 days: $3.18 · 6 calls · 1 failed · 1 call with an unknown price\n"));
  g_assert_nonnull (strstr (text.out, "claude-haiku-4-5-20251001"));
  g_assert_nonnull (strstr (text.out, "$0.05 "));
  g_assert_nonnull (strstr (text.out, "unknown"));     /* glm-4's cost */

  cli (&days, "usage", "--since", "7d", "--by", "day", "--json", NULL);
  g_assert_cmpint (days.status, ==, 0);
  {
    g_autoptr(JsonNode) root = parse (days.out);
    JsonArray *groups = json_object_get_array_member (json_node_get_object (root), "groups");
    double sum = 0;

    g_assert_cmpuint (json_array_get_length (groups), ==, 7);   /* empty days too */
    for (guint i = 0; i < 7; i++)
      sum += json_object_get_double_member (json_array_get_object_element (groups, i), "cost_usd");
    g_assert_cmpfloat_with_epsilon (sum, 3.18, EPS);
    g_assert_true (json_object_has_member (json_array_get_object_element (groups, 0), "day"));
  }
}

static void
test_usage_what_if (void)
{
  g_auto(Run) run = { 0, };
  g_auto(Run) text = { 0, };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonArray *models;
  double last = -1;
  gboolean found = FALSE;

  cli (&run, "usage", "--what-if", "--since", "7d", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = parse (run.out);
  object = json_node_get_object (root);
  /* glm-4's unknown price leaves it out */
  g_assert_cmpint (json_object_get_int_member (object, "calls"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (object, "unpriced_calls"), ==, 1);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "actual_usd"), 3.18, EPS);
  g_assert_cmpint (json_object_get_int_member (object, "largest_prompt"), ==, 1000000);

  models = json_object_get_array_member (object, "models");
  g_assert_cmpuint (json_array_get_length (models), >, 10);
  for (guint i = 0; i < json_array_get_length (models); i++)
    {
      JsonObject *m = json_array_get_object_element (models, i);
      double cost = json_object_get_double_member (m, "cost_usd");

      g_assert_cmpfloat (cost, >=, last);
      last = cost;
      g_assert_cmpstr (json_object_get_string_member (m, "provider"), !=, "ollama");
      if (g_str_equal (json_object_get_string_member (m, "model"), "kimi-k2-0905-preview"))
        {
          /* 1,033,000 uncached × $0.60 + 2,000 cached × $0.15 + 1,003,500 out × $2.50 */
          g_assert_cmpfloat_with_epsilon (cost, 3.12885, EPS);
          g_assert_cmpfloat_with_epsilon (json_object_get_double_member (m, "delta_usd"), 3.12885 - 3.18, EPS);
          g_assert_true (json_object_get_boolean_member (m, "used"));
          /* The seeded 1M-token prompt is more than its 262k window. */
          g_assert_true (json_object_get_boolean_member (m, "context_too_small"));
          found = TRUE;
        }
      if (g_str_equal (json_object_get_string_member (m, "model"), "gpt-4o"))
        g_assert_true (json_object_get_boolean_member (m, "context_too_small"));   /* 128k < 1M */
      if (g_str_equal (json_object_get_string_member (m, "model"), "gemini-2.5-flash"))
        g_assert_false (json_object_get_boolean_member (m, "context_too_small"));  /* 1,048,576 */
    }
  g_assert_true (found);

  cli (&text, "usage", "--what-if", "--since", "7d", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_true (g_str_has_prefix (text.out, "What your 5 calls with a known price would have cost on other models (you paid $3.18):\n"));
  g_assert_nonnull (strstr (text.out, "moonshot/kimi-k2-0905-preview"));
  g_assert_nonnull (strstr (text.out, "context too small"));
  g_assert_nonnull (strstr (text.out, "1 call with an unknown price is left out."));
}

/* A usage report reads the recorded costs only: it does not parse the
 * catalog (100 KB of JSON, a third of the command's CPU time), which
 * --what-if, pricing anew, does. The catalog says when it is read, in
 * its debug log. */
static void
test_usage_no_catalog (void)
{
  g_auto(Run) report = { 0, };
  g_auto(Run) what_if = { 0, };
  g_autoptr(JsonNode) root = NULL;

  cli_debug = "byok-catalog";
  cli (&report, "usage", "--since", "7d", "--json", NULL);
  cli (&what_if, "usage", "--what-if", "--since", "7d", "--json", NULL);
  cli_debug = NULL;

  g_assert_cmpint (report.status, ==, 0);
  root = parse (report.out);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_node_get_object (root), "totals"),
                                               "calls"), >, 0);
  g_assert_null (strstr (report.err, "catalog: "));
  g_assert_cmpint (what_if.status, ==, 0);
  g_assert_nonnull (strstr (what_if.err, "catalog: "));
}

static double
cost_of (const char *model,
         const char *input,
         const char *output,
         gboolean   *is_null)
{
  g_auto(Run) run = { 0, };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  cli (&run, "pricing", "cost", "-m", model, "--input", input, "--output", output, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = parse (run.out);
  object = json_node_get_object (root);
  g_assert_true (json_object_has_member (object, "model"));
  *is_null = json_object_get_null_member (object, "cost_usd");
  return *is_null ? NAN : json_object_get_double_member (object, "cost_usd");
}

static void
test_pricing_cost (void)
{
  g_auto(Run) bare = { 0, };
  g_auto(Run) unknown = { 0, };
  gboolean is_null;

  g_assert_cmpfloat_with_epsilon (cost_of ("moonshot/kimi-k2-0905-preview", "1000000", "1000000", &is_null),
                                  3.1, EPS);
  g_assert_false (is_null);
  /* The exact text, too: 3.1, not 3.1000000000000001 */
  {
    g_auto(Run) run = { 0, };
    cli (&run, "pricing", "cost", "-m", "moonshot/kimi-k2-0905-preview",
         "--input", "1000000", "--output", "1000000", "--json", NULL);
    g_assert_nonnull (strstr (run.out, "\"cost_usd\" : 3.1\n"));
    g_assert_nonnull (strstr (run.out, "\"model\" : \"moonshot/kimi-k2-0905-preview\""));
  }

  /* No price in the catalog */
  g_assert_true (isnan (cost_of ("zhipu/glm-4", "1000", "1000", &is_null)));
  g_assert_true (is_null);

  /* A bare id; cached tokens at the cached price: 0.5M × 2.5 + 0.5M × 1.25 */
  cli (&bare, "pricing", "cost", "-m", "gpt-4o", "--input", "1000000", "--cached", "500000",
       "--output", "0", "--json", NULL);
  g_assert_cmpint (bare.status, ==, 0);
  g_assert_nonnull (strstr (bare.out, "\"model\" : \"openai/gpt-4o\""));
  g_assert_nonnull (strstr (bare.out, "\"cost_usd\" : 1.875\n"));

  /* Unknown model: exit 2 with a did-you-mean */
  cli (&unknown, "pricing", "cost", "-m", "gpt4o", "--input", "1", "--output", "1", NULL);
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_nonnull (strstr (unknown.err, "gpt4o"));
  g_assert_nonnull (strstr (unknown.err, "openai/gpt-4o"));
}

static JsonObject *
at_row (JsonArray  *rows,
        const char *provider,
        const char *model)
{
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      if (g_str_equal (json_object_get_string_member (row, "provider"), provider) &&
          g_str_equal (json_object_get_string_member (row, "model"), model))
        return row;
    }
  return NULL;
}

static JsonObject *
list_row (JsonNode   *root,
          const char *provider,
          const char *model)
{
  return at_row (json_node_get_array (root), provider, model);
}

static void
test_pricing_set_reset (void)
{
  g_auto(Run) set = { 0, };
  g_auto(Run) list = { 0, };
  g_auto(Run) reset = { 0, };
  g_auto(Run) list2 = { 0, };
  g_auto(Run) text = { 0, };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) root2 = NULL;
  JsonObject *row;
  gboolean is_null;

  cli (&set, "pricing", "set", "openai/gpt-4o", "--input", "1", "--output", "$2", "--cached", "0,5", NULL);
  g_assert_cmpint (set.status, ==, 0);

  cli (&list, "pricing", "list", "--provider", "openai", "--json", NULL);
  g_assert_cmpint (list.status, ==, 0);
  root = parse (list.out);
  row = list_row (root, "openai", "gpt-4o");
  g_assert_nonnull (row);
  g_assert_true (json_object_get_boolean_member (row, "override"));
  g_assert_cmpfloat (json_object_get_double_member (row, "input"), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (row, "cached_input"), ==, 0.5);
  g_assert_cmpfloat (json_object_get_double_member (row, "output"), ==, 2);
  g_assert_true (json_object_get_null_member (row, "cache_write"));
  g_assert_false (json_object_get_boolean_member (list_row (root, "openai", "gpt-4o-mini"), "override"));
  g_assert_null (list_row (root, "moonshot", "kimi-k2-0905-preview"));   /* --provider */

  cli (&text, "pricing", "list", NULL);
  g_assert_nonnull (strstr (text.out, "edited"));

  g_assert_cmpfloat_with_epsilon (cost_of ("openai/gpt-4o", "1000000", "1000000", &is_null), 3.0, EPS);

  cli (&reset, "pricing", "reset", "openai/gpt-4o", NULL);
  g_assert_cmpint (reset.status, ==, 0);
  g_assert_cmpfloat_with_epsilon (cost_of ("openai/gpt-4o", "1000000", "1000000", &is_null), 12.5, EPS);
  cli (&list2, "pricing", "list", "--json", NULL);
  root2 = parse (list2.out);
  g_assert_false (json_object_get_boolean_member (list_row (root2, "openai", "gpt-4o"), "override"));

  /* --all */
  {
    g_auto(Run) a = { 0, };
    g_auto(Run) b = { 0, };
    g_auto(Run) all = { 0, };

    cli (&a, "pricing", "set", "zhipu/glm-4", "--input", "0.1", "--output", "0.2", NULL);
    g_assert_cmpint (a.status, ==, 0);
    cli (&b, "pricing", "set", "groq/llama-3.1-8b-instant", "--output", "0.1", NULL);
    g_assert_cmpint (b.status, ==, 0);
    g_assert_cmpfloat_with_epsilon (cost_of ("zhipu/glm-4", "1000000", "1000000", &is_null), 0.3, EPS);
    cli (&all, "pricing", "reset", "--all", NULL);
    g_assert_cmpint (all.status, ==, 0);
    g_assert_nonnull (strstr (all.out, "2 prices"));
    g_assert_true (isnan (cost_of ("zhipu/glm-4", "1000000", "1000000", &is_null)));
  }
}

static void
test_pricing_refused (void)
{
  static const char * const bad[][4] = {
    { "--input", "abc", NULL },
    { "--input", "-1", NULL },
    { "--output", "1.2.3", NULL },
    { "--cached", "nan", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(Run) run = { 0, };

      cli (&run, "pricing", "set", "openai/gpt-4o", bad[i][0], bad[i][1], NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_nonnull (strstr (run.err, bad[i][0]));
    }
  {
    g_auto(Run) run = { 0, };
    g_auto(Run) list = { 0, };

    /* Input without output for a model without a price */
    cli (&run, "pricing", "set", "zhipu/glm-4", "--input", "1", NULL);
    g_assert_cmpint (run.status, ==, 2);
    cli (&list, "pricing", "list", "--json", NULL);
    g_assert_null (strstr (list.out, "\"override\" : true"));
  }
  {
    g_auto(Run) run = { 0, };
    g_auto(Run) period = { 0, };

    cli (&run, "usage", "--json", "--csv", NULL);
    g_assert_cmpint (run.status, ==, 2);
    cli (&period, "usage", "--since", "fortnight", NULL);
    g_assert_cmpint (period.status, ==, 2);
  }
}

#define OPENAI_KEY "sk-test-fake-cli-usage-openai-0001"

/* `byok-cli chat` with its own data folder, the key from the environment
 * only (no keyring), while this process serves the test server. */
static void
chat (Run        *run,
      const char *home,
      ...)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE);
  va_list ap;

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "OPENAI_API_KEY", OPENAI_KEY, TRUE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/byok-test-bus", TRUE);
  va_start (ap, home);
  run_into (run, launcher, "", "chat", ap);
  va_end (ap);
  g_assert_null (strstr (run->out, OPENAI_KEY));
  g_assert_null (strstr (run->err, OPENAI_KEY));
}

static ByokTestReply *
openai_stream_reply (void)
{
  return byok_test_reply_new_sse_fixture ("openai", "openai-stream.sse", 0);
}

/* A hard stop blocks a call; --over-budget sends that one call. */
static void
test_chat_over_budget (void)
{
  g_autofree char *home = g_dir_make_tmp ("byok-cli-over-budget-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (home, "byok", "byok.db", NULL);
  g_autoptr(ByokTestServer) server = byok_test_server_new ();
  g_autofree char *base = g_strconcat (byok_test_server_get_url (server), "/v1", NULL);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ByokDatabase) database = byok_database_open (path, &error);
    g_autoptr(ByokUsageStore) store = NULL;

    g_assert_no_error (error);
    store = byok_usage_store_new (database);
    g_assert_true (byok_usage_store_set_budget (store, BYOK_BUDGET_SCOPE_ALL, 0.01, TRUE, &error));
    g_assert_no_error (error);
    byok_test_record_call (store, NULL, 0, &(ByokTestCall) { "openai", "gpt-4o", 1000, 0, 1000, 0.02, 500, NULL });
  }

  {
    g_auto(Run) run = { 0, };

    chat (&run, home, "-m", "openai/gpt-4o-mini", "--base-url", base, "hello", NULL);
    g_assert_cmpint (run.status, !=, 0);
    g_assert_nonnull (strstr (run.err, "budget"));
    g_assert_cmpuint (byok_test_server_get_n_requests (server), ==, 0);
  }
  {
    g_auto(Run) run = { 0, };

    byok_test_server_add_reply (server, "/v1/chat/completions", openai_stream_reply ());
    chat (&run, home, "--over-budget", "-m", "openai/gpt-4o-mini", "--base-url", base, "hello", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpuint (byok_test_server_get_n_requests (server), ==, 1);
    g_assert_cmpuint (strlen (run.out), >, 0);
  }
  {
    g_auto(Run) run = { 0, };

    /* Confirmed once: the next call without it is stopped again. */
    chat (&run, home, "-m", "openai/gpt-4o-mini", "--base-url", base, "hello", NULL);
    g_assert_cmpint (run.status, !=, 0);
    g_assert_cmpuint (byok_test_server_get_n_requests (server), ==, 1);
  }
  {
    g_auto(Run) run = { 0, };

    chat (&run, home, "--help", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "--over-budget"));
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ByokDatabase) database = byok_database_open (path, &error);
    g_autoptr(ByokUsageStore) store = byok_usage_store_new (database);
    g_autoptr(GPtrArray) rows = byok_usage_store_list_recent (store, 10, &error);

    /* The seeded spend and the one call that went out. */
    g_assert_no_error (error);
    g_assert_cmpuint (rows->len, ==, 2);
  }
  byok_test_remove_tree (home);
}

static char *
day_from_today (int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, days);

  return g_date_time_format (then, "%Y-%m-%d");
}

/* `pricing update` shows what a price list changes and applies it; `pricing
 * list --at` shows the table of a past day from the price history; a bad
 * list is refused whole and the last good one stays. */
static void
test_pricing_update_and_history (void)
{
  g_autofree char *saved_home = g_steal_pointer (&data_home);
  g_autoptr(ByokTestServer) server = byok_test_server_new ();
  g_autofree char *fixture_path = g_test_build_filename (G_TEST_DIST, "fixtures", "prices", "data-new-prices.json", NULL);
  g_autofree char *hostile_path = g_test_build_filename (G_TEST_DIST, "fixtures", "prices", "data-hostile.json", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *url = NULL;
  g_autofree char *yesterday = day_from_today (-1);
  g_autofree char *today = day_from_today (0);
  g_auto(Run) own = { 0, };
  g_auto(Run) dry = { 0, };
  g_auto(Run) apply = { 0, };
  g_auto(Run) before = { 0, };
  g_auto(Run) after = { 0, };
  g_auto(Run) hostile = { 0, };
  g_auto(Run) http = { 0, };
  g_auto(Run) still = { 0, };
  g_autoptr(JsonNode) dry_root = NULL;
  g_autoptr(JsonNode) apply_root = NULL;
  g_autoptr(JsonNode) before_root = NULL;
  g_autoptr(JsonNode) after_root = NULL;
  g_autoptr(JsonNode) still_root = NULL;
  JsonObject *object;
  JsonObject *row;

  data_home = g_dir_make_tmp ("byok-cli-pricing-update-XXXXXX", NULL);
  g_assert_true (g_file_get_contents (fixture_path, &contents, NULL, NULL));
  byok_test_server_add_reply (server, "/prices.json", byok_test_reply_new_json (200, contents));
  byok_test_server_add_reply (server, "/prices.json", byok_test_reply_new_json (200, contents));
  url = g_strconcat (byok_test_server_get_url (server), "/prices.json", NULL);

  cli (&own, "pricing", "set", "openai/gpt-5.5", "--input", "1", "--output", "2", NULL);
  g_assert_cmpint (own.status, ==, 0);

  /* --dry-run: the changes, nothing applied */
  cli (&dry, "pricing", "update", "--from", url, "--dry-run", "--json", NULL);
  g_assert_cmpint (dry.status, ==, 0);
  dry_root = parse (dry.out);
  object = json_node_get_object (dry_root);
  g_assert_false (json_object_get_boolean_member (object, "applied"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "new")), ==, 2);
  row = at_row (json_object_get_array_member (object, "changed"), "openai", "gpt-5.5");
  g_assert_nonnull (row);
  g_assert_true (json_object_get_boolean_member (row, "override"));
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (row, "old"), "input"), ==, 5);
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (row, "new"), "input"), ==, 4);

  cli (&apply, "pricing", "update", "--from", url, "--json", NULL);
  g_assert_cmpint (apply.status, ==, 0);
  apply_root = parse (apply.out);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (apply_root), "applied"));

  /* the table of yesterday, and of today */
  cli (&before, "pricing", "list", "--at", yesterday, "--provider", "deepseek", "--json", NULL);
  g_assert_cmpint (before.status, ==, 0);
  before_root = parse (before.out);
  row = at_row (json_node_get_array (before_root), "deepseek", "deepseek-v4-flash");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (row, "input"), 0.22, EPS);
  g_assert_cmpstr (json_object_get_string_member (row, "origin"), ==, "catalog");
  g_assert_null (at_row (json_node_get_array (before_root), "deepseek", "deepseek-v5-test"));
  cli (&after, "pricing", "list", "--at", today, "--json", NULL);
  g_assert_cmpint (after.status, ==, 0);
  after_root = parse (after.out);
  row = at_row (json_node_get_array (after_root), "deepseek", "deepseek-v4-flash");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (row, "input"), 0.2, EPS);
  g_assert_cmpstr (json_object_get_string_member (row, "origin"), ==, "update");
  row = at_row (json_node_get_array (after_root), "openai", "gpt-5.5");
  g_assert_cmpstr (json_object_get_string_member (row, "origin"), ==, "user");
  g_assert_cmpfloat (json_object_get_double_member (row, "input"), ==, 1);

  /* refused whole, with the reason; the last good list stays */
  cli (&hostile, "pricing", "update", "--from", hostile_path, NULL);
  g_assert_cmpint (hostile.status, ==, 1);
  g_assert_nonnull (strstr (hostile.err, "refused"));
  g_assert_nonnull (strstr (hostile.err, "[MALFORMED]"));
  cli (&http, "pricing", "update", "--from", "http://prices.example.com/data.json", NULL);
  g_assert_cmpint (http.status, ==, 2);
  cli (&still, "pricing", "list", "--provider", "deepseek", "--json", NULL);
  still_root = parse (still.out);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (list_row (still_root, "deepseek",
                                                                           "deepseek-v4-flash"), "input"),
                                  0.2, EPS);
  /* --at needs a date */
  {
    g_auto(Run) bad = { 0, };

    cli (&bad, "pricing", "list", "--at", "yesterday", NULL);
    g_assert_cmpint (bad.status, ==, 2);
  }

  byok_test_remove_tree (data_home);
  g_free (data_home);
  data_home = g_steal_pointer (&saved_home);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("BYOK_CLI") == NULL)
    {
      g_test_skip ("BYOK_CLI is not set");
      return 0;
    }
  data_home = g_dir_make_tmp ("byok-cli-usage-XXXXXX", NULL);
  seed ();

  g_test_add_func ("/cli/usage/json", test_usage_json);
  g_test_add_func ("/cli/usage/csv-text", test_usage_csv_and_text);
  g_test_add_func ("/cli/usage/what-if", test_usage_what_if);
  g_test_add_func ("/cli/usage/no-catalog", test_usage_no_catalog);
  g_test_add_func ("/cli/pricing/cost", test_pricing_cost);
  g_test_add_func ("/cli/pricing/set-reset", test_pricing_set_reset);
  g_test_add_func ("/cli/pricing/refused", test_pricing_refused);
  g_test_add_func ("/cli/pricing/update-and-history", test_pricing_update_and_history);
  g_test_add_func ("/cli/chat/over-budget", test_chat_over_budget);
  status = g_test_run ();

  byok_test_remove_tree (data_home);
  g_free (data_home);
  return status;
}
