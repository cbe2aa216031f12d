/* byok-mcp-stdio-transport.c — an MCP server as a child process */
#define G_LOG_DOMAIN "byok-mcp"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "byok-error.h"
#include "byok-key-format.h"
#include "byok-mcp-stdio-transport.h"

/* The longest line a server may send: a tool's answer can hold an image
 * as base64, but not without bound. */
#define MAX_LINE (32 * 1024 * 1024)
#define READ_CHUNK 65536
#define DEFAULT_GRACE_MS 2000

struct _ByokMcpStdioTransport
{
  ByokMcpTransport parent_instance;

  GStrv argv;
  GHashTable *env;            /* name → value (secrets: wiped at the end) */
  char *log_path;
  guint grace_ms;

  GSubprocess *proc;
  GOutputStream *in;
  GInputStream *out;
  GInputStream *err;
  GCancellable *io_cancellable;
  GByteArray *line;

  GQueue writes;              /* GTask, each with its bytes as task data */
  gboolean writing;

  GFileOutputStream *log;
  goffset log_size;

  gboolean out_eof;
  gboolean exited;
  gboolean closing;
  GError *failure;            /* why reading stopped early */
  GPtrArray *close_tasks;
  guint grace_source;
  guint grace_step;
};

G_DEFINE_FINAL_TYPE (ByokMcpStdioTransport, byok_mcp_stdio_transport, BYOK_TYPE_MCP_TRANSPORT)

static void read_out (ByokMcpStdioTransport *self);
static void read_err (ByokMcpStdioTransport *self);
static void write_next (ByokMcpStdioTransport *self);


static void
byok_mcp_stdio_transport_dispose (GObject *object)
{
  ByokMcpStdioTransport *self = BYOK_MCP_STDIO_TRANSPORT (object);

  /* Nobody holds the server any more: it must not outlive its client. */
  if (self->proc != NULL && !self->exited)
    g_subprocess_force_exit (self->proc);
  g_cancellable_cancel (self->io_cancellable);
  g_clear_handle_id (&self->grace_source, g_source_remove);
  G_OBJECT_CLASS (byok_mcp_stdio_transport_parent_class)->dispose (object);
}

static void
byok_mcp_stdio_transport_finalize (GObject *object)
{
  ByokMcpStdioTransport *self = BYOK_MCP_STDIO_TRANSPORT (object);

  g_strfreev (self->argv);
  g_clear_pointer (&self->env, g_hash_table_unref);
  g_free (self->log_path);
  g_clear_object (&self->proc);
  g_clear_object (&self->in);
  g_clear_object (&self->out);
  g_clear_object (&self->err);
  g_clear_object (&self->io_cancellable);
  g_clear_pointer (&self->line, g_byte_array_unref);
  g_queue_clear_full (&self->writes, g_object_unref);
  g_clear_object (&self->log);
  g_clear_error (&self->failure);
  g_clear_pointer (&self->close_tasks, g_ptr_array_unref);
  G_OBJECT_CLASS (byok_mcp_stdio_transport_parent_class)->finalize (object);
}

/* ---- the log ---- */

static void
log_open (ByokMcpStdioTransport *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  if (self->log_path == NULL)
    return;
  file = g_file_new_for_path (self->log_path);
  dir = g_file_get_parent (file);
  if (g_mkdir_with_parents (g_file_peek_path (dir), 0700) != 0)
    return;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (info != NULL && g_file_info_get_size (info) > BYOK_MCP_STDIO_LOG_MAX / 2)
    {
      g_autofree char *old = g_strconcat (self->log_path, ".old", NULL);

      g_rename (self->log_path, old);
    }

  g_clear_object (&self->log);
  self->log = g_file_append_to (file, G_FILE_CREATE_PRIVATE, NULL, &error);
  if (self->log == NULL)
    {
      g_debug ("%s: no log at %s: %s", byok_mcp_transport_get_name (BYOK_MCP_TRANSPORT (self)),
               self->log_path, error->message);
      return;
    }
  g_clear_object (&info);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  self->log_size = info != NULL ? g_file_info_get_size (info) : 0;
}

/* Appends to the log, starting a new file past the bound. The log is a
 * small local file: written in place. */
static void
log_write (ByokMcpStdioTransport *self,
           const void            *data,
           gsize                  len)
{
  if (self->log == NULL)
    return;
  if (self->log_size + (goffset) len > BYOK_MCP_STDIO_LOG_MAX)
    {
      g_output_stream_close (G_OUTPUT_STREAM (self->log), NULL, NULL);
      self->log_size = BYOK_MCP_STDIO_LOG_MAX;  /* log_open() moves it aside */
      log_open (self);
      if (self->log == NULL)
        return;
      if (len > BYOK_MCP_STDIO_LOG_MAX / 2)
        {
          data = (const char *) data + len - BYOK_MCP_STDIO_LOG_MAX / 2;
          len = BYOK_MCP_STDIO_LOG_MAX / 2;
        }
    }
  if (g_output_stream_write_all (G_OUTPUT_STREAM (self->log), data, len, NULL, NULL, NULL))
    self->log_size += len;
  g_output_stream_flush (G_OUTPUT_STREAM (self->log), NULL, NULL);
}

static void
log_line (ByokMcpStdioTransport *self,
          const char            *text)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format_iso8601 (now);
  g_autofree char *line = g_strdup_printf ("---- %s byok: %s\n", stamp, text);

  log_write (self, line, strlen (line));
}

/* ---- the end of the process ---- */

static void
finish_close_tasks (ByokMcpStdioTransport *self)
{
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&self->close_tasks);

  g_clear_handle_id (&self->grace_source, g_source_remove);
  for (guint i = 0; tasks != NULL && i < tasks->len; i++)
    g_task_return_boolean (g_ptr_array_index (tasks, i), TRUE);
}

static GError *
exit_error (ByokMcpStdioTransport *self)
{
  const char *name = byok_mcp_transport_get_name (BYOK_MCP_TRANSPORT (self));

  if (self->failure != NULL)
    return g_error_copy (self->failure);
  if (g_subprocess_get_if_signaled (self->proc))
    /* Translators: %1$s is an MCP server's name, %2$d a signal number, %3$s a file */
    return g_error_new (BYOK_ERROR, BYOK_ERROR_SERVER,
                        _("The MCP server “%1$s” was ended by signal %2$d. What it reported is in %3$s."),
                        name, g_subprocess_get_term_sig (self->proc),
                        self->log_path != NULL ? self->log_path : "-");
  /* Translators: %1$s is an MCP server's name, %2$d its exit status, %3$s a file */
  return g_error_new (BYOK_ERROR, BYOK_ERROR_SERVER,
                      _("The MCP server “%1$s” stopped (exit status %2$d). What it reported is in %3$s."),
                      name, g_subprocess_get_if_exited (self->proc) ? g_subprocess_get_exit_status (self->proc) : -1,
                      self->log_path != NULL ? self->log_path : "-");
}

static void
fail_writes (ByokMcpStdioTransport *self)
{
  GTask *task;

  while ((task = g_queue_pop_head (&self->writes)) != NULL)
    {
      /* Translators: %s is an MCP server's name */
      g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_SERVER, _("The MCP server “%s” is not running."),
                               byok_mcp_transport_get_name (BYOK_MCP_TRANSPORT (self)));
      g_object_unref (task);
    }
}

static void
maybe_closed (ByokMcpStdioTransport *self)
{
  g_autoptr(GError) error = NULL;

  if (!self->exited || !self->out_eof)
    return;
  if (!self->closing)
    error = exit_error (self);
  {
    g_autofree char *what = g_subprocess_get_if_exited (self->proc)
                            ? g_strdup_printf ("the server ended, exit status %d",
                                               g_subprocess_get_exit_status (self->proc))
                            : g_strdup_printf ("the server ended, signal %d",
                                               g_subprocess_get_term_sig (self->proc));
    log_line (self, what);
  }
  g_cancellable_cancel (self->io_cancellable);
  fail_writes (self);
  byok_mcp_transport_emit_closed (BYOK_MCP_TRANSPORT (self), error);
  finish_close_tasks (self);
}

static void
waited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ByokMcpStdioTransport) self = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  self->exited = TRUE;
  maybe_closed (self);
}

/* ---- reading ---- */

static void
stop_reading (ByokMcpStdioTransport *self,
              GError                *failure)
{
  if (failure != NULL && self->failure == NULL && !self->closing)
    self->failure = failure;
  else if (failure != NULL)
    g_error_free (failure);
  self->out_eof = TRUE;
  if (self->failure != NULL && !self->exited)
    g_subprocess_force_exit (self->proc);
  maybe_closed (self);
}

static void
split_lines (ByokMcpStdioTransport *self)
{
  gsize start = 0;

  for (gsize i = 0; i < self->line->len; i++)
    {
      if (self->line->data[i] != '\n')
        continue;
      byok_mcp_transport_emit_text (BYOK_MCP_TRANSPORT (self), (const char *) self->line->data + start,
                                    i - start);
      start = i + 1;
      if (self->out_eof || self->line == NULL)
        return;
    }
  g_byte_array_remove_range (self->line, 0, start);
}

static void
read_out_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(ByokMcpStdioTransport) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      if (self->line->len > 0)
        byok_mcp_transport_emit_text (BYOK_MCP_TRANSPORT (self), (const char *) self->line->data,
                                      self->line->len);
      stop_reading (self, NULL);
      return;
    }
  g_byte_array_append (self->line, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  split_lines (self);
  if (self->out_eof)
    return;
  if (self->line->len > MAX_LINE)
    {
      /* Translators: %1$s is an MCP server's name, %2$u a size in MiB */
      stop_reading (self, g_error_new (BYOK_ERROR, BYOK_ERROR_MALFORMED,
                                       _("The MCP server “%1$s” sent a message longer than %2$u MiB; Byok stopped it."),
                                       byok_mcp_transport_get_name (BYOK_MCP_TRANSPORT (self)),
                                       (guint) (MAX_LINE / (1024 * 1024))));
      return;
    }
  read_out (self);
}

static void
read_out (ByokMcpStdioTransport *self)
{
  g_input_stream_read_bytes_async (self->out, READ_CHUNK, G_PRIORITY_DEFAULT, self->io_cancellable,
                                   read_out_cb, g_object_ref (self));
}

static void
read_err_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(ByokMcpStdioTransport) self = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    return;
  log_write (self, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  read_err (self);
}

static void
read_err (ByokMcpStdioTransport *self)
{
  g_input_stream_read_bytes_async (self->err, READ_CHUNK, G_PRIORITY_DEFAULT, self->io_cancellable,
                                   read_err_cb, g_object_ref (self));
}

/* ---- start ---- */

/* What a server inherits of Byok's environment: what a program needs to
 * run as the person (home, path, locale, temporary and XDG folders,
 * certificates and proxies), never the rest, which may hold the keys of
 * providers (OPENAI_API_KEY …) — the same idea as the MCP SDKs' default
 * environment. What the server needs beyond it is set in its
 * configuration. */
static const char * const inherited[] = {
  "HOME", "LOGNAME", "USER", "PATH", "SHELL", "TERM", "LANG", "LANGUAGE", "TZ", "TMPDIR",
  "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR",
  "SSL_CERT_FILE", "SSL_CERT_DIR", "NODE_EXTRA_CA_CERTS",
  "http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY",
  NULL
};

static GStrv
inherited_environment (void)
{
  g_auto(GStrv) all = g_get_environ ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; all[i] != NULL; i++)
    {
      const char *eq = strchr (all[i], '=');
      g_autofree char *name = eq != NULL ? g_strndup (all[i], eq - all[i]) : NULL;

      if (name != NULL && (g_strv_contains (inherited, name) || g_str_has_prefix (name, "LC_")))
        g_strv_builder_add (builder, all[i]);
    }
  return g_strv_builder_end (builder);
}

#ifdef __linux__
/* In the child before exec: the server ends when Byok does, even killed. */
static void
child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}
#endif

static void
byok_mcp_stdio_transport_start_async (ByokMcpTransport    *transport,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  ByokMcpStdioTransport *self = BYOK_MCP_STDIO_TRANSPORT (transport);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  const char *name = byok_mcp_transport_get_name (transport);
  GHashTableIter iter;
  gpointer key, value;

  g_task_set_source_tag (task, byok_mcp_stdio_transport_start_async);
  if (self->proc != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_cwd (launcher, g_get_home_dir ());
  {
    g_auto(GStrv) inherited_env = inherited_environment ();

    g_subprocess_launcher_set_environ (launcher, inherited_env);
  }
  if (self->env != NULL)
    {
      g_hash_table_iter_init (&iter, self->env);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_subprocess_launcher_setenv (launcher, key, value, TRUE);
    }
#ifdef __linux__
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
#endif

  log_open (self);
  self->proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) self->argv, &error);
  if (self->proc == NULL)
    {
      g_autofree char *reason = g_strdup (error->message);

      log_line (self, reason);
      if (g_error_matches (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT))
        /* Translators: %1$s is an MCP server's name, %2$s a command */
        g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_NOT_FOUND,
                                 _("Could not start the MCP server “%1$s”: there is no program “%2$s”. "
                                   "Check its command, or install the program."),
                                 name, self->argv[0]);
      else
        /* Translators: %1$s is an MCP server's name, %2$s the system's reason */
        g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_SERVER,
                                 _("Could not start the MCP server “%1$s”: %2$s"), name, reason);
      return;
    }

  {
    g_autofree char *base = g_path_get_basename (self->argv[0]);
    g_autofree char *what = g_strdup_printf ("started %s (pid %s)", base,
                                             g_subprocess_get_identifier (self->proc));

    log_line (self, what);
  }
  self->in = g_object_ref (g_subprocess_get_stdin_pipe (self->proc));
  self->out = g_object_ref (g_subprocess_get_stdout_pipe (self->proc));
  self->err = g_object_ref (g_subprocess_get_stderr_pipe (self->proc));
  read_out (self);
  read_err (self);
  g_subprocess_wait_async (self->proc, NULL, waited_cb, g_object_ref (self));
  g_task_return_boolean (task, TRUE);
}

/* ---- writing ---- */

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ByokMcpStdioTransport *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  self->writing = FALSE;
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    /* Translators: %1$s is an MCP server's name, %2$s the system's reason */
    g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_SERVER,
                             _("Could not write to the MCP server “%1$s”: %2$s"),
                             byok_mcp_transport_get_name (BYOK_MCP_TRANSPORT (self)), error->message);
  else
    g_task_return_boolean (task, TRUE);
  write_next (self);
}

static void
write_next (ByokMcpStdioTransport *self)
{
  GTask *task;
  GBytes *bytes;

  if (self->writing || self->in == NULL)
    return;
  task = g_queue_pop_head (&self->writes);
  if (task == NULL)
    return;
  self->writing = TRUE;
  bytes = g_task_get_task_data (task);
  /* Not the caller's cancellable: half a line would break the stream. */
  g_output_stream_write_all_async (self->in, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                   G_PRIORITY_DEFAULT, NULL, written_cb, task);
}

static void
byok_mcp_stdio_transport_send_async (ByokMcpTransport    *transport,
                                     const char          *text,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  ByokMcpStdioTransport *self = BYOK_MCP_STDIO_TRANSPORT (transport);
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);
  g_autofree char *line = g_strconcat (text, "\n", NULL);
  gsize len = strlen (line);

  g_task_set_source_tag (task, byok_mcp_stdio_transport_send_async);
  if (self->proc == NULL || self->exited || self->closing || self->in == NULL)
    {
      /* Translators: %s is an MCP server's name */
      g_task_return_new_error (task, BYOK_ERROR, BYOK_ERROR_SERVER,
                               _("The MCP server “%s” is not running."),
                               byok_mcp_transport_get_name (transport));
      return;
    }
  g_task_set_task_data (task, g_bytes_new_take (g_steal_pointer (&line), len),
                        (GDestroyNotify) g_bytes_unref);
  g_queue_push_tail (&self->writes, g_steal_pointer (&task));
  write_next (self);
}

/* ---- close ---- */

static gboolean
grace_over (gpointer user_data)
{
  ByokMcpStdioTransport *self = user_data;

  self->grace_source = 0;
  if (self->exited)
    return G_SOURCE_REMOVE;
  if (self->grace_step++ == 0)
    {
      log_line (self, "the server did not end when its input closed: SIGTERM");
      g_subprocess_send_signal (self->proc, SIGTERM);
      self->grace_source = g_timeout_add (self->grace_ms, grace_over, self);
    }
  else
    {
      log_line (self, "the server did not end on SIGTERM: SIGKILL");
      g_subprocess_force_exit (self->proc);
    }
  return G_SOURCE_REMOVE;
}

static void
stdin_closed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ByokMcpStdioTransport) self = user_data;

  g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, NULL);
}

static void
byok_mcp_stdio_transport_close_async (ByokMcpTransport    *transport,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  ByokMcpStdioTransport *self = BYOK_MCP_STDIO_TRANSPORT (transport);
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, byok_mcp_stdio_transport_close_async);
  if (self->proc == NULL || (self->exited && self->out_eof))
    {
      self->closing = TRUE;
      byok_mcp_transport_emit_closed (transport, NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->close_tasks == NULL)
    self->close_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->close_tasks, g_steal_pointer (&task));
  if (self->closing)
    return;

  self->closing = TRUE;
  if (!g_output_stream_is_closed (self->in) && !g_output_stream_has_pending (self->in))
    g_output_stream_close_async (self->in, G_PRIORITY_DEFAULT, NULL, stdin_closed_cb, g_object_ref (self));
  else
    {
      g_subprocess_send_signal (self->proc, SIGTERM);
      self->grace_step = 1;
    }
  self->grace_source = g_timeout_add (self->grace_ms, grace_over, self);
}

static void
byok_mcp_stdio_transport_class_init (ByokMcpStdioTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ByokMcpTransportClass *transport_class = BYOK_MCP_TRANSPORT_CLASS (klass);

  object_class->dispose = byok_mcp_stdio_transport_dispose;
  object_class->finalize = byok_mcp_stdio_transport_finalize;
  transport_class->start_async = byok_mcp_stdio_transport_start_async;
  transport_class->send_async = byok_mcp_stdio_transport_send_async;
  transport_class->close_async = byok_mcp_stdio_transport_close_async;

  /* A server that dies between two writes must not take Byok with it:
   * writing to its closed pipe is then an error (EPIPE), not a signal. */
  signal (SIGPIPE, SIG_IGN);
}

static void
byok_mcp_stdio_transport_init (ByokMcpStdioTransport *self)
{
  self->grace_ms = DEFAULT_GRACE_MS;
  self->io_cancellable = g_cancellable_new ();
  self->line = g_byte_array_new ();
  g_queue_init (&self->writes);
}

/**
 * byok_mcp_stdio_transport_new:
 * @name: the server's name, for messages
 * @argv: the command and its arguments
 * @env: (nullable): variables (name → value) set over Byok's environment;
 *   copied, and wiped when the transport ends
 * @log_path: (nullable): where its stderr goes
 */
ByokMcpTransport *
byok_mcp_stdio_transport_new (const char         *name,
                              const char * const *argv,
                              GHashTable         *env,
                              const char         *log_path)
{
  ByokMcpStdioTransport *self;

  g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);

  self = g_object_new (BYOK_TYPE_MCP_STDIO_TRANSPORT, "name", name, NULL);
  self->argv = g_strdupv ((char **) argv);
  self->log_path = g_strdup (log_path);
  if (env != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      self->env = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) byok_secret_free);
      g_hash_table_iter_init (&iter, env);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (self->env, g_strdup (key), byok_secret_dup (value, -1));
    }
  return BYOK_MCP_TRANSPORT (self);
}

/* How long closing waits at each step (closed stdin, SIGTERM) */
void
byok_mcp_stdio_transport_set_grace (ByokMcpStdioTransport *self,
                                    guint                  grace_ms)
{
  g_return_if_fail (BYOK_IS_MCP_STDIO_TRANSPORT (self));
  self->grace_ms = grace_ms;
}

/* The child's process id, 0 before start or after it ended */
GPid
byok_mcp_stdio_transport_get_pid (ByokMcpStdioTransport *self)
{
  const char *id;

  g_return_val_if_fail (BYOK_IS_MCP_STDIO_TRANSPORT (self), 0);
  id = self->proc != NULL && !self->exited ? g_subprocess_get_identifier (self->proc) : NULL;
  return id != NULL ? (GPid) g_ascii_strtoll (id, NULL, 10) : 0;
}

/* Ends the server at once (SIGKILL), as when Byok quits without waiting. */
void
byok_mcp_stdio_transport_kill (ByokMcpStdioTransport *self)
{
  g_return_if_fail (BYOK_IS_MCP_STDIO_TRANSPORT (self));
  if (self->proc != NULL && !self->exited)
    {
      self->closing = TRUE;
      g_subprocess_force_exit (self->proc);
    }
}
