/* imgscan-preferences-window.h: the account, sandbox mode, spending, privacy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "imgscan-core.h"

G_BEGIN_DECLS

#define IMGSCAN_TYPE_PREFERENCES_WINDOW (imgscan_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (ImgscanPreferencesWindow, imgscan_preferences_window, IMGSCAN, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* Signals:
 *   "signed-out"  the account and its tokens were removed from the keyring
 *   "sign-in"     the user asked to sign in (from the demo, or when signed out) */

/* @settings: the org.example.ImgScan settings, or NULL when the schema is missing
 * (the switches then show the defaults and cannot be changed). */
ImgscanPreferencesWindow *imgscan_preferences_window_new   (GtkWindow     *parent,
                                                            ImgscanClient *client,
                                                            GSettings     *settings,
                                                            gboolean       demo);

/* The account shown and whose balance is read. */
void           imgscan_preferences_window_set_client        (ImgscanPreferencesWindow *self,
                                                             ImgscanClient            *client);
ImgscanClient *imgscan_preferences_window_get_client        (ImgscanPreferencesWindow *self);
void           imgscan_preferences_window_set_demo          (ImgscanPreferencesWindow *self,
                                                             gboolean                  demo);

/* Reads the balance again (after a scan); errors show as the row's subtitle. */
void           imgscan_preferences_window_refresh_credits   (ImgscanPreferencesWindow *self);

/* For tests: what the rows say. */
const char    *imgscan_preferences_window_get_account_text  (ImgscanPreferencesWindow *self);
const char    *imgscan_preferences_window_get_credits_text  (ImgscanPreferencesWindow *self);
gboolean       imgscan_preferences_window_get_credits_loading (ImgscanPreferencesWindow *self);
gboolean       imgscan_preferences_window_get_busy          (ImgscanPreferencesWindow *self);

G_END_DECLS
