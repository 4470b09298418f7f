/* imgscan-window-history.c: the window's history page, "what changed" and export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-window-history"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "imgscan-history-row.h"
#include "imgscan-history-view.h"
#include "imgscan-window-private.h"

/* A long "no longer found" list is cut here; the JSON export of both scans has all. */
#define MAX_GONE_SHOWN 100

/* The window's state for this file, kept on the window (freed at its finalization). */
typedef struct
{
  ImgscanHistoryView *view;            /* unowned: a page of the window's stack */
  GtkWidget          *changes_box;     /* unowned: under the results */
  GtkLabel           *changes_label;
  GtkExpander        *gone_expander;
  GtkBox             *gone_box;
  ImgscanResult      *changes_for;     /* the result the changes describe */
  GCancellable       *cancellable;     /* reopening a past scan */
  char               *previous_page;   /* where closing the history goes back to */
  GSimpleAction      *show_history;
  GSimpleAction      *export_csv;
  GSimpleAction      *export_json;
} HistoryUi;

static void
history_ui_free (HistoryUi *ui)
{
  g_cancellable_cancel (ui->cancellable);
  g_clear_object (&ui->cancellable);
  g_clear_object (&ui->changes_for);
  g_clear_pointer (&ui->previous_page, g_free);
  g_clear_object (&ui->show_history);
  g_clear_object (&ui->export_csv);
  g_clear_object (&ui->export_json);
  g_free (ui);
}

static GQuark
history_ui_quark (void)
{
  return g_quark_from_static_string ("imgscan-window-history-ui");
}

static HistoryUi *
get_ui (ImgscanWindow *self)
{
  return g_object_get_qdata (G_OBJECT (self), history_ui_quark ());
}

/* What changed since the previous scan of the same photo */

static void
clear_changes (HistoryUi *ui)
{
  GtkWidget *child;

  g_clear_object (&ui->changes_for);
  gtk_widget_set_visible (ui->changes_box, FALSE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (ui->gone_box))) != NULL)
    gtk_box_remove (ui->gone_box, child);
}

static guint
count_new (ImgscanResult *result)
{
  GListModel *matches = imgscan_result_get_matches (result);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (matches); i++)
    {
      g_autoptr(ImgscanMatch) match = g_list_model_get_item (matches, i);

      n += imgscan_match_get_is_new (match) ? 1 : 0;
    }

  return n;
}

static GtkWidget *
make_gone_item (const char *url)
{
  GtkWidget *label = gtk_label_new (url);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_tooltip_text (label, url);
  gtk_widget_add_css_class (label, "caption");

  return label;
}

static void
show_changes (HistoryUi           *ui,
              ImgscanResult       *result,
              ImgscanHistoryEntry *previous,
              const char * const  *gone)
{
  g_autofree char *when = imgscan_history_format_time (imgscan_history_entry_get_time (previous));
  g_autofree char *text = NULL;
  g_autofree char *expander_label = NULL;
  guint n_new = count_new (result);
  guint n_gone = gone != NULL ? g_strv_length ((char **) gone) : 0;

  clear_changes (ui);
  ui->changes_for = g_object_ref (result);

  if (n_new == 0 && n_gone == 0)
    /* Translators: %s is the date of an earlier scan of the same photo */
    text = g_strdup_printf (_("Same matches as your earlier scan of this photo (%s)"), when);
  else if (n_new == 0)
    /* Translators: %s is the date of an earlier scan of the same photo */
    text = g_strdup_printf (_("No new matches since your earlier scan of this photo (%s)"), when);
  else
    /* Translators: %u is a count, %s the date of an earlier scan of the same photo */
    text = g_strdup_printf (ngettext ("%u new match since your earlier scan of this photo (%s), marked “New”",
                                      "%u new matches since your earlier scan of this photo (%s), marked “New”",
                                      n_new),
                            n_new, when);
  gtk_label_set_text (ui->changes_label, text);

  /* Translators: the images an earlier scan of this photo found, and this one did not */
  expander_label = g_strdup_printf (_("Images no longer found (%u)"), n_gone);
  gtk_expander_set_label (ui->gone_expander, expander_label);
  gtk_expander_set_expanded (ui->gone_expander, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (ui->gone_expander), n_gone > 0);
  for (guint i = 0; i < n_gone && i < MAX_GONE_SHOWN; i++)
    gtk_box_append (ui->gone_box, make_gone_item (gone[i]));
  if (n_gone > MAX_GONE_SHOWN)
    {
      g_autofree char *more = g_strdup_printf (ngettext ("… and %u more", "… and %u more",
                                                         n_gone - MAX_GONE_SHOWN),
                                               n_gone - MAX_GONE_SHOWN);
      GtkWidget *label = gtk_label_new (more);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (ui->gone_box, label);
    }

  gtk_widget_set_visible (ui->changes_box, TRUE);
}

static GtkWidget *
build_changes (HistoryUi *ui)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *outer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  ui->changes_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (ui->changes_label, 0);
  gtk_label_set_wrap (ui->changes_label, TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (ui->changes_label));

  ui->gone_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 2));
  gtk_widget_set_margin_top (GTK_WIDGET (ui->gone_box), 4);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 160);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (ui->gone_box));

  ui->gone_expander = GTK_EXPANDER (gtk_expander_new (NULL));
  gtk_expander_set_child (ui->gone_expander, scrolled);
  gtk_widget_set_tooltip_text (GTK_WIDGET (ui->gone_expander),
                               _("Images the previous scan of this photo found on the web, and this one did not"));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (ui->gone_expander));

  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 800);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);

  gtk_box_append (GTK_BOX (outer), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (GTK_BOX (outer), clamp);
  gtk_widget_set_visible (outer, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (outer), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Changes since the previous scan"), -1);

  return outer;
}

typedef struct
{
  ImgscanWindow       *self;
  ImgscanResult       *result;
  ImgscanHistoryEntry *entry;
  ImgscanHistoryEntry *previous;
  GCancellable        *cancellable;
} Compare;

static void
compare_free (Compare *compare)
{
  g_clear_object (&compare->self);
  g_clear_object (&compare->result);
  g_clear_object (&compare->entry);
  g_clear_object (&compare->previous);
  g_clear_object (&compare->cancellable);
  g_free (compare);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Compare, compare_free)

static void
show_fresh (Compare       *compare,
            ImgscanResult *previous_result)
{
  ImgscanWindow *self = compare->self;
  HistoryUi *ui = get_ui (self);
  g_auto(GStrv) gone = NULL;

  /* A newer scan or closing the window cancelled this one: it is kept, not shown. */
  if (g_cancellable_is_cancelled (compare->cancellable) || ui == NULL)
    return;

  /* Marked before the rows bind, so each shows its "New" badge from the start. */
  if (previous_result != NULL)
    gone = imgscan_result_diff (compare->result, previous_result);

  imgscan_window_show_result (self, compare->result, FALSE);

  if (previous_result != NULL)
    show_changes (ui, compare->result, compare->previous, (const char * const *) gone);
  else
    clear_changes (ui);
}

static void
load_previous_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  ImgscanHistoryEntry *previous = task_data;
  GError *error = NULL;
  ImgscanResult *result;

  result = imgscan_history_entry_load_result (previous, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, g_object_unref);
}

static void
load_previous_cb (GObject      *object,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  g_autoptr(Compare) compare = user_data;
  g_autoptr(ImgscanResult) previous_result = NULL;
  g_autoptr(GError) error = NULL;

  previous_result = g_task_propagate_pointer (G_TASK (res), &error);
  /* An unreadable old scan only costs the comparison, never the new result. */
  if (previous_result == NULL)
    g_warning ("Could not read the previous scan %s: %s",
               imgscan_history_entry_get_scan_id (compare->previous), error->message);
  show_fresh (compare, previous_result);
}

static void
compare_loaded_cb (GObject      *object,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  g_autoptr(Compare) compare = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GFile) warm = NULL;
  ImgscanHistoryEntry *previous;

  if (!imgscan_history_ensure_loaded_finish (IMGSCAN_HISTORY (object), res, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the history to compare: %s", error->message);
      show_fresh (compare, NULL);
      return;
    }

  previous = imgscan_history_find_previous (IMGSCAN_HISTORY (object),
                                            imgscan_history_entry_get_content_hash (compare->entry),
                                            imgscan_history_entry_get_scan_id (compare->entry));
  if (previous == NULL || g_cancellable_is_cancelled (compare->cancellable))
    {
      show_fresh (compare, NULL);
      return;
    }

  /* Parsing the old reply is linear in its size: off the main thread. The entry makes
   * its folder's GFile on first use: made here, the thread only reads it. */
  warm = imgscan_history_entry_get_reply_file (previous);
  compare->previous = g_object_ref (previous);
  task = g_task_new (NULL, compare->cancellable, load_previous_cb, compare);
  g_task_set_source_tag (task, compare_loaded_cb);
  g_task_set_task_data (task, g_object_ref (previous), g_object_unref);
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, load_previous_thread);
  compare = NULL;
}

void
_imgscan_window_show_new_result (ImgscanWindow       *self,
                                 ImgscanResult       *result,
                                 ImgscanHistoryEntry *entry,
                                 GCancellable        *cancellable)
{
  Compare *compare;

  g_return_if_fail (IMGSCAN_IS_WINDOW (self));
  g_return_if_fail (IMGSCAN_IS_RESULT (result));
  g_return_if_fail (entry == NULL || IMGSCAN_IS_HISTORY_ENTRY (entry));

  compare = g_new0 (Compare, 1);
  compare->self = g_object_ref (self);
  compare->result = g_object_ref (result);
  compare->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();

  /* Not kept (the history could not be written): nothing to compare with. */
  if (entry == NULL || imgscan_history_entry_get_content_hash (entry) == NULL)
    {
      show_fresh (compare, NULL);
      compare_free (compare);
      return;
    }

  compare->entry = g_object_ref (entry);
  imgscan_history_ensure_loaded_async (imgscan_window_get_history (self), compare->cancellable,
                                       compare_loaded_cb, compare);
}

/* Reopening a past scan, offline */

typedef struct
{
  ImgscanWindow       *self;
  ImgscanHistoryEntry *entry;
  GdkPixbuf           *preview;   /* filled by the thread */
} Reopen;

static void
reopen_free (Reopen *reopen)
{
  g_clear_object (&reopen->self);
  g_clear_object (&reopen->entry);
  g_clear_object (&reopen->preview);
  g_free (reopen);
}

static void
reopen_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Reopen *reopen = task_data;
  GError *error = NULL;
  ImgscanResult *result;

  g_autoptr(GFile) preview = imgscan_history_entry_get_preview (reopen->entry);

  result = imgscan_history_entry_load_result (reopen->entry, &error);
  if (result == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* The kept preview stands for the photo, which may have moved since. */
  if (preview != NULL)
    {
      g_autofree char *path = g_file_get_path (preview);

      if (path != NULL)
        reopen->preview = gdk_pixbuf_new_from_file_at_scale (path, 96, 96, TRUE, NULL);
    }
  g_task_return_pointer (task, result, g_object_unref);
}

static void
reopen_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  Reopen *reopen = g_task_get_task_data (G_TASK (res));
  ImgscanWindow *self = reopen->self;
  HistoryUi *ui = get_ui (self);
  g_autoptr(ImgscanResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean sandbox;

  result = g_task_propagate_pointer (G_TASK (res), &error);
  if (result == NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: %s says why, e.g. a file that could not be read */
      text = g_strdup_printf (_("This saved scan could not be opened: %s"), error->message);
      imgscan_window_add_toast (self, text);
      return;
    }

  imgscan_window_show_result (self, result, TRUE);
  if (reopen->preview != NULL)
    {
      g_autoptr(GdkTexture) texture = gdk_texture_new_for_pixbuf (reopen->preview);

      imgscan_results_view_set_photo (IMGSCAN_RESULTS_VIEW (imgscan_window_get_results_view (self)),
                                      GDK_PAINTABLE (texture));
    }
  else
    imgscan_results_view_set_photo (IMGSCAN_RESULTS_VIEW (imgscan_window_get_results_view (self)), NULL);
  /* The sandbox marker belongs to the kept scan, not to today's setting. */
  sandbox = imgscan_history_entry_get_sandbox (reopen->entry);
  if (sandbox != imgscan_window_get_sandbox (self))
    imgscan_results_view_set_result (IMGSCAN_RESULTS_VIEW (imgscan_window_get_results_view (self)),
                                     result, sandbox, TRUE);
  clear_changes (ui);
}

static void
on_entry_activated (ImgscanWindow       *self,
                    ImgscanHistoryEntry *entry,
                    ImgscanHistoryView  *view)
{
  HistoryUi *ui = get_ui (self);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GFile) warm = NULL;
  Reopen *reopen;

  /* The history was opened over a running scan (any end of it leaves this page).
   * Showing a saved scan would cancel it, and a paid reply could be lost. */
  if (g_strcmp0 (ui->previous_page, "scanning") == 0 &&
      g_strcmp0 (imgscan_window_get_state (self), "history") == 0)
    {
      imgscan_window_add_toast (self, _("A scan is still running: wait for its result or cancel it, "
                                        "then open the saved scan"));
      return;
    }

  g_cancellable_cancel (ui->cancellable);
  g_clear_object (&ui->cancellable);
  ui->cancellable = g_cancellable_new ();

  reopen = g_new0 (Reopen, 1);
  reopen->self = g_object_ref (self);
  reopen->entry = g_object_ref (entry);
  /* The entry makes its folder's GFile on first use: made here, the thread only reads it. */
  warm = imgscan_history_entry_get_reply_file (entry);

  /* The kept reply is parsed off the main thread; no network is involved. */
  task = g_task_new (NULL, ui->cancellable, reopen_cb, NULL);
  g_task_set_source_tag (task, on_entry_activated);
  g_task_set_task_data (task, reopen, (GDestroyNotify) reopen_free);
  g_task_run_in_thread (task, reopen_thread);
}

/* The history page */

static void
on_stop_search (ImgscanWindow *self,
                GtkSearchEntry *entry)
{
  HistoryUi *ui = get_ui (self);

  /* Escape clears the search, then closes the page. */
  if (*gtk_editable_get_text (GTK_EDITABLE (entry)) != '\0')
    gtk_editable_set_text (GTK_EDITABLE (entry), "");
  else
    g_action_change_state (G_ACTION (ui->show_history), g_variant_new_boolean (FALSE));
}

static ImgscanHistoryView *
ensure_view (ImgscanWindow *self)
{
  HistoryUi *ui = get_ui (self);
  ImgscanHistory *history = imgscan_window_get_history (self);
  GtkStack *stack = imgscan_window_get_stack (self);

  if (ui->view != NULL && imgscan_history_view_get_history (ui->view) == history)
    return ui->view;

  /* Made on first use, so the window starts without it; remade if the history changed. */
  if (ui->view != NULL)
    gtk_stack_remove (stack, GTK_WIDGET (ui->view));
  ui->view = IMGSCAN_HISTORY_VIEW (imgscan_history_view_new (history));
  g_signal_connect_object (ui->view, "entry-activated", G_CALLBACK (on_entry_activated), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (imgscan_history_view_get_search_entry (ui->view), "stop-search",
                           G_CALLBACK (on_stop_search), self, G_CONNECT_SWAPPED);
  gtk_stack_add_titled (stack, GTK_WIDGET (ui->view), "history", _("History"));

  return ui->view;
}

static void
show_history_change_state (GSimpleAction *action,
                           GVariant      *state,
                           gpointer       user_data)
{
  ImgscanWindow *self = IMGSCAN_WINDOW (user_data);
  HistoryUi *ui = get_ui (self);
  GtkStack *stack = imgscan_window_get_stack (self);
  const char *page = gtk_stack_get_visible_child_name (stack);
  gboolean show = g_variant_get_boolean (state);

  g_simple_action_set_state (action, state);

  if (show)
    {
      ensure_view (self);
      if (g_strcmp0 (page, "history") != 0)
        {
          g_free (ui->previous_page);
          ui->previous_page = g_strdup (page);
          gtk_stack_set_visible_child_name (stack, "history");
        }
      gtk_widget_grab_focus (GTK_WIDGET (imgscan_history_view_get_search_entry (ui->view)));
    }
  else if (g_strcmp0 (page, "history") == 0)
    {
      const char *back = ui->previous_page;

      if (back == NULL || gtk_stack_get_child_by_name (stack, back) == NULL)
        back = "empty";
      gtk_stack_set_visible_child_name (stack, back);
    }
}

static void
on_page_changed (ImgscanWindow *self)
{
  HistoryUi *ui = get_ui (self);
  const char *page = imgscan_window_get_state (self);
  gboolean on_history = g_strcmp0 (page, "history") == 0;
  gboolean on_results = g_strcmp0 (page, "results") == 0;
  ImgscanResultsView *results_view = IMGSCAN_RESULTS_VIEW (imgscan_window_get_results_view (self));
  g_autoptr(GVariant) shown = NULL;

  if (ui == NULL || results_view == NULL || gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;

  /* Another part (a scan, an error) moved away from the history: the toggle follows. */
  shown = g_action_get_state (G_ACTION (ui->show_history));
  if (!on_history && g_variant_get_boolean (shown))
    g_simple_action_set_state (ui->show_history, g_variant_new_boolean (FALSE));

  g_simple_action_set_enabled (ui->export_csv, on_results);
  g_simple_action_set_enabled (ui->export_json, on_results);

  if (ui->changes_for != NULL && imgscan_results_view_get_result (results_view) != ui->changes_for)
    clear_changes (ui);
}

/* Export */

static void
export_write_cb (GObject      *object,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), res, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
_imgscan_window_export_async (ImgscanWindow       *self,
                              ImgscanExportFormat  format,
                              GFile               *file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) bytes = NULL;
  ImgscanResult *result;
  char *data;
  gsize length = 0;

  g_return_if_fail (IMGSCAN_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _imgscan_window_export_async);

  result = imgscan_results_view_get_result (IMGSCAN_RESULTS_VIEW (imgscan_window_get_results_view (self)));
  if (result == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("No scan is shown"));
      return;
    }

  data = imgscan_export_result (result, format, &length);
  bytes = g_bytes_new_take (data, length);
  /* Written to a temporary file and renamed: an existing file is never left half-written. */
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       cancellable, export_write_cb, g_steal_pointer (&task));
}

gboolean
_imgscan_window_export_finish (ImgscanWindow  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *res,
                gpointer      user_data)
{
  ImgscanWindow *self = IMGSCAN_WINDOW (object);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *text = NULL;

  if (_imgscan_window_export_finish (self, res, &error))
    /* Translators: %s is a file name */
    text = g_strdup_printf (_("Exported to “%s”"), name);
  else
    /* Translators: %s says why, e.g. "Permission denied" */
    text = g_strdup_printf (_("The export could not be saved: %s. Try another folder."), error->message);

  imgscan_window_add_toast (self, text);
}

static void
export_to (ImgscanWindow       *self,
           ImgscanExportFormat  format,
           GFile               *file)
{
  _imgscan_window_export_async (self, format, file, NULL, export_done_cb, g_object_ref (file));
}

static char *
suggested_name (ImgscanWindow       *self,
                ImgscanExportFormat  format)
{
  ImgscanResult *result = imgscan_results_view_get_result (IMGSCAN_RESULTS_VIEW (imgscan_window_get_results_view (self)));
  const char *filename = result != NULL ? imgscan_result_get_filename (result) : NULL;
  g_autofree char *stem = NULL;
  const char *dot;

  if (filename == NULL || *filename == '\0')
    filename = "photo";
  dot = strrchr (filename, '.');
  stem = dot != NULL && dot != filename ? g_strndup (filename, dot - filename) : g_strdup (filename);

  /* Translators: a suggested file name, %s is the photo's name without extension */
  return g_strdup_printf (_("%s copies.%s"), stem, format == IMGSCAN_EXPORT_FORMAT_CSV ? "csv" : "json");
}

static GtkFileFilter *
export_filter (ImgscanExportFormat format)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  if (format == IMGSCAN_EXPORT_FORMAT_CSV)
    {
      gtk_file_filter_set_name (filter, _("CSV Spreadsheet"));
      gtk_file_filter_add_mime_type (filter, "text/csv");
      gtk_file_filter_add_suffix (filter, "csv");
    }
  else
    {
      gtk_file_filter_set_name (filter, _("JSON"));
      gtk_file_filter_add_mime_type (filter, "application/json");
      gtk_file_filter_add_suffix (filter, "json");
    }

  return filter;
}

typedef struct
{
  ImgscanWindow       *self;
  ImgscanExportFormat  format;
} Save;

#if GTK_CHECK_VERSION (4, 10, 0)
static void
save_dialog_cb (GObject      *object,
                GAsyncResult *res,
                gpointer      user_data)
{
  Save *save = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (object), res, NULL);

  if (file != NULL)
    export_to (save->self, save->format, file);
  g_object_unref (save->self);
  g_free (save);
}
#else
static void
save_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  Save            *save)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        export_to (save->self, save->format, file);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (save->self);
  g_free (save);
}
#endif

static void
choose_export_file (ImgscanWindow       *self,
                    ImgscanExportFormat  format)
{
  g_autoptr(GtkFileFilter) filter = export_filter (format);
  g_autofree char *name = suggested_name (self, format);
  const char *title = format == IMGSCAN_EXPORT_FORMAT_CSV ? _("Export as CSV") : _("Export as JSON");
  Save *save;

  save = g_new0 (Save, 1);
  save->self = g_object_ref (self);
  save->format = format;

#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

    gtk_file_dialog_set_title (dialog, title);
    gtk_file_dialog_set_initial_name (dialog, name);
    gtk_file_dialog_set_default_filter (dialog, filter);
    gtk_file_dialog_save (dialog, GTK_WINDOW (self), NULL, save_dialog_cb, save);
  }
#else
  {
    GtkFileChooserNative *dialog;

    /* Native, so that inside a Flatpak it goes through the file chooser portal. */
    dialog = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                          _("_Export"), _("_Cancel"));
    gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
    g_signal_connect (dialog, "response", G_CALLBACK (save_response_cb), save);
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
  }
#endif
}

static void
export_csv_activate (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  choose_export_file (IMGSCAN_WINDOW (user_data), IMGSCAN_EXPORT_FORMAT_CSV);
}

static void
export_json_activate (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  choose_export_file (IMGSCAN_WINDOW (user_data), IMGSCAN_EXPORT_FORMAT_JSON);
}

/* Set-up */

static void
on_destroy (ImgscanWindow *self)
{
  HistoryUi *ui = get_ui (self);

  /* Closing the window stops a reopening; its callback then returns quietly. */
  if (ui != NULL)
    g_cancellable_cancel (ui->cancellable);
}

static GSimpleAction *
add_action (ImgscanWindow *self,
            const char    *name,
            GVariant      *state,
            GCallback      callback,
            const char    *signal)
{
  GSimpleAction *action;

  action = state != NULL ? g_simple_action_new_stateful (name, NULL, state) : g_simple_action_new (name, NULL);
  g_signal_connect_object (action, signal, callback, self, 0);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));

  return action;
}

void
_imgscan_window_init_history (ImgscanWindow *self)
{
  HistoryUi *ui = g_new0 (HistoryUi, 1);
  GtkWidget *results_view = imgscan_window_get_results_view (self);
  GtkWidget *results_box = gtk_widget_get_parent (results_view);
  GtkEventController *shortcuts;

  g_object_set_qdata_full (G_OBJECT (self), history_ui_quark (), ui, (GDestroyNotify) history_ui_free);

  ui->show_history = add_action (self, "show-history", g_variant_new_boolean (FALSE),
                                 G_CALLBACK (show_history_change_state), "change-state");
  ui->export_csv = add_action (self, "export-csv", NULL, G_CALLBACK (export_csv_activate), "activate");
  ui->export_json = add_action (self, "export-json", NULL, G_CALLBACK (export_json_activate), "activate");

  /* The changes go under the results, in the box the window's template holds them in. */
  ui->changes_box = build_changes (ui);
  if (GTK_IS_BOX (results_box))
    gtk_box_append (GTK_BOX (results_box), ui->changes_box);
  else
    g_critical ("The results view is not in a box: “what changed” cannot be shown");

  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>h"),
                                                          gtk_named_action_new ("win.show-history")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  g_signal_connect_object (imgscan_window_get_stack (self), "notify::visible-child-name",
                           G_CALLBACK (on_page_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "destroy", G_CALLBACK (on_destroy), NULL);
  on_page_changed (self);
}

GtkWidget *
_imgscan_window_get_history_view (ImgscanWindow *self)
{
  g_return_val_if_fail (IMGSCAN_IS_WINDOW (self), NULL);

  return GTK_WIDGET (ensure_view (self));
}

GtkWidget *
_imgscan_window_get_changes (ImgscanWindow *self)
{
  g_return_val_if_fail (IMGSCAN_IS_WINDOW (self), NULL);

  return get_ui (self)->changes_box;
}

GtkExpander *
_imgscan_window_get_gone_expander (ImgscanWindow *self)
{
  g_return_val_if_fail (IMGSCAN_IS_WINDOW (self), NULL);

  return get_ui (self)->gone_expander;
}

const char *
_imgscan_window_get_changes_text (ImgscanWindow *self)
{
  g_return_val_if_fail (IMGSCAN_IS_WINDOW (self), NULL);

  return gtk_label_get_text (get_ui (self)->changes_label);
}
