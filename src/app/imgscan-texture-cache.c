/* imgscan-texture-cache.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-texture-cache"

#include "config.h"

#include "imgscan-texture-cache.h"

struct _ImgscanTextureCache
{
  GObject     parent_instance;

  guint       max_entries;
  /* Most recently used at the head; the index maps a key to its link. */
  GQueue      lru;
  GHashTable *index;
};

typedef struct
{
  char       *key;
  GdkTexture *texture;
} Entry;

G_DEFINE_FINAL_TYPE (ImgscanTextureCache, imgscan_texture_cache, G_TYPE_OBJECT)

static void
entry_free (Entry *entry)
{
  g_free (entry->key);
  g_clear_object (&entry->texture);
  g_free (entry);
}

static char *
make_key (const char *url,
          int         size)
{
  return g_strdup_printf ("%d %s", size, url);
}

GdkTexture *
imgscan_texture_cache_lookup (ImgscanTextureCache *self,
                              const char          *url,
                              int                  size)
{
  g_autofree char *key = NULL;
  GList *link;

  g_return_val_if_fail (IMGSCAN_IS_TEXTURE_CACHE (self), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  key = make_key (url, size);
  link = g_hash_table_lookup (self->index, key);
  if (link == NULL)
    return NULL;

  g_queue_unlink (&self->lru, link);
  g_queue_push_head_link (&self->lru, link);
  return g_object_ref (((Entry *) link->data)->texture);
}

GdkTexture *
imgscan_texture_cache_add_pixbuf (ImgscanTextureCache *self,
                                  const char          *url,
                                  int                  size,
                                  GdkPixbuf           *pixbuf)
{
  g_autofree char *key = NULL;
  GdkTexture *texture;
  GList *link;
  Entry *entry;

  g_return_val_if_fail (IMGSCAN_IS_TEXTURE_CACHE (self), NULL);
  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (GDK_IS_PIXBUF (pixbuf), NULL);

  texture = gdk_texture_new_for_pixbuf (pixbuf);
  if (self->max_entries == 0)
    return texture;

  key = make_key (url, size);
  link = g_hash_table_lookup (self->index, key);
  if (link != NULL)
    {
      entry = link->data;
      g_set_object (&entry->texture, texture);
      g_queue_unlink (&self->lru, link);
      g_queue_push_head_link (&self->lru, link);
      return texture;
    }

  while (self->lru.length >= self->max_entries)
    {
      Entry *oldest = g_queue_pop_tail (&self->lru);

      g_hash_table_remove (self->index, oldest->key);
      entry_free (oldest);
    }

  entry = g_new0 (Entry, 1);
  entry->key = g_steal_pointer (&key);
  entry->texture = g_object_ref (texture);
  g_queue_push_head (&self->lru, entry);
  g_hash_table_insert (self->index, entry->key, self->lru.head);

  return texture;
}

guint
imgscan_texture_cache_get_n_entries (ImgscanTextureCache *self)
{
  g_return_val_if_fail (IMGSCAN_IS_TEXTURE_CACHE (self), 0);

  return self->lru.length;
}

static void
imgscan_texture_cache_finalize (GObject *object)
{
  ImgscanTextureCache *self = IMGSCAN_TEXTURE_CACHE (object);

  g_hash_table_destroy (self->index);
  g_queue_clear_full (&self->lru, (GDestroyNotify) entry_free);

  G_OBJECT_CLASS (imgscan_texture_cache_parent_class)->finalize (object);
}

static void
imgscan_texture_cache_class_init (ImgscanTextureCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = imgscan_texture_cache_finalize;
}

static void
imgscan_texture_cache_init (ImgscanTextureCache *self)
{
  g_queue_init (&self->lru);
  self->index = g_hash_table_new (g_str_hash, g_str_equal);
}

ImgscanTextureCache *
imgscan_texture_cache_new (guint max_entries)
{
  ImgscanTextureCache *self = g_object_new (IMGSCAN_TYPE_TEXTURE_CACHE, NULL);

  self->max_entries = max_entries;
  return self;
}

ImgscanTextureCache *
imgscan_texture_cache_get_default (void)
{
  static ImgscanTextureCache *default_cache;

  if (g_once_init_enter (&default_cache))
    g_once_init_leave (&default_cache, imgscan_texture_cache_new (IMGSCAN_TEXTURE_CACHE_DEFAULT_ENTRIES));

  return default_cache;
}
