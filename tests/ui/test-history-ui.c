/* test-history-ui.c: the history page, reopening offline, what changed, export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "imgscan-history-row.h"
#include "imgscan-history-view.h"
#include "imgscan-match-row.h"
#include "imgscan-results-view.h"
#include "imgscan-thumbnail.h"
#include "imgscan-window-private.h"
#include "mock-server.h"
#include "test-util.h"
#include "ui-test-util.h"

struct _Fixture
{
  MockServer     *server;
  ImgscanClient  *client;
  ImgscanHistory *history;
  ImgscanWindow  *window;
  char           *dir;
  GAsyncResult   *async_result;
};

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *history_dir = NULL;
  g_autoptr(GFile) dir = NULL;
  const char *url;

  fixture->dir = g_dir_make_tmp ("imgscan-history-ui-XXXXXX", NULL);
  g_assert_nonnull (fixture->dir);

  fixture->server = mock_server_new ();
  url = mock_server_get_url (fixture->server);
  fixture->client = imgscan_client_new (url, url);
  imgscan_client_set_use_keyring (fixture->client, FALSE);
  imgscan_client_set_credentials (fixture->client, MOCK_EMAIL, MOCK_KEY);

  history_dir = g_build_filename (fixture->dir, "history", NULL);
  dir = g_file_new_for_path (history_dir);
  fixture->history = imgscan_history_new (dir);

  fixture->window = imgscan_window_new (NULL);
  imgscan_window_set_client (fixture->window, fixture->client);
  imgscan_window_set_history (fixture->window, fixture->history);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  /* Let cancelled requests and history writes settle before the server goes. */
  ui_test_pump (100);

  g_clear_object (&fixture->async_result);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->history);
  test_util_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* Helpers */

static gboolean
state_is_results (Fixture *fixture)
{
  return g_strcmp0 (imgscan_window_get_state (fixture->window), "results") == 0;
}

static ImgscanResultsView *
results_view (Fixture *fixture)
{
  return IMGSCAN_RESULTS_VIEW (imgscan_window_get_results_view (fixture->window));
}

static ImgscanHistoryView *
history_view (Fixture *fixture)
{
  return IMGSCAN_HISTORY_VIEW (_imgscan_window_get_history_view (fixture->window));
}

static gboolean
history_is_listed (Fixture *fixture)
{
  return g_strcmp0 (imgscan_history_view_get_state (history_view (fixture)), "list") == 0;
}

static guint
n_listed (Fixture *fixture)
{
  return g_list_model_get_n_items (imgscan_history_view_get_model (history_view (fixture)));
}

/* The shown result's matches of @kind (the lists get their models only when shown). */
static guint
list_n_items (Fixture          *fixture,
              ImgscanMatchKind  kind)
{
  ImgscanResult *result = imgscan_results_view_get_result (results_view (fixture));

  if (result == NULL)
    return 0;
  switch (kind)
    {
    case IMGSCAN_MATCH_KIND_FULL:
      return g_list_model_get_n_items (imgscan_result_get_full_matches (result));
    case IMGSCAN_MATCH_KIND_PARTIAL:
      return g_list_model_get_n_items (imgscan_result_get_partial_matches (result));
    case IMGSCAN_MATCH_KIND_OTHER:
    default:
      return g_list_model_get_n_items (imgscan_result_get_other_matches (result));
    }
}

/* Scans @photo through the window, as a user would, and waits for its results. */
static void
scan (Fixture    *fixture,
      GFile      *photo,
      const char *scenario)
{
  mock_server_set_scenario (fixture->server, scenario);
  imgscan_window_open_file (fixture->window, photo);
  g_assert_cmpstr (imgscan_window_get_state (fixture->window), ==, "scanning");
  wait_until (fixture, state_is_results, "the results");
}

static void
show_history (Fixture *fixture)
{
  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "show-history", NULL);
  g_assert_cmpstr (imgscan_window_get_state (fixture->window), ==, "history");
  wait_until (fixture, history_is_listed, "the history list");
}

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_mapped (widget))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, found);
}

static ImgscanHistoryRow *
find_history_row (Fixture    *fixture,
                  const char *scan_id)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (GTK_WIDGET (imgscan_history_view_get_list_view (history_view (fixture))),
           IMGSCAN_TYPE_HISTORY_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      ImgscanHistoryEntry *entry = imgscan_history_row_get_entry (rows->pdata[i]);

      if (entry != NULL && g_strcmp0 (imgscan_history_entry_get_scan_id (entry), scan_id) == 0)
        return rows->pdata[i];
    }

  return NULL;
}

static const char *
shown_scan_id (Fixture *fixture)
{
  ImgscanResult *result = imgscan_results_view_get_result (results_view (fixture));

  return result != NULL ? imgscan_result_get_scan_id (result) : NULL;
}

static void
async_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Fixture *fixture = user_data;

  fixture->async_result = g_object_ref (result);
}

static gboolean
async_done (Fixture *fixture)
{
  return fixture->async_result != NULL;
}

static GAsyncResult *
wait_async (Fixture *fixture)
{
  g_clear_object (&fixture->async_result);
  wait_until (fixture, async_done, "an async call");
  return fixture->async_result;
}

static char *
read_file (GFile *file,
           gsize *length)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_load_contents (file, NULL, &contents, length, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static gboolean
thumbnails_settled (Fixture *fixture)
{
  g_autoptr(GPtrArray) thumbs = g_ptr_array_new ();

  collect (GTK_WIDGET (imgscan_results_view_get_list (results_view (fixture), IMGSCAN_MATCH_KIND_FULL)),
           IMGSCAN_TYPE_THUMBNAIL, thumbs);
  if (thumbs->len == 0)
    return FALSE;
  for (guint i = 0; i < thumbs->len; i++)
    if (imgscan_thumbnail_get_state (thumbs->pdata[i]) != IMGSCAN_THUMBNAIL_STATE_LOADED)
      return FALSE;
  return TRUE;
}

/* Tests */

static gboolean
mock_rows_shown (Fixture *fixture)
{
  return list_n_items (fixture, IMGSCAN_MATCH_KIND_FULL) == 2;
}

/* Repeats the check with the same scanId and photo: the mock's reply is a function of
 * those, so the bytes it returns are the ones it sent the window. */
static GBytes *
mock_reply_for (Fixture    *fixture,
                GFile      *photo,
                const char *scan_id)
{
  g_autoptr(ImgscanResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *raw = NULL;

  imgscan_client_check_async (fixture->client, photo, scan_id, FALSE, NULL, NULL, NULL, NULL,
                              async_cb, fixture);
  result = imgscan_client_check_finish (fixture->client, wait_async (fixture), &raw, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (raw);
  g_assert_cmpstr (imgscan_result_get_scan_id (result), ==, scan_id);

  return raw;
}

static void
test_listed_and_reopened_offline (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GFile) photo = ui_test_make_photo (fixture->dir, "harbour.png", 0x3366ccff);
  g_autoptr(ImgscanHistoryEntry) entry = NULL;
  g_autoptr(GBytes) sent = NULL;
  g_autoptr(GFile) reply_file = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *scan_id = NULL;
  ImgscanHistoryRow *row;
  gsize kept_length;
  const char *counts;
  guint n_requests;

  /* Thumbnails from the mock, so the reopened scan can show them from the disk cache. */
  scan (fixture, photo, "thumbnails");
  wait_until (fixture, mock_rows_shown, "the full matches");
  wait_until (fixture, thumbnails_settled, "the thumbnails");
  scan_id = g_strdup (shown_scan_id (fixture));

  /* Kept before shown: the entry is already in the model. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->history)), ==, 1);
  entry = g_list_model_get_item (G_LIST_MODEL (fixture->history), 0);
  g_assert_cmpstr (imgscan_history_entry_get_scan_id (entry), ==, scan_id);

  /* The reply kept on disk is byte for byte what the server sent. */
  sent = mock_reply_for (fixture, photo, scan_id);
  reply_file = imgscan_history_entry_get_reply_file (entry);
  kept = read_file (reply_file, &kept_length);
  g_assert_cmpmem (kept, kept_length, g_bytes_get_data (sent, NULL), g_bytes_get_size (sent));

  show_history (fixture);
  g_assert_cmpuint (n_listed (fixture), ==, 1);
  ui_test_pump (50);
  row = find_history_row (fixture, scan_id);
  g_assert_nonnull (row);
  counts = imgscan_history_row_get_counts_text (row);
  g_assert_cmpstr (counts, ==, "2 full · 2 partial");
  g_assert_false (imgscan_history_row_get_sandbox_shown (row));
  g_assert_nonnull (strstr (imgscan_history_row_get_date_text (row), "Today"));

  /* No server any more: reopening must not need one. */
  n_requests = imgscan_thumbnail_loader_get_n_requests (imgscan_thumbnail_loader_get_default ());
  g_clear_object (&fixture->server);
  imgscan_results_view_clear (results_view (fixture));

  g_signal_emit_by_name (imgscan_history_view_get_list_view (history_view (fixture)), "activate", 0);
  wait_until (fixture, state_is_results, "the reopened scan");
  g_assert_cmpstr (shown_scan_id (fixture), ==, scan_id);
  g_assert_cmpuint (list_n_items (fixture, IMGSCAN_MATCH_KIND_FULL), ==, 2);
  g_assert_cmpuint (list_n_items (fixture, IMGSCAN_MATCH_KIND_PARTIAL), ==, 2);
  counts = imgscan_results_view_get_counts_text (results_view (fixture));
  g_assert_nonnull (strstr (counts, "2 full matches"));
  g_assert_nonnull (strstr (counts, "2 partial matches"));
  /* The thumbnails come back without the server that served them. */
  wait_until (fixture, thumbnails_settled, "the cached thumbnails");
  g_assert_cmpuint (imgscan_thumbnail_loader_get_n_requests (imgscan_thumbnail_loader_get_default ()), ==,
                    n_requests);
  /* Reopening closed the history: the toggle follows. */
  {
    g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (fixture->window),
                                                                 "show-history");
    g_assert_false (g_variant_get_boolean (state));
  }
}

static gboolean
row_preview_loaded (Fixture *fixture)
{
  g_autoptr(ImgscanHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (fixture->history), 0);
  ImgscanHistoryRow *row = find_history_row (fixture, imgscan_history_entry_get_scan_id (entry));

  return row != NULL && imgscan_history_row_get_preview_loaded (row);
}

static void
test_sandbox_and_preview (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GFile) photo = ui_test_make_photo (fixture->dir, "test-shot.png", 0x884422ff);
  g_autoptr(ImgscanHistoryEntry) entry = NULL;
  ImgscanHistoryRow *row;

  imgscan_window_set_sandbox (fixture->window, TRUE);
  scan (fixture, photo, "example");
  show_history (fixture);
  wait_until (fixture, row_preview_loaded, "the preview");
  entry = g_list_model_get_item (G_LIST_MODEL (fixture->history), 0);
  row = find_history_row (fixture, imgscan_history_entry_get_scan_id (entry));
  g_assert_true (imgscan_history_row_get_sandbox_shown (row));

  /* Reopened with sandbox off today: the kept scan is still marked as a sandbox one. */
  imgscan_window_set_sandbox (fixture->window, FALSE);
  g_signal_emit_by_name (imgscan_history_view_get_list_view (history_view (fixture)), "activate", 0);
  wait_until (fixture, state_is_results, "the reopened scan");
  g_assert_true (imgscan_results_view_get_sandbox_shown (results_view (fixture)));
}

static guint expected_listed;

static gboolean
listed_as_expected (Fixture *fixture)
{
  return n_listed (fixture) == expected_listed;
}

static void
search (Fixture    *fixture,
        const char *text,
        guint       expected)
{
  gtk_editable_set_text (imgscan_history_view_get_search_entry (history_view (fixture)), text);
  /* The search entry reports changes after a short pause. */
  expected_listed = expected;
  wait_until (fixture, listed_as_expected, text);
}

static void
test_filter (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GFile) sunset = ui_test_make_photo (fixture->dir, "Sunset over the bay.png", 0x112233ff);
  g_autoptr(GFile) beach = ui_test_make_photo (fixture->dir, "beach.png", 0x445566ff);
  g_autoptr(GFile) sunrise = ui_test_make_photo (fixture->dir, "sunrise.png", 0x778899ff);

  scan (fixture, sunset, "example");
  scan (fixture, beach, "empty");
  scan (fixture, sunrise, "example");

  show_history (fixture);
  g_assert_cmpuint (n_listed (fixture), ==, 3);

  search (fixture, "sun", 2);
  search (fixture, "SUNSET", 1);
  {
    g_autoptr(ImgscanHistoryEntry) entry = g_list_model_get_item (imgscan_history_view_get_model (history_view (fixture)), 0);

    g_assert_cmpstr (imgscan_history_entry_get_filename (entry), ==, "Sunset over the bay.png");
  }
  search (fixture, "no such photo", 0);
  g_assert_cmpstr (imgscan_history_view_get_state (history_view (fixture)), ==, "no-match");
  search (fixture, "", 3);
  g_assert_cmpstr (imgscan_history_view_get_state (history_view (fixture)), ==, "list");
}

static gboolean
folder_exists (GFile *reply_file)
{
  g_autoptr(GFile) folder = g_file_get_parent (reply_file);

  return g_file_query_exists (reply_file, NULL) && g_file_query_exists (folder, NULL);
}

static guint
n_on_disk (Fixture *fixture)
{
  g_autoptr(ImgscanHistory) fresh = imgscan_history_new (imgscan_history_get_dir (fixture->history));
  g_autoptr(GError) error = NULL;

  g_assert_true (imgscan_history_load (fresh, NULL, &error));
  g_assert_no_error (error);
  return g_list_model_get_n_items (G_LIST_MODEL (fresh));
}

static void
test_delete_undo (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GFile) photo = ui_test_make_photo (fixture->dir, "keep-me.png", 0x224466ff);
  g_autoptr(ImgscanHistoryEntry) entry = NULL;
  g_autoptr(GFile) reply_file = NULL;
  ImgscanHistoryRow *row;
  AdwToast *toast;
  GtkWidget *button = NULL;

  scan (fixture, photo, "example");
  show_history (fixture);
  ui_test_pump (50);
  entry = g_list_model_get_item (G_LIST_MODEL (fixture->history), 0);
  reply_file = imgscan_history_entry_get_reply_file (entry);
  g_assert_true (folder_exists (reply_file));

  /* The row's own delete button takes the entry out of the list, files kept for Undo. */
  row = find_history_row (fixture, imgscan_history_entry_get_scan_id (entry));
  g_assert_nonnull (row);
  {
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

    collect (GTK_WIDGET (row), GTK_TYPE_BUTTON, buttons);
    for (guint i = 0; i < buttons->len; i++)
      if (g_strcmp0 (gtk_actionable_get_action_name (buttons->pdata[i]), "history.delete") == 0)
        button = buttons->pdata[i];
  }
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpuint (n_listed (fixture), ==, 0);
  g_assert_cmpstr (imgscan_history_view_get_state (history_view (fixture)), ==, "empty");
  g_assert_true (folder_exists (reply_file));

  /* Its toast offers Undo: back in the list, files intact. The toast's button emits
   * button-clicked, then dismisses the toast. */
  toast = imgscan_history_view_get_last_toast (history_view (fixture));
  g_assert_nonnull (toast);
  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "_Undo");
  g_assert_nonnull (strstr (adw_toast_get_title (toast), "keep-me.png"));
  g_signal_emit_by_name (toast, "button-clicked");
  adw_toast_dismiss (toast);
  ui_test_pump (50);
  g_assert_cmpuint (n_listed (fixture), ==, 1);
  g_assert_cmpstr (imgscan_history_view_get_state (history_view (fixture)), ==, "list");
  g_assert_true (folder_exists (reply_file));
  g_assert_cmpuint (n_on_disk (fixture), ==, 1);

  /* Delete → the toast goes away without Undo: the files are gone for good. */
  toast = imgscan_history_view_delete (history_view (fixture), imgscan_history_entry_get_scan_id (entry));
  g_assert_nonnull (toast);
  g_assert_true (folder_exists (reply_file));
  adw_toast_dismiss (toast);
  g_assert_cmpuint (n_listed (fixture), ==, 0);
  g_assert_false (g_file_query_exists (reply_file, NULL));
  g_assert_cmpuint (n_on_disk (fixture), ==, 0);
}

/* Closing the window while the toast still offers Undo: the user meant it, the files go. */
static void
test_delete_then_close (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GFile) photo = ui_test_make_photo (fixture->dir, "closing.png", 0x446688ff);
  g_autoptr(ImgscanHistoryEntry) entry = NULL;
  g_autoptr(GFile) reply_file = NULL;

  scan (fixture, photo, "example");
  show_history (fixture);
  entry = g_list_model_get_item (G_LIST_MODEL (fixture->history), 0);
  reply_file = imgscan_history_entry_get_reply_file (entry);
  g_assert_nonnull (imgscan_history_view_delete (history_view (fixture), imgscan_history_entry_get_scan_id (entry)));
  g_assert_true (folder_exists (reply_file));

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  fixture->window = NULL;
  ui_test_pump (100);
  g_assert_false (g_file_query_exists (reply_file, NULL));
  g_assert_cmpuint (n_on_disk (fixture), ==, 0);
}

static gboolean
collect_new_badges (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), "New") == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (collect_new_badges (child))
      return TRUE;

  return FALSE;
}

static gboolean
match_is_new (ImgscanResult *result,
              const char    *url)
{
  GListModel *matches = imgscan_result_get_matches (result);

  for (guint i = 0; i < g_list_model_get_n_items (matches); i++)
    {
      g_autoptr(ImgscanMatch) match = g_list_model_get_item (matches, i);

      if (g_str_equal (imgscan_match_get_url (match), url))
        return imgscan_match_get_is_new (match);
    }
  g_assert_not_reached ();
}

static void
test_what_changed (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GFile) photo = ui_test_make_photo (fixture->dir, "lighthouse.png", 0x996633ff);
  g_autoptr(GFile) other = ui_test_make_photo (fixture->dir, "other.png", 0x123456ff);
  ImgscanResult *result;
  GtkExpander *gone;

  /* First scan of the photo: nothing to compare with. */
  scan (fixture, photo, "example");
  g_assert_false (gtk_widget_get_visible (_imgscan_window_get_changes (fixture->window)));

  /* Second scan, another reply: partial-2 is new, nothing disappeared. */
  scan (fixture, photo, "out-of-order");
  result = imgscan_results_view_get_result (results_view (fixture));
  g_assert_true (gtk_widget_get_visible (_imgscan_window_get_changes (fixture->window)));
  g_assert_nonnull (strstr (_imgscan_window_get_changes_text (fixture->window), "1 new match since your earlier scan of this photo ("));
  g_assert_true (match_is_new (result, "https://images.example.com/partial-2.jpg"));
  g_assert_false (match_is_new (result, "https://images.example.com/partial-1.jpg"));
  g_assert_false (match_is_new (result, "https://images.example.com/full-1.jpg"));
  gone = _imgscan_window_get_gone_expander (fixture->window);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gone)));
  /* The partial row of the new match wears the badge. */
  imgscan_results_view_show_group (results_view (fixture), "partial");
  ui_test_pump (100);
  g_assert_true (collect_new_badges (GTK_WIDGET (imgscan_results_view_get_list (results_view (fixture),
                                                                                IMGSCAN_MATCH_KIND_PARTIAL))));
  imgscan_results_view_show_group (results_view (fixture), "full");
  ui_test_pump (100);
  g_assert_false (collect_new_badges (GTK_WIDGET (imgscan_results_view_get_list (results_view (fixture),
                                                                                 IMGSCAN_MATCH_KIND_FULL))));

  /* Third scan, the first reply again: partial-2 is no longer found. */
  scan (fixture, photo, "example");
  result = imgscan_results_view_get_result (results_view (fixture));
  g_assert_false (match_is_new (result, "https://images.example.com/full-1.jpg"));
  g_assert_nonnull (strstr (_imgscan_window_get_changes_text (fixture->window), "No new matches since your earlier scan"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gone)));
  g_assert_cmpstr (gtk_expander_get_label (gone), ==, "Images no longer found (1)");
  {
    GtkWidget *scrolled = gtk_expander_get_child (gone);
    GtkWidget *box = gtk_widget_get_first_child (gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)));

    if (GTK_IS_VIEWPORT (gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled))))
      box = gtk_viewport_get_child (GTK_VIEWPORT (gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled))));
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_widget_get_first_child (box))), ==,
                     "https://images.example.com/partial-2.jpg");
  }

  /* Another photo: not compared, the changes go away. */
  scan (fixture, other, "example");
  g_assert_false (gtk_widget_get_visible (_imgscan_window_get_changes (fixture->window)));
}

/* The earlier scan's reply was damaged on disk: no comparison, the new result still shows. */
static void
test_damaged_previous (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GFile) photo = ui_test_make_photo (fixture->dir, "damaged.png", 0x557799ff);
  g_autoptr(ImgscanHistoryEntry) first = NULL;
  g_autoptr(GFile) reply_file = NULL;
  g_autoptr(GError) error = NULL;

  scan (fixture, photo, "example");
  first = g_list_model_get_item (G_LIST_MODEL (fixture->history), 0);
  reply_file = imgscan_history_entry_get_reply_file (first);
  g_file_replace_contents (reply_file, "{\"oops", 7, NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL, &error);
  g_assert_no_error (error);

  g_test_expect_message ("imgscan-window-history", G_LOG_LEVEL_WARNING, "*Could not read the previous scan*");
  scan (fixture, photo, "out-of-order");
  g_test_assert_expected_messages ();
  g_assert_cmpuint (list_n_items (fixture, IMGSCAN_MATCH_KIND_PARTIAL), ==, 2);
  g_assert_false (gtk_widget_get_visible (_imgscan_window_get_changes (fixture->window)));
}

/* The history cannot be written: the paid result is still shown, just not compared. */
static void
test_not_kept_still_shown (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GFile) photo = ui_test_make_photo (fixture->dir, "unkept.png", 0x998877ff);
  g_autofree char *path = g_file_get_path (imgscan_history_get_dir (fixture->history));
  g_autoptr(GError) error = NULL;

  /* A file where the history folder should be. */
  g_file_set_contents (path, "not a folder", -1, &error);
  g_assert_no_error (error);

  g_test_expect_message ("imgscan-window", G_LOG_LEVEL_WARNING, "*Could not keep scan*");
  scan (fixture, photo, "example");
  g_test_assert_expected_messages ();
  g_assert_cmpuint (list_n_items (fixture, IMGSCAN_MATCH_KIND_FULL), ==, 2);
  g_assert_false (gtk_widget_get_visible (_imgscan_window_get_changes (fixture->window)));
}

/* A scan is running under the history: opening a saved scan must not cancel it. */
static void
test_reopen_while_scanning (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GFile) first = ui_test_make_photo (fixture->dir, "first.png", 0x101010ff);
  g_autoptr(GFile) second = ui_test_make_photo (fixture->dir, "second.png", 0x202020ff);
  g_autofree char *first_id = NULL;

  scan (fixture, first, "example");
  first_id = g_strdup (shown_scan_id (fixture));

  mock_server_set_delay (fixture->server, 300);
  mock_server_set_scenario (fixture->server, "slow");
  imgscan_window_open_file (fixture->window, second);
  show_history (fixture);
  g_assert_cmpuint (n_listed (fixture), ==, 1);

  g_signal_emit_by_name (imgscan_history_view_get_list_view (history_view (fixture)), "activate", 0);
  ui_test_pump (50);
  g_assert_cmpstr (imgscan_window_get_state (fixture->window), ==, "history");

  /* The running scan ends as usual: its result is kept and shown. */
  wait_until (fixture, state_is_results, "the second scan");
  g_assert_cmpstr (shown_scan_id (fixture), !=, first_id);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->history)), ==, 2);
}

static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GFile) photo = ui_test_make_photo (fixture->dir, "export-me.png", 0x336699ff);
  g_autofree char *csv_path = g_build_filename (fixture->dir, "out.csv", NULL);
  g_autofree char *json_path = g_build_filename (fixture->dir, "out.json", NULL);
  g_autoptr(GFile) csv_file = g_file_new_for_path (csv_path);
  g_autoptr(GFile) json_file = g_file_new_for_path (json_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *json = NULL;
  g_autofree char *expected_json = NULL;
  g_autoptr(ImgscanResult) parsed = NULL;
  g_auto(GStrv) lines = NULL;
  gsize length;

  /* Nothing shown yet: the export actions are off. */
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "export-csv"));
  scan (fixture, photo, "example");
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "export-csv"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "export-json"));

  _imgscan_window_export_async (fixture->window, IMGSCAN_EXPORT_FORMAT_CSV, csv_file, NULL, async_cb, fixture);
  g_assert_true (_imgscan_window_export_finish (fixture->window, wait_async (fixture), &error));
  g_assert_no_error (error);
  csv = read_file (csv_file, &length);
  lines = g_strsplit (csv, "\r\n", -1);
  /* full-1 is on two pages, full-2 and partial-1 on one each. */
  g_assert_cmpuint (g_strv_length (lines), ==, 6);
  g_assert_cmpstr (lines[0], ==, "kind,image_url,domain,page_url");
  g_assert_cmpstr (lines[1], ==, "full,https://images.example.com/full-1.jpg,images.example.com,https://news.example.com/story-1");
  g_assert_cmpstr (lines[2], ==, "full,https://images.example.com/full-1.jpg,images.example.com,https://blog.example.org/post");
  g_assert_cmpstr (lines[3], ==, "full,https://images.example.com/full-2.jpg,images.example.com,https://shop.example.net/item");
  g_assert_cmpstr (lines[4], ==, "partial,https://images.example.com/partial-1.jpg,images.example.com,https://forum.example.com/t/42");
  g_assert_cmpstr (lines[5], ==, "");

  _imgscan_window_export_async (fixture->window, IMGSCAN_EXPORT_FORMAT_JSON, json_file, NULL, async_cb, fixture);
  g_assert_true (_imgscan_window_export_finish (fixture->window, wait_async (fixture), &error));
  g_assert_no_error (error);
  json = read_file (json_file, &length);
  parsed = imgscan_result_new_from_data (json, length, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (imgscan_result_get_scan_id (parsed), ==, shown_scan_id (fixture));
  g_assert_cmpstr (imgscan_result_get_developer_payload (parsed), ==, "mock-payload");
  g_assert_cmpuint (g_list_model_get_n_items (imgscan_result_get_full_matches (parsed)), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (imgscan_result_get_partial_matches (parsed)), ==, 1);
  /* The same bytes `imgscan-cli scan --json` prints: the API's shape and a newline. */
  {
    g_autofree char *shape = imgscan_result_to_json (parsed, TRUE, NULL);

    expected_json = g_strconcat (shape, "\n", NULL);
  }
  g_assert_cmpstr (json, ==, expected_json);

  /* Replacing an existing export works too. */
  _imgscan_window_export_async (fixture->window, IMGSCAN_EXPORT_FORMAT_CSV, json_file, NULL, async_cb, fixture);
  g_assert_true (_imgscan_window_export_finish (fixture->window, wait_async (fixture), &error));
  g_clear_pointer (&json, g_free);
  json = read_file (json_file, &length);
  g_assert_true (g_str_has_prefix (json, "kind,image_url"));
}

static void
test_lazy_load (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GFile) photo = ui_test_make_photo (fixture->dir, "old.png", 0x665544ff);
  g_autoptr(ImgscanHistory) earlier = imgscan_history_new (imgscan_history_get_dir (fixture->history));
  g_autoptr(ImgscanResult) result = NULL;
  g_autoptr(ImgscanHistoryEntry) entry = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GError) error = NULL;

  /* A scan kept by an earlier run. */
  raw = mock_reply_for (fixture, photo, "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0");
  result = imgscan_result_new_from_bytes (raw, &error);
  g_assert_no_error (error);
  entry = imgscan_history_add (earlier, raw, result, photo, FALSE, NULL, &error);
  g_assert_no_error (error);

  /* The window started without reading it. */
  ui_test_pump (100);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->history)), ==, 0);

  /* Shown: read, listed. */
  show_history (fixture);
  g_assert_cmpuint (n_listed (fixture), ==, 1);

  /* Closing the history goes back where the window was. */
  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "show-history", NULL);
  g_assert_cmpstr (imgscan_window_get_state (fixture->window), ==, "empty");

  /* Escape in the search field clears it first, then closes the page. */
  show_history (fixture);
  gtk_editable_set_text (imgscan_history_view_get_search_entry (history_view (fixture)), "old");
  g_signal_emit_by_name (imgscan_history_view_get_search_entry (history_view (fixture)), "stop-search");
  g_assert_cmpstr (gtk_editable_get_text (imgscan_history_view_get_search_entry (history_view (fixture))), ==, "");
  g_assert_cmpstr (imgscan_window_get_state (fixture->window), ==, "history");
  g_signal_emit_by_name (imgscan_history_view_get_search_entry (history_view (fixture)), "stop-search");
  g_assert_cmpstr (imgscan_window_get_state (fixture->window), ==, "empty");
}

static void
test_empty_history (Fixture       *fixture,
                    gconstpointer  data)
{
  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "show-history", NULL);
  g_assert_cmpstr (imgscan_window_get_state (fixture->window), ==, "history");
  while (g_strcmp0 (imgscan_history_view_get_state (history_view (fixture)), "loading") == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (imgscan_history_view_get_state (history_view (fixture)), ==, "empty");
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

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/history-ui/listed-and-reopened-offline", test_listed_and_reopened_offline);
  ADD ("/history-ui/sandbox-and-preview", test_sandbox_and_preview);
  ADD ("/history-ui/filter", test_filter);
  ADD ("/history-ui/delete-undo", test_delete_undo);
  ADD ("/history-ui/delete-then-close", test_delete_then_close);
  ADD ("/history-ui/what-changed", test_what_changed);
  ADD ("/history-ui/damaged-previous", test_damaged_previous);
  ADD ("/history-ui/not-kept-still-shown", test_not_kept_still_shown);
  ADD ("/history-ui/reopen-while-scanning", test_reopen_while_scanning);
  ADD ("/history-ui/export", test_export);
  ADD ("/history-ui/lazy-load", test_lazy_load);
  ADD ("/history-ui/empty", test_empty_history);

  return g_test_run ();
}
