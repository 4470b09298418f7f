/* imgscan-texture-cache.h: thumbnails as textures, shared by every row
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* As many as the thumbnail loader keeps pixbufs in memory. */
#define IMGSCAN_TEXTURE_CACHE_DEFAULT_ENTRIES 200

#define IMGSCAN_TYPE_TEXTURE_CACHE (imgscan_texture_cache_get_type ())
G_DECLARE_FINAL_TYPE (ImgscanTextureCache, imgscan_texture_cache, IMGSCAN, TEXTURE_CACHE, GObject)

/* A bounded LRU of @max_entries textures keyed by URL and size: a row bound again to a
 * thumbnail it showed recently reuses the same GdkTexture, which the renderer has
 * already uploaded and keeps, instead of making (and uploading) a new one. */
ImgscanTextureCache *imgscan_texture_cache_new             (guint                max_entries);
ImgscanTextureCache *imgscan_texture_cache_get_default     (void);
/* Returns: (transfer full) (nullable): the cached texture, now the most recently used. */
GdkTexture          *imgscan_texture_cache_lookup          (ImgscanTextureCache *self,
                                                            const char          *url,
                                                            int                  size);
/* Returns: (transfer full): the texture for @pixbuf, cached under @url and @size (the
 * least recently used entry goes when the cache is full). */
GdkTexture          *imgscan_texture_cache_add_pixbuf      (ImgscanTextureCache *self,
                                                            const char          *url,
                                                            int                  size,
                                                            GdkPixbuf           *pixbuf);
guint                imgscan_texture_cache_get_n_entries   (ImgscanTextureCache *self);

G_END_DECLS
