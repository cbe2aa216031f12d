/* byok-provider-row-private.h — what the provider row's files share
 *
 * byok-provider-row.c holds the row, its status and its keys (listing,
 * checking, adding, deleting; one ByokKeyRow per key);
 * byok-provider-row-settings.c the provider's settings below them
 * (endpoint, base URL, Azure, default model, on/off, environment, plain
 * HTTP).
 */
#pragma once

#include "byok-provider-row.h"

G_BEGIN_DECLS

struct _ByokProviderRow
{
  AdwExpanderRow       parent_instance;

  GtkStack            *status_stack;
  GtkImage            *status_icon;
  GtkSpinner          *spinner;
  AdwPasswordEntryRow *key_entry;
  AdwActionRow        *warning_row;
  AdwComboRow         *endpoint_row;
  AdwEntryRow         *base_url_row;
  AdwEntryRow         *deployment_row;
  AdwEntryRow         *api_version_row;
  AdwActionRow        *allow_http_row;
  GtkSwitch           *allow_http_switch;
  AdwComboRow         *model_row;
  GtkButton           *refresh_models_button;
  AdwActionRow        *enabled_row;
  GtkSwitch           *enabled_switch;
  AdwActionRow        *prefer_env_row;
  GtkSwitch           *prefer_env_switch;
  AdwActionRow        *balance_row;
  GtkButton           *refresh_balance_button;
  AdwActionRow        *history_row;
  AdwActionRow        *remove_row;
  GtkButton           *remove_button;

  ByokEngine          *engine;
  ByokProvider        *provider;
  GCancellable        *cancellable;

  GPtrArray           *keys;          /* ByokKey, secrets wiped */
  GPtrArray           *key_rows;      /* ByokKeyRow, in the expander */
  char                *keyring_error;
  GHashTable          *checks;        /* account ("" for the environment) → Check */
  GPtrArray           *model_ids;     /* the ids behind model_row's items 1… */
  guint                n_checking;
  char                *shown_keys;    /* what the key rows show, in short */
  guint                tick_id;
  ByokProviderStatus   status;

  guint                loaded : 1;
  guint                updating : 1;
  guint                disposed : 1;
  guint                refreshing_models : 1;
};

/* What an async callback gets: a weak reference, so a row that went away
 * (its operations are cancelled in dispose) is never touched. */
typedef struct {
  GWeakRef  row;
  char     *account;
  guint     pending;   /* remove: key deletions still running */
} ByokProviderRowOp;

ByokProviderRowOp *_byok_provider_row_op_new            (ByokProviderRow   *self,
                                                         const char        *account);
void               _byok_provider_row_op_free           (ByokProviderRowOp *op);
ByokProviderRow   *_byok_provider_row_op_get            (ByokProviderRowOp *op);
ByokProviderRow   *_byok_provider_row_op_finish         (ByokProviderRowOp *op,
                                                         const GError      *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokProviderRowOp, _byok_provider_row_op_free)

void               _byok_provider_row_toast             (ByokProviderRow   *self,
                                                         const char        *text);
void               _byok_provider_row_update_status     (ByokProviderRow   *self);

void               _byok_provider_row_class_init_settings (GtkWidgetClass  *widget_class);
void               _byok_provider_row_fill_settings     (ByokProviderRow   *self);

G_END_DECLS
