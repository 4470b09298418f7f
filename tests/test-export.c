/* test-export.c: CSV and JSON exports that read back as what was found
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "imgscan-export.h"

/* A minimal RFC 4180 reader, written independently of the writer: records end with
 * CRLF (a bare LF is accepted too), fields in double quotes may hold commas, CR, LF
 * and doubled quotes. Returns a GPtrArray of GStrv. */
static GPtrArray *
read_csv (const char *text,
          gsize       len)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  GPtrArray *row = g_ptr_array_new ();
  GString *field = g_string_new (NULL);
  gsize i = 0;

  while (i < len)
    {
      if (text[i] == '"')
        {
          i++;
          for (;;)
            {
              g_assert_cmpuint (i, <, len);   /* an unterminated quoted field */
              if (text[i] == '"' && i + 1 < len && text[i + 1] == '"')
                {
                  g_string_append_c (field, '"');
                  i += 2;
                }
              else if (text[i] == '"')
                {
                  i++;
                  break;
                }
              else
                g_string_append_c (field, text[i++]);
            }
          /* After a closing quote only a separator or a record end may follow. */
          g_assert_true (i == len || text[i] == ',' || text[i] == '\r' || text[i] == '\n');
        }
      else
        {
          while (i < len && text[i] != ',' && text[i] != '\r' && text[i] != '\n')
            {
              g_assert_cmpint (text[i], !=, '"');   /* quotes only in quoted fields */
              g_string_append_c (field, text[i++]);
            }
        }

      g_ptr_array_add (row, g_strdup (field->str));
      g_string_truncate (field, 0);

      if (i < len && text[i] == ',')
        {
          i++;
          continue;
        }
      if (i < len && text[i] == '\r')
        i++;
      g_assert_true (i == len || text[i] == '\n');
      i++;
      g_ptr_array_add (row, NULL);
      g_ptr_array_add (rows, g_ptr_array_free (row, FALSE));
      row = g_ptr_array_new ();
    }

  g_assert_cmpuint (row->len, ==, 0);   /* the last record is terminated */
  g_ptr_array_free (row, TRUE);
  g_string_free (field, TRUE);
  return rows;
}

static ImgscanResult *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  ImgscanResult *result = imgscan_result_new_from_data (json, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

#define REPLY_HEAD \
  "{\"developerPayload\": null, \"scannedImage\": {\"scanId\": \"s1\", \"expectedCredits\": 1," \
  " \"actualCredits\": 1, \"creationTime\": \"2026-05-24T10:00:00Z\", \"width\": 10," \
  " \"height\": 10, \"filename\": \"p.jpg\"}, \"matches\": {\"internet\": ["

/* Commas, quotes, CR and LF in image and page URLs, a match on no page, an unknown
 * matchType. */
static const char tricky_reply[] =
  REPLY_HEAD
  "{\"url\": \"https://a.example/1.jpg\", \"matchType\": 0,"
  "  \"webPages\": [{\"url\": \"https://p.example/a,b\"}, {\"url\": \"https://p.example/say \\\"hi\\\"\"}]},"
  "{\"url\": \"https://b.example/x,y\\\"z\\nw.jpg\", \"matchType\": 1},"
  "{\"url\": \"https://c.example/3.jpg\", \"matchType\": 1,"
  "  \"webPages\": [{\"url\": \"https://p.example/line\\r\\nbreak\"}]},"
  "{\"url\": \"https://d.example/4.jpg\", \"matchType\": 7, \"webPages\": []}"
  "], \"score\": {\"totalMatches\": 4, \"fullMatches\": 1, \"partialMatches\": 2}}}";

static void
test_csv_roundtrip (void)
{
  g_autoptr(ImgscanResult) result = parse (tricky_reply);
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *csv = NULL;
  GListModel *matches = imgscan_result_get_matches (result);
  gsize len = 0;
  guint row = 1;

  csv = imgscan_export_result (result, IMGSCAN_EXPORT_FORMAT_CSV, &len);
  g_assert_cmpuint (len, ==, strlen (csv));
  rows = read_csv (csv, len);

  g_assert_cmpstrv (g_ptr_array_index (rows, 0),
                    ((const char * const[]) { "kind", "image_url", "domain", "page_url", NULL }));

  /* Every match and page comes back exactly, in the model's order. */
  for (guint i = 0; i < g_list_model_get_n_items (matches); i++)
    {
      g_autoptr(ImgscanMatch) match = g_list_model_get_item (matches, i);
      const char * const *pages = imgscan_match_get_pages (match);
      const char *kinds[] = { "full", "partial", "other" };
      guint n_rows = MAX (1, imgscan_match_get_n_pages (match));

      for (guint p = 0; p < n_rows; p++, row++)
        {
          char **fields;

          g_assert_cmpuint (row, <, rows->len);
          fields = g_ptr_array_index (rows, row);
          g_assert_cmpuint (g_strv_length (fields), ==, 4);
          g_assert_cmpstr (fields[0], ==, kinds[imgscan_match_get_kind (match)]);
          g_assert_cmpstr (fields[1], ==, imgscan_match_get_url (match));
          g_assert_cmpstr (fields[2], ==, imgscan_match_get_domain (match));
          g_assert_cmpstr (fields[3], ==, pages[0] != NULL ? pages[p] : "");
        }
    }
  g_assert_cmpuint (row, ==, rows->len);
  /* 2 pages + no page + 1 page + no page. */
  g_assert_cmpuint (rows->len, ==, 1 + 5);

  /* The tricky values themselves, not just whatever the model holds. */
  g_assert_cmpstr (((char **)g_ptr_array_index (rows, 2))[3], ==, "https://p.example/say \"hi\"");
  g_assert_cmpstr (((char **)g_ptr_array_index (rows, 3))[0], ==, "partial");
  g_assert_cmpstr (((char **)g_ptr_array_index (rows, 3))[1], ==, "https://b.example/x,y\"z\nw.jpg");
  g_assert_cmpstr (((char **)g_ptr_array_index (rows, 4))[3], ==, "https://p.example/line\r\nbreak");
  g_assert_cmpstr (((char **)g_ptr_array_index (rows, 5))[0], ==, "other");
  g_assert_cmpstr (((char **)g_ptr_array_index (rows, 5))[3], ==, "");
}

static void
test_csv_bytes (void)
{
  g_autoptr(ImgscanResult) result = parse (REPLY_HEAD
    "{\"url\": \"https://a.example/1.jpg\", \"matchType\": 0,"
    "  \"webPages\": [{\"url\": \"https://p.example/a,b\"}]}"
    "], \"score\": {\"totalMatches\": 1, \"fullMatches\": 1, \"partialMatches\": 0}}}");
  g_autoptr(ImgscanResult) empty = parse (REPLY_HEAD
    "], \"score\": {\"totalMatches\": 0, \"fullMatches\": 0, \"partialMatches\": 0}}}");
  g_autofree char *csv = imgscan_export_result (result, IMGSCAN_EXPORT_FORMAT_CSV, NULL);
  g_autofree char *none = imgscan_export_result (empty, IMGSCAN_EXPORT_FORMAT_CSV, NULL);

  /* Quotes only where needed; CRLF record ends. */
  g_assert_cmpstr (csv, ==,
                   "kind,image_url,domain,page_url\r\n"
                   "full,https://a.example/1.jpg,a.example,\"https://p.example/a,b\"\r\n");
  g_assert_cmpstr (none, ==, "kind,image_url,domain,page_url\r\n");
}

static void
test_json (void)
{
  g_autoptr(ImgscanResult) result = parse (tricky_reply);
  g_autoptr(ImgscanResult) again = NULL;
  g_autofree char *pretty = imgscan_result_to_json (result, TRUE, NULL);
  g_autofree char *expected = g_strconcat (pretty, "\n", NULL);
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;
  gsize len = 0;

  json = imgscan_export_result (result, IMGSCAN_EXPORT_FORMAT_JSON, &len);
  g_assert_cmpstr (json, ==, expected);
  g_assert_cmpuint (len, ==, strlen (expected));

  /* What is exported parses back to the same result. */
  again = parse (json);
  json_again = imgscan_export_result (again, IMGSCAN_EXPORT_FORMAT_JSON, NULL);
  g_assert_cmpstr (json_again, ==, json);
}

static void
test_format_from_string (void)
{
  ImgscanExportFormat format = IMGSCAN_EXPORT_FORMAT_JSON;
  const char *bad[] = { "CSV", "Json", "xml", "", " csv", "csv ", NULL };

  g_assert_true (imgscan_export_format_from_string ("csv", &format));
  g_assert_cmpint (format, ==, IMGSCAN_EXPORT_FORMAT_CSV);
  g_assert_true (imgscan_export_format_from_string ("json", &format));
  g_assert_cmpint (format, ==, IMGSCAN_EXPORT_FORMAT_JSON);

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_assert_false (imgscan_export_format_from_string (bad[i], &format));
      g_assert_cmpint (format, ==, IMGSCAN_EXPORT_FORMAT_JSON);   /* untouched */
    }
  g_assert_false (imgscan_export_format_from_string (NULL, &format));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/export/csv-roundtrip", test_csv_roundtrip);
  g_test_add_func ("/export/csv-bytes", test_csv_bytes);
  g_test_add_func ("/export/json", test_json);
  g_test_add_func ("/export/format-from-string", test_format_from_string);

  return g_test_run ();
}
