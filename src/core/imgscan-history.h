/* imgscan-history.h: every paid result, kept on disk before it is shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "imgscan-history-entry.h"
#include "imgscan-result.h"

G_BEGIN_DECLS

#define IMGSCAN_HISTORY_ERROR (imgscan_history_error_quark ())

typedef enum
{
  IMGSCAN_HISTORY_ERROR_NOT_FOUND,   /* no scan with that id */
  IMGSCAN_HISTORY_ERROR_CORRUPT,     /* an entry's files are unreadable */
  IMGSCAN_HISTORY_ERROR_IO,          /* writing failed: the caller must not drop the reply */
} ImgscanHistoryError;

GQuark imgscan_history_error_quark (void);

#define IMGSCAN_TYPE_HISTORY (imgscan_history_get_type ())
/* A GListModel of ImgscanHistoryEntry, newest first. */
G_DECLARE_FINAL_TYPE (ImgscanHistory, imgscan_history, IMGSCAN, HISTORY, GObject)

/* @dir: NULL for $XDG_DATA_HOME/imgscan/history. Nothing is read until load. */
ImgscanHistory      *imgscan_history_new          (GFile                *dir);
GFile               *imgscan_history_get_dir      (ImgscanHistory       *self);

/* Reads the index (rebuilding it from the entries when lost or stale); unreadable
 * entries are skipped with a g_warning, the others still load. */
gboolean             imgscan_history_load         (ImgscanHistory       *self,
                                                   GCancellable         *cancellable,
                                                   GError              **error);
void                 imgscan_history_load_async   (ImgscanHistory       *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean             imgscan_history_load_finish  (ImgscanHistory       *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* Writes the raw reply exactly as received plus its metadata (path, size, SHA-256 of
 * @image, sandbox flag, time, a small preview) atomically: temporary file, fsync,
 * rename. Call before showing or printing the result. Blocking; the async pair runs it
 * in a thread. Returns the new entry (also added to the model). */
ImgscanHistoryEntry *imgscan_history_add          (ImgscanHistory       *self,
                                                   GBytes               *raw_reply,
                                                   ImgscanResult        *result,
                                                   GFile                *image,
                                                   gboolean              sandbox,
                                                   GCancellable         *cancellable,
                                                   GError              **error);
void                 imgscan_history_add_async    (ImgscanHistory       *self,
                                                   GBytes               *raw_reply,
                                                   ImgscanResult        *result,
                                                   GFile                *image,
                                                   gboolean              sandbox,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
ImgscanHistoryEntry *imgscan_history_add_finish   (ImgscanHistory       *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

gboolean             imgscan_history_remove       (ImgscanHistory       *self,
                                                   const char           *scan_id,
                                                   GError              **error);
/* Undo for deletions: hide takes the entry out of the model but keeps its files
 * (transfer full, NULL when not listed); restore puts it back; remove (which also
 * accepts a hidden entry) deletes the files for good, e.g. when the undo toast goes
 * away. Hidden entries come back on the next load if remove is never called. */
ImgscanHistoryEntry *imgscan_history_hide         (ImgscanHistory       *self,
                                                   const char           *scan_id);
void                 imgscan_history_restore      (ImgscanHistory       *self,
                                                   ImgscanHistoryEntry  *entry);

/* Nullable; transfer none. */
ImgscanHistoryEntry *imgscan_history_lookup       (ImgscanHistory       *self,
                                                   const char           *scan_id);
/* The newest entry, other than @scan_id, of a photo with the same content hash. */
ImgscanHistoryEntry *imgscan_history_find_previous (ImgscanHistory      *self,
                                                    const char          *content_hash,
                                                    const char          *scan_id);

/* Marks the matches of @current that @previous lacked (imgscan_match_set_is_new) and
 * returns the image URLs that disappeared since @previous (transfer full, NULL-terminated). */
char               **imgscan_result_diff          (ImgscanResult        *current,
                                                   ImgscanResult        *previous);

/* A 2xx reply that is not a valid result was still paid for, but the history takes only
 * readable results: keep its bytes atomically under
 * $XDG_DATA_HOME/imgscan/unreadable-replies/ and return the file's path. */
char                *imgscan_history_keep_unreadable_reply (GBytes        *raw_reply,
                                                            GError       **error);

G_END_DECLS
