/* imgscan-match.c: one image found on the web, with the pages that show it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-match"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "imgscan-core-enums.h"
#include "imgscan-match.h"

struct _ImgscanMatch
{
  GObject   parent_instance;

  /* url and pages live in one allocation, pages first: a big reply makes one
   * malloc per match instead of one per string. */
  char     *block;
  const char *url;
  const char * const *pages;
  guint     n_pages;
  /* Computed on first use: parsing 100,000 URLs up front would cost more than the
   * whole JSON parse, and most domains are never displayed. */
  char     *domain;
  gint64    match_type;
  guint     is_new : 1;
};

enum {
  PROP_0,
  PROP_URL,
  PROP_DOMAIN,
  PROP_KIND,
  PROP_MATCH_TYPE,
  PROP_PAGES,
  PROP_N_PAGES,
  PROP_IS_NEW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ImgscanMatch, imgscan_match, G_TYPE_OBJECT)

static const char * const no_pages[] = { NULL };

static void
imgscan_match_finalize (GObject *object)
{
  ImgscanMatch *self = IMGSCAN_MATCH (object);

  g_clear_pointer (&self->block, g_free);
  g_clear_pointer (&self->domain, g_free);

  G_OBJECT_CLASS (imgscan_match_parent_class)->finalize (object);
}

static void
imgscan_match_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ImgscanMatch *self = IMGSCAN_MATCH (object);

  switch (prop_id)
    {
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;

    case PROP_DOMAIN:
      g_value_set_string (value, imgscan_match_get_domain (self));
      break;

    case PROP_KIND:
      g_value_set_enum (value, imgscan_match_get_kind (self));
      break;

    case PROP_MATCH_TYPE:
      g_value_set_int64 (value, self->match_type);
      break;

    case PROP_PAGES:
      g_value_set_boxed (value, imgscan_match_get_pages (self));
      break;

    case PROP_N_PAGES:
      g_value_set_uint (value, self->n_pages);
      break;

    case PROP_IS_NEW:
      g_value_set_boolean (value, self->is_new);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
imgscan_match_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  ImgscanMatch *self = IMGSCAN_MATCH (object);

  switch (prop_id)
    {
    case PROP_IS_NEW:
      imgscan_match_set_is_new (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
imgscan_match_class_init (ImgscanMatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = imgscan_match_finalize;
  object_class->get_property = imgscan_match_get_property;
  object_class->set_property = imgscan_match_set_property;

  /* Read-only: imgscan_match_new() sets them. Construct properties would send every
   * one of 100,000 matches through GValue and set_property. */
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL,
                         "",
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_DOMAIN] =
    g_param_spec_string ("domain", NULL, NULL,
                         "",
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       IMGSCAN_TYPE_MATCH_KIND,
                       IMGSCAN_MATCH_KIND_FULL,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_MATCH_TYPE] =
    g_param_spec_int64 ("match-type", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_PAGES] =
    g_param_spec_boxed ("pages", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_N_PAGES] =
    g_param_spec_uint ("n-pages", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_IS_NEW] =
    g_param_spec_boolean ("is-new", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
imgscan_match_init (ImgscanMatch *self)
{
  self->url = "";
  self->pages = no_pages;
}

/* Copies @url and the first @n_pages of @pages (which need no NULL terminator). */
ImgscanMatch *
imgscan_match_new_n (const char         *url,
                     gint64              match_type,
                     const char * const *pages,
                     guint               n_pages)
{
  ImgscanMatch *self;
  gsize url_size;
  gsize size;
  char **vector;
  char *p;

  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (pages != NULL || n_pages == 0, NULL);

  url_size = strlen (url) + 1;
  size = (n_pages + 1) * sizeof (char *) + url_size;
  for (guint i = 0; i < n_pages; i++)
    size += strlen (pages[i]) + 1;

  self = g_object_new (IMGSCAN_TYPE_MATCH, NULL);
  self->block = g_malloc (size);
  self->match_type = match_type;

  vector = (char **) self->block;
  p = self->block + (n_pages + 1) * sizeof (char *);
  for (guint i = 0; i < n_pages; i++)
    {
      gsize page_size = strlen (pages[i]) + 1;

      vector[i] = memcpy (p, pages[i], page_size);
      p += page_size;
    }
  vector[n_pages] = NULL;
  self->url = memcpy (p, url, url_size);
  self->pages = (const char * const *) vector;
  self->n_pages = n_pages;

  return self;
}

ImgscanMatch *
imgscan_match_new_take (char   *url,
                        gint64  match_type,
                        char  **pages,
                        guint   n_pages)
{
  ImgscanMatch *self = imgscan_match_new_n (url, match_type, (const char * const *) pages, n_pages);

  g_free (url);
  g_strfreev (pages);
  return self;
}

ImgscanMatch *
imgscan_match_new (const char         *url,
                   gint64              match_type,
                   const char * const *pages)
{
  return imgscan_match_new_n (url, match_type, pages,
                              pages != NULL ? g_strv_length ((char **) pages) : 0);
}

const char *
imgscan_match_get_url (ImgscanMatch *self)
{
  g_return_val_if_fail (IMGSCAN_IS_MATCH (self), NULL);
  return self->url;
}

const char *
imgscan_match_get_domain (ImgscanMatch *self)
{
  g_return_val_if_fail (IMGSCAN_IS_MATCH (self), NULL);

  if (self->domain == NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (self->url, G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_ENCODED, NULL);
      const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

      /* Host names are case-insensitive: one spelling, for display and grouping. */
      self->domain = g_ascii_strdown (host != NULL ? host : "", -1);
    }

  return self->domain;
}

ImgscanMatchKind
imgscan_match_get_kind (ImgscanMatch *self)
{
  g_return_val_if_fail (IMGSCAN_IS_MATCH (self), IMGSCAN_MATCH_KIND_OTHER);

  switch (self->match_type)
    {
    case 0:
      return IMGSCAN_MATCH_KIND_FULL;
    case 1:
      return IMGSCAN_MATCH_KIND_PARTIAL;
    default:
      return IMGSCAN_MATCH_KIND_OTHER;
    }
}

gint64
imgscan_match_get_match_type (ImgscanMatch *self)
{
  g_return_val_if_fail (IMGSCAN_IS_MATCH (self), 0);
  return self->match_type;
}

const char * const *
imgscan_match_get_pages (ImgscanMatch *self)
{
  g_return_val_if_fail (IMGSCAN_IS_MATCH (self), no_pages);
  return self->pages;
}

guint
imgscan_match_get_n_pages (ImgscanMatch *self)
{
  g_return_val_if_fail (IMGSCAN_IS_MATCH (self), 0);
  return self->n_pages;
}

gboolean
imgscan_match_get_is_new (ImgscanMatch *self)
{
  g_return_val_if_fail (IMGSCAN_IS_MATCH (self), FALSE);
  return self->is_new;
}

void
imgscan_match_set_is_new (ImgscanMatch *self,
                          gboolean      is_new)
{
  g_return_if_fail (IMGSCAN_IS_MATCH (self));

  is_new = !!is_new;
  if (self->is_new == is_new)
    return;

  self->is_new = is_new;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_NEW]);
}

gboolean
imgscan_uri_is_web (const char *uri)
{
  g_autoptr(GUri) parsed = NULL;
  const char *scheme;
  const char *host;

  if (uri == NULL || *uri == '\0')
    return FALSE;

  /* GUri lets spaces and control characters through; no valid URL holds them. */
  for (const char *p = uri; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
      return FALSE;

  /* Strict parsing: anything GLib has to guess about is not a link we open. */
  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  if (parsed == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (parsed);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    return FALSE;

  host = g_uri_get_host (parsed);
  return host != NULL && *host != '\0';
}
