/* imgscan-cli-account.c: `login` and `logout`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "imgscan-cli-private.h"

/* The terminal as it was before the key prompt turned echo off; restored on Ctrl-C too. */
static struct termios saved_termios;
static volatile sig_atomic_t echo_is_off;

static void
restore_echo_and_exit (int signum)
{
  if (echo_is_off)
    tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
  /* Async-signal-safe: end the prompt line, then leave as Ctrl-C does. */
  (void) !write (STDERR_FILENO, "\n", 1);
  _exit (signum == SIGINT ? CLI_EXIT_CANCELLED : 128 + signum);
}

static char *
read_line (void)
{
  char *line = NULL;
  size_t size = 0;
  ssize_t n = getline (&line, &size, stdin);
  char *result;

  if (n < 0)
    {
      free (line);
      return NULL;
    }

  result = g_strstrip (g_strdup (line));
  free (line);
  return result;
}

/* Both on a terminal (key not echoed) or from a pipe (two lines, no prompts). */
static void
prompt_account (char **email,
                char **key)
{
  gboolean tty = isatty (STDIN_FILENO);
  struct sigaction action = { 0 };
  struct sigaction old_int;
  struct sigaction old_term;
  struct termios quiet;

  if (tty)
    {
      fputs (_("Copyleaks email: "), stderr);
      fflush (stderr);
    }
  *email = read_line ();
  if (*email == NULL)
    return;

  if (!tty)
    {
      *key = read_line ();
      return;
    }

  fputs (_("API key (not shown): "), stderr);
  fflush (stderr);

  action.sa_handler = restore_echo_and_exit;
  sigemptyset (&action.sa_mask);
  sigaction (SIGINT, &action, &old_int);
  sigaction (SIGTERM, &action, &old_term);

  if (tcgetattr (STDIN_FILENO, &saved_termios) == 0)
    {
      quiet = saved_termios;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      quiet.c_lflag |= ECHONL;
      if (tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0)
        echo_is_off = 1;
    }

  *key = read_line ();

  if (echo_is_off)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
      echo_is_off = 0;
    }
  sigaction (SIGINT, &old_int, NULL);
  sigaction (SIGTERM, &old_term, NULL);
}

typedef struct
{
  CliRun  run;
  GError *error;
} LoginState;

static void
login_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  LoginState *state = user_data;

  imgscan_client_login_finish (IMGSCAN_CLIENT (source), result, &state->error);
  g_main_loop_quit (state->run.loop);
}

int
cli_command_login (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(ImgscanClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL;
  g_autofree char *key = NULL;
  g_autofree char *old_email = NULL;
  g_autofree char *old_key = NULL;
  g_autofree char *text = NULL;
  const char *env_email = g_getenv ("IMGSCAN_EMAIL");
  const char *env_key = g_getenv ("IMGSCAN_API_KEY");
  LoginState state = { 0 };
  int status;

  context = cli_option_context_new (NULL,
                                    _("Check a Copyleaks email and API key with one login and "
                                      "keep them in the keyring. They are read from "
                                      "IMGSCAN_EMAIL and IMGSCAN_API_KEY when set, otherwise "
                                      "asked for (the key is not shown)."),
                                    NULL);
  if ((status = cli_parse_options (context, "login", &argc, &argv)) >= 0)
    return status;
  if (argc != 1)
    return cli_fail (CLI_EXIT_USAGE, _("login takes no arguments; run `imgscan-cli login --help`"));

  /* Check first: a login spent on an account we cannot keep counts against the 12 per
   * 15 minutes Copyleaks allows. */
  if (!imgscan_keyring_is_available ())
    return cli_fail (CLI_EXIT_AUTH,
                     _("there is no keyring to keep the account (no session bus); set "
                       "IMGSCAN_EMAIL and IMGSCAN_API_KEY instead"));

  if (env_email != NULL && *env_email != '\0' && env_key != NULL && *env_key != '\0')
    {
      email = g_strdup (env_email);
      key = g_strdup (env_key);
    }
  else
    prompt_account (&email, &key);

  if (email == NULL || *email == '\0' || key == NULL || *key == '\0')
    return cli_fail (CLI_EXIT_AUTH,
                     _("no email or API key given; the key is on the Copyleaks dashboard "
                       "under API access"));

  /* The account goes in first: storing an account clears every cached token, so the
   * token of the login below must be written after it. Should the login fail, the
   * previous account (if any) is put back. */
  imgscan_keyring_lookup_account (&old_email, &old_key, NULL, NULL);
  if (!imgscan_keyring_store_account (email, key, NULL, &error))
    return cli_fail (CLI_EXIT_AUTH,
                     _("cannot keep the account in the keyring (%s); set IMGSCAN_EMAIL and "
                       "IMGSCAN_API_KEY instead"), error->message);

  client = imgscan_client_new (NULL, NULL);
  imgscan_client_set_credentials (client, email, key);

  cli_run_init (&state.run);
  imgscan_client_login_async (client, state.run.cancellable, login_cb, &state);
  g_main_loop_run (state.run.loop);
  cli_run_clear (&state.run);

  if (state.error != NULL)
    {
      g_autoptr(GError) restore_error = NULL;

      if (old_email != NULL && old_key != NULL)
        imgscan_keyring_store_account (old_email, old_key, NULL, &restore_error);
      else
        imgscan_keyring_clear_account (NULL, &restore_error);
      if (restore_error != NULL)
        cli_warn (_("the keyring could not be put back as it was (%s)"), restore_error->message);

      status = cli_fail_with_error (state.error);
      g_clear_error (&state.error);
      return status;
    }

  text = g_strdup_printf (_("Signed in as %s. The account is kept in the keyring; "
                            "`imgscan-cli scan IMAGE` uses it.\n"), email);
  if (!cli_write_stdout (text, strlen (text), &error))
    return cli_fail_output (error);
  return CLI_EXIT_OK;
}

int
cli_command_logout (int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const char *text;
  int status;

  context = cli_option_context_new (NULL,
                                    _("Remove the Copyleaks account and its cached token "
                                      "from the keyring."),
                                    NULL);
  if ((status = cli_parse_options (context, "logout", &argc, &argv)) >= 0)
    return status;
  if (argc != 1)
    return cli_fail (CLI_EXIT_USAGE, _("logout takes no arguments; run `imgscan-cli logout --help`"));

  if (!imgscan_keyring_is_available ())
    {
      text = _("There is no keyring here (no session bus), so no account was kept.\n");
    }
  else
    {
      if (!imgscan_keyring_clear_account (NULL, &error))
        return cli_fail (CLI_EXIT_AUTH,
                         _("cannot remove the account from the keyring (%s); try again, "
                           "or remove it with Passwords and Keys (Seahorse)"), error->message);
      text = _("Signed out: the account and its token were removed from the keyring.\n");
    }

  if (!cli_write_stdout (text, strlen (text), &error))
    return cli_fail_output (error);
  return CLI_EXIT_OK;
}
