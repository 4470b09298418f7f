/* bench-history.c: the first screen of a 5,000-scan history
 *
 * bench-history DIR [N]: fills DIR with N saved scans (default 5000) through the real
 * ImgscanHistory, then times, each as the median of RUNS (default 5):
 *   (a) loading the history with its index and reading the first 20 entries' fields;
 *   (b) the same with the index deleted first, so it is rebuilt from the entries;
 *   (c) the reference: parsing every stored reply.json into a result, which is what
 *       listing would cost without an index or metadata.
 * It prints the times and the ratios a/c and b/c, and the cost of one more add to the
 * full history. It asserts nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <glib/gstdio.h>

#include "imgscan-core.h"

#define FIRST_SCREEN 20

static GBytes *
make_reply (guint n)
{
  GString *s = g_string_new (NULL);
  guint n_matches = 3 + n % 25;
  guint n_full = 0;

  g_string_append_printf (s,
    "{\"developerPayload\":null,\"scannedImage\":{\"scanId\":\"bench-%05u\","
    "\"expectedCredits\":1,\"actualCredits\":1,\"creationTime\":\"2026-05-24T10:00:00Z\","
    "\"width\":4000,\"height\":3000,\"filename\":\"IMG_%05u.jpg\"},\"matches\":{\"internet\":[",
    n, n);
  for (guint i = 0; i < n_matches; i++)
    {
      gboolean full = i < n_matches / 3;

      n_full += full;
      g_string_append_printf (s,
        "%s{\"url\":\"https://cdn%u.example.com/images/2026/05/photo-%u-%u.jpg\",\"matchType\":%d,"
        "\"webPages\":[{\"url\":\"https://blog%u.example.org/posts/%u\"},"
        "{\"url\":\"https://news.example.net/article/%u/%u\"}]}",
        i ? "," : "", i % 7, n, i, full ? 0 : 1, i, n, n, i);
    }
  g_string_append_printf (s, "],\"score\":{\"totalMatches\":%u,\"fullMatches\":%u,"
                          "\"partialMatches\":%u}}}", n_matches, n_full, n_matches - n_full);
  return g_string_free_to_bytes (s);
}

static void
die (const char *what,
     GError     *error)
{
  fprintf (stderr, "bench-history: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
}

static void
remove_index (GFile *dir)
{
  g_autofree char *path = g_build_filename (g_file_peek_path (dir), "index.json", NULL);

  g_unlink (path);
}

static gint64
time_first_screen (GFile *dir)
{
  g_autoptr(ImgscanHistory) history = imgscan_history_new (dir);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  guint n;
  gsize sink = 0;

  if (!imgscan_history_load (history, NULL, &error))
    die ("load", error);

  n = MIN (FIRST_SCREEN, g_list_model_get_n_items (G_LIST_MODEL (history)));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ImgscanHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (history), i);
      g_autoptr(GFile) preview = imgscan_history_entry_get_preview (entry);
      g_autofree char *date = g_date_time_format (imgscan_history_entry_get_time (entry), "%x %X");

      /* What a row shows. */
      sink += strlen (imgscan_history_entry_get_filename (entry)) + strlen (date)
              + imgscan_history_entry_get_n_full (entry) + imgscan_history_entry_get_n_partial (entry)
              + imgscan_history_entry_get_sandbox (entry) + (preview != NULL);
    }

  if (sink == 0)
    die ("first screen", NULL);
  return g_get_monotonic_time () - start;
}

static gint64
time_parse_all (GFile *dir)
{
  g_autoptr(GDir) d = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  const char *name;
  guint n = 0;

  d = g_dir_open (g_file_peek_path (dir), 0, &error);
  if (d == NULL)
    die ("open", error);

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (g_file_peek_path (dir), name, "reply.json", NULL);
      g_autofree char *data = NULL;
      g_autoptr(ImgscanResult) result = NULL;
      gsize len;

      if (!g_file_get_contents (path, &data, &len, NULL))
        continue;
      result = imgscan_result_new_from_data (data, len, &error);
      if (result == NULL)
        die (path, error);
      n++;
    }

  if (n == 0)
    die ("no reply parsed", NULL);
  return g_get_monotonic_time () - start;
}

static int
compare_gint64 (const void *a,
                const void *b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

  return x < y ? -1 : x > y;
}

static double
median_ms (gint64 *samples,
           guint   n)
{
  qsort (samples, n, sizeof (gint64), compare_gint64);
  return samples[n / 2] / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GFile) dir = NULL;
  g_autoptr(ImgscanHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) photo = NULL;
  g_autofree char *photo_path = NULL;
  g_autofree gint64 *a = NULL;
  g_autofree gint64 *b = NULL;
  g_autofree gint64 *c = NULL;
  guint n = argc > 2 ? (guint)atoi (argv[2]) : 5000;
  guint runs = g_getenv ("RUNS") ? (guint)atoi (g_getenv ("RUNS")) : 5;
  gint64 start, fill_us, add_us;
  double ma, mb, mc;

  if (argc < 2 || n == 0 || runs == 0)
    {
      fprintf (stderr, "usage: %s DIR [N]\n", argv[0]);
      return 1;
    }

  dir = g_file_new_for_commandline_arg (argv[1]);
  history = imgscan_history_new (dir);

  /* A small photo beside the history, so entries carry a real path, hash and preview. */
  {
    g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 320, 240);
    g_autofree char *parent = g_path_get_dirname (g_file_peek_path (dir));

    photo_path = g_build_filename (parent, "IMG_20260524_101500_holiday_beach.png", NULL);
    photo = g_file_new_for_path (photo_path);
    gdk_pixbuf_fill (pixbuf, 0x336699ff);
    g_mkdir_with_parents (parent, 0700);
    if (!gdk_pixbuf_save (pixbuf, photo_path, "png", &error, NULL))
      die ("photo", error);
  }

  /* Filling: each add rewrites the index; deleting it first keeps the setup linear
   * (the index is rebuilt by the first timed load anyway). */
  start = g_get_monotonic_time ();
  /* REUSE=1: time a history filled by an earlier run. */
  for (guint i = 0; g_strcmp0 (g_getenv ("REUSE"), "1") != 0 && i < n; i++)
    {
      g_autoptr(GBytes) reply = make_reply (i);
      g_autoptr(ImgscanResult) result = imgscan_result_new_from_bytes (reply, &error);
      g_autoptr(ImgscanHistoryEntry) entry = NULL;

      if (result == NULL)
        die ("reply", error);
      remove_index (dir);
      entry = imgscan_history_add (history, reply, result, photo, i % 2, NULL, &error);
      if (entry == NULL)
        die ("add", error);
    }
  fill_us = g_get_monotonic_time () - start;
  remove_index (dir);
  time_first_screen (dir);   /* builds the index */

  a = g_new (gint64, runs);
  b = g_new (gint64, runs);
  c = g_new (gint64, runs);
  for (guint r = 0; r < runs; r++)
    {
      a[r] = time_first_screen (dir);
      remove_index (dir);
      b[r] = time_first_screen (dir);
      c[r] = time_parse_all (dir);
    }

  /* One more scan into the full history, index and all: what the CLI pays per scan. */
  {
    g_autoptr(GBytes) reply = make_reply (n);
    g_autoptr(ImgscanResult) result = imgscan_result_new_from_bytes (reply, NULL);
    g_autoptr(ImgscanHistoryEntry) entry = NULL;

    start = g_get_monotonic_time ();
    entry = imgscan_history_add (history, reply, result, photo, FALSE, NULL, &error);
    add_us = g_get_monotonic_time () - start;
    if (entry == NULL)
      die ("add", error);
  }

  ma = median_ms (a, runs);
  mb = median_ms (b, runs);
  mc = median_ms (c, runs);
  printf ("history: %u scans written in %.1f s (%.2f ms each, fsync included)\n",
          n, fill_us / 1e6, fill_us / 1000.0 / n);
  printf ("history: median of %u runs\n", runs);
  printf ("history: (a) first screen with the index: %.1f ms\n", ma);
  printf ("history: (b) first screen, index rebuilt: %.1f ms\n", mb);
  printf ("history: (c) reference, parse every reply: %.1f ms\n", mc);
  printf ("history: a/c = %.3f, b/c = %.3f\n", ma / mc, mb / mc);
  printf ("history: one more add to the full history: %.1f ms\n", add_us / 1000.0);
  return 0;
}
