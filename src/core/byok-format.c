/* byok-format.c — how the UI writes money, token counts and durations
 *
 * One place for these rules so every page shows "$1.24", "12.4k" and
 * "850 ms" the same way. Numbers are first printed in the C locale with
 * g_ascii_formatd() (predictable digits, rounding by printf), then given the
 * locale's digit grouping and decimal mark.
 */
#define G_LOG_DOMAIN "byok-format"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <langinfo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "byok-format.h"

static void
get_separators (const char **group,
                const char **radix)
{
  const char *r = nl_langinfo (RADIXCHAR);
  const char *g = nl_langinfo (THOUSEP);

  if (r == NULL || *r == '\0')
    r = ".";
  /* The C locale has no grouping; we still want "1,234". */
  if (g == NULL || *g == '\0' || strcmp (g, r) == 0)
    g = strcmp (r, ",") == 0 ? "." : ",";

  *group = g;
  *radix = r;
}

/* "-1234567.50" (C locale) → "-1,234,567.50" in the user's locale. */
static char *
localize_ascii_number (const char *ascii)
{
  GString *out = g_string_new (NULL);
  const char *group;
  const char *radix;
  const char *p = ascii;
  const char *int_end;
  gsize n_int;

  get_separators (&group, &radix);

  if (*p == '-')
    {
      g_string_append_c (out, '-');
      p++;
    }

  int_end = p;
  while (g_ascii_isdigit (*int_end))
    int_end++;
  n_int = int_end - p;

  for (gsize i = 0; i < n_int; i++)
    {
      if (i > 0 && (n_int - i) % 3 == 0)
        g_string_append (out, group);
      g_string_append_c (out, p[i]);
    }

  if (*int_end == '.')
    {
      g_string_append (out, radix);
      g_string_append (out, int_end + 1);
    }

  return g_string_free (out, FALSE);
}

/* A non-negative number with a fixed count of decimals, localized. */
static char *
format_decimal (double value,
                int    decimals)
{
  char fmt[16];
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  decimals = CLAMP (decimals, 0, 15);
  /* Half away from zero, as people round money: printf would make an exact
   * $0.125 into "0.12". */
  if (decimals <= 9 && fabs (value) < 1e12)
    {
      double scale = pow (10, decimals);

      value = round (value * scale) / scale;
    }
  g_snprintf (fmt, sizeof fmt, "%%.%df", decimals);
  g_ascii_formatd (buf, sizeof buf, fmt, value);

  return localize_ascii_number (buf);
}

/* Like format_decimal(), without trailing zeros after the decimal mark. */
static char *
format_decimal_trimmed (double value,
                        int    max_decimals)
{
  char fmt[16];
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char *dot;

  max_decimals = CLAMP (max_decimals, 0, 15);
  g_snprintf (fmt, sizeof fmt, "%%.%df", max_decimals);
  g_ascii_formatd (buf, sizeof buf, fmt, value);

  dot = strchr (buf, '.');
  if (dot != NULL)
    {
      char *end = buf + strlen (buf) - 1;

      while (end > dot && *end == '0')
        *end-- = '\0';
      if (end == dot)
        *dot = '\0';
    }

  return localize_ascii_number (buf);
}

/* Puts the currency around an already formatted, non-negative number. */
static char *
wrap_usd (const char *number,
          gboolean    negative)
{
  /* Translators: an amount in US dollars; %s is the number, already
   * written with your digit grouping and decimal mark ("1,234.50").
   * Move the sign if your language writes it after the number ("%s $"). */
  g_autofree char *amount = g_strdup_printf (_("$%s"), number);

  if (negative)
    return g_strconcat ("-", amount, NULL);
  return g_steal_pointer (&amount);
}

/* Decimals needed to write multiples of @step exactly ("0.25" → 2). */
static int
decimals_for_step (double step)
{
  if (!(step > 0) || !isfinite (step))
    return 2;

  for (int d = 0; d <= 9; d++)
    {
      double scaled = step * pow (10, d);

      if (fabs (scaled - round (scaled)) < 1e-6 * MAX (1.0, scaled))
        return d;
    }

  return 9;
}

/**
 * byok_format_usd:
 * @usd: an amount in US dollars
 *
 * Writes an amount of money the way every page shows it: cents for amounts of
 * a cent or more ("$1.24", "$1,234.50"), two significant digits below a cent
 * ("$0.0042"), "$0.00" for nothing. A non-finite amount is "unknown".
 *
 * Returns: (transfer full): the amount
 */
char *
byok_format_usd (double usd)
{
  gboolean negative;
  double a;

  if (!isfinite (usd))
    return byok_format_usd_unknown ();

  negative = usd < 0;
  a = fabs (usd);

  if (a > 0 && a < 0.01)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      const char *e;
      int exponent;

      /* Two significant digits: "4.2e-03" tells how many decimals. */
      g_ascii_formatd (buf, sizeof buf, "%.1e", a);
      e = strchr (buf, 'e');
      exponent = e != NULL ? (int) strtol (e + 1, NULL, 10) : -2;

      if (exponent < -2)
        {
          g_autofree char *number = format_decimal (a, 1 - exponent);

          return wrap_usd (number, negative);
        }
      /* It rounded up to a whole cent: write it as cents. */
    }

  {
    g_autofree char *number = format_decimal (a, 2);

    /* No "-$0.00". */
    if (strspn (number, "0.,") == strlen (number))
      negative = FALSE;

    return wrap_usd (number, negative);
  }
}

/**
 * byok_format_amount:
 * @currency: (nullable): an ISO 4217 code: "USD", "CNY", …
 * @amount: an amount of it (a provider's balance)
 *
 * Writes an amount in a provider's own currency with the locale's digit
 * grouping and decimal mark, always with cents: US dollars as
 * byok_format_usd() would at a cent or more ("$1,234.50"), yuan as
 * "¥49.59", others as "12.00 EUR". byok_balance_describe() writes its
 * amounts so.
 *
 * Returns: (transfer full): the amount
 */
char *
byok_format_amount (const char *currency,
                    double      amount)
{
  g_autofree char *number = NULL;
  gboolean negative;

  if (!isfinite (amount))
    return byok_format_usd_unknown ();

  negative = amount < 0;
  number = format_decimal (fabs (amount), 2);
  /* No "-$0.00". */
  if (strspn (number, "0.,") == strlen (number))
    negative = FALSE;

  if (g_strcmp0 (currency, "USD") == 0)
    return wrap_usd (number, negative);
  if (g_strcmp0 (currency, "CNY") == 0)
    {
      /* Translators: an amount in Chinese yuan; %s is the number, already
       * written with your digit grouping and decimal mark ("49.59") */
      g_autofree char *yuan = g_strdup_printf (_("¥%s"), number);

      return negative ? g_strconcat ("-", yuan, NULL) : g_steal_pointer (&yuan);
    }
  /* An amount in another currency: "12.00 EUR" */
  return g_strdup_printf ("%s%s %s", negative ? "-" : "", number, currency != NULL ? currency : "");
}

/**
 * byok_format_estimated:
 * @figure: (transfer full): a figure written by one of these functions
 *
 * Marks a figure that holds Byok's estimate rather than the provider's
 * count: the tokens and cost of interrupted calls (their process was
 * killed or quit before they ended).
 *
 * Returns: (transfer full): "≈$0.42"
 */
char *
byok_format_estimated (char *figure)
{
  g_autofree char *owned = figure;

  /* Translators: a figure that is an estimate ("≈$0.42", "≈1.2k") */
  return g_strdup_printf (_("≈%s"), owned);
}

/**
 * byok_format_usd_unknown:
 *
 * What to show where a cost cannot be known (a model without a price).
 *
 * Returns: (transfer full): "unknown", translated
 */
char *
byok_format_usd_unknown (void)
{
  /* Translators: shown instead of a cost when the model has no known price. */
  return g_strdup (C_("cost", "unknown"));
}

/**
 * byok_format_usd_compact:
 * @usd: an amount in US dollars
 * @resolution: the smallest difference the reader must see, such as the step
 *   between two gridlines; 0 to use the amount itself
 *
 * Writes an amount for a chart axis: "$0", "$0.50", "$12", "$1.2k", "$3M".
 * Amounts of a thousand or more are written in thousands or millions with as
 * few decimals as they need; smaller amounts get whole dollars when
 * @resolution allows, cents (or finer) when it does not.
 *
 * Returns: (transfer full): the amount
 */
char *
byok_format_usd_compact (double usd,
                         double resolution)
{
  gboolean negative;
  gboolean lone;
  double a;

  if (!isfinite (usd))
    return byok_format_usd_unknown ();

  negative = usd < 0;
  a = fabs (usd);

  if (a == 0)
    return wrap_usd ("0", FALSE);

  lone = !(resolution > 0) || !isfinite (resolution);
  if (lone)
    resolution = a;

  if (a >= 1000)
    {
      gboolean millions = a >= 1e6;
      double unit = millions ? 1e6 : 1e3;
      int decimals;
      g_autofree char *number = NULL;
      g_autofree char *scaled = NULL;

      /* On its own, an amount keeps about two significant digits. */
      if (lone)
        decimals = a / unit < 10 ? 1 : 0;
      else
        decimals = CLAMP (decimals_for_step (resolution / unit), 0, 2);

      number = format_decimal_trimmed (a / unit, decimals);
      if (millions)
        /* Translators: an amount in millions, as on a chart axis ("1.2M") */
        scaled = g_strdup_printf (C_("amount", "%sM"), number);
      else
        /* Translators: an amount in thousands, as on a chart axis ("1.2k") */
        scaled = g_strdup_printf (C_("amount", "%sk"), number);
      return wrap_usd (scaled, negative);
    }

  if (resolution >= 1 && decimals_for_step (resolution) == 0)
    {
      g_autofree char *number = format_decimal (a, 0);

      return wrap_usd (number, negative);
    }

  {
    g_autofree char *number = format_decimal (a, MAX (2, decimals_for_step (resolution)));

    return wrap_usd (number, negative);
  }
}

/**
 * byok_format_count:
 * @n: a count
 *
 * Writes a whole number with digit grouping: "12,400".
 *
 * Returns: (transfer full): the number
 */
char *
byok_format_count (gint64 n)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, n);
  return localize_ascii_number (buf);
}

/**
 * byok_format_tokens:
 * @tokens: a count of tokens
 *
 * Writes a token count short enough for a table cell: "1,234" below ten
 * thousand, then "12.4k", "124k", "3.1M", "2.5B".
 *
 * Returns: (transfer full): the count
 */
char *
byok_format_tokens (gint64 tokens)
{
  static const double units[] = { 1e3, 1e6, 1e9 };
  gboolean negative = tokens < 0;
  double a = fabs ((double) tokens);
  g_autofree char *number = NULL;
  g_autofree char *text = NULL;
  double scaled;
  guint i;

  if (a < 10000)
    return byok_format_count (tokens);

  /* Pick the unit after rounding, so 999,960 is "1M" and not "1000k". */
  for (i = 0; i + 1 < G_N_ELEMENTS (units); i++)
    {
      double shown;

      scaled = a / units[i];
      shown = scaled < 99.95 ? round (scaled * 10) / 10 : round (scaled);
      if (shown < 1000)
        break;
    }

  scaled = a / units[i];
  number = format_decimal_trimmed (scaled, scaled < 99.95 ? 1 : 0);

  switch (i)
    {
    case 0:
      /* Translators: a token count in thousands ("12.4k") */
      text = g_strdup_printf (C_("tokens", "%sk"), number);
      break;

    case 1:
      /* Translators: a token count in millions ("3.1M") */
      text = g_strdup_printf (C_("tokens", "%sM"), number);
      break;

    default:
      /* Translators: a token count in billions ("2.5B") */
      text = g_strdup_printf (C_("tokens", "%sB"), number);
      break;
    }

  if (negative)
    return g_strconcat ("-", text, NULL);
  return g_steal_pointer (&text);
}

/**
 * byok_format_duration_us:
 * @us: a duration in microseconds
 *
 * Writes a latency or a duration: "850 ms" below a second, "2.4 s" below a
 * minute, then "3 min 5 s" and "1 h 2 min". Negative durations are 0.
 *
 * Returns: (transfer full): the duration
 */
char *
byok_format_duration_us (gint64 us)
{
  gint64 ms;
  gint64 tenths;
  gint64 s;

  if (us < 0)
    us = 0;

  ms = (us + 500) / 1000;
  if (ms < 1000)
    {
      g_autofree char *number = byok_format_count (ms);

      /* Translators: a duration in milliseconds ("850 ms") */
      return g_strdup_printf (_("%s ms"), number);
    }

  tenths = (us + 50000) / 100000;
  if (tenths < 600)
    {
      g_autofree char *number = format_decimal (tenths / 10.0, 1);

      /* Translators: a duration in seconds ("2.4 s") */
      return g_strdup_printf (_("%s s"), number);
    }

  s = (us + 500000) / 1000000;
  if (s < 3600)
    /* Translators: a duration in minutes and seconds ("3 min 5 s") */
    return g_strdup_printf (_("%d min %d s"), (int) (s / 60), (int) (s % 60));

  {
    gint64 min = (s + 30) / 60;

    /* Translators: a duration in hours and minutes ("1 h 2 min") */
    return g_strdup_printf (_("%d h %d min"), (int) (min / 60), (int) (min % 60));
  }
}

/**
 * byok_format_iso_utc:
 * @unix_seconds: a time
 *
 * Returns: (transfer full) (nullable): the time in UTC as ISO 8601,
 *   "2026-12-07T12:00:00Z"; %NULL when it is out of GDateTime's range
 */
char *
byok_format_iso_utc (gint64 unix_seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_seconds);

  return time != NULL ? g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}
