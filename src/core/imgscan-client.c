/* imgscan-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-client"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "imgscan-client.h"
#include "imgscan-client-error.h"
#include "imgscan-client-private.h"
#include "imgscan-keyring.h"
#include "imgscan-upload-stream.h"

/* Retries of a 429 or a 503, each after a longer wait. */
#define MAX_BACKOFF_RETRIES 3
#define MAX_WAIT_MS (60 * 1000)
/* Report upload progress at most once per this many bytes, or per this fraction of the
 * body if larger (plus the last one): smooth enough for a progress bar, and each step
 * is a hand-over between threads. */
#define PROGRESS_STEP (64 * 1024)
#define PROGRESS_STEPS 100

G_DEFINE_FINAL_TYPE (ImgscanClient, imgscan_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (imgscan-client-error-quark, imgscan_client_error)

enum {
  PROP_0,
  PROP_EMAIL,
  PROP_USE_KEYRING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
base_url_from (const char *given,
               const char *env_name,
               const char *fallback)
{
  const char *env = g_getenv (env_name);
  const char *url = given;
  gsize len;

  /* An empty value counts as unset (meson tests cannot unset a variable). */
  if (url == NULL || *url == '\0')
    url = (env != NULL && *env != '\0') ? env : fallback;
  len = strlen (url);
  while (len > 0 && url[len - 1] == '/')
    len--;
  return g_strndup (url, len);
}

/* 1, 2, 4 … seconds plus 1–10 s of jitter, or Retry-After plus up to 1 s, capped. */
static gint64
backoff_ms (ImgscanClient *self,
            guint          attempt,
            gint64         retry_after_ms)
{
  gint64 ms;

  if (retry_after_ms >= 0)
    ms = retry_after_ms + g_random_int_range (0, 1000);
  else
    ms = ((gint64) 1000 << MIN (attempt, 6)) + g_random_int_range (1000, 10001);
  ms = MIN (ms, MAX_WAIT_MS);
  return (gint64) (ms * self->backoff_scale);
}

/* ---- the check ---- */

typedef struct _Report Report;

typedef struct
{
  GTask               *task;   /* the check this belongs to; not a reference */
  GFile               *file;
  char                *scan_id;
  gboolean             sandbox;
  ImgscanProgressFunc  progress;
  gpointer             progress_data;
  GDestroyNotify       progress_destroy;

  ImgscanImageInfo    *info;
  SoupMessage         *msg;
  GBytes              *raw_reply;

  guint64              upload_total;
  guint64              upload_done;
  guint64              upload_reported;
  gboolean             upload_complete;
  /* The last progress handed from the sending thread; it holds the task, so it is
   * dropped as soon as the send ends. */
  Report              *pending_report;

  guint                n_backoffs;
  gboolean             relogged;
  gboolean             resent;
} CheckData;

static void
check_data_drop_message (CheckData *data)
{
  if (data->msg != NULL)
    g_signal_handlers_disconnect_by_data (data->msg, data);
  g_clear_object (&data->msg);
}

static void
check_data_free (CheckData *data)
{
  check_data_drop_message (data);
  g_clear_object (&data->file);
  g_free (data->scan_id);
  if (data->progress_destroy != NULL)
    data->progress_destroy (data->progress_data);
  g_clear_object (&data->info);
  g_clear_pointer (&data->raw_reply, g_bytes_unref);
  g_free (data);
}

static void
check_report (CheckData          *data,
              ImgscanClientPhase  phase,
              guint64             done,
              guint64             total)
{
  if (data->progress != NULL)
    data->progress (phase, done, total, data->progress_data);
}

static void check_send (GTask *task);

static void
image_check_thread (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GError *error = NULL;
  ImgscanImageInfo *info = imgscan_image_check (G_FILE (task_data), cancellable, &error);

  if (info == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, info, g_object_unref);
}

static void
check_token_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!imgscan_client_ensure_token_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  check_send (g_steal_pointer (&task));
}

static void
image_checked_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CheckData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->info = g_task_propagate_pointer (G_TASK (result), &error);
  if (data->info == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  imgscan_client_ensure_token_async (g_task_get_source_object (task), FALSE,
                                     data->progress, data->progress_data,
                                     g_task_get_cancellable (task), check_token_cb,
                                     g_object_ref (task));
}

/* The body is sent from a worker thread (see imgscan_upload_send_async()), where libsoup
 * emits the message's signals. Progress is handed to the check's own main context, and
 * the sender never runs more than one step ahead of the caller: before it hands over a
 * step it waits until the previous one has been seen there (or the check is cancelled).
 * So a cancel, or anything else done from the progress callback, takes effect within
 * one step, while the main thread's turn overlaps with the sending of the next one. */
struct _Report
{
  GTask              *task;
  ImgscanClientPhase  phase;
  guint64             done;
  guint64             total;

  GMutex              lock;
  GCond               cond;
  gboolean            seen;
};

static void
report_clear (Report *report)
{
  g_object_unref (report->task);
  g_mutex_clear (&report->lock);
  g_cond_clear (&report->cond);
}

static void
report_unref (Report *report)
{
  g_atomic_rc_box_release_full (report, (GDestroyNotify) report_clear);
}

static void
report_set_seen (Report *report)
{
  g_mutex_lock (&report->lock);
  report->seen = TRUE;
  g_cond_signal (&report->cond);
  g_mutex_unlock (&report->lock);
}

static gboolean
report_cb (gpointer user_data)
{
  Report *report = user_data;

  /* Nothing after a cancel: the caller has moved on. */
  if (!g_task_get_completed (report->task)
      && !g_cancellable_is_cancelled (g_task_get_cancellable (report->task)))
    check_report (g_task_get_task_data (report->task), report->phase, report->done, report->total);
  report_set_seen (report);
  return G_SOURCE_REMOVE;
}

static void
report_cancelled_cb (GCancellable *cancellable,
                     Report       *report)
{
  report_set_seen (report);
}

static void
report_wait_seen (Report       *report,
                  GCancellable *cancellable)
{
  gulong cancel_id = 0;

  if (cancellable != NULL)
    cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (report_cancelled_cb), report, NULL);
  g_mutex_lock (&report->lock);
  while (!report->seen)
    g_cond_wait (&report->cond, &report->lock);
  g_mutex_unlock (&report->lock);
  g_cancellable_disconnect (cancellable, cancel_id);
}

static void
check_report_from_thread (CheckData          *data,
                          ImgscanClientPhase  phase,
                          guint64             done,
                          guint64             total)
{
  Report *report;

  if (data->progress == NULL)
    return;

  if (data->pending_report != NULL)
    {
      report_wait_seen (data->pending_report, g_task_get_cancellable (data->task));
      g_clear_pointer (&data->pending_report, report_unref);
    }

  report = g_atomic_rc_box_new0 (Report);
  report->task = g_object_ref (data->task);
  report->phase = phase;
  report->done = done;
  report->total = total;
  g_mutex_init (&report->lock);
  g_cond_init (&report->cond);
  data->pending_report = report;
  g_main_context_invoke_full (g_task_get_context (data->task), G_PRIORITY_DEFAULT, report_cb,
                              g_atomic_rc_box_acquire (report), (GDestroyNotify) report_unref);
}

/* In the sending thread; only that thread touches the upload counters meanwhile. */
static void
wrote_body_data_cb (SoupMessage *msg,
                    guint        chunk_size,
                    CheckData   *data)
{
  data->upload_done = MIN (data->upload_done + chunk_size, data->upload_total);
  if (data->upload_done == data->upload_total
      || data->upload_reported == 0
      || data->upload_done - data->upload_reported >= MAX (PROGRESS_STEP,
                                                           data->upload_total / PROGRESS_STEPS))
    {
      data->upload_reported = data->upload_done;
      check_report_from_thread (data, IMGSCAN_CLIENT_PHASE_UPLOADING, data->upload_done,
                                data->upload_total);
    }
}

static void
wrote_body_cb (SoupMessage *msg,
               CheckData   *data)
{
  data->upload_complete = TRUE;
  check_report_from_thread (data, IMGSCAN_CLIENT_PHASE_SEARCHING, 0, 0);
}

static void
retry_wait_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!imgscan_client_wait_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  check_send (g_steal_pointer (&task));
}

static void
check_retry_after (GTask  *task,
                   gint64  wait_ms)
{
  CheckData *data = g_task_get_task_data (task);

  check_data_drop_message (data);
  imgscan_client_wait_async (wait_ms, data->progress, data->progress_data, g_task_get_cancellable (task),
                             retry_wait_cb, task);
}

static void
relogin_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!imgscan_client_ensure_token_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  check_send (g_steal_pointer (&task));
}

static void
check_reply_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ImgscanClient *self = g_task_get_source_object (task);
  CheckData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = imgscan_upload_send_finish (result, &error);
  g_autoptr(GError) reply_error = NULL;
  ImgscanResult *parsed;
  guint status;

  g_clear_pointer (&data->pending_report, report_unref);

  if (body == NULL)
    {
      if (!imgscan_client_is_transport_error (error))
        g_task_return_error (task, g_steal_pointer (&error));
      else if (!data->resent)
        {
          /* The scan may have run and been billed: resend once, with the same scanId. */
          g_debug ("Lost the connection (%s); sending scan %s once more", error->message, data->scan_id);
          data->resent = TRUE;
          check_retry_after (g_steal_pointer (&task), backoff_ms (self, 0, -1));
        }
      else
        g_task_return_error (task, imgscan_client_network_error (self, error, data->upload_complete));
      return;
    }

  status = soup_message_get_status (data->msg);
  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      /* Paid for: keep the bytes even when they cannot be read. */
      data->raw_reply = g_bytes_ref (body);
      parsed = imgscan_result_new_from_bytes (body, &error);
      if (parsed == NULL)
        g_task_return_new_error (task, IMGSCAN_CLIENT_ERROR, IMGSCAN_CLIENT_ERROR_INVALID_RESPONSE,
                                 _("Copyleaks' reply could not be read (%s). The reply was kept; "
                                   "try again, and report this if it keeps happening."),
                                 error != NULL ? error->message : "?");
      else
        g_task_return_pointer (task, parsed, g_object_unref);
      return;
    }

  if (status == SOUP_STATUS_UNAUTHORIZED && !data->relogged)
    {
      data->relogged = TRUE;
      imgscan_client_forget_token (self);
      check_data_drop_message (data);
      imgscan_client_ensure_token_async (self, TRUE, data->progress, data->progress_data,
                                         g_task_get_cancellable (task), relogin_cb, g_object_ref (task));
      return;
    }
  if ((status == 429 || status == 503) && data->n_backoffs < MAX_BACKOFF_RETRIES)
    {
      SoupMessageHeaders *headers = soup_message_get_response_headers (data->msg);
      gint64 retry_after = imgscan_client_parse_retry_after (headers);

      check_retry_after (g_steal_pointer (&task), backoff_ms (self, data->n_backoffs++, retry_after));
      return;
    }
  if (status >= 500 && status != 503 && !data->resent)
    {
      data->resent = TRUE;
      check_retry_after (g_steal_pointer (&task), backoff_ms (self, 0, -1));
      return;
    }

  reply_error = imgscan_client_error_for_reply (IMGSCAN_REQUEST_CHECK, status,
                                                soup_message_get_reason_phrase (data->msg), body);
  g_task_return_error (task, g_steal_pointer (&reply_error));
}

static void
file_opened_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ImgscanClient *self = g_task_get_source_object (task);
  CheckData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInputStream) file_stream = g_file_read_finish (G_FILE (source), result, &error);
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GBytes) prefix = NULL;
  g_autoptr(GBytes) suffix = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *boundary = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *escaped_id = NULL;
  g_autofree char *path = NULL;

  if (file_stream == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, IMGSCAN_IMAGE_ERROR, IMGSCAN_IMAGE_ERROR_UNREADABLE,
                                 _("%s could not be opened for sending (%s). Check that it is "
                                   "still there and readable."),
                                 imgscan_image_info_get_basename (data->info), error->message);
      return;
    }

  uuid = g_uuid_string_random ();
  boundary = g_strdup_printf ("imgscan-%s", uuid);
  imgscan_multipart_build (boundary,
                           imgscan_image_info_get_basename (data->info),
                           imgscan_image_info_get_mime_type (data->info),
                           data->sandbox, &prefix, &suffix);
  body = imgscan_upload_stream_new (prefix, G_INPUT_STREAM (file_stream),
                                    imgscan_image_info_get_size (data->info), suffix);
  data->upload_total = imgscan_upload_stream_get_length (IMGSCAN_UPLOAD_STREAM (body));
  data->upload_done = 0;
  data->upload_reported = 0;
  data->upload_complete = FALSE;

  escaped_id = g_uri_escape_string (data->scan_id, NULL, FALSE);
  path = g_strdup_printf ("/v1/image-plagiarism-detector/%s/check", escaped_id);
  data->msg = imgscan_client_new_message (SOUP_METHOD_POST, self->api_url, path, &error);
  if (data->msg == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  imgscan_client_set_bearer (self, data->msg);
  content_type = g_strdup_printf ("multipart/form-data; boundary=%s", boundary);
  soup_message_set_request_body (data->msg, content_type, body, data->upload_total);
  g_signal_connect (data->msg, "wrote-body-data", G_CALLBACK (wrote_body_data_cb), data);
  g_signal_connect (data->msg, "wrote-body", G_CALLBACK (wrote_body_cb), data);

  check_report (data, IMGSCAN_CLIENT_PHASE_UPLOADING, 0, data->upload_total);
  imgscan_upload_send_async (self->session, data->msg, IMGSCAN_MAX_REPLY_SIZE,
                             g_task_get_cancellable (task), check_reply_cb, g_object_ref (task));
}

/* Opens the file afresh for every attempt: a body stream can be sent only once. */
static void
check_send (GTask *task)
{
  CheckData *data = g_task_get_task_data (task);

  check_data_drop_message (data);
  g_file_read_async (imgscan_image_info_get_file (data->info), G_PRIORITY_DEFAULT,
                     g_task_get_cancellable (task), file_opened_cb, task);
}

/* Our rule for caller-given ids: what a fresh UUID could be, 3–36 characters. */
static gboolean
scan_id_is_valid (const char *scan_id)
{
  gsize len = strlen (scan_id);

  if (len < 3 || len > 36)
    return FALSE;
  for (const char *p = scan_id; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

void
imgscan_client_check_async (ImgscanClient       *self,
                            GFile               *image,
                            const char          *scan_id,
                            gboolean             sandbox,
                            ImgscanProgressFunc  progress,
                            gpointer             progress_data,
                            GDestroyNotify       progress_destroy,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  GTask *thread_task;
  CheckData *data;

  g_return_if_fail (IMGSCAN_IS_CLIENT (self));
  g_return_if_fail (G_IS_FILE (image));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, imgscan_client_check_async);
  data = g_new0 (CheckData, 1);
  data->task = task;
  data->file = g_object_ref (image);
  data->scan_id = scan_id != NULL ? g_strdup (scan_id) : imgscan_new_scan_id ();
  data->sandbox = !!sandbox;
  data->progress = progress;
  data->progress_data = progress_data;
  data->progress_destroy = progress_destroy;
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);

  if (!scan_id_is_valid (data->scan_id))
    {
      g_task_return_new_error (task, IMGSCAN_CLIENT_ERROR, IMGSCAN_CLIENT_ERROR_INVALID_INPUT,
                               _("“%s” cannot be a scan ID: use 3 to 36 lower-case letters, digits, "
                                 "“-”, “_” or “.”, or leave it out for a fresh one."), data->scan_id);
      g_object_unref (task);
      return;
    }

  check_report (data, IMGSCAN_CLIENT_PHASE_CHECKING, 0, 0);
  thread_task = g_task_new (self, cancellable, image_checked_cb, task);
  g_task_set_task_data (thread_task, g_object_ref (image), g_object_unref);
  g_task_run_in_thread (thread_task, image_check_thread);
  g_object_unref (thread_task);
}

ImgscanResult *
imgscan_client_check_finish (ImgscanClient     *self,
                             GAsyncResult      *result,
                             GBytes           **raw_reply,
                             ImgscanImageInfo **image_info,
                             GError           **error)
{
  CheckData *data;

  g_return_val_if_fail (IMGSCAN_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == imgscan_client_check_async, NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (raw_reply != NULL)
    *raw_reply = data->raw_reply != NULL ? g_bytes_ref (data->raw_reply) : NULL;
  if (image_info != NULL)
    *image_info = data->info != NULL ? g_object_ref (data->info) : NULL;
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
imgscan_client_check_get_scan_id (ImgscanClient *self,
                                  GAsyncResult  *result)
{
  CheckData *data;

  g_return_val_if_fail (IMGSCAN_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == imgscan_client_check_async, NULL);

  data = g_task_get_task_data (G_TASK (result));
  return data->scan_id;
}

gboolean
imgscan_client_check_was_resent (ImgscanClient *self,
                                 GAsyncResult  *result)
{
  CheckData *data;

  g_return_val_if_fail (IMGSCAN_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == imgscan_client_check_async, FALSE);

  data = g_task_get_task_data (G_TASK (result));
  return data->resent;
}

/* ---- credits ---- */

typedef struct
{
  SoupMessage *msg;
  gboolean     relogged;
} CreditsData;

static void
credits_data_free (CreditsData *data)
{
  g_clear_object (&data->msg);
  g_free (data);
}

static void credits_send (GTask *task);

static void
credits_token_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!imgscan_client_ensure_token_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  credits_send (g_steal_pointer (&task));
}

static void
credits_reply_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ImgscanClient *self = g_task_get_source_object (task);
  CreditsData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = imgscan_client_send_and_read_finish (result, &error);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;
  JsonNode *amount;
  guint status;
  gsize size;
  const char *text;

  if (body == NULL)
    {
      if (imgscan_client_is_transport_error (error))
        g_task_return_error (task, imgscan_client_network_error (self, error, FALSE));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  status = soup_message_get_status (data->msg);
  if (status == SOUP_STATUS_UNAUTHORIZED && !data->relogged)
    {
      data->relogged = TRUE;
      imgscan_client_forget_token (self);
      imgscan_client_ensure_token_async (self, TRUE, NULL, NULL, g_task_get_cancellable (task),
                                         credits_token_cb, g_object_ref (task));
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      const char *reason = soup_message_get_reason_phrase (data->msg);

      g_task_return_error (task, imgscan_client_error_for_reply (IMGSCAN_REQUEST_CREDITS, status,
                                                                 reason, body));
      return;
    }

  text = g_bytes_get_data (body, &size);
  if (size > 0 && json_parser_load_from_data (parser, text, size, NULL)
      && (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root)
      && (amount = json_object_get_member (json_node_get_object (root), "Amount")) != NULL
      && JSON_NODE_HOLDS_VALUE (amount) && json_node_get_value_type (amount) == G_TYPE_INT64)
    {
      g_task_return_int (task, json_node_get_int (amount));
      return;
    }
  g_task_return_new_error (task, IMGSCAN_CLIENT_ERROR, IMGSCAN_CLIENT_ERROR_INVALID_RESPONSE,
                           _("The credit balance from %s is not what Copyleaks sends. Check "
                             "IMGSCAN_API_URL and try again."), self->api_url);
}

static void
credits_send (GTask *task)
{
  ImgscanClient *self = g_task_get_source_object (task);
  CreditsData *data = g_task_get_task_data (task);
  GError *error = NULL;

  g_clear_object (&data->msg);
  data->msg = imgscan_client_new_message (SOUP_METHOD_GET, self->api_url, "/v3/scans/credits", &error);
  if (data->msg == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  imgscan_client_set_bearer (self, data->msg);
  imgscan_client_send_and_read_async (self, data->msg, g_task_get_cancellable (task),
                                      credits_reply_cb, task);
}

void
imgscan_client_get_credits_async (ImgscanClient       *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (IMGSCAN_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, imgscan_client_get_credits_async);
  g_task_set_task_data (task, g_new0 (CreditsData, 1), (GDestroyNotify) credits_data_free);
  imgscan_client_ensure_token_async (self, FALSE, NULL, NULL, cancellable, credits_token_cb, task);
}

gint64
imgscan_client_get_credits_finish (ImgscanClient  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  g_return_val_if_fail (IMGSCAN_IS_CLIENT (self), -1);
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == imgscan_client_get_credits_async, -1);

  return g_task_propagate_int (G_TASK (result), error);
}

/* ---- object ---- */

static void
imgscan_client_dispose (GObject *object)
{
  ImgscanClient *self = IMGSCAN_CLIENT (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (imgscan_client_parent_class)->dispose (object);
}

static void
imgscan_client_finalize (GObject *object)
{
  ImgscanClient *self = IMGSCAN_CLIENT (object);

  g_free (self->id_url);
  g_free (self->api_url);
  g_free (self->email);
  imgscan_client_wipe_string (&self->key);
  imgscan_client_forget_token (self);

  G_OBJECT_CLASS (imgscan_client_parent_class)->finalize (object);
}

static void
imgscan_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ImgscanClient *self = IMGSCAN_CLIENT (object);

  switch (prop_id)
    {
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_USE_KEYRING:
      g_value_set_boolean (value, self->use_keyring);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
imgscan_client_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ImgscanClient *self = IMGSCAN_CLIENT (object);

  switch (prop_id)
    {
    case PROP_USE_KEYRING:
      imgscan_client_set_use_keyring (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
imgscan_client_class_init (ImgscanClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = imgscan_client_dispose;
  object_class->finalize = imgscan_client_finalize;
  object_class->get_property = imgscan_client_get_property;
  object_class->set_property = imgscan_client_set_property;

  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_USE_KEYRING] =
    g_param_spec_boolean ("use-keyring", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
imgscan_client_init (ImgscanClient *self)
{
  self->backoff_scale = 1.0;
  /* A synchronous scan may take a minute or two before the first reply byte. */
  self->session = soup_session_new_with_options ("user-agent", "ImgScan/" PACKAGE_VERSION,
                                                 "timeout", 180,
                                                 "idle-timeout", 60,
                                                 NULL);
  /* libsoup 3 sessions decode gzip by default; make sure, since we ask for it. */
  if (!soup_session_has_feature (self->session, SOUP_TYPE_CONTENT_DECODER))
    soup_session_add_feature_by_type (self->session, SOUP_TYPE_CONTENT_DECODER);
}

/* $IMGSCAN_BACKOFF_SCALE, for tests of programs built on the client (the CLI's): it can
 * only shorten the waits, so it cannot be used to hammer the service. */
static double
backoff_scale_from_env (void)
{
  const char *value = g_getenv ("IMGSCAN_BACKOFF_SCALE");
  char *end = NULL;
  double scale;

  if (value == NULL || *value == '\0')
    return 1.0;
  scale = g_ascii_strtod (value, &end);
  if (end == value || *end != '\0' || !(scale >= 0.0 && scale <= 1.0))
    return 1.0;
  return scale;
}

static gboolean
is_loopback_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

ImgscanClient *
imgscan_client_new (const char *id_url,
                    const char *api_url)
{
  ImgscanClient *self = g_object_new (IMGSCAN_TYPE_CLIENT, NULL);

  self->id_url = base_url_from (id_url, "IMGSCAN_ID_URL", IMGSCAN_DEFAULT_ID_URL);
  self->api_url = base_url_from (api_url, "IMGSCAN_API_URL", IMGSCAN_DEFAULT_API_URL);
  self->use_keyring = imgscan_keyring_is_available ();
  self->backoff_scale = backoff_scale_from_env ();

  /* The demo and the tests talk to 127.0.0.1: never through a proxy, and without asking
   * the desktop's proxy settings (which need GSettings schemas an isolated test hides). */
  if (is_loopback_url (self->id_url) && is_loopback_url (self->api_url))
    soup_session_set_proxy_resolver (self->session, NULL);
  return self;
}

const char *
imgscan_client_get_id_url (ImgscanClient *self)
{
  g_return_val_if_fail (IMGSCAN_IS_CLIENT (self), NULL);
  return self->id_url;
}

const char *
imgscan_client_get_api_url (ImgscanClient *self)
{
  g_return_val_if_fail (IMGSCAN_IS_CLIENT (self), NULL);
  return self->api_url;
}

void
imgscan_client_set_credentials (ImgscanClient *self,
                                const char    *email,
                                const char    *key)
{
  g_return_if_fail (IMGSCAN_IS_CLIENT (self));

  if (email != NULL && *email == '\0')
    email = NULL;
  if (key != NULL && *key == '\0')
    key = NULL;

  if (g_strcmp0 (email, self->email) != 0)
    {
      imgscan_client_forget_token (self);
      g_free (self->email);
      self->email = g_strdup (email);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMAIL]);
    }
  imgscan_client_wipe_string (&self->key);
  self->key = g_strdup (key);
}

gboolean
imgscan_client_load_credentials (ImgscanClient  *self,
                                 GCancellable   *cancellable,
                                 GError        **error)
{
  g_autofree char *email = NULL;
  char *key = NULL;
  gboolean found;

  g_return_val_if_fail (IMGSCAN_IS_CLIENT (self), FALSE);

  found = imgscan_client_lookup_credentials (self->use_keyring, &email, &key, cancellable, error);
  if (found)
    imgscan_client_set_credentials (self, email, key);
  imgscan_client_wipe_string (&key);
  return found;
}

gboolean
imgscan_client_has_credentials (ImgscanClient *self)
{
  g_return_val_if_fail (IMGSCAN_IS_CLIENT (self), FALSE);
  return self->email != NULL && self->key != NULL;
}

const char *
imgscan_client_get_email (ImgscanClient *self)
{
  g_return_val_if_fail (IMGSCAN_IS_CLIENT (self), NULL);
  return self->email;
}

void
imgscan_client_set_use_keyring (ImgscanClient *self,
                                gboolean       use_keyring)
{
  g_return_if_fail (IMGSCAN_IS_CLIENT (self));

  use_keyring = !!use_keyring;
  if (self->use_keyring == (guint) use_keyring)
    return;
  self->use_keyring = use_keyring;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USE_KEYRING]);
}

gboolean
imgscan_client_get_use_keyring (ImgscanClient *self)
{
  g_return_val_if_fail (IMGSCAN_IS_CLIENT (self), FALSE);
  return self->use_keyring;
}

guint
imgscan_client_get_n_logins (ImgscanClient *self)
{
  g_return_val_if_fail (IMGSCAN_IS_CLIENT (self), 0);
  return self->n_logins;
}

void
imgscan_client_set_backoff_scale (ImgscanClient *self,
                                  double         scale)
{
  g_return_if_fail (IMGSCAN_IS_CLIENT (self));
  g_return_if_fail (scale >= 0.0);
  self->backoff_scale = scale;
}

char *
imgscan_new_scan_id (void)
{
  /* g_uuid_string_random() is lower-case already; say so rather than rely on it. */
  g_autofree char *uuid = g_uuid_string_random ();

  return g_ascii_strdown (uuid, -1);
}
