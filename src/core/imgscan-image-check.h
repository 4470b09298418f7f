/* imgscan-image-check.h: local checks on a photo before any upload
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Copyleaks' limits (see shared/docs/copyleaks-api.md): 20 MB means 20,000,000 bytes. */
#define IMGSCAN_MAX_FILE_SIZE  G_GUINT64_CONSTANT (20000000)
#define IMGSCAN_MAX_PIXELS     G_GUINT64_CONSTANT (75000000)

#define IMGSCAN_IMAGE_ERROR (imgscan_image_error_quark ())

typedef enum
{
  IMGSCAN_IMAGE_ERROR_NOT_FOUND,          /* no such file */
  IMGSCAN_IMAGE_ERROR_NOT_REGULAR,        /* a folder, a device, … */
  IMGSCAN_IMAGE_ERROR_UNREADABLE,         /* permissions or I/O */
  IMGSCAN_IMAGE_ERROR_EMPTY,              /* zero bytes */
  IMGSCAN_IMAGE_ERROR_TOO_LARGE,          /* >= IMGSCAN_MAX_FILE_SIZE bytes */
  IMGSCAN_IMAGE_ERROR_UNSUPPORTED_FORMAT, /* sniffed content is not a format Copyleaks takes */
  IMGSCAN_IMAGE_ERROR_CORRUPT,            /* the header cannot be read */
  IMGSCAN_IMAGE_ERROR_TOO_MANY_PIXELS,    /* width × height > IMGSCAN_MAX_PIXELS */
} ImgscanImageError;

GQuark imgscan_image_error_quark (void);

#define IMGSCAN_TYPE_IMAGE_INFO (imgscan_image_info_get_type ())
G_DECLARE_FINAL_TYPE (ImgscanImageInfo, imgscan_image_info, IMGSCAN, IMAGE_INFO, GObject)

/* What the checks learnt about an accepted photo: everything the upload needs. */
GFile       *imgscan_image_info_get_file       (ImgscanImageInfo  *self);
const char  *imgscan_image_info_get_basename   (ImgscanImageInfo  *self);
guint64      imgscan_image_info_get_size       (ImgscanImageInfo  *self);
const char  *imgscan_image_info_get_mime_type  (ImgscanImageInfo  *self);
/* 0 when the format's header gives no size we can read (some camera RAW files). */
guint        imgscan_image_info_get_width      (ImgscanImageInfo  *self);
guint        imgscan_image_info_get_height     (ImgscanImageInfo  *self);

/* Blocking; reads only the header, never the pixels. Call from a thread or use the async pair. */
ImgscanImageInfo *imgscan_image_check          (GFile              *file,
                                                GCancellable       *cancellable,
                                                GError            **error);
void              imgscan_image_check_async    (GFile              *file,
                                                GCancellable       *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer            user_data);
ImgscanImageInfo *imgscan_image_check_finish   (GAsyncResult       *result,
                                                GError            **error);

/* "31.2 MB" (decimal units, as Copyleaks states its limit). */
char             *imgscan_format_size          (guint64             bytes);

G_END_DECLS
