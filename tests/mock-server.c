/* mock-server.c: an in-process stand-in for Copyleaks, for the tests only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mock-server"

#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "imgscan-client.h"
#include "mock-server.h"

#define LOGIN_PATH   "/v3/account/login/api"
#define CHECK_PREFIX "/v1/image-plagiarism-detector/"
#define CREDITS_PATH "/v3/scans/credits"

struct _MockServer
{
  GObject           parent_instance;

  SoupServer       *server;
  char             *url;

  char             *scenario;
  char             *login_scenario;
  guint             delay_ms;
  GTimeSpan         token_lifetime;
  gint64            credits;

  guint             n_logins;
  guint             n_checks;
  guint             n_thumbnails;
  guint             n_requests;
  /* Checks answered since the scenario was set, for the "-once" scenarios. */
  guint             scenario_hits;

  /* token → expiry (gint64 real time, µs) */
  GHashTable       *tokens;
  MockCheckRequest *last_check;
  GPtrArray        *scan_ids;
  /* SlowReply, answered later */
  GPtrArray        *slow_replies;
  GBytes           *huge;
};

G_DEFINE_FINAL_TYPE (MockServer, mock_server, G_TYPE_OBJECT)

typedef struct
{
  MockServer        *self;   /* unowned: the server outlives its pending replies */
  SoupServerMessage *msg;
  char              *body;
  GSource           *source;
} SlowReply;

static void
slow_reply_free (gpointer data)
{
  SlowReply *reply = data;

  if (reply->source != NULL)
    g_source_destroy (reply->source);
  g_clear_pointer (&reply->source, g_source_unref);
  g_clear_object (&reply->msg);
  g_free (reply->body);
  g_free (reply);
}

static void
mock_check_request_free (MockCheckRequest *req)
{
  if (req == NULL)
    return;
  g_free (req->path);
  g_free (req->scan_id);
  g_free (req->authorization);
  g_free (req->accept);
  g_free (req->accept_encoding);
  g_free (req->user_agent);
  g_free (req->content_type);
  g_strfreev (req->part_names);
  g_free (req->image_filename);
  g_free (req->image_content_type);
  g_clear_pointer (&req->image, g_bytes_unref);
  g_free (req->filename);
  g_free (req->sandbox);
  g_free (req);
}

/* ---- replies ---- */

static void
respond_text (SoupServerMessage *msg,
              guint              status,
              const char        *content_type,
              const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              JsonBuilder       *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = json_to_string (root, FALSE);

  respond_text (msg, status, "application/json; charset=utf-8", text);
}

static void
add_match (JsonBuilder *b,
           const char  *url,
           int          match_type,
           const char  *page1,
           const char  *page2,
           gboolean     extra)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "url");
  json_builder_add_string_value (b, url);
  json_builder_set_member_name (b, "matchType");
  json_builder_add_int_value (b, match_type);
  if (page1 != NULL)
    {
      json_builder_set_member_name (b, "webPages");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "url");
      json_builder_add_string_value (b, page1);
      if (extra)
        {
          json_builder_set_member_name (b, "pageExtra");
          json_builder_add_boolean_value (b, TRUE);
        }
      json_builder_end_object (b);
      if (page2 != NULL)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "url");
          json_builder_add_string_value (b, page2);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  if (extra)
    {
      json_builder_set_member_name (b, "similarity");
      json_builder_add_double_value (b, 0.97);
    }
  json_builder_end_object (b);
}

static void
add_example_matches (JsonBuilder *b,
                     gboolean     extra)
{
  add_match (b, "https://images.example.com/full-1.jpg", 0,
             "https://news.example.com/story-1", "https://blog.example.org/post", extra);
  add_match (b, "https://images.example.com/full-2.jpg", 0,
             "https://shop.example.net/item", NULL, extra);
  add_match (b, "https://images.example.com/partial-1.jpg", 1,
             "https://forum.example.com/t/42", NULL, extra);
}

/* The 200 reply of every successful scenario, built with json-glib. */
static char *
build_reply (MockServer *self,
             const char *scenario,
             const char *scan_id,
             const char *filename)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  gboolean extra = g_str_equal (scenario, "extra-fields");
  guint total = 3, full = 2, partial = 1;

  json_builder_begin_object (b);
  if (extra)
    {
      json_builder_set_member_name (b, "apiVersion");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "major");
      json_builder_add_int_value (b, 9);
      json_builder_end_object (b);
    }
  if (g_str_equal (scenario, "null-payload"))
    {
      json_builder_set_member_name (b, "developerPayload");
      json_builder_add_null_value (b);
    }
  else if (!g_str_equal (scenario, "missing-payload"))
    {
      json_builder_set_member_name (b, "developerPayload");
      json_builder_add_string_value (b, "mock-payload");
    }

  json_builder_set_member_name (b, "scannedImage");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "scanId");
  json_builder_add_string_value (b, scan_id);
  json_builder_set_member_name (b, "expectedCredits");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "actualCredits");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "creationTime");
  json_builder_add_string_value (b, "2026-05-24T10:00:00.1234567Z");
  json_builder_set_member_name (b, "width");
  json_builder_add_int_value (b, 64);
  json_builder_set_member_name (b, "height");
  json_builder_add_int_value (b, 48);
  json_builder_set_member_name (b, "filename");
  json_builder_add_string_value (b, filename != NULL ? filename : "");
  if (extra)
    {
      json_builder_set_member_name (b, "colourSpace");
      json_builder_add_string_value (b, "sRGB");
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "matches");
  json_builder_begin_object (b);
  if (extra)
    {
      json_builder_set_member_name (b, "searchEngine");
      json_builder_add_string_value (b, "mock");
    }
  json_builder_set_member_name (b, "internet");
  json_builder_begin_array (b);

  if (g_str_equal (scenario, "empty"))
    total = full = partial = 0;
  else if (g_str_equal (scenario, "many"))
    {
      full = 3000;
      partial = 2000;
      total = full + partial;
      for (guint i = 0; i < full; i++)
        {
          g_autofree char *url = g_strdup_printf ("https://images.example.com/many/full-%u.jpg", i);
          g_autofree char *page = g_strdup_printf ("https://pages.example.com/full/%u", i);
          add_match (b, url, 0, page, NULL, FALSE);
        }
      for (guint i = 0; i < partial; i++)
        {
          g_autofree char *url = g_strdup_printf ("https://images.example.com/many/partial-%u.jpg", i);
          add_match (b, url, 1, NULL, NULL, FALSE);
        }
    }
  else if (g_str_equal (scenario, "out-of-order"))
    {
      add_match (b, "https://images.example.com/partial-1.jpg", 1, "https://forum.example.com/t/42", NULL, FALSE);
      add_match (b, "https://images.example.com/full-1.jpg", 0, "https://news.example.com/story-1", NULL, FALSE);
      add_match (b, "https://images.example.com/partial-2.jpg", 1, NULL, NULL, FALSE);
      add_match (b, "https://images.example.com/full-2.jpg", 0, "https://shop.example.net/item", NULL, FALSE);
      total = 4;
      partial = 2;
    }
  else if (g_str_equal (scenario, "duplicates"))
    {
      /* 5 entries, 3 distinct URLs; the score counts the distinct ones. */
      add_example_matches (b, FALSE);
      add_match (b, "https://images.example.com/full-1.jpg", 0, "https://news.example.com/story-1", NULL, FALSE);
      add_match (b, "https://images.example.com/partial-1.jpg", 1, NULL, NULL, FALSE);
    }
  else if (g_str_equal (scenario, "unknown-type"))
    {
      add_example_matches (b, FALSE);
      add_match (b, "https://images.example.com/odd.jpg", 7, "https://odd.example.com/", NULL, FALSE);
      total = 4;
    }
  else if (g_str_equal (scenario, "thumbnails"))
    {
      g_autofree char *ok1 = g_strdup_printf ("%s/thumbs/ok-1.png", self->url);
      g_autofree char *ok2 = g_strdup_printf ("%s/thumbs/ok-2.png", self->url);
      g_autofree char *ok3 = g_strdup_printf ("%s/thumbs/ok-3.png", self->url);
      g_autofree char *broken = g_strdup_printf ("%s/thumbs/broken.png", self->url);
      g_autofree char *page1 = g_strdup_printf ("%s/pages/1.html", self->url);
      g_autofree char *page2 = g_strdup_printf ("%s/pages/2.html", self->url);
      g_autofree char *page3 = g_strdup_printf ("%s/pages/3.html", self->url);
      g_autofree char *page4 = g_strdup_printf ("%s/pages/4.html", self->url);

      add_match (b, ok1, 0, page1, "javascript:alert(1)", FALSE);
      add_match (b, ok2, 0, page2, "file:///etc/passwd", FALSE);
      add_match (b, ok3, 1, page3, "javascript:alert(3)", FALSE);
      add_match (b, broken, 1, page4, "file:///etc/hosts", FALSE);
      total = 4;
      partial = 2;
    }
  else
    add_example_matches (b, extra);

  json_builder_end_array (b);

  if (g_str_equal (scenario, "score-mismatch"))
    {
      total = 10;
      full = 7;
      partial = 3;
    }
  json_builder_set_member_name (b, "score");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "totalMatches");
  json_builder_add_int_value (b, total);
  json_builder_set_member_name (b, "fullMatches");
  json_builder_add_int_value (b, full);
  json_builder_set_member_name (b, "partialMatches");
  json_builder_add_int_value (b, partial);
  if (extra)
    {
      json_builder_set_member_name (b, "confidence");
      json_builder_add_string_value (b, "high");
    }
  json_builder_end_object (b);
  json_builder_end_object (b);  /* matches */
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static void
respond_error_body (SoupServerMessage *msg,
                    guint              status)
{
  const char *body = NULL;

  switch (status)
    {
    case 400:
      body = "{\"filename\": [\"The filename field is required.\"]}";
      break;
    case 401:
      body = "{\"message\": \"Authorization has been denied for this request.\"}";
      break;
    case 402:
      body = "{\"error\": {\"type\": \"payment_error\", \"id\": \"e-402\", \"code\": \"insufficient-credits\","
             " \"message\": \"You do not have enough credits to complete this scan.\", \"details\": []}}";
      break;
    case 403:
      body = "{\"Message\": \"Your plan does not include image plagiarism detection.\"}";
      break;
    case 404:
      body = "{\"type\": \"https://tools.ietf.org/html/rfc7231#section-6.5.4\", \"title\": \"Not Found\", \"status\": 404}";
      break;
    case 429:
      respond_text (msg, status, "text/plain", "Too Many Requests");
      return;
    case 500:
      body = "{\"error\": \"Internal server error.\"}";
      break;
    case 503:
      respond_text (msg, status, "text/plain", "The service is down for scheduled maintenance.");
      return;
    default:
      body = "{}";
      break;
    }
  respond_text (msg, status, "application/json", body);
}

static void
drop_connection (SoupServerMessage *msg,
                 const char        *raw)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream == NULL)
    return;
  if (raw != NULL)
    g_output_stream_write_all (g_io_stream_get_output_stream (stream), raw, strlen (raw),
                               NULL, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

static GBytes *
gzip_bytes (const char *text)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (mem, G_CONVERTER (compressor));

  g_output_stream_write_all (out, text, strlen (text), NULL, NULL, NULL);
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));
}

static GBytes *
get_huge (MockServer *self)
{
  if (self->huge == NULL)
    {
      gsize size = IMGSCAN_MAX_REPLY_SIZE + 1024 * 1024;
      char *data = g_malloc (size);
      const char *head = "{\"developerPayload\": \"";
      const char *tail = "\"}";

      memset (data, 'x', size);
      memcpy (data, head, strlen (head));
      memcpy (data + size - strlen (tail), tail, strlen (tail));
      self->huge = g_bytes_new_take (data, size);
    }
  return self->huge;
}

static gboolean
slow_reply_cb (gpointer data)
{
  SlowReply *reply = data;
  MockServer *self = reply->self;

  respond_text (reply->msg, 200, "application/json", reply->body);
  soup_server_message_unpause (reply->msg);
  g_ptr_array_remove (self->slow_replies, reply);
  return G_SOURCE_REMOVE;
}

/* ---- requests ---- */

static gboolean
token_is_valid (MockServer        *self,
                SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *auth = soup_message_headers_get_one (headers, "Authorization");
  gpointer expiry;

  if (auth == NULL || !g_str_has_prefix (auth, "Bearer "))
    return FALSE;
  if (!g_hash_table_lookup_extended (self->tokens, auth + strlen ("Bearer "), NULL, &expiry))
    return FALSE;
  return *(gint64 *) expiry > g_get_real_time ();
}

static void
handle_login (MockServer        *self,
              SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  const char *email = NULL;
  const char *key = NULL;
  JsonNode *root;

  self->n_logins++;

  if (g_str_equal (self->login_scenario, "401"))
    {
      respond_text (msg, 401, "application/json", "{\"message\": \"Invalid login credentials.\"}");
      return;
    }
  if (g_str_equal (self->login_scenario, "429"))
    {
      /* The documented body is not even JSON. */
      respond_text (msg, 429, "text/plain", "Too many requests. <b>Slow down</b>");
      return;
    }
  if (g_str_equal (self->login_scenario, "400"))
    {
      respond_text (msg, 400, "application/json", "{\"Key\": [\"The key field is required.\"]}");
      return;
    }

  if (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL)
      && (root = json_parser_get_root (parser)) != NULL
      && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *obj = json_node_get_object (root);

      if (json_object_has_member (obj, "email")
          && JSON_NODE_HOLDS_VALUE (json_object_get_member (obj, "email")))
        email = json_object_get_string_member (obj, "email");
      if (json_object_has_member (obj, "key")
          && JSON_NODE_HOLDS_VALUE (json_object_get_member (obj, "key")))
        key = json_object_get_string_member (obj, "key");
    }

  if (key == NULL || *key == '\0' || email == NULL)
    respond_text (msg, 400, "application/json", "{\"Key\": [\"The key field is required.\"]}");
  else if (!g_str_equal (email, MOCK_EMAIL) || !g_str_equal (key, MOCK_KEY))
    respond_text (msg, 401, "application/json", "{\"message\": \"Invalid login credentials.\"}");
  else
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) expires = g_date_time_add (now, self->token_lifetime);
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *token = g_strdup_printf ("mock-token-%s", uuid);
      g_autofree char *issued_s = g_date_time_format_iso8601 (now);
      g_autofree char *expires_s = g_date_time_format_iso8601 (expires);
      gint64 *expiry = g_new (gint64, 1);

      *expiry = g_date_time_to_unix (expires) * G_USEC_PER_SEC;
      g_hash_table_insert (self->tokens, g_strdup (token), expiry);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "access_token");
      json_builder_add_string_value (b, token);
      json_builder_set_member_name (b, ".issued");
      json_builder_add_string_value (b, issued_s);
      json_builder_set_member_name (b, ".expires");
      json_builder_add_string_value (b, expires_s);
      json_builder_end_object (b);
      respond_json (msg, 200, b);
    }
}

static MockCheckRequest *
record_check (SoupServerMessage *msg,
              const char        *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  SoupMultipart *multipart;
  MockCheckRequest *req = g_new0 (MockCheckRequest, 1);
  const char *rest = path + strlen (CHECK_PREFIX);
  const char *slash = strchr (rest, '/');

  req->path = g_strdup (path);
  req->scan_id = slash != NULL ? g_strndup (rest, slash - rest) : g_strdup (rest);
  req->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  req->accept = g_strdup (soup_message_headers_get_list (headers, "Accept"));
  req->accept_encoding = g_strdup (soup_message_headers_get_list (headers, "Accept-Encoding"));
  req->user_agent = g_strdup (soup_message_headers_get_one (headers, "User-Agent"));
  req->content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  req->content_length = soup_message_headers_get_content_length (headers);

  multipart = soup_multipart_new_from_message (headers, body);
  if (multipart != NULL)
    {
      for (int i = 0; i < soup_multipart_get_length (multipart); i++)
        {
          SoupMessageHeaders *part_headers;
          GBytes *part_body;
          g_autofree char *disposition = NULL;
          GHashTable *params = NULL;
          const char *name = NULL;

          if (!soup_multipart_get_part (multipart, i, &part_headers, &part_body))
            continue;
          if (soup_message_headers_get_content_disposition (part_headers, &disposition, &params))
            name = g_hash_table_lookup (params, "name");
          g_ptr_array_add (names, g_strdup (name != NULL ? name : ""));

          if (g_strcmp0 (name, "image") == 0)
            {
              req->image_filename = g_strdup (g_hash_table_lookup (params, "filename"));
              req->image_content_type = g_strdup (soup_message_headers_get_content_type (part_headers, NULL));
              req->image = g_bytes_ref (part_body);
            }
          else if (g_strcmp0 (name, "filename") == 0)
            req->filename = g_strndup (g_bytes_get_data (part_body, NULL), g_bytes_get_size (part_body));
          else if (g_strcmp0 (name, "sandbox") == 0)
            req->sandbox = g_strndup (g_bytes_get_data (part_body, NULL), g_bytes_get_size (part_body));

          g_clear_pointer (&params, g_hash_table_destroy);
        }
      soup_multipart_free (multipart);
    }
  g_ptr_array_add (names, NULL);
  req->part_names = (char **) g_ptr_array_steal (names, NULL);
  return req;
}

static void
handle_check (MockServer        *self,
              SoupServerMessage *msg,
              const char        *path)
{
  const char *scenario = self->scenario;
  gboolean first;
  g_autofree char *reply = NULL;

  self->n_checks++;
  g_clear_pointer (&self->last_check, mock_check_request_free);
  self->last_check = record_check (msg, path);
  g_ptr_array_insert (self->scan_ids, self->scan_ids->len - 1, g_strdup (self->last_check->scan_id));

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      respond_text (msg, 405, "text/plain", "Method Not Allowed");
      return;
    }
  if (!token_is_valid (self, msg))
    {
      respond_error_body (msg, 401);
      return;
    }

  first = self->scenario_hits++ == 0;

  if (g_str_has_prefix (scenario, "status-"))
    {
      respond_error_body (msg, (guint) g_ascii_strtoull (scenario + strlen ("status-"), NULL, 10));
      return;
    }
  if (g_str_equal (scenario, "payment-error"))
    {
      respond_text (msg, 400, "application/json",
                    "{\"error\": {\"type\": \"payment_error\", \"code\": \"credits\","
                    " \"message\": \"Your account has no credits left.\"}}");
      return;
    }
  if (first && g_str_equal (scenario, "401-once"))
    {
      /* As if the token had expired early: every token issued so far stops working. */
      g_hash_table_remove_all (self->tokens);
      respond_error_body (msg, 401);
      return;
    }
  if (first && g_str_equal (scenario, "429-once"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "1");
      respond_error_body (msg, 429);
      return;
    }
  if (first && g_str_equal (scenario, "503-once"))
    {
      respond_error_body (msg, 503);
      return;
    }
  if (first && g_str_equal (scenario, "500-once"))
    {
      respond_error_body (msg, 500);
      return;
    }
  if ((first && g_str_equal (scenario, "drop-once")) || g_str_equal (scenario, "drop-connection"))
    {
      drop_connection (msg, NULL);
      return;
    }
  if (g_str_equal (scenario, "invalid-json"))
    {
      respond_text (msg, 200, "application/json", "{\"scannedImage\": {\"scanId\": \"x\", oops");
      return;
    }
  if (g_str_equal (scenario, "wrong-types"))
    {
      respond_text (msg, 200, "application/json",
                    "{\"developerPayload\": 5, \"scannedImage\": \"not an object\","
                    " \"matches\": {\"internet\": {\"url\": 3}, \"score\": []}}");
      return;
    }
  if (g_str_equal (scenario, "not-object"))
    {
      respond_text (msg, 200, "application/json", "[1, 2, 3]");
      return;
    }
  if (g_str_equal (scenario, "huge"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                             "application/json", NULL);
      soup_message_body_append_bytes (soup_server_message_get_response_body (msg), get_huge (self));
      return;
    }
  if (g_str_equal (scenario, "huge-chunked"))
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
      SoupMessageBody *body = soup_server_message_get_response_body (msg);
      GBytes *huge = get_huge (self);
      gsize size = g_bytes_get_size (huge);
      gsize chunk = 1024 * 1024;

      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_content_type (headers, "application/json", NULL);
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      for (gsize off = 0; off < size; off += chunk)
        {
          g_autoptr(GBytes) part = g_bytes_new_from_bytes (huge, off, MIN (chunk, size - off));
          soup_message_body_append_bytes (body, part);
        }
      soup_message_body_complete (body);
      return;
    }

  reply = build_reply (self, scenario, self->last_check->scan_id, self->last_check->filename);

  if (g_str_equal (scenario, "truncated"))
    {
      g_autofree char *raw = g_strdup_printf ("HTTP/1.1 200 OK\r\n"
                                              "Content-Type: application/json\r\n"
                                              "Content-Length: %zu\r\n"
                                              "Connection: close\r\n\r\n%.*s",
                                              strlen (reply) + 4096, 60, reply);
      drop_connection (msg, raw);
      return;
    }
  if (g_str_equal (scenario, "gzip"))
    {
      g_autoptr(GBytes) zipped = gzip_bytes (reply);

      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Content-Encoding", "gzip");
      soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                             "application/json", NULL);
      soup_message_body_append_bytes (soup_server_message_get_response_body (msg), zipped);
      return;
    }
  if (g_str_equal (scenario, "slow"))
    {
      SlowReply *slow = g_new0 (SlowReply, 1);

      slow->self = self;
      slow->msg = g_object_ref (msg);
      slow->body = g_steal_pointer (&reply);
      /* In the thread-default context, which the tests iterate, not the global one. */
      slow->source = g_timeout_source_new (self->delay_ms);
      g_source_set_callback (slow->source, slow_reply_cb, slow, NULL);
      g_source_attach (slow->source, g_main_context_get_thread_default ());
      g_ptr_array_add (self->slow_replies, slow);
      soup_server_message_pause (msg);
      return;
    }

  respond_text (msg, 200, "application/json", reply);
}

static GBytes *
make_png (guint n)
{
  static const guint32 colours[] = { 0xd62728ff, 0x2ca02cff, 0x1f77b4ff, 0xff7f0eff, 0x9467bdff };
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 64, 48);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, colours[n % G_N_ELEMENTS (colours)]);
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL))
    g_error ("Could not make a PNG: %s", error->message);
  return g_bytes_new_take (buffer, size);
}

static void
handle_thumbnail (MockServer        *self,
                  SoupServerMessage *msg,
                  const char        *path)
{
  const char *name = path + strlen ("/thumbs/");
  g_autofree char *number = NULL;
  guint64 n = 0;

  self->n_thumbnails++;
  if (g_str_equal (name, "broken.png"))
    {
      respond_text (msg, 200, "image/png", "\x89PNG this is not really a PNG, just garbage bytes");
      return;
    }
  if (g_str_has_prefix (name, "ok-") && g_str_has_suffix (name, ".png"))
    number = g_strndup (name + 3, strlen (name) - 7);
  if (number != NULL && g_ascii_string_to_unsigned (number, 10, 1, 99, &n, NULL))
    {
      g_autoptr(GBytes) png = make_png ((guint) n);

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (png, NULL), g_bytes_get_size (png));
      return;
    }
  respond_text (msg, 404, "text/plain", "Not Found");
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    MockServer        *self)
{
  self->n_requests++;
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  MockServer *self = user_data;

  if (g_str_equal (path, LOGIN_PATH))
    {
      if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
        respond_text (msg, 405, "text/plain", "Method Not Allowed");
      else
        handle_login (self, msg);
    }
  else if (g_str_has_prefix (path, CHECK_PREFIX) && g_str_has_suffix (path, "/check"))
    handle_check (self, msg, path);
  else if (g_str_equal (path, CREDITS_PATH))
    {
      if (!token_is_valid (self, msg))
        respond_error_body (msg, 401);
      else
        {
          g_autofree char *body = g_strdup_printf ("{\"Amount\": %" G_GINT64_FORMAT "}", self->credits);
          respond_text (msg, 200, "application/json", body);
        }
    }
  else if (g_str_has_prefix (path, "/thumbs/"))
    handle_thumbnail (self, msg, path);
  else if (g_str_has_prefix (path, "/pages/"))
    {
      g_autofree char *html = g_strdup_printf ("<!DOCTYPE html><html><head><title>Mock page</title></head>"
                                               "<body><p>A page at %s that shows the photo.</p></body></html>",
                                               path);
      respond_text (msg, 200, "text/html; charset=utf-8", html);
    }
  else
    respond_text (msg, 404, "text/plain", "Not Found");
}

/* ---- object ---- */

static void
mock_server_dispose (GObject *object)
{
  MockServer *self = MOCK_SERVER (object);

  if (self->slow_replies != NULL)
    g_ptr_array_set_size (self->slow_replies, 0);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (mock_server_parent_class)->dispose (object);
}

static void
mock_server_finalize (GObject *object)
{
  MockServer *self = MOCK_SERVER (object);

  g_clear_pointer (&self->slow_replies, g_ptr_array_unref);
  g_clear_pointer (&self->last_check, mock_check_request_free);
  g_clear_pointer (&self->tokens, g_hash_table_unref);
  g_clear_pointer (&self->scan_ids, g_ptr_array_unref);
  g_clear_pointer (&self->huge, g_bytes_unref);
  g_free (self->url);
  g_free (self->scenario);
  g_free (self->login_scenario);

  G_OBJECT_CLASS (mock_server_parent_class)->finalize (object);
}

static void
mock_server_class_init (MockServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mock_server_dispose;
  object_class->finalize = mock_server_finalize;
}

static void
mock_server_init (MockServer *self)
{
  self->scenario = g_strdup ("example");
  self->login_scenario = g_strdup ("ok");
  self->delay_ms = 5000;
  self->token_lifetime = 48 * G_TIME_SPAN_HOUR;
  self->credits = 100;
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->slow_replies = g_ptr_array_new_with_free_func (slow_reply_free);
  self->scan_ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->scan_ids, NULL);
}

MockServer *
mock_server_new (void)
{
  MockServer *self = g_object_new (MOCK_TYPE_SERVER, NULL);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  self->server = soup_server_new ("server-header", "MockCopyleaks/1.0 ", NULL);
  soup_server_add_handler (self->server, NULL, server_cb, self, NULL);
  g_signal_connect (self->server, "request-started", G_CALLBACK (request_started_cb), self);

  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("The mock server cannot listen: %s", error->message);

  uris = soup_server_get_uris (self->server);
  g_assert (uris != NULL);
  self->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return self;
}

const char *
mock_server_get_url (MockServer *self)
{
  g_return_val_if_fail (MOCK_IS_SERVER (self), NULL);
  return self->url;
}

void
mock_server_set_scenario (MockServer *self,
                          const char *scenario)
{
  g_return_if_fail (MOCK_IS_SERVER (self));
  g_free (self->scenario);
  self->scenario = g_strdup (scenario != NULL ? scenario : "example");
  self->scenario_hits = 0;
}

void
mock_server_set_login_scenario (MockServer *self,
                                const char *scenario)
{
  g_return_if_fail (MOCK_IS_SERVER (self));
  g_free (self->login_scenario);
  self->login_scenario = g_strdup (scenario != NULL ? scenario : "ok");
}

void
mock_server_set_delay (MockServer *self,
                       guint       delay_ms)
{
  g_return_if_fail (MOCK_IS_SERVER (self));
  self->delay_ms = delay_ms;
}

void
mock_server_set_token_lifetime (MockServer *self,
                                GTimeSpan   lifetime)
{
  g_return_if_fail (MOCK_IS_SERVER (self));
  self->token_lifetime = lifetime;
}

void
mock_server_set_credits (MockServer *self,
                         gint64      credits)
{
  g_return_if_fail (MOCK_IS_SERVER (self));
  self->credits = credits;
}

GStrv
mock_server_dup_tokens (MockServer *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (MOCK_IS_SERVER (self), NULL);
  g_hash_table_iter_init (&iter, self->tokens);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_strv_builder_add (builder, key);
  return g_strv_builder_end (builder);
}

guint
mock_server_get_n_logins (MockServer *self)
{
  g_return_val_if_fail (MOCK_IS_SERVER (self), 0);
  return self->n_logins;
}

guint
mock_server_get_n_checks (MockServer *self)
{
  g_return_val_if_fail (MOCK_IS_SERVER (self), 0);
  return self->n_checks;
}

guint
mock_server_get_n_thumbnails (MockServer *self)
{
  g_return_val_if_fail (MOCK_IS_SERVER (self), 0);
  return self->n_thumbnails;
}

guint
mock_server_get_n_requests (MockServer *self)
{
  g_return_val_if_fail (MOCK_IS_SERVER (self), 0);
  return self->n_requests;
}

const MockCheckRequest *
mock_server_get_last_check (MockServer *self)
{
  g_return_val_if_fail (MOCK_IS_SERVER (self), NULL);
  return self->last_check;
}

void
mock_server_reset (MockServer *self)
{
  g_return_if_fail (MOCK_IS_SERVER (self));
  self->n_logins = 0;
  self->n_checks = 0;
  self->n_thumbnails = 0;
  self->n_requests = 0;
  self->scenario_hits = 0;
  g_clear_pointer (&self->last_check, mock_check_request_free);
  g_ptr_array_set_size (self->scan_ids, 0);
  g_ptr_array_add (self->scan_ids, NULL);
}

const char * const *
mock_server_get_check_scan_ids (MockServer *self)
{
  g_return_val_if_fail (MOCK_IS_SERVER (self), NULL);
  return (const char * const *) self->scan_ids->pdata;
}
