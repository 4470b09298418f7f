/* imgscan-demo-server.c: an offline stand-in for Copyleaks' sandbox on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-demo-server"

#include "config.h"

#include <glib/gi18n.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <math.h>
#include <string.h>

#include "imgscan-demo-server.h"

/* What the canned reply finds: every image and page is served by the server itself, and
 * every image is generated in code, so the demo works installed, with no data files. */
typedef struct
{
  const char *ext;         /* "jpg" or "png" */
  int         match_type;  /* 0 full, 1 partial */
  int         width;
  int         height;
  int         crop_of;     /* > 0: a crop of that image, like a partial match often is */
  guint       n_pages;
} DemoImage;

static const DemoImage demo_images[] = {
  { "jpg", 0, 640, 427, 0, 3 },
  { "png", 0, 480, 480, 0, 1 },
  { "jpg", 0, 427, 640, 0, 2 },
  { "jpg", 1, 360, 240, 1, 2 },
  { "png", 1, 512, 288, 0, 1 },
  { "jpg", 1, 300, 400, 0, 3 },
  { "png", 1, 400, 300, 0, 1 },
  { "jpg", 1, 560, 315, 0, 2 },
};

#define N_DEMO_IMAGES G_N_ELEMENTS (demo_images)
#define DEMO_TOKEN_PREFIX "demo-token-"
#define DEFAULT_DELAY_MS 600

struct _ImgscanDemoServer
{
  GObject     parent_instance;

  SoupServer *server;
  char       *url;
  char       *token;
  guint       delay_ms;
  GBytes     *images[N_DEMO_IMAGES];
  GSList     *pending;   /* DelayedReply, not yet sent */
};

G_DEFINE_FINAL_TYPE (ImgscanDemoServer, imgscan_demo_server, G_TYPE_OBJECT)

static void
set_json (SoupServerMessage *msg,
          guint              status,
          JsonBuilder       *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  gsize length = 0;
  char *text;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, length);
}

static void
set_error (SoupServerMessage *msg,
           guint              status,
           const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  set_json (msg, status, builder);
}

typedef struct
{
  double r, g, b;
} Rgb;

static Rgb
mix (Rgb    a,
     Rgb    b,
     double t)
{
  Rgb c = { a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t };

  return c;
}

/* Palettes for the sky (top, horizon), the hills and the ground, one per scene. */
static const Rgb palettes[][5] = {
  { { 60, 120, 200 }, { 250, 210, 160 }, { 60, 80, 100 },  { 60, 110, 50 },  { 150, 140, 60 } },
  { { 30, 40, 90 },   { 240, 120, 80 },  { 40, 30, 60 },   { 80, 60, 50 },   { 170, 110, 70 } },
  { { 110, 170, 230 }, { 220, 235, 245 }, { 90, 110, 130 }, { 40, 120, 90 },  { 120, 170, 90 } },
  { { 70, 60, 140 },  { 255, 170, 120 }, { 70, 50, 90 },   { 30, 70, 90 },   { 60, 140, 170 } },
};

/* A small landscape (sky, sun, hills, textured ground), different for every seed, so
 * the demo's thumbnails look like the photos a real search finds. */
static GdkPixbuf *
generate_pixbuf (guint seed,
                 int   width,
                 int   height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  const Rgb *palette = palettes[seed % G_N_ELEMENTS (palettes)];
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  double horizon = 0.50 + 0.04 * (seed % 4);
  double sun_x = 0.2 + 0.15 * (seed % 5);
  double sun_y = horizon - 0.18;
  double sun_r = 0.06 + 0.01 * (seed % 3);
  double phase = seed * 1.7;

  for (int y = 0; y < height; y++)
    {
      guchar *row = pixels + (gsize) y * stride;
      double v = (double) y / height;

      for (int x = 0; x < width; x++)
        {
          double u = (double) x / width;
          /* Two ridges of hills, the far one lighter. */
          double far_ridge = horizon - 0.10 - 0.06 * sin (u * 7 + phase) - 0.03 * sin (u * 17 + phase * 2);
          double near_ridge = horizon - 0.02 * sin (u * 11 - phase) - 0.02 * sin (u * 23 + phase);
          double texture = 0.5 + 0.25 * sin (u * 60 + v * 25 + phase) * sin (v * 90 - u * 20)
                           + 0.25 * sin ((u + v) * 35 + seed);
          Rgb c;

          if (v < far_ridge)
            {
              double dx = (u - sun_x) * width / height;
              double d = sqrt (dx * dx + (v - sun_y) * (v - sun_y));

              c = mix (palette[0], palette[1], v / horizon);
              if (d < sun_r)
                c = mix (c, (Rgb) { 255, 245, 210 }, 0.95);
              else if (d < sun_r * 3)
                c = mix (c, (Rgb) { 255, 235, 190 }, 0.5 * (1 - (d - sun_r) / (sun_r * 2)));
            }
          else if (v < near_ridge)
            c = mix (palette[2], palette[1], 0.25);
          else
            c = mix (palette[3], palette[4], CLAMP ((v - horizon) / (1 - horizon) * 0.6 + texture * 0.4, 0, 1));

          row[3 * x + 0] = (guchar) CLAMP (c.r, 0, 255);
          row[3 * x + 1] = (guchar) CLAMP (c.g, 0, 255);
          row[3 * x + 2] = (guchar) CLAMP (c.b, 0, 255);
        }
    }

  return g_steal_pointer (&pixbuf);
}

static GBytes *
encode_pixbuf (GdkPixbuf  *pixbuf,
               const char *ext)
{
  g_autoptr(GError) error = NULL;
  gchar *buffer = NULL;
  gsize size = 0;
  gboolean ok;

  if (g_str_equal (ext, "png"))
    ok = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL);
  else
    ok = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error, "quality", "85", NULL);

  if (!ok)
    {
      g_warning ("Cannot encode a demo image: %s", error->message);
      return NULL;
    }

  return g_bytes_new_take (buffer, size);
}

/* Images are made on first request and kept: a few hundred KB in all. */
static GBytes *
get_image (ImgscanDemoServer *self,
           guint              index)
{
  const DemoImage *image = &demo_images[index];
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  if (self->images[index] != NULL)
    return self->images[index];

  if (image->crop_of > 0)
    {
      const DemoImage *source = &demo_images[image->crop_of - 1];
      g_autoptr(GdkPixbuf) whole = generate_pixbuf (image->crop_of, source->width, source->height);
      g_autoptr(GdkPixbuf) part = gdk_pixbuf_new_subpixbuf (whole,
                                                            source->width / 4, source->height / 5,
                                                            source->width / 2, source->height / 2);

      pixbuf = gdk_pixbuf_scale_simple (part, image->width, image->height, GDK_INTERP_BILINEAR);
    }
  else
    {
      pixbuf = generate_pixbuf (index + 1, image->width, image->height);
    }

  self->images[index] = encode_pixbuf (pixbuf, image->ext);
  return self->images[index];
}

/* Page numbers are handed out in order, so every page URL is distinct. */
static guint
first_page_of (guint index)
{
  guint page = 1;

  for (guint i = 0; i < index; i++)
    page += demo_images[i].n_pages;
  return page;
}

static guint
n_pages_total (void)
{
  return first_page_of (N_DEMO_IMAGES);
}

static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  int *size = user_data;

  size[0] = width;
  size[1] = height;
}

/* Reads the dimensions from the header only: feeds the loader until it knows the size. */
static void
read_image_size (GBytes *image,
                 int    *width,
                 int    *height)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  const guchar *data;
  gsize length;
  gsize offset = 0;
  int size[2] = { 0, 0 };

  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), size);
  data = g_bytes_get_data (image, &length);

  while (offset < length && size[0] == 0)
    {
      gsize chunk = MIN (length - offset, 4096);

      if (!gdk_pixbuf_loader_write (loader, data + offset, chunk, NULL))
        break;
      offset += chunk;
    }

  /* Closing early reports a truncated image: expected, we only wanted the header. */
  gdk_pixbuf_loader_close (loader, NULL);
  *width = MAX (size[0], 0);
  *height = MAX (size[1], 0);
}

static void
handle_login (ImgscanDemoServer *self,
              SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) expires = g_date_time_add_hours (now, 48);
  g_autofree char *issued_text = g_date_time_format_iso8601 (now);
  g_autofree char *expires_text = g_date_time_format_iso8601 (expires);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, self->token);
  json_builder_set_member_name (builder, ".issued");
  json_builder_add_string_value (builder, issued_text);
  json_builder_set_member_name (builder, ".expires");
  json_builder_add_string_value (builder, expires_text);
  json_builder_end_object (builder);
  set_json (msg, SOUP_STATUS_OK, builder);
}

static gboolean
is_authorized (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");

  /* Any token this or an earlier demo server handed out: a token cached by a client
   * across runs keeps working, like a real one does for 48 hours. */
  return authorization != NULL
         && g_str_has_prefix (authorization, "Bearer " DEMO_TOKEN_PREFIX);
}

static void
add_match (ImgscanDemoServer *self,
           JsonBuilder       *builder,
           guint              index)
{
  const DemoImage *image = &demo_images[index];
  guint first_page = first_page_of (index);
  g_autofree char *url = g_strdup_printf ("%s/images/%u.%s", self->url, index + 1, image->ext);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, url);
  json_builder_set_member_name (builder, "matchType");
  json_builder_add_int_value (builder, image->match_type);
  json_builder_set_member_name (builder, "webPages");
  json_builder_begin_array (builder);
  for (guint p = 0; p < image->n_pages; p++)
    {
      g_autofree char *page = g_strdup_printf ("%s/pages/%u.html", self->url, first_page + p);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "url");
      json_builder_add_string_value (builder, page);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
build_check_reply (ImgscanDemoServer *self,
                   JsonBuilder       *builder,
                   const char        *scan_id,
                   const char        *filename,
                   int                width,
                   int                height)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format_iso8601 (now);
  guint n_full = 0;
  guint n_partial = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "developerPayload");
  json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "scannedImage");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "scanId");
  json_builder_add_string_value (builder, scan_id);
  json_builder_set_member_name (builder, "expectedCredits");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "actualCredits");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "creationTime");
  json_builder_add_string_value (builder, created);
  json_builder_set_member_name (builder, "width");
  json_builder_add_int_value (builder, width);
  json_builder_set_member_name (builder, "height");
  json_builder_add_int_value (builder, height);
  json_builder_set_member_name (builder, "filename");
  json_builder_add_string_value (builder, filename);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "matches");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "internet");
  json_builder_begin_array (builder);
  /* Full first, then partial, as the documentation promises. */
  for (int type = 0; type <= 1; type++)
    for (guint i = 0; i < N_DEMO_IMAGES; i++)
      if (demo_images[i].match_type == type)
        {
          add_match (self, builder, i);
          if (type == 0)
            n_full++;
          else
            n_partial++;
        }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "score");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "totalMatches");
  json_builder_add_int_value (builder, n_full + n_partial);
  json_builder_set_member_name (builder, "fullMatches");
  json_builder_add_int_value (builder, n_full);
  json_builder_set_member_name (builder, "partialMatches");
  json_builder_add_int_value (builder, n_partial);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  json_builder_end_object (builder);
}

typedef struct
{
  ImgscanDemoServer *self;
  SoupServerMessage *msg;
  guint              source_id;
} DelayedReply;

static void
delayed_reply_free (gpointer data)
{
  DelayedReply *reply = data;

  g_object_unref (reply->msg);
  g_free (reply);
}

static gboolean
delayed_reply_cb (gpointer user_data)
{
  DelayedReply *reply = user_data;

  reply->self->pending = g_slist_remove (reply->self->pending, reply);
  soup_server_message_unpause (reply->msg);
  return G_SOURCE_REMOVE;
}

/* The multipart body as the client sends it: image (with filename), filename, sandbox. */
static void
handle_check (ImgscanDemoServer *self,
              SoupServerMessage *msg,
              const char        *scan_id)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *filename = NULL;
  GBytes *image = NULL;
  int width = 0;
  int height = 0;
  DelayedReply *reply;

  if (!is_authorized (msg))
    {
      set_error (msg, SOUP_STATUS_UNAUTHORIZED, "Authorization has been denied for this request.");
      return;
    }

  multipart = soup_multipart_new_from_message (headers, body);
  if (multipart == NULL)
    {
      set_error (msg, SOUP_STATUS_BAD_REQUEST, "The request is not multipart/form-data.");
      return;
    }

  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *part_headers = NULL;
      GBytes *part_body = NULL;
      g_autoptr(GHashTable) params = NULL;
      const char *name;

      if (!soup_multipart_get_part (multipart, i, &part_headers, &part_body)
          || !soup_message_headers_get_content_disposition (part_headers, NULL, &params))
        continue;

      name = g_hash_table_lookup (params, "name");
      if (g_strcmp0 (name, "image") == 0)
        {
          image = part_body;
          if (filename == NULL)
            filename = g_strdup (g_hash_table_lookup (params, "filename"));
        }
      else if (g_strcmp0 (name, "filename") == 0)
        {
          g_free (filename);
          filename = g_strndup (g_bytes_get_data (part_body, NULL), g_bytes_get_size (part_body));
        }
    }

  if (image == NULL || g_bytes_get_size (image) == 0)
    {
      set_error (msg, SOUP_STATUS_BAD_REQUEST, "The image field is required.");
      return;
    }

  read_image_size (image, &width, &height);
  builder = json_builder_new ();
  build_check_reply (self, builder, scan_id, filename != NULL ? filename : "image", width, height);
  set_json (msg, SOUP_STATUS_OK, builder);

  if (self->delay_ms == 0)
    return;

  /* A real search takes a while; a short pause lets the "Searching the web…" phase show. */
  reply = g_new0 (DelayedReply, 1);
  reply->self = self;
  reply->msg = g_object_ref (msg);
  soup_server_message_pause (msg);
  reply->source_id = g_timeout_add_full (G_PRIORITY_DEFAULT, self->delay_ms,
                                         delayed_reply_cb, reply, delayed_reply_free);
  self->pending = g_slist_prepend (self->pending, reply);
}

static void
handle_credits (SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (!is_authorized (msg))
    {
      set_error (msg, SOUP_STATUS_UNAUTHORIZED, "Authorization has been denied for this request.");
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Amount");
  json_builder_add_int_value (builder, 100);
  json_builder_end_object (builder);
  set_json (msg, SOUP_STATUS_OK, builder);
}

static void
handle_image (ImgscanDemoServer *self,
              SoupServerMessage *msg,
              const char        *name)
{
  guint64 number = 0;
  g_autofree char *stem = NULL;
  const char *dot = strrchr (name, '.');
  GBytes *image;

  if (dot != NULL)
    stem = g_strndup (name, dot - name);
  if (dot == NULL
      || !g_ascii_string_to_unsigned (stem, 10, 1, N_DEMO_IMAGES, &number, NULL)
      || !g_str_equal (dot + 1, demo_images[number - 1].ext))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  image = get_image (self, number - 1);
  if (image == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg,
                                    g_str_equal (dot + 1, "png") ? "image/png" : "image/jpeg",
                                    SOUP_MEMORY_COPY,
                                    g_bytes_get_data (image, NULL),
                                    g_bytes_get_size (image));
}

static void
handle_page (ImgscanDemoServer *self,
             SoupServerMessage *msg,
             const char        *name)
{
  guint64 number = 0;
  guint index = 0;
  g_autofree char *html = NULL;

  if (!g_str_has_suffix (name, ".html"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  {
    g_autofree char *stem = g_strndup (name, strlen (name) - strlen (".html"));

    if (!g_ascii_string_to_unsigned (stem, 10, 1, n_pages_total () - 1, &number, NULL))
      {
        soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
        return;
      }
  }

  while (index + 1 < N_DEMO_IMAGES && first_page_of (index + 1) <= number)
    index++;

  html = g_strdup_printf ("<!DOCTYPE html>\n"
                          "<html lang=\"en\"><head><meta charset=\"utf-8\">"
                          "<title>Demo gallery — page %u</title></head>\n"
                          "<body><h1>Demo gallery — a page that shows your photo</h1>\n"
                          "<p>This page is served by ImgScan's offline demo; no real site "
                          "was searched.</p>\n"
                          "<img src=\"/images/%u.%s\" alt=\"A photo like yours\">\n"
                          "</body></html>\n",
                          (guint) number, index + 1, demo_images[index].ext);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8",
                                    SOUP_MEMORY_TAKE, g_steal_pointer (&html), strlen (html));
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  ImgscanDemoServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  guint n_parts = g_strv_length (parts);
  gboolean post = g_str_equal (method, SOUP_METHOD_POST);
  gboolean get = g_str_equal (method, SOUP_METHOD_GET) || g_str_equal (method, SOUP_METHOD_HEAD);

  /* parts[0] is the empty string before the leading slash. */
  if (post && g_str_equal (path, "/v3/account/login/api"))
    handle_login (self, msg);
  else if (post && n_parts == 5 && g_str_equal (parts[1], "v1")
           && g_str_equal (parts[2], "image-plagiarism-detector")
           && g_str_equal (parts[4], "check") && parts[3][0] != '\0')
    handle_check (self, msg, parts[3]);
  else if (get && g_str_equal (path, "/v3/scans/credits"))
    handle_credits (msg);
  else if (get && n_parts == 3 && g_str_equal (parts[1], "images"))
    handle_image (self, msg, parts[2]);
  else if (get && n_parts == 3 && g_str_equal (parts[1], "pages"))
    handle_page (self, msg, parts[2]);
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static void
imgscan_demo_server_dispose (GObject *object)
{
  ImgscanDemoServer *self = IMGSCAN_DEMO_SERVER (object);

  /* A held-back reply is answered now, so no client waits for a server that is gone.
   * Removing the source frees the reply and drops the message. */
  while (self->pending != NULL)
    {
      DelayedReply *reply = self->pending->data;

      self->pending = g_slist_delete_link (self->pending, self->pending);
      set_error (reply->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "The demo server has stopped.");
      soup_server_message_unpause (reply->msg);
      g_source_remove (reply->source_id);
    }

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (imgscan_demo_server_parent_class)->dispose (object);
}

static void
imgscan_demo_server_finalize (GObject *object)
{
  ImgscanDemoServer *self = IMGSCAN_DEMO_SERVER (object);

  for (guint i = 0; i < N_DEMO_IMAGES; i++)
    g_clear_pointer (&self->images[i], g_bytes_unref);
  g_free (self->url);
  g_free (self->token);

  G_OBJECT_CLASS (imgscan_demo_server_parent_class)->finalize (object);
}

static void
imgscan_demo_server_class_init (ImgscanDemoServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = imgscan_demo_server_dispose;
  object_class->finalize = imgscan_demo_server_finalize;
}

static void
imgscan_demo_server_init (ImgscanDemoServer *self)
{
  g_autofree char *uuid = g_uuid_string_random ();

  self->token = g_strconcat (DEMO_TOKEN_PREFIX, uuid, NULL);
  self->delay_ms = DEFAULT_DELAY_MS;
}

ImgscanDemoServer *
imgscan_demo_server_new (GError **error)
{
  g_autoptr(ImgscanDemoServer) self = g_object_new (IMGSCAN_TYPE_DEMO_SERVER, NULL);
  GSList *uris;

  self->server = soup_server_new ("server-header", "ImgScan-Demo ", NULL);
  soup_server_add_handler (self->server, NULL, server_cb, self, NULL);

  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    {
      g_prefix_error (error, _("Cannot start the offline demo server: "));
      return NULL;
    }

  uris = soup_server_get_uris (self->server);
  if (uris == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("Cannot start the offline demo server: it has no address"));
      return NULL;
    }
  self->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return g_steal_pointer (&self);
}

const char *
imgscan_demo_server_get_url (ImgscanDemoServer *self)
{
  g_return_val_if_fail (IMGSCAN_IS_DEMO_SERVER (self), NULL);

  return self->url;
}

void
imgscan_demo_server_set_delay (ImgscanDemoServer *self,
                               guint              delay_ms)
{
  g_return_if_fail (IMGSCAN_IS_DEMO_SERVER (self));

  self->delay_ms = delay_ms;
}
