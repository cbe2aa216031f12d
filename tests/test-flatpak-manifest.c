/* test-flatpak-manifest.c — what can be checked of the Flatpak manifest
 * without building it: valid JSON, the app id, the command, the runtime, the
 * modules, and that every finish-arg is one we allow. */
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
  g_assert_cmpint (atoi (runtime_version), >=, 47);
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
  gboolean have_md4c = FALSE, have_byok = FALSE;

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
      else if (g_str_equal (name, "byok"))
        {
          have_byok = TRUE;
          g_assert_cmpstr (json_object_get_string_member (mod, "buildsystem"), ==, "meson");
        }
    }
  g_assert_true (have_md4c);
  g_assert_true (have_byok);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/flatpak/identity", test_manifest_identity);
  g_test_add_func ("/flatpak/finish-args", test_manifest_finish_args);
  g_test_add_func ("/flatpak/modules", test_manifest_modules);
  return g_test_run ();
}
