/* imgscan-history-private.h: the history's files on disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "imgscan-history.h"

G_BEGIN_DECLS

/* Set to 1 to make every add fail between writing an entry and renaming it into
 * place, as a crash would: the tests check that the history stays intact. */
#define IMGSCAN_HISTORY_FAIL_ENV "IMGSCAN_HISTORY_FAIL_BEFORE_RENAME"

/* These touch only the files under @dir and are safe to call from worker threads. */

/* Every readable entry, newest first (transfer full). The index is used when it
 * lists exactly the entry folders present; otherwise it is rebuilt from them. */
GPtrArray           *imgscan_history_store_read   (GFile          *dir,
                                                   GCancellable   *cancellable,
                                                   GError        **error);
ImgscanHistoryEntry *imgscan_history_store_write  (GFile          *dir,
                                                   GBytes         *raw_reply,
                                                   ImgscanResult  *result,
                                                   GFile          *image,
                                                   gboolean        sandbox,
                                                   GCancellable   *cancellable,
                                                   GError        **error);
gboolean             imgscan_history_store_delete (GFile          *dir,
                                                   ImgscanHistoryEntry *entry,
                                                   GError        **error);

G_END_DECLS
