/* byok-cli-mcp.c — `byok-cli mcp`: the MCP servers Byok's tools come from
 *
 *   mcp add NAME [--env KEY[=VALUE]]… -- COMMAND [ARGS…]
 *   mcp add NAME --url URL [--token-stdin]
 *   mcp list [--json]
 *   mcp tools NAME [--json]
 *   mcp call NAME TOOL [ARGUMENTS_JSON] [--json]
 *   mcp remove NAME
 *   mcp enable|disable NAME [TOOL]
 *   mcp forget NAME [TOOL]
 *   mcp import FILE [--replace]
 *
 * The same configuration (ByokMcpConfig) and manager as the app. Every
 * environment value and the token go to the keyring; `--env KEY` alone
 * takes the value from byok-cli's own environment, which keeps it out of
 * the command line and the shell history.
 */
#define G_LOG_DOMAIN "byok-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "byok-cli.h"
#include "byok-cli-mcp.h"
#include "byok-cli-util.h"
#include "byok-error.h"
#include "byok-json.h"
#include "byok-key-format.h"
#include "byok-mcp-manager.h"

/* The longest token read from stdin */
#define MAX_TOKEN_INPUT 16384

/* ---- shared ---- */

static ByokMcpConfig *
open_config (void)
{
  return byok_mcp_config_new (NULL);
}

/* The manager of `mcp tools` and `mcp call`, on the user's configuration:
 * one call on one server. */
static ByokMcpManager *
start_manager (void)
{
  g_autoptr(ByokMcpConfig) config = open_config ();

  return byok_mcp_manager_new (config);
}

/* Waits for the manager's call to end, then stops the server it started:
 * nothing is left running when the command prints. */
static GAsyncResult *
wait_and_stop (ByokMcpManager  *manager,
               GAsyncResult   **result)
{
  byok_cli_wait (result);
  byok_mcp_manager_shutdown_wait (manager);
  return *result;
}

/* ---- mcp add ---- */

static char *
read_token (GError **error)
{
  GString *input = g_string_new (NULL);
  char buffer[1024];
  gssize n;

  if (isatty (STDIN_FILENO))
    {
      g_string_free (input, TRUE);
      g_set_error_literal (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                           _("--token-stdin reads the token from standard input: pipe it in, "
                             "e.g. “byok-cli mcp add web --url URL --token-stdin < token.txt”."));
      return NULL;
    }
  while ((n = read (STDIN_FILENO, buffer, sizeof buffer)) > 0)
    {
      g_string_append_len (input, buffer, n);
      explicit_bzero (buffer, sizeof buffer);
      if (input->len > MAX_TOKEN_INPUT)
        break;
    }
  if (input->len > MAX_TOKEN_INPUT || !g_utf8_validate_len (input->str, input->len, NULL) ||
      strlen (input->str) != input->len)
    {
      explicit_bzero (input->str, input->len);
      g_string_free (input, TRUE);
      g_set_error_literal (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                           _("What came on standard input is not a token."));
      return NULL;
    }
  {
    char *token = byok_secret_dup (g_strstrip (input->str), -1);

    explicit_bzero (input->str, input->allocated_len);
    g_string_free (input, TRUE);
    return token;
  }
}

static int
mcp_add (int    argc,
         char **argv)
{
  g_autofree char *url = NULL;
  g_auto(GStrv) env = NULL;
  gboolean token_stdin = FALSE;
  gboolean replace = FALSE;
  gboolean disabled = FALSE;
  const GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url,
      N_("The address of a server that speaks Streamable HTTP"), N_("URL") },
    { "token-stdin", 0, 0, G_OPTION_ARG_NONE, &token_stdin,
      N_("Read a bearer token for the server from standard input"), NULL },
    { "env", 'e', 0, G_OPTION_ARG_STRING_ARRAY, &env,
      N_("Set an environment variable for the server; without =VALUE, its value is taken from "
         "this environment. Values are kept in the keyring"), N_("KEY[=VALUE]") },
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace,
      N_("Replace a server of the same name"), NULL },
    { "disabled", 0, 0, G_OPTION_ARG_NONE, &disabled,
      N_("Add the server switched off"), NULL },
    { NULL }
  };
  g_autoptr(ByokMcpConfig) config = NULL;
  g_autoptr(ByokMcpServerConfig) server = NULL;
  g_autoptr(ByokMcpSecrets) secrets = byok_mcp_secrets_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char **options = NULL;
  char **command = NULL;
  int n_options = argc;
  int status;

  /* What follows "--" is the server's command, never options of ours. */
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--"))
        {
          n_options = i;
          command = argv + i + 1;
          break;
        }
    }
  options = g_new0 (char *, n_options + 1);
  memcpy (options, argv, n_options * sizeof (char *));
  {
    char **parsed = options;   /* GOption moves what it leaves to the front, in place */

    if (!byok_cli_parse_options (&n_options, &parsed,
                                 _("NAME [--env KEY[=VALUE]…] -- COMMAND [ARGS…] | NAME --url URL [--token-stdin]"),
                                 _("Add an MCP server: a program Byok starts (its command after “--”), "
                                   "or a server at a URL."),
                                 entries, &status))
      return status;
    if (n_options != 2)
      return byok_cli_usage_error ("mcp add", n_options < 2 ? _("Name the server, e.g. “byok-cli mcp add files -- npx -y @modelcontextprotocol/server-filesystem ~/Documents”.")
                                                            : _("Too many arguments: put the server’s command after “--”."));
    server = byok_mcp_server_config_new (parsed[1], url != NULL ? BYOK_MCP_TRANSPORT_HTTP : BYOK_MCP_TRANSPORT_STDIO);
  }

  if (url != NULL && command != NULL)
    return byok_cli_usage_error ("mcp add", _("Give either --url or a command after “--”, not both."));
  if (url == NULL && (command == NULL || command[0] == NULL))
    return byok_cli_usage_error ("mcp add", _("Give the server’s command after “--”, or its --url."));
  if (url == NULL && token_stdin)
    return byok_cli_usage_error ("mcp add", _("--token-stdin is for a server at a URL."));
  if (url != NULL && env != NULL)
    return byok_cli_usage_error ("mcp add", _("--env is for a server Byok starts; a server at a URL has its own environment."));

  if (url != NULL)
    server->url = g_strdup (url);
  else
    {
      server->command = g_strdup (command[0]);
      g_strfreev (server->args);
      server->args = g_strdupv (command + 1);
    }
  server->enabled = !disabled;

  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      const char *eq = strchr (env[i], '=');
      g_autofree char *name = eq != NULL ? g_strndup (env[i], eq - env[i]) : g_strdup (env[i]);
      const char *value = eq != NULL ? eq + 1 : g_getenv (name);

      if (value == NULL)
        return byok_cli_usage_error ("mcp add", _("--env %s: there is no such variable in this environment; give its value as %s=VALUE."),
                                     name, name);
      byok_mcp_secrets_set_env (secrets, name, value);
    }
  if (token_stdin)
    {
      char *token = read_token (&error);

      if (token == NULL)
        return byok_cli_fail (error);
      byok_mcp_secrets_set_token (secrets, token);
      byok_secret_free (token);
    }

  config = open_config ();
  byok_mcp_config_add_async (config, server, secrets, replace, NULL, byok_cli_store_result, &result);
  if (!byok_mcp_config_add_finish (config, byok_cli_wait (&result), &error))
    return byok_cli_fail (error);

  /* Translators: %s is an MCP server's name */
  printf (_("Added the MCP server “%s”.\n"), server->name);
  if (!byok_mcp_secrets_is_empty (secrets))
    printf ("%s\n", _("Its secrets are in the keyring, not in the configuration file."));
  /* Translators: %s is an MCP server's name */
  printf (_("See its tools with “byok-cli mcp tools %s”.\n"), server->name);
  return BYOK_CLI_EXIT_OK;
}

/* ---- mcp list ---- */

static char *
describe_secrets (const ByokMcpServerConfig *server)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;

  g_strv_builder_addv (builder, (const char **) server->env);
  g_strv_builder_addv (builder, (const char **) server->headers);
  if (server->has_token)
    g_strv_builder_add (builder, _("token"));
  parts = g_strv_builder_end (builder);
  return parts[0] != NULL ? g_strjoinv (", ", parts) : g_strdup ("-");
}

static char *
describe_target (const ByokMcpServerConfig *server)
{
  g_autofree char *args = NULL;

  if (server->transport == BYOK_MCP_TRANSPORT_HTTP)
    return g_strdup (server->url);
  args = g_strjoinv (" ", server->args);
  return *args != '\0' ? g_strdup_printf ("%s %s", server->command, args) : g_strdup (server->command);
}

static int
mcp_list (int    argc,
          char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(ByokMcpConfig) config = NULL;
  g_autoptr(GPtrArray) servers = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!byok_cli_parse_options (&argc, &argv, NULL, _("List the MCP servers: how each is reached, whether it is "
                                                      "on, and the names of its secrets (never their values)."),
                               entries, &status))
    return status;
  if (argc > 1)
    return byok_cli_usage_error ("mcp list", _("Too many arguments."));

  config = open_config ();
  if (!byok_mcp_config_reload (config, &error))
    return byok_cli_fail (error);
  servers = byok_mcp_config_list (config);

  if (json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < servers->len; i++)
        json_array_add_element (array, byok_mcp_server_config_to_json (g_ptr_array_index (servers, i)));
      json_node_set_array (root, array);
      byok_cli_print_json (root);
      return BYOK_CLI_EXIT_OK;
    }

  if (servers->len == 0)
    {
      printf ("%s\n", _("No MCP servers. Add one with “byok-cli mcp add” or “byok-cli mcp import”."));
      return BYOK_CLI_EXIT_OK;
    }
  {
    /* Translators: column headings of `byok-cli mcp list` */
    g_autoptr(ByokCliTable) table = byok_cli_table_new (5, _("NAME"), _("ON"), _("TRANSPORT"),
                                                        _("COMMAND OR URL"), _("SECRETS"));

    for (guint i = 0; i < servers->len; i++)
      {
        ByokMcpServerConfig *server = g_ptr_array_index (servers, i);
        g_autofree char *target = describe_target (server);
        g_autofree char *secrets = describe_secrets (server);

        byok_cli_table_add_row (table, server->name, server->enabled ? _("yes") : _("no"),
                                byok_mcp_transport_kind_to_string (server->transport), target, secrets);
      }
    byok_cli_table_print (table, stdout);
  }
  return BYOK_CLI_EXIT_OK;
}

/* ---- mcp tools ---- */

static char *
first_line (const char *text,
            guint       max_chars)
{
  g_autofree char *line = NULL;
  const char *end;

  if (text == NULL)
    return g_strdup ("");
  end = strchr (text, '\n');
  line = end != NULL ? g_strndup (text, end - text) : g_strdup (text);
  if (g_utf8_strlen (line, -1) > max_chars)
    {
      g_autofree char *cut = g_utf8_substring (line, 0, max_chars - 1);

      return g_strconcat (cut, "…", NULL);
    }
  return g_steal_pointer (&line);
}

static void
print_tools_json (GPtrArray *tools)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < tools->len; i++)
    {
      ByokMcpTool *tool = g_ptr_array_index (tools, i);

      json_builder_begin_object (builder);
      byok_json_builder_add_string (builder, "name", byok_mcp_tool_get_name (tool));
      byok_json_builder_add_string (builder, "model_name", byok_mcp_tool_get_model_name (tool));
      byok_json_builder_add_string (builder, "title", byok_mcp_tool_get_title (tool));
      byok_json_builder_add_string (builder, "description", byok_mcp_tool_get_description (tool));
      byok_json_builder_add_boolean (builder, "enabled", byok_mcp_tool_get_enabled (tool));
      byok_json_builder_add_boolean (builder, "always_allow", byok_mcp_tool_get_always_allow (tool));
      json_builder_set_member_name (builder, "input_schema");
      json_builder_add_value (builder, json_node_copy (byok_mcp_tool_get_input_schema (tool)));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  byok_cli_print_builder (builder);
}

static int
mcp_tools (int    argc,
           char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON, with each tool’s input schema"), NULL },
    { NULL }
  };
  g_autoptr(ByokMcpManager) manager = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) tools = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!byok_cli_parse_options (&argc, &argv, _("NAME"),
                               _("Start an MCP server and list its tools, with the names models call them by."),
                               entries, &status))
    return status;
  if (argc != 2)
    return byok_cli_usage_error ("mcp tools", _("Name one server, e.g. “byok-cli mcp tools files”."));

  manager = start_manager ();
  byok_mcp_manager_list_tools_async (manager, argv[1], NULL, byok_cli_store_result, &result);
  tools = byok_mcp_manager_list_tools_finish (manager, wait_and_stop (manager, &result), NULL, &error);
  if (tools == NULL)
    return byok_cli_fail (error);

  if (json)
    {
      print_tools_json (tools);
      return BYOK_CLI_EXIT_OK;
    }
  if (tools->len == 0)
    {
      /* Translators: %s is an MCP server's name */
      printf (_("The MCP server “%s” offers no tools.\n"), argv[1]);
      return BYOK_CLI_EXIT_OK;
    }
  {
    /* Translators: column headings of `byok-cli mcp tools` */
    g_autoptr(ByokCliTable) table = byok_cli_table_new (5, _("TOOL"), _("ON"), _("ALWAYS ALLOWED"), _("MODEL NAME"),
                                                        _("DESCRIPTION"));

    for (guint i = 0; i < tools->len; i++)
      {
        ByokMcpTool *tool = g_ptr_array_index (tools, i);
        g_autofree char *description = first_line (byok_mcp_tool_get_description (tool), 60);

        byok_cli_table_add_row (table, byok_mcp_tool_get_name (tool),
                                byok_mcp_tool_get_enabled (tool) ? _("yes") : _("no"),
                                byok_mcp_tool_get_always_allow (tool) ? _("yes") : _("no"),
                                byok_mcp_tool_get_model_name (tool), description);
      }
    byok_cli_table_print (table, stdout);
  }
  return BYOK_CLI_EXIT_OK;
}

/* ---- mcp call ---- */

static void
print_result_json (const ByokMcpToolResult *res)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  byok_json_builder_add_string (builder, "text", res->text);
  byok_json_builder_add_boolean (builder, "is_error", res->is_error);
  json_builder_set_member_name (builder, "images");
  json_builder_begin_array (builder);
  for (guint i = 0; i < res->images->len; i++)
    {
      const ByokMcpImage *image = g_ptr_array_index (res->images, i);

      json_builder_begin_object (builder);
      byok_json_builder_add_string (builder, "mime_type", image->mime_type);
      byok_json_builder_add_int (builder, "bytes", g_bytes_get_size (image->data));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "links");
  json_builder_begin_array (builder);
  for (guint i = 0; i < res->links->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (res->links, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  byok_cli_print_builder (builder);
}

static int
mcp_call (int    argc,
          char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(ByokMcpManager) manager = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ByokMcpToolResult) res = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!byok_cli_parse_options (&argc, &argv, _("NAME TOOL [ARGUMENTS]"),
                               _("Call a tool of an MCP server at once, without a model; ARGUMENTS is a JSON "
                                 "object, such as '{\"path\": \"notes.txt\"}'."),
                               entries, &status))
    return status;
  if (argc < 3 || argc > 4)
    return byok_cli_usage_error ("mcp call", _("Name the server and the tool, e.g. “byok-cli mcp call files list_directory '{\"path\": \".\"}'”."));

  manager = start_manager ();
  byok_mcp_manager_call_tool_async (manager, argv[1], argv[2], argc == 4 ? argv[3] : NULL, NULL,
                                    byok_cli_store_result, &result);
  res = byok_mcp_manager_call_tool_finish (manager, wait_and_stop (manager, &result), &error);
  if (res == NULL)
    return byok_cli_fail (error);

  if (json)
    print_result_json (res);
  else
    printf ("%s\n", res->text);
  if (res->is_error)
    {
      /* Translators: %s is a tool's name */
      g_printerr (_("byok-cli: the tool “%s” reported an error.\n"), argv[2]);
      return BYOK_CLI_EXIT_FAILED;
    }
  return BYOK_CLI_EXIT_OK;
}

/* ---- mcp remove ---- */

static int
mcp_remove (int    argc,
            char **argv)
{
  g_autoptr(ByokMcpConfig) config = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!byok_cli_parse_options (&argc, &argv, _("NAME"),
                               _("Remove an MCP server, and its secrets from the keyring."), NULL, &status))
    return status;
  if (argc != 2)
    return byok_cli_usage_error ("mcp remove", _("Name one server, e.g. “byok-cli mcp remove files”."));

  config = open_config ();
  byok_mcp_config_remove_async (config, argv[1], NULL, byok_cli_store_result, &result);
  if (!byok_mcp_config_remove_finish (config, byok_cli_wait (&result), &error))
    return byok_cli_fail (error);
  /* Translators: %s is an MCP server's name */
  printf (_("Removed the MCP server “%s” and its secrets.\n"), argv[1]);
  return BYOK_CLI_EXIT_OK;
}

/* ---- mcp enable, mcp disable ---- */

static int
switch_server (int       argc,
               char    **argv,
               gboolean  on)
{
  const char *command = on ? "mcp enable" : "mcp disable";
  g_autoptr(ByokMcpConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;
  int status;

  if (!byok_cli_parse_options (&argc, &argv, _("NAME [TOOL]"),
                               on ? _("Switch an MCP server, or one of its tools, on.")
                                  : _("Switch an MCP server, or one of its tools, off: models are not offered it."),
                               NULL, &status))
    return status;
  if (argc < 2 || argc > 3)
    return byok_cli_usage_error (command, _("Name a server, and perhaps one of its tools."));

  config = open_config ();
  if (argc == 3)
    {
      g_autoptr(ByokMcpServerConfig) server = NULL;

      if (!byok_mcp_config_reload (config, &error))
        return byok_cli_fail (error);
      server = byok_mcp_config_lookup (config, argv[1]);
      ok = server != NULL && byok_mcp_config_set_tool_enabled (config, argv[1], argv[2], on, &error);
      if (server == NULL)
        /* Translators: %s is an MCP server's name */
        error = g_error_new (BYOK_ERROR, BYOK_ERROR_INVALID,
                             _("There is no MCP server “%s”. “byok-cli mcp list” shows them."), argv[1]);
    }
  else
    ok = byok_mcp_config_set_enabled (config, argv[1], on, &error);
  if (!ok)
    return byok_cli_fail (error);

  if (argc == 3)
    /* Translators: %1$s is a tool's name, %2$s an MCP server's name */
    printf (on ? _("The tool “%1$s” of “%2$s” is on.\n") : _("The tool “%1$s” of “%2$s” is off.\n"), argv[2], argv[1]);
  else
    /* Translators: %s is an MCP server's name */
    printf (on ? _("The MCP server “%s” is on.\n") : _("The MCP server “%s” is off.\n"), argv[1]);
  return BYOK_CLI_EXIT_OK;
}

static int
mcp_enable (int    argc,
            char **argv)
{
  return switch_server (argc, argv, TRUE);
}

static int
mcp_disable (int    argc,
             char **argv)
{
  return switch_server (argc, argv, FALSE);
}

/* ---- mcp forget ---- */

/* "Always allow" taken back: byok-cli chat --tools and the app ask again. */
static int
mcp_forget (int    argc,
            char **argv)
{
  g_autoptr(ByokMcpConfig) config = NULL;
  g_autoptr(ByokMcpServerConfig) server = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) tools = NULL;
  int status;

  if (!byok_cli_parse_options (&argc, &argv, _("NAME [TOOL]"),
                               _("Take back “always allow” for a tool of an MCP server, or for all of its tools: "
                                 "each call is asked about again."),
                               NULL, &status))
    return status;
  if (argc < 2 || argc > 3)
    return byok_cli_usage_error ("mcp forget", _("Name a server, and perhaps one of its tools, e.g. “byok-cli mcp forget files write_file”."));

  config = open_config ();
  if (!byok_mcp_config_reload (config, &error))
    return byok_cli_fail (error);
  server = byok_mcp_config_lookup (config, argv[1]);
  if (server == NULL)
    {
      /* Translators: %s is an MCP server's name */
      error = g_error_new (BYOK_ERROR, BYOK_ERROR_INVALID,
                           _("There is no MCP server “%s”. “byok-cli mcp list” shows them."), argv[1]);
      return byok_cli_fail (error);
    }
  if (argc == 3)
    {
      const char *one[] = { argv[2], NULL };

      if (!byok_mcp_server_config_tool_always_allowed (server, argv[2]))
        {
          /* Translators: %1$s is a tool's name, %2$s an MCP server's name */
          printf (_("The tool “%1$s” of “%2$s” was not always allowed.\n"), argv[2], argv[1]);
          return BYOK_CLI_EXIT_OK;
        }
      tools = g_strdupv ((char **) one);
    }
  else
    tools = g_strdupv (server->always_allow);
  for (guint i = 0; tools[i] != NULL; i++)
    {
      if (!byok_mcp_config_set_tool_always_allow (config, argv[1], tools[i], FALSE, &error))
        return byok_cli_fail (error);
      /* Translators: %1$s is a tool's name, %2$s an MCP server's name */
      printf (_("Byok asks again before the tool “%1$s” of “%2$s” runs.\n"), tools[i], argv[1]);
    }
  if (tools[0] == NULL)
    /* Translators: %s is an MCP server's name */
    printf (_("No tool of “%s” was always allowed.\n"), argv[1]);
  return BYOK_CLI_EXIT_OK;
}

/* ---- mcp import ---- */

static int
mcp_import (int    argc,
            char **argv)
{
  gboolean replace = FALSE;
  const GOptionEntry entries[] = {
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace, N_("Replace servers of the same name"), NULL },
    { NULL }
  };
  g_autoptr(ByokMcpConfig) config = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) added = NULL;
  g_auto(GStrv) skipped = NULL;
  gsize len = 0;
  int status;

  if (!byok_cli_parse_options (&argc, &argv, _("FILE"),
                               _("Import MCP servers from the “mcpServers” JSON Claude Desktop and other "
                                 "clients use; environment values and tokens go to the keyring."),
                               entries, &status))
    return status;
  if (argc != 2)
    return byok_cli_usage_error ("mcp import", _("Name one file, e.g. “byok-cli mcp import claude_desktop_config.json”."));

  if (!g_file_get_contents (argv[1], &contents, &len, &error))
    {
      g_autoptr(GError) mapped = g_error_new (BYOK_ERROR, BYOK_ERROR_INVALID, "%s", error->message);

      return byok_cli_fail (mapped);
    }
  config = open_config ();
  byok_mcp_config_import_async (config, contents, len, replace, NULL, byok_cli_store_result, &result);
  added = byok_mcp_config_import_finish (config, byok_cli_wait (&result), &skipped, &error);
  explicit_bzero (contents, len);
  if (added == NULL)
    return byok_cli_fail (error);

  for (guint i = 0; skipped[i] != NULL; i++)
    /* Translators: %s says which server and why */
    g_printerr (_("Not imported: %s\n"), skipped[i]);
  if (added[0] == NULL)
    {
      printf ("%s\n", _("No MCP server was imported."));
      return skipped[0] != NULL ? BYOK_CLI_EXIT_FAILED : BYOK_CLI_EXIT_OK;
    }
  {
    g_autofree char *names = g_strjoinv (", ", added);
    guint n = g_strv_length (added);

    /* Translators: %u is a number of servers, %s their names */
    printf (g_dngettext (GETTEXT_PACKAGE, "Imported %u MCP server: %s\n", "Imported %u MCP servers: %s\n", n), n, names);
  }
  return BYOK_CLI_EXIT_OK;
}

/* ---- dispatch ---- */

static void
print_mcp_help (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: byok-cli mcp COMMAND [OPTIONS…]"));
  fprintf (out, "%s\n", _("Commands:"));
  fprintf (out, "  %-8s %s\n", "add", _("Add a server: a command Byok starts, or a URL"));
  fprintf (out, "  %-8s %s\n", "list", _("List the servers"));
  fprintf (out, "  %-8s %s\n", "tools", _("Start a server and list its tools"));
  fprintf (out, "  %-8s %s\n", "call", _("Call a tool of a server"));
  fprintf (out, "  %-8s %s\n", "remove", _("Remove a server and its secrets"));
  fprintf (out, "  %-8s %s\n", "enable", _("Switch a server or one of its tools on"));
  fprintf (out, "  %-8s %s\n", "disable", _("Switch a server or one of its tools off"));
  fprintf (out, "  %-8s %s\n", "forget", _("Ask again before a tool that was always allowed runs"));
  fprintf (out, "  %-8s %s\n", "import", _("Import servers from Claude Desktop’s mcpServers JSON"));
  fprintf (out, "\n%s\n", _("Run “byok-cli mcp COMMAND --help” for the options of a command."));
}

/**
 * byok_cli_mcp:
 *
 * `byok-cli mcp SUBCOMMAND …`; argv[0] is "mcp".
 */
int
byok_cli_mcp (int    argc,
              char **argv)
{
  static const struct {
    const char *name;
    const char *full;
    int (*func) (int, char **);
  } subs[] = {
    { "add", "mcp add", mcp_add },
    { "list", "mcp list", mcp_list },
    { "tools", "mcp tools", mcp_tools },
    { "call", "mcp call", mcp_call },
    { "remove", "mcp remove", mcp_remove },
    { "enable", "mcp enable", mcp_enable },
    { "disable", "mcp disable", mcp_disable },
    { "forget", "mcp forget", mcp_forget },
    { "import", "mcp import", mcp_import },
  };
  const char *sub;

  g_log_writer_default_set_use_stderr (TRUE);

  if (argc < 2)
    {
      print_mcp_help (stderr);
      return BYOK_CLI_EXIT_USAGE;
    }
  sub = argv[1];
  if (g_str_equal (sub, "--help") || g_str_equal (sub, "-h") || g_str_equal (sub, "help"))
    {
      print_mcp_help (stdout);
      return BYOK_CLI_EXIT_OK;
    }
  for (guint i = 0; i < G_N_ELEMENTS (subs); i++)
    {
      if (g_str_equal (sub, subs[i].name))
        return byok_cli_run_sub (subs[i].func, subs[i].full, argc - 1, argv + 1);
    }
  return byok_cli_usage_error ("mcp", _("Unknown command “%s”."), sub);
}
