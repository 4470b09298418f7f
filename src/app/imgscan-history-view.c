/* imgscan-history-view.c: the list of kept scans, with search, reopen and delete
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-history-view"

#include "config.h"

#include <glib/gi18n.h>

#include "imgscan-history-row.h"
#include "imgscan-history-view.h"

struct _ImgscanHistoryView
{
  GtkWidget          parent_instance;

  AdwStatusPage     *error_page;
  GtkListView       *list_view;
  AdwStatusPage     *no_match_page;
  GtkSearchEntry    *search_entry;
  GtkStack          *stack;

  ImgscanHistory    *history;
  GtkFilterListModel *filter_model;
  GtkStringFilter   *filter;
  GCancellable      *cancellable;
  AdwToast          *last_toast;   /* weak */
  guint              loaded : 1;
  guint              loading : 1;
};

G_DEFINE_FINAL_TYPE (ImgscanHistoryView, imgscan_history_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_HISTORY,
  N_PROPS
};

enum {
  ENTRY_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Loading once per process */

typedef struct
{
  gboolean   loaded;
  GPtrArray *waiting;   /* GTasks */
} LoadState;

static void
load_state_free (LoadState *state)
{
  g_ptr_array_unref (state->waiting);
  g_free (state);
}

static GQuark
load_state_quark (void)
{
  return g_quark_from_static_string ("imgscan-history-load-state");
}

static void
shared_load_cb (GObject      *object,
                GAsyncResult *res,
                gpointer      user_data)
{
  ImgscanHistory *history = IMGSCAN_HISTORY (object);
  LoadState *state = g_object_get_qdata (object, load_state_quark ());
  g_autoptr(GPtrArray) waiting = NULL;
  g_autoptr(GError) error = NULL;

  /* Failures are not remembered: the next caller tries again. */
  state->loaded = imgscan_history_load_finish (history, res, &error);
  waiting = g_steal_pointer (&state->waiting);
  state->waiting = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < waiting->len; i++)
    {
      GTask *task = g_ptr_array_index (waiting, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

void
imgscan_history_ensure_loaded_async (ImgscanHistory      *history,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadState *state;

  g_return_if_fail (IMGSCAN_IS_HISTORY (history));

  task = g_task_new (history, cancellable, callback, user_data);
  g_task_set_source_tag (task, imgscan_history_ensure_loaded_async);

  state = g_object_get_qdata (G_OBJECT (history), load_state_quark ());
  if (state == NULL)
    {
      state = g_new0 (LoadState, 1);
      state->waiting = g_ptr_array_new_with_free_func (g_object_unref);
      g_object_set_qdata_full (G_OBJECT (history), load_state_quark (), state,
                               (GDestroyNotify) load_state_free);
    }

  if (state->loaded)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_ptr_array_add (state->waiting, g_steal_pointer (&task));
  /* One load serves every waiter; nobody's cancellable may stop it for the others. */
  if (state->waiting->len == 1)
    imgscan_history_load_async (history, NULL, shared_load_cb, NULL);
}

gboolean
imgscan_history_ensure_loaded_finish (ImgscanHistory  *history,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, history), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* States */

static void
update_state (ImgscanHistoryView *self)
{
  const char *state;

  if (!self->loaded)
    state = self->loading ? "loading" : "error";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->history)) == 0)
    state = "empty";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) == 0)
    {
      g_autofree char *title = NULL;

      /* Translators: %s is what the user typed in the history's search field */
      title = g_strdup_printf (_("No scanned file name contains “%s”"),
                               gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
      adw_status_page_set_title (self->no_match_page, title);
      state = "no-match";
    }
  else
    state = "list";

  gtk_stack_set_visible_child_name (self->stack, state);
}

static void
load_cb (GObject      *object,
         GAsyncResult *res,
         gpointer      user_data)
{
  g_autoptr(ImgscanHistoryView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *markup = NULL;

  if (!imgscan_history_ensure_loaded_finish (IMGSCAN_HISTORY (object), res, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Could not read the history: %s", error->message);
      markup = g_markup_escape_text (error->message, -1);
      adw_status_page_set_description (self->error_page, markup);
    }
  else
    self->loaded = TRUE;

  self->loading = FALSE;
  update_state (self);
}

static void
start_loading (ImgscanHistoryView *self)
{
  if (self->loaded || self->loading || self->history == NULL)
    return;

  self->loading = TRUE;
  update_state (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  imgscan_history_ensure_loaded_async (self->history, self->cancellable, load_cb, g_object_ref (self));
}

/* Delete with undo */

typedef struct
{
  ImgscanHistory      *history;
  ImgscanHistoryEntry *entry;
  GWeakRef             overlay;
  gboolean             undone;
} Deletion;

static void
deletion_free (Deletion *deletion)
{
  g_clear_object (&deletion->history);
  g_clear_object (&deletion->entry);
  g_weak_ref_clear (&deletion->overlay);
  g_free (deletion);
}

static void
deletion_closure_free (gpointer  data,
                       GClosure *closure)
{
  deletion_free (data);
}

static void
undo_cb (AdwToast *toast,
         Deletion *deletion)
{
  deletion->undone = TRUE;
  imgscan_history_restore (deletion->history, deletion->entry);
}

static void
dismissed_cb (AdwToast *toast,
              Deletion *deletion)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdwToastOverlay) overlay = NULL;
  const char *scan_id = imgscan_history_entry_get_scan_id (deletion->entry);

  if (deletion->undone)
    return;

  if (imgscan_history_remove (deletion->history, scan_id, &error))
    return;
  /* Already deleted some other way (a second delete of the same scan): nothing to do. */
  if (g_error_matches (error, IMGSCAN_HISTORY_ERROR, IMGSCAN_HISTORY_ERROR_NOT_FOUND))
    return;

  /* The entry stays hidden and comes back on the next start: nothing is lost. */
  g_warning ("Could not delete scan %s: %s", scan_id, error->message);
  overlay = g_weak_ref_get (&deletion->overlay);
  if (overlay != NULL)
    {
      g_autofree char *text = NULL;

      g_autofree char *markup = NULL;

      text = g_strdup_printf (_("The scan could not be deleted: %s"), error->message);
      markup = g_markup_escape_text (text, -1);
      adw_toast_overlay_add_toast (overlay, adw_toast_new (markup));
    }
}

AdwToast *
imgscan_history_view_delete (ImgscanHistoryView *self,
                             const char         *scan_id)
{
  g_autoptr(ImgscanHistoryEntry) entry = NULL;
  GtkWidget *overlay;
  Deletion *deletion;
  AdwToast *toast;
  g_autofree char *title = NULL;
  g_autofree char *markup = NULL;
  const char *filename;

  g_return_val_if_fail (IMGSCAN_IS_HISTORY_VIEW (self), NULL);
  g_return_val_if_fail (scan_id != NULL, NULL);

  entry = imgscan_history_hide (self->history, scan_id);
  if (entry == NULL)
    return NULL;

  overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    {
      g_autoptr(GError) error = NULL;

      /* Nowhere to offer Undo: delete at once. */
      if (!imgscan_history_remove (self->history, scan_id, &error))
        g_warning ("Could not delete scan %s: %s", scan_id, error->message);
      return NULL;
    }

  filename = imgscan_history_entry_get_filename (entry);
  /* Translators: %s is a photo's file name */
  title = g_strdup_printf (_("Scan of “%s” deleted"), filename != NULL && *filename ? filename : _("Unnamed photo"));
  markup = g_markup_escape_text (title, -1);
  toast = adw_toast_new (markup);
  adw_toast_set_button_label (toast, _("_Undo"));

  deletion = g_new0 (Deletion, 1);
  deletion->history = g_object_ref (self->history);
  deletion->entry = g_steal_pointer (&entry);
  g_weak_ref_init (&deletion->overlay, overlay);
  g_signal_connect (toast, "button-clicked", G_CALLBACK (undo_cb), deletion);
  g_signal_connect_data (toast, "dismissed", G_CALLBACK (dismissed_cb), deletion,
                         deletion_closure_free, 0);

  if (self->last_toast != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->last_toast), (gpointer *) &self->last_toast);
  self->last_toast = toast;
  g_object_add_weak_pointer (G_OBJECT (toast), (gpointer *) &self->last_toast);

  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  return toast;
}

AdwToast *
imgscan_history_view_get_last_toast (ImgscanHistoryView *self)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY_VIEW (self), NULL);

  return self->last_toast;
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  imgscan_history_view_delete (IMGSCAN_HISTORY_VIEW (widget), g_variant_get_string (param, NULL));
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  start_loading (IMGSCAN_HISTORY_VIEW (widget));
}

/* List */

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item)
{
  gtk_list_item_set_child (item, imgscan_history_row_new ());
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item)
{
  imgscan_history_row_set_entry (IMGSCAN_HISTORY_ROW (gtk_list_item_get_child (item)),
                                 gtk_list_item_get_item (item));
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *item)
{
  imgscan_history_row_set_entry (IMGSCAN_HISTORY_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
on_activate (ImgscanHistoryView *self,
             guint               position)
{
  g_autoptr(ImgscanHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->filter_model), position);

  if (entry != NULL)
    g_signal_emit (self, signals[ENTRY_ACTIVATED], 0, entry);
}

static void
on_search_changed (ImgscanHistoryView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  gtk_string_filter_set_search (self->filter, *text ? text : NULL);
  update_state (self);
}

static void
on_items_changed (ImgscanHistoryView *self)
{
  if (self->loaded)
    update_state (self);
}

/* Public API */

static void
set_history (ImgscanHistoryView *self,
             ImgscanHistory     *history)
{
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_func (self->history, on_items_changed, self);
  g_set_object (&self->history, history);
  gtk_filter_list_model_set_model (self->filter_model, G_LIST_MODEL (history));
  if (history != NULL)
    g_signal_connect_object (history, "items-changed", G_CALLBACK (on_items_changed), self,
                             G_CONNECT_SWAPPED);
}

ImgscanHistory *
imgscan_history_view_get_history (ImgscanHistoryView *self)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY_VIEW (self), NULL);

  return self->history;
}

GtkListView *
imgscan_history_view_get_list_view (ImgscanHistoryView *self)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY_VIEW (self), NULL);

  return self->list_view;
}

GListModel *
imgscan_history_view_get_model (ImgscanHistoryView *self)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY_VIEW (self), NULL);

  return G_LIST_MODEL (self->filter_model);
}

GtkEditable *
imgscan_history_view_get_search_entry (ImgscanHistoryView *self)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY_VIEW (self), NULL);

  return GTK_EDITABLE (self->search_entry);
}

const char *
imgscan_history_view_get_state (ImgscanHistoryView *self)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY_VIEW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/* GObject */

static void
imgscan_history_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (imgscan_history_view_parent_class)->map (widget);

  /* Read only when first shown: start-up stays free of disk scans. */
  start_loading (IMGSCAN_HISTORY_VIEW (widget));
}

static void
imgscan_history_view_dispose (GObject *object)
{
  ImgscanHistoryView *self = IMGSCAN_HISTORY_VIEW (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->last_toast != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->last_toast), (gpointer *) &self->last_toast);
  self->last_toast = NULL;
  /* Models first: their last items-changed must not reach widgets being disposed. */
  if (self->filter_model != NULL)
    g_signal_handlers_disconnect_by_func (self->filter_model, on_items_changed, self);
  set_history (self, NULL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  gtk_widget_dispose_template (GTK_WIDGET (self), IMGSCAN_TYPE_HISTORY_VIEW);
  g_clear_object (&self->filter_model);

  G_OBJECT_CLASS (imgscan_history_view_parent_class)->dispose (object);
}

static void
imgscan_history_view_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  ImgscanHistoryView *self = IMGSCAN_HISTORY_VIEW (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
imgscan_history_view_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  ImgscanHistoryView *self = IMGSCAN_HISTORY_VIEW (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      set_history (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
imgscan_history_view_class_init (ImgscanHistoryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = imgscan_history_view_dispose;
  object_class->get_property = imgscan_history_view_get_property;
  object_class->set_property = imgscan_history_view_set_property;
  widget_class->map = imgscan_history_view_map;

  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, IMGSCAN_TYPE_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ENTRY_ACTIVATED] =
    g_signal_new ("entry-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, IMGSCAN_TYPE_HISTORY_ENTRY);

  g_type_ensure (IMGSCAN_TYPE_HISTORY_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/imgscan-history-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ImgscanHistoryView, error_page);
  gtk_widget_class_bind_template_child (widget_class, ImgscanHistoryView, list_view);
  gtk_widget_class_bind_template_child (widget_class, ImgscanHistoryView, no_match_page);
  gtk_widget_class_bind_template_child (widget_class, ImgscanHistoryView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, ImgscanHistoryView, stack);
  gtk_widget_class_bind_template_callback (widget_class, on_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_install_action (widget_class, "history.delete", "s", delete_action);
  gtk_widget_class_install_action (widget_class, "history.retry", NULL, retry_action);
}

static void
imgscan_history_view_init (ImgscanHistoryView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkExpression *expression;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Filter by file name, case-insensitively, anywhere in the name. */
  expression = gtk_property_expression_new (IMGSCAN_TYPE_HISTORY_ENTRY, NULL, "filename");
  self->filter = gtk_string_filter_new (expression);
  gtk_string_filter_set_match_mode (self->filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (self->filter, TRUE);
  self->filter_model = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));
  g_signal_connect_object (self->filter_model, "items-changed", G_CALLBACK (on_items_changed), self,
                           G_CONNECT_SWAPPED);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->filter_model)))));

  /* Typing anywhere in the view goes to the search field. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
}

GtkWidget *
imgscan_history_view_new (ImgscanHistory *history)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY (history), NULL);

  return g_object_new (IMGSCAN_TYPE_HISTORY_VIEW, "history", history, NULL);
}
