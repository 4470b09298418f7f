/* imgscan-client-error.h: turning Copyleaks' error replies into ImgscanClientError
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "imgscan-client.h"

G_BEGIN_DECLS

/* Where the failed request went: the wording of the next step differs. */
typedef enum
{
  IMGSCAN_REQUEST_LOGIN,
  IMGSCAN_REQUEST_CHECK,
  IMGSCAN_REQUEST_CREDITS,
} ImgscanRequestKind;

/* The server's own message, from the first documented body shape present (error.message,
 * message/Message, title, {"field": ["msg"]}, {"error": "text"}), else the raw text cut
 * short, else @reason_phrase. Control characters removed; never NULL. */
char    *imgscan_client_reply_message        (guint               status,
                                              const char         *reason_phrase,
                                              GBytes             *body);
/* TRUE for {"error": {"type": "payment_error", …}}. */
gboolean imgscan_client_reply_is_payment_error (GBytes           *body);

/* A user-facing error for a non-2xx reply: what happened and what to do next. */
GError  *imgscan_client_error_for_reply      (ImgscanRequestKind  kind,
                                              guint               status,
                                              const char         *reason_phrase,
                                              GBytes             *body);

/* Retry-After as milliseconds (delta-seconds or an HTTP date), or -1 when absent/unreadable. */
gint64   imgscan_client_parse_retry_after    (SoupMessageHeaders *headers);

/* The two ways reading a reply fails on our side, worded once for both readers
 * (the async one in imgscan-client-http.c, the blocking one of the upload). */
GError  *imgscan_client_reply_too_large_error (gsize              max_reply);
GError  *imgscan_client_reply_cut_short_error (gsize              received,
                                               goffset            expected);

G_END_DECLS
