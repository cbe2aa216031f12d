/* byok-provider-row.c — one provider on the Providers page
 *
 * The header shows the provider's name and where the key it uses comes
 * from, masked, with the result of its last check. Expanded, the row adds or
 * replaces the key (stored in the keyring and checked at once), lists every
 * key in a ByokKeyRow (whose row.check and row.delete come back here as
 * provider.check-key and provider.delete-key), the recent key history, the
 * provider's settings (byok-provider-row-settings.c) and for a custom
 * provider a remove button.
 *
 * A key is never shown: keys are wiped from memory as soon as the keyring
 * lists them, and only their masked form is kept.
 */
#define G_LOG_DOMAIN "byok-providers-page"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-a11y.h"
#include "byok-balance-group.h"
#include "byok-error.h"
#include "byok-format.h"
#include "byok-key-format.h"
#include "byok-key-row.h"
#include "byok-provider-row-private.h"
#include "byok-compat.h"

#define HISTORY_LENGTH 5

G_DEFINE_ENUM_TYPE (ByokProviderStatus, byok_provider_status,
  G_DEFINE_ENUM_VALUE (BYOK_PROVIDER_STATUS_LOADING, "loading"),
  G_DEFINE_ENUM_VALUE (BYOK_PROVIDER_STATUS_NOT_SET, "not-set"),
  G_DEFINE_ENUM_VALUE (BYOK_PROVIDER_STATUS_NO_KEY_NEEDED, "no-key-needed"),
  G_DEFINE_ENUM_VALUE (BYOK_PROVIDER_STATUS_ENVIRONMENT, "environment"),
  G_DEFINE_ENUM_VALUE (BYOK_PROVIDER_STATUS_KEYRING, "keyring"),
  G_DEFINE_ENUM_VALUE (BYOK_PROVIDER_STATUS_CHECKING, "checking"),
  G_DEFINE_ENUM_VALUE (BYOK_PROVIDER_STATUS_VALID, "valid"),
  G_DEFINE_ENUM_VALUE (BYOK_PROVIDER_STATUS_REJECTED, "rejected"),
  G_DEFINE_ENUM_VALUE (BYOK_PROVIDER_STATUS_CHECK_FAILED, "check-failed"),
  G_DEFINE_ENUM_VALUE (BYOK_PROVIDER_STATUS_KEYRING_ERROR, "keyring-error"))

/* The result of the last check of one key. */
typedef struct {
  gint64         time_us;
  gboolean       ok;
  ByokErrorCode  code;          /* when !ok */
  char          *error_class;   /* when !ok: "AUTH", … */
  char          *message;       /* when !ok; never a key */
} Check;

static void
check_free (gpointer data)
{
  Check *check = data;

  g_free (check->error_class);
  g_free (check->message);
  g_free (check);
}

G_DEFINE_FINAL_TYPE (ByokProviderRow, byok_provider_row, ADW_TYPE_EXPANDER_ROW)

enum {
  PROP_0,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void run_check (ByokProviderRow *self, const char *account);

/* ---- async operations that outlive nothing ------------------------------- */

ByokProviderRowOp *
_byok_provider_row_op_new (ByokProviderRow *self,
                           const char      *account)
{
  ByokProviderRowOp *op = g_new0 (ByokProviderRowOp, 1);

  g_weak_ref_init (&op->row, self);
  op->account = g_strdup (account);
  return op;
}

void
_byok_provider_row_op_free (ByokProviderRowOp *op)
{
  g_weak_ref_clear (&op->row);
  g_free (op->account);
  g_free (op);
}

ByokProviderRow *
_byok_provider_row_op_get (ByokProviderRowOp *op)
{
  ByokProviderRow *self = g_weak_ref_get (&op->row);

  if (self != NULL && self->disposed)
    g_clear_object (&self);
  return self;
}

/* The row an operation ended for: NULL when the row is gone or the
 * operation was cancelled (nothing is to be shown then). */
ByokProviderRow *
_byok_provider_row_op_finish (ByokProviderRowOp *op,
                              const GError      *error)
{
  if (g_error_matches (error, BYOK_ERROR, BYOK_ERROR_CANCELLED))
    return NULL;
  return _byok_provider_row_op_get (op);
}

/* ---- asking first -------------------------------------------------------- */

/* What a row does once the person confirmed: with the key's account */
typedef void (*ConfirmedFunc) (ByokProviderRow *self,
                               const char      *account);

typedef struct {
  ByokProviderRowOp *op;          /* the row, weakly, and the account */
  const char        *confirm_id;
  ConfirmedFunc      confirmed;
} Question;

static void
question_free (gpointer  data,
               GClosure *closure)
{
  Question *question = data;

  _byok_provider_row_op_free (question->op);
  g_free (question);
}

static void
question_response (GtkWidget  *dialog,
                   const char *response,
                   Question   *question)
{
  g_autoptr(ByokProviderRow) self = _byok_provider_row_op_get (question->op);

  if (self != NULL && g_strcmp0 (response, question->confirm_id) == 0)
    question->confirmed (self, question->op->account);
}

/* A destructive question: @confirmed runs when the answer is @confirm_id
 * (a static string) and the row is still there. */
static void
ask_first (ByokProviderRow *self,
           const char      *heading,
           const char      *body,
           const char      *confirm_id,
           const char      *confirm_label,
           const char      *account,
           ConfirmedFunc    confirmed)
{
  GtkWidget *dialog = byok_alert_new_confirm (heading, body, confirm_id, confirm_label);
  Question *question = g_new0 (Question, 1);

  question->op = _byok_provider_row_op_new (self, account);
  question->confirm_id = confirm_id;
  question->confirmed = confirmed;
  g_signal_connect_data (dialog, "response", G_CALLBACK (question_response), question, question_free, 0);
  byok_alert_present (dialog, GTK_WIDGET (self));
}

/* ---- helpers ------------------------------------------------------------- */

void
_byok_provider_row_toast (ByokProviderRow *self,
                          const char      *text)
{
  if (!gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", text))
    g_debug ("no window to show a toast in");
}

static const char *
provider_id (ByokProviderRow *self)
{
  return byok_provider_get_id (self->provider);
}

static const char *
provider_name (ByokProviderRow *self)
{
  return byok_provider_get_name (self->provider);
}

static const char *
account_key (const char *account)
{
  return account != NULL ? account : "";
}

/* "just now", "5 min ago", "3 h ago", "yesterday", "12 Mar", "12 Mar 2024" */
static char *
format_ago (gint64 time_us)
{
  gint64 seconds = (g_get_real_time () - time_us) / G_USEC_PER_SEC;
  g_autoptr(GDateTime) then = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (seconds < 60)
    return g_strdup (_("just now"));
  if (seconds < 3600)
    return g_strdup_printf (ngettext ("%d min ago", "%d min ago", (int) (seconds / 60)),
                            (int) (seconds / 60));
  if (seconds < 24 * 3600)
    return g_strdup_printf (ngettext ("%d hour ago", "%d hours ago", (int) (seconds / 3600)),
                            (int) (seconds / 3600));
  if (seconds < 48 * 3600)
    return g_strdup (_("yesterday"));

  then = g_date_time_new_from_unix_local (time_us / G_USEC_PER_SEC);
  now = g_date_time_new_now_local ();
  if (then == NULL || now == NULL)
    return g_strdup ("");
  if (g_date_time_get_year (then) == g_date_time_get_year (now))
    /* Translators: a date in this year, see the GDateTime format codes */
    /* xgettext:no-c-format */
    return g_date_time_format (then, _("%-d %b"));
  /* Translators: a date in another year, see the GDateTime format codes */
  /* xgettext:no-c-format */
  return g_date_time_format (then, _("%-d %b %Y"));
}

static char *
join_parts (GPtrArray *parts)
{
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

static ByokKey *
active_key (ByokProviderRow *self)
{
  for (guint i = 0; self->keys != NULL && i < self->keys->len; i++)
    {
      ByokKey *key = g_ptr_array_index (self->keys, i);

      if (byok_key_get_is_active (key))
        return key;
    }
  return NULL;
}

/* The keyring account a new key replaces: the default keyring key's, or
 * NULL ("default") when there is none. */
static const char *
replace_account (ByokProviderRow *self)
{
  for (guint i = 0; self->keys != NULL && i < self->keys->len; i++)
    {
      ByokKey *key = g_ptr_array_index (self->keys, i);

      if (byok_key_get_source (key) == BYOK_KEY_SOURCE_KEYRING && byok_key_get_is_default (key))
        return byok_key_get_account (key);
    }
  return NULL;
}

static Check *
lookup_check (ByokProviderRow *self,
              ByokKey         *key)
{
  return g_hash_table_lookup (self->checks, account_key (byok_key_get_account (key)));
}

static void
remember_check (ByokProviderRow *self,
                const char      *account,
                gint64           time_us,
                gboolean         ok,
                ByokErrorCode    code,
                const char      *error_class,
                const char      *message)
{
  Check *old = g_hash_table_lookup (self->checks, account_key (account));
  Check *check;

  if (old != NULL && old->time_us > time_us)
    return;

  check = g_new0 (Check, 1);
  check->time_us = time_us;
  check->ok = ok;
  check->code = code;
  check->error_class = g_strdup (error_class);
  check->message = g_strdup (message);
  g_hash_table_replace (self->checks, g_strdup (account_key (account)), check);
}

/* What a check said, short: "valid, checked 2 min ago". */
static char *
describe_check (const Check *check)
{
  g_autofree char *ago = format_ago (check->time_us);

  if (check->ok)
    /* Translators: %s is a time such as "2 min ago" */
    return g_strdup_printf (_("valid, checked %s"), ago);
  if (check->code == BYOK_ERROR_AUTH)
    /* Translators: %s is a time such as "2 min ago" */
    return g_strdup_printf (_("rejected, checked %s"), ago);
  /* Translators: the first %s is an error class (QUOTA, NETWORK…), the second a time */
  return g_strdup_printf (_("check failed (%s), %s"), check->error_class, ago);
}

/* ---- key events from the database ---------------------------------------- */

static char *
describe_event (const ByokKeyEventRecord *event)
{
  g_autofree char *ago = format_ago (event->time_us);
  g_autofree char *what = NULL;

  if (g_strcmp0 (event->event, "added") == 0)
    what = g_strdup (_("Added"));
  else if (g_strcmp0 (event->event, "replaced") == 0)
    what = g_strdup (_("Replaced"));
  else if (g_strcmp0 (event->event, "deleted") == 0)
    what = g_strdup (_("Deleted"));
  else if (event->result != NULL && g_ascii_strcasecmp (event->result, "ok") == 0)
    what = g_strdup (_("Checked: valid"));
  else if (event->result != NULL && g_ascii_strcasecmp (event->result, "auth") == 0)
    what = g_strdup (_("Checked: rejected"));
  else
    /* Translators: %s is an error class (QUOTA, NETWORK…) */
    what = g_strdup_printf (_("Checked: failed (%s)"), event->result != NULL ? event->result : "?");

  if (event->account != NULL && g_strcmp0 (event->account, BYOK_KEY_DEFAULT_ACCOUNT) != 0)
    /* Translators: an event, the key's name, a time: "Added (work) · 2 min ago" */
    return g_strdup_printf (_("%s (%s) · %s"), what, event->account, ago);
  /* Translators: an event and a time: "Added · 2 min ago" */
  return g_strdup_printf (_("%s · %s"), what, ago);
}

static void
load_events (ByokProviderRow *self)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) history = g_string_new (NULL);

  events = byok_usage_store_list_key_events (byok_engine_get_usage_store (self->engine),
                                             provider_id (self), 50, &error);
  if (events == NULL)
    {
      g_debug ("key events of %s: %s", provider_id (self), error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->history_row), FALSE);
      return;
    }

  for (guint i = 0; i < events->len; i++)
    {
      const ByokKeyEventRecord *event = g_ptr_array_index (events, i);

      if (i < HISTORY_LENGTH)
        {
          g_autofree char *line = describe_event (event);

          if (history->len > 0)
            g_string_append_c (history, '\n');
          g_string_append (history, line);
        }
      if (g_strcmp0 (event->event, "tested") == 0)
        {
          gboolean ok = event->result != NULL && g_ascii_strcasecmp (event->result, "ok") == 0;
          ByokErrorCode code = BYOK_ERROR_SERVER;

          if (!ok && event->result != NULL)
            byok_error_code_from_string (event->result, &code);
          remember_check (self, event->account, event->time_us, ok, code, event->result,
                          event->detail);
        }
    }

  adw_action_row_set_subtitle (self->history_row, history->str);
  gtk_widget_set_visible (GTK_WIDGET (self->history_row), history->len > 0);
}

/* ---- key rows ------------------------------------------------------------ */

static GtkWidget *
new_key_row (ByokProviderRow *self,
             ByokKey         *key)
{
  Check *check = lookup_check (self, key);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *summary = NULL;
  GtkWidget *row;

  if (check != NULL)
    g_ptr_array_add (parts, describe_check (check));
  if (check != NULL && !check->ok && check->message != NULL)
    g_ptr_array_add (parts, g_strdup (check->message));
  if (parts->len > 0)
    summary = join_parts (parts);

  row = byok_key_row_new (key, summary);
  byok_key_row_set_can_check (BYOK_KEY_ROW (row), self->n_checking == 0);
  return row;
}

static void
rebuild_key_rows (ByokProviderRow *self)
{
  GtkWidget *list = gtk_widget_get_parent (GTK_WIDGET (self->key_entry));
  int position;

  for (guint i = 0; i < self->key_rows->len; i++)
    adw_expander_row_remove (ADW_EXPANDER_ROW (self), g_ptr_array_index (self->key_rows, i));
  g_ptr_array_set_size (self->key_rows, 0);

  if (!GTK_IS_LIST_BOX (list))
    return;
  position = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (self->warning_row)) + 1;
  for (guint i = 0; self->keys != NULL && i < self->keys->len; i++)
    {
      GtkWidget *row = new_key_row (self, g_ptr_array_index (self->keys, i));

      gtk_list_box_insert (GTK_LIST_BOX (list), row, position + (int) i);
      g_ptr_array_add (self->key_rows, row);
    }
}

/* ---- status -------------------------------------------------------------- */

static ByokProviderStatus
compute_status (ByokProviderRow *self,
                ByokKey         *key)
{
  Check *check;

  if (!byok_provider_get_needs_key (self->provider))
    return BYOK_PROVIDER_STATUS_NO_KEY_NEEDED;
  if (self->n_checking > 0)
    return BYOK_PROVIDER_STATUS_CHECKING;
  if (!self->loaded)
    return BYOK_PROVIDER_STATUS_LOADING;
  if (key == NULL)
    return self->keyring_error != NULL ? BYOK_PROVIDER_STATUS_KEYRING_ERROR
                                       : BYOK_PROVIDER_STATUS_NOT_SET;
  check = lookup_check (self, key);
  if (check != NULL && check->ok)
    return BYOK_PROVIDER_STATUS_VALID;
  if (check != NULL && check->code == BYOK_ERROR_AUTH)
    return BYOK_PROVIDER_STATUS_REJECTED;
  if (check != NULL)
    return BYOK_PROVIDER_STATUS_CHECK_FAILED;
  return byok_key_get_source (key) == BYOK_KEY_SOURCE_ENVIRONMENT ? BYOK_PROVIDER_STATUS_ENVIRONMENT
                                                                  : BYOK_PROVIDER_STATUS_KEYRING;
}

static void
set_icon (ByokProviderRow *self,
          const char      *icon_name,
          const char      *css_class)
{
  static const char * const classes[] = { "success", "error", "warning", "dim-label", NULL };

  gtk_image_set_from_icon_name (self->status_icon, icon_name);
  for (guint i = 0; classes[i] != NULL; i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), classes[i]);
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), css_class);
}

/* The balance the provider told (byok-balance-monitor.h): "$4.12 left" in
 * the row's subtitle, and the whole of it in the Balance row. */
static void
add_balance_part (ByokProviderRow *self,
                  GPtrArray       *parts)
{
  ByokBalanceMonitor *monitor;
  const ByokBalance *balance;
  g_autofree char *amount = NULL;
  g_autofree char *state = NULL;
  g_autofree char *subtitle = NULL;

  if (self->engine == NULL || byok_provider_get_balance_format (self->provider) == BYOK_BALANCE_FORMAT_NONE)
    return;
  monitor = byok_balance_monitor_get_for_engine (self->engine);
  balance = byok_balance_monitor_get (monitor, byok_provider_get_id (self->provider));
  gtk_widget_set_visible (GTK_WIDGET (self->balance_row), balance != NULL);
  if (balance == NULL)
    return;
  amount = byok_balance_monitor_describe_amount (monitor, byok_provider_get_id (self->provider));
  state = byok_balance_describe_state (balance);
  subtitle = g_strdup_printf ("%s\n%s", amount, state);
  adw_action_row_set_subtitle (self->balance_row, subtitle);
  if (byok_balance_has_value (balance))
    {
      g_autofree char *left = byok_format_amount (balance->currency, balance->available);

      /* Translators: in a provider's summary: "$4.12 left" */
      g_ptr_array_add (parts, g_strdup_printf (_("%s left"), left));
    }
}

static void
on_refresh_balance_clicked (ByokProviderRow *self)
{
  if (self->engine != NULL)
    byok_balance_monitor_refresh (byok_balance_monitor_get_for_engine (self->engine),
                                  byok_provider_get_id (self->provider));
}

static void
balance_changed_cb (ByokBalanceMonitor *monitor,
                    const char         *provider_id,
                    ByokProviderRow    *self)
{
  if (g_strcmp0 (provider_id, byok_provider_get_id (self->provider)) == 0)
    _byok_provider_row_update_status (self);
}

/* How each status looks: its words (NULL: the key in use is described)
 * and its icon (NULL: the spinner shows instead), with its style class. */
static const struct {
  const char *label;
  const char *icon;
  const char *style;
} status_looks[] = {
  [BYOK_PROVIDER_STATUS_LOADING] = { N_("Looking for keys…"), "byok-key-symbolic", "dim-label" },
  [BYOK_PROVIDER_STATUS_NOT_SET] = { N_("Not set"), "byok-key-symbolic", "dim-label" },
  [BYOK_PROVIDER_STATUS_NO_KEY_NEEDED] = { N_("No key needed"), "computer-symbolic", "dim-label" },
  [BYOK_PROVIDER_STATUS_ENVIRONMENT] = { NULL, "byok-key-symbolic", NULL },
  [BYOK_PROVIDER_STATUS_KEYRING] = { NULL, "byok-key-symbolic", NULL },
  [BYOK_PROVIDER_STATUS_CHECKING] = { N_("Checking the key…"), NULL, NULL },
  [BYOK_PROVIDER_STATUS_VALID] = { NULL, "emblem-ok-symbolic", "success" },
  [BYOK_PROVIDER_STATUS_REJECTED] = { NULL, "dialog-error-symbolic", "error" },
  [BYOK_PROVIDER_STATUS_CHECK_FAILED] = { NULL, "dialog-warning-symbolic", "warning" },
  [BYOK_PROVIDER_STATUS_KEYRING_ERROR] = { N_("Keyring unavailable"), "dialog-warning-symbolic", "warning" },
};
G_STATIC_ASSERT (G_N_ELEMENTS (status_looks) == BYOK_PROVIDER_STATUS_KEYRING_ERROR + 1);

void
_byok_provider_row_update_status (ByokProviderRow *self)
{
  ByokKey *key = active_key (self);
  ByokProviderStatus status = compute_status (self, key);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *subtitle = NULL;
  Check *check = key != NULL ? lookup_check (self, key) : NULL;

  if (!byok_provider_get_enabled (self->provider))
    g_ptr_array_add (parts, g_strdup (_("Off")));

  if (status_looks[status].label != NULL)
    g_ptr_array_add (parts, g_strdup (_(status_looks[status].label)));
  else
    {
      if (byok_key_get_source (key) == BYOK_KEY_SOURCE_ENVIRONMENT)
        /* Translators: %s is an environment variable, e.g. OPENAI_API_KEY */
        g_ptr_array_add (parts, g_strdup_printf (_("From environment ($%s)"),
                                                 byok_key_get_env_var (key)));
      else
        g_ptr_array_add (parts, g_strdup (_("In keyring")));
      g_ptr_array_add (parts, g_strdup (byok_key_get_masked (key)));
      if (check != NULL)
        g_ptr_array_add (parts, describe_check (check));
      add_balance_part (self, parts);
    }
  if (status_looks[status].icon != NULL)
    set_icon (self, status_looks[status].icon, status_looks[status].style);

  subtitle = join_parts (parts);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, subtitle, -1);

  gtk_stack_set_visible_child_name (self->status_stack,
                                    status == BYOK_PROVIDER_STATUS_CHECKING ? "spinner" : "icon");
  gtk_spinner_set_spinning (self->spinner, status == BYOK_PROVIDER_STATUS_CHECKING);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->key_entry),
                                 replace_account (self) != NULL ? _("Replace Key") : _("Add Key"));

  if (status != self->status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
}

/* What the key rows would show, in short: when a listing finds the same
 * (the keyring changed elsewhere, the window came back into focus), the
 * rows stay — a button under the pointer must not be replaced. */
static char *
describe_key_rows (ByokProviderRow *self)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "%u|", self->n_checking > 0);
  for (guint i = 0; self->keys != NULL && i < self->keys->len; i++)
    {
      ByokKey *key = g_ptr_array_index (self->keys, i);
      Check *check = lookup_check (self, key);

      g_string_append_printf (out, "%s|%d|%s|%s|%d|",
                              account_key (byok_key_get_account (key)), byok_key_get_source (key),
                              byok_key_get_env_var (key) != NULL ? byok_key_get_env_var (key) : "",
                              byok_key_get_masked (key), byok_key_get_is_active (key));
      if (check != NULL)
        g_string_append_printf (out, "%" G_GINT64_FORMAT ":%d:%d|", check->time_us, check->ok, check->code);
    }
  return g_string_free (out, FALSE);
}

static void
update_rows (ByokProviderRow *self,
             gboolean         always)
{
  g_autofree char *shown = NULL;

  load_events (self);
  shown = describe_key_rows (self);
  if (always || g_strcmp0 (shown, self->shown_keys) != 0)
    {
      rebuild_key_rows (self);
      g_free (self->shown_keys);
      self->shown_keys = g_steal_pointer (&shown);
    }
  _byok_provider_row_update_status (self);
}

static void
update_all (ByokProviderRow *self)
{
  update_rows (self, FALSE);
}

static gboolean
tick (gpointer data)
{
  ByokProviderRow *self = data;

  /* "2 min ago" becomes "3 min ago". */
  if (self->loaded && self->n_checking == 0)
    update_rows (self, TRUE);
  return G_SOURCE_CONTINUE;
}

/* ---- listing keys -------------------------------------------------------- */

/**
 * byok_provider_row_set_keys:
 * @keys: (nullable) (element-type ByokKey): every key of every provider,
 *   as byok_key_store_list_usable_finish() gave them; those of this
 *   provider are kept (with their secrets wiped)
 * @keyring_error: (nullable): why the keyring could not be read; then
 *   @keys are the environment's
 */
void
byok_provider_row_set_keys (ByokProviderRow *self,
                            GPtrArray       *keys,
                            const GError    *keyring_error)
{
  g_return_if_fail (BYOK_IS_PROVIDER_ROW (self));

  g_ptr_array_set_size (self->keys, 0);
  g_clear_pointer (&self->keyring_error, g_free);

  if (keyring_error != NULL)
    self->keyring_error = g_strdup (keyring_error->message);
  for (guint i = 0; keys != NULL && i < keys->len; i++)
    {
      ByokKey *key = g_ptr_array_index (keys, i);

      if (g_strcmp0 (byok_key_get_provider (key), provider_id (self)) != 0)
        continue;
      byok_key_wipe (key);
      g_ptr_array_add (self->keys, g_object_ref (key));
    }

  self->loaded = TRUE;
  update_all (self);
}

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(ByokProviderRowOp) op = user_data;
  g_autoptr(GError) keyring_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) keys = byok_key_store_list_usable_finish (BYOK_KEY_STORE (source), result,
                                                                 &keyring_error, &error);
  g_autoptr(ByokProviderRow) self = _byok_provider_row_op_get (op);

  if (self == NULL || keys == NULL)
    return;
  byok_provider_row_set_keys (self, keys, keyring_error);
}

/**
 * byok_provider_row_refresh:
 *
 * Lists the provider's keys again (keyring and environment) and the key
 * history.
 */
void
byok_provider_row_refresh (ByokProviderRow *self)
{
  g_return_if_fail (BYOK_IS_PROVIDER_ROW (self));

  byok_key_store_list_usable_async (byok_engine_get_key_store (self->engine), provider_id (self),
                                    self->cancellable, list_cb, _byok_provider_row_op_new (self, NULL));
}

/* ---- checking a key ------------------------------------------------------ */

static char *
check_toast (ByokProviderRow *self,
             const GError    *error,
             int              n_models)
{
  g_autofree char *works = NULL;

  if (error == NULL)
    {
      works = byok_client_describe_key_check (n_models);
      /* Translators: a provider name and the result of a key check, "OpenAI: Key works — 42 models" */
      return g_strdup_printf (_("%s: %s"), provider_name (self), works);
    }
  if (error->domain == BYOK_ERROR && error->code == BYOK_ERROR_AUTH)
    /* Translators: %s is a provider name */
    return g_strdup_printf (_("%s rejected the key"), provider_name (self));
  if (error->domain == BYOK_ERROR && error->code == BYOK_ERROR_QUOTA)
    /* Translators: %s is a provider name */
    return g_strdup_printf (_("%s: the key works, but the account is out of credit"), provider_name (self));
  if (error->domain == BYOK_ERROR &&
      (error->code == BYOK_ERROR_NETWORK || error->code == BYOK_ERROR_TIMEOUT))
    /* Translators: %s is a provider name */
    return g_strdup_printf (_("Could not reach %s to check the key"), provider_name (self));
  if (error->domain == BYOK_ERROR && error->code == BYOK_ERROR_INSECURE)
    /* Translators: %s is a provider name; why is said in the key's row */
    return g_strdup_printf (_("%s: the key was not sent over an unencrypted connection"), provider_name (self));
  /* Translators: a provider name and an error message */
  return g_strdup_printf (_("%s: the check failed: %s"), provider_name (self), error->message);
}

static void
check_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(ByokProviderRowOp) op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokProviderRow) self = NULL;
  g_autofree char *text = NULL;
  int n_models = -1;

  byok_client_check_key_finish (BYOK_CLIENT (source), result, &n_models, &error);
  self = _byok_provider_row_op_finish (op, error);
  if (self == NULL)
    return;

  self->n_checking--;
  remember_check (self, op->account, g_get_real_time (), error == NULL,
                  error != NULL && error->domain == BYOK_ERROR ? error->code : BYOK_ERROR_SERVER,
                  error != NULL ? byok_error_get_class (error) : NULL,
                  error != NULL ? error->message : NULL);
  text = check_toast (self, error, n_models);
  _byok_provider_row_toast (self, text);
  update_all (self);
  byok_provider_row_refresh (self);
}

static void
run_check (ByokProviderRow *self,
           const char      *account)
{
  self->n_checking++;
  _byok_provider_row_update_status (self);
  for (guint i = 0; i < self->key_rows->len; i++)
    gtk_widget_set_sensitive (g_ptr_array_index (self->key_rows, i), FALSE);
  byok_client_check_key_async (byok_engine_get_client (self->engine), provider_id (self), account,
                               NULL, self->cancellable, check_cb, _byok_provider_row_op_new (self, account));
}

/* provider.check-key, from a key row's row.check: the account, or "" for
 * the environment's key. */
static void
check_key_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  const char *account = g_variant_get_string (parameter, NULL);

  run_check (BYOK_PROVIDER_ROW (widget), *account != '\0' ? account : NULL);
}

/* ---- adding or replacing a key ------------------------------------------- */

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(ByokProviderRowOp) op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokProviderRow) self = NULL;
  gboolean replaced = FALSE;
  gboolean ok;

  ok = byok_key_store_store_finish (BYOK_KEY_STORE (source), result, &replaced, &error);
  self = _byok_provider_row_op_finish (op, error);
  if (self == NULL)
    return;

  self->n_checking--;
  if (!ok)
    {
      g_autofree char *text = NULL;

      /* Translators: a provider name and why its key was not saved */
      text = g_strdup_printf (_("The %s key was not saved: %s"), provider_name (self), error->message);
      _byok_provider_row_toast (self, text);
      byok_provider_row_refresh (self);
      _byok_provider_row_update_status (self);
      return;
    }

  /* The old check said nothing about the new key. */
  g_hash_table_remove (self->checks, account_key (op->account));
  run_check (self, op->account);
}

/**
 * byok_provider_row_save_key:
 * @input: what the person typed or pasted
 *
 * Cleans @input (spaces, quotes, `NAME=`), stores it in the keyring as the
 * provider's default key (replacing the one there) and checks it with the
 * provider at once. The outcome is shown in a toast and in the row.
 */
void
byok_provider_row_save_key (ByokProviderRow *self,
                            const char      *input)
{
  g_auto(GStrv) warnings = NULL;
  char *cleaned = NULL;
  const char *account;
  ByokKeyFormatFlags flags;

  g_return_if_fail (BYOK_IS_PROVIDER_ROW (self));

  flags = byok_key_format_check (provider_id (self), byok_provider_get_key_prefix (self->provider),
                                 input, &cleaned, &warnings);
  if (flags & BYOK_KEY_FORMAT_EMPTY)
    {
      byok_secret_free (cleaned);
      _byok_provider_row_toast (self, _("Type or paste a key first"));
      return;
    }
  if (byok_key_format_is_suspicious (flags) && warnings[0] != NULL)
    {
      /* The last sentence is the warning; notices come first. */
      g_autofree char *text = NULL;

      /* Translators: a provider name and a warning about the key's format */
      text = g_strdup_printf (_("%s: saved, but %s"), provider_name (self),
                              warnings[g_strv_length (warnings) - 1]);
      _byok_provider_row_toast (self, text);
    }

  account = replace_account (self);
  self->n_checking++;
  _byok_provider_row_update_status (self);
  byok_key_store_store_async (byok_engine_get_key_store (self->engine), provider_id (self),
                              account, cleaned, self->cancellable, store_cb,
                              _byok_provider_row_op_new (self, account != NULL ? account : BYOK_KEY_DEFAULT_ACCOUNT));
  byok_secret_free (cleaned);
}

static void
on_key_apply (ByokProviderRow *self)
{
  char *input = byok_secret_dup (gtk_editable_get_text (GTK_EDITABLE (self->key_entry)), -1);

  gtk_editable_set_text (GTK_EDITABLE (self->key_entry), "");
  gtk_widget_set_visible (GTK_WIDGET (self->warning_row), FALSE);
  byok_provider_row_save_key (self, input);
  byok_secret_free (input);
}

/* Format warnings while typing: never the key, at most its masked form. */
static void
on_key_changed (ByokProviderRow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->key_entry));
  g_auto(GStrv) warnings = NULL;
  g_autofree char *joined = NULL;
  ByokKeyFormatFlags flags;

  if (text == NULL || *text == '\0')
    {
      gtk_widget_set_visible (GTK_WIDGET (self->warning_row), FALSE);
      return;
    }

  flags = byok_key_format_check (provider_id (self), byok_provider_get_key_prefix (self->provider),
                                 text, NULL, &warnings);
  if (!byok_key_format_is_suspicious (flags) || warnings[0] == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->warning_row), FALSE);
      return;
    }
  joined = g_strjoinv ("\n", warnings);
  adw_action_row_set_subtitle (self->warning_row, joined);
  gtk_widget_set_visible (GTK_WIDGET (self->warning_row), TRUE);
}

/* ---- deleting a key ------------------------------------------------------ */

static void
delete_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ByokProviderRowOp) op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokProviderRow) self = NULL;
  g_autofree char *text = NULL;
  gboolean ok;

  ok = byok_key_store_delete_finish (BYOK_KEY_STORE (source), result, &error);
  self = _byok_provider_row_op_finish (op, error);
  if (self == NULL)
    return;

  if (ok)
    {
      g_hash_table_remove (self->checks, account_key (op->account));
      /* Translators: %s is a provider name */
      text = g_strdup_printf (_("%s key deleted"), provider_name (self));
    }
  else
    {
      /* Translators: a provider name and why its key was not deleted */
      text = g_strdup_printf (_("The %s key was not deleted: %s"), provider_name (self), error->message);
    }
  _byok_provider_row_toast (self, text);
  byok_provider_row_refresh (self);
}

static void
delete_confirmed (ByokProviderRow *self,
                  const char      *account)
{
  byok_key_store_delete_async (byok_engine_get_key_store (self->engine), provider_id (self),
                               account, self->cancellable, delete_cb,
                               _byok_provider_row_op_new (self, account));
}

/* provider.delete-key, from a key row's row.delete: asks first. */
static void
delete_key_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ByokProviderRow *self = BYOK_PROVIDER_ROW (widget);
  const char *account = g_variant_get_string (parameter, NULL);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  const char *masked = "";

  for (guint i = 0; i < self->keys->len; i++)
    {
      ByokKey *key = g_ptr_array_index (self->keys, i);

      if (byok_key_get_source (key) == BYOK_KEY_SOURCE_KEYRING &&
          g_strcmp0 (byok_key_get_account (key), account) == 0)
        masked = byok_key_get_masked (key);
    }

  /* Translators: %s is a provider name */
  heading = g_strdup_printf (_("Delete the %s Key?"), provider_name (self));
  if (g_strcmp0 (account, BYOK_KEY_DEFAULT_ACCOUNT) == 0)
    /* Translators: the key's masked form, and the provider's name */
    body = g_strdup_printf (_("The key %s will be removed from your keyring. Calls to %s "
                              "will use another key, or fail until you add one."),
                            masked, provider_name (self));
  else
    /* Translators: the key's name, its masked form, and the provider's name */
    body = g_strdup_printf (_("The key “%s” (%s) will be removed from your keyring. Calls to %s "
                              "will use another key, or fail until you add one."),
                            account, masked, provider_name (self));

  ask_first (self, heading, body, "delete", _("_Delete"), account, delete_confirmed);
}

/* ---- removing a custom provider ------------------------------------------ */

static void
remove_provider_now (ByokProviderRow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *name = g_strdup (provider_name (self));

  if (!byok_provider_settings_remove_custom (byok_engine_get_provider_settings (self->engine),
                                             byok_engine_get_catalog (self->engine),
                                             provider_id (self), &error))
    {
      /* Translators: a provider name and why it was not removed */
      text = g_strdup_printf (_("%s was not removed: %s"), name, error->message);
      _byok_provider_row_toast (self, text);
      return;
    }
  /* Translators: %s is a provider name */
  text = g_strdup_printf (_("Removed %s"), name);
  _byok_provider_row_toast (self, text);
}

static void
remove_key_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  ByokProviderRowOp *op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ByokProviderRow) self = NULL;

  byok_key_store_delete_finish (BYOK_KEY_STORE (source), result, &error);
  if (error != NULL && !g_error_matches (error, BYOK_ERROR, BYOK_ERROR_NO_KEY))
    g_debug ("a key of a removed provider stayed: %s", error->message);
  if (--op->pending > 0)
    return;

  self = _byok_provider_row_op_get (op);
  _byok_provider_row_op_free (op);
  if (self != NULL)
    remove_provider_now (self);
}

static void
remove_confirmed (ByokProviderRow *self,
                  const char      *account)
{
  ByokProviderRowOp *deletions;

  deletions = _byok_provider_row_op_new (self, NULL);
  deletions->pending = 1;
  for (guint i = 0; i < self->keys->len; i++)
    {
      ByokKey *key = g_ptr_array_index (self->keys, i);

      if (byok_key_get_source (key) != BYOK_KEY_SOURCE_KEYRING)
        continue;
      deletions->pending++;
      byok_key_store_delete_async (byok_engine_get_key_store (self->engine), provider_id (self),
                                   byok_key_get_account (key), self->cancellable,
                                   remove_key_cb, deletions);
    }
  if (--deletions->pending == 0)
    {
      _byok_provider_row_op_free (deletions);
      remove_provider_now (self);
    }
}

static void
on_remove_clicked (ByokProviderRow *self)
{
  g_autofree char *heading = NULL;

  /* Translators: %s is a custom provider's name */
  heading = g_strdup_printf (_("Remove %s?"), provider_name (self));
  ask_first (self, heading, _("Its settings are removed, and its keys are deleted from your keyring."),
             "remove", _("_Remove"), NULL, remove_confirmed);
}

/* ---- object -------------------------------------------------------------- */

static void
byok_provider_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ByokProviderRow *self = BYOK_PROVIDER_ROW (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_provider_row_dispose (GObject *object)
{
  ByokProviderRow *self = BYOK_PROVIDER_ROW (object);

  if (!self->disposed)
    {
      self->disposed = TRUE;
      g_cancellable_cancel (self->cancellable);
      g_clear_handle_id (&self->tick_id, g_source_remove);
      /* Do not leave a typed key in the entry's buffer. */
      gtk_editable_set_text (GTK_EDITABLE (self->key_entry), "");
    }


  G_OBJECT_CLASS (byok_provider_row_parent_class)->dispose (object);
}

static void
byok_provider_row_finalize (GObject *object)
{
  ByokProviderRow *self = BYOK_PROVIDER_ROW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->engine);
  g_clear_object (&self->provider);
  g_clear_pointer (&self->keys, g_ptr_array_unref);
  g_clear_pointer (&self->key_rows, g_ptr_array_unref);
  g_clear_pointer (&self->checks, g_hash_table_unref);
  g_clear_pointer (&self->model_ids, g_ptr_array_unref);
  g_free (self->keyring_error);
  g_free (self->shown_keys);

  G_OBJECT_CLASS (byok_provider_row_parent_class)->finalize (object);
}

static void
byok_provider_row_class_init (ByokProviderRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = byok_provider_row_get_property;
  object_class->dispose = byok_provider_row_dispose;
  object_class->finalize = byok_provider_row_finalize;

  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       BYOK_TYPE_PROVIDER_STATUS, BYOK_PROVIDER_STATUS_LOADING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-provider-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokProviderRow, status_stack);
  gtk_widget_class_bind_template_child (widget_class, ByokProviderRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, ByokProviderRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, ByokProviderRow, key_entry);
  gtk_widget_class_bind_template_child (widget_class, ByokProviderRow, warning_row);
  gtk_widget_class_bind_template_child (widget_class, ByokProviderRow, endpoint_row);
  gtk_widget_class_bind_template_child (widget_class, ByokProviderRow, base_url_row);
  gtk_widget_class_bind_template_child (widget_class, ByokProviderRow, deployment_row);
  gtk_widget_class_bind_template_child (widget_class, ByokProviderRow, api_version_row);
  gtk_widget_class_bind_template_child (widget_class, ByokProviderRow, allow_http_row);
  gtk_widget_class_bind_template_child (widget_class, ByokProviderRow, allow_http_switch);
  gtk_widget_class_bind_template_child (widget_class, ByokProviderRow, model_row);
  gtk_widget_class_bind_template_child (widget_class, ByokProviderRow, refresh_models_button);
  gtk_widget_class_bind_template_child (widget_class, ByokProviderRow, enabled_row);
  gtk_widget_class_bind_template_child (widget_class, ByokProviderRow, enabled_switch);
  gtk_widget_class_bind_template_child (widget_class, ByokProviderRow, prefer_env_row);
  gtk_widget_class_bind_template_child (widget_class, ByokProviderRow, prefer_env_switch);
  gtk_widget_class_bind_template_child (widget_class, ByokProviderRow, balance_row);
  gtk_widget_class_bind_template_child (widget_class, ByokProviderRow, refresh_balance_button);
  gtk_widget_class_bind_template_child (widget_class, ByokProviderRow, history_row);
  gtk_widget_class_bind_template_callback (widget_class, on_refresh_balance_clicked);
  gtk_widget_class_bind_template_child (widget_class, ByokProviderRow, remove_row);
  gtk_widget_class_bind_template_child (widget_class, ByokProviderRow, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, on_key_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_key_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked);
  _byok_provider_row_class_init_settings (widget_class);

  gtk_widget_class_install_action (widget_class, "provider.check-key", "s", check_key_action);
  gtk_widget_class_install_action (widget_class, "provider.delete-key", "s", delete_key_action);
}

static void
byok_provider_row_init (ByokProviderRow *self)
{
  self->cancellable = g_cancellable_new ();
  self->keys = g_ptr_array_new_with_free_func (g_object_unref);
  self->key_rows = g_ptr_array_new ();
  self->checks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, check_free);
  self->model_ids = g_ptr_array_new_with_free_func (g_free);
  self->status = BYOK_PROVIDER_STATUS_LOADING;

  gtk_widget_init_template (GTK_WIDGET (self));
  byok_a11y_fix_mnemonic_buttons (GTK_WIDGET (self));
  byok_a11y_follow_expander_row (ADW_EXPANDER_ROW (self));
  byok_a11y_set_up_entry_row (ADW_ENTRY_ROW (self->key_entry));
  byok_a11y_set_up_entry_row (self->base_url_row);
  byok_a11y_set_up_entry_row (self->deployment_row);
  byok_a11y_set_up_entry_row (self->api_version_row);
  byok_a11y_set_up_combo_row (self->endpoint_row);
  byok_a11y_set_up_combo_row (self->model_row);
}

/**
 * byok_provider_row_new:
 *
 * Returns: (transfer floating): a row for @provider; its keys show once
 *   byok_provider_row_set_keys() or byok_provider_row_refresh() ran
 */
ByokProviderRow *
byok_provider_row_new (ByokEngine   *engine,
                       ByokProvider *provider)
{
  ByokProviderRow *self;
  const char *hint;

  g_return_val_if_fail (BYOK_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (BYOK_IS_PROVIDER (provider), NULL);

  self = g_object_new (BYOK_TYPE_PROVIDER_ROW, NULL);
  self->engine = g_object_ref (engine);
  self->provider = g_object_ref (provider);
  _byok_provider_row_fill_settings (self);

  /* What a key of this provider looks like, or where to find it. */
  hint = byok_provider_get_key_description (provider);
  if (hint != NULL && *hint != '\0')
    {
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->key_entry), hint);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->key_entry),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, hint,
                                      -1);
    }
  if (byok_provider_get_balance_format (provider) != BYOK_BALANCE_FORMAT_NONE)
    g_signal_connect_object (byok_balance_monitor_get_for_engine (engine), "changed",
                             G_CALLBACK (balance_changed_cb), self, 0);
  _byok_provider_row_update_status (self);
  self->tick_id = g_timeout_add_seconds (60, tick, self);
  return self;
}

ByokProvider *
byok_provider_row_get_provider (ByokProviderRow *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER_ROW (self), NULL);

  return self->provider;
}

ByokProviderStatus
byok_provider_row_get_status (ByokProviderRow *self)
{
  g_return_val_if_fail (BYOK_IS_PROVIDER_ROW (self), BYOK_PROVIDER_STATUS_LOADING);

  return self->status;
}
