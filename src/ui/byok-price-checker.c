/* byok-price-checker.c — keeps prices and models current */
#define G_LOG_DOMAIN "byok-price-checker"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-error.h"
#include "byok-plain-text.h"
#include "byok-price-checker.h"
#include "byok-price-update-dialog.h"

/* A daily check is due after this long; whether it is, is asked hourly. */
#define CHECK_EVERY_S  (24 * 60 * 60)
#define ASK_EVERY_S    (60 * 60)

struct _ByokPriceChecker
{
  GtkButton        parent_instance;

  ByokEngine      *engine;
  GSettings       *settings;
  GCancellable    *cancellable;   /* the check in flight */
  gboolean         automatic;     /* it was not asked for */
  guint            timer;
  ByokPriceUpdate *pending;       /* found by a daily check, to review */
  GtkWidget       *dialog;
};

G_DEFINE_FINAL_TYPE (ByokPriceChecker, byok_price_checker, GTK_TYPE_BUTTON)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_busy (ByokPriceChecker *self,
          gboolean          busy)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self), !busy && self->engine != NULL);
  gtk_button_set_label (GTK_BUTTON (self), busy ? _("Checking…") : _("Check for Updates"));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
dialog_response_cb (ByokPriceUpdateDialog *dialog,
                    const char            *response,
                    ByokPriceChecker      *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "apply") == 0 && self->engine != NULL)
    {
      if (byok_engine_apply_price_update (self->engine, byok_price_update_dialog_get_update (dialog), &error))
        byok_toast_show (GTK_WIDGET (self), byok_toast_new_plain (_("Prices and models are current")));
      else
        byok_toast_show (GTK_WIDGET (self), byok_toast_new_plain (error->message));
    }
  g_clear_object (&self->pending);
  self->dialog = NULL;
}

static void
present (ByokPriceChecker *self,
         ByokPriceUpdate  *update)
{
  if (self->dialog != NULL || self->engine == NULL)
    return;
  self->dialog = byok_price_update_dialog_new (update, byok_engine_get_catalog (self->engine));
  g_signal_connect (self->dialog, "response", G_CALLBACK (dialog_response_cb), self);
  byok_alert_present (self->dialog, GTK_WIDGET (self));
}

static void
review_cb (AdwToast         *toast,
           ByokPriceChecker *self)
{
  if (self->pending != NULL)
    present (self, self->pending);
}

static void
fetched_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(ByokPriceChecker) self = user_data;
  g_autoptr(ByokPriceData) data = NULL;
  g_autoptr(ByokPriceUpdate) update = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  data = byok_price_data_fetch_finish (result, &error);
  if (g_error_matches (error, BYOK_ERROR, BYOK_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  g_settings_set_int64 (self->settings, "prices-checked", g_get_real_time () / G_USEC_PER_SEC);

  if (data == NULL || self->engine == NULL)
    {
      /* A daily check that failed says nothing: the next one tries again. */
      if (data == NULL && !self->automatic)
        byok_toast_show (GTK_WIDGET (self), byok_toast_new_plain (error->message));
      else if (data == NULL)
        g_debug ("daily price check: %s", error->message);
      return;
    }

  url = g_settings_get_string (self->settings, "price-list-url");
  update = byok_engine_compare_prices (self->engine, data, url);
  if (byok_price_update_is_empty (update))
    {
      if (!self->automatic)
        byok_toast_show (GTK_WIDGET (self), byok_toast_new_plain (_("Prices and models are current")));
      return;
    }
  if (!self->automatic)
    {
      present (self, update);
      return;
    }

  /* Found by itself: shown when the person wants to look. */
  {
    guint n = byok_price_update_get_n_changes (update);
    g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "The price list changes %u model",
                                                          "The price list changes %u models", n), n);
    AdwToast *toast = byok_toast_new_plain (text);

    g_set_object (&self->pending, update);
    adw_toast_set_button_label (toast, _("_Review"));
    adw_toast_set_timeout (toast, 0);
    g_signal_connect_object (toast, "button-clicked", G_CALLBACK (review_cb), self, 0);
    byok_toast_show (GTK_WIDGET (self), toast);
  }
}

/**
 * byok_price_checker_check:
 * @automatic: the daily check, not asked for: it says nothing unless the
 *   list changes something
 *
 * Fetches the price list and shows what it changes (nothing applies until
 * the person says so).
 */
void
byok_price_checker_check (ByokPriceChecker *self,
                          gboolean          automatic)
{
  g_autofree char *url = NULL;

  g_return_if_fail (BYOK_IS_PRICE_CHECKER (self));

  if (self->engine == NULL || self->cancellable != NULL)
    return;
  url = g_settings_get_string (self->settings, "price-list-url");
  self->automatic = automatic;
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  byok_price_data_fetch_async (url, self->cancellable, fetched_cb, g_object_ref (self));
}

static void
byok_price_checker_clicked (GtkButton *button)
{
  byok_price_checker_check (BYOK_PRICE_CHECKER (button), FALSE);
}

/* The daily check, when the person wants prices kept current. */
static gboolean
maybe_check (gpointer data)
{
  ByokPriceChecker *self = data;
  gint64 checked = g_settings_get_int64 (self->settings, "prices-checked");
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (self->engine != NULL && g_settings_get_boolean (self->settings, "keep-prices-current") &&
      (now - checked >= CHECK_EVERY_S || checked > now))
    byok_price_checker_check (self, TRUE);
  return G_SOURCE_CONTINUE;
}

static void
keep_current_changed_cb (ByokPriceChecker *self)
{
  maybe_check (self);
}

void
byok_price_checker_set_engine (ByokPriceChecker *self,
                               ByokEngine       *engine)
{
  g_return_if_fail (BYOK_IS_PRICE_CHECKER (self));
  g_return_if_fail (engine == NULL || BYOK_IS_ENGINE (engine));

  if (self->engine == engine)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->pending);
  g_set_object (&self->engine, engine);
  set_busy (self, FALSE);
  maybe_check (self);
}

/**
 * byok_price_checker_get_busy:
 * Returns: whether a check is under way
 */
gboolean
byok_price_checker_get_busy (ByokPriceChecker *self)
{
  g_return_val_if_fail (BYOK_IS_PRICE_CHECKER (self), FALSE);

  return self->cancellable != NULL;
}

/**
 * byok_price_checker_get_dialog:
 * Returns: (transfer none) (nullable): the update dialog it shows
 */
GtkWidget *
byok_price_checker_get_dialog (ByokPriceChecker *self)
{
  g_return_val_if_fail (BYOK_IS_PRICE_CHECKER (self), NULL);

  return self->dialog;
}

static void
byok_price_checker_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ByokPriceChecker *self = BYOK_PRICE_CHECKER (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->cancellable != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_price_checker_dispose (GObject *object)
{
  ByokPriceChecker *self = BYOK_PRICE_CHECKER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->timer, g_source_remove);
  if (self->dialog != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->dialog, self);
      self->dialog = NULL;
    }
  g_clear_object (&self->pending);
  g_clear_object (&self->engine);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (byok_price_checker_parent_class)->dispose (object);
}

static void
byok_price_checker_class_init (ByokPriceCheckerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkButtonClass *button_class = GTK_BUTTON_CLASS (klass);

  object_class->dispose = byok_price_checker_dispose;
  object_class->get_property = byok_price_checker_get_property;
  button_class->clicked = byok_price_checker_clicked;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-price-checker.ui");
}

static void
byok_price_checker_init (ByokPriceChecker *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed::keep-prices-current",
                           G_CALLBACK (keep_current_changed_cb), self, G_CONNECT_SWAPPED);
  self->timer = g_timeout_add_seconds (ASK_EVERY_S, maybe_check, self);
  set_busy (self, FALSE);
}
