/* imgscan-thumbnail-private.h: decoding and the disk cache, for worker threads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "imgscan-thumbnail-loader.h"

G_BEGIN_DECLS

/* At most @size×@size, aspect kept; NOT_IMAGE for anything GdkPixbuf cannot decode or
 * whose canvas would cost too much memory to decode. @mime_type: the type the server
 * declared, or NULL. */
GdkPixbuf *imgscan_thumbnail_decode      (const guint8  *data,
                                          gsize          length,
                                          int            size,
                                          const char    *mime_type,
                                          GError       **error);
/* The cached thumbnail in @file, or NULL; a hit refreshes its modification time. */
GdkPixbuf *imgscan_thumbnail_cache_read  (GFile         *file,
                                          int            size);
/* Best effort: a failure only costs a later download. */
gboolean   imgscan_thumbnail_cache_write (GFile         *file,
                                          GdkPixbuf     *pixbuf);
/* Deletes the least recently used thumbnails down to 80% of @max_entries when the
 * folder holds more than @max_entries. */
void       imgscan_thumbnail_cache_prune (GFile         *cache_dir,
                                          guint          max_entries);

G_END_DECLS
