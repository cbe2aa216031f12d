/* byok-chat-page-providers.c — which providers the Chat page can ask
 *
 * The usable keys (the keyring's and the environment's) and the local
 * servers make the providers the model picker and Compare offer, and
 * those Auto may send to; a key the provider refused at its last check is
 * offered last.
 */
#define G_LOG_DOMAIN "byok-chat-page"

#include "config.h"

#include "byok-chat-page-private.h"

/* ---- which providers can be used ----------------------------------------- */

/**
 * _byok_chat_page_show_keys:
 *
 * The model picker and Compare offer the providers that can be asked,
 * those whose key was refused last; with no model chosen, the picker
 * takes the default among them. Nothing before the keys are known, or
 * before the conversation view is built.
 */
void
_byok_chat_page_show_keys (ByokChatPage *self)
{
  ByokModelPicker *picker;

  if (!self->keys_known || self->split_view == NULL || self->engine == NULL)
    return;

  picker = byok_composer_get_picker (self->composer);
  byok_model_picker_set_refused (picker, (const char * const *) self->refused);
  if (self->compare_view != NULL)
    byok_compare_view_set_refused (self->compare_view, (const char * const *) self->refused);
  byok_model_picker_set_available (picker, (const char * const *) self->available);
  if (self->compare_view != NULL)
    byok_compare_view_set_available (self->compare_view, (const char * const *) self->available);
  if (self->conversation == NULL || byok_conversation_get_model (self->conversation) == NULL)
    byok_model_picker_select_default (picker, byok_engine_get_provider_settings (self->engine));
}

static void
apply_keys (ByokChatPage *self,
            GHashTable   *with_key)
{
  ByokCatalog *catalog = byok_engine_get_catalog (self->engine);
  g_autoptr(GPtrArray) providers = byok_catalog_get_providers (catalog);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) keyed = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) local = g_strv_builder_new ();

  self->has_key = FALSE;
  self->has_local = FALSE;
  for (guint i = 0; i < providers->len; i++)
    {
      ByokProvider *provider = g_ptr_array_index (providers, i);
      const char *id = byok_provider_get_id (provider);

      if (!byok_provider_get_enabled (provider))
        continue;
      if (!byok_provider_get_needs_key (provider))
        {
          self->has_local = TRUE;
          g_strv_builder_add (builder, id);
          g_strv_builder_add (local, id);
        }
      else if (g_hash_table_contains (with_key, id))
        {
          self->has_key = TRUE;
          g_strv_builder_add (builder, id);
          g_strv_builder_add (keyed, id);
        }
    }

  g_strfreev (self->available);
  self->available = g_strv_builder_end (builder);
  /* Auto picks among the providers the user has keys for: a local server
   * may not be running. Without any key, among the local ones. */
  g_strfreev (self->routable);
  self->routable = self->has_key ? g_strv_builder_end (keyed) : g_strv_builder_end (local);
  self->keys_known = TRUE;

  /* A view built now (the first key) is shown them as it is built. */
  _byok_chat_page_show_keys (self);
  _byok_chat_page_update_state (self);
}

static void
keys_listed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ByokChatPage) self = user_data;
  ByokKeyStore *key_store = BYOK_KEY_STORE (source);
  g_autoptr(GError) keyring_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) keys = byok_key_store_list_usable_finish (key_store, result, &keyring_error, &error);
  g_autoptr(GHashTable) with_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GStrvBuilder) refused = g_strv_builder_new ();
  g_auto(GStrv) refused_ids = NULL;

  self->keys_listing = FALSE;
  /* Asked again while this listing was on its way: a key may have changed
   * after the keyring answered it. */
  if (self->keys_relist)
    {
      self->keys_relist = FALSE;
      _byok_chat_page_refresh_keys (self);
    }
  if (keys == NULL || self->engine == NULL || byok_engine_get_key_store (self->engine) != key_store)
    return;
  /* Without a keyring, environment keys still count. */
  if (keyring_error != NULL)
    g_debug ("Could not list the keyring's keys: %s", keyring_error->message);

  for (guint i = 0; i < keys->len; i++)
    {
      ByokKey *key = g_ptr_array_index (keys, i);

      g_hash_table_add (with_key, g_strdup (byok_key_get_provider (key)));
      /* A key the provider refused at its last check or chat is no
       * usable key: a default goes elsewhere first. */
      if (byok_key_get_is_active (key) &&
          byok_engine_key_is_rejected (self->engine, byok_key_get_provider (key),
                                       byok_key_get_source (key) == BYOK_KEY_SOURCE_KEYRING
                                       ? byok_key_get_account (key) : NULL))
        g_strv_builder_add (refused, byok_key_get_provider (key));
    }

  refused_ids = g_strv_builder_end (refused);
  g_strfreev (self->refused);
  self->refused = g_steal_pointer (&refused_ids);
  apply_keys (self, with_key);
}

void
_byok_chat_page_refresh_keys (ByokChatPage *self)
{
  if (self->engine == NULL)
    return;
  /* One listing at a time: a request meanwhile (the page mapped, the
   * window back in focus, the keyring's signal) lists again after it. */
  if (self->keys_listing)
    {
      self->keys_relist = TRUE;
      return;
    }

  self->keys_listing = TRUE;
  /* Which providers have a key and which account is active, never a
   * secret: the keyring's are not read. */
  byok_key_store_list_usable_accounts_async (byok_engine_get_key_store (self->engine), NULL, self->cancellable,
                                             keys_listed_cb, g_object_ref (self));
}

/**
 * byok_chat_page_reload_keys:
 *
 * Lists the keys again: a key may have been stored or deleted from
 * elsewhere, and which providers can be asked follows.
 */
void
byok_chat_page_reload_keys (ByokChatPage *self)
{
  g_return_if_fail (BYOK_IS_CHAT_PAGE (self));

  _byok_chat_page_refresh_keys (self);
}
