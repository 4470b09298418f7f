/* imgscan-client-login.c: credentials, the cached token, the keyring and the login itself
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-client"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "imgscan-client-private.h"
#include "imgscan-client-error.h"
#include "imgscan-keyring.h"

/* Renew a token when less than this is left. */
#define TOKEN_MARGIN (5 * G_TIME_SPAN_MINUTE)
/* A token whose expiry we could not read: Copyleaks documents 48 hours. */
#define TOKEN_DEFAULT_LIFETIME (48 * G_TIME_SPAN_HOUR)

void
imgscan_client_set_bearer (ImgscanClient *self,
                           SoupMessage   *msg)
{
  g_autofree char *value = g_strconcat ("Bearer ", self->token, NULL);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
  imgscan_client_wipe_string (&value);
}

static gboolean
token_is_fresh (GDateTime *expires)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return expires != NULL && g_date_time_difference (expires, now) >= TOKEN_MARGIN;
}

static gboolean
has_fresh_token (ImgscanClient *self)
{
  return self->token != NULL && token_is_fresh (self->token_expires);
}

void
imgscan_client_forget_token (ImgscanClient *self)
{
  imgscan_client_wipe_string (&self->token);
  g_clear_pointer (&self->token_expires, g_date_time_unref);
}

/* ---- credentials and tokens from the environment and the keyring ---- */

typedef struct
{
  char      *email;
  char      *key;
  char      *token;
  GDateTime *expires;
  gboolean   use_keyring;
} KeyringJob;

static void
keyring_job_free (KeyringJob *job)
{
  g_free (job->email);
  imgscan_client_wipe_string (&job->key);
  imgscan_client_wipe_string (&job->token);
  g_clear_pointer (&job->expires, g_date_time_unref);
  g_free (job);
}

gboolean
imgscan_client_lookup_credentials (gboolean       use_keyring,
                                   char         **email,
                                   char         **key,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  const char *env_email = g_getenv ("IMGSCAN_EMAIL");
  const char *env_key = g_getenv ("IMGSCAN_API_KEY");
  g_autoptr(GError) local_error = NULL;

  *email = NULL;
  *key = NULL;
  if (env_email != NULL && *env_email != '\0' && env_key != NULL && *env_key != '\0')
    {
      *email = g_strdup (env_email);
      *key = g_strdup (env_key);
      return TRUE;
    }
  if (!use_keyring)
    return FALSE;
  if (imgscan_keyring_lookup_account (email, key, cancellable, &local_error))
    return TRUE;
  if (local_error != NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, IMGSCAN_CLIENT_ERROR, IMGSCAN_CLIENT_ERROR_NO_CREDENTIALS,
                     _("The keyring could not be read (%s). Unlock it and try again, or set "
                       "IMGSCAN_EMAIL and IMGSCAN_API_KEY."), local_error->message);
    }
  return FALSE;
}

static void
credentials_thread (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  KeyringJob *job = task_data;
  GError *error = NULL;

  if (imgscan_client_lookup_credentials (job->use_keyring, &job->email, &job->key, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, FALSE);
}

static void
token_lookup_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  KeyringJob *job = task_data;
  g_autoptr(GError) error = NULL;

  /* Any keyring trouble just means logging in again. */
  if (!imgscan_keyring_lookup_token (job->email, &job->token, &job->expires, cancellable, &error)
      && error != NULL)
    g_debug ("No cached token from the keyring: %s", error->message);
  g_task_return_boolean (task, job->token != NULL);
}

static void
token_store_thread (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  KeyringJob *job = task_data;
  g_autoptr(GError) error = NULL;

  if (!imgscan_keyring_store_token (job->email, job->token, job->expires, cancellable, &error))
    g_debug ("Could not cache the token in the keyring: %s", error != NULL ? error->message : "?");
  g_task_return_boolean (task, TRUE);
}

/* ---- ensuring a token: credentials → cached token → keyring token → login ---- */

typedef struct
{
  gboolean             force_login;
  ImgscanProgressFunc  progress;
  gpointer             progress_data;
  gulong               cancel_id;
} TokenData;

static void
token_data_free (TokenData *data)
{
  g_free (data);
}

static void token_after_credentials (GTask *task);
static void token_login (GTask *task);

static void
credentials_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ImgscanClient *self = g_task_get_source_object (task);
  KeyringJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (error == NULL)
        error = g_error_new (IMGSCAN_CLIENT_ERROR, IMGSCAN_CLIENT_ERROR_NO_CREDENTIALS,
                             _("No Copyleaks account is set up. Sign in with your email address "
                               "and API key, or set IMGSCAN_EMAIL and IMGSCAN_API_KEY."));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Another call may have set credentials meanwhile: those win. */
  if (self->email == NULL || self->key == NULL)
    imgscan_client_set_credentials (self, job->email, job->key);
  token_after_credentials (g_steal_pointer (&task));
}

void
imgscan_client_ensure_token_async (ImgscanClient       *self,
                                   gboolean             force_login,
                                   ImgscanProgressFunc  progress,
                                   gpointer             progress_data,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  TokenData *data = g_new0 (TokenData, 1);

  g_task_set_source_tag (task, imgscan_client_ensure_token_async);
  data->force_login = force_login;
  data->progress = progress;
  data->progress_data = progress_data;
  g_task_set_task_data (task, data, (GDestroyNotify) token_data_free);

  if (!imgscan_client_has_credentials (self))
    {
      GTask *thread_task = g_task_new (self, cancellable, credentials_cb, task);
      KeyringJob *job = g_new0 (KeyringJob, 1);

      job->use_keyring = self->use_keyring;
      g_task_set_task_data (thread_task, job, (GDestroyNotify) keyring_job_free);
      g_task_run_in_thread (thread_task, credentials_thread);
      g_object_unref (thread_task);
      return;
    }
  token_after_credentials (task);
}

gboolean
imgscan_client_ensure_token_finish (GAsyncResult  *result,
                                    GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
token_lookup_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ImgscanClient *self = g_task_get_source_object (task);
  KeyringJob *job = g_task_get_task_data (G_TASK (result));

  if (g_task_return_error_if_cancelled (task))
    return;
  if (g_task_propagate_boolean (G_TASK (result), NULL)
      && g_strcmp0 (job->email, self->email) == 0
      && token_is_fresh (job->expires))
    {
      imgscan_client_forget_token (self);
      self->token = g_steal_pointer (&job->token);
      self->token_expires = g_steal_pointer (&job->expires);
      g_task_return_boolean (task, TRUE);
      return;
    }
  token_login (g_steal_pointer (&task));
}

static void
token_after_credentials (GTask *task)
{
  ImgscanClient *self = g_task_get_source_object (task);
  TokenData *data = g_task_get_task_data (task);

  if (!data->force_login && has_fresh_token (self))
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  if (!data->force_login && self->use_keyring)
    {
      GTask *thread_task = g_task_new (self, g_task_get_cancellable (task), token_lookup_cb, task);
      KeyringJob *job = g_new0 (KeyringJob, 1);

      job->email = g_strdup (self->email);
      g_task_set_task_data (thread_task, job, (GDestroyNotify) keyring_job_free);
      g_task_run_in_thread (thread_task, token_lookup_thread);
      g_object_unref (thread_task);
      return;
    }
  token_login (task);
}

/* One login at a time per client: whoever needs a token while a login is under way
 * waits for that one, so concurrent scans and the credit balance cost one login. */
typedef struct
{
  ImgscanClient *self;
  GPtrArray     *waiters;      /* GTask, each holding its own reference */
  GCancellable  *cancellable;  /* cancelled when every waiter has gone */
  SoupMessage   *msg;
  char          *email;
} LoginFlight;

static void
login_flight_free (LoginFlight *flight)
{
  g_assert (flight->waiters->len == 0);
  if (flight->self->login_flight == flight)
    flight->self->login_flight = NULL;
  g_object_unref (flight->self);
  g_ptr_array_unref (flight->waiters);
  g_object_unref (flight->cancellable);
  g_clear_object (&flight->msg);
  g_free (flight->email);
  g_free (flight);
}

static void
waiter_detach (GTask *task)
{
  TokenData *data = g_task_get_task_data (task);

  if (data->cancel_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), data->cancel_id);
  data->cancel_id = 0;
}

/* Completes every waiter with the flight's outcome; @error may be NULL. */
static void
login_flight_finish (LoginFlight  *flight,
                     const GError *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&flight->waiters);

  flight->waiters = g_ptr_array_new ();
  if (flight->self->login_flight == flight)
    flight->self->login_flight = NULL;

  for (guint i = 0; i < waiters->len; i++)
    {
      g_autoptr(GTask) task = waiters->pdata[i];

      waiter_detach (task);
      if (g_task_return_error_if_cancelled (task))
        continue;
      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
  login_flight_free (flight);
}

static gboolean
waiter_cancelled_idle (gpointer user_data)
{
  GTask *task = user_data;
  ImgscanClient *self = g_task_get_source_object (task);
  LoginFlight *flight = self->login_flight;

  if (flight == NULL || !g_ptr_array_remove (flight->waiters, task))
    return G_SOURCE_REMOVE;

  waiter_detach (task);
  g_task_return_error_if_cancelled (task);
  g_object_unref (task);

  /* Nobody waits any more: stop the login, and let the next caller start afresh. */
  if (flight->waiters->len == 0)
    {
      self->login_flight = NULL;
      g_cancellable_cancel (flight->cancellable);
    }
  return G_SOURCE_REMOVE;
}

/* Runs inside the cancellation, maybe in another thread: always defer to the task's own
 * context (g_main_context_invoke() could run it right here, where disconnecting from the
 * cancellable would deadlock). */
static void
waiter_cancelled_cb (GCancellable *cancellable,
                     GTask        *task)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, waiter_cancelled_idle, g_object_ref (task), g_object_unref);
  g_source_attach (source, g_task_get_context (task));
}

static void
token_store_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  LoginFlight *flight = user_data;

  g_task_propagate_boolean (G_TASK (result), NULL);
  login_flight_finish (flight, NULL);
}

static gboolean
parse_login_reply (ImgscanClient  *self,
                   GBytes         *body,
                   char          **token_out,
                   GDateTime     **expires_out,
                   GError        **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize size = 0;
  const char *text = g_bytes_get_data (body, &size);
  JsonNode *root;
  JsonObject *obj;
  JsonNode *node;
  const char *token;
  GDateTime *expires = NULL;

  if (size == 0 || !json_parser_load_from_data (parser, text, size, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    goto invalid;
  obj = json_node_get_object (root);
  node = json_object_get_member (obj, "access_token");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    goto invalid;
  token = json_node_get_string (node);
  if (token == NULL || *token == '\0')
    goto invalid;

  node = json_object_get_member (obj, ".expires");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    expires = g_date_time_new_from_iso8601 (json_node_get_string (node), NULL);
  if (expires == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      expires = g_date_time_add (now, TOKEN_DEFAULT_LIFETIME);
    }

  *token_out = g_strdup (token);
  *expires_out = expires;
  return TRUE;

invalid:
  g_set_error (error, IMGSCAN_CLIENT_ERROR, IMGSCAN_CLIENT_ERROR_INVALID_RESPONSE,
               _("The sign-in reply from %s is not what Copyleaks sends. Check IMGSCAN_ID_URL "
                 "and try again."), self->id_url);
  return FALSE;
}

static void
login_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  LoginFlight *flight = user_data;
  ImgscanClient *self = flight->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) reported = NULL;
  g_autoptr(GBytes) body = imgscan_client_send_and_read_finish (result, &error);
  g_autoptr(GDateTime) expires = NULL;
  char *token = NULL;
  guint status;

  if (body == NULL)
    {
      if (imgscan_client_is_transport_error (error))
        reported = imgscan_client_network_error (self, error, FALSE);
      else
        reported = g_steal_pointer (&error);
      login_flight_finish (flight, reported);
      return;
    }

  status = soup_message_get_status (flight->msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      const char *reason = soup_message_get_reason_phrase (flight->msg);

      reported = imgscan_client_error_for_reply (IMGSCAN_REQUEST_LOGIN, status, reason, body);
      login_flight_finish (flight, reported);
      return;
    }
  if (!parse_login_reply (self, body, &token, &expires, &error))
    {
      login_flight_finish (flight, error);
      return;
    }

  /* Signed in as someone else meanwhile: this token is not theirs. */
  if (g_strcmp0 (flight->email, self->email) != 0)
    {
      imgscan_client_wipe_string (&token);
      reported = g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                              _("The account changed during the sign-in"));
      login_flight_finish (flight, reported);
      return;
    }

  imgscan_client_forget_token (self);
  self->token = token;
  self->token_expires = g_date_time_ref (expires);

  if (self->use_keyring)
    {
      GTask *thread_task = g_task_new (self, NULL, token_store_cb, flight);
      KeyringJob *job = g_new0 (KeyringJob, 1);

      job->email = g_strdup (self->email);
      job->token = g_strdup (self->token);
      job->expires = g_date_time_ref (self->token_expires);
      g_task_set_task_data (thread_task, job, (GDestroyNotify) keyring_job_free);
      g_task_run_in_thread (thread_task, token_store_thread);
      g_object_unref (thread_task);
      return;
    }
  login_flight_finish (flight, NULL);
}

static LoginFlight *
login_flight_start (ImgscanClient  *self,
                    GError        **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessage *msg;
  LoginFlight *flight;
  char *text;

  msg = imgscan_client_new_message (SOUP_METHOD_POST, self->id_url, "/v3/account/login/api", error);
  if (msg == NULL)
    return NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, self->email);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, self->key);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  body = g_bytes_new_take (text, strlen (text));
  soup_message_set_request_body_from_bytes (msg, "application/json", body);

  flight = g_new0 (LoginFlight, 1);
  flight->self = g_object_ref (self);
  flight->waiters = g_ptr_array_new ();
  flight->cancellable = g_cancellable_new ();
  flight->msg = msg;
  flight->email = g_strdup (self->email);
  self->login_flight = flight;

  self->n_logins++;
  imgscan_client_send_and_read_async (self, msg, flight->cancellable, login_cb, flight);
  return flight;
}

static void
token_login (GTask *task)
{
  ImgscanClient *self = g_task_get_source_object (task);
  TokenData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  LoginFlight *flight = self->login_flight;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  /* A forced login after a 401 must not ride on a login that started before it. */
  if (flight != NULL && data->force_login)
    flight = NULL;
  if (flight == NULL && (flight = login_flight_start (self, &error)) == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  if (data->progress != NULL)
    data->progress (IMGSCAN_CLIENT_PHASE_LOGGING_IN, 0, 0, data->progress_data);

  /* The progress callback may have cancelled us. */
  if (g_task_return_error_if_cancelled (task))
    {
      if (flight->waiters->len == 0)
        {
          if (self->login_flight == flight)
            self->login_flight = NULL;
          g_cancellable_cancel (flight->cancellable);
        }
      g_object_unref (task);
      return;
    }

  g_ptr_array_add (flight->waiters, task);
  if (cancellable != NULL)
    data->cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (waiter_cancelled_cb), task, NULL);
}

/* ---- login ---- */

static void
login_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (imgscan_client_ensure_token_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
imgscan_client_login_async (ImgscanClient       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (IMGSCAN_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, imgscan_client_login_async);
  imgscan_client_ensure_token_async (self, TRUE, NULL, NULL, cancellable, login_done_cb, task);
}

gboolean
imgscan_client_login_finish (ImgscanClient  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (IMGSCAN_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == imgscan_client_login_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

