/* bench-parse.c: parse a saved reply and print every image and page URL
 *
 * Prints what `jq -r '.matches.internet[] | .url, (.webPages[]?.url)'` prints, one URL
 * a line, so bench/parse.sh can time both on the same file and diff their outputs.
 *
 * --json-glib-only parses with a bare immutable JsonParser and prints nothing: the
 * reference for what json-glib alone costs, so the report shows what the model and
 * the printing add.
 *
 * It turns off glibc's fastbins first (--default-malloc keeps them): json-glib makes
 * millions of small allocations, and glibc then keeps merging its fastbins
 * (malloc_consolidate was the top symbol in perf, 10%), which costs about a third of
 * the parse. Any program that parses big replies, imgscan-cli included, can do the
 * same with one mallopt() call; a library must not, so the core does not.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "imgscan-core.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(ImgscanResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *buffer = NULL;
  GListModel *matches;
  gboolean tune_malloc = TRUE;
  gboolean json_glib_only = FALSE;
  guint n;

  while (argc > 2 && g_str_has_prefix (argv[1], "--"))
    {
      if (g_str_equal (argv[1], "--default-malloc"))
        tune_malloc = FALSE;
      else if (g_str_equal (argv[1], "--json-glib-only"))
        json_glib_only = TRUE;
      else
        break;
      argv++;
      argc--;
    }

  if (argc != 2)
    {
      fprintf (stderr, "usage: %s [--default-malloc] [--json-glib-only] REPLY.json\n", argv[0]);
      return 1;
    }

#ifdef __GLIBC__
  if (tune_malloc)
    mallopt (M_MXFAST, 0);
#endif

  /* Mapped, not read: the parser takes the bytes where they lie. */
  mapped = g_mapped_file_new (argv[1], FALSE, &error);
  if (mapped == NULL)
    {
      fprintf (stderr, "bench-parse: %s\n", error->message);
      return 1;
    }

  if (json_glib_only)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();

      if (!json_parser_load_from_data (parser, g_mapped_file_get_contents (mapped),
                                       g_mapped_file_get_length (mapped), &error))
        {
          fprintf (stderr, "bench-parse: %s\n", error->message);
          return 5;
        }
      return 0;
    }

  result = imgscan_result_new_from_data (g_mapped_file_get_contents (mapped),
                                         g_mapped_file_get_length (mapped), &error);
  if (result == NULL)
    {
      fprintf (stderr, "bench-parse: %s\n", error->message);
      return 5;
    }

  /* One big buffer: a write per line would cost more than the parse. */
  buffer = g_malloc (1 << 20);
  setvbuf (stdout, buffer, _IOFBF, 1 << 20);

  /* One lock for the whole output instead of two per line. */
  flockfile (stdout);
  matches = imgscan_result_get_matches (result);
  n = g_list_model_get_n_items (matches);
  for (guint i = 0; i < n; i++)
    {
      /* The model keeps a reference; borrowing avoids a ref/unref pair per item. */
      ImgscanMatch *match = g_list_model_get_item (matches, i);
      const char * const *pages = imgscan_match_get_pages (match);
      const char *url = imgscan_match_get_url (match);

      fwrite_unlocked (url, 1, strlen (url), stdout);
      putc_unlocked ('\n', stdout);
      for (guint j = 0; pages[j] != NULL; j++)
        {
          fwrite_unlocked (pages[j], 1, strlen (pages[j]), stdout);
          putc_unlocked ('\n', stdout);
        }
      g_object_unref (match);
    }
  funlockfile (stdout);

  if (fflush (stdout) != 0)
    {
      perror ("bench-parse");
      return 1;
    }

  return 0;
}
