/* byok-balance.c — reading, keeping and describing provider balances */
#define G_LOG_DOMAIN "byok-balance"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "byok-balance.h"
#include "byok-error.h"
#include "byok-format.h"
#include "byok-json.h"

G_DEFINE_BOXED_TYPE (ByokBalance, byok_balance, byok_balance_copy, byok_balance_free)

/**
 * byok_balance_new:
 * Returns: (transfer full): a balance of @provider with no value yet
 */
ByokBalance *
byok_balance_new (const char *provider)
{
  ByokBalance *balance = g_new0 (ByokBalance, 1);

  balance->provider = g_strdup (provider);
  balance->available = NAN;
  return balance;
}

ByokBalance *
byok_balance_copy (const ByokBalance *balance)
{
  ByokBalance *copy;

  g_return_val_if_fail (balance != NULL, NULL);

  copy = g_memdup2 (balance, sizeof *balance);
  copy->provider = g_strdup (balance->provider);
  copy->currency = g_strdup (balance->currency);
  copy->details = balance->details != NULL ? json_node_copy (balance->details) : NULL;
  copy->error_message = g_strdup (balance->error_message);
  return copy;
}

void
byok_balance_free (ByokBalance *balance)
{
  if (balance == NULL)
    return;
  g_free (balance->provider);
  g_free (balance->currency);
  g_clear_pointer (&balance->details, json_node_unref);
  g_free (balance->error_message);
  g_free (balance);
}

/**
 * byok_balance_has_value:
 * Returns: whether a balance was ever read (it may be old: see
 *   @balance->error_message)
 */
gboolean
byok_balance_has_value (const ByokBalance *balance)
{
  return balance != NULL && balance->currency != NULL && isfinite (balance->available);
}

/* ---- the providers' shapes ---------------------------------------------- */

static void
add_amount (JsonBuilder *builder,
            JsonObject  *object,
            const char  *member)
{
  double value;

  if (byok_json_get_number (object, member, &value))
    {
      json_builder_set_member_name (builder, member);
      json_builder_add_double_value (builder, value);
    }
}

static GError *
unreadable (ByokProvider *provider)
{
  return g_error_new (BYOK_ERROR, BYOK_ERROR_MALFORMED,
                      _("%s sent a balance Byok cannot read. Check the provider’s base URL."),
                      byok_provider_get_name (provider));
}

/* {"is_available": true, "balance_infos": [{"currency": "CNY",
 *  "total_balance": "110.00", "granted_balance": "10.00",
 *  "topped_up_balance": "100.00"}]}: the USD balance when there is one. */
static gboolean
parse_deepseek (ByokProvider *provider,
                JsonObject   *root,
                ByokBalance  *balance,
                JsonBuilder  *details,
                GError      **error)
{
  JsonArray *infos = byok_json_get_array (root, "balance_infos");
  JsonObject *chosen = NULL;
  gboolean is_available;

  for (guint i = 0; infos != NULL && i < json_array_get_length (infos); i++)
    {
      JsonObject *info = byok_json_array_get_object (infos, i);
      const char *currency = info != NULL ? byok_json_get_string (info, "currency") : NULL;

      if (currency == NULL)
        continue;
      if (chosen == NULL || g_ascii_strcasecmp (currency, "USD") == 0)
        chosen = info;
    }
  if (chosen == NULL || !byok_json_get_number (chosen, "total_balance", &balance->available))
    {
      g_propagate_error (error, unreadable (provider));
      return FALSE;
    }
  balance->currency = g_ascii_strup (byok_json_get_string (chosen, "currency"), -1);
  if (byok_json_get_bool (root, "is_available", &is_available))
    {
      json_builder_set_member_name (details, "is_available");
      json_builder_add_boolean_value (details, is_available);
    }
  add_amount (details, chosen, "total_balance");
  add_amount (details, chosen, "granted_balance");
  add_amount (details, chosen, "topped_up_balance");
  return TRUE;
}

/* {"code": 0, "data": {"available_balance": 49.58, "voucher_balance": 46.58,
 *  "cash_balance": 3.0}, "scode": "0x0", "status": true}; the currency is
 * the endpoint's. */
static gboolean
parse_moonshot (ByokProvider *provider,
                JsonObject   *root,
                ByokBalance  *balance,
                JsonBuilder  *details,
                GError      **error)
{
  JsonObject *data = byok_json_get_object (root, "data");
  gint64 code = 0;

  if (byok_json_get_int (root, "code", &code) && code != 0)
    {
      g_autofree char *scode = byok_json_dup_scalar (root, "scode");

      /* Translators: %1$s is a provider, %2$s its status code ("0x1") */
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_SERVER,
                   _("%1$s did not tell the balance (status %2$s). Try again later."),
                   byok_provider_get_name (provider), scode != NULL ? scode : "?");
      return FALSE;
    }
  if (data == NULL || !byok_json_get_number (data, "available_balance", &balance->available))
    {
      g_propagate_error (error, unreadable (provider));
      return FALSE;
    }
  balance->currency = g_strdup (byok_provider_get_balance_currency (provider));
  add_amount (details, data, "available_balance");
  add_amount (details, data, "voucher_balance");
  add_amount (details, data, "cash_balance");
  return TRUE;
}

/* /credits: {"data": {"total_credits": 100.5, "total_usage": 25.75}} (a
 * management key's); /key: {"data": {"limit": 5 | null, "limit_remaining":
 * 4.9 | null, "usage": 0.1, "usage_daily": …, "usage_monthly": …,
 * "is_free_tier": false}}. What the key can still spend: the account's
 * credits left, or the key's own limit when that is lower. */
static gboolean
parse_openrouter (ByokProvider *provider,
                  JsonObject   *account,
                  JsonObject   *key_info,
                  ByokBalance  *balance,
                  JsonBuilder  *details,
                  GError      **error)
{
  JsonObject *credits = account != NULL ? byok_json_get_object (account, "data") : NULL;
  JsonObject *key = key_info != NULL ? byok_json_get_object (key_info, "data") : NULL;
  double total = 0, used = 0, remaining = 0;
  gboolean have_credits = credits != NULL && byok_json_get_number (credits, "total_credits", &total) &&
                          byok_json_get_number (credits, "total_usage", &used);
  gboolean have_limit = key != NULL && byok_json_get_number (key, "limit_remaining", &remaining);
  gboolean free_tier;

  if (have_credits && have_limit)
    balance->available = MIN (total - used, remaining);
  else if (have_credits)
    balance->available = total - used;
  else if (have_limit)
    balance->available = remaining;
  else if (account == NULL && key != NULL)
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_AUTH,
                   _("%s tells the account’s credits only to a management key, and this key has "
                     "no credit limit of its own. The balance is in the provider’s console."),
                   byok_provider_get_name (provider));
      return FALSE;
    }
  else
    {
      g_propagate_error (error, unreadable (provider));
      return FALSE;
    }
  balance->currency = g_strdup (byok_provider_get_balance_currency (provider));
  add_amount (details, credits, "total_credits");
  add_amount (details, credits, "total_usage");
  add_amount (details, key, "limit");
  add_amount (details, key, "limit_remaining");
  add_amount (details, key, "usage");
  add_amount (details, key, "usage_daily");
  add_amount (details, key, "usage_monthly");
  if (key != NULL && byok_json_get_bool (key, "is_free_tier", &free_tier))
    {
      json_builder_set_member_name (details, "is_free_tier");
      json_builder_add_boolean_value (details, free_tier);
    }
  return TRUE;
}

/**
 * byok_balance_parse:
 * @account: (nullable): the body of the provider's balance endpoint
 *   (OpenRouter: /credits; NULL when the key may not read it)
 * @key_info: (nullable): OpenRouter: the body of /key
 *
 * Reads a balance in the shape the provider documents, checked now.
 *
 * Returns: (transfer full): the balance, or %NULL with MALFORMED (an
 *   unexpected shape), SERVER (the provider said it failed) or AUTH
 *   (OpenRouter: nothing this key may read)
 */
ByokBalance *
byok_balance_parse (ByokProvider  *provider,
                    JsonNode      *account,
                    JsonNode      *key_info,
                    GError       **error)
{
  g_autoptr(ByokBalance) balance = NULL;
  g_autoptr(JsonBuilder) details = json_builder_new ();
  JsonObject *account_object = account != NULL && JSON_NODE_HOLDS_OBJECT (account)
                               ? json_node_get_object (account) : NULL;
  JsonObject *key_object = key_info != NULL && JSON_NODE_HOLDS_OBJECT (key_info)
                           ? json_node_get_object (key_info) : NULL;
  gboolean ok;

  g_return_val_if_fail (BYOK_IS_PROVIDER (provider), NULL);

  balance = byok_balance_new (byok_provider_get_id (provider));
  json_builder_begin_object (details);
  switch (byok_provider_get_balance_format (provider))
    {
    case BYOK_BALANCE_FORMAT_DEEPSEEK:
      ok = account_object != NULL && parse_deepseek (provider, account_object, balance, details, error);
      break;
    case BYOK_BALANCE_FORMAT_MOONSHOT:
      ok = account_object != NULL && parse_moonshot (provider, account_object, balance, details, error);
      break;
    case BYOK_BALANCE_FORMAT_OPENROUTER:
      ok = parse_openrouter (provider, account_object, key_object, balance, details, error);
      break;
    case BYOK_BALANCE_FORMAT_NONE:
    default:
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_NOT_FOUND,
                   _("%s does not tell the balance of an account."), byok_provider_get_name (provider));
      return NULL;
    }
  if (!ok)
    {
      if (error != NULL && *error == NULL)
        g_propagate_error (error, unreadable (provider));
      return NULL;
    }
  if (balance->currency == NULL)
    balance->currency = g_strdup ("USD");
  json_builder_end_object (details);
  balance->details = json_builder_get_root (details);
  balance->checked_at = g_get_real_time () / G_USEC_PER_SEC;
  return g_steal_pointer (&balance);
}

/* ---- reading ------------------------------------------------------------- */

typedef struct {
  ByokProvider *provider;
  JsonNode     *account;
  gboolean      account_refused;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_clear_object (&fetch->provider);
  g_clear_pointer (&fetch->account, json_node_unref);
  g_free (fetch);
}

/* A key that may not read the balance: said as such, not as a refused key
 * (the same key may chat well). */
static GError *
refused_error (ByokProvider *provider)
{
  return g_error_new (BYOK_ERROR, BYOK_ERROR_AUTH,
                      _("%s does not show the balance to this key. A key with limited rights may "
                        "not read it; the balance is in the provider’s console."),
                      byok_provider_get_name (provider));
}

static void
fetch_finish_with (GTask    *task,
                   JsonNode *key_info)
{
  Fetch *fetch = g_task_get_task_data (task);
  GError *error = NULL;
  ByokBalance *balance = byok_balance_parse (fetch->provider, fetch->account, key_info, &error);

  if (balance == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, balance, (GDestroyNotify) byok_balance_free);
}

static void
fetch_key_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(JsonNode) key_info = NULL;
  GError *error = NULL;

  key_info = byok_client_get_json_finish (BYOK_CLIENT (source), result, &error);
  if (key_info == NULL)
    {
      /* The account's figures are enough; without them, say why. */
      if (fetch->account != NULL)
        {
          g_clear_error (&error);
          fetch_finish_with (task, NULL);
          return;
        }
      if (g_error_matches (error, BYOK_ERROR, BYOK_ERROR_AUTH))
        {
          g_clear_error (&error);
          error = refused_error (fetch->provider);
        }
      g_task_return_error (task, error);
      return;
    }
  fetch_finish_with (task, key_info);
}

static void
fetch_account_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  g_autofree char *key_url = byok_provider_build_balance_url (fetch->provider, TRUE);
  GError *error = NULL;

  fetch->account = byok_client_get_json_finish (BYOK_CLIENT (source), result, &error);
  if (fetch->account == NULL)
    {
      /* OpenRouter: /credits needs a management key; /key tells this
       * key's own limit. */
      if (key_url != NULL && g_error_matches (error, BYOK_ERROR, BYOK_ERROR_AUTH))
        {
          g_clear_error (&error);
          fetch->account_refused = TRUE;
        }
      else
        {
          if (g_error_matches (error, BYOK_ERROR, BYOK_ERROR_AUTH))
            {
              g_clear_error (&error);
              error = refused_error (fetch->provider);
            }
          g_task_return_error (task, error);
          return;
        }
    }
  if (key_url == NULL)
    {
      fetch_finish_with (task, NULL);
      return;
    }
  byok_client_get_json_async (BYOK_CLIENT (source), byok_provider_get_id (fetch->provider), key_url,
                              g_task_get_cancellable (task), fetch_key_done, g_object_ref (task));
}

/**
 * byok_balance_fetch_async:
 *
 * Reads the balance of @provider_id with its stored key (the one calls
 * use). Fails with NO_KEY without a key, NOT_FOUND for a provider that has
 * no balance endpoint, AUTH when the key may not read it, and the client's
 * classified errors otherwise.
 */
void
byok_balance_fetch_async (ByokClient          *client,
                          const char          *provider_id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;
  ByokProvider *provider;
  Fetch *fetch;

  g_return_if_fail (BYOK_IS_CLIENT (client));
  g_return_if_fail (provider_id != NULL);

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, byok_balance_fetch_async);
  provider = byok_catalog_lookup_provider (byok_client_get_catalog (client), provider_id);
  if (provider == NULL || byok_provider_get_balance_format (provider) == BYOK_BALANCE_FORMAT_NONE ||
      (url = byok_provider_build_balance_url (provider, FALSE)) == NULL)
    {
      /* Translators: %s is a provider id or name */
      g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_NOT_FOUND,
                               _("%s does not tell the balance of an account."),
                               provider != NULL ? byok_provider_get_name (provider) : provider_id);
      return;
    }
  fetch = g_new0 (Fetch, 1);
  fetch->provider = g_object_ref (provider);
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);
  byok_client_get_json_async (client, provider_id, url, cancellable, fetch_account_done,
                              g_steal_pointer (&task));
}

/**
 * byok_balance_fetch_finish:
 * Returns: (transfer full): the balance read now, or %NULL with the error
 */
ByokBalance *
byok_balance_fetch_finish (ByokClient    *client,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- keeping ------------------------------------------------------------- */

static gint64
parse_time (const char *text)
{
  g_autoptr(GDateTime) time = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  return time != NULL ? g_date_time_to_unix (time) : 0;
}

JsonNode *
byok_balance_to_json (const ByokBalance *balance)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (balance != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "provider");
  json_builder_add_string_value (builder, balance->provider);
  byok_json_builder_add_string_or_null (builder, "currency", balance->currency);
  json_builder_set_member_name (builder, "available");
  if (isfinite (balance->available))
    json_builder_add_double_value (builder, balance->available);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "details");
  if (balance->details != NULL)
    json_builder_add_value (builder, json_node_copy (balance->details));
  else
    {
      json_builder_begin_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "checked_at");
  if (balance->checked_at > 0)
    {
      g_autofree char *time = byok_format_iso_utc (balance->checked_at);

      json_builder_add_string_value (builder, time);
    }
  else
    json_builder_add_null_value (builder);
  if (balance->error_message != NULL)
    {
      g_autofree char *failed = byok_format_iso_utc (balance->failed_at);

      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, balance->error_message);
      json_builder_set_member_name (builder, "error_code");
      json_builder_add_string_value (builder, byok_error_code_to_string (balance->error_code));
      json_builder_set_member_name (builder, "failed_at");
      json_builder_add_string_value (builder, failed);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

ByokBalance *
byok_balance_from_json (JsonNode  *node,
                        GError   **error)
{
  g_autoptr(ByokBalance) balance = NULL;
  JsonObject *object;
  JsonObject *details;
  const char *provider;
  double available;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      (provider = byok_json_get_string (object = json_node_get_object (node), "provider")) == NULL)
    {
      g_set_error_literal (error, BYOK_ERROR, BYOK_ERROR_MALFORMED, _("A stored balance cannot be read."));
      return NULL;
    }
  balance = byok_balance_new (provider);
  balance->currency = g_strdup (byok_json_get_string (object, "currency"));
  if (byok_json_get_number (object, "available", &available))
    balance->available = available;
  if ((details = byok_json_get_object (object, "details")) != NULL)
    balance->details = json_node_copy (json_object_get_member (object, "details"));
  balance->checked_at = parse_time (byok_json_get_string (object, "checked_at"));
  if (byok_json_get_string (object, "error") != NULL)
    {
      balance->error_message = g_strdup (byok_json_get_string (object, "error"));
      if (!byok_error_code_from_string (byok_json_get_string (object, "error_code"), &balance->error_code))
        balance->error_code = BYOK_ERROR_NETWORK;
      balance->failed_at = parse_time (byok_json_get_string (object, "failed_at"));
    }
  return g_steal_pointer (&balance);
}

/**
 * byok_balance_load:
 * Returns: (transfer full) (nullable): the balance kept for @provider_id
 */
ByokBalance *
byok_balance_load (ByokProviderSettings *settings,
                   const char           *provider_id)
{
  g_autofree char *text = byok_provider_settings_dup_value (settings, provider_id, BYOK_PROVIDER_SETTING_BALANCE);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  ByokBalance *balance;

  if (text == NULL)
    return NULL;
  node = byok_json_parse (text, strlen (text), &error);
  balance = node != NULL ? byok_balance_from_json (node, &error) : NULL;
  if (balance == NULL)
    g_debug ("The stored balance of %s is ignored: %s", provider_id, error->message);
  return balance;
}

gboolean
byok_balance_save (ByokProviderSettings  *settings,
                   const ByokBalance     *balance,
                   GError               **error)
{
  g_autoptr(JsonNode) node = byok_balance_to_json (balance);
  g_autofree char *text = json_to_string (node, FALSE);

  return byok_provider_settings_set_value (settings, balance->provider, BYOK_PROVIDER_SETTING_BALANCE,
                                           text, error);
}

/**
 * byok_balance_merge_failure:
 * @last: (nullable): the balance kept so far
 *
 * Returns: (transfer full): @last's value with @error as the last read's
 *   failure, now
 */
ByokBalance *
byok_balance_merge_failure (const ByokBalance *last,
                            const char        *provider_id,
                            const GError      *error)
{
  ByokBalance *balance = last != NULL ? byok_balance_copy (last) : byok_balance_new (provider_id);

  g_free (balance->error_message);
  balance->error_message = g_strdup (error->message);
  balance->error_code = error->domain == BYOK_ERROR ? (ByokErrorCode) error->code : BYOK_ERROR_NETWORK;
  balance->failed_at = g_get_real_time () / G_USEC_PER_SEC;
  return balance;
}

/**
 * byok_balance_get_threshold:
 * Returns: the low-balance threshold the person set, or NAN for none
 */
double
byok_balance_get_threshold (ByokProviderSettings *settings,
                            const char           *provider_id)
{
  g_autofree char *text = byok_provider_settings_dup_value (settings, provider_id,
                                                            BYOK_PROVIDER_SETTING_BALANCE_LOW);
  char *end = NULL;
  double value;

  if (text == NULL)
    return NAN;
  value = g_ascii_strtod (text, &end);
  return end != text && isfinite (value) && value > 0 ? value : NAN;
}

/**
 * byok_balance_set_threshold:
 * @threshold: warn below this (in the balance's currency); NAN or 0 for
 *   never
 */
gboolean
byok_balance_set_threshold (ByokProviderSettings  *settings,
                            const char            *provider_id,
                            double                 threshold,
                            GError               **error)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (threshold) || threshold <= 0)
    return byok_provider_settings_set_value (settings, provider_id, BYOK_PROVIDER_SETTING_BALANCE_LOW,
                                             NULL, error);
  g_ascii_dtostr (text, sizeof text, threshold);
  return byok_provider_settings_set_value (settings, provider_id, BYOK_PROVIDER_SETTING_BALANCE_LOW,
                                           text, error);
}

/* ---- saying it ----------------------------------------------------------- */

/**
 * byok_balance_days_left:
 * @usd_per_day: what the provider's calls cost a day lately
 *
 * Returns: how many days the balance lasts at that pace, or NAN when that
 *   cannot be told (no pace, no value, a currency other than USD: Byok
 *   prices in USD and converts nothing)
 */
double
byok_balance_days_left (const ByokBalance *balance,
                        double             usd_per_day)
{
  if (!byok_balance_has_value (balance) || !isfinite (usd_per_day) || usd_per_day <= 0 ||
      g_strcmp0 (balance->currency, "USD") != 0)
    return NAN;
  return MAX (balance->available, 0) / usd_per_day;
}

/**
 * byok_balance_format_amount:
 *
 * Plain, in the C locale, for byok-cli's columns and JSON-like text;
 * sentences for people (byok_balance_describe()) use the locale-aware
 * byok_format_amount().
 *
 * Returns: (transfer full): "$4.12", "¥49.59", "12.00 EUR"
 */
char *
byok_balance_format_amount (const char *currency,
                            double      amount)
{
  const char *sign = amount < 0 ? "−" : "";

  amount = fabs (amount);
  if (g_strcmp0 (currency, "USD") == 0)
    return g_strdup_printf ("%s$%.2f", sign, amount);
  if (g_strcmp0 (currency, "CNY") == 0)
    return g_strdup_printf ("%s¥%.2f", sign, amount);
  return g_strdup_printf ("%s%.2f %s", sign, amount, currency != NULL ? currency : "");
}

/**
 * byok_balance_describe_amount:
 * @usd_per_day: the provider's pace (NAN: unknown)
 * @pace_days: the days the pace was taken over (7 or 30)
 *
 * Returns: (transfer full): "$4.12 left · at your 30-day pace, about 23
 *   days"; "not read yet" without a value
 */
char *
byok_balance_describe_amount (const ByokBalance *balance,
                              double             usd_per_day,
                              guint              pace_days)
{
  g_autofree char *amount = NULL;
  g_autofree char *n_days = NULL;
  double days;

  if (!byok_balance_has_value (balance))
    return g_strdup (_("not read yet"));

  amount = byok_format_amount (balance->currency, balance->available);
  days = byok_balance_days_left (balance, usd_per_day);
  if (!isfinite (days))
    /* Translators: %s is an amount ("$4.12") */
    return g_strdup_printf (_("%s left"), amount);
  if (days < 1)
    /* Translators: %1$s is an amount, %2$u a number of days (7 or 30) */
    return g_strdup_printf (_("%1$s left · at your %2$u-day pace, less than a day"), amount, pace_days);
  n_days = days < 1000 ? g_strdup_printf ("%.0f", floor (days)) : g_strdup (">999");
  /* Translators: %1$s is an amount ("$4.12"), %2$u a number of days (7 or 30),
   * %3$s how many days the balance lasts ("23") */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%1$s left · at your %2$u-day pace, about %3$s day",
                                       "%1$s left · at your %2$u-day pace, about %3$s days",
                                       (gulong) MIN (floor (days), G_MAXULONG)),
                          amount, pace_days, n_days);
}

/**
 * byok_balance_describe:
 *
 * Returns: (transfer full): "DeepSeek: $4.12 left · at your 30-day pace,
 *   about 23 days" (byok_balance_describe_amount())
 */
char *
byok_balance_describe (const ByokBalance *balance,
                       const char        *provider_name,
                       double             usd_per_day,
                       guint              pace_days)
{
  g_autofree char *amount = byok_balance_describe_amount (balance, usd_per_day, pace_days);

  /* Translators: %1$s is a provider, %2$s what is left ("$4.12 left · …") */
  return g_strdup_printf (_("%1$s: %2$s"), provider_name, amount);
}
