/* test-account.c: signing in and out, the keyring, and each preference, on the real window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under Xvfb + dbus-run-session with an unlocked gnome-keyring (as CI does), against
 * the mock Copyleaks server. The keyring is shared with the session: every test starts
 * and ends with it empty of ImgScan items.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "imgscan-preferences-window.h"
#include "imgscan-sign-in-page.h"
#include "imgscan-window-private.h"
#include "mock-server.h"
#include "test-util.h"
#include "ui-test-util.h"

/* Everything any code logged or printed, to look for secrets in it. */
static GString *output;

struct _Fixture
{
  MockServer    *server;
  ImgscanClient *client;   /* the window's client, signed out */
  ImgscanWindow *window;
  GSettings     *settings;
  char          *dir;
};

static gboolean
keyring_has_account (void)
{
  g_autofree char *email = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;
  gboolean found;

  found = imgscan_keyring_lookup_account (&email, &key, NULL, &error);
  g_assert_no_error (error);
  return found;
}

static gboolean
keyring_has_token (void)
{
  g_autofree char *token = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_autoptr(GError) error = NULL;
  gboolean found;

  found = imgscan_keyring_lookup_token (MOCK_EMAIL, &token, &expires, NULL, &error);
  g_assert_no_error (error);
  return found;
}

static void
clear_keyring (void)
{
  g_autoptr(GError) error = NULL;

  imgscan_keyring_clear_account (NULL, &error);
  g_assert_no_error (error);
}

static void
open_window (Fixture *fixture)
{
  fixture->window = imgscan_window_new (NULL);
  imgscan_window_set_client (fixture->window, fixture->client);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
close_window (Fixture *fixture)
{
  if (fixture->window == NULL)
    return;
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  fixture->window = NULL;
  ui_test_pump (100);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  const char *url;

  if (!imgscan_keyring_is_available ())
    {
      /* CI always has one (dbus-run-session + gnome-keyring): a skip there is a bug. */
      g_test_skip ("no session bus with a keyring");
      return;
    }
  clear_keyring ();

  fixture->settings = g_settings_new ("org.example.ImgScan");
  fixture->server = mock_server_new ();
  url = mock_server_get_url (fixture->server);
  fixture->client = imgscan_client_new (url, url);
  imgscan_client_set_use_keyring (fixture->client, TRUE);
  imgscan_client_set_backoff_scale (fixture->client, 0.001);

  fixture->dir = g_dir_make_tmp ("imgscan-account-XXXXXX", NULL);
  g_assert_nonnull (fixture->dir);

  if (data == NULL)
    open_window (fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  if (fixture->server == NULL)
    return;

  close_window (fixture);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->server);
  clear_keyring ();

  /* The memory backend lives as long as the process: back to the defaults. */
  g_object_get (fixture->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (fixture->settings, keys[i]);
  g_clear_object (&fixture->settings);

  test_util_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* ---- conditions ---- */

static gboolean
state_is_sign_in (Fixture *fixture)
{
  return g_strcmp0 (imgscan_window_get_state (fixture->window), "sign-in") == 0;
}

static gboolean
state_is_empty (Fixture *fixture)
{
  return g_strcmp0 (imgscan_window_get_state (fixture->window), "empty") == 0;
}

static gboolean
state_is_results (Fixture *fixture)
{
  return g_strcmp0 (imgscan_window_get_state (fixture->window), "results") == 0;
}

static ImgscanSignInPage *
sign_in_page (Fixture *fixture)
{
  return IMGSCAN_SIGN_IN_PAGE (_imgscan_window_get_sign_in_page (fixture->window));
}

static gboolean
sign_in_idle (Fixture *fixture)
{
  return !imgscan_sign_in_page_get_busy (sign_in_page (fixture));
}

static gboolean
confirm_shown (Fixture *fixture)
{
  return _imgscan_window_get_confirm_dialog (fixture->window) != NULL;
}

static gboolean
prefs_credits_loaded (Fixture *fixture)
{
  GtkWindow *prefs = _imgscan_window_get_preferences (fixture->window);

  return prefs != NULL && !imgscan_preferences_window_get_credits_loading (IMGSCAN_PREFERENCES_WINDOW (prefs));
}

static gboolean
prefs_closed (Fixture *fixture)
{
  return _imgscan_window_get_preferences (fixture->window) == NULL;
}

/* ---- helpers ---- */

/* Types into the real fields and presses Sign In; waits for the outcome. */
static void
sign_in (Fixture    *fixture,
         const char *email,
         const char *key)
{
  ImgscanSignInPage *page = sign_in_page (fixture);

  wait_until (fixture, state_is_sign_in, "the sign-in page");
  gtk_editable_set_text (imgscan_sign_in_page_get_email_row (page), email);
  gtk_editable_set_text (imgscan_sign_in_page_get_key_row (page), key);
  gtk_widget_activate_action (GTK_WIDGET (page), "sign-in.submit", NULL);
  wait_until (fixture, sign_in_idle, "the sign-in to end");
}

static void
sign_in_ok (Fixture *fixture)
{
  sign_in (fixture, MOCK_EMAIL, MOCK_KEY);
  g_assert_null (imgscan_sign_in_page_get_message (sign_in_page (fixture)));
  wait_until (fixture, state_is_empty, "the empty state after signing in");
}

static void
scan (Fixture    *fixture,
      const char *name)
{
  g_autoptr(GFile) photo = ui_test_make_photo (fixture->dir, name, 0x884422ff);

  imgscan_window_open_file (fixture->window, photo);
  wait_until (fixture, state_is_results, "the results");
}

static char *
dead_url (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  guint16 port;

  /* A port that was free a moment ago and that nobody listens on. */
  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  return g_strdup_printf ("http://127.0.0.1:%u", port);
}

/* ---- signing in ---- */

static void
test_start_signed_out (Fixture       *fixture,
                       gconstpointer  data)
{
  /* Nothing in the environment or the keyring: the sign-in page, and no request. */
  wait_until (fixture, state_is_sign_in, "the sign-in page");
  g_assert_cmpuint (mock_server_get_n_requests (fixture->server), ==, 0);
}

static void
test_start_signed_in (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  imgscan_keyring_store_account (MOCK_EMAIL, MOCK_KEY, NULL, &error);
  g_assert_no_error (error);

  open_window (fixture);
  wait_until (fixture, state_is_empty, "the empty state");
  ui_test_pump (200);
  g_assert_cmpstr (imgscan_window_get_state (fixture->window), ==, "empty");
  g_assert_cmpstr (imgscan_client_get_email (imgscan_window_get_client (fixture->window)), ==, MOCK_EMAIL);
  /* Finding the account costs no login. */
  g_assert_cmpuint (mock_server_get_n_logins (fixture->server), ==, 0);
}

static void
test_sign_in_success (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *email = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;
  ImgscanClient *client;

  sign_in_ok (fixture);

  /* Validated by exactly one login; the account is in the keyring, the key out of the form. */
  g_assert_cmpuint (mock_server_get_n_logins (fixture->server), ==, 1);
  g_assert_true (imgscan_keyring_lookup_account (&email, &key, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (email, ==, MOCK_EMAIL);
  g_assert_cmpstr (key, ==, MOCK_KEY);
  g_assert_true (keyring_has_token ());
  g_assert_cmpstr (gtk_editable_get_text (imgscan_sign_in_page_get_key_row (sign_in_page (fixture))), ==, "");

  client = imgscan_window_get_client (fixture->window);
  g_assert_true (imgscan_client_has_credentials (client));
  g_assert_cmpstr (imgscan_client_get_email (client), ==, MOCK_EMAIL);

  /* The token the sign-in got is reused by the scan: still one login. */
  scan (fixture, "after-sign-in.png");
  g_assert_cmpuint (mock_server_get_n_logins (fixture->server), ==, 1);
  g_assert_cmpuint (mock_server_get_n_checks (fixture->server), ==, 1);
}

static const char *
sign_in_failure (Fixture    *fixture,
                 const char *login_scenario)
{
  const char *message;

  mock_server_set_login_scenario (fixture->server, login_scenario);
  mock_server_reset (fixture->server);
  sign_in (fixture, MOCK_EMAIL, MOCK_KEY);

  /* One attempt, still signed out, nothing kept. */
  g_assert_cmpuint (mock_server_get_n_logins (fixture->server), ==, 1);
  g_assert_cmpstr (imgscan_window_get_state (fixture->window), ==, "sign-in");
  g_assert_false (keyring_has_account ());
  g_assert_false (keyring_has_token ());
  message = imgscan_sign_in_page_get_message (sign_in_page (fixture));
  g_assert_nonnull (message);

  return message;
}

static void
test_sign_in_failures (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *wrong = NULL;
  g_autofree char *limited = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *offline = NULL;
  g_autofree char *url = NULL;
  g_autoptr(ImgscanClient) dead = NULL;

  wrong = g_strdup (sign_in_failure (fixture, "401"));
  g_assert_nonnull (strstr (wrong, "refused the sign-in"));
  g_assert_nonnull (strstr (wrong, "Invalid login credentials"));

  limited = g_strdup (sign_in_failure (fixture, "429"));
  g_assert_nonnull (strstr (limited, "12 sign-ins in 15 minutes"));
  g_assert_nonnull (strstr (limited, "Wait 5 minutes"));

  refused = g_strdup (sign_in_failure (fixture, "400"));
  g_assert_nonnull (strstr (refused, "The key field is required."));

  /* No network: a server nobody listens on. */
  url = dead_url ();
  dead = imgscan_client_new (url, url);
  imgscan_client_set_use_keyring (dead, TRUE);
  imgscan_window_set_client (fixture->window, dead);
  wait_until (fixture, state_is_sign_in, "the sign-in page");
  sign_in (fixture, MOCK_EMAIL, MOCK_KEY);
  offline = g_strdup (imgscan_sign_in_page_get_message (sign_in_page (fixture)));
  g_assert_nonnull (offline);
  g_assert_nonnull (strstr (offline, "could not reach Copyleaks"));
  g_assert_false (keyring_has_account ());

  /* Each has its own message. */
  g_assert_cmpstr (wrong, !=, limited);
  g_assert_cmpstr (wrong, !=, refused);
  g_assert_cmpstr (wrong, !=, offline);
  g_assert_cmpstr (limited, !=, refused);
  g_assert_cmpstr (limited, !=, offline);
  g_assert_cmpstr (refused, !=, offline);
}

static void
test_sign_in_incomplete (Fixture       *fixture,
                         gconstpointer  data)
{
  sign_in (fixture, "", MOCK_KEY);
  g_assert_nonnull (strstr (imgscan_sign_in_page_get_message (sign_in_page (fixture)), "email address"));
  sign_in (fixture, "not-an-email", MOCK_KEY);
  g_assert_nonnull (strstr (imgscan_sign_in_page_get_message (sign_in_page (fixture)), "not an email address"));
  sign_in (fixture, MOCK_EMAIL, "   ");
  g_assert_nonnull (strstr (imgscan_sign_in_page_get_message (sign_in_page (fixture)), "API key"));

  /* Checked before anything is sent. */
  g_assert_cmpuint (mock_server_get_n_requests (fixture->server), ==, 0);
  g_assert_false (keyring_has_account ());
}

static void
test_sign_in_cancel (Fixture       *fixture,
                     gconstpointer  data)
{
  ImgscanSignInPage *page = sign_in_page (fixture);

  wait_until (fixture, state_is_sign_in, "the sign-in page");
  gtk_editable_set_text (imgscan_sign_in_page_get_email_row (page), MOCK_EMAIL);
  gtk_editable_set_text (imgscan_sign_in_page_get_key_row (page), MOCK_KEY);
  gtk_widget_activate_action (GTK_WIDGET (page), "sign-in.submit", NULL);
  g_assert_true (imgscan_sign_in_page_get_busy (page));
  gtk_widget_activate_action (GTK_WIDGET (page), "sign-in.cancel", NULL);
  wait_until (fixture, sign_in_idle, "the cancel");

  /* Cancelled: no message, still signed out, and the keyring put back as it was. */
  g_assert_null (imgscan_sign_in_page_get_message (page));
  g_assert_cmpstr (imgscan_window_get_state (fixture->window), ==, "sign-in");
  g_assert_false (keyring_has_account ());
}

static gboolean
state_is_no_credentials (Fixture *fixture)
{
  return g_strcmp0 (imgscan_window_get_state (fixture->window), "no-credentials") == 0;
}

static void
test_sign_in_pending_photo (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GFile) photo = ui_test_make_photo (fixture->dir, "waiting.png", 0x884422ff);
  const MockCheckRequest *req;

  /* A photo dropped while signed out waits for the account, then is scanned. */
  wait_until (fixture, state_is_sign_in, "the sign-in page");
  imgscan_window_open_file (fixture->window, photo);
  wait_until (fixture, state_is_no_credentials, "the no-account page");
  g_assert_cmpuint (mock_server_get_n_requests (fixture->server), ==, 0);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sign-in", NULL);
  sign_in (fixture, MOCK_EMAIL, MOCK_KEY);
  wait_until (fixture, state_is_results, "the waiting photo's results");
  req = mock_server_get_last_check (fixture->server);
  g_assert_nonnull (req);
  g_assert_cmpstr (req->filename, ==, "waiting.png");
  g_assert_cmpuint (mock_server_get_n_logins (fixture->server), ==, 1);
}

/* ---- signing out ---- */

static void
test_sign_out (Fixture       *fixture,
               gconstpointer  data)
{
  ImgscanPreferencesWindow *prefs;

  sign_in_ok (fixture);
  scan (fixture, "before-sign-out.png");
  g_assert_true (keyring_has_account ());
  g_assert_true (keyring_has_token ());

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.preferences", NULL);
  prefs = IMGSCAN_PREFERENCES_WINDOW (_imgscan_window_get_preferences (fixture->window));
  g_assert_nonnull (prefs);
  g_assert_cmpstr (imgscan_preferences_window_get_account_text (prefs), ==, MOCK_EMAIL);

  gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.sign-out", NULL);
  wait_until (fixture, state_is_sign_in, "the sign-in page after signing out");

  /* Everything is gone: the account, the token, the key in the window's client. */
  g_assert_false (keyring_has_account ());
  g_assert_false (keyring_has_token ());
  g_assert_false (imgscan_client_has_credentials (imgscan_window_get_client (fixture->window)));
  wait_until (fixture, prefs_closed, "the preferences to close");
  /* The email is offered again, the key is not. */
  g_assert_cmpstr (gtk_editable_get_text (imgscan_sign_in_page_get_email_row (sign_in_page (fixture))), ==,
                   MOCK_EMAIL);
  g_assert_cmpstr (gtk_editable_get_text (imgscan_sign_in_page_get_key_row (sign_in_page (fixture))), ==, "");

  /* A new window starts signed out too. */
  close_window (fixture);
  g_clear_object (&fixture->client);
  fixture->client = imgscan_client_new (mock_server_get_url (fixture->server), mock_server_get_url (fixture->server));
  open_window (fixture);
  wait_until (fixture, state_is_sign_in, "the sign-in page in a new window");
}

/* ---- no secret anywhere ---- */

static void
assert_no_secret (const char         *where,
                  const char         *text,
                  gsize               len,
                  const char * const *secrets)
{
  for (guint i = 0; secrets[i] != NULL; i++)
    if (g_strstr_len (text, len, secrets[i]) != NULL)
      g_error ("A secret (%u) appears in %s", i, where);
}

static guint
scan_files (const char         *path,
            const char * const *secrets)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n = 0;

  if (dir == NULL)
    {
      g_autofree char *contents = NULL;
      gsize len;

      if (g_file_get_contents (path, &contents, &len, NULL))
        {
          assert_no_secret (path, contents, len, secrets);
          return 1;
        }
      return 0;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (!g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        n += scan_files (child, secrets);
    }
  return n;
}

static void
test_no_secrets (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(GStrv) tokens = NULL;
  g_autoptr(GPtrArray) secrets = g_ptr_array_new ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  g_autoptr(GString) dump = g_string_new (NULL);
  const char *dirs[6];
  guint n_files = 0;

  sign_in_ok (fixture);
  scan (fixture, "secret-check.png");
  /* Open the preferences too: they read the balance with the token. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.preferences", NULL);
  wait_until (fixture, prefs_credits_loaded, "the balance");
  close_window (fixture);

  tokens = mock_server_dup_tokens (fixture->server);
  g_assert_nonnull (tokens);
  g_assert_nonnull (tokens[0]);
  g_ptr_array_add (secrets, (gpointer) MOCK_KEY);
  for (guint i = 0; tokens[i] != NULL; i++)
    g_ptr_array_add (secrets, tokens[i]);
  g_ptr_array_add (secrets, NULL);

  /* Every key of the settings. */
  g_object_get (fixture->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (fixture->settings, keys[i]);
      g_autofree char *text = g_variant_print (value, TRUE);

      g_string_append_printf (dump, "%s=%s\n", keys[i], text);
    }
  g_assert_nonnull (strstr (dump->str, "window-width="));
  assert_no_secret ("the settings", dump->str, dump->len, (const char * const *) secrets->pdata);

  /* Every file under the test's own home and XDG dirs (the history was written there). */
  dirs[0] = g_get_home_dir ();
  dirs[1] = g_get_user_data_dir ();
  dirs[2] = g_get_user_config_dir ();
  dirs[3] = g_get_user_cache_dir ();
  dirs[4] = g_get_user_state_dir ();
  dirs[5] = fixture->dir;
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    n_files += scan_files (dirs[i], (const char * const *) secrets->pdata);
  g_assert_cmpuint (n_files, >, 0);

  /* Everything logged or printed so far, debug messages included. */
  assert_no_secret ("the output", output->str, output->len, (const char * const *) secrets->pdata);
}

/* ---- each setting changes behaviour ---- */

static void
test_sandbox (Fixture       *fixture,
              gconstpointer  data)
{
  sign_in_ok (fixture);

  g_settings_set_boolean (fixture->settings, "sandbox", TRUE);
  g_assert_true (imgscan_window_get_sandbox (fixture->window));
  scan (fixture, "sandboxed.png");
  g_assert_cmpstr (mock_server_get_last_check (fixture->server)->sandbox, ==, "true");

  g_settings_set_boolean (fixture->settings, "sandbox", FALSE);
  g_assert_false (imgscan_window_get_sandbox (fixture->window));
  scan (fixture, "paid.png");
  g_assert_cmpstr (mock_server_get_last_check (fixture->server)->sandbox, ==, "false");
}

static void
count_thumbnails (GtkWidget *widget,
                         guint     *n_rows)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (g_str_equal (G_OBJECT_TYPE_NAME (child), "ImgscanThumbnail"))
        (*n_rows)++;
      count_thumbnails (child, n_rows);
    }
}

static void
test_thumbnails_off (Fixture       *fixture,
                     gconstpointer  data)
{
  ImgscanThumbnailLoader *loader = imgscan_thumbnail_loader_get_default ();
  guint n_thumbnails = 0;

  sign_in_ok (fixture);
  mock_server_set_scenario (fixture->server, "thumbnails");

  g_settings_set_boolean (fixture->settings, "load-thumbnails", FALSE);
  g_assert_false (imgscan_thumbnail_loader_get_network_enabled (loader));
  scan (fixture, "private.png");
  count_thumbnails (GTK_WIDGET (fixture->window), &n_thumbnails);
  g_assert_cmpuint (n_thumbnails, >, 0);
  ui_test_pump (1000);
  g_assert_cmpuint (mock_server_get_n_thumbnails (fixture->server), ==, 0);

  /* And on again: the same results do load them (the test can tell). */
  g_settings_set_boolean (fixture->settings, "load-thumbnails", TRUE);
  g_assert_true (imgscan_thumbnail_loader_get_network_enabled (loader));
  scan (fixture, "public.png");
  ui_test_pump (1000);
  g_assert_cmpuint (mock_server_get_n_thumbnails (fixture->server), >, 0);
}

static void
answer (Fixture    *fixture,
        const char *response)
{
  GtkWindow *dialog = _imgscan_window_get_confirm_dialog (fixture->window);

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_close (dialog);
}

static void
test_ask_before_spending (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GFile) photo = ui_test_make_photo (fixture->dir, "costly.png", 0x884422ff);
  GtkWindow *dialog;

  sign_in_ok (fixture);
  g_settings_set_boolean (fixture->settings, "ask-before-spending", TRUE);

  /* Declined: the cost was shown, nothing is sent, back to the start. */
  imgscan_window_open_file (fixture->window, photo);
  wait_until (fixture, confirm_shown, "the question");
  dialog = _imgscan_window_get_confirm_dialog (fixture->window);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "This scan will use about 1 credit"));
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), "costly.png"));
  answer (fixture, "cancel");
  g_assert_cmpstr (imgscan_window_get_state (fixture->window), ==, "empty");
  ui_test_pump (500);
  g_assert_cmpuint (mock_server_get_n_checks (fixture->server), ==, 0);
  g_assert_cmpstr (imgscan_window_get_state (fixture->window), ==, "empty");

  /* Accepted: scanned once. */
  imgscan_window_open_file (fixture->window, photo);
  wait_until (fixture, confirm_shown, "the question");
  answer (fixture, "scan");
  wait_until (fixture, state_is_results, "the results");
  g_assert_cmpuint (mock_server_get_n_checks (fixture->server), ==, 1);

  /* In sandbox mode it says the scan is free. */
  g_settings_set_boolean (fixture->settings, "sandbox", TRUE);
  imgscan_window_open_file (fixture->window, photo);
  wait_until (fixture, confirm_shown, "the question");
  dialog = _imgscan_window_get_confirm_dialog (fixture->window);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "free"));
  /* Esc on the window cancels the scan, and with it the question. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.cancel", NULL);
  ui_test_pump (300);
  g_assert_null (_imgscan_window_get_confirm_dialog (fixture->window));
  g_assert_cmpuint (mock_server_get_n_checks (fixture->server), ==, 1);

  /* Closing the window while it asks sends nothing either. */
  imgscan_window_open_file (fixture->window, photo);
  wait_until (fixture, confirm_shown, "the question");
  close_window (fixture);
  ui_test_pump (300);
  g_assert_cmpuint (mock_server_get_n_checks (fixture->server), ==, 1);
  open_window (fixture);
  wait_until (fixture, state_is_empty, "the new window");

  /* Off (the default): no question at all. */
  g_settings_set_boolean (fixture->settings, "ask-before-spending", FALSE);
  scan (fixture, "direct.png");
  g_assert_null (_imgscan_window_get_confirm_dialog (fixture->window));
  g_assert_cmpuint (mock_server_get_n_checks (fixture->server), ==, 2);
}

static void
test_window_size (Fixture       *fixture,
                  gconstpointer  data)
{
  int width = 0, height = 0;

  /* Restored from the settings. */
  g_settings_set_int (fixture->settings, "window-width", 700);
  g_settings_set_int (fixture->settings, "window-height", 520);
  open_window (fixture);
  gtk_window_get_default_size (GTK_WINDOW (fixture->window), &width, &height);
  g_assert_cmpint (width, ==, 700);
  g_assert_cmpint (height, ==, 520);

  /* Saved when the window goes. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 640, 480);
  ui_test_pump (100);
  close_window (fixture);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "window-width"), ==, 640);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "window-height"), ==, 480);
  g_assert_false (g_settings_get_boolean (fixture->settings, "window-maximized"));

  open_window (fixture);
  gtk_window_get_default_size (GTK_WINDOW (fixture->window), &width, &height);
  g_assert_cmpint (width, ==, 640);
  g_assert_cmpint (height, ==, 480);
}

/* ---- the preferences window ---- */

static GtkWidget *
find_first (GtkWidget *widget,
            GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_first (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_preferences (Fixture       *fixture,
                  gconstpointer  data)
{
  ImgscanPreferencesWindow *prefs;
  g_autofree char *url = NULL;
  g_autoptr(ImgscanClient) dead = NULL;
  g_autoptr(ImgscanPreferencesWindow) offline = NULL;

  sign_in_ok (fixture);
  mock_server_set_credits (fixture->server, 100);

  /* The balance is read when the window opens. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.preferences", NULL);
  prefs = IMGSCAN_PREFERENCES_WINDOW (_imgscan_window_get_preferences (fixture->window));
  g_assert_nonnull (prefs);
  wait_until (fixture, prefs_credits_loaded, "the balance");
  g_assert_cmpstr (imgscan_preferences_window_get_credits_text (prefs), ==, "100 credits left");
  g_assert_cmpstr (imgscan_preferences_window_get_account_text (prefs), ==, MOCK_EMAIL);

  /* … and again after each scan. */
  mock_server_set_credits (fixture->server, 99);
  scan (fixture, "spend.png");
  wait_until (fixture, prefs_credits_loaded, "the balance after the scan");
  g_assert_cmpstr (imgscan_preferences_window_get_credits_text (prefs), ==, "99 credits left");

  /* Its switches are the settings. */
  g_assert_false (imgscan_window_get_sandbox (fixture->window));
  {
    GtkSwitch *sandbox = GTK_SWITCH (find_first (GTK_WIDGET (prefs), GTK_TYPE_SWITCH));

    /* The first switch on the page is sandbox mode. */
    g_assert_nonnull (sandbox);
    gtk_switch_set_active (sandbox, TRUE);
    g_assert_true (g_settings_get_boolean (fixture->settings, "sandbox"));
    g_assert_true (imgscan_window_get_sandbox (fixture->window));
    gtk_switch_set_active (sandbox, FALSE);
    g_assert_false (imgscan_window_get_sandbox (fixture->window));
  }

  /* A failure shows inline, as the row's subtitle. */
  url = dead_url ();
  dead = imgscan_client_new (url, url);
  imgscan_client_set_use_keyring (dead, FALSE);
  imgscan_client_set_credentials (dead, MOCK_EMAIL, MOCK_KEY);
  offline = g_object_ref_sink (imgscan_preferences_window_new (NULL, dead, fixture->settings, FALSE));
  while (imgscan_preferences_window_get_credits_loading (offline))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_str_has_prefix (imgscan_preferences_window_get_credits_text (offline),
                                   "Could not read the balance:"));
  gtk_window_destroy (GTK_WINDOW (offline));

  /* The demo has no balance to read and no account to sign out of. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.try-demo", NULL);
  g_assert_true (imgscan_window_get_demo (fixture->window));
  g_assert_cmpstr (imgscan_preferences_window_get_account_text (prefs), ==, "Demo");
  wait_until (fixture, prefs_credits_loaded, "the demo's balance row");
  g_assert_cmpstr (imgscan_preferences_window_get_credits_text (prefs), ==,
                   "The demo has no balance: its scans are free");
}

/* ---- without the schema ---- */

static void
test_no_schema (void)
{
  if (g_test_subprocess ())
    {
      ImgscanWindow *window;
      ImgscanPreferencesWindow *prefs;

      /* The warning is expected here: only criticals stay fatal. */
      g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
      window = imgscan_window_new (NULL);
      gtk_window_present (GTK_WINDOW (window));
      g_assert_null (_imgscan_window_get_settings (window));
      g_assert_false (imgscan_window_get_sandbox (window));
      g_assert_true (imgscan_thumbnail_loader_get_network_enabled (imgscan_thumbnail_loader_get_default ()));
      gtk_widget_activate_action (GTK_WIDGET (window), "win.preferences", NULL);
      prefs = IMGSCAN_PREFERENCES_WINDOW (_imgscan_window_get_preferences (window));
      g_assert_nonnull (prefs);
      g_assert_false (gtk_widget_get_sensitive (find_first (GTK_WIDGET (prefs), GTK_TYPE_SWITCH)));
      gtk_window_destroy (GTK_WINDOW (window));
      ui_test_pump (100);
      return;
    }

  /* Schemas, but not ours: the window runs on the defaults and says why once. */
  g_setenv ("GSETTINGS_SCHEMA_DIR", "/usr/share/glib-2.0/schemas", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*org.example.ImgScan is not installed*");
}

/* ---- main ---- */

static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].value != NULL)
      {
        if (fields[i].length < 0)
          g_string_append (output, fields[i].value);
        else
          g_string_append_len (output, fields[i].value, fields[i].length);
        g_string_append_c (output, '\n');
      }

  /* Debug messages are only kept for the secret check, not shown. */
  if (level & G_LOG_LEVEL_DEBUG)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static void
print_handler (const char *text)
{
  g_string_append (output, text);
  fputs (text, stdout);
}

static void
printerr_handler (const char *text)
{
  g_string_append (output, text);
  fputs (text, stderr);
}

int
main (int   argc,
      char *argv[])
{
  output = g_string_new (NULL);
  /* Every debug message is produced, to be searched for secrets. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_log_set_writer_func (log_writer, NULL, NULL);
  g_set_print_handler (print_handler);
  g_set_printerr_handler (printerr_handler);

  /* Never the user's dconf; the schema compiled in the build tree. */
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL)
    {
      g_autofree char *exe_dir = g_path_get_dirname (argv[0]);
      g_autofree char *schemas = g_build_filename (exe_dir, "..", "..", "data", NULL);

      g_setenv ("GSETTINGS_SCHEMA_DIR", schemas, TRUE);
    }
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (!ui_test_init ())
    return 0;

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_setup, func, fixture_teardown)

  ADD ("/account/start/signed-out", test_start_signed_out, NULL);
  ADD ("/account/start/signed-in", test_start_signed_in, "no-window");
  ADD ("/account/sign-in/success", test_sign_in_success, NULL);
  ADD ("/account/sign-in/failures", test_sign_in_failures, NULL);
  ADD ("/account/sign-in/incomplete", test_sign_in_incomplete, NULL);
  ADD ("/account/sign-in/cancel", test_sign_in_cancel, NULL);
  ADD ("/account/sign-in/pending-photo", test_sign_in_pending_photo, NULL);
  ADD ("/account/sign-out", test_sign_out, NULL);
  ADD ("/account/no-secrets", test_no_secrets, NULL);
  ADD ("/account/settings/sandbox", test_sandbox, NULL);
  ADD ("/account/settings/thumbnails-off", test_thumbnails_off, NULL);
  ADD ("/account/settings/ask-before-spending", test_ask_before_spending, NULL);
  ADD ("/account/settings/window-size", test_window_size, "no-window");
  ADD ("/account/preferences", test_preferences, NULL);
  g_test_add_func ("/account/no-schema", test_no_schema);

  return g_test_run ();
}
