/* imgscan-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "imgscan-core.h"

G_BEGIN_DECLS

#define IMGSCAN_TYPE_APPLICATION (imgscan_application_get_type ())
G_DECLARE_FINAL_TYPE (ImgscanApplication, imgscan_application, IMGSCAN, APPLICATION, AdwApplication)

ImgscanApplication *imgscan_application_new            (void);
/* TRUE when started with --demo: new windows scan against the built-in demo server. */
gboolean            imgscan_application_get_demo       (ImgscanApplication *self);
/* The history every window keeps its scans in (created on first use, not loaded). */
ImgscanHistory     *imgscan_application_get_history    (ImgscanApplication *self);

G_END_DECLS
