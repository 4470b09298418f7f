/* imgscan-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "imgscan-application.h"
#include "imgscan-core.h"

G_BEGIN_DECLS

#define IMGSCAN_TYPE_WINDOW (imgscan_window_get_type ())
G_DECLARE_FINAL_TYPE (ImgscanWindow, imgscan_window, IMGSCAN, WINDOW, AdwApplicationWindow)

/* @app may be NULL (tests). */
ImgscanWindow   *imgscan_window_new              (ImgscanApplication *app);

/* The client scans go through. The window creates one from the environment (or the
 * keyring) when none is set. Replacing it cancels a running scan. */
void             imgscan_window_set_client       (ImgscanWindow      *self,
                                                  ImgscanClient      *client);
ImgscanClient   *imgscan_window_get_client       (ImgscanWindow      *self);
/* Whether scans ask Copyleaks for free mock results; marked in the results header. */
void             imgscan_window_set_sandbox      (ImgscanWindow      *self,
                                                  gboolean            sandbox);
gboolean         imgscan_window_get_sandbox      (ImgscanWindow      *self);
/* Where scans are kept before they are shown. NULL: the application's, else a default. */
void             imgscan_window_set_history      (ImgscanWindow      *self,
                                                  ImgscanHistory     *history);
ImgscanHistory  *imgscan_window_get_history      (ImgscanWindow      *self);
/* Switches the window's client to the built-in offline demo server (sandbox on). */
gboolean         imgscan_window_enter_demo       (ImgscanWindow      *self);
gboolean         imgscan_window_get_demo         (ImgscanWindow      *self);

/* Checks the photo and scans it at once. */
void             imgscan_window_open_file        (ImgscanWindow      *self,
                                                  GFile              *file);
/* Scans the first, and says that the others were not scanned. */
void             imgscan_window_open_files       (ImgscanWindow      *self,
                                                  GFile             **files,
                                                  guint               n_files);
/* Shows a result (a fresh one, or a past one from the history). */
void             imgscan_window_show_result      (ImgscanWindow      *self,
                                                  ImgscanResult      *result,
                                                  gboolean            from_history);
/* Opens @uri in the browser only when it is an http(s) URL; FALSE when refused. */
gboolean         imgscan_window_open_page        (ImgscanWindow      *self,
                                                  const char         *uri);
void             imgscan_window_add_toast        (ImgscanWindow      *self,
                                                  const char         *title);

/* A slot left of the content for a sidebar (the history); NULL hides it. */
void             imgscan_window_set_sidebar      (ImgscanWindow      *self,
                                                  GtkWidget          *sidebar);
/* The content stack: pages "empty", "scanning", "results", "error", "no-credentials".
 * Other parts may add their own pages (e.g. "sign-in"). */
GtkStack        *imgscan_window_get_stack        (ImgscanWindow      *self);
/* The visible page's name. */
const char      *imgscan_window_get_state        (ImgscanWindow      *self);

/* For tests and the bench: the real widgets. */
GtkWidget       *imgscan_window_get_results_view (ImgscanWindow      *self);
GtkWidget       *imgscan_window_get_scan_view    (ImgscanWindow      *self);
AdwStatusPage   *imgscan_window_get_error_page   (ImgscanWindow      *self);
GtkDropTarget   *imgscan_window_get_drop_target  (ImgscanWindow      *self);

G_END_DECLS
