/* byok-process-lock.c — which processes of Byok are alive */
#define G_LOG_DOMAIN "byok-process-lock"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "byok-error.h"
#include "byok-process-lock.h"

#define SUFFIX ".lock"

struct _ByokProcessLock
{
  char *dir;
  char *id;
  char *path;
  int   fd;
};

static char *
lock_path (const char *dir,
           const char *id)
{
  g_autofree char *name = g_strconcat (id, SUFFIX, NULL);

  return g_build_filename (dir, name, NULL);
}

/* An id names a file in @dir: nothing that could leave it. */
static gboolean
valid_id (const char *id)
{
  if (id == NULL || *id == '\0' || *id == '.')
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

/**
 * byok_process_lock_acquire:
 * @dir: the folder of the locks (created 0700 if needed)
 *
 * Takes a new lock for this process, with a random id, held until
 * byok_process_lock_release() or the end of the process. The file gets
 * its name only once it is locked, so no other process ever sees it
 * unlocked.
 *
 * Returns: (transfer full): the lock, or %NULL with BYOK_ERROR_STORAGE
 */
ByokProcessLock *
byok_process_lock_acquire (const char  *dir,
                           GError     **error)
{
  g_autoptr(ByokProcessLock) lock = g_new0 (ByokProcessLock, 1);
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *temp_name = NULL;
  g_autofree char *temp = NULL;
  const char *failed = NULL;
  int saved = 0;

  g_return_val_if_fail (dir != NULL, NULL);

  lock->fd = -1;
  lock->dir = g_strdup (dir);
  lock->id = g_steal_pointer (&uuid);
  lock->path = lock_path (dir, lock->id);
  temp_name = g_strconcat (".", lock->id, ".new", NULL);
  temp = g_build_filename (dir, temp_name, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      saved = errno;
      failed = dir;
    }
  else if ((lock->fd = g_open (temp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
    {
      saved = errno;
      failed = temp;
    }
  else if (flock (lock->fd, LOCK_EX | LOCK_NB) != 0 || g_rename (temp, lock->path) != 0)
    {
      saved = errno;
      failed = temp;
      g_unlink (temp);
    }
  if (failed != NULL)
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE,
                   _("Could not create %s: %s. Check that the data folder exists and that "
                     "you can write to it."),
                   failed, g_strerror (saved));
      return NULL;
    }
  return g_steal_pointer (&lock);
}

const char *
byok_process_lock_get_id (ByokProcessLock *lock)
{
  g_return_val_if_fail (lock != NULL, NULL);
  return lock->id;
}

/**
 * byok_process_lock_release:
 *
 * Removes the lock file and frees @lock.
 */
void
byok_process_lock_release (ByokProcessLock *lock)
{
  if (lock == NULL)
    return;
  if (lock->fd >= 0)
    {
      if (lock->path != NULL)
        g_unlink (lock->path);
      close (lock->fd);
      /* The folder goes with its last lock. */
      g_rmdir (lock->dir);
    }
  g_free (lock->dir);
  g_free (lock->id);
  g_free (lock->path);
  g_free (lock);
}

/* Whether the lock @id is held by a live process. With @remove, the file
 * of a dead one is removed. */
static gboolean
check (const char *dir,
       const char *id,
       gboolean    remove)
{
  g_autofree char *path = NULL;
  int fd;

  if (!valid_id (id))
    return FALSE;
  path = lock_path (dir, id);
  fd = g_open (path, O_RDWR | O_CLOEXEC, 0);
  if (fd < 0)
    return FALSE;  /* no file: gone */
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      /* Held: alive. (Any other failure too: rather that than marking a
       * live process's calls interrupted.) */
      close (fd);
      return TRUE;
    }
  if (remove)
    g_unlink (path);
  close (fd);
  return FALSE;
}

/**
 * byok_process_lock_is_alive:
 * @id: the id a process's calls are marked with
 *
 * Returns: whether the process of @id still runs (holds its lock); FALSE
 *   for an id with no lock file
 */
gboolean
byok_process_lock_is_alive (const char *dir,
                            const char *id)
{
  g_return_val_if_fail (dir != NULL, FALSE);
  return check (dir, id, FALSE);
}

/**
 * byok_process_lock_remove:
 *
 * Removes the lock file of @id if its process is gone.
 *
 * Returns: FALSE when the process is alive
 */
gboolean
byok_process_lock_remove (const char *dir,
                          const char *id)
{
  g_return_val_if_fail (dir != NULL, FALSE);
  return !check (dir, id, TRUE);
}

/**
 * byok_process_lock_list_dead:
 *
 * Returns: (transfer full): the ids of the lock files in @dir whose
 *   process is gone
 */
GStrv
byok_process_lock_list_dead (const char *dir)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *id = NULL;

      if (!g_str_has_suffix (name, SUFFIX))
        continue;
      id = g_strndup (name, strlen (name) - strlen (SUFFIX));
      if (valid_id (id) && !check (dir, id, FALSE))
        g_strv_builder_add (builder, id);
    }
  return g_strv_builder_end (builder);
}
