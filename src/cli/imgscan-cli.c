/* imgscan-cli.c: main, option parsing, dispatch, errors and exit statuses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "imgscan-cli"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "imgscan-cli-private.h"

typedef struct
{
  const char *name;
  const char *synopsis;     /* option names are not translated */
  const char *description;  /* N_() */
  int       (*run) (int argc, char **argv);
} CliCommand;

static const CliCommand commands[] = {
  { "scan", "scan IMAGE [--sandbox] [--scan-id ID] [--json] [--demo]",
    N_("Search the web for copies of a photo"), cli_command_scan },
  { "show", "show FILE.json [--json]",
    N_("Print a saved reply as a summary, or as normalised JSON"), cli_command_show },
  { "login", "login",
    N_("Check a Copyleaks email and API key and keep them in the keyring"), cli_command_login },
  { "logout", "logout",
    N_("Remove the account and its token from the keyring"), cli_command_logout },
  { "history", "history [--json]",
    N_("List the scans kept on this computer"), cli_command_history },
  { "export", "export SCAN_ID --format csv|json [-o FILE]",
    N_("Write a kept scan as CSV or JSON"), cli_command_export },
};

/* ---- messages ---------------------------------------------------------------- */

/* One line, whatever the server put in its message. */
char *
cli_one_line (const char *text)
{
  char *line = g_strdup (text != NULL ? text : "");

  g_strdelimit (line, "\r\n\t", ' ');
  g_strchomp (line);
  /* Our sentences continue after the message: drop its final full stop. */
  if (g_str_has_suffix (line, ".") && !g_str_has_suffix (line, ".."))
    line[strlen (line) - 1] = '\0';
  return line;
}

int
cli_fail (int         status,
          const char *format,
          ...)
{
  g_autofree char *message = NULL;
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  line = g_strdup (message);
  g_strdelimit (line, "\r\n\t", ' ');
  fprintf (stderr, "imgscan-cli: %s\n", line);
  fflush (stderr);
  return status;
}

void
cli_warn (const char *format,
          ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_strdelimit (message, "\r\n\t", ' ');
  /* TRANSLATORS: prefix of a warning line on the terminal */
  fprintf (stderr, "imgscan-cli: %s %s\n", _("warning:"), message);
  fflush (stderr);
}

/* The core's messages already say what happened and what to do; the CLI adds only
 * what is specific to it (which command to run, which option to use). */
int
cli_fail_with_error (const GError *error)
{
  g_autofree char *message = cli_one_line (error->message);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return cli_fail (CLI_EXIT_CANCELLED, _("cancelled"));

  if (error->domain == IMGSCAN_IMAGE_ERROR)
    /* TRANSLATORS: %s is the reason the photo was refused, ending without a full stop */
    return cli_fail (CLI_EXIT_REFUSED, _("%s. Nothing was sent."), message);

  if (error->domain == IMGSCAN_RESULT_ERROR)
    return cli_fail (CLI_EXIT_INVALID, _("%s. Try again later."), message);

  if (error->domain == IMGSCAN_CLIENT_ERROR)
    {
      switch ((ImgscanClientError) error->code)
        {
        case IMGSCAN_CLIENT_ERROR_NO_CREDENTIALS:
          return cli_fail (CLI_EXIT_AUTH,
                           _("no Copyleaks account is set up; run `imgscan-cli login`, "
                             "set IMGSCAN_EMAIL and IMGSCAN_API_KEY, or try "
                             "`imgscan-cli scan --demo IMAGE`"));
        case IMGSCAN_CLIENT_ERROR_AUTHENTICATION:
          return cli_fail (CLI_EXIT_AUTH, _("%s. Then run `imgscan-cli login`."), message);
        case IMGSCAN_CLIENT_ERROR_NOT_ENOUGH_CREDITS:
          return cli_fail (CLI_EXIT_CREDITS,
                           _("%s. Sandbox mode is `imgscan-cli scan --sandbox IMAGE`."), message);
        case IMGSCAN_CLIENT_ERROR_INVALID_RESPONSE:
          return cli_fail (CLI_EXIT_INVALID, "%s.", message);
        case IMGSCAN_CLIENT_ERROR_RATE_LIMITED:
        case IMGSCAN_CLIENT_ERROR_MAINTENANCE:
        case IMGSCAN_CLIENT_ERROR_SERVER:
        case IMGSCAN_CLIENT_ERROR_NETWORK:
        case IMGSCAN_CLIENT_ERROR_INVALID_INPUT:
          return cli_fail (CLI_EXIT_NETWORK, "%s.", message);
        default:
          break;
        }
    }

  return cli_fail (CLI_EXIT_NETWORK, "%s.", message);
}

int
cli_fail_output (const GError *error)
{
  return cli_fail (CLI_EXIT_USAGE, _("cannot write the output (%s)"), error->message);
}

/* Warnings from the core (a skipped history entry…) as our own one-liners. */
static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  if ((level & (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE)) != 0)
    {
      for (gsize i = 0; i < n_fields; i++)
        if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
          {
            cli_warn ("%s", (const char *) fields[i].value);
            return G_LOG_WRITER_HANDLED;
          }
    }

  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* ---- output -------------------------------------------------------------------- */

gboolean
cli_write_stdout (const char  *data,
                  gsize        length,
                  GError     **error)
{
  errno = 0;
  if (fwrite (data, 1, length, stdout) != length || fflush (stdout) != 0 || ferror (stdout))
    {
      int saved_errno = errno != 0 ? errno : EIO;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

char *
cli_json_text (ImgscanResult *result,
               gsize         *length)
{
  gsize n = 0;
  char *text = imgscan_export_result (result, IMGSCAN_EXPORT_FORMAT_JSON, &n);

  if (n == 0 || text[n - 1] != '\n')
    {
      char *with_newline = g_strconcat (text, "\n", NULL);

      g_free (text);
      text = with_newline;
      n++;
    }

  if (length != NULL)
    *length = n;
  return text;
}

/* ---- main loop and Ctrl-C --------------------------------------------------------- */

static gboolean
sigint_cb (gpointer user_data)
{
  CliRun *run = user_data;

  /* A second Ctrl-C means "now": the first one may be waiting on a slow server. */
  if (run->interrupted)
    _exit (CLI_EXIT_CANCELLED);

  run->interrupted = TRUE;
  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

void
cli_run_init (CliRun *run)
{
  run->loop = g_main_loop_new (NULL, FALSE);
  run->cancellable = g_cancellable_new ();
  run->interrupted = FALSE;
  run->sigint_id = g_unix_signal_add (SIGINT, sigint_cb, run);
}

void
cli_run_clear (CliRun *run)
{
  g_clear_handle_id (&run->sigint_id, g_source_remove);
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->loop, g_main_loop_unref);
}

/* ---- options ---------------------------------------------------------------------- */

GOptionContext *
cli_option_context_new (const char   *parameter,
                        const char   *summary,
                        GOptionEntry *entries)
{
  GOptionContext *context = g_option_context_new (parameter);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (summary != NULL)
    g_option_context_set_summary (context, summary);
  return context;
}

int
cli_parse_options (GOptionContext   *context,
                   const char       *command,
                   int              *argc,
                   char           ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      if (*command == '\0')
        return cli_fail (CLI_EXIT_USAGE, _("%s; run `imgscan-cli --help` to see the commands"),
                         error->message);
      return cli_fail (CLI_EXIT_USAGE, _("%s; run `imgscan-cli %s --help` to see the options"),
                       error->message, command);
    }
  return -1;
}

static char *
top_level_summary (void)
{
  GString *summary = g_string_new (_("Find where a photo appears on the web, with Copyleaks."));

  g_string_append (summary, "\n\n");
  g_string_append (summary, _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (summary, "\n  imgscan-cli %s\n      %s",
                            commands[i].synopsis, _(commands[i].description));
  g_string_append (summary, "\n\n");
  g_string_append (summary, _("Run `imgscan-cli COMMAND --help` for the options of a command.\n"
                              "No account yet? `imgscan-cli scan --demo IMAGE` works offline:\n"
                              "a built-in demo server answers with sample matches."));
  return g_string_free (summary, FALSE);
}

static char *
top_level_description (void)
{
  GString *text = g_string_new (NULL);

  g_string_append (text, _("Exit status:"));
  g_string_append_c (text, '\n');
  g_string_append (text, _("  0    success"));
  g_string_append_c (text, '\n');
  g_string_append (text, _("  1    usage error, or the output could not be written"));
  g_string_append_c (text, '\n');
  g_string_append (text, _("  2    the image was refused before upload (nothing was sent)"));
  g_string_append_c (text, '\n');
  g_string_append (text, _("  3    authentication failed, or no account is set up"));
  g_string_append_c (text, '\n');
  g_string_append (text, _("  4    network, server or rate-limit failure, or the request was refused"));
  g_string_append_c (text, '\n');
  g_string_append (text, _("  5    the reply, or the file given, is not a valid result"));
  g_string_append_c (text, '\n');
  g_string_append (text, _("  6    not enough credits"));
  g_string_append_c (text, '\n');
  g_string_append (text, _("  130  cancelled with Ctrl-C"));
  g_string_append (text, "\n\n");
  g_string_append (text, _("Environment:"));
  g_string_append_c (text, '\n');
  g_string_append (text, _("  IMGSCAN_EMAIL, IMGSCAN_API_KEY  the Copyleaks account (else the keyring's)"));
  g_string_append_c (text, '\n');
  g_string_append (text, _("  IMGSCAN_ID_URL, IMGSCAN_API_URL  other Copyleaks servers (for testing)"));
  g_string_append_c (text, '\n');
  g_string_append (text, _("  IMGSCAN_LOCALEDIR  where to find the translations"));
  return g_string_free (text, FALSE);
}

static int
run_top_level (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *summary = top_level_summary ();
  g_autofree char *description = top_level_description ();
  gboolean version = FALSE;
  int status;
  GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
    { NULL }
  };

  g_set_prgname ("imgscan-cli");
  /* TRANSLATORS: the command line's parameter in "Usage: imgscan-cli [OPTION…] COMMAND" */
  context = cli_option_context_new (_("COMMAND"), summary, entries);
  g_option_context_set_description (context, description);

  if (argc >= 2 && g_str_equal (argv[1], "help"))
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
      g_autoptr(GError) error = NULL;

      if (!cli_write_stdout (help, strlen (help), &error))
        return cli_fail_output (error);
      return CLI_EXIT_OK;
    }

  if (argc < 2)
    return cli_fail (CLI_EXIT_USAGE,
                     _("no command given; run `imgscan-cli --help` to see the commands"));

  if ((status = cli_parse_options (context, "", &argc, &argv)) >= 0)
    return status;

  if (version)
    {
      g_autofree char *text = g_strdup_printf ("imgscan-cli %s\n", PACKAGE_VERSION);
      g_autoptr(GError) error = NULL;

      if (!cli_write_stdout (text, strlen (text), &error))
        return cli_fail_output (error);
      return CLI_EXIT_OK;
    }

  return cli_fail (CLI_EXIT_USAGE,
                   _("a command comes first; run `imgscan-cli --help` to see the commands"));
}

/* A closed stdin, stdout or stderr would be reused by the next file we open: the
 * history entry would then receive our output. Keep the slots filled; a read-only
 * /dev/null on stdout makes every print fail, so a closed stdout is still reported. */
static void
guard_standard_fds (void)
{
  for (int fd = 0; fd <= 2; fd++)
    {
      if (fcntl (fd, F_GETFD) == -1 && errno == EBADF)
        {
          int null_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);

          if (null_fd >= 0 && null_fd != fd)
            {
              dup2 (null_fd, fd);
              close (null_fd);
            }
        }
    }
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("IMGSCAN_LOCALEDIR");

  guard_standard_fds ();
  /* A closed pipe is reported by the write itself (EPIPE), after the history is kept. */
  signal (SIGPIPE, SIG_IGN);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_log_set_writer_func (log_writer, NULL, NULL);

  if (argc >= 2 && argv[1][0] != '-')
    {
      for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
        {
          if (g_str_equal (argv[1], commands[i].name))
            {
              g_autofree char *prgname = g_strconcat ("imgscan-cli ", commands[i].name, NULL);

              /* "Usage: imgscan-cli scan [OPTION…] IMAGE" in the command's --help. */
              g_set_prgname (prgname);
              argv[1] = argv[0];
              return commands[i].run (argc - 1, argv + 1);
            }
        }

      if (!g_str_equal (argv[1], "help"))
        return cli_fail (CLI_EXIT_USAGE,
                         _("unknown command “%s”; run `imgscan-cli --help` to see the commands"),
                         argv[1]);
    }

  return run_top_level (argc, argv);
}
