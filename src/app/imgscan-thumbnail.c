/* imgscan-thumbnail.c: a matched image's thumbnail, loaded only while it is shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-thumbnail"

#include "config.h"

#include <glib/gi18n.h>

#include "imgscan-core.h"
#include "imgscan-texture-cache.h"
#include "imgscan-thumbnail.h"

/* Decoded at twice the shown size: sharp on a HiDPI screen. */
#define LOAD_SIZE (IMGSCAN_THUMBNAIL_SIZE * 2)

struct _ImgscanThumbnail
{
  GtkWidget              parent_instance;

  GtkImage              *image;
  GCancellable          *cancellable;
  char                  *url;
  ImgscanThumbnailState  state;
  guint                  start_id;
};

G_DEFINE_FINAL_TYPE (ImgscanThumbnail, imgscan_thumbnail, GTK_TYPE_WIDGET)

static void
set_icon (ImgscanThumbnail *self,
          const char       *icon_name)
{
  gtk_image_set_from_icon_name (self->image, icon_name);
  gtk_image_set_pixel_size (self->image, IMGSCAN_THUMBNAIL_SIZE / 2);
  gtk_widget_add_css_class (GTK_WIDGET (self->image), "dim-label");
}

static void
show_texture (ImgscanThumbnail *self,
              GdkTexture       *texture)
{
  self->state = IMGSCAN_THUMBNAIL_STATE_LOADED;
  gtk_widget_remove_css_class (GTK_WIDGET (self->image), "dim-label");
  gtk_image_set_from_paintable (self->image, GDK_PAINTABLE (texture));
  gtk_image_set_pixel_size (self->image, IMGSCAN_THUMBNAIL_SIZE);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  ImgscanThumbnailLoader *loader = IMGSCAN_THUMBNAIL_LOADER (object);
  g_autoptr(GCancellable) cancellable = user_data;
  ImgscanThumbnail *self;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  pixbuf = imgscan_thumbnail_loader_load_finish (loader, result, &error);
  /* Unbound, or bound to another match meanwhile (the load may have finished just
   * before it was cancelled): not ours to show. */
  if (g_cancellable_is_cancelled (cancellable))
    return;

  self = g_object_get_data (G_OBJECT (cancellable), "imgscan-thumbnail");
  g_assert (self != NULL && self->cancellable == cancellable);

  g_clear_object (&self->cancellable);

  if (pixbuf == NULL)
    {
      g_debug ("Thumbnail of %s: %s", self->url, error->message);
      self->state = IMGSCAN_THUMBNAIL_STATE_FAILED;
      /* Turned off in the preferences is a choice, not a broken image. */
      if (g_error_matches (error, IMGSCAN_THUMBNAIL_ERROR, IMGSCAN_THUMBNAIL_ERROR_DISABLED))
        {
          set_icon (self, "image-x-generic-symbolic");
          gtk_widget_set_tooltip_text (GTK_WIDGET (self),
                                       _("Thumbnails from the web are turned off in the preferences"));
        }
      else
        {
          set_icon (self, "image-missing-symbolic");
          gtk_widget_set_tooltip_text (GTK_WIDGET (self), _("The thumbnail could not be loaded"));
        }
      return;
    }

  /* One texture per thumbnail, shared by every row that shows it: a new GdkTexture per
   * bind would be uploaded again by the renderer each time. */
  texture = imgscan_texture_cache_add_pixbuf (imgscan_texture_cache_get_default (),
                                              self->url, LOAD_SIZE, pixbuf);
  show_texture (self, texture);
}

static gboolean
start_load_cb (gpointer user_data)
{
  ImgscanThumbnail *self = user_data;

  self->start_id = 0;

  /* The cancellable carries the load: every way a row lets go of it cancels it first,
   * so a live one always belongs to a live widget. */
  self->cancellable = g_cancellable_new ();
  g_object_set_data (G_OBJECT (self->cancellable), "imgscan-thumbnail", self);
  imgscan_thumbnail_loader_load_async (imgscan_thumbnail_loader_get_default (),
                                       self->url,
                                       LOAD_SIZE,
                                       self->cancellable,
                                       load_cb,
                                       g_object_ref (self->cancellable));

  return G_SOURCE_REMOVE;
}

void
imgscan_thumbnail_set_url (ImgscanThumbnail *self,
                           const char       *url)
{
  g_autoptr(GdkTexture) texture = NULL;

  g_return_if_fail (IMGSCAN_IS_THUMBNAIL (self));

  g_clear_handle_id (&self->start_id, g_source_remove);

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }

  g_free (self->url);
  self->url = g_strdup (url);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), NULL);

  if (url == NULL)
    {
      self->state = IMGSCAN_THUMBNAIL_STATE_EMPTY;
      gtk_image_clear (self->image);
      return;
    }

  /* Seen a moment ago (scrolling back): show it in this very frame. */
  texture = imgscan_texture_cache_lookup (imgscan_texture_cache_get_default (), url, LOAD_SIZE);
  if (texture != NULL)
    {
      show_texture (self, texture);
      return;
    }

  self->state = IMGSCAN_THUMBNAIL_STATE_LOADING;
  set_icon (self, "image-x-generic-symbolic");

  /* Start after the frame that shows the row: binding a screenful of rows stays cheap,
   * and a row that scrolls past within one frame never costs a request. */
  self->start_id = g_idle_add_full (G_PRIORITY_LOW, start_load_cb, self, NULL);
}

const char *
imgscan_thumbnail_get_url (ImgscanThumbnail *self)
{
  g_return_val_if_fail (IMGSCAN_IS_THUMBNAIL (self), NULL);

  return self->url;
}

ImgscanThumbnailState
imgscan_thumbnail_get_state (ImgscanThumbnail *self)
{
  g_return_val_if_fail (IMGSCAN_IS_THUMBNAIL (self), IMGSCAN_THUMBNAIL_STATE_EMPTY);

  return self->state;
}

GdkPaintable *
imgscan_thumbnail_get_paintable (ImgscanThumbnail *self)
{
  g_return_val_if_fail (IMGSCAN_IS_THUMBNAIL (self), NULL);

  return gtk_image_get_paintable (self->image);
}

const char *
imgscan_thumbnail_get_icon_name (ImgscanThumbnail *self)
{
  g_return_val_if_fail (IMGSCAN_IS_THUMBNAIL (self), NULL);

  return gtk_image_get_icon_name (self->image);
}

static void
imgscan_thumbnail_unmap (GtkWidget *widget)
{
  ImgscanThumbnail *self = IMGSCAN_THUMBNAIL (widget);

  /* Hidden before it arrived (window closed, page switched): stop the download. */
  if (self->state == IMGSCAN_THUMBNAIL_STATE_LOADING)
    {
      g_clear_handle_id (&self->start_id, g_source_remove);
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->state = IMGSCAN_THUMBNAIL_STATE_EMPTY;
    }

  GTK_WIDGET_CLASS (imgscan_thumbnail_parent_class)->unmap (widget);
}

static void
imgscan_thumbnail_map (GtkWidget *widget)
{
  ImgscanThumbnail *self = IMGSCAN_THUMBNAIL (widget);

  GTK_WIDGET_CLASS (imgscan_thumbnail_parent_class)->map (widget);

  /* Shown again after an interrupted load: start over. */
  if (self->state == IMGSCAN_THUMBNAIL_STATE_EMPTY && self->url != NULL)
    {
      g_autofree char *url = g_strdup (self->url);

      imgscan_thumbnail_set_url (self, url);
    }
}

static void
imgscan_thumbnail_dispose (GObject *object)
{
  ImgscanThumbnail *self = IMGSCAN_THUMBNAIL (object);

  g_clear_handle_id (&self->start_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->image != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->image));
      self->image = NULL;
    }

  G_OBJECT_CLASS (imgscan_thumbnail_parent_class)->dispose (object);
}

static void
imgscan_thumbnail_finalize (GObject *object)
{
  ImgscanThumbnail *self = IMGSCAN_THUMBNAIL (object);

  g_free (self->url);

  G_OBJECT_CLASS (imgscan_thumbnail_parent_class)->finalize (object);
}

static void
imgscan_thumbnail_class_init (ImgscanThumbnailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = imgscan_thumbnail_dispose;
  object_class->finalize = imgscan_thumbnail_finalize;
  widget_class->map = imgscan_thumbnail_map;
  widget_class->unmap = imgscan_thumbnail_unmap;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "thumbnail");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
imgscan_thumbnail_init (ImgscanThumbnail *self)
{
  gtk_widget_set_size_request (GTK_WIDGET (self), IMGSCAN_THUMBNAIL_SIZE, IMGSCAN_THUMBNAIL_SIZE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_START);

  self->image = GTK_IMAGE (gtk_image_new ());
  gtk_widget_set_halign (GTK_WIDGET (self->image), GTK_ALIGN_CENTER);
  gtk_widget_set_valign (GTK_WIDGET (self->image), GTK_ALIGN_CENTER);
  gtk_widget_set_parent (GTK_WIDGET (self->image), GTK_WIDGET (self));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Thumbnail of the matched image"),
                                  -1);
}

GtkWidget *
imgscan_thumbnail_new (void)
{
  return g_object_new (IMGSCAN_TYPE_THUMBNAIL, NULL);
}
