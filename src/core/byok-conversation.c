/* byok-conversation.c — one conversation's settings and title */
#define G_LOG_DOMAIN "byok-conversation"

#include "config.h"

#include "byok-conversation-private.h"
#include "byok-glib.h"

struct _ByokConversation
{
  GObject  parent_instance;

  gint64   id;
  gint64   created;
  gint64   updated;
  char    *title;
  char    *provider;
  char    *model;
  char    *system_prompt;
  double   temperature;
  gint64   max_tokens;
  ByokEffort effort;
};

G_DEFINE_FINAL_TYPE (ByokConversation, byok_conversation, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_CREATED,
  PROP_UPDATED,
  PROP_TITLE,
  PROP_PROVIDER,
  PROP_MODEL,
  PROP_SYSTEM_PROMPT,
  PROP_TEMPERATURE,
  PROP_MAX_TOKENS,
  PROP_EFFORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_string (ByokConversation  *self,
            char             **field,
            const char        *value,
            guint              prop)
{
  if (byok_set_str (field, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_int64 (ByokConversation *self,
           gint64           *field,
           gint64            value,
           guint             prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
byok_conversation_finalize (GObject *object)
{
  ByokConversation *self = BYOK_CONVERSATION (object);

  g_free (self->title);
  g_free (self->provider);
  g_free (self->model);
  g_free (self->system_prompt);

  G_OBJECT_CLASS (byok_conversation_parent_class)->finalize (object);
}

static void
byok_conversation_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ByokConversation *self = BYOK_CONVERSATION (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_CREATED: g_value_set_int64 (value, self->created); break;
    case PROP_UPDATED: g_value_set_int64 (value, self->updated); break;
    case PROP_TITLE: g_value_set_string (value, self->title); break;
    case PROP_PROVIDER: g_value_set_string (value, self->provider); break;
    case PROP_MODEL: g_value_set_string (value, self->model); break;
    case PROP_SYSTEM_PROMPT: g_value_set_string (value, self->system_prompt); break;
    case PROP_TEMPERATURE: g_value_set_double (value, self->temperature); break;
    case PROP_MAX_TOKENS: g_value_set_int64 (value, self->max_tokens); break;
    case PROP_EFFORT: g_value_set_int (value, self->effort); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_conversation_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  ByokConversation *self = BYOK_CONVERSATION (object);

  switch (prop_id)
    {
    case PROP_TITLE: byok_conversation_set_title (self, g_value_get_string (value)); break;
    case PROP_PROVIDER: byok_conversation_set_provider (self, g_value_get_string (value)); break;
    case PROP_MODEL: byok_conversation_set_model (self, g_value_get_string (value)); break;
    case PROP_SYSTEM_PROMPT: byok_conversation_set_system_prompt (self, g_value_get_string (value)); break;
    case PROP_TEMPERATURE: byok_conversation_set_temperature (self, g_value_get_double (value)); break;
    case PROP_MAX_TOKENS: byok_conversation_set_max_tokens (self, g_value_get_int64 (value)); break;
    case PROP_EFFORT: byok_conversation_set_effort (self, g_value_get_int (value)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_conversation_class_init (ByokConversationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = byok_conversation_finalize;
  object_class->get_property = byok_conversation_get_property;
  object_class->set_property = byok_conversation_set_property;

  /* Set by the store; 0 until stored. Times are unix µs. "updated" moves
   * when the conversation is saved or a message is added or removed. */
  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_CREATED] = g_param_spec_int64 ("created", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_UPDATED] = g_param_spec_int64 ("updated", NULL, NULL, 0, G_MAXINT64, 0, ro);
  /* Never NULL; "" for a conversation without a title yet. */
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, "", rw);
  properties[PROP_PROVIDER] = g_param_spec_string ("provider", NULL, NULL, NULL, rw);
  properties[PROP_MODEL] = g_param_spec_string ("model", NULL, NULL, NULL, rw);
  properties[PROP_SYSTEM_PROMPT] = g_param_spec_string ("system-prompt", NULL, NULL, NULL, rw);
  /* < 0: unset (the provider's default). */
  properties[PROP_TEMPERATURE] = g_param_spec_double ("temperature", NULL, NULL,
                                                      -1, G_MAXDOUBLE, -1, rw);
  /* 0: unset. */
  properties[PROP_MAX_TOKENS] = g_param_spec_int64 ("max-tokens", NULL, NULL,
                                                    0, G_MAXINT64, 0, rw);
  /* A ByokEffort; BYOK_EFFORT_DEFAULT: the model's own. */
  properties[PROP_EFFORT] = g_param_spec_int ("effort", NULL, NULL,
                                              BYOK_EFFORT_DEFAULT, BYOK_EFFORT_HIGH,
                                              BYOK_EFFORT_DEFAULT, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
byok_conversation_init (ByokConversation *self)
{
  self->title = g_strdup ("");
  self->temperature = -1;
}

/**
 * byok_conversation_new:
 *
 * Returns: (transfer full): a conversation that is not stored; the store
 *   makes its own with byok_conversation_store_create()
 */
ByokConversation *
byok_conversation_new (void)
{
  return g_object_new (BYOK_TYPE_CONVERSATION, NULL);
}

void
_byok_conversation_set_stored (ByokConversation *self,
                               gint64            id,
                               gint64            created,
                               gint64            updated)
{
  g_return_if_fail (BYOK_IS_CONVERSATION (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_int64 (self, &self->id, id, PROP_ID);
  set_int64 (self, &self->created, created, PROP_CREATED);
  set_int64 (self, &self->updated, updated, PROP_UPDATED);
  g_object_thaw_notify (G_OBJECT (self));
}

void
_byok_conversation_set_updated (ByokConversation *self,
                                gint64            updated)
{
  g_return_if_fail (BYOK_IS_CONVERSATION (self));
  set_int64 (self, &self->updated, updated, PROP_UPDATED);
}

gint64
byok_conversation_get_id (ByokConversation *self)
{
  g_return_val_if_fail (BYOK_IS_CONVERSATION (self), 0);
  return self->id;
}

gint64
byok_conversation_get_created (ByokConversation *self)
{
  g_return_val_if_fail (BYOK_IS_CONVERSATION (self), 0);
  return self->created;
}

gint64
byok_conversation_get_updated (ByokConversation *self)
{
  g_return_val_if_fail (BYOK_IS_CONVERSATION (self), 0);
  return self->updated;
}

/**
 * byok_conversation_get_title:
 * Returns: the title, "" when it has none yet
 */
const char *
byok_conversation_get_title (ByokConversation *self)
{
  g_return_val_if_fail (BYOK_IS_CONVERSATION (self), NULL);
  return self->title;
}

void
byok_conversation_set_title (ByokConversation *self,
                             const char       *title)
{
  g_return_if_fail (BYOK_IS_CONVERSATION (self));
  set_string (self, &self->title, title != NULL ? title : "", PROP_TITLE);
}

/**
 * byok_conversation_get_provider:
 * Returns: (nullable): the provider id new messages go to
 */
const char *
byok_conversation_get_provider (ByokConversation *self)
{
  g_return_val_if_fail (BYOK_IS_CONVERSATION (self), NULL);
  return self->provider;
}

void
byok_conversation_set_provider (ByokConversation *self,
                                const char       *provider)
{
  g_return_if_fail (BYOK_IS_CONVERSATION (self));
  set_string (self, &self->provider, provider, PROP_PROVIDER);
}

/**
 * byok_conversation_get_model:
 * Returns: (nullable): the model id new messages go to
 */
const char *
byok_conversation_get_model (ByokConversation *self)
{
  g_return_val_if_fail (BYOK_IS_CONVERSATION (self), NULL);
  return self->model;
}

void
byok_conversation_set_model (ByokConversation *self,
                             const char       *model)
{
  g_return_if_fail (BYOK_IS_CONVERSATION (self));
  set_string (self, &self->model, model, PROP_MODEL);
}

/**
 * byok_conversation_get_system_prompt:
 * Returns: (nullable): the system prompt, or %NULL for none
 */
const char *
byok_conversation_get_system_prompt (ByokConversation *self)
{
  g_return_val_if_fail (BYOK_IS_CONVERSATION (self), NULL);
  return self->system_prompt;
}

/**
 * byok_conversation_set_system_prompt:
 * @system_prompt: (nullable): the prompt; "" is taken as %NULL
 */
void
byok_conversation_set_system_prompt (ByokConversation *self,
                                     const char       *system_prompt)
{
  g_return_if_fail (BYOK_IS_CONVERSATION (self));

  if (system_prompt != NULL && *system_prompt == '\0')
    system_prompt = NULL;
  set_string (self, &self->system_prompt, system_prompt, PROP_SYSTEM_PROMPT);
}

/**
 * byok_conversation_get_temperature:
 * Returns: the temperature, or -1 when unset
 */
double
byok_conversation_get_temperature (ByokConversation *self)
{
  g_return_val_if_fail (BYOK_IS_CONVERSATION (self), -1);
  return self->temperature;
}

/**
 * byok_conversation_set_temperature:
 * @temperature: ≥ 0, or any negative value to unset
 */
void
byok_conversation_set_temperature (ByokConversation *self,
                                   double            temperature)
{
  g_return_if_fail (BYOK_IS_CONVERSATION (self));

  if (!(temperature >= 0))
    temperature = -1;
  if (self->temperature == temperature)
    return;
  self->temperature = temperature;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEMPERATURE]);
}

/**
 * byok_conversation_get_max_tokens:
 * Returns: the limit on output tokens, or 0 when unset
 */
gint64
byok_conversation_get_max_tokens (ByokConversation *self)
{
  g_return_val_if_fail (BYOK_IS_CONVERSATION (self), 0);
  return self->max_tokens;
}

void
byok_conversation_set_max_tokens (ByokConversation *self,
                                  gint64            max_tokens)
{
  g_return_if_fail (BYOK_IS_CONVERSATION (self));
  set_int64 (self, &self->max_tokens, MAX (max_tokens, 0), PROP_MAX_TOKENS);
}

/**
 * byok_conversation_get_effort:
 * Returns: how much a reasoning model should think in this conversation
 */
ByokEffort
byok_conversation_get_effort (ByokConversation *self)
{
  g_return_val_if_fail (BYOK_IS_CONVERSATION (self), BYOK_EFFORT_DEFAULT);
  return self->effort;
}

void
byok_conversation_set_effort (ByokConversation *self,
                              ByokEffort        effort)
{
  g_return_if_fail (BYOK_IS_CONVERSATION (self));

  if (effort < BYOK_EFFORT_DEFAULT || effort > BYOK_EFFORT_HIGH)
    effort = BYOK_EFFORT_DEFAULT;
  if (self->effort == effort)
    return;
  self->effort = effort;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EFFORT]);
}
