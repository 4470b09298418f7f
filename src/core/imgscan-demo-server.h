/* imgscan-demo-server.h: an offline stand-in for Copyleaks' sandbox on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define IMGSCAN_DEMO_EMAIL "demo@example.com"
#define IMGSCAN_DEMO_KEY   "00000000-0000-4000-8000-000000000000"

#define IMGSCAN_TYPE_DEMO_SERVER (imgscan_demo_server_get_type ())
G_DECLARE_FINAL_TYPE (ImgscanDemoServer, imgscan_demo_server, IMGSCAN, DEMO_SERVER, GObject)

/* Listens on 127.0.0.1, on a free port, in the thread-default main context. It answers
 * login (any credentials), check (canned full and partial matches whose image URLs and
 * pages point back at itself), credits, and serves those images and pages. */
ImgscanDemoServer *imgscan_demo_server_new     (GError            **error);
/* "http://127.0.0.1:PORT": both the id and the api base URL. */
const char        *imgscan_demo_server_get_url (ImgscanDemoServer  *self);
/* How long the check waits before replying, so the "searching" phase can be seen;
 * 600 ms by default, 0 in tests. */
void               imgscan_demo_server_set_delay (ImgscanDemoServer *self,
                                                  guint              delay_ms);

G_END_DECLS
