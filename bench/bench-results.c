/* bench-results.c: the results view with a 10,000-match reply
 *
 * Figures, no asserts: time from "reply bytes available" to results on screen versus
 * json-glib's bare parse of the same bytes; row widgets versus visible rows; the
 * longest frame while scrolling through every match; memory with thumbnails.
 * Run it under a display (bench/results.sh does).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <malloc.h>
#include <unistd.h>

#include <adwaita.h>
#include <libsoup/soup.h>

#include "imgscan-match-row.h"
#include "imgscan-results-view.h"
#include "imgscan-thumbnail.h"
#include "imgscan-window.h"

#define N_FULL    6000
#define N_PARTIAL 4000
#define N_RUNS    5

static GBytes *thumb_png;

static void
thumb_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  soup_server_message_set_status (msg, 200, NULL);
  /* libsoup 3.2's server never closes a kept-alive connection its client dropped
   * (CLOSE-WAIT): with thousands of them its poll() slows every later request. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (thumb_png, NULL), g_bytes_get_size (thumb_png));
}

/* A local server for thumbnails: every match URL is a distinct 400×300 PNG on it. */
static SoupServer *
start_thumb_server (char **base_url)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 400, 300);
  g_autoptr(GError) error = NULL;
  SoupServer *server = soup_server_new (NULL, NULL);
  GSList *uris;
  char *buffer;
  gsize size;

  gdk_pixbuf_fill (pixbuf, 0x4477aaff);
  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL);
  g_assert_no_error (error);
  thumb_png = g_bytes_new_take (buffer, size);

  soup_server_add_handler (server, "/thumbs", thumb_handler, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  *base_url = g_uri_to_string_partial (uris->data, G_URI_HIDE_PASSWORD);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return server;
}

static gboolean
parent_gone_cb (GIOChannel   *channel,
                GIOCondition  condition,
                gpointer      user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* `bench-results --thumbnail-server`: serves until its stdin closes. It runs in its own
 * process because the window's memory is what is measured: in the same process, the
 * server's leftover connections (about 2 KB each) grew RSS by 10 MB over the run and
 * looked like the window's. */
static int
run_thumb_server (void)
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GIOChannel) in = g_io_channel_unix_new (STDIN_FILENO);
  g_autofree char *base_url = NULL;

  server = start_thumb_server (&base_url);
  g_print ("%s\n", base_url);
  fflush (stdout);
  g_io_add_watch (in, G_IO_IN | G_IO_HUP | G_IO_ERR, parent_gone_cb, loop);
  g_main_loop_run (loop);
  g_bytes_unref (thumb_png);

  return 0;
}

/* Starts the server process; its stdin is our pipe, so it ends when we do. */
static char *
spawn_thumb_server (GSubprocess **out_process)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  GSubprocess *process;
  char *base_url;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              "/proc/self/exe", "--thumbnail-server", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  base_url = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (base_url);
  *out_process = process;

  return base_url;
}

static GBytes *
make_reply (const char *base_url)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  char *json;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "scannedImage");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "scanId");
  json_builder_add_string_value (b, "bench-10000");
  json_builder_set_member_name (b, "expectedCredits");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "actualCredits");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "creationTime");
  json_builder_add_string_value (b, "2026-05-24T10:00:00Z");
  json_builder_set_member_name (b, "width");
  json_builder_add_int_value (b, 4000);
  json_builder_set_member_name (b, "height");
  json_builder_add_int_value (b, 3000);
  json_builder_set_member_name (b, "filename");
  json_builder_add_string_value (b, "bench.jpg");
  json_builder_end_object (b);

  json_builder_set_member_name (b, "matches");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "internet");
  json_builder_begin_array (b);
  for (guint i = 0; i < N_FULL + N_PARTIAL; i++)
    {
      g_autofree char *url = g_strdup_printf ("%s/thumbs/%u.png", base_url, i);
      g_autofree char *page1 = g_strdup_printf ("https://site-%u.example.com/gallery/%u.html", i % 997, i);
      g_autofree char *page2 = g_strdup_printf ("https://blog-%u.example.org/post/%u", i % 389, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "url");
      json_builder_add_string_value (b, url);
      json_builder_set_member_name (b, "matchType");
      json_builder_add_int_value (b, i < N_FULL ? 0 : 1);
      json_builder_set_member_name (b, "webPages");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "url");
      json_builder_add_string_value (b, page1);
      json_builder_end_object (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "url");
      json_builder_add_string_value (b, page2);
      json_builder_end_object (b);
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "score");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "totalMatches");
  json_builder_add_int_value (b, N_FULL + N_PARTIAL);
  json_builder_set_member_name (b, "fullMatches");
  json_builder_add_int_value (b, N_FULL);
  json_builder_set_member_name (b, "partialMatches");
  json_builder_add_int_value (b, N_PARTIAL);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json = json_to_string (root, FALSE);

  return g_bytes_new_take (json, strlen (json));
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static double
bare_parse_ms (GBytes *reply)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  double start = now_ms ();

  json_parser_load_from_data (parser, g_bytes_get_data (reply, NULL), g_bytes_get_size (reply), &error);
  g_assert_no_error (error);

  return now_ms () - start;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_double);
  return values[n / 2];
}

/* Frame bookkeeping: each after-paint records the gap since the previous one. */
typedef struct
{
  guint   n_frames;
  double  last_ms;
  double  max_gap_ms;
  GArray *gaps;     /* when non-NULL, every gap is recorded */
} Frames;

static void
after_paint_cb (GdkFrameClock *clock,
                Frames        *frames)
{
  double t = now_ms ();

  if (frames->n_frames > 0)
    {
      double gap = t - frames->last_ms;

      frames->max_gap_ms = MAX (frames->max_gap_ms, gap);
      if (frames->gaps != NULL)
        g_array_append_val (frames->gaps, gap);
    }
  frames->last_ms = t;
  frames->n_frames++;
}

static GtkWidget *bench_window;

static void
wait_frames (Frames *frames,
             guint   n)
{
  guint target = frames->n_frames + n;

  /* A frame only comes when something changed. */
  gtk_widget_queue_draw (bench_window);

  while (frames->n_frames < target)
    g_main_context_iteration (NULL, TRUE);
}

static void
count_rows (GtkWidget *widget,
            guint     *n_rows)
{
  if (IMGSCAN_IS_MATCH_ROW (widget))
    (*n_rows)++;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    count_rows (child, n_rows);
}

/* Rows whose thumbnail is still on its way. */
static void
count_loading (GtkWidget *widget,
               guint     *n_loading)
{
  if (IMGSCAN_IS_THUMBNAIL (widget) &&
      imgscan_thumbnail_get_state (IMGSCAN_THUMBNAIL (widget)) == IMGSCAN_THUMBNAIL_STATE_LOADING)
    (*n_loading)++;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    count_loading (child, n_loading);
}

static guint64
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmRSS:");
  return line != NULL ? g_ascii_strtoull (line + 6, NULL, 10) : 0;
}

/* Bytes malloc has handed out and not had back (main arena and mmapped blocks): tells a
 * leak (this grows) from fragmentation (RSS grows, this does not). */
static double
heap_mb (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return (info.uordblks + info.hblkhd) / (1024.0 * 1024.0);
}

/* Leaked connections show here first. */
static guint
n_open_files (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
pump (guint ms)
{
  double end = now_ms () + ms;

  while (now_ms () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GSubprocess) server = NULL;
  g_autofree char *base_url = NULL;
  g_autoptr(GBytes) reply = NULL;
  double parse[N_RUNS], shown[N_RUNS], model[N_RUNS], set[N_RUNS];
  ImgscanWindow *window;
  ImgscanResultsView *view;
  GtkListView *list;
  GtkAdjustment *adj;
  GdkFrameClock *clock;
  Frames frames = { 0 };
  guint n_rows = 0, n_steps = 0;
  double row_height, scroll_start;
  guint64 rss_before;
  double heap_before;

  if (argc > 1 && g_str_equal (argv[1], "--thumbnail-server"))
    return run_thumb_server ();

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (!gtk_init_check ())
    {
      g_printerr ("bench-results: needs a display (run bench/results.sh)\n");
      return 1;
    }
  adw_init ();

  base_url = spawn_thumb_server (&server);
  reply = make_reply (base_url);
  g_print ("reply: %u matches, %.1f MB\n", N_FULL + N_PARTIAL, g_bytes_get_size (reply) / 1e6);

  window = imgscan_window_new (NULL);
  /* After the window, which applies the "load-thumbnails" setting to the loader. */
  if (g_getenv ("BENCH_NO_THUMBNAILS") != NULL)
    imgscan_thumbnail_loader_set_network_enabled (imgscan_thumbnail_loader_get_default (), FALSE);
  bench_window = GTK_WIDGET (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  gtk_window_present (GTK_WINDOW (window));
  view = IMGSCAN_RESULTS_VIEW (imgscan_window_get_results_view (window));
  list = imgscan_results_view_get_list (view, IMGSCAN_MATCH_KIND_FULL);
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &frames);
  wait_frames (&frames, 2);
  rss_before = rss_kb ();
  heap_before = heap_mb ();

  /* What one row costs to build: GtkListView 4.8 builds up to 200 of them per list. */
  {
    GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_object_unref);
    double start = now_ms ();

    for (guint i = 0; i < 200; i++)
      g_ptr_array_add (rows, g_object_ref_sink (imgscan_match_row_new ()));
    g_print ("building 200 match rows: %.1f ms\n", now_ms () - start);
    g_ptr_array_unref (rows);
  }

  /* Reply bytes in hand → parsed model → first frame painted with the rows. */
  for (guint run = 0; run < N_RUNS; run++)
    {
      g_autoptr(ImgscanResult) result = NULL;
      g_autoptr(GError) error = NULL;
      double start;

      parse[run] = bare_parse_ms (reply);

      imgscan_results_view_clear (view);
      wait_frames (&frames, 1);

      start = now_ms ();
      result = imgscan_result_new_from_bytes (reply, &error);
      g_assert_no_error (error);
      model[run] = now_ms () - start;
      imgscan_window_show_result (window, result, FALSE);
      set[run] = now_ms () - start - model[run];
      gtk_widget_queue_draw (GTK_WIDGET (window));
      wait_frames (&frames, 1);
      shown[run] = now_ms () - start;
    }

  g_print ("json-glib bare parse (median of %d): %8.1f ms\n", N_RUNS, median (parse, N_RUNS));
  g_print ("  of which the core's result model:   %8.1f ms\n", median (model, N_RUNS));
  g_print ("  of which setting the views' models:  %8.1f ms\n", median (set, N_RUNS));
  g_print ("bytes → results on screen (median): %8.1f ms   ratio %.2f× (target ≤ 3×)\n",
           median (shown, N_RUNS), median (shown, N_RUNS) / median (parse, N_RUNS));

  /* Let the visible thumbnails arrive, then count the rows that exist. */
  pump (1500);
  count_rows (GTK_WIDGET (list), &n_rows);
  adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list));
  row_height = gtk_adjustment_get_upper (adj) / N_FULL;
  g_print ("row widgets: %u for %u full matches; visible rows ≈ %.0f (page %.0f px, row ≈ %.0f px)\n",
           n_rows, N_FULL, gtk_adjustment_get_page_size (adj) / MAX (row_height, 1.0),
           gtk_adjustment_get_page_size (adj), row_height);

  /* Reference in the same run: the gap between frames when the window just repaints. */
  wait_frames (&frames, 1);
  frames.max_gap_ms = 0;
  scroll_start = now_ms ();
  for (guint i = 0; i < 30; i++)
    {
      gtk_widget_queue_draw (GTK_WIDGET (window));
      wait_frames (&frames, 1);
    }
  g_print ("reference: plain repaints of this window: %.1f ms a frame on average, longest %.1f ms\n",
           (now_ms () - scroll_start) / 30, frames.max_gap_ms);

  /* Scroll through every full match, a page per frame; thumbnails load as rows appear. */
  wait_frames (&frames, 1);
  frames.max_gap_ms = 0;
  frames.gaps = g_array_new (FALSE, FALSE, sizeof (double));
  scroll_start = now_ms ();
  while (gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) < gtk_adjustment_get_upper (adj))
    {
      gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) * 0.9);
      wait_frames (&frames, 1);
      n_steps++;
    }
  g_print ("scrolled %u pages in %.0f ms; longest gap between frames: %.1f ms (a frame is 16.7 ms)\n",
           n_steps, now_ms () - scroll_start, frames.max_gap_ms);
  if (frames.gaps->len > 0)
    {
      double *gaps = (double *) (gpointer) frames.gaps->data;
      guint n = frames.gaps->len, n_over = 0;

      for (guint i = 0; i < n; i++)
        n_over += gaps[i] > 2 * 16.7;
      qsort (gaps, n, sizeof (double), compare_double);
      g_print ("  frame gaps while scrolling: median %.1f ms, 95th %.1f ms, 99th %.1f ms; %u of %u over two frames\n",
               gaps[n / 2], gaps[n * 95 / 100], gaps[n * 99 / 100], n_over, n);
    }
  g_clear_pointer (&frames.gaps, g_array_unref);

  n_rows = 0;
  count_rows (GTK_WIDGET (list), &n_rows);

  /* Twice from the top, this time waiting on each page for its thumbnails: memory must
   * stay bounded by the thumbnail caches, not grow with the matches seen, so the second
   * pass must end where the first did. */
  g_print ("row widgets after scrolling: %u\n", n_rows);
  g_print ("RSS: %.1f MB before results (heap in use %.1f MB)\n", rss_before / 1024.0, heap_before);
  for (guint pass = 1; pass <= 2; pass++)
    {
      gtk_adjustment_set_value (adj, 0);
      scroll_start = now_ms ();
      n_steps = 0;
      while (gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) < gtk_adjustment_get_upper (adj) &&
             now_ms () - scroll_start < 90000)
        {
          double page_start = now_ms ();
          guint n_loading;

          gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj));
          wait_frames (&frames, 1);
          do
            {
              n_loading = 0;
              g_main_context_iteration (NULL, TRUE);
              count_loading (GTK_WIDGET (list), &n_loading);
            }
          while (n_loading > 0 && now_ms () - page_start < 2000);
          n_steps++;
          if (n_steps % 250 == 0)
            g_print ("  … %u pages with thumbnails, RSS %.1f MB, heap in use %.1f MB\n",
                     n_steps, rss_kb () / 1024.0, heap_mb ());
        }
      g_print ("pass %u: loaded the thumbnails of %u pages (%.0f%% of the full matches) in %.0f ms\n",
               pass, n_steps,
               100.0 * MIN (1.0, (gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj)) /
                            gtk_adjustment_get_upper (adj)),
               now_ms () - scroll_start);
      g_print ("RSS after pass %u with thumbnails: %.1f MB (heap in use %.1f MB, %u open files)\n",
               pass, rss_kb () / 1024.0, heap_mb (), n_open_files ());
    }
  g_print ("thumbnail requests sent: %u\n",
           imgscan_thumbnail_loader_get_n_requests (imgscan_thumbnail_loader_get_default ()));

  gtk_window_destroy (GTK_WINDOW (window));
  pump (100);
  g_subprocess_force_exit (server);

  return 0;
}
