/* imgscan-upload-stream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-upload-stream"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "imgscan-client.h"
#include "imgscan-client-error.h"
#include "imgscan-image-check.h"
#include "imgscan-upload-stream.h"

/* How much of the file is read at once. */
#define FILE_BLOCK (256 * 1024)

/* Copyleaks' limit on the filename part. */
#define MAX_FILENAME_CHARS 255

struct _ImgscanUploadStream
{
  GInputStream  parent_instance;

  GBytes       *prefix;
  GInputStream *file_stream;
  GBytes       *suffix;
  guint64       file_size;

  /* Bytes handed out so far, over the three pieces. */
  guint64       position;
};

G_DEFINE_FINAL_TYPE (ImgscanUploadStream, imgscan_upload_stream, G_TYPE_INPUT_STREAM)

static gssize
copy_from_bytes (GBytes  *bytes,
                 guint64  offset,
                 void    *buffer,
                 gsize    count)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  gsize n = MIN (count, size - offset);

  memcpy (buffer, data + offset, n);
  return n;
}

/* Fills @buffer from the three pieces in turn, so every chunk but the last is full; at
 * most one read of the file per call. Called from the sending thread, never
 * concurrently: a GInputStream has one operation pending at a time. */
static gssize
upload_stream_read (ImgscanUploadStream  *self,
                    guint8               *buffer,
                    gsize                 count,
                    GCancellable         *cancellable,
                    GError              **error)
{
  guint64 prefix_size = g_bytes_get_size (self->prefix);
  guint64 file_end = prefix_size + self->file_size;
  guint64 total = file_end + g_bytes_get_size (self->suffix);
  gsize done = 0;

  while (done < count && self->position < total)
    {
      gsize n;

      if (self->position < prefix_size)
        n = copy_from_bytes (self->prefix, self->position, buffer + done, count - done);
      else if (self->position < file_end)
        {
          gsize want = (gsize) MIN ((guint64) (count - done), file_end - self->position);
          gssize got = g_input_stream_read (self->file_stream, buffer + done, want,
                                            cancellable, error);

          if (got < 0)
            return -1;
          if (got == 0)
            {
              /* The image's own error domain: the photo is at fault, not the connection. */
              g_set_error_literal (error, IMGSCAN_IMAGE_ERROR, IMGSCAN_IMAGE_ERROR_UNREADABLE,
                                   _("The photo got shorter while it was being sent; it may "
                                     "have been edited or moved. Check it and try again."));
              return -1;
            }
          n = got;
          self->position += n;
          done += n;
          /* A short read: hand out what we have rather than read again. */
          if (self->position < file_end)
            break;
          continue;
        }
      else
        n = copy_from_bytes (self->suffix, self->position - file_end, buffer + done, count - done);

      self->position += n;
      done += n;
    }
  return done;
}

static gssize
imgscan_upload_stream_read (GInputStream  *stream,
                            void          *buffer,
                            gsize          count,
                            GCancellable  *cancellable,
                            GError       **error)
{
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;
  return upload_stream_read (IMGSCAN_UPLOAD_STREAM (stream), buffer, count, cancellable, error);
}

static gboolean
imgscan_upload_stream_close (GInputStream  *stream,
                             GCancellable  *cancellable,
                             GError       **error)
{
  ImgscanUploadStream *self = IMGSCAN_UPLOAD_STREAM (stream);

  return g_input_stream_close (self->file_stream, cancellable, error);
}

static void
imgscan_upload_stream_finalize (GObject *object)
{
  ImgscanUploadStream *self = IMGSCAN_UPLOAD_STREAM (object);

  g_clear_pointer (&self->prefix, g_bytes_unref);
  g_clear_pointer (&self->suffix, g_bytes_unref);
  g_clear_object (&self->file_stream);

  G_OBJECT_CLASS (imgscan_upload_stream_parent_class)->finalize (object);
}

static void
imgscan_upload_stream_class_init (ImgscanUploadStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = imgscan_upload_stream_finalize;
  stream_class->read_fn = imgscan_upload_stream_read;
  stream_class->close_fn = imgscan_upload_stream_close;
}

static void
imgscan_upload_stream_init (ImgscanUploadStream *self)
{
}

GInputStream *
imgscan_upload_stream_new (GBytes       *prefix,
                           GInputStream *file_stream,
                           guint64       file_size,
                           GBytes       *suffix)
{
  ImgscanUploadStream *self;

  g_return_val_if_fail (prefix != NULL, NULL);
  g_return_val_if_fail (G_IS_INPUT_STREAM (file_stream), NULL);
  g_return_val_if_fail (suffix != NULL, NULL);

  self = g_object_new (IMGSCAN_TYPE_UPLOAD_STREAM, NULL);
  self->prefix = g_bytes_ref (prefix);
  /* libsoup asks for 8 KiB at a time: read the file in larger blocks, a tenth of the
   * system calls for a little memory that does not grow with the photo. */
  self->file_stream = g_buffered_input_stream_new_sized (file_stream, FILE_BLOCK);
  self->file_size = file_size;
  self->suffix = g_bytes_ref (suffix);
  return G_INPUT_STREAM (self);
}

guint64
imgscan_upload_stream_get_length (ImgscanUploadStream *self)
{
  g_return_val_if_fail (IMGSCAN_IS_UPLOAD_STREAM (self), 0);

  return g_bytes_get_size (self->prefix) + self->file_size + g_bytes_get_size (self->suffix);
}

/* ---- sending ---- */

#define READ_CHUNK (64 * 1024)

typedef struct
{
  SoupSession *session;
  SoupMessage *msg;
  gsize        max_reply;
} SendData;

static void
send_data_free (SendData *data)
{
  g_clear_object (&data->session);
  g_clear_object (&data->msg);
  g_free (data);
}

/* The blocking twin of imgscan_client_send_and_read_async(): the same cap, and a reply
 * shorter than its Content-Length is a lost connection, not a short reply. */
static GBytes *
read_reply (SendData      *data,
            GInputStream  *stream,
            GCancellable  *cancellable,
            GError       **error)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (data->msg);
  goffset length = soup_message_headers_get_content_length (headers);
  gboolean by_length = soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH;
  goffset expected = -1;
  g_autoptr(GByteArray) buffer = NULL;

  if (by_length && (guint64) length > data->max_reply)
    {
      g_propagate_error (error, imgscan_client_reply_too_large_error (data->max_reply));
      return NULL;
    }
  if (by_length && soup_message_headers_get_one (headers, "Content-Encoding") == NULL)
    expected = length;

  buffer = g_byte_array_sized_new (MIN (MAX (length, 0), READ_CHUNK));
  for (;;)
    {
      guint len = buffer->len;
      gssize n;

      g_byte_array_set_size (buffer, len + READ_CHUNK);
      n = g_input_stream_read (stream, buffer->data + len, READ_CHUNK, cancellable, error);
      g_byte_array_set_size (buffer, len + MAX (n, 0));
      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      if (buffer->len > data->max_reply)
        {
          g_propagate_error (error, imgscan_client_reply_too_large_error (data->max_reply));
          return NULL;
        }
    }

  if (expected >= 0 && buffer->len < (guint64) expected)
    {
      g_propagate_error (error, imgscan_client_reply_cut_short_error (buffer->len, expected));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

static void
send_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SendData *data = task_data;
  g_autoptr(GInputStream) stream = NULL;
  GError *error = NULL;
  GBytes *reply;

  /* Since libsoup 3.2 a session may send from any thread. */
  stream = soup_session_send (data->session, data->msg, cancellable, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  reply = read_reply (data, stream, cancellable, &error);
  if (reply == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, reply, (GDestroyNotify) g_bytes_unref);
}

void
imgscan_upload_send_async (SoupSession         *session,
                           SoupMessage         *msg,
                           gsize                max_reply,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SendData *data;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (SOUP_IS_MESSAGE (msg));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, imgscan_upload_send_async);
  data = g_new0 (SendData, 1);
  data->session = g_object_ref (session);
  data->msg = g_object_ref (msg);
  data->max_reply = max_reply;
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);
  g_task_run_in_thread (task, send_thread);
}

GBytes *
imgscan_upload_send_finish (GAsyncResult  *result,
                            GError       **error)
{
  SendData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == imgscan_upload_send_async, NULL);

  /* The worker may hold the task last: let go of libsoup's objects here, in the thread
   * that owns the session, never at the task's end over there. */
  data = g_task_get_task_data (G_TASK (result));
  g_clear_object (&data->msg);
  g_clear_object (&data->session);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the framing ---- */

char *
imgscan_multipart_quote_filename (const char *basename)
{
  g_autofree char *valid = g_utf8_make_valid (basename != NULL ? basename : "", -1);
  GString *out = g_string_new (NULL);

  for (const char *p = valid; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
        g_string_append_printf (out, "%%%02X", c);
      else
        g_string_append_c (out, (char) c);
    }
  return g_string_free (out, FALSE);
}

/* A Content-Type value we can put in a header line as is. */
static gboolean
is_safe_mime_type (const char *mime_type)
{
  if (mime_type == NULL || *mime_type == '\0' || strchr (mime_type, '/') == NULL)
    return FALSE;
  for (const char *p = mime_type; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("/.+-_", *p) == NULL)
      return FALSE;
  return TRUE;
}

void
imgscan_multipart_build (const char  *boundary,
                         const char  *basename,
                         const char  *mime_type,
                         gboolean     sandbox,
                         GBytes     **prefix,
                         GBytes     **suffix)
{
  g_autofree char *quoted = imgscan_multipart_quote_filename (basename);
  g_autofree char *valid = g_utf8_make_valid (basename != NULL ? basename : "", -1);
  g_autofree char *name = NULL;
  GString *head = g_string_new (NULL);
  GString *tail = g_string_new (NULL);

  g_return_if_fail (boundary != NULL && prefix != NULL && suffix != NULL);

  /* The filename part is a body, not a header: it keeps the real name, cut to the limit. */
  if (g_utf8_strlen (valid, -1) > MAX_FILENAME_CHARS)
    name = g_utf8_substring (valid, 0, MAX_FILENAME_CHARS);
  else
    name = g_steal_pointer (&valid);

  g_string_append_printf (head,
                          "--%s\r\n"
                          "Content-Disposition: form-data; name=\"image\"; filename=\"%s\"\r\n"
                          "Content-Type: %s\r\n"
                          "\r\n",
                          boundary, quoted,
                          is_safe_mime_type (mime_type) ? mime_type : "application/octet-stream");

  g_string_append_printf (tail,
                          "\r\n--%s\r\n"
                          "Content-Disposition: form-data; name=\"filename\"\r\n"
                          "\r\n"
                          "%s"
                          "\r\n--%s\r\n"
                          "Content-Disposition: form-data; name=\"sandbox\"\r\n"
                          "\r\n"
                          "%s"
                          "\r\n--%s--\r\n",
                          boundary, name, boundary, sandbox ? "true" : "false", boundary);

  *prefix = g_string_free_to_bytes (head);
  *suffix = g_string_free_to_bytes (tail);
}
