/* imgscan-history-entry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-history-entry"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "imgscan-history.h"
#include "imgscan-history-entry-private.h"

struct _ImgscanHistoryEntry
{
  GObject    parent_instance;

  char      *scan_id;
  char      *filename;
  char      *path;
  char      *content_hash;
  GDateTime *time;
  /* The history folder and the entry's folder name; the GFile is made on first use,
   * since listing 5,000 entries needs none of them. */
  GFile     *dir;
  char      *folder_name;
  GFile     *folder;
  guint64    size;
  guint64    reply_size;
  guint      n_full;
  guint      n_partial;
  guint      sandbox : 1;
  guint      has_preview : 1;
};

enum {
  PROP_0,
  PROP_SCAN_ID,
  PROP_FILENAME,
  PROP_TIME,
  PROP_N_FULL,
  PROP_N_PARTIAL,
  PROP_SANDBOX,
  PROP_PREVIEW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ImgscanHistoryEntry, imgscan_history_entry, G_TYPE_OBJECT)

static void
imgscan_history_entry_finalize (GObject *object)
{
  ImgscanHistoryEntry *self = (ImgscanHistoryEntry *)object;

  g_clear_pointer (&self->scan_id, g_free);
  g_clear_pointer (&self->filename, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->content_hash, g_free);
  g_clear_pointer (&self->time, g_date_time_unref);
  g_clear_object (&self->folder);
  g_clear_object (&self->dir);
  g_clear_pointer (&self->folder_name, g_free);

  G_OBJECT_CLASS (imgscan_history_entry_parent_class)->finalize (object);
}

static void
imgscan_history_entry_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  ImgscanHistoryEntry *self = IMGSCAN_HISTORY_ENTRY (object);

  switch (prop_id)
    {
    case PROP_SCAN_ID:
      g_value_set_string (value, self->scan_id);
      break;

    case PROP_FILENAME:
      g_value_set_string (value, self->filename);
      break;

    case PROP_TIME:
      g_value_set_boxed (value, self->time);
      break;

    case PROP_N_FULL:
      g_value_set_uint (value, self->n_full);
      break;

    case PROP_N_PARTIAL:
      g_value_set_uint (value, self->n_partial);
      break;

    case PROP_SANDBOX:
      g_value_set_boolean (value, self->sandbox);
      break;

    case PROP_PREVIEW:
      g_value_take_object (value, imgscan_history_entry_get_preview (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
imgscan_history_entry_class_init (ImgscanHistoryEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = imgscan_history_entry_finalize;
  object_class->get_property = imgscan_history_entry_get_property;

  /* Read-only, for list rows bound with GtkExpression. */
  properties[PROP_SCAN_ID] = g_param_spec_string ("scan-id", NULL, NULL, NULL, flags);
  properties[PROP_FILENAME] = g_param_spec_string ("filename", NULL, NULL, NULL, flags);
  properties[PROP_TIME] = g_param_spec_boxed ("time", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_N_FULL] = g_param_spec_uint ("n-full", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_PARTIAL] = g_param_spec_uint ("n-partial", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_SANDBOX] = g_param_spec_boolean ("sandbox", NULL, NULL, FALSE, flags);
  properties[PROP_PREVIEW] = g_param_spec_object ("preview", NULL, NULL, G_TYPE_FILE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
imgscan_history_entry_init (ImgscanHistoryEntry *self)
{
}

ImgscanHistoryEntry *
imgscan_history_entry_new (const char *scan_id,
                           const char *filename,
                           const char *path,
                           guint64     size,
                           const char *content_hash,
                           gboolean    sandbox,
                           GDateTime  *time,
                           guint       n_full,
                           guint       n_partial,
                           gboolean    has_preview,
                           guint64     reply_size,
                           GFile      *dir,
                           const char *folder_name)
{
  ImgscanHistoryEntry *self;

  g_return_val_if_fail (scan_id != NULL, NULL);
  g_return_val_if_fail (time != NULL, NULL);
  g_return_val_if_fail (G_IS_FILE (dir), NULL);
  g_return_val_if_fail (folder_name != NULL, NULL);

  self = g_object_new (IMGSCAN_TYPE_HISTORY_ENTRY, NULL);
  self->scan_id = g_strdup (scan_id);
  self->filename = g_strdup (filename ? filename : "");
  self->path = g_strdup (path ? path : "");
  self->size = size;
  self->content_hash = g_strdup (content_hash ? content_hash : "");
  self->sandbox = !!sandbox;
  self->time = g_date_time_ref (time);
  self->n_full = n_full;
  self->n_partial = n_partial;
  self->has_preview = !!has_preview;
  self->reply_size = reply_size;
  self->dir = g_object_ref (dir);
  self->folder_name = g_strdup (folder_name);
  return self;
}

/* The members of meta.json, and the columns of index.json, which stores each entry
 * as an array (an object per entry would double the index's parse time). */
typedef enum
{
  FIELD_SCAN_ID,
  FIELD_FILENAME,
  FIELD_PATH,
  FIELD_SIZE,
  FIELD_CONTENT_HASH,
  FIELD_SANDBOX,
  FIELD_TIME,
  FIELD_N_FULL,
  FIELD_N_PARTIAL,
  FIELD_PREVIEW,
  FIELD_REPLY_SIZE,
  FIELD_FOLDER,
  N_FIELDS
} Field;

static const char * const field_names[N_FIELDS + 1] = {
  "scan_id", "filename", "path", "size", "content_hash", "sandbox", "time",
  "n_full", "n_partial", "preview", "reply_size", "folder", NULL
};

struct _ImgscanHistoryColumns
{
  int index[N_FIELDS];
};

/* Either a meta.json object or an index row with its column map. */
typedef struct
{
  JsonObject                  *object;
  JsonArray                   *row;
  const ImgscanHistoryColumns *columns;
} Source;

static JsonNode *
source_get (const Source *source,
            Field         field)
{
  int column;

  if (source->object != NULL)
    return json_object_get_member (source->object, field_names[field]);

  column = source->columns->index[field];
  if (column < 0 || (guint)column >= json_array_get_length (source->row))
    return NULL;
  return json_array_get_element (source->row, column);
}

static gboolean
get_field (const Source  *source,
           Field          field,
           GType          type,
           gboolean       required,
           JsonNode     **out,
           GError       **error)
{
  JsonNode *node = source_get (source, field);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!required)
        return TRUE;
      g_set_error (error, IMGSCAN_HISTORY_ERROR, IMGSCAN_HISTORY_ERROR_CORRUPT,
                   _("The entry has no “%s”"), field_names[field]);
      return FALSE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != type)
    {
      g_set_error (error, IMGSCAN_HISTORY_ERROR, IMGSCAN_HISTORY_ERROR_CORRUPT,
                   _("The entry’s “%s” has the wrong type"), field_names[field]);
      return FALSE;
    }

  *out = node;
  return TRUE;
}

#define GET(field, type, required, out) \
  if (!get_field (source, field, type, required, &out, error)) \
    return NULL

static ImgscanHistoryEntry *
new_from_source (const Source  *source,
                 GFile         *dir,
                 const char    *folder_name,
                 GError       **error)
{
  JsonNode *scan_id, *filename, *path, *size, *hash, *sandbox, *time, *n_full, *n_partial;
  JsonNode *preview, *reply_size, *folder = NULL;
  g_autoptr(GDateTime) parsed_time = NULL;
  gint64 full, partial;

  GET (FIELD_SCAN_ID, G_TYPE_STRING, TRUE, scan_id);
  GET (FIELD_TIME, G_TYPE_STRING, TRUE, time);
  GET (FIELD_N_FULL, G_TYPE_INT64, TRUE, n_full);
  GET (FIELD_N_PARTIAL, G_TYPE_INT64, TRUE, n_partial);
  GET (FIELD_FILENAME, G_TYPE_STRING, FALSE, filename);
  GET (FIELD_PATH, G_TYPE_STRING, FALSE, path);
  GET (FIELD_SIZE, G_TYPE_INT64, FALSE, size);
  GET (FIELD_CONTENT_HASH, G_TYPE_STRING, FALSE, hash);
  GET (FIELD_SANDBOX, G_TYPE_BOOLEAN, FALSE, sandbox);
  GET (FIELD_PREVIEW, G_TYPE_BOOLEAN, FALSE, preview);
  GET (FIELD_REPLY_SIZE, G_TYPE_INT64, FALSE, reply_size);
  if (folder_name == NULL)
    {
      GET (FIELD_FOLDER, G_TYPE_STRING, TRUE, folder);
      folder_name = json_node_get_string (folder);
    }

  parsed_time = g_date_time_new_from_iso8601 (json_node_get_string (time), NULL);
  full = json_node_get_int (n_full);
  partial = json_node_get_int (n_partial);
  if (parsed_time == NULL || *json_node_get_string (scan_id) == '\0' ||
      full < 0 || full > G_MAXUINT || partial < 0 || partial > G_MAXUINT ||
      folder_name[0] == '\0' || folder_name[0] == '.' || strchr (folder_name, '/') != NULL)
    {
      g_set_error (error, IMGSCAN_HISTORY_ERROR, IMGSCAN_HISTORY_ERROR_CORRUPT,
                   _("The entry’s metadata is not valid"));
      return NULL;
    }

  return imgscan_history_entry_new (json_node_get_string (scan_id),
                                    filename ? json_node_get_string (filename) : NULL,
                                    path ? json_node_get_string (path) : NULL,
                                    size ? (guint64)MAX (0, json_node_get_int (size)) : 0,
                                    hash ? json_node_get_string (hash) : NULL,
                                    sandbox ? json_node_get_boolean (sandbox) : FALSE,
                                    parsed_time,
                                    (guint)full,
                                    (guint)partial,
                                    preview ? json_node_get_boolean (preview) : FALSE,
                                    reply_size ? (guint64)MAX (0, json_node_get_int (reply_size)) : 0,
                                    dir,
                                    folder_name);
}

#undef GET

ImgscanHistoryEntry *
imgscan_history_entry_new_from_json (JsonObject  *meta,
                                     GFile       *dir,
                                     const char  *folder_name,
                                     GError     **error)
{
  Source source = { meta, NULL, NULL };

  g_return_val_if_fail (meta != NULL, NULL);
  g_return_val_if_fail (G_IS_FILE (dir), NULL);
  g_return_val_if_fail (folder_name != NULL, NULL);

  return new_from_source (&source, dir, folder_name, error);
}

ImgscanHistoryColumns *
imgscan_history_columns_new (JsonArray *fields)
{
  ImgscanHistoryColumns *columns = g_new (ImgscanHistoryColumns, 1);

  for (guint f = 0; f < N_FIELDS; f++)
    {
      columns->index[f] = -1;
      for (guint i = 0; i < json_array_get_length (fields); i++)
        {
          JsonNode *node = json_array_get_element (fields, i);

          if (json_node_get_value_type (node) == G_TYPE_STRING &&
              g_strcmp0 (json_node_get_string (node), field_names[f]) == 0)
            {
              columns->index[f] = i;
              break;
            }
        }
    }

  return columns;
}

void
imgscan_history_columns_free (ImgscanHistoryColumns *columns)
{
  g_free (columns);
}

ImgscanHistoryEntry *
imgscan_history_entry_new_from_row (JsonArray                    *row,
                                    const ImgscanHistoryColumns  *columns,
                                    GFile                        *dir,
                                    GError                      **error)
{
  Source source = { NULL, row, columns };

  g_return_val_if_fail (row != NULL, NULL);
  g_return_val_if_fail (columns != NULL, NULL);
  g_return_val_if_fail (G_IS_FILE (dir), NULL);

  return new_from_source (&source, dir, NULL, error);
}

JsonNode *
imgscan_history_index_fields (void)
{
  JsonArray *array = json_array_sized_new (N_FIELDS);

  for (guint f = 0; f < N_FIELDS; f++)
    json_array_add_string_element (array, field_names[f]);
  return json_node_init_array (json_node_alloc (), array);
}

static void
add_values (ImgscanHistoryEntry *self,
            JsonBuilder         *builder,
            gboolean             names,
            guint                n_fields)
{
  g_autofree char *time = g_date_time_format_iso8601 (self->time);

  for (guint f = 0; f < n_fields; f++)
    {
      if (names)
        json_builder_set_member_name (builder, field_names[f]);

      switch ((Field)f)
        {
        case FIELD_SCAN_ID:
          json_builder_add_string_value (builder, self->scan_id);
          break;
        case FIELD_FILENAME:
          json_builder_add_string_value (builder, self->filename);
          break;
        case FIELD_PATH:
          json_builder_add_string_value (builder, self->path);
          break;
        case FIELD_SIZE:
          json_builder_add_int_value (builder, (gint64)MIN (self->size, (guint64)G_MAXINT64));
          break;
        case FIELD_CONTENT_HASH:
          json_builder_add_string_value (builder, self->content_hash);
          break;
        case FIELD_SANDBOX:
          json_builder_add_boolean_value (builder, self->sandbox);
          break;
        case FIELD_TIME:
          json_builder_add_string_value (builder, time);
          break;
        case FIELD_N_FULL:
          json_builder_add_int_value (builder, self->n_full);
          break;
        case FIELD_N_PARTIAL:
          json_builder_add_int_value (builder, self->n_partial);
          break;
        case FIELD_PREVIEW:
          json_builder_add_boolean_value (builder, self->has_preview);
          break;
        case FIELD_REPLY_SIZE:
          json_builder_add_int_value (builder, (gint64)MIN (self->reply_size, (guint64)G_MAXINT64));
          break;
        case FIELD_FOLDER:
          json_builder_add_string_value (builder, self->folder_name);
          break;
        case N_FIELDS:
        default:
          g_assert_not_reached ();
        }
    }
}

JsonNode *
imgscan_history_entry_to_json (ImgscanHistoryEntry *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, IMGSCAN_HISTORY_FORMAT_VERSION);
  /* The folder is where meta.json lies: not recorded in it. */
  add_values (self, builder, TRUE, FIELD_FOLDER);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

JsonNode *
imgscan_history_entry_to_row (ImgscanHistoryEntry *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_array (builder);
  add_values (self, builder, FALSE, N_FIELDS);
  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}

const char *
imgscan_history_entry_get_folder_name (ImgscanHistoryEntry *self)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY_ENTRY (self), NULL);
  return self->folder_name;
}

int
imgscan_history_entry_compare (gconstpointer a,
                               gconstpointer b)
{
  ImgscanHistoryEntry *ea = *(ImgscanHistoryEntry **)a;
  ImgscanHistoryEntry *eb = *(ImgscanHistoryEntry **)b;
  int cmp = g_date_time_compare (eb->time, ea->time);

  return cmp != 0 ? cmp : g_strcmp0 (ea->scan_id, eb->scan_id);
}

const char *
imgscan_history_entry_get_scan_id (ImgscanHistoryEntry *self)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY_ENTRY (self), NULL);
  return self->scan_id;
}

const char *
imgscan_history_entry_get_filename (ImgscanHistoryEntry *self)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY_ENTRY (self), NULL);
  return self->filename;
}

const char *
imgscan_history_entry_get_path (ImgscanHistoryEntry *self)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY_ENTRY (self), NULL);
  return self->path;
}

guint64
imgscan_history_entry_get_size (ImgscanHistoryEntry *self)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY_ENTRY (self), 0);
  return self->size;
}

const char *
imgscan_history_entry_get_content_hash (ImgscanHistoryEntry *self)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY_ENTRY (self), NULL);
  return self->content_hash;
}

gboolean
imgscan_history_entry_get_sandbox (ImgscanHistoryEntry *self)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY_ENTRY (self), FALSE);
  return self->sandbox;
}

GDateTime *
imgscan_history_entry_get_time (ImgscanHistoryEntry *self)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY_ENTRY (self), NULL);
  return self->time;
}

guint
imgscan_history_entry_get_n_full (ImgscanHistoryEntry *self)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY_ENTRY (self), 0);
  return self->n_full;
}

guint
imgscan_history_entry_get_n_partial (ImgscanHistoryEntry *self)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY_ENTRY (self), 0);
  return self->n_partial;
}

GFile *
imgscan_history_entry_get_folder (ImgscanHistoryEntry *self)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY_ENTRY (self), NULL);

  if (self->folder == NULL)
    self->folder = g_file_get_child (self->dir, self->folder_name);
  return self->folder;
}

guint64
imgscan_history_entry_get_reply_size (ImgscanHistoryEntry *self)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY_ENTRY (self), 0);
  return self->reply_size;
}

/**
 * imgscan_history_entry_get_preview:
 *
 * Returns: (transfer full) (nullable): preview.png in the entry's folder, or %NULL
 * when the photo could not be previewed.
 */
GFile *
imgscan_history_entry_get_preview (ImgscanHistoryEntry *self)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY_ENTRY (self), NULL);

  return self->has_preview ? g_file_get_child (imgscan_history_entry_get_folder (self), "preview.png") : NULL;
}

/**
 * imgscan_history_entry_get_reply_file:
 *
 * Returns: (transfer full): reply.json, the reply exactly as received.
 */
GFile *
imgscan_history_entry_get_reply_file (ImgscanHistoryEntry *self)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY_ENTRY (self), NULL);

  return g_file_get_child (imgscan_history_entry_get_folder (self), "reply.json");
}

ImgscanResult *
imgscan_history_entry_load_result (ImgscanHistoryEntry  *self,
                                   GError              **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  ImgscanResult *result;

  g_return_val_if_fail (IMGSCAN_IS_HISTORY_ENTRY (self), NULL);

  file = imgscan_history_entry_get_reply_file (self);
  bytes = g_file_load_bytes (file, NULL, NULL, &local_error);
  if (bytes == NULL)
    {
      g_set_error (error, IMGSCAN_HISTORY_ERROR, IMGSCAN_HISTORY_ERROR_CORRUPT,
                   _("The saved reply of scan %s cannot be read: %s"),
                   self->scan_id, local_error->message);
      return NULL;
    }

  result = imgscan_result_new_from_bytes (bytes, &local_error);
  if (result == NULL)
    {
      g_set_error (error, IMGSCAN_HISTORY_ERROR, IMGSCAN_HISTORY_ERROR_CORRUPT,
                   _("The saved reply of scan %s is damaged: %s"),
                   self->scan_id, local_error->message);
      return NULL;
    }

  return result;
}
