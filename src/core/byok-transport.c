/* byok-transport.c — the session, settings and targets a client's requests
 * share (byok-transport-private.h)
 */
#define G_LOG_DOMAIN "byok-client"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "byok-error.h"
#include "byok-transport-private.h"

/* ---- life --------------------------------------------------------------- */

/**
 * _byok_transport_new:
 *
 * A transport with its session; the client sets its catalog, key store
 * and settings.
 *
 * Returns: (transfer full)
 */
ByokTransport *
_byok_transport_new (void)
{
  ByokTransport *self = g_new0 (ByokTransport, 1);
  g_autofree char *user_agent = g_strdup_printf ("Byok/%s ", PACKAGE_VERSION);

  g_atomic_ref_count_init (&self->ref_count);
  /* Timeouts are ours (per phase); libsoup's would cut long streams.
   * libsoup allows two connections per host by default: a comparison of
   * four models on one HTTP/1.1 host (a local server, a gateway) would
   * queue the third and fourth behind the first two. */
  self->session = soup_session_new_with_options ("user-agent", user_agent,
                                                 "timeout", 0,
                                                 "idle-timeout", 60,
                                                 "max-conns-per-host", 8,
                                                 NULL);
  return self;
}

ByokTransport *
_byok_transport_ref (ByokTransport *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
_byok_transport_unref (ByokTransport *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;
  soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->catalog);
  g_clear_object (&self->key_store);
  g_free (self);
}

/* ---- targets ------------------------------------------------------------ */

/* byok_client_parse_target(), and a call's fallbacks. */
gboolean
_byok_transport_parse_target (ByokTransport  *self,
                              const char     *target,
                              char          **provider_id,
                              char          **model,
                              GError        **error)
{
  const char *slash;
  ByokModel *found;

  slash = strchr (target, '/');
  if (slash != NULL && slash != target && slash[1] != '\0')
    {
      g_autofree char *prefix = g_strndup (target, slash - target);

      if (byok_catalog_lookup_provider (self->catalog, prefix) != NULL)
        {
          *provider_id = g_steal_pointer (&prefix);
          *model = g_strdup (slash + 1);
          return TRUE;
        }
    }

  found = byok_catalog_find_model (self->catalog, target);
  if (found != NULL)
    {
      *provider_id = g_strdup (byok_model_get_provider_id (found));
      *model = g_strdup (byok_model_get_id (found));
      return TRUE;
    }

  g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
               _("“%s” is not a model Byok knows. Name its provider too, as PROVIDER/MODEL "
                 "(for example openai/gpt-4o-mini); “byok-cli models PROVIDER” lists them."),
               target);
  return FALSE;
}

/* ---- preconnect --------------------------------------------------------- */

static void
preconnect_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autofree char *provider_id = user_data;
  g_autoptr(GError) error = NULL;

  if (!soup_session_preconnect_finish (SOUP_SESSION (source), result, &error))
    g_debug ("No connection ahead to %s: %s", provider_id, error->message);
}

/* byok_client_preconnect() */
void
_byok_transport_preconnect (ByokTransport *self,
                            const char    *provider_id)
{
  ByokProvider *provider;
  const char *base_url;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  provider = byok_catalog_lookup_provider (self->catalog, provider_id);
  base_url = provider != NULL ? byok_provider_get_base_url (provider) : NULL;
  uri = base_url != NULL ? g_uri_parse (base_url, SOUP_HTTP_URI_FLAGS, NULL) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0 &&
       g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0))
    return;
  /* Never sent; a GET, so that an idle connection to the host serves
   * instead of a new one. The next request to the host takes the one
   * opened here (every request may take an idle connection,
   * _byok_exchange_new_message()). */
  msg = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  soup_session_preconnect_async (self->session, msg, G_PRIORITY_DEFAULT, NULL, preconnect_cb,
                                 g_strdup (provider_id));
}
