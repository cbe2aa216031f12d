/* byok-summary-card.c — a card with a caption, a large figure and a detail line
 *
 * "Today" / "$1.24" / "38 calls · 2 failed". The figure uses tabular digits
 * so cards side by side line up. The card is one accessible group whose
 * label says all three, so a screen reader hears it as one sentence.
 */
#define G_LOG_DOMAIN "byok-summary-card"

#include "config.h"

#include <glib/gi18n.h>

#include "byok-summary-card.h"

struct _ByokSummaryCard
{
  AdwBin    parent_instance;

  GtkLabel *title_label;
  GtkLabel *value_label;
  GtkLabel *detail_label;
};

G_DEFINE_FINAL_TYPE (ByokSummaryCard, byok_summary_card, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_VALUE,
  PROP_DETAIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_empty (const char *str)
{
  return str == NULL || *str == '\0';
}

/* The detail as a sentence goes on: "38 calls · 2 failed" on the card,
 * "38 calls, 2 failed" read aloud. */
static char *
spoken (const char *detail)
{
  g_auto(GStrv) parts = g_strsplit_set (detail, "\n", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_auto(GStrv) pieces = g_strsplit (parts[i], " · ", -1);
      g_autofree char *line = g_strjoinv (", ", pieces);

      if (*g_strstrip (line) == '\0')
        continue;
      /* A line that goes on a sentence ("in the last 30 days") follows
       * with a space, another part with a comma. */
      if (out->len > 0)
        g_string_append (out, g_unichar_islower (g_utf8_get_char (line)) ? " " : ", ");
      g_string_append (out, line);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
byok_summary_card_update_accessible (ByokSummaryCard *self)
{
  const char *title = gtk_label_get_label (self->title_label);
  const char *value = gtk_label_get_label (self->value_label);
  g_autofree char *detail = spoken (gtk_label_get_label (self->detail_label));
  g_autofree char *label = NULL;

  if (!is_empty (detail))
    /* Translators: what a screen reader says for a usage summary card:
     * its caption, its figure and its detail ("Today: $1.24, 38 calls") */
    label = g_strdup_printf (C_("summary card", "%s: %s, %s"), title, value, detail);
  else
    /* Translators: what a screen reader says for a usage summary card:
     * its caption and its figure ("Today: $1.24") */
    label = g_strdup_printf (C_("summary card", "%s: %s"), title, value);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static gboolean
set_label (ByokSummaryCard *self,
           GtkLabel        *label,
           const char      *text)
{
  if (g_strcmp0 (gtk_label_get_label (label), text ? text : "") == 0)
    return FALSE;

  gtk_label_set_label (label, text ? text : "");
  byok_summary_card_update_accessible (self);
  return TRUE;
}

static void
byok_summary_card_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ByokSummaryCard *self = BYOK_SUMMARY_CARD (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, byok_summary_card_get_title (self));
      break;

    case PROP_VALUE:
      g_value_set_string (value, byok_summary_card_get_value (self));
      break;

    case PROP_DETAIL:
      g_value_set_string (value, byok_summary_card_get_detail (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_summary_card_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  ByokSummaryCard *self = BYOK_SUMMARY_CARD (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      byok_summary_card_set_title (self, g_value_get_string (value));
      break;

    case PROP_VALUE:
      byok_summary_card_set_value (self, g_value_get_string (value));
      break;

    case PROP_DETAIL:
      byok_summary_card_set_detail (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byok_summary_card_class_init (ByokSummaryCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = byok_summary_card_get_property;
  object_class->set_property = byok_summary_card_set_property;

  /**
   * ByokSummaryCard:title:
   *
   * The caption: "Today", "This month", "Cache savings".
   */
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * ByokSummaryCard:value:
   *
   * The figure, already formatted: "$1.24".
   */
  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * ByokSummaryCard:detail:
   *
   * A line under the figure ("38 calls · 2 failed"); hidden when empty.
   */
  properties[PROP_DETAIL] =
    g_param_spec_string ("detail", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-summary-card.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokSummaryCard, title_label);
  gtk_widget_class_bind_template_child (widget_class, ByokSummaryCard, value_label);
  gtk_widget_class_bind_template_child (widget_class, ByokSummaryCard, detail_label);

  gtk_widget_class_set_css_name (widget_class, "summarycard");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
byok_summary_card_init (ByokSummaryCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  byok_summary_card_update_accessible (self);
}

GtkWidget *
byok_summary_card_new (const char *title,
                       const char *value,
                       const char *detail)
{
  return g_object_new (BYOK_TYPE_SUMMARY_CARD,
                       "title", title,
                       "value", value,
                       "detail", detail,
                       NULL);
}

const char *
byok_summary_card_get_title (ByokSummaryCard *self)
{
  g_return_val_if_fail (BYOK_IS_SUMMARY_CARD (self), NULL);

  return gtk_label_get_label (self->title_label);
}

void
byok_summary_card_set_title (ByokSummaryCard *self,
                             const char      *title)
{
  g_return_if_fail (BYOK_IS_SUMMARY_CARD (self));

  if (set_label (self, self->title_label, title))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
byok_summary_card_get_value (ByokSummaryCard *self)
{
  g_return_val_if_fail (BYOK_IS_SUMMARY_CARD (self), NULL);

  return gtk_label_get_label (self->value_label);
}

void
byok_summary_card_set_value (ByokSummaryCard *self,
                             const char      *value)
{
  g_return_if_fail (BYOK_IS_SUMMARY_CARD (self));

  if (set_label (self, self->value_label, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
}

const char *
byok_summary_card_get_detail (ByokSummaryCard *self)
{
  g_return_val_if_fail (BYOK_IS_SUMMARY_CARD (self), NULL);

  return gtk_label_get_label (self->detail_label);
}

void
byok_summary_card_set_detail (ByokSummaryCard *self,
                              const char      *detail)
{
  g_return_if_fail (BYOK_IS_SUMMARY_CARD (self));

  if (set_label (self, self->detail_label, detail))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->detail_label), !is_empty (detail));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAIL]);
    }
}
