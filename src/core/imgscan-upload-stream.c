/* imgscan-upload-stream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-upload-stream"

#include "config.h"

#include <gio/gfiledescriptorbased.h>
#include <glib/gi18n.h>
#include <string.h>

#include "imgscan-image-check.h"
#include "imgscan-upload-stream.h"

/* Copyleaks' limit on the filename part. */
#define MAX_FILENAME_CHARS 255

struct _ImgscanUploadStream
{
  GInputStream  parent_instance;

  GBytes       *prefix;
  GInputStream *file_stream;
  GBytes       *suffix;
  guint64       file_size;
  /* The file is read where it is (see can_poll), never through a worker thread. */
  gboolean      read_in_place;

  /* Bytes handed out so far, over the three pieces. */
  guint64       position;
};

static void imgscan_upload_stream_pollable_iface_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ImgscanUploadStream, imgscan_upload_stream, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      imgscan_upload_stream_pollable_iface_init))

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
 * most one read of the file per call. */
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

/* Pollable, so that GIO's async read (what libsoup's splice of the body uses) reads here
 * in the main loop instead of handing every 8 KiB chunk to a worker thread, which made
 * the upload three times slower than curl. A local file is always readable: a read of
 * it is bounded and does not wait on anything that polling could tell us about. GIO
 * checks the cancellable before each chunk. Any other stream (a GVfs one, say, whose
 * read waits on a daemon) keeps GIO's threads, so the main loop never waits on it. */
static gboolean
imgscan_upload_stream_can_poll (GPollableInputStream *stream)
{
  return IMGSCAN_UPLOAD_STREAM (stream)->read_in_place;
}

static gboolean
imgscan_upload_stream_is_readable (GPollableInputStream *stream)
{
  return TRUE;
}

static GSource *
imgscan_upload_stream_create_source (GPollableInputStream *stream,
                                     GCancellable         *cancellable)
{
  g_autoptr(GSource) ready = g_timeout_source_new (0);

  return g_pollable_source_new_full (stream, ready, cancellable);
}

static gssize
imgscan_upload_stream_read_nonblocking (GPollableInputStream  *stream,
                                        void                  *buffer,
                                        gsize                  count,
                                        GError               **error)
{
  return upload_stream_read (IMGSCAN_UPLOAD_STREAM (stream), buffer, count, NULL, error);
}

static void
imgscan_upload_stream_pollable_iface_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = imgscan_upload_stream_can_poll;
  iface->is_readable = imgscan_upload_stream_is_readable;
  iface->create_source = imgscan_upload_stream_create_source;
  iface->read_nonblocking = imgscan_upload_stream_read_nonblocking;
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
  self->file_stream = g_object_ref (file_stream);
  self->file_size = file_size;
  self->read_in_place = G_IS_FILE_DESCRIPTOR_BASED (file_stream)
                        || G_IS_MEMORY_INPUT_STREAM (file_stream);
  self->suffix = g_bytes_ref (suffix);
  return G_INPUT_STREAM (self);
}

guint64
imgscan_upload_stream_get_length (ImgscanUploadStream *self)
{
  g_return_val_if_fail (IMGSCAN_IS_UPLOAD_STREAM (self), 0);

  return g_bytes_get_size (self->prefix) + self->file_size + g_bytes_get_size (self->suffix);
}

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
