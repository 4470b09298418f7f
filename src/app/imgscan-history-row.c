/* imgscan-history-row.c: one kept scan in the history list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-history-row"

#include "config.h"

#include <glib/gi18n.h>

#include "imgscan-history-row.h"

/* The preview is shown at 48 px; decoded at twice that for HiDPI screens. */
#define PREVIEW_SIZE 96

struct _ImgscanHistoryRow
{
  GtkWidget            parent_instance;

  GtkLabel            *counts_label;
  GtkLabel            *date_label;
  GtkButton           *delete_button;
  GtkLabel            *name_label;
  GtkImage            *preview_image;
  GtkLabel            *sandbox_label;

  ImgscanHistoryEntry *entry;
  GCancellable        *cancellable;   /* the preview being decoded */
  guint                preview_loaded : 1;
};

G_DEFINE_FINAL_TYPE (ImgscanHistoryRow, imgscan_history_row, GTK_TYPE_WIDGET)

char *
imgscan_history_format_counts (guint n_full,
                               guint n_partial)
{
  g_autofree char *full = NULL;
  g_autofree char *partial = NULL;

  if (n_full == 0 && n_partial == 0)
    return g_strdup (_("No copies found"));

  full = g_strdup_printf (ngettext ("%u full", "%u full", n_full), n_full);
  partial = g_strdup_printf (ngettext ("%u partial", "%u partial", n_partial), n_partial);
  /* Translators: match counts of a past scan, "2 full · 1 partial" */
  return g_strdup_printf (_("%s · %s"), full, partial);
}

char *
imgscan_history_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *clock = NULL;
  int days;

  g_return_val_if_fail (time != NULL, NULL);

  local = g_date_time_to_local (time);
  now = g_date_time_new_now_local ();
  /* Calendar days apart, not 24-hour periods. */
  days = (int) (g_date_time_get_year (now) * 400 + g_date_time_get_day_of_year (now))
         - (int) (g_date_time_get_year (local) * 400 + g_date_time_get_day_of_year (local));
  clock = g_date_time_format (local, "%X");

  if (days == 0)
    /* Translators: %s is a time of day */
    return g_strdup_printf (_("Today, %s"), clock);
  if (days == 1)
    /* Translators: %s is a time of day */
    return g_strdup_printf (_("Yesterday, %s"), clock);

  /* Translators: a date and time in the locale's format; see g_date_time_format() */
  /* xgettext:no-c-format */
  return g_date_time_format (local, _("%x %X"));
}

static void
preview_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autofree char *path = g_file_get_path (file);
  GError *error = NULL;
  GdkPixbuf *pixbuf;

  pixbuf = gdk_pixbuf_new_from_file_at_scale (path, PREVIEW_SIZE, PREVIEW_SIZE, TRUE, &error);
  if (pixbuf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pixbuf, g_object_unref);
}

static void
preview_cb (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  ImgscanHistoryRow *self = IMGSCAN_HISTORY_ROW (object);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  pixbuf = g_task_propagate_pointer (G_TASK (res), &error);
  if (pixbuf == NULL)
    {
      /* A missing or damaged preview is cosmetic: the scan itself is intact. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No preview: %s", error->message);
      return;
    }

  texture = gdk_texture_new_for_pixbuf (pixbuf);
  gtk_image_set_from_paintable (self->preview_image, GDK_PAINTABLE (texture));
  self->preview_loaded = TRUE;
}

static void
load_preview (ImgscanHistoryRow *self)
{
  g_autoptr(GFile) preview = NULL;
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->preview_loaded = FALSE;
  gtk_image_set_from_icon_name (self->preview_image, "image-x-generic-symbolic");

  if (self->entry == NULL || (preview = imgscan_history_entry_get_preview (self->entry)) == NULL)
    return;

  /* Decoding is off the main thread: scrolling a long history must not stutter. */
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, preview_cb, NULL);
  g_task_set_source_tag (task, load_preview);
  g_task_set_task_data (task, g_steal_pointer (&preview), g_object_unref);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, preview_thread);
}

void
imgscan_history_row_set_entry (ImgscanHistoryRow   *self,
                               ImgscanHistoryEntry *entry)
{
  g_autofree char *counts = NULL;
  g_autofree char *when = NULL;
  g_autofree char *delete_name = NULL;
  const char *filename;

  g_return_if_fail (IMGSCAN_IS_HISTORY_ROW (self));
  g_return_if_fail (entry == NULL || IMGSCAN_IS_HISTORY_ENTRY (entry));

  if (self->entry == entry)
    return;

  g_set_object (&self->entry, entry);
  load_preview (self);

  if (entry == NULL)
    return;

  filename = imgscan_history_entry_get_filename (entry);
  if (filename == NULL || *filename == '\0')
    filename = _("Unnamed photo");
  gtk_label_set_text (self->name_label, filename);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), imgscan_history_entry_get_path (entry));

  when = imgscan_history_format_time (imgscan_history_entry_get_time (entry));
  gtk_label_set_text (self->date_label, when);

  counts = imgscan_history_format_counts (imgscan_history_entry_get_n_full (entry),
                                          imgscan_history_entry_get_n_partial (entry));
  gtk_label_set_text (self->counts_label, counts);

  gtk_widget_set_visible (GTK_WIDGET (self->sandbox_label), imgscan_history_entry_get_sandbox (entry));

  /* Translators: accessible name of a delete button; %s is a file name */
  delete_name = g_strdup_printf (_("Delete the scan of %s"), filename);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->delete_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, delete_name, -1);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->delete_button), "s",
                                    imgscan_history_entry_get_scan_id (entry));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->delete_button), "history.delete");
}

ImgscanHistoryEntry *
imgscan_history_row_get_entry (ImgscanHistoryRow *self)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY_ROW (self), NULL);

  return self->entry;
}

const char *
imgscan_history_row_get_counts_text (ImgscanHistoryRow *self)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY_ROW (self), NULL);

  return gtk_label_get_text (self->counts_label);
}

const char *
imgscan_history_row_get_date_text (ImgscanHistoryRow *self)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY_ROW (self), NULL);

  return gtk_label_get_text (self->date_label);
}

gboolean
imgscan_history_row_get_sandbox_shown (ImgscanHistoryRow *self)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY_ROW (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self->sandbox_label));
}

gboolean
imgscan_history_row_get_preview_loaded (ImgscanHistoryRow *self)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY_ROW (self), FALSE);

  return self->preview_loaded;
}

static void
imgscan_history_row_dispose (GObject *object)
{
  ImgscanHistoryRow *self = IMGSCAN_HISTORY_ROW (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  gtk_widget_dispose_template (GTK_WIDGET (self), IMGSCAN_TYPE_HISTORY_ROW);
  g_clear_object (&self->entry);

  G_OBJECT_CLASS (imgscan_history_row_parent_class)->dispose (object);
}

static void
imgscan_history_row_class_init (ImgscanHistoryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = imgscan_history_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/imgscan-history-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ImgscanHistoryRow, counts_label);
  gtk_widget_class_bind_template_child (widget_class, ImgscanHistoryRow, date_label);
  gtk_widget_class_bind_template_child (widget_class, ImgscanHistoryRow, delete_button);
  gtk_widget_class_bind_template_child (widget_class, ImgscanHistoryRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, ImgscanHistoryRow, preview_image);
  gtk_widget_class_bind_template_child (widget_class, ImgscanHistoryRow, sandbox_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
imgscan_history_row_init (ImgscanHistoryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
imgscan_history_row_new (void)
{
  return g_object_new (IMGSCAN_TYPE_HISTORY_ROW, NULL);
}
