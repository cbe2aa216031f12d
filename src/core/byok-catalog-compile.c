/* byok-catalog-compile.c — data/catalog.json as Byok compiles it in (issue
 * 13): read and checked whole by the catalog's own JSON reader, then
 * written as the GVariant that byok_catalog_new_default() reads without
 * parsing any JSON. Run at build time: a catalog that is not valid fails
 * the build, saying what is wrong.
 *
 *   byok-catalog-compile CATALOG_JSON OUTPUT
 */
#include "config.h"

#include <stdio.h>

#include "byok-catalog-private.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(ByokCatalog) catalog = NULL;
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GError) error = NULL;

  if (argc != 3)
    {
      fprintf (stderr, "usage: byok-catalog-compile CATALOG_JSON OUTPUT\n");
      return 2;
    }

  /* No setlocale (): the catalog's words for people stay as the JSON has
   * them; they are translated when the catalog is read. */
  catalog = byok_catalog_new_from_file (argv[1], &error);
  if (catalog == NULL)
    {
      fprintf (stderr, "byok-catalog-compile: %s: %s\n", argv[1], error->message);
      return 1;
    }
  variant = g_variant_ref_sink (_byok_catalog_to_variant (catalog));
  if (!g_file_set_contents (argv[2], g_variant_get_data (variant), (gssize) g_variant_get_size (variant), &error))
    {
      fprintf (stderr, "byok-catalog-compile: %s\n", error->message);
      return 1;
    }
  return 0;
}
