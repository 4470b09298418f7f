/* imgscan-scan-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "imgscan-core.h"

G_BEGIN_DECLS

#define IMGSCAN_SCAN_VIEW_PREVIEW_SIZE 360

#define IMGSCAN_TYPE_SCAN_VIEW (imgscan_scan_view_get_type ())
G_DECLARE_FINAL_TYPE (ImgscanScanView, imgscan_scan_view, IMGSCAN, SCAN_VIEW, GtkWidget)

/* Shows the photo's name and decodes a preview off the main thread. */
void         imgscan_scan_view_set_file      (ImgscanScanView    *self,
                                              GFile              *file);
/* What the local checks found (size and dimensions). */
void         imgscan_scan_view_set_info      (ImgscanScanView    *self,
                                              ImgscanImageInfo   *info);
void         imgscan_scan_view_set_progress  (ImgscanScanView    *self,
                                              ImgscanClientPhase  phase,
                                              guint64             done,
                                              guint64             total);
/* Stops the preview decode and the progress pulse. */
void         imgscan_scan_view_stop          (ImgscanScanView    *self);
/* Nullable: the decoded preview, once shown. */
GdkPaintable *imgscan_scan_view_get_preview  (ImgscanScanView    *self);
/* For tests: TRUE once the preview is shown. */
gboolean     imgscan_scan_view_has_preview   (ImgscanScanView    *self);
const char  *imgscan_scan_view_get_status    (ImgscanScanView    *self);

G_END_DECLS
