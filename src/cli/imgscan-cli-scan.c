/* imgscan-cli-scan.c: `scan` (upload, keep, print) and `show` (print a saved reply)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-cli"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "imgscan-cli-private.h"

typedef struct
{
  CliRun            run;
  gboolean          tty;
  gboolean          progress_shown;
  ImgscanResult    *result;
  GBytes           *raw_reply;
  ImgscanImageInfo *info;
  GError           *error;
  char             *resent_scan_id;  /* set when the upload went out twice */
} ScanState;

static void
clear_progress (ScanState *state)
{
  if (state->progress_shown)
    {
      fputs ("\r\033[K", stderr);
      fflush (stderr);
      state->progress_shown = FALSE;
    }
}

static void
progress_cb (ImgscanClientPhase phase,
             guint64            done,
             guint64            total,
             gpointer           user_data)
{
  ScanState *state = user_data;
  g_autofree char *text = NULL;

  if (!state->tty)
    return;

  switch (phase)
    {
    case IMGSCAN_CLIENT_PHASE_CHECKING:
      text = g_strdup (_("Checking the image…"));
      break;
    case IMGSCAN_CLIENT_PHASE_LOGGING_IN:
      text = g_strdup (_("Signing in to Copyleaks…"));
      break;
    case IMGSCAN_CLIENT_PHASE_UPLOADING:
      /* TRANSLATORS: upload progress, in percent */
      text = g_strdup_printf (_("Uploading… %u%%"),
                              total > 0 ? (guint) (MIN (done, total) * 100 / total) : 0);
      break;
    case IMGSCAN_CLIENT_PHASE_SEARCHING:
      text = g_strdup (_("Searching the web…"));
      break;
    case IMGSCAN_CLIENT_PHASE_RETRYING:
      {
        guint seconds = (guint) ((total > done ? total - done : 0) + 999) / 1000;

        text = g_strdup_printf (ngettext ("Copyleaks is busy; trying again in %u second…",
                                          "Copyleaks is busy; trying again in %u seconds…",
                                          seconds),
                                seconds);
      }
      break;
    default:
      return;
    }

  fprintf (stderr, "\r\033[K%s", text);
  fflush (stderr);
  state->progress_shown = TRUE;
}

static void
check_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  ScanState *state = user_data;

  state->result = imgscan_client_check_finish (IMGSCAN_CLIENT (source), result,
                                               &state->raw_reply, &state->info, &state->error);
  if (imgscan_client_check_was_resent (IMGSCAN_CLIENT (source), result))
    state->resent_scan_id = g_strdup (imgscan_client_check_get_scan_id (IMGSCAN_CLIENT (source),
                                                                        result));
  g_main_loop_quit (state->run.loop);
}

/* Copyleaks takes 3–36 characters; we accept the safe part of its alphabet, so the id
 * never needs escaping in the URL path. */
static gboolean
scan_id_is_valid (const char *scan_id)
{
  gsize length = strlen (scan_id);

  if (length < 3 || length > 36)
    return FALSE;
  for (const char *p = scan_id; *p != '\0'; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-' || *p == '_' || *p == '.'))
      return FALSE;
  return TRUE;
}

/* Keeps the reply before anything is printed: a reply Copyleaks cannot send again. */
static gboolean
keep_in_history (ScanState *state,
                 GFile     *image,
                 gboolean   sandbox)
{
  g_autoptr(ImgscanHistory) history = imgscan_history_new (NULL);
  g_autoptr(ImgscanHistoryEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) load_error = NULL;

  /* A history that cannot be listed can still take a new entry. */
  if (!imgscan_history_load (history, NULL, &load_error))
    g_debug ("Cannot load the history: %s", load_error->message);

  entry = imgscan_history_add (history, state->raw_reply, state->result, image, sandbox,
                               NULL, &error);
  if (entry == NULL)
    {
      cli_warn (_("this result could not be kept in the history (%s); save the output, "
                  "Copyleaks cannot send it again"), error->message);
      return FALSE;
    }

  /* imgscan_history_add returns transfer full. */
  return TRUE;
}

/* A 2xx reply that cannot be read was still paid for: keep its bytes where the user can
 * find them. Returns the path, or NULL after a warning. */
static char *
keep_unreadable_reply (GBytes *raw_reply)
{
  g_autoptr(GError) error = NULL;
  char *path = imgscan_history_keep_unreadable_reply (raw_reply, &error);

  if (path == NULL)
    cli_warn (_("cannot keep the unreadable reply (%s)"), error->message);
  return path;
}

int
cli_command_scan (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(ImgscanDemoServer) demo = NULL;
  g_autoptr(ImgscanClient) client = NULL;
  g_autoptr(GFile) image = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *scan_id = NULL;
  g_autofree char *text = NULL;
  ScanState state = { 0 };
  gboolean sandbox = FALSE;
  gboolean json = FALSE;
  gboolean demo_mode = FALSE;
  gboolean kept;
  gsize length = 0;
  int status;
  GOptionEntry entries[] = {
    { "sandbox", 0, 0, G_OPTION_ARG_NONE, &sandbox,
      N_("Free test scan: Copyleaks answers with mock results"), NULL },
    { "scan-id", 0, 0, G_OPTION_ARG_STRING, &scan_id,
      N_("Use this scan id (3–36 lower-case letters, digits, - _ .) instead of a fresh one"),
      N_("ID") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the normalised result as JSON"), NULL },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo_mode,
      N_("Scan against a built-in offline demo server: no account, no network"), NULL },
    { NULL }
  };

  context = cli_option_context_new (_("IMAGE"),
                                    _("Search the web for copies of a photo. The reply is kept "
                                      "in the history before it is printed."),
                                    entries);
  if ((status = cli_parse_options (context, "scan", &argc, &argv)) >= 0)
    return status;

  if (argc != 2)
    return cli_fail (CLI_EXIT_USAGE,
                     argc < 2 ? _("no image given; run `imgscan-cli scan IMAGE`")
                              : _("give exactly one image; run `imgscan-cli scan --help`"));
  if (scan_id != NULL && !scan_id_is_valid (scan_id))
    return cli_fail (CLI_EXIT_USAGE,
                     _("the scan id “%s” is not 3–36 lower-case letters, digits, - _ or .; "
                       "leave --scan-id out to get a fresh one"), scan_id);

  image = g_file_new_for_commandline_arg (argv[1]);

  if (demo_mode)
    {
      demo = imgscan_demo_server_new (&error);
      if (demo == NULL)
        return cli_fail (CLI_EXIT_NETWORK, "%s", error->message);

      client = imgscan_client_new (imgscan_demo_server_get_url (demo),
                                   imgscan_demo_server_get_url (demo));
      imgscan_client_set_use_keyring (client, FALSE);
      imgscan_client_set_credentials (client, IMGSCAN_DEMO_EMAIL, IMGSCAN_DEMO_KEY);
      sandbox = TRUE;
    }
  else
    {
      client = imgscan_client_new (NULL, NULL);
      /* The stored account and its cached token: no new login when it is still good. */
      if (!imgscan_client_load_credentials (client, NULL, &error))
        {
          if (error != NULL)
            return cli_fail (CLI_EXIT_AUTH,
                             _("cannot read the account from the keyring (%s); run "
                               "`imgscan-cli login` again, or set IMGSCAN_EMAIL and "
                               "IMGSCAN_API_KEY"), error->message);
          return cli_fail (CLI_EXIT_AUTH,
                           _("no Copyleaks account is set up; run `imgscan-cli login`, "
                             "set IMGSCAN_EMAIL and IMGSCAN_API_KEY, or try "
                             "`imgscan-cli scan --demo IMAGE`"));
        }
    }

  state.tty = isatty (STDERR_FILENO);
  cli_run_init (&state.run);
  imgscan_client_check_async (client, image, scan_id, sandbox,
                              progress_cb, &state, NULL,
                              state.run.cancellable, check_cb, &state);
  g_main_loop_run (state.run.loop);
  clear_progress (&state);
  cli_run_clear (&state.run);

  if (state.result == NULL)
    {
      if (state.error == NULL)
        g_set_error_literal (&state.error, IMGSCAN_CLIENT_ERROR,
                             IMGSCAN_CLIENT_ERROR_INVALID_RESPONSE, _("no result"));
      if (state.raw_reply != NULL && g_bytes_get_size (state.raw_reply) > 0)
        {
          g_autofree char *kept_path = keep_unreadable_reply (state.raw_reply);
          g_autofree char *message = cli_one_line (state.error->message);

          if (kept_path != NULL)
            status = cli_fail (CLI_EXIT_INVALID, _("%s. The raw reply is saved as %s."),
                               message, kept_path);
          else
            status = cli_fail_with_error (state.error);
        }
      else
        status = cli_fail_with_error (state.error);

      g_clear_error (&state.error);
      g_clear_object (&state.info);
      g_clear_pointer (&state.raw_reply, g_bytes_unref);
      g_clear_pointer (&state.resent_scan_id, g_free);
      return status;
    }

  /* The connection was lost after the upload went out, so the photo was sent twice. */
  if (state.resent_scan_id != NULL)
    cli_warn (_("the connection was lost after the photo was sent, so it was sent again with "
                "the same scan ID (%s); Copyleaks may have billed this scan twice"),
              state.resent_scan_id);
  g_clear_pointer (&state.resent_scan_id, g_free);

  kept = state.raw_reply != NULL && keep_in_history (&state, image, sandbox);
  if (state.raw_reply == NULL)
    cli_warn (_("the client gave no raw reply, so this result was not kept in the history"));

  if (json)
    text = cli_json_text (state.result, &length);
  else
    {
      text = cli_format_summary (state.result, state.info, sandbox, demo_mode, kept);
      length = strlen (text);
    }

  if (!cli_write_stdout (text, length, &error))
    {
      if (kept)
        status = cli_fail (CLI_EXIT_USAGE,
                           _("cannot print the result (%s); it is kept in the history: run "
                             "`imgscan-cli export %s --format json`"),
                           error->message, imgscan_result_get_scan_id (state.result));
      else
        status = cli_fail_output (error);
    }
  else
    status = CLI_EXIT_OK;

  g_clear_object (&state.result);
  g_clear_object (&state.info);
  g_clear_pointer (&state.raw_reply, g_bytes_unref);
  return status;
}

int
cli_command_show (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(ImgscanResult) result = NULL;
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  gboolean json = FALSE;
  gsize length = 0;
  int status;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the normalised result as JSON"), NULL },
    { NULL }
  };

  context = cli_option_context_new (_("FILE.json"),
                                    _("Print a saved Copyleaks reply, or the output of "
                                      "`imgscan-cli scan --json`, as a summary or as "
                                      "normalised JSON."),
                                    entries);
  if ((status = cli_parse_options (context, "show", &argc, &argv)) >= 0)
    return status;

  if (argc != 2)
    return cli_fail (CLI_EXIT_USAGE,
                     argc < 2 ? _("no file given; run `imgscan-cli show FILE.json`")
                              : _("give exactly one file; run `imgscan-cli show --help`"));

  file = g_file_new_for_commandline_arg (argv[1]);
  name = g_file_get_parse_name (file);
  bytes = g_file_load_bytes (file, NULL, NULL, &error);
  if (bytes == NULL)
    {
      g_autofree char *message = cli_one_line (error->message);

      return cli_fail (CLI_EXIT_INVALID,
                       _("%s; give a reply saved by `imgscan-cli scan --json` or "
                         "`imgscan-cli export --format json`"), message);
    }

  result = imgscan_result_new_from_bytes (bytes, &error);
  if (result == NULL)
    {
      g_autofree char *message = cli_one_line (error->message);

      /* TRANSLATORS: "FILE: what is wrong with it; what to do" */
      return cli_fail (CLI_EXIT_INVALID,
                       _("%s: %s; give a reply saved by `imgscan-cli scan --json` or "
                         "`imgscan-cli export --format json`"), name, message);
    }

  if (json)
    text = cli_json_text (result, &length);
  else
    {
      text = cli_format_summary (result, NULL, FALSE, FALSE, FALSE);
      length = strlen (text);
    }

  if (!cli_write_stdout (text, length, &error))
    return cli_fail_output (error);
  return CLI_EXIT_OK;
}
