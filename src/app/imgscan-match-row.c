/* imgscan-match-row.c: one matched image: thumbnail, domain, URL and its pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-match-row"

#include "config.h"

#include <glib/gi18n.h>

#include "imgscan-match-row.h"

/* A match can list thousands of pages; a row shows the first ones, Copy gets the rest. */
#define MAX_PAGES_SHOWN 100

struct _ImgscanMatchRow
{
  GtkWidget         parent_instance;

  GtkButton        *copy_button;
  GtkLabel         *domain_label;
  GtkLabel         *new_label;
  GtkLabel         *no_pages_label;
  GtkBox           *pages_box;
  GtkExpander      *pages_expander;
  ImgscanThumbnail *thumbnail;
  GtkLabel         *url_label;

  ImgscanMatch     *match;
  guint             pages_built : 1;
};

G_DEFINE_FINAL_TYPE (ImgscanMatchRow, imgscan_match_row, GTK_TYPE_WIDGET)

static GtkWidget *
make_page_item (const char *uri)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (uri);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_hexpand (label, TRUE);

  if (imgscan_uri_is_web (uri))
    {
      g_autofree char *open_name = g_strdup_printf (_("Open %s"), uri);
      GtkWidget *button = gtk_button_new ();
      GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");

      gtk_button_set_child (GTK_BUTTON (button), label);
      gtk_widget_set_hexpand (button, TRUE);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_add_css_class (button, "page-link");
      gtk_widget_set_tooltip_text (button, uri);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.open-page");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", uri);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, open_name, -1);
      gtk_box_append (GTK_BOX (box), button);

      gtk_widget_add_css_class (copy, "flat");
      gtk_widget_set_tooltip_text (copy, _("Copy Page Link"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (copy), "win.copy-link");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (copy), "s", uri);
      gtk_accessible_update_property (GTK_ACCESSIBLE (copy),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Copy Page Link"), -1);
      gtk_box_append (GTK_BOX (box), copy);
    }
  else
    {
      /* Not http(s): shown as plain text that nothing opens (javascript:, file:, …). */
      GtkWidget *note = gtk_label_new (_("not a web address"));

      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "page-link");
      gtk_widget_set_tooltip_text (box, _("Only web addresses (http and https) are opened"));
      gtk_widget_add_css_class (note, "dim-label");
      gtk_widget_add_css_class (note, "caption");
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), note);
    }

  return box;
}

static void
clear_pages (ImgscanMatchRow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->pages_box))) != NULL)
    gtk_box_remove (self->pages_box, child);
  self->pages_built = FALSE;
}

static void
build_pages (ImgscanMatchRow *self)
{
  const char * const *pages;
  guint n_pages;

  if (self->pages_built || self->match == NULL)
    return;

  pages = imgscan_match_get_pages (self->match);
  n_pages = imgscan_match_get_n_pages (self->match);
  for (guint i = 0; i < n_pages && i < MAX_PAGES_SHOWN; i++)
    gtk_box_append (self->pages_box, make_page_item (pages[i]));

  if (n_pages > MAX_PAGES_SHOWN)
    {
      g_autofree char *more = NULL;
      GtkWidget *label;

      more = g_strdup_printf (ngettext ("… and %u more page", "… and %u more pages",
                                        n_pages - MAX_PAGES_SHOWN),
                              n_pages - MAX_PAGES_SHOWN);
      label = gtk_label_new (more);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (self->pages_box, label);
    }

  self->pages_built = TRUE;
}

static void
on_expanded_changed (ImgscanMatchRow *self)
{
  if (gtk_expander_get_expanded (self->pages_expander))
    build_pages (self);
}

void
imgscan_match_row_set_expanded (ImgscanMatchRow *self,
                                gboolean         expanded)
{
  g_return_if_fail (IMGSCAN_IS_MATCH_ROW (self));

  gtk_expander_set_expanded (self->pages_expander, expanded);
}

void
imgscan_match_row_set_match (ImgscanMatchRow *self,
                             ImgscanMatch    *match)
{
  g_autofree char *pages_label = NULL;
  const char *domain;
  const char *url;
  guint n_pages;

  g_return_if_fail (IMGSCAN_IS_MATCH_ROW (self));
  g_return_if_fail (match == NULL || IMGSCAN_IS_MATCH (match));

  if (self->match == match)
    return;

  g_set_object (&self->match, match);
  gtk_expander_set_expanded (self->pages_expander, FALSE);
  clear_pages (self);

  if (match == NULL)
    {
      imgscan_thumbnail_set_url (self->thumbnail, NULL);
      return;
    }

  url = imgscan_match_get_url (match);
  domain = imgscan_match_get_domain (match);
  n_pages = imgscan_match_get_n_pages (match);

  gtk_label_set_text (self->domain_label, *domain ? domain : _("Unknown site"));
  gtk_label_set_text (self->url_label, url);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->url_label), url);
  gtk_widget_set_visible (GTK_WIDGET (self->new_label), imgscan_match_get_is_new (match));

  pages_label = g_strdup_printf (ngettext ("Shown on %u page", "Shown on %u pages", n_pages), n_pages);
  gtk_expander_set_label (self->pages_expander, pages_label);
  /* GTK 4.8 does not name an expander after its label. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->pages_expander),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, pages_label, -1);
  gtk_widget_set_visible (GTK_WIDGET (self->pages_expander), n_pages > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->no_pages_label), n_pages == 0);

  /* Target first: an action without its string parameter would not activate. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->copy_button), "s", url);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->copy_button), "win.copy-link");
  imgscan_thumbnail_set_url (self->thumbnail, url);
}

ImgscanMatch *
imgscan_match_row_get_match (ImgscanMatchRow *self)
{
  g_return_val_if_fail (IMGSCAN_IS_MATCH_ROW (self), NULL);

  return self->match;
}

ImgscanThumbnail *
imgscan_match_row_get_thumbnail (ImgscanMatchRow *self)
{
  g_return_val_if_fail (IMGSCAN_IS_MATCH_ROW (self), NULL);

  return self->thumbnail;
}

static void
imgscan_match_row_dispose (GObject *object)
{
  ImgscanMatchRow *self = IMGSCAN_MATCH_ROW (object);

  GtkWidget *child;

  /* The template's root is a plain child: unparent it, then drop the bound pointers. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  gtk_widget_dispose_template (GTK_WIDGET (self), IMGSCAN_TYPE_MATCH_ROW);
  g_clear_object (&self->match);

  G_OBJECT_CLASS (imgscan_match_row_parent_class)->dispose (object);
}

static void
imgscan_match_row_class_init (ImgscanMatchRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = imgscan_match_row_dispose;

  g_type_ensure (IMGSCAN_TYPE_THUMBNAIL);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/imgscan-match-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ImgscanMatchRow, copy_button);
  gtk_widget_class_bind_template_child (widget_class, ImgscanMatchRow, domain_label);
  gtk_widget_class_bind_template_child (widget_class, ImgscanMatchRow, new_label);
  gtk_widget_class_bind_template_child (widget_class, ImgscanMatchRow, no_pages_label);
  gtk_widget_class_bind_template_child (widget_class, ImgscanMatchRow, pages_box);
  gtk_widget_class_bind_template_child (widget_class, ImgscanMatchRow, pages_expander);
  gtk_widget_class_bind_template_child (widget_class, ImgscanMatchRow, thumbnail);
  gtk_widget_class_bind_template_child (widget_class, ImgscanMatchRow, url_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
imgscan_match_row_init (ImgscanMatchRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->pages_expander, "notify::expanded",
                           G_CALLBACK (on_expanded_changed), self, G_CONNECT_SWAPPED);
}

GtkWidget *
imgscan_match_row_new (void)
{
  return g_object_new (IMGSCAN_TYPE_MATCH_ROW, NULL);
}
