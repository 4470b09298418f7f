/* imgscan-history.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-history"

#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>

#include "imgscan-history.h"
#include "imgscan-history-entry-private.h"
#include "imgscan-history-private.h"

struct _ImgscanHistory
{
  GObject     parent_instance;

  GFile      *dir;
  /* Newest first. */
  GPtrArray  *items;
  /* scan id → entry, for the listed entries and the hidden ones (see hide). */
  GHashTable *by_id;
  GHashTable *hidden;

  /* While an async load reads the disk, the model may change under it: what was
   * added or removed meanwhile wins over what the load read. */
  guint       n_loading;
  GHashTable *added_while_loading;    /* scan id → entry */
  GHashTable *removed_while_loading;  /* scan ids */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ImgscanHistory, imgscan_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

G_DEFINE_QUARK (imgscan-history-error-quark, imgscan_history_error)

static GType
get_item_type (GListModel *model)
{
  return IMGSCAN_TYPE_HISTORY_ENTRY;
}

static guint
get_n_items (GListModel *model)
{
  return IMGSCAN_HISTORY (model)->items->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  ImgscanHistory *self = IMGSCAN_HISTORY (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
imgscan_history_finalize (GObject *object)
{
  ImgscanHistory *self = (ImgscanHistory *)object;

  g_clear_object (&self->dir);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->hidden, g_hash_table_unref);
  g_clear_pointer (&self->added_while_loading, g_hash_table_unref);
  g_clear_pointer (&self->removed_while_loading, g_hash_table_unref);

  G_OBJECT_CLASS (imgscan_history_parent_class)->finalize (object);
}

static void
imgscan_history_class_init (ImgscanHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = imgscan_history_finalize;
}

static void
imgscan_history_init (ImgscanHistory *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->hidden = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  self->added_while_loading = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  self->removed_while_loading = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

ImgscanHistory *
imgscan_history_new (GFile *dir)
{
  ImgscanHistory *self;

  g_return_val_if_fail (dir == NULL || G_IS_FILE (dir), NULL);

  self = g_object_new (IMGSCAN_TYPE_HISTORY, NULL);
  if (dir != NULL)
    self->dir = g_object_ref (dir);
  else
    self->dir = g_file_new_build_filename (g_get_user_data_dir (), "imgscan", "history", NULL);
  return self;
}

/**
 * imgscan_history_get_dir:
 *
 * Returns: (transfer none): the folder that holds the history.
 */
GFile *
imgscan_history_get_dir (ImgscanHistory *self)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY (self), NULL);

  return self->dir;
}

static void
take_entry (GPtrArray           *items,
            GHashTable          *by_id,
            ImgscanHistoryEntry *entry)
{
  /* Two folders claiming one scan id: the first one offered wins. */
  if (g_hash_table_insert (by_id, (gpointer)imgscan_history_entry_get_scan_id (entry), entry))
    g_ptr_array_add (items, g_object_ref (entry));
}

/* Swaps in what a load read, keeping hidden entries hidden and the adds and removals
 * made while it ran. */
static void
replace_all (ImgscanHistory *self,
             GPtrArray      *entries)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTable *by_id = g_hash_table_new (g_str_hash, g_str_equal);
  guint old_len = self->items->len;
  GHashTableIter iter;
  ImgscanHistoryEntry *entry;

  g_hash_table_iter_init (&iter, self->added_while_loading);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&entry))
    if (!g_hash_table_contains (self->hidden, imgscan_history_entry_get_scan_id (entry)))
      take_entry (items, by_id, entry);

  for (guint i = 0; i < entries->len; i++)
    {
      const char *scan_id;

      entry = g_ptr_array_index (entries, i);
      scan_id = imgscan_history_entry_get_scan_id (entry);
      if (!g_hash_table_contains (self->hidden, scan_id) &&
          !g_hash_table_contains (self->removed_while_loading, scan_id))
        take_entry (items, by_id, entry);
    }

  g_ptr_array_sort (items, imgscan_history_entry_compare);

  g_ptr_array_unref (self->items);
  self->items = g_steal_pointer (&items);
  g_hash_table_unref (self->by_id);
  self->by_id = by_id;

  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->items->len);
}

static void
load_ended (ImgscanHistory *self)
{
  g_assert (self->n_loading > 0);

  if (--self->n_loading == 0)
    {
      g_hash_table_remove_all (self->added_while_loading);
      g_hash_table_remove_all (self->removed_while_loading);
    }
}

static void
remove_from_model (ImgscanHistory      *self,
                   ImgscanHistoryEntry *entry)
{
  guint position;

  if (!g_ptr_array_find (self->items, entry, &position))
    return;

  g_hash_table_remove (self->by_id, imgscan_history_entry_get_scan_id (entry));
  g_ptr_array_remove_index (self->items, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

static void
insert_sorted (ImgscanHistory      *self,
               ImgscanHistoryEntry *entry)
{
  ImgscanHistoryEntry *old = g_hash_table_lookup (self->by_id, imgscan_history_entry_get_scan_id (entry));
  guint lo = 0, hi;

  if (old != NULL)
    remove_from_model (self, old);
  g_hash_table_remove (self->hidden, imgscan_history_entry_get_scan_id (entry));

  hi = self->items->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (imgscan_history_entry_compare (&self->items->pdata[mid], &entry) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  g_ptr_array_insert (self->items, lo, g_object_ref (entry));
  g_hash_table_insert (self->by_id, (gpointer)imgscan_history_entry_get_scan_id (entry), entry);

  if (self->n_loading > 0)
    {
      g_hash_table_remove (self->removed_while_loading, imgscan_history_entry_get_scan_id (entry));
      g_hash_table_replace (self->added_while_loading,
                            (gpointer)imgscan_history_entry_get_scan_id (entry),
                            g_object_ref (entry));
    }

  g_list_model_items_changed (G_LIST_MODEL (self), lo, 0, 1);
}

/* Loading */

gboolean
imgscan_history_load (ImgscanHistory  *self,
                      GCancellable    *cancellable,
                      GError         **error)
{
  g_autoptr(GPtrArray) entries = NULL;

  g_return_val_if_fail (IMGSCAN_IS_HISTORY (self), FALSE);

  entries = imgscan_history_store_read (self->dir, cancellable, error);
  if (entries == NULL)
    return FALSE;

  replace_all (self, entries);
  return TRUE;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *entries = imgscan_history_store_read (task_data, cancellable, &error);

  if (entries == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, entries, (GDestroyNotify)g_ptr_array_unref);
}

static void
load_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) entries = NULL;
  GError *error = NULL;

  /* The model changes in the caller's thread, never in the worker. */
  entries = g_task_propagate_pointer (G_TASK (result), &error);
  if (entries != NULL)
    replace_all (IMGSCAN_HISTORY (object), entries);
  load_ended (IMGSCAN_HISTORY (object));

  if (entries == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
imgscan_history_load_async (ImgscanHistory      *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  g_autoptr(GTask) read = NULL;

  g_return_if_fail (IMGSCAN_IS_HISTORY (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, imgscan_history_load_async);

  self->n_loading++;
  read = g_task_new (self, cancellable, load_read_cb, task);
  g_task_set_source_tag (read, load_thread);
  g_task_set_task_data (read, g_object_ref (self->dir), g_object_unref);
  g_task_run_in_thread (read, load_thread);
}

gboolean
imgscan_history_load_finish (ImgscanHistory  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == imgscan_history_load_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Adding */

/**
 * imgscan_history_add:
 *
 * @cancellable: ignored once the write has started, and the write starts at once: a
 *   paid reply is never dropped because a window closed meanwhile
 *
 * Returns: (transfer full): the new entry, or %NULL with %IMGSCAN_HISTORY_ERROR_IO:
 * then nothing was kept and the caller still holds the only copy of the reply.
 */
ImgscanHistoryEntry *
imgscan_history_add (ImgscanHistory  *self,
                     GBytes          *raw_reply,
                     ImgscanResult   *result,
                     GFile           *image,
                     gboolean         sandbox,
                     GCancellable    *cancellable,
                     GError         **error)
{
  ImgscanHistoryEntry *entry;

  g_return_val_if_fail (IMGSCAN_IS_HISTORY (self), NULL);
  g_return_val_if_fail (raw_reply != NULL, NULL);
  g_return_val_if_fail (IMGSCAN_IS_RESULT (result), NULL);
  g_return_val_if_fail (image == NULL || G_IS_FILE (image), NULL);

  entry = imgscan_history_store_write (self->dir, raw_reply, result, image, sandbox,
                                       cancellable, error);
  if (entry != NULL)
    insert_sorted (self, entry);
  return entry;
}

typedef struct
{
  GFile         *dir;
  GBytes        *raw_reply;
  ImgscanResult *result;
  GFile         *image;
  gboolean       sandbox;
} AddData;

static void
add_data_free (AddData *data)
{
  g_clear_object (&data->dir);
  g_clear_pointer (&data->raw_reply, g_bytes_unref);
  g_clear_object (&data->result);
  g_clear_object (&data->image);
  g_free (data);
}

static void
add_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  AddData *data = task_data;
  GError *error = NULL;
  ImgscanHistoryEntry *entry;

  entry = imgscan_history_store_write (data->dir, data->raw_reply, data->result, data->image,
                                       data->sandbox, cancellable, &error);
  if (entry == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, entry, g_object_unref);
}

static void
add_write_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ImgscanHistoryEntry *entry;
  GError *error = NULL;

  /* Once the files are written the entry exists, even if the caller cancelled since:
   * the write task does not check the cancellable on return. */
  entry = g_task_propagate_pointer (G_TASK (result), &error);
  if (entry == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  insert_sorted (IMGSCAN_HISTORY (object), entry);
  g_task_return_pointer (task, entry, g_object_unref);
}

void
imgscan_history_add_async (ImgscanHistory      *self,
                           GBytes              *raw_reply,
                           ImgscanResult       *result,
                           GFile               *image,
                           gboolean             sandbox,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;
  g_autoptr(GTask) write = NULL;
  AddData *data;

  g_return_if_fail (IMGSCAN_IS_HISTORY (self));
  g_return_if_fail (raw_reply != NULL);
  g_return_if_fail (IMGSCAN_IS_RESULT (result));
  g_return_if_fail (image == NULL || G_IS_FILE (image));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, imgscan_history_add_async);
  /* A reply written to disk is reported as kept, even when cancelled meanwhile. */
  g_task_set_check_cancellable (task, FALSE);

  data = g_new0 (AddData, 1);
  data->dir = g_object_ref (self->dir);
  data->raw_reply = g_bytes_ref (raw_reply);
  data->result = g_object_ref (result);
  data->image = image ? g_object_ref (image) : NULL;
  data->sandbox = sandbox;

  write = g_task_new (self, cancellable, add_write_cb, task);
  g_task_set_source_tag (write, add_thread);
  g_task_set_check_cancellable (write, FALSE);
  g_task_set_task_data (write, data, (GDestroyNotify)add_data_free);
  g_task_run_in_thread (write, add_thread);
}

/**
 * imgscan_history_add_finish:
 *
 * Returns: (transfer full): the new entry.
 */
ImgscanHistoryEntry *
imgscan_history_add_finish (ImgscanHistory  *self,
                            GAsyncResult    *result,
                            GError         **error)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == imgscan_history_add_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Removing, with room for undo */

/**
 * imgscan_history_hide:
 *
 * Takes the entry out of the model but keeps its files, so that a window can offer
 * undo: call imgscan_history_restore() to put it back, or imgscan_history_remove() to
 * delete it for good when the undo toast goes away. If the program exits in between,
 * the entry simply comes back on the next load: nothing paid for is lost by accident.
 *
 * Returns: (transfer full) (nullable): the hidden entry, %NULL when not listed.
 */
ImgscanHistoryEntry *
imgscan_history_hide (ImgscanHistory *self,
                      const char     *scan_id)
{
  ImgscanHistoryEntry *entry;

  g_return_val_if_fail (IMGSCAN_IS_HISTORY (self), NULL);
  g_return_val_if_fail (scan_id != NULL, NULL);

  entry = g_hash_table_lookup (self->by_id, scan_id);
  if (entry == NULL)
    return NULL;

  g_object_ref (entry);
  remove_from_model (self, entry);
  g_hash_table_insert (self->hidden, (gpointer)imgscan_history_entry_get_scan_id (entry),
                       g_object_ref (entry));
  return entry;
}

/* Puts back an entry taken out by imgscan_history_hide(). */
void
imgscan_history_restore (ImgscanHistory      *self,
                         ImgscanHistoryEntry *entry)
{
  g_return_if_fail (IMGSCAN_IS_HISTORY (self));
  g_return_if_fail (IMGSCAN_IS_HISTORY_ENTRY (entry));

  insert_sorted (self, entry);
}

gboolean
imgscan_history_remove (ImgscanHistory  *self,
                        const char      *scan_id,
                        GError         **error)
{
  g_autoptr(ImgscanHistoryEntry) entry = NULL;

  g_return_val_if_fail (IMGSCAN_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (scan_id != NULL, FALSE);

  entry = g_hash_table_lookup (self->by_id, scan_id);
  if (entry == NULL)
    entry = g_hash_table_lookup (self->hidden, scan_id);
  if (entry == NULL)
    {
      g_set_error (error, IMGSCAN_HISTORY_ERROR, IMGSCAN_HISTORY_ERROR_NOT_FOUND,
                   _("There is no scan %s in the history"), scan_id);
      return FALSE;
    }
  g_object_ref (entry);

  if (!imgscan_history_store_delete (self->dir, entry, error))
    return FALSE;

  if (self->n_loading > 0)
    {
      g_hash_table_remove (self->added_while_loading, scan_id);
      g_hash_table_add (self->removed_while_loading, g_strdup (scan_id));
    }
  remove_from_model (self, entry);
  g_hash_table_remove (self->hidden, scan_id);
  return TRUE;
}

ImgscanHistoryEntry *
imgscan_history_lookup (ImgscanHistory *self,
                        const char     *scan_id)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY (self), NULL);
  g_return_val_if_fail (scan_id != NULL, NULL);

  return g_hash_table_lookup (self->by_id, scan_id);
}

/**
 * imgscan_history_find_previous:
 *
 * Returns: (transfer none) (nullable): the newest other scan of the same photo.
 */
ImgscanHistoryEntry *
imgscan_history_find_previous (ImgscanHistory *self,
                               const char     *content_hash,
                               const char     *scan_id)
{
  g_return_val_if_fail (IMGSCAN_IS_HISTORY (self), NULL);

  if (content_hash == NULL || content_hash[0] == '\0')
    return NULL;

  for (guint i = 0; i < self->items->len; i++)
    {
      ImgscanHistoryEntry *entry = g_ptr_array_index (self->items, i);

      if (g_strcmp0 (imgscan_history_entry_get_scan_id (entry), scan_id) != 0 &&
          g_strcmp0 (imgscan_history_entry_get_content_hash (entry), content_hash) == 0)
        return entry;
    }

  return NULL;
}

char **
imgscan_result_diff (ImgscanResult *current,
                     ImgscanResult *previous)
{
  GListModel *now, *before;
  g_autoptr(GHashTable) old_urls = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) new_urls = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GStrvBuilder) gone = g_strv_builder_new ();

  g_return_val_if_fail (IMGSCAN_IS_RESULT (current), NULL);
  g_return_val_if_fail (IMGSCAN_IS_RESULT (previous), NULL);

  now = imgscan_result_get_matches (current);
  before = imgscan_result_get_matches (previous);

  /* The match objects are owned by their results, which outlive these tables. */
  for (guint i = 0; i < g_list_model_get_n_items (before); i++)
    {
      g_autoptr(ImgscanMatch) match = g_list_model_get_item (before, i);

      g_hash_table_add (old_urls, (gpointer)imgscan_match_get_url (match));
    }

  for (guint i = 0; i < g_list_model_get_n_items (now); i++)
    {
      g_autoptr(ImgscanMatch) match = g_list_model_get_item (now, i);
      const char *url = imgscan_match_get_url (match);

      imgscan_match_set_is_new (match, !g_hash_table_contains (old_urls, url));
      g_hash_table_add (new_urls, (gpointer)url);
    }

  for (guint i = 0; i < g_list_model_get_n_items (before); i++)
    {
      g_autoptr(ImgscanMatch) match = g_list_model_get_item (before, i);

      if (!g_hash_table_contains (new_urls, imgscan_match_get_url (match)))
        g_strv_builder_add (gone, imgscan_match_get_url (match));
    }

  return g_strv_builder_end (gone);
}

char *
imgscan_history_keep_unreadable_reply (GBytes  *raw_reply,
                                       GError **error)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "imgscan",
                                           "unreadable-replies", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *name = g_strdup_printf ("reply-%s-%.8s.json", stamp, uuid);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  gsize size = 0;
  const char *data;

  g_return_val_if_fail (raw_reply != NULL, NULL);

  data = g_bytes_get_data (raw_reply, &size);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot create %s: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }
  if (!g_file_set_contents_full (path, data != NULL ? data : "", size,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, error))
    return NULL;

  return g_steal_pointer (&path);
}
