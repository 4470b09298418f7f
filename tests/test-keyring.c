/* test-keyring.c: the account and the token in a real keyring, and token reuse across runs
 *
 * Needs a session bus, as CI provides (dbus-run-session with an unlocked gnome-keyring).
 * When dbus-run-session and gnome-keyring-daemon are installed it re-runs itself in a
 * private session with a fresh unlocked keyring, so it never touches a real one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <string.h>

#include "imgscan-core.h"
#include "mock-server.h"
#include "test-util.h"

/* Where the shared-mime-info database really is (the isolated dirs hide it). */
static const char *system_data_dirs;

static void
clear_keyring (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (imgscan_keyring_clear_account (NULL, &error));
  g_assert_no_error (error);
}

static void
test_available (void)
{
  g_assert_true (imgscan_keyring_is_available ());
}

static void
test_account_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL;
  g_autofree char *key = NULL;

  clear_keyring ();
  g_assert_false (imgscan_keyring_lookup_account (&email, &key, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (email);
  g_assert_null (key);

  g_assert_true (imgscan_keyring_store_account ("first@example.com", "key-one", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (imgscan_keyring_lookup_account (&email, &key, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (email, ==, "first@example.com");
  g_assert_cmpstr (key, ==, "key-one");
  g_clear_pointer (&email, g_free);
  g_clear_pointer (&key, g_free);

  /* One account at a time: a new sign-in replaces the old one. */
  g_assert_true (imgscan_keyring_store_account (MOCK_EMAIL, MOCK_KEY, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (imgscan_keyring_lookup_account (&email, &key, NULL, &error));
  g_assert_cmpstr (email, ==, MOCK_EMAIL);
  g_assert_cmpstr (key, ==, MOCK_KEY);
  g_clear_pointer (&email, g_free);
  g_clear_pointer (&key, g_free);

  clear_keyring ();
  g_assert_false (imgscan_keyring_lookup_account (&email, &key, NULL, &error));
  g_assert_no_error (error);
}

static void
test_token_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) expires = g_date_time_new_utc (2031, 5, 24, 10, 0, 30.25);
  g_autoptr(GDateTime) found_expires = NULL;
  g_autofree char *token = NULL;

  clear_keyring ();
  g_assert_false (imgscan_keyring_lookup_token (MOCK_EMAIL, &token, &found_expires, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (imgscan_keyring_store_account (MOCK_EMAIL, MOCK_KEY, NULL, &error));
  g_assert_true (imgscan_keyring_store_token (MOCK_EMAIL, "token-abc", expires, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (imgscan_keyring_lookup_token (MOCK_EMAIL, &token, &found_expires, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "token-abc");
  g_assert_true (g_date_time_equal (found_expires, expires));
  g_clear_pointer (&token, g_free);
  g_clear_pointer (&found_expires, g_date_time_unref);

  /* Tokens are per account. */
  g_assert_false (imgscan_keyring_lookup_token ("other@example.com", &token, &found_expires, NULL, &error));
  g_assert_no_error (error);

  /* A newer token replaces the older one. */
  g_assert_true (imgscan_keyring_store_token (MOCK_EMAIL, "token-def", expires, NULL, &error));
  g_assert_true (imgscan_keyring_lookup_token (MOCK_EMAIL, &token, &found_expires, NULL, &error));
  g_assert_cmpstr (token, ==, "token-def");
  g_clear_pointer (&token, g_free);
  g_clear_pointer (&found_expires, g_date_time_unref);

  /* Signing out removes the token too. */
  clear_keyring ();
  g_assert_false (imgscan_keyring_lookup_token (MOCK_EMAIL, &token, &found_expires, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (token);
}

static void
test_client_uses_stored_account (void)
{
  g_autoptr(ImgscanClient) client = imgscan_client_new ("http://127.0.0.1:9", "http://127.0.0.1:9");
  g_autoptr(GError) error = NULL;

  clear_keyring ();
  g_assert_true (imgscan_client_get_use_keyring (client));
  g_assert_false (imgscan_client_load_credentials (client, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (imgscan_keyring_store_account (MOCK_EMAIL, MOCK_KEY, NULL, &error));
  g_assert_true (imgscan_client_load_credentials (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (imgscan_client_get_email (client), ==, MOCK_EMAIL);
  g_assert_true (imgscan_client_has_credentials (client));
  clear_keyring ();
}

/* ---- token reuse across two processes ---- */

typedef struct
{
  gboolean  done;
  char     *out;
  char     *err;
  GError   *error;
} ChildRun;

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ChildRun *run = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &run->out, &run->err, &run->error);
  run->done = TRUE;
}

static void
run_child (GMainContext *context,
           const char   *url,
           const char   *image_path,
           GString      *all_output)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", &error);
  ChildRun run = { 0 };

  g_assert_no_error (error);
  g_subprocess_launcher_setenv (launcher, "IMGSCAN_EMAIL", MOCK_EMAIL, TRUE);
  g_subprocess_launcher_setenv (launcher, "IMGSCAN_API_KEY", MOCK_KEY, TRUE);
  g_subprocess_launcher_setenv (launcher, "IMGSCAN_ID_URL", url, TRUE);
  g_subprocess_launcher_setenv (launcher, "IMGSCAN_API_URL", url, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_DIRS", system_data_dirs, TRUE);
  /* Every debug message on, so a token that slipped into a log would show. */
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);

  child = g_subprocess_launcher_spawn (launcher, &error, self_exe, "--child", image_path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (child, NULL, NULL, communicate_cb, &run);
  while (!run.done)
    g_main_context_iteration (context, TRUE);
  g_assert_no_error (run.error);
  g_test_message ("child stdout: %s", run.out);

  g_string_append (all_output, run.out);
  g_string_append (all_output, run.err);
  if (!g_subprocess_get_if_exited (child) || g_subprocess_get_exit_status (child) != 0)
    g_error ("The child failed: %s", run.err);
  g_assert_nonnull (strstr (run.out, "child: ok"));
  g_free (run.out);
  g_free (run.err);
}

static gboolean
contains_bytes (const char *data,
                gsize       length,
                const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; n > 0 && i + n <= length; i++)
    if (data[i] == needle[0] && memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static void
assert_no_secret_in_tree (const char         *path,
                          const char * const *secrets)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          assert_no_secret_in_tree (child, secrets);
          continue;
        }
      if (!g_file_get_contents (child, &contents, &length, NULL))
        continue;
      for (guint i = 0; secrets[i] != NULL; i++)
        if (contains_bytes (contents, length, secrets[i]))
          g_error ("A secret was written to %s", child);
    }
}

static void
test_token_reuse_across_processes (void)
{
  GMainContext *context = g_main_context_new ();
  g_autoptr(MockServer) mock = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 40, 30);
  g_autofree char *image_path = g_build_filename (g_get_user_data_dir (), "photo.png", NULL);
  g_autoptr(GString) output = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) secrets = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) tokens = NULL;
  g_autofree char *isolated_root = g_path_get_dirname (g_get_home_dir ());

  g_main_context_push_thread_default (context);
  mock = mock_server_new ();
  clear_keyring ();

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  gdk_pixbuf_fill (pixbuf, 0x884422ff);
  gdk_pixbuf_save (pixbuf, image_path, "png", &error, NULL);
  g_assert_no_error (error);

  run_child (context, mock_server_get_url (mock), image_path, output);
  g_assert_cmpuint (mock_server_get_n_logins (mock), ==, 1);
  run_child (context, mock_server_get_url (mock), image_path, output);

  /* The second run found the first run's token in the keyring. */
  g_assert_cmpuint (mock_server_get_n_logins (mock), ==, 1);
  g_assert_cmpuint (mock_server_get_n_checks (mock), ==, 2);

  /* Neither the key nor any token appears in any output or any file of the test home. */
  tokens = mock_server_dup_tokens (mock);
  g_assert_cmpuint (g_strv_length (tokens), ==, 1);
  g_ptr_array_add (secrets, g_strdup (MOCK_KEY));
  for (guint i = 0; tokens[i] != NULL; i++)
    g_ptr_array_add (secrets, g_strdup (tokens[i]));
  g_ptr_array_add (secrets, NULL);
  for (guint i = 0; secrets->pdata[i] != NULL; i++)
    g_assert_null (strstr (output->str, secrets->pdata[i]));
  assert_no_secret_in_tree (isolated_root, (const char * const *) secrets->pdata);

  clear_keyring ();
  g_clear_object (&mock);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);
}

/* ---- the child: one check, as a separate run of the program would do ---- */

static void
child_check_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static int
child_main (const char *image_path)
{
  g_autoptr(ImgscanClient) client = imgscan_client_new (NULL, NULL);
  g_autoptr(GFile) image = g_file_new_for_path (image_path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ImgscanResult) scan = NULL;
  g_autoptr(GError) error = NULL;

  if (!imgscan_client_get_use_keyring (client))
    {
      g_printerr ("child: the keyring is not in use\n");
      return 1;
    }
  imgscan_client_check_async (client, image, NULL, TRUE, NULL, NULL, NULL, NULL, child_check_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  scan = imgscan_client_check_finish (client, result, NULL, NULL, &error);
  if (scan == NULL)
    {
      g_printerr ("child: %s\n", error->message);
      return 1;
    }
  g_print ("child: ok, %u login(s), %u full matches\n", imgscan_client_get_n_logins (client),
           g_list_model_get_n_items (imgscan_result_get_full_matches (scan)));
  return 0;
}

/* Re-runs this program under dbus-run-session with a fresh, unlocked gnome-keyring-daemon
 * in a throwaway home. FALSE when the tools are missing: then the session's keyring is used. */
static gboolean
run_in_private_keyring (int    argc,
                        char **argv,
                        int   *status)
{
  g_autofree char *dbus_run_session = g_find_program_in_path ("dbus-run-session");
  g_autofree char *keyring_daemon = g_find_program_in_path ("gnome-keyring-daemon");
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *root = NULL;
  g_autofree char *home = NULL;
  g_autofree char *runtime = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) child_argv = NULL;
  g_autoptr(GError) error = NULL;

  if (dbus_run_session == NULL || keyring_daemon == NULL || self_exe == NULL)
    return FALSE;
  root = g_dir_make_tmp ("test-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  home = g_build_filename (root, "home", NULL);
  runtime = g_build_filename (root, "runtime", NULL);
  g_mkdir_with_parents (home, 0700);
  g_mkdir_with_parents (runtime, 0700);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_setenv (launcher, "IMGSCAN_TEST_PRIVATE_KEYRING", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime, TRUE);

  builder = g_strv_builder_new ();
  g_strv_builder_add_many (builder, dbus_run_session, "--", "sh", "-c",
                           "echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null"
                           " && exec \"$0\" \"$@\"",
                           self_exe, NULL);
  for (int i = 1; i < argc; i++)
    g_strv_builder_add (builder, argv[i]);
  child_argv = g_strv_builder_end (builder);

  child = g_subprocess_launcher_spawnv (launcher, (const char * const *) child_argv, &error);
  g_assert_no_error (error);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  *status = g_subprocess_get_if_exited (child) ? g_subprocess_get_exit_status (child) : 1;

  test_util_remove_tree (root);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  const char *bus = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  const char *ci = g_getenv ("CI");
  gboolean in_ci = ci != NULL && *ci != '\0' && g_strcmp0 (ci, "false") != 0 && g_strcmp0 (ci, "0") != 0;

  if (argc == 3 && g_str_equal (argv[1], "--child"))
    return child_main (argv[2]);

  system_data_dirs = test_util_remember_system_data_dirs ();

  if (bus == NULL || *bus == '\0')
    {
      if (in_ci)
        {
          g_print ("Bail out! No session bus (DBUS_SESSION_BUS_ADDRESS is unset): CI must run the "
                   "tests inside dbus-run-session with an unlocked gnome-keyring-daemon\n");
          return 1;
        }
      g_print ("1..0 # SKIP no session bus; run under dbus-run-session with an unlocked gnome-keyring-daemon\n");
      return 0;
    }

  /* Run in a private session with its own unlocked gnome-keyring, when the tools are there:
   * the tests clear the stored account, which must not hit the developer's own keyring
   * nor race with other tests that share the session's keyring. */
  if (g_getenv ("IMGSCAN_TEST_PRIVATE_KEYRING") == NULL)
    {
      int status;

      if (run_in_private_keyring (argc, argv, &status))
        return status;
    }

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/keyring/available", test_available);
  g_test_add_func ("/keyring/account-round-trip", test_account_round_trip);
  g_test_add_func ("/keyring/token-round-trip", test_token_round_trip);
  g_test_add_func ("/keyring/client-uses-stored-account", test_client_uses_stored_account);
  g_test_add_func ("/keyring/token-reuse-across-processes", test_token_reuse_across_processes);

  return g_test_run ();
}
