/* imgscan-window-private.h: what the window's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "imgscan-results-view.h"
#include "imgscan-scan-view.h"
#include "imgscan-window.h"

G_BEGIN_DECLS

struct _ImgscanWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwStatusPage        *error_page;
  GtkButton            *error_open_button;
  GtkButton            *retry_button;
  GtkMenuButton        *menu_button;
  ImgscanResultsView   *results_view;
  ImgscanScanView      *scan_view;
  AdwBin               *sidebar_bin;
  GtkWidget            *sidebar_separator;
  GtkStack             *stack;
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;

  GtkDropTarget        *drop_target;

  ImgscanClient        *client;
  ImgscanHistory       *history;
  ImgscanDemoServer    *demo_server;
  GCancellable         *cancellable;   /* the running scan; replaced by each new one */
  GFile                *file;          /* the photo being (or last) scanned, for Retry */
  GFile                *last_folder;
  char                 *last_toast;    /* for tests: toasts cannot be read back */

  guint                 sandbox : 1;
  guint                 showing_fresh : 1; /* the results are of the photo just scanned */
  guint                 demo : 1;
};

/* For tests: the title of the last toast this window showed, or NULL. */
const char *_imgscan_window_get_last_toast (ImgscanWindow *self);

/* imgscan-window-dnd.c */
void _imgscan_window_init_dnd   (ImgscanWindow *self);
void _imgscan_window_paste      (ImgscanWindow *self);
/* Saves image data that came without a file to a private PNG, then scans it. */
void _imgscan_window_open_texture (ImgscanWindow *self,
                                   GdkTexture    *texture);

/* imgscan-window-history.c: the history page, "what changed" and export */
void         _imgscan_window_init_history      (ImgscanWindow       *self);
/* Shows a fresh result, marking what changed since the previous scan of @entry's photo.
 * @entry: NULL when the result could not be kept. */
void         _imgscan_window_show_new_result   (ImgscanWindow       *self,
                                                ImgscanResult       *result,
                                                ImgscanHistoryEntry *entry,
                                                GCancellable        *cancellable);
/* Writes the shown result to @file (no chooser): for the export actions and tests. */
void         _imgscan_window_export_async      (ImgscanWindow       *self,
                                                ImgscanExportFormat  format,
                                                GFile               *file,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean     _imgscan_window_export_finish     (ImgscanWindow       *self,
                                                GAsyncResult        *result,
                                                GError             **error);
/* For tests: the real widgets (the history view is made on first use). */
GtkWidget   *_imgscan_window_get_history_view  (ImgscanWindow       *self);
GtkWidget   *_imgscan_window_get_changes       (ImgscanWindow       *self);
GtkExpander *_imgscan_window_get_gone_expander (ImgscanWindow       *self);
const char  *_imgscan_window_get_changes_text  (ImgscanWindow       *self);

/* imgscan-window-account.c: start page, sign-in, preferences, settings */
typedef void (*ImgscanConfirmFunc) (gpointer user_data,
                                    gboolean confirmed);
void         _imgscan_window_init_account        (ImgscanWindow       *self);
/* Ask-before-spending: calls @func at once (TRUE) when off, else after the user
 * answered; FALSE when declined (the window is back at the start) or cancelled. */
void         _imgscan_window_confirm_scan        (ImgscanWindow       *self,
                                                  GFile               *file,
                                                  GCancellable        *cancellable,
                                                  ImgscanConfirmFunc   func,
                                                  gpointer             user_data);
/* For tests: the real widgets, and the settings in use (NULL without the schema). */
GtkWidget   *_imgscan_window_get_sign_in_page    (ImgscanWindow       *self);
GtkWindow   *_imgscan_window_get_preferences     (ImgscanWindow       *self);
GtkWindow   *_imgscan_window_get_confirm_dialog  (ImgscanWindow       *self);
GSettings   *_imgscan_window_get_settings        (ImgscanWindow       *self);

G_END_DECLS
