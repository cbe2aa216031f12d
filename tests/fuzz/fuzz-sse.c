/* fuzz-sse.c — libFuzzer target for ByokSse
 *
 * Each input is fed three ways: whole, byte by byte, and in pieces whose
 * sizes come from the input itself. Every way must give the same events
 * (names and data, all valid UTF-8), the same failure and the same
 * verdict at the end of the stream. An event named "stop" stops the
 * parser, as a terminator does.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "byok-error.h"
#include "byok-sse.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

typedef struct {
  GString  *events;     /* "name\x1f" "data\x1e" … */
  gboolean  failed;
  int       code;
  gboolean  clean;
  guint     n_events;
} Outcome;

static gboolean
collect (const char  *event_name,
         const char  *data,
         gpointer     user_data,
         GError     **error)
{
  Outcome *out = user_data;

  g_assert (g_utf8_validate (data, -1, NULL));
  g_assert (event_name == NULL || (*event_name != '\0' && g_utf8_validate (event_name, -1, NULL)));
  g_string_append (out->events, event_name != NULL ? event_name : "-");
  g_string_append_c (out->events, '\x1f');
  g_string_append (out->events, data);
  g_string_append_c (out->events, '\x1e');
  return g_strcmp0 (event_name, "stop") != 0;
}

/* Feeds @data in pieces: @piece 0 is whole, 1 byte by byte, else sizes
 * drawn from a generator seeded with @piece. */
static void
feed (const uint8_t *data,
      size_t         size,
      guint32        piece,
      Outcome       *out)
{
  g_autoptr(ByokSse) sse = byok_sse_new ();
  g_autoptr(GError) error = NULL;
  size_t at = 0;
  guint32 state = piece;

  out->events = g_string_new (NULL);
  while (at < size)
    {
      size_t n;

      if (piece == 0)
        n = size;
      else if (piece == 1)
        n = 1;
      else
        {
          state = state * 1103515245u + 12345u;
          n = 1 + (state >> 16) % 64;
        }
      n = MIN (n, size - at);
      if (!byok_sse_feed (sse, (const char *) data + at, n, collect, out, &error))
        {
          g_assert (error != NULL && error->domain == BYOK_ERROR);
          out->failed = TRUE;
          out->code = error->code;
          g_assert (byok_sse_is_stopped (sse));
          break;
        }
      g_assert (error == NULL);
      at += n;
    }
  /* Fed after a stop or a failure, nothing happens. */
  if (byok_sse_is_stopped (sse))
    {
      g_assert (byok_sse_feed (sse, "data: x\n\n", 9, collect, out, NULL));
    }
  out->n_events = byok_sse_get_n_events (sse);
  (void) byok_sse_get_last_event_id (sse);
  (void) byok_sse_get_retry_ms (sse);
  out->clean = byok_sse_finish (sse);
  /* finish resets: the parser is as new. */
  g_assert (byok_sse_get_n_events (sse) == 0);
  g_assert (!byok_sse_is_stopped (sse));
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  Outcome whole = { 0, };
  Outcome bytewise = { 0, };
  Outcome pieces = { 0, };
  guint32 seed = 2;

  for (size_t i = 0; i < MIN (size, 8); i++)
    seed = seed * 31 + data[i];
  seed |= 2;

  feed (data, size, 0, &whole);
  feed (data, size, 1, &bytewise);
  feed (data, size, seed, &pieces);

  g_assert (g_str_equal (whole.events->str, bytewise.events->str));
  g_assert (g_str_equal (whole.events->str, pieces.events->str));
  g_assert (whole.failed == bytewise.failed && whole.failed == pieces.failed);
  g_assert (whole.code == bytewise.code && whole.code == pieces.code);
  g_assert (whole.n_events == bytewise.n_events && whole.n_events == pieces.n_events);
  g_assert (whole.clean == bytewise.clean && whole.clean == pieces.clean);

  g_string_free (whole.events, TRUE);
  g_string_free (bytewise.events, TRUE);
  g_string_free (pieces.events, TRUE);
  return 0;
}
