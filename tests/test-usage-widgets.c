/* test-usage-widgets.c — the Usage dashboard's drawing widgets under Xvfb:
 * the cost chart (what it draws, where its bars are, its tooltips, its empty
 * state and accessible label), the summary card, and the format helpers. */
#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "byok-test-ui.h"
#include "byok-test-util.h"
#include "byok-cost-chart.h"
#include "byok-format.h"
#include "byok-summary-card.h"
#include "byok-test-util.h"

#define CHART_WIDTH  600
#define CHART_HEIGHT 300

static const char * const bar_labels[] = {
  "Nov 1", "Nov 2", "Nov 3", "Nov 4", "Nov 5", "Nov 6", "Nov 7",
};
static const char * const series_names[] = { "OpenAI", "Anthropic", "Gemini" };

/* 7 bars × 3 series. Bar 2 is OpenAI + Anthropic; bar 4 is empty. */
static const double values[] = {
  0.50, 0.25, 0.10,
  0.80, 0.00, 0.30,
  1.20, 0.40, 0.00,
  0.30, 0.30, 0.30,
  0.00, 0.00, 0.00,
  2.00, 0.50, 0.20,
  0.10, 0.00, 0.05,
};
/* Their sum. */
#define GRAND_TOTAL "$7.30"

static const double zeros[G_N_ELEMENTS (values)] = { 0 };

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until the widget is mapped and has its final size. */
static void
wait_for_size (GtkWidget *widget,
               int        width,
               int        height)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (byok_test_wait_limit (20), timeout_cb, &timed_out);

  while (!timed_out &&
         !(gtk_widget_get_mapped (widget) &&
           gtk_widget_get_width (widget) == width &&
           gtk_widget_get_height (widget) == height))
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (timed_out);
  g_source_remove (id);
  byok_test_ui_iterate_pending ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

/* Runs the main loop until the window has done one layout and paint, so a
 * change queued before (new data, a resize) has reached the allocation. */
static void
wait_for_frame (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean painted = FALSE;
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (byok_test_wait_limit (20), timeout_cb, &timed_out);
  gulong handler;

  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);
  gtk_widget_queue_draw (widget);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_LAYOUT | GDK_FRAME_CLOCK_PHASE_PAINT);
  while (!painted && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (timed_out);
  g_signal_handler_disconnect (clock, handler);
  g_source_remove (id);
}

static GtkWidget *
chart_window (GtkWidget **chart_out)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *chart = byok_cost_chart_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), CHART_WIDTH, CHART_HEIGHT);
  gtk_window_set_resizable (GTK_WINDOW (window), FALSE);
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_child (GTK_WINDOW (window), chart);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_size (chart, CHART_WIDTH, CHART_HEIGHT);

  *chart_out = chart;
  return window;
}

/* Renders the widget as its parent draws it, through the window's own
 * renderer, into premultiplied BGRA (Cairo ARGB32) pixels. */
static guchar *
render (GtkWidget *widget,
        int       *width,
        int       *height)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer;
  graphene_rect_t bounds;
  guchar *pixels;

  wait_for_frame (widget);
  *width = gtk_widget_get_width (widget);
  *height = gtk_widget_get_height (widget);
  g_assert_true (gtk_widget_compute_bounds (widget, parent, &bounds));
  gtk_widget_snapshot_child (parent, widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  g_assert_nonnull (renderer);
  texture = gsk_renderer_render_texture (renderer, node, &bounds);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, *width);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, *height);

  pixels = g_malloc ((gsize) *width * *height * 4);
  gdk_texture_download (texture, pixels, (gsize) *width * 4);
  return pixels;
}

static gboolean
pixel_is (const guchar  *pixels,
          int            width,
          int            x,
          int            y,
          const GdkRGBA *color)
{
  const guchar *p = pixels + ((gsize) y * width + x) * 4;
  guint32 argb;

  memcpy (&argb, p, 4);
  return (argb >> 24) == 0xff &&
         abs ((int) ((argb >> 16) & 0xff) - (int) round (color->red * 255)) <= 2 &&
         abs ((int) ((argb >> 8) & 0xff) - (int) round (color->green * 255)) <= 2 &&
         abs ((int) (argb & 0xff) - (int) round (color->blue * 255)) <= 2;
}

static gboolean
column_has (const guchar  *pixels,
            int            width,
            int            height,
            int            x,
            const GdkRGBA *color,
            int           *y_out)
{
  for (int y = height - 1; y >= 0; y--)
    if (pixel_is (pixels, width, x, y, color))
      {
        if (y_out)
          *y_out = y;
        return TRUE;
      }
  return FALSE;
}

/* The highest pixel of any series colour in a column. */
static int
bar_top (ByokCostChart *chart,
         const guchar  *pixels,
         int            width,
         int            height,
         int            x)
{
  for (int y = 0; y < height; y++)
    for (guint s = 0; s < G_N_ELEMENTS (series_names); s++)
      {
        GdkRGBA color;

        byok_cost_chart_get_series_color (chart, s, &color);
        if (pixel_is (pixels, width, x, y, &color))
          return y;
      }
  return height;
}

static gboolean
has_any_pixel (const guchar *pixels,
               int           width,
               int           height)
{
  for (gsize i = 0; i < (gsize) width * height; i++)
    if (pixels[i * 4 + 3] != 0)
      return TRUE;
  return FALSE;
}

/* The drawing, the hit testing and the data agree: the first series' colour
 * appears in one run of columns per bar that cost something, in order, and
 * get_bar_at() over each run names that bar. */
static void
test_chart_bars (void)
{
  GtkWidget *chart;
  GtkWidget *window = chart_window (&chart);
  ByokCostChart *c = BYOK_COST_CHART (chart);
  GdkRGBA blue, orange, green;
  g_autofree guchar *pixels = NULL;
  int width, height;
  int runs[8][2];
  guint n_runs = 0;
  gboolean in_run = FALSE;
  int bar_y = -1;
  static const int bars_with_openai[] = { 0, 1, 2, 3, 5, 6 };

  byok_cost_chart_set_data (c, G_N_ELEMENTS (bar_labels), bar_labels,
                            G_N_ELEMENTS (series_names), series_names, values);
  byok_test_ui_iterate_pending ();
  g_assert_false (byok_cost_chart_is_empty (c));

  byok_cost_chart_get_series_color (c, 0, &blue);
  byok_cost_chart_get_series_color (c, 1, &orange);
  byok_cost_chart_get_series_color (c, 2, &green);
  g_assert_false (gdk_rgba_equal (&blue, &orange));
  g_assert_false (gdk_rgba_equal (&orange, &green));

  pixels = render (chart, &width, &height);
  g_assert_cmpint (width, ==, CHART_WIDTH);
  g_assert_cmpint (height, ==, CHART_HEIGHT);

  /* The bars stand on one row: the lowest blue row that most columns
   * share (the legend's blue swatch is lower, but narrow). */
  {
    g_autofree int *votes = g_new0 (int, height);
    int best = 0;

    for (int x = 0; x < width; x++)
      {
        int y;

        if (column_has (pixels, width, height, x, &blue, &y))
          votes[y]++;
      }
    for (int y = 0; y < height; y++)
      if (votes[y] > best)
        {
          best = votes[y];
          bar_y = y;
        }
  }
  g_assert_cmpint (bar_y, >, 0);

  for (int x = 0; x < width; x++)
    {
      gboolean has = pixel_is (pixels, width, x, bar_y, &blue);

      if (has && !in_run)
        {
          g_assert_cmpuint (n_runs, <, G_N_ELEMENTS (runs));
          runs[n_runs][0] = x;
          n_runs++;
        }
      if (!has && in_run)
        runs[n_runs - 1][1] = x - 1;
      in_run = has;
    }
  if (in_run)
    runs[n_runs - 1][1] = width - 1;

  /* One run per bar with an OpenAI cost: bar 4 cost nothing. */
  g_assert_cmpuint (n_runs, ==, G_N_ELEMENTS (bars_with_openai));

  for (guint i = 0; i < G_N_ELEMENTS (bars_with_openai); i++)
    {
      int center = (runs[i][0] + runs[i][1]) / 2;
      int blue_y = -1;
      int orange_y = -1;

      g_assert_true (column_has (pixels, width, height, center, &blue, &blue_y));
      g_assert_cmpint (byok_cost_chart_get_bar_at (c, center, blue_y), ==, bars_with_openai[i]);
      /* Anywhere in the column, above the bar too. */
      g_assert_cmpint (byok_cost_chart_get_bar_at (c, center, 10), ==, bars_with_openai[i]);

      /* Anthropic is stacked on top of OpenAI where it cost something. */
      if (values[bars_with_openai[i] * 3 + 1] > 0)
        {
          g_assert_true (column_has (pixels, width, height, center, &orange, &orange_y));
          g_assert_cmpint (orange_y, <, blue_y);
        }
      else
        g_assert_false (column_has (pixels, width, height, center, &orange, NULL));
    }

  /* Bar 2 ($1.60) is taller than bar 1 ($1.10). */
  g_assert_cmpint (bar_top (c, pixels, width, height, (runs[2][0] + runs[2][1]) / 2), <,
                   bar_top (c, pixels, width, height, (runs[1][0] + runs[1][1]) / 2));

  /* The empty bar 4 still has its column between bars 3 and 5. */
  g_assert_cmpint (byok_cost_chart_get_bar_at (c, (runs[3][1] + runs[4][0]) / 2, bar_y), ==, 4);

  /* Empty space: the dollar labels on the left, the legend at the bottom,
   * outside the widget. */
  g_assert_cmpint (byok_cost_chart_get_bar_at (c, 1, bar_y), ==, -1);
  g_assert_cmpint (byok_cost_chart_get_bar_at (c, runs[0][0], height - 1), ==, -1);
  g_assert_cmpint (byok_cost_chart_get_bar_at (c, -5, bar_y), ==, -1);
  g_assert_cmpint (byok_cost_chart_get_bar_at (c, width + 5, bar_y), ==, -1);

  byok_test_ui_destroy_window (&window);
}

static void
test_chart_tooltip (void)
{
  GtkWidget *chart = byok_cost_chart_new ();
  ByokCostChart *c = BYOK_COST_CHART (g_object_ref_sink (chart));
  g_autofree char *bar2 = NULL;
  g_autofree char *bar4 = NULL;
  g_autofree char *bar6 = NULL;

  byok_cost_chart_set_data (c, G_N_ELEMENTS (bar_labels), bar_labels,
                            G_N_ELEMENTS (series_names), series_names, values);

  bar2 = byok_cost_chart_get_tooltip_text (c, 2);
  g_assert_cmpstr (bar2, ==, "Nov 3\nOpenAI: $1.20\nAnthropic: $0.40\nTotal: $1.60");
  bar6 = byok_cost_chart_get_tooltip_text (c, 6);
  g_assert_cmpstr (bar6, ==, "Nov 7\nOpenAI: $0.10\nGemini: $0.05\nTotal: $0.15");
  bar4 = byok_cost_chart_get_tooltip_text (c, 4);
  g_assert_cmpstr (bar4, ==, "Nov 5\nNo spending");
  g_assert_null (byok_cost_chart_get_tooltip_text (c, 7));
  g_assert_null (byok_cost_chart_get_tooltip_text (c, -1));

  g_object_unref (c);
}

/* Sends @keyval to @widget's key controllers, as a key press would. */
static gboolean
press_key (GtkWidget *widget,
           guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, (GdkModifierType) 0, &handled);
    }
  return handled;
}

static const char *
popover_text (GtkWidget *chart)
{
  for (GtkWidget *child = gtk_widget_get_first_child (chart); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER (child))
      return gtk_widget_get_visible (child)
             ? gtk_label_get_text (GTK_LABEL (gtk_popover_get_child (GTK_POPOVER (child))))
             : NULL;
  return NULL;
}

/* The chart takes the focus; the arrow keys go from day to day, each
 * day's figures in a popover beside its bar; Escape closes it, leaving
 * the chart closes it too. */
static void
test_chart_keyboard (void)
{
  GtkWidget *chart;
  GtkWidget *window = chart_window (&chart);
  ByokCostChart *c = BYOK_COST_CHART (chart);
  const char *text;

  byok_cost_chart_set_data (c, G_N_ELEMENTS (bar_labels), bar_labels,
                            G_N_ELEMENTS (series_names), series_names, values);
  g_assert_true (gtk_widget_get_focusable (chart));
  g_assert_true (gtk_widget_grab_focus (chart));
  g_assert_cmpint (byok_cost_chart_get_selected_bar (c), ==, -1);
  g_assert_null (popover_text (chart));

  /* The first arrow chooses the last day. */
  g_assert_true (press_key (chart, GDK_KEY_Left));
  g_assert_cmpint (byok_cost_chart_get_selected_bar (c), ==, 6);
  wait_for_frame (chart);
  text = popover_text (chart);
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "Nov 7"));
  g_assert_nonnull (strstr (text, "OpenAI: $0.10"));
  g_assert_nonnull (strstr (text, "Total: $0.15"));

  g_assert_true (press_key (chart, GDK_KEY_Left));
  g_assert_true (press_key (chart, GDK_KEY_Left));
  g_assert_cmpint (byok_cost_chart_get_selected_bar (c), ==, 4);
  g_assert_nonnull (strstr (popover_text (chart), "No spending"));
  g_assert_true (press_key (chart, GDK_KEY_Home));
  g_assert_true (press_key (chart, GDK_KEY_Left));
  g_assert_cmpint (byok_cost_chart_get_selected_bar (c), ==, 0);
  g_assert_true (press_key (chart, GDK_KEY_Right));
  g_assert_cmpint (byok_cost_chart_get_selected_bar (c), ==, 1);
  g_assert_nonnull (strstr (popover_text (chart), "Nov 2"));
  g_assert_true (press_key (chart, GDK_KEY_End));
  g_assert_true (press_key (chart, GDK_KEY_Right));
  g_assert_cmpint (byok_cost_chart_get_selected_bar (c), ==, 6);
  wait_for_frame (chart);

  /* Escape closes; another Escape is not the chart's. */
  g_assert_true (press_key (chart, GDK_KEY_Escape));
  g_assert_cmpint (byok_cost_chart_get_selected_bar (c), ==, -1);
  g_assert_null (popover_text (chart));
  g_assert_false (press_key (chart, GDK_KEY_Escape));
  g_assert_false (press_key (chart, GDK_KEY_a));

  /* Leaving the chart closes the figures; new data does too. */
  g_assert_true (press_key (chart, GDK_KEY_Right));
  g_assert_nonnull (popover_text (chart));
  byok_cost_chart_set_data (c, G_N_ELEMENTS (bar_labels), bar_labels,
                            G_N_ELEMENTS (series_names), series_names, values);
  g_assert_null (popover_text (chart));
  g_assert_true (press_key (chart, GDK_KEY_Right));
  g_assert_nonnull (popover_text (chart));
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  g_assert_cmpint (byok_cost_chart_get_selected_bar (c), ==, -1);
  g_assert_null (popover_text (chart));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_chart_accessible (void)
{
  GtkWidget *chart;
  GtkWidget *window = chart_window (&chart);
  ByokCostChart *c = BYOK_COST_CHART (chart);

  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_ROLE_IMG);

  byok_cost_chart_set_period (c, "the last 7 days");
  g_assert_cmpstr (byok_cost_chart_get_period (c), ==, "the last 7 days");
  byok_cost_chart_set_data (c, G_N_ELEMENTS (bar_labels), bar_labels,
                            G_N_ELEMENTS (series_names), series_names, values);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Cost by provider over the last 7 days: total " GRAND_TOTAL);
  /* Largest first. */
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "OpenAI: $4.90, Anthropic: $1.45, Gemini: $0.95");

  byok_cost_chart_set_period (c, NULL);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Cost by provider: total " GRAND_TOTAL);

  byok_cost_chart_clear (c);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Cost by provider: no spending");

  byok_test_ui_destroy_window (&window);
}

/* All zeros (or nothing) is the empty state: no bars, no hits, a message. */
static void
test_chart_empty (void)
{
  GtkWidget *chart;
  GtkWidget *window = chart_window (&chart);
  ByokCostChart *c = BYOK_COST_CHART (chart);
  g_autofree guchar *pixels = NULL;
  int width, height;

  g_assert_true (byok_cost_chart_is_empty (c));

  byok_cost_chart_set_data (c, G_N_ELEMENTS (bar_labels), bar_labels,
                            G_N_ELEMENTS (series_names), series_names, zeros);
  byok_test_ui_iterate_pending ();
  g_assert_true (byok_cost_chart_is_empty (c));
  g_assert_cmpint (byok_cost_chart_get_bar_at (c, CHART_WIDTH / 2, CHART_HEIGHT / 2), ==, -1);

  pixels = render (chart, &width, &height);
  /* The message is drawn … */
  g_assert_true (has_any_pixel (pixels, width, height));
  /* … and no bar or legend. */
  for (guint s = 0; s < G_N_ELEMENTS (series_names); s++)
    {
      GdkRGBA color;

      byok_cost_chart_get_series_color (c, s, &color);
      for (int x = 0; x < width; x++)
        g_assert_false (column_has (pixels, width, height, x, &color, NULL));
    }

  /* Data, then nothing again. */
  byok_cost_chart_set_data (c, G_N_ELEMENTS (bar_labels), bar_labels,
                            G_N_ELEMENTS (series_names), series_names, values);
  g_assert_false (byok_cost_chart_is_empty (c));
  byok_cost_chart_clear (c);
  g_assert_true (byok_cost_chart_is_empty (c));
  byok_test_ui_iterate_pending ();
  g_clear_pointer (&pixels, g_free);
  pixels = render (chart, &width, &height);
  g_assert_true (has_any_pixel (pixels, width, height));

  byok_test_ui_destroy_window (&window);
}

/* Many bars in a narrow chart: it still fits a 360 px window, draws, and
 * every column answers. */
static void
test_chart_narrow (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *chart = byok_cost_chart_new ();
  ByokCostChart *c = BYOK_COST_CHART (chart);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autofree double *many = g_new0 (double, 90 * 2);
  g_autofree guchar *pixels = NULL;
  const char * const two[] = { "OpenAI", "A provider with a rather long display name" };
  int min_width, nat_height, width, height;

  for (guint i = 0; i < 90; i++)
    {
      g_ptr_array_add (labels, g_strdup_printf ("Day %u", i + 1));
      many[i * 2] = i * 0.01;
      many[i * 2 + 1] = (i % 7) * 0.02;
    }
  g_ptr_array_add (labels, NULL);
  byok_cost_chart_set_data (c, 90, (const char * const *) labels->pdata, 2, two, many);

  gtk_widget_measure (chart, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  g_assert_cmpint (min_width, <=, 300);
  gtk_widget_measure (chart, GTK_ORIENTATION_VERTICAL, 600, NULL, &nat_height, NULL, NULL);
  g_assert_cmpint (nat_height, >=, 200);
  g_assert_cmpint (nat_height, <=, 260);

  gtk_window_set_default_size (GTK_WINDOW (window), 300, 280);
  gtk_window_set_resizable (GTK_WINDOW (window), FALSE);
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_child (GTK_WINDOW (window), chart);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_size (chart, 300, 280);

  pixels = render (chart, &width, &height);
  g_assert_true (has_any_pixel (pixels, width, height));
  {
    int seen = -1;

    for (int x = 0; x < width; x++)
      {
        int bar = byok_cost_chart_get_bar_at (c, x, 20);

        if (bar >= 0)
          {
            /* Left to right, no bar skipped. */
            g_assert_true (bar == seen || bar == seen + 1);
            seen = bar;
          }
      }
    g_assert_cmpint (seen, ==, 89);
  }

  byok_test_ui_destroy_window (&window);
}

static void
collect_labels (GtkWidget *widget,
                GPtrArray *texts)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    g_ptr_array_add (texts, (gpointer) gtk_label_get_label (GTK_LABEL (widget)));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    collect_labels (c, texts);
}

static void
test_summary_card (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *card = byok_summary_card_new ("Today", "$1.24", "38 calls · 2 failed");
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  guint notified = 0;

  gtk_window_set_child (GTK_WINDOW (window), card);
  gtk_window_present (GTK_WINDOW (window));
  byok_test_ui_iterate_pending ();

  g_assert_true (gtk_widget_has_css_class (card, "card"));
  g_assert_cmpstr (byok_summary_card_get_title (BYOK_SUMMARY_CARD (card)), ==, "Today");
  g_assert_cmpstr (byok_summary_card_get_value (BYOK_SUMMARY_CARD (card)), ==, "$1.24");
  g_assert_cmpstr (byok_summary_card_get_detail (BYOK_SUMMARY_CARD (card)), ==, "38 calls · 2 failed");

  collect_labels (card, texts);
  g_assert_cmpuint (texts->len, ==, 3);
  g_assert_cmpstr (texts->pdata[0], ==, "Today");
  g_assert_cmpstr (texts->pdata[1], ==, "$1.24");
  g_assert_cmpstr (texts->pdata[2], ==, "38 calls · 2 failed");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Today: $1.24, 38 calls, 2 failed");

  /* The big figure uses tabular digits. */
  {
    GtkWidget *value = NULL;

    for (GtkWidget *w = gtk_widget_get_first_child (gtk_widget_get_first_child (card)); w; w = gtk_widget_get_next_sibling (w))
      if (g_strcmp0 (gtk_label_get_label (GTK_LABEL (w)), "$1.24") == 0)
        value = w;
    g_assert_nonnull (value);
    g_assert_true (gtk_widget_has_css_class (value, "numeric"));
  }

  /* Properties notify once per change, and not for the same value. */
  g_signal_connect (card, "notify::value", G_CALLBACK (byok_test_count_notify), &notified);
  g_object_set (card, "value", "$2.00", NULL);
  g_assert_cmpuint (notified, ==, 1);
  g_object_set (card, "value", "$2.00", NULL);
  g_assert_cmpuint (notified, ==, 1);

  /* No detail: the line goes, and the accessible label drops it. */
  g_object_set (card, "title", "Cache savings", "detail", "", NULL);
  g_ptr_array_set_size (texts, 0);
  collect_labels (card, texts);
  g_assert_cmpuint (texts->len, ==, 2);
  g_assert_cmpstr (texts->pdata[0], ==, "Cache savings");
  g_assert_cmpstr (texts->pdata[1], ==, "$2.00");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Cache savings: $2.00");

  byok_test_ui_destroy_window (&window);
}

static void
test_format_usd (void)
{
  static const struct {
    double      usd;
    const char *expected;
  } cases[] = {
    { 0, "$0.00" },
    { 0.0042, "$0.0042" },
    { 0.004249, "$0.0042" },
    { 0.005, "$0.0050" },
    { 0.000012345, "$0.000012" },
    { 0.00999, "$0.01" },
    { 0.01, "$0.01" },
    { 0.125, "$0.13" },
    { 1.24, "$1.24" },
    { 999.999, "$1,000.00" },
    { 1234.5, "$1,234.50" },
    { 1234567.891, "$1,234,567.89" },
    { -1.5, "-$1.50" },
    { -0.0001, "-$0.00010" },
    { -0.001, "-$0.0010" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = byok_format_usd (cases[i].usd);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }

  {
    g_autofree char *unknown = byok_format_usd_unknown ();
    g_autofree char *nan_text = byok_format_usd (NAN);
    g_autofree char *inf_text = byok_format_usd (INFINITY);

    g_assert_cmpstr (unknown, ==, "unknown");
    g_assert_cmpstr (nan_text, ==, "unknown");
    g_assert_cmpstr (inf_text, ==, "unknown");
  }
}

static void
test_format_usd_compact (void)
{
  static const struct {
    double      usd;
    double      resolution;
    const char *expected;
  } cases[] = {
    { 0, 0.5, "$0" },
    { 0.5, 0.5, "$0.50" },
    { 1.5, 0.5, "$1.50" },
    { 0.25, 0.25, "$0.25" },
    { 0.025, 0.025, "$0.025" },
    { 0.002, 0.001, "$0.002" },
    { 12, 4, "$12" },
    { 500, 500, "$500" },
    { 1000, 500, "$1k" },
    { 1500, 500, "$1.5k" },
    { 7500, 2500, "$7.5k" },
    { 1250, 250, "$1.25k" },
    { 20000, 10000, "$20k" },
    { 3e6, 1e6, "$3M" },
    { 1234, 0, "$1.2k" },
    { 12.34, 0, "$12.34" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = byok_format_usd_compact (cases[i].usd, cases[i].resolution);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_format_tokens (void)
{
  static const struct {
    gint64      n;
    const char *tokens;
    const char *count;
  } cases[] = {
    { 0, "0", "0" },
    { 999, "999", "999" },
    { 1234, "1,234", "1,234" },
    { 9999, "9,999", "9,999" },
    { 10000, "10k", "10,000" },
    { 12400, "12.4k", "12,400" },
    { 99949, "99.9k", "99,949" },
    { 99960, "100k", "99,960" },
    { 123456, "123k", "123,456" },
    { 999960, "1M", "999,960" },
    { 3100000, "3.1M", "3,100,000" },
    { G_GINT64_CONSTANT (2500000000), "2.5B", "2,500,000,000" },
    { -1234, "-1,234", "-1,234" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *tokens = byok_format_tokens (cases[i].n);
      g_autofree char *count = byok_format_count (cases[i].n);

      g_assert_cmpstr (tokens, ==, cases[i].tokens);
      g_assert_cmpstr (count, ==, cases[i].count);
    }
}

static void
test_format_duration (void)
{
  static const struct {
    gint64      us;
    const char *expected;
  } cases[] = {
    { -5, "0 ms" },
    { 0, "0 ms" },
    { 499, "0 ms" },
    { 850000, "850 ms" },
    { 999499, "999 ms" },
    { 999500, "1.0 s" },
    { 2400000, "2.4 s" },
    { 59949999, "59.9 s" },
    { 59950000, "1 min 0 s" },
    { 185000000, "3 min 5 s" },
    { G_GINT64_CONSTANT (3720000000), "1 h 2 min" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = byok_format_duration_us (cases[i].us);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

int
main (int argc, char **argv)
{
  /* The test AT context keeps accessible properties where
   * gtk_test_accessible_assert_property() can read them; "none", which the
   * test environment sets, keeps none. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  byok_test_ui_init (&argc, &argv, NULL);
  /* A drawing warning is a failure too. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_FATAL_MASK);

  g_test_add_func ("/usage-widgets/chart/bars", test_chart_bars);
  g_test_add_func ("/usage-widgets/chart/tooltip", test_chart_tooltip);
  g_test_add_func ("/usage-widgets/chart/accessible", test_chart_accessible);
  g_test_add_func ("/usage-widgets/chart/keyboard", test_chart_keyboard);
  g_test_add_func ("/usage-widgets/chart/empty", test_chart_empty);
  g_test_add_func ("/usage-widgets/chart/narrow", test_chart_narrow);
  g_test_add_func ("/usage-widgets/summary-card", test_summary_card);
  g_test_add_func ("/usage-widgets/format/usd", test_format_usd);
  g_test_add_func ("/usage-widgets/format/usd-compact", test_format_usd_compact);
  g_test_add_func ("/usage-widgets/format/tokens", test_format_tokens);
  g_test_add_func ("/usage-widgets/format/duration", test_format_duration);
  return g_test_run ();
}
