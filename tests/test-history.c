/* test-history.c: every paid result kept, whatever happens to the disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <utime.h>
#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "imgscan-history.h"
#include "test-util.h"

#define FAIL_ENV "IMGSCAN_HISTORY_FAIL_BEFORE_RENAME"

/* A reply in the API's shape; @urls are "F:url" (full) or "P:url" (partial). The
 * spacing is deliberately unusual: the history must keep the bytes as received. */
static GBytes *
make_reply (const char *scan_id,
            const char *urls[])
{
  GString *s = g_string_new (NULL);
  guint n_full = 0, n_partial = 0, n = 0;

  g_string_append_printf (s,
    "{ \"developerPayload\" : null,\n"
    "  \"scannedImage\": {\"scanId\": \"%s\", \"expectedCredits\": 1, \"actualCredits\": 1,\n"
    "    \"creationTime\": \"2026-05-24T10:00:00Z\", \"width\": 800, \"height\": 600,\n"
    "    \"filename\": \"photo.png\"},\n"
    "  \"matches\": {\"internet\": [", scan_id);
  for (guint i = 0; urls != NULL && urls[i] != NULL; i++, n++)
    {
      gboolean full = urls[i][0] == 'F';

      if (full)
        n_full++;
      else
        n_partial++;
      g_string_append_printf (s, "%s{\"url\": \"%s\", \"matchType\": %d,"
                              " \"webPages\": [{\"url\": \"https://pages.example/%u\"}]}",
                              i > 0 ? ",\n  " : "", urls[i] + 2, full ? 0 : 1, i);
    }
  g_string_append_printf (s, "],\n  \"score\": {\"totalMatches\": %u, \"fullMatches\": %u,"
                          " \"partialMatches\": %u}}}\n", n, n_full, n_partial);
  return g_string_free_to_bytes (s);
}

static ImgscanResult *
parse (GBytes *reply)
{
  g_autoptr(GError) error = NULL;
  ImgscanResult *result = imgscan_result_new_from_bytes (reply, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static GFile *
make_photo (const char *name,
            guint32     colour)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 800, 600);
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), name, NULL);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  gdk_pixbuf_fill (pixbuf, colour);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* By type: the isolated test dirs have no MIME database for sniffing. */
static GdkPixbuf *
load_png (GFile *file)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("png", NULL);
  g_autoptr(GBytes) bytes = g_file_load_bytes (file, NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (bytes);
  gdk_pixbuf_loader_write_bytes (loader, bytes, &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_close (loader, &error);
  g_assert_no_error (error);
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

static GFile *
history_dir (void)
{
  /* G_TEST_OPTION_ISOLATE_DIRS: each test case has its own data dir. */
  return g_file_new_build_filename (g_get_user_data_dir (), "imgscan", "history", NULL);
}

static ImgscanHistory *
load_fresh (void)
{
  g_autoptr(GFile) dir = history_dir ();
  g_autoptr(ImgscanHistory) history = imgscan_history_new (dir);
  g_autoptr(GError) error = NULL;

  g_assert_true (imgscan_history_load (history, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&history);
}

static ImgscanHistoryEntry *
add (ImgscanHistory *history,
     const char     *scan_id,
     const char     *urls[],
     GFile          *photo)
{
  g_autoptr(GBytes) reply = make_reply (scan_id, urls);
  g_autoptr(ImgscanResult) result = parse (reply);
  g_autoptr(GError) error = NULL;
  ImgscanHistoryEntry *entry;

  entry = imgscan_history_add (history, reply, result, photo, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (entry);
  g_object_unref (entry);   /* the history keeps it */
  return entry;
}

static ImgscanHistoryEntry *
entry_at (ImgscanHistory *history,
          guint           position)
{
  g_autoptr(ImgscanHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (history), position);

  g_assert_nonnull (entry);
  return entry;   /* the model keeps it */
}

static void
assert_same_entry (ImgscanHistoryEntry *a,
                   ImgscanHistoryEntry *b)
{
  g_autoptr(GFile) preview_a = imgscan_history_entry_get_preview (a);
  g_autoptr(GFile) preview_b = imgscan_history_entry_get_preview (b);
  g_autoptr(GFile) reply_a = imgscan_history_entry_get_reply_file (a);
  g_autoptr(GFile) reply_b = imgscan_history_entry_get_reply_file (b);

  g_assert_cmpstr (imgscan_history_entry_get_scan_id (a), ==, imgscan_history_entry_get_scan_id (b));
  g_assert_cmpstr (imgscan_history_entry_get_filename (a), ==, imgscan_history_entry_get_filename (b));
  g_assert_cmpstr (imgscan_history_entry_get_path (a), ==, imgscan_history_entry_get_path (b));
  g_assert_cmpuint (imgscan_history_entry_get_size (a), ==, imgscan_history_entry_get_size (b));
  g_assert_cmpstr (imgscan_history_entry_get_content_hash (a), ==, imgscan_history_entry_get_content_hash (b));
  g_assert_cmpint (imgscan_history_entry_get_sandbox (a), ==, imgscan_history_entry_get_sandbox (b));
  g_assert_true (g_date_time_equal (imgscan_history_entry_get_time (a), imgscan_history_entry_get_time (b)));
  g_assert_cmpuint (imgscan_history_entry_get_n_full (a), ==, imgscan_history_entry_get_n_full (b));
  g_assert_cmpuint (imgscan_history_entry_get_n_partial (a), ==, imgscan_history_entry_get_n_partial (b));
  g_assert_true ((preview_a == NULL) == (preview_b == NULL));
  g_assert_true (preview_a == NULL || g_file_equal (preview_a, preview_b));
  g_assert_true (g_file_equal (reply_a, reply_b));
}

static void
assert_same_model (ImgscanHistory *a,
                   ImgscanHistory *b)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (a));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (b)), ==, n);
  for (guint i = 0; i < n; i++)
    assert_same_entry (entry_at (a, i), entry_at (b, i));
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *count)
{
  (*count)++;
}

static char *
file_sha256 (GFile *file)
{
  g_autoptr(GBytes) bytes = g_file_load_bytes (file, NULL, NULL, NULL);

  g_assert_nonnull (bytes);
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

static void
test_roundtrip (void)
{
  g_autoptr(GFile) dir = history_dir ();
  g_autoptr(ImgscanHistory) history = imgscan_history_new (dir);
  g_autoptr(ImgscanHistory) reloaded = NULL;
  g_autoptr(GFile) photo = make_photo ("beach.png", 0xff8800ff);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GBytes) on_disk = NULL;
  g_autoptr(ImgscanResult) result = NULL;
  g_autoptr(ImgscanResult) loaded = NULL;
  g_autoptr(GFile) reply_file = NULL;
  g_autoptr(GFile) preview = NULL;
  g_autoptr(GdkPixbuf) preview_pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *photo_path = g_file_get_path (photo);
  g_autofree char *photo_hash = file_sha256 (photo);
  g_autofree char *json_a = NULL;
  g_autofree char *json_b = NULL;
  const char *urls[] = { "F:https://a.example/1.jpg", "P:https://b.example/2.jpg",
                         "P:https://c.example/3.jpg", NULL };
  ImgscanHistoryEntry *entry;
  guint changes = 0;

  g_signal_connect (history, "items-changed", G_CALLBACK (on_items_changed), &changes);
  g_assert_true (imgscan_history_load (history, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (history)) == IMGSCAN_TYPE_HISTORY_ENTRY);

  reply = make_reply ("scan-one", urls);
  result = parse (reply);
  changes = 0;
  entry = imgscan_history_add (history, reply, result, photo, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_true (entry == entry_at (history, 0));
  g_assert_true (entry == imgscan_history_lookup (history, "scan-one"));

  g_assert_cmpstr (imgscan_history_entry_get_scan_id (entry), ==, "scan-one");
  g_assert_cmpstr (imgscan_history_entry_get_filename (entry), ==, "beach.png");
  g_assert_cmpstr (imgscan_history_entry_get_path (entry), ==, photo_path);
  g_assert_cmpstr (imgscan_history_entry_get_content_hash (entry), ==, photo_hash);
  g_assert_cmpuint (imgscan_history_entry_get_size (entry), >, 0);
  g_assert_true (imgscan_history_entry_get_sandbox (entry));
  g_assert_cmpuint (imgscan_history_entry_get_n_full (entry), ==, 1);
  g_assert_cmpuint (imgscan_history_entry_get_n_partial (entry), ==, 2);

  /* The reply exactly as received. */
  reply_file = imgscan_history_entry_get_reply_file (entry);
  on_disk = g_file_load_bytes (reply_file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (on_disk, reply));

  /* A small preview of the photo. */
  preview = imgscan_history_entry_get_preview (entry);
  g_assert_nonnull (preview);
  preview_pixbuf = load_png (preview);
  g_assert_cmpint (gdk_pixbuf_get_width (preview_pixbuf), ==, 256);
  g_assert_cmpint (gdk_pixbuf_get_height (preview_pixbuf), ==, 192);

  /* A second scan, of no file (a pasted image): newest first. */
  g_clear_object (&entry);
  entry = add (history, "scan-two", NULL, NULL);
  g_assert_true (entry == entry_at (history, 0));
  g_assert_cmpstr (imgscan_history_entry_get_filename (entry), ==, "photo.png");
  g_assert_null (imgscan_history_entry_get_preview (entry));
  entry = NULL;

  /* A fresh history over the same folder lists the same entries… */
  reloaded = load_fresh ();
  assert_same_model (history, reloaded);

  /* …and gives back the same result. */
  loaded = imgscan_history_entry_load_result (entry_at (reloaded, 1), &error);
  g_assert_no_error (error);
  json_a = imgscan_result_to_json (result, TRUE, NULL);
  json_b = imgscan_result_to_json (loaded, TRUE, NULL);
  g_assert_cmpstr (json_a, ==, json_b);
}

static void
test_fail_before_rename (void)
{
  g_autoptr(GFile) dir = history_dir ();
  g_autoptr(ImgscanHistory) history = imgscan_history_new (dir);
  g_autoptr(ImgscanHistory) reloaded = NULL;
  g_autoptr(GFile) photo = make_photo ("a.png", 0x112233ff);
  g_autoptr(GBytes) reply = make_reply ("scan-lost", NULL);
  g_autoptr(ImgscanResult) result = parse (reply);
  g_autoptr(ImgscanHistoryEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *index_before = NULL;
  g_autofree char *index_after = NULL;
  g_autofree char *index_path = g_build_filename (g_file_peek_path (dir), "index.json", NULL);
  guint changes = 0;

  g_assert_true (imgscan_history_load (history, NULL, &error));
  add (history, "scan-kept", NULL, photo);
  g_assert_true (g_file_get_contents (index_path, &index_before, NULL, NULL));

  g_signal_connect (history, "items-changed", G_CALLBACK (on_items_changed), &changes);
  g_setenv (FAIL_ENV, "1", TRUE);
  entry = imgscan_history_add (history, reply, result, photo, FALSE, NULL, &error);
  g_unsetenv (FAIL_ENV);
  g_assert_error (error, IMGSCAN_HISTORY_ERROR, IMGSCAN_HISTORY_ERROR_IO);
  g_assert_null (entry);
  g_assert_cmpuint (changes, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 1);
  g_clear_error (&error);

  /* On disk: the old state, index included; the half-done write is invisible. */
  g_assert_true (g_file_get_contents (index_path, &index_after, NULL, NULL));
  g_assert_cmpstr (index_before, ==, index_after);
  reloaded = load_fresh ();
  assert_same_model (history, reloaded);
  g_assert_null (imgscan_history_lookup (reloaded, "scan-lost"));

  g_clear_object (&reloaded);

  /* A young leftover may be another process' write in progress: kept. An hour-old
   * one is a crash's: removed by the next load. */
  {
    g_autoptr(GDir) d = g_dir_open (g_file_peek_path (dir), 0, NULL);
    g_autofree char *leftover = NULL;
    const char *name;
    struct utimbuf old_times = { 1000000000, 1000000000 };

    while ((name = g_dir_read_name (d)) != NULL)
      if (g_str_has_prefix (name, ".tmp-scan-lost-"))
        leftover = g_build_filename (g_file_peek_path (dir), name, NULL);
    g_assert_nonnull (leftover);

    g_clear_object (&reloaded);
    reloaded = load_fresh ();
    g_assert_true (g_file_test (leftover, G_FILE_TEST_IS_DIR));

    g_assert_cmpint (g_utime (leftover, &old_times), ==, 0);
    g_clear_object (&reloaded);
    reloaded = load_fresh ();
    g_assert_false (g_file_test (leftover, G_FILE_TEST_EXISTS));
    assert_same_model (history, reloaded);
    g_clear_object (&reloaded);
  }

  /* The next write works. */
  add (history, "scan-lost", NULL, photo);
  reloaded = load_fresh ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 2);
  assert_same_model (history, reloaded);
}

static void
write_text (GFile      *dir,
            const char *folder,
            const char *name,
            const char *text,
            gssize      len)
{
  g_autofree char *path = g_build_filename (g_file_peek_path (dir), folder, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, len, &error);
  g_assert_no_error (error);
}

static void
delete_index (GFile *dir)
{
  g_autofree char *path = g_build_filename (g_file_peek_path (dir), "index.json", NULL);

  g_assert_cmpint (g_unlink (path), ==, 0);
}


/* The core logs with g_log_structured(), which g_test_expect_message() does not see
 * on GLib 2.74: collect our domain's warnings here while a test expects them. Any
 * other warning still goes to the default writer and fails the test. */
static GPtrArray *warnings;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  const char *domain = NULL, *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }

  if (warnings != NULL && (level & G_LOG_LEVEL_WARNING) &&
      g_strcmp0 (domain, "imgscan-history") == 0 && message != NULL)
    {
      g_ptr_array_add (warnings, g_strdup (message));
      return G_LOG_WRITER_HANDLED;
    }

  return g_log_writer_default (level, fields, n_fields, user_data);
}

static void
expect_warnings (void)
{
  g_assert_null (warnings);
  warnings = g_ptr_array_new_with_free_func (g_free);
}

static void
assert_warnings (const char *first,
                 ...)
{
  va_list args;
  guint i = 0;

  va_start (args, first);
  for (const char *pattern = first; pattern != NULL; pattern = va_arg (args, const char *), i++)
    {
      g_assert_cmpuint (i, <, warnings->len);
      if (!g_pattern_match_simple (pattern, g_ptr_array_index (warnings, i)))
        g_error ("Warning “%s” does not match “%s”", (char *)g_ptr_array_index (warnings, i), pattern);
    }
  va_end (args);
  g_assert_cmpuint (i, ==, warnings->len);
  g_clear_pointer (&warnings, g_ptr_array_unref);
}

static void
test_damaged_entries (void)
{
  g_autoptr(GFile) dir = history_dir ();
  g_autoptr(ImgscanHistory) history = imgscan_history_new (dir);
  g_autoptr(ImgscanHistory) reloaded = NULL;
  g_autoptr(GFile) photo = make_photo ("a.png", 0x445566ff);
  g_autofree char *empty = g_build_filename (g_file_peek_path (dir), "scan-empty", NULL);
  g_autofree char *reply_path = NULL;
  g_autofree char *reply = NULL;
  gsize reply_len;

  add (history, "scan-good", NULL, photo);
  add (history, "scan-truncated", NULL, photo);
  add (history, "scan-garbage", NULL, photo);
  add (history, "scan-bad-types", NULL, photo);

  /* A crash of another tool, a disk error, a hand edit… */
  reply_path = g_build_filename (g_file_peek_path (dir), "scan-truncated", "reply.json", NULL);
  g_assert_true (g_file_get_contents (reply_path, &reply, &reply_len, NULL));
  write_text (dir, "scan-truncated", "reply.json", reply, reply_len / 2);
  write_text (dir, "scan-garbage", "meta.json", "\x01\x02 not json {{{", -1);
  write_text (dir, "scan-bad-types", "meta.json",
              "{\"scan_id\": 12, \"time\": \"yesterday\", \"n_full\": \"x\", \"n_partial\": 0}", -1);
  g_assert_cmpint (g_mkdir (empty, 0700), ==, 0);
  delete_index (dir);

  /* Reported in folder name order. */
  expect_warnings ();
  reloaded = load_fresh ();
  assert_warnings ("*scan-bad-types*", "*scan-empty*", "*scan-garbage*", "*scan-truncated*", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 1);
  g_assert_cmpstr (imgscan_history_entry_get_scan_id (entry_at (reloaded, 0)), ==, "scan-good");
  g_clear_object (&reloaded);

  /* The rebuilt index remembers them: still skipped, still reported, no rebuild. */
  expect_warnings ();
  reloaded = load_fresh ();
  assert_warnings ("*scan-bad-types*", "*scan-empty*", "*scan-garbage*", "*scan-truncated*", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 1);
}

static void
test_index_used (void)
{
  g_autoptr(GFile) dir = history_dir ();
  g_autoptr(ImgscanHistory) history = imgscan_history_new (dir);
  g_autoptr(ImgscanHistory) reloaded = NULL;

  add (history, "scan-1", NULL, NULL);
  add (history, "scan-2", NULL, NULL);

  /* With a matching index, listing opens no entry: a meta.json damaged since goes
   * unnoticed until the entry itself is opened. */
  write_text (dir, "scan-1", "meta.json", "garbage", -1);
  reloaded = load_fresh ();
  assert_same_model (history, reloaded);
}

static void
test_damaged_reply_on_open (void)
{
  g_autoptr(GFile) dir = history_dir ();
  g_autoptr(ImgscanHistory) history = imgscan_history_new (dir);
  g_autoptr(ImgscanResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ImgscanHistoryEntry *entry;

  entry = add (history, "scan-x", NULL, NULL);
  write_text (dir, "scan-x", "reply.json", "{\"garbage\": true}", -1);
  result = imgscan_history_entry_load_result (entry, &error);
  g_assert_error (error, IMGSCAN_HISTORY_ERROR, IMGSCAN_HISTORY_ERROR_CORRUPT);
  g_assert_null (result);
}

static void
test_index_rebuild (void)
{
  g_autoptr(GFile) dir = history_dir ();
  g_autoptr(ImgscanHistory) history = imgscan_history_new (dir);
  g_autoptr(ImgscanHistory) reloaded = NULL;
  g_autofree char *index_path = g_build_filename (g_file_peek_path (dir), "index.json", NULL);
  g_autofree char *old_index = NULL;
  g_autofree char *new_index = NULL;

  add (history, "scan-1", NULL, NULL);
  add (history, "scan-2", NULL, NULL);
  g_assert_true (g_file_get_contents (index_path, &old_index, NULL, NULL));
  add (history, "scan-3", NULL, NULL);

  /* Lost. */
  delete_index (dir);
  reloaded = load_fresh ();
  assert_same_model (history, reloaded);
  g_assert_true (g_file_test (index_path, G_FILE_TEST_EXISTS));
  g_clear_object (&reloaded);

  /* Stale: an entry was written, the index not (a crash in between). */
  g_assert_true (g_file_set_contents (index_path, old_index, -1, NULL));
  reloaded = load_fresh ();
  assert_same_model (history, reloaded);
  g_assert_true (g_file_get_contents (index_path, &new_index, NULL, NULL));
  g_assert_nonnull (strstr (new_index, "scan-3"));
  g_clear_object (&reloaded);

  /* Damaged. */
  g_assert_true (g_file_set_contents (index_path, "{\"entries\": [1, 2, 3]}", -1, NULL));
  reloaded = load_fresh ();
  assert_same_model (history, reloaded);
  g_clear_object (&reloaded);

  g_assert_true (g_file_set_contents (index_path, "", 0, NULL));
  reloaded = load_fresh ();
  assert_same_model (history, reloaded);
}

static void
test_remove (void)
{
  g_autoptr(GFile) dir = history_dir ();
  g_autoptr(ImgscanHistory) history = imgscan_history_new (dir);
  g_autoptr(ImgscanHistory) reloaded = NULL;
  g_autoptr(ImgscanHistoryEntry) hidden = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_build_filename (g_file_peek_path (dir), "scan-b", NULL);
  guint changes = 0;

  add (history, "scan-a", NULL, NULL);
  add (history, "scan-b", NULL, NULL);
  add (history, "scan-c", NULL, NULL);
  g_signal_connect (history, "items-changed", G_CALLBACK (on_items_changed), &changes);

  /* Hide and undo. */
  hidden = imgscan_history_hide (history, "scan-b");
  g_assert_nonnull (hidden);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 2);
  g_assert_null (imgscan_history_lookup (history, "scan-b"));
  g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));
  imgscan_history_restore (history, hidden);
  g_assert_cmpuint (changes, ==, 2);
  g_assert_true (entry_at (history, 1) == hidden);
  g_clear_object (&hidden);

  /* Hide, then delete for good. */
  hidden = imgscan_history_hide (history, "scan-b");
  g_assert_true (imgscan_history_remove (history, "scan-b", &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));

  /* Straight removal. */
  g_assert_true (imgscan_history_remove (history, "scan-a", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 1);

  g_assert_false (imgscan_history_remove (history, "scan-nope", &error));
  g_assert_error (error, IMGSCAN_HISTORY_ERROR, IMGSCAN_HISTORY_ERROR_NOT_FOUND);

  reloaded = load_fresh ();
  assert_same_model (history, reloaded);
  g_assert_cmpstr (imgscan_history_entry_get_scan_id (entry_at (reloaded, 0)), ==, "scan-c");
}

static void
test_same_scan_id (void)
{
  g_autoptr(GFile) dir = history_dir ();
  g_autoptr(ImgscanHistory) history = imgscan_history_new (dir);
  g_autoptr(ImgscanHistory) reloaded = NULL;
  g_autoptr(ImgscanResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *urls[] = { "F:https://a.example/again.jpg", NULL };

  add (history, "scan-same", NULL, NULL);
  add (history, "scan-same", urls, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 1);

  reloaded = load_fresh ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 1);
  result = imgscan_history_entry_load_result (entry_at (reloaded, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (imgscan_result_get_matches (result)), ==, 1);
}

static void
test_unsafe_scan_id (void)
{
  g_autoptr(GFile) dir = history_dir ();
  g_autoptr(ImgscanHistory) history = imgscan_history_new (dir);
  g_autoptr(ImgscanHistory) reloaded = NULL;
  g_autofree char *escaped = g_build_filename (g_file_peek_path (dir), "..", "evil", NULL);
  ImgscanHistoryEntry *entry;

  entry = add (history, "../evil", NULL, NULL);
  g_assert_cmpstr (imgscan_history_entry_get_scan_id (entry), ==, "../evil");
  g_assert_false (g_file_test (escaped, G_FILE_TEST_EXISTS));

  reloaded = load_fresh ();
  g_assert_nonnull (imgscan_history_lookup (reloaded, "../evil"));
}

static void
test_find_previous (void)
{
  g_autoptr(GFile) dir = history_dir ();
  g_autoptr(ImgscanHistory) history = imgscan_history_new (dir);
  g_autoptr(GFile) photo = make_photo ("same.png", 0x00ff00ff);
  g_autoptr(GFile) other = make_photo ("other.png", 0x0000ffff);
  ImgscanHistoryEntry *first, *second, *third, *unrelated;
  const char *hash;

  first = add (history, "scan-first", NULL, photo);
  second = add (history, "scan-second", NULL, photo);
  unrelated = add (history, "scan-other", NULL, other);
  third = add (history, "scan-third", NULL, photo);
  hash = imgscan_history_entry_get_content_hash (third);

  g_assert_cmpstr (imgscan_history_entry_get_content_hash (first), ==, hash);
  g_assert_cmpstr (imgscan_history_entry_get_content_hash (unrelated), !=, hash);
  g_assert_true (imgscan_history_find_previous (history, hash, "scan-third") == second);
  g_assert_true (imgscan_history_find_previous (history, hash, NULL) == third);
  g_assert_null (imgscan_history_find_previous (history,
                                                imgscan_history_entry_get_content_hash (unrelated),
                                                "scan-other"));
  g_assert_null (imgscan_history_find_previous (history, "", NULL));
}

static void
test_diff (void)
{
  const char *before_urls[] = { "F:https://a.example/1.jpg", "F:https://b.example/2.jpg",
                                "P:https://c.example/3.jpg", NULL };
  const char *after_urls[] = { "F:https://b.example/2.jpg", "P:https://c.example/3.jpg",
                               "P:https://d.example/4.jpg", NULL };
  g_autoptr(GBytes) before_reply = make_reply ("scan-before", before_urls);
  g_autoptr(GBytes) after_reply = make_reply ("scan-after", after_urls);
  g_autoptr(ImgscanResult) before = parse (before_reply);
  g_autoptr(ImgscanResult) after = parse (after_reply);
  g_auto(GStrv) gone = NULL;
  GListModel *matches = imgscan_result_get_matches (after);

  gone = imgscan_result_diff (after, before);
  g_assert_cmpuint (g_strv_length (gone), ==, 1);
  g_assert_cmpstr (gone[0], ==, "https://a.example/1.jpg");

  for (guint i = 0; i < g_list_model_get_n_items (matches); i++)
    {
      g_autoptr(ImgscanMatch) match = g_list_model_get_item (matches, i);

      g_assert_cmpint (imgscan_match_get_is_new (match), ==,
                       g_str_equal (imgscan_match_get_url (match), "https://d.example/4.jpg"));
    }

  /* Same scan twice: nothing new, nothing gone. */
  g_strfreev (gone);
  gone = imgscan_result_diff (before, before);
  g_assert_cmpuint (g_strv_length (gone), ==, 0);
}

static void
async_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_async (void)
{
  g_autoptr(GFile) dir = history_dir ();
  g_autoptr(ImgscanHistory) history = imgscan_history_new (dir);
  g_autoptr(ImgscanHistory) reloaded = imgscan_history_new (dir);
  g_autoptr(GFile) photo = make_photo ("async.png", 0x777777ff);
  g_autoptr(GBytes) reply = make_reply ("scan-async", NULL);
  g_autoptr(ImgscanResult) result = parse (reply);
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(ImgscanHistoryEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  imgscan_history_load_async (history, NULL, async_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (imgscan_history_load_finish (history, res, &error));
  g_assert_no_error (error);
  g_clear_object (&res);

  imgscan_history_add_async (history, reply, result, photo, FALSE, NULL, async_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  entry = imgscan_history_add_finish (history, res, &error);
  g_assert_no_error (error);
  g_assert_nonnull (entry);
  g_assert_true (entry == entry_at (history, 0));
  g_assert_false (imgscan_history_entry_get_sandbox (entry));
  g_clear_object (&res);

  /* Cancelled at once (the window closed): the paid reply is kept all the same. */
  {
    g_autoptr(GCancellable) cancelled = g_cancellable_new ();
    g_autoptr(GBytes) other_reply = make_reply ("scan-cancelled", NULL);
    g_autoptr(ImgscanResult) other = parse (other_reply);
    g_autoptr(ImgscanHistoryEntry) kept = NULL;

    imgscan_history_add_async (history, other_reply, other, photo, FALSE, cancelled, async_cb, &res);
    g_cancellable_cancel (cancelled);
    while (res == NULL)
      g_main_context_iteration (NULL, TRUE);
    kept = imgscan_history_add_finish (history, res, &error);
    g_assert_no_error (error);
    g_assert_nonnull (kept);
    g_assert_true (imgscan_history_lookup (history, "scan-cancelled") == kept);
    g_clear_object (&res);
  }

  /* A failing write reports through _finish too. */
  g_setenv (FAIL_ENV, "1", TRUE);
  imgscan_history_add_async (history, reply, result, photo, FALSE, NULL, async_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_unsetenv (FAIL_ENV);
  g_assert_null (imgscan_history_add_finish (history, res, &error));
  g_assert_error (error, IMGSCAN_HISTORY_ERROR, IMGSCAN_HISTORY_ERROR_IO);
  g_clear_error (&error);
  g_clear_object (&res);

  imgscan_history_load_async (reloaded, NULL, async_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (imgscan_history_load_finish (reloaded, res, &error));
  g_assert_no_error (error);
  assert_same_model (history, reloaded);
}

static void
test_changes_while_loading (void)
{
  g_autoptr(GFile) dir = history_dir ();
  g_autoptr(ImgscanHistory) writer = imgscan_history_new (dir);
  g_autoptr(ImgscanHistory) history = NULL;
  g_autoptr(ImgscanHistoryEntry) hidden = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  add (writer, "scan-a", NULL, NULL);
  add (writer, "scan-b", NULL, NULL);
  add (writer, "scan-c", NULL, NULL);
  history = load_fresh ();
  hidden = imgscan_history_hide (history, "scan-c");

  /* Whether the worker reads the folder before or after these, the model must end
   * up reflecting them. */
  imgscan_history_load_async (history, NULL, async_cb, &res);
  add (history, "scan-d", NULL, NULL);
  g_assert_true (imgscan_history_remove (history, "scan-a", &error));
  g_assert_no_error (error);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (imgscan_history_load_finish (history, res, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 2);
  g_assert_cmpstr (imgscan_history_entry_get_scan_id (entry_at (history, 0)), ==, "scan-d");
  g_assert_cmpstr (imgscan_history_entry_get_scan_id (entry_at (history, 1)), ==, "scan-b");
  g_assert_null (imgscan_history_lookup (history, "scan-c"));

  /* The hidden entry survived the reload and can still come back. */
  imgscan_history_restore (history, hidden);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 3);
  g_assert_true (entry_at (history, 1) == hidden);
}

static void
test_previews (void)
{
  g_autoptr(GFile) dir = history_dir ();
  g_autoptr(ImgscanHistory) history = imgscan_history_new (dir);
  g_autoptr(ImgscanHistory) reloaded = NULL;
  g_autoptr(GFile) small = make_photo ("small.png", 0x101010ff);
  g_autofree char *huge_path = g_build_filename (g_get_user_cache_dir (), "huge.png", NULL);
  g_autofree char *broken_path = g_build_filename (g_get_user_cache_dir (), "broken.jpg", NULL);
  g_autoptr(GFile) huge = g_file_new_for_path (huge_path);
  g_autoptr(GFile) broken = g_file_new_for_path (broken_path);
  g_autofree char *data = NULL;
  gsize len;
  ImgscanHistoryEntry *entry;

  /* A real PNG whose header claims 20000 × 20000 (400 megapixels, 1.6 GB decoded):
   * the preview is skipped rather than decoded at full size; the scan is kept. */
  g_assert_true (g_file_get_contents (g_file_peek_path (small), &data, &len, NULL));
  test_util_png_set_size ((guint8 *) data, 20000, 20000);
  g_assert_true (g_file_set_contents (huge_path, data, len, NULL));
  g_assert_true (g_file_set_contents (broken_path, "\xff\xd8\xff not a JPEG", -1, NULL));

  entry = add (history, "scan-huge", NULL, huge);
  g_assert_null (imgscan_history_entry_get_preview (entry));
  g_assert_cmpuint (imgscan_history_entry_get_size (entry), ==, len);
  g_assert_cmpstr (imgscan_history_entry_get_content_hash (entry), !=, "");

  /* A JPEG photo: scaled while decoding, oriented, kept as a small PNG. */
  {
    g_autoptr(GdkPixbuf) big = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 3000, 2000);
    g_autofree char *jpeg_path = g_build_filename (g_get_user_cache_dir (), "DSC0001.JPG", NULL);
    g_autoptr(GFile) jpeg = g_file_new_for_path (jpeg_path);
    g_autoptr(GFile) preview = NULL;
    g_autoptr(GdkPixbuf) preview_pixbuf = NULL;
    g_autoptr(GError) error = NULL;

    gdk_pixbuf_fill (big, 0xc08040ff);
    g_assert_true (gdk_pixbuf_save (big, jpeg_path, "jpeg", &error, "quality", "80", NULL));
    g_assert_no_error (error);
    entry = add (history, "scan-jpeg", NULL, jpeg);
    preview = imgscan_history_entry_get_preview (entry);
    g_assert_nonnull (preview);
    preview_pixbuf = load_png (preview);
    g_assert_cmpint (gdk_pixbuf_get_width (preview_pixbuf), ==, 256);
    g_assert_cmpint (gdk_pixbuf_get_height (preview_pixbuf), ==, 171);
  }

  entry = add (history, "scan-broken", NULL, broken);
  g_assert_null (imgscan_history_entry_get_preview (entry));

  /* A photo deleted since it was sent: no hash, no preview, the reply is kept. */
  g_assert_cmpint (g_unlink (broken_path), ==, 0);
  entry = add (history, "scan-gone", NULL, broken);
  g_assert_null (imgscan_history_entry_get_preview (entry));
  g_assert_cmpstr (imgscan_history_entry_get_content_hash (entry), ==, "");
  g_assert_cmpstr (imgscan_history_entry_get_filename (entry), ==, "broken.jpg");

  reloaded = load_fresh ();
  assert_same_model (history, reloaded);
}

static void
test_missing_dir (void)
{
  g_autoptr(GFile) dir = g_file_new_build_filename (g_get_user_data_dir (), "nowhere", NULL);
  g_autoptr(ImgscanHistory) history = imgscan_history_new (dir);
  g_autoptr(ImgscanHistory) fallback = imgscan_history_new (NULL);
  g_autoptr(GFile) expected = history_dir ();
  g_autoptr(GError) error = NULL;

  g_assert_true (imgscan_history_load (history, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);
  g_assert_true (g_file_equal (imgscan_history_get_dir (fallback), expected));
}

int
main (int   argc,
      char *argv[])
{
  g_unsetenv (FAIL_ENV);
  /* Isolated data dirs hide shared-mime-info too: previews must not need it. */
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_test_add_func ("/history/roundtrip", test_roundtrip);
  g_test_add_func ("/history/fail-before-rename", test_fail_before_rename);
  g_test_add_func ("/history/damaged-entries", test_damaged_entries);
  g_test_add_func ("/history/damaged-reply-on-open", test_damaged_reply_on_open);
  g_test_add_func ("/history/index-used", test_index_used);
  g_test_add_func ("/history/index-rebuild", test_index_rebuild);
  g_test_add_func ("/history/remove", test_remove);
  g_test_add_func ("/history/same-scan-id", test_same_scan_id);
  g_test_add_func ("/history/unsafe-scan-id", test_unsafe_scan_id);
  g_test_add_func ("/history/find-previous", test_find_previous);
  g_test_add_func ("/history/diff", test_diff);
  g_test_add_func ("/history/async", test_async);
  g_test_add_func ("/history/changes-while-loading", test_changes_while_loading);
  g_test_add_func ("/history/previews", test_previews);
  g_test_add_func ("/history/missing-dir", test_missing_dir);

  return g_test_run ();
}
