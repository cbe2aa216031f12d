/* byok-chat-call-private.h — how the client makes a call and the engine
 * watches it (byok-client.c, byok-engine.c, byok-chat-call.c) */
#pragma once

#include "byok-chat-call.h"
#include "byok-transport-private.h"

G_BEGIN_DECLS

/**
 * ByokChatCallHooks:
 * @attempt_started: called just before an attempt's request is sent, with
 *   the attempt (provider, model, is_retry, is_fallback) and its 0-based
 *   index among the call's attempts. Returning %FALSE with @error set
 *   sends nothing: the attempt fails with @error, which ends the call
 *   unless byok_error_is_retryable() or byok_error_allows_fallback() says
 *   otherwise.
 * @attempt_ended: called when an attempt has ended, with everything known
 *   of it, before "attempt" is emitted, before the next attempt starts and
 *   before the call's callback; @sent: whether its request went out
 *   (@attempt_started accepted it). It notes the usage row it recorded in
 *   @attempt->usage_id and the attempt's cost. Attempts that failed before
 *   anything was sent (no key, a bad configuration) end without starting.
 * @finished: called once with the call's result, before the call's
 *   callback; it may complete the result (its cost).
 *
 * What the engine does at each step of a call (the usage rows, the cost).
 */
typedef struct {
  gboolean (*attempt_started) (ByokChatCall       *call,
                               const ByokAttempt  *attempt,
                               guint               index,
                               gpointer            data,
                               GError            **error);
  void     (*attempt_ended)   (ByokChatCall       *call,
                               ByokAttempt        *attempt,
                               guint               index,
                               gboolean            sent,
                               gpointer            data);
  void     (*finished)        (ByokChatCall       *call,
                               ByokChatResult     *result,
                               gpointer            data);
} ByokChatCallHooks;

ByokChatCall *_byok_chat_call_new        (ByokTransport           *transport,
                                          ByokChatRequest         *request,
                                          const char              *provider_id,
                                          const char              *model,
                                          const char * const      *fallbacks);
ByokChatCall *_byok_chat_call_new_failed (ByokChatRequest         *request,
                                          const char              *provider_id,
                                          const char              *model,
                                          GError                  *error);
void          _byok_chat_call_set_hooks  (ByokChatCall            *self,
                                          const ByokChatCallHooks *hooks,
                                          gpointer                 data,
                                          GDestroyNotify           data_free);

const ByokChatRequest *
              _byok_chat_call_get_step_request (ByokChatCall      *self);
void          _byok_chat_call_get_step_output  (ByokChatCall      *self,
                                                const char       **text,
                                                gsize             *text_len,
                                                const char       **reasoning,
                                                gsize             *reasoning_len);

G_END_DECLS
