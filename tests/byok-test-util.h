/* byok-test-util.h — small helpers several tests share */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>
#include <math.h>
#include <sqlite3.h>

#include "byok-attachment.h"
#include "byok-mcp-secrets.h"

G_BEGIN_DECLS

GAsyncResult *byok_test_wait_result (GAsyncResult **slot);
void    byok_test_store_result          (GObject        *source,
                                         GAsyncResult   *result,
                                         gpointer        user_data);
char   *byok_test_deep_json             (guint           depth);
GBytes *byok_test_load_fixture          (const char     *folder,
                                         const char     *name);
GString *byok_test_capture_log          (void);
char   *byok_test_read_fixture          (const char     *folder,
                                         const char     *name);
ByokAttachment *byok_test_load_attachment (const char *path,
                                          GError    **error);
guint   byok_test_wait_limit            (guint           value);
ByokMcpSecrets *byok_test_lookup_mcp_secrets (const char *server);
typedef struct _ByokTestBusCalls ByokTestBusCalls;
ByokTestBusCalls *byok_test_bus_calls_watch (void);
void    byok_test_bus_calls_sync        (ByokTestBusCalls *bc);
guint   byok_test_bus_calls_count       (ByokTestBusCalls *bc,
                                         const char       *name);
void    byok_test_bus_calls_end         (ByokTestBusCalls *bc);
void    byok_test_count_notify          (GObject        *object,
                                         GParamSpec     *pspec,
                                         guint          *count);
char   *byok_test_listen_loopback       (SoupServer     *server);
gboolean byok_test_library_loaded       (const char     *prefix);
char   *byok_test_describe_master       (sqlite3        *db);
char   *byok_test_make_dir              (const char     *name);
gint64  byok_test_local_us              (int             year,
                                         int             month,
                                         int             day,
                                         int             hour,
                                         int             minute,
                                         int             second);
void    byok_test_remove_tree           (const char     *path);
void    byok_test_assert_no_key         (const char     *what,
                                         const char     *data,
                                         gssize          len,
                                         const char     *key,
                                         gsize           shown,
                                         gsize           piece);

guint   byok_test_assert_in_no_file     (const char     *key,
                                         const char     *middle);

/* Writes an export to @file, in the first of the store's formats or
 * (@second) another */
typedef gboolean (*ByokTestExportFunc) (GFile     *file,
                                        gboolean   second,
                                        gpointer   data,
                                        GError   **error);
void    byok_test_assert_export_modes   (const char     *dir,
                                         const char     *suffix,
                                         ByokTestExportFunc export_to,
                                         gpointer        data);

/* A price per million tokens is @expected (NAN: unknown). */
#define byok_test_assert_rate(rate, expected) G_STMT_START {     \
    double rate_ = (rate), expected_ = (expected);                 \
    if (isnan (expected_))                                         \
      g_assert_true (isnan (rate_));                               \
    else                                                           \
      g_assert_cmpfloat_with_epsilon (rate_, expected_, 1e-9);     \
  } G_STMT_END

G_END_DECLS
