/* imgscan-window-dnd.c: photos that arrive by drag and drop or by paste
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-window"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "imgscan-window-private.h"

static void
open_file_list (ImgscanWindow *self,
                GSList        *files)
{
  g_autoptr(GPtrArray) array = g_ptr_array_new ();

  for (GSList *l = files; l != NULL; l = l->next)
    g_ptr_array_add (array, l->data);

  if (array->len == 0)
    {
      imgscan_window_add_toast (self, _("Nothing to scan: no file was given"));
      return;
    }

  imgscan_window_open_files (self, (GFile **) array->pdata, array->len);
}

/* Runs in a worker thread: encoding a big image as PNG takes a while. The directory
 * is private (0700) and the file 0600: a pasted image may be unpublished work. */
static void
save_texture_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  GdkTexture *texture = task_data;
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GBytes) png = NULL;
  GError *error = NULL;

  dir = g_build_filename (g_get_user_cache_dir (), "imgscan", "pasted", NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0 || g_chmod (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Could not create the folder %s: %s"), dir, g_strerror (saved_errno));
      return;
    }

  png = gdk_texture_save_to_png_bytes (texture);
  name = g_date_time_format (now, "pasted-image-%Y%m%d-%H%M%S.png");
  path = g_build_filename (dir, name, NULL);
  if (!g_file_set_contents_full (path, g_bytes_get_data (png, NULL), g_bytes_get_size (png),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_file_new_for_path (path), g_object_unref);
}

static void
save_texture_cb (GObject      *object,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  ImgscanWindow *self = IMGSCAN_WINDOW (object);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  file = g_task_propagate_pointer (G_TASK (res), &error);
  if (file == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The image could not be saved for scanning: %s"),
                                               error->message);

      imgscan_window_add_toast (self, text);
      return;
    }

  imgscan_window_open_file (self, file);
}

void
_imgscan_window_open_texture (ImgscanWindow *self,
                              GdkTexture    *texture)
{
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, NULL, save_texture_cb, NULL);
  g_task_set_source_tag (task, _imgscan_window_open_texture);
  g_task_set_task_data (task, g_object_ref (texture), g_object_unref);
  g_task_run_in_thread (task, save_texture_thread);
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         ImgscanWindow *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->toast_overlay), "drop-highlight");

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      open_file_list (self, gdk_file_list_get_files (g_value_get_boxed (value)));
      return TRUE;
    }
  if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    {
      imgscan_window_open_file (self, g_value_get_object (value));
      return TRUE;
    }
  if (G_VALUE_HOLDS (value, GDK_TYPE_TEXTURE))
    {
      _imgscan_window_open_texture (self, g_value_get_object (value));
      return TRUE;
    }

  return FALSE;
}

static GdkDragAction
on_enter (GtkDropTarget *target,
          double         x,
          double         y,
          ImgscanWindow *self)
{
  gtk_widget_add_css_class (GTK_WIDGET (self->toast_overlay), "drop-highlight");

  return GDK_ACTION_COPY;
}

static void
on_leave (GtkDropTarget *target,
          ImgscanWindow *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->toast_overlay), "drop-highlight");
}

void
_imgscan_window_init_dnd (ImgscanWindow *self)
{
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE, GDK_TYPE_TEXTURE };

  self->drop_target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (self->drop_target, types, G_N_ELEMENTS (types));
  g_signal_connect_object (self->drop_target, "drop", G_CALLBACK (on_drop), self, 0);
  g_signal_connect_object (self->drop_target, "enter", G_CALLBACK (on_enter), self, 0);
  g_signal_connect_object (self->drop_target, "leave", G_CALLBACK (on_leave), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (self->drop_target));
}

/* Paste */

static void
paste_files_cb (GObject      *object,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr(ImgscanWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  const GValue *value;

  value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (object), res, &error);
  if (value == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Could not paste: %s"), error->message);

      imgscan_window_add_toast (self, text);
      return;
    }

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    open_file_list (self, gdk_file_list_get_files (g_value_get_boxed (value)));
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    imgscan_window_open_file (self, g_value_get_object (value));
}

static void
paste_texture_cb (GObject      *object,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  g_autoptr(ImgscanWindow) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (object), res, &error);
  if (texture == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Could not paste the image: %s"), error->message);

      imgscan_window_add_toast (self, text);
      return;
    }

  _imgscan_window_open_texture (self, texture);
}

void
_imgscan_window_paste (ImgscanWindow *self)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));
  g_autoptr(GdkContentFormats) formats = NULL;

  /* Another app's clipboard offers mime types: add the types they can become. */
  formats = gdk_content_formats_union_deserialize_gtypes (
              gdk_content_formats_ref (gdk_clipboard_get_formats (clipboard)));

  /* Files first: a file manager's copy keeps the original file and its name. */
  if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST))
    gdk_clipboard_read_value_async (clipboard, GDK_TYPE_FILE_LIST, G_PRIORITY_DEFAULT, NULL,
                                    paste_files_cb, g_object_ref (self));
  else if (gdk_content_formats_contain_gtype (formats, G_TYPE_FILE))
    gdk_clipboard_read_value_async (clipboard, G_TYPE_FILE, G_PRIORITY_DEFAULT, NULL,
                                    paste_files_cb, g_object_ref (self));
  else if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE))
    gdk_clipboard_read_texture_async (clipboard, NULL, paste_texture_cb, g_object_ref (self));
  else
    imgscan_window_add_toast (self, _("The clipboard holds no photo: copy a photo or an image file first"));
}
