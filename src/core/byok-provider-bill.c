/* byok-provider-bill.c — the provider's own bill beside what Byok recorded */
#define G_LOG_DOMAIN "byok-bill"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "byok-error.h"
#include "byok-json.h"
#include "byok-key-store.h"
#include "byok-price.h"
#include "byok-provider-bill.h"

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

static const char *
provider_name (ByokClient *client,
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
                   provider_name (client, provider_id));
      return FALSE;
    }
  if (key == NULL || !g_str_has_prefix (key, bills[i].key_prefix))
    {
      /* Translators: the first %s is a provider, the second how its admin
       * keys start ("sk-admin-") */
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_INVALID,
                   _("This is not an admin key of %s: those start with %s. Create one in the organization’s settings."),
                   provider_name (client, provider_id), bills[i].key_prefix);
      return FALSE;
    }
  return TRUE;
}

/* ---- the result ----------------------------------------------------------- */

static void
bill_day_free (ByokBillDay *day)
{
  g_free (day->day);
  g_free (day);
}

void
byok_bill_free (ByokBill *bill)
{
  if (bill == NULL)
    return;
  g_free (bill->provider);
  g_clear_pointer (&bill->days, g_ptr_array_unref);
  g_free (bill);
}

static char *
utc_day (gint64 unix_seconds)
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

      day->day = utc_day (t / G_USEC_PER_SEC);
      g_ptr_array_add (bill->days, day);
    }
  return bill;
}

static ByokBillDay *
bill_find_day (ByokBill   *bill,
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
        day = utc_day (start);
      else if (format == BILL_ANTHROPIC && byok_json_get_string (bucket, "starting_at") != NULL)
        day = g_strndup (byok_json_get_string (bucket, "starting_at"), 10);
      entry = bill_find_day (bill, day);
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

static char *
iso_time (gint64 us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);

  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
}

static void fetch_page (GTask      *task,
                        const char *page);

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
  if (!bill_read_page (data->bill, bills[data->format].format, provider_name (client, data->bill->provider),
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
  g_task_return_pointer (task, g_steal_pointer (&data->bill), (GDestroyNotify) byok_bill_free);
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
      g_autofree char *from = iso_time (data->bill->from_us);
      g_autofree char *to = iso_time (data->bill->to_us);

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
                               provider_name (client, data->bill->provider));
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
                               provider_name (client, provider_id));
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

/**
 * byok_bill_add_recorded:
 *
 * Adds what Byok recorded for the provider on each of the bill's days.
 *
 * Returns: %FALSE with @error when the usage could not be read
 */
gboolean
byok_bill_add_recorded (ByokBill        *bill,
                        ByokUsageStore  *store,
                        GError         **error)
{
  g_autoptr(GHashTable) recorded = NULL;

  g_return_val_if_fail (bill != NULL, FALSE);

  recorded = byok_usage_store_cost_by_utc_day (store, bill->provider, bill->from_us, bill->to_us, error);
  if (recorded == NULL)
    return FALSE;
  bill->byok_usd = 0;
  bill->byok_calls = 0;
  bill->byok_unknown_price = 0;
  for (guint i = 0; i < bill->days->len; i++)
    {
      ByokBillDay *day = g_ptr_array_index (bill->days, i);
      const ByokUsageDayCost *cost = g_hash_table_lookup (recorded, day->day);

      day->byok_usd = cost != NULL ? cost->cost_usd : 0;
      day->byok_calls = cost != NULL ? cost->calls : 0;
      day->byok_unknown_price = cost != NULL ? cost->unknown_price_calls : 0;
      bill->byok_usd += day->byok_usd;
      bill->byok_calls += day->byok_calls;
      bill->byok_unknown_price += day->byok_unknown_price;
    }
  return TRUE;
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

static void
add_day_members (JsonBuilder *builder,
                 double       byok,
                 double       provider,
                 guint64      calls,
                 guint64      unknown)
{
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
}

/**
 * byok_bill_to_json:
 *
 * Returns: (transfer full): {"provider", "from", "to" (UTC days, "to"
 *   inclusive), "byok_usd", "provider_usd", "difference_usd", "differs",
 *   "byok_calls", "byok_unknown_price_calls", "days": [{"day", …}]}
 */
JsonNode *
byok_bill_to_json (const ByokBill *bill)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *from = utc_day (bill->from_us / G_USEC_PER_SEC);
  g_autofree char *to = utc_day ((bill->to_us - 1) / G_USEC_PER_SEC);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "provider");
  json_builder_add_string_value (builder, bill->provider);
  json_builder_set_member_name (builder, "from");
  json_builder_add_string_value (builder, from);
  json_builder_set_member_name (builder, "to");
  json_builder_add_string_value (builder, to);
  add_day_members (builder, bill->byok_usd, bill->provider_usd, bill->byok_calls, bill->byok_unknown_price);
  json_builder_set_member_name (builder, "days");
  json_builder_begin_array (builder);
  for (guint i = 0; i < bill->days->len; i++)
    {
      const ByokBillDay *day = g_ptr_array_index (bill->days, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "day");
      json_builder_add_string_value (builder, day->day);
      add_day_members (builder, day->byok_usd, day->provider_usd, day->byok_calls, day->byok_unknown_price);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
