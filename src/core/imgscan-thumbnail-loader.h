/* imgscan-thumbnail-loader.h: small previews of matched images, fetched politely
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>

G_BEGIN_DECLS

#define IMGSCAN_THUMBNAIL_MAX_DOWNLOAD (10 * 1024 * 1024)

#define IMGSCAN_THUMBNAIL_ERROR (imgscan_thumbnail_error_quark ())

typedef enum
{
  IMGSCAN_THUMBNAIL_ERROR_NOT_WEB,     /* not an http(s) URL: never fetched */
  IMGSCAN_THUMBNAIL_ERROR_DISABLED,    /* loading from the web is turned off */
  IMGSCAN_THUMBNAIL_ERROR_HTTP,        /* a non-2xx status */
  IMGSCAN_THUMBNAIL_ERROR_TOO_LARGE,   /* over IMGSCAN_THUMBNAIL_MAX_DOWNLOAD */
  IMGSCAN_THUMBNAIL_ERROR_NOT_IMAGE,   /* GdkPixbuf cannot decode it */
  IMGSCAN_THUMBNAIL_ERROR_NETWORK,
} ImgscanThumbnailError;

GQuark imgscan_thumbnail_error_quark (void);

#define IMGSCAN_TYPE_THUMBNAIL_LOADER (imgscan_thumbnail_loader_get_type ())
G_DECLARE_FINAL_TYPE (ImgscanThumbnailLoader, imgscan_thumbnail_loader, IMGSCAN, THUMBNAIL_LOADER, GObject)

/* One shared SoupSession (few connections per host), a bounded in-memory LRU of
 * @memory_entries pixbufs, and a disk cache in @cache_dir (NULL:
 * $XDG_CACHE_HOME/imgscan/thumbnails) so a second look costs no network. */
ImgscanThumbnailLoader *imgscan_thumbnail_loader_new          (GFile                  *cache_dir,
                                                               guint                   memory_entries);
ImgscanThumbnailLoader *imgscan_thumbnail_loader_get_default  (void);

/* When FALSE, only the caches are consulted: no request leaves for third-party sites. */
void                    imgscan_thumbnail_loader_set_network_enabled (ImgscanThumbnailLoader *self,
                                                                      gboolean                enabled);
gboolean                imgscan_thumbnail_loader_get_network_enabled (ImgscanThumbnailLoader *self);

/* Decodes at most @size×@size (aspect kept) off the main thread. Cancel it when the
 * row scrolls away. */
void                    imgscan_thumbnail_loader_load_async   (ImgscanThumbnailLoader *self,
                                                               const char             *url,
                                                               int                     size,
                                                               GCancellable           *cancellable,
                                                               GAsyncReadyCallback     callback,
                                                               gpointer                user_data);
GdkPixbuf              *imgscan_thumbnail_loader_load_finish  (ImgscanThumbnailLoader *self,
                                                               GAsyncResult           *result,
                                                               GError                **error);
/* How many HTTP requests it has sent (tests and the bench read it). */
guint                   imgscan_thumbnail_loader_get_n_requests (ImgscanThumbnailLoader *self);
/* Bounds the disk cache (default 4,000 thumbnails); the least recently used go first. */
void                    imgscan_thumbnail_loader_set_disk_entries (ImgscanThumbnailLoader *self,
                                                                   guint                   disk_entries);
/* How many pixbufs the in-memory LRU holds now (never more than memory_entries). */
guint                   imgscan_thumbnail_loader_get_n_memory_entries (ImgscanThumbnailLoader *self);

G_END_DECLS
