/* imgscan-export.h: a result as CSV or JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "imgscan-result.h"

G_BEGIN_DECLS

typedef enum
{
  IMGSCAN_EXPORT_FORMAT_CSV,
  IMGSCAN_EXPORT_FORMAT_JSON,
} ImgscanExportFormat;

/* "csv" or "json"; FALSE for anything else. */
gboolean  imgscan_export_format_from_string (const char          *name,
                                             ImgscanExportFormat *format);

/* CSV (RFC 4180): header "kind,image_url,domain,page_url", one row per match and page
 * (one row with an empty page_url for a match on no page). JSON: imgscan_result_to_json
 * pretty-printed, the same bytes `imgscan-cli scan --json` prints. */
char     *imgscan_export_result             (ImgscanResult       *result,
                                             ImgscanExportFormat  format,
                                             gsize               *length);

G_END_DECLS
