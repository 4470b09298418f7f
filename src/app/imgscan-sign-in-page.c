/* imgscan-sign-in-page.c: the signed-out page, "Sign in to Copyleaks"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-sign-in-page"

#include "config.h"

#include <glib/gi18n.h>

#include "imgscan-sign-in-page.h"

struct _ImgscanSignInPage
{
  AdwBin         parent_instance;

  /* Template widgets */
  GtkButton     *cancel_button;
  GtkLinkButton *dashboard_link;
  GtkButton     *demo_button;
  AdwEntryRow   *email_row;
  AdwEntryRow   *key_row;
  GtkBox        *message_box;
  GtkLabel      *message_label;
  GtkLabel      *note_label;
  GtkButton     *sign_in_button;
  GtkLabel      *sign_in_label;
  GtkSpinner    *spinner;

  ImgscanClient *client;       /* the model: its servers and keyring use */
  GCancellable  *cancellable;  /* the running sign-in */
  char          *message;

  guint          busy : 1;
};

G_DEFINE_FINAL_TYPE (ImgscanSignInPage, imgscan_sign_in_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_BUSY,
  N_PROPS
};

enum {
  SIGNED_IN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* One sign-in: the account goes into the keyring first, so that the token the login
 * caches there survives (storing an account clears every token); the previous account
 * is put back if the login fails. */
typedef struct
{
  ImgscanSignInPage *self;       /* strong */
  ImgscanClient     *client;     /* the new credentials */
  GCancellable      *cancellable;
  char              *email;
  char              *key;
  char              *old_email;  /* what the keyring held before, to put back */
  char              *old_key;
  GError            *error;      /* the login's, shown after the keyring was put back */
  char              *warning;    /* the account could not be remembered */
  gboolean           stored;
} SignIn;

static void
wipe_free (char *secret)
{
  if (secret != NULL)
    {
      volatile char *p = secret;

      while (*p != '\0')
        *p++ = '\0';
      g_free (secret);
    }
}

static void
sign_in_free (SignIn *op)
{
  g_clear_object (&op->self);
  g_clear_object (&op->client);
  g_clear_object (&op->cancellable);
  g_free (op->email);
  wipe_free (op->key);
  g_free (op->old_email);
  wipe_free (op->old_key);
  g_clear_error (&op->error);
  g_free (op->warning);
  g_free (op);
}

static void
set_busy (ImgscanSignInPage *self,
          gboolean           busy)
{
  busy = !!busy;
  if (self->busy == busy)
    return;

  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_label_set_text_with_mnemonic (self->sign_in_label, busy ? _("Signing In…") : _("_Sign In"));
  /* The button's child is a box (spinner and label): name it for screen readers. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sign_in_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  busy ? _("Signing In…") : _("Sign In"),
                                  -1);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->email_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->key_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->demo_button), !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.submit", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.cancel", busy);
  if (busy)
    gtk_widget_grab_focus (GTK_WIDGET (self->cancel_button));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
show_message (ImgscanSignInPage *self,
              const char        *message)
{
  g_free (self->message);
  self->message = g_strdup (message);
  gtk_label_set_text (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_box), message != NULL);
}

/* Each failure says what happened and what to do next, in the photographer's words. */
static char *
describe_login_error (const GError *error)
{
  if (error->domain == IMGSCAN_CLIENT_ERROR)
    {
      switch ((ImgscanClientError) error->code)
        {
        case IMGSCAN_CLIENT_ERROR_RATE_LIMITED:
          {
            /* Copyleaks blocks sign-ins for 5 minutes after the 12th in 15 minutes. */
            g_autoptr(GDateTime) now = g_date_time_new_now_local ();
            g_autoptr(GDateTime) later = g_date_time_add_minutes (now, 5);
            g_autofree char *at = g_date_time_format (later, "%H:%M");

            return g_strdup_printf (_("Too many sign-ins: Copyleaks allows 12 sign-ins in 15 minutes, "
                                      "then refuses them for a while. Wait 5 minutes and sign in again "
                                      "(at %s or later)."), at);
          }
        case IMGSCAN_CLIENT_ERROR_NETWORK:
          return g_strdup (_("ImgScan could not reach Copyleaks. Check that this computer is connected "
                             "to the internet, then try again."));
        case IMGSCAN_CLIENT_ERROR_MAINTENANCE:
          return g_strdup (_("Copyleaks is down for maintenance. Sign in again later; "
                             "status.copyleaks.com says when it is back."));
        case IMGSCAN_CLIENT_ERROR_AUTHENTICATION:
        case IMGSCAN_CLIENT_ERROR_INVALID_INPUT:
          /* Wrong or malformed credentials (401, 400): the core's message quotes the server's
           * reason and says to check both fields on the API dashboard. */
          return g_strdup (error->message);
        case IMGSCAN_CLIENT_ERROR_NO_CREDENTIALS:
        case IMGSCAN_CLIENT_ERROR_NOT_ENOUGH_CREDITS:
        case IMGSCAN_CLIENT_ERROR_SERVER:
        case IMGSCAN_CLIENT_ERROR_INVALID_RESPONSE:
        default:
          break;
        }
    }

  return g_strdup_printf (_("Copyleaks could not sign you in: %s"), error->message);
}

static void
finish (SignIn *op)
{
  ImgscanSignInPage *self = op->self;

  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);

  if (op->error != NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (op->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = describe_login_error (op->error);
      show_message (self, message);
      return;
    }

  /* The key now lives in the keyring (and the client): not in a widget. */
  gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");
  show_message (self, NULL);
  g_signal_emit (self, signals[SIGNED_IN], 0, op->client, op->warning);
}

/* Worker thread: libsecret's _sync calls may take a D-Bus round trip or an unlock prompt. */
static void
store_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SignIn *op = task_data;
  GError *error = NULL;

  if (!imgscan_keyring_is_available ())
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("no keyring is available"));
      return;
    }

  /* Best effort: a failed look-up only means there is nothing to put back. */
  imgscan_keyring_lookup_account (&op->old_email, &op->old_key, cancellable, NULL);
  if (!imgscan_keyring_store_account (op->email, op->key, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
restore_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SignIn *op = task_data;
  g_autoptr(GError) error = NULL;

  if (op->old_email != NULL && op->old_key != NULL)
    imgscan_keyring_store_account (op->old_email, op->old_key, NULL, &error);
  else
    imgscan_keyring_clear_account (NULL, &error);
  if (error != NULL)
    g_warning ("Could not put the keyring back as it was: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

static void
restore_cb (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  SignIn *op = user_data;

  finish (op);
  sign_in_free (op);
}

/* Ends a failed or cancelled sign-in: a key that did not sign in must not stay in the
 * keyring, even when the user cancelled. */
static void
fail (SignIn *op)
{
  g_autoptr(GTask) task = NULL;

  if (!op->stored)
    {
      finish (op);
      sign_in_free (op);
      return;
    }

  task = g_task_new (op->self, NULL, restore_cb, op);
  g_task_set_source_tag (task, fail);
  g_task_set_task_data (task, op, NULL);
  g_task_run_in_thread (task, restore_thread);
}

static void
login_cb (GObject      *object,
          GAsyncResult *res,
          gpointer      user_data)
{
  SignIn *op = user_data;

  if (!imgscan_client_login_finish (op->client, res, &op->error))
    {
      fail (op);
      return;
    }

  finish (op);
  sign_in_free (op);
}

static void
store_cb (GObject      *object,
          GAsyncResult *res,
          gpointer      user_data)
{
  SignIn *op = user_data;
  g_autoptr(GError) error = NULL;

  op->stored = g_task_propagate_boolean (G_TASK (res), &error);
  if (g_cancellable_is_cancelled (op->cancellable))
    {
      /* The store may have gone through before the cancel: put back the old account. */
      op->stored = op->stored || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_set_error_literal (&op->error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
      fail (op);
      return;
    }

  if (!op->stored)
    {
      /* Still sign in for this session; the window says it will not be remembered. */
      op->warning = g_strdup (error->message);
      imgscan_client_set_use_keyring (op->client, FALSE);
    }

  imgscan_client_login_async (op->client, op->cancellable, login_cb, op);
}

static void
submit (ImgscanSignInPage *self)
{
  g_autofree char *email = NULL;
  g_autofree char *key = NULL;
  SignIn *op;

  if (self->busy)
    return;

  /* Pasted keys often carry a space or a line break. */
  email = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->email_row))));
  key = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->key_row))));

  if (*email == '\0')
    {
      show_message (self, _("Enter the email address of your Copyleaks account."));
      gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
      return;
    }
  if (strchr (email, '@') == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("“%s” is not an email address. Enter the one you "
                                                 "sign in to Copyleaks with."), email);

      show_message (self, text);
      gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
      return;
    }
  if (*key == '\0')
    {
      show_message (self, _("Enter your API key. The link above opens the Copyleaks page that shows it."));
      gtk_widget_grab_focus (GTK_WIDGET (self->key_row));
      wipe_free (g_steal_pointer (&key));
      return;
    }

  show_message (self, NULL);

  op = g_new0 (SignIn, 1);
  op->self = g_object_ref (self);
  op->email = g_steal_pointer (&email);
  op->key = g_steal_pointer (&key);
  if (self->client != NULL)
    {
      op->client = imgscan_client_new (imgscan_client_get_id_url (self->client),
                                       imgscan_client_get_api_url (self->client));
      imgscan_client_set_use_keyring (op->client, imgscan_client_get_use_keyring (self->client));
    }
  else
    op->client = imgscan_client_new (NULL, NULL);
  imgscan_client_set_credentials (op->client, op->email, op->key);

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  op->cancellable = g_object_ref (self->cancellable);
  set_busy (self, TRUE);

  if (imgscan_client_get_use_keyring (op->client))
    {
      g_autoptr(GTask) task = g_task_new (self, op->cancellable, store_cb, op);

      g_task_set_source_tag (task, submit);
      g_task_set_task_data (task, op, NULL);
      g_task_run_in_thread (task, store_thread);
    }
  else
    imgscan_client_login_async (op->client, op->cancellable, login_cb, op);
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  submit (IMGSCAN_SIGN_IN_PAGE (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  ImgscanSignInPage *self = IMGSCAN_SIGN_IN_PAGE (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
fields_changed_cb (ImgscanSignInPage *self)
{
  /* A stale error next to a corrected field only confuses. */
  if (!self->busy)
    show_message (self, NULL);
}

static void
email_activated_cb (ImgscanSignInPage *self)
{
  if (*gtk_editable_get_text (GTK_EDITABLE (self->key_row)) == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->key_row));
  else
    submit (self);
}

static void
key_activated_cb (ImgscanSignInPage *self)
{
  submit (self);
}

/* Public API */

GtkWidget *
imgscan_sign_in_page_new (void)
{
  return g_object_new (IMGSCAN_TYPE_SIGN_IN_PAGE, NULL);
}

void
imgscan_sign_in_page_set_client (ImgscanSignInPage *self,
                                 ImgscanClient     *client)
{
  g_return_if_fail (IMGSCAN_IS_SIGN_IN_PAGE (self));
  g_return_if_fail (client == NULL || IMGSCAN_IS_CLIENT (client));

  if (g_set_object (&self->client, client))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

ImgscanClient *
imgscan_sign_in_page_get_client (ImgscanSignInPage *self)
{
  g_return_val_if_fail (IMGSCAN_IS_SIGN_IN_PAGE (self), NULL);

  return self->client;
}

void
imgscan_sign_in_page_set_email (ImgscanSignInPage *self,
                                const char        *email)
{
  g_return_if_fail (IMGSCAN_IS_SIGN_IN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->email_row), email != NULL ? email : "");
  gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");
  show_message (self, NULL);
}

void
imgscan_sign_in_page_set_note (ImgscanSignInPage *self,
                               const char        *note)
{
  g_return_if_fail (IMGSCAN_IS_SIGN_IN_PAGE (self));

  gtk_label_set_text (self->note_label, note != NULL ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), note != NULL && *note != '\0');
}

gboolean
imgscan_sign_in_page_get_busy (ImgscanSignInPage *self)
{
  g_return_val_if_fail (IMGSCAN_IS_SIGN_IN_PAGE (self), FALSE);

  return self->busy;
}

const char *
imgscan_sign_in_page_get_message (ImgscanSignInPage *self)
{
  g_return_val_if_fail (IMGSCAN_IS_SIGN_IN_PAGE (self), NULL);

  return self->message;
}

GtkEditable *
imgscan_sign_in_page_get_email_row (ImgscanSignInPage *self)
{
  g_return_val_if_fail (IMGSCAN_IS_SIGN_IN_PAGE (self), NULL);

  return GTK_EDITABLE (self->email_row);
}

GtkEditable *
imgscan_sign_in_page_get_key_row (ImgscanSignInPage *self)
{
  g_return_val_if_fail (IMGSCAN_IS_SIGN_IN_PAGE (self), NULL);

  return GTK_EDITABLE (self->key_row);
}

/* GObject */

static void
imgscan_sign_in_page_dispose (GObject *object)
{
  ImgscanSignInPage *self = IMGSCAN_SIGN_IN_PAGE (object);

  /* A running sign-in holds a reference: this runs after it ended. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);

  gtk_widget_dispose_template (GTK_WIDGET (self), IMGSCAN_TYPE_SIGN_IN_PAGE);

  G_OBJECT_CLASS (imgscan_sign_in_page_parent_class)->dispose (object);
}

static void
imgscan_sign_in_page_finalize (GObject *object)
{
  ImgscanSignInPage *self = IMGSCAN_SIGN_IN_PAGE (object);

  g_free (self->message);

  G_OBJECT_CLASS (imgscan_sign_in_page_parent_class)->finalize (object);
}

static void
imgscan_sign_in_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  ImgscanSignInPage *self = IMGSCAN_SIGN_IN_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
imgscan_sign_in_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  ImgscanSignInPage *self = IMGSCAN_SIGN_IN_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      imgscan_sign_in_page_set_client (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
imgscan_sign_in_page_class_init (ImgscanSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = imgscan_sign_in_page_dispose;
  object_class->finalize = imgscan_sign_in_page_finalize;
  object_class->get_property = imgscan_sign_in_page_get_property;
  object_class->set_property = imgscan_sign_in_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, IMGSCAN_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNED_IN] =
    g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, IMGSCAN_TYPE_CLIENT, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/imgscan-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ImgscanSignInPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, ImgscanSignInPage, dashboard_link);
  gtk_widget_class_bind_template_child (widget_class, ImgscanSignInPage, demo_button);
  gtk_widget_class_bind_template_child (widget_class, ImgscanSignInPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, ImgscanSignInPage, key_row);
  gtk_widget_class_bind_template_child (widget_class, ImgscanSignInPage, message_box);
  gtk_widget_class_bind_template_child (widget_class, ImgscanSignInPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, ImgscanSignInPage, note_label);
  gtk_widget_class_bind_template_child (widget_class, ImgscanSignInPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, ImgscanSignInPage, sign_in_label);
  gtk_widget_class_bind_template_child (widget_class, ImgscanSignInPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, email_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, fields_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, key_activated_cb);

  gtk_widget_class_install_action (widget_class, "sign-in.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "sign-in.cancel", NULL, cancel_action);
}

/* libadwaita 1.2 leaves the password row's show-text icon (a button for screen
 * readers) without a name. */
static void
name_key_toggle (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (child)) == GTK_ACCESSIBLE_ROLE_BUTTON ||
          GTK_IS_TOGGLE_BUTTON (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, _("Show the API Key"),
                                        -1);
      name_key_toggle (child);
    }
}

static void
imgscan_sign_in_page_init (ImgscanSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.cancel", FALSE);
  gtk_link_button_set_uri (self->dashboard_link, IMGSCAN_SIGN_IN_DASHBOARD_URL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sign_in_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sign In"),
                                  -1);
  name_key_toggle (GTK_WIDGET (self->key_row));
}
