/* byok-test-replies.h — the OpenAI-style streams tests script on the
 * provider test server: an answer, and a step that calls a tool */
#pragma once

#include "byok-test-server.h"

G_BEGIN_DECLS

char          *byok_test_openai_chunk_json       (const char *field,
                                                  const char *text);
ByokTestReply *byok_test_reply_new_openai_text   (const char *text);
ByokTestReply *byok_test_reply_new_openai_answer (const char *reasoning,
                                                  const char *text,
                                                  gint64      input_tokens,
                                                  gint64      cached_tokens,
                                                  gint64      output_tokens,
                                                  gboolean    hold_before_end);
ByokTestReply *byok_test_reply_new_sse_body      (const char *body,
                                                  gsize       split);
ByokTestReply *byok_test_reply_new_sse_fixture   (const char *folder,
                                                  const char *name,
                                                  gsize       split);
ByokTestReply *byok_test_reply_new_openai_models (void);
char          *byok_test_last_tool_message       (ByokTestServer *server,
                                                  const char     *call_id);
ByokTestReply *byok_test_reply_new_echo_step     (gboolean    call_tool,
                                                  const char *text,
                                                  gboolean    split_arguments);

G_END_DECLS
