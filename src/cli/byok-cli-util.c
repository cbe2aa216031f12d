/* byok-cli-util.c — shared helpers of byok-cli's subcommands */
#define G_LOG_DOMAIN "byok-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "byok-cli-util.h"
#include "byok-error.h"

struct _ByokCliTable
{
  guint      n_columns;
  GPtrArray *rows;          /* GStrv, the first one the header */
  gboolean  *align_right;
};

/* Columns as a terminal shows them: wide (CJK) characters take two cells,
 * combining marks none. */
gsize
byok_cli_display_width (const char *utf8)
{
  gsize width = 0;

  if (utf8 == NULL)
    return 0;
  for (const char *p = utf8; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

/* A table of @n_columns; the varargs are the header cells. */
ByokCliTable *
byok_cli_table_new (guint n_columns,
                    ...)
{
  ByokCliTable *table = g_new0 (ByokCliTable, 1);
  char **header = g_new0 (char *, n_columns + 1);
  va_list args;

  table->n_columns = n_columns;
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  table->align_right = g_new0 (gboolean, n_columns);
  va_start (args, n_columns);
  for (guint i = 0; i < n_columns; i++)
    header[i] = g_strdup (va_arg (args, const char *));
  va_end (args);
  g_ptr_array_add (table->rows, header);
  return table;
}

void
byok_cli_table_add_row (ByokCliTable *table,
                        ...)
{
  char **row = g_new0 (char *, table->n_columns + 1);
  va_list args;

  va_start (args, table);
  for (guint i = 0; i < table->n_columns; i++)
    {
      const char *cell = va_arg (args, const char *);
      row[i] = g_strdup (cell ? cell : "");
    }
  va_end (args);
  g_ptr_array_add (table->rows, row);
}

void
byok_cli_table_add_rowv (ByokCliTable  *table,
                         const char   **cells)
{
  char **row = g_new0 (char *, table->n_columns + 1);

  for (guint i = 0; i < table->n_columns; i++)
    row[i] = g_strdup (cells[i] ? cells[i] : "");
  g_ptr_array_add (table->rows, row);
}

void
byok_cli_table_set_align_right (ByokCliTable *table,
                                guint         column)
{
  g_return_if_fail (column < table->n_columns);
  table->align_right[column] = TRUE;
}

/* Data rows, not counting the header. */
guint
byok_cli_table_get_n_rows (ByokCliTable *table)
{
  return table->rows->len - 1;
}

static void
pad (FILE  *out,
     gsize  n)
{
  for (gsize i = 0; i < n; i++)
    fputc (' ', out);
}

void
byok_cli_table_print (ByokCliTable *table,
                      FILE         *out)
{
  g_autofree gsize *widths = g_new0 (gsize, table->n_columns);

  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);
      for (guint c = 0; c < table->n_columns; c++)
        widths[c] = MAX (widths[c], byok_cli_display_width (row[c]));
    }

  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);
      for (guint c = 0; c < table->n_columns; c++)
        {
          gsize w = byok_cli_display_width (row[c]);
          gboolean last = c + 1 == table->n_columns;

          if (table->align_right[c])
            pad (out, widths[c] - w);
          fputs (row[c], out);
          if (!last)
            {
              if (!table->align_right[c])
                pad (out, widths[c] - w);
              fputs ("  ", out);
            }
        }
      fputc ('\n', out);
    }
}

void
byok_cli_table_free (ByokCliTable *table)
{
  if (table == NULL)
    return;
  g_ptr_array_unref (table->rows);
  g_free (table->align_right);
  g_free (table);
}

/* Parses the options of a subcommand. Returns FALSE when the command should
 * exit at once with *exit_status: 0 after --help, 2 after a usage error. */
gboolean
byok_cli_parse_options (int                 *argc,
                        char              ***argv,
                        const char          *parameter_string,
                        const char          *summary,
                        const GOptionEntry  *entries,
                        int                 *exit_status)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameter_string);
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("byok-cli %s", (*argv)[0]);

  g_set_prgname (prgname);
  g_option_context_set_summary (context, summary);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("%s: %s\n", prgname, error->message);
      g_printerr (_("Run “%s --help” for the options.\n"), prgname);
      *exit_status = BYOK_CLI_EXIT_USAGE;
      return FALSE;
    }
  *exit_status = BYOK_CLI_EXIT_OK;
  return TRUE;
}

void
byok_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, NULL);
  puts (text);
}

void
byok_cli_print_builder (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  byok_cli_print_json (root);
}

/* --allow-http: every provider may take its key over plain HTTP, for this
 * process only (the Providers page's switch is the lasting setting). */
void
byok_cli_allow_http (ByokEngine *engine)
{
  g_autoptr(GPtrArray) providers = byok_catalog_get_providers (byok_engine_get_catalog (engine));

  for (guint i = 0; i < providers->len; i++)
    byok_provider_set_allow_http (g_ptr_array_index (providers, i), TRUE);
}

/* Prints a failed operation's message, with its class, and returns the exit
 * status of a failure. */
int
byok_cli_fail (const GError *error)
{
  g_printerr ("byok-cli: %s [%s]\n", error->message, byok_error_get_class (error));
  return BYOK_CLI_EXIT_FAILED;
}

int
byok_cli_usage_error (const char *command,
                      const char *format,
                      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("byok-cli %s: %s\n", command, message);
  g_printerr (_("Run “byok-cli %s --help” for the options.\n"), command);
  return BYOK_CLI_EXIT_USAGE;
}

/* The GAsyncReadyCallback that stores its result in *(GAsyncResult **)user_data. */
void
byok_cli_store_result (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

/* Runs the default main context until the async call that was given
 * byok_cli_store_result and @slot has finished; returns its result (owned by
 * the caller through *slot). */
GAsyncResult *
byok_cli_wait (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* Runs a subcommand with argv[0] @name ("keys set"), so that its --help and
 * its errors name it in full. */
int
byok_cli_run_sub (int          (*func) (int, char **),
                  const char    *name,
                  int            argc,
                  char         **argv)
{
  g_autofree char **args = g_new0 (char *, argc + 1);

  for (int i = 0; i < argc; i++)
    args[i] = argv[i];
  args[0] = (char *) name;
  return func (argc, args);
}
