/* imgscan-history-store.c: the history's files on disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Layout under the history directory:
 *
 *   <scanId>/reply.json    the reply, byte for byte as received
 *   <scanId>/meta.json     path, size, SHA-256 of the photo, sandbox, time, counts
 *   <scanId>/preview.png   at most 256 px, when the photo could be decoded
 *   index.json             the meta of every entry as one array row each, under a
 *                          "fields" header, for listing without opening them
 *
 * An entry is written into a hidden temporary folder, each file with fsync, and the
 * folder is renamed into place last: a crash leaves either no entry or a whole one.
 * The index is only a cache: when it does not list exactly the entry folders present
 * (a crash between the rename and the index update, a lost or damaged index), it is
 * rebuilt from the entries' meta.json.
 */

#define G_LOG_DOMAIN "imgscan-history"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "imgscan-history-entry-private.h"
#include "imgscan-history-private.h"
#include "imgscan-thumbnail-private.h"

#define INDEX_NAME      "index.json"
#define META_NAME       "meta.json"
#define REPLY_NAME      "reply.json"
#define PREVIEW_NAME    "preview.png"
#define PREVIEW_SIZE    256
/* Photos are under 20 MB for the API; anything much bigger is not worth mapping. */
#define PREVIEW_MAX_FILE_SIZE (64 * 1024 * 1024)
/* Temporary folders older than this are leftovers of a crash. */
#define STALE_SECONDS   (60 * 60)

G_LOCK_DEFINE_STATIC (index_lock);

static gboolean
set_io_error (GError     **error,
              const char  *what,
              GError      *cause)
{
  g_set_error (error, IMGSCAN_HISTORY_ERROR, IMGSCAN_HISTORY_ERROR_IO,
               _("The scan could not be kept in the history (%s): %s"),
               what, cause ? cause->message : g_strerror (errno));
  return FALSE;
}

static void
sync_dir (const char *path)
{
  int fd = g_open (path, O_RDONLY | O_DIRECTORY, 0);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

static gboolean
write_file (const char    *folder,
            const char    *name,
            gconstpointer  data,
            gsize          len,
            GError       **error)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);

  /* Temporary file, fsync, rename. */
  return g_file_set_contents_full (path, data, len,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

static void
delete_folder (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  /* Entry folders hold plain files only. */
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_unlink (child) != 0)
        g_debug ("Cannot delete %s: %s", child, g_strerror (errno));
    }
  if (g_rmdir (path) != 0)
    g_debug ("Cannot delete %s: %s", path, g_strerror (errno));
}

/* Scan ids come from the server: use one as a folder name only when it is plainly safe. */
static char *
folder_name_for (const char *scan_id)
{
  g_autofree char *hash = NULL;
  gboolean safe = scan_id[0] != '\0' && scan_id[0] != '.' && strlen (scan_id) <= 64;

  for (const char *p = scan_id; safe && *p != '\0'; p++)
    safe = g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == '.';
  if (safe)
    return g_strdup (scan_id);

  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, scan_id, -1);
  return g_strdup_printf ("id-%.32s", hash);
}

static gboolean
hash_image (GFile         *image,
            char         **hash,
            guint64       *size,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GFileInputStream) stream = g_file_read (image, cancellable, error);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guchar *buffer = NULL;
  guint64 total = 0;
  gssize n;

  if (stream == NULL)
    return FALSE;

  buffer = g_malloc (64 * 1024);
  while ((n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, 64 * 1024,
                                   cancellable, error)) > 0)
    {
      g_checksum_update (checksum, buffer, n);
      total += n;
    }
  if (n < 0)
    return FALSE;

  *hash = g_strdup (g_checksum_get_string (checksum));
  *size = total;
  return TRUE;
}

/* The MIME type GdkPixbuf gives the file's extension, so that decoding needs no
 * sniffing (shared-mime-info is missing in minimal sandboxes and isolated tests). A
 * wrong extension only costs a second, sniffing attempt. */
static char *
mime_type_for_extension (const char *path)
{
  g_autofree char *basename = g_path_get_basename (path);
  const char *dot = strrchr (basename, '.');
  g_autofree char *ext = dot ? g_ascii_strdown (dot + 1, -1) : NULL;
  GSList *formats;
  char *mime_type = NULL;

  if (ext == NULL)
    return NULL;

  formats = gdk_pixbuf_get_formats ();
  for (GSList *l = formats; l != NULL && mime_type == NULL; l = l->next)
    {
      g_auto(GStrv) extensions = gdk_pixbuf_format_get_extensions (l->data);
      g_auto(GStrv) mime_types = gdk_pixbuf_format_get_mime_types (l->data);

      if (extensions != NULL && mime_types != NULL && mime_types[0] != NULL &&
          g_strv_contains ((const char * const *)extensions, ext))
        mime_type = g_strdup (mime_types[0]);
    }
  g_slist_free (formats);

  return mime_type;
}

static GBytes *
make_preview (GFile *image)
{
  g_autofree char *path = g_file_get_path (image);
  g_autofree char *mime_type = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  g_autoptr(GError) error = NULL;
  char *png = NULL;
  gsize png_len;

  if (path == NULL)
    return NULL;

  mapped = g_mapped_file_new (path, FALSE, &error);
  if (mapped == NULL || g_mapped_file_get_length (mapped) > PREVIEW_MAX_FILE_SIZE)
    {
      g_debug ("No preview for %s: %s", path, error ? error->message : "too large a file");
      return NULL;
    }

  /* Scaled while decoding, like gdk_pixbuf_new_from_file_at_scale(): JPEG decodes at
   * down to 1/8 of its size, so a 75-megapixel photo never exists in memory; other
   * formats whose canvas would cost too much are not previewed at all. */
  mime_type = mime_type_for_extension (path);
  pixbuf = imgscan_thumbnail_decode ((const guint8 *)g_mapped_file_get_contents (mapped),
                                     g_mapped_file_get_length (mapped), PREVIEW_SIZE,
                                     mime_type, &error);
  if (pixbuf == NULL)
    {
      g_debug ("No preview for %s: %s", path, error->message);
      return NULL;
    }

  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  if (!gdk_pixbuf_save_to_buffer (oriented ? oriented : pixbuf, &png, &png_len, "png", &error, NULL))
    {
      g_debug ("No preview for %s: %s", path, error->message);
      return NULL;
    }

  return g_bytes_new_take (png, png_len);
}

/* The index */

static JsonObject *
read_json_object (const char  *path,
                  GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (!json_parser_load_from_mapped_file (parser, path, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, IMGSCAN_HISTORY_ERROR, IMGSCAN_HISTORY_ERROR_CORRUPT,
                   _("%s does not hold a JSON object"), path);
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

static gboolean
write_index (const char  *dir_path,
             JsonArray   *entries,
             JsonArray   *skipped,
             GError     **error)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *data = NULL;
  gsize len;

  json_object_set_int_member (object, "version", IMGSCAN_HISTORY_FORMAT_VERSION);
  json_object_set_member (object, "fields", imgscan_history_index_fields ());
  json_object_set_array_member (object, "entries", json_array_ref (entries));
  json_object_set_array_member (object, "skipped", json_array_ref (skipped));
  root = json_node_init_object (json_node_alloc (), object);

  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &len);
  return write_file (dir_path, INDEX_NAME, data, len, error);
}

/* The index's rows and their column map, or FALSE when it is missing, damaged or of
 * another format version. */
static gboolean
open_index (JsonObject             *index,
            JsonArray             **rows,
            JsonArray             **skipped,
            ImgscanHistoryColumns **columns)
{
  JsonNode *version = index ? json_object_get_member (index, "version") : NULL;
  JsonNode *fields = index ? json_object_get_member (index, "fields") : NULL;
  JsonNode *entries = index ? json_object_get_member (index, "entries") : NULL;
  JsonNode *skipped_node = index ? json_object_get_member (index, "skipped") : NULL;

  if (version == NULL || json_node_get_value_type (version) != G_TYPE_INT64 ||
      json_node_get_int (version) != IMGSCAN_HISTORY_FORMAT_VERSION ||
      fields == NULL || !JSON_NODE_HOLDS_ARRAY (fields) ||
      entries == NULL || !JSON_NODE_HOLDS_ARRAY (entries) ||
      skipped_node == NULL || !JSON_NODE_HOLDS_ARRAY (skipped_node))
    return FALSE;

  *rows = json_array_ref (json_node_get_array (entries));
  *skipped = json_array_ref (json_node_get_array (skipped_node));
  *columns = imgscan_history_columns_new (json_node_get_array (fields));
  return TRUE;
}

/* Replaces or removes @folder's row in the index. A missing or damaged index starts
 * empty: the next load sees it does not match the folders and rebuilds it. */
static void
update_index (GFile               *dir,
              const char          *folder,
              ImgscanHistoryEntry *added)
{
  g_autofree char *dir_path = g_file_get_path (dir);
  g_autofree char *path = g_build_filename (dir_path, INDEX_NAME, NULL);
  g_autoptr(JsonObject) index = NULL;
  g_autoptr(JsonArray) old_rows = NULL;
  g_autoptr(JsonArray) old_skipped = NULL;
  g_autoptr(ImgscanHistoryColumns) columns = NULL;
  g_autoptr(JsonArray) entries = json_array_new ();
  g_autoptr(JsonArray) skipped = json_array_new ();
  g_autoptr(GError) error = NULL;

  G_LOCK (index_lock);

  index = read_json_object (path, NULL);
  if (!open_index (index, &old_rows, &old_skipped, &columns))
    {
      old_rows = json_array_new ();
      old_skipped = json_array_new ();
    }

  if (added != NULL)
    json_array_add_element (entries, imgscan_history_entry_to_row (added));
  for (guint i = 0; i < json_array_get_length (old_rows); i++)
    {
      JsonNode *node = json_array_get_element (old_rows, i);
      g_autoptr(ImgscanHistoryEntry) entry = NULL;

      /* Rows are rewritten in the current column order; unreadable ones are dropped
       * and come back with the rebuild that the mismatch triggers. */
      if (!JSON_NODE_HOLDS_ARRAY (node))
        continue;
      entry = imgscan_history_entry_new_from_row (json_node_get_array (node), columns, dir, NULL);
      if (entry == NULL ||
          g_strcmp0 (imgscan_history_entry_get_folder_name (entry), folder) == 0)
        continue;
      json_array_add_element (entries, imgscan_history_entry_to_row (entry));
    }
  for (guint i = 0; i < json_array_get_length (old_skipped); i++)
    {
      JsonNode *node = json_array_get_element (old_skipped, i);

      if (json_node_get_value_type (node) == G_TYPE_STRING &&
          g_strcmp0 (json_node_get_string (node), folder) != 0)
        json_array_add_string_element (skipped, json_node_get_string (node));
    }

  if (!write_index (dir_path, entries, skipped, &error))
    g_debug ("Cannot update the history index: %s", error->message);

  G_UNLOCK (index_lock);
}

/* Writing */

ImgscanHistoryEntry *
imgscan_history_store_write (GFile          *dir,
                             GBytes         *raw_reply,
                             ImgscanResult  *result,
                             GFile          *image,
                             gboolean        sandbox,
                             GCancellable   *cancellable,
                             GError        **error)
{
  g_autofree char *dir_path = g_file_get_path (dir);
  g_autofree char *folder = NULL;
  g_autofree char *final_path = NULL;
  g_autofree char *tmp_path = NULL;
  g_autofree char *old_path = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *image_path = NULL;
  g_autofree char *meta = NULL;
  g_autoptr(GBytes) preview = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) meta_node = NULL;
  g_autoptr(ImgscanHistoryEntry) entry = NULL;
  const char *scan_id = imgscan_result_get_scan_id (result);
  guint64 size = 0;
  gsize meta_len;

  if (dir_path == NULL)
    {
      g_set_error (error, IMGSCAN_HISTORY_ERROR, IMGSCAN_HISTORY_ERROR_IO,
                   _("The history folder must be a local folder"));
      return NULL;
    }

  folder = folder_name_for (scan_id ? scan_id : "");
  final_path = g_build_filename (dir_path, folder, NULL);

  /* What the user submitted. A photo that is gone by now only loses its hash and
   * preview, never the paid reply. */
  if (image != NULL)
    {
      filename = g_file_get_basename (image);
      image_path = g_file_get_path (image);
      if (image_path == NULL)
        image_path = g_file_get_uri (image);
      /* Not cancellable: a window closing while its reply is saved must not lose it. */
      if (!hash_image (image, &hash, &size, NULL, &local_error))
        {
          g_debug ("Cannot hash %s: %s", image_path, local_error->message);
          g_clear_error (&local_error);
        }
      preview = make_preview (image);
    }
  else
    filename = g_strdup (imgscan_result_get_filename (result));

  entry = imgscan_history_entry_new (scan_id, filename, image_path, size, hash, sandbox, now,
                                     g_list_model_get_n_items (imgscan_result_get_full_matches (result)),
                                     g_list_model_get_n_items (imgscan_result_get_partial_matches (result)),
                                     preview != NULL, g_bytes_get_size (raw_reply), dir, folder);

  if (g_mkdir_with_parents (dir_path, 0700) != 0)
    return set_io_error (error, dir_path, NULL), NULL;

  tmp_path = g_strdup_printf ("%s/.tmp-%s-XXXXXX", dir_path, folder);
  if (g_mkdtemp_full (tmp_path, 0700) == NULL)
    return set_io_error (error, tmp_path, NULL), NULL;

  meta_node = imgscan_history_entry_to_json (entry);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, meta_node);
  meta = json_generator_to_data (generator, &meta_len);

  if (!write_file (tmp_path, REPLY_NAME, g_bytes_get_data (raw_reply, NULL),
                   g_bytes_get_size (raw_reply), &local_error) ||
      (preview != NULL &&
       !write_file (tmp_path, PREVIEW_NAME, g_bytes_get_data (preview, NULL),
                    g_bytes_get_size (preview), &local_error)) ||
      !write_file (tmp_path, META_NAME, meta, meta_len, &local_error))
    {
      delete_folder (tmp_path);
      return set_io_error (error, tmp_path, local_error), NULL;
    }
  sync_dir (tmp_path);

  if (g_strcmp0 (g_getenv (IMGSCAN_HISTORY_FAIL_ENV), "1") == 0)
    {
      /* Leave the temporary folder behind, as a crash here would. */
      g_set_error (error, IMGSCAN_HISTORY_ERROR, IMGSCAN_HISTORY_ERROR_IO,
                   _("The scan could not be kept in the history: simulated failure"));
      return NULL;
    }

  /* The same scan id again (a resend after a transport failure): the new reply
   * replaces the old one, which is moved aside first so one of them is always whole. */
  if (g_file_test (final_path, G_FILE_TEST_EXISTS))
    {
      old_path = g_strdup_printf ("%s/.old-%s-%08x", dir_path, folder, g_random_int ());
      if (g_rename (final_path, old_path) != 0)
        {
          delete_folder (tmp_path);
          return set_io_error (error, final_path, NULL), NULL;
        }
    }

  if (g_rename (tmp_path, final_path) != 0)
    {
      int saved_errno = errno;

      if (old_path != NULL)
        g_rename (old_path, final_path);
      delete_folder (tmp_path);
      errno = saved_errno;
      return set_io_error (error, final_path, NULL), NULL;
    }
  sync_dir (dir_path);

  if (old_path != NULL)
    delete_folder (old_path);

  update_index (dir, folder, entry);

  return g_steal_pointer (&entry);
}

gboolean
imgscan_history_store_delete (GFile                *dir,
                              ImgscanHistoryEntry  *entry,
                              GError              **error)
{
  g_autofree char *dir_path = g_file_get_path (dir);
  const char *folder = imgscan_history_entry_get_folder_name (entry);
  g_autofree char *path = g_build_filename (dir_path, folder, NULL);
  g_autofree char *doomed = g_strdup_printf ("%s/.old-%s-%08x", dir_path, folder, g_random_int ());

  /* Out of sight in one step, then emptied. */
  if (g_rename (path, doomed) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, IMGSCAN_HISTORY_ERROR, IMGSCAN_HISTORY_ERROR_IO,
                   _("The scan could not be deleted: %s"), g_strerror (saved_errno));
      return FALSE;
    }

  delete_folder (doomed);
  update_index (dir, folder, NULL);
  return TRUE;
}

/* Reading */

/* Leftovers of a crash. Only old ones: a young one may belong to another process
 * (the CLI and the window share the history) that is writing right now. */
static void
remove_if_stale (const char *dir_path,
                 const char *name)
{
  g_autofree char *path = g_build_filename (dir_path, name, NULL);
  GStatBuf st;

  if (g_stat (path, &st) == 0 && S_ISDIR (st.st_mode) &&
      (gint64)st.st_mtime < g_get_real_time () / G_USEC_PER_SEC - STALE_SECONDS)
    {
      g_debug ("Removing %s, left by an interrupted write", path);
      delete_folder (path);
    }
}

static GHashTable *
list_folders (const char  *dir_path,
              GError     **error)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &local_error);
  const char *name;

  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&names);
      g_set_error (error, IMGSCAN_HISTORY_ERROR, IMGSCAN_HISTORY_ERROR_IO,
                   _("The history cannot be read: %s"), local_error->message);
      return NULL;
    }

  /* Hidden names are temporary folders of unfinished writes and deletions. */
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (name[0] != '.')
        {
          if (!g_str_equal (name, INDEX_NAME))
            g_hash_table_add (names, g_strdup (name));
        }
      else if (g_str_has_prefix (name, ".tmp-") || g_str_has_prefix (name, ".old-"))
        remove_if_stale (dir_path, name);
    }

  return g_steal_pointer (&names);
}

/* The entries listed by the index, or NULL when the index is missing, damaged or does
 * not describe exactly @folders. */
static GPtrArray *
read_index (GFile      *dir,
            GHashTable *folders,
            GPtrArray  *skipped)
{
  g_autofree char *dir_path = g_file_get_path (dir);
  g_autofree char *path = g_build_filename (dir_path, INDEX_NAME, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) index = read_json_object (path, &error);
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(JsonArray) skipped_names = NULL;
  g_autoptr(ImgscanHistoryColumns) columns = NULL;
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GHashTable) seen = NULL;

  if (index == NULL)
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_debug ("Rebuilding the history index: %s", error->message);
      return NULL;
    }

  if (!open_index (index, &rows, &skipped_names, &columns))
    {
      g_debug ("Rebuilding the history index: not in the expected format");
      return NULL;
    }

  if (json_array_get_length (rows) + json_array_get_length (skipped_names) !=
      g_hash_table_size (folders))
    {
      g_debug ("Rebuilding the history index: it lists %u entries, the folder has %u",
               json_array_get_length (rows) + json_array_get_length (skipped_names),
               g_hash_table_size (folders));
      return NULL;
    }

  result = g_ptr_array_new_full (json_array_get_length (rows), g_object_unref);
  seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      ImgscanHistoryEntry *entry;
      const char *folder;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        return NULL;
      entry = imgscan_history_entry_new_from_row (json_node_get_array (node), columns, dir, NULL);
      if (entry == NULL)
        return NULL;
      g_ptr_array_add (result, entry);

      folder = imgscan_history_entry_get_folder_name (entry);
      if (!g_hash_table_contains (folders, folder) || !g_hash_table_add (seen, (gpointer)folder))
        return NULL;
    }

  for (guint i = 0; i < json_array_get_length (skipped_names); i++)
    {
      JsonNode *node = json_array_get_element (skipped_names, i);
      const char *folder;

      if (json_node_get_value_type (node) != G_TYPE_STRING ||
          (folder = json_node_get_string (node)) == NULL ||
          !g_hash_table_contains (folders, folder) ||
          !g_hash_table_add (seen, (gpointer)folder))
        return NULL;
      g_ptr_array_add (skipped, g_strdup (folder));
    }

  return g_steal_pointer (&result);
}

static ImgscanHistoryEntry *
read_entry (GFile       *dir,
            const char  *folder,
            GError     **error)
{
  g_autofree char *folder_path = g_build_filename (g_file_peek_path (dir), folder, NULL);
  g_autofree char *meta_path = g_build_filename (folder_path, META_NAME, NULL);
  g_autofree char *reply_path = g_build_filename (folder_path, REPLY_NAME, NULL);
  g_autoptr(JsonObject) meta = NULL;
  g_autoptr(ImgscanHistoryEntry) entry = NULL;
  GStatBuf st;

  meta = read_json_object (meta_path, error);
  if (meta == NULL)
    return NULL;

  entry = imgscan_history_entry_new_from_json (meta, dir, folder, error);
  if (entry == NULL)
    return NULL;

  /* A cheap check that the reply is all there, without parsing it. */
  if (g_stat (reply_path, &st) != 0)
    {
      g_set_error (error, IMGSCAN_HISTORY_ERROR, IMGSCAN_HISTORY_ERROR_CORRUPT,
                   _("The reply is missing: %s"), g_strerror (errno));
      return NULL;
    }
  if ((guint64)st.st_size != imgscan_history_entry_get_reply_size (entry))
    {
      /* Numbers go in as text: xgettext cannot see through G_GUINT64_FORMAT. */
      g_autofree char *actual = g_strdup_printf ("%" G_GUINT64_FORMAT, (guint64)st.st_size);
      g_autofree char *expected = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                   imgscan_history_entry_get_reply_size (entry));

      g_set_error (error, IMGSCAN_HISTORY_ERROR, IMGSCAN_HISTORY_ERROR_CORRUPT,
                   _("The reply has %s bytes instead of %s"), actual, expected);
      return NULL;
    }

  return g_steal_pointer (&entry);
}

static int
compare_names (const void *a,
               const void *b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

static GPtrArray *
rebuild (GFile        *dir,
         GHashTable   *folders,
         GPtrArray    *skipped,
         GCancellable *cancellable,
         GError      **error)
{
  g_autofree char *dir_path = g_file_get_path (dir);
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonArray) index_entries = json_array_new ();
  g_autoptr(JsonArray) index_skipped = json_array_new ();
  g_autoptr(GError) index_error = NULL;
  g_autofree const char **names = NULL;
  guint n_names;

  /* In name order, so that warnings come out the same way every time. */
  names = (const char **)g_hash_table_get_keys_as_array (folders, &n_names);
  qsort (names, n_names, sizeof (char *), compare_names);

  for (guint i = 0; i < n_names; i++)
    {
      g_autoptr(GError) local_error = NULL;
      const char *folder = names[i];
      ImgscanHistoryEntry *entry;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      entry = read_entry (dir, folder, &local_error);
      if (entry == NULL)
        {
          g_warning ("Skipping the unreadable history entry %s/%s: %s",
                     dir_path, folder, local_error->message);
          g_ptr_array_add (skipped, g_strdup (folder));
          json_array_add_string_element (index_skipped, folder);
          continue;
        }
      g_ptr_array_add (result, entry);
    }

  g_ptr_array_sort (result, imgscan_history_entry_compare);
  for (guint i = 0; i < result->len; i++)
    json_array_add_element (index_entries,
                            imgscan_history_entry_to_row (g_ptr_array_index (result, i)));

  G_LOCK (index_lock);
  if (!write_index (dir_path, index_entries, index_skipped, &index_error))
    g_debug ("Cannot write the history index: %s", index_error->message);
  G_UNLOCK (index_lock);

  return g_steal_pointer (&result);
}

GPtrArray *
imgscan_history_store_read (GFile         *dir,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autofree char *dir_path = g_file_get_path (dir);
  g_autoptr(GHashTable) folders = NULL;
  g_autoptr(GPtrArray) skipped = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) entries = NULL;

  if (dir_path == NULL)
    {
      g_set_error (error, IMGSCAN_HISTORY_ERROR, IMGSCAN_HISTORY_ERROR_IO,
                   _("The history folder must be a local folder"));
      return NULL;
    }

  folders = list_folders (dir_path, error);
  if (folders == NULL)
    return NULL;

  entries = read_index (dir, folders, skipped);
  if (entries != NULL)
    {
      for (guint i = 0; i < skipped->len; i++)
        g_warning ("Skipping the unreadable history entry %s/%s",
                   dir_path, (char *)g_ptr_array_index (skipped, i));
      g_ptr_array_sort (entries, imgscan_history_entry_compare);
      return g_steal_pointer (&entries);
    }

  g_ptr_array_set_size (skipped, 0);
  return rebuild (dir, folders, skipped, cancellable, error);
}
