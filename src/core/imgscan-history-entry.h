/* imgscan-history-entry.h: one kept scan, as listed in the history index
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "imgscan-result.h"

G_BEGIN_DECLS

#define IMGSCAN_TYPE_HISTORY_ENTRY (imgscan_history_entry_get_type ())
G_DECLARE_FINAL_TYPE (ImgscanHistoryEntry, imgscan_history_entry, IMGSCAN, HISTORY_ENTRY, GObject)

const char    *imgscan_history_entry_get_scan_id       (ImgscanHistoryEntry  *self);
const char    *imgscan_history_entry_get_filename      (ImgscanHistoryEntry  *self);
const char    *imgscan_history_entry_get_path          (ImgscanHistoryEntry  *self);
guint64        imgscan_history_entry_get_size          (ImgscanHistoryEntry  *self);
const char    *imgscan_history_entry_get_content_hash  (ImgscanHistoryEntry  *self);
gboolean       imgscan_history_entry_get_sandbox       (ImgscanHistoryEntry  *self);
GDateTime     *imgscan_history_entry_get_time          (ImgscanHistoryEntry  *self);
guint          imgscan_history_entry_get_n_full        (ImgscanHistoryEntry  *self);
guint          imgscan_history_entry_get_n_partial     (ImgscanHistoryEntry  *self);
/* Nullable: the small PNG preview of the submitted photo. */
GFile         *imgscan_history_entry_get_preview       (ImgscanHistoryEntry  *self);
/* The raw reply file, exactly as received. */
GFile         *imgscan_history_entry_get_reply_file    (ImgscanHistoryEntry  *self);

/* Parses the kept reply (blocking, linear in its size). */
ImgscanResult *imgscan_history_entry_load_result       (ImgscanHistoryEntry  *self,
                                                        GError              **error);

G_END_DECLS
