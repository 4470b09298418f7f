/* imgscan-window.c: the main window and the scan flow
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-window"

#include "config.h"

#include <glib/gi18n.h>

#include "imgscan-window-private.h"

G_DEFINE_FINAL_TYPE (ImgscanWindow, imgscan_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_SANDBOX,
  PROP_DEMO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void start_scan (ImgscanWindow *self);
static void imgscan_window_realize (GtkWidget *widget);
static void imgscan_window_unrealize (GtkWidget *widget);

/* One scan's state for its callbacks; the window may be closed before they run. */
typedef struct
{
  ImgscanWindow *self;        /* strong: released when the scan ends */
  GCancellable  *cancellable;
  GFile         *file;
} Scan;

static void
scan_free (Scan *scan)
{
  g_clear_object (&scan->self);
  g_clear_object (&scan->cancellable);
  g_clear_object (&scan->file);
  g_free (scan);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Scan, scan_free)

static void
set_state (ImgscanWindow *self,
           const char    *state)
{
  gboolean scanning = g_str_equal (state, "scanning");

  if (!scanning)
    imgscan_scan_view_stop (self->scan_view);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel", scanning);
  gtk_stack_set_visible_child_name (self->stack, state);
}

void
imgscan_window_add_toast (ImgscanWindow *self,
                          const char    *title)
{
  g_autofree char *markup = NULL;

  g_return_if_fail (IMGSCAN_IS_WINDOW (self));

  /* Toast titles are markup; file names and server messages are not. */
  markup = g_markup_escape_text (title, -1);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (markup));
  g_free (self->last_toast);
  self->last_toast = g_strdup (title);
}

const char *
_imgscan_window_get_last_toast (ImgscanWindow *self)
{
  g_return_val_if_fail (IMGSCAN_IS_WINDOW (self), NULL);

  return self->last_toast;
}

/* Title and advice for an error, so each one says what happened and what to do next. */
static void
show_error (ImgscanWindow *self,
            const GError  *error)
{
  const char *title = _("The scan failed");
  const char *advice = NULL;
  gboolean retry = FALSE;
  g_autofree char *description = NULL;
  g_autofree char *markup = NULL;

  /* The core's messages already say what to do; add advice only where they may not. */
  if (error->domain == IMGSCAN_IMAGE_ERROR)
    {
      title = _("This photo cannot be scanned");
      advice = _("Nothing was sent.");
    }
  else if (error->domain == IMGSCAN_CLIENT_ERROR)
    {
      switch ((ImgscanClientError) error->code)
        {
        case IMGSCAN_CLIENT_ERROR_INVALID_INPUT:
          title = _("Copyleaks refused the request");
          break;
        case IMGSCAN_CLIENT_ERROR_NO_CREDENTIALS:
          set_state (self, "no-credentials");
          return;
        case IMGSCAN_CLIENT_ERROR_AUTHENTICATION:
          title = _("Copyleaks did not accept your account");
          break;
        case IMGSCAN_CLIENT_ERROR_NOT_ENOUGH_CREDITS:
          title = _("Not enough credits");
          break;
        case IMGSCAN_CLIENT_ERROR_RATE_LIMITED:
          title = _("Too many requests");
          retry = TRUE;
          break;
        case IMGSCAN_CLIENT_ERROR_MAINTENANCE:
          title = _("Copyleaks is under maintenance");
          retry = TRUE;
          break;
        case IMGSCAN_CLIENT_ERROR_SERVER:
          title = _("Copyleaks had a problem");
          retry = TRUE;
          break;
        case IMGSCAN_CLIENT_ERROR_NETWORK:
          title = _("No connection to Copyleaks");
          retry = TRUE;
          break;
        case IMGSCAN_CLIENT_ERROR_INVALID_RESPONSE:
          title = _("Copyleaks sent an unexpected reply");
          retry = TRUE;
          break;
        default:
          retry = TRUE;
          break;
        }
    }
  else
    retry = TRUE;

  description = advice != NULL ? g_strdup_printf ("%s\n%s", error->message, advice)
                               : g_strdup (error->message);

  adw_status_page_set_title (self->error_page, title);
  /* The description is markup; the server's message is not. */
  markup = g_markup_escape_text (description, -1);
  adw_status_page_set_description (self->error_page, markup);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), retry && self->file != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.retry", retry && self->file != NULL);
  set_state (self, "error");
  if (retry && self->file != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->retry_button));
}

static ImgscanHistory *
get_history (ImgscanWindow *self)
{
  if (self->history == NULL)
    {
      GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

      if (IMGSCAN_IS_APPLICATION (app))
        self->history = g_object_ref (imgscan_application_get_history (IMGSCAN_APPLICATION (app)));
      else
        self->history = imgscan_history_new (NULL);
    }

  return self->history;
}

static ImgscanClient *
ensure_client (ImgscanWindow *self)
{
  if (self->client == NULL)
    self->client = imgscan_client_new (NULL, NULL);

  return self->client;
}

typedef struct
{
  Scan          *scan;
  ImgscanResult *result;
} Keep;

static void
keep_cb (GObject      *object,
         GAsyncResult *res,
         gpointer      user_data)
{
  Keep *keep = user_data;
  g_autoptr(Scan) scan = keep->scan;
  g_autoptr(ImgscanResult) result = keep->result;
  g_autoptr(ImgscanHistoryEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  ImgscanWindow *self = scan->self;

  g_free (keep);

  entry = imgscan_history_add_finish (IMGSCAN_HISTORY (object), res, &error);

  /* The scan was replaced or cancelled while it was being kept: it is kept, not shown. */
  if (g_cancellable_is_cancelled (scan->cancellable))
    return;

  /* Shown once compared with the previous scan of the same photo (imgscan-window-history.c). */
  _imgscan_window_show_new_result (self, result, entry, scan->cancellable);

  if (entry == NULL)
    {
      g_autofree char *text = NULL;
      g_autofree char *markup = NULL;

      g_warning ("Could not keep scan %s: %s", imgscan_result_get_scan_id (result), error->message);
      text = g_strdup_printf (_("This result could not be kept in the history: %s"), error->message);
      markup = g_markup_escape_text (text, -1);
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   g_object_new (ADW_TYPE_TOAST, "title", markup, "timeout", 0, NULL));
      g_free (self->last_toast);
      self->last_toast = g_strdup (text);
    }
}

static void
keep_unreadable_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GError *error = NULL;
  char *path = imgscan_history_keep_unreadable_reply (task_data, &error);

  if (path != NULL)
    g_task_return_pointer (task, path, g_free);
  else
    g_task_return_error (task, error);
}

static void
keep_unreadable_cb (GObject      *object,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  ImgscanWindow *self = IMGSCAN_WINDOW (object);
  g_autoptr(GError) reply_error = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_task_propagate_pointer (G_TASK (res), &error);
  g_autoptr(GError) shown = NULL;

  if (path != NULL)
    shown = g_error_new (reply_error->domain, reply_error->code,
                         _("%s\nThe reply, which may have been billed, is saved as %s."),
                         reply_error->message, path);
  else
    shown = g_error_new (reply_error->domain, reply_error->code,
                         _("%s\nThe reply could not be saved either: %s"),
                         reply_error->message, error->message);
  show_error (self, shown);
}

static void
check_cb (GObject      *object,
          GAsyncResult *res,
          gpointer      user_data)
{
  g_autoptr(Scan) scan = user_data;
  ImgscanWindow *self = scan->self;
  g_autoptr(ImgscanResult) result = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GError) error = NULL;
  Keep *keep;

  result = imgscan_client_check_finish (IMGSCAN_CLIENT (object), res, &raw, NULL, &error);

  if (result == NULL)
    {
      if (g_cancellable_is_cancelled (scan->cancellable) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* A 200 reply we cannot read was still paid for: keep its bytes before saying so. */
      if (raw != NULL)
        {
          g_autoptr(GTask) task = g_task_new (self, NULL, keep_unreadable_cb,
                                              g_steal_pointer (&error));

          g_task_set_source_tag (task, check_cb);
          g_task_set_task_data (task, g_steal_pointer (&raw), (GDestroyNotify) g_bytes_unref);
          g_task_run_in_thread (task, keep_unreadable_thread);
          return;
        }
      show_error (self, error);
      return;
    }

  if (imgscan_client_check_was_resent (IMGSCAN_CLIENT (object), res))
    imgscan_window_add_toast (self, _("The connection was lost after the photo was sent, so it "
                                      "was sent again: Copyleaks may have billed this scan twice"));

  /* A paid reply is kept before it is shown, even if the window closes meanwhile:
   * no cancellable here on purpose. */
  keep = g_new0 (Keep, 1);
  keep->scan = g_steal_pointer (&scan);
  keep->result = g_object_ref (result);
  imgscan_history_add_async (get_history (self), raw, result, keep->scan->file, self->sandbox,
                             NULL, keep_cb, keep);
}

static void
progress_cb (ImgscanClientPhase phase,
             guint64            done,
             guint64            total,
             gpointer           user_data)
{
  Scan *scan = user_data;

  if (!g_cancellable_is_cancelled (scan->cancellable))
    imgscan_scan_view_set_progress (scan->self->scan_view, phase, done, total);
}

static void
send_scan_now (Scan *scan)
{
  ImgscanWindow *self = scan->self;
  Scan *progress_scan;

  progress_scan = g_new0 (Scan, 1);
  progress_scan->self = g_object_ref (self);
  progress_scan->cancellable = g_object_ref (scan->cancellable);

  imgscan_client_check_async (self->client, scan->file, NULL, self->sandbox,
                              progress_cb, progress_scan, (GDestroyNotify) scan_free,
                              scan->cancellable, check_cb, scan);
}

static void
spending_confirmed_cb (gpointer user_data,
                       gboolean confirmed)
{
  Scan *scan = user_data;

  if (confirmed && !g_cancellable_is_cancelled (scan->cancellable))
    send_scan_now (scan);
  else
    scan_free (scan);
}

/* Ask-before-spending (imgscan-window-account.c) may hold the scan until the user answers. */
static void
send_scan (Scan *scan)
{
  _imgscan_window_confirm_scan (scan->self, scan->file, scan->cancellable, spending_confirmed_cb, scan);
}

static void
load_credentials_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  GError *error = NULL;
  gboolean found;

  /* The keyring is a D-Bus round trip (and maybe an unlock prompt): not on the main thread. */
  found = imgscan_client_load_credentials (IMGSCAN_CLIENT (source_object), cancellable, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, found);
}

static void
load_credentials_cb (GObject      *object,
                     GAsyncResult *res,
                     gpointer      user_data)
{
  g_autoptr(Scan) scan = user_data;
  g_autoptr(GError) error = NULL;
  gboolean found;

  found = g_task_propagate_boolean (G_TASK (res), &error);
  if (g_cancellable_is_cancelled (scan->cancellable))
    return;

  /* The client may have been replaced (demo) while the keyring was asked. */
  if (IMGSCAN_CLIENT (object) != scan->self->client)
    {
      start_scan (scan->self);
      return;
    }

  if (error != NULL)
    {
      show_error (scan->self, error);
      return;
    }
  if (!found)
    {
      set_state (scan->self, "no-credentials");
      return;
    }

  send_scan (g_steal_pointer (&scan));
}

static void
image_check_cb (GObject      *object,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr(Scan) scan = user_data;
  ImgscanWindow *self = scan->self;
  g_autoptr(ImgscanImageInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  ImgscanClient *client;
  g_autoptr(GTask) task = NULL;

  info = imgscan_image_check_finish (res, &error);
  if (g_cancellable_is_cancelled (scan->cancellable))
    return;

  if (info == NULL)
    {
      /* Refused locally: say why, send nothing, no Retry (the same file would fail again). */
      g_clear_object (&self->file);
      show_error (self, error);
      return;
    }

  imgscan_scan_view_set_info (self->scan_view, info);

  client = ensure_client (self);
  if (imgscan_client_has_credentials (client))
    {
      send_scan (g_steal_pointer (&scan));
      return;
    }

  imgscan_scan_view_set_progress (self->scan_view, IMGSCAN_CLIENT_PHASE_LOGGING_IN, 0, 0);
  task = g_task_new (client, scan->cancellable, load_credentials_cb, scan);
  g_steal_pointer (&scan);
  g_task_set_source_tag (task, image_check_cb);
  g_task_run_in_thread (task, load_credentials_thread);
}

static void
cancel_scan (ImgscanWindow *self)
{
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
}

/* Scans self->file from the start: check, credentials, upload, keep, show. */
static void
start_scan (ImgscanWindow *self)
{
  Scan *scan;

  g_return_if_fail (self->file != NULL);

  cancel_scan (self);
  self->cancellable = g_cancellable_new ();

  imgscan_results_view_clear (self->results_view);
  imgscan_scan_view_set_file (self->scan_view, self->file);
  adw_window_title_set_subtitle (self->window_title, "");
  set_state (self, "scanning");

  scan = g_new0 (Scan, 1);
  scan->self = g_object_ref (self);
  scan->cancellable = g_object_ref (self->cancellable);
  scan->file = g_object_ref (self->file);

  imgscan_image_check_async (scan->file, scan->cancellable, image_check_cb, scan);
}

void
imgscan_window_open_file (ImgscanWindow *self,
                          GFile         *file)
{
  g_autofree char *basename = NULL;

  g_return_if_fail (IMGSCAN_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  g_set_object (&self->file, file);
  g_clear_object (&self->last_folder);
  self->last_folder = g_file_get_parent (file);

  basename = g_file_get_basename (file);
  start_scan (self);
  adw_window_title_set_subtitle (self->window_title, basename);
}

void
imgscan_window_open_files (ImgscanWindow  *self,
                           GFile         **files,
                           guint           n_files)
{
  g_return_if_fail (IMGSCAN_IS_WINDOW (self));

  if (n_files == 0)
    return;

  imgscan_window_open_file (self, files[0]);

  if (n_files > 1)
    {
      g_autofree char *basename = g_file_get_basename (files[0]);
      g_autofree char *text = NULL;

      /* Never drop the others silently. */
      text = g_strdup_printf (ngettext ("One photo is scanned at a time; scanning %s (%u other was not scanned)",
                                        "One photo is scanned at a time; scanning %s (%u others were not scanned)",
                                        n_files - 1),
                              basename, n_files - 1);
      imgscan_window_add_toast (self, text);
    }
}

void
imgscan_window_show_result (ImgscanWindow *self,
                            ImgscanResult *result,
                            gboolean       from_history)
{
  const char *filename;

  g_return_if_fail (IMGSCAN_IS_WINDOW (self));
  g_return_if_fail (IMGSCAN_IS_RESULT (result));

  if (from_history)
    cancel_scan (self);

  imgscan_results_view_set_result (self->results_view, result, self->sandbox, from_history);
  /* A fresh result shows the photo just scanned (its preview may still be decoding:
   * on_preview_changed catches up); a kept one gets its own from the history. */
  self->showing_fresh = !from_history;
  imgscan_results_view_set_photo (self->results_view,
                                  from_history ? NULL : imgscan_scan_view_get_preview (self->scan_view));
  filename = imgscan_result_get_filename (result);
  if (filename != NULL && *filename != '\0')
    adw_window_title_set_subtitle (self->window_title, filename);
  set_state (self, "results");
}

gboolean
imgscan_window_open_page (ImgscanWindow *self,
                          const char    *uri)
{
  g_return_val_if_fail (IMGSCAN_IS_WINDOW (self), FALSE);

  /* javascript:, file:, data: … could run code or reveal local files: never opened. */
  if (uri == NULL || !imgscan_uri_is_web (uri))
    {
      imgscan_window_add_toast (self, _("Only web pages (http and https) are opened; this link was not"));
      return FALSE;
    }

#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkUriLauncher) launcher = gtk_uri_launcher_new (uri);

    gtk_uri_launcher_launch (launcher, GTK_WINDOW (self), NULL, NULL, NULL);
  }
#else
  gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
#endif

  return TRUE;
}

static void
copy_text (ImgscanWindow *self,
           const char    *text)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  imgscan_window_add_toast (self, _("Link copied"));
}

/* Actions */

#if GTK_CHECK_VERSION (4, 10, 0)
static void
open_dialog_cb (GObject      *object,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr(ImgscanWindow) self = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (object), res, NULL);

  if (file != NULL)
    imgscan_window_open_file (self, file);
}
#else
static void
open_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  ImgscanWindow *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        imgscan_window_open_file (self, file);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}
#endif

static GtkFileFilter *
image_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Photos"));
  gtk_file_filter_add_pixbuf_formats (filter);
  /* Copyleaks takes these even where GdkPixbuf has no loader. */
  gtk_file_filter_add_mime_type (filter, "image/webp");
  gtk_file_filter_add_mime_type (filter, "image/x-dcraw");
  gtk_file_filter_add_mime_type (filter, "image/x-canon-cr2");
  gtk_file_filter_add_mime_type (filter, "image/x-nikon-nef");
  gtk_file_filter_add_mime_type (filter, "image/x-sony-arw");
  gtk_file_filter_add_mime_type (filter, "image/x-adobe-dng");

  return filter;
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  ImgscanWindow *self = IMGSCAN_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = image_filter ();

#if GTK_CHECK_VERSION (4, 10, 0)
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

  gtk_file_dialog_set_title (dialog, _("Open a Photo"));
  gtk_file_dialog_set_default_filter (dialog, filter);
  if (self->last_folder != NULL)
    gtk_file_dialog_set_initial_folder (dialog, self->last_folder);
  gtk_file_dialog_open (dialog, GTK_WINDOW (self), NULL, open_dialog_cb, g_object_ref (self));
#else
  GtkFileChooserNative *dialog;

  /* Native, so that inside a Flatpak it goes through the file chooser portal. */
  dialog = gtk_file_chooser_native_new (_("Open a Photo"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  if (self->last_folder != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), self->last_folder, NULL);
  g_signal_connect_object (dialog, "response", G_CALLBACK (open_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
#endif
}

static void
paste_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  _imgscan_window_paste (IMGSCAN_WINDOW (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  ImgscanWindow *self = IMGSCAN_WINDOW (widget);

  if (!g_str_equal (imgscan_window_get_state (self), "scanning"))
    return;

  cancel_scan (self);
  adw_window_title_set_subtitle (self->window_title, "");
  set_state (self, "empty");
  imgscan_window_add_toast (self, _("Scan cancelled; nothing was kept"));
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  ImgscanWindow *self = IMGSCAN_WINDOW (widget);

  if (self->file != NULL)
    start_scan (self);
}

static void
copy_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  copy_text (IMGSCAN_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
open_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  imgscan_window_open_page (IMGSCAN_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
try_demo_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  ImgscanWindow *self = IMGSCAN_WINDOW (widget);

  if (!imgscan_window_enter_demo (self))
    return;

  if (self->file != NULL)
    start_scan (self);
  else
    set_state (self, "empty");
}

/* Public API */

void
imgscan_window_set_client (ImgscanWindow *self,
                           ImgscanClient *client)
{
  g_return_if_fail (IMGSCAN_IS_WINDOW (self));
  g_return_if_fail (client == NULL || IMGSCAN_IS_CLIENT (client));

  if (self->client == client)
    return;

  if (g_str_equal (imgscan_window_get_state (self), "scanning"))
    {
      cancel_scan (self);
      set_state (self, "empty");
    }
  g_set_object (&self->client, client);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

ImgscanClient *
imgscan_window_get_client (ImgscanWindow *self)
{
  g_return_val_if_fail (IMGSCAN_IS_WINDOW (self), NULL);

  return ensure_client (self);
}

void
imgscan_window_set_sandbox (ImgscanWindow *self,
                            gboolean       sandbox)
{
  g_return_if_fail (IMGSCAN_IS_WINDOW (self));

  sandbox = !!sandbox;
  if (self->sandbox == sandbox)
    return;

  self->sandbox = sandbox;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SANDBOX]);
}

gboolean
imgscan_window_get_sandbox (ImgscanWindow *self)
{
  g_return_val_if_fail (IMGSCAN_IS_WINDOW (self), FALSE);

  return self->sandbox;
}

void
imgscan_window_set_history (ImgscanWindow  *self,
                            ImgscanHistory *history)
{
  g_return_if_fail (IMGSCAN_IS_WINDOW (self));
  g_return_if_fail (history == NULL || IMGSCAN_IS_HISTORY (history));

  g_set_object (&self->history, history);
}

ImgscanHistory *
imgscan_window_get_history (ImgscanWindow *self)
{
  g_return_val_if_fail (IMGSCAN_IS_WINDOW (self), NULL);

  return get_history (self);
}

gboolean
imgscan_window_enter_demo (ImgscanWindow *self)
{
  g_autoptr(ImgscanClient) client = NULL;
  g_autoptr(GError) error = NULL;
  const char *url;

  g_return_val_if_fail (IMGSCAN_IS_WINDOW (self), FALSE);

  if (self->demo_server == NULL)
    {
      self->demo_server = imgscan_demo_server_new (&error);
      if (self->demo_server == NULL)
        {
          g_autofree char *text = g_strdup_printf (_("The demo could not start: %s"), error->message);

          imgscan_window_add_toast (self, text);
          return FALSE;
        }
    }

  url = imgscan_demo_server_get_url (self->demo_server);
  client = imgscan_client_new (url, url);
  imgscan_client_set_credentials (client, IMGSCAN_DEMO_EMAIL, IMGSCAN_DEMO_KEY);
  imgscan_client_set_use_keyring (client, FALSE);
  imgscan_window_set_client (self, client);
  imgscan_window_set_sandbox (self, TRUE);

  if (!self->demo)
    {
      self->demo = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
    }

  return TRUE;
}

gboolean
imgscan_window_get_demo (ImgscanWindow *self)
{
  g_return_val_if_fail (IMGSCAN_IS_WINDOW (self), FALSE);

  return self->demo;
}

void
imgscan_window_set_sidebar (ImgscanWindow *self,
                            GtkWidget     *sidebar)
{
  g_return_if_fail (IMGSCAN_IS_WINDOW (self));
  g_return_if_fail (sidebar == NULL || GTK_IS_WIDGET (sidebar));

  adw_bin_set_child (self->sidebar_bin, sidebar);
  gtk_widget_set_visible (GTK_WIDGET (self->sidebar_bin), sidebar != NULL);
  gtk_widget_set_visible (self->sidebar_separator, sidebar != NULL);
}

GtkStack *
imgscan_window_get_stack (ImgscanWindow *self)
{
  g_return_val_if_fail (IMGSCAN_IS_WINDOW (self), NULL);

  return self->stack;
}

const char *
imgscan_window_get_state (ImgscanWindow *self)
{
  g_return_val_if_fail (IMGSCAN_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

GtkWidget *
imgscan_window_get_results_view (ImgscanWindow *self)
{
  g_return_val_if_fail (IMGSCAN_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->results_view);
}

GtkWidget *
imgscan_window_get_scan_view (ImgscanWindow *self)
{
  g_return_val_if_fail (IMGSCAN_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->scan_view);
}

AdwStatusPage *
imgscan_window_get_error_page (ImgscanWindow *self)
{
  g_return_val_if_fail (IMGSCAN_IS_WINDOW (self), NULL);

  return self->error_page;
}

GtkDropTarget *
imgscan_window_get_drop_target (ImgscanWindow *self)
{
  g_return_val_if_fail (IMGSCAN_IS_WINDOW (self), NULL);

  return self->drop_target;
}

/* GObject */

static void
imgscan_window_dispose (GObject *object)
{
  ImgscanWindow *self = IMGSCAN_WINDOW (object);

  /* Closing the window cancels the scan; its callbacks then return quietly. */
  cancel_scan (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), IMGSCAN_TYPE_WINDOW);

  g_clear_object (&self->client);
  g_clear_object (&self->history);
  g_clear_object (&self->demo_server);
  g_clear_object (&self->file);
  g_clear_object (&self->last_folder);
  g_clear_pointer (&self->last_toast, g_free);

  G_OBJECT_CLASS (imgscan_window_parent_class)->dispose (object);
}

static void
imgscan_window_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ImgscanWindow *self = IMGSCAN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_SANDBOX:
      g_value_set_boolean (value, self->sandbox);
      break;
    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
imgscan_window_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ImgscanWindow *self = IMGSCAN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      imgscan_window_set_client (self, g_value_get_object (value));
      break;
    case PROP_SANDBOX:
      imgscan_window_set_sandbox (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
imgscan_window_class_init (ImgscanWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = imgscan_window_dispose;
  object_class->get_property = imgscan_window_get_property;
  object_class->set_property = imgscan_window_set_property;
  widget_class->realize = imgscan_window_realize;
  widget_class->unrealize = imgscan_window_unrealize;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, IMGSCAN_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SANDBOX] =
    g_param_spec_boolean ("sandbox", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (IMGSCAN_TYPE_RESULTS_VIEW);
  g_type_ensure (IMGSCAN_TYPE_SCAN_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/imgscan-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ImgscanWindow, error_open_button);
  gtk_widget_class_bind_template_child (widget_class, ImgscanWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, ImgscanWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, ImgscanWindow, results_view);
  gtk_widget_class_bind_template_child (widget_class, ImgscanWindow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, ImgscanWindow, scan_view);
  gtk_widget_class_bind_template_child (widget_class, ImgscanWindow, sidebar_bin);
  gtk_widget_class_bind_template_child (widget_class, ImgscanWindow, sidebar_separator);
  gtk_widget_class_bind_template_child (widget_class, ImgscanWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, ImgscanWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ImgscanWindow, window_title);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.paste", NULL, paste_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "win.copy-link", "s", copy_link_action);
  gtk_widget_class_install_action (widget_class, "win.open-page", "s", open_page_action);
  gtk_widget_class_install_action (widget_class, "win.try-demo", NULL, try_demo_action);

  /* Bubble-phase bindings: a focused text field (a sign-in form) keeps its own
   * Ctrl+V and Escape. Ctrl+O is an application accelerator. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK, "win.paste", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
}

/* GTK 4.8 gives a button with a mnemonic ("_Retry") the raw label as its accessible
 * name, on top of the text: screen readers said "underscore Retry Retry". Dropping the
 * property leaves the name to the text. */
static void
fix_mnemonic_names (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) && gtk_button_get_use_underline (GTK_BUTTON (widget)) &&
      gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    fix_mnemonic_names (child);
}

static void
imgscan_window_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (imgscan_window_parent_class)->realize (widget);

  /* Late enough to cover the pages other parts add to the stack. */
  fix_mnemonic_names (widget);
}

/* gtk_window_destroy() only drops GTK's reference: a running scan holds its own, so
 * dispose would wait for the reply. Unrealizing is the moment the window closes. */
static void
imgscan_window_unrealize (GtkWidget *widget)
{
  ImgscanWindow *self = IMGSCAN_WINDOW (widget);

  cancel_scan (self);
  imgscan_scan_view_stop (self->scan_view);

  GTK_WIDGET_CLASS (imgscan_window_parent_class)->unrealize (widget);
}

static void
on_preview_changed (ImgscanWindow *self)
{
  if (self->showing_fresh)
    imgscan_results_view_set_photo (self->results_view, imgscan_scan_view_get_preview (self->scan_view));
}

static void
imgscan_window_init (ImgscanWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (DEVELOPMENT)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.retry", FALSE);
  _imgscan_window_init_dnd (self);
  g_signal_connect_object (self->scan_view, "notify::preview",
                           G_CALLBACK (on_preview_changed), self, G_CONNECT_SWAPPED);
  _imgscan_window_init_history (self);
  _imgscan_window_init_account (self);
}

ImgscanWindow *
imgscan_window_new (ImgscanApplication *app)
{
  return g_object_new (IMGSCAN_TYPE_WINDOW, "application", app, NULL);
}
