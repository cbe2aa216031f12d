/* byok-client-models.c — model listings and key checks
 *
 * Both fetch JSON from the provider with a ByokExchange
 * (byok-exchange-private.h): a listing follows every page (Anthropic's
 * after_id, Gemini's pageToken) and merges the ids into the catalog; a
 * key check makes the cheapest call that proves a key (the listing, the
 * provider's key-check endpoint, or a one-token chat) and records it in
 * the key's history. byok_client_get_json_async() reads one JSON object
 * (a balance) with the stored key, on the provider's own origin only.
 */
#define G_LOG_DOMAIN "byok-client"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "byok-client-private.h"
#include "byok-error.h"
#include "byok-exchange-private.h"
#include "byok-json.h"

/* How many pages of a model listing are followed at most. */
#define MAX_MODEL_PAGES 50

static char *
append_query (const char *url,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  return g_strdup_printf ("%s%c%s=%s", url, strchr (url, '?') != NULL ? '&' : '?', name, escaped);
}


/* ---- fetching JSON (model listings, key checks) -------------------------- */

typedef void (*FetchWithKeyFunc) (GTask *task);

typedef struct {
  ByokProvider *provider;
  char         *key;          /* owned copy, wiped when freed; nullable */
  char         *account;      /* the keyring account the key came from, or NULL */
  gboolean      explicit_key;
  GPtrArray    *ids;          /* model ids listed */
  char         *page_token;
  guint         pages;
  int           n_models;     /* key checks: -1 unknown */
  gboolean      checking_key; /* a key check, not a listing */
  ByokExchange *ex;
  FetchWithKeyFunc next;      /* what runs once the key is known */
} FetchCall;

static void
fetch_call_free (FetchCall *call)
{
  g_clear_object (&call->provider);
  if (call->key != NULL)
    {
      memset (call->key, 0, strlen (call->key));
      g_free (call->key);
    }
  g_free (call->account);
  g_clear_pointer (&call->ids, g_ptr_array_unref);
  g_free (call->page_token);
  g_clear_pointer (&call->ex, _byok_exchange_unref);
  g_free (call);
}

static JsonNode *
fetch_parse_body (ByokExchange  *ex,
                  GError       **error)
{
  const char *name = ex->context.provider_name;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (!byok_dialect_check_body_is_json (&ex->context.ctx, (const char *) ex->body->data,
                                        ex->body->len, error))
    return NULL;
  root = byok_json_parse ((const char *) ex->body->data, ex->body->len, &local_error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_clear_pointer (&root, json_node_unref);
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                   _("%s sent JSON of an unexpected shape. Check the provider’s base URL."), name);
      return NULL;
    }
  return root;
}

static void list_fetch_page (GTask *task);

/* Reads one page of a listing; returns FALSE with an error, or TRUE with
 * call->page_token set when there is another page. */
static gboolean
list_read_page (FetchCall   *call,
                JsonObject  *root,
                GError     **error)
{
  ByokModelsList style = byok_provider_get_models_list (call->provider);
  JsonArray *array;

  g_clear_pointer (&call->page_token, g_free);

  if (style == BYOK_MODELS_LIST_GEMINI)
    {
      array = byok_json_get_array (root, "models");
      for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
        {
          JsonObject *model = byok_json_array_get_object (array, i);
          const char *name = model != NULL ? byok_json_get_string (model, "name") : NULL;
          JsonArray *methods = model != NULL ? byok_json_get_array (model, "supportedGenerationMethods") : NULL;
          gboolean chats = methods == NULL;

          for (guint j = 0; methods != NULL && j < json_array_get_length (methods); j++)
            {
              JsonNode *node = json_array_get_element (methods, j);

              if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
                  g_strcmp0 (json_node_get_string (node), "generateContent") == 0)
                chats = TRUE;
            }
          if (name == NULL || !chats)
            continue;
          if (g_str_has_prefix (name, "models/"))
            name += strlen ("models/");
          g_ptr_array_add (call->ids, g_strdup (name));
        }
      if (byok_json_get_string (root, "nextPageToken") != NULL &&
          *byok_json_get_string (root, "nextPageToken") != '\0')
        call->page_token = g_strdup (byok_json_get_string (root, "nextPageToken"));
    }
  else
    {
      gboolean has_more = FALSE;

      array = byok_json_get_array (root, "data");
      if (array == NULL)
        {
          g_set_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                       _("%s sent a model list Byok cannot read. Check the provider’s base URL."),
                       byok_provider_get_name (call->provider));
          return FALSE;
        }
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *model = byok_json_array_get_object (array, i);
          const char *id = model != NULL ? byok_json_get_string (model, "id") : NULL;

          if (id != NULL && *id != '\0')
            g_ptr_array_add (call->ids, g_strdup (id));
        }
      if (style == BYOK_MODELS_LIST_ANTHROPIC &&
          byok_json_get_bool (root, "has_more", &has_more) && has_more &&
          byok_json_get_string (root, "last_id") != NULL)
        call->page_token = g_strdup (byok_json_get_string (root, "last_id"));
    }
  return TRUE;
}

static void
list_page_done (ByokExchange *ex,
                GError       *error,
                gpointer      user_data)
{
  GTask *task = user_data;  /* the exchange's, until this returns */
  FetchCall *call = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;

  if (error == NULL)
    root = fetch_parse_body (ex, &error);
  if (root != NULL)
    list_read_page (call, json_node_get_object (root), &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (call->page_token != NULL && call->pages < MAX_MODEL_PAGES)
    {
      list_fetch_page (task);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* Asks for the next page; the exchange holds @task until it has ended. */
static void
list_fetch_page (GTask *task)
{
  FetchCall *call = g_task_get_task_data (task);
  ByokClient *self = g_task_get_source_object (task);
  ByokModelsList style = byok_provider_get_models_list (call->provider);
  g_autofree char *base = byok_provider_build_models_url (call->provider);
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  GError *error = NULL;

  if (base == NULL)
    {
      g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_INVALID,
                               _("Byok cannot build the address of the model list of %s. Check "
                                 "the provider’s base URL."),
                               byok_provider_get_name (call->provider));
      return;
    }

  if (style == BYOK_MODELS_LIST_ANTHROPIC)
    {
      g_autofree char *first = append_query (base, "limit", "1000");

      url = call->page_token != NULL ? append_query (first, "after_id", call->page_token)
                                     : g_steal_pointer (&first);
    }
  else if (style == BYOK_MODELS_LIST_GEMINI)
    {
      g_autofree char *first = append_query (base, "pageSize", "1000");

      url = call->page_token != NULL ? append_query (first, "pageToken", call->page_token)
                                     : g_steal_pointer (&first);
    }
  else
    url = g_steal_pointer (&base);

  msg = _byok_exchange_new_message (call->provider, "GET", url, call->key, NULL, FALSE, &error);
  if (msg == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  call->pages++;
  g_clear_pointer (&call->ex, _byok_exchange_unref);
  call->ex = _byok_exchange_new (_byok_client_get_transport (self), call->provider, NULL, call->key, msg, FALSE,
                                 g_task_get_cancellable (task), NULL, list_page_done, g_object_ref (task), g_object_unref);
  call->ex->context.ctx.checking_key = call->checking_key;
  _byok_exchange_start (call->ex);
}

static void
fetch_key_found (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;  /* the lookup's */
  FetchCall *call = g_task_get_task_data (task);
  g_autoptr(ByokKey) key = NULL;
  GError *error = NULL;

  key = byok_key_store_lookup_finish (BYOK_KEY_STORE (source), result, &error);
  if (key == NULL)
    {
      if (g_error_matches (error, BYOK_ERROR, BYOK_ERROR_NO_KEY) && call->account == NULL)
        {
          g_clear_error (&error);
          error = _byok_no_key_error (call->provider);
        }
      g_task_return_error (task, error);
      return;
    }
  call->key = g_strdup (byok_key_get_secret (key));
  if (call->account == NULL && byok_key_get_account (key) != NULL &&
      byok_key_get_source (key) == BYOK_KEY_SOURCE_KEYRING)
    call->account = g_strdup (byok_key_get_account (key));
  call->next (task);
}

/* Finds the key (unless one was given or none is needed), then runs @next
 * with @task. */
static void
fetch_with_key (GTask            *task,
                FetchWithKeyFunc  next)
{
  ByokClient *self = g_task_get_source_object (task);
  FetchCall *call = g_task_get_task_data (task);

  if (call->key != NULL || !byok_provider_get_needs_key (call->provider))
    {
      next (task);
      return;
    }
  call->next = next;
  byok_key_store_lookup_async (byok_client_get_key_store (self), byok_provider_get_id (call->provider),
                               call->account, g_task_get_cancellable (task), fetch_key_found,
                               g_object_ref (task));
}

static void
list_models_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  ByokClient *self = g_task_get_source_object (outer);
  FetchCall *call = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (outer, error);
      return;
    }
  g_ptr_array_add (call->ids, NULL);
  byok_catalog_merge_models (byok_client_get_catalog (self), byok_provider_get_id (call->provider),
                             (const char * const *) call->ids->pdata);
  g_ptr_array_set_size (call->ids, call->ids->len - 1);
  g_task_return_pointer (outer, byok_catalog_get_models (byok_client_get_catalog (self), byok_provider_get_id (call->provider)),
                         (GDestroyNotify) g_ptr_array_unref);
}

static GTask *
fetch_task_new (ByokClient          *self,
                ByokProvider        *provider,
                const char          *account,
                const char          *key,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  FetchCall *call = g_new0 (FetchCall, 1);

  call->provider = g_object_ref (provider);
  call->account = g_strdup (account);
  call->key = g_strdup (key);
  call->explicit_key = key != NULL;
  call->ids = g_ptr_array_new_with_free_func (g_free);
  call->n_models = -1;
  g_task_set_task_data (task, call, (GDestroyNotify) fetch_call_free);
  return task;
}

/* The task a caller waits for, with the provider it names; %NULL when the
 * catalog has no such provider (the error then went to @callback). */
static GTask *
outer_task_new (ByokClient           *self,
                const char           *provider_id,
                GCancellable         *cancellable,
                GAsyncReadyCallback   callback,
                gpointer              user_data,
                gpointer              source_tag,
                ByokProvider        **provider)
{
  GTask *outer = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (outer, source_tag);
  *provider = byok_catalog_lookup_provider (byok_client_get_catalog (self), provider_id);
  if (*provider == NULL)
    {
      g_task_return_error (outer, _byok_unknown_provider_error (provider_id));
      g_clear_object (&outer);
    }
  return outer;
}

/**
 * byok_client_list_models_async:
 *
 * Asks the provider for its models (all pages), merges them into the
 * catalog (byok_catalog_merge_models()) and returns the provider's models.
 * A provider that cannot list its models returns the catalog's.
 */
void
byok_client_list_models_async (ByokClient          *self,
                               const char          *provider_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) task = NULL;
  ByokProvider *provider;
  GError *error = NULL;

  g_return_if_fail (BYOK_IS_CLIENT (self));
  g_return_if_fail (provider_id != NULL);

  outer = outer_task_new (self, provider_id, cancellable, callback, user_data, byok_client_list_models_async, &provider);
  if (outer == NULL)
    return;
  if (byok_provider_get_models_list (provider) == BYOK_MODELS_LIST_NONE)
    {
      g_task_return_pointer (outer, byok_catalog_get_models (byok_client_get_catalog (self), provider_id),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  if (!byok_provider_check_config (provider, &error))
    {
      g_task_return_error (outer, error);
      return;
    }

  task = fetch_task_new (self, provider, NULL, NULL, cancellable, list_models_done,
                         g_steal_pointer (&outer));
  fetch_with_key (task, list_fetch_page);
}

/**
 * byok_client_list_models_finish:
 *
 * Returns: (transfer full) (element-type ByokModel): the provider's models,
 *   catalog models first (see byok_model_is_listed()), or %NULL with the
 *   classified error
 */
GPtrArray *
byok_client_list_models_finish (ByokClient    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (BYOK_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- other JSON reads (balances) ----------------------------------------- */

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return a != NULL && b != NULL &&
         g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a) != NULL ? g_uri_get_host (a) : "",
                             g_uri_get_host (b) != NULL ? g_uri_get_host (b) : "") == 0 &&
         g_uri_get_port (a) == g_uri_get_port (b);
}

static void
get_json_done (ByokExchange *ex,
               GError       *error,
               gpointer      user_data)
{
  GTask *task = user_data;  /* held by the exchange until it returns */
  JsonNode *root = NULL;

  if (error == NULL)
    root = fetch_parse_body (ex, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, root, (GDestroyNotify) json_node_unref);
}

static void
get_json_send (GTask *task)
{
  FetchCall *call = g_task_get_task_data (task);
  ByokClient *self = g_task_get_source_object (task);
  const char *url = g_object_get_data (G_OBJECT (task), "byok-url");
  g_autoptr(SoupMessage) msg = NULL;
  GError *error = NULL;

  msg = _byok_exchange_new_message (call->provider, "GET", url, call->key, NULL, FALSE, &error);
  if (msg == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_clear_pointer (&call->ex, _byok_exchange_unref);
  call->ex = _byok_exchange_new (_byok_client_get_transport (self), call->provider, NULL, call->key, msg, FALSE,
                                 g_task_get_cancellable (task), NULL, get_json_done, g_object_ref (task), g_object_unref);
  _byok_exchange_start (call->ex);
}

static void
get_json (ByokClient          *self,
          const char          *provider_id,
          const char          *url,
          const char          *key,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) base = NULL;
  ByokProvider *provider;
  GError *error = NULL;

  provider = byok_catalog_lookup_provider (byok_client_get_catalog (self), provider_id);
  if (provider == NULL)
    {
      task = g_task_new (self, cancellable, callback, user_data);
      g_task_return_error (task, _byok_unknown_provider_error (provider_id));
      return;
    }
  if (!byok_provider_check_config (provider, &error))
    {
      task = g_task_new (self, cancellable, callback, user_data);
      g_task_return_error (task, error);
      return;
    }
  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (byok_provider_get_base_url (provider) != NULL)
    base = g_uri_parse (byok_provider_get_base_url (provider), SOUP_HTTP_URI_FLAGS, NULL);
  if (!same_origin (uri, base))
    {
      task = g_task_new (self, cancellable, callback, user_data);
      g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_INVALID,
                               _("Byok sends the key of %s only to the provider’s own address."),
                               byok_provider_get_name (provider));
      return;
    }

  task = fetch_task_new (self, provider, NULL, key, cancellable, callback, user_data);
  g_task_set_source_tag (task, byok_client_get_json_async);
  g_object_set_data_full (G_OBJECT (task), "byok-url", g_strdup (url), g_free);
  fetch_with_key (task, get_json_send);
}

/**
 * byok_client_get_json_async:
 * @url: an address on the provider's own base URL (scheme, host and port),
 *   e.g. from byok_provider_build_balance_url()
 *
 * One GET of a JSON object with the provider's stored key, on the path
 * every call takes: no redirects, the body's size capped, the JSON's depth
 * checked, a failure classified (AUTH, NOT_FOUND, …) and the key masked
 * out of it. A URL on any other origin is refused (INVALID) before the key
 * is looked up: the key only ever goes to its provider.
 */
void
byok_client_get_json_async (ByokClient          *self,
                            const char          *provider_id,
                            const char          *url,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (BYOK_IS_CLIENT (self));
  g_return_if_fail (provider_id != NULL);
  g_return_if_fail (url != NULL);

  get_json (self, provider_id, url, NULL, cancellable, callback, user_data);
}

/**
 * byok_client_get_json_with_key_async:
 * @key: the key to send instead of the stored one (an admin key,
 *   byok-provider-bill.h), the way the provider takes its keys
 *
 * byok_client_get_json_async() with @key: the same single origin, no
 * redirects, the key masked out of whatever the server says.
 * byok_client_get_json_finish() ends it.
 */
void
byok_client_get_json_with_key_async (ByokClient          *self,
                                     const char          *provider_id,
                                     const char          *url,
                                     const char          *key,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (BYOK_IS_CLIENT (self));
  g_return_if_fail (provider_id != NULL);
  g_return_if_fail (url != NULL);
  g_return_if_fail (key != NULL);

  get_json (self, provider_id, url, key, cancellable, callback, user_data);
}

/**
 * byok_client_get_json_finish:
 *
 * Returns: (transfer full) (nullable): the JSON object read, or %NULL with
 *   the classified error
 */
JsonNode *
byok_client_get_json_finish (ByokClient    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (BYOK_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- key checks --------------------------------------------------------- */

static void
check_fetch_done (ByokExchange *ex,
                  GError       *error,
                  gpointer      user_data)
{
  GTask *task = user_data;  /* the exchange's, until this returns */
  FetchCall *call = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;

  if (error == NULL)
    root = fetch_parse_body (ex, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* A 2xx with any JSON proves the key; count the models when it lists them. */
  if (ex->context.model == NULL)
    {
      JsonObject *object = json_node_get_object (root);
      JsonArray *array = byok_json_get_array (object, "data");

      if (array == NULL)
        array = byok_json_get_array (object, "models");
      if (array != NULL)
        call->n_models = (int) json_array_get_length (array);
    }
  g_task_return_boolean (task, TRUE);
}

static gboolean
check_uses_listing (ByokProvider *provider)
{
  g_autofree char *models = byok_provider_build_models_url (provider);
  g_autofree char *check = byok_provider_build_key_check_url (provider);

  return models != NULL && check != NULL && g_str_equal (models, check) &&
         g_ascii_strcasecmp (byok_provider_get_key_check_method (provider), "GET") == 0;
}

/* Sends the check; the exchange holds @task until it has ended. */
static void
check_run (GTask *task)
{
  ByokClient *self = g_task_get_source_object (task);
  FetchCall *call = g_task_get_task_data (task);
  ByokProvider *provider = call->provider;
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  const char *method = byok_provider_get_key_check_method (provider);
  const char *model = NULL;
  GError *error = NULL;

  call->checking_key = TRUE;
  if (check_uses_listing (provider))
    {
      list_fetch_page (task);
      return;
    }

  url = byok_provider_build_key_check_url (provider);
  if (url == NULL)
    url = byok_provider_build_models_url (provider);
  if (url == NULL)
    {
      g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_INVALID,
                               _("Byok does not know how to test a key of %s."),
                               byok_provider_get_name (provider));
      return;
    }

  if (method != NULL && g_ascii_strcasecmp (method, "POST") == 0)
    {
      g_autoptr(ByokChatRequest) request = NULL;
      ByokModel *check_model;

      /* The cheapest call that proves a key: one token of the cheapest model. */
      model = byok_provider_get_key_check_model (provider);
      request = byok_chat_request_new_simple (model, NULL, "Hi");
      request->max_output_tokens = 1;
      check_model = byok_catalog_lookup_model (byok_client_get_catalog (self), byok_provider_get_id (provider), model);

      body = byok_dialect_build_body (_byok_provider_dialect (provider), request, check_model, FALSE,
                                      _byok_dialect_flags (provider, check_model), &error);
      if (body == NULL)
        {
          g_task_return_error (task, error);
              return;
        }
      method = "POST";
    }
  else
    method = "GET";

  msg = _byok_exchange_new_message (provider, method, url, call->key, body, FALSE, &error);
  if (msg == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_clear_pointer (&call->ex, _byok_exchange_unref);
  call->ex = _byok_exchange_new (_byok_client_get_transport (self), provider, model, call->key, msg, FALSE,
                                 g_task_get_cancellable (task), NULL, check_fetch_done, g_object_ref (task), g_object_unref);
  call->ex->context.ctx.checking_key = TRUE;
  _byok_exchange_start (call->ex);
}

static void
check_key_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  ByokClient *self = g_task_get_source_object (outer);
  FetchCall *call = g_task_get_task_data (G_TASK (result));
  const char *provider_id = byok_provider_get_id (call->provider);
  GError *error = NULL;
  int n_models = call->n_models;

  if (g_task_propagate_boolean (G_TASK (result), &error) && check_uses_listing (call->provider))
    {
      n_models = (int) call->ids->len;
      g_ptr_array_add (call->ids, NULL);
      byok_catalog_merge_models (byok_client_get_catalog (self), provider_id, (const char * const *) call->ids->pdata);
      g_ptr_array_set_size (call->ids, call->ids->len - 1);
    }

  /* A check that sent nothing tested nothing. */
  if (byok_client_get_key_store (self) != NULL &&
      !g_error_matches (error, BYOK_ERROR, BYOK_ERROR_CANCELLED) &&
      !g_error_matches (error, BYOK_ERROR, BYOK_ERROR_NO_KEY) &&
      !g_error_matches (error, BYOK_ERROR, BYOK_ERROR_INSECURE))
    byok_key_store_record_event (byok_client_get_key_store (self), provider_id, call->account, BYOK_KEY_EVENT_TESTED,
                                 error != NULL ? byok_error_get_class (error) : "OK",
                                 error != NULL ? error->message : NULL);

  if (error != NULL)
    {
      g_task_return_error (outer, error);
      return;
    }
  g_task_set_task_data (outer, GINT_TO_POINTER (n_models), NULL);
  g_task_return_boolean (outer, TRUE);
}

/**
 * byok_client_check_key_async:
 * @provider_id: the provider
 * @account: (nullable): the keyring account to test; %NULL for the key calls
 *   use (or for @key)
 * @key: (nullable): a key to test instead of a stored one (the Providers page
 *   tests a key before saving it)
 *
 * Proves a key with the cheapest call that does: the provider's model list
 * where it has one (all pages, merged into the catalog), its key-check
 * endpoint, or a one-token chat on its cheapest model. Records a "tested"
 * key event with the key store.
 */
void
byok_client_check_key_async (ByokClient          *self,
                             const char          *provider_id,
                             const char          *account,
                             const char          *key,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) task = NULL;
  ByokProvider *provider;
  GError *error = NULL;

  g_return_if_fail (BYOK_IS_CLIENT (self));
  g_return_if_fail (provider_id != NULL);

  outer = outer_task_new (self, provider_id, cancellable, callback, user_data, byok_client_check_key_async, &provider);
  if (outer == NULL)
    return;
  if (!byok_provider_check_config (provider, &error))
    {
      g_task_return_error (outer, error);
      return;
    }
  if (key != NULL && *key == '\0')
    key = NULL;

  task = fetch_task_new (self, provider, account, key, cancellable, check_key_done,
                         g_steal_pointer (&outer));
  fetch_with_key (task, check_run);
}

/**
 * byok_client_check_key_finish:
 * @n_models: (out) (optional): how many models the key can use, or -1
 *   when the check does not tell
 *
 * Returns: TRUE if the key works; else FALSE with the classified error
 *   (AUTH when the provider rejected it, NO_KEY, NETWORK, …)
 */
gboolean
byok_client_check_key_finish (ByokClient    *self,
                              GAsyncResult  *result,
                              int           *n_models,
                              GError       **error)
{
  g_return_val_if_fail (BYOK_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (n_models != NULL)
    *n_models = -1;
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (n_models != NULL)
    *n_models = GPOINTER_TO_INT (g_task_get_task_data (G_TASK (result)));
  return TRUE;
}

/**
 * byok_client_describe_key_check:
 * Returns: (transfer full): "Key works — 42 models", or "Key works"
 */
char *
byok_client_describe_key_check (int n_models)
{
  if (n_models < 0)
    return g_strdup (_("Key works"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Key works — %d model", "Key works — %d models",
                                       n_models),
                          n_models);
}

