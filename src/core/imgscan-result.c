/* imgscan-result.c: a parsed Copyleaks image check reply
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-result"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "imgscan-result.h"

G_DEFINE_QUARK (imgscan-result-error-quark, imgscan_result_error)

/* A read-only window on the result's array of matches. The four models share one
 * array (full, then partial, then other), so a 100,000-match reply costs no copies,
 * no tree of list nodes as in GListStore, and O(1) get_item. Private to the result:
 * a parsed reply never changes, so there is never an items-changed to emit. */
#define IMGSCAN_TYPE_MATCH_VIEW (imgscan_match_view_get_type ())
G_DECLARE_FINAL_TYPE (ImgscanMatchView, imgscan_match_view, IMGSCAN, MATCH_VIEW, GObject)

struct _ImgscanMatchView
{
  GObject    parent_instance;

  GPtrArray *matches;
  guint      offset;
  guint      n_items;
};

static GType
imgscan_match_view_get_item_type (GListModel *model)
{
  return IMGSCAN_TYPE_MATCH;
}

static guint
imgscan_match_view_get_n_items (GListModel *model)
{
  return IMGSCAN_MATCH_VIEW (model)->n_items;
}

static gpointer
imgscan_match_view_get_item (GListModel *model,
                             guint       position)
{
  ImgscanMatchView *self = IMGSCAN_MATCH_VIEW (model);

  if (position >= self->n_items)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->matches, self->offset + position));
}

static void
imgscan_match_view_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = imgscan_match_view_get_item_type;
  iface->get_n_items = imgscan_match_view_get_n_items;
  iface->get_item = imgscan_match_view_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (ImgscanMatchView, imgscan_match_view, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      imgscan_match_view_list_model_init))

static void
imgscan_match_view_finalize (GObject *object)
{
  ImgscanMatchView *self = IMGSCAN_MATCH_VIEW (object);

  g_clear_pointer (&self->matches, g_ptr_array_unref);

  G_OBJECT_CLASS (imgscan_match_view_parent_class)->finalize (object);
}

static void
imgscan_match_view_class_init (ImgscanMatchViewClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = imgscan_match_view_finalize;
}

static void
imgscan_match_view_init (ImgscanMatchView *self)
{
}

static ImgscanMatchView *
imgscan_match_view_new (GPtrArray *matches,
                        guint      offset,
                        guint      n_items)
{
  ImgscanMatchView *self = g_object_new (IMGSCAN_TYPE_MATCH_VIEW, NULL);

  g_assert (offset + n_items <= matches->len);

  self->matches = g_ptr_array_ref (matches);
  self->offset = offset;
  self->n_items = n_items;
  return self;
}

struct _ImgscanResult
{
  GObject     parent_instance;

  char       *developer_payload;
  char       *scan_id;
  char       *creation_time_text;
  GDateTime  *creation_time;
  char       *filename;
  gint64      expected_credits;
  gint64      actual_credits;
  guint       width;
  guint       height;

  guint       score_total;
  guint       score_full;
  guint       score_partial;
  guint       n_duplicates;
  gboolean    score_mismatch;

  ImgscanMatchView *matches;
  ImgscanMatchView *full_matches;
  ImgscanMatchView *partial_matches;
  ImgscanMatchView *other_matches;
};

G_DEFINE_FINAL_TYPE (ImgscanResult, imgscan_result, G_TYPE_OBJECT)

static void
imgscan_result_finalize (GObject *object)
{
  ImgscanResult *self = IMGSCAN_RESULT (object);

  g_clear_pointer (&self->developer_payload, g_free);
  g_clear_pointer (&self->scan_id, g_free);
  g_clear_pointer (&self->creation_time_text, g_free);
  g_clear_pointer (&self->creation_time, g_date_time_unref);
  g_clear_pointer (&self->filename, g_free);
  g_clear_object (&self->matches);
  g_clear_object (&self->full_matches);
  g_clear_object (&self->partial_matches);
  g_clear_object (&self->other_matches);

  G_OBJECT_CLASS (imgscan_result_parent_class)->finalize (object);
}

static void
imgscan_result_class_init (ImgscanResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = imgscan_result_finalize;
}

static void
imgscan_result_init (ImgscanResult *self)
{
}

/* Parsing. Every lookup says what it found; the caller names the place in its error,
 * so paths are only formatted when something is wrong. */

typedef enum
{
  FIELD_OK,
  FIELD_NULL,
  FIELD_MISSING,
  FIELD_WRONG_TYPE,
  FIELD_OUT_OF_RANGE,
} FieldStatus;

static gboolean
invalid (GError     **error,
         const char  *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError     **error,
         const char  *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, IMGSCAN_RESULT_ERROR, IMGSCAN_RESULT_ERROR_INVALID,
               _("The reply is not a valid Copyleaks result: %s"), message);
  return FALSE;
}

static gboolean
field_error (GError      **error,
             FieldStatus   status,
             const char   *path,
             const char   *expected)
{
  switch (status)
    {
    case FIELD_MISSING:
      return invalid (error, _("%s is missing"), path);
    case FIELD_OUT_OF_RANGE:
      return invalid (error, _("%s is out of range"), path);
    case FIELD_NULL:
    case FIELD_WRONG_TYPE:
    case FIELD_OK:
    default:
      return invalid (error, _("%s is not %s"), path, expected);
    }
}

static FieldStatus
lookup_node (JsonObject  *object,
             const char  *name,
             JsonNode   **out)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = node;
  if (node == NULL)
    return FIELD_MISSING;
  if (JSON_NODE_HOLDS_NULL (node))
    return FIELD_NULL;
  return FIELD_OK;
}

static FieldStatus
lookup_string (JsonObject  *object,
               const char  *name,
               const char **out)
{
  JsonNode *node;
  FieldStatus status = lookup_node (object, name, &node);

  *out = NULL;
  if (status != FIELD_OK)
    return status;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FIELD_WRONG_TYPE;

  *out = json_node_get_string (node);
  return FIELD_OK;
}

/* json-glib turns an unpaired surrogate escape ("\\ud800") into bytes that are not
 * UTF-8. Such a string is repaired (U+FFFD) rather than the whole reply refused,
 * and repaired before duplicate checks so that saving and reloading agree. Returns
 * @text itself, or a repaired copy kept in @owned. */
static gboolean
is_valid_utf8 (const char *text)
{
  /* json-glib has validated the input, so only an escape can make bad bytes, and a
   * surrogate is encoded as 0xED 0xA0..0xBF: without 0xED the string is fine, which
   * strchr tells far faster than a full validation of every URL. */
  return text == NULL
         || strchr (text, 0xed) == NULL
         || g_utf8_validate (text, -1, NULL);
}

static const char *
valid_utf8 (const char *text,
            GPtrArray  *owned)
{
  char *repaired;

  if (is_valid_utf8 (text))
    return text;

  repaired = g_utf8_make_valid (text, -1);
  g_ptr_array_add (owned, repaired);
  return repaired;
}

static char *
dup_valid_utf8 (const char *text)
{
  if (is_valid_utf8 (text))
    return g_strdup (text);

  return g_utf8_make_valid (text, -1);
}

static FieldStatus
lookup_int (JsonObject *object,
            const char *name,
            gint64      min,
            gint64      max,
            gint64     *out)
{
  JsonNode *node;
  FieldStatus status = lookup_node (object, name, &node);
  gint64 value;

  *out = 0;
  if (status == FIELD_NULL)
    return FIELD_WRONG_TYPE;
  if (status != FIELD_OK)
    return status;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FIELD_WRONG_TYPE;

  value = json_node_get_int (node);
  if (value < min || value > max)
    return FIELD_OUT_OF_RANGE;

  *out = value;
  return FIELD_OK;
}

/* A required object member. */
static JsonObject *
require_object (JsonObject  *object,
                const char  *name,
                const char  *path,
                GError     **error)
{
  JsonNode *node;
  FieldStatus status = lookup_node (object, name, &node);

  if (status == FIELD_OK && !JSON_NODE_HOLDS_OBJECT (node))
    status = FIELD_WRONG_TYPE;
  if (status != FIELD_OK)
    {
      field_error (error, status, path, _("an object"));
      return NULL;
    }

  return json_node_get_object (node);
}

static gboolean
require_string (JsonObject  *object,
                const char  *name,
                const char  *path,
                char       **out,
                GError     **error)
{
  const char *value;
  FieldStatus status = lookup_string (object, name, &value);

  if (status != FIELD_OK)
    return field_error (error, status, path, _("a string"));

  *out = dup_valid_utf8 (value);
  return TRUE;
}

static gboolean
require_int (JsonObject  *object,
             const char  *name,
             const char  *path,
             gint64       min,
             gint64       max,
             gint64      *out,
             GError     **error)
{
  FieldStatus status = lookup_int (object, name, min, max, out);

  if (status != FIELD_OK)
    return field_error (error, status, path, _("an integer"));

  return TRUE;
}

static gboolean
parse_scanned_image (ImgscanResult  *self,
                     JsonObject     *root,
                     GError        **error)
{
  JsonObject *image;
  const char *text;
  FieldStatus status;
  gint64 value;

  image = require_object (root, "scannedImage", "scannedImage", error);
  if (image == NULL)
    return FALSE;

  if (!require_string (image, "scanId", "scannedImage.scanId", &self->scan_id, error)
      || !require_int (image, "expectedCredits", "scannedImage.expectedCredits",
                       G_MININT64, G_MAXINT64, &self->expected_credits, error)
      || !require_int (image, "actualCredits", "scannedImage.actualCredits",
                       G_MININT64, G_MAXINT64, &self->actual_credits, error)
      || !require_string (image, "filename", "scannedImage.filename", &self->filename, error))
    return FALSE;

  if (!require_int (image, "width", "scannedImage.width", 0, G_MAXUINT, &value, error))
    return FALSE;
  self->width = (guint) value;

  if (!require_int (image, "height", "scannedImage.height", 0, G_MAXUINT, &value, error))
    return FALSE;
  self->height = (guint) value;

  /* The time only informs: missing or unreadable, the result is still worth keeping.
   * The text is kept as received so that saving it back loses nothing. */
  status = lookup_string (image, "creationTime", &text);
  if (status == FIELD_WRONG_TYPE)
    return field_error (error, status, "scannedImage.creationTime", _("a string"));
  if (status == FIELD_OK)
    {
      self->creation_time_text = dup_valid_utf8 (text);
      self->creation_time = g_date_time_new_from_iso8601 (text, NULL);
      if (self->creation_time == NULL)
        {
          /* A time without a zone: Copyleaks' servers speak UTC. */
          g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
          self->creation_time = g_date_time_new_from_iso8601 (text, utc);
        }
    }

  return TRUE;
}

/* Reads matches.internet[@index]'s webPages into @pages: borrowed strings, which
 * stay valid while the parser lives. */
static gboolean
parse_pages (JsonObject  *entry,
             guint        index,
             GPtrArray   *pages,
             GPtrArray   *owned,
             GError     **error)
{
  JsonNode *node;
  JsonArray *array;
  FieldStatus status = lookup_node (entry, "webPages", &node);
  guint length;

  g_ptr_array_set_size (pages, 0);

  /* Omitted when the image is on no page; null is read the same way. */
  if (status == FIELD_MISSING || status == FIELD_NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, _("matches.internet[%u].webPages is not an array"), index);

  array = json_node_get_array (node);
  length = json_array_get_length (array);

  for (guint i = 0; i < length; i++)
    {
      JsonNode *page = json_array_get_element (array, i);
      const char *url;

      if (!JSON_NODE_HOLDS_OBJECT (page))
        return invalid (error, _("matches.internet[%u].webPages[%u] is not an object"), index, i);

      status = lookup_string (json_node_get_object (page), "url", &url);
      if (status != FIELD_OK)
        {
          g_autofree char *path = g_strdup_printf ("matches.internet[%u].webPages[%u].url", index, i);
          return field_error (error, status, path, _("a string"));
        }

      g_ptr_array_add (pages, (gpointer) valid_utf8 (url, owned));
    }

  return TRUE;
}

static gboolean
parse_matches (ImgscanResult  *self,
               JsonObject     *root,
               GError        **error)
{
  g_autoptr(GPtrArray) full = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) partial = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) other = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *groups[] = { full, partial, other };
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  JsonObject *matches;
  JsonObject *score;
  JsonNode *node;
  JsonArray *internet;
  FieldStatus status;
  guint length;
  guint n_full, n_partial, n_other;
  gint64 value;

  matches = require_object (root, "matches", "matches", error);
  if (matches == NULL)
    return FALSE;

  status = lookup_node (matches, "internet", &node);
  if (status == FIELD_OK && !JSON_NODE_HOLDS_ARRAY (node))
    status = FIELD_WRONG_TYPE;
  if (status != FIELD_OK)
    return field_error (error, status, "matches.internet", _("an array"));

  internet = json_node_get_array (node);
  length = json_array_get_length (internet);

  /* Keys are borrowed from the parser's tree (or from @owned, for repaired strings),
   * which outlive the table: no copies, linear cost. */
  seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < length; i++)
    {
      JsonNode *element = json_array_get_element (internet, i);
      JsonObject *entry;
      const char *url;
      gint64 match_type;
      ImgscanMatch *match;
      guint group;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return invalid (error, _("matches.internet[%u] is not an object"), i);
      entry = json_node_get_object (element);

      status = lookup_string (entry, "url", &url);
      if (status != FIELD_OK)
        {
          g_autofree char *path = g_strdup_printf ("matches.internet[%u].url", i);
          return field_error (error, status, path, _("a string"));
        }

      status = lookup_int (entry, "matchType", G_MININT64, G_MAXINT64, &match_type);
      if (status != FIELD_OK)
        {
          g_autofree char *path = g_strdup_printf ("matches.internet[%u].matchType", i);
          return field_error (error, status, path, _("an integer"));
        }

      url = valid_utf8 (url, owned);

      /* A duplicate's pages are checked too: a bad shape anywhere is a bad reply. */
      if (!parse_pages (entry, i, pages, owned, error))
        return FALSE;

      /* One hash per entry: adding tells whether the URL was there already. */
      if (!g_hash_table_add (seen, (gpointer) url))
        {
          self->n_duplicates++;
          continue;
        }

      match = imgscan_match_new_n (url, match_type, (const char * const *) pages->pdata, pages->len);
      group = imgscan_match_get_kind (match);
      g_ptr_array_add (groups[group], match);
    }

  score = require_object (matches, "score", "matches.score", error);
  if (score == NULL)
    return FALSE;

  if (!require_int (score, "totalMatches", "matches.score.totalMatches", 0, G_MAXUINT, &value, error))
    return FALSE;
  self->score_total = (guint) value;
  if (!require_int (score, "fullMatches", "matches.score.fullMatches", 0, G_MAXUINT, &value, error))
    return FALSE;
  self->score_full = (guint) value;
  if (!require_int (score, "partialMatches", "matches.score.partialMatches", 0, G_MAXUINT, &value, error))
    return FALSE;
  self->score_partial = (guint) value;

  n_full = full->len;
  n_partial = partial->len;
  n_other = other->len;
  self->score_mismatch = self->score_total != n_full + n_partial + n_other
                         || self->score_full != n_full
                         || self->score_partial != n_partial;

  /* One array, full then partial then other, which the four models share. The
   * references move from the group arrays to it. */
  all = g_ptr_array_new_full (n_full + n_partial + n_other, g_object_unref);
  for (guint k = 0; k < G_N_ELEMENTS (groups); k++)
    {
      gsize n = 0;
      g_autofree gpointer *items = g_ptr_array_steal (groups[k], &n);

      for (gsize j = 0; j < n; j++)
        g_ptr_array_add (all, items[j]);
    }

  self->matches = imgscan_match_view_new (all, 0, all->len);
  self->full_matches = imgscan_match_view_new (all, 0, n_full);
  self->partial_matches = imgscan_match_view_new (all, n_full, n_partial);
  self->other_matches = imgscan_match_view_new (all, n_full + n_partial, n_other);

  return TRUE;
}

static gboolean
parse_root (ImgscanResult  *self,
            JsonNode       *root_node,
            GError        **error)
{
  JsonObject *root;
  const char *payload;
  FieldStatus status;

  if (root_node == NULL)
    return invalid (error, _("the reply is empty"));
  if (!JSON_NODE_HOLDS_OBJECT (root_node))
    return invalid (error, _("the reply is not a JSON object"));
  root = json_node_get_object (root_node);

  status = lookup_string (root, "developerPayload", &payload);
  if (status == FIELD_WRONG_TYPE)
    return field_error (error, status, "developerPayload", _("a string or null"));
  self->developer_payload = dup_valid_utf8 (payload);

  return parse_scanned_image (self, root, error)
         && parse_matches (self, root, error);
}

/* json-glib parses recursively: a few hundred thousand nested brackets overflow the
 * stack. Our shape nests five levels deep, so anything past MAX_DEPTH is refused
 * before json-glib sees it. One pass, skipping over strings. */
#define MAX_DEPTH 256

static gboolean
nesting_is_shallow (const char *data,
                    gsize       length)
{
  guint depth = 0;
  gsize i = 0;

  while (i < length)
    {
      switch (data[i++])
        {
        case '"':
          /* Jump to the closing quote: one that an odd run of backslashes escapes
           * does not count. memchr keeps the pass far cheaper than the parse. */
          for (;;)
            {
              const char *quote = memchr (data + i, '"', length - i);
              gsize backslashes = 0;

              if (quote == NULL)
                return TRUE;

              i = quote - data;
              while (backslashes < i && data[i - 1 - backslashes] == '\\')
                backslashes++;
              i++;
              if (backslashes % 2 == 0)
                break;
            }
          break;

        case '[':
        case '{':
          if (++depth > MAX_DEPTH)
            return FALSE;
          break;

        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;

        default:
          break;
        }
    }

  return TRUE;
}

ImgscanResult *
imgscan_result_new_from_data (const char  *data,
                              gssize       length,
                              GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(ImgscanResult) self = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data == NULL)
    data = "";

  if (length < 0)
    length = strlen (data);

  if (!nesting_is_shallow (data, length))
    {
      invalid (error, _("it nests more than %d levels deep"), MAX_DEPTH);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      invalid (error, _("it is not JSON (%s)"), local_error->message);
      return NULL;
    }

  self = g_object_new (IMGSCAN_TYPE_RESULT, NULL);
  if (!parse_root (self, json_parser_get_root (parser), error))
    return NULL;

  return g_steal_pointer (&self);
}

ImgscanResult *
imgscan_result_new_from_bytes (GBytes  *bytes,
                               GError **error)
{
  gsize size;
  const char *data;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  if (size > G_MAXSSIZE)
    {
      invalid (error, _("it is too large"));
      return NULL;
    }

  return imgscan_result_new_from_data (data, (gssize) size, error);
}

/* Serialisation */

static void
add_matches (JsonBuilder *builder,
             GListModel  *model)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ImgscanMatch) match = g_list_model_get_item (model, i);
      const char * const *pages = imgscan_match_get_pages (match);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "url");
      json_builder_add_string_value (builder, imgscan_match_get_url (match));
      json_builder_set_member_name (builder, "matchType");
      json_builder_add_int_value (builder, imgscan_match_get_match_type (match));

      /* Omitted, as the API does, when the image is on no page. */
      if (pages[0] != NULL)
        {
          json_builder_set_member_name (builder, "webPages");
          json_builder_begin_array (builder);
          for (guint j = 0; pages[j] != NULL; j++)
            {
              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "url");
              json_builder_add_string_value (builder, pages[j]);
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
        }

      json_builder_end_object (builder);
    }
}

JsonNode *
imgscan_result_to_json_node (ImgscanResult *self)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_val_if_fail (IMGSCAN_IS_RESULT (self), NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "developerPayload");
  if (self->developer_payload != NULL)
    json_builder_add_string_value (builder, self->developer_payload);
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "scannedImage");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "scanId");
  json_builder_add_string_value (builder, self->scan_id);
  json_builder_set_member_name (builder, "expectedCredits");
  json_builder_add_int_value (builder, self->expected_credits);
  json_builder_set_member_name (builder, "actualCredits");
  json_builder_add_int_value (builder, self->actual_credits);
  if (self->creation_time_text != NULL)
    {
      json_builder_set_member_name (builder, "creationTime");
      json_builder_add_string_value (builder, self->creation_time_text);
    }
  json_builder_set_member_name (builder, "width");
  json_builder_add_int_value (builder, self->width);
  json_builder_set_member_name (builder, "height");
  json_builder_add_int_value (builder, self->height);
  json_builder_set_member_name (builder, "filename");
  json_builder_add_string_value (builder, self->filename);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "matches");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "internet");
  json_builder_begin_array (builder);
  add_matches (builder, G_LIST_MODEL (self->matches));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "score");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "totalMatches");
  json_builder_add_int_value (builder, self->score_total);
  json_builder_set_member_name (builder, "fullMatches");
  json_builder_add_int_value (builder, self->score_full);
  json_builder_set_member_name (builder, "partialMatches");
  json_builder_add_int_value (builder, self->score_partial);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
imgscan_result_to_json (ImgscanResult *self,
                        gboolean       pretty,
                        gsize         *length)
{
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (IMGSCAN_IS_RESULT (self), NULL);

  root = imgscan_result_to_json_node (self);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, pretty);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, length);
}

/* Getters */

const char *
imgscan_result_get_developer_payload (ImgscanResult *self)
{
  g_return_val_if_fail (IMGSCAN_IS_RESULT (self), NULL);
  return self->developer_payload;
}

const char *
imgscan_result_get_scan_id (ImgscanResult *self)
{
  g_return_val_if_fail (IMGSCAN_IS_RESULT (self), NULL);
  return self->scan_id;
}

gint64
imgscan_result_get_expected_credits (ImgscanResult *self)
{
  g_return_val_if_fail (IMGSCAN_IS_RESULT (self), 0);
  return self->expected_credits;
}

gint64
imgscan_result_get_actual_credits (ImgscanResult *self)
{
  g_return_val_if_fail (IMGSCAN_IS_RESULT (self), 0);
  return self->actual_credits;
}

GDateTime *
imgscan_result_get_creation_time (ImgscanResult *self)
{
  g_return_val_if_fail (IMGSCAN_IS_RESULT (self), NULL);
  return self->creation_time;
}

guint
imgscan_result_get_width (ImgscanResult *self)
{
  g_return_val_if_fail (IMGSCAN_IS_RESULT (self), 0);
  return self->width;
}

guint
imgscan_result_get_height (ImgscanResult *self)
{
  g_return_val_if_fail (IMGSCAN_IS_RESULT (self), 0);
  return self->height;
}

const char *
imgscan_result_get_filename (ImgscanResult *self)
{
  g_return_val_if_fail (IMGSCAN_IS_RESULT (self), NULL);
  return self->filename;
}

guint
imgscan_result_get_score_total (ImgscanResult *self)
{
  g_return_val_if_fail (IMGSCAN_IS_RESULT (self), 0);
  return self->score_total;
}

guint
imgscan_result_get_score_full (ImgscanResult *self)
{
  g_return_val_if_fail (IMGSCAN_IS_RESULT (self), 0);
  return self->score_full;
}

guint
imgscan_result_get_score_partial (ImgscanResult *self)
{
  g_return_val_if_fail (IMGSCAN_IS_RESULT (self), 0);
  return self->score_partial;
}

gboolean
imgscan_result_get_score_mismatch (ImgscanResult *self)
{
  g_return_val_if_fail (IMGSCAN_IS_RESULT (self), FALSE);
  return self->score_mismatch;
}

guint
imgscan_result_get_n_duplicates (ImgscanResult *self)
{
  g_return_val_if_fail (IMGSCAN_IS_RESULT (self), 0);
  return self->n_duplicates;
}

GListModel *
imgscan_result_get_matches (ImgscanResult *self)
{
  g_return_val_if_fail (IMGSCAN_IS_RESULT (self), NULL);
  return G_LIST_MODEL (self->matches);
}

GListModel *
imgscan_result_get_full_matches (ImgscanResult *self)
{
  g_return_val_if_fail (IMGSCAN_IS_RESULT (self), NULL);
  return G_LIST_MODEL (self->full_matches);
}

GListModel *
imgscan_result_get_partial_matches (ImgscanResult *self)
{
  g_return_val_if_fail (IMGSCAN_IS_RESULT (self), NULL);
  return G_LIST_MODEL (self->partial_matches);
}

GListModel *
imgscan_result_get_other_matches (ImgscanResult *self)
{
  g_return_val_if_fail (IMGSCAN_IS_RESULT (self), NULL);
  return G_LIST_MODEL (self->other_matches);
}
