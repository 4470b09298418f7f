/* imgscan-thumbnail-loader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-thumbnail-loader"

#include "config.h"

#include <utime.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "imgscan-match.h"
#include "imgscan-thumbnail-loader.h"

/* Decoding a PNG, GIF or WebP allocates the full-size image before scaling, so a
 * third-party file that declares a huge canvas is refused. JPEG scales while it
 * decodes (up to 1/8), so it may be bigger. */
#define MAX_PIXELS_UNSCALED  (16 * 1000 * 1000)
#define MAX_PIXELS_JPEG      (75 * 1000 * 1000)
#define READ_CHUNK           (64 * 1024)
#define DEFAULT_MEMORY_ENTRIES 200
/* About 4,000 small PNGs: some tens of megabytes. */
#define DEFAULT_DISK_ENTRIES   4000

struct _ImgscanThumbnailLoader
{
  GObject      parent_instance;

  SoupSession *session;
  GFile       *cache_dir;
  guint        memory_entries;
  gboolean     network_enabled;
  guint        n_requests;
  /* Read by worker threads. */
  guint        disk_entries;
  int          n_disk_writes;   /* atomic */

  /* The LRU: most recently used at the head. key → GList link of Entry. */
  GQueue       lru;
  GHashTable  *lru_index;
};

typedef struct
{
  char      *key;
  GdkPixbuf *pixbuf;
} Entry;

typedef struct
{
  char        *url;
  char        *key;
  GFile       *cache_file;
  int          size;
  SoupMessage *msg;
  GInputStream *stream;
  GByteArray  *data;
} LoadData;

enum {
  PROP_0,
  PROP_NETWORK_ENABLED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ImgscanThumbnailLoader, imgscan_thumbnail_loader, G_TYPE_OBJECT)

G_DEFINE_QUARK (imgscan-thumbnail-error-quark, imgscan_thumbnail_error)

static void
entry_free (Entry *entry)
{
  g_free (entry->key);
  g_clear_object (&entry->pixbuf);
  g_free (entry);
}

static void
load_data_free (LoadData *data)
{
  g_free (data->url);
  g_free (data->key);
  g_clear_object (&data->cache_file);
  g_clear_object (&data->msg);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->data, g_byte_array_unref);
  g_free (data);
}

static GdkPixbuf *
lru_lookup (ImgscanThumbnailLoader *self,
            const char             *key)
{
  GList *link = g_hash_table_lookup (self->lru_index, key);
  Entry *entry;

  if (link == NULL)
    return NULL;

  g_queue_unlink (&self->lru, link);
  g_queue_push_head_link (&self->lru, link);
  entry = link->data;
  return g_object_ref (entry->pixbuf);
}

static void
lru_insert (ImgscanThumbnailLoader *self,
            const char             *key,
            GdkPixbuf              *pixbuf)
{
  GList *link = g_hash_table_lookup (self->lru_index, key);
  Entry *entry;

  if (self->memory_entries == 0)
    return;

  if (link != NULL)
    {
      entry = link->data;
      g_set_object (&entry->pixbuf, pixbuf);
      g_queue_unlink (&self->lru, link);
      g_queue_push_head_link (&self->lru, link);
      return;
    }

  while (self->lru.length >= self->memory_entries)
    {
      Entry *oldest = g_queue_pop_tail (&self->lru);

      g_hash_table_remove (self->lru_index, oldest->key);
      entry_free (oldest);
    }

  entry = g_new0 (Entry, 1);
  entry->key = g_strdup (key);
  entry->pixbuf = g_object_ref (pixbuf);
  g_queue_push_head (&self->lru, entry);
  g_hash_table_insert (self->lru_index, entry->key, self->lru.head);
}

static void
imgscan_thumbnail_loader_finalize (GObject *object)
{
  ImgscanThumbnailLoader *self = (ImgscanThumbnailLoader *)object;

  g_clear_object (&self->session);
  g_clear_object (&self->cache_dir);
  g_hash_table_destroy (self->lru_index);
  g_queue_clear_full (&self->lru, (GDestroyNotify)entry_free);

  G_OBJECT_CLASS (imgscan_thumbnail_loader_parent_class)->finalize (object);
}

static void
imgscan_thumbnail_loader_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  ImgscanThumbnailLoader *self = IMGSCAN_THUMBNAIL_LOADER (object);

  switch (prop_id)
    {
    case PROP_NETWORK_ENABLED:
      g_value_set_boolean (value, self->network_enabled);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
imgscan_thumbnail_loader_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  ImgscanThumbnailLoader *self = IMGSCAN_THUMBNAIL_LOADER (object);

  switch (prop_id)
    {
    case PROP_NETWORK_ENABLED:
      imgscan_thumbnail_loader_set_network_enabled (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
imgscan_thumbnail_loader_class_init (ImgscanThumbnailLoaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = imgscan_thumbnail_loader_finalize;
  object_class->get_property = imgscan_thumbnail_loader_get_property;
  object_class->set_property = imgscan_thumbnail_loader_set_property;

  properties[PROP_NETWORK_ENABLED] =
    g_param_spec_boolean ("network-enabled", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
imgscan_thumbnail_loader_init (ImgscanThumbnailLoader *self)
{
  /* Thumbnails come from many third-party hosts: be polite to each of them. */
  self->session = soup_session_new_with_options ("max-conns", 8,
                                                 "max-conns-per-host", 2,
                                                 "timeout", 30,
                                                 "idle-timeout", 60,
                                                 "user-agent", "ImgScan/" PACKAGE_VERSION,
                                                 NULL);
  self->network_enabled = TRUE;
  self->disk_entries = DEFAULT_DISK_ENTRIES;
  self->lru_index = g_hash_table_new (g_str_hash, g_str_equal);
}

ImgscanThumbnailLoader *
imgscan_thumbnail_loader_new (GFile *cache_dir,
                              guint  memory_entries)
{
  ImgscanThumbnailLoader *self;

  g_return_val_if_fail (cache_dir == NULL || G_IS_FILE (cache_dir), NULL);

  self = g_object_new (IMGSCAN_TYPE_THUMBNAIL_LOADER, NULL);
  self->memory_entries = memory_entries;
  if (cache_dir != NULL)
    self->cache_dir = g_object_ref (cache_dir);
  else
    self->cache_dir = g_file_new_build_filename (g_get_user_cache_dir (),
                                                 "imgscan", "thumbnails", NULL);
  return self;
}

/**
 * imgscan_thumbnail_loader_get_default:
 *
 * Returns: (transfer none): the process-wide loader, with the default cache
 * directory and room for 200 thumbnails in memory.
 */
ImgscanThumbnailLoader *
imgscan_thumbnail_loader_get_default (void)
{
  static ImgscanThumbnailLoader *instance;

  if (g_once_init_enter (&instance))
    {
      ImgscanThumbnailLoader *loader = imgscan_thumbnail_loader_new (NULL, DEFAULT_MEMORY_ENTRIES);

      g_once_init_leave (&instance, loader);
    }

  return instance;
}

void
imgscan_thumbnail_loader_set_network_enabled (ImgscanThumbnailLoader *self,
                                              gboolean                enabled)
{
  g_return_if_fail (IMGSCAN_IS_THUMBNAIL_LOADER (self));

  enabled = !!enabled;
  if (self->network_enabled == enabled)
    return;

  self->network_enabled = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK_ENABLED]);
}

gboolean
imgscan_thumbnail_loader_get_network_enabled (ImgscanThumbnailLoader *self)
{
  g_return_val_if_fail (IMGSCAN_IS_THUMBNAIL_LOADER (self), FALSE);

  return self->network_enabled;
}

guint
imgscan_thumbnail_loader_get_n_requests (ImgscanThumbnailLoader *self)
{
  g_return_val_if_fail (IMGSCAN_IS_THUMBNAIL_LOADER (self), 0);

  return self->n_requests;
}

guint
imgscan_thumbnail_loader_get_n_memory_entries (ImgscanThumbnailLoader *self)
{
  g_return_val_if_fail (IMGSCAN_IS_THUMBNAIL_LOADER (self), 0);

  return self->lru.length;
}

/**
 * imgscan_thumbnail_loader_set_disk_entries:
 *
 * Bounds the disk cache: when it holds more than @disk_entries thumbnails, the least
 * recently used are deleted. Set it before the first load.
 */
void
imgscan_thumbnail_loader_set_disk_entries (ImgscanThumbnailLoader *self,
                                           guint                   disk_entries)
{
  g_return_if_fail (IMGSCAN_IS_THUMBNAIL_LOADER (self));
  g_return_if_fail (disk_entries > 0);

  self->disk_entries = disk_entries;
}

/* Worker threads */

typedef struct
{
  char   *name;
  gint64  mtime;
} CacheFile;

static int
compare_cache_files (gconstpointer a,
                     gconstpointer b)
{
  const CacheFile *fa = a, *fb = b;

  return fa->mtime < fb->mtime ? -1 : fa->mtime > fb->mtime;
}

/* Deletes the least recently used thumbnails (by modification time, which a cache
 * hit refreshes) down to 80% of the bound. */
static void
prune_disk_cache (GFile *cache_dir,
                  guint  max_entries)
{
  g_autofree char *dir_path = g_file_get_path (cache_dir);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GArray) files = g_array_new (FALSE, FALSE, sizeof (CacheFile));
  const char *name;
  guint keep = MAX (1, max_entries - max_entries / 5);

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      GStatBuf st;
      CacheFile file;

      if (!g_str_has_suffix (name, ".png"))
        continue;
      path = g_build_filename (dir_path, name, NULL);
      if (g_stat (path, &st) != 0)
        continue;
      file.name = g_strdup (name);
      file.mtime = (gint64)st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000;
      g_array_append_val (files, file);
    }

  if (files->len > max_entries)
    {
      g_array_sort (files, compare_cache_files);
      for (guint i = 0; i < files->len - keep; i++)
        {
          g_autofree char *path = g_build_filename (dir_path, g_array_index (files, CacheFile, i).name, NULL);

          g_unlink (path);
        }
    }

  for (guint i = 0; i < files->len; i++)
    g_free (g_array_index (files, CacheFile, i).name);
}

static void
disk_lookup_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autofree char *path = g_file_get_path (data->cache_file);
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf;

  /* The cache holds our own small PNGs; the scale bound guards against tampering. */
  pixbuf = gdk_pixbuf_new_from_file_at_scale (path, data->size, data->size, TRUE, &error);
  if (pixbuf == NULL && !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    g_debug ("Ignoring cached thumbnail %s: %s", path, error->message);
  else if (pixbuf != NULL)
    g_utime (path, NULL);   /* recently used: pruned last */

  g_task_return_pointer (task, pixbuf, g_object_unref);
}

typedef struct
{
  int      size;
  gboolean too_big;
  int      width;
  int      height;
} SizeState;

static void
on_size_prepared (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  SizeState *state = user_data;
  GdkPixbufFormat *format = gdk_pixbuf_loader_get_format (loader);
  g_autofree char *format_name = format ? gdk_pixbuf_format_get_name (format) : NULL;
  gint64 max_pixels = g_strcmp0 (format_name, "jpeg") == 0 ? MAX_PIXELS_JPEG : MAX_PIXELS_UNSCALED;
  double scale;

  state->width = width;
  state->height = height;

  if (width <= 0 || height <= 0 || (gint64)width * (gint64)height > max_pixels)
    {
      /* A zero size tells the decoder to stop before it allocates anything. */
      state->too_big = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
      return;
    }

  if (width <= state->size && height <= state->size)
    return;

  scale = MIN ((double)state->size / width, (double)state->size / height);
  gdk_pixbuf_loader_set_size (loader,
                              MAX (1, (int)(width * scale + 0.5)),
                              MAX (1, (int)(height * scale + 0.5)));
}

static void
decode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) save_error = NULL;
  g_autoptr(GFile) parent = NULL;
  g_autofree char *png = NULL;
  SizeState state = { data->size, FALSE, 0, 0 };
  GdkPixbuf *pixbuf;
  gsize png_len;
  gboolean ok;

  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), &state);

  ok = gdk_pixbuf_loader_write (loader, data->data->data, data->data->len, &error);
  /* Always close, even after an error, or the loader warns on finalize. */
  if (!gdk_pixbuf_loader_close (loader, ok ? &error : NULL))
    ok = FALSE;

  if (state.too_big)
    {
      g_task_return_new_error (task, IMGSCAN_THUMBNAIL_ERROR, IMGSCAN_THUMBNAIL_ERROR_NOT_IMAGE,
                               _("The image is too large to preview (%d × %d pixels)"),
                               state.width, state.height);
      return;
    }

  pixbuf = ok ? gdk_pixbuf_loader_get_pixbuf (loader) : NULL;
  if (pixbuf == NULL)
    {
      g_task_return_new_error (task, IMGSCAN_THUMBNAIL_ERROR, IMGSCAN_THUMBNAIL_ERROR_NOT_IMAGE,
                               _("The file is not an image that can be shown: %s"),
                               error ? error->message : _("unknown format"));
      return;
    }

  /* Keep the small PNG so that a second look costs no network. A failure here only
   * costs a later download. */
  parent = g_file_get_parent (data->cache_file);
  if ((!g_file_make_directory_with_parents (parent, NULL, &save_error) &&
       !g_error_matches (save_error, G_IO_ERROR, G_IO_ERROR_EXISTS)))
    g_debug ("Cannot create the thumbnail cache: %s", save_error->message);
  g_clear_error (&save_error);

  if (!gdk_pixbuf_save_to_buffer (pixbuf, &png, &png_len, "png", &save_error, NULL) ||
      !g_file_replace_contents (data->cache_file, png, png_len, NULL, FALSE,
                                G_FILE_CREATE_PRIVATE, NULL, NULL, &save_error))
    g_debug ("Cannot cache the thumbnail of %s: %s", data->url, save_error->message);
  else
    {
      ImgscanThumbnailLoader *self = source_object;
      guint every = CLAMP (self->disk_entries / 8, 1, 64);

      /* Listing the cache costs: look at it only every few writes. */
      if ((guint)g_atomic_int_add (&self->n_disk_writes, 1) % every == every - 1)
        prune_disk_cache (parent, self->disk_entries);
    }

  g_task_return_pointer (task, g_object_ref (pixbuf), g_object_unref);
}

/* The main-thread chain: disk lookup → send → read chunks → decode thread. */

static void read_next (GTask *task);

static void
decode_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  ImgscanThumbnailLoader *self = IMGSCAN_THUMBNAIL_LOADER (object);
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  pixbuf = g_task_propagate_pointer (G_TASK (result), &error);
  if (pixbuf == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  lru_insert (self, data->key, pixbuf);
  g_task_return_pointer (task, g_steal_pointer (&pixbuf), g_object_unref);
}

static void
return_too_large (GTask *task)
{
  g_task_return_new_error (task, IMGSCAN_THUMBNAIL_ERROR, IMGSCAN_THUMBNAIL_ERROR_TOO_LARGE,
                           _("The image is larger than %u MB; it is not downloaded"),
                           (guint)(IMGSCAN_THUMBNAIL_MAX_DOWNLOAD / (1024 * 1024)));
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GTask *decode;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_new_error (task, IMGSCAN_THUMBNAIL_ERROR, IMGSCAN_THUMBNAIL_ERROR_NETWORK,
                                 _("The download of the image failed: %s"), error->message);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_bytes_get_size (bytes) > 0)
    {
      if (data->data->len + g_bytes_get_size (bytes) > IMGSCAN_THUMBNAIL_MAX_DOWNLOAD)
        {
          /* Dropping the stream drops the connection: nothing more is read. */
          return_too_large (task);
          return;
        }
      g_byte_array_append (data->data, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      read_next (g_steal_pointer (&task));
      return;
    }

  g_clear_object (&data->stream);
  decode = g_task_new (g_task_get_source_object (task), g_task_get_cancellable (task),
                       decode_cb, task);
  task = NULL;  /* now owned by decode_cb */
  g_task_set_source_tag (decode, decode_thread);
  g_task_set_task_data (decode, data, NULL);
  g_task_run_in_thread (decode, decode_thread);
  g_object_unref (decode);
}

static void
read_next (GTask *task)
{
  LoadData *data = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (data->stream, READ_CHUNK, G_PRIORITY_LOW,
                                   g_task_get_cancellable (task), read_cb, task);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  guint status;

  data->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (data->stream == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_new_error (task, IMGSCAN_THUMBNAIL_ERROR, IMGSCAN_THUMBNAIL_ERROR_NETWORK,
                                 _("The image could not be downloaded: %s"), error->message);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  status = soup_message_get_status (data->msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_new_error (task, IMGSCAN_THUMBNAIL_ERROR, IMGSCAN_THUMBNAIL_ERROR_HTTP,
                               _("The image's server answered %u %s"), status,
                               soup_message_get_reason_phrase (data->msg));
      return;
    }

  headers = soup_message_get_response_headers (data->msg);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > IMGSCAN_THUMBNAIL_MAX_DOWNLOAD)
    {
      return_too_large (task);
      return;
    }

  data->data = g_byte_array_new ();
  read_next (g_steal_pointer (&task));
}

static void
disk_lookup_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ImgscanThumbnailLoader *self = IMGSCAN_THUMBNAIL_LOADER (object);
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  pixbuf = g_task_propagate_pointer (G_TASK (result), &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (pixbuf != NULL)
    {
      lru_insert (self, data->key, pixbuf);
      g_task_return_pointer (task, g_steal_pointer (&pixbuf), g_object_unref);
      return;
    }

  if (!self->network_enabled)
    {
      g_task_return_new_error (task, IMGSCAN_THUMBNAIL_ERROR, IMGSCAN_THUMBNAIL_ERROR_DISABLED,
                               _("Loading images from the web is turned off"));
      return;
    }

  data->msg = soup_message_new (SOUP_METHOD_GET, data->url);
  if (data->msg == NULL)
    {
      g_task_return_new_error (task, IMGSCAN_THUMBNAIL_ERROR, IMGSCAN_THUMBNAIL_ERROR_NOT_WEB,
                               _("This image address cannot be loaded"));
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (data->msg),
                                "Accept", "image/*");

  self->n_requests++;
  soup_session_send_async (self->session, data->msg, G_PRIORITY_LOW,
                           g_task_get_cancellable (task), send_cb, task);
  task = NULL;  /* now owned by send_cb */
}

void
imgscan_thumbnail_loader_load_async (ImgscanThumbnailLoader *self,
                                     const char             *url,
                                     int                     size,
                                     GCancellable           *cancellable,
                                     GAsyncReadyCallback     callback,
                                     gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *basename = NULL;
  LoadData *data;
  GTask *lookup;

  g_return_if_fail (IMGSCAN_IS_THUMBNAIL_LOADER (self));
  g_return_if_fail (url != NULL);
  g_return_if_fail (size > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, imgscan_thumbnail_loader_load_async);

  /* Never fetch javascript:, file:, data: and the like: only the web. */
  if (!imgscan_uri_is_web (url))
    {
      g_task_return_new_error (task, IMGSCAN_THUMBNAIL_ERROR, IMGSCAN_THUMBNAIL_ERROR_NOT_WEB,
                               _("Only web (http and https) images are loaded"));
      return;
    }

  data = g_new0 (LoadData, 1);
  data->url = g_strdup (url);
  data->size = size;
  data->key = g_strdup_printf ("%d %s", size, url);
  g_task_set_task_data (task, data, (GDestroyNotify)load_data_free);

  pixbuf = lru_lookup (self, data->key);
  if (pixbuf != NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&pixbuf), g_object_unref);
      return;
    }

  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, data->key, -1);
  basename = g_strconcat (hash, ".png", NULL);
  data->cache_file = g_file_get_child (self->cache_dir, basename);

  lookup = g_task_new (self, cancellable, disk_lookup_cb, g_steal_pointer (&task));
  g_task_set_source_tag (lookup, disk_lookup_thread);
  g_task_set_task_data (lookup, data, NULL);
  g_task_run_in_thread (lookup, disk_lookup_thread);
  g_object_unref (lookup);
}

/**
 * imgscan_thumbnail_loader_load_finish:
 *
 * Returns: (transfer full): a pixbuf at most size×size, or %NULL with
 * %IMGSCAN_THUMBNAIL_ERROR or %G_IO_ERROR_CANCELLED.
 */
GdkPixbuf *
imgscan_thumbnail_loader_load_finish (ImgscanThumbnailLoader *self,
                                      GAsyncResult           *result,
                                      GError                **error)
{
  g_return_val_if_fail (IMGSCAN_IS_THUMBNAIL_LOADER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == imgscan_thumbnail_loader_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
