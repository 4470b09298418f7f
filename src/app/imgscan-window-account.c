/* imgscan-window-account.c: the window's side of the account and the preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Chooses the start page (signed out: the sign-in page), applies the GSettings keys
 * (sandbox, ask-before-spending, load-thumbnails, window size), opens the preferences
 * and reacts to signing in and out.
 */

#define G_LOG_DOMAIN "imgscan-window-account"

#include "config.h"

#include <glib/gi18n.h>

#include "imgscan-preferences-window.h"
#include "imgscan-sign-in-page.h"
#include "imgscan-window-private.h"

/* The schema id is the same for the Devel app id: settings follow the user. */
#define SCHEMA_ID "org.example.ImgScan"

typedef struct
{
  GSettings                *settings;      /* NULL when the schema is missing */
  ImgscanSignInPage        *sign_in_page;
  ImgscanPreferencesWindow *prefs;         /* weak */
  AdwMessageDialog         *confirm;       /* weak: the ask-before-spending dialog */
  GCancellable             *lookup;        /* the keyring look-up for the start page */
  GFile                    *pending;       /* a photo to scan once signed in */
  char                     *state;         /* the page shown before the current one */
  guint                     mapped : 1;
} Account;

static void
account_free (Account *account)
{
  if (account->lookup != NULL)
    g_cancellable_cancel (account->lookup);
  g_clear_object (&account->lookup);
  g_clear_weak_pointer (&account->prefs);
  g_clear_weak_pointer (&account->confirm);
  g_clear_object (&account->sign_in_page);
  g_clear_object (&account->settings);
  g_clear_object (&account->pending);
  g_free (account->state);
  g_free (account);
}

static Account *
get_account (ImgscanWindow *self)
{
  return g_object_get_data (G_OBJECT (self), "imgscan-window-account");
}

static GSettings *
new_settings (void)
{
  static gboolean warned;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE);
  if (schema == NULL)
    {
      /* Running uninstalled without GSETTINGS_SCHEMA_DIR: work with the defaults. */
      if (!warned)
        g_warning ("The settings schema %s is not installed: using the defaults, and changes "
                   "will not be kept", SCHEMA_ID);
      warned = TRUE;
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

static gboolean
get_boolean (Account    *account,
             const char *key,
             gboolean    fallback)
{
  return account->settings != NULL ? g_settings_get_boolean (account->settings, key) : fallback;
}

static void
show_page (ImgscanWindow *self,
           const char    *name)
{
  if (g_strcmp0 (imgscan_window_get_state (self), name) == 0)
    return;

  if (g_str_equal (name, "sign-in"))
    adw_window_title_set_subtitle (self->window_title, "");
  gtk_stack_set_visible_child_name (self->stack, name);
}

static gboolean
at_start (ImgscanWindow *self)
{
  const char *state = imgscan_window_get_state (self);

  return g_strcmp0 (state, "empty") == 0 || g_strcmp0 (state, "sign-in") == 0;
}

/* ---- the start page ---- */

typedef struct
{
  char *email;
  char *key;
} Found;

static void
found_free (Found *found)
{
  g_free (found->email);
  if (found->key != NULL)
    memset (found->key, 0, strlen (found->key));
  g_free (found->key);
  g_free (found);
}

static void
lookup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Found *found = g_new0 (Found, 1);
  GError *error = NULL;

  /* Only libsecret here: the client itself is touched on the main thread only. */
  if (!imgscan_keyring_lookup_account (&found->email, &found->key, cancellable, &error))
    {
      found_free (found);
      if (error != NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, NULL, NULL);
      return;
    }
  g_task_return_pointer (task, found, (GDestroyNotify) found_free);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  ImgscanWindow *self = IMGSCAN_WINDOW (object);
  ImgscanClient *client = user_data;
  Found *found;
  g_autoptr(GError) error = NULL;
  Account *account;

  found = g_task_propagate_pointer (G_TASK (res), &error);
  account = get_account (self);

  /* Closed, replaced, or the user moved on (a scan runs its own look-up). */
  if (account == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      client != self->client || !at_start (self))
    {
      g_clear_pointer (&found, found_free);
      return;
    }

  g_clear_object (&account->lookup);

  if (found != NULL)
    {
      if (!imgscan_client_has_credentials (client))
        imgscan_client_set_credentials (client, found->email, found->key);
      found_free (found);
      show_page (self, "empty");
    }
  else
    {
      if (error != NULL)
        {
          g_autofree char *note = g_strdup_printf (_("Your keyring could not be read (%s). "
                                                     "Unlock it and restart ImgScan, or sign in again."),
                                                   error->message);

          imgscan_sign_in_page_set_note (account->sign_in_page, note);
        }
      show_page (self, "sign-in");
    }

  /* Same client, now with credentials: the preferences show the account. */
  if (account->prefs != NULL)
    imgscan_preferences_window_set_client (account->prefs, client);
}

/* Signed out (first run, after a sign-out): the sign-in page; an account in the
 * environment or the keyring: the empty state. Only while nothing else is shown. */
static void
update_start_page (ImgscanWindow *self)
{
  Account *account = get_account (self);
  ImgscanClient *client;
  const char *email = g_getenv ("IMGSCAN_EMAIL");
  const char *key = g_getenv ("IMGSCAN_API_KEY");
  g_autoptr(GTask) task = NULL;

  if (account == NULL || !account->mapped || !at_start (self))
    return;

  if (account->lookup != NULL)
    {
      g_cancellable_cancel (account->lookup);
      g_clear_object (&account->lookup);
    }

  if (self->demo)
    {
      show_page (self, "empty");
      return;
    }

  client = imgscan_window_get_client (self);
  imgscan_sign_in_page_set_client (account->sign_in_page, client);

  if (!imgscan_client_has_credentials (client) && email != NULL && *email != '\0' && key != NULL && *key != '\0')
    imgscan_client_set_credentials (client, email, key);

  if (imgscan_client_has_credentials (client))
    {
      show_page (self, "empty");
      return;
    }
  if (!imgscan_client_get_use_keyring (client))
    {
      show_page (self, "sign-in");
      return;
    }

  account->lookup = g_cancellable_new ();
  task = g_task_new (self, account->lookup, lookup_cb, client);
  g_task_set_source_tag (task, update_start_page);
  /* The client is compared, not used, in the callback; the window keeps it alive. */
  g_task_set_task_data (task, g_object_ref (client), g_object_unref);
  g_task_run_in_thread (task, lookup_thread);
}

static void
map_cb (ImgscanWindow *self)
{
  Account *account = get_account (self);

  if (account->mapped)
    return;
  account->mapped = TRUE;
  update_start_page (self);
}

static void
client_changed_cb (ImgscanWindow *self)
{
  Account *account = get_account (self);

  if (account->prefs != NULL)
    imgscan_preferences_window_set_client (account->prefs, imgscan_window_get_client (self));
  update_start_page (self);
}

static void
demo_changed_cb (ImgscanWindow *self)
{
  Account *account = get_account (self);

  if (account->prefs != NULL)
    imgscan_preferences_window_set_demo (account->prefs, self->demo);
}

/* ---- signing in and out ---- */

static void
signed_in_cb (ImgscanSignInPage *page,
              ImgscanClient     *client,
              const char        *warning,
              ImgscanWindow     *self)
{
  Account *account = get_account (self);
  g_autoptr(GFile) pending = NULL;
  g_autofree char *text = NULL;
  g_autofree char *markup = NULL;

  /* The window was closed while the sign-in finished. */
  if (account == NULL || self->stack == NULL)
    return;

  pending = g_steal_pointer (&account->pending);
  if (self->demo)
    {
      self->demo = FALSE;
      g_object_notify (G_OBJECT (self), "demo");
    }
  imgscan_window_set_client (self, client);
  imgscan_window_set_sandbox (self, get_boolean (account, "sandbox", FALSE));
  imgscan_sign_in_page_set_note (page, NULL);
  show_page (self, "empty");

  if (warning != NULL)
    text = g_strdup_printf (_("Signed in for this session only: the account could not be kept in "
                              "the keyring (%s)"), warning);
  else
    text = g_strdup_printf (_("Signed in as %s"), imgscan_client_get_email (client));
  markup = g_markup_escape_text (text, -1);
  adw_toast_overlay_add_toast (self->toast_overlay,
                               g_object_new (ADW_TYPE_TOAST, "title", markup,
                                             "timeout", warning != NULL ? 0 : 5, NULL));

  /* The photo that was waiting for an account. */
  if (pending != NULL)
    imgscan_window_open_file (self, pending);
}

static void
signed_out_cb (ImgscanPreferencesWindow *prefs,
               ImgscanWindow            *self)
{
  Account *account = get_account (self);
  ImgscanClient *old;
  g_autofree char *email = NULL;
  g_autoptr(ImgscanClient) client = NULL;

  if (account == NULL || self->stack == NULL)
    return;

  old = imgscan_window_get_client (self);
  email = g_strdup (imgscan_client_get_email (old));

  /* A fresh client: the old one holds the key and the token in memory. */
  client = imgscan_client_new (imgscan_client_get_id_url (old), imgscan_client_get_api_url (old));
  imgscan_client_set_use_keyring (client, imgscan_client_get_use_keyring (old));
  imgscan_window_set_client (self, client);

  imgscan_results_view_clear (self->results_view);
  g_clear_object (&self->file);
  imgscan_sign_in_page_set_client (account->sign_in_page, client);
  imgscan_sign_in_page_set_email (account->sign_in_page, email);
  show_page (self, "sign-in");

  gtk_window_close (GTK_WINDOW (prefs));
  imgscan_window_add_toast (self, _("Signed out: the API key and the access token were removed from the keyring"));
}

static void
prefs_sign_in_cb (ImgscanPreferencesWindow *prefs,
                  ImgscanWindow            *self)
{
  gtk_window_close (GTK_WINDOW (prefs));
  gtk_widget_activate_action (GTK_WIDGET (self), "win.sign-in", NULL);
}

static void
sign_in_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  ImgscanWindow *self = user_data;
  Account *account = get_account (self);
  const char *state = imgscan_window_get_state (self);

  if (g_strcmp0 (state, "scanning") == 0)
    return;

  /* From "no account is set" after a photo arrived: scan it once signed in. */
  g_clear_object (&account->pending);
  imgscan_sign_in_page_set_note (account->sign_in_page, NULL);
  if (g_strcmp0 (state, "no-credentials") == 0 && self->file != NULL)
    {
      g_autofree char *name = g_file_get_basename (self->file);
      g_autofree char *note = g_strdup_printf (_("Sign in to scan “%s”."), name);

      account->pending = g_object_ref (self->file);
      imgscan_sign_in_page_set_note (account->sign_in_page, note);
    }

  imgscan_sign_in_page_set_client (account->sign_in_page, imgscan_window_get_client (self));
  show_page (self, "sign-in");
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  ImgscanWindow *self = user_data;
  Account *account = get_account (self);
  ImgscanPreferencesWindow *prefs;

  if (account->prefs != NULL)
    {
      gtk_window_present (GTK_WINDOW (account->prefs));
      return;
    }

  prefs = imgscan_preferences_window_new (GTK_WINDOW (self), imgscan_window_get_client (self),
                                          account->settings, self->demo);
  g_set_weak_pointer (&account->prefs, prefs);
  g_signal_connect_object (prefs, "signed-out", G_CALLBACK (signed_out_cb), self, 0);
  g_signal_connect_object (prefs, "sign-in", G_CALLBACK (prefs_sign_in_cb), self, 0);
  gtk_window_present (GTK_WINDOW (prefs));
}

/* ---- after each scan: the balance ---- */

static void
state_changed_cb (ImgscanWindow *self)
{
  Account *account = get_account (self);
  const char *state = imgscan_window_get_state (self);

  if (g_strcmp0 (account->state, "scanning") == 0 &&
      (g_strcmp0 (state, "results") == 0 || g_strcmp0 (state, "error") == 0) &&
      account->prefs != NULL)
    imgscan_preferences_window_refresh_credits (account->prefs);

  g_free (account->state);
  account->state = g_strdup (state);
}

/* ---- settings ---- */

static void
sandbox_changed_cb (ImgscanWindow *self)
{
  /* The demo is always sandboxed. */
  if (!self->demo)
    imgscan_window_set_sandbox (self, get_boolean (get_account (self), "sandbox", FALSE));
}

static void
thumbnails_changed_cb (ImgscanWindow *self)
{
  /* Privacy: when off, no request goes to the sites where matches were found. */
  imgscan_thumbnail_loader_set_network_enabled (imgscan_thumbnail_loader_get_default (),
                                                get_boolean (get_account (self), "load-thumbnails", TRUE));
}

static void
restore_size (ImgscanWindow *self)
{
  Account *account = get_account (self);
  int width, height;

  if (account->settings == NULL)
    return;

  width = g_settings_get_int (account->settings, "window-width");
  height = g_settings_get_int (account->settings, "window-height");
  /* Never smaller than the layout's minimum (360 px wide). */
  gtk_window_set_default_size (GTK_WINDOW (self), MAX (width, 360), MAX (height, 294));
  if (g_settings_get_boolean (account->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_size (ImgscanWindow *self)
{
  Account *account = get_account (self);
  int width = 0, height = 0;

  if (account == NULL || account->settings == NULL)
    return;

  /* The default size is the unmaximized size, also while maximized. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (account->settings, "window-width", width);
      g_settings_set_int (account->settings, "window-height", height);
    }
  g_settings_set_boolean (account->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
}

/* ---- ask before spending ---- */

typedef struct
{
  ImgscanWindow      *self;         /* strong */
  GCancellable       *cancellable;
  gulong              cancelled_id;
  ImgscanConfirmFunc  func;
  gpointer            user_data;
} Confirm;

/* Exactly once per question: answered, cancelled, or the dialog went with its window. */
static void
confirm_done (Confirm          *confirm,
              AdwMessageDialog *dialog,
              gboolean          go,
              gboolean          declined)
{
  g_signal_handlers_disconnect_by_data (dialog, confirm);
  g_signal_handler_disconnect (confirm->cancellable, confirm->cancelled_id);

  /* Declined: back to the start, nothing sent. */
  if (declined)
    gtk_widget_activate_action (GTK_WIDGET (confirm->self), "win.cancel", NULL);

  confirm->func (confirm->user_data, go);

  g_object_unref (confirm->self);
  g_object_unref (confirm->cancellable);
  g_free (confirm);
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     Confirm          *confirm)
{
  gboolean cancelled = g_cancellable_is_cancelled (confirm->cancellable);
  gboolean go = !cancelled && g_strcmp0 (response, "scan") == 0;

  confirm_done (confirm, dialog, go, !go && !cancelled);
}

static void
confirm_destroy_cb (AdwMessageDialog *dialog,
                    Confirm          *confirm)
{
  /* Destroyed with its window before any answer: nothing is sent. */
  confirm_done (confirm, dialog, FALSE, FALSE);
}

static void
confirm_cancelled_cb (GCancellable     *cancellable,
                      AdwMessageDialog *dialog)
{
  /* A new photo, Esc or a closed window: the question no longer stands. */
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_close (GTK_WINDOW (dialog));
}

void
_imgscan_window_confirm_scan (ImgscanWindow      *self,
                              GFile              *file,
                              GCancellable       *cancellable,
                              ImgscanConfirmFunc  func,
                              gpointer            user_data)
{
  Account *account = get_account (self);
  AdwMessageDialog *dialog;
  Confirm *confirm;
  g_autofree char *name = NULL;
  g_autofree char *heading = NULL;

  g_return_if_fail (IMGSCAN_IS_WINDOW (self));
  g_return_if_fail (G_IS_CANCELLABLE (cancellable));

  /* Off by default, so that a dropped photo is scanned at once; the demo spends nothing. */
  if (account == NULL || self->demo || !get_boolean (account, "ask-before-spending", FALSE))
    {
      func (user_data, TRUE);
      return;
    }

  name = file != NULL ? g_file_get_basename (file) : NULL;
  heading = name != NULL ? g_strdup_printf (_("Scan “%s”?"), name) : g_strdup (_("Scan This Photo?"));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, NULL));
  if (self->sandbox)
    adw_message_dialog_set_body (dialog, _("Sandbox mode is on: this scan is free, and its results are "
                                           "mock results, not real matches."));
  else
    adw_message_dialog_set_body (dialog, _("This scan will use about 1 credit of your Copyleaks account."));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Don’t Scan"),
                                    "scan", _("_Scan"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "scan", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "scan");
  adw_message_dialog_set_close_response (dialog, "cancel");

  confirm = g_new0 (Confirm, 1);
  confirm->self = g_object_ref (self);
  confirm->cancellable = g_object_ref (cancellable);
  confirm->func = func;
  confirm->user_data = user_data;
  confirm->cancelled_id = g_signal_connect_object (cancellable, "cancelled",
                                                   G_CALLBACK (confirm_cancelled_cb), dialog, 0);
  g_signal_connect (dialog, "response", G_CALLBACK (confirm_response_cb), confirm);
  g_signal_connect (dialog, "destroy", G_CALLBACK (confirm_destroy_cb), confirm);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);

  g_set_weak_pointer (&account->confirm, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- set-up ---- */

static void
destroy_cb (ImgscanWindow *self)
{
  Account *account = get_account (self);

  /* Closing the window ends what is still running for it. */
  if (account->lookup != NULL)
    g_cancellable_cancel (account->lookup);
  gtk_widget_activate_action (GTK_WIDGET (account->sign_in_page), "sign-in.cancel", NULL);
}

static const GActionEntry account_entries[] = {
  { "preferences", preferences_action },
  { "sign-in", sign_in_action },
};

void
_imgscan_window_init_account (ImgscanWindow *self)
{
  Account *account = g_new0 (Account, 1);

  g_object_set_data_full (G_OBJECT (self), "imgscan-window-account", account, (GDestroyNotify) account_free);
  account->settings = new_settings ();
  account->state = g_strdup (imgscan_window_get_state (self));

  /* Kept until the window is finalized: its sign-in may end after the stack is gone. */
  account->sign_in_page = g_object_ref_sink (IMGSCAN_SIGN_IN_PAGE (imgscan_sign_in_page_new ()));
  gtk_stack_add_titled (self->stack, GTK_WIDGET (account->sign_in_page), "sign-in", _("Sign In"));
  g_signal_connect_object (account->sign_in_page, "signed-in", G_CALLBACK (signed_in_cb), self, 0);

  g_action_map_add_action_entries (G_ACTION_MAP (self), account_entries, G_N_ELEMENTS (account_entries), self);

  restore_size (self);
  sandbox_changed_cb (self);
  thumbnails_changed_cb (self);
  if (account->settings != NULL)
    {
      g_signal_connect_object (account->settings, "changed::sandbox",
                               G_CALLBACK (sandbox_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (account->settings, "changed::load-thumbnails",
                               G_CALLBACK (thumbnails_changed_cb), self, G_CONNECT_SWAPPED);
    }

  g_signal_connect (self, "destroy", G_CALLBACK (destroy_cb), NULL);
  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);
  g_signal_connect (self, "unrealize", G_CALLBACK (save_size), NULL);
  g_signal_connect (self, "notify::client", G_CALLBACK (client_changed_cb), NULL);
  g_signal_connect (self, "notify::demo", G_CALLBACK (demo_changed_cb), NULL);
  g_signal_connect_swapped (self->stack, "notify::visible-child-name", G_CALLBACK (state_changed_cb), self);
}

GtkWidget *
_imgscan_window_get_sign_in_page (ImgscanWindow *self)
{
  return GTK_WIDGET (get_account (self)->sign_in_page);
}

GtkWindow *
_imgscan_window_get_preferences (ImgscanWindow *self)
{
  return GTK_WINDOW (get_account (self)->prefs);
}

GtkWindow *
_imgscan_window_get_confirm_dialog (ImgscanWindow *self)
{
  return GTK_WINDOW (get_account (self)->confirm);
}

GSettings *
_imgscan_window_get_settings (ImgscanWindow *self)
{
  return get_account (self)->settings;
}
