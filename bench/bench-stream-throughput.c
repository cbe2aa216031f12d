/* bench-stream-throughput.c — the CPU it takes to consume a long stream
 *
 * A SoupServer in this process, on 127.0.0.1 (port 0), answers POST
 * /v1/chat/completions with one OpenAI-format event stream of 100,000
 * chunks (one token each, then the finish chunk, the usage chunk and
 * [DONE]), sent in 16 KiB pieces cut anywhere. Two clients consume it, one
 * after the other, each in a child process whose CPU time (user + system)
 * comes from wait4():
 *
 *   - `byok-cli chat --json` of this build (stream, parse, record the call
 *     in a throwaway database, print the JSON);
 *   - the official `openai` npm package on Node (bench/openai-consume.mjs),
 *     installed on demand into $XDG_CACHE_HOME/byok-bench, never the
 *     repository. Without node or npm, byok-cli is measured alone.
 *
 * Each client runs --runs times (3); the median is shown, with the CPU of
 * a one-chunk stream (start-up and exit) beside it, and the ratio of the
 * two clients' CPU. The goal is that byok-cli needs at most a fifth of the
 * npm package's CPU. It prints figures; it asserts nothing, but says when a
 * client got the text wrong.
 *
 *   bench-stream-throughput [--chunks N] [--runs N]
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#define DEFAULT_CHUNKS 100000
#define DEFAULT_RUNS   3
#define PIECE_SIZE     (16 * 1024)
#define FAKE_KEY       "sk-test-fake-bench-0000000000"

static const char * const tokens[] = {
  " The", " quick", " brown", " fox", " jumps", " over", " the", " lazy", " dog", ".",
};

typedef struct {
  GBytes *body;          /* the whole event stream */
  gsize   text_len;      /* the length of the text it carries (ASCII) */
  guint   n_requests;
} Stream;

typedef struct {
  const char *name;      /* "byok-cli chat --json" */
  double      user_s;
  double      sys_s;
  double      wall_s;
  gboolean    ok;        /* exit 0 and the whole text arrived */
  char       *problem;   /* why not, or NULL */
} Run;

/* ---- the stream ---------------------------------------------------------- */

static Stream *
stream_new (guint n_chunks)
{
  GString *body = g_string_sized_new ((gsize) n_chunks * 240);
  Stream *stream = g_new0 (Stream, 1);
  const char *head = "data: {\"id\":\"chatcmpl-bench000000000000001\",\"object\":\"chat.completion.chunk\","
                     "\"created\":1751970000,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\","
                     "\"system_fingerprint\":\"fp_bench0001\",\"choices\":[{\"index\":0,";

  g_string_append_printf (body, "%s\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
                                "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n", head);
  for (guint i = 0; i < n_chunks; i++)
    {
      const char *token = tokens[i % G_N_ELEMENTS (tokens)];

      g_string_append_printf (body, "%s\"delta\":{\"content\":\"%s\"},\"logprobs\":null,"
                                    "\"finish_reason\":null}],\"usage\":null}\n\n", head, token);
      stream->text_len += strlen (token);
    }
  g_string_append_printf (body, "%s\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n",
                          head);
  g_string_append_printf (body, "data: {\"id\":\"chatcmpl-bench000000000000001\",\"object\":\"chat.completion.chunk\","
                                "\"created\":1751970000,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],"
                                "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":%u,\"total_tokens\":%u,"
                                "\"prompt_tokens_details\":{\"cached_tokens\":0},"
                                "\"completion_tokens_details\":{\"reasoning_tokens\":0}}}\n\n",
                          n_chunks, n_chunks + 12);
  g_string_append (body, "data: [DONE]\n\n");
  stream->body = g_string_free_to_bytes (body);
  return stream;
}

static void
stream_free (Stream *stream)
{
  g_bytes_unref (stream->body);
  g_free (stream);
}

static void
serve (SoupServer        *server,
       SoupServerMessage *msg,
       const char        *path,
       GHashTable        *query,
       gpointer           user_data)
{
  Stream *stream = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *out = soup_server_message_get_response_body (msg);
  gsize len = g_bytes_get_size (stream->body);

  if (g_strcmp0 (soup_server_message_get_method (msg), "POST") != 0 ||
      !g_str_has_suffix (path, "/chat/completions"))
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }

  stream->n_requests++;
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_replace (headers, "Content-Type", "text/event-stream; charset=utf-8");
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  for (gsize at = 0; at < len; at += PIECE_SIZE)
    {
      g_autoptr(GBytes) piece = g_bytes_new_from_bytes (stream->body, at, MIN (PIECE_SIZE, len - at));

      soup_message_body_append_bytes (out, piece);
    }
  soup_message_body_complete (out);
}

/* ---- children ------------------------------------------------------------ */

typedef struct {
  GPid          pid;
  int           status;
  struct rusage usage;
  gint          done;
} Child;

static gpointer
wait_child (gpointer data)
{
  Child *child = data;
  pid_t pid;

  do
    pid = wait4 (child->pid, &child->status, 0, &child->usage);
  while (pid < 0 && errno == EINTR);
  if (pid < 0)
    child->status = -1;
  g_atomic_int_set (&child->done, 1);
  g_main_context_wakeup (NULL);
  return NULL;
}

/* Runs @argv with @envp, stdout to @out_path, serving the stream meanwhile.
 * Fills the CPU and wall times of @run; returns the exit status, or -1. */
static int
run_child (const char * const *argv,
           const char * const *envp,
           const char         *out_path,
           Run                *run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GThread) thread = NULL;
  Child child = { 0, };
  int in_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  int out_fd = open (out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  gint64 start = g_get_monotonic_time ();

  if (in_fd < 0 || out_fd < 0)
    g_error ("cannot open %s: %s", out_path, g_strerror (errno));
  if (!g_spawn_async_with_pipes_and_fds (NULL, argv, envp, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                         in_fd, out_fd, -1, NULL, NULL, 0, &child.pid,
                                         NULL, NULL, NULL, &error))
    {
      close (in_fd);
      close (out_fd);
      run->problem = g_strdup (error->message);
      return -1;
    }
  close (in_fd);
  close (out_fd);

  thread = g_thread_new ("bench-wait4", wait_child, &child);
  while (!g_atomic_int_get (&child.done))
    g_main_context_iteration (NULL, TRUE);

  run->wall_s = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  run->user_s = child.usage.ru_utime.tv_sec + child.usage.ru_utime.tv_usec / 1e6;
  run->sys_s = child.usage.ru_stime.tv_sec + child.usage.ru_stime.tv_usec / 1e6;
  if (child.status < 0 || !WIFEXITED (child.status))
    return -1;
  return WEXITSTATUS (child.status);
}

static JsonObject *
read_json_object (const char  *path,
                  JsonParser **parser_out)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_mapped_file (parser, path, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  *parser_out = g_steal_pointer (&parser);
  return json_node_get_object (root);
}

/* ---- the two clients ----------------------------------------------------- */

static char **
byok_environ (const char *home)
{
  g_auto(GStrv) names = g_listenv ();
  char **env = g_get_environ ();
  g_autofree char *data = g_build_filename (home, "data", NULL);

  /* No key or base URL of the person running the benchmark. */
  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_has_suffix (names[i], "_API_KEY") || g_str_has_prefix (names[i], "BYOK_BASE_URL_"))
      env = g_environ_unsetenv (env, names[i]);
  env = g_environ_setenv (env, "HOME", home, TRUE);
  env = g_environ_setenv (env, "XDG_DATA_HOME", data, TRUE);
  env = g_environ_setenv (env, "XDG_CONFIG_HOME", home, TRUE);
  env = g_environ_setenv (env, "XDG_CACHE_HOME", home, TRUE);
  /* No keyring: the key comes from the environment. */
  env = g_environ_setenv (env, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/byok-bench-bus", TRUE);
  env = g_environ_setenv (env, "GSETTINGS_BACKEND", "memory", TRUE);
  env = g_environ_setenv (env, "OPENAI_API_KEY", FAKE_KEY, TRUE);
  env = g_environ_unsetenv (env, "G_MESSAGES_DEBUG");
  return env;
}

static void
run_byok (const char *cli,
          const char *base_url,
          const char *home,
          gsize       text_len,
          Run        *run)
{
  const char *argv[] = { cli, "chat", "--json", "-p", "openai", "-m", "gpt-4o-mini", "--base-url", base_url,
                         "--retries", "0", "Write a very long story.", NULL };
  g_auto(GStrv) env = byok_environ (home);
  g_autofree char *out_path = g_build_filename (home, "byok-out.json", NULL);
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *result;
  int status;

  run->name = "byok-cli chat --json";
  status = run_child (argv, (const char * const *) env, out_path, run);
  if (status != 0)
    {
      if (run->problem == NULL)
        run->problem = g_strdup_printf ("exit status %d", status);
      return;
    }
  result = read_json_object (out_path, &parser);
  if (result == NULL || !json_object_has_member (result, "text"))
    run->problem = g_strdup ("no JSON object on stdout");
  else if (strlen (json_object_get_string_member (result, "text")) != text_len)
    run->problem = g_strdup_printf ("%zu characters of text, expected %zu",
                                    strlen (json_object_get_string_member (result, "text")), text_len);
  else
    run->ok = TRUE;
}

static void
run_node (const char *node,
          const char *script,
          const char *modules_parent,
          const char *base_url,
          const char *home,
          gsize       text_len,
          Run        *run)
{
  const char *argv[] = { node, script, base_url, modules_parent, NULL };
  g_auto(GStrv) env = g_get_environ ();
  g_autofree char *out_path = g_build_filename (home, "node-out.json", NULL);
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *result;
  int status;

  env = g_environ_unsetenv (env, "OPENAI_API_KEY");
  env = g_environ_unsetenv (env, "OPENAI_BASE_URL");
  env = g_environ_unsetenv (env, "NODE_OPTIONS");
  run->name = "openai npm package (node)";
  status = run_child (argv, (const char * const *) env, out_path, run);
  if (status != 0)
    {
      if (run->problem == NULL)
        run->problem = g_strdup_printf ("exit status %d", status);
      return;
    }
  result = read_json_object (out_path, &parser);
  if (result == NULL || !json_object_has_member (result, "text_length"))
    run->problem = g_strdup ("no JSON line on stdout");
  else if ((gsize) json_object_get_int_member (result, "text_length") != text_len)
    run->problem = g_strdup_printf ("%" G_GINT64_FORMAT " characters of text, expected %zu",
                                    json_object_get_int_member (result, "text_length"), text_len);
  else
    run->ok = TRUE;
}

/* The directory holding node_modules/openai, installed there with npm if
 * it is not yet; NULL (and why in @why) when that cannot be done. */
static char *
ensure_openai_package (char **version,
                       char **why)
{
  g_autofree char *npm = g_find_program_in_path ("npm");
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "byok-bench", NULL);
  g_autofree char *package_json = g_build_filename (dir, "node_modules", "openai", "package.json", NULL);
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *package;

  if (!g_file_test (package_json, G_FILE_TEST_EXISTS))
    {
      const char *argv[] = { npm, "install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error",
                             "openai", NULL };
      g_autoptr(GError) error = NULL;
      int status = 0;

      if (npm == NULL)
        {
          *why = g_strdup ("npm is not installed");
          return NULL;
        }
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          *why = g_strdup_printf ("cannot create %s: %s", dir, g_strerror (errno));
          return NULL;
        }
      printf ("installing the openai npm package into %s …\n", dir);
      fflush (stdout);
      if (!g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                         &status, &error) ||
          !g_spawn_check_wait_status (status, &error))
        {
          *why = g_strdup_printf ("npm install openai failed: %s", error->message);
          return NULL;
        }
    }

  package = read_json_object (package_json, &parser);
  *version = g_strdup (package != NULL && json_object_has_member (package, "version")
                         ? json_object_get_string_member (package, "version") : "?");
  return g_steal_pointer (&dir);
}

static char *
node_version (const char *node)
{
  const char *argv[] = { node, "--version", NULL };
  g_autofree char *out = NULL;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, NULL, NULL))
    return g_strdup ("?");
  return g_strdup (g_strstrip (out));
}

/* ---- figures ------------------------------------------------------------- */

static int
compare_cpu (gconstpointer a,
             gconstpointer b)
{
  const Run *x = a;
  const Run *y = b;
  double cx = x->user_s + x->sys_s;
  double cy = y->user_s + y->sys_s;

  return (cx > cy) - (cx < cy);
}

/* The median run (by CPU) of @runs, or NULL if one failed (printed). */
static const Run *
median (Run   *runs,
        guint  n)
{
  for (guint i = 0; i < n; i++)
    if (!runs[i].ok)
      {
        printf ("  %s failed: %s\n", runs[i].name, runs[i].problem);
        return NULL;
      }
  qsort (runs, n, sizeof *runs, compare_cpu);
  return &runs[n / 2];
}

static void
print_row (const char *label,
           const Run  *run,
           const Run  *startup)
{
  printf ("%-40s %7.3f s %7.3f s %8.3f s %7.3f s %10.3f s\n", label, run->user_s, run->sys_s,
          run->user_s + run->sys_s, run->wall_s, startup->user_s + startup->sys_s);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
runs_clear (Run   *runs,
            guint  n)
{
  for (guint i = 0; i < n; i++)
    g_clear_pointer (&runs[i].problem, g_free);
}

int
main (int    argc,
      char **argv)
{
  int n_chunks = DEFAULT_CHUNKS;
  int n_runs = DEFAULT_RUNS;
  const GOptionEntry entries[] = {
    { "chunks", 0, 0, G_OPTION_ARG_INT, &n_chunks, "Chunks in the stream (100000)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &n_runs, "Runs of each client; the median is shown (3)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autofree char *home = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *node = g_find_program_in_path ("node");
  g_autofree char *node_ver = NULL;
  g_autofree char *modules = NULL;
  g_autofree char *openai_version = NULL;
  g_autofree char *why = NULL;
  g_autofree char *script = g_build_filename (BYOK_BENCH_DIR, "openai-consume.mjs", NULL);
  const char *cli = g_getenv ("BYOK_CLI") != NULL ? g_getenv ("BYOK_CLI") : BYOK_CLI_PATH;
  g_autofree Run *byok = NULL;
  g_autofree Run *npm = NULL;
  Run byok_start[DEFAULT_RUNS] = { { 0, } };
  Run npm_start[DEFAULT_RUNS] = { { 0, } };
  const Run *byok_median, *npm_median = NULL, *byok_start_median, *npm_start_median = NULL;
  Stream *stream, *tiny;
  GSList *uris;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context, "Measures the CPU byok-cli and the openai npm package take to "
                                         "consume one long OpenAI-format stream from a local server.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  n_chunks = MAX (n_chunks, 1);
  n_runs = MAX (n_runs, 1);
  byok = g_new0 (Run, n_runs);
  npm = g_new0 (Run, n_runs);

  home = g_dir_make_tmp ("byok-bench-stream-XXXXXX", &error);
  g_assert_no_error (error);

  stream = stream_new (n_chunks);
  tiny = stream_new (1);
  server = soup_server_new ("server-header", "byok-bench", NULL);
  soup_server_add_handler (server, NULL, serve, stream, NULL);
  if (!soup_server_listen (server, address, 0, &error))
    g_error ("cannot listen on 127.0.0.1: %s", error->message);
  uris = soup_server_get_uris (server);
  base_url = g_strdup_printf ("http://127.0.0.1:%d/v1", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  if (node == NULL)
    why = g_strdup ("node is not installed");
  else
    {
      node_ver = node_version (node);
      modules = ensure_openai_package (&openai_version, &why);
    }

  printf ("One OpenAI-format stream of %d chunks (%.1f MB, %zu characters of text) from %s;\n"
          "CPU = user + system time of the client process (wait4); median of %d runs.\n",
          n_chunks, g_bytes_get_size (stream->body) / 1e6, stream->text_len, base_url, n_runs);
  if (modules == NULL)
    printf ("The openai npm package is not measured: %s.\n", why);
  printf ("\n");

  /* Start-up and exit alone: a stream of one chunk. */
  soup_server_remove_handler (server, NULL);
  soup_server_add_handler (server, NULL, serve, tiny, NULL);
  for (int i = 0; i < MIN (n_runs, DEFAULT_RUNS); i++)
    {
      run_byok (cli, base_url, home, tiny->text_len, &byok_start[i]);
      if (modules != NULL)
        run_node (node, script, modules, base_url, home, tiny->text_len, &npm_start[i]);
    }

  soup_server_remove_handler (server, NULL);
  soup_server_add_handler (server, NULL, serve, stream, NULL);
  for (int i = 0; i < n_runs; i++)
    {
      run_byok (cli, base_url, home, stream->text_len, &byok[i]);
      if (modules != NULL)
        run_node (node, script, modules, base_url, home, stream->text_len, &npm[i]);
    }

  printf ("%-40s %9s %9s %10s %9s %12s\n", "client", "user", "system", "CPU", "wall", "CPU, 1 chunk");
  byok_median = median (byok, n_runs);
  byok_start_median = median (byok_start, MIN (n_runs, DEFAULT_RUNS));
  if (byok_median != NULL && byok_start_median != NULL)
    print_row ("byok-cli chat --json", byok_median, byok_start_median);
  if (modules != NULL)
    {
      g_autofree char *label = g_strdup_printf ("openai %s (npm) on node %s", openai_version, node_ver);

      npm_median = median (npm, n_runs);
      npm_start_median = median (npm_start, MIN (n_runs, DEFAULT_RUNS));
      if (npm_median != NULL && npm_start_median != NULL)
        print_row (label, npm_median, npm_start_median);
    }

  if (byok_median != NULL && npm_median != NULL && npm_start_median != NULL)
    {
      double byok_cpu = byok_median->user_s + byok_median->sys_s;
      double npm_cpu = npm_median->user_s + npm_median->sys_s;

      printf ("\nCPU byok-cli / openai npm: %.3f (goal: at most 0.200, a fifth) — %s\n",
              byok_cpu / npm_cpu, byok_cpu <= npm_cpu / 5 ? "met" : "NOT met");
    }

  runs_clear (byok, n_runs);
  runs_clear (npm, n_runs);
  runs_clear (byok_start, DEFAULT_RUNS);
  runs_clear (npm_start, DEFAULT_RUNS);
  stream_free (stream);
  stream_free (tiny);
  remove_tree (home);
  return 0;
}
