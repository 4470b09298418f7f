/* imgscan-keyring.h: the account and its access token in the user's keyring (libsecret)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* TRUE when a session bus is reachable, so libsecret can be asked at all. */
gboolean imgscan_keyring_is_available    (void);

/* All blocking (libsecret's _sync calls): call from a worker thread in the UI. Lookups
 * return FALSE without setting @error when nothing is stored. */
gboolean imgscan_keyring_store_account   (const char    *email,
                                          const char    *key,
                                          GCancellable  *cancellable,
                                          GError       **error);
gboolean imgscan_keyring_lookup_account  (char         **email,
                                          char         **key,
                                          GCancellable  *cancellable,
                                          GError       **error);
/* Removes the account and every cached token. */
gboolean imgscan_keyring_clear_account   (GCancellable  *cancellable,
                                          GError       **error);

gboolean imgscan_keyring_store_token     (const char    *email,
                                          const char    *token,
                                          GDateTime     *expires,
                                          GCancellable  *cancellable,
                                          GError       **error);
gboolean imgscan_keyring_lookup_token    (const char    *email,
                                          char         **token,
                                          GDateTime    **expires,
                                          GCancellable  *cancellable,
                                          GError       **error);

G_END_DECLS
