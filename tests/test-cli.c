/* test-cli.c: the imgscan-cli binary against the in-process mock server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "imgscan-core.h"
#include "mock-server.h"
#include "test-util.h"

typedef struct
{
  MockServer *mock;
  char       *image;      /* a small valid JPEG */
} Fixture;

typedef struct
{
  const char *stdin_text;
  gboolean    keep_bus;     /* leave DBUS_SESSION_BUS_ADDRESS: the keyring is used */
  gboolean    no_account;   /* IMGSCAN_EMAIL and IMGSCAN_API_KEY empty */
  gboolean    offline;      /* point the URLs at a closed port */
} RunOptions;

typedef struct
{
  int   status;   /* exit status; -1 when killed by a signal */
  char *out;
  char *err;
} CliOutput;

typedef struct
{
  GSubprocess *proc;
  GBytes      *out;
  GBytes      *err;
  GError      *error;
  gboolean     done;
} Child;

static const RunOptions default_options = { 0 };
static const char *system_data_dirs;

static void
cli_output_clear (CliOutput *output)
{
  g_clear_pointer (&output->out, g_free);
  g_clear_pointer (&output->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliOutput, cli_output_clear)

static GSubprocessLauncher *
make_launcher (Fixture          *fixture,
               const RunOptions *options,
               GSubprocessFlags  flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);
  const char *url = options->offline ? "http://127.0.0.1:9" : mock_server_get_url (fixture->mock);

  g_subprocess_launcher_setenv (launcher, "IMGSCAN_ID_URL", url, TRUE);
  g_subprocess_launcher_setenv (launcher, "IMGSCAN_API_URL", url, TRUE);
  g_subprocess_launcher_setenv (launcher, "IMGSCAN_EMAIL", options->no_account ? "" : MOCK_EMAIL, TRUE);
  g_subprocess_launcher_setenv (launcher, "IMGSCAN_API_KEY", options->no_account ? "" : MOCK_KEY, TRUE);
  /* English messages, whatever the machine's locale. */
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_DIRS", system_data_dirs, TRUE);
  /* This test's own directories (GLib sets only its own idea of them per test): the
   * child keeps its history where history_size() looks. */
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", g_get_user_runtime_dir (), TRUE);
  /* Without a bus the client keeps its token in memory only: runs don't share tokens. */
  if (!options->keep_bus)
    g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  return launcher;
}

static GSubprocess *
spawn_argv (GSubprocessLauncher *launcher,
            const char * const  *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("IMGSCAN_CLI");
  GSubprocess *proc;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return proc;
}

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Child *child = user_data;

  g_subprocess_communicate_finish (G_SUBPROCESS (source), result,
                                   &child->out, &child->err, &child->error);
  child->done = TRUE;
}

static Child *
child_spawn (Fixture            *fixture,
             const RunOptions   *options,
             const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GBytes) input = NULL;
  Child *child = g_new0 (Child, 1);

  launcher = make_launcher (fixture, options,
                            G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                            | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  child->proc = spawn_argv (launcher, args);
  input = g_bytes_new (options->stdin_text != NULL ? options->stdin_text : "",
                       options->stdin_text != NULL ? strlen (options->stdin_text) : 0);
  g_subprocess_communicate_async (child->proc, input, NULL, communicate_cb, child);
  return child;
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

static void
wait_for_exit (GSubprocess *proc)
{
  gboolean done = FALSE;

  g_subprocess_wait_async (proc, NULL, wait_cb, &done);
  /* The mock server lives in this main context: keep it turning. */
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static int
exit_status_of (GSubprocess *proc)
{
  if (g_subprocess_get_if_exited (proc))
    return g_subprocess_get_exit_status (proc);
  return -1;
}

/* No secret ever reaches the terminal. */
static void
assert_no_secret (const char *text)
{
  g_assert_null (strstr (text, MOCK_KEY));
  g_assert_null (strstr (text, IMGSCAN_DEMO_KEY));
  g_assert_null (strstr (text, "mock-token-"));
  g_assert_null (strstr (text, "demo-token-"));
}

/* Empty GBytes may hold a NULL pointer. */
static char *
bytes_to_string (GBytes *bytes)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  return data != NULL ? g_strndup (data, size) : g_strdup ("");
}

static void
child_finish (Child     *child,
              CliOutput *output)
{
  while (!child->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (child->error);
  wait_for_exit (child->proc);

  output->status = exit_status_of (child->proc);
  output->out = bytes_to_string (child->out);
  output->err = bytes_to_string (child->err);
  assert_no_secret (output->out);
  assert_no_secret (output->err);

  g_clear_pointer (&child->out, g_bytes_unref);
  g_clear_pointer (&child->err, g_bytes_unref);
  g_clear_object (&child->proc);
  g_free (child);
}

static void
run_cli_with (Fixture            *fixture,
              const RunOptions   *options,
              CliOutput          *output,
              const char * const *args)
{
  child_finish (child_spawn (fixture, options, args), output);
}

#define run_cli(fixture, output, ...) \
  run_cli_with (fixture, &default_options, output, (const char * const[]) { __VA_ARGS__, NULL })

/* An error is ONE line on stderr starting "imgscan-cli: ", and nothing on stdout. */
static void
assert_one_error_line (const CliOutput *output)
{
  g_assert_true (g_str_has_prefix (output->err, "imgscan-cli: "));
  g_assert_true (g_str_has_suffix (output->err, "\n"));
  g_assert_true (strchr (output->err, '\n') == output->err + strlen (output->err) - 1);
  g_assert_cmpstr (output->out, ==, "");
}

static char *
write_jpeg (int width,
            int height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (g_get_user_cache_dir (), "beach.jpg", NULL);

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  gdk_pixbuf_fill (pixbuf, 0xcc8844ff);
  gdk_pixbuf_save (pixbuf, path, "jpeg", &error, NULL);
  g_assert_no_error (error);
  return path;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->mock = mock_server_new ();
  fixture->image = write_jpeg (64, 48);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->mock);
  g_clear_pointer (&fixture->image, g_free);
}

static guint
history_size (void)
{
  g_autoptr(ImgscanHistory) history = imgscan_history_new (NULL);
  g_autoptr(GError) error = NULL;

  imgscan_history_load (history, NULL, &error);
  g_assert_no_error (error);
  return g_list_model_get_n_items (G_LIST_MODEL (history));
}

/* ---- usage --------------------------------------------------------------------------- */

static void
test_usage (Fixture       *fixture,
            gconstpointer  data)
{
  g_auto(CliOutput) output = { 0 };
  const char *commands[] = { "scan", "show", "login", "logout", "history", "export" };
  const char * const *bad[] = {
    (const char * const[]) { "frobnicate", NULL },
    (const char * const[]) { "--frobnicate", NULL },
    (const char * const[]) { "scan", NULL },
    (const char * const[]) { "scan", "--frobnicate", "x.jpg", NULL },
    (const char * const[]) { "scan", "a.jpg", "b.jpg", NULL },
    (const char * const[]) { "scan", "--scan-id", "UPPER-case", "x.jpg", NULL },
    (const char * const[]) { "scan", "--scan-id", "ab", "x.jpg", NULL },
    (const char * const[]) { "scan", "--scan-id", "a/b/c", "x.jpg", NULL },
    (const char * const[]) { "show", NULL },
    (const char * const[]) { "login", "extra", NULL },
    (const char * const[]) { "history", "extra", NULL },
    (const char * const[]) { "export", NULL },
    (const char * const[]) { "export", "abc", NULL },
    (const char * const[]) { "export", "abc", "--format", "xml", NULL },
    (const char * const[]) { "export", "no-such-scan", "--format", "csv", NULL },
  };

  run_cli (fixture, &output, "--help");
  g_assert_cmpint (output.status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *line = g_strdup_printf ("imgscan-cli %s", commands[i]);

      g_assert_nonnull (strstr (output.out, line));
    }
  g_assert_nonnull (strstr (output.out, "Exit status"));
  g_assert_nonnull (strstr (output.out, "--demo"));
  cli_output_clear (&output);

  run_cli (fixture, &output, "help");
  g_assert_cmpint (output.status, ==, 0);
  g_assert_nonnull (strstr (output.out, "imgscan-cli export SCAN_ID --format csv|json [-o FILE]"));
  cli_output_clear (&output);

  run_cli (fixture, &output, "--version");
  g_assert_cmpint (output.status, ==, 0);
  g_assert_cmpstr (output.out, ==, "imgscan-cli " PACKAGE_VERSION "\n");
  cli_output_clear (&output);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      run_cli (fixture, &output, commands[i], "--help");
      g_assert_cmpint (output.status, ==, 0);
      g_assert_nonnull (strstr (output.out, commands[i]));
      cli_output_clear (&output);
    }

  run_cli_with (fixture, &default_options, &output, (const char * const[]) { NULL });
  g_assert_cmpint (output.status, ==, 1);
  assert_one_error_line (&output);
  cli_output_clear (&output);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      run_cli_with (fixture, &default_options, &output, bad[i]);
      g_test_message ("%s → %d %s", bad[i][0], output.status, output.err);
      g_assert_cmpint (output.status, ==, 1);
      assert_one_error_line (&output);
      cli_output_clear (&output);
    }

  /* Nothing reached the server. */
  g_assert_cmpuint (mock_server_get_n_requests (fixture->mock), ==, 0);
}

/* ---- scan ------------------------------------------------------------------------------ */

static void
test_scan_summary (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(CliOutput) output = { 0 };
  const MockCheckRequest *request;

  run_cli (fixture, &output, "scan", fixture->image);
  g_assert_cmpint (output.status, ==, 0);
  g_assert_cmpstr (output.err, ==, "");   /* no progress when stderr is not a terminal */
  g_assert_nonnull (strstr (output.out, "File: beach.jpg\n"));
  g_assert_nonnull (strstr (output.out, "Credits: "));
  g_assert_nonnull (strstr (output.out,
                            "\nFull matches (2)\n"
                            "  https://images.example.com/full-1.jpg\n"
                            "    https://news.example.com/story-1\n"
                            "    https://blog.example.org/post\n"
                            "  https://images.example.com/full-2.jpg\n"
                            "    https://shop.example.net/item\n"
                            "\nPartial matches (1)\n"
                            "  https://images.example.com/partial-1.jpg\n"
                            "    https://forum.example.com/t/42\n"));
  g_assert_null (strstr (output.out, "Other matches"));
  g_assert_null (strstr (output.out, "Sandbox"));
  g_assert_null (strstr (output.out, "No copies"));

  request = mock_server_get_last_check (fixture->mock);
  g_assert_nonnull (request);
  g_assert_cmpstr (request->sandbox, ==, "false");
  g_assert_cmpstr (request->filename, ==, "beach.jpg");
  g_assert_cmpuint (mock_server_get_n_logins (fixture->mock), ==, 1);
  g_assert_cmpuint (history_size (), ==, 1);
  cli_output_clear (&output);

  run_cli (fixture, &output, "scan", "--sandbox", "--scan-id", "my-scan.1", fixture->image);
  g_assert_cmpint (output.status, ==, 0);
  g_assert_nonnull (strstr (output.out, "Sandbox — mock results"));
  g_assert_nonnull (strstr (output.out, "Scan ID: "));
  request = mock_server_get_last_check (fixture->mock);
  g_assert_cmpstr (request->sandbox, ==, "true");
  g_assert_cmpstr (request->scan_id, ==, "my-scan.1");
  g_assert_cmpuint (history_size (), ==, 2);
}

static void
test_scan_special_lists (Fixture       *fixture,
                         gconstpointer  data)
{
  g_auto(CliOutput) output = { 0 };

  mock_server_set_scenario (fixture->mock, "empty");
  run_cli (fixture, &output, "scan", fixture->image);
  g_assert_cmpint (output.status, ==, 0);
  g_assert_nonnull (strstr (output.out, "No copies found on the web.\n"));
  g_assert_null (strstr (output.out, "Full matches"));
  cli_output_clear (&output);

  mock_server_set_scenario (fixture->mock, "unknown-type");
  run_cli (fixture, &output, "scan", fixture->image);
  g_assert_cmpint (output.status, ==, 0);
  g_assert_nonnull (strstr (output.out, "\nOther matches (1)\n  https://images.example.com/odd.jpg  (matchType 7)\n"));
  cli_output_clear (&output);

  mock_server_set_scenario (fixture->mock, "score-mismatch");
  run_cli (fixture, &output, "scan", fixture->image);
  g_assert_cmpint (output.status, ==, 0);
  g_assert_nonnull (strstr (output.out, "Note: Copyleaks’ score"));
  cli_output_clear (&output);

  mock_server_set_scenario (fixture->mock, "duplicates");
  run_cli (fixture, &output, "scan", fixture->image);
  g_assert_cmpint (output.status, ==, 0);
  g_assert_nonnull (strstr (output.out, "repeated image URL"));
  /* Each image listed once. */
  g_assert_true (strstr (output.out, "full-1.jpg") == g_strrstr (output.out, "full-1.jpg"));
}

typedef struct
{
  const char *scenario;
  const char *login_scenario;
  int         status;
} ExitCase;

static void
test_scan_exit_codes (Fixture       *fixture,
                      gconstpointer  data)
{
  const ExitCase cases[] = {
    { "example", "401", 3 },
    { "example", "429", 4 },
    { "example", "400", 3 },
    { "status-401", NULL, 3 },
    { "status-403", NULL, 3 },
    { "status-402", NULL, 6 },
    { "payment-error", NULL, 6 },
    { "status-400", NULL, 4 },
    { "status-404", NULL, 4 },
    { "status-500", NULL, 4 },
    { "status-503", NULL, 4 },
    { "drop-connection", NULL, 4 },
    { "invalid-json", NULL, 5 },
    { "wrong-types", NULL, 5 },
    { "truncated", NULL, 4 },   /* the connection closed mid-reply: a network failure */
    { "not-object", NULL, 5 },
    { "huge", NULL, 5 },
    { "401-once", NULL, 0 },
    { "429-once", NULL, 0 },
    { "gzip", NULL, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CliOutput) output = { 0 };

      mock_server_reset (fixture->mock);
      mock_server_set_scenario (fixture->mock, cases[i].scenario);
      mock_server_set_login_scenario (fixture->mock, cases[i].login_scenario ? cases[i].login_scenario : "ok");
      run_cli (fixture, &output, "scan", fixture->image);
      g_test_message ("%s/%s → %d: %s", cases[i].scenario, cases[i].login_scenario,
                      output.status, output.err);
      g_assert_cmpint (output.status, ==, cases[i].status);
      if (cases[i].status != 0)
        assert_one_error_line (&output);
      /* A paid reply that cannot be read is still kept, and the user told where. */
      if (cases[i].status == 5 && !g_str_equal (cases[i].scenario, "huge"))
        {
          const char *saved = strstr (output.err, "The raw reply is saved as ");
          g_autofree char *path = NULL;

          g_assert_nonnull (saved);
          path = g_strndup (saved + strlen ("The raw reply is saved as "),
                            strlen (saved) - strlen ("The raw reply is saved as ") - strlen (".\n"));
          g_assert_true (g_str_has_prefix (path, g_get_user_data_dir ()));
          g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
        }
      /* Never a loop on login. */
      g_assert_cmpuint (mock_server_get_n_logins (fixture->mock), <=, 2);
      if (cases[i].login_scenario != NULL)
        g_assert_cmpuint (mock_server_get_n_logins (fixture->mock), ==, 1);
    }

  /* Only the successful ones were kept. */
  g_assert_cmpuint (history_size (), ==, 3);
}

/* A connection lost after the upload means the photo went out twice: the scan succeeds
 * with the one resend, and the user is told it may have been billed twice. */
static void
test_scan_resent (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *scenarios[] = { "drop-once", "500-once" };

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    {
      g_auto(CliOutput) output = { 0 };

      mock_server_reset (fixture->mock);
      mock_server_set_scenario (fixture->mock, scenarios[i]);
      run_cli (fixture, &output, "scan", fixture->image);
      g_assert_cmpint (output.status, ==, 0);
      g_assert_cmpuint (mock_server_get_n_checks (fixture->mock), ==, 2);
      g_assert_nonnull (strstr (output.err, "billed this scan twice"));
      g_assert_nonnull (strstr (output.err, mock_server_get_last_check (fixture->mock)->scan_id));
      g_assert_nonnull (strstr (output.out, "Full matches (2)"));
    }

  /* A scan that went out once says nothing of the kind. */
  {
    g_auto(CliOutput) output = { 0 };

    mock_server_reset (fixture->mock);
    mock_server_set_scenario (fixture->mock, "example");
    run_cli (fixture, &output, "scan", fixture->image);
    g_assert_cmpint (output.status, ==, 0);
    g_assert_null (strstr (output.err, "billed"));
  }
}

static void
test_scan_refused (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(CliOutput) output = { 0 };
  g_autofree char *text_file = g_build_filename (g_get_user_cache_dir (), "notes.jpg", NULL);
  g_autofree char *missing = g_build_filename (g_get_user_cache_dir (), "missing.jpg", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (text_file, "not an image at all", -1, &error);
  g_assert_no_error (error);

  run_cli (fixture, &output, "scan", text_file);
  g_assert_cmpint (output.status, ==, 2);
  assert_one_error_line (&output);
  g_assert_nonnull (strstr (output.err, "Nothing was sent."));
  cli_output_clear (&output);

  run_cli (fixture, &output, "scan", missing);
  g_assert_cmpint (output.status, ==, 2);
  assert_one_error_line (&output);
  cli_output_clear (&output);

  run_cli (fixture, &output, "scan", g_get_user_cache_dir ());
  g_assert_cmpint (output.status, ==, 2);
  assert_one_error_line (&output);

  /* Not even a login. */
  g_assert_cmpuint (mock_server_get_n_requests (fixture->mock), ==, 0);
  g_assert_cmpuint (history_size (), ==, 0);
}

static void
test_scan_no_credentials (Fixture       *fixture,
                          gconstpointer  data)
{
  g_auto(CliOutput) output = { 0 };
  RunOptions options = { .no_account = TRUE };

  run_cli_with (fixture, &options, &output, (const char * const[]) { "scan", fixture->image, NULL });
  g_assert_cmpint (output.status, ==, 3);
  assert_one_error_line (&output);
  g_assert_nonnull (strstr (output.err, "imgscan-cli login"));
  g_assert_nonnull (strstr (output.err, "--demo"));
  g_assert_cmpuint (mock_server_get_n_requests (fixture->mock), ==, 0);
}

static void
test_scan_cancel (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(CliOutput) output = { 0 };
  Child *child;

  mock_server_set_scenario (fixture->mock, "slow");
  mock_server_set_delay (fixture->mock, 60000);
  child = child_spawn (fixture, &default_options,
                       (const char * const[]) { "scan", fixture->image, NULL });

  /* Ctrl-C while the server is "searching". */
  while (mock_server_get_n_checks (fixture->mock) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_send_signal (child->proc, SIGINT);
  child_finish (child, &output);

  g_assert_cmpint (output.status, ==, 130);
  assert_one_error_line (&output);
  g_assert_nonnull (strstr (output.err, "cancelled"));
  g_assert_cmpuint (history_size (), ==, 0);
}

/* ---- JSON, show, history, export -------------------------------------------------------- */

static char *
write_temp (const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (g_get_user_cache_dir (), name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_json_round_trip (Fixture       *fixture,
                      gconstpointer  data)
{
  g_auto(CliOutput) scan = { 0 };
  g_auto(CliOutput) output = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *exported = g_build_filename (g_get_user_cache_dir (), "export.json", NULL);
  g_autofree char *csv_file = g_build_filename (g_get_user_cache_dir (), "export.csv", NULL);
  g_autofree char *contents = NULL;
  JsonArray *list;
  JsonObject *entry;

  mock_server_set_scenario (fixture->mock, "out-of-order");
  run_cli (fixture, &scan, "scan", "--json", "--scan-id", "round-trip-1", fixture->image);
  g_assert_cmpint (scan.status, ==, 0);
  g_assert_cmpstr (scan.err, ==, "");
  g_assert_true (g_str_has_suffix (scan.out, "}\n"));
  /* Full matches first, whatever the order received. */
  g_assert_true (strstr (scan.out, "full-2.jpg") < strstr (scan.out, "partial-1.jpg"));

  saved = write_temp ("scan.json", scan.out);
  run_cli (fixture, &output, "show", "--json", saved);
  g_assert_cmpint (output.status, ==, 0);
  g_assert_cmpstr (output.out, ==, scan.out);
  cli_output_clear (&output);

  run_cli (fixture, &output, "show", saved);
  g_assert_cmpint (output.status, ==, 0);
  g_assert_nonnull (strstr (output.out, "Full matches (2)"));
  g_assert_nonnull (strstr (output.out, "Partial matches (2)"));
  cli_output_clear (&output);

  /* The history lists it, and its JSON export is what scan --json printed. */
  run_cli (fixture, &output, "history");
  g_assert_cmpint (output.status, ==, 0);
  g_assert_nonnull (strstr (output.out, "round-trip-1"));
  g_assert_nonnull (strstr (output.out, "beach.jpg"));
  g_assert_nonnull (strstr (output.out, "2 full, 2 partial"));
  cli_output_clear (&output);

  run_cli (fixture, &output, "history", "--json");
  g_assert_cmpint (output.status, ==, 0);
  json_parser_load_from_data (parser, output.out, -1, &error);
  g_assert_no_error (error);
  list = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  entry = json_array_get_object_element (list, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "scanId"), ==, "round-trip-1");
  g_assert_cmpint (json_object_get_int_member (entry, "fullMatches"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (entry, "partialMatches"), ==, 2);
  g_assert_false (json_object_get_boolean_member (entry, "sandbox"));
  cli_output_clear (&output);

  run_cli (fixture, &output, "export", "round-trip-1", "--format", "json");
  g_assert_cmpint (output.status, ==, 0);
  g_assert_cmpstr (output.out, ==, scan.out);
  cli_output_clear (&output);

  run_cli (fixture, &output, "export", "round-trip-1", "--format", "json", "-o", exported);
  g_assert_cmpint (output.status, ==, 0);
  g_assert_cmpstr (output.out, ==, "");
  g_file_get_contents (exported, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, scan.out);
  g_clear_pointer (&contents, g_free);
  cli_output_clear (&output);

  run_cli (fixture, &output, "export", "round-trip-1", "--format", "csv", "-o", csv_file);
  g_assert_cmpint (output.status, ==, 0);
  g_file_get_contents (csv_file, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "kind,image_url,domain,page_url"));
  g_assert_nonnull (strstr (contents, "https://images.example.com/full-1.jpg"));
  cli_output_clear (&output);

  run_cli (fixture, &output, "export", "round-trip-1", "--format", "csv");
  g_assert_cmpint (output.status, ==, 0);
  g_assert_cmpstr (output.out, ==, contents);
}

static void
test_history_empty (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(CliOutput) output = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  run_cli (fixture, &output, "history");
  g_assert_cmpint (output.status, ==, 0);
  g_assert_nonnull (strstr (output.out, "No scans kept yet"));
  cli_output_clear (&output);

  run_cli (fixture, &output, "history", "--json");
  g_assert_cmpint (output.status, ==, 0);
  json_parser_load_from_data (parser, output.out, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))), ==, 0);
}

static void
test_show_fixtures (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "data", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autofree char *garbage = NULL;
  g_autofree char *missing = g_build_filename (g_get_user_cache_dir (), "missing.json", NULL);
  const char *name;
  guint n_valid = 0;
  guint n_invalid = 0;
  guchar noise[512];

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_auto(CliOutput) output = { 0 };
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;
      g_autoptr(ImgscanResult) expected = NULL;

      if (!g_str_has_suffix (name, ".json") && !g_str_has_suffix (name, ".txt"))
        continue;

      g_file_get_contents (path, &contents, &length, NULL);
      expected = imgscan_result_new_from_data (contents, length, NULL);

      run_cli (fixture, &output, "show", "--json", path);
      g_test_message ("%s → %d", name, output.status);
      if (expected != NULL)
        {
          g_autofree char *json = imgscan_export_result (expected, IMGSCAN_EXPORT_FORMAT_JSON, NULL);

          g_assert_cmpint (output.status, ==, 0);
          g_assert_true (g_str_has_prefix (output.out, json));
          n_valid++;
        }
      else
        {
          g_assert_cmpint (output.status, ==, 5);
          assert_one_error_line (&output);
          n_invalid++;
        }
    }
  g_assert_cmpuint (n_valid, >, 0);
  g_assert_cmpuint (n_invalid, >, 0);

  for (guint i = 0; i < sizeof noise; i++)
    noise[i] = (guchar) g_test_rand_int_range (0, 256);
  garbage = g_build_filename (g_get_user_cache_dir (), "garbage.json", NULL);
  g_file_set_contents (garbage, (const char *) noise, sizeof noise, NULL);

  {
    g_auto(CliOutput) output = { 0 };

    run_cli (fixture, &output, "show", garbage);
    g_assert_cmpint (output.status, ==, 5);
    assert_one_error_line (&output);
    cli_output_clear (&output);

    run_cli (fixture, &output, "show", missing);
    g_assert_cmpint (output.status, ==, 5);
    assert_one_error_line (&output);
  }

  g_assert_cmpuint (mock_server_get_n_requests (fixture->mock), ==, 0);
}

/* ---- demo --------------------------------------------------------------------------------- */

static void
test_demo (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(CliOutput) output = { 0 };
  g_autofree char *sample = g_test_build_filename (G_TEST_DIST, "..", "data", "demo",
                                                   "sample-photo.jpg", NULL);
  RunOptions options = { .no_account = TRUE, .offline = TRUE };

  /* No account, and the configured servers unreachable: the demo needs neither. */
  run_cli_with (fixture, &options, &output, (const char * const[]) { "scan", "--demo", sample, NULL });
  g_assert_cmpint (output.status, ==, 0);
  g_assert_cmpstr (output.err, ==, "");
  g_assert_nonnull (strstr (output.out, "File: sample-photo.jpg\n"));
  g_assert_nonnull (strstr (output.out, "1200 × 800 pixels"));
  g_assert_nonnull (strstr (output.out, "\nFull matches (3)\n  http://127.0.0.1:"));
  g_assert_nonnull (strstr (output.out, "\nPartial matches (5)\n"));
  g_assert_nonnull (strstr (output.out, "/pages/"));
  g_assert_nonnull (strstr (output.out, "Sandbox — mock results"));
  g_assert_cmpuint (history_size (), ==, 1);
  cli_output_clear (&output);

  run_cli_with (fixture, &options, &output,
                (const char * const[]) { "scan", "--demo", "--json", sample, NULL });
  g_assert_cmpint (output.status, ==, 0);
  g_assert_nonnull (strstr (output.out, "\"filename\" : \"sample-photo.jpg\""));
  g_assert_cmpuint (history_size (), ==, 2);

  g_assert_cmpuint (mock_server_get_n_requests (fixture->mock), ==, 0);
}

/* ---- the reply is kept before it is printed ----------------------------------------------- */

static void
close_stdout_setup (gpointer user_data)
{
  close (STDOUT_FILENO);
}

static void
check_kept_despite_output (Fixture    *fixture,
                           gboolean    close_fd,
                           const char *scan_id)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(ImgscanHistory) history = imgscan_history_new (NULL);
  g_autofree char *err_path = g_build_filename (g_get_user_cache_dir (), "stderr.txt", NULL);
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;

  launcher = make_launcher (fixture, &default_options,
                            close_fd ? G_SUBPROCESS_FLAGS_NONE : G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_stderr_file_path (launcher, err_path);
  if (close_fd)
    g_subprocess_launcher_set_child_setup (launcher, close_stdout_setup, NULL, NULL);

  proc = spawn_argv (launcher, (const char * const[]) { "scan", "--scan-id", scan_id,
                                                        fixture->image, NULL });
  /* Nobody reads: the first write meets a closed pipe. */
  if (!close_fd)
    g_input_stream_close (g_subprocess_get_stdout_pipe (proc), NULL, NULL);
  wait_for_exit (proc);

  g_file_get_contents (err_path, &err, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("stdout %s: %d %s", close_fd ? "closed" : "broken pipe", exit_status_of (proc), err);
  assert_no_secret (err);
  g_assert_cmpint (exit_status_of (proc), ==, 1);
  g_assert_true (g_str_has_prefix (err, "imgscan-cli: "));
  g_assert_nonnull (strstr (err, "kept in the history"));

  imgscan_history_load (history, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (imgscan_history_lookup (history, scan_id));
}

static void
test_kept_when_stdout_fails (Fixture       *fixture,
                             gconstpointer  data)
{
  check_kept_despite_output (fixture, FALSE, "broken-pipe");
  check_kept_despite_output (fixture, TRUE, "closed-stdout");
  g_assert_cmpuint (history_size (), ==, 2);
}

static void
test_history_unwritable (Fixture       *fixture,
                         gconstpointer  data)
{
  g_auto(CliOutput) output = { 0 };
  g_autofree char *blocker = g_build_filename (g_get_user_data_dir (), "imgscan", NULL);
  g_autoptr(GError) error = NULL;

  /* A file where the history folder should be: keeping fails, printing still happens. */
  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  g_file_set_contents (blocker, "in the way", -1, &error);
  g_assert_no_error (error);

  run_cli (fixture, &output, "scan", fixture->image);
  g_assert_cmpint (output.status, ==, 0);
  g_assert_true (g_str_has_prefix (output.err, "imgscan-cli: warning: "));
  g_assert_nonnull (strstr (output.err, "could not be kept in the history"));
  g_assert_true (strchr (output.err, '\n') == output.err + strlen (output.err) - 1);
  g_assert_nonnull (strstr (output.out, "Full matches (2)"));
  g_assert_null (strstr (output.out, "Kept in the history"));
}

/* ---- secrets in files --------------------------------------------------------------------- */

static void
assert_no_secret_in_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_get_contents (path, &contents, &length, NULL))
        {
          g_assert_null (g_strstr_len (contents, length, MOCK_KEY));
          g_assert_null (g_strstr_len (contents, length, "mock-token-"));
        }
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (!g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        assert_no_secret_in_tree (child);
    }
}

static void
test_no_secret_in_files (Fixture       *fixture,
                         gconstpointer  data)
{
  g_auto(CliOutput) output = { 0 };

  run_cli (fixture, &output, "scan", fixture->image);
  g_assert_cmpint (output.status, ==, 0);
  g_assert_cmpuint (history_size (), ==, 1);
  assert_no_secret_in_tree (g_get_home_dir ());
  assert_no_secret_in_tree (g_get_user_data_dir ());
  assert_no_secret_in_tree (g_get_user_config_dir ());
  assert_no_secret_in_tree (g_get_user_cache_dir ());
}

/* ---- login and logout, in the session's keyring ------------------------------------------- */

static gboolean
have_session_bus (void)
{
  const char *address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");

  if (address != NULL && *address != '\0')
    return TRUE;
  /* CI always runs inside dbus-run-session with an unlocked keyring: missing is a bug. */
  g_assert_cmpstr (g_getenv ("CI"), !=, "true");
  g_test_skip ("no session bus (run under dbus-run-session with gnome-keyring)");
  return FALSE;
}

static void
test_login_logout (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(CliOutput) output = { 0 };
  RunOptions env_account = { .keep_bus = TRUE };
  RunOptions stored = { .keep_bus = TRUE, .no_account = TRUE };
  RunOptions piped = { .keep_bus = TRUE, .no_account = TRUE,
                       .stdin_text = MOCK_EMAIL "\n" MOCK_KEY "\n" };

  if (!have_session_bus ())
    return;

  /* Start clean, whatever an earlier run left. */
  run_cli_with (fixture, &stored, &output, (const char * const[]) { "logout", NULL });
  g_assert_cmpint (output.status, ==, 0);
  cli_output_clear (&output);

  run_cli_with (fixture, &env_account, &output, (const char * const[]) { "login", NULL });
  g_assert_cmpint (output.status, ==, 0);
  g_assert_nonnull (strstr (output.out, MOCK_EMAIL));
  g_assert_cmpuint (mock_server_get_n_logins (fixture->mock), ==, 1);
  cli_output_clear (&output);

  /* Nothing in the environment: the stored account and its cached token, no new login. */
  run_cli_with (fixture, &stored, &output, (const char * const[]) { "scan", fixture->image, NULL });
  g_assert_cmpint (output.status, ==, 0);
  g_assert_cmpuint (mock_server_get_n_checks (fixture->mock), ==, 1);
  g_assert_cmpuint (mock_server_get_n_logins (fixture->mock), ==, 1);
  cli_output_clear (&output);

  run_cli_with (fixture, &stored, &output, (const char * const[]) { "logout", NULL });
  g_assert_cmpint (output.status, ==, 0);
  cli_output_clear (&output);

  run_cli_with (fixture, &stored, &output, (const char * const[]) { "scan", fixture->image, NULL });
  g_assert_cmpint (output.status, ==, 3);
  assert_one_error_line (&output);
  g_assert_cmpuint (mock_server_get_n_checks (fixture->mock), ==, 1);
  cli_output_clear (&output);

  /* Read from stdin when it is not a terminal. */
  run_cli_with (fixture, &piped, &output, (const char * const[]) { "login", NULL });
  g_assert_cmpint (output.status, ==, 0);
  g_assert_cmpuint (mock_server_get_n_logins (fixture->mock), ==, 2);
  cli_output_clear (&output);

  run_cli_with (fixture, &stored, &output, (const char * const[]) { "logout", NULL });
  g_assert_cmpint (output.status, ==, 0);
}

static void
test_login_wrong_credentials (Fixture       *fixture,
                              gconstpointer  data)
{
  g_auto(CliOutput) output = { 0 };
  RunOptions env_account = { .keep_bus = TRUE };
  RunOptions stored = { .keep_bus = TRUE, .no_account = TRUE };

  if (!have_session_bus ())
    return;

  run_cli_with (fixture, &stored, &output, (const char * const[]) { "logout", NULL });
  g_assert_cmpint (output.status, ==, 0);
  cli_output_clear (&output);

  mock_server_set_login_scenario (fixture->mock, "401");
  run_cli_with (fixture, &env_account, &output, (const char * const[]) { "login", NULL });
  g_assert_cmpint (output.status, ==, 3);
  assert_one_error_line (&output);
  /* Exactly one attempt: Copyleaks blocks after 12 logins in 15 minutes. */
  g_assert_cmpuint (mock_server_get_n_logins (fixture->mock), ==, 1);
  cli_output_clear (&output);

  /* Nothing was stored. */
  run_cli_with (fixture, &stored, &output, (const char * const[]) { "scan", fixture->image, NULL });
  g_assert_cmpint (output.status, ==, 3);
  g_assert_cmpuint (mock_server_get_n_checks (fixture->mock), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  /* Format sniffing reads the system's shared-mime-info, which isolated dirs hide; the
   * CLI children get the real XDG_DATA_DIRS back too. */
  system_data_dirs = test_util_remember_system_data_dirs ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  test_util_keep_mime_database ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/cli/usage", test_usage);
  ADD ("/cli/scan/summary", test_scan_summary);
  ADD ("/cli/scan/special-lists", test_scan_special_lists);
  ADD ("/cli/scan/exit-codes", test_scan_exit_codes);
  ADD ("/cli/scan/resent", test_scan_resent);
  ADD ("/cli/scan/refused", test_scan_refused);
  ADD ("/cli/scan/no-credentials", test_scan_no_credentials);
  ADD ("/cli/scan/cancel", test_scan_cancel);
  ADD ("/cli/scan/kept-when-stdout-fails", test_kept_when_stdout_fails);
  ADD ("/cli/scan/no-secret-in-files", test_no_secret_in_files);
  ADD ("/cli/scan/history-unwritable", test_history_unwritable);
  ADD ("/cli/json-round-trip", test_json_round_trip);
  ADD ("/cli/history/empty", test_history_empty);
  ADD ("/cli/show/fixtures", test_show_fixtures);
  ADD ("/cli/demo", test_demo);
  ADD ("/cli/login-logout", test_login_logout);
  ADD ("/cli/login/wrong-credentials", test_login_wrong_credentials);

#undef ADD

  return g_test_run ();
}
