/* byok-database-migrations.c — the schema of byok.db, one step per version */
#define G_LOG_DOMAIN "byok-database"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byok-database-private.h"
#include "byok-usage-rollup.h"

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
 * change a shipped step only to make it safer to run again. A new step
 * ALSO changes current_schema below, which creates new databases whole:
 * test-database (/database/fresh-equals-migrated) fails until both give
 * the same schema.
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

/* What the rollup's cells of a call sum, after its counts of calls and
 * of how they ended: the values of a new call, and the sums for a cell
 * that has one already (schema 4 and later). */
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

/* The cell that held a call changed or deleted is no longer trusted
 * (schema 4 and later). */
#define ROLLUP_DIRTY_OLD \
  "  UPDATE usage_daily SET dirty = 1" \
  "  WHERE day BETWEEN byok_local_day (OLD.time - 259200000000)" \
  "                AND byok_local_day (OLD.time + 259200000000)" \
  "    AND provider = OLD.provider AND model = OLD.model" \
  "    AND first_time <= OLD.time AND last_time >= OLD.time;"

/* The rollup takes a call as one more of its day (schema 4). */
#define ROLLUP_ADD_NEW_4 \
  "  INSERT INTO usage_daily (day, provider, model, calls, errors, input_tokens," \
  "    output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens," \
  "    cost_usd, unknown_price_calls, cache_savings_usd, max_input_tokens," \
  "    latencies, first_time, last_time)" \
  "  VALUES (byok_local_day (NEW.time), NEW.provider, NEW.model, 1," \
  "    NEW.status <> 'ok'," \
  ROLLUP_NEW_SUMS \
  "  ON CONFLICT (day, provider, model) DO UPDATE SET" \
  "    calls = calls + 1," \
  "    errors = errors + excluded.errors," \
  ROLLUP_ADD_SUMS

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
    ROLLUP_ADD_NEW_4
    "END;"

    /* A changed or deleted call: its day is read from the rows from then
     * on (the cell that holds it is found by its provider, model and time,
     * a few days around). A changed call is also filed again, like a new
     * one. conversation_id is not in the sums: changing it changes nothing. */
    "CREATE TRIGGER IF NOT EXISTS usage_daily_delete AFTER DELETE ON usage BEGIN"
    ROLLUP_DIRTY_OLD
    "END;"

    "CREATE TRIGGER IF NOT EXISTS usage_daily_update AFTER UPDATE OF time, provider, model,"
    "  input_tokens, output_tokens, cached_input_tokens, cache_write_tokens,"
    "  reasoning_tokens, cost_usd, cache_savings_usd, latency_us, status ON usage BEGIN"
    ROLLUP_DIRTY_OLD
    ROLLUP_ADD_NEW_4
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

/* The rollup takes a call as one more of its day (schema 11 and later):
 * as ROLLUP_ADD_NEW_10, with answers whose tokens Byok estimated (the
 * provider reported none) counted apart. */
#define ROLLUP_ADD_NEW_11 \
  "  INSERT INTO usage_daily (day, provider, model, calls, errors, interrupted," \
  "    cancelled, estimated, input_tokens, output_tokens, cached_input_tokens," \
  "    cache_write_tokens, reasoning_tokens, cost_usd, unknown_price_calls," \
  "    cache_savings_usd, max_input_tokens, latencies, first_time, last_time)" \
  "  VALUES (byok_local_day (NEW.time), NEW.provider, NEW.model, 1," \
  "    NEW.status NOT IN ('ok', 'interrupted', 'cancelled')," \
  "    NEW.status = 'interrupted', NEW.status = 'cancelled'," \
  "    NEW.status = 'ok' AND NEW.estimated <> 0," \
  ROLLUP_NEW_SUMS \
  "  ON CONFLICT (day, provider, model) DO UPDATE SET" \
  "    calls = calls + 1," \
  "    errors = errors + excluded.errors," \
  "    interrupted = interrupted + excluded.interrupted," \
  "    cancelled = cancelled + excluded.cancelled," \
  "    estimated = estimated + excluded.estimated," \
  ROLLUP_ADD_SUMS

/* 11: an answer that came without a usage report is recorded with Byok's
 * estimate of its tokens (usage.estimated, status 'ok'); the rollup counts
 * those apart (usage_daily.estimated), as it does interrupted calls. */
static const MigrationOp migration_11[] = {
  { "usage_daily", "estimated",
    "ALTER TABLE usage_daily ADD COLUMN estimated INTEGER NOT NULL DEFAULT 0;"
    "UPDATE usage_daily SET estimated = e.n"
    "  FROM (SELECT byok_local_day (time) AS d, provider, model, count(*) AS n"
    "        FROM usage WHERE status = 'ok' AND estimated <> 0 GROUP BY d, provider, model) AS e"
    "  WHERE usage_daily.day = e.d AND usage_daily.provider = e.provider"
    "    AND usage_daily.model = e.model;" },
  { NULL, NULL,
    "DROP TRIGGER IF EXISTS usage_daily_insert;"
    "DROP TRIGGER IF EXISTS usage_daily_update;"
    "DROP TRIGGER IF EXISTS usage_daily_finish;"

    "CREATE TRIGGER usage_daily_insert AFTER INSERT ON usage"
    "  WHEN NEW.status <> 'in_flight' BEGIN"
    ROLLUP_ADD_NEW_11
    "END;"

    "CREATE TRIGGER usage_daily_update AFTER UPDATE OF time, provider, model,"
    "  input_tokens, output_tokens, cached_input_tokens, cache_write_tokens,"
    "  reasoning_tokens, cost_usd, cache_savings_usd, latency_us, status,"
    "  estimated ON usage"
    "  WHEN OLD.status <> 'in_flight' BEGIN"
    ROLLUP_DIRTY_OLD
    ROLLUP_ADD_NEW_11
    "END;"

    "CREATE TRIGGER usage_daily_finish AFTER UPDATE OF status ON usage"
    "  WHEN OLD.status = 'in_flight' AND NEW.status <> 'in_flight' BEGIN"
    ROLLUP_ADD_NEW_11
    "END;" },
  { NULL, },
};

/* Schema 12: what the provider said it billed for a call (OpenRouter's
 * usage.cost), beside Byok's own price, on the call and on its answer;
 * and whether an answer's tokens are Byok's estimate (its provider
 * reported no usage), so the mark survives a restart. */
static const MigrationOp migration_12[] = {
  { "usage", "reported_cost_usd",
    "ALTER TABLE usage ADD COLUMN reported_cost_usd REAL;" },          /* NULL: none reported */
  { "messages", "reported_cost_usd",
    "ALTER TABLE messages ADD COLUMN reported_cost_usd REAL;" },
  { "messages", "estimated",
    "ALTER TABLE messages ADD COLUMN estimated INTEGER NOT NULL DEFAULT 0;" },
  { NULL, },
};

/* 13: the bytes of the images and PDFs attached to messages, once per
 * SHA-256 (lowercase hex of data) however many messages refer to them;
 * messages.attachments refers to them by "hash". Rows nothing refers to
 * any more are deleted with the last message that did. */
static const MigrationOp migration_13[] = {
  { "attachment_blobs", NULL,
    "CREATE TABLE attachment_blobs ("
    "  hash      TEXT PRIMARY KEY,"
    "  mime_type TEXT NOT NULL,"
    "  size      INTEGER NOT NULL,"
    "  data      BLOB NOT NULL,"
    "  created   INTEGER NOT NULL"
    ");" },
  { NULL, },
};

/* 14: the tool calls of an answer (issue 17), as a JSON array of
 * {"id", "name", "server", "tool", "arguments", "result", "state", "step",
 * "step_cost_usd"} (byok-tool-block.h); NULL when it used none. */
static const MigrationOp migration_14[] = {
  { "messages", "tool_calls",
    "ALTER TABLE messages ADD COLUMN tool_calls TEXT;" },
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
  migration_11,
  migration_12,
  migration_13,
  migration_14,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == BYOK_DATABASE_SCHEMA_VERSION);

/*
 * The current schema, whole: what a new database (user_version 0 and
 * nothing in it) is created with, in one script, instead of running every
 * step above. Creating it through the steps cost ~14 ms of CPU on a first
 * start (each ALTER TABLE makes SQLite parse the whole schema again).
 *
 * IT MUST STAY WHAT THE STEPS GIVE: a new step changes both, the step
 * above for existing files and this script for new ones (columns added
 * by ALTER TABLE go last, after the columns and before the table's
 * constraints, where SQLite puts them). test-database /database/fresh-
 * equals-migrated compares, object by object, the SQL that sqlite_master
 * holds for a database created here and for one migrated from schema 1,
 * and fails when they differ.
 */
static const char current_schema[] =
  "CREATE TABLE conversations ("
  "  id               INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  title            TEXT NOT NULL DEFAULT '',"
  "  created          INTEGER NOT NULL,"
  "  updated          INTEGER NOT NULL,"
  "  system_prompt    TEXT,"
  "  model            TEXT,"
  "  provider         TEXT,"
  "  temperature      REAL,"
  "  max_tokens       INTEGER,"
  "  reasoning_effort TEXT"                                  /* 7 */
  ");"
  "CREATE INDEX conversations_updated ON conversations (updated);"

  "CREATE TABLE messages ("
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
  "  cost_usd            REAL,"
  "  price_known         INTEGER NOT NULL DEFAULT 0,"
  "  latency_us          INTEGER,"
  "  ttft_us             INTEGER,"
  "  attempts            TEXT,"
  "  created             INTEGER NOT NULL,"
  "  attachments         TEXT,"                              /* 5 */
  "  reported_cost_usd   REAL,"                              /* 12 */
  "  estimated           INTEGER NOT NULL DEFAULT 0,"        /* 12 */
  "  tool_calls          TEXT"                               /* 14 */
  ");"
  "CREATE INDEX messages_conversation_position"
  "  ON messages (conversation_id, position);"

  "CREATE TABLE usage ("
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
  "  cost_usd            REAL,"
  "  price_known         INTEGER NOT NULL DEFAULT 0,"
  "  latency_us          INTEGER NOT NULL DEFAULT 0,"
  "  ttft_us             INTEGER,"
  "  status              TEXT NOT NULL DEFAULT 'ok',"
  "  http_status         INTEGER,"
  "  is_retry            INTEGER NOT NULL DEFAULT 0,"
  "  is_fallback         INTEGER NOT NULL DEFAULT 0,"
  "  attempt             INTEGER NOT NULL DEFAULT 1,"
  "  cache_savings_usd   REAL NOT NULL DEFAULT 0,"           /* 2 */
  "  estimated           INTEGER NOT NULL DEFAULT 0,"        /* 8 */
  "  owner               TEXT,"                              /* 8 */
  "  reported_cost_usd   REAL"                               /* 12 */
  ");"
  "CREATE INDEX usage_time ON usage (time, provider, cost_usd);"
  "CREATE INDEX usage_provider_model ON usage (provider, model);"
  "CREATE INDEX usage_conversation ON usage (conversation_id)"
  "  WHERE conversation_id IS NOT NULL;"
  "CREATE INDEX usage_in_flight ON usage (owner)"
  "  WHERE status = 'in_flight';"

  "CREATE TABLE price_overrides ("
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

  "CREATE TABLE key_events ("
  "  id       INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  time     INTEGER NOT NULL,"
  "  provider TEXT NOT NULL,"
  "  account  TEXT,"
  "  event    TEXT NOT NULL"
  "           CHECK (event IN ('added', 'replaced', 'tested', 'deleted')),"
  "  result   TEXT,"
  "  detail   TEXT"
  ");"
  "CREATE INDEX key_events_provider_time ON key_events (provider, time);"

  "CREATE TABLE provider_settings ("
  "  provider TEXT NOT NULL,"
  "  key      TEXT NOT NULL,"
  "  value    TEXT,"
  "  PRIMARY KEY (provider, key)"
  ");"

  "CREATE TABLE custom_providers ("
  "  id        TEXT PRIMARY KEY,"
  "  name      TEXT NOT NULL,"
  "  base_url  TEXT NOT NULL,"
  "  dialect   TEXT NOT NULL DEFAULT 'openai',"
  "  needs_key INTEGER NOT NULL DEFAULT 1,"
  "  created   INTEGER NOT NULL"
  ");"

  "CREATE TABLE budgets ("
  "  scope              TEXT PRIMARY KEY,"
  "  monthly_usd        REAL NOT NULL,"
  "  hard_stop          INTEGER NOT NULL DEFAULT 0,"
  "  last_alert_percent INTEGER NOT NULL DEFAULT 0,"
  "  alert_month        TEXT"
  ");"

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
  "  dirty               INTEGER NOT NULL DEFAULT 0,"
  "  interrupted         INTEGER NOT NULL DEFAULT 0,"        /* 8 */
  "  cancelled           INTEGER NOT NULL DEFAULT 0,"        /* 10 */
  "  estimated           INTEGER NOT NULL DEFAULT 0"         /* 11 */
  ");"
  "CREATE UNIQUE INDEX usage_daily_key ON usage_daily (day, provider, model);"

  "CREATE TRIGGER usage_daily_insert AFTER INSERT ON usage"
  "  WHEN NEW.status <> 'in_flight' BEGIN"
  ROLLUP_ADD_NEW_11
  "END;"

  "CREATE TRIGGER usage_daily_delete AFTER DELETE ON usage"
  "  WHEN OLD.status <> 'in_flight' BEGIN"
  ROLLUP_DIRTY_OLD
  "END;"

  "CREATE TRIGGER usage_daily_update AFTER UPDATE OF time, provider, model,"
  "  input_tokens, output_tokens, cached_input_tokens, cache_write_tokens,"
  "  reasoning_tokens, cost_usd, cache_savings_usd, latency_us, status,"
  "  estimated ON usage"
  "  WHEN OLD.status <> 'in_flight' BEGIN"
  ROLLUP_DIRTY_OLD
  ROLLUP_ADD_NEW_11
  "END;"

  "CREATE TRIGGER usage_daily_finish AFTER UPDATE OF status ON usage"
  "  WHEN OLD.status = 'in_flight' AND NEW.status <> 'in_flight' BEGIN"
  ROLLUP_ADD_NEW_11
  "END;"

  "CREATE TABLE price_updates ("
  "  id          INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  time        INTEGER NOT NULL,"
  "  source      TEXT NOT NULL,"
  "  sha256      TEXT NOT NULL,"
  "  new_models  INTEGER NOT NULL DEFAULT 0,"
  "  changed     INTEGER NOT NULL DEFAULT 0,"
  "  removed     INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE TABLE price_history ("
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
  "CREATE INDEX price_history_model"
  "  ON price_history (provider, model, effective);"
  "CREATE TABLE price_data ("
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
  "  match          TEXT,"                                   /* 9 */
  "  PRIMARY KEY (provider, model)"
  ");"

  "CREATE TABLE attachment_blobs ("                         /* 13 */
  "  hash      TEXT PRIMARY KEY,"
  "  mime_type TEXT NOT NULL,"
  "  size      INTEGER NOT NULL,"
  "  data      BLOB NOT NULL,"
  "  created   INTEGER NOT NULL"
  ");";

/* The current schema on an empty database, inside the migration's
 * transaction. */
gboolean
_byok_database_create_schema (sqlite3  *db,
                              GError  **error)
{
  g_autofree char *what = g_strdup_printf (_("Could not create the database at schema %d"),
                                           BYOK_DATABASE_SCHEMA_VERSION);

  return _byok_database_exec_sql (db, current_schema, what, error);
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

/* Step @step (0-based) inside the migration's transaction: see above. */
gboolean
_byok_database_run_migration (sqlite3  *db,
                              int       step,
                              GError  **error)
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
      if (!_byok_database_exec_sql (db, op->sql, what, error))
        return FALSE;
    }
  return TRUE;
}
