/* byok-usage-group-item.c — one row of the Usage page's breakdown table:
 * a copy of one (provider, model) group of a report, with the names people
 * read. */
#define G_LOG_DOMAIN "byok-usage-page"

#include "config.h"

#include "byok-usage-group-item.h"

struct _ByokUsageGroupItem
{
  GObject         parent_instance;

  ByokUsageGroup  group;
  char           *provider_name;
  char           *model_name;
};

G_DEFINE_FINAL_TYPE (ByokUsageGroupItem, byok_usage_group_item, G_TYPE_OBJECT)

static void
byok_usage_group_item_finalize (GObject *object)
{
  ByokUsageGroupItem *self = BYOK_USAGE_GROUP_ITEM (object);

  g_free (self->group.provider);
  g_free (self->group.model);
  g_free (self->group.bucket);
  g_free (self->provider_name);
  g_free (self->model_name);

  G_OBJECT_CLASS (byok_usage_group_item_parent_class)->finalize (object);
}

static void
byok_usage_group_item_class_init (ByokUsageGroupItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = byok_usage_group_item_finalize;
}

static void
byok_usage_group_item_init (ByokUsageGroupItem *self)
{
}

/**
 * byok_usage_group_item_new:
 * @group: a group of a ByokUsageReport (copied)
 * @provider_name: (nullable): the provider's display name; its id if %NULL
 * @model_name: (nullable): the model's display name; its id if %NULL
 */
ByokUsageGroupItem *
byok_usage_group_item_new (const ByokUsageGroup *group,
                           const char           *provider_name,
                           const char           *model_name)
{
  ByokUsageGroupItem *self;

  g_return_val_if_fail (group != NULL, NULL);

  self = g_object_new (BYOK_TYPE_USAGE_GROUP_ITEM, NULL);
  self->group = *group;
  self->group.provider = g_strdup (group->provider);
  self->group.model = g_strdup (group->model);
  self->group.bucket = g_strdup (group->bucket);
  self->provider_name = g_strdup (provider_name != NULL ? provider_name : group->provider);
  self->model_name = g_strdup (model_name != NULL ? model_name : group->model);
  return self;
}

const ByokUsageGroup *
byok_usage_group_item_get_group (ByokUsageGroupItem *self)
{
  g_return_val_if_fail (BYOK_IS_USAGE_GROUP_ITEM (self), NULL);
  return &self->group;
}

const char *
byok_usage_group_item_get_provider_name (ByokUsageGroupItem *self)
{
  g_return_val_if_fail (BYOK_IS_USAGE_GROUP_ITEM (self), NULL);
  return self->provider_name;
}

const char *
byok_usage_group_item_get_model_name (ByokUsageGroupItem *self)
{
  g_return_val_if_fail (BYOK_IS_USAGE_GROUP_ITEM (self), NULL);
  return self->model_name;
}
