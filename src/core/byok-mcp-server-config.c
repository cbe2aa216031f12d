/* byok-mcp-server-config.c — how one MCP server is reached, as configured */
#define G_LOG_DOMAIN "byok-mcp"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "byok-error.h"
#include "byok-json.h"
#include "byok-mcp-server-config.h"
#include "byok-mcp-tool.h"

G_DEFINE_BOXED_TYPE (ByokMcpServerConfig, byok_mcp_server_config,
                     byok_mcp_server_config_copy, byok_mcp_server_config_free)

ByokMcpServerConfig *
byok_mcp_server_config_new (const char           *name,
                            ByokMcpTransportKind  transport)
{
  ByokMcpServerConfig *self = g_new0 (ByokMcpServerConfig, 1);

  self->name = g_strdup (name);
  self->transport = transport;
  self->args = g_new0 (char *, 1);
  self->env = g_new0 (char *, 1);
  self->headers = g_new0 (char *, 1);
  self->disabled_tools = g_new0 (char *, 1);
  self->always_allow = g_new0 (char *, 1);
  self->enabled = TRUE;
  return self;
}

ByokMcpServerConfig *
byok_mcp_server_config_copy (const ByokMcpServerConfig *self)
{
  ByokMcpServerConfig *copy = g_new0 (ByokMcpServerConfig, 1);

  copy->name = g_strdup (self->name);
  copy->transport = self->transport;
  copy->command = g_strdup (self->command);
  copy->args = g_strdupv (self->args);
  copy->url = g_strdup (self->url);
  copy->env = g_strdupv (self->env);
  copy->headers = g_strdupv (self->headers);
  copy->has_token = self->has_token;
  copy->enabled = self->enabled;
  copy->disabled_tools = g_strdupv (self->disabled_tools);
  copy->always_allow = g_strdupv (self->always_allow);
  return copy;
}

void
byok_mcp_server_config_free (ByokMcpServerConfig *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_free (self->command);
  g_strfreev (self->args);
  g_free (self->url);
  g_strfreev (self->env);
  g_strfreev (self->headers);
  g_strfreev (self->disabled_tools);
  g_strfreev (self->always_allow);
  g_free (self);
}

const char *
byok_mcp_transport_kind_to_string (ByokMcpTransportKind kind)
{
  return kind == BYOK_MCP_TRANSPORT_HTTP ? "http" : "stdio";
}

static gboolean
env_name_is_valid (const char *name)
{
  if (name == NULL || *name == '\0' || strchr (name, '=') != NULL || strlen (name) > 256)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    {
      if (!g_ascii_isgraph (*p))
        return FALSE;
    }
  return TRUE;
}

static gboolean
header_name_is_valid (const char *name)
{
  if (name == NULL || *name == '\0' || strlen (name) > 256)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-.^_`|~", *p) == NULL)
        return FALSE;
    }
  return TRUE;
}

/* Whether @name can name an environment variable (stdio) or a header
 * (HTTP) of such a server. */
gboolean
byok_mcp_server_config_secret_name_is_valid (ByokMcpTransportKind  transport,
                                             const char           *name)
{
  return transport == BYOK_MCP_TRANSPORT_HTTP ? header_name_is_valid (name) : env_name_is_valid (name);
}

/**
 * byok_mcp_server_config_validate:
 *
 * Returns: whether the configuration can be stored; %BYOK_ERROR_INVALID
 *   saying what is wrong otherwise
 */
gboolean
byok_mcp_server_config_validate (const ByokMcpServerConfig  *self,
                                 GError                    **error)
{
  if (!byok_mcp_server_name_is_valid (self->name))
    {
      /* Translators: %1$s is what was given as a name, %2$d a number of characters */
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("“%1$s” cannot name an MCP server: use up to %2$d letters, digits, “-” and “_” "
                     "(not “__”, and not “_” at the end), such as “files” or “github”."),
                   self->name != NULL ? self->name : "", BYOK_MCP_SERVER_NAME_MAX);
      return FALSE;
    }
  if (self->transport == BYOK_MCP_TRANSPORT_STDIO)
    {
      if (self->command == NULL || *self->command == '\0')
        {
          /* Translators: %s is an MCP server's name */
          g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                       _("The MCP server “%s” needs a command to run."), self->name);
          return FALSE;
        }
    }
  else
    {
      g_autoptr(GUri) uri = self->url != NULL ? g_uri_parse (self->url, SOUP_HTTP_URI_FLAGS, NULL) : NULL;

      if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
          (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
        {
          /* Translators: %1$s is an MCP server's name, %2$s what was given as its address */
          g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                       _("The address of the MCP server “%1$s” is not an http or https URL: “%2$s”."),
                       self->name, self->url != NULL ? self->url : "");
          return FALSE;
        }
    }
  for (guint i = 0; self->args[i] != NULL; i++)
    {
      if (*self->args[i] == '\0')
        {
          /* Translators: %s is an MCP server's name */
          g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                       _("The command of the MCP server “%s” has an empty argument."), self->name);
          return FALSE;
        }
    }
  for (guint i = 0; self->env[i] != NULL; i++)
    {
      if (!env_name_is_valid (self->env[i]))
        {
          /* Translators: %s is what was given as an environment variable's name */
          g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                       _("“%s” is not an environment variable’s name."), self->env[i]);
          return FALSE;
        }
    }
  for (guint i = 0; self->headers[i] != NULL; i++)
    {
      if (!header_name_is_valid (self->headers[i]))
        {
          /* Translators: %s is what was given as an HTTP header's name */
          g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                       _("“%s” is not an HTTP header’s name."), self->headers[i]);
          return FALSE;
        }
    }
  return TRUE;
}

static void
add_strv (JsonBuilder *builder,
          const char  *member,
          GStrv        strv)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
}

/* Returns: (transfer full): the server as it is stored (no secret in it) */
JsonNode *
byok_mcp_server_config_to_json (const ByokMcpServerConfig *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_set_member_name (builder, "transport");
  json_builder_add_string_value (builder, byok_mcp_transport_kind_to_string (self->transport));
  if (self->transport == BYOK_MCP_TRANSPORT_STDIO)
    {
      json_builder_set_member_name (builder, "command");
      json_builder_add_string_value (builder, self->command);
      add_strv (builder, "args", self->args);
      add_strv (builder, "env", self->env);
    }
  else
    {
      json_builder_set_member_name (builder, "url");
      json_builder_add_string_value (builder, self->url);
      json_builder_set_member_name (builder, "token");
      json_builder_add_boolean_value (builder, self->has_token);
      add_strv (builder, "headers", self->headers);
    }
  json_builder_set_member_name (builder, "enabled");
  json_builder_add_boolean_value (builder, self->enabled);
  add_strv (builder, "disabled_tools", self->disabled_tools);
  add_strv (builder, "always_allow", self->always_allow);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static GStrv
dup_strv_or_empty (GStrv strv)
{
  return strv != NULL ? strv : g_new0 (char *, 1);
}

/**
 * byok_mcp_server_config_new_from_json:
 * @object: one server as byok_mcp_server_config_to_json() wrote it
 * @where: the file, for messages
 *
 * Strict: an unknown member or a wrong type fails with
 * %BYOK_ERROR_MALFORMED.
 */
ByokMcpServerConfig *
byok_mcp_server_config_new_from_json (JsonObject  *object,
                                      const char  *where,
                                      GError     **error)
{
  static const char * const allowed[] = {
    "name", "transport", "command", "args", "env", "url", "token", "headers", "enabled",
    "disabled_tools", "always_allow", NULL
  };
  g_autoptr(ByokMcpServerConfig) self = byok_mcp_server_config_new (NULL, BYOK_MCP_TRANSPORT_STDIO);
  g_autofree char *transport = NULL;

  if (!byok_json_expect_members (object, allowed, where, error) ||
      !byok_json_expect_string (object, "name", TRUE, where, &self->name, error) ||
      !byok_json_expect_string (object, "transport", TRUE, where, &transport, error))
    return NULL;
  g_strfreev (self->args);
  g_strfreev (self->env);
  g_strfreev (self->headers);
  g_strfreev (self->disabled_tools);
  g_strfreev (self->always_allow);
  self->args = self->env = self->headers = self->disabled_tools = self->always_allow = NULL;
  if (!byok_json_expect_string (object, "command", FALSE, where, &self->command, error) ||
      !byok_json_expect_strv (object, "args", where, &self->args, error) ||
      !byok_json_expect_strv (object, "env", where, &self->env, error) ||
      !byok_json_expect_string (object, "url", FALSE, where, &self->url, error) ||
      !byok_json_expect_strv (object, "headers", where, &self->headers, error) ||
      !byok_json_expect_strv (object, "disabled_tools", where, &self->disabled_tools, error) ||
      !byok_json_expect_strv (object, "always_allow", where, &self->always_allow, error))
    return NULL;
  self->args = dup_strv_or_empty (self->args);
  self->env = dup_strv_or_empty (self->env);
  self->headers = dup_strv_or_empty (self->headers);
  self->disabled_tools = dup_strv_or_empty (self->disabled_tools);
  self->always_allow = dup_strv_or_empty (self->always_allow);
  if (json_object_has_member (object, "enabled") &&
      !byok_json_expect_bool (object, "enabled", where, &self->enabled, error))
    return NULL;
  if (json_object_has_member (object, "token") &&
      !byok_json_expect_bool (object, "token", where, &self->has_token, error))
    return NULL;

  if (g_str_equal (transport, "http"))
    self->transport = BYOK_MCP_TRANSPORT_HTTP;
  else if (!g_str_equal (transport, "stdio"))
    {
      /* Translators: %s is what the file has as a transport */
      byok_json_set_malformed (error, where, _("unknown transport “%s”"), transport);
      return NULL;
    }
  if (!byok_mcp_server_config_validate (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

gboolean
byok_mcp_server_config_tool_enabled (const ByokMcpServerConfig *self,
                                     const char                *tool)
{
  return !g_strv_contains ((const char * const *) self->disabled_tools, tool);
}

gboolean
byok_mcp_server_config_tool_always_allowed (const ByokMcpServerConfig *self,
                                            const char                *tool)
{
  return g_strv_contains ((const char * const *) self->always_allow, tool);
}

static void
strv_set (GStrv      *strv,
          const char *item,
          gboolean    present)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; (*strv)[i] != NULL; i++)
    {
      if (!g_str_equal ((*strv)[i], item))
        g_strv_builder_add (builder, (*strv)[i]);
    }
  if (present)
    g_strv_builder_add (builder, item);
  g_strfreev (*strv);
  *strv = g_strv_builder_end (builder);
}

void
byok_mcp_server_config_set_tool_enabled (ByokMcpServerConfig *self,
                                         const char          *tool,
                                         gboolean             enabled)
{
  strv_set (&self->disabled_tools, tool, !enabled);
}

void
byok_mcp_server_config_set_tool_always_allow (ByokMcpServerConfig *self,
                                              const char          *tool,
                                              gboolean             always)
{
  strv_set (&self->always_allow, tool, always);
}
