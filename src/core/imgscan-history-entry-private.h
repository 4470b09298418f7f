/* imgscan-history-entry-private.h: how an entry is read from and written to JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "imgscan-history-entry.h"

G_BEGIN_DECLS

/* Format of meta.json and of each element of index.json. */
#define IMGSCAN_HISTORY_FORMAT_VERSION 1

/* @folder: the entry's own directory. Returns NULL with IMGSCAN_HISTORY_ERROR_CORRUPT
 * when a required member is missing or of the wrong type. */
ImgscanHistoryEntry *imgscan_history_entry_new_from_json (JsonObject          *meta,
                                                          GFile               *folder,
                                                          GError             **error);
ImgscanHistoryEntry *imgscan_history_entry_new           (const char          *scan_id,
                                                          const char          *filename,
                                                          const char          *path,
                                                          guint64              size,
                                                          const char          *content_hash,
                                                          gboolean             sandbox,
                                                          GDateTime           *time,
                                                          guint                n_full,
                                                          guint                n_partial,
                                                          gboolean             has_preview,
                                                          guint64              reply_size,
                                                          GFile               *folder);
/* The meta.json object; with @folder_name set it also records the folder (index.json). */
JsonNode            *imgscan_history_entry_to_json       (ImgscanHistoryEntry *self,
                                                          gboolean             with_folder);
GFile               *imgscan_history_entry_get_folder    (ImgscanHistoryEntry *self);
guint64              imgscan_history_entry_get_reply_size (ImgscanHistoryEntry *self);
/* Newest first, then by scan id so the order is total. */
int                  imgscan_history_entry_compare       (gconstpointer        a,
                                                          gconstpointer        b);

G_END_DECLS
