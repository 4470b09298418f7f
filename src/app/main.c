/* main.c: the imgscan program
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "imgscan-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ImgscanApplication) app = NULL;
  const char *localedir;

  /* Tests point at translations built in the tree. */
  localedir = g_getenv ("IMGSCAN_LOCALEDIR");
  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = imgscan_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
