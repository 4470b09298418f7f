/* imgscan-match-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "imgscan-core.h"
#include "imgscan-thumbnail.h"

G_BEGIN_DECLS

#define IMGSCAN_TYPE_MATCH_ROW (imgscan_match_row_get_type ())
G_DECLARE_FINAL_TYPE (ImgscanMatchRow, imgscan_match_row, IMGSCAN, MATCH_ROW, GtkWidget)

GtkWidget        *imgscan_match_row_new           (void);
/* Binding a match starts its thumbnail; NULL (unbinding) cancels it. */
void              imgscan_match_row_set_match     (ImgscanMatchRow *self,
                                                   ImgscanMatch    *match);
ImgscanMatch     *imgscan_match_row_get_match     (ImgscanMatchRow *self);
ImgscanThumbnail *imgscan_match_row_get_thumbnail (ImgscanMatchRow *self);
/* Shows the page list (built on first expansion, to keep binding cheap). */
void              imgscan_match_row_set_expanded  (ImgscanMatchRow *self,
                                                   gboolean         expanded);

G_END_DECLS
