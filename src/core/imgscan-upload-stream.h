/* imgscan-upload-stream.h: the multipart body that streams the photo from its file, and its sender
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define IMGSCAN_TYPE_UPLOAD_STREAM (imgscan_upload_stream_get_type ())
G_DECLARE_FINAL_TYPE (ImgscanUploadStream, imgscan_upload_stream, IMGSCAN, UPLOAD_STREAM, GInputStream)

/* Reads @prefix, then exactly @file_size bytes of @file_stream, then @suffix. A file
 * that ends early is an error (it changed under us); extra bytes are never sent. */
GInputStream *imgscan_upload_stream_new        (GBytes       *prefix,
                                                GInputStream *file_stream,
                                                guint64       file_size,
                                                GBytes       *suffix);
guint64       imgscan_upload_stream_get_length (ImgscanUploadStream *self);

/* Sends @msg (its body an upload stream) with libsoup's blocking API in a worker thread
 * and reads the whole reply, refusing more than @max_reply bytes. Asynchronously libsoup
 * splices a body in 8 KiB pieces at two main-loop round trips each; blocking, a piece is
 * a read and a send, and the file is never read on the caller's thread. @msg's signals
 * (wrote-body-data…) are emitted in the worker thread. */
void          imgscan_upload_send_async        (SoupSession         *session,
                                                SoupMessage         *msg,
                                                gsize                max_reply,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GBytes       *imgscan_upload_send_finish       (GAsyncResult        *result,
                                                GError             **error);

/* The multipart framing around the image, written by hand (libsoup's SoupMultipart
 * needs the whole file in memory). @boundary must be a token of [0-9a-zA-Z-]. */
void          imgscan_multipart_build          (const char   *boundary,
                                                const char   *basename,
                                                const char   *mime_type,
                                                gboolean      sandbox,
                                                GBytes      **prefix,
                                                GBytes      **suffix);
/* The filename="" parameter value: valid UTF-8, with ", \, CR, LF and other control
 * characters percent-encoded as HTML's form submission does, so no header can be forged. */
char         *imgscan_multipart_quote_filename (const char   *basename);

G_END_DECLS
