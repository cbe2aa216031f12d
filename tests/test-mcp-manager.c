/* test-mcp-manager.c — ByokMcpConfig, ByokMcpSecrets and ByokMcpManager
 * against the session's real gnome-keyring and byok-test-mcp-server:
 * servers stored in the file with their secrets in the keyring only (the
 * file's bytes never hold one), removing clears both, the mcpServers
 * import, the manager starting servers when first needed with their
 * secret environment, listing every enabled server's enabled tools under
 * unique model-visible names, per-tool switches, calls, a server started
 * again after it crashed, list_changed listed again, and shutdown; a
 * server's secrets read in one call.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "byok-error.h"
#include "byok-mcp-manager.h"
#include "byok-test-util.h"

typedef struct {
  char *dir;
  char *path;
  char *secret;    /* unique to the run */
  ByokMcpConfig *config;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = g_uuid_string_random ();

  f->dir = g_dir_make_tmp ("byok-mcp-config-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "byok", "mcp-servers.json", NULL);
  f->secret = g_strconcat ("fake-test-secret-", uuid, NULL);
  f->config = byok_mcp_config_new (f->path);
}

static void
remove_secrets (const char *name)
{
  g_autoptr(GAsyncResult) result = NULL;

  byok_mcp_secrets_store_async (name, NULL, NULL, byok_test_store_result, &result);
  g_assert_true (byok_mcp_secrets_store_finish (byok_test_wait_result (&result), NULL));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *parent = g_path_get_dirname (f->path);

  g_clear_object (&f->config);
  g_remove (f->path);
  g_rmdir (parent);
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->secret);
}

static ByokMcpServerConfig *
test_server (const char *name)
{
  ByokMcpServerConfig *server = byok_mcp_server_config_new (name, BYOK_MCP_TRANSPORT_STDIO);

  server->command = g_strdup (g_getenv ("BYOK_TEST_MCP_SERVER"));
  g_strfreev (server->args);
  server->args = g_strsplit ("--page-size 4", " ", -1);
  return server;
}

static void
add (Fixture                   *f,
     const ByokMcpServerConfig *server,
     ByokMcpSecrets            *secrets)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  byok_mcp_config_add_async (f->config, server, secrets, FALSE, NULL, byok_test_store_result, &result);
  g_assert_true (byok_mcp_config_add_finish (f->config, byok_test_wait_result (&result), &error));
  g_assert_no_error (error);
}

static void
assert_file_has_no (Fixture    *f,
                    const char *secret)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (f->path, &contents, &len, NULL));
  byok_test_assert_no_key ("mcp-servers.json", contents, len, secret, 0, 8);
}

/* ---- the store ---- */

static void
test_store_secrets (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(ByokMcpServerConfig) server = test_server ("files");
  g_autoptr(ByokMcpServerConfig) web = byok_mcp_server_config_new ("web", BYOK_MCP_TRANSPORT_HTTP);
  g_autoptr(ByokMcpSecrets) secrets = byok_mcp_secrets_new ();
  g_autoptr(ByokMcpSecrets) web_secrets = byok_mcp_secrets_new ();
  g_autoptr(ByokMcpSecrets) found = NULL;
  g_autoptr(ByokMcpServerConfig) stored = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = g_strconcat (f->secret, "-token", NULL);
  GStatBuf st;

  byok_mcp_secrets_set_env (secrets, "GITHUB_TOKEN", f->secret);
  add (f, server, secrets);
  web->url = g_strdup ("https://mcp.example.com/mcp");
  byok_mcp_secrets_set_token (web_secrets, token);
  add (f, web, web_secrets);

  /* The file names the variable and says a token exists; no secret in it */
  assert_file_has_no (f, f->secret);
  assert_file_has_no (f, token);
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  stored = byok_mcp_config_lookup (f->config, "files");
  g_assert_nonnull (stored);
  g_assert_cmpstr (stored->env[0], ==, "GITHUB_TOKEN");
  g_assert_null (stored->env[1]);
  g_clear_pointer (&stored, byok_mcp_server_config_free);
  stored = byok_mcp_config_lookup (f->config, "web");
  g_assert_true (stored->has_token);

  /* The keyring has them */
  found = byok_test_lookup_mcp_secrets ("files");
  g_assert_cmpstr (g_hash_table_lookup (found->env, "GITHUB_TOKEN"), ==, f->secret);
  g_clear_pointer (&found, byok_mcp_secrets_free);
  found = byok_test_lookup_mcp_secrets ("web");
  g_assert_cmpstr (found->token, ==, token);
  g_clear_pointer (&found, byok_mcp_secrets_free);

  /* A second add of the same name is refused, a replace is not */
  byok_mcp_config_add_async (f->config, server, NULL, FALSE, NULL, byok_test_store_result, &result);
  g_assert_false (byok_mcp_config_add_finish (f->config, byok_test_wait_result (&result), &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_object (&result);

  /* Switches are kept */
  g_assert_true (byok_mcp_config_set_tool_enabled (f->config, "files", "crash", FALSE, &error));
  g_assert_true (byok_mcp_config_set_tool_always_allow (f->config, "files", "echo", TRUE, &error));
  g_assert_true (byok_mcp_config_set_enabled (f->config, "web", FALSE, &error));
  g_assert_no_error (error);
  {
    g_autoptr(ByokMcpConfig) again = byok_mcp_config_new (f->path);
    g_autoptr(ByokMcpServerConfig) files = byok_mcp_config_lookup (again, "files");
    g_autoptr(ByokMcpServerConfig) off = byok_mcp_config_lookup (again, "web");

    g_assert_false (byok_mcp_server_config_tool_enabled (files, "crash"));
    g_assert_true (byok_mcp_server_config_tool_always_allowed (files, "echo"));
    g_assert_false (off->enabled);
  }

  /* Removing takes the secrets away too */
  byok_mcp_config_remove_async (f->config, "files", NULL, byok_test_store_result, &result);
  g_assert_true (byok_mcp_config_remove_finish (f->config, byok_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_null (byok_mcp_config_lookup (f->config, "files"));
  found = byok_test_lookup_mcp_secrets ("files");
  g_assert_cmpuint (g_hash_table_size (found->env), ==, 0);
  remove_secrets ("web");
}

static void
test_bad_file (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *parent = g_path_get_dirname (f->path);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (parent, 0700);
  g_assert_true (g_file_set_contents (f->path, "{\"version\": 1, \"servers\": [{\"name\": \"x\"}]}", -1, NULL));
  g_assert_false (byok_mcp_config_reload (f->config, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, f->path));
}

static void
test_import (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *json = g_strdup_printf (
    "{\"mcpServers\": {"
    "  \"My Files\": {\"command\": \"npx\", \"args\": [\"-y\", \"@modelcontextprotocol/server-filesystem\", \"/tmp\"],"
    "                \"env\": {\"API_KEY\": \"%s\"}},"
    "  \"remote\": {\"type\": \"streamable-http\", \"url\": \"https://mcp.example.com/mcp\","
    "              \"headers\": {\"Authorization\": \"Bearer %s-tok\", \"X-Team\": \"%s-hdr\"}},"
    "  \"plain\": {\"url\": \"https://other.example.com/mcp\", \"disabled\": true},"
    "  \"legacy\": {\"type\": \"sse\", \"url\": \"https://old.example.com/sse\"},"
    "  \"empty\": {}"
    "}}", f->secret, f->secret, f->secret);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) added = NULL;
  g_auto(GStrv) skipped = NULL;
  g_autoptr(ByokMcpServerConfig) files = NULL;
  g_autoptr(ByokMcpServerConfig) remote = NULL;
  g_autoptr(ByokMcpServerConfig) plain = NULL;
  g_autoptr(ByokMcpSecrets) secrets = NULL;
  g_autofree char *token = g_strconcat (f->secret, "-tok", NULL);
  g_autofree char *header = g_strconcat (f->secret, "-hdr", NULL);

  byok_mcp_config_import_async (f->config, json, strlen (json), FALSE, NULL, byok_test_store_result, &result);
  added = byok_mcp_config_import_finish (f->config, byok_test_wait_result (&result), &skipped, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (added), ==, 3);
  g_assert_true (g_strv_contains ((const char * const *) added, "My-Files"));
  g_assert_cmpuint (g_strv_length (skipped), ==, 2);
  g_assert_nonnull (strstr (skipped[0], "empty") != NULL ? skipped[0] : skipped[1]);

  files = byok_mcp_config_lookup (f->config, "My-Files");
  g_assert_cmpint (files->transport, ==, BYOK_MCP_TRANSPORT_STDIO);
  g_assert_cmpstr (files->command, ==, "npx");
  g_assert_cmpstr (files->args[1], ==, "@modelcontextprotocol/server-filesystem");
  g_assert_cmpstr (files->env[0], ==, "API_KEY");
  remote = byok_mcp_config_lookup (f->config, "remote");
  g_assert_cmpint (remote->transport, ==, BYOK_MCP_TRANSPORT_HTTP);
  g_assert_true (remote->has_token);
  g_assert_cmpstr (remote->headers[0], ==, "X-Team");
  plain = byok_mcp_config_lookup (f->config, "plain");
  g_assert_false (plain->enabled);

  assert_file_has_no (f, f->secret);
  secrets = byok_test_lookup_mcp_secrets ("remote");
  g_assert_cmpstr (secrets->token, ==, token);
  g_assert_cmpstr (g_hash_table_lookup (secrets->headers, "X-Team"), ==, header);
  g_clear_pointer (&secrets, byok_mcp_secrets_free);
  secrets = byok_test_lookup_mcp_secrets ("My-Files");
  g_assert_cmpstr (g_hash_table_lookup (secrets->env, "API_KEY"), ==, f->secret);

  /* Again: the same names are skipped, not replaced */
  g_clear_object (&result);
  g_clear_pointer (&added, g_strfreev);
  g_clear_pointer (&skipped, g_strfreev);
  byok_mcp_config_import_async (f->config, json, strlen (json), FALSE, NULL, byok_test_store_result, &result);
  added = byok_mcp_config_import_finish (f->config, byok_test_wait_result (&result), &skipped, &error);
  g_assert_cmpuint (g_strv_length (added), ==, 0);
  g_assert_cmpuint (g_strv_length (skipped), ==, 5);

  /* Not such a file */
  g_clear_object (&result);
  g_clear_pointer (&added, g_strfreev);
  byok_mcp_config_import_async (f->config, "[1, 2]", 6, FALSE, NULL, byok_test_store_result, &result);
  added = byok_mcp_config_import_finish (f->config, byok_test_wait_result (&result), NULL, &error);
  g_assert_null (added);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);

  remove_secrets ("My-Files");
  remove_secrets ("remote");
}

/* ---- the manager ---- */

static GPtrArray *
list_tools (ByokMcpManager  *manager,
            const char      *server,
            GPtrArray      **failures,
            GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  byok_mcp_manager_list_tools_async (manager, server, NULL, byok_test_store_result, &result);
  return byok_mcp_manager_list_tools_finish (manager, byok_test_wait_result (&result), failures, error);
}

static ByokMcpToolResult *
call (ByokMcpManager  *manager,
      const char      *server,
      const char      *tool,
      const char      *arguments,
      GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  byok_mcp_manager_call_tool_async (manager, server, tool, arguments, NULL, byok_test_store_result, &result);
  return byok_mcp_manager_call_tool_finish (manager, byok_test_wait_result (&result), error);
}

static void
count_signal (gpointer instance,
              const char *server,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
count_stopped (gpointer      instance,
               const char   *server,
               const GError *error,
               gpointer      user_data)
{
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_SERVER);
  (*(guint *) user_data)++;
}

static void
test_manager (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(ByokMcpServerConfig) alpha = test_server ("alpha");
  g_autoptr(ByokMcpServerConfig) beta = test_server ("beta");
  g_autoptr(ByokMcpServerConfig) broken = byok_mcp_server_config_new ("broken", BYOK_MCP_TRANSPORT_STDIO);
  g_autoptr(ByokMcpServerConfig) off = test_server ("off");
  g_autoptr(ByokMcpSecrets) secrets = byok_mcp_secrets_new ();
  g_autoptr(ByokMcpManager) manager = NULL;
  g_autoptr(GPtrArray) tools = NULL;
  g_autoptr(GPtrArray) failures = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokMcpToolResult) value = NULL;
  g_autoptr(ByokMcpToolResult) crashed = NULL;
  g_autoptr(ByokMcpToolResult) again = NULL;
  g_autofree char *log_dir = g_build_filename (f->dir, "logs", NULL);
  guint changed = 0, stopped = 0;
  ByokMcpTool *tool;

  byok_mcp_secrets_set_env (secrets, "BYOK_TEST_SECRET", f->secret);
  add (f, alpha, secrets);
  add (f, beta, NULL);
  broken->command = g_strdup ("/nonexistent/byok-no-such-server");
  add (f, broken, NULL);
  off->enabled = FALSE;
  add (f, off, NULL);
  g_assert_true (byok_mcp_config_set_tool_enabled (f->config, "beta", "crash", FALSE, &error));

  manager = byok_mcp_manager_new (f->config);
  byok_mcp_manager_set_log_dir (manager, log_dir);
  g_signal_connect (manager, "tools-changed", G_CALLBACK (count_signal), &changed);
  g_signal_connect (manager, "server-stopped", G_CALLBACK (count_stopped), &stopped);
  g_assert_false (byok_mcp_manager_is_running (manager, "alpha"));

  /* Every enabled server's enabled tools; the broken one is a failure
   * that names it, the others are listed all the same */
  tools = list_tools (manager, NULL, &failures, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (failures->len, ==, 1);
  g_assert_error ((GError *) g_ptr_array_index (failures, 0), BYOK_ERROR, BYOK_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (((GError *) g_ptr_array_index (failures, 0))->message, "broken"));
  g_assert_cmpuint (tools->len, ==, 10 + 9);
  for (guint i = 0; i < tools->len; i++)
    {
      const char *name = byok_mcp_tool_get_model_name (g_ptr_array_index (tools, i));

      g_assert_true (g_hash_table_add (names, (char *) name));
      g_assert_cmpuint (strlen (name), <=, 64);
      g_assert_cmpstr (byok_mcp_tool_get_server (g_ptr_array_index (tools, i)), !=, "off");
      for (const char *p = name; *p != '\0'; p++)
        g_assert_true (g_ascii_isalnum (*p) || *p == '_' || *p == '-');
    }
  g_assert_false (g_hash_table_contains (names, "beta__crash"));
  g_assert_true (byok_mcp_manager_is_running (manager, "alpha"));
  g_assert_false (byok_mcp_manager_is_running (manager, "off"));

  /* A model-visible name leads back to its server and tool */
  tool = byok_mcp_manager_lookup_tool (manager, "alpha__env");
  g_assert_nonnull (tool);
  g_assert_cmpstr (byok_mcp_tool_get_server (tool), ==, "alpha");
  g_assert_cmpstr (byok_mcp_tool_get_name (tool), ==, "env");
  g_assert_null (byok_mcp_manager_lookup_tool (manager, "gamma__env"));

  /* One server asked for: every tool, each with its switch */
  g_clear_pointer (&tools, g_ptr_array_unref);
  tools = list_tools (manager, "beta", NULL, &error);
  g_assert_cmpuint (tools->len, ==, 10);
  g_assert_false (byok_mcp_tool_get_enabled (g_ptr_array_index (tools, 7)));

  /* The secret environment reached the server */
  value = call (manager, "alpha", "env", "{\"name\": \"BYOK_TEST_SECRET\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value->text, ==, f->secret);

  /* Switched off: refused */
  g_assert_null (call (manager, "beta", "crash", NULL, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (call (manager, "off", "echo", NULL, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (call (manager, "alpha", "echo", "[not json", &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_INVALID);
  g_clear_error (&error);

  /* list_changed: listed again, said once */
  g_clear_pointer (&value, byok_mcp_tool_result_free);
  value = call (manager, "alpha", "grow", NULL, &error);
  g_assert_no_error (error);
  while (changed == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (byok_mcp_manager_lookup_tool (manager, "alpha__extra"));

  /* A crash: the call fails clearly, the server is started again next time */
  crashed = call (manager, "alpha", "crash", NULL, &error);
  g_assert_null (crashed);
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_SERVER);
  g_clear_error (&error);
  g_assert_cmpuint (stopped, ==, 1);
  g_assert_false (byok_mcp_manager_is_running (manager, "alpha"));
  again = call (manager, "alpha", "echo", "{\"text\": \"back\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->text, ==, "back");

  byok_mcp_manager_shutdown_wait (manager);
  g_assert_false (byok_mcp_manager_is_running (manager, "alpha"));
  g_assert_false (byok_mcp_manager_is_running (manager, "beta"));

  /* The logs hold no secret */
  {
    g_autofree char *log_path = byok_mcp_manager_get_log_path (manager, "alpha");
    g_autofree char *log = NULL;
    gsize len = 0;

    g_assert_true (g_file_get_contents (log_path, &log, &len, NULL));
    byok_test_assert_no_key ("alpha.log", log, len, f->secret, 0, 8);
    g_remove (log_path);
    g_free (log_path);
    log_path = byok_mcp_manager_get_log_path (manager, "beta");
    g_remove (log_path);
    g_free (log_path);
    log_path = byok_mcp_manager_get_log_path (manager, "broken");
    g_remove (log_path);
    g_rmdir (log_dir);
  }
  remove_secrets ("alpha");
}

/* A server's secrets are read in one call (one GetSecrets over one
 * session), with no Unlock when nothing is locked and no read per secret. */
static void
test_secrets_one_read (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(ByokMcpSecrets) secrets = byok_mcp_secrets_new ();
  g_autoptr(ByokMcpSecrets) found = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *token = g_strconcat (f->secret, "-token", NULL);
  g_autofree char *header = g_strconcat (f->secret, "-header", NULL);
  ByokTestBusCalls *bc;

  byok_mcp_secrets_set_token (secrets, token);
  byok_mcp_secrets_set_header (secrets, "X-Team", header);
  byok_mcp_secrets_set_env (secrets, "API_KEY", f->secret);
  byok_mcp_secrets_store_async ("one-read", secrets, NULL, byok_test_store_result, &result);
  g_assert_true (byok_mcp_secrets_store_finish (byok_test_wait_result (&result), NULL));

  bc = byok_test_bus_calls_watch ();
  found = byok_test_lookup_mcp_secrets ("one-read");
  byok_test_bus_calls_sync (bc);
  g_assert_cmpuint (byok_test_bus_calls_count (bc, "org.freedesktop.Secret.Service.SearchItems"), ==, 1);
  g_assert_cmpuint (byok_test_bus_calls_count (bc, "org.freedesktop.Secret.Service.Unlock"), ==, 0);
  g_assert_cmpuint (byok_test_bus_calls_count (bc, "org.freedesktop.Secret.Service.OpenSession"), <=, 1);
  g_assert_cmpuint (byok_test_bus_calls_count (bc, "org.freedesktop.Secret.Service.GetSecrets"), ==, 1);
  g_assert_cmpuint (byok_test_bus_calls_count (bc, "org.freedesktop.Secret.Item.GetSecret"), ==, 0);
  byok_test_bus_calls_end (bc);

  g_assert_cmpstr (found->token, ==, token);
  g_assert_cmpstr (g_hash_table_lookup (found->headers, "X-Team"), ==, header);
  g_assert_cmpstr (g_hash_table_lookup (found->env, "API_KEY"), ==, f->secret);
  g_assert_cmpuint (g_hash_table_size (found->headers), ==, 1);
  g_assert_cmpuint (g_hash_table_size (found->env), ==, 1);
  remove_secrets ("one-read");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/mcp-config/store-secrets", Fixture, NULL, fixture_set_up, test_store_secrets, fixture_tear_down);
  g_test_add ("/mcp-secrets/one-read", Fixture, NULL, fixture_set_up, test_secrets_one_read, fixture_tear_down);
  g_test_add ("/mcp-config/bad-file", Fixture, NULL, fixture_set_up, test_bad_file, fixture_tear_down);
  g_test_add ("/mcp-config/import", Fixture, NULL, fixture_set_up, test_import, fixture_tear_down);
  g_test_add ("/mcp-manager/servers", Fixture, NULL, fixture_set_up, test_manager, fixture_tear_down);
  return g_test_run ();
}
