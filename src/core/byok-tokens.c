/* byok-tokens.c — how many tokens a text takes, estimated */
#define G_LOG_DOMAIN "byok-tokens"

#include "config.h"

#include <string.h>

#include "byok-tokens.h"

/* Scripts written without spaces, where tokenizers spend about a token per
 * character: CJK ideographs, kana, hangul, fullwidth forms. */
static gboolean
is_dense (gunichar c)
{
  return (c >= 0x2E80 && c <= 0x9FFF) ||
         (c >= 0xAC00 && c <= 0xD7AF) ||
         (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFF00 && c <= 0xFFEF) ||
         (c >= 0x20000 && c <= 0x3FFFF);
}

/**
 * byok_estimate_tokens:
 * @text: UTF-8 text (invalid bytes count as one token each)
 * @length: its length in bytes, or -1 if nul-terminated
 *
 * Returns: an estimate, rounded up, of how many tokens @text takes
 */
gint64
byok_estimate_tokens (const char *text,
                      gssize      length)
{
  const char *p;
  const char *end;
  gint64 latin = 0;  /* characters, four to a token */
  gint64 other = 0;  /* characters, two to a token */
  gint64 dense = 0;  /* tokens */

  if (text == NULL)
    return 0;
  if (length < 0)
    length = strlen (text);

  p = text;
  end = text + length;
  while (p < end)
    {
      guchar byte = (guchar) *p;
      gunichar c;

      if (byte < 0x80)
        {
          latin++;
          p++;
          continue;
        }
      c = g_utf8_get_char_validated (p, end - p);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          dense++;
          p++;
          continue;
        }
      if (c < 0x0250)           /* accented Latin */
        latin++;
      else if (is_dense (c))
        dense++;
      else                      /* Cyrillic, Greek, Arabic, emoji… */
        other++;
      p = g_utf8_next_char (p);
    }

  return (latin + 3) / 4 + (other + 1) / 2 + dense;
}
