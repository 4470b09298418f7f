/* ui-test-util.h: what the window's test programs share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "imgscan-window.h"

G_BEGIN_DECLS

/* Each test program completes struct _Fixture its own way; it has a `window` member. */
typedef struct _Fixture Fixture;
typedef gboolean (*Condition) (Fixture *fixture);

gboolean  ui_test_init       (void);
void      ui_test_wait_until (Fixture        *fixture,
                              Condition       cond,
                              ImgscanWindow **window,
                              const char     *what);
void      ui_test_pump       (guint           ms);
GFile    *ui_test_make_photo (const char     *dir,
                              const char     *name,
                              guint32         rgba);

/* Pumps the main loop until @cond holds for @fixture. */
#define wait_until(fixture, cond, what) \
  ui_test_wait_until ((fixture), (cond), &(fixture)->window, (what))

G_END_DECLS
