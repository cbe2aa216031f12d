/* byok-usage-group-item.h — one row of the Usage page's breakdown table */
#pragma once

#include <glib-object.h>

#include "byok-usage-store.h"

G_BEGIN_DECLS

#define BYOK_TYPE_USAGE_GROUP_ITEM (byok_usage_group_item_get_type ())
G_DECLARE_FINAL_TYPE (ByokUsageGroupItem, byok_usage_group_item, BYOK, USAGE_GROUP_ITEM, GObject)

ByokUsageGroupItem    *byok_usage_group_item_new               (const ByokUsageGroup *group,
                                                                const char           *provider_name,
                                                                const char           *model_name);
const ByokUsageGroup  *byok_usage_group_item_get_group         (ByokUsageGroupItem   *self);
const char            *byok_usage_group_item_get_provider_name (ByokUsageGroupItem   *self);
const char            *byok_usage_group_item_get_model_name    (ByokUsageGroupItem   *self);

G_END_DECLS
