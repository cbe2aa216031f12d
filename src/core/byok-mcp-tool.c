/* byok-mcp-tool.c — one tool of an MCP server, as Byok offers it */
#define G_LOG_DOMAIN "byok-mcp"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "byok-error.h"
#include "byok-json.h"
#include "byok-mcp-tool.h"

#define SEPARATOR "__"
#define HASH_LEN 8

struct _ByokMcpTool
{
  GObject parent_instance;

  char *server;
  char *name;
  char *title;
  char *description;
  JsonNode *input_schema;
  char *model_name;
  gboolean read_only;
  gboolean destructive;
  gboolean enabled;
  gboolean always_allow;
};

G_DEFINE_FINAL_TYPE (ByokMcpTool, byok_mcp_tool, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ENABLED,
  PROP_ALWAYS_ALLOW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
byok_mcp_tool_finalize (GObject *object)
{
  ByokMcpTool *self = BYOK_MCP_TOOL (object);

  g_free (self->server);
  g_free (self->name);
  g_free (self->title);
  g_free (self->description);
  g_clear_pointer (&self->input_schema, json_node_unref);
  g_free (self->model_name);
  G_OBJECT_CLASS (byok_mcp_tool_parent_class)->finalize (object);
}

static void
byok_mcp_tool_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ByokMcpTool *self = BYOK_MCP_TOOL (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;
    case PROP_ALWAYS_ALLOW:
      g_value_set_boolean (value, self->always_allow);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_mcp_tool_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  ByokMcpTool *self = BYOK_MCP_TOOL (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      byok_mcp_tool_set_enabled (self, g_value_get_boolean (value));
      break;
    case PROP_ALWAYS_ALLOW:
      byok_mcp_tool_set_always_allow (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_mcp_tool_class_init (ByokMcpToolClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = byok_mcp_tool_finalize;
  object_class->get_property = byok_mcp_tool_get_property;
  object_class->set_property = byok_mcp_tool_set_property;

  properties[PROP_ENABLED] =
    g_param_spec_boolean ("enabled", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ALWAYS_ALLOW] =
    g_param_spec_boolean ("always-allow", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
byok_mcp_tool_init (ByokMcpTool *self)
{
  self->enabled = TRUE;
}

static char *
dup_text (JsonObject *object,
          const char *member)
{
  const char *value = byok_json_get_string (object, member);

  return value != NULL && *value != '\0' ? g_strdup (value) : NULL;
}

/**
 * byok_mcp_tool_new_from_json:
 * @server: the server's name
 * @object: one element of `tools/list`'s `tools`
 *
 * Returns: (transfer full): the tool, or %NULL with %BYOK_ERROR_MALFORMED
 *   when it has no name
 */
ByokMcpTool *
byok_mcp_tool_new_from_json (const char  *server,
                             JsonObject  *object,
                             GError     **error)
{
  g_autoptr(ByokMcpTool) self = NULL;
  const char *name = object != NULL ? byok_json_get_string (object, "name") : NULL;
  JsonObject *schema, *annotations;

  if (name == NULL || *name == '\0' || strlen (name) > 1024)
    {
      /* Translators: %s is an MCP server's name */
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                   _("The MCP server “%s” listed a tool without a valid name."), server);
      return NULL;
    }

  self = g_object_new (BYOK_TYPE_MCP_TOOL, NULL);
  self->server = g_strdup (server);
  self->name = g_strdup (name);
  self->description = dup_text (object, "description");
  self->title = dup_text (object, "title");
  annotations = byok_json_get_object (object, "annotations");
  if (annotations != NULL)
    {
      if (self->title == NULL)
        self->title = dup_text (annotations, "title");
      byok_json_get_bool (annotations, "readOnlyHint", &self->read_only);
      byok_json_get_bool (annotations, "destructiveHint", &self->destructive);
    }

  /* A model is always given an object schema. */
  schema = byok_json_get_object (object, "inputSchema");
  if (schema != NULL)
    self->input_schema = json_node_copy (json_object_get_member (object, "inputSchema"));
  else
    {
      JsonObject *empty = json_object_new ();

      json_object_set_string_member (empty, "type", "object");
      self->input_schema = json_node_init_object (json_node_alloc (), empty);
      json_object_unref (empty);
    }
  self->model_name = byok_mcp_tool_model_name (server, name);
  return g_steal_pointer (&self);
}

const char *
byok_mcp_tool_get_server (ByokMcpTool *self)
{
  g_return_val_if_fail (BYOK_IS_MCP_TOOL (self), NULL);
  return self->server;
}

/* The tool's own name on its server */
const char *
byok_mcp_tool_get_name (ByokMcpTool *self)
{
  g_return_val_if_fail (BYOK_IS_MCP_TOOL (self), NULL);
  return self->name;
}

/* A human-readable title, or NULL */
const char *
byok_mcp_tool_get_title (ByokMcpTool *self)
{
  g_return_val_if_fail (BYOK_IS_MCP_TOOL (self), NULL);
  return self->title;
}

const char *
byok_mcp_tool_get_description (ByokMcpTool *self)
{
  g_return_val_if_fail (BYOK_IS_MCP_TOOL (self), NULL);
  return self->description;
}

/* Returns: (transfer none): the JSON Schema of the arguments, an object */
JsonNode *
byok_mcp_tool_get_input_schema (ByokMcpTool *self)
{
  g_return_val_if_fail (BYOK_IS_MCP_TOOL (self), NULL);
  return self->input_schema;
}

char *
byok_mcp_tool_dup_input_schema_json (ByokMcpTool *self)
{
  g_return_val_if_fail (BYOK_IS_MCP_TOOL (self), NULL);
  return json_to_string (self->input_schema, FALSE);
}

/* The name a model calls the tool by (see the header) */
const char *
byok_mcp_tool_get_model_name (ByokMcpTool *self)
{
  g_return_val_if_fail (BYOK_IS_MCP_TOOL (self), NULL);
  return self->model_name;
}

/* The server's hints: reads only / may destroy. Hints, not promises. */
gboolean
byok_mcp_tool_get_read_only_hint (ByokMcpTool *self)
{
  g_return_val_if_fail (BYOK_IS_MCP_TOOL (self), FALSE);
  return self->read_only;
}

gboolean
byok_mcp_tool_get_destructive_hint (ByokMcpTool *self)
{
  g_return_val_if_fail (BYOK_IS_MCP_TOOL (self), FALSE);
  return self->destructive;
}

gboolean
byok_mcp_tool_get_enabled (ByokMcpTool *self)
{
  g_return_val_if_fail (BYOK_IS_MCP_TOOL (self), FALSE);
  return self->enabled;
}

/* Only what the list shows: ByokMcpConfig keeps the setting. */
void
byok_mcp_tool_set_enabled (ByokMcpTool *self,
                           gboolean     enabled)
{
  g_return_if_fail (BYOK_IS_MCP_TOOL (self));
  enabled = !!enabled;
  if (self->enabled == enabled)
    return;
  self->enabled = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
}

gboolean
byok_mcp_tool_get_always_allow (ByokMcpTool *self)
{
  g_return_val_if_fail (BYOK_IS_MCP_TOOL (self), FALSE);
  return self->always_allow;
}

void
byok_mcp_tool_set_always_allow (ByokMcpTool *self,
                                gboolean     always_allow)
{
  g_return_if_fail (BYOK_IS_MCP_TOOL (self));
  always_allow = !!always_allow;
  if (self->always_allow == always_allow)
    return;
  self->always_allow = always_allow;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALWAYS_ALLOW]);
}

/* ---- names ---- */

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '-';
}

/**
 * byok_mcp_server_name_is_valid:
 *
 * Whether @name can name a server: 1 to %BYOK_MCP_SERVER_NAME_MAX
 * letters, digits, "_" and "-", without "__" and not ending in "_".
 */
gboolean
byok_mcp_server_name_is_valid (const char *name)
{
  gsize len;

  if (name == NULL)
    return FALSE;
  len = strlen (name);
  if (len == 0 || len > BYOK_MCP_SERVER_NAME_MAX || name[len - 1] == '_' || strstr (name, SEPARATOR) != NULL)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    {
      if (!is_name_char (*p))
        return FALSE;
    }
  return TRUE;
}

/**
 * byok_mcp_tool_model_name:
 * @server: a valid server name
 * @tool: the tool's name on the server
 *
 * Returns: (transfer full): the name a model calls the tool by
 */
char *
byok_mcp_tool_model_name (const char *server,
                          const char *tool)
{
  GString *name = g_string_new (server);
  gboolean lossless = TRUE;
  gsize room;

  g_string_append (name, SEPARATOR);
  for (const char *p = tool; *p != '\0'; p++)
    {
      if (!is_name_char (*p))
        lossless = FALSE;
      g_string_append_c (name, is_name_char (*p) ? *p : '_');
    }
  if (lossless && name->len <= BYOK_MCP_MODEL_NAME_MAX && *tool != '\0')
    return g_string_free (name, FALSE);

  {
    g_autofree char *key = g_strconcat (server, "\n", tool, NULL);
    g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);

    room = BYOK_MCP_MODEL_NAME_MAX - 1 - HASH_LEN;
    if (name->len > room)
      g_string_truncate (name, room);
    g_string_append_c (name, '-');
    g_string_append_len (name, hash, HASH_LEN);
  }
  return g_string_free (name, FALSE);
}

/* Returns: (transfer full) (nullable): the server a model-visible name
 * names, or NULL when it is not one */
char *
byok_mcp_tool_model_name_server (const char *model_name)
{
  const char *sep = model_name != NULL ? strstr (model_name, SEPARATOR) : NULL;
  g_autofree char *server = NULL;

  if (sep == NULL)
    return NULL;
  server = g_strndup (model_name, sep - model_name);
  return byok_mcp_server_name_is_valid (server) ? g_steal_pointer (&server) : NULL;
}
