/* test-flatpak-manifest.c — what can be checked of the Flatpak manifest
 * without building it: valid JSON, the app id, the command, the runtime, the
 * modules, and that every finish-arg is one we allow; and the metainfo
 * rules Flathub's linter checks that need no network. */
#include "config.h"

#include <json-glib/json-glib.h>

static const char * const allowed_finish_args[] = {
  "--share=network",
  "--share=ipc",
  "--socket=wayland",
  "--socket=fallback-x11",
  "--device=dri",
  "--talk-name=org.freedesktop.Notifications",
  NULL,
};

static JsonObject *
load_manifest (JsonParser *parser)
{
  g_autofree char *path = g_build_filename (g_getenv ("BYOK_SOURCE_DIR"), "flatpak",
                                            "io.github.byok.Byok.json", NULL);
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_manifest_identity (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *m = load_manifest (parser);
  const char *runtime_version;

  g_assert_cmpstr (json_object_get_string_member (m, "id"), ==, "io.github.byok.Byok");
  g_assert_cmpstr (json_object_get_string_member (m, "command"), ==, "byok");
  g_assert_cmpstr (json_object_get_string_member (m, "runtime"), ==, "org.gnome.Platform");
  g_assert_cmpstr (json_object_get_string_member (m, "sdk"), ==, "org.gnome.Sdk");
  runtime_version = json_object_get_string_member (m, "runtime-version");
  g_assert_nonnull (runtime_version);
  /* The GNOME whose GTK (4.24) and libadwaita (1.10) Debian testing has:
   * Byok is built and tested against those (make test-distro DISTRO=forky). */
  g_assert_cmpstr (runtime_version, ==, "51");
}

static void
test_manifest_finish_args (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *m = load_manifest (parser);
  JsonArray *args = json_object_get_array_member (m, "finish-args");
  gboolean network = FALSE, wayland = FALSE, x11 = FALSE, dri = FALSE;

  g_assert_nonnull (args);
  for (guint i = 0; i < json_array_get_length (args); i++)
    {
      const char *arg = json_array_get_string_element (args, i);

      if (!g_strv_contains (allowed_finish_args, arg))
        g_error ("finish-arg %s is not in the allowed list", arg);
      network |= g_str_equal (arg, "--share=network");
      wayland |= g_str_equal (arg, "--socket=wayland");
      x11 |= g_str_equal (arg, "--socket=fallback-x11");
      dri |= g_str_equal (arg, "--device=dri");
      /* libsecret uses the secret portal inside Flatpak: no keyring talk-name */
      g_assert_null (strstr (arg, "org.freedesktop.secrets"));
      g_assert_null (strstr (arg, "keyring"));
    }
  g_assert_true (network && wayland && x11 && dri);
}

static void
test_manifest_modules (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *m = load_manifest (parser);
  JsonArray *modules = json_object_get_array_member (m, "modules");
  gboolean have_md4c = FALSE, have_poppler = FALSE, have_byok = FALSE;

  g_assert_nonnull (modules);
  for (guint i = 0; i < json_array_get_length (modules); i++)
    {
      JsonObject *mod = json_array_get_object_element (modules, i);
      const char *name = json_object_get_string_member (mod, "name");
      JsonArray *sources = json_object_get_array_member (mod, "sources");
      JsonObject *src;

      g_assert_nonnull (sources);
      g_assert_cmpuint (json_array_get_length (sources), >=, 1);
      src = json_array_get_object_element (sources, 0);

      if (g_str_equal (name, "md4c"))
        {
          have_md4c = TRUE;
          g_assert_cmpstr (json_object_get_string_member (mod, "buildsystem"), ==, "cmake-ninja");
          g_assert_cmpstr (json_object_get_string_member (src, "type"), ==, "archive");
          g_assert_true (g_str_has_suffix (json_object_get_string_member (src, "url"), ".tar.gz"));
          g_assert_cmpuint (strlen (json_object_get_string_member (src, "sha256")), ==, 64);
          g_assert_false (have_byok); /* dependencies come first */
        }
      else if (g_str_equal (name, "poppler"))
        {
          /* The GNOME runtime has no poppler: built here, its glib part alone. */
          JsonArray *opts = json_object_get_array_member (mod, "config-opts");
          gboolean glib = FALSE;

          have_poppler = TRUE;
          g_assert_true (g_str_has_prefix (json_object_get_string_member (src, "url"),
                                           "https://poppler.freedesktop.org/poppler-"));
          g_assert_cmpuint (strlen (json_object_get_string_member (src, "sha256")), ==, 64);
          for (guint j = 0; opts != NULL && j < json_array_get_length (opts); j++)
            glib |= g_str_equal (json_array_get_string_element (opts, j), "-DENABLE_GLIB=ON");
          g_assert_true (glib);
          g_assert_false (have_byok);
        }
      else if (g_str_equal (name, "byok"))
        {
          have_byok = TRUE;
          g_assert_cmpstr (json_object_get_string_member (mod, "buildsystem"), ==, "meson");
        }
    }
  g_assert_true (have_md4c);
  g_assert_true (have_poppler);
  g_assert_true (have_byok);
}

/* The metainfo as built: element paths ("component/developer/name") with
 * their attributes and text, in order. */
typedef struct {
  GPtrArray *stack;
  GPtrArray *paths;   /* "path|attr=value,…|text" */
} Walk;

static void
walk_start (GMarkupParseContext  *context,
            const char           *element,
            const char          **names,
            const char          **values,
            gpointer              user_data,
            GError              **error)
{
  Walk *w = user_data;
  g_autoptr(GString) line = g_string_new (NULL);

  g_ptr_array_add (w->stack, g_strdup (element));
  for (guint i = 0; i < w->stack->len; i++)
    g_string_append_printf (line, "%s%s", i > 0 ? "/" : "", (char *) g_ptr_array_index (w->stack, i));
  g_string_append_c (line, '|');
  for (guint i = 0; names[i] != NULL; i++)
    g_string_append_printf (line, "%s=%s,", names[i], values[i]);
  g_string_append_c (line, '|');
  g_ptr_array_add (w->paths, g_string_free (g_steal_pointer (&line), FALSE));
}

static void
walk_end (GMarkupParseContext  *context,
          const char           *element,
          gpointer              user_data,
          GError              **error)
{
  Walk *w = user_data;

  g_ptr_array_remove_index (w->stack, w->stack->len - 1);
}

static void
walk_text (GMarkupParseContext  *context,
           const char           *text,
           gsize                 length,
           gpointer              user_data,
           GError              **error)
{
  Walk *w = user_data;
  char *last = g_ptr_array_index (w->paths, w->paths->len - 1);
  g_autofree char *trimmed = g_strstrip (g_strndup (text, length));

  if (*trimmed != '\0' && g_str_has_suffix (last, "|"))
    {
      w->paths->pdata[w->paths->len - 1] = g_strconcat (last, trimmed, NULL);
      g_free (last);
    }
}

static guint
count (GPtrArray  *paths,
       const char *prefix)
{
  guint n = 0;

  for (guint i = 0; i < paths->len; i++)
    n += g_str_has_prefix (g_ptr_array_index (paths, i), prefix);
  return n;
}

static void
test_metainfo (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "data",
                                            "io.github.byok.Byok.metainfo.xml", NULL);
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;
  GMarkupParser parser = { walk_start, walk_end, walk_text, NULL, NULL };
  Walk w = { g_ptr_array_new_with_free_func (g_free), g_ptr_array_new_with_free_func (g_free) };
  GMarkupParseContext *context;
  g_autofree char *release = g_strdup_printf ("component/releases/release|version=%s,", PACKAGE_VERSION);

  g_file_get_contents (path, &xml, NULL, &error);
  g_assert_no_error (error);
  context = g_markup_parse_context_new (&parser, 0, &w, NULL);
  g_markup_parse_context_parse (context, xml, -1, &error);
  g_assert_no_error (error);
  g_markup_parse_context_free (context);

  g_assert_cmpuint (count (w.paths, "component/id||io.github.byok.Byok"), ==, 1);
  g_assert_cmpuint (count (w.paths, "component/launchable|type=desktop-id,|io.github.byok.Byok.desktop"), ==, 1);
  /* Flathub: a developer with an id and a name; homepage, issues, source. */
  g_assert_cmpuint (count (w.paths, "component/developer|id="), ==, 1);
  g_assert_cmpuint (count (w.paths, "component/developer/name"), ==, 1);
  g_assert_cmpuint (count (w.paths, "component/url|type=homepage,|https://"), ==, 1);
  g_assert_cmpuint (count (w.paths, "component/url|type=bugtracker,|https://"), ==, 1);
  g_assert_cmpuint (count (w.paths, "component/url|type=vcs-browser,|https://"), ==, 1);
  g_assert_cmpuint (count (w.paths, "component/content_rating|type=oars-1.1,"), ==, 1);
  /* Brand colours for light and dark. */
  g_assert_cmpuint (count (w.paths, "component/branding/color|type=primary,scheme_preference=light,|#"), ==, 1);
  g_assert_cmpuint (count (w.paths, "component/branding/color|type=primary,scheme_preference=dark,|#"), ==, 1);
  /* Screenshots: one default, each with an image and a caption (the
   * untranslated one; translations are beside it). */
  g_assert_cmpuint (count (w.paths, "component/screenshots/screenshot|type=default,"), ==, 1);
  g_assert_cmpuint (count (w.paths, "component/screenshots/screenshot|"), >=, 2);
  g_assert_cmpuint (count (w.paths, "component/screenshots/screenshot/image||https://"), ==,
                    count (w.paths, "component/screenshots/screenshot|"));
  g_assert_cmpuint (count (w.paths, "component/screenshots/screenshot/caption||"), ==,
                    count (w.paths, "component/screenshots/screenshot|"));
  /* The version being built has release notes. */
  g_assert_cmpuint (count (w.paths, release), ==, 1);
  g_assert_cmpuint (count (w.paths, "component/releases/release/description/p||"), >=,
                    count (w.paths, "component/releases/release|"));
  /* It fits a phone: GNOME's narrow target. */
  g_assert_cmpuint (count (w.paths, "component/requires/display_length|compare=ge,|360"), ==, 1);

  g_ptr_array_unref (w.stack);
  g_ptr_array_unref (w.paths);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/flatpak/identity", test_manifest_identity);
  g_test_add_func ("/flatpak/finish-args", test_manifest_finish_args);
  g_test_add_func ("/flatpak/modules", test_manifest_modules);
  g_test_add_func ("/flatpak/metainfo", test_metainfo);
  return g_test_run ();
}
