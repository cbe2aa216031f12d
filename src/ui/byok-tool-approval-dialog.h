/* byok-tool-approval-dialog.h — asks the person before a tool runs
 *
 * Which tool of which MCP server the model wants to use, what the tool
 * says it does and the arguments the model gave (indented JSON, plain
 * text), and three answers: Deny (the default, and what Escape gives),
 * Allow Once, Always Allow This Tool. The "response" signal of the alert
 * (byok-compat.h) gives the answer's id.
 */
#pragma once

#include "byok-compat.h"

G_BEGIN_DECLS

#define BYOK_TOOL_APPROVAL_RESPONSE_DENY   "deny"
#define BYOK_TOOL_APPROVAL_RESPONSE_ONCE   "once"
#define BYOK_TOOL_APPROVAL_RESPONSE_ALWAYS "always"

#define BYOK_TYPE_TOOL_APPROVAL_DIALOG (byok_tool_approval_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ByokToolApprovalDialog, byok_tool_approval_dialog, BYOK, TOOL_APPROVAL_DIALOG, ByokAlertParent)

ByokToolApprovalDialog *byok_tool_approval_dialog_new           (const char             *server,
                                                                 const char             *tool,
                                                                 const char             *description,
                                                                 const char             *arguments);
const char             *byok_tool_approval_dialog_get_arguments (ByokToolApprovalDialog *self);

G_END_DECLS
