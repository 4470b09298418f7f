/* test-result.c: parsing, grouping, validation and serialisation of Copyleaks replies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "imgscan-core.h"
#include "imgscan-core-enums.h"

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

static GBytes *
load_fixture (const char *name)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static ImgscanResult *
parse_fixture (const char *name)
{
  g_autoptr(GBytes) bytes = load_fixture (name);
  g_autoptr(GError) error = NULL;
  ImgscanResult *result;

  result = imgscan_result_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static ImgscanMatch *
match_at (GListModel *model,
          guint       position)
{
  ImgscanMatch *match = g_list_model_get_item (model, position);

  g_assert_nonnull (match);
  /* The model keeps its own reference: borrowing is safe for the test's duration. */
  g_object_unref (match);
  return match;
}

static void
assert_urls (GListModel         *model,
             const char * const *expected)
{
  guint n = g_list_model_get_n_items (model);

  g_assert_cmpuint (n, ==, g_strv_length ((char **) expected));
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (imgscan_match_get_url (match_at (model, i)), ==, expected[i]);
}

static void
test_documented_example (void)
{
  g_autoptr(ImgscanResult) result = parse_fixture ("documented-example.json");
  g_autoptr(GDateTime) expected_time = g_date_time_new_utc (2026, 5, 24, 10, 0, 0);
  GListModel *full = imgscan_result_get_full_matches (result);
  GListModel *partial = imgscan_result_get_partial_matches (result);
  ImgscanMatch *match;
  const char * const *pages;

  g_assert_cmpstr (imgscan_result_get_developer_payload (result), ==, "order-4711");
  g_assert_cmpstr (imgscan_result_get_scan_id (result), ==, "6f1c2b8e-3d4a-4f5b-9c6d-7e8f9a0b1c2d");
  g_assert_cmpint (imgscan_result_get_expected_credits (result), ==, 1);
  g_assert_cmpint (imgscan_result_get_actual_credits (result), ==, 1);
  g_assert_nonnull (imgscan_result_get_creation_time (result));
  g_assert_true (g_date_time_equal (imgscan_result_get_creation_time (result), expected_time));
  g_assert_cmpuint (imgscan_result_get_width (result), ==, 4000);
  g_assert_cmpuint (imgscan_result_get_height (result), ==, 3000);
  g_assert_cmpstr (imgscan_result_get_filename (result), ==, "sunset.jpg");
  g_assert_cmpuint (imgscan_result_get_score_total (result), ==, 4);
  g_assert_cmpuint (imgscan_result_get_score_full (result), ==, 2);
  g_assert_cmpuint (imgscan_result_get_score_partial (result), ==, 2);
  g_assert_false (imgscan_result_get_score_mismatch (result));
  g_assert_cmpuint (imgscan_result_get_n_duplicates (result), ==, 0);

  g_assert_true (g_list_model_get_item_type (imgscan_result_get_matches (result)) == IMGSCAN_TYPE_MATCH);
  g_assert_cmpuint (g_list_model_get_n_items (imgscan_result_get_matches (result)), ==, 4);
  g_assert_cmpuint (g_list_model_get_n_items (imgscan_result_get_other_matches (result)), ==, 0);
  assert_urls (full, (const char * const[]) {
                 "https://images.example.com/gallery/sunset-full.jpg",
                 "https://cdn.example.net/uploads/sunset.jpg", NULL });
  assert_urls (partial, (const char * const[]) {
                 "https://pics.example.io/thumbs/sunset-crop.png",
                 "https://static.example.com/img/sunset-small.webp", NULL });

  match = match_at (full, 0);
  g_assert_cmpint (imgscan_match_get_kind (match), ==, IMGSCAN_MATCH_KIND_FULL);
  g_assert_cmpint (imgscan_match_get_match_type (match), ==, 0);
  g_assert_cmpstr (imgscan_match_get_domain (match), ==, "images.example.com");
  g_assert_cmpuint (imgscan_match_get_n_pages (match), ==, 2);
  pages = imgscan_match_get_pages (match);
  g_assert_cmpstr (pages[0], ==, "https://blog.example.com/2026/05/beach-sunsets");
  g_assert_cmpstr (pages[1], ==, "https://forum.example.org/t/best-sunsets/1234");
  g_assert_null (pages[2]);
  g_assert_false (imgscan_match_get_is_new (match));

  match = match_at (partial, 1);
  g_assert_cmpint (imgscan_match_get_kind (match), ==, IMGSCAN_MATCH_KIND_PARTIAL);
  g_assert_cmpuint (imgscan_match_get_n_pages (match), ==, 0);
  g_assert_nonnull (imgscan_match_get_pages (match));
  g_assert_null (imgscan_match_get_pages (match)[0]);
}

static void
test_empty (void)
{
  g_autoptr(ImgscanResult) result = parse_fixture ("empty.json");

  g_assert_null (imgscan_result_get_developer_payload (result));
  g_assert_cmpstr (imgscan_result_get_filename (result), ==, "empty-sky.png");
  g_assert_cmpuint (g_list_model_get_n_items (imgscan_result_get_matches (result)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (imgscan_result_get_full_matches (result)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (imgscan_result_get_partial_matches (result)), ==, 0);
  g_assert_cmpuint (imgscan_result_get_score_total (result), ==, 0);
  g_assert_false (imgscan_result_get_score_mismatch (result));
}

static void
test_out_of_order (void)
{
  g_autoptr(ImgscanResult) result = parse_fixture ("out-of-order.json");

  /* Grouped by matchType, never by position; order within a group is kept. */
  assert_urls (imgscan_result_get_full_matches (result), (const char * const[]) {
                 "https://b.example.com/f1.jpg", "https://d.example.com/f2.jpg", NULL });
  assert_urls (imgscan_result_get_partial_matches (result), (const char * const[]) {
                 "https://a.example.com/p1.jpg", "https://c.example.com/p2.jpg",
                 "https://e.example.com/p3.jpg", NULL });
  assert_urls (imgscan_result_get_matches (result), (const char * const[]) {
                 "https://b.example.com/f1.jpg", "https://d.example.com/f2.jpg",
                 "https://a.example.com/p1.jpg", "https://c.example.com/p2.jpg",
                 "https://e.example.com/p3.jpg", NULL });
  g_assert_false (imgscan_result_get_score_mismatch (result));
  g_assert_cmpuint (imgscan_match_get_n_pages (match_at (imgscan_result_get_full_matches (result), 1)), ==, 2);
}

static void
test_duplicates (void)
{
  g_autoptr(ImgscanResult) result = parse_fixture ("duplicates.json");
  ImgscanMatch *first;

  g_assert_cmpuint (imgscan_result_get_n_duplicates (result), ==, 3);
  assert_urls (imgscan_result_get_matches (result), (const char * const[]) {
                 "https://a.example.com/same.jpg", "https://b.example.com/other.jpg", NULL });

  /* The first entry wins, with its own pages and kind. */
  first = match_at (imgscan_result_get_full_matches (result), 0);
  g_assert_cmpuint (imgscan_match_get_n_pages (first), ==, 1);
  g_assert_cmpstr (imgscan_match_get_pages (first)[0], ==, "https://a.example.com/first");
  g_assert_cmpuint (imgscan_match_get_n_pages (match_at (imgscan_result_get_partial_matches (result), 0)), ==, 0);
  g_assert_false (imgscan_result_get_score_mismatch (result));
}

static void
test_unknown_type (void)
{
  g_autoptr(ImgscanResult) result = parse_fixture ("unknown-type.json");
  GListModel *other = imgscan_result_get_other_matches (result);
  ImgscanMatch *match;

  assert_urls (other, (const char * const[]) {
                 "https://b.example.com/new-kind.jpg", "https://d.example.com/negative.jpg", NULL });
  match = match_at (other, 0);
  g_assert_cmpint (imgscan_match_get_kind (match), ==, IMGSCAN_MATCH_KIND_OTHER);
  g_assert_cmpint (imgscan_match_get_match_type (match), ==, 2);
  g_assert_cmpint (imgscan_match_get_match_type (match_at (other, 1)), ==, -1);

  /* Full, then partial, then the unknown kinds. */
  assert_urls (imgscan_result_get_matches (result), (const char * const[]) {
                 "https://a.example.com/full.jpg", "https://c.example.com/partial.jpg",
                 "https://b.example.com/new-kind.jpg", "https://d.example.com/negative.jpg", NULL });
  g_assert_cmpuint (g_list_model_get_n_items (imgscan_result_get_full_matches (result)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (imgscan_result_get_partial_matches (result)), ==, 1);
  g_assert_false (imgscan_result_get_score_mismatch (result));
}

static void
test_extra_fields (void)
{
  g_autoptr(ImgscanResult) result = parse_fixture ("extra-fields.json");
  g_autoptr(ImgscanResult) plain = parse_fixture ("documented-example.json");
  g_autofree char *json = imgscan_result_to_json (result, FALSE, NULL);
  g_autofree char *plain_json = imgscan_result_to_json (plain, FALSE, NULL);

  /* Unknown members are ignored: the result equals the documented one. */
  g_assert_cmpstr (json, ==, plain_json);
  g_assert_null (strstr (json, "aggregatedScore"));
}

static void
test_payload (void)
{
  g_autoptr(ImgscanResult) null_payload = parse_fixture ("null-payload.json");
  g_autoptr(ImgscanResult) missing_payload = parse_fixture ("missing-payload.json");
  g_autofree char *json = NULL;

  g_assert_null (imgscan_result_get_developer_payload (null_payload));
  g_assert_null (imgscan_result_get_developer_payload (missing_payload));
  g_assert_cmpuint (g_list_model_get_n_items (imgscan_result_get_matches (missing_payload)), ==, 4);

  /* A missing payload is written back as null, as the API documents it. */
  json = imgscan_result_to_json (missing_payload, FALSE, NULL);
  g_assert_true (g_str_has_prefix (json, "{\"developerPayload\":null,"));
}

static void
test_score_mismatch (void)
{
  g_autoptr(ImgscanResult) result = parse_fixture ("score-mismatch.json");
  g_autofree char *json = imgscan_result_to_json (result, FALSE, NULL);

  g_assert_true (imgscan_result_get_score_mismatch (result));
  g_assert_cmpuint (imgscan_result_get_score_total (result), ==, 7);
  g_assert_cmpuint (imgscan_result_get_score_full (result), ==, 3);
  g_assert_cmpuint (imgscan_result_get_score_partial (result), ==, 4);
  /* The list is what it holds, and the score block is kept as received. */
  g_assert_cmpuint (g_list_model_get_n_items (imgscan_result_get_matches (result)), ==, 4);
  g_assert_nonnull (strstr (json, "\"score\":{\"totalMatches\":7,\"fullMatches\":3,\"partialMatches\":4}"));
}

static void
test_missing_webpages (void)
{
  g_autoptr(ImgscanResult) result = parse_fixture ("missing-webpages.json");
  GListModel *all = imgscan_result_get_matches (result);
  g_autofree char *json = imgscan_result_to_json (result, FALSE, NULL);

  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 4);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpuint (imgscan_match_get_n_pages (match_at (all, i)), ==, 0);
      g_assert_null (imgscan_match_get_pages (match_at (all, i))[0]);
    }
  g_assert_cmpuint (imgscan_match_get_n_pages (match_at (all, 3)), ==, 1);

  /* Omitted, not empty, when the image is on no page. */
  g_assert_null (strstr (json, "\"webPages\":[]"));
  g_assert_nonnull (strstr (json, "{\"url\":\"https://a.example.com/none.jpg\",\"matchType\":0}"));
}

static void
test_creation_time (void)
{
  g_autoptr(ImgscanResult) bad = parse_fixture ("bad-creation-time.json");
  g_autoptr(ImgscanResult) fractional = parse_fixture ("fractional-creation-time.json");
  g_autofree char *json = imgscan_result_to_json (bad, FALSE, NULL);
  GDateTime *time;
  g_autoptr(GDateTime) utc = NULL;

  /* Unreadable: no time, but the result and the original text are kept. */
  g_assert_null (imgscan_result_get_creation_time (bad));
  g_assert_nonnull (strstr (json, "\"creationTime\":\"not a date\""));

  time = imgscan_result_get_creation_time (fractional);
  g_assert_nonnull (time);
  utc = g_date_time_to_utc (time);
  g_assert_cmpint (g_date_time_get_hour (utc), ==, 8);
  g_assert_cmpint (g_date_time_get_minute (utc), ==, 0);
  g_assert_cmpint (g_date_time_get_microsecond (utc), ==, 123456);
}

static void
test_non_web_urls (void)
{
  g_autoptr(ImgscanResult) result = parse_fixture ("non-web-urls.json");
  ImgscanMatch *match = match_at (imgscan_result_get_full_matches (result), 0);

  /* Kept: the window decides what it can open. */
  g_assert_cmpstr (imgscan_match_get_url (match), ==, "javascript:alert(1)");
  g_assert_false (imgscan_uri_is_web (imgscan_match_get_url (match)));
  g_assert_false (imgscan_uri_is_web (imgscan_match_get_pages (match)[0]));
  g_assert_cmpstr (imgscan_match_get_domain (match), ==, "");
}

static void
test_lone_surrogates (void)
{
  g_autoptr(ImgscanResult) result = parse_fixture ("lone-surrogates.json");
  GListModel *all = imgscan_result_get_matches (result);
  const char *payload = imgscan_result_get_developer_payload (result);
  const char *url;

  /* json-glib turns an unpaired surrogate escape into bytes that are not UTF-8 (and
   * drops the character after it). They are repaired to U+FFFD, and two URLs that
   * differ only there become duplicates. */
  g_assert_true (g_utf8_validate (payload, -1, NULL));
  g_assert_true (g_str_has_prefix (payload, "order\xef\xbf\xbd"));
  g_assert_null (imgscan_result_get_creation_time (result));
  g_assert_cmpuint (imgscan_result_get_n_duplicates (result), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 3);
  url = imgscan_match_get_url (match_at (all, 1));
  g_assert_true (g_utf8_validate (url, -1, NULL));
  g_assert_true (g_str_has_prefix (url, "https://cdn.example.net/uploads/sunset\xef\xbf\xbd"));
  g_assert_true (imgscan_result_get_score_mismatch (result));
}

typedef struct
{
  const char *fixture;
  const char *in_message;
} InvalidCase;

static const InvalidCase invalid_cases[] = {
  { "not-json.txt", "not JSON" },
  { "empty-file.txt", NULL },
  { "truncated.json", "not JSON" },
  /* json-glib refuses a high surrogate that ends a string. */
  { "surrogate-at-end.json", "not JSON" },
  { "root-array.json", "not a JSON object" },
  { "root-string.json", "not a JSON object" },
  { "deep-nesting.json", "levels deep" },
  { "missing-matches.json", "matches is missing" },
  { "missing-internet.json", "matches.internet is missing" },
  { "missing-score.json", "matches.score is missing" },
  { "missing-scanned-image.json", "scannedImage is missing" },
  { "missing-url.json", "matches.internet[1].url is missing" },
  { "missing-match-type.json", "matches.internet[1].matchType is missing" },
  { "missing-filename.json", "scannedImage.filename is missing" },
  { "wrong-types-url.json", "matches.internet[3].url is not a string" },
  { "wrong-types-match-type-string.json", "matches.internet[1].matchType is not an integer" },
  { "wrong-types-match-type-float.json", "matches.internet[1].matchType is not an integer" },
  { "wrong-types-match-type-null.json", "matches.internet[2].matchType is not an integer" },
  { "wrong-types-web-pages.json", "matches.internet[0].webPages is not an array" },
  { "wrong-types-page.json", "matches.internet[0].webPages[1] is not an object" },
  { "wrong-types-page-url.json", "matches.internet[0].webPages[1].url is not a string" },
  { "wrong-types-entry.json", "matches.internet[2] is not an object" },
  { "wrong-types-internet.json", "matches.internet is not an array" },
  { "wrong-types-score.json", "matches.score.fullMatches is not an integer" },
  { "wrong-types-score-negative.json", "matches.score.totalMatches is out of range" },
  { "wrong-types-payload.json", "developerPayload is not a string or null" },
  { "wrong-types-width.json", "scannedImage.width is not an integer" },
  { "wrong-types-height-negative.json", "scannedImage.height is out of range" },
  { "wrong-types-scan-id.json", "scannedImage.scanId is not a string" },
  { "wrong-types-credits.json", "scannedImage.actualCredits is not an integer" },
  { "wrong-types-creation-time.json", "scannedImage.creationTime is not a string" },
  { "wrong-types-scanned-image.json", "scannedImage is not an object" },
  { "wrong-types-matches.json", "matches is not an object" },
};

static void
test_invalid (gconstpointer data)
{
  const InvalidCase *c = data;
  g_autoptr(GBytes) bytes = load_fixture (c->fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(ImgscanResult) result = NULL;

  result = imgscan_result_new_from_bytes (bytes, &error);
  g_assert_null (result);
  g_assert_error (error, IMGSCAN_RESULT_ERROR, IMGSCAN_RESULT_ERROR_INVALID);
  if (c->in_message != NULL && strstr (error->message, c->in_message) == NULL)
    g_error ("%s: “%s” does not say “%s”", c->fixture, error->message, c->in_message);
}

static const char * const valid_fixtures[] = {
  "documented-example.json", "empty.json", "out-of-order.json", "duplicates.json",
  "unknown-type.json", "extra-fields.json", "null-payload.json", "missing-payload.json",
  "score-mismatch.json", "missing-webpages.json", "bad-creation-time.json",
  "fractional-creation-time.json", "non-web-urls.json", "lone-surrogates.json",
};

static void
test_round_trip (gconstpointer data)
{
  const char *fixture = data;
  g_autoptr(ImgscanResult) result = parse_fixture (fixture);

  for (int pretty = 0; pretty <= 1; pretty++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ImgscanResult) again = NULL;
      g_autofree char *first = NULL;
      g_autofree char *second = NULL;
      gsize first_length = 0;
      gsize second_length = 0;

      first = imgscan_result_to_json (result, pretty, &first_length);
      g_assert_cmpuint (first_length, ==, strlen (first));
      again = imgscan_result_new_from_data (first, first_length, &error);
      g_assert_no_error (error);
      second = imgscan_result_to_json (again, pretty, &second_length);
      g_assert_cmpstr (first, ==, second);
      g_assert_cmpuint (first_length, ==, second_length);

      /* Nothing is lost on the way. */
      g_assert_cmpstr (imgscan_result_get_scan_id (again), ==, imgscan_result_get_scan_id (result));
      g_assert_cmpstr (imgscan_result_get_developer_payload (again), ==,
                       imgscan_result_get_developer_payload (result));
      g_assert_cmpuint (imgscan_result_get_score_total (again), ==, imgscan_result_get_score_total (result));
      g_assert_cmpuint (imgscan_result_get_score_full (again), ==, imgscan_result_get_score_full (result));
      g_assert_cmpuint (imgscan_result_get_score_partial (again), ==, imgscan_result_get_score_partial (result));
      g_assert_cmpuint (g_list_model_get_n_items (imgscan_result_get_matches (again)), ==,
                        g_list_model_get_n_items (imgscan_result_get_matches (result)));
      g_assert_cmpuint (g_list_model_get_n_items (imgscan_result_get_other_matches (again)), ==,
                        g_list_model_get_n_items (imgscan_result_get_other_matches (result)));
      g_assert_cmpuint (imgscan_result_get_n_duplicates (again), ==, 0);
      g_assert_true ((imgscan_result_get_creation_time (again) == NULL)
                     == (imgscan_result_get_creation_time (result) == NULL));
    }
}

static void
test_json_node (void)
{
  g_autoptr(ImgscanResult) result = parse_fixture ("documented-example.json");
  g_autoptr(JsonNode) node = imgscan_result_to_json_node (result);
  JsonObject *matches;
  JsonArray *internet;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  matches = json_object_get_object_member (json_node_get_object (node), "matches");
  internet = json_object_get_array_member (matches, "internet");
  g_assert_cmpuint (json_array_get_length (internet), ==, 4);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (internet, 3), "matchType"), ==, 1);
}

static void
test_nul_terminated (void)
{
  g_autoptr(GBytes) bytes = load_fixture ("empty.json");
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(GError) error = NULL;
  g_autoptr(ImgscanResult) result = imgscan_result_new_from_data (text, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (imgscan_result_get_filename (result), ==, "empty-sky.png");
}

/* Builds a reply with JsonBuilder: n entries, every seventh one repeating an earlier URL,
 * kinds cycling through full, partial and an unknown 5. */
static char *
build_big_reply (guint  n,
                 guint *n_full,
                 guint *n_partial,
                 guint *n_other,
                 guint *n_duplicates)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  *n_full = *n_partial = *n_other = *n_duplicates = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "developerPayload");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "scannedImage");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "scanId");
  json_builder_add_string_value (builder, "big");
  json_builder_set_member_name (builder, "expectedCredits");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "actualCredits");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "width");
  json_builder_add_int_value (builder, 800);
  json_builder_set_member_name (builder, "height");
  json_builder_add_int_value (builder, 600);
  json_builder_set_member_name (builder, "filename");
  json_builder_add_string_value (builder, "big.jpg");
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "matches");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "internet");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      gboolean duplicate = i > 0 && i % 7 == 0;
      guint id = duplicate ? i - 1 : i;
      g_autofree char *url = g_strdup_printf ("https://host%u.example.com/image/%u.jpg", id % 97, id);
      int type = id % 10 == 9 ? 5 : (int) (id % 2);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "url");
      json_builder_add_string_value (builder, url);
      json_builder_set_member_name (builder, "matchType");
      json_builder_add_int_value (builder, type);
      json_builder_set_member_name (builder, "webPages");
      json_builder_begin_array (builder);
      for (guint j = 0; j < 2; j++)
        {
          g_autofree char *page = g_strdup_printf ("https://site%u.example.org/post/%u", id % 31, j);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "url");
          json_builder_add_string_value (builder, page);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);

      if (duplicate)
        (*n_duplicates)++;
      else if (type == 0)
        (*n_full)++;
      else if (type == 1)
        (*n_partial)++;
      else
        (*n_other)++;
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "score");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "totalMatches");
  json_builder_add_int_value (builder, *n_full + *n_partial + *n_other);
  json_builder_set_member_name (builder, "fullMatches");
  json_builder_add_int_value (builder, *n_full);
  json_builder_set_member_name (builder, "partialMatches");
  json_builder_add_int_value (builder, *n_partial);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static void
test_ten_thousand (void)
{
  guint n_full, n_partial, n_other, n_duplicates;
  g_autofree char *reply = build_big_reply (10000, &n_full, &n_partial, &n_other, &n_duplicates);
  g_autoptr(GError) error = NULL;
  g_autoptr(ImgscanResult) result = imgscan_result_new_from_data (reply, -1, &error);
  GListModel *all;

  g_assert_no_error (error);
  all = imgscan_result_get_matches (result);
  g_assert_cmpuint (n_duplicates, ==, 1428);
  g_assert_cmpuint (imgscan_result_get_n_duplicates (result), ==, n_duplicates);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 10000 - n_duplicates);
  g_assert_cmpuint (g_list_model_get_n_items (imgscan_result_get_full_matches (result)), ==, n_full);
  g_assert_cmpuint (g_list_model_get_n_items (imgscan_result_get_partial_matches (result)), ==, n_partial);
  g_assert_cmpuint (g_list_model_get_n_items (imgscan_result_get_other_matches (result)), ==, n_other);
  g_assert_false (imgscan_result_get_score_mismatch (result));
  g_assert_cmpint (imgscan_match_get_kind (match_at (all, 0)), ==, IMGSCAN_MATCH_KIND_FULL);
  g_assert_cmpint (imgscan_match_get_kind (match_at (all, n_full)), ==, IMGSCAN_MATCH_KIND_PARTIAL);
  g_assert_cmpint (imgscan_match_get_kind (match_at (all, n_full + n_partial)), ==, IMGSCAN_MATCH_KIND_OTHER);
  g_assert_cmpuint (imgscan_match_get_n_pages (match_at (all, 9)), ==, 2);
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

static void
test_match_properties (void)
{
  const char * const pages[] = { "https://blog.example.com/a", "https://blog.example.com/b", NULL };
  g_autoptr(ImgscanMatch) match = imgscan_match_new ("https://Img.Example.com:8080/x.jpg?q=1", 1, pages);
  g_autofree char *url = NULL;
  g_autofree char *domain = NULL;
  g_auto(GStrv) got_pages = NULL;
  ImgscanMatchKind kind;
  gint64 match_type;
  guint n_pages;
  gboolean is_new;
  guint notified = 0;

  g_object_get (match,
                "url", &url,
                "domain", &domain,
                "kind", &kind,
                "match-type", &match_type,
                "pages", &got_pages,
                "n-pages", &n_pages,
                "is-new", &is_new,
                NULL);
  g_assert_cmpstr (url, ==, "https://Img.Example.com:8080/x.jpg?q=1");
  g_assert_cmpstr (domain, ==, "img.example.com");
  g_assert_cmpint (kind, ==, IMGSCAN_MATCH_KIND_PARTIAL);
  g_assert_cmpint (match_type, ==, 1);
  g_assert_cmpuint (n_pages, ==, 2);
  g_assert_cmpstrv (got_pages, pages);
  g_assert_false (is_new);
  g_assert_true (G_TYPE_IS_ENUM (IMGSCAN_TYPE_MATCH_KIND));

  g_signal_connect (match, "notify::is-new", G_CALLBACK (on_notify), &notified);
  imgscan_match_set_is_new (match, TRUE);
  imgscan_match_set_is_new (match, TRUE);
  g_assert_true (imgscan_match_get_is_new (match));
  g_assert_cmpuint (notified, ==, 1);
  g_object_set (match, "is-new", FALSE, NULL);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_false (imgscan_match_get_is_new (match));

  g_assert_finalize_object (g_steal_pointer (&match));
}

static void
test_match_no_pages (void)
{
  g_autoptr(ImgscanMatch) match = imgscan_match_new ("relative/path.jpg", 42, NULL);

  g_assert_cmpstr (imgscan_match_get_domain (match), ==, "");
  g_assert_cmpint (imgscan_match_get_kind (match), ==, IMGSCAN_MATCH_KIND_OTHER);
  g_assert_cmpint (imgscan_match_get_match_type (match), ==, 42);
  g_assert_cmpuint (imgscan_match_get_n_pages (match), ==, 0);
  g_assert_null (imgscan_match_get_pages (match)[0]);
}

static void
test_match_constructors (void)
{
  const char * const pages[] = { "https://a.example.com/1", "https://b.example.com/2" };
  char **taken_pages = g_strdupv ((char **) (const char * const[]) { "https://c.example.com/3", NULL });
  g_autoptr(ImgscanMatch) counted = imgscan_match_new_n ("https://x.example.com/i.png", 0, pages, 1);
  g_autoptr(ImgscanMatch) taken = imgscan_match_new_take (g_strdup ("https://y.example.com/j.png"), 1,
                                                          taken_pages, 1);
  g_autoptr(ImgscanMatch) none = imgscan_match_new_take (g_strdup ("https://z.example.com/k.png"), 0,
                                                         NULL, 0);

  /* Only the first n pages, even from a vector without a NULL terminator. */
  g_assert_cmpuint (imgscan_match_get_n_pages (counted), ==, 1);
  g_assert_cmpstr (imgscan_match_get_pages (counted)[0], ==, "https://a.example.com/1");
  g_assert_null (imgscan_match_get_pages (counted)[1]);

  g_assert_cmpstr (imgscan_match_get_url (taken), ==, "https://y.example.com/j.png");
  g_assert_cmpint (imgscan_match_get_kind (taken), ==, IMGSCAN_MATCH_KIND_PARTIAL);
  g_assert_cmpstr (imgscan_match_get_pages (taken)[0], ==, "https://c.example.com/3");
  g_assert_cmpstr (imgscan_match_get_domain (taken), ==, "y.example.com");

  g_assert_cmpuint (imgscan_match_get_n_pages (none), ==, 0);
  g_assert_null (imgscan_match_get_pages (none)[0]);
}

static void
test_uri_is_web (void)
{
  const char * const web[] = {
    "http://example.com", "https://example.com/a/b?c=d#e", "HTTPS://EXAMPLE.COM/",
    "HtTp://example.com:8080/x", "https://[::1]/x", "https://user@example.com/",
  };
  const char * const not_web[] = {
    "", "javascript:alert(1)", "file:///etc/passwd", "data:image/png;base64,AAAA",
    "ftp://example.com/x", "//example.com/x", "/relative/path", "example.com/x",
    "https://", "http:///path", "https:example.com", "not a url", "https://exa mple.com/",
    "mailto:someone@example.com",
  };

  for (guint i = 0; i < G_N_ELEMENTS (web); i++)
    if (!imgscan_uri_is_web (web[i]))
      g_error ("%s should be a web URI", web[i]);
  for (guint i = 0; i < G_N_ELEMENTS (not_web); i++)
    if (imgscan_uri_is_web (not_web[i]))
      g_error ("%s should not be a web URI", not_web[i]);
  g_assert_false (imgscan_uri_is_web (NULL));
}

static void
test_finalize (void)
{
  ImgscanResult *result = parse_fixture ("documented-example.json");
  g_autoptr(ImgscanMatch) match = g_list_model_get_item (imgscan_result_get_matches (result), 0);

  /* A match outlives its result. */
  g_assert_finalize_object (result);
  g_assert_cmpstr (imgscan_match_get_domain (match), ==, "images.example.com");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/result/documented-example", test_documented_example);
  g_test_add_func ("/result/empty", test_empty);
  g_test_add_func ("/result/out-of-order", test_out_of_order);
  g_test_add_func ("/result/duplicates", test_duplicates);
  g_test_add_func ("/result/unknown-type", test_unknown_type);
  g_test_add_func ("/result/extra-fields", test_extra_fields);
  g_test_add_func ("/result/payload", test_payload);
  g_test_add_func ("/result/score-mismatch", test_score_mismatch);
  g_test_add_func ("/result/missing-webpages", test_missing_webpages);
  g_test_add_func ("/result/creation-time", test_creation_time);
  g_test_add_func ("/result/non-web-urls", test_non_web_urls);
  g_test_add_func ("/result/lone-surrogates", test_lone_surrogates);
  g_test_add_func ("/result/json-node", test_json_node);
  g_test_add_func ("/result/nul-terminated", test_nul_terminated);
  g_test_add_func ("/result/ten-thousand", test_ten_thousand);
  g_test_add_func ("/result/finalize", test_finalize);
  g_test_add_func ("/match/properties", test_match_properties);
  g_test_add_func ("/match/no-pages", test_match_no_pages);
  g_test_add_func ("/match/constructors", test_match_constructors);
  g_test_add_func ("/match/uri-is-web", test_uri_is_web);

  for (guint i = 0; i < G_N_ELEMENTS (invalid_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/result/invalid/%s", invalid_cases[i].fixture);
      g_test_add_data_func (path, &invalid_cases[i], test_invalid);
    }

  for (guint i = 0; i < G_N_ELEMENTS (valid_fixtures); i++)
    {
      g_autofree char *path = g_strdup_printf ("/result/round-trip/%s", valid_fixtures[i]);
      g_test_add_data_func (path, valid_fixtures[i], test_round_trip);
    }

  return g_test_run ();
}
