/* imgscan-sign-in-page.h: the signed-out page, "Sign in to Copyleaks"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "imgscan-core.h"

G_BEGIN_DECLS

#define IMGSCAN_SIGN_IN_DASHBOARD_URL "https://app.copyleaks.com/dashboard/api"

#define IMGSCAN_TYPE_SIGN_IN_PAGE (imgscan_sign_in_page_get_type ())
G_DECLARE_FINAL_TYPE (ImgscanSignInPage, imgscan_sign_in_page, IMGSCAN, SIGN_IN_PAGE, AdwBin)

/* Emitted once the account was checked with one login and stored:
 *   void (*signed_in) (ImgscanSignInPage *page, ImgscanClient *client, const char *warning);
 * @client holds the new credentials and its token; @warning (nullable) says why the
 * account could not be remembered for the next run. */

GtkWidget     *imgscan_sign_in_page_new          (void);

/* The client whose servers and keyring use a sign-in copies (NULL: the defaults). */
void           imgscan_sign_in_page_set_client   (ImgscanSignInPage *self,
                                                  ImgscanClient     *client);
ImgscanClient *imgscan_sign_in_page_get_client   (ImgscanSignInPage *self);

/* Prefills the email (after a sign-out); the key field is always left empty. */
void           imgscan_sign_in_page_set_email    (ImgscanSignInPage *self,
                                                  const char        *email);
/* A note above the form (e.g. "Sign in to scan “beach.jpg”"); NULL hides it. */
void           imgscan_sign_in_page_set_note     (ImgscanSignInPage *self,
                                                  const char        *note);

/* Whether a sign-in is running. */
gboolean       imgscan_sign_in_page_get_busy     (ImgscanSignInPage *self);
/* The inline error shown under the form, or NULL. */
const char    *imgscan_sign_in_page_get_message  (ImgscanSignInPage *self);

/* For tests: the real fields. */
GtkEditable   *imgscan_sign_in_page_get_email_row (ImgscanSignInPage *self);
GtkEditable   *imgscan_sign_in_page_get_key_row   (ImgscanSignInPage *self);

G_END_DECLS
