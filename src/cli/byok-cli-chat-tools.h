/* byok-cli-chat-tools.h — `byok-cli chat --tools` */
#pragma once

#include <json-glib/json-glib.h>

#include "byok-cli-util.h"
#include "byok-engine.h"
#include "byok-mcp-tool-runner.h"

G_BEGIN_DECLS

ByokMcpToolRunner *byok_cli_chat_tools_open     (gboolean           approve_all);
guint              byok_cli_chat_tools_add      (ByokMcpToolRunner *runner,
                                                 ByokChatRequest   *request,
                                                 GCancellable      *cancellable);
void               byok_cli_chat_tools_watch    (ByokMcpToolRunner *runner,
                                                 ByokChatCall      *call);
void               byok_cli_chat_tools_add_json (ByokMcpToolRunner *runner,
                                                 JsonBuilder       *builder,
                                                 ByokChatResult    *result);
void               byok_cli_chat_tools_close    (ByokMcpToolRunner *runner);

G_END_DECLS
