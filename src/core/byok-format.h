/* byok-format.h — how Byok writes money, token counts and durations, in the UI and byok-cli
 *
 * Every function returns a newly allocated string (free it with g_free())
 * and never fails. Digit grouping and the decimal mark follow LC_NUMERIC,
 * with "," and "." when the locale has no grouping separator (the C locale).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *byok_format_usd          (double usd);
char *byok_format_usd_unknown  (void);
char *byok_format_amount       (const char *currency,
                                double      amount);
char *byok_format_usd_compact  (double usd,
                                double resolution);
char *byok_format_count        (gint64 n);
char *byok_format_tokens       (gint64 tokens);
char *byok_format_duration_us  (gint64 us);
char *byok_format_estimated    (char  *figure);

/* For files and JSON, not people: "2026-12-07T12:00:00Z", or %NULL for a
 * time a GDateTime cannot hold (the one function here that can fail). */
char *byok_format_iso_utc      (gint64 unix_seconds);

G_END_DECLS
