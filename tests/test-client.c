/* test-client.c: the Copyleaks client against the in-process mock server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>
#include <unistd.h>

#include "imgscan-core.h"
#include "imgscan-upload-stream.h"
#include "mock-server.h"
#include "test-util.h"

/* Waits shrink to a thousandth: the retry logic runs, the suite stays fast. */
#define TEST_BACKOFF_SCALE 0.001

typedef struct
{
  GMainContext  *context;
  MockServer    *mock;
  ImgscanClient *client;
  char          *tmpdir;
  GFile         *image;

  /* The last check */
  gboolean       done;
  ImgscanResult *result;
  GBytes        *raw;
  ImgscanImageInfo *info;
  GError        *error;
  gboolean       resent;
  char          *scan_id;

  /* Progress seen, and when to cancel */
  GArray        *phases;
  gint64         retry_total_ms;
  guint64        last_upload_done;
  guint64        last_upload_total;
  GCancellable  *cancellable;
  int            cancel_at_phase;   /* -1: never */
  char          *truncate_path;     /* cut this file short once the upload has begun */
} Fixture;

static GFile *
write_png (const char *dir,
           const char *name,
           int         width,
           int         height,
           gboolean    noise)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (noise)
    {
      guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
      gsize len = (gsize) gdk_pixbuf_get_rowstride (pixbuf) * height;
      GRand *rand = g_rand_new_with_seed (42);

      for (gsize i = 0; i < len; i++)
        pixels[i] = g_rand_int (rand) & 0xff;
      g_rand_free (rand);
    }
  else
    gdk_pixbuf_fill (pixbuf, 0x3366ccff);

  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->context = g_main_context_new ();
  g_main_context_push_thread_default (f->context);

  f->mock = mock_server_new ();
  f->client = imgscan_client_new (mock_server_get_url (f->mock), mock_server_get_url (f->mock));
  imgscan_client_set_use_keyring (f->client, FALSE);
  imgscan_client_set_credentials (f->client, MOCK_EMAIL, MOCK_KEY);
  imgscan_client_set_backoff_scale (f->client, TEST_BACKOFF_SCALE);

  f->tmpdir = g_dir_make_tmp ("test-client-XXXXXX", &error);
  g_assert_no_error (error);
  f->image = write_png (f->tmpdir, "sunset.png", 64, 48, FALSE);
  f->phases = g_array_new (FALSE, FALSE, sizeof (int));
  f->cancel_at_phase = -1;
}

static void
fixture_clear_check (Fixture *f)
{
  f->done = FALSE;
  g_clear_object (&f->result);
  g_clear_pointer (&f->raw, g_bytes_unref);
  g_clear_object (&f->info);
  g_clear_error (&f->error);
  g_clear_pointer (&f->scan_id, g_free);
  g_array_set_size (f->phases, 0);
  f->retry_total_ms = -1;
  f->last_upload_done = 0;
  f->last_upload_total = 0;
  g_clear_object (&f->cancellable);
}

/* Worker threads (image checks) drop their last reference a moment after their
 * callback has run: give them that moment, then insist the object is gone. */
static void
assert_finalized_soon (GMainContext *context,
                       gpointer      object)
{
  gpointer weak = object;

  g_object_add_weak_pointer (object, &weak);
  g_object_unref (object);
  for (guint i = 0; weak != NULL && i < 5000; i++)
    {
      while (g_main_context_iteration (context, FALSE))
        ;
      if (weak != NULL)
        g_usleep (1000);
    }
  g_assert_null (weak);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  fixture_clear_check (f);
  g_clear_pointer (&f->truncate_path, g_free);
  assert_finalized_soon (f->context, f->client);
  g_assert_finalize_object (f->mock);
  g_clear_object (&f->image);
  test_util_remove_tree (f->tmpdir);
  g_free (f->tmpdir);
  g_array_unref (f->phases);

  /* Let pending cancelled operations unwind before the context goes. */
  while (g_main_context_iteration (f->context, FALSE))
    ;
  g_main_context_pop_thread_default (f->context);
  g_main_context_unref (f->context);
}

static void
progress_cb (ImgscanClientPhase phase,
             guint64            done,
             guint64            total,
             gpointer           user_data)
{
  Fixture *f = user_data;
  int p = phase;

  g_assert_true (g_main_context_get_thread_default () == f->context);
  if (f->phases->len == 0 || g_array_index (f->phases, int, f->phases->len - 1) != p)
    g_array_append_val (f->phases, p);
  if (phase == IMGSCAN_CLIENT_PHASE_UPLOADING)
    {
      g_assert_cmpuint (done, <=, total);
      /* Each attempt starts again at 0, then only grows. */
      if (done > 0)
        g_assert_cmpuint (done, >=, f->last_upload_done);
      f->last_upload_done = done;
      f->last_upload_total = total;
    }
  if (phase == IMGSCAN_CLIENT_PHASE_RETRYING && f->retry_total_ms < 0)
    f->retry_total_ms = total;

  if (f->truncate_path != NULL && phase == IMGSCAN_CLIENT_PHASE_UPLOADING && done > 0)
    {
      g_assert_cmpint (truncate (f->truncate_path, 1000), ==, 0);
      g_clear_pointer (&f->truncate_path, g_free);
    }

  if (f->cancellable != NULL && phase == (ImgscanClientPhase) f->cancel_at_phase
      && (phase != IMGSCAN_CLIENT_PHASE_UPLOADING || done > 0))
    g_cancellable_cancel (f->cancellable);
}

static void
check_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Fixture *f = user_data;

  f->result = imgscan_client_check_finish (IMGSCAN_CLIENT (source), result, &f->raw, &f->info, &f->error);
  f->resent = imgscan_client_check_was_resent (IMGSCAN_CLIENT (source), result);
  f->scan_id = g_strdup (imgscan_client_check_get_scan_id (IMGSCAN_CLIENT (source), result));
  f->done = TRUE;
}

static void
run_check_full (Fixture    *f,
                GFile      *image,
                const char *scan_id,
                gboolean    sandbox)
{
  GCancellable *cancellable = f->cancellable;

  f->cancellable = NULL;
  fixture_clear_check (f);
  f->cancellable = cancellable;

  imgscan_client_check_async (f->client, image, scan_id, sandbox, progress_cb, f, NULL,
                              f->cancellable, check_cb, f);
  while (!f->done)
    g_main_context_iteration (f->context, TRUE);

  if (f->error != NULL)
    {
      g_assert_null (f->result);
      g_assert_nonnull (f->error->message);
      g_assert_cmpstr (f->error->message, !=, "");
    }
  else
    g_assert_nonnull (f->result);
}

static void
run_check (Fixture *f)
{
  run_check_full (f, f->image, NULL, FALSE);
}

static gboolean
phases_contain (Fixture            *f,
                ImgscanClientPhase  phase)
{
  for (guint i = 0; i < f->phases->len; i++)
    if (g_array_index (f->phases, int, i) == (int) phase)
      return TRUE;
  return FALSE;
}

/* ---- the request and the happy path ---- */

static void
test_example (Fixture       *f,
              gconstpointer  data)
{
  const MockCheckRequest *req;
  g_autofree char *contents = NULL;
  gsize length;
  g_autofree char *ua = g_strdup_printf ("ImgScan/%s", PACKAGE_VERSION);
  const char *expected_parts[] = { "image", "filename", "sandbox", NULL };
  g_autofree char *expected_path = NULL;
  g_autofree char *auth = NULL;
  g_auto(GStrv) tokens = NULL;
  const int expected_phases[] = {
    IMGSCAN_CLIENT_PHASE_CHECKING, IMGSCAN_CLIENT_PHASE_LOGGING_IN,
    IMGSCAN_CLIENT_PHASE_UPLOADING, IMGSCAN_CLIENT_PHASE_SEARCHING,
  };

  run_check (f);
  g_assert_no_error (f->error);

  g_assert_cmpuint (g_list_model_get_n_items (imgscan_result_get_full_matches (f->result)), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (imgscan_result_get_partial_matches (f->result)), ==, 1);
  g_assert_cmpstr (imgscan_result_get_scan_id (f->result), ==, f->scan_id);
  g_assert_cmpstr (imgscan_result_get_filename (f->result), ==, "sunset.png");
  g_assert_false (f->resent);

  /* The raw reply and the image info come back too. */
  g_assert_nonnull (f->raw);
  g_assert_nonnull (strstr (g_bytes_get_data (f->raw, NULL), "full-1.jpg"));
  g_assert_nonnull (f->info);
  g_assert_cmpstr (imgscan_image_info_get_mime_type (f->info), ==, "image/png");

  /* The phases, in order */
  g_assert_cmpuint (f->phases->len, ==, G_N_ELEMENTS (expected_phases));
  for (guint i = 0; i < G_N_ELEMENTS (expected_phases); i++)
    g_assert_cmpint (g_array_index (f->phases, int, i), ==, expected_phases[i]);

  /* The request, as libsoup's own multipart parser sees it */
  req = mock_server_get_last_check (f->mock);
  g_assert_nonnull (req);
  g_assert_true (g_regex_match_simple ("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
                                       req->scan_id, 0, 0));
  g_assert_cmpstr (req->scan_id, ==, f->scan_id);
  expected_path = g_strdup_printf ("/v1/image-plagiarism-detector/%s/check", f->scan_id);
  g_assert_cmpstr (req->path, ==, expected_path);
  g_assert_cmpstrv (req->part_names, expected_parts);
  g_assert_cmpstr (req->image_filename, ==, "sunset.png");
  g_assert_cmpstr (req->image_content_type, ==, "image/png");
  g_assert_cmpstr (req->filename, ==, "sunset.png");
  g_assert_cmpstr (req->sandbox, ==, "false");
  g_assert_true (g_str_has_prefix (req->content_type, "multipart/form-data; boundary="));
  g_assert_cmpstr (req->accept, ==, "application/json");
  g_assert_cmpstr (req->accept_encoding, ==, "gzip");
  g_assert_cmpstr (req->user_agent, ==, ua);

  tokens = mock_server_dup_tokens (f->mock);
  g_assert_cmpuint (g_strv_length (tokens), ==, 1);
  auth = g_strdup_printf ("Bearer %s", tokens[0]);
  g_assert_cmpstr (req->authorization, ==, auth);

  g_assert_true (g_file_get_contents (g_file_peek_path (f->image), &contents, &length, NULL));
  g_assert_nonnull (req->image);
  g_assert_cmpmem (g_bytes_get_data (req->image, NULL), g_bytes_get_size (req->image), contents, length);

  /* Upload progress ends at the whole body, which is what was announced. */
  g_assert_cmpuint (f->last_upload_done, ==, f->last_upload_total);
  g_assert_cmpuint (f->last_upload_total, ==, req->content_length);

  g_assert_cmpuint (mock_server_get_n_logins (f->mock), ==, 1);
  g_assert_cmpuint (mock_server_get_n_checks (f->mock), ==, 1);
  g_assert_cmpuint (imgscan_client_get_n_logins (f->client), ==, 1);
}

static void
test_sandbox_and_scan_id (Fixture       *f,
                          gconstpointer  data)
{
  const MockCheckRequest *req;

  run_check_full (f, f->image, "my-scan-0001", TRUE);
  g_assert_no_error (f->error);
  req = mock_server_get_last_check (f->mock);
  g_assert_cmpstr (req->sandbox, ==, "true");
  g_assert_cmpstr (req->scan_id, ==, "my-scan-0001");
  g_assert_cmpstr (f->scan_id, ==, "my-scan-0001");
  g_assert_cmpstr (imgscan_result_get_scan_id (f->result), ==, "my-scan-0001");

  /* Two fresh ids differ. */
  run_check (f);
  g_assert_no_error (f->error);
  {
    g_autofree char *first = g_strdup (f->scan_id);
    run_check (f);
    g_assert_cmpstr (first, !=, f->scan_id);
  }
}

static void
test_bad_scan_id (Fixture       *f,
                  gconstpointer  data)
{
  run_check_full (f, f->image, "Not A Valid/ID", FALSE);
  g_assert_error (f->error, IMGSCAN_CLIENT_ERROR, IMGSCAN_CLIENT_ERROR_INVALID_INPUT);
  g_assert_cmpuint (mock_server_get_n_requests (f->mock), ==, 0);
}

static void
test_awkward_filename (Fixture       *f,
                       gconstpointer  data)
{
  const char *name = "we\"ird\r\nX-Injected: 1\\ name.png";
  g_autoptr(GFile) image = write_png (f->tmpdir, name, 20, 10, FALSE);
  const MockCheckRequest *req;
  const char *expected_parts[] = { "image", "filename", "sandbox", NULL };

  run_check_full (f, image, NULL, FALSE);
  g_assert_no_error (f->error);
  req = mock_server_get_last_check (f->mock);
  g_assert_cmpstrv (req->part_names, expected_parts);
  /* No header can be forged: quotes, backslashes and line breaks are percent-encoded. */
  g_assert_cmpstr (req->image_filename, ==, "we%22ird%0D%0AX-Injected: 1%5C name.png");
  g_assert_cmpstr (req->image_content_type, ==, "image/png");
  /* The filename part is a body: it keeps the real name. */
  g_assert_cmpstr (req->filename, ==, name);
}

static void
test_non_ascii_filename (Fixture       *f,
                         gconstpointer  data)
{
  const char *name = "Sonnenuntergang über dem Meer – 日没.png";
  g_autoptr(GFile) image = write_png (f->tmpdir, name, 20, 10, FALSE);
  const MockCheckRequest *req;

  run_check_full (f, image, NULL, FALSE);
  g_assert_no_error (f->error);
  req = mock_server_get_last_check (f->mock);
  g_assert_cmpstr (req->image_filename, ==, name);
  g_assert_cmpstr (req->filename, ==, name);
}

/* ---- success scenarios ---- */

typedef struct
{
  const char *scenario;
  guint       n_full;
  guint       n_partial;
  guint       n_other;
} SuccessCase;

static const SuccessCase success_cases[] = {
  { "example", 2, 1, 0 },
  { "empty", 0, 0, 0 },
  { "many", 3000, 2000, 0 },
  { "gzip", 2, 1, 0 },
  { "extra-fields", 2, 1, 0 },
  { "null-payload", 2, 1, 0 },
  { "missing-payload", 2, 1, 0 },
  { "out-of-order", 2, 2, 0 },
  { "duplicates", 2, 1, 0 },
  { "unknown-type", 2, 1, 1 },
  { "score-mismatch", 2, 1, 0 },
  { "thumbnails", 2, 2, 0 },
  { "slow", 2, 1, 0 },
};

static void
test_success_scenario (Fixture       *f,
                       gconstpointer  data)
{
  const SuccessCase *c = data;

  mock_server_set_scenario (f->mock, c->scenario);
  mock_server_set_delay (f->mock, 50);
  run_check (f);
  g_assert_no_error (f->error);
  g_assert_cmpuint (g_list_model_get_n_items (imgscan_result_get_full_matches (f->result)), ==, c->n_full);
  g_assert_cmpuint (g_list_model_get_n_items (imgscan_result_get_partial_matches (f->result)), ==, c->n_partial);
  g_assert_cmpuint (g_list_model_get_n_items (imgscan_result_get_other_matches (f->result)), ==, c->n_other);
  g_assert_cmpuint (mock_server_get_n_checks (f->mock), ==, 1);

  if (g_str_equal (c->scenario, "null-payload") || g_str_equal (c->scenario, "missing-payload"))
    g_assert_null (imgscan_result_get_developer_payload (f->result));
  else
    g_assert_cmpstr (imgscan_result_get_developer_payload (f->result), ==, "mock-payload");
  if (g_str_equal (c->scenario, "duplicates"))
    g_assert_cmpuint (imgscan_result_get_n_duplicates (f->result), ==, 2);
  if (g_str_equal (c->scenario, "score-mismatch"))
    g_assert_true (imgscan_result_get_score_mismatch (f->result));
  if (g_str_equal (c->scenario, "example"))
    g_assert_false (imgscan_result_get_score_mismatch (f->result));
  if (g_str_equal (c->scenario, "gzip"))
    /* The raw reply is the decoded JSON, not gzip bytes. */
    g_assert_cmpint (((const char *) g_bytes_get_data (f->raw, NULL))[0], ==, '{');
}

/* ---- error scenarios ---- */

typedef struct
{
  const char *scenario;
  GQuark      (*domain) (void);
  int         code;
  guint       n_checks;
  guint       n_logins;
  const char *message_part;  /* the server's own words, when it sends some */
  gboolean    keeps_raw;
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "status-400", imgscan_client_error_quark, IMGSCAN_CLIENT_ERROR_INVALID_INPUT, 1, 1, "The filename field is required", FALSE },
  { "status-401", imgscan_client_error_quark, IMGSCAN_CLIENT_ERROR_AUTHENTICATION, 2, 2, "Authorization has been denied", FALSE },
  { "status-402", imgscan_client_error_quark, IMGSCAN_CLIENT_ERROR_NOT_ENOUGH_CREDITS, 1, 1, "enough credits", FALSE },
  { "status-403", imgscan_client_error_quark, IMGSCAN_CLIENT_ERROR_AUTHENTICATION, 1, 1, "Your plan does not include", FALSE },
  { "status-404", imgscan_client_error_quark, IMGSCAN_CLIENT_ERROR_INVALID_INPUT, 1, 1, "Not Found", FALSE },
  { "status-500", imgscan_client_error_quark, IMGSCAN_CLIENT_ERROR_SERVER, 2, 1, "Internal server error", FALSE },
  { "status-503", imgscan_client_error_quark, IMGSCAN_CLIENT_ERROR_MAINTENANCE, 4, 1, "scheduled maintenance", FALSE },
  { "payment-error", imgscan_client_error_quark, IMGSCAN_CLIENT_ERROR_NOT_ENOUGH_CREDITS, 1, 1, "no credits left", FALSE },
  { "invalid-json", imgscan_client_error_quark, IMGSCAN_CLIENT_ERROR_INVALID_RESPONSE, 1, 1, NULL, TRUE },
  { "wrong-types", imgscan_client_error_quark, IMGSCAN_CLIENT_ERROR_INVALID_RESPONSE, 1, 1, NULL, TRUE },
  { "not-object", imgscan_client_error_quark, IMGSCAN_CLIENT_ERROR_INVALID_RESPONSE, 1, 1, NULL, TRUE },
  { "huge", imgscan_client_error_quark, IMGSCAN_CLIENT_ERROR_INVALID_RESPONSE, 1, 1, "32", FALSE },
  { "huge-chunked", imgscan_client_error_quark, IMGSCAN_CLIENT_ERROR_INVALID_RESPONSE, 1, 1, "32", FALSE },
  { "truncated", imgscan_client_error_quark, IMGSCAN_CLIENT_ERROR_NETWORK, 2, 1, "billed", FALSE },
  { "drop-connection", imgscan_client_error_quark, IMGSCAN_CLIENT_ERROR_NETWORK, 2, 1, NULL, FALSE },
};

static void
test_error_scenario (Fixture       *f,
                     gconstpointer  data)
{
  const ErrorCase *c = data;

  mock_server_set_scenario (f->mock, c->scenario);
  run_check (f);
  g_assert_error (f->error, c->domain (), c->code);
  g_test_message ("%s: %s", c->scenario, f->error->message);
  if (c->message_part != NULL)
    g_assert_nonnull (strstr (f->error->message, c->message_part));
  g_assert_cmpuint (mock_server_get_n_checks (f->mock), ==, c->n_checks);
  g_assert_cmpuint (mock_server_get_n_logins (f->mock), ==, c->n_logins);
  g_assert_nonnull (f->info);
  if (c->keeps_raw)
    g_assert_nonnull (f->raw);
  else
    g_assert_null (f->raw);

  /* Every retry reused the scanId. */
  for (const char * const *id = mock_server_get_check_scan_ids (f->mock); *id != NULL; id++)
    g_assert_cmpstr (*id, ==, f->scan_id);
}

/* ---- retries ---- */

static void
test_401_once (Fixture       *f,
               gconstpointer  data)
{
  mock_server_set_scenario (f->mock, "401-once");
  run_check (f);
  g_assert_no_error (f->error);
  g_assert_cmpuint (mock_server_get_n_logins (f->mock), ==, 2);
  g_assert_cmpuint (mock_server_get_n_checks (f->mock), ==, 2);
  g_assert_false (f->resent);
}

static void
test_429_once (Fixture       *f,
               gconstpointer  data)
{
  const char * const *ids;

  mock_server_set_scenario (f->mock, "429-once");
  run_check (f);
  g_assert_no_error (f->error);
  g_assert_cmpuint (mock_server_get_n_checks (f->mock), ==, 2);
  g_assert_cmpuint (mock_server_get_n_logins (f->mock), ==, 1);
  g_assert_true (phases_contain (f, IMGSCAN_CLIENT_PHASE_RETRYING));
  /* Retry-After: 1 → 1 s plus under 1 s of jitter, scaled; without it the wait is ≥ 2 s. */
  g_assert_cmpint (f->retry_total_ms, >=, (gint64) (1000 * TEST_BACKOFF_SCALE));
  g_assert_cmpint (f->retry_total_ms, <=, (gint64) (2000 * TEST_BACKOFF_SCALE));
  ids = mock_server_get_check_scan_ids (f->mock);
  g_assert_cmpstr (ids[0], ==, ids[1]);
  g_assert_false (f->resent);
}

static void
test_once_retry (Fixture       *f,
                 gconstpointer  data)
{
  const char *scenario = data;
  const char * const *ids;

  mock_server_set_scenario (f->mock, scenario);
  run_check (f);
  g_assert_no_error (f->error);
  g_assert_cmpuint (mock_server_get_n_checks (f->mock), ==, 2);
  ids = mock_server_get_check_scan_ids (f->mock);
  g_assert_cmpstr (ids[0], ==, f->scan_id);
  g_assert_cmpstr (ids[1], ==, f->scan_id);
  g_assert_true (phases_contain (f, IMGSCAN_CLIENT_PHASE_RETRYING));
  /* A 503 means the scan was not done; a 500 or a lost connection may have been billed. */
  if (g_str_equal (scenario, "503-once"))
    g_assert_false (f->resent);
  else
    g_assert_true (f->resent);
}

/* ---- local refusal: nothing sent ---- */

static void
test_refused_image (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->tmpdir, "notes.png", NULL);
  g_autoptr(GFile) text = NULL;
  g_autoptr(GFile) missing = g_file_new_build_filename (f->tmpdir, "missing.png", NULL);

  g_assert_true (g_file_set_contents (path, "just some text, not a photo\n", -1, NULL));
  text = g_file_new_for_path (path);

  run_check_full (f, text, NULL, FALSE);
  g_assert_error (f->error, IMGSCAN_IMAGE_ERROR, IMGSCAN_IMAGE_ERROR_UNSUPPORTED_FORMAT);
  g_assert_null (f->info);

  run_check_full (f, missing, NULL, FALSE);
  g_assert_error (f->error, IMGSCAN_IMAGE_ERROR, IMGSCAN_IMAGE_ERROR_NOT_FOUND);

  g_assert_cmpuint (mock_server_get_n_requests (f->mock), ==, 0);
  g_assert_cmpuint (imgscan_client_get_n_logins (f->client), ==, 0);
}

/* ---- tokens and login ---- */

static void
test_token_reuse (Fixture       *f,
                  gconstpointer  data)
{
  run_check (f);
  g_assert_no_error (f->error);
  run_check (f);
  g_assert_no_error (f->error);
  g_assert_false (phases_contain (f, IMGSCAN_CLIENT_PHASE_LOGGING_IN));
  g_assert_cmpuint (mock_server_get_n_logins (f->mock), ==, 1);
  g_assert_cmpuint (mock_server_get_n_checks (f->mock), ==, 2);
  g_assert_cmpuint (imgscan_client_get_n_logins (f->client), ==, 1);
}

typedef struct
{
  gboolean       done;
  ImgscanResult *result;
  GError        *error;
} Outcome;

static void
outcome_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->result = imgscan_client_check_finish (IMGSCAN_CLIENT (source), result, NULL, NULL,
                                                 &outcome->error);
  outcome->done = TRUE;
}

static void
test_concurrent_checks_share_login (Fixture       *f,
                                    gconstpointer  data)
{
  Outcome outcomes[3] = { { 0 } };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  /* Three scans at once, and no token yet: one login serves them all … */
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    imgscan_client_check_async (f->client, f->image, NULL, FALSE, NULL, NULL, NULL,
                                i == 1 ? cancellable : NULL, outcome_cb, &outcomes[i]);
  /* … and one of them giving up does not stop the others. */
  while (mock_server_get_n_requests (f->mock) == 0)
    g_main_context_iteration (f->context, TRUE);
  g_cancellable_cancel (cancellable);

  while (!outcomes[0].done || !outcomes[1].done || !outcomes[2].done)
    g_main_context_iteration (f->context, TRUE);

  g_assert_no_error (outcomes[0].error);
  g_assert_error (outcomes[1].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_no_error (outcomes[2].error);
  g_assert_cmpuint (mock_server_get_n_logins (f->mock), ==, 1);
  g_assert_cmpuint (imgscan_client_get_n_logins (f->client), ==, 1);
  g_assert_cmpuint (mock_server_get_n_checks (f->mock), ==, 2);

  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    {
      g_clear_object (&outcomes[i].result);
      g_clear_error (&outcomes[i].error);
    }
}

static void
test_every_waiter_cancelled (Fixture       *f,
                             gconstpointer  data)
{
  Outcome outcomes[2] = { { 0 } };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    imgscan_client_check_async (f->client, f->image, NULL, FALSE, NULL, NULL, NULL,
                                cancellable, outcome_cb, &outcomes[i]);
  while (mock_server_get_n_requests (f->mock) == 0)
    g_main_context_iteration (f->context, TRUE);
  g_cancellable_cancel (cancellable);
  while (!outcomes[0].done || !outcomes[1].done)
    g_main_context_iteration (f->context, TRUE);
  g_assert_error (outcomes[0].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_error (outcomes[1].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&outcomes[0].error);
  g_clear_error (&outcomes[1].error);

  /* The next scan starts a login of its own rather than joining the abandoned one. */
  run_check (f);
  g_assert_no_error (f->error);
  g_assert_cmpuint (mock_server_get_n_checks (f->mock), ==, 1);
}

static void
test_token_renewed_near_expiry (Fixture       *f,
                                gconstpointer  data)
{
  /* Under 5 minutes left: renew before the next scan rather than risk a 401. */
  mock_server_set_token_lifetime (f->mock, 4 * G_TIME_SPAN_MINUTE);
  run_check (f);
  g_assert_no_error (f->error);
  run_check (f);
  g_assert_no_error (f->error);
  g_assert_cmpuint (mock_server_get_n_logins (f->mock), ==, 2);
}

typedef struct
{
  const char *login_scenario;
  int         code;
  const char *message_part;
} LoginCase;

static const LoginCase login_cases[] = {
  { "401", IMGSCAN_CLIENT_ERROR_AUTHENTICATION, "Invalid login credentials" },
  { "400", IMGSCAN_CLIENT_ERROR_AUTHENTICATION, "The key field is required" },
  { "429", IMGSCAN_CLIENT_ERROR_RATE_LIMITED, "12 logins per 15 minutes" },
};

static void
test_login_failure (Fixture       *f,
                    gconstpointer  data)
{
  const LoginCase *c = data;

  mock_server_set_login_scenario (f->mock, c->login_scenario);
  run_check (f);
  g_assert_error (f->error, IMGSCAN_CLIENT_ERROR, c->code);
  g_assert_nonnull (strstr (f->error->message, c->message_part));
  g_assert_cmpuint (mock_server_get_n_logins (f->mock), ==, 1);
  g_assert_cmpuint (mock_server_get_n_checks (f->mock), ==, 0);
}

static void
test_wrong_key (Fixture       *f,
                gconstpointer  data)
{
  imgscan_client_set_credentials (f->client, MOCK_EMAIL, "00000000-0000-4000-8000-000000000000");
  run_check (f);
  g_assert_error (f->error, IMGSCAN_CLIENT_ERROR, IMGSCAN_CLIENT_ERROR_AUTHENTICATION);
  g_assert_nonnull (strstr (f->error->message, "Invalid login credentials"));
  /* The key itself never shows up in a message. */
  g_assert_null (strstr (f->error->message, "00000000-0000"));
  g_assert_cmpuint (mock_server_get_n_logins (f->mock), ==, 1);
}

static void
test_no_credentials (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  imgscan_client_set_credentials (f->client, NULL, NULL);
  g_assert_false (imgscan_client_has_credentials (f->client));
  g_assert_false (imgscan_client_load_credentials (f->client, NULL, &error));
  g_assert_no_error (error);

  run_check (f);
  g_assert_error (f->error, IMGSCAN_CLIENT_ERROR, IMGSCAN_CLIENT_ERROR_NO_CREDENTIALS);
  g_assert_cmpuint (mock_server_get_n_requests (f->mock), ==, 0);
}

static void
test_env_credentials (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  imgscan_client_set_credentials (f->client, NULL, NULL);
  g_setenv ("IMGSCAN_EMAIL", MOCK_EMAIL, TRUE);
  g_setenv ("IMGSCAN_API_KEY", "", TRUE);
  g_assert_false (imgscan_client_load_credentials (f->client, NULL, &error));
  g_assert_no_error (error);

  g_setenv ("IMGSCAN_API_KEY", MOCK_KEY, TRUE);
  /* Found by the check itself, without an explicit load. */
  run_check (f);
  g_assert_no_error (f->error);
  g_assert_cmpstr (imgscan_client_get_email (f->client), ==, MOCK_EMAIL);
  g_assert_true (imgscan_client_has_credentials (f->client));

  g_setenv ("IMGSCAN_EMAIL", "", TRUE);
  g_setenv ("IMGSCAN_API_KEY", "", TRUE);
}

static void
test_urls (void)
{
  g_autoptr(ImgscanClient) defaults = NULL;
  g_autoptr(ImgscanClient) from_env = NULL;
  g_autoptr(ImgscanClient) explicit = NULL;

  g_setenv ("IMGSCAN_ID_URL", "", TRUE);
  g_setenv ("IMGSCAN_API_URL", "", TRUE);
  defaults = imgscan_client_new (NULL, NULL);
  g_assert_cmpstr (imgscan_client_get_id_url (defaults), ==, IMGSCAN_DEFAULT_ID_URL);
  g_assert_cmpstr (imgscan_client_get_api_url (defaults), ==, IMGSCAN_DEFAULT_API_URL);

  g_setenv ("IMGSCAN_ID_URL", "http://127.0.0.1:1/", TRUE);
  g_setenv ("IMGSCAN_API_URL", "http://127.0.0.1:2", TRUE);
  from_env = imgscan_client_new (NULL, NULL);
  g_assert_cmpstr (imgscan_client_get_id_url (from_env), ==, "http://127.0.0.1:1");
  g_assert_cmpstr (imgscan_client_get_api_url (from_env), ==, "http://127.0.0.1:2");

  explicit = imgscan_client_new ("http://127.0.0.1:3", "http://127.0.0.1:4");
  g_assert_cmpstr (imgscan_client_get_id_url (explicit), ==, "http://127.0.0.1:3");
  g_assert_cmpstr (imgscan_client_get_api_url (explicit), ==, "http://127.0.0.1:4");

  g_setenv ("IMGSCAN_ID_URL", "http://127.0.0.1:9", TRUE);
  g_setenv ("IMGSCAN_API_URL", "http://127.0.0.1:9", TRUE);
}

static void bool_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data);

static void
test_backoff_scale_from_env (void)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(MockServer) mock = NULL;
  g_autoptr(ImgscanClient) client = NULL;
  g_autoptr(GFile) image = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ImgscanResult) scan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-client-XXXXXX", NULL);

  g_main_context_push_thread_default (context);
  mock = mock_server_new ();
  mock_server_set_scenario (mock, "status-503");
  image = write_png (dir, "a.png", 8, 8, FALSE);

  /* Only a shorter wait is accepted; 0 means none at all, so three retries pass at once. */
  g_setenv ("IMGSCAN_BACKOFF_SCALE", "0", TRUE);
  client = imgscan_client_new (mock_server_get_url (mock), mock_server_get_url (mock));
  g_setenv ("IMGSCAN_BACKOFF_SCALE", "", TRUE);
  imgscan_client_set_use_keyring (client, FALSE);
  imgscan_client_set_credentials (client, MOCK_EMAIL, MOCK_KEY);
  imgscan_client_check_async (client, image, NULL, FALSE, NULL, NULL, NULL, NULL, bool_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  scan = imgscan_client_check_finish (client, result, NULL, NULL, &error);
  g_assert_error (error, IMGSCAN_CLIENT_ERROR, IMGSCAN_CLIENT_ERROR_MAINTENANCE);
  g_assert_cmpuint (mock_server_get_n_checks (mock), ==, 4);

  g_clear_object (&client);
  g_clear_object (&mock);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  g_unlink (g_file_peek_path (image));
  g_rmdir (dir);
}

static void
test_scan_id_form (void)
{
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *id = imgscan_new_scan_id ();
      g_assert_true (g_regex_match_simple ("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
                                           id, 0, 0));
    }
}

/* ---- cancellation ---- */

static void
test_cancel_mid_upload (Fixture       *f,
                        gconstpointer  data)
{
  /* Noise does not compress: a few MB of PNG. */
  g_autoptr(GFile) big = write_png (f->tmpdir, "noise.png", 1400, 1000, TRUE);

  f->cancellable = g_cancellable_new ();
  f->cancel_at_phase = IMGSCAN_CLIENT_PHASE_UPLOADING;
  run_check_full (f, big, NULL, FALSE);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->last_upload_done, <, f->last_upload_total);
  g_assert_cmpuint (f->last_upload_total, >, 3 * 1000 * 1000);
  g_assert_false (phases_contain (f, IMGSCAN_CLIENT_PHASE_SEARCHING));
  /* The server never got a whole request, and there was no retry. */
  g_assert_cmpuint (mock_server_get_n_checks (f->mock), ==, 0);
  g_assert_false (f->resent);

  /* The client still works afterwards. */
  f->cancel_at_phase = -1;
  g_clear_object (&f->cancellable);
  run_check (f);
  g_assert_no_error (f->error);
}

static void
test_file_shrinks_mid_upload (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GFile) big = write_png (f->tmpdir, "edited.png", 1400, 1000, TRUE);

  f->truncate_path = g_file_get_path (big);
  run_check_full (f, big, NULL, FALSE);
  /* The photo's fault, said so, and not resent: a second try would fail the same way. */
  g_assert_error (f->error, IMGSCAN_IMAGE_ERROR, IMGSCAN_IMAGE_ERROR_UNREADABLE);
  g_assert_false (f->resent);
  g_assert_cmpuint (mock_server_get_n_checks (f->mock), ==, 0);
}

static void
test_cancel_while_searching (Fixture       *f,
                             gconstpointer  data)
{
  mock_server_set_scenario (f->mock, "slow");
  mock_server_set_delay (f->mock, 60 * 1000);
  f->cancellable = g_cancellable_new ();
  f->cancel_at_phase = IMGSCAN_CLIENT_PHASE_SEARCHING;
  run_check (f);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (f->resent);
}

static void
test_cancel_while_waiting (Fixture       *f,
                           gconstpointer  data)
{
  /* Real waits (seconds): only the cancel can end this quickly. */
  imgscan_client_set_backoff_scale (f->client, 1.0);
  mock_server_set_scenario (f->mock, "status-503");
  f->cancellable = g_cancellable_new ();
  f->cancel_at_phase = IMGSCAN_CLIENT_PHASE_RETRYING;
  run_check (f);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (mock_server_get_n_checks (f->mock), ==, 1);
}

static void
test_cancel_while_logging_in (Fixture       *f,
                              gconstpointer  data)
{
  f->cancellable = g_cancellable_new ();
  f->cancel_at_phase = IMGSCAN_CLIENT_PHASE_LOGGING_IN;
  run_check (f);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (mock_server_get_n_checks (f->mock), ==, 0);
}

static void
test_cancel_before_start (Fixture       *f,
                          gconstpointer  data)
{
  f->cancellable = g_cancellable_new ();
  g_cancellable_cancel (f->cancellable);
  run_check (f);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (mock_server_get_n_requests (f->mock), ==, 0);
}

/* ---- login, credits and the _finish functions ---- */

static void
bool_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_result (Fixture       *f,
             GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (f->context, TRUE);
  return *slot;
}

static void
test_login_and_credits (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GAsyncResult) login1 = NULL;
  g_autoptr(GAsyncResult) login2 = NULL;
  g_autoptr(GAsyncResult) credits = NULL;
  g_autoptr(GError) error = NULL;

  imgscan_client_login_async (f->client, NULL, bool_cb, &login1);
  g_assert_true (imgscan_client_login_finish (f->client, wait_result (f, &login1), &error));
  g_assert_no_error (error);

  /* An explicit login always logs in. */
  imgscan_client_login_async (f->client, NULL, bool_cb, &login2);
  g_assert_true (imgscan_client_login_finish (f->client, wait_result (f, &login2), &error));
  g_assert_cmpuint (mock_server_get_n_logins (f->mock), ==, 2);

  mock_server_set_credits (f->mock, 42);
  imgscan_client_get_credits_async (f->client, NULL, bool_cb, &credits);
  g_assert_cmpint (imgscan_client_get_credits_finish (f->client, wait_result (f, &credits), &error), ==, 42);
  g_assert_no_error (error);
  /* The cached token served the credits. */
  g_assert_cmpuint (mock_server_get_n_logins (f->mock), ==, 2);
}

static void
test_login_wrong_key (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  imgscan_client_set_credentials (f->client, MOCK_EMAIL, "wrong");
  imgscan_client_login_async (f->client, NULL, bool_cb, &result);
  g_assert_false (imgscan_client_login_finish (f->client, wait_result (f, &result), &error));
  g_assert_error (error, IMGSCAN_CLIENT_ERROR, IMGSCAN_CLIENT_ERROR_AUTHENTICATION);
  g_assert_cmpuint (mock_server_get_n_logins (f->mock), ==, 1);
}

static void
test_finish_checks_source (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(ImgscanClient) other = imgscan_client_new (mock_server_get_url (f->mock),
                                                       mock_server_get_url (f->mock));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  imgscan_client_login_async (f->client, NULL, bool_cb, &result);
  wait_result (f, &result);

  /* A result from another client is refused, not propagated from the wrong object. */
  g_test_expect_message ("imgscan-client", G_LOG_LEVEL_CRITICAL, "*g_task_is_valid*");
  ok = imgscan_client_login_finish (other, result, &error);
  g_test_assert_expected_messages ();
  g_assert_false (ok);
  g_assert_no_error (error);

  /* … and so is a result of another operation. */
  g_test_expect_message ("imgscan-client", G_LOG_LEVEL_CRITICAL, "*source_tag*");
  g_assert_null (imgscan_client_check_finish (f->client, result, NULL, NULL, &error));
  g_test_assert_expected_messages ();

  g_assert_true (imgscan_client_login_finish (f->client, result, &error));
  g_assert_no_error (error);
}

/* ---- the upload stream on its own ---- */

static GBytes *
read_all (GInputStream  *stream,
          GError       **error)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

  /* Small reads, so every boundary between the three pieces is crossed mid-read. */
  for (;;)
    {
      char buffer[7];
      gssize n = g_input_stream_read (stream, buffer, sizeof buffer, NULL, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      g_output_stream_write_all (out, buffer, n, NULL, NULL, NULL);
    }
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static void
test_upload_stream (void)
{
  g_autoptr(GBytes) prefix = g_bytes_new_static ("<head>", 6);
  g_autoptr(GBytes) suffix = g_bytes_new_static ("<tail>", 6);
  g_autoptr(GInputStream) file = g_memory_input_stream_new_from_data ("0123456789ABC", 13, NULL);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GInputStream) short_file = g_memory_input_stream_new_from_data ("0123", 4, NULL);
  g_autoptr(GInputStream) short_stream = NULL;
  g_autoptr(GBytes) all = NULL;
  g_autoptr(GError) error = NULL;

  /* Exactly the announced size of the file is sent, even if it grew meanwhile. */
  stream = imgscan_upload_stream_new (prefix, file, 10, suffix);
  g_assert_cmpuint (imgscan_upload_stream_get_length (IMGSCAN_UPLOAD_STREAM (stream)), ==, 22);
  all = read_all (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (all, NULL), g_bytes_get_size (all), "<head>0123456789<tail>", 22);

  /* A file that shrank is an error, never a short body under a longer Content-Length. */
  short_stream = imgscan_upload_stream_new (prefix, short_file, 10, suffix);
  g_assert_null (read_all (short_stream, &error));
  g_assert_error (error, IMGSCAN_IMAGE_ERROR, IMGSCAN_IMAGE_ERROR_UNREADABLE);
}

static void
test_multipart_framing (void)
{
  g_autoptr(GBytes) prefix = NULL;
  g_autoptr(GBytes) suffix = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(GByteArray) whole = g_byte_array_new ();
  SoupMultipart *multipart;
  SoupMessageHeaders *part_headers;
  GBytes *part_body;
  g_autofree char *quoted = imgscan_multipart_quote_filename ("a\"b\\c\r\nd\te.png");

  g_assert_cmpstr (quoted, ==, "a%22b%5Cc%0D%0Ad%09e.png");

  imgscan_multipart_build ("imgscan-test-boundary", "shot.jpg", "image/jpeg\r\nX-Evil: 1", FALSE,
                           &prefix, &suffix);
  g_byte_array_append (whole, g_bytes_get_data (prefix, NULL), g_bytes_get_size (prefix));
  g_byte_array_append (whole, (const guint8 *) "JPEGDATA", 8);
  g_byte_array_append (whole, g_bytes_get_data (suffix, NULL), g_bytes_get_size (suffix));
  body = g_byte_array_free_to_bytes (g_steal_pointer (&whole));

  soup_message_headers_set_content_type (headers, "multipart/form-data; boundary=imgscan-test-boundary", NULL);
  multipart = soup_multipart_new_from_message (headers, body);
  g_assert_nonnull (multipart);
  g_assert_cmpint (soup_multipart_get_length (multipart), ==, 3);
  g_assert_true (soup_multipart_get_part (multipart, 0, &part_headers, &part_body));
  /* A content type that could forge a header is replaced. */
  g_assert_cmpstr (soup_message_headers_get_content_type (part_headers, NULL), ==, "application/octet-stream");
  g_assert_null (soup_message_headers_get_one (part_headers, "X-Evil"));
  g_assert_cmpmem (g_bytes_get_data (part_body, NULL), g_bytes_get_size (part_body), "JPEGDATA", 8);
  g_assert_true (soup_multipart_get_part (multipart, 2, &part_headers, &part_body));
  g_assert_cmpmem (g_bytes_get_data (part_body, NULL), g_bytes_get_size (part_body), "false", 5);
  soup_multipart_free (multipart);
}

/* ---- what the window's tests rely on in the mock ---- */

static void
fetch_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GBytes *
fetch (Fixture     *f,
       SoupSession *session,
       const char  *path,
       guint       *status)
{
  g_autofree char *url = g_strconcat (mock_server_get_url (f->mock), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, fetch_cb, &result);
  while (result == NULL)
    g_main_context_iteration (f->context, TRUE);
  bytes = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  return bytes;
}

static void
test_mock_thumbnails (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) broken = NULL;
  g_autoptr(GBytes) page = NULL;
  g_autoptr(GBytes) missing = NULL;
  g_autoptr(GBytes) credits = NULL;
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GdkPixbufLoader) broken_loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf;
  guint status;

  soup_session_set_proxy_resolver (session, NULL);
  png = fetch (f, session, "/thumbs/ok-2.png", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (gdk_pixbuf_loader_write_bytes (loader, png, &error));
  g_assert_true (gdk_pixbuf_loader_close (loader, &error));
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 64);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 48);

  broken = fetch (f, session, "/thumbs/broken.png", &status);
  g_assert_cmpuint (status, ==, 200);
  if (gdk_pixbuf_loader_write_bytes (broken_loader, broken, &error))
    gdk_pixbuf_loader_close (broken_loader, &error);
  else
    gdk_pixbuf_loader_close (broken_loader, NULL);
  g_assert_nonnull (error);
  g_clear_error (&error);

  missing = fetch (f, session, "/thumbs/nothing.png", &status);
  g_assert_cmpuint (status, ==, 404);
  g_assert_cmpuint (mock_server_get_n_thumbnails (f->mock), ==, 3);

  page = fetch (f, session, "/pages/2.html", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (page, NULL), g_bytes_get_size (page), "<html>"));

  /* The credits need a token. */
  credits = fetch (f, session, "/v3/scans/credits", &status);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpuint (mock_server_get_n_logins (f->mock), ==, 0);
  g_assert_cmpuint (mock_server_get_n_requests (f->mock), ==, 5);
}

int
main (int   argc,
      char *argv[])
{
  /* Format sniffing reads the system's shared-mime-info, which isolated dirs hide. */
  test_util_remember_system_data_dirs ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  test_util_keep_mime_database ();

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("/client/example", test_example, NULL);
  ADD ("/client/sandbox-and-scan-id", test_sandbox_and_scan_id, NULL);
  ADD ("/client/bad-scan-id", test_bad_scan_id, NULL);
  ADD ("/client/awkward-filename", test_awkward_filename, NULL);
  ADD ("/client/non-ascii-filename", test_non_ascii_filename, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (success_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/client/scenario/%s", success_cases[i].scenario);
      ADD (path, test_success_scenario, &success_cases[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/client/scenario/%s", error_cases[i].scenario);
      ADD (path, test_error_scenario, &error_cases[i]);
    }

  ADD ("/client/retry/401-once", test_401_once, NULL);
  ADD ("/client/retry/429-once", test_429_once, NULL);
  ADD ("/client/retry/503-once", test_once_retry, "503-once");
  ADD ("/client/retry/500-once", test_once_retry, "500-once");
  ADD ("/client/retry/drop-once", test_once_retry, "drop-once");

  ADD ("/client/refused-image", test_refused_image, NULL);
  ADD ("/client/token/reuse", test_token_reuse, NULL);
  ADD ("/client/token/renewed-near-expiry", test_token_renewed_near_expiry, NULL);
  ADD ("/client/token/concurrent-checks-share-login", test_concurrent_checks_share_login, NULL);
  ADD ("/client/token/every-waiter-cancelled", test_every_waiter_cancelled, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (login_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/client/login/%s", login_cases[i].login_scenario);
      ADD (path, test_login_failure, &login_cases[i]);
    }
  ADD ("/client/login/wrong-key", test_wrong_key, NULL);
  ADD ("/client/login/explicit-and-credits", test_login_and_credits, NULL);
  ADD ("/client/login/explicit-wrong-key", test_login_wrong_key, NULL);
  ADD ("/client/credentials/none", test_no_credentials, NULL);
  ADD ("/client/credentials/environment", test_env_credentials, NULL);
  g_test_add_func ("/client/urls", test_urls);
  g_test_add_func ("/client/scan-id-form", test_scan_id_form);
  g_test_add_func ("/client/backoff-scale-from-env", test_backoff_scale_from_env);

  ADD ("/client/cancel/mid-upload", test_cancel_mid_upload, NULL);
  ADD ("/client/cancel/while-searching", test_cancel_while_searching, NULL);
  ADD ("/client/file-shrinks-mid-upload", test_file_shrinks_mid_upload, NULL);
  ADD ("/client/cancel/while-waiting", test_cancel_while_waiting, NULL);
  ADD ("/client/cancel/while-logging-in", test_cancel_while_logging_in, NULL);
  ADD ("/client/cancel/before-start", test_cancel_before_start, NULL);
  ADD ("/client/finish-checks-source", test_finish_checks_source, NULL);
  g_test_add_func ("/client/upload-stream", test_upload_stream);
  g_test_add_func ("/client/multipart-framing", test_multipart_framing);
  ADD ("/client/mock/thumbnails-and-pages", test_mock_thumbnails, NULL);

#undef ADD

  return g_test_run ();
}
