/* byok-mcp-server-dialog.c — asks for an MCP server, new or to edit */
#define G_LOG_DOMAIN "byok-preferences"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "byok-a11y.h"
#include "byok-glib.h"
#include "byok-mcp-server-dialog.h"
#include "byok-mcp-tool.h"

#define MASK "••••••••"

typedef enum {
  SECRET_ENV,
  SECRET_HEADER,
  SECRET_TOKEN,
} SecretKind;

/* One environment variable, header or the token: stored (its value in
 * the keyring, shown masked) or new; replaced when its entry is shown
 * and not empty. */
typedef struct {
  SecretKind  kind;
  char       *name;      /* "" for the token */
  gboolean    stored;
  gboolean    removed;
  GtkWidget  *masked;    /* AdwActionRow, when stored */
  GtkWidget  *entry;     /* AdwPasswordEntryRow, when new or being replaced */
} Secret;

struct _ByokMcpServerDialog
{
  ByokAlertParent      parent_instance;

  AdwEntryRow         *name_row;
  AdwEntryRow         *command_row;
  AdwEntryRow         *url_row;
  GtkLabel            *secrets_heading;
  GtkListBox          *secret_list;
  AdwEntryRow         *new_name_row;

  ByokMcpServerConfig *original;   /* when editing */
  GPtrArray           *secrets;    /* Secret */
};

G_DEFINE_FINAL_TYPE (ByokMcpServerDialog, byok_mcp_server_dialog, BYOK_TYPE_ALERT_PARENT)

static void
secret_free (Secret *secret)
{
  g_free (secret->name);
  g_free (secret);
}

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
mark (AdwEntryRow *row,
      gboolean     ok)
{
  if (ok)
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
}

static ByokMcpTransportKind
transport_of (ByokMcpServerDialog *self)
{
  return byok_str_is_blank (text_of (self->url_row)) ? BYOK_MCP_TRANSPORT_STDIO : BYOK_MCP_TRANSPORT_HTTP;
}

static gboolean
secret_applies (const Secret         *secret,
                ByokMcpTransportKind  transport)
{
  if (transport == BYOK_MCP_TRANSPORT_HTTP)
    return secret->kind != SECRET_ENV;
  return secret->kind == SECRET_ENV;
}

/* The new value typed, or NULL */
static const char *
new_value (const Secret *secret)
{
  const char *text;

  if (secret->removed || secret->entry == NULL)
    return NULL;
  text = gtk_editable_get_text (GTK_EDITABLE (secret->entry));
  return *text != '\0' ? text : NULL;
}

static gboolean
secret_kept (const Secret *secret)
{
  return !secret->removed && (secret->stored || new_value (secret) != NULL);
}

static GStrv
names_kept (ByokMcpServerDialog *self,
            SecretKind           kind)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  for (guint i = 0; i < self->secrets->len; i++)
    {
      Secret *secret = g_ptr_array_index (self->secrets, i);

      if (secret->kind == kind && secret_kept (secret))
        g_strv_builder_add (names, secret->name);
    }
  return g_strv_builder_end (names);
}

/**
 * byok_mcp_server_dialog_dup_server:
 *
 * Returns: (transfer full) (nullable): the server as typed (its variable
 *   and header names those it keeps, with a stored value or a new one),
 *   or NULL while it is not one. Edited, it keeps the switches and
 *   "always allow" of the server it was.
 */
ByokMcpServerConfig *
byok_mcp_server_dialog_dup_server (ByokMcpServerDialog *self)
{
  g_autofree char *name = NULL;
  g_autofree char *url = NULL;
  const char *command;
  g_auto(GStrv) argv = NULL;
  g_autoptr(ByokMcpServerConfig) server = NULL;

  g_return_val_if_fail (BYOK_IS_MCP_SERVER_DIALOG (self), NULL);

  name = g_strstrip (g_strdup (text_of (self->name_row)));
  url = g_strstrip (g_strdup (text_of (self->url_row)));
  command = text_of (self->command_row);
  if (!byok_mcp_server_name_is_valid (name) || byok_str_is_blank (command) == byok_str_is_blank (url))
    return NULL;
  if (!byok_str_is_blank (command) && !g_shell_parse_argv (command, NULL, &argv, NULL))
    return NULL;

  server = self->original != NULL ? byok_mcp_server_config_copy (self->original)
                                  : byok_mcp_server_config_new (name, BYOK_MCP_TRANSPORT_STDIO);
  g_free (server->name);
  server->name = g_steal_pointer (&name);
  g_clear_pointer (&server->command, g_free);
  g_clear_pointer (&server->url, g_free);
  g_strfreev (server->args);
  g_strfreev (server->env);
  g_strfreev (server->headers);
  server->args = g_new0 (char *, 1);
  server->env = g_new0 (char *, 1);
  server->headers = g_new0 (char *, 1);
  server->has_token = FALSE;
  if (argv == NULL)
    {
      server->transport = BYOK_MCP_TRANSPORT_HTTP;
      server->url = g_steal_pointer (&url);
      g_strfreev (server->headers);
      server->headers = names_kept (self, SECRET_HEADER);
      for (guint i = 0; i < self->secrets->len; i++)
        {
          Secret *secret = g_ptr_array_index (self->secrets, i);

          if (secret->kind == SECRET_TOKEN && secret_kept (secret))
            server->has_token = TRUE;
        }
    }
  else
    {
      server->transport = BYOK_MCP_TRANSPORT_STDIO;
      server->command = g_strdup (argv[0]);
      g_strfreev (server->args);
      server->args = g_strdupv (argv + 1);
      g_strfreev (server->env);
      server->env = names_kept (self, SECRET_ENV);
    }
  if (!byok_mcp_server_config_validate (server, NULL))
    return NULL;
  return g_steal_pointer (&server);
}

/**
 * byok_mcp_server_dialog_dup_secrets:
 *
 * Returns: (transfer full): the values typed, new or replacing stored
 *   ones, for the server as byok_mcp_server_dialog_dup_server() gives it
 */
ByokMcpSecrets *
byok_mcp_server_dialog_dup_secrets (ByokMcpServerDialog *self)
{
  ByokMcpSecrets *secrets = byok_mcp_secrets_new ();
  ByokMcpTransportKind transport;

  g_return_val_if_fail (BYOK_IS_MCP_SERVER_DIALOG (self), secrets);

  transport = transport_of (self);
  for (guint i = 0; i < self->secrets->len; i++)
    {
      Secret *secret = g_ptr_array_index (self->secrets, i);
      const char *value = new_value (secret);

      if (value == NULL || !secret_applies (secret, transport))
        continue;
      if (secret->kind == SECRET_ENV)
        byok_mcp_secrets_set_env (secrets, secret->name, value);
      else if (secret->kind == SECRET_HEADER)
        byok_mcp_secrets_set_header (secrets, secret->name, value);
      else
        byok_mcp_secrets_set_token (secrets, value);
    }
  return secrets;
}

/* The name the server had, when editing */
const char *
byok_mcp_server_dialog_get_old_name (ByokMcpServerDialog *self)
{
  g_return_val_if_fail (BYOK_IS_MCP_SERVER_DIALOG (self), NULL);
  return self->original != NULL ? self->original->name : NULL;
}

static void
on_input_changed (ByokMcpServerDialog *self)
{
  g_autoptr(ByokMcpServerConfig) server = byok_mcp_server_dialog_dup_server (self);
  g_autofree char *name = g_strstrip (g_strdup (text_of (self->name_row)));
  ByokMcpTransportKind transport = transport_of (self);

  mark (self->name_row, *name == '\0' || byok_mcp_server_name_is_valid (name));
  byok_alert_set_response_enabled (GTK_WIDGET (self), BYOK_MCP_SERVER_DIALOG_RESPONSE_ADD, server != NULL);

  /* A program's environment, or a URL's headers and token. */
  gtk_label_set_text (self->secrets_heading, transport == BYOK_MCP_TRANSPORT_HTTP ? _("Headers and Bearer Token")
                                                                                  : _("Environment Variables"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->secret_list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_label_get_text (self->secrets_heading), -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->new_name_row),
                                 transport == BYOK_MCP_TRANSPORT_HTTP ? _("New Header’s Name")
                                                                      : _("New Variable’s Name"));
  for (guint i = 0; i < self->secrets->len; i++)
    {
      Secret *secret = g_ptr_array_index (self->secrets, i);
      gboolean shown = !secret->removed && secret_applies (secret, transport);

      if (secret->masked != NULL)
        gtk_widget_set_visible (secret->masked, shown && secret->entry == NULL);
      if (secret->entry != NULL)
        gtk_widget_set_visible (secret->entry, shown);
    }
}

static void
on_entry_activated (ByokMcpServerDialog *self)
{
  g_autoptr(ByokMcpServerConfig) server = byok_mcp_server_dialog_dup_server (self);

  if (server != NULL)
    byok_alert_response (GTK_WIDGET (self), BYOK_MCP_SERVER_DIALOG_RESPONSE_ADD);
}

/* ---- the secrets' rows ---------------------------------------------------- */

static const char *
title_of (const Secret *secret)
{
  return secret->kind == SECRET_TOKEN ? _("Bearer Token") : secret->name;
}

static Secret *
secret_of (GtkWidget           *widget,
           ByokMcpServerDialog *self)
{
  return g_ptr_array_index (self->secrets, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (widget), "byok-secret")));
}

/* The secret alone, without its rows */
static guint
secret_append (ByokMcpServerDialog *self,
               SecretKind           kind,
               const char          *name,
               gboolean             stored)
{
  Secret *secret = g_new0 (Secret, 1);

  secret->kind = kind;
  secret->name = g_strdup (name);
  secret->stored = stored;
  g_ptr_array_add (self->secrets, secret);
  return self->secrets->len - 1;
}

static GtkWidget *add_entry (ByokMcpServerDialog *self,
                             guint                index,
                             GtkWidget           *before);

static void
remove_secret_clicked_cb (GtkButton           *button,
                          ByokMcpServerDialog *self)
{
  Secret *secret = secret_of (GTK_WIDGET (button), self);
  GtkWidget *focus = GTK_WIDGET (self->new_name_row);

  secret->removed = TRUE;
  /* A variable or header comes back through its name; the token has
   * none, so the empty entry for a new one takes the removed one's place. */
  if (secret->kind == SECRET_TOKEN)
    {
      GtkWidget *place = secret->masked != NULL ? secret->masked : secret->entry;

      focus = add_entry (self, secret_append (self, SECRET_TOKEN, "", FALSE), place);
    }
  on_input_changed (self);
  gtk_widget_grab_focus (focus);
}

/* A flat button of a secret's row, named for a screen reader */
static GtkWidget *
secret_button_set_up (ByokMcpServerDialog *self,
                      GtkWidget           *button,
                      guint                index,
                      const char          *tooltip,
                      const char          *accessible,
                      GCallback            clicked)
{
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  g_object_set_data (G_OBJECT (button), "byok-secret", GUINT_TO_POINTER (index));
  g_signal_connect_object (button, "clicked", clicked, self, 0);
  return button;
}

static GtkWidget *
remove_button_new (ByokMcpServerDialog *self,
                   guint                index)
{
  Secret *secret = g_ptr_array_index (self->secrets, index);
  /* Translators: %s is an environment variable's or header's name, or "Bearer Token" */
  g_autofree char *accessible = g_strdup_printf (_("Remove %s"), title_of (secret));

  return secret_button_set_up (self, gtk_button_new_from_icon_name ("user-trash-symbolic"), index,
                               _("Remove"), accessible, G_CALLBACK (remove_secret_clicked_cb));
}

/* A row goes where @before is (a masked value given way to its new
 * one, a removed token to the entry for another), else last before the
 * new name's row. */
static void
insert_row (ByokMcpServerDialog *self,
            GtkWidget           *row,
            GtkWidget           *before)
{
  GtkWidget *at = before != NULL ? before : GTK_WIDGET (self->new_name_row);

  gtk_list_box_insert (self->secret_list, row, gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (at)));
}

/* A password entry for a new value, where @before is or last. */
static GtkWidget *
add_entry (ByokMcpServerDialog *self,
           guint                index,
           GtkWidget           *before)
{
  Secret *secret = g_ptr_array_index (self->secrets, index);
  GtkWidget *entry = adw_password_entry_row_new ();
  g_autofree char *title = NULL;

  if (secret->stored)
    /* Translators: %s is an environment variable's or header's name, or "Bearer Token" */
    title = g_strdup_printf (_("New Value of %s"), title_of (secret));
  else
    title = g_strdup (title_of (secret));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (entry), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), title);
  g_object_set_data (G_OBJECT (entry), "byok-secret", GUINT_TO_POINTER (index));
  if (secret->kind != SECRET_TOKEN || secret->stored)
    adw_entry_row_add_suffix (ADW_ENTRY_ROW (entry), remove_button_new (self, index));
  g_signal_connect_object (entry, "changed", G_CALLBACK (on_input_changed), self, G_CONNECT_SWAPPED);
  byok_a11y_set_up_entry_row (ADW_ENTRY_ROW (entry));
  insert_row (self, entry, before);
  secret->entry = entry;
  return entry;
}

static void
replace_clicked_cb (GtkButton           *button,
                    ByokMcpServerDialog *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "byok-secret"));
  Secret *secret = g_ptr_array_index (self->secrets, index);

  if (secret->entry == NULL)
    add_entry (self, index, secret->masked);
  on_input_changed (self);
  gtk_widget_grab_focus (secret->entry);
}

/* The secret with its row: masked when stored, else an entry */
static guint
secret_add (ByokMcpServerDialog *self,
            SecretKind           kind,
            const char          *name,
            gboolean             stored)
{
  guint index = secret_append (self, kind, name, stored);
  Secret *secret = g_ptr_array_index (self->secrets, index);

  if (stored)
    {
      GtkWidget *row = adw_action_row_new ();
      /* Translators: %s is an environment variable's or header's name, or "Bearer Token" */
      g_autofree char *replace = g_strdup_printf (_("Replace the value of %s"), title_of (secret));

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title_of (secret));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), MASK);
      gtk_widget_set_tooltip_text (row, _("Kept in the keyring; never shown"));
      g_object_set_data (G_OBJECT (row), "byok-secret", GUINT_TO_POINTER (index));

      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 secret_button_set_up (self, gtk_button_new_with_mnemonic (_("_Replace…")), index,
                                                       _("Type a new value"), replace,
                                                       G_CALLBACK (replace_clicked_cb)));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove_button_new (self, index));
      insert_row (self, row, NULL);
      secret->masked = row;
    }
  else
    add_entry (self, index, NULL);
  return index;
}

static gboolean
secret_named (ByokMcpServerDialog *self,
              SecretKind           kind,
              const char          *name)
{
  for (guint i = 0; i < self->secrets->len; i++)
    {
      Secret *secret = g_ptr_array_index (self->secrets, i);

      if (!secret->removed && secret->kind == kind &&
          (kind == SECRET_HEADER ? g_ascii_strcasecmp (secret->name, name) == 0 : g_str_equal (secret->name, name)))
        return TRUE;
    }
  return FALSE;
}

/* A new variable or header: its name, then its value in a password entry. */
static void
on_new_name_applied (ByokMcpServerDialog *self)
{
  g_autofree char *name = g_strstrip (g_strdup (text_of (self->new_name_row)));
  ByokMcpTransportKind transport = transport_of (self);
  SecretKind kind = transport == BYOK_MCP_TRANSPORT_HTTP ? SECRET_HEADER : SECRET_ENV;
  guint index;

  if (!byok_mcp_server_config_secret_name_is_valid (transport, name) || secret_named (self, kind, name))
    {
      mark (self->new_name_row, FALSE);
      return;
    }
  mark (self->new_name_row, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->new_name_row), "");
  index = secret_add (self, kind, name, FALSE);
  on_input_changed (self);
  gtk_widget_grab_focus (((Secret *) g_ptr_array_index (self->secrets, index))->entry);
}

/* ---- object --------------------------------------------------------------- */

static void
byok_mcp_server_dialog_finalize (GObject *object)
{
  ByokMcpServerDialog *self = BYOK_MCP_SERVER_DIALOG (object);

  g_clear_pointer (&self->original, byok_mcp_server_config_free);
  g_clear_pointer (&self->secrets, g_ptr_array_unref);
  G_OBJECT_CLASS (byok_mcp_server_dialog_parent_class)->finalize (object);
}

static void
byok_mcp_server_dialog_class_init (ByokMcpServerDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = byok_mcp_server_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-mcp-server-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokMcpServerDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, ByokMcpServerDialog, command_row);
  gtk_widget_class_bind_template_child (widget_class, ByokMcpServerDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, ByokMcpServerDialog, secrets_heading);
  gtk_widget_class_bind_template_child (widget_class, ByokMcpServerDialog, secret_list);
  gtk_widget_class_bind_template_child (widget_class, ByokMcpServerDialog, new_name_row);
  gtk_widget_class_bind_template_callback (widget_class, on_input_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_new_name_applied);
}

static void
byok_mcp_server_dialog_init (ByokMcpServerDialog *self)
{
  self->secrets = g_ptr_array_new_with_free_func ((GDestroyNotify) secret_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  byok_a11y_fix_mnemonic_buttons (GTK_WIDGET (self));
  byok_a11y_set_up_entry_row (self->name_row);
  byok_a11y_set_up_entry_row (self->command_row);
  byok_a11y_set_up_entry_row (self->url_row);
  byok_a11y_set_up_entry_row (self->new_name_row);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_row), _("Letters, digits, “-” and “_”, up to 32"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->command_row), _("For example: npx -y @modelcontextprotocol/server-filesystem ~/Documents"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->new_name_row), _("Type the name, press Enter, then type its value"));
  /* A URL's token, whether or not it has one yet. */
  secret_add (self, SECRET_TOKEN, "", FALSE);
  on_input_changed (self);
}

ByokMcpServerDialog *
byok_mcp_server_dialog_new (void)
{
  return g_object_new (BYOK_TYPE_MCP_SERVER_DIALOG, NULL);
}

/* A word as the shell would read it back: quoted only when it must be. */
static void
append_word (GString    *line,
             const char *word)
{
  gboolean plain = *word != '\0';

  for (const char *p = word; *p != '\0' && plain; p++)
    plain = g_ascii_isalnum (*p) || strchr ("@%+=:,./_-~", *p) != NULL;
  if (line->len > 0)
    g_string_append_c (line, ' ');
  if (plain)
    g_string_append (line, word);
  else
    {
      g_autofree char *quoted = g_shell_quote (word);

      g_string_append (line, quoted);
    }
}

/**
 * byok_mcp_server_dialog_new_for_server:
 * @server: the server to edit
 *
 * The same dialog, filled in: its stored values show masked.
 */
ByokMcpServerDialog *
byok_mcp_server_dialog_new_for_server (const ByokMcpServerConfig *server)
{
  ByokMcpServerDialog *self = byok_mcp_server_dialog_new ();
  g_autoptr(GString) command = g_string_new (NULL);
  Secret *token = g_ptr_array_index (self->secrets, 0);

  g_return_val_if_fail (server != NULL, self);

  self->original = byok_mcp_server_config_copy (server);
  g_object_set (self, "heading", _("Edit MCP Server"),
                "body", _("Values of variables, headers and the token stay in the keyring and are never shown: replace or remove them here."),
                NULL);
  byok_alert_set_response_label (GTK_WIDGET (self), BYOK_MCP_SERVER_DIALOG_RESPONSE_ADD, _("_Save"));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), server->name);
  if (server->transport == BYOK_MCP_TRANSPORT_HTTP)
    gtk_editable_set_text (GTK_EDITABLE (self->url_row), server->url != NULL ? server->url : "");
  else
    {
      append_word (command, server->command != NULL ? server->command : "");
      for (guint i = 0; server->args[i] != NULL; i++)
        append_word (command, server->args[i]);
      gtk_editable_set_text (GTK_EDITABLE (self->command_row), command->str);
    }
  for (guint i = 0; server->env[i] != NULL; i++)
    secret_add (self, SECRET_ENV, server->env[i], TRUE);
  for (guint i = 0; server->headers[i] != NULL; i++)
    secret_add (self, SECRET_HEADER, server->headers[i], TRUE);
  if (server->has_token)
    {
      /* The empty entry for a first token gives way to the masked one. */
      gtk_list_box_remove (self->secret_list, token->entry);
      token->entry = NULL;
      token->removed = TRUE;
      secret_add (self, SECRET_TOKEN, "", TRUE);
    }
  on_input_changed (self);
  return self;
}
