/* byok-database.c — the one SQLite database of Byok */
#define G_LOG_DOMAIN "byok-database"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "byok-database.h"
#include "byok-error.h"
#include "byok-usage-rollup.h"

#define BUSY_TIMEOUT_MS 5000
/* An upgrade another process is running may take a while. */
#define MIGRATION_BUSY_TIMEOUT_MS 120000

/*
 * Migrations. Step i (0-based) brings a database from user_version i to
 * i + 1. All the steps a database needs run in one transaction, together
 * with the new user_version, taken with BEGIN IMMEDIATE and the version
 * read again inside it: of several processes opening an old database at
 * once (the app and byok-cli), one upgrades it and the others find it done.
 * A crash leaves either the old or the new schema.
 *
 * Every operation is safe to run on a database that already has it
 * (CREATE … IF NOT EXISTS, a column added only when it is missing, a table
 * rebuilt or filled only when it is not yet as the step leaves it): older
 * versions ran each step in a transaction of its own after reading the
 * version outside it, so two processes could run a step twice and set
 * user_version back below the schema the file has. Such a file is brought
 * up to date by running the steps again.
 *
 * Add a step for a new schema and bump BYOK_DATABASE_SCHEMA_VERSION;
 * change a shipped step only to make it safer to run again.
 *
 * Times are unix microseconds (UTC); money is USD as REAL; booleans are
 * INTEGER 0/1; token counts are INTEGER.
 */

/* One operation of a step: @sql runs unless @table has @column (both
 * set), or unless @table exists (@column NULL), or always (@table NULL). */
typedef struct {
  const char *table;
  const char *column;
  const char *sql;
} MigrationOp;

/* 1: every table the app needs. */
static const MigrationOp migration_1[] = {
  { NULL, NULL,
    "CREATE TABLE IF NOT EXISTS conversations ("
    "  id            INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  title         TEXT NOT NULL DEFAULT '',"
    "  created       INTEGER NOT NULL,"
    "  updated       INTEGER NOT NULL,"
    "  system_prompt TEXT,"
    "  model         TEXT,"
    "  provider      TEXT,"
    "  temperature   REAL,"
    "  max_tokens    INTEGER"
    ");"
    "CREATE INDEX IF NOT EXISTS conversations_updated ON conversations (updated);"

    "CREATE TABLE IF NOT EXISTS messages ("
    "  id                  INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  conversation_id     INTEGER NOT NULL"
    "                      REFERENCES conversations (id) ON DELETE CASCADE,"
    "  position            INTEGER NOT NULL,"
    "  role                TEXT NOT NULL,"
    "  content             TEXT NOT NULL DEFAULT '',"
    "  reasoning           TEXT,"
    "  provider            TEXT,"
    "  model               TEXT,"
    "  status              TEXT NOT NULL DEFAULT 'complete'"
    "                      CHECK (status IN ('complete', 'partial', 'error')),"
    "  error_class         TEXT,"
    "  error_message       TEXT,"
    "  input_tokens        INTEGER,"
    "  output_tokens       INTEGER,"
    "  cached_input_tokens INTEGER,"
    "  cache_write_tokens  INTEGER,"
    "  reasoning_tokens    INTEGER,"
    "  cost_usd            REAL,"
    "  latency_us          INTEGER,"
    "  ttft_us             INTEGER,"
    "  created             INTEGER NOT NULL"
    ");"
    "CREATE INDEX IF NOT EXISTS messages_conversation_position"
    "  ON messages (conversation_id, position);"

    /* One row per call attempt, failures included. A deleted conversation
     * keeps its spending: the link is cleared, the row stays. */
    "CREATE TABLE IF NOT EXISTS usage ("
    "  id                  INTEGER PRIMARY KEY,"
    "  time                INTEGER NOT NULL,"
    "  provider            TEXT NOT NULL,"
    "  model               TEXT NOT NULL,"
    "  conversation_id     INTEGER"
    "                      REFERENCES conversations (id) ON DELETE SET NULL,"
    "  input_tokens        INTEGER NOT NULL DEFAULT 0,"
    "  output_tokens       INTEGER NOT NULL DEFAULT 0,"
    "  cached_input_tokens INTEGER NOT NULL DEFAULT 0,"
    "  cache_write_tokens  INTEGER NOT NULL DEFAULT 0,"
    "  reasoning_tokens    INTEGER NOT NULL DEFAULT 0,"
    "  cost_usd            REAL,"                      /* NULL: price unknown */
    "  price_known         INTEGER NOT NULL DEFAULT 0,"
    "  latency_us          INTEGER NOT NULL DEFAULT 0,"
    "  ttft_us             INTEGER,"
    "  status              TEXT NOT NULL DEFAULT 'ok',"  /* 'ok' or AUTH, QUOTA, … */
    "  http_status         INTEGER,"                   /* NULL: no HTTP reply */
    "  is_retry            INTEGER NOT NULL DEFAULT 0,"
    "  is_fallback         INTEGER NOT NULL DEFAULT 0,"
    "  attempt             INTEGER NOT NULL DEFAULT 1"
    ");"
    /* (time, provider, cost_usd) covers the month-spend sums of budgets. */
    "CREATE INDEX IF NOT EXISTS usage_time ON usage (time, provider, cost_usd);"
    "CREATE INDEX IF NOT EXISTS usage_provider_model ON usage (provider, model);"
    "CREATE INDEX IF NOT EXISTS usage_conversation ON usage (conversation_id)"
    "  WHERE conversation_id IS NOT NULL;"

    /* Prices per million tokens in USD; NULL: unknown. tiers: the prices
     * that apply above some prompt size, as JSON the pricing module writes
     * and reads (NULL: a flat price). */
    "CREATE TABLE IF NOT EXISTS price_overrides ("
    "  provider     TEXT NOT NULL,"
    "  model        TEXT NOT NULL,"
    "  input        REAL,"
    "  cached_input REAL,"
    "  cache_write  REAL,"
    "  output       REAL,"
    "  tiers        TEXT,"
    "  updated      INTEGER NOT NULL,"
    "  PRIMARY KEY (provider, model)"
    ");"

    /* What happened to a key; never the key itself. */
    "CREATE TABLE IF NOT EXISTS key_events ("
    "  id       INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  time     INTEGER NOT NULL,"
    "  provider TEXT NOT NULL,"
    "  account  TEXT,"
    "  event    TEXT NOT NULL"
    "           CHECK (event IN ('added', 'replaced', 'tested', 'deleted')),"
    "  result   TEXT,"
    "  detail   TEXT"
    ");"
    "CREATE INDEX IF NOT EXISTS key_events_provider_time ON key_events (provider, time);"

    "CREATE TABLE IF NOT EXISTS provider_settings ("
    "  provider TEXT NOT NULL,"
    "  key      TEXT NOT NULL,"
    "  value    TEXT,"
    "  PRIMARY KEY (provider, key)"
    ");"

    "CREATE TABLE IF NOT EXISTS custom_providers ("
    "  id        TEXT PRIMARY KEY,"
    "  name      TEXT NOT NULL,"
    "  base_url  TEXT NOT NULL,"
    "  dialect   TEXT NOT NULL DEFAULT 'openai',"
    "  needs_key INTEGER NOT NULL DEFAULT 1,"
    "  created   INTEGER NOT NULL"
    ");"

    /* scope: 'all' or a provider id. alert_month: 'YYYY-MM' (local) of
     * last_alert_percent, so each alert fires once a month. */
    "CREATE TABLE IF NOT EXISTS budgets ("
    "  scope              TEXT PRIMARY KEY,"
    "  monthly_usd        REAL NOT NULL,"
    "  hard_stop          INTEGER NOT NULL DEFAULT 0,"
    "  last_alert_percent INTEGER NOT NULL DEFAULT 0,"
    "  alert_month        TEXT"
    ");" },
  { NULL, },
};

/* 2: what the cache saved on a call, computed with the prices in force
 * when it was recorded (0 when unknown or no cache was read). */
static const MigrationOp migration_2[] = {
  { "usage", "cache_savings_usd",
    "ALTER TABLE usage ADD COLUMN cache_savings_usd REAL NOT NULL DEFAULT 0;" },
  { NULL, },
};

/* 3: messages can be 'streaming' (an answer still arriving; a message
 * left so by a quit becomes 'partial' when the conversation store
 * opens), say whether their cost is known, and keep a short summary of
 * the attempts behind an answer ("openai/gpt-4o: RATE_LIMIT →
 * moonshot/kimi-k2: ok"). A CHECK constraint cannot be altered: the
 * table is rebuilt with the same ids, once (a table with `attempts` has
 * been). */
static const MigrationOp migration_3[] = {
  { "messages", "attempts",
    "CREATE TABLE messages_new ("
    "  id                  INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  conversation_id     INTEGER NOT NULL"
    "                      REFERENCES conversations (id) ON DELETE CASCADE,"
    "  position            INTEGER NOT NULL,"
    "  role                TEXT NOT NULL,"
    "  content             TEXT NOT NULL DEFAULT '',"
    "  reasoning           TEXT,"
    "  provider            TEXT,"
    "  model               TEXT,"
    "  status              TEXT NOT NULL DEFAULT 'complete'"
    "                      CHECK (status IN ('complete', 'streaming', 'partial', 'error')),"
    "  error_class         TEXT,"
    "  error_message       TEXT,"
    "  input_tokens        INTEGER,"
    "  output_tokens       INTEGER,"
    "  cached_input_tokens INTEGER,"
    "  cache_write_tokens  INTEGER,"
    "  reasoning_tokens    INTEGER,"
    "  cost_usd            REAL,"                      /* NULL: price unknown */
    "  price_known         INTEGER NOT NULL DEFAULT 0,"
    "  latency_us          INTEGER,"
    "  ttft_us             INTEGER,"
    "  attempts            TEXT,"
    "  created             INTEGER NOT NULL"
    ");"
    "INSERT INTO messages_new (id, conversation_id, position, role, content,"
    "  reasoning, provider, model, status, error_class, error_message,"
    "  input_tokens, output_tokens, cached_input_tokens, cache_write_tokens,"
    "  reasoning_tokens, cost_usd, price_known, latency_us, ttft_us, created)"
    "  SELECT id, conversation_id, position, role, content,"
    "  reasoning, provider, model, status, error_class, error_message,"
    "  input_tokens, output_tokens, cached_input_tokens, cache_write_tokens,"
    "  reasoning_tokens, cost_usd, cost_usd IS NOT NULL, latency_us, ttft_us, created"
    "  FROM messages;"
    "DROP TABLE messages;"
    "ALTER TABLE messages_new RENAME TO messages;"
    "CREATE INDEX messages_conversation_position"
    "  ON messages (conversation_id, position);" },
  { NULL, },
};

/* 4: per-day sums of usage, so the dashboard reads a year in a few
 * thousand rows (byok-usage-rollup.h). One row per local day (YYYYMMDD,
 * the day a call was filed under when it was written), provider and
 * model. cost_usd sums the calls with a known price; latencies is the
 * histogram of the latencies of the "ok" calls (NULL: none);
 * first_time/last_time bound the times of the calls; dirty: a call of
 * the day was changed or deleted, the sums are no longer trusted.
 * Triggers keep it in the same transaction as every write to usage;
 * the SQL functions are byok_usage_rollup_register()'s. The table is
 * created and filled together, once (as schema 8 counts: calls in flight
 * left out, interrupted ones not errors; a schema 3 file has neither). */
static const MigrationOp migration_4[] = {
  { "usage_daily", NULL,
    "CREATE TABLE usage_daily ("
    "  day                 INTEGER NOT NULL,"
    "  provider            TEXT NOT NULL,"
    "  model               TEXT NOT NULL,"
    "  calls               INTEGER NOT NULL DEFAULT 0,"
    "  errors              INTEGER NOT NULL DEFAULT 0,"
    "  input_tokens        INTEGER NOT NULL DEFAULT 0,"
    "  output_tokens       INTEGER NOT NULL DEFAULT 0,"
    "  cached_input_tokens INTEGER NOT NULL DEFAULT 0,"
    "  cache_write_tokens  INTEGER NOT NULL DEFAULT 0,"
    "  reasoning_tokens    INTEGER NOT NULL DEFAULT 0,"
    "  cost_usd            REAL NOT NULL DEFAULT 0,"
    "  unknown_price_calls INTEGER NOT NULL DEFAULT 0,"
    "  cache_savings_usd   REAL NOT NULL DEFAULT 0,"
    "  max_input_tokens    INTEGER NOT NULL DEFAULT 0,"
    "  latencies           BLOB,"
    "  first_time          INTEGER NOT NULL,"
    "  last_time           INTEGER NOT NULL,"
    "  dirty               INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE UNIQUE INDEX usage_daily_key ON usage_daily (day, provider, model);"

    "INSERT INTO usage_daily (day, provider, model, calls, errors, input_tokens,"
    "  output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens,"
    "  cost_usd, unknown_price_calls, cache_savings_usd, max_input_tokens,"
    "  latencies, first_time, last_time)"
    "  SELECT byok_local_day (time) AS d, provider, model, count(*),"
    "  sum (status NOT IN ('ok', 'interrupted')), sum (input_tokens), sum (output_tokens),"
    "  sum (cached_input_tokens), sum (cache_write_tokens), sum (reasoning_tokens),"
    "  total (cost_usd), sum (cost_usd IS NULL), total (cache_savings_usd),"
    "  max (input_tokens),"
    "  byok_latency_histogram (CASE WHEN status = 'ok' THEN latency_us END),"
    "  min (time), max (time)"
    "  FROM usage WHERE status <> 'in_flight' GROUP BY d, provider, model;" },
  { NULL, NULL,
    "CREATE TRIGGER IF NOT EXISTS usage_daily_insert AFTER INSERT ON usage BEGIN"
    "  INSERT INTO usage_daily (day, provider, model, calls, errors, input_tokens,"
    "    output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens,"
    "    cost_usd, unknown_price_calls, cache_savings_usd, max_input_tokens,"
    "    latencies, first_time, last_time)"
    "  VALUES (byok_local_day (NEW.time), NEW.provider, NEW.model, 1,"
    "    NEW.status <> 'ok', NEW.input_tokens, NEW.output_tokens,"
    "    NEW.cached_input_tokens, NEW.cache_write_tokens, NEW.reasoning_tokens,"
    "    coalesce (NEW.cost_usd, 0.0), NEW.cost_usd IS NULL, NEW.cache_savings_usd,"
    "    NEW.input_tokens,"
    "    byok_latency_add (NULL, CASE WHEN NEW.status = 'ok' THEN NEW.latency_us END),"
    "    NEW.time, NEW.time)"
    "  ON CONFLICT (day, provider, model) DO UPDATE SET"
    "    calls = calls + 1,"
    "    errors = errors + excluded.errors,"
    "    input_tokens = input_tokens + excluded.input_tokens,"
    "    output_tokens = output_tokens + excluded.output_tokens,"
    "    cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,"
    "    cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens,"
    "    reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens,"
    "    cost_usd = cost_usd + excluded.cost_usd,"
    "    unknown_price_calls = unknown_price_calls + excluded.unknown_price_calls,"
    "    cache_savings_usd = cache_savings_usd + excluded.cache_savings_usd,"
    "    max_input_tokens = max (max_input_tokens, excluded.max_input_tokens),"
    "    latencies = byok_latency_add (latencies,"
    "      CASE WHEN NEW.status = 'ok' THEN NEW.latency_us END),"
    "    first_time = min (first_time, excluded.first_time),"
    "    last_time = max (last_time, excluded.last_time);"
    "END;"

    /* A changed or deleted call: its day is read from the rows from then
     * on (the cell that holds it is found by its provider, model and time,
     * a few days around). A changed call is also filed again, like a new
     * one. conversation_id is not in the sums: changing it changes nothing. */
    "CREATE TRIGGER IF NOT EXISTS usage_daily_delete AFTER DELETE ON usage BEGIN"
    "  UPDATE usage_daily SET dirty = 1"
    "  WHERE day BETWEEN byok_local_day (OLD.time - 259200000000)"
    "                AND byok_local_day (OLD.time + 259200000000)"
    "    AND provider = OLD.provider AND model = OLD.model"
    "    AND first_time <= OLD.time AND last_time >= OLD.time;"
    "END;"

    "CREATE TRIGGER IF NOT EXISTS usage_daily_update AFTER UPDATE OF time, provider, model,"
    "  input_tokens, output_tokens, cached_input_tokens, cache_write_tokens,"
    "  reasoning_tokens, cost_usd, cache_savings_usd, latency_us, status ON usage BEGIN"
    "  UPDATE usage_daily SET dirty = 1"
    "  WHERE day BETWEEN byok_local_day (OLD.time - 259200000000)"
    "                AND byok_local_day (OLD.time + 259200000000)"
    "    AND provider = OLD.provider AND model = OLD.model"
    "    AND first_time <= OLD.time AND last_time >= OLD.time;"
    "  INSERT INTO usage_daily (day, provider, model, calls, errors, input_tokens,"
    "    output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens,"
    "    cost_usd, unknown_price_calls, cache_savings_usd, max_input_tokens,"
    "    latencies, first_time, last_time)"
    "  VALUES (byok_local_day (NEW.time), NEW.provider, NEW.model, 1,"
    "    NEW.status <> 'ok', NEW.input_tokens, NEW.output_tokens,"
    "    NEW.cached_input_tokens, NEW.cache_write_tokens, NEW.reasoning_tokens,"
    "    coalesce (NEW.cost_usd, 0.0), NEW.cost_usd IS NULL, NEW.cache_savings_usd,"
    "    NEW.input_tokens,"
    "    byok_latency_add (NULL, CASE WHEN NEW.status = 'ok' THEN NEW.latency_us END),"
    "    NEW.time, NEW.time)"
    "  ON CONFLICT (day, provider, model) DO UPDATE SET"
    "    calls = calls + 1,"
    "    errors = errors + excluded.errors,"
    "    input_tokens = input_tokens + excluded.input_tokens,"
    "    output_tokens = output_tokens + excluded.output_tokens,"
    "    cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,"
    "    cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens,"
    "    reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens,"
    "    cost_usd = cost_usd + excluded.cost_usd,"
    "    unknown_price_calls = unknown_price_calls + excluded.unknown_price_calls,"
    "    cache_savings_usd = cache_savings_usd + excluded.cache_savings_usd,"
    "    max_input_tokens = max (max_input_tokens, excluded.max_input_tokens),"
    "    latencies = byok_latency_add (latencies,"
    "      CASE WHEN NEW.status = 'ok' THEN NEW.latency_us END),"
    "    first_time = min (first_time, excluded.first_time),"
    "    last_time = max (last_time, excluded.last_time);"
    "END;" },
  { NULL, },
};

/* 5: the text files attached to a user message, as a JSON array of
 * {"name", "text", "tokens"}; NULL when there are none. */
static const MigrationOp migration_5[] = {
  { "messages", "attachments",
    "ALTER TABLE messages ADD COLUMN attachments TEXT;" },
  { NULL, },
};

/* 6: key events keep no part of a key. Their detail (the message of a
 * failed check) used to keep the first and last four characters of
 * anything shaped like a key, and all of a key of no known shape that a
 * provider repeated: old details go. Safe to run again. */
static const MigrationOp migration_6[] = {
  { NULL, NULL,
    "UPDATE key_events SET detail = NULL WHERE detail IS NOT NULL;" },
  { NULL, },
};

/* 7: a conversation's reasoning effort ('low', 'medium', 'high'; NULL:
 * the model's default). Prices keep their history: every price a model
 * had in Byok with the time it took effect and where it came from
 * ('catalog': the shipped catalog, 'update': a price update, 'user': the
 * person's own price, 'user-reset': the person's price removed), so the
 * table in force on any day can be shown again. price_updates: each price
 * update applied; price_data: the models of the last one, which stay in
 * force until the next (prices per million tokens, NULL: unknown; tiers
 * and aliases as JSON). */
static const MigrationOp migration_7[] = {
  { "conversations", "reasoning_effort",
    "ALTER TABLE conversations ADD COLUMN reasoning_effort TEXT;" },
  { NULL, NULL,
    "CREATE TABLE IF NOT EXISTS price_updates ("
    "  id          INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  time        INTEGER NOT NULL,"
    "  source      TEXT NOT NULL,"
    "  sha256      TEXT NOT NULL,"
    "  new_models  INTEGER NOT NULL DEFAULT 0,"
    "  changed     INTEGER NOT NULL DEFAULT 0,"
    "  removed     INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE TABLE IF NOT EXISTS price_history ("
    "  id           INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  provider     TEXT NOT NULL,"
    "  model        TEXT NOT NULL,"
    "  effective    INTEGER NOT NULL,"
    "  origin       TEXT NOT NULL"
    "               CHECK (origin IN ('catalog', 'update', 'user', 'user-reset')),"
    "  input        REAL,"
    "  cached_input REAL,"
    "  cache_write  REAL,"
    "  output       REAL,"
    "  tiers        TEXT,"
    "  source       TEXT,"
    "  update_id    INTEGER REFERENCES price_updates (id)"
    ");"
    "CREATE INDEX IF NOT EXISTS price_history_model"
    "  ON price_history (provider, model, effective);"
    "CREATE TABLE IF NOT EXISTS price_data ("
    "  provider       TEXT NOT NULL,"
    "  model          TEXT NOT NULL,"
    "  name           TEXT,"
    "  aliases        TEXT,"
    "  context_window INTEGER,"
    "  deprecated     INTEGER NOT NULL DEFAULT 0,"
    "  chat           INTEGER NOT NULL DEFAULT 0,"
    "  input          REAL,"
    "  cached_input   REAL,"
    "  cache_write    REAL,"
    "  output         REAL,"
    "  tiers          TEXT,"
    "  PRIMARY KEY (provider, model)"
    ");" },
  { NULL, },
};

/* What the rollup's cells of a call sum, after its counts of calls and
 * of how they ended: the values of a new call, and the sums for a cell
 * that has one already (schema 8 and later). */
#define ROLLUP_NEW_SUMS \
  "    NEW.input_tokens, NEW.output_tokens," \
  "    NEW.cached_input_tokens, NEW.cache_write_tokens, NEW.reasoning_tokens," \
  "    coalesce (NEW.cost_usd, 0.0), NEW.cost_usd IS NULL, NEW.cache_savings_usd," \
  "    NEW.input_tokens," \
  "    byok_latency_add (NULL, CASE WHEN NEW.status = 'ok' THEN NEW.latency_us END)," \
  "    NEW.time, NEW.time)"

#define ROLLUP_ADD_SUMS \
  "    input_tokens = input_tokens + excluded.input_tokens," \
  "    output_tokens = output_tokens + excluded.output_tokens," \
  "    cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens," \
  "    cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens," \
  "    reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens," \
  "    cost_usd = cost_usd + excluded.cost_usd," \
  "    unknown_price_calls = unknown_price_calls + excluded.unknown_price_calls," \
  "    cache_savings_usd = cache_savings_usd + excluded.cache_savings_usd," \
  "    max_input_tokens = max (max_input_tokens, excluded.max_input_tokens)," \
  "    latencies = byok_latency_add (latencies," \
  "      CASE WHEN NEW.status = 'ok' THEN NEW.latency_us END)," \
  "    first_time = min (first_time, excluded.first_time)," \
  "    last_time = max (last_time, excluded.last_time);"

/* The rollup takes a call as one more of its day (schema 8 and later). */
#define ROLLUP_ADD_NEW \
  "  INSERT INTO usage_daily (day, provider, model, calls, errors, interrupted," \
  "    input_tokens, output_tokens, cached_input_tokens, cache_write_tokens," \
  "    reasoning_tokens, cost_usd, unknown_price_calls, cache_savings_usd," \
  "    max_input_tokens, latencies, first_time, last_time)" \
  "  VALUES (byok_local_day (NEW.time), NEW.provider, NEW.model, 1," \
  "    NEW.status NOT IN ('ok', 'interrupted'), NEW.status = 'interrupted'," \
  ROLLUP_NEW_SUMS \
  "  ON CONFLICT (day, provider, model) DO UPDATE SET" \
  "    calls = calls + 1," \
  "    errors = errors + excluded.errors," \
  "    interrupted = interrupted + excluded.interrupted," \
  ROLLUP_ADD_SUMS

/* The cell that held a call changed or deleted is no longer trusted (as
 * in schema 4). */
#define ROLLUP_DIRTY_OLD \
  "  UPDATE usage_daily SET dirty = 1" \
  "  WHERE day BETWEEN byok_local_day (OLD.time - 259200000000)" \
  "                AND byok_local_day (OLD.time + 259200000000)" \
  "    AND provider = OLD.provider AND model = OLD.model" \
  "    AND first_time <= OLD.time AND last_time >= OLD.time;"

/* 8: a call is written when its request is sent, status 'in_flight',
 * with Byok's estimate of its prompt (estimated = 1), marked with the
 * lock id of the process that sends it (owner; byok-process-lock.h), and
 * completed when it ends. A row still in flight whose process is gone
 * becomes 'interrupted' and keeps its estimate. Rows in flight are in no
 * sum: the rollup takes a call when it ends (usage_daily_finish), and
 * counts interrupted calls apart from errors (interrupted). */
static const MigrationOp migration_8[] = {
  { "usage", "estimated",
    "ALTER TABLE usage ADD COLUMN estimated INTEGER NOT NULL DEFAULT 0;" },
  { "usage", "owner",
    "ALTER TABLE usage ADD COLUMN owner TEXT;" },
  /* Interrupted calls exist before this column only in a file whose
   * rollup was filled again (steps run again): count them. */
  { "usage_daily", "interrupted",
    "ALTER TABLE usage_daily ADD COLUMN interrupted INTEGER NOT NULL DEFAULT 0;"
    "UPDATE usage_daily SET interrupted = i.n"
    "  FROM (SELECT byok_local_day (time) AS d, provider, model, count(*) AS n"
    "        FROM usage WHERE status = 'interrupted' GROUP BY d, provider, model) AS i"
    "  WHERE usage_daily.day = i.d AND usage_daily.provider = i.provider"
    "    AND usage_daily.model = i.model;" },
  { NULL, NULL,
    "CREATE INDEX IF NOT EXISTS usage_in_flight ON usage (owner)"
    "  WHERE status = 'in_flight';"

    "DROP TRIGGER IF EXISTS usage_daily_insert;"
    "DROP TRIGGER IF EXISTS usage_daily_delete;"
    "DROP TRIGGER IF EXISTS usage_daily_update;"
    "DROP TRIGGER IF EXISTS usage_daily_finish;"

    "CREATE TRIGGER usage_daily_insert AFTER INSERT ON usage"
    "  WHEN NEW.status <> 'in_flight' BEGIN"
    ROLLUP_ADD_NEW
    "END;"

    "CREATE TRIGGER usage_daily_delete AFTER DELETE ON usage"
    "  WHEN OLD.status <> 'in_flight' BEGIN"
    ROLLUP_DIRTY_OLD
    "END;"

    /* A call that was counted changes: as in schema 4. */
    "CREATE TRIGGER usage_daily_update AFTER UPDATE OF time, provider, model,"
    "  input_tokens, output_tokens, cached_input_tokens, cache_write_tokens,"
    "  reasoning_tokens, cost_usd, cache_savings_usd, latency_us, status ON usage"
    "  WHEN OLD.status <> 'in_flight' BEGIN"
    ROLLUP_DIRTY_OLD
    ROLLUP_ADD_NEW
    "END;"

    /* A call in flight ends (or is found interrupted): it counts now. */
    "CREATE TRIGGER usage_daily_finish AFTER UPDATE OF status ON usage"
    "  WHEN OLD.status = 'in_flight' AND NEW.status <> 'in_flight' BEGIN"
    ROLLUP_ADD_NEW
    "END;" },
  { NULL, },
};

/* 9: price_data keeps each model's rule for the ids it goes by, as the
 * list gave it (JSON). */
static const MigrationOp migration_9[] = {
  { "price_data", "match",
    "ALTER TABLE price_data ADD COLUMN match TEXT;" },
  { NULL, },
};

/* The rollup takes a call as one more of its day (schema 10 and later):
 * as ROLLUP_ADD_NEW, with calls the person stopped apart from errors. */
#define ROLLUP_ADD_NEW_10 \
  "  INSERT INTO usage_daily (day, provider, model, calls, errors, interrupted," \
  "    cancelled, input_tokens, output_tokens, cached_input_tokens," \
  "    cache_write_tokens, reasoning_tokens, cost_usd, unknown_price_calls," \
  "    cache_savings_usd, max_input_tokens, latencies, first_time, last_time)" \
  "  VALUES (byok_local_day (NEW.time), NEW.provider, NEW.model, 1," \
  "    NEW.status NOT IN ('ok', 'interrupted', 'cancelled')," \
  "    NEW.status = 'interrupted', NEW.status = 'cancelled'," \
  ROLLUP_NEW_SUMS \
  "  ON CONFLICT (day, provider, model) DO UPDATE SET" \
  "    calls = calls + 1," \
  "    errors = errors + excluded.errors," \
  "    interrupted = interrupted + excluded.interrupted," \
  "    cancelled = cancelled + excluded.cancelled," \
  ROLLUP_ADD_SUMS

/* 10: one lower-case form of a call's status, as `byok-cli chat --json`
 * writes it ('ok', 'auth', 'rate_limit', 'cancelled', …; it mixed 'ok'
 * with 'AUTH'), in the usage rows and the key history; a call the person
 * stopped ('cancelled') is counted apart from errors (usage_daily
 * .cancelled). The triggers are dropped while the statuses change (a
 * change of case is no change of a call) and made again counting them. */
static const MigrationOp migration_10[] = {
  { "usage_daily", "cancelled",
    "ALTER TABLE usage_daily ADD COLUMN cancelled INTEGER NOT NULL DEFAULT 0;" },
  { NULL, NULL,
    "DROP TRIGGER IF EXISTS usage_daily_insert;"
    "DROP TRIGGER IF EXISTS usage_daily_delete;"
    "DROP TRIGGER IF EXISTS usage_daily_update;"
    "DROP TRIGGER IF EXISTS usage_daily_finish;"

    "UPDATE usage SET status = lower (status) WHERE status <> lower (status);"
    "UPDATE key_events SET result = lower (result) WHERE result <> lower (result);"
    "UPDATE usage_daily SET cancelled = c.n, errors = max (errors - c.n, 0)"
    "  FROM (SELECT byok_local_day (time) AS d, provider, model, count(*) AS n"
    "        FROM usage WHERE status = 'cancelled' GROUP BY d, provider, model) AS c"
    "  WHERE usage_daily.day = c.d AND usage_daily.provider = c.provider"
    "    AND usage_daily.model = c.model AND usage_daily.cancelled = 0;"

    "CREATE TRIGGER usage_daily_insert AFTER INSERT ON usage"
    "  WHEN NEW.status <> 'in_flight' BEGIN"
    ROLLUP_ADD_NEW_10
    "END;"

    "CREATE TRIGGER usage_daily_delete AFTER DELETE ON usage"
    "  WHEN OLD.status <> 'in_flight' BEGIN"
    ROLLUP_DIRTY_OLD
    "END;"

    "CREATE TRIGGER usage_daily_update AFTER UPDATE OF time, provider, model,"
    "  input_tokens, output_tokens, cached_input_tokens, cache_write_tokens,"
    "  reasoning_tokens, cost_usd, cache_savings_usd, latency_us, status ON usage"
    "  WHEN OLD.status <> 'in_flight' BEGIN"
    ROLLUP_DIRTY_OLD
    ROLLUP_ADD_NEW_10
    "END;"

    "CREATE TRIGGER usage_daily_finish AFTER UPDATE OF status ON usage"
    "  WHEN OLD.status = 'in_flight' AND NEW.status <> 'in_flight' BEGIN"
    ROLLUP_ADD_NEW_10
    "END;" },
  { NULL, },
};

static const MigrationOp * const migrations[] = {
  migration_1,
  migration_2,
  migration_3,
  migration_4,
  migration_5,
  migration_6,
  migration_7,
  migration_8,
  migration_9,
  migration_10,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == BYOK_DATABASE_SCHEMA_VERSION);

/* SQLite's own auto-checkpoint threshold, in WAL pages. */
#define CHECKPOINT_PAGES 1000

struct _ByokDatabase
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  int         version;
  GHashTable *cached;   /* SQL text → sqlite3_stmt */

  /* Checkpoints of the main connection's WAL run in this thread, so a
   * commit never waits for the copy into the database and its fsync. */
  GThread    *checkpoint_thread;
  gint        checkpointing;      /* atomic: the thread is at work */
  int         checkpoint_at;      /* WAL pages that start the next one */
};

G_DEFINE_FINAL_TYPE (ByokDatabase, byok_database, G_TYPE_OBJECT)

/**
 * byok_database_set_error:
 * @error: (nullable): where to put the error
 * @db: (nullable): the connection, for its message
 * @rc: the SQLite result code
 * @what: a translated sentence fragment saying what failed
 *   ("Could not record the call")
 *
 * Sets a BYOK_ERROR_STORAGE error: what failed, SQLite's message, and what
 * the user can do about it.
 */
void
byok_database_set_error (GError     **error,
                         sqlite3     *db,
                         int          rc,
                         const char  *what)
{
  const char *detail;
  const char *advice;

  if (db != NULL && sqlite3_errcode (db) == rc)
    detail = sqlite3_errmsg (db);
  else
    detail = sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      advice = _("Free some disk space and try again.");
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
    case SQLITE_AUTH:
      advice = _("Check that the data folder exists and that you can write to it.");
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      advice = _("The database file is damaged: restore it from a backup, or move it away and Byok will start a new one.");
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      advice = _("Another program is holding the database; close it and try again.");
      break;
    case SQLITE_IOERR:
      advice = _("The disk reported an error; check it and try again.");
      break;
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
      advice = _("This is a bug in Byok; please report it.");
      break;
    default:
      advice = _("Try again; if it keeps failing, check the disk and report the problem.");
      break;
    }

  g_set_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE,
               /* Translators: "<what failed>: <SQLite message>. <advice>" */
               _("%s: %s. %s"), what, detail, advice);
}

char *
byok_database_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "byok", "byok.db", NULL);
}

static gboolean
exec_sql (sqlite3     *db,
          const char  *sql,
          const char  *what,
          GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      byok_database_set_error (error, db, rc, what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
query_int (sqlite3     *db,
           const char  *sql,
           int         *value,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      byok_database_set_error (error, db, rc, _("Could not read the database"));
      return FALSE;
    }
  *value = sqlite3_column_int (stmt, 0);
  return TRUE;
}

/* Settings every connection needs: the busy timeout, foreign keys on. */
static gboolean
configure_connection (sqlite3     *db,
                      gboolean     read_only,
                      GError     **error)
{
  int rc;

  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (db, 1);
  /* The usage rollup's triggers call these on every write to usage. */
  rc = byok_usage_rollup_register (db);
  if (rc != SQLITE_OK)
    {
      byok_database_set_error (error, db, rc, _("Could not configure the database"));
      return FALSE;
    }
  if (!exec_sql (db, "PRAGMA foreign_keys = ON;", _("Could not configure the database"), error))
    return FALSE;
  if (read_only &&
      !exec_sql (db, "PRAGMA query_only = ON;", _("Could not configure the database"), error))
    return FALSE;
  return TRUE;
}

static sqlite3 *
connect_with_flags (const char  *path,
                    int          flags,
                    gboolean     read_only,
                    GError     **error)
{
  g_autoptr(sqlite3) db = NULL;
  int rc;

  rc = sqlite3_open_v2 (path, &db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_autofree char *what = g_strdup_printf (_("Could not open the database %s"), path);
      byok_database_set_error (error, db, rc, what);
      return NULL;
    }
  if (!configure_connection (db, read_only, error))
    return NULL;
  return g_steal_pointer (&db);
}

/**
 * byok_database_connect:
 * @path: an existing database file
 * @read_only: refuse writes on this connection (`PRAGMA query_only`)
 *
 * Opens another connection to an existing, migrated database, configured
 * like the main one (busy timeout, foreign keys). Meant for worker threads:
 * use it in one thread only and close it with sqlite3_close_v2() (or
 * g_autoptr(sqlite3)).
 *
 * Returns: (transfer full): a connection, or %NULL with @error set
 */
sqlite3 *
byok_database_connect (const char  *path,
                       gboolean     read_only,
                       GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  /* Read-write even for readers: a WAL reader must be able to use the
   * shared-memory index; query_only keeps it from writing. */
  return connect_with_flags (path,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                             read_only, error);
}

/**
 * byok_database_open_connection:
 *
 * byok_database_connect() on the file @self has open: a second connection
 * for a worker thread. Not possible for an in-memory database.
 *
 * Returns: (transfer full): a connection, or %NULL with @error set
 */
sqlite3 *
byok_database_open_connection (ByokDatabase  *self,
                               gboolean       read_only,
                               GError       **error)
{
  g_return_val_if_fail (BYOK_IS_DATABASE (self), NULL);

  return byok_database_connect (self->path, read_only, error);
}

/* Whether @table exists, or has @column when it is not NULL. */
static gboolean
schema_has (sqlite3     *db,
            const char  *table,
            const char  *column,
            gboolean    *has,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db,
                           column != NULL
                           ? "SELECT count(*) FROM pragma_table_info (?1) WHERE name = ?2"
                           : "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
      if (column != NULL)
        sqlite3_bind_text (stmt, 2, column, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  if (rc != SQLITE_ROW)
    {
      byok_database_set_error (error, db, rc, _("Could not read the database"));
      return FALSE;
    }
  *has = sqlite3_column_int (stmt, 0) > 0;
  return TRUE;
}

/* Step @step (0-based) inside the migration's transaction. */
static gboolean
run_step (sqlite3     *db,
          int          step,
          GError     **error)
{
  g_autofree char *what = g_strdup_printf (_("Could not upgrade the database to schema %d"), step + 1);

  for (const MigrationOp *op = migrations[step]; op->sql != NULL; op++)
    {
      gboolean done = FALSE;

      if (op->table != NULL && !schema_has (db, op->table, op->column, &done, error))
        return FALSE;
      if (done)
        {
          g_debug ("Schema %d: %s%s%s is already there", step + 1, op->table,
                   op->column != NULL ? "." : "", op->column != NULL ? op->column : "");
          continue;
        }
      if (!exec_sql (db, op->sql, what, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_version (ByokDatabase  *self,
               int            version,
               GError       **error)
{
  if (version > BYOK_DATABASE_SCHEMA_VERSION)
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE,
                   _("The database %s was written by a newer version of Byok "
                     "(schema %d; this version knows up to %d). Update Byok "
                     "to use it, or move the file away to start a new one."),
                   self->path, version, BYOK_DATABASE_SCHEMA_VERSION);
      return FALSE;
    }
  if (version < 0)
    {
      g_set_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE,
                   _("The database %s has an invalid schema version (%d). "
                     "Move the file away to start a new one."),
                   self->path, version);
      return FALSE;
    }
  return TRUE;
}

/* Brings the schema up to date in one write transaction (see the comment
 * on the migrations): another process may be doing the same. */
static gboolean
migrate (ByokDatabase  *self,
         GError       **error)
{
  g_autofree char *set_version = NULL;
  g_autofree char *what = NULL;
  int version, from;

  /* The usual case, with no write lock: up to date. */
  if (!query_int (self->db, "PRAGMA user_version;", &version, error) ||
      !check_version (self, version, error))
    return FALSE;
  if (version == BYOK_DATABASE_SCHEMA_VERSION)
    {
      self->version = version;
      return TRUE;
    }

  what = g_strdup_printf (_("Could not upgrade the database to schema %d"), BYOK_DATABASE_SCHEMA_VERSION);
  /* Another process may hold the lock for the whole of a long upgrade
   * (a year of usage rolled up takes seconds): wait longer than usual. */
  sqlite3_busy_timeout (self->db, MIGRATION_BUSY_TIMEOUT_MS);
  if (!exec_sql (self->db, "BEGIN IMMEDIATE;", what, error))
    goto failed;

  /* Again, under the lock: another process may have upgraded it. */
  if (!query_int (self->db, "PRAGMA user_version;", &version, error) ||
      !check_version (self, version, error))
    goto rollback;

  for (from = version; version < BYOK_DATABASE_SCHEMA_VERSION; version++)
    {
      g_debug ("Migrating %s from schema %d to %d", self->path, version, version + 1);
      if (!run_step (self->db, version, error))
        goto rollback;
    }

  set_version = g_strdup_printf ("PRAGMA user_version = %d;", version);
  if (!exec_sql (self->db, set_version, what, error) ||
      !exec_sql (self->db, "COMMIT;", what, error))
    goto rollback;
  if (from != version)
    g_debug ("Upgraded %s from schema %d to %d", self->path, from, version);

  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  self->version = version;
  return TRUE;

rollback:
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK;", NULL, NULL, NULL);
failed:
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  return FALSE;
}

static gpointer
checkpoint_thread_func (gpointer data)
{
  ByokDatabase *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3) db = NULL;
  int rc;

  /* The path never changes, and finalize joins this thread first. */
  db = byok_database_connect (self->path, FALSE, &error);
  if (db == NULL)
    g_debug ("No checkpoint: %s", error->message);
  else if ((rc = sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL)) != SQLITE_OK)
    g_debug ("Checkpoint of %s: %s", self->path, sqlite3_errstr (rc));
  g_clear_pointer (&db, sqlite3_close_v2);
  g_atomic_int_set (&self->checkpointing, 0);
  return NULL;
}

/* After every commit on the main connection (it replaces SQLite's
 * auto-checkpoint): once the WAL has grown by CHECKPOINT_PAGES, a passive
 * checkpoint on a connection of its own in a worker thread. */
static int
wal_hook (void       *data,
          sqlite3    *db,
          const char *name,
          int         n_pages)
{
  ByokDatabase *self = data;
  g_autoptr(GError) error = NULL;

  if (n_pages < CHECKPOINT_PAGES)
    {
      /* The WAL was reset: start counting again. */
      self->checkpoint_at = CHECKPOINT_PAGES;
      return SQLITE_OK;
    }
  if (n_pages < self->checkpoint_at || g_atomic_int_get (&self->checkpointing))
    return SQLITE_OK;

  if (self->checkpoint_thread != NULL)
    g_thread_join (g_steal_pointer (&self->checkpoint_thread));
  self->checkpoint_at = n_pages + CHECKPOINT_PAGES;
  g_atomic_int_set (&self->checkpointing, 1);
  self->checkpoint_thread = g_thread_try_new ("byok-checkpoint", checkpoint_thread_func, self, &error);
  if (self->checkpoint_thread == NULL)
    {
      g_atomic_int_set (&self->checkpointing, 0);
      g_debug ("Checkpointing in this thread: %s", error->message);
      sqlite3_wal_checkpoint_v2 (db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    }
  return SQLITE_OK;
}

/* WAL cannot be switched on inside a transaction: before migrations. */
static gboolean
enable_wal (ByokDatabase  *self,
            GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *mode = NULL;
  int rc;

  gint64 deadline = g_get_monotonic_time () + BUSY_TIMEOUT_MS * (gint64) 1000;

  rc = sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL;", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      /* Switching a new file to WAL while another process opens it too
       * can answer SQLITE_BUSY at once, without the busy handler: wait
       * here. */
      while ((rc = sqlite3_step (stmt)) == SQLITE_BUSY && g_get_monotonic_time () < deadline)
        {
          sqlite3_reset (stmt);
          g_usleep (g_random_int_range (1000, 5000));
        }
    }
  if (rc != SQLITE_ROW)
    {
      g_autofree char *what = g_strdup_printf (_("Could not open the database %s"), self->path);

      byok_database_set_error (error, self->db, rc, what);
      return FALSE;
    }
  mode = g_ascii_strdown ((const char *) sqlite3_column_text (stmt, 0), -1);
  if (g_strcmp0 (mode, "wal") != 0 && g_strcmp0 (mode, "memory") != 0)
    g_warning ("Database %s is in journal mode %s, not WAL", self->path, mode);
  return TRUE;
}

/* @path to @mode when it is ours and others may read or write it. */
static void
make_private (const char *path,
              mode_t      mode)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0 || st.st_uid != getuid () || (st.st_mode & 0777) == mode)
    return;
  if (g_chmod (path, mode) != 0)
    g_debug ("Could not make %s private: %s", path, g_strerror (errno));
}

/* The folder and the files before SQLite opens them (byok-file.h): the
 * database is created 0600, which SQLite gives its WAL, shared-memory and
 * journal files too (it creates them with the database's mode, and a new
 * database 0644, whatever the umask). Files an older Byok left readable
 * by others are made 0600, and the default data folder 0700 even when it
 * existed; another folder the user chose is created 0700 but otherwise
 * left as it is. */
static gboolean
prepare_files (ByokDatabase  *self,
               GError       **error)
{
  static const char * const companions[] = { "-wal", "-shm", "-journal" };
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "byok", NULL);
  g_autofree char *canonical_dir = g_canonicalize_filename (dir, NULL);
  g_autofree char *canonical_data_dir = g_canonicalize_filename (data_dir, NULL);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, BYOK_ERROR, BYOK_ERROR_STORAGE,
                   _("Could not create the folder %s for the database: %s. "
                     "Check that you can write to it."),
                   dir, g_strerror (saved));
      return FALSE;
    }
  if (g_str_equal (canonical_dir, canonical_data_dir))
    make_private (dir, 0700);

  /* Anything else (a folder where the file should be) is SQLite's to
   * report. */
  fd = g_open (self->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0)
    g_close (fd, NULL);
  make_private (self->path, 0600);
  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *path = g_strconcat (self->path, companions[i], NULL);

      make_private (path, 0600);
    }
  return TRUE;
}

static gboolean
open_main (ByokDatabase  *self,
           GError       **error)
{
  if (g_strcmp0 (self->path, ":memory:") != 0 && !prepare_files (self, error))
    return FALSE;

  /* One thread per connection: no SQLite mutex on every call. */
  self->db = connect_with_flags (self->path,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 FALSE, error);
  if (self->db == NULL)
    return FALSE;

  if (g_strcmp0 (self->path, ":memory:") != 0)
    {
      self->checkpoint_at = CHECKPOINT_PAGES;
      sqlite3_wal_hook (self->db, wal_hook, self);
    }

  return enable_wal (self, error) &&
         exec_sql (self->db, "PRAGMA synchronous = NORMAL;",
                   _("Could not configure the database"), error) &&
         migrate (self, error);
}

/**
 * byok_database_open:
 * @path: (nullable): the database file; %NULL for the default,
 *   `$XDG_DATA_HOME/byok/byok.db`; ":memory:" for a private in-memory one
 *
 * Opens (creating it and its folder if needed) and migrates the database.
 * A file written by a newer Byok is refused.
 *
 * Returns: (transfer full): the database, or %NULL with a
 *   BYOK_ERROR_STORAGE error
 */
ByokDatabase *
byok_database_open (const char  *path,
                    GError     **error)
{
  g_autoptr(ByokDatabase) self = g_object_new (BYOK_TYPE_DATABASE, NULL);

  self->path = path != NULL ? g_strdup (path) : byok_database_get_default_path ();
  if (!open_main (self, error))
    return NULL;

  g_debug ("Opened %s at schema %d", self->path, self->version);
  return g_steal_pointer (&self);
}

/**
 * byok_database_dup_lock_dir:
 *
 * Where the processes that use this database keep their locks
 * (byok-process-lock.h): `running/` beside the file.
 *
 * Returns: (transfer full) (nullable): the folder; %NULL for an in-memory
 *   database, which no other process shares
 */
char *
byok_database_dup_lock_dir (ByokDatabase *self)
{
  g_autofree char *dir = NULL;

  g_return_val_if_fail (BYOK_IS_DATABASE (self), NULL);

  if (g_strcmp0 (self->path, ":memory:") == 0)
    return NULL;
  dir = g_path_get_dirname (self->path);
  return g_build_filename (dir, "running", NULL);
}

const char *
byok_database_get_path (ByokDatabase *self)
{
  g_return_val_if_fail (BYOK_IS_DATABASE (self), NULL);
  return self->path;
}

/**
 * byok_database_get_handle:
 *
 * Returns: (transfer none): the main connection, for the stores. Use it in
 *   the thread that opened @self only.
 */
sqlite3 *
byok_database_get_handle (ByokDatabase *self)
{
  g_return_val_if_fail (BYOK_IS_DATABASE (self), NULL);
  return self->db;
}

/**
 * byok_database_get_version:
 *
 * Returns: the schema version of the open database
 *   (BYOK_DATABASE_SCHEMA_VERSION once opened)
 */
int
byok_database_get_version (ByokDatabase *self)
{
  g_return_val_if_fail (BYOK_IS_DATABASE (self), 0);
  return self->version;
}

/**
 * byok_database_exec:
 * @sql: one or more statements, no parameters
 */
gboolean
byok_database_exec (ByokDatabase  *self,
                    const char    *sql,
                    GError       **error)
{
  g_return_val_if_fail (BYOK_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);

  return exec_sql (self->db, sql, _("Could not update the database"), error);
}

/**
 * byok_database_prepare:
 *
 * Returns: (transfer full): a new statement to bind, step and
 *   sqlite3_finalize() (or g_autoptr(sqlite3_stmt)), or %NULL with @error
 */
sqlite3_stmt *
byok_database_prepare (ByokDatabase  *self,
                       const char    *sql,
                       GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (BYOK_IS_DATABASE (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      byok_database_set_error (error, self->db, rc, _("Could not read the database"));
      return NULL;
    }
  return stmt;
}

/**
 * byok_database_prepare_cached:
 * @sql: a statement; the text is the cache key, so pass a constant
 *
 * Like byok_database_prepare(), but the statement is prepared once and
 * kept for the life of @self. It comes back reset with its bindings
 * cleared. Do not finalize it; do not hold it across another call that
 * may use the same SQL.
 *
 * Returns: (transfer none): the statement, or %NULL with @error set
 */
sqlite3_stmt *
byok_database_prepare_cached (ByokDatabase  *self,
                              const char    *sql,
                              GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BYOK_IS_DATABASE (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  stmt = g_hash_table_lookup (self->cached, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      byok_database_set_error (error, self->db, rc, _("Could not read the database"));
      return NULL;
    }
  g_hash_table_insert (self->cached, g_strdup (sql), stmt);
  return stmt;
}

/**
 * byok_database_begin:
 *
 * Starts a write transaction (BEGIN IMMEDIATE, so a busy database is
 * waited for here, not at the first write). Transactions do not nest.
 */
gboolean
byok_database_begin (ByokDatabase  *self,
                     GError       **error)
{
  g_return_val_if_fail (BYOK_IS_DATABASE (self), FALSE);

  return exec_sql (self->db, "BEGIN IMMEDIATE;", _("Could not start writing to the database"), error);
}

gboolean
byok_database_commit (ByokDatabase  *self,
                      GError       **error)
{
  g_return_val_if_fail (BYOK_IS_DATABASE (self), FALSE);

  return exec_sql (self->db, "COMMIT;", _("Could not save to the database"), error);
}

/**
 * byok_database_rollback:
 *
 * Abandons the open transaction, if any (safe to call after a failed
 * statement that already ended it).
 */
void
byok_database_rollback (ByokDatabase *self)
{
  g_return_if_fail (BYOK_IS_DATABASE (self));

  if (sqlite3_get_autocommit (self->db))
    return;
  if (sqlite3_exec (self->db, "ROLLBACK;", NULL, NULL, NULL) != SQLITE_OK)
    g_warning ("Could not roll back: %s", sqlite3_errmsg (self->db));
}

static void
byok_database_finalize (GObject *object)
{
  ByokDatabase *self = BYOK_DATABASE (object);

  /* Before closing, so ours is the last connection and the WAL goes. */
  if (self->checkpoint_thread != NULL)
    g_thread_join (g_steal_pointer (&self->checkpoint_thread));
  g_clear_pointer (&self->cached, g_hash_table_unref);
  if (self->db != NULL)
    {
      int rc = sqlite3_close (self->db);

      if (rc != SQLITE_OK)
        {
          g_warning ("Closing %s: %s (a statement was not finalized)",
                     self->path, sqlite3_errstr (rc));
          sqlite3_close_v2 (self->db);
        }
      self->db = NULL;
    }
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (byok_database_parent_class)->finalize (object);
}

static void
byok_database_class_init (ByokDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = byok_database_finalize;
}

static void
byok_database_init (ByokDatabase *self)
{
  self->cached = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) (void (*) (void)) sqlite3_finalize);
}
