/* test-window.c: the real window against the mock Copyleaks server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "imgscan-match-row.h"
#include "imgscan-results-view.h"
#include "imgscan-scan-view.h"
#include "imgscan-thumbnail.h"
#include "imgscan-window.h"
#include "imgscan-window-private.h"
#include "mock-server.h"
#include "test-util.h"
#include "ui-test-util.h"

struct _Fixture
{
  MockServer    *server;
  ImgscanClient *client;
  ImgscanWindow *window;
  char          *dir;
};

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  const char *url;

  fixture->server = mock_server_new ();
  url = mock_server_get_url (fixture->server);
  fixture->client = imgscan_client_new (url, url);
  imgscan_client_set_use_keyring (fixture->client, FALSE);
  if (data == NULL)
    imgscan_client_set_credentials (fixture->client, MOCK_EMAIL, MOCK_KEY);

  fixture->window = imgscan_window_new (NULL);
  imgscan_window_set_client (fixture->window, fixture->client);
  gtk_window_present (GTK_WINDOW (fixture->window));

  fixture->dir = g_dir_make_tmp ("imgscan-test-XXXXXX", NULL);
  g_assert_nonnull (fixture->dir);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  /* Let cancelled requests and the history writes settle before the server goes. */
  ui_test_pump (100);

  g_clear_object (&fixture->client);
  g_clear_object (&fixture->server);

  test_util_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static gboolean
state_is_results (Fixture *fixture)
{
  return g_strcmp0 (imgscan_window_get_state (fixture->window), "results") == 0;
}

static gboolean
state_is_error (Fixture *fixture)
{
  return g_strcmp0 (imgscan_window_get_state (fixture->window), "error") == 0;
}

static ImgscanResultsView *
results_view (Fixture *fixture)
{
  return IMGSCAN_RESULTS_VIEW (imgscan_window_get_results_view (fixture->window));
}

static guint
list_n_items (Fixture          *fixture,
              ImgscanMatchKind  kind)
{
  GtkListView *list = imgscan_results_view_get_list (results_view (fixture), kind);
  GtkSelectionModel *model;

  /* A group's list gets its model when it is shown. */
  imgscan_results_view_show_group (results_view (fixture),
                                   kind == IMGSCAN_MATCH_KIND_FULL ? "full" : "partial");
  model = gtk_list_view_get_model (list);

  return model != NULL ? g_list_model_get_n_items (G_LIST_MODEL (model)) : 0;
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (IMGSCAN_IS_MATCH_ROW (widget) && imgscan_match_row_get_match (IMGSCAN_MATCH_ROW (widget)) != NULL)
    g_ptr_array_add (rows, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

static GPtrArray *
get_rows (Fixture          *fixture,
          ImgscanMatchKind  kind)
{
  GPtrArray *rows = g_ptr_array_new ();

  collect_rows (GTK_WIDGET (imgscan_results_view_get_list (results_view (fixture), kind)), rows);

  return rows;
}

static void
assert_example_results (Fixture *fixture)
{
  const char *counts;

  /* The mock's documented reply: 2 full, 1 partial. */
  g_assert_cmpuint (list_n_items (fixture, IMGSCAN_MATCH_KIND_FULL), ==, 2);
  g_assert_cmpuint (list_n_items (fixture, IMGSCAN_MATCH_KIND_PARTIAL), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (imgscan_result_get_other_matches (
                      imgscan_results_view_get_result (results_view (fixture)))), ==, 0);

  counts = imgscan_results_view_get_counts_text (results_view (fixture));
  g_assert_nonnull (strstr (counts, "2 full matches"));
  g_assert_nonnull (strstr (counts, "1 partial match"));
  g_assert_nonnull (strstr (imgscan_results_view_get_headline (results_view (fixture)), "3"));
  g_assert_cmpstr (imgscan_results_view_get_state (results_view (fixture)), ==, "matches");
  g_assert_false (imgscan_results_view_get_sandbox_shown (results_view (fixture)));

  /* Each full row is a full match, each partial row a partial one. */
  {
    g_autoptr(GPtrArray) full = get_rows (fixture, IMGSCAN_MATCH_KIND_FULL);

    g_assert_cmpuint (full->len, ==, 2);
    for (guint i = 0; i < full->len; i++)
      g_assert_cmpint (imgscan_match_get_kind (imgscan_match_row_get_match (full->pdata[i])), ==,
                       IMGSCAN_MATCH_KIND_FULL);
  }
}

/* Whether a visible Retry button is on the error page. */
static gboolean
retry_offered (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "win.retry") == 0 &&
      gtk_widget_get_visible (widget))
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (retry_offered (child))
      return TRUE;

  return FALSE;
}

static void
test_open_path (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GFile) photo = ui_test_make_photo (fixture->dir, "sunset.png", 0x3366ccff);
  const MockCheckRequest *req;

  g_assert_cmpstr (imgscan_window_get_state (fixture->window), ==, "empty");

  imgscan_window_open_file (fixture->window, photo);
  g_assert_cmpstr (imgscan_window_get_state (fixture->window), ==, "scanning");
  wait_until (fixture, state_is_results, "the results");

  assert_example_results (fixture);
  g_assert_cmpuint (mock_server_get_n_checks (fixture->server), ==, 1);
  req = mock_server_get_last_check (fixture->server);
  g_assert_nonnull (req);
  g_assert_cmpstr (req->filename, ==, "sunset.png");
}

static void
test_drop (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GFile) first = ui_test_make_photo (fixture->dir, "first.png", 0x3366ccff);
  g_autoptr(GFile) second = ui_test_make_photo (fixture->dir, "second.png", 0x3366ccff);
  g_autoptr(GSList) list = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  gboolean handled = FALSE;

  list = g_slist_append (list, first);
  list = g_slist_append (list, second);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (list));

  g_signal_emit_by_name (imgscan_window_get_drop_target (fixture->window), "drop",
                         &value, 10.0, 10.0, &handled);
  g_assert_true (handled);
  wait_until (fixture, state_is_results, "the results");

  assert_example_results (fixture);
  /* One photo at a time: the first was sent, only once. */
  g_assert_cmpuint (mock_server_get_n_checks (fixture->server), ==, 1);
  g_assert_cmpstr (mock_server_get_last_check (fixture->server)->filename, ==, "first.png");
  /* …and the window says so: the second photo is not dropped silently. */
  g_assert_nonnull (strstr (_imgscan_window_get_last_toast (fixture->window), "One photo is scanned at a time"));
  g_assert_nonnull (strstr (_imgscan_window_get_last_toast (fixture->window), "first.png"));
}

static gboolean
searching (Fixture *fixture)
{
  ImgscanScanView *view = IMGSCAN_SCAN_VIEW (imgscan_window_get_scan_view (fixture->window));

  return g_strcmp0 (imgscan_scan_view_get_status (view), "Searching the web…") == 0;
}

static gboolean
preview_shown (Fixture *fixture)
{
  return imgscan_scan_view_has_preview (IMGSCAN_SCAN_VIEW (imgscan_window_get_scan_view (fixture->window)));
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GFile) photo = ui_test_make_photo (fixture->dir, "slow.png", 0x3366ccff);

  mock_server_set_scenario (fixture->server, "slow");
  mock_server_set_delay (fixture->server, 2000);

  imgscan_window_open_file (fixture->window, photo);
  wait_until (fixture, searching, "the upload to finish");
  /* The preview is decoded in a thread while the scan goes on. */
  wait_until (fixture, preview_shown, "the preview");
  g_assert_cmpstr (imgscan_window_get_state (fixture->window), ==, "scanning");

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.cancel", NULL);
  g_assert_cmpstr (imgscan_window_get_state (fixture->window), ==, "empty");

  /* The slow reply would have arrived by now: it must not turn into an error or a result. */
  ui_test_pump (2500);
  g_assert_cmpstr (imgscan_window_get_state (fixture->window), ==, "empty");
}

static gboolean
window_finalized (Fixture *fixture)
{
  return fixture->window == NULL;
}

static void
test_close_mid_scan (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GFile) photo = ui_test_make_photo (fixture->dir, "closing.png", 0x3366ccff);
  ImgscanWindow *window = fixture->window;

  /* A reply that would come long after wait_until() gives up: only cancelling frees it. */
  mock_server_set_scenario (fixture->server, "slow");
  mock_server_set_delay (fixture->server, 120000);

  imgscan_window_open_file (window, photo);
  wait_until (fixture, searching, "the upload to finish");

  /* Closing cancels the scan: its callbacks let go of the window, which is freed
   * without waiting for the slow reply. */
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &fixture->window);
  gtk_window_destroy (GTK_WINDOW (window));
  wait_until (fixture, window_finalized, "the closed window to be freed");
  g_assert_cmpuint (mock_server_get_n_checks (fixture->server), ==, 1);
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "notes.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) expected = NULL;
  const char *description;

  g_assert_true (g_file_set_contents (path, "not a photo at all\n", -1, NULL));
  g_assert_null (imgscan_image_check (file, NULL, &expected));
  g_assert_nonnull (expected);

  imgscan_window_open_file (fixture->window, file);
  wait_until (fixture, state_is_error, "the refusal");

  description = adw_status_page_get_description (imgscan_window_get_error_page (fixture->window));
  g_assert_nonnull (strstr (description, expected->message));
  /* The same file would be refused again: no Retry. */
  g_assert_false (retry_offered (GTK_WIDGET (imgscan_window_get_error_page (fixture->window))));
  g_assert_cmpuint (mock_server_get_n_requests (fixture->server), ==, 0);
}

static void
test_server_error (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GFile) photo = ui_test_make_photo (fixture->dir, "error.png", 0x3366ccff);
  const char *description;

  mock_server_set_scenario (fixture->server, "status-400");
  imgscan_window_open_file (fixture->window, photo);
  wait_until (fixture, state_is_error, "the server error");

  description = adw_status_page_get_description (imgscan_window_get_error_page (fixture->window));
  g_test_message ("Error shown: %s", description);
  g_assert_nonnull (strstr (description, "The filename field is required"));
  /* A 400 means the request itself is wrong: the same request would fail again. */
  g_assert_false (retry_offered (GTK_WIDGET (imgscan_window_get_error_page (fixture->window))));
  g_assert_cmpuint (mock_server_get_n_checks (fixture->server), >=, 1);
}

static void
test_bad_credentials (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GFile) photo = ui_test_make_photo (fixture->dir, "auth.png", 0x3366ccff);

  imgscan_client_set_credentials (fixture->client, MOCK_EMAIL, "00000000-0000-4000-8000-000000000001");
  imgscan_window_open_file (fixture->window, photo);
  wait_until (fixture, state_is_error, "the authentication error");

  /* Retrying with the same wrong key cannot help. */
  g_assert_false (retry_offered (GTK_WIDGET (imgscan_window_get_error_page (fixture->window))));
  g_assert_cmpstr (adw_status_page_get_title (imgscan_window_get_error_page (fixture->window)), ==,
                   "Copyleaks did not accept your account");
}

static void
test_retry (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GFile) photo = ui_test_make_photo (fixture->dir, "flaky.png", 0x3366ccff);
  guint n_checks;

  /* A lost connection is worth retrying: the error offers Retry, and Retry scans again. */
  mock_server_set_scenario (fixture->server, "drop-connection");
  imgscan_window_open_file (fixture->window, photo);
  wait_until (fixture, state_is_error, "the network error");
  g_test_message ("Error shown: %s",
                  adw_status_page_get_description (imgscan_window_get_error_page (fixture->window)));
  g_assert_true (retry_offered (GTK_WIDGET (imgscan_window_get_error_page (fixture->window))));
  n_checks = mock_server_get_n_checks (fixture->server);

  mock_server_set_scenario (fixture->server, "example");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.retry", NULL);
  wait_until (fixture, state_is_results, "the results after Retry");
  assert_example_results (fixture);
  g_assert_cmpuint (mock_server_get_n_checks (fixture->server), >, n_checks);
}

static void
test_keep_fails (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GFile) photo = ui_test_make_photo (fixture->dir, "unkept.png", 0x3366ccff);
  g_autofree char *blocker = g_build_filename (fixture->dir, "blocker", NULL);
  g_autofree char *dir = g_build_filename (blocker, "history", NULL);
  g_autoptr(GFile) dir_file = g_file_new_for_path (dir);
  g_autoptr(ImgscanHistory) history = NULL;

  /* A history folder that cannot exist (its parent is a file), even for root. */
  g_assert_true (g_file_set_contents (blocker, "", 0, NULL));
  history = imgscan_history_new (dir_file);
  imgscan_window_set_history (fixture->window, history);

  g_test_expect_message ("imgscan-window", G_LOG_LEVEL_WARNING, "Could not keep scan *");
  imgscan_window_open_file (fixture->window, photo);
  wait_until (fixture, state_is_results, "the results");
  g_test_assert_expected_messages ();

  /* The paid result is still shown, and the window says it could not be kept. */
  assert_example_results (fixture);
  g_assert_nonnull (_imgscan_window_get_last_toast (fixture->window));
  g_assert_nonnull (strstr (_imgscan_window_get_last_toast (fixture->window), "could not be kept"));
  g_unlink (blocker);
}

/* A connection lost after the upload: one resend with the same scan ID, the results, and
 * a word that Copyleaks may have billed the scan twice. */
static void
test_resent (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GFile) photo = ui_test_make_photo (fixture->dir, "resent.png", 0x3366ccff);

  mock_server_set_scenario (fixture->server, "drop-once");
  imgscan_window_open_file (fixture->window, photo);
  wait_until (fixture, state_is_results, "the results after the resend");

  assert_example_results (fixture);
  g_assert_cmpuint (mock_server_get_n_checks (fixture->server), ==, 2);
  g_assert_nonnull (_imgscan_window_get_last_toast (fixture->window));
  g_assert_nonnull (strstr (_imgscan_window_get_last_toast (fixture->window),
                            "may have billed this scan twice"));
}

/* A 200 reply that is not a valid result was paid for: its bytes are kept and the error
 * says where. */
static void
test_unreadable_reply (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GFile) photo = ui_test_make_photo (fixture->dir, "garbled.png", 0x3366ccff);
  const char *description;
  const char *saved;
  g_autofree char *path = NULL;
  g_autofree char *kept = NULL;

  mock_server_set_scenario (fixture->server, "invalid-json");
  imgscan_window_open_file (fixture->window, photo);
  wait_until (fixture, state_is_error, "the invalid-reply error");

  description = adw_status_page_get_description (imgscan_window_get_error_page (fixture->window));
  g_test_message ("Error shown: %s", description);
  saved = strstr (description, "is saved as ");
  g_assert_nonnull (saved);
  path = g_strdup (saved + strlen ("is saved as "));
  g_assert_true (g_str_has_suffix (path, "."));
  path[strlen (path) - 1] = '\0';
  g_assert_true (g_str_has_prefix (path, g_get_user_data_dir ()));
  g_assert_true (g_file_get_contents (path, &kept, NULL, NULL));
  g_assert_cmpuint (strlen (kept), >, 0);
}

static gboolean
all_full_thumbnails_done (Fixture *fixture)
{
  g_autoptr(GPtrArray) rows = get_rows (fixture, IMGSCAN_MATCH_KIND_FULL);

  if (rows->len == 0)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      ImgscanThumbnail *thumb = imgscan_match_row_get_thumbnail (rows->pdata[i]);

      if (imgscan_thumbnail_get_state (thumb) != IMGSCAN_THUMBNAIL_STATE_LOADED &&
          imgscan_thumbnail_get_state (thumb) != IMGSCAN_THUMBNAIL_STATE_FAILED)
        return FALSE;
    }
  return TRUE;
}

static gboolean
all_partial_thumbnails_done (Fixture *fixture)
{
  g_autoptr(GPtrArray) rows = get_rows (fixture, IMGSCAN_MATCH_KIND_PARTIAL);

  if (rows->len == 0)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      ImgscanThumbnail *thumb = imgscan_match_row_get_thumbnail (rows->pdata[i]);

      if (imgscan_thumbnail_get_state (thumb) != IMGSCAN_THUMBNAIL_STATE_LOADED &&
          imgscan_thumbnail_get_state (thumb) != IMGSCAN_THUMBNAIL_STATE_FAILED)
        return FALSE;
    }
  return TRUE;
}

static void
test_thumbnails (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GFile) photo = ui_test_make_photo (fixture->dir, "thumbs.png", 0x3366ccff);
  g_autoptr(GPtrArray) full = NULL;
  g_autoptr(GPtrArray) partial = NULL;
  guint n_broken = 0;
  guint n_loaded = 0;

  mock_server_set_scenario (fixture->server, "thumbnails");
  imgscan_window_open_file (fixture->window, photo);
  wait_until (fixture, state_is_results, "the results");
  wait_until (fixture, all_full_thumbnails_done, "the full matches' thumbnails");

  full = get_rows (fixture, IMGSCAN_MATCH_KIND_FULL);
  g_assert_cmpuint (full->len, ==, 2);
  for (guint i = 0; i < full->len; i++)
    {
      ImgscanThumbnail *thumb = imgscan_match_row_get_thumbnail (full->pdata[i]);

      g_assert_cmpint (imgscan_thumbnail_get_state (thumb), ==, IMGSCAN_THUMBNAIL_STATE_LOADED);
      g_assert_true (GDK_IS_TEXTURE (imgscan_thumbnail_get_paintable (thumb)));
    }
  g_assert_cmpuint (mock_server_get_n_thumbnails (fixture->server), >=, 2);

  imgscan_results_view_show_group (results_view (fixture), "partial");
  wait_until (fixture, all_partial_thumbnails_done, "the partial matches' thumbnails");

  partial = get_rows (fixture, IMGSCAN_MATCH_KIND_PARTIAL);
  g_assert_cmpuint (partial->len, ==, 2);
  for (guint i = 0; i < partial->len; i++)
    {
      ImgscanMatch *match = imgscan_match_row_get_match (partial->pdata[i]);
      ImgscanThumbnail *thumb = imgscan_match_row_get_thumbnail (partial->pdata[i]);

      if (g_str_has_suffix (imgscan_match_get_url (match), "/broken.png"))
        {
          g_assert_cmpint (imgscan_thumbnail_get_state (thumb), ==, IMGSCAN_THUMBNAIL_STATE_FAILED);
          g_assert_cmpstr (imgscan_thumbnail_get_icon_name (thumb), ==, "image-missing-symbolic");
          n_broken++;
        }
      else
        {
          g_assert_cmpint (imgscan_thumbnail_get_state (thumb), ==, IMGSCAN_THUMBNAIL_STATE_LOADED);
          g_assert_true (GDK_IS_TEXTURE (imgscan_thumbnail_get_paintable (thumb)));
          n_loaded++;
        }
    }
  g_assert_cmpuint (n_broken, ==, 1);
  g_assert_cmpuint (n_loaded, ==, 1);
  g_assert_cmpuint (mock_server_get_n_thumbnails (fixture->server), >=, 4);
}

/* Finds how a page URL is shown inside a row: as an openable button or as plain text. */
static void
find_page_widgets (GtkWidget  *widget,
                   const char *uri,
                   guint      *n_buttons,
                   guint      *n_labels)
{
  if (GTK_IS_ACTIONABLE (widget))
    {
      GVariant *target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (widget));
      const char *action = gtk_actionable_get_action_name (GTK_ACTIONABLE (widget));

      if (target != NULL && g_variant_is_of_type (target, G_VARIANT_TYPE_STRING) &&
          g_str_equal (g_variant_get_string (target, NULL), uri) &&
          g_strcmp0 (action, "win.open-page") == 0)
        (*n_buttons)++;
    }
  if (GTK_IS_LABEL (widget) && g_str_equal (gtk_label_get_text (GTK_LABEL (widget)), uri))
    {
      GtkWidget *parent = gtk_widget_get_parent (widget);

      if (!GTK_IS_BUTTON (parent))
        (*n_labels)++;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    find_page_widgets (child, uri, n_buttons, n_labels);
}

static void
test_unsafe_pages (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GFile) photo = ui_test_make_photo (fixture->dir, "pages.png", 0x3366ccff);
  g_autoptr(GPtrArray) rows = NULL;
  guint n_unsafe = 0;
  guint n_web = 0;

  mock_server_set_scenario (fixture->server, "thumbnails");
  imgscan_window_open_file (fixture->window, photo);
  wait_until (fixture, state_is_results, "the results");

  rows = get_rows (fixture, IMGSCAN_MATCH_KIND_FULL);
  g_assert_cmpuint (rows->len, ==, 2);
  for (guint i = 0; i < rows->len; i++)
    {
      ImgscanMatchRow *row = rows->pdata[i];
      ImgscanMatch *match = imgscan_match_row_get_match (row);
      const char * const *pages = imgscan_match_get_pages (match);

      imgscan_match_row_set_expanded (row, TRUE);
      for (guint j = 0; pages[j] != NULL; j++)
        {
          guint n_buttons = 0, n_labels = 0;

          find_page_widgets (GTK_WIDGET (row), pages[j], &n_buttons, &n_labels);
          if (imgscan_uri_is_web (pages[j]))
            {
              g_assert_cmpuint (n_buttons, ==, 1);
              n_web++;
            }
          else
            {
              /* javascript: and file: are inert text, never a link. */
              g_assert_cmpuint (n_buttons, ==, 0);
              g_assert_cmpuint (n_labels, ==, 1);
              g_assert_false (imgscan_window_open_page (fixture->window, pages[j]));
              g_clear_pointer (&fixture->window->last_toast, g_free);
              gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-page", "s", pages[j]);
              /* The action refuses too, and says why. */
              g_assert_nonnull (_imgscan_window_get_last_toast (fixture->window));
              g_assert_nonnull (strstr (_imgscan_window_get_last_toast (fixture->window), "Only web pages"));
              n_unsafe++;
            }
        }
    }
  g_assert_cmpuint (n_web, ==, 2);
  g_assert_cmpuint (n_unsafe, ==, 2);
  g_assert_false (imgscan_window_open_page (fixture->window, "javascript:alert(1)"));
  g_assert_false (imgscan_window_open_page (fixture->window, "file:///etc/passwd"));
  g_assert_false (imgscan_window_open_page (fixture->window, "data:text/html,hi"));
}

static void
test_empty_result (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GFile) photo = ui_test_make_photo (fixture->dir, "unique.png", 0x3366ccff);

  mock_server_set_scenario (fixture->server, "empty");
  imgscan_window_open_file (fixture->window, photo);
  wait_until (fixture, state_is_results, "the results");

  g_assert_cmpstr (imgscan_results_view_get_state (results_view (fixture)), ==, "none");
}

static gboolean
state_is_no_credentials (Fixture *fixture)
{
  return g_strcmp0 (imgscan_window_get_state (fixture->window), "no-credentials") == 0;
}

static void
test_no_credentials_demo (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GFile) photo = ui_test_make_photo (fixture->dir, "demo.png", 0x3366ccff);

  imgscan_window_open_file (fixture->window, photo);
  wait_until (fixture, state_is_no_credentials, "the no-credentials page");
  g_assert_cmpuint (mock_server_get_n_requests (fixture->server), ==, 0);

  /* "Try the demo" switches to the built-in server and scans the same photo. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.try-demo", NULL);
  g_assert_true (imgscan_window_get_demo (fixture->window));
  g_assert_true (imgscan_window_get_sandbox (fixture->window));
  wait_until (fixture, state_is_results, "the demo results");

  g_assert_true (imgscan_results_view_get_sandbox_shown (results_view (fixture)));
  g_assert_cmpuint (list_n_items (fixture, IMGSCAN_MATCH_KIND_FULL) +
                    list_n_items (fixture, IMGSCAN_MATCH_KIND_PARTIAL), >, 0);
  g_assert_cmpuint (mock_server_get_n_requests (fixture->server), ==, 0);
}

static void
test_drop_texture (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 200, 150);
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "imgscan", "pasted", NULL);
  g_auto(GValue) value = G_VALUE_INIT;
  const MockCheckRequest *req;
  g_autofree char *path = NULL;
  gboolean handled = FALSE;
  GStatBuf st;

  gdk_pixbuf_fill (pixbuf, 0xcc6633ff);
  texture = gdk_texture_new_for_pixbuf (pixbuf);
  g_value_init (&value, GDK_TYPE_TEXTURE);
  g_value_set_object (&value, texture);

  /* Image data from another app: saved to a private PNG, then scanned like a file. */
  g_signal_emit_by_name (imgscan_window_get_drop_target (fixture->window), "drop",
                         &value, 10.0, 10.0, &handled);
  g_assert_true (handled);
  wait_until (fixture, state_is_results, "the results");

  req = mock_server_get_last_check (fixture->server);
  g_assert_nonnull (req);
  g_assert_true (g_str_has_prefix (req->filename, "pasted-image-"));
  g_assert_true (g_str_has_suffix (req->filename, ".png"));
  g_assert_cmpstr (req->image_content_type, ==, "image/png");

  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  path = g_build_filename (dir, req->filename, NULL);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
  g_assert_cmpuint (st.st_size, ==, g_bytes_get_size (req->image));
}

static void
test_paste (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GFile) photo = ui_test_make_photo (fixture->dir, "pasted.png", 0x3366ccff);
  g_autoptr(GSList) list = g_slist_append (NULL, photo);
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (list));
  gdk_clipboard_set_value (gtk_widget_get_clipboard (GTK_WIDGET (fixture->window)), &value);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.paste", NULL);
  wait_until (fixture, state_is_results, "the results");

  assert_example_results (fixture);
  g_assert_cmpstr (mock_server_get_last_check (fixture->server)->filename, ==, "pasted.png");
}

static void
test_drop_highlight (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkDropTarget *target = imgscan_window_get_drop_target (fixture->window);
  GtkWidget *content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (fixture->window));
  GdkDragAction action = 0;

  g_assert_false (gtk_widget_has_css_class (content, "drop-highlight"));
  g_signal_emit_by_name (target, "enter", 20.0, 20.0, &action);
  g_assert_cmpint (action, ==, GDK_ACTION_COPY);
  g_assert_true (gtk_widget_has_css_class (content, "drop-highlight"));
  g_signal_emit_by_name (target, "leave");
  g_assert_false (gtk_widget_has_css_class (content, "drop-highlight"));
}

int
main (int   argc,
      char *argv[])
{
  /* Only servers on 127.0.0.1 are reached; the GNOME proxy resolver would look for a
   * GSettings schema that the isolated test dirs do not have. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (!ui_test_init ())
    return 0;

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_setup, func, fixture_teardown)

  ADD ("/window/open-path", test_open_path, NULL);
  ADD ("/window/drop", test_drop, NULL);
  ADD ("/window/drop-texture", test_drop_texture, NULL);
  ADD ("/window/drop-highlight", test_drop_highlight, NULL);
  ADD ("/window/paste", test_paste, NULL);
  ADD ("/window/cancel", test_cancel, NULL);
  ADD ("/window/close-mid-scan", test_close_mid_scan, NULL);
  ADD ("/window/refused-photo", test_refused, NULL);
  ADD ("/window/server-error", test_server_error, NULL);
  ADD ("/window/bad-credentials", test_bad_credentials, NULL);
  ADD ("/window/retry", test_retry, NULL);
  ADD ("/window/keep-fails", test_keep_fails, NULL);
  ADD ("/window/resent", test_resent, NULL);
  ADD ("/window/unreadable-reply", test_unreadable_reply, NULL);
  ADD ("/window/thumbnails", test_thumbnails, NULL);
  ADD ("/window/unsafe-pages", test_unsafe_pages, NULL);
  ADD ("/window/no-copies", test_empty_result, NULL);
  ADD ("/window/no-credentials-demo", test_no_credentials_demo, "no-credentials");

  return g_test_run ();
}
