/* byok-tool-block-view.h — one tool call in an answer, collapsed */
#pragma once

#include <adwaita.h>

#include "byok-tool-block.h"

G_BEGIN_DECLS

#define BYOK_TYPE_TOOL_BLOCK_VIEW (byok_tool_block_view_get_type ())
G_DECLARE_FINAL_TYPE (ByokToolBlockView, byok_tool_block_view, BYOK, TOOL_BLOCK_VIEW, AdwBin)

GtkWidget *byok_tool_block_view_new       (void);
void       byok_tool_block_view_set_block (ByokToolBlockView   *self,
                                           const ByokToolBlock *block);

G_END_DECLS
