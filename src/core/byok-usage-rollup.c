/* byok-usage-rollup.c — the per-day sums of the usage table */
#define G_LOG_DOMAIN "byok-usage"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "byok-error.h"
#include "byok-usage-rollup.h"

#define BLOB_VERSION    BYOK_LATENCY_BLOB_VERSION
#define BLOB_UNREADABLE 0xff

/* ---------------------------------------------------------------------- */
/* Bins                                                                   */

static int
highest_bit (guint64 v)
{
#if defined(__GNUC__) || defined(__clang__)
  return 63 - __builtin_clzll (v);
#else
  int e = 0;

  while (v >>= 1)
    e++;
  return e;
#endif
}

/**
 * byok_latency_bin_index:
 * @latency_us: a latency; below 0 counts as 0
 *
 * Returns: the bin of @latency_us: the value itself below 32 µs, then 16
 *   bins for each power of two
 */
guint
byok_latency_bin_index (gint64 latency_us)
{
  guint64 v = latency_us > 0 ? (guint64) latency_us : 0;
  int e;

  if (v < 32)
    return (guint) v;
  e = highest_bit (v);
  return 32 + (guint) (e - 5) * 16 + (guint) ((v >> (e - 4)) & 15);
}

/**
 * byok_latency_bin_bounds:
 * @lo: (out): the smallest latency of the bin
 * @hi: (out): the first latency after it
 */
static inline void
bin_bounds (guint   index,
            gint64 *lo,
            gint64 *hi)
{
  guint e, m;

  if (index < 32)
    {
      *lo = index;
      *hi = index + 1;
      return;
    }
  e = (index - 32) / 16 + 5;
  m = (index - 32) % 16;
  *lo = (gint64) ((16 + (guint64) m) << (e - 4));
  /* The last bin ends where gint64 does. */
  *hi = index + 1 < BYOK_LATENCY_N_BINS ? *lo + ((gint64) 1 << (e - 4)) : G_MAXINT64;
}

void
byok_latency_bin_bounds (guint   index,
                         gint64 *lo,
                         gint64 *hi)
{
  g_return_if_fail (index < BYOK_LATENCY_N_BINS);

  bin_bounds (index, lo, hi);
}

static void
bin_add (ByokLatencyBin *bin,
         guint64         count,
         gint64          min,
         gint64          max)
{
  if (bin->count == 0)
    {
      bin->min = min;
      bin->max = max;
    }
  else
    {
      bin->min = MIN (bin->min, min);
      bin->max = MAX (bin->max, max);
    }
  bin->count += count;
}

void
byok_latency_histogram_add (ByokLatencyHistogram *histogram,
                            gint64                latency_us)
{
  gint64 v = MAX (latency_us, 0);

  bin_add (&histogram->bins[byok_latency_bin_index (v)], 1, v, v);
  histogram->count++;
}

/**
 * byok_latency_histogram_percentile:
 * @percent: 1–100
 *
 * Nearest rank, like the exact percentiles of the report: the latency of
 * rank ⌈@percent × n / 100⌉, taken within the bin that holds it (see the
 * header).
 *
 * Returns: the latency, or -1 for an empty histogram
 */
gint64
byok_latency_histogram_percentile (const ByokLatencyHistogram *histogram,
                                   guint                       percent)
{
  guint64 rank, seen = 0;

  if (histogram->count == 0)
    return -1;
  rank = (percent * histogram->count + 99) / 100;
  rank = CLAMP (rank, 1, histogram->count);

  for (guint i = 0; i < BYOK_LATENCY_N_BINS; i++)
    {
      const ByokLatencyBin *bin = &histogram->bins[i];
      guint64 j;

      if (bin->count == 0)
        continue;
      if (seen + bin->count < rank)
        {
          seen += bin->count;
          continue;
        }
      j = rank - seen;   /* 1 … count within the bin */
      if (j == 1 || bin->min == bin->max)
        return bin->min;
      if (j == bin->count)
        return bin->max;
      return bin->min + (gint64) ((double) (bin->max - bin->min) * (double) (j - 1) / (double) (bin->count - 1));
    }
  g_return_val_if_reached (-1);
}

/* ---------------------------------------------------------------------- */
/* Encoding: a version byte, then for every bin with calls, by index:     */
/* varints of the index step, the count, min − bin start and max − min.   */

static void
put_varint (GByteArray *out,
            guint64     v)
{
  guint8 buf[10];
  guint n = 0;

  do
    {
      buf[n] = v & 0x7f;
      v >>= 7;
      if (v != 0)
        buf[n] |= 0x80;
      n++;
    }
  while (v != 0);
  g_byte_array_append (out, buf, n);
}

static gboolean
get_varint (const guint8 **p,
            const guint8  *end,
            guint64       *value)
{
  guint64 v = 0;

  for (guint shift = 0; shift < 64 && *p < end; shift += 7)
    {
      guint8 b = *(*p)++;

      v |= (guint64) (b & 0x7f) << shift;
      if ((b & 0x80) == 0)
        {
          *value = v;
          return TRUE;
        }
    }
  return FALSE;
}

typedef struct {
  const guint8 *p;
  const guint8 *end;
  gint          last_index;   /* -1 before the first bin */
} Reader;

static gboolean
reader_init (Reader       *reader,
             const guint8 *data,
             gsize         len)
{
  if (data == NULL || len < 1 || data[0] != BLOB_VERSION)
    return FALSE;
  reader->p = data + 1;
  reader->end = data + len;
  reader->last_index = -1;
  return TRUE;
}

/* One bin; FALSE at the end (*@failed says whether the data was bad). */
static gboolean
reader_next (Reader   *reader,
             guint    *index,
             guint64  *count,
             gint64   *min,
             gint64   *max,
             gboolean *failed)
{
  guint64 step, c, dmin, dmax, i;
  gint64 lo, hi;

  *failed = FALSE;
  if (reader->p == reader->end)
    return FALSE;
  *failed = TRUE;
  if (!get_varint (&reader->p, reader->end, &step) ||
      !get_varint (&reader->p, reader->end, &c) ||
      !get_varint (&reader->p, reader->end, &dmin) ||
      !get_varint (&reader->p, reader->end, &dmax) ||
      c == 0 || (reader->last_index >= 0 && step == 0) || step >= BYOK_LATENCY_N_BINS)
    return FALSE;
  i = (guint64) MAX (reader->last_index, 0) + step;
  if (i >= BYOK_LATENCY_N_BINS)
    return FALSE;
  bin_bounds ((guint) i, &lo, &hi);
  if (dmin >= (guint64) (hi - lo) || dmax >= (guint64) (hi - lo) - dmin)
    return FALSE;

  *failed = FALSE;
  *index = (guint) i;
  *count = c;
  *min = lo + (gint64) dmin;
  *max = *min + (gint64) dmax;
  reader->last_index = (gint) i;
  return TRUE;
}

typedef struct {
  GByteArray *out;
  gint        last_index;
} Writer;

static void
writer_init (Writer     *writer,
             GByteArray *out)
{
  writer->out = out;
  writer->last_index = -1;
  g_byte_array_set_size (out, 0);
  g_byte_array_append (out, (const guint8 []) { BLOB_VERSION }, 1);
}

static void
writer_put (Writer  *writer,
            guint    index,
            guint64  count,
            gint64   min,
            gint64   max)
{
  gint64 lo, hi;

  bin_bounds (index, &lo, &hi);
  put_varint (writer->out, writer->last_index < 0 ? index : index - (guint) writer->last_index);
  put_varint (writer->out, count);
  put_varint (writer->out, (guint64) (min - lo));
  put_varint (writer->out, (guint64) (max - min));
  writer->last_index = (gint) index;
}

/**
 * byok_latency_decode:
 * @data: a histogram as the rollup stores it
 * @entries: room for BYOK_LATENCY_N_BINS entries
 *
 * Returns: the number of bins read into @entries, or -1 when @data is not
 *   a readable histogram
 */
gssize
byok_latency_decode (const guint8     *data,
                     gsize             len,
                     ByokLatencyEntry *entries)
{
  Reader reader;
  gssize n = 0;
  gboolean failed;

  if (!reader_init (&reader, data, len))
    return -1;
  while (reader_next (&reader, &entries[n].index, &entries[n].bin.count,
                      &entries[n].bin.min, &entries[n].bin.max, &failed))
    n++;
  return failed ? -1 : n;
}

void
byok_latency_histogram_add_entries (ByokLatencyHistogram   *histogram,
                                    const ByokLatencyEntry *entries,
                                    gsize                   n_entries)
{
  for (gsize i = 0; i < n_entries; i++)
    {
      bin_add (&histogram->bins[entries[i].index], entries[i].bin.count,
               entries[i].bin.min, entries[i].bin.max);
      histogram->count += entries[i].bin.count;
    }
}

/**
 * byok_latency_histogram_add_encoded:
 * @data: a histogram as the rollup stores it
 *
 * Returns: %FALSE (and nothing added) when @data is not a readable
 *   histogram
 */
gboolean
byok_latency_histogram_add_encoded (ByokLatencyHistogram *histogram,
                                    const guint8         *data,
                                    gsize                 len)
{
  g_autofree ByokLatencyEntry *entries = g_new (ByokLatencyEntry, BYOK_LATENCY_N_BINS);
  gssize n = byok_latency_decode (data, len, entries);

  if (n < 0)
    return FALSE;
  byok_latency_histogram_add_entries (histogram, entries, n);
  return TRUE;
}

static void
encode_histogram (const ByokLatencyHistogram *histogram,
                  GByteArray                 *out)
{
  Writer writer;

  writer_init (&writer, out);
  for (guint i = 0; i < BYOK_LATENCY_N_BINS; i++)
    if (histogram->bins[i].count > 0)
      writer_put (&writer, i, histogram->bins[i].count,
                  histogram->bins[i].min, histogram->bins[i].max);
}

/* ---------------------------------------------------------------------- */
/* Local days                                                             */

/**
 * byok_usage_local_midnight_us:
 *
 * Returns: the first instant of a local calendar day in unix µs (a
 *   midnight in a DST gap moves forward, as GDateTime does), or
 *   G_MAXINT64 outside GDateTime's years
 */
gint64
byok_usage_local_midnight_us (int year,
                              int month,
                              int day)
{
  g_autoptr(GDateTime) dt = g_date_time_new_local (year, month, day, 0, 0, 0);

  if (dt == NULL)
    return G_MAXINT64;
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

/* The local date of @time_us as YYYYMMDD; 0 outside GDateTime's range. */
int
byok_usage_day_label_of_time (gint64 time_us)
{
  gint64 secs = time_us / G_USEC_PER_SEC;
  g_autoptr(GDateTime) local = NULL;
  int y, m, d;

  if (time_us % G_USEC_PER_SEC < 0)
    secs--;
  local = g_date_time_new_from_unix_local (secs);
  if (local == NULL)
    return 0;
  g_date_time_get_ymd (local, &y, &m, &d);
  return y * 10000 + m * 100 + d;
}

static gboolean
label_to_date (int    label,
               GDate *date)
{
  int y = label / 10000, m = label / 100 % 100, d = label % 100;

  if (label <= 0 || y < 1 || y > 9999 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_clear (date, 1);
  g_date_set_dmy (date, d, m, y);
  return TRUE;
}

static int
label_of_date (const GDate *date)
{
  return g_date_get_year (date) * 10000 + g_date_get_month (date) * 100 + g_date_get_day (date);
}

/* @label moved by @days, clamped to the dates GDate knows. */
int
byok_usage_day_label_shift (int label,
             int days)
{
  GDate date;

  if (!label_to_date (label, &date))
    return label;
  if (days < 0)
    {
      if (g_date_get_julian (&date) > (guint) -days)
        g_date_subtract_days (&date, -days);
    }
  else if (g_date_get_year (&date) < 9999)
    g_date_add_days (&date, days);
  return label_of_date (&date);
}

/* The local day @label as [start, end) in unix µs. */
gboolean
byok_usage_day_label_range (int     label,
             gint64 *start,
             gint64 *end)
{
  GDate date;

  if (!label_to_date (label, &date))
    return FALSE;
  *start = byok_usage_local_midnight_us (g_date_get_year (&date), g_date_get_month (&date),
                                         g_date_get_day (&date));
  if (g_date_get_year (&date) >= 9999)
    return FALSE;
  g_date_add_days (&date, 1);
  *end = byok_usage_local_midnight_us (g_date_get_year (&date), g_date_get_month (&date),
                                       g_date_get_day (&date));
  return *start < *end && *end != G_MAXINT64;
}

/* ---------------------------------------------------------------------- */
/* SQL functions                                                          */

typedef struct {
  int    label;
  gint64 start;
  gint64 end;
} DayCache;

/* byok_local_day(time): the local date of a usage time as YYYYMMDD. */
static void
local_day_func (sqlite3_context  *ctx,
                int               argc,
                sqlite3_value   **argv)
{
  DayCache *cache = sqlite3_user_data (ctx);
  gint64 time_us, start, end;
  int label;

  if (sqlite3_value_type (argv[0]) == SQLITE_NULL)
    {
      sqlite3_result_null (ctx);
      return;
    }
  time_us = sqlite3_value_int64 (argv[0]);
  if (cache->label != 0 && time_us >= cache->start && time_us < cache->end)
    {
      sqlite3_result_int (ctx, cache->label);
      return;
    }
  label = byok_usage_day_label_of_time (time_us);
  if (label != 0 && byok_usage_day_label_range (label, &start, &end) && start <= time_us && time_us < end)
    {
      cache->label = label;
      cache->start = start;
      cache->end = end;
    }
  sqlite3_result_int (ctx, label);
}

static void
result_bytes (sqlite3_context *ctx,
              GByteArray      *bytes)
{
  gsize len = bytes->len;

  sqlite3_result_blob64 (ctx, g_byte_array_free (bytes, FALSE), len, g_free);
}

/* byok_latency_add(histogram, latency): the histogram with one more
 * latency; unchanged when the latency is NULL. */
static void
latency_add_func (sqlite3_context  *ctx,
                  int               argc,
                  sqlite3_value   **argv)
{
  const guint8 *data;
  GByteArray *out;
  Writer writer;
  Reader reader;
  gint64 v;
  guint target, index;
  guint64 count;
  gint64 min, max;
  gboolean placed = FALSE, failed = FALSE;
  int len;

  if (sqlite3_value_type (argv[1]) == SQLITE_NULL)
    {
      sqlite3_result_value (ctx, argv[0]);
      return;
    }
  v = MAX (sqlite3_value_int64 (argv[1]), 0);
  target = byok_latency_bin_index (v);

  data = sqlite3_value_blob (argv[0]);
  len = sqlite3_value_bytes (argv[0]);
  out = g_byte_array_sized_new (len + 24);
  writer_init (&writer, out);

  if (sqlite3_value_type (argv[0]) != SQLITE_NULL)
    {
      if (!reader_init (&reader, data, len))
        failed = TRUE;
      while (!failed && reader_next (&reader, &index, &count, &min, &max, &failed))
        {
          if (!placed && target < index)
            {
              writer_put (&writer, target, 1, v, v);
              placed = TRUE;
            }
          else if (!placed && target == index)
            {
              count++;
              min = MIN (min, v);
              max = MAX (max, v);
              placed = TRUE;
            }
          writer_put (&writer, index, count, min, max);
        }
    }
  if (failed)
    {
      /* Keep recording; the day is read from the rows from now on. */
      g_byte_array_set_size (out, 1);
      out->data[0] = BLOB_UNREADABLE;
    }
  else if (!placed)
    writer_put (&writer, target, 1, v, v);
  result_bytes (ctx, out);
}

/* byok_latency_histogram(latency): the histogram of a group's latencies,
 * NULL for none. */
static void
histogram_step (sqlite3_context  *ctx,
                int               argc,
                sqlite3_value   **argv)
{
  ByokLatencyHistogram **histogram = sqlite3_aggregate_context (ctx, sizeof *histogram);

  if (histogram == NULL)
    {
      sqlite3_result_error_nomem (ctx);
      return;
    }
  if (sqlite3_value_type (argv[0]) == SQLITE_NULL)
    return;
  if (*histogram == NULL)
    *histogram = g_new0 (ByokLatencyHistogram, 1);
  byok_latency_histogram_add (*histogram, sqlite3_value_int64 (argv[0]));
}

static void
histogram_final (sqlite3_context *ctx)
{
  ByokLatencyHistogram **histogram = sqlite3_aggregate_context (ctx, 0);
  GByteArray *out;

  if (histogram == NULL || *histogram == NULL)
    {
      sqlite3_result_null (ctx);
      return;
    }
  out = g_byte_array_new ();
  encode_histogram (*histogram, out);
  g_clear_pointer (histogram, g_free);
  result_bytes (ctx, out);
}

/**
 * byok_usage_rollup_register:
 * @db: a connection
 *
 * Registers the SQL functions the rollup's triggers and migration use:
 * byok_local_day(time), byok_latency_add(histogram, latency) and the
 * aggregate byok_latency_histogram(latency).
 *
 * Returns: an SQLite result code
 */
int
byok_usage_rollup_register (sqlite3 *db)
{
  const int flags = SQLITE_UTF8 | SQLITE_INNOCUOUS;
  int rc;

  /* Not deterministic: it follows the local time zone. */
  rc = sqlite3_create_function_v2 (db, "byok_local_day", 1, flags, g_new0 (DayCache, 1),
                                   local_day_func, NULL, NULL, g_free);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function_v2 (db, "byok_latency_add", 2, flags | SQLITE_DETERMINISTIC, NULL,
                                     latency_add_func, NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function_v2 (db, "byok_latency_histogram", 1, flags | SQLITE_DETERMINISTIC, NULL,
                                     NULL, histogram_step, histogram_final, NULL);
  return rc;
}

