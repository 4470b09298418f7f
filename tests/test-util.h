/* test-util.h: helpers shared by the test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Linked whole into every test program, so it also gives each of them, under
 * AddressSanitizer, the slow unwinder that tests/lsan.supp needs.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *test_util_remember_system_data_dirs (void);
void        test_util_keep_mime_database        (void);
void        test_util_remove_tree               (const char *path);
void        test_util_png_set_size              (guint8     *png,
                                                 guint32     width,
                                                 guint32     height);

G_END_DECLS
