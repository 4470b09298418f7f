/* imgscan-client-http.c: the plumbing of every request: a capped reply reader and a cancellable wait
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-client"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "imgscan-client-error.h"
#include "imgscan-client-private.h"

#define READ_CHUNK (64 * 1024)

void
imgscan_client_wipe_string (char **str)
{
  if (*str != NULL)
    {
      volatile char *p = *str;

      while (*p != '\0')
        *p++ = '\0';
      g_clear_pointer (str, g_free);
    }
}

SoupMessage *
imgscan_client_new_message (const char  *method,
                            const char  *base,
                            const char  *path,
                            GError     **error)
{
  g_autofree char *url = g_strconcat (base, path, NULL);
  SoupMessage *msg = soup_message_new (method, url);

  if (msg == NULL || (g_strcmp0 (g_uri_get_scheme (soup_message_get_uri (msg)), "http") != 0
                      && g_strcmp0 (g_uri_get_scheme (soup_message_get_uri (msg)), "https") != 0))
    {
      g_clear_object (&msg);
      g_set_error (error, IMGSCAN_CLIENT_ERROR, IMGSCAN_CLIENT_ERROR_INVALID_INPUT,
                   _("“%s” is not a valid web address for Copyleaks. Check IMGSCAN_ID_URL and "
                     "IMGSCAN_API_URL."), base);
      return NULL;
    }
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept-Encoding", "gzip");
  return msg;
}

gboolean
imgscan_client_is_transport_error (const GError *error)
{
  return error->domain != IMGSCAN_CLIENT_ERROR
         && error->domain != IMGSCAN_IMAGE_ERROR
         && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

GError *
imgscan_client_network_error (ImgscanClient *self,
                              const GError  *error,
                              gboolean       after_resend)
{
  if (after_resend)
    return g_error_new (IMGSCAN_CLIENT_ERROR, IMGSCAN_CLIENT_ERROR_NETWORK,
                        _("The connection to Copyleaks was lost after the photo was sent (%s), "
                          "and the one retry with the same scan ID failed too. The scan may have "
                          "been billed. Check your connection and try again later."),
                        error->message);
  return g_error_new (IMGSCAN_CLIENT_ERROR, IMGSCAN_CLIENT_ERROR_NETWORK,
                      _("Could not reach Copyleaks (%s). Check your internet connection and try "
                        "again."), error->message);
}

/* ---- reading a reply with a size cap ---- */

typedef struct
{
  SoupMessage  *msg;
  GInputStream *stream;
  GByteArray   *buffer;
  /* The announced length of an unencoded body, to notice a reply cut short; -1 if none. */
  goffset       expected;
} ReadData;

static void
read_data_free (ReadData *data)
{
  g_clear_object (&data->msg);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->buffer, g_byte_array_unref);
  g_free (data);
}

static void read_next (GTask *task);

static void
read_chunk_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);

  if (chunk == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      if (data->expected >= 0 && data->buffer->len < (guint64) data->expected)
        {
          g_task_return_error (task, imgscan_client_reply_cut_short_error (data->buffer->len,
                                                                           data->expected));
          return;
        }
      g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&data->buffer)),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }
  if (data->buffer->len + g_bytes_get_size (chunk) > IMGSCAN_MAX_REPLY_SIZE)
    {
      g_task_return_error (task, imgscan_client_reply_too_large_error (IMGSCAN_MAX_REPLY_SIZE));
      return;
    }
  g_byte_array_append (data->buffer, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  read_next (g_steal_pointer (&task));
}

static void
read_next (GTask *task)
{
  ReadData *data = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (data->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_chunk_cb, task);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  gboolean by_length;
  goffset length;

  data->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (data->stream == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  headers = soup_message_get_response_headers (data->msg);
  length = soup_message_headers_get_content_length (headers);
  by_length = soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH;
  if (by_length && length > IMGSCAN_MAX_REPLY_SIZE)
    {
      g_task_return_error (task, imgscan_client_reply_too_large_error (IMGSCAN_MAX_REPLY_SIZE));
      return;
    }
  data->buffer = g_byte_array_sized_new (MIN (MAX (length, 0), READ_CHUNK));
  data->expected = -1;
  if (by_length && soup_message_headers_get_one (headers, "Content-Encoding") == NULL)
    data->expected = length;
  read_next (g_steal_pointer (&task));
}

/* Sends @msg and reads the whole reply, up to IMGSCAN_MAX_REPLY_SIZE. Never use
 * soup_session_send_and_read(): it has no cap. */
void
imgscan_client_send_and_read_async (ImgscanClient       *self,
                                    SoupMessage         *msg,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ReadData *data = g_new0 (ReadData, 1);

  g_task_set_source_tag (task, imgscan_client_send_and_read_async);
  data->msg = g_object_ref (msg);
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);
  soup_session_send_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable, send_cb, task);
}

GBytes *
imgscan_client_send_and_read_finish (GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- waiting, cancellable ---- */

typedef struct
{
  GSource             *source;
  gint64               start;
  gint64               total_ms;
  ImgscanProgressFunc  progress;
  gpointer             progress_data;
} WaitData;

static void
wait_data_free (WaitData *data)
{
  if (data->source != NULL)
    {
      g_source_destroy (data->source);
      g_source_unref (data->source);
    }
  g_free (data);
}

static gboolean
wait_tick_cb (gpointer user_data)
{
  GTask *task = user_data;
  WaitData *data = g_task_get_task_data (task);
  gint64 waited = (g_get_monotonic_time () - data->start) / 1000;

  if (g_task_return_error_if_cancelled (task))
    return G_SOURCE_REMOVE;
  if (waited >= data->total_ms)
    {
      if (data->progress != NULL)
        data->progress (IMGSCAN_CLIENT_PHASE_RETRYING, data->total_ms, data->total_ms,
                        data->progress_data);
      g_task_return_boolean (task, TRUE);
      return G_SOURCE_REMOVE;
    }
  if (data->progress != NULL)
    data->progress (IMGSCAN_CLIENT_PHASE_RETRYING, waited, data->total_ms, data->progress_data);
  return G_SOURCE_CONTINUE;
}

/* Waits @total_ms, reporting RETRYING about four times a second; a cancel ends it at once. */
void
imgscan_client_wait_async (gint64               total_ms,
                           ImgscanProgressFunc  progress,
                           gpointer             progress_data,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  WaitData *data = g_new0 (WaitData, 1);

  g_task_set_source_tag (task, imgscan_client_wait_async);
  data->start = g_get_monotonic_time ();
  data->total_ms = total_ms;
  data->progress = progress;
  data->progress_data = progress_data;
  g_task_set_task_data (task, data, (GDestroyNotify) wait_data_free);

  if (progress != NULL)
    progress (IMGSCAN_CLIENT_PHASE_RETRYING, 0, total_ms, progress_data);

  /* A timeout that a cancelled cancellable also wakes up. */
  data->source = g_timeout_source_new (MIN (250, total_ms));
  if (cancellable != NULL)
    {
      g_autoptr(GSource) cancel_source = g_cancellable_source_new (cancellable);

      g_source_set_dummy_callback (cancel_source);
      g_source_add_child_source (data->source, cancel_source);
    }
  g_source_set_callback (data->source, wait_tick_cb, g_object_ref (task), g_object_unref);
  g_source_attach (data->source, g_main_context_get_thread_default ());
  g_object_unref (task);
}

gboolean
imgscan_client_wait_finish (GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

