/* byok-cli-util.h — what byok-cli's subcommands share: option parsing,
 * aligned tables, JSON output, errors and waiting for async calls. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "byok-engine.h"

G_BEGIN_DECLS

/* Exit statuses */
#define BYOK_CLI_EXIT_OK      0
#define BYOK_CLI_EXIT_FAILED  1
#define BYOK_CLI_EXIT_USAGE   2

typedef struct _ByokCliTable ByokCliTable;

ByokCliTable *byok_cli_table_new        (guint          n_columns,
                                         ...);
void          byok_cli_table_add_row    (ByokCliTable  *table,
                                         ...);
void          byok_cli_table_add_rowv   (ByokCliTable  *table,
                                         const char   **cells);
void          byok_cli_table_set_align_right (ByokCliTable *table,
                                         guint          column);
guint         byok_cli_table_get_n_rows (ByokCliTable  *table);
void          byok_cli_table_print      (ByokCliTable  *table,
                                         FILE          *out);
void          byok_cli_table_free       (ByokCliTable  *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ByokCliTable, byok_cli_table_free)

gsize         byok_cli_display_width    (const char    *utf8);

gboolean      byok_cli_parse_options    (int           *argc,
                                         char        ***argv,
                                         const char    *parameter_string,
                                         const char    *summary,
                                         const GOptionEntry *entries,
                                         int           *exit_status);

void          byok_cli_print_json       (JsonNode      *node);
void          byok_cli_print_builder    (JsonBuilder   *builder);

int           byok_cli_fail             (const GError  *error);

/* --allow-http, the same in every command that sends a key */
#define BYOK_CLI_ALLOW_HTTP_ENTRY(flag) \
  { "allow-http", 0, 0, G_OPTION_ARG_NONE, (flag), \
    N_("Send keys over plain HTTP (http://) to another computer, for this command: anyone on the " \
       "network can read them"), NULL }
void          byok_cli_allow_http       (ByokEngine    *engine);
int           byok_cli_usage_error      (const char    *command,
                                         const char    *format,
                                         ...) G_GNUC_PRINTF (2, 3);

int           byok_cli_run_sub          (int          (*func) (int, char **),
                                         const char    *name,
                                         int            argc,
                                         char         **argv);

GAsyncResult *byok_cli_wait             (GAsyncResult **slot);
void          byok_cli_store_result     (GObject       *source,
                                         GAsyncResult  *result,
                                         gpointer       user_data);

G_END_DECLS
