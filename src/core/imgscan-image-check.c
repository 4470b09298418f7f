/* imgscan-image-check.c: local checks on a photo before any upload
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-image-check"

#include "config.h"

#include <glib/gi18n.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "imgscan-image-check.h"

/* Enough for every magic number shared-mime-info knows about. */
#define SNIFF_SIZE 4096
/* Header reads go in chunks; a JPEG may put tens of kB of EXIF before its size. */
#define CHUNK_SIZE 16384

G_DEFINE_QUARK (imgscan-image-error-quark, imgscan_image_error)

struct _ImgscanImageInfo
{
  GObject  parent_instance;

  GFile   *file;
  char    *basename;
  char    *mime_type;
  guint64  size;
  guint    width;
  guint    height;
};

G_DEFINE_FINAL_TYPE (ImgscanImageInfo, imgscan_image_info, G_TYPE_OBJECT)

static void
imgscan_image_info_finalize (GObject *object)
{
  ImgscanImageInfo *self = IMGSCAN_IMAGE_INFO (object);

  g_clear_object (&self->file);
  g_clear_pointer (&self->basename, g_free);
  g_clear_pointer (&self->mime_type, g_free);

  G_OBJECT_CLASS (imgscan_image_info_parent_class)->finalize (object);
}

static void
imgscan_image_info_class_init (ImgscanImageInfoClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = imgscan_image_info_finalize;
}

static void
imgscan_image_info_init (ImgscanImageInfo *self)
{
}

GFile *
imgscan_image_info_get_file (ImgscanImageInfo *self)
{
  g_return_val_if_fail (IMGSCAN_IS_IMAGE_INFO (self), NULL);
  return self->file;
}

const char *
imgscan_image_info_get_basename (ImgscanImageInfo *self)
{
  g_return_val_if_fail (IMGSCAN_IS_IMAGE_INFO (self), NULL);
  return self->basename;
}

guint64
imgscan_image_info_get_size (ImgscanImageInfo *self)
{
  g_return_val_if_fail (IMGSCAN_IS_IMAGE_INFO (self), 0);
  return self->size;
}

const char *
imgscan_image_info_get_mime_type (ImgscanImageInfo *self)
{
  g_return_val_if_fail (IMGSCAN_IS_IMAGE_INFO (self), NULL);
  return self->mime_type;
}

guint
imgscan_image_info_get_width (ImgscanImageInfo *self)
{
  g_return_val_if_fail (IMGSCAN_IS_IMAGE_INFO (self), 0);
  return self->width;
}

guint
imgscan_image_info_get_height (ImgscanImageInfo *self)
{
  g_return_val_if_fail (IMGSCAN_IS_IMAGE_INFO (self), 0);
  return self->height;
}

char *
imgscan_format_size (guint64 bytes)
{
  g_autofree char *text = g_format_size (bytes);
  g_auto(GStrv) parts = NULL;

  /* GLib separates number and unit with a no-break space; we promise a plain one
   * so that messages read the same in a terminal, a log and a test. */
  parts = g_strsplit (text, "\u00a0", -1);
  return g_strjoinv (" ", parts);
}

/* The formats Copyleaks takes: shared-mime-info's name and GdkPixbuf's. Sniffing
 * needs the shared-mime-info database (GdkPixbuf's own sniffing uses it too). */
static const struct
{
  const char *content_type;
  const char *pixbuf_format;
} accepted_formats[] = {
  { "image/jpeg", "jpeg" },
  { "image/png", "png" },
  { "image/gif", "gif" },
  { "image/bmp", "bmp" },
  { "image/webp", "webp" },
  { "image/vnd.microsoft.icon", "ico" },
};

static gboolean
is_raw_type (const char *type)
{
  return g_content_type_is_a (type, "image/x-dcraw");
}

static gboolean
is_accepted_type (const char *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (accepted_formats); i++)
    if (g_content_type_equals (type, accepted_formats[i].content_type))
      return TRUE;

  return is_raw_type (type);
}

/* Decides the format from the bytes alone; the name is only consulted for camera RAW
 * files, most of which are TIFF containers that no magic number tells apart. */
static char *
sniff_type (const char   *basename,
            const guchar *data,
            gsize         length)
{
  g_autofree char *type = g_content_type_guess (NULL, data, length, NULL);

  if (is_accepted_type (type))
    return g_steal_pointer (&type);

  if (g_content_type_is_a (type, "image/tiff") || g_content_type_is_unknown (type))
    {
      g_autofree char *named = g_content_type_guess (basename, data, length, NULL);

      if (is_raw_type (named))
        return g_steal_pointer (&named);
    }

  return g_steal_pointer (&type);
}

typedef struct
{
  int width;
  int height;
  gboolean prepared;
} HeaderInfo;

static void
on_size_prepared (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  HeaderInfo *info = user_data;

  info->width = width;
  info->height = height;
  info->prepared = TRUE;

  /* Asking for a 0×0 result makes every loader stop here, before it allocates pixels. */
  gdk_pixbuf_loader_set_size (loader, 0, 0);
}

/* Feeds the loader until it announces the size, and no further. Returns FALSE with
 * @error only for I/O errors and cancellation; a loader that cannot read the header
 * leaves info->prepared FALSE. */
static gboolean
read_header_size (GdkPixbufLoader *loader,
                  GInputStream    *stream,
                  const guchar    *head,
                  gsize            head_length,
                  HeaderInfo      *info,
                  GCancellable    *cancellable,
                  GError         **error)
{
  g_autofree guchar *buffer = NULL;
  g_autoptr(GError) local_error = NULL;

  gboolean writing;

  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), info);

  buffer = g_malloc (CHUNK_SIZE);
  writing = gdk_pixbuf_loader_write (loader, head, head_length, NULL);

  while (writing && !info->prepared)
    {
      gssize n_read = g_input_stream_read (stream, buffer, CHUNK_SIZE, cancellable, error);

      if (n_read < 0)
        {
          gdk_pixbuf_loader_close (loader, NULL);
          return FALSE;
        }
      if (n_read == 0)
        break;
      writing = gdk_pixbuf_loader_write (loader, buffer, n_read, NULL);
    }

  /* Closing reports the 0×0 request or a truncated file as an error: expected here.
   * (A failed write has closed the loader already; closing again is harmless.) */
  gdk_pixbuf_loader_close (loader, &local_error);
  return TRUE;
}

/* The name of the GdkPixbuf module that reads @type, or NULL when none is installed
 * (camera RAW always; WebP unless webp-pixbuf-loader is). */
static const char *
find_loader (const char *type)
{
  g_autoptr(GSList) formats = NULL;
  const char *wanted = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (accepted_formats); i++)
    if (g_content_type_equals (type, accepted_formats[i].content_type))
      wanted = accepted_formats[i].pixbuf_format;
  if (wanted == NULL)
    return NULL;

  formats = gdk_pixbuf_get_formats ();
  for (GSList *l = formats; l != NULL; l = l->next)
    {
      g_autofree char *name = gdk_pixbuf_format_get_name (l->data);

      if (g_strcmp0 (name, wanted) == 0)
        return wanted;
    }

  return NULL;
}

static char *
display_name_for (GFile     *file,
                  GFileInfo *info)
{
  g_autofree char *basename = NULL;

  if (info != NULL && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME))
    return g_strdup (g_file_info_get_display_name (info));

  basename = g_file_get_basename (file);
  if (basename == NULL)
    return g_file_get_parse_name (file);

  return g_filename_display_name (basename);
}

static const char *
supported_formats_hint (void)
{
  return _("use JPEG, PNG, GIF, BMP, WebP, ICO or a camera RAW file");
}

ImgscanImageInfo *
imgscan_image_check (GFile         *file,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(ImgscanImageInfo) self = NULL;
  g_autoptr(GFileInfo) file_info = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *type = NULL;
  const char *loader_type;
  g_autofree guchar *head = NULL;
  gsize head_length = 0;
  guint64 size;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  file_info = g_file_query_info (file,
                                 G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                 G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                 G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                                 G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (file_info == NULL)
    {
      name = display_name_for (file, NULL);

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, IMGSCAN_IMAGE_ERROR, IMGSCAN_IMAGE_ERROR_NOT_FOUND,
                     _("%s does not exist; check the name or choose another photo"), name);
      else
        g_set_error (error, IMGSCAN_IMAGE_ERROR, IMGSCAN_IMAGE_ERROR_UNREADABLE,
                     _("%s cannot be read (%s); check its permissions"),
                     name, local_error->message);
      return NULL;
    }

  name = display_name_for (file, file_info);

  if (g_file_info_get_file_type (file_info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, IMGSCAN_IMAGE_ERROR, IMGSCAN_IMAGE_ERROR_NOT_REGULAR,
                   _("%s is not a regular file; choose a photo file"), name);
      return NULL;
    }

  size = (guint64) g_file_info_get_size (file_info);

  if (size == 0)
    {
      g_set_error (error, IMGSCAN_IMAGE_ERROR, IMGSCAN_IMAGE_ERROR_EMPTY,
                   _("%s is empty (0 bytes); choose a photo file"), name);
      return NULL;
    }

  if (size >= IMGSCAN_MAX_FILE_SIZE)
    {
      g_autofree char *size_text = imgscan_format_size (size);
      /* Numbers go in as text: xgettext cannot see through G_GUINT64_FORMAT. */
      g_autofree char *bytes_text = g_strdup_printf ("%" G_GUINT64_FORMAT, size);

      /* Right at the limit "20.0 MB" alone would look allowed: give the bytes too. */
      if (size < IMGSCAN_MAX_FILE_SIZE + 50000)
        g_set_error (error, IMGSCAN_IMAGE_ERROR, IMGSCAN_IMAGE_ERROR_TOO_LARGE,
                     _("%s is %s (%s bytes); Copyleaks takes files under 20 MB (20000000 bytes)"),
                     name, size_text, bytes_text);
      else
        g_set_error (error, IMGSCAN_IMAGE_ERROR, IMGSCAN_IMAGE_ERROR_TOO_LARGE,
                     _("%s is %s; Copyleaks takes files under 20 MB"), name, size_text);
      return NULL;
    }

  stream = g_file_read (file, cancellable, &local_error);
  if (stream == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, IMGSCAN_IMAGE_ERROR, IMGSCAN_IMAGE_ERROR_UNREADABLE,
                     _("%s cannot be read (%s); check its permissions"),
                     name, local_error->message);
      return NULL;
    }

  head = g_malloc (SNIFF_SIZE);
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), head, SNIFF_SIZE, &head_length,
                                cancellable, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, IMGSCAN_IMAGE_ERROR, IMGSCAN_IMAGE_ERROR_UNREADABLE,
                     _("%s cannot be read (%s); check the disk or copy the photo elsewhere"),
                     name, local_error->message);
      return NULL;
    }

  if (head_length == 0)
    {
      g_set_error (error, IMGSCAN_IMAGE_ERROR, IMGSCAN_IMAGE_ERROR_EMPTY,
                   _("%s is empty (0 bytes); choose a photo file"), name);
      return NULL;
    }

  {
    g_autofree char *basename = g_file_get_basename (file);
    type = sniff_type (basename, head, head_length);
  }

  if (!is_accepted_type (type))
    {
      g_autofree char *description = g_content_type_get_description (type);

      g_set_error (error, IMGSCAN_IMAGE_ERROR, IMGSCAN_IMAGE_ERROR_UNSUPPORTED_FORMAT,
                   /* Translators: the second %s is a file type such as "plain text document" */
                   _("%s is not an image Copyleaks can check (it looks like %s); %s"),
                   name, description, supported_formats_hint ());
      return NULL;
    }

  self = g_object_new (IMGSCAN_TYPE_IMAGE_INFO, NULL);
  self->file = g_object_ref (file);
  /* The name goes into the upload's headers: it must be UTF-8 (GLib's display
   * form replaces bytes that are not). */
  {
    g_autofree char *basename = g_file_get_basename (file);

    if (basename != NULL && g_utf8_validate (basename, -1, NULL))
      self->basename = g_steal_pointer (&basename);
    else if (basename != NULL)
      self->basename = g_filename_display_name (basename);
    else
      self->basename = g_strdup (name);
  }
  self->size = size;
  self->mime_type = g_content_type_get_mime_type (type);
  if (self->mime_type == NULL)
    self->mime_type = g_strdup (type);

  /* Without a loader for the format (camera RAW, WebP on a system without the WebP
   * loader) the dimensions stay unknown: Copyleaks checks them itself. */
  loader_type = find_loader (type);
  if (loader_type != NULL)
    {
      g_autoptr(GdkPixbufLoader) loader = NULL;
      HeaderInfo header = { 0, };
      guint64 pixels;

      loader = gdk_pixbuf_loader_new_with_type (loader_type, NULL);
      if (loader != NULL)
        {
          if (!read_header_size (loader, G_INPUT_STREAM (stream), head, head_length,
                                 &header, cancellable, &local_error))
            {
              if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
                g_propagate_error (error, g_steal_pointer (&local_error));
              else
                g_set_error (error, IMGSCAN_IMAGE_ERROR, IMGSCAN_IMAGE_ERROR_UNREADABLE,
                             _("%s cannot be read (%s); check the disk or copy the photo elsewhere"),
                             name, local_error->message);
              return NULL;
            }

          if (!header.prepared || header.width <= 0 || header.height <= 0)
            {
              g_autofree char *description = g_content_type_get_description (type);

              g_set_error (error, IMGSCAN_IMAGE_ERROR, IMGSCAN_IMAGE_ERROR_CORRUPT,
                           _("%s looks like a %s but its header cannot be read; the file may be damaged or incomplete"),
                           name, description);
              return NULL;
            }

          pixels = (guint64) header.width * (guint64) header.height;
          if (pixels > IMGSCAN_MAX_PIXELS)
            {
              g_set_error (error, IMGSCAN_IMAGE_ERROR, IMGSCAN_IMAGE_ERROR_TOO_MANY_PIXELS,
                           _("%s is %d × %d (%.1f megapixels); Copyleaks takes at most 75 megapixels"),
                           name, header.width, header.height, pixels / 1e6);
              return NULL;
            }

          self->width = header.width;
          self->height = header.height;
        }
    }

  return g_steal_pointer (&self);
}

static void
image_check_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GFile *file = task_data;
  GError *error = NULL;
  ImgscanImageInfo *info;

  info = imgscan_image_check (file, cancellable, &error);
  if (info == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, info, g_object_unref);
}

void
imgscan_image_check_async (GFile               *file,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, imgscan_image_check_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, image_check_thread);
}

ImgscanImageInfo *
imgscan_image_check_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == imgscan_image_check_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
