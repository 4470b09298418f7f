/* imgscan-thumbnail.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define IMGSCAN_THUMBNAIL_SIZE 64

typedef enum
{
  IMGSCAN_THUMBNAIL_STATE_EMPTY,
  IMGSCAN_THUMBNAIL_STATE_LOADING,
  IMGSCAN_THUMBNAIL_STATE_LOADED,
  IMGSCAN_THUMBNAIL_STATE_FAILED,
} ImgscanThumbnailState;

#define IMGSCAN_TYPE_THUMBNAIL (imgscan_thumbnail_get_type ())
G_DECLARE_FINAL_TYPE (ImgscanThumbnail, imgscan_thumbnail, IMGSCAN, THUMBNAIL, GtkWidget)

GtkWidget             *imgscan_thumbnail_new        (void);
/* Starts loading @url through the shared thumbnail loader, cancelling the previous
 * load; NULL cancels and clears (a row being unbound). */
void                   imgscan_thumbnail_set_url    (ImgscanThumbnail *self,
                                                     const char       *url);
const char            *imgscan_thumbnail_get_url    (ImgscanThumbnail *self);
ImgscanThumbnailState  imgscan_thumbnail_get_state  (ImgscanThumbnail *self);
/* Nullable: the loaded texture, or the placeholder/fallback icon's paintable. */
GdkPaintable          *imgscan_thumbnail_get_paintable (ImgscanThumbnail *self);
/* The icon shown instead of a picture (placeholder or fallback), or NULL. */
const char            *imgscan_thumbnail_get_icon_name (ImgscanThumbnail *self);

G_END_DECLS
