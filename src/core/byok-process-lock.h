/* byok-process-lock.h — which processes of Byok are alive
 *
 * A call is written to the usage database as "in flight" when its request
 * is sent, marked with the id of the process that sends it. If that
 * process dies before the call ends (kill -9, a crash, a power cut), the
 * row stays in flight; the next Byok to start (the app or byok-cli) marks
 * it interrupted, unless its process is still alive, possibly in another
 * PID namespace (two Flatpak sandboxes) or started before this one.
 *
 * Liveness is a lock, not a PID: each process that sends calls holds an
 * exclusive flock() on `DIR/ID.lock` for as long as it runs; the kernel
 * drops the lock when the process ends, however it ends. A lock file that
 * can be locked belongs to a process that is gone.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ByokProcessLock ByokProcessLock;

ByokProcessLock *byok_process_lock_acquire    (const char       *dir,
                                               GError          **error);
const char      *byok_process_lock_get_id     (ByokProcessLock  *lock);
void             byok_process_lock_release    (ByokProcessLock  *lock);

gboolean         byok_process_lock_is_alive   (const char       *dir,
                                               const char       *id);
gboolean         byok_process_lock_remove     (const char       *dir,
                                               const char       *id);
GStrv            byok_process_lock_list_dead  (const char       *dir);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokProcessLock, byok_process_lock_release)

G_END_DECLS
