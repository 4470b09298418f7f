/* imgscan-preferences-window.c: the account, sandbox mode, spending, privacy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "imgscan-preferences-window.h"

struct _ImgscanPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  GtkSwitch            *ask_switch;
  AdwActionRow         *account_row;
  GtkSpinner           *account_spinner;
  AdwActionRow         *credits_row;
  GtkSpinner           *credits_spinner;
  GtkButton            *refresh_button;
  GtkSwitch            *sandbox_switch;
  AdwActionRow         *sandbox_row;
  AdwPreferencesGroup  *scanning_group;
  GtkButton            *sign_in_button;
  GtkButton            *sign_out_button;
  GtkSwitch            *thumbnails_switch;

  ImgscanClient        *client;
  GSettings            *settings;
  GCancellable         *credits_cancellable;
  GCancellable         *sign_out_cancellable;
  guint                 refresh_id;

  guint                 demo : 1;
  guint                 busy : 1;
};

G_DEFINE_FINAL_TYPE (ImgscanPreferencesWindow, imgscan_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_SETTINGS,
  PROP_DEMO,
  N_PROPS
};

enum {
  SIGNED_OUT,
  SIGN_IN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Credentials from the environment win over the keyring: signing out cannot remove them. */
static gboolean
account_from_environment (void)
{
  const char *email = g_getenv ("IMGSCAN_EMAIL");
  const char *key = g_getenv ("IMGSCAN_API_KEY");

  return email != NULL && *email != '\0' && key != NULL && *key != '\0';
}

static gboolean
signed_in (ImgscanPreferencesWindow *self)
{
  return !self->demo && self->client != NULL && imgscan_client_has_credentials (self->client);
}

static void
update_account (ImgscanPreferencesWindow *self)
{
  const char *email = self->client != NULL ? imgscan_client_get_email (self->client) : NULL;
  gboolean can_sign_out = FALSE;
  gboolean can_sign_in = FALSE;

  if (self->demo)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->account_row), _("Demo"));
      adw_action_row_set_subtitle (self->account_row,
                                   _("Sample results from the built-in demo server; nothing is sent to the web"));
      can_sign_in = TRUE;
    }
  else if (signed_in (self))
    {
      g_autofree char *escaped = g_markup_escape_text (email, -1);

      /* Row titles and subtitles are markup; an email address is not. */
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->account_row), escaped);
      if (account_from_environment ())
        adw_action_row_set_subtitle (self->account_row,
                                     _("Set by IMGSCAN_EMAIL and IMGSCAN_API_KEY: unset them to sign out"));
      else
        {
          adw_action_row_set_subtitle (self->account_row, _("Signed in; the API key is kept in your keyring"));
          can_sign_out = TRUE;
        }
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->account_row), _("Not signed in"));
      adw_action_row_set_subtitle (self->account_row, _("Sign in with your Copyleaks email and API key to scan"));
      can_sign_in = TRUE;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->sign_out_button), can_sign_out);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_button), can_sign_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.sign-out", can_sign_out && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.sign-in", can_sign_in && !self->busy);
}

/* ---- the balance ---- */

static void
set_credits_loading (ImgscanPreferencesWindow *self,
                     gboolean                  loading)
{
  gtk_widget_set_visible (GTK_WIDGET (self->credits_spinner), loading);
  gtk_spinner_set_spinning (self->credits_spinner, loading);
  gtk_widget_set_visible (GTK_WIDGET (self->refresh_button), !loading && signed_in (self));
}

static void
credits_cb (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(ImgscanPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *markup = NULL;
  gint64 amount;

  amount = imgscan_client_get_credits_finish (IMGSCAN_CLIENT (object), res, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || IMGSCAN_CLIENT (object) != self->client)
    return;

  g_clear_object (&self->credits_cancellable);
  set_credits_loading (self, FALSE);

  if (error != NULL)
    {
      /* Inline, not a dialog: the balance is a nice-to-have next to the settings. */
      text = g_strdup_printf (_("Could not read the balance: %s"), error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->credits_row), "error");
    }
  else
    {
      g_autofree char *number = g_strdup_printf ("%'" G_GINT64_FORMAT, amount);

      text = g_strdup_printf (ngettext ("%s credit left", "%s credits left", (gulong) MIN (amount, G_MAXLONG)),
                              number);
      gtk_widget_remove_css_class (GTK_WIDGET (self->credits_row), "error");
    }
  markup = g_markup_escape_text (text, -1);
  adw_action_row_set_subtitle (self->credits_row, markup);
}

void
imgscan_preferences_window_refresh_credits (ImgscanPreferencesWindow *self)
{
  g_return_if_fail (IMGSCAN_IS_PREFERENCES_WINDOW (self));

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->credits_cancellable != NULL)
    {
      g_cancellable_cancel (self->credits_cancellable);
      g_clear_object (&self->credits_cancellable);
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->credits_row), "error");

  if (self->demo)
    {
      set_credits_loading (self, FALSE);
      adw_action_row_set_subtitle (self->credits_row, _("The demo has no balance: its scans are free"));
      return;
    }
  if (!signed_in (self))
    {
      set_credits_loading (self, FALSE);
      adw_action_row_set_subtitle (self->credits_row, _("Sign in to see your balance"));
      return;
    }

  self->credits_cancellable = g_cancellable_new ();
  set_credits_loading (self, TRUE);
  adw_action_row_set_subtitle (self->credits_row, _("Asking Copyleaks…"));
  imgscan_client_get_credits_async (self->client, self->credits_cancellable, credits_cb, g_object_ref (self));
}

static gboolean
refresh_idle (gpointer user_data)
{
  ImgscanPreferencesWindow *self = user_data;

  self->refresh_id = 0;
  imgscan_preferences_window_refresh_credits (self);
  return G_SOURCE_REMOVE;
}

/* A new client and the demo flag often change together: read the balance once. */
static void
queue_refresh (ImgscanPreferencesWindow *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add (refresh_idle, self);
}

/* ---- signing out ---- */

static void
sign_out_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GError *error = NULL;

  /* Without a session bus nothing was ever stored. */
  if (imgscan_keyring_is_available () && !imgscan_keyring_clear_account (cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
sign_out_cb (GObject      *object,
             GAsyncResult *res,
             gpointer      user_data)
{
  ImgscanPreferencesWindow *self = IMGSCAN_PREFERENCES_WINDOW (object);
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (res), &error);
  g_clear_object (&self->sign_out_cancellable);
  self->busy = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->account_spinner), FALSE);
  gtk_spinner_set_spinning (self->account_spinner, FALSE);
  update_account (self);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Could not sign out: the keyring refused (%s). "
                                                 "Unlock it and try again."), error->message);
      g_autofree char *markup = g_markup_escape_text (text, -1);

      adw_action_row_set_subtitle (self->account_row, markup);
      return;
    }

  g_signal_emit (self, signals[SIGNED_OUT], 0);
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  ImgscanPreferencesWindow *self = IMGSCAN_PREFERENCES_WINDOW (widget);
  g_autoptr(GTask) task = NULL;

  if (self->busy)
    return;

  self->busy = TRUE;
  self->sign_out_cancellable = g_cancellable_new ();
  gtk_widget_set_visible (GTK_WIDGET (self->account_spinner), TRUE);
  gtk_spinner_set_spinning (self->account_spinner, TRUE);
  update_account (self);

  task = g_task_new (self, self->sign_out_cancellable, sign_out_cb, NULL);
  g_task_set_source_tag (task, sign_out_action);
  g_task_run_in_thread (task, sign_out_thread);
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  g_signal_emit (widget, signals[SIGN_IN], 0);
}

static void
refresh_credits_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  imgscan_preferences_window_refresh_credits (IMGSCAN_PREFERENCES_WINDOW (widget));
}

/* ---- settings ---- */

static void
bind_settings (ImgscanPreferencesWindow *self)
{
  if (self->settings == NULL)
    {
      /* Show the defaults, unchangeable, and say why. */
      gtk_switch_set_active (self->sandbox_switch, FALSE);
      gtk_switch_set_active (self->ask_switch, FALSE);
      gtk_switch_set_active (self->thumbnails_switch, TRUE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->sandbox_switch), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->ask_switch), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->thumbnails_switch), FALSE);
      adw_preferences_group_set_description (self->scanning_group,
                                             _("These settings cannot be changed: ImgScan’s settings "
                                               "schema is not installed."));
      return;
    }

  g_settings_bind (self->settings, "sandbox", self->sandbox_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "ask-before-spending", self->ask_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "load-thumbnails", self->thumbnails_switch, "active", G_SETTINGS_BIND_DEFAULT);
}

static void
update_demo (ImgscanPreferencesWindow *self)
{
  /* The demo always runs in sandbox mode: its switch would only mislead. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->sandbox_row), !self->demo && self->settings != NULL);
  if (self->demo)
    adw_action_row_set_subtitle (self->sandbox_row, _("Always on in the demo"));
  else
    adw_action_row_set_subtitle (self->sandbox_row,
                                 _("Free test scans with mock results: no credits are used, and the "
                                   "matches are made up by Copyleaks, not found on the web"));
}

/* Public API */

ImgscanPreferencesWindow *
imgscan_preferences_window_new (GtkWindow     *parent,
                                ImgscanClient *client,
                                GSettings     *settings,
                                gboolean       demo)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (client == NULL || IMGSCAN_IS_CLIENT (client), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (IMGSCAN_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "client", client,
                       "settings", settings,
                       "demo", demo,
                       NULL);
}

void
imgscan_preferences_window_set_client (ImgscanPreferencesWindow *self,
                                       ImgscanClient            *client)
{
  g_return_if_fail (IMGSCAN_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (client == NULL || IMGSCAN_IS_CLIENT (client));

  /* Also for the same client: its credentials may have been loaded meanwhile. */
  if (g_set_object (&self->client, client))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);

  update_account (self);
  queue_refresh (self);
}

ImgscanClient *
imgscan_preferences_window_get_client (ImgscanPreferencesWindow *self)
{
  g_return_val_if_fail (IMGSCAN_IS_PREFERENCES_WINDOW (self), NULL);

  return self->client;
}

void
imgscan_preferences_window_set_demo (ImgscanPreferencesWindow *self,
                                     gboolean                  demo)
{
  g_return_if_fail (IMGSCAN_IS_PREFERENCES_WINDOW (self));

  demo = !!demo;
  if (self->demo == demo)
    return;

  self->demo = demo;
  update_demo (self);
  update_account (self);
  queue_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
}

const char *
imgscan_preferences_window_get_account_text (ImgscanPreferencesWindow *self)
{
  g_return_val_if_fail (IMGSCAN_IS_PREFERENCES_WINDOW (self), NULL);

  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->account_row));
}

const char *
imgscan_preferences_window_get_credits_text (ImgscanPreferencesWindow *self)
{
  g_return_val_if_fail (IMGSCAN_IS_PREFERENCES_WINDOW (self), NULL);

  return adw_action_row_get_subtitle (self->credits_row);
}

gboolean
imgscan_preferences_window_get_credits_loading (ImgscanPreferencesWindow *self)
{
  g_return_val_if_fail (IMGSCAN_IS_PREFERENCES_WINDOW (self), FALSE);

  return self->credits_cancellable != NULL || self->refresh_id != 0;
}

gboolean
imgscan_preferences_window_get_busy (ImgscanPreferencesWindow *self)
{
  g_return_val_if_fail (IMGSCAN_IS_PREFERENCES_WINDOW (self), FALSE);

  return self->busy;
}

/* GObject */

static void
imgscan_preferences_window_constructed (GObject *object)
{
  ImgscanPreferencesWindow *self = IMGSCAN_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (imgscan_preferences_window_parent_class)->constructed (object);

  bind_settings (self);
  update_demo (self);
  update_account (self);
  /* Read when opened; the window asks again after each scan. */
  imgscan_preferences_window_refresh_credits (self);
}

static void
imgscan_preferences_window_dispose (GObject *object)
{
  ImgscanPreferencesWindow *self = IMGSCAN_PREFERENCES_WINDOW (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->credits_cancellable != NULL)
    g_cancellable_cancel (self->credits_cancellable);
  if (self->sign_out_cancellable != NULL)
    g_cancellable_cancel (self->sign_out_cancellable);
  g_clear_object (&self->credits_cancellable);
  g_clear_object (&self->sign_out_cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), IMGSCAN_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (imgscan_preferences_window_parent_class)->dispose (object);
}

static void
imgscan_preferences_window_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  ImgscanPreferencesWindow *self = IMGSCAN_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
imgscan_preferences_window_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  ImgscanPreferencesWindow *self = IMGSCAN_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      /* Construct-time: set quietly, constructed() fills the rows. */
      g_set_object (&self->client, g_value_get_object (value));
      break;
    case PROP_SETTINGS:
      g_set_object (&self->settings, g_value_get_object (value));
      break;
    case PROP_DEMO:
      self->demo = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
imgscan_preferences_window_class_init (ImgscanPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = imgscan_preferences_window_constructed;
  object_class->dispose = imgscan_preferences_window_dispose;
  object_class->get_property = imgscan_preferences_window_get_property;
  object_class->set_property = imgscan_preferences_window_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, IMGSCAN_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS |
                         G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS |
                          G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNED_OUT] =
    g_signal_new ("signed-out", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGN_IN] =
    g_signal_new ("sign-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/imgscan-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ImgscanPreferencesWindow, account_row);
  gtk_widget_class_bind_template_child (widget_class, ImgscanPreferencesWindow, account_spinner);
  gtk_widget_class_bind_template_child (widget_class, ImgscanPreferencesWindow, ask_switch);
  gtk_widget_class_bind_template_child (widget_class, ImgscanPreferencesWindow, credits_row);
  gtk_widget_class_bind_template_child (widget_class, ImgscanPreferencesWindow, credits_spinner);
  gtk_widget_class_bind_template_child (widget_class, ImgscanPreferencesWindow, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, ImgscanPreferencesWindow, sandbox_row);
  gtk_widget_class_bind_template_child (widget_class, ImgscanPreferencesWindow, sandbox_switch);
  gtk_widget_class_bind_template_child (widget_class, ImgscanPreferencesWindow, scanning_group);
  gtk_widget_class_bind_template_child (widget_class, ImgscanPreferencesWindow, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, ImgscanPreferencesWindow, sign_out_button);
  gtk_widget_class_bind_template_child (widget_class, ImgscanPreferencesWindow, thumbnails_switch);

  gtk_widget_class_install_action (widget_class, "prefs.sign-out", NULL, sign_out_action);
  gtk_widget_class_install_action (widget_class, "prefs.sign-in", NULL, sign_in_action);
  gtk_widget_class_install_action (widget_class, "prefs.refresh-credits", NULL, refresh_credits_action);
}

static void
imgscan_preferences_window_init (ImgscanPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
