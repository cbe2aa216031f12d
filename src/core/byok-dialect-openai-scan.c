/* byok-dialect-openai-scan.c — the OpenAI dialect's fast chunk scanner
 *
 * Reads the few members of a common stream chunk in one pass over its text
 * (byok-dialect-openai-private.h says what it reads and when it gives up).
 */
#define G_LOG_DOMAIN "byok-dialect"

#include "config.h"

#include <string.h>

#include "byok-dialect-openai-private.h"
#define FAST_MAX_DEPTH 32

typedef struct {
  const char *p;
  const char *end;
} Scanner;

static void
scan_ws (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

/* Skips whitespace; TRUE (and consumed) if @c comes next. */
static gboolean
scan_char (Scanner *s,
           char     c)
{
  scan_ws (s);
  if (s->p < s->end && *s->p == c)
    {
      s->p++;
      return TRUE;
    }
  return FALSE;
}

static gboolean
scan_literal (Scanner    *s,
              const char *literal)
{
  gsize len = strlen (literal);

  scan_ws (s);
  if ((gsize) (s->end - s->p) < len || memcmp (s->p, literal, len) != 0)
    return FALSE;
  s->p += len;
  return TRUE;
}

static gboolean
read_hex4 (const char *p,
           const char *end,
           guint      *value)
{
  *value = 0;
  if (end - p < 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        return FALSE;
      *value = *value * 16 + (guint) digit;
    }
  return TRUE;
}

/* A string (after whitespace), as a raw slice; its escapes are checked. */
static gboolean
scan_string (Scanner *s,
             Slice   *out)
{
  scan_ws (s);
  if (s->p >= s->end || *s->p != '"')
    return FALSE;
  s->p++;
  out->start = s->p;
  out->escaped = FALSE;
  while (s->p < s->end)
    {
      guchar c = (guchar) *s->p;

      if (c == '"')
        {
          out->len = (gsize) (s->p - out->start);
          out->present = TRUE;
          s->p++;
          return TRUE;
        }
      if (c < 0x20)
        return FALSE;
      if (c != '\\')
        {
          s->p++;
          continue;
        }

      out->escaped = TRUE;
      if (s->end - s->p < 2)
        return FALSE;
      switch (s->p[1])
        {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
          s->p += 2;
          break;
        case 'u':
          {
            guint unit;
            guint low;

            if (!read_hex4 (s->p + 2, s->end, &unit) || unit == 0 || (unit >= 0xDC00 && unit <= 0xDFFF))
              return FALSE;
            s->p += 6;
            if (unit >= 0xD800 && unit <= 0xDBFF)
              {
                if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u' ||
                    !read_hex4 (s->p + 2, s->end, &low) || low < 0xDC00 || low > 0xDFFF)
                  return FALSE;
                s->p += 6;
              }
          }
          break;
        default:
          return FALSE;
        }
    }
  return FALSE;
}

/* A string, or null (@out stays not present). */
static gboolean
scan_string_or_null (Scanner *s,
                     Slice   *out)
{
  memset (out, 0, sizeof *out);
  scan_ws (s);
  if (s->p < s->end && *s->p == 'n')
    return scan_literal (s, "null");
  return scan_string (s, out);
}

/* A number, strictly as RFC 8259 writes one. @value is set for an integer
 * of at most 18 digits; @is_int says whether it was one. */
static gboolean
scan_number (Scanner  *s,
             gint64   *value,
             gboolean *is_int)
{
  const char *start;
  gsize n_digits = 0;

  scan_ws (s);
  start = s->p;
  *is_int = TRUE;
  if (s->p < s->end && *s->p == '-')
    s->p++;
  if (s->p >= s->end || !g_ascii_isdigit (*s->p))
    return FALSE;
  if (*s->p == '0')
    {
      s->p++;
      n_digits = 1;
    }
  else
    while (s->p < s->end && g_ascii_isdigit (*s->p))
      {
        s->p++;
        n_digits++;
      }
  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      *is_int = FALSE;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return FALSE;
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      *is_int = FALSE;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return FALSE;
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }
  if (*is_int && n_digits <= 18)
    {
      char digits[24];
      gsize len = (gsize) (s->p - start);

      memcpy (digits, start, len);
      digits[len] = '\0';
      *value = g_ascii_strtoll (digits, NULL, 10);
    }
  else
    *is_int = FALSE;
  return TRUE;
}

static gboolean scan_value (Scanner *s, guint depth);

/* The members of an object whose '{' was read, each value skipped. */
static gboolean
scan_object_rest (Scanner *s,
                  guint    depth)
{
  Slice key;

  if (scan_char (s, '}'))
    return TRUE;
  do
    {
      if (!scan_string (s, &key) || !scan_char (s, ':') || !scan_value (s, depth))
        return FALSE;
    }
  while (scan_char (s, ','));
  return scan_char (s, '}');
}

static gboolean
scan_array_rest (Scanner *s,
                 guint    depth)
{
  if (scan_char (s, ']'))
    return TRUE;
  do
    {
      if (!scan_value (s, depth))
        return FALSE;
    }
  while (scan_char (s, ','));
  return scan_char (s, ']');
}

/* Skips any value, checking it is JSON. */
static gboolean
scan_value (Scanner *s,
            guint    depth)
{
  Slice slice;
  gint64 value;
  gboolean is_int;

  if (depth > FAST_MAX_DEPTH)
    return FALSE;
  scan_ws (s);
  if (s->p >= s->end)
    return FALSE;
  switch (*s->p)
    {
    case '{':
      s->p++;
      return scan_object_rest (s, depth + 1);
    case '[':
      s->p++;
      return scan_array_rest (s, depth + 1);
    case '"':
      return scan_string (s, &slice);
    case 't':
      return scan_literal (s, "true");
    case 'f':
      return scan_literal (s, "false");
    case 'n':
      return scan_literal (s, "null");
    default:
      return scan_number (s, &value, &is_int);
    }
}

static gboolean
key_is (const Slice *key,
        const char  *name)
{
  return !key->escaped && key->len == strlen (name) && memcmp (key->start, name, key->len) == 0;
}

/* Marks @bit seen; FALSE if it was already (a member given twice). */
static gboolean
first_time (guint *seen,
            guint  bit)
{
  if (*seen & bit)
    return FALSE;
  *seen |= bit;
  return TRUE;
}

/* "delta": {"role", "content", "reasoning_content", "reasoning", …} */
static gboolean
scan_delta (Scanner   *s,
            FastChunk *chunk,
            guint      depth)
{
  guint seen = 0;
  Slice key;

  if (!scan_char (s, '{'))
    return FALSE;
  if (scan_char (s, '}'))
    return TRUE;
  do
    {
      if (!scan_string (s, &key) || key.escaped || !scan_char (s, ':'))
        return FALSE;
      if (key_is (&key, "content"))
        {
          if (!first_time (&seen, 1 << 0) || !scan_string_or_null (s, &chunk->content))
            return FALSE;
        }
      else if (key_is (&key, "reasoning_content"))
        {
          if (!first_time (&seen, 1 << 1) || !scan_string_or_null (s, &chunk->reasoning_content))
            return FALSE;
        }
      else if (key_is (&key, "reasoning"))
        {
          if (!first_time (&seen, 1 << 2) || !scan_string_or_null (s, &chunk->reasoning))
            return FALSE;
        }
      else if (key_is (&key, "tool_calls"))
        {
          /* Tool calls are json-glib's to read (take_tool_deltas()). */
          if (!scan_literal (s, "null"))
            return FALSE;
        }
      else if (!scan_value (s, depth + 1))
        return FALSE;
    }
  while (scan_char (s, ','));
  return scan_char (s, '}');
}

/* One element of "choices"; the first with index 0 (or none) is the one
 * read, as first_choice() picks it. */
static gboolean
scan_choice (Scanner   *s,
             FastChunk *chunk,
             gboolean  *chosen,
             guint      depth)
{
  FastChunk mine = { { 0, }, };
  gint64 index = 0;
  guint seen = 0;
  Slice key;

  if (!scan_char (s, '{'))
    return FALSE;
  if (!scan_char (s, '}'))
    {
      do
        {
          if (!scan_string (s, &key) || key.escaped || !scan_char (s, ':'))
            return FALSE;
          if (key_is (&key, "index"))
            {
              gboolean is_int;

              if (!first_time (&seen, 1 << 0))
                return FALSE;
              scan_ws (s);
              if (s->p < s->end && *s->p == 'n')
                {
                  if (!scan_literal (s, "null"))
                    return FALSE;
                }
              else if (!scan_number (s, &index, &is_int) || !is_int)
                return FALSE;
            }
          else if (key_is (&key, "delta"))
            {
              if (!first_time (&seen, 1 << 1))
                return FALSE;
              scan_ws (s);
              if (s->p < s->end && *s->p == 'n')
                {
                  if (!scan_literal (s, "null"))
                    return FALSE;
                }
              else if (!scan_delta (s, &mine, depth + 1))
                return FALSE;
            }
          else if (key_is (&key, "finish_reason"))
            {
              if (!first_time (&seen, 1 << 2) || !scan_string_or_null (s, &mine.finish_reason) ||
                  mine.finish_reason.escaped)
                return FALSE;
            }
          else if (key_is (&key, "usage"))
            {
              /* Moonshot's usage inside the choice: json-glib's. */
              if (!scan_literal (s, "null"))
                return FALSE;
            }
          else if (!scan_value (s, depth + 1))
            return FALSE;
        }
      while (scan_char (s, ','));
      if (!scan_char (s, '}'))
        return FALSE;
    }

  if (!*chosen && index == 0)
    {
      chunk->content = mine.content;
      chunk->reasoning_content = mine.reasoning_content;
      chunk->reasoning = mine.reasoning;
      chunk->finish_reason = mine.finish_reason;
      *chosen = TRUE;
    }
  return TRUE;
}

static gboolean
scan_choices (Scanner   *s,
              FastChunk *chunk)
{
  gboolean chosen = FALSE;

  scan_ws (s);
  if (s->p < s->end && *s->p == 'n')
    return scan_literal (s, "null");
  if (!scan_char (s, '['))
    return FALSE;
  if (scan_char (s, ']'))
    return TRUE;
  do
    {
      if (!scan_choice (s, chunk, &chosen, 2))
        return FALSE;
    }
  while (scan_char (s, ','));
  return scan_char (s, ']');
}

/* Reads @data if it is a chunk the scanner can read as json-glib would
 * be read; FALSE otherwise, with nothing changed anywhere. */
gboolean
_byok_openai_fast_scan_chunk (const char *data,
                 FastChunk  *chunk)
{
  Scanner s = { data, data + strlen (data) };
  guint seen = 0;
  Slice key;

  memset (chunk, 0, sizeof *chunk);
  if (!scan_char (&s, '{'))
    return FALSE;
  if (!scan_char (&s, '}'))
    {
      do
        {
          if (!scan_string (&s, &key) || key.escaped || !scan_char (&s, ':'))
            return FALSE;
          if (key_is (&key, "id"))
            {
              if (!first_time (&seen, 1 << 0) || !scan_string_or_null (&s, &chunk->id) || chunk->id.escaped)
                return FALSE;
            }
          else if (key_is (&key, "model"))
            {
              if (!first_time (&seen, 1 << 1) || !scan_string_or_null (&s, &chunk->model) ||
                  chunk->model.escaped)
                return FALSE;
            }
          else if (key_is (&key, "choices"))
            {
              if (!first_time (&seen, 1 << 2) || !scan_choices (&s, chunk))
                return FALSE;
            }
          else if (key_is (&key, "usage") || key_is (&key, "error"))
            {
              /* Only null: a report or a failure is json-glib's to read. */
              if (!scan_literal (&s, "null"))
                return FALSE;
            }
          else if (key_is (&key, "x_groq") || key_is (&key, "type"))
            return FALSE;
          else if (!scan_value (&s, 1))
            return FALSE;
        }
      while (scan_char (&s, ','));
      if (!scan_char (&s, '}'))
        return FALSE;
    }
  scan_ws (&s);
  return s.p == s.end;
}

/* Appends the text of a slice scan_string() checked. */
void
_byok_openai_append_slice (GString     *out,
              const Slice *slice)
{
  const char *p = slice->start;
  const char *end = slice->start + slice->len;

  if (!slice->escaped)
    {
      g_string_append_len (out, slice->start, (gssize) slice->len);
      return;
    }
  while (p < end)
    {
      const char *backslash = memchr (p, '\\', (gsize) (end - p));
      guint unit;
      guint low;

      if (backslash == NULL)
        {
          g_string_append_len (out, p, end - p);
          break;
        }
      g_string_append_len (out, p, backslash - p);
      p = backslash + 2;
      switch (backslash[1])
        {
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          read_hex4 (p, end, &unit);
          p += 4;
          if (unit >= 0xD800 && unit <= 0xDBFF)
            {
              read_hex4 (p + 2, end, &low);
              p += 6;
              unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
            }
          g_string_append_unichar (out, unit);
          break;
        default:   /* " \ / */
          g_string_append_c (out, backslash[1]);
          break;
        }
    }
}

gboolean
_byok_openai_slice_equal (const Slice *slice,
             const char  *str)
{
  return str != NULL && strlen (str) == slice->len && memcmp (str, slice->start, slice->len) == 0;
}
