/* test-sse.c — the incremental Server-Sent Events parser
 *
 * Every stream is fed whole, split in two at every position, byte by byte,
 * and in random pieces; every way must give the same events.
 */
#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "byok-error.h"
#include "byok-sse.h"

/* Events as "name|data" strings, name "-" for the default type. */
static gboolean
collect_cb (const char  *event_name,
            const char  *data,
            gpointer     user_data,
            GError     **error)
{
  GPtrArray *events = user_data;

  g_ptr_array_add (events, g_strdup_printf ("%s|%s", event_name ? event_name : "-", data));
  return TRUE;
}

static void
assert_events (GPtrArray          *events,
               const char * const *expected,
               const char         *how)
{
  guint n_expected = g_strv_length ((char **) expected);

  for (guint i = 0; i < MIN (events->len, n_expected); i++)
    {
      if (g_strcmp0 (g_ptr_array_index (events, i), expected[i]) != 0)
        g_error ("%s: event %u is “%s”, expected “%s”", how, i,
                 (char *) g_ptr_array_index (events, i), expected[i]);
    }
  if (events->len != n_expected)
    g_error ("%s: %u events, expected %u", how, events->len, n_expected);
}

/* Feeds @stream in the pieces @cuts gives (sorted offsets) and checks. */
static void
feed_in_pieces (const char         *stream,
                gsize               len,
                const gsize        *cuts,
                guint               n_cuts,
                const char * const *expected,
                gboolean            clean_end,
                const char         *how)
{
  g_autoptr(ByokSse) sse = byok_sse_new ();
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  gsize start = 0;

  for (guint i = 0; i <= n_cuts; i++)
    {
      gsize end = i < n_cuts ? cuts[i] : len;
      g_autoptr(GError) error = NULL;

      g_assert_true (byok_sse_feed (sse, stream + start, end - start, collect_cb, events, &error));
      g_assert_no_error (error);
      start = end;
    }
  assert_events (events, expected, how);
  g_assert_cmpint (byok_sse_finish (sse), ==, clean_end);
}

static void
check_every_split (const char         *stream,
                   const char * const *expected,
                   gboolean            clean_end)
{
  gsize len = strlen (stream);
  g_autofree gsize *cuts = g_new (gsize, len + 1);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240601);

  feed_in_pieces (stream, len, NULL, 0, expected, clean_end, "whole");

  for (gsize i = 0; i <= len; i++)
    {
      g_autofree char *how = g_strdup_printf ("split at %" G_GSIZE_FORMAT, i);

      cuts[0] = i;
      feed_in_pieces (stream, len, cuts, 1, expected, clean_end, how);
    }

  for (gsize i = 0; i < len; i++)
    cuts[i] = i + 1;
  feed_in_pieces (stream, len, cuts, len > 0 ? len - 1 : 0, expected, clean_end, "byte by byte");

  for (guint round = 0; round < 200; round++)
    {
      guint n = 0;
      gsize at = 0;

      while (TRUE)
        {
          at += g_rand_int_range (rand, 0, 12);
          if (at >= len)
            break;
          cuts[n++] = at;
        }
      feed_in_pieces (stream, len, cuts, n, expected, clean_end, "random pieces");
    }
}

static void
test_sse_openai_style (void)
{
  /* é is 2 bytes, 😀 is 4: every split lands inside them somewhere. */
  const char *stream =
    "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"
    ": keep-alive\n\n"
    "data: {\"choices\":[{\"delta\":{\"content\":\"Héllo 😀\"}}]}\n\n"
    ": OPENROUTER PROCESSING\n"
    "\n"
    "data:{\"choices\":[],\"usage\":{\"prompt_tokens\":3}}\n\n"
    "data: [DONE]\n\n";
  const char * const expected[] = {
    "-|{\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}",
    "-|{\"choices\":[{\"delta\":{\"content\":\"Héllo 😀\"}}]}",
    "-|{\"choices\":[],\"usage\":{\"prompt_tokens\":3}}",
    "-|[DONE]",
    NULL
  };

  check_every_split (stream, expected, TRUE);
}

static void
test_sse_crlf_and_event_names (void)
{
  const char *stream =
    "event: message_start\r\n"
    "data: {\"type\":\"message_start\"}\r\n"
    "\r\n"
    "event: ping\r\n"
    "data: {\"type\": \"ping\"}\r\n"
    "\r\n"
    "event: content_block_delta\r\n"
    "data: {\"type\":\"content_block_delta\",\"delta\":{\"text\":\"日本\"}}\r\n"
    "\r\n"
    "event: message_stop\r\n"
    "data: {\"type\":\"message_stop\"}\r\n"
    "\r\n";
  const char * const expected[] = {
    "message_start|{\"type\":\"message_start\"}",
    "ping|{\"type\": \"ping\"}",
    "content_block_delta|{\"type\":\"content_block_delta\",\"delta\":{\"text\":\"日本\"}}",
    "message_stop|{\"type\":\"message_stop\"}",
    NULL
  };

  check_every_split (stream, expected, TRUE);
}

static void
test_sse_lone_cr (void)
{
  const char *stream =
    "event: a\r"
    "data: x\r"
    "\r"
    "data:no-space\r"
    "data:  two-spaces\r"
    "\r"
    "data: after\r\n"
    "\n"
    "data: mixed\n"
    "\r";
  const char * const expected[] = {
    "a|x",
    "-|no-space\n two-spaces",
    "-|after",
    "-|mixed",
    NULL
  };

  check_every_split (stream, expected, TRUE);
}

static void
test_sse_multi_line_and_fields (void)
{
  /* A BOM, multi-line data, an empty data line, a field with no colon,
   * unknown fields, id and retry, events without data, comments. */
  const char *stream =
    "\xEF\xBB\xBF"
    "data: line1\n"
    "data: line2\n"
    "data:\n"
    "data: line4\n"
    "\n"
    "event: only-a-name\n"
    "\n"
    "\n"
    "\n"
    "id: 42\n"
    "retry: 1500\n"
    "foo: bar\n"
    "event\n"
    "data\n"
    "\n"
    ":comment with data: in it\n"
    "event: named\n"
    "data: {\"padded\" :  true }  \n"
    "\n";
  const char * const expected[] = {
    "-|line1\nline2\n\nline4",
    "-|",
    "named|{\"padded\" :  true }  ",
    NULL
  };

  check_every_split (stream, expected, TRUE);

  {
    g_autoptr(ByokSse) sse = byok_sse_new ();
    g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);

    g_assert_null (byok_sse_get_last_event_id (sse));
    g_assert_cmpint (byok_sse_get_retry_ms (sse), ==, -1);
    g_assert_true (byok_sse_feed (sse, stream, strlen (stream), collect_cb, events, NULL));
    g_assert_cmpstr (byok_sse_get_last_event_id (sse), ==, "42");
    g_assert_cmpint (byok_sse_get_retry_ms (sse), ==, 1500);
    g_assert_cmpuint (byok_sse_get_n_events (sse), ==, 3);
  }
}

static void
test_sse_pending_at_eof (void)
{
  const char *cases[] = {
    "data: never dispatched\n",          /* no blank line */
    "data: no line end",                 /* no line end at all */
    "data: a\n\ndata: b\n",
    "event: x\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ByokSse) sse = byok_sse_new ();
      g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);

      g_assert_true (byok_sse_feed (sse, cases[i], strlen (cases[i]), collect_cb, events, NULL));
      g_assert_false (byok_sse_finish (sse));
      /* Discarded, per spec: only a complete event counts. */
      g_assert_cmpuint (events->len, ==, i == 2 ? 1 : 0);
    }

  {
    g_autoptr(ByokSse) sse = byok_sse_new ();
    g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);

    /* A stream ending in a lone CR ended its line: nothing pending. */
    g_assert_true (byok_sse_feed (sse, "data: a\r\r", 9, collect_cb, events, NULL));
    g_assert_true (byok_sse_finish (sse));
    g_assert_cmpuint (events->len, ==, 1);
  }
}

static gboolean
stop_at_done_cb (const char  *event_name,
                 const char  *data,
                 gpointer     user_data,
                 GError     **error)
{
  GPtrArray *events = user_data;

  g_ptr_array_add (events, g_strdup (data));
  return !g_str_equal (data, "[DONE]");
}

static gboolean
fail_on_second_cb (const char  *event_name,
                   const char  *data,
                   gpointer     user_data,
                   GError     **error)
{
  GPtrArray *events = user_data;

  g_ptr_array_add (events, g_strdup (data));
  if (events->len == 2)
    {
      g_set_error_literal (error, BYOK_ERROR, BYOK_ERROR_OVERLOADED, "overloaded");
      return FALSE;
    }
  return TRUE;
}

static void
test_sse_stop (void)
{
  const char *stream = "data: a\n\ndata: [DONE]\n\ndata: after\n\n";
  g_autoptr(ByokSse) sse = byok_sse_new ();
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  /* A normal stop: no error, the rest ignored, now and later. */
  g_assert_true (byok_sse_feed (sse, stream, strlen (stream), stop_at_done_cb, events, &error));
  g_assert_no_error (error);
  g_assert_true (byok_sse_is_stopped (sse));
  g_assert_true (byok_sse_feed (sse, "data: more\n\n", 12, stop_at_done_cb, events, &error));
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_true (byok_sse_finish (sse));

  /* A stop with an error: the callback's error comes back. */
  g_ptr_array_set_size (events, 0);
  g_assert_false (byok_sse_feed (sse, stream, strlen (stream), fail_on_second_cb, events, &error));
  g_assert_error (error, BYOK_ERROR, BYOK_ERROR_OVERLOADED);
  g_assert_cmpuint (events->len, ==, 2);
}

static void
test_sse_invalid_utf8 (void)
{
  const char *streams[] = {
    "data: ok\n\ndata: bad \xff byte\n\n",
    "data: ok\n\ndata: cut \xe6\x97\n\n",          /* a character cut short */
    "data: ok\n\nevent: \xc3\x28\ndata: x\n\n",     /* an invalid event name */
    "data: ok\n\ndata: nul \0 inside\n\n",
  };
  gsize lens[] = { 0, 0, 0, 30 };

  for (guint i = 0; i < G_N_ELEMENTS (streams); i++)
    {
      gsize len = lens[i] ? lens[i] : strlen (streams[i]);

      /* Byte by byte too: the failure does not depend on the split. */
      for (guint by_byte = 0; by_byte < 2; by_byte++)
        {
          g_autoptr(ByokSse) sse = byok_sse_new ();
          g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
          g_autoptr(GError) error = NULL;
          gboolean ok = TRUE;

          if (by_byte)
            {
              for (gsize j = 0; j < len && ok; j++)
                ok = byok_sse_feed (sse, streams[i] + j, 1, collect_cb, events, &error);
            }
          else
            ok = byok_sse_feed (sse, streams[i], len, collect_cb, events, &error);

          g_assert_false (ok);
          g_assert_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED);
          g_assert_cmpuint (events->len, ==, 1);
          g_assert_cmpstr (g_ptr_array_index (events, 0), ==, "-|ok");
          g_assert_true (byok_sse_is_stopped (sse));
        }
    }
}

static void
test_sse_reset (void)
{
  g_autoptr(ByokSse) sse = byok_sse_new ();
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (byok_sse_feed (sse, "id: 1\ndata: half", 16, collect_cb, events, NULL));
  byok_sse_reset (sse);
  g_assert_true (byok_sse_feed (sse, "data: new\n\n", 11, collect_cb, events, NULL));
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (events, 0), ==, "-|new");
  g_assert_cmpstr (byok_sse_get_last_event_id (sse), ==, "");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sse/openai-style", test_sse_openai_style);
  g_test_add_func ("/sse/crlf-and-event-names", test_sse_crlf_and_event_names);
  g_test_add_func ("/sse/lone-cr", test_sse_lone_cr);
  g_test_add_func ("/sse/multi-line-and-fields", test_sse_multi_line_and_fields);
  g_test_add_func ("/sse/pending-at-eof", test_sse_pending_at_eof);
  g_test_add_func ("/sse/stop", test_sse_stop);
  g_test_add_func ("/sse/invalid-utf8", test_sse_invalid_utf8);
  g_test_add_func ("/sse/reset", test_sse_reset);
  return g_test_run ();
}
