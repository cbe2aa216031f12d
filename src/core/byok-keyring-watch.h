/* byok-keyring-watch.h — tells when keyring items come, change or go
 *
 * A key stored from elsewhere (`byok-cli keys set`, Seahorse) reaches the
 * keyring without Byok knowing. The watch listens to the Secret Service's
 * own signals on the session bus (ItemCreated, ItemChanged, ItemDeleted of
 * any collection) and emits "changed" once for a burst of them. Inside a
 * sandbox, where the secret portal stands in for the Secret Service, no
 * signal comes: the window also lists the keys again when it regains the
 * focus.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BYOK_TYPE_KEYRING_WATCH (byok_keyring_watch_get_type ())
G_DECLARE_FINAL_TYPE (ByokKeyringWatch, byok_keyring_watch, BYOK, KEYRING_WATCH, GObject)

ByokKeyringWatch *byok_keyring_watch_new (void);

G_END_DECLS
