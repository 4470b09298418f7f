/* test-thumbnail-loader.c: thumbnails from a local SoupServer, caches, limits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "imgscan-thumbnail-loader.h"
#include "test-util.h"

typedef struct
{
  SoupServer   *server;
  char         *base;
  guint         n_server_requests;
  GBytes       *png;           /* 400 × 200 */
  GBytes       *huge_png;      /* declares 20000 × 20000 */
  GCancellable *cancel_on_slow;
  GPtrArray    *paused;
} Fixture;

static GBytes *
make_png (int width,
          int height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize len = 0;

  gdk_pixbuf_fill (pixbuf, 0x3366ccff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, "png", &error, NULL));
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, len);
}

/* A real PNG whose IHDR is rewritten to claim 20000 × 20000, with a valid CRC, so the
 * decoder believes it and only our size check stands between it and 1.6 GB. */
static GBytes *
make_huge_png (void)
{
  g_autoptr(GBytes) small = make_png (16, 16);
  gsize len = g_bytes_get_size (small);
  guint8 *data = g_memdup2 (g_bytes_get_data (small, NULL), len);

  g_assert_cmpmem (data + 12, 4, "IHDR", 4);
  test_util_png_set_size (data, 20000, 20000);
  return g_bytes_new_take (data, len);
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *fixture = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  fixture->n_server_requests++;

  if (g_str_has_prefix (path, "/img"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_content_type (headers, "image/png", NULL);
      soup_message_body_append_bytes (body, fixture->png);
    }
  else if (g_str_equal (path, "/huge.png"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_content_type (headers, "image/png", NULL);
      soup_message_body_append_bytes (body, fixture->huge_png);
    }
  else if (g_str_equal (path, "/garbage"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_content_type (headers, "image/png", NULL);
      soup_message_body_append (body, SOUP_MEMORY_STATIC, "\x89PNG not really", 15);
    }
  else if (g_str_equal (path, "/big-length"))
    {
      gsize len = IMGSCAN_THUMBNAIL_MAX_DOWNLOAD + 1;

      soup_server_message_set_status (msg, 200, NULL);
      soup_message_body_append_take (body, g_malloc0 (len), len);
    }
  else if (g_str_equal (path, "/big-chunked"))
    {
      gsize chunk = 1024 * 1024;

      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      for (guint i = 0; i <= IMGSCAN_THUMBNAIL_MAX_DOWNLOAD / chunk; i++)
        soup_message_body_append_take (body, g_malloc0 (chunk), chunk);
      soup_message_body_complete (body);
    }
  else if (g_str_equal (path, "/slow"))
    {
      /* Headers and a first chunk, then nothing until the test ends. */
      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      soup_message_body_append (body, SOUP_MEMORY_STATIC, "\x89PNG\r\n", 6);
      soup_server_message_pause (msg);
      g_ptr_array_add (fixture->paused, g_object_ref (msg));
      if (fixture->cancel_on_slow != NULL)
        g_cancellable_cancel (fixture->cancel_on_slow);
    }
  else
    {
      soup_server_message_set_status (msg, 404, NULL);
    }
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  fixture->png = make_png (400, 200);
  fixture->huge_png = make_huge_png ();
  fixture->paused = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, NULL, server_cb, fixture, NULL);
  soup_server_listen_local (fixture->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fixture->server);
  fixture->base = g_uri_to_string (uris->data);
  if (g_str_has_suffix (fixture->base, "/"))
    fixture->base[strlen (fixture->base) - 1] = '\0';
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  for (guint i = 0; i < fixture->paused->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (fixture->paused, i);

      soup_message_body_complete (soup_server_message_get_response_body (msg));
      soup_server_message_unpause (msg);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_clear_pointer (&fixture->paused, g_ptr_array_unref);
  g_clear_pointer (&fixture->png, g_bytes_unref);
  g_clear_pointer (&fixture->huge_png, g_bytes_unref);
  g_clear_object (&fixture->cancel_on_slow);
  g_free (fixture->base);
}

static char *
url_for (Fixture    *fixture,
         const char *path)
{
  return g_strconcat (fixture->base, path, NULL);
}

static GFile *
cache_dir (void)
{
  /* G_TEST_OPTION_ISOLATE_DIRS gives every test case its own cache directory. */
  return g_file_new_build_filename (g_get_user_cache_dir (), "thumbs", NULL);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GdkPixbuf *
load (ImgscanThumbnailLoader *loader,
      const char             *url,
      int                     size,
      GCancellable           *cancellable,
      GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  imgscan_thumbnail_loader_load_async (loader, url, size, cancellable, load_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return imgscan_thumbnail_loader_load_finish (loader, result, error);
}

static void
assert_loads (ImgscanThumbnailLoader *loader,
              const char             *url,
              int                     size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = load (loader, url, size, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (pixbuf);
  g_assert_cmpint (MAX (gdk_pixbuf_get_width (pixbuf), gdk_pixbuf_get_height (pixbuf)), ==, size);
}

static void
assert_fails (ImgscanThumbnailLoader *loader,
              const char             *url,
              GQuark                  domain,
              int                     code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = load (loader, url, 64, NULL, &error);

  g_assert_error (error, domain, code);
  g_assert_null (pixbuf);
}

static void
test_valid_then_memory (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GFile) dir = cache_dir ();
  g_autoptr(ImgscanThumbnailLoader) loader = imgscan_thumbnail_loader_new (dir, 10);
  g_autofree char *url = url_for (fixture, "/img.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  pixbuf = load (loader, url, 64, NULL, &error);
  g_assert_no_error (error);
  /* 400 × 200 scaled to fit 64 × 64, aspect kept. */
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 64);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 32);
  g_assert_cmpuint (imgscan_thumbnail_loader_get_n_requests (loader), ==, 1);
  g_assert_cmpuint (fixture->n_server_requests, ==, 1);

  /* A second look comes from memory. */
  assert_loads (loader, url, 64);
  g_assert_cmpuint (imgscan_thumbnail_loader_get_n_requests (loader), ==, 1);
  g_assert_cmpuint (fixture->n_server_requests, ==, 1);
  g_assert_cmpuint (imgscan_thumbnail_loader_get_n_memory_entries (loader), ==, 1);

  /* Another size is another thumbnail. */
  assert_loads (loader, url, 100);
  g_assert_cmpuint (fixture->n_server_requests, ==, 2);
}

/* A worker thread may drop its last reference to a task (and so to the loader) just
 * after the result has reached us: wait for that, then insist on finalization. */
static void
assert_finalize (gpointer object)
{
  gpointer weak = object;

  g_object_add_weak_pointer (object, &weak);
  g_object_unref (object);
  while (weak != NULL)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
test_disk_cache (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GFile) dir = cache_dir ();
  g_autofree char *url = url_for (fixture, "/img.png");
  g_autoptr(ImgscanThumbnailLoader) first = imgscan_thumbnail_loader_new (dir, 10);
  g_autoptr(ImgscanThumbnailLoader) second = NULL;

  assert_loads (first, url, 48);
  g_assert_cmpuint (fixture->n_server_requests, ==, 1);
  assert_finalize (g_steal_pointer (&first));

  second = imgscan_thumbnail_loader_new (dir, 10);
  assert_loads (second, url, 48);
  g_assert_cmpuint (imgscan_thumbnail_loader_get_n_requests (second), ==, 0);
  g_assert_cmpuint (fixture->n_server_requests, ==, 1);

  /* With the network off, the disk cache still answers. */
  assert_finalize (g_steal_pointer (&second));
  second = imgscan_thumbnail_loader_new (dir, 10);
  imgscan_thumbnail_loader_set_network_enabled (second, FALSE);
  assert_loads (second, url, 48);
  g_assert_cmpuint (fixture->n_server_requests, ==, 1);
}

static void
test_errors (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GFile) dir = cache_dir ();
  g_autoptr(ImgscanThumbnailLoader) loader = imgscan_thumbnail_loader_new (dir, 10);
  g_autofree char *garbage = url_for (fixture, "/garbage");
  g_autofree char *missing = url_for (fixture, "/missing.png");
  g_autofree char *big_length = url_for (fixture, "/big-length");
  g_autofree char *big_chunked = url_for (fixture, "/big-chunked");
  g_autofree char *huge = url_for (fixture, "/huge.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  assert_fails (loader, garbage, IMGSCAN_THUMBNAIL_ERROR, IMGSCAN_THUMBNAIL_ERROR_NOT_IMAGE);
  assert_fails (loader, missing, IMGSCAN_THUMBNAIL_ERROR, IMGSCAN_THUMBNAIL_ERROR_HTTP);
  assert_fails (loader, big_length, IMGSCAN_THUMBNAIL_ERROR, IMGSCAN_THUMBNAIL_ERROR_TOO_LARGE);
  assert_fails (loader, big_chunked, IMGSCAN_THUMBNAIL_ERROR, IMGSCAN_THUMBNAIL_ERROR_TOO_LARGE);

  /* The size check refuses it before the decoder allocates 20000 × 20000. */
  pixbuf = load (loader, huge, 64, NULL, &error);
  g_assert_error (error, IMGSCAN_THUMBNAIL_ERROR, IMGSCAN_THUMBNAIL_ERROR_NOT_IMAGE);
  g_assert_nonnull (strstr (error->message, "20000"));
  g_assert_null (pixbuf);

  /* Failures are not cached: each try asks again. */
  g_assert_cmpuint (imgscan_thumbnail_loader_get_n_memory_entries (loader), ==, 0);
  assert_fails (loader, garbage, IMGSCAN_THUMBNAIL_ERROR, IMGSCAN_THUMBNAIL_ERROR_NOT_IMAGE);
  g_assert_cmpuint (imgscan_thumbnail_loader_get_n_requests (loader), ==, 6);
  g_assert_cmpuint (fixture->n_server_requests, ==, 6);
}

static void
test_not_web (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GFile) dir = cache_dir ();
  g_autoptr(ImgscanThumbnailLoader) loader = imgscan_thumbnail_loader_new (dir, 10);
  const char *urls[] = {
    "javascript:alert(1)",
    "file:///etc/passwd",
    "data:image/png;base64,iVBORw0KGgo=",
    "ftp://example.com/a.png",
    "/img.png",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    assert_fails (loader, urls[i], IMGSCAN_THUMBNAIL_ERROR, IMGSCAN_THUMBNAIL_ERROR_NOT_WEB);

  g_assert_cmpuint (imgscan_thumbnail_loader_get_n_requests (loader), ==, 0);
  g_assert_cmpuint (fixture->n_server_requests, ==, 0);
}

static void
test_network_disabled (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GFile) dir = cache_dir ();
  g_autoptr(ImgscanThumbnailLoader) loader = imgscan_thumbnail_loader_new (dir, 10);
  g_autofree char *url = url_for (fixture, "/img.png");

  g_assert_true (imgscan_thumbnail_loader_get_network_enabled (loader));
  imgscan_thumbnail_loader_set_network_enabled (loader, FALSE);
  g_assert_false (imgscan_thumbnail_loader_get_network_enabled (loader));
  assert_fails (loader, url, IMGSCAN_THUMBNAIL_ERROR, IMGSCAN_THUMBNAIL_ERROR_DISABLED);
  g_assert_cmpuint (imgscan_thumbnail_loader_get_n_requests (loader), ==, 0);
  g_assert_cmpuint (fixture->n_server_requests, ==, 0);

  imgscan_thumbnail_loader_set_network_enabled (loader, TRUE);
  assert_loads (loader, url, 32);
  g_assert_cmpuint (fixture->n_server_requests, ==, 1);

  /* Off again: what is in memory still shows. */
  imgscan_thumbnail_loader_set_network_enabled (loader, FALSE);
  assert_loads (loader, url, 32);
  g_assert_cmpuint (fixture->n_server_requests, ==, 1);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GFile) dir = cache_dir ();
  g_autoptr(ImgscanThumbnailLoader) loader = imgscan_thumbnail_loader_new (dir, 10);
  g_autofree char *slow = url_for (fixture, "/slow");
  g_autofree char *url = url_for (fixture, "/img.png");
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  /* Cancelled while the body is still arriving. */
  fixture->cancel_on_slow = g_cancellable_new ();
  pixbuf = load (loader, slow, 64, fixture->cancel_on_slow, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (pixbuf);
  g_assert_cmpuint (fixture->paused->len, ==, 1);
  g_clear_error (&error);

  /* Cancelled before it starts: no request at all. */
  g_cancellable_cancel (cancelled);
  pixbuf = load (loader, url, 64, cancelled, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (pixbuf);
  g_assert_cmpuint (fixture->n_server_requests, ==, 1);
}

static void
test_shared (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GFile) dir = cache_dir ();
  g_autoptr(ImgscanThumbnailLoader) loader = imgscan_thumbnail_loader_new (dir, 10);
  g_autofree char *url = url_for (fixture, "/img.png");
  g_autofree char *slow = url_for (fixture, "/slow");
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GdkPixbuf) p1 = NULL;
  g_autoptr(GdkPixbuf) p2 = NULL;
  g_autoptr(GCancellable) c2 = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  /* Two rows asking for the same thumbnail at once: one download. */
  imgscan_thumbnail_loader_load_async (loader, url, 64, NULL, load_cb, &r1);
  imgscan_thumbnail_loader_load_async (loader, url, 64, NULL, load_cb, &r2);
  while (r1 == NULL || r2 == NULL)
    g_main_context_iteration (NULL, TRUE);
  p1 = imgscan_thumbnail_loader_load_finish (loader, r1, &error);
  g_assert_no_error (error);
  p2 = imgscan_thumbnail_loader_load_finish (loader, r2, &error);
  g_assert_no_error (error);
  g_assert_true (p1 == p2);
  g_assert_cmpuint (imgscan_thumbnail_loader_get_n_requests (loader), ==, 1);
  g_assert_cmpuint (fixture->n_server_requests, ==, 1);
  g_clear_object (&r1);
  g_clear_object (&r2);

  /* One of two waiters cancels: it is answered at once, the download goes on for
   * the other; when that one cancels too, the download stops. */
  fixture->cancel_on_slow = g_cancellable_new ();
  imgscan_thumbnail_loader_load_async (loader, slow, 64, fixture->cancel_on_slow, load_cb, &r1);
  imgscan_thumbnail_loader_load_async (loader, slow, 64, c2, load_cb, &r2);
  while (r1 == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (imgscan_thumbnail_loader_load_finish (loader, r1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  for (guint i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (r2);

  g_cancellable_cancel (c2);
  while (r2 == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (imgscan_thumbnail_loader_load_finish (loader, r2, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (imgscan_thumbnail_loader_get_n_requests (loader), ==, 2);
  g_assert_cmpuint (fixture->paused->len, ==, 1);
  g_clear_error (&error);
  g_clear_object (&r1);
  g_clear_object (&r2);
  g_clear_object (&p1);

  /* A row scrolled away (cancelled) and straight back: the new request must not join
   * the cancelled download. */
  {
    g_autofree char *other = url_for (fixture, "/img-other.png");
    g_autoptr(GCancellable) c3 = g_cancellable_new ();

    imgscan_thumbnail_loader_load_async (loader, other, 64, c3, load_cb, &r1);
    g_cancellable_cancel (c3);
    while (r1 == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_null (imgscan_thumbnail_loader_load_finish (loader, r1, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);

    p1 = load (loader, other, 64, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (p1);
  }
}

static void
test_lru_bound (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GFile) dir = cache_dir ();
  g_autoptr(ImgscanThumbnailLoader) loader = imgscan_thumbnail_loader_new (dir, 2);
  g_autofree char *a = url_for (fixture, "/img-a.png");
  g_autofree char *b = url_for (fixture, "/img-b.png");
  g_autofree char *c = url_for (fixture, "/img-c.png");
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GError) error = NULL;
  GFileInfo *info;
  guint n_files = 0;

  assert_loads (loader, a, 32);
  assert_loads (loader, b, 32);
  assert_loads (loader, a, 32);   /* a is now the most recent */
  assert_loads (loader, c, 32);   /* evicts b */
  g_assert_cmpuint (imgscan_thumbnail_loader_get_n_memory_entries (loader), ==, 2);
  g_assert_cmpuint (fixture->n_server_requests, ==, 3);

  /* Empty the disk cache and go offline: only memory can answer now. */
  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NONE, NULL, &error);
  g_assert_no_error (error);
  while ((info = g_file_enumerator_next_file (children, NULL, &error)) != NULL)
    {
      g_autoptr(GFile) child = g_file_get_child (dir, g_file_info_get_name (info));

      g_assert_true (g_str_has_suffix (g_file_info_get_name (info), ".png"));
      g_assert_true (g_file_delete (child, NULL, &error));
      g_object_unref (info);
      n_files++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n_files, ==, 3);

  imgscan_thumbnail_loader_set_network_enabled (loader, FALSE);
  assert_loads (loader, a, 32);
  assert_loads (loader, c, 32);
  assert_fails (loader, b, IMGSCAN_THUMBNAIL_ERROR, IMGSCAN_THUMBNAIL_ERROR_DISABLED);
  g_assert_cmpuint (imgscan_thumbnail_loader_get_n_memory_entries (loader), ==, 2);
}

static guint
count_cache_files (GFile *dir)
{
  g_autoptr(GDir) d = g_dir_open (g_file_peek_path (dir), 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_disk_bound (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GFile) dir = cache_dir ();
  g_autoptr(ImgscanThumbnailLoader) loader = imgscan_thumbnail_loader_new (dir, 10);
  g_autoptr(ImgscanThumbnailLoader) offline = NULL;
  char *url[7] = { NULL };

  for (guint i = 1; i <= 6; i++)
    url[i] = g_strdup_printf ("%s/img-%u.png", fixture->base, i);

  imgscan_thumbnail_loader_set_disk_entries (loader, 4);
  for (guint i = 1; i <= 4; i++)
    {
      assert_loads (loader, url[i], 32);
      /* Distinct modification times, whatever the file system's clock granularity. */
      g_usleep (20 * 1000);
    }
  g_assert_cmpuint (count_cache_files (dir), ==, 4);

  /* A look at img-1 from disk makes it recently used. */
  offline = imgscan_thumbnail_loader_new (dir, 10);
  imgscan_thumbnail_loader_set_network_enabled (offline, FALSE);
  assert_loads (offline, url[1], 32);
  g_usleep (20 * 1000);
  g_clear_object (&offline);

  assert_loads (loader, url[5], 32);
  g_usleep (20 * 1000);
  assert_loads (loader, url[6], 32);
  g_assert_cmpuint (count_cache_files (dir), <=, 4);

  /* What is left on disk: the recently used, not the oldest. */
  offline = imgscan_thumbnail_loader_new (dir, 10);
  imgscan_thumbnail_loader_set_network_enabled (offline, FALSE);
  assert_loads (offline, url[1], 32);
  assert_loads (offline, url[6], 32);
  assert_fails (offline, url[2], IMGSCAN_THUMBNAIL_ERROR, IMGSCAN_THUMBNAIL_ERROR_DISABLED);
  g_assert_cmpuint (imgscan_thumbnail_loader_get_n_requests (offline), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (url); i++)
    g_free (url[i]);
}

static void
test_default (void)
{
  ImgscanThumbnailLoader *loader = imgscan_thumbnail_loader_get_default ();

  g_assert_true (IMGSCAN_IS_THUMBNAIL_LOADER (loader));
  g_assert_true (loader == imgscan_thumbnail_loader_get_default ());
  g_assert_true (imgscan_thumbnail_loader_get_network_enabled (loader));
}

int
main (int   argc,
      char *argv[])
{
  /* Requests go straight to 127.0.0.1, whatever proxy the machine has. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  /* Isolated data dirs also hide shared-mime-info, as in the window's tests: the
   * loader must decode by the declared type, without MIME sniffing. */
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/thumbnail-loader/valid-then-memory", test_valid_then_memory);
  ADD ("/thumbnail-loader/disk-cache", test_disk_cache);
  ADD ("/thumbnail-loader/errors", test_errors);
  ADD ("/thumbnail-loader/not-web", test_not_web);
  ADD ("/thumbnail-loader/network-disabled", test_network_disabled);
  ADD ("/thumbnail-loader/cancel", test_cancel);
  ADD ("/thumbnail-loader/shared", test_shared);
  ADD ("/thumbnail-loader/lru-bound", test_lru_bound);
  ADD ("/thumbnail-loader/disk-bound", test_disk_bound);
#undef ADD
  g_test_add_func ("/thumbnail-loader/default", test_default);

  return g_test_run ();
}
