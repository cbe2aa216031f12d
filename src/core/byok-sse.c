/* byok-sse.c — incremental Server-Sent Events parser */
#define G_LOG_DOMAIN "byok-sse"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "byok-error.h"
#include "byok-sse.h"

/* A single event larger than this is not a chat stream: refuse it rather
 * than grow without bound. */
#define MAX_EVENT_BYTES (16 * 1024 * 1024)

static const guchar utf8_bom[3] = { 0xEF, 0xBB, 0xBF };

struct _ByokSse
{
  GString  *line;           /* bytes of the current, unfinished line */
  GString  *data;           /* data buffer: each data line + "\n" */
  GString  *event_type;     /* event type buffer */
  GString  *id_buffer;      /* last event ID buffer (persists across events) */
  char     *last_event_id;  /* set at each dispatch */
  gint64    retry_ms;       /* -1 until a valid retry: field */
  guint     n_events;
  guint     bom_matched;    /* bytes of a leading BOM seen so far */
  guint     have_data : 1;
  guint     cr_pending : 1; /* the last line ended in CR: skip one LF */
  guint     bom_done : 1;
  guint     stopped : 1;
};

/**
 * byok_sse_new:
 * Returns: (transfer full): a parser at the start of a stream. Free it with
 *   byok_sse_free().
 */
ByokSse *
byok_sse_new (void)
{
  ByokSse *self = g_new0 (ByokSse, 1);

  self->line = g_string_new (NULL);
  self->data = g_string_new (NULL);
  self->event_type = g_string_new (NULL);
  self->id_buffer = g_string_new (NULL);
  self->retry_ms = -1;
  return self;
}

void
byok_sse_free (ByokSse *self)
{
  if (self == NULL)
    return;
  g_string_free (self->line, TRUE);
  g_string_free (self->data, TRUE);
  g_string_free (self->event_type, TRUE);
  g_string_free (self->id_buffer, TRUE);
  g_free (self->last_event_id);
  g_free (self);
}

/**
 * byok_sse_reset:
 * Forgets everything, as if @self were new: use it for a new connection.
 */
void
byok_sse_reset (ByokSse *self)
{
  g_return_if_fail (self != NULL);

  g_string_truncate (self->line, 0);
  g_string_truncate (self->data, 0);
  g_string_truncate (self->event_type, 0);
  g_string_truncate (self->id_buffer, 0);
  g_clear_pointer (&self->last_event_id, g_free);
  self->retry_ms = -1;
  self->n_events = 0;
  self->bom_matched = 0;
  self->have_data = FALSE;
  self->cr_pending = FALSE;
  self->bom_done = FALSE;
  self->stopped = FALSE;
}

static void
clear_event (ByokSse *self)
{
  g_string_truncate (self->data, 0);
  g_string_truncate (self->event_type, 0);
  self->have_data = FALSE;
}

static gboolean
fail_malformed (ByokSse     *self,
                GError     **error,
                const char  *message)
{
  self->stopped = TRUE;
  g_set_error_literal (error, BYOK_ERROR, BYOK_ERROR_MALFORMED, message);
  return FALSE;
}

static gboolean
dispatch (ByokSse           *self,
          ByokSseEventFunc   func,
          gpointer           user_data,
          GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *event_name = NULL;
  gboolean go_on;

  g_free (self->last_event_id);
  self->last_event_id = g_strndup (self->id_buffer->str, self->id_buffer->len);

  if (!self->have_data)
    {
      clear_event (self);
      return TRUE;
    }

  /* Each data line appended "\n"; the last one is not part of the data. */
  g_string_truncate (self->data, self->data->len - 1);

  if (!g_utf8_validate_len (self->data->str, self->data->len, NULL) ||
      !g_utf8_validate_len (self->event_type->str, self->event_type->len, NULL))
    {
      clear_event (self);
      return fail_malformed (self, error,
                             _("The provider sent an event that is not valid UTF-8."));
    }

  if (self->event_type->len > 0)
    event_name = self->event_type->str;

  self->n_events++;
  go_on = func (event_name, self->data->str, user_data, &local_error);
  clear_event (self);

  if (!go_on)
    {
      self->stopped = TRUE;
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  else if (local_error != NULL)
    {
      g_warning ("SSE event callback set an error but returned TRUE: %s",
                 local_error->message);
    }

  return TRUE;
}

static gboolean
field_is (const char *field,
          gsize       field_len,
          const char *name)
{
  return strlen (name) == field_len && memcmp (field, name, field_len) == 0;
}

static gboolean
all_ascii_digits (const char *value,
                  gsize       len)
{
  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (value[i]))
        return FALSE;
    }
  return TRUE;
}

static gboolean
process_line (ByokSse           *self,
              ByokSseEventFunc   func,
              gpointer           user_data,
              GError           **error)
{
  const char *line = self->line->str;
  gsize len = self->line->len;
  const char *colon;
  const char *value;
  gsize field_len;
  gsize value_len;

  if (len == 0)
    return dispatch (self, func, user_data, error);

  if (line[0] == ':')
    return TRUE;   /* a comment: ": keep-alive", ": OPENROUTER PROCESSING" */

  colon = memchr (line, ':', len);
  if (colon != NULL)
    {
      field_len = (gsize) (colon - line);
      value = colon + 1;
      value_len = len - field_len - 1;
      if (value_len > 0 && value[0] == ' ')
        {
          value++;
          value_len--;
        }
    }
  else
    {
      field_len = len;
      value = line + len;
      value_len = 0;
    }

  if (field_is (line, field_len, "data"))
    {
      g_string_append_len (self->data, value, value_len);
      g_string_append_c (self->data, '\n');
      self->have_data = TRUE;
    }
  else if (field_is (line, field_len, "event"))
    {
      g_string_truncate (self->event_type, 0);
      g_string_append_len (self->event_type, value, value_len);
    }
  else if (field_is (line, field_len, "id"))
    {
      if (memchr (value, '\0', value_len) == NULL)
        {
          g_string_truncate (self->id_buffer, 0);
          g_string_append_len (self->id_buffer, value, value_len);
        }
    }
  else if (field_is (line, field_len, "retry"))
    {
      guint64 ms;

      if (all_ascii_digits (value, value_len))
        {
          g_autofree char *str = g_strndup (value, value_len);

          if (g_ascii_string_to_unsigned (str, 10, 0, G_MAXINT64, &ms, NULL))
            self->retry_ms = (gint64) ms;
        }
    }
  /* Any other field is ignored. */

  return TRUE;
}

/* Consumes the bytes of a leading UTF-8 BOM, which the spec strips.
 * Returns how many bytes of @bytes were consumed. */
static gsize
skip_bom (ByokSse    *self,
          const char *bytes,
          gsize       len)
{
  gsize i = 0;

  while (!self->bom_done && i < len)
    {
      if ((guchar) bytes[i] == utf8_bom[self->bom_matched])
        {
          self->bom_matched++;
          i++;
          if (self->bom_matched == G_N_ELEMENTS (utf8_bom))
            self->bom_done = TRUE;
        }
      else
        {
          /* Not a BOM after all: what matched is ordinary (if odd) data. */
          g_string_append_len (self->line, (const char *) utf8_bom, self->bom_matched);
          self->bom_done = TRUE;
        }
    }
  return i;
}

/**
 * byok_sse_feed:
 * @self: a parser
 * @bytes: (array length=len): the next bytes of the stream, split anywhere
 * @len: their length
 * @func: called for each event these bytes complete
 * @user_data: passed to @func
 * @error: where to put a failure
 *
 * Parses @bytes and calls @func for every event they complete, in order.
 * When @func returns FALSE the parser stops: the rest of @bytes, and of any
 * later feed, is ignored (see byok_sse_is_stopped()).
 *
 * Returns: FALSE with an error if the stream is malformed (an event that
 *   is not valid UTF-8: %BYOK_ERROR_MALFORMED; an event over 16 MiB) or if
 *   @func stopped with an error; TRUE otherwise, including a normal stop.
 */
gboolean
byok_sse_feed (ByokSse           *self,
               const char        *bytes,
               gsize              len,
               ByokSseEventFunc   func,
               gpointer           user_data,
               GError           **error)
{
  gsize i = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (bytes != NULL || len == 0, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->stopped)
    return TRUE;

  if (!self->bom_done)
    i = skip_bom (self, bytes, len);

  while (i < len)
    {
      gsize j;

      if (self->cr_pending)
        {
          self->cr_pending = FALSE;
          if (bytes[i] == '\n')
            {
              i++;
              continue;
            }
        }

      for (j = i; j < len && bytes[j] != '\r' && bytes[j] != '\n'; j++)
        ;

      if (self->line->len + self->data->len + (j - i) > MAX_EVENT_BYTES)
        return fail_malformed (self, error,
                               _("The provider sent an event larger than 16 MiB."));

      g_string_append_len (self->line, bytes + i, (gssize) (j - i));
      if (j == len)
        break;   /* the line goes on in the next feed */

      self->cr_pending = (bytes[j] == '\r');
      i = j + 1;

      if (!process_line (self, func, user_data, error))
        {
          g_string_truncate (self->line, 0);
          return FALSE;
        }
      g_string_truncate (self->line, 0);

      if (self->stopped)
        return TRUE;
    }

  return TRUE;
}

/**
 * byok_sse_finish:
 * @self: a parser
 *
 * Call at the end of the stream. An event not yet ended by a blank line is
 * discarded, as the spec says; a line without its line end too. The parser
 * is then reset for reuse.
 *
 * Returns: TRUE if the stream ended cleanly at an event boundary (or the
 *   parser had been stopped); FALSE if bytes were pending and discarded —
 *   the stream was probably cut short.
 */
gboolean
byok_sse_finish (ByokSse *self)
{
  gboolean clean;

  g_return_val_if_fail (self != NULL, FALSE);

  clean = self->stopped ||
          (self->line->len == 0 && !self->have_data && self->event_type->len == 0 &&
           (self->bom_done || self->bom_matched == 0));
  byok_sse_reset (self);
  return clean;
}

/**
 * byok_sse_is_stopped:
 * Returns: whether the event callback stopped the parser, or it failed.
 */
gboolean
byok_sse_is_stopped (ByokSse *self)
{
  g_return_val_if_fail (self != NULL, TRUE);
  return self->stopped;
}

/**
 * byok_sse_get_n_events:
 * Returns: how many events were dispatched so far.
 */
guint
byok_sse_get_n_events (ByokSse *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_events;
}

/**
 * byok_sse_get_last_event_id:
 * Returns: (nullable): the last event ID as of the last dispatched event, or
 *   NULL before the first. It may be "" (no or an empty `id:`).
 */
const char *
byok_sse_get_last_event_id (ByokSse *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->last_event_id;
}

/**
 * byok_sse_get_retry_ms:
 * Returns: the reconnection time the server asked for with `retry:`, in
 *   milliseconds, or -1.
 */
gint64
byok_sse_get_retry_ms (ByokSse *self)
{
  g_return_val_if_fail (self != NULL, -1);
  return self->retry_ms;
}
