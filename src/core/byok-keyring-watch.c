/* byok-keyring-watch.c — tells when keyring items come, change or go */
#define G_LOG_DOMAIN "byok-key-store"

#include "config.h"

#include "byok-keyring-watch.h"

#define SECRET_BUS_NAME         "org.freedesktop.secrets"
#define SECRET_COLLECTION_IFACE "org.freedesktop.Secret.Collection"

struct _ByokKeyringWatch
{
  GObject          parent_instance;

  GCancellable    *cancellable;
  GDBusConnection *bus;
  guint            subscription_id;
  guint            idle_id;
};

G_DEFINE_FINAL_TYPE (ByokKeyringWatch, byok_keyring_watch, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
emit_changed (gpointer data)
{
  ByokKeyringWatch *self = data;

  self->idle_id = 0;
  g_signal_emit (self, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

/* Storing one key is several signals (the item, then its secret): one
 * "changed" for them all. */
static void
item_signal_cb (GDBusConnection *connection,
                const char      *sender,
                const char      *path,
                const char      *interface,
                const char      *signal,
                GVariant        *parameters,
                gpointer         user_data)
{
  ByokKeyringWatch *self = user_data;

  if (!g_str_has_prefix (signal, "Item"))
    return;
  g_debug ("keyring: %s", signal);
  if (self->idle_id == 0)
    self->idle_id = g_idle_add (emit_changed, self);
}

static void
bus_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(ByokKeyringWatch) self = user_data;
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (result, &error);

  if (bus == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("no session bus to watch the keyring on: %s", error->message);
      return;
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_object_unref (bus);
      return;
    }

  self->bus = bus;
  self->subscription_id =
    g_dbus_connection_signal_subscribe (bus, SECRET_BUS_NAME, SECRET_COLLECTION_IFACE,
                                        NULL /* every member */, NULL /* every collection */,
                                        NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                        item_signal_cb, self, NULL);
}

static void
byok_keyring_watch_dispose (GObject *object)
{
  ByokKeyringWatch *self = BYOK_KEYRING_WATCH (object);

  g_cancellable_cancel (self->cancellable);
  if (self->subscription_id != 0)
    g_dbus_connection_signal_unsubscribe (self->bus, self->subscription_id);
  self->subscription_id = 0;
  g_clear_handle_id (&self->idle_id, g_source_remove);
  g_clear_object (&self->bus);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (byok_keyring_watch_parent_class)->dispose (object);
}

static void
byok_keyring_watch_class_init (ByokKeyringWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = byok_keyring_watch_dispose;

  /**
   * ByokKeyringWatch::changed:
   *
   * An item of the keyring was created, changed or deleted: whoever shows
   * keys lists them again.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
byok_keyring_watch_init (ByokKeyringWatch *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * byok_keyring_watch_new:
 *
 * Starts watching at once, on the thread-default main context (the bus
 * is reached asynchronously; without one, the watch stays silent).
 *
 * Returns: (transfer full): the watch
 */
ByokKeyringWatch *
byok_keyring_watch_new (void)
{
  ByokKeyringWatch *self = g_object_new (BYOK_TYPE_KEYRING_WATCH, NULL);

  g_bus_get (G_BUS_TYPE_SESSION, self->cancellable, bus_cb, g_object_ref (self));
  return self;
}
