/* ui-test-util.c: what the window's test programs share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ui-test-util.h"

/* After g_test_init(): GTK, libadwaita, and the system data that isolated dirs hide.
 * FALSE, with TAP's skip line printed, when there is no display. */
gboolean
ui_test_init (void)
{
  const char * const mime_dirs[] = { "/usr/local/share/mime", "/usr/share/mime", NULL };

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      return FALSE;
    }
  adw_init ();

  /* G_TEST_OPTION_ISOLATE_DIRS hides /usr/share from XDG_DATA_DIRS, and with it the
   * shared-mime-info database GdkPixbuf sniffs with and the icon themes: SVG icons
   * would fail to load (a fatal warning). Point both back at the system's. */
  g_content_type_set_mime_dirs (mime_dirs);
  gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                  "/usr/share/icons");
  return TRUE;
}

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Pumps the main loop until @cond holds; a generous limit only turns a hang into a
 * failure. @window is read only to say where the window was when it gave up. */
void
ui_test_wait_until (Fixture        *fixture,
                    Condition       cond,
                    ImgscanWindow **window,
                    const char     *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (30, timed_out_cb, &timed_out);

  while (!cond (fixture) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  if (!cond (fixture))
    g_error ("Gave up waiting for %s (window state: %s)", what,
             *window != NULL ? imgscan_window_get_state (*window) : "closed");
}

/* Lets late callbacks run (for checks that something does NOT happen). */
void
ui_test_pump (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timed_out_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* A 320×240 PNG of one colour in @dir: photos of different colours have different
 * content hashes. */
GFile *
ui_test_make_photo (const char *dir,
                    const char *name,
                    guint32     rgba)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 320, 240);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, rgba);
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}
