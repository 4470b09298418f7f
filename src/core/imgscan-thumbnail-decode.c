/* imgscan-thumbnail-decode.c: thumbnails decoded at size, and kept on disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-thumbnail-loader"

#include "config.h"

#include <utime.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "imgscan-thumbnail-private.h"

/* Decoding a PNG, GIF or WebP allocates the full-size image before scaling, so a
 * third-party file that declares a huge canvas is refused. JPEG scales while it
 * decodes (up to 1/8), so it may be bigger. */
#define MAX_PIXELS_UNSCALED  (16 * 1000 * 1000)
#define MAX_PIXELS_JPEG      (75 * 1000 * 1000)

typedef struct
{
  int      size;
  gboolean too_big;
  int      width;
  int      height;
} SizeState;

static void
on_size_prepared (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  SizeState *state = user_data;
  GdkPixbufFormat *format = gdk_pixbuf_loader_get_format (loader);
  g_autofree char *format_name = format ? gdk_pixbuf_format_get_name (format) : NULL;
  gint64 max_pixels = g_strcmp0 (format_name, "jpeg") == 0 ? MAX_PIXELS_JPEG : MAX_PIXELS_UNSCALED;
  double scale;

  state->width = width;
  state->height = height;

  if (width <= 0 || height <= 0 || (gint64)width * (gint64)height > max_pixels)
    {
      /* A zero size tells the decoder to stop before it allocates anything. */
      state->too_big = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
      return;
    }

  if (width <= state->size && height <= state->size)
    return;

  scale = MIN ((double)state->size / width, (double)state->size / height);
  gdk_pixbuf_loader_set_size (loader,
                              MAX (1, (int)(width * scale + 0.5)),
                              MAX (1, (int)(height * scale + 0.5)));
}

static GdkPixbuf *
decode_with (GdkPixbufLoader  *loader,
             const guint8     *data,
             gsize             length,
             int               size,
             gboolean         *too_big,
             GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  SizeState state = { size, FALSE, 0, 0 };
  GdkPixbuf *pixbuf;
  gboolean ok;

  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), &state);

  ok = gdk_pixbuf_loader_write (loader, data, length, &local_error);
  /* Always close, even after an error, or the loader warns on finalize. */
  if (!gdk_pixbuf_loader_close (loader, ok ? &local_error : NULL))
    ok = FALSE;

  *too_big = state.too_big;
  if (state.too_big)
    {
      g_set_error (error, IMGSCAN_THUMBNAIL_ERROR, IMGSCAN_THUMBNAIL_ERROR_NOT_IMAGE,
                   _("The image is too large to preview (%d × %d pixels)"),
                   state.width, state.height);
      return NULL;
    }

  pixbuf = ok ? gdk_pixbuf_loader_get_pixbuf (loader) : NULL;
  if (pixbuf == NULL)
    {
      g_set_error (error, IMGSCAN_THUMBNAIL_ERROR, IMGSCAN_THUMBNAIL_ERROR_NOT_IMAGE,
                   _("The file is not an image that can be shown: %s"),
                   local_error ? local_error->message : _("unknown format"));
      return NULL;
    }

  return g_object_ref (pixbuf);
}

GdkPixbuf *
imgscan_thumbnail_decode (const guint8  *data,
                          gsize          length,
                          int            size,
                          const char    *mime_type,
                          GError       **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  gboolean too_big = FALSE;

  /* The declared type first: it needs no MIME sniffing (and so no shared-mime-info).
   * Servers do lie about types, so on failure the content decides. */
  if (mime_type != NULL && g_str_has_prefix (mime_type, "image/"))
    loader = gdk_pixbuf_loader_new_with_mime_type (mime_type, NULL);

  if (loader != NULL)
    {
      g_autoptr(GError) typed_error = NULL;
      GdkPixbuf *pixbuf = decode_with (loader, data, length, size, &too_big, &typed_error);

      if (pixbuf != NULL || too_big)
        {
          if (typed_error != NULL)
            g_propagate_error (error, g_steal_pointer (&typed_error));
          return pixbuf;
        }
      g_clear_object (&loader);
    }

  loader = gdk_pixbuf_loader_new ();
  return decode_with (loader, data, length, size, &too_big, error);
}

GdkPixbuf *
imgscan_thumbnail_cache_read (GFile *file,
                              int    size)
{
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, &error);
  GdkPixbuf *pixbuf;

  if (mapped == NULL)
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_debug ("Ignoring cached thumbnail %s: %s", path, error->message);
      return NULL;
    }

  /* The cache holds our own small PNGs; the size bound guards against tampering. */
  pixbuf = imgscan_thumbnail_decode ((const guint8 *)g_mapped_file_get_contents (mapped),
                                     g_mapped_file_get_length (mapped), size, "image/png", &error);
  if (pixbuf == NULL)
    g_debug ("Ignoring cached thumbnail %s: %s", path, error->message);
  else
    g_utime (path, NULL);   /* recently used: pruned last */

  return pixbuf;
}

gboolean
imgscan_thumbnail_cache_write (GFile     *file,
                               GdkPixbuf *pixbuf)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autoptr(GError) error = NULL;
  g_autofree char *png = NULL;
  gsize png_len;

  if (!g_file_make_directory_with_parents (parent, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    g_debug ("Cannot create the thumbnail cache: %s", error->message);
  g_clear_error (&error);

  /* Written aside and renamed: a reader never sees half a file. */
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &png, &png_len, "png", &error, NULL) ||
      !g_file_replace_contents (file, png, png_len, NULL, FALSE,
                                G_FILE_CREATE_PRIVATE, NULL, NULL, &error))
    {
      g_debug ("Cannot cache a thumbnail: %s", error->message);
      return FALSE;
    }

  return TRUE;
}

typedef struct
{
  char   *name;
  gint64  mtime;
} CacheFile;

static int
compare_cache_files (gconstpointer a,
                     gconstpointer b)
{
  const CacheFile *fa = a, *fb = b;

  return fa->mtime < fb->mtime ? -1 : fa->mtime > fb->mtime;
}

void
imgscan_thumbnail_cache_prune (GFile *cache_dir,
                               guint  max_entries)
{
  g_autofree char *dir_path = g_file_get_path (cache_dir);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GArray) files = g_array_new (FALSE, FALSE, sizeof (CacheFile));
  guint keep = MAX (1, max_entries - max_entries / 5);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      GStatBuf st;
      CacheFile file;

      if (!g_str_has_suffix (name, ".png"))
        continue;
      path = g_build_filename (dir_path, name, NULL);
      if (g_stat (path, &st) != 0)
        continue;
      file.name = g_strdup (name);
      file.mtime = (gint64)st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000;
      g_array_append_val (files, file);
    }

  if (files->len > max_entries)
    {
      g_array_sort (files, compare_cache_files);
      for (guint i = 0; i < files->len - keep; i++)
        {
          g_autofree char *path = g_build_filename (dir_path, g_array_index (files, CacheFile, i).name, NULL);

          g_unlink (path);
        }
    }

  for (guint i = 0; i < files->len; i++)
    g_free (g_array_index (files, CacheFile, i).name);
}
