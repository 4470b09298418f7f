/* imgscan-match.h: one image found on the web, with the pages that show it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Copyleaks' matchType: 0 full (exact or near-exact), 1 partial (cropped, resized,
 * recoloured…). Any other value is kept, visible but apart, as OTHER. */
typedef enum
{
  IMGSCAN_MATCH_KIND_FULL    = 0,
  IMGSCAN_MATCH_KIND_PARTIAL = 1,
  IMGSCAN_MATCH_KIND_OTHER   = 2,
} ImgscanMatchKind;

#define IMGSCAN_TYPE_MATCH (imgscan_match_get_type ())
G_DECLARE_FINAL_TYPE (ImgscanMatch, imgscan_match, IMGSCAN, MATCH, GObject)

/* @pages: NULL-terminated page URLs, or NULL for none. */
ImgscanMatch      *imgscan_match_new            (const char          *url,
                                                 gint64               match_type,
                                                 const char * const  *pages);
const char        *imgscan_match_get_url        (ImgscanMatch        *self);
/* The URL's host ("example.com"), or "" when the URL has none. */
const char        *imgscan_match_get_domain     (ImgscanMatch        *self);
ImgscanMatchKind   imgscan_match_get_kind       (ImgscanMatch        *self);
/* The raw matchType as received (for OTHER, the unknown value). */
gint64             imgscan_match_get_match_type (ImgscanMatch        *self);
/* Never NULL: an empty vector when the image is on no page. */
const char * const *imgscan_match_get_pages     (ImgscanMatch        *self);
guint              imgscan_match_get_n_pages    (ImgscanMatch        *self);
/* Set by the history diff: this image was not in the previous scan of the same photo. */
gboolean           imgscan_match_get_is_new     (ImgscanMatch        *self);
void               imgscan_match_set_is_new     (ImgscanMatch        *self,
                                                 gboolean             is_new);

/* Takes ownership of @url and of @pages (NULL, or a non-empty NULL-terminated vector
 * holding @n_pages strings). For parsers building many matches at once. */
ImgscanMatch      *imgscan_match_new_take       (char                *url,
                                                 gint64               match_type,
                                                 char               **pages,
                                                 guint                n_pages);

/* Copies @url and the first @n_pages of @pages, which need not be NULL-terminated:
 * one allocation for all the strings, for parsers building many matches at once. */
ImgscanMatch      *imgscan_match_new_n          (const char          *url,
                                                 gint64               match_type,
                                                 const char * const  *pages,
                                                 guint                n_pages);

/* TRUE only for absolute http:// and https:// URLs: the only ones we ever open or fetch. */
gboolean           imgscan_uri_is_web           (const char          *uri);

G_END_DECLS
