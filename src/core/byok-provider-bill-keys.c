/* byok-provider-bill-keys.c — whose key the organization's usage was on
 *
 * With the admin key that read the bill: the organization's usage per day,
 * API key and model (OpenAI `GET /v1/organization/usage/completions`
 * grouped by api_key_id, model and project_id; Anthropic `GET
 * /v1/organizations/usage_report/messages` grouped by api_key_id and
 * model), then the keys behind those ids (OpenAI `GET
 * /v1/organization/projects/{project_id}/api_keys` for each project that
 * used any, their `redacted_value`; Anthropic `GET
 * /v1/organizations/api_keys`, their `partial_key_hint`), matched against
 * the keys Byok holds for the provider (byok_bill_key_hint_matches()).
 * The usage of every other key — and of none, such as the console's —
 * goes to its day's other_usage, priced later by byok_bill_add_recorded().
 *
 * A refusal or failure here never fails the bill: it is the bill's
 * keys_error and the other keys stay unexplained (BYOK_BILL_KEYS_UNTOLD).
 */
#define G_LOG_DOMAIN "byok-bill"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "byok-error.h"
#include "byok-format.h"
#include "byok-json.h"
#include "byok-key-store.h"
#include "byok-provider-bill-private.h"

#define MAX_PAGES 40

typedef struct {
  ByokBillDay      *day;     /* borrowed from the bill */
  ByokBillKeyUsage *usage;
} Pending;

typedef struct {
  ByokBill   *bill;          /* borrowed: the caller's task owns it */
  char       *key;           /* the admin key, wiped when freed */
  gboolean    openai;
  guint       pages;
  GPtrArray  *pending;       /* of Pending* */
  GPtrArray  *projects;      /* OpenAI: project ids whose keys to list */
  guint       project;       /* the one being listed */
  GHashTable *hints;         /* key id → what the listing shows of it */
} ReadKeys;

static void
pending_free (Pending *pending)
{
  byok_bill_key_usage_free (pending->usage);
  g_free (pending);
}

static void
read_keys_free (ReadKeys *data)
{
  if (data->key != NULL)
    {
      memset (data->key, 0, strlen (data->key));
      g_free (data->key);
    }
  g_ptr_array_unref (data->pending);
  g_ptr_array_unref (data->projects);
  g_hash_table_unref (data->hints);
  g_free (data);
}

static ByokProvider *
task_provider (GTask *task)
{
  ByokClient *client = g_task_get_source_object (task);
  ReadKeys *data = g_task_get_task_data (task);

  return byok_catalog_lookup_provider (byok_client_get_catalog (client), data->bill->provider);
}

/* Done, told apart or not: @error (not cancelled) is kept as the reason. */
static void
finish (GTask  *task,
        GError *error)
{
  ReadKeys *data = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }
  if (error != NULL)
    {
      data->bill->keys = BYOK_BILL_KEYS_UNTOLD;
      g_free (data->bill->keys_error);
      data->bill->keys_error = g_strdup (error->message);
      g_error_free (error);
    }
  g_task_return_boolean (task, TRUE);
}

/* A page's reply: its "data" array, or %NULL when the task was finished
 * with the reason (@unreadable when the reply has no such array). */
static JsonArray *
page_data (GTask         *task,
           GAsyncResult  *result,
           const char    *unreadable,
           JsonNode     **root,
           JsonObject   **object)
{
  GError *error = NULL;
  JsonArray *array;

  *root = byok_client_get_json_finish (g_task_get_source_object (task), result, &error);
  if (*root == NULL)
    {
      finish (task, error);
      return NULL;
    }
  *object = JSON_NODE_HOLDS_OBJECT (*root) ? json_node_get_object (*root) : NULL;
  array = byok_json_get_array (*object, "data");
  if (array == NULL)
    finish (task, g_error_new_literal (BYOK_ERROR, BYOK_ERROR_MALFORMED, unreadable));
  return array;
}

static void
get_json (GTask      *task,
          const char *url,
          GAsyncReadyCallback callback)
{
  ReadKeys *data = g_task_get_task_data (task);

  data->pages++;
  byok_client_get_json_with_key_async (g_task_get_source_object (task), data->bill->provider, url, data->key,
                                       g_task_get_cancellable (task), callback, g_object_ref (task));
}

/* ---- Byok's own keys, and the sorting ------------------------------------ */

static void
own_keys_listed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadKeys *data = g_task_get_task_data (task);
  g_autoptr(GHashTable) mine = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GError) keyring_error = NULL;
  GError *error = NULL;
  GHashTableIter iter;
  gpointer id, hint;

  keys = byok_key_store_list_usable_finish (BYOK_KEY_STORE (source), result, &keyring_error, &error);
  if (keys == NULL)
    {
      finish (task, error);
      return;
    }

  g_hash_table_iter_init (&iter, data->hints);
  while (g_hash_table_iter_next (&iter, &id, &hint))
    for (guint i = 0; i < keys->len; i++)
      if (byok_bill_key_hint_matches (hint, byok_key_get_secret (g_ptr_array_index (keys, i))))
        g_hash_table_add (mine, id);
  for (guint i = 0; i < keys->len; i++)
    byok_key_wipe (g_ptr_array_index (keys, i));

  if (g_hash_table_size (mine) == 0)
    {
      finish (task, g_error_new (BYOK_ERROR, BYOK_ERROR_NOT_FOUND,
                                 _("none of the organization’s keys is one Byok holds")));
      return;
    }

  data->bill->keys = BYOK_BILL_KEYS_TOLD;
  for (guint i = 0; i < data->pending->len; i++)
    {
      Pending *pending = g_ptr_array_index (data->pending, i);

      if (pending->usage->key_id != NULL && g_hash_table_contains (mine, pending->usage->key_id))
        continue;
      if (pending->day->other_usage == NULL)
        pending->day->other_usage = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_bill_key_usage_free);
      g_ptr_array_add (pending->day->other_usage, g_steal_pointer (&pending->usage));
    }
  finish (task, NULL);
}

static void
list_own_keys (GTask *task)
{
  ByokClient *client = g_task_get_source_object (task);
  ReadKeys *data = g_task_get_task_data (task);

  byok_key_store_list_usable_async (byok_client_get_key_store (client), data->bill->provider,
                                    g_task_get_cancellable (task), own_keys_listed, g_object_ref (task));
}

/* ---- the organization's keys --------------------------------------------- */

static void list_keys_page (GTask      *task,
                            const char *after);

static void
keys_page_read (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadKeys *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = NULL;
  JsonArray *keys;
  gboolean has_more = FALSE;
  const char *last;

  keys = page_data (task, result, _("the list of the organization’s keys could not be read"), &root, &object);
  if (keys == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (keys); i++)
    {
      JsonObject *key = byok_json_array_get_object (keys, i);
      const char *id = byok_json_get_string (key, "id");
      const char *hint = byok_json_get_string (key, data->openai ? "redacted_value" : "partial_key_hint");

      if (id != NULL && hint != NULL)
        g_hash_table_replace (data->hints, g_strdup (id), g_strdup (hint));
    }

  last = byok_json_get_string (object, "last_id");
  if (byok_json_get_bool (object, "has_more", &has_more) && has_more && last != NULL && data->pages < MAX_PAGES)
    {
      list_keys_page (task, last);
      return;
    }
  if (data->openai && ++data->project < data->projects->len)
    {
      list_keys_page (task, NULL);
      return;
    }
  list_own_keys (task);
}

static void
list_keys_page (GTask      *task,
                const char *after)
{
  ReadKeys *data = g_task_get_task_data (task);
  g_autofree char *path = NULL;
  g_autofree char *base = NULL;
  g_autoptr(GString) url = NULL;

  if (data->openai)
    {
      g_autofree char *project = g_uri_escape_string (g_ptr_array_index (data->projects, data->project), NULL, FALSE);

      path = g_strdup_printf ("/organization/projects/%s/api_keys", project);
    }
  else
    path = g_strdup ("/v1/organizations/api_keys");
  base = byok_provider_build_url (task_provider (task), path);
  url = g_string_new (base);
  g_string_append (url, "?limit=100");
  if (after != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (after, NULL, FALSE);

      g_string_append_printf (url, data->openai ? "&after=%s" : "&after_id=%s", escaped);
    }
  get_json (task, url->str, keys_page_read);
}

/* ---- the usage per key --------------------------------------------------- */

static void read_usage_page (GTask      *task,
                             const char *page);

static gint64
get_tokens (JsonObject *object,
            const char *name)
{
  gint64 value = 0;

  return byok_json_get_int (object, name, &value) && value > 0 ? value : 0;
}

/* One result of either usage report, as all prompt tokens, cache reads,
 * cache writes and output (ByokPrice's terms). */
static ByokBillKeyUsage *
read_usage (JsonObject *result,
            gboolean    openai)
{
  ByokBillKeyUsage *usage = g_new0 (ByokBillKeyUsage, 1);
  gint64 requests = 0;

  usage->key_id = g_strdup (byok_json_get_string (result, "api_key_id"));
  usage->model = g_strdup (byok_json_get_string (result, "model"));
  usage->output_tokens = get_tokens (result, "output_tokens");
  if (openai)
    {
      /* input_tokens counts the cached ones too. */
      usage->input_tokens = get_tokens (result, "input_tokens");
      usage->cached_tokens = get_tokens (result, "input_cached_tokens");
      if (byok_json_get_int (result, "num_model_requests", &requests) && requests > 0)
        usage->requests = (guint64) requests;
    }
  else
    {
      JsonObject *creation = byok_json_get_object (result, "cache_creation");

      usage->cached_tokens = get_tokens (result, "cache_read_input_tokens");
      usage->cache_write_tokens = get_tokens (creation, "ephemeral_5m_input_tokens") +
                                  get_tokens (creation, "ephemeral_1h_input_tokens");
      usage->input_tokens = get_tokens (result, "uncached_input_tokens") + usage->cached_tokens +
                            usage->cache_write_tokens;
    }
  return usage;
}

static void
usage_page_read (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadKeys *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = NULL;
  JsonArray *buckets;
  gboolean has_more = FALSE;
  const char *next;

  buckets = page_data (task, result, _("the organization’s usage could not be read"), &root, &object);
  if (buckets == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (buckets); i++)
    {
      JsonObject *bucket = byok_json_array_get_object (buckets, i);
      JsonArray *results = byok_json_get_array (bucket, "results");
      g_autofree char *day = NULL;
      ByokBillDay *entry;
      gint64 start = 0;

      if (data->openai && byok_json_get_int (bucket, "start_time", &start))
        day = _byok_bill_utc_day (start);
      else if (!data->openai && byok_json_get_string (bucket, "starting_at") != NULL)
        day = g_strndup (byok_json_get_string (bucket, "starting_at"), 10);
      entry = _byok_bill_find_day (data->bill, day);
      for (guint j = 0; entry != NULL && results != NULL && j < json_array_get_length (results); j++)
        {
          JsonObject *item = byok_json_array_get_object (results, j);
          Pending *pending = g_new0 (Pending, 1);
          const char *project = byok_json_get_string (item, "project_id");

          pending->day = entry;
          pending->usage = read_usage (item, data->openai);
          g_ptr_array_add (data->pending, pending);
          if (data->openai && project != NULL &&
              !g_ptr_array_find_with_equal_func (data->projects, project, g_str_equal, NULL))
            g_ptr_array_add (data->projects, g_strdup (project));
        }
    }

  next = byok_json_get_string (object, "next_page");
  if (byok_json_get_bool (object, "has_more", &has_more) && has_more && next != NULL && *next != '\0' &&
      data->pages < MAX_PAGES)
    {
      read_usage_page (task, next);
      return;
    }

  /* No usage at all: nobody's key to tell apart. */
  if (data->pending->len == 0)
    {
      data->bill->keys = BYOK_BILL_KEYS_TOLD;
      finish (task, NULL);
      return;
    }
  data->pages = 0;
  if (data->openai && data->projects->len == 0)
    list_own_keys (task);  /* no project to list keys of: all are others' */
  else
    list_keys_page (task, NULL);
}

static void
read_usage_page (GTask      *task,
                 const char *page)
{
  ReadKeys *data = g_task_get_task_data (task);
  g_autofree char *base = NULL;
  g_autoptr(GString) url = NULL;
  gint64 days = (data->bill->to_us - data->bill->from_us) / ((gint64) 86400 * G_USEC_PER_SEC);

  base = byok_provider_build_url (task_provider (task), data->openai ? "/organization/usage/completions"
                                                                     : "/v1/organizations/usage_report/messages");
  url = g_string_new (base);
  if (data->openai)
    g_string_append_printf (url, "?start_time=%" G_GINT64_FORMAT "&end_time=%" G_GINT64_FORMAT
                            "&group_by=api_key_id&group_by=model&group_by=project_id",
                            data->bill->from_us / G_USEC_PER_SEC, data->bill->to_us / G_USEC_PER_SEC);
  else
    {
      g_autofree char *from = byok_format_iso_utc (data->bill->from_us / G_USEC_PER_SEC);
      g_autofree char *to = byok_format_iso_utc (data->bill->to_us / G_USEC_PER_SEC);

      g_string_append_printf (url, "?starting_at=%s&ending_at=%s&group_by[]=api_key_id&group_by[]=model", from, to);
    }
  /* A day a bucket; 31 buckets a page at most for both. */
  g_string_append_printf (url, "&bucket_width=1d&limit=%d", (int) CLAMP (days, 1, 31));
  if (page != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (page, NULL, FALSE);

      g_string_append_printf (url, "&page=%s", escaped);
    }
  get_json (task, url->str, usage_page_read);
}

/**
 * _byok_provider_bill_read_keys_async:
 * @bill: (transfer none): the bill just read; it must outlive the task
 * @key: the admin key that read it
 *
 * Sorts the organization's usage of the bill's period into Byok's key(s)
 * and the others (each day's other_usage), and sets @bill's keys.
 */
void
_byok_provider_bill_read_keys_async (ByokClient          *client,
                                    ByokBill            *bill,
                                    const char          *key,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (client, cancellable, callback, user_data);
  ReadKeys *data = g_new0 (ReadKeys, 1);

  g_task_set_source_tag (task, _byok_provider_bill_read_keys_async);
  data->bill = bill;
  data->key = g_strdup (key);
  data->openai = g_str_equal (bill->provider, "openai");
  data->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
  data->projects = g_ptr_array_new_with_free_func (g_free);
  data->hints = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_task_set_task_data (task, data, (GDestroyNotify) read_keys_free);
  bill->keys = BYOK_BILL_KEYS_NOT_READ;
  g_clear_pointer (&bill->keys_error, g_free);
  read_usage_page (task, NULL);
}

/**
 * _byok_provider_bill_read_keys_finish:
 *
 * Returns: %TRUE, told apart or not (the bill says which); %FALSE only
 *   when cancelled
 */
gboolean
_byok_provider_bill_read_keys_finish (ByokClient    *client,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
