/* byok-message.c — one message of a conversation */
#define G_LOG_DOMAIN "byok-conversation"

#include "config.h"

#include <math.h>

#include <string.h>

#include "byok-attachment.h"
#include "byok-error.h"
#include "byok-glib.h"
#include "byok-message-private.h"
#include "byok-tool-block.h"

struct _ByokMessage
{
  GObject      parent_instance;

  gint64       id;
  gint64       conversation_id;
  gint64       position;
  gint64       created;

  /* Interned: few distinct values, many messages. */
  const char  *role;
  const char  *status;
  const char  *provider;
  const char  *model;
  const char  *error_class;

  GString     *content;
  GString     *reasoning;
  char        *error_message;
  char        *attempts;
  /* The attached files: as stored (JSON) until someone asks for them. */
  char        *attachments_json;
  GPtrArray   *attachments;
  gboolean     attachments_parsed;
  /* The tools the answer used: as stored (JSON) until someone asks for
   * them; the JSON made again when they change. */
  char        *tool_blocks_json;
  GPtrArray   *tool_blocks;
  gboolean     tool_blocks_parsed;
  gboolean     tool_blocks_dirty;

  gboolean     has_usage;
  ByokUsage    usage;
  gboolean     price_known;
  double       cost_usd;
  gboolean     cost_reported;
  double       reported_cost_usd;
  gint64       latency_us;
  gint64       ttft_us;
};

G_DEFINE_FINAL_TYPE (ByokMessage, byok_message, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_CONVERSATION_ID,
  PROP_POSITION,
  PROP_CREATED,
  PROP_ROLE,
  PROP_CONTENT,
  PROP_REASONING,
  PROP_PROVIDER,
  PROP_MODEL,
  PROP_STATUS,
  PROP_ERROR_CLASS,
  PROP_ERROR_MESSAGE,
  PROP_HAS_USAGE,
  PROP_INPUT_TOKENS,
  PROP_OUTPUT_TOKENS,
  PROP_CACHED_INPUT_TOKENS,
  PROP_CACHE_WRITE_TOKENS,
  PROP_REASONING_TOKENS,
  PROP_PRICE_KNOWN,
  PROP_COST_USD,
  PROP_ESTIMATED,
  PROP_COST_REPORTED,
  PROP_REPORTED_COST_USD,
  PROP_LATENCY_US,
  PROP_TTFT_US,
  PROP_ATTEMPTS,
  PROP_TOOL_BLOCKS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const roles[] = {
  BYOK_MESSAGE_ROLE_SYSTEM, BYOK_MESSAGE_ROLE_USER, BYOK_MESSAGE_ROLE_ASSISTANT,
};

static const char * const statuses[] = {
  BYOK_MESSAGE_STATUS_COMPLETE, BYOK_MESSAGE_STATUS_STREAMING,
  BYOK_MESSAGE_STATUS_PARTIAL, BYOK_MESSAGE_STATUS_ERROR,
};

static gboolean
in_list (const char         *value,
         const char * const *list,
         gsize               n)
{
  for (gsize i = 0; value != NULL && i < n; i++)
    if (g_str_equal (value, list[i]))
      return TRUE;
  return FALSE;
}

/**
 * byok_message_role_is_valid:
 * Returns: whether @role is "system", "user" or "assistant"
 */
gboolean
byok_message_role_is_valid (const char *role)
{
  return in_list (role, roles, G_N_ELEMENTS (roles));
}

/**
 * byok_message_status_is_valid:
 * Returns: whether @status is "complete", "streaming", "partial" or "error"
 */
gboolean
byok_message_status_is_valid (const char *status)
{
  return in_list (status, statuses, G_N_ELEMENTS (statuses));
}

static void
notify (ByokMessage *self,
        guint        prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* Interned strings compare by pointer. */
static void
set_interned (ByokMessage  *self,
              const char  **field,
              const char   *value,
              guint         prop)
{
  const char *interned = g_intern_string (value);

  if (*field == interned)
    return;
  *field = interned;
  notify (self, prop);
}

static void
set_owned (ByokMessage  *self,
           char        **field,
           const char   *value,
           guint         prop)
{
  if (byok_set_str (field, value))
    notify (self, prop);
}

static void
set_gstring (ByokMessage *self,
             GString     *string,
             const char  *value,
             guint        prop)
{
  if (value == NULL)
    value = "";
  if (strcmp (string->str, value) == 0)
    return;
  g_string_assign (string, value);
  notify (self, prop);
}

static void
set_int64 (ByokMessage *self,
           gint64      *field,
           gint64       value,
           guint        prop)
{
  if (*field == value)
    return;
  *field = value;
  notify (self, prop);
}

static void
byok_message_finalize (GObject *object)
{
  ByokMessage *self = BYOK_MESSAGE (object);

  g_string_free (self->content, TRUE);
  g_string_free (self->reasoning, TRUE);
  g_free (self->error_message);
  g_free (self->attempts);
  g_free (self->attachments_json);
  g_clear_pointer (&self->attachments, g_ptr_array_unref);
  g_free (self->tool_blocks_json);
  g_clear_pointer (&self->tool_blocks, g_ptr_array_unref);

  G_OBJECT_CLASS (byok_message_parent_class)->finalize (object);
}

static void
byok_message_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ByokMessage *self = BYOK_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_CONVERSATION_ID: g_value_set_int64 (value, self->conversation_id); break;
    case PROP_POSITION: g_value_set_int64 (value, self->position); break;
    case PROP_CREATED: g_value_set_int64 (value, self->created); break;
    case PROP_ROLE: g_value_set_string (value, self->role); break;
    case PROP_CONTENT: g_value_set_string (value, self->content->str); break;
    case PROP_REASONING: g_value_set_string (value, self->reasoning->str); break;
    case PROP_PROVIDER: g_value_set_string (value, self->provider); break;
    case PROP_MODEL: g_value_set_string (value, self->model); break;
    case PROP_STATUS: g_value_set_string (value, self->status); break;
    case PROP_ERROR_CLASS: g_value_set_string (value, self->error_class); break;
    case PROP_ERROR_MESSAGE: g_value_set_string (value, self->error_message); break;
    case PROP_HAS_USAGE: g_value_set_boolean (value, self->has_usage); break;
    case PROP_INPUT_TOKENS: g_value_set_int64 (value, self->usage.input_tokens); break;
    case PROP_OUTPUT_TOKENS: g_value_set_int64 (value, self->usage.output_tokens); break;
    case PROP_CACHED_INPUT_TOKENS: g_value_set_int64 (value, self->usage.cached_input_tokens); break;
    case PROP_CACHE_WRITE_TOKENS: g_value_set_int64 (value, self->usage.cache_write_tokens); break;
    case PROP_REASONING_TOKENS: g_value_set_int64 (value, self->usage.reasoning_tokens); break;
    case PROP_PRICE_KNOWN: g_value_set_boolean (value, self->price_known); break;
    case PROP_COST_USD: g_value_set_double (value, self->cost_usd); break;
    case PROP_ESTIMATED: g_value_set_boolean (value, self->usage.estimated); break;
    case PROP_COST_REPORTED: g_value_set_boolean (value, self->cost_reported); break;
    case PROP_REPORTED_COST_USD: g_value_set_double (value, self->reported_cost_usd); break;
    case PROP_LATENCY_US: g_value_set_int64 (value, self->latency_us); break;
    case PROP_TTFT_US: g_value_set_int64 (value, self->ttft_us); break;
    case PROP_ATTEMPTS: g_value_set_string (value, self->attempts); break;
    case PROP_TOOL_BLOCKS: g_value_set_boxed (value, byok_message_get_tool_blocks (self)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_message_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  ByokMessage *self = BYOK_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_ROLE: byok_message_set_role (self, g_value_get_string (value)); break;
    case PROP_CONTENT: byok_message_set_content (self, g_value_get_string (value)); break;
    case PROP_REASONING: byok_message_set_reasoning (self, g_value_get_string (value)); break;
    case PROP_PROVIDER: byok_message_set_provider (self, g_value_get_string (value)); break;
    case PROP_MODEL: byok_message_set_model (self, g_value_get_string (value)); break;
    case PROP_STATUS: byok_message_set_status (self, g_value_get_string (value)); break;
    case PROP_LATENCY_US: byok_message_set_latency_us (self, g_value_get_int64 (value)); break;
    case PROP_TTFT_US: byok_message_set_ttft_us (self, g_value_get_int64 (value)); break;
    case PROP_ATTEMPTS: byok_message_set_attempts (self, g_value_get_string (value)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
int64_property (const char *name,
                gint64      minimum,
                gint64      default_value,
                GParamFlags flags)
{
  return g_param_spec_int64 (name, NULL, NULL, minimum, G_MAXINT64, default_value,
                             flags | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
string_property (const char *name,
                 GParamFlags flags)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              flags | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
byok_message_class_init (ByokMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE;
  const GParamFlags rw = G_PARAM_READWRITE;

  object_class->finalize = byok_message_finalize;
  object_class->get_property = byok_message_get_property;
  object_class->set_property = byok_message_set_property;

  /* Set by the store: 0 until the message is stored. */
  properties[PROP_ID] = int64_property ("id", 0, 0, ro);
  properties[PROP_CONVERSATION_ID] = int64_property ("conversation-id", 0, 0, ro);
  properties[PROP_POSITION] = int64_property ("position", 0, 0, ro);
  properties[PROP_CREATED] = int64_property ("created", 0, 0, ro);

  /* "system", "user" or "assistant". */
  properties[PROP_ROLE] = string_property ("role", rw);
  /* Never NULL: "" when empty. */
  properties[PROP_CONTENT] = string_property ("content", rw);
  properties[PROP_REASONING] = string_property ("reasoning", rw);
  properties[PROP_PROVIDER] = string_property ("provider", rw);
  properties[PROP_MODEL] = string_property ("model", rw);
  /* "complete", "streaming", "partial" or "error". */
  properties[PROP_STATUS] = string_property ("status", rw);
  /* An error class of byok-error.h ("RATE_LIMIT"), or NULL. */
  properties[PROP_ERROR_CLASS] = string_property ("error-class", ro);
  properties[PROP_ERROR_MESSAGE] = string_property ("error-message", ro);

  /* FALSE: the provider reported no usage; the counts are 0 and mean
   * "unknown". */
  properties[PROP_HAS_USAGE] =
    g_param_spec_boolean ("has-usage", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INPUT_TOKENS] = int64_property ("input-tokens", 0, 0, ro);
  properties[PROP_OUTPUT_TOKENS] = int64_property ("output-tokens", 0, 0, ro);
  properties[PROP_CACHED_INPUT_TOKENS] = int64_property ("cached-input-tokens", 0, 0, ro);
  properties[PROP_CACHE_WRITE_TOKENS] = int64_property ("cache-write-tokens", 0, 0, ro);
  properties[PROP_REASONING_TOKENS] = int64_property ("reasoning-tokens", 0, 0, ro);

  properties[PROP_PRICE_KNOWN] =
    g_param_spec_boolean ("price-known", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* USD; 0 unless price-known. */
  properties[PROP_COST_USD] =
    g_param_spec_double ("cost-usd", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The provider reported no usage: the token counts (has-usage FALSE)
   * and the cost are Byok's estimate. */
  properties[PROP_ESTIMATED] =
    g_param_spec_boolean ("estimated", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* What the provider said it billed (OpenRouter's usage.cost), USD; 0
   * unless cost-reported. */
  properties[PROP_COST_REPORTED] =
    g_param_spec_boolean ("cost-reported", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REPORTED_COST_USD] =
    g_param_spec_double ("reported-cost-usd", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* -1: unknown. */
  properties[PROP_LATENCY_US] = int64_property ("latency-us", -1, -1, rw);
  properties[PROP_TTFT_US] = int64_property ("ttft-us", -1, -1, rw);
  /* NULL, or a summary of the attempts behind an answer when there was
   * more than one: "openai/gpt-4o: RATE_LIMIT (HTTP 429) → moonshot/kimi-k2: ok". */
  properties[PROP_ATTEMPTS] = string_property ("attempts", rw);
  /* The tool calls of an answer (ByokToolBlock), in order; NULL: none.
   * Notified when one is added or changes. */
  properties[PROP_TOOL_BLOCKS] =
    g_param_spec_boxed ("tool-blocks", NULL, NULL, G_TYPE_PTR_ARRAY,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
byok_message_init (ByokMessage *self)
{
  self->role = g_intern_static_string (BYOK_MESSAGE_ROLE_USER);
  self->status = g_intern_static_string (BYOK_MESSAGE_STATUS_COMPLETE);
  self->content = g_string_new (NULL);
  self->reasoning = g_string_new (NULL);
  self->latency_us = -1;
  self->ttft_us = -1;
}

/**
 * byok_message_new:
 * @role: "system", "user" or "assistant"
 * @content: (nullable): the text
 *
 * Returns: (transfer full): a message not yet stored, "complete"
 */
ByokMessage *
byok_message_new (const char *role,
                  const char *content)
{
  ByokMessage *self;

  g_return_val_if_fail (byok_message_role_is_valid (role), NULL);

  self = g_object_new (BYOK_TYPE_MESSAGE, NULL);
  self->role = g_intern_string (role);
  g_string_assign (self->content, content != NULL ? content : "");
  return self;
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           col)
{
  return (const char *) sqlite3_column_text (stmt, col);
}

/* Reads a row of BYOK_MESSAGE_COLUMNS starting at @first_column, without
 * notifications: 10,000 of these load in one go. */
ByokMessage *
_byok_message_new_from_row (sqlite3_stmt *stmt,
                            int           c)
{
  ByokMessage *self = g_object_new (BYOK_TYPE_MESSAGE, NULL);
  const char *text;

  self->id = sqlite3_column_int64 (stmt, c + 0);
  self->conversation_id = sqlite3_column_int64 (stmt, c + 1);
  self->position = sqlite3_column_int64 (stmt, c + 2);
  self->role = g_intern_string (column_text (stmt, c + 3));
  text = column_text (stmt, c + 4);
  if (text != NULL)
    g_string_append_len (self->content, text, sqlite3_column_bytes (stmt, c + 4));
  text = column_text (stmt, c + 5);
  if (text != NULL)
    g_string_append_len (self->reasoning, text, sqlite3_column_bytes (stmt, c + 5));
  self->provider = g_intern_string (column_text (stmt, c + 6));
  self->model = g_intern_string (column_text (stmt, c + 7));
  self->status = g_intern_string (column_text (stmt, c + 8));
  self->error_class = g_intern_string (column_text (stmt, c + 9));
  self->error_message = g_strdup (column_text (stmt, c + 10));
  /* Tokens with estimated set are Byok's estimate, not a report. */
  self->usage.estimated = sqlite3_column_int (stmt, c + 24) != 0 &&
                          sqlite3_column_type (stmt, c + 11) != SQLITE_NULL;
  self->has_usage = sqlite3_column_type (stmt, c + 11) != SQLITE_NULL && !self->usage.estimated;
  self->usage.reported = self->has_usage;
  self->usage.input_tokens = sqlite3_column_int64 (stmt, c + 11);
  self->usage.output_tokens = sqlite3_column_int64 (stmt, c + 12);
  self->usage.cached_input_tokens = sqlite3_column_int64 (stmt, c + 13);
  self->usage.cache_write_tokens = sqlite3_column_int64 (stmt, c + 14);
  self->usage.reasoning_tokens = sqlite3_column_int64 (stmt, c + 15);
  self->price_known = sqlite3_column_int (stmt, c + 17) != 0 &&
                      sqlite3_column_type (stmt, c + 16) != SQLITE_NULL;
  self->cost_usd = self->price_known ? sqlite3_column_double (stmt, c + 16) : 0;
  self->latency_us = sqlite3_column_type (stmt, c + 18) != SQLITE_NULL
                     ? sqlite3_column_int64 (stmt, c + 18) : -1;
  self->ttft_us = sqlite3_column_type (stmt, c + 19) != SQLITE_NULL
                  ? sqlite3_column_int64 (stmt, c + 19) : -1;
  self->attempts = g_strdup (column_text (stmt, c + 20));
  self->created = sqlite3_column_int64 (stmt, c + 21);
  self->attachments_json = g_strdup (column_text (stmt, c + 22));
  self->cost_reported = sqlite3_column_type (stmt, c + 23) != SQLITE_NULL &&
                        sqlite3_column_double (stmt, c + 23) >= 0;
  self->reported_cost_usd = self->cost_reported ? sqlite3_column_double (stmt, c + 23) : 0;
  self->tool_blocks_json = g_strdup (column_text (stmt, c + 25));
  return self;
}

void
_byok_message_set_stored (ByokMessage *self,
                          gint64       id,
                          gint64       conversation_id,
                          gint64       position,
                          gint64       created)
{
  g_return_if_fail (BYOK_IS_MESSAGE (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_int64 (self, &self->id, id, PROP_ID);
  set_int64 (self, &self->conversation_id, conversation_id, PROP_CONVERSATION_ID);
  set_int64 (self, &self->position, position, PROP_POSITION);
  set_int64 (self, &self->created, created, PROP_CREATED);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * byok_message_get_id:
 * Returns: the row id; 0 until the message is stored
 */
gint64
byok_message_get_id (ByokMessage *self)
{
  g_return_val_if_fail (BYOK_IS_MESSAGE (self), 0);
  return self->id;
}

gint64
byok_message_get_conversation_id (ByokMessage *self)
{
  g_return_val_if_fail (BYOK_IS_MESSAGE (self), 0);
  return self->conversation_id;
}

/**
 * byok_message_get_position:
 * Returns: the order of the message in its conversation (ascending, not
 *   necessarily contiguous: deleting a message leaves a gap)
 */
gint64
byok_message_get_position (ByokMessage *self)
{
  g_return_val_if_fail (BYOK_IS_MESSAGE (self), 0);
  return self->position;
}

/**
 * byok_message_get_created:
 * Returns: when the message was stored, unix µs
 */
gint64
byok_message_get_created (ByokMessage *self)
{
  g_return_val_if_fail (BYOK_IS_MESSAGE (self), 0);
  return self->created;
}

const char *
byok_message_get_role (ByokMessage *self)
{
  g_return_val_if_fail (BYOK_IS_MESSAGE (self), NULL);
  return self->role;
}

void
byok_message_set_role (ByokMessage *self,
                       const char  *role)
{
  g_return_if_fail (BYOK_IS_MESSAGE (self));
  g_return_if_fail (byok_message_role_is_valid (role));

  set_interned (self, &self->role, role, PROP_ROLE);
}

/**
 * byok_message_get_content:
 * Returns: the text, never %NULL
 */
const char *
byok_message_get_content (ByokMessage *self)
{
  g_return_val_if_fail (BYOK_IS_MESSAGE (self), NULL);
  return self->content->str;
}

void
byok_message_set_content (ByokMessage *self,
                          const char  *content)
{
  g_return_if_fail (BYOK_IS_MESSAGE (self));
  set_gstring (self, self->content, content, PROP_CONTENT);
}

/**
 * byok_message_append_content:
 * @delta: (nullable): text to add at the end
 *
 * Adds @delta (amortised constant time per byte) and notifies "content"
 * once, unless @delta is empty.
 */
void
byok_message_append_content (ByokMessage *self,
                             const char  *delta)
{
  g_return_if_fail (BYOK_IS_MESSAGE (self));

  if (delta == NULL || *delta == '\0')
    return;
  g_string_append (self->content, delta);
  notify (self, PROP_CONTENT);
}

/**
 * byok_message_get_reasoning:
 * Returns: the reasoning ("thinking") text, "" when there is none
 */
const char *
byok_message_get_reasoning (ByokMessage *self)
{
  g_return_val_if_fail (BYOK_IS_MESSAGE (self), NULL);
  return self->reasoning->str;
}

void
byok_message_set_reasoning (ByokMessage *self,
                            const char  *reasoning)
{
  g_return_if_fail (BYOK_IS_MESSAGE (self));
  set_gstring (self, self->reasoning, reasoning, PROP_REASONING);
}

void
byok_message_append_reasoning (ByokMessage *self,
                               const char  *delta)
{
  g_return_if_fail (BYOK_IS_MESSAGE (self));

  if (delta == NULL || *delta == '\0')
    return;
  g_string_append (self->reasoning, delta);
  notify (self, PROP_REASONING);
}

/**
 * byok_message_get_provider:
 * Returns: (nullable): the provider id that answered
 */
const char *
byok_message_get_provider (ByokMessage *self)
{
  g_return_val_if_fail (BYOK_IS_MESSAGE (self), NULL);
  return self->provider;
}

void
byok_message_set_provider (ByokMessage *self,
                           const char  *provider)
{
  g_return_if_fail (BYOK_IS_MESSAGE (self));
  set_interned (self, &self->provider, provider, PROP_PROVIDER);
}

/**
 * byok_message_get_model:
 * Returns: (nullable): the model that answered
 */
const char *
byok_message_get_model (ByokMessage *self)
{
  g_return_val_if_fail (BYOK_IS_MESSAGE (self), NULL);
  return self->model;
}

void
byok_message_set_model (ByokMessage *self,
                        const char  *model)
{
  g_return_if_fail (BYOK_IS_MESSAGE (self));
  set_interned (self, &self->model, model, PROP_MODEL);
}

const char *
byok_message_get_status (ByokMessage *self)
{
  g_return_val_if_fail (BYOK_IS_MESSAGE (self), NULL);
  return self->status;
}

void
byok_message_set_status (ByokMessage *self,
                         const char  *status)
{
  g_return_if_fail (BYOK_IS_MESSAGE (self));
  g_return_if_fail (byok_message_status_is_valid (status));

  set_interned (self, &self->status, status, PROP_STATUS);
}

/**
 * byok_message_get_error_class:
 * Returns: (nullable): the class of the error ("RATE_LIMIT", see
 *   byok_error_get_class()), or %NULL
 */
const char *
byok_message_get_error_class (ByokMessage *self)
{
  g_return_val_if_fail (BYOK_IS_MESSAGE (self), NULL);
  return self->error_class;
}

/**
 * byok_message_get_error_message:
 * Returns: (nullable): the translated message of the error, or %NULL
 */
const char *
byok_message_get_error_message (ByokMessage *self)
{
  g_return_val_if_fail (BYOK_IS_MESSAGE (self), NULL);
  return self->error_message;
}

/**
 * byok_message_set_error:
 * @error_class: (nullable): an error class, %NULL to clear
 * @error_message: (nullable): what the user reads
 *
 * Sets (or clears) the error. The status is not changed.
 */
void
byok_message_set_error (ByokMessage *self,
                        const char  *error_class,
                        const char  *error_message)
{
  g_return_if_fail (BYOK_IS_MESSAGE (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_interned (self, &self->error_class, error_class, PROP_ERROR_CLASS);
  set_owned (self, &self->error_message, error_message, PROP_ERROR_MESSAGE);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
byok_message_get_has_usage (ByokMessage *self)
{
  g_return_val_if_fail (BYOK_IS_MESSAGE (self), FALSE);
  return self->has_usage;
}

/**
 * byok_message_get_usage:
 * @usage: (out caller-allocates): the token counts; `reported` is
 *   byok_message_get_has_usage(), `estimated` whether they are Byok's
 *   estimate instead (the provider reported none)
 */
void
byok_message_get_usage (ByokMessage *self,
                        ByokUsage   *usage)
{
  g_return_if_fail (BYOK_IS_MESSAGE (self));
  g_return_if_fail (usage != NULL);

  *usage = self->usage;
  usage->reported = self->has_usage;
  usage->cost_reported = self->cost_reported;
  usage->reported_cost_usd = self->reported_cost_usd;
}

/**
 * byok_message_set_usage:
 * @usage: (nullable): token counts; %NULL, or neither `reported` nor
 *   `estimated`, for unknown (stored as NULL, the counts as 0). Estimated
 *   counts are kept and stored, marked so, but are not has-usage. Its
 *   reported cost is byok_message_set_reported_cost()'s, not this.
 */
void
byok_message_set_usage (ByokMessage     *self,
                        const ByokUsage *usage)
{
  ByokUsage value = { 0 };

  g_return_if_fail (BYOK_IS_MESSAGE (self));

  if (usage != NULL && (usage->reported || usage->estimated))
    value = *usage;
  value.estimated = !value.reported && value.estimated;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->usage.estimated != value.estimated)
    {
      self->usage.estimated = value.estimated;
      notify (self, PROP_ESTIMATED);
    }
  if (self->has_usage != value.reported)
    {
      self->has_usage = value.reported;
      notify (self, PROP_HAS_USAGE);
    }
  set_int64 (self, &self->usage.input_tokens, value.input_tokens, PROP_INPUT_TOKENS);
  set_int64 (self, &self->usage.output_tokens, value.output_tokens, PROP_OUTPUT_TOKENS);
  set_int64 (self, &self->usage.cached_input_tokens, value.cached_input_tokens, PROP_CACHED_INPUT_TOKENS);
  set_int64 (self, &self->usage.cache_write_tokens, value.cache_write_tokens, PROP_CACHE_WRITE_TOKENS);
  set_int64 (self, &self->usage.reasoning_tokens, value.reasoning_tokens, PROP_REASONING_TOKENS);
  self->usage.reported = value.reported;
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
byok_message_get_price_known (ByokMessage *self)
{
  g_return_val_if_fail (BYOK_IS_MESSAGE (self), FALSE);
  return self->price_known;
}

/**
 * byok_message_get_cost_usd:
 * Returns: the cost in USD; 0 when the price is unknown
 */
double
byok_message_get_cost_usd (ByokMessage *self)
{
  g_return_val_if_fail (BYOK_IS_MESSAGE (self), 0);
  return self->cost_usd;
}

/**
 * byok_message_set_cost:
 * @price_known: whether the model's price was known
 * @cost_usd: the cost (ByokPricing); ignored unless @price_known
 */
void
byok_message_set_cost (ByokMessage *self,
                       gboolean     price_known,
                       double       cost_usd)
{
  g_return_if_fail (BYOK_IS_MESSAGE (self));

  price_known = !!price_known;
  if (!price_known || !(cost_usd >= 0))
    cost_usd = 0;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->price_known != price_known)
    {
      self->price_known = price_known;
      notify (self, PROP_PRICE_KNOWN);
    }
  if (self->cost_usd != cost_usd)
    {
      self->cost_usd = cost_usd;
      notify (self, PROP_COST_USD);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * byok_message_get_estimated:
 * Returns: whether the answer's tokens and cost are Byok's estimate (its
 *   provider reported no usage)
 */
gboolean
byok_message_get_estimated (ByokMessage *self)
{
  g_return_val_if_fail (BYOK_IS_MESSAGE (self), FALSE);
  return self->usage.estimated;
}

/**
 * byok_message_get_cost_reported:
 * Returns: whether the provider said what it billed for the answer
 */
gboolean
byok_message_get_cost_reported (ByokMessage *self)
{
  g_return_val_if_fail (BYOK_IS_MESSAGE (self), FALSE);
  return self->cost_reported;
}

/**
 * byok_message_get_reported_cost_usd:
 * Returns: what the provider billed, USD; 0 unless cost-reported
 */
double
byok_message_get_reported_cost_usd (ByokMessage *self)
{
  g_return_val_if_fail (BYOK_IS_MESSAGE (self), 0);
  return self->reported_cost_usd;
}

/**
 * byok_message_set_reported_cost:
 * @reported: whether the provider said what it billed
 * @cost_usd: what it billed (ByokChatResult's reported_cost_usd); ignored
 *   unless @reported
 */
void
byok_message_set_reported_cost (ByokMessage *self,
                                gboolean     reported,
                                double       cost_usd)
{
  g_return_if_fail (BYOK_IS_MESSAGE (self));

  reported = reported && cost_usd >= 0 && isfinite (cost_usd);
  if (!reported)
    cost_usd = 0;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->cost_reported != reported)
    {
      self->cost_reported = reported;
      notify (self, PROP_COST_REPORTED);
    }
  if (self->reported_cost_usd != cost_usd)
    {
      self->reported_cost_usd = cost_usd;
      notify (self, PROP_REPORTED_COST_USD);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * byok_message_get_latency_us:
 * Returns: request sent → last byte, or -1 when unknown
 */
gint64
byok_message_get_latency_us (ByokMessage *self)
{
  g_return_val_if_fail (BYOK_IS_MESSAGE (self), -1);
  return self->latency_us;
}

void
byok_message_set_latency_us (ByokMessage *self,
                             gint64       latency_us)
{
  g_return_if_fail (BYOK_IS_MESSAGE (self));
  set_int64 (self, &self->latency_us, MAX (latency_us, -1), PROP_LATENCY_US);
}

/**
 * byok_message_get_ttft_us:
 * Returns: time to the first token, or -1 when unknown
 */
gint64
byok_message_get_ttft_us (ByokMessage *self)
{
  g_return_val_if_fail (BYOK_IS_MESSAGE (self), -1);
  return self->ttft_us;
}

void
byok_message_set_ttft_us (ByokMessage *self,
                          gint64       ttft_us)
{
  g_return_if_fail (BYOK_IS_MESSAGE (self));
  set_int64 (self, &self->ttft_us, MAX (ttft_us, -1), PROP_TTFT_US);
}

/**
 * byok_message_get_attempts:
 * Returns: (nullable): the summary of the attempts behind an answer, see
 *   byok_message_format_attempts()
 */
const char *
byok_message_get_attempts (ByokMessage *self)
{
  g_return_val_if_fail (BYOK_IS_MESSAGE (self), NULL);
  return self->attempts;
}

void
byok_message_set_attempts (ByokMessage *self,
                           const char  *attempts)
{
  g_return_if_fail (BYOK_IS_MESSAGE (self));
  set_owned (self, &self->attempts, attempts, PROP_ATTEMPTS);
}

/**
 * byok_message_get_attachments:
 *
 * Returns: (transfer none) (nullable) (element-type ByokAttachment): the
 *   files attached to the message, %NULL if none
 */
GPtrArray *
byok_message_get_attachments (ByokMessage *self)
{
  g_return_val_if_fail (BYOK_IS_MESSAGE (self), NULL);

  if (!self->attachments_parsed)
    {
      g_autoptr(GError) error = NULL;

      self->attachments_parsed = TRUE;
      self->attachments = byok_attachments_from_json (self->attachments_json, &error);
      if (error != NULL)
        g_warning ("Message %" G_GINT64_FORMAT ": %s", self->id, error->message);
    }
  return self->attachments;
}

/**
 * byok_message_set_attachments:
 * @attachments: (nullable) (element-type ByokAttachment): copied
 */
void
byok_message_set_attachments (ByokMessage *self,
                              GPtrArray   *attachments)
{
  g_return_if_fail (BYOK_IS_MESSAGE (self));

  g_clear_pointer (&self->attachments, g_ptr_array_unref);
  g_free (self->attachments_json);
  self->attachments = byok_attachments_copy (attachments);
  self->attachments_json = byok_attachments_to_json (self->attachments);
  self->attachments_parsed = TRUE;
}

/* The stored form, for the store. */
const char *
_byok_message_get_attachments_json (ByokMessage *self)
{
  g_return_val_if_fail (BYOK_IS_MESSAGE (self), NULL);
  return self->attachments_json;
}

/**
 * byok_message_get_tool_blocks:
 *
 * Returns: (transfer none) (nullable) (element-type ByokToolBlock): the
 *   tools the answer used, in order, %NULL if none
 */
GPtrArray *
byok_message_get_tool_blocks (ByokMessage *self)
{
  g_return_val_if_fail (BYOK_IS_MESSAGE (self), NULL);

  if (!self->tool_blocks_parsed)
    {
      g_autoptr(GError) error = NULL;

      self->tool_blocks_parsed = TRUE;
      self->tool_blocks = byok_tool_blocks_from_json (self->tool_blocks_json, &error);
      if (error != NULL)
        g_warning ("Message %" G_GINT64_FORMAT ": %s", self->id, error->message);
    }
  return self->tool_blocks;
}

static void
tool_blocks_changed (ByokMessage *self)
{
  self->tool_blocks_dirty = TRUE;
  notify (self, PROP_TOOL_BLOCKS);
}

/**
 * byok_message_set_tool_blocks:
 * @blocks: (nullable) (element-type ByokToolBlock): copied
 */
void
byok_message_set_tool_blocks (ByokMessage *self,
                              GPtrArray   *blocks)
{
  g_return_if_fail (BYOK_IS_MESSAGE (self));

  if ((blocks == NULL || blocks->len == 0) && byok_message_get_tool_blocks (self) == NULL)
    return;
  g_clear_pointer (&self->tool_blocks, g_ptr_array_unref);
  if (blocks != NULL && blocks->len > 0)
    self->tool_blocks = byok_tool_blocks_copy (blocks);
  self->tool_blocks_parsed = TRUE;
  tool_blocks_changed (self);
}

/**
 * byok_message_add_tool_block:
 * @block: copied
 *
 * Appends a tool call the answer made.
 */
void
byok_message_add_tool_block (ByokMessage         *self,
                             const ByokToolBlock *block)
{
  g_return_if_fail (BYOK_IS_MESSAGE (self));
  g_return_if_fail (block != NULL);

  if (byok_message_get_tool_blocks (self) == NULL)
    self->tool_blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) byok_tool_block_free);
  g_ptr_array_add (self->tool_blocks, byok_tool_block_copy (block));
  tool_blocks_changed (self);
}

/**
 * byok_message_finish_tool_block:
 * @call_id: (nullable): the call; %NULL: every call still running
 * @result: (nullable): what came back, or why it did not run
 *
 * Says what became of a tool call (of every running one, for %NULL: the
 * answer was stopped). Returns: whether a call was changed
 */
gboolean
byok_message_finish_tool_block (ByokMessage        *self,
                                const char         *call_id,
                                ByokToolBlockState  state,
                                const char         *result)
{
  GPtrArray *blocks;
  gboolean changed = FALSE;

  g_return_val_if_fail (BYOK_IS_MESSAGE (self), FALSE);

  blocks = byok_message_get_tool_blocks (self);
  for (guint i = 0; blocks != NULL && i < blocks->len; i++)
    {
      ByokToolBlock *block = g_ptr_array_index (blocks, i);

      if (call_id != NULL ? g_strcmp0 (block->call_id, call_id) == 0
                          : block->state == BYOK_TOOL_BLOCK_RUNNING)
        {
          byok_tool_block_finish (block, state, result);
          changed = TRUE;
        }
    }
  if (changed)
    tool_blocks_changed (self);
  return changed;
}

/* The stored form, for the store. */
const char *
_byok_message_get_tool_blocks_json (ByokMessage *self)
{
  g_return_val_if_fail (BYOK_IS_MESSAGE (self), NULL);

  if (self->tool_blocks_dirty)
    {
      g_free (self->tool_blocks_json);
      self->tool_blocks_json = byok_tool_blocks_to_json (self->tool_blocks);
      self->tool_blocks_dirty = FALSE;
    }
  return self->tool_blocks_json;
}

/**
 * byok_message_dup_prompt:
 *
 * Returns: (transfer full): what the model reads of this message as
 *   text: its text files, then its text (images and PDFs go beside it)
 */
char *
byok_message_dup_prompt (ByokMessage *self)
{
  g_return_val_if_fail (BYOK_IS_MESSAGE (self), NULL);
  return byok_attachments_compose_text_files (byok_message_get_attachments (self), self->content->str);
}

/**
 * byok_message_format_attempts:
 * @result: a finished call
 *
 * The attempts of @result in order, for a person who wonders why another
 * model answered: "openai/gpt-4o: RATE_LIMIT (HTTP 429) → openai/gpt-4o:
 * RATE_LIMIT (HTTP 429) → moonshot/kimi-k2: ok". Not translated: class
 * names and ids.
 *
 * Returns: (transfer full) (nullable): the summary, or %NULL when there
 *   was at most one attempt
 */
char *
byok_message_format_attempts (const ByokChatResult *result)
{
  GString *out;
  gboolean failed = FALSE;

  g_return_val_if_fail (result != NULL, NULL);

  if (result->attempts == NULL || result->attempts->len < 2)
    return NULL;
  /* Attempts that all answered are the steps of a tool loop: nothing to
   * tell of. */
  for (guint i = 0; i < result->attempts->len; i++)
    failed |= ((const ByokAttempt *) g_ptr_array_index (result->attempts, i))->error != NULL;
  if (!failed)
    return NULL;

  out = g_string_new (NULL);
  for (guint i = 0; i < result->attempts->len; i++)
    {
      const ByokAttempt *attempt = g_ptr_array_index (result->attempts, i);

      if (i > 0)
        g_string_append (out, " → ");
      g_string_append_printf (out, "%s/%s: ",
                              attempt->provider_id != NULL ? attempt->provider_id : "?",
                              attempt->model != NULL ? attempt->model : "?");
      if (attempt->error == NULL)
        g_string_append (out, "ok");
      else
        g_string_append (out, byok_error_get_class (attempt->error));
      if (attempt->error != NULL && attempt->http_status != 0)
        g_string_append_printf (out, " (HTTP %u)", attempt->http_status);
    }
  return g_string_free (out, FALSE);
}

/**
 * byok_message_set_from_result:
 * @result: what a call returned, finished or not
 *
 * Copies into @self what the call gave: text, reasoning, the provider and
 * model that answered (the model the provider reports, if any), usage,
 * latency, time to first token, the attempts summary, the cost (as the
 * engine priced the call: unknown unless @result->cost_known) and the
 * outcome: success is "complete"; a cancelled call "partial" with the
 * error class CANCELLED; any other failure "error" with its class and
 * message (the text that arrived is kept).
 */
void
byok_message_set_from_result (ByokMessage          *self,
                              const ByokChatResult *result)
{
  g_autofree char *attempts = NULL;

  g_return_if_fail (BYOK_IS_MESSAGE (self));
  g_return_if_fail (result != NULL);

  attempts = byok_message_format_attempts (result);

  g_object_freeze_notify (G_OBJECT (self));
  byok_message_set_content (self, result->text != NULL ? result->text->str : "");
  byok_message_set_reasoning (self, result->reasoning != NULL ? result->reasoning->str : "");
  byok_message_set_provider (self, result->provider_id);
  byok_message_set_model (self, result->response_model != NULL ? result->response_model : result->model);
  byok_message_set_usage (self, &result->usage);
  byok_message_set_latency_us (self, result->latency_us);
  byok_message_set_ttft_us (self, result->ttft_us);
  byok_message_set_attempts (self, attempts);
  byok_message_set_cost (self, result->cost_known && isfinite (result->cost_usd),
                         result->cost_known && isfinite (result->cost_usd) ? result->cost_usd : 0);
  byok_message_set_reported_cost (self, isfinite (result->reported_cost_usd), result->reported_cost_usd);

  if (result->error == NULL)
    {
      byok_message_set_error (self, NULL, NULL);
      byok_message_set_status (self, BYOK_MESSAGE_STATUS_COMPLETE);
    }
  else
    {
      const char *error_class = byok_error_get_class (result->error);

      byok_message_set_error (self, error_class, result->error->message);
      byok_message_set_status (self, byok_error_is_cancelled (result->error)
                                     ? BYOK_MESSAGE_STATUS_PARTIAL
                                     : BYOK_MESSAGE_STATUS_ERROR);
    }
  g_object_thaw_notify (G_OBJECT (self));
}
