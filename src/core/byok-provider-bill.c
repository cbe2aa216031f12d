/* byok-provider-bill.c — the provider's own bill beside what Byok recorded */
#define G_LOG_DOMAIN "byok-bill"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "byok-error.h"
#include "byok-format.h"
#include "byok-json.h"
#include "byok-key-store.h"
#include "byok-price.h"
#include "byok-provider-bill-private.h"

/* Pages of a bill followed at most (a year of days, a page at a time). */
#define MAX_BILL_PAGES 40

#define DAY_US ((gint64) 86400 * G_USEC_PER_SEC)

typedef enum {
  BILL_OPENAI,
  BILL_ANTHROPIC,
} BillFormat;

/* The providers whose bill Byok reads: where, with what admin key, and
 * how many days a page may hold (OpenAI: 180, Anthropic: 31). */
static const struct {
  const char *provider_id;
  BillFormat  format;
  const char *path;
  const char *key_prefix;
  int         page_days;
} bills[] = {
  { "openai", BILL_OPENAI, "/organization/costs", "sk-admin-", 180 },
  { "anthropic", BILL_ANTHROPIC, "/v1/organizations/cost_report", "sk-ant-admin", 31 },
};

static const char * const bill_providers[] = { "openai", "anthropic", NULL };

static int
find_bill (const char *provider_id)
{
  for (guint i = 0; provider_id != NULL && i < G_N_ELEMENTS (bills); i++)
    if (g_str_equal (bills[i].provider_id, provider_id))
      return (int) i;
  return -1;
}

/**
 * byok_provider_bill_supports:
 * Returns: whether Byok reads @provider_id's bill with an admin key
 */
gboolean
byok_provider_bill_supports (const char *provider_id)
{
  return find_bill (provider_id) >= 0;
}

/**
 * byok_provider_bill_providers:
 * Returns: (transfer none): the ids of the providers whose bill Byok reads
 */
const char * const *
byok_provider_bill_providers (void)
{
  return bill_providers;
}

const char *
_byok_bill_provider_name (ByokClient *client,
               const char *provider_id)
{
  ByokProvider *provider = byok_catalog_lookup_provider (byok_client_get_catalog (client), provider_id);

  return provider != NULL ? byok_provider_get_name (provider) : provider_id;
}

/**
 * byok_provider_bill_check_admin_key:
 *
 * Whether @key looks like the provider's admin key (OpenAI's start with
 * sk-admin-, Anthropic's with sk-ant-admin), so that a chat key pasted by
 * mistake is refused before it is stored or sent.
 *
 * Returns: %TRUE, or %FALSE with BYOK_ERROR_INVALID
 */
gboolean
byok_provider_bill_check_admin_key (ByokClient  *client,
                                    const char  *provider_id,
                                    const char  *key,
                                    GError     **error)
{
  int i = find_bill (provider_id);

  if (i < 0)
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("Byok cannot read the bill of %s: only OpenAI’s and Anthropic’s, with an admin key."),
                   _byok_bill_provider_name (client, provider_id));
      return FALSE;
    }
  if (key == NULL || !g_str_has_prefix (key, bills[i].key_prefix))
    {
      /* Translators: the first %s is a provider, the second how its admin
       * keys start ("sk-admin-") */
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("This is not an admin key of %s: those start with %s. Create one in the organization’s settings."),
                   _byok_bill_provider_name (client, provider_id), bills[i].key_prefix);
      return FALSE;
    }
  return TRUE;
}

/* ---- the result ----------------------------------------------------------- */

void
byok_bill_key_usage_free (ByokBillKeyUsage *usage)
{
  if (usage == NULL)
    return;
  g_free (usage->key_id);
  g_free (usage->model);
  g_free (usage);
}

static void
bill_day_free (ByokBillDay *day)
{
  g_free (day->day);
  g_clear_pointer (&day->other_usage, g_ptr_array_unref);
  g_free (day);
}

void
byok_bill_free (ByokBill *bill)
{
  if (bill == NULL)
    return;
  g_free (bill->provider);
  g_free (bill->keys_error);
  g_clear_pointer (&bill->days, g_ptr_array_unref);
  g_free (bill);
}

char *
_byok_bill_utc_day (gint64 unix_seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_seconds);

  return time != NULL ? g_date_time_format (time, "%Y-%m-%d") : NULL;
}

/* Every UTC day of [from_us, to_us), with nothing yet. */
static ByokBill *
bill_new (const char *provider_id,
          gint64      from_us,
          gint64      to_us)
{
  ByokBill *bill = g_new0 (ByokBill, 1);

  bill->provider = g_strdup (provider_id);
  bill->from_us = from_us - ((from_us % DAY_US) + DAY_US) % DAY_US;
  bill->to_us = MAX (to_us, bill->from_us + 1);
  if (bill->to_us % DAY_US != 0)
    bill->to_us += DAY_US - ((bill->to_us % DAY_US) + DAY_US) % DAY_US;
  bill->days = g_ptr_array_new_with_free_func ((GDestroyNotify) bill_day_free);
  for (gint64 t = bill->from_us; t < bill->to_us; t += DAY_US)
    {
      ByokBillDay *day = g_new0 (ByokBillDay, 1);

      day->day = _byok_bill_utc_day (t / G_USEC_PER_SEC);
      g_ptr_array_add (bill->days, day);
    }
  return bill;
}

ByokBillDay *
_byok_bill_find_day (ByokBill   *bill,
               const char *day)
{
  for (guint i = 0; day != NULL && i < bill->days->len; i++)
    {
      ByokBillDay *d = g_ptr_array_index (bill->days, i);

      if (g_str_equal (d->day, day))
        return d;
    }
  return NULL;
}

/* ---- reading a page ------------------------------------------------------- */

/* One page of either format into @bill; @next_page set when there is
 * another. A bucket outside the period asked for is ignored. */
static gboolean
bill_read_page (ByokBill    *bill,
                BillFormat   format,
                const char  *name,
                JsonObject  *root,
                char       **next_page,
                GError     **error)
{
  JsonArray *data = byok_json_get_array (root, "data");
  gboolean has_more = FALSE;

  *next_page = NULL;
  if (data == NULL)
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_MALFORMED,
                   _("%s sent a bill Byok cannot read. Check the provider’s base URL."), name);
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonObject *bucket = byok_json_array_get_object (data, i);
      JsonArray *results = byok_json_get_array (bucket, "results");
      g_autofree char *day = NULL;
      ByokBillDay *entry;
      gint64 start = 0;

      if (format == BILL_OPENAI && byok_json_get_int (bucket, "start_time", &start))
        day = _byok_bill_utc_day (start);
      else if (format == BILL_ANTHROPIC && byok_json_get_string (bucket, "starting_at") != NULL)
        day = g_strndup (byok_json_get_string (bucket, "starting_at"), 10);
      entry = _byok_bill_find_day (bill, day);
      if (entry == NULL)
        continue;

      for (guint j = 0; results != NULL && j < json_array_get_length (results); j++)
        {
          JsonObject *result = byok_json_array_get_object (results, j);
          double value = 0;

          if (format == BILL_OPENAI)
            {
              JsonObject *amount = byok_json_get_object (result, "amount");
              const char *currency = byok_json_get_string (amount, "currency");

              if ((currency == NULL || g_ascii_strcasecmp (currency, "usd") == 0) &&
                  byok_json_get_number (amount, "value", &value))
                entry->provider_usd += value;
            }
          else
            {
              const char *currency = byok_json_get_string (result, "currency");

              /* A decimal string of cents: "123.45" is $1.2345. */
              if ((currency == NULL || g_ascii_strcasecmp (currency, "USD") == 0) &&
                  byok_json_get_number (result, "amount", &value))
                entry->provider_usd += value / 100;
            }
        }
    }

  if (byok_json_get_bool (root, "has_more", &has_more) && has_more &&
      byok_json_get_string (root, "next_page") != NULL && *byok_json_get_string (root, "next_page") != '\0')
    *next_page = g_strdup (byok_json_get_string (root, "next_page"));
  return TRUE;
}

/* ---- fetching ------------------------------------------------------------- */

typedef struct {
  ByokBill *bill;
  int       format;   /* index in bills[] */
  char     *key;      /* wiped when freed */
  guint     pages;
} FetchData;

static void
fetch_data_free (FetchData *data)
{
  byok_bill_free (data->bill);
  if (data->key != NULL)
    {
      memset (data->key, 0, strlen (data->key));
      g_free (data->key);
    }
  g_free (data);
}

static void fetch_page (GTask      *task,
                        const char *page);

static void
keys_read (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FetchData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!_byok_provider_bill_read_keys_finish (BYOK_CLIENT (source), result, &error))
    {
      g_task_return_error (task, error);  /* cancelled */
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&data->bill), (GDestroyNotify) byok_bill_free);
}

static void
page_read (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ByokClient *client = BYOK_CLIENT (source);
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *next_page = NULL;
  GError *error = NULL;

  root = byok_client_get_json_finish (client, result, &error);
  if (root == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!bill_read_page (data->bill, bills[data->format].format, _byok_bill_provider_name (client, data->bill->provider),
                       json_node_get_object (root), &next_page, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (next_page != NULL && data->pages < MAX_BILL_PAGES)
    {
      fetch_page (task, next_page);
      return;
    }

  for (guint i = 0; i < data->bill->days->len; i++)
    data->bill->provider_usd += ((ByokBillDay *) g_ptr_array_index (data->bill->days, i))->provider_usd;
  data->bill->checked_at = g_get_real_time () / G_USEC_PER_SEC;
  /* Then whose keys the usage was on; a failure there is the bill's
   * keys_error, never the bill's. */
  _byok_provider_bill_read_keys_async (client, data->bill, data->key, g_task_get_cancellable (task),
                                      keys_read, g_object_ref (task));
}

static void
fetch_page (GTask      *task,
            const char *page)
{
  ByokClient *client = g_task_get_source_object (task);
  FetchData *data = g_task_get_task_data (task);
  ByokProvider *provider = byok_catalog_lookup_provider (byok_client_get_catalog (client), data->bill->provider);
  g_autofree char *base = byok_provider_build_url (provider, bills[data->format].path);
  g_autoptr(GString) url = g_string_new (base);
  gint64 days = (data->bill->to_us - data->bill->from_us) / DAY_US;

  if (bills[data->format].format == BILL_OPENAI)
    g_string_append_printf (url, "?start_time=%" G_GINT64_FORMAT "&end_time=%" G_GINT64_FORMAT,
                            data->bill->from_us / G_USEC_PER_SEC, data->bill->to_us / G_USEC_PER_SEC);
  else
    {
      g_autofree char *from = byok_format_iso_utc (data->bill->from_us / G_USEC_PER_SEC);
      g_autofree char *to = byok_format_iso_utc (data->bill->to_us / G_USEC_PER_SEC);

      g_string_append_printf (url, "?starting_at=%s&ending_at=%s", from, to);
    }
  g_string_append_printf (url, "&bucket_width=1d&limit=%d",
                          (int) CLAMP (days, 1, bills[data->format].page_days));
  if (page != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (page, NULL, FALSE);

      g_string_append_printf (url, "&page=%s", escaped);
    }
  data->pages++;
  g_debug ("reading page %u of the bill of %s", data->pages, data->bill->provider);
  byok_client_get_json_with_key_async (client, data->bill->provider, url->str, data->key,
                                       g_task_get_cancellable (task), page_read, g_object_ref (task));
}

static void
admin_key_found (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ByokClient *client = g_task_get_source_object (task);
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(ByokKey) key = NULL;
  GError *error = NULL;

  key = byok_key_store_lookup_admin_finish (BYOK_KEY_STORE (source), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (key == NULL)
    {
      g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_NO_KEY,
                               _("There is no admin key for %s. Add one on the Usage page, under The Providers’ Bills, or with “byok-cli keys set-admin”."),
                               _byok_bill_provider_name (client, data->bill->provider));
      return;
    }
  data->key = g_strdup (byok_key_get_secret (key));
  byok_key_wipe (key);
  fetch_page (task, NULL);
}

/**
 * byok_provider_bill_fetch_async:
 * @key: (nullable): the admin key to use (a Check of a key not stored
 *   yet); %NULL for the one stored
 * @from_us: the period's start; it is taken from the start of its UTC day
 * @to_us: its end (exclusive), taken to the end of its UTC day
 *
 * Reads the provider's bill for the period, every page of it, day by day.
 * Byok's own side is added with byok_bill_add_recorded().
 */
void
byok_provider_bill_fetch_async (ByokClient          *client,
                                const char          *provider_id,
                                const char          *key,
                                gint64               from_us,
                                gint64               to_us,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  FetchData *data;
  int format;

  g_return_if_fail (BYOK_IS_CLIENT (client));
  g_return_if_fail (provider_id != NULL);

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, byok_provider_bill_fetch_async);
  format = find_bill (provider_id);
  if (format < 0 || byok_catalog_lookup_provider (byok_client_get_catalog (client), provider_id) == NULL)
    {
      g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_INVALID,
                               _("Byok cannot read the bill of %s: only OpenAI’s and Anthropic’s, with an admin key."),
                               _byok_bill_provider_name (client, provider_id));
      return;
    }
  if (key != NULL && !byok_provider_bill_check_admin_key (client, provider_id, key, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  data = g_new0 (FetchData, 1);
  data->bill = bill_new (provider_id, from_us, to_us);
  data->format = format;
  data->key = g_strdup (key);
  g_task_set_task_data (task, data, (GDestroyNotify) fetch_data_free);

  if (key != NULL)
    fetch_page (task, NULL);
  else
    byok_key_store_lookup_admin_async (byok_client_get_key_store (client), provider_id, cancellable,
                                       admin_key_found, g_object_ref (task));
}

/**
 * byok_provider_bill_fetch_finish:
 *
 * Returns: (transfer full) (nullable): the provider's bill per UTC day, or
 *   %NULL with the error classified (NO_KEY without an admin key; AUTH for
 *   a key the provider refused, an ordinary key among them; …)
 */
ByokBill *
byok_provider_bill_fetch_finish (ByokClient    *client,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Byok's side, and the comparison ------------------------------------- */

/* A whole day's or key's tokens at @price's base rates: summed over many
 * calls they say nothing about which tier each call was in. */
static gboolean
cost_at_base_rates (ByokPricing *pricing,
                    const char  *provider_id,
                    const char  *model,
                    gint64       input_tokens,
                    gint64       cached_tokens,
                    gint64       cache_write_tokens,
                    gint64       output_tokens,
                    double      *cost)
{
  ByokPrice price;
  ByokPrice base;

  byok_price_init (&price);
  if (pricing == NULL || model == NULL || !byok_pricing_lookup (pricing, provider_id, model, &price, NULL))
    return FALSE;
  byok_price_init_flat (&base, price.input, price.cached_input, price.cache_write, price.output);
  return byok_price_cost (&base, input_tokens, cached_tokens, cache_write_tokens, output_tokens, cost);
}

static void
parts_add (ByokBillParts       *sum,
           const ByokBillParts *parts)
{
  sum->other_keys_usd += parts->other_keys_usd;
  sum->other_keys_requests += parts->other_keys_requests;
  sum->other_keys_unpriced += parts->other_keys_unpriced;
  sum->unpriced_calls += parts->unpriced_calls;
  sum->unpriced_estimated += parts->unpriced_estimated;
  sum->unpriced_estimate_usd += parts->unpriced_estimate_usd;
  sum->estimated_calls += parts->estimated_calls;
  sum->estimated_usd += parts->estimated_usd;
  sum->interrupted_calls += parts->interrupted_calls;
}

/**
 * byok_bill_add_recorded:
 * @pricing: (nullable): Byok's prices, for the other keys' tokens and the
 *   calls recorded without a price; %NULL leaves both unpriced
 *
 * Adds what Byok recorded for the provider on each of the bill's days,
 * and the parts that explain a difference (byok_bill_explain()).
 *
 * Returns: %FALSE with @error when the usage could not be read
 */
gboolean
byok_bill_add_recorded (ByokBill        *bill,
                        ByokUsageStore  *store,
                        ByokPricing     *pricing,
                        GError         **error)
{
  g_autoptr(GHashTable) recorded = NULL;
  g_autoptr(GPtrArray) unpriced = NULL;

  g_return_val_if_fail (bill != NULL, FALSE);

  recorded = byok_usage_store_cost_by_utc_day (store, bill->provider, bill->from_us, bill->to_us, error);
  if (recorded == NULL)
    return FALSE;
  unpriced = byok_usage_store_unpriced_by_utc_day (store, bill->provider, bill->from_us, bill->to_us, error);
  if (unpriced == NULL)
    return FALSE;
  bill->byok_usd = 0;
  bill->byok_calls = 0;
  bill->byok_unknown_price = 0;
  memset (&bill->parts, 0, sizeof bill->parts);
  for (guint i = 0; i < bill->days->len; i++)
    {
      ByokBillDay *day = g_ptr_array_index (bill->days, i);
      const ByokUsageDayCost *cost = g_hash_table_lookup (recorded, day->day);

      memset (&day->parts, 0, sizeof day->parts);
      day->byok_usd = cost != NULL ? cost->cost_usd : 0;
      day->byok_calls = cost != NULL ? cost->calls : 0;
      day->byok_unknown_price = cost != NULL ? cost->unknown_price_calls : 0;
      day->parts.unpriced_calls = day->byok_unknown_price;
      day->parts.estimated_calls = cost != NULL ? cost->estimated_calls : 0;
      day->parts.estimated_usd = cost != NULL ? cost->estimated_usd : 0;
      day->parts.interrupted_calls = cost != NULL ? cost->interrupted_calls : 0;

      /* Other keys' tokens at Byok's prices. */
      for (guint j = 0; day->other_usage != NULL && j < day->other_usage->len; j++)
        {
          const ByokBillKeyUsage *usage = g_ptr_array_index (day->other_usage, j);
          double usd = 0;

          day->parts.other_keys_requests += usage->requests;
          if (cost_at_base_rates (pricing, bill->provider, usage->model, usage->input_tokens, usage->cached_tokens,
                                  usage->cache_write_tokens, usage->output_tokens, &usd))
            day->parts.other_keys_usd += usd;
          else if (usage->input_tokens > 0 || usage->output_tokens > 0)
            day->parts.other_keys_unpriced++;
        }
    }

  /* Byok's own unpriced calls, at today's price where there is one now
   * and their tokens are known. */
  for (guint i = 0; i < unpriced->len; i++)
    {
      const ByokUsageUnpriced *row = g_ptr_array_index (unpriced, i);
      ByokBillDay *day = _byok_bill_find_day (bill, row->day);
      double usd = 0;

      if (day == NULL || (row->input_tokens <= 0 && row->output_tokens <= 0))
        continue;
      if (cost_at_base_rates (pricing, bill->provider, row->model, row->input_tokens, row->cached_tokens,
                              row->cache_write_tokens, row->output_tokens, &usd))
        {
          day->parts.unpriced_estimated += row->calls;
          day->parts.unpriced_estimate_usd += usd;
        }
    }

  for (guint i = 0; i < bill->days->len; i++)
    {
      ByokBillDay *day = g_ptr_array_index (bill->days, i);

      bill->byok_usd += day->byok_usd;
      bill->byok_calls += day->byok_calls;
      bill->byok_unknown_price += day->byok_unknown_price;
      parts_add (&bill->parts, &day->parts);
    }
  return TRUE;
}

/* Whole cents, halves away from zero; a hair added so that 1.005 stored
 * as 1.00499999… is still 101 cents. */
static gint64
to_cents (double usd)
{
  if (!isfinite (usd))
    return 0;
  return (gint64) llround (usd * 100 + (usd >= 0 ? 1e-7 : -1e-7));
}

/**
 * byok_bill_explain:
 * @provider_usd: what the provider billed
 * @byok_usd: what Byok recorded at its prices
 * @keys: whether Byok's key was told from the organization's others
 * @parts: what could explain the difference
 * @explanation: (out): the difference taken apart
 *
 * Takes the difference between the provider's bill and Byok's figure
 * apart, in whole cents so that the lines shown add up to it exactly:
 * the other keys' calls at Byok's prices (only when the keys were told
 * apart: otherwise they are part of the unexplained), Byok's calls it
 * could not price as estimated at today's prices, and the unexplained
 * rest — which may be negative, the provider billing less than Byok
 * counted. Calls recorded with estimated tokens have no part of their
 * own: how far off their estimate is cannot be known from the bill.
 */
void
byok_bill_explain (double               provider_usd,
                   double               byok_usd,
                   ByokBillKeys         keys,
                   const ByokBillParts *parts,
                   ByokBillExplanation *explanation)
{
  gint64 difference = to_cents (provider_usd - byok_usd);
  gint64 other = keys == BYOK_BILL_KEYS_TOLD ? to_cents (parts->other_keys_usd) : 0;
  gint64 unpriced = to_cents (parts->unpriced_estimate_usd);

  explanation->difference_usd = difference / 100.0;
  explanation->other_keys_usd = other / 100.0;
  explanation->unpriced_usd = unpriced / 100.0;
  explanation->unexplained_usd = (difference - other - unpriced) / 100.0;
}

/**
 * byok_bill_day_explain:
 *
 * byok_bill_explain() for one of @bill's days.
 */
void
byok_bill_day_explain (const ByokBill      *bill,
                       const ByokBillDay   *day,
                       ByokBillExplanation *explanation)
{
  byok_bill_explain (day->provider_usd, day->byok_usd, bill->keys, &day->parts, explanation);
}

/**
 * byok_bill_total_explain:
 *
 * byok_bill_explain() for the whole period.
 */
void
byok_bill_total_explain (const ByokBill      *bill,
                         ByokBillExplanation *explanation)
{
  byok_bill_explain (bill->provider_usd, bill->byok_usd, bill->keys, &bill->parts, explanation);
}

/**
 * byok_bill_key_hint_matches:
 * @hint: what a provider's key listing shows of a key: OpenAI's
 *   redacted_value ("sk-abc...def"), Anthropic's partial_key_hint
 *   ("sk-ant-api03-R2D...igAA")
 * @secret: a key Byok holds
 *
 * Returns: whether @secret starts with what @hint shows before the dots
 *   and ends with what it shows after them (both at least 3 characters,
 *   so that a hint of nothing matches no key)
 */
gboolean
byok_bill_key_hint_matches (const char *hint,
                            const char *secret)
{
  const char *dots;
  const char *tail;
  gsize head_len;
  gsize tail_len;
  gsize secret_len;

  if (hint == NULL || secret == NULL)
    return FALSE;
  dots = strstr (hint, "...");
  if (dots == NULL)
    dots = strstr (hint, "…");
  if (dots == NULL)
    return FALSE;
  head_len = (gsize) (dots - hint);
  tail = dots + (g_str_has_prefix (dots, "...") ? 3 : strlen ("…"));
  tail_len = strlen (tail);
  secret_len = strlen (secret);
  if (head_len < 3 || tail_len < 3 || secret_len < head_len + tail_len)
    return FALSE;
  return strncmp (secret, hint, head_len) == 0 && strcmp (secret + secret_len - tail_len, tail) == 0;
}

/**
 * byok_bill_day_differs:
 * Returns: whether Byok's figure and the provider's for the day are more
 *   than a cent or 1 % apart (byok_price_cost_differs())
 */
gboolean
byok_bill_day_differs (const ByokBillDay *day)
{
  return byok_price_cost_differs (day->byok_usd, day->provider_usd);
}

/**
 * byok_bill_differs:
 * Returns: whether the period's totals are more than a cent or 1 % apart
 */
gboolean
byok_bill_differs (const ByokBill *bill)
{
  return byok_price_cost_differs (bill->byok_usd, bill->provider_usd);
}

/* "+$0.11", "−$0.02", "$0.00" */
static char *
format_signed (double usd)
{
  g_autofree char *amount = byok_format_usd (fabs (usd));

  return g_strdup_printf ("%s%s", usd < 0 ? "−" : usd > 0 ? "+" : "", amount);
}

/**
 * byok_bill_explain_lines:
 * @bill: the bill, for whether its keys were told apart
 * @parts: the day's or the period's parts
 * @explanation: byok_bill_explain()'s of them
 * @with_reason: whether to say why the keys could not be told apart (the
 *   period's lines do; each day's would only repeat it)
 *
 * The explanation as plain sentences, one a part, the unexplained rest
 * last and always — what Usage and `byok-cli usage --compare-bill` show.
 *
 * Returns: (transfer full): a %NULL-terminated array of lines
 */
GStrv
byok_bill_explain_lines (const ByokBill            *bill,
                         const ByokBillParts       *parts,
                         const ByokBillExplanation *explanation,
                         gboolean                   with_reason)
{
  GPtrArray *lines = g_ptr_array_new ();
  g_autofree char *unexplained = format_signed (explanation->unexplained_usd);
  guint64 unpriced_left = parts->unpriced_calls - MIN (parts->unpriced_estimated, parts->unpriced_calls);

  if (bill->keys == BYOK_BILL_KEYS_TOLD &&
      (parts->other_keys_requests > 0 || explanation->other_keys_usd != 0 || parts->other_keys_unpriced > 0))
    {
      g_autofree char *usd = format_signed (explanation->other_keys_usd);

      if (parts->other_keys_requests > 0)
        g_ptr_array_add (lines, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                  /* Translators: "+$0.30 from 1 call with other keys (other tools), at Byok’s prices" */
                                                                  "%s from %lu call with other keys (other tools), at Byok’s prices",
                                                                  "%s from %lu calls with other keys (other tools), at Byok’s prices",
                                                                  (gulong) parts->other_keys_requests),
                                                     usd, (gulong) parts->other_keys_requests));
      else
        /* Translators: "+$0.30 from other keys (other tools), at Byok’s prices" */
        g_ptr_array_add (lines, g_strdup_printf (_("%s from other keys (other tools), at Byok’s prices"),
                                                     usd));
      if (parts->other_keys_unpriced > 0)
        g_ptr_array_add (lines, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                  "Other keys also used %lu model Byok has no price for; counted as unexplained",
                                                                  "Other keys also used %lu models Byok has no price for; counted as unexplained",
                                                                  (gulong) parts->other_keys_unpriced),
                                                     (gulong) parts->other_keys_unpriced));
    }
  else if (bill->keys == BYOK_BILL_KEYS_UNTOLD)
    {
      if (bill->keys_error != NULL && with_reason)
        /* Translators: %s says why (the provider's error) */
        g_ptr_array_add (lines, g_strdup_printf (_("Could not tell Byok’s key from others (%s); calls from other tools are part of the unexplained"),
                                                     bill->keys_error));
      else
        g_ptr_array_add (lines, g_strdup (_("Could not tell Byok’s key from others; calls from other tools are part of the unexplained")));
    }

  if (parts->unpriced_estimated > 0)
    {
      g_autofree char *usd = format_signed (explanation->unpriced_usd);

      g_ptr_array_add (lines, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                /* Translators: "+$0.08 estimated for 1 call Byok could not price, at today’s price" */
                                                                "%s estimated for %lu call Byok could not price, at today’s price",
                                                                "%s estimated for %lu calls Byok could not price, at today’s price",
                                                                (gulong) parts->unpriced_estimated),
                                                   usd, (gulong) parts->unpriced_estimated));
    }
  if (unpriced_left > 0)
    g_ptr_array_add (lines, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                              "%lu call Byok could not price and cannot estimate; part of the unexplained",
                                                              "%lu calls Byok could not price and cannot estimate; part of the unexplained",
                                                              (gulong) unpriced_left),
                                                 (gulong) unpriced_left));
  if (parts->estimated_calls > 0)
    {
      g_autofree char *usd = byok_format_usd (parts->estimated_usd);
      g_autofree char *counted = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               /* Translators: "≈$0.05 of Byok’s figure is 2 calls recorded with estimated tokens" */
                                                               "≈%s of Byok’s figure is %lu call recorded with estimated tokens",
                                                               "≈%s of Byok’s figure is %lu calls recorded with estimated tokens",
                                                               (gulong) parts->estimated_calls),
                                                  usd, (gulong) parts->estimated_calls);

      if (parts->interrupted_calls > 0)
        g_ptr_array_add (lines, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                  /* Translators: the line above, then how many of those calls were interrupted */
                                                                  "%s (%lu interrupted)",
                                                                  "%s (%lu interrupted)",
                                                                  (gulong) parts->interrupted_calls),
                                                     counted, (gulong) parts->interrupted_calls));
      else
        g_ptr_array_add (lines, g_steal_pointer (&counted));
    }
  /* Translators: what is left of the difference: "+$0.04 unexplained" */
  g_ptr_array_add (lines, g_strdup_printf (_("%s unexplained"), unexplained));
  g_ptr_array_add (lines, NULL);
  return (GStrv) g_ptr_array_free (lines, FALSE);
}

static void
add_day_members (JsonBuilder               *builder,
                 const ByokBill            *bill,
                 double                     byok,
                 double                     provider,
                 guint64                    calls,
                 guint64                    unknown,
                 const ByokBillParts       *parts)
{
  ByokBillExplanation explanation;

  byok_bill_explain (provider, byok, bill->keys, parts, &explanation);
  json_builder_set_member_name (builder, "byok_usd");
  json_builder_add_double_value (builder, byok);
  json_builder_set_member_name (builder, "provider_usd");
  json_builder_add_double_value (builder, provider);
  json_builder_set_member_name (builder, "difference_usd");
  json_builder_add_double_value (builder, provider - byok);
  json_builder_set_member_name (builder, "differs");
  json_builder_add_boolean_value (builder, byok_price_cost_differs (byok, provider));
  json_builder_set_member_name (builder, "byok_calls");
  json_builder_add_int_value (builder, (gint64) calls);
  json_builder_set_member_name (builder, "byok_unknown_price_calls");
  json_builder_add_int_value (builder, (gint64) unknown);

  json_builder_set_member_name (builder, "explanation");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "difference_usd");
  json_builder_add_double_value (builder, explanation.difference_usd);
  json_builder_set_member_name (builder, "other_keys_usd");
  if (bill->keys == BYOK_BILL_KEYS_TOLD)
    json_builder_add_double_value (builder, explanation.other_keys_usd);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "other_keys_calls");
  json_builder_add_int_value (builder, (gint64) parts->other_keys_requests);
  json_builder_set_member_name (builder, "other_keys_unpriced_models");
  json_builder_add_int_value (builder, (gint64) parts->other_keys_unpriced);
  json_builder_set_member_name (builder, "unpriced_calls");
  json_builder_add_int_value (builder, (gint64) parts->unpriced_calls);
  json_builder_set_member_name (builder, "unpriced_estimated_calls");
  json_builder_add_int_value (builder, (gint64) parts->unpriced_estimated);
  json_builder_set_member_name (builder, "unpriced_estimate_usd");
  json_builder_add_double_value (builder, explanation.unpriced_usd);
  json_builder_set_member_name (builder, "estimated_token_calls");
  json_builder_add_int_value (builder, (gint64) parts->estimated_calls);
  json_builder_set_member_name (builder, "estimated_token_usd");
  json_builder_add_double_value (builder, parts->estimated_usd);
  json_builder_set_member_name (builder, "interrupted_calls");
  json_builder_add_int_value (builder, (gint64) parts->interrupted_calls);
  json_builder_set_member_name (builder, "unexplained_usd");
  json_builder_add_double_value (builder, explanation.unexplained_usd);
  json_builder_end_object (builder);
}

static const char *
keys_to_string (ByokBillKeys keys)
{
  switch (keys)
    {
    case BYOK_BILL_KEYS_TOLD:
      return "told";
    case BYOK_BILL_KEYS_UNTOLD:
      return "untold";
    case BYOK_BILL_KEYS_NOT_READ:
    default:
      return "not_read";
    }
}

/**
 * byok_bill_to_json:
 *
 * Returns: (transfer full): {"provider", "from", "to" (UTC days, "to"
 *   inclusive), "byok_usd", "provider_usd", "difference_usd", "differs",
 *   "byok_calls", "byok_unknown_price_calls", "explanation": {…},
 *   "keys": "told"|"untold"|"not_read", "keys_error", "days": [{"day", …}]}
 */
JsonNode *
byok_bill_to_json (const ByokBill *bill)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *from = _byok_bill_utc_day (bill->from_us / G_USEC_PER_SEC);
  g_autofree char *to = _byok_bill_utc_day ((bill->to_us - 1) / G_USEC_PER_SEC);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "provider");
  json_builder_add_string_value (builder, bill->provider);
  json_builder_set_member_name (builder, "from");
  json_builder_add_string_value (builder, from);
  json_builder_set_member_name (builder, "to");
  json_builder_add_string_value (builder, to);
  add_day_members (builder, bill, bill->byok_usd, bill->provider_usd, bill->byok_calls, bill->byok_unknown_price,
                   &bill->parts);
  json_builder_set_member_name (builder, "keys");
  json_builder_add_string_value (builder, keys_to_string (bill->keys));
  json_builder_set_member_name (builder, "keys_error");
  if (bill->keys_error != NULL)
    json_builder_add_string_value (builder, bill->keys_error);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "days");
  json_builder_begin_array (builder);
  for (guint i = 0; i < bill->days->len; i++)
    {
      const ByokBillDay *day = g_ptr_array_index (bill->days, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "day");
      json_builder_add_string_value (builder, day->day);
      add_day_members (builder, bill, day->byok_usd, day->provider_usd, day->byok_calls, day->byok_unknown_price,
                       &day->parts);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
