/* imgscan-history-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "imgscan-core.h"

G_BEGIN_DECLS

#define IMGSCAN_TYPE_HISTORY_ROW (imgscan_history_row_get_type ())
G_DECLARE_FINAL_TYPE (ImgscanHistoryRow, imgscan_history_row, IMGSCAN, HISTORY_ROW, GtkWidget)

GtkWidget           *imgscan_history_row_new        (void);
/* NULL unbinds: the preview stops loading. */
void                 imgscan_history_row_set_entry  (ImgscanHistoryRow   *self,
                                                     ImgscanHistoryEntry *entry);
ImgscanHistoryEntry *imgscan_history_row_get_entry  (ImgscanHistoryRow   *self);

/* For tests: the texts shown, and whether the preview picture is loaded. */
const char          *imgscan_history_row_get_counts_text (ImgscanHistoryRow *self);
const char          *imgscan_history_row_get_date_text   (ImgscanHistoryRow *self);
gboolean             imgscan_history_row_get_sandbox_shown (ImgscanHistoryRow *self);
gboolean             imgscan_history_row_get_preview_loaded (ImgscanHistoryRow *self);

/* "2 full · 1 partial", or "No copies found". */
char                *imgscan_history_format_counts  (guint                n_full,
                                                     guint                n_partial);
/* Local, short: "Today, 14:02", "Yesterday, 09:10", or the locale's date and time. */
char                *imgscan_history_format_time    (GDateTime           *time);

G_END_DECLS
