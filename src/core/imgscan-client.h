/* imgscan-client.h: the Copyleaks client (login, image check, credits)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "imgscan-image-check.h"
#include "imgscan-result.h"

G_BEGIN_DECLS

#define IMGSCAN_DEFAULT_ID_URL  "https://id.copyleaks.com"
#define IMGSCAN_DEFAULT_API_URL "https://api.copyleaks.com"

/* Replies larger than this are refused as invalid, so a broken server cannot exhaust memory. */
#define IMGSCAN_MAX_REPLY_SIZE (32 * 1024 * 1024)

#define IMGSCAN_CLIENT_ERROR (imgscan_client_error_quark ())

/* Cancellation is always G_IO_ERROR_CANCELLED, its own case, never one of these. */
typedef enum
{
  IMGSCAN_CLIENT_ERROR_INVALID_INPUT,      /* 400 and other 4xx: fix the request, don't retry */
  IMGSCAN_CLIENT_ERROR_NO_CREDENTIALS,     /* no email/key in the environment or the keyring */
  IMGSCAN_CLIENT_ERROR_AUTHENTICATION,     /* 401/403, or login refused */
  IMGSCAN_CLIENT_ERROR_NOT_ENOUGH_CREDITS, /* 402 or a payment_error */
  IMGSCAN_CLIENT_ERROR_RATE_LIMITED,       /* 429 after our retries */
  IMGSCAN_CLIENT_ERROR_MAINTENANCE,        /* 503 after our retries */
  IMGSCAN_CLIENT_ERROR_SERVER,             /* other 5xx */
  IMGSCAN_CLIENT_ERROR_NETWORK,            /* no connection, lost connection, timeout */
  IMGSCAN_CLIENT_ERROR_INVALID_RESPONSE,   /* not the documented shape, or too large */
} ImgscanClientError;

GQuark imgscan_client_error_quark (void);

typedef enum
{
  IMGSCAN_CLIENT_PHASE_CHECKING,   /* local image checks */
  IMGSCAN_CLIENT_PHASE_LOGGING_IN,
  IMGSCAN_CLIENT_PHASE_UPLOADING,  /* done/total are bytes of the request body */
  IMGSCAN_CLIENT_PHASE_SEARCHING,  /* upload complete, waiting for the reply */
  IMGSCAN_CLIENT_PHASE_RETRYING,   /* waiting before a retry; done/total are ms waited/to wait */
} ImgscanClientPhase;

/* Called on the thread-default main context of the _async call. */
typedef void (*ImgscanProgressFunc) (ImgscanClientPhase phase,
                                     guint64            done,
                                     guint64            total,
                                     gpointer           user_data);

#define IMGSCAN_TYPE_CLIENT (imgscan_client_get_type ())
G_DECLARE_FINAL_TYPE (ImgscanClient, imgscan_client, IMGSCAN, CLIENT, GObject)

/* NULL URLs mean $IMGSCAN_ID_URL / $IMGSCAN_API_URL, else the defaults above. */
ImgscanClient *imgscan_client_new               (const char          *id_url,
                                                 const char          *api_url);
const char    *imgscan_client_get_id_url        (ImgscanClient       *self);
const char    *imgscan_client_get_api_url       (ImgscanClient       *self);

/* Explicit credentials (the sign-in form, the demo). Forgets any cached token of
 * another account. */
void           imgscan_client_set_credentials   (ImgscanClient       *self,
                                                 const char          *email,
                                                 const char          *key);
/* $IMGSCAN_EMAIL + $IMGSCAN_API_KEY when both are set, else the keyring's account
 * (when the keyring is in use). Returns FALSE, without error, when there are none. */
gboolean       imgscan_client_load_credentials  (ImgscanClient       *self,
                                                 GCancellable        *cancellable,
                                                 GError             **error);
gboolean       imgscan_client_has_credentials   (ImgscanClient       *self);
/* Nullable. The key itself is never exposed, printed or logged. */
const char    *imgscan_client_get_email         (ImgscanClient       *self);

/* Whether tokens are cached in (and read from) the keyring. Defaults to TRUE when a
 * session bus is available; tests and the demo turn it off. */
void           imgscan_client_set_use_keyring   (ImgscanClient       *self,
                                                 gboolean             use_keyring);
gboolean       imgscan_client_get_use_keyring   (ImgscanClient       *self);

/* How many login requests this client has sent (to keep far from 12 per 15 minutes). */
guint          imgscan_client_get_n_logins      (ImgscanClient       *self);

/* Logs in now, even with a valid cached token; caches the new token. */
void           imgscan_client_login_async       (ImgscanClient       *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean       imgscan_client_login_finish      (ImgscanClient       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* Checks the image locally (IMGSCAN_IMAGE_ERROR on refusal, nothing sent), logs in
 * unless a cached token has 5 minutes left, streams the upload and parses the reply.
 * @scan_id: NULL for a fresh lower-case UUID. @progress may be NULL. */
void           imgscan_client_check_async       (ImgscanClient       *self,
                                                 GFile               *image,
                                                 const char          *scan_id,
                                                 gboolean             sandbox,
                                                 ImgscanProgressFunc  progress,
                                                 gpointer             progress_data,
                                                 GDestroyNotify       progress_destroy,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
/* @raw_reply (nullable out): the reply body exactly as received, to keep in the history.
 * @image_info (nullable out): what the local checks found. */
ImgscanResult *imgscan_client_check_finish      (ImgscanClient       *self,
                                                 GAsyncResult        *result,
                                                 GBytes             **raw_reply,
                                                 ImgscanImageInfo   **image_info,
                                                 GError             **error);

/* GET {api}/v3/scans/credits → {"Amount": N}. */
void           imgscan_client_get_credits_async (ImgscanClient       *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gint64         imgscan_client_get_credits_finish (ImgscanClient      *self,
                                                  GAsyncResult       *result,
                                                  GError            **error);

/* Additions (after the first contract):
 *
 * check_finish also fills @raw_reply on an INVALID_RESPONSE error for a 200 reply (it was
 * paid for: keep it), and @image_info whenever the local checks passed. */

/* The scanId the check used (the caller's, or the fresh one). Valid with either outcome. */
const char    *imgscan_client_check_get_scan_id (ImgscanClient       *self,
                                                 GAsyncResult        *result);
/* TRUE when the upload was sent a second time with the same scanId after a lost
 * connection or a 5xx: the first attempt may have been billed too, so tell the user.
 * Valid with either outcome. */
gboolean       imgscan_client_check_was_resent  (ImgscanClient       *self,
                                                 GAsyncResult        *result);

/* Multiplies every wait before a retry: tests use a small value. The default is 1.0, or
 * $IMGSCAN_BACKOFF_SCALE when it holds a number from 0 to 1 (for tests that run the CLI). */
void           imgscan_client_set_backoff_scale (ImgscanClient       *self,
                                                 double               scale);

/* A fresh lower-case UUID, as Copyleaks' scanId. */
char          *imgscan_new_scan_id              (void);

G_END_DECLS
