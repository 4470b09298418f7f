/* imgscan-client-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-client-error"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "imgscan-client-error.h"

/* Long enough for any real message, short enough for one line in a dialog. */
#define MAX_MESSAGE_CHARS 300

/* One line of printable text, cut short: a server's message goes straight into the UI. */
static char *
clean_text (const char *text,
            gssize      length)
{
  g_autofree char *valid = g_utf8_make_valid (text, length);
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;
  guint n_chars = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        {
          space = out->len > 0;
          continue;
        }
      if (n_chars >= MAX_MESSAGE_CHARS)
        {
          g_string_append (out, "…");
          break;
        }
      if (space)
        {
          g_string_append_c (out, ' ');
          n_chars++;
          space = FALSE;
        }
      g_string_append_unichar (out, c);
      n_chars++;
    }
  return g_string_free (out, FALSE);
}

/* Our sentences go on after the server's words: "… denied for this request. Sign in" */
static char *
strip_final_period (char *text)
{
  gsize len = strlen (text);

  if (len > 1 && text[len - 1] == '.' && text[len - 2] != '.')
    text[len - 1] = '\0';
  return text;
}

static const char *
string_member (JsonObject *obj,
               const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
parse_object (GBytes     *body,
              JsonParser *parser)
{
  gsize size = 0;
  const char *data;
  JsonNode *root;

  if (body == NULL)
    return NULL;
  data = g_bytes_get_data (body, &size);
  if (size == 0 || !json_parser_load_from_data (parser, data, size, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_node_get_object (root);
}

static const char *
find_json_message (JsonObject *obj)
{
  JsonNode *error = json_object_get_member (obj, "error");
  const char *text;
  g_autoptr(GList) members = NULL;

  /* 1. {"error": {"message": …}} */
  if (error != NULL && JSON_NODE_HOLDS_OBJECT (error)
      && (text = string_member (json_node_get_object (error), "message")) != NULL)
    return text;
  /* 2. {"message"} or {"Message"} */
  if ((text = string_member (obj, "message")) != NULL || (text = string_member (obj, "Message")) != NULL)
    return text;
  /* 3. problem details */
  if ((text = string_member (obj, "title")) != NULL)
    return text;
  /* 4. {"field": ["message", …]}: the first such list, in the document's order */
  members = json_object_get_members (obj);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (obj, l->data);
      JsonArray *array;
      JsonNode *first;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        continue;
      array = json_node_get_array (node);
      if (json_array_get_length (array) == 0)
        continue;
      first = json_array_get_element (array, 0);
      if (JSON_NODE_HOLDS_VALUE (first) && json_node_get_value_type (first) == G_TYPE_STRING)
        return json_node_get_string (first);
    }
  /* 5. {"error": "text"} */
  return string_member (obj, "error");
}

char *
imgscan_client_reply_message (guint       status,
                              const char *reason_phrase,
                              GBytes     *body)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObject *obj = parse_object (body, parser);
  const char *text = obj != NULL ? find_json_message (obj) : NULL;
  g_autofree char *cleaned = NULL;

  if (text != NULL && (cleaned = clean_text (text, -1)) != NULL && *cleaned != '\0')
    return strip_final_period (g_steal_pointer (&cleaned));
  g_clear_pointer (&cleaned, g_free);

  /* 6. the raw body, unless it is JSON we could not read or an HTML page */
  if (obj == NULL && body != NULL && g_bytes_get_size (body) > 0)
    {
      gsize size;
      const char *data = g_bytes_get_data (body, &size);

      cleaned = clean_text (data, MIN (size, 4 * MAX_MESSAGE_CHARS));
      if (*cleaned != '\0' && *cleaned != '<' && *cleaned != '{' && *cleaned != '[')
        return strip_final_period (g_steal_pointer (&cleaned));
      g_clear_pointer (&cleaned, g_free);
    }

  if (reason_phrase != NULL && *reason_phrase != '\0')
    return clean_text (reason_phrase, -1);
  if (soup_status_get_phrase (status) != NULL)
    return g_strdup (soup_status_get_phrase (status));
  return g_strdup_printf (_("HTTP status %u"), status);
}

gboolean
imgscan_client_reply_is_payment_error (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObject *obj = parse_object (body, parser);
  JsonNode *error;

  if (obj == NULL)
    return FALSE;
  error = json_object_get_member (obj, "error");
  if (error == NULL || !JSON_NODE_HOLDS_OBJECT (error))
    return FALSE;
  return g_strcmp0 (string_member (json_node_get_object (error), "type"), "payment_error") == 0;
}

GError *
imgscan_client_error_for_reply (ImgscanRequestKind  kind,
                                guint               status,
                                const char         *reason_phrase,
                                GBytes             *body)
{
  g_autofree char *msg = imgscan_client_reply_message (status, reason_phrase, body);

  if (kind == IMGSCAN_REQUEST_LOGIN)
    {
      if (status == 429)
        return g_error_new (IMGSCAN_CLIENT_ERROR, IMGSCAN_CLIENT_ERROR_RATE_LIMITED,
                            _("Too many sign-ins: Copyleaks allows 12 logins per 15 minutes. "
                              "Wait a few minutes and try again."));
      if (status == 400 || status == 401 || status == 403)
        return g_error_new (IMGSCAN_CLIENT_ERROR, IMGSCAN_CLIENT_ERROR_AUTHENTICATION,
                            _("Copyleaks refused the sign-in: %s. Check the email address and the "
                              "API key (shown in your Copyleaks API dashboard)."), msg);
    }

  if (status == 402 || (status >= 400 && status < 500 && imgscan_client_reply_is_payment_error (body)))
    return g_error_new (IMGSCAN_CLIENT_ERROR, IMGSCAN_CLIENT_ERROR_NOT_ENOUGH_CREDITS,
                        _("Not enough Copyleaks credits: %s. Add credits to your account, or "
                          "turn on sandbox mode for free test scans."), msg);
  if (status == 401)
    return g_error_new (IMGSCAN_CLIENT_ERROR, IMGSCAN_CLIENT_ERROR_AUTHENTICATION,
                        _("Copyleaks did not accept the sign-in: %s. Sign in again with your "
                          "email address and API key."), msg);
  if (status == 403)
    return g_error_new (IMGSCAN_CLIENT_ERROR, IMGSCAN_CLIENT_ERROR_AUTHENTICATION,
                        _("Copyleaks refused access: %s. Check that your plan includes image "
                          "plagiarism detection, then sign in again."), msg);
  if (status == 429)
    return g_error_new (IMGSCAN_CLIENT_ERROR, IMGSCAN_CLIENT_ERROR_RATE_LIMITED,
                        _("Copyleaks is receiving too many requests from this account (%s). "
                          "Wait a minute and try again."), msg);
  if (status == 503)
    return g_error_new (IMGSCAN_CLIENT_ERROR, IMGSCAN_CLIENT_ERROR_MAINTENANCE,
                        _("Copyleaks is down for maintenance (%s). Try again later; "
                          "status.copyleaks.com announces maintenance."), msg);
  if (status >= 500)
    return g_error_new (IMGSCAN_CLIENT_ERROR, IMGSCAN_CLIENT_ERROR_SERVER,
                        _("Copyleaks had a server error (HTTP %u: %s). Try again later."),
                        status, msg);
  if (kind == IMGSCAN_REQUEST_CHECK)
    return g_error_new (IMGSCAN_CLIENT_ERROR, IMGSCAN_CLIENT_ERROR_INVALID_INPUT,
                        _("Copyleaks refused the photo (HTTP %u: %s). It was not scanned; check "
                          "that it meets Copyleaks' requirements and try again."), status, msg);
  return g_error_new (IMGSCAN_CLIENT_ERROR, IMGSCAN_CLIENT_ERROR_INVALID_INPUT,
                      _("Copyleaks refused the request (HTTP %u: %s). Check the server "
                        "addresses (IMGSCAN_ID_URL, IMGSCAN_API_URL) and try again."), status, msg);
}

gint64
imgscan_client_parse_retry_after (SoupMessageHeaders *headers)
{
  const char *value = soup_message_headers_get_one (headers, "Retry-After");
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  guint64 seconds;

  if (value == NULL)
    return -1;
  value += strspn (value, " \t");
  if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT32, &seconds, NULL))
    return (gint64) seconds * 1000;
  when = soup_date_time_new_from_http_string (value);
  if (when == NULL)
    return -1;
  now = g_date_time_new_now_utc ();
  return MAX (0, g_date_time_difference (when, now) / 1000);
}

GError *
imgscan_client_reply_too_large_error (gsize max_reply)
{
  g_autofree char *limit = g_format_size_full (max_reply, G_FORMAT_SIZE_IEC_UNITS);

  return g_error_new (IMGSCAN_CLIENT_ERROR, IMGSCAN_CLIENT_ERROR_INVALID_RESPONSE,
                      _("The server's reply is larger than %s, which no Copyleaks reply is; it "
                        "was not read. Check IMGSCAN_API_URL and try again."), limit);
}

/* libsoup reports a premature end as a plain end of file: a reply shorter than its
 * Content-Length is a lost connection, not a short reply. */
GError *
imgscan_client_reply_cut_short_error (gsize   received,
                                      goffset expected)
{
  g_autofree char *expected_text = g_strdup_printf ("%" G_GOFFSET_FORMAT, expected);

  return g_error_new (G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                      _("the connection closed after %u of %s bytes of the reply"),
                      (guint) received, expected_text);
}
