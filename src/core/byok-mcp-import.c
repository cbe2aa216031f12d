/* byok-mcp-import.c — reading the `mcpServers` JSON other clients use */
#define G_LOG_DOMAIN "byok-mcp"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "byok-error.h"
#include "byok-json.h"
#include "byok-key-format.h"
#include "byok-mcp-import.h"
#include "byok-mcp-tool.h"

/**
 * byok_mcp_import_make_name:
 *
 * Returns: (transfer full): @name made a valid server name: other
 *   characters become "-", runs of "_" one, no "_" at the end, at most
 *   %BYOK_MCP_SERVER_NAME_MAX characters; "server" when nothing is left
 */
char *
byok_mcp_import_make_name (const char *name)
{
  GString *out = g_string_new (NULL);

  for (const char *p = name; *p != '\0' && out->len < BYOK_MCP_SERVER_NAME_MAX; p++)
    {
      char c = g_ascii_isalnum (*p) || *p == '-' || *p == '_' ? *p : '-';

      if (c == '_' && out->len > 0 && out->str[out->len - 1] == '_')
        continue;
      g_string_append_c (out, c);
    }
  while (out->len > 0 && (out->str[out->len - 1] == '_' || out->str[out->len - 1] == '-'))
    g_string_truncate (out, out->len - 1);
  if (out->len == 0)
    g_string_append (out, "server");
  return g_string_free (out, FALSE);
}

static GStrv
strv_from_array (JsonArray *array)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
          *json_node_get_string (node) != '\0')
        g_strv_builder_add (builder, json_node_get_string (node));
    }
  return g_strv_builder_end (builder);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

static GStrv
sorted_keys (GHashTable *table)
{
  g_autofree gpointer *keys = g_hash_table_get_keys_as_array (table, NULL);
  GStrv strv = g_strdupv ((char **) keys);

  qsort (strv, g_strv_length (strv), sizeof (char *), compare_strings);
  return strv;
}

/* Reads one entry; NULL with *reason set when it is skipped. */
static ByokMcpServerConfig *
read_server (const char      *given_name,
             JsonObject      *entry,
             ByokMcpSecrets **secrets_out,
             char           **reason)
{
  g_autofree char *name = byok_mcp_import_make_name (given_name);
  const char *command = byok_json_get_string (entry, "command");
  const char *url = byok_json_get_string (entry, "url");
  const char *type = byok_json_get_string (entry, "type");
  g_autoptr(ByokMcpServerConfig) server = NULL;
  g_autoptr(ByokMcpSecrets) secrets = byok_mcp_secrets_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *env, *headers;
  gboolean disabled = FALSE;

  if (url == NULL)
    url = byok_json_get_string (entry, "serverUrl");
  if (type != NULL && (g_str_equal (type, "sse")))
    {
      /* Translators: %s is a server's name */
      *reason = g_strdup_printf (_("“%s”: it uses the HTTP+SSE transport of 2024, which Byok does not speak; "
                                   "add its Streamable HTTP address instead."), given_name);
      return NULL;
    }
  if (command != NULL && *command != '\0')
    {
      server = byok_mcp_server_config_new (name, BYOK_MCP_TRANSPORT_STDIO);
      server->command = g_strdup (command);
      g_strfreev (server->args);
      server->args = strv_from_array (byok_json_get_array (entry, "args"));
    }
  else if (url != NULL && *url != '\0')
    {
      server = byok_mcp_server_config_new (name, BYOK_MCP_TRANSPORT_HTTP);
      server->url = g_strdup (url);
    }
  else
    {
      /* Translators: %s is a server's name */
      *reason = g_strdup_printf (_("“%s”: it has neither a command nor a URL."), given_name);
      return NULL;
    }

  env = byok_json_get_object (entry, "env");
  if (env != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (env);

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *value = byok_json_get_string (env, l->data);

          if (value != NULL)
            byok_mcp_secrets_set_env (secrets, l->data, value);
        }
    }
  headers = byok_json_get_object (entry, "headers");
  if (headers != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (headers);

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *value = byok_json_get_string (headers, l->data);

          if (value == NULL)
            continue;
          if (g_ascii_strcasecmp (l->data, "Authorization") == 0 && g_ascii_strncasecmp (value, "Bearer ", 7) == 0)
            {
              char *token = byok_secret_dup (value + 7, -1);

              byok_mcp_secrets_set_token (secrets, g_strstrip (token));
              byok_secret_free (token);
            }
          else
            byok_mcp_secrets_set_header (secrets, l->data, value);
        }
    }

  g_strfreev (server->env);
  server->env = sorted_keys (secrets->env);
  g_strfreev (server->headers);
  server->headers = sorted_keys (secrets->headers);
  server->has_token = secrets->token != NULL;
  if (byok_json_get_bool (entry, "disabled", &disabled) && disabled)
    server->enabled = FALSE;

  if (!byok_mcp_server_config_validate (server, &error))
    {
      /* Translators: %1$s is a server's name, %2$s why it cannot be imported */
      *reason = g_strdup_printf (_("“%1$s”: %2$s"), given_name, error->message);
      return NULL;
    }
  *secrets_out = g_steal_pointer (&secrets);
  return g_steal_pointer (&server);
}

/**
 * byok_mcp_import_parse:
 * @servers: (out) (element-type ByokMcpServerConfig): what can be imported
 * @secrets: (out) (element-type ByokMcpSecrets): their secrets, in the same order
 * @skipped: (out): one sentence per server left out, saying why
 *
 * Returns: FALSE with %BYOK_ERROR_INVALID when @json is not such a file
 */
gboolean
byok_mcp_import_parse (const char  *json,
                       gsize        len,
                       GPtrArray  **servers,
                       GPtrArray  **secrets,
                       GStrv       *skipped,
                       GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(JsonNode) root = byok_json_parse (json, len, &local);
  g_autoptr(GPtrArray) out_servers = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_mcp_server_config_free);
  g_autoptr(GPtrArray) out_secrets = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_mcp_secrets_free);
  g_autoptr(GStrvBuilder) left_out = g_strv_builder_new ();
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GList) members = NULL;
  JsonObject *list = NULL;

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      list = byok_json_get_object (json_node_get_object (root), "mcpServers");
      if (list == NULL)
        list = byok_json_get_object (json_node_get_object (root), "servers");
    }
  if (list == NULL)
    {
      g_set_error_literal (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                           _("This is not a list of MCP servers: Byok reads JSON with an “mcpServers” "
                             "object, as Claude Desktop’s claude_desktop_config.json has."));
      return FALSE;
    }

  members = json_object_get_members (list);
  members = g_list_sort (members, (GCompareFunc) strcmp);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonObject *entry = byok_json_get_object (list, l->data);
      g_autofree char *reason = NULL;
      ByokMcpSecrets *server_secrets = NULL;
      ByokMcpServerConfig *server;

      if (entry == NULL)
        {
          /* Translators: %s is a server's name */
          byok_strv_builder_take (left_out, g_strdup_printf (_("“%s”: it is not an object."), (char *) l->data));
          continue;
        }
      server = read_server (l->data, entry, &server_secrets, &reason);
      if (server == NULL)
        {
          byok_strv_builder_take (left_out, g_steal_pointer (&reason));
          continue;
        }
      if (!g_hash_table_add (names, g_strdup (server->name)))
        {
          /* Translators: %1$s is a server's name, %2$s the name Byok gives it */
          byok_strv_builder_take (left_out, g_strdup_printf (_("“%1$s”: another server in the file is also called “%2$s”."),
                                                          (char *) l->data, server->name));
          byok_mcp_server_config_free (server);
          byok_mcp_secrets_free (server_secrets);
          continue;
        }
      g_ptr_array_add (out_servers, server);
      g_ptr_array_add (out_secrets, server_secrets);
    }

  *servers = g_steal_pointer (&out_servers);
  *secrets = g_steal_pointer (&out_secrets);
  *skipped = g_strv_builder_end (left_out);
  return TRUE;
}
