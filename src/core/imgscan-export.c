/* imgscan-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-export"

#include "config.h"

#include <string.h>

#include "imgscan-export.h"

/* RFC 4180 ends records with CRLF; every spreadsheet and CSV library reads it. */
#define CSV_EOL "\r\n"

gboolean
imgscan_export_format_from_string (const char          *name,
                                   ImgscanExportFormat *format)
{
  ImgscanExportFormat value;

  if (g_strcmp0 (name, "csv") == 0)
    value = IMGSCAN_EXPORT_FORMAT_CSV;
  else if (g_strcmp0 (name, "json") == 0)
    value = IMGSCAN_EXPORT_FORMAT_JSON;
  else
    return FALSE;

  if (format != NULL)
    *format = value;
  return TRUE;
}

/* RFC 4180: a field holding a comma, a double quote, CR or LF is enclosed in double
 * quotes, and each double quote inside is doubled. Others are written as they are. */
static void
append_csv_field (GString    *out,
                  const char *field)
{
  if (field[strcspn (field, ",\"\r\n")] == '\0')
    {
      g_string_append (out, field);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_csv_row (GString    *out,
                const char *kind,
                const char *image_url,
                const char *domain,
                const char *page_url)
{
  append_csv_field (out, kind);
  g_string_append_c (out, ',');
  append_csv_field (out, image_url);
  g_string_append_c (out, ',');
  append_csv_field (out, domain);
  g_string_append_c (out, ',');
  append_csv_field (out, page_url);
  g_string_append (out, CSV_EOL);
}

static const char *
kind_name (ImgscanMatchKind kind)
{
  switch (kind)
    {
    case IMGSCAN_MATCH_KIND_FULL:
      return "full";
    case IMGSCAN_MATCH_KIND_PARTIAL:
      return "partial";
    case IMGSCAN_MATCH_KIND_OTHER:
    default:
      return "other";
    }
}

static char *
export_csv (ImgscanResult *result,
            gsize         *length)
{
  GListModel *matches = imgscan_result_get_matches (result);
  GString *out = g_string_new ("kind,image_url,domain,page_url" CSV_EOL);

  for (guint i = 0; i < g_list_model_get_n_items (matches); i++)
    {
      g_autoptr(ImgscanMatch) match = g_list_model_get_item (matches, i);
      const char * const *pages = imgscan_match_get_pages (match);
      const char *kind = kind_name (imgscan_match_get_kind (match));
      const char *url = imgscan_match_get_url (match);
      const char *domain = imgscan_match_get_domain (match);

      if (pages[0] == NULL)
        append_csv_row (out, kind, url, domain, "");
      for (guint p = 0; pages[p] != NULL; p++)
        append_csv_row (out, kind, url, domain, pages[p]);
    }

  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

static char *
export_json (ImgscanResult *result,
             gsize         *length)
{
  gsize len = 0;
  g_autofree char *json = imgscan_result_to_json (result, TRUE, &len);
  char *text;

  /* Byte for byte what `imgscan-cli scan --json` prints: the pretty JSON and a final
   * newline. */
  text = g_malloc (len + 2);
  memcpy (text, json, len);
  text[len] = '\n';
  text[len + 1] = '\0';

  if (length != NULL)
    *length = len + 1;
  return text;
}

/**
 * imgscan_export_result:
 * @length: (out) (optional): the length in bytes, without the final NUL
 *
 * Returns: (transfer full): the text, NUL-terminated. CSV records end with CRLF
 * (RFC 4180); JSON ends with one newline.
 */
char *
imgscan_export_result (ImgscanResult       *result,
                       ImgscanExportFormat  format,
                       gsize               *length)
{
  g_return_val_if_fail (IMGSCAN_IS_RESULT (result), NULL);

  switch (format)
    {
    case IMGSCAN_EXPORT_FORMAT_CSV:
      return export_csv (result, length);

    case IMGSCAN_EXPORT_FORMAT_JSON:
      return export_json (result, length);

    default:
      g_return_val_if_reached (NULL);
    }
}
