/* test-demo-server.c: the offline demo server, through the real client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <libsoup/soup.h>

#include "imgscan-core.h"
#include "test-util.h"

typedef struct
{
  ImgscanDemoServer *server;
  ImgscanClient     *client;
  SoupSession       *session;
  GFile             *image;
} Fixture;

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

/* A real photo-sized PNG made by the test, so the reply's width and height can be checked. */
static GFile *
write_test_image (int width,
                  int height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "holiday photo.png", NULL);

  gdk_pixbuf_fill (pixbuf, 0x336699ff);
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->server = imgscan_demo_server_new (&error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->server);
  g_assert_true (g_str_has_prefix (imgscan_demo_server_get_url (fixture->server), "http://127.0.0.1:"));
  /* The default pause is for people watching; tests need not wait. */
  imgscan_demo_server_set_delay (fixture->server, 0);

  fixture->client = imgscan_client_new (imgscan_demo_server_get_url (fixture->server),
                                        imgscan_demo_server_get_url (fixture->server));
  imgscan_client_set_use_keyring (fixture->client, FALSE);
  imgscan_client_set_credentials (fixture->client, IMGSCAN_DEMO_EMAIL, IMGSCAN_DEMO_KEY);

  fixture->session = soup_session_new ();
  /* 127.0.0.1 only; the desktop's proxy settings need schemas isolation hides. */
  soup_session_set_proxy_resolver (fixture->session, NULL);
  fixture->image = write_test_image (320, 200);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_file_delete (fixture->image, NULL, NULL);
  g_clear_object (&fixture->image);
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->server);
}

static ImgscanResult *
run_check (Fixture     *fixture,
           const char  *scan_id,
           GBytes     **raw_reply)
{
  g_autoptr(GAsyncResult) async = NULL;
  g_autoptr(GError) error = NULL;
  ImgscanResult *result;

  imgscan_client_check_async (fixture->client, fixture->image, scan_id, TRUE,
                              NULL, NULL, NULL, NULL, store_result_cb, &async);
  wait_for (&async);
  result = imgscan_client_check_finish (fixture->client, async, raw_reply, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static GBytes *
fetch (Fixture     *fixture,
       const char  *method,
       const char  *url,
       guint       *status,
       char       **content_type)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) async = NULL;
  GBytes *body;

  g_assert_nonnull (msg);
  /* Async: the server answers from this same main context. */
  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    store_result_cb, &async);
  body = soup_session_send_and_read_finish (fixture->session, wait_for (&async), &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  if (content_type != NULL)
    *content_type = g_strdup (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL));
  return body;
}

static void
test_check_matches (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(ImgscanResult) result = NULL;
  g_autoptr(GBytes) raw = NULL;
  const char *url = imgscan_demo_server_get_url (fixture->server);
  GListModel *full;
  GListModel *partial;

  result = run_check (fixture, "demo-scan-1", &raw);
  g_assert_nonnull (raw);
  g_assert_cmpuint (imgscan_client_get_n_logins (fixture->client), ==, 1);

  /* The request's own scan id, file name and dimensions come back, as Copyleaks does. */
  g_assert_cmpstr (imgscan_result_get_scan_id (result), ==, "demo-scan-1");
  g_assert_cmpstr (imgscan_result_get_filename (result), ==, "holiday photo.png");
  g_assert_cmpuint (imgscan_result_get_width (result), ==, 320);
  g_assert_cmpuint (imgscan_result_get_height (result), ==, 200);
  g_assert_cmpint (imgscan_result_get_expected_credits (result), ==, 1);
  g_assert_cmpint (imgscan_result_get_actual_credits (result), ==, 1);
  g_assert_null (imgscan_result_get_developer_payload (result));
  g_assert_nonnull (imgscan_result_get_creation_time (result));

  full = imgscan_result_get_full_matches (result);
  partial = imgscan_result_get_partial_matches (result);
  g_assert_cmpuint (g_list_model_get_n_items (full), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (partial), ==, 5);
  g_assert_cmpuint (g_list_model_get_n_items (imgscan_result_get_other_matches (result)), ==, 0);
  g_assert_cmpuint (imgscan_result_get_score_full (result), ==, 3);
  g_assert_cmpuint (imgscan_result_get_score_partial (result), ==, 5);
  g_assert_cmpuint (imgscan_result_get_score_total (result), ==, 8);
  g_assert_false (imgscan_result_get_score_mismatch (result));
  g_assert_cmpuint (imgscan_result_get_n_duplicates (result), ==, 0);

  for (guint i = 0; i < g_list_model_get_n_items (imgscan_result_get_matches (result)); i++)
    {
      g_autoptr(ImgscanMatch) match = g_list_model_get_item (imgscan_result_get_matches (result), i);
      guint n_pages = imgscan_match_get_n_pages (match);

      g_assert_true (g_str_has_prefix (imgscan_match_get_url (match), url));
      g_assert_cmpstr (imgscan_match_get_domain (match), ==, "127.0.0.1");
      g_assert_cmpuint (n_pages, >=, 1);
      g_assert_cmpuint (n_pages, <=, 3);
    }

  /* A second scan reuses the token: no new login. */
  g_clear_object (&result);
  result = run_check (fixture, NULL, NULL);
  g_assert_cmpuint (imgscan_client_get_n_logins (fixture->client), ==, 1);
  g_assert_true (g_uuid_string_is_valid (imgscan_result_get_scan_id (result)));
}

static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  double *aspect = user_data;

  *aspect = (double) width / height;
}

static void
test_images_and_pages_served (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(ImgscanResult) result = run_check (fixture, NULL, NULL);
  GListModel *matches = imgscan_result_get_matches (result);
  g_autoptr(GHashTable) seen_images = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                                             (GDestroyNotify) g_bytes_unref, NULL);
  g_autoptr(GHashTable) seen_pages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) aspects = g_hash_table_new (g_int64_hash, g_int64_equal);
  gint64 aspect_keys[16];

  for (guint i = 0; i < g_list_model_get_n_items (matches); i++)
    {
      g_autoptr(ImgscanMatch) match = g_list_model_get_item (matches, i);
      const char * const *pages = imgscan_match_get_pages (match);
      g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
      g_autoptr(GBytes) body = NULL;
      g_autofree char *content_type = NULL;
      g_autoptr(GError) error = NULL;
      GdkPixbuf *pixbuf;
      double aspect = 0;
      guint status = 0;

      body = fetch (fixture, "GET", imgscan_match_get_url (match), &status, &content_type);
      g_assert_cmpuint (status, ==, 200);
      g_assert_true (g_str_has_prefix (content_type, "image/"));

      /* A real, decodable photo-sized image. */
      g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &aspect);
      gdk_pixbuf_loader_write_bytes (loader, body, &error);
      g_assert_no_error (error);
      gdk_pixbuf_loader_close (loader, &error);
      g_assert_no_error (error);
      pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
      g_assert_nonnull (pixbuf);
      g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), >=, 200);
      g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), >=, 200);

      /* Every image is different. */
      g_assert_false (g_hash_table_contains (seen_images, body));
      g_hash_table_add (seen_images, g_bytes_ref (body));
      aspect_keys[i % G_N_ELEMENTS (aspect_keys)] = (gint64) (aspect * 100);
      g_hash_table_add (aspects, &aspect_keys[i % G_N_ELEMENTS (aspect_keys)]);

      for (guint p = 0; pages[p] != NULL; p++)
        {
          g_autoptr(GBytes) page = NULL;
          g_autofree char *page_type = NULL;
          g_autofree char *text = NULL;

          g_assert_false (g_hash_table_contains (seen_pages, pages[p]));
          g_hash_table_add (seen_pages, g_strdup (pages[p]));

          page = fetch (fixture, "GET", pages[p], &status, &page_type);
          g_assert_cmpuint (status, ==, 200);
          g_assert_cmpstr (page_type, ==, "text/html");
          text = g_strndup (g_bytes_get_data (page, NULL), g_bytes_get_size (page));
          g_assert_nonnull (strstr (text, "Demo gallery"));
          g_assert_nonnull (strstr (text, "<img src=\"/images/"));
        }
    }

  g_assert_cmpuint (g_hash_table_size (seen_images), ==, 8);
  /* Different aspect ratios, like real finds. */
  g_assert_cmpuint (g_hash_table_size (aspects), >=, 4);
}

static void
test_unknown_paths (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *url = imgscan_demo_server_get_url (fixture->server);
  const char *missing[] = { "/images/0.jpg", "/images/9.jpg", "/images/1.png", "/images/x.jpg",
                            "/pages/0.html", "/pages/999.html", "/pages/1.htm", "/nothing" };

  for (guint i = 0; i < G_N_ELEMENTS (missing); i++)
    {
      g_autofree char *uri = g_strconcat (url, missing[i], NULL);
      g_autoptr(GBytes) body = NULL;
      guint status = 0;

      body = fetch (fixture, "GET", uri, &status, NULL);
      g_assert_cmpuint (status, ==, 404);
    }
}

static void
test_check_needs_token (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *uri = g_strconcat (imgscan_demo_server_get_url (fixture->server),
                                      "/v1/image-plagiarism-detector/abc/check", NULL);
  g_autoptr(GBytes) body = NULL;
  guint status = 0;

  body = fetch (fixture, "POST", uri, &status, NULL);
  g_assert_cmpuint (status, ==, 401);
}

static void
test_credits (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GAsyncResult) async = NULL;
  g_autoptr(GError) error = NULL;
  gint64 credits;

  imgscan_client_get_credits_async (fixture->client, NULL, store_result_cb, &async);
  wait_for (&async);
  credits = imgscan_client_get_credits_finish (fixture->client, async, &error);
  g_assert_no_error (error);
  g_assert_cmpint (credits, ==, 100);
}

static void
searching_cb (ImgscanClientPhase phase,
              guint64            done,
              guint64            total,
              gpointer           user_data)
{
  gboolean *searching = user_data;

  if (phase == IMGSCAN_CLIENT_PHASE_SEARCHING)
    *searching = TRUE;
}

static void
test_dispose_while_waiting (void)
{
  g_autoptr(ImgscanDemoServer) server = NULL;
  g_autoptr(ImgscanClient) client = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) async = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) image = write_test_image (64, 48);
  g_autoptr(ImgscanResult) result = NULL;
  ImgscanDemoServer *weak;
  gboolean searching = FALSE;

  /* The server goes away while a reply is held back: no crash, the client gets an error. */
  server = imgscan_demo_server_new (&error);
  g_assert_no_error (error);
  imgscan_demo_server_set_delay (server, 60000);
  client = imgscan_client_new (imgscan_demo_server_get_url (server),
                               imgscan_demo_server_get_url (server));
  imgscan_client_set_use_keyring (client, FALSE);
  imgscan_client_set_credentials (client, IMGSCAN_DEMO_EMAIL, IMGSCAN_DEMO_KEY);
  imgscan_client_check_async (client, image, NULL, TRUE, searching_cb, &searching, NULL,
                              cancellable, store_result_cb, &async);
  /* The upload is done and the reply is held back. */
  while (!searching && async == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (searching);
  g_assert_null (async);

  weak = server;
  g_object_add_weak_pointer (G_OBJECT (server), (gpointer *) &weak);
  g_clear_object (&server);
  g_assert_null (weak);

  g_cancellable_cancel (cancellable);
  wait_for (&async);
  result = imgscan_client_check_finish (client, async, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_nonnull (error);
  g_file_delete (image, NULL, NULL);
}

int
main (int    argc,
      char **argv)
{
  /* Format sniffing reads the system's shared-mime-info, which isolated dirs hide. */
  test_util_remember_system_data_dirs ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  test_util_keep_mime_database ();

  g_test_add ("/demo-server/check-matches", Fixture, NULL,
              fixture_set_up, test_check_matches, fixture_tear_down);
  g_test_add ("/demo-server/images-and-pages", Fixture, NULL,
              fixture_set_up, test_images_and_pages_served, fixture_tear_down);
  g_test_add ("/demo-server/unknown-paths", Fixture, NULL,
              fixture_set_up, test_unknown_paths, fixture_tear_down);
  g_test_add ("/demo-server/check-needs-token", Fixture, NULL,
              fixture_set_up, test_check_needs_token, fixture_tear_down);
  g_test_add ("/demo-server/credits", Fixture, NULL,
              fixture_set_up, test_credits, fixture_tear_down);
  g_test_add_func ("/demo-server/dispose-while-waiting", test_dispose_while_waiting);

  return g_test_run ();
}
