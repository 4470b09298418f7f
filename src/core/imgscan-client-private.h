/* imgscan-client-private.h: what the client's files share, not part of the public API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "imgscan-client.h"

G_BEGIN_DECLS

struct _ImgscanClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *id_url;
  char        *api_url;

  char        *email;
  char        *key;       /* never printed, logged or written to a file */
  char        *token;     /* likewise */
  GDateTime   *token_expires;

  /* The login under way, shared by everyone who needs a token meanwhile. */
  gpointer     login_flight;

  double       backoff_scale;
  guint        n_logins;
  guint        use_keyring : 1;
};

/* imgscan-client-http.c */
void          imgscan_client_wipe_string          (char               **str);
/* A request with our Accept headers, or NULL and INVALID_INPUT for a bad base URL. */
SoupMessage  *imgscan_client_new_message          (const char          *method,
                                                   const char          *base,
                                                   const char          *path,
                                                   GError             **error);
/* Not ours, not cancelled: the connection failed somewhere on the way. */
gboolean      imgscan_client_is_transport_error   (const GError        *error);
GError       *imgscan_client_network_error        (ImgscanClient       *self,
                                                   const GError        *error,
                                                   gboolean             after_resend);
/* Sends @msg and reads the whole reply, refusing more than IMGSCAN_MAX_REPLY_SIZE. */
void          imgscan_client_send_and_read_async  (ImgscanClient       *self,
                                                   SoupMessage         *msg,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GBytes       *imgscan_client_send_and_read_finish (GAsyncResult        *result,
                                                   GError             **error);
/* Waits @total_ms, reporting RETRYING; a cancel ends it at once. */
void          imgscan_client_wait_async           (gint64               total_ms,
                                                   ImgscanProgressFunc  progress,
                                                   gpointer             progress_data,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean      imgscan_client_wait_finish          (GAsyncResult        *result,
                                                   GError             **error);

/* imgscan-client-login.c */
gboolean      imgscan_client_lookup_credentials   (gboolean             use_keyring,
                                                   char               **email,
                                                   char               **key,
                                                   GCancellable        *cancellable,
                                                   GError             **error);
void          imgscan_client_set_bearer           (ImgscanClient       *self,
                                                   SoupMessage         *msg);
void          imgscan_client_forget_token         (ImgscanClient       *self);
/* Credentials (environment, keyring) → fresh cached token → keyring token → login.
 * @force_login skips straight to the login. Reports LOGGING_IN through @progress. */
void          imgscan_client_ensure_token_async   (ImgscanClient       *self,
                                                   gboolean             force_login,
                                                   ImgscanProgressFunc  progress,
                                                   gpointer             progress_data,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean      imgscan_client_ensure_token_finish  (GAsyncResult        *result,
                                                   GError             **error);

G_END_DECLS
