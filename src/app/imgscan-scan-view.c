/* imgscan-scan-view.c: the photo being scanned, its progress and Cancel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-scan-view"

#include "config.h"

#include <glib/gi18n.h>

#include "imgscan-scan-view.h"

struct _ImgscanScanView
{
  GtkWidget       parent_instance;

  GtkLabel       *name_label;
  GtkPicture     *preview;
  GtkSpinner     *preview_spinner;
  GtkStack       *preview_stack;
  GtkProgressBar *progress_bar;
  GtkLabel       *size_label;
  GtkLabel       *status_label;

  GCancellable   *preview_cancellable;
  guint           pulse_id;
};

G_DEFINE_FINAL_TYPE (ImgscanScanView, imgscan_scan_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PREVIEW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Runs in a worker thread: a 75-megapixel photo is decoded straight to preview size
 * (the JPEG loader scales while decoding), so neither the window nor memory suffers. */
static void
decode_preview_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  GError *error = NULL;

  stream = g_file_read (file, cancellable, &error);
  if (stream != NULL)
    pixbuf = gdk_pixbuf_new_from_stream_at_scale (G_INPUT_STREAM (stream),
                                                  IMGSCAN_SCAN_VIEW_PREVIEW_SIZE * 2,
                                                  IMGSCAN_SCAN_VIEW_PREVIEW_SIZE * 2,
                                                  TRUE, cancellable, &error);
  if (pixbuf == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Cameras store portrait photos sideways with an EXIF tag. */
  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  g_task_return_pointer (task, gdk_texture_new_for_pixbuf (oriented ? oriented : pixbuf),
                         g_object_unref);
}

static void
decode_preview_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ImgscanScanView) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_stop (self->preview_spinner);
  if (texture == NULL)
    {
      /* The core's check says what is wrong with the file; the preview just steps aside. */
      g_debug ("No preview: %s", error->message);
      gtk_stack_set_visible_child_name (self->preview_stack, "none");
      return;
    }

  gtk_picture_set_paintable (self->preview, GDK_PAINTABLE (texture));
  gtk_stack_set_visible_child_name (self->preview_stack, "preview");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREVIEW]);
}

static void
stop_pulse (ImgscanScanView *self)
{
  g_clear_handle_id (&self->pulse_id, g_source_remove);
}

void
imgscan_scan_view_stop (ImgscanScanView *self)
{
  g_return_if_fail (IMGSCAN_IS_SCAN_VIEW (self));

  stop_pulse (self);
  g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  gtk_spinner_stop (self->preview_spinner);
}

void
imgscan_scan_view_set_file (ImgscanScanView *self,
                            GFile           *file)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *basename = NULL;

  g_return_if_fail (IMGSCAN_IS_SCAN_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  imgscan_scan_view_stop (self);

  basename = g_file_get_basename (file);
  gtk_label_set_text (self->name_label, basename);
  gtk_label_set_text (self->size_label, "");
  gtk_label_set_text (self->status_label, _("Checking the photo…"));
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_picture_set_paintable (self->preview, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREVIEW]);
  gtk_stack_set_visible_child_name (self->preview_stack, "loading");
  gtk_spinner_start (self->preview_spinner);

  self->preview_cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->preview_cancellable, decode_preview_cb, g_object_ref (self));
  g_task_set_source_tag (task, imgscan_scan_view_set_file);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, decode_preview_thread);
}

void
imgscan_scan_view_set_info (ImgscanScanView  *self,
                            ImgscanImageInfo *info)
{
  g_autofree char *size = NULL;
  g_autofree char *text = NULL;
  guint width, height;

  g_return_if_fail (IMGSCAN_IS_SCAN_VIEW (self));
  g_return_if_fail (IMGSCAN_IS_IMAGE_INFO (info));

  size = imgscan_format_size (imgscan_image_info_get_size (info));
  width = imgscan_image_info_get_width (info);
  height = imgscan_image_info_get_height (info);
  if (width > 0 && height > 0)
    /* Translators: file size, then pixel dimensions, e.g. "3.1 MB · 4000 × 3000" */
    text = g_strdup_printf (_("%s · %u × %u"), size, width, height);
  else
    text = g_strdup (size);

  gtk_label_set_text (self->size_label, text);
}

static gboolean
pulse_cb (gpointer user_data)
{
  ImgscanScanView *self = user_data;

  gtk_progress_bar_pulse (self->progress_bar);

  return G_SOURCE_CONTINUE;
}

static void
start_pulse (ImgscanScanView *self)
{
  if (self->pulse_id == 0)
    self->pulse_id = g_timeout_add (120, pulse_cb, self);
}

void
imgscan_scan_view_set_progress (ImgscanScanView    *self,
                                ImgscanClientPhase  phase,
                                guint64             done,
                                guint64             total)
{
  g_autofree char *text = NULL;

  g_return_if_fail (IMGSCAN_IS_SCAN_VIEW (self));

  switch (phase)
    {
    case IMGSCAN_CLIENT_PHASE_CHECKING:
      text = g_strdup (_("Checking the photo…"));
      break;

    case IMGSCAN_CLIENT_PHASE_LOGGING_IN:
      text = g_strdup (_("Signing in to Copyleaks…"));
      start_pulse (self);
      break;

    case IMGSCAN_CLIENT_PHASE_UPLOADING:
      {
        g_autofree char *done_str = imgscan_format_size (done);
        g_autofree char *total_str = imgscan_format_size (total);

        stop_pulse (self);
        gtk_progress_bar_set_fraction (self->progress_bar,
                                       total > 0 ? (double) MIN (done, total) / total : 0.0);
        /* Translators: "Uploading… 1.2 MB of 3.4 MB" */
        text = g_strdup_printf (_("Uploading… %s of %s"), done_str, total_str);
      }
      break;

    case IMGSCAN_CLIENT_PHASE_SEARCHING:
      text = g_strdup (_("Searching the web…"));
      start_pulse (self);
      break;

    case IMGSCAN_CLIENT_PHASE_RETRYING:
      {
        guint seconds = (guint) ((total > done ? total - done : 0) + 999) / 1000;

        text = g_strdup_printf (ngettext ("Copyleaks is busy; trying again in %u second…",
                                          "Copyleaks is busy; trying again in %u seconds…",
                                          seconds),
                                seconds);
        start_pulse (self);
      }
      break;

    default:
      return;
    }

  gtk_label_set_text (self->status_label, text);
}

GdkPaintable *
imgscan_scan_view_get_preview (ImgscanScanView *self)
{
  g_return_val_if_fail (IMGSCAN_IS_SCAN_VIEW (self), NULL);

  return gtk_picture_get_paintable (self->preview);
}

gboolean
imgscan_scan_view_has_preview (ImgscanScanView *self)
{
  g_return_val_if_fail (IMGSCAN_IS_SCAN_VIEW (self), FALSE);

  return gtk_picture_get_paintable (self->preview) != NULL;
}

const char *
imgscan_scan_view_get_status (ImgscanScanView *self)
{
  g_return_val_if_fail (IMGSCAN_IS_SCAN_VIEW (self), NULL);

  return gtk_label_get_text (self->status_label);
}

static void
imgscan_scan_view_dispose (GObject *object)
{
  ImgscanScanView *self = IMGSCAN_SCAN_VIEW (object);
  GtkWidget *child;

  imgscan_scan_view_stop (self);

  /* The template's root is a plain child: unparent it, then drop the bound pointers. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  gtk_widget_dispose_template (GTK_WIDGET (self), IMGSCAN_TYPE_SCAN_VIEW);

  G_OBJECT_CLASS (imgscan_scan_view_parent_class)->dispose (object);
}

static void
imgscan_scan_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ImgscanScanView *self = IMGSCAN_SCAN_VIEW (object);

  switch (prop_id)
    {
    case PROP_PREVIEW:
      g_value_set_object (value, imgscan_scan_view_get_preview (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
imgscan_scan_view_class_init (ImgscanScanViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = imgscan_scan_view_dispose;
  object_class->get_property = imgscan_scan_view_get_property;

  properties[PROP_PREVIEW] =
    g_param_spec_object ("preview", NULL, NULL, GDK_TYPE_PAINTABLE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/imgscan-scan-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ImgscanScanView, name_label);
  gtk_widget_class_bind_template_child (widget_class, ImgscanScanView, preview);
  gtk_widget_class_bind_template_child (widget_class, ImgscanScanView, preview_spinner);
  gtk_widget_class_bind_template_child (widget_class, ImgscanScanView, preview_stack);
  gtk_widget_class_bind_template_child (widget_class, ImgscanScanView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, ImgscanScanView, size_label);
  gtk_widget_class_bind_template_child (widget_class, ImgscanScanView, status_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
imgscan_scan_view_init (ImgscanScanView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
