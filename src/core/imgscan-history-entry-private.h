/* imgscan-history-entry-private.h: how an entry is read from and written to JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "imgscan-history-entry.h"

G_BEGIN_DECLS

/* Format of meta.json and index.json. */
#define IMGSCAN_HISTORY_FORMAT_VERSION 2

/* Where each field sits in an index row, from the index's "fields" array. */
typedef struct _ImgscanHistoryColumns ImgscanHistoryColumns;

ImgscanHistoryEntry   *imgscan_history_entry_new            (const char                   *scan_id,
                                                             const char                   *filename,
                                                             const char                   *path,
                                                             guint64                       size,
                                                             const char                   *content_hash,
                                                             gboolean                      sandbox,
                                                             GDateTime                    *time,
                                                             guint                         n_full,
                                                             guint                         n_partial,
                                                             gboolean                      has_preview,
                                                             guint64                       reply_size,
                                                             GFile                        *dir,
                                                             const char                   *folder_name);
/* From a meta.json object. NULL with IMGSCAN_HISTORY_ERROR_CORRUPT when a required
 * member is missing or of the wrong type. */
ImgscanHistoryEntry   *imgscan_history_entry_new_from_json  (JsonObject                   *meta,
                                                             GFile                        *dir,
                                                             const char                   *folder_name,
                                                             GError                      **error);
/* From an index.json row, which also names the folder. */
ImgscanHistoryEntry   *imgscan_history_entry_new_from_row   (JsonArray                    *row,
                                                             const ImgscanHistoryColumns  *columns,
                                                             GFile                        *dir,
                                                             GError                      **error);
ImgscanHistoryColumns *imgscan_history_columns_new          (JsonArray                    *fields);
void                   imgscan_history_columns_free         (ImgscanHistoryColumns        *columns);
/* The index's "fields" array, naming the columns of imgscan_history_entry_to_row(). */
JsonNode              *imgscan_history_index_fields         (void);

/* The meta.json object. */
JsonNode              *imgscan_history_entry_to_json        (ImgscanHistoryEntry          *self);
/* The index.json row. */
JsonNode              *imgscan_history_entry_to_row         (ImgscanHistoryEntry          *self);
const char            *imgscan_history_entry_get_folder_name (ImgscanHistoryEntry         *self);
/* Transfer none. */
GFile                 *imgscan_history_entry_get_folder     (ImgscanHistoryEntry          *self);
guint64                imgscan_history_entry_get_reply_size (ImgscanHistoryEntry          *self);
/* Newest first, then by scan id so the order is total. */
int                    imgscan_history_entry_compare        (gconstpointer                 a,
                                                             gconstpointer                 b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImgscanHistoryColumns, imgscan_history_columns_free)

G_END_DECLS
