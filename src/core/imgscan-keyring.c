/* imgscan-keyring.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-keyring"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

#include "imgscan-keyring.h"

#define KIND_ACCOUNT "account"
#define KIND_TOKEN   "token"

/* One schema for both items; "kind" tells the API key from the cached access token. */
static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "org.example.ImgScan.Account", SECRET_SCHEMA_NONE,
    {
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "email", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

gboolean
imgscan_keyring_is_available (void)
{
  const char *address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  const char *runtime_dir = g_getenv ("XDG_RUNTIME_DIR");
  g_autofree char *socket_path = NULL;
  g_autoptr(GDBusConnection) bus = NULL;

  /* Without an address GLib would try to autolaunch a bus (X11 only, and slow):
   * only ask when one is announced or sits at the systemd user bus path. */
  if (address == NULL || *address == '\0')
    {
      if (runtime_dir == NULL || *runtime_dir == '\0')
        return FALSE;
      socket_path = g_build_filename (runtime_dir, "bus", NULL);
      if (!g_file_test (socket_path, G_FILE_TEST_EXISTS))
        return FALSE;
    }

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  return bus != NULL && !g_dbus_connection_is_closed (bus);
}

gboolean
imgscan_keyring_store_account (const char    *email,
                               const char    *key,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autofree char *label = NULL;

  g_return_val_if_fail (email != NULL && *email != '\0', FALSE);
  g_return_val_if_fail (key != NULL && *key != '\0', FALSE);

  /* One account at a time: signing in as someone else replaces the previous one. */
  if (!imgscan_keyring_clear_account (cancellable, error))
    return FALSE;

  label = g_strdup_printf (_("Copyleaks API key for %s (ImgScan)"), email);
  return secret_password_store_sync (get_schema (), SECRET_COLLECTION_DEFAULT, label, key,
                                     cancellable, error,
                                     "kind", KIND_ACCOUNT,
                                     "email", email,
                                     NULL);
}

gboolean
imgscan_keyring_lookup_account (char         **email,
                                char         **key,
                                GCancellable  *cancellable,
                                GError       **error)
{
  GList *items;
  SecretRetrievable *item;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(SecretValue) value = NULL;
  const char *found_email;
  const char *secret;

  g_return_val_if_fail (email != NULL && key != NULL, FALSE);
  *email = NULL;
  *key = NULL;

  items = secret_password_search_sync (get_schema (),
                                       SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                                       cancellable, error,
                                       "kind", KIND_ACCOUNT,
                                       NULL);
  if (items == NULL)
    return FALSE;

  item = items->data;
  attributes = secret_retrievable_get_attributes (item);
  found_email = g_hash_table_lookup (attributes, "email");
  value = secret_retrievable_retrieve_secret_sync (item, cancellable, error);
  g_list_free_full (items, g_object_unref);

  if (value == NULL)
    return FALSE;
  secret = secret_value_get_text (value);
  if (found_email == NULL || *found_email == '\0' || secret == NULL || *secret == '\0')
    return FALSE;

  *email = g_strdup (found_email);
  *key = g_strdup (secret);
  return TRUE;
}

gboolean
imgscan_keyring_clear_account (GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  /* clear_sync returns FALSE without an error when nothing matched. */
  secret_password_clear_sync (get_schema (), cancellable, &local_error, "kind", KIND_ACCOUNT, NULL);
  if (local_error == NULL)
    secret_password_clear_sync (get_schema (), cancellable, &local_error, "kind", KIND_TOKEN, NULL);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

gboolean
imgscan_keyring_store_token (const char    *email,
                             const char    *token,
                             GDateTime     *expires,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *expires_s = NULL;
  g_autofree char *label = NULL;
  char *secret;
  gboolean ok;

  g_return_val_if_fail (email != NULL && *email != '\0', FALSE);
  g_return_val_if_fail (token != NULL && *token != '\0', FALSE);
  g_return_val_if_fail (expires != NULL, FALSE);

  /* The expiry travels inside the secret, so the item is self-contained. */
  expires_s = g_date_time_format_iso8601 (expires);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "expires");
  json_builder_add_string_value (builder, expires_s);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  secret = json_to_string (root, FALSE);

  label = g_strdup_printf (_("Copyleaks access token for %s (ImgScan)"), email);
  ok = secret_password_store_sync (get_schema (), SECRET_COLLECTION_DEFAULT, label, secret,
                                   cancellable, error,
                                   "kind", KIND_TOKEN,
                                   "email", email,
                                   NULL);
  secret_password_wipe (secret);
  g_free (secret);
  return ok;
}

/* Someone may have edited the item (Seahorse shows it): check the type before reading. */
static const char *
string_member (JsonObject *obj,
               const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
imgscan_keyring_lookup_token (const char    *email,
                              char         **token,
                              GDateTime    **expires,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;
  JsonObject *obj;
  const char *token_s;
  const char *expires_s;
  GDateTime *when;
  char *secret;
  gboolean parsed;

  g_return_val_if_fail (email != NULL, FALSE);
  g_return_val_if_fail (token != NULL && expires != NULL, FALSE);
  *token = NULL;
  *expires = NULL;

  secret = secret_password_lookup_sync (get_schema (), cancellable, error,
                                        "kind", KIND_TOKEN,
                                        "email", email,
                                        NULL);
  if (secret == NULL)
    return FALSE;
  parsed = json_parser_load_from_data (parser, secret, -1, NULL);
  secret_password_free (secret);

  /* A damaged item is as good as none: the caller logs in again and overwrites it. */
  if (!parsed || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  obj = json_node_get_object (root);
  token_s = string_member (obj, "token");
  expires_s = string_member (obj, "expires");
  if (token_s == NULL || *token_s == '\0' || expires_s == NULL)
    return FALSE;
  when = g_date_time_new_from_iso8601 (expires_s, NULL);
  if (when == NULL)
    return FALSE;

  *token = g_strdup (token_s);
  *expires = when;
  return TRUE;
}
