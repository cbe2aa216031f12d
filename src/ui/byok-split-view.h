/* byok-split-view.h — a sidebar beside content that folds in a narrow window */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define BYOK_TYPE_SPLIT_VIEW (byok_split_view_get_type ())

G_DECLARE_FINAL_TYPE (ByokSplitView, byok_split_view, BYOK, SPLIT_VIEW, GtkWidget)

GtkWidget *byok_split_view_new              (void);
void       byok_split_view_set_sidebar      (ByokSplitView *self,
                                             GtkWidget     *sidebar);
GtkWidget *byok_split_view_get_sidebar      (ByokSplitView *self);
void       byok_split_view_set_content      (ByokSplitView *self,
                                             GtkWidget     *content);
GtkWidget *byok_split_view_get_content      (ByokSplitView *self);
gboolean   byok_split_view_get_folded       (ByokSplitView *self);
gboolean   byok_split_view_get_show_content (ByokSplitView *self);
void       byok_split_view_set_show_content (ByokSplitView *self,
                                             gboolean       show_content);

G_END_DECLS
