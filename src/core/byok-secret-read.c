/* byok-secret-read.c — reading many keyring items' secrets at once */
#define G_LOG_DOMAIN "byok-keys"

#include "config.h"

#include "byok-secret-read-private.h"

typedef struct {
  GCancellable *cancellable;
  ByokSecretReadFunc each;
  GDestroyNotify done;
  gpointer user_data;
  guint pending;   /* batches and reads under way, plus one while starting */
} ReadAll;

typedef struct {
  ReadAll *ra;
  GList *items;    /* SecretItems */
} Batch;

static void
read_all_step (ReadAll *ra)
{
  if (--ra->pending > 0)
    return;
  ra->done (ra->user_data);
  g_clear_object (&ra->cancellable);
  g_free (ra);
}

static void
read_one_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ReadAll *ra = user_data;
  g_autoptr(GError) error = NULL;
  SecretValue *value;

  value = secret_retrievable_retrieve_secret_finish (SECRET_RETRIEVABLE (source), result, &error);
  if (value == NULL && error == NULL)
    g_set_error_literal (&error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED, "locked");
  ra->each (SECRET_RETRIEVABLE (source), value, error, ra->user_data);
  read_all_step (ra);
}

static void
read_one (ReadAll *ra,
          gpointer item)
{
  ra->pending++;
  secret_retrievable_retrieve_secret (item, ra->cancellable, read_one_cb, ra);
}

static Batch *
batch_new (ReadAll *ra,
           GList   *items)
{
  Batch *batch = g_new0 (Batch, 1);

  batch->ra = ra;
  batch->items = items;
  ra->pending++;
  return batch;
}

static void
batch_done (Batch *batch)
{
  read_all_step (batch->ra);
  g_list_free_full (batch->items, g_object_unref);
  g_free (batch);
}

static void
secrets_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Batch *batch = user_data;

  /* An item without its secret now (it went away, or the call failed) is
   * read on its own, which tells which. */
  secret_item_load_secrets_finish (result, NULL);
  for (GList *l = batch->items; l != NULL; l = l->next)
    {
      SecretValue *value = secret_item_get_secret (l->data);

      if (value != NULL)
        batch->ra->each (l->data, value, NULL, batch->ra->user_data);
      else
        read_one (batch->ra, l->data);
    }
  batch_done (batch);
}

static void
unlocked_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Batch *batch = user_data;

  /* A refused or failed unlock shows as the reads' errors. */
  secret_service_unlock_finish (SECRET_SERVICE (source), result, NULL, NULL);
  for (GList *l = batch->items; l != NULL; l = l->next)
    read_one (batch->ra, l->data);
  batch_done (batch);
}

void
_byok_secret_read_async (GList              *items,
                         GCancellable       *cancellable,
                         ByokSecretReadFunc  each,
                         GDestroyNotify      done,
                         gpointer            user_data)
{
  ReadAll *ra = g_new0 (ReadAll, 1);
  GList *unlocked = NULL;
  GList *locked = NULL;

  ra->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  ra->each = each;
  ra->done = done;
  ra->user_data = user_data;
  ra->pending = 1;

  for (GList *l = items; l != NULL; l = l->next)
    {
      if (!SECRET_IS_ITEM (l->data))
        read_one (ra, l->data);
      else if (secret_item_get_locked (l->data))
        locked = g_list_prepend (locked, g_object_ref (l->data));
      else
        unlocked = g_list_prepend (unlocked, g_object_ref (l->data));
    }
  if (unlocked != NULL)
    secret_item_load_secrets (unlocked, cancellable, secrets_loaded_cb, batch_new (ra, unlocked));
  if (locked != NULL)
    secret_service_unlock (secret_item_get_service (locked->data), locked, cancellable,
                           unlocked_cb, batch_new (ra, locked));
  read_all_step (ra);
}
