/* imgscan-history-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "imgscan-core.h"

G_BEGIN_DECLS

#define IMGSCAN_TYPE_HISTORY_VIEW (imgscan_history_view_get_type ())
G_DECLARE_FINAL_TYPE (ImgscanHistoryView, imgscan_history_view, IMGSCAN, HISTORY_VIEW, GtkWidget)

/* Lists @history's entries; nothing is read from disk until the view is first shown.
 * Emits ::entry-activated (ImgscanHistoryEntry) when the user opens one. */
GtkWidget      *imgscan_history_view_new             (ImgscanHistory      *history);
ImgscanHistory *imgscan_history_view_get_history     (ImgscanHistoryView  *self);

/* Takes the entry out of the list and offers Undo in a toast of the nearest
 * AdwToastOverlay; the files are deleted when the toast goes away without Undo.
 * Returns the toast (transfer none), or NULL when @scan_id is not listed. */
AdwToast       *imgscan_history_view_delete          (ImgscanHistoryView  *self,
                                                      const char          *scan_id);

/* The toast of the latest deletion while it is shown, else NULL (for tests). */
AdwToast       *imgscan_history_view_get_last_toast  (ImgscanHistoryView  *self);

/* Loads @history once per process (later calls wait for, or reuse, the first load),
 * so that it is read only when something needs it: the view's first showing, or a
 * new scan looking for the previous scan of its photo. */
void            imgscan_history_ensure_loaded_async  (ImgscanHistory      *history,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean        imgscan_history_ensure_loaded_finish (ImgscanHistory      *history,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* For tests: the real widgets. */
GtkListView    *imgscan_history_view_get_list_view   (ImgscanHistoryView  *self);
/* The filtered model the list shows. */
GListModel     *imgscan_history_view_get_model       (ImgscanHistoryView  *self);
GtkEditable    *imgscan_history_view_get_search_entry (ImgscanHistoryView *self);
/* "loading", "error", "empty", "no-match" or "list". */
const char     *imgscan_history_view_get_state       (ImgscanHistoryView  *self);

G_END_DECLS
