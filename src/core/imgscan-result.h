/* imgscan-result.h: a parsed Copyleaks image check reply
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "imgscan-match.h"

G_BEGIN_DECLS

#define IMGSCAN_RESULT_ERROR (imgscan_result_error_quark ())

typedef enum
{
  IMGSCAN_RESULT_ERROR_INVALID,  /* not JSON, wrong types, missing required members */
} ImgscanResultError;

GQuark imgscan_result_error_quark (void);

#define IMGSCAN_TYPE_RESULT (imgscan_result_get_type ())
G_DECLARE_FINAL_TYPE (ImgscanResult, imgscan_result, IMGSCAN, RESULT, GObject)

/* Parses a whole reply; on any shape error returns NULL and IMGSCAN_RESULT_ERROR_INVALID,
 * never half a result. Cost is linear in @length. @length may be -1 for NUL-terminated. */
ImgscanResult *imgscan_result_new_from_data          (const char     *data,
                                                      gssize          length,
                                                      GError        **error);
ImgscanResult *imgscan_result_new_from_bytes         (GBytes         *bytes,
                                                      GError        **error);

/* The API's own shape: full matches first, then partial, then unknown kinds, duplicates
 * dropped, the score block as received. Parsing this output and serialising again
 * gives the same bytes. */
char          *imgscan_result_to_json                (ImgscanResult  *self,
                                                      gboolean        pretty,
                                                      gsize          *length);
JsonNode      *imgscan_result_to_json_node           (ImgscanResult  *self);

/* Nullable: the developer payload may be null or missing. */
const char    *imgscan_result_get_developer_payload  (ImgscanResult  *self);
const char    *imgscan_result_get_scan_id            (ImgscanResult  *self);
gint64         imgscan_result_get_expected_credits   (ImgscanResult  *self);
gint64         imgscan_result_get_actual_credits     (ImgscanResult  *self);
/* Nullable when the reply's creationTime is missing or unreadable. */
GDateTime     *imgscan_result_get_creation_time      (ImgscanResult  *self);
guint          imgscan_result_get_width              (ImgscanResult  *self);
guint          imgscan_result_get_height             (ImgscanResult  *self);
const char    *imgscan_result_get_filename           (ImgscanResult  *self);

/* The score block as the server sent it. */
guint          imgscan_result_get_score_total        (ImgscanResult  *self);
guint          imgscan_result_get_score_full         (ImgscanResult  *self);
guint          imgscan_result_get_score_partial      (ImgscanResult  *self);
/* TRUE when the score block disagrees with the match list we kept. */
gboolean       imgscan_result_get_score_mismatch     (ImgscanResult  *self);
/* How many entries were dropped because their image URL was already listed. */
guint          imgscan_result_get_n_duplicates       (ImgscanResult  *self);

/* GListModels of ImgscanMatch, owned by the result. get_matches() holds every kept
 * match (full, then partial, then other); the others are views grouped by matchType. */
GListModel    *imgscan_result_get_matches            (ImgscanResult  *self);
GListModel    *imgscan_result_get_full_matches       (ImgscanResult  *self);
GListModel    *imgscan_result_get_partial_matches    (ImgscanResult  *self);
GListModel    *imgscan_result_get_other_matches      (ImgscanResult  *self);

G_END_DECLS
