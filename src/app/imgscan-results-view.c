/* imgscan-results-view.c: the score summary and the full/partial match lists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-results-view"

#include "config.h"

#include <glib/gi18n.h>

#include <adwaita.h>

#include "imgscan-match-row.h"
#include "imgscan-results-view.h"

struct _ImgscanResultsView
{
  GtkWidget      parent_instance;

  GtkStack      *content_stack;
  GtkLabel      *counts_label;
  GtkLabel      *credits_label;
  GtkLabel      *full_empty_label;
  GtkLabel      *group_label;
  GtkListView   *full_list;
  GtkStackPage  *full_page;
  GtkLabel      *headline_label;
  GtkStack      *lists_stack;
  AdwStatusPage *none_page;
  GtkLabel      *note_label;
  GtkListView   *other_list;
  GtkStackPage  *other_page;
  GtkLabel      *partial_empty_label;
  GtkImage      *photo_image;
  GtkListView   *partial_list;
  GtkStackPage  *partial_page;
  GtkLabel      *sandbox_label;
  GtkWidget     *summary_box;

  ImgscanResult *result;
};

G_DEFINE_FINAL_TYPE (ImgscanResultsView, imgscan_results_view, GTK_TYPE_WIDGET)

static void ensure_visible_model (ImgscanResultsView *self);

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item)
{
  gtk_list_item_set_child (item, imgscan_match_row_new ());
  /* Rows hold buttons; the row itself is not a stop for keyboard focus. */
  gtk_list_item_set_activatable (item, FALSE);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item)
{
  imgscan_match_row_set_match (IMGSCAN_MATCH_ROW (gtk_list_item_get_child (item)),
                               gtk_list_item_get_item (item));
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *item)
{
  imgscan_match_row_set_match (IMGSCAN_MATCH_ROW (gtk_list_item_get_child (item)), NULL);
}

/* GtkListView 4.8 builds up to 200 rows as soon as it gets a model, which would delay
 * the first frame of a long result. The list starts with the rows a screen can show and
 * grows by a few dozen a frame until it holds everything; past 200 rows, growing costs
 * nothing (the rows are recycled). */
#define FIRST_ROWS  24
#define GROW_ROWS   48
/* No row is shorter than this: a thumbnail plus padding. */
#define MIN_ROW_HEIGHT 64
#define SLICE_KEY   "imgscan-slice"

static gboolean
grow_tick_cb (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  GtkSliceListModel *slice = g_object_get_data (G_OBJECT (widget), SLICE_KEY);
  guint size;

  if (slice == NULL)
    return G_SOURCE_REMOVE;

  /* Tick callbacks run before layout: let the first frame paint the first rows alone. */
  if (g_object_get_data (G_OBJECT (widget), "imgscan-painted") == NULL)
    {
      g_object_set_data (G_OBJECT (widget), "imgscan-painted", GINT_TO_POINTER (TRUE));
      return G_SOURCE_CONTINUE;
    }

  size = gtk_slice_list_model_get_size (slice);
  if (size >= 200 + GROW_ROWS)
    {
      gtk_slice_list_model_set_size (slice, G_MAXUINT);
      return G_SOURCE_REMOVE;
    }

  gtk_slice_list_model_set_size (slice, size + GROW_ROWS);
  return G_SOURCE_CONTINUE;
}

/* The rows the first frame needs: what the window's height can show, never more than
 * FIRST_ROWS. Every row built before the first frame delays it (under software GL, more
 * than parsing does). */
static guint
first_rows (GtkListView *list)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (list)));
  int height = root != NULL ? gtk_widget_get_height (root) : 0;

  if (height <= 0)
    return FIRST_ROWS;
  return CLAMP ((guint) height / MIN_ROW_HEIGHT + 1, 4, FIRST_ROWS);
}

static void
set_list_model (GtkListView *list,
                GListModel  *model)
{
  g_autoptr(GtkNoSelection) selection = NULL;
  GtkSliceListModel *slice = NULL;
  guint tick_id;

  tick_id = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (list), "imgscan-tick"));
  if (tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (list), tick_id);
  g_object_set_data (G_OBJECT (list), "imgscan-tick", NULL);

  if (model != NULL)
    {
      guint n_items = g_list_model_get_n_items (model);
      guint n_first = first_rows (list);

      slice = gtk_slice_list_model_new (g_object_ref (model), 0, MIN (n_items, n_first));
      selection = gtk_no_selection_new (G_LIST_MODEL (slice));
      if (n_items > n_first)
        {
          g_object_set_data (G_OBJECT (list), "imgscan-painted", NULL);
          tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (list), grow_tick_cb, NULL, NULL);
          g_object_set_data (G_OBJECT (list), "imgscan-tick", GUINT_TO_POINTER (tick_id));
        }
    }

  /* Borrowed: the selection model, owned by the list, holds the slice. */
  g_object_set_data (G_OBJECT (list), SLICE_KEY, slice);
  gtk_list_view_set_model (list, GTK_SELECTION_MODEL (selection));
}

static void
set_page_title (GtkStackPage *page,
                const char   *name,
                guint         n)
{
  /* Translators: a tab title, e.g. "Full matches (12)" */
  g_autofree char *title = g_strdup_printf (_("%s (%u)"), name, n);

  gtk_stack_page_set_title (page, title);
}

static char *
format_counts (guint n_full,
               guint n_partial,
               guint n_other)
{
  g_autofree char *full = NULL;
  g_autofree char *partial = NULL;

  full = g_strdup_printf (ngettext ("%u full match", "%u full matches", n_full), n_full);
  partial = g_strdup_printf (ngettext ("%u partial match", "%u partial matches", n_partial), n_partial);

  if (n_other > 0)
    {
      g_autofree char *other = g_strdup_printf (ngettext ("%u other match", "%u other matches", n_other),
                                                n_other);
      /* Translators: "2 full matches · 1 partial match · 1 other match" */
      return g_strdup_printf (_("%s · %s · %s"), full, partial, other);
    }

  /* Translators: "2 full matches · 1 partial match" */
  return g_strdup_printf (_("%s · %s"), full, partial);
}

static void
update_summary (ImgscanResultsView *self,
                gboolean            sandbox,
                gboolean            from_history)
{
  ImgscanResult *result = self->result;
  guint n_full = g_list_model_get_n_items (imgscan_result_get_full_matches (result));
  guint n_partial = g_list_model_get_n_items (imgscan_result_get_partial_matches (result));
  guint n_other = g_list_model_get_n_items (imgscan_result_get_other_matches (result));
  guint n_total = n_full + n_partial + n_other;
  gint64 credits = imgscan_result_get_actual_credits (result);
  guint n_duplicates = imgscan_result_get_n_duplicates (result);
  g_autoptr(GString) note = g_string_new (NULL);
  g_autoptr(GString) credits_text = g_string_new (NULL);
  g_autofree char *headline = NULL;
  g_autofree char *counts = NULL;

  headline = g_strdup_printf (ngettext ("Found %u copy on the web", "Found %u copies on the web", n_total),
                              n_total);
  gtk_label_set_text (self->headline_label, headline);

  counts = format_counts (n_full, n_partial, n_other);
  gtk_label_set_text (self->counts_label, counts);

  if (credits >= 0)
    {
      /* Plain %u: xgettext cannot expand G_GINT64_FORMAT inside a msgid. */
      guint n_credits = (guint) MIN (credits, (gint64) G_MAXUINT);

      g_string_append_printf (credits_text,
                              ngettext ("%u credit used", "%u credits used", n_credits),
                              n_credits);
    }
  if (from_history)
    {
      GDateTime *time = imgscan_result_get_creation_time (result);

      if (credits_text->len > 0)
        g_string_append (credits_text, " · ");
      if (time != NULL)
        {
          g_autoptr(GDateTime) local = g_date_time_to_local (time);
          g_autofree char *when = g_date_time_format (local, "%x %X");

          /* Translators: %s is a date and time */
          g_string_append_printf (credits_text, _("Saved scan from %s"), when);
        }
      else
        g_string_append (credits_text, _("Saved scan"));
    }
  gtk_label_set_text (self->credits_label, credits_text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->credits_label), credits_text->len > 0);

  if (imgscan_result_get_score_mismatch (result))
    g_string_append_printf (note,
                            _("Copyleaks’ score counts %u full and %u partial matches, but its list "
                              "holds %u and %u: the lists below show what was received."),
                            imgscan_result_get_score_full (result),
                            imgscan_result_get_score_partial (result),
                            n_full, n_partial);
  if (n_duplicates > 0)
    {
      if (note->len > 0)
        g_string_append_c (note, ' ');
      g_string_append_printf (note,
                              ngettext ("%u image was listed twice and is shown once.",
                                        "%u images were listed more than once and are shown once.",
                                        n_duplicates),
                              n_duplicates);
    }
  gtk_label_set_text (self->note_label, note->str);
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), note->len > 0);

  gtk_widget_set_visible (GTK_WIDGET (self->sandbox_label), sandbox);

  set_page_title (self->full_page, _("Full matches"), n_full);
  set_page_title (self->partial_page, _("Partial matches"), n_partial);
  set_page_title (self->other_page, _("Other matches"), n_other);
  gtk_stack_page_set_visible (self->other_page, n_other > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->full_empty_label), n_full == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->partial_empty_label), n_partial == 0);

  if (n_full > 0)
    gtk_stack_set_visible_child_name (self->lists_stack, "full");
  else if (n_partial > 0)
    gtk_stack_set_visible_child_name (self->lists_stack, "partial");
  else if (n_other > 0)
    gtk_stack_set_visible_child_name (self->lists_stack, "other");
  else
    gtk_stack_set_visible_child_name (self->lists_stack, "full");

  if (n_total == 0)
    {
      adw_status_page_set_description (self->none_page,
                                       sandbox
                                       ? _("Copyleaks searched the web and found no full or partial copies.\n"
                                           "Sandbox — mock results: this was a free test scan.")
                                       : _("Copyleaks searched the web and found no full or partial copies."));
      gtk_stack_set_visible_child_name (self->content_stack, "none");
    }
  else
    gtk_stack_set_visible_child_name (self->content_stack, "matches");
}

void
imgscan_results_view_set_result (ImgscanResultsView *self,
                                 ImgscanResult      *result,
                                 gboolean            sandbox,
                                 gboolean            from_history)
{
  g_return_if_fail (IMGSCAN_IS_RESULTS_VIEW (self));
  g_return_if_fail (IMGSCAN_IS_RESULT (result));

  g_set_object (&self->result, result);

  /* The result already holds one model per kind, and each list binds only the rows it
   * shows. A group gets its model when it is first shown: a hidden list would still
   * build its rows. */
  set_list_model (self->full_list, NULL);
  set_list_model (self->partial_list, NULL);
  set_list_model (self->other_list, NULL);

  update_summary (self, sandbox, from_history);
  ensure_visible_model (self);
}

ImgscanResult *
imgscan_results_view_get_result (ImgscanResultsView *self)
{
  g_return_val_if_fail (IMGSCAN_IS_RESULTS_VIEW (self), NULL);

  return self->result;
}

void
imgscan_results_view_set_photo (ImgscanResultsView *self,
                                GdkPaintable       *photo)
{
  g_return_if_fail (IMGSCAN_IS_RESULTS_VIEW (self));
  g_return_if_fail (photo == NULL || GDK_IS_PAINTABLE (photo));

  gtk_image_set_from_paintable (self->photo_image, photo);
  gtk_widget_set_visible (GTK_WIDGET (self->photo_image), photo != NULL);
}

void
imgscan_results_view_clear (ImgscanResultsView *self)
{
  g_return_if_fail (IMGSCAN_IS_RESULTS_VIEW (self));

  set_list_model (self->full_list, NULL);
  set_list_model (self->partial_list, NULL);
  set_list_model (self->other_list, NULL);
  g_clear_object (&self->result);
}

void
imgscan_results_view_show_group (ImgscanResultsView *self,
                                 const char         *group)
{
  g_return_if_fail (IMGSCAN_IS_RESULTS_VIEW (self));

  gtk_stack_set_visible_child_name (self->lists_stack, group);
}

GtkListView *
imgscan_results_view_get_list (ImgscanResultsView *self,
                               ImgscanMatchKind    kind)
{
  g_return_val_if_fail (IMGSCAN_IS_RESULTS_VIEW (self), NULL);

  switch (kind)
    {
    case IMGSCAN_MATCH_KIND_FULL:
      return self->full_list;
    case IMGSCAN_MATCH_KIND_PARTIAL:
      return self->partial_list;
    case IMGSCAN_MATCH_KIND_OTHER:
    default:
      return self->other_list;
    }
}

GtkWidget *
imgscan_results_view_get_summary (ImgscanResultsView *self)
{
  g_return_val_if_fail (IMGSCAN_IS_RESULTS_VIEW (self), NULL);

  return self->summary_box;
}

const char *
imgscan_results_view_get_counts_text (ImgscanResultsView *self)
{
  g_return_val_if_fail (IMGSCAN_IS_RESULTS_VIEW (self), NULL);

  return gtk_label_get_text (self->counts_label);
}

const char *
imgscan_results_view_get_headline (ImgscanResultsView *self)
{
  g_return_val_if_fail (IMGSCAN_IS_RESULTS_VIEW (self), NULL);

  return gtk_label_get_text (self->headline_label);
}

gboolean
imgscan_results_view_get_sandbox_shown (ImgscanResultsView *self)
{
  g_return_val_if_fail (IMGSCAN_IS_RESULTS_VIEW (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self->sandbox_label));
}

const char *
imgscan_results_view_get_state (ImgscanResultsView *self)
{
  g_return_val_if_fail (IMGSCAN_IS_RESULTS_VIEW (self), NULL);

  return gtk_stack_get_visible_child_name (self->content_stack);
}

static void
imgscan_results_view_dispose (GObject *object)
{
  ImgscanResultsView *self = IMGSCAN_RESULTS_VIEW (object);

  GtkWidget *child;

  /* The template's root is a plain child: unparent it, then drop the bound pointers. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  gtk_widget_dispose_template (GTK_WIDGET (self), IMGSCAN_TYPE_RESULTS_VIEW);
  g_clear_object (&self->result);

  G_OBJECT_CLASS (imgscan_results_view_parent_class)->dispose (object);
}

static void
imgscan_results_view_class_init (ImgscanResultsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = imgscan_results_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/imgscan-results-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ImgscanResultsView, content_stack);
  gtk_widget_class_bind_template_child (widget_class, ImgscanResultsView, counts_label);
  gtk_widget_class_bind_template_child (widget_class, ImgscanResultsView, credits_label);
  gtk_widget_class_bind_template_child (widget_class, ImgscanResultsView, full_empty_label);
  gtk_widget_class_bind_template_child (widget_class, ImgscanResultsView, full_list);
  gtk_widget_class_bind_template_child (widget_class, ImgscanResultsView, full_page);
  gtk_widget_class_bind_template_child (widget_class, ImgscanResultsView, group_label);
  gtk_widget_class_bind_template_child (widget_class, ImgscanResultsView, headline_label);
  gtk_widget_class_bind_template_child (widget_class, ImgscanResultsView, lists_stack);
  gtk_widget_class_bind_template_child (widget_class, ImgscanResultsView, none_page);
  gtk_widget_class_bind_template_child (widget_class, ImgscanResultsView, note_label);
  gtk_widget_class_bind_template_child (widget_class, ImgscanResultsView, other_list);
  gtk_widget_class_bind_template_child (widget_class, ImgscanResultsView, other_page);
  gtk_widget_class_bind_template_child (widget_class, ImgscanResultsView, partial_empty_label);
  gtk_widget_class_bind_template_child (widget_class, ImgscanResultsView, partial_list);
  gtk_widget_class_bind_template_child (widget_class, ImgscanResultsView, partial_page);
  gtk_widget_class_bind_template_child (widget_class, ImgscanResultsView, photo_image);
  gtk_widget_class_bind_template_child (widget_class, ImgscanResultsView, sandbox_label);
  gtk_widget_class_bind_template_child (widget_class, ImgscanResultsView, summary_box);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ensure_visible_model (ImgscanResultsView *self)
{
  const char *group = gtk_stack_get_visible_child_name (self->lists_stack);
  GtkListView *list;
  GListModel *model;

  if (self->result == NULL || group == NULL)
    return;

  if (g_str_equal (group, "full"))
    {
      list = self->full_list;
      model = imgscan_result_get_full_matches (self->result);
    }
  else if (g_str_equal (group, "partial"))
    {
      list = self->partial_list;
      model = imgscan_result_get_partial_matches (self->result);
    }
  else
    {
      list = self->other_list;
      model = imgscan_result_get_other_matches (self->result);
    }

  if (gtk_list_view_get_model (list) == NULL)
    set_list_model (list, model);
}

/* Says what the visible group means: "partial" is not obvious to everyone. */
static void
on_group_changed (ImgscanResultsView *self)
{
  const char *group = gtk_stack_get_visible_child_name (self->lists_stack);
  const char *text = "";

  if (g_strcmp0 (group, "full") == 0)
    text = _("Exact or near-exact copies of your photo, and the pages that show them");
  else if (g_strcmp0 (group, "partial") == 0)
    text = _("Edited versions of your photo (cropped, resized, recoloured…), and the pages that show them");
  else if (g_strcmp0 (group, "other") == 0)
    text = _("Matches of a kind this version of ImgScan does not know");

  gtk_label_set_text (self->group_label, text);
  ensure_visible_model (self);
}

static void
imgscan_results_view_init (ImgscanResultsView *self)
{
  GtkListView *lists[3];

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->lists_stack, "notify::visible-child-name",
                           G_CALLBACK (on_group_changed), self, G_CONNECT_SWAPPED);
  on_group_changed (self);

  lists[0] = self->full_list;
  lists[1] = self->partial_list;
  lists[2] = self->other_list;
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

      g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), NULL);
      gtk_list_view_set_factory (lists[i], factory);
    }
}
