/* imgscan-application.c: the ImgScan application, its options and app actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-application"

#include "config.h"

#include <glib/gi18n.h>

#include "imgscan-application.h"
#include "imgscan-window.h"

struct _ImgscanApplication
{
  AdwApplication  parent_instance;

  ImgscanHistory *history;
  guint           demo : 1;
};

G_DEFINE_FINAL_TYPE (ImgscanApplication, imgscan_application, ADW_TYPE_APPLICATION)

static const GOptionEntry main_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Scan against the built-in offline demo server (nothing is sent to the web)"), NULL },
  { NULL }
};

static ImgscanWindow *
imgscan_application_new_window (ImgscanApplication *self)
{
  ImgscanWindow *window;

  window = imgscan_window_new (self);
  if (self->demo)
    imgscan_window_enter_demo (window);

  return window;
}

static GtkWindow *
imgscan_application_get_window (ImgscanApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (imgscan_application_new_window (self));

  return window;
}

static void
imgscan_application_activate (GApplication *app)
{
  gtk_window_present (imgscan_application_get_window (IMGSCAN_APPLICATION (app)));
}

static void
imgscan_application_open (GApplication  *app,
                          GFile        **files,
                          int            n_files,
                          const char    *hint)
{
  ImgscanApplication *self = IMGSCAN_APPLICATION (app);
  GtkWindow *window = imgscan_application_get_window (self);
  g_autoptr(GPtrArray) list = g_ptr_array_new ();

  for (int i = 0; i < n_files; i++)
    g_ptr_array_add (list, files[i]);

  gtk_window_present (window);
  imgscan_window_open_files (IMGSCAN_WINDOW (window), (GFile **) list->pdata, list->len);
}

static int
imgscan_application_handle_local_options (GApplication *app,
                                          GVariantDict *options)
{
  ImgscanApplication *self = IMGSCAN_APPLICATION (app);

  if (g_variant_dict_contains (options, "demo"))
    {
      /* The demo runs in its own process: it must not hand its photos to a signed-in
       * instance that would spend real credits on them. */
      self->demo = TRUE;
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }

  return G_APPLICATION_CLASS (imgscan_application_parent_class)->handle_local_options (app, options);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  GApplication *app = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));

  /* Closing each window cancels its scan cleanly. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  g_application_quit (app);
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  ImgscanApplication *self = user_data;
  static const char *developers[] = { "ImgScan contributors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("ImgScan"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("ImgScan contributors"),
                        "developers", developers,
                        "comments", _("Find where your photos are used on the web, with Copyleaks"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

/* The preferences belong to a window (its account and settings): imgscan-window-account.c. */
static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  GtkWindow *window = imgscan_application_get_window (IMGSCAN_APPLICATION (user_data));

  gtk_window_present (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.preferences", NULL);
}

static const GActionEntry app_entries[] = {
  { "quit", quit_action },
  { "preferences", preferences_action },
  { "about", about_action },
  { "shortcuts", shortcuts_action },
};

static void
imgscan_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };
  static const char *open_accels[] = { "<Control>o", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (imgscan_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_entries, G_N_ELEMENTS (app_entries), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.shortcuts", shortcuts_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.open", open_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", preferences_accels);
}

static void
imgscan_application_dispose (GObject *object)
{
  ImgscanApplication *self = IMGSCAN_APPLICATION (object);

  g_clear_object (&self->history);

  G_OBJECT_CLASS (imgscan_application_parent_class)->dispose (object);
}

static void
imgscan_application_class_init (ImgscanApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = imgscan_application_dispose;

  app_class->activate = imgscan_application_activate;
  app_class->open = imgscan_application_open;
  app_class->startup = imgscan_application_startup;
  app_class->handle_local_options = imgscan_application_handle_local_options;
}

static void
imgscan_application_init (ImgscanApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[PHOTO]"));
}

ImgscanApplication *
imgscan_application_new (void)
{
  /* The resource path stays the same for the Devel app id, so the help overlay
   * and the style sheet are found automatically. */
  return g_object_new (IMGSCAN_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

gboolean
imgscan_application_get_demo (ImgscanApplication *self)
{
  g_return_val_if_fail (IMGSCAN_IS_APPLICATION (self), FALSE);

  return self->demo;
}

ImgscanHistory *
imgscan_application_get_history (ImgscanApplication *self)
{
  g_return_val_if_fail (IMGSCAN_IS_APPLICATION (self), NULL);

  if (self->history == NULL)
    self->history = imgscan_history_new (NULL);

  return self->history;
}
