/* imgscan-results-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "imgscan-core.h"

G_BEGIN_DECLS

#define IMGSCAN_TYPE_RESULTS_VIEW (imgscan_results_view_get_type ())
G_DECLARE_FINAL_TYPE (ImgscanResultsView, imgscan_results_view, IMGSCAN, RESULTS_VIEW, GtkWidget)

/* @sandbox: mark the results as mock results. @from_history: a kept scan, shown offline. */
void           imgscan_results_view_set_result       (ImgscanResultsView *self,
                                                      ImgscanResult      *result,
                                                      gboolean            sandbox,
                                                      gboolean            from_history);
ImgscanResult *imgscan_results_view_get_result       (ImgscanResultsView *self);
/* A small picture of the scanned photo beside the summary; NULL hides it. */
void           imgscan_results_view_set_photo        (ImgscanResultsView *self,
                                                      GdkPaintable       *photo);
/* Drops the result: rows unbind and their thumbnails stop loading. */
void           imgscan_results_view_clear            (ImgscanResultsView *self);

/* "full", "partial" or "other". */
void           imgscan_results_view_show_group       (ImgscanResultsView *self,
                                                      const char         *group);

/* For tests and the bench: the real widgets. */
GtkListView   *imgscan_results_view_get_list         (ImgscanResultsView *self,
                                                      ImgscanMatchKind    kind);
GtkWidget     *imgscan_results_view_get_summary      (ImgscanResultsView *self);
const char    *imgscan_results_view_get_counts_text  (ImgscanResultsView *self);
const char    *imgscan_results_view_get_headline     (ImgscanResultsView *self);
gboolean       imgscan_results_view_get_sandbox_shown (ImgscanResultsView *self);
/* "matches" or "none" (the friendly no-copies page). */
const char    *imgscan_results_view_get_state        (ImgscanResultsView *self);

G_END_DECLS
