/* imgscan-upload-stream.h: a multipart/form-data body that streams the photo from its file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

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
