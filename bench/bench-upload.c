/* bench-upload.c: stream an image to a local server with the real client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-upload serve               run the mock Copyleaks server; prints its URL, then
 *                                    serves until killed (a process of its own, so its
 *                                    memory is not counted against the client)
 *   bench-upload upload URL IMAGE    log in, then time one check of IMAGE; prints
 *                                    "seconds=S max_rss_kb=K bytes=B"
 *   bench-upload make-image BYTES OUT   a real JPEG padded to BYTES (decoders stop at
 *                                    the end marker; the client reads only the header)
 *
 * bench/upload.sh runs both and compares with curl --form on the same server.
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "imgscan-core.h"
#include "mock-server.h"

static int
serve (void)
{
  g_autoptr(MockServer) server = mock_server_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  printf ("%s\n", mock_server_get_url (server));
  fflush (stdout);
  g_main_loop_run (loop);
  return 0;
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

typedef struct
{
  gint64 start;
  gint64 uploading;   /* first upload progress */
  gint64 searching;   /* upload done, waiting for the reply */
} Phases;

static void
progress_cb (ImgscanClientPhase phase,
             guint64            done,
             guint64            total,
             gpointer           user_data)
{
  Phases *phases = user_data;
  gint64 now = g_get_monotonic_time ();

  if (phase == IMGSCAN_CLIENT_PHASE_UPLOADING && phases->uploading == 0)
    phases->uploading = now;
  else if (phase == IMGSCAN_CLIENT_PHASE_SEARCHING && phases->searching == 0)
    phases->searching = now;
}

static int
upload (const char *url,
        const char *path)
{
  g_autoptr(ImgscanClient) client = imgscan_client_new (url, url);
  g_autoptr(GFile) image = g_file_new_for_commandline_arg (path);
  g_autoptr(GAsyncResult) login = NULL;
  g_autoptr(GAsyncResult) check = NULL;
  g_autoptr(ImgscanResult) result = NULL;
  g_autoptr(ImgscanImageInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  struct rusage usage;
  Phases phases = { 0 };
  gint64 end;

  imgscan_client_set_use_keyring (client, FALSE);
  imgscan_client_set_credentials (client, MOCK_EMAIL, MOCK_KEY);

  /* The login is not part of the upload: curl is given a token too. */
  imgscan_client_login_async (client, NULL, store_result_cb, &login);
  if (!imgscan_client_login_finish (client, wait_for (&login), &error))
    {
      g_printerr ("bench-upload: login failed: %s\n", error->message);
      return 1;
    }

  phases.start = g_get_monotonic_time ();
  imgscan_client_check_async (client, image, NULL, TRUE, progress_cb, &phases, NULL, NULL,
                              store_result_cb, &check);
  result = imgscan_client_check_finish (client, wait_for (&check), NULL, &info, &error);
  end = g_get_monotonic_time ();
  if (result == NULL)
    {
      g_printerr ("bench-upload: check failed: %s\n", error->message);
      return 1;
    }

  getrusage (RUSAGE_SELF, &usage);
  /* Where the time goes: local checks until the first byte is sent, the upload, the reply. */
  printf ("seconds=%.4f max_rss_kb=%ld bytes=%" G_GUINT64_FORMAT
          " before_upload=%.4f upload=%.4f reply=%.4f\n",
          (end - phases.start) / (double) G_USEC_PER_SEC, usage.ru_maxrss,
          imgscan_image_info_get_size (info),
          phases.uploading ? (phases.uploading - phases.start) / (double) G_USEC_PER_SEC : 0.0,
          phases.uploading && phases.searching
            ? (phases.searching - phases.uploading) / (double) G_USEC_PER_SEC : 0.0,
          phases.searching ? (end - phases.searching) / (double) G_USEC_PER_SEC : 0.0);
  return 0;
}

static int
make_image (const char *size_text,
            const char *path)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 640, 480);
  g_autoptr(GError) error = NULL;
  g_autofree char *jpeg = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  guint64 size = 0;
  gsize jpeg_size = 0;
  guchar *data;

  if (!g_ascii_string_to_unsigned (size_text, 10, 1, G_MAXUINT32, &size, &error))
    {
      g_printerr ("bench-upload: %s\n", error->message);
      return 1;
    }

  gdk_pixbuf_fill (pixbuf, 0x4080c0ff);
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &jpeg, &jpeg_size, "jpeg", &error, NULL))
    {
      g_printerr ("bench-upload: %s\n", error->message);
      return 1;
    }

  data = g_malloc (MAX (size, jpeg_size));
  memcpy (data, jpeg, jpeg_size);
  for (gsize i = jpeg_size; i < size; i++)
    data[i] = (guchar) g_rand_int (rand);
  if (!g_file_set_contents (path, (const char *) data, MAX (size, jpeg_size), &error))
    {
      g_printerr ("bench-upload: %s\n", error->message);
      g_free (data);
      return 1;
    }
  g_free (data);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  if (argc == 2 && g_str_equal (argv[1], "serve"))
    return serve ();
  if (argc == 4 && g_str_equal (argv[1], "upload"))
    return upload (argv[2], argv[3]);
  if (argc == 4 && g_str_equal (argv[1], "make-image"))
    return make_image (argv[2], argv[3]);

  g_printerr ("usage: bench-upload serve | upload URL IMAGE | make-image BYTES OUT\n");
  return 1;
}
