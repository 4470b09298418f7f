/* test-util.c: helpers shared by the test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "test-util.h"

static char *system_data_dirs;

/* Format sniffing reads the system's shared-mime-info database, which isolated
 * directories hide: call this before g_test_init() to remember where it is, then
 * test_util_keep_mime_database() to point GIO back at it (and pass the result on to
 * child processes). Read from the environment, not GLib's cache. */
const char *
test_util_remember_system_data_dirs (void)
{
  const char *env = g_getenv ("XDG_DATA_DIRS");

  if (system_data_dirs == NULL)
    system_data_dirs = g_strdup (env != NULL && *env != '\0' ? env : "/usr/local/share:/usr/share");

  return system_data_dirs;
}

void
test_util_keep_mime_database (void)
{
  g_auto(GStrv) data_dirs = g_strsplit (test_util_remember_system_data_dirs (), ":", -1);
  guint n = g_strv_length (data_dirs);
  g_auto(GStrv) mime_dirs = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    mime_dirs[i] = g_build_filename (data_dirs[i], "mime", NULL);
  g_content_type_set_mime_dirs ((const char * const *) mime_dirs);
}

/* Removes @path and everything below it; symbolic links are removed, not followed. */
void
test_util_remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          test_util_remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_remove (path);
}

static guint32
png_crc (const guint8 *p,
         gsize         len)
{
  guint32 crc = 0xffffffff;

  for (gsize i = 0; i < len; i++)
    {
      crc ^= p[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320 & (0 - (crc & 1)));
    }
  return crc ^ 0xffffffff;
}

/* Rewrites the IHDR chunk of @png (right after the signature, as every PNG has it) to
 * claim @width × @height, with a valid CRC, so that a decoder believes it. */
void
test_util_png_set_size (guint8  *png,
                        guint32  width,
                        guint32  height)
{
  guint32 v;

  /* Signature (8), IHDR length (4), "IHDR" (4), width (4), height (4)… CRC at 29. */
  v = GUINT32_TO_BE (width);
  memcpy (png + 16, &v, 4);
  v = GUINT32_TO_BE (height);
  memcpy (png + 20, &v, 4);
  v = GUINT32_TO_BE (png_crc (png + 12, 17));
  memcpy (png + 29, &v, 4);
}

/* GLib and GTK are built without frame pointers: only the slow unwinder sees the
 * g_set_user_dirs frame that tests/lsan.supp suppresses (GLib 2.74 leaks the old
 * directories each time G_TEST_OPTION_ISOLATE_DIRS swaps them), and the frames of
 * the leaks GTK keeps for the life of the process. Only sanitizer builds read this;
 * ASAN_OPTIONS from the environment still apply on top of it. */
const char *__asan_default_options (void);

const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}
