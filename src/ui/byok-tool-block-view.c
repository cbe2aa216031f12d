/* byok-tool-block-view.c — one tool call in an answer, collapsed
 *
 * Shown like reasoning: a line that opens. The line says which tool on
 * which server, what became of the call (Allowed, Denied, Failed …) and
 * what the step that asked for it cost; opened, the arguments as indented
 * JSON and the result, both as plain text (a server's text is never read
 * as markup) in a monospace font, selectable.
 */
#define G_LOG_DOMAIN "byok-ui"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "byok-format.h"
#include "byok-tool-block-view.h"

/* A label past this many bytes costs more to lay out than anyone reads in
 * an answer: the rest is in the export. */
#define MAX_SHOWN_BYTES (16 * 1024)

struct _ByokToolBlockView
{
  AdwBin       parent_instance;

  GtkExpander *expander;
  GtkImage    *state_icon;
  GtkLabel    *title_label;
  GtkLabel    *state_label;
  GtkLabel    *arguments_label;
  GtkLabel    *result_heading;
  GtkLabel    *result_label;
};

G_DEFINE_FINAL_TYPE (ByokToolBlockView, byok_tool_block_view, ADW_TYPE_BIN)

static const char *
state_icon_name (ByokToolBlockState state)
{
  switch (state)
    {
    case BYOK_TOOL_BLOCK_RUNNING: return "system-run-symbolic";
    case BYOK_TOOL_BLOCK_DONE:    return "emblem-ok-symbolic";
    case BYOK_TOOL_BLOCK_ERROR:   return "dialog-warning-symbolic";
    case BYOK_TOOL_BLOCK_DENIED:  return "action-unavailable-symbolic";
    case BYOK_TOOL_BLOCK_STOPPED:
    default:                      return "media-playback-stop-symbolic";
    }
}

/* @text, cut at a character boundary near MAX_SHOWN_BYTES. */
static void
set_shown_text (GtkLabel   *label,
                const char *text)
{
  g_autofree char *cut = NULL;

  if (strlen (text) > MAX_SHOWN_BYTES)
    {
      const char *end = g_utf8_find_prev_char (text, text + MAX_SHOWN_BYTES);

      cut = g_strdup_printf ("%.*s\n%s", (int) (end - text), text, _("… (cut here; the export has all of it)"));
      text = cut;
    }
  gtk_label_set_label (label, text);
}

/**
 * byok_tool_block_view_set_block:
 * @block: copied from
 */
void
byok_tool_block_view_set_block (ByokToolBlockView   *self,
                                const ByokToolBlock *block)
{
  g_autofree char *arguments = NULL;
  g_autofree char *title = NULL;
  g_autofree char *state = NULL;
  g_autofree char *summary = NULL;

  g_return_if_fail (BYOK_IS_TOOL_BLOCK_VIEW (self));
  g_return_if_fail (block != NULL);

  if (block->server != NULL && *block->server != '\0')
    /* Translators: a tool call in an answer: the tool's name, then the
     * MCP server it is on */
    title = g_strdup_printf (_("%s on %s"), byok_tool_block_get_title (block), block->server);
  else
    title = g_strdup (byok_tool_block_get_title (block));
  gtk_label_set_label (self->title_label, title);

  if (!isnan (block->step_cost_usd))
    {
      g_autofree char *cost = byok_format_usd (block->step_cost_usd);

      /* Translators: a tool call's state ("Allowed"), then what the step
       * of the answer that asked for it cost */
      state = g_strdup_printf (_("%s · step %s"), byok_tool_block_state_describe (block->state), cost);
    }
  else
    state = g_strdup (byok_tool_block_state_describe (block->state));
  gtk_label_set_label (self->state_label, state);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->state_label),
                               isnan (block->step_cost_usd) ? NULL
                               : _("What the model’s answer that asked for this tool cost"));
  gtk_image_set_from_icon_name (self->state_icon, state_icon_name (block->state));

  for (guint i = BYOK_TOOL_BLOCK_RUNNING; i <= BYOK_TOOL_BLOCK_STOPPED; i++)
    {
      g_autofree char *name = g_strdup_printf ("tool-%s", byok_tool_block_state_to_string (i));

      if (i == block->state)
        gtk_widget_add_css_class (GTK_WIDGET (self), name);
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self), name);
    }

  arguments = byok_tool_block_dup_pretty_arguments (block);
  set_shown_text (self->arguments_label, arguments);
  gtk_widget_set_visible (GTK_WIDGET (self->result_heading), block->result != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->result_label), block->result != NULL);
  set_shown_text (self->result_label, block->result != NULL ? block->result : "");

  summary = byok_tool_block_describe (block);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->expander),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, summary,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("A tool the model used: open to see its arguments and result"),
                                  -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label), title);
}

GtkWidget *
byok_tool_block_view_new (void)
{
  return g_object_new (BYOK_TYPE_TOOL_BLOCK_VIEW, NULL);
}

static void
byok_tool_block_view_class_init (ByokToolBlockViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/byok/Byok/byok-tool-block-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ByokToolBlockView, expander);
  gtk_widget_class_bind_template_child (widget_class, ByokToolBlockView, state_icon);
  gtk_widget_class_bind_template_child (widget_class, ByokToolBlockView, title_label);
  gtk_widget_class_bind_template_child (widget_class, ByokToolBlockView, state_label);
  gtk_widget_class_bind_template_child (widget_class, ByokToolBlockView, arguments_label);
  gtk_widget_class_bind_template_child (widget_class, ByokToolBlockView, result_heading);
  gtk_widget_class_bind_template_child (widget_class, ByokToolBlockView, result_label);
}

static void
byok_tool_block_view_init (ByokToolBlockView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
