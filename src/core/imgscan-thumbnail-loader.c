/* imgscan-thumbnail-loader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-thumbnail-loader"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "imgscan-match.h"
#include "imgscan-thumbnail-loader.h"
#include "imgscan-thumbnail-private.h"

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

  /* key → Load: requests for the same thumbnail share one download. */
  GHashTable  *loads;
};

typedef struct
{
  char      *key;
  GdkPixbuf *pixbuf;
} Entry;

/* One thumbnail being fetched, for one or more waiting requests. */
typedef struct
{
  ImgscanThumbnailLoader *self;
  char                   *url;
  char                   *key;
  GFile                  *cache_file;
  int                     size;
  /* Cancelled when the last waiter goes away. */
  GCancellable           *cancellable;
  GList                  *waiters;   /* GTask */
  SoupMessage            *msg;
  GInputStream           *stream;
  GByteArray             *data;
  char                   *mime_type;   /* as the server declared it */
} Load;

typedef struct
{
  Load   *load;       /* NULL once answered */
  gulong  cancelled_id;
} Waiter;

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
  g_clear_pointer (&self->loads, g_hash_table_unref);

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
  self->loads = g_hash_table_new (g_str_hash, g_str_equal);
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

/* Answering the waiters */

static void
load_free (Load *load)
{
  g_free (load->url);
  g_free (load->key);
  g_clear_object (&load->cache_file);
  g_clear_object (&load->cancellable);
  g_clear_object (&load->msg);
  g_clear_object (&load->stream);
  g_clear_pointer (&load->data, g_byte_array_unref);
  g_clear_pointer (&load->mime_type, g_free);
  g_clear_object (&load->self);
  g_free (load);
}

/* Ends @load: every waiter gets the pixbuf or a copy of the error. Takes @pixbuf and
 * @error. */
static void
load_complete (Load      *load,
               GdkPixbuf *pixbuf,
               GError    *error)
{
  ImgscanThumbnailLoader *self = load->self;
  GList *waiters = g_steal_pointer (&load->waiters);

  if (g_hash_table_lookup (self->loads, load->key) == load)
    g_hash_table_remove (self->loads, load->key);
  if (pixbuf != NULL)
    lru_insert (self, load->key, pixbuf);

  for (GList *l = waiters; l != NULL; l = l->next)
    {
      GTask *task = l->data;
      Waiter *waiter = g_task_get_task_data (task);

      g_cancellable_disconnect (g_task_get_cancellable (task), waiter->cancelled_id);
      waiter->load = NULL;
      if (pixbuf != NULL)
        g_task_return_pointer (task, g_object_ref (pixbuf), g_object_unref);
      else
        g_task_return_error (task, g_error_copy (error));
      g_object_unref (task);
    }

  g_list_free (waiters);
  g_clear_object (&pixbuf);
  g_clear_error (&error);
  load_free (load);
}

static void
load_fail (Load       *load,
           int         code,
           const char *format,
           ...) G_GNUC_PRINTF (3, 4);

static void
load_fail (Load       *load,
           int         code,
           const char *format,
           ...)
{
  va_list args;
  GError *error;

  va_start (args, format);
  error = g_error_new_valist (IMGSCAN_THUMBNAIL_ERROR, code, format, args);
  va_end (args);
  load_complete (load, NULL, error);
}

/* Main context, from an idle: never inside the cancellable's own emission. */
static gboolean
waiter_cancelled_idle (gpointer user_data)
{
  GTask *task = user_data;
  Waiter *waiter = g_task_get_task_data (task);
  Load *load = waiter->load;

  if (load == NULL)
    return G_SOURCE_REMOVE;   /* answered meanwhile */

  waiter->load = NULL;
  g_cancellable_disconnect (g_task_get_cancellable (task), waiter->cancelled_id);
  load->waiters = g_list_remove (load->waiters, task);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Operation was cancelled"));
  g_object_unref (task);

  /* Nobody wants it any more: stop the download now, and let a new request for the
   * same image start afresh rather than join this doomed one. */
  if (load->waiters == NULL)
    {
      if (g_hash_table_lookup (load->self->loads, load->key) == load)
        g_hash_table_remove (load->self->loads, load->key);
      g_cancellable_cancel (load->cancellable);
    }

  return G_SOURCE_REMOVE;
}

static void
on_waiter_cancelled (GCancellable *cancellable,
                     gpointer      user_data)
{
  GTask *task = user_data;
  GSource *source = g_idle_source_new ();

  /* Any thread may cancel; the load belongs to the task's context. */
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, waiter_cancelled_idle, g_object_ref (task), g_object_unref);
  g_source_set_static_name (source, "[imgscan] thumbnail cancelled");
  g_source_attach (source, g_task_get_context (task));
  g_source_unref (source);
}

/* Worker threads */

static void
disk_lookup_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  Load *load = task_data;

  g_task_return_pointer (task, imgscan_thumbnail_cache_read (load->cache_file, load->size),
                         g_object_unref);
}

static void
decode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImgscanThumbnailLoader *self = source_object;
  Load *load = task_data;
  GError *error = NULL;
  GdkPixbuf *pixbuf;

  pixbuf = imgscan_thumbnail_decode (load->data->data, load->data->len, load->size,
                                     load->mime_type, &error);
  if (pixbuf == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Keep the small PNG so that a second look costs no network. */
  if (imgscan_thumbnail_cache_write (load->cache_file, pixbuf))
    {
      guint every = CLAMP (self->disk_entries / 8, 1, 64);
      g_autoptr(GFile) parent = g_file_get_parent (load->cache_file);

      /* Listing the cache costs: look at it only every few writes. */
      if ((guint)g_atomic_int_add (&self->n_disk_writes, 1) % every == every - 1)
        imgscan_thumbnail_cache_prune (parent, self->disk_entries);
    }

  g_task_return_pointer (task, pixbuf, g_object_unref);
}

static void
run_in_thread (Load                *load,
               GTaskThreadFunc      func,
               GAsyncReadyCallback  callback)
{
  GTask *task = g_task_new (load->self, load->cancellable, callback, load);

  g_task_set_source_tag (task, func);
  g_task_set_task_data (task, load, NULL);
  g_task_run_in_thread (task, func);
  g_object_unref (task);
}

/* The main-thread chain: disk lookup → send → read chunks → decode thread. */

static void read_next (Load *load);

static void
decode_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError *error = NULL;
  GdkPixbuf *pixbuf = g_task_propagate_pointer (G_TASK (result), &error);

  load_complete (user_data, pixbuf, error);
}

static void
fail_too_large (Load *load)
{
  load_fail (load, IMGSCAN_THUMBNAIL_ERROR_TOO_LARGE,
             _("The image is larger than %u MB; it is not downloaded"),
             (guint)(IMGSCAN_THUMBNAIL_MAX_DOWNLOAD / (1024 * 1024)));
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Load *load = user_data;
  GError *error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize size;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        load_complete (load, NULL, error);
      else
        {
          load_fail (load, IMGSCAN_THUMBNAIL_ERROR_NETWORK,
                     _("The download of the image failed: %s"), error->message);
          g_error_free (error);
        }
      return;
    }

  size = g_bytes_get_size (bytes);
  if (size > 0)
    {
      if (load->data->len + size > IMGSCAN_THUMBNAIL_MAX_DOWNLOAD)
        {
          /* Dropping the stream drops the connection: nothing more is read. */
          fail_too_large (load);
          return;
        }
      g_byte_array_append (load->data, g_bytes_get_data (bytes, NULL), size);
      read_next (load);
      return;
    }

  g_clear_object (&load->stream);
  run_in_thread (load, decode_thread, decode_cb);
}

static void
read_next (Load *load)
{
  g_input_stream_read_bytes_async (load->stream, READ_CHUNK, G_PRIORITY_LOW,
                                   load->cancellable, read_cb, load);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Load *load = user_data;
  GError *error = NULL;
  SoupMessageHeaders *headers;
  guint status;

  load->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (load->stream == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        load_complete (load, NULL, error);
      else
        {
          load_fail (load, IMGSCAN_THUMBNAIL_ERROR_NETWORK,
                     _("The image could not be downloaded: %s"), error->message);
          g_error_free (error);
        }
      return;
    }

  status = soup_message_get_status (load->msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      load_fail (load, IMGSCAN_THUMBNAIL_ERROR_HTTP, _("The image’s server answered %u %s"),
                 status, soup_message_get_reason_phrase (load->msg));
      return;
    }

  headers = soup_message_get_response_headers (load->msg);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > IMGSCAN_THUMBNAIL_MAX_DOWNLOAD)
    {
      fail_too_large (load);
      return;
    }

  load->mime_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  load->data = g_byte_array_new ();
  read_next (load);
}

static void
disk_lookup_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Load *load = user_data;
  ImgscanThumbnailLoader *self = load->self;
  GError *error = NULL;
  GdkPixbuf *pixbuf;

  pixbuf = g_task_propagate_pointer (G_TASK (result), &error);
  if (pixbuf != NULL || error != NULL)
    {
      load_complete (load, pixbuf, error);
      return;
    }

  if (!self->network_enabled)
    {
      load_fail (load, IMGSCAN_THUMBNAIL_ERROR_DISABLED,
                 _("Loading images from the web is turned off"));
      return;
    }

  load->msg = soup_message_new (SOUP_METHOD_GET, load->url);
  if (load->msg == NULL)
    {
      load_fail (load, IMGSCAN_THUMBNAIL_ERROR_NOT_WEB, _("This image address cannot be loaded"));
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (load->msg),
                                "Accept", "image/*");

  self->n_requests++;
  soup_session_send_async (self->session, load->msg, G_PRIORITY_LOW,
                           load->cancellable, send_cb, load);
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
  g_autofree char *key = NULL;
  Waiter *waiter;
  Load *load;

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

  if (g_task_return_error_if_cancelled (task))
    return;

  key = g_strdup_printf ("%d %s", size, url);
  pixbuf = lru_lookup (self, key);
  if (pixbuf != NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&pixbuf), g_object_unref);
      return;
    }

  load = g_hash_table_lookup (self->loads, key);
  if (load == NULL)
    {
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
      g_autofree char *basename = g_strconcat (hash, ".png", NULL);

      load = g_new0 (Load, 1);
      load->self = g_object_ref (self);
      load->url = g_strdup (url);
      load->key = g_steal_pointer (&key);
      load->size = size;
      load->cache_file = g_file_get_child (self->cache_dir, basename);
      load->cancellable = g_cancellable_new ();
      g_hash_table_insert (self->loads, load->key, load);
      run_in_thread (load, disk_lookup_thread, disk_lookup_cb);
    }

  waiter = g_new0 (Waiter, 1);
  waiter->load = load;
  g_task_set_task_data (task, waiter, g_free);
  load->waiters = g_list_prepend (load->waiters, g_object_ref (task));
  if (cancellable != NULL)
    waiter->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_waiter_cancelled),
                                                  task, NULL);
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
